//! `$ref`s: references into other files are imported into the document; local ones are
//! checked; after normalisation, references to nodes that moved are updated.
//!
//! An imported node goes where the 3.0 model can name it: a schema (or parameter, response…)
//! into its `components` section under its own name (`pet.yaml#/Pet` → `Pet`; a whole file
//! → its stem; a name already taken gets `_2`, `_3`… in the order the document mentions
//! them), and the `$ref` is rewritten to point there. A root component that is only a `$ref`
//! to another file (`Pet: {$ref: './pet.yaml'}`) is filled in place instead. Path items, which
//! the model cannot name, are copied where they are referenced.
//!
//! **Invariant:** every imported node is recorded in [`Origins`], so diagnostics about it
//! name its own file and pointer, and a node is imported once however often it is named
//! (which also makes cycles across files end).

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::LoadError;
use crate::pointer::{self, Origins, join};
use crate::walk::{self, Kind};

/// A `$ref` in the document: where the object holding it is, and what it names (always a
/// local `#…` reference once imports are done).
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub at: String,
    pub target: String,
}

/// Builds the error for a `$ref` at `at` (a pointer into the tree as parsed); the origins
/// name the file of an imported node.
pub(crate) type ErrorAt<'a> = dyn Fn(&Origins, &str, String) -> LoadError + 'a;

/// Imports every node other files' `$ref`s name, and returns all `$ref`s of the document
/// and how deep the imported nodes nest where they now sit (0 when nothing was imported).
pub(crate) fn resolve(
    root: &mut Value,
    file: &Path,
    origins: &mut Origins,
    error: &ErrorAt<'_>,
) -> Result<(Vec<Site>, usize), LoadError> {
    let root_file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let mut importer = Importer {
        root_dir: root_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
        root_file,
        files: HashMap::new(),
        done: HashMap::new(),
        names: HashMap::new(),
        queue: VecDeque::new(),
        ready: Vec::new(),
        fill_in_place: HashSet::new(),
        inlining: Vec::new(),
        sites: Vec::new(),
        depth: 0,
        origins,
        error,
    };
    importer.plan_components(root)?;
    walk::document(root, &mut |node, ptr, kind| {
        importer.visit(node, ptr, kind, None)
    })?;
    importer.drain()?;
    importer.install(root);
    Ok((importer.sites, importer.depth))
}

/// Checks that every local `$ref` names an existing node, and that no chain of `$ref`s loops
/// without reaching an object.
pub(crate) fn check(
    root: &Value,
    sites: &[Site],
    origins: &Origins,
    error: &ErrorAt<'_>,
) -> Result<(), LoadError> {
    let error = |at: &str, message: String| error(origins, at, message);
    let mut reaches_object: HashSet<&str> = HashSet::new();
    for site in sites {
        let mut chain: Vec<&str> = Vec::new();
        let mut cur = site.target.as_str();
        while !reaches_object.contains(cur) {
            if cur == "#" {
                return Err(error(
                    &site.at,
                    "`$ref: '#'` names the whole document, not a schema".into(),
                ));
            }
            if pointer::tokens(cur).is_none() {
                let message = format!(
                    "`$ref: '{cur}'` names an anchor; only JSON-pointer references (`#/…`) are supported"
                );
                return Err(error(&site.at, message));
            }
            let Some(node) = pointer::get(root, cur) else {
                let through = if chain.is_empty() {
                    String::new()
                } else {
                    format!(" (reached through `{}`)", chain.join("` → `"))
                };
                let message = format!(
                    "`$ref` target `{cur}` does not exist{through}{}",
                    missing_hint(root, cur)
                );
                return Err(error(&site.at, message));
            };
            if let Some(start) = chain.iter().position(|c| *c == cur) {
                let mut cycle: Vec<String> = chain[start..]
                    .iter()
                    .map(|c| origins.display(&origins.unimport(c)))
                    .collect();
                cycle.push(origins.display(&origins.unimport(cur)));
                let message = format!(
                    "`$ref` cycle with no schema in it: `{}`",
                    cycle.join("` → `")
                );
                return Err(error(&site.at, message));
            }
            chain.push(cur);
            match pure_ref(node) {
                Some(next) => cur = next,
                None => break,
            }
        }
        reaches_object.extend(chain);
    }
    Ok(())
}

