//! Running independent work on every core. Generation is CPU-bound (building, parsing and
//! printing ~150k lines of tokens), and `proc_macro2` tokens cannot cross threads, so each
//! job builds its own tokens from shared IR and returns plain values.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `run` on every job, on all cores; the results in the jobs' order. Jobs are started in
/// order, so long ones should come first (no core is left with a long tail).
pub fn map<J: Sync, R: Send>(jobs: &[J], run: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else {
                return done;
            };
            done.push((index, run(job)));
        }
    };
    let helpers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .saturating_sub(1);
    let mut done = thread::scope(|scope| {
        // A helper that cannot be started leaves its share to the others.
        let started: Vec<_> = (0..helpers)
            .filter_map(|_| thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut done = work();
        for helper in started {
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// `a` and `b` at the same time (`b` on another thread when one can be started).
pub fn join<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send + Copy) -> (A, B) {
    thread::scope(
        |scope| match thread::Builder::new().spawn_scoped(scope, b) {
            Ok(other) => {
                let a = a();
                let b = other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (a, b)
            }
            Err(_) => (a(), b()),
        },
    )
}
