//! Contract test: the generated OpenAI client (`openai_client`) against the Prism mock
//! server started from the spec itself (`shared/specs/openai.yaml`).
//!
//! Prism validates every request against the operation it matches (path, query, headers,
//! body) and answers 422 when it does not validate, so a call that succeeds here is one
//! the spec accepts: one representative call per top-level resource group of the client,
//! each of which must get a 2xx whose body decodes *strictly* into the generated response
//! type (Prism's bodies come from the spec, so they must match it exactly; but see
//! `BAD_EXAMPLE_RESPONSES`), plus one deliberately invalid request that must get 422.
//!
//! Setup, all under the cargo target dir (`CARGO_TARGET_TMPDIR/prism`):
//! 1. a JSON copy of the spec with `nullable` removed from schema objects that have no
//!    `type` (Prism's validator skips a whole request schema that has one; see
//!    `shared/specs/README.md`, "Mock server");
//! 2. `@stainless-api/prism-cli` installed once with npm (skipped when already there);
//! 3. `prism mock` on a free loopback port, killed when the test ends (also on panic).
//!
//! Needs Node and npm on `PATH` (and the npm registry for the first install).

// Some groups (assistants, videos) are deprecated in the spec; they are still served.
#![allow(deprecated)]

use std::fmt::Write as _;
use std::fs::{self, File};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use openai_client::runtime::model::InputFile;
use openai_client::runtime::request::Body;
use openai_client::runtime::response::Format;
use openai_client::types::{
    BetaCreateResponse, BetaCreateResponseOpenaiBetaItem, BetaCreateResponseParams,
    BetaModelIdsShared, ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestUserMessage, CreateBatchRequest, CreateChatCompletionRequest,
    CreateChatSessionBody, CreateCompletionRequest, CreateContentProvenanceBody,
    CreateConversationBody, CreateEmbeddingRequest, CreateFileRequest, CreateImageRequest,
    CreateMessageRequest, CreateModerationRequest, CreateResponse, CreateSpeechRequest,
    CreateThreadRequest, CreateTranscriptionRequest, CreateUploadRequest, CreateVectorStoreRequest,
    ListAssistantsParams, ListBatchesParams, ListContainersParams, ListEvalsParams,
    ListFilesParams, ListPaginatedFineTuningJobsParams, ListProjectRolesParams, ListProjectsParams,
    ListSkillsParams, ListThreadsMethodParams, ListVectorStoresParams, ListVideosParams, Metadata,
    ModelIdsShared, RealtimeCreateClientSecretRequest, VoiceIdsShared, WorkflowParam,
};
use openai_client::{Call, Client, ErrorKind};
use serde_json::json;

