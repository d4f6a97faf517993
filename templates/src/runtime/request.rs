//! The description of one request that a generated method builds, the per-request
//! options a caller may add, and multipart form encoding.
//!
//! A [`Request`] holds everything needed to send it again: the body is encoded once
//! into an immutable [`Bytes`], so every retry attempt (and every page of a list)
//! sends the full body without re-serializing or re-reading files.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::runtime::encoding::{self, QueryStyle};
use crate::runtime::model::InputFile;

/// One request, built by a generated method: method, path (parameters already
/// encoded with [`encode_path_segment`](crate::runtime::encoding::encode_path_segment)),
/// query pairs, header parameters, body and options.
///
/// Serialization failures in the builder methods are kept and reported when the
/// request is sent, so a generated method can stay one expression.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) options: RequestOptions,
    pub(crate) invalid: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// Serialized JSON, sent as `application/json`.
    Json(Bytes),
    /// Encoded `multipart/form-data`.
    Multipart(Multipart),
    /// Raw bytes with their content type.
    Bytes {
        /// The bytes.
        bytes: Bytes,
        /// Their `Content-Type`.
        content_type: String,
    },
}

impl Body {
    /// The bytes and content type to send, if any.
    pub fn encoded(&self) -> Option<(Bytes, String)> {
        match self {
            Body::None => None,
            Body::Json(bytes) => Some((bytes.clone(), "application/json".to_owned())),
            Body::Multipart(form) => Some((form.body(), form.content_type())),
            Body::Bytes {
                bytes,
                content_type,
            } => Some((bytes.clone(), content_type.clone())),
        }
    }
}

impl Body {
    /// The body to send with `fields` added: set on a JSON object (replacing same-named
    /// fields), appended as form fields to a form or multipart body. Any other body (or
    /// none) cannot carry them, which is an error.
    pub fn with_fields(
        &self,
        fields: &[(String, Value)],
    ) -> std::result::Result<(Bytes, String), String> {
        let cannot = |what: &str| {
            let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
            Err(format!(
                "cannot add the body fields {names:?} to {what}; they need a JSON, form or multipart body"
            ))
        };
        match self {
            Body::None => cannot("a request without a body"),
            Body::Json(bytes) => Ok((
                add_json_fields(bytes, fields)?,
                "application/json".to_owned(),
            )),
            Body::Bytes {
                bytes,
                content_type,
            } => {
                let media = content_type.split(';').next().unwrap_or("").trim();
                if media == "application/x-www-form-urlencoded" {
                    let extra = Value::Object(fields.iter().cloned().collect());
                    let extra = encoding::form_body(&extra).map_err(|e| e.to_string())?;
                    let mut text = String::from_utf8_lossy(bytes).into_owned();
                    if !text.is_empty() && !extra.is_empty() {
                        text.push('&');
                    }
                    text.push_str(&extra);
                    Ok((Bytes::from(text), content_type.clone()))
                } else if media.ends_with("json") {
                    Ok((add_json_fields(bytes, fields)?, content_type.clone()))
                } else {
                    cannot(&format!("a `{media}` body"))
                }
            }
            Body::Multipart(form) => {
                let mut form = form.clone();
                for (name, value) in fields {
                    form = form.field(name, value);
                }
                match &form.invalid {
                    Some(e) => Err(e.clone()),
                    None => Ok((form.body(), form.content_type())),
                }
            }
        }
    }
}

/// A JSON object body with `fields` set.
fn add_json_fields(bytes: &[u8], fields: &[(String, Value)]) -> std::result::Result<Bytes, String> {
    let mut body: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let Value::Object(map) = &mut body else {
        return Err("cannot add body fields to a JSON body that is not an object".to_owned());
    };
    for (name, value) in fields {
        map.insert(name.clone(), value.clone());
    }
    serde_json::to_vec(&body)
        .map(Bytes::from)
        .map_err(|e| e.to_string())
}

