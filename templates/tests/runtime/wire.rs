//! What goes on the wire: auth, configured and per-request headers and query,
//! parameter encoding, and the raw-response wrapper.

use std::collections::BTreeMap;

use client_runtime::runtime::{
    AuthScheme, Client, ClientConfig, Empty, Json, QueryStyle, Request, RequestOptions, Text,
    encode_path_segment,
};
use serde_json::{Value, json};

use crate::support::{CONFIG, KEY, Reply, TestServer, builder, client};

fn env(
    pairs: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[tokio::test]
async fn configured_headers_come_from_the_environment() {
    let server = TestServer::start(vec![Reply::json(200, json!({}))]).await;
    let client = Client::builder_with(&CONFIG)
        .http_client(reqwest::Client::builder().no_proxy().build().unwrap())
        .env_source(env(&[
            ("CLIENT_RUNTIME_TEST_API_KEY", KEY),
            ("CLIENT_RUNTIME_TEST_ORG_ID", "org-123"),
            ("CLIENT_RUNTIME_TEST_PROJECT_ID", "proj_456"),
            ("CLIENT_RUNTIME_TEST_BASE_URL", "http://placeholder"),
        ]))
        .base_url(server.url("/v1/")) // the builder wins over the environment; the trailing slash is dropped
        .build()
        .unwrap();
    let _: Value = client
        .call::<Json<Value>>(Request::post("/chat/completions").json(&json!({"model": "m"})))
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v1/chat/completions");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header("openai-organization"), Some("org-123"));
    assert_eq!(request.header("openai-project"), Some("proj_456"));
    assert_eq!(request.header("user-agent"), Some("test-client/9.9.9"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert!(
        request
            .header("idempotency-key")
            .is_some_and(|k| k.len() > 10)
    );
    assert_eq!(request.json(), json!({"model": "m"}));
}

#[tokio::test]
async fn base_url_comes_from_the_environment_when_not_set() {
    let server = TestServer::start(vec![Reply::json(200, json!({}))]).await;
    let url: &'static str = Box::leak(server.url("/base").into_boxed_str());
    let pairs: &'static [(&'static str, &'static str)] = Box::leak(
        vec![
            ("CLIENT_RUNTIME_TEST_API_KEY", KEY),
            ("CLIENT_RUNTIME_TEST_BASE_URL", url),
        ]
        .into_boxed_slice(),
    );
    let client = Client::builder_with(&CONFIG)
        .http_client(reqwest::Client::builder().no_proxy().build().unwrap())
        .env_source(env(pairs))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), url);
    client
        .call::<Empty>(Request::delete("models/ft-1"))
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("DELETE", "/base/models/ft-1")
    );
    assert_eq!(
        request.header("idempotency-key").map(|k| !k.is_empty()),
        Some(true)
    );
}

#[tokio::test]
async fn defaults_per_request_options_and_parameters_all_reach_the_server() {
    let server = TestServer::start(vec![
        Reply::json(200, json!({"id": "x"})).header("x-request-id", "req_raw"),
    ])
    .await;
    let client = builder(&server)
        .default_header("OpenAI-Organization", "org-builder")
        .default_header("X-Default", "d")
        .default_query("api-version", "2025-01-01")
        .build()
        .unwrap()
        .with_options(RequestOptions::new().header("X-Client-Scoped", "c"));

    let mut metadata = BTreeMap::new();
    metadata.insert("team", "search");
    metadata.insert("env", "prod");
    let request = Request::get(format!(
        "/files/{}/content",
        encode_path_segment("file/../a?b#c d")
    ))
    .query_param("limit", &20)
    .query_param("after", &None::<String>)
    .query_param("include[]", &["a.b", "c"])
    .query_param("order", &"desc")
    .query_param_with("ids", &[1, 2, 3], QueryStyle::FormNoExplode)
    .query_param_with("metadata", &metadata, QueryStyle::DeepObject)
    .header_param("openai-beta", &["assistants=v2", "x=1"])
    .header_param("x-absent", &None::<u32>);
    let response = client
        .call::<Json<Value>>(request)
        .with_options(
            RequestOptions::new()
                .header("X-Trace", "t-1")
                .query("extra", "e&=?")
                .idempotency_key("ignored-on-get"),
        )
        .header("X-Default", "overridden")
        .with_raw_response()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("req_raw"));
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(response.data(), &json!({"id": "x"}));

    let sent = server.only_request();
    assert_eq!(sent.path(), "/v1/files/file%2F..%2Fa%3Fb%23c%20d/content");
    let query: Vec<(String, String)> = sent.query();
    let expected: Vec<(String, String)> = [
        ("api-version", "2025-01-01"),
        ("limit", "20"),
        ("include[]", "a.b"),
        ("include[]", "c"),
        ("order", "desc"),
        ("ids", "1,2,3"),
        ("metadata[env]", "prod"),
        ("metadata[team]", "search"),
        ("extra", "e&=?"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query, expected);
    assert_eq!(sent.header("openai-organization"), Some("org-builder"));
    assert_eq!(sent.header_all("x-default"), vec!["overridden"]);
    assert_eq!(sent.header("x-client-scoped"), Some("c"));
    assert_eq!(sent.header("x-trace"), Some("t-1"));
    assert_eq!(sent.header("openai-beta"), Some("assistants=v2,x=1"));
    assert_eq!(sent.header("x-absent"), None);
    assert_eq!(
        sent.header("idempotency-key"),
        None,
        "GET requests carry no idempotency key"
    );
    assert_eq!(sent.header("content-type"), None);
}

