//! Mutation fuzzer for the whole pipeline (see README.md):
//!
//! `cargo run --release -- [--minutes M] [--seed N] [--seeds DIR]... [--crashes DIR]`
//!
//! Each execution takes a real document (a fixture, petstore, a slice of the OpenAI spec, or
//! a document from `--seeds`), applies one to six structure-aware edits (delete, hostile
//! value, type swap, `$ref` to anything, subtree copies, hostile names and path templates,
//! schema keywords), sometimes damages the text, and runs `openapi::load_str` →
//! `generator::generate` with panics caught. A panic, or emitted code that does not parse,
//! is a finding: it is minimised and written to the crash folder, once per location.

mod minimize;
mod mutate;
mod rng;
mod seeds;
mod target;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use target::Outcome;

struct Options {
    minutes: f64,
    seed: u64,
    seeds: Vec<PathBuf>,
    crashes: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        minutes: 1.0,
        seed: 1,
        seeds: Vec::new(),
        crashes: PathBuf::from("crashes"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--minutes" => o.minutes = value()?.parse().map_err(|e| format!("--minutes: {e}"))?,
            "--seed" => o.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--seeds" => o.seeds.push(value()?.into()),
            "--crashes" => o.crashes = value()?.into(),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(o)
}

#[derive(Default)]
struct Stats {
    executions: u64,
    outcomes: BTreeMap<&'static str, u64>,
    /// Signature → (first message, file written).
    findings: BTreeMap<String, (String, PathBuf)>,
}

fn main() {
    let options = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let seeds = seeds::load(&root, &options.seeds);
    if seeds.is_empty() {
        eprintln!("error: no seed documents found");
        std::process::exit(2);
    }
    eprintln!(
        "{} seed documents; running {} minutes",
        seeds.len(),
        options.minutes
    );
    std::fs::create_dir_all(&options.crashes).expect("crash folder");
    target::install_panic_hook();

    let executions = Arc::new(AtomicU64::new(0));
    let current = Arc::new(Mutex::new(String::new()));
    let deadline = Instant::now() + Duration::from_secs_f64(options.minutes * 60.0);
    let worker = {
        let executions = executions.clone();
        let current = current.clone();
        let crashes = options.crashes.clone();
        // Deep documents recurse deeply; room is reserved, not committed.
        std::thread::Builder::new()
            .stack_size(512 << 20)
            .spawn(move || {
                fuzz(
                    &seeds,
                    options.seed,
                    deadline,
                    &crashes,
                    &executions,
                    &current,
                )
            })
            .expect("worker thread")
    };
    // Watchdog: an input that takes a minute is a hang, and is a finding too.
    let mut last = (0, Instant::now());
    while !worker.is_finished() {
        std::thread::sleep(Duration::from_secs(1));
        let now = executions.load(Ordering::Relaxed);
        if now != last.0 {
            last = (now, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(60) {
            let file = options.crashes.join("hang.txt");
            let text = current.lock().map(|t| t.clone()).unwrap_or_default();
            let _ = std::fs::write(&file, text);
            eprintln!("HANG after {now} executions: input in {}", file.display());
            std::process::exit(3);
        }
    }
    let stats = worker.join().expect("worker");
    println!("executions: {}", stats.executions);
    for (outcome, n) in &stats.outcomes {
        println!("  {outcome}: {n}");
    }
    println!("findings: {}", stats.findings.len());
    for (signature, (message, file)) in &stats.findings {
        println!("  {signature}: {message} ({})", file.display());
    }
    if !stats.findings.is_empty() {
        std::process::exit(1);
    }
}

fn fuzz(
    seeds: &[(String, Value)],
    seed: u64,
    deadline: Instant,
    crashes: &std::path::Path,
    executions: &AtomicU64,
    current: &Mutex<String>,
) -> Stats {
    let mut rng = rng::Rng::new(seed);
    let mut stats = Stats::default();
    let started = Instant::now();
    let mut report = Instant::now();
    while Instant::now() < deadline {
        let (_, base) = rng.pick(seeds);
        let mut doc = if seeds::is_big(base) {
            seeds::slice(base, &mut rng)
        } else {
            base.clone()
        };
        // Now and then the unmutated document (a slice is new every time).
        let edits = if rng.chance(5) { 0 } else { 1 + rng.below(6) };
        for _ in 0..edits {
            mutate::mutate(&mut doc, &mut rng, seeds);
        }
        let yaml = rng.chance(30);
        let mut text = if yaml {
            serde_yaml::to_string(&doc).unwrap_or_default()
        } else if rng.chance(50) {
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        } else {
            doc.to_string()
        };
        let damaged = rng.chance(10);
        if damaged {
            mutate::damage(&mut text, &mut rng);
        }
        let file = if yaml { "fuzz.yaml" } else { "fuzz.json" };
        if let Ok(mut c) = current.lock() {
            c.clone_from(&text);
        }
        // A stack overflow or an abort ends the process uncaught: the input is on disk.
        let (ext, other) = if yaml {
            ("yaml", "json")
        } else {
            ("json", "yaml")
        };
        let _ = std::fs::write(crashes.join(format!("last-input.{ext}")), &text);
        let _ = std::fs::remove_file(crashes.join(format!("last-input.{other}")));
        let outcome = target::run(&text, file);
        stats.executions += 1;
        executions.fetch_add(1, Ordering::Relaxed);
        let name = match &outcome {
            Outcome::Rejected => "rejected by the loader (located error)",
            Outcome::NotGenerated => "rejected by the generator (located error)",
            Outcome::Generated => "generated",
            Outcome::Panic { .. } => "panicked",
            Outcome::BadCode { .. } => "emitted code that does not parse",
        };
        *stats.outcomes.entry(name).or_default() += 1;
        if let Some(signature) = outcome.signature()
            && !stats.findings.contains_key(&signature)
        {
            // Text damage cannot be replayed on the tree: such inputs are kept as they are.
            let small = if damaged {
                None
            } else {
                minimize::minimize(doc, &signature, 3000)
            };
            let (text, ext) = match small {
                Some(small) => (
                    serde_json::to_string_pretty(&small).unwrap_or_default(),
                    "json",
                ),
                None => (text, if yaml { "yaml" } else { "json" }),
            };
            let n = stats.findings.len() + 1;
            let file = crashes.join(format!("crash-{seed}-{n}.{ext}"));
            let _ = std::fs::write(&file, &text);
            let message = match &outcome {
                Outcome::Panic { message, .. } => message.clone(),
                Outcome::BadCode { message } => message.clone(),
                _ => String::new(),
            };
            eprintln!("FINDING {signature}: {message}\n  → {}", file.display());
            stats.findings.insert(signature, (message, file));
        }
        if report.elapsed() > Duration::from_secs(30) {
            report = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "{:>6.0}s {} executions ({:.0}/s), {} findings",
                secs,
                stats.executions,
                stats.executions as f64 / secs,
                stats.findings.len()
            );
        }
    }
    stats
}
