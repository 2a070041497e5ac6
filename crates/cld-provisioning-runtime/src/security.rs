//! Security schemes: what the API accepts ([`SecurityScheme`], a table the generated crate
//! passes to [`ClientBuilder::security_schemes`](crate::ClientBuilder::security_schemes)),
//! which credentials the client holds for each, and, per attempt, which of an operation's
//! alternatives is applied and how.
//!
//! An operation's security is a list of alternatives (OR), each a list of scheme names (AND),
//! as in OpenAPI. The first alternative whose schemes all have credentials configured is
//! applied; an empty alternative means "no credentials" and always matches. When none
//! matches, a call that requires credentials fails before sending with
//! [`BuildError::NoCredentials`], naming the operation and the schemes it accepts.
//! Operations that name no alternatives use HTTP Basic with the client's credentials, the
//! Cloudinary case. Two schemes of one alternative that both use `Authorization` (basic and
//! bearer together) cannot both be sent; the later one in the alternative is.

use std::sync::Arc;
use std::time::Duration;

use http::header::{AUTHORIZATION, COOKIE};
use http::{HeaderName, HeaderValue};

use crate::config_error::ConfigError;
use crate::credentials::{CredentialSource, Credentials, TokenSource, sensitive_header};
use crate::echo_mask::EchoMask;
use crate::error::BuildError;
use crate::oauth2::{ClientCredentials, OAuthClient};
use crate::request::{AuthMode, OperationRequest};
use crate::secret::SecretString;

/// One security scheme of the API, as the spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec (`bearerAuth`).
    pub name: &'static str,
    /// How it authenticates.
    pub kind: SchemeKind,
}

/// How a security scheme authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// HTTP Basic: `Authorization: Basic base64(user:password)`.
    Basic,
    /// HTTP bearer: `Authorization: Bearer <token>`.
    Bearer,
    /// An API key sent as a header, a query parameter or a cookie named `name`.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
    /// OAuth2 client credentials: a token fetched from `token_url` (absolute, or relative to
    /// the server), sent as a bearer token.
    OAuth2ClientCredentials {
        /// The token endpoint.
        token_url: &'static str,
        /// The scopes requested by default: those the API's operations require.
        scopes: &'static [&'static str],
    },
}

impl SchemeKind {
    /// What credentials the scheme takes, in words, for error messages.
    fn needs(&self) -> &'static str {
        match self {
            SchemeKind::Basic => "a user name and password",
            SchemeKind::Bearer => "a bearer token",
            SchemeKind::ApiKey { .. } => "an API key",
            SchemeKind::OAuth2ClientCredentials { .. } => "OAuth2 client credentials",
        }
    }
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// The scheme table of a client without one: HTTP Basic with the client's credentials.
const DEFAULT_SCHEMES: &[SecurityScheme] = &[SecurityScheme {
    name: "basic",
    kind: SchemeKind::Basic,
}];

/// Credentials set on the builder for one named scheme.
#[derive(Clone, Debug)]
pub(crate) enum SchemeCredentials {
    Basic(CredentialSource),
    Token(TokenSource),
    ClientCredentials(ClientCredentials),
}

impl SchemeCredentials {
    /// The kind of credentials, in words.
    fn what(&self) -> &'static str {
        match self {
            SchemeCredentials::Basic(_) => "a user name and password",
            SchemeCredentials::Token(_) => "a token",
            SchemeCredentials::ClientCredentials(_) => "OAuth2 client credentials",
        }
    }
}

/// What a built client holds for one scheme.
#[derive(Debug)]
enum Held {
    Basic(CredentialSource),
    Token(TokenSource),
    OAuth2(Arc<OAuthClient>),
}

