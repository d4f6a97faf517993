//! The lossless check: the model is written back out and compared with the tree it was read
//! from, so whatever `openapiv3` did not keep becomes a located warning instead of vanishing.
//!
//! Noise is not reported: key order, `1` read back as `1.0`, and keys whose value means the
//! same as their absence (`null`, `false`, `[]`, `{}`).

use serde_json::Value;

use crate::pointer::escape;

/// Keys that are kept in [`crate::Document::raw`] on purpose or carry nothing a client needs.
const IGNORED: [&str; 3] = [
    // Schemas under `$defs` stay where they are; `$ref`s to them resolve through `raw`.
    "$defs", // Comments and dialect declarations.
    "$comment", "$schema",
];

/// One thing the model dropped or changed: a pointer into the loaded tree, and what.
#[derive(Debug)]
pub(crate) struct Loss {
    pub pointer: String,
    pub message: String,
}

/// Compares `tree` (at pointer `at`) with `model`, the model read from it and written back.
pub(crate) fn check(tree: &Value, model: &Value, at: &str, out: &mut Vec<Loss>) {
    let mut ptr = at.to_owned();
    compare(tree, model, &mut ptr, out);
}

fn compare(tree: &Value, model: &Value, ptr: &mut String, out: &mut Vec<Loss>) {
    match (tree, model) {
        (Value::Object(t), Value::Object(m)) => {
            for (key, tv) in t {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&escape(key));
                match m.get(key) {
                    // Kept as raw JSON by the model: nothing in them can be lost.
                    Some(_) if key.starts_with("x-") || key == "example" || key == "default" => {}
                    Some(mv) => compare(tv, mv, ptr, out),
                    None if means_absent(tv) || IGNORED.contains(&key.as_str()) => {}
                    None => out.push(Loss {
                        pointer: ptr.clone(),
                        message: format!(
                            "`{key}` has no place in the OpenAPI 3.0 model here; ignored"
                        ),
                    }),
                }
                ptr.truncate(len);
            }
        }
        (Value::Array(t), Value::Array(m)) => {
            for (i, (tv, mv)) in t.iter().zip(m).enumerate() {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                compare(tv, mv, ptr, out);
                ptr.truncate(len);
            }
            if t.len() != m.len() {
                let message = format!("a list of {} was read as a list of {}", t.len(), m.len());
                out.push(Loss {
                    pointer: ptr.clone(),
                    message,
                });
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b || (means_absent(a) && means_absent(b)) => {}
        (a, b) => {
            let message = format!("`{}` was read as `{}`", short(a), short(b));
            out.push(Loss {
                pointer: ptr.clone(),
                message,
            });
        }
    }
}

/// Values a model field leaves out when it is at its default.
fn means_absent(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reports_missing_keys_not_noise() {
        let tree =
            json!({"a": 1, "b": {"c": [1, 2], "d": false, "e": "x", "$comment": "hi"}, "f": null});
        let model = json!({"a": 1.0, "b": {"c": [1, 2]}});
        let mut out = Vec::new();
        check(&tree, &model, "#", &mut out);
        let got: Vec<&str> = out.iter().map(|l| l.pointer.as_str()).collect();
        assert_eq!(got, ["#/b/e"]);
    }
}
