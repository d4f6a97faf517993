//! A batch: upload a JSONL file of requests, start a batch on it, and check its status.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example batch`

use openai_client::types::{
    CreateBatchRequest, CreateBatchRequestEndpoint, CreateFileRequest, CreateFileRequestPurpose,
};
use openai_client::{Client, InputFile};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), openai_client::Error> {
    let client = Client::from_env()?;

    // One request per line, each with an id of our own to match the results later.
    let lines: Vec<String> = ["Say hello.", "Say goodbye."]
        .iter()
        .enumerate()
        .map(|(i, prompt)| {
            json!({
                "custom_id": format!("request-{i}"),
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]}
            })
            .to_string()
        })
        .collect();
    let file = InputFile::from_bytes("requests.jsonl", lines.join("\n"));
    let uploaded = client
        .files()
        .create(CreateFileRequest::new(
            file,
            CreateFileRequestPurpose::Batch,
        ))
        .await?;
    println!("uploaded {} ({} bytes)", uploaded.id, uploaded.bytes);

    let batch = client
        .batches()
        .create(CreateBatchRequest::new(
            uploaded.id.clone(),
            CreateBatchRequestEndpoint::V1ChatCompletions,
        ))
        .await?;
    println!("batch {} is {:?}", batch.id, batch.status);

    let batch = client.batches().retrieve(&batch.id).await?;
    println!("batch {} is now {:?}", batch.id, batch.status);
    Ok(())
}
