//! Real recorded OpenAI traffic (`../shared/traffic/openai-recorded.jsonl`, see its README):
//! every response body, stream event, request body and error body through the generated
//! types, the way the client decodes them.
//!
//! For each body: it must decode forgivingly (the client's default) and re-encode to the
//! same JSON (numbers compared by value); whether it also decodes strictly (exactly as the
//! spec says) is counted against the figures in `STRICT`, so a change in either direction
//! shows. Where a body departs from the spec, the departure's class (path with list
//! indices folded, and kind) is counted per endpoint and printed.
//!
//! `cargo test -p generator-tests --test openai_traffic -- --nocapture` prints the table.

// The Assistants API is deprecated in the spec; the corpus has its traffic all the same.
#![allow(deprecated)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use openai_client::runtime::drift::{self, Conformance, DriftKind};
use openai_client::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const TRAFFIC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/traffic/openai-recorded.jsonl"
);

/// What one body did.
struct Checked {
    /// The forgiving decode's error, if it failed.
    failed: Option<String>,
    /// Where the re-encoded value differs from the body, if it does.
    lossy: Option<String>,
    /// Departure classes: the path with list indices folded, and the kind.
    drift: Vec<String>,
    /// Whether it decodes strictly.
    strict: bool,
}

type Check = fn(&Value) -> Checked;

fn check<T: DeserializeOwned + Serialize + Conformance>(body: &Value) -> Checked {
    let text = body.to_string();
    let strict = drift::from_str_strict::<T>(&text).is_ok();
    let value: T = match drift::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            return Checked {
                failed: Some(e.to_string()),
                lossy: None,
                drift: Vec::new(),
                strict,
            };
        }
    };
    let again = serde_json::to_value(&value).expect("a decoded value encodes");
    let mut differences = Vec::new();
    differences_between(body, &again, "", &mut differences);
    let drift = value
        .drift()
        .iter()
        .map(|d| format!("{} {}", fold_indices(&d.path), kind_name(&d.kind)))
        .collect();
    Checked {
        failed: None,
        lossy: differences.first().cloned(),
        drift,
        strict,
    }
}

fn kind_name(kind: &DriftKind) -> &'static str {
    match kind {
        DriftKind::Missing => "missing",
        DriftKind::Null => "null",
        DriftKind::Invalid { .. } => "invalid",
        DriftKind::NoVariant => "no variant",
        _ => "other",
    }
}

/// `output[3].content[0].logprobs` → `output[].content[].logprobs`.
fn fold_indices(path: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    if out.is_empty() { ".".into() } else { out }
}

/// Where `now` differs from `was`, as JSON pointers; numbers compare by value.
fn differences_between(was: &Value, now: &Value, at: &str, out: &mut Vec<String>) {
    match (was, now) {
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                differences_between(x, y, &format!("{at}/{i}"), out);
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            for (key, old) in x {
                match y.get(key) {
                    Some(new) => differences_between(old, new, &format!("{at}/{key}"), out),
                    None => out.push(format!("`{at}/{key}` dropped (was {old})")),
                }
            }
            for (key, new) in y {
                if !x.contains_key(key) {
                    out.push(format!("`{at}/{key}` added ({new})"));
                }
            }
        }
        _ if was == now => {}
        _ => out.push(format!("`{at}` was {was}, now {now}")),
    }
}

/// How a stream's events are decoded.
#[derive(Clone, Copy)]
enum Events {
    /// Each event's data is one value of the type.
    Data(Check),
    /// Each event is `{"event": name, "data": data}` (the Assistants stream).
    Named(Check),
}

/// One endpoint of the corpus and the generated types for what crosses it.
struct Endpoint {
    method: &'static str,
    template: &'static str,
    request: Option<Check>,
    response: Check,
    events: Option<Events>,
}

