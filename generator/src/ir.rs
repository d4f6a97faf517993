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
    /// An integer of the width its `format` names (`i64` without one).
    Int(IntType),
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

/// The Rust integer for each integer `format` of the OpenAPI Format Registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntType {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl IntType {
    /// The type for `format` (`None` and unknown formats: `i64`, which every JSON integer
    /// an API sends in practice fits).
    pub fn of_format(format: Option<&str>) -> IntType {
        match format {
            Some("int8") => IntType::I8,
            Some("int16") => IntType::I16,
            Some("int32") => IntType::I32,
            Some("uint8") => IntType::U8,
            Some("uint16") => IntType::U16,
            Some("uint32") => IntType::U32,
            Some("uint64") => IntType::U64,
            _ => IntType::I64,
        }
    }

    pub fn rust_name(self) -> &'static str {
        match self {
            IntType::I8 => "i8",
            IntType::I16 => "i16",
            IntType::I32 => "i32",
            IntType::I64 => "i64",
            IntType::U8 => "u8",
            IntType::U16 => "u16",
            IntType::U32 => "u32",
            IntType::U64 => "u64",
        }
    }
}

/// One HTTP operation, as a method on a resource handle.
#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path as written in the spec, fixed query included (`/responses?beta=true`).
    pub path: String,
    /// Resource handle path, e.g. `["chat", "completions"]` (snake_case words).
    pub resource: Vec<String>,
    /// The method name on the resource handle.
    pub name: String,
    pub docs: Docs,
    /// Path parameters, in path order: positional `&str` arguments.
    pub path_params: Vec<Param>,
    /// Query, header and cookie parameters: fields of the `…Params` struct.
    pub params: Vec<Param>,
    /// The generated `…Params` struct, when there are query or header parameters.
    pub params_type: Option<TypeId>,
    pub body: Option<RequestBody>,
    pub response: ResponseKind,
    /// Event type of a `text/event-stream` response (emitted as a `…_stream` method).
    pub stream: Option<TypeRef>,
    /// Documented error responses with a JSON body, in the spec's order.
    pub errors: Vec<ErrorResponse>,
}

/// An error response the operation documents with a JSON schema.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    /// `404`, `4XX` or `default`.
    pub status: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub json_name: String,
    pub name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub style: QueryStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent as `name=value` in the `Cookie` header.
    Cookie,
}

/// How a query parameter is written (OpenAPI `style` + `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    Form,
    FormNoExplode,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub kind: BodyKind,
    pub ty: TypeRef,
    /// The media type as the spec writes it (`application/merge-patch+json`).
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Multipart,
    /// `application/x-www-form-urlencoded`: an object's properties as form fields.
    Form,
    /// Raw text (`String`) or bytes (`Binary`) sent with this content type.
    Raw(String),
}

#[derive(Debug, Clone)]
pub enum ResponseKind {
    Json(TypeRef),
    /// A cursor page of this item type.
    Page(TypeRef),
    Binary,
    Text,
    Empty,
}
