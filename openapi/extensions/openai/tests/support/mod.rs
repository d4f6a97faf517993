//! What the extension's tests share: the recorded traffic, a stream over a recorded SSE
//! body, and a scripted HTTP/1.1 server on 127.0.0.1. Each test binary uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use openai_client::runtime::{ByteStream, SseStream};

/// `../shared/traffic/openai-recorded.jsonl` (see its README), one JSON value per exchange.
pub fn traffic_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/traffic/openai-recorded.jsonl")
}

/// The recorded exchanges of `template` (`/chat/completions`) that streamed, with their source.
pub fn recorded_streams(template: &str) -> Vec<(String, String)> {
    let path = traffic_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON line"))
        .filter(|r| r["template"] == template)
        .filter_map(|r| {
            let body = r["response_sse"].as_str()?.to_owned();
            Some((r["source"].as_str()?.to_owned(), body))
        })
        .collect()
}

/// A byte stream that yields `chunks` and ends.
struct Chunks(std::collections::VecDeque<bytes::Bytes>);

impl futures_core::Stream for Chunks {
    type Item = openai_client::runtime::Result<bytes::Bytes>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.pop_front().map(Ok))
    }
}

/// The typed stream a client would read from `body`, delivered in pieces of 100 bytes (so
/// events are split across chunks as on the wire).
pub fn sse_stream<T: serde::de::DeserializeOwned + openai_client::Conformance>(
    body: &str,
) -> SseStream<T> {
    let chunks = body
        .as_bytes()
        .chunks(100)
        .map(bytes::Bytes::copy_from_slice)
        .collect();
    SseStream::new(ByteStream::new(Chunks(chunks)))
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON request body")
    }
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Close the connection after the headers and this many body bytes (a cut stream).
    pub cut_after: Option<usize>,
    /// Answer nothing: hold the connection until the client gives up (a timeout).
    pub stall: bool,
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::raw(status, "application/json", body.to_string().into_bytes())
    }

    pub fn sse(body: &str) -> Reply {
        Reply::raw(200, "text/event-stream", body.as_bytes().to_vec())
    }

    pub fn raw(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
            cut_after: None,
            stall: false,
        }
    }

    /// No answer at all, until the client closes the connection.
    pub fn stall() -> Reply {
        Reply {
            stall: true,
            ..Reply::raw(200, "text/plain", Vec::new())
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// An HTTP/1.1 server on 127.0.0.1 that answers each request with the next scripted reply
/// (`500` once the script is used up) and records what it read. One connection at a time,
/// each closed after its reply.
pub struct FakeServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeServer {
    pub fn start(replies: Vec<Reply>) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut replies = replies.into_iter();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let reply = replies.next().unwrap_or_else(|| {
                    Reply::json(
                        500,
                        &serde_json::json!({"error": {"message": "unscripted"}}),
                    )
                });
                serve(stream, &reply, &recorded);
            }
        });
        FakeServer { port, requests }
    }

    /// The base URL of an OpenAI-style API on this server (`http://127.0.0.1:<port>/v1`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

/// Reads one request, records it (before answering, so a client that has its answer finds
/// it recorded), and writes `reply`.
fn serve(stream: TcpStream, reply: &Reply, recorded: &Mutex<Vec<Recorded>>) -> Option<()> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    recorded.lock().ok()?.push(Recorded {
        method,
        target,
        headers,
        body,
    });
    if reply.stall {
        // Reads until the client closes its end (it timed out).
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
        return Some(());
    }
    let mut stream = stream;
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nconnection: close\r\n",
        reply.status
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let sent = reply
        .cut_after
        .map_or(&reply.body[..], |n| &reply.body[..n]);
    if reply.cut_after.is_none() {
        head.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(sent);
    let _ = stream.flush();
    Some(())
}
