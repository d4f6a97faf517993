//! Server-sent event streams over a real connection.

use std::time::{Duration, Instant};

use client_runtime::runtime::{ErrorKind, Request, Sse, SseStream};
use serde::Deserialize;
use serde_json::json;

use crate::support::{Reply, TestServer, builder, client};

#[derive(Debug, Deserialize, PartialEq)]
struct ChatChunk {
    id: String,
    choices: Vec<ChunkChoice>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ChunkChoice {
    index: u32,
    delta: Delta,
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Delta {
    content: Option<String>,
}

fn chunk(content: Option<&str>, finish: Option<&str>) -> String {
    let chunk = json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]});
    format!("data: {chunk}\n\n")
}

async fn open(server: &TestServer) -> SseStream<ChatChunk> {
    client(server)
        .call::<Sse<ChatChunk>>(Request::post("/chat/completions").json_with_field(
            &json!({"model": "m"}),
            "stream",
            true,
        ))
        .await
        .unwrap()
}

#[tokio::test]
async fn chunks_arrive_over_time_and_done_ends_the_stream() {
    let (a, b, c) = (
        chunk(Some("Hel"), None),
        chunk(Some("lo"), None),
        chunk(None, Some("stop")),
    );
    let server = TestServer::start(vec![Reply::sse(
        vec![
            (0, ": keep-alive\n\n"),
            (0, &a),
            (80, &b[..10]), // an event split across chunks
            (0, &b[10..]),
            (80, &c),
            (0, "data: [DONE]\n\n"),
            (3000, "data: {\"after\": \"done\"}\n\n"), // never read: [DONE] closes the stream
        ],
        false,
    )])
    .await;
    let started = Instant::now();
    let mut stream = open(&server).await;
    let mut seen = Vec::new();
    while let Some(item) = stream.next().await {
        seen.push((item.unwrap(), started.elapsed()));
    }
    let done_at = started.elapsed();
    let text: String = seen
        .iter()
        .filter_map(|(c, _)| c.choices[0].delta.content.clone())
        .collect();
    assert_eq!(text, "Hello");
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2].0.choices[0].finish_reason.as_deref(), Some("stop"));
    assert_eq!(seen[0].0.id, "chatcmpl-1");
    assert_eq!(seen[0].0.choices[0].index, 0);
    // Items are yielded as they arrive, not at the end.
    assert!(
        seen[2].1 - seen[0].1 >= Duration::from_millis(150),
        "{seen:?}"
    );
    assert!(
        done_at < Duration::from_secs(2),
        "[DONE] must end the stream at once ({done_at:?})"
    );

    let sent = server.only_request();
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
    assert_eq!(sent.json(), json!({"model": "m", "stream": true}));
}

