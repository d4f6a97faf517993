//! Reading a document from disk or a string into the normalised model.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::normalize;

/// A loaded, normalised OpenAPI document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document in the `openapiv3` (3.0) model, with 3.1 constructs normalised.
    pub api: openapiv3::OpenAPI,
    /// The normalised tree the model was read from; JSON pointers in diagnostics refer to it
    /// and to the original document alike, because normalisation never moves a node.
    pub raw: Value,
    /// Where the document came from.
    pub source: PathBuf,
    /// The document's `openapi:` version family.
    pub version: SpecVersion,
    /// Things normalisation changed or could not keep, each with its location.
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
    /// JSON pointer into the document, e.g. `#/components/schemas/Foo/properties/bar`.
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
    Io { file: PathBuf, source: std::io::Error },
    #[error("{file}:{line}:{column}: invalid {format}: {message}")]
    Syntax { file: PathBuf, format: &'static str, line: usize, column: usize, message: String },
    #[error("{file}: the document is empty")]
    Empty { file: PathBuf },
    #[error("{file}: {message}")]
    Version { file: PathBuf, message: String },
    #[error("{file}: {pointer}: {message}")]
    Invalid { file: PathBuf, pointer: String, message: String },
}

/// Loads a YAML or JSON OpenAPI document from `path`.
pub fn load(path: &Path) -> Result<Document, LoadError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| LoadError::Io { file: path.to_path_buf(), source })?;
    load_str(&text, path)
}

/// Loads a document from text; `source` names it in diagnostics.
pub fn load_str(text: &str, source: &Path) -> Result<Document, LoadError> {
    let file = source.to_path_buf();
    if text.trim().is_empty() {
        return Err(LoadError::Empty { file });
    }
    let mut raw = parse_tree(text, &file)?;
    let version = detect_version(&raw, &file)?;
    let mut warnings = Vec::new();
    normalize::normalize(&mut raw, version, &mut warnings);
    let api = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw).map_err(|e| {
        LoadError::Invalid { file: file.clone(), pointer: to_pointer(e.path()), message: e.inner().to_string() }
    })?;
    Ok(Document { api, raw, source: file, version, warnings })
}

fn parse_tree(text: &str, file: &Path) -> Result<Value, LoadError> {
    let looks_json = text.trim_start().starts_with('{');
    if looks_json {
        return serde_json::from_str(text).map_err(|e| LoadError::Syntax {
            file: file.to_path_buf(),
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        });
    }
    let tree: YamlTree = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        LoadError::Syntax { file: file.to_path_buf(), format: "YAML", line, column, message: e.to_string() }
    })?;
    Ok(tree.0)
}

/// A JSON tree read from YAML. YAML allows what JSON does not, and each gets a deliberate
/// answer: non-string keys (response codes such as `200:`) become strings, integers beyond
/// 64 bits (`minimum: -9223372036854776000`) become the nearest float, tags are dropped.
struct YamlTree(Value);

impl<'de> serde::Deserialize<'de> for YamlTree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor).map(YamlTree)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(YamlTree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((YamlTree(key), YamlTree(value))) = map.next_entry()? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML tag (`!foo value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_tag, variant): (YamlTree, _) = data.variant()?;
        variant.newtype_variant::<YamlTree>().map(|t| t.0)
    }
}

/// Non-finite floats (`.inf`, `.nan`) have no JSON form; they become `null`.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null)
}

fn detect_version(raw: &Value, file: &Path) -> Result<SpecVersion, LoadError> {
    let err = |message: String| LoadError::Version { file: file.to_path_buf(), message };
    if let Some(swagger) = raw.get("swagger") {
        return Err(err(format!(
            "this is a Swagger {} document; convert it to OpenAPI 3 first (for example with `npx swagger2openapi`)",
            swagger.as_str().unwrap_or("2.0")
        )));
    }
    let version = match raw.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => return Err(err(format!("`openapi` must be a version string such as \"3.1.0\", found {other}"))),
        None => return Err(err("missing the `openapi` field: not an OpenAPI 3 document".into())),
    };
    if version.starts_with("3.0") {
        Ok(SpecVersion::V3_0)
    } else if version.starts_with("3.1") {
        Ok(SpecVersion::V3_1)
    } else {
        Err(err(format!("unsupported OpenAPI version `{version}`; 3.0.x and 3.1.x are supported")))
    }
}

fn to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("#");
    for seg in path.iter() {
        out.push('/');
        let s = seg.to_string();
        out.push_str(&s.replace('~', "~0").replace('/', "~1"));
    }
    out
}
