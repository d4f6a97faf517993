//! What a call returns: the [`Format`] a generated method picks (JSON, binary, text,
//! nothing, SSE, page), the [`ApiResponse`] wrapper with status, headers and request
//! id, and the [`ByteStream`] of a streamed body.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use crate::runtime::client::Client;
use crate::runtime::drift::Conformance;
use crate::runtime::error::{DecodeError, Error, ErrorKind, Result, StreamError, TimeoutError};
use crate::runtime::request::Request;

/// The status and headers of a 2xx response.
#[derive(Debug, Clone)]
pub struct ResponseParts {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
}

impl ResponseParts {
    /// A header's value, when it is present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The body of a 2xx response: read in full, or left streaming.
#[doc(hidden)]
pub enum ReceivedBody {
    Full(Bytes),
    Streaming(ByteStream),
}

impl ReceivedBody {
    /// The full body; a streaming body here is a bug in a [`Format`] impl, reported as an error.
    pub fn into_full(self) -> Result<Bytes> {
        match self {
            ReceivedBody::Full(bytes) => Ok(bytes),
            ReceivedBody::Streaming(_) => Err(Error::stream(
                "internal: a buffered format was handed a streaming body",
            )),
        }
    }

    /// The streaming body; a full body is turned into a one-chunk stream.
    pub fn into_stream(self) -> ByteStream {
        match self {
            ReceivedBody::Streaming(stream) => stream,
            ReceivedBody::Full(bytes) => ByteStream::new(Once(Some(bytes))),
        }
    }
}

/// How a successful response is read and what the call returns. Generated methods
/// return `Call<F>` for one of the formats in this runtime: [`Json`], [`Binary`],
/// [`BinaryStream`], [`Text`], [`Empty`], [`Sse`](crate::runtime::sse::Sse) and
/// [`Page`](crate::runtime::pagination::Page).
pub trait Format: Send + 'static {
    /// What awaiting the call yields on success.
    type Output: Send + 'static;
    /// Whether the body is handed over unread (never retried once it has started).
    #[doc(hidden)]
    const STREAMING: bool = false;
    /// The `Accept` header sent.
    #[doc(hidden)]
    const ACCEPT: &'static str = "application/json";
    /// Turns the response into the output.
    #[doc(hidden)]
    fn finish(
        parts: &ResponseParts,
        body: ReceivedBody,
        client: &Client,
        request: Request,
    ) -> Result<Self::Output>;
}

/// A JSON body decoded into `T`.
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Conformance + Send + 'static> Format for Json<T> {
    type Output = T;

    fn finish(
        parts: &ResponseParts,
        body: ReceivedBody,
        client: &Client,
        request: Request,
    ) -> Result<T> {
        decode_json(body.into_full()?, parts, client, &request)
    }
}

/// Decodes a JSON body, forgiving or strict as the client and request say (see
/// [`drift`](crate::runtime::drift)); what departs from the spec is logged at debug level.
/// An error reports the failing field path and keeps the body.
#[doc(hidden)]
pub fn decode_json<T: DeserializeOwned + Conformance>(
    bytes: Bytes,
    parts: &ResponseParts,
    client: &Client,
    request: &Request,
) -> Result<T> {
    let request_id = || {
        parts
            .header(client.config().request_id_header)
            .map(str::to_owned)
    };
    let decoded = DecodeError::decode_located(&bytes, client.is_strict(request));
    if let Ok(value) = &decoded {
        crate::runtime::drift::log_drift(value, &request.describe());
    }
    decoded.map_err(|(path, message)| {
        ErrorKind::Decode(DecodeError {
            path,
            message,
            raw_body: bytes.clone(),
            status: parts.status,
            request_id: request_id(),
        })
        .into()
    })
}

/// A binary body read in full.
pub struct Binary;

/// The bytes of a binary response and their content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryResponse {
    /// The body.
    pub bytes: Bytes,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
}

impl Format for Binary {
    type Output = BinaryResponse;
    const ACCEPT: &'static str = "*/*";

    fn finish(
        parts: &ResponseParts,
        body: ReceivedBody,
        _: &Client,
        _: Request,
    ) -> Result<BinaryResponse> {
        Ok(BinaryResponse {
            bytes: body.into_full()?,
            content_type: parts.header(CONTENT_TYPE.as_str()).map(str::to_owned),
        })
    }
}

/// A binary body left streaming.
pub struct BinaryStream;

impl Format for BinaryStream {
    type Output = ByteStream;
    const STREAMING: bool = true;
    const ACCEPT: &'static str = "*/*";

    fn finish(
        parts: &ResponseParts,
        body: ReceivedBody,
        _: &Client,
        _: Request,
    ) -> Result<ByteStream> {
        let mut stream = body.into_stream();
        stream.content_type = parts.header(CONTENT_TYPE.as_str()).map(str::to_owned);
        Ok(stream)
    }
}

