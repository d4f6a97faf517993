//! Forgiving decoding: what a server really sends decodes, keeps every field it carried,
//! and says where it departed from the spec.
//!
//! **The rule.** A generated struct decodes from any JSON object. A required field that is
//! missing, a `null` where the spec does not allow one, and a value its declared type cannot
//! hold do not fail the decode: the field takes its type's `Default` (`0`, `""`, `false`,
//! an empty list, `None`, `Other("")` for an enum, `Unknown(null)` for a union, a struct of
//! defaults), and the struct records what happened ([`DriftKind`]) with the value as
//! received, so that encoding the struct again writes exactly what was read. Keys the
//! spec does not declare are kept ([`ExtraFields`]) and written back. A union that matches
//! none of its variants keeps the value in its `Unknown` variant.
//!
//! [`Conformance::drift`] lists every departure in a value with its path. In **strict**
//! mode ([`from_slice_strict`], or `ClientBuilder::strict(true)`) each departure is a
//! decode error naming the field instead.
//!
//! **How, and what it costs.** A struct's `Deserialize` (`object_impls!`) reads its keys in
//! one pass as before; a missing field, a `null` and an undeclared key cost nothing until
//! they happen. A value of the wrong type cannot be skipped in a streaming parse, so the
//! decode functions of this module (which every call uses) first decode at full speed and,
//! only when that fails, decode again from a parsed [`Value`], where each field is tried on
//! its own. A plain `serde_json::from_str` gets the one-pass reading only: it forgives
//! missing fields, `null`s and undeclared keys, but not a value of the wrong type.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![deny(clippy::unreachable, clippy::todo, clippy::unimplemented)]

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::runtime::error::DecodeError;

// ----------------------------------------------------------------------------------------
// What drifted
// ----------------------------------------------------------------------------------------

/// One place where a decoded value departs from the spec.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Drift {
    /// Where, from the decoded value: `usage.input_tokens_details.cache_write_tokens`,
    /// `output[0].content[1].logprobs` (`.` for the value itself).
    pub path: String,
    /// What happened there.
    pub kind: DriftKind,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "."
        } else {
            &self.path
        };
        write!(f, "`{path}`: {}", self.kind)
    }
}

/// How a value departs from the spec.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DriftKind {
    /// A required field is absent. The field holds its type's default; encoding leaves it
    /// out again.
    Missing,
    /// `null` where the spec does not allow it. The field holds its type's default (or
    /// `None`); encoding writes `null` again.
    Null,
    /// A value the field's type cannot hold. The field holds its type's default; encoding
    /// writes `value` again.
    Invalid {
        /// The value as received.
        value: Value,
        /// Why it does not fit, as the decoder said it.
        reason: String,
    },
    /// A union's value matches none of its variants; it is kept in the union's `Unknown`.
    NoVariant,
}

impl fmt::Display for DriftKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriftKind::Missing => f.write_str("a required field is missing"),
            DriftKind::Null => f.write_str("null where the spec does not allow it"),
            DriftKind::Invalid { reason, .. } => {
                write!(
                    f,
                    "a value its type cannot hold ({reason}); kept as received"
                )
            }
            DriftKind::NoVariant => {
                f.write_str("matches none of the union's variants; kept as received")
            }
        }
    }
}

/// Every generated type: where a value departs from the spec. Responses are decoded into
/// types that implement it; a hand-written type used as a response (with
/// `Client::call::<Json<MyType>>`) implements it with `impl Conformance for MyType {}`.
pub trait Conformance {
    /// Appends this value's departures to `out`, their paths starting with `path`.
    #[doc(hidden)]
    fn collect_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        let _ = (path, out);
    }

    /// Every place where this value (as decoded, or since changed) departs from the spec,
    /// with its path: empty for a value that matches it exactly.
    fn drift(&self) -> Vec<Drift> {
        let mut out = Vec::new();
        self.collect_drift(&mut String::new(), &mut out);
        out
    }
}

/// Every generated struct: the fields the spec does not declare, as received, and written
/// back when the value is encoded.
///
/// ```ignore
/// use openai_client::ExtraFields;
/// let billing = response.extra_field("billing");               // Option<&serde_json::Value>
/// let body = CreateChatCompletionRequest::new(messages, "local-model")
///     .with_extra_field("top_k", 40);                           // sent with the request
/// ```
pub trait ExtraFields {
    #[doc(hidden)]
    fn extra(&self) -> &Extra;
    #[doc(hidden)]
    fn extra_mut(&mut self) -> &mut Extra;

