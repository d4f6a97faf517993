//! Turning parameters into a URL: path segments, and query and header parameters in
//! the OpenAPI styles (`form` with explode on or off, `spaceDelimited`,
//! `pipeDelimited`, `deepObject`, and `simple` for headers).
//!
//! Values are taken as `&impl Serialize` and read through `serde_json::Value`, so a
//! generated enum, number, bool, `Option` (`None` sends nothing), `Vec` or map all work.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use serde::Serialize;
use serde_json::Value;

use crate::runtime::error::{Error, Result};

/// Percent-encodes one path segment: every byte but the RFC 3986 unreserved ones
/// (`A–Z a–z 0–9 - . _ ~`) is escaped, so `/`, `?`, `#` and `%` cannot change the
/// path or end it. A segment that is exactly `.` or `..` is sent with its dots
/// escaped (`%2E`, `%2E%2E`); since URL parsers still treat those as dot segments,
/// [`Client`](crate::runtime::client::Client) refuses to send a path containing one
/// instead of letting it climb a level (see [`path_is_safe`]).
pub fn encode_path_segment(segment: &str) -> String {
    if segment == "." || segment == ".." {
        return "%2E".repeat(segment.len());
    }
    percent_encode(segment, |byte| {
        byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
    })
}

/// `text` with every byte that `keep` refuses written as `%XX`.
fn percent_encode(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if keep(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0xF));
        }
    }
    out
}

fn hex_digit(nibble: u8) -> char {
    char::from(
        b"0123456789ABCDEF"
            .get(usize::from(nibble & 0xF))
            .copied()
            .unwrap_or(b'0'),
    )
}

/// Whether a built path (without its query) has no `.` or `..` segment, escaped or
/// not: such a segment would be removed by URL normalisation and change which
/// resource is addressed.
pub fn path_is_safe(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/').all(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded != "." && decoded != ".."
    })
}

/// How a query parameter is serialized (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum QueryStyle {
    /// `form`, explode true (the default): `id=1&id=2`; an object sends `key=value` per property.
    #[default]
    Form,
    /// `form`, explode false: `id=1,2`; an object sends `name=key,value,key,value`.
    FormNoExplode,
    /// `spaceDelimited`: `id=1 2`.
    SpaceDelimited,
    /// `pipeDelimited`: `id=1|2`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`, nesting as `name[a][b]=value`, arrays as `name[key][]=value`.
    DeepObject,
}

/// Serializes a parameter value; `None` and unit become `Value::Null` (send nothing).
pub fn to_value(value: &impl Serialize) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::encode(e.to_string()))
}

/// The text of a scalar: strings as they are, numbers and bools as JSON writes them,
/// nested arrays and objects as JSON.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Appends the pairs for one query parameter; `null` appends nothing.
pub fn append_query(
    pairs: &mut Vec<(String, String)>,
    name: &str,
    value: &Value,
    style: QueryStyle,
) {
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Object(_), QueryStyle::DeepObject) => deep_object(pairs, name, value),
        (Value::Object(map), QueryStyle::Form) => {
            for (key, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                pairs.push((key.clone(), scalar_text(v)));
            }
        }
        (Value::Object(map), _) => {
            let joined: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
                .collect();
            pairs.push((name.to_owned(), joined.join(",")));
        }
        (Value::Array(items), QueryStyle::Form | QueryStyle::DeepObject) => {
            for item in items.iter().filter(|v| !v.is_null()) {
                pairs.push((name.to_owned(), scalar_text(item)));
            }
        }
        (Value::Array(items), _) => {
            let separator = match style {
                QueryStyle::SpaceDelimited => " ",
                QueryStyle::PipeDelimited => "|",
                _ => ",",
            };
            let joined: Vec<String> = items
                .iter()
                .filter(|v| !v.is_null())
                .map(scalar_text)
                .collect();
            pairs.push((name.to_owned(), joined.join(separator)));
        }
        (scalar, _) => pairs.push((name.to_owned(), scalar_text(scalar))),
    }
}

/// Encodes an `application/x-www-form-urlencoded` body: each property of the object is a
/// field in `form` style with explode (the OpenAPI default), so a list repeats its key.
pub fn form_body(value: &Value) -> Result<String> {
    let Value::Object(map) = value else {
        return Err(Error::encode("a form body must be an object"));
    };
    let mut pairs = Vec::new();
    for (key, v) in map {
        append_query(&mut pairs, key, v, QueryStyle::Form);
    }
    let fields: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", form_component(k), form_component(v)))
        .collect();
    Ok(fields.join("&"))
}

/// One name or value of a form body: unreserved bytes as they are, space as `+`, the rest
/// percent-encoded.
fn form_component(text: &str) -> String {
    text.split(' ')
        .map(encode_path_segment)
        .collect::<Vec<_>>()
        .join("+")
}

