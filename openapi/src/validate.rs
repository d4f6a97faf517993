//! Rules of OpenAPI that the `openapiv3` model does not enforce, checked on the normalised
//! tree before the model reads it (so shapes are not yet checked: anything unexpected is
//! left to the model's own errors).
//!
//! - A path parameter that its path template does not name (`/pets/{id}` with a parameter
//!   `petId`) would be a method argument that is never sent. When the operation has exactly
//!   one such parameter of its own and the template exactly one variable without a
//!   parameter, the parameter is renamed to the variable, with a warning: that is an obvious
//!   typo or rename, and real specs have it (OpenAI's 3.0 spec: `cert_id` in
//!   `/organization/certificates/{certificate_id}`). Any other mismatch is an error: no
//!   reading of it is safe. (A variable with no parameter has one right reading, a string,
//!   and is a warning of the generator.)
//! - Two operations with one operationId are an error: configuration overrides
//!   (`method-names`, `binary-responses`) and generated docs name operations by it. Only the
//!   operations under `paths` are checked: those of callbacks and webhooks are not client
//!   methods.

use std::collections::HashMap;

use serde_json::Value;

use crate::pointer::{self, join};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A broken rule or a repair: the pointer (into the normalised tree) of the node and what
/// is wrong.
pub(crate) type Finding = (String, String);

/// Checks the rules and repairs what has one safe reading; returns the warnings for the
/// repairs, or the first broken rule. `show` turns another tree pointer into the form the
/// user wrote, for messages that name a second place.
pub(crate) fn check(
    raw: &mut Value,
    show: &dyn Fn(&str) -> String,
) -> Result<Vec<Finding>, Finding> {
    let renames = plan(raw, show)?;
    let mut warnings = Vec::new();
    for rename in renames {
        let resolved = pointer::get(raw, &rename.defined_at).cloned();
        let slot = raw
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(&rename.path))
            .and_then(|item| item.get_mut(rename.method))
            .and_then(|op| op.get_mut("parameters"))
            .and_then(|list| list.get_mut(rename.index));
        let (Some(slot), Some(mut parameter)) = (slot, resolved) else {
            continue;
        };
        // A `$ref`'d parameter is copied: others may use it under its own name.
        if let Value::Object(map) = &mut parameter {
            map.insert("name".into(), Value::String(rename.to.clone()));
        }
        *slot = parameter;
        warnings.push((rename.at, rename.message));
    }
    Ok(warnings)
}

/// A parameter of an operation's own list that takes the name of the template variable.
struct Rename {
    path: String,
    method: &'static str,
    index: usize,
    /// The list entry, and where the parameter is defined (the entry or a `$ref` target).
    at: String,
    defined_at: String,
    to: String,
    message: String,
}

