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
    for embedding in &response.data {
        println!(
            "text {}: {} dimensions",
            embedding.index,
            embedding.embedding.len()
        );
    }
    if let [a, b] = response.data.as_slice() {
        println!(
            "cosine similarity: {:.3}",
            cosine(&a.embedding, &b.embedding)
        );
    }
    println!("tokens: {}", response.usage.total_tokens);
    Ok(())
}
