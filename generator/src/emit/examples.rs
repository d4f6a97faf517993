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
        quote!(#cfg super::check::<#ty>(#label, #json, #known_bad, outcome);)
    });
    quote! {
        //! Every `example` the spec gives for a component schema or one of its properties,
        //! decoded into the generated type and re-encoded: it must come back as the same
        //! JSON and must not land in an `Unknown` catch-all. Examples the spec gets wrong are
        //! listed in the generator configuration (`known-bad-examples`) and must still fail,
        //! so the list stays true.

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

        /// Equal as JSON, with numbers compared by value (`1` and `1.0` are the same number).
        fn same_json(a: &::serde_json::Value, b: &::serde_json::Value) -> bool {
            use ::serde_json::Value;
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
                }
                _ => a == b,
            }
        }

        fn round_trip<T>(json: &str) -> ::std::result::Result<(), ::std::string::String>
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::fmt::Debug,
        {
            let original: ::serde_json::Value = ::serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
            let decoded: T = ::serde_json::from_value(original.clone()).map_err(|e| format!("does not decode: {e}"))?;
            if format!("{decoded:?}").contains("Unknown(") {
                return Err(format!("decoded only into an `Unknown` catch-all: {decoded:?}"));
            }
            let again = ::serde_json::to_value(&decoded).map_err(|e| format!("does not re-encode: {e}"))?;
            if !same_json(&original, &again) {
                return Err(format!("re-encodes differently:\n  was {original}\n  now {again}"));
            }
            Ok(())
        }

        fn check<T>(label: &str, json: &str, known_bad: ::std::option::Option<&str>, outcome: &mut Outcome)
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::fmt::Debug,
        {
            match (round_trip::<T>(json), known_bad) {
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
                "{} of {} spec examples round-trip; {} known-bad in the spec:\n{}",
                outcome.passed,
                #count,
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
