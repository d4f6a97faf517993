//! Schema → IR: primitives, objects (with `allOf` merging), enums and unions.

use std::collections::HashSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::view::{SchemaRef, View};
use super::{Lowered, Lowering, Shape, ShapeOut, component_name, docs_of};
use crate::ir::{
    Docs, EnumValue, Field, IntType, Struct, Tagged, TaggedVariant, TypeKind, TypeRef, Variant,
};
use crate::names;

/// Property names that, holding a single constant string, usually tag a union member.
const TAG_CANDIDATES: &[&str] = &["type", "object", "role", "event", "kind"];

impl<'a> Lowering<'a> {
    /// Lowers a schema position; inline schemas that need a type get one named `hint`.
    pub(super) fn lower(&mut self, schema: SchemaRef<'a>, hint: &str, pointer: &str) -> Lowered {
        match schema {
            SchemaRef::Ref(reference) => self.lower_ref(reference, hint, pointer),
            SchemaRef::Inline(schema) => self.lower_inline(schema, hint, pointer),
        }
    }

    fn lower_inline(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Lowered {
        let view = View::of(schema);
        let shape = self.lower_shape(&view, hint, pointer);
        let nullable = shape.nullable || view.data.nullable;
        let ty = match shape.kind {
            Shape::Type(ty) => ty,
            Shape::Kind(kind) => TypeRef::Named(self.add_type(hint, pointer, docs_of(&view), kind)),
        };
        Lowered { ty, nullable }
    }

    pub(super) fn lower_ref(&mut self, reference: &str, hint: &str, pointer: &str) -> Lowered {
        if let Some(name) = component_name(reference) {
            if let Some(c) = self.components.get(&name) {
                return Lowered {
                    ty: TypeRef::Named(c.id),
                    nullable: c.nullable,
                };
            }
            let ty = self.fallback(
                pointer,
                format!("`$ref` to `{reference}`, which does not exist"),
            );
            return Lowered {
                ty,
                nullable: false,
            };
        }
        if let Some((ty, nullable)) = self.extra_types.get(reference) {
            return Lowered {
                ty: ty.clone(),
                nullable: *nullable,
            };
        }
        match self.extra.by_ref.get(reference) {
            Some(Ok(schema)) => {
                // Placeholder first, so a self-reference through this path terminates.
                self.extra_types
                    .insert(reference.to_string(), (TypeRef::Json, false));
                let last = reference.rsplit('/').next().unwrap_or("Ref");
                let lowered = self.lower_inline(
                    schema,
                    &format!("{hint}{}", names::type_name(last)),
                    reference,
                );
                self.extra_types.insert(
                    reference.to_string(),
                    (lowered.ty.clone(), lowered.nullable),
                );
                lowered
            }
            Some(Err(message)) => {
                let message = message.clone();
                Lowered {
                    ty: self.fallback(pointer, format!("unusable `$ref` `{reference}`: {message}")),
                    nullable: false,
                }
            }
            None => Lowered {
                ty: self.fallback(
                    pointer,
                    format!("`$ref` `{reference}` is not a local reference"),
                ),
                nullable: false,
            },
        }
    }

    /// Decides what a schema is. The order matters: composition keywords first, then
    /// enums, then the declared type.
    pub(super) fn lower_shape(&mut self, view: &View<'a>, hint: &str, pointer: &str) -> ShapeOut {
        let nullable = view.enum_has_null;
        let plain = |kind| ShapeOut { kind, nullable };
        if let Some(not) = view.not {
            // `not: {required: [a, b]}` only validates; anything else has no Rust type.
            if !is_constraint_only(not) {
                return plain(Shape::Type(
                    self.fallback(pointer, "`not` cannot be expressed as a Rust type"),
                ));
            }
        }
        if !view.all_of.is_empty() {
            return self.lower_all_of(view, hint, pointer);
        }
        let members = view.union_members();
        // `anyOf: [{required: [a]}, {required: [b]}]` beside properties only validates.
        let members = if members.iter().all(is_constraint_only) {
            &[][..]
        } else {
            members
        };
        if !members.is_empty() {
            if !view.properties.is_empty() {
                self.warn(
                    pointer,
                    "properties beside `oneOf`/`anyOf` are not merged into the union's variants",
                );
            }
            return self.lower_union(view, members, hint, pointer);
        }
        if !view.enum_values.is_empty() {
            if let Some(values) = view.string_enum() {
                let mut values = enum_values(values);
                let kind = match values.len() {
                    1 => TypeKind::Constant(values.remove(0)),
                    _ => TypeKind::StringEnum(values),
                };
                return plain(Shape::Kind(kind));
            }
            // Numeric and boolean enums keep their primitive type; values are documented.
            let all = |f: fn(&serde_json::Value) -> bool| view.enum_values.iter().all(f);
            let (ty, agrees) = if all(serde_json::Value::is_i64) && view.ty != Some("number") {
                (
                    TypeRef::Int(IntType::I64),
                    matches!(view.ty, None | Some("integer")),
                )
            } else if all(serde_json::Value::is_number) {
                (TypeRef::F64, matches!(view.ty, None | Some("number")))
            } else if all(serde_json::Value::is_boolean) {
                (TypeRef::Bool, matches!(view.ty, None | Some("boolean")))
            } else {
                (TypeRef::Json, false)
            };
            if agrees {
                return plain(Shape::Type(ty));
            }
            // `type: integer` with `enum: [small, large]` (or quoted numbers) contradicts
            // itself: no value satisfies it. Failing the whole run over one schema would block
            // an API that otherwise works, and guessing which half is right could be silently
            // wrong; so it is any JSON value, reported where it is.
            let values: Vec<String> = view.enum_values.iter().map(|v| v.to_string()).collect();
            let declared = view
                .ty
                .map_or_else(|| "no `type`".to_owned(), |t| format!("`type: {t}`"));
            let message = format!(
                "{declared} with enum values [{}] that do not all fit it; typed as any JSON value",
                values.join(", ")
            );
            return plain(Shape::Type(self.fallback(pointer, message)));
        }
        let ty = match view.ty {
            Some("string") => match view.format.as_deref() {
                Some("binary") => TypeRef::Binary,
                _ => TypeRef::String,
            },
            Some("integer") => TypeRef::Int(IntType::of_format(view.format.as_deref())),
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => {
                let item = match view.items {
                    Some(items) => {
                        self.lower(items, &format!("{hint}Item"), &format!("{pointer}/items"))
                            .ty
                    }
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            Some("object") | None
                if view.is_object_like() || view.ty.is_some() || view.additional.is_some() =>
            {
                if view.properties.is_empty() {
                    self.lower_map(view.additional, hint, pointer)
                } else {
                    let fields = self.lower_struct(view, hint, pointer);
                    return plain(Shape::Kind(TypeKind::Struct(fields)));
                }
            }
            Some("null") => TypeRef::Json,
            Some(other) => self.fallback(pointer, format!("unknown type `{other}`")),
            // No type and no keywords: any JSON value, by design.
            None => TypeRef::Json,
        };
        plain(Shape::Type(ty))
    }

    /// An object without declared properties: a typed map, or any JSON object.
    fn lower_map(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.lower(
                    (&**schema).into(),
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                );
                TypeRef::Map(Box::new(value.ty))
            }
            _ => TypeRef::JsonObject,
        }
    }

    /// An object's declared properties as fields, plus its `additionalProperties`.
    fn lower_struct(&mut self, view: &View<'a>, hint: &str, pointer: &str) -> Struct {
        let mut out = Struct {
            fields: Vec::new(),
            additional: None,
        };
        self.add_properties(&mut out, view, hint, pointer);
        out
    }

    fn add_properties(&mut self, out: &mut Struct, view: &View<'a>, hint: &str, pointer: &str) {
        for (json_name, schema) in &view.properties {
            let field_pointer = format!(
                "{pointer}/properties/{}",
                json_name.replace('~', "~0").replace('/', "~1")
            );
            let lowered = self.lower(
                *schema,
                &format!("{hint}{}", names::type_name(json_name)),
                &field_pointer,
            );
            let docs = match schema {
                SchemaRef::Inline(s) => docs_of(&View::of(s)),
                SchemaRef::Ref(_) => Docs::default(),
            };
            if let (SchemaRef::Inline(s), Some(component)) =
                (schema, pointer.strip_prefix("#/components/schemas/"))
                && let Some(value) = &s.schema_data.example
            {
                let owner = component.split('/').next().unwrap_or(component);
                self.examples.push(super::SchemaExample {
                    label: format!("{owner}.{json_name}"),
                    ty: lowered.ty.clone(),
                    nullable: lowered.nullable,
                    value: value.clone(),
                    known_bad: None,
                    property: true,
                });
            }
            let field = Field {
                json_name: json_name.to_string(),
                name: names::field_name(json_name),
                ty: lowered.ty,
                required: false,
                nullable: lowered.nullable,
                flatten: false,
                docs,
            };
            match out
                .fields
                .iter_mut()
                .find(|f| !f.flatten && f.json_name == *json_name)
            {
                // A later definition (an `allOf` extension) refines an earlier one in place.
                Some(existing) => {
                    let required = existing.required;
                    *existing = field;
                    existing.required = required;
                }
                None => out.fields.push(field),
            }
        }
        let required: HashSet<&str> = view.required.iter().map(String::as_str).collect();
        for field in &mut out.fields {
            if required.contains(field.json_name.as_str()) {
                field.required = true;
            }
        }
        for name in &required {
            if !out.fields.iter().any(|f| f.json_name == *name) && !view.properties.is_empty() {
                self.warn(
                    pointer,
                    format!("`required` names `{name}`, which is not a property"),
                );
            }
        }
        match view.additional {
            Some(AdditionalProperties::Any(true)) => out.additional = Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.lower(
                    (&**schema).into(),
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                );
                out.additional = Some(value.ty);
            }
            _ => {}
        }
        dedupe_field_names(&mut out.fields);
    }

