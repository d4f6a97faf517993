//! The real binary on bad input: each case writes a small document to a temp dir, runs
//! `generator` there, and checks the exit code (1 invalid input, 2 usage error, 0 with a
//! located warning where there is a safe fallback). It must never panic (exit 101 or
//! "panicked" on stderr), and every message is a snapshot (`snapshots/bad_input__*.snap`)
//! so its wording is reviewed: it must say where (file and line, JSON pointer) and what.

use std::path::Path;
use std::process::Command;

const INFO: &str = "info: {title: t, version: '1'}\n";
const OK: &str = "      responses:\n        '200': {description: ok}\n";

struct Case {
    /// Also the snapshot's name.
    name: &'static str,
    /// Files written to the temp dir first.
    files: Vec<(&'static str, Vec<u8>)>,
    /// Arguments, run in the temp dir.
    args: &'static [&'static str],
    code: i32,
}

fn case(
    name: &'static str,
    code: i32,
    args: &'static [&'static str],
    files: &[(&'static str, String)],
) -> Case {
    Case {
        name,
        files: files
            .iter()
            .map(|(f, t)| (*f, t.clone().into_bytes()))
            .collect(),
        args,
        code,
    }
}

/// A case that generates from `spec.yaml` (or `.json`) with the given contents.
fn spec(name: &'static str, code: i32, text: String) -> Case {
    case(
        name,
        code,
        &["--spec", "spec.yaml", "--out", "out"],
        &[("spec.yaml", text)],
    )
}

fn json(name: &'static str, code: i32, text: &str) -> Case {
    case(
        name,
        code,
        &["--spec", "spec.json", "--out", "out"],
        &[("spec.json", text.into())],
    )
}

fn v30(rest: &str) -> String {
    format!("openapi: 3.0.3\n{INFO}{rest}")
}

fn v31(rest: &str) -> String {
    format!("openapi: 3.1.0\n{INFO}{rest}")
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        // Reading and parsing.
        spec(
            "invalid_yaml",
            1,
            "openapi: 3.1.0\ninfo:\n  title: [unclosed\n".into(),
        ),
        json(
            "invalid_json",
            1,
            "{\n  \"openapi\": \"3.1.0\",\n  \"info\": ,\n}",
        ),
        spec("empty_file", 1, String::new()),
        spec("top_level_list", 1, "- openapi: 3.1.0\n".into()),
        spec("duplicate_key", 1, v31("paths: {}\npaths: {}\n")),
        case(
            "missing_spec_file",
            1,
            &["--spec", "nowhere.yaml", "--out", "out"],
            &[],
        ),
        // Versions.
        spec(
            "swagger_2",
            1,
            format!("swagger: '2.0'\n{INFO}paths: {{}}\n"),
        ),
        spec("missing_openapi_field", 1, format!("{INFO}paths: {{}}\n")),
        spec(
            "unsupported_version",
            1,
            format!("openapi: 4.0.0\n{INFO}paths: {{}}\n"),
        ),
        // References.
        spec(
            "dangling_ref",
            1,
            v31(
                "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/Missing'\n",
            ),
        ),
        spec(
            "ref_cycle_without_object",
            1,
            v31(
                "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            ),
        ),
        spec(
            "self_ref",
            1,
            v31("paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/A'}\n"),
        ),
        spec(
            "remote_ref",
            1,
            v31(
                "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: 'https://example.com/schemas.yaml#/Pet'\n",
            ),
        ),
        spec(
            "missing_ref_file",
            1,
            v31(
                "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: './schemas/no-such-file.yaml#/A'}\n",
            ),
        ),
        // Operations.
        spec(
            "path_parameter_not_in_template",
            1,
            v30(&format!(
                "paths:\n  /pets/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: owner, in: path, required: true, schema: {{type: string}}}}\n{OK}"
            )),
        ),
        spec(
            "duplicate_operation_ids",
            1,
            v30(&format!(
                "paths:\n  /a:\n    get:\n      operationId: list\n{OK}  /b:\n    post:\n      operationId: list\n{OK}"
            )),
        ),
        spec(
            "schema_the_model_rejects",
            1,
            v31(
                "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: yes\n",
            ),
        ),
        spec(
            "operation_without_responses",
            1,
            v30("paths:\n  /a:\n    get:\n      summary: x\n"),
        ),
        // Located warnings with a fallback: generation succeeds.
        spec(
            "integer_with_string_enum",
            0,
            v30(
                "paths: {}\ncomponents:\n  schemas:\n    Size:\n      type: integer\n      enum: [small, large]\n",
            ),
        ),
        spec(
            "renamed_path_parameter",
            0,
            v30(&format!(
                "paths:\n  /certs/{{certificate_id}}:\n    get:\n      operationId: getCert\n      parameters:\n        - {{name: cert_id, in: path, required: true, schema: {{type: string}}}}\n{OK}"
            )),
        ),
        spec(
            "template_variable_without_parameter",
            0,
            v30(&format!(
                "paths:\n  /pets/{{id}}:\n    get:\n      operationId: getPet\n{OK}"
            )),
        ),
        spec(
            "list_of_itself",
            0,
            v30(
                "paths: {}\ncomponents:\n  schemas:\n    Tree:\n      type: array\n      items: {$ref: '#/components/schemas/Tree'}\n",
            ),
        ),
        // Usage errors.
        case("no_arguments", 2, &[], &[]),
        case(
            "unknown_flag",
            2,
            &["--spec", "spec.yaml", "--frobnicate"],
            &[],
        ),
        case("flag_without_value", 2, &["--spec"], &[]),
        case(
            "missing_out",
            2,
            &["--spec", "spec.yaml"],
            &[("spec.yaml", v31("paths: {}\n"))],
        ),
        case("missing_config_file", 2, &["--config", "nowhere.toml"], &[]),
        case(
            "invalid_config",
            2,
            &["--config", "api.toml"],
            &[(
                "api.toml",
                "spec = \"spec.yaml\"\ncrate-name = \"x\"\ncrate_nmae = 1\n".into(),
            )],
        ),
        case(
            "out_is_a_file",
            2,
            &["--spec", "spec.yaml", "--out", "spec.yaml"],
            &[("spec.yaml", v31("paths: {}\n"))],
        ),
    ];
    cases.push(Case {
        name: "not_utf8",
        files: vec![("spec.yaml", b"openapi: 3.1.0\ninfo: \xff\xfe\n".to_vec())],
        args: &["--spec", "spec.yaml", "--out", "out"],
        code: 1,
    });
    cases
}

#[test]
fn bad_input_exits_with_a_located_message() {
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        let dir = tempfile::tempdir().expect("temp dir");
        for (file, contents) in &case.files {
            std::fs::write(dir.path().join(file), contents).expect("write input");
        }
        let output = Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(case.args)
            .current_dir(dir.path())
            .output()
            .expect("run the generator");
        let code = output.status.code().unwrap_or(-1);
        let stderr = normalize(&String::from_utf8_lossy(&output.stderr), dir.path());
        if code == 101 || stderr.contains("panicked") {
            failures.push(format!("{}: panicked (exit {code}):\n{stderr}", case.name));
            continue;
        }
        if code != case.code {
            failures.push(format!(
                "{}: exit {code}, expected {}:\n{stderr}",
                case.name, case.code
            ));
        }
        insta::assert_snapshot!(case.name, format!("exit {code}\n{stderr}"));
    }
    assert!(cases.len() >= 25, "{}", cases.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The temp dir becomes `[DIR]`, and the file count of a successful run (which depends on
/// the runtime, not on the case) is elided.
fn normalize(stderr: &str, dir: &Path) -> String {
    let mut text = stderr.to_owned();
    for form in [dir.canonicalize().ok(), Some(dir.to_path_buf())]
        .into_iter()
        .flatten()
    {
        text = text.replace(&*form.to_string_lossy(), "[DIR]");
    }
    text.lines()
        .map(|line| {
            match line
                .strip_prefix("wrote ")
                .and_then(|l| l.split_once(" files "))
            {
                Some((_, rest)) => format!("wrote [N] files {rest}"),
                None => line.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
