//! What real servers send, through the generated OpenAI client's own methods against a
//! server on 127.0.0.1 (`openai_http/server.rs`): a required field left out, `null` where
//! the spec does not allow it, a value of another type, an undeclared field, an unknown
//! event. Each decodes (the default), says where it departs from the spec, keeps every
//! field, and fails naming the field when the client is strict. Also: fields the spec does
//! not declare, sent on a request body.

// `status` and `system_fingerprint` are deprecated in the spec; servers still send them.
#![allow(deprecated)]

// The server's helpers are shared with `openai_http.rs`, which uses all of them.
#[allow(dead_code)]
#[path = "openai_http/server.rs"]
mod server;

use std::sync::Mutex;
use std::time::Duration;

use openai_client::types::{
    ChatCompletionRequestMessage, ChatCompletionRequestUserMessage, CreateChatCompletionRequest,
    CreateChatCompletionResponse, CreateEmbeddingRequest, CreateFileRequest,
    CreateFileRequestPurpose, CreateResponse, EmbeddingEmbedding, ErrorResponse, ListFilesParams,
    OpenAiFile, OpenAiFileStatus, ResponseStreamEvent,
};
use openai_client::{Client, Conformance, DriftKind, ErrorKind, ExtraFields};
use serde_json::{Value, json};
use server::{Reply, TestServer, multipart_parts};

fn client(server: &TestServer) -> Client {
    server::client_builder_at(&server.url())
        .build()
        .expect("the client builds")
}

fn strict_client(server: &TestServer) -> Client {
    server::client_builder_at(&server.url())
        .strict(true)
        .build()
        .expect("the client builds")
}

fn chat_request() -> CreateChatCompletionRequest {
    let messages: Vec<ChatCompletionRequestMessage> =
        vec![ChatCompletionRequestUserMessage::new("Hello!").into()];
    CreateChatCompletionRequest::new(messages, "local-model")
}

/// What compatible servers and the real API send in place of the spec's completion: no
/// `created`, no `choices[].index`, `system_fingerprint: null`, `reasoning_tokens: null`,
/// an undeclared `billing`, and a `finish_reason` the spec does not list.
fn drifted_completion() -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "local-model",
        "system_fingerprint": null,
        "choices": [{
            "message": {"role": "assistant", "content": "Hi!", "refusal": null},
            "logprobs": null,
            "finish_reason": "eos"
        }],
        "usage": {
            "prompt_tokens": 3,
            "completion_tokens": 2,
            "total_tokens": 5,
            "completion_tokens_details": {"reasoning_tokens": null}
        },
        "billing": {"payer": "developer"}
    })
}