#[tokio::test]
async fn streaming_variant_sets_the_stream_field_and_options_key_is_used() {
    let server = TestServer::start(vec![Reply::json(200, json!({}))]).await;
    #[derive(serde::Serialize)]
    struct Body {
        model: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        stream: Option<bool>,
    }
    let request = Request::post("/responses?beta=true").json_with_field(
        &Body {
            model: "m",
            stream: None,
        },
        "stream",
        true,
    );
    client(&server)
        .call::<Json<Value>>(request)
        .with_options(RequestOptions::new().idempotency_key("my-key"))
        .await
        .unwrap();
    let sent = server.only_request();
    assert_eq!(sent.target, "/v1/responses?beta=true");
    assert_eq!(sent.json(), json!({"model": "m", "stream": true}));
    assert_eq!(sent.header("idempotency-key"), Some("my-key"));
}

static HEADER_KEY: ClientConfig =
    ClientConfig::new("h", "1", "http://127.0.0.1:9").auth(AuthScheme::ApiKeyHeader("api-key"));
static QUERY_KEY: ClientConfig =
    ClientConfig::new("q", "1", "http://127.0.0.1:9").auth(AuthScheme::ApiKeyQuery("key"));
static BASIC: ClientConfig =
    ClientConfig::new("b", "1", "http://127.0.0.1:9").auth(AuthScheme::Basic);
static NO_AUTH: ClientConfig =
    ClientConfig::new("n", "1", "http://127.0.0.1:9").auth(AuthScheme::None);

async fn sent_with(config: &'static ClientConfig, key: Option<&str>) -> crate::support::Recorded {
    let server = TestServer::start(vec![Reply::raw(200, "text/plain", "ok")]).await;
    let mut builder = Client::builder_with(config)
        .env_source(|_| None)
        .base_url(server.url(""))
        .http_client(reqwest::Client::builder().no_proxy().build().unwrap());
    if let Some(key) = key {
        builder = builder.api_key(key);
    }
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains("s3cr3t"));
    let text = client
        .call::<Text>(Request::get("/ping").query_param("a", &1))
        .await
        .unwrap();
    assert_eq!(text, "ok");
    server.only_request()
}

#[tokio::test]
async fn every_auth_scheme() {
    let sent = sent_with(&HEADER_KEY, Some("s3cr3t")).await;
    assert_eq!(
        (sent.header("api-key"), sent.header("authorization")),
        (Some("s3cr3t"), None)
    );
    assert_eq!(sent.header("user-agent"), Some("h/1"));

    let sent = sent_with(&QUERY_KEY, Some("s3cr3t")).await;
    assert_eq!(sent.target, "/ping?a=1&key=s3cr3t");
    assert_eq!(sent.header("authorization"), None);

    let sent = sent_with(&BASIC, Some("user:s3cr3t")).await;
    assert_eq!(sent.header("authorization"), Some("Basic dXNlcjpzM2NyM3Q="));

    let sent = sent_with(&NO_AUTH, None).await;
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("accept"), Some("text/plain, */*"));

    let err = Client::builder_with(&HEADER_KEY)
        .env_source(|_| None)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "configuration error: no API key: call `api_key()` on the client builder"
    );
}

