//! OpenAPI → Rust client generator.
//!
//! The pipeline is `openapi::load` → [`lower`] (OpenAPI → [`ir`]) → [`emit`] (IR → tokens →
//! formatted files). Lowering never does IO and emission never sees the OpenAPI document.

pub mod docs;
pub mod emit;
pub mod extension;
pub mod features;
pub mod ir;
pub mod lower;
pub mod names;
mod parallel;
pub mod review;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use openapi::Config;

/// A generated crate: every file by its path relative to the crate root, and what happened.
#[derive(Debug, Clone)]
pub struct Output {
    pub files: BTreeMap<PathBuf, String>,
    pub report: Report,
}

/// What the generator did, for the summary it prints.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub schemas_read: usize,
    pub types_emitted: usize,
    /// Operations in the document, and how many became methods (the rest are warnings).
    pub operations_read: usize,
    pub operations_emitted: usize,
    /// Schemas that became `serde_json::Value`, each with its pointer and why.
    pub fallbacks: Vec<Diagnostic>,
    /// Spec examples the generated round-trip test cannot use (not JSON), each with why.
    pub skipped_examples: Vec<Diagnostic>,
    /// Everything else worth saying: name collisions resolved, constructs simplified.
    pub warnings: Vec<Diagnostic>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "schemas read:   {}", self.schemas_read)?;
        writeln!(f, "types emitted:  {}", self.types_emitted)?;
        writeln!(
            f,
            "operations:     {} of {} as methods",
            self.operations_emitted, self.operations_read
        )?;
        writeln!(
            f,
            "fallbacks to serde_json::Value: {}",
            self.fallbacks.len()
        )?;
        for d in &self.fallbacks {
            writeln!(f, "  {}: {}", d.pointer, d.message)?;
        }
        writeln!(
            f,
            "spec examples skipped (not JSON): {}",
            self.skipped_examples.len()
        )?;
        writeln!(f, "warnings: {}", self.warnings.len())?;
        for d in &self.warnings {
            writeln!(f, "  {}: {}", d.pointer, d.message)?;
        }
        Ok(())
    }
}

/// A located finding: a JSON pointer into the spec and a message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub pointer: String,
    pub message: String,
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{pointer}: {message}")]
    Invalid { pointer: String, message: String },
    #[error("emitted code does not parse ({file}): {message}")]
    Emit { file: String, message: String },
}

/// Generates a client crate from a loaded document.
pub fn generate(doc: &openapi::Document, config: &Config) -> Result<Output, GenerateError> {
    let mut model = lower::lower(doc, config);
    model
        .report
        .warnings
        .extend(doc.warnings.iter().map(|w| Diagnostic {
            pointer: w.pointer.clone(),
            message: w.message.clone(),
        }));
    model.report.warnings.sort();
    // The review files need only the model: they are written while the code is emitted.
    let (files, review) = parallel::join(
        || emit::emit(&model, config),
        || review::files(doc, &model, config),
    );
    let mut files = files?;
    files.extend(review);
    Ok(Output {
        files,
        report: model.report,
    })
}
