//! The Responses API, streamed: print the text deltas, then the final response.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example responses_stream`

use openai_client::Client;
use openai_client::types::{CreateResponse, ModelIdsShared, ResponseStreamEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let request = CreateResponse::new()
        .model(ModelIdsShared::from("gpt-4o-mini"))
        .input("Write a haiku about the Rust borrow checker.".to_owned());

    let mut stream = client
        .responses()
        .create_stream(request)
        .await?
        .accumulate();
    while let Some(event) = stream.next().await {
        if let ResponseStreamEvent::ResponseOutputTextDelta(delta) = event? {
            print!("{}", delta.delta);
        }
    }
    println!();

    // The response the terminal event carries; an error if the stream ended before it.
    let response = stream.finish().await?;
    println!(
        "response {}: {:?}, {} output items",
        response.id,
        response.status,
        response.output.len()
    );
    if let Some(usage) = response.usage {
        println!(
            "tokens: {} in, {} out",
            usage.input_tokens, usage.output_tokens
        );
    }
    Ok(())
}
