//! The generated OpenAI client (`openai_client`) against a real HTTP/1.1 server on
//! 127.0.0.1 (`openai_http/server.rs`): each test checks what went over the wire (method,
//! raw request-target, headers, body) and what the client decoded from the reply.
//!
//! The last test checks, from the generator's own output for the real spec, that every
//! operation became a method.

#[path = "openai_http/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use openai_client::runtime::model::InputFile;
use openai_client::runtime::{BinaryResponse, CursorPage};
use openai_client::types::{
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestUserMessage, ChatCompletionResponseMessageRole,
    ChatCompletionStreamResponseDeltaRole, CreateChatCompletionRequest,
    CreateChatCompletionResponseChoicesItemFinishReason, CreateChatCompletionStreamResponse,
    CreateChatCompletionStreamResponseChoicesItemFinishReason, CreateFileRequest,
    CreateFileRequestPurpose, FineTuningJob, FineTuningJobStatus, ListChatCompletionsOrder,
    ListChatCompletionsParams, ListPaginatedFineTuningJobsParams, OpenAiFilePurpose,
};
use openai_client::{Client, ErrorKind};
use serde_json::{Value, json};
use server::{Part, Recorded, Reply, TestServer, multipart_parts};

fn client_at(base_url: &str) -> Client {
    server::client_builder_at(base_url)
        .build()
        .expect("the client builds")
}

fn client(server: &TestServer) -> Client {
    client_at(&server.url())
}

/// The headers every request carries: the key as a bearer token, our user agent, and
/// no organisation or project header (the environment is not read).
fn assert_common_headers(request: &Recorded) {
    assert_eq!(request.version, "HTTP/1.1");
    assert_eq!(request.header("authorization"), Some("Bearer sk-test"));
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("openai-client/", env!("CARGO_PKG_VERSION"))),
        "User-Agent is the generated crate's name/version"
    );
    assert_eq!(request.header("openai-organization"), None);
    assert_eq!(request.header("openai-project"), None);
    let host = request.header("host").expect("a Host header");
    assert!(host.starts_with("127.0.0.1:"), "Host: {host}");
}

/// A GET carries no body and no Content-Type.
fn assert_no_body(request: &Recorded) {
    assert!(request.body.is_empty(), "a GET has no body");
    assert_eq!(request.header("content-type"), None);
    assert_eq!(request.header("transfer-encoding"), None);
}

fn model_json(id: &str, created: i64, owned_by: &str) -> Value {
    json!({ "id": id, "object": "model", "created": created, "owned_by": owned_by })
}

// ---------------------------------------------------------------------------------------
// 1. Plain JSON calls
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn models_list_sends_get_models_and_decodes_the_list() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({
                "object": "list",
                "data": [
                    model_json("gpt-4o", 1715367049, "system"),
                    model_json("ft:gpt-4o-mini:acme::abc123", 1721172741, "user-abc123"),
                ]
            }),
        )
        .header("x-request-id", "req_list_1")
    })
    .await;

    let models = client(&server)
        .models()
        .list()
        .await
        .expect("models.list succeeds");

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/models");
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_common_headers(&request);
    assert_no_body(&request);

    assert_eq!(models.object.as_str(), "list");
    assert_eq!(models.data.len(), 2);
    assert_eq!(models.data[0].id, "gpt-4o");
    assert_eq!(models.data[0].created, 1715367049);
    assert_eq!(models.data[0].owned_by, "system");
    assert_eq!(models.data[1].id, "ft:gpt-4o-mini:acme::abc123");
    assert_eq!(models.data[1].owned_by, "user-abc123");
    assert_eq!(models.data[1].object.as_str(), "model");
}

