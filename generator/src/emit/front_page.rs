//! The crate's front page: `README.md`, which `lib.rs` also includes as the crate docs
//! (`#![doc = include_str!("../README.md")]`), so docs.rs and the repository show one text
//! and its code blocks are compiled as doctests.
//!
//! Written for any spec from the model alone: what the API is (`info`), how to depend on
//! the crate, a quickstart calling one of the spec's own operations, then streaming,
//! pagination, errors and configuration, each with an example that names the spec's own
//! methods and types when it has them. An extension's `README.md` is appended.
//!
//! Every example must compile for every spec: the quickstart calls only an operation whose
//! arguments can be written without knowing the API (no body, no required parameter), and
//! the other examples take what they cannot build as function arguments.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quote::quote;

use super::resources::{accessor_name, method_args, method_name, taken_names};
use crate::Config;
use crate::docs::{DocStyle, doc_lines};
use crate::features::{FULL_FEATURE, Features, UNREACHED_FEATURE};
use crate::ir::{Operation, ResponseKind, TypeSpace};
use crate::lower::{Auth, Model};
use crate::review::surface::rust_text;

/// The environment variables a client reads: API key, base URL (one place for both the
/// front page and `CONFIG`).
pub(crate) fn env_names(config: &Config) -> (String, String) {
    let prefix = config.crate_name.to_uppercase().replace('-', "_");
    let api_key = config
        .api_key_env
        .clone()
        .unwrap_or_else(|| format!("{prefix}_API_KEY"));
    let base_url = config
        .base_url_env
        .clone()
        .unwrap_or_else(|| format!("{prefix}_BASE_URL"));
    (api_key, base_url)
}

/// A method call on the client as a user writes it: `client.pets().list(…)`.
struct Call<'m> {
    op: &'m Operation,
    /// `client.pets()`: the handle, accessors included.
    handle: String,
    /// The method's name on the handle (without `_stream`).
    name: String,
}

impl Call<'_> {
    /// The arguments after `&self` (in [`method_args`]' order: path parameters, the body,
    /// the `…Params` struct) with their types as a user outside the crate names them
    /// (`pet_id: &str`, `body: types::NewPet`).
    fn args(&self, space: &TypeSpace, krate: &str) -> Vec<(String, String)> {
        debug_assert_eq!(
            method_args(space, self.op).len(),
            self.op.path_params.len()
                + usize::from(self.op.body.is_some())
                + usize::from(self.op.params_type.is_some())
        );
        let types = quote!(types::);
        let mut args: Vec<(String, String)> = self
            .op
            .path_params
            .iter()
            .map(|p| (p.name.clone(), "&str".to_string()))
            .collect();
        if let Some(body) = &self.op.body {
            let ty = rust_text(super::types::type_ref_in(space, &body.ty, &types));
            args.push(("body".into(), runtime_paths(&ty, krate)));
        }
        if let Some(params) = self.op.params_type {
            args.push((
                "params".into(),
                format!("types::{}", space.get(params).name),
            ));
        }
        args
    }
}

/// `ty` (as [`rust_text`] spells it) with the runtime's `InputFile` named from outside the
/// crate, where it is re-exported at the root.
fn runtime_paths(ty: &str, krate: &str) -> String {
    let mut out = String::new();
    let mut rest = ty;
    while let Some(at) = rest.find("InputFile") {
        let before = &rest[..at];
        let after = &rest[at + "InputFile".len()..];
        let alone = !before.ends_with(|c: char| c == ':' || c.is_alphanumeric() || c == '_')
            && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        out.push_str(before);
        if alone {
            out.push_str(krate);
            out.push_str("::");
        }
        out.push_str("InputFile");
        rest = after;
    }
    out.push_str(rest);
    out
}

fn calls(model: &Model) -> Vec<Call<'_>> {
    let ops = &model.operations;
    let mut children: BTreeMap<&[String], Vec<&str>> = BTreeMap::new();
    for op in ops {
        for depth in 0..op.resource.len() {
            children
                .entry(&op.resource[..depth])
                .or_default()
                .push(&op.resource[depth]);
        }
    }
    ops.iter()
        .map(|op| {
            let siblings = children
                .get(op.resource.as_slice())
                .cloned()
                .unwrap_or_default();
            let name = method_name(op, &taken_names(&op.resource, siblings));
            let handle =
                std::iter::once("client".to_string())
                    .chain((0..op.resource.len()).map(|d| {
                        format!("{}()", accessor_name(&op.resource[..d], &op.resource[d]))
                    }))
                    .collect::<Vec<_>>()
                    .join(".");
            Call { op, handle, name }
        })
        .collect()
}

