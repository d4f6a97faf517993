//! Normalisation, one rewrite per test: a schema written in YAML → the JSON it becomes.
//!
//! Each schema is loaded as `#/components/schemas/S` of a minimal 3.1 document (3.0 where
//! the test says so); the test checks the normalised tree and the warnings.

use std::path::Path;

use openapi::openapiv3::{ReferenceOr, SchemaKind, Type};
use openapi::{Document, SpecVersion};
use serde_json::{Value, json};

fn document(version: &str, schemas: &str) -> String {
    let mut text = format!(
        "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n"
    );
    for line in schemas.lines() {
        text.push_str("    ");
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Loads `S: <schema>` (plus any other schemas given after it) and returns the document.
#[track_caller]
fn load(version: &str, schemas: &str) -> Document {
    let text = document(version, schemas);
    match openapi::load_str(&text, Path::new("test.yaml")) {
        Ok(doc) => doc,
        Err(e) => panic!("{e}\n--- document ---\n{text}"),
    }
}

/// `schema` (YAML, the value of `S`) normalises to `expected` with these warnings
/// (`pointer: message fragment`).
#[track_caller]
fn check(schema: &str, expected: Value, warnings: &[&str]) {
    check_version("3.1.0", schema, expected, warnings);
}

#[track_caller]
fn check_version(version: &str, schema: &str, expected: Value, warnings: &[&str]) {
    let mut schemas = String::from("S:\n");
    for line in schema.trim_end().lines() {
        schemas.push_str("  ");
        schemas.push_str(line);
        schemas.push('\n');
    }
    schemas.push_str("X: {type: object}\nY: {type: string}\n");
    let doc = load(version, &schemas);
    let got = &doc.raw["components"]["schemas"]["S"];
    assert_eq!(got, &expected, "\n got: {got:#}\nwant: {expected:#}");
    let got: Vec<String> = doc.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(got.len(), warnings.len(), "warnings: {got:#?}");
    for (w, want) in got.iter().zip(warnings) {
        let (ptr, msg) = want.split_once(": ").unwrap_or((want, ""));
        assert!(
            w.starts_with(&format!("{ptr}: ")) && w.contains(msg),
            "warning `{w}` is not `{want}`"
        );
    }
}

const S: &str = "#/components/schemas/S";

#[test]
fn any_of_ref_and_null_becomes_all_of_nullable() {
    check(
        "description: d\nanyOf:\n  - $ref: '#/components/schemas/X'\n  - type: 'null'",
        json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/X"}]}),
        &[],
    );
}

#[test]
fn any_of_inline_and_null_becomes_all_of_nullable() {
    check(
        "anyOf:\n  - type: 'null'\n  - type: string\n    maxLength: 5",
        json!({"nullable": true, "allOf": [{"type": "string", "maxLength": 5}]}),
        &[],
    );
}

#[test]
fn one_of_many_and_null_stays_one_of_nullable() {
    check(
        "oneOf:\n  - $ref: '#/components/schemas/X'\n  - type: 'null'\n  - $ref: '#/components/schemas/Y'",
        json!({"nullable": true, "oneOf": [{"$ref": "#/components/schemas/X"}, {"$ref": "#/components/schemas/Y"}]}),
        &[],
    );
}

#[test]
fn moved_nodes_keep_their_source_pointer() {
    // The inline member moves from anyOf/1 to allOf/0; the warning about the keyword the
    // model cannot hold still names anyOf/1, where it was written.
    check(
        "anyOf:\n  - type: 'null'\n  - type: object\n    propertyNames: {maxLength: 3}",
        json!({"nullable": true, "allOf": [{"type": "object", "propertyNames": {"maxLength": 3}}]}),
        &[&format!(
            "{S}/anyOf/1/propertyNames: has no place in the OpenAPI 3.0 model"
        )],
    );
}

#[test]
fn refs_to_moved_nodes_follow_them() {
    let doc = load(
        "3.1.0",
        "S:\n  anyOf:\n    - type: 'null'\n    - type: string\nT:\n  $ref: '#/components/schemas/S/anyOf/1'\n",
    );
    assert_eq!(
        doc.raw["components"]["schemas"]["T"],
        json!({"$ref": "#/components/schemas/S/allOf/0"})
    );
    assert_eq!(
        doc.raw.pointer("/components/schemas/S/allOf/0"),
        Some(&json!({"type": "string"}))
    );
}

#[test]
fn default_null_makes_a_schema_nullable() {
    check(
        "type: object\ndefault: null\nproperties: {a: {type: string}}",
        json!({"type": "object", "default": null, "nullable": true, "properties": {"a": {"type": "string"}}}),
        &[],
    );
    check_version(
        "3.0.3",
        "type: integer\ndefault: null",
        json!({"type": "integer", "default": null, "nullable": true}),
        &[],
    );
}

#[test]
fn type_with_null() {
    check(
        "type: [string, 'null']\nmaxLength: 3",
        json!({"type": "string", "nullable": true, "maxLength": 3}),
        &[],
    );
}

#[test]
fn type_null_alone() {
    check(
        "type: 'null'",
        json!({"nullable": true, "enum": [null]}),
        &[],
    );
}

#[test]
fn several_types_become_any_of_with_their_keywords() {
    check(
        "type: [string, integer]\ndescription: d\nmaxLength: 5\nminimum: 1\nformat: int64",
        json!({"description": "d", "anyOf": [
            {"type": "string", "maxLength": 5},
            {"type": "integer", "minimum": 1, "format": "int64"},
        ]}),
        &[],
    );
}

#[test]
fn several_types_split_enum_and_null() {
    check(
        "type: [string, integer, 'null']\nenum: [a, 1, null]",
        json!({"nullable": true, "anyOf": [
            {"type": "string", "enum": ["a"]},
            {"type": "integer", "enum": [1]},
        ]}),
        &[],
    );
}

#[test]
fn const_becomes_enum_with_its_type() {
    check(
        "const: response.created\nx-stainless-const: true",
        json!({"x-stainless-const": true, "type": "string", "enum": ["response.created"]}),
        &[],
    );
    check("const: 3", json!({"type": "integer", "enum": [3]}), &[]);
    check(
        "type: number\nconst: 3",
        json!({"type": "number", "enum": [3]}),
        &[],
    );
}

#[test]
fn examples_become_example() {
    check(
        "type: string\nexamples: [a, b]",
        json!({"type": "string", "example": "a"}),
        &[],
    );
}

#[test]
fn ref_with_siblings_becomes_all_of() {
    check(
        "$ref: '#/components/schemas/X'\ndescription: d\nnullable: true",
        json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/X"}]}),
        &[],
    );
    check(
        "$ref: '#/components/schemas/X'",
        json!({"$ref": "#/components/schemas/X"}),
        &[],
    );
}

#[test]
fn numeric_exclusive_bounds() {
    check(
        "type: number\nexclusiveMinimum: 0\nexclusiveMaximum: 10\nmaximum: 5",
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5}),
        &[],
    );
}

