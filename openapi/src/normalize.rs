//! Brings a 3.0 or 3.1 tree into the shapes the `openapiv3` (3.0) model reads.
//!
//! Schemas are found by the document's structure ([`crate::walk`]), never by their keys, and
//! rewritten bottom-up: a schema's subschemas are normalised (at their source pointers)
//! before the schema itself. The rewrites, in the order they apply to one schema:
//!
//! - `$recursiveRef: '#'` / `$dynamicRef: '#name'` → `$ref` to the enclosing schema that
//!   declares the anchor;
//! - `const: v` → `enum: [v]`, with `type` inferred from `v` when there is none;
//! - `examples: [a, …]` → `example: a`;
//! - `type: 'null'` → `nullable: true, enum: [null]` (a schema only `null` satisfies);
//!   `type: [T, 'null']` → `type: T, nullable: true`;
//! - `null` in `enum` → `nullable: true`, and `null` leaves the list (unless it is alone);
//! - `default: null` → `nullable: true` (the author means `null` as a value, "set to `null`
//!   to turn off"; a type without it could neither send nor read it);
//! - `anyOf`/`oneOf` with a null member → `nullable: true` on this schema, and if one member
//!   remains it moves to `allOf: [X]` (even when `X` is inline), otherwise the rest stay;
//! - `type: [A, B]` → `anyOf: [{type: A, …}, {type: B, …}]`, each branch taking the keywords
//!   and `enum` values that apply to its type;
//! - numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (the boolean form,
//!   which 3.0 documents and some 3.1 ones write, is kept);
//! - integer bounds made integers; bounds beyond `i64` dropped with a warning;
//! - `contentEncoding: base64` → `format: byte`; a non-text `contentMediaType` →
//!   `format: binary`; both kept as `x-contentEncoding` / `x-contentMediaType`;
//! - `prefixItems` (tuples) → `items: {anyOf: [...]}` with a warning; `items: false` →
//!   `maxItems`; boolean schemas → `{}` / `{not: {}}` (`additionalProperties` keeps them);
//! - `patternProperties` → `additionalProperties` with a warning;
//! - `$ref` with sibling keywords → `allOf: [{$ref}]` plus the siblings.
//!
//! **Invariant:** a rewrite that puts an existing node under a new pointer records the move
//! in [`Origins`], so every later diagnostic names the place the user wrote.

use std::convert::Infallible;

use serde_json::{Map, Value, json};

use crate::pointer::{Origins, join};
use crate::walk::{self, Kind, Role};
use crate::{SpecVersion, Warning};

/// Normalises the whole document in place. Warnings use pointers as parsed (before any move).
/// Returns how many levels of nesting normalisation added at most.
pub(crate) fn normalize(
    root: &mut Value,
    version: SpecVersion,
    warnings: &mut Vec<Warning>,
    origins: &mut Origins,
) -> usize {
    let mut n = Normalizer { warnings, origins };
    if let Value::Object(doc) = root {
        // 3.1 made `paths` optional (a document may hold only webhooks or components).
        if version == SpecVersion::V3_1 && !doc.contains_key("paths") {
            doc.insert("paths".into(), Value::Object(Map::new()));
        }
        n.security_schemes(doc);
    }
    let mut deeper = 0;
    let _ = walk::document::<Infallible>(root, &mut |node, ptr, kind| {
        if kind == Kind::Schema {
            deeper = deeper.max(n.schema(node, ptr, None, Role::Plain));
        }
        if kind == Kind::PathItem && version == SpecVersion::V3_1 {
            empty_responses(node);
        }
        Ok(())
    });
    deeper
}

struct Normalizer<'a> {
    warnings: &'a mut Vec<Warning>,
    origins: &'a mut Origins,
}

/// The schemas enclosing the one being normalised that declare a dynamic anchor.
struct Scope<'s> {
    parent: Option<&'s Scope<'s>>,
    ptr: &'s str,
    recursive_anchor: bool,
    dynamic_anchor: Option<String>,
}