fn drift_of(value: &impl Conformance) -> Vec<String> {
    value.drift().iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn a_drifted_json_response_decodes_keeps_every_field_and_says_where() {
    let body = drifted_completion();
    let reply = body.clone();
    let server = TestServer::start(move |_| Reply::json(200, &reply)).await;

    let completion = client(&server)
        .chat()
        .completions()
        .create(chat_request())
        .await
        .expect("a drifted completion decodes");

    assert_eq!(completion.id, "chatcmpl-1");
    assert_eq!(
        completion.created, 0,
        "a missing required field holds its default"
    );
    assert_eq!(completion.choices[0].index, 0);
    assert_eq!(
        completion.choices[0].message.content.as_deref(),
        Some("Hi!")
    );
    assert_eq!(completion.system_fingerprint, None);
    assert_eq!(completion.choices[0].finish_reason.as_str(), "eos");
    assert_eq!(
        completion.extra_field("billing"),
        Some(&json!({"payer": "developer"})),
        "an undeclared field is readable by name"
    );
    assert_eq!(
        drift_of(&completion),
        [
            "`system_fingerprint`: null where the spec does not allow it",
            "`created`: a required field is missing",
            "`choices[0].index`: a required field is missing",
            "`usage.completion_tokens_details.reasoning_tokens`: null where the spec does not allow it",
        ]
    );
    assert_eq!(
        serde_json::to_value(&completion).expect("encodes"),
        body,
        "re-encoding gives back what the server sent"
    );
}

#[tokio::test]
async fn a_strict_client_names_the_field_that_departs_from_the_spec() {
    let body = drifted_completion();
    let server = TestServer::start(move |_| Reply::json(200, &body)).await;

    let error = strict_client(&server)
        .chat()
        .completions()
        .create(chat_request())
        .await
        .expect_err("strict: a null the spec does not allow is an error");
    let ErrorKind::Decode(decode) = error.kind() else {
        panic!("a decode error: {error}");
    };
    assert_eq!(decode.path, "system_fingerprint");
    assert!(decode.message.contains("null"), "{}", decode.message);

    // Per request, both ways.
    let forgiving = server::client_builder_at(&server.url())
        .build()
        .expect("the client builds");
    let error = forgiving
        .chat()
        .completions()
        .create(chat_request())
        .strict(true)
        .await
        .expect_err("strict for this request");
    assert!(matches!(error.kind(), ErrorKind::Decode(_)), "{error}");
    strict_client(&server)
        .chat()
        .completions()
        .create(chat_request())
        .strict(false)
        .await
        .expect("forgiving for this request");
}

/// A required field missing deep inside a tagged union is named by its full path.
#[tokio::test]
async fn strict_errors_inside_unions_name_the_field() {
    let body = json!({
        "id": "resp_1", "object": "response", "created_at": 1741476542, "status": "completed",
        "model": "gpt-4.1", "parallel_tool_calls": true, "tools": [], "tool_choice": "auto",
        "output": [{
            "type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
            "content": [{"type": "output_text", "text": "Hi", "annotations": []}]
        }]
    });
    let server = TestServer::start(move |_| Reply::json(200, &body)).await;

    let error = strict_client(&server)
        .responses()
        .create(CreateResponse::new())
        .await
        .expect_err("the output text has no `logprobs`");
    let ErrorKind::Decode(decode) = error.kind() else {
        panic!("a decode error: {error}");
    };
    assert_eq!(decode.path, "output[0].content[0]");
    assert!(
        decode.message.contains("missing field `logprobs`"),
        "{}",
        decode.message
    );

    let response = client(&server)
        .responses()
        .create(CreateResponse::new())
        .await
        .expect("forgiving");
    assert!(
        drift_of(&response)
            .contains(&"`output[0].content[0].logprobs`: a required field is missing".to_owned()),
        "{:?}",
        drift_of(&response)
    );
}

fn sse(events: &[Value]) -> Reply {
    let chunks = events
        .iter()
        .map(|event| {
            let name = event["type"].as_str().unwrap_or("message");
            (Duration::ZERO, format!("event: {name}\ndata: {event}\n\n"))
        })
        .collect();
    Reply::event_stream(chunks)
}

/// Early Responses streams: no `sequence_number`, `user: null`, an undeclared
/// `obfuscation`, `name` missing on `function_call_arguments.done`, and an event type this
/// client does not know.
fn drifted_events() -> Vec<Value> {
    vec![
        json!({"type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0,
               "content_index": 0, "delta": "Hi", "logprobs": [], "obfuscation": "a8Xz"}),
        json!({"type": "response.function_call_arguments.done", "item_id": "fc_1",
               "output_index": 1, "arguments": "{}", "sequence_number": 2}),
        json!({"type": "response.future_event", "sequence_number": 3, "payload": [1, 2]}),
        json!({"type": "response.output_text.done", "item_id": "msg_1", "output_index": 0,
               "content_index": 0, "text": "Hi", "logprobs": [], "sequence_number": 4}),
    ]
}

#[tokio::test]
async fn a_drifted_stream_decodes_every_event() {
    let events = drifted_events();
    let reply = events.clone();
    let server = TestServer::start(move |_| sse(&reply)).await;

    let mut stream = client(&server)
        .responses()
        .create_stream(CreateResponse::new())
        .await
        .expect("the stream opens");
    let mut decoded = Vec::new();
    while let Some(event) = stream.next().await {
        decoded.push(event.expect("every event decodes"));
    }
    assert_eq!(decoded.len(), 4);
    let ResponseStreamEvent::ResponseOutputTextDelta(delta) = &decoded[0] else {
        panic!("a text delta: {:?}", decoded[0]);
    };
    assert_eq!(delta.delta, "Hi");
    assert_eq!(delta.extra_field("obfuscation"), Some(&json!("a8Xz")));
    assert_eq!(
        drift_of(&decoded[0]),
        ["`sequence_number`: a required field is missing"]
    );
    assert_eq!(
        drift_of(&decoded[1]),
        ["`name`: a required field is missing"]
    );
    assert!(
        matches!(&decoded[2], ResponseStreamEvent::Unknown(value) if value["payload"] == json!([1, 2])),
        "an event type the spec does not list is kept: {:?}",
        decoded[2]
    );
    assert!(
        decoded[2].drift().is_empty(),
        "a new event type is not drift"
    );
    assert!(decoded[3].drift().is_empty());
    for (event, sent) in decoded.iter().zip(&events) {
        assert_eq!(&serde_json::to_value(event).expect("encodes"), sent);
    }

    // Strict: the drifted events are errors naming the field, and the stream goes on.
    let mut stream = strict_client(&server)
        .responses()
        .create_stream(CreateResponse::new())
        .await
        .expect("the stream opens");
    let mut outcomes = Vec::new();
    while let Some(event) = stream.next().await {
        outcomes.push(event.map_err(|e| e.to_string()));
    }
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    let first = outcomes[0].as_ref().expect_err("no sequence_number");
    assert!(first.contains("missing field `sequence_number`"), "{first}");
    assert!(outcomes[1].is_err() && outcomes[2].is_ok() && outcomes[3].is_ok());
}

fn file_json(id: &str) -> Value {
    json!({"id": id, "object": "file", "bytes": 120, "created_at": 1677610602,
           "filename": "data.jsonl", "purpose": "fine-tune", "status": "processed"})
}

#[tokio::test]
async fn pages_of_drifted_items_decode_across_pages() {
    let server = TestServer::start(|request| {
        let mut first = file_json("file-1");
        first["status_details"] = Value::Null;
        let mut second = file_json("file-2");
        second.as_object_mut().map(|o| o.remove("bytes"));
        let mut third = file_json("file-3");
        third["status"] = json!("archived");
        match request.query_value("after").as_deref() {
            None => Reply::json(
                200,
                &json!({"object": "list", "data": [first, second], "has_more": true}),
            ),
            _ => Reply::json(
                200,
                &json!({"object": "list", "data": [third], "has_more": false}),
            ),
        }
    })
    .await;

    let files: Vec<OpenAiFile> = client(&server)
        .files()
        .list(ListFilesParams::new())
        .into_stream()
        .collect_all()
        .await
        .expect("every page decodes");
    assert_eq!(files.len(), 3);
    assert_eq!(
        drift_of(&files[0]),
        ["`status_details`: null where the spec does not allow it"]
    );
    assert_eq!(
        drift_of(&files[1]),
        ["`bytes`: a required field is missing"]
    );
    assert_eq!(files[1].bytes, 0);
    assert_eq!(files[2].status, OpenAiFileStatus::Other("archived".into()));
    assert!(
        files[2].drift().is_empty(),
        "an enum value the spec does not list is kept, not drift"
    );
    assert_eq!(
        server.requests()[1].query_value("after").as_deref(),
        Some("file-2")
    );

    let page = client(&server)
        .files()
        .list(ListFilesParams::new())
        .await
        .expect("the first page");
    assert_eq!(
        page.extra_fields.get("object"),
        Some(&json!("list")),
        "the page's own fields are kept"
    );

    let error = strict_client(&server)
        .files()
        .list(ListFilesParams::new())
        .await
        .expect_err("strict: the first page has a null");
    let ErrorKind::Decode(decode) = error.kind() else {
        panic!("a decode error: {error}");
    };
    assert_eq!(decode.path, "data[0].status_details");
}

/// Embeddings asked for in base64 arrive as a string: typed by the configuration's overlay.
#[tokio::test]
async fn base64_embeddings_are_typed() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({
                "object": "list", "model": "text-embedding-3-small",
                "data": [{"object": "embedding", "index": 0, "embedding": "AACAPwAAAEA="}],
                "usage": {"prompt_tokens": 1, "total_tokens": 1}
            }),
        )
    })
    .await;

    let response = strict_client(&server)
        .embeddings()
        .create(CreateEmbeddingRequest::new(
            "hello",
            "text-embedding-3-small",
        ))
        .await
        .expect("a base64 embedding matches the spec with the overlay");
    assert_eq!(
        response.data[0].embedding,
        EmbeddingEmbedding::Base64("AACAPwAAAEA=".into())
    );
}

