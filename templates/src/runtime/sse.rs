//! Server-sent events: a parser that follows the WHATWG `text/event-stream`
//! interpretation rules, a stream of raw events over a [`ByteStream`], and the typed
//! [`SseStream<T>`] that generated streaming methods return.
//!
//! Invariants of the typed stream: `data: [DONE]` ends it; an `event: error` or a
//! JSON object with a non-null top-level `error` becomes an `Err` item and ends it; a
//! body that stops mid-event yields an `Err` item (never a hang or a panic); a
//! transport error or a gap longer than the timeout yields an `Err` item and ends it.
//! An event whose data does not decode into `T` yields an `Err` item and the stream
//! goes on.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::runtime::client::Client;
use crate::runtime::drift::Conformance;
use crate::runtime::error::{DecodeError, Error, ErrorBody, ErrorKind, Result, StreamError};
use crate::runtime::request::Request;
use crate::runtime::response::{ByteStream, Format, ReceivedBody, ResponseParts};

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type (`message` when the event had no `event:` field).
    pub event: String,
    /// The data lines joined by `\n`.
    pub data: String,
    /// The last event id seen so far in the stream (empty if none).
    pub id: String,
    /// The reconnection time the stream last asked for, in milliseconds.
    pub retry: Option<u64>,
}

