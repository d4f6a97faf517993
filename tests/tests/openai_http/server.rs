//! A small HTTP/1.1 server on 127.0.0.1 for the client tests.
//!
//! Every request is read whole (request line, headers, and a body framed by
//! `Content-Length` or chunked transfer coding), recorded exactly as it arrived, and
//! answered by a handler the test supplies. A reply is either a complete body with a
//! `Content-Length`, or a chunked body whose chunks are written one by one after a
//! delay each (for server-sent events). Connections are kept alive, so a client that
//! pools connections can send several requests on one.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as it arrived on the wire.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request-target exactly as sent: raw path and query, not decoded.
    pub target: String,
    pub version: String,
    /// Header names lower-cased, values as sent, in order.
    pub headers: Vec<(String, String)>,
    /// The body with any transfer coding removed.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The raw path of the target (before any `?`).
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query pairs of the target, percent-decoded (`+` as a space), in order.
    pub fn query(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.target.split_once('?') else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (form_decode(name), form_decode(value))
            })
            .collect()
    }

    /// The one value of query parameter `name`, if sent (fails if sent twice).
    pub fn query_value(&self, name: &str) -> Option<String> {
        let mut values = self.query().into_iter().filter(|(n, _)| n == name);
        let first = values.next().map(|(_, v)| v);
        assert!(
            values.next().is_none(),
            "query parameter `{name}` sent twice in `{}`",
            self.target
        );
        first
    }

    /// The value of header `name` (any case), if sent (fails if sent twice).
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let first = values.next().map(|(_, v)| v.as_str());
        assert!(values.next().is_none(), "header `{name}` sent twice");
        first
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the request body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Decodes `application/x-www-form-urlencoded` text.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).expect("query text decodes to UTF-8")
}

/// How a reply's body is sent.
#[derive(Debug, Clone)]
pub enum ReplyBody {
    /// All at once, with `Content-Length`.
    Full(Vec<u8>),
    /// `Transfer-Encoding: chunked`, each chunk written (and flushed) after its delay.
    Chunked(Vec<(Duration, Vec<u8>)>),
}

/// A scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ReplyBody,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply::bytes(status, "application/json", value.to_string().into_bytes())
    }

    /// A complete body of the given content type.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: ReplyBody::Full(body.into()),
        }
    }

    /// A `text/event-stream` body sent as chunks, each after its delay.
    pub fn event_stream(chunks: Vec<(Duration, String)>) -> Reply {
        Reply {
            status: 200,
            headers: vec![
                (
                    "Content-Type".into(),
                    "text/event-stream; charset=utf-8".into(),
                ),
                ("Cache-Control".into(), "no-cache".into()),
            ],
            body: ReplyBody::Chunked(
                chunks
                    .into_iter()
                    .map(|(delay, text)| (delay, text.into_bytes()))
                    .collect(),
            ),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running server; stops accepting when dropped.
pub struct TestServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    accept: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on an ephemeral port of 127.0.0.1 that answers every request
    /// with `handler`'s reply.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds 127.0.0.1:0");
        let addr = listener.local_addr().expect("has a local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&handler), Arc::clone(&recorded)));
            }
        });
        TestServer {
            addr,
            requests,
            accept,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.requests).clone()
    }

    /// The only request received so far (fails unless there is exactly one).
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {:#?}",
            requests
        );
        requests.into_iter().next().expect("one request")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Serves one connection until the client closes it or a write fails.
async fn serve(mut stream: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<Recorded>>>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        lock(&requests).push(request.clone());
        let reply = handler(&request);
        if write_reply(&mut stream, reply).await.is_err() {
            return;
        }
    }
}

/// Reads more bytes into `buffer`; false at end of stream or on an error.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request from the connection; `None` when the client closes it first.
/// Bytes after the request stay in `buffer` for the next one.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = find(buffer, b"\r\n\r\n") {
            break i;
        }
        if !fill(stream, buffer).await {
            return None;
        }
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).expect("request head is UTF-8");
    buffer.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        panic!("malformed request line: {request_line:?}");
    };
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("malformed header line: {line:?}"));
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let body = if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            if let Some((body, used)) = decode_chunked(buffer) {
                buffer.drain(..used);
                break body;
            }
            if !fill(stream, buffer).await {
                return None;
            }
        }
    } else {
        let length: usize = header("content-length").map_or(0, |v| {
            v.parse()
                .unwrap_or_else(|_| panic!("bad Content-Length {v:?}"))
        });
        while buffer.len() < length {
            if !fill(stream, buffer).await {
                return None;
            }
        }
        buffer.drain(..length).collect()
    };
    Some(Recorded {
        method: method.to_owned(),
        target: target.to_owned(),
        version: version.to_owned(),
        headers,
        body,
    })
}

