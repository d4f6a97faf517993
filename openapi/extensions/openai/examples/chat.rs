//! A chat completion: one question, one answer.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example chat` (`OPENAI_BASE_URL` points
//! it at another server).

use openai_client::Client;
use openai_client::types::{
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    CreateChatCompletionRequest,
};

#[tokio::main]
async fn main() -> Result<(), openai_client::Error> {
    let client = Client::from_env()?;
    let request = CreateChatCompletionRequest::new(
        vec![
            ChatCompletionRequestSystemMessage::new("Answer in one sentence.").into(),
            ChatCompletionRequestUserMessage::new("What is the capital of France?").into(),
        ],
        "gpt-4o-mini",
    );
    let completion = client.chat().completions().create(request).await?;
    for choice in &completion.choices {
        println!(
            "{}",
            choice.message.content.as_deref().unwrap_or("(no text)")
        );
    }
    if let Some(usage) = &completion.usage {
        println!(
            "tokens: {} in, {} out",
            usage.prompt_tokens, usage.completion_tokens
        );
    }
    Ok(())
}