impl Request {
    /// A request with no query, headers or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            options: RequestOptions::default(),
            invalid: None,
        }
    }

    /// A `GET` request.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `POST` request.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A `PUT` request.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A `PATCH` request.
    pub fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    /// A `DELETE` request.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Adds a query parameter in `form` style with explode (the OpenAPI default);
    /// `None` adds nothing.
    pub fn query_param(self, name: &str, value: &impl Serialize) -> Self {
        self.query_param_with(name, value, QueryStyle::Form)
    }

    /// Adds a query parameter in the given style; `None` adds nothing.
    pub fn query_param_with(
        mut self,
        name: &str,
        value: &impl Serialize,
        style: QueryStyle,
    ) -> Self {
        match encoding::to_value(value) {
            Ok(value) => encoding::append_query(&mut self.query, name, &value, style),
            Err(e) => self.invalid = Some(format!("query parameter `{name}`: {e}")),
        }
        self
    }

    /// Adds a header parameter in `simple` style; `None` adds nothing.
    pub fn header_param(mut self, name: &str, value: &impl Serialize) -> Self {
        match encoding::to_value(value) {
            Ok(value) => {
                if let Some(text) = encoding::header_text(&value) {
                    self.headers.push((name.to_owned(), text));
                }
            }
            Err(e) => self.invalid = Some(format!("header `{name}`: {e}")),
        }
        self
    }

    /// Adds a cookie parameter to the `Cookie` header; `None` adds nothing.
    pub fn cookie_param(mut self, name: &str, value: &impl Serialize) -> Self {
        match encoding::to_value(value) {
            Ok(value) => {
                if let Some(pair) = encoding::cookie_text(name, &value) {
                    match self
                        .headers
                        .iter_mut()
                        .find(|(n, _)| n.eq_ignore_ascii_case("cookie"))
                    {
                        Some((_, cookies)) => {
                            cookies.push_str("; ");
                            cookies.push_str(&pair);
                        }
                        None => self.headers.push(("Cookie".to_owned(), pair)),
                    }
                }
            }
            Err(e) => self.invalid = Some(format!("cookie `{name}`: {e}")),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object.
    pub fn form(mut self, body: &impl Serialize) -> Self {
        match encoding::to_value(body).and_then(|value| encoding::form_body(&value)) {
            Ok(text) => {
                self.body = Body::Bytes {
                    bytes: Bytes::from(text),
                    content_type: "application/x-www-form-urlencoded".to_owned(),
                }
            }
            Err(e) => self.invalid = Some(format!("request body: {e}")),
        }
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Json(Bytes::from(bytes)),
            Err(e) => self.invalid = Some(format!("request body: {e}")),
        }
        self
    }

    /// Sets a JSON body sent under another JSON media type (`application/merge-patch+json`).
    pub fn json_as(mut self, body: &impl Serialize, content_type: &str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Body::Bytes {
                    bytes: Bytes::from(bytes),
                    content_type: content_type.to_owned(),
                }
            }
            Err(e) => self.invalid = Some(format!("request body: {e}")),
        }
        self
    }

    /// Sets a JSON body with one top-level field set (or replaced), such as
    /// `"stream": true` for the streaming variant of an operation.
    pub fn json_with_field(
        mut self,
        body: &impl Serialize,
        field: &str,
        value: impl Serialize,
    ) -> Self {
        let encoded = serde_json::to_value(body).and_then(|mut body| {
            let value = serde_json::to_value(value)?;
            match &mut body {
                Value::Object(map) => {
                    map.insert(field.to_owned(), value);
                }
                _ => {
                    return Err(serde::ser::Error::custom(format!(
                        "cannot set `{field}` on a body that is not an object"
                    )));
                }
            }
            serde_json::to_vec(&body)
        });
        match encoded {
            Ok(bytes) => self.body = Body::Json(Bytes::from(bytes)),
            Err(e) => self.invalid = Some(format!("request body: {e}")),
        }
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        if let Some(e) = &form.invalid {
            self.invalid = Some(e.clone());
        }
        self.body = Body::Multipart(form);
        self
    }

    /// Sets a raw body.
    pub fn bytes(mut self, bytes: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        self.body = Body::Bytes {
            bytes: bytes.into(),
            content_type: content_type.into(),
        };
        self
    }

    /// Merges per-request options (later values win).
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options.merge(options);
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs added so far (not including `options`).
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The options.
    pub fn request_options(&self) -> &RequestOptions {
        &self.options
    }

    /// Replaces every query pair named `name` with one pair (pagination's `after`).
    pub fn set_query(&mut self, name: &str, value: impl Into<String>) {
        self.query.retain(|(k, _)| k != name);
        self.query.push((name.to_owned(), value.into()));
    }

    /// The value of the first query pair named `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Method and path (without query) for messages: the query may carry a key.
    pub(crate) fn describe(&self) -> String {
        let path = self.path.split(['?', '#']).next().unwrap_or("");
        format!("{} {}", self.method, path)
    }
}