#[tokio::test]
async fn error_bodies_decode_forgivingly() {
    let server = TestServer::start(|_| {
        Reply::json(
            400,
            &json!({"error": {"message": "Invalid model", "type": "invalid_request_error",
                                           "param": null, "code": null, "request_id": "abc"}}),
        )
    })
    .await;

    let error = client(&server)
        .chat()
        .completions()
        .create(chat_request())
        .await
        .expect_err("a 400");
    let api = error.api_error().expect("an API error");
    let body: ErrorResponse = api.body_as().expect("the error body decodes");
    assert_eq!(body.error.message, "Invalid model");
    assert_eq!(body.error.extra_field("request_id"), Some(&json!("abc")));
    // An object with none of the type's fields is not that type.
    let not_it = api.body_as::<CreateChatCompletionResponse>();
    assert!(not_it.is_err(), "{not_it:?}");
}

#[tokio::test]
async fn extra_request_fields_are_sent_on_the_type_and_per_call() {
    let server = TestServer::start(|_| Reply::json(200, &drifted_completion())).await;

    client(&server)
        .chat()
        .completions()
        .create(
            chat_request()
                .with_extra_field("top_k", 40)
                .with_extra_field("model", "other"),
        )
        .body_field("repetition_penalty", 1.1)
        .await
        .expect("the call succeeds");
    assert_eq!(
        server.only_request().json(),
        json!({
            "messages": [{"role": "user", "content": "Hello!"}],
            "model": "other",
            "top_k": 40,
            "repetition_penalty": 1.1
        }),
        "an extra field named like a declared one replaces it"
    );

    // A multipart body carries them as form fields.
    let upload = TestServer::start(|_| Reply::json(200, &file_json("file-9"))).await;
    client(&upload)
        .files()
        .create(CreateFileRequest::new(
            openai_client::runtime::model::InputFile::from_bytes("a.jsonl", b"{}\n".to_vec()),
            CreateFileRequestPurpose::FineTune,
        ))
        .body_field("project_tag", "alpha")
        .await
        .expect("the upload succeeds");
    let parts = multipart_parts(&upload.only_request());
    let tag = parts
        .iter()
        .find(|p| p.name == "project_tag")
        .expect("the extra field is a part");
    assert_eq!(tag.data, b"alpha");

    // A request without a body cannot carry one: an error before anything is sent.
    let error = client(&upload)
        .models()
        .list()
        .body_field("x", 1)
        .await
        .expect_err("a GET has no body");
    assert!(matches!(error.kind(), ErrorKind::Encode(_)), "{error}");
    assert_eq!(upload.requests().len(), 1);
}

