//! What changed between two [`Surface`]s, each change classified as breaking or compatible
//! for a caller of the generated crate (see ARCHITECTURE.md, "Change classification").
//!
//! A removed item and an added item of the same shape (same members, or a method on the
//! same endpoint) are one rename, when that pairing is unique. Types that merely follow a
//! renamed type (a field of type `Old` that is now `New`) are not reported again.

use std::collections::{BTreeMap, BTreeSet};

use super::surface::{Flag, Kind, Member, Method, Surface, Type};

/// Whether a change can break code that compiles against the old crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Breaking,
    Compatible,
}

/// What kind of change, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    MethodRemoved,
    MethodRenamed,
    SignatureChanged,
    TypeRemoved,
    TypeRenamed,
    KindChanged,
    AliasChanged,
    ConstructorChanged,
    RequiredFieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldRequired,
    FieldOptional,
    NullabilityChanged,
    FieldTypeChanged,
    VariantRemoved,
    VariantRenamed,
    VariantTypeChanged,
    ConversionRemoved,
    ValueRemoved,
    ValueRenamed,
    WireValueChanged,
    MethodAdded,
    ArgumentRenamed,
    EndpointChanged,
    MethodDeprecated,
    TypeAdded,
    TypeDeprecated,
    TagChanged,
    FieldAdded,
    FieldDeprecated,
    VariantAdded,
    TagValuesChanged,
    ValueAdded,
}

impl ChangeKind {
    pub fn class(self) -> Class {
        use ChangeKind::*;
        match self {
            MethodAdded | ArgumentRenamed | EndpointChanged | MethodDeprecated | TypeAdded
            | TypeDeprecated | TagChanged | FieldAdded | FieldDeprecated | VariantAdded
            | TagValuesChanged | ValueAdded => Class::Compatible,
            _ => Class::Breaking,
        }
    }

    pub fn label(self) -> &'static str {
        use ChangeKind::*;
        match self {
            MethodRemoved => "method removed",
            MethodRenamed => "method renamed",
            SignatureChanged => "method signature changed",
            TypeRemoved => "type removed",
            TypeRenamed => "type renamed",
            KindChanged => "type kind changed",
            AliasChanged => "alias target changed",
            ConstructorChanged => "constructor argument order changed",
            RequiredFieldAdded => "required field added",
            FieldRemoved => "field removed",
            FieldRenamed => "field renamed",
            FieldRequired => "field became required",
            FieldOptional => "field became optional",
            NullabilityChanged => "field nullability changed",
            FieldTypeChanged => "field type changed",
            VariantRemoved => "variant removed",
            VariantRenamed => "variant renamed",
            VariantTypeChanged => "variant type changed",
            ConversionRemoved => "From conversion removed",
            ValueRemoved => "enum value removed",
            ValueRenamed => "enum value renamed",
            WireValueChanged => "enum value's wire string changed",
            MethodAdded => "method added",
            ArgumentRenamed => "method argument renamed",
            EndpointChanged => "method endpoint changed",
            MethodDeprecated => "method deprecated",
            TypeAdded => "type added",
            TypeDeprecated => "type deprecated",
            TagChanged => "union tag property changed",
            FieldAdded => "optional field added",
            FieldDeprecated => "field deprecated",
            VariantAdded => "variant added",
            TagValuesChanged => "variant tag values changed",
            ValueAdded => "enum value added",
        }
    }
}

/// One change: what, to which item (`client.files.create`, `Type.field`, `Enum::Variant`),
/// and the old and new text where that helps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub kind: ChangeKind,
    pub item: String,
    pub detail: String,
}

impl Change {
    pub fn class(&self) -> Class {
        self.kind.class()
    }
}

/// Every change from `old` to `new`, sorted by kind and item.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    let renames = compare_types(old, new, &mut out);
    compare_methods(old, new, &renames, &mut out);
    out.sort();
    out
}

fn push(out: &mut Vec<Change>, kind: ChangeKind, item: String, detail: String) {
    out.push(Change { kind, item, detail });
}

