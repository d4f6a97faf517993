//! The input side of the generator: reading an OpenAPI 3.0 or 3.1 document from YAML or
//! JSON (and the files its `$ref`s name), normalising 3.1 constructs into the 3.0 model of
//! the `openapiv3` crate, and the per-API generator configuration.
//!
//! [`load`] runs these steps, each in its own module:
//!
//! 1. `parse`: text → JSON tree (YAML quirks answered: numeric keys, 128-bit integers,
//!    duplicate keys are errors with their line).
//! 2. version check: Swagger 2.0, a missing `openapi` or another version is an error.
//! 3. `refs`: nodes that `$ref`s name in other files are imported into `components`;
//!    every local `$ref` must resolve, and no chain of `$ref`s may loop without an object.
//! 4. `normalize`: 3.1 idioms → the shapes of the 3.0 model (`anyOf: [X, null]` →
//!    `allOf: [X]` + `nullable`, …). Schemas are found by the document's structure
//!    (`walk`), never guessed from their keys.
//! 5. `validate`: rules the model does not enforce (each path parameter is in its
//!    template, operationIds are unique); a mismatch with one safe reading is repaired.
//! 6. `openapiv3` reads the tree; its errors are narrowed to the innermost failing node.
//! 7. `lossless`: the model is serialised against the tree, and whatever it did not keep
//!    becomes a [`Warning`].
//!
//! **Invariants.**
//! - Every diagnostic names where the user wrote the node: a JSON pointer into the document
//!   (or into another file, for imported nodes) and, for errors, the line. Normalisation
//!   records each node it moves (`pointer::Origins`) to make that possible.
//! - Nothing is dropped silently: what the 3.0 model cannot hold is a located warning.
//! - Loading never panics on any input (a test breaks a document in thousands of ways) and
//!   never reads anything but local files next to the document; remote `$ref`s are errors.
//! - Deliberately absent: remote references, `$anchor`-style references (`#name`), and
//!   `$id`-based resolution.

mod config;
mod load;
mod lossless;
mod normalize;
mod parse;
mod pointer;
mod refs;
mod validate;
mod walk;

pub use config::{Config, ConfigError, Extension, Overlay};
pub use load::{
    Document, LoadError, SpecVersion, Warning, load, load_str, load_str_with, load_with,
};
pub use openapiv3;

/// Parses YAML or JSON text into a JSON tree and nothing more (no `$ref`s, no model, no
/// normalisation): the floor `cargo xtask bench` measures loading and generation against.
pub fn parse_value(text: &str, file: &std::path::Path) -> Result<serde_json::Value, LoadError> {
    parse::parse(text, file).map(|(value, _)| value)
}
