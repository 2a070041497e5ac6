//! [`ConfigError`]: what `ClientBuilder::build` reports. Apart from the builder so the
//! modules that check parts of the configuration (the security schemes) report through it
//! without depending on the builder.

use crate::error::BoxError;

/// What is wrong with an account URL. The URL itself is never repeated: it holds the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccountUrlProblem {
    /// The value has no `scheme://` part.
    #[error("it has no scheme")]
    MissingScheme,
    /// The scheme is not `account://`.
    #[error("the scheme is not account://")]
    WrongScheme,
    /// There is no `KEY:SECRET@` part, or the key is empty.
    #[error("the API key is missing")]
    MissingKey,
    /// The userinfo has no `:SECRET`, or the secret is empty.
    #[error("the API secret is missing")]
    MissingSecret,
    /// Nothing follows the `@`.
    #[error("the account id is missing")]
    MissingAccountId,
    /// Something other than a query follows the account id (a path, a port...).
    #[error("unexpected text after the account id")]
    TrailingText,
    /// The percent-decoded key or secret is not UTF-8.
    #[error("the key or secret is not valid percent-encoded UTF-8")]
    InvalidEncoding,
    /// The key, secret or account id holds a control or invisible character (NUL, a newline,
    /// a zero-width space...), usually pasted by mistake.
    #[error("the key, secret or account id contains a control or invisible character")]
    HiddenCharacter,
}

/// A configuration problem found by [`ClientBuilder::build`](crate::ClientBuilder::build).
/// Messages name the setting or the environment variable and never contain a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// An account URL (normally `CLOUDINARY_ACCOUNT_URL`) is malformed.
    #[error(
        "{variable} is not a valid account URL ({problem}); expected account://KEY:SECRET@ACCOUNT_ID"
    )]
    InvalidAccountUrl {
        /// The environment variable that held it.
        variable: &'static str,
        /// What is wrong.
        problem: AccountUrlProblem,
    },
    /// Two server settings were given (`region`, `host`, `base_url`); they would contradict.
    #[error(
        "`{first}` and `{second}` are both set; they select the server differently, set only one"
    )]
    ConflictingServers {
        /// One setting.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// `base_url` is not an absolute http(s) URL without credentials, query or fragment.
    #[error("invalid base_url: {reason}")]
    InvalidBaseUrl {
        /// Why.
        reason: String,
    },
    /// `host` is not a bare host name (with an optional port). The value is not repeated: a
    /// mistaken `key:secret@host` would otherwise end up in logs.
    #[error("invalid host: {reason}")]
    InvalidHost {
        /// Why.
        reason: &'static str,
    },
    /// A [`Region::Other`](crate::Region::Other) name is not a valid host label.
    #[error("invalid region {region:?}: expected letters, digits and '-' (for example api-eu)")]
    InvalidRegion {
        /// The value given.
        region: String,
    },
    /// The user agent suffix is not a valid header value (control characters, non-ASCII).
    #[error("invalid user_agent_suffix: it must be visible ASCII")]
    InvalidUserAgentSuffix,
    /// The server is plain `http://` to a host other than this machine, so credentials would
    /// travel in cleartext. Use https, a loopback host, or
    /// [`ClientBuilder::allow_insecure_http`](crate::ClientBuilder::allow_insecure_http).
    #[error(
        "base_url is plain http:// to {host}, which would send the credentials in cleartext; use https, a loopback host, or allow_insecure_http(true)"
    )]
    InsecureHttp {
        /// The host (never the credentials).
        host: String,
    },
    /// A value holds a control or invisible character (NUL, a newline, a zero-width space...).
    /// The value is not repeated.
    #[error("`{field}` contains a control or invisible character")]
    HiddenCharacter {
        /// The setting or environment variable.
        field: &'static str,
    },
    /// An explicitly given value is empty.
    #[error("`{field}` is empty")]
    EmptyValue {
        /// The builder setting.
        field: &'static str,
    },
    /// Credentials were set for a security scheme the API does not declare.
    #[error("no security scheme is named {scheme:?}")]
    UnknownSecurityScheme {
        /// The name given.
        scheme: String,
    },
    /// Credentials of the wrong kind were set for a security scheme.
    #[error("security scheme `{scheme}` needs {expected}, but {given} was set")]
    WrongSchemeCredentials {
        /// The scheme.
        scheme: &'static str,
        /// What it needs.
        expected: &'static str,
        /// What was set.
        given: &'static str,
    },
    /// An OAuth2 token URL is not an absolute or server-relative http(s) URL.
    #[error("invalid OAuth2 token URL: {reason}")]
    InvalidTokenUrl {
        /// Why.
        reason: String,
    },
    /// The default HTTP client could not be created (for example, TLS initialisation failed).
    #[error("could not create the HTTP client")]
    HttpClient {
        /// The cause.
        #[source]
        source: BoxError,
    },
}
