//! `cargo xtask`: see the library's documentation for the tasks.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser};
use xtask::codegen::{self, Options};
use xtask::report::{self, Detail};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Project automation for the OpenAPI → Rust client generator"
)]
enum Task {
    /// Generate the client crate and write it to the configuration's `out` folder.
    Codegen(CodegenArgs),
    /// Measure generation, code size, client compile time and decode speed; print a table
    /// and write it to `<target>/bench-report.md`.
    Bench(BenchArgs),
}

#[derive(Debug, Args)]
struct BenchArgs {
    /// Runs of each generation measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Runs of each cold compile measurement (each takes minutes).
    #[arg(long, default_value_t = 1)]
    compile_runs: usize,
    /// Leave out the cold compile measurements.
    #[arg(long)]
    skip_compile: bool,
    /// Leave out the criterion decode benches.
    #[arg(long)]
    skip_decode: bool,
}

#[derive(Debug, Args)]
struct CodegenArgs {
    /// The generator configuration [default: openapi/configs/openai.toml].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write nothing; fail if the output folder differs from what would be generated.
    #[arg(long)]
    check: bool,
    /// Write to this folder instead of the configuration's `out`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// List every warning, not only their number.
    #[arg(long, short)]
    verbose: bool,
}

fn main() -> ExitCode {
    let result = match Task::parse() {
        Task::Codegen(args) => run_codegen(args),
        Task::Bench(args) => run_bench(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Each cause on its own line; no backtrace, even under RUST_BACKTRACE=1.
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run_bench(args: BenchArgs) -> anyhow::Result<()> {
    if args.runs == 0 || args.compile_runs == 0 {
        anyhow::bail!("--runs and --compile-runs must be at least 1");
    }
    let options = xtask::bench::Options {
        runs: args.runs,
        compile_runs: args.compile_runs,
        skip_compile: args.skip_compile,
        skip_decode: args.skip_decode,
    };
    let markdown = xtask::bench::run(&options)?;
    print!("{markdown}");
    let path = xtask::bench::write_report(&markdown)?;
    println!("\nwritten to {}", path.display());
    Ok(())
}

fn run_codegen(args: CodegenArgs) -> anyhow::Result<()> {
    let config = args.config.unwrap_or_else(xtask::default_config);
    let generation = codegen::generate(&config, &Options { out_dir: args.out })?;
    let out = xtask::display_path(&generation.out_dir);
    let timing = format!(
        "spec loaded in {:.1?}, generated in {:.1?}",
        generation.load_time, generation.generate_time
    );
    // Read before writing replaces it; printed last, or before a failed check.
    let api_changes =
        codegen::api_changes(&generation, codegen::committed_api(&generation).as_deref());
    if args.check {
        if let Err(e) = codegen::check(&generation) {
            print!("{api_changes}");
            return Err(e);
        }
        println!(
            "{out} is up to date ({} files; {timing})",
            generation.output.files.len()
        );
    } else {
        let changes = codegen::write(&generation)?;
        println!("{out}: {} ({timing})", changes.summary());
    }
    let detail = if args.verbose {
        Detail::Full
    } else {
        Detail::Summary
    };
    let crate_name = &generation.config.crate_name;
    print!(
        "{}",
        report::render(
            crate_name,
            &generation.spec_warnings,
            &generation.output.report,
            detail
        )
    );
    print!("{api_changes}");
    Ok(())
}