fn endpoints() -> Vec<Endpoint> {
    fn e(
        method: &'static str,
        template: &'static str,
        request: Option<Check>,
        response: Check,
        events: Option<Events>,
    ) -> Endpoint {
        Endpoint {
            method,
            template,
            request,
            response,
            events,
        }
    }
    vec![
        e(
            "POST",
            "/assistants",
            Some(check::<types::CreateAssistantRequest>),
            check::<types::AssistantObject>,
            None,
        ),
        e(
            "GET",
            "/assistants/{id}",
            None,
            check::<types::AssistantObject>,
            None,
        ),
        // The request is multipart (not recorded).
        e(
            "POST",
            "/audio/transcriptions",
            None,
            check::<types::CreateTranscriptionResponse>,
            None,
        ),
        e(
            "POST",
            "/chat/completions",
            Some(check::<types::CreateChatCompletionRequest>),
            check::<types::CreateChatCompletionResponse>,
            Some(Events::Data(
                check::<types::CreateChatCompletionStreamResponse>,
            )),
        ),
        e(
            "POST",
            "/completions",
            Some(check::<types::CreateCompletionRequest>),
            check::<types::CreateCompletionResponse>,
            Some(Events::Data(check::<types::CreateCompletionResponse>)),
        ),
        e(
            "POST",
            "/embeddings",
            Some(check::<types::CreateEmbeddingRequest>),
            check::<types::CreateEmbeddingResponse>,
            None,
        ),
        e(
            "GET",
            "/files",
            None,
            check::<types::ListFilesResponse>,
            None,
        ),
        e("POST", "/files", None, check::<types::OpenAiFile>, None),
        e(
            "DELETE",
            "/files/{id}",
            None,
            check::<types::DeleteFileResponse>,
            None,
        ),
        e("GET", "/files/{id}", None, check::<types::OpenAiFile>, None),
        e(
            "POST",
            "/images/generations",
            Some(check::<types::CreateImageRequest>),
            check::<types::ImagesResponse>,
            None,
        ),
        e(
            "GET",
            "/models",
            None,
            check::<types::ListModelsResponse>,
            None,
        ),
        e(
            "DELETE",
            "/models/{id}",
            None,
            check::<types::DeleteModelResponse>,
            None,
        ),
        e("GET", "/models/{id}", None, check::<types::Model>, None),
        e(
            "POST",
            "/moderations",
            Some(check::<types::CreateModerationRequest>),
            check::<types::CreateModerationResponse>,
            None,
        ),
        e(
            "POST",
            "/responses",
            Some(check::<types::CreateResponse>),
            check::<types::Response>,
            Some(Events::Data(check::<types::ResponseStreamEvent>)),
        ),
        e(
            "POST",
            "/threads",
            Some(check::<types::CreateThreadRequest>),
            check::<types::ThreadObject>,
            None,
        ),
        e(
            "GET",
            "/threads/{id}/messages",
            None,
            check::<types::ListMessagesResponse>,
            None,
        ),
        e(
            "POST",
            "/threads/{id}/messages",
            Some(check::<types::CreateMessageRequest>),
            check::<types::MessageObject>,
            None,
        ),
        e(
            "POST",
            "/threads/{id}/runs",
            Some(check::<types::CreateRunRequest>),
            check::<types::RunObject>,
            Some(Events::Named(check::<types::AssistantStreamEvent>)),
        ),
        e(
            "GET",
            "/threads/{id}/runs/{id}",
            None,
            check::<types::RunObject>,
            None,
        ),
        e(
            "POST",
            "/threads/{id}/runs/{id}/submit_tool_outputs",
            Some(check::<types::SubmitToolOutputsRunRequest>),
            check::<types::RunObject>,
            None,
        ),
    ]
}

/// What the bodies of one kind at one endpoint did.
#[derive(Default)]
struct Tally {
    bodies: usize,
    decoded: usize,
    lossless: usize,
    strict: usize,
    failures: Vec<String>,
    lossy: Vec<String>,
    drift: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, source: &str, checked: Checked) {
        self.bodies += 1;
        self.strict += usize::from(checked.strict);
        if let Some(e) = checked.failed {
            self.failures.push(format!("{source}: {e}"));
            return;
        }
        self.decoded += 1;
        match checked.lossy {
            Some(difference) => self.lossy.push(format!("{source}: {difference}")),
            None => self.lossless += 1,
        }
        let mut classes = checked.drift;
        classes.sort();
        classes.dedup();
        for class in classes {
            *self.drift.entry(class).or_default() += 1;
        }
    }
}

