//! Wire-format tests of the generated OpenAI client types (`openai_client::types`).
//!
//! Every sample is hand-written JSON in the shape the API really sends or accepts. Each test
//! checks the decoded Rust values and that encoding them again gives back the same JSON
//! (compared as `serde_json::Value`, so key order and whitespace do not matter).

use openai_client::types::{
    ChatCompletionMessageToolCall, ChatCompletionMessageToolCallFunction,
    ChatCompletionMessageToolCallsItem, ChatCompletionRequestMessage,
    ChatCompletionRequestMessageContentPartImage,
    ChatCompletionRequestMessageContentPartImageImageUrl,
    ChatCompletionRequestMessageContentPartImageImageUrlDetail,
    ChatCompletionRequestMessageContentPartText, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestSystemMessageContent, ChatCompletionRequestUserMessage,
    ChatCompletionRequestUserMessageContent, ChatCompletionRequestUserMessageContentPart,
    ChatCompletionResponseMessageRole, ChatCompletionStreamResponseDeltaRole,
    ChatCompletionToolChoiceOption, CompletionUsage, CreateChatCompletionRequest,
    CreateChatCompletionRequestResponseFormat, CreateChatCompletionRequestToolsItem,
    CreateChatCompletionResponse, CreateChatCompletionResponseChoicesItemFinishReason,
    CreateChatCompletionStreamResponse, CreateChatCompletionStreamResponseChoicesItemFinishReason,
    ModelIdsShared, ServiceTier, StopConfiguration,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `sample` as a `T`, failing with the path of the offending field, and checks that
/// encoding the result gives `sample` back unchanged.
fn round_trip<T: DeserializeOwned + Serialize>(sample: &Value) -> T {
    let text = sample.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    let decoded: T = serde_path_to_error::deserialize(&mut de)
        .unwrap_or_else(|e| panic!("{} does not decode: {e}", std::any::type_name::<T>()));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(
        &encoded,
        sample,
        "{} does not re-encode to what it decoded",
        std::any::type_name::<T>()
    );
    decoded
}

/// Encodes `value` as a JSON value.
fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

fn chat_completion_sample() -> Value {
    json!({
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion",
        "created": 1741570283,
        "model": "gpt-4o-2024-08-06",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": null,
                    "refusal": null,
                    "tool_calls": [
                        {
                            "id": "call_abc123",
                            "type": "function",
                            "function": {
                                "name": "get_current_weather",
                                "arguments": "{\"location\":\"Boston, MA\",\"unit\":\"celsius\"}"
                            }
                        }
                    ],
                    "annotations": []
                },
                "logprobs": null,
                "finish_reason": "tool_calls"
            },
            {
                "index": 1,
                "message": {
                    "role": "assistant",
                    "content": "Hi",
                    "refusal": null
                },
                "logprobs": {
                    "content": [
                        {
                            "token": "Hi",
                            "logprob": -0.31725305,
                            "bytes": [72, 105],
                            "top_logprobs": [
                                { "token": "Hi", "logprob": -0.31725305, "bytes": [72, 105] },
                                { "token": "Hello", "logprob": -1.3190403, "bytes": null }
                            ]
                        }
                    ],
                    "refusal": null
                },
                "finish_reason": "stop"
            }
        ],
        "usage": {
            "prompt_tokens": 82,
            "completion_tokens": 18,
            "total_tokens": 100,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0
            }
        },
        "service_tier": "default",
        "system_fingerprint": "fp_fc9f1d7035"
    })
}

