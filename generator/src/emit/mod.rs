//! Emission: IR → token streams → formatted files of a complete crate.
//! Emission never looks at the OpenAPI document; everything it needs is in the [`Model`].

mod examples;
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
            Piece::Lib => ("src/lib.rs", lib_rs(model, config, &ident(client), &style)),
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
    files.insert(
        PathBuf::from("Cargo.toml"),
        manifest::cargo_toml(config, &features, &header),
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
    Ok(files)
}

/// The identifier `name` spells (`r#` makes a raw one), built by each job that needs it:
/// tokens cannot cross threads.
fn ident(name: &str) -> proc_macro2::Ident {
    quote::format_ident!("{name}")
}

/// The configured client name, checked to be an identifier that names nothing else at the
/// crate root.
fn client_name(config: &Config) -> Result<&str, GenerateError> {
    const TAKEN: [&str; 9] = [
        "Call",
        "ClientBuilder",
        "Error",
        "ErrorKind",
        "RequestOptions",
        "CONFIG",
        "runtime",
        "types",
        "resources",
    ];
    let name = config.client_type();
    match syn::parse_str::<proc_macro2::Ident>(name) {
        Ok(_) if !TAKEN.contains(&name) => Ok(name),
        _ => Err(GenerateError::Invalid {
            pointer: "client-name (configuration)".into(),
            message: format!(
                "`{name}` cannot name the client: it must be a Rust identifier other than {}",
                TAKEN.join(", ")
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
    style: &DocStyle,
) -> TokenStream {
    let mut lines = vec![format!(" {}", model.info.title)];
    if let Some(description) = &model.info.description {
        lines.push(String::new());
        lines.extend(
            crate::docs::doc_lines(description, style)
                .into_iter()
                .map(|l| format!(" {l}")),
        );
    }
    lines.push(String::new());
    lines.push(format!(
        " API version `{}`; generated as crate `{}`.",
        model.info.version, config.crate_name
    ));
    let lines = lines.iter().map(|l| {
        if l.trim().is_empty() {
            String::new()
        } else {
            l.clone()
        }
    });
    let client_config = client_config(model, config, client);
    let client_use = if client == "Client" {
        quote::quote!(Client)
    } else {
        quote::quote!(Client as #client)
    };
    quote::quote! {
        #(#![doc = #lines])*
        pub mod runtime;
        // 100k+ lines formatted by prettyplease at generation; rustfmt need not walk them.
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        pub mod resources;

        pub use runtime::{Call, #client_use, ClientBuilder, Error, ErrorKind, RequestOptions};
        pub use runtime::{Conformance, Drift, DriftKind, ExtraFields};

        #client_config
    }
}

/// The runtime's static configuration: base URL, authentication, environment variables.
fn client_config(model: &Model, config: &Config, client: &proc_macro2::Ident) -> TokenStream {
    use crate::lower::Auth;
    let prefix = config.crate_name.to_uppercase().replace('-', "_");
    let api_key_env = config
        .api_key_env
        .clone()
        .unwrap_or_else(|| format!("{prefix}_API_KEY"));
    let base_url_env = config
        .base_url_env
        .clone()
        .unwrap_or_else(|| format!("{prefix}_BASE_URL"));
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
