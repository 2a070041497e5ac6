//! A one-line-per-item listing of the generated public surface: each operation with its
//! route, parameters, result and errors, and each model field with its type. Snapshotted in
//! the workspace tests so a spec change reads as a short diff in review.

use crate::emit::types::display;
use crate::ir::{
    Api, Auth, Body, Model, ObjectEncoding, ParamLocation, ResponseBody, RetryClass, WholeKind,
};

/// Renders the listing.
pub fn render(api: &Api) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {} {}\n\n## operations\n",
        api.title, api.version
    ));
    for g in &api.groups {
        for op in &g.operations {
            let mut parts = Vec::new();
            let path: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.location == ParamLocation::Path)
                .map(|p| format!("{}: {}", p.rust_name.bare(), display(&p.ty)))
                .collect();
            if !path.is_empty() {
                parts.push(format!("path: {}", path.join(", ")));
            }
            let query: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.location != ParamLocation::Path)
                .map(|p| {
                    let json = match p.location {
                        ParamLocation::QueryJson => " as json".to_string(),
                        ParamLocation::QueryStyled(style) => format!(" as {style:?}"),
                        ParamLocation::Header => " in header".to_string(),
                        ParamLocation::Cookie => " in cookie".to_string(),
                        _ => String::new(),
                    };
                    let req = if p.required { "" } else { "?" };
                    format!("{}{req}: {}{json}", p.wire_name, display(&p.ty))
                })
                .collect();
            if !query.is_empty() {
                parts.push(format!("query: {}", query.join(", ")));
            }
            if let Some(b) = &op.body {
                parts.push(format!(
                    "body: {}{}",
                    body_kinds(b).join(" | "),
                    if b.required { "" } else { "?" }
                ));
            }
            let cases: Vec<String> = op
                .success
                .cases
                .iter()
                .map(|c| format!("{} {}", c.status.label(), display_body(&c.body)))
                .collect();
            let result = match &op.success.enum_name {
                Some(name) => format!("{}: {}", name.bare(), cases.join(" | ")),
                // One shape: the first documented status stands for all.
                None => cases.into_iter().next().unwrap_or_default(),
            };
            let errors: Vec<String> = op
                .errors
                .iter()
                .map(|e| match &e.body {
                    Some(t) => format!("{} {}", e.status.label(), display(t)),
                    None => e.status.label(),
                })
                .collect();
            let auth = match op.auth {
                Auth::Required => "auth",
                Auth::Optional => "auth optional",
                Auth::None => "no auth",
            };
            let retry = match op.retry {
                RetryClass::Idempotent => "idempotent",
                RetryClass::NonIdempotent => "non-idempotent",
                RetryClass::Never => "never retried",
            };
            let paged = match &op.pagination {
                Some(p) => format!(", stream of {}", display(&p.item)),
                None => String::new(),
            };
            out.push_str(&format!(
                "{}.{}: {} {} ({}) -> {}, errors: [{}], {auth}, {retry}{paged}\n",
                g.module.bare(),
                op.method_name.bare(),
                op.http_method.as_str(),
                op.path_template,
                parts.join("; "),
                result,
                errors.join(", "),
            ));
        }
    }
    out.push_str("\n## models\n");
    for m in &api.models {
        match m {
            Model::Struct(s) => {
                for f in &s.fields {
                    let mut flags = Vec::new();
                    if f.required {
                        flags.push("required");
                    }
                    if f.nullable {
                        flags.push("nullable");
                    }
                    let flags = if flags.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", flags.join(", "))
                    };
                    out.push_str(&format!(
                        "{}.{}: {}{flags}\n",
                        s.name.bare(),
                        f.wire_name,
                        display(&f.ty)
                    ));
                }
                if s.fields.is_empty() {
                    out.push_str(&format!("{}: {{}}\n", s.name.bare()));
                }
            }
            Model::Enum(e) => {
                let values: Vec<&str> = e.variants.iter().map(|(_, w)| w.as_str()).collect();
                out.push_str(&format!(
                    "{}: enum {} | {}({})\n",
                    e.name.bare(),
                    values.join(" | "),
                    e.catch_all.bare(),
                    if e.integer { "i64" } else { "String" }
                ));
            }
            Model::Alias(a) => {
                out.push_str(&format!("{} = {}\n", a.name.bare(), display(&a.target)))
            }
            Model::Union(u) => {
                let variants: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| match v.tags.as_slice() {
                        [] => format!("{}({})", v.name.bare(), display(&v.ty)),
                        tags => format!("{}={}({})", tags.join("/"), v.name.bare(), display(&v.ty)),
                    })
                    .collect();
                let how = match &u.matching {
                    crate::ir::UnionMatching::Tagged {
                        property,
                        catch_all,
                    } => {
                        format!("tagged by {property}, else {}(Value)", catch_all.bare())
                    }
                    crate::ir::UnionMatching::Untagged => "first match".to_string(),
                };
                out.push_str(&format!(
                    "{}: union ({how}) {}\n",
                    u.name.bare(),
                    variants.join(" | ")
                ));
            }
        }
    }
    out
}

/// The body kinds an operation takes: the object model (and `form` when it may also be sent
/// as one), then the kinds given whole.
fn body_kinds(b: &Body) -> Vec<String> {
    let mut kinds = Vec::new();
    if let Some(o) = &b.object {
        kinds.push(match o.encoding {
            ObjectEncoding::Json => o.model.bare(),
            ObjectEncoding::Form => format!("{} as form", o.model.bare()),
        });
        if o.form_setter.is_some() {
            kinds.push(format!("{} as form", o.model.bare()));
        }
    }
    kinds.extend(b.whole.iter().map(|w| match &w.kind {
        WholeKind::Multipart { .. } => "Multipart".to_string(),
        WholeKind::Text { .. } => format!("String as {}", w.media_type),
        WholeKind::Bytes { .. } => format!("Bytes as {}", w.media_type),
        WholeKind::Json { ty, .. } => format!("{} as {}", display(ty), w.media_type),
    }));
    kinds
}

/// A response body as the listing shows it.
fn display_body(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(t) => display(t),
        ResponseBody::Text => "String".into(),
        ResponseBody::Bytes => "Bytes".into(),
        ResponseBody::Empty => "()".into(),
    }
}