impl Scope<'_> {
    fn recursive(&self) -> Option<&str> {
        if self.recursive_anchor {
            Some(self.ptr)
        } else {
            self.parent.and_then(Scope::recursive)
        }
    }
    fn dynamic(&self, name: &str) -> Option<&str> {
        if self.dynamic_anchor.as_deref() == Some(name) {
            Some(self.ptr)
        } else {
            self.parent.and_then(|p| p.dynamic(name))
        }
    }
}

/// A member of `allOf`/`anyOf`/`oneOf` while its schema is rewritten, with where it came from.
struct Member {
    value: Value,
    from: From,
}

enum From {
    /// Written by the user at this pointer, relative to the schema (`anyOf/2`).
    At(String),
    /// `{$ref}` split off this schema's own `$ref`.
    OwnRef,
    /// Made by normalisation from this schema's keywords.
    Made,
}

const LIST_KEYS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// The three combinator lists of one schema, taken out of it while it is rewritten.
#[derive(Default)]
struct Lists {
    lists: [Option<(Option<usize>, Vec<Member>)>; 3],
}

impl Lists {
    fn take(map: &mut Map<String, Value>) -> Lists {
        let mut out = Lists::default();
        for (slot, key) in out.lists.iter_mut().zip(LIST_KEYS) {
            if !matches!(map.get(key), Some(Value::Array(_))) {
                continue;
            }
            let index = map.keys().position(|k| k == key);
            if let Some(Value::Array(items)) = map.shift_remove(key) {
                let members = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, value)| Member {
                        value,
                        from: From::At(format!("{key}/{i}")),
                    })
                    .collect();
                *slot = Some((index, members));
            }
        }
        out
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Vec<Member>> {
        let i = LIST_KEYS.iter().position(|k| *k == key)?;
        self.lists[i].as_mut().map(|(_, m)| m)
    }

    fn entry(&mut self, key: &str) -> &mut Vec<Member> {
        let i = LIST_KEYS.iter().position(|k| *k == key).unwrap_or(0);
        &mut self.lists[i].get_or_insert_with(|| (None, Vec::new())).1
    }

    fn is_empty(&self) -> bool {
        self.lists
            .iter()
            .all(|l| l.as_ref().is_none_or(|(_, m)| m.is_empty()))
    }

    fn put_back(self, map: &mut Map<String, Value>, ptr: &str, origins: &mut Origins) {
        for (slot, key) in self.lists.into_iter().zip(LIST_KEYS) {
            let Some((index, members)) = slot else {
                continue;
            };
            if members.is_empty() {
                continue;
            }
            let mut values = Vec::with_capacity(members.len());
            for (i, member) in members.into_iter().enumerate() {
                let new = format!("{ptr}/{key}/{i}");
                match member.from {
                    From::At(rel) => origins.moved(new, format!("{ptr}/{rel}"), true),
                    From::OwnRef => {
                        origins.moved(format!("{new}/$ref"), format!("{ptr}/$ref"), true)
                    }
                    From::Made => origins.moved(new, ptr.to_owned(), false),
                }
                values.push(member.value);
            }
            match index {
                Some(i) if i <= map.len() => {
                    map.shift_insert(i, key.to_owned(), Value::Array(values));
                }
                _ => {
                    map.insert(key.to_owned(), Value::Array(values));
                }
            }
        }
    }
}

