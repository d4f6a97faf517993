//! Support for the generated types: open string enums, three-state fields,
//! tagged-union dispatch and file values.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

/// How a generated struct reads itself from a JSON object. The generated `from_map` is
/// one loop over the keys; serde's derive would add a field-identifier type with its own
/// visitor and a sequence visitor per struct, which JSON never uses and which made up a
/// large share of the client's compile time.
pub trait FromMap: Sized {
    /// What the value should have been, for "invalid type" errors.
    const EXPECTING: &'static str;
    fn from_map<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes a [`FromMap`] type: the body of each generated struct's `Deserialize`.
pub fn deserialize_object<'de, T: FromMap, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: FromMap> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Everything a generated struct implements besides `Clone`, `PartialEq` and `Default`:
/// `Deserialize` (one pass over the object's keys into a local per field, forgiving what
/// departs from the spec; see [`drift`](crate::runtime::drift)), `Serialize` (writing back
/// what was read), `Debug`, `Conformance` and `ExtraFields`. The struct has a field
/// `__extra: runtime::drift::Extra` for undeclared keys and the record of departures.
///
/// `object_impls!(Name, { field: kind "json name", ... } [, additional additional_properties]
/// [, flatten __rest [member, ...]])` (`__rest` names the map of the keys left for the
/// flattened members, a name no field can have). The kind says how a field's states are read and written:
/// `required` (`T`), `required_any` (`T` that takes `null` itself, such as any JSON value),
/// `required_nullable` (`Option<T>`, written as `null` when `None`), `option` (`Option<T>`,
/// left out when `None`), `option_any` (`Option<T>` where `null` is `Some(null)`) and
/// `nullable` (`Option<Option<T>>`: absent, `null`, a value). Undeclared keys go to the
/// typed `additionalProperties` map when there is one, else to the flattened member when
/// there is one, else to `__extra`. The locals the expansion adds (`map`, `key`, `reader`,
/// `writer`) are hygienic, so no field name can shadow them.
#[macro_export]
#[doc(hidden)]
macro_rules! __object_impls {
    (@take required $reader:ident $field:ident $json:literal) => { $reader.take($field, $json)? };
    (@take required_any $reader:ident $field:ident $json:literal) => { $reader.take($field, $json)? };
    (@take required_nullable $reader:ident $field:ident $json:literal) => { $reader.take($field, $json)? };
    (@take option $reader:ident $field:ident $json:literal) => { $field };
    (@take option_any $reader:ident $field:ident $json:literal) => { $field };
    (@take nullable $reader:ident $field:ident $json:literal) => { $field };
    (@unknown $reader:ident $map:ident $key:ident [] []) => { $reader.undeclared(&mut $map, $key)? };
    (@unknown $reader:ident $map:ident $key:ident [$additional:ident] [$($rest:ident)?]) => {
        $reader.additional(&mut $map, $key, &mut $additional)?
    };
    (@unknown $reader:ident $map:ident $key:ident [] [$rest:ident]) => {{
        let value = $map.next_value()?;
        $rest.insert($key.into_string(), value);
    }};
    ($name:ident, { $($field:ident: $kind:ident $json:literal),* $(,)? }
        $(, additional $additional:ident)? $(, flatten $rest:ident [$($flat:ident),+])? $(,)?) => {
        impl $crate::runtime::model::FromMap for $name {
            const EXPECTING: &'static str = ::std::concat!("struct ", ::std::stringify!($name));
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                let mut reader = $crate::runtime::drift::Reader::new(<Self as $crate::runtime::model::FromMap>::EXPECTING);
                $(let mut $field = ::std::option::Option::None;)*
                $(let mut $additional = ::std::collections::BTreeMap::new();)?
                $(let mut $rest = ::serde_json::Map::new();)?
                while let ::std::option::Option::Some(key) =
                    map.next_key::<$crate::runtime::model::Key<'de>>()?
                {
                    match key.as_str() {
                        $($json => $field = reader.$kind(&mut map, $json)?,)*
                        _ => $crate::__object_impls!(@unknown reader map key [$($additional)?] [$($rest)?]),
                    }
                }
                $($(let $flat = reader.flattened($rest.clone())?;)+)?
                ::std::result::Result::Ok(Self {
                    $($field: $crate::__object_impls!(@take $kind reader $field $json),)*
                    $($additional,)?
                    $($($flat,)+)?
                    __extra: reader.finish(),
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::model::deserialize_object(deserializer)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                // Not written to when the struct declares no fields.
                #[allow(unused_mut)]
                let mut writer = $crate::runtime::drift::Writer::new(serializer, &self.__extra)?;
                $(writer.$kind($json, &self.$field)?;)*
                $(writer.additional(&self.$additional)?;)?
                $($(writer.flattened(&self.$flat)?;)+)?
                writer.end()
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut debug = f.debug_struct(::std::stringify!($name));
                $(debug.field(::std::stringify!($field), &self.$field);)*
                $(debug.field(::std::stringify!($additional), &self.$additional);)?
                $($(debug.field(::std::stringify!($flat), &self.$flat);)+)?
                self.__extra.debug_into(&mut debug);
                debug.finish()
            }
        }

        impl $crate::runtime::drift::Conformance for $name {
            fn collect_drift(
                &self,
                path: &mut ::std::string::String,
                out: &mut ::std::vec::Vec<$crate::runtime::drift::Drift>,
            ) {
                self.__extra.collect_drift(path, out);
                $($crate::runtime::drift::visit(&self.$field, path, $json, out);)*
                $($crate::runtime::drift::Conformance::collect_drift(&self.$additional, path, out);)?
                $($($crate::runtime::drift::Conformance::collect_drift(&self.$flat, path, out);)+)?
            }
        }

        impl $crate::runtime::drift::ExtraFields for $name {
            fn extra(&self) -> &$crate::runtime::drift::Extra {
                &self.__extra
            }
            fn extra_mut(&mut self) -> &mut $crate::runtime::drift::Extra {
                &mut self.__extra
            }
        }
    };
}
pub use crate::__object_impls as object_impls;

/// A key of a JSON object, borrowed from the input when it can be (no allocation for the
/// common unescaped key read from a slice).
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(std::borrow::Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(std::borrow::Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(std::borrow::Cow::Owned(value)))
    }
}

/// The string value of `tag` in a JSON object, if it has one.
pub fn tag_of<'a>(value: &'a serde_json::Value, tag: &str) -> Option<&'a str> {
    value.get(tag).and_then(serde_json::Value::as_str)
}