/// Per-request options: extra headers and query pairs, and overrides of the client's
/// timeout and retry count. Given to [`Call::with_options`](crate::runtime::client::Call::with_options),
/// [`Request::with_options`] or [`Client::with_options`](crate::runtime::client::Client::with_options).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Headers added to (and replacing same-named) client and operation headers.
    pub extra_headers: Vec<(String, String)>,
    /// Query pairs added after the operation's own.
    pub extra_query: Vec<(String, String)>,
    /// The timeout for each attempt (and each gap in a stream).
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// The idempotency key to send instead of a generated one (when the config names an idempotency header).
    pub idempotency_key: Option<String>,
    /// Fields added to (and replacing same-named fields of) a JSON body, or sent as form
    /// fields of a multipart or form body: what the spec does not declare, such as `top_k`
    /// for a compatible server.
    pub extra_body: Vec<(String, Value)>,
    /// Whether a response that departs from the spec is an error (`Some(true)`) rather than
    /// decoded forgivingly (see [`drift`](crate::runtime::drift)); `None` keeps the client's
    /// choice.
    pub strict: Option<bool>,
}

impl RequestOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query pair.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((name.into(), value.into()));
        self
    }

    /// Sets the timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry count.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Sets the idempotency key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Adds a field to the request body (see [`RequestOptions::extra_body`]).
    pub fn body_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra_body.push((name.into(), value.into()));
        self
    }

    /// Sets whether a response that departs from the spec is an error.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// Merges `other` into `self`: its headers, query pairs and body fields are appended,
    /// its timeout, retry count, key and strictness replace these when set.
    pub fn merge(&mut self, other: RequestOptions) {
        self.extra_headers.extend(other.extra_headers);
        self.extra_query.extend(other.extra_query);
        self.extra_body.extend(other.extra_body);
        self.strict = other.strict.or(self.strict);
        self.timeout = other.timeout.or(self.timeout);
        self.max_retries = other.max_retries.or(self.max_retries);
        self.idempotency_key = other.idempotency_key.or(self.idempotency_key.take());
    }
}

/// A `multipart/form-data` body, encoded as parts are added.
///
/// Files are copied once into the encoded body; the body is then shared by every
/// attempt, so a retry resends it in full.
#[derive(Clone)]
pub struct Multipart {
    boundary: String,
    encoded: Vec<u8>,
    parts: usize,
    invalid: Option<String>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Multipart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Multipart")
            .field("parts", &self.parts)
            .field("len", &self.encoded.len())
            .finish()
    }
}

impl Multipart {
    /// An empty form with a random 128-bit boundary.
    pub fn new() -> Self {
        Multipart {
            boundary: format!("----client-runtime-{}", crate::runtime::retry::random_hex()),
            encoded: Vec::new(),
            parts: 0,
            invalid: None,
        }
    }

    /// Adds a text part.
    pub fn text(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.part_header(name, None, None);
        self.encoded.extend_from_slice(value.as_ref().as_bytes());
        self.encoded.extend_from_slice(b"\r\n");
        self
    }

    /// Adds a typed field: strings, numbers and bools as text, each array item as
    /// its own part under `name`, objects as JSON text; `None` adds nothing.
    pub fn field(mut self, name: &str, value: &impl Serialize) -> Self {
        match encoding::to_value(value) {
            Ok(Value::Null) => self,
            Ok(Value::Array(items)) => {
                for item in items.iter().filter(|v| !v.is_null()) {
                    self = self.text(name, encoding::scalar_text(item));
                }
                self
            }
            Ok(value) => self.text(name, encoding::scalar_text(&value)),
            Err(e) => {
                self.invalid = Some(format!("form field `{name}`: {e}"));
                self
            }
        }
    }

