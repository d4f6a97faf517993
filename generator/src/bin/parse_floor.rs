//! `parse_floor FILE`: parses a YAML (or JSON) document into a `serde_json::Value` with the
//! loader's own parser (`openapi::parse_value`: serde_yaml, plus what JSON cannot hold such
//! as 128-bit integers) and exits. The floor `cargo xtask bench` measures the generator
//! against: a process that only reads the spec, built with the same profile.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_floor FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    match openapi::parse_value(&text, std::path::Path::new(&path)) {
        Ok(value) => {
            let keys = value.as_object().map_or(0, |o| o.len());
            println!("{keys} top-level keys");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
