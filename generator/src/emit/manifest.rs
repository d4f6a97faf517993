//! The generated crate's `Cargo.toml`: its package, plus the runtime's dependencies and
//! features copied from `templates/Cargo.toml` (one list, kept in one place).

use crate::Config;

pub fn cargo_toml(config: &Config, header: &str) -> String {
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
    let body = toml::to_string(&manifest).unwrap_or_default();
    format!("{}{body}", header.replace("//", "#"))
}
