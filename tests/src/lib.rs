//! Snapshot and compile tests of the generator, driven by the fixture specs in `fixtures/`.
//!
//! Each fixture is a small valid OpenAPI document that exercises one construct, with a
//! comment header saying which. Two tests run over all of them:
//!
//! - `tests/snapshots.rs` snapshots, per fixture, the generated `src/` (without the runtime,
//!   which is the same for every crate) and the generator's report. Review changes with
//!   `cargo insta review`; under `CI` insta never accepts a new or changed snapshot.
//! - `tests/compile.rs` writes every fixture's crate into one scratch workspace and runs
//!   `cargo check` and `cargo clippy -D warnings` on all of them in a single build.
//!
//! Both go through the narrow interface below: a fixture in, generated files and a report
//! out. Nothing here looks at the generator's IR, so the IR can change freely.
//!
//! `FIXTURE_FILTER=a,b` restricts the compile test to fixtures whose name contains `a` or `b`;
//! for the snapshot test use insta's own `INSTA_GLOB_FILTER=a.yaml`.

pub mod scratch;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The folder of fixture specs.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The workspace root, whose `Cargo.lock` the compile test reuses.
pub fn project_root() -> PathBuf {
    xtask::project_root()
}

/// A fixture spec.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The file stem, e.g. `object_basic`.
    pub name: String,
    pub path: PathBuf,
}

impl Fixture {
    pub fn from_path(path: &Path) -> Fixture {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture names are UTF-8")
            .to_owned();
        Fixture {
            name,
            path: path.to_path_buf(),
        }
    }

    /// The generated crate's package name: `fixture-` and the name, in kebab case.
    pub fn crate_name(&self) -> String {
        format!("fixture-{}", self.name.replace('_', "-"))
    }

    /// The fixture's leading `#` comment: what it covers.
    pub fn header(&self) -> String {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        let lines: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect();
        lines.join("\n").trim().to_owned()
    }

    /// The fixture's folder of hand-written code, `fixtures/extensions/<name>/`, if it has one.
    pub fn extension_dir(&self) -> Option<PathBuf> {
        let dir = fixtures_dir().join("extensions").join(&self.name);
        dir.is_dir().then_some(dir)
    }

    /// Loads the fixture and runs the generator on it. An error names the fixture.
    pub fn generate(&self) -> Result<Generated, String> {
        let doc = openapi::load(&self.path)
            .map_err(|e| format!("fixture {}: cannot load: {e}", self.name))?;
        let mut config = openapi::Config::for_spec(&self.path, &self.crate_name());
        if let Some(dir) = self.extension_dir() {
            let extension = openapi::Extension::read(&dir)
                .map_err(|e| format!("fixture {}: cannot read its extension: {e}", self.name))?;
            config.extension = Some(extension);
        }
        let output = generator::generate(&doc, &config)
            .map_err(|e| format!("fixture {}: cannot generate: {e}", self.name))?;
        Ok(Generated {
            spec_warnings: doc.warnings,
            output,
        })
    }
}

/// Every fixture, sorted by name.
pub fn all_fixtures() -> Vec<Fixture> {
    let dir = fixtures_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut fixtures: Vec<Fixture> = entries
        .map(|e| e.expect("fixture folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| Fixture::from_path(&p))
        .collect();
    fixtures.sort_by(|a, b| a.name.cmp(&b.name));
    fixtures
}

/// The fixtures selected by `FIXTURE_FILTER` (comma-separated substrings of names), or all.
pub fn selected_fixtures() -> Vec<Fixture> {
    let filter = std::env::var("FIXTURE_FILTER").unwrap_or_default();
    let wanted: Vec<&str> = filter
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    all_fixtures()
        .into_iter()
        .filter(|f| wanted.is_empty() || wanted.iter().any(|w| f.name.contains(w)))
        .collect()
}

/// What the generator produced for a fixture.
#[derive(Debug)]
pub struct Generated {
    pub spec_warnings: Vec<openapi::Warning>,
    pub output: generator::Output,
}

/// Whether a generated file is part of the runtime copied into every crate verbatim.
fn is_runtime(path: &Path) -> bool {
    path.starts_with("src/runtime")
}

impl Generated {
    /// Every file under `src/` except the runtime, the front page (`README.md`) and the
    /// manifest, each under a header line naming it.
    pub fn render_src(&self) -> String {
        let mut out = String::new();
        for (path, content) in &self.output.files {
            let shown = path.starts_with("src")
                || path == Path::new("README.md")
                || path == Path::new("Cargo.toml");
            if !shown || is_runtime(path) {
                continue;
            }
            let _ = writeln!(out, "// ===== {} =====", path.display());
            out.push_str(content);
            if !content.ends_with('\n') {
                out.push('\n');
            }
        }
        if out.is_empty() {
            out.push_str("(the generator emitted no file under src/ outside src/runtime/)\n");
        }
        out
    }

    /// The report as stable text: counts, the files emitted (runtime aside), every fallback
    /// and warning with its pointer, and the spec's load warnings.
    pub fn render_report(&self) -> String {
        let report = &self.output.report;
        let mut out = String::new();
        let _ = writeln!(out, "schemas read: {}", report.schemas_read);
        let _ = writeln!(out, "types emitted: {}", report.types_emitted);
        // The runtime is left out: it is the same in every crate, and listing it would
        // change every snapshot whenever a runtime file is added.
        let files: Vec<_> = self
            .output
            .files
            .keys()
            .filter(|p| !is_runtime(p))
            .collect();
        let _ = writeln!(out, "files, src/runtime/ aside ({}):", files.len());
        for path in files {
            let _ = writeln!(out, "  {}", path.display());
        }
        section(
            &mut out,
            "fallbacks",
            report.fallbacks.iter().map(|d| (&d.pointer, &d.message)),
        );
        section(
            &mut out,
            "warnings",
            report.warnings.iter().map(|d| (&d.pointer, &d.message)),
        );
        // Load warnings the generator passed on are already listed among its warnings.
        let spec_only = self.spec_warnings.iter().filter(|w| {
            !report
                .warnings
                .iter()
                .any(|d| d.pointer == w.pointer && d.message == w.message)
        });
        section(
            &mut out,
            "spec warnings",
            spec_only.map(|w| (&w.pointer, &w.message)),
        );
        out
    }
}

fn section<'a>(
    out: &mut String,
    title: &str,
    items: impl Iterator<Item = (&'a String, &'a String)>,
) {
    let mut items: Vec<_> = items.collect();
    items.sort();
    let _ = writeln!(out, "{title} ({}):", items.len());
    for (pointer, message) in items {
        let _ = writeln!(out, "  {pointer}: {message}");
    }
}
