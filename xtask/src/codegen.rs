//! `cargo xtask codegen`: configuration → spec → generator → output folder.
//!
//! [`generate`] does the reading and generating and touches no output; [`check`] and
//! [`write`] compare or bring the output folder in line using the rules in [`crate::sync`].

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::sync::{self, Changes};

/// One generation run, held in memory.
#[derive(Debug)]
pub struct Generation {
    pub config: openapi::Config,
    /// Where the crate belongs: the configuration's `out`, or `generated-client/`.
    pub out_dir: PathBuf,
    /// What loading the spec noticed (normalisation of 3.1 constructs and the like).
    pub spec_warnings: Vec<openapi::Warning>,
    pub output: generator::Output,
    pub load_time: Duration,
    pub generate_time: Duration,
}

/// Where a run writes to, when not where the configuration says.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides the configuration's `out`.
    pub out_dir: Option<PathBuf>,
}

/// Reads the configuration and the spec it names and runs the generator. Writes nothing.
pub fn generate(config_path: &Path, options: &Options) -> anyhow::Result<Generation> {
    let config = openapi::Config::from_file(config_path)?;
    let out_dir = match (&options.out_dir, &config.out) {
        (Some(dir), _) | (None, Some(dir)) => clean(dir),
        (None, None) => crate::default_out_dir(),
    };

    let started = Instant::now();
    let spec = clean(&config.spec);
    let doc = openapi::load_with(&spec, &config.overlays)
        .with_context(|| format!("cannot load the spec named by {}", config_path.display()))?;
    let load_time = started.elapsed();

    let started = Instant::now();
    let output = generator::generate(&doc, &config).with_context(|| {
        format!(
            "cannot generate {} from {}",
            config.crate_name,
            spec.display()
        )
    })?;
    let generate_time = started.elapsed();

    Ok(Generation {
        config,
        out_dir,
        spec_warnings: doc.warnings,
        output,
        load_time,
        generate_time,
    })
}

/// Fails, naming every stale, missing and extra file, unless the output folder holds
/// exactly what the generator produces now.
pub fn check(generation: &Generation) -> anyhow::Result<()> {
    let changes = changes(generation)?;
    if !changes.is_empty() {
        bail!(
            "{} is out of date with the generator:\n{}run `cargo xtask codegen` and commit the result",
            crate::display_path(&generation.out_dir),
            changes.describe()
        );
    }
    Ok(())
}

/// Brings the output folder in line with the generated files and says what changed.
///
/// Refuses when the generator produced nothing: that is a generator bug, and following it
/// would delete the whole crate.
pub fn write(generation: &Generation) -> anyhow::Result<Changes> {
    if generation.output.files.is_empty() {
        bail!(
            "the generator produced no files; leaving {} as it is",
            crate::display_path(&generation.out_dir)
        );
    }
    let changes = changes(generation)?;
    sync::apply(&generation.out_dir, &generation.output.files, &changes)?;
    Ok(changes)
}

/// The `api.md` in the output folder, if any: read before [`write`] replaces it.
pub fn committed_api(generation: &Generation) -> Option<String> {
    std::fs::read_to_string(generation.out_dir.join(generator::review::API_FILE)).ok()
}

/// The API change report from the `committed` listing to the one just generated.
pub fn api_changes(generation: &Generation, committed: Option<&str>) -> String {
    use generator::review::{API_FILE, change_report, listing};
    let Some(new) = generation.output.files.get(Path::new(API_FILE)) else {
        return String::new();
    };
    let Some(committed) = committed else {
        return format!("API changes: no {API_FILE} in the output folder to compare with\n");
    };
    let old = match listing::parse(committed) {
        Ok(old) => old,
        Err(e) => return format!("API changes: cannot read the committed {API_FILE} ({e})\n"),
    };
    let new = listing::parse(new).expect("the generator reads back its own listing");
    change_report(&old, &new, &generation.config.crate_version)
}

fn changes(generation: &Generation) -> anyhow::Result<Changes> {
    sync::diff(&generation.out_dir, &generation.output.files)
        .with_context(|| format!("cannot compare with {}", generation.out_dir.display()))
}

/// `path` with `.` and `name/..` removed, without touching the file system, so that
/// messages say `generated-client` rather than `openapi/configs/../../generated-client`.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed client is what the generator produces from the committed spec and
    /// configuration. When this fails, run `cargo xtask codegen` and commit the result.
    #[test]
    fn generated_client_is_fresh() {
        let generation = generate(&crate::default_config(), &Options::default())
            .unwrap_or_else(|e| panic!("{e:#}"));
        if let Err(e) = check(&generation) {
            panic!("{e:#}");
        }
    }

    #[test]
    fn api_changes_compare_the_committed_listing_with_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let spec = crate::project_root().join("tests/fixtures/diff/base.yaml");
        let config = dir.path().join("pets.toml");
        let toml = format!("spec = {:?}\nout = \"out\"\ncrate-name = \"pets\"\n", spec);
        std::fs::write(&config, toml).unwrap();
        let generation = generate(&config, &Options::default()).unwrap();

        let none = api_changes(&generation, committed_api(&generation).as_deref());
        assert_eq!(
            none,
            "API changes: no api.md in the output folder to compare with\n"
        );

        write(&generation).unwrap();
        let committed = committed_api(&generation).unwrap();
        let same = api_changes(&generation, Some(&committed));
        assert!(
            same.starts_with("API changes: 0 breaking, 0 compatible\n"),
            "{same}"
        );

        // A listing from before `feed` existed: regenerating adds it.
        let older: String = committed
            .lines()
            .filter(|l| !l.starts_with("- `feed("))
            .map(|l| format!("{l}\n"))
            .collect();
        let added = api_changes(&generation, Some(&older));
        assert!(added.contains("method added  client.pets.feed"), "{added}");
        assert!(added.contains("0.1.0 → 0.1.1"), "{added}");

        let garbled = api_changes(&generation, Some("## Types\n### shape X\n"));
        assert!(
            garbled.contains("cannot read the committed api.md (line 2:"),
            "{garbled}"
        );
    }

    /// The extension folder's files are part of the generation: an edit to a copy (instead
    /// of the source) or a copy left behind is what `--check` reports.
    #[test]
    fn check_covers_the_extension_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::project_root().join("tests/fixtures");
        let config = dir.path().join("pets.toml");
        let toml = format!(
            "spec = {:?}\nout = \"out\"\ncrate-name = \"pets\"\nextension = {:?}\n",
            root.join("extension_folder.yaml"),
            root.join("extensions/extension_folder"),
        );
        std::fs::write(&config, toml).unwrap();
        let generation = generate(&config, &Options::default()).unwrap();
        write(&generation).unwrap();
        check(&generation).unwrap();

        let copy = dir.path().join("out/src/extension/names.rs");
        let edited = std::fs::read_to_string(&copy)
            .unwrap()
            .replace("names", "nombres");
        std::fs::write(&copy, edited).unwrap();
        std::fs::write(dir.path().join("out/tests/left_over.rs"), "").unwrap();
        let err = format!("{:#}", check(&generation).unwrap_err());
        assert!(err.contains("stale    src/extension/names.rs"), "{err}");
        assert!(err.contains("extra    tests/left_over.rs"), "{err}");
    }

    #[test]
    fn clean_removes_dot_segments_lexically() {
        assert_eq!(
            clean(Path::new("/r/openapi/configs/../../generated-client")),
            Path::new("/r/generated-client")
        );
        assert_eq!(clean(Path::new("./a/./b")), Path::new("a/b"));
        assert_eq!(clean(Path::new("../../x")), Path::new("../../x"));
    }
}
