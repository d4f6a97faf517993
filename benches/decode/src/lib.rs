//! Inputs and decoders for the decode benches (`benches/decode.rs`).
//!
//! Both clients get the same bytes and do the same work:
//!
//! - **Response**: `serde_json::from_slice` of one large chat completion into each crate's
//!   `CreateChatCompletionResponse` (our runtime decodes a JSON body with `serde_json` and,
//!   only when that fails, again through `serde_path_to_error` to name the failing field; the
//!   bench calls that same runtime function, so it pays what the client pays).
//! - **Stream**: 10,000 chat completion chunks as a `text/event-stream` body, cut into
//!   1,400-byte pieces (about one TCP segment each, so events straddle pieces). Ours goes
//!   through the runtime's public [`SseStream`] (parser, `[DONE]`, in-stream error check
//!   and the runtime's decode), exactly what `create_stream` returns. async-openai's
//!   side repeats what its `stream_mapped_raw_events` does per event:
//!   `eventsource_stream::EventStream` for framing, stop at `[DONE]`, skip `keepalive`, then
//!   `serde_json::from_str`. Its tokio task and channel hop are left out, which favours it.
//!
//! Both streams are polled to the end with a no-op waker: the pieces are in memory, so
//! neither ever waits, and no executor's overhead is measured.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use futures_core::Stream;
use openai_client::runtime::response::ByteStream;
use openai_client::runtime::sse::SseStream;
use serde_json::{Value, json};

/// Chunks in the streamed completion.
pub const STREAM_CHUNKS: usize = 10_000;
/// Bytes per piece the stream body is cut into.
pub const PIECE: usize = 1_400;

/// A deterministic pseudo-random sequence (64-bit LCG), so every run decodes the same input.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn word(&mut self) -> String {
        const WORDS: &[&str] = &[
            "the",
            "model",
            "returns",
            "a",
            "token",
            "stream",
            "of",
            "text",
            "with",
            "tool",
            "calls",
            "and",
            "probabilities",
            "for",
            "each",
            "choice",
            "über",
            "naïve",
            "→",
            "🙂",
        ];
        WORDS[(self.next() % WORDS.len() as u64) as usize].to_string()
    }

    fn logprob(&mut self) -> f64 {
        -((self.next() % 100_000) as f64) / 10_000.0
    }
}

fn token_logprob(rng: &mut Lcg) -> Value {
    let token = rng.word();
    let bytes: Vec<u8> = token.bytes().collect();
    let top: Vec<Value> = (0..5)
        .map(|_| {
            let t = rng.word();
            let b: Vec<u8> = t.bytes().collect();
            json!({ "token": t, "logprob": rng.logprob(), "bytes": b })
        })
        .collect();
    json!({ "token": token, "logprob": rng.logprob(), "bytes": bytes, "top_logprobs": top })
}

/// One large chat completion: 32 choices, each with ~300 words of content, 4 tool calls
/// and 300 tokens of logprobs with 5 alternatives each (about 2.5 MB of JSON).
pub fn large_completion() -> Vec<u8> {
    let mut rng = Lcg(42);
    let choices: Vec<Value> = (0..32)
        .map(|index| {
            let content: Vec<String> = (0..300).map(|_| rng.word()).collect();
            let tool_calls: Vec<Value> = (0..4)
                .map(|i| {
                    json!({
                        "id": format!("call_{index}_{i}_{}", rng.next()),
                        "type": "function",
                        "function": {
                            "name": "lookup",
                            "arguments": json!({ "query": rng.word(), "limit": rng.next() % 50, "filters": [rng.word(), rng.word()] }).to_string(),
                        }
                    })
                })
                .collect();
            let logprobs: Vec<Value> = (0..300).map(|_| token_logprob(&mut rng)).collect();
            json!({
                "index": index,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": content.join(" "),
                    "refusal": null,
                    "tool_calls": tool_calls,
                    "annotations": [],
                },
                "logprobs": { "content": logprobs, "refusal": null },
            })
        })
        .collect();
    let body = json!({
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1_700_000_000u32,
        "model": "gpt-4o-2024-08-06",
        "system_fingerprint": "fp_bench",
        "service_tier": "default",
        "choices": choices,
        "usage": {
            "prompt_tokens": 1200,
            "completion_tokens": 9600,
            "total_tokens": 10800,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
        }
    });
    serde_json::to_vec(&body).expect("a JSON value serializes")
}

