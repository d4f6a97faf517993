//! Azure OpenAI, and any other server that speaks the OpenAI API.
//!
//! An Azure OpenAI resource serves each model deployment under
//! `https://<resource>.openai.azure.com/openai/deployments/<deployment>`, takes the key in an
//! `api-key` header and wants an `api-version` query parameter on every request. The
//! `v1` API (`…/openai/v1`) needs no deployment in the path and no `api-version`.
//! [`Azure`] builds the client for either; every method of the crate then works as
//! usual (`client.chat().completions().create(…)` goes to
//! `…/deployments/<deployment>/chat/completions?api-version=…`).
//!
//! Any other OpenAI-compatible server only needs its base URL, and a key if it wants one:
//! `Client::builder().base_url("http://127.0.0.1:11434/v1").auth(AuthScheme::None).build()`.

use crate::runtime::{AuthScheme, ClientBuilder};

/// The environment variable [`Azure::builder`] reads the key from when none is set.
pub const AZURE_API_KEY_ENV: &str = "AZURE_OPENAI_API_KEY";

/// How to reach an Azure OpenAI resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Azure {
    endpoint: String,
    deployment: Option<String>,
    api_version: Option<String>,
}

impl Azure {
    /// The resource's endpoint, `https://<resource>.openai.azure.com`.
    pub fn new(endpoint: impl Into<String>) -> Azure {
        Azure {
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            deployment: None,
            api_version: None,
        }
    }

    /// Calls go to this deployment (`…/openai/deployments/<deployment>`); without one they
    /// go to the `v1` API (`…/openai/v1`), where the request names the model.
    pub fn deployment(mut self, deployment: impl Into<String>) -> Azure {
        self.deployment = Some(deployment.into());
        self
    }

    /// The `api-version` query parameter every request carries (for example `2024-10-21`).
    pub fn api_version(mut self, api_version: impl Into<String>) -> Azure {
        self.api_version = Some(api_version.into());
        self
    }

    /// The base URL calls are made under.
    pub fn base_url(&self) -> String {
        match &self.deployment {
            Some(deployment) => format!(
                "{}/openai/deployments/{}",
                self.endpoint,
                crate::runtime::encode_path_segment(deployment)
            ),
            None => format!("{}/openai/v1", self.endpoint),
        }
    }

    /// A client builder for the resource: its base URL, the `api-version` parameter, and
    /// the key sent as `api-key` (read from `AZURE_OPENAI_API_KEY` unless `api_key()` sets
    /// it). For a Microsoft Entra ID token instead of a key, add
    /// `.auth(AuthScheme::Bearer).api_key(token)`.
    pub fn builder(&self) -> ClientBuilder {
        let mut builder = crate::Client::builder()
            .base_url(self.base_url())
            .auth(AuthScheme::ApiKeyHeader("api-key"));
        if let Some(version) = &self.api_version {
            builder = builder.default_query("api-version", version.clone());
        }
        match std::env::var(AZURE_API_KEY_ENV) {
            Ok(key) if !key.trim().is_empty() => builder.api_key(key),
            _ => builder,
        }
    }
}