#[test]
fn boolean_exclusive_bounds_in_3_1_are_kept() {
    check(
        "type: number\nminimum: 0\nexclusiveMinimum: true",
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true}),
        &[],
    );
}

#[test]
fn integer_bounds_beyond_i64_are_dropped() {
    check(
        "type: integer\nminimum: -9223372036854776000\nmaximum: 9223372036854776000",
        json!({"type": "integer"}),
        &[
            &format!("{S}/minimum: does not fit in a 64-bit integer"),
            &format!("{S}/maximum: does not fit in a 64-bit integer"),
        ],
    );
    // i64::MIN itself fits.
    check(
        "type: integer\nminimum: -9223372036854775808",
        json!({"type": "integer", "minimum": i64::MIN}),
        &[],
    );
}

#[test]
fn integer_bounds_become_integers() {
    check(
        "type: integer\nminimum: 1.0\nmaximum: 2.5\nexclusiveMaximum: true",
        json!({"type": "integer", "minimum": 1, "maximum": 2}),
        &[],
    );
    let doc = load("3.1.0", "S: {type: integer, minimum: 1.0}");
    let Some(ReferenceOr::Item(s)) = doc.api.components.as_ref().and_then(|c| c.schemas.get("S"))
    else {
        panic!()
    };
    assert!(matches!(&s.schema_kind, SchemaKind::Type(Type::Integer(i)) if i.minimum == Some(1)));
}