/// The trait impls every open string enum shares, given its `as_str` and `From<&str>`:
/// the generated code writes those two (they hold the values), this writes the rest.
#[macro_export]
#[doc(hidden)]
macro_rules! __string_enum_impls {
    ($name:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Other(_) => Self::Other(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::runtime::model::StrVisitor::<Self>::new())
            }
        }

        /// `Other("")`: the placeholder a forgiving decode puts in a missing or invalid
        /// field (see [`drift`](crate::runtime::drift)).
        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Other(::std::string::String::new())
            }
        }

        /// Every enum is open: a value the spec does not list is kept in `Other`, not a
        /// departure from the spec.
        impl $crate::runtime::drift::Conformance for $name {}
    };
}
pub use crate::__string_enum_impls as string_enum_impls;

/// The trait impls of a constant (a single-value enum used as a type tag): it writes its
/// value and accepts nothing else, so that a union can tell its members apart.
#[macro_export]
#[doc(hidden)]
macro_rules! __constant_impls {
    ($name:ident, $value:literal) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                $value
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::runtime::model::ConstantVisitor {
                    value: $value,
                    make: || $name::default(),
                })
            }
        }

        impl $crate::runtime::drift::Conformance for $name {}
    };
}
pub use crate::__constant_impls as constant_impls;

/// Accepts exactly one string.
#[doc(hidden)]
pub struct ConstantVisitor<T> {
    pub value: &'static str,
    pub make: fn() -> T,
}

impl<T> de::Visitor<'_> for ConstantVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the string {:?}", self.value)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        if value == self.value {
            Ok((self.make)())
        } else {
            Err(E::invalid_value(de::Unexpected::Str(value), &self))
        }
    }
}

/// Visits a string without allocating when the value is a known variant.
#[doc(hidden)]
pub struct StrVisitor<T>(std::marker::PhantomData<T>);

impl<T> StrVisitor<T> {
    pub fn new() -> Self {
        StrVisitor(std::marker::PhantomData)
    }
}

