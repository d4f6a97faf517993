//! Real documents to start from, and slices of big ones.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value};

use crate::rng::Rng;

/// The documents mutations start from: the repository's fixture specs and every
/// `*.json`/`*.yaml` in the extra folders. Big documents (more than `SLICE_ABOVE` paths or
/// schemas) are kept whole but are mostly used through [`slice`].
pub fn load(root: &Path, extra: &[std::path::PathBuf]) -> Vec<(String, Value)> {
    let mut files = Vec::new();
    for dir in [
        root.join("tests/fixtures"),
        root.join("openapi/tests/fixtures"),
    ]
    .iter()
    .chain(extra)
    {
        if let Ok(entries) = std::fs::read_dir(dir) {
            files.extend(entries.flatten().map(|e| e.path()));
        }
    }
    files.push(root.join("../shared/specs/petstore.json"));
    files.push(root.join("../shared/specs/openai.yaml"));
    files.sort();
    let mut seeds = Vec::new();
    for file in files {
        let ext = file
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(ext, "json" | "yaml" | "yml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        // As written (3.1 idioms included) when serde_yaml reads it; else as the loader
        // normalised it.
        let value = serde_yaml::from_str::<Value>(&text)
            .ok()
            .filter(Value::is_object)
            .or_else(|| openapi::load(&file).ok().map(|d| d.raw));
        if let Some(value) = value {
            seeds.push((file.display().to_string(), value));
        }
    }
    seeds
}

pub const SLICE_ABOVE: usize = 40;

pub fn is_big(doc: &Value) -> bool {
    let count = |ptr: &str| {
        doc.pointer(ptr)
            .and_then(Value::as_object)
            .map_or(0, Map::len)
    };
    count("/paths") > SLICE_ABOVE || count("/components/schemas") > SLICE_ABOVE
}

/// A few paths of `doc` (or a few schemas when it has no paths) and every component they
/// reach through `$ref`s: a small document that still loads.
pub fn slice(doc: &Value, rng: &mut Rng) -> Value {
    let mut out = Map::new();
    for key in ["openapi", "info", "servers"] {
        if let Some(v) = doc.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut paths = Map::new();
    let mut wanted = Vec::new();
    if let Some(Value::Object(all)) = doc.get("paths") {
        let keys: Vec<&String> = all.keys().collect();
        for _ in 0..1 + rng.below(4) {
            let key = *rng.pick(&keys);
            refs_in(&all[key], &mut wanted);
            paths.insert(key.clone(), all[key].clone());
        }
    }
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        let names: Vec<&String> = schemas.keys().collect();
        if !names.is_empty() {
            for _ in 0..rng.below(4) {
                wanted.push(format!("#/components/schemas/{}", rng.pick(&names)));
            }
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    // The closure of the references, component by component.
    let mut components = Map::new();
    let mut seen = BTreeSet::new();
    while let Some(target) = wanted.pop() {
        let parts: Vec<&str> = target.trim_start_matches("#/").split('/').collect();
        let [c, section, name, ..] = parts.as_slice() else {
            continue;
        };
        if *c != "components" || !seen.insert((section.to_string(), name.to_string())) {
            continue;
        }
        let name = name.replace("~1", "/").replace("~0", "~");
        let Some(node) = doc
            .get("components")
            .and_then(|c| c.get(section))
            .and_then(|s| s.get(&name))
        else {
            continue;
        };
        refs_in(node, &mut wanted);
        let section = components
            .entry(section.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(section) = section {
            section.insert(name, node.clone());
        }
    }
    if let Some(Value::Object(schemes)) = doc.pointer("/components/securitySchemes") {
        components.insert("securitySchemes".into(), Value::Object(schemes.clone()));
    }
    out.insert("components".into(), Value::Object(components));
    Value::Object(out)
}

fn refs_in(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs_in(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}
