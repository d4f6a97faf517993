//! Retries, backoff, server-requested waits and timeouts.

use std::time::{Duration, Instant};

use client_runtime::runtime::{ApiErrorKind, Client, ErrorKind, Json, Request};
use serde_json::{Value, json};

use crate::support::{KEY, Reply, TestServer, builder, client};

fn get() -> Request {
    Request::get("/models")
}

#[tokio::test]
async fn rate_limit_with_retry_after_ms_is_retried_once_after_the_wait() {
    let server = TestServer::start(vec![
        Reply::json(
            429,
            json!({"error": {"message": "slow down", "type": "requests"}}),
        )
        .header("retry-after-ms", "10"),
        Reply::json(200, json!({"ok": true})),
    ])
    .await;
    let value: Value = client(&server).call::<Json<Value>>(get()).await.unwrap();
    assert_eq!(value, json!({"ok": true}));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The fast test backoff is 1 ms: only the header explains a 10 ms gap.
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_millis(10), "retried after {gap:?}");
}

#[tokio::test]
async fn retry_after_seconds_over_the_cap_falls_back_to_backoff() {
    let server = TestServer::start(vec![
        Reply::json(503, json!({})).header("retry-after", "3600"),
        Reply::json(200, json!({"ok": true})),
    ])
    .await;
    let started = Instant::now();
    client(&server).call::<Json<Value>>(get()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn three_server_errors_give_up_with_the_last_status_and_request_id() {
    let error = |id: &str| {
        Reply::json(
            500,
            json!({"error": {"message": "boom", "type": "server_error"}}),
        )
        .header("x-request-id", id)
    };
    let server = TestServer::start(vec![error("req_1"), error("req_2"), error("req_3")]).await;
    let err = client(&server)
        .call::<Json<Value>>(Request::post("/chat/completions").json(&json!({"model": "m"})))
        .await
        .unwrap_err();

    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one attempt and the default two retries");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.request_id(), Some("req_3"));
    let api = err.api_error().unwrap();
    assert_eq!(api.kind, ApiErrorKind::InternalServer);
    assert_eq!(api.body.as_ref().unwrap().message.as_deref(), Some("boom"));
    assert_eq!(api.error_type(), Some("server_error"));
    let shown = err.to_string();
    assert!(
        shown.contains("500") && shown.contains("boom") && shown.contains("req_3"),
        "{shown}"
    );

    // Every attempt sends the full body and the same idempotency key.
    let key = requests[0].header("idempotency-key").unwrap().to_owned();
    for request in &requests {
        assert_eq!(request.json(), json!({"model": "m"}));
        assert_eq!(request.header("idempotency-key"), Some(key.as_str()));
    }
}

#[tokio::test]
async fn should_retry_false_stops_retries_and_true_forces_them() {
    let server = TestServer::start(vec![
        Reply::json(500, json!({})).header("x-should-retry", "false"),
    ])
    .await;
    let err = client(&server)
        .call::<Json<Value>>(get())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.requests().len(), 1);

    let server = TestServer::start(vec![
        Reply::json(400, json!({})).header("x-should-retry", "true"),
        Reply::json(200, json!({"ok": 1})),
    ])
    .await;
    client(&server).call::<Json<Value>>(get()).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 422] {
        let server = TestServer::start(vec![Reply::json(
            status,
            json!({"error": {"message": "no"}}),
        )])
        .await;
        let err = client(&server)
            .call::<Json<Value>>(get())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.requests().len(), 1, "{status}");
    }
    for status in [408, 409] {
        let server = TestServer::start(vec![
            Reply::json(status, json!({})),
            Reply::json(200, json!({})),
        ])
        .await;
        client(&server).call::<Json<Value>>(get()).await.unwrap();
        assert_eq!(server.requests().len(), 2, "{status}");
    }
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let server = TestServer::start(vec![Reply::Reset, Reply::json(200, json!({"ok": true}))]).await;
    let value: Value = client(&server)
        .call::<Json<Value>>(Request::post("/files").json(&json!({"a": 1})))
        .await
        .unwrap();
    assert_eq!(value, json!({"ok": true}));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].json(), json!({"a": 1}));
}

#[tokio::test]
async fn resets_on_every_attempt_end_in_a_connection_error() {
    let server = TestServer::start(vec![Reply::Reset, Reply::Reset]).await;
    let err = builder(&server)
        .max_retries(1)
        .build()
        .unwrap()
        .call::<Json<Value>>(get())
        .await
        .unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert_eq!(server.requests().len(), 2);
    let shown = err.to_string();
    assert!(
        shown.starts_with("connection error on GET /models"),
        "{shown}"
    );
    assert!(!shown.contains(KEY));
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let server = TestServer::start(vec![]).await;
    let client = builder(&server)
        .base_url(url)
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.call::<Json<Value>>(get()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Connection(_)), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
}

fn stall(stall_ms: u64) -> Reply {
    Reply::Stall {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        promised: 100,
        sent: b"{\"partial\":".to_vec(),
        stall: Duration::from_millis(stall_ms),
    }
}

#[tokio::test]
async fn a_body_that_stalls_past_the_timeout_is_a_timeout_error() {
    let server = TestServer::start(vec![stall(3000)]).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.call::<Json<Value>>(get()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    let ErrorKind::Timeout(timeout) = err.kind() else {
        unreachable!()
    };
    assert_eq!(timeout.after, Duration::from_millis(150));
    assert_eq!(err.to_string(), "GET /models timed out after 150ms");
}

#[tokio::test]
async fn timeouts_are_retried() {
    let server = TestServer::start(vec![stall(3000), Reply::json(200, json!({"ok": true}))]).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let value: Value = client.call::<Json<Value>>(get()).await.unwrap();
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn per_request_timeout_and_retries_override_the_client() {
    let server = TestServer::start(vec![stall(3000)]).await;
    let client: Client = client(&server); // 5 s timeout, 2 retries
    let started = Instant::now();
    let err = client
        .call::<Json<Value>>(get())
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests().len(), 1);

    let server = TestServer::start(vec![
        Reply::json(500, json!({})),
        Reply::json(200, json!({})),
    ])
    .await;
    let client = client_with_no_retries(&server);
    client
        .call::<Json<Value>>(get())
        .max_retries(1)
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

fn client_with_no_retries(server: &TestServer) -> Client {
    builder(server).max_retries(0).build().unwrap()
}