    /// The undeclared fields, in the order received.
    fn extra_fields(&self) -> &Map<String, Value> {
        self.extra().fields()
    }

    /// One undeclared field, by its JSON name.
    fn extra_field(&self, name: &str) -> Option<&Value> {
        self.extra().fields().get(name)
    }

    /// One undeclared field decoded into a type of your choosing (forgiving, like every decode).
    fn extra_field_as<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Option<std::result::Result<T, DecodeError>> {
        self.extra_field(name)
            .map(|value| from_value(value.clone()))
    }

    /// The undeclared fields, to add, change or remove some before encoding. A field named
    /// like a declared one replaces it on the wire.
    fn extra_fields_mut(&mut self) -> &mut Map<String, Value> {
        self.extra_mut().fields_mut()
    }

    /// Adds (or replaces) an undeclared field: sent with the value when it is encoded.
    fn with_extra_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self
    where
        Self: Sized,
    {
        self.extra_fields_mut().insert(name.into(), value.into());
        self
    }
}

// ----------------------------------------------------------------------------------------
// The decode functions
// ----------------------------------------------------------------------------------------

/// Decodes JSON into `T`, forgiving whatever departs from the spec (see the module docs):
/// it fails only on bytes that are not JSON, or JSON of the wrong kind altogether (a string
/// where `T` is an object, say). This is what every call does with a response.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<T, DecodeError> {
    decode_slice(bytes, false)
        .map_err(|(path, message)| DecodeError::standalone(path, message, bytes))
}

/// [`from_slice`] for a string.
pub fn from_str<T: DeserializeOwned>(text: &str) -> std::result::Result<T, DecodeError> {
    from_slice(text.as_bytes())
}

/// [`from_slice`] for an already-parsed value.
pub fn from_value<T: DeserializeOwned>(value: Value) -> std::result::Result<T, DecodeError> {
    decode_value(value, false)
}

/// Decodes JSON into `T` as the spec says it must be: a missing required field, a `null`
/// the spec does not allow, a value of the wrong type or a union member matching no
/// variant is an error naming the field. Undeclared fields are kept (OpenAPI objects are
/// open unless they say otherwise) and unknown enum values and union tags are kept in
/// `Other`/`Unknown` (new values are how an API grows).
pub fn from_slice_strict<T: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<T, DecodeError> {
    decode_slice(bytes, true)
        .map_err(|(path, message)| DecodeError::standalone(path, message, bytes))
}

/// [`from_slice_strict`] for a string.
pub fn from_str_strict<T: DeserializeOwned>(text: &str) -> std::result::Result<T, DecodeError> {
    from_slice_strict(text.as_bytes())
}

/// [`from_slice_strict`] for an already-parsed value.
pub fn from_value_strict<T: DeserializeOwned>(value: Value) -> std::result::Result<T, DecodeError> {
    decode_value(value, true)
}

fn decode_value<T: DeserializeOwned>(
    value: Value,
    strict: bool,
) -> std::result::Result<T, DecodeError> {
    let bytes = match serde_json::to_vec(&value) {
        Ok(bytes) => bytes,
        Err(e) => return Err(DecodeError::standalone(".".into(), e.to_string(), b"")),
    };
    let _mode = ModeGuard::set(if strict {
        Mode::Strict
    } else {
        Mode::Forgiving
    });
    match T::deserialize(&value) {
        Ok(decoded) => Ok(decoded),
        Err(_) => decode_slice(&bytes, strict)
            .map_err(|(path, message)| DecodeError::standalone(path, message, &bytes)),
    }
}

/// Decodes one JSON document: at full speed first; when that fails, forgivingly from a
/// parsed tree (or, when strict or when even that fails, a third time tracking the path
/// to name the field). The error is `(path, message)`.
#[doc(hidden)]
pub fn decode_slice<T: DeserializeOwned>(
    bytes: &[u8],
    strict: bool,
) -> std::result::Result<T, (String, String)> {
    let first = {
        let _mode = ModeGuard::set(if strict {
            Mode::Strict
        } else {
            Mode::Forgiving
        });
        match serde_json::from_slice(bytes) {
            Ok(value) => return Ok(value),
            Err(e) => e,
        }
    };
    if !strict && first.classify() == serde_json::error::Category::Data {
        if let Ok(tree) = serde_json::from_slice::<Value>(bytes) {
            let _mode = ModeGuard::set(Mode::Buffered);
            if let Ok(value) = T::deserialize(&tree) {
                return Ok(value);
            }
        }
    }
    Err(locate::<T>(bytes, strict, &first))
}