impl Normalizer<'_> {
    fn warn(&mut self, pointer: String, message: String) {
        self.warnings.push(Warning { pointer, message });
    }

    /// 3.1's `mutualTLS` has no place in the 3.0 model; the scheme is dropped, with a warning.
    fn security_schemes(&mut self, doc: &mut Map<String, Value>) {
        let Some(Value::Object(components)) = doc.get_mut("components") else {
            return;
        };
        let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else {
            return;
        };
        let mutual: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| name.clone())
            .collect();
        for name in mutual {
            schemes.shift_remove(&name);
            self.warn(
                join("#/components/securitySchemes", &name),
                "a `mutualTLS` security scheme has no place in the OpenAPI 3.0 model; ignored"
                    .into(),
            );
        }
    }

    /// Normalises the schema tree at `node`; returns how many levels of nesting the rewrites
    /// added along its deepest path (an upper bound).
    fn schema(
        &mut self,
        node: &mut Value,
        ptr: &str,
        scope: Option<&Scope<'_>>,
        role: Role,
    ) -> usize {
        let map = match node {
            Value::Object(map) => map,
            Value::Bool(b) => {
                // `true` accepts anything, `false` nothing. The parent keeps `items: false`
                // (it bounds the length) and `additionalProperties: <bool>` (3.0 has it).
                if role == Role::Plain {
                    *node = if *b { json!({}) } else { json!({"not": {}}) };
                }
                return 0;
            }
            // Not a schema at all: deserialisation reports it with its location.
            _ => return 0,
        };
        let has = Has::of(map);
        let dynamic = has.any(Has::DYNAMIC);
        let here = Scope {
            parent: scope,
            ptr,
            recursive_anchor: dynamic && map.get("$recursiveAnchor") == Some(&Value::Bool(true)),
            dynamic_anchor: if dynamic {
                map.get("$dynamicAnchor")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            } else {
                None
            },
        };
        let mut below = 0;
        let _ = walk::subschemas::<Infallible>(map, ptr, &mut |child, child_ptr, role| {
            below = below.max(self.schema(child, child_ptr, Some(&here), role));
            Ok(())
        });
        // A split type, a tuple, pattern properties and a `$ref` with siblings put nodes
        // two levels deeper (under `anyOf/i` or `allOf/0`).
        let deeper = self.rewrite(map, ptr, &here, has);
        below + if deeper { 2 } else { 0 }
    }

    /// Returns whether a rewrite put nodes deeper.
    fn rewrite(
        &mut self,
        map: &mut Map<String, Value>,
        ptr: &str,
        scope: &Scope<'_>,
        mut has: Has,
    ) -> bool {
        if has.any(Has::DYNAMIC) {
            self.dynamic_refs(map, ptr, scope);
            has.0 |= Has::REF;
        }
        if has.any(Has::CONST) {
            self.const_to_enum(map, ptr);
            has.0 |= Has::ENUM | Has::TYPE;
        }
        if has.any(Has::EXAMPLES)
            && matches!(map.get("examples"), Some(Value::Array(_)))
            && let Some(Value::Array(examples)) = map.shift_remove("examples")
            && let (false, Some(first)) = (map.contains_key("example"), examples.into_iter().next())
        {
            map.insert("example".into(), first);
        }
        let types = if has.any(Has::TYPE) {
            null_type(map)
        } else {
            None
        };
        if has.any(Has::ENUM) {
            null_enum(map);
        }
        if matches!(map.get("default"), Some(Value::Null)) {
            map.insert("nullable".into(), Value::Bool(true));
        }
        let mut lists = Lists::default();
        if has.any(Has::LISTS) {
            lists = Lists::take(map);
            null_members(map, &mut lists);
        }
        let mut deeper = has.any(Has::PATTERN)
            || (has.any(Has::TUPLES)
                && (matches!(map.get("prefixItems"), Some(Value::Array(_)))
                    || matches!(map.get("items"), Some(Value::Array(_)))));
        if let Some(types) = types {
            self.split_types(map, ptr, types, &mut lists);
            deeper = true;
        }
        self.finish(map, ptr, has);
        // `$ref` with siblings: 3.1 reads both; the 3.0 model reads only the `$ref`.
        if has.any(Has::REF)
            && matches!(map.get("$ref"), Some(Value::String(_)))
            && (map.len() > 1 || !lists.is_empty())
            && let Some(reference) = map.shift_remove("$ref")
        {
            let member = Member {
                value: json!({ "$ref": reference }),
                from: From::OwnRef,
            };
            lists.entry("allOf").insert(0, member);
            deeper = true;
        }
        lists.put_back(map, ptr, self.origins);
        deeper
    }

    /// The rewrites that depend on one schema's own keywords only (also run on each branch
    /// of a split `type: [A, B]`, whose keywords came from `ptr`).
    fn finish(&mut self, map: &mut Map<String, Value>, ptr: &str, has: Has) {
        if has.any(Has::BOUNDS) || (has.any(Has::ENUM) && has.any(Has::TYPE)) {
            self.bounds(map, ptr);
        }
        if has.any(Has::LENGTHS) {
            self.lengths(map, ptr);
        }
        if has.any(Has::CONTENT) {
            self.content(map, ptr);
        }
        if has.any(Has::TUPLES) {
            self.tuples(map, ptr);
        }
        if has.any(Has::PATTERN) {
            self.pattern_properties(map, ptr);
        }
    }

    fn dynamic_refs(&mut self, map: &mut Map<String, Value>, ptr: &str, scope: &Scope<'_>) {
        if let Some(Value::String(r)) = map.get("$recursiveRef") {
            let target = if r == "#" {
                scope.recursive().map(str::to_owned)
            } else {
                Some(r.clone())
            };
            match target {
                Some(target) if !map.contains_key("$ref") => {
                    map.shift_remove("$recursiveRef");
                    map.insert("$ref".into(), Value::String(target));
                }
                _ => self.warn(
                    join(ptr, "$recursiveRef"),
                    "no enclosing schema declares `$recursiveAnchor: true`; `$recursiveRef` ignored".into(),
                ),
            }
        }
        if let Some(Value::String(r)) = map.get("$dynamicRef") {
            let target = match r.strip_prefix('#') {
                Some(name) if !name.starts_with('/') && !name.is_empty() => {
                    scope.dynamic(name).map(str::to_owned)
                }
                _ => Some(r.clone()),
            };
            match target {
                Some(target) if !map.contains_key("$ref") => {
                    map.shift_remove("$dynamicRef");
                    map.insert("$ref".into(), Value::String(target));
                }
                _ => self.warn(
                    join(ptr, "$dynamicRef"),
                    format!("no enclosing schema declares `$dynamicAnchor` for `{r}`; `$dynamicRef` ignored"),
                ),
            }
        }
        // Anchors have done their work once the references to them are plain `$ref`s.
        if map.get("$recursiveAnchor").is_some_and(Value::is_boolean) {
            map.shift_remove("$recursiveAnchor");
        }
        if map.get("$dynamicAnchor").is_some_and(Value::is_string) {
            map.shift_remove("$dynamicAnchor");
        }
    }

    fn const_to_enum(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        let Some(value) = map.shift_remove("const") else {
            return;
        };
        if let Some(Value::Array(values)) = map.get("enum")
            && !values.contains(&value)
        {
            self.warn(
                join(ptr, "const"),
                "the `const` value is not in `enum`; `const` wins".into(),
            );
        }
        if !map.contains_key("type")
            && let Some(ty) = json_type(&value)
        {
            map.insert("type".into(), Value::String(ty.into()));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }

    /// `type: [A, B]` → `anyOf` of one branch per type. Keywords that apply to one type only
    /// go to that type's branch; `enum` values go to the branches whose type they have.
    fn split_types(
        &mut self,
        map: &mut Map<String, Value>,
        ptr: &str,
        types: Vec<String>,
        lists: &mut Lists,
    ) {
        let enumeration = match map.shift_remove("enum") {
            Some(Value::Array(values)) => Some(values),
            Some(other) => {
                map.insert("enum".into(), other);
                None
            }
            None => None,
        };
        let numeric_format = map
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(|f| matches!(f, "int32" | "int64" | "float" | "double"));
        let mut taken: Vec<(&str, Value)> = Vec::new();
        for t in &types {
            for kw in typed_keywords(t) {
                if let Some(v) = map.shift_remove(*kw) {
                    taken.push((kw, v));
                }
            }
        }
        let format = match map.get("format") {
            Some(_) if types.iter().any(|t| takes_format(t, numeric_format)) => {
                map.shift_remove("format")
            }
            _ => None,
        };
        let mut branches = Vec::new();
        for t in &types {
            let mut branch = Map::new();
            branch.insert("type".into(), Value::String(t.clone()));
            for (kw, v) in &taken {
                if typed_keywords(t).contains(kw) {
                    branch.insert((*kw).to_owned(), v.clone());
                }
            }
            if let Some(f) = &format
                && takes_format(t, numeric_format)
            {
                branch.insert("format".into(), f.clone());
            }
            if let Some(values) = &enumeration {
                let mine: Vec<Value> = values.iter().filter(|v| has_type(v, t)).cloned().collect();
                if mine.is_empty() {
                    continue;
                }
                branch.insert("enum".into(), Value::Array(mine));
            }
            let has = Has::of(&branch);
            self.finish(&mut branch, ptr, has);
            branches.push(Member {
                value: Value::Object(branch),
                from: From::Made,
            });
        }
        if lists.get_mut("anyOf").is_none() {
            *lists.entry("anyOf") = branches;
        } else {
            let values: Vec<Value> = branches.into_iter().map(|b| b.value).collect();
            lists.entry("allOf").push(Member {
                value: json!({ "anyOf": values }),
                from: From::Made,
            });
        }
    }

    fn bounds(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        let mut source = [
            ("minimum", "minimum"),
            ("maximum", "maximum"),
            ("multipleOf", "multipleOf"),
        ];
        for (i, (exclusive, bound, lower)) in [
            ("exclusiveMinimum", "minimum", true),
            ("exclusiveMaximum", "maximum", false),
        ]
        .into_iter()
        .enumerate()
        {
            let Some(Value::Number(n)) = map.get(exclusive) else {
                continue;
            };
            let (n, excl) = (n.clone(), n.as_f64());
            let existing = map.get(bound).and_then(Value::as_f64);
            let stricter = match (existing, excl) {
                (Some(b), Some(e)) => (lower && b > e) || (!lower && b < e),
                _ => false,
            };
            if stricter {
                map.shift_remove(exclusive);
            } else {
                map.insert(bound.into(), Value::Number(n));
                map.insert(exclusive.into(), Value::Bool(true));
                self.origins
                    .moved(join(ptr, bound), join(ptr, exclusive), false);
                source[i].1 = exclusive;
            }
        }
        if map.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        // The 3.0 model reads integer bounds as `i64`; anything else would make the whole
        // schema fall back to an untyped one.
        for (bound, written) in source {
            let Some(Value::Number(n)) = map.get(bound) else {
                continue;
            };
            if n.is_i64() {
                continue;
            }
            let f = n.as_f64().unwrap_or(f64::NAN);
            // A literal beyond i64 was read as the nearest float, which can round to ±2^63.
            let fits =
                f.is_finite() && f > -9.223_372_036_854_776e18 && f < 9.223_372_036_854_776e18;
            let exclusive = if bound == "minimum" {
                "exclusiveMinimum"
            } else {
                "exclusiveMaximum"
            };
            if fits && f.fract() == 0.0 {
                map.insert(bound.into(), Value::from(f as i64));
            } else if fits && bound != "multipleOf" {
                // `minimum: 0.5` over integers is `minimum: 1`, exclusive or not.
                let v = if bound == "minimum" {
                    f.ceil()
                } else {
                    f.floor()
                };
                map.insert(bound.into(), Value::from(v as i64));
                map.shift_remove(exclusive);
            } else {
                let why = if fits {
                    "is not an integer"
                } else {
                    "does not fit in a 64-bit integer"
                };
                self.warn(
                    join(ptr, written),
                    format!("integer `{written}` {n} {why}; ignored"),
                );
                map.shift_remove(bound);
                if bound != "multipleOf" {
                    map.shift_remove(exclusive);
                }
            }
        }
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            for v in values.iter_mut() {
                if let Some(f) = v
                    .as_f64()
                    .filter(|f| !v.is_i64() && f.fract() == 0.0 && f.abs() < 9.2e18)
                {
                    *v = Value::from(f as i64);
                }
            }
        }
    }

    /// Length and count keywords are non-negative integers in the model.
    fn lengths(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        for kw in [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            let Some(Value::Number(n)) = map.get(kw) else {
                continue;
            };
            if n.is_u64() {
                continue;
            }
            let f = n.as_f64().unwrap_or(-1.0);
            if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 {
                map.insert(kw.into(), Value::from(f as u64));
            } else {
                let message = format!("`{kw}` must be a non-negative integer, found {n}; ignored");
                self.warn(join(ptr, kw), message);
                map.shift_remove(kw);
            }
        }
    }

    /// 3.1 describes encoded and binary strings with `contentEncoding`/`contentMediaType`,
    /// 3.0 with `format: byte`/`binary`.
    fn content(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        let encoding = map
            .get("contentEncoding")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let media = map
            .get("contentMediaType")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        if encoding.is_none() && media.is_none() {
            return;
        }
        let stringy = matches!(
            map.get("type").and_then(Value::as_str),
            None | Some("string")
        );
        if stringy && !map.contains_key("format") {
            let format = match encoding.as_deref() {
                Some("base64" | "base64url") => Some("byte"),
                Some("binary") => Some("binary"),
                Some(_) => None,
                None => media
                    .as_deref()
                    .filter(|m| !is_textual(m))
                    .map(|_| "binary"),
            };
            if let Some(format) = format {
                map.insert("format".into(), Value::String(format.into()));
                if !map.contains_key("type") {
                    map.insert("type".into(), Value::String("string".into()));
                }
            }
        }
        // Kept as extensions: the model holds those, and the media type matters to a
        // multipart body.
        for kw in ["contentEncoding", "contentMediaType"] {
            let ext = format!("x-{kw}");
            if map.contains_key(&ext) {
                continue;
            }
            if let Some(v) = map.shift_remove(kw) {
                self.origins.moved(join(ptr, &ext), join(ptr, kw), true);
                map.insert(ext, v);
            }
        }
    }

    /// Tuples (`prefixItems`, or draft-04 `items: [..]`) have no 3.0 form: the items become
    /// `anyOf` the listed schemas. `items: false` (nothing beyond the listed ones) bounds
    /// the length.
    fn tuples(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        let (key, rest_key) = match (map.get("prefixItems"), map.get("items")) {
            (Some(Value::Array(_)), _) => ("prefixItems", "items"),
            (_, Some(Value::Array(_))) => ("items", "additionalItems"),
            (_, Some(Value::Bool(b))) => {
                if *b {
                    map.insert("items".into(), json!({}));
                } else {
                    map.shift_remove("items");
                    set_max(map, "maxItems", 0);
                    set_type(map, "array");
                }
                return;
            }
            _ => return,
        };
        let rest = if key == rest_key {
            None
        } else {
            map.shift_remove(rest_key)
        };
        let Some(Value::Array(listed)) = map.shift_remove(key) else {
            return;
        };
        let n = listed.len();
        let mut members: Vec<(Value, String)> = listed
            .into_iter()
            .enumerate()
            .map(|(i, v)| (v, format!("{}/{i}", join(ptr, key))))
            .collect();
        match rest {
            Some(Value::Bool(false)) => set_max(map, "maxItems", n as u64),
            Some(Value::Object(s)) if !s.is_empty() => {
                members.push((Value::Object(s), join(ptr, rest_key)))
            }
            _ => {}
        }
        set_type(map, "array");
        let items_ptr = join(ptr, "items");
        let all_same = members.windows(2).all(|w| w[0].0 == w[1].0);
        if members.is_empty() {
            // `prefixItems: []`: nothing is said about the items.
        } else if all_same {
            let (value, from) = members.swap_remove(0);
            self.origins.moved(items_ptr, from, true);
            map.insert("items".into(), value);
        } else {
            let mut values = Vec::with_capacity(members.len());
            for (i, (value, from)) in members.into_iter().enumerate() {
                self.origins
                    .moved(format!("{items_ptr}/anyOf/{i}"), from, true);
                values.push(value);
            }
            self.origins.moved(items_ptr, join(ptr, key), false);
            map.insert("items".into(), json!({ "anyOf": values }));
            let message = format!(
                "a tuple of {n} schemas has no OpenAPI 3.0 form; read as an array whose items are any of them (positions are not checked)"
            );
            self.warn(join(ptr, key), message);
        }
    }

    /// `patternProperties` have no 3.0 form; when nothing else constrains extra properties
    /// they become `additionalProperties`.
    fn pattern_properties(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        let Some(Value::Object(patterns)) = map.get("patternProperties") else {
            return;
        };
        let replaceable = match map.get("additionalProperties") {
            None | Some(Value::Bool(_)) => true,
            Some(Value::Object(s)) => s.is_empty(),
            _ => false,
        };
        if patterns.is_empty() || !replaceable {
            return;
        }
        let Some(Value::Object(patterns)) = map.shift_remove("patternProperties") else {
            return;
        };
        let names: Vec<String> = patterns.keys().map(|p| format!("`{p}`")).collect();
        let base = join(ptr, "patternProperties");
        let target = join(ptr, "additionalProperties");
        let value = if patterns.len() == 1 {
            let Some((pattern, schema)) = patterns.into_iter().next() else {
                return;
            };
            self.origins.moved(target, join(&base, &pattern), true);
            schema
        } else {
            let mut values = Vec::with_capacity(patterns.len());
            for (i, (pattern, schema)) in patterns.into_iter().enumerate() {
                self.origins
                    .moved(format!("{target}/anyOf/{i}"), join(&base, &pattern), true);
                values.push(schema);
            }
            self.origins.moved(target, base.clone(), false);
            json!({ "anyOf": values })
        };
        map.insert("additionalProperties".into(), value);
        set_type(map, "object");
        let message = format!(
            "`patternProperties` has no OpenAPI 3.0 form; read as `additionalProperties` (names are not checked against {})",
            names.join(", ")
        );
        self.warn(base, message);
    }
}

