//! The client: configuration from the builder and the environment, and request
//! execution with retries and timeouts. [`Call`] is what generated methods return.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};

use crate::runtime::config::{AuthScheme, ClientConfig, SecretString};
use crate::runtime::encoding;
use crate::runtime::error::{
    ApiError, ApiErrorKind, ConnectionError, Error, ErrorBody, ErrorKind, Result, TimeoutError,
};
use crate::runtime::request::{Request, RequestOptions};
use crate::runtime::response::{
    ApiResponse, Binary, BinaryStream, ByteStream, Format, ReceivedBody, ResponseParts,
};
use crate::runtime::retry::{self, RetryPolicy};

/// The timeout of each attempt when none is configured: 10 minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// An API client: cheap to clone (one `Arc`), safe to share between tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    config: &'static ClientConfig,
    /// `config.auth`, unless the builder chose another scheme.
    auth: AuthScheme,
    http: reqwest::Client,
    base_url: String,
    api_key: Option<SecretString>,
    headers: HeaderMap,
    query: Vec<(String, String)>,
    timeout: Duration,
    retry: RetryPolicy,
    options: RequestOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("auth", &inner.auth)
            .field("api_key", &inner.api_key)
            .field("headers", &inner.headers)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client configured from the environment alone: the API key from
    /// `config.api_key_env` (an error naming that variable if it is unset and the
    /// auth scheme needs one), the base URL from `config.base_url_env` or the default,
    /// and each of `config.env_headers` whose variable is set.
    pub fn from_env_with(config: &'static ClientConfig) -> Result<Client> {
        Client::builder_with(config).build()
    }

    /// A builder. Anything not set on it is read from the environment at `build()`,
    /// as [`Client::from_env_with`] does (see [`ClientBuilder::env_source`] to change that).
    pub fn builder_with(config: &'static ClientConfig) -> ClientBuilder {
        ClientBuilder {
            config,
            api_key: None,
            base_url: None,
            headers: Vec::new(),
            query: Vec::new(),
            timeout: None,
            retry: RetryPolicy::default(),
            http: None,
            env: EnvSource::Process,
            strict: false,
            auth: None,
        }
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &'static ClientConfig {
        self.inner.config
    }

    /// The base URL requests are sent under.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The timeout of each attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// Whether a response to `request` that departs from the spec is an error rather than
    /// decoded forgivingly: the request's option, else the client's.
    pub fn is_strict(&self, request: &Request) -> bool {
        request
            .options
            .strict
            .or(self.inner.options.strict)
            .unwrap_or(false)
    }

    /// A copy of this client whose every request also carries `options` (the
    /// request's own options still win). Shares the connection pool.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut inner = (*self.inner).clone();
        inner.options.merge(options);
        Client {
            inner: Arc::new(inner),
        }
    }

    /// Prepares a call; generated methods return this, and awaiting it sends the request.
    pub fn call<F: Format>(&self, request: Request) -> Call<F> {
        Call {
            client: self.clone(),
            request,
            format: PhantomData,
        }
    }

    /// Sends a request with retries and returns the status, headers and body of the
    /// first 2xx response: read in full, or (when `streaming`) left unread so that
    /// nothing is retried once the body has started.
    #[doc(hidden)]
    pub async fn execute(
        &self,
        request: &Request,
        streaming: bool,
        accept: &str,
    ) -> Result<(ResponseParts, ReceivedBody)> {
        let prepared = self.prepare(request, accept)?;
        let mut retries_done = 0;
        loop {
            let can_retry = retries_done < prepared.max_retries;
            let attempt = tokio::time::timeout(
                prepared.timeout,
                self.attempt(&prepared, streaming, can_retry),
            )
            .await;
            let wait = match attempt {
                Ok(Ok(Attempt::Done(parts, body))) => return Ok((parts, body)),
                Ok(Ok(Attempt::Failed(error))) => return Err(error),
                Ok(Ok(Attempt::Retry(headers))) => {
                    self.inner.retry.delay(retries_done, Some(&headers))
                }
                Ok(Err(e)) if e.is_builder() => {
                    return Err(Error::config(format!(
                        "{}: {}",
                        prepared.describe,
                        e.without_url()
                    )));
                }
                Ok(Err(e)) if !can_retry => return Err(transport_error(e, &prepared)),
                Err(_) if !can_retry => {
                    return Err(ErrorKind::Timeout(TimeoutError {
                        request: prepared.describe.clone(),
                        after: prepared.timeout,
                    })
                    .into());
                }
                Ok(Err(_)) | Err(_) => self.inner.retry.delay(retries_done, None),
            };
            tokio::time::sleep(wait).await;
            retries_done += 1;
        }
    }

    async fn attempt(
        &self,
        prepared: &Prepared,
        streaming: bool,
        can_retry: bool,
    ) -> reqwest::Result<Attempt> {
        let mut builder = self
            .inner
            .http
            .request(prepared.method.clone(), prepared.url.clone())
            .headers(prepared.headers.clone());
        if let Some(body) = &prepared.body {
            builder = builder.body(body.clone());
        }
        let mut response = builder.send().await?;
        let status = response.status();
        if status.is_success() {
            let headers = std::mem::take(response.headers_mut());
            let body = if streaming {
                ReceivedBody::Streaming(ByteStream::from_response(
                    response,
                    prepared.timeout,
                    prepared.describe.clone(),
                ))
            } else {
                ReceivedBody::Full(response.bytes().await?)
            };
            return Ok(Attempt::Done(ResponseParts { status, headers }, body));
        }
        if can_retry && retry::should_retry(status, response.headers()) {
            return Ok(Attempt::Retry(std::mem::take(response.headers_mut())));
        }
        let headers = std::mem::take(response.headers_mut());
        // A body that cannot be read still leaves a typed API error with the status.
        let body = response.bytes().await.unwrap_or_default();
        Ok(Attempt::Failed(self.api_error(status, headers, &body)))
    }

    fn api_error(&self, status: StatusCode, headers: HeaderMap, body: &Bytes) -> Error {
        let mut raw_body = String::from_utf8_lossy(body).into_owned();
        let mut parsed = ErrorBody::parse(body);
        // Servers sometimes echo the credential back; it must not reach a log.
        let echoed = self
            .inner
            .api_key
            .as_ref()
            .map(SecretString::expose_secret)
            .filter(|k| k.len() >= 4 && raw_body.contains(*k));
        if let Some(key) = echoed {
            raw_body = raw_body.replace(key, "[REDACTED]");
            parsed = ErrorBody::parse(raw_body.as_bytes());
        }
        let request_id = headers
            .get(self.inner.config.request_id_header)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        ErrorKind::Api(ApiError {
            status,
            kind: ApiErrorKind::from_status(status),
            body: parsed,
            raw_body,
            request_id,
            headers,
        })
        .into()
    }

    fn prepare(&self, request: &Request, accept: &str) -> Result<Prepared> {
        let inner = &*self.inner;
        if let Some(message) = &request.invalid {
            return Err(Error::encode(message.clone()));
        }
        let describe = request.describe();
        if !encoding::path_is_safe(&request.path) {
            return Err(Error::encode(format!(
                "{describe}: a path parameter is `.` or `..`, which would change the path"
            )));
        }
        let separator = if request.path.starts_with('/') {
            ""
        } else {
            "/"
        };
        let mut url = Url::parse(&format!("{}{separator}{}", inner.base_url, request.path))
            .map_err(|e| Error::config(format!("{describe}: invalid URL: {e}")))?;
        let mut options = inner.options.clone();
        options.merge(request.options.clone());

        let auth_query = match (inner.auth, &inner.api_key) {
            (AuthScheme::ApiKeyQuery(name), Some(key)) => Some((name, key.expose_secret())),
            _ => None,
        };
        let mut pairs = inner
            .query
            .iter()
            .chain(&request.query)
            .chain(&options.extra_query)
            .peekable();
        if pairs.peek().is_some() || auth_query.is_some() {
            let mut query = url.query_pairs_mut();
            for (name, value) in pairs {
                query.append_pair(name, value);
            }
            if let Some((name, key)) = auth_query {
                query.append_pair(name, key);
            }
        }

        let mut headers = inner.headers.clone();
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, header_value("Accept", accept)?);
        }
        let body = if options.extra_body.is_empty() {
            request.body.encoded()
        } else {
            Some(
                request
                    .body
                    .with_fields(&options.extra_body)
                    .map_err(|e| Error::encode(format!("{describe}: {e}")))?,
            )
        };
        if let Some((_, content_type)) = &body {
            headers.insert(CONTENT_TYPE, header_value("Content-Type", content_type)?);
        }
        if let (Some(name), false) = (
            inner.config.idempotency_header,
            request.method == Method::GET,
        ) {
            let key = options
                .idempotency_key
                .clone()
                .unwrap_or_else(|| format!("retry-{}", retry::random_hex()));
            headers.insert(header_name(name)?, header_value(name, &key)?);
        }
        for (name, value) in request.headers.iter().chain(&options.extra_headers) {
            headers.insert(header_name(name)?, header_value(name, value)?);
        }

        Ok(Prepared {
            method: request.method.clone(),
            url,
            headers,
            body: body.map(|(bytes, _)| bytes),
            timeout: options.timeout.unwrap_or(inner.timeout),
            max_retries: options.max_retries.unwrap_or(inner.retry.max_retries),
            describe,
        })
    }
}

