//! `cargo xtask bench`: generation speed and memory, generated code size, client compile
//! time (full and one resource group) against `async-openai`, and decode speed (the
//! criterion benches in `benches/decode`). Every figure is a median of several runs and
//! every comparison a ratio measured in the same run, because the machine is shared and
//! noisy. Prints a Markdown table and writes it to `<target>/bench-report.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// The async-openai version compared against (also pinned in `benches/decode/Cargo.toml`).
pub const ASYNC_OPENAI: &str = "0.43.0";

/// What to run, and how often.
#[derive(Debug, Clone)]
pub struct Options {
    /// Runs of each generation measurement.
    pub runs: usize,
    /// Runs of each cold compile measurement (each takes minutes).
    pub compile_runs: usize,
    pub skip_compile: bool,
    pub skip_decode: bool,
}

/// One measured child process.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User plus system CPU time of the process and its waited-for descendants: less
    /// disturbed than wall time by other load on a shared machine.
    cpu: Duration,
    /// Peak resident set of the process or its largest descendant, in bytes.
    peak_rss: u64,
}

/// Runs `cmd` to completion and measures it: wall time, and the peak RSS that `wait4`
/// reports (the largest of the child and every descendant it waited for, e.g. each rustc).
fn measure(cmd: &mut Command) -> anyhow::Result<Sample> {
    let shown = format!("{cmd:?}");
    let start = Instant::now();
    let child = cmd
        .spawn()
        .with_context(|| format!("cannot start {shown}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for (`child` is dropped without waiting);
    // `status` and `usage` are valid for writes.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if waited != pid {
        bail!("waiting for {shown}: {}", std::io::Error::last_os_error());
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        bail!("{shown} failed (wait status {status})");
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Sample {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak_rss: usage.ru_maxrss as u64 * 1024,
    })
}

fn median<T: Copy + PartialOrd>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

/// Medians of wall time and peak RSS over samples.
fn summarize(samples: &[Sample]) -> Sample {
    Sample {
        wall: median(samples.iter().map(|s| s.wall).collect()),
        cpu: median(samples.iter().map(|s| s.cpu).collect()),
        peak_rss: median(samples.iter().map(|s| s.peak_rss).collect()),
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Wall time with CPU time after it: `12.3 s (20.1 s CPU)`.
fn wall_cpu(s: Sample) -> String {
    format!(
        "{:.1} s ({:.1} s CPU)",
        s.wall.as_secs_f64(),
        s.cpu.as_secs_f64()
    )
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { f64::NAN } else { a / b }
}

/// The target folder cargo uses for this workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::project_root().join("target"))
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(crate::project_root());
    cmd
}

/// The report being written: Markdown sections and a verdict list.
#[derive(Default)]
struct Report {
    body: String,
    verdicts: Vec<String>,
}

impl Report {
    fn line(&mut self, text: impl AsRef<str>) {
        self.body.push_str(text.as_ref());
        self.body.push('\n');
    }

    /// Writes what is measured so far (a long run that is stopped still leaves figures).
    fn save_partial(&self) {
        let _ = write_report(&format!(
            "{}\n(incomplete: the run is still going or was stopped)\n",
            self.body
        ));
    }

    /// Records a target: met, or missed by how much and what would close it.
    fn target(&mut self, what: &str, met: bool, detail: String, closing: &str) {
        self.verdicts.push(if met {
            format!("- **met**: {what} ({detail})")
        } else {
            format!("- **missed**: {what} ({detail}). What would close it: {closing}")
        });
    }
}

/// Runs every measurement and returns the report's Markdown.
pub fn run(options: &Options) -> anyhow::Result<String> {
    let root = crate::project_root();
    let work = target_dir().join("bench");
    std::fs::create_dir_all(&work)?;
    let mut report = Report::default();
    report.line("# Benchmarks (`cargo xtask bench`)");
    report.line("");
    report.line(machine_line());
    report.line("");
    // The quick measurements first, so a stopped run still has them.
    generation(&root, &work, options, &mut report)?;
    code_size(&root, &mut report)?;
    report.save_partial();
    if !options.skip_decode {
        decode(&root, &work, &mut report)?;
        traffic(&root, &work, &mut report)?;
        report.save_partial();
    }
    if !options.skip_compile {
        compile(&root, &work, options, &mut report)?;
    }
    report.line("## Targets");
    report.line("");
    for verdict in &report.verdicts.clone() {
        report.line(verdict);
    }
    Ok(report.body)
}

fn machine_line() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    format!(
        "Measured {date} on {cpus} cores ({model}), {rustc}; load average {load} at the start \
         (the machine is shared: compare ratios, not absolute times)."
    )
}

/// 1. The release generator on the OpenAI spec against a release process that only parses
///    the same YAML into a `serde_json::Value`, alternating, `runs` times each.
fn generation(
    root: &Path,
    work: &Path,
    options: &Options,
    report: &mut Report,
) -> anyhow::Result<()> {
    eprintln!("bench: building the release generator");
    measure(cargo().args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "generator",
        "--bin",
        "generator",
        "--bin",
        "parse_floor",
    ]))?;
    let bin = target_dir().join("release");
    let config = crate::default_config();
    let spec = openapi::Config::from_file(&config)?.spec;
    let out = work.join("generated");
    let (mut generator, mut floor) = (Vec::new(), Vec::new());
    for run in 0..options.runs {
        eprintln!("bench: generation run {} of {}", run + 1, options.runs);
        let _ = std::fs::remove_dir_all(&out);
        generator.push(measure(
            Command::new(bin.join("generator"))
                .arg("--config")
                .arg(&config)
                .arg("--out")
                .arg(&out)
                .stderr(std::process::Stdio::null())
                .current_dir(root),
        )?);
        floor.push(measure(
            Command::new(bin.join("parse_floor"))
                .arg(&spec)
                .stdout(std::process::Stdio::null()),
        )?);
    }
    let (g, f) = (summarize(&generator), summarize(&floor));
    let time_ratio = ratio(g.wall.as_secs_f64(), f.wall.as_secs_f64());
    let cpu_ratio = ratio(g.cpu.as_secs_f64(), f.cpu.as_secs_f64());
    let rss_ratio = ratio(g.peak_rss as f64, f.peak_rss as f64);
    report.line(format!(
        "## 1. Generation (`openai.yaml`, release build, median of {} runs)",
        options.runs
    ));
    report.line("");
    report.line("| process | wall time | CPU time | peak RSS |");
    report.line("|---|---:|---:|---:|");
    report.line(format!(
        "| generator (load, lower, emit, format, write) | {} | {} | {} |",
        secs(g.wall),
        secs(g.cpu),
        mb(g.peak_rss)
    ));
    report.line(format!(
        "| parse floor (YAML → `serde_json::Value` only) | {} | {} | {} |",
        secs(f.wall),
        secs(f.cpu),
        mb(f.peak_rss)
    ));
    report.line(format!(
        "| **ratio generator / floor** | **{time_ratio:.2}×** | **{cpu_ratio:.2}×** | **{rss_ratio:.2}×** |"
    ));
    report.line("");
    let wall = g.wall.as_secs_f64();
    report.target(
        "generation under 1 s",
        wall < 1.0,
        format!("{wall:.2} s wall, {:.2} s CPU", g.cpu.as_secs_f64()),
        &format!(
            "{:.0}% less wall time. Where wall time is well above CPU time the machine was busy \
             and the process waited for a core. Emission already runs on every core \
             (`generator/src/parallel.rs`) and the binary allocates with mimalloc; the CPU time \
             left goes to re-parsing the `quote!` output with syn and printing it with \
             prettyplease (together about 40%), building the tokens, and the serial load and \
             lowering (about 0.3 s). Printing our own item model directly, without the syn round \
             trip, would close it",
            (1.0 - 1.0 / wall) * 100.0,
        ),
    );
    report.target(
        "generation peak RSS under 300 MB",
        g.peak_rss < 300_000_000,
        mb(g.peak_rss),
        "keep fewer copies of the document alive (raw `Value` plus the `openapiv3` model) and emit file by file",
    );
    report.target(
        "generation at most 4× the parse floor",
        time_ratio <= 4.0,
        format!("{time_ratio:.2}× wall, {cpu_ratio:.2}× CPU"),
        &format!(
            "{:.0}% less time after parsing: the floor is libyaml alone, while the generator also \
             converts the tree into the `openapiv3` model, lowers ~3,600 types and emits, \
             re-parses and pretty-prints ~150k lines; on two cores the formatting alone is \
             several floors. See the previous line",
            (1.0 - 4.0 / time_ratio) * 100.0
        ),
    );
    Ok(())
}

