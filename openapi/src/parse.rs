//! Text → JSON tree, and finding the line of a JSON pointer in that text.

use std::cell::Cell;
use std::path::Path;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::LoadError;

/// The syntax a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Yaml,
}

impl Format {
    /// By extension (`.json`, `.yaml`, `.yml`), else by the first character: JSON documents
    /// start with `{`.
    pub(crate) fn of(text: &str, file: &Path) -> Format {
        match file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            _ if text.trim_start().starts_with('{') => Format::Json,
            _ => Format::Yaml,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        }
    }
}

/// Parses YAML or JSON text into a JSON tree; also returns how deep it nests (a scalar is 0
/// deep, `{a: 1}` 1).
pub(crate) fn parse(text: &str, file: &Path) -> Result<(Value, usize), LoadError> {
    let deepest = Cell::new(0);
    let tree = Tree {
        level: 1,
        deepest: &deepest,
    };
    let format = Format::of(text, file);
    let syntax = |line: usize, column: usize, message: String| LoadError::Syntax {
        file: file.to_path_buf(),
        format: format.name(),
        line,
        column,
        // The parsers repeat the position in the message; the error already leads with it.
        message: message.replacen(&format!(" at line {line} column {column}"), "", 1),
    };
    match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = tree
                .deserialize(&mut de)
                .and_then(|value| de.end().map(|()| value));
            value
                .map(|v| (v, deepest.get()))
                .map_err(|e| syntax(e.line(), e.column(), e.to_string()))
        }
        Format::Yaml => {
            if let Some(at) = too_deep(text) {
                let line = text[..at].matches('\n').count() + 1;
                let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
                let message = format!("brackets nested more than {MAX_FLOW_DEPTH} deep");
                return Err(syntax(line, column, message));
            }
            let de = serde_yaml::Deserializer::from_str(text);
            let value = tree.deserialize(de).map_err(|e| {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                syntax(line, column, e.to_string())
            })?;
            Ok((value, deepest.get()))
        }
    }
}

/// Far beyond the 128 levels serde_yaml accepts, but low enough to stop early.
const MAX_FLOW_DEPTH: usize = 1000;

/// libyaml takes time quadratic in the nesting of flow collections (`[[[[…`): a few
/// hundred kilobytes of brackets would take minutes before the depth limit is noticed. This
/// scan (brackets inside strings count too, which only makes it stricter) finds the byte
/// where the nesting passes [`MAX_FLOW_DEPTH`].
fn too_deep(text: &str) -> Option<usize> {
    const CHUNK: usize = 4096;
    let limit = MAX_FLOW_DEPTH as i64;
    let opens = |b: u8| i64::from((b == b'[') | (b == b'{'));
    let closes = |b: u8| i64::from((b == b']') | (b == b'}'));
    let mut depth: i64 = 0;
    for (n, chunk) in text.as_bytes().chunks(CHUNK).enumerate() {
        // Counting is fast; walking byte by byte is needed only where the limit can be
        // passed, which never happens in a real document.
        let open = chunk.iter().map(|&b| opens(b) as u32).sum::<u32>() as i64;
        let close = chunk.iter().map(|&b| closes(b) as u32).sum::<u32>() as i64;
        if depth + open > limit {
            let mut d = depth;
            for (i, &b) in chunk.iter().enumerate() {
                d += opens(b) - closes(b);
                if d > limit {
                    return Some(n * CHUNK + i);
                }
            }
        }
        depth = (depth + open - close).max(0);
    }
    None
}

/// Reads any YAML or JSON value into a JSON tree. YAML allows what JSON does not, and each
/// gets a deliberate answer: non-string keys (response codes such as `200:`) become strings,
/// integers beyond 64 bits (`minimum: -9223372036854776000`) become the nearest float, tags
/// are dropped. A key written twice in one mapping is an error, as YAML says it is (JSON
/// parsers differ; silently keeping one of the two would hide a mistake).
///
/// It also notes the deepest nesting it reads, at no cost.
#[derive(Clone, Copy)]
struct Tree<'d> {
    /// The nesting level of a mapping or list read here (the top-level one is 1).
    level: usize,
    deepest: &'d Cell<usize>,
}

impl Tree<'_> {
    fn child(self) -> Self {
        Tree {
            level: self.level + 1,
            deepest: self.deepest,
        }
    }

    fn container(self) {
        if self.level > self.deepest.get() {
            self.deepest.set(self.level);
        }
    }
}

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::from)
            .unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v)
            .map(Value::from)
            .unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.container();
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(self.child())? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.container();
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(self.child())? {
            match out.entry(key_string(key)) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(map.next_value_seed(self.child())?);
                }
                // Failing inside the second value makes the parser mark its line.
                serde_json::map::Entry::Occupied(seen) => {
                    map.next_value_seed(Duplicate(seen.key()))?
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML tag (`!foo value`): keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_tag, variant): (IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// Refuses the value of a key seen before in the same mapping.
struct Duplicate<'k>(&'k str);

