//! `[[overlay]]` in a configuration: updates applied to the spec before it is read.

use std::path::Path;

const SPEC: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Token:
      type: object
      properties:
        bytes:
          type: array
          items: { type: integer }
"#;

fn overlay(target: &str, update: serde_json::Value) -> openapi::Overlay {
    openapi::Overlay {
        target: target.to_owned(),
        update: update.as_object().cloned().unwrap_or_default(),
        reason: None,
    }
}

#[test]
fn an_overlay_sets_keys_on_its_target() {
    let items = "#/components/schemas/Token/properties/bytes/items";
    let overlays = [overlay(items, serde_json::json!({"format": "uint8"}))];
    let doc = openapi::load_str_with(SPEC, Path::new("t.yaml"), &overlays)
        .unwrap_or_else(|e| panic!("{e}"));
    let target = doc.raw.pointer(&items[1..]).cloned();
    assert_eq!(
        target,
        Some(serde_json::json!({"type": "integer", "format": "uint8"}))
    );
}

#[test]
fn an_overlay_without_a_target_is_a_located_error() {
    let missing = "#/components/schemas/Nope";
    let overlays = [overlay(missing, serde_json::json!({"format": "uint8"}))];
    let error = openapi::load_str_with(SPEC, Path::new("t.yaml"), &overlays)
        .expect_err("the target does not exist");
    assert_eq!(
        error.to_string(),
        "t.yaml: #/components/schemas/Nope: a configuration overlay targets this, but the \
         document has nothing there"
    );
    let scalar = "#/info/title";
    let overlays = [overlay(scalar, serde_json::json!({"x": 1}))];
    let error = openapi::load_str_with(SPEC, Path::new("t.yaml"), &overlays)
        .expect_err("the target is not a mapping");
    assert!(
        error
            .to_string()
            .ends_with("but it is a string, not a mapping"),
        "{error}"
    );
}

#[test]
fn overlays_read_from_a_configuration() {
    let dir = std::env::temp_dir().join(format!("overlay-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("spec.yaml"), SPEC).unwrap_or_else(|e| panic!("{e}"));
    let config = dir.join("api.toml");
    std::fs::write(
        &config,
        "spec = \"spec.yaml\"\ncrate-name = \"t\"\n\n[[overlay]]\n\
         target = \"#/components/schemas/Token/properties/bytes/items\"\n\
         update = { format = \"uint8\" }\nreason = \"bytes\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let config = openapi::Config::from_file(&config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.overlays.len(), 1);
    let doc = config.load_spec().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc.raw
            .pointer("/components/schemas/Token/properties/bytes/items/format"),
        Some(&serde_json::json!("uint8"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
