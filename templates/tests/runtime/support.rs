//! A fault-injecting HTTP/1.1 server on 127.0.0.1 that records every request and
//! plays a script of replies, one per connection (`Connection: close`), and a test
//! client configured like a generated one.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client_runtime::runtime::{Client, ClientBuilder, ClientConfig, EnvHeader, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A client configuration shaped like the OpenAI one, with names no real process uses.
pub static CONFIG: ClientConfig =
    ClientConfig::new("test-client", "9.9.9", "http://127.0.0.1:9/v1")
        .api_key_env("CLIENT_RUNTIME_TEST_API_KEY")
        .base_url_env("CLIENT_RUNTIME_TEST_BASE_URL")
        .env_headers(&[
            EnvHeader::new("CLIENT_RUNTIME_TEST_ORG_ID", "OpenAI-Organization"),
            EnvHeader::new("CLIENT_RUNTIME_TEST_PROJECT_ID", "OpenAI-Project"),
        ])
        .idempotency_header("Idempotency-Key");

/// The API key every test client uses; no error or debug output may contain it.
pub const KEY: &str = "sk-test-SECRET-4f9a2c7e1b";

/// Retries after 1 ms, 2 ms, 4 ms …, so retry tests take milliseconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(20))
}

/// A builder pointed at `server`, with the test key, fast retries, a 5 s timeout,
/// no proxy, and an empty environment.
pub fn builder(server: &TestServer) -> ClientBuilder {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    Client::builder_with(&CONFIG)
        .env_source(|_| None)
        .api_key(KEY)
        .base_url(server.url("/v1"))
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(5))
        .http_client(http)
}

pub fn client(server: &TestServer) -> Client {
    builder(server).build().unwrap()
}

/// How a scripted reply is written.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response with `Content-Length`.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// A `Transfer-Encoding: chunked` body written piece by piece after each delay;
    /// `abort` closes the connection without the terminating chunk.
    Chunked {
        status: u16,
        headers: Vec<(String, String)>,
        pieces: Vec<(Duration, Vec<u8>)>,
        abort: bool,
    },
    /// A body delimited by closing the connection (no length, no chunking).
    CloseDelimited {
        status: u16,
        headers: Vec<(String, String)>,
        pieces: Vec<(Duration, Vec<u8>)>,
    },
    /// Reads the request, then resets the connection without answering.
    Reset,
    /// Sends the headers (promising `promised` bytes) and `sent`, then stalls for `stall`.
    Stall {
        status: u16,
        headers: Vec<(String, String)>,
        promised: usize,
        sent: Vec<u8>,
        stall: Duration,
    },
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A chunked `text/event-stream` body, each piece after its delay.
    pub fn sse(pieces: Vec<(u64, &str)>, abort: bool) -> Reply {
        Reply::Chunked {
            status: 200,
            headers: vec![("Content-Type".into(), "text/event-stream".into())],
            pieces: pieces
                .into_iter()
                .map(|(ms, text)| (Duration::from_millis(ms), text.as_bytes().to_vec()))
                .collect(),
            abort,
        }
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        match &mut self {
            Reply::Full { headers, .. }
            | Reply::Chunked { headers, .. }
            | Reply::CloseDelimited { headers, .. }
            | Reply::Stall { headers, .. } => headers.push((name.into(), value.into())),
            Reply::Reset => {}
        }
        self
    }
}

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Recorded {
    /// A header's value (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The decoded query pairs, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.target.split_once('?') else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[derive(Default)]
struct State {
    script: VecDeque<Reply>,
    requests: Vec<Recorded>,
}

/// The server; it stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Starts a server that plays `script` in order; once it runs out every request
    /// gets a 418 with `x-should-retry: false`.
    pub async fn start(script: Vec<Reply>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            requests: Vec::new(),
        }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, state).await;
                });
            }
        });
        TestServer { addr, state, task }
    }

    /// `http://127.0.0.1:port` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The only request received; fails if there were more or none.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }
}

