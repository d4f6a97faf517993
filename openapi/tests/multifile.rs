//! Documents split over several files (`tests/fixtures/multi`), and what goes wrong with them
//! (`tests/fixtures/multi-bad`).

use std::path::{Path, PathBuf};

use serde_json::json;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

#[test]
fn imports_other_files_into_components() {
    let doc = openapi::load(&fixture("multi/openapi.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let schemas = &doc.raw["components"]["schemas"];
    let names: Vec<&str> = schemas
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // Root names first; imports in the order the document names them.
    assert_eq!(names, ["Owner", "Pet", "Pet_2", "Error", "Tag"]);

    let s = |name: &str| format!("#/components/schemas/{name}");
    let get = |ptr: &str| doc.raw.pointer(ptr).cloned().unwrap_or_default();
    assert_eq!(
        get("/paths/~1pets/get/responses/200/content/application~1json/schema/items"),
        json!({"$ref": s("Pet_2")})
    );
    assert_eq!(
        get("/paths/~1pets/get/responses/default"),
        json!({"$ref": "#/components/responses/Error"})
    );
    assert_eq!(
        get("/components/responses/Error/content/application~1json/schema"),
        json!({"$ref": s("Error")})
    );
    // The path item is copied in place; its reference is rewritten.
    assert_eq!(
        get("/paths/~1owners/get/responses/200/content/application~1json/schema"),
        json!({"$ref": s("Owner")})
    );
    // A root component that was only a reference to a file now holds that file.
    assert_eq!(
        get("/components/schemas/Owner/properties/pets/items"),
        json!({"$ref": s("Pet_2")})
    );
    assert_eq!(
        get("/components/schemas/Owner/properties/error"),
        json!({"$ref": s("Error")})
    );
    // References inside an imported file: relative, local to that file, and cyclic.
    assert_eq!(
        get("/components/schemas/Pet_2/properties/owner"),
        json!({"$ref": s("Owner")})
    );
    assert_eq!(
        get("/components/schemas/Pet_2/properties/tag"),
        json!({"$ref": s("Tag")})
    );
    assert_eq!(
        get("/components/schemas/Pet_2/properties/parent"),
        json!({"$ref": s("Pet_2")})
    );
    // Imported schemas are normalised too.
    assert_eq!(
        get("/components/schemas/Pet_2/properties/status/nullable"),
        json!(true)
    );
    // The model has them all.
    let components = doc
        .api
        .components
        .as_ref()
        .map(|c| (c.schemas.len(), c.responses.len()));
    assert_eq!(components, Some((5, 1)));
    assert_eq!(doc.api.paths.paths.len(), 2);
    // A warning about an imported node names its file and the pointer in it, as written
    // (before `anyOf/1` moved to `allOf/0`).
    let warnings: Vec<String> = doc.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].starts_with("schemas/pet.yaml#/Pet/properties/status/anyOf/1/optional: "),
        "{warnings:#?}"
    );
}

#[test]
fn loading_is_deterministic() {
    let a = openapi::load(&fixture("multi/openapi.yaml"))
        .map(|d| d.raw)
        .ok();
    let b = openapi::load(&fixture("multi/openapi.yaml"))
        .map(|d| d.raw)
        .ok();
    assert!(a.is_some());
    assert_eq!(a, b);
}

#[test]
fn broken_multi_file_documents_say_where() {
    let cases: [(&str, &[&str]); 6] = [
        (
            "missing-target.yaml",
            &[
                "missing-target.yaml:6: #/components/schemas/A/$ref:",
                "`./parts.yaml#/Nope` does not exist",
                "`parts.yaml` has no `#/Nope`",
            ],
        ),
        (
            "dangling-inside.yaml",
            &[
                "parts.yaml:7: #/Broken/properties/x/$ref:",
                "`#/Missing` does not exist",
                "`parts.yaml` has no `#/Missing`",
            ],
        ),
        ("bad-syntax-inside.yaml", &["broken.yaml:3:1: invalid YAML"]),
        (
            "remote-inside.yaml",
            &[
                "remote-part.yaml:4: #/R/properties/x/$ref:",
                "remote reference `https://example.com/x.yaml`",
            ],
        ),
        (
            "cycle-inside.yaml",
            &["cycle-a.yaml:1: #/$ref:", "cycle with no schema in it"],
        ),
        (
            "model-inside.yaml",
            &[
                "parts.yaml:12: #/Rejected/properties/y:",
                "expected a sequence",
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (file, expect) in cases {
        match openapi::load(&fixture(&format!("multi-bad/{file}"))) {
            Ok(_) => failures.push(format!("{file}: loaded")),
            Err(e) => {
                let message = e.to_string();
                for want in expect {
                    if !message.contains(want) {
                        failures.push(format!("{file}: `{message}` lacks `{want}`"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
