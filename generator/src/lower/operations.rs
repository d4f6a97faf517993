//! Operations → [`Operation`]s: resources and method names from the path shape, parameters,
//! request bodies and responses (JSON, pages, streams, binary, text).

use std::collections::{BTreeMap, HashSet};

use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode};

use super::Lowering;
use super::view::SchemaRef;
use crate::ir::{
    BodyKind, Docs, ErrorResponse, Field, Operation, Param, ParamLocation, QueryStyle, RequestBody,
    ResponseKind, Struct, TypeKind, TypeRef,
};
use crate::names;

/// Marks a path in the shape set as a singleton sub-resource rather than a collection.
const SINGLETON: &str = "singleton:";

/// One operation as found in the document, before naming.
struct Found<'a> {
    path: &'a str,
    method: &'static str,
    op: &'a openapiv3::Operation,
    item: &'a PathItem,
}

impl<'a> Lowering<'a> {
    /// Lowers every operation. Each operationId maps to exactly one method; operations that
    /// cannot be lowered are reported and skipped.
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        let mut found = Vec::new();
        for (path, item) in self.doc.api.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                self.warn(
                    &path_pointer(path),
                    "path item `$ref` is not supported; its operations are skipped",
                );
                continue;
            };
            for (method, op) in methods(item) {
                found.push(Found {
                    path,
                    method,
                    op,
                    item,
                });
            }
        }
        let mut collection_pages = self.paged_collections(&found);
        // A word after a parameter served by several methods is a singleton sub-resource
        // (`GET|POST|DELETE /projects/{id}/spend_limit`), not an action.
        let mut methods_per_path: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &found {
            *methods_per_path.entry(f.path).or_default() += 1;
        }
        collection_pages.extend(
            methods_per_path
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(p, _)| format!("{SINGLETON}{p}")),
        );
        let mut ops = Vec::new();
        for f in &found {
            if let Some(op) = self.lower_operation(f, &collection_pages) {
                ops.push(op);
            }
        }
        self.resolve_method_names(&mut ops);
        ops
    }

    /// Base paths that have deeper item paths or a paginated GET: a segment after a
    /// parameter that leads to one of these is a sub-resource, not an action.
    fn paged_collections(&self, found: &[Found<'a>]) -> HashSet<String> {
        let mut collections = HashSet::new();
        for f in found {
            let base = base_path(f.path);
            let segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
            for i in 1..segments.len() {
                if is_param(segments[i]) {
                    collections.insert(format!("/{}", segments[..i].join("/")));
                }
            }
            if f.method == "GET"
                && f.op
                    .parameters
                    .iter()
                    .chain(&f.item.parameters)
                    .any(|p| self.param_name(p) == Some("after"))
            {
                collections.insert(base.to_string());
            }
        }
        collections
    }

    fn param_name(&self, p: &'a ReferenceOr<Parameter>) -> Option<&'a str> {
        self.resolve_parameter(p)
            .map(|p| p.parameter_data_ref().name.as_str())
    }

    fn resolve_parameter(&self, p: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
        let components = self.doc.api.components.as_ref();
        resolve_component(p, "#/components/parameters/", |name| {
            components?.parameters.get(name)
        })
    }

    fn lower_operation(
        &mut self,
        f: &Found<'a>,
        collections: &HashSet<String>,
    ) -> Option<Operation> {
        let pointer = format!("{}/{}", path_pointer(f.path), f.method.to_lowercase());
        let Some(operation_id) = f.op.operation_id.clone() else {
            self.warn(&pointer, "operation has no operationId; it is skipped");
            return None;
        };
        let type_base = names::type_name(&operation_id);
        let (resource, default_name) = resource_and_name(f.path, f.method, collections);

        let mut path_params = Vec::new();
        let mut params = Vec::new();
        let mut seen = HashSet::new();
        // Operation parameters override path-item ones of the same name and location.
        for p in f.op.parameters.iter().chain(&f.item.parameters) {
            let Some(parameter) = self.resolve_parameter(p) else {
                self.warn(&pointer, "unresolvable parameter `$ref`; skipped");
                continue;
            };
            let data = parameter.parameter_data_ref();
            let (location, style) = match parameter {
                Parameter::Path { .. } => (ParamLocation::Path, QueryStyle::Form),
                Parameter::Query { style, .. } => {
                    (ParamLocation::Query, query_style(style, data.explode))
                }
                Parameter::Header { .. } => (ParamLocation::Header, QueryStyle::Form),
                Parameter::Cookie { .. } => (ParamLocation::Cookie, QueryStyle::Form),
            };
            if !seen.insert((data.name.clone(), location == ParamLocation::Path)) {
                continue;
            }
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let hint = format!("{type_base}{}", names::type_name(&data.name));
                    self.lower(
                        schema.into(),
                        &hint,
                        &format!("{pointer}/parameters/{}", data.name),
                    )
                    .ty
                }
                ParameterSchemaOrContent::Content(_) => TypeRef::Json,
            };
            let param = Param {
                json_name: data.name.clone(),
                name: names::field_name(&data.name),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
            };
            if location == ParamLocation::Path {
                path_params.push(param);
            } else {
                params.push(param);
            }
        }
        // Positional path arguments follow the order of the path template.
        let order: Vec<&str> = base_path(f.path)
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for name in &order {
            if !path_params.iter().any(|p| p.json_name == *name) {
                self.warn(
                    &pointer,
                    format!("path parameter `{name}` is not declared; it is taken as a string"),
                );
                path_params.push(Param {
                    json_name: name.to_string(),
                    name: names::field_name(name),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    style: QueryStyle::Form,
                });
            }
        }
        // A declared path parameter the template lacks would be an argument nobody uses
        // (`openapi::load` rejects such documents; lowering stays safe without it).
        path_params.retain(|p| {
            let used = order.contains(&p.json_name.as_str());
            if !used {
                self.warn(
                    &pointer,
                    format!(
                        "path parameter `{}` does not appear in the path `{}`; it is ignored",
                        p.json_name, f.path
                    ),
                );
            }
            used
        });
        path_params.sort_by_key(|p| {
            order
                .iter()
                .position(|n| *n == p.json_name)
                .unwrap_or(usize::MAX)
        });
        dedupe_param_names(&mut path_params);
        dedupe_param_names(&mut params);

        let params_type = (!params.is_empty()).then(|| {
            let fields = params
                .iter()
                .map(|p| Field {
                    json_name: p.json_name.clone(),
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    required: p.required,
                    nullable: false,
                    flatten: false,
                    docs: Docs::default(),
                })
                .collect();
            let what = if params.iter().any(|p| p.location == ParamLocation::Cookie) {
                "Query, header and cookie"
            } else {
                "Query and header"
            };
            let docs = Docs {
                description: Some(format!("{what} parameters of `{operation_id}`.")),
                ..Docs::default()
            };
            self.add_type(
                &format!("{type_base}Params"),
                &pointer,
                docs,
                TypeKind::Struct(Struct {
                    fields,
                    additional: None,
                }),
            )
        });

        let body = self.lower_body(f, &type_base, &pointer);
        let (response, stream) = self.lower_response(f, &type_base, &pointer);
        let errors = self.lower_errors(f, &type_base, &pointer);
        let json_type = match &response {
            ResponseKind::Json(ty) => Some(ty.clone()),
            _ => None,
        };
        self.collect_operation_examples(
            f.op,
            &operation_id,
            json_type.as_ref(),
            stream.as_ref(),
            &pointer,
        );
        let response = match response {
            ResponseKind::Json(ty)
                if collections.contains(base_path(f.path)) && f.method == "GET" =>
            {
                match self.page_item(&ty) {
                    Some(item) => ResponseKind::Page(item),
                    None => ResponseKind::Json(ty),
                }
            }
            other => other,
        };
        let docs = Docs {
            title: f.op.summary.clone(),
            description: f.op.description.clone(),
            deprecated: f.op.deprecated,
            default: None,
            from: None,
        };
        Some(Operation {
            errors,
            operation_id,
            method: f.method.to_string(),
            path: f.path.to_string(),
            resource,
            name: default_name,
            docs,
            path_params,
            params,
            params_type,
            body,
            response,
            stream,
        })
    }

    fn lower_body(&mut self, f: &Found<'a>, type_base: &str, pointer: &str) -> Option<RequestBody> {
        let body = match f.op.request_body.as_ref()? {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/")?;
                match self.doc.api.components.as_ref()?.request_bodies.get(name)? {
                    ReferenceOr::Item(body) => body,
                    ReferenceOr::Reference { .. } => return None,
                }
            }
        };
        let (content_type, media) = body
            .content
            .iter()
            .find(|(ct, _)| is_json(ct))
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(ct, _)| ct.starts_with("multipart/form-data") || is_form(ct))
            })
            .or_else(|| body.content.iter().next())?;
        let hint = format!("{type_base}Body");
        let body_pointer = format!(
            "{pointer}/requestBody/content/{}",
            content_type.replace('/', "~1")
        );
        let ty = match &media.schema {
            Some(schema) => {
                self.lower(
                    SchemaRef::from(schema),
                    &hint,
                    &format!("{body_pointer}/schema"),
                )
                .ty
            }
            None => TypeRef::Json,
        };
        let kind = if is_json(content_type) {
            BodyKind::Json
        } else if content_type.starts_with("multipart/form-data") {
            if self.struct_fields(&ty).is_none() {
                self.warn(
                    &body_pointer,
                    "multipart body is not an object; it is sent as JSON",
                );
                BodyKind::Json
            } else {
                BodyKind::Multipart
            }
        } else if is_form(content_type) {
            if self.struct_fields(&ty).is_none() && ty != TypeRef::JsonObject {
                self.warn(
                    &body_pointer,
                    "form body is not an object; it is sent as raw text",
                );
                BodyKind::Raw(content_type.clone())
            } else {
                BodyKind::Form
            }
        } else {
            BodyKind::Raw(content_type.clone())
        };
        let ty = match kind {
            // A raw body is text (`text/plain`, `application/sdp`) or bytes.
            BodyKind::Raw(_) if ty == TypeRef::String || content_type.starts_with("text/") => {
                TypeRef::String
            }
            BodyKind::Raw(_) => TypeRef::Binary,
            _ => ty,
        };
        Some(RequestBody {
            kind,
            ty,
            content_type: content_type.clone(),
        })
    }

    /// A response, following a `#/components/responses/…` reference.
    fn resolve_response(
        &self,
        response: &'a ReferenceOr<openapiv3::Response>,
    ) -> Option<&'a openapiv3::Response> {
        let components = self.doc.api.components.as_ref();
        resolve_component(response, "#/components/responses/", |name| {
            components?.responses.get(name)
        })
    }

    /// Error responses (4xx, 5xx, and `default` when a success code is given) whose body
    /// has a JSON schema: callers decode them with `ApiError::body_as`.
    fn lower_errors(
        &mut self,
        f: &Found<'a>,
        type_base: &str,
        pointer: &str,
    ) -> Vec<ErrorResponse> {
        let responses = &f.op.responses;
        let has_success = responses.responses.keys().any(|code| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let mut documented: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if *c >= 400 => Some((c.to_string(), r)),
                StatusCode::Range(n) if *n >= 4 => Some((format!("{n}XX"), r)),
                _ => None,
            })
            .collect();
        if has_success && let Some(r) = &responses.default {
            documented.push(("default".to_string(), r));
        }
        let mut errors = Vec::new();
        for (status, response) in documented {
            let Some(response) = self.resolve_response(response) else {
                continue;
            };
            let Some((_, media)) = response.content.iter().find(|(ct, _)| is_json(ct)) else {
                continue;
            };
            let Some(schema) = media.schema.as_ref() else {
                continue;
            };
            let name = format!("{type_base}Error{}", names::upper_camel(&status));
            let ty = self.lower(schema.into(), &name, pointer).ty;
            errors.push(ErrorResponse { status, ty });
        }
        errors
    }

    /// The success response: the lowest 2xx code's content.
    fn lower_response(
        &mut self,
        f: &Found<'a>,
        type_base: &str,
        pointer: &str,
    ) -> (ResponseKind, Option<TypeRef>) {
        let mut success: Vec<(u16, &'a ReferenceOr<openapiv3::Response>)> =
            f.op.responses
                .responses
                .iter()
                .filter_map(|(code, r)| match code {
                    StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r)),
                    StatusCode::Range(2) => Some((299, r)),
                    _ => None,
                })
                .collect();
        success.sort_by_key(|(c, _)| *c);
        if let Some(codes) = self.differing_json_schemas(&success) {
            let kind = ResponseKind::Json(self.fallback(
                &format!("{pointer}/responses"),
                format!(
                    "success responses {codes} have different JSON schemas; the body is a serde_json::Value"
                ),
            ));
            return (kind, None);
        }
        let response = success
            .first()
            .map(|(_, r)| *r)
            .or(f.op.responses.default.as_ref());
        let Some(response) = response else {
            return (ResponseKind::Empty, None);
        };
        let Some(response) = self.resolve_response(response) else {
            return (ResponseKind::Empty, None);
        };
        let mut stream = None;
        let mut kind = ResponseKind::Empty;
        for (content_type, media) in &response.content {
            let schema = media.schema.as_ref();
            if content_type.starts_with("text/event-stream") {
                let ty = match schema {
                    Some(s) => {
                        self.lower(s.into(), &format!("{type_base}StreamEvent"), pointer)
                            .ty
                    }
                    None => TypeRef::Json,
                };
                stream = Some(ty);
            } else if is_json(content_type) {
                let ty = match schema {
                    Some(s) => {
                        self.lower(s.into(), &format!("{type_base}Response"), pointer)
                            .ty
                    }
                    None => TypeRef::Json,
                };
                // A JSON "string" offered beside a binary media type is the binary body
                // described loosely (`application/zip` or `application/json: {type: string}`).
                if !(ty == TypeRef::String && matches!(kind, ResponseKind::Binary)) {
                    kind = ResponseKind::Json(ty);
                }
            } else if matches!(kind, ResponseKind::Empty)
                || matches!(kind, ResponseKind::Json(TypeRef::String))
            {
                kind = if content_type.starts_with("text/") || content_type == "application/sdp" {
                    ResponseKind::Text
                } else {
                    ResponseKind::Binary
                };
            }
        }
        if self.config.binary_responses.contains(operation_id_of(f)) {
            kind = ResponseKind::Binary;
        }
        (kind, stream)
    }

    /// When success responses declare different JSON schemas (`200: A`, `201: B`), their
    /// status codes (`200, 201`): one Rust type cannot stand for all of them.
    fn differing_json_schemas(
        &self,
        success: &[(u16, &'a ReferenceOr<openapiv3::Response>)],
    ) -> Option<String> {
        let mut seen: Vec<(u16, &openapiv3::ReferenceOr<openapiv3::Schema>)> = Vec::new();
        for (code, response) in success {
            let response = match response {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/responses/")?;
                    match self.doc.api.components.as_ref()?.responses.get(name)? {
                        ReferenceOr::Item(r) => r,
                        ReferenceOr::Reference { .. } => continue,
                    }
                }
            };
            let schema = response
                .content
                .iter()
                .find(|(ct, _)| is_json(ct))
                .and_then(|(_, media)| media.schema.as_ref());
            if let Some(schema) = schema {
                seen.push((*code, schema));
            }
        }
        let first = seen.first()?.1;
        if seen.iter().all(|(_, schema)| *schema == first) {
            return None;
        }
        let codes: Vec<String> = seen.iter().map(|(code, _)| status_text(*code)).collect();
        Some(codes.join(", "))
    }

    /// Response examples from the configured extension (`x-oaiMeta` in the OpenAI spec):
    /// JSON bodies decode into the response type, SSE transcripts into the event type.
    /// Examples that are neither (elided with `...`) are counted as skipped.
    fn collect_operation_examples(
        &mut self,
        op: &openapiv3::Operation,
        operation_id: &str,
        json_type: Option<&TypeRef>,
        stream: Option<&TypeRef>,
        pointer: &str,
    ) {
        let Some(examples) = self
            .config
            .response_examples_extension
            .as_ref()
            .and_then(|key| op.extensions.get(key))
            .and_then(|m| m.get("examples"))
        else {
            return;
        };
        let examples: Vec<&serde_json::Value> = match examples {
            serde_json::Value::Array(list) => list.iter().collect(),
            other => vec![other],
        };
        for (i, example) in examples.iter().enumerate() {
            let Some(text) = example.get("response").and_then(serde_json::Value::as_str) else {
                continue;
            };
            let label = if examples.len() > 1 {
                format!("{operation_id}#{i}")
            } else {
                operation_id.to_string()
            };
            let mut push = |label: String, ty: &TypeRef, value: serde_json::Value| {
                self.examples.push(super::SchemaExample {
                    label,
                    ty: ty.clone(),
                    nullable: false,
                    value,
                    known_bad: None,
                    property: false,
                });
            };
            if let (Ok(value), Some(ty)) =
                (serde_json::from_str::<serde_json::Value>(text), json_type)
            {
                push(format!("{label} response"), ty, value);
                continue;
            }
            let events: Vec<&str> = text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("data:"))
                .map(str::trim)
                .filter(|d| *d != "[DONE]")
                .collect();
            match (stream, events.is_empty()) {
                (Some(ty), false) => {
                    for (n, data) in events.iter().enumerate() {
                        match serde_json::from_str(data) {
                            Ok(value) => push(format!("{label} event {n}"), ty, value),
                            Err(_) => self.report.skipped_examples.push(crate::Diagnostic {
                                pointer: pointer.to_string(),
                                message: format!("{label}: stream event {n} is not JSON"),
                            }),
                        }
                    }
                }
                _ => self.report.skipped_examples.push(crate::Diagnostic {
                    pointer: pointer.to_string(),
                    message: format!(
                        "{label}: the response example is not JSON (elided or annotated)"
                    ),
                }),
            }
        }
    }

    /// The item type of a cursor page: a struct with a `data` list and `has_more`.
    fn page_item(&mut self, ty: &TypeRef) -> Option<TypeRef> {
        let fields = self.struct_fields(ty)?;
        fields.iter().find(|f| f.json_name == "has_more")?;
        let data = fields.iter().find(|f| f.json_name == "data")?;
        match &data.ty {
            TypeRef::Vec(item) if matches!(**item, TypeRef::Named(_)) => Some((**item).clone()),
            _ => None,
        }
    }

    /// Applies configured names, then makes names unique per resource (a clash takes the
    /// operationId's name, and is reported).
    fn resolve_method_names(&mut self, ops: &mut [Operation]) {
        for op in ops.iter_mut() {
            if let Some(full) = self.config.method_names.get(&op.operation_id) {
                let mut parts: Vec<String> = full.split('.').map(names::field_name).collect();
                if let Some(name) = parts.pop() {
                    op.name = name;
                    op.resource = parts;
                }
            }
        }
        let mut by_resource: BTreeMap<(Vec<String>, String), Vec<usize>> = BTreeMap::new();
        for (i, op) in ops.iter().enumerate() {
            by_resource
                .entry((op.resource.clone(), op.name.clone()))
                .or_default()
                .push(i);
        }
        for ((resource, name), indices) in by_resource {
            if indices.len() < 2 {
                continue;
            }
            for i in indices {
                let renamed = names::field_name(&ops[i].operation_id);
                let pointer = format!(
                    "{}/{}",
                    path_pointer(&ops[i].path),
                    ops[i].method.to_lowercase()
                );
                self.warn(
                    &pointer,
                    format!("method `{}.{name}` is ambiguous; this one is `{renamed}` (from its operationId)", resource.join(".")),
                );
                ops[i].name = renamed;
            }
        }
    }
}

