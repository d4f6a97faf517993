//! IR types → Rust items (`src/types.rs` of the generated crate).

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::docs::{DocStyle, doc_lines};
use crate::features::{Features, Gate};
use crate::ir::{
    Docs, Field, Struct, Tagged, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace, Variant,
};

/// Every type in emission order: sorted by name, so the output does not depend on lowering
/// order.
pub fn sorted(space: &TypeSpace) -> Vec<TypeId> {
    let mut ids: Vec<TypeId> = (0..space.types.len()).map(TypeId).collect();
    ids.sort_by(|a, b| space.get(*a).name.cmp(&space.get(*b).name));
    ids
}

/// The inner attributes that open `src/types.rs`, before its first item.
pub fn file_attrs() -> TokenStream {
    quote! {
        //! Every schema of the API as a Rust type.
        // Names and shapes come from the spec: variant names may share a suffix, unions
        // may hold variants of very different sizes, and constructors take every required
        // field. Deprecated types are still used by the types that hold them.
        #![allow(
            deprecated,
            clippy::too_many_arguments,
            clippy::large_enum_variant,
            clippy::enum_variant_names,
            clippy::should_implement_trait,
            clippy::wrong_self_convention
        )]
    }
}

/// One type and its impls, each carrying the `#[cfg]` of the resource features that need it.
pub fn type_items(
    space: &TypeSpace,
    id: TypeId,
    features: &Features,
    style: &DocStyle,
) -> TokenStream {
    type_def(space, space.get(id), &cfg(&features.of_type(id)), style)
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The `#[cfg(...)]` attribute of a gate (nothing when the item is always compiled).
pub fn cfg(gate: &Gate) -> TokenStream {
    match gate {
        Gate::Always => quote!(),
        Gate::AnyOf(features) if features.len() == 1 => {
            let feature = &features[0];
            quote!(#[cfg(feature = #feature)])
        }
        Gate::AnyOf(features) => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// The Rust spelling of a type expression, with absolute paths so a schema named
/// `String` or `Option` cannot capture it.
pub fn type_ref(space: &TypeSpace, ty: &TypeRef) -> TokenStream {
    type_ref_in(space, ty, &quote!())
}

/// [`type_ref`] for code outside the types module: named types get `prefix` (`crate::types::`).
pub fn type_ref_in(space: &TypeSpace, ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&space.get(*id).name);
            quote!(#prefix #name)
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::Int(int) => {
            let int = ident(int.rust_name());
            quote!(#int)
        }
        TypeRef::F64 => quote!(f64),
        TypeRef::Binary => quote!(crate::runtime::model::InputFile),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        TypeRef::Vec(item) => {
            let item = type_ref_in(space, item, prefix);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_ref_in(space, value, prefix);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_ref_in(space, inner, prefix);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

fn doc_attrs(docs: &Docs, style: &DocStyle, fallback: Option<&str>) -> TokenStream {
    let mut lines = Vec::new();
    if let Some(title) = &docs.title
        && docs
            .description
            .as_deref()
            .is_none_or(|d| !d.contains(title.as_str()))
    {
        lines.extend(doc_lines(title, style));
    }
    if let Some(description) = &docs.description {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(doc_lines(description, style));
    }
    if lines.is_empty()
        && let Some(fallback) = fallback
    {
        lines.push(fallback.to_string());
    }
    if let Some(default) = &docs.default {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!(
            "The API's default: `{}`.",
            default.to_string().replace('`', "'")
        ));
    }
    if let Some(from) = &docs.from {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("From [`{from}`]."));
    }
    let attrs = lines.iter().map(|line| {
        let line = format!(" {}", line.replace('\t', "    "));
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            line
        };
        quote!(#[doc = #line])
    });
    let deprecated = docs.deprecated.then(|| quote!(#[deprecated]));
    quote!(#(#attrs)* #deprecated)
}

fn type_def(space: &TypeSpace, def: &TypeDef, cfg: &TokenStream, style: &DocStyle) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs, style, None);
    match &def.kind {
        TypeKind::Alias(target) => {
            let target = type_ref(space, target);
            quote! { #docs #cfg pub type #name = #target; }
        }
        TypeKind::Struct(s) => struct_def(space, &name, &docs, cfg, s, style),
        TypeKind::StringEnum(values) => {
            let variants = values.iter().map(|v| {
                let variant = ident(&v.variant);
                let doc = format!(" `{}`", v.value.replace('`', "'"));
                quote!(#[doc = #doc] #variant,)
            });
            let as_str = values.iter().map(|v| {
                let (variant, value) = (ident(&v.variant), &v.value);
                quote!(Self::#variant => #value,)
            });
            let from = values.iter().map(|v| {
                let (variant, value) = (ident(&v.variant), &v.value);
                quote!(#value => Self::#variant,)
            });
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value this version of the client does not know, kept as received.
                    Other(::std::string::String),
                }
                #cfg
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#as_str)*
                            Self::Other(other) => other,
                        }
                    }
                }
                #cfg
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #(#from)*
                            other => Self::Other(other.to_owned()),
                        }
                    }
                }
                #cfg
                crate::runtime::model::string_enum_impls!(#name);
            }
        }
        TypeKind::Constant(value) => {
            let variant = ident(&value.variant);
            let literal = &value.value;
            let doc = format!(" `{}`", literal.replace('`', "'"));
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
                pub enum #name {
                    #[doc = #doc]
                    #[default]
                    #variant,
                }
                #cfg
                crate::runtime::model::constant_impls!(#name, #literal);
            }
        }
        TypeKind::Tagged(tagged) => tagged_def(space, &name, &docs, cfg, tagged, style),
        TypeKind::Untagged(variants) => untagged_def(space, &name, &docs, cfg, variants, style),
    }
}

/// How a field holds its value, from `required` and `nullable`.
enum Holding {
    /// Required and not nullable: `T`.
    Plain,
    /// Either absent or `null` is possible, not both: `Option<T>`.
    Optional,
    /// Optional and nullable, the three states of absent, `null` and a value kept apart:
    /// `Option<Option<T>>`.
    OptionalNullable,
}

fn holding(f: &Field) -> Holding {
    match (f.required, f.nullable) {
        (true, false) => Holding::Plain,
        (true, true) | (false, false) => Holding::Optional,
        (false, true) => Holding::OptionalNullable,
    }
}

/// How a field is held: the three states of absent, `null` and a value are independent.
pub(crate) fn field_type(space: &TypeSpace, f: &Field) -> TokenStream {
    let inner = type_ref(space, &f.ty);
    match holding(f) {
        Holding::Plain => inner,
        Holding::Optional => quote!(::std::option::Option<#inner>),
        Holding::OptionalNullable => {
            quote!(::std::option::Option<::std::option::Option<#inner>>)
        }
    }
}

/// A required field holding a single constant (a type tag such as `type: "message"`).
pub(crate) fn is_constant(space: &TypeSpace, f: &Field) -> bool {
    let TypeRef::Named(id) = &f.ty else {
        return false;
    };
    f.required && !f.nullable && matches!(&space.get(*id).kind, TypeKind::Constant(_))
}

/// How many constant fields a variant's struct pins down: of several variants sharing a
/// tag value, the most constrained is tried first.
fn constant_count(space: &TypeSpace, ty: &TypeRef) -> usize {
    let TypeRef::Named(id) = ty else { return 0 };
    match &space.get(*id).kind {
        TypeKind::Struct(s) => s.fields.iter().filter(|f| is_constant(space, f)).count(),
        TypeKind::Alias(inner) => constant_count(space, inner),
        _ => 0,
    }
}

fn struct_def(
    space: &TypeSpace,
    name: &Ident,
    docs: &TokenStream,
    cfg: &TokenStream,
    s: &Struct,
    style: &DocStyle,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let ty = field_type(space, f);
        let docs = doc_attrs(&f.docs, style, None);
        quote! { #docs pub #field: #ty, }
    });
    let additional = s.additional.as_ref().map(|value| {
        let value = type_ref(space, value);
        quote! {
            /// Properties not declared by the schema.
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let params: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.required && !is_constant(space, f))
        .collect();
    let ctor = constructor(space, s, &params);
    let setters = s
        .fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| setter(space, f));
    let impls = object_impls(space, name, cfg, s);
    // `Debug`, `Serialize` and `Deserialize` come from `object_impls!`; `Default` is what a
    // forgiving decode puts in a field the server left out (`runtime::drift`).
    quote! {
        #docs
        #cfg
        #[derive(Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
            __extra: crate::runtime::drift::Extra,
        }
        #cfg
        impl #name {
            #ctor
            #(#setters)*
        }
        #impls
    }
}

/// Whether a value of this type may be `null` by itself (any JSON value, or a union with an
/// any-value variant): `null` in such a field is a value, not a departure from the spec.
fn accepts_null(space: &TypeSpace, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => true,
        TypeRef::Boxed(inner) => accepts_null(space, inner),
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Alias(inner) => accepts_null(space, inner),
            TypeKind::Untagged(variants) => variants.iter().any(|v| accepts_null(space, &v.ty)),
            _ => false,
        },
        _ => false,
    }
}

