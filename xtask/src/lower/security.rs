//! Security schemes. The runtime authenticates with HTTP Basic credentials (key and secret);
//! other schemes are not applied yet, and a spec that declares one is told so, once per
//! scheme, rather than getting a client that silently sends the wrong credentials.

use super::*;
use crate::spec::SecuritySchemeKind;

impl Lowerer<'_> {
    /// Warns once for each declared scheme the generated client does not apply.
    pub(super) fn check_security_schemes(&mut self) {
        let doc = self.doc;
        for (name, scheme) in &doc.components.security_schemes {
            let what = match &scheme.kind {
                SecuritySchemeKind::Http { scheme: s, .. } if s == "basic" => continue,
                SecuritySchemeKind::Http { scheme: s, .. } => format!("HTTP {s}"),
                SecuritySchemeKind::ApiKey { location, .. } => {
                    format!("an API key in the {}", location.as_str())
                }
                SecuritySchemeKind::OAuth2 { .. } => "OAuth2".to_string(),
                SecuritySchemeKind::OpenIdConnect { .. } => "OpenID Connect".to_string(),
                SecuritySchemeKind::MutualTls => "mutual TLS".to_string(),
            };
            self.diagnostics.warn(
                &scheme.pointer,
                format!(
                    "security scheme {name:?} ({what}) is not applied by the generated client, which sends HTTP Basic credentials: set the header yourself (ClientBuilder::default_header or with_header)"
                ),
            );
        }
    }
}
