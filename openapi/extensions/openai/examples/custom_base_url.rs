//! Any server that speaks the OpenAI API: a base URL in code (or `OPENAI_BASE_URL`), a key
//! only if the server wants one, and extra headers. For Azure OpenAI see `openai_client::Azure`.
//!
//! `OPENAI_BASE_URL=http://127.0.0.1:11434/v1 cargo run -p openai-client --example custom_base_url`

use openai_client::Client;
use openai_client::runtime::AuthScheme;

#[tokio::main]
async fn main() -> Result<(), openai_client::Error> {
    let base_url =
        std::env::var("OPENAI_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:11434/v1".into());
    let mut builder = Client::builder()
        .base_url(&base_url)
        .default_header("x-client", "openai-client-example");
    // A local server often wants no key at all.
    if std::env::var("OPENAI_API_KEY").is_err() {
        builder = builder.auth(AuthScheme::None);
    }
    let client = builder.build()?;
    println!("talking to {}", client.base_url());
    let models = client.models().list().await?;
    for model in &models.data {
        println!("- {} (owned by {})", model.id, model.owned_by);
    }
    Ok(())
}
