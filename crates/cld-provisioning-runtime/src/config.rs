//! Client configuration: [`ClientBuilder`], environment variables, servers and regions. The
//! credentials themselves live in [`credentials`](crate::credentials),
//! [`security`](crate::security) and [`oauth2`](crate::oauth2); the SDK's identity (versions,
//! `User-Agent`) in `identity`; what a built client is, in the engine (`Core`).
//!
//! Who depends on whom (no cycle): this module uses `identity` and the engine (it builds the
//! engine's state); the engine uses `identity`; the send loop (`transport`) uses the engine's
//! state and neither of the others.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::percent_decode_str;

use crate::config_checks::{has_hidden_char, is_insecure_remote};
pub use crate::config_error::{AccountUrlProblem, ConfigError};
use crate::credentials::{
    CredentialSource, Credentials, ProvideCredentials, ProvideToken, TokenSource,
};
use crate::engine::{Core, Inner};
use crate::identity::{SdkInfo, user_agent_header};
use crate::intercept::{Intercept, Interceptors};
use crate::oauth2::ClientCredentials;
use crate::redact::RedactedHeaders;
use crate::retry::RetryConfig;
use crate::retry_quota::RetryQuota;
use crate::secret::SecretString;
use crate::security::{SchemeCredentials, Security, SecurityScheme};
use crate::sleep::{Sleep, TokioSleep};
use crate::stall::StalledStreamProtection;

/// `account://KEY:SECRET@ACCOUNT_ID`.
pub const ENV_ACCOUNT_URL: &str = "CLOUDINARY_ACCOUNT_URL";
/// The provisioning API key; beats the key in [`ENV_ACCOUNT_URL`].
pub const ENV_API_KEY: &str = "CLOUDINARY_PROVISIONING_API_KEY";
/// The provisioning API secret; beats the secret in [`ENV_ACCOUNT_URL`].
pub const ENV_API_SECRET: &str = "CLOUDINARY_PROVISIONING_API_SECRET";
/// The account id; beats the account id in [`ENV_ACCOUNT_URL`].
pub const ENV_ACCOUNT_ID: &str = "CLOUDINARY_ACCOUNT_ID";

/// The environment variable that asks the examples and binaries of this project for readable
/// request/response logging (see [`debug_logging_requested`]). The library itself only emits
/// `tracing` events and never installs a subscriber.
pub const ENV_DEBUG: &str = "CLOUDINARY_DEBUG";

/// `true` when a [`ENV_DEBUG`] value asks for logging: `1`, `true`, `yes` or `on` (any case,
/// surrounding spaces ignored); anything else, or no value, is `false`.
pub fn debug_logging_requested(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        ["1", "true", "yes", "on"]
            .iter()
            .any(|on| v.eq_ignore_ascii_case(on))
    })
}

/// The default total time limit of one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default time limit for opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Redirects followed at most (reqwest drops `Authorization` when one leaves the origin).
pub const MAX_REDIRECTS: usize = 5;

/// A Cloudinary API region: the server `https://{region}.cloudinary.com`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// `api` (global, the default).
    #[default]
    Api,
    /// `api-eu`.
    ApiEu,
    /// `api-ap`.
    ApiAp,
    /// Another region name (`api-xx`), for regions newer than this SDK.
    Other(String),
}

impl Region {
    /// The region name as used in the host (`api-eu`).
    pub fn as_str(&self) -> &str {
        match self {
            Region::Api => "api",
            Region::ApiEu => "api-eu",
            Region::ApiAp => "api-ap",
            Region::Other(s) => s,
        }
    }

    /// The host name (`api-eu.cloudinary.com`).
    pub fn host(&self) -> String {
        format!("{}.cloudinary.com", self.as_str())
    }
}

impl FromStr for Region {
    type Err = std::convert::Infallible;

    /// Known names map to their variants; anything else becomes [`Region::Other`] (validated
    /// when the client is built).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "api" => Region::Api,
            "api-eu" => Region::ApiEu,
            "api-ap" => Region::ApiAp,
            other => Region::Other(other.to_owned()),
        })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed `account://KEY:SECRET@ACCOUNT_ID`.
#[derive(Clone, PartialEq, Eq)]
struct AccountUrl {
    key: String,
    secret: SecretString,
    account_id: String,
    has_query: bool,
    has_fragment: bool,
}

impl fmt::Debug for AccountUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountUrl")
            .field("key", &self.key)
            .field("secret", &self.secret)
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// Parses `account://KEY:SECRET@ACCOUNT_ID[?query]`: the userinfo is split at the first colon
/// (a secret may contain `:`), both halves are percent-decoded, the account id is kept exactly
/// as written (no case folding), and query parameters are ignored.
fn parse_account_url(value: &str) -> Result<AccountUrl, AccountUrlProblem> {
    let value = value.trim();
    let (scheme, rest) = value
        .split_once("://")
        .ok_or(AccountUrlProblem::MissingScheme)?;
    if !scheme.eq_ignore_ascii_case("account") {
        return Err(AccountUrlProblem::WrongScheme);
    }
    let (rest, has_query) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], rest[i..].starts_with('?') && rest.len() > i + 1),
        None => (rest, false),
    };
    let has_fragment = value.contains('#');
    // The last '@' ends the userinfo, so an unescaped '@' inside the secret still works.
    let (userinfo, account_id) = rest.rsplit_once('@').ok_or(AccountUrlProblem::MissingKey)?;
    let account_id = account_id.strip_suffix('/').unwrap_or(account_id);
    if account_id.is_empty() {
        return Err(AccountUrlProblem::MissingAccountId);
    }
    if account_id.contains(['/', ':', '@']) || account_id.chars().any(char::is_whitespace) {
        return Err(AccountUrlProblem::TrailingText);
    }
    let (key, secret) = userinfo
        .split_once(':')
        .ok_or(AccountUrlProblem::MissingSecret)?;
    let decode = |s: &str| {
        percent_decode_str(s)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| AccountUrlProblem::InvalidEncoding)
    };
    let (key, secret) = (decode(key)?, decode(secret)?);
    if key.is_empty() {
        return Err(AccountUrlProblem::MissingKey);
    }
    if secret.is_empty() {
        return Err(AccountUrlProblem::MissingSecret);
    }
    if [key.as_str(), secret.as_str(), account_id]
        .iter()
        .any(|v| has_hidden_char(v))
    {
        return Err(AccountUrlProblem::HiddenCharacter);
    }
    Ok(AccountUrl {
        key,
        secret: SecretString::new(secret),
        account_id: account_id.to_owned(),
        has_query,
        has_fragment,
    })
}

