//! Reading a document from disk or a string into the normalised model.
//!
//! The steps, each in its own module: parse the text into a JSON tree ([`crate::parse`]);
//! check the version; import what `$ref`s name in other files and check every local `$ref`
//! ([`crate::refs`]); normalise 3.1 into the shapes of the 3.0 model
//! ([`crate::normalize`]); check what the model does not ([`crate::validate`]); read the
//! model with `openapiv3`; write it back out and report
//! whatever it did not keep ([`crate::lossless`]).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::Overlay;
use crate::lossless::{self, Loss};
use crate::pointer::{Origins, Source, join};
use crate::walk::{self, Kind};
use crate::{normalize, parse, refs, validate};

/// A loaded, normalised OpenAPI document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document in the `openapiv3` (3.0) model, with 3.1 constructs normalised. A 3.1
    /// document's `webhooks` are in `api.extensions["x-webhooks"]` (normalised like paths).
    pub api: openapiv3::OpenAPI,
    /// The normalised tree the model was read from, with the nodes imported from other
    /// files in `components`. Every `$ref` in it resolves in it. Normalisation moves a node
    /// only where the 3.0 shape demands it (`anyOf: [X, null]` → `allOf: [X]`); warning
    /// pointers always name where the user wrote the node (see [`Warning::pointer`]).
    pub raw: Value,
    /// Where the document came from.
    pub source: PathBuf,
    /// The document's `openapi:` version family.
    pub version: SpecVersion,
    /// Things normalisation changed or the model could not keep, each with its location.
    pub warnings: Vec<Warning>,
}

/// The OpenAPI version family of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    V3_0,
    V3_1,
}

/// A located, non-fatal finding about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the user wrote the node: a JSON pointer into the document, e.g.
    /// `#/components/schemas/Foo/properties/bar`, or for a node imported from another file,
    /// that file (relative to the document's folder) and a pointer into it:
    /// `schemas/pet.yaml#/Pet/properties/tag`.
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Why a document could not be loaded. Every variant names the file and where in it.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    /// `line` and `column` are 1-based; 0 when the parser gave no position.
    #[error("{file}{}: invalid {format}: {message}", at_line_col(*.line, *.column))]
    Syntax {
        file: PathBuf,
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: the document is empty")]
    Empty { file: PathBuf },
    /// Not an OpenAPI 3.0/3.1 document (Swagger 2.0, no `openapi` field, another version).
    #[error("{file}{}: {message}", at_line(.line))]
    Version {
        file: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// The document does not fit the OpenAPI model at `pointer`.
    #[error("{file}{}: {pointer}: {message}", at_line(.line))]
    Invalid {
        file: PathBuf,
        pointer: String,
        line: Option<usize>,
        message: String,
    },
    /// A `$ref` at `pointer` that cannot be followed: its target is missing or remote, or
    /// references loop without reaching a schema.
    #[error("{file}{}: {pointer}: {message}", at_line(.line))]
    Reference {
        file: PathBuf,
        pointer: String,
        line: Option<usize>,
        message: String,
    },
}

fn at_line_col(line: usize, column: usize) -> String {
    match (line, column) {
        (0, _) => String::new(),
        (l, 0) => format!(":{l}"),
        (l, c) => format!(":{l}:{c}"),
    }
}

fn at_line(line: &Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

/// Loads a YAML or JSON OpenAPI document from `path`. `$ref`s to other files are read
/// relative to the file that contains them.
pub fn load(path: &Path) -> Result<Document, LoadError> {
    load_with(path, &[])
}

/// [`load`], with `overlays` applied to the document before it is read.
pub fn load_with(path: &Path, overlays: &[Overlay]) -> Result<Document, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    let text =
        String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))?;
    load_str_with(&text, path, overlays)
}

/// Where the first byte that is not UTF-8 is.
fn not_utf8(file: &Path, bytes: &[u8], error: std::str::Utf8Error) -> LoadError {
    let valid = &bytes[..error.valid_up_to()];
    let line = 1 + valid.iter().filter(|b| **b == b'\n').count();
    let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = 1 + String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count();
    let byte = bytes.get(error.valid_up_to()).copied().unwrap_or_default();
    LoadError::Syntax {
        file: file.to_path_buf(),
        format: "UTF-8",
        line,
        column,
        message: format!("byte 0x{byte:02x}; the document must be UTF-8 text"),
    }
}

/// Loads a document from text; `source` names it in diagnostics, and `$ref`s to other files
/// are read relative to its folder.
pub fn load_str(text: &str, source: &Path) -> Result<Document, LoadError> {
    load_str_with(text, source, &[])
}

