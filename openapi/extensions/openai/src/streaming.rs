//! Folding a stream into the object it stands for, while still yielding every item.
//!
//! `create_stream(…).await?.accumulate()` wraps a chat completion stream (or a Responses API
//! event stream) in an [`AccumulatingStream`]: `next()` yields each chunk as it arrives, as
//! before, and [`AccumulatingStream::finish`] reads whatever is left and returns the whole
//! object: a [`CreateChatCompletionResponse`](crate::types::CreateChatCompletionResponse) or
//! a [`Response`](crate::types::Response). A stream that ends before the API says it is done
//! is an [`AccumulateError`], never a half object.
//!
//! The accumulators also work on their own: [`Accumulator::push`] each item, then
//! [`Accumulator::finish`].

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::Error;
use crate::runtime::SseStream;

/// Folds the items of a stream into one value.
pub trait Accumulator: Default {
    /// What the stream yields.
    type Item: serde::de::DeserializeOwned + crate::Conformance;
    /// What the items add up to.
    type Output;
    /// Whether a complete stream always ends with `data: [DONE]` (so a stream that stops
    /// without it was cut, even between two events).
    const ENDS_WITH_DONE: bool = false;

    /// Adds one item.
    fn push(&mut self, item: &Self::Item);

    /// The whole value, or why the items so far do not make one.
    fn finish(self) -> Result<Self::Output, AccumulateError>;
}

/// Why a stream did not add up to a whole object.
#[derive(Debug)]
#[non_exhaustive]
pub enum AccumulateError {
    /// The stream ended before the API said the object was complete (a choice without
    /// `finish_reason`, no `data: [DONE]`, no `response.completed` event, …).
    Incomplete(String),
    /// An item of the stream was an error, already yielded by `next()` (its message is
    /// kept): the items after it, if any, cannot make a whole object.
    Interrupted(String),
    /// The stream failed while [`AccumulatingStream::finish`] read it.
    Stream(Error),
    /// The API reported the response as failed (`response.failed`); it is here with its
    /// `error`.
    #[cfg(feature = "responses")]
    Failed(Box<crate::types::Response>),
}

impl std::fmt::Display for AccumulateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccumulateError::Incomplete(why) => write!(f, "the stream is incomplete: {why}"),
            AccumulateError::Interrupted(error) => {
                write!(f, "the stream was interrupted by an error: {error}")
            }
            AccumulateError::Stream(error) => write!(f, "the stream failed: {error}"),
            #[cfg(feature = "responses")]
            AccumulateError::Failed(response) => {
                let message = response
                    .error
                    .as_ref()
                    .map_or("no error object", |e| e.message.as_str());
                write!(f, "the response {} failed: {message}", response.id)
            }
        }
    }
}

impl std::error::Error for AccumulateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AccumulateError::Stream(error) => Some(error),
            _ => None,
        }
    }
}

/// A stream that yields every item of the stream it wraps and folds them into an
/// [`Accumulator`] on the way. Made by `accumulate()` on a streaming call's result.
pub struct AccumulatingStream<A: Accumulator> {
    inner: SseStream<A::Item>,
    accumulator: A,
    interrupted: Option<String>,
}

impl<A: Accumulator + std::fmt::Debug> std::fmt::Debug for AccumulatingStream<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccumulatingStream")
            .field("accumulator", &self.accumulator)
            .field("interrupted", &self.interrupted)
            .finish_non_exhaustive()
    }
}

impl<A: Accumulator + Unpin> AccumulatingStream<A> {
    /// Wraps a stream.
    pub fn new(inner: SseStream<A::Item>) -> Self {
        AccumulatingStream {
            inner,
            accumulator: A::default(),
            interrupted: None,
        }
    }

    /// The next item, as the wrapped stream yields it (no `StreamExt` import needed).
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<A::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// What has been folded in so far.
    pub fn accumulator(&self) -> &A {
        &self.accumulator
    }

