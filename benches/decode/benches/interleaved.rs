//! The decode comparison in alternating rounds: ours, then theirs, then theirs, then ours, …
//! Criterion times each side in its own block of seconds, and on this shared machine the load
//! drifts by a third between blocks; alternating puts both sides under the same load, and the
//! median of the per-round ratios is what `cargo xtask bench` reports against the target.
//! Prints one line per input: `interleaved <group> <ours ns> <theirs ns> <median ratio>`.

use decode_bench::{
    large_completion, ours_completion, ours_stream, stream_body, theirs_completion, theirs_stream,
};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Rounds per input (after warm-up): enough for a stable median, a few seconds each.
const ROUNDS: usize = 61;
const WARM_UP: usize = 5;

fn time(f: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn compare(group: &str, mut ours: impl FnMut(), mut theirs: impl FnMut()) {
    for _ in 0..WARM_UP {
        ours();
        theirs();
    }
    let (mut ours_ns, mut theirs_ns, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate who goes first, so neither side always runs on a warmer cache.
        let (a, b) = if round % 2 == 0 {
            let a = time(&mut ours);
            (a, time(&mut theirs))
        } else {
            let b = time(&mut theirs);
            (time(&mut ours), b)
        };
        let (a, b) = (a.as_nanos() as f64, b.as_nanos() as f64);
        ours_ns.push(a);
        theirs_ns.push(b);
        ratios.push(a / b);
    }
    println!(
        "interleaved {group} {:.0} {:.0} {:.4}",
        median(&mut ours_ns),
        median(&mut theirs_ns),
        median(&mut ratios)
    );
}

fn main() {
    let bytes = large_completion();
    compare(
        "chat_completion",
        || drop(black_box(ours_completion(black_box(&bytes)))),
        || drop(black_box(theirs_completion(black_box(&bytes)))),
    );
    let pieces = stream_body();
    compare(
        "chat_stream_10k",
        || {
            black_box(ours_stream(black_box(&pieces)));
        },
        || {
            black_box(theirs_stream(black_box(&pieces)));
        },
    );
}
