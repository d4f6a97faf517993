//! Breaks cycles of direct containment (a struct holding itself, or A holding B holding A)
//! with `Box`. Lists and maps already allocate, so only direct and optional fields count.
//! Aliases that contain themselves have no Rust type at all and become `Value`.

use std::collections::HashMap;

use crate::ir::{TypeId, TypeKind, TypeRef, TypeSpace};

pub fn box_cycles(space: &mut TypeSpace) {
    let edges: Vec<Vec<TypeId>> = space
        .types
        .iter()
        .map(|t| direct_targets(&t.kind))
        .collect();
    let component = strongly_connected(&edges);
    for (i, def) in space.types.iter_mut().enumerate() {
        let here = component[i];
        let boxes = |ty: &mut TypeRef| {
            if let TypeRef::Named(target) = ty
                && component[target.0] == here
            {
                *ty = TypeRef::Boxed(Box::new(ty.clone()));
            }
        };
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| boxes(&mut f.ty)),
            TypeKind::Tagged(t) => t.variants.iter_mut().for_each(|v| boxes(&mut v.ty)),
            TypeKind::Untagged(vs) => vs.iter_mut().for_each(|v| boxes(&mut v.ty)),
            TypeKind::Alias(_) | TypeKind::StringEnum(_) | TypeKind::Constant(_) => {}
        }
    }
}

/// Type aliases that contain themselves (`A = Vec<A>`, or `A = Map<B>` with `B = Vec<A>`):
/// Rust has no recursive type aliases and the IR no newtype, so each becomes any JSON value.
/// Returns them, for the report. (Through a struct or enum the cycle is fine: they are
/// nominal.)
pub fn untie_recursive_aliases(space: &mut TypeSpace) -> Vec<TypeId> {
    let is_alias: Vec<bool> = space
        .types
        .iter()
        .map(|t| matches!(t.kind, TypeKind::Alias(_)))
        .collect();
    let edges: Vec<Vec<TypeId>> = space
        .types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            if let TypeKind::Alias(ty) = &t.kind {
                named_in(ty, &mut out);
            }
            out.retain(|id| is_alias[id.0]);
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut untied = Vec::new();
    for (i, def) in space.types.iter_mut().enumerate() {
        if is_alias[i] && component[i] != usize::MAX - i {
            def.kind = TypeKind::Alias(TypeRef::Json);
            untied.push(TypeId(i));
        }
    }
    untied
}

/// Every named type in a type expression, through lists, maps and boxes.
fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Types a type contains by value (not through a list, map or box).
fn direct_targets(kind: &TypeKind) -> Vec<TypeId> {
    let direct = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    };
    match kind {
        TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Tagged(t) => t.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Untagged(vs) => vs.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::StringEnum(_) | TypeKind::Constant(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative. Returns the component index of each node; a node in a
/// cycle shares its index with the rest of the cycle, and a self-loop is its own cycle.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    let self_loops: HashMap<usize, bool> = (0..n)
        .map(|i| (i, edges[i].iter().any(|t| t.0 == i)))
        .collect();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(edge) {
                work.push((node, edge + 1));
                let t = target.0;
                if index[t] == usize::MAX {
                    work.push((t, 0));
                } else if on_stack[t] {
                    low[node] = low[node].min(index[t]);
                }
                continue;
            }
            if low[node] == index[node] {
                let mut members = Vec::new();
                while let Some(m) = stack.pop() {
                    on_stack[m] = false;
                    members.push(m);
                    if m == node {
                        break;
                    }
                }
                // A lone node without a self-loop is not a cycle: give it a unique id no
                // other node shares, so none of its fields get boxed.
                let id = next_component;
                next_component += 1;
                for m in &members {
                    component[*m] = if members.len() == 1 && !self_loops[m] {
                        usize::MAX - *m
                    } else {
                        id
                    };
                }
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components() {
        // 0 → 1 → 0 is a cycle; 2 → 2 a self-loop; 3 → 0 no cycle.
        let edges = vec![
            vec![TypeId(1)],
            vec![TypeId(0)],
            vec![TypeId(2)],
            vec![TypeId(0)],
        ];
        let c = strongly_connected(&edges);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[3], c[2]);
        assert_ne!(c[3], usize::MAX - 2);
    }
}
