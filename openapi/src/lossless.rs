//! The lossless check: the model is written back out and compared with the tree it was read
//! from, so whatever `openapiv3` did not keep becomes a located warning instead of vanishing.
//!
//! The model is not written into a second JSON tree: [`Compare`] is a `serde::Serializer`
//! that walks the tree alongside the model's own `Serialize` calls. That is several times
//! faster than building, comparing and dropping a copy of a large document.
//!
//! Noise is not reported: key order, `1` read back as `1.0`, and keys whose value means the
//! same as their absence (`null`, `false`, `[]`, `{}`).

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::{Map, Value};

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

/// Compares `tree` (at pointer `at`) with `model`, the model read from it.
pub(crate) fn check<T: Serialize + ?Sized>(tree: &Value, model: &T, at: &str, out: &mut Vec<Loss>) {
    let mut ctx = Ctx {
        ptr: at.to_owned(),
        out,
    };
    let _ = model.serialize(Compare {
        tree: Some(tree),
        ctx: &mut ctx,
    });
}

struct Ctx<'o> {
    ptr: String,
    out: &'o mut Vec<Loss>,
}

impl Ctx<'_> {
    fn lost(&mut self, message: String) {
        self.out.push(Loss {
            pointer: self.ptr.clone(),
            message,
        });
    }

    /// The model wrote `model` where the tree has `tree`.
    fn scalar(&mut self, tree: Option<&Value>, model: Value) {
        let Some(tree) = tree else { return };
        let same = match (tree, &model) {
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (a, b) => a == b || (means_absent(a) && means_absent(b)),
        };
        if !same {
            self.lost(format!("`{}` was read as `{}`", short(tree), short(&model)));
        }
    }

    fn child<R>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.ptr.len();
        self.ptr.push('/');
        self.ptr.push_str(&escape(key));
        let r = f(self);
        self.ptr.truncate(len);
        r
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

/// Never produced: comparing cannot fail.
#[derive(Debug)]
pub(crate) struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("comparison stopped")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

/// Serialises the model against `tree`, the node the model was read from (`None` where the
/// tree has nothing: whatever the model writes there is a default, not a loss).
struct Compare<'t, 'c, 'o> {
    tree: Option<&'t Value>,
    ctx: &'c mut Ctx<'o>,
}

macro_rules! scalars {
    ($($name:ident($ty:ty)),*) => {
        $(fn $name(self, v: $ty) -> Result<(), Stop> {
            self.ctx.scalar(self.tree, Value::from(v));
            Ok(())
        })*
    };
}

