//! Stream accumulation on every real recorded stream of `../shared/traffic/` (see its README).
//!
//! **Chat completions.** The traffic holds the chunks of 244 streamed completions but not the
//! completions themselves, so the reference is computed independently: a Python program
//! (below, run by the test) folds each stream's raw JSON chunks into the completion the way
//! the API documents it, and each stream, read through `accumulate()` exactly as a client
//! reads it, must give that object.
//!
//! **Responses API.** Each stream carries its final object in its terminal event
//! (`response.completed` or `response.incomplete`): `finish()` must return it; the snapshot
//! built from every event before it must have the same output; and a second accumulation
//! that skips every `….done` event (so items are built from `….added` and deltas alone) must
//! have the same texts, refusals, arguments and reasoning summaries.
//!
//! Every stream cut before its last event must be an error, not a half object.
//!
//! Streams that fail only because an event does not decode are listed below with the decode
//! error (none today: decoding forgives what real servers leave out); the test fails if one of
//! them starts passing (remove it then) or any other stream fails.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use openai_client::AccumulateError;
use openai_client::types::{
    CreateChatCompletionResponse, CreateChatCompletionStreamResponse, Response, ResponseStreamEvent,
};
use serde_json::Value;

/// Chat streams that do not accumulate today, by source, with the reason.
const CHAT_EXPECTED_FAILURES: &[(&str, &str)] = &[];

/// Responses streams that do not accumulate, by source, with the first decode error. Every
/// recorded stream decodes now that decoding forgives what the server leaves out (a missing
/// `cache_write_tokens`, `name` or `sequence_number`).
const RESPONSES_EXPECTED_FAILURES: &[(&str, &str)] = &[];

/// Folds chat completion chunks into completions, one JSON object per stream on stdout:
/// `{"source": …, "completion": …}`. Written from the API reference, not from the Rust code.
const CHAT_REFERENCE: &str = r#"
import json, sys

def fold(chunks):
    out = {"object": "chat.completion"}
    choices = {}
    for chunk in chunks:
        for key in ("id", "model"):
            if key not in out and chunk.get(key):
                out[key] = chunk[key]
        if "created" not in out and chunk.get("created"):
            out["created"] = chunk["created"]
        if "system_fingerprint" not in out and chunk.get("system_fingerprint") is not None:
            out["system_fingerprint"] = chunk["system_fingerprint"]
        if "service_tier" not in out and "service_tier" in chunk:
            out["service_tier"] = chunk["service_tier"]
        if chunk.get("usage") is not None:
            out["usage"] = chunk["usage"]
        for c in chunk.get("choices") or []:
            s = choices.setdefault(c["index"], {"content": None, "refusal": None, "tools": {},
                                                "function": None, "logprobs": None, "finish": None})
            d = c.get("delta") or {}
            for key in ("content", "refusal"):
                if d.get(key) is not None:
                    s[key] = (s[key] or "") + d[key]
            for t in d.get("tool_calls") or []:
                call = s["tools"].setdefault(t["index"], {"id": None, "name": None, "arguments": ""})
                if call["id"] is None and t.get("id") is not None:
                    call["id"] = t["id"]
                f = t.get("function") or {}
                if call["name"] is None and f.get("name") is not None:
                    call["name"] = f["name"]
                if f.get("arguments") is not None:
                    call["arguments"] += f["arguments"]
            if d.get("function_call") is not None:
                f = d["function_call"]
                if s["function"] is None:
                    s["function"] = {"name": None, "arguments": ""}
                if s["function"]["name"] is None and f.get("name") is not None:
                    s["function"]["name"] = f["name"]
                if f.get("arguments") is not None:
                    s["function"]["arguments"] += f["arguments"]
            if c.get("logprobs") is not None:
                lp = s["logprobs"] = s["logprobs"] or {"content": None, "refusal": None}
                for key in ("content", "refusal"):
                    if c["logprobs"].get(key) is not None:
                        lp[key] = (lp[key] or []) + c["logprobs"][key]
            if c.get("finish_reason") is not None:
                s["finish"] = c["finish_reason"]
    out.setdefault("id", "")
    out.setdefault("model", "")
    out.setdefault("created", 0)
    out["choices"] = []
    for index in sorted(choices):
        s = choices[index]
        message = {"role": "assistant", "content": s["content"], "refusal": s["refusal"]}
        if s["tools"]:
            message["tool_calls"] = [
                {"id": t["id"] or "", "type": "function",
                 "function": {"name": t["name"] or "", "arguments": t["arguments"]}}
                for _, t in sorted(s["tools"].items())]
        if s["function"] is not None:
            message["function_call"] = {"name": s["function"]["name"] or "",
                                        "arguments": s["function"]["arguments"]}
        out["choices"].append({"index": index, "finish_reason": s["finish"],
                               "message": message, "logprobs": s["logprobs"]})
    return out