/// A request ready to send, the same for every attempt.
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
    timeout: Duration,
    max_retries: u32,
    describe: String,
}

enum Attempt {
    Done(ResponseParts, ReceivedBody),
    Retry(HeaderMap),
    Failed(Error),
}

fn transport_error(error: reqwest::Error, prepared: &Prepared) -> Error {
    if error.is_timeout() {
        return ErrorKind::Timeout(TimeoutError {
            request: prepared.describe.clone(),
            after: prepared.timeout,
        })
        .into();
    }
    ErrorKind::Connection(ConnectionError {
        request: prepared.describe.clone(),
        source: Some(Box::new(error.without_url())),
    })
    .into()
}

fn header_name(name: &str) -> Result<HeaderName> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::config(format!("`{name}` is not a valid header name")))
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::config(format!(
            "the value of header `{name}` is not a valid header value"
        ))
    })
}

/// Builds a [`Client`]. Values set here win over the environment.
pub struct ClientBuilder {
    config: &'static ClientConfig,
    api_key: Option<SecretString>,
    base_url: Option<String>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    env: EnvSource,
    strict: bool,
    auth: Option<AuthScheme>,
}

type EnvLookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

enum EnvSource {
    Process,
    Custom(EnvLookup),
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sets the API key.
    pub fn api_key(mut self, api_key: impl Into<SecretString>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// Sets the base URL (`https://host/v1`; a trailing `/` is ignored).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Adds a header sent with every request, replacing a same-named one from the
    /// environment (for example `OpenAI-Organization`).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query pair sent with every request.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sends the API key with another scheme than the API's (for a compatible server
    /// that wants it elsewhere, e.g. `AuthScheme::ApiKeyHeader("api-key")`).
    pub fn auth(mut self, scheme: AuthScheme) -> Self {
        self.auth = Some(scheme);
        self
    }

    /// Sets the timeout of each attempt (default 10 minutes); for a streamed body it
    /// bounds the wait for the headers and then each gap between chunks.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets how many times a failed request is retried (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Sets the whole retry policy (backoff bounds included; tests use milliseconds).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Makes every response that departs from the spec an error naming the field (a
    /// required field missing, a `null` the spec does not allow, a value of the wrong
    /// type), instead of decoding it forgivingly and recording the departure (the
    /// default; see [`drift`](crate::runtime::drift)). `RequestOptions::strict` overrides
    /// it per request.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS roots, connection limits) instead of a default one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Reads "environment variables" through `lookup` instead of the process
    /// environment: `|_| None` ignores the environment entirely.
    pub fn env_source(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.env = EnvSource::Custom(Box::new(lookup));
        self
    }

    /// Builds the client; fails with a configuration error naming what is missing or invalid.
    pub fn build(self) -> Result<Client> {
        let config = self.config;
        let auth = self.auth.unwrap_or(config.auth);
        let env = |name: &str| {
            let value = match &self.env {
                EnvSource::Process => std::env::var(name).ok(),
                EnvSource::Custom(lookup) => lookup(name),
            };
            value.filter(|v| !v.trim().is_empty())
        };

        let api_key = self
            .api_key
            .clone()
            .or_else(|| config.api_key_env.and_then(env).map(SecretString::new));
        if api_key.is_none() && auth != AuthScheme::None {
            return Err(Error::config(match config.api_key_env {
                Some(var) => format!(
                    "no API key: set the `{var}` environment variable or call `api_key()` on the client builder"
                ),
                None => "no API key: call `api_key()` on the client builder".to_owned(),
            }));
        }

        let base_url = self
            .base_url
            .clone()
            .or_else(|| config.base_url_env.and_then(env))
            .unwrap_or_else(|| config.default_base_url.to_owned());
        let base_url = base_url.trim_end_matches('/').to_owned();
        match Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {}
            Ok(_) => {
                return Err(Error::config(format!(
                    "invalid base URL `{base_url}`: expected http(s)://host[/path] without a query"
                )));
            }
            Err(e) => return Err(Error::config(format!("invalid base URL `{base_url}`: {e}"))),
        }

        let mut headers = HeaderMap::new();
        headers.insert(
            USER_AGENT,
            header_value("User-Agent", &config.user_agent())?,
        );
        for env_header in config.env_headers {
            if let Some(value) = env(env_header.env) {
                headers.insert(
                    header_name(env_header.header)?,
                    header_value(env_header.header, &value)?,
                );
            }
        }
        for (name, value) in &self.headers {
            headers.insert(header_name(name)?, header_value(name, value)?);
        }
        if let Some(key) = &api_key {
            let secret = |text: String| {
                let mut value = HeaderValue::from_str(&text).map_err(|_| {
                    Error::config("the API key contains characters that cannot be sent in a header")
                })?;
                value.set_sensitive(true);
                Ok::<_, Error>(value)
            };
            match auth {
                AuthScheme::Bearer => {
                    headers.insert(
                        AUTHORIZATION,
                        secret(format!("Bearer {}", key.expose_secret()))?,
                    );
                }
                AuthScheme::Basic => {
                    headers.insert(
                        AUTHORIZATION,
                        secret(format!("Basic {}", base64(key.expose_secret().as_bytes())))?,
                    );
                }
                AuthScheme::ApiKeyHeader(name) => {
                    headers.insert(header_name(name)?, secret(key.expose_secret().to_owned())?);
                }
                AuthScheme::ApiKeyQuery(_) | AuthScheme::None => {}
            }
        }

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| Error::config(format!("could not start the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                auth,
                http,
                base_url,
                api_key,
                headers,
                query: self.query,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: self.retry,
                options: RequestOptions {
                    strict: self.strict.then_some(true),
                    ..RequestOptions::default()
                },
            }),
        })
    }
}

