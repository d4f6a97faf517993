//! Every fixture's generated crate compiles and is clippy-clean.
//!
//! One test builds all fixtures in one scratch workspace (`<target>/tmp/fixture-workspace`)
//! with one target folder, so dependencies are built once and later runs are incremental:
//! files whose content did not change are not rewritten. The repository's `Cargo.lock` is
//! copied in, so the crates build against the versions the project already pins and nothing
//! new is resolved; `--offline` is used unless cargo reports that it needs the network.
//!
//! `FIXTURE_FILTER=object_basic,recursive` restricts the build while iterating. To look at
//! a failure by hand, `cd` into the workspace the message names and rerun the cargo command.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator_tests::{project_root, selected_fixtures};

#[test]
fn fixture_crates_compile() {
    let fixtures = selected_fixtures();
    let filter = std::env::var("FIXTURE_FILTER").unwrap_or_default();
    assert!(
        !fixtures.is_empty(),
        "FIXTURE_FILTER={filter:?} selects no fixture"
    );

    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-workspace");
    let mut members = Vec::new();
    // Each crate's resource features, each checked on its own below.
    let mut features: Vec<(String, Vec<String>)> = Vec::new();
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let generated = match fixture.generate() {
            Ok(generated) => generated,
            Err(message) => {
                failures.push(message);
                continue;
            }
        };
        let files = &generated.output.files;
        if !files.contains_key(Path::new("Cargo.toml")) {
            failures.push(format!(
                "fixture {}: the generator emitted no Cargo.toml",
                fixture.name
            ));
            continue;
        }
        let dir = workspace.join(fixture.crate_name());
        let written = xtask::sync::diff(&dir, files)
            .and_then(|changes| xtask::sync::apply(&dir, files, &changes));
        if let Err(e) = written {
            failures.push(format!(
                "fixture {}: cannot write {}: {e:#}",
                fixture.name,
                dir.display()
            ));
            continue;
        }
        if let Some(manifest) = files.get(Path::new("Cargo.toml")) {
            features.push((fixture.crate_name(), resource_features(manifest)));
        }
        members.push(fixture.crate_name());
    }
    assert!(
        failures.is_empty(),
        "no crate to compile:\n{}",
        failures.join("\n")
    );

    prepare_workspace(&workspace, &members);
    let mut cargo = Cargo::new(&workspace);
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

/// Writes the workspace manifest naming `members`, copies the repository's lockfile in, and
/// removes crates of fixtures that are gone or filtered out.
fn prepare_workspace(workspace: &Path, members: &[String]) {
    let list: Vec<String> = members.iter().map(|m| format!("    {m:?},\n")).collect();
    let manifest = format!(
        "# Written by generator-tests' compile test: every member is a generated fixture crate.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{}]\n\n\
         # In case a generated manifest inherits these.\n\
         [workspace.package]\nedition = \"2024\"\nrust-version = \"1.85\"\n",
        list.concat()
    );
    write_if_changed(&workspace.join("Cargo.toml"), &manifest);
    let lock = project_root().join("Cargo.lock");
    fs::copy(&lock, workspace.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("cannot copy {}: {e}", lock.display()));

    let entries = fs::read_dir(workspace)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", workspace.display()));
    for entry in entries {
        let path = entry.expect("workspace entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.is_dir() && name.starts_with("fixture-") && !members.contains(&name) {
            fs::remove_dir_all(&path)
                .unwrap_or_else(|e| panic!("cannot delete {}: {e}", path.display()));
        }
    }
}

fn write_if_changed(path: &Path, content: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == content) {
        return;
    }
    fs::write(path, content).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Runs cargo in the scratch workspace with its own target folder.
struct Cargo {
    program: PathBuf,
    workspace: PathBuf,
    /// Whether to pass `--offline`: true until cargo says it needs the network.
    offline: bool,
}

impl Cargo {
    fn new(workspace: &Path) -> Cargo {
        let program = std::env::var_os("CARGO")
            .map(PathBuf::from)
            .unwrap_or_else(|| "cargo".into());
        Cargo {
            program,
            workspace: workspace.to_path_buf(),
            offline: true,
        }
    }

    fn has_clippy(&self) -> bool {
        self.command(&["clippy", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        command
            .args(args)
            .current_dir(&self.workspace)
            .env("CARGO_TARGET_DIR", self.workspace.join("target"))
            .env("CARGO_TERM_COLOR", "never");
        command
    }

    /// Runs `cargo <args>`, offline while every dependency is cached (a probe such as
    /// `cargo metadata --offline` would also want other platforms' dependencies), and fails
    /// the test with the compiler's output if it does not succeed.
    #[track_caller]
    fn run(&mut self, what: &str, args: &[&str]) {
        let mut output = self.output(args);
        if !output.status.success() && self.offline && needs_network(&output.stderr) {
            eprintln!("note: not every dependency is cached; running `cargo {what}` online");
            self.offline = false;
            output = self.output(args);
        }
        if !output.status.success() {
            panic!(
                "`cargo {what}` failed on the generated fixture crates.\n\
                 reproduce: cd {} && CARGO_TARGET_DIR=target cargo {}\n\n{}{}",
                self.workspace.display(),
                self.args(args).join(" "),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
            );
        }
    }

    fn output(&self, args: &[&str]) -> std::process::Output {
        self.command(&self.args(args))
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.program.display()))
    }

    /// `args` with `--offline` before any `--` when offline.
    fn args<'a>(&self, args: &[&'a str]) -> Vec<&'a str> {
        let mut args = args.to_vec();
        if self.offline {
            let at = args.iter().position(|a| *a == "--").unwrap_or(args.len());
            args.insert(at, "--offline");
        }
        args
    }
}

/// Whether cargo failed because `--offline` kept it from fetching something.
fn needs_network(stderr: &[u8]) -> bool {
    let stderr = String::from_utf8_lossy(stderr);
    stderr.contains("--offline was specified") || stderr.contains("offline mode")
}