#[tokio::test]
async fn models_retrieve_puts_the_id_in_the_path() {
    let server = TestServer::start(|_| {
        Reply::json(200, &model_json("gpt-4o", 1715367049, "system"))
            .header("x-request-id", "req_model_1")
    })
    .await;

    let response = client(&server)
        .models()
        .retrieve("gpt-4o")
        .with_raw_response()
        .await
        .expect("models.retrieve succeeds");

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/models/gpt-4o");
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_common_headers(&request);
    assert_no_body(&request);

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("req_model_1"));
    let model = response.into_data();
    assert_eq!(model.id, "gpt-4o");
    assert_eq!(model.created, 1715367049);
    assert_eq!(model.owned_by, "system");
    assert_eq!(model.object.as_str(), "model");
    assert_eq!(model.shutdown_date, None);
}

/// An error status with a documented body: the error value carries the status and request
/// id, and the body decodes into the schema the method's rustdoc names for that status.
#[tokio::test]
async fn documented_error_bodies_decode_into_their_schema() {
    let server = TestServer::start(|_| {
        Reply::json(
            404,
            &json!({"code": "not_found", "message": "No eval with id eval_9", "param": null, "type": "invalid_request_error"}),
        )
        .header("x-request-id", "req_missing")
    })
    .await;

    let err = client(&server)
        .evals()
        .delete("eval_9")
        .await
        .expect_err("a 404 is an error");

    assert_eq!(server.only_request().target, "/evals/eval_9");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.request_id(), Some("req_missing"));
    let api = err.api_error().expect("an API error");
    let body: openai_client::types::Error = api.body_as().expect("the documented 404 body");
    assert_eq!(body.code.as_deref(), Some("not_found"));
    assert_eq!(body.message, "No eval with id eval_9");
    assert_eq!(body.param, None);
    assert_eq!(body.type_, "invalid_request_error");
    // A body of another shape is a decode error, not a panic or a default value.
    assert!(
        api.body_as::<openai_client::types::ErrorResponse>()
            .is_err()
    );
}

/// The default base URL ends in `/v1`: operation paths go after it, not in place of it.
#[tokio::test]
async fn a_base_url_with_a_path_keeps_it() {
    let server =
        TestServer::start(|_| Reply::json(200, &model_json("gpt-4o", 1715367049, "system"))).await;

    let model = client_at(&format!("{}/v1/", server.url()))
        .models()
        .retrieve("gpt-4o")
        .await
        .expect("models.retrieve succeeds");

    assert_eq!(server.only_request().target, "/v1/models/gpt-4o");
    assert_eq!(model.id, "gpt-4o");
}

// ---------------------------------------------------------------------------------------
// 2. A JSON request body
// ---------------------------------------------------------------------------------------

fn chat_request() -> CreateChatCompletionRequest {
    let messages: Vec<ChatCompletionRequestMessage> = vec![
        ChatCompletionRequestSystemMessage::new("You are a helpful assistant.").into(),
        ChatCompletionRequestUserMessage::new("Hello!").into(),
    ];
    CreateChatCompletionRequest::new(messages, "gpt-4o")
}

/// The body `chat_request()` must put on the wire: the required fields and nothing else.
fn chat_request_json() -> Value {
    json!({
        "messages": [
            { "role": "system", "content": "You are a helpful assistant." },
            { "role": "user", "content": "Hello!" }
        ],
        "model": "gpt-4o"
    })
}

fn chat_completion_json() -> Value {
    json!({
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": "gpt-4o-2024-08-06",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "Hello! How can I assist you today?",
                    "refusal": null,
                    "annotations": []
                },
                "logprobs": null,
                "finish_reason": "stop"
            }
        ],
        "usage": {
            "prompt_tokens": 19,
            "completion_tokens": 10,
            "total_tokens": 29,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0
            }
        },
        "service_tier": "default"
    })
}

