//! Errors, retries and timeouts: what a failed call says, how retries are set, and a call
//! with a deadline of its own.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example errors_retries_timeouts`

use std::time::Duration;

use openai_client::runtime::ApiErrorKind;
use openai_client::{Client, ErrorKind};

#[tokio::main]
async fn main() -> Result<(), openai_client::Error> {
    // Rate limits (429), timeouts, connection errors and 5xx answers are retried with
    // backoff (honouring `retry-after`); here up to 3 times, each attempt within 30 s.
    let client = Client::builder()
        .max_retries(3)
        .timeout(Duration::from_secs(30))
        .build()?;

    // An API error: status, class, request id and the server's message.
    match client.models().retrieve("no-such-model").await {
        Ok(model) => println!("found {}", model.id),
        Err(err) => match err.kind() {
            ErrorKind::Api(api) if api.kind == ApiErrorKind::NotFound => println!(
                "not found (HTTP {}, request {}): {}",
                api.status.as_u16(),
                api.request_id.as_deref().unwrap_or("-"),
                api.message()
            ),
            _ => println!("failed: {err}"),
        },
    }

    // A call that may be rate limited first: the retries are invisible but for the time.
    let models = client.models().list().await?;
    println!("{} models (after any retries)", models.data.len());

    // One call with its own deadline and no retries.
    let quick = client
        .models()
        .list()
        .timeout(Duration::from_millis(500))
        .max_retries(0)
        .await;
    match quick {
        Ok(models) => println!("listed {} models within 500 ms", models.data.len()),
        Err(err) if err.is_timeout() => println!("timed out after 500 ms: {err}"),
        Err(err) => println!("failed: {err}"),
    }
    Ok(())
}
