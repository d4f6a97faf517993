//! Support for the generated types: open string enums, three-state fields,
//! tagged-union dispatch and file values.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, Serializer};

/// Deserializes a field that may be absent, `null` or a value into `Option<Option<T>>`:
/// absent → `None` (through `#[serde(default)]`), `null` → `Some(None)`, a value → `Some(Some(v))`.
/// Paired with `skip_serializing_if = "Option::is_none"`, it writes back exactly what it read.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

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

/// A generated struct's `Deserialize`, as one pass over the object's keys into a local per
/// field: `object_impls!(Name, { field: kind "json name", ... } [, additional_properties])`.
/// The kind says how a field's three states are read: `required` (`T`, must be present),
/// `option` (`Option<T>`: absent and `null` are `None`) and `nullable` (`Option<Option<T>>`:
/// absent is `None`, `null` is `Some(None)`). With `additional_properties`, undeclared keys
/// are kept in that map; otherwise they are skipped. The locals the expansion adds (`map`,
/// `key`) are hygienic, so no field name can shadow them.
#[macro_export]
#[doc(hidden)]
macro_rules! __object_impls {
    (@read required $map:ident) => { ::std::option::Option::Some($map.next_value()?) };
    (@read option $map:ident) => { $map.next_value()? };
    (@read nullable $map:ident) => { ::std::option::Option::Some($map.next_value()?) };
    (@take required $field:ident $json:literal) => {
        $crate::runtime::model::required($field, $json)?
    };
    (@take option $field:ident $json:literal) => { $field };
    (@take nullable $field:ident $json:literal) => { $field };
    (@unknown $map:ident $key:ident) => { $crate::runtime::model::skip_value(&mut $map)? };
    (@unknown $map:ident $key:ident $additional:ident) => {{
        let value = $map.next_value()?;
        $additional.insert($key.into_string(), value);
    }};
    ($name:ident, { $($field:ident: $kind:ident $json:literal),* $(,)? } $(, $additional:ident)? $(,)?) => {
        impl $crate::runtime::model::FromMap for $name {
            const EXPECTING: &'static str = ::std::concat!("struct ", ::std::stringify!($name));
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                $(let mut $additional = ::std::collections::BTreeMap::new();)?
                while let ::std::option::Option::Some(key) =
                    map.next_key::<$crate::runtime::model::Key<'de>>()?
                {
                    match key.as_str() {
                        $($json => $field = $crate::__object_impls!(@read $kind map),)*
                        _ => $crate::__object_impls!(@unknown map key $($additional)?),
                    }
                }
                ::std::result::Result::Ok(Self {
                    $($field: $crate::__object_impls!(@take $kind $field $json),)*
                    $($additional,)?
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

/// The value of a required field, or serde's "missing field" error.
pub fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// Reads and discards the value of a key the type does not declare.
pub fn skip_value<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// The string value of `tag` in a JSON object, if it has one.
pub fn tag_of<'a>(value: &'a serde_json::Value, tag: &str) -> Option<&'a str> {
    value.get(tag).and_then(serde_json::Value::as_str)
}

/// Decodes one variant of a tagged union from the already-buffered object.
pub fn variant_from_value<T: DeserializeOwned, E: de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
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

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Default)]
    struct Fields {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "nullable"
        )]
        both: Option<Option<u32>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        optional: Option<u32>,
        required_nullable: Option<u32>,
    }

    #[test]
    fn open_enum_round_trips_unknown_values() {
        let known: Role = serde_json::from_str("\"system\"").unwrap();
        assert_eq!(known, Role::System);
        let unknown: Role = serde_json::from_str("\"critic\"").unwrap();
        assert_eq!(unknown, Role::Other("critic".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"critic\"");
        assert_eq!(Role::from("user"), Role::User);
        assert_eq!(Role::User.to_string(), "user");
    }

    /// A struct with every kind of field, read through `object_impls!`.
    #[derive(Debug, PartialEq)]
    struct Object {
        id: String,
        both: Option<Option<u32>>,
        optional: Option<u32>,
        required_nullable: Option<u32>,
        additional_properties: std::collections::BTreeMap<String, serde_json::Value>,
    }

    crate::runtime::model::object_impls!(Object, {
        id: required "id",
        both: nullable "both",
        optional: option "optional",
        required_nullable: option "required_nullable",
    }, additional_properties);

    /// A field named like the expansion's own locals.
    #[derive(Debug, PartialEq)]
    struct Shadowing {
        map: u32,
        key: Option<u32>,
    }

    crate::runtime::model::object_impls!(Shadowing, { map: required "map", key: option "key" });

    /// No declared fields: every key is skipped.
    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::runtime::model::object_impls!(Empty, {});

    #[test]
    fn from_map_reads_the_three_states_and_keeps_undeclared_keys() {
        let absent: Object = serde_json::from_str(r#"{"id":"a"}"#).unwrap();
        assert_eq!((absent.both, absent.optional), (None, None));
        assert_eq!(absent.required_nullable, None);
        let null: Object = serde_json::from_str(
            r#"{"id":"a","both":null,"optional":null,"required_nullable":null}"#,
        )
        .unwrap();
        assert_eq!((null.both, null.optional), (Some(None), None));
        let full: Object = serde_json::from_str(
            r#"{"both":3,"optional":4,"required_nullable":5,"extra":[1],"id":"a"}"#,
        )
        .unwrap();
        assert_eq!(full.both, Some(Some(3)));
        assert_eq!((full.optional, full.required_nullable), (Some(4), Some(5)));
        assert_eq!(full.additional_properties["extra"], serde_json::json!([1]));
        // Through a `Value` (keys arrive owned) and with an escaped key (not borrowable).
        let owned: Object =
            serde_json::from_value(serde_json::json!({"id": "b", "both": 1})).unwrap();
        assert_eq!((owned.id.as_str(), owned.both), ("b", Some(Some(1))));
        let escaped: Object = serde_json::from_str(r#"{"\u0069d":"c"}"#).unwrap();
        assert_eq!(escaped.id, "c");
    }

    #[test]
    fn from_map_errors_name_the_field() {
        let missing = serde_json::from_str::<Object>(r#"{"both":1}"#).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `id`"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<Object>(r#"{"id":"a","optional":"x"}"#).unwrap_err();
        assert!(wrong.to_string().contains("expected u32"), "{wrong}");
        let not_object = serde_json::from_str::<Object>("[1]").unwrap_err();
        assert!(
            not_object.to_string().contains("expected struct Object"),
            "{not_object}"
        );
        let mut deserializer = serde_json::Deserializer::from_str(r#"{"id":"a","both":"x"}"#);
        let located = serde_path_to_error::deserialize::<_, Object>(&mut deserializer).unwrap_err();
        assert_eq!(located.path().to_string(), "both");
    }

    #[test]
    fn from_map_locals_do_not_shadow_fields() {
        let value: Shadowing = serde_json::from_str(r#"{"key":2,"map":1,"other":3}"#).unwrap();
        assert_eq!(
            value,
            Shadowing {
                map: 1,
                key: Some(2)
            }
        );
        let empty: Empty = serde_json::from_str(r#"{"a":{"b":[1]}}"#).unwrap();
        assert_eq!(empty, Empty {});
    }

    #[test]
    fn three_states_of_a_field() {
        let absent: Fields = serde_json::from_str(r#"{"required_nullable":null}"#).unwrap();
        assert_eq!(absent.both, None);
        assert_eq!(
            serde_json::to_string(&absent).unwrap(),
            r#"{"required_nullable":null}"#
        );
        let null: Fields = serde_json::from_str(r#"{"both":null,"required_nullable":1}"#).unwrap();
        assert_eq!(null.both, Some(None));
        assert_eq!(
            serde_json::to_string(&null).unwrap(),
            r#"{"both":null,"required_nullable":1}"#
        );
        let value: Fields =
            serde_json::from_str(r#"{"both":3,"optional":4,"required_nullable":1}"#).unwrap();
        assert_eq!(value.both, Some(Some(3)));
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"both":3,"optional":4,"required_nullable":1}"#
        );
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
        let v = serde_json::json!({"type": "text", "text": "hi"});
        assert_eq!(tag_of(&v, "type"), Some("text"));
        assert_eq!(tag_of(&v, "role"), None);
    }
}