#[test]
fn nullable_without_type_is_kept() {
    check(
        "nullable: true\ndescription: d",
        json!({"nullable": true, "description": "d"}),
        &[],
    );
}

#[test]
fn enum_with_null() {
    check(
        "type: string\nenum: [a, null, b]",
        json!({"type": "string", "enum": ["a", "b"], "nullable": true}),
        &[],
    );
    check_version(
        "3.0.3",
        "type: string\nnullable: true\nenum: [a, null]",
        json!({"type": "string", "nullable": true, "enum": ["a"]}),
        &[],
    );
}

#[test]
fn prefix_items_become_any_of_items() {
    check(
        "prefixItems:\n  - type: string\n  - type: integer\nitems: false",
        json!({"type": "array", "maxItems": 2, "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}),
        &[&format!("{S}/prefixItems: a tuple of 2 schemas")],
    );
    check(
        "type: array\nprefixItems: [{type: number}, {type: number}]",
        json!({"type": "array", "items": {"type": "number"}}),
        &[],
    );
}

#[test]
fn items_false_and_boolean_schemas() {
    check(
        "type: array\nitems: false",
        json!({"type": "array", "maxItems": 0}),
        &[],
    );
    check(
        "type: array\nitems: true",
        json!({"type": "array", "items": {}}),
        &[],
    );
    check(
        "type: object\nproperties: {a: true, b: false}\nadditionalProperties: false",
        json!({"type": "object", "properties": {"a": {}, "b": {"not": {}}}, "additionalProperties": false}),
        &[],
    );
}

#[test]
fn defs_stay_and_are_normalised() {
    check(
        "type: object\nproperties:\n  a: {$ref: '#/components/schemas/S/$defs/A'}\n$defs:\n  A: {type: [string, 'null']}",
        json!({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/S/$defs/A"}},
               "$defs": {"A": {"type": "string", "nullable": true}}}),
        &[],
    );
}

#[test]
fn content_media_type_and_encoding() {
    check(
        "type: string\ncontentMediaType: image/png",
        json!({"type": "string", "format": "binary", "x-contentMediaType": "image/png"}),
        &[],
    );
    check(
        "contentMediaType: application/octet-stream",
        json!({"format": "binary", "type": "string", "x-contentMediaType": "application/octet-stream"}),
        &[],
    );
    check(
        "type: string\ncontentEncoding: base64",
        json!({"type": "string", "format": "byte", "x-contentEncoding": "base64"}),
        &[],
    );
    check(
        "type: string\ncontentMediaType: application/json",
        json!({"type": "string", "x-contentMediaType": "application/json"}),
        &[],
    );
}

#[test]
fn pattern_properties_become_additional_properties() {
    check(
        "type: object\npatternProperties:\n  '^x-': {type: string}",
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
        &[&format!(
            "{S}/patternProperties: names are not checked against `^x-`"
        )],
    );
}

#[test]
fn discriminator_on_any_of_is_kept() {
    let doc = load(
        "3.1.0",
        "S:\n  anyOf:\n    - $ref: '#/components/schemas/A'\n    - $ref: '#/components/schemas/B'\n  discriminator: {propertyName: kind}\nA: {type: object, properties: {kind: {const: a}}}\nB: {type: object, properties: {kind: {const: b}}}\n",
    );
    let Some(ReferenceOr::Item(s)) = doc.api.components.as_ref().and_then(|c| c.schemas.get("S"))
    else {
        panic!()
    };
    assert!(matches!(&s.schema_kind, SchemaKind::AnyOf { any_of } if any_of.len() == 2));
    assert_eq!(
        s.schema_data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.as_str()),
        Some("kind")
    );
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn recursive_ref_names_the_anchor() {
    check(
        "$recursiveAnchor: true\ntype: object\nproperties:\n  children:\n    type: array\n    items: {$recursiveRef: '#'}",
        json!({"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": S}}}}),
        &[],
    );
}

