//! The one send-with-retries loop. Every operation goes through [`execute`].
//!
//! Per attempt: resolve credentials (the provider is asked every time, so rotation works),
//! send, read the body, classify the outcome, and either return or wait and go again. Nothing
//! is sent when the request cannot be built (missing account id or credentials, bad path id).
//! Logging is one `debug!` per attempt with the operation, method, path (no query: it can hold
//! e-mail addresses), status, request id and attempt number; never headers or bodies.

use std::convert::Infallible;
use std::future::Future;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::body_buffer::BodyBuffer;
use crate::byte_stream::ByteStream;
use crate::call_clock::{AttemptLimit, CallClock};
use crate::echo_mask::EchoMask;
use crate::engine::{Core, Inner};
use crate::error::{
    BuildError, Error, MAX_ERROR_BODY, TimeoutError, TimeoutScope, TransportError, TransportKind,
    request_id,
};
use crate::intercept::AfterResponse;
use crate::options::CallOptions;
use crate::redact::{RedactedHeaders, redact_text};
use crate::request::{AuthMode, OperationRequest};
use crate::response::RawResponse;
use crate::retry::{Decision, Outcome, random_unit, server_delay};
use crate::secret::SecretString;
use crate::stall::{ChunkError, StallGuard, StalledStreamProtection};

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The most a successful response body may hold. The largest real answers of this API
/// (billing usage with a per-environment breakdown, long user lists) are kilobytes to a few
/// megabytes; the bound only stops a broken or hostile server from exhausting memory.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// Why a response could not be read.
enum ReadFailure {
    /// No response (or a timeout at any point, reading the body included).
    Http(reqwest::Error),
    /// A 2xx body stopped early: the connection failed after `received` of `expected` bytes.
    /// reqwest calls this a decode error; it is a transient transport failure.
    BodyCutOff {
        received: u64,
        expected: Option<u64>,
        source: reqwest::Error,
    },
    /// A 2xx body brought too few bytes over a window of stalled-stream protection.
    Stalled { received: u64 },
    /// A 2xx body went past [`MAX_RESPONSE_BODY`] (`declared` when its length said so).
    TooLarge { declared: Option<u64> },
    /// The attempt timeout ran out before a streamed response's headers (or its failing
    /// body) arrived; reqwest's own timeout is not set then, since it would bound the body.
    AttemptTimedOut,
}

/// The source of the timeout error when a streamed response's headers came too late.
#[derive(Debug)]
struct HeadersTimedOut;

impl std::fmt::Display for HeadersTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the response headers did not arrive in time")
    }
}

impl std::error::Error for HeadersTimedOut {}

/// The source of the transport error for a body past `limit` bytes ([`MAX_RESPONSE_BODY`], or
/// the limit given to [`ByteStream::bytes`](crate::ByteStream::bytes)).
#[derive(Debug)]
pub(crate) struct BodyTooLarge {
    pub(crate) limit: u64,
}

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the response body is larger than {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

/// A failure in words, without the URL (its query may hold e-mail addresses).
fn describe(failure: &ReadFailure) -> String {
    match failure {
        ReadFailure::Http(e) if e.is_timeout() => "the attempt timed out".to_owned(),
        ReadFailure::AttemptTimedOut => "the attempt timed out".to_owned(),
        ReadFailure::Http(e) if e.is_connect() => "could not connect to the server".to_owned(),
        ReadFailure::Http(_) => "the connection failed during the request".to_owned(),
        ReadFailure::BodyCutOff {
            received, expected, ..
        } => match expected {
            Some(n) => format!("the response body was cut off after {received} of {n} bytes"),
            None => format!("the response body was cut off after {received} bytes"),
        },
        ReadFailure::Stalled { received } => {
            format!("the response body stalled after {received} bytes")
        }
        ReadFailure::TooLarge { .. } => {
            format!("the response body is over the limit of {MAX_RESPONSE_BODY} bytes")
        }
    }
}

/// The outcome the retry policy sees for a failure to read a response.
fn failure_outcome(failure: &ReadFailure) -> Outcome<'static> {
    match failure {
        ReadFailure::Http(e) => outcome_of(e),
        // The request was sent and the connection broke: like a reset, transient.
        ReadFailure::BodyCutOff { .. } => Outcome::Interrupted,
        // A stall is a timeout that came early.
        ReadFailure::Stalled { .. } | ReadFailure::AttemptTimedOut => Outcome::TimedOut,
        // Asking again would only fetch the same oversized body.
        ReadFailure::TooLarge { .. } => Outcome::OtherFailure,
    }
}