/// (1) A realistic chat completion with a tool call, `logprobs: null`, logprobs, usage.
#[test]
fn chat_completion_response_round_trips() {
    let response: CreateChatCompletionResponse = round_trip(&chat_completion_sample());

    assert_eq!(response.id, "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    assert_eq!(response.object.as_str(), "chat.completion");
    assert_eq!(response.created, 1741570283);
    assert_eq!(response.model, "gpt-4o-2024-08-06");
    assert_eq!(response.service_tier, Some(Some(ServiceTier::Default)));
    assert_eq!(response.metadata, None);
    assert_eq!(response.moderation, None);
    #[allow(deprecated)]
    let fingerprint = response.system_fingerprint.as_deref();
    assert_eq!(fingerprint, Some("fp_fc9f1d7035"));

    assert_eq!(response.choices.len(), 2);
    let first = &response.choices[0];
    assert_eq!(first.index, 0);
    assert_eq!(
        first.finish_reason,
        CreateChatCompletionResponseChoicesItemFinishReason::ToolCalls
    );
    assert_eq!(
        first.logprobs, None,
        "`logprobs: null` is required and nullable: `None`"
    );
    assert_eq!(
        first.message.role,
        ChatCompletionResponseMessageRole::Assistant
    );
    assert_eq!(first.message.content, None);
    assert_eq!(first.message.refusal, None);
    assert_eq!(first.message.annotations, Some(vec![]));
    let tool_calls = first.message.tool_calls.as_ref().expect("tool_calls");
    assert_eq!(tool_calls.len(), 1);
    let ChatCompletionMessageToolCallsItem::Function(call) = &tool_calls[0] else {
        panic!(
            "a `type: function` tool call decodes as `Function`: {:?}",
            tool_calls[0]
        );
    };
    assert_eq!(
        call,
        &ChatCompletionMessageToolCall::new(
            "call_abc123",
            ChatCompletionMessageToolCallFunction::new(
                "get_current_weather",
                r#"{"location":"Boston, MA","unit":"celsius"}"#,
            ),
        )
    );
    assert_eq!(call.type_.as_str(), "function");

    let second = &response.choices[1];
    assert_eq!(
        second.finish_reason,
        CreateChatCompletionResponseChoicesItemFinishReason::Stop
    );
    assert_eq!(second.message.content.as_deref(), Some("Hi"));
    assert_eq!(second.message.tool_calls, None);
    assert_eq!(second.message.annotations, None);
    let logprobs = second.logprobs.as_ref().expect("logprobs");
    assert_eq!(logprobs.refusal, None);
    let tokens = logprobs.content.as_ref().expect("logprobs.content");
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].token, "Hi");
    assert_eq!(tokens[0].logprob, -0.31725305);
    assert_eq!(tokens[0].bytes, Some(vec![72, 105]));
    assert_eq!(tokens[0].top_logprobs.len(), 2);
    assert_eq!(tokens[0].top_logprobs[1].token, "Hello");
    assert_eq!(tokens[0].top_logprobs[1].bytes, None);

    let usage = response.usage.as_ref().expect("usage");
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (82, 18, 100)
    );
    let prompt_details = usage
        .prompt_tokens_details
        .as_ref()
        .expect("prompt_tokens_details");
    assert_eq!(prompt_details.cached_tokens, Some(0));
    assert_eq!(prompt_details.image_tokens, None);
    let completion_details = usage
        .completion_tokens_details
        .as_ref()
        .expect("completion_tokens_details");
    assert_eq!(completion_details.reasoning_tokens, Some(0));
    assert_eq!(completion_details.text_tokens, None);
}

