//! Runtime support for the generated `cld-provisioning` SDK (Cloudinary Account Provisioning API).
//!
//! This crate is written by hand. The generated crate describes each operation as an
//! `OperationRequest` and hands it to `Core::execute`; everything that is the same for every
//! operation lives here. What users program against (and what semver covers) is:
//!
//! - configuration: [`ClientBuilder`], environment variables (`CLOUDINARY_ACCOUNT_URL` and
//!   friends), servers and regions ([`config`]);
//! - credentials ([`credentials`]: Basic [`Credentials`], the asynchronous, fallible
//!   [`ProvideCredentials`] and [`ProvideToken`]), security schemes ([`security`]: basic,
//!   bearer, API key in a header, query or cookie, and OAuth2 client credentials, whose tokens
//!   [`oauth2`] fetches, caches and refreshes);
//! - the retry policy ([`RetryConfig`], [`retry::classify`], [`RetryClass`]), the retry budget
//!   ([`RetryQuota`]), interceptors ([`Intercept`]) and an injectable [`Sleep`];
//! - responses ([`Response`]) and errors ([`Error`], [`ErrorEnvelope`], [`ErrorKind`], and
//!   [`JsonError`], the redacted form in which every JSON error is kept);
//! - values used by generated models: [`SecretString`], [`Nullable`], [`Date`], [`DateTime`],
//!   [`Base64Bytes`], [`ByteStream`], [`Multipart`]; redaction of secrets ([`redact`]) and
//!   [`pagination`] ([`Pages`], [`Items`]).
//!
//! What only generated code calls (the engine `Core` and its `execute`, `OperationRequest`,
//! `AuthMode`, `OperationError`, the query, parameter, union and success-body encoders and
//! decoders, the page loops `cursor_pages` and `numbered_pages`, the SDK's identity `SdkInfo`, the
//! macros) is in the `codegen` module, hidden from these docs and outside the semver promise:
//! it changes with the generator.
//!
//! How generated code drives it (sketch):
//!
//! ```no_run
//! use cld_provisioning_runtime::codegen::{AuthMode, Core, OperationRequest, SdkInfo};
//! use cld_provisioning_runtime::http::Method;
//! use cld_provisioning_runtime::{CallOptions, ClientBuilder, Error, RetryClass};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let info = SdkInfo { sdk_version: "0.1.0+0.2.1", schema_version: "0.2.1" };
//! let core: Core = ClientBuilder::new(info).from_env().build()?;
//!
//! let mut req =
//!     OperationRequest::new(Method::GET, "getUser", AuthMode::Required, RetryClass::Idempotent);
//! req.push_literal("v1_1/provisioning/accounts");
//! req.push_account_id();
//! req.push_literal("users");
//! req.push_param("user id/1");
//! let user = core
//!     .execute::<()>(req, CallOptions::default())
//!     .await?
//!     .into_json::<serde_json::Value, ()>()?;
//! println!("{} (request {:?})", user.value(), user.request_id());
//! # Ok(())
//! # }
//! ```
//!
//! Users normally depend only on `cld-provisioning`, which re-exports what they need.
//! The public types expose `http` types, never `reqwest`'s, so a reqwest upgrade does not break
//! users; the one exception, `ClientBuilder::http_client(reqwest::Client)`, is behind the
//! feature `reqwest-0_13`, named after the reqwest version it takes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod any_error;
pub mod binary;
mod body_buffer;
pub mod byte_stream;
mod call_clock;
#[doc(hidden)]
pub mod codegen;
pub mod config;
mod config_checks;
mod config_error;
pub mod credentials;
pub mod date;
mod echo_mask;
mod engine;
pub mod error;
mod identity;
pub mod intercept;
mod model_de;
pub mod nullable;
pub mod oauth2;
pub mod options;
pub mod pagination;
mod params;
pub mod part_source;
mod query;
pub mod redact;
mod request;
pub mod request_body;
pub mod response;
mod response_body;
pub mod retry;
pub mod retry_quota;
pub mod secret;
pub mod security;
pub mod sleep;
pub mod stall;
mod transport;
mod union;

pub use any_error::AnyOperationError;
pub use binary::Base64Bytes;
pub use byte_stream::ByteStream;
pub use config::{ClientBuilder, ConfigError, ENV_DEBUG, Region, debug_logging_requested};
pub use credentials::{
    Credentials, CredentialsError, CredentialsProvider, ProvideCredentials, ProvideToken,
    provide_credentials_fn, provide_token_fn,
};
pub use date::{Date, DateConversionError, DateTime};
pub use error::{
    ApiError, BuildError, DecodeError, Error, ErrorEnvelope, ErrorKind, ErrorMessage, JsonError,
    JsonErrorCategory, TimeoutError, TransportError, UnexpectedStatus,
};
pub use intercept::{AfterResponse, AttemptFailure, BeforeSend, Intercept};
pub use nullable::Nullable;
pub use oauth2::ClientCredentials;
pub use options::CallOptions;
pub use pagination::{Items, Pages};
pub use request::RetryClass;
pub use request_body::{Multipart, Payload};
pub use response::{RateLimit, Response};
pub use retry::{Classifier, RetryConfig};
pub use retry_quota::RetryQuota;
pub use secret::SecretString;
pub use security::{ApiKeyLocation, SchemeKind, SecurityScheme};
pub use sleep::{Sleep, TokioSleep};
pub use stall::StalledStreamProtection;
pub use transport::MAX_RESPONSE_BODY;

/// Re-exported so generated code and users name the same `http` crate version as the runtime.
pub use http;

/// Re-exported so generated code and users name the same `Bytes` (raw request and response
/// bodies) as the runtime.
pub use bytes;

/// Re-exported so users can write free-form JSON properties (`serde_json::json!({..})`, a
/// `Value` or a `Map`) without depending on `serde_json` themselves, and with the version the
/// models are built on.
pub use serde_json;
