//! Reviewing a regeneration: the crate's public API as data ([`surface`]), listed line by
//! line in `api.md` ([`listing`], which also reads it back), the changes between two
//! surfaces classified as breaking or compatible ([`changes`]), the report with a suggested
//! version bump ([`report`]), and `.stats.toml` ([`stats`]).

pub mod changes;
pub mod listing;
pub mod report;
pub mod stats;
pub mod surface;

use std::path::PathBuf;

pub use changes::{Change, ChangeKind, Class, compare};
pub use surface::Surface;

use crate::Config;
use crate::lower::Model;

/// The API listing, beside `Cargo.toml` in every generated crate.
pub const API_FILE: &str = "api.md";
/// The generation stats, beside it.
pub const STATS_FILE: &str = ".stats.toml";

/// `api.md` and `.stats.toml` of a generated crate, by path.
pub fn files(doc: &openapi::Document, model: &Model, config: &Config) -> [(PathBuf, String); 2] {
    let surface = Surface::of(model, &config.crate_name);
    [
        (API_FILE.into(), listing::render(&surface)),
        (STATS_FILE.into(), stats::render(doc, model, &surface)),
    ]
}

/// The surface of the crate `doc` would generate, without emitting any code.
pub fn surface_of(doc: &openapi::Document, config: &Config) -> Surface {
    Surface::of(&crate::lower::lower(doc, config), &config.crate_name)
}

/// The change report from `old` to `new` for a crate at `version`.
pub fn change_report(old: &Surface, new: &Surface, version: &str) -> String {
    report::render(&compare(old, new), version)
}