const PRISM_PACKAGE: &str = "@stainless-api/prism-cli";
const PRISM_VERSION: &str = "5.16.1";
const SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/specs/openai.yaml"
);
const OPENAI_CONFIG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../openapi/configs/openai.toml"
);
/// Prism takes about 30 s to compile the 3 MB spec; far longer on a loaded machine.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn generated_client_requests_validate_against_prism() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("prism");
    fs::create_dir_all(&dir).expect("create the Prism directory");

    let spec = prepare_spec(&dir);

    let started = Instant::now();
    let installed = install_prism(&dir);
    let install_time = started.elapsed();
    if installed {
        println!("prism: installed {PRISM_PACKAGE}@{PRISM_VERSION} in {install_time:.1?}");
    } else {
        println!("prism: {PRISM_PACKAGE}@{PRISM_VERSION} already installed");
    }

    let started = Instant::now();
    let prism = Prism::start(&dir, &spec);
    println!(
        "prism: listening on {} after {:.1?}",
        prism.addr,
        started.elapsed()
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let started = Instant::now();
    let client = client_at(&format!("http://{}", prism.addr));
    let outcomes = runtime.block_on(run_calls(&client));
    let control = runtime.block_on(invalid_request_is_rejected(&client));
    println!("prism: calls took {:.1?}", started.elapsed());

    let known_bad = openapi::Config::from_file(Path::new(OPENAI_CONFIG))
        .unwrap_or_else(|e| panic!("read {OPENAI_CONFIG}: {e}"))
        .known_bad_examples;
    let mut problems: Vec<String> = control.into_iter().collect();
    let mut accepted = 0;
    let mut bad_examples = 0;
    for outcome in &outcomes {
        let listed = BAD_EXAMPLE_RESPONSES
            .iter()
            .find(|(call, ..)| *call == outcome.name);
        let problem = match (&outcome.verdict, listed) {
            (Verdict::Failed(error), _) => Some(error.clone()),
            (Verdict::Ok, None) => None,
            (Verdict::Ok, Some(_)) => Some(
                "the response decoded, but the call is listed in BAD_EXAMPLE_RESPONSES: \
                 take it out"
                    .to_owned(),
            ),
            (Verdict::Undecoded { report, .. }, None) => Some(report.clone()),
            (Verdict::Undecoded { message, report }, Some((_, key, expected))) => {
                match known_bad.get(*key) {
                    None => Some(format!(
                        "listed in BAD_EXAMPLE_RESPONSES as `{key}`, which is not under \
                         [known-bad-examples] in {OPENAI_CONFIG}; {report}"
                    )),
                    Some(_) if !message.contains(expected) => Some(format!(
                        "expected the known-bad example `{key}` to fail with \
                         \"{expected}\"; {report}"
                    )),
                    Some(reason) => {
                        println!(
                            "  note: {} answered with example `{key}`: {reason}",
                            outcome.name
                        );
                        bad_examples += 1;
                        None
                    }
                }
            }
        };
        if !matches!(outcome.verdict, Verdict::Failed(_)) {
            accepted += 1;
        }
        if let Some(problem) = problem {
            problems.push(format!(
                "\n{} ({})\n  sent: {}\n  error: {problem}",
                outcome.name, outcome.request, outcome.body
            ));
        }
    }
    println!(
        "prism contract: {accepted} of {} calls accepted ({} responses decoded, {bad_examples} \
         are spec examples known to contradict their schema)",
        outcomes.len(),
        outcomes
            .iter()
            .filter(|o| matches!(o.verdict, Verdict::Ok))
            .count(),
    );
    if !problems.is_empty() {
        drop(prism);
        panic!(
            "Prism contract: {} problem(s) in {} calls and the control:{}",
            problems.len(),
            outcomes.len(),
            problems.concat()
        );
    }
}

/// The control: a request the spec does not allow (a chat message with an unknown role,
/// sent through the client's `Unknown` escape hatch) must come back 422, or "accepted"
/// would mean nothing (Prism skips validating a request schema it cannot compile).
async fn invalid_request_is_rejected(client: &Client) -> Option<String> {
    let message = ChatCompletionRequestMessage::Unknown(json!({
        "role": "critic",
        "content": "Hello!",
    }));
    let result = client
        .chat()
        .completions()
        .create(CreateChatCompletionRequest::new(vec![message], "gpt-4o"))
        .await;
    match result {
        Err(error) if error.status().map(|s| s.as_u16()) == Some(422) => {
            println!("  control: a message with role `critic` is rejected with 422");
            None
        }
        Err(error) => Some(format!(
            "\ncontrol (POST /chat/completions with role `critic`)\n  expected 422, got: {}",
            describe(&error)
        )),
        Ok(_) => Some(
            "\ncontrol (POST /chat/completions with role `critic`)\n  expected 422, got 2xx: \
             Prism did not validate the request body"
                .to_owned(),
        ),
    }
}

/// Calls whose 2xx body Prism takes from a spec example that contradicts the spec's own
/// schema (Prism answers with a schema's `example` when it has one). The request was
/// accepted; the body is expected not to decode strictly, with this message, and the example must
/// be recorded under `[known-bad-examples]` in `openapi/configs/openai.toml` (the key here),
/// which the generated round-trip test (`generated-client/tests/schema_examples.rs`) checks
/// too. A listed call whose body decodes fails the test, so the list cannot go stale.
const BAD_EXAMPLE_RESPONSES: &[(&str, &str, &str)] = &[
    // (call, known-bad-examples key, part of the decode error)
    (
        "beta.responses.create",
        "BetaResponse",
        "missing field `logprobs`",
    ),
    (
        "chatkit.sessions.create",
        "ChatSessionResource",
        "missing field `state_variables`",
    ),
    (
        "evals.list",
        "EvalCustomDataSourceConfig.schema",
        "invalid type: string",
    ),
    ("responses.create", "Response", "missing field `logprobs`"),
];