/// How `object_impls!` reads and writes a field, from `required`, `nullable` and whether
/// its type takes `null` itself.
fn field_kind(space: &TypeSpace, f: &Field) -> Ident {
    let any = accepts_null(space, &f.ty);
    ident(match (f.required, f.nullable, any) {
        (true, false, false) => "required",
        (true, false, true) => "required_any",
        (true, true, _) => "required_nullable",
        (false, false, false) => "option",
        (false, false, true) => "option_any",
        (false, true, _) => "nullable",
    })
}

/// A struct's `Deserialize`, `Serialize`, `Debug`, `Conformance` and `ExtraFields`
/// (`runtime::model::object_impls!`): each field with its JSON name and how its states are
/// read and written; the typed `additionalProperties` map and flattened members after them.
fn object_impls(space: &TypeSpace, name: &Ident, cfg: &TokenStream, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().filter(|f| !f.flatten).map(|f| {
        let (field, json) = (ident(&f.name), &f.json_name);
        let kind = field_kind(space, f);
        quote!(#field: #kind #json,)
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(, additional additional_properties));
    let flattened: Vec<Ident> = s
        .fields
        .iter()
        .filter(|f| f.flatten)
        .map(|f| ident(&f.name))
        .collect();
    let flatten = (!flattened.is_empty()).then(|| quote!(, flatten __rest [#(#flattened),*]));
    quote! {
        #cfg
        crate::runtime::model::object_impls!(#name, { #(#fields)* } #additional #flatten);
    }
}

/// A parameter type that accepts what converts into the field (`&str` for strings and
/// enums, a part for a union), keeping plain scalars plain for literal inference.
fn param(space: &TypeSpace, ty: &TypeRef, value: &Ident) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::Bool | TypeRef::Int(_) | TypeRef::F64 => (type_ref(space, ty), quote!(#value)),
        TypeRef::Boxed(inner) => {
            let inner = type_ref(space, inner);
            (
                quote!(impl ::std::convert::Into<#inner>),
                quote!(::std::boxed::Box::new(#value.into())),
            )
        }
        _ => {
            let ty = type_ref(space, ty);
            (
                quote!(impl ::std::convert::Into<#ty>),
                quote!(#value.into()),
            )
        }
    }
}

fn constructor(space: &TypeSpace, s: &Struct, params: &[&Field]) -> TokenStream {
    let args = params.iter().map(|f| {
        let name = ident(&f.name);
        if f.nullable {
            let ty = field_type(space, f);
            return quote!(#name: #ty);
        }
        let (ty, _) = param(space, &f.ty, &name);
        quote!(#name: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let name = ident(&f.name);
        if !f.required || is_constant(space, f) {
            return quote!(#name: ::std::default::Default::default(),);
        }
        if f.nullable {
            return quote!(#name,);
        }
        let (_, convert) = param(space, &f.ty, &name);
        if name == convert.to_string() {
            return quote!(#name,);
        }
        quote!(#name: #convert,)
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: ::std::default::Default::default(),));
    let doc = if params.is_empty() {
        " An empty value: every field absent.".to_string()
    } else {
        " A value with the required fields; set optional ones with the methods below.".to_string()
    };
    quote! {
        #[doc = #doc]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* #additional __extra: ::std::default::Default::default() }
        }
    }
}

fn setter(space: &TypeSpace, f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let method = if f.name == "new" {
        format_ident!("with_new")
    } else {
        field.clone()
    };
    let (ty, convert) = param(space, &f.ty, &format_ident!("value"));
    let value = if f.nullable {
        quote!(::std::option::Option::Some(::std::option::Option::Some(#convert)))
    } else {
        quote!(::std::option::Option::Some(#convert))
    };
    let doc = format!(" Sets `{}`.", f.json_name.replace('`', "'"));
    let deprecated = f.docs.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #method(mut self, value: #ty) -> Self {
            self.#field = #value;
            self
        }
    }
}

fn tagged_def(
    space: &TypeSpace,
    name: &Ident,
    docs: &TokenStream,
    cfg: &TokenStream,
    t: &Tagged,
    style: &DocStyle,
) -> TokenStream {
    let variants = t.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = type_ref(space, &v.ty);
        let values = v
            .values
            .iter()
            .map(|value| format!("`{value}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let fallback = format!("`{}`: {values}.", t.tag);
        let docs = doc_attrs(&v.docs, style, Some(&fallback));
        quote!(#docs #variant(#ty),)
    });
    let tag = &t.tag;
    let type_name = name.to_string();
    let arms = tag_arms(space, t, &type_name);
    let froms = unique_payloads(t.variants.iter().map(|v| (&v.name, &v.ty)))
        .map(|(variant, ty)| from_impl(space, name, cfg, variant, ty));
    let drift_arms = t.variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote!(Self::#variant(value) => crate::runtime::drift::Conformance::collect_drift(value, path, out),)
    });
    // A value without its tag is one of the variants whose tag is optional (`type` of an
    // "easy" input message), or departs from the spec.
    let optional_tag: Vec<TokenStream> = t
        .variants
        .iter()
        .filter(|v| tag_is_optional(space, &v.ty, tag))
        .map(|v| try_variant(&v.name))
        .collect();
    let untagged = if optional_tag.is_empty() {
        quote!(crate::runtime::drift::missing_tag(value, #type_name, #tag, Self::Unknown)?)
    } else {
        quote!(crate::runtime::drift::pick(value, #type_name, &[#(#optional_tag),*], ::std::option::Option::Some(Self::Unknown))?)
    };
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A variant this version of the client does not know, kept as received.
            Unknown(::serde_json::Value),
        }
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(match crate::runtime::model::tag_of(&value, #tag) {
                    #(#arms)*
                    ::std::option::Option::Some(_) => Self::Unknown(value),
                    ::std::option::Option::None => #untagged,
                })
            }
        }
        #cfg
        impl ::std::default::Default for #name {
            /// `Unknown(null)`: the placeholder a forgiving decode puts in a missing field.
            fn default() -> Self {
                Self::Unknown(::serde_json::Value::Null)
            }
        }
        #cfg
        impl crate::runtime::drift::Conformance for #name {
            fn collect_drift(&self, path: &mut ::std::string::String, out: &mut ::std::vec::Vec<crate::runtime::drift::Drift>) {
                match self {
                    #(#drift_arms)*
                    Self::Unknown(value) => crate::runtime::drift::unknown_tagged(value, #tag, path, out),
                }
            }
        }
        #(#froms)*
    }
}

/// Whether a variant's struct declares the tag property but does not require it.
fn tag_is_optional(space: &TypeSpace, ty: &TypeRef, tag: &str) -> bool {
    match ty {
        TypeRef::Boxed(inner) => tag_is_optional(space, inner, tag),
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Alias(inner) => tag_is_optional(space, inner, tag),
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.json_name == tag && !f.required),
            _ => false,
        },
        _ => false,
    }
}

/// One match arm per tag value. Variants sharing a value are told apart by `drift::pick`,
/// the most constrained first.
fn tag_arms(space: &TypeSpace, t: &Tagged, type_name: &str) -> Vec<TokenStream> {
    let mut values: Vec<&String> = Vec::new();
    for v in &t.variants {
        for value in &v.values {
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    values
        .into_iter()
        .map(|value| {
            let mut group: Vec<_> = t.variants.iter().filter(|v| v.values.contains(value)).collect();
            group.sort_by_key(|v| std::cmp::Reverse(constant_count(space, &v.ty)));
            if let [only] = group.as_slice() {
                let variant = ident(&only.name);
                return quote! {
                    ::std::option::Option::Some(#value) => Self::#variant(crate::runtime::drift::variant(value)?),
                };
            }
            let tries = group.iter().map(|v| try_variant(&v.name));
            quote! {
                ::std::option::Option::Some(#value) => crate::runtime::drift::pick(value, #type_name, &[#(#tries),*], ::std::option::Option::None)?,
            }
        })
        .collect()
}

/// One way `drift::pick` may read a union's value: `("Name", decode as the variant's type)`.
fn try_variant(name: &str) -> TokenStream {
    let variant = ident(name);
    quote!((#name, |value, locate| crate::runtime::drift::attempt(value, locate, Self::#variant)))
}

fn untagged_def(
    space: &TypeSpace,
    name: &Ident,
    docs: &TokenStream,
    cfg: &TokenStream,
    variants: &[Variant],
    style: &DocStyle,
) -> TokenStream {
    let catch_all = variants.iter().find(|v| matches!(v.ty, TypeRef::Json));
    let items = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = type_ref(space, &v.ty);
        let docs = doc_attrs(&v.docs, style, None);
        quote!(#docs #variant(#ty),)
    });
    let unknown = catch_all.is_none().then(|| {
        quote! {
            /// A value matching none of the known shapes, kept as received.
            Unknown(::serde_json::Value),
        }
    });
    let type_name = name.to_string();
    let tries = variants.iter().map(|v| try_variant(&v.name));
    let (fallback, default_variant) = match catch_all {
        Some(v) => (quote!(::std::option::Option::None), ident(&v.name)),
        None => (
            quote!(::std::option::Option::Some(Self::Unknown)),
            ident("Unknown"),
        ),
    };
    let drift_arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote!(Self::#variant(value) => crate::runtime::drift::Conformance::collect_drift(value, path, out),)
    });
    let unknown_arm = catch_all.is_none().then(|| {
        quote!(Self::Unknown(value) => crate::runtime::drift::no_variant_here(value, path, out),)
    });
    let froms = unique_payloads(variants.iter().map(|v| (&v.name, &v.ty)))
        .map(|(variant, ty)| from_impl(space, name, cfg, variant, ty));
    let from_str = variants.iter().find(|v| v.ty == TypeRef::String).map(|v| {
        let variant = ident(&v.name);
        quote! {
            #cfg
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::#variant(value.to_owned())
                }
            }
        }
    });
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#items)*
            #unknown
        }
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                crate::runtime::drift::pick(value, #type_name, &[#(#tries),*], #fallback)
            }
        }
        #cfg
        impl ::std::default::Default for #name {
            /// A placeholder holding `null`, what a forgiving decode puts in a missing field.
            fn default() -> Self {
                Self::#default_variant(::serde_json::Value::Null)
            }
        }
        #cfg
        impl crate::runtime::drift::Conformance for #name {
            fn collect_drift(&self, path: &mut ::std::string::String, out: &mut ::std::vec::Vec<crate::runtime::drift::Drift>) {
                match self {
                    #(#drift_arms)*
                    #unknown_arm
                }
            }
        }
        #(#froms)*
        #from_str
    }
}

/// Variants whose payload type no other variant shares (a `From` impl for each is unambiguous).
fn unique_payloads<'v>(
    variants: impl Iterator<Item = (&'v String, &'v TypeRef)> + Clone,
) -> impl Iterator<Item = (&'v String, &'v TypeRef)> {
    let all: Vec<(&String, &TypeRef)> = variants.collect();
    let counted: Vec<(&String, &TypeRef)> = all
        .iter()
        .filter(|(_, ty)| {
            !matches!(ty, TypeRef::Json) && all.iter().filter(|(_, other)| other == ty).count() == 1
        })
        .copied()
        .collect();
    counted.into_iter()
}

fn from_impl(
    space: &TypeSpace,
    name: &Ident,
    cfg: &TokenStream,
    variant: &str,
    ty: &TypeRef,
) -> TokenStream {
    let variant = ident(variant);
    let (source, wrap) = match ty {
        TypeRef::Boxed(inner) => (
            type_ref(space, inner),
            quote!(::std::boxed::Box::new(value)),
        ),
        _ => (type_ref(space, ty), quote!(value)),
    };
    quote! {
        #cfg
        impl ::std::convert::From<#source> for #name {
            fn from(value: #source) -> Self {
                Self::#variant(#wrap)
            }
        }
    }
}
