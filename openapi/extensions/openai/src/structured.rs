//! Structured outputs: the JSON schema of a Rust type, in the subset the API's strict mode
//! accepts, and the model's reply parsed back into that type. Feature `structured-outputs`
//! (it brings `schemars`).
//!
//! [`StructuredSchema::of`] makes the schema, [`StructuredSchema::response_format`] (chat) or
//! [`StructuredSchema::text_format`] (Responses API) puts it in a request, and `parsed()` on
//! the reply reads it back (the crate's README and `examples/structured_output.rs` show it
//! whole).
//!
//! **Strict subset.** Every object lists all its properties in `required` and has
//! `additionalProperties: false`; a property that was optional becomes nullable, and a
//! `null` in the reply reads as absent again (`None`, or the field's `#[serde(default)]`).
//! `$defs` and `$ref`s are kept (recursive types work); `oneOf` becomes `anyOf`. Keywords
//! strict mode rejects (`default`, `minLength`, `uniqueItems`, most `format`s, …) are left
//! out of the schema; the reply is still checked against the Rust type when it is parsed.
//! What strict mode cannot express at all is a [`SchemaError`] naming where it is: maps
//! (`HashMap`, `additionalProperties` with a schema), tuples, `allOf` of several schemas,
//! and a root that is not an object.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Keywords strict mode accepts; everything else is left out of the schema.
const KEPT: [&str; 19] = [
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "$ref",
    "$defs",
    "description",
    "title",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// String formats strict mode accepts.
const FORMATS: [&str; 9] = [
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
];

/// A JSON schema in the API's strict subset, with the name the API shows the model.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredSchema {
    /// `^[a-zA-Z0-9_-]{1,64}$`; from the type's schema name unless set.
    pub name: String,
    pub description: Option<String>,
    pub schema: Map<String, Value>,
}

/// A type whose schema strict mode cannot express, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// A JSON pointer into the schema `schemars` made (`#/$defs/Inner/properties/tags`).
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for SchemaError {}

/// Why a reply is not a value of the type asked for.
#[derive(Debug)]
#[non_exhaustive]
pub enum StructuredOutputError {
    /// The model refused; its explanation.
    Refusal(String),
    /// The reply stopped before it was whole (`finish_reason: length` or
    /// `content_filter`, or an incomplete response); the reason.
    Truncated(String),
    /// The reply has no text to parse.
    NoContent,
    /// The text does not parse as the type.
    Mismatch {
        error: serde_json::Error,
        /// The reply as the model sent it.
        content: String,
    },
}

impl std::fmt::Display for StructuredOutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StructuredOutputError::Refusal(why) => write!(f, "the model refused: {why}"),
            StructuredOutputError::Truncated(why) => {
                write!(f, "the reply stopped before it was whole ({why})")
            }
            StructuredOutputError::NoContent => write!(f, "the reply has no content"),
            StructuredOutputError::Mismatch { error, .. } => {
                write!(f, "the reply does not parse as the requested type: {error}")
            }
        }
    }
}

impl std::error::Error for StructuredOutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StructuredOutputError::Mismatch { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// The schema `schemars` makes for `T` (draft 2020-12, definitions under `$defs`).
fn raw_schema<T: JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

impl StructuredSchema {
    /// The strict schema of `T`, named after it.
    ///
    /// # Errors
    ///
    /// [`SchemaError`] when strict mode cannot express `T` (see the module docs).
    pub fn of<T: JsonSchema>() -> Result<StructuredSchema, SchemaError> {
        let raw = raw_schema::<T>();
        let mut schema = strict(&raw, "#")?;
        if schema.get("type") != Some(&Value::from("object")) {
            return Err(SchemaError {
                pointer: "#".into(),
                message: "the root must be an object: wrap the type in a struct".into(),
            });
        }
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(object) = schema.as_object_mut() {
            object.remove("title");
        }
        let Value::Object(schema) = schema else {
            return Err(SchemaError {
                pointer: "#".into(),
                message: "the schema is not an object".into(),
            });
        };
        Ok(StructuredSchema {
            name: api_name(&T::schema_name()),
            description,
            schema,
        })
    }