#[tokio::test]
async fn chat_completion_create_sends_exactly_the_set_fields() {
    let server = TestServer::start(|_| Reply::json(200, &chat_completion_json())).await;

    let completion = client(&server)
        .chat()
        .completions()
        .create(chat_request())
        .await
        .expect("chat.completions.create succeeds");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/chat/completions");
    assert_common_headers(&request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    assert_eq!(request.json(), chat_request_json());
    let text = String::from_utf8(request.body.clone()).expect("UTF-8 body");
    assert!(!text.contains("null"), "no nulls are sent: {text}");
    assert!(!text.contains("stream"), "no `stream` key is sent: {text}");

    assert_eq!(completion.id, "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assert_eq!(completion.object.as_str(), "chat.completion");
    assert_eq!(completion.created, 1741569952);
    assert_eq!(completion.model, "gpt-4o-2024-08-06");
    assert_eq!(completion.choices.len(), 1);
    let choice = &completion.choices[0];
    assert_eq!(choice.index, 0);
    assert_eq!(
        choice.finish_reason,
        CreateChatCompletionResponseChoicesItemFinishReason::Stop
    );
    assert_eq!(
        choice.message.role,
        ChatCompletionResponseMessageRole::Assistant
    );
    assert_eq!(
        choice.message.content.as_deref(),
        Some("Hello! How can I assist you today?")
    );
    assert_eq!(choice.message.refusal, None);
    let usage = completion.usage.as_ref().expect("usage");
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (19, 10, 29)
    );
}

// ---------------------------------------------------------------------------------------
// 3. Server-sent events
// ---------------------------------------------------------------------------------------

fn chunk_json(delta: Value, finish_reason: Value) -> Value {
    json!({
        "id": "chatcmpl-123",
        "object": "chat.completion.chunk",
        "created": 1694268190,
        "model": "gpt-4o-mini",
        "system_fingerprint": "fp_44709d6fcb",
        "choices": [
            { "index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason }
        ]
    })
}

fn data_event(value: &Value) -> String {
    format!("data: {value}\n\n")
}

#[tokio::test]
async fn chat_completion_stream_yields_each_chunk_as_it_arrives() {
    let first = data_event(&chunk_json(
        json!({ "role": "assistant", "content": "", "refusal": null }),
        Value::Null,
    ));
    let second = data_event(&chunk_json(json!({ "content": "Hello" }), Value::Null));
    let third = data_event(&chunk_json(json!({}), json!("stop")));
    // The third event is split across two chunks, as TCP may deliver it.
    let (third_start, third_end) = third.split_at(third.len() / 2);
    let gap = Duration::from_millis(120);
    let script = vec![
        (Duration::ZERO, first),
        (gap, second),
        (gap, third_start.to_owned()),
        (Duration::from_millis(20), third_end.to_owned()),
        (Duration::from_millis(20), "data: [DONE]\n\n".to_owned()),
    ];
    let server = TestServer::start(move |_| Reply::event_stream(script.clone())).await;

    let mut stream = client(&server)
        .chat()
        .completions()
        .create_stream(chat_request())
        .await
        .expect("the stream opens");
    let mut chunks: Vec<(Instant, CreateChatCompletionStreamResponse)> = Vec::new();
    while let Some(item) = stream.next().await {
        chunks.push((Instant::now(), item.expect("every chunk decodes")));
    }
    assert!(stream.next().await.is_none(), "the stream stays ended");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/chat/completions");
    assert_common_headers(&request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    let mut expected = chat_request_json();
    expected["stream"] = json!(true);
    assert_eq!(
        request.json(),
        expected,
        "the same body as `create`, plus `stream: true`"
    );

    assert_eq!(chunks.len(), 3, "three chunks, then the end at [DONE]");
    let deltas: Vec<_> = chunks.iter().map(|(_, c)| &c.choices[0].delta).collect();
    assert_eq!(
        deltas[0].role,
        Some(ChatCompletionStreamResponseDeltaRole::Assistant)
    );
    assert_eq!(deltas[0].content, Some(Some(String::new())));
    assert_eq!(deltas[1].role, None);
    assert_eq!(deltas[1].content, Some(Some("Hello".to_owned())));
    assert_eq!(deltas[2].content, None);
    let finish: Vec<_> = chunks
        .iter()
        .map(|(_, c)| c.choices[0].finish_reason.clone())
        .collect();
    assert_eq!(
        finish,
        vec![
            None,
            None,
            Some(CreateChatCompletionStreamResponseChoicesItemFinishReason::Stop)
        ]
    );
    for (_, chunk) in &chunks {
        assert_eq!(chunk.id, "chatcmpl-123");
        assert_eq!(chunk.object.as_str(), "chat.completion.chunk");
        assert_eq!(chunk.model, "gpt-4o-mini");
    }
    // Chunks are delivered as they arrive, not after the whole body: the first came at
    // least two server-side gaps before the last.
    let spread = chunks[2].0.duration_since(chunks[0].0);
    assert!(
        spread >= gap * 3 / 2,
        "chunks arrived {spread:?} apart; the server spaced them {gap:?} apart"
    );
}

#[tokio::test]
async fn an_error_inside_the_stream_is_an_err_item_that_ends_it() {
    let good = data_event(&chunk_json(
        json!({ "role": "assistant", "content": "Hel" }),
        Value::Null,
    ));
    let error = json!({
        "error": {
            "message": "The server had an error while processing your request.",
            "type": "server_error",
            "param": null,
            "code": "internal_error"
        }
    });
    let after = data_event(&chunk_json(json!({ "content": "lo" }), Value::Null));
    let cases = [
        ("`event: error`", format!("event: error\ndata: {error}\n\n")),
        ("a `data:` object with `error`", data_event(&error)),
    ];
    for (case, error_event) in cases {
        let script = vec![
            (Duration::ZERO, good.clone()),
            (Duration::from_millis(30), error_event),
            (Duration::from_millis(30), after.clone()),
            (Duration::from_millis(10), "data: [DONE]\n\n".to_owned()),
        ];
        let server = TestServer::start(move |_| Reply::event_stream(script.clone())).await;

        let mut stream = client(&server)
            .chat()
            .completions()
            .create_stream(chat_request())
            .await
            .unwrap_or_else(|e| panic!("{case}: the stream opens: {e}"));

        let first = stream
            .next()
            .await
            .unwrap_or_else(|| panic!("{case}: a first item"))
            .unwrap_or_else(|e| panic!("{case}: the first chunk decodes: {e}"));
        assert_eq!(first.choices[0].delta.content, Some(Some("Hel".to_owned())));

        let err = stream
            .next()
            .await
            .unwrap_or_else(|| panic!("{case}: a second item"))
            .expect_err("the error event is an `Err` item");
        match err.kind() {
            ErrorKind::Stream(stream_error) => {
                let body = stream_error
                    .error
                    .as_ref()
                    .unwrap_or_else(|| panic!("{case}: the error object is kept"));
                assert_eq!(
                    body.message.as_deref(),
                    Some("The server had an error while processing your request.")
                );
                assert_eq!(body.error_type.as_deref(), Some("server_error"));
                assert_eq!(body.code.as_deref(), Some("internal_error"));
            }
            other => panic!("{case}: expected a stream error, got {other:?}"),
        }
        assert!(
            stream.next().await.is_none(),
            "{case}: the stream ends after the error"
        );
        assert_eq!(server.requests().len(), 1, "{case}: nothing is retried");
    }
}

// ---------------------------------------------------------------------------------------
// 4. Multipart upload
// ---------------------------------------------------------------------------------------

const TRAINING_FILE: &[u8] = b"{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}]}\n\
{\"messages\": [{\"role\": \"user\", \"content\": \"Bye\"}, {\"role\": \"assistant\", \"content\": \"Goodbye!\"}]}\n";

#[tokio::test]
async fn files_create_uploads_a_multipart_form() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({
                "id": "file-abc123",
                "object": "file",
                "bytes": TRAINING_FILE.len(),
                "created_at": 1677610602,
                "expires_at": null,
                "filename": "data.jsonl",
                "purpose": "fine-tune",
                "status": "processed"
            }),
        )
    })
    .await;

    let body = CreateFileRequest::new(
        InputFile::from_bytes("data.jsonl", TRAINING_FILE),
        CreateFileRequestPurpose::FineTune,
    );
    let file = client(&server)
        .files()
        .create(body)
        .await
        .expect("files.create succeeds");

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/files");
    assert_common_headers(&request);
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let parts = multipart_parts(&request);
    assert_eq!(
        parts,
        vec![
            Part {
                name: "file".into(),
                filename: Some("data.jsonl".into()),
                content_type: Some("application/jsonl".into()),
                data: TRAINING_FILE.to_vec(),
            },
            Part {
                name: "purpose".into(),
                filename: None,
                content_type: None,
                data: b"fine-tune".to_vec(),
            },
        ],
        "the file and the purpose, and no part for the unset `expires_after`"
    );

    assert_eq!(file.id, "file-abc123");
    assert_eq!(file.bytes, i64::try_from(TRAINING_FILE.len()).unwrap());
    assert_eq!(file.created_at, 1677610602);
    assert_eq!(file.filename, "data.jsonl");
    assert_eq!(file.purpose, OpenAiFilePurpose::FineTune);
    assert_eq!(file.object.as_str(), "file");
}