impl<T> Default for StrVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: for<'a> From<&'a str> + From<String>> de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// A file to upload: its bytes, and the file name and content type to send with them.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct InputFile {
    pub bytes: Vec<u8>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
}

impl InputFile {
    /// A file from bytes in memory, sent under `filename`.
    pub fn from_bytes(filename: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile {
            bytes: bytes.into(),
            filename: Some(filename.into()),
            content_type: None,
        }
    }

    /// Reads a file from disk; its name is sent as the file name.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let filename = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(InputFile {
            bytes,
            filename,
            content_type: None,
        })
    }

    /// Sets the content type sent with the file.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl std::fmt::Debug for InputFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InputFile")
            .field("len", &self.bytes.len())
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for InputFile {
    fn from(bytes: Vec<u8>) -> Self {
        InputFile {
            bytes,
            filename: None,
            content_type: None,
        }
    }
}

/// In JSON a binary value is a string; files are really sent as multipart parts.
impl Serialize for InputFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for InputFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| InputFile::from(s.into_bytes()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::runtime::drift::{self, Conformance, DriftKind, ExtraFields};
    use serde_json::json;

    /// A test enum.
    #[derive(Debug, Clone, PartialEq)]
    enum Role {
        System,
        User,
        Other(String),
    }

    impl Role {
        fn as_str(&self) -> &str {
            match self {
                Self::System => "system",
                Self::User => "user",
                Self::Other(other) => other,
            }
        }
    }

    impl From<&str> for Role {
        fn from(value: &str) -> Self {
            match value {
                "system" => Self::System,
                "user" => Self::User,
                other => Self::Other(other.to_owned()),
            }
        }
    }

    crate::runtime::model::string_enum_impls!(Role);

    #[test]
    fn open_enum_round_trips_unknown_values() {
        let known: Role = serde_json::from_str("\"system\"").unwrap();
        assert_eq!(known, Role::System);
        let unknown: Role = serde_json::from_str("\"critic\"").unwrap();
        assert_eq!(unknown, Role::Other("critic".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"critic\"");
        assert_eq!(Role::from("user"), Role::User);
        assert_eq!(Role::User.to_string(), "user");
        assert_eq!(Role::default(), Role::Other(String::new()));
        assert!(unknown.drift().is_empty(), "enums are open");
    }

    /// A struct with every kind of field, as the generator writes it.
    #[derive(Clone, PartialEq, Default)]
    struct Object {
        id: String,
        count: i64,
        any: serde_json::Value,
        required_nullable: Option<u32>,
        optional: Option<u32>,
        optional_any: Option<serde_json::Value>,
        both: Option<Option<u32>>,
        role: Role,
        inner: Option<Inner>,
        __extra: crate::runtime::drift::Extra,
    }

    crate::runtime::model::object_impls!(Object, {
        id: required "id",
        count: required "count",
        any: required_any "any",
        required_nullable: required_nullable "required_nullable",
        optional: option "optional",
        optional_any: option_any "optional_any",
        both: nullable "both",
        role: required "role",
        inner: option "inner",
    });

    #[derive(Clone, PartialEq, Default)]
    struct Inner {
        tokens: i64,
        list: Option<Vec<f64>>,
        __extra: crate::runtime::drift::Extra,
    }

    crate::runtime::model::object_impls!(Inner, { tokens: required "tokens", list: option "list" });

    /// A field named like the expansion's own locals.
    #[derive(Clone, PartialEq, Default)]
    struct Shadowing {
        map: u32,
        key: Option<u32>,
        reader: Option<u32>,
        writer: Option<u32>,
        __extra: crate::runtime::drift::Extra,
    }

    crate::runtime::model::object_impls!(Shadowing, {
        map: required "map", key: option "key", reader: option "reader", writer: option "writer"
    });

    /// No declared fields: every key is kept as undeclared.
    #[derive(Clone, PartialEq, Default)]
    struct Nothing {
        __extra: crate::runtime::drift::Extra,
    }

    crate::runtime::model::object_impls!(Nothing, {});

    #[test]
    fn a_struct_without_fields_keeps_every_key() {
        let (value, _) = round_trip::<Nothing>(r#"{"a":{"b":[1]}}"#);
        assert_eq!(value.extra_field("a"), Some(&json!({"b": [1]})));
        assert!(value.drift().is_empty());
    }

    /// Undeclared keys into a typed map.
    #[derive(Clone, PartialEq, Default)]
    struct Labels {
        name: Option<String>,
        additional_properties: std::collections::BTreeMap<String, u32>,
        __extra: crate::runtime::drift::Extra,
    }

    crate::runtime::model::object_impls!(Labels, { name: option "name" }, additional additional_properties);

    const FULL: &str = r#"{"id":"a","count":2,"any":null,"required_nullable":null,"optional":4,"optional_any":null,"both":null,"role":"user","inner":{"tokens":1,"list":[0.5]}}"#;

    fn round_trip<T: serde::de::DeserializeOwned + Serialize>(
        json: &str,
    ) -> (T, serde_json::Value) {
        let value: T = drift::from_str(json).unwrap();
        let again = serde_json::to_value(&value).unwrap();
        let original: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(again, original, "{json} re-encodes differently");
        (value, again)
    }

    #[test]
    fn every_kind_of_field_reads_and_writes_its_states() {
        let (full, _) = round_trip::<Object>(FULL);
        assert_eq!((full.id.as_str(), full.count), ("a", 2));
        assert_eq!(full.any, serde_json::Value::Null);
        assert_eq!(full.required_nullable, None);
        assert_eq!(full.optional, Some(4));
        assert_eq!(full.optional_any, Some(serde_json::Value::Null));
        assert_eq!(full.both, Some(None));
        assert_eq!(full.inner.as_ref().unwrap().list, Some(vec![0.5]));
        assert!(full.drift().is_empty(), "{:?}", full.drift());
        let strict: Object = drift::from_str_strict(FULL).unwrap();
        assert!(strict == full);
        // Through a `Value` (keys arrive owned) and with an escaped key (not borrowable).
        let owned: Object = serde_json::from_value(json!({"id": "b", "count": 1})).unwrap();
        assert_eq!(owned.id, "b");
        let escaped: Object = serde_json::from_str(r#"{"\u0069d":"c"}"#).unwrap();
        assert_eq!(escaped.id, "c");
    }

    #[test]
    fn missing_null_and_invalid_values_are_kept_and_reported() {
        let json = r#"{"id":null,"any":[1],"optional":null,"role":"user","inner":{"list":"AAAA","extra":true},"unknown":{"a":[1]}}"#;
        let (value, _) = round_trip::<Object>(json);
        assert_eq!(value.id, "");
        assert_eq!(value.count, 0);
        let inner = value.inner.as_ref().unwrap();
        assert_eq!(inner.list, None);
        assert_eq!(inner.extra_field("extra"), Some(&json!(true)));
        assert_eq!(value.extra_field("unknown"), Some(&json!({"a": [1]})));
        let drift: Vec<String> = value.drift().iter().map(ToString::to_string).collect();
        assert_eq!(
            drift,
            [
                "`id`: null where the spec does not allow it",
                "`optional`: null where the spec does not allow it",
                "`count`: a required field is missing",
                "`required_nullable`: a required field is missing",
                "`inner.list`: a value its type cannot hold (invalid type: string \"AAAA\", expected a sequence); kept as received",
                "`inner.tokens`: a required field is missing",
            ]
        );
        let kinds: Vec<DriftKind> = value.drift().into_iter().map(|d| d.kind).collect();
        assert!(matches!(&kinds[4], DriftKind::Invalid { value, .. } if value == "AAAA"));
    }

    #[test]
    fn strict_decoding_names_the_field() {
        let error = |json: &str| {
            let e = drift::from_str_strict::<Object>(json).unwrap_err();
            (e.path, e.message)
        };
        let (path, message) = error(
            r#"{"id":"a","count":1,"any":1,"required_nullable":1,"role":"x","optional":null}"#,
        );
        assert_eq!(path, "optional");
        assert!(message.contains("null"), "{message}");
        let (path, message) = error(r#"{"id":"a","any":1,"required_nullable":1,"role":"x"}"#);
        assert_eq!(path, ".");
        assert!(message.starts_with("missing field `count`"), "{message}");
        let (path, _) = error(
            r#"{"id":"a","count":1,"any":1,"required_nullable":1,"role":"x","inner":{"tokens":1,"list":["x"]}}"#,
        );
        assert_eq!(path, "inner.list[0]");
        // Not an object at all: an error in either mode.
        assert!(drift::from_str::<Object>("[1]").is_err());
        assert!(drift::from_str::<Object>("{").is_err());
    }

    #[test]
    fn changed_fields_win_over_what_was_received() {
        let mut value: Object = drift::from_str(r#"{"role":"user","optional":null}"#).unwrap();
        value.count = 3;
        value.optional = Some(1);
        let again = serde_json::to_value(&value).unwrap();
        assert_eq!(again["count"], 3);
        assert_eq!(again["optional"], 1);
        assert!(again.get("id").is_none(), "still missing: {again}");
        // Extra fields go out with the value, and a declared name is replaced.
        let body = Inner::default()
            .with_extra_field("top_k", 40)
            .with_extra_field("tokens", "many");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"top_k": 40, "tokens": "many"})
        );
    }

    #[test]
    fn an_object_with_none_of_the_fields_is_something_else() {
        let error = drift::from_str::<Object>(r#"{"message":"not found","code":404}"#).unwrap_err();
        assert!(
            error
                .message
                .contains("none of the fields of struct Object"),
            "{error}"
        );
        // One level down, it is kept as received.
        let (value, _) = round_trip::<Object>(r#"{"id":"a","role":"user","inner":{"x":1}}"#);
        assert_eq!(value.inner, None);
        let drift = value.drift();
        assert!(
            matches!(&drift[0], inner if inner.path == "inner" && matches!(inner.kind, DriftKind::Invalid { .. })),
            "{drift:?}"
        );
    }

    #[test]
    fn plain_serde_forgives_missing_and_null_in_one_pass() {
        let value: Object = serde_json::from_str(r#"{"id":null,"role":"user"}"#).unwrap();
        assert_eq!(value.drift().len(), 4);
        // A value of the wrong type needs the decode functions (a second, buffered pass).
        assert!(serde_json::from_str::<Object>(r#"{"count":"x"}"#).is_err());
        let value: Object = drift::from_str(r#"{"count":"x"}"#).unwrap();
        assert_eq!(value.count, 0);
    }

    #[test]
    fn locals_do_not_shadow_fields() {
        let json = r#"{"key":2,"map":1,"reader":3,"writer":4,"other":5}"#;
        let (value, _) = round_trip::<Shadowing>(json);
        assert_eq!(
            (value.map, value.key, value.reader, value.writer),
            (1, Some(2), Some(3), Some(4))
        );
    }

    #[test]
    fn additional_properties_are_typed_and_what_does_not_fit_is_kept() {
        let (labels, _) = round_trip::<Labels>(r#"{"name":"n","a":1,"b":"two"}"#);
        assert_eq!(labels.additional_properties.get("a"), Some(&1));
        assert_eq!(labels.drift().len(), 1);
        assert_eq!(labels.drift()[0].path, "b");
    }

    #[test]
    fn debug_shows_extra_fields_only_when_there_are_some() {
        let value: Inner = serde_json::from_str(r#"{"tokens":1}"#).unwrap();
        assert_eq!(format!("{value:?}"), "Inner { tokens: 1, list: None }");
        let value: Inner = serde_json::from_str(r#"{"tokens":1,"x":2}"#).unwrap();
        assert!(format!("{value:?}").contains("extra_fields: {\"x\": Number(2)}"));
    }

    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    enum Message {
        #[default]
        Message,
    }

    crate::runtime::model::constant_impls!(Message, "message");

    #[test]
    fn constants_are_strict() {
        assert_eq!(
            serde_json::from_str::<Message>("\"message\"").unwrap(),
            Message::Message
        );
        assert!(serde_json::from_str::<Message>("\"other\"").is_err());
        assert_eq!(
            serde_json::to_string(&Message::Message).unwrap(),
            "\"message\""
        );
        assert_eq!(Message::Message.as_str(), "message");
    }

    #[test]
    fn tag_lookup() {
        let v = json!({"type": "text", "text": "hi"});
        assert_eq!(tag_of(&v, "type"), Some("text"));
        assert_eq!(tag_of(&v, "role"), None);
    }
}