/// A response whose body was read (in full for 2xx, up to [`MAX_ERROR_BODY`] otherwise), or
/// a 2xx whose body is left `unread` for the caller to stream.
struct Received {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    truncated: bool,
    /// Boxed: only downloads have one, and the send loop keeps a `Received` across its
    /// later awaits (the retry wait, a token refetch), where 136 bytes would sit unused.
    unread: Option<Box<reqwest::Response>>,
}

impl Received {
    /// A failing response with the credentials the server echoed masked, before anything of it
    /// is logged or kept in an error. A 2xx body is the caller's data and stays as it came
    /// (a decode error masks its copy, see [`RawResponse::into_json`]).
    fn masked(mut self, echo: &EchoMask) -> Self {
        if !self.status.is_success() && !echo.is_empty() {
            echo.mask_headers(&mut self.headers);
            self.body = echo.mask_bytes(self.body);
        }
        self
    }
}

/// Sends `req` with retries and returns the final response, whatever its status. Not generic
/// over the operation's error type (only `Build`, `Timeout` and `Transport` errors arise
/// here), so the retry loop is compiled once, in this crate, instead of in every crate that
/// calls it; [`Core::execute`](crate::codegen::Core::execute) widens the error. The future
/// owns its client handle, request and options, so it outlives the builder that made it.
///
/// Written as a function that returns an `async move` block, not as an `async fn`, and with
/// each attempt's request assembled by a plain function ([`attempt_request`]): an `async fn`
/// keeps its arguments twice in its state, and a local that was borrowed keeps its room
/// across every later `.await`. That state is allocated for every call (see
/// [`Core::execute`](crate::codegen::Core::execute)), and on a busy client its size decides
/// how much of it stays in the CPU cache; these two rules took it from 3,168 bytes to the
/// size that the test `transport_state_stays_small` (in `codegen`) checks.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn would keep its arguments twice in its state"
)]
pub(crate) fn execute(
    core: Core,
    mut req: OperationRequest,
    options: CallOptions,
) -> impl Future<Output = Result<RawResponse, Error<Infallible>>> + Send + 'static {
    async move {
        let (inner, options): (&Inner, &CallOptions) = (&core.0, &options);
        if let Some(reason) = req.deferred_error {
            return Err(Error::Build(BuildError::InvalidPathParameter { reason }));
        }
        if let Some(name) = options.invalid_header() {
            return Err(Error::Build(BuildError::InvalidHeader {
                name: name.to_owned(),
            }));
        }
        // Once, before the first attempt: every attempt sends the same bytes.
        req.read_pending_parts().await.map_err(Error::Build)?;
        let account_id = options.account_id().or(inner.account_id.as_deref());
        let path = req.render_path(account_id)?;
        let retry = options.retry().unwrap_or(&inner.retry);
        let timeout = options.timeout().unwrap_or(inner.timeout);
        let operation_id = req.operation_id;
        let clock = CallClock::start(
            options.operation_timeout().or(inner.operation_timeout),
            retry.max_elapsed_time(),
        );

        let mut attempt: u32 = 0;
        // What the latest retry took from the client's quota, given back if the call succeeds.
        let mut last_retry_cost: Option<u32> = None;
        // Whether a 401 already made the OAuth2 tokens be fetched again (once per call).
        let mut token_refetched = false;
        loop {
            attempt += 1;
            let limit = match clock.attempt_limit(timeout) {
                AttemptLimit::PerAttempt(d) => (d, TimeoutScope::Attempt),
                AttemptLimit::OperationRemainder(d) => (d, TimeoutScope::Operation),
                AttemptLimit::Expired => {
                    return Err(operation_expired(operation_id, &clock, attempt - 1));
                }
            };
            // Asked on every attempt, so rotated credentials take effect; an OAuth2 token comes
            // from the scheme's cache.
            let applied = inner
                .security
                .authenticate(&req, &inner.http, limit.0)
                .await
                .map_err(Error::Build)?;
            // Also for calls that send no credentials: a server may still repeat configured ones.
            let echo = applied.echo;
            let sent = inner.http.execute(attempt_request(
                inner,
                &req,
                options,
                &path,
                attempt,
                AttemptCredentials {
                    headers: applied.headers,
                    query: &applied.query,
                },
                limit.0,
            ));
            let (stall, stream) = (inner.stall, req.stream_success);
            let attempt_result = async move {
                let response = match sent.await {
                    Ok(response) => response,
                    Err(e) => return Err(ReadFailure::Http(e)),
                };
                read_response(response, stall, stream).await
            };
            // A streamed 2xx body is the caller's to read, for as long as it takes; the attempt
            // timeout bounds everything before it (and a failing body, read here).
            let result = if req.stream_success {
                tokio::time::timeout(limit.0, attempt_result)
                    .await
                    .unwrap_or(Err(ReadFailure::AttemptTimedOut))
            } else {
                attempt_result.await
            }
            .map(|r| r.masked(&echo));

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
                        headers = ?RedactedHeaders(&r.headers),
                        body_len = r.body.len(),
                        "cld-provisioning response"
                    );
                    inner.interceptors.after_response(&AfterResponse {
                        operation_id,
                        attempt,
                        status: r.status,
                        headers: &r.headers,
                        body: &r.body,
                    });
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
                    let outcome = failure_outcome(e);
                    if !inner.interceptors.0.is_empty() {
                        inner
                            .interceptors
                            .on_error(operation_id, attempt, &describe(e));
                    }
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

            // A rejected OAuth2 token (revoked, or expired early): fetch a new one and try once
            // more. A 401 means the server did not act, so this is safe for every method.
            if !token_refetched
                && !applied.oauth.is_empty()
                && matches!(&result, Ok(r) if r.status == StatusCode::UNAUTHORIZED)
            {
                token_refetched = true;
                for (client, token) in &applied.oauth {
                    client.invalidate(token).await;
                }
                tracing::debug!(
                    operation = operation_id,
                    attempt,
                    "cld-provisioning OAuth2 token rejected; fetching a new one"
                );
                continue;
            }

            if let Decision::Retry(reason) = decision {
                let hint = match &result {
                    Ok(r) => server_delay(r.status, &r.headers, SystemTime::now()),
                    Err(_) => None,
                };
                let delay = retry.delay(attempt, hint, random_unit());
                let permitted = if attempt >= retry.max_attempts() {
                    None
                } else if !clock.may_retry_after(delay) {
                    tracing::debug!(
                        operation = operation_id,
                        attempt,
                        "cld-provisioning not retrying: the call's time budget is spent"
                    );
                    None
                } else {
                    let taken = inner.quota.try_acquire(reason);
                    if taken.is_none() {
                        tracing::debug!(
                            operation = operation_id,
                            attempt,
                            "cld-provisioning not retrying: the client's retry quota is spent"
                        );
                    }
                    taken
                };
                if let Some(cost) = permitted {
                    last_retry_cost = Some(cost);
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

            if result.as_ref().is_ok_and(|r| r.status.is_success()) {
                inner.quota.on_success(last_retry_cost);
            }
            return match result {
                Ok(r) => Ok(RawResponse {
                    operation_id,
                    status: r.status,
                    headers: r.headers,
                    body: r.body,
                    body_truncated: r.truncated,
                    attempts: attempt,
                    echo,
                    stream: r.unread.map(|body| {
                        ByteStream::from_response(*body, inner.stall, operation_id, attempt)
                    }),
                }),
                Err(ReadFailure::Http(e)) => {
                    let limit = match limit.1 {
                        TimeoutScope::Operation => {
                            (clock.operation_timeout().unwrap_or(limit.0), limit.1)
                        }
                        TimeoutScope::Attempt | TimeoutScope::Stalled => limit,
                    };
                    Err(transport_error(
                        operation_id,
                        e,
                        failed_outcome,
                        limit,
                        attempt,
                    ))
                }
                Err(ReadFailure::BodyCutOff {
                    received,
                    expected,
                    source,
                }) => Err(Error::Transport(TransportError {
                    operation_id,
                    kind: TransportKind::BodyCutOff { received, expected },
                    attempts: attempt,
                    source: Box::new(source.without_url()),
                })),
                Err(ReadFailure::AttemptTimedOut) => Err(Error::Timeout(TimeoutError {
                    operation_id,
                    timeout: match limit.1 {
                        TimeoutScope::Operation => clock.operation_timeout().unwrap_or(limit.0),
                        TimeoutScope::Attempt | TimeoutScope::Stalled => limit.0,
                    },
                    scope: limit.1,
                    connect: false,
                    attempts: attempt,
                    source: Box::new(HeadersTimedOut),
                })),
                Err(ReadFailure::Stalled { received }) => Err(Error::Timeout(TimeoutError {
                    operation_id,
                    timeout: inner.stall.grace_period(),
                    scope: TimeoutScope::Stalled,
                    connect: false,
                    attempts: attempt,
                    source: Box::new(BodyStalled {
                        received,
                        settings: inner.stall,
                    }),
                })),
                Err(ReadFailure::TooLarge { declared }) => Err(Error::Transport(TransportError {
                    operation_id,
                    kind: TransportKind::BodyTooLarge {
                        limit: MAX_RESPONSE_BODY as u64,
                        declared,
                    },
                    attempts: attempt,
                    source: Box::new(BodyTooLarge {
                        limit: MAX_RESPONSE_BODY as u64,
                    }),
                })),
            };
        }
    }
}