/// After normalisation: rewrites `$ref`s whose target moved (`#/…/anyOf/1` that became
/// `#/…/allOf/0`). Nothing to do, and no walk, for documents whose references all name
/// whole components.
pub(crate) fn follow_moves(root: &mut Value, sites: &[Site], origins: &Origins) {
    if !origins.has_moves() {
        return;
    }
    let reverse = origins.reverse();
    let mut changed: HashMap<&str, String> = HashMap::new();
    for site in sites {
        // Normalisation moves nodes inside schemas only, never a whole component
        // (`#/components/schemas/Name`), which is what most references name.
        if site.target.matches('/').count() <= 3 {
            continue;
        }
        if !changed.contains_key(site.target.as_str())
            && let Some(new) = origins.after_moves(&reverse, &site.target)
        {
            changed.insert(&site.target, new);
        }
    }
    if changed.is_empty() {
        return;
    }
    let rewrite = |map: &mut Map<String, Value>| {
        if let Some(Value::String(r)) = map.get_mut("$ref")
            && let Some(new) = changed.get(r.as_str())
        {
            r.clone_from(new);
        }
    };
    let _ = walk::document::<std::convert::Infallible>(root, &mut |node, ptr, kind| {
        match (kind, node) {
            (Kind::Schema, node) => {
                let _ = walk::schema_tree::<std::convert::Infallible>(node, ptr, &mut |map, _| {
                    rewrite(map);
                    Ok(())
                });
            }
            (_, Value::Object(map)) => rewrite(map),
            _ => {}
        }
        Ok(())
    });
}

/// The target of a node that is only a reference (siblings that add no structure, such as
/// `description`, do not count).
fn pure_ref(node: &Value) -> Option<&str> {
    const STRUCTURE: [&str; 13] = [
        "type",
        "properties",
        "items",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "enum",
        "const",
        "additionalProperties",
        "prefixItems",
        "patternProperties",
        "required",
    ];
    let Value::Object(map) = node else {
        return None;
    };
    let Some(Value::String(target)) = map.get("$ref") else {
        return None;
    };
    (!STRUCTURE.iter().any(|k| map.contains_key(*k))).then_some(target.as_str())
}

/// `` (`#/components/schemas` has no `Missing`)`` for a pointer whose parent exists.
fn missing_hint(root: &Value, ptr: &str) -> String {
    let Some(i) = ptr.rfind('/') else {
        return String::new();
    };
    let (parent, last) = (&ptr[..i], &ptr[i + 1..]);
    if parent.len() > 1 && pointer::get(root, parent).is_some() {
        format!(" (`{parent}` has no `{last}`)")
    } else {
        String::new()
    }
}

