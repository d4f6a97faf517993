//! Cargo features per top-level resource group (`client.chat()`, `client.files()`, …): which
//! group's operations reach each type, so a crate built with only some groups compiles only
//! the types those need.
//!
//! Computed from the IR alone (operations and the type arena); emission turns a [`Gate`]
//! into `#[cfg(...)]`. The gates are closed under reachability: if type `A` holds type `B`,
//! every feature that enables `A` enables `B`, so every build of any feature set compiles.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Operation, ResponseKind, TypeId, TypeKind, TypeRef, TypeSpace};

/// The feature for types no operation reaches (webhook payloads, event schemas used only
/// over a websocket, …): part of `full`, so nothing the spec defines is lost by default.
pub const UNREACHED_FEATURE: &str = "other-types";

/// The feature enabling every group (and [`UNREACHED_FEATURE`]); on by default.
pub const FULL_FEATURE: &str = "full";

/// Feature names the runtime's manifest already uses, which a group cannot take.
const RESERVED: &[&str] = &[
    "default",
    FULL_FEATURE,
    UNREACHED_FEATURE,
    "rustls",
    "native-tls",
    "http2",
];

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// In every build: needed by every feature, or by an operation on the client itself.
    Always,
    /// When any of these features is on (sorted, at least one).
    AnyOf(Vec<String>),
}

/// The features of a crate and the gate of each of its items.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Every feature in manifest order: one per top-level resource (sorted), then
    /// [`UNREACHED_FEATURE`] when some type needs it. Empty when features are off.
    pub names: Vec<String>,
    /// Top-level resource name → its feature.
    resources: BTreeMap<String, String>,
    /// Per [`TypeId`], which features need it.
    types: Vec<BTreeSet<String>>,
    /// Types an operation on the client itself (no resource path) reaches.
    always: BTreeSet<TypeId>,
}

impl Features {
    /// No features: every item in every build.
    pub fn none() -> Self {
        Features::default()
    }

    /// One feature per top-level resource of `ops`, and the types each reaches.
    pub fn compute(space: &TypeSpace, ops: &[Operation]) -> Self {
        let mut resources = BTreeMap::new();
        let mut roots: BTreeMap<Option<String>, Vec<TypeId>> = BTreeMap::new();
        for op in ops {
            let group = op.resource.first().map(|top| {
                resources
                    .entry(top.clone())
                    .or_insert_with(|| feature_name(top))
                    .clone()
            });
            roots.entry(group).or_default().extend(operation_types(op));
        }
        if resources.is_empty() {
            return Features::none();
        }
        let mut types = vec![BTreeSet::new(); space.types.len()];
        let mut always = BTreeSet::new();
        for (group, ids) in &roots {
            let reached = reach(space, ids);
            match group {
                Some(feature) => {
                    for id in reached {
                        types[id.0].insert(feature.clone());
                    }
                }
                None => always.extend(reached),
            }
        }
        let unreached: Vec<TypeId> = (0..space.types.len())
            .map(TypeId)
            .filter(|id| types[id.0].is_empty() && !always.contains(id))
            .collect();
        let mut names: Vec<String> = resources.values().cloned().collect();
        names.sort();
        if !unreached.is_empty() {
            for id in reach(space, &unreached) {
                types[id.0].insert(UNREACHED_FEATURE.to_string());
            }
            names.push(UNREACHED_FEATURE.to_string());
        }
        Features {
            names,
            resources,
            types,
            always,
        }
    }

    /// The gate of a named type.
    pub fn of_type(&self, id: TypeId) -> Gate {
        if self.always.contains(&id) {
            return Gate::Always;
        }
        match self.types.get(id.0) {
            Some(set) if !set.is_empty() && set.len() < self.names.len() => {
                Gate::AnyOf(set.iter().cloned().collect())
            }
            _ => Gate::Always,
        }
    }

    /// The gate of a type expression: its named types' gates (they are nested, so the
    /// outermost named type decides; unnamed expressions are always available).
    pub fn of_ref(&self, ty: &TypeRef) -> Gate {
        let mut named = Vec::new();
        named_in(ty, &mut named);
        named.first().map_or(Gate::Always, |id| self.of_type(*id))
    }

    /// The gate of a resource handle and everything under it: its top-level resource's feature.
    pub fn of_resource(&self, path: &[String]) -> Gate {
        match path.first().and_then(|top| self.resources.get(top)) {
            Some(feature) if self.names.len() > 1 => Gate::AnyOf(vec![feature.clone()]),
            _ => Gate::Always,
        }
    }

    /// Top-level resource name → its feature, for the manifest's documentation.
    pub fn resources(&self) -> &BTreeMap<String, String> {
        &self.resources
    }
}

/// A top-level resource's feature: its name, unless the manifest already uses it.
fn feature_name(resource: &str) -> String {
    if RESERVED.contains(&resource) {
        format!("{resource}-resource")
    } else {
        resource.to_string()
    }
}