/// Which keywords a schema has, from one pass over its keys: most schemas need none of the
/// rewrites, and asking for each keyword by name would hash it every time.
#[derive(Debug, Clone, Copy, Default)]
struct Has(u32);

impl Has {
    const DYNAMIC: u32 = 1;
    const CONST: u32 = 1 << 1;
    const EXAMPLES: u32 = 1 << 2;
    const TYPE: u32 = 1 << 3;
    const ENUM: u32 = 1 << 4;
    const LISTS: u32 = 1 << 5;
    const REF: u32 = 1 << 6;
    const BOUNDS: u32 = 1 << 7;
    const LENGTHS: u32 = 1 << 8;
    const CONTENT: u32 = 1 << 9;
    const TUPLES: u32 = 1 << 10;
    const PATTERN: u32 = 1 << 11;

    fn of(map: &Map<String, Value>) -> Has {
        let mut bits = 0;
        for key in map.keys() {
            bits |= match key.as_str() {
                "$recursiveRef" | "$recursiveAnchor" | "$dynamicRef" | "$dynamicAnchor" => {
                    Has::DYNAMIC
                }
                "const" => Has::CONST,
                "examples" => Has::EXAMPLES,
                "type" => Has::TYPE,
                "enum" => Has::ENUM,
                "allOf" | "anyOf" | "oneOf" => Has::LISTS,
                "$ref" => Has::REF,
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
                    Has::BOUNDS
                }
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties" => Has::LENGTHS,
                "contentEncoding" | "contentMediaType" => Has::CONTENT,
                "prefixItems" | "items" => Has::TUPLES,
                "patternProperties" => Has::PATTERN,
                _ => 0,
            };
        }
        Has(bits)
    }

    fn any(self, bits: u32) -> bool {
        self.0 & bits != 0
    }
}

