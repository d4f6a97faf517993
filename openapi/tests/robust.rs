//! The loader never panics, whatever it is given: every node of a feature-rich document is
//! replaced by hostile values, every key removed, the text cut short everywhere, and the
//! parsers' limits (nesting, aliases) tried. Each load must return `Ok` or `Err`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use serde_json::{Value, json};

fn fixture() -> (String, Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let doc = openapi::load(&path).unwrap_or_else(|e| panic!("{e}"));
    // The fixture itself loads, normalised; mutate the tree as written.
    // (`serde_json::Value` has no room for the integer beyond i64; the float is as far out.)
    let written: Value =
        serde_yaml::from_str(&text.replace("-9223372036854776000", "-9.3e18")).unwrap_or_default();
    assert!(written.is_object());
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.pointer.ends_with("/prefixItems")),
        "{:#?}",
        doc.warnings
    );
    (text, written)
}

/// Every pointer in `v`, parents first.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Loads `text`; a panic is returned as an error message.
fn survives(text: &str, file: &str) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| {
        let _ = openapi::load_str(text, Path::new(file));
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn hostile_values_anywhere() {
    let (_, doc) = fixture();
    let mut all = Vec::new();
    pointers(&doc, String::new(), &mut all);
    let hostile = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!("#"),
        json!([]),
        json!({}),
        json!([null, {}]),
        json!({"$ref": "#"}),
        json!({"$ref": "#/components/schemas/Thing/properties/parent/anyOf/0"}),
        json!({"$ref": "./missing.yaml"}),
        json!({"type": ["null", 3]}),
        json!({"anyOf": [{"type": "null"}], "$ref": "#/x"}),
        json!({"$recursiveRef": "#", "prefixItems": [true, 1], "items": [false]}),
        json!({"patternProperties": {"a": false}, "additionalProperties": 3}),
        json!({"const": null, "enum": 5, "type": "integer", "minimum": "x", "exclusiveMinimum": [1]}),
        json!({"contentEncoding": 1, "contentMediaType": {}, "minLength": -3.5, "maxItems": 1e30}),
    ];
    let mut failures = Vec::new();
    let mut loads = 0;
    // Every (node, value) pair in a release build; in a debug build, where a load is slower,
    // a fifth of them, chosen so each node and each value still appear many times.
    let stride = if cfg!(debug_assertions) { 5 } else { 1 };
    for (i, ptr) in all.iter().enumerate() {
        for (j, value) in hostile.iter().enumerate() {
            if (i + j) % stride != 0 {
                continue;
            }
            let mut mutated = doc.clone();
            if let Some(node) = mutated.pointer_mut(ptr) {
                *node = value.clone();
            }
            loads += 1;
            if let Err(panic) = survives(&mutated.to_string(), "mutated.json") {
                failures.push(format!("{ptr} = {value}: {panic}"));
            }
        }
        // And without the key.
        if let Some((parent, key)) = ptr.rsplit_once('/') {
            let mut mutated = doc.clone();
            if let Some(Value::Object(map)) = mutated.pointer_mut(parent) {
                map.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
            loads += 1;
            if let Err(panic) = survives(&mutated.to_string(), "mutated.json") {
                failures.push(format!("{ptr} removed: {panic}"));
            }
        }
    }
    assert!(loads > 1000, "{loads}");
    assert!(
        failures.is_empty(),
        "{} panics:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn truncated_text() {
    let (text, _) = fixture();
    let mut failures = Vec::new();
    for (i, _) in text.char_indices().step_by(7) {
        if let Err(panic) = survives(&text[..i], "cut.yaml") {
            failures.push(format!("cut at {i}: {panic}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parser_limits() {
    let deep_json = format!(
        "{{\"openapi\": \"3.1.0\", \"x\": {}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_yaml = format!(
        "openapi: 3.1.0\nx: {}1{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_schema = format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"S\": {}{{}}{}}}}}}}",
        "{\"items\": ".repeat(120),
        "}".repeat(120)
    );
    let mut bomb = String::from("openapi: 3.1.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    // Shapes normalisation makes deeper (each split type adds two levels), and callbacks
    // nested in callbacks.
    let head = "\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}";
    let splits = format!(
        "{{{head}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"S\": {}{{}}{}}}}}}}",
        "{\"type\": [\"array\", \"string\"], \"items\": ".repeat(60),
        "}".repeat(60)
    );
    let mut item = "{}".to_owned();
    for _ in 0..20 {
        item = format!(
            "{{\"post\": {{\"responses\": {{\"200\": {{\"description\": \"ok\"}}}}, \"callbacks\": {{\"c\": {{\"x\": {item}}}}}}}}}"
        );
    }
    let callbacks = format!("{{{head}, \"paths\": {{\"/a\": {item}}}}}");
    let cases = [
        ("deep.json", deep_json.as_str()),
        ("deep.yaml", deep_yaml.as_str()),
        ("deep-schema.json", deep_schema.as_str()),
        ("splits.json", splits.as_str()),
        ("callbacks.json", callbacks.as_str()),
        ("bomb.yaml", bomb.as_str()),
        (
            "tags.yaml",
            "openapi: !!str 3.1.0\ninfo: !custom {title: t, version: '1'}\npaths: {}\n",
        ),
        (
            "keys.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n? [a, b]\n: 1\n~: 2\n.inf: .nan\n",
        ),
        ("binary.yaml", "\u{0}\u{1}\u{2}\u{7f}"),
        ("multi.yaml", "openapi: 3.1.0\n---\nopenapi: 3.0.0\n"),
        ("bom.json", "\u{feff}{\"openapi\": \"3.1.0\"}"),
    ];
    let mut failures = Vec::new();
    for (file, text) in cases {
        // On a thread of the size test threads get by default, whatever the environment says.
        let text = text.to_owned();
        let run = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || survives(&text, file));
        let outcome = run
            .map_err(|e| e.to_string())
            .and_then(|h| h.join().unwrap_or_else(|_| Err("panicked".into())));
        if let Err(panic) = outcome {
            failures.push(format!("{file}: {panic}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn normalising_twice_changes_nothing() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features.yaml");
    let once = openapi::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let twice = openapi::load_str(&once.raw.to_string(), Path::new("once.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(once.raw, twice.raw);
    assert_eq!(once.api, twice.api);
}