// ---------------------------------------------------------------------------------------
// 5. Binary download
// ---------------------------------------------------------------------------------------

/// What a file download gives: the file's bytes and content type. Implemented for the
/// generated method's current output (`String`, because the spec declares the download as
/// a JSON string) and for `BinaryResponse` (what it should be), so this test compiles
/// either way and checks the behaviour, not the type.
trait Download {
    fn downloaded_bytes(&self) -> &[u8];
    fn downloaded_content_type(&self) -> Option<&str>;
}

impl Download for String {
    fn downloaded_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
    fn downloaded_content_type(&self) -> Option<&str> {
        None
    }
}

impl Download for BinaryResponse {
    fn downloaded_bytes(&self) -> &[u8] {
        &self.bytes
    }
    fn downloaded_content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

/// `GET /files/{file_id}/content` answers with the file itself (here JSONL, as uploaded
/// for fine-tuning), not with JSON: the client must hand back exactly those bytes.
#[tokio::test]
async fn files_content_returns_the_exact_bytes() {
    let server =
        TestServer::start(|_| Reply::bytes(200, "application/octet-stream", TRAINING_FILE)).await;

    let result = client(&server)
        .files()
        .content("file-abc")
        .with_raw_response()
        .await;

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/files/file-abc/content");
    assert_common_headers(&request);
    assert_no_body(&request);

    let response = result.unwrap_or_else(|e| {
        panic!(
            "downloading a file must give its bytes, but the call failed: {e}\n\
             (the generated `files().content()` returns `Json<String>` because the spec \
             declares the response as `application/json` `type: string`; the API sends \
             the raw file)"
        )
    });
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/octet-stream")
    );
    let download = response.data();
    assert_eq!(download.downloaded_bytes(), TRAINING_FILE);
    assert_eq!(
        download.downloaded_content_type(),
        Some("application/octet-stream")
    );
}

