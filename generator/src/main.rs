//! `generator --spec FILE --out DIR [--config FILE]`: writes a Rust client crate.
//! `generator diff OLD_SPEC NEW_SPEC [--config FILE]`: prints the API change report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Emission allocates and frees millions of small token trees and syntax nodes: mimalloc
/// takes about a quarter off the generator's CPU time on the OpenAI spec (glibc's malloc
/// and free were ~30% of it). Only the binary: the library leaves the choice to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates a Rust client crate from an OpenAPI 3.0 or 3.1 document (YAML or JSON).
///
/// Exit codes: 0 success (warnings are printed), 1 invalid input, 2 usage error.
#[derive(Parser, Debug)]
#[command(name = "generator", version, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The OpenAPI document. Optional when --config names one.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Directory to write the crate into (created if missing). Optional when --config names one.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Generator configuration (TOML): crate name, naming overrides, …
    #[arg(long)]
    config: Option<PathBuf>,
    /// Crate name when there is no configuration file.
    #[arg(long, default_value = "api-client")]
    crate_name: String,
    /// A folder of hand-written code to copy into the crate (overrides the configuration's
    /// `extension`; README.md, "Hand-written code in a generated crate").
    #[arg(long)]
    extension: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the API changes from OLD_SPEC to NEW_SPEC (breaking or compatible, and a
    /// suggested version bump) without writing anything.
    Diff {
        old_spec: PathBuf,
        new_spec: PathBuf,
        /// Generator configuration (TOML) for both; its `spec` and `out` are ignored.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let mut args = Args::parse();
    let result = match args.command.take() {
        Some(Command::Diff {
            old_spec,
            new_spec,
            config,
        }) => diff(&old_spec, &new_spec, config.as_deref()),
        None => run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    Usage(String),
    Input(String),
}

fn run(args: Args) -> Result<(), Failure> {
    let mut config = match &args.config {
        Some(path) => {
            // The configuration is part of how the tool is invoked, not the input it checks.
            openapi::Config::from_file(path).map_err(|e| Failure::Usage(e.to_string()))?
        }
        None => {
            let spec = args
                .spec
                .clone()
                .ok_or_else(|| Failure::Usage("give --spec FILE or --config FILE".into()))?;
            openapi::Config::for_spec(&spec, &args.crate_name)
        }
    };
    if let Some(spec) = &args.spec {
        config.spec = spec.clone();
    }
    if let Some(dir) = &args.extension {
        let extension = openapi::Extension::read(dir).map_err(|e| Failure::Usage(e.to_string()))?;
        config.extension = Some(extension);
    }
    let out = args
        .out
        .clone()
        .or_else(|| config.out.clone())
        .ok_or_else(|| {
            Failure::Usage(
                "no output directory: give --out DIR (or `out` in the --config file)".into(),
            )
        })?;
    if out.exists() && !out.is_dir() {
        let message = format!("--out {}: exists and is not a directory", out.display());
        return Err(Failure::Usage(message));
    }
    let doc = config
        .load_spec()
        .map_err(|e| Failure::Input(e.to_string()))?;
    let output = generator::generate(&doc, &config).map_err(|e| Failure::Input(e.to_string()))?;
    for (path, contents) in &output.files {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::Input(format!("{}: cannot create: {e}", parent.display())))?;
        }
        if std::fs::read_to_string(&target).ok().as_deref() != Some(contents.as_str()) {
            std::fs::write(&target, contents)
                .map_err(|e| Failure::Input(format!("{}: cannot write: {e}", target.display())))?;
        }
    }
    eprint!("{}", output.report);
    eprintln!("wrote {} files to {}", output.files.len(), out.display());
    Ok(())
}

fn diff(
    old: &std::path::Path,
    new: &std::path::Path,
    config: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let config = match config {
        Some(path) => {
            openapi::Config::from_file(path).map_err(|e| Failure::Input(e.to_string()))?
        }
        None => openapi::Config::for_spec(new, "api-client"),
    };
    let surface = |spec: &std::path::Path| {
        let doc = openapi::load(spec).map_err(|e| Failure::Input(e.to_string()))?;
        Ok(generator::review::surface_of(&doc, &config))
    };
    let (old, new) = (surface(old)?, surface(new)?);
    print!(
        "{}",
        generator::review::change_report(&old, &new, &config.crate_version)
    );
    Ok(())
}
