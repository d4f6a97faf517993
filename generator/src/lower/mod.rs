//! Lowering: OpenAPI schemas → the [`crate::ir`] type arena, in explicit passes.
//!
//! 1. Reserve a type (and its name) for every `components/schemas` entry, so forward and
//!    cyclic references resolve to an id before anything is lowered.
//! 2. Lower every component, on demand when another needs its IR (`allOf` merging,
//!    union tag detection), inline schemas becoming types named after their parent.
//! 3. Break cycles of direct containment with `Box` (`cycles.rs`).
//! 4. Give every inline type a unique name (components keep theirs; collisions are reported).
//!
//! Lowering does no IO and never fails: what it cannot type becomes `serde_json::Value`
//! and a located entry in the report.

mod cycles;
mod operations;
mod schema;
mod view;

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::Schema;

use crate::ir::{Docs, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace};
use crate::{Config, Diagnostic, Report};

pub use view::SchemaRef;

/// The lowered model of a document.
#[derive(Debug)]
pub struct Model {
    pub info: ApiInfo,
    pub types: TypeSpace,
    /// Component schema name → its type.
    pub components: BTreeMap<String, TypeId>,
    /// `example` values given for component schemas, for the generated round-trip test.
    pub examples: Vec<SchemaExample>,
    /// Every operation, sorted by resource and method name.
    pub operations: Vec<crate::ir::Operation>,
    pub report: Report,
}

/// What the crate says about the API it serves.
#[derive(Debug, Clone)]
pub struct ApiInfo {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// `servers[0].url`, the default base URL.
    pub base_url: String,
    pub auth: Auth,
}

/// How requests authenticate, from the spec's first security scheme in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    Bearer,
    ApiKeyHeader(String),
    ApiKeyQuery(String),
    Basic,
    None,
}

fn auth_of(api: &openapiv3::OpenAPI) -> Auth {
    use openapiv3::{APIKeyLocation, SecurityScheme};
    let Some(schemes) = api.components.as_ref().map(|c| &c.security_schemes) else {
        return Auth::None;
    };
    let used = api
        .security
        .iter()
        .flatten()
        .flat_map(|req| req.keys())
        .next();
    let scheme = match used {
        Some(name) => schemes.get(name),
        None => schemes.values().next(),
    };
    match scheme {
        Some(openapiv3::ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }))
            if scheme.eq_ignore_ascii_case("basic") =>
        {
            Auth::Basic
        }
        Some(openapiv3::ReferenceOr::Item(SecurityScheme::HTTP { .. })) => Auth::Bearer,
        Some(openapiv3::ReferenceOr::Item(SecurityScheme::APIKey {
            location: APIKeyLocation::Header,
            name,
            ..
        })) => Auth::ApiKeyHeader(name.clone()),
        Some(openapiv3::ReferenceOr::Item(SecurityScheme::APIKey {
            location: APIKeyLocation::Query,
            name,
            ..
        })) => Auth::ApiKeyQuery(name.clone()),
        Some(openapiv3::ReferenceOr::Item(
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. },
        )) => Auth::Bearer,
        _ => Auth::None,
    }
}

/// An `example` from the spec and the type it should decode into.
#[derive(Debug, Clone)]
pub struct SchemaExample {
    /// Where the example is: a schema name, or `Schema.property`.
    pub label: String,
    pub ty: TypeRef,
    /// Whether `null` is a valid value there.
    pub nullable: bool,
    pub value: serde_json::Value,
    /// Why the spec's example is known not to match its own schema (from the configuration).
    pub known_bad: Option<String>,
    /// The example of an object's property, not of a whole body: decoded forgivingly as
    /// a field, the way a response carries it.
    pub property: bool,
}

/// Lowers every component schema of `doc`.
pub fn lower(doc: &openapi::Document, config: &Config) -> Model {
    let extra = ExtraSchemas::collect(doc);
    let mut lowering = Lowering::new(doc, config, &extra);
    lowering.reserve_components();
    let names: Vec<String> = lowering.components.keys().cloned().collect();
    for name in &names {
        lowering.ensure_component(name);
    }
    let mut operations = lowering.lower_operations();
    operations.sort_by(|a, b| (&a.resource, &a.name).cmp(&(&b.resource, &b.name)));
    for id in cycles::untie_recursive_aliases(&mut lowering.space) {
        let origin = lowering.space.get(id).origin.clone();
        lowering.fallback(
            &origin,
            "a list or map of itself (through aliases only) has no Rust type yet; typed as any JSON value",
        );
    }
    cycles::box_cycles(&mut lowering.space);
    lowering.finish_names();
    let components: BTreeMap<String, TypeId> = lowering
        .components
        .iter()
        .map(|(k, c)| (k.clone(), c.id))
        .collect();
    let mut examples = schema_examples(doc, &components);
    examples.append(&mut lowering.examples);
    examples.sort_by(|a, b| a.label.cmp(&b.label));
    for example in &mut examples {
        example.known_bad = config.known_bad_examples.get(&example.label).cloned();
    }
    let mut report = lowering.report;
    report.schemas_read = names.len();
    report.operations_read = doc
        .api
        .paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .map(|item| item.iter().count())
        .sum();
    report.operations_emitted = operations.len();
    report.types_emitted = lowering.space.types.len();
    report.fallbacks.sort();
    report.warnings.sort();
    let info = ApiInfo {
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        description: doc.api.info.description.clone(),
        base_url: doc
            .api
            .servers
            .first()
            .map(|s| s.url.clone())
            .unwrap_or_default(),
        auth: auth_of(&doc.api),
    };
    Model {
        info,
        types: lowering.space,
        components,
        examples,
        operations,
        report,
    }
}

