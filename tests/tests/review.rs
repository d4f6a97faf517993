//! The change report: `fixtures/diff/base.yaml` edited one way at a time, each edit's
//! changes asserted by kind and class and its report snapshotted; and `api.md` snapshots
//! for two fixtures. Review with `cargo insta review`.

use std::path::Path;

use generator::review::{self, ChangeKind, ChangeKind::*, Class, Surface, listing};
use generator_tests::{Fixture, fixtures_dir};
use serde_json::{Value, json};

fn base() -> Value {
    let path = fixtures_dir().join("diff/base.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn surface(spec: &Value) -> Surface {
    let text = serde_yaml::to_string(spec).unwrap();
    let doc = openapi::load_str(&text, Path::new("pets.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let config = openapi::Config::for_spec(Path::new("pets.yaml"), "pets");
    review::surface_of(&doc, &config)
}

/// The node at `keys` below `value` (object keys, unescaped).
fn at<'v>(value: &'v mut Value, keys: &[&str]) -> &'v mut Value {
    keys.iter().fold(value, |v, k| {
        v.get_mut(*k)
            .unwrap_or_else(|| panic!("no `{k}` in {keys:?}"))
    })
}

fn object<'v>(value: &'v mut Value, keys: &[&str]) -> &'v mut serde_json::Map<String, Value> {
    at(value, keys).as_object_mut().unwrap()
}

fn schema<'v>(spec: &'v mut Value, name: &str) -> &'v mut Value {
    at(spec, &["components", "schemas", name])
}

fn rename_key(map: &mut serde_json::Map<String, Value>, from: &str, to: &str) {
    let value = map.remove(from).unwrap();
    map.insert(to.into(), value);
}

type Edit = fn(&mut Value);

/// Each edit of the base spec, and the changes it must produce (sorted by kind).
const CASES: &[(&str, Edit, &[ChangeKind])] = &[
    ("no_change", |_| {}, &[]),
    (
        "method_removed",
        |s| {
            object(s, &["paths", "/pets/{pet_id}"]).remove("delete");
        },
        &[MethodRemoved],
    ),
    (
        "method_added",
        |s| {
            let get = at(s, &["paths", "/pets/{pet_id}", "get"]).clone();
            let mut put = get;
            put["operationId"] = json!("replacePet");
            object(s, &["paths", "/pets/{pet_id}"]).insert("put".into(), put);
        },
        &[MethodAdded],
    ),
    (
        "method_renamed",
        |s| {
            rename_key(
                object(s, &["paths"]),
                "/pets/{pet_id}/feed",
                "/pets/{pet_id}/treat",
            )
        },
        &[MethodRenamed],
    ),
    (
        "method_signature_changed",
        |s| {
            let schema = at(
                s,
                &[
                    "paths",
                    "/pets",
                    "post",
                    "responses",
                    "200",
                    "content",
                    "application/json",
                ],
            );
            schema["schema"] = json!({"$ref": "#/components/schemas/PetList"});
        },
        &[SignatureChanged],
    ),
    (
        "method_argument_renamed",
        |s| {
            let paths = object(s, &["paths"]);
            rename_key(paths, "/pets/{pet_id}", "/pets/{id}");
            paths["/pets/{id}"]["parameters"][0]["name"] = json!("id");
        },
        &[ArgumentRenamed, ArgumentRenamed],
    ),
    (
        "method_deprecated",
        |s| at(s, &["paths", "/pets", "get"])["deprecated"] = json!(true),
        &[MethodDeprecated],
    ),
    (
        "type_removed",
        |s| {
            object(s, &["components", "schemas"]).remove("Toy");
        },
        &[TypeRemoved],
    ),
    (
        "type_added",
        |s| {
            let collar = json!({"type": "object", "properties": {"size": {"type": "integer"}}});
            object(s, &["components", "schemas"]).insert("Collar".into(), collar);
        },
        &[TypeAdded],
    ),
    (
        "type_renamed",
        |s| rename_key(object(s, &["components", "schemas"]), "Toy", "Plaything"),
        &[TypeRenamed],
    ),
    (
        "field_became_required",
        |s| schema(s, "CreatePet")["required"] = json!(["name", "kind"]),
        &[FieldRequired],
    ),
    (
        "field_became_optional",
        |s| schema(s, "Pet")["required"] = json!(["id", "kind"]),
        &[FieldOptional],
    ),
    (
        "field_type_changed",
        |s| schema(s, "Pet")["properties"]["age"] = json!({"type": "string"}),
        &[FieldTypeChanged],
    ),
    (
        "field_nullability_changed",
        |s| schema(s, "CreatePet")["properties"]["nickname"] = json!({"type": "string"}),
        &[NullabilityChanged],
    ),
    (
        "field_removed",
        |s| {
            object(s, &["components", "schemas", "Pet", "properties"]).remove("age");
        },
        &[FieldRemoved],
    ),
    (
        "field_renamed",
        |s| {
            rename_key(
                object(s, &["components", "schemas", "Pet", "properties"]),
                "tag",
                "label",
            )
        },
        &[FieldRenamed],
    ),
    (
        "optional_field_added",
        |s| {
            let properties = object(s, &["components", "schemas", "CreatePet", "properties"]);
            properties.insert("color".into(), json!({"type": "string"}));
        },
        &[FieldAdded],
    ),
    (
        "required_field_added",
        |s| {
            let properties = object(s, &["components", "schemas", "CreatePet", "properties"]);
            properties.insert("owner".into(), json!({"type": "string"}));
            schema(s, "CreatePet")["required"] = json!(["name", "owner"]);
        },
        &[RequiredFieldAdded],
    ),
    (
        "constructor_order_changed",
        |s| {
            // `new` takes required fields in the order the spec lists the properties.
            let properties = object(s, &["components", "schemas", "Pet", "properties"]);
            let id = properties.remove("id").unwrap();
            properties.insert("id".into(), id);
        },
        &[ConstructorChanged],
    ),
    (
        "enum_value_removed",
        |s| schema(s, "Kind")["enum"] = json!(["cat", "dog"]),
        &[ValueRemoved],
    ),
    (
        "enum_value_added",
        |s| schema(s, "Kind")["enum"] = json!(["cat", "dog", "bird", "fish"]),
        &[ValueAdded],
    ),
    (
        "variant_removed",
        |s| {
            let variants = at(s, &["components", "schemas", "Event", "oneOf"]);
            variants.as_array_mut().unwrap().pop();
        },
        &[VariantRemoved],
    ),
    (
        "variant_added",
        |s| {
            let mut updated = schema(s, "PetCreated").clone();
            updated["properties"]["type"] = json!({"type": "string", "enum": ["pet.updated"]});
            object(s, &["components", "schemas"]).insert("PetUpdated".into(), updated);
            let variants = at(s, &["components", "schemas", "Event", "oneOf"]);
            let variants = variants.as_array_mut().unwrap();
            variants.push(json!({"$ref": "#/components/schemas/PetUpdated"}));
        },
        // The variant, its struct and the struct's type tag.
        &[TypeAdded, TypeAdded, VariantAdded],
    ),
    (
        "conversion_removed",
        |s| {
            let variants = at(s, &["components", "schemas", "Label", "oneOf"]);
            let tags = json!({"type": "array", "items": {"type": "string"}, "title": "Tags"});
            variants.as_array_mut().unwrap().push(tags);
        },
        // `From<Vec<String>>` would not know which of the two variants to build.
        &[ConversionRemoved, VariantAdded],
    ),
    (
        "type_kind_changed",
        |s| *schema(s, "Toy") = json!({"type": "string", "enum": ["ball", "rope"]}),
        &[KindChanged],
    ),
];