/// The credentials an attempt sends: headers set after the interceptors ran (which never see
/// them), and query parameters.
struct AttemptCredentials<'a> {
    headers: Vec<(HeaderName, HeaderValue)>,
    query: &'a [(&'static str, SecretString)],
}

/// The request of one attempt, built afresh for each (the URL and headers are cheap to make
/// and only a retry makes them twice), so that none of its parts is kept in the state of
/// [`execute`] while the attempt is awaited.
fn attempt_request(
    inner: &Inner,
    req: &OperationRequest,
    options: &CallOptions,
    path: &str,
    attempt: u32,
    credentials: AttemptCredentials<'_>,
    timeout: Duration,
) -> reqwest::Request {
    let mut headers = request_headers(inner, req, options);
    inner
        .interceptors
        .before_send(req.operation_id, &req.method, path, attempt, &mut headers);
    tracing::debug!(
        operation = req.operation_id,
        method = %req.method,
        path = %path,
        attempt,
        headers = ?RedactedHeaders(&headers),
        "cld-provisioning request"
    );
    apply_headers(&mut headers, credentials.headers);
    let mut url = build_url(&inner.base, path, req);
    if !credentials.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in credentials.query {
            pairs.append_pair(name, value.expose_secret());
        }
    }
    // The request is assembled whole rather than through reqwest's builder, whose
    // `headers()` merges our map into an empty one entry by entry.
    let mut request = reqwest::Request::new(req.method.clone(), url);
    *request.headers_mut() = headers;
    if !req.stream_success {
        *request.timeout_mut() = Some(timeout);
    }
    if let Some(body) = &req.body {
        *request.body_mut() = Some(body.clone().into());
    }
    request
}

