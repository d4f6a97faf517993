//! Bad inputs: each must fail with a message that names the file and where in it.

use std::path::Path;

const INFO: &str = "info: {title: t, version: '1'}\n";

struct Case {
    name: &'static str,
    file: &'static str,
    text: String,
    /// Every fragment must appear in the error message.
    expect: &'static [&'static str],
}

fn case(
    name: &'static str,
    file: &'static str,
    text: impl Into<String>,
    expect: &'static [&'static str],
) -> Case {
    Case {
        name,
        file,
        text: text.into(),
        expect,
    }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "invalid YAML",
            "bad.yaml",
            "openapi: 3.1.0\ninfo:\n  title: [unclosed\n",
            &["bad.yaml:4:1:", "invalid YAML"],
        ),
        case(
            "invalid JSON",
            "bad.json",
            "{\n  \"openapi\": \"3.1.0\",\n  \"info\": ,\n}",
            &["bad.json:3:11:", "invalid JSON", "expected value"],
        ),
        case(
            "empty",
            "empty.yaml",
            "",
            &["empty.yaml: the document is empty"],
        ),
        case(
            "blank",
            "blank.yaml",
            "  \n\n",
            &["blank.yaml: the document is empty"],
        ),
        case(
            "only comments",
            "comments.yaml",
            "# nothing here\n",
            &["comments.yaml: the document is empty"],
        ),
        case(
            "a list",
            "list.yaml",
            "- openapi: 3.1.0\n",
            &[
                "list.yaml:1: #: the top level must be a mapping",
                "found a list",
            ],
        ),
        case(
            "Swagger 2.0",
            "swagger.yaml",
            format!("swagger: '2.0'\n{INFO}paths: {{}}\n"),
            &["swagger.yaml:1:", "Swagger 2.0", "convert it to OpenAPI 3"],
        ),
        case(
            "missing openapi",
            "nover.yaml",
            format!("{INFO}paths: {{}}\n"),
            &["nover.yaml: missing the `openapi` field at the top level"],
        ),
        case(
            "openapi not a string",
            "notstr.yaml",
            format!("openapi: [3]\n{INFO}paths: {{}}\n"),
            &[
                "notstr.yaml:1:",
                "`openapi` must be a version string",
                "found a list",
            ],
        ),
        case(
            "version 4.0",
            "v4.yaml",
            format!("{INFO}openapi: 4.0.0\npaths: {{}}\n"),
            &[
                "v4.yaml:2:",
                "unsupported OpenAPI version `4.0.0`",
                "3.0.x and 3.1.x",
            ],
        ),
        case(
            "version 2.0",
            "v2.yaml",
            format!("openapi: '2.0'\n{INFO}paths: {{}}\n"),
            &["v2.yaml:1:", "unsupported OpenAPI version `2.0`", "Swagger"],
        ),
        case(
            "version 3.10 is not 3.1",
            "v310.yaml",
            format!("openapi: 3.10.0\n{INFO}paths: {{}}\n"),
            &["v310.yaml:1:", "unsupported OpenAPI version `3.10.0`"],
        ),
        case(
            "dangling ref",
            "dangling.yaml",
            format!(
                "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/Missing'\n"
            ),
            &[
                "dangling.yaml:10:",
                "#/components/schemas/A/properties/b/$ref",
                "`#/components/schemas/Missing` does not exist",
                "`#/components/schemas` has no `Missing`",
            ],
        ),
        case(
            "dangling ref in a response",
            "dangling2.yaml",
            format!(
                "openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      responses:\n        '429': {{$ref: '#/components/responses/TooMany'}}\n"
            ),
            &[
                "dangling2.yaml:7:",
                "#/paths/~1a/get/responses/429/$ref",
                "`#/components/responses/TooMany` does not exist",
            ],
        ),
        case(
            "remote ref",
            "remote.yaml",
            format!(
                "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: 'https://example.com/schemas.yaml#/Pet'\n"
            ),
            &[
                "remote.yaml:7:",
                "#/components/schemas/A/$ref",
                "remote reference `https://example.com/schemas.yaml#/Pet` is not supported",
            ],
        ),
        case(
            "pure ref cycle",
            "cycle.yaml",
            format!(
                "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/C'}}\n    C: {{$ref: '#/components/schemas/A', description: only a note}}\n"
            ),
            &[
                "cycle.yaml:6:",
                "#/components/schemas/A/$ref",
                "`$ref` cycle with no schema in it",
                "`#/components/schemas/B` → `#/components/schemas/C` → `#/components/schemas/A` → `#/components/schemas/B`",
            ],
        ),
        case(
            "self ref",
            "self.yaml",
            format!(
                "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/A'}}\n"
            ),
            &["self.yaml:6:", "cycle with no schema in it"],
        ),
        case(
            "anchor ref",
            "anchor.yaml",
            format!(
                "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#node'}}\n"
            ),
            &["anchor.yaml:6:", "names an anchor"],
        ),
        case(
            "missing file",
            "missing-file.yaml",
            format!(
                "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: './no-such-file.yaml#/A'}}\n"
            ),
            &[
                "missing-file.yaml:6:",
                "#/components/schemas/A/$ref",
                "cannot read `./no-such-file.yaml`",
            ],
        ),
        case(
            "schema the model rejects",
            "model.yaml",
            format!(
                "openapi: 3.1.0\n{INFO}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          type: object\n          required: yes\n"
            ),
            &[
                "model.yaml:10:",
                "#/components/schemas/A/properties/b:",
                "expected a sequence",
            ],
        ),
        case(
            "parameter without `in`",
            "param.yaml",
            format!(
                "openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      parameters:\n        - name: x\n          schema: {{type: string}}\n      responses:\n        '200': {{description: ok}}\n"
            ),
            &["param.yaml:7:", "#/paths/~1a/get/parameters/0", "in"],
        ),
        case(
            "operation without responses",
            "noresp.json",
            "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": {\"/a\": {\"get\":\n  {\"summary\": \"x\"}}}}",
            &[
                "noresp.json:3:",
                "#/paths/~1a/get",
                "missing field `responses`",
            ],
        ),
        case(
            "path parameter not in the template",
            "stray.yaml",
            format!(
                "openapi: 3.0.3\n{INFO}paths:\n  /pets/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: owner, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok}}\n"
            ),
            &[
                "stray.yaml:8:",
                "#/paths/~1pets~1{id}/get/parameters/1",
                "path parameter `owner` is not in the path template `/pets/{id}`",
                "its variables are `{id}`",
            ],
        ),
        case(
            "path-level parameter not in the template",
            "stray-shared.yaml",
            format!(
                "openapi: 3.0.3\n{INFO}paths:\n  /pets:\n    parameters:\n      - $ref: '#/components/parameters/Id'\n    get:\n      responses:\n        '200': {{description: ok}}\ncomponents:\n  parameters:\n    Id: {{name: id, in: path, required: true, schema: {{type: string}}}}\n"
            ),
            &[
                "stray-shared.yaml:6:",
                "#/paths/~1pets/parameters/0",
                "`id` (defined at `#/components/parameters/Id`)",
                "it has no `{…}` variables",
            ],
        ),
        case(
            "duplicate operationId",
            "dupid.yaml",
            format!(
                "openapi: 3.0.3\n{INFO}paths:\n  /a:\n    get:\n      operationId: list\n      responses:\n        '200': {{description: ok}}\n  /b:\n    post:\n      operationId: list\n      responses:\n        '200': {{description: ok}}\n"
            ),
            &[
                "dupid.yaml:11:",
                "#/paths/~1b/post/operationId",
                "operationId `list` is also used at `#/paths/~1a/get/operationId`",
            ],
        ),
        case(
            "duplicate key",
            "dup.yaml",
            format!("openapi: 3.1.0\n{INFO}paths: {{}}\npaths: {{}}\n"),
            &["dup.yaml:4:", "duplicate key `paths`"],
        ),
    ]
}

