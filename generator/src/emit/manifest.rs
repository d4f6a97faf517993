//! The generated crate's `Cargo.toml`: its package, plus the runtime's dependencies and
//! features copied from `templates/Cargo.toml` (one list, kept in one place), plus one
//! feature per top-level resource group ([`Features`]).

use crate::features::{FULL_FEATURE, Features, UNREACHED_FEATURE};
use crate::{Config, GenerateError};

/// Dev-dependencies of every generated crate: the front page's examples (doctests) run on
/// Tokio's `#[tokio::main]`.
const DEV_DEPENDENCIES: &str =
    r#"tokio = { version = "1.38", features = ["macros", "rt-multi-thread"] }"#;

pub fn cargo_toml(
    config: &Config,
    features: &Features,
    header: &str,
    extension: Option<&toml::Table>,
    extension_dir: &std::path::Path,
) -> Result<String, GenerateError> {
    let runtime: toml::Table = super::RUNTIME_MANIFEST.parse().unwrap_or_default();
    let mut package = toml::Table::new();
    package.insert("name".into(), config.crate_name.clone().into());
    package.insert("version".into(), config.crate_version.clone().into());
    package.insert("edition".into(), "2024".into());
    package.insert("rust-version".into(), "1.85".into());
    if let Some(description) = &config.description {
        package.insert("description".into(), description.clone().into());
    }
    package.insert("publish".into(), false.into());
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), package.into());
    for section in ["dependencies", "features"] {
        if let Some(table) = runtime.get(section) {
            manifest.insert(section.into(), table.clone());
        }
    }
    let dev: toml::Table = DEV_DEPENDENCIES.parse().unwrap_or_default();
    manifest.insert("dev-dependencies".into(), dev.into());
    let mut note = String::new();
    if !features.names.is_empty() {
        add_resource_features(&mut manifest, features);
        note = resource_features_note(features);
    }
    if let Some(extension) = extension {
        crate::extension::merge_manifest(&mut manifest, extension, extension_dir)?;
    }
    let body = toml::to_string(&manifest).unwrap_or_default();
    Ok(format!("{}{note}{body}", header.replace("//", "#")))
}

/// `full` (on by default) plus one empty feature per group.
fn add_resource_features(manifest: &mut toml::Table, features: &Features) {
    let table = manifest
        .entry("features")
        .or_insert_with(|| toml::Table::new().into());
    let Some(table) = table.as_table_mut() else {
        return;
    };
    let default = table
        .entry("default")
        .or_insert_with(|| toml::value::Array::new().into());
    if let Some(default) = default.as_array_mut() {
        default.push(FULL_FEATURE.into());
    }
    let all: toml::value::Array = features.names.iter().map(|n| n.clone().into()).collect();
    table.insert(FULL_FEATURE.into(), all.into());
    for name in &features.names {
        table.insert(name.clone(), toml::value::Array::new().into());
    }
}

fn resource_features_note(features: &Features) -> String {
    let unreached = if features.names.iter().any(|n| n == UNREACHED_FEATURE) {
        format!("# `{UNREACHED_FEATURE}`: the types no operation uses (e.g. webhook payloads).\n")
    } else {
        String::new()
    };
    format!(
        "#\n# Features: one per top-level resource group (`client.<group>()`), each compiling\n\
         # only the types its operations need; `{FULL_FEATURE}` (the default) enables them all.\n\
         {unreached}\
         # A build with one group: `default-features = false, features = [\"<group>\", \"rustls\"]`.\n"
    )
}
