//! The shape of generated code that `templates/README.md` documents, compiled and
//! run here so the documentation cannot drift from the API. Generated code writes
//! `use crate::runtime;` where this file writes `use client_runtime::runtime;`.

// Generated code has items a given program does not use.
#![allow(dead_code)]

use client_runtime::runtime;
use runtime::model::InputFile;
use runtime::{
    Binary, Call, Client, ClientConfig, CursorItem, EnvHeader, Json, Multipart, Page, QueryStyle,
    Request, Sse, encode_path_segment,
};
use serde::{Deserialize, Serialize};

// ---- what the generator emits (abridged) ----

pub static CONFIG: ClientConfig = ClientConfig::new(
    env!("CARGO_PKG_NAME"),
    env!("CARGO_PKG_VERSION"),
    "https://api.openai.com/v1",
)
.api_key_env("OPENAI_API_KEY")
.base_url_env("OPENAI_BASE_URL")
.env_headers(&[
    EnvHeader::new("OPENAI_ORG_ID", "OpenAI-Organization"),
    EnvHeader::new("OPENAI_PROJECT_ID", "OpenAI-Project"),
])
.idempotency_header("Idempotency-Key");

#[derive(Debug, Clone, Serialize)]
pub struct CreateChatCompletionRequest {
    pub model: String,
    pub messages: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChatCompletion {
    pub id: String,
    pub choices: Vec<serde_json::Value>,
}

impl CursorItem for ChatCompletion {
    fn cursor_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChatCompletionChunk {
    pub id: String,
}

#[derive(Debug, Clone, Default)]
pub struct ListChatCompletionsParams {
    pub after: Option<String>,
    pub limit: Option<u32>,
    pub metadata: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Clone)]
pub struct CreateFileRequest {
    pub file: InputFile,
    pub purpose: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OpenAIFile {
    pub id: String,
}

/// The entry point a generated crate exposes; it wraps the runtime client.
#[derive(Debug, Clone)]
pub struct OpenAI {
    client: Client,
}

impl OpenAI {
    /// Reads `OPENAI_API_KEY` (required), `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`.
    pub fn from_env() -> runtime::Result<Self> {
        Client::from_env_with(&CONFIG).map(OpenAI::from)
    }

    /// A builder; finish with `.build().map(OpenAI::from)`.
    pub fn builder() -> runtime::ClientBuilder {
        Client::builder_with(&CONFIG)
    }

    pub fn chat(&self) -> Chat<'_> {
        Chat {
            client: &self.client,
        }
    }

    pub fn files(&self) -> Files<'_> {
        Files {
            client: &self.client,
        }
    }
}

impl From<Client> for OpenAI {
    fn from(client: Client) -> Self {
        OpenAI { client }
    }
}

pub struct Chat<'a> {
    client: &'a Client,
}

impl Chat<'_> {
    /// `POST /chat/completions`.
    pub fn create(&self, body: &CreateChatCompletionRequest) -> Call<Json<ChatCompletion>> {
        self.client
            .call(Request::post("/chat/completions").json(body))
    }

    /// `POST /chat/completions` with `"stream": true`.
    pub fn create_stream(
        &self,
        body: &CreateChatCompletionRequest,
    ) -> Call<Sse<ChatCompletionChunk>> {
        self.client
            .call(Request::post("/chat/completions").json_with_field(body, "stream", true))
    }

    /// `GET /chat/completions/{completion_id}`.
    pub fn retrieve(&self, completion_id: &str) -> Call<Json<ChatCompletion>> {
        self.client.call(Request::get(format!(
            "/chat/completions/{}",
            encode_path_segment(completion_id)
        )))
    }

    /// `GET /chat/completions`.
    pub fn list(&self, params: &ListChatCompletionsParams) -> Call<Page<ChatCompletion>> {
        self.client.call(
            Request::get("/chat/completions")
                .query_param("after", &params.after)
                .query_param("limit", &params.limit)
                .query_param_with("metadata", &params.metadata, QueryStyle::DeepObject),
        )
    }
}

pub struct Files<'a> {
    client: &'a Client,
}

