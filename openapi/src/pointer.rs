//! JSON pointers (`#/components/schemas/Foo`), and the map from the loaded tree back to
//! the text the user wrote.
//!
//! Pointers are kept in their escaped form (`~0`, `~1`) everywhere; they are only
//! unescaped to look a node up.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

/// Escapes one reference token (`a/b` → `a~1b`).
pub(crate) fn escape(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

/// `ptr` + `/` + escaped `key`.
pub(crate) fn join(ptr: &str, key: &str) -> String {
    let key = escape(key);
    let mut out = String::with_capacity(ptr.len() + 1 + key.len());
    out.push_str(ptr);
    out.push('/');
    out.push_str(&key);
    out
}

/// The unescaped reference tokens of a `#/a/b` pointer (or URI fragment, percent-decoded).
/// `None` if it is not a JSON pointer fragment (`#foo` names an anchor, not a path).
pub(crate) fn tokens(ptr: &str) -> Option<Vec<String>> {
    let rest = ptr.strip_prefix('#').unwrap_or(ptr);
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_prefix('/')?;
    let decoded = percent_decode(rest);
    Some(
        decoded
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// Looks a `#/a/b` pointer up in `root`.
pub(crate) fn get<'a>(root: &'a Value, ptr: &str) -> Option<&'a Value> {
    let rest = ptr.strip_prefix('#').unwrap_or(ptr);
    if rest.is_empty() {
        return Some(root);
    }
    let decoded = percent_decode(rest.strip_prefix('/')?);
    let mut node = root;
    for raw in decoded.split('/') {
        let token: Cow<'_, str> = if raw.contains('~') {
            Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(raw)
        };
        node = match node {
            Value::Object(map) => map.get(token.as_ref())?,
            Value::Array(items) => items.get(parse_index(&token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn parse_index(token: &str) -> Option<usize> {
    if token.len() > 1 && token.starts_with('0') {
        return None;
    }
    token.parse().ok()
}

/// Decodes `%XX` escapes; leaves anything malformed as it is.
pub(crate) fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(_) => Cow::Borrowed(s),
    }
}

/// Where a node of the loaded tree was written: a file (the root document when `None`) and
/// a pointer into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    pub file: Option<PathBuf>,
    pub pointer: String,
}

/// Maps pointers into the loaded tree back to where the user wrote the node.
///
/// Two things make the two differ. Normalisation rewrites a few 3.1 idioms into shapes that
/// put an existing node under a new key (`anyOf: [X, null]` → `allOf: [X]`), and each such
/// move is recorded here. Multi-file documents copy nodes from other files into
/// `components`, and each copy is recorded with its file and pointer there.
///
/// **Invariant:** a move's key is the node's new pointer *with its parent's source
/// coordinates* and its value is the node's source pointer. Normalisation works bottom-up,
/// so a node's children are rewritten (and their moves recorded) before the node itself
/// moves them; reading a pointer segment by segment from the root, and replacing a prefix
/// whenever it is a recorded key, therefore always yields source coordinates.
#[derive(Debug, Default, Clone)]
pub(crate) struct Origins {
    moves: HashMap<String, Move>,
    /// `#/components/schemas/Pet` → `pet.yaml`, `#/Pet`.
    imported: HashMap<String, (PathBuf, String)>,
    /// Display form of each imported file (relative to the root document's folder).
    display: HashMap<PathBuf, String>,
}

#[derive(Debug, Clone)]
struct Move {
    from: String,
    /// False for nodes normalisation made up (their "source" is only the nearest thing the
    /// user wrote), which a `$ref` therefore cannot have named.
    reversible: bool,
}

/// Longest key a move can have below its parent (`allOf/0/$ref`).
const MAX_MOVE_TOKENS: usize = 3;

impl Origins {
    /// Records that the node now at `new` was written at `from`.
    pub(crate) fn moved(&mut self, new: String, from: String, reversible: bool) {
        if new != from {
            self.moves.insert(new, Move { from, reversible });
        }
    }

    pub(crate) fn imported(
        &mut self,
        local: String,
        file: PathBuf,
        pointer: String,
        display: String,
    ) {
        self.display.entry(file.clone()).or_insert(display);
        self.imported.insert(local, (file, pointer));
    }

    pub(crate) fn has_moves(&self) -> bool {
        self.moves.values().any(|m| m.reversible)
    }

    /// Undoes normalisation moves: a pointer into the loaded tree → a pointer into the tree
    /// as parsed (after multi-file import).
    pub(crate) fn before_moves(&self, ptr: &str) -> String {
        if self.moves.is_empty() {
            return ptr.to_owned();
        }
        let segs: Vec<&str> = ptr
            .strip_prefix('#')
            .unwrap_or(ptr)
            .split('/')
            .skip(1)
            .collect();
        let mut cur = String::from("#");
        let mut i = 0;
        'outer: while i < segs.len() {
            for n in (1..=MAX_MOVE_TOKENS.min(segs.len() - i)).rev() {
                let mut cand = cur.clone();
                for s in &segs[i..i + n] {
                    cand.push('/');
                    cand.push_str(s);
                }
                if let Some(m) = self.moves.get(&cand) {
                    cur.clone_from(&m.from);
                    i += n;
                    continue 'outer;
                }
            }
            cur.push('/');
            cur.push_str(segs[i]);
            i += 1;
        }
        cur
    }

    /// Where a pointer into the tree as parsed (before normalisation) was written.
    pub(crate) fn unimport(&self, ptr: &str) -> Source {
        if !self.imported.is_empty() {
            let mut end = ptr.len();
            loop {
                if let Some((file, at)) = self.imported.get(&ptr[..end]) {
                    return Source {
                        file: Some(file.clone()),
                        pointer: format!("{at}{}", &ptr[end..]),
                    };
                }
                match ptr[..end].rfind('/') {
                    Some(i) if i > 0 => end = i,
                    _ => break,
                }
            }
        }
        Source {
            file: None,
            pointer: ptr.to_owned(),
        }
    }

    /// Where a pointer into the loaded (normalised) tree was written.
    pub(crate) fn source(&self, ptr: &str) -> Source {
        self.unimport(&self.before_moves(ptr))
    }

    /// A source location as one string, for warnings: `#/a/b`, or `pet.yaml#/Pet/a` for a
    /// node imported from another file.
    pub(crate) fn display(&self, source: &Source) -> String {
        match &source.file {
            None => source.pointer.clone(),
            Some(file) => {
                let name = self
                    .display
                    .get(file)
                    .cloned()
                    .unwrap_or_else(|| file.display().to_string());
                format!("{name}{}", source.pointer)
            }
        }
    }

    /// Applies normalisation moves to a pointer written before normalisation (the target of a
    /// `$ref`), giving where that node is now. `None` when nothing on its path moved.
    pub(crate) fn after_moves(&self, reverse: &HashMap<&str, &str>, ptr: &str) -> Option<String> {
        let segs: Vec<&str> = ptr
            .strip_prefix('#')
            .unwrap_or(ptr)
            .split('/')
            .skip(1)
            .collect();
        let mut from = String::from("#");
        let mut now = String::from("#");
        let mut changed = false;
        let mut i = 0;
        'outer: while i < segs.len() {
            for n in (1..=MAX_MOVE_TOKENS.min(segs.len() - i)).rev() {
                let mut cand = from.clone();
                for s in &segs[i..i + n] {
                    cand.push('/');
                    cand.push_str(s);
                }
                if let Some(new) = reverse.get(cand.as_str()) {
                    // The key's parent is `from`, so what follows it is the node's new place there.
                    now.push_str(new.get(from.len()..).unwrap_or(""));
                    from = cand;
                    changed = true;
                    i += n;
                    continue 'outer;
                }
            }
            from.push('/');
            from.push_str(segs[i]);
            now.push('/');
            now.push_str(segs[i]);
            i += 1;
        }
        changed.then_some(now)
    }

    /// Source pointer → new pointer, for the moves a `$ref` could have named.
    pub(crate) fn reverse(&self) -> HashMap<&str, &str> {
        self.moves
            .iter()
            .filter(|(_, m)| m.reversible)
            .map(|(new, m)| (m.from.as_str(), new.as_str()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_unescape() {
        assert_eq!(
            tokens("#/a~1b/c~0d/%7Bid%7D"),
            Some(vec!["a/b".into(), "c~d".into(), "{id}".into()])
        );
        assert_eq!(tokens("#"), Some(vec![]));
        assert_eq!(tokens("#anchor"), None);
    }

    #[test]
    fn moves_round_trip() {
        let mut o = Origins::default();
        // Inner node rewritten first (its parent in source coordinates)...
        o.moved(
            "#/S/anyOf/1/allOf/0".into(),
            "#/S/anyOf/1/oneOf/0".into(),
            true,
        );
        // ...then the outer one moved it.
        o.moved("#/S/allOf/0".into(), "#/S/anyOf/1".into(), true);
        assert_eq!(
            o.before_moves("#/S/allOf/0/allOf/0/type"),
            "#/S/anyOf/1/oneOf/0/type"
        );
        assert_eq!(o.before_moves("#/S/properties/x"), "#/S/properties/x");
        let rev = o.reverse();
        assert_eq!(
            o.after_moves(&rev, "#/S/anyOf/1/oneOf/0/type").as_deref(),
            Some("#/S/allOf/0/allOf/0/type")
        );
        assert_eq!(o.after_moves(&rev, "#/S/properties"), None);
    }

    #[test]
    fn unimport() {
        let mut o = Origins::default();
        o.imported(
            "#/components/schemas/Pet".into(),
            "/x/pet.yaml".into(),
            "#/Pet".into(),
            "pet.yaml".into(),
        );
        let s = o.source("#/components/schemas/Pet/properties/id");
        assert_eq!(o.display(&s), "pet.yaml#/Pet/properties/id");
        assert_eq!(o.source("#/components/schemas/Pets").file, None);
    }
}