/// The named types an operation mentions directly.
fn operation_types(op: &Operation) -> Vec<TypeId> {
    let mut out = Vec::new();
    for p in op.path_params.iter().chain(&op.params) {
        named_in(&p.ty, &mut out);
    }
    out.extend(op.params_type);
    if let Some(body) = &op.body {
        named_in(&body.ty, &mut out);
    }
    if let ResponseKind::Json(ty) | ResponseKind::Page(ty) = &op.response {
        named_in(ty, &mut out);
    }
    if let Some(event) = &op.stream {
        named_in(event, &mut out);
    }
    // The method's rustdoc links its documented error bodies.
    for error in &op.errors {
        named_in(&error.ty, &mut out);
    }
    out
}

/// Every type reachable from `roots` (roots included).
fn reach(space: &TypeSpace, roots: &[TypeId]) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = roots.to_vec();
    let mut refs = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        refs.clear();
        match &space.get(id).kind {
            TypeKind::Alias(ty) => named_in(ty, &mut refs),
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    named_in(&f.ty, &mut refs);
                }
                if let Some(additional) = &s.additional {
                    named_in(additional, &mut refs);
                }
            }
            TypeKind::Tagged(t) => {
                for v in &t.variants {
                    named_in(&v.ty, &mut refs);
                }
            }
            TypeKind::Untagged(variants) => {
                for v in variants {
                    named_in(&v.ty, &mut refs);
                }
            }
            TypeKind::StringEnum(_) | TypeKind::Constant(_) => {}
        }
        stack.extend(refs.iter().filter(|r| !seen.contains(r)));
    }
    seen
}

fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => named_in(inner, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, Field, Struct, TypeDef};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            docs: Docs::default(),
            kind,
        }
    }

    fn holding(name: &str, held: TypeId) -> TypeDef {
        def(
            name,
            TypeKind::Struct(Struct {
                fields: vec![Field {
                    json_name: "x".into(),
                    name: "x".into(),
                    ty: TypeRef::Vec(Box::new(TypeRef::Named(held))),
                    required: true,
                    nullable: false,
                    flatten: false,
                    docs: Docs::default(),
                }],
                additional: None,
            }),
        )
    }

    fn op(resource: &[&str], response: TypeId) -> Operation {
        Operation {
            operation_id: String::new(),
            method: "GET".into(),
            path: String::new(),
            resource: resource.iter().map(|r| r.to_string()).collect(),
            name: "list".into(),
            docs: Docs::default(),
            path_params: Vec::new(),
            params: Vec::new(),
            params_type: None,
            body: None,
            response: ResponseKind::Json(TypeRef::Named(response)),
            stream: None,
            errors: Vec::new(),
        }
    }

    fn any_of(features: &[&str]) -> Gate {
        Gate::AnyOf(features.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn gates_follow_what_each_group_reaches() {
        let shared = def("Shared", TypeKind::StringEnum(Vec::new()));
        let space = TypeSpace {
            types: vec![
                shared,                                            // 0
                holding("ChatOnly", TypeId(0)),                    // 1
                holding("FilesOnly", TypeId(0)),                   // 2
                holding("Webhook", TypeId(1)),                     // 3: no operation
                def("FullHere", TypeKind::Alias(TypeRef::String)), // 4
            ],
        };
        let ops = [
            op(&["chat", "completions"], TypeId(1)),
            op(&["files"], TypeId(2)),
            op(&["full"], TypeId(4)),
        ];
        let features = Features::compute(&space, &ops);
        assert_eq!(
            features.names,
            ["chat", "files", "full-resource", UNREACHED_FEATURE]
        );
        assert_eq!(
            features.of_type(TypeId(0)),
            any_of(&["chat", "files", UNREACHED_FEATURE])
        );
        assert_eq!(
            features.of_type(TypeId(1)),
            any_of(&["chat", UNREACHED_FEATURE])
        );
        assert_eq!(features.of_type(TypeId(2)), any_of(&["files"]));
        assert_eq!(features.of_type(TypeId(3)), any_of(&[UNREACHED_FEATURE]));
        assert_eq!(features.of_type(TypeId(4)), any_of(&["full-resource"]));
        assert_eq!(
            features.of_resource(&["chat".into(), "completions".into()]),
            any_of(&["chat"])
        );
    }

    #[test]
    fn operations_on_the_client_itself_make_their_types_unconditional() {
        let space = TypeSpace {
            types: vec![
                def("Status", TypeKind::StringEnum(Vec::new())),
                holding("Health", TypeId(0)),
                def("Chat", TypeKind::Alias(TypeRef::String)),
            ],
        };
        let ops = [op(&[], TypeId(1)), op(&["chat"], TypeId(2))];
        let features = Features::compute(&space, &ops);
        assert_eq!(features.names, ["chat"]);
        assert_eq!(features.of_type(TypeId(0)), Gate::Always);
        assert_eq!(features.of_type(TypeId(1)), Gate::Always);
        // One feature enabling everything gates nothing.
        assert_eq!(features.of_type(TypeId(2)), Gate::Always);
        assert_eq!(features.of_resource(&["chat".into()]), Gate::Always);
    }

    #[test]
    fn no_operations_no_features() {
        let space = TypeSpace {
            types: vec![def("Lonely", TypeKind::Alias(TypeRef::String))],
        };
        let features = Features::compute(&space, &[]);
        assert!(features.names.is_empty());
        assert_eq!(features.of_type(TypeId(0)), Gate::Always);
    }
}