/// Old type name → new type name, for types reported as renamed.
#[derive(Default)]
struct Renames(BTreeMap<String, String>);

impl Renames {
    /// `text` with every renamed type's old name replaced by its new one.
    fn apply(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        for c in text.chars().chain(std::iter::once('\0')) {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            out.push_str(self.0.get(&word).unwrap_or(&word));
            word.clear();
            if c != '\0' {
                out.push(c);
            }
        }
        out
    }
}

/// Pairs each removed key with the added key of the same shape, where both are the only
/// ones of that shape. Keys without a shape (`None`: too little to tell) are never paired.
fn pair_by_shape<K: Clone + Ord>(
    removed: &[K],
    added: &[K],
    old_shape: impl Fn(&K) -> Option<String>,
    new_shape: impl Fn(&K) -> Option<String>,
) -> Vec<(K, K)> {
    fn group<K: Clone>(
        keys: &[K],
        shape: impl Fn(&K) -> Option<String>,
    ) -> BTreeMap<String, Vec<K>> {
        let mut groups: BTreeMap<String, Vec<K>> = BTreeMap::new();
        for key in keys {
            if let Some(s) = shape(key) {
                groups.entry(s).or_default().push(key.clone());
            }
        }
        groups
    }
    let olds = group(removed, old_shape);
    let news = group(added, new_shape);
    let mut pairs: Vec<(K, K)> = olds
        .iter()
        .filter_map(
            |(shape, old)| match (old.as_slice(), news.get(shape).map(Vec::as_slice)) {
                ([o], Some([n])) => Some((o.clone(), n.clone())),
                _ => None,
            },
        )
        .collect();
    pairs.sort();
    pairs
}

fn compare_types(old: &Surface, new: &Surface, out: &mut Vec<Change>) -> Renames {
    let removed: Vec<&String> = old
        .types
        .keys()
        .filter(|n| !new.types.contains_key(*n))
        .collect();
    let added: Vec<&String> = new
        .types
        .keys()
        .filter(|n| !old.types.contains_key(*n))
        .collect();
    let shape = |ty: &Type| {
        let trivial = ty.members.is_empty() && !matches!(ty.kind, Kind::Alias { .. });
        (!trivial).then(|| format!("{:?}{:?}", ty.kind, ty.members))
    };
    let pairs = pair_by_shape(
        &removed,
        &added,
        |n| shape(&old.types[*n]),
        |n| shape(&new.types[*n]),
    );
    let renamed: BTreeMap<String, String> = pairs
        .iter()
        .map(|(o, n)| ((*o).clone(), (*n).clone()))
        .collect();
    for (o, n) in &renamed {
        let word = new.types[n].kind.word();
        push(
            out,
            ChangeKind::TypeRenamed,
            format!("{o} → {n}"),
            word.to_string(),
        );
    }
    let new_names: BTreeSet<&String> = renamed.values().collect();
    for name in removed.iter().filter(|n| !renamed.contains_key(**n)) {
        let word = old.types[*name].kind.word();
        push(
            out,
            ChangeKind::TypeRemoved,
            (*name).clone(),
            word.to_string(),
        );
    }
    for name in added.iter().filter(|n| !new_names.contains(*n)) {
        let word = new.types[*name].kind.word();
        push(
            out,
            ChangeKind::TypeAdded,
            (*name).clone(),
            word.to_string(),
        );
    }
    let renames = Renames(renamed);
    for (name, old_ty) in &old.types {
        if let Some(new_ty) = new.types.get(name) {
            compare_type(name, old_ty, new_ty, &renames, out);
        }
    }
    renames
}

