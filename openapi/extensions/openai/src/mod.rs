//! Hand-written helpers for the OpenAI API, kept in `openapi/extensions/openai/` and copied
//! into the crate by the generator; they use only the crate's public API. Each module is
//! re-exported at the crate root: `openai_client::streaming`, `openai_client::webhooks`, ….

pub mod azure;
#[cfg(feature = "embeddings")]
pub mod embeddings;
pub mod streaming;
#[cfg(feature = "structured-outputs")]
pub mod structured;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use azure::Azure;
pub use streaming::{AccumulateError, AccumulatingStream, Accumulator};
#[cfg(feature = "structured-outputs")]
pub use structured::{StructuredOutputError, StructuredSchema};
#[cfg(feature = "webhooks")]
pub use webhooks::{Webhook, WebhookError};

/// The traits and names most programs use, for `use openai_client::prelude::*;`.
pub mod prelude {
    pub use crate::runtime::{AuthScheme, CursorPage, ItemStream, SseStream};
    pub use crate::streaming::{AccumulateError, Accumulator};
    pub use crate::{
        Client, Conformance, Error, ErrorKind, ExtraFields, InputFile, RequestOptions,
    };
    /// The `Stream` trait the crate's streams implement (for `futures::StreamExt` and
    /// friends; `next()` needs no import).
    pub use futures_core::Stream;
}

/// The repository's README, whose Rust examples (the helpers' among them) compile as doctests
/// of this crate. Only in doctest builds with `structured-outputs`, which one of them needs
/// (`cargo test --workspace` turns it on).
#[cfg(all(doctest, feature = "structured-outputs"))]
#[doc = include_str!("../../../README.md")]
pub struct ProjectReadme;
