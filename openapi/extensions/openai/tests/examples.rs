//! Runs every example of `examples/` against a scripted fake of the API on 127.0.0.1: each
//! one gets `OPENAI_API_KEY` and `OPENAI_BASE_URL` (nothing else from the environment, so
//! no proxy and no real key), must exit successfully and print its outcome, and the
//! requests it made are checked.
//!
//! The example binaries are the ones `cargo test` builds next to the test binaries
//! (`target/<profile>/examples/`); `cargo test -p openai-client --test examples` alone does
//! not build them (run `cargo test -p openai-client --features structured-outputs`).

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{FakeServer, Recorded, Reply};

/// What one run of an example printed and sent.
struct Run {
    stdout: String,
    requests: Vec<Recorded>,
    dir: PathBuf,
}

impl Run {
    #[track_caller]
    fn printed(&self, text: &str) {
        assert!(
            self.stdout.contains(text),
            "the example should print {text:?}; it printed:\n{}",
            self.stdout
        );
    }
}

fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/examples-… → target/<profile>/examples/<name>
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let path = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is not built: `cargo test -p openai-client --features structured-outputs` builds \
         every example before running this test (a `--test` filter alone does not)",
        path.display()
    );
    path
}

/// Runs example `name` against a server scripted with `replies`, with `env` set.
fn run_with(name: &str, replies: Vec<Reply>, env: &[(&str, String)]) -> Run {
    let server = FakeServer::start(replies);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("example-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let mut command = Command::new(example(name));
    command
        .env_clear()
        .env("OPENAI_BASE_URL", server.url())
        .env("NO_PROXY", "*")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the example starts");
    // A guard against a hung example, not a measurement: the examples take milliseconds.
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("example {name} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "example {name} failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Run {
        stdout,
        requests: server.requests(),
        dir,
    }
}

fn run(name: &str, replies: Vec<Reply>) -> Run {
    run_with(name, replies, &[("OPENAI_API_KEY", "sk-test".to_owned())])
}

fn completion(message: Value, finish_reason: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": null, "message": message}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}
    })
}

fn text(content: &str) -> Value {
    json!({"role": "assistant", "content": content, "refusal": null})
}

#[test]
fn chat() {
    let run = run(
        "chat",
        vec![Reply::json(200, &completion(text("Paris."), "stop"))],
    );
    run.printed("Paris.\n");
    run.printed("tokens: 12 in, 3 out");
    let [request] = run.requests.as_slice() else {
        panic!("{:?}", run.requests)
    };
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(request.header("authorization"), Some("Bearer sk-test"));
    assert_eq!(request.json()["model"], "gpt-4o-mini");
    assert_eq!(
        request.json()["messages"][1]["content"],
        "What is the capital of France?"
    );
}