    /// Reads the rest of the stream and returns the whole object.
    ///
    /// # Errors
    ///
    /// [`AccumulateError`] when an item was an error or the stream ended before the API
    /// said it was done.
    pub async fn finish(mut self) -> Result<A::Output, AccumulateError> {
        while let Some(item) =
            std::future::poll_fn(|cx| Pin::new(&mut self.inner).poll_next(cx)).await
        {
            match item {
                Ok(item) => self.accumulator.push(&item),
                Err(error) => return Err(AccumulateError::Stream(error)),
            }
        }
        if let Some(error) = self.interrupted {
            return Err(AccumulateError::Interrupted(error));
        }
        let output = self.accumulator.finish()?;
        if A::ENDS_WITH_DONE && !self.inner.ended_with_done() {
            return Err(AccumulateError::Incomplete(
                "the stream ended without `data: [DONE]`".into(),
            ));
        }
        Ok(output)
    }
}

impl<A: Accumulator + Unpin> Stream for AccumulatingStream<A> {
    type Item = Result<A::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let item = std::task::ready!(Pin::new(&mut this.inner).poll_next(cx));
        match &item {
            Some(Ok(item)) => this.accumulator.push(item),
            Some(Err(error)) => {
                this.interrupted.get_or_insert_with(|| error.to_string());
            }
            None => {}
        }
        Poll::Ready(item)
    }
}

/// `value` as another type with the same JSON form (two open enums of the same strings).
#[cfg(any(feature = "chat", feature = "responses"))]
fn same_wire<A: serde::Serialize, B: serde::de::DeserializeOwned>(value: &A) -> Option<B> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}

/// A list index from the API's `i64` (negative indices fit nowhere).
#[cfg(feature = "responses")]
fn slot(index: i64) -> Option<usize> {
    usize::try_from(index).ok()
}

#[cfg(feature = "chat")]
pub use chat::{ChatCompletionAccumulator, ChatCompletionStream};

#[cfg(feature = "chat")]
#[allow(deprecated)] // `system_fingerprint` and `function_call` are deprecated, and still sent
mod chat {
    use std::collections::BTreeMap;

    use super::{AccumulateError, AccumulatingStream, Accumulator, same_wire};
    use crate::runtime::SseStream;
    use crate::types::{
        ChatCompletionMessageToolCall, ChatCompletionMessageToolCallFunction,
        ChatCompletionMessageToolCallsItem, ChatCompletionResponseMessage,
        ChatCompletionResponseMessageFunctionCall, ChatCompletionTokenLogprob, CompletionUsage,
        CreateChatCompletionResponse, CreateChatCompletionResponseChoicesItem,
        CreateChatCompletionResponseChoicesItemFinishReason,
        CreateChatCompletionResponseChoicesItemLogprobs, CreateChatCompletionStreamResponse,
        CreateChatCompletionStreamResponseChoicesItemFinishReason, ServiceTier,
    };

    /// A chat completion stream that also folds its chunks into the completion.
    pub type ChatCompletionStream = AccumulatingStream<ChatCompletionAccumulator>;

    impl SseStream<CreateChatCompletionStreamResponse> {
        /// Yields every chunk as before, and folds them into the
        /// [`CreateChatCompletionResponse`] they stand for, which
        /// [`finish`](AccumulatingStream::finish) returns.
        pub fn accumulate(self) -> ChatCompletionStream {
            AccumulatingStream::new(self)
        }
    }

    /// Folds chat completion chunks into a [`CreateChatCompletionResponse`]: content and
    /// refusal concatenated, tool calls merged by index (id, type and name from their first
    /// delta, arguments concatenated), choices by index, logprobs concatenated, each
    /// choice's `finish_reason`, and the usage of the chunk that carries it (the last one,
    /// with `stream_options.include_usage`). The id, model, creation time, system
    /// fingerprint and service tier are the first chunk's that has them.
    #[derive(Debug, Default, Clone)]
    pub struct ChatCompletionAccumulator {
        id: Option<String>,
        created: Option<i64>,
        model: Option<String>,
        system_fingerprint: Option<String>,
        service_tier: Option<Option<ServiceTier>>,
        usage: Option<CompletionUsage>,
        choices: BTreeMap<i64, Choice>,
        chunks: usize,
    }