/// `GET /skills/{skill_id}/content` lists `application/zip` (`format: binary`) first and
/// `application/json` (`type: string`) second: the download is the zip's bytes.
#[tokio::test]
async fn skills_content_returns_the_zip_bytes() {
    const ZIP: &[u8] = b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x80\x81SKILL.md\x00PK\x05\x06";
    let server = TestServer::start(|_| Reply::bytes(200, "application/zip", ZIP)).await;

    let result = client(&server).skills().content("skill_123").await;

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/skills/skill_123/content");
    assert_common_headers(&request);
    assert_no_body(&request);

    let download = result.unwrap_or_else(|e| {
        panic!(
            "downloading a skill bundle must give its bytes, but the call failed: {e}\n\
             (the generated `skills().content()` returns `Json<String>`: the response's \
             `application/json` alternative wins over the `application/zip` one listed first)"
        )
    });
    assert_eq!(download.downloaded_bytes(), ZIP);
    assert_eq!(download.downloaded_content_type(), Some("application/zip"));
}

// ---------------------------------------------------------------------------------------
// 6. Cursor pagination
// ---------------------------------------------------------------------------------------

fn fine_tuning_job_json(n: usize) -> Value {
    json!({
        "object": "fine_tuning.job",
        "id": format!("ftjob-{n}"),
        "model": "gpt-4o-mini-2024-07-18",
        "created_at": 1721764800 + n,
        "finished_at": null,
        "fine_tuned_model": null,
        "organization_id": "org-123",
        "result_files": [],
        "status": "queued",
        "validation_file": null,
        "training_file": "file-abc123",
        "hyperparameters": { "n_epochs": "auto", "batch_size": "auto", "learning_rate_multiplier": "auto" },
        "trained_tokens": null,
        "error": null,
        "integrations": [],
        "seed": 42,
        "estimated_finish": null,
        "method": { "type": "supervised" },
        "metadata": null
    })
}

