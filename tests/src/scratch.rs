//! A scratch cargo workspace of generated crates, built with one shared target folder so
//! dependencies compile once and later runs are incremental. Every scratch workspace uses
//! the same target folder (`<target>/tmp/scratch-target`), so the fixture and real-spec
//! tests build the generated crates' dependencies once between them.
//!
//! Files whose content did not change are not rewritten (`xtask::sync`), so cargo rebuilds
//! only what changed. The repository's `Cargo.lock` is copied in, so the crates build against
//! the versions the project already pins and nothing new is resolved; `--offline` is used
//! unless cargo reports that it needs the network.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::project_root;

/// A folder under the test target holding one cargo workspace of generated crates.
pub struct Workspace {
    pub dir: PathBuf,
    /// Members are folders whose name starts with this; others are left alone.
    prefix: String,
    members: Vec<String>,
}

impl Workspace {
    /// A workspace in `dir` whose members are named `<prefix>…`.
    pub fn new(dir: PathBuf, prefix: &str) -> Workspace {
        Workspace {
            dir,
            prefix: prefix.to_owned(),
            members: Vec::new(),
        }
    }

    /// Writes a generated crate as member `name`, touching only files that changed.
    pub fn add(&mut self, name: &str, files: &BTreeMap<PathBuf, String>) -> Result<(), String> {
        assert!(
            name.starts_with(&self.prefix),
            "{name} lacks {}",
            self.prefix
        );
        if !files.contains_key(Path::new("Cargo.toml")) {
            return Err("the generator emitted no Cargo.toml".into());
        }
        let dir = self.dir.join(name);
        xtask::sync::diff(&dir, files)
            .and_then(|changes| xtask::sync::apply(&dir, files, &changes))
            .map_err(|e| format!("cannot write {}: {e:#}", dir.display()))?;
        self.members.push(name.to_owned());
        Ok(())
    }

    /// Writes the workspace manifest naming the members added, copies the repository's
    /// lockfile in, and removes member folders of earlier runs that are not members now.
    pub fn prepare(&self) -> Cargo {
        let list: Vec<String> = self
            .members
            .iter()
            .map(|m| format!("    {m:?},\n"))
            .collect();
        let manifest = format!(
            "# Written by a generator-tests test: every member is a generated crate.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n{}]\n\n\
             # In case a generated manifest inherits these.\n\
             [workspace.package]\nedition = \"2024\"\nrust-version = \"1.85\"\n",
            list.concat()
        );
        fs::create_dir_all(&self.dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", self.dir.display()));
        write_if_changed(&self.dir.join("Cargo.toml"), &manifest);
        let lock = project_root().join("Cargo.lock");
        fs::copy(&lock, self.dir.join("Cargo.lock"))
            .unwrap_or_else(|e| panic!("cannot copy {}: {e}", lock.display()));

        let entries = fs::read_dir(&self.dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", self.dir.display()));
        for entry in entries {
            let path = entry.expect("workspace entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if path.is_dir() && name.starts_with(&self.prefix) && !self.members.contains(&name) {
                fs::remove_dir_all(&path)
                    .unwrap_or_else(|e| panic!("cannot delete {}: {e}", path.display()));
            }
        }
        Cargo::new(&self.dir)
    }
}

fn write_if_changed(path: &Path, content: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == content) {
        return;
    }
    fs::write(path, content).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Runs cargo in the scratch workspace with the shared scratch target folder.
pub struct Cargo {
    program: PathBuf,
    workspace: PathBuf,
    target: PathBuf,
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
            target: workspace.with_file_name("scratch-target"),
            offline: true,
        }
    }

    pub fn has_clippy(&self) -> bool {
        self.command(&["clippy", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        command
            .args(args)
            .current_dir(&self.workspace)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_TERM_COLOR", "never");
        command
    }

    /// Runs `cargo <args>` and fails the test with the compiler's output if it does not
    /// succeed.
    #[track_caller]
    pub fn run(&mut self, what: &str, args: &[&str]) {
        let output = self.output(args);
        if !output.status.success() {
            panic!(
                "`cargo {what}` failed on the generated crates.\n\
                 reproduce: {}\n\n{}{}",
                self.reproduce(args),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
            );
        }
    }

    /// Runs `cargo <args>`, offline while every dependency is cached (a probe such as
    /// `cargo metadata --offline` would also want other platforms' dependencies), online
    /// once cargo says it needs the network.
    pub fn output(&mut self, args: &[&str]) -> Output {
        let output = self.output_once(args);
        if !output.status.success() && self.offline && needs_network(&output.stderr) {
            eprintln!("note: not every dependency is cached; running cargo online");
            self.offline = false;
            return self.output_once(args);
        }
        output
    }

    /// The shell command that reruns `cargo <args>` by hand.
    pub fn reproduce(&self, args: &[&str]) -> String {
        format!(
            "cd {} && CARGO_TARGET_DIR={} cargo {}",
            self.workspace.display(),
            self.target.display(),
            self.args(args).join(" ")
        )
    }

    fn output_once(&self, args: &[&str]) -> Output {
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
