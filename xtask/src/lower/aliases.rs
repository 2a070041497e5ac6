//! Alias cycles: `A: {$ref: B}` with `B: {$ref: A}`, `A: {allOf: [{$ref: A}]}`, or an array or
//! map of itself (`A: {type: array, items: {$ref: A}}`) become Rust type aliases that refer to
//! themselves, which rustc rejects (E0391). They are found here, before emission, and reported
//! at the schema that starts the cycle. (A cycle through a struct, enum or union is fine: those
//! are types of their own, and recursion through them is boxed where needed.)

use super::*;

/// The aliases a type refers to directly (through `Vec`, maps and boxes, not through named
/// structs, enums or unions).
fn alias_targets(
    t: &TypeRef,
    out: &mut Vec<TypeId>,
    models: &[Model],
    index: &HashMap<TypeId, usize>,
) {
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => stack.push(inner),
            TypeRef::Named(n) => {
                if let Some(Model::Alias(_)) = index.get(&n.id()).and_then(|&i| models.get(i)) {
                    out.push(n.id());
                }
            }
            _ => {}
        }
    }
}

/// The first alias (in model order) that is part of a cycle of aliases, if any.
pub(super) fn find_cycle(models: &[Model]) -> Option<TypeId> {
    let index: HashMap<TypeId, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().id(), i))
        .collect();
    let edges: HashMap<TypeId, Vec<TypeId>> = models
        .iter()
        .filter_map(|m| match m {
            Model::Alias(a) => {
                let mut out = Vec::new();
                alias_targets(&a.target, &mut out, models, &index);
                Some((a.name.id(), out))
            }
            _ => None,
        })
        .collect();
    // Iterative depth-first search with three colours: an edge to a node still on the path
    // (grey) closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    let mut colour: HashMap<TypeId, Colour> = edges.keys().map(|&k| (k, Colour::White)).collect();
    for m in models {
        let start = m.name().id();
        if colour.get(&start) != Some(&Colour::White) {
            continue;
        }
        let mut path: Vec<(TypeId, usize)> = vec![(start, 0)];
        colour.insert(start, Colour::Grey);
        while let Some((node, next)) = path.last_mut() {
            let targets = edges.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&t) = targets.get(*next) {
                *next += 1;
                match colour.get(&t) {
                    Some(Colour::Grey) => return Some(t),
                    Some(Colour::White) => {
                        colour.insert(t, Colour::Grey);
                        path.push((t, 0));
                    }
                    _ => {}
                }
            } else {
                colour.insert(*node, Colour::Black);
                path.pop();
            }
        }
    }
    None
}