/// Values read from the environment by [`ClientBuilder::from_env_with`].
#[derive(Clone, Debug, Default)]
struct EnvValues {
    key: Option<String>,
    secret: Option<SecretString>,
    account_id: Option<String>,
    url: Option<Result<AccountUrl, AccountUrlProblem>>,
}

/// Builds a client of type `C` (the generated `Client`, whose `builder()` makes one).
///
/// Defaults: no credentials, server `https://api.cloudinary.com`, 60 s timeout per attempt,
/// 10 s connect timeout, [`RetryConfig::standard`].
///
/// Precedence, per field: a value set on the builder, then the individual environment variables
/// ([`ENV_API_KEY`], [`ENV_API_SECRET`], [`ENV_ACCOUNT_ID`]), then [`ENV_ACCOUNT_URL`]. The order
/// in which `from_env` and the setters are called does not matter.
///
/// Missing credentials or account id are not build errors: the public endpoints and agent
/// account creation need neither. Operations that need them fail before sending, with
/// [`BuildError::MissingCredentials`](crate::BuildError::MissingCredentials) /
/// [`BuildError::MissingAccountId`](crate::BuildError::MissingAccountId).
pub struct ClientBuilder<C> {
    info: SdkInfo,
    credentials: Option<CredentialSource>,
    security_schemes: Option<&'static [SecurityScheme]>,
    scheme_credentials: Vec<(&'static str, SchemeCredentials)>,
    account_id: Option<String>,
    env: Option<EnvValues>,
    region: Option<Region>,
    host: Option<String>,
    base_url: Option<String>,
    timeout: Duration,
    operation_timeout: Option<Duration>,
    allow_insecure_http: bool,
    quota: RetryQuota,
    interceptors: Interceptors,
    stall: StalledStreamProtection,
    connect_timeout: Duration,
    default_headers: HeaderMap,
    user_agent_suffix: Option<String>,
    http_client: Option<reqwest::Client>,
    retry: RetryConfig,
    sleep: Arc<dyn Sleep>,
    // `fn() -> C` keeps the builder Send + Sync whatever `C` is.
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("info", &self.info)
            .field("credentials", &self.credentials)
            .field("security_schemes", &self.security_schemes)
            .field("scheme_credentials", &self.scheme_credentials)
            .field("account_id", &self.account_id)
            .field("env", &self.env)
            .field("region", &self.region)
            .field("host", &self.host)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("stalled_stream_protection", &self.stall)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("retry_quota", &self.quota)
            .field("interceptors", &self.interceptors.0.len())
            .field("connect_timeout", &self.connect_timeout)
            .field("default_headers", &RedactedHeaders(&self.default_headers))
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("custom_http_client", &self.http_client.is_some())
            .field("retry", &self.retry)
            .finish()
    }
}

impl<C: From<Core>> ClientBuilder<C> {
    /// A builder with defaults: no credentials, server `https://api.cloudinary.com`, 60 s
    /// timeout, 10 s connect timeout, [`RetryConfig::standard`]. Generated code calls it with
    /// its own [`SdkInfo`] (users call the generated `Client::builder()`).
    #[doc(hidden)]
    pub fn new(info: SdkInfo) -> Self {
        Self {
            info,
            credentials: None,
            security_schemes: None,
            scheme_credentials: Vec::new(),
            account_id: None,
            env: None,
            region: None,
            host: None,
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            operation_timeout: None,
            stall: StalledStreamProtection::default(),
            allow_insecure_http: false,
            quota: RetryQuota::standard(),
            interceptors: Interceptors::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            default_headers: HeaderMap::new(),
            user_agent_suffix: None,
            http_client: None,
            retry: RetryConfig::standard(),
            sleep: Arc::new(TokioSleep),
            client: PhantomData,
        }
    }

    /// Sets the provisioning API key and secret (beats the environment).
    pub fn credentials(mut self, key: impl Into<String>, secret: impl Into<SecretString>) -> Self {
        self.credentials = Some(CredentialSource::fixed(Credentials::new(key, secret)));
        self
    }

    /// Sets a provider asked for credentials on every attempt (beats the environment and
    /// replaces [`ClientBuilder::credentials`]). It may be asynchronous and fallible
    /// ([`ProvideCredentials`], [`provide_credentials_fn`](crate::provide_credentials_fn));
    /// a synchronous [`CredentialsProvider`](crate::CredentialsProvider) works as before. When
    /// it fails, the call fails before sending with
    /// [`BuildError::CredentialsUnavailable`](crate::BuildError::CredentialsUnavailable).
    pub fn credentials_provider(mut self, p: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(CredentialSource::Provider(Arc::new(p)));
        self
    }

