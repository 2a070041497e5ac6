//! Credentials and where they come from: HTTP Basic [`Credentials`] (Cloudinary's API key and
//! secret), bearer tokens and API keys (a [`SecretString`]), and the providers that supply
//! them on every attempt.
//!
//! A provider is asynchronous and fallible ([`ProvideCredentials`], [`ProvideToken`]): a vault
//! or a metadata service is awaited, and a failure says why in a [`CredentialsError`], which a
//! call reports as [`BuildError::CredentialsUnavailable`] before anything is sent. The static
//! case stays a one-liner (`ClientBuilder::credentials(key, secret)`), and the synchronous
//! [`CredentialsProvider`] of earlier releases still works: every implementation of it is a
//! [`ProvideCredentials`].
//!
//! This module depends on nothing of the client engine, so the configuration, the transport
//! and the security schemes all use it without a cycle.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use base64::Engine as _;
use http::HeaderValue;

use crate::config_checks::has_hidden_char;
use crate::error::{BoxError, BuildError};
use crate::secret::SecretString;

/// A provisioning API key and secret: the user name and password of HTTP Basic.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    key: String,
    secret: SecretString,
}

impl Credentials {
    /// Key and secret.
    pub fn new(key: impl Into<String>, secret: impl Into<SecretString>) -> Self {
        Self {
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// The API key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The API secret.
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// `Basic base64(key:secret)`: UTF-8, standard base64 with padding, no escaping, exactly as
    /// the official SDKs build it. Marked sensitive so HTTP-level debugging tools hide it.
    /// A key or secret with a control or invisible character is refused, not sent.
    pub(crate) fn authorization(&self) -> Result<HeaderValue, BuildError> {
        if has_hidden_char(&self.key) || has_hidden_char(self.secret.expose_secret()) {
            return Err(BuildError::InvalidHeader {
                name: "authorization".to_owned(),
            });
        }
        let raw = format!("{}:{}", self.key, self.secret.expose_secret());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        sensitive_header(&format!("Basic {encoded}"), "authorization")
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key)
            .field("secret", &self.secret)
            .finish()
    }
}

/// A header value marked sensitive (hidden by `http`-level debugging tools and by this crate's
/// logs); an invalid one is an error naming the header, never repeating the value.
pub(crate) fn sensitive_header(value: &str, name: &str) -> Result<HeaderValue, BuildError> {
    let invalid = || BuildError::InvalidHeader {
        name: name.to_owned(),
    };
    if has_hidden_char(value) {
        return Err(invalid());
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| invalid())?;
    value.set_sensitive(true);
    Ok(value)
}

/// Why credentials could not be had. The message comes from the provider or from the token
/// endpoint exchange; the runtime's own messages never contain a secret, and a provider's
/// should not either.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CredentialsError {
    message: String,
    #[source]
    source: Option<BoxError>,
    /// A [`CredentialsProvider`] returned `None`: reported as missing credentials, as before.
    none_from_sync_provider: bool,
}

impl CredentialsError {
    /// A failure described in words (`"vault answered 503"`).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
            none_from_sync_provider: false,
        }
    }

    /// A failure with its cause (reachable through [`std::error::Error::source`]).
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
            none_from_sync_provider: false,
        }
    }

    /// The message alone, without the source.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// The future a [`ProvideToken`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<SecretString, CredentialsError>> + Send + 'a>>;

/// An asynchronous, fallible source of HTTP Basic credentials, asked on every attempt
/// (including retries), so rotated credentials take effect without rebuilding the client.
///
/// Implement it for a vault client, or wrap an `async` closure with
/// [`provide_credentials_fn`]. Every [`CredentialsProvider`] is one too.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The current credentials, or why there are none.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

/// The synchronous credentials source of earlier releases, kept so existing implementations
/// keep working; it cannot say why it failed. New code implements [`ProvideCredentials`].
pub trait CredentialsProvider: Send + Sync + fmt::Debug {
    /// The current credentials, or `None` when there are none (operations that require them
    /// then fail with [`BuildError::MissingCredentials`] before sending).
    fn credentials(&self) -> Option<Credentials>;
}