/// Departures are logged at debug level with their paths.
#[tokio::test]
async fn drift_is_logged_at_debug_level() {
    static LOGGER: Capture = Capture(Mutex::new(Vec::new()));
    log::set_logger(&LOGGER).expect("the only logger of this test binary");
    log::set_max_level(log::LevelFilter::Debug);

    let body = drifted_completion();
    let server = TestServer::start(move |_| Reply::json(200, &body)).await;
    client(&server)
        .chat()
        .completions()
        .create(chat_request())
        .await
        .expect("decodes");

    let lines = LOGGER.0.lock().expect("the log").clone();
    assert!(
        lines
            .iter()
            .any(|line| line.contains("POST /chat/completions")
                && line.contains("`choices[0].index`: a required field is missing")),
        "{lines:#?}"
    );
}

struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Debug
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.level() == log::Level::Debug
            && let Ok(mut lines) = self.0.lock()
        {
            lines.push(record.args().to_string());
        }
    }

    fn flush(&self) {}
}

#[test]
fn drift_kinds_keep_what_was_received() {
    let value: OpenAiFile = openai_client::runtime::drift::from_str(
        r#"{"id":"f","object":"file","bytes":"12","created_at":1,"filename":"a","purpose":"batch","status":"processed"}"#,
    )
    .expect("decodes");
    let drift = value.drift();
    assert_eq!(drift.len(), 1);
    assert_eq!(drift[0].path, "bytes");
    assert!(matches!(&drift[0].kind, DriftKind::Invalid { value, .. } if value == "12"));
}