/// One representative call per top-level resource group, in the order of `resources.rs`.
async fn run_calls(client: &Client) -> Vec<Outcome> {
    let mut calls = Calls::default();

    // assistants
    calls
        .check(
            "assistants.list",
            client
                .assistants()
                .list(ListAssistantsParams::new().limit(20)),
        )
        .await;

    // audio: binary response. Prism answers with the body `string` and the header the spec
    // declares, `Transfer-Encoding: string` (a generated value), next to a Content-Length;
    // an unknown transfer coding makes the body last until the connection closes, so this
    // call takes Prism's keep-alive timeout (5 s).
    calls
        .check(
            "audio.speech.create",
            client.audio().speech().create(CreateSpeechRequest::new(
                "gpt-4o-mini-tts",
                "Today is a wonderful day to build something people love!",
                VoiceIdsShared::from("alloy"),
            )),
        )
        .await;
    // audio: multipart upload.
    calls
        .check(
            "audio.transcriptions.create",
            client
                .audio()
                .transcriptions()
                .create(CreateTranscriptionRequest::new(
                    InputFile::from_bytes("speech.mp3", b"ID3 not really audio".to_vec()),
                    "gpt-4o-transcribe",
                )),
        )
        .await;

    // batches
    calls
        .check(
            "batches.list",
            client.batches().list(ListBatchesParams::new().limit(2)),
        )
        .await;
    calls
        .check(
            "batches.create",
            client.batches().create(CreateBatchRequest::new(
                "file-abc123",
                "/v1/chat/completions",
            )),
        )
        .await;

    // beta (`/responses?beta=true`, with the `openai-beta` header parameter)
    calls
        .check(
            "beta.responses.create",
            client.beta().responses().create(
                BetaCreateResponse::new()
                    .model(BetaModelIdsShared::from("gpt-4.1"))
                    .input("Tell me a three sentence bedtime story about a unicorn."),
                BetaCreateResponseParams::new().openai_beta(vec![
                    BetaCreateResponseOpenaiBetaItem::ResponsesMultiAgentV1,
                ]),
            ),
        )
        .await;

    // chat
    calls
        .check(
            "chat.completions.create",
            client
                .chat()
                .completions()
                .create(CreateChatCompletionRequest::new(
                    vec![
                        ChatCompletionRequestSystemMessage::new("You are a helpful assistant.")
                            .into(),
                        ChatCompletionRequestUserMessage::new("Hello!").into(),
                    ],
                    "gpt-4o",
                )),
        )
        .await;

    // chatkit
    calls
        .check(
            "chatkit.sessions.create",
            client
                .chatkit()
                .sessions()
                .create(CreateChatSessionBody::new(
                    WorkflowParam::new("wf_68df4b13b3588190a09d19288d4610ec0df388c3983f58d1"),
                    "user_123",
                )),
        )
        .await;
    calls
        .check(
            "chatkit.threads.list",
            client
                .chatkit()
                .threads()
                .list(ListThreadsMethodParams::new().limit(10)),
        )
        .await;

    // completions (legacy)
    calls
        .check(
            "completions.create",
            client.completions().create(
                CreateCompletionRequest::new(
                    "gpt-3.5-turbo-instruct",
                    Some("Say this is a test".into()),
                )
                .max_tokens(7)
                .temperature(0.0),
            ),
        )
        .await;

    // containers
    calls
        .check(
            "containers.list",
            client
                .containers()
                .list(ListContainersParams::new().limit(5)),
        )
        .await;

    // content_provenance_checks: multipart upload.
    calls
        .check(
            "content_provenance_checks.create",
            client
                .content_provenance_checks()
                .create(CreateContentProvenanceBody::new(InputFile::from_bytes(
                    "image.png",
                    b"\x89PNG\r\n\x1a\n not really an image".to_vec(),
                ))),
        )
        .await;

    // conversations
    calls
        .check(
            "conversations.create",
            client.conversations().create(
                CreateConversationBody::new()
                    .metadata(Metadata::from([("topic".to_owned(), "demo".to_owned())])),
            ),
        )
        .await;

    // embeddings
    calls
        .check(
            "embeddings.create",
            client.embeddings().create(CreateEmbeddingRequest::new(
                "The food was delicious and the waiter...",
                "text-embedding-3-small",
            )),
        )
        .await;

    // evals
    calls
        .check(
            "evals.list",
            client.evals().list(ListEvalsParams::new().limit(1)),
        )
        .await;

    // files: list, and a multipart upload.
    calls
        .check(
            "files.list",
            client.files().list(ListFilesParams::new().limit(10)),
        )
        .await;
    calls
        .check(
            "files.create",
            client.files().create(CreateFileRequest::new(
                InputFile::from_bytes(
                    "mydata.jsonl",
                    br#"{"prompt": "p", "completion": "c"}"#.to_vec(),
                ),
                "fine-tune",
            )),
        )
        .await;

    // fine_tuning
    calls
        .check(
            "fine_tuning.jobs.list",
            client
                .fine_tuning()
                .jobs()
                .list(ListPaginatedFineTuningJobsParams::new().limit(2)),
        )
        .await;

    // images (JSON body)
    calls
        .check(
            "images.generations.create",
            client.images().generations().create(
                CreateImageRequest::new("A cute baby sea otter")
                    .model("gpt-image-1")
                    .n(1)
                    .size("1024x1024"),
            ),
        )
        .await;

    // models
    calls.check("models.list", client.models().list()).await;
    calls
        .check("models.retrieve", client.models().retrieve("gpt-4o"))
        .await;

    // moderations
    calls
        .check(
            "moderations.create",
            client
                .moderations()
                .create(CreateModerationRequest::new("I want to kill them.")),
        )
        .await;

    // organization
    calls
        .check(
            "organization.projects.list",
            client
                .organization()
                .projects()
                .list(ListProjectsParams::new().limit(20)),
        )
        .await;

    // projects
    calls
        .check(
            "projects.roles.list",
            client
                .projects()
                .roles()
                .list("proj_abc123", ListProjectRolesParams::new().limit(20)),
        )
        .await;

    // realtime
    calls
        .check(
            "realtime.client_secrets.create",
            client
                .realtime()
                .client_secrets()
                .create(RealtimeCreateClientSecretRequest::new()),
        )
        .await;

    // responses
    calls
        .check(
            "responses.create",
            client.responses().create(
                CreateResponse::new()
                    .model(ModelIdsShared::from("gpt-4.1"))
                    .input("Tell me a three sentence bedtime story about a unicorn."),
            ),
        )
        .await;

    // skills
    calls
        .check(
            "skills.list",
            client.skills().list(ListSkillsParams::new().limit(20)),
        )
        .await;

    // threads
    calls
        .check(
            "threads.create",
            client
                .threads()
                .create(
                    CreateThreadRequest::new().messages(vec![CreateMessageRequest::new(
                        "user",
                        "Hello, what is AI?",
                    )]),
                ),
        )
        .await;

    // uploads
    calls
        .check(
            "uploads.create",
            client.uploads().create(CreateUploadRequest::new(
                "training_examples.jsonl",
                "fine-tune",
                2_147_483_648,
                "text/jsonl",
            )),
        )
        .await;

    // vector_stores
    calls
        .check(
            "vector_stores.list",
            client
                .vector_stores()
                .list(ListVectorStoresParams::new().limit(20)),
        )
        .await;
    calls
        .check(
            "vector_stores.create",
            client
                .vector_stores()
                .create(CreateVectorStoreRequest::new().name("Support FAQ")),
        )
        .await;

    // videos
    calls
        .check(
            "videos.list",
            client.videos().list(ListVideosParams::new().limit(20)),
        )
        .await;

    calls.outcomes
}