    /// Declares the API's security schemes (the generated crate does this). Without it, the
    /// client knows one scheme, HTTP Basic with [`ClientBuilder::credentials`].
    pub fn security_schemes(mut self, schemes: &'static [SecurityScheme]) -> Self {
        self.security_schemes = Some(schemes);
        self
    }

    /// Sets the user name and password of the HTTP Basic scheme `scheme` (others use
    /// [`ClientBuilder::credentials`]).
    pub fn basic_credentials_for(
        self,
        scheme: &'static str,
        user: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        let source = CredentialSource::fixed(Credentials::new(user, password));
        self.scheme_credentials(scheme, SchemeCredentials::Basic(source))
    }

    /// Sets the bearer token or API key of the scheme `scheme`.
    pub fn token_for(self, scheme: &'static str, token: impl Into<SecretString>) -> Self {
        let source = TokenSource::Fixed(token.into());
        self.scheme_credentials(scheme, SchemeCredentials::Token(source))
    }

    /// Sets a provider asked for the bearer token or API key of `scheme` on every attempt
    /// (see [`provide_token_fn`](crate::provide_token_fn)).
    pub fn token_provider_for(
        self,
        scheme: &'static str,
        provider: impl ProvideToken + 'static,
    ) -> Self {
        let source = TokenSource::Provider(Arc::new(provider));
        self.scheme_credentials(scheme, SchemeCredentials::Token(source))
    }

    /// Sets the OAuth2 client id and secret of the client-credentials scheme `scheme`; the
    /// client fetches, caches and refreshes the access token itself.
    pub fn client_credentials_for(self, scheme: &'static str, c: ClientCredentials) -> Self {
        self.scheme_credentials(scheme, SchemeCredentials::ClientCredentials(c))
    }

    fn scheme_credentials(mut self, scheme: &'static str, c: SchemeCredentials) -> Self {
        self.scheme_credentials.retain(|(n, _)| *n != scheme);
        self.scheme_credentials.push((scheme, c));
        self
    }

    /// Sets the account id (beats the environment; a call can still override it).
    pub fn account_id(mut self, id: impl Into<String>) -> Self {
        self.account_id = Some(id.into());
        self
    }

    /// Selects the server `https://{region}.cloudinary.com`.
    pub fn region(mut self, r: Region) -> Self {
        self.region = Some(r);
        self
    }

    /// Selects the server `https://{host}` (a bare host name, optionally with a port).
    pub fn host(mut self, h: impl Into<String>) -> Self {
        self.host = Some(h.into());
        self
    }

    /// Uses this URL as the server, path prefix included (`http://127.0.0.1:1234/prefix`).
    pub fn base_url(mut self, u: impl Into<String>) -> Self {
        self.base_url = Some(u.into());
        self
    }

    /// Sets the total time limit of each attempt (default 60 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Bounds each whole call: every attempt, and every wait between attempts, must end within
    /// `d` of the start (default: no bound beyond the per-attempt timeout and the retry policy).
    /// An attempt gets at most what is left; a retry whose wait would end past the bound is not
    /// made, and the last outcome is returned at once. When the bound cuts an attempt short the
    /// error is an [`Error::Timeout`](crate::Error::Timeout) with
    /// [`TimeoutError::is_operation_timeout`](crate::TimeoutError::is_operation_timeout). A call
    /// can set its own with `with_operation_timeout`.
    pub fn operation_timeout(mut self, d: Duration) -> Self {
        self.operation_timeout = Some(d);
        self
    }

    /// Adds an interceptor that sees every attempt of every call (see [`Intercept`]); they
    /// run in the order added.
    pub fn interceptor(mut self, i: impl Intercept + 'static) -> Self {
        self.interceptors.0.push(Arc::new(i));
        self
    }

    /// Sets the client-wide retry budget (default [`RetryQuota::standard`], the AWS standard
    /// mode's token bucket; [`RetryQuota::unlimited`] turns it off). It is shared by every
    /// clone of the client, so many tasks against a failing server back off together.
    pub fn retry_quota(mut self, q: RetryQuota) -> Self {
        self.quota = q;
        self
    }

    /// Allows a plain `http://` base URL to a host other than this machine (off by default,
    /// when such a URL is a [`ConfigError::InsecureHttp`]). Credentials then travel in
    /// cleartext; `build` logs a warning. Loopback hosts (`localhost`, 127.0.0.0/8, `::1`)
    /// never need it.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sets the minimum throughput while a response body is read (default
    /// [`StalledStreamProtection::default`]: 1 byte/s over 5 s windows). A body below it fails
    /// at the end of the window as a timeout ([`TimeoutError::is_stalled`]), which is retried
    /// like any timeout.
    ///
    /// [`TimeoutError::is_stalled`]: crate::TimeoutError::is_stalled
    pub fn stalled_stream_protection(mut self, s: StalledStreamProtection) -> Self {
        self.stall = s;
        self
    }

    /// Sets the connect time limit (default 10 s); ignored with a client of your own
    /// (`http_client`, feature `reqwest-0_13`).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Adds a header to every request. `Accept`, `User-Agent`, `Content-Type` and
    /// `Authorization` stay under the SDK's control.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// Appends ` <suffix>` to the `User-Agent` (an app or platform tag).
    pub fn user_agent_suffix(mut self, s: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(s.into());
        self
    }