async fn serve(mut socket: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let Some(request) = read_request(&mut socket).await? else {
        return Ok(());
    };
    let reply = {
        let mut state = state.lock().unwrap();
        state.requests.push(request);
        state.script.pop_front()
    };
    let reply = reply.unwrap_or_else(|| {
        Reply::raw(418, "text/plain", "unscripted request").header("x-should-retry", "false")
    });
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut out = head(
                status,
                &headers,
                &format!("Content-Length: {}\r\n", body.len()),
            );
            out.extend_from_slice(&body);
            socket.write_all(&out).await?;
        }
        Reply::Chunked {
            status,
            headers,
            pieces,
            abort,
        } => {
            socket
                .write_all(&head(status, &headers, "Transfer-Encoding: chunked\r\n"))
                .await?;
            for (delay, piece) in pieces {
                tokio::time::sleep(delay).await;
                let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
                chunk.extend_from_slice(&piece);
                chunk.extend_from_slice(b"\r\n");
                socket.write_all(&chunk).await?;
                socket.flush().await?;
            }
            if abort {
                // Close (FIN) without the terminating chunk: the body is cut short.
                return socket.shutdown().await;
            }
            socket.write_all(b"0\r\n\r\n").await?;
        }
        Reply::CloseDelimited {
            status,
            headers,
            pieces,
        } => {
            socket.write_all(&head(status, &headers, "")).await?;
            for (delay, piece) in pieces {
                tokio::time::sleep(delay).await;
                socket.write_all(&piece).await?;
                socket.flush().await?;
            }
        }
        Reply::Reset => {
            socket.set_zero_linger()?;
            return Ok(());
        }
        Reply::Stall {
            status,
            headers,
            promised,
            sent,
            stall,
        } => {
            let mut out = head(status, &headers, &format!("Content-Length: {promised}\r\n"));
            out.extend_from_slice(&sent);
            socket.write_all(&out).await?;
            socket.flush().await?;
            tokio::time::sleep(stall).await;
        }
    }
    socket.shutdown().await
}

fn head(status: u16, headers: &[(String, String)], framing: &str) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} Status\r\nConnection: close\r\n{framing}");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

async fn read_request(socket: &mut TcpStream) -> std::io::Result<Option<Recorded>> {
    let mut buffer = Vec::new();
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or("").split(' ');
    let method = request_line.next().unwrap_or("").to_owned();
    let target = request_line.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = buffer[header_end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while body.len() < length {
        let mut chunk = [0u8; 65536];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Recorded {
        method,
        target,
        headers,
        body,
        at: Instant::now(),
    }))
}

/// One part of a multipart body, as the server parsed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// Parses a `multipart/form-data` body with the boundary from its content type.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("no boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    // Skip to the first delimiter.
    let first = find(rest, delimiter.as_bytes()).expect("no delimiter");
    rest = &rest[first + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            assert_eq!(
                &rest[2..],
                b"\r\n",
                "trailing bytes after the closing delimiter"
            );
            return parts;
        }
        rest = rest.strip_prefix(b"\r\n").expect("CRLF after delimiter");
        let head_end = find(rest, b"\r\n\r\n").expect("part headers end");
        let head = std::str::from_utf8(&rest[..head_end]).unwrap();
        rest = &rest[head_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).expect("part end");
        let bytes = rest[..end].to_vec();
        rest = &rest[end + 2 + delimiter.len()..];
        let mut part = Part {
            name: String::new(),
            filename: None,
            content_type: None,
            bytes,
        };
        for line in head.split("\r\n") {
            let (k, v) = line.split_once(':').unwrap();
            match k.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in v.split(';').map(str::trim) {
                        if let Some(name) = param.strip_prefix("name=") {
                            part.name = name.trim_matches('"').to_owned();
                        } else if let Some(filename) = param.strip_prefix("filename=") {
                            part.filename = Some(filename.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => part.content_type = Some(v.trim().to_owned()),
                other => panic!("unexpected part header {other}"),
            }
        }
        parts.push(part);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
