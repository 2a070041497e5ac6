//! Usage marking: which models are reachable from requests and from responses.

use super::*;

/// Marks models reachable from request bodies and parameters (`in_request`), and gives
/// request-only enums a `Custom` catch-all instead of `Unknown`.
pub(super) fn mark_usage(models: &mut [Model], groups: &[Group]) {
    let index: HashMap<TypeId, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().id(), i))
        .collect();
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        for p in &op.params {
            request_roots.push(p.ty.clone());
        }
        if let Some(model) = op.body.as_ref().and_then(Body::model) {
            request_roots.push(TypeRef::Named(model.clone()));
        }
        response_roots.extend(op.success.json_types().cloned());
        for e in &op.errors {
            if let Some(b) = &e.body {
                response_roots.push(b.clone());
            }
        }
    }
    let request = reach(models, &index, request_roots);
    let response = reach(models, &index, response_roots);
    for m in models.iter_mut() {
        match m {
            Model::Struct(s) => s.in_request = request.contains(&s.name.id()),
            Model::Enum(e) => {
                e.request_only = request.contains(&e.name.id()) && !response.contains(&e.name.id());
                let preferred = if e.request_only { "Custom" } else { "Unknown" };
                // A listed value may already be called `Unknown` or `Custom`.
                let taken = |name: &str| e.variants.iter().any(|(v, _)| v.bare() == name);
                let name = [
                    preferred.to_string(),
                    "Other".to_string(),
                    format!("{preferred}Value"),
                ]
                .into_iter()
                .find(|n| !taken(n))
                .unwrap_or_else(|| format!("{preferred}Catchall"));
                e.catch_all = naming::pascal(&name);
            }
            Model::Alias(_) | Model::Union(_) => {}
        }
    }
}

fn reach(
    models: &[Model],
    index: &HashMap<TypeId, usize>,
    roots: Vec<TypeRef>,
) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => stack.push(*inner),
            TypeRef::Named(n) if seen.insert(n.id()) => {
                match index.get(&n.id()).map(|i| &models[*i]) {
                    Some(Model::Struct(s)) => stack.extend(s.fields.iter().map(|f| f.ty.clone())),
                    Some(Model::Alias(a)) => stack.push(a.target.clone()),
                    Some(Model::Union(u)) => stack.extend(u.variants.iter().map(|v| v.ty.clone())),
                    Some(Model::Enum(_)) | None => {}
                }
            }
            _ => {}
        }
    }
    seen
}

/// Boxes the fields that close a cycle of structs holding each other directly (`Node.child:
/// Node`, or `A.b: B` with `B.a: A`): without the indirection the type has infinite size.
/// `Vec` and map fields are already behind a pointer and need nothing.
///
/// Fields are visited in model and field order, and a field is boxed when its struct can be
/// reached back from the field's type: the first field of a cycle is boxed, the rest stay
/// inline. A field `s -> t` closes a cycle exactly when `s` and `t` are in one strongly
/// connected component of the "holds inline" graph, so the components are computed once and
/// recomputed only for the component a boxing splits: linear for the long chains of real
/// specs, where checking reachability field by field was quadratic.
pub(super) fn box_recursive_fields(models: &mut [Model]) {
    let index: HashMap<TypeId, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().id(), i))
        .collect();
    let mut graph = InlineGraph::new(models, &index);
    let mut component = graph.components(&(0..models.len()).collect::<Vec<_>>());
    // Component numbers given after a split start past every number given so far.
    let mut fresh = models.len();
    for s in 0..models.len() {
        for f in 0..graph.edges[s].len() {
            let Some(t) = graph.edges[s][f] else { continue };
            if component[s] != component[t] {
                continue;
            }
            graph.edges[s][f] = None;
            let slot = match &mut models[s] {
                Model::Struct(m) => m.fields.get_mut(f).map(|x| &mut x.ty),
                Model::Union(u) => u.variants.get_mut(f).map(|x| &mut x.ty),
                _ => None,
            };
            if let Some(ty) = slot {
                let inner = std::mem::replace(ty, TypeRef::Any);
                *ty = TypeRef::Boxed(Box::new(inner));
            }
            // Only the component that held the boxed field can split.
            let members: Vec<usize> = (0..models.len())
                .filter(|&i| component[i] == component[s])
                .collect();
            let split = graph.components(&members);
            for &i in &members {
                component[i] = fresh + split[i];
            }
            fresh += members.len();
        }
    }
}