#[tokio::test]
async fn the_builder_can_send_the_key_with_another_scheme() {
    static BEARER: ClientConfig = ClientConfig::new("o", "1", "http://127.0.0.1:9");
    let server = TestServer::start(vec![Reply::raw(200, "text/plain", "ok")]).await;
    let client = Client::builder_with(&BEARER)
        .env_source(|_| None)
        .api_key("s3cr3t")
        .auth(AuthScheme::ApiKeyHeader("api-key"))
        .base_url(server.url(""))
        .http_client(reqwest::Client::builder().no_proxy().build().unwrap())
        .build()
        .unwrap();
    assert!(format!("{client:?}").contains("ApiKeyHeader(\"api-key\")"));
    client.call::<Text>(Request::get("/ping")).await.unwrap();
    let sent = server.only_request();
    assert_eq!(
        (sent.header("api-key"), sent.header("authorization")),
        (Some("s3cr3t"), None)
    );

    // `None` needs no key; a scheme that needs one still asks for it.
    assert!(
        Client::builder_with(&BEARER)
            .env_source(|_| None)
            .auth(AuthScheme::None)
            .build()
            .is_ok()
    );
    let err = Client::builder_with(&NO_AUTH)
        .env_source(|_| None)
        .auth(AuthScheme::Bearer)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no API key"), "{err}");
}

#[tokio::test]
async fn a_query_key_stays_out_of_connection_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder_with(&QUERY_KEY)
        .env_source(|_| None)
        .api_key("s3cr3t-query-key")
        .base_url(url)
        .max_retries(0)
        .http_client(reqwest::Client::builder().no_proxy().build().unwrap())
        .build()
        .unwrap();
    let err = client
        .call::<Text>(Request::get("/ping"))
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(err.is_connection());
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[tokio::test]
async fn form_bodies_and_cookie_parameters() {
    let server = TestServer::start(vec![Reply::empty(204)]).await;
    // A struct, so the field order does not depend on serde_json's `preserve_order`.
    #[derive(serde::Serialize)]
    struct Pet {
        name: &'static str,
        tags: [&'static str; 2],
        age: u8,
        owner: Option<String>,
    }
    let pet = Pet {
        name: "Rex & Co",
        tags: ["a b", "ü"],
        age: 3,
        owner: None,
    };
    let request = Request::post("/pets")
        .form(&pet)
        .cookie_param("session", &"abc;1")
        .cookie_param("absent", &None::<String>)
        .cookie_param("ids", &[1, 2]);
    client(&server).call::<Empty>(request).await.unwrap();
    let sent = server.only_request();
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // Field order follows serde_json's map (sorted unless its `preserve_order` feature is
    // unified in), so compare the pairs as a set; a list keeps its order.
    let body = String::from_utf8(sent.body.clone()).unwrap();
    let mut pairs: Vec<&str> = body.split('&').collect();
    assert!(body.contains("tags=a+b&tags=%C3%BC"), "{body}");
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        ["age=3", "name=Rex+%26+Co", "tags=%C3%BC", "tags=a+b"],
        "{body}"
    );
    assert_eq!(sent.header("cookie"), Some("session=abc%3B1; ids=1%2C2"));

    // A body that is not an object is refused before anything is sent.
    let refused = client(&server)
        .call::<Empty>(Request::post("/pets").form(&"text"))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("form body"), "{refused}");
}

#[tokio::test]
async fn json_bodies_under_another_json_media_type() {
    let server = TestServer::start(vec![Reply::empty(204)]).await;
    let request = Request::new(reqwest::Method::PATCH, "/pets/1")
        .json_as(&json!({"name": null}), "application/merge-patch+json");
    client(&server).call::<Empty>(request).await.unwrap();
    let sent = server.only_request();
    assert_eq!(
        sent.header("content-type"),
        Some("application/merge-patch+json")
    );
    assert_eq!(sent.json(), json!({"name": null}));
}
