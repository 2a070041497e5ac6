//! The document level: `info`, `servers`, `paths` and their path items, `components`, the
//! document's `security`, and the parts read past with a note (`webhooks`,
//! `jsonSchemaDialect`).

use super::Reader;
use super::node::Node;
use super::operation::location;
use super::refs::follow;
use crate::error::Result;
use crate::spec::{
    Components, Document, Info, Method, OAuthFlow, ParameterIn, PathEntry, SecurityScheme,
    SecuritySchemeKind, Server, Version,
};

/// The names of `components.schemas`, in file order (for checking schema references before
/// the schemas themselves are read).
pub(super) fn component_schema_names(root: &Node<'_>) -> Result<Vec<String>> {
    let Some(components) = root.field("components") else {
        return Ok(Vec::new());
    };
    components.map()?;
    match components.field("schemas") {
        Some(schemas) => Ok(schemas.entries()?.into_iter().map(|(k, _)| k).collect()),
        None => Ok(Vec::new()),
    }
}

impl<'a> Reader<'a, '_> {
    /// The whole document.
    pub(super) fn document(&mut self) -> Result<Document> {
        let root = self.root.clone();
        self.note_ignored(&root);
        let info = info(&root)?;
        let servers = match root.field("servers") {
            Some(at) => servers(&at)?,
            None => Vec::new(),
        };
        let mut components = self.components(&root)?;
        let paths = match root.field("paths") {
            Some(at) => self.paths(&at)?,
            None => Vec::new(),
        };
        let security = root
            .field("security")
            .map(|at| self.security(&at))
            .transpose()?;
        // Schemas reached through `$defs` (or other pointers) last: reading one may reach
        // more, so this is a work list rather than a recursion.
        while let Some((name, node)) = self.schemas.next_pending() {
            let schema = self.schema(&node, 0)?;
            components.schemas.push((name, schema));
        }
        Ok(Document {
            version: Version::V31,
            info,
            servers,
            paths,
            components,
            security,
            extensions: root.extensions()?,
        })
    }

    fn note_ignored(&mut self, root: &Node<'a>) {
        if root.field("webhooks").is_some() {
            self.diagnostics.note_once(
                "webhooks",
                "/webhooks",
                "webhooks are not generated (they describe requests the API sends, not ones \
                 the client makes)",
            );
        }
        if root.field("jsonSchemaDialect").is_some() {
            self.diagnostics.note_once(
                "jsonSchemaDialect",
                "/jsonSchemaDialect",
                "jsonSchemaDialect is ignored: schemas are read as OpenAPI 3.1's default dialect",
            );
        }
    }

    /// `paths`: keys must start with `/` (`x-` keys are extensions of the Paths object).
    fn paths(&mut self, node: &Node<'a>) -> Result<Vec<PathEntry>> {
        let mut out = Vec::new();
        for (path, item) in node.entries()? {
            if path.starts_with("x-") {
                continue;
            }
            if !path.starts_with('/') {
                return Err(item.error(format!("path {path:?} does not start with `/`")));
            }
            out.push(self.path_item(path, item)?);
        }
        Ok(out)
    }

    /// One path item, a reference to one (to `components.pathItems` or elsewhere) resolved.
    fn path_item(&mut self, path: String, node: Node<'a>) -> Result<PathEntry> {
        let pointer = node.pointer().to_string();
        node.map()?;
        if node.field("$ref").is_some() {
            let beside_ref = node
                .entries()?
                .into_iter()
                .find(|(k, _)| !matches!(k.as_str(), "$ref" | "summary" | "description"));
            if let Some((key, at)) = beside_ref {
                self.diagnostics.warn(
                    at.pointer(),
                    format!("`{key}` beside `$ref` in a path item is ignored (the target is read)"),
                );
            }
        }
        let item = follow(&self.root, node)?;
        item.map()?;
        let parameters = self.parameter_list(item.field("parameters"))?;
        let mut operations = Vec::new();
        for method in Method::ALL {
            if let Some(at) = item.field(method.key()) {
                operations.push(self.operation(method, &at)?);
            }
        }
        Ok(PathEntry {
            path,
            pointer,
            parameters,
            operations,
        })
    }

    /// `components`: schemas, parameters and security schemes (other sections are reached
    /// through references).
    fn components(&mut self, root: &Node<'a>) -> Result<Components> {
        let mut components = Components::default();
        let Some(node) = root.field("components") else {
            return Ok(components);
        };
        node.map()?;
        if let Some(at) = node.field("schemas") {
            for (name, schema) in at.entries()? {
                components.schemas.push((name, self.schema(&schema, 0)?));
            }
        }
        if let Some(at) = node.field("parameters") {
            for (name, parameter) in at.entries()? {
                components
                    .parameters
                    .push((name, self.parameter(parameter)?));
            }
        }
        if let Some(at) = node.field("securitySchemes") {
            for (name, scheme) in at.entries()? {
                let scheme = follow(&self.root, scheme)?;
                components
                    .security_schemes
                    .push((name, security_scheme(&scheme)?));
            }
        }
        Ok(components)
    }
}