    /// Renames the schema (the API shows the name to the model).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Describes what the output is for (shown to the model).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The chat completion `response_format` that asks for this schema, strictly.
    #[cfg(feature = "chat")]
    pub fn response_format(&self) -> crate::types::CreateChatCompletionRequestResponseFormat {
        use crate::types::{ResponseFormatJsonSchema, ResponseFormatJsonSchemaJsonSchema};
        let mut inner = ResponseFormatJsonSchemaJsonSchema::new(self.name.clone())
            .schema(self.schema.clone())
            .strict(true);
        inner.description = self.description.clone();
        crate::types::CreateChatCompletionRequestResponseFormat::JsonSchema(
            ResponseFormatJsonSchema::new(inner),
        )
    }

    /// The Responses API `text` parameter that asks for this schema, strictly.
    #[cfg(feature = "responses")]
    pub fn text_format(&self) -> crate::types::ResponseTextParam {
        use crate::types::{
            ResponseTextParam, TextResponseFormatConfiguration, TextResponseFormatJsonSchema,
        };
        let mut format =
            TextResponseFormatJsonSchema::new(self.name.clone(), self.schema.clone()).strict(true);
        format.description = self.description.clone();
        ResponseTextParam::new().format(TextResponseFormatConfiguration::JsonSchema(format))
    }
}

/// A name the API accepts: letters, digits, `_` and `-`, at most 64 characters.
fn api_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if out.is_empty() {
        out.push_str("output");
    }
    out
}

/// `schema` in the strict subset; `pointer` is where it is in the whole, for errors.
fn strict(schema: &Value, pointer: &str) -> Result<Value, SchemaError> {
    let error = |message: &str| SchemaError {
        pointer: pointer.to_owned(),
        message: message.to_owned(),
    };
    let object = match schema {
        Value::Object(object) => object,
        Value::Bool(true) => {
            return Err(error(
                "any value (`serde_json::Value`, `true`) has no schema in strict mode",
            ));
        }
        _ => return Err(error("not a schema")),
    };
    if object.contains_key("prefixItems") {
        return Err(error(
            "tuples (`prefixItems`) are not allowed in strict mode",
        ));
    }
    let mut out = Map::new();
    for (key, value) in object {
        let at = |k: &str| format!("{pointer}/{}", escape(k));
        match key.as_str() {
            "allOf" => {
                let [only] = value.as_array().map(Vec::as_slice).unwrap_or_default() else {
                    return Err(SchemaError {
                        pointer: at(key),
                        message: "`allOf` of several schemas is not allowed in strict mode".into(),
                    });
                };
                if let Value::Object(merged) = strict(only, &format!("{}/0", at(key)))? {
                    out.extend(merged);
                }
            }
            "anyOf" | "oneOf" => {
                let variants = value.as_array().map(Vec::as_slice).unwrap_or_default();
                let variants = variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| strict(v, &format!("{}/{i}", at(key))))
                    .collect::<Result<Vec<_>, _>>()?;
                out.insert("anyOf".into(), Value::Array(variants));
            }
            "properties" | "$defs" => {
                let mut map = Map::new();
                for (name, sub) in value.as_object().into_iter().flatten() {
                    map.insert(
                        name.clone(),
                        strict(sub, &format!("{}/{}", at(key), escape(name)))?,
                    );
                }
                out.insert(key.clone(), Value::Object(map));
            }
            "items" => {
                out.insert(key.clone(), strict(value, &at(key))?);
            }
            "additionalProperties" if value != &Value::Bool(false) => {
                return Err(SchemaError {
                    pointer: at(key),
                    message: "maps (`additionalProperties` other than `false`) are not allowed \
                              in strict mode: use a struct or a list of pairs"
                        .into(),
                });
            }
            "format" if value.as_str().is_some_and(|f| FORMATS.contains(&f)) => {
                out.insert(key.clone(), value.clone());
            }
            // `additionalProperties: false` is set again below on every object.
            "additionalProperties" | "format" => {}
            k if KEPT.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    let is_object =
        out.get("type") == Some(&Value::from("object")) || out.contains_key("properties");
    if is_object {
        let required: Vec<String> = object
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let properties = match out.remove("properties") {
            Some(Value::Object(properties)) => properties,
            _ => Map::new(),
        };
        let mut all = Vec::with_capacity(properties.len());
        let mut strict_properties = Map::new();
        for (name, schema) in properties {
            let schema = if required.contains(&name) {
                schema
            } else {
                nullable(schema)
            };
            all.push(Value::String(name.clone()));
            strict_properties.insert(name, schema);
        }
        out.insert("type".into(), Value::from("object"));
        out.insert("properties".into(), Value::Object(strict_properties));
        out.insert("required".into(), Value::Array(all));
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Ok(Value::Object(out))
}

/// `schema`, also accepting `null`.
fn nullable(schema: Value) -> Value {
    if allows_null(&schema, None) {
        return schema;
    }
    let Value::Object(mut object) = schema else {
        return schema;
    };
    let plain = !object.contains_key("enum") && !object.contains_key("const");
    match object.get_mut("type") {
        Some(Value::String(ty)) if plain => {
            let ty = std::mem::take(ty);
            object.insert("type".into(), Value::from(vec![ty, "null".to_owned()]));
            Value::Object(object)
        }
        Some(Value::Array(types)) if plain => {
            types.push(Value::from("null"));
            Value::Object(object)
        }
        _ => {
            let description = object.remove("description");
            let mut wrapper = Map::new();
            if let Some(description) = description {
                wrapper.insert("description".into(), description);
            }
            wrapper.insert(
                "anyOf".into(),
                Value::Array(vec![
                    Value::Object(object),
                    serde_json::json!({ "type": "null" }),
                ]),
            );
            Value::Object(wrapper)
        }
    }
}

/// Whether `schema` (with `$ref`s looked up in `root`'s `$defs` when given) accepts `null`.
fn allows_null(schema: &Value, root: Option<&Value>) -> bool {
    let Some(object) = schema.as_object() else {
        return schema == &Value::Bool(true);
    };
    if let (Some(root), Some(target)) = (root, object.get("$ref").and_then(Value::as_str)) {
        return resolve(root, target).is_some_and(|s| allows_null(s, Some(root)));
    }
    let null = Value::Null;
    object.is_empty()
        || object.get("type") == Some(&Value::from("null"))
        || object
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.contains(&Value::from("null")))
        || object.get("const") == Some(&null)
        || object
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.contains(&null))
        || ["anyOf", "oneOf"].iter().any(|k| {
            object
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().any(|s| allows_null(s, root)))
        })
}

