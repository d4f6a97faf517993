//! The recorded OpenAI traffic (`../shared/traffic/openai-recorded.jsonl`) through both
//! clients' response types: how many 2xx bodies and stream events each decodes, and how
//! many re-encode to the same JSON (numbers by value). Ours decodes the way its client does
//! (forgiving, `runtime::drift::from_str`); async-openai with `serde_json`, as its client
//! does. Only the endpoints async-openai 0.43 has types for (it dropped the Assistants API).
//!
//! `cargo run --release --bin traffic [path]` (from `benches/decode`); prints Markdown.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decoded, and decoded-and-lossless.
#[derive(Default, Clone, Copy)]
struct Count {
    bodies: usize,
    decoded: usize,
    lossless: usize,
}

impl Count {
    fn add(&mut self, (decoded, lossless): (bool, bool)) {
        self.bodies += 1;
        self.decoded += usize::from(decoded);
        self.lossless += usize::from(lossless);
    }
}

fn ours<T: DeserializeOwned + Serialize>(body: &Value) -> (bool, bool) {
    match openai_client::runtime::drift::from_str::<T>(&body.to_string()) {
        Ok(value) => (true, same(body, &serde_json::to_value(&value).unwrap_or(Value::Null))),
        Err(_) => (false, false),
    }
}

fn theirs<T: DeserializeOwned + Serialize>(body: &Value) -> (bool, bool) {
    match serde_json::from_str::<T>(&body.to_string()) {
        Ok(value) => (true, same(body, &serde_json::to_value(&value).unwrap_or(Value::Null))),
        Err(_) => (false, false),
    }
}

/// A list body by its `data` items (each side's own item type).
fn ours_items<T: DeserializeOwned + Serialize>(body: &Value) -> (bool, bool) {
    items(body, ours::<T>)
}

fn theirs_items<T: DeserializeOwned + Serialize>(body: &Value) -> (bool, bool) {
    items(body, theirs::<T>)
}

fn items(body: &Value, check: Check) -> (bool, bool) {
    let results: Vec<(bool, bool)> = body["data"].as_array().map_or(Vec::new(), |items| items.iter().map(check).collect());
    (results.iter().all(|r| r.0), results.iter().all(|r| r.1))
}

/// The same JSON, numbers compared by value.
fn same(was: &Value, now: &Value) -> bool {
    match (was, now) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => was == now,
    }
}

type Check = fn(&Value) -> (bool, bool);