/// What one call did.
struct Outcome {
    name: &'static str,
    /// Method, path and query sent.
    request: String,
    /// The body sent (JSON as text; multipart as its content type and size).
    body: String,
    verdict: Verdict,
}

enum Verdict {
    /// A 2xx whose body decoded.
    Ok,
    /// A 2xx (the request validated) whose body did not decode: serde's message, and the
    /// full report (path and body).
    Undecoded { message: String, report: String },
    /// Anything else, mostly a non-2xx answer: Prism's 422 lists what did not validate.
    Failed(String),
}

#[derive(Default)]
struct Calls {
    outcomes: Vec<Outcome>,
}

impl Calls {
    /// Sends `call` and records what came of it.
    async fn check<F: Format>(&mut self, name: &'static str, call: Call<F>) {
        let request = call.request();
        let mut target = format!("{} {}", request.method(), request.path());
        for (i, (key, value)) in request.query_pairs().iter().enumerate() {
            let sep = if i == 0 && !target.contains('?') {
                '?'
            } else {
                '&'
            };
            let _ = write!(target, "{sep}{key}={value}");
        }
        let body = match request.body() {
            Body::Json(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            other => match other.encoded() {
                Some((bytes, content_type)) => format!("{content_type}, {} bytes", bytes.len()),
                None => "(no body)".to_owned(),
            },
        };
        let started = Instant::now();
        let verdict = match call.await {
            Ok(_) => Verdict::Ok,
            Err(error) => match error.kind() {
                ErrorKind::Decode(decode) => Verdict::Undecoded {
                    message: decode.message.clone(),
                    report: describe(&error),
                },
                _ => Verdict::Failed(describe(&error)),
            },
        };
        println!(
            "  {name:<34} {:<9} {:>6.2}s  {target}",
            match verdict {
                Verdict::Ok => "ok",
                Verdict::Undecoded { .. } => "undecoded",
                Verdict::Failed(_) => "FAILED",
            },
            started.elapsed().as_secs_f64(),
        );
        self.outcomes.push(Outcome {
            name,
            request: target,
            body,
            verdict,
        });
    }
}

/// The status and body of an API error, or what failed to decode in a 2xx body.
fn describe(error: &openai_client::Error) -> String {
    match error.kind() {
        ErrorKind::Api(api) => format!("HTTP {}: {}", api.status, pretty(&api.raw_body)),
        ErrorKind::Decode(decode) => format!(
            "HTTP {} but the body did not decode at `{}`: {}\n  body: {}",
            decode.status,
            decode.path,
            decode.message,
            truncate(&decode.raw_body_text(), 2000),
        ),
        _ => error.to_string(),
    }
}

/// Prism's problem documents (`{"validation": [...]}`) are easier to read indented.
fn pretty(body: &str) -> String {
    let text = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_owned());
    truncate(&text, 4000)
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A client for `base_url` that reads nothing from the environment, never retries, uses an
/// HTTP client with proxies off (so no request can leave the machine), and decodes strictly
/// (a forgiving client would decode a body that departs from the spec, too).
fn client_at(base_url: &str) -> Client {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("the HTTP client builds");
    Client::builder()
        .api_key("sk-test")
        .base_url(base_url)
        .max_retries(0)
        .timeout(Duration::from_secs(60))
        .env_source(|_| None)
        .http_client(http)
        .strict(true)
        .build()
        .expect("the client builds")
}

// ---------------------------------------------------------------------------------------
// Setup: the spec copy, the npm install, the Prism process
// ---------------------------------------------------------------------------------------

/// Writes `dir/openai.json`: the spec as JSON, with `nullable` removed from every object
/// that has a boolean `nullable` and no `type`. Returns its path.
fn prepare_spec(dir: &Path) -> PathBuf {
    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("read {SPEC}: {e}"));
    let JsonTree(mut doc) =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parse {SPEC}: {e}"));
    let stripped = strip_untyped_nullable(&mut doc);
    let path = dir.join("openai.json");
    fs::write(
        &path,
        serde_json::to_vec(&doc).expect("the spec serializes as JSON"),
    )
    .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    println!(
        "prism: spec copy at {} (`nullable` removed from {stripped} schemas without `type`)",
        path.display()
    );
    path
}

