//! Usage marking: which models are reachable from requests and from responses.

use super::*;

/// Marks models reachable from request bodies and parameters (`in_request`), and gives
/// request-only enums a `Custom` catch-all instead of `Unknown`.
pub(super) fn mark_usage(models: &mut [Model], groups: &[Group]) {
    let index: HashMap<Ident, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().clone(), i))
        .collect();
    let mut request_roots = Vec::new();
    let mut response_roots = Vec::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        for p in &op.params {
            request_roots.push(p.ty.clone());
        }
        if let Some(b) = &op.body {
            request_roots.push(TypeRef::Named(b.model.clone()));
        }
        if let Success::Json { ty, .. } = &op.success {
            response_roots.push(ty.clone());
        }
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
            Model::Struct(s) => s.in_request = request.contains(&s.name),
            Model::Enum(e) => {
                if request.contains(&e.name) && !response.contains(&e.name) {
                    e.catch_all = naming::pascal("Custom");
                }
            }
            Model::Alias(_) => {}
        }
    }
}

fn reach(models: &[Model], index: &HashMap<Ident, usize>, roots: Vec<TypeRef>) -> BTreeSet<Ident> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => stack.push(*inner),
            TypeRef::Named(n) if seen.insert(n.clone()) => match index.get(&n).map(|i| &models[*i])
            {
                Some(Model::Struct(s)) => stack.extend(s.fields.iter().map(|f| f.ty.clone())),
                Some(Model::Alias(a)) => stack.push(a.target.clone()),
                Some(Model::Enum(_)) | None => {}
            },
            _ => {}
        }
    }
    seen
}