/// 2. Lines and bytes of the committed client's sources, and what they are made of.
fn code_size(root: &Path, report: &mut Report) -> anyhow::Result<()> {
    let src = root.join("generated-client/src");
    let mut files = Vec::new();
    collect_rs(&src, &mut files)?;
    files.sort();
    let mut rows = Vec::new();
    let (mut lines, mut bytes) = (0, 0);
    let (mut docs, mut cfgs, mut serde, mut types) = (0, 0, 0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file)?;
        let n = text.lines().count();
        lines += n;
        bytes += text.len();
        for line in text.lines() {
            let line = line.trim_start();
            if line.starts_with("///") || line.starts_with("//!") {
                docs += 1;
            } else if line.starts_with("#[cfg") || line.starts_with("feature = ") {
                cfgs += 1;
            } else if line.starts_with("#[serde") {
                serde += 1;
            }
        }
        if file.ends_with("types.rs") {
            types = text
                .lines()
                .filter(|l| {
                    l.starts_with("pub struct ")
                        || l.starts_with("pub enum ")
                        || l.starts_with("pub type ")
                })
                .count();
        }
        let name = file
            .strip_prefix(&src)
            .unwrap_or(file)
            .display()
            .to_string();
        rows.push((name, n, text.len()));
    }
    report.line("## 2. Generated code size (`generated-client/src`)");
    report.line("");
    report.line("| file | lines | bytes |");
    report.line("|---|---:|---:|");
    let runtime: (usize, usize) = rows
        .iter()
        .filter(|(name, ..)| name.starts_with("runtime"))
        .fold((0, 0), |(l, b), (_, n, s)| (l + n, b + s));
    for (name, n, size) in rows
        .iter()
        .filter(|(name, ..)| !name.starts_with("runtime"))
    {
        report.line(format!("| `{name}` | {n} | {size} |"));
    }
    report.line(format!(
        "| `runtime/` (hand-written, copied) | {} | {} |",
        runtime.0, runtime.1
    ));
    report.line(format!("| **total** | **{lines}** | **{bytes}** |"));
    report.line("");
    report.line(format!(
        "{types} types. Of all lines, {docs} ({:.0}%) are doc comments from the spec, {cfgs} ({:.0}%) \
         `#[cfg(feature)]` gates, {serde} ({:.0}%) serde attributes. What drives the size: one \
         struct or enum per schema and inline schema (every union member and nested object gets \
         a named type), a `new()` plus one setter per optional field on every struct, and the \
         spec's descriptions carried as rustdoc.",
        pct(docs, lines),
        pct(cfgs, lines),
        pct(serde, lines)
    ));
    report.line("");
    Ok(())
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// A crate whose cold compile is measured.
struct Subject {
    label: &'static str,
    /// Cargo arguments after the subcommand (`build`/`check`).
    args: Vec<String>,
    /// The package whose own compile is measured by `cargo clean -p` and a rebuild.
    package: &'static str,
    /// Where cargo runs (the workspace root, or a scratch crate).
    dir: PathBuf,
}