/// The path and message of a failed decode, found by decoding again through
/// `serde_path_to_error` (tracking the path on every decode would cost a third of the time).
fn locate<T: DeserializeOwned>(
    bytes: &[u8],
    strict: bool,
    first: &serde_json::Error,
) -> (String, String) {
    let _mode = ModeGuard::set(if strict {
        Mode::Strict
    } else {
        Mode::Forgiving
    });
    let _locating = Locating::start();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => {
            let path = join_path(&e.path().to_string(), &take_inner_path());
            (path, e.into_inner().to_string())
        }
        // The value itself decoded: what failed is after it (trailing characters).
        Ok(_) => (".".to_owned(), first.to_string()),
    }
}

/// The drift of a decoded value, logged at debug level when the decode recorded any.
/// `what` names the body (`POST /responses`).
#[doc(hidden)]
pub fn log_drift<T: Conformance>(value: &T, what: &dyn fmt::Display) {
    if log::log_enabled!(log::Level::Debug) {
        for drift in value.drift() {
            // The kind without the value: a log line never carries response data.
            let kind = match drift.kind {
                DriftKind::Missing => "a required field is missing",
                DriftKind::Null => "null where the spec does not allow it",
                DriftKind::Invalid { .. } => "a value its type cannot hold (kept as received)",
                DriftKind::NoVariant => "matches none of the union's variants (kept as received)",
            };
            let path = if drift.path.is_empty() {
                "."
            } else {
                &drift.path
            };
            log::debug!("{what}: the response departs from the spec at `{path}`: {kind}");
        }
    }
}

// ----------------------------------------------------------------------------------------
// Modes (per thread, set by the decode functions around one decode)
// ----------------------------------------------------------------------------------------

/// How the structs being decoded on this thread treat what departs from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Mode {
    /// One pass over the input; missing fields, `null`s and undeclared keys are recorded,
    /// a value of the wrong type fails (and the decode functions then retry `Buffered`).
    Forgiving,
    /// Every departure is an error.
    Strict,
    /// Decoding from a parsed tree: each field is read as a value first, so one that does
    /// not fit is recorded and the rest goes on.
    Buffered,
}

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Forgiving) };
    static LOCATING: Cell<bool> = const { Cell::new(false) };
    static INNER_PATH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The mode of decodes on this thread.
#[doc(hidden)]
#[inline]
pub fn mode() -> Mode {
    MODE.with(Cell::get)
}

/// Sets the mode until dropped.
#[doc(hidden)]
pub struct ModeGuard(Mode);

impl ModeGuard {
    pub fn set(mode: Mode) -> ModeGuard {
        ModeGuard(MODE.with(|m| m.replace(mode)))
    }
}

impl Drop for ModeGuard {
    fn drop(&mut self) {
        MODE.with(|m| m.set(self.0));
    }
}

/// While set, unions decoding a buffered variant track the path inside it, so that an
/// error names the field (`output[0].content[0].logprobs`, not `output[0]`).
struct Locating(bool);

impl Locating {
    fn start() -> Locating {
        INNER_PATH.with(|p| p.borrow_mut().clear());
        Locating(LOCATING.with(|l| l.replace(true)))
    }
}

impl Drop for Locating {
    fn drop(&mut self) {
        LOCATING.with(|l| l.set(self.0));
    }
}

fn take_inner_path() -> String {
    INNER_PATH.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// `outer` then `inner`, as serde_path_to_error writes paths (`.` alone is the root).
fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (_, "" | ".") => outer.to_owned(),
        ("" | ".", _) => inner.to_owned(),
        (_, _) if inner.starts_with('[') => format!("{outer}{inner}"),
        _ => format!("{outer}.{inner}"),
    }
}

// ----------------------------------------------------------------------------------------
// What a struct keeps: undeclared fields and the record of what departed
// ----------------------------------------------------------------------------------------

/// The part of a generated struct that the spec does not describe: undeclared fields and
/// the record of declared fields that did not match it. One pointer, `None` (no
/// allocation) for a value that matches the spec.
#[doc(hidden)]
#[derive(Clone, Default, PartialEq)]
pub struct Extra(Option<Box<ExtraInner>>);