/// A minimal usage object (only the three counts) stays minimal.
#[test]
fn completion_usage_without_details_round_trips() {
    let usage: CompletionUsage =
        round_trip(&json!({"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21}));
    assert_eq!(usage, CompletionUsage::new(12, 9, 21));
}

/// (2) Streamed chunks: the first (role), a tool-call fragment, the last (finish reason) and
/// the usage-only chunk of `stream_options.include_usage`.
#[test]
fn chat_completion_stream_chunks_round_trip() {
    let first = json!({
        "id": "chatcmpl-123",
        "object": "chat.completion.chunk",
        "created": 1694268190,
        "model": "gpt-4o-mini",
        "system_fingerprint": "fp_44709d6fcb",
        "service_tier": "default",
        "choices": [
            {
                "index": 0,
                "delta": { "role": "assistant", "content": "", "refusal": null },
                "logprobs": null,
                "finish_reason": null
            }
        ],
        "usage": null,
        "obfuscation": "a1b2c3"
    });
    let chunk: CreateChatCompletionStreamResponse = round_trip(&first);
    assert_eq!(chunk.id, "chatcmpl-123");
    assert_eq!(chunk.object.as_str(), "chat.completion.chunk");
    assert_eq!(chunk.created, 1694268190);
    assert_eq!(chunk.model, "gpt-4o-mini");
    assert_eq!(chunk.obfuscation.as_deref(), Some("a1b2c3"));
    assert_eq!(chunk.service_tier, Some(Some(ServiceTier::Default)));
    assert_eq!(
        chunk.usage,
        Some(None),
        "`usage: null` is kept as an explicit null"
    );
    let choice = &chunk.choices[0];
    assert_eq!(choice.index, 0);
    assert_eq!(choice.finish_reason, None);
    assert_eq!(choice.logprobs, Some(None));
    assert_eq!(
        choice.delta.role,
        Some(ChatCompletionStreamResponseDeltaRole::Assistant)
    );
    assert_eq!(choice.delta.content, Some(Some(String::new())));
    assert_eq!(choice.delta.refusal, Some(None));
    assert_eq!(choice.delta.tool_calls, None);

    let tool_fragment = json!({
        "id": "chatcmpl-123",
        "object": "chat.completion.chunk",
        "created": 1694268190,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "delta": {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_abc123",
                            "type": "function",
                            "function": { "name": "get_current_weather", "arguments": "" }
                        },
                        { "index": 0, "function": { "arguments": "{\"loc" } }
                    ]
                },
                "finish_reason": null
            }
        ]
    });
    let chunk: CreateChatCompletionStreamResponse = round_trip(&tool_fragment);
    assert_eq!(chunk.service_tier, None);
    assert_eq!(chunk.usage, None);
    let choice = &chunk.choices[0];
    assert_eq!(choice.logprobs, None, "absent `logprobs` stays absent");
    assert_eq!(choice.delta.role, None);
    assert_eq!(choice.delta.content, None);
    let calls = choice.delta.tool_calls.as_ref().expect("tool_calls");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].id.as_deref(), Some("call_abc123"));
    assert_eq!(calls[0].type_.map(|t| t.as_str()), Some("function"));
    let function = calls[0].function.as_ref().expect("function");
    assert_eq!(function.name.as_deref(), Some("get_current_weather"));
    assert_eq!(function.arguments.as_deref(), Some(""));
    assert_eq!(calls[1].id, None);
    assert_eq!(calls[1].type_, None);
    let function = calls[1].function.as_ref().expect("function");
    assert_eq!(function.name, None);
    assert_eq!(function.arguments.as_deref(), Some("{\"loc"));

    let last = json!({
        "id": "chatcmpl-123",
        "object": "chat.completion.chunk",
        "created": 1694268190,
        "model": "gpt-4o-mini",
        "choices": [
            { "index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop" }
        ]
    });
    let chunk: CreateChatCompletionStreamResponse = round_trip(&last);
    assert_eq!(
        chunk.choices[0].finish_reason,
        Some(CreateChatCompletionStreamResponseChoicesItemFinishReason::Stop)
    );

    let usage_only = json!({
        "id": "chatcmpl-123",
        "object": "chat.completion.chunk",
        "created": 1694268190,
        "model": "gpt-4o-mini",
        "choices": [],
        "usage": { "prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21 }
    });
    let chunk: CreateChatCompletionStreamResponse = round_trip(&usage_only);
    assert!(chunk.choices.is_empty());
    assert_eq!(chunk.usage, Some(Some(CompletionUsage::new(12, 9, 21))));
}

/// A chunk of another object type is refused: `object` is a constant.
#[test]
fn stream_chunk_object_is_a_constant() {
    let wrong = json!({
        "id": "chatcmpl-123",
        "object": "chat.completion",
        "created": 1694268190,
        "model": "gpt-4o-mini",
        "choices": []
    });
    assert!(serde_json::from_value::<CreateChatCompletionStreamResponse>(wrong).is_err());
}