    /// `allOf`: one member (plus docs) is that member; several object members merge their
    /// fields into one struct, each field remembering the schema it came from; a member that
    /// is a union becomes a flattened field.
    fn lower_all_of(&mut self, view: &View<'a>, hint: &str, pointer: &str) -> ShapeOut {
        let mut nullable = view.enum_has_null;
        // Members that only annotate (`{nullable: true}`, `{description: …}`) add no shape.
        let mut members = Vec::new();
        for (i, member) in view.all_of.iter().enumerate() {
            match member {
                ReferenceOr::Item(schema) if is_annotation_only(schema) => {
                    nullable |= schema.schema_data.nullable
                }
                _ => members.push((i, member)),
            }
        }
        let only_docs = view.properties.is_empty()
            && view.union_members().is_empty()
            && view.ty.is_none_or(|t| t == "object");
        if let ([(i, member)], true, None) = (members.as_slice(), only_docs, view.additional) {
            let out = self.lower_passthrough(member, hint, &format!("{pointer}/allOf/{i}"));
            return ShapeOut {
                kind: out.kind,
                nullable: nullable || out.nullable,
            };
        }
        let mut merged = Struct {
            fields: Vec::new(),
            additional: None,
        };
        for (i, member) in members {
            self.merge_member(&mut merged, member, hint, &format!("{pointer}/allOf/{i}"));
        }
        let union = view.union_members();
        if !union.is_empty() && !union.iter().all(is_constraint_only) {
            self.warn(
                pointer,
                "`oneOf`/`anyOf` beside `allOf` is ignored; fields come from `allOf`",
            );
        }
        self.add_properties(&mut merged, view, hint, pointer);
        ShapeOut {
            kind: Shape::Kind(TypeKind::Struct(merged)),
            nullable,
        }
    }

