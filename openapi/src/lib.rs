//! The input side of the generator: reading an OpenAPI 3.0 or 3.1 document
//! from YAML or JSON, normalising 3.1 constructs into the 3.0 model of the
//! `openapiv3` crate, and the per-API generator configuration.

mod config;
mod load;
mod normalize;

pub use config::{Config, ConfigError};
pub use load::{load, load_str, Document, LoadError, SpecVersion, Warning};
pub use openapiv3;
