//! `client-name` in the configuration names the client type at the crate root; a name that
//! is not an identifier, or names something else there, is a located error.

use std::path::Path;

use generator_tests::fixtures_dir;

fn generate(client_name: Option<&str>) -> Result<generator::Output, generator::GenerateError> {
    let spec = fixtures_dir().join("operations.yaml");
    let doc = openapi::load(&spec).unwrap_or_else(|e| panic!("{e}"));
    let mut config = openapi::Config::for_spec(&spec, "fixture-operations");
    config.client_name = client_name.map(str::to_owned);
    generator::generate(&doc, &config)
}

fn file<'a>(output: &'a generator::Output, path: &str) -> &'a str {
    &output.files[Path::new(path)]
}

#[test]
fn the_configured_name_is_the_client_type() {
    let output = generate(Some("Widgets")).unwrap_or_else(|e| panic!("{e}"));
    let lib = file(&output, "src/lib.rs");
    assert!(lib.contains("Client as Widgets"), "{lib}");
    assert!(
        lib.contains("How a [`Widgets`] finds its settings"),
        "{lib}"
    );
    assert!(lib.contains("`Widgets::from_env()` reads them"), "{lib}");
    let resources = file(&output, "src/resources.rs");
    assert!(
        resources.contains("a handle borrowed from a [`crate::Widgets`]"),
        "resource docs link the configured name"
    );

    let default = generate(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(file(&default, "src/lib.rs").contains("pub use runtime::{Call, Client, ClientBuilder"));
}

#[test]
fn a_name_that_cannot_be_the_client_is_an_error() {
    for bad in ["my client", "Error", "3d", ""] {
        let err = generate(Some(bad)).expect_err(bad).to_string();
        assert!(
            err.starts_with("client-name (configuration): ") && err.contains(&format!("`{bad}`")),
            "{err}"
        );
    }
}