/// Bodies that decode strictly, by endpoint and kind: the spec's own accuracy against the
/// real API. A change either way fails, so that it is seen (and this table updated).
const STRICT: &[(&str, &str, usize)] = &[
    ("DELETE /files/{id}", "response", 1),
    ("DELETE /models/{id}", "response", 1),
    ("GET /assistants/{id}", "response", 10),
    ("GET /files", "response", 0),
    ("GET /files/{id}", "response", 0),
    ("GET /models", "response", 2),
    ("GET /models/{id}", "response", 1),
    ("GET /threads/{id}/messages", "response", 0),
    ("GET /threads/{id}/runs/{id}", "response", 22),
    ("POST /assistants", "request", 10),
    ("POST /assistants", "response", 10),
    ("POST /audio/transcriptions", "response", 1),
    ("POST /chat/completions", "error", 16),
    ("POST /chat/completions", "event", 3674),
    ("POST /chat/completions", "request", 846),
    ("POST /chat/completions", "response", 384),
    ("POST /completions", "error", 3),
    ("POST /completions", "event", 667),
    ("POST /completions", "request", 77),
    ("POST /completions", "response", 53),
    ("POST /embeddings", "error", 3),
    ("POST /embeddings", "request", 47),
    ("POST /embeddings", "response", 47),
    ("POST /files", "response", 0),
    ("POST /images/generations", "error", 1),
    ("POST /images/generations", "request", 6),
    ("POST /images/generations", "response", 5),
    ("POST /moderations", "request", 1),
    ("POST /moderations", "response", 0),
    ("POST /responses", "error", 9),
    ("POST /responses", "event", 9660),
    ("POST /responses", "request", 578),
    ("POST /responses", "response", 0),
    ("POST /threads", "request", 16),
    ("POST /threads", "response", 16),
    ("POST /threads/{id}/messages", "request", 16),
    ("POST /threads/{id}/messages", "response", 0),
    ("POST /threads/{id}/runs", "event", 540),
    ("POST /threads/{id}/runs", "request", 16),
    ("POST /threads/{id}/runs", "response", 10),
    (
        "POST /threads/{id}/runs/{id}/submit_tool_outputs",
        "request",
        1,
    ),
    (
        "POST /threads/{id}/runs/{id}/submit_tool_outputs",
        "response",
        1,
    ),
];