impl CredentialsProvider for Credentials {
    fn credentials(&self) -> Option<Credentials> {
        Some(self.clone())
    }
}

impl<T: CredentialsProvider> ProvideCredentials for T {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.credentials().ok_or_else(|| CredentialsError {
            none_from_sync_provider: true,
            ..CredentialsError::new("the credentials provider returned none")
        });
        Box::pin(std::future::ready(result))
    }
}

/// An asynchronous, fallible source of a bearer token or an API key value, asked on every
/// attempt. Wrap an `async` closure with [`provide_token_fn`].
pub trait ProvideToken: Send + Sync + fmt::Debug {
    /// The current token, or why there is none.
    fn provide_token(&self) -> TokenFuture<'_>;
}

/// A [`ProvideCredentials`] or [`ProvideToken`] made of a closure returning a future; see
/// [`provide_credentials_fn`] and [`provide_token_fn`].
#[derive(Clone)]
pub struct ProvideFn<F>(F);

impl<F> fmt::Debug for ProvideFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProvideFn")
    }
}

/// Credentials from an `async` closure, called on every attempt:
///
/// ```
/// use cld_provisioning_runtime::{Credentials, CredentialsError, provide_credentials_fn};
///
/// let provider = provide_credentials_fn(|| async {
///     // Await a vault here; say why when it fails.
///     Ok::<_, CredentialsError>(Credentials::new("key", "secret"))
/// });
/// # let _ = provider;
/// ```
pub fn provide_credentials_fn<F, Fut>(f: F) -> ProvideFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Credentials, CredentialsError>> + Send + 'static,
{
    ProvideFn(f)
}

/// A bearer token or API key from an `async` closure, called on every attempt.
pub fn provide_token_fn<F, Fut>(f: F) -> ProvideFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<SecretString, CredentialsError>> + Send + 'static,
{
    ProvideFn(f)
}

impl<F, Fut> ProvideCredentials for ProvideFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Credentials, CredentialsError>> + Send + 'static,
{
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin((self.0)())
    }
}

impl<F, Fut> ProvideToken for ProvideFn<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<SecretString, CredentialsError>> + Send + 'static,
{
    fn provide_token(&self) -> TokenFuture<'_> {
        Box::pin((self.0)())
    }
}

/// Where a built client takes its Basic credentials from.
#[derive(Clone, Debug)]
pub(crate) enum CredentialSource {
    Provider(Arc<dyn ProvideCredentials>),
    /// Set once (`ClientBuilder::credentials`, the environment): the `Authorization` value is
    /// encoded when the client is built, not on every attempt. (Base64 output always forms a
    /// header; were it ever `None`, each attempt would encode again and report the error.)
    Fixed {
        credentials: Credentials,
        authorization: Option<HeaderValue>,
    },
    /// From the environment; one half may be missing, which is only an error for operations
    /// that need credentials.
    Partial {
        key: Option<String>,
        secret: Option<SecretString>,
    },
}

impl CredentialSource {
    pub(crate) fn fixed(credentials: Credentials) -> Self {
        let authorization = credentials.authorization().ok();
        CredentialSource::Fixed {
            credentials,
            authorization,
        }
    }

    /// `true` unless nothing at all is configured (a provider counts, even one that may fail).
    pub(crate) fn is_configured(&self) -> bool {
        !matches!(
            self,
            CredentialSource::Partial {
                key: None,
                secret: None
            }
        )
    }

    /// `true` when the credentials are complete or come from a provider.
    pub(crate) fn is_available(&self) -> bool {
        matches!(self, CredentialSource::Provider(_)) || self.is_known()
    }

    /// Whether [`known`](Self::known) has credentials, without copying them.
    pub(crate) fn is_known(&self) -> bool {
        matches!(
            self,
            CredentialSource::Fixed { .. }
                | CredentialSource::Partial {
                    key: Some(_),
                    secret: Some(_)
                }
        )
    }