#[derive(Clone, Default, PartialEq)]
struct ExtraInner {
    fields: Map<String, Value>,
    drift: Vec<FieldDrift>,
}

#[derive(Clone, PartialEq)]
struct FieldDrift {
    name: Cow<'static, str>,
    kind: DriftKind,
}

impl Extra {
    fn inner(&mut self) -> &mut ExtraInner {
        self.0.get_or_insert_with(Box::default)
    }

    fn fields(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match &self.0 {
            Some(inner) => &inner.fields,
            None => EMPTY.get_or_init(Map::new),
        }
    }

    fn fields_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.inner().fields
    }

    fn record(&mut self, name: impl Into<Cow<'static, str>>, kind: DriftKind) {
        self.inner().drift.push(FieldDrift {
            name: name.into(),
            kind,
        });
    }

    /// What was recorded for the declared field `name`, if anything.
    fn drift_of(&self, name: &str) -> Option<&DriftKind> {
        let inner = self.0.as_deref()?;
        inner
            .drift
            .iter()
            .rev()
            .find(|d| d.name == name)
            .map(|d| &d.kind)
    }

    /// Adds the undeclared fields to a struct's `Debug`, when there are any.
    pub fn debug_into(&self, f: &mut fmt::DebugStruct<'_, '_>) {
        if let Some(inner) = self.0.as_deref() {
            if !inner.fields.is_empty() {
                f.field("extra_fields", &inner.fields);
            }
            if !inner.drift.is_empty() {
                let drift: Vec<_> = inner
                    .drift
                    .iter()
                    .map(|d| format!("{}: {}", d.name, d.kind))
                    .collect();
                f.field("drift", &drift);
            }
        }
    }

    /// This struct's own records, under `path`.
    pub fn collect_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        if let Some(inner) = self.0.as_deref() {
            for d in &inner.drift {
                let len = push_field(path, &d.name);
                out.push(Drift {
                    path: path.clone(),
                    kind: d.kind.clone(),
                });
                path.truncate(len);
            }
        }
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Extra");
        self.debug_into(&mut s);
        s.finish()
    }
}

/// Appends `.name` (or `name` at the root) and returns the length to truncate back to.
fn push_field(path: &mut String, name: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
    len
}

// ----------------------------------------------------------------------------------------
// Reading a struct (called by `object_impls!`)
// ----------------------------------------------------------------------------------------

/// The state of one struct being decoded: the mode, what it records, and whether the
/// object had any of the struct's fields at all.
#[doc(hidden)]
pub struct Reader {
    mode: Mode,
    extra: Extra,
    /// What the struct is (`struct Name`), for errors.
    expecting: &'static str,
    /// Whether a declared field (or a key for a flattened member) was present.
    matched: bool,
}

impl Reader {
    #[inline(always)]
    pub fn new(expecting: &'static str) -> Reader {
        Reader {
            mode: mode(),
            extra: Extra::default(),
            expecting,
            matched: false,
        }
    }

    /// A required field that must not be `null` (`T`).
    #[inline(always)]
    pub fn required<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Option<T>, A::Error> {
        self.matched = true;
        match self.mode {
            Mode::Forgiving => {
                let value = map.next_value::<Option<T>>()?;
                if value.is_none() {
                    self.null(name);
                }
                Ok(value)
            }
            Mode::Strict => map.next_value_seed(NotNull::<T>(PhantomData)),
            Mode::Buffered => Ok(self.buffered(map, name, false)?.flatten()),
        }
    }

    /// A required field whose type takes `null` itself (any JSON value).
    #[inline(always)]
    pub fn required_any<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Option<T>, A::Error> {
        self.matched = true;
        match self.mode {
            Mode::Buffered => Ok(self.buffered(map, name, true)?.flatten()),
            _ => map.next_value().map(Some),
        }
    }

    /// A required, nullable field (`Option<T>`, `null` is `None`).
    #[inline(always)]
    pub fn required_nullable<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Option<Option<T>>, A::Error> {
        self.nullable(map, name)
    }

    /// An optional field that must not be `null` (`Option<T>`).
    #[inline(always)]
    pub fn option<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Option<T>, A::Error> {
        self.required(map, name)
    }

    /// An optional field whose type takes `null` itself (`Option<Value>`: `null` is `Some(Null)`).
    #[inline(always)]
    pub fn option_any<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Option<T>, A::Error> {
        self.required_any(map, name)
    }