#[test]
fn recorded_traffic_decodes_losslessly() {
    let text = std::fs::read_to_string(TRAFFIC)
        .unwrap_or_else(|e| panic!("{TRAFFIC}: {e} (the corpus is in ../shared/traffic)"));
    let endpoints = endpoints();
    let mut tallies: BTreeMap<(String, &'static str), Tally> = BTreeMap::new();
    let mut unmapped = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let record: Value = serde_json::from_str(line).expect("each line is JSON");
        let method = record["method"].as_str().unwrap_or_default();
        let template = record["template"].as_str().unwrap_or_default();
        let source = format!(
            "line {} ({})",
            number + 1,
            record["source"].as_str().unwrap_or("?")
        );
        let Some(endpoint) = endpoints
            .iter()
            .find(|e| e.method == method && e.template == template)
        else {
            unmapped.push(format!("{method} {template} ({source})"));
            continue;
        };
        let key = format!("{method} {template}");
        let mut tally = |kind: &'static str, checked: Checked| {
            tallies
                .entry((key.clone(), kind))
                .or_default()
                .add(&source, checked)
        };
        if let (Some(check), Some(request)) = (endpoint.request, record["request_json"].as_object())
        {
            tally("request", check(&Value::Object(request.clone())));
        }
        let status = record["status"].as_u64().unwrap_or(0);
        if let Some(body) = record.get("response_json").filter(|b| !b.is_null()) {
            if (200..300).contains(&status) {
                tally("response", (endpoint.response)(body));
            } else {
                tally("error", check::<types::ErrorResponse>(body));
            }
        }
        if let Some(sse) = record["response_sse"].as_str() {
            let Some(events) = endpoint.events else {
                unmapped.push(format!("{method} {template} stream ({source})"));
                continue;
            };
            for (index, (name, data)) in sse_events(sse).into_iter().enumerate() {
                if data == "[DONE]" && !matches!(events, Events::Named(_)) {
                    continue;
                }
                let source = format!("{source} event {index}");
                let checked = match events {
                    Events::Data(check) => match serde_json::from_str::<Value>(&data) {
                        Ok(value) => check(&value),
                        Err(e) => panic!("{source}: data is not JSON: {e}"),
                    },
                    Events::Named(check) => {
                        let data =
                            serde_json::from_str::<Value>(&data).unwrap_or(Value::String(data));
                        check(&json!({"event": name, "data": data}))
                    }
                };
                tallies
                    .entry((key.clone(), "event"))
                    .or_default()
                    .add(&source, checked);
            }
        }
    }

    let mut report = String::new();
    let _ = writeln!(
        report,
        "{:<52} {:<8} {:>6} {:>8} {:>8} {:>7}",
        "endpoint", "body", "count", "decoded", "lossless", "strict"
    );
    let mut totals: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for ((endpoint, kind), tally) in &tallies {
        let _ = writeln!(
            report,
            "{endpoint:<52} {kind:<8} {:>6} {:>8} {:>8} {:>7}",
            tally.bodies, tally.decoded, tally.lossless, tally.strict
        );
        let mut classes: Vec<(&String, &usize)> = tally.drift.iter().collect();
        classes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (class, count) in classes.iter().take(6) {
            let _ = writeln!(report, "    {count:>5}× {class}");
        }
        if classes.len() > 6 {
            let _ = writeln!(report, "    … {} more classes", classes.len() - 6);
        }
        let total = totals.entry(kind).or_default();
        for (sum, n) in
            total
                .iter_mut()
                .zip([tally.bodies, tally.decoded, tally.lossless, tally.strict])
        {
            *sum += n;
        }
    }
    for (kind, [bodies, decoded, lossless, strict]) in &totals {
        let percent = |n: &usize| 100.0 * *n as f64 / (*bodies).max(1) as f64;
        let _ = writeln!(
            report,
            "all {kind}s: {bodies}; decoded {decoded} ({:.2}%), lossless {lossless} ({:.2}%), strict {strict} ({:.2}%)",
            percent(decoded),
            percent(lossless),
            percent(strict),
        );
    }
    println!("{report}");

    let mut problems = Vec::new();
    if !unmapped.is_empty() {
        problems.push(format!(
            "records of endpoints without types here:\n  {}",
            unmapped.join("\n  ")
        ));
    }
    for ((endpoint, kind), tally) in &tallies {
        for failure in tally.failures.iter().take(5) {
            problems.push(format!("{endpoint} {kind} does not decode: {failure}"));
        }
        for lossy in tally.lossy.iter().take(5) {
            problems.push(format!("{endpoint} {kind} re-encodes differently: {lossy}"));
        }
    }
    let strict_now: Vec<(String, &str, usize)> = tallies
        .iter()
        .map(|((endpoint, kind), tally)| (endpoint.clone(), *kind, tally.strict))
        .collect();
    let strict_then: Vec<(String, &str, usize)> = STRICT
        .iter()
        .map(|(endpoint, kind, n)| (endpoint.to_string(), *kind, *n))
        .collect();
    if strict_now != strict_then {
        let table: String = strict_now
            .iter()
            .map(|(endpoint, kind, n)| format!("    ({endpoint:?}, {kind:?}, {n}),\n"))
            .collect();
        problems.push(format!(
            "the bodies that decode strictly changed; if that is expected, set `STRICT` to:\n{table}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The events of an SSE body: `(event name, data)`, through the client's own parser.
fn sse_events(body: &str) -> Vec<(String, String)> {
    let mut parser = openai_client::runtime::sse::SseParser::new();
    let mut events = std::collections::VecDeque::new();
    parser.feed(body.as_bytes(), &mut events);
    parser.feed(b"\n\n", &mut events);
    events.into_iter().map(|e| (e.event, e.data)).collect()
}