/// The schema a local `$ref` (`#/$defs/Name`) names.
fn resolve<'a>(root: &'a Value, target: &str) -> Option<&'a Value> {
    root.pointer(target.strip_prefix('#')?)
}

fn escape(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

/// Removes the `null`s strict mode made the model send for properties that were optional,
/// so that they read as absent; `schema` is the original (non-strict) schema of `value`.
fn drop_optional_nulls(value: &mut Value, schema: &Value, root: &Value, depth: usize) {
    if depth > 64 {
        return;
    }
    let Some(object) = schema.as_object() else {
        return;
    };
    if let Some(target) = object.get("$ref").and_then(Value::as_str) {
        if let Some(target) = resolve(root, target) {
            drop_optional_nulls(value, target, root, depth + 1);
        }
        return;
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for alternative in object
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if key == "allOf" || fits(value, alternative, root) {
                drop_optional_nulls(value, alternative, root, depth + 1);
                if key != "allOf" {
                    break;
                }
            }
        }
    }
    match value {
        Value::Object(fields) => {
            let Some(properties) = object.get("properties").and_then(Value::as_object) else {
                return;
            };
            let required = object.get("required").and_then(Value::as_array);
            let is_required = |name: &str| required.is_some_and(|r| r.contains(&Value::from(name)));
            fields.retain(|name, field| {
                !(field.is_null()
                    && !is_required(name)
                    && properties
                        .get(name)
                        .is_some_and(|schema| !allows_null(schema, Some(root))))
            });
            for (name, field) in fields.iter_mut() {
                if let Some(schema) = properties.get(name) {
                    drop_optional_nulls(field, schema, root, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(schema) = object.get("items") {
                for item in items {
                    drop_optional_nulls(item, schema, root, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Whether `value` can be the alternative `schema` of a union: an object with its required
/// properties and its constant (tag) values.
fn fits(value: &Value, schema: &Value, root: &Value) -> bool {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(target) => match resolve(root, target) {
            Some(target) => target,
            None => return false,
        },
        None => schema,
    };
    let Some(fields) = value.as_object() else {
        return schema.get("properties").is_none();
    };
    let required = schema.get("required").and_then(Value::as_array);
    let has_required = required
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .all(|name| fields.contains_key(name));
    let tags_match = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .all(
            |(name, property)| match (property.get("const"), fields.get(name)) {
                (Some(constant), Some(field)) => constant == field,
                _ => true,
            },
        );
    schema.get("properties").is_some() && has_required && tags_match
}

/// Parses the text of a reply as `T`, reading the `null`s of optional properties as absent.
///
/// # Errors
///
/// [`StructuredOutputError::Mismatch`] when the text is not a `T`.
pub fn parse<T: JsonSchema + DeserializeOwned>(content: &str) -> Result<T, StructuredOutputError> {
    let mismatch = |error| StructuredOutputError::Mismatch {
        error,
        content: content.to_owned(),
    };
    let mut value: Value = serde_json::from_str(content).map_err(mismatch)?;
    let schema = raw_schema::<T>();
    drop_optional_nulls(&mut value, &schema, &schema, 0);
    serde_json::from_value(value).map_err(mismatch)
}

#[cfg(feature = "chat")]
impl crate::types::CreateChatCompletionResponse {
    /// The first choice's reply parsed as `T` (asked for with
    /// [`StructuredSchema::response_format`]).
    ///
    /// # Errors
    ///
    /// A [`StructuredOutputError`] when the model refused, the reply was cut short, has no
    /// content or is not a `T`.
    pub fn parsed<T: JsonSchema + DeserializeOwned>(&self) -> Result<T, StructuredOutputError> {
        use crate::types::CreateChatCompletionResponseChoicesItemFinishReason as Reason;
        let choice = self
            .choices
            .first()
            .ok_or(StructuredOutputError::NoContent)?;
        if let Some(refusal) = &choice.message.refusal {
            return Err(StructuredOutputError::Refusal(refusal.clone()));
        }
        match &choice.finish_reason {
            Reason::Length => {
                return Err(StructuredOutputError::Truncated(
                    "`finish_reason: length`: the reply reached the token limit".into(),
                ));
            }
            Reason::ContentFilter => {
                return Err(StructuredOutputError::Truncated(
                    "`finish_reason: content_filter`: the reply was filtered".into(),
                ));
            }
            _ => {}
        }
        let content = choice
            .message
            .content
            .as_deref()
            .ok_or(StructuredOutputError::NoContent)?;
        parse(content)
    }
}

#[cfg(feature = "responses")]
impl crate::types::Response {
    /// The response's text output parsed as `T` (asked for with
    /// [`StructuredSchema::text_format`]).
    ///
    /// # Errors
    ///
    /// A [`StructuredOutputError`] when the model refused, the response is incomplete, has
    /// no text or the text is not a `T`.
    pub fn parsed<T: JsonSchema + DeserializeOwned>(&self) -> Result<T, StructuredOutputError> {
        use crate::types::{OutputItem, OutputMessageContent, ResponseStatus};
        if self.status == Some(ResponseStatus::Incomplete) {
            let reason = self
                .incomplete_details
                .as_ref()
                .and_then(|d| d.reason.as_ref())
                .map_or_else(|| "no reason given".to_owned(), |r| format!("{r:?}"));
            return Err(StructuredOutputError::Truncated(format!(
                "the response is incomplete: {reason}"
            )));
        }
        let mut text = String::new();
        for item in &self.output {
            let OutputItem::Message(message) = item else {
                continue;
            };
            for part in &message.content {
                match part {
                    OutputMessageContent::Refusal(refusal) => {
                        return Err(StructuredOutputError::Refusal(refusal.refusal.clone()));
                    }
                    OutputMessageContent::OutputText(part) => text.push_str(&part.text),
                    _ => {}
                }
            }
        }
        if text.is_empty() {
            return Err(StructuredOutputError::NoContent);
        }
        parse(&text)
    }
}