    /// Adds a file part: its file name (or `name` when it has none) and content type
    /// (or one guessed from the file name's extension).
    pub fn file(mut self, name: &str, file: &InputFile) -> Self {
        let filename = file.filename.as_deref().unwrap_or(name);
        let content_type = file
            .content_type
            .clone()
            .unwrap_or_else(|| guess_content_type(filename).to_owned());
        self.part_header(name, Some(filename), Some(&content_type));
        self.encoded.extend_from_slice(&file.bytes);
        self.encoded.extend_from_slice(b"\r\n");
        self
    }

    /// Adds an optional file part; `None` adds nothing.
    pub fn file_opt(self, name: &str, file: Option<&InputFile>) -> Self {
        match file {
            Some(file) => self.file(name, file),
            None => self,
        }
    }

    /// The `Content-Type` header value, with the boundary.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The encoded body, closing delimiter included.
    pub fn body(&self) -> Bytes {
        let mut body = Vec::with_capacity(self.encoded.len() + self.boundary.len() + 8);
        body.extend_from_slice(&self.encoded);
        body.extend_from_slice(b"--");
        body.extend_from_slice(self.boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        Bytes::from(body)
    }

    fn part_header(&mut self, name: &str, filename: Option<&str>, content_type: Option<&str>) {
        self.parts += 1;
        let mut header = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            escape_quoted(name)
        );
        if let Some(filename) = filename {
            header.push_str(&format!("; filename=\"{}\"", escape_quoted(filename)));
        }
        header.push_str("\r\n");
        if let Some(content_type) = content_type {
            header.push_str(&format!(
                "Content-Type: {}\r\n",
                content_type.replace(['\r', '\n'], "")
            ));
        }
        header.push_str("\r\n");
        self.encoded.extend_from_slice(header.as_bytes());
    }
}

/// Escapes a name for a quoted `Content-Disposition` parameter the way browsers do.
fn escape_quoted(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A content type from a file name's extension, for the media an API commonly takes.
pub fn guess_content_type(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp3" | "mpga" | "mpeg" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "mp4" => "video/mp4",
        "wav" => "audio/wav",
        "webm" => "audio/webm",
        "ogg" => "audio/ogg",
        "flac" => "audio/flac",
        "json" => "application/json",
        "jsonl" => "application/jsonl",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )]
    use super::*;

    #[test]
    fn multipart_encoding() {
        let form = Multipart::new()
            .text("purpose", "fine-tune")
            .field("n", &Some(2))
            .field("skip", &None::<u32>)
            .field("tags[]", &["a", "b"])
            .file(
                "file",
                &InputFile::from_bytes("data \"x\".jsonl", b"{}\n".to_vec()),
            );
        let boundary = form.boundary.clone();
        let body = String::from_utf8(form.body().to_vec()).unwrap();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n2\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\na\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\nb\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data %22x%22.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n{{}}\n\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(body, expected);
        assert_eq!(
            form.content_type(),
            format!("multipart/form-data; boundary={boundary}")
        );
    }

    #[test]
    fn builder_keeps_errors_for_send() {
        let mut bad = std::collections::HashMap::new();
        bad.insert((1, 2), 3);
        let req = Request::post("/x").json(&bad);
        assert!(req.invalid.as_deref().unwrap().contains("request body"));
        let req = Request::post("/x").json_with_field(&serde_json::json!({"a": 1}), "stream", true);
        let Body::Json(bytes) = &req.body else {
            unreachable!()
        };
        assert_eq!(
            serde_json::from_slice::<Value>(bytes).unwrap(),
            serde_json::json!({"a": 1, "stream": true})
        );
        assert!(
            Request::post("/x")
                .json_with_field(&[1], "stream", true)
                .invalid
                .is_some()
        );
    }

    #[test]
    fn options_merge() {
        let mut a = RequestOptions::new()
            .header("a", "1")
            .timeout(Duration::from_secs(1));
        a.merge(RequestOptions::new().header("b", "2").max_retries(0));
        assert_eq!(a.extra_headers.len(), 2);
        assert_eq!(a.timeout, Some(Duration::from_secs(1)));
        assert_eq!(a.max_retries, Some(0));
    }

    #[test]
    fn describe_hides_query() {
        let req = Request::get("/responses?beta=true&key=secret");
        assert_eq!(req.describe(), "GET /responses");
    }
}
