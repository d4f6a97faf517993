//! The change report: counts per class and kind, a suggested version bump, then every change.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::changes::{Change, ChangeKind, Class};

/// A semver bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// The bump Cargo's semver rules call for, the version it gives, and the rule applied.
///
/// Cargo treats the first non-zero component as the major one: for `0.y.z` a change of `y`
/// is breaking and `z` takes additions; for `0.0.z` every release is breaking.
pub fn suggest(version: &str, changes: &[Change]) -> (Bump, Option<String>, &'static str) {
    let breaking = changes.iter().any(|c| c.class() == Class::Breaking);
    let any = !changes.is_empty();
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<u64> = core.split('.').filter_map(|p| p.parse().ok()).collect();
    let [major, minor, patch] = parts[..] else {
        let bump = match (breaking, any) {
            (true, _) => Bump::Major,
            (false, true) => Bump::Minor,
            _ => Bump::None,
        };
        return (bump, None, "semver (the version is not MAJOR.MINOR.PATCH)");
    };
    let (bump, rule) = match (major, minor) {
        _ if !any => (Bump::None, "no API change"),
        (0, 0) => (Bump::Patch, "0.0.z: Cargo treats every release as breaking"),
        (0, _) if breaking => (Bump::Minor, "0.y.z: Cargo treats y as the breaking number"),
        (0, _) => (Bump::Patch, "0.y.z: compatible changes go in z"),
        _ if breaking => (Bump::Major, "x.y.z, x ≥ 1: breaking changes bump x"),
        _ => (Bump::Minor, "x.y.z, x ≥ 1: compatible changes bump y"),
    };
    let next = match bump {
        Bump::None => format!("{major}.{minor}.{patch}"),
        Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
        Bump::Minor => format!("{major}.{}.0", minor + 1),
        Bump::Major => format!("{}.0.0", major + 1),
    };
    (bump, Some(next), rule)
}

/// The report for `changes` (as [`super::changes::compare`] returns them) to a crate at
/// `version`.
pub fn render(changes: &[Change], version: &str) -> String {
    let mut out = String::new();
    let count = |class| changes.iter().filter(|c| c.class() == class).count();
    let (breaking, compatible) = (count(Class::Breaking), count(Class::Compatible));
    let _ = writeln!(
        out,
        "API changes: {breaking} breaking, {compatible} compatible"
    );
    let (bump, next, rule) = suggest(version, changes);
    let bump_word = format!("{bump:?}").to_lowercase();
    match next {
        Some(next) if bump != Bump::None => {
            let _ = writeln!(
                out,
                "suggested version: {version} → {next} ({bump_word} bump; {rule})"
            );
        }
        _ if bump == Bump::None => {
            let _ = writeln!(out, "suggested version: {version} (no bump for the API)");
        }
        _ => {
            let _ = writeln!(out, "suggested bump: {bump_word} ({rule})");
        }
    }
    let mut per_kind: BTreeMap<ChangeKind, usize> = BTreeMap::new();
    for c in changes {
        *per_kind.entry(c.kind).or_default() += 1;
    }
    let width = changes
        .iter()
        .map(|c| c.kind.label().chars().count())
        .max()
        .unwrap_or(0);
    for (class, title) in [
        (Class::Breaking, "breaking"),
        (Class::Compatible, "compatible"),
    ] {
        let kinds: Vec<_> = per_kind
            .iter()
            .filter(|(k, _)| k.class() == class)
            .collect();
        if kinds.is_empty() {
            continue;
        }
        let summary: Vec<String> = kinds
            .iter()
            .map(|(k, n)| format!("{n} {}", k.label()))
            .collect();
        let _ = writeln!(out, "  {title}: {}", summary.join(", "));
    }
    for (class, title) in [
        (Class::Breaking, "breaking"),
        (Class::Compatible, "compatible"),
    ] {
        let listed: Vec<&Change> = changes.iter().filter(|c| c.class() == class).collect();
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({}):", listed.len());
        for c in listed {
            let label = c.kind.label();
            let line = format!("  {label:<width$}  {}  {}", c.item, c.detail);
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: ChangeKind) -> Change {
        Change {
            kind,
            item: "x".into(),
            detail: String::new(),
        }
    }

    #[test]
    fn bumps_follow_cargo_rules_for_zero_versions() {
        let breaking = [
            change(ChangeKind::TypeRemoved),
            change(ChangeKind::TypeAdded),
        ];
        let compatible = [change(ChangeKind::TypeAdded)];
        let cases = [
            ("0.1.0", &breaking[..], Bump::Minor, "0.2.0"),
            ("0.1.3", &compatible[..], Bump::Patch, "0.1.4"),
            ("0.0.3", &compatible[..], Bump::Patch, "0.0.4"),
            ("1.2.3", &breaking[..], Bump::Major, "2.0.0"),
            ("1.2.3", &compatible[..], Bump::Minor, "1.3.0"),
            ("1.2.3", &[][..], Bump::None, "1.2.3"),
            ("0.3.0-beta.1", &breaking[..], Bump::Minor, "0.4.0"),
        ];
        for (version, changes, bump, next) in cases {
            let (b, n, _) = suggest(version, changes);
            assert_eq!((b, n.as_deref()), (bump, Some(next)), "{version}");
        }
    }
}
