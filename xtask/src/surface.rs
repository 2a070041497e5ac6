//! A one-line-per-item listing of the generated public surface: each operation with its
//! route, parameters, result and errors, and each model field with its type. Snapshotted in
//! the workspace tests so a spec change reads as a short diff in review.

use crate::emit::types::display;
use crate::ir::{Api, Auth, Model, ParamLocation, RetryClass, Success};

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
                    b.model.bare(),
                    if b.required { "" } else { "?" }
                ));
            }
            let result = match &op.success {
                Success::Json { status, ty } => format!("{status} {}", display(ty)),
                Success::Unit { status } => format!("{status} ()"),
            };
            let errors: Vec<String> = op
                .errors
                .iter()
                .map(|e| match &e.body {
                    Some(t) => format!("{} {}", e.status, display(t)),
                    None => e.status.to_string(),
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