/// An incremental `text/event-stream` parser: feed it chunks split anywhere (even
/// inside a line ending or a UTF-8 sequence) and it yields the same events.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    after_cr: bool,
    seen_first_line: bool,
    data: String,
    event: String,
    in_event: bool,
    last_event_id: String,
    retry: Option<u64>,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a chunk, pushing every event it completes onto `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<SseEvent>) {
        while !chunk.is_empty() {
            if self.after_cr {
                self.after_cr = false;
                if let Some(rest) = chunk.strip_prefix(b"\n") {
                    chunk = rest;
                    continue;
                }
            }
            match chunk.iter().position(|&b| b == b'\r' || b == b'\n') {
                None => {
                    self.line.extend_from_slice(chunk);
                    return;
                }
                Some(end) => {
                    let (line, rest) = chunk.split_at(end);
                    self.line.extend_from_slice(line);
                    self.after_cr = rest.first() == Some(&b'\r');
                    chunk = rest.get(1..).unwrap_or_default();
                    let line = std::mem::take(&mut self.line);
                    self.process_line(&line, out);
                }
            }
        }
    }

    /// Ends the stream: `Ok` when it stopped between events, `Err` when it stopped
    /// in the middle of one (which, per the standard, is discarded).
    pub fn finish(&mut self) -> std::result::Result<(), IncompleteEvent> {
        let complete = self.line.is_empty() && !self.in_event;
        self.line.clear();
        self.data.clear();
        self.event.clear();
        self.in_event = false;
        if complete {
            Ok(())
        } else {
            Err(IncompleteEvent)
        }
    }

    /// The last event id seen.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    fn process_line(&mut self, mut line: &[u8], out: &mut VecDeque<SseEvent>) {
        if !self.seen_first_line {
            self.seen_first_line = true;
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.first() == Some(&b':') {
            return;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let (field, value) = line.split_at(colon);
                let value = value.get(1..).unwrap_or_default();
                (field, value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        self.in_event = true;
        match field {
            b"event" => self.event = String::from_utf8_lossy(value).into_owned(),
            b"data" => {
                self.data.push_str(&String::from_utf8_lossy(value));
                self.data.push('\n');
            }
            b"id" if !value.contains(&0) => {
                self.last_event_id = String::from_utf8_lossy(value).into_owned()
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                self.retry = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<SseEvent>) {
        self.in_event = false;
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        if data.ends_with('\n') {
            data.pop();
        }
        out.push_back(SseEvent {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_event_id.clone(),
            retry: self.retry,
        });
    }
}

/// The stream ended in the middle of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncompleteEvent;

/// The raw events of a `text/event-stream` body.
pub struct EventStream {
    bytes: ByteStream,
    parser: SseParser,
    queue: VecDeque<SseEvent>,
    done: bool,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("queued", &self.queue.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl EventStream {
    /// Parses events out of a byte stream.
    pub fn new(bytes: ByteStream) -> Self {
        EventStream {
            bytes,
            parser: SseParser::new(),
            queue: VecDeque::new(),
            done: false,
        }
    }

    /// The next event, without needing a `StreamExt` import.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<SseEvent>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Stops reading: drops the connection and ends the stream.
    fn close(&mut self) {
        self.done = true;
        self.queue.clear();
        self.bytes = ByteStream::new(Closed);
    }
}

impl Stream for EventStream {
    type Item = Result<SseEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(event) = this.queue.pop_front() {
                return Poll::Ready(Some(Ok(event)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.bytes).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.parser.feed(&chunk, &mut this.queue),
                Poll::Ready(Some(Err(e))) => {
                    this.close();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    let finished = this.parser.finish();
                    this.close();
                    if finished.is_err() {
                        return Poll::Ready(Some(Err(Error::stream(
                            "the stream ended in the middle of an event",
                        ))));
                    }
                }
            }
        }
    }
}

struct Closed;

impl Stream for Closed {
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(None)
    }
}

/// A typed stream of server-sent events: `impl Stream<Item = Result<T, Error>>`.
/// See the [module documentation](self) for how it ends.
pub struct SseStream<T> {
    events: EventStream,
    done: bool,
    strict: bool,
    /// Whether the stream ended on `data: [DONE]` (rather than the body simply ending).
    saw_done: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for SseStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SseStream")
            .field("events", &self.events)
            .field("done", &self.done)
            .finish()
    }
}

impl<T: DeserializeOwned + Conformance> SseStream<T> {
    /// Decodes the events of a byte stream, forgiving what departs from the spec (see
    /// [`drift`](crate::runtime::drift)).
    pub fn new(bytes: ByteStream) -> Self {
        SseStream {
            events: EventStream::new(bytes),
            done: false,
            strict: false,
            saw_done: false,
            item: PhantomData,
        }
    }

    /// Makes an event that departs from the spec an `Err(Decode)` item (see
    /// `ClientBuilder::strict`).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Whether the stream has ended on a `data: [DONE]` event. APIs that end every complete
    /// stream that way (OpenAI's chat completions) can tell a finished stream from one whose
    /// body stopped cleanly between two events.
    pub fn ended_with_done(&self) -> bool {
        self.saw_done
    }

    /// The next item, without needing a `StreamExt` import.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The raw events underneath, for streams whose event names matter.
    pub fn into_events(self) -> EventStream {
        self.events
    }

    fn decode(event: &SseEvent, strict: bool) -> std::result::Result<T, Error> {
        if event.event == "error" {
            return Err(in_stream_error(
                event,
                serde_json::from_str(&event.data).ok().as_ref(),
            ));
        }
        let trimmed = event.data.trim_start();
        // Only data that can hold an `error` key pays for a second parse.
        let error_object = (trimmed.starts_with('{') && trimmed.contains("\"error\""))
            .then(|| serde_json::from_str::<serde_json::Value>(&event.data).ok())
            .flatten()
            .filter(|value| value.get("error").is_some_and(|e| !e.is_null()));
        if let Some(value) = error_object {
            return Err(in_stream_error(event, Some(&value)));
        }
        let decoded = DecodeError::decode_located::<T>(event.data.as_bytes(), strict);
        if let Ok(value) = &decoded {
            let what = format_args!("stream event `{}`", event.event);
            crate::runtime::drift::log_drift(value, &what);
        }
        decoded.map_err(|(path, message)| {
            ErrorKind::Decode(DecodeError {
                path,
                message,
                raw_body: Bytes::from(event.data.clone()),
                status: reqwest::StatusCode::OK,
                request_id: None,
            })
            .into()
        })
    }
}

fn in_stream_error(event: &SseEvent, value: Option<&serde_json::Value>) -> Error {
    let error = value.and_then(|v| ErrorBody::from_value(v).or_else(|| lenient_error_body(v)));
    ErrorKind::Stream(StreamError {
        message: format!("the server sent an error event (`{}`)", event.event),
        error,
        data: Some(event.data.clone()),
        source: None,
    })
    .into()
}

/// An error object read from any JSON object with a `message`, `type` or `code`.
fn lenient_error_body(value: &serde_json::Value) -> Option<ErrorBody> {
    let object = value.as_object()?;
    let text = |key: &str| {
        object
            .get(key)
            .filter(|v| !v.is_null())
            .map(crate::runtime::encoding::scalar_text)
    };
    let body = ErrorBody {
        message: text("message"),
        error_type: text("type"),
        param: text("param"),
        code: text("code"),
    };
    (body != ErrorBody::default()).then_some(body)
}

impl<T: DeserializeOwned + Conformance> Stream for SseStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let event = match Pin::new(&mut this.events).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(event))) => event,
            };
            if event.data == "[DONE]" {
                this.done = true;
                this.saw_done = true;
                this.events.close();
                return Poll::Ready(None);
            }
            if event.data.trim().is_empty() && event.event != "error" {
                continue;
            }
            return Poll::Ready(Some(match Self::decode(&event, this.strict) {
                Ok(item) => Ok(item),
                Err(e) => {
                    if matches!(e.kind(), ErrorKind::Stream(_)) {
                        this.done = true;
                        this.events.close();
                    }
                    Err(e)
                }
            }));
        }
    }
}

/// A `text/event-stream` body decoded into items of `T`: the format of generated
/// streaming methods, whose call yields an [`SseStream<T>`].
pub struct Sse<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Conformance + Send + 'static> Format for Sse<T> {
    type Output = SseStream<T>;
    const STREAMING: bool = true;
    const ACCEPT: &'static str = "text/event-stream";

    fn finish(
        _: &ResponseParts,
        body: ReceivedBody,
        client: &Client,
        request: Request,
    ) -> Result<SseStream<T>> {
        Ok(SseStream::new(body.into_stream()).strict(client.is_strict(&request)))
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

    fn parse_chunks(chunks: &[&[u8]]) -> (Vec<SseEvent>, std::result::Result<(), IncompleteEvent>) {
        let mut parser = SseParser::new();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        let end = parser.finish();
        (out.into_iter().collect(), end)
    }

    fn ev(event: &str, data: &str, id: &str, retry: Option<u64>) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            id: id.into(),
            retry,
        }
    }

    /// A stream exercising every rule, with its expected events.
    fn sample() -> (Vec<u8>, Vec<SseEvent>) {
        let text = "\u{FEFF}: a comment\n\
                    data: first\n\
                    data:second\n\
                    \n\
                    event: update\r\n\
                    data:  two spaces kept one\r\n\
                    id: 7\r\n\
                    \r\n\
                    retry: 1500\r\
                    data\r\
                    \r\
                    retry: nope\n\
                    id: bad\0id\n\
                    event: ignored-no-data\n\
                    \n\
                    unknown: field\n\
                    data: héllo ✓\n\
                    data: {\"a\": 1}\n\
                    \n\
                    data\n\
                    data\n\
                    \n\
                    data: [DONE]\n\
                    \n";
        let expected = vec![
            ev("message", "first\nsecond", "", None),
            ev("update", " two spaces kept one", "7", None),
            ev("message", "", "7", Some(1500)),
            ev("message", "héllo ✓\n{\"a\": 1}", "7", Some(1500)),
            ev("message", "\n", "7", Some(1500)),
            ev("message", "[DONE]", "7", Some(1500)),
        ];
        (text.as_bytes().to_vec(), expected)
    }

    #[test]
    fn whole_stream() {
        let (bytes, expected) = sample();
        let (events, end) = parse_chunks(&[&bytes]);
        assert_eq!(events, expected);
        assert_eq!(end, Ok(()));
    }

    #[test]
    fn split_at_every_byte_boundary() {
        let (bytes, expected) = sample();
        for i in 0..=bytes.len() {
            let (a, b) = bytes.split_at(i);
            let (events, end) = parse_chunks(&[a, b]);
            assert_eq!(events, expected, "split at {i}");
            assert_eq!(end, Ok(()));
            for j in i..=bytes.len() {
                let (b1, b2) = b.split_at(j - i);
                let (events, _) = parse_chunks(&[a, b1, b2]);
                assert_eq!(events, expected, "split at {i} and {j}");
            }
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(parse_chunks(&singles).0, expected);
    }

    #[test]
    fn line_endings_are_equivalent() {
        for ending in ["\n", "\r", "\r\n"] {
            let text = format!("event: e{0}data: a{0}data: b{0}{0}", ending);
            let (events, end) = parse_chunks(&[text.as_bytes()]);
            assert_eq!(events, vec![ev("e", "a\nb", "", None)], "{ending:?}");
            assert_eq!(end, Ok(()));
        }
        // A CR at the end of one chunk and an LF at the start of the next are one line ending.
        let (events, _) = parse_chunks(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!(events, vec![ev("message", "a\nb", "", None)]);
    }

    #[test]
    fn bom_only_at_the_start() {
        let (events, _) = parse_chunks(&[b"\xEF\xBB", b"\xBFdata: x\n\n\xEF\xBB\xBFdata: y\n\n"]);
        assert_eq!(events[0].data, "x");
        assert_eq!(
            events.len(),
            1,
            "a BOM later in the stream makes the field name unknown"
        );
    }

    #[test]
    fn truncation_is_detected() {
        assert_eq!(parse_chunks(&[b"data: {\"a\":"]).1, Err(IncompleteEvent));
        assert_eq!(
            parse_chunks(&[b"data: {\"a\":1}\n"]).1,
            Err(IncompleteEvent)
        );
        assert_eq!(parse_chunks(&[b"data: {\"a\":1}\n\n"]).1, Ok(()));
        assert_eq!(parse_chunks(&[b"data: 1\n\n: keep-alive\n"]).1, Ok(()));
        assert_eq!(parse_chunks(&[b""]).1, Ok(()));
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let (events, _) = parse_chunks(&[b"data: a\xFFb\n\n"]);
        assert_eq!(events[0].data, "a\u{FFFD}b");
        // A multi-byte character split across chunks survives.
        let (events, _) = parse_chunks(&[b"data: \xE2\x9C", b"\x93\n\n"]);
        assert_eq!(events[0].data, "✓");
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Chunk {
        n: u32,
    }

    impl Conformance for Chunk {}

    fn typed(chunks: Vec<&'static [u8]>) -> Vec<std::result::Result<Chunk, String>> {
        let stream = ByteStream::new(Chunks(chunks.into_iter().map(Bytes::from_static).collect()));
        let mut sse = SseStream::<Chunk>::new(stream);
        let mut out = Vec::new();
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        for _ in 0..100 {
            match Pin::new(&mut sse).poll_next(&mut cx) {
                Poll::Ready(Some(item)) => out.push(item.map_err(|e| e.to_string())),
                Poll::Ready(None) => return out,
                Poll::Pending => panic!("a ready stream must not be pending"),
            }
        }
        panic!("the stream did not end");
    }

    struct Chunks(VecDeque<Bytes>);

    impl Stream for Chunks {
        type Item = Result<Bytes>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.pop_front().map(Ok))
        }
    }

    #[test]
    fn typed_stream_rules() {
        let out = typed(vec![
            b"data: {\"n\":1}\n\n: ping\n\ndata: {\"n\":2}\n",
            b"\ndata: [DONE]\n\ndata: {\"n\":3}\n\n",
        ]);
        assert_eq!(out, vec![Ok(Chunk { n: 1 }), Ok(Chunk { n: 2 })]);

        // A decode failure is reported and the stream goes on.
        let out = typed(vec![b"data: {\"n\":\"x\"}\n\ndata: {\"n\":4}\n\n"]);
        assert!(out[0].as_ref().unwrap_err().contains("`n`"), "{out:?}");
        assert_eq!(out[1], Ok(Chunk { n: 4 }));

        // In-stream errors end the stream.
        let out = typed(vec![b"data: {\"n\":1}\n\nevent: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\ndata: {\"n\":2}\n\n"]);
        assert_eq!(out.len(), 2);
        assert!(
            out[1].as_ref().unwrap_err().contains("overloaded"),
            "{out:?}"
        );
        let out = typed(vec![
            b"data: {\"error\":{\"message\":\"bad\",\"code\":\"x\"}}\n\ndata: {\"n\":2}\n\n",
        ]);
        assert_eq!(out.len(), 1);
        assert!(out[0].as_ref().unwrap_err().contains("bad"));
        // `"error": null` is not an error.
        let out = typed(vec![b"data: {\"n\":5,\"error\":null}\n\n"]);
        assert_eq!(out, vec![Ok(Chunk { n: 5 })]);

        // A cut mid-event is an error, not a hang.
        let out = typed(vec![b"data: {\"n\":1}\n\ndata: {\"n\":"]);
        assert_eq!(out.len(), 2);
        assert!(out[1].as_ref().unwrap_err().contains("middle of an event"));

        // A clean end without [DONE] just ends.
        assert_eq!(
            typed(vec![b"data: {\"n\":1}\n\n"]),
            vec![Ok(Chunk { n: 1 })]
        );
    }

    #[test]
    fn ended_with_done_tells_done_from_a_clean_cut() {
        let drain = |chunks: Vec<&'static [u8]>| {
            let bytes = Chunks(chunks.into_iter().map(Bytes::from_static).collect());
            let mut sse = SseStream::<Chunk>::new(ByteStream::new(bytes));
            let mut cx = Context::from_waker(std::task::Waker::noop());
            assert!(!sse.ended_with_done());
            while let Poll::Ready(Some(_)) = Pin::new(&mut sse).poll_next(&mut cx) {}
            sse.ended_with_done()
        };
        assert!(drain(vec![b"data: {\"n\":1}\n\ndata: [DONE]\n\n"]));
        assert!(!drain(vec![b"data: {\"n\":1}\n\n"]));
        assert!(!drain(vec![b"data: {\"n\":1}\n\ndata: {\"n\""]));
    }
}
