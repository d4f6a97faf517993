//! Operations → resource handles (`src/resources.rs`): `client.chat().completions().create(body)`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::types::{cfg, type_ref_in};
use crate::docs::{DocStyle, doc_lines};
use crate::features::Features;
use crate::ir::{
    BodyKind, Operation, ParamLocation, QueryStyle, ResponseKind, TypeKind, TypeRef, TypeSpace,
};
use crate::names;

/// The runtime `Client`'s own methods (`templates/src/runtime/client.rs`) and the two the root
/// impl adds: a top-level resource or operation with one of these names is renamed
/// (`config_resource`, `call_op`) rather than defined twice.
const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "builder_with",
    "call",
    "config",
    "execute",
    "from_env",
    "from_env_with",
    "is_strict",
    "retry_policy",
    "timeout",
    "with_options",
];

/// One node of the resource tree: its sub-resources and its operations.
#[derive(Default)]
struct Node<'m> {
    children: BTreeSet<String>,
    ops: Vec<&'m Operation>,
}

/// Each handle (and its accessor) carries the `#[cfg]` of its top-level resource's feature.
pub fn resources_file(
    space: &TypeSpace,
    ops: &[Operation],
    client_name: &proc_macro2::Ident,
    features: &Features,
    style: &DocStyle,
) -> TokenStream {
    let mut nodes: BTreeMap<Vec<String>, Node> = BTreeMap::new();
    nodes.entry(Vec::new()).or_default();
    for op in ops {
        for depth in 0..op.resource.len() {
            let parent = op.resource[..depth].to_vec();
            nodes
                .entry(parent)
                .or_default()
                .children
                .insert(op.resource[depth].clone());
        }
        nodes.entry(op.resource.clone()).or_default().ops.push(op);
    }
    let struct_names = struct_names(&nodes);
    let items = nodes.iter().map(|(path, node)| {
        node_items(
            space,
            path,
            node,
            &struct_names,
            client_name,
            features,
            style,
        )
    });
    let cursor_items = cursor_item_impls(space, ops, features);
    quote! {
        //! Every operation of the API, as methods on resource handles that mirror the paths.
        #![allow(deprecated)]
        #(#items)*
        #(#cursor_items)*
    }
}

fn struct_names(nodes: &BTreeMap<Vec<String>, Node>) -> BTreeMap<Vec<String>, String> {
    let mut taken = HashSet::new();
    nodes
        .keys()
        .filter(|path| !path.is_empty())
        .map(|path| {
            (
                path.clone(),
                names::unique(&names::type_name(&path.join("_")), &mut taken),
            )
        })
        .collect()
}

fn node_items(
    space: &TypeSpace,
    path: &[String],
    node: &Node,
    struct_names: &BTreeMap<Vec<String>, String>,
    client_name: &proc_macro2::Ident,
    features: &Features,
    style: &DocStyle,
) -> TokenStream {
    // The root is the client itself; a resource handle borrows it.
    let client = if path.is_empty() {
        quote!(self)
    } else {
        quote!(self.client)
    };
    let accessors = node.children.iter().map(|child| {
        let mut child_path = path.to_vec();
        child_path.push(child.clone());
        let ty = format_ident!("{}", struct_names[&child_path]);
        let renamed = path.is_empty() && CLIENT_METHODS.contains(&child.as_str());
        let method = format_ident!("{}", accessor_name(path, child));
        let doc = if renamed {
            format!(
                " The `{child}` resource (`_resource` added: `Client::{child}` is the client's own method)."
            )
        } else {
            format!(" The `{}` resource.", child_path.join("."))
        };
        let cfg = cfg(&features.of_resource(&child_path));
        quote! {
            #cfg
            #[doc = #doc]
            pub fn #method(&self) -> #ty<'_> {
                #ty { client: #client }
            }
        }
    });
    let taken = taken_names(path, node.children.iter().map(String::as_str));
    let methods = node
        .ops
        .iter()
        .flat_map(|op| operation_methods(space, op, &taken, &client, style));
    if path.is_empty() {
        return quote! {
            impl crate::runtime::Client {
                /// A client configured from the environment alone (see [`crate::CONFIG`]): the
                /// API key (an error naming the variable when it is unset), the base URL, and the
                /// optional headers.
                pub fn from_env() -> crate::runtime::Result<crate::runtime::Client> {
                    crate::runtime::Client::from_env_with(&crate::CONFIG)
                }
                /// A builder for this API's client; anything not set on it is read from the
                /// environment at `build()`.
                pub fn builder() -> crate::runtime::ClientBuilder {
                    crate::runtime::Client::builder_with(&crate::CONFIG)
                }
                #(#accessors)*
                #(#methods)*
            }
        };
    }
    let name = format_ident!("{}", struct_names[path]);
    let doc = format!(
        " The `{}` resource: a handle borrowed from a [`crate::{client_name}`].",
        path.join(".")
    );
    let cfg = cfg(&features.of_resource(path));
    quote! {
        #cfg
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a crate::runtime::Client,
        }
        #cfg
        impl<'a> #name<'a> {
            #(#accessors)*
            #(#methods)*
        }
    }
}

