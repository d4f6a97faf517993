//! The input side of the generator: reading an OpenAPI 3.0 or 3.1 document from YAML or
//! JSON (and the files its `$ref`s name), normalising 3.1 constructs into the 3.0 model of
//! the `openapiv3` crate, and the per-API generator configuration.

mod config;
mod load;
mod lossless;
mod normalize;
mod parse;
mod pointer;
mod refs;
mod walk;

pub use config::{Config, ConfigError};
pub use load::{Document, LoadError, SpecVersion, Warning, load, load_str};
pub use openapiv3;