    /// An optional, nullable field (`Option<Option<T>>`: absent, `null`, a value).
    #[inline(always)]
    pub fn nullable<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Option<Option<T>>, A::Error> {
        self.matched = true;
        match self.mode {
            Mode::Buffered => self.buffered_nullable(map, name),
            _ => map.next_value::<Option<T>>().map(Some),
        }
    }

    /// A `null` where the spec does not allow one, while forgiving.
    #[cold]
    fn null(&mut self, name: &'static str) {
        self.extra.record(name, DriftKind::Null);
    }

    /// Reads the value as JSON, then tries `T` on it: `Ok(None)` for a `null` (recorded
    /// unless `null_ok`), `Ok(Some(None))` for a value that does not fit (recorded).
    #[cold]
    fn buffered<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
        null_ok: bool,
    ) -> Result<Option<Option<T>>, A::Error> {
        let raw: Value = map.next_value()?;
        if raw.is_null() && !null_ok {
            self.extra.record(name, DriftKind::Null);
            return Ok(None);
        }
        Ok(Some(self.try_value(raw, name)))
    }

    /// [`Reader::buffered`] for a nullable field.
    #[cold]
    fn buffered_nullable<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Option<Option<T>>, A::Error> {
        let raw: Value = map.next_value()?;
        if raw.is_null() {
            return Ok(Some(None));
        }
        Ok(self.try_value(raw, name).map(Some))
    }

    fn try_value<T: DeserializeOwned>(
        &mut self,
        raw: Value,
        name: impl Into<Cow<'static, str>>,
    ) -> Option<T> {
        match T::deserialize(&raw) {
            Ok(value) => Some(value),
            Err(e) => {
                self.extra.record(
                    name,
                    DriftKind::Invalid {
                        value: raw,
                        reason: e.to_string(),
                    },
                );
                None
            }
        }
    }

    /// A key the struct does not declare: kept as received.
    pub fn undeclared<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        key: crate::runtime::model::Key<'de>,
    ) -> Result<(), A::Error> {
        let value: Value = map.next_value()?;
        self.extra.fields_mut().insert(key.into_string(), value);
        Ok(())
    }

    /// A key the struct does not declare, into its typed `additionalProperties` map.
    pub fn additional<'de, T: DeserializeOwned, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        key: crate::runtime::model::Key<'de>,
        into: &mut BTreeMap<String, T>,
    ) -> Result<(), A::Error> {
        let key = key.into_string();
        if self.mode == Mode::Buffered {
            let raw: Value = map.next_value()?;
            if let Some(value) = self.try_value(raw, key.clone()) {
                into.insert(key, value);
            }
            return Ok(());
        }
        let value = map.next_value()?;
        into.insert(key, value);
        Ok(())
    }

    /// The keys left after the declared ones, decoded as a flattened member (a union).
    pub fn flattened<T: DeserializeOwned, E: de::Error>(
        &mut self,
        rest: Map<String, Value>,
    ) -> Result<T, E> {
        self.matched |= !rest.is_empty();
        T::deserialize(Value::Object(rest)).map_err(E::custom)
    }

    /// The value of a required field once every key is read: missing is recorded (an
    /// error when strict) and the field takes its default. An object with none of the
    /// struct's fields is not this struct with everything missing but something else: an
    /// error in every mode (kept as received one level up, when there is one).
    #[inline(always)]
    pub fn take<T: Default, E: de::Error>(
        &mut self,
        slot: Option<T>,
        name: &'static str,
    ) -> Result<T, E> {
        match slot {
            Some(value) => Ok(value),
            None => self.missing(name).map(|()| T::default()),
        }
    }

    /// A required field without a value once every key is read.
    #[cold]
    fn missing<E: de::Error>(&mut self, name: &'static str) -> Result<(), E> {
        if self.extra.drift_of(name).is_some() {
            // `null` or a value that did not fit: recorded when read.
            return Ok(());
        }
        if self.mode == Mode::Strict {
            return Err(E::missing_field(name));
        }
        if !self.matched {
            return Err(E::custom(format_args!(
                "an object with none of the fields of {} (missing field `{name}`)",
                self.expecting
            )));
        }
        self.extra.record(name, DriftKind::Missing);
        Ok(())
    }

    /// What the struct keeps besides its declared fields.
    #[inline(always)]
    pub fn finish(self) -> Extra {
        self.extra
    }
}

/// Reads `T` where `null` is an error naming the field (inside the value, so that a
/// located error's path ends at the field): how a strict decode reads a non-nullable field.
struct NotNull<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for NotNull<T> {
    type Value = Option<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(NotNullVisitor::<T>(PhantomData))
    }
}

