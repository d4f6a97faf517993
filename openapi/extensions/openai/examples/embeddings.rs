//! Embeddings: two texts as vectors, and how close they are.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example embeddings`

use openai_client::Client;
use openai_client::types::{CreateEmbeddingRequest, CreateEmbeddingRequestInput};

fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b))
}

#[tokio::main]
async fn main() -> Result<(), openai_client::Error> {
    let client = Client::from_env()?;
    let texts = vec![
        "The cat sat on the mat.".to_owned(),
        "A kitten rests on a rug.".to_owned(),
    ];
    let request = CreateEmbeddingRequest::new(
        CreateEmbeddingRequestInput::Array(texts.clone()),
        "text-embedding-3-small",
    );
    let response = client.embeddings().create(request).await?;
    // A list of floats, or base64 with `encoding_format: "base64"`: `to_floats()` reads either.
    let vectors: Vec<Vec<f64>> = response
        .data
        .iter()
        .map(|embedding| embedding.embedding.to_floats().unwrap_or_default())
        .collect();
    for (embedding, vector) in response.data.iter().zip(&vectors) {
        println!("text {}: {} dimensions", embedding.index, vector.len());
    }
    if let [a, b] = vectors.as_slice() {
        println!("cosine similarity: {:.3}", cosine(a, b));
    }
    println!("tokens: {}", response.usage.total_tokens);
    Ok(())
}
