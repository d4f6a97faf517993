//! Every input the fuzzer (`fuzz/`) found a bug with, replayed through load → generate:
//! each must now be a located error or a generated crate whose code parses, never a panic.
//! The corpus is `fuzz/regressions/` (one document per file, named after what it broke).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[test]
fn fuzz_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|f| {
        matches!(
            f.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml")
        )
    });
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let run = catch_unwind(AssertUnwindSafe(|| {
            let doc = openapi::load_str(&text, Path::new(&name)).ok()?;
            let config = openapi::Config::for_spec(Path::new(&name), "fuzz-client");
            match generator::generate(&doc, &config) {
                Err(e @ generator::GenerateError::Emit { .. }) => Some(e.to_string()),
                _ => None,
            }
        }));
        match run {
            Err(_) => failures.push(format!("{name}: panicked")),
            Ok(Some(bad_code)) => failures.push(format!("{name}: {bad_code}")),
            Ok(None) => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