/// Sets the credential headers of one attempt. A cookie joins any cookie already set.
fn apply_headers(headers: &mut HeaderMap, credentials: Vec<(HeaderName, HeaderValue)>) {
    for (name, value) in credentials {
        let joined = match headers.get(&name) {
            Some(existing) if name == COOKIE => {
                let mut both = existing.as_bytes().to_vec();
                both.extend_from_slice(b"; ");
                both.extend_from_slice(value.as_bytes());
                HeaderValue::from_bytes(&both).ok().map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
            }
            _ => None,
        };
        headers.insert(name, joined.unwrap_or(value));
    }
}

/// `base` + `path` + `?query`. The base was parsed when the client was built; the path and
/// query go through the URL parser's own setters, which percent-encode what a URL cannot hold.
fn build_url(base: &reqwest::Url, path: &str, req: &OperationRequest) -> reqwest::Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    let mut full = String::with_capacity(prefix.len() + path.len());
    full.push_str(prefix);
    full.push_str(path);
    url.set_path(&full);
    if !req.query.is_empty() {
        url.set_query(Some(&req.query.encode()));
    }
    url
}

/// The headers common to every attempt: defaults, then operation and per-call headers, then
/// the ones the SDK owns. `Authorization` is added per attempt.
fn request_headers(inner: &Inner, req: &OperationRequest, options: &CallOptions) -> HeaderMap {
    let mut headers = inner.default_headers.clone();
    for source in [&req.headers, options.headers()] {
        // Replace whole entries (all values of a name), so a later layer overrides an earlier.
        for name in source.keys() {
            headers.remove(name);
            for value in source.get_all(name) {
                headers.append(name.clone(), value.clone());
            }
        }
    }
    headers.insert(ACCEPT, req.accept.clone().unwrap_or(APPLICATION_JSON));
    headers.insert(USER_AGENT, inner.user_agent.clone());
    if req.body.is_some() {
        let content_type = req.content_type.clone().unwrap_or(APPLICATION_JSON);
        headers.insert(CONTENT_TYPE, content_type);
    } else {
        headers.remove(CONTENT_TYPE);
    }
    if req.auth == AuthMode::None {
        // "Never" means never, even if a default header carries credentials.
        headers.remove(AUTHORIZATION);
    }
    headers
}