    /// The `Authorization` value of fixed credentials, encoded when the client was built.
    pub(crate) fn fixed_authorization(&self) -> Option<&HeaderValue> {
        match self {
            CredentialSource::Fixed {
                authorization: Some(value),
                ..
            } => Some(value),
            _ => None,
        }
    }

    /// The credentials known without asking a provider: fixed ones, or both halves from the
    /// environment.
    pub(crate) fn known(&self) -> Option<Credentials> {
        match self {
            CredentialSource::Fixed { credentials, .. } => Some(credentials.clone()),
            CredentialSource::Partial {
                key: Some(k),
                secret: Some(s),
            } => Some(Credentials::new(k.clone(), s.clone())),
            _ => None,
        }
    }

    /// The credentials for this attempt, or what is missing, or why the provider failed.
    pub(crate) async fn resolve(&self, scheme: &'static str) -> Result<Credentials, BuildError> {
        match self {
            CredentialSource::Fixed { credentials, .. } => Ok(credentials.clone()),
            CredentialSource::Provider(p) => match p.provide_credentials().await {
                Ok(c) => Ok(c),
                // The old synchronous contract: `None` is "missing", as it always was.
                Err(e) if e.none_from_sync_provider => Err(BuildError::MissingCredentials {
                    missing: "key and secret",
                }),
                Err(source) => Err(BuildError::CredentialsUnavailable { scheme, source }),
            },
            CredentialSource::Partial { key, secret } => match (key, secret) {
                (Some(k), Some(s)) => Ok(Credentials::new(k.clone(), s.clone())),
                (None, None) => Err(BuildError::MissingCredentials {
                    missing: "key and secret",
                }),
                (None, Some(_)) => Err(BuildError::MissingCredentials { missing: "key" }),
                (Some(_), None) => Err(BuildError::MissingCredentials { missing: "secret" }),
            },
        }
    }

    /// The `Authorization` value for credentials resolved for one attempt: for fixed
    /// credentials the value encoded when the client was built, otherwise encoded now (a
    /// provider is asked once per attempt, never twice).
    pub(crate) fn authorization_for(
        &self,
        credentials: &Credentials,
    ) -> Result<HeaderValue, BuildError> {
        match self.fixed_authorization() {
            Some(value) => Ok(value.clone()),
            None => credentials.authorization(),
        }
    }
}

/// Where a bearer token or API key comes from.
#[derive(Clone, Debug)]
pub(crate) enum TokenSource {
    Fixed(SecretString),
    Provider(Arc<dyn ProvideToken>),
}

impl TokenSource {
    /// The token for this attempt.
    pub(crate) async fn resolve(&self, scheme: &'static str) -> Result<SecretString, BuildError> {
        match self {
            TokenSource::Fixed(t) => Ok(t.clone()),
            TokenSource::Provider(p) => p
                .provide_token()
                .await
                .map_err(|source| BuildError::CredentialsUnavailable { scheme, source }),
        }
    }

