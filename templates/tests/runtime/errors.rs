//! Typed errors: API errors whatever the body, decode errors with paths, configuration
//! errors, and the API key kept out of every message.

use std::time::Duration;

use client_runtime::runtime::{
    ApiErrorKind, Client, Error, ErrorKind, Json, Request, encode_path_segment,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::support::{CONFIG, KEY, Reply, TestServer, builder, client};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Completion {
    id: String,
    choices: Vec<Choice>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Choice {
    index: u32,
    message: Message,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Message {
    role: String,
    content: Option<String>,
}

async fn decode_failure(body: &str) -> Error {
    let server = TestServer::start(vec![
        Reply::raw(200, "application/json", body).header("x-request-id", "req_dec"),
    ])
    .await;
    client(&server)
        .call::<Json<Completion>>(Request::post("/chat/completions").json(&json!({})))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_wrong_type_names_the_field_path_and_keeps_the_body() {
    let body = r#"{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}},{"index":1,"message":{"role":7}}]}"#;
    let err = decode_failure(body).await;
    let ErrorKind::Decode(decode) = err.kind() else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "choices[1].message.role");
    assert_eq!(decode.raw_body_text(), body);
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(err.request_id(), Some("req_dec"));
    let shown = err.to_string();
    assert!(
        shown.contains("choices[1].message.role") && shown.contains("invalid type"),
        "{shown}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_raw_body() {
    let body = r#"{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","con"#;
    let err = decode_failure(body).await;
    let ErrorKind::Decode(decode) = err.kind() else {
        panic!("{err:?}")
    };
    // serde_path_to_error writes `?` for the key it was reading when the input ran out.
    assert_eq!(decode.path, "choices[0].message.?");
    assert!(decode.message.contains("EOF"), "{}", decode.message);
    assert_eq!(decode.raw_body_text(), body);

    let err = decode_failure(r#"{"id":"c1","choices":[]} trailing"#).await;
    let ErrorKind::Decode(decode) = err.kind() else {
        panic!("{err:?}")
    };
    assert!(decode.message.contains("trailing"), "{}", decode.message);

    let err = decode_failure(r#"{"choices":[]}"#).await;
    let ErrorKind::Decode(decode) = err.kind() else {
        panic!("{err:?}")
    };
    assert!(
        decode.message.contains("missing field `id`"),
        "{}",
        decode.message
    );
}

async fn api_failure(reply: Reply) -> Error {
    let server = TestServer::start(vec![reply]).await;
    let err = builder(&server)
        .max_retries(0)
        .build()
        .unwrap()
        .call::<Json<Value>>(Request::get("/models"))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    err
}

#[tokio::test]
async fn html_empty_and_plain_bodies_still_give_typed_api_errors() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
    let err =
        api_failure(Reply::raw(502, "text/html", html).header("x-request-id", "req_html")).await;
    let api = err.api_error().unwrap();
    assert_eq!(
        (api.status.as_u16(), api.kind),
        (502, ApiErrorKind::InternalServer)
    );
    assert_eq!(api.body, None);
    assert_eq!(api.raw_body, html);
    assert_eq!(api.request_id.as_deref(), Some("req_html"));
    assert!(
        err.to_string()
            .starts_with("API error 502 Bad Gateway: <html>"),
        "{err}"
    );

    let err = api_failure(Reply::empty(404)).await;
    let api = err.api_error().unwrap();
    assert_eq!(
        (api.kind, api.raw_body.as_str(), api.body.is_none()),
        (ApiErrorKind::NotFound, "", true)
    );
    assert_eq!(err.to_string(), "API error 404 Not Found: Not Found");

    let err = api_failure(Reply::raw(400, "text/plain", "Bad Request: missing model")).await;
    assert_eq!(err.api_error().unwrap().kind, ApiErrorKind::BadRequest);
    assert_eq!(
        err.to_string(),
        "API error 400 Bad Request: Bad Request: missing model"
    );

    let err = api_failure(Reply::raw(422, "application/json", "[1, 2")).await;
    assert_eq!(
        err.api_error().unwrap().kind,
        ApiErrorKind::UnprocessableEntity
    );
}

#[tokio::test]
async fn json_error_bodies_are_parsed_into_kinds() {
    let body = json!({"error": {"message": "You exceeded your quota", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}});
    let err = api_failure(
        Reply::json(429, body)
            .header("x-should-retry", "false")
            .header("x-request-id", "req_429"),
    )
    .await;
    let api = err.api_error().unwrap();
    assert_eq!(api.kind, ApiErrorKind::RateLimit);
    assert_eq!(api.code(), Some("insufficient_quota"));
    assert_eq!(api.message(), "You exceeded your quota");
    assert_eq!(api.headers.get("x-request-id").unwrap(), "req_429");
    assert_eq!(
        err.to_string(),
        "API error 429 Too Many Requests: You exceeded your quota (type: insufficient_quota, code: insufficient_quota, request id: req_429)"
    );
    for (status, kind) in [
        (401, ApiErrorKind::Authentication),
        (403, ApiErrorKind::PermissionDenied),
        (409, ApiErrorKind::Conflict),
        (418, ApiErrorKind::Other),
    ] {
        let reply = Reply::json(status, json!({"error": {"message": "x"}}))
            .header("x-should-retry", "false");
        assert_eq!(
            api_failure(reply).await.api_error().unwrap().kind,
            kind,
            "{status}"
        );
    }
}

#[tokio::test]
async fn the_api_key_never_shows() {
    let mut shown = Vec::new();
    let server = TestServer::start(vec![
        // A server that echoes the key back in its error.
        Reply::json(401, json!({"error": {"message": format!("Incorrect API key provided: {KEY}"), "code": "invalid_api_key"}})),
        Reply::Reset,
        Reply::raw(200, "application/json", "{not json"),
    ])
    .await;
    let client = builder(&server).max_retries(0).build().unwrap();
    shown.push(format!("{client:?}"));
    shown.push(format!("{:?}", builder(&server)));
    for _ in 0..3 {
        let err = client
            .call::<Json<Value>>(Request::get("/models"))
            .await
            .unwrap_err();
        shown.push(err.to_string());
        shown.push(format!("{err:?}"));
    }
    assert!(
        shown[2].contains("Incorrect API key provided: [REDACTED]"),
        "{}",
        shown[2]
    );
    let err = builder(&server).base_url("not a url").build().unwrap_err();
    shown.push(err.to_string());
    let err = client
        .call::<Json<Value>>(Request::get("/models"))
        .timeout(Duration::from_millis(1))
        .await;
    if let Err(err) = err {
        shown.push(format!("{err} {err:?}"));
    }
    assert!(shown[0].contains("[REDACTED]"), "{}", shown[0]);
    for text in &shown {
        assert!(!text.contains(KEY), "the key leaked into: {text}");
        assert!(
            !text.contains("SECRET"),
            "part of the key leaked into: {text}"
        );
    }
}

#[tokio::test]
async fn a_missing_api_key_names_the_variable() {
    // The process environment does not set CLIENT_RUNTIME_TEST_API_KEY.
    let err = Client::from_env_with(&CONFIG).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Config(_)));
    assert_eq!(
        err.to_string(),
        "configuration error: no API key: set the `CLIENT_RUNTIME_TEST_API_KEY` environment variable or call `api_key()` on the client builder"
    );
    // An empty value counts as unset.
    let err = Client::builder_with(&CONFIG)
        .env_source(|_| Some(String::new()))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("CLIENT_RUNTIME_TEST_API_KEY"));
}

#[tokio::test]
async fn bad_configuration_is_reported_at_build() {
    let server = TestServer::start(vec![]).await;
    for (builder, expected) in [
        (
            builder(&server).base_url("ftp://x"),
            "invalid base URL `ftp://x`",
        ),
        (
            builder(&server).base_url("http://x/v1?q=1"),
            "without a query",
        ),
        (
            builder(&server).default_header("bad header", "x"),
            "`bad header` is not a valid header name",
        ),
        (
            builder(&server).default_header("x-ok", "line\nbreak"),
            "the value of header `x-ok`",
        ),
        (
            builder(&server).api_key("sk-\nnewline"),
            "the API key contains characters",
        ),
    ] {
        let err = builder.build().unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
    }
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = TestServer::start(vec![]).await;
    let client = client(&server);
    for id in ["..", "."] {
        let path = format!("/files/{}/content", encode_path_segment(id));
        let err = client
            .call::<Json<Value>>(Request::get(path))
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Encode(_)), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn unserializable_bodies_are_encode_errors() {
    let server = TestServer::start(vec![]).await;
    let mut map = std::collections::HashMap::new();
    map.insert(vec![1], 2);
    let err = client(&server)
        .call::<Json<Value>>(Request::post("/x").json(&map))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Encode(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("could not encode the request: request body:"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

impl client_runtime::runtime::Conformance for Completion {}