/// [`load_str`], with `overlays` applied to the document before it is read.
pub fn load_str_with(
    text: &str,
    source: &Path,
    overlays: &[Overlay],
) -> Result<Document, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = source.to_path_buf();
    if text.trim().is_empty() {
        return Err(LoadError::Empty { file });
    }
    let (mut raw, depth) = parse::parse(text, &file)?;
    let here = Here { file: &file, text };
    match &raw {
        Value::Object(_) => {}
        Value::Null => return Err(LoadError::Empty { file }),
        other => {
            let message = format!(
                "the top level must be a mapping of OpenAPI fields, found {}",
                kind_of(other)
            );
            return Err(LoadError::Invalid {
                file,
                pointer: "#".into(),
                line: Some(1),
                message,
            });
        }
    }
    for overlay in overlays {
        apply_overlay(&mut raw, overlay).map_err(|message| LoadError::Invalid {
            file: file.clone(),
            pointer: overlay.target.clone(),
            line: None,
            message,
        })?;
    }
    let mut warnings = Vec::new();
    let version = detect_version(&mut raw, &here, &mut warnings)?;

    let mut origins = Origins::default();
    let error =
        |origins: &Origins, at: &str, message: String| here.reference_error(origins, at, message);
    let (sites, imported_depth) = refs::resolve(&mut raw, &file, &mut origins, &error)?;
    refs::check(&raw, &sites, &origins, &error)?;

    let mut found = Vec::new();
    let deeper = normalize::normalize(&mut raw, version, &mut found, &mut origins);
    warnings.extend(found.into_iter().map(|w| Warning {
        pointer: origins.display(&origins.unimport(&w.pointer)),
        ..w
    }));
    refs::follow_moves(&mut raw, &sites, &origins);
    let show = |at: &str| origins.display(&origins.source(at));
    let repaired = validate::check(&mut raw, &show)
        .map_err(|(at, message)| here.invalid(&origins, &at, message))?;
    warnings.extend(repaired.into_iter().map(|(at, message)| Warning {
        pointer: show(&at),
        message,
    }));

    // Reading the model recurses deeply in `openapiv3`: a document as deep as the parsers
    // allow (128 levels) needs more than a test thread's 2 MiB of stack in a debug build.
    // Real documents nest about 20 levels and are read here; deeper ones on a thread with
    // room (reserved, not committed, memory).
    let model = || read_model(&raw);
    let read = if depth.max(imported_depth) + deeper > INLINE_DEPTH {
        on_big_stack(model)
    } else {
        model()
    };
    let (mut api, mut losses) =
        read.map_err(|(at, message)| here.invalid(&origins, &at, message))?;
    if let Some(Value::Object(hooks)) = raw.get("webhooks") {
        if api.extensions.contains_key("x-webhooks") {
            warnings.push(Warning {
                pointer: "#/x-webhooks".into(),
                message: "both `webhooks` and `x-webhooks`; `webhooks` is kept".into(),
            });
        }
        api.extensions
            .insert("x-webhooks".into(), Value::Object(hooks.clone()));
    }
    losses.retain(|l| l.pointer != "#/webhooks");
    warnings.extend(losses.into_iter().map(|Loss { pointer, message }| Warning {
        pointer: origins.display(&origins.source(&pointer)),
        message,
    }));
    Ok(Document {
        api,
        raw,
        source: file,
        version,
        warnings,
    })
}

/// Deeper trees are read on a thread with a large stack (see [`load_str`]).
const INLINE_DEPTH: usize = 40;

/// Runs `f` on a thread with a 64 MiB stack; inline if no thread can be had.
fn on_big_stack<T: Send>(
    f: impl FnOnce() -> Result<T, (String, String)> + Send,
) -> Result<T, (String, String)> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("openapi-read".into())
            .stack_size(64 << 20)
            .spawn_scoped(scope, f);
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(("#".into(), "reading the model panicked".into()))),
            // `f` moved into the failed spawn; without a thread there is no safe way on.
            Err(e) => Err((
                "#".into(),
                format!("cannot start a thread to read this deeply nested document: {e}"),
            )),
        }
    })
}

