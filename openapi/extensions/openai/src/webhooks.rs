//! Verifying webhook deliveries and decoding them into [`WebhookEvent`]. Feature `webhooks`
//! (on by default).
//!
//! OpenAI signs webhooks with the [Standard Webhooks](https://www.standardwebhooks.com/)
//! scheme: the `webhook-signature` header holds one or more space-separated `v1,<base64>`
//! signatures, each the HMAC-SHA256 of `"{webhook-id}.{webhook-timestamp}.{body}"` under
//! the endpoint's secret (`whsec_` followed by the base64 key), and `webhook-timestamp` (Unix
//! seconds) must be within a tolerance of now (5 minutes unless set), so that a captured
//! delivery cannot be replayed later. Signatures are compared in constant time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub use crate::types::WebhookEvent;

/// How far a delivery's timestamp may be from now, either way, unless set.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The header with the delivery's unique id.
pub const ID_HEADER: &str = "webhook-id";
/// The header with the delivery's time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The header with the space-separated `v1,<base64>` signatures.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// A webhook endpoint's secret, ready to verify deliveries.
#[derive(Clone)]
pub struct Webhook {
    key: Vec<u8>,
    tolerance: Duration,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("key", &"[REDACTED]")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Why a delivery was not accepted.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not `whsec_` followed by base64.
    InvalidSecret(String),
    /// A header the scheme needs is missing or not text.
    MissingHeader(&'static str),
    /// `webhook-timestamp` is not a number of seconds.
    InvalidTimestamp(String),
    /// The timestamp is further from now than the tolerance: an old (replayed) or
    /// future-dated delivery.
    TimestampOutOfRange { timestamp: i64, now: i64 },
    /// No `v1` signature in `webhook-signature` matches the body.
    InvalidSignature,
    /// The body is signed but is not a webhook event.
    Decode(serde_json::Error),
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::InvalidSecret(why) => write!(f, "invalid webhook secret: {why}"),
            WebhookError::MissingHeader(name) => write!(f, "missing `{name}` header"),
            WebhookError::InvalidTimestamp(value) => {
                write!(f, "`{TIMESTAMP_HEADER}` is not a Unix time: {value:?}")
            }
            WebhookError::TimestampOutOfRange { timestamp, now } => write!(
                f,
                "`{TIMESTAMP_HEADER}` {timestamp} is too far from now ({now}): the delivery may be replayed"
            ),
            WebhookError::InvalidSignature => {
                write!(f, "no signature in `{SIGNATURE_HEADER}` matches the body")
            }
            WebhookError::Decode(error) => write!(f, "the body is not a webhook event: {error}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode(error) => Some(error),
            _ => None,
        }
    }
}

impl Webhook {
    /// The endpoint's secret as the dashboard shows it (`whsec_…`); the prefix may be left
    /// out.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] when the rest is not base64.
    pub fn new(secret: &str) -> Result<Webhook, WebhookError> {
        let encoded = secret
            .trim()
            .strip_prefix("whsec_")
            .unwrap_or(secret.trim());
        let key = STANDARD
            .decode(encoded)
            .map_err(|e| WebhookError::InvalidSecret(format!("not base64 after `whsec_`: {e}")))?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret("empty".into()));
        }
        Ok(Webhook {
            key,
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Sets how far the timestamp may be from now (default 5 minutes).
    pub fn tolerance(mut self, tolerance: Duration) -> Webhook {
        self.tolerance = tolerance;
        self
    }

    /// Checks the three headers against the body, with the clock of this machine.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying what did not match.
    pub fn verify(
        &self,
        id: &str,
        timestamp: &str,
        signatures: &str,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        self.verify_at(id, timestamp, signatures, body, SystemTime::now())
    }

    /// [`verify`](Self::verify) as if the time were `now`.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying what did not match.
    pub fn verify_at(
        &self,
        id: &str,
        timestamp: &str,
        signatures: &str,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let seconds: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::InvalidTimestamp(timestamp.to_owned()))?;
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
        };
        let tolerance = i64::try_from(self.tolerance.as_secs()).unwrap_or(i64::MAX);
        if seconds.abs_diff(now) > tolerance.unsigned_abs() {
            return Err(WebhookError::TimestampOutOfRange {
                timestamp: seconds,
                now,
            });
        }
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return Err(WebhookError::InvalidSecret("unusable key".into()));
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        let candidates = signatures
            .split(' ')
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|signature| STANDARD.decode(signature).ok());
        for candidate in candidates {
            // `verify_slice` compares in constant time.
            if mac.clone().verify_slice(&candidate).is_ok() {
                return Ok(());
            }
        }
        Err(WebhookError::InvalidSignature)
    }

    /// Checks a delivery's headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
    /// against its body.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying what is missing or did not match.
    pub fn verify_headers(
        &self,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let header = |name: &'static str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .ok_or(WebhookError::MissingHeader(name))
        };
        self.verify(
            header(ID_HEADER)?,
            header(TIMESTAMP_HEADER)?,
            header(SIGNATURE_HEADER)?,
            body,
        )
    }

    /// Verifies a delivery and decodes its body into the event it carries.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`]: the delivery is not genuine, or not an event.
    pub fn unwrap(
        &self,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_headers(headers, body)?;
        serde_json::from_slice(body).map_err(WebhookError::Decode)
    }
}
