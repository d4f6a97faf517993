//! The summary `cargo xtask codegen` prints after generating.

use std::fmt::Write as _;

use generator::{Diagnostic, Report};

/// How much of the report to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Counts, and every fallback with its pointer and reason: a fallback loses type
    /// information users see, so it is always worth a line.
    Summary,
    /// Everything, including each warning.
    Full,
}

/// The report as text: counts, fallbacks, and warnings (listed only in [`Detail::Full`]).
///
/// Spec warnings the generator already passed on in its own warnings are counted once.
pub fn render(
    crate_name: &str,
    spec_warnings: &[openapi::Warning],
    report: &Report,
    detail: Detail,
) -> String {
    let spec_warnings = spec_only(spec_warnings, report);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{crate_name}: {} schemas read, {} types emitted, {} of {} operations as methods, \
         {} fallbacks to serde_json::Value, {} warnings ({} from the generator, {} from loading the spec)",
        report.schemas_read,
        report.types_emitted,
        report.operations_emitted,
        report.operations_read,
        report.fallbacks.len(),
        report.warnings.len() + spec_warnings.len(),
        report.warnings.len(),
        spec_warnings.len(),
    );
    if !report.fallbacks.is_empty() {
        let _ = writeln!(out, "fallbacks:");
        list(&mut out, &report.fallbacks);
    }
    let has_warnings = !report.warnings.is_empty() || !spec_warnings.is_empty();
    match detail {
        Detail::Summary if has_warnings => {
            let _ = writeln!(out, "(run with --verbose to list the warnings)");
        }
        Detail::Summary => {}
        Detail::Full => {
            if !report.warnings.is_empty() {
                let _ = writeln!(out, "generator warnings:");
                list(&mut out, &report.warnings);
            }
            if !spec_warnings.is_empty() {
                let _ = writeln!(out, "spec warnings:");
                for w in &spec_warnings {
                    let _ = writeln!(out, "  {}: {}", w.pointer, w.message);
                }
            }
        }
    }
    out
}

/// The spec warnings that are not already among the generator's warnings.
fn spec_only<'a>(
    spec_warnings: &'a [openapi::Warning],
    report: &Report,
) -> Vec<&'a openapi::Warning> {
    let passed_on = |w: &openapi::Warning| {
        report
            .warnings
            .iter()
            .any(|d| d.pointer == w.pointer && d.message == w.message)
    };
    spec_warnings.iter().filter(|w| !passed_on(w)).collect()
}

fn list(out: &mut String, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let _ = writeln!(out, "  {}: {}", d.pointer, d.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(pointer: &str, message: &str) -> Diagnostic {
        Diagnostic {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    #[test]
    fn summary_names_every_fallback_and_counts_warnings() {
        let report = Report {
            schemas_read: 3,
            types_emitted: 2,
            fallbacks: vec![diagnostic(
                "#/components/schemas/A",
                "not: is not supported",
            )],
            warnings: vec![diagnostic("#/components/schemas/B", "renamed to B2")],
            ..Report::default()
        };
        let spec = [openapi::Warning {
            pointer: "#/x".into(),
            message: "dropped".into(),
        }];

        let text = render("demo", &spec, &report, Detail::Summary);

        assert_eq!(
            text,
            "demo: 3 schemas read, 2 types emitted, 0 of 0 operations as methods, \
             1 fallbacks to serde_json::Value, 2 warnings (1 from the generator, 1 from loading the spec)\n\
             fallbacks:\n  #/components/schemas/A: not: is not supported\n\
             (run with --verbose to list the warnings)\n"
        );
        let full = render("demo", &spec, &report, Detail::Full);
        assert!(
            full.contains("generator warnings:\n  #/components/schemas/B: renamed to B2\n"),
            "{full}"
        );
        assert!(full.contains("spec warnings:\n  #/x: dropped\n"), "{full}");
    }

    #[test]
    fn spec_warnings_passed_on_by_the_generator_count_once() {
        let report = Report {
            warnings: vec![diagnostic("#/x", "dropped")],
            ..Report::default()
        };
        let spec = [openapi::Warning {
            pointer: "#/x".into(),
            message: "dropped".into(),
        }];

        let text = render("demo", &spec, &report, Detail::Full);

        assert!(
            text.contains("1 warnings (1 from the generator, 0 from loading the spec)"),
            "{text}"
        );
        assert!(!text.contains("spec warnings:"), "{text}");
    }
}