#[tokio::test]
async fn an_error_event_is_an_err_item_and_ends_the_stream() {
    let first = chunk(Some("a"), None);
    let server = TestServer::start(vec![Reply::sse(
        vec![
            (0, &first),
            (0, "event: error\ndata: {\"error\": {\"message\": \"The server is overloaded\", \"type\": \"server_error\", \"code\": null}}\n\n"),
            (0, &first),
        ],
        false,
    )])
    .await;
    let mut stream = open(&server).await;
    assert_eq!(
        stream.next().await.unwrap().unwrap().choices[0]
            .delta
            .content
            .as_deref(),
        Some("a")
    );
    let err = stream.next().await.unwrap().unwrap_err();
    let ErrorKind::Stream(stream_error) = err.kind() else {
        panic!("{err:?}")
    };
    let body = stream_error.error.as_ref().unwrap();
    assert_eq!(body.message.as_deref(), Some("The server is overloaded"));
    assert_eq!(body.error_type.as_deref(), Some("server_error"));
    assert!(
        err.to_string().contains("The server is overloaded"),
        "{err}"
    );
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_data_object_with_an_error_key_is_an_err_item() {
    let server = TestServer::start(vec![Reply::sse(
        vec![(
            0,
            "data: {\"error\": {\"message\": \"context too long\"}}\n\n",
        )],
        false,
    )])
    .await;
    let mut stream = open(&server).await;
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Stream(_)) && err.to_string().contains("context too long"),
        "{err}"
    );
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_connection_cut_mid_event_is_an_err_item_and_is_not_retried() {
    let first = chunk(Some("a"), None);
    let second = chunk(Some("b"), None);
    // Chunked body aborted without its final chunk, in the middle of an event.
    let server = TestServer::start(vec![
        Reply::sse(vec![(0, &first), (20, &second[..25])], true),
        Reply::sse(vec![(0, &first)], false),
    ])
    .await;
    let mut stream = open(&server).await;
    assert!(stream.next().await.unwrap().is_ok());
    let err = tokio::time::timeout(Duration::from_secs(3), stream.next())
        .await
        .expect("no hang")
        .unwrap()
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Stream(_)), "{err:?}");
    assert!(stream.next().await.is_none());
    assert_eq!(
        server.requests().len(),
        1,
        "a stream that has started is never retried"
    );
}

#[tokio::test]
async fn a_clean_close_mid_event_is_an_err_item() {
    let first = chunk(Some("a"), None);
    let server = TestServer::start(vec![Reply::CloseDelimited {
        status: 200,
        headers: vec![("Content-Type".into(), "text/event-stream".into())],
        pieces: vec![
            (Duration::ZERO, first.into_bytes()),
            (
                Duration::from_millis(10),
                b"data: {\"id\": \"chatcmpl-1\", \"cho".to_vec(),
            ),
        ],
    }])
    .await;
    let mut stream = open(&server).await;
    assert!(stream.next().await.unwrap().is_ok());
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "stream error: the stream ended in the middle of an event"
    );
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_stalled_stream_times_out() {
    let first = chunk(Some("a"), None);
    let server =
        TestServer::start(vec![Reply::sse(vec![(0, &first), (3000, &first)], false)]).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let mut stream = client
        .call::<Sse<ChatChunk>>(Request::post("/chat/completions"))
        .await
        .unwrap();
    assert!(stream.next().await.unwrap().is_ok());
    let started = Instant::now();
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn errors_before_the_stream_starts_are_retried_and_typed() {
    let first = chunk(Some("a"), None);
    let server = TestServer::start(vec![
        Reply::json(429, json!({"error": {"message": "slow"}})).header("retry-after-ms", "5"),
        Reply::sse(vec![(0, &first), (0, "data: [DONE]\n\n")], false),
        Reply::json(401, json!({"error": {"message": "bad key"}})),
    ])
    .await;
    let mut stream = open(&server).await;
    assert!(stream.next().await.unwrap().is_ok());
    assert!(stream.next().await.is_none());
    assert_eq!(server.requests().len(), 2);

    let err = client(&server)
        .call::<Sse<ChatChunk>>(Request::post("/chat/completions"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(err.to_string().contains("bad key"));
}

#[tokio::test]
async fn an_undecodable_event_is_reported_and_the_stream_goes_on() {
    let good = chunk(Some("ok"), None);
    let server = TestServer::start(vec![Reply::sse(
        vec![(0, "data: {\"id\": 5}\n\n"), (0, &good)],
        false,
    )])
    .await;
    let mut stream = open(&server).await;
    let err = stream.next().await.unwrap().unwrap_err();
    let ErrorKind::Decode(decode) = err.kind() else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "id");
    assert_eq!(decode.raw_body_text(), "{\"id\": 5}");
    assert_eq!(
        stream.next().await.unwrap().unwrap().choices[0]
            .delta
            .content
            .as_deref(),
        Some("ok")
    );
    assert!(stream.next().await.is_none());
}

impl client_runtime::runtime::Conformance for ChatChunk {}
