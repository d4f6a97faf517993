//! Brings a raw 3.0 or 3.1 tree into the shape the `openapiv3` (3.0) model reads,
//! without moving any node that a JSON pointer could name.
//!
//! 3.1 idioms rewritten here:
//! - `anyOf`/`oneOf` with a `{type: 'null'}` member → the other members plus `nullable: true`;
//! - `type: [T, 'null']` → `type: T, nullable: true`; `type: [A, B]` → `anyOf` of each type;
//! - `const: v` → `enum: [v]`; `examples: [..]` → `example`;
//! - `$ref` with sibling keywords → `allOf: [{$ref}]` plus the siblings;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum` + boolean form;
//! - top-level `webhooks` → `x-webhooks` so the 3.0 model keeps it.

use serde_json::{Map, Value};

use crate::{SpecVersion, Warning};

pub(crate) fn normalize(root: &mut Value, version: SpecVersion, warnings: &mut Vec<Warning>) {
    if let Some(obj) = root.as_object_mut() {
        if let Some(webhooks) = obj.remove("webhooks") {
            obj.insert("x-webhooks".into(), webhooks);
        }
    }
    walk(root, "#", version, warnings);
}

/// Schema-bearing keys: a value under one of these is a schema (or a map/list of schemas).
fn walk(node: &mut Value, pointer: &str, version: SpecVersion, warnings: &mut Vec<Warning>) {
    match node {
        Value::Object(map) => {
            if looks_like_schema(map) {
                normalize_schema(map, pointer, version, warnings);
            }
            for (key, child) in map.iter_mut() {
                if key == "example" || key == "examples" || key == "default" || key == "enum" {
                    continue;
                }
                let child_ptr = format!("{pointer}/{}", escape(key));
                walk(child, &child_ptr, version, warnings);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &format!("{pointer}/{i}"), version, warnings);
            }
        }
        _ => {}
    }
}

fn looks_like_schema(map: &Map<String, Value>) -> bool {
    const KEYS: &[&str] = &["type", "anyOf", "oneOf", "allOf", "properties", "items", "enum", "const", "nullable"];
    KEYS.iter().any(|k| map.contains_key(*k)) || (map.contains_key("$ref") && map.len() > 1)
}

fn is_null_schema(v: &Value) -> bool {
    match v.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().all(|t| t == "null"),
        _ => v.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().all(Value::is_null)),
    }
}

fn normalize_schema(map: &mut Map<String, Value>, pointer: &str, version: SpecVersion, warnings: &mut Vec<Warning>) {
    // `type: [T, 'null']` and multi-type arrays.
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let non_null: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
        if non_null.len() < types.len() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), non_null[0].clone());
            }
            _ => {
                map.remove("type");
                let variants = non_null.into_iter().map(|t| Value::Object(Map::from_iter([("type".to_string(), t)]))).collect();
                map.insert("anyOf".into(), Value::Array(variants));
            }
        }
    } else if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }

    // `anyOf`/`oneOf` with a null member.
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get(key) else { continue };
        if !members.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = members.iter().filter(|m| !is_null_schema(m)).cloned().collect();
        map.insert("nullable".into(), Value::Bool(true));
        match rest.len() {
            0 => {
                map.remove(key);
            }
            1 if !map.contains_key("allOf") => {
                map.remove(key);
                map.insert("allOf".into(), Value::Array(rest));
            }
            _ => {
                map.insert(key.into(), Value::Array(rest));
            }
        }
    }

    if let Some(value) = map.remove("const") {
        if map.contains_key("enum") {
            warnings.push(Warning { pointer: pointer.into(), message: "both `const` and `enum`; `const` wins".into() });
        }
        if !map.contains_key("type") {
            let ty = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(ty) = ty {
                map.insert("type".into(), Value::String(ty.into()));
            }
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }

    if let Some(Value::Array(examples)) = map.remove("examples") {
        if !map.contains_key("example") {
            if let Some(first) = examples.into_iter().next() {
                map.insert("example".into(), first);
            }
        }
    }

    if map.contains_key("$ref") && map.len() > 1 {
        let reference = map.remove("$ref").unwrap_or(Value::Null);
        let wrapped = Value::Object(Map::from_iter([("$ref".to_string(), reference)]));
        match map.get_mut("allOf") {
            Some(Value::Array(all)) => all.insert(0, wrapped),
            _ => {
                map.insert("allOf".into(), Value::Array(vec![wrapped]));
            }
        }
    }

    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), Value::Number(n));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    // Bounds the 3.0 model cannot hold (beyond i64 for integers) are dropped with a warning.
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        for bound in ["minimum", "maximum", "multipleOf"] {
            if let Some(Value::Number(n)) = map.get(bound) {
                if !n.is_i64() {
                    warnings.push(Warning {
                        pointer: format!("{pointer}/{bound}"),
                        message: format!("integer bound {n} does not fit in i64; ignored"),
                    });
                    map.remove(bound);
                }
            }
        }
    }
    let _ = version;
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