/// The security part of a built client.
#[derive(Debug)]
pub(crate) struct Security {
    schemes: &'static [SecurityScheme],
    /// The client's Basic credentials (builder, provider or environment), used by every Basic
    /// scheme that has none of its own.
    basic: CredentialSource,
    held: Vec<(&'static str, Held)>,
    /// The mask of every credential known when the client was built, made once: building it
    /// (base64, JSON escaping, sorting) was a tenth of the SDK's own work per request.
    known: EchoMask,
}

/// What one attempt sends, and what the transport must know about it.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Headers to set after the interceptors ran (they never see credentials).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Query parameters to append (API keys in the query).
    pub(crate) query: Vec<(&'static str, SecretString)>,
    /// The credentials a server may echo, masked in what is kept and logged.
    pub(crate) echo: EchoMask,
    /// OAuth2 tokens sent, to forget if the API rejects them.
    pub(crate) oauth: Vec<(Arc<OAuthClient>, SecretString)>,
}

impl Security {
    /// Checks the credentials set per scheme against the table and prepares OAuth2 clients.
    pub(crate) fn new(
        schemes: Option<&'static [SecurityScheme]>,
        basic: CredentialSource,
        per_scheme: Vec<(&'static str, SchemeCredentials)>,
        base_url: &str,
        allow_insecure_http: bool,
    ) -> Result<Self, ConfigError> {
        let schemes = schemes.unwrap_or(DEFAULT_SCHEMES);
        let mut held = Vec::with_capacity(per_scheme.len());
        for (name, credentials) in per_scheme {
            let Some(scheme) = schemes.iter().find(|s| s.name == name) else {
                return Err(ConfigError::UnknownSecurityScheme {
                    scheme: name.to_owned(),
                });
            };
            let wrong = || ConfigError::WrongSchemeCredentials {
                scheme: name,
                expected: scheme.kind.needs(),
                given: credentials.what(),
            };
            let item = match (scheme.kind, &credentials) {
                (SchemeKind::Basic, SchemeCredentials::Basic(source)) => {
                    Held::Basic(source.clone())
                }
                (SchemeKind::Bearer | SchemeKind::ApiKey { .. }, SchemeCredentials::Token(t)) => {
                    Held::Token(t.clone())
                }
                (
                    SchemeKind::OAuth2ClientCredentials { token_url, scopes },
                    SchemeCredentials::ClientCredentials(c),
                ) => {
                    let url = token_url_of(token_url, base_url, allow_insecure_http)?;
                    Held::OAuth2(Arc::new(OAuthClient::new(name, url, c.clone(), scopes)))
                }
                _ => return Err(wrong()),
            };
            held.retain(|(n, _)| *n != name);
            held.push((name, item));
        }
        let mut security = Self {
            schemes,
            basic,
            held,
            known: EchoMask::default(),
        };
        security.known = security.mask_known();
        Ok(security)
    }

    /// The client's Basic credentials.
    pub(crate) fn basic(&self) -> &CredentialSource {
        &self.basic
    }

    /// What is held for `name`: its own credentials, or the client's Basic ones for a Basic
    /// scheme.
    fn held(&self, name: &str) -> Option<HeldRef<'_>> {
        if let Some((_, h)) = self.held.iter().find(|(n, _)| *n == name) {
            return Some(HeldRef::Own(h));
        }
        let scheme = self.schemes.iter().find(|s| s.name == name)?;
        (scheme.kind == SchemeKind::Basic && self.basic.is_configured())
            .then_some(HeldRef::ClientBasic)
    }