/// The model and what it did not keep. `webhooks` (3.1) are path items the 3.0 model has no
/// field for: each is read as one (and checked), and the caller keeps the map as the
/// `x-webhooks` extension.
fn read_model(raw: &Value) -> Result<(openapiv3::OpenAPI, Vec<Loss>), (String, String)> {
    let api: openapiv3::OpenAPI = read(raw, "#", raw)?;
    let mut losses = Vec::new();
    lossless::check(raw, &api, "#", &mut losses);
    if let Some(Value::Object(hooks)) = raw.get("webhooks") {
        for (name, hook) in hooks {
            let at = join("#/webhooks", name);
            let item: openapiv3::ReferenceOr<openapiv3::PathItem> = read(hook, &at, raw)?;
            lossless::check(hook, &item, &at, &mut losses);
        }
    }
    Ok((api, losses))
}

/// The root document, for placing errors.
struct Here<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Here<'_> {
    /// The file, pointer and line where the user wrote a node.
    fn place(&self, source: &Source) -> (PathBuf, Option<usize>) {
        match &source.file {
            None => (
                self.file.to_path_buf(),
                line_of(self.text, self.file, &source.pointer),
            ),
            Some(file) => {
                let line = std::fs::read_to_string(file)
                    .ok()
                    .and_then(|text| line_of(&text, file, &source.pointer));
                (file.clone(), line)
            }
        }
    }

    /// An error about the `$ref` of the object at `at` (a pointer as parsed).
    fn reference_error(&self, origins: &Origins, at: &str, message: String) -> LoadError {
        let source = origins.unimport(&join(at, "$ref"));
        let (file, line) = self.place(&source);
        LoadError::Reference {
            file,
            pointer: source.pointer,
            line,
            message,
        }
    }

    /// An error about the node at `at` (a pointer into the loaded tree).
    fn invalid(&self, origins: &Origins, at: &str, message: String) -> LoadError {
        let source = origins.source(at);
        let (file, line) = self.place(&source);
        LoadError::Invalid {
            file,
            pointer: source.pointer,
            line,
            message,
        }
    }
}

fn line_of(text: &str, file: &Path, pointer: &str) -> Option<usize> {
    parse::locate(text, file, pointer).map(|(line, _)| line)
}

/// Reads `T` from `value` (at pointer `at` in `root`). On failure returns the pointer of the
/// smallest schema that fails on its own (serde stops at the outermost untagged value, which
/// is often a whole component) and the message.
fn read<T: DeserializeOwned>(value: &Value, at: &str, root: &Value) -> Result<T, (String, String)> {
    // Tracking the path slows every read; it is only needed to place a failure, so a read
    // that fails is repeated with it (the same input fails the same way).
    let result = catch_unwind(AssertUnwindSafe(|| match T::deserialize(value) {
        Ok(v) => Ok(v),
        Err(_) => serde_path_to_error::deserialize::<_, T>(value),
    }));
    let err = match result {
        Ok(Ok(v)) => return Ok(v),
        Ok(Err(e)) => e,
        Err(_) => {
            return Err((
                at.to_owned(),
                "the openapiv3 model panicked reading this document".into(),
            ));
        }
    };
    let mut ptr = at.to_owned();
    for seg in err.path().iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => ptr.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => ptr = join(&ptr, key),
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    let message = err.into_inner().to_string();
    Err(narrow(root, ptr, message))
}

/// Finds, at or below `at`, the innermost node that the model rejects on its own: each node
/// of a known kind is read alone as its own type, and the deepest failure wins.
fn narrow(root: &Value, at: String, message: String) -> (String, String) {
    use openapiv3 as o;
    let mut tree = root.clone();
    let mut best: Option<(String, String)> = None;
    let _ = walk::document::<()>(&mut tree, &mut |node, ptr, kind| {
        let below_best = best
            .as_ref()
            .is_none_or(|(b, _)| is_within(ptr, b) && ptr != b);
        if !below_best || !(is_within(ptr, &at) || is_within(&at, ptr)) {
            return Ok(());
        }
        let failure = match kind {
            Kind::Schema => failing_schema(node, ptr),
            Kind::Parameter => failing::<o::Parameter>(node, ptr),
            Kind::Header => failing::<o::Header>(node, ptr),
            Kind::RequestBody => failing::<o::RequestBody>(node, ptr),
            Kind::Response => failing::<o::Response>(node, ptr),
            Kind::Example => failing::<o::Example>(node, ptr),
            Kind::Link => failing::<o::Link>(node, ptr),
            Kind::Callback => failing::<o::Callback>(node, ptr),
            Kind::PathItem => failing::<o::PathItem>(node, ptr),
            Kind::SecurityScheme => failing::<o::SecurityScheme>(node, ptr),
        };
        if failure.is_some() {
            best = failure;
        }
        Ok(())
    });
    best.unwrap_or((at, message))
}

