//! Structured output: the reply as a Rust value, from the JSON schema of its type.
//! Needs the `structured-outputs` feature.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --features structured-outputs --example structured_output`

use openai_client::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use openai_client::{Client, StructuredSchema};
use schemars::JsonSchema;
use serde::Deserialize;

/// A recipe.
#[derive(Debug, Deserialize, JsonSchema)]
struct Recipe {
    name: String,
    minutes: u32,
    ingredients: Vec<Ingredient>,
    /// Anything worth knowing; may be absent.
    tip: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Ingredient {
    name: String,
    grams: f64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let format = StructuredSchema::of::<Recipe>()?;
    let request = CreateChatCompletionRequest::new(
        vec![ChatCompletionRequestUserMessage::new("A quick pancake recipe, please.").into()],
        "gpt-4o-mini",
    )
    .response_format(format.response_format());

    let completion = client.chat().completions().create(request).await?;
    // A refusal, a reply cut short or one that is not a `Recipe` is a typed error.
    let recipe: Recipe = completion.parsed()?;
    println!("{} in {} minutes:", recipe.name, recipe.minutes);
    for ingredient in &recipe.ingredients {
        println!("- {} g {}", ingredient.grams, ingredient.name);
    }
    if let Some(tip) = recipe.tip {
        println!("tip: {tip}");
    }
    Ok(())
}