/// (3) Enum values this client does not know decode into `Other` and re-encode unchanged.
#[test]
fn unknown_enum_values_are_kept() {
    let mut sample = chat_completion_sample();
    sample["service_tier"] = json!("ultra");
    sample["choices"][1]["finish_reason"] = json!("brand_new_reason");
    let response: CreateChatCompletionResponse = round_trip(&sample);
    assert_eq!(
        response.service_tier,
        Some(Some(ServiceTier::Other("ultra".into())))
    );
    let reason = &response.choices[1].finish_reason;
    assert_eq!(
        reason,
        &CreateChatCompletionResponseChoicesItemFinishReason::Other("brand_new_reason".into())
    );
    assert_eq!(reason.as_str(), "brand_new_reason");
    assert_eq!(reason.to_string(), "brand_new_reason");

    let chunk = json!({
        "id": "chatcmpl-123",
        "object": "chat.completion.chunk",
        "created": 1694268190,
        "model": "gpt-4o-mini",
        "service_tier": "ultra",
        "choices": [
            {
                "index": 0,
                "delta": { "role": "narrator", "content": "Once" },
                "finish_reason": "brand_new_reason"
            }
        ]
    });
    let chunk: CreateChatCompletionStreamResponse = round_trip(&chunk);
    assert_eq!(
        chunk.service_tier,
        Some(Some(ServiceTier::Other("ultra".into())))
    );
    assert_eq!(
        chunk.choices[0].finish_reason,
        Some(
            CreateChatCompletionStreamResponseChoicesItemFinishReason::Other(
                "brand_new_reason".into()
            )
        )
    );
    assert_eq!(
        chunk.choices[0].delta.role,
        Some(ChatCompletionStreamResponseDeltaRole::Other(
            "narrator".into()
        ))
    );

    // The conversions agree with decoding.
    assert_eq!(
        ServiceTier::from("ultra"),
        ServiceTier::Other("ultra".into())
    );
    assert_eq!(ServiceTier::from("flex"), ServiceTier::Flex);
    assert_eq!(
        ServiceTier::from(String::from("priority")),
        ServiceTier::Priority
    );
    assert_eq!(
        "ultra".parse::<ServiceTier>(),
        Ok(ServiceTier::Other("ultra".into()))
    );
    assert_eq!(encode(&ServiceTier::Other("ultra".into())), json!("ultra"));
}

/// (4) Union members this client does not know are kept whole in `Unknown`.
#[test]
fn unknown_union_tags_are_kept() {
    // A message with a role this client does not know.
    let critic = json!({
        "role": "critic",
        "content": "Too long.",
        "severity": 3,
        "nested": { "a": [1, 2.5, null, true] }
    });
    let message: ChatCompletionRequestMessage = round_trip(&critic);
    assert_eq!(
        message,
        ChatCompletionRequestMessage::Unknown(critic.clone())
    );

    // A message without a role at all is not one of the known members either.
    let roleless = json!({ "content": "who am I?" });
    let message: ChatCompletionRequestMessage = round_trip(&roleless);
    assert_eq!(
        message,
        ChatCompletionRequestMessage::Unknown(roleless.clone())
    );

    // A user content part of a type this client does not know, next to a known one.
    let user = json!({
        "role": "user",
        "content": [
            { "type": "text", "text": "What is this?" },
            { "type": "hologram", "hologram": { "id": "holo_1", "fps": 60 } }
        ]
    });
    let message: ChatCompletionRequestMessage = round_trip(&user);
    let ChatCompletionRequestMessage::User(user_message) = &message else {
        panic!("a `role: user` message decodes as `User`: {message:?}");
    };
    let ChatCompletionRequestUserMessageContent::ArrayOfContentParts(parts) = &user_message.content
    else {
        panic!(
            "an array of parts decodes as `ArrayOfContentParts`: {:?}",
            user_message.content
        );
    };
    assert_eq!(
        parts,
        &vec![
            ChatCompletionRequestUserMessageContentPart::Text(
                ChatCompletionRequestMessageContentPartText::new("What is this?")
            ),
            ChatCompletionRequestUserMessageContentPart::Unknown(
                json!({ "type": "hologram", "hologram": { "id": "holo_1", "fps": 60 } })
            ),
        ]
    );

    // The content part on its own.
    let hologram = json!({ "type": "hologram", "hologram": { "id": "holo_1" } });
    let part: ChatCompletionRequestUserMessageContentPart = round_trip(&hologram);
    assert_eq!(
        part,
        ChatCompletionRequestUserMessageContentPart::Unknown(hologram.clone())
    );

    // A tool call of a type this client does not know, inside a response.
    let mut sample = chat_completion_sample();
    let laser = json!({ "id": "call_z", "type": "laser", "laser": { "power": 9000 } });
    sample["choices"][0]["message"]["tool_calls"]
        .as_array_mut()
        .expect("tool_calls")
        .push(laser.clone());
    let response: CreateChatCompletionResponse = round_trip(&sample);
    let tool_calls = response.choices[0]
        .message
        .tool_calls
        .as_ref()
        .expect("tool_calls");
    assert!(matches!(
        tool_calls[0],
        ChatCompletionMessageToolCallsItem::Function(_)
    ));
    assert_eq!(
        tool_calls[1],
        ChatCompletionMessageToolCallsItem::Unknown(laser)
    );

    // Unknown members inside a whole request survive too.
    let request = json!({
        "model": "gpt-4o",
        "messages": [ { "role": "system", "content": "Be brief." }, critic, user ]
    });
    let request: CreateChatCompletionRequest = round_trip(&request);
    assert!(matches!(
        request.messages[0],
        ChatCompletionRequestMessage::System(_)
    ));
    assert!(matches!(
        request.messages[1],
        ChatCompletionRequestMessage::Unknown(_)
    ));
    assert!(matches!(
        request.messages[2],
        ChatCompletionRequestMessage::User(_)
    ));
}