/// The accessor of sub-resource `child` on the handle at `parent`: its name, or
/// `…_resource` on the root when the client has a method of that name.
pub(crate) fn accessor_name(parent: &[String], child: &str) -> String {
    if parent.is_empty() && CLIENT_METHODS.contains(&child) {
        format!("{child}_resource")
    } else {
        child.to_string()
    }
}

/// Names an operation method on the handle at `path` cannot take: its sub-resources'
/// accessors and, on the root, the client's own methods.
pub(crate) fn taken_names<'n>(
    path: &[String],
    children: impl IntoIterator<Item = &'n str>,
) -> HashSet<&'n str> {
    let mut taken: HashSet<&str> = children.into_iter().collect();
    if path.is_empty() {
        taken.extend(CLIENT_METHODS);
    }
    taken
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The method (and, for streaming operations, its `_stream` twin) for one operation.
fn operation_methods(
    space: &TypeSpace,
    op: &Operation,
    taken: &HashSet<&str>,
    client: &TokenStream,
    style: &DocStyle,
) -> Vec<TokenStream> {
    let name = method_name(op, taken);
    let mut out = Vec::new();
    let plain = response_format(space, &op.response);
    out.push(method(space, op, &name, plain, false, client, style));
    if let Some(event) = &op.stream {
        out.push(method(
            space,
            op,
            &format!("{name}_stream"),
            stream_format(space, event),
            true,
            client,
            style,
        ));
    }
    out
}

/// The method's name on its handle: `…_op` when a sub-resource accessor (or, on the root,
/// one of the client's own methods) has taken the name; `taken` is [`taken_names`].
pub(crate) fn method_name(op: &Operation, taken: &HashSet<&str>) -> String {
    if taken.contains(op.name.as_str()) {
        format!("{}_op", op.name)
    } else {
        op.name.clone()
    }
}