    #[derive(Debug, Default, Clone)]
    struct Choice {
        content: Option<String>,
        refusal: Option<String>,
        tool_calls: BTreeMap<i64, ToolCall>,
        function_call: Option<(Option<String>, String)>,
        logprobs: Option<Logprobs>,
        finish_reason: Option<CreateChatCompletionStreamResponseChoicesItemFinishReason>,
    }

    #[derive(Debug, Default, Clone)]
    struct Logprobs {
        content: Option<Vec<ChatCompletionTokenLogprob>>,
        refusal: Option<Vec<ChatCompletionTokenLogprob>>,
    }

    #[derive(Debug, Default, Clone)]
    struct ToolCall {
        id: Option<String>,
        name: Option<String>,
        arguments: String,
    }

    fn first<T: Clone>(slot: &mut Option<T>, value: Option<&T>) {
        if slot.is_none() {
            *slot = value.cloned();
        }
    }

    fn append(slot: &mut Option<String>, text: Option<&String>) {
        if let Some(text) = text {
            slot.get_or_insert_with(String::new).push_str(text);
        }
    }

    impl ChatCompletionAccumulator {
        /// How many chunks have been pushed.
        pub fn chunks(&self) -> usize {
            self.chunks
        }

        /// The content of choice `index` so far.
        pub fn content(&self, index: i64) -> Option<&str> {
            self.choices.get(&index)?.content.as_deref()
        }
    }

    impl Accumulator for ChatCompletionAccumulator {
        type Item = CreateChatCompletionStreamResponse;
        type Output = CreateChatCompletionResponse;
        const ENDS_WITH_DONE: bool = true;

        fn push(&mut self, chunk: &CreateChatCompletionStreamResponse) {
            self.chunks += 1;
            // Azure sends a first chunk with an empty id and model (prompt filter results).
            first(&mut self.id, Some(&chunk.id).filter(|id| !id.is_empty()));
            first(
                &mut self.model,
                Some(&chunk.model).filter(|m| !m.is_empty()),
            );
            first(&mut self.created, Some(&chunk.created).filter(|c| **c != 0));
            first(
                &mut self.system_fingerprint,
                chunk.system_fingerprint.as_ref(),
            );
            first(&mut self.service_tier, chunk.service_tier.as_ref());
            if let Some(Some(usage)) = &chunk.usage {
                self.usage = Some(usage.clone());
            }
            for choice in &chunk.choices {
                let state = self.choices.entry(choice.index).or_default();
                let delta = &choice.delta;
                append(
                    &mut state.content,
                    delta.content.as_ref().and_then(Option::as_ref),
                );
                append(
                    &mut state.refusal,
                    delta.refusal.as_ref().and_then(Option::as_ref),
                );
                for call in delta.tool_calls.iter().flatten() {
                    let merged = state.tool_calls.entry(call.index).or_default();
                    first(&mut merged.id, call.id.as_ref());
                    if let Some(function) = &call.function {
                        first(&mut merged.name, function.name.as_ref());
                        if let Some(arguments) = &function.arguments {
                            merged.arguments.push_str(arguments);
                        }
                    }
                }
                if let Some(call) = &delta.function_call {
                    let (name, arguments) = state
                        .function_call
                        .get_or_insert_with(|| (None, String::new()));
                    first(name, call.name.as_ref());
                    if let Some(more) = &call.arguments {
                        arguments.push_str(more);
                    }
                }
                if let Some(Some(logprobs)) = &choice.logprobs {
                    let merged = state.logprobs.get_or_insert_with(Logprobs::default);
                    if let Some(content) = &logprobs.content {
                        merged
                            .content
                            .get_or_insert_with(Vec::new)
                            .extend(content.iter().cloned());
                    }
                    if let Some(refusal) = &logprobs.refusal {
                        merged
                            .refusal
                            .get_or_insert_with(Vec::new)
                            .extend(refusal.iter().cloned());
                    }
                }
                if let Some(reason) = &choice.finish_reason {
                    state.finish_reason = Some(reason.clone());
                }
            }
        }

