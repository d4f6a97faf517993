//! The per-API generator configuration: which spec, which crate, and naming choices.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Everything about one generated client that is a choice rather than a fact of the spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The spec, relative to the configuration file.
    pub spec: PathBuf,
    /// Where the crate is written, relative to the configuration file.
    #[serde(default)]
    pub out: Option<PathBuf>,
    /// The generated crate's package name.
    pub crate_name: String,
    #[serde(default = "default_version")]
    pub crate_version: String,
    /// The client type's name at the crate root (default `Client`), e.g. `Petstore`.
    #[serde(default)]
    pub client_name: Option<String>,
    /// One line for the crate's `description`.
    #[serde(default)]
    pub description: Option<String>,
    /// Type name overrides: schema name (as in `components/schemas`) → Rust type name.
    #[serde(default)]
    pub type_names: BTreeMap<String, String>,
    /// Operations whose success body is raw bytes although the spec declares JSON: operationIds.
    #[serde(default)]
    pub binary_responses: std::collections::BTreeSet<String>,
    /// Environment variable holding the API key (default `<CRATE>_API_KEY`).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Environment variable overriding the base URL (default `<CRATE>_BASE_URL`).
    #[serde(default)]
    pub base_url_env: Option<String>,
    /// Headers sent when an environment variable is set: variable → header name.
    #[serde(default)]
    pub env_headers: BTreeMap<String, String>,
    /// Method name overrides: operationId → `resource.path.method` (e.g.
    /// `images.generate`), where the REST-shape heuristic names an operation badly.
    #[serde(default)]
    pub method_names: BTreeMap<String, String>,
    /// Base URL for site-relative links in descriptions (`[guide](/docs/x)`).
    #[serde(default)]
    pub doc_link_base: Option<String>,
    /// The operation extension holding response examples as `examples: [{response: "…"}]`
    /// (OpenAI's `x-oaiMeta`); the generated round-trip test decodes each one.
    #[serde(default)]
    pub response_examples_extension: Option<String>,
    /// Spec examples known not to match their own schema: `Schema` or `Schema.property` →
    /// why. The generated round-trip test expects exactly these to fail.
    #[serde(default)]
    pub known_bad_examples: BTreeMap<String, String>,
    /// One Cargo feature per top-level resource group (`chat`, `files`, …), each compiling
    /// only the types its operations reach; `full` (the default) enables them all.
    #[serde(default = "default_true")]
    pub resource_features: bool,
    /// Corrections to the spec, applied before it is read (`[[overlay]]` tables): what the
    /// API's owner knows and the spec does not say, e.g. that a list of integers holds bytes.
    #[serde(default, rename = "overlay")]
    pub overlays: Vec<Overlay>,
    /// A folder of hand-written code for this API (`extension = "../extensions/openai"`),
    /// relative to the configuration file: copied into the generated crate, never edited by
    /// the generator. [`Config::from_file`] reads it into [`Config::extension`].
    #[serde(default, rename = "extension")]
    pub extension_dir: Option<PathBuf>,
    /// The extension folder's files, read when the configuration is read.
    #[serde(skip)]
    pub extension: Option<Extension>,
}

/// The files of an extension folder, read from disk and not yet checked: every file below
/// the folder by its relative path (`/`-separated), as UTF-8 text. The generator decides
/// what each one may be (`generator::extension`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extension {
    /// The folder, as the configuration names it (resolved against the file's folder).
    pub dir: PathBuf,
    pub files: BTreeMap<PathBuf, String>,
}

impl Extension {
    /// Reads every file below `dir`, sorted by path. Hidden files and folders (`.name`) are
    /// left out; a file that is not UTF-8 is an error naming it.
    pub fn read(dir: &Path) -> Result<Extension, ConfigError> {
        let mut files = BTreeMap::new();
        read_tree(dir, Path::new(""), &mut files)?;
        Ok(Extension {
            dir: dir.to_path_buf(),
            files,
        })
    }
}

fn read_tree(
    root: &Path,
    rel: &Path,
    files: &mut BTreeMap<PathBuf, String>,
) -> Result<(), ConfigError> {
    let dir = if rel.as_os_str().is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    let io = |file: &Path| {
        let file = file.to_path_buf();
        move |source| ConfigError::Io { file, source }
    };
    let mut entries = std::fs::read_dir(&dir)
        .map_err(io(&dir))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(io(&dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = rel.join(&name);
        let full = root.join(&path);
        if entry.file_type().map_err(io(&full))?.is_dir() {
            read_tree(root, &path, files)?;
            continue;
        }
        let bytes = std::fs::read(&full).map_err(io(&full))?;
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::Invalid {
            file: full.clone(),
            message: format!(
                "not UTF-8 text (byte {}); an extension folder holds source files",
                e.utf8_error().valid_up_to()
            ),
        })?;
        files.insert(path, text);
    }
    Ok(())
}

/// An update in the manner of the OpenAPI Overlay Specification, with a JSON pointer for its
/// target: `update`'s keys are set on the mapping at `target`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// A JSON pointer into the spec, `#/components/schemas/Name/properties/field`.
    pub target: String,
    pub update: serde_json::Map<String, serde_json::Value>,
    /// Why the spec needs it (for the reader of the configuration).
    #[serde(default)]
    pub reason: Option<String>,
}

fn default_true() -> bool {
    true
}

impl Config {
    /// Loads the spec with the configuration's overlays applied.
    pub fn load_spec(&self) -> Result<crate::Document, crate::LoadError> {
        crate::load_with(&self.spec, &self.overlays)
    }

    /// The client type's name: `client-name`, or `Client`.
    pub fn client_type(&self) -> &str {
        self.client_name.as_deref().unwrap_or("Client")
    }
}

fn default_version() -> String {
    "0.1.0".into()
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: {message}")]
    Invalid { file: PathBuf, message: String },
}

impl Config {
    /// Reads a TOML configuration file; relative paths in it are resolved against its folder.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            file: path.into(),
            source,
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            file: path.into(),
            message: e.to_string(),
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        config.spec = dir.join(&config.spec);
        config.out = config.out.map(|o| dir.join(o));
        if let Some(extension) = &config.extension_dir {
            let extension = dir.join(extension);
            if !extension.is_dir() {
                return Err(ConfigError::Invalid {
                    file: path.into(),
                    message: format!("`extension`: {} is not a folder", extension.display()),
                });
            }
            config.extension = Some(Extension::read(&extension)?);
            config.extension_dir = Some(extension);
        }
        Ok(config)
    }

    /// A configuration for a spec with no configuration file: names derived from the file.
    pub fn for_spec(spec: &Path, crate_name: &str) -> Self {
        Config {
            spec: spec.to_path_buf(),
            out: None,
            crate_name: crate_name.into(),
            crate_version: default_version(),
            client_name: None,
            description: None,
            type_names: BTreeMap::new(),
            method_names: BTreeMap::new(),
            binary_responses: Default::default(),
            api_key_env: None,
            base_url_env: None,
            env_headers: BTreeMap::new(),
            doc_link_base: None,
            response_examples_extension: None,
            known_bad_examples: BTreeMap::new(),
            overlays: Vec::new(),
            resource_features: true,
            extension_dir: None,
            extension: None,
        }
    }
}