/// A YAML document read as a JSON tree. Unlike reading a `serde_json::Value` directly, it
/// takes integers beyond 64 bits (the spec bounds `seed` by ±9223372036854776000, which is
/// what JavaScript prints for ±2^63) as the nearest double, as Prism's own parser does, and
/// non-string mapping keys as their text.
struct JsonTree(serde_json::Value);

impl<'de> serde::Deserialize<'de> for JsonTree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonTreeVisitor).map(JsonTree)
    }
}

struct JsonTreeVisitor;

impl<'de> serde::de::Visitor<'de> for JsonTreeVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok((v as f64).into())
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok((v as f64).into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        serde::Deserialize::deserialize(d).map(|JsonTree(v)| v)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonTree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(items.into())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((JsonTree(key), JsonTree(value))) = map.next_entry()? {
            let key = match key {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            object.insert(key, value);
        }
        Ok(object.into())
    }
}

/// Removes a boolean `nullable` from every object without a `type`; returns how many.
/// (A property *named* `nullable` holds an object, not a boolean, so it stays.)
fn strip_untyped_nullable(node: &mut serde_json::Value) -> usize {
    match node {
        serde_json::Value::Object(map) => {
            let mut count = 0;
            if map
                .get("nullable")
                .is_some_and(serde_json::Value::is_boolean)
                && !map.contains_key("type")
            {
                map.remove("nullable");
                count += 1;
            }
            count + map.values_mut().map(strip_untyped_nullable).sum::<usize>()
        }
        serde_json::Value::Array(items) => items.iter_mut().map(strip_untyped_nullable).sum(),
        _ => 0,
    }
}