#[test]
fn bad_inputs_say_what_and_where() {
    let mut failures = Vec::new();
    for case in cases() {
        match openapi::load_str(&case.text, Path::new(case.file)) {
            Ok(_) => failures.push(format!("{}: loaded", case.name)),
            Err(e) => {
                let message = e.to_string();
                for want in case.expect {
                    if !message.contains(want) {
                        failures.push(format!("{}: `{message}` lacks `{want}`", case.name));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn unreadable_file_names_it() {
    let err = openapi::load(Path::new("/nonexistent/spec.yaml"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("/nonexistent/spec.yaml: cannot read"),
        "{err}"
    );
}

#[test]
fn a_renamed_path_parameter_is_repaired_with_a_warning() {
    let text = format!(
        "openapi: 3.0.3\n{INFO}paths:\n  /certs/{{certificate_id}}:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/CertId'\n      responses:\n        '200': {{description: ok}}\ncomponents:\n  parameters:\n    CertId: {{name: cert_id, in: path, required: true, schema: {{type: string}}}}\n"
    );
    let doc = openapi::load_str(&text, Path::new("renamed.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let warning = doc
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        warning.contains("#/paths/~1certs~1{certificate_id}/get/parameters/0: path parameter `cert_id` is not in the path template")
            && warning.contains("taken as `{certificate_id}`"),
        "{warning}"
    );
    let op = doc.api.paths.paths["/certs/{certificate_id}"]
        .as_item()
        .and_then(|item| item.get.as_ref())
        .expect("the operation");
    let openapiv3::ReferenceOr::Item(parameter) = &op.parameters[0] else {
        panic!(
            "the parameter is copied, not referenced: {:?}",
            op.parameters[0]
        );
    };
    assert_eq!(parameter.parameter_data_ref().name, "certificate_id");
    // The shared component keeps its name.
    assert_eq!(
        doc.raw["components"]["parameters"]["CertId"]["name"],
        "cert_id"
    );
}