/// Reads the whole body of a 2xx response (or leaves it unread when `stream`), or at most
/// [`MAX_ERROR_BODY`] of any other (a failing body is only kept for diagnosis, and a hostile
/// server could send gigabytes).
///
/// A function returning an `async move` block, like [`execute`], so `response` is kept once.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn would keep the response twice in its state"
)]
fn read_response(
    mut response: reqwest::Response,
    stall: StalledStreamProtection,
    stream: bool,
) -> impl Future<Output = Result<Received, ReadFailure>> + Send {
    async move {
        let mut guard = StallGuard::new(stall);
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if status.is_success() && stream {
            return Ok(Received {
                status,
                headers,
                body: Bytes::new(),
                truncated: false,
                unread: Some(Box::new(response)),
            });
        }
        if status.is_success() {
            // A declared length past the bound fails before anything is read.
            let expected = response.content_length();
            if expected.is_some_and(|n| n > MAX_RESPONSE_BODY as u64) {
                return Err(ReadFailure::TooLarge { declared: expected });
            }
            // Room for the declared length up front; without one the buffer grows, never past
            // the bound (see `BodyBuffer`).
            let mut body = BodyBuffer::new(MAX_RESPONSE_BODY, expected);
            while let Some(chunk) = guard
                .next_chunk(&mut response)
                .await
                .map_err(|e| body_failure(e, body.len(), expected))?
            {
                if body.push(chunk).is_err() {
                    return Err(ReadFailure::TooLarge { declared: None });
                }
            }
            return Ok(Received {
                status,
                headers,
                body: body.into_bytes(),
                truncated: false,
                unread: None,
            });
        }
        let mut buf = BytesMut::new();
        let mut truncated = false;
        loop {
            match guard.next_chunk(&mut response).await {
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
            unread: None,
        })
    }
}