/// Installs Prism into `dir` with npm unless this version is already there. Returns
/// whether it ran npm.
fn install_prism(dir: &Path) -> bool {
    let manifest = dir
        .join("node_modules")
        .join(PRISM_PACKAGE)
        .join("package.json");
    let have = fs::read_to_string(&manifest)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|m| m["version"] == PRISM_VERSION);
    if have && prism_bin(dir).exists() {
        return false;
    }
    let package = format!("{PRISM_PACKAGE}@{PRISM_VERSION}");
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir)
        .arg(&package)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                panic!(
                    "`npm` is not on PATH: this test needs Node.js and npm to install \
                     {package} (the Prism mock server)"
                )
            }
            panic!("could not run npm: {e}")
        });
    assert!(
        output.status.success(),
        "`npm install {package}` failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        prism_bin(dir).exists(),
        "npm installed {package} but {} is missing",
        prism_bin(dir).display()
    );
    true
}

fn prism_bin(dir: &Path) -> PathBuf {
    dir.join("node_modules").join(".bin").join("prism")
}

/// The running `prism mock`; killed (and reaped) on drop, so also when the test panics.
struct Prism {
    child: Child,
    addr: SocketAddr,
}

impl Prism {
    /// Starts `prism mock spec` on a free loopback port and waits until it accepts
    /// connections. Its output goes to `dir/prism.log`.
    fn start(dir: &Path, spec: &Path) -> Prism {
        let addr = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port");
        let log_path = dir.join("prism.log");
        let log = File::create(&log_path).expect("create prism.log");
        let child = Command::new(prism_bin(dir))
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &addr.port().to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone the log file handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", prism_bin(dir).display()));
        let mut prism = Prism { child, addr };

        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok() {
                return prism;
            }
            if let Some(status) = prism.child.try_wait().expect("poll the Prism process") {
                panic!(
                    "Prism exited ({status}) before listening; its log:\n{}",
                    log_tail(&log_path)
                );
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                panic!(
                    "Prism did not listen on {addr} within {STARTUP_TIMEOUT:?}; its log:\n{}",
                    log_tail(&log_path)
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
