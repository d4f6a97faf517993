//! A streamed chat completion: print the text as it arrives, then the whole completion that
//! `accumulate()` folded the chunks into.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example chat_stream`

use openai_client::Client;
use openai_client::types::{
    ChatCompletionRequestUserMessage, ChatCompletionStreamOptions, CreateChatCompletionRequest,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let request = CreateChatCompletionRequest::new(
        vec![ChatCompletionRequestUserMessage::new("Count from one to five.").into()],
        "gpt-4o-mini",
    )
    // Usage comes in a last chunk of its own.
    .stream_options(ChatCompletionStreamOptions::new().include_usage(true));

    let mut stream = client
        .chat()
        .completions()
        .create_stream(request)
        .await?
        .accumulate();
    while let Some(chunk) = stream.next().await {
        for choice in chunk?.choices {
            if let Some(Some(text)) = choice.delta.content {
                print!("{text}");
            }
        }
    }
    println!();

    // The stream's chunks, folded: an error if the stream stopped before it finished.
    let completion = stream.finish().await?;
    let choice = &completion.choices[0];
    println!(
        "completion {}: {} characters, finish reason {:?}",
        completion.id,
        choice.message.content.as_deref().unwrap_or_default().len(),
        choice.finish_reason
    );
    if let Some(usage) = completion.usage {
        println!(
            "tokens: {} in, {} out",
            usage.prompt_tokens, usage.completion_tokens
        );
    }
    Ok(())
}