/// Five jobs in pages of two, keyed by the `after` cursor: (none) → 1, 2;
/// `ftjob-2` → 3, 4; `ftjob-4` → 5 and no more.
async fn fine_tuning_jobs_server() -> TestServer {
    TestServer::start(|request| {
        let (ids, has_more): (&[usize], bool) = match request.query_value("after").as_deref() {
            None => (&[1, 2], true),
            Some("ftjob-2") => (&[3, 4], true),
            Some("ftjob-4") => (&[5], false),
            Some(other) => {
                return Reply::json(
                    400,
                    &json!({ "error": { "message": format!("unknown cursor {other}"), "type": "invalid_request_error" } }),
                );
            }
        };
        Reply::json(
            200,
            &json!({
                "object": "list",
                "data": ids.iter().map(|&n| fine_tuning_job_json(n)).collect::<Vec<_>>(),
                "has_more": has_more
            }),
        )
    })
    .await
}

fn ids(jobs: &[FineTuningJob]) -> Vec<&str> {
    jobs.iter().map(|job| job.id.as_str()).collect()
}

/// Each request's path and decoded query, sorted by name (the order is not the point).
fn paths_and_queries(server: &TestServer) -> Vec<(String, Vec<(String, String)>)> {
    server
        .requests()
        .iter()
        .map(|r| {
            assert_eq!(r.method, "GET");
            assert_common_headers(r);
            let mut query = r.query();
            query.sort();
            (r.path().to_owned(), query)
        })
        .collect()
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

fn expected_page_requests() -> Vec<(String, Vec<(String, String)>)> {
    vec![
        ("/fine_tuning/jobs".into(), vec![pair("limit", "2")]),
        (
            "/fine_tuning/jobs".into(),
            vec![pair("after", "ftjob-2"), pair("limit", "2")],
        ),
        (
            "/fine_tuning/jobs".into(),
            vec![pair("after", "ftjob-4"), pair("limit", "2")],
        ),
    ]
}

#[tokio::test]
async fn into_stream_walks_three_pages_in_order() {
    let server = fine_tuning_jobs_server().await;
    let client = client(&server);

    let mut stream = client
        .fine_tuning()
        .jobs()
        .list(ListPaginatedFineTuningJobsParams::new().limit(2))
        .into_stream();
    let mut jobs = Vec::new();
    while let Some(job) = stream.next().await {
        jobs.push(job.expect("every page loads"));
    }

    assert_eq!(
        ids(&jobs),
        ["ftjob-1", "ftjob-2", "ftjob-3", "ftjob-4", "ftjob-5"]
    );
    assert!(
        jobs.iter()
            .all(|job| job.status == FineTuningJobStatus::Queued)
    );
    assert_eq!(jobs[4].created_at, 1721764805);
    assert_eq!(
        paths_and_queries(&server),
        expected_page_requests(),
        "one request per page; `after` is the last id of the page before"
    );
    let afters: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.query_value("after"))
        .collect();
    assert_eq!(
        afters,
        [None, Some("ftjob-2".into()), Some("ftjob-4".into())]
    );
}