/// Per endpoint: response checks (ours, theirs) and event checks (ours, theirs).
fn checks(method: &str, template: &str, request: &Value) -> Option<((Check, Check), Option<(Check, Check)>)> {
    use async_openai::types as a;
    use openai_client::types as o;
    let base64 = request["encoding_format"] == "base64";
    Some(match (method, template) {
        ("POST", "/chat/completions") => (
            (ours::<o::CreateChatCompletionResponse>, theirs::<a::chat::CreateChatCompletionResponse>),
            Some((ours::<o::CreateChatCompletionStreamResponse>, theirs::<a::chat::CreateChatCompletionStreamResponse>)),
        ),
        ("POST", "/completions") => (
            (ours::<o::CreateCompletionResponse>, theirs::<a::completions::CreateCompletionResponse>),
            Some((ours::<o::CreateCompletionResponse>, theirs::<a::completions::CreateCompletionResponse>)),
        ),
        ("POST", "/responses") => (
            (ours::<o::Response>, theirs::<a::responses::Response>),
            Some((ours::<o::ResponseStreamEvent>, theirs::<a::responses::ResponseStreamEvent>)),
        ),
        // async-openai has a separate call (and type) for base64 embeddings.
        ("POST", "/embeddings") if base64 => (
            (ours::<o::CreateEmbeddingResponse>, theirs::<a::embeddings::CreateBase64EmbeddingResponse>),
            None,
        ),
        ("POST", "/embeddings") => (
            (ours::<o::CreateEmbeddingResponse>, theirs::<a::embeddings::CreateEmbeddingResponse>),
            None,
        ),
        // The list type is ours only with every group on: compare the items.
        ("GET", "/files") => ((ours_items::<o::OpenAiFile>, theirs_items::<a::files::OpenAIFile>), None),
        ("POST", "/files") | ("GET", "/files/{id}") => {
            ((ours::<o::OpenAiFile>, theirs::<a::files::OpenAIFile>), None)
        }
        ("DELETE", "/files/{id}") => {
            ((ours::<o::DeleteFileResponse>, theirs::<a::files::DeleteFileResponse>), None)
        }
        ("GET", "/models") => ((ours::<o::ListModelsResponse>, theirs::<a::models::ListModelResponse>), None),
        ("GET", "/models/{id}") => ((ours::<o::Model>, theirs::<a::models::Model>), None),
        ("DELETE", "/models/{id}") => {
            ((ours::<o::DeleteModelResponse>, theirs::<a::models::DeleteModelResponse>), None)
        }
        ("POST", "/moderations") => (
            (ours::<o::CreateModerationResponse>, theirs::<a::moderations::CreateModerationResponse>),
            None,
        ),
        ("POST", "/images/generations") => {
            ((ours::<o::ImagesResponse>, theirs::<a::images::ImagesResponse>), None)
        }
        ("POST", "/audio/transcriptions") => (
            (ours::<o::CreateTranscriptionResponse>, theirs::<a::audio::CreateTranscriptionResponseJson>),
            None,
        ),
        _ => return None,
    })
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/traffic/openai-recorded.jsonl").to_owned()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // (endpoint, kind) → (ours, theirs)
    let mut counts: BTreeMap<(String, &str), (Count, Count)> = BTreeMap::new();
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).expect("each line is JSON");
        let (method, template) = (record["method"].as_str().unwrap_or(""), record["template"].as_str().unwrap_or(""));
        let status = record["status"].as_u64().unwrap_or(0);
        let Some(((ours, theirs), events)) = checks(method, template, &record["request_json"]) else {
            continue;
        };
        let key = format!("{method} {template}");
        if let Some(body) = record.get("response_json").filter(|b| !b.is_null() && (200..300).contains(&status)) {
            let entry = counts.entry((key.clone(), "response")).or_default();
            entry.0.add(ours(body));
            entry.1.add(theirs(body));
        }
        if let (Some(sse), Some((ours, theirs))) = (record["response_sse"].as_str(), events) {
            let entry = counts.entry((key.clone(), "event")).or_default();
            for data in sse.lines().filter_map(|l| l.strip_prefix("data:")).map(str::trim) {
                if data == "[DONE]" || data.is_empty() {
                    continue;
                }
                let body: Value = serde_json::from_str(data).expect("event data is JSON");
                entry.0.add(ours(&body));
                entry.1.add(theirs(&body));
            }
        }
    }
    println!("| endpoint | body | count | openai-client decoded | lossless | async-openai decoded | lossless |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let mut totals: BTreeMap<&str, (Count, Count)> = BTreeMap::new();
    for ((endpoint, kind), (o, a)) in &counts {
        println!(
            "| `{endpoint}` | {kind} | {} | {} | {} | {} | {} |",
            o.bodies, o.decoded, o.lossless, a.decoded, a.lossless
        );
        let total = totals.entry(kind).or_default();
        for (sum, part) in [(&mut total.0, o), (&mut total.1, a)] {
            sum.bodies += part.bodies;
            sum.decoded += part.decoded;
            sum.lossless += part.lossless;
        }
    }
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    for (kind, (o, a)) in &totals {
        println!(
            "| **all {kind}s** | | **{}** | **{:.1}%** | **{:.1}%** | **{:.1}%** | **{:.1}%** |",
            o.bodies,
            pct(o.decoded, o.bodies),
            pct(o.lossless, o.bodies),
            pct(a.decoded, a.bodies),
            pct(a.lossless, a.bodies),
        );
    }
}