/// An upper bound of how deeply the models contain one another: the longest path through the
/// "refers to" graph (fields, variants, alias targets, through lists, maps and boxes), where a
/// cycle counts as many steps as it has members. Linear: strongly connected components are
/// contracted, and Tarjan numbers them so that every edge leads to a smaller number.
pub(super) fn type_depth(models: &[Model]) -> usize {
    let index: HashMap<TypeId, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().id(), i))
        .collect();
    let refers = |t: &TypeRef, out: &mut Vec<Option<usize>>| {
        let mut stack = vec![t];
        while let Some(t) = stack.pop() {
            match t {
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                    stack.push(inner)
                }
                TypeRef::Named(n) => out.push(index.get(&n.id()).copied()),
                _ => {}
            }
        }
    };
    let edges = models
        .iter()
        .map(|m| {
            let mut out = Vec::new();
            match m {
                Model::Struct(s) => s.fields.iter().for_each(|f| refers(&f.ty, &mut out)),
                Model::Union(u) => u.variants.iter().for_each(|v| refers(&v.ty, &mut out)),
                Model::Alias(a) => refers(&a.target, &mut out),
                Model::Enum(_) => {}
            }
            out
        })
        .collect();
    let graph = InlineGraph { edges };
    let component = graph.components(&(0..models.len()).collect::<Vec<_>>());
    let count = component
        .iter()
        .filter(|&&c| c != usize::MAX)
        .max()
        .map_or(0, |c| c + 1);
    let mut size = vec![0usize; count];
    for &c in &component {
        if let Some(s) = size.get_mut(c) {
            *s += 1;
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, &c) in component.iter().enumerate() {
        if let Some(m) = members.get_mut(c) {
            m.push(node);
        }
    }
    let mut depth = vec![0usize; count];
    for c in 0..count {
        let deepest_next = members[c]
            .iter()
            .flat_map(|&node| graph.edges[node].iter().flatten())
            .map(|&next| component[next])
            .filter(|&d| d != c && d < count)
            .map(|d| depth[d])
            .max()
            .unwrap_or(0);
        depth[c] = size[c].saturating_add(deepest_next);
    }
    depth.into_iter().max().unwrap_or(0)
}

/// The "holds inline" graph: for each model, per field (or union variant), the struct or
/// union it holds inline (seen through aliases), if any.
struct InlineGraph {
    edges: Vec<Vec<Option<usize>>>,
}

impl InlineGraph {
    fn new(models: &[Model], index: &HashMap<TypeId, usize>) -> Self {
        // The struct a type holds inline, seen through a bounded number of aliases.
        let inline_struct = |t: &TypeRef| -> Option<usize> {
            let mut t = t;
            for _ in 0..16 {
                let TypeRef::Named(n) = t else { return None };
                let i = *index.get(&n.id())?;
                match &models[i] {
                    Model::Struct(_) | Model::Union(_) => return Some(i),
                    Model::Alias(a) => t = &a.target,
                    Model::Enum(_) => return None,
                }
            }
            None
        };
        let edges = models
            .iter()
            .map(|m| match m {
                Model::Struct(s) => s.fields.iter().map(|f| inline_struct(&f.ty)).collect(),
                Model::Union(u) => u.variants.iter().map(|v| inline_struct(&v.ty)).collect(),
                _ => Vec::new(),
            })
            .collect();
        InlineGraph { edges }
    }

    /// Strongly connected components of the subgraph on `members` (Tarjan's algorithm with an
    /// explicit stack, so a deep chain cannot overflow the call stack). Returns a component
    /// number per node; nodes outside `members` get `usize::MAX`.
    fn components(&self, members: &[usize]) -> Vec<usize> {
        let n = self.edges.len();
        let mut inside = vec![false; n];
        for &m in members {
            inside[m] = true;
        }
        let mut order = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut component = vec![usize::MAX; n];
        let mut next_order = 0;
        let mut next_component = 0;
        for &root in members {
            if order[root] != usize::MAX {
                continue;
            }
            // (node, next edge to look at)
            let mut calls = vec![(root, 0usize)];
            order[root] = next_order;
            low[root] = next_order;
            next_order += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (v, ref mut e)) = calls.last_mut() {
                if let Some(edge) = self.edges[v].get(*e) {
                    *e += 1;
                    let Some(w) = *edge else { continue };
                    if !inside[w] {
                        continue;
                    }
                    if order[w] == usize::MAX {
                        order[w] = next_order;
                        low[w] = next_order;
                        next_order += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        calls.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(order[w]);
                    }
                    continue;
                }
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == order[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component[w] = next_component;
                        if w == v {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
        component
    }
}