#[tokio::test]
async fn next_page_fetches_the_following_page_until_none() {
    let server = fine_tuning_jobs_server().await;
    let client = client(&server);

    let first: CursorPage<FineTuningJob> = client
        .fine_tuning()
        .jobs()
        .list(ListPaginatedFineTuningJobsParams::new().limit(2))
        .await
        .expect("the first page loads");
    assert_eq!(ids(&first.data), ["ftjob-1", "ftjob-2"]);
    assert!(first.has_more);
    assert_eq!(first.next_cursor(), Some("ftjob-2"));

    let second = first
        .next_page()
        .await
        .expect("the second page loads")
        .expect("there is a second page");
    assert_eq!(ids(&second.data), ["ftjob-3", "ftjob-4"]);
    assert!(second.has_more);

    let third = second
        .next_page()
        .await
        .expect("the third page loads")
        .expect("there is a third page");
    assert_eq!(ids(&third.data), ["ftjob-5"]);
    assert!(!third.has_more);
    assert_eq!(third.next_cursor(), None);
    assert!(
        third
            .next_page()
            .await
            .expect("no request, no error")
            .is_none(),
        "the last page has no next page"
    );

    assert_eq!(paths_and_queries(&server), expected_page_requests());
}

// ---------------------------------------------------------------------------------------
// 7. Path parameters
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server =
        TestServer::start(|_| Reply::json(200, &model_json("a/b?c#d", 1715367049, "system"))).await;

    let model = client(&server)
        .models()
        .retrieve("a/b?c#d")
        .await
        .expect("models.retrieve succeeds");

    let request = server.only_request();
    assert_eq!(
        request.target, "/models/a%2Fb%3Fc%23d",
        "`/`, `?` and `#` stay inside the one path segment"
    );
    assert_eq!(request.query(), Vec::new());
    assert_eq!(model.id, "a/b?c#d");
}

/// `.` and `..` would be removed by URL normalisation and address another resource, so
/// the runtime refuses them with an `Encode` error before anything is sent.
#[tokio::test]
async fn dot_segment_ids_are_refused_before_sending() {
    let server =
        TestServer::start(|_| Reply::json(200, &model_json("x", 1715367049, "system"))).await;
    let client = client(&server);

    for id in ["..", "."] {
        let err = client
            .models()
            .retrieve(id)
            .await
            .expect_err("a dot-segment id is refused");
        assert!(
            matches!(err.kind(), ErrorKind::Encode(_)),
            "{id:?}: expected an Encode error, got {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("`.` or `..`"),
            "{id:?}: the message says why: {message}"
        );
    }
    // Ids that merely contain dots are fine.
    client
        .models()
        .retrieve("gpt-4.1..x")
        .await
        .expect("an id with dots inside is sent");

    let requests = server.requests();
    assert_eq!(requests.len(), 1, "nothing was sent for `.` or `..`");
    assert_eq!(requests[0].target, "/models/gpt-4.1..x");
}

// ---------------------------------------------------------------------------------------
// 8. Query parameters
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn query_params_struct_sends_set_fields_only() {
    let server = TestServer::start(|_| {
        Reply::json(
            200,
            &json!({
                "object": "list",
                "data": [chat_completion_json()],
                "first_id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
                "last_id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
                "has_more": false
            }),
        )
    })
    .await;

    let page = client(&server)
        .chat()
        .completions()
        .list(
            ListChatCompletionsParams::new()
                .limit(2)
                .order(ListChatCompletionsOrder::Asc),
        )
        .await
        .expect("chat.completions.list succeeds");

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/chat/completions?limit=2&order=asc");
    assert_common_headers(&request);
    assert_no_body(&request);

    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id, "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assert!(!page.has_more);
    assert_eq!(
        page.last_id.as_deref(),
        Some("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT")
    );
}