    /// Uses this reqwest client as is (its own timeouts, proxy, TLS and redirect policy).
    ///
    /// Behind the feature `reqwest-0_13`, named after the reqwest version whose `Client` it
    /// takes: this is the one place where reqwest's type is part of the API, so when the
    /// runtime moves to another reqwest, the feature's name changes with it and code that
    /// passes its own client fails to build instead of mixing two reqwest versions.
    #[cfg(feature = "reqwest-0_13")]
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http_client = Some(c);
        self
    }

    /// Sets the retry configuration (default [`RetryConfig::standard`]).
    pub fn retry(mut self, r: RetryConfig) -> Self {
        self.retry = r;
        self
    }

    /// Replaces how the retry loop waits (tests pass one that records and returns at once).
    pub fn sleep_impl(mut self, s: impl Sleep + 'static) -> Self {
        self.sleep = Arc::new(s);
        self
    }

    /// Reads the process environment (see [`ClientBuilder::from_env_with`]).
    pub fn from_env(self) -> Self {
        self.from_env_with(|name| std::env::var(name).ok())
    }

    /// Reads [`ENV_ACCOUNT_URL`], [`ENV_API_KEY`], [`ENV_API_SECRET`] and [`ENV_ACCOUNT_ID`]
    /// through `lookup`. Empty values count as unset. A malformed URL is reported by
    /// [`ClientBuilder::build`], unless key, secret and account id were all set on the builder.
    pub fn from_env_with(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let url = get(ENV_ACCOUNT_URL).map(|v| parse_account_url(&v));
        if let Some(Ok(u)) = &url {
            if u.has_query {
                tracing::warn!("{ENV_ACCOUNT_URL} has query parameters; they are ignored");
            }
            if u.has_fragment {
                tracing::warn!("{ENV_ACCOUNT_URL} has a #fragment; it is ignored");
            }
        }
        self.env = Some(EnvValues {
            key: get(ENV_API_KEY),
            secret: get(ENV_API_SECRET).map(SecretString::new),
            account_id: get(ENV_ACCOUNT_ID),
            url,
        });
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        self.build_core().map(C::from)
    }

    /// Like [`ClientBuilder::build`], returning the [`Core`] itself (for tests of the runtime).
    #[doc(hidden)]
    pub fn build_core(self) -> Result<Core, ConfigError> {
        self.retype().resolve()
    }

    /// The same settings for another client type: lets the validation below live on the
    /// concrete `ClientBuilder<Core>`, compiled once in this crate instead of once per
    /// client type in every crate that builds a client. Field by field because struct update
    /// syntax (`..self`) cannot change a type parameter on stable Rust.
    fn retype<D>(self) -> ClientBuilder<D> {
        ClientBuilder {
            info: self.info,
            credentials: self.credentials,
            security_schemes: self.security_schemes,
            scheme_credentials: self.scheme_credentials,
            account_id: self.account_id,
            env: self.env,
            region: self.region,
            host: self.host,
            base_url: self.base_url,
            timeout: self.timeout,
            operation_timeout: self.operation_timeout,
            allow_insecure_http: self.allow_insecure_http,
            quota: self.quota,
            interceptors: self.interceptors,
            stall: self.stall,
            connect_timeout: self.connect_timeout,
            default_headers: self.default_headers,
            user_agent_suffix: self.user_agent_suffix,
            http_client: self.http_client,
            retry: self.retry,
            sleep: self.sleep,
            client: PhantomData,
        }
    }
}

impl ClientBuilder<Core> {
    /// Validates the configuration and resolves it into the client engine.
    fn resolve(self) -> Result<Core, ConfigError> {
        if self.account_id.as_deref() == Some("") {
            return Err(ConfigError::EmptyValue {
                field: "account_id",
            });
        }
        let env = self.env.unwrap_or_default();
        let url = match env.url {
            Some(Ok(u)) => Some(u),
            Some(Err(problem)) => {
                if self.credentials.is_some() && self.account_id.is_some() {
                    tracing::warn!(
                        "ignoring {ENV_ACCOUNT_URL} ({problem}): credentials and account id are set explicitly"
                    );
                    None
                } else {
                    return Err(ConfigError::InvalidAccountUrl {
                        variable: ENV_ACCOUNT_URL,
                        problem,
                    });
                }
            }
            None => None,
        };
        for (field, value) in [
            ("account_id", self.account_id.as_deref()),
            (ENV_ACCOUNT_ID, env.account_id.as_deref()),
            (ENV_API_KEY, env.key.as_deref()),
            (
                ENV_API_SECRET,
                env.secret.as_ref().map(SecretString::expose_secret),
            ),
        ] {
            if value.is_some_and(has_hidden_char) {
                return Err(ConfigError::HiddenCharacter { field });
            }
        }
        let credentials = match self.credentials {
            Some(source) => source,
            None => {
                let key = env.key.or_else(|| url.as_ref().map(|u| u.key.clone()));
                let secret = env
                    .secret
                    .or_else(|| url.as_ref().map(|u| u.secret.clone()));
                match (key, secret) {
                    (Some(k), Some(s)) => CredentialSource::fixed(Credentials::new(k, s)),
                    (key, secret) => CredentialSource::Partial { key, secret },
                }
            }
        };
        let account_id = self
            .account_id
            .or(env.account_id)
            .or_else(|| url.map(|u| u.account_id));

        let base_url = resolve_server(self.region, self.host, self.base_url)?;
        check_cleartext(&base_url, self.allow_insecure_http)?;
        let user_agent = user_agent_header(&self.info, self.user_agent_suffix.as_deref())?;
        let http = match self.http_client {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
                .build()
                .map_err(|e| ConfigError::HttpClient {
                    source: Box::new(e),
                })?,
        };
        let security = Security::new(
            self.security_schemes,
            credentials,
            self.scheme_credentials,
            &base_url,
            self.allow_insecure_http,
        )?;
        let base = reqwest::Url::parse(&base_url).map_err(|e| ConfigError::InvalidBaseUrl {
            reason: e.to_string(),
        })?;
        Ok(Core::new(Inner {
            http,
            base_url,
            base,
            security,
            account_id,
            timeout: self.timeout,
            operation_timeout: self.operation_timeout,
            stall: self.stall,
            quota: self.quota,
            interceptors: self.interceptors,
            user_agent,
            default_headers: self.default_headers,
            retry: self.retry,
            sleep: self.sleep,
            info: self.info,
        }))
    }
}