/// A failure while reading a 2xx body: a timeout stays a timeout, anything else means the
/// body was cut off after `received` bytes.
fn body_failure(e: ChunkError, received: usize, expected: Option<u64>) -> ReadFailure {
    let e = match e {
        ChunkError::Stalled => {
            return ReadFailure::Stalled {
                received: received as u64,
            };
        }
        ChunkError::Http(e) => e,
    };
    if e.is_timeout() {
        return ReadFailure::Http(e);
    }
    ReadFailure::BodyCutOff {
        received: received as u64,
        expected,
        source: e,
    }
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

/// The source of the timeout error for a stalled body.
#[derive(Debug)]
pub(crate) struct BodyStalled {
    pub(crate) received: u64,
    pub(crate) settings: StalledStreamProtection,
}

impl std::fmt::Display for BodyStalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the response body stalled after {} bytes: under {} bytes/s over {:?}",
            self.received,
            self.settings.min_bytes_per_sec(),
            self.settings.grace_period()
        )
    }
}

impl std::error::Error for BodyStalled {}

/// The source of the timeout error when the operation timeout ran out between attempts.
#[derive(Debug)]
struct OperationTimedOut;

impl std::fmt::Display for OperationTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no time was left for another attempt")
    }
}

impl std::error::Error for OperationTimedOut {}

/// The error when no attempt may start because the operation timeout ran out.
fn operation_expired(
    operation_id: &'static str,
    clock: &CallClock,
    attempts: u32,
) -> Error<Infallible> {
    Error::Timeout(TimeoutError {
        operation_id,
        timeout: clock.operation_timeout().unwrap_or_default(),
        scope: TimeoutScope::Operation,
        connect: false,
        attempts,
        source: Box::new(OperationTimedOut),
    })
}

fn transport_error(
    operation_id: &'static str,
    e: reqwest::Error,
    outcome: Option<Outcome<'static>>,
    (timeout, scope): (Duration, TimeoutScope),
    attempts: u32,
) -> Error<Infallible> {
    let timed_out = e.is_timeout();
    let connect = matches!(outcome, Some(Outcome::ConnectFailed));
    // reqwest's message includes the URL and so the query (e-mail addresses); drop it.
    let source = Box::new(e.without_url());
    if timed_out {
        return Error::Timeout(TimeoutError {
            operation_id,
            timeout,
            // A connect timeout is the connect timeout's doing, whatever the attempt's limit.
            scope: if connect {
                TimeoutScope::Attempt
            } else {
                scope
            },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{AuthMode, OperationRequest, RetryClass};
    use http::Method;

    fn url_of(base: &str, build: impl FnOnce(&mut OperationRequest)) -> String {
        let mut req = OperationRequest::new(
            Method::GET,
            "getUser",
            AuthMode::Required,
            RetryClass::Idempotent,
        );
        build(&mut req);
        let path = req.render_path(Some("acc-1")).unwrap();
        let base = reqwest::Url::parse(base).unwrap();
        build_url(&base, &path, &req).to_string()
    }

    /// The URL is the one the whole string `base + path + ?query` parses to: a base with a path
    /// keeps it, a bare host adds no second slash, escapes stay as rendered, and characters a
    /// URL cannot hold are percent-encoded rather than ending the path.
    #[test]
    fn urls_join_the_parsed_base_with_the_path_and_query() {
        let user = |req: &mut OperationRequest| {
            req.push_literal("v1_1/provisioning/accounts");
            req.push_account_id();
            req.push_literal("users");
            req.push_param("u 1/é?#");
        };
        assert_eq!(
            url_of("https://api.example.com/base", user),
            "https://api.example.com/base/v1_1/provisioning/accounts/acc-1/users/u%201%2F%C3%A9%3F%23"
        );
        assert_eq!(
            url_of("http://127.0.0.1:8080", user),
            "http://127.0.0.1:8080/v1_1/provisioning/accounts/acc-1/users/u%201%2F%C3%A9%3F%23"
        );
        assert_eq!(
            url_of("http://127.0.0.1:8080/", |req| {
                req.push_literal("users");
                req.query("ids", &"a b&c");
                req.query("page_size", &50u32);
            }),
            "http://127.0.0.1:8080/users?ids=a%20b%26c&page_size=50"
        );
        // No path at all is the root.
        assert_eq!(
            url_of("https://api.example.com", |_| {}),
            "https://api.example.com/"
        );
        assert_eq!(
            url_of("https://api.example.com/base", |_| {}),
            "https://api.example.com/base/"
        );
    }
}
