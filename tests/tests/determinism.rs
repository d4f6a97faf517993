//! The same spec gives byte-identical output: generation on the real OpenAI spec, twice in
//! one process and from two separate loads, must agree file for file.

use std::path::Path;

#[test]
fn openai_spec_generates_identical_bytes_twice() {
    let config_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/configs/openai.toml");
    let config = openapi::Config::from_file(&config_path).expect("the OpenAI configuration loads");
    let first_doc = config.load_spec().expect("openai.yaml loads");
    let second_doc = config.load_spec().expect("openai.yaml loads");
    let first = generator::generate(&first_doc, &config).expect("generation succeeds");
    let second = generator::generate(&second_doc, &config).expect("generation succeeds");
    assert!(!first.files.is_empty());
    assert_eq!(
        first.files.keys().collect::<Vec<_>>(),
        second.files.keys().collect::<Vec<_>>()
    );
    for (path, contents) in &first.files {
        assert!(
            second.files[path] == *contents,
            "{} differs between two runs",
            path.display()
        );
    }
    assert_eq!(
        first.report.fallbacks,
        Vec::new(),
        "schemas with a definite shape never fall back"
    );
}