        fn finish(self) -> Result<CreateChatCompletionResponse, AccumulateError> {
            if self.choices.is_empty() {
                return Err(AccumulateError::Incomplete(format!(
                    "no choice in {} chunks",
                    self.chunks
                )));
            }
            let mut choices = Vec::with_capacity(self.choices.len());
            for (index, choice) in self.choices {
                let Some(reason) = choice.finish_reason else {
                    return Err(AccumulateError::Incomplete(format!(
                        "choice {index} has no `finish_reason`: the stream ended before it finished"
                    )));
                };
                let Some(finish_reason) =
                    same_wire::<_, CreateChatCompletionResponseChoicesItemFinishReason>(&reason)
                else {
                    return Err(AccumulateError::Incomplete(format!(
                        "choice {index}: `finish_reason` {reason:?} has no counterpart in a completion"
                    )));
                };
                let mut message =
                    ChatCompletionResponseMessage::new(choice.content, choice.refusal);
                if !choice.tool_calls.is_empty() {
                    let calls = choice.tool_calls.into_values().map(|call| {
                        ChatCompletionMessageToolCallsItem::Function(
                            ChatCompletionMessageToolCall::new(
                                call.id.unwrap_or_default(),
                                ChatCompletionMessageToolCallFunction::new(
                                    call.name.unwrap_or_default(),
                                    call.arguments,
                                ),
                            ),
                        )
                    });
                    message.tool_calls = Some(calls.collect());
                }
                if let Some((name, arguments)) = choice.function_call {
                    message.function_call = Some(ChatCompletionResponseMessageFunctionCall::new(
                        arguments,
                        name.unwrap_or_default(),
                    ));
                }
                let logprobs = choice.logprobs.map(|l| {
                    CreateChatCompletionResponseChoicesItemLogprobs::new(l.content, l.refusal)
                });
                choices.push(CreateChatCompletionResponseChoicesItem::new(
                    finish_reason,
                    index,
                    message,
                    logprobs,
                ));
            }
            let mut response = CreateChatCompletionResponse::new(
                self.id.unwrap_or_default(),
                choices,
                self.created.unwrap_or_default(),
                self.model.unwrap_or_default(),
            );
            response.system_fingerprint = self.system_fingerprint;
            response.service_tier = self.service_tier;
            response.usage = self.usage;
            Ok(response)
        }
    }
}

#[cfg(feature = "responses")]
pub use responses::{ResponseAccumulator, ResponseEventStream};

#[cfg(feature = "responses")]
mod responses {
    use super::{AccumulateError, AccumulatingStream, Accumulator, same_wire, slot};
    use crate::runtime::SseStream;
    use crate::types::{
        OutputContent, OutputItem, OutputMessageContent, OutputTextContent, ReasoningTextContent,
        RefusalContent, Response, ResponseStreamEvent, SummaryTextContent,
    };

    /// A Responses API event stream that also folds its events into the final response.
    pub type ResponseEventStream = AccumulatingStream<ResponseAccumulator>;

    impl SseStream<ResponseStreamEvent> {
        /// Yields every event as before, and folds them into the [`Response`] they stand
        /// for, which [`finish`](AccumulatingStream::finish) returns.
        pub fn accumulate(self) -> ResponseEventStream {
            AccumulatingStream::new(self)
        }
    }

