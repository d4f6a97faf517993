//! The one error type every call returns, and the kinds a caller can match on.
//!
//! [`Error`] is a box around [`ErrorKind`] so that `Result<T, Error>` stays one
//! pointer wide however much an API error carries.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

/// `Result` with this runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong in a call. Match on [`Error::kind`].
pub struct Error {
    kind: Box<ErrorKind>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with a status outside 2xx.
    Api(ApiError),
    /// The request could not be sent or its response not received.
    Connection(ConnectionError),
    /// The request or the stream took longer than its timeout.
    Timeout(TimeoutError),
    /// A 2xx response body did not decode into the expected type.
    Decode(DecodeError),
    /// A streamed response failed after it had started: cut mid-event, an
    /// in-stream error event, or a transport error while reading it.
    Stream(StreamError),
    /// The client or request is misconfigured (missing API key, bad base URL or header).
    Config(ConfigError),
    /// A request body or parameter could not be serialized.
    Encode(EncodeError),
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }

    /// The API error, if the server answered with a non-2xx status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &*self.kind {
            ErrorKind::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<StatusCode> {
        match &*self.kind {
            ErrorKind::Api(api) => Some(api.status),
            ErrorKind::Decode(decode) => Some(decode.status),
            _ => None,
        }
    }

    /// The server's request id (`x-request-id` or as configured), when a response was received.
    pub fn request_id(&self) -> Option<&str> {
        match &*self.kind {
            ErrorKind::Api(api) => api.request_id.as_deref(),
            ErrorKind::Decode(decode) => decode.request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(&*self.kind, ErrorKind::Timeout(_))
    }

    /// Whether this is a connection error.
    pub fn is_connection(&self) -> bool {
        matches!(&*self.kind, ErrorKind::Connection(_))
    }

    #[doc(hidden)]
    pub fn config(message: impl Into<String>) -> Self {
        ErrorKind::Config(ConfigError {
            message: message.into(),
        })
        .into()
    }

    #[doc(hidden)]
    pub fn encode(message: impl Into<String>) -> Self {
        ErrorKind::Encode(EncodeError {
            message: message.into(),
        })
        .into()
    }

    #[doc(hidden)]
    pub fn stream(message: impl Into<String>) -> Self {
        ErrorKind::Stream(StreamError {
            message: message.into(),
            error: None,
            data: None,
            source: None,
        })
        .into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error {
            kind: Box::new(kind),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.kind, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ErrorKind::Api(e) => e.fmt(f),
            ErrorKind::Connection(e) => e.fmt(f),
            ErrorKind::Timeout(e) => e.fmt(f),
            ErrorKind::Decode(e) => e.fmt(f),
            ErrorKind::Stream(e) => e.fmt(f),
            ErrorKind::Config(e) => e.fmt(f),
            ErrorKind::Encode(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let source = match &*self.kind {
            ErrorKind::Connection(e) => e.source.as_ref(),
            ErrorKind::Stream(e) => e.source.as_ref(),
            _ => None,
        };
        source.map(|s| &**s as &(dyn std::error::Error + 'static))
    }
}

/// The class of an API error, by status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400.
    BadRequest,
    /// 401.
    Authentication,
    /// 403.
    PermissionDenied,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 422.
    UnprocessableEntity,
    /// 429.
    RateLimit,
    /// 500 and above.
    InternalServer,
    /// Any other non-2xx status.
    Other,
}

impl ApiErrorKind {
    /// The kind for a status code.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Authentication,
            403 => ApiErrorKind::PermissionDenied,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            422 => ApiErrorKind::UnprocessableEntity,
            429 => ApiErrorKind::RateLimit,
            500.. => ApiErrorKind::InternalServer,
            _ => ApiErrorKind::Other,
        }
    }
}

/// The `{"error": {...}}` object an API sends with a failure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// A human-readable message.
    #[serde(default, deserialize_with = "string_or_scalar")]
    pub message: Option<String>,
    /// The error type, such as `invalid_request_error`.
    #[serde(default, rename = "type", deserialize_with = "string_or_scalar")]
    pub error_type: Option<String>,
    /// The parameter at fault.
    #[serde(default, deserialize_with = "string_or_scalar")]
    pub param: Option<String>,
    /// A machine-readable code (numbers are kept as their decimal text).
    #[serde(default, deserialize_with = "string_or_scalar")]
    pub code: Option<String>,
}