fn hello() -> Vec<ChatCompletionRequestMessage> {
    vec![ChatCompletionRequestUserMessage::new("Hello!").into()]
}

/// (5) An optional, nullable request field: absent, `null` and a value are three states.
#[test]
fn optional_nullable_field_has_three_states() {
    let expected_messages = json!([{ "role": "user", "content": "Hello!" }]);

    // Absent: not set at all.
    let absent = CreateChatCompletionRequest::new(hello(), "gpt-4o");
    assert_eq!(absent.temperature, None);
    assert_eq!(
        encode(&absent),
        json!({ "model": "gpt-4o", "messages": expected_messages })
    );

    // Explicit null (there is no setter for it: the field is public).
    let mut null = CreateChatCompletionRequest::new(hello(), "gpt-4o");
    null.temperature = Some(None);
    assert_eq!(
        encode(&null),
        json!({ "model": "gpt-4o", "messages": expected_messages, "temperature": null })
    );

    // A value, through the setter.
    let value = CreateChatCompletionRequest::new(hello(), "gpt-4o").temperature(0.2);
    assert_eq!(value.temperature, Some(Some(0.2)));
    assert_eq!(
        encode(&value),
        json!({ "model": "gpt-4o", "messages": expected_messages, "temperature": 0.2 })
    );
    let json = serde_json::to_string(&value).expect("encodes");
    assert!(json.contains(r#""temperature":0.2"#), "{json}");

    // Decoding tells the three apart, and writes each back as it was.
    let decoded: CreateChatCompletionRequest =
        round_trip(&json!({ "model": "gpt-4o", "messages": [], "temperature": null }));
    assert_eq!(decoded.temperature, Some(None));
    let decoded: CreateChatCompletionRequest =
        round_trip(&json!({ "model": "gpt-4o", "messages": [] }));
    assert_eq!(decoded.temperature, None);
    let decoded: CreateChatCompletionRequest =
        round_trip(&json!({ "model": "gpt-4o", "messages": [], "temperature": 0.7 }));
    assert_eq!(decoded.temperature, Some(Some(0.7)));

    // The same for a nullable field of another type.
    let decoded: CreateChatCompletionRequest = round_trip(&json!({
        "model": "gpt-4o", "messages": [], "max_completion_tokens": null, "store": false,
        "service_tier": null
    }));
    assert_eq!(decoded.max_completion_tokens, Some(None));
    assert_eq!(decoded.store, Some(Some(false)));
    assert_eq!(decoded.service_tier, Some(None));
    assert_eq!(decoded.top_p, None);
}

/// (6) The user content is a string or an array of parts; the model is an open enum.
#[test]
fn untagged_union_and_model_ids() {
    let text: ChatCompletionRequestUserMessageContent = round_trip(&json!("Hello!"));
    assert_eq!(
        text,
        ChatCompletionRequestUserMessageContent::TextContent("Hello!".into())
    );
    assert_eq!(
        ChatCompletionRequestUserMessageContent::from("Hello!"),
        text
    );
    assert_eq!(
        ChatCompletionRequestUserMessageContent::from(String::from("Hello!")),
        text
    );

    let array = json!([
        { "type": "text", "text": "Describe this image." },
        { "type": "image_url", "image_url": { "url": "https://example.com/cat.png", "detail": "high" } }
    ]);
    let parts: ChatCompletionRequestUserMessageContent = round_trip(&array);
    let expected: ChatCompletionRequestUserMessageContent = vec![
        ChatCompletionRequestUserMessageContentPart::from(
            ChatCompletionRequestMessageContentPartText::new("Describe this image."),
        ),
        ChatCompletionRequestMessageContentPartImage::new(
            ChatCompletionRequestMessageContentPartImageImageUrl::new(
                "https://example.com/cat.png",
            )
            .detail(ChatCompletionRequestMessageContentPartImageImageUrlDetail::High),
        )
        .into(),
    ]
    .into();
    assert_eq!(parts, expected);
    assert_eq!(encode(&expected), array);

    let empty: ChatCompletionRequestUserMessageContent = round_trip(&json!([]));
    assert_eq!(
        empty,
        ChatCompletionRequestUserMessageContent::ArrayOfContentParts(vec![])
    );

    // Neither a string nor an array.
    let odd: ChatCompletionRequestUserMessageContent = round_trip(&json!({ "text": "hi" }));
    assert_eq!(
        odd,
        ChatCompletionRequestUserMessageContent::Unknown(json!({ "text": "hi" }))
    );

    // `From<&str>` makes the constructor take a plain string.
    let message = ChatCompletionRequestUserMessage::new("Hi there");
    assert_eq!(
        message.content,
        ChatCompletionRequestUserMessageContent::TextContent("Hi there".into())
    );
    assert_eq!(
        encode(&message),
        json!({ "role": "user", "content": "Hi there" })
    );

    // The model: known ids are variants, anything else is `Other`, both written as given.
    assert_eq!(ModelIdsShared::from("gpt-4o"), ModelIdsShared::Gpt4o);
    assert_eq!(
        ModelIdsShared::from("gpt-4o-mini"),
        ModelIdsShared::Gpt4oMini
    );
    assert_eq!(
        ModelIdsShared::from("my-fine-tune"),
        ModelIdsShared::Other("my-fine-tune".into())
    );
    let known: ModelIdsShared = round_trip(&json!("gpt-4o"));
    assert_eq!(known, ModelIdsShared::Gpt4o);
    assert_eq!(known.as_str(), "gpt-4o");
    let custom: ModelIdsShared = round_trip(&json!("ft:gpt-4o-mini:acme::abc123"));
    assert_eq!(
        custom,
        ModelIdsShared::Other("ft:gpt-4o-mini:acme::abc123".into())
    );
    let request = CreateChatCompletionRequest::new(hello(), "my-fine-tune");
    assert_eq!(request.model, ModelIdsShared::Other("my-fine-tune".into()));
    assert_eq!(encode(&request)["model"], json!("my-fine-tune"));
}

/// (7) A full request built with constructors and setters is exactly the JSON one would write.
#[test]
fn chat_request_builds_ergonomically() {
    let request = CreateChatCompletionRequest::new(
        vec![
            ChatCompletionRequestSystemMessage::new("You are a helpful assistant.").into(),
            ChatCompletionRequestUserMessage::new("What is the capital of France?")
                .name("alice")
                .into(),
        ],
        ModelIdsShared::Gpt4o,
    );
    assert_eq!(
        encode(&request),
        json!({
            "model": "gpt-4o",
            "messages": [
                { "role": "system", "content": "You are a helpful assistant." },
                { "role": "user", "content": "What is the capital of France?", "name": "alice" }
            ]
        })
    );
    let ChatCompletionRequestMessage::System(system) = &request.messages[0] else {
        panic!("system message: {:?}", request.messages[0]);
    };
    assert_eq!(
        system.content,
        ChatCompletionRequestSystemMessageContent::TextContent(
            "You are a helpful assistant.".into()
        )
    );
    assert_eq!(system.role.as_str(), "system");

    // The same with a few options set: only those appear.
    let request = CreateChatCompletionRequest::new(
        vec![
            ChatCompletionRequestSystemMessage::new("You are terse.").into(),
            ChatCompletionRequestUserMessage::new(vec![
                ChatCompletionRequestMessageContentPartText::new("Summarise:").into(),
                ChatCompletionRequestMessageContentPartText::new("a long text").into(),
            ])
            .into(),
        ],
        "gpt-4o-mini",
    )
    .temperature(0.5)
    .max_completion_tokens(256)
    .service_tier(ServiceTier::Flex)
    .store(false);
    let expected = json!({
        "model": "gpt-4o-mini",
        "messages": [
            { "role": "system", "content": "You are terse." },
            {
                "role": "user",
                "content": [
                    { "type": "text", "text": "Summarise:" },
                    { "type": "text", "text": "a long text" }
                ]
            }
        ],
        "temperature": 0.5,
        "max_completion_tokens": 256,
        "service_tier": "flex",
        "store": false
    });
    assert_eq!(encode(&request), expected);
    let decoded: CreateChatCompletionRequest = round_trip(&expected);
    assert_eq!(decoded, request);
}

/// A request using most of the chat features (every message role, tools, tool choice,
/// response format, stop, logit bias, streaming options) and a response with annotations
/// round-trip unchanged, each union member decoding as the right variant.
#[test]
#[allow(deprecated)] // `seed`, `user`
fn full_featured_request_and_response_round_trip() {
    let request = json!({
        "model": "gpt-4o",
        "messages": [
            { "role": "developer", "content": [ { "type": "text", "text": "Rules." } ] },
            { "role": "user", "content": "Weather in Boston?" },
            {
                "role": "assistant",
                "content": null,
                "tool_calls": [
                    { "id": "call_1", "type": "function", "function": { "name": "get_weather", "arguments": "{}" } }
                ]
            },
            { "role": "tool", "tool_call_id": "call_1", "content": "22C" },
            { "role": "user", "content": [
                { "type": "input_audio", "input_audio": { "data": "AAAA", "format": "wav" } },
                { "type": "file", "file": { "file_id": "file-1" } }
            ] }
        ],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "description": "Weather",
                    "parameters": { "type": "object", "properties": { "loc": { "type": "string" } }, "required": ["loc"], "additionalProperties": false },
                    "strict": true
                }
            }
        ],
        "tool_choice": "auto",
        "parallel_tool_calls": false,
        "response_format": {
            "type": "json_schema",
            "json_schema": { "name": "w", "schema": { "type": "object" }, "strict": true }
        },
        "stop": ["\n", "END"],
        "logit_bias": { "50256": -100 },
        "metadata": { "k": "v" },
        "stream": true,
        "stream_options": { "include_usage": true },
        "n": 1,
        "seed": 42,
        "top_p": 0.9,
        "reasoning_effort": "low",
        "modalities": ["text"],
        "user": "u"
    });
    let decoded: CreateChatCompletionRequest = round_trip(&request);
    let roles: Vec<_> = decoded
        .messages
        .iter()
        .map(|m| match m {
            ChatCompletionRequestMessage::Developer(_) => "developer",
            ChatCompletionRequestMessage::User(_) => "user",
            ChatCompletionRequestMessage::Assistant(_) => "assistant",
            ChatCompletionRequestMessage::Tool(_) => "tool",
            _ => "other",
        })
        .collect();
    assert_eq!(roles, ["developer", "user", "assistant", "tool", "user"]);
    let ChatCompletionRequestMessage::Assistant(assistant) = &decoded.messages[2] else {
        unreachable!()
    };
    assert_eq!(assistant.content, Some(None));
    assert_eq!(assistant.refusal, None);
    let ChatCompletionRequestMessage::User(audio_and_file) = &decoded.messages[4] else {
        unreachable!()
    };
    let ChatCompletionRequestUserMessageContent::ArrayOfContentParts(parts) =
        &audio_and_file.content
    else {
        panic!("{:?}", audio_and_file.content)
    };
    assert!(matches!(
        parts[0],
        ChatCompletionRequestUserMessageContentPart::InputAudio(_)
    ));
    assert!(matches!(
        parts[1],
        ChatCompletionRequestUserMessageContentPart::File(_)
    ));
    let tools = decoded.tools.as_ref().expect("tools");
    assert!(matches!(
        tools[0],
        CreateChatCompletionRequestToolsItem::Function(_)
    ));
    assert!(matches!(
        decoded.tool_choice,
        Some(ChatCompletionToolChoiceOption::ToolChoiceMode(_))
    ));
    assert_eq!(decoded.parallel_tool_calls, Some(false));
    assert!(matches!(
        decoded.response_format,
        Some(CreateChatCompletionRequestResponseFormat::JsonSchema(_))
    ));
    assert_eq!(
        decoded.stop,
        Some(Some(StopConfiguration::Array(vec![
            "\n".into(),
            "END".into()
        ])))
    );
    assert_eq!(
        decoded
            .logit_bias
            .as_ref()
            .and_then(|b| b.as_ref())
            .map(|b| b["50256"]),
        Some(-100)
    );
    assert_eq!(decoded.seed, Some(Some(42)));
    assert_eq!(decoded.user.as_deref(), Some("u"));
    let mut r2 = request.clone();
    r2["tool_choice"] = json!({ "type": "function", "function": { "name": "get_weather" } });
    r2["stop"] = json!("END");
    r2["response_format"] = json!({ "type": "json_object" });
    let decoded: CreateChatCompletionRequest = round_trip(&r2);
    assert!(matches!(
        decoded.tool_choice,
        Some(ChatCompletionToolChoiceOption::ChatCompletionNamedToolChoice(_))
    ));
    assert_eq!(
        decoded.stop,
        Some(Some(StopConfiguration::Text("END".into())))
    );
    assert!(matches!(
        decoded.response_format,
        Some(CreateChatCompletionRequestResponseFormat::JsonObject(_))
    ));
    let mut r3 = request.clone();
    r3["tool_choice"] = json!("required");
    r3["response_format"] = json!({ "type": "text" });
    r3["tools"] =
        json!([{ "type": "custom", "custom": { "name": "x", "format": { "type": "text" } } }]);
    r3["stop"] = json!(null);
    let decoded: CreateChatCompletionRequest = round_trip(&r3);
    assert!(matches!(
        decoded.response_format,
        Some(CreateChatCompletionRequestResponseFormat::Text(_))
    ));
    assert!(matches!(
        decoded.tools.as_ref().expect("tools")[0],
        CreateChatCompletionRequestToolsItem::Custom(_)
    ));
    assert_eq!(decoded.stop, Some(None));
    let mut resp = chat_completion_sample();
    resp["choices"][1]["message"]["annotations"] = json!([
        { "type": "url_citation", "url_citation": { "end_index": 5, "start_index": 0, "title": "t", "url": "https://x" } }
    ]);
    resp["choices"][1]["message"]["audio"] = json!(null);
    resp["metadata"] = json!(null);
    let decoded: CreateChatCompletionResponse = round_trip(&resp);
    assert_eq!(decoded.metadata, Some(None));
    let message = &decoded.choices[1].message;
    assert_eq!(message.audio, Some(None));
    let annotations = message.annotations.as_ref().expect("annotations");
    assert_eq!(annotations[0].url_citation.url, "https://x");
    assert_eq!(annotations[0].url_citation.end_index, 5);
}