fn compare_type(name: &str, old: &Type, new: &Type, renames: &Renames, out: &mut Vec<Change>) {
    if new.deprecated && !old.deprecated {
        push(
            out,
            ChangeKind::TypeDeprecated,
            name.to_string(),
            String::new(),
        );
    }
    match (&old.kind, &new.kind) {
        (Kind::Alias { target: a }, Kind::Alias { target: b }) => {
            if renames.apply(a) != *b {
                push(out, ChangeKind::AliasChanged, name.to_string(), was(a, b));
            }
            return;
        }
        (Kind::Tagged { tag: a }, Kind::Tagged { tag: b }) if a != b => {
            push(
                out,
                ChangeKind::TagChanged,
                name.to_string(),
                format!("`{a}` → `{b}`"),
            );
        }
        (Kind::Struct { new_args: a }, Kind::Struct { new_args: b }) => {
            let (sa, sb): (BTreeSet<_>, BTreeSet<_>) = (a.iter().collect(), b.iter().collect());
            if sa == sb && a != b {
                let detail = format!("`new({})` → `new({})`", a.join(", "), b.join(", "));
                push(
                    out,
                    ChangeKind::ConstructorChanged,
                    name.to_string(),
                    detail,
                );
            }
        }
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            let detail = format!("{} → {}", a.word(), b.word());
            push(out, ChangeKind::KindChanged, name.to_string(), detail);
            return;
        }
        _ => {}
    }
    compare_members(name, old, new, renames, out);
}

/// `` `old` → `new` ``.
fn was(old: &str, new: &str) -> String {
    format!("`{old}` → `{new}`")
}

/// Which of the three member kinds a type holds.
#[derive(Clone, Copy)]
enum Role {
    Field,
    Variant,
    Value,
}

fn compare_members(name: &str, old: &Type, new: &Type, renames: &Renames, out: &mut Vec<Change>) {
    use ChangeKind::*;
    let role = match new.kind {
        Kind::Struct { .. } => Role::Field,
        Kind::Enum | Kind::Const => Role::Value,
        _ => Role::Variant,
    };
    let item = |member: &str| match role {
        Role::Field => format!("{name}.{member}"),
        _ => format!("{name}::{member}"),
    };
    let removed: Vec<&String> = old
        .members
        .keys()
        .filter(|m| !new.members.contains_key(*m))
        .collect();
    let added: Vec<&String> = new
        .members
        .keys()
        .filter(|m| !old.members.contains_key(*m))
        .collect();
    let shape = |m: &Member, ty: String| Some(format!("{ty}{:?}{:?}", m.wire, m.presence()));
    let pairs = pair_by_shape(
        &removed,
        &added,
        |m| {
            let m = &old.members[*m];
            shape(m, renames.apply(&m.ty))
        },
        |m| {
            let m = &new.members[*m];
            shape(m, m.ty.clone())
        },
    );
    let renamed_kind = match role {
        Role::Field => FieldRenamed,
        Role::Variant => VariantRenamed,
        Role::Value => ValueRenamed,
    };
    for (o, n) in &pairs {
        push(
            out,
            renamed_kind,
            format!("{} → {n}", item(o)),
            String::new(),
        );
    }
    let (renamed_old, renamed_new): (BTreeSet<&String>, BTreeSet<&String>) =
        pairs.iter().map(|(o, n)| (*o, *n)).unzip();
    for m in removed.iter().filter(|m| !renamed_old.contains(*m)) {
        let kind = match role {
            Role::Field => FieldRemoved,
            Role::Variant => VariantRemoved,
            Role::Value => ValueRemoved,
        };
        push(out, kind, item(m), describe(&old.members[*m]));
    }
    for m in added.iter().filter(|m| !renamed_new.contains(*m)) {
        let member = &new.members[*m];
        let kind = match role {
            Role::Field if member.is_constructor_arg() => RequiredFieldAdded,
            Role::Field => FieldAdded,
            Role::Variant => VariantAdded,
            Role::Value => ValueAdded,
        };
        push(out, kind, item(m), describe(member));
    }
    for (m, a) in &old.members {
        let Some(b) = new.members.get(m) else {
            continue;
        };
        let old_ty = renames.apply(&a.ty);
        match role {
            Role::Field => {
                let (pa, pb) = (a.presence(), b.presence());
                let kind = if pa != pb {
                    let required = |p: &BTreeSet<Flag>| p.contains(&Flag::Required);
                    let nullable = |p: &BTreeSet<Flag>| p.contains(&Flag::Nullable);
                    if required(&pb) && !required(&pa) {
                        Some(FieldRequired)
                    } else if required(&pa) && pb.contains(&Flag::Optional) {
                        Some(FieldOptional)
                    } else if nullable(&pa) != nullable(&pb) && required(&pa) == required(&pb) {
                        Some(NullabilityChanged)
                    } else {
                        Some(FieldTypeChanged)
                    }
                } else {
                    (old_ty != b.ty).then_some(FieldTypeChanged)
                };
                if let Some(kind) = kind {
                    push(
                        out,
                        kind,
                        item(m),
                        format!("{} → {}", describe(a), describe(b)),
                    );
                }
                let deprecated = |x: &Member| x.flags.contains(&Flag::Deprecated);
                if deprecated(b) && !deprecated(a) {
                    push(out, FieldDeprecated, item(m), String::new());
                }
            }
            Role::Variant => {
                if old_ty != b.ty {
                    push(out, VariantTypeChanged, item(m), was(&a.ty, &b.ty));
                } else if a.wire != b.wire {
                    let detail = format!("{:?} → {:?}", a.wire, b.wire);
                    push(out, TagValuesChanged, item(m), detail);
                }
            }
            Role::Value => {
                if a.wire != b.wire {
                    push(
                        out,
                        WireValueChanged,
                        item(m),
                        format!("{} → {}", describe(a), describe(b)),
                    );
                }
            }
        }
    }
    if let Role::Variant = role {
        // A union converts `From` each payload type only one variant holds.
        let old_from = conversions(old.members.values().map(|m| renames.apply(&m.ty)));
        let new_from = conversions(new.members.values().map(|m| m.ty.clone()));
        let payloads: BTreeSet<&String> = new.members.values().map(|m| &m.ty).collect();
        for ty in old_from
            .difference(&new_from)
            .filter(|t| payloads.contains(t))
        {
            let detail = "another variant now holds the same type".to_string();
            push(
                out,
                ConversionRemoved,
                format!("{name}: From<{ty}>"),
                detail,
            );
        }
    }
}

