//! Stream accumulation on hand-made streams: the cases the recordings have few or none of
//! (interleaved tool calls, several choices, logprobs, empty deltas, a usage-only last
//! chunk, a stream that stops early, errors in the stream, failed responses).

mod support;

use openai_client::AccumulateError;
use openai_client::types::{CreateChatCompletionStreamResponse, ResponseStreamEvent};
use serde_json::{Value, json};

/// An SSE body with one `data:` event per value, ended with `data: [DONE]` when `done`.
fn sse(events: &[Value], done: bool) -> String {
    let mut body: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    if done {
        body.push_str("data: [DONE]\n\n");
    }
    body
}

fn chunk(choices: Value) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000,
        "model": "gpt-4o-mini", "system_fingerprint": "fp_1", "choices": choices
    })
}

async fn chat(events: &[Value], done: bool) -> Result<Value, AccumulateError> {
    let body = sse(events, done);
    let mut stream = support::sse_stream::<CreateChatCompletionStreamResponse>(&body).accumulate();
    let mut yielded = 0;
    while let Some(chunk) = stream.next().await {
        chunk.expect("every chunk decodes");
        yielded += 1;
    }
    assert_eq!(yielded, events.len(), "every chunk is still yielded");
    stream
        .finish()
        .await
        .map(|c| serde_json::to_value(c).expect("serializes"))
}