    #[derive(Debug, Clone)]
    enum End {
        Done(Box<Response>),
        Failed(Box<Response>),
    }

    /// Folds Responses API events into the [`Response`] they stand for.
    ///
    /// While the stream runs, [`snapshot`](Self::snapshot) is the response so far: the
    /// `response.created` object with every output item, content part, text, refusal,
    /// arguments, reasoning summary and annotation event applied in order. The final
    /// response is the one the terminal event carries (`response.completed` or
    /// `response.incomplete`, with usage and status), which the API sends whole; a
    /// `response.failed` event is an [`AccumulateError::Failed`], and a stream without a
    /// terminal event is [`AccumulateError::Incomplete`].
    #[derive(Debug, Default, Clone)]
    pub struct ResponseAccumulator {
        snapshot: Option<Response>,
        end: Option<End>,
        events: usize,
        last_event: Option<Box<ResponseStreamEvent>>,
        mismatch: Option<String>,
    }

    impl ResponseAccumulator {
        /// The response so far (none before `response.created`).
        pub fn snapshot(&self) -> Option<&Response> {
            self.snapshot.as_ref()
        }

        /// How many events have been pushed.
        pub fn events(&self) -> usize {
            self.events
        }

        /// The first event that did not fit the snapshot (a delta for an item or part that
        /// was never added), if any: the snapshot may then differ from the final response,
        /// which comes whole with the terminal event anyway.
        pub fn first_mismatch(&self) -> Option<&str> {
            self.mismatch.as_deref()
        }

        fn item(&mut self, output_index: i64) -> Option<&mut OutputItem> {
            self.snapshot.as_mut()?.output.get_mut(slot(output_index)?)
        }

        fn set_item(&mut self, output_index: i64, item: &OutputItem) -> Option<()> {
            let output = &mut self.snapshot.as_mut()?.output;
            put(output, output_index, item.clone())
        }

        /// The message part at `(output_index, content_index)`, created as `empty` when the
        /// delta is the first word of a part the stream did not announce.
        fn part(
            &mut self,
            output_index: i64,
            content_index: i64,
            empty: fn() -> OutputMessageContent,
        ) -> Option<&mut OutputMessageContent> {
            let OutputItem::Message(message) = self.item(output_index)? else {
                return None;
            };
            let at = slot(content_index)?;
            if at == message.content.len() {
                message.content.push(empty());
            }
            message.content.get_mut(at)
        }

        fn text(&mut self, output_index: i64, content_index: i64) -> Option<&mut String> {
            let empty =
                || OutputMessageContent::OutputText(OutputTextContent::new("", vec![], vec![]));
            match self.part(output_index, content_index, empty)? {
                OutputMessageContent::OutputText(text) => Some(&mut text.text),
                _ => None,
            }
        }

        fn refusal(&mut self, output_index: i64, content_index: i64) -> Option<&mut String> {
            let empty = || OutputMessageContent::Refusal(RefusalContent::new(""));
            match self.part(output_index, content_index, empty)? {
                OutputMessageContent::Refusal(refusal) => Some(&mut refusal.refusal),
                _ => None,
            }
        }

        fn summary(&mut self, output_index: i64, summary_index: i64) -> Option<&mut String> {
            let OutputItem::Reasoning(reasoning) = self.item(output_index)? else {
                return None;
            };
            let at = slot(summary_index)?;
            if at == reasoning.summary.len() {
                reasoning.summary.push(SummaryTextContent::new(""));
            }
            Some(&mut reasoning.summary.get_mut(at)?.text)
        }

        fn reasoning_text(&mut self, output_index: i64, content_index: i64) -> Option<&mut String> {
            let OutputItem::Reasoning(reasoning) = self.item(output_index)? else {
                return None;
            };
            let content = reasoning.content.get_or_insert_with(Vec::new);
            let at = slot(content_index)?;
            if at == content.len() {
                content.push(ReasoningTextContent::new(""));
            }
            Some(&mut content.get_mut(at)?.text)
        }