/// A scratch crate depending on async-openai with `features`, under `work`.
fn async_openai_scratch(work: &Path, name: &str, features: &[&str]) -> anyhow::Result<PathBuf> {
    let dir = work.join(name);
    std::fs::create_dir_all(dir.join("src"))?;
    let features = features
        .iter()
        .map(|f| format!("{f:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "# Written by `cargo xtask bench`: a crate that only builds async-openai.\n\
             [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nasync-openai = {{ version = \"={ASYNC_OPENAI}\", features = [{features}] }}\n\n\
             [workspace]\n"
        ),
    )?;
    std::fs::write(dir.join("src/lib.rs"), "pub use async_openai;\n")?;
    // Resolve and download now, so the timed builds measure compiling only.
    measure(cargo().current_dir(&dir).args(["fetch", "--quiet"]))?;
    Ok(dir)
}

/// Cold timings of one subject: `cargo build` and `cargo check` each in a fresh target
/// folder, then the subject package alone (`cargo clean -p` and the same command again).
#[derive(Debug, Clone, Copy)]
struct Cold {
    build: Sample,
    build_alone: Sample,
    check: Sample,
    check_alone: Sample,
}

fn cold(subject: &Subject, work: &Path, runs: usize) -> anyhow::Result<Cold> {
    let mut samples: [Vec<Sample>; 4] = Default::default();
    for run in 0..runs {
        for (i, command) in ["build", "check"].into_iter().enumerate() {
            eprintln!(
                "bench: cold `cargo {command}` of {} (run {} of {runs})",
                subject.label,
                run + 1
            );
            let target = work.join(format!("cold-{command}"));
            let _ = std::fs::remove_dir_all(&target);
            let cargo_in = |extra: &[&str]| {
                let mut cmd = cargo();
                cmd.current_dir(&subject.dir)
                    // What a dependent crate gets: no incremental cache for a dependency.
                    .env("CARGO_INCREMENTAL", "0")
                    .env_remove("CARGO_TARGET_DIR")
                    .arg(command)
                    .arg("--quiet")
                    .arg("--target-dir")
                    .arg(&target)
                    .args(&subject.args)
                    .args(extra);
                cmd
            };
            samples[i * 2].push(measure(&mut cargo_in(&[]))?);
            measure(
                cargo()
                    .current_dir(&subject.dir)
                    .env_remove("CARGO_TARGET_DIR")
                    .args(["clean", "--quiet", "-p", subject.package, "--target-dir"])
                    .arg(&target),
            )?;
            samples[i * 2 + 1].push(measure(&mut cargo_in(&[]))?);
            let _ = std::fs::remove_dir_all(&target);
        }
    }
    Ok(Cold {
        build: summarize(&samples[0]),
        build_alone: summarize(&samples[1]),
        check: summarize(&samples[2]),
        check_alone: summarize(&samples[3]),
    })
}

/// 3 and 4. Cold debug build and check of the client (all features, then `chat` alone)
/// and of async-openai (all its API features, then its chat feature), in the same run.
fn compile(root: &Path, work: &Path, options: &Options, report: &mut Report) -> anyhow::Result<()> {
    let runs = options.compile_runs;
    let strings = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let subjects = [
        Subject {
            label: "openai-client (default: all groups)",
            args: strings(&["-p", "openai-client"]),
            package: "openai-client",
            dir: root.to_path_buf(),
        },
        Subject {
            label: "async-openai (`full`)",
            args: Vec::new(),
            package: "async-openai",
            dir: async_openai_scratch(work, "async-openai-full", &["full"])?,
        },
        Subject {
            label: "openai-client (`chat` only)",
            args: strings(&[
                "-p",
                "openai-client",
                "--no-default-features",
                "--features",
                "chat,rustls",
            ]),
            package: "openai-client",
            dir: root.to_path_buf(),
        },
        Subject {
            label: "async-openai (`chat-completion` only)",
            args: Vec::new(),
            package: "async-openai",
            dir: async_openai_scratch(work, "async-openai-chat", &["chat-completion"])?,
        },
    ];
    let mut results = Vec::new();
    let mut progress = Vec::new();
    for subject in &subjects {
        let c = cold(subject, work, runs)?;
        progress.push(format!(
            "- compile, {}: cold build {}, alone {}; cold check {}, alone {}",
            subject.label,
            wall_cpu(c.build),
            wall_cpu(c.build_alone),
            wall_cpu(c.check),
            wall_cpu(c.check_alone)
        ));
        let _ = write_report(&format!(
            "{}\n{}\n\n(incomplete: the run is still going or was stopped)\n",
            report.body,
            progress.join("\n")
        ));
        results.push(c);
    }
    let [full, theirs, chat, theirs_chat] = [results[0], results[1], results[2], results[3]];
    report.line(format!(
        "## 3–4. Client compile time (debug, cold: fresh target folder, dependencies included; \
         median of {runs} run{} — each takes minutes)",
        if runs == 1 { "" } else { "s" }
    ));
    report.line("");
    report.line(
        "\"alone\" is the crate by itself: `cargo clean -p <crate>` after the cold build, then the same command. \
         `CARGO_INCREMENTAL=0` everywhere (what a crate built as a dependency gets). Wall time with \
         the CPU time of cargo and every rustc it ran (summed over both cores) in brackets; \
         ratios are of wall times.",
    );
    report.line("");
    report
        .line("| crate | cold build | build alone | cold check | check alone | peak RSS (build) |");
    report.line("|---|---:|---:|---:|---:|---:|");
    for (subject, c) in subjects.iter().zip(&results) {
        report.line(format!(
            "| {} | {} | {} | {} | {} | {} |",
            subject.label,
            wall_cpu(c.build),
            wall_cpu(c.build_alone),
            wall_cpu(c.check),
            wall_cpu(c.check_alone),
            mb(c.build.peak_rss.max(c.build_alone.peak_rss)),
        ));
    }
    let r = |a: Sample, b: Sample| ratio(a.wall.as_secs_f64(), b.wall.as_secs_f64());
    for (label, ours, base) in [
        ("openai-client / async-openai (full)", full, theirs),
        ("`chat` / full openai-client", chat, full),
        ("`chat` / async-openai `chat-completion`", chat, theirs_chat),
    ] {
        report.line(format!(
            "| **{label}** | **{:.2}×** | **{:.2}×** | **{:.2}×** | **{:.2}×** | |",
            r(ours.build, base.build),
            r(ours.build_alone, base.build_alone),
            r(ours.check, base.check),
            r(ours.check_alone, base.check_alone),
        ));
    }
    report.line("");
    report.line(format!(
        "async-openai {ASYNC_OPENAI}'s default features enable only its TLS backend and no API, \
         so the comparison uses its `full` feature (every API group, as our default does) and \
         its `chat-completion` feature for the chat row."
    ));
    report.line("");
    let build_ratio = r(full.build, theirs.build);
    report.target(
        "full client cold build at most as slow as async-openai",
        build_ratio <= 1.0,
        format!(
            "{build_ratio:.2}× cold, {:.2}× alone",
            r(full.build_alone, theirs.build_alone)
        ),
        &format!(
            "{:.0}% less compile time. Done: structs deserialize through `object_impls!` instead \
             of serde's derive (rustc's time for the crate 138 s → 84 s). Tried without gain: \
             `types.rs` split into 16 modules so codegen units run in parallel (the crate alone \
             took 88 s against 80 s in one file). What remains is type- and borrow-checking the \
             derives (`Debug`, `Clone`, `PartialEq`, `Serialize`) of ~3,600 types, their \
             setters and `From` impls: fewer types (inlining single-use union members) would cut \
             it",
            (1.0 - 1.0 / build_ratio) * 100.0
        ),
    );
    let chat_ratio = r(chat.build, full.build);
    let chat_alone = r(chat.build_alone, full.build_alone);
    // What no feature can remove: the dependencies, built in the same run for both.
    let dependencies = chat.build.wall.saturating_sub(chat.build_alone.wall);
    let floor = dependencies.as_secs_f64() / full.build.wall.as_secs_f64();
    report.target(
        "`chat`-only cold build at most 1/4 of the full one",
        chat_ratio <= 0.25,
        format!("{chat_ratio:.2}× cold, {chat_alone:.2}× for the crate alone"),
        &format!(
            "the dependencies (reqwest, rustls with ring, tokio, serde, url with its ICU tables) \
             take {} of the chat build, {floor:.2}× of the full cold build by themselves, so no \
             split of the crate reaches 1/4: that needs a full build at least four times the \
             dependencies, i.e. a slower full client. The crate's own share is {chat_alone:.2}×. \
             Closing it means a lighter transport (hyper without reqwest and url, or a TLS \
             backend from the system), which costs users proxy support and portability",
            secs(dependencies)
        ),
    );
    Ok(())
}

/// 5. The criterion benches of `benches/decode`, ours against async-openai.
fn decode(root: &Path, work: &Path, report: &mut Report) -> anyhow::Result<()> {
    eprintln!("bench: decode benches (criterion, release build)");
    let target = work.join("decode");
    let criterion = target.join("criterion");
    let manifest = root.join("benches/decode/Cargo.toml");
    measure(
        cargo()
            .env_remove("CARGO_TARGET_DIR")
            .env("CRITERION_HOME", &criterion)
            .arg("bench")
            .arg("--manifest-path")
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&target)
            .args(["--bench", "decode"]),
    )?;
    // Criterion times each side in its own block of seconds; the load on a shared machine
    // drifts between blocks, so the targets use rounds that alternate the two sides.
    eprintln!("bench: decode in alternating rounds");
    let output = cargo()
        .env_remove("CARGO_TARGET_DIR")
        .args(["bench", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        .args(["--bench", "interleaved"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot run the interleaved decode bench")?;
    if !output.status.success() {
        bail!("the interleaved decode bench failed ({})", output.status);
    }
    let interleaved = String::from_utf8_lossy(&output.stdout).into_owned();
    let interleaved_ratio = |group: &str| -> anyhow::Result<(f64, f64, f64)> {
        let line = interleaved
            .lines()
            .find_map(|l| l.strip_prefix(&format!("interleaved {group} ")))
            .with_context(|| format!("no interleaved figure for {group} in {interleaved:?}"))?;
        let numbers: Vec<f64> = line
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .with_context(|| format!("unreadable interleaved line {line:?}"))?;
        match numbers[..] {
            [ours, theirs, ratio] => Ok((ours, theirs, ratio)),
            _ => bail!("unreadable interleaved line {line:?}"),
        }
    };
    report.line("## 5. Decode speed (same bytes, same run)");
    report.line("");
    report.line(
        "Criterion medians, each side timed in its own block; then the two sides in 61 \
         alternating rounds (`benches/decode/benches/interleaved.rs`), whose median per-round \
         ratio is what the target is judged on: on a shared machine the load drifts between \
         criterion's blocks by as much as a third.",
    );
    report.line("");
    report.line("| input | openai-client | async-openai | ratio (criterion) | alternating rounds: ours / theirs, median ratio |");
    report.line("|---|---:|---:|---:|---:|");
    for (group, label) in [
        (
            "chat_completion",
            "large chat completion (32 choices, logprobs, tool calls)",
        ),
        (
            "chat_stream_10k",
            "SSE stream of 10,000 chat chunks (framing + JSON)",
        ),
    ] {
        let ours = criterion_median(&criterion, group, "openai-client")?;
        let theirs = criterion_median(&criterion, group, "async-openai")?;
        let (round_ours, round_theirs, r) = interleaved_ratio(group)?;
        report.line(format!(
            "| {label} | {} | {} | {:.2}× | {} / {}, **{r:.3}×** |",
            time_ns(ours),
            time_ns(theirs),
            ratio(ours, theirs),
            time_ns(round_ours),
            time_ns(round_theirs)
        ));
        report.target(
            &format!("{group}: decoding at least as fast as async-openai"),
            r <= 1.0,
            format!("{r:.3}× in alternating rounds"),
            &format!(
                "{:.1}% less time, close to this machine's run-to-run spread of the \
                 alternating ratio (about ±3%). The logprob byte lists are already `u8` (the \
                 OpenAI config's overlay; as `i64` this input decoded about 9% slower). A \
                 tag-reading visitor for tagged unions (no `serde_json::Value` for tool calls) \
                 measured no difference, as tool calls are a small share of this input; what \
                 remains is allocating and freeing ~57,000 small objects, which both sides pay",
                (1.0 - 1.0 / r) * 100.0
            ),
        );
    }
    if let Ok(plain) = criterion_median(&criterion, "chat_completion", "openai-client-plain-serde")
    {
        let theirs = criterion_median(&criterion, "chat_completion", "async-openai")?;
        report.line(format!(
            "| diagnostic: our types through plain `serde_json::from_slice` (no runtime) | {} | {} | {:.2}× | |",
            time_ns(plain),
            time_ns(theirs),
            ratio(plain, theirs)
        ));
    }
    report.line("");
    Ok(())
}

/// 6. The recorded real traffic through both clients' types (`benches/decode/src/bin/traffic.rs`).
fn traffic(root: &Path, work: &Path, report: &mut Report) -> anyhow::Result<()> {
    eprintln!("bench: recorded traffic through both clients' types");
    let output = cargo()
        .env_remove("CARGO_TARGET_DIR")
        .args(["run", "--quiet", "--release", "--manifest-path"])
        .arg(root.join("benches/decode/Cargo.toml"))
        .arg("--target-dir")
        .arg(work.join("decode"))
        .args(["--bin", "traffic"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot run the traffic comparison")?;
    if !output.status.success() {
        bail!("the traffic comparison failed ({})", output.status);
    }
    let table = String::from_utf8_lossy(&output.stdout);
    report.line("## 6. Real responses (recorded traffic, both clients' types)");
    report.line("");
    report.line(
        "Every 2xx body and stream event of `../shared/traffic/openai-recorded.jsonl` at the \
         endpoints async-openai has types for: decoded (ours the way its client decodes, \
         forgiving; async-openai with `serde_json`, as its client does), and decoded then \
         re-encoded to the same JSON (numbers by value).",
    );
    report.line("");
    for line in table.lines() {
        report.line(line);
    }
    report.line("");
    let totals: Vec<(String, f64, f64, f64)> = table
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let kind = cells
                .get(1)?
                .strip_prefix("**all ")?
                .trim_end_matches("s**");
            let pct = |i: usize| -> Option<f64> {
                cells
                    .get(i)?
                    .trim_matches('*')
                    .trim_end_matches('%')
                    .parse()
                    .ok()
            };
            Some((kind.to_owned(), pct(4)?, pct(5)?, pct(6)?))
        })
        .collect();
    for (kind, ours, lossless, theirs) in totals {
        report.target(
            &format!("real {kind}s: at least 99.9% decode, ahead of async-openai"),
            ours >= 99.9 && ours >= theirs,
            format!("{ours:.1}% against {theirs:.1}%"),
            "decode the bodies that fail (the table above names the endpoint)",
        );
        report.target(
            &format!("real {kind}s: at least 99% re-encode to the same JSON"),
            lossless >= 99.0,
            format!("{lossless:.1}%"),
            "keep what the failing bodies lose (`tests/tests/openai_traffic.rs` names each difference)",
        );
    }
    Ok(())
}

fn criterion_median(dir: &Path, group: &str, bench: &str) -> anyhow::Result<f64> {
    let path = dir.join(group).join(bench).join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("criterion left no estimates at {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)?;
    value
        .pointer("/median/point_estimate")
        .and_then(serde_json::Value::as_f64)
        .with_context(|| format!("{}: no median", path.display()))
}

fn time_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

/// Writes the report next to the build output and returns where.
pub fn write_report(markdown: &str) -> anyhow::Result<PathBuf> {
    let path = target_dir().join("bench-report.md");
    std::fs::write(&path, markdown).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}