    /// The token known without asking a provider.
    pub(crate) fn known(&self) -> Option<&SecretString> {
        match self {
            TokenSource::Fixed(t) => Some(t),
            TokenSource::Provider(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "S3CR3T-value";

    #[test]
    fn basic_auth_value() {
        let v = Credentials::new("k", "s").authorization().unwrap();
        assert_eq!(v, "Basic azpz");
        assert!(v.is_sensitive());
        assert_eq!(
            Credentials::new("key@x", "se:cr").authorization().unwrap(),
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode("key@x:se:cr")
            )
        );
        assert!(Credentials::new("k\u{200B}", "s").authorization().is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        assert!(!format!("{:?}", Credentials::new("k", SECRET)).contains(SECRET));
        let fixed = CredentialSource::fixed(Credentials::new("k", SECRET));
        assert!(!format!("{fixed:?}").contains(SECRET));
        let token = TokenSource::Fixed(SECRET.into());
        assert!(!format!("{token:?}").contains(SECRET));
    }

    #[tokio::test]
    async fn a_sync_provider_is_an_async_one_and_none_stays_missing() {
        #[derive(Debug)]
        struct Nothing;
        impl CredentialsProvider for Nothing {
            fn credentials(&self) -> Option<Credentials> {
                None
            }
        }
        let source = CredentialSource::Provider(Arc::new(Nothing));
        assert!(source.is_configured());
        assert!(matches!(
            source.resolve("basic").await,
            Err(BuildError::MissingCredentials {
                missing: "key and secret"
            })
        ));
        let source = CredentialSource::Provider(Arc::new(Credentials::new("k", "s")));
        assert_eq!(source.resolve("basic").await.unwrap().key(), "k");
    }

    #[tokio::test]
    async fn an_async_provider_failure_says_why_without_the_secret() {
        let provider = provide_credentials_fn(|| async {
            Err(CredentialsError::with_source(
                "vault answered 503",
                std::io::Error::other("down"),
            ))
        });
        let source = CredentialSource::Provider(Arc::new(provider));
        let err = source.resolve("basicAuth").await.unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("basicAuth"), "{shown}");
        assert!(shown.contains("vault answered 503"), "{shown}");
        let BuildError::CredentialsUnavailable { source, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(source.message(), "vault answered 503");
        assert!(std::error::Error::source(&source).is_some());
    }

    #[tokio::test]
    async fn partial_sources_name_what_is_missing() {
        let cases = [
            (None, None, "key and secret"),
            (Some("k"), None, "secret"),
            (None, Some("s"), "key"),
        ];
        for (key, secret, want) in cases {
            let source = CredentialSource::Partial {
                key: key.map(str::to_owned),
                secret: secret.map(SecretString::from),
            };
            assert_eq!(source.is_configured(), key.is_some() || secret.is_some());
            assert!(source.known().is_none());
            assert!(!source.is_known());
            match source.resolve("basic").await {
                Err(BuildError::MissingCredentials { missing }) => assert_eq!(missing, want),
                other => panic!("{other:?}"),
            }
        }
        let both = CredentialSource::Partial {
            key: Some("k".into()),
            secret: Some("s".into()),
        };
        assert_eq!(both.known().unwrap().key(), "k");
        assert!(both.is_known());
        assert_eq!(both.resolve("basic").await.unwrap().key(), "k");
    }

    /// Only fixed credentials have a value encoded in advance (the send loop's fast path);
    /// the environment's halves and a provider are encoded per attempt.
    #[test]
    fn only_fixed_credentials_have_a_prepared_authorization() {
        let fixed = CredentialSource::fixed(Credentials::new("k", "s"));
        let value = fixed.fixed_authorization().expect("prepared");
        assert_eq!(value, "Basic azpz");
        assert!(value.is_sensitive());
        assert!(fixed.is_known());
        let both = CredentialSource::Partial {
            key: Some("k".into()),
            secret: Some("s".into()),
        };
        assert!(both.fixed_authorization().is_none());
        let provider = CredentialSource::Provider(Arc::new(provide_credentials_fn(|| async {
            Ok(Credentials::new("k", "s"))
        })));
        assert!(provider.fixed_authorization().is_none());
        assert!(!provider.is_known());
    }

    #[tokio::test]
    async fn token_sources() {
        let fixed = TokenSource::Fixed("t0ken".into());
        assert_eq!(fixed.known().unwrap().expose_secret(), "t0ken");
        assert_eq!(fixed.resolve("b").await.unwrap().expose_secret(), "t0ken");
        let failing = TokenSource::Provider(Arc::new(provide_token_fn(|| async {
            Err(CredentialsError::new("metadata service unreachable"))
        })));
        assert!(failing.known().is_none());
        let err = failing.resolve("bearerAuth").await.unwrap_err();
        assert!(err.to_string().contains("bearerAuth"), "{err}");
    }
}
