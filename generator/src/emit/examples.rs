//! A generated test: every `example` the spec gives for a component schema or one of its
//! properties, decoded into its type and re-encoded, must come back as the same JSON.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Config;
use crate::features::Features;
use crate::lower::Model;

/// Each check carries the `#[cfg]` of its type, so a build with some features tests those.
pub fn schema_examples(model: &Model, config: &Config, features: &Features) -> TokenStream {
    let krate = format_ident!("{}", config.crate_name.replace('-', "_"));
    let count = model.examples.len();
    let checks = model.examples.iter().map(|example| {
        let inner = super::types::type_ref(&model.types, &example.ty);
        let ty = if example.nullable {
            quote!(::std::option::Option<#inner>)
        } else {
            inner
        };
        let label = &example.label;
        let json = serde_json::to_string(&example.value).unwrap_or_default();
        let known_bad = match &example.known_bad {
            Some(reason) => quote!(::std::option::Option::Some(#reason)),
            None => quote!(::std::option::Option::None),
        };
        let cfg = super::types::cfg(&features.of_ref(&example.ty));
        let property = example.property;
        quote!(#cfg super::check::<#ty>(#label, #json, #known_bad, #property, outcome);)
    });
    quote! {
        //! Every `example` the spec gives for a component schema or one of its properties,
        //! decoded into the generated type and re-encoded, both ways a client decodes:
        //! forgiving (the default), every example must decode and come back as the same
        //! JSON; strict, it must also match the spec exactly and not land in an `Unknown`
        //! catch-all. Examples the spec gets wrong are listed in the generator configuration
        //! (`known-bad-examples`) and must fail strictly, so the list stays true.

        // Formatted by prettyplease at generation; rustfmt need not walk it.
        // With only some resource features on, a helper may go unused.
        #[rustfmt::skip]
        #[allow(deprecated, dead_code)]
        mod spec_examples {

        #[derive(Default)]
        struct Outcome {
            passed: usize,
            failures: ::std::vec::Vec<::std::string::String>,
            known_bad: ::std::vec::Vec<::std::string::String>,
        }

        /// Where `now` (the re-encoded value) differs from `was` (the example), as JSON
        /// pointers with what happened; numbers compare by value (`1` and `1.0` are equal).
        fn differences(was: &::serde_json::Value, now: &::serde_json::Value, at: &str, out: &mut ::std::vec::Vec<::std::string::String>) {
            use ::serde_json::Value;
            match (was, now) {
                (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
                (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                    for (i, (x, y)) in x.iter().zip(y).enumerate() {
                        differences(x, y, &format!("{at}/{i}"), out);
                    }
                }
                (Value::Object(x), Value::Object(y)) => {
                    for (key, old) in x {
                        let path = format!("{at}/{key}");
                        match (y.get(key), old) {
                            (Some(new), _) => differences(old, new, &path, out),
                            (None, Value::Null) => out.push(format!("`{path}` was null, left out on re-encode")),
                            (None, _) => out.push(format!("`{path}` was dropped on decode")),
                        }
                    }
                    for (key, new) in y {
                        if !x.contains_key(key) {
                            out.push(format!("`{at}/{key}` was missing, re-encoded as {new}"));
                        }
                    }
                }
                _ if was == now => {}
                _ => out.push(format!("`{at}` was {was}, re-encoded as {now}")),
            }
        }

        /// A property's example, as the one field of an object: how a response carries it,
        /// and so how a forgiving decode keeps a value that does not fit the property's type.
        struct Holder<T> {
            value: T,
            extra: ::#krate::runtime::drift::Extra,
        }

        impl<T: ::serde::de::DeserializeOwned + ::std::default::Default> ::#krate::runtime::model::FromMap for Holder<T> {
            const EXPECTING: &'static str = "an object";
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                let mut reader = ::#krate::runtime::drift::Reader::new("an object");
                let mut slot = ::std::option::Option::None;
                while let ::std::option::Option::Some(key) = map.next_key::<::#krate::runtime::model::Key<'de>>()? {
                    if key.as_str() == "value" {
                        slot = reader.required(&mut map, "value")?;
                    } else {
                        reader.undeclared(&mut map, key)?;
                    }
                }
                let value = reader.take(slot, "value")?;
                ::std::result::Result::Ok(Holder { value, extra: reader.finish() })
            }
        }

        impl<'de, T: ::serde::de::DeserializeOwned + ::std::default::Default> ::serde::Deserialize<'de> for Holder<T> {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::#krate::runtime::model::deserialize_object(deserializer)
            }
        }

        impl<T: ::serde::Serialize + ::std::default::Default + ::std::cmp::PartialEq> ::serde::Serialize for Holder<T> {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut writer = ::#krate::runtime::drift::Writer::new(serializer, &self.extra)?;
                writer.required("value", &self.value)?;
                writer.end()
            }
        }

        impl<T: ::std::fmt::Debug> ::std::fmt::Debug for Holder<T> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.value.fmt(f)
            }
        }

        /// Decodes `json` (strictly or forgivingly) and re-encodes it.
        fn round_trip<T>(json: &str, strict: bool) -> ::std::result::Result<(), ::std::string::String>
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::fmt::Debug,
        {
            let original: ::serde_json::Value = ::serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
            let decoded: T = if strict {
                ::#krate::runtime::drift::from_str_strict(json)
            } else {
                ::#krate::runtime::drift::from_str(json)
            }
            .map_err(|e| format!("does not decode: {e}"))?;
            if strict && format!("{decoded:?}").contains("Unknown(") {
                return Err(format!("decoded only into an `Unknown` catch-all: {decoded:?}"));
            }
            let again = ::serde_json::to_value(&decoded).map_err(|e| format!("does not re-encode: {e}"))?;
            let mut found = ::std::vec::Vec::new();
            differences(&original, &again, "", &mut found);
            if !found.is_empty() {
                return Err(format!("re-encodes differently: {}", found.join("; ")));
            }
            Ok(())
        }

        fn check<T>(label: &str, json: &str, known_bad: ::std::option::Option<&str>, property: bool, outcome: &mut Outcome)
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::fmt::Debug + ::std::default::Default + ::std::cmp::PartialEq,
        {
            let forgiving = if property {
                round_trip::<Holder<T>>(&format!("{{\"value\":{json}}}"), false)
            } else {
                round_trip::<T>(json, false)
            };
            if let Err(e) = forgiving {
                outcome.failures.push(format!("{label}: forgiving: {e}"));
                return;
            }
            match (round_trip::<T>(json, true), known_bad) {
                (Ok(()), None) => outcome.passed += 1,
                (Err(e), None) => outcome.failures.push(format!("{label}: {e}")),
                (Err(e), Some(reason)) => outcome.known_bad.push(format!("{label} ({reason}): {e}")),
                (Ok(()), Some(reason)) => outcome
                    .failures
                    .push(format!("{label}: listed as known-bad ({reason}) but passes; remove it from the list")),
            }
        }

        mod examples {
            #[allow(unused_imports)]
            use ::#krate::types::*;

            pub(super) fn run(outcome: &mut super::Outcome) {
                let _ = &outcome;
                #(#checks)*
            }
        }

        #[test]
        fn spec_examples_round_trip() {
            let mut outcome = Outcome::default();
            examples::run(&mut outcome);
            println!(
                "all {} spec examples decode and round-trip forgivingly; {} of them strictly; {} known-bad in the spec:\n{}",
                #count,
                outcome.passed,
                outcome.known_bad.len(),
                outcome.known_bad.join("\n")
            );
            assert!(
                outcome.failures.is_empty(),
                "{} of {} spec examples failed:\n{}",
                outcome.failures.len(),
                #count,
                outcome.failures.join("\n")
            );
        }
        }
    }
}