fn info(root: &Node<'_>) -> Result<Info> {
    let node = root.field("info").ok_or_else(|| root.missing("info"))?;
    node.map()?;
    Ok(Info {
        title: node.req_str("title")?,
        version: node.req_str("version")?,
        description: node.opt_str("description")?,
    })
}

fn servers(node: &Node<'_>) -> Result<Vec<Server>> {
    node.items()?
        .iter()
        .map(|server| {
            server.map()?;
            Ok(Server {
                url: server.req_str("url")?,
                description: server.opt_str("description")?,
            })
        })
        .collect()
}

fn security_scheme(node: &Node<'_>) -> Result<SecurityScheme> {
    node.map()?;
    let kind = match node.req_str("type")?.as_str() {
        "apiKey" => {
            let location = location(
                node,
                "API key",
                &[ParameterIn::Query, ParameterIn::Header, ParameterIn::Cookie],
            )?;
            SecuritySchemeKind::ApiKey {
                name: node.req_str("name")?,
                location,
            }
        }
        "http" => SecuritySchemeKind::Http {
            scheme: node.req_str("scheme")?.to_ascii_lowercase(),
            bearer_format: node.opt_str("bearerFormat")?,
        },
        "oauth2" => oauth2(node)?,
        "openIdConnect" => SecuritySchemeKind::OpenIdConnect {
            url: node.req_str("openIdConnectUrl")?,
        },
        "mutualTLS" => SecuritySchemeKind::MutualTls,
        other => {
            return Err(node.field_error(
                "type",
                format!(
                    "unknown security scheme type {other:?} (expected apiKey, http, oauth2, \
                     openIdConnect or mutualTLS)"
                ),
            ));
        }
    };
    Ok(SecurityScheme {
        pointer: node.pointer().to_string(),
        kind,
        description: node.opt_str("description")?,
    })
}

fn oauth2(node: &Node<'_>) -> Result<SecuritySchemeKind> {
    let flows = node.field("flows").ok_or_else(|| node.missing("flows"))?;
    let mut client_credentials = None;
    let mut other_flows = Vec::new();
    for (name, flow) in flows.entries()? {
        if name.starts_with("x-") {
            continue;
        }
        flow.map()?;
        if name == "clientCredentials" {
            let scopes = match flow.field("scopes") {
                Some(at) => at.entries()?.into_iter().map(|(k, _)| k).collect(),
                None => Vec::new(),
            };
            client_credentials = Some(OAuthFlow {
                token_url: flow.req_str("tokenUrl")?,
                refresh_url: flow.opt_str("refreshUrl")?,
                scopes,
            });
        } else {
            other_flows.push(name);
        }
    }
    Ok(SecuritySchemeKind::OAuth2 {
        client_credentials,
        other_flows,
    })
}
