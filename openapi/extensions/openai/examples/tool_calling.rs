//! A tool-calling round trip: the model asks for a function call, the program runs it and
//! sends the result back, and the model answers with it.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example tool_calling`

use openai_client::Client;
use openai_client::types::{
    ChatCompletionMessageToolCallsItem, ChatCompletionRequestAssistantMessage,
    ChatCompletionRequestMessage, ChatCompletionRequestToolMessage,
    ChatCompletionRequestUserMessage, ChatCompletionTool, CreateChatCompletionRequest,
    CreateChatCompletionRequestToolsItem, FunctionObject,
};
use serde_json::json;

/// The function the model may call.
fn get_weather(city: &str) -> String {
    json!({"city": city, "celsius": 21, "sky": "clear"}).to_string()
}

fn tools() -> Vec<CreateChatCompletionRequestToolsItem> {
    let parameters = json!({
        "type": "object",
        "properties": {"city": {"type": "string", "description": "A city name"}},
        "required": ["city"],
        "additionalProperties": false
    });
    let function = FunctionObject::new("get_weather")
        .description("The current weather in a city")
        .parameters(parameters.as_object().cloned().unwrap_or_default())
        .strict(true);
    vec![CreateChatCompletionRequestToolsItem::Function(
        ChatCompletionTool::new(function),
    )]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let model = "gpt-4o-mini";
    let mut messages: Vec<ChatCompletionRequestMessage> =
        vec![ChatCompletionRequestUserMessage::new("What's the weather in Paris?").into()];

    let request = CreateChatCompletionRequest::new(messages.clone(), model).tools(tools());
    let first = client.chat().completions().create(request).await?;
    let calls = first
        .choices
        .first()
        .and_then(|c| c.message.tool_calls.clone())
        .unwrap_or_default();
    if calls.is_empty() {
        println!(
            "no tool call; the model said: {:?}",
            first.choices[0].message.content
        );
        return Ok(());
    }

    // The assistant's turn with its tool calls, then one tool message per call.
    messages.push(
        ChatCompletionRequestAssistantMessage::new()
            .tool_calls(calls.clone())
            .into(),
    );
    for call in &calls {
        if let ChatCompletionMessageToolCallsItem::Function(call) = call {
            let arguments: serde_json::Value = serde_json::from_str(&call.function.arguments)?;
            let city = arguments["city"].as_str().unwrap_or("unknown");
            println!("calling {}({city})", call.function.name);
            let result = get_weather(city);
            messages.push(ChatCompletionRequestToolMessage::new(result, call.id.clone()).into());
        }
    }

    let request = CreateChatCompletionRequest::new(messages, model).tools(tools());
    let answer = client.chat().completions().create(request).await?;
    println!(
        "{}",
        answer.choices[0]
            .message
            .content
            .as_deref()
            .unwrap_or("(no text)")
    );
    Ok(())
}
