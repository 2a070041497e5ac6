//! Security: `components.securitySchemes` and the document's and operations' `security`
//! lowered into [`SecurityScheme`]s and per-operation alternatives.
//!
//! Applied: HTTP basic and bearer, API keys in a header, the query or a cookie, and OAuth2's
//! client-credentials flow (the runtime fetches and refreshes the token). Refused with a
//! warning, each saying why: other HTTP schemes (digest and the like need a challenge round
//! trip), OpenID Connect (discovery and a user-facing flow), mutual TLS (a client certificate
//! belongs to the HTTP client, `ClientBuilder::http_client`), and OAuth2 flows other than
//! client credentials (they need a user's browser, or, for `password`, hand the user's
//! password to the client, which current OAuth guidance forbids). An alternative that names
//! a refused scheme is dropped; an operation left with none is generated without credentials
//! (the caller can still set a header) and warned about.

use super::*;
use crate::spec::{ParameterIn, SecurityRequirement, SecuritySchemeKind};

/// Name endings that say "this is a scheme" and nothing about the credential.
const SCHEME_SUFFIXES: &[&str] = &["_authentication", "_auth", "_security", "_scheme"];

impl Lowerer<'_> {
    /// Lowers each declared scheme the client applies, and warns, once per scheme, about each
    /// it does not.
    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let doc = self.doc;
        let mut setters = Scope::with_reserved(reserved::CLIENT_BUILDER_METHODS);
        let mut out = Vec::new();
        for (name, scheme) in &doc.components.security_schemes {
            let kind = match self.scheme_kind(name, scheme) {
                Some(kind) => kind,
                None => continue,
            };
            let (setter, takes_token) = setter_name(name, &kind);
            let setter = setters.allocate(setter, "_scheme");
            // Named after the setter as allocated, so the pair stays recognisable.
            let provider_setter = takes_token.then(|| {
                setters.allocate(
                    naming::snake(&format!("{}_provider", setter.bare())),
                    "_scheme",
                )
            });
            out.push(SecurityScheme {
                name: name.clone(),
                setter,
                provider_setter,
                kind,
                description: scheme.description.clone(),
            });
        }
        out
    }

    /// The kind of a scheme the client applies, or `None` after a warning saying why not.
    fn scheme_kind(
        &mut self,
        name: &str,
        scheme: &crate::spec::SecurityScheme,
    ) -> Option<SchemeKind> {
        let refuse = |what: &str, why: &str| {
            format!(
                "security scheme {name:?} ({what}) is not applied by the generated client: {why}; operations that accept only it are generated without credentials"
            )
        };
        let message = match &scheme.kind {
            SecuritySchemeKind::Http { scheme: s, .. } if s == "basic" => {
                return Some(SchemeKind::Basic);
            }
            SecuritySchemeKind::Http {
                scheme: s,
                bearer_format,
            } if s == "bearer" => {
                return Some(SchemeKind::Bearer {
                    format: bearer_format.clone(),
                });
            }
            SecuritySchemeKind::ApiKey {
                name: key_name,
                location,
            } => {
                let location = match location {
                    ParameterIn::Header => ApiKeyLocation::Header,
                    ParameterIn::Query => ApiKeyLocation::Query,
                    ParameterIn::Cookie => ApiKeyLocation::Cookie,
                    ParameterIn::Path => {
                        self.diagnostics.warn(
                            &scheme.pointer,
                            refuse(
                                "an API key in the path",
                                "OpenAPI allows API keys only in a header, the query or a cookie",
                            ),
                        );
                        return None;
                    }
                };
                if !is_token(key_name) {
                    self.diagnostics.warn(
                        &scheme.pointer,
                        refuse("an API key", &format!("its name {key_name:?} is not a valid header, parameter or cookie name")),
                    );
                    return None;
                }
                return Some(SchemeKind::ApiKey {
                    location,
                    name: key_name.clone(),
                });
            }
            SecuritySchemeKind::OAuth2 {
                client_credentials: Some(flow),
                other_flows,
            } => {
                if !other_flows.is_empty() {
                    self.diagnostics.warn(
                        &scheme.pointer,
                        format!(
                            "security scheme {name:?}: only its clientCredentials flow is applied; {} {} a user's browser or password, which a generated client cannot ask for",
                            other_flows.join(", "),
                            if other_flows.len() == 1 { "needs" } else { "need" }
                        ),
                    );
                }
                return Some(SchemeKind::OAuth2ClientCredentials {
                    token_url: flow.token_url.clone(),
                    scopes: Vec::new(),
                });
            }
            SecuritySchemeKind::Http { scheme: s, .. } => refuse(
                &format!("HTTP {s}"),
                "only basic and bearer are supported; other HTTP schemes need a challenge round trip with the server",
            ),
            SecuritySchemeKind::OAuth2 { other_flows, .. } => refuse(
                "OAuth2",
                &format!(
                    "it has no clientCredentials flow, and its flows ({}) need a user's browser or password; obtain a token yourself and send it with ClientBuilder::default_header",
                    other_flows.join(", ")
                ),
            ),
            SecuritySchemeKind::OpenIdConnect { .. } => refuse(
                "OpenID Connect",
                "it needs discovery and a user-facing sign-in; obtain a token yourself and send it with ClientBuilder::default_header",
            ),
            SecuritySchemeKind::MutualTls => refuse(
                "mutual TLS",
                "a client certificate belongs to the HTTP client: pass a reqwest::Client with its identity to ClientBuilder::http_client",
            ),
        };
        self.diagnostics.warn(&scheme.pointer, message);
        None
    }

    /// An operation's default authentication and its alternatives: its own `security`, else
    /// the document's. A spec that declares no scheme keeps the historic default (credentials
    /// required unless `security: []`).
    pub(super) fn operation_security(
        &mut self,
        op: &crate::spec::Operation,
        op_ptr: &str,
        schemes: &[SecurityScheme],
        scopes: &mut BTreeMap<String, BTreeSet<String>>,
    ) -> Result<(Auth, Vec<Vec<String>>)> {
        let (requirements, at) = match (&op.security, &self.doc.security) {
            (Some(s), _) => (Some(s), format!("{op_ptr}/security")),
            (None, Some(s)) => (Some(s), "/security".to_string()),
            (None, None) => (None, String::new()),
        };
        if self.doc.components.security_schemes.is_empty() {
            let auth = match requirements {
                Some(s) if s.is_empty() => Auth::None,
                _ => Auth::Required,
            };
            return Ok((auth, Vec::new()));
        }
        let Some(requirements) = requirements else {
            return Ok((Auth::None, Vec::new()));
        };
        if requirements.is_empty() {
            return Ok((Auth::None, Vec::new()));
        }
        let mut alternatives = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            if let Some(names) =
                self.alternative(requirement, &format!("{at}/{i}"), schemes, scopes)?
            {
                alternatives.push(names);
            }
        }
        if alternatives.is_empty() {
            self.diagnostics.warn(
                &at,
                "every security alternative of this operation names a scheme the generated client does not apply, so it is sent without credentials",
            );
            return Ok((Auth::Optional, alternatives));
        }
        let auth = if alternatives.iter().any(Vec::is_empty) {
            Auth::Optional
        } else {
            Auth::Required
        };
        Ok((auth, alternatives))
    }

    /// The scheme names of one requirement, or `None` when it names a scheme that is not
    /// applied. A name that no scheme has is an error.
    fn alternative(
        &self,
        requirement: &SecurityRequirement,
        at: &str,
        schemes: &[SecurityScheme],
        scopes: &mut BTreeMap<String, BTreeSet<String>>,
    ) -> Result<Option<Vec<String>>> {
        let mut names = Vec::with_capacity(requirement.schemes.len());
        let mut applied = true;
        for (name, wanted) in &requirement.schemes {
            let declared = self
                .doc
                .components
                .security_schemes
                .iter()
                .any(|(n, _)| n == name);
            if !declared {
                return Err(self.err(
                    at,
                    format!("security requirement names {name:?}, which is not in components.securitySchemes"),
                ));
            }
            match schemes.iter().find(|s| &s.name == name) {
                Some(scheme) => {
                    if matches!(scheme.kind, SchemeKind::OAuth2ClientCredentials { .. }) {
                        scopes
                            .entry(name.clone())
                            .or_default()
                            .extend(wanted.iter().cloned());
                    }
                    names.push(name.clone());
                }
                None => applied = false,
            }
        }
        Ok(applied.then_some(names))
    }
}

