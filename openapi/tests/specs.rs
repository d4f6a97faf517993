//! The real specs in `shared/specs`: they load, with the expected counts, and the lossless
//! check reports exactly the things listed here, each for a reason given.

use std::path::Path;

use openapi::SpecVersion;
use serde_json::json;

fn load(name: &str) -> openapi::Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs")
        .join(name);
    openapi::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn warnings(doc: &openapi::Document) -> Vec<String> {
    doc.warnings.iter().map(|w| w.to_string()).collect()
}

/// Warnings both OpenAI specs give, each a fact of the spec rather than a gap in loading.
fn shared_remaining(prefix_3_0: bool) -> Vec<String> {
    let s = "#/components/schemas";
    let grader = if prefix_3_0 {
        "EvalScoreModelGrader"
    } else {
        "GraderScoreModel"
    };
    vec![
        // `seed` is bounded by ±9223372036854776000, just outside i64: the bounds are dropped
        // (which is what they meant: any i64).
        format!(
            "{s}/CreateChatCompletionRequest/allOf/1/properties/seed/minimum: integer `minimum`"
        ),
        format!(
            "{s}/CreateChatCompletionRequest/allOf/1/properties/seed/maximum: integer `maximum`"
        ),
        // Not JSON Schema keywords (a typo for `nullable`, and `minItems`/`maxItems` written
        // in snake case on `items`): no validator reads them either.
        format!(
            "{s}/CreateTranscriptionResponseJson/properties/logprobs/optional: `optional` has no place"
        ),
        format!("{s}/{grader}/properties/range/items/min_items: `min_items` has no place"),
        format!("{s}/{grader}/properties/range/items/max_items: `max_items` has no place"),
    ]
}

#[track_caller]
fn assert_warnings(got: Vec<String>, want: Vec<String>) {
    let mut missing: Vec<&String> = want
        .iter()
        .filter(|w| !got.iter().any(|g| g.starts_with(w.as_str())))
        .collect();
    let extra: Vec<&String> = got
        .iter()
        .filter(|g| !want.iter().any(|w| g.starts_with(w.as_str())))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nunexpected: {extra:#?}"
    );
}

#[test]
fn openai_3_1() {
    let doc = load("openai.yaml");
    assert_eq!(doc.version, SpecVersion::V3_1);
    assert_eq!(doc.api.paths.paths.len(), 182);
    assert_eq!(
        doc.api.components.as_ref().map(|c| c.schemas.len()),
        Some(1422)
    );
    assert_eq!(doc.api.operations().count(), 288);

    let mut want = shared_remaining(false);
    want.extend([
        // 3.1 `license.identifier` (an SPDX id) has no 3.0 field; `name` says the same.
        "#/info/license/identifier: `identifier` has no place".to_owned(),
        // A map's key constraint (`maxLength: 64`) has no 3.0 form; the values' type is kept.
        "#/components/schemas/VectorStoreFileAttributes/anyOf/0/propertyNames: `propertyNames` has no place".to_owned(),
        "#/components/schemas/BetaVectorStoreFileAttributes/anyOf/0/propertyNames: `propertyNames` has no place"
            .to_owned(),
    ]);
    assert_warnings(warnings(&doc), want);

    // The shapes lowering relies on.
    let schema = |ptr: &str| {
        doc.raw
            .pointer(&format!("/components/schemas/{ptr}"))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        schema("AdminApiKey/properties/name"),
        json!({"example": "Administration Key", "description": "The name of the API key", "nullable": true, "allOf": [{"type": "string"}]})
    );
    assert_eq!(
        schema("CompoundFilter/properties/filters/items/oneOf/1"),
        json!({"$ref": "#/components/schemas/CompoundFilter"})
    );
    assert_eq!(schema("CompoundFilter/$recursiveAnchor"), json!(null));
    let hooks = doc
        .api
        .extensions
        .get("x-webhooks")
        .and_then(|h| h.as_object())
        .map(|h| h.len());
    assert_eq!(hooks, Some(16));
}

#[test]
fn openai_3_0() {
    let doc = load("openai-3.0.yaml");
    assert_eq!(doc.version, SpecVersion::V3_0);
    assert_eq!(doc.api.paths.paths.len(), 99);
    assert_eq!(
        doc.api.components.as_ref().map(|c| c.schemas.len()),
        Some(477)
    );
    let mut want = shared_remaining(true);
    want.push("#/components/schemas/VectorStoreFileAttributes/propertyNames: `propertyNames` has no place".to_owned());
    // The spec's own typo: the parameter is renamed to the template's variable.
    want.push("#/paths/~1organization~1certificates~1{certificate_id}/get/parameters/0: path parameter `cert_id` is not in the path template `/organization/certificates/{certificate_id}`; taken as `{certificate_id}`, the template's one variable without a parameter".to_owned());
    assert_warnings(warnings(&doc), want);
}

#[test]
fn petstore() {
    let doc = load("petstore.json");
    assert_eq!(doc.version, SpecVersion::V3_0);
    assert_eq!(doc.api.paths.paths.len(), 2);
    assert_eq!(
        doc.api.components.as_ref().map(|c| c.schemas.len()),
        Some(3)
    );
    assert!(doc.warnings.is_empty(), "{:#?}", doc.warnings);
}
