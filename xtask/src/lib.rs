//! Project automation, run as `cargo xtask <task>` (the alias lives in `.cargo/config.toml`).
//!
//! `bench` measures generation, code size, compile time and decode speed ([`bench`]).
//!
//! The main task is `codegen`: generate the client crate from the spec its configuration
//! names and bring the output folder in line with it ([`codegen`]), or, with `--check`,
//! only say whether the committed folder is what the generator produces now. The
//! `generated_client_is_fresh` test runs the check in-process, so `cargo test` fails on a
//! stale committed client with the same message the command prints.
//!
//! The library half exists so the snapshot tests (`generator-tests`) write fixture crates
//! with the same [`sync`] rules the real client is written with.

pub mod bench;
pub mod codegen;
pub mod report;
pub mod sync;

use std::path::{Path, PathBuf};

/// The workspace root, wherever `cargo xtask` is run from.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The configuration `cargo xtask codegen` uses when given none.
pub fn default_config() -> PathBuf {
    project_root().join("openapi/configs/openai.toml")
}

/// Where a configuration without `out` is generated to.
pub fn default_out_dir() -> PathBuf {
    project_root().join("generated-client")
}

/// `path` relative to the workspace root when it is inside it, for shorter messages.
pub fn display_path(path: &Path) -> String {
    let root = project_root();
    let shown = path.strip_prefix(&root).unwrap_or(path);
    shown.display().to_string()
}