    /// What to send for one attempt of `req`, or why nothing may be sent.
    pub(crate) async fn authenticate(
        &self,
        req: &OperationRequest,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<Applied, BuildError> {
        if req.auth == AuthMode::None {
            return Ok(self.known_echo());
        }
        let Some(alternatives) = req.security else {
            return self.authenticate_basic(req.auth).await;
        };
        for alternative in alternatives {
            if alternative.iter().all(|name| self.held(name).is_some()) {
                // Boxed: the schemes' future (OAuth2 token fetches) is several times the size of
                // the Basic path's, and would otherwise enlarge every call's state.
                return Box::pin(self.apply(alternative, http, timeout)).await;
            }
        }
        if req.auth == AuthMode::Optional {
            return Ok(self.known_echo());
        }
        Err(BuildError::NoCredentials {
            operation_id: req.operation_id,
            accepted: describe_alternatives(alternatives),
        })
    }

    /// Operations that name no schemes: the client's Basic credentials, as always.
    async fn authenticate_basic(&self, auth: AuthMode) -> Result<Applied, BuildError> {
        // Fixed credentials, the common case: the value and the mask were made when the client
        // was built, so an attempt copies them and nothing else.
        if let Some(value) = self.basic.fixed_authorization() {
            return Ok(Applied {
                headers: vec![(AUTHORIZATION, value.clone())],
                echo: self.known.clone(),
                ..Applied::default()
            });
        }
        let credentials = match (auth, self.basic.resolve(DEFAULT_SCHEMES[0].name).await) {
            (AuthMode::Required, Err(e)) => return Err(e),
            (_, Ok(c)) => c,
            (_, Err(_)) => return Ok(Applied::default()),
        };
        let value = self.basic.authorization_for(&credentials)?;
        // Static credentials are in the mask made when the client was built; a provider's
        // (which may change from call to call) are added to a copy of it.
        let echo = if self.basic.is_known() {
            self.known.clone()
        } else {
            self.known
                .clone()
                .with_basic(credentials.key(), credentials.secret().expose_secret())
        };
        Ok(Applied {
            headers: vec![(AUTHORIZATION, value)],
            echo,
            ..Applied::default()
        })
    }

    /// The masks of every credential known without asking a provider: a server may repeat
    /// configured credentials even to a call that sent none, or sent others.
    fn known_echo(&self) -> Applied {
        Applied {
            echo: self.known.clone(),
            ..Applied::default()
        }
    }

    /// Makes the mask [`Self::known_echo`] hands out.
    fn mask_known(&self) -> EchoMask {
        match self.basic.known() {
            Some(c) => self
                .held_echo()
                .with_basic(c.key(), c.secret().expose_secret()),
            None => self.held_echo(),
        }
    }

    /// The masks of the credentials set per scheme (none for a client with only its Basic
    /// credentials), without asking a provider.
    fn held_echo(&self) -> EchoMask {
        let mut echo = EchoMask::default();
        for (_, h) in &self.held {
            echo = match h {
                Held::Basic(source) => match source.known() {
                    Some(c) => echo.with_basic(c.key(), c.secret().expose_secret()),
                    None => echo,
                },
                Held::Token(t) => match t.known() {
                    Some(t) => echo.with_secret(t.expose_secret()),
                    None => echo,
                },
                Held::OAuth2(client) => echo.with_secret(client.client_secret().expose_secret()),
            };
        }
        echo
    }

    /// Applies every scheme of one alternative.
    async fn apply(
        &self,
        alternative: &[&'static str],
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<Applied, BuildError> {
        let mut applied = self.known_echo();
        for &name in alternative {
            let Some(scheme) = self.schemes.iter().find(|s| s.name == name) else {
                continue; // `held` found it, so the table has it
            };
            match self.held(name) {
                Some(HeldRef::ClientBasic) => {
                    self.apply_basic(&self.basic, name, &mut applied).await?
                }
                Some(HeldRef::Own(Held::Basic(source))) => {
                    self.apply_basic(source, name, &mut applied).await?
                }
                Some(HeldRef::Own(Held::Token(source))) => {
                    let token = source.resolve(name).await?;
                    applied.echo =
                        std::mem::take(&mut applied.echo).with_secret(token.expose_secret());
                    apply_token(scheme.kind, name, token, &mut applied)?;
                }
                Some(HeldRef::Own(Held::OAuth2(client))) => {
                    let token = client.token(http, timeout).await?;
                    applied.echo = std::mem::take(&mut applied.echo)
                        .with_secret(token.expose_secret())
                        .with_secret(client.client_secret().expose_secret());
                    let value = sensitive_header(
                        &format!("Bearer {}", token.expose_secret()),
                        "authorization",
                    )?;
                    applied.headers.push((AUTHORIZATION, value));
                    applied.oauth.push((Arc::clone(client), token));
                }
                None => {}
            }
        }
        Ok(applied)
    }

    async fn apply_basic(
        &self,
        source: &CredentialSource,
        name: &'static str,
        applied: &mut Applied,
    ) -> Result<(), BuildError> {
        let credentials: Credentials = source.resolve(name).await?;
        let value = source.authorization_for(&credentials)?;
        applied.echo = std::mem::take(&mut applied.echo)
            .with_basic(credentials.key(), credentials.secret().expose_secret());
        applied.headers.push((AUTHORIZATION, value));
        Ok(())
    }
}

/// A scheme's credentials as [`Security::held`] finds them.
enum HeldRef<'a> {
    Own(&'a Held),
    ClientBasic,
}

/// A bearer token or an API key, where its scheme says.
fn apply_token(
    kind: SchemeKind,
    scheme: &'static str,
    token: SecretString,
    applied: &mut Applied,
) -> Result<(), BuildError> {
    match kind {
        SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name,
        } => {
            let header =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader {
                    name: name.to_owned(),
                })?;
            let value = sensitive_header(token.expose_secret(), name)?;
            applied.headers.push((header, value));
        }
        SchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            name,
        } => applied.query.push((name, token)),
        SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name,
        } => {
            let cookie = format!("{name}={}", token.expose_secret());
            applied
                .headers
                .push((COOKIE, sensitive_header(&cookie, "cookie")?));
        }
        _ => {
            let value = sensitive_header(
                &format!("Bearer {}", token.expose_secret()),
                "authorization",
            )
            .map_err(|_| BuildError::InvalidHeader {
                name: format!("authorization ({scheme})"),
            })?;
            applied.headers.push((AUTHORIZATION, value));
        }
    }
    Ok(())
}

