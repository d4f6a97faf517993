//! Multipart uploads and binary downloads.

use client_runtime::runtime::model::InputFile;
use client_runtime::runtime::{Binary, Json, Multipart, Request};
use serde_json::{Value, json};

use crate::support::{Part, Reply, TestServer, client, parse_multipart};

/// Bytes that would break a careless encoder: every byte value, CRLFs, and
/// something that looks like a delimiter.
fn awkward_bytes() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    bytes.extend_from_slice(b"\r\n--\r\n------client-runtime-\r\n\r\n");
    bytes.extend((0..10_000u32).map(|i| (i % 251) as u8));
    bytes
}

fn form() -> Multipart {
    Multipart::new()
        .text("purpose", "fine-tune")
        .field("n", &Some(2))
        .field("absent", &None::<String>)
        .field("timestamp_granularities[]", &["word", "segment"])
        .file(
            "file",
            &InputFile::from_bytes("train \"set\".jsonl", awkward_bytes()),
        )
        .file(
            "image",
            &InputFile::from_bytes("mask.png", vec![0x89, b'P', b'N', b'G'])
                .with_content_type("image/x-custom"),
        )
}

fn expected_parts() -> Vec<Part> {
    let text = |name: &str, value: &str| Part {
        name: name.into(),
        filename: None,
        content_type: None,
        bytes: value.as_bytes().to_vec(),
    };
    vec![
        text("purpose", "fine-tune"),
        text("n", "2"),
        text("timestamp_granularities[]", "word"),
        text("timestamp_granularities[]", "segment"),
        Part {
            name: "file".into(),
            filename: Some("train %22set%22.jsonl".into()),
            content_type: Some("application/jsonl".into()),
            bytes: awkward_bytes(),
        },
        Part {
            name: "image".into(),
            filename: Some("mask.png".into()),
            content_type: Some("image/x-custom".into()),
            bytes: vec![0x89, b'P', b'N', b'G'],
        },
    ]
}

#[tokio::test]
async fn a_multipart_upload_sends_every_part() {
    let server = TestServer::start(vec![Reply::json(200, json!({"id": "file-1"}))]).await;
    let value: Value = client(&server)
        .call::<Json<Value>>(Request::post("/files").multipart(form()))
        .await
        .unwrap();
    assert_eq!(value["id"], "file-1");

    let sent = server.only_request();
    let content_type = sent.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert_eq!(
        sent.header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        sent.body.len()
    );
    assert_eq!(parse_multipart(content_type, &sent.body), expected_parts());
}

#[tokio::test]
async fn a_retried_multipart_request_resends_the_full_body() {
    let server = TestServer::start(vec![
        Reply::json(503, json!({"error": {"message": "busy"}})),
        Reply::Reset,
        Reply::json(200, json!({"id": "file-2"})),
    ])
    .await;
    client(&server)
        .call::<Json<Value>>(Request::post("/files").multipart(form()))
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let content_type = request.header("content-type").unwrap();
        assert_eq!(content_type, requests[0].header("content-type").unwrap());
        assert_eq!(
            request.body, requests[0].body,
            "every attempt sends the same bytes"
        );
        assert_eq!(
            parse_multipart(content_type, &request.body),
            expected_parts()
        );
    }
}

#[tokio::test]
async fn a_binary_download_keeps_bytes_and_content_type() {
    let audio = awkward_bytes();
    let server = TestServer::start(vec![
        Reply::raw(200, "audio/mpeg", audio.clone()),
        Reply::Chunked {
            status: 200,
            headers: vec![("Content-Type".into(), "application/zip".into())],
            pieces: audio
                .chunks(4096)
                .map(|c| (std::time::Duration::ZERO, c.to_vec()))
                .collect(),
            abort: false,
        },
    ])
    .await;
    let client = client(&server);

    let download = client
        .call::<Binary>(Request::post("/audio/speech").json(&json!({"input": "hi"})))
        .await
        .unwrap();
    assert_eq!(download.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(download.bytes.as_ref(), audio.as_slice());
    assert_eq!(server.requests()[0].header("accept"), Some("*/*"));

    let mut stream = client
        .call::<Binary>(Request::get("/files/f/content"))
        .streaming()
        .await
        .unwrap();
    assert_eq!(stream.content_type(), Some("application/zip"));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(received, audio);
    assert!(chunks >= 1);
}