fn schema_examples(
    doc: &openapi::Document,
    components: &BTreeMap<String, TypeId>,
) -> Vec<SchemaExample> {
    let Some(schemas) = doc.api.components.as_ref().map(|c| &c.schemas) else {
        return Vec::new();
    };
    let mut out: Vec<SchemaExample> = schemas
        .iter()
        .filter_map(|(name, schema)| {
            let openapiv3::ReferenceOr::Item(schema) = schema else {
                return None;
            };
            let value = schema.schema_data.example.clone()?;
            let ty = TypeRef::Named(*components.get(name)?);
            Some(SchemaExample {
                label: name.clone(),
                ty,
                nullable: schema.schema_data.nullable,
                value,
                known_bad: None,
                property: false,
            })
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// Schemas named by a `$ref` that is not `#/components/schemas/Name` (a property of
/// another schema, a path's schema, …), read once up front so lowering can borrow them.
struct ExtraSchemas {
    by_ref: HashMap<String, Result<Schema, String>>,
}

impl ExtraSchemas {
    fn collect(doc: &openapi::Document) -> Self {
        let mut refs = HashSet::new();
        collect_refs(&doc.raw, &mut refs);
        let by_ref = refs
            .into_iter()
            .filter(|r| r.starts_with("#/") && component_name(r).is_none())
            .map(|r| {
                let target = doc
                    .raw
                    .pointer(&r[1..])
                    .ok_or_else(|| format!("`$ref` target `{r}` does not exist"))
                    .and_then(|v| {
                        serde_json::from_value::<Schema>(v.clone()).map_err(|e| e.to_string())
                    });
                (r, target)
            })
            .collect();
        ExtraSchemas { by_ref }
    }
}

fn collect_refs(value: &serde_json::Value, out: &mut HashSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                out.insert(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// `#/components/schemas/Name` → `Name` (JSON-pointer unescaped).
pub fn component_name(reference: &str) -> Option<String> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    InProgress,
    Done,
}

#[derive(Debug)]
struct Component {
    id: TypeId,
    nullable: bool,
    state: State,
}

/// Lowering state for one document.
struct Lowering<'a> {
    doc: &'a openapi::Document,
    config: &'a Config,
    extra: &'a ExtraSchemas,
    space: TypeSpace,
    components: BTreeMap<String, Component>,
    /// Types whose names are final (components); inline types are named in `finish_names`.
    fixed_names: HashSet<TypeId>,
    /// Lowered non-component `$ref`s, so each becomes one type.
    extra_types: HashMap<String, (TypeRef, bool)>,
    /// `example`s of component properties, collected while lowering.
    examples: Vec<SchemaExample>,
    report: Report,
}

impl<'a> Lowering<'a> {
    fn new(doc: &'a openapi::Document, config: &'a Config, extra: &'a ExtraSchemas) -> Self {
        Lowering {
            doc,
            config,
            extra,
            space: TypeSpace::default(),
            components: BTreeMap::new(),
            fixed_names: HashSet::new(),
            extra_types: HashMap::new(),
            examples: Vec::new(),
            report: Report::default(),
        }
    }

    fn schemas(&self) -> Option<&'a indexmap::IndexMap<String, openapiv3::ReferenceOr<Schema>>> {
        self.doc.api.components.as_ref().map(|c| &c.schemas)
    }

    /// Pass 1: one type per component schema, names decided now. Two schemas whose names
    /// convert to the same Rust name: the one spelled exactly so keeps it, the others get a
    /// numeric suffix, and the report says so.
    fn reserve_components(&mut self) {
        let Some(schemas) = self.schemas() else {
            return;
        };
        let mut sorted: Vec<&String> = schemas.keys().collect();
        sorted.sort();
        let wanted: Vec<(String, String)> = sorted
            .iter()
            .map(|name| {
                let rust = self
                    .config
                    .type_names
                    .get(*name)
                    .cloned()
                    .unwrap_or_else(|| crate::names::type_name(name));
                ((*name).clone(), rust)
            })
            .collect();
        let mut taken: HashSet<String> = HashSet::new();
        // Exact spellings first, so `FooBar` keeps its name over `Foo_Bar`.
        let mut order: Vec<&(String, String)> = wanted.iter().collect();
        order.sort_by_key(|(name, rust)| (name != rust, name.clone()));
        let mut assigned: HashMap<String, String> = HashMap::new();
        for (name, rust) in order {
            let name: &String = name;
            let unique = crate::names::unique(rust, &mut taken);
            if &unique != rust {
                self.report.warnings.push(Diagnostic {
                    pointer: schema_pointer(name),
                    message: format!(
                        "type name `{rust}` is taken by another schema; this one is `{unique}`"
                    ),
                });
            }
            assigned.insert(name.clone(), unique);
        }
        for (name, _) in &wanted {
            let schema = &schemas[name];
            let nullable = match schema {
                openapiv3::ReferenceOr::Item(s) => s.schema_data.nullable,
                openapiv3::ReferenceOr::Reference { .. } => false,
            };
            let id = TypeId(self.space.types.len());
            self.space.types.push(TypeDef {
                name: assigned[name].clone(),
                origin: schema_pointer(name),
                docs: Docs::default(),
                kind: TypeKind::Alias(TypeRef::Json),
            });
            self.fixed_names.insert(id);
            self.components.insert(
                name.clone(),
                Component {
                    id,
                    nullable,
                    state: State::Pending,
                },
            );
        }
    }

    /// Lowers a component if it has not been yet. Returns false while it is being lowered
    /// (a cycle), when its IR is not available yet.
    fn ensure_component(&mut self, name: &str) -> bool {
        let Some(component) = self.components.get_mut(name) else {
            return false;
        };
        match component.state {
            State::Done => return true,
            State::InProgress => return false,
            State::Pending => component.state = State::InProgress,
        }
        let id = component.id;
        let Some(schema) = self.schemas().and_then(|s| s.get(name)) else {
            return false;
        };
        let pointer = schema_pointer(name);
        let type_name = self.space.get(id).name.clone();
        let (kind, docs) = match schema {
            openapiv3::ReferenceOr::Reference { reference } => {
                let lowered = self.lower_ref(reference, &type_name, &pointer);
                (TypeKind::Alias(lowered.ty), Docs::default())
            }
            openapiv3::ReferenceOr::Item(schema) => {
                let view = view::View::of(schema);
                let docs = docs_of(&view);
                let shape = self.lower_shape(&view, &type_name, &pointer);
                if shape.nullable
                    && let Some(c) = self.components.get_mut(name)
                {
                    c.nullable = true;
                }
                let kind = match shape.kind {
                    Shape::Type(ty) => TypeKind::Alias(ty),
                    Shape::Kind(kind) => kind,
                };
                (kind, docs)
            }
        };
        let def = &mut self.space.types[id.0];
        def.kind = kind;
        def.docs = docs;
        if let Some(c) = self.components.get_mut(name) {
            c.state = State::Done;
        }
        true
    }

    /// Adds an inline type; its name is provisional until `finish_names`.
    fn add_type(&mut self, name: &str, origin: &str, docs: Docs, kind: TypeKind) -> TypeId {
        let id = TypeId(self.space.types.len());
        self.space.types.push(TypeDef {
            name: name.to_string(),
            origin: origin.to_string(),
            docs,
            kind,
        });
        id
    }

    fn fallback(&mut self, pointer: &str, message: impl Into<String>) -> TypeRef {
        self.report.fallbacks.push(Diagnostic {
            pointer: pointer.to_string(),
            message: message.into(),
        });
        TypeRef::Json
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.report.warnings.push(Diagnostic {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// Pass 4: unique names for inline types, in arena order (deterministic).
    fn finish_names(&mut self) {
        let mut taken: HashSet<String> = self
            .fixed_names
            .iter()
            .map(|id| self.space.get(*id).name.clone())
            .collect();
        for i in 0..self.space.types.len() {
            if self.fixed_names.contains(&TypeId(i)) {
                continue;
            }
            let wanted = crate::names::type_name(&self.space.types[i].name);
            let unique = crate::names::unique(&wanted, &mut taken);
            if unique != wanted {
                let origin = self.space.types[i].origin.clone();
                self.warn(
                    &origin,
                    format!("inline type name `{wanted}` is taken; this one is `{unique}`"),
                );
            }
            self.space.types[i].name = unique;
        }
    }
}

/// The result of lowering a schema: a type expression or a new type's kind, and whether
/// `null` is allowed.
struct Lowered {
    ty: TypeRef,
    nullable: bool,
}

enum Shape {
    /// Needs no named type of its own (a primitive, a list, a reference).
    Type(TypeRef),
    /// Needs a named type of this kind.
    Kind(TypeKind),
}

struct ShapeOut {
    kind: Shape,
    nullable: bool,
}

pub fn schema_pointer(name: &str) -> String {
    format!(
        "#/components/schemas/{}",
        name.replace('~', "~0").replace('/', "~1")
    )
}

fn docs_of(view: &view::View<'_>) -> Docs {
    Docs {
        title: view.data.title.clone(),
        description: view.data.description.clone(),
        deprecated: view.data.deprecated,
        default: view.data.default.clone(),
        from: None,
    }
}