        /// The text an item builds from deltas: function call arguments, custom tool input,
        /// MCP call arguments, code interpreter code.
        fn item_text(&mut self, output_index: i64) -> Option<&mut String> {
            match self.item(output_index)? {
                OutputItem::FunctionCall(call) => Some(&mut call.arguments),
                OutputItem::CustomToolCall(call) => Some(&mut call.input),
                OutputItem::McpCall(call) => Some(&mut call.arguments),
                OutputItem::CodeInterpreterCall(call) => {
                    Some(call.code.get_or_insert_with(String::new))
                }
                _ => None,
            }
        }

        fn content_part(
            &mut self,
            output_index: i64,
            content_index: i64,
            part: &OutputContent,
        ) -> Option<()> {
            match part {
                OutputContent::ReasoningText(text) => {
                    let OutputItem::Reasoning(reasoning) = self.item(output_index)? else {
                        return None;
                    };
                    let content = reasoning.content.get_or_insert_with(Vec::new);
                    put(content, content_index, text.clone())
                }
                part => {
                    let part: OutputMessageContent = same_wire(part)?;
                    let OutputItem::Message(message) = self.item(output_index)? else {
                        return None;
                    };
                    put(&mut message.content, content_index, part)
                }
            }
        }

        /// Applies one event to the snapshot; `None` when it does not fit.
        fn apply(&mut self, event: &ResponseStreamEvent) -> Option<()> {
            use ResponseStreamEvent as E;
            match event {
                E::ResponseCreated(e) => self.snapshot = Some(e.response.clone()),
                E::ResponseInProgress(e) => self.snapshot = Some(e.response.clone()),
                E::ResponseQueued(e) => self.snapshot = Some(e.response.clone()),
                E::ResponseCompleted(e) => {
                    self.end = Some(End::Done(Box::new(e.response.clone())));
                }
                E::ResponseIncomplete(e) => {
                    self.end = Some(End::Done(Box::new(e.response.clone())));
                }
                E::ResponseFailed(e) => {
                    self.end = Some(End::Failed(Box::new(e.response.clone())));
                }
                E::ResponseOutputItemAdded(e) => self.set_item(e.output_index, &e.item)?,
                E::ResponseOutputItemDone(e) => self.set_item(e.output_index, &e.item)?,
                E::ResponseContentPartAdded(e) => {
                    self.content_part(e.output_index, e.content_index, &e.part)?;
                }
                E::ResponseContentPartDone(e) => {
                    self.content_part(e.output_index, e.content_index, &e.part)?;
                }
                E::ResponseOutputTextDelta(e) => {
                    self.text(e.output_index, e.content_index)?
                        .push_str(&e.delta);
                }
                E::ResponseOutputTextDone(e) => {
                    *self.text(e.output_index, e.content_index)? = e.text.clone();
                }
                E::ResponseOutputTextAnnotationAdded(e) => {
                    let Some(annotation) = &e.annotation else {
                        return Some(());
                    };
                    let OutputMessageContent::OutputText(text) =
                        self.part(e.output_index, e.content_index, || {
                            OutputMessageContent::OutputText(OutputTextContent::new(
                                "",
                                vec![],
                                vec![],
                            ))
                        })?
                    else {
                        return None;
                    };
                    put(
                        &mut text.annotations,
                        e.annotation_index,
                        annotation.clone(),
                    )?;
                }
                E::ResponseRefusalDelta(e) => {
                    self.refusal(e.output_index, e.content_index)?
                        .push_str(&e.delta);
                }
                E::ResponseRefusalDone(e) => {
                    *self.refusal(e.output_index, e.content_index)? = e.refusal.clone();
                }
                E::ResponseFunctionCallArgumentsDelta(e) => {
                    self.item_text(e.output_index)?.push_str(&e.delta);
                }
                E::ResponseFunctionCallArgumentsDone(e) => {
                    *self.item_text(e.output_index)? = e.arguments.clone();
                }
                E::ResponseCustomToolCallInputDelta(e) => {
                    self.item_text(e.output_index)?.push_str(&e.delta);
                }
                E::ResponseCustomToolCallInputDone(e) => {
                    *self.item_text(e.output_index)? = e.input.clone();
                }
                E::ResponseMcpCallArgumentsDelta(e) => {
                    self.item_text(e.output_index)?.push_str(&e.delta);
                }
                E::ResponseMcpCallArgumentsDone(e) => {
                    *self.item_text(e.output_index)? = e.arguments.clone();
                }
                E::ResponseCodeInterpreterCallCodeDelta(e) => {
                    self.item_text(e.output_index)?.push_str(&e.delta);
                }
                E::ResponseCodeInterpreterCallCodeDone(e) => {
                    *self.item_text(e.output_index)? = e.code.clone();
                }
                E::ResponseReasoningSummaryPartAdded(e) => {
                    *self.summary(e.output_index, e.summary_index)? = e.part.text.clone();
                }
                E::ResponseReasoningSummaryPartDone(e) => {
                    *self.summary(e.output_index, e.summary_index)? = e.part.text.clone();
                }
                E::ResponseReasoningSummaryTextDelta(e) => {
                    self.summary(e.output_index, e.summary_index)?
                        .push_str(&e.delta);
                }
                E::ResponseReasoningSummaryTextDone(e) => {
                    *self.summary(e.output_index, e.summary_index)? = e.text.clone();
                }
                E::ResponseReasoningTextDelta(e) => {
                    self.reasoning_text(e.output_index, e.content_index)?
                        .push_str(&e.delta);
                }
                E::ResponseReasoningTextDone(e) => {
                    *self.reasoning_text(e.output_index, e.content_index)? = e.text.clone();
                }
                // Progress events (`…searching`, `…in_progress`, audio, partial images, …)
                // change nothing the final response does not carry whole.
                _ => {}
            }
            Some(())
        }
    }

