//! Structured outputs (feature `structured-outputs`): the strict schema of Rust types, the
//! request formats that carry it, and replies parsed back (refusals, truncation and
//! mismatches as typed errors).

use std::collections::HashMap;

use openai_client::structured::{SchemaError, StructuredOutputError, StructuredSchema};
use openai_client::types::{CreateChatCompletionResponse, Response};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
/// A city's weather.
struct Weather {
    city: String,
    celsius: f64,
    /// Optional: nullable in the strict schema, absent (`None`) when the model sends null.
    note: Option<String>,
    #[serde(default)]
    wind_kmh: u32,
    conditions: Vec<Condition>,
    forecast: Option<Box<Weather>>,
}

#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Condition {
    Sunny,
    Rain { mm: f64 },
}

/// Checks the strict-mode rules on a whole schema, independently of how it was made: every
/// object closed and listing all its properties as required, no keyword strict mode lacks.
fn assert_strict(schema: &Value, at: &str) {
    const ALLOWED: [&str; 19] = [
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "anyOf",
        "$ref",
        "$defs",
        "description",
        "title",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ];
    let Some(object) = schema.as_object() else {
        panic!("{at}: not a schema object: {schema}");
    };
    for key in object.keys() {
        assert!(
            ALLOWED.contains(&key.as_str()),
            "{at}: `{key}` is not allowed in strict mode"
        );
    }
    if object.get("type") == Some(&json!("object")) {
        assert_eq!(
            object.get("additionalProperties"),
            Some(&json!(false)),
            "{at}"
        );
        let properties = object["properties"].as_object().expect("properties");
        let required: Vec<&str> = object["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let names: Vec<&str> = properties.keys().map(String::as_str).collect();
        assert_eq!(required, names, "{at}: every property is required");
    }
    for (key, value) in object {
        match key.as_str() {
            "properties" | "$defs" => {
                for (name, sub) in value.as_object().unwrap() {
                    assert_strict(sub, &format!("{at}/{key}/{name}"));
                }
            }
            "items" => assert_strict(value, &format!("{at}/items")),
            "anyOf" => {
                for (i, sub) in value.as_array().unwrap().iter().enumerate() {
                    assert_strict(sub, &format!("{at}/anyOf/{i}"));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn a_type_becomes_a_strict_schema() {
    let format = StructuredSchema::of::<Weather>().unwrap();
    assert_eq!(format.name, "Weather");
    assert_eq!(format.description.as_deref(), Some("A city's weather."));
    let schema = Value::Object(format.schema.clone());
    assert_strict(&schema, "#");
    assert_eq!(
        schema["required"],
        json!([
            "city",
            "celsius",
            "note",
            "wind_kmh",
            "conditions",
            "forecast"
        ])
    );
    // Optional fields are nullable; required ones are not.
    assert_eq!(
        schema["properties"]["note"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        schema["properties"]["wind_kmh"]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(schema["properties"]["city"]["type"], json!("string"));
    // `uint32` is no format strict mode knows: dropped; the bound stays.
    assert!(schema["properties"]["wind_kmh"].get("format").is_none());
    assert_eq!(schema["properties"]["wind_kmh"]["minimum"], json!(0));
    // The recursive field refers to the root, nullable.
    let forecast = &schema["properties"]["forecast"];
    assert!(
        forecast.to_string().contains("\"$ref\":\"#\""),
        "{forecast}"
    );
    assert!(forecast.to_string().contains("\"null\""), "{forecast}");
    // The enum lives in `$defs`, its data variant a closed object, `oneOf` as `anyOf`.
    let condition = &schema["$defs"]["Condition"];
    assert!(
        condition.get("oneOf").is_none() && condition.get("anyOf").is_some(),
        "{condition}"
    );
    assert!(schema.get("$schema").is_none() && schema.get("title").is_none());
}

#[test]
fn request_formats_carry_the_schema_strictly() {
    let format = StructuredSchema::of::<Weather>()
        .unwrap()
        .name("weather_report");
    let chat = serde_json::to_value(format.response_format()).unwrap();
    assert_eq!(chat["type"], "json_schema");
    assert_eq!(chat["json_schema"]["name"], "weather_report");
    assert_eq!(chat["json_schema"]["strict"], true);
    assert_eq!(
        chat["json_schema"]["schema"],
        Value::Object(format.schema.clone())
    );
    let text = serde_json::to_value(format.text_format()).unwrap();
    assert_eq!(text["format"]["type"], "json_schema");
    assert_eq!(text["format"]["name"], "weather_report");
    assert_eq!(text["format"]["strict"], true);
    assert_eq!(text["format"]["schema"], chat["json_schema"]["schema"]);
}

#[test]
fn what_strict_mode_cannot_express_is_a_located_error() {
    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Tags {
        by_name: HashMap<String, u32>,
    }
    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Anything {
        extra: Value,
    }
    let err: SchemaError = StructuredSchema::of::<Tags>().unwrap_err();
    assert_eq!(err.pointer, "#/properties/by_name/additionalProperties");
    assert!(err.message.contains("maps"), "{err}");
    let err = StructuredSchema::of::<Anything>().unwrap_err();
    assert!(err.pointer.starts_with("#/properties/extra"), "{err}");
    let err = StructuredSchema::of::<Vec<u32>>().unwrap_err();
    assert_eq!(
        (
            err.pointer.as_str(),
            err.message.contains("root must be an object")
        ),
        ("#", true)
    );
}

fn completion(message: Value, finish_reason: &str) -> CreateChatCompletionResponse {
    serde_json::from_value(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": null, "message": message}]
    }))
    .unwrap()
}

const REPLY: &str = r#"{"city": "Paris", "celsius": 21.5, "note": null, "wind_kmh": null,
    "conditions": ["sunny", {"rain": {"mm": 2.5}}],
    "forecast": {"city": "Paris", "celsius": 18, "note": "cooler", "wind_kmh": 12,
                 "conditions": [], "forecast": null}}"#;

#[test]
fn a_chat_reply_parses_into_the_type() {
    let reply = completion(
        json!({"role": "assistant", "content": REPLY, "refusal": null}),
        "stop",
    );
    let weather: Weather = reply.parsed().unwrap();
    assert_eq!(
        weather,
        Weather {
            city: "Paris".into(),
            celsius: 21.5,
            note: None,
            wind_kmh: 0,
            conditions: vec![Condition::Sunny, Condition::Rain { mm: 2.5 }],
            forecast: Some(Box::new(Weather {
                city: "Paris".into(),
                celsius: 18.0,
                note: Some("cooler".into()),
                wind_kmh: 12,
                conditions: vec![],
                forecast: None,
            })),
        }
    );
}

#[test]
fn refusals_truncation_and_mismatches_are_typed_errors() {
    let refused = completion(
        json!({"role": "assistant", "content": null, "refusal": "I can't help with that."}),
        "stop",
    );
    assert!(matches!(
        refused.parsed::<Weather>(),
        Err(StructuredOutputError::Refusal(why)) if why == "I can't help with that."
    ));
    let cut = completion(
        json!({"role": "assistant", "content": "{\"city\": \"Par", "refusal": null}),
        "length",
    );
    assert!(matches!(
        cut.parsed::<Weather>(),
        Err(StructuredOutputError::Truncated(_))
    ));
    let empty = completion(
        json!({"role": "assistant", "content": null, "refusal": null}),
        "stop",
    );
    assert!(matches!(
        empty.parsed::<Weather>(),
        Err(StructuredOutputError::NoContent)
    ));
    let wrong = completion(
        json!({"role": "assistant", "content": "{\"city\": 3}", "refusal": null}),
        "stop",
    );
    match wrong.parsed::<Weather>() {
        Err(StructuredOutputError::Mismatch { error, content }) => {
            assert_eq!(content, "{\"city\": 3}");
            assert!(error.to_string().contains("invalid type"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    // A required field sent as null is still a mismatch: only optional ones read as absent.
    let null_city = REPLY.replacen("\"Paris\"", "null", 1);
    let reply = completion(
        json!({"role": "assistant", "content": null_city, "refusal": null}),
        "stop",
    );
    assert!(matches!(
        reply.parsed::<Weather>(),
        Err(StructuredOutputError::Mismatch { .. })
    ));
}

fn response(status: &str, content: Value) -> Response {
    serde_json::from_value(json!({
        "id": "resp_1", "object": "response", "created_at": 1, "status": status,
        "error": null, "incomplete_details": if status == "incomplete" { json!({"reason": "max_output_tokens"}) } else { Value::Null },
        "instructions": null, "metadata": {}, "model": "gpt-4o", "parallel_tool_calls": true,
        "temperature": 1.0, "tool_choice": "auto", "tools": [], "top_p": 1.0,
        "output": [{"type": "message", "id": "msg_1", "status": "completed", "role": "assistant", "content": content}]
    }))
    .unwrap()
}

#[test]
fn a_responses_reply_parses_into_the_type() {
    let text =
        |t: &str| json!({"type": "output_text", "text": t, "annotations": [], "logprobs": []});
    let (first, rest) = REPLY.split_at(40);
    let reply = response("completed", json!([text(first), text(rest)]));
    let weather: Weather = reply.parsed().unwrap();
    assert_eq!(weather.city, "Paris");
    let refused = response("completed", json!([{"type": "refusal", "refusal": "No."}]));
    assert!(
        matches!(refused.parsed::<Weather>(), Err(StructuredOutputError::Refusal(r)) if r == "No.")
    );
    let incomplete = response("incomplete", json!([text(first)]));
    match incomplete.parsed::<Weather>() {
        Err(StructuredOutputError::Truncated(why)) => {
            assert!(why.contains("MaxOutputTokens"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        response("completed", json!([])).parsed::<Weather>(),
        Err(StructuredOutputError::NoContent)
    ));
}