/// The scopes each OAuth2 scheme is required with, filled in once every operation is lowered.
pub(super) fn set_oauth_scopes(
    schemes: &mut [SecurityScheme],
    scopes: &BTreeMap<String, BTreeSet<String>>,
) {
    for scheme in schemes {
        if let SchemeKind::OAuth2ClientCredentials { scopes: s, .. } = &mut scheme.kind {
            *s = scopes
                .get(&scheme.name)
                .map(|set| set.iter().cloned().collect())
                .unwrap_or_default();
        }
    }
}

/// The setter name a scheme's name suggests, by what the setter takes, and whether it takes a
/// token (and so also gets a provider setter): `bearerAuth` -> `bearer_token`, `api_key` ->
/// `api_key`, `basicAuth` -> `basic_credentials`, `oauth` -> `oauth_client_credentials`.
fn setter_name(name: &str, kind: &SchemeKind) -> (Ident, bool) {
    let snake = naming::snake(name).bare().to_string();
    let base = SCHEME_SUFFIXES
        .iter()
        .find_map(|s| snake.strip_suffix(s).filter(|b| !b.is_empty()))
        .unwrap_or(&snake)
        .to_string();
    let with = |word: &str| {
        if base.contains(word) {
            base.clone()
        } else {
            format!("{base}_{word}")
        }
    };
    let (setter, takes_token) = match kind {
        SchemeKind::Basic => (with("credentials"), false),
        SchemeKind::Bearer { .. } => (with("token"), true),
        SchemeKind::ApiKey { .. } => (with("key"), true),
        SchemeKind::OAuth2ClientCredentials { .. } => (with("client_credentials"), false),
    };
    (naming::snake(&setter), takes_token)
}