    /// Sets `list[index]`, or appends when `index` is one past the end.
    fn put<T>(list: &mut Vec<T>, index: i64, value: T) -> Option<()> {
        let at = slot(index)?;
        if at == list.len() {
            list.push(value);
        } else {
            *list.get_mut(at)? = value;
        }
        Some(())
    }

    /// The wire name of an event, for messages.
    fn event_type(event: &ResponseStreamEvent) -> String {
        serde_json::to_value(event)
            .ok()
            .and_then(|v| v.get("type")?.as_str().map(str::to_owned))
            .unwrap_or_else(|| "an event without a type".into())
    }

    impl Accumulator for ResponseAccumulator {
        type Item = ResponseStreamEvent;
        type Output = Response;

        fn push(&mut self, event: &ResponseStreamEvent) {
            self.events += 1;
            let before = self.snapshot.is_some();
            if self.apply(event).is_none() && self.mismatch.is_none() {
                let what = if before {
                    "it names an item or part the stream did not add"
                } else {
                    "it came before `response.created`"
                };
                self.mismatch = Some(format!(
                    "event {} (`{}`) does not fit: {what}",
                    self.events,
                    event_type(event)
                ));
            }
            self.last_event = Some(Box::new(event.clone()));
        }

        fn finish(self) -> Result<Response, AccumulateError> {
            match self.end {
                Some(End::Done(response)) => Ok(*response),
                Some(End::Failed(response)) => Err(AccumulateError::Failed(response)),
                None => Err(AccumulateError::Incomplete(match self.last_event {
                    Some(last) => format!(
                        "no `response.completed` (or `.incomplete`, `.failed`) event after {} events; the last was `{}`",
                        self.events,
                        event_type(&last)
                    ),
                    None => "no event at all".into(),
                })),
            }
        }
    }
}