/// Reads a node that is not a schema (nor a `$ref`) as `T`: where inside it that fails.
fn failing<T: DeserializeOwned>(node: &Value, ptr: &str) -> Option<(String, String)> {
    if matches!(node, Value::Object(map) if walk::is_reference(map)) {
        return None;
    }
    let err = catch_unwind(AssertUnwindSafe(|| {
        serde_path_to_error::deserialize::<_, T>(node).err()
    }))
    .ok()??;
    let mut at = ptr.to_owned();
    for seg in err.path().iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => at.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => at = join(&at, key),
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    Some((at, err.into_inner().to_string()))
}

fn failing_schema(node: &mut Value, ptr: &str) -> Option<(String, String)> {
    let err = catch_unwind(AssertUnwindSafe(|| {
        serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(node.clone()).err()
    }))
    .ok()??;
    let mut inner = None;
    if let Value::Object(map) = node {
        let _ = walk::subschemas::<()>(map, ptr, &mut |child, child_ptr, _| {
            if inner.is_none() {
                inner = failing_schema(child, child_ptr);
            }
            Ok(())
        });
    }
    inner.or_else(|| Some((ptr.to_owned(), err.to_string())))
}

fn detect_version(
    raw: &mut Value,
    here: &Here<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<SpecVersion, LoadError> {
    let err = |at: &str, message: String| LoadError::Version {
        file: here.file.to_path_buf(),
        line: line_of(here.text, here.file, at),
        message,
    };
    if let Some(swagger) = raw.get("swagger") {
        let v = swagger
            .as_str()
            .map_or_else(|| swagger.to_string(), str::to_owned);
        return Err(err(
            "#/swagger",
            format!(
                "this is a Swagger {v} document, not OpenAPI 3; convert it to OpenAPI 3 first \
                 (for example with `npx swagger2openapi` or the converter at converter.swagger.io)"
            ),
        ));
    }
    let version = match raw.get("openapi") {
        Some(Value::String(v)) => v.trim().to_owned(),
        Some(Value::Number(n)) => {
            // `openapi: 3.1` unquoted is a number in YAML.
            let v = n.to_string();
            warnings.push(Warning {
                pointer: "#/openapi".into(),
                message: format!("`openapi` should be a string such as \"{v}.0\"; read as \"{v}\""),
            });
            if let Value::Object(doc) = raw {
                doc.insert("openapi".into(), Value::String(v.clone()));
            }
            v
        }
        Some(other) => {
            let message = format!(
                "`openapi` must be a version string such as \"3.1.0\", found {}",
                kind_of(other)
            );
            return Err(err("#/openapi", message));
        }
        None => {
            let message =
                "missing the `openapi` field at the top level (such as `openapi: 3.1.0`): \
                           this is not an OpenAPI 3 document"
                    .to_owned();
            return Err(LoadError::Version {
                file: here.file.to_path_buf(),
                line: None,
                message,
            });
        }
    };
    let mut parts = version.split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().and_then(|p| {
        p.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse::<u32>()
            .ok()
    });
    match (major, minor) {
        (Some(3), Some(0)) => Ok(SpecVersion::V3_0),
        (Some(3), Some(1)) => Ok(SpecVersion::V3_1),
        (Some(2), _) => Err(err(
            "#/openapi",
            format!(
                "unsupported OpenAPI version `{version}`: version 2 is Swagger (`swagger: \"2.0\"`); \
                 convert the document to OpenAPI 3 (for example with `npx swagger2openapi`)"
            ),
        )),
        _ => Err(err(
            "#/openapi",
            format!("unsupported OpenAPI version `{version}`; 3.0.x and 3.1.x are supported"),
        )),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// `ptr` is `base` or below it.
fn is_within(ptr: &str, base: &str) -> bool {
    ptr.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Merges an overlay's `update` into the object at its target (keys it sets replace the
/// document's), as the OpenAPI Overlay Specification's update action does.
fn apply_overlay(raw: &mut Value, overlay: &Overlay) -> Result<(), String> {
    let pointer = overlay.target.strip_prefix('#').unwrap_or(&overlay.target);
    let target = raw.pointer_mut(pointer).ok_or_else(|| {
        "a configuration overlay targets this, but the document has nothing there".to_owned()
    })?;
    let Value::Object(object) = target else {
        return Err(format!(
            "a configuration overlay targets this, but it is {}, not a mapping",
            kind_of(target)
        ));
    };
    for (key, value) in &overlay.update {
        object.insert(key.clone(), value.clone());
    }
    Ok(())
}
