//! The static description of an API that a generated crate hands to the runtime,
//! and the secret type that keeps its API key out of `Debug` output.
//!
//! Nothing here names a particular API: the generated crate declares one
//! `static CONFIG: ClientConfig` (base URL from the spec's `servers`, environment
//! variable names, auth scheme, its own name and version) and passes `&CONFIG` to
//! [`Client::builder`](crate::runtime::client::Client::builder).

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::fmt;

/// How the API key is attached to every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `Authorization: Bearer <key>` (OpenAPI `http`/`bearer`).
    Bearer,
    /// `<header>: <key>` (OpenAPI `apiKey` in `header`).
    ApiKeyHeader(&'static str),
    /// `?<name>=<key>` on every request (OpenAPI `apiKey` in `query`).
    ApiKeyQuery(&'static str),
    /// `Authorization: Basic base64(<key>)` (OpenAPI `http`/`basic`); the key is `user:password`.
    Basic,
    /// No credentials are sent, and no API key is required.
    None,
}

/// A header whose value may come from an environment variable, such as
/// `OPENAI_ORG_ID` → `OpenAI-Organization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvHeader {
    /// The environment variable to read.
    pub env: &'static str,
    /// The header to send its value in.
    pub header: &'static str,
}

impl EnvHeader {
    /// Pairs an environment variable with the header it fills.
    pub const fn new(env: &'static str, header: &'static str) -> Self {
        EnvHeader { env, header }
    }
}

/// Everything API-specific the runtime needs, declared once by the generated crate
/// as a `static` and built with the `const` methods below.
///
/// ```ignore
/// use crate::runtime::config::{AuthScheme, ClientConfig, EnvHeader};
///
/// static CONFIG: ClientConfig = ClientConfig::new("openai-client", "0.1.0", "https://api.openai.com/v1")
///     .auth(AuthScheme::Bearer)
///     .api_key_env("OPENAI_API_KEY")
///     .base_url_env("OPENAI_BASE_URL")
///     .env_headers(&[
///         EnvHeader::new("OPENAI_ORG_ID", "OpenAI-Organization"),
///         EnvHeader::new("OPENAI_PROJECT_ID", "OpenAI-Project"),
///     ]);
/// assert_eq!(CONFIG.user_agent(), "openai-client/0.1.0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The generated crate's name, the first half of `User-Agent`.
    pub crate_name: &'static str,
    /// The generated crate's version, the second half of `User-Agent`.
    pub crate_version: &'static str,
    /// The base URL used when neither the builder nor `base_url_env` gives one
    /// (the spec's first `servers` entry).
    pub default_base_url: &'static str,
    /// How the API key is sent.
    pub auth: AuthScheme,
    /// The environment variable holding the API key, if any.
    pub api_key_env: Option<&'static str>,
    /// The environment variable that overrides the base URL, if any.
    pub base_url_env: Option<&'static str>,
    /// Headers filled from environment variables when set.
    pub env_headers: &'static [EnvHeader],
    /// The response header that carries the request id (`x-request-id`).
    pub request_id_header: &'static str,
    /// A header that carries one idempotency key per logical non-GET request,
    /// repeated unchanged on every retry (for example `Idempotency-Key`); `None` sends none.
    pub idempotency_header: Option<&'static str>,
}

impl ClientConfig {
    /// A configuration with bearer auth, no environment variables, and `x-request-id`
    /// as the request id header.
    pub const fn new(
        crate_name: &'static str,
        crate_version: &'static str,
        default_base_url: &'static str,
    ) -> Self {
        ClientConfig {
            crate_name,
            crate_version,
            default_base_url,
            auth: AuthScheme::Bearer,
            api_key_env: None,
            base_url_env: None,
            env_headers: &[],
            request_id_header: "x-request-id",
            idempotency_header: None,
        }
    }

    /// Sets how the API key is sent.
    pub const fn auth(mut self, auth: AuthScheme) -> Self {
        self.auth = auth;
        self
    }

    /// Names the environment variable that holds the API key.
    pub const fn api_key_env(mut self, name: &'static str) -> Self {
        self.api_key_env = Some(name);
        self
    }

    /// Names the environment variable that overrides the base URL.
    pub const fn base_url_env(mut self, name: &'static str) -> Self {
        self.base_url_env = Some(name);
        self
    }

    /// Lists the headers filled from environment variables.
    pub const fn env_headers(mut self, headers: &'static [EnvHeader]) -> Self {
        self.env_headers = headers;
        self
    }

    /// Names the response header that carries the request id.
    pub const fn request_id_header(mut self, name: &'static str) -> Self {
        self.request_id_header = name;
        self
    }

    /// Names the header that carries an idempotency key on non-GET requests.
    pub const fn idempotency_header(mut self, name: &'static str) -> Self {
        self.idempotency_header = Some(name);
        self
    }

    /// `<crate_name>/<crate_version>`, sent as `User-Agent`.
    pub fn user_agent(&self) -> String {
        format!("{}/{}", self.crate_name, self.crate_version)
    }
}

/// A string that never shows itself in `Debug` (there is no `Display`): the API key.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(Box<str>);

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretString(secret.into().into_boxed_str())
    }

    /// The secret itself; call only where it is sent.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString([REDACTED])")
    }
}

impl From<String> for SecretString {
    fn from(secret: String) -> Self {
        SecretString::new(secret)
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        SecretString::new(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted_in_debug() {
        let secret = SecretString::new("sk-very-secret");
        assert_eq!(format!("{secret:?}"), "SecretString([REDACTED])");
        assert_eq!(secret.expose_secret(), "sk-very-secret");
    }

    #[test]
    fn config_is_const() {
        const C: ClientConfig = ClientConfig::new("x", "1.2.3", "https://example.test/v1")
            .auth(AuthScheme::ApiKeyHeader("api-key"))
            .api_key_env("X_KEY")
            .idempotency_header("Idempotency-Key");
        assert_eq!(C.user_agent(), "x/1.2.3");
        assert_eq!(C.auth, AuthScheme::ApiKeyHeader("api-key"));
        assert_eq!(C.idempotency_header, Some("Idempotency-Key"));
    }
}