for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    if record["template"] != "/chat/completions" or record["response_sse"] is None:
        continue
    data = [l[len("data:"):].strip() for l in record["response_sse"].split("\n") if l.startswith("data:")]
    chunks = [json.loads(d) for d in data if d != "[DONE]"]
    print(json.dumps({"source": record["source"], "completion": fold(chunks)}))
"#;

fn python_reference() -> BTreeMap<String, Value> {
    let output = Command::new("python3")
        .args(["-c", CHAT_REFERENCE])
        .arg(support::traffic_path())
        .output()
        .expect("python3 runs (the test command installs it)");
    assert!(
        output.status.success(),
        "the Python reference failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| {
            let mut value: Value = serde_json::from_str(line).expect("a JSON line");
            let source = value["source"].as_str().expect("a source").to_owned();
            (source, value["completion"].take())
        })
        .collect()
}

/// Compares what failed with the expected failures; `failures` maps source → reason.
fn check_failures(what: &str, failures: &BTreeMap<String, String>, expected: &[(&str, &str)]) {
    let expected: BTreeMap<&str, &str> = expected.iter().copied().collect();
    let unexpected: Vec<String> = failures
        .iter()
        .filter(|(source, _)| !expected.contains_key(source.as_str()))
        .map(|(source, why)| format!("  {source}: {why}"))
        .collect();
    let fixed: Vec<&&str> = expected
        .keys()
        .filter(|source| !failures.contains_key(**source))
        .collect();
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "{what}: {} unexpected failures:\n{}\nlisted as failing but passing now (remove them): {fixed:?}",
        unexpected.len(),
        unexpected.join("\n"),
    );
}

/// The body with everything from its last `data:` event on removed.
fn cut_before_last_event(body: &str) -> String {
    let trimmed = body.trim_end();
    let last = trimmed.rfind("\n\n").map_or(0, |at| at + 2);
    trimmed[..last].to_owned()
}

#[tokio::test]
async fn every_recorded_chat_stream_accumulates_to_the_reference_completion() {
    let streams = support::recorded_streams("/chat/completions");
    let reference = python_reference();
    assert_eq!(
        streams.len(),
        244,
        "the traffic file's README counts 244 chat streams"
    );
    assert_eq!(reference.len(), streams.len());
    let mut failures = BTreeMap::new();
    let mut matched = 0;
    for (source, body) in &streams {
        let mut stream =
            support::sse_stream::<CreateChatCompletionStreamResponse>(body).accumulate();
        let mut chunks = 0;
        while let Some(chunk) = stream.next().await {
            if let Err(e) = chunk {
                failures
                    .entry(source.clone())
                    .or_insert(format!("chunk {chunk}: {e}", chunk = chunks + 1));
            }
            chunks += 1;
        }
        let completion = match stream.finish().await {
            Ok(completion) => completion,
            Err(e) => {
                failures.entry(source.clone()).or_insert(e.to_string());
                continue;
            }
        };
        let ours = serde_json::to_value(&completion).expect("a completion serializes");
        let expected = &reference[source];
        if &ours != expected {
            failures.insert(
                source.clone(),
                format!(
                    "differs from the reference:\n    ours:     {ours}\n    expected: {expected}"
                ),
            );
            continue;
        }
        // The reference is a completion too.
        let typed: CreateChatCompletionResponse =
            serde_json::from_value(expected.clone()).expect("the reference decodes");
        assert_eq!(typed, completion);
        matched += 1;

        let cut = cut_before_last_event(body);
        let early = support::sse_stream::<CreateChatCompletionStreamResponse>(&cut)
            .accumulate()
            .finish()
            .await;
        assert!(
            matches!(early, Err(AccumulateError::Incomplete(_))),
            "{source}: a stream cut before its last event must be incomplete, got {early:?}"
        );
    }
    eprintln!(
        "{matched} of {} recorded chat streams accumulate to the reference completion",
        streams.len()
    );
    check_failures("chat streams", &failures, CHAT_EXPECTED_FAILURES);
}