fn methods(item: &PathItem) -> Vec<(&'static str, &openapiv3::Operation)> {
    [
        ("GET", &item.get),
        ("PUT", &item.put),
        ("POST", &item.post),
        ("DELETE", &item.delete),
        ("OPTIONS", &item.options),
        ("HEAD", &item.head),
        ("PATCH", &item.patch),
        ("TRACE", &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

fn operation_id_of<'o>(f: &Found<'o>) -> &'o str {
    f.op.operation_id.as_deref().unwrap_or("")
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// `299` stands for the `2XX` range in the sorted list of success codes.
fn status_text(code: u16) -> String {
    if code == 299 {
        "2XX".into()
    } else {
        code.to_string()
    }
}

fn is_form(content_type: &str) -> bool {
    content_type.split(';').next().unwrap_or("").trim() == "application/x-www-form-urlencoded"
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The path without its fixed query string.
fn base_path(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

fn path_pointer(path: &str) -> String {
    format!("#/paths/{}", path.replace('~', "~0").replace('/', "~1"))
}

/// Resource words and the REST-shaped method name for a path and method.
///
/// `POST /things` → `things.create`; `GET /things` → `list`; `GET /things/{id}` → `retrieve`;
/// `POST|PATCH /things/{id}` → `update`; `DELETE …` → `delete`; a word after a parameter is a
/// sub-resource when it has items or pages (`/threads/{id}/runs`), otherwise an action
/// (`POST /jobs/{id}/cancel` → `jobs.cancel`). A fixed query (`/responses?beta=true`) puts
/// the operation under a resource named by its key (`beta.responses`).
pub fn resource_and_name(
    path: &str,
    method: &str,
    collections: &HashSet<String>,
) -> (Vec<String>, String) {
    let base = base_path(path);
    let segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let mut resource: Vec<String> = Vec::new();
    if let Some(query) = path.split_once('?').map(|(_, q)| q) {
        resource.extend(
            query
                .split('&')
                .filter_map(|kv| kv.split('=').next())
                .map(names::field_name),
        );
    }
    let words: Vec<String> = segments
        .iter()
        .filter(|s| !is_param(s))
        .map(|s| names::field_name(s))
        .collect();
    let ends_with_param = segments.last().is_some_and(|s| is_param(s));
    let after_param =
        segments.len() >= 2 && is_param(segments[segments.len() - 2]) && !ends_with_param;
    let singleton = after_param
        && !collections.contains(base)
        && collections.contains(&format!("{SINGLETON}{path}"));
    let is_action = after_param && !collections.contains(base) && !singleton;
    let name = if singleton {
        resource.extend(words);
        match method {
            "GET" => "retrieve",
            "DELETE" => "delete",
            _ => "update",
        }
    } else if is_action {
        let action = words.last().cloned().unwrap_or_default();
        resource.extend(words[..words.len().saturating_sub(1)].iter().cloned());
        return (resource, action);
    } else {
        resource.extend(words);
        match (method, ends_with_param) {
            ("GET", false) => "list",
            ("GET", true) => "retrieve",
            ("POST", false) => "create",
            ("POST" | "PUT" | "PATCH", _) => "update",
            ("DELETE", _) => "delete",
            (other, _) => return (resource, other.to_lowercase()),
        }
    };
    (resource, name.to_string())
}

fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> QueryStyle {
    match style {
        openapiv3::QueryStyle::Form if explode == Some(false) => QueryStyle::FormNoExplode,
        openapiv3::QueryStyle::Form => QueryStyle::Form,
        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
    }
}

fn dedupe_param_names(params: &mut [Param]) {
    let mut taken = HashSet::from([
        "body".to_string(),
        "params".to_string(),
        "self_".to_string(),
    ]);
    for p in params.iter_mut() {
        p.name = names::unique(&p.name, &mut taken);
    }
}

/// An item, or the component a one-level `#/components/<kind>/<name>` reference names
/// (`prefix` is `#/components/<kind>/`; `lookup` finds a name among them).
fn resolve_component<'a, T>(
    item: &'a ReferenceOr<T>,
    prefix: &str,
    lookup: impl FnOnce(&str) -> Option<&'a ReferenceOr<T>>,
) -> Option<&'a T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => match lookup(reference.strip_prefix(prefix)?)? {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        },
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_shapes() {
        let collections: HashSet<String> = [
            "/threads/{thread_id}/runs",
            "/chat/completions/{completion_id}/messages",
            "/threads",
            "singleton:/projects/{id}/spend_limit",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let cases = [
            ("/chat/completions", "POST", "chat.completions", "create"),
            ("/chat/completions", "GET", "chat.completions", "list"),
            ("/models/{model}", "GET", "models", "retrieve"),
            ("/models/{model}", "DELETE", "models", "delete"),
            (
                "/chat/completions/{completion_id}",
                "POST",
                "chat.completions",
                "update",
            ),
            (
                "/fine_tuning/jobs/{fine_tuning_job_id}/cancel",
                "POST",
                "fine_tuning.jobs",
                "cancel",
            ),
            ("/files/{file_id}/content", "GET", "files", "content"),
            (
                "/threads/{thread_id}/runs",
                "POST",
                "threads.runs",
                "create",
            ),
            (
                "/chat/completions/{completion_id}/messages",
                "GET",
                "chat.completions.messages",
                "list",
            ),
            ("/responses?beta=true", "POST", "beta.responses", "create"),
            (
                "/projects/{id}/spend_limit",
                "GET",
                "projects.spend_limit",
                "retrieve",
            ),
            (
                "/projects/{id}/spend_limit",
                "DELETE",
                "projects.spend_limit",
                "delete",
            ),
            (
                "/organization/projects/{project_id}/api_keys/{key_id}",
                "GET",
                "organization.projects.api_keys",
                "retrieve",
            ),
        ];
        for (path, method, resource, name) in cases {
            let (r, n) = resource_and_name(path, method, &collections);
            assert_eq!(
                (r.join("."), n.as_str()),
                (resource.to_string(), name),
                "{method} {path}"
            );
        }
    }
}
