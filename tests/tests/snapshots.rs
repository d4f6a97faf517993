//! One pair of snapshots per fixture spec: the generated `src/` (runtime aside) and the
//! report. Review with `cargo insta review` (or `cargo insta test --review`); insta writes
//! `.snap.new` files next to the accepted ones and never accepts anything under `CI`.
//! Run one fixture with `INSTA_GLOB_FILTER=object_basic.yaml cargo test -p generator-tests`.

use generator_tests::Fixture;

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    insta::glob!("../fixtures", "*.yaml", |path| {
        let fixture = Fixture::from_path(path);
        // The description lands in the snapshot header, so a reviewer sees what the
        // fixture is about next to what it produced.
        insta::with_settings!({ description => fixture.header(), omit_expression => true }, {
            match fixture.generate() {
                Ok(generated) => {
                    insta::assert_snapshot!("src", generated.render_src());
                    insta::assert_snapshot!("report", generated.render_report());
                }
                // Recorded rather than panicking here, so every other fixture still runs;
                // printed now too, because `glob!` panics first if any snapshot differs.
                Err(message) => {
                    eprintln!("{message}");
                    failures.push(message);
                }
            }
        });
    });
    assert!(
        failures.is_empty(),
        "fixtures that did not generate:\n{}",
        failures.join("\n")
    );
}

/// Every fixture says what it covers and loads as valid OpenAPI, whatever the generator does.
#[test]
fn fixtures_load_and_say_what_they_cover() {
    let fixtures = generator_tests::all_fixtures();
    assert!(
        !fixtures.is_empty(),
        "no fixture in {}",
        generator_tests::fixtures_dir().display()
    );
    for fixture in fixtures {
        let header = fixture.header();
        assert!(
            header.starts_with(&format!("{}: ", fixture.name)),
            "{}: the file must start with a `# {}: what it covers` comment",
            fixture.path.display(),
            fixture.name
        );
        if let Err(e) = openapi::load(&fixture.path) {
            panic!("{e}");
        }
    }
}