/// Turns the server settings into a base URL without a trailing slash.
fn resolve_server(
    region: Option<Region>,
    host: Option<String>,
    base_url: Option<String>,
) -> Result<String, ConfigError> {
    match (&region, &host, &base_url) {
        (Some(_), Some(_), _) => {
            return Err(ConfigError::ConflictingServers {
                first: "region",
                second: "host",
            });
        }
        (Some(_), _, Some(_)) => {
            return Err(ConfigError::ConflictingServers {
                first: "region",
                second: "base_url",
            });
        }
        (_, Some(_), Some(_)) => {
            return Err(ConfigError::ConflictingServers {
                first: "host",
                second: "base_url",
            });
        }
        _ => {}
    }
    if let Some(u) = base_url {
        return validate_base_url(&u);
    }
    if let Some(h) = host {
        return validate_host(&h);
    }
    let region = region.unwrap_or_default();
    let name = region.as_str();
    let valid = !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !valid {
        return Err(ConfigError::InvalidRegion {
            region: name.to_owned(),
        });
    }
    Ok(format!("https://{}", region.host()))
}

fn validate_base_url(raw: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        reason: reason.to_owned(),
    };
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    // Credentials in the URL would be sent and printed; the SDK has its own.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Refuses a plain `http://` base URL to another machine unless allowed, and warns when allowed.
fn check_cleartext(base_url: &str, allowed: bool) -> Result<(), ConfigError> {
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return Ok(()); // resolve_server only returns parsed URLs
    };
    if !is_insecure_remote(&url) {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    if !allowed {
        return Err(ConfigError::InsecureHttp { host });
    }
    tracing::warn!(
        host = %host,
        "cld-provisioning: base_url is plain http:// to another machine; credentials are sent in cleartext (allow_insecure_http)"
    );
    Ok(())
}