/// A text body (lossy UTF-8).
pub struct Text;

impl Format for Text {
    type Output = String;
    const ACCEPT: &'static str = "text/plain, */*";

    fn finish(_: &ResponseParts, body: ReceivedBody, _: &Client, _: Request) -> Result<String> {
        Ok(String::from_utf8_lossy(&body.into_full()?).into_owned())
    }
}

/// A body that is ignored.
pub struct Empty;

impl Format for Empty {
    type Output = ();

    fn finish(_: &ResponseParts, _: ReceivedBody, _: &Client, _: Request) -> Result<()> {
        Ok(())
    }
}

/// A successful response's status, headers and request id alongside its decoded
/// data, from [`Call::with_raw_response`](crate::runtime::client::Call::with_raw_response).
/// The headers are moved out of the HTTP response, and the body is never copied.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    data: T,
}

impl<T> ApiResponse<T> {
    #[doc(hidden)]
    pub fn new(parts: ResponseParts, request_id_header: &str, data: T) -> Self {
        let request_id = parts.header(request_id_header).map(str::to_owned);
        ApiResponse {
            status: parts.status,
            headers: parts.headers,
            request_id,
            data,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id header's value.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The decoded data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The decoded data, by value.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Status and headers, and the data.
    pub fn into_parts(self) -> (ResponseParts, T) {
        (
            ResponseParts {
                status: self.status,
                headers: self.headers,
            },
            self.data,
        )
    }
}

/// A streamed response body: `impl Stream<Item = Result<Bytes, Error>>`.
///
/// A gap longer than the request's timeout between chunks yields a timeout error;
/// a transport failure yields a stream error; either ends the stream.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>,
    content_type: Option<String>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    /// Wraps any stream of byte chunks (tests feed SSE parsers this way).
    pub fn new(stream: impl Stream<Item = Result<Bytes>> + Send + 'static) -> Self {
        ByteStream {
            inner: Box::pin(stream),
            content_type: None,
        }
    }

    #[doc(hidden)]
    pub fn from_response(
        response: reqwest::Response,
        idle_timeout: Duration,
        request: String,
    ) -> Self {
        ByteStream::new(ResponseChunks {
            state: ChunkState::Idle(response),
            idle_timeout,
            request,
        })
    }

    /// The `Content-Type` of the response.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The next chunk, without needing a `StreamExt` import.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<Bytes>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Reads the rest of the stream into one buffer.
    pub async fn collect_bytes(mut self) -> Result<Bytes> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(all))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

struct Once(Option<Bytes>);

impl Stream for Once {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().map(Ok))
    }
}

type ChunkFuture = Pin<Box<dyn Future<Output = (reqwest::Response, ChunkOutcome)> + Send>>;
type ChunkOutcome =
    std::result::Result<reqwest::Result<Option<Bytes>>, tokio::time::error::Elapsed>;

enum ChunkState {
    Idle(reqwest::Response),
    Reading(ChunkFuture),
    Done,
}

/// The chunks of a `reqwest::Response`, each awaited with the idle timeout.
struct ResponseChunks {
    state: ChunkState,
    idle_timeout: Duration,
    request: String,
}

impl Stream for ResponseChunks {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match std::mem::replace(&mut self.state, ChunkState::Done) {
                ChunkState::Done => return Poll::Ready(None),
                ChunkState::Idle(mut response) => {
                    let idle = self.idle_timeout;
                    self.state = ChunkState::Reading(Box::pin(async move {
                        let outcome = tokio::time::timeout(idle, response.chunk()).await;
                        (response, outcome)
                    }));
                }
                ChunkState::Reading(mut future) => {
                    let (response, outcome) = match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = ChunkState::Reading(future);
                            return Poll::Pending;
                        }
                        Poll::Ready(ready) => ready,
                    };
                    let item = match outcome {
                        Ok(Ok(Some(bytes))) => {
                            self.state = ChunkState::Idle(response);
                            Ok(bytes)
                        }
                        Ok(Ok(None)) => return Poll::Ready(None),
                        Ok(Err(e)) => Err(ErrorKind::Stream(StreamError {
                            message: format!(
                                "reading the response body of {} failed",
                                self.request
                            ),
                            error: None,
                            data: None,
                            source: Some(Box::new(e.without_url())),
                        })
                        .into()),
                        Err(_) => Err(ErrorKind::Timeout(TimeoutError {
                            request: self.request.clone(),
                            after: self.idle_timeout,
                        })
                        .into()),
                    };
                    return Poll::Ready(Some(item));
                }
            }
        }
    }
}
