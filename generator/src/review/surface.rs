//! The public API of a generated crate as plain data: resources with their methods, types
//! with their fields, variants and values, every Rust type spelled as text. Computed from
//! the IR with the emitter's own type and signature helpers, so it says what the code says.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;

use crate::emit::resources::{
    accessor_name, method_args, method_name, response_format, stream_format, taken_names,
};
use crate::emit::types::{field_type, is_constant, type_ref};
use crate::ir::{TypeKind, TypeSpace};
use crate::lower::Model;

/// Everything a caller of the crate can name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    pub crate_name: String,
    /// Resource path (`client.chat.completions`) → method name → method.
    pub resources: BTreeMap<String, BTreeMap<String, Method>>,
    /// Type name → type.
    pub types: BTreeMap<String, Type>,
}

/// One method on a resource handle. Every method returns `Call<F>`; `returns` is the `F`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// The arguments after `&self`, as written (`file_id: &str, body: CreateFileRequest`).
    pub args: String,
    pub returns: String,
    /// Upper-case HTTP method and the spec's path.
    pub http: String,
    pub path: String,
    pub deprecated: bool,
}

impl Method {
    pub fn signature(&self, name: &str) -> String {
        format!("{name}({}) -> {}", self.args, self.returns)
    }

    /// The argument types alone: arguments are positional, so their names are not API.
    pub fn arg_types(&self) -> Vec<&str> {
        let mut types = Vec::new();
        let (mut depth, mut start) = (0usize, 0);
        let args = self.args.as_str();
        for (i, c) in args.char_indices() {
            match c {
                '<' | '(' => depth += 1,
                '>' | ')' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    types.push(&args[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        if !args.trim().is_empty() {
            types.push(&args[start..]);
        }
        types
            .into_iter()
            .map(|arg| arg.split_once(": ").map_or(arg, |(_, ty)| ty).trim())
            .collect()
    }

    /// Whether this is the `…_stream` twin of an operation (it reads server-sent events).
    pub fn is_stream(&self) -> bool {
        self.returns.starts_with("Sse<")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Type {
    pub kind: Kind,
    pub deprecated: bool,
    /// Fields, variants or values by their Rust name.
    pub members: BTreeMap<String, Member>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `new` takes these fields, in this order.
    Struct {
        new_args: Vec<String>,
    },
    /// An open string enum (unknown values decode into `Other`).
    Enum,
    /// A single-value enum: a type tag.
    Const,
    /// A union told apart by the string in this property.
    Tagged {
        tag: String,
    },
    Untagged,
    Alias {
        target: String,
    },
}

impl Kind {
    /// The word that names the kind in `api.md`.
    pub fn word(&self) -> &'static str {
        match self {
            Kind::Struct { .. } => "struct",
            Kind::Enum => "enum",
            Kind::Const => "const",
            Kind::Tagged { .. } => "tagged",
            Kind::Untagged => "untagged",
            Kind::Alias { .. } => "alias",
        }
    }
}

/// A struct field, a union variant or an enum value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Member {
    /// A field's Rust type (its `Option`s included) or a variant's payload; empty for a value.
    pub ty: String,
    /// Wire strings: an enum value's string, or the tag values selecting a variant.
    pub wire: Vec<String>,
    /// How a field is held and built; empty for variants and values.
    pub flags: BTreeSet<Flag>,
}

/// How a struct field is held and built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    /// An argument of `new`.
    Required,
    /// `Option`, set by a setter, omitted when `None`.
    Optional,
    /// `null` is a value of its own (one more `Option`).
    Nullable,
    /// A constant type tag that `new` fills in.
    Fixed,
    /// The map of properties the schema does not declare.
    Additional,
    Deprecated,
}

impl Flag {
    pub const ALL: [Flag; 6] = [
        Flag::Required,
        Flag::Optional,
        Flag::Nullable,
        Flag::Fixed,
        Flag::Additional,
        Flag::Deprecated,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Flag::Required => "required",
            Flag::Optional => "optional",
            Flag::Nullable => "nullable",
            Flag::Fixed => "fixed",
            Flag::Additional => "additional",
            Flag::Deprecated => "deprecated",
        }
    }
}

impl Member {
    /// Whether `new` takes this field.
    pub fn is_constructor_arg(&self) -> bool {
        self.flags.contains(&Flag::Required)
    }

    /// The flags that decide the field's type and construction (deprecation aside).
    pub fn presence(&self) -> BTreeSet<Flag> {
        let mut flags = self.flags.clone();
        flags.remove(&Flag::Deprecated);
        flags
    }
}

impl Surface {
    /// The surface of the crate the emitter writes for `model`.
    pub fn of(model: &Model, crate_name: &str) -> Surface {
        let space = &model.types;
        let types = space
            .types
            .iter()
            .map(|def| {
                let (kind, members) = kind_and_members(space, &def.kind);
                let ty = Type {
                    kind,
                    deprecated: def.docs.deprecated,
                    members,
                };
                (def.name.clone(), ty)
            })
            .collect();
        Surface {
            crate_name: crate_name.to_string(),
            resources: resources(space, &model.operations),
            types,
        }
    }

    pub fn method_count(&self) -> usize {
        self.resources.values().map(BTreeMap::len).sum()
    }
}

fn resources(
    space: &TypeSpace,
    ops: &[crate::ir::Operation],
) -> BTreeMap<String, BTreeMap<String, Method>> {
    let mut children: BTreeMap<&[String], Vec<&str>> = BTreeMap::new();
    for op in ops {
        for depth in 0..op.resource.len() {
            children
                .entry(&op.resource[..depth])
                .or_default()
                .push(&op.resource[depth]);
        }
    }
    let mut out: BTreeMap<String, BTreeMap<String, Method>> = BTreeMap::new();
    for op in ops {
        let siblings = children
            .get(op.resource.as_slice())
            .cloned()
            .unwrap_or_default();
        let taken = taken_names(&op.resource, siblings);
        let name = method_name(op, &taken);
        let args = method_args(space, op)
            .into_iter()
            .map(rust_text)
            .collect::<Vec<_>>()
            .join(", ");
        let method = |returns: TokenStream| Method {
            args: args.clone(),
            returns: rust_text(returns),
            http: op.method.clone(),
            path: op.path.clone(),
            deprecated: op.docs.deprecated,
        };
        let handle = std::iter::once("client".to_string())
            .chain(
                (0..op.resource.len())
                    .map(|depth| accessor_name(&op.resource[..depth], &op.resource[depth])),
            )
            .collect::<Vec<_>>()
            .join(".");
        let methods = out.entry(handle).or_default();
        if let Some(event) = &op.stream {
            methods.insert(
                format!("{name}_stream"),
                method(stream_format(space, event)),
            );
        }
        methods.insert(name, method(response_format(space, &op.response)));
    }
    out
}

fn kind_and_members(space: &TypeSpace, kind: &TypeKind) -> (Kind, BTreeMap<String, Member>) {
    let value = |v: &crate::ir::EnumValue| {
        let member = Member {
            wire: vec![v.value.clone()],
            ..Member::default()
        };
        (v.variant.clone(), member)
    };
    let variant = |name: &String, ty, wire: &[String]| {
        let member = Member {
            ty: rust_text(type_ref(space, ty)),
            wire: wire.to_vec(),
            flags: BTreeSet::new(),
        };
        (name.clone(), member)
    };
    match kind {
        TypeKind::Alias(target) => {
            let target = rust_text(type_ref(space, target));
            (Kind::Alias { target }, BTreeMap::new())
        }
        TypeKind::Struct(s) => {
            let mut members: BTreeMap<String, Member> = s
                .fields
                .iter()
                .map(|f| {
                    let fixed = is_constant(space, f);
                    let flags = [
                        (f.required && !fixed, Flag::Required),
                        (!f.required, Flag::Optional),
                        (f.nullable, Flag::Nullable),
                        (fixed, Flag::Fixed),
                        (f.docs.deprecated, Flag::Deprecated),
                    ];
                    let member = Member {
                        ty: rust_text(field_type(space, f)),
                        wire: Vec::new(),
                        flags: flags
                            .into_iter()
                            .filter(|(on, _)| *on)
                            .map(|(_, f)| f)
                            .collect(),
                    };
                    (f.name.clone(), member)
                })
                .collect();
            if let Some(value) = &s.additional {
                let value = rust_text(type_ref(space, value));
                let member = Member {
                    ty: format!("BTreeMap<String, {value}>"),
                    wire: Vec::new(),
                    flags: BTreeSet::from([Flag::Additional]),
                };
                members.insert("additional_properties".into(), member);
            }
            let new_args = s
                .fields
                .iter()
                .filter(|f| f.required && !is_constant(space, f))
                .map(|f| f.name.clone())
                .collect();
            (Kind::Struct { new_args }, members)
        }
        TypeKind::StringEnum(values) => (Kind::Enum, values.iter().map(value).collect()),
        TypeKind::Constant(v) => (Kind::Const, BTreeMap::from([value(v)])),
        TypeKind::Tagged(t) => {
            let members = t
                .variants
                .iter()
                .map(|v| variant(&v.name, &v.ty, &v.values))
                .collect();
            (Kind::Tagged { tag: t.tag.clone() }, members)
        }
        TypeKind::Untagged(variants) => {
            let members = variants
                .iter()
                .map(|v| variant(&v.name, &v.ty, &[]))
                .collect();
            (Kind::Untagged, members)
        }
    }
}

/// Short names for the absolute paths emitted code uses; a schema type with one of these
/// names keeps a `types::` prefix so the two never read the same.
const SHORT_PATHS: [(&str, &str); 13] = [
    ("::std::option::Option", "Option"),
    ("::std::string::String", "String"),
    ("::std::vec::Vec", "Vec"),
    ("::std::collections::BTreeMap", "BTreeMap"),
    ("::std::boxed::Box", "Box"),
    ("::serde_json::", "serde_json::"),
    ("crate::runtime::model::InputFile", "InputFile"),
    ("crate::runtime::Json", "Json"),
    ("crate::runtime::Page", "Page"),
    ("crate::runtime::Sse", "Sse"),
    ("crate::runtime::Binary", "Binary"),
    ("crate::runtime::Text", "Text"),
    ("crate::runtime::Empty", "Empty"),
];

/// Emitted tokens (a type, or `name: type`) as a reader writes them: `Option<Vec<Foo>>`.
pub fn rust_text(tokens: TokenStream) -> String {
    let text: String = tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let text = text.replace("crate::types::", "");
    // A lone identifier (not part of a path) is a schema type or a primitive.
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(is_ident_char) {
        let len = rest[start..]
            .find(|c: char| !is_ident_char(c))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + len];
        let in_path = rest[..start].ends_with("::") || rest[start + len..].starts_with("::");
        out.push_str(&rest[..start]);
        let clashes = SHORT_PATHS.iter().any(|(_, short)| *short == word);
        if !in_path && clashes {
            out.push_str("types::");
        }
        out.push_str(word);
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    let mut text = out;
    for (long, short) in SHORT_PATHS {
        text = text.replace(long, short);
    }
    spaced(&text)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A space after each `,` and after a lone `:` (`name: T`), none elsewhere.
fn spaced(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let lone_colon =
            c == ':' && chars.get(i + 1) != Some(&':') && (i == 0 || chars[i - 1] != ':');
        if c == ',' || lone_colon {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn rust_text_shortens_paths_and_keeps_clashing_names_apart() {
        let cases = [
            (
                quote!(::std::option::Option<::std::vec::Vec<Foo>>),
                "Option<Vec<Foo>>",
            ),
            (
                quote!(::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>),
                "BTreeMap<String, serde_json::Value>",
            ),
            (
                quote!(crate::runtime::Page<crate::types::Model>),
                "Page<Model>",
            ),
            (quote!(file_id: &str), "file_id: &str"),
            (quote!(body: crate::types::String), "body: types::String"),
            (
                quote!(::std::option::Option<Option>),
                "Option<types::Option>",
            ),
            (quote!(crate::runtime::model::InputFile), "InputFile"),
        ];
        for (tokens, expected) in cases {
            assert_eq!(rust_text(tokens), expected);
        }
    }
}