/// Standard base64 with padding, for basic auth.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol =
        |index: u32| char::from(ALPHABET.get((index & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let bytes = [
            chunk.first().copied(),
            chunk.get(1).copied(),
            chunk.get(2).copied(),
        ];
        let n = bytes
            .iter()
            .fold(0u32, |acc, b| (acc << 8) | u32::from(b.unwrap_or(0)));
        out.push(symbol(n >> 18));
        out.push(symbol(n >> 12));
        out.push(if bytes[1].is_some() {
            symbol(n >> 6)
        } else {
            '='
        });
        out.push(if bytes[2].is_some() { symbol(n) } else { '=' });
    }
    out
}

/// A prepared call, returned by generated methods. Awaiting it sends the request
/// (with retries) and yields the format's output; the methods below adjust the
/// request first.
///
/// ```ignore
/// let reply = client.chat().completions().create(&body).await?;
/// let reply = client.chat().completions().create(&body)
///     .with_options(RequestOptions::new().timeout(Duration::from_secs(20)).header("x-trace", "1"))
///     .await?;
/// let raw = client.chat().completions().create(&body).with_raw_response().await?;
/// println!("{:?} {:?}", raw.status(), raw.request_id());
/// ```
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<F> {
    client: Client,
    request: Request,
    format: PhantomData<fn() -> F>,
}

impl<F> fmt::Debug for Call<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl<F: Format> Call<F> {
    /// Adds per-request options (headers, query, timeout, retries, idempotency key).
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.request.options.merge(options);
        self
    }

    /// Adds a header to this request.
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with_options(RequestOptions::new().header(name, value))
    }

    /// Adds a query pair to this request.
    pub fn query(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with_options(RequestOptions::new().query(name, value))
    }

    /// Sets this request's timeout.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with_options(RequestOptions::new().timeout(timeout))
    }

    /// Sets this request's retry count.
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.with_options(RequestOptions::new().max_retries(max_retries))
    }

    /// Adds a field to this request's body that the spec does not declare (`top_k` for a
    /// compatible server, a parameter newer than the spec); it replaces a same-named field.
    pub fn body_field(self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.with_options(RequestOptions::new().body_field(name, value))
    }

    /// Sets whether this response is decoded strictly (see [`ClientBuilder::strict`]).
    pub fn strict(self, strict: bool) -> Self {
        self.with_options(RequestOptions::new().strict(strict))
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The client the request is sent with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Sends the request; the same as awaiting the call.
    pub async fn send(self) -> Result<F::Output> {
        self.with_raw_response().await.map(ApiResponse::into_data)
    }

    /// Sends the request and returns the data with the response's status, headers and request id.
    pub async fn with_raw_response(self) -> Result<ApiResponse<F::Output>> {
        let Call {
            client, request, ..
        } = self;
        let (parts, body) = client.execute(&request, F::STREAMING, F::ACCEPT).await?;
        let data = F::finish(&parts, body, &client, request)?;
        Ok(ApiResponse::new(
            parts,
            client.config().request_id_header,
            data,
        ))
    }

    /// The same request read with another format.
    #[doc(hidden)]
    pub fn with_format<G: Format>(self) -> Call<G> {
        Call {
            client: self.client,
            request: self.request,
            format: PhantomData,
        }
    }

    #[doc(hidden)]
    pub fn into_parts(self) -> (Client, Request) {
        (self.client, self.request)
    }
}

impl Call<Binary> {
    /// Streams the body instead of reading it into memory.
    pub fn streaming(self) -> Call<BinaryStream> {
        self.with_format()
    }
}

impl<F: Format> IntoFuture for Call<F> {
    type Output = Result<F::Output>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<F::Output>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )]
    use super::*;

    #[test]
    fn public_types_can_cross_tasks() {
        fn send<T: Send>() {}
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Client>();
        send_sync::<Error>();
        send_sync::<Request>();
        send::<Call<crate::runtime::response::Json<serde_json::Value>>>();
        send::<<Call<crate::runtime::sse::Sse<serde_json::Value>> as IntoFuture>::IntoFuture>();
        send::<crate::runtime::sse::SseStream<serde_json::Value>>();
        send::<crate::runtime::pagination::ItemStream<serde_json::Value>>();
        send::<ByteStream>();
    }

    #[test]
    fn base64_matches_rfc4648() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input.as_bytes()), expected);
        }
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(&[0xff, 0xfe]), "//4=");
    }
}