struct NotNullVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for NotNullVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value other than null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Err(E::custom("null where the spec does not allow it"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        self.visit_none()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize(deserializer).map(Some)
    }
}

// ----------------------------------------------------------------------------------------
// Writing a struct (called by `object_impls!`)
// ----------------------------------------------------------------------------------------

/// Writes one struct as a JSON object: declared fields as held, except where the decode
/// recorded a departure and the field still holds its default (then what was received is
/// written again); then the undeclared fields.
#[doc(hidden)]
pub struct Writer<'a, M> {
    map: M,
    extra: &'a Extra,
    /// Whether the slow checks are needed at all (drift recorded or fields added).
    touched: bool,
}

impl<'a, M: SerializeMap> Writer<'a, M> {
    pub fn new<S: Serializer<SerializeMap = M>>(
        serializer: S,
        extra: &'a Extra,
    ) -> Result<Self, S::Error> {
        Ok(Writer {
            map: serializer.serialize_map(None)?,
            extra,
            touched: extra.0.is_some(),
        })
    }

    /// What to write for a declared field instead of its value: `None` to write the value.
    /// `untouched` says whether the field still holds what the decode put there.
    fn replacement(&self, name: &str, untouched: bool) -> Option<Replacement<'a>> {
        if !self.touched {
            return None;
        }
        if self.extra.fields().contains_key(name) {
            return Some(Replacement::Skip);
        }
        if !untouched {
            return None;
        }
        Some(match self.extra.drift_of(name)? {
            DriftKind::Missing | DriftKind::NoVariant => Replacement::Skip,
            DriftKind::Null => Replacement::Null,
            DriftKind::Invalid { value, .. } => Replacement::Raw(value),
        })
    }

    fn replace(&mut self, name: &str, replacement: Replacement<'_>) -> Result<(), M::Error> {
        match replacement {
            Replacement::Skip => Ok(()),
            Replacement::Null => self.map.serialize_entry(name, &()),
            Replacement::Raw(value) => self.map.serialize_entry(name, value),
        }
    }

    /// A required field (`T`).
    pub fn required<T: Serialize + Default + PartialEq>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), M::Error> {
        if self.touched {
            let untouched = *value == T::default();
            if let Some(replacement) = self.replacement(name, untouched) {
                return self.replace(name, replacement);
            }
        }
        self.map.serialize_entry(name, value)
    }

    /// A required field whose type takes `null` itself.
    pub fn required_any<T: Serialize + Default + PartialEq>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.required(name, value)
    }

    /// A required, nullable field (`Option<T>`; `None` is written as `null`).
    pub fn required_nullable<T: Serialize>(
        &mut self,
        name: &str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        if let Some(replacement) = self.replacement(name, value.is_none()) {
            return self.replace(name, replacement);
        }
        self.map.serialize_entry(name, value)
    }

    /// An optional field (`Option<T>`; `None` is left out).
    pub fn option<T: Serialize>(&mut self, name: &str, value: &Option<T>) -> Result<(), M::Error> {
        if let Some(replacement) = self.replacement(name, value.is_none()) {
            return self.replace(name, replacement);
        }
        match value {
            Some(value) => self.map.serialize_entry(name, value),
            None => Ok(()),
        }
    }

    /// An optional field whose type takes `null` itself.
    pub fn option_any<T: Serialize>(
        &mut self,
        name: &str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        self.option(name, value)
    }

    /// An optional, nullable field (`Option<Option<T>>`).
    pub fn nullable<T: Serialize>(
        &mut self,
        name: &str,
        value: &Option<Option<T>>,
    ) -> Result<(), M::Error> {
        self.option(name, value)
    }

    /// The typed `additionalProperties` map.
    pub fn additional<T: Serialize>(&mut self, map: &BTreeMap<String, T>) -> Result<(), M::Error> {
        for (key, value) in map {
            if !self.touched || !self.extra.fields().contains_key(key) {
                self.map.serialize_entry(key, value)?;
            }
        }
        Ok(())
    }

    /// A flattened member: its entries at this level.
    pub fn flattened<T: Serialize>(&mut self, value: &T) -> Result<(), M::Error> {
        match serde_json::to_value(value) {
            Ok(Value::Object(entries)) => {
                for (key, value) in &entries {
                    if !self.touched || !self.extra.fields().contains_key(key) {
                        self.map.serialize_entry(key, value)?;
                    }
                }
                Ok(())
            }
            Ok(Value::Null) => Ok(()),
            Ok(other) => Err(serde::ser::Error::custom(format!(
                "a flattened member must be an object, not {other}"
            ))),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }

    /// Writes what the decode kept of undeclared keys and values that did not fit the
    /// `additionalProperties` type, then ends the object.
    pub fn end(mut self) -> Result<M::Ok, M::Error> {
        if let Some(inner) = self.extra.0.as_deref() {
            for (key, value) in &inner.fields {
                self.map.serialize_entry(key, value)?;
            }
            for drift in &inner.drift {
                // A declared field's record was handled with the field; a record under
                // another name is an `additionalProperties` value that did not fit.
                if let (Cow::Owned(key), DriftKind::Invalid { value, .. }) =
                    (&drift.name, &drift.kind)
                {
                    if !inner.fields.contains_key(key) {
                        self.map.serialize_entry(key, value)?;
                    }
                }
            }
        }
        self.map.end()
    }
}