/// A complete chunked body at the start of `data` (trailers ignored), and the bytes it used.
fn decode_chunked(data: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let line_end = at + find(&data[at..], b"\r\n")?;
        let size_text = std::str::from_utf8(&data[at..line_end]).ok()?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).expect("chunk size is hex");
        at = line_end + 2;
        if size == 0 {
            // Trailers, then an empty line.
            loop {
                let end = at + find(&data[at..], b"\r\n")?;
                let empty = end == at;
                at = end + 2;
                if empty {
                    return Some((body, at));
                }
            }
        }
        if data.len() < at + size + 2 {
            return None;
        }
        body.extend_from_slice(&data[at..at + size]);
        at += size + 2;
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

async fn write_reply(stream: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match reply.body {
        ReplyBody::Full(body) => {
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await?;
            stream.flush().await
        }
        ReplyBody::Chunked(chunks) => {
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.flush().await?;
            for (delay, chunk) in chunks {
                tokio::time::sleep(delay).await;
                if chunk.is_empty() {
                    continue; // an empty chunk would end the body
                }
                let mut bytes = format!("{:x}\r\n", chunk.len()).into_bytes();
                bytes.extend_from_slice(&chunk);
                bytes.extend_from_slice(b"\r\n");
                stream.write_all(&bytes).await?;
                stream.flush().await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
            stream.flush().await
        }
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// Splits a `multipart/form-data` request body into its parts, taking the boundary from
/// the request's `Content-Type`; fails on anything that is not well-formed.
pub fn multipart_parts(request: &Recorded) -> Vec<Part> {
    let content_type = request
        .header("content-type")
        .expect("a multipart request has a Content-Type");
    let (essence, params) = content_type
        .split_once(';')
        .expect("the Content-Type has parameters");
    assert_eq!(essence.trim(), "multipart/form-data");
    let boundary = params
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .expect("the Content-Type names a boundary")
        .trim_matches('"');
    assert!(
        !boundary.is_empty() && boundary.len() <= 70,
        "RFC 2046 boundary length: {boundary:?}"
    );
    let body = &request.body;
    let delimiter = format!("--{boundary}").into_bytes();
    assert!(
        body.starts_with(&delimiter),
        "the body starts with the first delimiter"
    );
    let closing = format!("\r\n--{boundary}--\r\n").into_bytes();
    assert!(
        body.ends_with(&closing),
        "the body ends with the closing delimiter and CRLF"
    );
    let inner = &body[delimiter.len()..body.len() - closing.len()];
    let separator = format!("\r\n--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = inner;
    loop {
        let (section, next) = match find(rest, &separator) {
            Some(i) => (&rest[..i], Some(&rest[i + separator.len()..])),
            None => (rest, None),
        };
        let section = section
            .strip_prefix(b"\r\n")
            .expect("a CRLF follows each delimiter");
        parts.push(parse_part(section));
        match next {
            Some(next) => rest = next,
            None => break,
        }
    }
    parts
}

fn parse_part(section: &[u8]) -> Part {
    let head_end = find(section, b"\r\n\r\n").expect("a part has headers and a blank line");
    let head = std::str::from_utf8(&section[..head_end]).expect("part headers are UTF-8");
    let data = section[head_end + 4..].to_vec();
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (header, value) = line.split_once(':').expect("a part header line");
        match header.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                let mut params = value.split(';').map(str::trim);
                assert_eq!(params.next(), Some("form-data"));
                for param in params {
                    let (key, quoted) = param.split_once('=').expect("name=\"value\"");
                    let unquoted = quoted
                        .strip_prefix('"')
                        .and_then(|q| q.strip_suffix('"'))
                        .expect("a quoted parameter")
                        .to_owned();
                    match key {
                        "name" => name = Some(unquoted),
                        "filename" => filename = Some(unquoted),
                        other => panic!("unexpected Content-Disposition parameter {other}"),
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            other => panic!("unexpected part header {other}"),
        }
    }
    Part {
        name: name.expect("every part has a name"),
        filename,
        content_type,
        data,
    }
}

/// A builder of the generated OpenAI client for `base_url` that reads nothing from the
/// environment, never retries, and uses an HTTP client with proxies off (so no request can
/// leave the machine).
pub fn client_builder_at(base_url: &str) -> openai_client::ClientBuilder {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("the HTTP client builds");
    openai_client::Client::builder_with(&openai_client::CONFIG)
        .api_key("sk-test")
        .base_url(base_url)
        .max_retries(0)
        .timeout(std::time::Duration::from_secs(20))
        .env_source(|_| None)
        .http_client(http)
}