impl ErrorBody {
    /// Finds the error object in a response body: `{"error": {...}}`, `{"error": "text"}`,
    /// or a bare object with a `message`.
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        Self::from_value(&value)
    }

    /// As [`ErrorBody::parse`], from an already-parsed value.
    pub fn from_value(value: &serde_json::Value) -> Option<ErrorBody> {
        let object = value.as_object()?;
        match object.get("error") {
            Some(inner @ serde_json::Value::Object(_)) => ErrorBody::deserialize(inner).ok(),
            Some(serde_json::Value::String(message)) => Some(ErrorBody {
                message: Some(message.clone()),
                ..ErrorBody::default()
            }),
            _ if object.contains_key("message") => ErrorBody::deserialize(value).ok(),
            _ => None,
        }
    }
}

fn string_or_scalar<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// The server answered with a status outside 2xx.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The class of the status.
    pub kind: ApiErrorKind,
    /// The parsed error object, when the body had one.
    pub body: Option<ErrorBody>,
    /// The body as text (lossy UTF-8), whatever it was: JSON, HTML or empty.
    pub raw_body: String,
    /// The request id response header.
    pub request_id: Option<String>,
    /// All response headers.
    pub headers: HeaderMap,
}

impl ApiError {
    /// Decodes the body into an error schema the operation documents (its rustdoc lists
    /// them under "Errors" by status code).
    /// Decoding forgives what departs from the spec, as for every response (see
    /// [`drift`](crate::runtime::drift)).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> std::result::Result<T, DecodeError> {
        crate::runtime::drift::from_str(&self.raw_body)
    }

    /// The error message: the parsed one, else the start of the raw body, else the status text.
    pub fn message(&self) -> String {
        if let Some(message) = self.body.as_ref().and_then(|b| b.message.as_deref()) {
            return message.to_owned();
        }
        let raw = self
            .raw_body
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if raw.is_empty() {
            return self
                .status
                .canonical_reason()
                .unwrap_or("no response body")
                .to_owned();
        }
        let mut preview: String = raw.chars().take(200).collect();
        if preview.len() < raw.len() {
            preview.push('…');
        }
        preview
    }

    /// The `code` of the parsed error object.
    pub fn code(&self) -> Option<&str> {
        self.body.as_ref()?.code.as_deref()
    }

    /// The `type` of the parsed error object.
    pub fn error_type(&self) -> Option<&str> {
        self.body.as_ref()?.error_type.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}: {}", self.status, self.message())?;
        let mut details = Vec::new();
        if let Some(t) = self.error_type() {
            details.push(format!("type: {t}"));
        }
        if let Some(c) = self.code() {
            details.push(format!("code: {c}"));
        }
        if let Some(p) = self.body.as_ref().and_then(|b| b.param.as_deref()) {
            details.push(format!("param: {p}"));
        }
        if let Some(id) = &self.request_id {
            details.push(format!("request id: {id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        Ok(())
    }
}

/// The request could not be sent or its response not received.
#[derive(Debug)]
#[non_exhaustive]
pub struct ConnectionError {
    /// The method and path of the request (never the query, which may carry a key).
    pub request: String,
    /// The transport error; its URL has been removed.
    pub source: Option<BoxError>,
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connection error on {}", self.request)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
            let mut next = source.source();
            while let Some(cause) = next {
                write!(f, ": {cause}")?;
                next = cause.source();
            }
        }
        Ok(())
    }
}

/// The request, or a gap in a stream, took longer than the timeout.
#[derive(Debug)]
#[non_exhaustive]
pub struct TimeoutError {
    /// The method and path of the request.
    pub request: String,
    /// The timeout that ran out.
    pub after: Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out after {:?}", self.request, self.after)
    }
}

/// A 2xx body did not decode into the expected type.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// Where in the document decoding failed, such as `choices[0].message.role`
    /// (`.` for the root).
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The body that failed to decode.
    pub raw_body: Bytes,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The request id response header.
    pub request_id: Option<String>,
}