#[test]
fn each_edit_is_classified() {
    let old = surface(&base());
    let mut failures = Vec::new();
    for (name, edit, expected) in CASES {
        let mut spec = base();
        edit(&mut spec);
        let changes = review::compare(&old, &surface(&spec));
        let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
        if kinds != *expected {
            failures.push(format!("{name}: expected {expected:?}, got {changes:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn classes_follow_the_issue() {
    let breaking = [
        MethodRemoved,
        MethodRenamed,
        SignatureChanged,
        TypeRemoved,
        TypeRenamed,
        FieldRequired,
        FieldTypeChanged,
        RequiredFieldAdded,
        ValueRemoved,
        VariantRemoved,
        ConversionRemoved,
    ];
    let compatible = [MethodAdded, TypeAdded, FieldAdded, ValueAdded, VariantAdded];
    for kind in breaking {
        assert_eq!(kind.class(), Class::Breaking, "{kind:?}");
    }
    for kind in compatible {
        assert_eq!(kind.class(), Class::Compatible, "{kind:?}");
    }
}

/// One report per edit: what a reviewer reads after `cargo xtask codegen`.
#[test]
fn reports() {
    let old = surface(&base());
    for (name, edit, _) in CASES {
        let mut spec = base();
        edit(&mut spec);
        let report = review::change_report(&old, &surface(&spec), "0.1.0");
        insta::assert_snapshot!(format!("report_{name}"), report);
    }
}

/// The listing reads back as the surface it was written from, for every fixture.
#[test]
fn listings_read_back_losslessly() {
    for fixture in generator_tests::all_fixtures() {
        let doc = openapi::load(&fixture.path).unwrap();
        let config = openapi::Config::for_spec(&fixture.path, &fixture.crate_name());
        let surface = review::surface_of(&doc, &config);
        let text = listing::render(&surface);
        assert_eq!(listing::parse(&text), Ok(surface), "{}", fixture.name);
    }
}

#[test]
fn api_listings() {
    for name in ["operations", "discriminated_union"] {
        let fixture = Fixture::from_path(&fixtures_dir().join(format!("{name}.yaml")));
        let generated = fixture.generate().unwrap();
        let api = &generated.output.files[Path::new(review::API_FILE)];
        insta::assert_snapshot!(format!("api_{name}"), api);
    }
}