/// How the plain method reads the response: the `F` of its `Call<F>`.
pub(crate) fn response_format(space: &TypeSpace, response: &ResponseKind) -> TokenStream {
    let types = quote!(crate::types::);
    match response {
        ResponseKind::Json(ty) => {
            let ty = type_ref_in(space, ty, &types);
            quote!(crate::runtime::Json<#ty>)
        }
        ResponseKind::Page(ty) => {
            let ty = type_ref_in(space, ty, &types);
            quote!(crate::runtime::Page<#ty>)
        }
        ResponseKind::Binary => quote!(crate::runtime::Binary),
        ResponseKind::Text => quote!(crate::runtime::Text),
        ResponseKind::Empty => quote!(crate::runtime::Empty),
    }
}

/// The `F` of the `…_stream` twin's `Call<F>`.
pub(crate) fn stream_format(space: &TypeSpace, event: &TypeRef) -> TokenStream {
    let event = type_ref_in(space, event, &quote!(crate::types::));
    quote!(crate::runtime::Sse<#event>)
}

/// The method's arguments after `&self`: path parameters, the body, the `…Params` struct.
pub(crate) fn method_args(space: &TypeSpace, op: &Operation) -> Vec<TokenStream> {
    let mut args = Vec::new();
    for p in &op.path_params {
        let arg = ident(&p.name);
        args.push(quote!(#arg: &str));
    }
    if let Some(body) = &op.body {
        let ty = type_ref_in(space, &body.ty, &quote!(crate::types::));
        args.push(quote!(body: #ty));
    }
    if let Some(params) = op.params_type {
        let ty = ident(&space.get(params).name);
        args.push(quote!(params: crate::types::#ty));
    }
    args
}

fn method(
    space: &TypeSpace,
    op: &Operation,
    name: &str,
    format: TokenStream,
    stream: bool,
    client: &TokenStream,
    style: &DocStyle,
) -> TokenStream {
    let method_ident = ident(name);
    let args = method_args(space, op);

    // The path, with each parameter percent-encoded as one segment.
    // The path as literal pieces and encoded parameters, joined without a macro so the
    // output stays formatted.
    let mut pieces = Vec::new();
    let mut has_params = false;
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let literal = &rest[..start];
        if !literal.is_empty() {
            pieces.push(quote!(#literal));
        }
        let name = &rest[start + 1..start + end];
        let arg = op
            .path_params
            .iter()
            .find(|p| p.json_name == name)
            .map(|p| ident(&p.name));
        pieces.push(quote!(crate::runtime::encode_path_segment(#arg).as_str()));
        has_params = true;
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    let path = if has_params {
        quote!([#(#pieces),*].concat())
    } else {
        let path = &op.path;
        quote!(#path)
    };
    let http = format_ident!("{}", op.method);
    let mut request = quote!(crate::runtime::Request::new(::reqwest::Method::#http, #path));

    for p in &op.params {
        let (json, field) = (&p.json_name, ident(&p.name));
        request = match (p.location, p.style) {
            (ParamLocation::Header, _) => quote!(#request.header_param(#json, &params.#field)),
            (ParamLocation::Cookie, _) => quote!(#request.cookie_param(#json, &params.#field)),
            (_, QueryStyle::Form) => quote!(#request.query_param(#json, &params.#field)),
            (_, style) => {
                let style = match style {
                    QueryStyle::FormNoExplode => quote!(FormNoExplode),
                    QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                    QueryStyle::PipeDelimited => quote!(PipeDelimited),
                    _ => quote!(DeepObject),
                };
                quote!(#request.query_param_with(#json, &params.#field, crate::runtime::QueryStyle::#style))
            }
        };
    }
    let mut setup = quote!();
    if let Some(body) = &op.body {
        request = match &body.kind {
            BodyKind::Json if stream => quote!(#request.json_with_field(&body, "stream", true)),
            BodyKind::Json if body.content_type == "application/json" => {
                quote!(#request.json(&body))
            }
            BodyKind::Json => {
                let content_type = &body.content_type;
                quote!(#request.json_as(&body, #content_type))
            }
            BodyKind::Form => quote!(#request.form(&body)),
            BodyKind::Raw(content_type) if body.ty == TypeRef::Binary => {
                quote!(#request.bytes(body.bytes, #content_type))
            }
            BodyKind::Raw(content_type) => quote!(#request.bytes(body.into_bytes(), #content_type)),
            BodyKind::Multipart => {
                let parts = multipart_parts(space, &body.ty);
                let stream_part = stream.then(|| quote!(form = form.text("stream", "true");));
                setup = quote! {
                    let mut form = crate::runtime::Multipart::new();
                    #(#parts)*
                    #stream_part
                };
                quote!(#request.multipart(form))
            }
        };
    }
    let docs = method_docs(space, op, stream, style);
    let deprecated = op.docs.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #docs
        #deprecated
        pub fn #method_ident(&self, #(#args),*) -> crate::runtime::Call<#format> {
            #setup
            #client.call(#request)
        }
    }
}

/// One statement per field of a multipart body: files as file parts, the rest as fields.
fn multipart_parts(space: &TypeSpace, ty: &TypeRef) -> Vec<TokenStream> {
    let TypeRef::Named(id) = ty else {
        return Vec::new();
    };
    let TypeKind::Struct(s) = &space.get(*id).kind else {
        return Vec::new();
    };
    s.fields
        .iter()
        .map(|f| {
            let (json, field) = (&f.json_name, ident(&f.name));
            match (&f.ty, f.required && !f.nullable) {
                (TypeRef::Binary, true) => quote!(form = form.file(#json, &body.#field);),
                (TypeRef::Binary, false) if !f.nullable => {
                    quote!(form = form.file_opt(#json, body.#field.as_ref());)
                }
                (TypeRef::Vec(item), _) if **item == TypeRef::Binary => {
                    let files = if f.required && !f.nullable {
                        quote!(body.#field.iter())
                    } else {
                        quote!(body.#field.iter().flatten())
                    };
                    quote! {
                        for file in #files {
                            form = form.file(#json, file);
                        }
                    }
                }
                _ => quote!(form = form.field(#json, &body.#field);),
            }
        })
        .collect()
}

fn method_docs(space: &TypeSpace, op: &Operation, stream: bool, style: &DocStyle) -> TokenStream {
    let mut lines = Vec::new();
    if let Some(summary) = &op.docs.title {
        lines.extend(doc_lines(summary, style));
    }
    if let Some(description) = &op.docs.description
        && op.docs.title.as_deref().map(str::trim) != Some(description.trim())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(doc_lines(description, style));
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        "`{} {}` (operationId `{}`).",
        op.method, op.path, op.operation_id
    ));
    if stream {
        lines.push(String::new());
        lines.push("Streams the response: sends `stream: true` and yields each server-sent event as it arrives.".into());
    }
    if !op.errors.is_empty() {
        lines.push(String::new());
        lines.push("# Errors".into());
        lines.push(String::new());
        let documented: Vec<String> = op
            .errors
            .iter()
            .map(|error| match &error.ty {
                TypeRef::Named(id) => {
                    let name = &space.get(*id).name;
                    format!("`{}` [`{name}`](crate::types::{name})", error.status)
                }
                ty => {
                    let ty = type_ref_in(space, ty, &quote!(crate::types::))
                        .to_string()
                        .replace(' ', "");
                    format!("`{}` `{ty}`", error.status)
                }
            })
            .collect();
        lines.push(format!(
            "Documented error bodies by status, decoded with [`ApiError::body_as`](crate::runtime::ApiError::body_as): {}.",
            documented.join(", ")
        ));
    }
    let attrs = lines.iter().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", line.replace('\t', "    "))
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// `CursorItem` for every page item type: its `id` when it has a required string one.
fn cursor_item_impls(
    space: &TypeSpace,
    ops: &[Operation],
    features: &Features,
) -> Vec<TokenStream> {
    let mut seen = BTreeSet::new();
    for op in ops {
        if let ResponseKind::Page(TypeRef::Named(id)) = &op.response {
            seen.insert(*id);
        }
    }
    seen.into_iter()
        .map(|id| {
            let def = space.get(id);
            let name = ident(&def.name);
            let has_id = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| {
                    f.json_name == "id" && f.required && !f.nullable && f.ty == TypeRef::String
                }),
                _ => false,
            };
            let body = has_id.then(|| {
                quote! {
                    fn cursor_id(&self) -> ::std::option::Option<&str> {
                        ::std::option::Option::Some(&self.id)
                    }
                }
            });
            let cfg = cfg(&features.of_type(id));
            quote! {
                #cfg
                impl crate::runtime::CursorItem for crate::types::#name {
                    #body
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// `CLIENT_METHODS` names every inherent method of the runtime's `Client`, so no root
    /// accessor can collide with one.
    #[test]
    fn client_methods_cover_the_runtime_client() {
        let (_, client) = crate::emit::RUNTIME_FILES
            .iter()
            .find(|(name, _)| *name == "client.rs")
            .expect("runtime has client.rs");
        let body = client
            .split("\nimpl Client {")
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .expect("an `impl Client` block");
        let mut found: Vec<&str> = body
            .lines()
            .filter_map(|l| {
                l.trim_start()
                    .strip_prefix("pub fn ")
                    .or_else(|| l.trim_start().strip_prefix("pub async fn "))
            })
            .filter_map(|l| l.split(['(', '<']).next())
            .collect();
        found.extend(["builder", "from_env"]);
        found.sort_unstable();
        assert_eq!(found, super::CLIENT_METHODS);
    }
}