/// `metadata` on `GET /fine_tuning/jobs` is `style: deepObject`: `metadata[k]=v`.
#[tokio::test]
async fn deep_object_query_params_use_brackets() {
    let server = fine_tuning_jobs_server().await;

    let page = client(&server)
        .fine_tuning()
        .jobs()
        .list(
            ListPaginatedFineTuningJobsParams::new().metadata(BTreeMap::from([
                ("project".to_owned(), "alpha beta".to_owned()),
                ("team".to_owned(), "ml".to_owned()),
            ])),
        )
        .await
        .expect("fine_tuning.jobs.list succeeds");

    let request = server.only_request();
    assert_eq!(request.path(), "/fine_tuning/jobs");
    assert_eq!(
        request.query(),
        vec![
            pair("metadata[project]", "alpha beta"),
            pair("metadata[team]", "ml")
        ]
    );
    assert_eq!(ids(&page.data), ["ftjob-1", "ftjob-2"]);
}

// ---------------------------------------------------------------------------------------
// 9. Every operation is a method
// ---------------------------------------------------------------------------------------

/// From the generator's output for the real spec: all 288 operations are emitted, each
/// operationId is documented on exactly one method (plus, for operations that can stream,
/// on its `_stream` twin and nowhere else). (That the checked-in `generated-client/` is this
/// output is `cargo xtask codegen --check`'s job.)
#[test]
fn every_operation_id_is_exactly_one_method() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = openapi::Config::from_file(&manifest.join("../openapi/configs/openai.toml"))
        .expect("the OpenAI configuration loads");
    let doc = openapi::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/specs/openai.yaml"
    )))
    .expect("openai.yaml loads");
    let output = generator::generate(&doc, &config).expect("generation succeeds");

    assert_eq!(output.report.operations_read, 288);
    assert_eq!(
        output.report.operations_emitted, output.report.operations_read,
        "every operation becomes a method"
    );

    let mut spec_ids: Vec<String> = doc
        .api
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter())
        .map(|(method, op)| {
            op.operation_id
                .clone()
                .unwrap_or_else(|| panic!("a {method} operation without an operationId"))
        })
        .collect();
    assert_eq!(spec_ids.len(), 288);
    spec_ids.sort();
    let before = spec_ids.len();
    spec_ids.dedup();
    assert_eq!(
        spec_ids.len(),
        before,
        "operationIds are unique in the spec"
    );

    let resources = output
        .files
        .get(Path::new("src/resources.rs"))
        .expect("src/resources.rs is generated");
    // operationId → the names of the methods documented with it.
    let mut methods: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let lines: Vec<&str> = resources.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((_, rest)) = line.split_once("(operationId `") else {
            continue;
        };
        let id = rest.split('`').next().expect("a closing backtick");
        let method = lines[i + 1..]
            .iter()
            .find_map(|l| l.trim().strip_prefix("pub fn "))
            .and_then(|l| l.split(['(', '<']).next())
            .unwrap_or_else(|| panic!("no method after the docs of `{id}`"));
        methods
            .entry(id.to_owned())
            .or_default()
            .push(method.to_owned());
    }

    let documented: Vec<&String> = methods.keys().collect();
    assert_eq!(
        documented,
        spec_ids.iter().collect::<Vec<_>>(),
        "the operationIds in src/resources.rs are exactly the spec's"
    );
    for (id, names) in &methods {
        let (plain, twins): (Vec<&String>, Vec<&String>) =
            names.iter().partition(|n| !n.ends_with("_stream"));
        assert_eq!(
            plain.len(),
            1,
            "`{id}` appears on exactly one method (not counting a `_stream` twin): {names:?}"
        );
        assert!(
            twins.len() <= 1 && twins.iter().all(|t| **t == format!("{}_stream", plain[0])),
            "`{id}` appears elsewhere only as `{}_stream`: {names:?}",
            plain[0]
        );
    }
}