enum Replacement<'a> {
    Skip,
    Null,
    Raw(&'a Value),
}

// ----------------------------------------------------------------------------------------
// Unions
// ----------------------------------------------------------------------------------------

/// Decodes a variant from a union's buffered value. When strict and locating an error, the
/// path inside the variant is kept so the error names the field.
#[doc(hidden)]
pub fn variant<T: DeserializeOwned, E: de::Error>(value: Value) -> Result<T, E> {
    if LOCATING.with(Cell::get) {
        INNER_PATH.with(|p| p.borrow_mut().clear());
        return match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(decoded) => Ok(decoded),
            Err(e) => {
                let inner = join_path(&e.path().to_string(), &take_inner_path());
                INNER_PATH.with(|p| *p.borrow_mut() = inner);
                Err(E::custom(e.into_inner()))
            }
        };
    }
    T::deserialize(value).map_err(E::custom)
}

/// Why one variant of a union did not decode: where inside the value, and what.
#[doc(hidden)]
pub struct Failure {
    path: String,
    message: String,
}

/// One way to read a union's value: a variant's type, wrapped in the union. The flag asks
/// for the path of a failure (only when locating an error).
#[doc(hidden)]
pub type Try<U> = fn(&Value, bool) -> Result<U, Failure>;

/// Decodes `value` as `T` and wraps it as a variant of a union: the body of each [`Try`].
#[doc(hidden)]
pub fn attempt<T: DeserializeOwned, U>(
    value: &Value,
    locate: bool,
    wrap: fn(T) -> U,
) -> Result<U, Failure> {
    if !locate {
        return T::deserialize(value).map(wrap).map_err(|e| Failure {
            path: String::new(),
            message: e.to_string(),
        });
    }
    INNER_PATH.with(|p| p.borrow_mut().clear());
    serde_path_to_error::deserialize::<_, T>(value)
        .map(wrap)
        .map_err(|e| Failure {
            path: join_path(&e.path().to_string(), &take_inner_path()),
            message: e.into_inner().to_string(),
        })
}

/// Decodes a union whose variant the value does not name on its own (an untagged union, or
/// tagged variants sharing a tag value): the first variant that matches the spec exactly,
/// in order; when none does and decoding forgives, the variant that fits best ([`fit`]),
/// else `unknown`. Strict (or with no variant and no `unknown`), the error names the field
/// inside the variant that got furthest, and each variant's failure.
#[doc(hidden)]
pub fn pick<U: Conformance, E: de::Error>(
    value: Value,
    name: &str,
    tries: &[(&str, Try<U>)],
    unknown: Option<fn(Value) -> U>,
) -> Result<U, E> {
    let mode = mode();
    let locating = LOCATING.with(Cell::get);
    let mut failures = Vec::new();
    {
        let _strict = ModeGuard::set(Mode::Strict);
        for (variant, try_variant) in tries {
            match try_variant(&value, locating) {
                Ok(decoded) => return Ok(decoded),
                Err(failure) => failures.push((*variant, failure)),
            }
        }
    }
    if mode != Mode::Strict {
        let _buffered = ModeGuard::set(Mode::Buffered);
        let mut best: Option<((usize, usize), U)> = None;
        for (_, try_variant) in tries {
            if let Ok(decoded) = try_variant(&value, false) {
                let score = fit(&decoded.drift());
                if best.as_ref().is_none_or(|(least, _)| score < *least) {
                    best = Some((score, decoded));
                }
            }
        }
        if let Some((_, decoded)) = best {
            return Ok(decoded);
        }
        if let Some(unknown) = unknown {
            return Ok(unknown(value));
        }
    }
    Err(no_variant(name, failures, locating))
}

