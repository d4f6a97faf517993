//! A generated test: every `example` of a component schema, decoded into its type and
//! re-encoded, must come back as the same JSON.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::lower::Model;
use crate::Config;

pub fn schema_examples(model: &Model, config: &Config) -> TokenStream {
    let krate = format_ident!("{}", config.crate_name.replace('-', "_"));
    let count = model.examples.len();
    let checks = model.examples.iter().map(|example| {
        let ty = format_ident!("{}", model.types.get(example.type_id).name);
        let schema = &example.schema;
        let json = serde_json::to_string(&example.value).unwrap_or_default();
        quote!(check::<types::#ty>(#schema, #json, &mut failures);)
    });
    quote! {
        //! Every `example` given for a component schema in the spec, decoded into the
        //! generated type and re-encoded: it must come back as the same JSON, and must not
        //! land in an `Unknown` catch-all.

        use #krate::types;

        /// Equal as JSON, with numbers compared by value (`1` and `1.0` are the same number).
        fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
            use serde_json::Value;
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
                }
                _ => a == b,
            }
        }

        fn check<T>(schema: &str, json: &str, failures: &mut Vec<String>)
        where
            T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
        {
            let original: serde_json::Value = match serde_json::from_str(json) {
                Ok(value) => value,
                Err(e) => return failures.push(format!("{schema}: the example is not JSON: {e}")),
            };
            let decoded: T = match serde_json::from_value(original.clone()) {
                Ok(decoded) => decoded,
                Err(e) => return failures.push(format!("{schema}: does not decode: {e}")),
            };
            if format!("{decoded:?}").contains("Unknown(") {
                return failures.push(format!("{schema}: decoded only into an `Unknown` catch-all: {decoded:?}"));
            }
            match serde_json::to_value(&decoded) {
                Ok(again) if same_json(&original, &again) => {}
                Ok(again) => failures.push(format!("{schema}: re-encodes differently:\n  was {original}\n  now {again}")),
                Err(e) => failures.push(format!("{schema}: does not re-encode: {e}")),
            }
        }

        #[test]
        fn schema_examples_round_trip() {
            let mut failures: Vec<String> = Vec::new();
            #(#checks)*
            assert!(failures.is_empty(), "{} of {} schema examples failed:\n{}", failures.len(), #count, failures.join("\n"));
        }
    }
}