#[tokio::test]
async fn interleaved_tool_calls_merge_by_index() {
    let events = [
        chunk(
            json!([{"index": 0, "delta": {"role": "assistant", "content": null, "tool_calls": [
            {"index": 0, "id": "call_a", "type": "function", "function": {"name": "weather", "arguments": ""}}
        ]}, "finish_reason": null}]),
        ),
        chunk(json!([{"index": 0, "delta": {"tool_calls": [
            {"index": 1, "id": "call_b", "type": "function", "function": {"name": "time", "arguments": "{\"tz\""}}
        ]}, "finish_reason": null}])),
        chunk(json!([{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "function": {"arguments": "{\"city\":"}},
            {"index": 1, "function": {"arguments": ":\"UTC\"}"}}
        ]}, "finish_reason": null}])),
        // A later delta naming the call again does not rename it.
        chunk(json!([{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "function": {"name": "ignored", "arguments": "\"Paris\"}"}}
        ]}, "finish_reason": null}])),
        chunk(json!([{"index": 0, "delta": {}, "finish_reason": "tool_calls"}])),
    ];
    let completion = chat(&events, true).await.unwrap();
    assert_eq!(
        completion["choices"][0]["message"],
        json!({"role": "assistant", "content": null, "refusal": null, "tool_calls": [
            {"id": "call_a", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}},
            {"id": "call_b", "type": "function", "function": {"name": "time", "arguments": "{\"tz\":\"UTC\"}"}}
        ]})
    );
    assert_eq!(completion["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(completion["object"], "chat.completion");
    assert_eq!(completion["system_fingerprint"], "fp_1");
}

#[tokio::test]
async fn several_choices_logprobs_empty_deltas_and_a_usage_only_last_chunk() {
    let lp =
        |token: &str| json!({"token": token, "logprob": -0.5, "bytes": [104], "top_logprobs": []});
    let events = [
        chunk(json!([
            {"index": 1, "delta": {"role": "assistant", "content": ""}, "finish_reason": null,
             "logprobs": {"content": [], "refusal": null}},
            {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null,
             "logprobs": {"content": [], "refusal": null}}
        ])),
        chunk(
            json!([{"index": 0, "delta": {"content": "Hel"}, "finish_reason": null,
                      "logprobs": {"content": [lp("Hel")], "refusal": null}}]),
        ),
        chunk(
            json!([{"index": 1, "delta": {"content": "Bye"}, "finish_reason": null,
                      "logprobs": {"content": [lp("Bye")], "refusal": null}}]),
        ),
        // Empty deltas and a chunk without choices change nothing.
        chunk(json!([{"index": 0, "delta": {}, "finish_reason": null}])),
        chunk(json!([])),
        chunk(
            json!([{"index": 0, "delta": {"content": "lo"}, "finish_reason": null,
                      "logprobs": {"content": [lp("lo")], "refusal": null}}]),
        ),
        chunk(json!([{"index": 0, "delta": {}, "finish_reason": "stop"},
                     {"index": 1, "delta": {}, "finish_reason": "length"}])),
        {
            let mut usage = chunk(json!([]));
            usage["usage"] = json!({"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8});
            usage
        },
    ];
    let completion = chat(&events, true).await.unwrap();
    let choices = completion["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 2);
    assert_eq!(choices[0]["index"], 0);
    assert_eq!(choices[0]["message"]["content"], "Hello");
    assert_eq!(choices[0]["finish_reason"], "stop");
    assert_eq!(
        choices[0]["logprobs"],
        json!({"content": [lp("Hel"), lp("lo")], "refusal": null})
    );
    assert_eq!(choices[1]["message"]["content"], "Bye");
    assert_eq!(choices[1]["finish_reason"], "length");
    assert_eq!(completion["usage"]["total_tokens"], 8);
}

#[tokio::test]
async fn refusals_concatenate_and_absent_content_stays_null() {
    let events = [
        chunk(
            json!([{"index": 0, "delta": {"role": "assistant", "refusal": "I can"}, "finish_reason": null}]),
        ),
        chunk(json!([{"index": 0, "delta": {"refusal": "'t help."}, "finish_reason": null}])),
        chunk(json!([{"index": 0, "delta": {}, "finish_reason": "stop"}])),
    ];
    let completion = chat(&events, true).await.unwrap();
    assert_eq!(
        completion["choices"][0]["message"]["refusal"],
        "I can't help."
    );
    assert_eq!(completion["choices"][0]["message"]["content"], Value::Null);
    assert_eq!(completion["choices"][0]["logprobs"], Value::Null);
    assert!(completion.get("usage").is_none());
}

#[tokio::test]
async fn a_chat_stream_that_ends_early_is_an_error() {
    let started = [chunk(
        json!([{"index": 0, "delta": {"content": "Hi"}, "finish_reason": null}]),
    )];
    // No finish_reason, even with [DONE].
    let err = chat(&started, true).await.unwrap_err();
    assert!(
        matches!(&err, AccumulateError::Incomplete(why) if why.contains("choice 0 has no `finish_reason`")),
        "{err}"
    );
    // One choice finished, the other not.
    let half = [chunk(json!([
        {"index": 0, "delta": {"content": "a"}, "finish_reason": "stop"},
        {"index": 1, "delta": {"content": "b"}, "finish_reason": null}
    ]))];
    let err = chat(&half, true).await.unwrap_err();
    assert!(err.to_string().contains("choice 1"), "{err}");
    // Every choice finished but no [DONE]: the usage chunk may be missing.
    let finished = [chunk(
        json!([{"index": 0, "delta": {"content": "a"}, "finish_reason": "stop"}]),
    )];
    let err = chat(&finished, false).await.unwrap_err();
    assert!(err.to_string().contains("[DONE]"), "{err}");
    // Nothing at all.
    let err = chat(&[], true).await.unwrap_err();
    assert!(matches!(err, AccumulateError::Incomplete(_)), "{err}");
    // A body cut in the middle of an event.
    let mut cut = sse(&started, false);
    cut.push_str("data: {\"id\": \"chatcmpl-1\", \"obj");
    let err = support::sse_stream::<CreateChatCompletionStreamResponse>(&cut)
        .accumulate()
        .finish()
        .await
        .unwrap_err();
    assert!(matches!(err, AccumulateError::Stream(_)), "{err}");
}

#[tokio::test]
async fn an_error_item_is_yielded_and_then_fails_the_accumulation() {
    let body = format!(
        "{}data: {{\"error\": {{\"message\": \"overloaded\", \"type\": \"server_error\"}}}}\n\n",
        sse(
            &[chunk(
                json!([{"index": 0, "delta": {"content": "a"}, "finish_reason": null}])
            )],
            false
        )
    );
    let mut stream = support::sse_stream::<CreateChatCompletionStreamResponse>(&body).accumulate();
    assert!(stream.next().await.unwrap().is_ok());
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(error.to_string().contains("overloaded"));
    assert!(stream.next().await.is_none());
    let err = stream.finish().await.unwrap_err();
    assert!(
        matches!(&err, AccumulateError::Interrupted(why) if why.contains("overloaded")),
        "{err}"
    );
    // Read by `finish()` alone, the error itself comes back.
    let err = support::sse_stream::<CreateChatCompletionStreamResponse>(&body)
        .accumulate()
        .finish()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AccumulateError::Stream(e) if e.to_string().contains("overloaded")),
        "{err}"
    );
}

fn response(status: &str, output: Value) -> Value {
    json!({
        "id": "resp_1", "object": "response", "created_at": 1700000000, "status": status,
        "error": null, "incomplete_details": null, "instructions": null, "metadata": {},
        "model": "gpt-4o", "output": output, "parallel_tool_calls": true, "temperature": 1.0,
        "tool_choice": "auto", "tools": [], "top_p": 1.0
    })
}

fn event(kind: &str, sequence: i64, fields: Value) -> Value {
    let mut event = fields;
    event["type"] = json!(kind);
    event["sequence_number"] = json!(sequence);
    event
}

async fn responses(events: &[Value]) -> (Option<Value>, Result<Value, AccumulateError>) {
    let body: String = events
        .iter()
        .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
        .collect();
    let mut stream = support::sse_stream::<ResponseStreamEvent>(&body).accumulate();
    while let Some(event) = stream.next().await {
        event.expect("every event decodes");
    }
    assert_eq!(stream.accumulator().first_mismatch(), None);
    let snapshot = stream
        .accumulator()
        .snapshot()
        .map(|s| serde_json::to_value(&s.output).unwrap());
    let result = stream
        .finish()
        .await
        .map(|r| serde_json::to_value(r).unwrap());
    (snapshot, result)
}

#[tokio::test]
async fn responses_events_build_the_snapshot_and_end_with_the_final_response() {
    let message = |text: &str, status: &str| {
        json!({"type": "message", "id": "msg_1", "status": status, "role": "assistant",
               "content": if text.is_empty() { json!([]) } else {
                   json!([{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]) }})
    };
    let call = |arguments: &str| {
        json!({"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "weather",
               "arguments": arguments, "status": "in_progress"})
    };
    let final_output = json!([
        message("Hello there", "completed"),
        call("{\"city\":\"Paris\"}")
    ]);
    let events = [
        event(
            "response.created",
            0,
            json!({"response": response("in_progress", json!([]))}),
        ),
        event(
            "response.output_item.added",
            1,
            json!({"output_index": 0, "item": message("", "in_progress")}),
        ),
        event(
            "response.content_part.added",
            2,
            json!({"output_index": 0, "content_index": 0, "item_id": "msg_1",
              "part": {"type": "output_text", "text": "", "annotations": [], "logprobs": []}}),
        ),
        event(
            "response.output_text.delta",
            3,
            json!({"output_index": 0, "content_index": 0, "item_id": "msg_1", "delta": "Hello", "logprobs": []}),
        ),
        event(
            "response.output_text.delta",
            4,
            json!({"output_index": 0, "content_index": 0, "item_id": "msg_1", "delta": " there", "logprobs": []}),
        ),
        event(
            "response.output_item.added",
            5,
            json!({"output_index": 1, "item": call("")}),
        ),
        event(
            "response.function_call_arguments.delta",
            6,
            json!({"output_index": 1, "item_id": "fc_1", "delta": "{\"city\":"}),
        ),
        event(
            "response.function_call_arguments.delta",
            7,
            json!({"output_index": 1, "item_id": "fc_1", "delta": "\"Paris\"}"}),
        ),
        event(
            "response.output_item.done",
            8,
            json!({"output_index": 0, "item": message("Hello there", "completed")}),
        ),
        event(
            "response.completed",
            9,
            json!({"response": response("completed", final_output.clone())}),
        ),
    ];
    let (snapshot, result) = responses(&events).await;
    let mut expected = final_output.clone();
    // The function call's `output_item.done` never came: its status is still the added one.
    expected[1]["status"] = json!("in_progress");
    assert_eq!(snapshot.unwrap(), expected);
    let response = result.unwrap();
    assert_eq!(response["status"], "completed");
    assert_eq!(response["output"], final_output);

    // Without its terminal event the stream is incomplete, and says what came last.
    let (_, cut) = responses(&events[..9]).await;
    let err = cut.unwrap_err();
    assert!(
        matches!(&err, AccumulateError::Incomplete(why) if why.contains("`response.output_item.done`")),
        "{err}"
    );
}

#[tokio::test]
async fn failed_and_incomplete_responses() {
    let mut failed = response("failed", json!([]));
    failed["error"] = json!({"code": "server_error", "message": "The model crashed."});
    let events = [
        event(
            "response.created",
            0,
            json!({"response": response("in_progress", json!([]))}),
        ),
        event("response.failed", 1, json!({"response": failed})),
    ];
    let (_, result) = responses(&events).await;
    let err = result.unwrap_err();
    assert!(
        matches!(&err, AccumulateError::Failed(r) if r.id == "resp_1"),
        "{err}"
    );
    assert!(err.to_string().contains("The model crashed."), "{err}");

    // `response.incomplete` is a whole response too, with its reason.
    let mut incomplete = response("incomplete", json!([]));
    incomplete["incomplete_details"] = json!({"reason": "max_output_tokens"});
    let events = [
        event(
            "response.created",
            0,
            json!({"response": response("in_progress", json!([]))}),
        ),
        event("response.incomplete", 1, json!({"response": incomplete})),
    ];
    let (_, result) = responses(&events).await;
    assert_eq!(
        result.unwrap()["incomplete_details"]["reason"],
        "max_output_tokens"
    );

    // A delta for an item that was never added is reported, not applied.
    let body: String = [
        event("response.created", 0, json!({"response": response("in_progress", json!([]))})),
        event("response.output_text.delta", 1, json!({"output_index": 3, "content_index": 0, "item_id": "x", "delta": "?", "logprobs": []})),
    ]
    .iter()
    .map(|e| format!("data: {e}\n\n"))
    .collect();
    let mut stream = support::sse_stream::<ResponseStreamEvent>(&body).accumulate();
    while stream.next().await.is_some() {}
    let mismatch = stream.accumulator().first_mismatch().unwrap();
    assert!(
        mismatch.contains("event 2 (`response.output_text.delta`)"),
        "{mismatch}"
    );
}
