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
            Model::Alias(_) => {}
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
            TypeRef::Named(n) if seen.insert(n.id()) => match index.get(&n.id()).map(|i| &models[*i])
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

/// Boxes the fields that close a cycle of structs holding each other directly (`Node.child:
/// Node`, or `A.b: B` with `B.a: A`): without the indirection the type has infinite size.
/// `Vec` and map fields are already behind a pointer and need nothing.
pub(super) fn box_recursive_fields(models: &mut [Model]) {
    let index: HashMap<TypeId, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().id(), i))
        .collect();
    // The struct a type holds inline, seen through aliases.
    let inline_struct = |models: &[Model], t: &TypeRef| -> Option<usize> {
        let mut t = t.clone();
        for _ in 0..16 {
            let TypeRef::Named(n) = &t else { return None };
            let i = *index.get(&n.id())?;
            match &models[i] {
                Model::Struct(_) => return Some(i),
                Model::Alias(a) => t = a.target.clone(),
                Model::Enum(_) => return None,
            }
        }
        None
    };
    for s in 0..models.len() {
        let field_count = match &models[s] {
            Model::Struct(m) => m.fields.len(),
            _ => continue,
        };
        for f in 0..field_count {
            let target = match &models[s] {
                Model::Struct(m) => inline_struct(models, &m.fields[f].ty),
                _ => None,
            };
            let Some(target) = target else { continue };
            // Does `target` hold `s` inline, directly or through other structs?
            let mut seen = BTreeSet::new();
            let mut stack = vec![target];
            let mut cycle = false;
            while let Some(i) = stack.pop() {
                if i == s {
                    cycle = true;
                    break;
                }
                if !seen.insert(i) {
                    continue;
                }
                if let Model::Struct(m) = &models[i] {
                    stack.extend(m.fields.iter().filter_map(|g| inline_struct(models, &g.ty)));
                }
            }
            if cycle {
                if let Model::Struct(m) = &mut models[s] {
                    let ty = std::mem::replace(&mut m.fields[f].ty, TypeRef::Any);
                    m.fields[f].ty = TypeRef::Boxed(Box::new(ty));
                }
            }
        }
    }
}