/// How badly a forgiving decode fits a union's variant, smaller is better: first the
/// departures of the variant's own fields (a wrong tag or role, a missing id: the value is
/// likely another variant), then all of them (a `null` deep inside the content says little
/// about which variant the value is).
fn fit(drift: &[Drift]) -> (usize, usize) {
    let own = drift
        .iter()
        .filter(|d| !d.path.contains(['.', '[']))
        .count();
    (own, drift.len())
}

/// The error of a union value that matches none of its variants.
fn no_variant<E: de::Error>(name: &str, failures: Vec<(&str, Failure)>, locating: bool) -> E {
    let detail = failures
        .iter()
        .map(|(variant, f)| match f.path.as_str() {
            "" | "." => format!("{variant}: {}", f.message),
            path => format!("{variant} at `{path}`: {}", f.message),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if locating {
        // The variant that got furthest names the field: its path is the longest.
        if let Some((_, closest)) = failures.iter().max_by_key(|(_, f)| f.path.len()) {
            let path = closest.path.clone();
            INNER_PATH.with(|p| *p.borrow_mut() = path);
        }
    }
    E::custom(format!("matches no variant of `{name}` ({detail})"))
}

/// A tagged union's value without its tag (or with one that is not a string): strict, an
/// error; forgiving, kept in `Unknown` (and reported by [`unknown_tagged`]).
#[doc(hidden)]
pub fn missing_tag<U, E: de::Error>(
    value: Value,
    name: &str,
    tag: &str,
    unknown: fn(Value) -> U,
) -> Result<U, E> {
    if mode() == Mode::Strict {
        return Err(E::custom(format!(
            "`{name}` needs its tag `{tag}`, a string, to tell its variants apart"
        )));
    }
    Ok(unknown(value))
}

/// The drift of a tagged union's `Unknown` value: none for an object with a tag this client
/// does not know (a new variant is how an API grows), [`DriftKind::NoVariant`] for anything
/// else. `null` is the placeholder of a missing field, reported by the field.
#[doc(hidden)]
pub fn unknown_tagged(value: &Value, tag: &str, path: &str, out: &mut Vec<Drift>) {
    if !value.is_null() && crate::runtime::model::tag_of(value, tag).is_none() {
        no_variant_here(value, path, out);
    }
}

/// The drift of an untagged union's `Unknown` value (`null` is the placeholder of a missing
/// field, reported by the field).
#[doc(hidden)]
pub fn no_variant_here(value: &Value, path: &str, out: &mut Vec<Drift>) {
    if !value.is_null() {
        out.push(Drift {
            path: path.to_owned(),
            kind: DriftKind::NoVariant,
        });
    }
}

// ----------------------------------------------------------------------------------------
// Conformance of the types generated code uses
// ----------------------------------------------------------------------------------------

/// Visits a declared field: its departures, under `path.name`.
#[doc(hidden)]
pub fn visit<T: Conformance + ?Sized>(
    value: &T,
    path: &mut String,
    name: &str,
    out: &mut Vec<Drift>,
) {
    let len = push_field(path, name);
    value.collect_drift(path, out);
    path.truncate(len);
}

macro_rules! always_conforms {
    ($($ty:ty),* $(,)?) => {
        $(impl Conformance for $ty {})*
    };
}

always_conforms!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    String,
    Value,
    Map<String, Value>,
    (),
    crate::runtime::model::InputFile,
);

impl<T: Conformance> Conformance for Vec<T> {
    fn collect_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        use std::fmt::Write as _;
        for (index, item) in self.iter().enumerate() {
            let len = path.len();
            let _ = write!(path, "[{index}]");
            item.collect_drift(path, out);
            path.truncate(len);
        }
    }
}

impl<T: Conformance> Conformance for Option<T> {
    fn collect_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        if let Some(value) = self {
            value.collect_drift(path, out);
        }
    }
}

impl<T: Conformance + ?Sized> Conformance for Box<T> {
    fn collect_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        (**self).collect_drift(path, out);
    }
}

impl<T: Conformance> Conformance for BTreeMap<String, T> {
    fn collect_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        for (key, value) in self {
            visit(value, path, key, out);
        }
    }
}
