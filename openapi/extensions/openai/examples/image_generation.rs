//! Image generation, saved to `image.png` in the current folder.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example image_generation`

use base64::Engine as _;
use openai_client::Client;
use openai_client::types::CreateImageRequest;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let request = CreateImageRequest::new("A lighthouse at dawn, watercolor").model("gpt-image-1");
    let response = client.images().generations().create(request).await?;
    let image = response
        .data
        .and_then(|data| data.into_iter().next())
        .ok_or("the response has no image")?;
    // GPT image models answer with base64 data; DALL·E may answer with a URL instead.
    let Some(data) = image.b64_json else {
        println!("image at {}", image.url.unwrap_or_default());
        return Ok(());
    };
    let bytes = base64::engine::general_purpose::STANDARD.decode(data)?;
    tokio::fs::write("image.png", &bytes).await?;
    println!("saved image.png ({} bytes)", bytes.len());
    Ok(())
}