/// The operation the quickstart calls: one whose arguments need no knowledge of the API (no
/// body, no required parameter), preferring a `GET` without path parameters, then a list.
fn quickstart_call<'c, 'm>(calls: &'c [Call<'m>]) -> Option<&'c Call<'m>> {
    calls
        .iter()
        .filter(|c| {
            c.op.body.is_none()
                && c.op.params.iter().all(|p| !p.required)
                && matches!(c.op.response, ResponseKind::Json(_) | ResponseKind::Page(_))
        })
        .min_by_key(|c| {
            (
                c.op.method != "GET",
                !c.op.path_params.is_empty(),
                c.op.params_type.is_some(),
                !matches!(c.op.response, ResponseKind::Page(_)) && c.name != "list",
            )
        })
}

/// `README.md` of the generated crate.
pub fn readme(
    model: &Model,
    config: &Config,
    client: &str,
    features: &Features,
    extension: Option<&str>,
    style: &DocStyle,
) -> String {
    let krate = config.crate_name.replace('-', "_");
    let info = &model.info;
    let (api_key_env, base_url_env) = env_names(config);
    let calls = calls(model);
    let space = &model.types;
    let mut out = String::new();
    // The title through the same rewriting as descriptions: it is Markdown in rustdoc too.
    let title = doc_lines(info.title.trim(), style).join(" ");
    let _ = writeln!(out, "# {}\n", title.trim());
    if let Some(description) = &info.description {
        for line in doc_lines(description, style) {
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "`{}` is a Rust client for this API (version `{}` of its OpenAPI document), generated \
         from the document: every operation is a method on a resource handle of `{client}`, \
         every schema a type in `types`.\n",
        config.crate_name, info.version
    );

    // Install.
    let _ = writeln!(
        out,
        "## Install\n\n```toml\n[dependencies]\n{} = {{ path = \"…\" }}  # not published: a path or git dependency\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n",
        config.crate_name
    );
    let _ = writeln!(
        out,
        "Calls are `async` and run on Tokio (as `reqwest` requires); TLS is `rustls` by default \
         (feature `native-tls` for the platform's library instead).\n"
    );
    if !features.names.is_empty() {
        let groups: Vec<String> = features
            .names
            .iter()
            .filter(|n| *n != UNREACHED_FEATURE)
            .map(|n| format!("`{n}`"))
            .collect();
        let _ = write!(
            out,
            "Each top-level resource group is a Cargo feature ({}), compiling only the types its \
             operations use; `{FULL_FEATURE}`, on by default, enables them all",
            groups.join(", ")
        );
        if features.names.iter().any(|n| n == UNREACHED_FEATURE) {
            let _ = write!(
                out,
                ", and `{UNREACHED_FEATURE}` the types no operation uses"
            );
        }
        let _ = writeln!(
            out,
            ". To build one group: `default-features = false, features = [\"<group>\", \"rustls\"]`.\n"
        );
    }

    // Quickstart.
    let key_note = if info.auth == Auth::None {
        format!("the base URL from `{base_url_env}` when it is set")
    } else {
        format!(
            "the API key from `{api_key_env}`, the base URL from `{base_url_env}` when it is set"
        )
    };
    let _ = writeln!(
        out,
        "## Quickstart\n\n```rust,no_run\nuse {krate}::{{{client}, Error}};\n"
    );
    let _ = writeln!(
        out,
        "#[tokio::main]\nasync fn main() -> Result<(), Error> {{\n    // Reads {key_note}.\n    let client = {client}::from_env()?;"
    );
    match quickstart_call(&calls) {
        Some(call) => {
            let args: Vec<String> = call
                .args(space, &krate)
                .into_iter()
                .map(|(name, ty)| {
                    if ty == "&str" {
                        format!("\"{name}\"")
                    } else {
                        "Default::default()".to_string()
                    }
                })
                .collect();
            let var = match call.op.response {
                ResponseKind::Page(_) => "page",
                _ => "response",
            };
            let _ = writeln!(
                out,
                "    // {} {}\n    let {var} = {}.{}({}).await?;\n    println!(\"{{{var}:#?}}\");",
                call.op.method,
                call.op.path,
                call.handle,
                call.name,
                args.join(", ")
            );
        }
        None => {
            let _ = writeln!(out, "    println!(\"calling {{}}\", client.base_url());");
        }
    }
    let _ = writeln!(out, "    Ok(())\n}}\n```\n");
    if !calls.is_empty() {
        let _ = writeln!(
            out,
            "A method takes its path parameters as `&str`, then the request body, then a `…Params` \
         struct with the query and header parameters (`Default::default()` when none is \
         required). Awaiting it sends the request; `.timeout(…)`, `.header(…)` and \
         `.max_retries(…)` before `.await` change one call.\n"
        );
    }

    // Streaming.
    // Preferably an operation that otherwise answers JSON (the common streaming shape).
    let streaming = calls
        .iter()
        .filter(|c| c.op.stream.is_some())
        .min_by_key(|c| !matches!(c.op.response, ResponseKind::Json(_)));
    if let Some(call) = streaming {
        let event = call
            .op
            .stream
            .as_ref()
            .map(|ty| rust_text(super::types::type_ref_in(space, ty, &quote!(types::))))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "## Streaming\n\nAn operation that can answer with server-sent events has a `…_stream` \
             twin, which sends `\"stream\": true` and yields each event, decoded, as it arrives:\n"
        );
        let args = call.args(space, &krate);
        let params: Vec<String> = args
            .iter()
            .map(|(name, ty)| format!(", {name}: {ty}"))
            .collect();
        let names: Vec<&str> = args.iter().map(|(name, _)| name.as_str()).collect();
        let _ = writeln!(
            out,
            "```rust,no_run\nuse {krate}::{{types, {client}, Error}};\n\n\
             async fn stream(client: &{client}{}) -> Result<(), Error> {{\n    \
             let mut events = {}.{}_stream({}).await?;\n    \
             while let Some(event) = events.next().await {{\n        \
             let event: {event} = event?;\n        println!(\"{{event:?}}\");\n    }}\n    Ok(())\n}}\n```\n",
            params.concat(),
            call.handle,
            call.name,
            names.join(", ")
        );
        let _ = writeln!(
            out,
            "The stream ends after the last event. A body cut mid-event, a transport error or an \
             error event is an `Err` item that ends it; an event that does not decode is an `Err` \
             item and the stream goes on. Streams are never retried once the body has started.\n"
        );
    }

    // Pagination.
    if let Some(call) = calls
        .iter()
        .find(|c| matches!(c.op.response, ResponseKind::Page(_)))
    {
        let args = call.args(space, &krate);
        let params: Vec<String> = args
            .iter()
            .map(|(name, ty)| format!(", {name}: {ty}"))
            .collect();
        let first: Vec<String> = args
            .iter()
            .map(|(name, ty)| {
                if ty == "&str" {
                    name.clone()
                } else {
                    format!("{name}.clone()")
                }
            })
            .collect();
        let names: Vec<&str> = args.iter().map(|(name, _)| name.as_str()).collect();
        let _ = writeln!(
            out,
            "## Pagination\n\nList operations return a `CursorPage`: its items in `data`, the next \
             page on request, or every item across pages as a stream that fetches one page at a \
             time:\n"
        );
        let _ = writeln!(
            out,
            "```rust,no_run\nuse {krate}::{{types, {client}, Error}};\n\n\
             async fn every_item(client: &{client}{}) -> Result<(), Error> {{\n    \
             let page = {}.{}({}).await?;\n    \
             println!(\"{{}} items on the first page\", page.data.len());\n    \
             if let Some(next) = page.next_page().await? {{\n        \
             println!(\"{{}} on the second\", next.data.len());\n    }}\n\n    \
             let mut items = {}.{}({}).into_stream();\n    \
             while let Some(item) = items.next().await {{\n        \
             println!(\"{{:?}}\", item?);\n    }}\n    Ok(())\n}}\n```\n",
            params.concat(),
            call.handle,
            call.name,
            first.join(", "),
            call.handle,
            call.name,
            names.join(", ")
        );
    }

    // Errors.
    let _ = writeln!(
        out,
        "## Errors\n\nEvery call fails with one `Error`. Its `kind()` says what happened: the \
         server's answer outside 2xx (status, request id, the parsed error object and the raw \
         body; `ApiError::body_as` decodes a body the operation documents), a timeout, a \
         connection failure, a body that did not decode (with the path where it failed), a \
         stream that failed after it started, or a configuration or encoding problem.\n"
    );
    let _ = writeln!(
        out,
        "```rust,no_run\nuse {krate}::runtime::ApiErrorKind;\nuse {krate}::{{Error, ErrorKind}};\n\n\
         fn explain(err: &Error) {{\n    match err.kind() {{\n        \
         ErrorKind::Api(api) if api.kind == ApiErrorKind::RateLimit => {{\n            \
         eprintln!(\"rate limited (request {{:?}})\", api.request_id)\n        }}\n        \
         ErrorKind::Api(api) => eprintln!(\"HTTP {{}}: {{}}\", api.status, api.message()),\n        \
         ErrorKind::Timeout(_) => eprintln!(\"timed out\"),\n        \
         ErrorKind::Decode(decode) => eprintln!(\"unexpected body at {{}}: {{}}\", decode.path, decode.message),\n        \
         _ => eprintln!(\"{{err}}\"),\n    }}\n}}\n```\n"
    );
    let _ = writeln!(
        out,
        "Connection errors, timeouts, 408, 409, 429 and 5xx answers are retried twice by \
         default, with exponential backoff that honours `retry-after-ms` and `retry-after`.\n"
    );

    // Drift.
    let _ = writeln!(
        out,
        "## When the server departs from the spec\n\nA response decodes even when the server \
         leaves out a field the spec requires, sends `null` where the spec does not allow it, or \
         sends a value of another type: the field holds its type's default, and the value says \
         where it departed with `drift()` (trait `Conformance`). Fields the spec does not \
         declare are kept (`extra_field`, trait `ExtraFields`), and encoding a value writes back \
         exactly what was received. `{client}::builder().strict(true)` (or `.strict(true)` on \
         one call) makes each departure a decode error naming the field instead.\n"
    );
    let _ = writeln!(
        out,
        "```rust,no_run\nuse {krate}::{{Conformance, ExtraFields}};\n\n\
         fn inspect(value: &(impl Conformance + ExtraFields)) {{\n    \
         for drift in value.drift() {{\n        eprintln!(\"departs from the spec: {{drift}}\");\n    }}\n    \
         for (name, field) in value.extra_fields() {{\n        \
         eprintln!(\"not in the spec: {{name}} = {{field}}\");\n    }}\n}}\n```\n"
    );

    // Configuration.
    let _ = writeln!(
        out,
        "## Configuration\n\n`{client}::from_env()` reads the environment; `{client}::builder()` \
         sets anything in code and reads the rest from the environment at `build()`:\n"
    );
    let mut vars = vec![
        format!("| `{api_key_env}` | the API key |"),
        format!(
            "| `{base_url_env}` | the base URL (default {}) |",
            if info.base_url.is_empty() {
                "none: the spec names no server".to_string()
            } else {
                format!("`{}`", info.base_url)
            }
        ),
    ];
    if info.auth == Auth::None {
        vars.remove(0);
    }
    vars.extend(
        config
            .env_headers
            .iter()
            .map(|(var, header)| format!("| `{var}` | sent as the `{header}` header when set |")),
    );
    let _ = writeln!(out, "| variable | what |\n|---|---|\n{}\n", vars.join("\n"));
    let _ = writeln!(
        out,
        "```rust,no_run\nuse std::time::Duration;\n\nuse {krate}::{{{client}, Error}};\n\n\
         fn client() -> Result<{client}, Error> {{\n    {client}::builder()\n        \
         .api_key(\"my key\")\n        .base_url(\"http://127.0.0.1:8080\")\n        \
         .timeout(Duration::from_secs(30)) // per attempt; the default is 10 minutes\n        \
         .max_retries(3)\n        .default_header(\"x-my-header\", \"value\")\n        \
         .build()\n}}\n```\n"
    );

    if let Some(extension) = extension {
        out.push_str(extension.trim_end());
        out.push('\n');
    }
    out
}