/// An HTTP token (RFC 9110): what a header, cookie or parameter name must be to be sent as is.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setter_names_come_from_the_scheme() {
        let bearer = SchemeKind::Bearer { format: None };
        let key = SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "X-Key".into(),
        };
        let oauth = SchemeKind::OAuth2ClientCredentials {
            token_url: "/t".into(),
            scopes: vec![],
        };
        let cases = [
            ("bearerAuth", &bearer, "bearer_token", true),
            ("jwt", &bearer, "jwt_token", true),
            ("accessToken", &bearer, "access_token", true),
            ("api_key", &key, "api_key", true),
            ("apiKeyHeader", &key, "api_key_header", true),
            ("session", &key, "session_key", true),
            ("basicAuth", &SchemeKind::Basic, "basic_credentials", false),
            ("oauth", &oauth, "oauth_client_credentials", false),
            ("auth", &bearer, "auth_token", true),
        ];
        for (name, kind, setter, takes_token) in cases {
            let (s, t) = setter_name(name, kind);
            assert_eq!(s.as_str(), setter, "{name}");
            assert_eq!(t, takes_token, "{name}");
        }
    }

    #[test]
    fn tokens() {
        assert!(is_token("X-API-Key"));
        assert!(is_token("api_key"));
        assert!(!is_token(""));
        assert!(!is_token("a b"));
        assert!(!is_token("a:b"));
        assert!(!is_token("é"));
    }
}