fn chunk(delta: Value, finish_reason: Value) -> Value {
    json!({"id": "chatcmpl-2", "object": "chat.completion.chunk", "created": 1700000000,
           "model": "gpt-4o-mini", "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]})
}

#[test]
fn chat_stream() {
    let mut usage = json!({"id": "chatcmpl-2", "object": "chat.completion.chunk", "created": 1700000000,
                           "model": "gpt-4o-mini", "choices": []});
    usage["usage"] = json!({"prompt_tokens": 9, "completion_tokens": 13, "total_tokens": 22});
    let events = [
        chunk(json!({"role": "assistant", "content": ""}), Value::Null),
        chunk(json!({"content": "1, 2, "}), Value::Null),
        chunk(json!({"content": "3, 4, 5."}), Value::Null),
        chunk(json!({}), json!("stop")),
        usage,
    ];
    let mut body: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    body.push_str("data: [DONE]\n\n");
    let run = run("chat_stream", vec![Reply::sse(&body)]);
    run.printed("1, 2, 3, 4, 5.\n");
    run.printed("completion chatcmpl-2: 14 characters, finish reason Stop");
    run.printed("tokens: 9 in, 13 out");
    let sent = run.requests[0].json();
    assert_eq!(sent["stream"], true);
    assert_eq!(sent["stream_options"]["include_usage"], true);
}

#[test]
fn tool_calling() {
    let call = json!({"role": "assistant", "content": null, "refusal": null, "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}
    ]});
    let run = run(
        "tool_calling",
        vec![
            Reply::json(200, &completion(call, "tool_calls")),
            Reply::json(
                200,
                &completion(text("It is 21 °C and clear in Paris."), "stop"),
            ),
        ],
    );
    run.printed("calling get_weather(Paris)");
    run.printed("It is 21 °C and clear in Paris.");
    let [first, second] = run.requests.as_slice() else {
        panic!("{:?}", run.requests)
    };
    assert_eq!(first.json()["tools"][0]["function"]["name"], "get_weather");
    assert_eq!(first.json()["tools"][0]["function"]["strict"], true);
    let messages = &second.json()["messages"];
    assert_eq!(messages[1]["role"], "assistant");
    assert_eq!(messages[1]["tool_calls"][0]["id"], "call_1");
    assert_eq!(messages[2]["role"], "tool");
    assert_eq!(messages[2]["tool_call_id"], "call_1");
    let result: Value = serde_json::from_str(messages[2]["content"].as_str().unwrap()).unwrap();
    assert_eq!(result["city"], "Paris");
}

#[test]
fn structured_output() {
    let recipe = json!({"name": "Pancakes", "minutes": 15, "tip": null, "ingredients": [
        {"name": "flour", "grams": 200}, {"name": "milk", "grams": 300}
    ]});
    let run = run(
        "structured_output",
        vec![Reply::json(
            200,
            &completion(text(&recipe.to_string()), "stop"),
        )],
    );
    run.printed("Pancakes in 15 minutes:");
    run.printed("- 200 g flour");
    assert!(!run.stdout.contains("tip:"), "a null tip is no tip");
    let format = &run.requests[0].json()["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "Recipe");
    assert_eq!(format["json_schema"]["strict"], true);
    assert_eq!(
        format["json_schema"]["schema"]["required"],
        json!(["name", "minutes", "ingredients", "tip"])
    );
}

#[test]
fn responses_stream() {
    let response = |status: &str, output: Value, usage: Value| {
        let mut response = json!({"id": "resp_1", "object": "response", "created_at": 1700000000,
               "status": status, "error": null, "incomplete_details": null, "instructions": null,
               "metadata": {}, "model": "gpt-4o-mini", "output": output, "parallel_tool_calls": true,
               "temperature": 1.0, "tool_choice": "auto", "tools": [], "top_p": 1.0});
        if !usage.is_null() {
            response["usage"] = usage;
        }
        response
    };
    let message = |text: &str, status: &str| {
        json!({"type": "message", "id": "msg_1", "status": status, "role": "assistant", "content":
               if text.is_empty() { json!([]) } else { json!([{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]) }})
    };
    let haiku = "Borrowed, not stolen\nlifetimes end where scopes close\nthe compiler smiles";
    let usage = json!({"input_tokens": 14, "output_tokens": 17, "total_tokens": 31,
                       "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                       "output_tokens_details": {"reasoning_tokens": 0}});
    let (first, rest) = haiku.split_at(20);
    let events = [
        json!({"type": "response.created", "sequence_number": 0, "response": response("in_progress", json!([]), Value::Null)}),
        json!({"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": message("", "in_progress")}),
        json!({"type": "response.content_part.added", "sequence_number": 2, "output_index": 0, "content_index": 0, "item_id": "msg_1",
               "part": {"type": "output_text", "text": "", "annotations": [], "logprobs": []}}),
        json!({"type": "response.output_text.delta", "sequence_number": 3, "output_index": 0, "content_index": 0, "item_id": "msg_1", "delta": first, "logprobs": []}),
        json!({"type": "response.output_text.delta", "sequence_number": 4, "output_index": 0, "content_index": 0, "item_id": "msg_1", "delta": rest, "logprobs": []}),
        json!({"type": "response.output_item.done", "sequence_number": 5, "output_index": 0, "item": message(haiku, "completed")}),
        json!({"type": "response.completed", "sequence_number": 6, "response": response("completed", json!([message(haiku, "completed")]), usage)}),
    ];
    let body: String = events
        .iter()
        .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
        .collect();
    let run = run("responses_stream", vec![Reply::sse(&body)]);
    run.printed(&format!("{haiku}\n"));
    run.printed("response resp_1: Some(Completed), 1 output items");
    run.printed("tokens: 14 in, 17 out");
    let request = &run.requests[0];
    assert_eq!(request.target, "/v1/responses");
    assert_eq!(request.json()["stream"], true);
    assert_eq!(request.json()["model"], "gpt-4o-mini");
}

#[test]
fn embeddings() {
    let reply = json!({"object": "list", "model": "text-embedding-3-small",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3]},
                 {"object": "embedding", "index": 1, "embedding": [0.1, 0.25, 0.3]}],
        "usage": {"prompt_tokens": 14, "total_tokens": 14}});
    let run = run("embeddings", vec![Reply::json(200, &reply)]);
    run.printed("text 0: 3 dimensions");
    run.printed("cosine similarity: 0.99");
    run.printed("tokens: 14");
    assert_eq!(
        run.requests[0].json()["input"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn batch() {
    let file = json!({"id": "file-1", "object": "file", "bytes": 321, "created_at": 1700000000,
                      "filename": "requests.jsonl", "purpose": "batch", "status": "processed"});
    let batch = |status: &str| {
        json!({"id": "batch_1", "object": "batch", "endpoint": "/v1/chat/completions",
               "input_file_id": "file-1", "completion_window": "24h", "status": status,
               "created_at": 1700000000})
    };
    let run = run(
        "batch",
        vec![
            Reply::json(200, &file),
            Reply::json(200, &batch("validating")),
            Reply::json(200, &batch("in_progress")),
        ],
    );
    run.printed("uploaded file-1 (321 bytes)");
    run.printed("batch batch_1 is Validating");
    run.printed("batch batch_1 is now InProgress");
    let [upload, create, retrieve] = run.requests.as_slice() else {
        panic!("{:?}", run.requests)
    };
    assert_eq!(upload.target, "/v1/files");
    assert!(
        upload
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let form = String::from_utf8_lossy(&upload.body);
    assert!(form.contains("filename=\"requests.jsonl\""), "{form}");
    assert!(form.contains("\"custom_id\":\"request-1\""), "{form}");
    assert!(form.contains("name=\"purpose\"\r\n\r\nbatch\r\n"), "{form}");
    assert_eq!(create.json()["input_file_id"], "file-1");
    assert_eq!(create.json()["endpoint"], "/v1/chat/completions");
    assert_eq!(create.json()["completion_window"], "24h");
    assert_eq!(
        (retrieve.method.as_str(), retrieve.target.as_str()),
        ("GET", "/v1/batches/batch_1")
    );
}

#[test]
fn image_generation() {
    let png = b"\x89PNG\r\n\x1a\n not really an image";
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    let reply = json!({"created": 1700000000, "data": [{"b64_json": data}]});
    let run = run("image_generation", vec![Reply::json(200, &reply)]);
    run.printed(&format!("saved image.png ({} bytes)", png.len()));
    assert_eq!(std::fs::read(run.dir.join("image.png")).unwrap(), png);
    assert_eq!(run.requests[0].target, "/v1/images/generations");
    assert_eq!(run.requests[0].json()["model"], "gpt-image-1");
}

#[test]
fn text_to_speech() {
    let audio = b"ID3\x04\x00 fake mp3 frames".to_vec();
    let run = run(
        "text_to_speech",
        vec![Reply::raw(200, "audio/mpeg", audio.clone())],
    );
    run.printed(&format!(
        "saved speech.mp3 ({} bytes, audio/mpeg)",
        audio.len()
    ));
    assert_eq!(std::fs::read(run.dir.join("speech.mp3")).unwrap(), audio);
    let sent = run.requests[0].json();
    assert_eq!(run.requests[0].target, "/v1/audio/speech");
    assert_eq!(
        (sent["model"].as_str(), sent["voice"].as_str()),
        (Some("gpt-4o-mini-tts"), Some("coral"))
    );
}

#[test]
fn fine_tuning_jobs() {
    let job = |id: &str| {
        json!({"id": id, "object": "fine_tuning.job", "created_at": 1700000000, "error": null,
               "fine_tuned_model": null, "finished_at": null, "hyperparameters": {},
               "model": "gpt-4o-mini-2024-07-18", "organization_id": "org-1", "result_files": [],
               "status": "succeeded", "trained_tokens": null, "training_file": "file-1",
               "validation_file": null, "seed": 7})
    };
    let run = run(
        "fine_tuning_jobs",
        vec![
            Reply::json(
                200,
                &json!({"object": "list", "data": [job("ftjob-1"), job("ftjob-2")], "has_more": true}),
            ),
            Reply::json(
                200,
                &json!({"object": "list", "data": [job("ftjob-3")], "has_more": false}),
            ),
        ],
    );
    run.printed("ftjob-1 Succeeded gpt-4o-mini-2024-07-18");
    run.printed("ftjob-3 Succeeded");
    run.printed("3 fine-tuning jobs");
    let targets: Vec<&str> = run.requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/v1/fine_tuning/jobs?limit=20",
            "/v1/fine_tuning/jobs?limit=20&after=ftjob-2"
        ]
    );
}

#[test]
fn errors_retries_timeouts() {
    let not_found = json!({"error": {"message": "The model `no-such-model` does not exist",
                                     "type": "invalid_request_error", "param": null, "code": "model_not_found"}});
    let models = json!({"object": "list", "data": [
        {"id": "gpt-4o", "object": "model", "created": 1, "owned_by": "openai"},
        {"id": "gpt-4o-mini", "object": "model", "created": 1, "owned_by": "openai"}]});
    let rate_limited = json!({"error": {"message": "Rate limit reached", "type": "requests", "param": null, "code": null}});
    let run = run(
        "errors_retries_timeouts",
        vec![
            Reply::json(404, &not_found).header("x-request-id", "req_123"),
            Reply::json(429, &rate_limited).header("retry-after-ms", "10"),
            Reply::json(200, &models),
            Reply::stall(),
        ],
    );
    run.printed("not found (HTTP 404, request req_123): The model `no-such-model` does not exist");
    run.printed("2 models (after any retries)");
    run.printed("timed out after 500 ms");
    let targets: Vec<&str> = run.requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/v1/models/no-such-model",
            "/v1/models",
            "/v1/models",
            "/v1/models"
        ]
    );
}

#[test]
fn custom_base_url() {
    let models = json!({"object": "list", "data": [{"id": "llama3", "object": "model", "created": 1, "owned_by": "local"}]});
    // No key: the example then sends no credentials.
    let run = run_with("custom_base_url", vec![Reply::json(200, &models)], &[]);
    run.printed("talking to http://127.0.0.1:");
    run.printed("- llama3 (owned by local)");
    let request = &run.requests[0];
    assert_eq!(request.target, "/v1/models");
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.header("x-client"), Some("openai-client-example"));
}