impl Files<'_> {
    /// `POST /files` (multipart).
    pub fn create(&self, body: &CreateFileRequest) -> Call<Json<OpenAIFile>> {
        let form = Multipart::new()
            .file("file", &body.file)
            .text("purpose", &body.purpose);
        self.client.call(Request::post("/files").multipart(form))
    }

    /// `GET /files/{file_id}/content` (binary).
    pub fn content(&self, file_id: &str) -> Call<Binary> {
        self.client.call(Request::get(format!(
            "/files/{}/content",
            encode_path_segment(file_id)
        )))
    }
}

// ---- what a user writes, run against the test server ----

use std::time::Duration;

use runtime::RequestOptions;
use serde_json::json;

use crate::support::{KEY, Reply, TestServer};

#[tokio::test]
async fn the_documented_example_runs() {
    let completion = json!({"id": "chatcmpl-1", "choices": []});
    let server = TestServer::start(vec![
        Reply::json(200, completion.clone()).header("x-request-id", "req_1"),
        Reply::json(200, completion.clone()),
        Reply::sse(
            vec![
                (0, "data: {\"id\": \"c1\"}\n\n"),
                (0, "data: {\"id\": \"c2\"}\n\n"),
                (0, "data: [DONE]\n\n"),
            ],
            false,
        ),
        Reply::json(200, json!({"data": [completion], "has_more": true})),
        Reply::json(
            200,
            json!({"data": [{"id": "chatcmpl-2", "choices": []}], "has_more": false}),
        ),
        Reply::json(200, json!({"id": "file-1"})),
        Reply::raw(200, "application/jsonl", "{}\n"),
    ])
    .await;
    let openai: OpenAI = OpenAI::builder()
        .env_source(|_| None)
        .api_key(KEY)
        .base_url(server.url("/v1"))
        .http_client(reqwest::Client::builder().no_proxy().build().unwrap())
        .build()
        .map(OpenAI::from)
        .unwrap();
    let body = CreateChatCompletionRequest {
        model: "gpt-4o".into(),
        messages: vec![json!({"role": "user", "content": "hi"})],
        stream: None,
    };

    // Plain call.
    let completion = openai.chat().create(&body).await.unwrap();
    assert_eq!(completion.id, "chatcmpl-1");

    // With per-request options and the raw response.
    let raw = openai
        .chat()
        .retrieve("chatcmpl-1")
        .with_options(
            RequestOptions::new()
                .timeout(Duration::from_secs(20))
                .header("X-Trace", "1"),
        )
        .with_raw_response()
        .await
        .unwrap();
    assert_eq!((raw.status().as_u16(), raw.request_id()), (200, None));
    assert_eq!(raw.into_data().id, "chatcmpl-1");

    // Streaming.
    let mut stream = openai.chat().create_stream(&body).await.unwrap();
    let mut ids = Vec::new();
    while let Some(chunk) = stream.next().await {
        ids.push(chunk.unwrap().id);
    }
    assert_eq!(ids, ["c1", "c2"]);

    // Every item of every page.
    let all = openai
        .chat()
        .list(&ListChatCompletionsParams {
            limit: Some(1),
            ..Default::default()
        })
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);

    // Upload and download.
    let file = openai
        .files()
        .create(&CreateFileRequest {
            file: InputFile::from_bytes("train.jsonl", b"{}\n".to_vec()),
            purpose: "fine-tune".into(),
        })
        .await
        .unwrap();
    let content = openai.files().content(&file.id).await.unwrap();
    assert_eq!(content.bytes.as_ref(), b"{}\n");

    let targets: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert_eq!(
        targets,
        [
            "POST /v1/chat/completions",
            "GET /v1/chat/completions/chatcmpl-1",
            "POST /v1/chat/completions",
            "GET /v1/chat/completions?limit=1",
            "GET /v1/chat/completions?limit=1&after=chatcmpl-1",
            "POST /v1/files",
            "GET /v1/files/file-1/content",
        ]
    );
    assert_eq!(server.requests()[1].header("x-trace"), Some("1"));
}

impl client_runtime::runtime::Conformance for ChatCompletion {}
impl client_runtime::runtime::Conformance for ChatCompletionChunk {}
impl client_runtime::runtime::Conformance for OpenAIFile {}