/// A streamed chat completion of [`STREAM_CHUNKS`] events: a role chunk, content deltas
/// with logprobs, a tool call streamed in argument pieces, a finish chunk, a usage chunk,
/// then `[DONE]`; cut into [`PIECE`]-byte pieces.
pub fn stream_body() -> Vec<Bytes> {
    let mut rng = Lcg(7);
    let mut body = String::new();
    let chunk = |choices: Value, usage: Value| {
        json!({
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000u32,
            "model": "gpt-4o-2024-08-06",
            "system_fingerprint": "fp_bench",
            "service_tier": "default",
            "choices": choices,
            "usage": usage,
        })
    };
    let mut push = |value: Value| {
        body.push_str("data: ");
        body.push_str(&value.to_string());
        body.push_str("\n\n");
    };
    push(chunk(
        json!([{ "index": 0, "delta": { "role": "assistant", "content": "", "refusal": null }, "logprobs": null, "finish_reason": null }]),
        Value::Null,
    ));
    let tool_chunks = 500;
    let content_chunks = STREAM_CHUNKS - tool_chunks - 3;
    for _ in 0..content_chunks {
        let word = format!("{} ", rng.word());
        let logprobs = json!({ "content": [token_logprob(&mut rng)], "refusal": null });
        push(chunk(
            json!([{ "index": 0, "delta": { "content": word }, "logprobs": logprobs, "finish_reason": null }]),
            Value::Null,
        ));
    }
    for i in 0..tool_chunks {
        let call = if i == 0 {
            json!({ "index": 0, "id": "call_bench", "type": "function", "function": { "name": "lookup", "arguments": "" } })
        } else {
            json!({ "index": 0, "function": { "arguments": format!("{{\"{}\":", rng.word()) } })
        };
        push(chunk(
            json!([{ "index": 0, "delta": { "tool_calls": [call] }, "logprobs": null, "finish_reason": null }]),
            Value::Null,
        ));
    }
    push(chunk(
        json!([{ "index": 0, "delta": {}, "logprobs": null, "finish_reason": "tool_calls" }]),
        Value::Null,
    ));
    push(chunk(
        json!([]),
        json!({ "prompt_tokens": 1200, "completion_tokens": 10000, "total_tokens": 11200 }),
    ));
    body.push_str("data: [DONE]\n\n");
    let all = Bytes::from(body);
    (0..all.len())
        .step_by(PIECE)
        .map(|start| all.slice(start..(start + PIECE).min(all.len())))
        .collect()
}

/// Ours: the body decoder the client uses for JSON responses.
pub fn ours_completion(bytes: &[u8]) -> openai_client::types::CreateChatCompletionResponse {
    openai_client::runtime::error::DecodeError::decode_located(bytes, false)
        .expect("our types decode the completion")
}

/// Ours through plain `serde_json::from_slice`, to tell the cost of the types from the
/// runtime's (the runtime locates a failure with `serde_path_to_error` only after one).
pub fn ours_completion_plain(bytes: &[u8]) -> openai_client::types::CreateChatCompletionResponse {
    serde_json::from_slice(bytes).expect("our types decode the completion")
}

/// async-openai: `serde_json::from_slice`, as its client does for JSON responses.
pub fn theirs_completion(bytes: &[u8]) -> async_openai::types::chat::CreateChatCompletionResponse {
    serde_json::from_slice(bytes).expect("async-openai's types decode the completion")
}

/// Ours: the runtime's typed SSE stream over the pieces; returns the number of chunks.
pub fn ours_stream(pieces: &[Bytes]) -> usize {
    let bytes = ByteStream::new(Pieces::<openai_client::Error>::new(pieces));
    let stream = SseStream::<openai_client::types::CreateChatCompletionStreamResponse>::new(bytes);
    let mut count = 0;
    drain(stream, |item| {
        item.expect("our types decode every chunk");
        count += 1;
    });
    count
}

/// async-openai: its SSE framing, then `serde_json::from_str` per event, as its client does.
pub fn theirs_stream(pieces: &[Bytes]) -> usize {
    let events = eventsource_stream::EventStream::new(Pieces::<std::io::Error>::new(pieces));
    let mut count = 0;
    let mut done = false;
    drain(events, |event| {
        if done {
            return;
        }
        let event = event.expect("the stream frames");
        if event.data == "[DONE]" {
            done = true;
            return;
        }
        if event.event == "keepalive" {
            return;
        }
        serde_json::from_str::<async_openai::types::chat::CreateChatCompletionStreamResponse>(
            &event.data,
        )
        .expect("async-openai's types decode every chunk");
        count += 1;
    });
    count
}

/// Polls a stream to its end with a no-op waker, handing each item to `each`.
fn drain<S: Stream>(stream: S, mut each: impl FnMut(S::Item)) {
    let mut stream = std::pin::pin!(stream);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(item)) => each(item),
            Poll::Ready(None) => return,
            Poll::Pending => panic!("an in-memory stream never waits"),
        }
    }
}

/// The pieces of a body as a byte stream (cloning a `Bytes` is a reference-count bump).
struct Pieces<E> {
    pieces: std::vec::IntoIter<Bytes>,
    error: PhantomData<fn() -> E>,
}

impl<E> Pieces<E> {
    fn new(pieces: &[Bytes]) -> Self {
        Pieces {
            pieces: pieces.to_vec().into_iter(),
            error: PhantomData,
        }
    }
}

impl<E> Stream for Pieces<E> {
    type Item = Result<Bytes, E>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.pieces.next().map(Ok))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_decode_the_same_inputs() {
        let completion = large_completion();
        assert_eq!(
            ours_completion(&completion).choices.len(),
            theirs_completion(&completion).choices.len()
        );
        let pieces = stream_body();
        assert_eq!(ours_stream(&pieces), STREAM_CHUNKS);
        assert_eq!(theirs_stream(&pieces), STREAM_CHUNKS);
    }
}
