//! Decode speed, ours against async-openai, from identical in-memory bytes (see the
//! library's documentation for what each side does and why that is fair).
//! `cargo xtask bench` runs this and reads criterion's medians.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use decode_bench::{
    large_completion, ours_completion, ours_completion_plain, ours_stream, stream_body,
    theirs_completion, theirs_stream,
};
use std::hint::black_box;

fn completion(c: &mut Criterion) {
    let bytes = large_completion();
    let mut group = c.benchmark_group("chat_completion");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("openai-client", |b| {
        b.iter(|| ours_completion(black_box(&bytes)))
    });
    group.bench_function("async-openai", |b| {
        b.iter(|| theirs_completion(black_box(&bytes)))
    });
    // Not a comparison: where our time goes (the report shows it as a diagnostic).
    group.bench_function("openai-client-plain-serde", |b| {
        b.iter(|| ours_completion_plain(black_box(&bytes)))
    });
    group.finish();
}

fn stream(c: &mut Criterion) {
    let pieces = stream_body();
    let total: usize = pieces.iter().map(|p| p.len()).sum();
    let mut group = c.benchmark_group("chat_stream_10k");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(30);
    group.bench_function("openai-client", |b| {
        b.iter(|| ours_stream(black_box(&pieces)))
    });
    group.bench_function("async-openai", |b| {
        b.iter(|| theirs_stream(black_box(&pieces)))
    });
    group.finish();
}

criterion_group!(benches, completion, stream);
criterion_main!(benches);
