//! `generator diff OLD NEW [--config FILE]`: the report on stdout, writes nothing, exit codes
//! 0 (success), 1 (invalid input), 2 (usage).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn same_spec_has_no_changes() {
    let base = fixture("diff/base.yaml");
    let base = base.to_str().unwrap();
    let out = generator(&["diff", base, base]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "API changes: 0 breaking, 0 compatible\nsuggested version: 0.1.0 (no bump for the API)\n"
    );
}

#[test]
fn different_specs_print_the_report() {
    let (old, new) = (fixture("object_basic.yaml"), fixture("all_of.yaml"));
    let out = generator(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("API changes: "), "{stdout}");
    assert!(stdout.contains("\nbreaking ("), "{stdout}");
    assert!(
        stdout.contains("suggested version: 0.1.0 → 0.2.0"),
        "{stdout}"
    );
}

#[test]
fn a_missing_spec_is_invalid_input_naming_the_file() {
    let base = fixture("diff/base.yaml");
    let out = generator(&["diff", base.to_str().unwrap(), "no-such-spec.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no-such-spec.yaml"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_missing_argument_is_a_usage_error() {
    let base = fixture("diff/base.yaml");
    let out = generator(&["diff", base.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let out = generator(&["diff", "a.yaml", "b.yaml", "--spec", "c.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}