fn plan(raw: &Value, show: &dyn Fn(&str) -> String) -> Result<Vec<Rename>, Finding> {
    let Some(Value::Object(paths)) = raw.get("paths") else {
        return Ok(Vec::new());
    };
    let mut renames = Vec::new();
    let mut operation_ids: HashMap<&str, String> = HashMap::new();
    for (path, item) in paths {
        let path_at = join("#/paths", path);
        let (item_at, item) = resolve(raw, path_at.clone(), item);
        let Value::Object(item) = item else {
            continue;
        };
        let variables = template_variables(path);
        let shared = path_parameters(raw, &item_at, item.get("parameters"));
        if let Some(stray) = shared.iter().find(|p| !variables.contains(&p.name)) {
            return Err(stray.not_in(path, &variables, show));
        }
        for method in METHODS {
            let Some(Value::Object(op)) = item.get(method) else {
                continue;
            };
            let op_at = join(&item_at, method);
            if let Some(Value::String(id)) = op.get("operationId") {
                let at = join(&op_at, "operationId");
                if let Some(first) = operation_ids.get(id.as_str()) {
                    let message = format!(
                        "operationId `{id}` is also used at `{}`; operationIds must be unique \
                         (methods and configuration overrides are named by them)",
                        show(first)
                    );
                    return Err((at, message));
                }
                operation_ids.insert(id, at);
            }
            let own = path_parameters(raw, &op_at, op.get("parameters"));
            let strays: Vec<&PathParameter> = own
                .iter()
                .filter(|p| !variables.contains(&p.name))
                .collect();
            let Some(stray) = strays.first() else {
                continue;
            };
            let unfilled: Vec<&str> = variables
                .iter()
                .copied()
                .filter(|v| !own.iter().chain(&shared).any(|p| p.name == *v))
                .collect();
            match (strays.len(), unfilled.as_slice(), item_at == path_at) {
                (1, [variable], true) => renames.push(Rename {
                    path: path.clone(),
                    method,
                    index: stray.index,
                    message: format!(
                        "path parameter `{}` is not in the path template `{path}`; taken as \
                         `{{{variable}}}`, the template's one variable without a parameter",
                        stray.name
                    ),
                    at: stray.at.clone(),
                    defined_at: stray.defined_at.clone(),
                    to: variable.to_string(),
                }),
                _ => return Err(stray.not_in(path, &variables, show)),
            }
        }
    }
    Ok(renames)
}

/// An `in: path` parameter of a list.
struct PathParameter<'a> {
    name: &'a str,
    index: usize,
    /// The list entry, and where the parameter is defined (the entry or a `$ref` target).
    at: String,
    defined_at: String,
}

impl PathParameter<'_> {
    fn not_in(&self, path: &str, variables: &[&str], show: &dyn Fn(&str) -> String) -> Finding {
        let defined = if self.defined_at == self.at {
            String::new()
        } else {
            format!(" (defined at `{}`)", show(&self.defined_at))
        };
        let has = if variables.is_empty() {
            "it has no `{…}` variables".to_owned()
        } else {
            format!("its variables are `{{{}}}`", variables.join("}`, `{"))
        };
        let message = format!(
            "path parameter `{}`{defined} is not in the path template `{path}` ({has}): \
             the generated method could never send it; rename one so they match",
            self.name
        );
        (self.at.clone(), message)
    }
}

/// The `in: path` parameters of the list at `owner/parameters`.
fn path_parameters<'a>(
    raw: &'a Value,
    owner: &str,
    parameters: Option<&'a Value>,
) -> Vec<PathParameter<'a>> {
    let Some(Value::Array(parameters)) = parameters else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (index, parameter) in parameters.iter().enumerate() {
        let at = format!("{owner}/parameters/{index}");
        let (defined_at, parameter) = resolve(raw, at.clone(), parameter);
        if parameter.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        if let Some(name) = parameter.get("name").and_then(Value::as_str) {
            found.push(PathParameter {
                name,
                index,
                at,
                defined_at,
            });
        }
    }
    found
}

/// The names between braces in a path template: `/a/{x}/b.{y}` → `x`, `y`.
fn template_variables(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    // A fixed query (`/responses?beta=true`) is not part of the template.
    let mut rest = path.split('?').next().unwrap_or(path);
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// Follows a node's `$ref`s (they all resolve, and pure cycles are already rejected; the
/// bound only keeps this total): its pointer and the node it ends at.
fn resolve<'a>(raw: &'a Value, mut at: String, mut node: &'a Value) -> (String, &'a Value) {
    for _ in 0..64 {
        let Some(target) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(next) = pointer::get(raw, target) else {
            break;
        };
        at = target.to_owned();
        node = next;
    }
    (at, node)
}

#[cfg(test)]
mod tests {
    use super::template_variables;

    #[test]
    fn variables_of_templates() {
        assert_eq!(template_variables("/a/{x}/b.{y}"), ["x", "y"]);
        assert_eq!(template_variables("/{a}-{b}?q={c}"), ["a", "b"]);
        assert!(template_variables("/a/{unclosed").is_empty());
        assert!(template_variables("/").is_empty());
    }
}
