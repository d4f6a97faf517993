//! Azure OpenAI deployments and other OpenAI-compatible servers, against a scripted server
//! on 127.0.0.1: where each request goes and how the key travels.

mod support;

use openai_client::runtime::AuthScheme;
use openai_client::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateEmbeddingRequest,
};
use openai_client::{Azure, Client};
use serde_json::json;
use support::{FakeServer, Reply};

fn completion() -> serde_json::Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                     "message": {"role": "assistant", "content": "Hi!", "refusal": null}}]
    })
}

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new(
        vec![ChatCompletionRequestUserMessage::new("Hello").into()],
        "gpt-4o-mini",
    )
}

/// No proxy, so nothing can leave 127.0.0.1.
fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[tokio::test]
async fn an_azure_deployment_gets_its_path_api_version_and_api_key_header() {
    let server = FakeServer::start(vec![
        Reply::json(200, &completion()),
        Reply::json(
            200,
            &json!({"object": "list", "model": "m", "data": [],
                                 "usage": {"prompt_tokens": 1, "total_tokens": 1}}),
        ),
    ]);
    let azure = Azure::new(format!("http://127.0.0.1:{}/", server.port))
        .deployment("my gpt-4o")
        .api_version("2024-10-21");
    assert_eq!(
        azure.base_url(),
        format!(
            "http://127.0.0.1:{}/openai/deployments/my%20gpt-4o",
            server.port
        )
    );
    let client = azure
        .builder()
        .api_key("azure-key")
        .env_source(|_| None)
        .http_client(http())
        .max_retries(0)
        .build()
        .unwrap();
    let reply = client.chat().completions().create(request()).await.unwrap();
    assert_eq!(reply.choices[0].message.content.as_deref(), Some("Hi!"));
    client
        .embeddings()
        .create(CreateEmbeddingRequest::new(
            "text",
            "text-embedding-3-small",
        ))
        .await
        .unwrap();

    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(
        sent[0].target,
        "/openai/deployments/my%20gpt-4o/chat/completions?api-version=2024-10-21"
    );
    assert_eq!(sent[0].header("api-key"), Some("azure-key"));
    assert_eq!(sent[0].header("authorization"), None);
    assert_eq!(sent[0].json()["messages"][0]["content"], "Hello");
    assert_eq!(
        sent[1].target,
        "/openai/deployments/my%20gpt-4o/embeddings?api-version=2024-10-21"
    );
}

#[tokio::test]
async fn the_azure_v1_api_and_entra_id_tokens() {
    let server = FakeServer::start(vec![Reply::json(200, &completion())]);
    let client = Azure::new(format!("http://127.0.0.1:{}", server.port))
        .builder()
        .auth(AuthScheme::Bearer)
        .api_key("entra-token")
        .env_source(|_| None)
        .http_client(http())
        .build()
        .unwrap();
    client.chat().completions().create(request()).await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.target, "/openai/v1/chat/completions");
    assert_eq!(sent.header("authorization"), Some("Bearer entra-token"));
    assert_eq!(sent.header("api-key"), None);
}

#[tokio::test]
async fn any_compatible_server_by_its_base_url() {
    let server = FakeServer::start(vec![
        Reply::json(200, &completion()),
        Reply::json(200, &completion()),
    ]);
    // A local server that wants no key.
    let open = Client::builder()
        .base_url(format!("http://127.0.0.1:{}/compat/v1/", server.port))
        .auth(AuthScheme::None)
        .env_source(|_| None)
        .http_client(http())
        .build()
        .unwrap();
    open.chat().completions().create(request()).await.unwrap();
    // One that wants a bearer key, the default.
    let keyed = Client::builder()
        .base_url(format!("http://127.0.0.1:{}/compat/v1", server.port))
        .api_key("sk-local")
        .env_source(|_| None)
        .http_client(http())
        .build()
        .unwrap();
    keyed.chat().completions().create(request()).await.unwrap();
    let sent = server.requests();
    assert_eq!(sent[0].target, "/compat/v1/chat/completions");
    assert_eq!(sent[0].header("authorization"), None);
    assert_eq!(sent[1].target, "/compat/v1/chat/completions");
    assert_eq!(sent[1].header("authorization"), Some("Bearer sk-local"));
}