fn validate_host(host: &str) -> Result<String, ConfigError> {
    let invalid = |reason| ConfigError::InvalidHost { reason };
    if host.contains("://") {
        return Err(invalid(
            "give a bare host name such as api.example.com; use base_url for a URL",
        ));
    }
    if host.is_empty()
        || host.contains(['/', '?', '#', '@'])
        || host.chars().any(char::is_whitespace)
    {
        return Err(invalid("expected a host name with an optional :port"));
    }
    let url = reqwest::Url::parse(&format!("https://{host}"))
        .map_err(|_| invalid("expected a host name with an optional :port"))?;
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::BuildError;
    use futures_util::FutureExt as _;
    use std::collections::HashMap;

    impl Inner {
        /// The Basic credentials now (fixed and environment sources never wait).
        fn credentials(&self) -> Result<Credentials, BuildError> {
            let basic = self.security.basic();
            basic
                .resolve("basic")
                .now_or_never()
                .unwrap_or(Err(BuildError::MissingCredentials { missing: "pending" }))
        }

        fn authorization_for(&self, c: &Credentials) -> Result<HeaderValue, BuildError> {
            self.security.basic().authorization_for(c)
        }
    }

    const INFO: SdkInfo = SdkInfo {
        sdk_version: "0.1.0+0.2.1",
        schema_version: "0.2.1",
    };
    const SECRET: &str = "S3CR3T-value";

    fn builder() -> ClientBuilder<Core> {
        ClientBuilder::new(INFO)
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn fixed_credentials_encode_the_authorization_once() {
        let auth = |core: &Core| {
            let c = core.0.credentials()?;
            core.0.authorization_for(&c)
        };
        let core = builder().credentials("k", "s").build_core().unwrap();
        let value = auth(&core).unwrap();
        // `Basic base64("k:s")`, marked sensitive, the same value on every call.
        assert_eq!(value, "Basic azpz");
        assert!(value.is_sensitive());
        assert_eq!(auth(&core).unwrap(), value);
        // The cached value is the one used, not one encoded from what is passed in.
        assert_eq!(
            core.0
                .authorization_for(&Credentials::new("other", "x"))
                .unwrap(),
            "Basic azpz"
        );
        // From the environment too.
        let core = builder()
            .from_env_with(env(&[(ENV_ACCOUNT_URL, "account://k:s@acc")]))
            .build_core()
            .unwrap();
        assert_eq!(auth(&core).unwrap(), "Basic azpz");
        // Nothing set: missing, as before.
        let core = builder().build_core().unwrap();
        assert!(matches!(
            auth(&core),
            Err(BuildError::MissingCredentials { .. })
        ));
    }

    fn creds(core: &Core) -> Option<(String, String)> {
        core.0
            .credentials()
            .ok()
            .map(|c| (c.key().to_owned(), c.secret().expose_secret().to_owned()))
    }

    #[test]
    fn debug_flag_values() {
        for on in ["1", "true", "TRUE", " yes ", "On"] {
            assert!(debug_logging_requested(Some(on)), "{on}");
        }
        for off in ["", "0", "false", "no", "off", "2", "y", "enabled", "truee"] {
            assert!(!debug_logging_requested(Some(off)), "{off}");
        }
        assert!(!debug_logging_requested(None));
    }

    #[test]
    fn plain_http_to_another_machine_needs_an_explicit_allowance() {
        let err = builder()
            .base_url("http://api.example.com")
            .credentials("k", SECRET)
            .build()
            .unwrap_err();
        assert!(matches!(&err, ConfigError::InsecureHttp { host } if host == "api.example.com"));
        assert!(err.to_string().contains("cleartext"), "{err}");
        assert!(!err.to_string().contains(SECRET));
        let core = builder()
            .base_url("http://api.example.com")
            .allow_insecure_http(true)
            .build()
            .unwrap();
        assert_eq!(core.base_url(), "http://api.example.com");
        for local in ["http://127.0.0.1:9", "http://localhost:1", "http://[::1]:2"] {
            builder().base_url(local).build().unwrap();
        }
    }

    #[test]
    fn hidden_characters_are_refused_without_repeating_the_value() {
        for url in [
            "account://k\u{200B}ey:sec@acc",
            "account://key:sec@ac\0c",
            "account://key:se%0Acret@acc",
            "account://key:sec@acc\u{FEFF}",
        ] {
            assert_eq!(
                parse_account_url(url).map(|_| ()),
                Err(AccountUrlProblem::HiddenCharacter),
                "{url:?}"
            );
        }
        let cases: [(&str, &str, &str); 3] = [
            (ENV_ACCOUNT_ID, "acc\u{200B}", ENV_ACCOUNT_ID),
            (ENV_API_KEY, "k\ney", ENV_API_KEY),
            (ENV_API_SECRET, "S3CR3T\0", ENV_API_SECRET),
        ];
        for (var, value, field) in cases {
            let err = builder()
                .from_env_with(env(&[(var, value)]))
                .build()
                .unwrap_err();
            assert!(
                matches!(err, ConfigError::HiddenCharacter { field: f } if f == field),
                "{var}: {err:?}"
            );
            assert!(!err.to_string().contains(value));
        }
        let err = builder().account_id("a\u{202E}b").build().unwrap_err();
        assert!(matches!(
            err,
            ConfigError::HiddenCharacter {
                field: "account_id"
            }
        ));
    }

    #[test]
    fn a_fragment_is_noticed() {
        let u = parse_account_url("account://key:sec@acc#frag").unwrap();
        assert_eq!(u.account_id, "acc");
        assert!(u.has_fragment && !u.has_query);
        assert!(
            !parse_account_url("account://key:sec@acc")
                .unwrap()
                .has_fragment
        );
    }

    #[test]
    fn parses_account_url() {
        let u = parse_account_url("account://key%40x:se%3Acr:et@MyAcct-ID?foo=bar").unwrap();
        assert_eq!(u.key, "key@x");
        assert_eq!(u.secret.expose_secret(), "se:cr:et");
        assert_eq!(u.account_id, "MyAcct-ID");
        assert!(u.has_query);
        let u = parse_account_url(" ACCOUNT://k:p@ss@acc/ ").unwrap();
        assert_eq!(
            (
                u.key.as_str(),
                u.secret.expose_secret(),
                u.account_id.as_str()
            ),
            ("k", "p@ss", "acc")
        );
        assert!(!u.has_query);
    }

    #[test]
    fn account_url_problems() {
        use AccountUrlProblem::*;
        let cases = [
            ("cloudinary://k:s@acc", WrongScheme),
            ("k:s@acc", MissingScheme),
            ("account://acc", MissingKey),
            ("account://:s@acc", MissingKey),
            ("account://k@acc", MissingSecret),
            ("account://k:@acc", MissingSecret),
            ("account://k:s@", MissingAccountId),
            ("account://k:s@acc/path", TrailingText),
            ("account://k:s@acc:443", TrailingText),
            ("account://k:%FF@acc", InvalidEncoding),
        ];
        for (url, want) in cases {
            assert_eq!(parse_account_url(url), Err(want), "{url}");
        }
    }

    #[test]
    fn env_url_supplies_everything() {
        let core = builder()
            .from_env_with(env(&[(ENV_ACCOUNT_URL, "account://k:s@acc")]))
            .build_core()
            .unwrap();
        assert_eq!(creds(&core), Some(("k".into(), "s".into())));
        assert_eq!(core.account_id(), Some("acc"));
        assert!(core.has_credentials());
    }

    #[test]
    fn precedence_explicit_then_individual_env_then_url() {
        let url_only = env(&[(ENV_ACCOUNT_URL, "account://uk:us@uacc")]);
        let all_env = env(&[
            (ENV_ACCOUNT_URL, "account://uk:us@uacc"),
            (ENV_API_KEY, "ek"),
            (ENV_API_SECRET, "es"),
            (ENV_ACCOUNT_ID, "eacc"),
        ]);
        let core = builder().from_env_with(&all_env).build_core().unwrap();
        assert_eq!(creds(&core), Some(("ek".into(), "es".into())));
        assert_eq!(core.account_id(), Some("eacc"));

        // Per field: only the secret comes from its own variable.
        let core = builder()
            .from_env_with(env(&[
                (ENV_ACCOUNT_URL, "account://uk:us@uacc"),
                (ENV_API_SECRET, "es"),
            ]))
            .build_core()
            .unwrap();
        assert_eq!(creds(&core), Some(("uk".into(), "es".into())));
        assert_eq!(core.account_id(), Some("uacc"));

        // Explicit values win whether set before or after from_env.
        let before = builder()
            .credentials("xk", "xs")
            .account_id("xacc")
            .from_env_with(&all_env);
        let after = builder()
            .from_env_with(&all_env)
            .credentials("xk", "xs")
            .account_id("xacc");
        for b in [before, after] {
            let core = b.build_core().unwrap();
            assert_eq!(creds(&core), Some(("xk".into(), "xs".into())));
            assert_eq!(core.account_id(), Some("xacc"));
        }

        // Explicit account id alone: credentials still come from the URL.
        let core = builder()
            .account_id("xacc")
            .from_env_with(&url_only)
            .build_core()
            .unwrap();
        assert_eq!(creds(&core), Some(("uk".into(), "us".into())));
        assert_eq!(core.account_id(), Some("xacc"));
    }

    #[test]
    fn empty_env_values_are_unset() {
        let core = builder()
            .from_env_with(env(&[
                (ENV_ACCOUNT_URL, "account://uk:us@uacc"),
                (ENV_API_KEY, ""),
                (ENV_ACCOUNT_ID, "  "),
            ]))
            .build_core()
            .unwrap();
        assert_eq!(creds(&core), Some(("uk".into(), "us".into())));
        assert_eq!(core.account_id(), Some("uacc"));
    }

    #[test]
    fn missing_credentials_and_account_id_are_not_build_errors() {
        let core = builder().from_env_with(env(&[])).build_core().unwrap();
        assert!(!core.has_credentials());
        assert_eq!(core.account_id(), None);
        assert!(matches!(
            core.0.credentials(),
            Err(BuildError::MissingCredentials {
                missing: "key and secret"
            })
        ));
        let core = builder()
            .from_env_with(env(&[(ENV_API_KEY, "k")]))
            .build_core()
            .unwrap();
        assert!(matches!(
            core.0.credentials(),
            Err(BuildError::MissingCredentials { missing: "secret" })
        ));
        let core = builder()
            .from_env_with(env(&[(ENV_API_SECRET, "s")]))
            .build_core()
            .unwrap();
        assert!(matches!(
            core.0.credentials(),
            Err(BuildError::MissingCredentials { missing: "key" })
        ));
    }

    #[test]
    fn bad_env_url_is_an_error_without_the_secret() {
        for url in [
            format!("cloudinary://key:{SECRET}@acc"),
            format!("key:{SECRET}@acc"),
            "account://key@acc".to_owned(),
            format!("account://key:{SECRET}@"),
            format!("account://key:{SECRET}@acc/x"),
            format!("account://key:{SECRET}%FF@acc"),
        ] {
            let err = builder()
                .from_env_with(env(&[(ENV_ACCOUNT_URL, &url)]))
                .build_core()
                .unwrap_err();
            assert!(
                matches!(
                    err,
                    ConfigError::InvalidAccountUrl {
                        variable: ENV_ACCOUNT_URL,
                        ..
                    }
                ),
                "{url}"
            );
            let shown = format!("{err} {err:?}");
            assert!(shown.contains(ENV_ACCOUNT_URL), "{shown}");
            assert!(!shown.contains(SECRET), "{shown}");
            assert!(!shown.contains("S3CR3T"), "{shown}");
        }
    }

    #[test]
    fn bad_env_url_is_ignored_when_everything_is_explicit() {
        let bad = env(&[(ENV_ACCOUNT_URL, "cloudinary://k:s@c")]);
        let core = builder()
            .credentials("k", "s")
            .account_id("a")
            .from_env_with(&bad)
            .build_core()
            .unwrap();
        assert_eq!(core.account_id(), Some("a"));
        // With only part of it explicit, the bad URL still matters.
        assert!(
            builder()
                .credentials("k", "s")
                .from_env_with(&bad)
                .build_core()
                .is_err()
        );
        assert!(
            builder()
                .account_id("a")
                .from_env_with(&bad)
                .build_core()
                .is_err()
        );
    }

    #[test]
    fn servers() {
        assert_eq!(
            builder().build_core().unwrap().base_url(),
            "https://api.cloudinary.com"
        );
        assert_eq!(
            builder()
                .region(Region::ApiEu)
                .build_core()
                .unwrap()
                .base_url(),
            "https://api-eu.cloudinary.com"
        );
        assert_eq!(
            builder()
                .region(Region::ApiAp)
                .build_core()
                .unwrap()
                .base_url(),
            "https://api-ap.cloudinary.com"
        );
        assert_eq!(
            builder()
                .region("api-xx".parse().unwrap())
                .build_core()
                .unwrap()
                .base_url(),
            "https://api-xx.cloudinary.com"
        );
        assert_eq!(
            builder().host("x.example").build_core().unwrap().base_url(),
            "https://x.example"
        );
        assert_eq!(
            builder()
                .host("x.example:8443")
                .build_core()
                .unwrap()
                .base_url(),
            "https://x.example:8443"
        );
        for (input, want) in [
            (
                "http://127.0.0.1:1234/prefix",
                "http://127.0.0.1:1234/prefix",
            ),
            (
                "http://127.0.0.1:1234/prefix/",
                "http://127.0.0.1:1234/prefix",
            ),
            ("http://127.0.0.1:1234", "http://127.0.0.1:1234"),
            ("https://proxy.example/a/b/", "https://proxy.example/a/b"),
        ] {
            assert_eq!(
                builder().base_url(input).build_core().unwrap().base_url(),
                want
            );
        }
    }

    #[test]
    fn server_config_errors() {
        let e = builder()
            .region(Region::ApiEu)
            .host("x.example")
            .build_core()
            .unwrap_err();
        assert!(matches!(
            e,
            ConfigError::ConflictingServers {
                first: "region",
                second: "host"
            }
        ));
        assert!(e.to_string().contains("region"));
        assert!(matches!(
            builder()
                .host("x.example")
                .base_url("http://a")
                .build_core(),
            Err(ConfigError::ConflictingServers { .. })
        ));
        assert!(matches!(
            builder()
                .region(Region::Api)
                .base_url("http://a")
                .build_core(),
            Err(ConfigError::ConflictingServers { .. })
        ));
        for bad in [
            "not a url",
            "ftp://x.example",
            "/relative",
            "mailto:a@b",
            "http://u:pw@x.example",
            "http://x.example/?q=1",
        ] {
            let e = builder().base_url(bad).build_core().unwrap_err();
            assert!(matches!(e, ConfigError::InvalidBaseUrl { .. }), "{bad}");
            assert!(!e.to_string().contains("pw@"), "{e}");
        }
        for bad in [
            "https://x.example",
            "x.example/path",
            "",
            "a b",
            "u@x.example",
        ] {
            assert!(
                matches!(
                    builder().host(bad).build_core(),
                    Err(ConfigError::InvalidHost { .. })
                ),
                "{bad:?}"
            );
        }
        for bad in ["", "api.eu", "-x", "a/b"] {
            assert!(
                matches!(
                    builder().region(Region::Other(bad.into())).build_core(),
                    Err(ConfigError::InvalidRegion { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn other_config_errors() {
        assert!(matches!(
            builder().user_agent_suffix("bad\nsuffix").build_core(),
            Err(ConfigError::InvalidUserAgentSuffix)
        ));
        // Non-ASCII passes `HeaderValue::from_str` (obs-text) but is not visible ASCII.
        for bad in ["caf\u{e9}/1", "tab\tsuffix", "\u{7f}"] {
            assert!(
                matches!(
                    builder().user_agent_suffix(bad).build_core(),
                    Err(ConfigError::InvalidUserAgentSuffix)
                ),
                "{bad:?}"
            );
        }
        let core = builder()
            .user_agent_suffix("my-app/2.1 (ci; +https://x.example)")
            .build_core()
            .unwrap();
        assert!(
            core.user_agent()
                .ends_with(") my-app/2.1 (ci; +https://x.example)"),
            "{}",
            core.user_agent()
        );
        let e = builder().account_id("").build_core().unwrap_err();
        assert!(matches!(
            e,
            ConfigError::EmptyValue {
                field: "account_id"
            }
        ));
        assert_eq!(e.to_string(), "`account_id` is empty");
    }

    #[test]
    fn config_error_messages_never_show_secrets() {
        let errors = [
            builder()
                .credentials("k", SECRET)
                .from_env_with(env(&[(ENV_ACCOUNT_URL, &format!("account://k:{SECRET}"))]))
                .build_core()
                .unwrap_err(),
            builder()
                .credentials("k", SECRET)
                .region(Region::ApiEu)
                .host("h")
                .build_core()
                .unwrap_err(),
            builder()
                .credentials("k", SECRET)
                .base_url("nope")
                .build_core()
                .unwrap_err(),
            builder()
                .credentials("k", SECRET)
                .host("a b")
                .build_core()
                .unwrap_err(),
            builder()
                .credentials("k", SECRET)
                .region(Region::Other("a b".into()))
                .build_core()
                .unwrap_err(),
            builder()
                .credentials("k", SECRET)
                .user_agent_suffix("\u{7}")
                .build_core()
                .unwrap_err(),
            builder()
                .credentials("k", SECRET)
                .account_id("")
                .build_core()
                .unwrap_err(),
        ];
        for e in errors {
            let shown = format!("{e} | {e:?}");
            assert!(!shown.contains(SECRET), "{shown}");
        }
    }

    #[test]
    fn debug_output_hides_secrets() {
        let b = builder().credentials("k", SECRET).from_env_with(env(&[(
            ENV_ACCOUNT_URL,
            &format!("account://k:{SECRET}@a"),
        )]));
        assert!(!format!("{b:?}").contains(SECRET));
        let core = b.build_core().unwrap();
        assert!(!format!("{core:?}").contains(SECRET));
        assert!(!format!("{:?}", Credentials::new("k", SECRET)).contains(SECRET));
    }

    #[test]
    fn build_into_client_type() {
        struct MyClient(Core);
        impl From<Core> for MyClient {
            fn from(c: Core) -> Self {
                MyClient(c)
            }
        }
        let c: MyClient = ClientBuilder::new(INFO)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        assert_eq!(c.0.timeout(), Duration::from_secs(5));
        assert!(
            c.0.user_agent()
                .starts_with("Cloudinary/AccountProvisioning Rust/0.1.0 Schema/0.2.1 (")
        );
    }

    #[test]
    fn region_names() {
        assert_eq!("api-eu".parse::<Region>().unwrap(), Region::ApiEu);
        assert_eq!(Region::ApiAp.to_string(), "api-ap");
        assert_eq!(Region::default(), Region::Api);
    }
}
