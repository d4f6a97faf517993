//! Structure-aware edits of a document tree, and a few of its text.

use serde_json::{Map, Value, json};

use crate::rng::Rng;

/// Every node's pointer (`/a/b`, `` for the root), parents first.
pub fn pointers(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(v, String::new(), &mut out);
    out
}

fn collect(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                collect(child, format!("{at}/{}", escape(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Names that break naive identifier handling.
const HOSTILE_NAMES: &[&str] = &[
    "",
    " ",
    "type",
    "Self",
    "self",
    "Result",
    "Option",
    "Box",
    "String",
    "crate",
    "super",
    "1024x1024",
    "24h",
    "+1",
    "-1",
    "_",
    "__",
    "a b",
    "a.b",
    "a/b",
    "a~b",
    "ünïcödé",
    "🦀",
    "FooBar",
    "foo_bar",
    "foo-bar",
    "FOO_BAR",
    "$ref",
    "#",
    "{",
    "}",
    "\"",
    "\\",
    "\n",
    "\t",
    "r#type",
    "'",
    "`",
    "0",
    "None",
    "Some",
    "Ok",
    "Err",
    "async",
    "await",
    "dyn",
    "fn",
];

/// Prose that breaks naive doc-comment, string-literal and markdown handling.
const HOSTILE_TEXT: &[&str] = &[
    "```",
    "```rust\nfn main() { panic!() }\n```",
    "    indented code",
    "[link",
    "]]",
    "[a]: b",
    "<b>",
    "</",
    "*/",
    "/*",
    "#[doc = \"x\"]",
    "\r\n",
    "\\",
    "\u{0}",
    "line\n\n\n- item\n  cont",
    "](/docs/x)",
    "[guide](/docs/x)",
    "https://example.com/a_(b)",
    "<https://x>",
    "`",
    "\"#",
    "r#\"",
    "{{}}",
    "%s",
    "\u{202e}rtl",
    "🦀🦀",
    "\u{feff}",
    "a\tb",
    "> quote",
    "# Heading",
    "| a | b |\n|---|---|",
    "~~~\ncode",
    "1. one\n2) two",
    "<!-- -->",
    "&amp;",
    "@deprecated",
];

fn hostile_value(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1.5),
        4 => json!(1e300),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 if rng.chance(50) => json!(rng.pick(HOSTILE_TEXT)),
        7 => json!(rng.pick(HOSTILE_NAMES)),
        8 => json!([]),
        9 => json!({}),
        10 => json!([null, {}, "x", 1]),
        11 => json!("x".repeat(rng.below(3000))),
        12 => json!({"type": rng.pick(&["string", "integer", "object", "array", "null", "nope"])}),
        _ => json!(["string", "null", 3]),
    }
}

/// A schema keyword (or another OpenAPI field) with a value that is plausible or not.
fn keyword(rng: &mut Rng, doc: &Value) -> (String, Value) {
    let component = random_component_ref(rng, doc);
    let name = rng.pick(HOSTILE_NAMES).to_string();
    let choices: Vec<(&str, Value)> = vec![
        (
            "type",
            json!(rng.pick(&[
                "string", "integer", "number", "boolean", "object", "array", "null", "file"
            ])),
        ),
        ("type", json!(["string", "null"])),
        ("type", json!(["integer", "object", "array"])),
        ("enum", json!(["a", "b", 1, null])),
        ("enum", json!([name.clone(), "", "1024x1024", "+1", "-1"])),
        ("enum", json!([1, 2, 3])),
        ("enum", json!([true])),
        ("enum", json!([[1], {"a": 1}])),
        ("const", json!(name.clone())),
        (
            "allOf",
            json!([{"$ref": component.clone()}, {"type": "object", "properties": {name.clone(): {"type": "string"}}}]),
        ),
        (
            "oneOf",
            json!([{"$ref": component.clone()}, {"type": "string"}, {"type": "null"}]),
        ),
        (
            "anyOf",
            json!([{"type": "string"}, {"type": "string", "enum": ["x", name.clone()]}]),
        ),
        ("oneOf", json!([])),
        ("not", json!({"type": "string"})),
        (
            "discriminator",
            json!({"propertyName": name.clone(), "mapping": {"x": component.clone()}}),
        ),
        ("nullable", json!(true)),
        ("additionalProperties", json!(false)),
        ("additionalProperties", json!({"$ref": component.clone()})),
        ("items", json!({"$ref": component.clone()})),
        ("items", json!([{"type": "string"}])),
        (
            "prefixItems",
            json!([{"type": "string"}, {"type": "integer"}]),
        ),
        ("required", json!([name.clone(), name.clone()])),
        (
            "properties",
            json!({name.clone(): {"$ref": component.clone()}, "FooBar": {}, "foo_bar": {}}),
        ),
        (
            "format",
            json!(rng.pick(&[
                "binary",
                "int32",
                "int64",
                "date-time",
                "byte",
                "uuid",
                "weird"
            ])),
        ),
        ("default", json!({"a": [1, 2]})),
        (
            "in",
            json!(rng.pick(&["path", "query", "header", "cookie", "body", "formData"])),
        ),
        (
            "style",
            json!(rng.pick(&[
                "form",
                "deepObject",
                "pipeDelimited",
                "spaceDelimited",
                "matrix",
                "label",
                "simple",
                "bogus"
            ])),
        ),
        ("explode", json!(rng.chance(50))),
        (
            "content",
            json!({rng.pick(&["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "application/problem+json", "text/event-stream", "application/octet-stream", "*/*"]).to_string(): {"schema": {"$ref": component.clone()}}}),
        ),
        ("operationId", json!(name.clone())),
        ("name", json!(name.clone())),
        ("$ref", json!(component.clone())),
        (
            "callbacks",
            json!({"cb": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}),
        ),
        (
            "webhooks",
            json!({name.clone(): {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": component}}}}, "responses": {"200": {"description": "ok"}}}}}),
        ),
        ("x-stainless", json!({"$ref": "#/nowhere"})),
        ("description", json!(rng.pick(HOSTILE_TEXT))),
        ("summary", json!(rng.pick(HOSTILE_TEXT))),
        ("title", json!(rng.pick(HOSTILE_TEXT))),
        ("deprecated", json!(true)),
        ("example", json!({name.clone(): [1, "x", null]})),
        ("examples", json!([rng.pick(HOSTILE_TEXT), 1])),
        (
            "examples",
            json!({"e": {"value": {"a": rng.pick(HOSTILE_TEXT)}}}),
        ),
        (
            "servers",
            json!([{"url": rng.pick(&["{scheme}://x/{v}", "", "/relative", "http://[::1]:8080/v1/", "not a url"])}]),
        ),
        (
            "info",
            json!({"title": rng.pick(HOSTILE_TEXT), "version": rng.pick(HOSTILE_NAMES)}),
        ),
        (
            "securitySchemes",
            json!({"k": {"type": "apiKey", "in": "header", "name": rng.pick(HOSTILE_NAMES)}}),
        ),
        (
            "x-oaiMeta",
            json!({"name": name.clone(), "examples": {"request": {"curl": "x"}, "response": rng.pick(HOSTILE_TEXT)}}),
        ),
    ];
    let (k, v) = choices[rng.below(choices.len())].clone();
    (k.to_owned(), v)
}

/// A `$ref` target: an existing component (the usual case), or any node (cycles,
/// self-references, non-schemas), or one that cannot be followed.
fn ref_target(rng: &mut Rng, doc: &Value, here: &str, all: &[String]) -> String {
    match rng.below(10) {
        0..=3 => random_component_ref(rng, doc),
        4 => format!("#{here}"),
        5 => format!("#{}", here.rsplit_once('/').map_or("", |(p, _)| p)),
        6 => format!("#{}", rng.pick(all)),
        7 => "#/components/schemas/Missing".into(),
        8 => rng
            .pick(&[
                "#",
                "#anchor",
                "http://example.com/a.yaml#/A",
                "//host/x",
                "./missing.yaml#/A",
                "#/components/schemas/a%20b",
                "#/paths/~1x",
            ])
            .to_string(),
        _ => format!("#/components/schemas/{}", rng.pick(HOSTILE_NAMES)),
    }
}

fn random_component_ref(rng: &mut Rng, doc: &Value) -> String {
    let section = *rng.pick(&[
        "schemas",
        "schemas",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
    ]);
    match doc
        .pointer(&format!("/components/{section}"))
        .and_then(Value::as_object)
    {
        Some(map) if !map.is_empty() => {
            let names: Vec<&String> = map.keys().collect();
            format!(
                "#/components/{section}/{}",
                escape(rng.pick::<&String>(&names))
            )
        }
        _ => "#/components/schemas/Missing".into(),
    }
}

const PATH_TEMPLATES: &[&str] = &[
    "/{id}/{id}",
    "/{}",
    "/a/{b",
    "/{ä}",
    "/x/{type}",
    "",
    "no-slash",
    "/{self}",
    "/a?b=c",
    "/{a}.{b}",
    "/🦀/{🦀}",
    "/files/{name}.json",
    "/",
    "//",
    "/{Self}/{self}",
    "/a/{a b}",
];

/// Applies one random edit.
pub fn mutate(doc: &mut Value, rng: &mut Rng, donors: &[(String, Value)]) {
    let all = pointers(doc);
    let at = rng.pick(&all).clone();
    match rng.below(11) {
        // Delete the node.
        0 | 1 => {
            if let Some((parent, key)) = at.rsplit_once('/') {
                let key = key.replace("~1", "/").replace("~0", "~");
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(&key);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = key.parse::<usize>()
                            && i < items.len()
                        {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
        // A hostile value.
        2 => {
            let value = hostile_value(rng);
            if let Some(node) = doc.pointer_mut(&at) {
                *node = value;
            }
        }
        // The same content as another type.
        3 => {
            if let Some(node) = doc.pointer_mut(&at) {
                *node = match node.take() {
                    Value::String(s) => s.parse::<f64>().map(|f| json!(f)).unwrap_or(json!([s])),
                    Value::Number(n) => json!(n.to_string()),
                    Value::Bool(b) => json!(b.to_string()),
                    Value::Null => json!({}),
                    Value::Array(items) => Value::Object(
                        items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (i.to_string(), v))
                            .collect(),
                    ),
                    Value::Object(map) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
                };
            }
        }
        // A `$ref`, replacing the node or beside its keys.
        4 | 5 => {
            let target = ref_target(rng, doc, &at, &all);
            let beside = rng.chance(30);
            if let Some(node) = doc.pointer_mut(&at) {
                match node {
                    Value::Object(map) if beside => {
                        map.insert("$ref".into(), json!(target));
                    }
                    _ => *node = json!({"$ref": target}),
                }
            }
        }
        // Copy a subtree, from this document or another, over a node or under a new key.
        6 => {
            let (_, donor) = rng.pick(donors);
            let donor = if rng.chance(50) { &*doc } else { donor };
            let from = pointers(donor);
            let piece = donor
                .pointer(rng.pick::<String>(&from))
                .cloned()
                .unwrap_or_default();
            let key = rng.pick(HOSTILE_NAMES).to_string();
            match doc.pointer_mut(&at) {
                Some(Value::Object(map)) if rng.chance(50) => {
                    map.insert(key, piece);
                }
                Some(node) => *node = piece,
                None => {}
            }
        }
        // Rename a key to a hostile name.
        7 => {
            let name = rng.pick(HOSTILE_NAMES).to_string();
            if let Some(Value::Object(map)) = doc.pointer_mut(&at)
                && !map.is_empty()
            {
                let i = rng.below(map.len());
                let old: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                *map = old
                    .into_iter()
                    .enumerate()
                    .map(|(j, (k, v))| if i == j { (name.clone(), v) } else { (k, v) })
                    .collect::<Map<_, _>>();
            }
        }
        // Add a keyword to an object.
        8 | 9 => {
            let (key, value) = keyword(rng, doc);
            let objects: Vec<&String> = all
                .iter()
                .filter(|p| doc.pointer(p).is_some_and(Value::is_object))
                .collect();
            if objects.is_empty() {
                return;
            }
            let target = (*rng.pick(&objects)).clone();
            if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                map.insert(key, value);
            }
        }
        // A path item under a hostile template, or an operation's id taken by another.
        _ => {
            let Some(Value::Object(paths)) = doc.get_mut("paths") else {
                return;
            };
            let items: Vec<Value> = paths.values().cloned().collect();
            if items.is_empty() {
                return;
            }
            let mut item = rng.pick(&items).clone();
            // Usually with new operationIds, so the copy gets past the duplicate check.
            if rng.chance(70)
                && let Value::Object(item) = &mut item
            {
                for op in item.values_mut() {
                    if let Some(Value::String(id)) = op.get_mut("operationId") {
                        id.push_str("Copy");
                    }
                }
            }
            let template = rng.pick(PATH_TEMPLATES).to_string();
            paths.insert(template, item);
        }
    }
}

/// Text-level damage: cut short, or a stray character.
pub fn damage(text: &mut String, rng: &mut Rng) {
    if text.is_empty() {
        return;
    }
    let mut at = rng.below(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if rng.chance(40) {
        text.truncate(at);
    } else {
        let c = *rng.pick(&[
            '{', '}', '[', ':', '\n', '\t', '"', '\'', '#', '&', '*', '!', '\0', '-', '|', '>',
            '%', '@', '\u{feff}',
        ]);
        text.insert(at, c);
    }
}