impl Duplicate<'_> {
    fn error<E: serde::de::Error>(&self) -> E {
        E::custom(format_args!("duplicate key `{}`", self.0))
    }
}

impl<'de> DeserializeSeed<'de> for Duplicate<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

macro_rules! refuse {
    ($($name:ident($ty:ty)),*) => {
        $(fn $name<E: serde::de::Error>(self, _: $ty) -> Result<(), E> {
            Err(self.error())
        })*
    };
}

impl<'de> Visitor<'de> for Duplicate<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no second `{}` key", self.0)
    }
    refuse!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_i128(i128),
        visit_u128(u128),
        visit_f64(f64),
        visit_str(&str)
    );
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(self.error())
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Err(self.error())
    }
    fn visit_some<D: Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(self.error())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.error())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.error())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.error())
    }
}

/// A mapping key as the string JSON needs (`200` → `"200"`, `~` → `"null"`).
fn key_string(key: Value) -> String {
    match key {
        Value::String(s) => s,
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

/// Non-finite floats (`.inf`, `.nan`) have no JSON form; they become `null`.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The 1-based line and column where the node at `pointer` starts in `text`, if it exists.
///
/// This reads the text again, skipping every subtree off the pointer's path, and stops with
/// an error at the target node; the parser puts its position on that error. It is only used
/// to place an error message, so the second read costs nothing on the success path.
pub(crate) fn locate(text: &str, file: &Path, pointer: &str) -> Option<(usize, usize)> {
    let tokens = crate::pointer::tokens(pointer)?;
    let seek = Seek { path: &tokens };
    match Format::of(text, file) {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let err = seek.deserialize(&mut de).err()?;
            err.to_string()
                .contains(FOUND)
                .then(|| (err.line(), err.column()))
        }
        Format::Yaml => {
            let err = seek
                .deserialize(serde_yaml::Deserializer::from_str(text))
                .err()?;
            let loc = err.location()?;
            err.to_string()
                .contains(FOUND)
                .then(|| (loc.line(), loc.column()))
        }
    }
}

const FOUND: &str = "\u{0}found the node";

/// Walks down `path`; at its end, refuses whatever node is there so the parser reports where.
struct Seek<'a> {
    path: &'a [String],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The target node of any kind fails as "invalid type: …, expected <this>".
        f.write_str(FOUND)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((want, rest)) = self.path.split_first() else {
            return Err(serde::de::Error::custom(FOUND));
        };
        let deepest = Cell::new(0);
        while let Some(key) = map.next_key_seed(Tree {
            level: 1,
            deepest: &deepest,
        })? {
            if &key_string(key) == want {
                return map.next_value_seed(Seek { path: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((want, rest)) = self.path.split_first() else {
            return Err(serde::de::Error::custom(FOUND));
        };
        let Ok(want) = want.parse::<usize>() else {
            return Ok(());
        };
        for _ in 0..want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek { path: rest }).map(|_| ())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant): (IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_yaml_and_json() {
        let yaml = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let file = Path::new("x.yaml");
        assert_eq!(
            locate(yaml, file, "#/paths/~1a/get/responses/200/description").map(|l| l.0),
            Some(7)
        );
        assert_eq!(locate(yaml, file, "#/openapi").map(|l| l.0), Some(1));
        assert_eq!(locate(yaml, file, "#/paths/~1b"), None);
        let json = "{\n  \"a\": [\n    1,\n    {\"b\": true}\n  ]\n}";
        let file = Path::new("x.json");
        assert_eq!(locate(json, file, "#/a/1/b").map(|l| l.0), Some(4));
        assert_eq!(locate(json, file, "#/a/0").map(|l| l.0), Some(3));
    }

    #[test]
    fn too_deep_finds_the_byte() {
        let text = format!("{}{}", "a[]".repeat(5000), "[".repeat(MAX_FLOW_DEPTH + 5));
        assert_eq!(too_deep(&text), Some(15000 + MAX_FLOW_DEPTH));
        assert_eq!(too_deep(&"[]".repeat(100_000)), None);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert_eq!(
            parse("a: [{b: 1}]\n", Path::new("d.yaml"))
                .map(|p| p.1)
                .ok(),
            Some(3)
        );
        let err = parse("a: 1\nb: 2\na: 3\n", Path::new("d.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("d.yaml:3:") && err.contains("duplicate key `a`"),
            "{err}"
        );
        let err = parse("{\"a\": 1,\n \"a\": 2}", Path::new("d.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("d.json:2:") && err.contains("duplicate key `a`"),
            "{err}"
        );
    }
}
