//! The one send-with-retries loop. Every operation goes through [`execute`].
//!
//! Per attempt: resolve credentials (the provider is asked every time, so rotation works),
//! send, read the body, classify the outcome, and either return or wait and go again. Nothing
//! is sent when the request cannot be built (missing account id or credentials, bad path id).
//! Logging is one `debug!` per attempt with the operation, method, path (no query: it can hold
//! e-mail addresses), status, request id and attempt number; never headers or bodies.

use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue, StatusCode};

use crate::config::Inner;
use crate::error::{
    BuildError, Error, MAX_ERROR_BODY, TimeoutError, TransportError, TransportKind, request_id,
};
use crate::options::CallOptions;
use crate::redact::redact_text;
use crate::request::{AuthMode, OperationRequest};
use crate::response::RawResponse;
use crate::retry::{Decision, Outcome, random_unit, server_delay};

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The most a successful response body may hold. The largest real answers of this API
/// (billing usage with a per-environment breakdown, long user lists) are kilobytes to a few
/// megabytes; the bound only stops a broken or hostile server from exhausting memory.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// Why a response could not be read.
enum ReadFailure {
    Http(reqwest::Error),
    /// A 2xx body went past [`MAX_RESPONSE_BODY`].
    TooLarge,
}

/// The source of the transport error for a body past [`MAX_RESPONSE_BODY`].
#[derive(Debug)]
struct BodyTooLarge;

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the response body is larger than {MAX_RESPONSE_BODY} bytes"
        )
    }
}

impl std::error::Error for BodyTooLarge {}

/// A response whose body was read (in full for 2xx, up to [`MAX_ERROR_BODY`] otherwise).
struct Received {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    truncated: bool,
}

