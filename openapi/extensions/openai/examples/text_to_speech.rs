//! Text to speech, saved to `speech.mp3` in the current folder.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example text_to_speech`

use openai_client::Client;
use openai_client::types::{CreateSpeechRequest, CreateSpeechRequestModel, VoiceIdsShared};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let request = CreateSpeechRequest::new(
        CreateSpeechRequestModel::Gpt4oMiniTts,
        "Hello from Rust!",
        VoiceIdsShared::from("coral"),
    );
    let audio = client.audio().speech().create(request).await?;
    tokio::fs::write("speech.mp3", &audio.bytes).await?;
    println!(
        "saved speech.mp3 ({} bytes, {})",
        audio.bytes.len(),
        audio.content_type.as_deref().unwrap_or("no content type")
    );
    Ok(())
}