impl<'t, 'c, 'o> ser::Serializer for Compare<'t, 'c, 'o> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Seq<'t, 'c, 'o>;
    type SerializeTuple = Seq<'t, 'c, 'o>;
    type SerializeTupleStruct = Seq<'t, 'c, 'o>;
    type SerializeTupleVariant = Seq<'t, 'c, 'o>;
    type SerializeMap = Object<'t, 'c, 'o>;
    type SerializeStruct = Object<'t, 'c, 'o>;
    type SerializeStructVariant = Object<'t, 'c, 'o>;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_str(&str)
    );

    fn serialize_char(self, v: char) -> Result<(), Stop> {
        self.ctx.scalar(self.tree, Value::String(v.into()));
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Stop> {
        self.ctx.scalar(self.tree, Value::Null);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Stop> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        let mut object = self.serialize_map(Some(1))?;
        ser::SerializeMap::serialize_entry(&mut object, variant, value)?;
        ser::SerializeMap::end(object)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'t, 'c, 'o>, Stop> {
        let items = match self.tree {
            Some(Value::Array(items)) => Some(items.as_slice()),
            Some(other) => {
                self.ctx
                    .lost(format!("`{}` was read as a list", short(other)));
                None
            }
            None => None,
        };
        Ok(Seq {
            items,
            index: 0,
            ctx: self.ctx,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'t, 'c, 'o>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'t, 'c, 'o>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Seq<'t, 'c, 'o>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'t, 'c, 'o>, Stop> {
        let map = match self.tree {
            Some(Value::Object(map)) => Some(map),
            Some(other) => {
                self.ctx
                    .lost(format!("`{}` was read as a mapping", short(other)));
                None
            }
            None => None,
        };
        Ok(Object {
            map,
            seen: Vec::new(),
            pending: None,
            ctx: self.ctx,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object<'t, 'c, 'o>, Stop> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Object<'t, 'c, 'o>, Stop> {
        self.serialize_map(Some(len))
    }
}

struct Seq<'t, 'c, 'o> {
    items: Option<&'t [Value]>,
    index: usize,
    ctx: &'c mut Ctx<'o>,
}

impl Seq<'_, '_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let tree = self.items.and_then(|items| items.get(self.index));
        let index = self.index.to_string();
        self.index += 1;
        let ctx = &mut *self.ctx;
        ctx.child(&index, |ctx| value.serialize(Compare { tree, ctx }))
    }

    fn finish(self) -> Result<(), Stop> {
        if let Some(items) = self.items
            && items.len() != self.index
        {
            self.ctx.lost(format!(
                "a list of {} was read as a list of {}",
                items.len(),
                self.index
            ));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeTuple for Seq<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Seq<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Seq<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

/// A mapping or struct of the model against the tree's object: which of the tree's keys the
/// model wrote, and the one whose value comes next.
struct Object<'t, 'c, 'o> {
    map: Option<&'t Map<String, Value>>,
    seen: Vec<&'t str>,
    pending: Option<(&'t str, &'t Value)>,
    ctx: &'c mut Ctx<'o>,
}

impl<'t> Object<'t, '_, '_> {
    fn key(&mut self, key: &str) {
        self.pending = self
            .map
            .and_then(|m| m.get_key_value(key))
            .map(|(k, v)| (k.as_str(), v));
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let Some((key, tree)) = self.pending.take() else {
            // A key the tree does not have: a default the model fills in.
            return Ok(());
        };
        self.seen.push(key);
        // Kept as raw JSON by the model: nothing in them can be lost.
        if key.starts_with("x-") || key == "example" || key == "default" {
            return Ok(());
        }
        let ctx = &mut *self.ctx;
        ctx.child(key, |ctx| {
            value.serialize(Compare {
                tree: Some(tree),
                ctx,
            })
        })
    }

    fn finish(self) -> Result<(), Stop> {
        let Some(map) = self.map else { return Ok(()) };
        if self.seen.len() == map.len() {
            return Ok(());
        }
        for (key, value) in map {
            if self.seen.contains(&key.as_str())
                || means_absent(value)
                || IGNORED.contains(&key.as_str())
            {
                continue;
            }
            self.ctx.child(key, |ctx| {
                ctx.lost(format!(
                    "`{key}` has no place in the OpenAPI 3.0 model here; ignored"
                ))
            });
        }
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        let key = key.serialize(KeyString).unwrap_or_default();
        self.key(&key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.value(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeStruct for Object<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.key(key);
        self.value(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Object<'_, '_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.key(key);
        self.value(value)
    }
    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

/// A map key as the string JSON writes (status codes are numbers in the model).
struct KeyString;

macro_rules! key_numbers {
    ($($name:ident($ty:ty)),*) => {
        $(fn $name(self, v: $ty) -> Result<String, Stop> {
            Ok(v.to_string())
        })*
    };
}

impl ser::Serializer for KeyString {
    type Ok = String;
    type Error = Stop;
    type SerializeSeq = Impossible<String, Stop>;
    type SerializeTuple = Impossible<String, Stop>;
    type SerializeTupleStruct = Impossible<String, Stop>;
    type SerializeTupleVariant = Impossible<String, Stop>;
    type SerializeMap = Impossible<String, Stop>;
    type SerializeStruct = Impossible<String, Stop>;
    type SerializeStructVariant = Impossible<String, Stop>;

    key_numbers!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str)
    );

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_none(self) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Stop> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Stop> {
        Err(Stop)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn losses(tree: Value, model: Value) -> Vec<String> {
        let mut out = Vec::new();
        check(&tree, &model, "#", &mut out);
        out.into_iter()
            .map(|l| format!("{}: {}", l.pointer, l.message))
            .collect()
    }

    #[test]
    fn reports_missing_keys_not_noise() {
        let tree = json!({"a": 1, "b": {"c": [1, 2], "d": false, "e": "x", "$comment": "hi"}, "f": null, "g~/": 1});
        let model = json!({"a": 1.0, "b": {"c": [1, 2]}});
        assert_eq!(
            losses(tree, model),
            [
                "#/b/e: `e` has no place in the OpenAPI 3.0 model here; ignored",
                "#/g~0~1: `g~/` has no place in the OpenAPI 3.0 model here; ignored"
            ]
        );
    }

    #[test]
    fn reports_changes() {
        let tree = json!({"a": [1, 2, 3], "b": "x", "c": {"d": 1}, "e": 2});
        let model = json!({"a": [1, 2], "b": "y", "c": [1], "e": 2.5, "extra": {"z": 1}});
        assert_eq!(
            losses(tree, model),
            [
                "#/a: a list of 3 was read as a list of 2",
                "#/b: `\"x\"` was read as `\"y\"`",
                "#/c: `{\"d\":1}` was read as a list",
                "#/e: `2` was read as `2.5`",
            ]
        );
    }

    #[test]
    fn model_types_compare_through_serde() {
        let tree = json!({"type": "integer", "minimum": 1, "format": "int64", "nullable": false, "weird": 1});
        let schema: openapiv3::Schema =
            serde_json::from_value(tree.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        check(&tree, &schema, "#/S", &mut out);
        let got: Vec<&str> = out.iter().map(|l| l.pointer.as_str()).collect();
        assert_eq!(got, ["#/S/weird"]);
    }
}
