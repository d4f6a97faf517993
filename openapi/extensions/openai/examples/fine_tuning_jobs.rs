//! Every fine-tuning job, across as many pages as there are: the stream fetches the next
//! page when it reaches the end of one.
//!
//! `OPENAI_API_KEY=… cargo run -p openai-client --example fine_tuning_jobs`

use openai_client::Client;
use openai_client::types::ListPaginatedFineTuningJobsParams;

#[tokio::main]
async fn main() -> Result<(), openai_client::Error> {
    let client = Client::from_env()?;
    let mut params = ListPaginatedFineTuningJobsParams::default();
    params.limit = Some(20); // per page
    let mut jobs = client.fine_tuning().jobs().list(params).into_stream();
    let mut count = 0;
    while let Some(job) = jobs.next().await {
        let job = job?;
        count += 1;
        println!("{} {:?} {}", job.id, job.status, job.model);
    }
    println!("{count} fine-tuning jobs");
    Ok(())
}
