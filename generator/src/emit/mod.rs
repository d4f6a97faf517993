//! Emission: IR → token streams → formatted files of a complete crate.
//! Emission never looks at the OpenAPI document; everything it needs is in the [`Model`].

mod examples;
mod front_page;
mod manifest;
pub(crate) mod resources;
pub(crate) mod types;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::docs::DocStyle;
use crate::features::Features;
use crate::lower::Model;
use crate::{Config, GenerateError};

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// Types per formatting job: small enough to share the work evenly between cores and to keep
/// only a little syntax alive at a time, large enough that each job's overhead is noise.
const TYPES_PER_JOB: usize = 64;

/// A piece of emitted code, formatted on its own (see [`format_tokens`]).
enum Piece {
    Resources,
    Examples,
    Lib,
    /// A run of types (positions in [`types::sorted`] order); the first also opens the file.
    Types(std::ops::Range<usize>),
}

/// Emits every file of the generated crate, keyed by path relative to its root.
pub fn emit(model: &Model, config: &Config) -> Result<BTreeMap<PathBuf, String>, GenerateError> {
    let style = DocStyle {
        link_base: config.doc_link_base.clone(),
    };
    let client = client_name(config)?;
    let header = header(config);
    let extension = match &config.extension {
        Some(extension) => Some(crate::extension::plan(extension)?),
        None => None,
    };
    let has_extension_module = extension.as_ref().is_some_and(|e| e.has_module);
    let features = if config.resource_features {
        Features::compute(&model.types, &model.operations)
    } else {
        Features::none()
    };
    let types = types::sorted(&model.types);
    // The longest single pieces first, so no core is left with a long tail.
    let mut pieces = vec![Piece::Resources];
    // With no examples there is nothing to test (and the helpers would be dead code).
    if !model.examples.is_empty() {
        pieces.push(Piece::Examples);
    }
    pieces.push(Piece::Lib);
    // At least one run: a crate without types still has the (empty) module.
    pieces.extend(
        (0..types.len().max(1))
            .step_by(TYPES_PER_JOB)
            .map(|start| Piece::Types(start..types.len().min(start + TYPES_PER_JOB))),
    );
    // Formatting a run of items alone prints exactly what it prints inside the whole file
    // (prettyplease ends every item with a line break), so the runs concatenate.
    let formatted = crate::parallel::map(&pieces, |piece| {
        let (file, tokens) = match piece {
            Piece::Resources => (
                "src/resources.rs",
                resources::resources_file(
                    &model.types,
                    &model.operations,
                    &ident(client),
                    &features,
                    &style,
                ),
            ),
            Piece::Examples => (
                "tests/schema_examples.rs",
                examples::schema_examples(model, config, &features),
            ),
            Piece::Lib => (
                "src/lib.rs",
                lib_rs(model, config, &ident(client), has_extension_module),
            ),
            Piece::Types(run) => {
                let attrs = (run.start == 0).then(types::file_attrs);
                let items = types[run.clone()]
                    .iter()
                    .map(|id| types::type_items(&model.types, *id, &features, &style));
                ("src/types.rs", quote::quote!(#attrs #(#items)*))
            }
        };
        Ok::<_, GenerateError>((file, format_tokens(file, tokens)?))
    });
    let mut files = BTreeMap::new();
    let folder = config
        .extension
        .as_ref()
        .map(|e| e.dir.clone())
        .unwrap_or_default();
    files.insert(
        PathBuf::from("Cargo.toml"),
        manifest::cargo_toml(
            config,
            &features,
            &header,
            extension.as_ref().and_then(|e| e.manifest.as_ref()),
            &folder,
        )?,
    );
    files.insert(
        PathBuf::from("README.md"),
        front_page::readme(
            model,
            config,
            client,
            &features,
            extension.as_ref().and_then(|e| e.readme.as_deref()),
            &style,
        ),
    );
    for (name, contents) in RUNTIME_FILES {
        files.insert(
            PathBuf::from("src/runtime").join(name),
            format!("{header}\n{contents}"),
        );
    }
    for result in formatted {
        let (file, text) = result?;
        files
            .entry(PathBuf::from(file))
            .or_insert_with(|| header.clone())
            .push_str(&text);
    }
    if let Some(extension) = &extension {
        let mut taken = ROOT_NAMES.to_vec();
        taken.push(client);
        crate::extension::add_files(extension, &folder, &mut files, &taken)?;
    }
    Ok(files)
}

/// The names `lib.rs` defines or re-exports at the crate root (the client's aside).
const ROOT_NAMES: [&str; 11] = [
    "Call",
    "ClientBuilder",
    "Error",
    "ErrorKind",
    "InputFile",
    "RequestOptions",
    "CONFIG",
    "runtime",
    "types",
    "resources",
    crate::extension::MODULE,
];

/// The identifier `name` spells (`r#` makes a raw one), built by each job that needs it:
/// tokens cannot cross threads.
fn ident(name: &str) -> proc_macro2::Ident {
    quote::format_ident!("{name}")
}

/// The configured client name, checked to be an identifier that names nothing else at the
/// crate root.
fn client_name(config: &Config) -> Result<&str, GenerateError> {
    let name = config.client_type();
    match syn::parse_str::<proc_macro2::Ident>(name) {
        Ok(_) if !ROOT_NAMES.contains(&name) => Ok(name),
        _ => Err(GenerateError::Invalid {
            pointer: "client-name (configuration)".into(),
            message: format!(
                "`{name}` cannot name the client: it must be a Rust identifier other than {}",
                ROOT_NAMES.join(", ")
            ),
        }),
    }
}

fn header(config: &Config) -> String {
    let spec = config.spec.file_name().map_or_else(
        || config.spec.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    format!("// @generated by `cargo xtask codegen` from {spec}; do not edit.\n")
}

fn lib_rs(
    model: &Model,
    config: &Config,
    client: &proc_macro2::Ident,
    has_extension_module: bool,
) -> TokenStream {
    let client_config = client_config(model, config, client);
    let client_use = if client == "Client" {
        quote::quote!(Client)
    } else {
        quote::quote!(Client as #client)
    };
    let extension = crate::extension::MODULE;
    let extension_doc = " Hand-written code for this API, copied from the generator's extension \
                         folder; its public items are re-exported at the crate root.";
    let extension = has_extension_module.then(|| {
        let module = ident(extension);
        quote::quote! {
            #[doc = #extension_doc]
            pub mod #module;
            // What the module exports may depend on the resource features enabled.
            #[allow(unused_imports)]
            pub use #module::*;
        }
    });
    quote::quote! {
        // The front page (README.md) is the crate docs: one text, and its examples are doctests.
        #![doc = include_str!("../README.md")]
        pub mod runtime;
        // 100k+ lines formatted by prettyplease at generation; rustfmt need not walk them.
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        pub mod resources;
        #extension

        /// A file to upload: bytes with a file name and a content type.
        pub use runtime::model::InputFile;
        pub use runtime::{Call, #client_use, ClientBuilder, Error, ErrorKind, RequestOptions};
        pub use runtime::{Conformance, Drift, DriftKind, ExtraFields};

        #client_config
    }
}

/// The runtime's static configuration: base URL, authentication, environment variables.
fn client_config(model: &Model, config: &Config, client: &proc_macro2::Ident) -> TokenStream {
    use crate::lower::Auth;
    let (api_key_env, base_url_env) = front_page::env_names(config);
    let base_url = &model.info.base_url;
    let auth = match &model.info.auth {
        Auth::Bearer => quote::quote!(Bearer),
        Auth::Basic => quote::quote!(Basic),
        Auth::None => quote::quote!(None),
        Auth::ApiKeyHeader(name) => quote::quote!(ApiKeyHeader(#name)),
        Auth::ApiKeyQuery(name) => quote::quote!(ApiKeyQuery(#name)),
    };
    let headers = config
        .env_headers
        .iter()
        .map(|(var, header)| quote::quote!(runtime::EnvHeader::new(#var, #header)));
    let default = if base_url.is_empty() {
        "the spec names no server".to_string()
    } else {
        format!("default `{base_url}`")
    };
    let doc = format!(
        " How a [`{client}`] finds its settings: the key in `{api_key_env}`, the base URL in `{base_url_env}` ({default})."
    );
    let constructors =
        format!(" `{client}::from_env()` reads them; `{client}::builder()` sets them in code.");
    quote::quote! {
        #[doc = #doc]
        ///
        #[doc = #constructors]
        #[rustfmt::skip]
        pub static CONFIG: runtime::ClientConfig = runtime::ClientConfig::new(
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            #base_url,
        )
        .auth(runtime::AuthScheme::#auth)
        .api_key_env(#api_key_env)
        .base_url_env(#base_url_env)
        .env_headers(&[#(#headers),*]);
    }
}

/// Parses and pretty-prints emitted tokens; a parse failure is a generator bug, reported
/// with the file it would have been.
fn format_tokens(file: &str, tokens: TokenStream) -> Result<String, GenerateError> {
    let syntax = syn::parse2::<syn::File>(tokens).map_err(|e| GenerateError::Emit {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&syntax))
}