pub(crate) async fn execute<E>(
    inner: &Inner,
    req: OperationRequest,
    options: &CallOptions,
) -> Result<RawResponse, Error<E>> {
    if let Some(reason) = req.deferred_error {
        return Err(Error::Build(BuildError::InvalidPathParameter { reason }));
    }
    let account_id = options
        .account_id
        .as_deref()
        .or(inner.account_id.as_deref());
    let path = req.render_path(account_id)?;
    let url = build_url(&inner.base_url, &path, &req)?;
    let headers = request_headers(inner, &req, options);
    let retry = options.retry.as_ref().unwrap_or(&inner.retry);
    let timeout = options.timeout.unwrap_or(inner.timeout);
    let operation_id = req.operation_id;

    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let authorization = match req.auth {
            AuthMode::Required => Some(inner.authorization()?),
            AuthMode::Optional => match inner.authorization() {
                Ok(value) => Some(value),
                Err(BuildError::MissingCredentials { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            AuthMode::None => None,
        };
        let mut attempt_headers = headers.clone();
        if let Some(value) = authorization {
            attempt_headers.insert(AUTHORIZATION, value);
        }
        let mut builder = inner
            .http
            .request(req.method.clone(), url.clone())
            .headers(attempt_headers)
            .timeout(timeout);
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }

        let result = match builder.send().await {
            Ok(response) => read_response(response).await,
            Err(e) => Err(ReadFailure::Http(e)),
        };

        let (decision, failed_outcome) = match &result {
            Ok(r) => {
                tracing::debug!(
                    operation = operation_id,
                    method = %req.method,
                    path = %path,
                    status = r.status.as_u16(),
                    // Server-chosen text: redacted like everything else that is shown.
                    request_id = request_id(&r.headers).map(redact_text).as_deref(),
                    attempt,
                    "cld-provisioning response"
                );
                if r.status.is_success() {
                    (Decision::DontRetry, None)
                } else {
                    let outcome = Outcome::Response {
                        status: r.status,
                        headers: &r.headers,
                    };
                    (retry.classify(req.retry, &outcome), None)
                }
            }
            Err(e) => {
                let outcome = match e {
                    ReadFailure::Http(e) => outcome_of(e),
                    // Asking again would only fetch the same oversized body.
                    ReadFailure::TooLarge => Outcome::OtherFailure,
                };
                tracing::debug!(
                    operation = operation_id,
                    method = %req.method,
                    path = %path,
                    outcome = ?outcome,
                    attempt,
                    "cld-provisioning request failed"
                );
                (retry.classify(req.retry, &outcome), Some(outcome))
            }
        };

        if let Decision::Retry(reason) = decision {
            if attempt < retry.max_attempts() {
                let hint = match &result {
                    Ok(r) => server_delay(r.status, &r.headers, SystemTime::now()),
                    Err(_) => None,
                };
                let delay = retry.delay(attempt, hint, random_unit());
                tracing::debug!(
                    operation = operation_id,
                    attempt,
                    reason = ?reason,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "cld-provisioning retrying"
                );
                // The body was read in full, so the connection is back in the pool; nothing of
                // this attempt needs to live through the wait.
                drop(result);
                inner.sleep.sleep(delay).await;
                continue;
            }
        }

        return match result {
            Ok(r) => Ok(RawResponse {
                operation_id,
                status: r.status,
                headers: r.headers,
                body: r.body,
                body_truncated: r.truncated,
                attempts: attempt,
            }),
            Err(ReadFailure::Http(e)) => Err(transport_error(
                operation_id,
                e,
                failed_outcome,
                timeout,
                attempt,
            )),
            Err(ReadFailure::TooLarge) => Err(Error::Transport(TransportError {
                operation_id,
                kind: TransportKind::Other,
                attempts: attempt,
                source: Box::new(BodyTooLarge),
            })),
        };
    }
}

/// `base` + `path` + `?query`, checked by the URL parser.
fn build_url(base: &str, path: &str, req: &OperationRequest) -> Result<reqwest::Url, BuildError> {
    let mut url = String::with_capacity(base.len() + path.len() + 64);
    url.push_str(base);
    url.push_str(path);
    if !req.query.is_empty() {
        url.push('?');
        url.push_str(&req.query.encode());
    }
    reqwest::Url::parse(&url).map_err(|e| BuildError::InvalidUrl {
        reason: e.to_string(),
    })
}

/// The headers common to every attempt: defaults, then operation and per-call headers, then
/// the ones the SDK owns. `Authorization` is added per attempt.
fn request_headers(inner: &Inner, req: &OperationRequest, options: &CallOptions) -> HeaderMap {
    let mut headers = inner.default_headers.clone();
    for source in [&req.headers, &options.headers] {
        // Replace whole entries (all values of a name), so a later layer overrides an earlier.
        for name in source.keys() {
            headers.remove(name);
            for value in source.get_all(name) {
                headers.append(name.clone(), value.clone());
            }
        }
    }
    headers.insert(ACCEPT, APPLICATION_JSON);
    headers.insert(USER_AGENT, inner.user_agent.clone());
    if req.body.is_some() {
        headers.insert(CONTENT_TYPE, APPLICATION_JSON);
    } else {
        headers.remove(CONTENT_TYPE);
    }
    if req.auth == AuthMode::None {
        // "Never" means never, even if a default header carries credentials.
        headers.remove(AUTHORIZATION);
    }
    headers
}

/// Reads the whole body of a 2xx response, or at most [`MAX_ERROR_BODY`] of any other (a
/// failing body is only kept for diagnosis, and a hostile server could send gigabytes).
async fn read_response(mut response: reqwest::Response) -> Result<Received, ReadFailure> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    if status.is_success() {
        // A declared length past the bound fails before anything is read.
        let declared = response.content_length().unwrap_or(0);
        if declared > MAX_RESPONSE_BODY as u64 {
            return Err(ReadFailure::TooLarge);
        }
        // Room for the declared length up front (at most the bound, checked above): a
        // multi-megabyte body is then copied once, not through a series of doublings that
        // briefly hold the old and the new buffer. A wrong length only costs a reallocation.
        let mut body = BytesMut::with_capacity(usize::try_from(declared).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(ReadFailure::Http)? {
            if chunk.len() > MAX_RESPONSE_BODY - body.len() {
                return Err(ReadFailure::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(Received {
            status,
            headers,
            body: body.freeze(),
            truncated: false,
        });
    }
    let mut buf = BytesMut::new();
    let mut truncated = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_ERROR_BODY - buf.len();
                if chunk.len() > room {
                    buf.extend_from_slice(&chunk[..room]);
                    truncated = true;
                    break;
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            // The status already says what happened; keep what arrived of the body.
            Err(_) => break,
        }
    }
    Ok(Received {
        status,
        headers,
        body: buf.freeze(),
        truncated,
    })
}

fn outcome_of(e: &reqwest::Error) -> Outcome<'static> {
    if e.is_connect() {
        // Includes connect timeouts: either way the request never left.
        Outcome::ConnectFailed
    } else if e.is_timeout() {
        Outcome::TimedOut
    } else if e.is_redirect() || e.is_builder() || e.is_decode() || e.is_status() {
        Outcome::OtherFailure
    } else {
        Outcome::Interrupted
    }
}

fn transport_error<E>(
    operation_id: &'static str,
    e: reqwest::Error,
    outcome: Option<Outcome<'static>>,
    timeout: std::time::Duration,
    attempts: u32,
) -> Error<E> {
    let timed_out = e.is_timeout();
    let connect = matches!(outcome, Some(Outcome::ConnectFailed));
    // reqwest's message includes the URL and so the query (e-mail addresses); drop it.
    let source = Box::new(e.without_url());
    if timed_out {
        return Error::Timeout(TimeoutError {
            operation_id,
            timeout,
            connect,
            attempts,
            source,
        });
    }
    let kind = match outcome {
        Some(Outcome::ConnectFailed) => TransportKind::Connect,
        Some(Outcome::OtherFailure) => TransportKind::Other,
        _ => TransportKind::Interrupted,
    };
    Error::Transport(TransportError {
        operation_id,
        kind,
        attempts,
        source,
    })
}
