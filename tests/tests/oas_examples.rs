//! Real-world specs: every OpenAPI 3.0 and 3.1 document of the npm package
//! `@readme/oas-examples` (discriminators, polymorphism, circular refs, callbacks, file
//! uploads, parameter styles, form data, webhooks, …), plus `../shared/specs/petstore.json`
//! and `../shared/specs/openai-3.0.yaml`, generates a crate that passes `cargo check`.
//!
//! The package is fetched once with `npm pack` (an exact version, so the set of documents
//! only changes when we bump it) into `<target>/tmp/oas-examples/`. Swagger 2.0 documents
//! are counted and skipped. All crates go into one scratch workspace
//! (`<target>/tmp/oas-workspace`, see `generator_tests::scratch`) checked by one
//! `cargo check --keep-going`, whose JSON messages attribute each error to its crate. A JSON
//! document and its YAML twin that generate identical code share one crate.
//!
//! The test prints `N of M specs generate a crate that passes cargo check` and every failure
//! with its reason, and fails unless the failures are exactly [`KNOWN_FAILURES`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator_tests::project_root;
use generator_tests::scratch::Workspace;
use serde_json::Value;

/// The npm package and its exact version.
const PACKAGE: &str = "@readme/oas-examples";
const VERSION: &str = "8.2.2";

/// Specs that are expected not to pass, by the name the report prints, each with why.
/// Empty: every spec passes. A spec listed here that starts passing fails the test too.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Crates in the scratch workspace are named `oas-…`.
const PREFIX: &str = "oas-";

#[test]
fn oas_examples_generate_crates_that_check() {
    let started = std::time::Instant::now();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let package = fetch_package(&tmp.join("oas-examples"));
    let mut specs = package_specs(&package);
    let shared = project_root().join("../shared/specs");
    for file in ["petstore.json", "openai-3.0.yaml"] {
        specs.push(Spec::new(format!("shared/{file}"), shared.join(file)));
    }

    let mut workspace = Workspace::new(tmp.join("oas-workspace"), PREFIX);
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut swagger = Vec::new();
    // Crate name → (its files, the specs it stands for).
    let mut crates: BTreeMap<String, (BTreeMap<PathBuf, String>, Vec<String>)> = BTreeMap::new();
    for spec in &specs {
        let doc = match openapi::load(&spec.path) {
            Ok(doc) => doc,
            // The loader recognises Swagger 2.0 and says to convert it; out of scope here.
            Err(openapi::LoadError::Version { message, .. }) if message.contains("Swagger") => {
                swagger.push(spec.name.clone());
                continue;
            }
            Err(e) => {
                failures.insert(spec.name.clone(), format!("cannot load: {e}"));
                continue;
            }
        };
        let base = spec.crate_name();
        // The header names the spec; naming both twins alike lets identical code compare equal.
        let config = openapi::Config::for_spec(Path::new(&spec.stem()), &base);
        let files = match generator::generate(&doc, &config) {
            Ok(output) => output.files,
            Err(e) => {
                failures.insert(spec.name.clone(), format!("cannot generate: {e}"));
                continue;
            }
        };
        match crates.get_mut(&base) {
            Some((existing, names)) if *existing == files => names.push(spec.name.clone()),
            Some(_) => {
                let name = format!("{base}-{}", spec.format());
                let config = openapi::Config::for_spec(Path::new(&spec.stem()), &name);
                match generator::generate(&doc, &config) {
                    Ok(output) => {
                        crates.insert(name, (output.files, vec![spec.name.clone()]));
                    }
                    Err(e) => {
                        failures.insert(spec.name.clone(), format!("cannot generate: {e}"));
                    }
                }
            }
            None => {
                crates.insert(base, (files, vec![spec.name.clone()]));
            }
        }
    }
    for (name, (files, specs)) in &crates {
        if let Err(e) = workspace.add(name, files) {
            for spec in specs {
                failures.insert(spec.clone(), e.clone());
            }
        }
    }
    let generated = started.elapsed();

    let mut cargo = workspace.prepare();
    let args = [
        "check",
        "--workspace",
        "--all-targets",
        "--keep-going",
        "--message-format=json-diagnostic-short",
    ];
    let output = cargo.output(&args);
    let diagnostics = Diagnostics::parse(&String::from_utf8_lossy(&output.stdout));
    for (name, (_, specs)) in &crates {
        let Some(reason) = diagnostics.failure(name) else {
            continue;
        };
        for spec in specs {
            failures.insert(spec.clone(), reason.clone());
        }
    }
    if !output.status.success() && failures.is_empty() {
        panic!(
            "`cargo check` failed with no error in a generated crate.\nreproduce: {}\n\n{}",
            cargo.reproduce(&args),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let total = specs.len() - swagger.len();
    let mut report = String::new();
    let _ = writeln!(
        report,
        "{} of {total} specs generate a crate that passes cargo check \
         ({PACKAGE}@{VERSION}: {} OpenAPI 3.x documents, {} Swagger 2.0 skipped; plus 2 shared specs; \
         {} distinct crates; generation {:.0?}, total {:.0?})",
        total - failures.len(),
        total - 2,
        swagger.len(),
        crates.len(),
        generated,
        started.elapsed(),
    );
    let _ = writeln!(report, "skipped (Swagger 2.0): {}", swagger.join(", "));
    for (spec, reason) in &failures {
        let _ = writeln!(report, "FAILED {spec}: {reason}");
    }
    eprintln!("{report}");

    let failed: BTreeSet<&str> = failures.keys().map(String::as_str).collect();
    let known: BTreeSet<&str> = KNOWN_FAILURES.iter().map(|(spec, _)| *spec).collect();
    assert!(
        failed == known,
        "the failing specs are not the known ones.\n\
         newly failing: {:?}\nknown but passing now: {:?}\nreproduce the build: {}\n\n{report}",
        failed.difference(&known).collect::<Vec<_>>(),
        known.difference(&failed).collect::<Vec<_>>(),
        cargo.reproduce(&args),
    );
}

/// Downloads and unpacks the package into `dir` unless it is there; returns its root.
fn fetch_package(dir: &Path) -> PathBuf {
    let root = dir.join(VERSION);
    let package = root.join("package");
    if package.join("package.json").is_file() {
        return package;
    }
    let partial = dir.join(format!("{VERSION}.partial"));
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial).unwrap_or_else(|e| panic!("{}: {e}", partial.display()));
    let spec = format!("{PACKAGE}@{VERSION}");
    let packed = run(Command::new("npm")
        .args(["pack", &spec, "--silent", "--pack-destination"])
        .arg(&partial));
    let tarball = partial.join(packed.trim());
    run(Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&partial));
    let _ = fs::remove_dir_all(&root);
    fs::rename(&partial, &root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    package
}

/// Runs a command and returns its stdout, or fails the test saying what to install.
fn run(command: &mut Command) -> String {
    let shown = format!("{command:?}");
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run {shown}: {e} (this test needs npm and tar to fetch {PACKAGE})")
    });
    assert!(
        output.status.success(),
        "{shown} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every document in the package, sorted.
fn package_specs(package: &Path) -> Vec<Spec> {
    let mut files = Vec::new();
    collect_documents(package, &mut files);
    files.sort();
    let mut specs = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(package)
            .expect("under the package")
            .to_string_lossy()
            .replace('\\', "/");
        specs.push(Spec::new(name, path));
    }
    specs
}