    /// A schema that wraps exactly one other: the inner one's shape, without an extra
    /// named type in between (so a component keeps its own name).
    fn lower_passthrough(
        &mut self,
        member: &'a ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> ShapeOut {
        match member {
            ReferenceOr::Item(schema) => {
                let inner = View::of(schema);
                let out = self.lower_shape(&inner, hint, pointer);
                ShapeOut {
                    kind: out.kind,
                    nullable: out.nullable || inner.data.nullable,
                }
            }
            ReferenceOr::Reference { reference } => {
                let lowered = self.lower_ref(reference, hint, pointer);
                ShapeOut {
                    kind: Shape::Type(lowered.ty),
                    nullable: lowered.nullable,
                }
            }
        }
    }

    /// Adds one `allOf` member to a merged struct: an object's fields, a nested `allOf`'s
    /// members, or anything else as a flattened field.
    fn merge_member(
        &mut self,
        merged: &mut Struct,
        member: &'a ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) {
        match member {
            ReferenceOr::Reference { reference } => {
                if let Some(name) = component_name(reference)
                    && self.merge_component(merged, &name)
                {
                    return;
                }
            }
            ReferenceOr::Item(schema) => {
                let member_view = View::of(schema);
                let union = member_view.union_members();
                if union.is_empty() || union.iter().all(is_constraint_only) {
                    for (j, nested) in member_view.all_of.iter().enumerate() {
                        if !matches!(nested, ReferenceOr::Item(s) if is_annotation_only(s)) {
                            self.merge_member(
                                merged,
                                nested,
                                hint,
                                &format!("{pointer}/allOf/{j}"),
                            );
                        }
                    }
                    self.add_properties(merged, &member_view, hint, pointer);
                    return;
                }
            }
        }
        // Not an object: its JSON fields sit beside the others.
        let lowered = self.lower(member.into(), &format!("{hint}Base"), pointer);
        let base_name = match &lowered.ty {
            crate::ir::TypeRef::Named(id) => names::field_name(&self.space.get(*id).name),
            _ => "base".to_string(),
        };
        merged.fields.push(Field {
            json_name: String::new(),
            name: base_name,
            ty: lowered.ty,
            required: true,
            nullable: false,
            flatten: true,
            docs: Docs::default(),
        });
        dedupe_field_names(&mut merged.fields);
    }