/// `type: 'null'` and `type: [..]` lists. Returns the types when two or more non-null ones
/// remain (the caller splits them).
/// 3.1 made an operation's `responses` optional; the 3.0 model requires it, so a missing
/// one becomes `{}` (the operation declares no response, which is what the document says).
fn empty_responses(path_item: &mut Value) {
    let Value::Object(item) = path_item else {
        return;
    };
    if walk::is_reference(item) {
        return;
    }
    for method in walk::METHODS {
        if let Some(Value::Object(op)) = item.get_mut(method) {
            op.entry("responses")
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
}

fn null_type(map: &mut Map<String, Value>) -> Option<Vec<String>> {
    match map.get("type") {
        Some(Value::String(t)) if t == "null" => {
            map.shift_remove("type");
            make_null_only(map);
            None
        }
        Some(Value::Array(list)) => {
            let mut types: Vec<String> = Vec::new();
            for t in list {
                let t = t.as_str()?;
                if !types.iter().any(|seen| seen == t) {
                    types.push(t.to_owned());
                }
            }
            let had_null = types.iter().any(|t| t == "null");
            types.retain(|t| t != "null");
            if had_null {
                map.insert("nullable".into(), Value::Bool(true));
            }
            match types.len() {
                0 => {
                    map.shift_remove("type");
                    if had_null {
                        make_null_only(map);
                    }
                    None
                }
                1 => {
                    map.insert("type".into(), Value::String(types.remove(0)));
                    None
                }
                _ => {
                    map.shift_remove("type");
                    Some(types)
                }
            }
        }
        _ => None,
    }
}

/// A schema only `null` satisfies, in 3.0 terms.
fn make_null_only(map: &mut Map<String, Value>) {
    map.insert("nullable".into(), Value::Bool(true));
    map.insert("enum".into(), json!([null]));
}

/// `null` in `enum` → `nullable: true`.
fn null_enum(map: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    if !values.iter().any(Value::is_null) {
        return;
    }
    if values.iter().any(|v| !v.is_null()) {
        values.retain(|v| !v.is_null());
    } else {
        values.truncate(1);
    }
    map.insert("nullable".into(), Value::Bool(true));
}

/// A member that only `null` satisfies (after its own normalisation).
fn is_null_schema(v: &Value) -> bool {
    let Value::Object(map) = v else { return false };
    let only_nulls = matches!(map.get("enum"), Some(Value::Array(e)) if !e.is_empty() && e.iter().all(Value::is_null));
    only_nulls
        && ![
            "type",
            "$ref",
            "allOf",
            "anyOf",
            "oneOf",
            "properties",
            "items",
            "not",
        ]
        .iter()
        .any(|k| map.contains_key(*k))
}

fn null_members(map: &mut Map<String, Value>, lists: &mut Lists) {
    for key in ["anyOf", "oneOf"] {
        let Some(members) = lists.get_mut(key) else {
            continue;
        };
        if !members.iter().any(|m| is_null_schema(&m.value)) {
            continue;
        }
        members.retain(|m| !is_null_schema(&m.value));
        map.insert("nullable".into(), Value::Bool(true));
        match members.len() {
            0 if !map.contains_key("enum") && !map.contains_key("type") => {
                make_null_only(map);
            }
            1 => {
                let moved = std::mem::take(members);
                lists.entry("allOf").extend(moved);
            }
            _ => {}
        }
    }
}

fn json_type(v: &Value) -> Option<&'static str> {
    match v {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

fn has_type(v: &Value, ty: &str) -> bool {
    match ty {
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => false,
    }
}

/// Keywords that constrain values of one JSON type only.
fn typed_keywords(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &[
            "minLength",
            "maxLength",
            "pattern",
            "contentMediaType",
            "contentEncoding",
        ],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "additionalItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
        ],
        _ => &[],
    }
}

fn is_textual(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence,
            "application/json" | "application/xml" | "application/x-www-form-urlencoded"
        )
}

fn set_max(map: &mut Map<String, Value>, kw: &str, n: u64) {
    let current = map.get(kw).and_then(Value::as_u64);
    if current.is_none_or(|c| c > n) {
        map.insert(kw.into(), Value::from(n));
    }
}

fn set_type(map: &mut Map<String, Value>, ty: &str) {
    if !map.contains_key("type") {
        map.insert("type".into(), Value::String(ty.into()));
    }
}

/// Whether the branch of type `ty` of a split `type: [..]` takes the schema's `format`.
fn takes_format(ty: &str, numeric_format: bool) -> bool {
    match ty {
        "string" => !numeric_format,
        "integer" | "number" => numeric_format,
        _ => false,
    }
}