fn conversions(payloads: impl Iterator<Item = String>) -> BTreeSet<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for ty in payloads {
        *counts.entry(ty).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(ty, n)| *n == 1 && ty != "serde_json::Value")
        .map(|(ty, _)| ty)
        .collect()
}

/// A member as the report shows it: `` `Type` flags ``, `` `Type` ["tag"] `` or `"value"`.
fn describe(m: &Member) -> String {
    let mut parts = Vec::new();
    if !m.ty.is_empty() {
        parts.push(format!("`{}`", m.ty));
    }
    match m.wire.as_slice() {
        [] => {}
        [value] if m.ty.is_empty() => parts.push(format!("{value:?}")),
        wire => parts.push(format!("{wire:?}")),
    }
    let flags: Vec<&str> = m.flags.iter().map(|f| f.word()).collect();
    if !flags.is_empty() {
        parts.push(flags.join(" "));
    }
    parts.join(" ")
}

type MethodKey = (String, String);

fn compare_methods(old: &Surface, new: &Surface, renames: &Renames, out: &mut Vec<Change>) {
    let flat = |s: &Surface| -> BTreeMap<MethodKey, Method> {
        s.resources
            .iter()
            .flat_map(|(handle, methods)| {
                methods
                    .iter()
                    .map(|(name, m)| ((handle.clone(), name.clone()), m.clone()))
            })
            .collect()
    };
    let (olds, news) = (flat(old), flat(new));
    let removed: Vec<MethodKey> = olds
        .keys()
        .filter(|k| !news.contains_key(*k))
        .cloned()
        .collect();
    let added: Vec<MethodKey> = news
        .keys()
        .filter(|k| !olds.contains_key(*k))
        .cloned()
        .collect();
    let endpoint = |m: &Method| {
        Some(format!(
            "{} {} {}",
            m.http,
            path_shape(&m.path),
            m.is_stream()
        ))
    };
    let mut pairs = pair_by_shape(
        &removed,
        &added,
        |k| endpoint(&olds[k]),
        |k| endpoint(&news[k]),
    );
    // What the endpoint did not pair: same handle, same arguments and format.
    let rest = |keys: &[MethodKey], side: usize| -> Vec<MethodKey> {
        keys.iter()
            .filter(|k| {
                !pairs
                    .iter()
                    .any(|p| if side == 0 { &p.0 == *k } else { &p.1 == *k })
            })
            .cloned()
            .collect()
    };
    let (removed_rest, added_rest) = (rest(&removed, 0), rest(&added, 1));
    // Arguments are positional: only their types are API.
    let sig = |m: &Method| format!("({}) -> {}", m.arg_types().join(", "), m.returns);
    let old_sig = |m: &Method| renames.apply(&sig(m));
    let new_sig = sig;
    pairs.extend(pair_by_shape(
        &removed_rest,
        &added_rest,
        |k| Some(format!("{} {}", k.0, old_sig(&olds[k]))),
        |k| Some(format!("{} {}", k.0, new_sig(&news[k]))),
    ));
    let path = |(handle, name): &MethodKey| format!("{handle}.{name}");
    let endpoint_text = |m: &Method| format!("`{} {}`", m.http, m.path);
    for (o, n) in &pairs {
        let (a, b) = (&olds[o], &news[n]);
        let detail = if old_sig(a) == new_sig(b) {
            endpoint_text(b)
        } else {
            was(&a.signature(&o.1), &b.signature(&n.1))
        };
        push(
            out,
            ChangeKind::MethodRenamed,
            format!("{} → {}", path(o), path(n)),
            detail,
        );
    }
    for key in removed.iter().filter(|k| !pairs.iter().any(|p| &p.0 == *k)) {
        push(
            out,
            ChangeKind::MethodRemoved,
            path(key),
            endpoint_text(&olds[key]),
        );
    }
    for key in added.iter().filter(|k| !pairs.iter().any(|p| &p.1 == *k)) {
        push(
            out,
            ChangeKind::MethodAdded,
            path(key),
            endpoint_text(&news[key]),
        );
    }
    for (key, a) in &olds {
        let Some(b) = news.get(key) else { continue };
        if old_sig(a) != new_sig(b) {
            let detail = was(&a.signature(&key.1), &b.signature(&key.1));
            push(out, ChangeKind::SignatureChanged, path(key), detail);
        } else if a.args != b.args && renames.apply(&a.args) != b.args {
            let detail = was(&a.signature(&key.1), &b.signature(&key.1));
            push(out, ChangeKind::ArgumentRenamed, path(key), detail);
        }
        if (&a.http, path_shape(&a.path)) != (&b.http, path_shape(&b.path)) {
            let detail = format!("{} → {}", endpoint_text(a), endpoint_text(b));
            push(out, ChangeKind::EndpointChanged, path(key), detail);
        }
        if b.deprecated && !a.deprecated {
            push(out, ChangeKind::MethodDeprecated, path(key), String::new());
        }
    }
}

/// A path with its parameters unnamed (`/files/{}`): what the server sees.
fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => in_param = true,
            '}' => in_param = false,
            _ if in_param => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_replace_whole_identifiers_only() {
        let renames = Renames(BTreeMap::from([("Foo".to_string(), "Bar".to_string())]));
        assert_eq!(
            renames.apply("Option<Vec<Foo>>, FooBar: Foo"),
            "Option<Vec<Bar>>, FooBar: Bar"
        );
    }

    #[test]
    fn pairs_only_unique_shapes() {
        let removed = ["a", "b", "c"];
        let added = ["x", "y", "z"];
        let shape = |k: &&str| match *k {
            "a" | "x" => Some("one".to_string()),
            "b" | "c" | "y" => Some("two".to_string()),
            _ => None,
        };
        assert_eq!(
            pair_by_shape(&removed, &added, shape, shape),
            vec![("a", "x")]
        );
    }
}
