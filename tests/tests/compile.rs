//! Every fixture's generated crate compiles and is clippy-clean, its front page's examples
//! compile (doctests), and a fixture's hand-written extension passes its own tests.
//!
//! One test builds all fixtures in one scratch workspace (`<target>/tmp/fixture-workspace`,
//! see `generator_tests::scratch`) with one target folder, so dependencies are built once and
//! later runs are incremental.
//!
//! `FIXTURE_FILTER=object_basic,recursive` restricts the build while iterating. To look at
//! a failure by hand, `cd` into the workspace the message names and rerun the cargo command.

use std::path::Path;

use generator_tests::scratch::Workspace;
use generator_tests::selected_fixtures;

#[test]
fn fixture_crates_compile() {
    let fixtures = selected_fixtures();
    let filter = std::env::var("FIXTURE_FILTER").unwrap_or_default();
    assert!(
        !fixtures.is_empty(),
        "FIXTURE_FILTER={filter:?} selects no fixture"
    );

    let mut workspace = Workspace::new(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-workspace"),
        "fixture-",
    );
    // Each crate's resource features, each checked on its own below.
    let mut features: Vec<(String, Vec<String>)> = Vec::new();
    // Crates with a folder of hand-written code, whose own tests run below.
    let mut extended = Vec::new();
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let written = fixture.generate().and_then(|generated| {
            let files = &generated.output.files;
            if let Some(manifest) = files.get(Path::new("Cargo.toml")) {
                features.push((fixture.crate_name(), resource_features(manifest)));
            }
            if fixture.extension_dir().is_some() {
                extended.push(fixture.crate_name());
            }
            workspace
                .add(&fixture.crate_name(), files)
                .map_err(|e| format!("fixture {}: {e}", fixture.name))
        });
        if let Err(message) = written {
            failures.push(message);
        }
    }
    assert!(
        failures.is_empty(),
        "no crate to compile:\n{}",
        failures.join("\n")
    );

    let mut cargo = workspace.prepare();
    cargo.run("check", &["check", "--workspace", "--all-targets"]);
    if cargo.has_clippy() {
        cargo.run(
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        );
    } else {
        eprintln!("note: cargo clippy is not installed; only `cargo check` ran");
    }
    // Every front page's examples compile (they are the crate docs' doctests), for every spec.
    cargo.run("test --doc", &["test", "--workspace", "--doc"]);
    // An extension's tests run with its crate.
    for member in &extended {
        cargo.run(
            &format!("test -p {member} --tests"),
            &["test", "-p", member, "--tests"],
        );
    }
    // Every resource feature alone compiles without warnings: the gates are closed under
    // what each type holds.
    for (member, features) in &features {
        for feature in features {
            cargo.run(
                &format!("check -p {member} --features {feature}"),
                &[
                    "rustc",
                    "-p",
                    member,
                    "--lib",
                    "--no-default-features",
                    "--features",
                    feature,
                    "--",
                    "-D",
                    "warnings",
                ],
            );
        }
    }
}

/// The resource features a generated manifest lists under `full` (none when it has none).
fn resource_features(manifest: &str) -> Vec<String> {
    let Some(line) = manifest.lines().find(|l| l.starts_with("full = [")) else {
        return Vec::new();
    };
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}