/// A scheme (`https:`, `urn:`) or a network path (`//host/x`): not a file next to this one.
fn is_remote(path: &str) -> bool {
    if path.starts_with("//") {
        return true;
    }
    match path.find(':') {
        // One letter before the colon is a Windows drive (`C:\specs\pet.yaml`).
        Some(i) if i > 1 => path[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

struct Loaded {
    tree: Value,
    /// The file as the user would name it: relative to the root document's folder.
    display: String,
}

struct Pending {
    file: PathBuf,
    fragment: String,
    local: String,
    kind: Kind,
}

enum Target {
    /// The `$ref` now reads this.
    Local(String),
    /// A path item, copied in place of the `$ref`.
    Inline(Value),
}

struct Importer<'a> {
    root_file: PathBuf,
    root_dir: PathBuf,
    files: HashMap<PathBuf, Rc<Loaded>>,
    /// (file, `#/fragment`) → the local pointer it was imported to.
    done: HashMap<(PathBuf, String), String>,
    /// Names in use, per `components` section.
    names: HashMap<&'static str, HashSet<String>>,
    queue: VecDeque<Pending>,
    ready: Vec<(String, Value)>,
    fill_in_place: HashSet<String>,
    inlining: Vec<(PathBuf, String)>,
    sites: Vec<Site>,
    /// The deepest nesting of an imported file, plus the three levels of
    /// `components/<section>/<name>` it is put under.
    depth: usize,
    origins: &'a mut Origins,
    error: &'a ErrorAt<'a>,
}

impl Importer<'_> {
    /// Reserves the names the root document already uses, and plans to fill each root
    /// component that is only a `$ref` to another file with what it names.
    fn plan_components(&mut self, root: &Value) -> Result<(), LoadError> {
        let Some(Value::Object(components)) = root.get("components") else {
            return Ok(());
        };
        for kind in Kind::COMPONENTS {
            let Some(Value::Object(section)) = components.get(kind.section()) else {
                continue;
            };
            self.names
                .entry(kind.section())
                .or_default()
                .extend(section.keys().cloned());
            for (name, entry) in section {
                let Value::Object(map) = entry else { continue };
                let Some(Value::String(r)) = map.get("$ref") else {
                    continue;
                };
                if map.len() != 1 || r.starts_with('#') {
                    continue;
                }
                let at = join(&join("#/components", kind.section()), name);
                let Some((file, fragment)) = self.locate_target(r, &at, None)? else {
                    continue;
                };
                if file == self.root_file
                    || self.done.contains_key(&(file.clone(), fragment.clone()))
                {
                    continue;
                }
                let display = self.load(&file, &fragment, r, &at)?;
                self.done
                    .insert((file.clone(), fragment.clone()), at.clone());
                self.origins
                    .imported(at.clone(), file.clone(), fragment.clone(), display);
                self.fill_in_place.insert(at.clone());
                self.queue.push_back(Pending {
                    file,
                    fragment,
                    local: at,
                    kind,
                });
            }
        }
        Ok(())
    }

    /// One node of a known kind, in the root document (`base: None`) or in an imported file.
    fn visit(
        &mut self,
        node: &mut Value,
        ptr: &str,
        kind: Kind,
        base: Option<&Path>,
    ) -> Result<(), LoadError> {
        if self.fill_in_place.contains(ptr) {
            return Ok(());
        }
        if kind == Kind::Schema {
            return walk::schema_tree(node, ptr, &mut |map, p| {
                self.reference(map, p, kind, base).map(drop)
            });
        }
        let Value::Object(map) = node else {
            return Ok(());
        };
        if let Some(value) = self.reference(map, ptr, kind, base)? {
            *node = value;
        }
        Ok(())
    }

    /// Rewrites the `$ref` of `map`, if it has one; returns a path item to copy in its place.
    fn reference(
        &mut self,
        map: &mut Map<String, Value>,
        ptr: &str,
        kind: Kind,
        base: Option<&Path>,
    ) -> Result<Option<Value>, LoadError> {
        let Some(Value::String(r)) = map.get("$ref") else {
            return Ok(None);
        };
        if base.is_none() && r.starts_with('#') {
            self.sites.push(Site {
                at: ptr.to_owned(),
                target: r.clone(),
            });
            return Ok(None);
        }
        let r = r.clone();
        match self.target(&r, ptr, kind, base)? {
            Target::Local(local) => {
                map.insert("$ref".into(), Value::String(local.clone()));
                self.sites.push(Site {
                    at: ptr.to_owned(),
                    target: local,
                });
                Ok(None)
            }
            Target::Inline(value) => Ok(Some(value)),
        }
    }

    /// The file and `#/fragment` a reference names; `None` for a local reference of the root.
    fn locate_target(
        &self,
        r: &str,
        at: &str,
        base: Option<&Path>,
    ) -> Result<Option<(PathBuf, String)>, LoadError> {
        let (path, fragment) = r.split_once('#').unwrap_or((r, ""));
        let fragment = format!("#{fragment}");
        if fragment != "#" && !fragment.starts_with("#/") {
            let message = format!(
                "`$ref: '{r}'` names an anchor; only JSON-pointer references (`#/…`) are supported"
            );
            return Err((self.error)(self.origins, at, message));
        }
        if is_remote(path) {
            let message = format!(
                "remote reference `{r}` is not supported: download the file and refer to it by a relative path"
            );
            return Err((self.error)(self.origins, at, message));
        }
        if path.is_empty() {
            return Ok(base.map(|b| (b.to_path_buf(), fragment)));
        }
        let dir = base.and_then(Path::parent).unwrap_or(&self.root_dir);
        let joined = dir.join(pointer::percent_decode(path).as_ref());
        let file = std::fs::canonicalize(&joined).map_err(|e| {
            (self.error)(
                self.origins,
                at,
                format!(
                    "cannot read `{path}`, the file `$ref: '{r}'` names ({}): {e}",
                    joined.display()
                ),
            )
        })?;
        Ok(Some((file, fragment)))
    }

    fn target(
        &mut self,
        r: &str,
        at: &str,
        kind: Kind,
        base: Option<&Path>,
    ) -> Result<Target, LoadError> {
        let Some((file, fragment)) = self.locate_target(r, at, base)? else {
            return Ok(Target::Local(r.to_owned()));
        };
        if file == self.root_file {
            return Ok(Target::Local(fragment));
        }
        if let Some(local) = self.imported_as(&file, &fragment) {
            return Ok(Target::Local(local));
        }
        let display = self.load(&file, &fragment, r, at)?;
        if kind == Kind::PathItem {
            let key = (file.clone(), fragment.clone());
            if self.inlining.contains(&key) {
                return Err((self.error)(
                    self.origins,
                    at,
                    format!("path item `$ref: '{r}'` refers back to itself"),
                ));
            }
            let mut value = self
                .files
                .get(&file)
                .and_then(|f| pointer::get(&f.tree, &fragment))
                .cloned()
                .unwrap_or_default();
            self.origins
                .imported(at.to_owned(), file.clone(), fragment, display);
            self.inlining.push(key);
            let result = walk::slot(&mut value, at, kind, &mut |node, p, k| {
                self.visit(node, p, k, Some(&file))
            });
            self.inlining.pop();
            result?;
            return Ok(Target::Inline(value));
        }
        let name = self.name_for(kind, &file, &fragment);
        let local = join(&join("#/components", kind.section()), &name);
        self.done
            .insert((file.clone(), fragment.clone()), local.clone());
        self.origins
            .imported(local.clone(), file.clone(), fragment.clone(), display);
        self.queue.push_back(Pending {
            file,
            fragment,
            local: local.clone(),
            kind,
        });
        Ok(Target::Local(local))
    }

    /// Where (file, fragment), or a node that contains it, was imported to.
    fn imported_as(&self, file: &Path, fragment: &str) -> Option<String> {
        let mut end = fragment.len();
        loop {
            if let Some(local) = self
                .done
                .get(&(file.to_path_buf(), fragment[..end].to_owned()))
            {
                return Some(format!("{local}{}", &fragment[end..]));
            }
            end = fragment[..end].rfind('/')?;
            if end == 0 {
                return None;
            }
        }
    }

    /// Reads and parses `file` once; checks that `fragment` exists in it. Returns the
    /// file's display name.
    fn load(
        &mut self,
        file: &Path,
        fragment: &str,
        r: &str,
        at: &str,
    ) -> Result<String, LoadError> {
        let loaded = match self.files.get(file) {
            Some(loaded) => Rc::clone(loaded),
            None => {
                let text = std::fs::read_to_string(file).map_err(|e| {
                    (self.error)(
                        self.origins,
                        at,
                        format!(
                            "cannot read `{}`, named by `$ref: '{r}'`: {e}",
                            file.display()
                        ),
                    )
                })?;
                let (tree, depth) =
                    crate::parse::parse(text.strip_prefix('\u{feff}').unwrap_or(&text), file)?;
                self.depth = self.depth.max(depth + 3);
                let display = file
                    .strip_prefix(&self.root_dir)
                    .map_or_else(|_| file.display().to_string(), |p| p.display().to_string());
                let loaded = Rc::new(Loaded { tree, display });
                self.files.insert(file.to_path_buf(), Rc::clone(&loaded));
                loaded
            }
        };
        if pointer::get(&loaded.tree, fragment).is_none() {
            let message = format!(
                "`$ref` target `{r}` does not exist: `{}` has no `{fragment}`",
                loaded.display
            );
            return Err((self.error)(self.origins, at, message));
        }
        Ok(loaded.display.clone())
    }

    fn name_for(&mut self, kind: Kind, file: &Path, fragment: &str) -> String {
        let last = fragment
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty() && *s != "#");
        let raw = match last {
            Some(token) => token.replace("~1", "/").replace("~0", "~"),
            None => file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let mut base: String = raw
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() {
            base = "Imported".into();
        }
        let taken = self.names.entry(kind.section()).or_default();
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(name.clone());
        name
    }

    /// Copies each planned import, rewriting the references inside it.
    fn drain(&mut self) -> Result<(), LoadError> {
        while let Some(p) = self.queue.pop_front() {
            let mut value = self
                .files
                .get(&p.file)
                .and_then(|f| pointer::get(&f.tree, &p.fragment))
                .cloned()
                .unwrap_or_default();
            // Fill-in-place entries are skipped by `visit` while they still hold their `$ref`.
            self.fill_in_place.remove(&p.local);
            walk::slot(&mut value, &p.local, p.kind, &mut |node, ptr, kind| {
                self.visit(node, ptr, kind, Some(&p.file))
            })?;
            self.ready.push((p.local, value));
        }
        Ok(())
    }

    fn install(&mut self, root: &mut Value) {
        for (local, value) in std::mem::take(&mut self.ready) {
            let Some(tokens) = pointer::tokens(&local) else {
                continue;
            };
            let [_, section, name] = tokens.as_slice() else {
                continue;
            };
            let Value::Object(doc) = root else { return };
            let components = doc
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(components) = components else {
                return;
            };
            let section = components
                .entry(section.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(section) = section {
                section.insert(name.clone(), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_remote;

    #[test]
    fn remote_or_not() {
        assert!(is_remote("https://example.com/pet.yaml"));
        assert!(is_remote("//example.com/pet.yaml"));
        assert!(is_remote("urn:x"));
        assert!(!is_remote("./pet.yaml"));
        assert!(!is_remote("C:\\specs\\pet.yaml"));
        assert!(!is_remote("schemas/pet.yaml"));
    }
}