    /// Copies the fields of component `name` into `into`. False when it is not a struct.
    fn merge_component(&mut self, into: &mut Struct, name: &str) -> bool {
        if !self.ensure_component(name) {
            return false;
        }
        let Some(id) = self.components.get(name).map(|c| c.id) else {
            return false;
        };
        let mut def = self.space.get(id);
        // Follow aliases to the struct.
        let mut hops = 0;
        while let TypeKind::Alias(TypeRef::Named(target)) = &def.kind {
            def = self.space.get(*target);
            hops += 1;
            if hops > 32 {
                return false;
            }
        }
        let TypeKind::Struct(base) = &def.kind else {
            return false;
        };
        let source = def.name.clone();
        for field in &base.fields {
            let mut field = field.clone();
            field.docs.from.get_or_insert_with(|| source.clone());
            match into
                .fields
                .iter_mut()
                .find(|f| f.json_name == field.json_name)
            {
                Some(existing) => *existing = field,
                None => into.fields.push(field),
            }
        }
        if base.additional.is_some() {
            into.additional = base.additional.clone();
        }
        true
    }

    /// `oneOf`/`anyOf` with two or more non-null members.
    fn lower_union(
        &mut self,
        view: &View<'a>,
        members: &'a [ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
    ) -> ShapeOut {
        let mut nullable = view.enum_has_null;
        let key = if !view.one_of.is_empty() {
            "oneOf"
        } else {
            "anyOf"
        };
        if members.len() == 1 {
            let out = self.lower_passthrough(&members[0], hint, &format!("{pointer}/{key}/0"));
            return ShapeOut {
                kind: out.kind,
                nullable: nullable || out.nullable,
            };
        }
        if let Some(shape) = self.open_string_enum(members) {
            return ShapeOut {
                kind: shape,
                nullable,
            };
        }
        let discriminator = view.data.discriminator.as_ref();
        let tag_hint = discriminator.map(|d| d.property_name.as_str());
        let mut lowered = Vec::new();
        let mut taken_names = HashSet::new();
        for (i, member) in members.iter().enumerate() {
            let name = names::unique(
                &self.provisional_variant_name(member, tag_hint),
                &mut taken_names,
            );
            let member_pointer = format!("{pointer}/{key}/{i}");
            let l = self.lower(member.into(), &format!("{hint}{name}"), &member_pointer);
            nullable |= l.nullable;
            let docs = match member {
                ReferenceOr::Item(s) => docs_of(&View::of(s)),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            lowered.push((name, l.ty, docs, member));
        }
        if let Some(tagged) = self.detect_tag(&lowered, discriminator, pointer) {
            return ShapeOut {
                kind: Shape::Kind(TypeKind::Tagged(tagged)),
                nullable,
            };
        }
        let mut variants: Vec<Variant> = lowered
            .into_iter()
            .map(|(name, ty, docs, _)| Variant { name, ty, docs })
            .collect();
        // Deserialization tries variants in order: the most specific shapes first.
        variants.sort_by_key(|v| self.match_rank(&v.ty));
        ShapeOut {
            kind: Shape::Kind(TypeKind::Untagged(variants)),
            nullable,
        }
    }

    /// `anyOf: [{type: string}, {type: string, enum: [...]}]` and friends: since every
    /// enum we emit is open, the union is one enum with the known values.
    fn open_string_enum(&mut self, members: &'a [ReferenceOr<Schema>]) -> Option<Shape> {
        let mut values: Vec<String> = Vec::new();
        let mut enum_refs = Vec::new();
        let mut inline_enums = 0;
        for member in members {
            match member {
                ReferenceOr::Item(schema) => {
                    let view = View::of(schema);
                    if view.ty != Some("string") || view.format.as_deref() == Some("binary") {
                        return None;
                    }
                    if let Some(vals) = view.string_enum() {
                        inline_enums += 1;
                        values.extend(vals.into_iter().map(String::from));
                    } else if !view.enum_values.is_empty() {
                        return None;
                    }
                }
                ReferenceOr::Reference { reference } => {
                    let name = component_name(reference)?;
                    let schema = match self.schemas()?.get(&name)? {
                        ReferenceOr::Item(s) => s,
                        ReferenceOr::Reference { .. } => return None,
                    };
                    let view = View::of(schema);
                    let vals = view.string_enum()?;
                    values.extend(vals.into_iter().map(String::from));
                    enum_refs.push(name);
                }
            }
        }
        if enum_refs.len() == 1 && inline_enums == 0 {
            let id = self.components.get(&enum_refs[0])?.id;
            return Some(Shape::Type(TypeRef::Named(id)));
        }
        if values.is_empty() {
            return Some(Shape::Type(TypeRef::String));
        }
        let mut seen = HashSet::new();
        values.retain(|v| seen.insert(v.clone()));
        Some(Shape::Kind(TypeKind::StringEnum(enum_values(
            values.iter().map(String::as_str).collect(),
        ))))
    }

    /// A readable variant name before the member is lowered (it names the member's inline
    /// type): the component's name, the member's constant tag value, its title, or its kind.
    fn provisional_variant_name(
        &self,
        member: &'a ReferenceOr<Schema>,
        tag_hint: Option<&str>,
    ) -> String {
        let schema = match member {
            ReferenceOr::Reference { reference } => {
                return match component_name(reference) {
                    Some(name) => self
                        .components
                        .get(&name)
                        .map(|c| self.space.get(c.id).name.clone()),
                    None => None,
                }
                .unwrap_or_else(|| {
                    names::type_name(reference.rsplit('/').next().unwrap_or("Ref"))
                });
            }
            ReferenceOr::Item(schema) => schema,
        };
        let view = View::of(schema);
        let candidates = tag_hint.into_iter().chain(TAG_CANDIDATES.iter().copied());
        for candidate in candidates {
            let Some((_, SchemaRef::Inline(prop))) =
                view.properties.iter().find(|(n, _)| *n == candidate)
            else {
                continue;
            };
            if let Some(values) = View::of(prop).string_enum()
                && values.len() == 1
            {
                return names::variant_name(values[0]);
            }
        }
        if let Some(title) = &view.data.title {
            return names::type_name(title);
        }
        match (view.ty, view.string_enum()) {
            (_, Some(_)) => "Enum".into(),
            (Some("string"), _) => "Text".into(),
            (Some("integer"), _) => "Integer".into(),
            (Some("number"), _) => "Number".into(),
            (Some("boolean"), _) => "Bool".into(),
            (Some("array"), _) => "Array".into(),
            _ if view.is_object_like() => "Object".into(),
            _ => "Value".into(),
        }
    }

    /// A union is tagged when one property holds a distinct constant string in every
    /// member (or the `discriminator` names it); members that are themselves unions tagged
    /// on the same property contribute all their values.
    fn detect_tag(
        &mut self,
        members: &[(String, TypeRef, Docs, &'a ReferenceOr<Schema>)],
        discriminator: Option<&openapiv3::Discriminator>,
        pointer: &str,
    ) -> Option<Tagged> {
        let candidates: Vec<String> = match discriminator {
            Some(d) => vec![d.property_name.clone()],
            None => {
                let first = &members.first()?.1;
                self.constant_properties(first)
            }
        };
        'candidates: for tag in candidates {
            let mut variants = Vec::new();
            let mut seen = HashSet::new();
            for (provisional, ty, docs, member) in members {
                // Under an explicit discriminator, an optional constant is the tag too: the
                // value may be left out (an "easy" input message without `type`), but when
                // it is there, it says which member this is.
                let mut values = self.tag_values(ty, &tag, discriminator.is_some());
                if let (Some(d), ReferenceOr::Reference { reference }) = (discriminator, member) {
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference)
                        .map(|(v, _)| v.clone())
                        .collect();
                    if !mapped.is_empty() {
                        values = mapped;
                    } else if values.is_empty() && d.mapping.is_empty() {
                        // The spec's default: the tag value is the schema name.
                        values = component_name(reference).into_iter().collect();
                    }
                }
                values.iter().for_each(|v| {
                    seen.insert(v.clone());
                });
                if values.is_empty() {
                    if discriminator.is_some() {
                        self.warn(pointer, format!("discriminator `{tag}` does not tell member `{provisional}` apart; the union is untagged"));
                    }
                    continue 'candidates;
                }
                let mut shared = |value: &String| {
                    members
                        .iter()
                        .filter(|(_, other, _, _)| other != ty)
                        .any(|(_, other, _, _)| {
                            self.tag_values(other, &tag, discriminator.is_some())
                                .contains(value)
                        })
                };
                let name = match (member, values.as_slice()) {
                    (ReferenceOr::Reference { .. }, [single]) if !shared(single) => {
                        names::variant_name(single)
                    }
                    _ => provisional.clone(),
                };
                variants.push(TaggedVariant {
                    name,
                    values,
                    ty: ty.clone(),
                    docs: docs.clone(),
                });
            }
            // One value shared by every member tells nothing apart.
            if seen.len() < 2 && variants.len() > 1 {
                continue 'candidates;
            }
            let mut taken = HashSet::new();
            for v in &mut variants {
                v.name = names::unique(&v.name, &mut taken);
            }
            return Some(Tagged { tag, variants });
        }
        None
    }

    /// Required properties of a struct type holding a single constant string, most
    /// tag-like first.
    fn constant_properties(&mut self, ty: &TypeRef) -> Vec<String> {
        let Some(fields) = self.struct_fields(ty) else {
            return Vec::new();
        };
        let mut props: Vec<String> = fields
            .iter()
            .filter(|f| f.required && self.single_value(&f.ty).is_some())
            .map(|f| f.json_name.clone())
            .collect();
        props.sort_by_key(|p| {
            TAG_CANDIDATES
                .iter()
                .position(|c| c == p)
                .unwrap_or(usize::MAX)
        });
        props
    }

    fn tag_values(&mut self, ty: &TypeRef, tag: &str, optional: bool) -> Vec<String> {
        let TypeRef::Named(id) = ty else {
            return Vec::new();
        };
        let id = self.resolve_lowered(*id);
        match &self.space.get(id).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.json_name == tag && (f.required || optional))
                .and_then(|f| self.single_value(&f.ty))
                .into_iter()
                .collect(),
            TypeKind::Tagged(t) if t.tag == tag => {
                let mut values: Vec<String> = Vec::new();
                for value in t.variants.iter().flat_map(|v| &v.values) {
                    if !values.contains(value) {
                        values.push(value.clone());
                    }
                }
                values
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn struct_fields(&mut self, ty: &TypeRef) -> Option<Vec<Field>> {
        let TypeRef::Named(id) = ty else { return None };
        let id = self.resolve_lowered(*id);
        match &self.space.get(id).kind {
            TypeKind::Struct(s) => Some(s.fields.clone()),
            _ => None,
        }
    }

    /// Follows aliases to the type behind them, lowering components on the way that have
    /// not been lowered yet (their IR is needed now).
    fn resolve_lowered(&mut self, mut id: crate::ir::TypeId) -> crate::ir::TypeId {
        for _ in 0..32 {
            if self.is_pending_component(id) {
                let name = self
                    .components
                    .iter()
                    .find(|(_, c)| c.id == id)
                    .map(|(n, _)| n.clone());
                if let Some(name) = name {
                    self.ensure_component(&name);
                }
            }
            match &self.space.get(id).kind {
                TypeKind::Alias(TypeRef::Named(next)) => id = *next,
                _ => break,
            }
        }
        id
    }

    fn is_pending_component(&self, id: crate::ir::TypeId) -> bool {
        self.components
            .values()
            .any(|c| c.id == id && c.state == super::State::Pending)
    }

    fn resolve_alias(&self, mut id: crate::ir::TypeId) -> crate::ir::TypeId {
        for _ in 0..32 {
            match &self.space.get(id).kind {
                TypeKind::Alias(TypeRef::Named(next)) => id = *next,
                _ => break,
            }
        }
        id
    }

    /// The one value of a single-value string enum type.
    fn single_value(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(id) = ty else { return None };
        match &self.space.get(self.resolve_alias(*id)).kind {
            TypeKind::Constant(value) => Some(value.value.clone()),
            _ => None,
        }
    }

    /// Order for untagged deserialization: scalars by strictness, then strings, lists,
    /// objects with more required fields before those with fewer, then anything.
    fn match_rank(&self, ty: &TypeRef) -> u32 {
        self.match_rank_within(ty, 16)
    }

    /// `depth` bounds the walk: an alias may contain itself (`A = Vec<A>`, untied later).
    fn match_rank_within(&self, ty: &TypeRef, depth: u32) -> u32 {
        let Some(depth) = depth.checked_sub(1) else {
            return 400;
        };
        match ty {
            TypeRef::Bool => 0,
            TypeRef::Int(_) => 1,
            TypeRef::F64 => 2,
            TypeRef::String | TypeRef::Binary => 4,
            TypeRef::Vec(item) => 10 + self.match_rank_within(item, depth).min(400) / 10,
            TypeRef::Boxed(inner) => self.match_rank_within(inner, depth),
            TypeRef::Named(id) => match &self.space.get(self.resolve_alias(*id)).kind {
                TypeKind::StringEnum(_) | TypeKind::Constant(_) => 3,
                TypeKind::Alias(inner) => self.match_rank_within(inner, depth),
                TypeKind::Struct(s) => {
                    let required = s.fields.iter().filter(|f| f.required).count() as u32;
                    100 + 100u32.saturating_sub(required)
                }
                TypeKind::Tagged(_) => 199,
                TypeKind::Untagged(_) => 250,
            },
            TypeRef::Map(_) => 300,
            TypeRef::JsonObject => 301,
            TypeRef::Json => 400,
        }
    }
}

/// A schema with no shape of its own, only annotations (`{nullable: true}`, a description).
fn is_annotation_only(schema: &Schema) -> bool {
    let view = View::of(schema);
    view.ty.is_none()
        && view.properties.is_empty()
        && view.items.is_none()
        && view.enum_values.is_empty()
        && view.additional.is_none()
        && view.all_of.is_empty()
        && view.union_members().is_empty()
        && view.not.is_none()
        && view.required.is_empty()
}

/// A schema that only states which properties are required (a validation rule).
fn is_constraint_only(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    let view = View::of(schema);
    !view.required.is_empty()
        && view.ty.is_none_or(|t| t == "object")
        && view.properties.is_empty()
        && view.items.is_none()
        && view.enum_values.is_empty()
        && view.all_of.is_empty()
        && view.union_members().is_empty()
}

fn enum_values(values: Vec<&str>) -> Vec<EnumValue> {
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    for value in values {
        if out.iter().any(|v: &EnumValue| v.value == value) {
            continue;
        }
        let variant = names::unique(&names::variant_name(value), &mut taken);
        out.push(EnumValue {
            value: value.to_string(),
            variant,
        });
    }
    out
}

/// Two JSON names that convert to one Rust name (`fooBar`, `foo_bar`): later ones get a suffix.
fn dedupe_field_names(fields: &mut [Field]) {
    let mut taken = HashSet::new();
    // `additional_properties` is the name of the catch-all map field.
    taken.insert("additional_properties".to_string());
    for field in fields.iter_mut() {
        field.name = names::unique(&field.name, &mut taken);
    }
}
