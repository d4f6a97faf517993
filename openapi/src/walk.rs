//! Where things are in an OpenAPI document: which nodes are schemas, parameters, responses…
//!
//! Passes that rewrite or check the tree walk it with [`document`], which knows the
//! structure of OpenAPI 3.0/3.1, instead of guessing from a node's keys. Guessing breaks on
//! ordinary documents: a schema with a property called `type`, `default` or `example`
//! looks like something else, and an example payload can contain a `$ref` key that is data.
//!
//! **Invariant:** literal values (`example`, `examples[*].value`, `default`, `enum`, `const`,
//! and every `x-` extension) are never visited.

use serde_json::{Map, Value};

use crate::pointer::join;

/// What a node of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Schema,
    Parameter,
    Header,
    RequestBody,
    Response,
    Example,
    Link,
    Callback,
    PathItem,
    SecurityScheme,
}

impl Kind {
    /// The `components` section that holds named objects of this kind.
    pub(crate) fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::PathItem => "pathItems",
            Kind::SecurityScheme => "securitySchemes",
        }
    }

    pub(crate) const COMPONENTS: [Kind; 10] = [
        Kind::Schema,
        Kind::Response,
        Kind::Parameter,
        Kind::Example,
        Kind::RequestBody,
        Kind::Header,
        Kind::SecurityScheme,
        Kind::Link,
        Kind::Callback,
        Kind::PathItem,
    ];
}

/// A visitor's answer for one node.
pub(crate) type Visit<'f, E> = dyn FnMut(&mut Value, &str, Kind) -> Result<(), E> + 'f;

pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `f` on every place of the whole document that holds an object of a known kind (or a
/// `$ref` to one), parents before children. `f` may replace the node; the walk then goes on
/// into the new node. References and schemas are not entered: a schema's inside is walked by
/// [`subschemas`].
pub(crate) fn document<E>(root: &mut Value, f: &mut Visit<'_, E>) -> Result<(), E> {
    let Value::Object(doc) = root else {
        return Ok(());
    };
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        each_entry(paths, "#/paths", Kind::PathItem, f)?;
    }
    if let Some(Value::Object(hooks)) = doc.get_mut("webhooks") {
        each_entry(hooks, "#/webhooks", Kind::PathItem, f)?;
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        for kind in Kind::COMPONENTS {
            if let Some(Value::Object(section)) = components.get_mut(kind.section()) {
                let ptr = format!("#/components/{}", kind.section());
                each_entry(section, &ptr, kind, f)?;
            }
        }
    }
    Ok(())
}

/// Walks one node of a known kind at `ptr` and everything below it.
pub(crate) fn slot<E>(
    node: &mut Value,
    ptr: &str,
    kind: Kind,
    f: &mut Visit<'_, E>,
) -> Result<(), E> {
    f(node, ptr, kind)?;
    let Value::Object(map) = node else {
        return Ok(());
    };
    if kind == Kind::Schema || is_reference(map) {
        return Ok(());
    }
    match kind {
        Kind::Parameter | Kind::Header => {
            child(map, ptr, "schema", Kind::Schema, f)?;
            content(map, ptr, f)?;
            examples(map, ptr, f)?;
        }
        Kind::RequestBody => content(map, ptr, f)?,
        Kind::Response => {
            entries(map, ptr, "headers", Kind::Header, f)?;
            content(map, ptr, f)?;
            entries(map, ptr, "links", Kind::Link, f)?;
        }
        Kind::Callback => each_entry(map, ptr, Kind::PathItem, f)?,
        Kind::PathItem => {
            list(map, ptr, "parameters", Kind::Parameter, f)?;
            for method in METHODS {
                if let Some(Value::Object(op)) = map.get_mut(method) {
                    operation(op, &join(ptr, method), f)?;
                }
            }
        }
        Kind::Schema | Kind::Example | Kind::Link | Kind::SecurityScheme => {}
    }
    Ok(())
}

fn operation<E>(op: &mut Map<String, Value>, ptr: &str, f: &mut Visit<'_, E>) -> Result<(), E> {
    list(op, ptr, "parameters", Kind::Parameter, f)?;
    child(op, ptr, "requestBody", Kind::RequestBody, f)?;
    entries(op, ptr, "responses", Kind::Response, f)?;
    entries(op, ptr, "callbacks", Kind::Callback, f)
}

fn content<E>(map: &mut Map<String, Value>, ptr: &str, f: &mut Visit<'_, E>) -> Result<(), E> {
    let Some(Value::Object(content)) = map.get_mut("content") else {
        return Ok(());
    };
    let ptr = join(ptr, "content");
    for (media_type, media) in content.iter_mut() {
        let Value::Object(media) = media else {
            continue;
        };
        let ptr = join(&ptr, media_type);
        child(media, &ptr, "schema", Kind::Schema, f)?;
        examples(media, &ptr, f)?;
        if let Some(Value::Object(encodings)) = media.get_mut("encoding") {
            let ptr = join(&ptr, "encoding");
            for (name, encoding) in encodings.iter_mut() {
                if let Value::Object(encoding) = encoding {
                    entries(encoding, &join(&ptr, name), "headers", Kind::Header, f)?;
                }
            }
        }
    }
    Ok(())
}