/// Per output item, what deltas build: message texts and refusals, arguments and inputs,
/// reasoning summaries and texts.
fn built_from_deltas(output: &[openai_client::types::OutputItem]) -> Vec<(String, Vec<String>)> {
    let output = serde_json::to_value(output).expect("output serializes");
    let texts = |item: &Value, list: &str, key: &str| -> Vec<String> {
        item[list]
            .as_array()
            .into_iter()
            .flatten()
            .map(|part| {
                let text = part.get(key).or_else(|| part.get("refusal"));
                format!(
                    "{}:{}",
                    part["type"],
                    text.and_then(Value::as_str).unwrap_or("")
                )
            })
            .collect()
    };
    output
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let kind = item["type"].as_str().unwrap_or("?").to_owned();
            let facts = match kind.as_str() {
                "message" => texts(item, "content", "text"),
                "reasoning" => [
                    texts(item, "summary", "text"),
                    texts(item, "content", "text"),
                ]
                .concat(),
                _ => ["arguments", "input", "code"]
                    .iter()
                    .filter_map(|key| item[*key].as_str().map(str::to_owned))
                    .collect(),
            };
            (kind, facts)
        })
        .collect()
}

fn is_done_event(event: &ResponseStreamEvent) -> bool {
    use ResponseStreamEvent as E;
    matches!(
        event,
        E::ResponseOutputItemDone(_)
            | E::ResponseContentPartDone(_)
            | E::ResponseOutputTextDone(_)
            | E::ResponseRefusalDone(_)
            | E::ResponseFunctionCallArgumentsDone(_)
            | E::ResponseReasoningSummaryPartDone(_)
            | E::ResponseReasoningSummaryTextDone(_)
            | E::ResponseReasoningTextDone(_)
            | E::ResponseCustomToolCallInputDone(_)
            | E::ResponseMcpCallArgumentsDone(_)
            | E::ResponseCodeInterpreterCallCodeDone(_)
    )
}

fn final_response(event: &ResponseStreamEvent) -> Option<&Response> {
    match event {
        ResponseStreamEvent::ResponseCompleted(e) => Some(&e.response),
        ResponseStreamEvent::ResponseIncomplete(e) => Some(&e.response),
        _ => None,
    }
}

/// The data of every event of an SSE body, as JSON, read with the crate's own parser.
fn raw_events(body: &str) -> Vec<Value> {
    let mut parser = openai_client::runtime::sse::SseParser::new();
    let mut events = std::collections::VecDeque::new();
    parser.feed(body.as_bytes(), &mut events);
    events
        .into_iter()
        .filter_map(|e| serde_json::from_str(&e.data).ok())
        .collect()
}

/// `value` without `encrypted_content`: the server encrypts reasoning anew each time it
/// sends an item, so the `output_item.done` copy and the final response's copy differ.
fn without_encrypted(mut value: Value) -> Value {
    if let Some(items) = value.as_array_mut() {
        for item in items {
            if let Some(item) = item.as_object_mut() {
                item.remove("encrypted_content");
            }
        }
    }
    value
}

