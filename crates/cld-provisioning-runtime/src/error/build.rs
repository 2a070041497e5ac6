//! [`BuildError`]: why a request could not be built; nothing was sent.

use super::JsonError;

/// Why a request could not be built; nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The operation needs an account id and none is configured.
    #[error(
        "no account id is configured: set it with the client builder's `account_id`, \
         CLOUDINARY_ACCOUNT_ID or CLOUDINARY_ACCOUNT_URL, or per call"
    )]
    MissingAccountId,
    /// The configured account id cannot be used as a path segment (empty, `.` or `..`).
    #[error("the account id is empty or is `.`/`..`")]
    InvalidAccountId,
    /// The operation needs credentials and some are missing.
    #[error(
        "the provisioning API {missing} is not configured: set it with the client builder's \
         `credentials`, CLOUDINARY_PROVISIONING_API_KEY and CLOUDINARY_PROVISIONING_API_SECRET, \
         or CLOUDINARY_ACCOUNT_URL"
    )]
    MissingCredentials {
        /// What is missing: `"key and secret"`, `"key"` or `"secret"`.
        missing: &'static str,
    },
    /// The operation requires credentials and none are configured for any of the security
    /// schemes it accepts.
    #[error(
        "{operation_id}: no credentials are configured for the security schemes it accepts \
         ({accepted}); set them on the client builder"
    )]
    NoCredentials {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The schemes it accepts, in words (`` `bearerAuth`, or `apiKey` and `appId` ``).
        accepted: String,
    },
    /// A credentials provider, or an OAuth2 token endpoint, failed; the source says why.
    #[error("could not get credentials for security scheme `{scheme}`: {source}")]
    CredentialsUnavailable {
        /// The security scheme (`basic` for the client's own Basic credentials).
        scheme: &'static str,
        /// Why.
        #[source]
        source: crate::credentials::CredentialsError,
    },
    /// A required request field was not set on the request builder.
    #[error("{operation_id}: the required field `{field}` is not set")]
    MissingField {
        /// The spec's operationId.
        operation_id: &'static str,
        /// The field's name on the wire.
        field: &'static str,
    },
    /// A path parameter cannot be sent as one segment.
    #[error("invalid path parameter: {reason}")]
    InvalidPathParameter {
        /// Why.
        reason: &'static str,
    },
    /// A query value or the body could not be serialized to JSON.
    #[error("could not serialize the {what} to JSON")]
    Serialize {
        /// What was being serialized (`request body`, ``query parameter `x` ``).
        what: String,
        /// The serializer's error, redacted.
        #[source]
        source: JsonError,
    },
    /// A header name or value is not valid.
    #[error("invalid value for header `{name}`")]
    InvalidHeader {
        /// The header name.
        name: String,
    },
    /// A file or stream part of a multipart body could not be read when the call was sent (a
    /// missing file, a failing stream, a part past its bound, a stream sent before).
    #[error("multipart part `{part}` could not be sent: {reason}")]
    MultipartPart {
        /// The part's name.
        part: String,
        /// Why, in words.
        reason: String,
        /// The I/O error, when there was one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The request URL could not be formed from the server and the path. (Not produced since
    /// the base URL is parsed when the client is built; kept so that code matching it compiles.)
    #[error("could not form the request URL: {reason}")]
    InvalidUrl {
        /// The URL parser's message (it never contains the URL).
        reason: String,
    },
}

impl BuildError {
    /// A required request field was not set (used by generated request builders).
    pub fn missing_field(operation_id: &'static str, field: &'static str) -> Self {
        BuildError::MissingField {
            operation_id,
            field,
        }
    }
}
