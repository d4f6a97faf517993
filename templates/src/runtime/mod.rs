//! Hand-written runtime shared by every generated client: copied verbatim from the
//! generator's `templates/` crate, where it is compiled and tested on its own.
//! `templates/README.md` documents the API that generated code calls.

pub mod client;
pub mod config;
pub mod drift;
pub mod encoding;
pub mod error;
pub mod model;
pub mod pagination;
pub mod request;
pub mod response;
pub mod retry;
pub mod sse;

pub use client::{Call, Client, ClientBuilder};
pub use config::{AuthScheme, ClientConfig, EnvHeader, SecretString};
pub use drift::{Conformance, Drift, DriftKind, ExtraFields};
pub use encoding::{QueryStyle, encode_path_segment};
pub use error::{ApiError, ApiErrorKind, Error, ErrorKind, Result};
pub use pagination::{CursorItem, CursorPage, ItemStream, Page};
pub use request::{Multipart, Request, RequestOptions};
pub use response::{
    ApiResponse, Binary, BinaryResponse, BinaryStream, ByteStream, Empty, Json, Text,
};
pub use retry::RetryPolicy;
pub use sse::{Sse, SseEvent, SseStream};
