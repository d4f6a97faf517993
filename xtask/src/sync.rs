//! Bringing a folder in line with a set of generated files, or saying how it differs.
//!
//! **Ownership rule.** The generator owns every file in the output folder except:
//! - anything under a top-level `target/` (a stray build of the crate on its own),
//! - the `.generator-keep` file itself, and
//! - every path listed in `.generator-keep`: one path per line, relative to the output
//!   folder; a folder keeps everything below it; `#` starts a comment.
//!
//! An owned file the generator no longer produces is stale and is deleted; a hand-written
//! file must be declared in `.generator-keep`, so that the exception is visible in review
//! rather than implied by a convention. The generator may not produce a kept path.
//!
//! **Invariant:** [`diff`] only reads; [`apply`] writes only the files that [`diff`] found
//! different, so an unchanged file keeps its mtime and cargo does not rebuild the crate.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

/// The file in the output folder that lists hand-written paths the generator must not touch.
pub const KEEP_FILE: &str = ".generator-keep";

/// How the output folder differs from the generated files.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Generated files that are not on disk.
    pub missing: Vec<PathBuf>,
    /// Files on disk whose content differs from the generated one.
    pub stale: Vec<Stale>,
    /// Owned files on disk that the generator no longer produces.
    pub extra: Vec<PathBuf>,
    /// How many generated files are already on disk as generated.
    pub unchanged: usize,
}

/// A file on disk that differs from what the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: PathBuf,
    /// The first 1-based line at which the two differ.
    pub first_difference: usize,
}

impl Changes {
    /// Whether the folder is exactly what the generator produces.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty() && self.extra.is_empty()
    }

    /// One line per differing file, for a check failure.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for stale in &self.stale {
            let (path, line) = (stale.path.display(), stale.first_difference);
            let _ = writeln!(out, "  stale    {path} (first difference at line {line})");
        }
        for path in &self.missing {
            let _ = writeln!(out, "  missing  {}", path.display());
        }
        for path in &self.extra {
            let _ = writeln!(out, "  extra    {} (no longer generated)", path.display());
        }
        out
    }

    /// One line saying what [`apply`] did.
    pub fn summary(&self) -> String {
        format!(
            "{} created, {} updated, {} deleted, {} unchanged",
            self.missing.len(),
            self.stale.len(),
            self.extra.len(),
            self.unchanged
        )
    }
}

/// Compares `files` (paths relative to `dir`) with what is in `dir`. Reads only.
pub fn diff(dir: &Path, files: &BTreeMap<PathBuf, String>) -> anyhow::Result<Changes> {
    let keep = Keep::read(dir)?;
    for path in files.keys() {
        check_generated_path(path, &keep)?;
    }
    let mut changes = Changes::default();
    for (path, content) in files {
        let full = dir.join(path);
        match fs::read(&full) {
            Ok(bytes) => match first_difference(&bytes, content) {
                None => changes.unchanged += 1,
                Some(line) => changes.stale.push(Stale {
                    path: path.clone(),
                    first_difference: line,
                }),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                changes.missing.push(path.clone())
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", full.display())),
        }
    }
    let on_disk = owned_files(dir, &keep)?;
    changes.extra = on_disk
        .into_iter()
        .filter(|p| !files.contains_key(p))
        .collect();
    Ok(changes)
}

/// Makes `dir` match `files` by applying `changes` (as computed by [`diff`] just before):
/// deletes extra files and the folders they leave empty, then writes missing and stale files.
pub fn apply(
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    changes: &Changes,
) -> anyhow::Result<()> {
    for path in &changes.extra {
        let full = dir.join(path);
        fs::remove_file(&full).with_context(|| format!("cannot delete {}", full.display()))?;
        remove_empty_parents(dir, path)?;
    }
    let to_write = changes
        .missing
        .iter()
        .chain(changes.stale.iter().map(|s| &s.path));
    for path in to_write {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&full, &files[path])
            .with_context(|| format!("cannot write {}", full.display()))?;
    }
    Ok(())
}

/// The hand-written paths declared in `.generator-keep`.
#[derive(Debug, Default)]
struct Keep {
    paths: Vec<PathBuf>,
}

impl Keep {
    fn read(dir: &Path) -> anyhow::Result<Keep> {
        let file = dir.join(KEEP_FILE);
        let text = match fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Keep::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        };
        let mut paths = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let entry = line
                .split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches('/');
            if entry.is_empty() {
                continue;
            }
            let path = PathBuf::from(entry);
            if !is_plain_relative(&path) {
                bail!(
                    "{}:{}: `{entry}` must be a relative path without `.` or `..`",
                    file.display(),
                    i + 1
                );
            }
            paths.push(path);
        }
        Ok(Keep { paths })
    }

    fn keeps(&self, path: &Path) -> bool {
        path == Path::new(KEEP_FILE)
            || path.starts_with("target")
            || self.paths.iter().any(|k| path.starts_with(k))
    }
}

fn check_generated_path(path: &Path, keep: &Keep) -> anyhow::Result<()> {
    if !is_plain_relative(path) {
        bail!(
            "the generator produced `{}`, which is not a plain relative path",
            path.display()
        );
    }
    if keep.keeps(path) {
        bail!(
            "the generator produced `{}`, which is not its to write (it is `{KEEP_FILE}`, under `target/`, \
             or listed in `{KEEP_FILE}`)",
            path.display()
        );
    }
    Ok(())
}