/// `` `a`, or `b` and `c` ``: the alternatives of an operation, for an error message.
fn describe_alternatives(alternatives: &[&[&str]]) -> String {
    alternatives
        .iter()
        .filter(|alt| !alt.is_empty())
        .map(|alt| {
            alt.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect::<Vec<_>>()
        .join(", or ")
}

/// The absolute token URL: as given, or relative to the server. A plain `http://` URL to
/// another machine would send the client secret in cleartext and is refused unless allowed.
fn token_url_of(
    token_url: &str,
    base_url: &str,
    allow_insecure_http: bool,
) -> Result<reqwest::Url, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidTokenUrl {
        reason: reason.to_owned(),
    };
    let url = if token_url.contains("://") {
        reqwest::Url::parse(token_url).map_err(|e| invalid(&e.to_string()))?
    } else {
        let base =
            reqwest::Url::parse(&format!("{base_url}/")).map_err(|e| invalid(&e.to_string()))?;
        base.join(token_url.trim_start_matches('/'))
            .map_err(|e| invalid(&e.to_string()))?
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if crate::config_checks::is_insecure_remote(&url) && !allow_insecure_http {
        return Err(ConfigError::InsecureHttp {
            host: url.host_str().unwrap_or_default().to_owned(),
        });
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternatives_in_words() {
        assert_eq!(
            describe_alternatives(&[&["bearer"], &["key", "app"], &[]]),
            "`bearer`, or `key` and `app`"
        );
        assert_eq!(describe_alternatives(&[]), "");
    }

    #[test]
    fn token_urls() {
        let base = "https://api.example/v1";
        assert_eq!(
            token_url_of("/oauth/token", base, false).unwrap().as_str(),
            "https://api.example/v1/oauth/token"
        );
        assert_eq!(
            token_url_of("https://auth.example/t", base, false)
                .unwrap()
                .as_str(),
            "https://auth.example/t"
        );
        assert!(matches!(
            token_url_of("http://auth.example/t", base, false),
            Err(ConfigError::InsecureHttp { .. })
        ));
        assert!(token_url_of("http://auth.example/t", base, true).is_ok());
        assert!(token_url_of("http://127.0.0.1:9/t", base, false).is_ok());
        assert!(matches!(
            token_url_of("ftp://auth.example/t", base, false),
            Err(ConfigError::InvalidTokenUrl { .. })
        ));
        assert!(matches!(
            token_url_of("https://", base, false),
            Err(ConfigError::InvalidTokenUrl { .. })
        ));
    }
}