#[tokio::test]
async fn every_recorded_responses_stream_accumulates_to_its_final_response() {
    use openai_client::streaming::{Accumulator, ResponseAccumulator};
    use openai_client::types::OutputItem;
    let streams = support::recorded_streams("/responses");
    assert_eq!(
        streams.len(),
        226,
        "the traffic file's README counts 226 Responses streams"
    );
    // Streams that fail only because an event does not decode: source → reason.
    let mut decode_failures = BTreeMap::new();
    // Everything else that is wrong: source → what.
    let mut failures = BTreeMap::new();
    let (mut finished, mut compared) = (0, 0);
    for (source, body) in &streams {
        let raw = raw_events(body);
        let terminal = raw.iter().rev().find(|e| {
            matches!(
                e["type"].as_str(),
                Some("response.completed" | "response.incomplete")
            )
        });
        let Some(terminal) = terminal else {
            failures.insert(
                source.clone(),
                "the recording has no terminal event".to_owned(),
            );
            continue;
        };
        let mut stream = support::sse_stream::<ResponseStreamEvent>(body).accumulate();
        let mut events = Vec::new();
        let mut decode_error = None;
        let mut terminal_only = true;
        let mut index = 0;
        while let Some(event) = stream.next().await {
            match event {
                Ok(event) => events.push(event),
                Err(e) => {
                    let kind = raw
                        .get(index)
                        .and_then(|r| r["type"].as_str())
                        .unwrap_or("?");
                    terminal_only &= raw.get(index) == Some(terminal);
                    decode_error.get_or_insert(format!(
                        "event {} (`{kind}`) does not decode: {e}",
                        index + 1
                    ));
                }
            }
            index += 1;
        }
        let snapshot = stream.accumulator().snapshot().cloned();
        let mismatch = stream.accumulator().first_mismatch().map(str::to_owned);
        let result = stream.finish().await;

        // 1. `finish()` returns the terminal event's response, when every event decodes.
        match (&decode_error, result) {
            (None, Ok(response)) => {
                let expected = events.iter().rev().find_map(final_response);
                if expected != Some(&response) {
                    failures.insert(
                        source.clone(),
                        "finish() is not the terminal event's response".into(),
                    );
                    continue;
                }
                finished += 1;
            }
            (None, Err(e)) => {
                failures.insert(source.clone(), format!("finish() failed: {e}"));
                continue;
            }
            (Some(why), Err(AccumulateError::Interrupted(_))) => {
                decode_failures.insert(source.clone(), why.clone());
            }
            (Some(_), other) => {
                failures.insert(
                    source.clone(),
                    format!("an event failed to decode, yet finish() gave {other:?}"),
                );
                continue;
            }
        }

        // 2. The snapshot, and the items built from deltas alone, match the final output
        //    (decoded on its own, so that a usage object that does not decode today does
        //    not hide the output). When an event before the terminal one did not decode, a
        //    difference is put down to it (the stream is already listed for it).
        let excused = decode_error.is_some() && !terminal_only;
        let final_output: Vec<OutputItem> =
            match serde_json::from_value(terminal["response"]["output"].clone()) {
                Ok(output) => output,
                Err(e) => {
                    decode_failures.insert(
                        source.clone(),
                        format!("the final output does not decode: {e}"),
                    );
                    continue;
                }
            };
        let ours = snapshot
            .as_ref()
            .map(|s| without_encrypted(serde_json::to_value(&s.output).expect("serializes")));
        let theirs = without_encrypted(serde_json::to_value(&final_output).expect("serializes"));
        let mut deltas_only = ResponseAccumulator::default();
        for event in events
            .iter()
            .filter(|e| !is_done_event(e) && final_response(e).is_none())
        {
            deltas_only.push(event);
        }
        let built = deltas_only
            .snapshot()
            .map(|r| built_from_deltas(&r.output))
            .unwrap_or_default();
        let expected = built_from_deltas(&final_output);
        let problem = if let Some(mismatch) = mismatch {
            Some(mismatch)
        } else if ours.as_ref() != Some(&theirs) {
            Some(format!(
                "the snapshot's output differs:\n    ours:  {ours:?}\n    final: {theirs}"
            ))
        } else if built != expected {
            Some(format!(
                "built from deltas: {built:?}\n    final: {expected:?}"
            ))
        } else {
            None
        };
        match problem {
            Some(_) if excused => continue,
            Some(problem) => {
                failures.insert(source.clone(), problem);
                continue;
            }
            None => compared += 1,
        }

        // 3. Cut before its terminal event, the stream is an error.
        let cut = cut_before_last_event(body);
        let early = support::sse_stream::<ResponseStreamEvent>(&cut)
            .accumulate()
            .finish()
            .await;
        let expected_error = match &decode_error {
            None => matches!(early, Err(AccumulateError::Incomplete(_))),
            Some(_) => early.is_err(),
        };
        if !expected_error {
            failures.insert(
                source.clone(),
                format!("cut before its terminal event, it gave {early:?}"),
            );
        }
    }
    eprintln!(
        "{} recorded Responses streams: finish() returns the final response for {finished}; the \
         snapshot and the items built from deltas match the final output for {compared}; {} do \
         not decode today",
        streams.len(),
        decode_failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} Responses streams fail for another reason than decoding:\n{}",
        failures.len(),
        failures
            .iter()
            .map(|(s, why)| format!("  {s}: {why}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    check_failures(
        "Responses streams",
        &decode_failures,
        RESPONSES_EXPECTED_FAILURES,
    );
}