impl DecodeError {
    /// The body that failed to decode, as lossy UTF-8.
    pub fn raw_body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.raw_body)
    }

    /// Decodes `bytes` as one JSON document of type `T`, forgiving or strict (see
    /// [`drift`](crate::runtime::drift)); the error is `(path, message)`. Public for the
    /// decode benchmark, which times exactly this.
    #[doc(hidden)]
    pub fn decode_located<T: serde::de::DeserializeOwned>(
        bytes: &[u8],
        strict: bool,
    ) -> std::result::Result<T, (String, String)> {
        crate::runtime::drift::decode_slice(bytes, strict)
    }

    /// The error of a decode that was not a response (`status` is 200).
    pub(crate) fn standalone(path: String, message: String, bytes: &[u8]) -> DecodeError {
        DecodeError {
            path,
            message,
            raw_body: Bytes::copy_from_slice(bytes),
            status: StatusCode::OK,
            request_id: None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to decode the response body at `{}`: {}",
            self.path, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// A standalone decode's error as the crate's one error type (`ErrorKind::Decode`).
impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Error {
        ErrorKind::Decode(error).into()
    }
}

/// A streamed response failed after it had started.
#[derive(Debug)]
#[non_exhaustive]
pub struct StreamError {
    /// What happened.
    pub message: String,
    /// The error object of an in-stream error event, when it had one.
    pub error: Option<ErrorBody>,
    /// The data of the event that carried the error, when there was one.
    pub data: Option<String>,
    /// The transport error, when there was one.
    pub source: Option<BoxError>,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stream error: {}", self.message)?;
        if let Some(message) = self.error.as_ref().and_then(|e| e.message.as_deref()) {
            write!(f, ": {message}")?;
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

/// The client or request is misconfigured.
#[derive(Debug)]
#[non_exhaustive]
pub struct ConfigError {
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration error: {}", self.message)
    }
}

/// A request body or parameter could not be serialized.
#[derive(Debug)]
#[non_exhaustive]
pub struct EncodeError {
    /// What serde said.
    pub message: String,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not encode the request: {}", self.message)
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
    fn error_is_one_pointer() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn parses_error_bodies() {
        let body = br#"{"error":{"message":"Bad key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
        let parsed = ErrorBody::parse(body).unwrap();
        assert_eq!(parsed.message.as_deref(), Some("Bad key"));
        assert_eq!(parsed.error_type.as_deref(), Some("invalid_request_error"));
        assert_eq!(parsed.param, None);
        assert_eq!(parsed.code.as_deref(), Some("invalid_api_key"));
        assert_eq!(
            ErrorBody::parse(br#"{"error":{"message":"x","code":429}}"#)
                .unwrap()
                .code
                .as_deref(),
            Some("429")
        );
        assert_eq!(
            ErrorBody::parse(br#"{"error":"plain"}"#)
                .unwrap()
                .message
                .as_deref(),
            Some("plain")
        );
        assert_eq!(
            ErrorBody::parse(br#"{"message":"bare"}"#)
                .unwrap()
                .message
                .as_deref(),
            Some("bare")
        );
        assert_eq!(ErrorBody::parse(b"<html>"), None);
        assert_eq!(ErrorBody::parse(b""), None);
        assert_eq!(ErrorBody::parse(b"[1]"), None);
    }

    #[test]
    fn kinds_by_status() {
        let cases = [
            (400, ApiErrorKind::BadRequest),
            (401, ApiErrorKind::Authentication),
            (403, ApiErrorKind::PermissionDenied),
            (404, ApiErrorKind::NotFound),
            (409, ApiErrorKind::Conflict),
            (422, ApiErrorKind::UnprocessableEntity),
            (429, ApiErrorKind::RateLimit),
            (500, ApiErrorKind::InternalServer),
            (503, ApiErrorKind::InternalServer),
            (418, ApiErrorKind::Other),
        ];
        for (status, kind) in cases {
            assert_eq!(
                ApiErrorKind::from_status(StatusCode::from_u16(status).unwrap()),
                kind,
                "{status}"
            );
        }
    }
}