fn is_plain_relative(path: &Path) -> bool {
    path.components().next().is_some()
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Every file below `dir` that the generator owns, relative to `dir`, sorted.
fn owned_files(dir: &Path, keep: &Keep) -> anyhow::Result<BTreeSet<PathBuf>> {
    let mut found = BTreeSet::new();
    if dir.exists() {
        walk(dir, Path::new(""), keep, &mut found)?;
    }
    Ok(found)
}

fn walk(root: &Path, rel: &Path, keep: &Keep, found: &mut BTreeSet<PathBuf>) -> anyhow::Result<()> {
    let dir = root.join(rel);
    let entries = fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = rel.join(entry.file_name());
        if keep.keeps(&path) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(root, &path, keep, found)?;
        } else {
            found.insert(path);
        }
    }
    Ok(())
}

/// Removes the folders between `dir` and `path` that deleting `path` left empty.
fn remove_empty_parents(dir: &Path, path: &Path) -> anyhow::Result<()> {
    let mut current = path.parent();
    while let Some(rel) = current.filter(|p| !p.as_os_str().is_empty()) {
        let full = dir.join(rel);
        let is_empty = fs::read_dir(&full)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !is_empty {
            break;
        }
        fs::remove_dir(&full).with_context(|| format!("cannot delete {}", full.display()))?;
        current = rel.parent();
    }
    Ok(())
}

/// `None` when the file holds `expected` (line endings aside, so a CRLF checkout passes),
/// otherwise the first 1-based line at which they differ.
fn first_difference(on_disk: &[u8], expected: &str) -> Option<usize> {
    if on_disk == expected.as_bytes() {
        return None;
    }
    let on_disk = String::from_utf8_lossy(on_disk).replace("\r\n", "\n");
    let expected = expected.replace("\r\n", "\n");
    if on_disk == expected {
        return None;
    }
    let mut disk_lines = on_disk.split('\n');
    let mut expected_lines = expected.split('\n');
    let mut line = 1;
    loop {
        match (disk_lines.next(), expected_lines.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            _ => return Some(line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        entries
            .iter()
            .map(|(p, c)| (PathBuf::from(p), c.to_string()))
            .collect()
    }

    fn write(dir: &Path, path: &str, content: &str) {
        let full = dir.join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, content).unwrap();
    }

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn finds_missing_stale_extra_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Cargo.toml", "[package]\n");
        write(dir.path(), "src/lib.rs", "a\nb\nc\n");
        write(dir.path(), "src/old.rs", "gone\n");
        let generated = files(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "a\nB\nc\n"),
            ("src/new.rs", "x"),
        ]);

        let changes = diff(dir.path(), &generated).unwrap();

        assert_eq!(changes.missing, paths(&["src/new.rs"]));
        assert_eq!(
            changes.stale,
            vec![Stale {
                path: "src/lib.rs".into(),
                first_difference: 2
            }]
        );
        assert_eq!(changes.extra, paths(&["src/old.rs"]));
        assert_eq!(changes.unchanged, 1);
    }

    #[test]
    fn apply_makes_the_folder_match_and_prunes_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "src/lib.rs", "old");
        write(dir.path(), "src/gone/deep/file.rs", "x");
        let generated = files(&[("src/lib.rs", "new"), ("tests/t.rs", "t")]);

        let changes = diff(dir.path(), &generated).unwrap();
        apply(dir.path(), &generated, &changes).unwrap();

        assert!(diff(dir.path(), &generated).unwrap().is_empty());
        assert!(!dir.path().join("src/gone").exists());
        assert!(dir.path().join("src").exists());
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "src/lib.rs", "same");
        let before = fs::metadata(dir.path().join("src/lib.rs"))
            .unwrap()
            .modified()
            .unwrap();
        let generated = files(&[("src/lib.rs", "same"), ("src/other.rs", "new")]);

        let changes = diff(dir.path(), &generated).unwrap();
        apply(dir.path(), &generated, &changes).unwrap();

        let after = fs::metadata(dir.path().join("src/lib.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn kept_paths_and_target_are_never_touched() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            KEEP_FILE,
            "# hand-written\nexamples/\nsrc/extra.rs  # helper\n",
        );
        write(dir.path(), "examples/demo.rs", "fn main() {}");
        write(dir.path(), "src/extra.rs", "pub fn helper() {}");
        write(dir.path(), "target/debug/junk", "");
        let generated = files(&[("src/lib.rs", "")]);

        let changes = diff(dir.path(), &generated).unwrap();

        assert!(changes.extra.is_empty(), "{changes:?}");
    }

    #[test]
    fn refuses_to_generate_a_kept_or_unsafe_path() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), KEEP_FILE, "src/extra.rs\n");
        for bad in [
            "src/extra.rs",
            "../escape.rs",
            "/abs.rs",
            "target/x",
            KEEP_FILE,
        ] {
            let err = diff(dir.path(), &files(&[(bad, "")])).unwrap_err();
            assert!(
                err.to_string().contains("the generator produced"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn line_endings_do_not_make_a_file_stale() {
        assert_eq!(first_difference(b"a\r\nb\r\n", "a\nb\n"), None);
        assert_eq!(first_difference(b"a\nb\n", "a\nb\nc\n"), Some(3));
        assert_eq!(first_difference(b"x", "y"), Some(1));
    }

    #[test]
    fn a_missing_folder_means_every_file_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("not-yet");
        let changes = diff(&out, &files(&[("Cargo.toml", "")])).unwrap();
        assert_eq!(changes.missing, paths(&["Cargo.toml"]));
    }
}