/// JSON and YAML files below `dir`, leaving out the package's own manifest and tests.
fn collect_documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("folder entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "test" && name != "node_modules" && !name.starts_with('.') {
                collect_documents(&path, out);
            }
        } else if name != "package.json"
            && [".json", ".yaml", ".yml"].iter().any(|x| name.ends_with(x))
        {
            out.push(path);
        }
    }
}

struct Spec {
    /// How the report names it: its path in the package, or `shared/<file>`.
    name: String,
    path: PathBuf,
}

impl Spec {
    fn new(name: String, path: PathBuf) -> Spec {
        Spec { name, path }
    }

    /// `json` or `yaml`.
    fn format(&self) -> &str {
        let ext = self.path.extension().and_then(|x| x.to_str()).unwrap_or("");
        if ext == "json" { "json" } else { "yaml" }
    }

    /// The name without the format folder and extension: `3.0/petstore`.
    fn stem(&self) -> String {
        let name = self.name.rsplit_once('.').map_or(&*self.name, |(s, _)| s);
        name.split('/')
            .filter(|part| *part != "json" && *part != "yaml")
            .collect::<Vec<_>>()
            .join("/")
    }

    /// `oas-3-0-petstore`: a JSON document and its YAML twin share it.
    fn crate_name(&self) -> String {
        let slug: String = self
            .stem()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        format!("{PREFIX}{slug}")
    }
}

/// Errors and warnings from cargo's JSON messages, by the crate they belong to.
#[derive(Default)]
struct Diagnostics {
    errors: BTreeMap<String, Vec<String>>,
    warnings: BTreeMap<String, Vec<String>>,
}

impl Diagnostics {
    fn parse(stdout: &str) -> Diagnostics {
        let mut out = Diagnostics::default();
        for line in stdout.lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if message["reason"] != "compiler-message" {
                continue;
            }
            let krate = package_name(message["package_id"].as_str().unwrap_or(""));
            let diagnostic = &message["message"];
            let text = diagnostic["rendered"]
                .as_str()
                .unwrap_or("")
                .trim()
                .to_owned();
            let list = match diagnostic["level"].as_str() {
                Some("error")
                    if diagnostic["spans"]
                        .as_array()
                        .is_some_and(|s| !s.is_empty()) =>
                {
                    &mut out.errors
                }
                Some("warning") => &mut out.warnings,
                _ => continue,
            };
            list.entry(krate).or_default().push(text);
        }
        out
    }

    /// Why a crate fails the check, if it does: its errors, else its warnings (generated
    /// code must compile without any).
    fn failure(&self, krate: &str) -> Option<String> {
        let (what, list) = if let Some(errors) = self.errors.get(krate) {
            ("compile errors", errors)
        } else {
            ("warnings", self.warnings.get(krate)?)
        };
        let mut unique: Vec<&String> = Vec::new();
        for message in list {
            if !unique.contains(&message) {
                unique.push(message);
            }
        }
        let shown: Vec<&str> = unique.iter().take(5).map(|m| m.as_str()).collect();
        let more = unique.len().saturating_sub(shown.len());
        let mut reason = format!(
            "{} {what} in crate {krate}:\n    {}",
            list.len(),
            shown.join("\n    ")
        );
        if more > 0 {
            let _ = write!(reason, "\n    … and {more} more");
        }
        Some(reason)
    }
}

/// The package name in a cargo package id: `path+file:///…/oas-x#0.1.0`,
/// `path+file:///…/dir#oas-x@0.1.0`, or the older `oas-x 0.1.0 (path+file:///…)`.
fn package_name(id: &str) -> String {
    if let Some((name, _)) = id.split_once(' ') {
        return name.to_owned();
    }
    let (path, fragment) = id.rsplit_once('#').unwrap_or((id, ""));
    match fragment.split_once('@') {
        Some((name, _)) => name.to_owned(),
        None => path.rsplit('/').next().unwrap_or(path).to_owned(),
    }
}