/// The `name=value` text of a cookie parameter (`form` style: a list is joined by `,`);
/// `None` for `null`.
pub fn cookie_text(name: &str, value: &Value) -> Option<String> {
    header_text(value).map(|text| format!("{name}={}", encode_cookie_value(&text)))
}

/// Cookie values may not hold spaces, quotes, `,` `;` or a backslash; those bytes (and non-ASCII)
/// are percent-encoded, as servers commonly decode them.
fn encode_cookie_value(text: &str) -> String {
    percent_encode(text, |byte| {
        byte.is_ascii_graphic() && !matches!(byte, b'"' | b',' | b';' | b'\\' | b'%')
    })
}

fn deep_object(pairs: &mut Vec<(String, String)>, prefix: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, v) in map {
                deep_object(pairs, &format!("{prefix}[{key}]"), v);
            }
        }
        Value::Array(items) => {
            for item in items {
                deep_object(pairs, &format!("{prefix}[]"), item);
            }
        }
        scalar => pairs.push((prefix.to_owned(), scalar_text(scalar))),
    }
}

/// The `simple`-style text of a header parameter: arrays joined by `,`, objects as
/// `key,value,…`; `None` for `null`.
pub fn header_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(scalar_text)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(map) => Some(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
                .collect::<Vec<_>>()
                .join(","),
        ),
        scalar => Some(scalar_text(scalar)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )]
    use super::*;
    use serde_json::json;

    fn query(value: Value, style: QueryStyle) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        append_query(&mut pairs, "p", &value, style);
        pairs
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(encode_path_segment("file-abc_1.2~x"), "file-abc_1.2~x");
        assert_eq!(encode_path_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("."), "%2E");
        assert_eq!(encode_path_segment("../x"), "..%2Fx");
        assert_eq!(encode_path_segment("..."), "...");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment(""), "");
        assert!(path_is_safe("/files/..%2Fx/content"));
        assert!(path_is_safe("/files/.../content?x=.."));
        assert!(!path_is_safe("/files/%2E%2E/content"));
        assert!(!path_is_safe("/files/%2e/content"));
        assert!(!path_is_safe("/files/../content"));
        assert!(!path_is_safe("/files/.%2E"));
    }

    #[test]
    fn form_styles() {
        assert_eq!(query(json!(null), QueryStyle::Form), p(&[]));
        assert_eq!(query(json!("a b"), QueryStyle::Form), p(&[("p", "a b")]));
        assert_eq!(query(json!(20), QueryStyle::Form), p(&[("p", "20")]));
        assert_eq!(query(json!(true), QueryStyle::Form), p(&[("p", "true")]));
        assert_eq!(query(json!(1.5), QueryStyle::Form), p(&[("p", "1.5")]));
        assert_eq!(
            query(json!(["a", "b"]), QueryStyle::Form),
            p(&[("p", "a"), ("p", "b")])
        );
        assert_eq!(
            query(json!(["a", "b"]), QueryStyle::FormNoExplode),
            p(&[("p", "a,b")])
        );
        assert_eq!(
            query(json!(["a", "b"]), QueryStyle::SpaceDelimited),
            p(&[("p", "a b")])
        );
        assert_eq!(
            query(json!(["a", "b"]), QueryStyle::PipeDelimited),
            p(&[("p", "a|b")])
        );
        assert_eq!(
            query(json!({"x": 1, "y": "z"}), QueryStyle::Form),
            p(&[("x", "1"), ("y", "z")])
        );
        assert_eq!(
            query(json!({"x": 1, "y": "z"}), QueryStyle::FormNoExplode),
            p(&[("p", "x,1,y,z")])
        );
    }

    #[test]
    fn deep_object_style() {
        assert_eq!(
            query(json!({"a": "1", "b": "2"}), QueryStyle::DeepObject),
            p(&[("p[a]", "1"), ("p[b]", "2")])
        );
        assert_eq!(
            query(
                json!({"a": {"b": 1}, "c": [1, 2], "d": null}),
                QueryStyle::DeepObject
            ),
            p(&[("p[a][b]", "1"), ("p[c][]", "1"), ("p[c][]", "2")])
        );
        assert_eq!(query(json!({}), QueryStyle::DeepObject), p(&[]));
    }

    #[test]
    fn serialize_through_value() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Order {
            Asc,
        }
        assert_eq!(to_value(&Order::Asc).unwrap(), json!("asc"));
        assert_eq!(to_value(&None::<u32>).unwrap(), Value::Null);
        assert_eq!(
            header_text(&json!(["beta-1", "beta-2"])).as_deref(),
            Some("beta-1,beta-2")
        );
        assert_eq!(header_text(&json!(null)), None);
        assert_eq!(header_text(&json!(3)).as_deref(), Some("3"));
    }
}