#[test]
fn property_names_like_keywords_are_properties() {
    // A property called `type`, `const` or `examples` is a property, not a keyword, and a
    // property called `default` or `example` is still normalised.
    check(
        "type: object\nproperties:\n  type: {const: x}\n  examples: {type: [string, 'null']}\n  default: {anyOf: [{type: string}, {type: 'null'}]}",
        json!({"type": "object", "properties": {
            "type": {"type": "string", "enum": ["x"]},
            "examples": {"type": "string", "nullable": true},
            "default": {"nullable": true, "allOf": [{"type": "string"}]},
        }}),
        &[],
    );
}

#[test]
fn examples_and_extensions_are_data() {
    // `$ref` and `type: [..]` inside an example or an extension are data, left alone.
    check(
        "type: object\nexample: {$ref: nowhere, type: [a, 'null']}\nx-meta: {anyOf: [{type: 'null'}]}",
        json!({"type": "object", "example": {"$ref": "nowhere", "type": ["a", "null"]}, "x-meta": {"anyOf": [{"type": "null"}]}}),
        &[],
    );
}

#[test]
fn webhooks_are_kept_as_x_webhooks() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: [object, 'null']}\n      responses:\n        '200': {description: ok}\n";
    let doc = openapi::load_str(text, Path::new("hooks.yaml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.version, SpecVersion::V3_1);
    assert!(
        doc.api.paths.paths.is_empty(),
        "3.1 allows a document without paths"
    );
    let hooks = &doc.api.extensions["x-webhooks"];
    assert_eq!(
        hooks.pointer("/ping/post/requestBody/content/application~1json/schema"),
        Some(&json!({"type": "object", "nullable": true}))
    );
    // The tree keeps them where they were written.
    assert!(doc.raw.get("webhooks").is_some());
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn operations_without_responses_are_allowed_in_3_1() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /ping:\n    get: {operationId: ping}\n";
    let doc = openapi::load_str(text, Path::new("ping.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let op = doc.api.paths.paths["/ping"]
        .as_item()
        .and_then(|item| item.get.as_ref())
        .expect("GET /ping");
    assert!(op.responses.responses.is_empty() && op.responses.default.is_none());
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    // 3.0 requires them.
    let text = text.replace("3.1.0", "3.0.3");
    let err = openapi::load_str(&text, Path::new("ping.yaml")).expect_err("3.0 needs responses");
    assert!(err.to_string().contains("responses"), "{err}");
}

#[test]
fn unknown_keywords_are_located_warnings() {
    check(
        "type: object\nproperties:\n  a: {type: string, optional: true}\nif: {required: [a]}",
        json!({"type": "object", "properties": {"a": {"type": "string", "optional": true}}, "if": {"required": ["a"]}}),
        &[
            &format!("{S}/properties/a/optional: has no place"),
            &format!("{S}/if: has no place"),
        ],
    );
}

#[test]
fn openapi_3_0_documents_get_the_same_shapes() {
    check_version(
        "3.0.3",
        "$ref: '#/components/schemas/X'\nnullable: true",
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/X"}]}),
        &[],
    );
}
