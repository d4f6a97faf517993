//! A flat view of an `openapiv3` schema. The crate splits schemas into typed variants
//! and a catch-all (`AnySchema`) for mixed keywords; lowering wants one shape.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema position: a `$ref` or an inline schema.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

#[derive(Debug)]
pub struct View<'a> {
    pub data: &'a SchemaData,
    pub ty: Option<&'a str>,
    pub format: Option<String>,
    /// `enum` values, `null` removed (it only makes the schema nullable).
    pub enum_values: Vec<Value>,
    pub enum_has_null: bool,
    pub properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<SchemaRef<'a>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub not: Option<&'a ReferenceOr<Schema>>,
}

const NONE: &[ReferenceOr<Schema>] = &[];

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> View<'a> {
        let mut view = View {
            data: &schema.schema_data,
            ty: None,
            format: None,
            enum_values: Vec::new(),
            enum_has_null: false,
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            one_of: NONE,
            any_of: NONE,
            all_of: NONE,
            not: None,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.ty = Some("string");
                view.format = match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary".into()),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".into()),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date".into()),
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                        Some("date-time".into())
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
                        Some("password".into())
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                view.set_enum(
                    s.enumeration
                        .iter()
                        .map(|v| v.clone().map_or(Value::Null, Value::String)),
                );
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.ty = Some("number");
                view.format = format_name(&n.format);
                view.set_enum(
                    n.enumeration
                        .iter()
                        .map(|v| v.map_or(Value::Null, Value::from)),
                );
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.ty = Some("integer");
                view.format = format_name(&i.format);
                view.set_enum(
                    i.enumeration
                        .iter()
                        .map(|v| v.map_or(Value::Null, Value::from)),
                );
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.ty = Some("boolean");
                view.set_enum(
                    b.enumeration
                        .iter()
                        .map(|v| v.map_or(Value::Null, Value::Bool)),
                );
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.ty = Some("object");
                view.properties = o
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.into()))
                    .collect();
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.ty = Some("array");
                view.items = a.items.as_ref().map(Into::into);
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { not } => view.not = Some(not),
            SchemaKind::Any(any) => {
                view.ty = any.typ.as_deref();
                view.format = any.format.clone();
                view.set_enum(any.enumeration.iter().cloned());
                view.properties = any
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.into()))
                    .collect();
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref().map(Into::into);
                view.one_of = &any.one_of;
                view.all_of = &any.all_of;
                view.any_of = &any.any_of;
                view.not = any.not.as_deref();
            }
        }
        view
    }

    fn set_enum(&mut self, values: impl Iterator<Item = Value>) {
        for v in values {
            if v.is_null() {
                self.enum_has_null = true;
            } else {
                self.enum_values.push(v);
            }
        }
    }

    /// The enum's values when every one is a string.
    pub fn string_enum(&self) -> Option<Vec<&str>> {
        if self.enum_values.is_empty() || matches!(self.ty, Some(t) if t != "string") {
            return None;
        }
        self.enum_values.iter().map(Value::as_str).collect()
    }

    pub fn is_object_like(&self) -> bool {
        self.ty == Some("object") || !self.properties.is_empty()
    }

    /// The members of `oneOf` or `anyOf` (whichever is present).
    pub fn union_members(&self) -> &'a [ReferenceOr<Schema>] {
        if !self.one_of.is_empty() {
            self.one_of
        } else {
            self.any_of
        }
    }
}

fn format_name<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_lowercase()),
        VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