/// `examples` of a media type or parameter: a map of Example objects. (The schema keyword
/// `examples` is a list of literal values and is never walked.)
fn examples<E>(map: &mut Map<String, Value>, ptr: &str, f: &mut Visit<'_, E>) -> Result<(), E> {
    entries(map, ptr, "examples", Kind::Example, f)
}

fn child<E>(
    map: &mut Map<String, Value>,
    ptr: &str,
    key: &str,
    kind: Kind,
    f: &mut Visit<'_, E>,
) -> Result<(), E> {
    match map.get_mut(key) {
        Some(node) => slot(node, &join(ptr, key), kind, f),
        None => Ok(()),
    }
}

fn entries<E>(
    map: &mut Map<String, Value>,
    ptr: &str,
    key: &str,
    kind: Kind,
    f: &mut Visit<'_, E>,
) -> Result<(), E> {
    match map.get_mut(key) {
        Some(Value::Object(inner)) => each_entry(inner, &join(ptr, key), kind, f),
        _ => Ok(()),
    }
}

fn each_entry<E>(
    map: &mut Map<String, Value>,
    ptr: &str,
    kind: Kind,
    f: &mut Visit<'_, E>,
) -> Result<(), E> {
    for (key, node) in map.iter_mut() {
        if !key.starts_with("x-") {
            slot(node, &join(ptr, key), kind, f)?;
        }
    }
    Ok(())
}

fn list<E>(
    map: &mut Map<String, Value>,
    ptr: &str,
    key: &str,
    kind: Kind,
    f: &mut Visit<'_, E>,
) -> Result<(), E> {
    if let Some(Value::Array(items)) = map.get_mut(key) {
        let ptr = join(ptr, key);
        for (i, node) in items.iter_mut().enumerate() {
            slot(node, &format!("{ptr}/{i}"), kind, f)?;
        }
    }
    Ok(())
}

/// A Reference Object: `{$ref: "..."}` in a place that is not a schema.
pub(crate) fn is_reference(map: &Map<String, Value>) -> bool {
    matches!(map.get("$ref"), Some(Value::String(_)))
}

/// How a subschema sits in its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Anywhere a schema is a plain object (or a boolean that means `{}` / `{not: {}}`).
    Plain,
    /// `items`: a boolean here is handled by the parent (`items: false` bounds the length).
    Items,
    /// `additionalProperties`: the 3.0 model keeps a boolean here as it is.
    AdditionalProperties,
}

/// Keywords whose value is a map of name → schema.
pub(crate) const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is a list of schemas.
pub(crate) const SCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value is one schema.
pub(crate) const SCHEMA_ONE: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "additionalItems",
];

/// Calls `f(child, child_pointer, role)` on every direct subschema of a schema object.
pub(crate) fn subschemas<E>(
    map: &mut Map<String, Value>,
    ptr: &str,
    f: &mut dyn FnMut(&mut Value, &str, Role) -> Result<(), E>,
) -> Result<(), E> {
    for (key, value) in map.iter_mut() {
        let key = key.as_str();
        if SCHEMA_ONE.contains(&key) {
            match value {
                // Draft-04 tuple form `items: [A, B]`.
                Value::Array(items) if key == "items" => {
                    let ptr = join(ptr, key);
                    for (i, item) in items.iter_mut().enumerate() {
                        f(item, &format!("{ptr}/{i}"), Role::Plain)?;
                    }
                }
                _ => {
                    let role = match key {
                        "items" => Role::Items,
                        "additionalProperties" => Role::AdditionalProperties,
                        _ => Role::Plain,
                    };
                    f(value, &join(ptr, key), role)?;
                }
            }
        } else if SCHEMA_LISTS.contains(&key) {
            if let Value::Array(items) = value {
                let ptr = join(ptr, key);
                for (i, item) in items.iter_mut().enumerate() {
                    f(item, &format!("{ptr}/{i}"), Role::Plain)?;
                }
            }
        } else if SCHEMA_MAPS.contains(&key)
            && let Value::Object(entries) = value
        {
            let ptr = join(ptr, key);
            for (name, item) in entries.iter_mut() {
                f(item, &join(&ptr, name), Role::Plain)?;
            }
        }
    }
    Ok(())
}

/// A visitor of schema objects.
pub(crate) type VisitSchema<'f, E> = dyn FnMut(&mut Map<String, Value>, &str) -> Result<(), E> + 'f;

/// Calls `f` on every schema object in the schema tree at `node`, parents first.
pub(crate) fn schema_tree<E>(
    node: &mut Value,
    ptr: &str,
    f: &mut VisitSchema<'_, E>,
) -> Result<(), E> {
    let Value::Object(map) = node else {
        return Ok(());
    };
    f(map, ptr)?;
    subschemas(map, ptr, &mut |child, child_ptr, _| {
        schema_tree(child, child_ptr, f)
    })
}
