//! The intermediate model between OpenAPI and Rust tokens: an arena of named types.
//! It knows nothing of `quote` and nothing of the raw OpenAPI document.

/// Index of a [`TypeDef`] in [`TypeSpace::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Every named type of a generated crate.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    pub types: Vec<TypeDef>,
}

impl TypeSpace {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// One named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, unique in the crate.
    pub name: String,
    /// JSON pointer of the schema this type came from.
    pub origin: String,
    pub docs: Docs,
    pub kind: TypeKind,
}

/// Documentation carried from the spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub default: Option<serde_json::Value>,
    /// Where a field merged by `allOf` came from (the schema's name).
    pub from: Option<String>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    /// `pub type Name = Target;`
    Alias(TypeRef),
    Struct(Struct),
    /// An open string enum: known values plus a catch-all that keeps unknown ones.
    StringEnum(Vec<EnumValue>),
    /// A single-value enum (`const`): a type tag such as `type: "message"`. Strict, so that
    /// a union can tell its members apart; unknown tags are kept one level up, by the
    /// union's `Unknown` variant.
    Constant(EnumValue),
    /// A union told apart by the string value of one property.
    Tagged(Tagged),
    /// A union told apart by trying each variant in order.
    Untagged(Vec<Variant>),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to declared properties: collected into a map field.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The name on the wire.
    pub json_name: String,
    /// The Rust field name.
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// The field's fields sit at this level of the JSON object (`#[serde(flatten)]`):
    /// an `allOf` member that is a union rather than an object.
    pub flatten: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub value: String,
    pub variant: String,
}

#[derive(Debug, Clone)]
pub struct Tagged {
    /// The JSON property holding the tag.
    pub tag: String,
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone)]
pub struct TaggedVariant {
    pub name: String,
    /// Tag values selecting this variant (a discriminator mapping may give several).
    pub values: Vec<String>,
    pub ty: TypeRef,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub ty: TypeRef,
    pub docs: Docs,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Bool,
    I32,
    I64,
    F64,
    /// A file or other binary value (`format: binary`).
    Binary,
    /// Any JSON value.
    Json,
    /// A JSON object with unknown keys.
    JsonObject,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Indirection that breaks a cycle of direct containment.
    Boxed(Box<TypeRef>),
}
