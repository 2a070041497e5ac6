//! Retry policy: [`RetryConfig`] (data), [`classify`] (a pure decision), and the backoff and
//! server-hint arithmetic. The loop that uses them is in `transport.rs`.
//!
//! What may be repeated depends on the operation's [`RetryClass`]: a create (POST) that timed
//! out or got a 5xx may already have taken effect, and repeating it makes a second product
//! environment. So non-idempotent operations are retried only when the request provably never
//! left (the connection could not be opened) or when the server said it was throttled
//! (420/429, which means it did not act).
//!
//! The settings follow what the official SDKs expose: attempts, initial and maximum interval,
//! the exponent, a maximum elapsed time, retries on connection errors on or off, the retryable
//! statuses, and a caller's own [`Classifier`] consulted first. A call that knows its write is
//! safe to repeat can opt in with [`RetryConfig::with_retry_non_idempotent`].

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};

use crate::request::RetryClass;

/// The statuses retried by default: throttling and the transient 5xx.
pub const DEFAULT_RETRYABLE_STATUSES: &[u16] = &[420, 429, 500, 502, 503, 504];

/// A caller's retry decision, consulted before the built-in one: `Some(decision)` decides,
/// `None` leaves it to the policy. It sees the operation's class and the outcome (a failing
/// status with its headers, or how the transport failed), and is never asked about a 2xx.
///
/// A classifier that answers [`Decision::Retry`] for a non-idempotent operation after a 5xx
/// or a timeout takes on the risk described at [`RetryConfig::with_retry_non_idempotent`].
#[derive(Clone)]
pub struct Classifier(Arc<ClassifyFn>);

/// The function inside a [`Classifier`].
type ClassifyFn = dyn Fn(RetryClass, &Outcome<'_>) -> Option<Decision> + Send + Sync;

impl Classifier {
    /// Wraps a function.
    pub fn new(
        f: impl Fn(RetryClass, &Outcome<'_>) -> Option<Decision> + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(f))
    }
}

impl fmt::Debug for Classifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Classifier(..)")
    }
}

/// Retry settings, per client ([`ClientBuilder::retry`](crate::ClientBuilder::retry)) or per
/// call ([`CallOptions::set_retry`](crate::CallOptions::set_retry)).
///
/// Equality compares every setting; two classifiers are equal only when they are the same one
/// (clones of one [`Classifier`]).
#[derive(Debug, Clone)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    exponent: f64,
    jitter: bool,
    max_elapsed_time: Option<Duration>,
    retry_connection_errors: bool,
    retryable_statuses: Arc<[u16]>,
    retry_throttled_never: bool,
    retry_non_idempotent: bool,
    classifier: Option<Classifier>,
}

impl PartialEq for RetryConfig {
    fn eq(&self, other: &Self) -> bool {
        let same_classifier = match (&self.classifier, &other.classifier) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(&a.0, &b.0),
            _ => false,
        };
        self.max_attempts == other.max_attempts
            && self.initial_backoff == other.initial_backoff
            && self.max_backoff == other.max_backoff
            // Bitwise: a total equality (the exponent is never NaN, see `with_exponent`).
            && self.exponent.to_bits() == other.exponent.to_bits()
            && self.jitter == other.jitter
            && self.max_elapsed_time == other.max_elapsed_time
            && self.retry_connection_errors == other.retry_connection_errors
            && self.retryable_statuses == other.retryable_statuses
            && self.retry_throttled_never == other.retry_throttled_never
            && self.retry_non_idempotent == other.retry_non_idempotent
            && same_classifier
    }
}

impl Eq for RetryConfig {}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// 3 attempts in all, exponential backoff from 1 s capped at 20 s, full jitter.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            exponent: 2.0,
            jitter: true,
            max_elapsed_time: None,
            retry_connection_errors: true,
            retryable_statuses: Arc::from(DEFAULT_RETRYABLE_STATUSES),
            retry_throttled_never: false,
            retry_non_idempotent: false,
            classifier: None,
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets the number of attempts including the first (0 is treated as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff before the first retry (multiplied by the exponent for each later one).
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Sets the longest single wait, which also caps `Retry-After`.
    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Sets the factor between successive backoffs (default 2). Values below 1, infinite or NaN
    /// are taken as 1 (a constant backoff).
    pub fn with_exponent(mut self, exponent: f64) -> Self {
        self.exponent = if exponent.is_finite() && exponent >= 1.0 {
            exponent
        } else {
            1.0
        };
        self
    }

    /// Stops retrying once `d` has gone by since the call started (an attempt in flight still
    /// runs to its own timeout). Default: no limit beyond the number of attempts.
    pub fn with_max_elapsed_time(mut self, d: Duration) -> Self {
        self.max_elapsed_time = Some(d);
        self
    }

    /// Turns retries after connection errors (could not connect, connection broken, body cut
    /// off) on or off; on by default.
    pub fn with_retry_connection_errors(mut self, retry: bool) -> Self {
        self.retry_connection_errors = retry;
        self
    }

    /// Sets the statuses worth another attempt (default [`DEFAULT_RETRYABLE_STATUSES`]). 420
    /// and 429 mean "throttled, not acted on" and are retried for every write; any other status
    /// listed is retried only for idempotent operations (and opted-in writes).
    pub fn with_retryable_statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        let mut list: Vec<u16> = statuses.into_iter().collect();
        list.sort_unstable();
        list.dedup();
        self.retryable_statuses = Arc::from(list);
        self
    }

    /// Consults `classifier` before the built-in decision (see [`Classifier`]).
    pub fn with_classifier(mut self, classifier: Classifier) -> Self {
        self.classifier = Some(classifier);
        self
    }

    /// Lets a non-idempotent operation (a POST) be retried like an idempotent one: after a
    /// retryable 5xx, a timeout or a broken connection. Off by default.
    ///
    /// **Risk**: after such a failure the server may already have acted. Retrying a create can
    /// then create a second product environment, user or access key. Opt in per call, for
    /// writes you know are safe to repeat (a create whose name is unique and which you check
    /// for afterwards), typically with `.with_retry(RetryConfig::standard()
    /// .with_retry_non_idempotent(true))` on that one request. Agent account creation keeps its
    /// own rule ([`RetryConfig::with_retry_throttled_never`]).
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Turns full jitter (a uniformly random wait up to the backoff) on or off.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Lets operations of class [`RetryClass::Never`] (agent account creation) be retried on
    /// 420/429 when the server sends `Retry-After` or `X-FeatureRateLimit-Reset`. Off by default.
    pub fn with_retry_throttled_never(mut self, retry: bool) -> Self {
        self.retry_throttled_never = retry;
        self
    }

    /// The number of attempts including the first.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest single wait.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether jitter is on.
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// Whether throttled `Never` operations may be retried.
    pub fn retry_throttled_never(&self) -> bool {
        self.retry_throttled_never
    }

    /// The factor between successive backoffs.
    pub fn exponent(&self) -> f64 {
        self.exponent
    }

    /// The time after which no new retry starts, when set.
    pub fn max_elapsed_time(&self) -> Option<Duration> {
        self.max_elapsed_time
    }

    /// Whether connection errors are retried.
    pub fn retry_connection_errors(&self) -> bool {
        self.retry_connection_errors
    }

    /// The statuses worth another attempt, sorted.
    pub fn retryable_statuses(&self) -> &[u16] {
        &self.retryable_statuses
    }

    /// Whether non-idempotent operations are retried like idempotent ones.
    pub fn retry_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The decision for `outcome` under this configuration: the caller's [`Classifier`] when
    /// it decides, else [`classify`] with this configuration's statuses, connection-error
    /// switch and opt-ins.
    pub fn classify(&self, class: RetryClass, outcome: &Outcome<'_>) -> Decision {
        if let Some(decision) = self.classifier.as_ref().and_then(|c| (c.0)(class, outcome)) {
            return decision;
        }
        let connection_error = matches!(outcome, Outcome::ConnectFailed | Outcome::Interrupted);
        if connection_error && !self.retry_connection_errors {
            return Decision::DontRetry;
        }
        if let (RetryClass::Never, true, Outcome::Response { status, headers }) =
            (class, self.retry_throttled_never, outcome)
        {
            if is_throttle(*status) && has_server_hint(headers) {
                return Decision::Retry(RetryReason::Throttled);
            }
        }
        let class = match class {
            RetryClass::NonIdempotent if self.retry_non_idempotent => RetryClass::Idempotent,
            other => other,
        };
        classify_with(class, outcome, &self.retryable_statuses)
    }

    /// The exponential backoff before retry number `retry` (1 = the first retry):
    /// `min(cap, initial * exponent^(retry-1))`, scaled by `unit` in `[0, 1]` when jitter is on.
    pub fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let exp = self.unjittered_backoff(retry);
        if self.jitter {
            // NaN would make `mul_f64` panic; treat it like the top of the range.
            let unit = if unit.is_nan() {
                1.0
            } else {
                unit.clamp(0.0, 1.0)
            };
            // Not `mul_f64`: it panics when the product does not fit a `Duration`, which happens
            // for a `Duration::MAX` cap (its seconds round up to 2^64 as an `f64`).
            Duration::try_from_secs_f64(exp.as_secs_f64() * unit).map_or(exp, |d| d.min(exp))
        } else {
            exp
        }
    }

    /// `min(cap, initial * exponent^(retry-1))`, in exact integer arithmetic when the exponent
    /// is a whole number (the default 2), saturating instead of overflowing.
    fn unjittered_backoff(&self, retry: u32) -> Duration {
        let steps = retry.saturating_sub(1);
        let exponent = self.exponent;
        let grown = if exponent.fract() == 0.0 && exponent <= f64::from(u32::MAX) {
            // Whole and at most u32::MAX (checked above), so the cast is exact.
            let factor = (exponent as u32).saturating_pow(steps);
            self.initial_backoff.saturating_mul(factor)
        } else {
            let steps = i32::try_from(steps).unwrap_or(i32::MAX);
            let secs = self.initial_backoff.as_secs_f64() * exponent.powi(steps);
            Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
        };
        grown.min(self.max_backoff)
    }

    /// The wait before retry number `retry`: the server's hint when it gave one, else the
    /// backoff; never more than the cap.
    pub fn delay(&self, retry: u32, server_hint: Option<Duration>, unit: f64) -> Duration {
        match server_hint {
            Some(hint) => hint.min(self.max_backoff),
            None => self.backoff(retry, unit),
        }
    }
}

/// What happened on one attempt, as the classifier sees it.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// A response with a non-2xx status.
    Response {
        /// The status.
        status: StatusCode,
        /// The headers (for `Retry-After`).
        headers: &'a HeaderMap,
    },
    /// The connection could not be opened (refused, DNS, connect timeout): nothing was sent.
    ConnectFailed,
    /// The attempt timed out after the request may have been sent.
    TimedOut,
    /// The connection broke after the request may have been sent.
    Interrupted,
    /// A failure that another attempt will not fix (too many redirects, a malformed response).
    OtherFailure,
}

/// Why a retry is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// 420/429: the server throttled the request and did not act on it.
    Throttled,
    /// A retryable status other than 420/429 (by default 500/502/503/504).
    ServerError,
    /// The connection could not be opened.
    ConnectFailed,
    /// The attempt timed out.
    TimedOut,
    /// The connection broke mid-request.
    Interrupted,
}

/// The classifier's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Give up and return this outcome.
    DontRetry,
    /// Another attempt may succeed (if attempts remain).
    Retry(RetryReason),
}

impl Decision {
    /// `true` for [`Decision::Retry`].
    pub fn is_retry(&self) -> bool {
        matches!(self, Decision::Retry(_))
    }
}

fn is_throttle(status: StatusCode) -> bool {
    matches!(status.as_u16(), 420 | 429)
}

/// The pure retry decision for an operation of class `class` after `outcome`.
///
/// | outcome | Idempotent | NonIdempotent | Never |
/// |---|---|---|---|
/// | 420, 429 | retry | retry | no (opt-in: [`RetryConfig::with_retry_throttled_never`]) |
/// | 500, 502, 503, 504 | retry | no | no |
/// | other status | no | no | no |
/// | connect failed | retry | retry | retry |
/// | timed out, interrupted | retry | no | no |
/// | other failure | no | no | no |
pub fn classify(class: RetryClass, outcome: &Outcome<'_>) -> Decision {
    classify_with(class, outcome, DEFAULT_RETRYABLE_STATUSES)
}

/// [`classify`] with another list of retryable statuses: 420/429 when listed are throttling,
/// any other listed status counts as a server error.
fn classify_with(class: RetryClass, outcome: &Outcome<'_>, statuses: &[u16]) -> Decision {
    use RetryClass::{Idempotent, Never, NonIdempotent};
    let reason = match outcome {
        Outcome::Response { status, .. } => match status.as_u16() {
            code if !statuses.contains(&code) => return Decision::DontRetry,
            420 | 429 => RetryReason::Throttled,
            _ => RetryReason::ServerError,
        },
        Outcome::ConnectFailed => RetryReason::ConnectFailed,
        Outcome::TimedOut => RetryReason::TimedOut,
        Outcome::Interrupted => RetryReason::Interrupted,
        Outcome::OtherFailure => return Decision::DontRetry,
    };
    let allowed = match (class, reason) {
        (_, RetryReason::ConnectFailed) => true,
        (Idempotent, _) => true,
        (NonIdempotent, RetryReason::Throttled) => true,
        (NonIdempotent | Never, _) => false,
    };
    if allowed {
        Decision::Retry(reason)
    } else {
        Decision::DontRetry
    }
}

fn has_server_hint(headers: &HeaderMap) -> bool {
    headers.contains_key(http::header::RETRY_AFTER) || headers.contains_key(RATE_LIMIT_RESET)
}

/// When Cloudinary's rate-limit window resets; read here as a wait hint and shown on responses.
pub(crate) const RATE_LIMIT_RESET: &str = "x-featureratelimit-reset";

/// How long the server asked to wait, from `Retry-After` (seconds or an HTTP date) or, on
/// 420/429, `X-FeatureRateLimit-Reset`. `None` when absent, unparsable, zero or in the past,
/// so the backoff applies instead. A wait longer than a `Duration` holds is `Duration::MAX`,
/// which [`RetryConfig::delay`] cuts to the cap. No header value makes it panic.
pub fn server_delay(status: StatusCode, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(d) = header("retry-after").and_then(|v| parse_wait(v, now)) {
        return Some(d);
    }
    if is_throttle(status) {
        return header(RATE_LIMIT_RESET).and_then(|v| parse_wait(v, now));
    }
    None
}

/// Reads delta seconds (`"120"`, `"1.5"`), a Unix timestamp (a number past 10^9) or an HTTP
/// date, relative to `now`. A wait too long for a `Duration` saturates to `Duration::MAX` (the
/// caller caps it like any other); anything unparsable, not finite or not positive is `None`.
fn parse_wait(value: &str, now: SystemTime) -> Option<Duration> {
    let now_secs = || now.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs_f64());
    let wait = if let Ok(n) = value.parse::<f64>() {
        if !n.is_finite() {
            return None;
        }
        if n > 1e9 { n - now_secs()? } else { n }
    } else {
        parse_http_date(value)? as f64 - now_secs()?
    };
    // `wait` is finite here (both operands are), so this also rules out NaN.
    if wait <= 0.0 {
        return None;
    }
    // Below a nanosecond it rounds to zero, which is no hint either.
    Some(Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX)).filter(|d| !d.is_zero())
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix seconds. The obsolete
/// RFC 850 and asctime forms are not accepted; the backoff applies then.
pub(crate) fn parse_http_date(s: &str) -> Option<i64> {
    let s = s.split_once(',').map_or(s, |(_, rest)| rest).trim();
    let mut parts = s.split_ascii_whitespace();
    let day: u8 = parts.next()?.parse().ok()?;
    let month = match parts.next()?.to_ascii_lowercase().as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    // IMF-fixdate years are exactly four digits; a longer one (a hostile
    // `Sun, 06 Nov 1000000000000 08:49:37 GMT`) is rejected before any date arithmetic.
    let year = parts.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = year.parse().ok()?;
    let mut hms = parts.next()?.split(':');
    let (h, m, sec): (u32, u32, u32) = (
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
    );
    if !matches!(parts.next(), Some("GMT" | "UTC"))
        || parts.next().is_some()
        || hms.next().is_some()
    {
        return None;
    }
    if day == 0 || day > crate::date::days_in_month(year, month) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    crate::date::unix_from_parts(year, month, day, h, m, sec)
}

/// A number in `[0, 1)` for jitter. Not cryptographic: the standard library's randomly keyed
/// SipHash over a counter and the clock is enough to spread clients apart without a `rand`
/// dependency.
pub(crate) fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(t) = SystemTime::now().duration_since(UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use RetryClass::{Idempotent, Never, NonIdempotent};

    fn status(code: u16) -> StatusCode {
        StatusCode::from_u16(code).unwrap()
    }

    #[test]
    fn classifier_table() {
        let empty = HeaderMap::new();
        let resp = |code| Outcome::Response {
            status: status(code),
            headers: &empty,
        };
        let y = true;
        let n = false;
        // (outcome, idempotent, non-idempotent, never)
        let table: Vec<(&str, Outcome<'_>, bool, bool, bool)> = vec![
            ("420", resp(420), y, y, n),
            ("429", resp(429), y, y, n),
            ("500", resp(500), y, n, n),
            ("502", resp(502), y, n, n),
            ("503", resp(503), y, n, n),
            ("504", resp(504), y, n, n),
            ("501", resp(501), n, n, n),
            ("400", resp(400), n, n, n),
            ("401", resp(401), n, n, n),
            ("404", resp(404), n, n, n),
            ("409", resp(409), n, n, n),
            ("connect", Outcome::ConnectFailed, y, y, y),
            ("timeout", Outcome::TimedOut, y, n, n),
            ("interrupted", Outcome::Interrupted, y, n, n),
            ("other", Outcome::OtherFailure, n, n, n),
        ];
        for (name, outcome, idem, non, never) in table {
            assert_eq!(
                classify(Idempotent, &outcome).is_retry(),
                idem,
                "{name} idempotent"
            );
            assert_eq!(
                classify(NonIdempotent, &outcome).is_retry(),
                non,
                "{name} non-idempotent"
            );
            assert_eq!(classify(Never, &outcome).is_retry(), never, "{name} never");
        }
        assert_eq!(
            classify(Idempotent, &resp(503)),
            Decision::Retry(RetryReason::ServerError)
        );
        assert_eq!(
            classify(NonIdempotent, &resp(420)),
            Decision::Retry(RetryReason::Throttled)
        );
    }

    #[test]
    fn never_throttled_needs_opt_in_and_a_hint() {
        let mut hinted = HeaderMap::new();
        hinted.insert("retry-after", "3".parse().unwrap());
        let mut reset = HeaderMap::new();
        reset.insert("x-featureratelimit-reset", "3".parse().unwrap());
        let bare = HeaderMap::new();
        let on = RetryConfig::standard().with_retry_throttled_never(true);
        let off = RetryConfig::standard();
        for code in [420, 429] {
            let o = |h| Outcome::Response {
                status: status(code),
                headers: h,
            };
            assert!(on.classify(Never, &o(&hinted)).is_retry());
            assert!(on.classify(Never, &o(&reset)).is_retry());
            assert!(!on.classify(Never, &o(&bare)).is_retry());
            assert!(!off.classify(Never, &o(&hinted)).is_retry());
        }
        let o503 = Outcome::Response {
            status: status(503),
            headers: &hinted,
        };
        assert!(!on.classify(Never, &o503).is_retry());
        assert!(on.classify(Never, &Outcome::ConnectFailed).is_retry());
    }

    #[test]
    fn settings_of_the_official_sdks() {
        let h = HeaderMap::new();
        let resp = |code| Outcome::Response {
            status: status(code),
            headers: &h,
        };
        // Statuses: a custom list replaces the default; 429 stays throttling (POST retried).
        let c = RetryConfig::standard().with_retryable_statuses([408, 429, 503, 408]);
        assert_eq!(c.retryable_statuses(), &[408, 429, 503]);
        assert!(c.classify(Idempotent, &resp(408)).is_retry());
        assert!(!c.classify(Idempotent, &resp(500)).is_retry());
        assert!(c.classify(NonIdempotent, &resp(429)).is_retry());
        assert!(!c.classify(NonIdempotent, &resp(408)).is_retry());
        assert!(!c.classify(Idempotent, &resp(420)).is_retry());

        // Connection errors off: neither a failed connect nor a broken one; timeouts still.
        let c = RetryConfig::standard().with_retry_connection_errors(false);
        assert!(!c.classify(Idempotent, &Outcome::ConnectFailed).is_retry());
        assert!(!c.classify(Idempotent, &Outcome::Interrupted).is_retry());
        assert!(c.classify(Idempotent, &Outcome::TimedOut).is_retry());

        // The explicit opt-in for writes; agent creation keeps its own rule.
        let c = RetryConfig::standard().with_retry_non_idempotent(true);
        for o in [resp(500), Outcome::TimedOut, Outcome::Interrupted] {
            assert!(c.classify(NonIdempotent, &o).is_retry(), "{o:?}");
            assert!(
                !RetryConfig::standard()
                    .classify(NonIdempotent, &o)
                    .is_retry()
            );
            assert!(!c.classify(Never, &o).is_retry(), "{o:?}");
        }
        assert!(!c.classify(NonIdempotent, &resp(400)).is_retry());

        // A classifier decides first, and defers with `None`.
        let c = RetryConfig::standard().with_classifier(Classifier::new(|_, o| match o {
            Outcome::Response { status, .. } if status.as_u16() == 404 => {
                Some(Decision::Retry(RetryReason::ServerError))
            }
            Outcome::Response { status, .. } if status.as_u16() == 503 => Some(Decision::DontRetry),
            _ => None,
        }));
        assert!(c.classify(Idempotent, &resp(404)).is_retry());
        assert!(!c.classify(Idempotent, &resp(503)).is_retry());
        assert!(c.classify(Idempotent, &resp(502)).is_retry());
        assert_eq!(c, c.clone());
        assert_ne!(c, RetryConfig::standard());
        assert!(format!("{c:?}").contains("Classifier(..)"));

        let c = RetryConfig::standard().with_max_elapsed_time(Duration::from_secs(5));
        assert_eq!(c.max_elapsed_time(), Some(Duration::from_secs(5)));
    }

    #[test]
    fn the_exponent_shapes_the_backoff() {
        let c = |e| {
            RetryConfig::standard()
                .with_jitter(false)
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_secs(10))
                .with_exponent(e)
        };
        let ms = |c: &RetryConfig, r| c.backoff(r, 1.0).as_millis();
        assert_eq!(
            [ms(&c(3.0), 1), ms(&c(3.0), 2), ms(&c(3.0), 3)],
            [100, 300, 900]
        );
        assert_eq!([ms(&c(1.5), 2), ms(&c(1.5), 3)], [150, 225]);
        assert_eq!(ms(&c(1.5), u32::MAX), 10_000, "saturates at the cap");
        for bad in [0.5, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(c(bad).exponent(), 1.0);
            assert_eq!(ms(&c(bad), 5), 100);
        }
        assert_eq!(ms(&c(1e300), 3), 10_000);
    }

    #[test]
    fn standard_and_disabled() {
        let s = RetryConfig::standard();
        assert_eq!(
            (
                s.max_attempts(),
                s.initial_backoff(),
                s.max_backoff(),
                s.jitter()
            ),
            (3, Duration::from_secs(1), Duration::from_secs(20), true)
        );
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(RetryConfig::default(), s);
        assert_eq!(s.with_max_attempts(0).max_attempts(), 1);
    }

    #[test]
    fn backoff_bounds() {
        let no_jitter = RetryConfig::standard().with_jitter(false);
        let secs = |n| no_jitter.backoff(n, 0.5).as_secs();
        assert_eq!(
            [
                secs(1),
                secs(2),
                secs(3),
                secs(4),
                secs(5),
                secs(6),
                secs(40)
            ],
            [1, 2, 4, 8, 16, 20, 20]
        );

        let jitter = RetryConfig::standard();
        for retry in 1..10 {
            let ceiling = no_jitter.backoff(retry, 1.0);
            assert_eq!(jitter.backoff(retry, 0.0), Duration::ZERO);
            assert_eq!(jitter.backoff(retry, 1.0), ceiling);
            for _ in 0..50 {
                let d = jitter.backoff(retry, random_unit());
                assert!(d <= ceiling && d <= Duration::from_secs(20), "{d:?}");
            }
        }
        // Out-of-range units are clamped rather than trusted.
        assert_eq!(jitter.backoff(1, 7.0), Duration::from_secs(1));
        assert_eq!(jitter.backoff(1, -1.0), Duration::ZERO);
        assert_eq!(jitter.backoff(1, f64::NAN), Duration::from_secs(1));
        assert_eq!(jitter.backoff(1, f64::INFINITY), Duration::from_secs(1));
    }

    #[test]
    fn delay_prefers_the_hint_but_never_passes_the_cap() {
        let c = RetryConfig::standard();
        assert_eq!(
            c.delay(1, Some(Duration::from_secs(7)), 0.0),
            Duration::from_secs(7)
        );
        assert_eq!(
            c.delay(1, Some(Duration::from_secs(600)), 0.0),
            Duration::from_secs(20)
        );
        assert_eq!(c.delay(1, None, 1.0), Duration::from_secs(1));
    }

    #[test]
    fn random_unit_is_in_range_and_varies() {
        let xs: Vec<f64> = (0..100).map(|_| random_unit()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(xs.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn retry_after_parsing() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        let with = |name: &str, v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
            h
        };
        let cases: &[(u16, &str, &str, Option<Duration>)] = &[
            (503, "retry-after", "1", Some(Duration::from_secs(1))),
            (429, "retry-after", " 120 ", Some(Duration::from_secs(120))),
            (429, "retry-after", "1.5", Some(Duration::from_millis(1500))),
            (
                503,
                "retry-after",
                "Sun, 06 Nov 1994 08:49:47 GMT",
                Some(Duration::from_secs(10)),
            ),
            (503, "retry-after", "Sun, 06 Nov 1994 08:49:30 GMT", None), // in the past
            (503, "retry-after", "0", None),
            (503, "retry-after", "-5", None),
            (503, "retry-after", "soon", None),
            (503, "retry-after", "NaN", None),
            (
                420,
                "x-featureratelimit-reset",
                "Sun, 06 Nov 1994 09:00:00 GMT",
                Some(Duration::from_secs(623)),
            ),
            (
                429,
                "x-featureratelimit-reset",
                "30",
                Some(Duration::from_secs(30)),
            ),
            // The reset header describes the quota, not this failure, unless throttled.
            (503, "x-featureratelimit-reset", "30", None),
            // Too long for a `Duration`: saturated (the caller caps it), never a panic.
            (503, "retry-after", "1e300", Some(Duration::MAX)),
            (
                429,
                "x-featureratelimit-reset",
                "99999999999999999999999",
                Some(Duration::MAX),
            ),
            // A date whose year overflows the date arithmetic is unparsable.
            (
                503,
                "retry-after",
                "Sun, 06 Nov 1000000000000 08:49:37 GMT",
                None,
            ),
        ];
        for (code, name, value, want) in cases {
            assert_eq!(
                server_delay(status(*code), &with(name, value), now),
                *want,
                "{name}: {value}"
            );
        }
        assert_eq!(server_delay(status(503), &HeaderMap::new(), now), None);

        // A number past 10^9 is a Unix timestamp, not a delay.
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let h = with("x-featureratelimit-reset", "1700000012");
        assert_eq!(
            server_delay(status(429), &h, now),
            Some(Duration::from_secs(12))
        );
        let h = with("retry-after", "1699999999");
        assert_eq!(server_delay(status(429), &h, now), None);
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Sun, 06 nov 1994 08:49:37 UTC"),
            Some(784_111_777)
        );
        for bad in [
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "",
            // Years other than four digits, the first of which overflowed `days_from_civil`.
            "Sun, 06 Nov 1000000000000 08:49:37 GMT",
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
            "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
            "Sun, 06 Nov +1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 4294967295:4294967295:4294967295 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(253_402_300_799)
        );
        assert_eq!(
            parse_http_date("Sat, 01 Jan 0000 00:00:00 GMT"),
            Some(-62_167_219_200)
        );
    }

    #[test]
    fn every_setting_reads_back_as_set() {
        let s = RetryConfig::standard();
        assert_eq!(
            (
                s.jitter(),
                s.retry_throttled_never(),
                s.exponent(),
                s.retry_connection_errors(),
                s.retry_non_idempotent(),
            ),
            (true, false, 2.0, true, false)
        );
        let c = s
            .with_jitter(false)
            .with_retry_throttled_never(true)
            .with_exponent(3.0)
            .with_retry_connection_errors(false)
            .with_retry_non_idempotent(true);
        assert_eq!(
            (
                c.jitter(),
                c.retry_throttled_never(),
                c.exponent(),
                c.retry_connection_errors(),
                c.retry_non_idempotent(),
            ),
            (false, true, 3.0, false, true)
        );
    }

    #[test]
    fn a_number_of_exactly_ten_to_the_ninth_is_still_a_delay() {
        // 10^9 s is the last number read as a delay (about 31 years, cut to the cap later);
        // only numbers past it are Unix timestamps.
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert("retry-after", "1000000000".parse().unwrap());
        assert_eq!(
            server_delay(status(503), &h, now),
            Some(Duration::from_secs(1_000_000_000))
        );
    }

    #[test]
    fn http_dates_in_every_month_and_at_the_edges_of_the_clock() {
        // The first of each month of 1970 (not a leap year), with its day of the year.
        let months = [
            ("Thu", "Jan", 1),
            ("Sun", "Feb", 32),
            ("Sun", "Mar", 60),
            ("Wed", "Apr", 91),
            ("Fri", "May", 121),
            ("Mon", "Jun", 152),
            ("Wed", "Jul", 182),
            ("Sat", "Aug", 213),
            ("Tue", "Sep", 244),
            ("Thu", "Oct", 274),
            ("Sun", "Nov", 305),
            ("Tue", "Dec", 335),
        ];
        for (weekday, month, day_of_year) in months {
            let date = format!("{weekday}, 01 {month} 1970 00:00:00 GMT");
            assert_eq!(
                parse_http_date(&date),
                Some((day_of_year - 1) * 86_400),
                "{date}"
            );
        }
        // A leap second is accepted; an hour, minute or second past its range is not.
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 23:59:60 GMT"),
            Some(86_400)
        );
        for bad in [
            "Thu, 01 Jan 1970 24:00:00 GMT",
            "Thu, 01 Jan 1970 00:60:00 GMT",
            "Thu, 01 Jan 1970 00:00:61 GMT",
            // Anything after the zone, or a fourth part in the time.
            "Thu, 01 Jan 1970 00:00:00 GMT extra",
            "Thu, 01 Jan 1970 00:00:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    /// Property-style: many hostile header values (fixed edge cases plus a deterministic
    /// pseudo-random batch) go through `Retry-After` / `X-FeatureRateLimit-Reset` parsing and
    /// then the delay computation under extreme configurations. Nothing may panic, a parsed
    /// hint is positive, and no delay is ever longer than the configured cap.
    #[test]
    fn hostile_hints_and_backoffs_never_panic_and_respect_the_cap() {
        // xorshift64: deterministic, so a failure reproduces.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values: Vec<String> = Vec::new();
        for year in [
            "1000000000000",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551616",
            "99999",
            "0000",
            "9999",
            "-1",
            "+1994",
        ] {
            values.push(format!("Sun, 06 Nov {year} 08:49:37 GMT"));
        }
        for n in [
            "18446744073709551615",
            "18446744073709551616",
            "9223372036854775807",
            "-9223372036854775808",
            "1e308",
            "-1e308",
            "1.7976931348623157e308",
            "1e-320",
            "4.9e-324",
            "NaN",
            "inf",
            "-inf",
            "+5",
            "-0",
            "0.000000001",
            "0.0000000001",
            "999999999999999999999999999999",
            "1000000000.5",
            "",
            "Sun, 06 Nov 1994 99:99:99 GMT",
            "Sun, 255 Nov 1994 08:49:37 GMT",
        ] {
            values.push(n.to_owned());
        }
        for _ in 0..400 {
            let r = next();
            values.push(match r % 4 {
                0 => next().to_string(),
                1 => i64::from_ne_bytes(next().to_ne_bytes()).to_string(),
                2 => format!(
                    "Sun, {:02} Nov {} {:02}:{:02}:{:02} GMT",
                    next() % 40,
                    i64::from_ne_bytes(next().to_ne_bytes()) >> (next() % 64),
                    next() % 30,
                    next() % 70,
                    next() % 70
                ),
                _ => format!("{:e}", f64::from_bits(next())),
            });
        }
        let nows: Vec<SystemTime> = [0, 1_700_000_000, 1 << 40]
            .into_iter()
            .filter_map(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s)))
            .chain(UNIX_EPOCH.checked_sub(Duration::from_secs(1_000)))
            .collect();
        let configs = [
            RetryConfig::standard(),
            RetryConfig::standard().with_jitter(false),
            RetryConfig::standard()
                .with_initial_backoff(Duration::MAX)
                .with_max_backoff(Duration::MAX),
            RetryConfig::standard()
                .with_jitter(false)
                .with_initial_backoff(Duration::MAX)
                .with_max_backoff(Duration::MAX),
            RetryConfig::standard().with_max_backoff(Duration::ZERO),
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_nanos(1))
                .with_max_backoff(Duration::MAX),
        ];

        let mut hints = 0;
        for value in &values {
            let Ok(header_value) = http::HeaderValue::from_str(value) else {
                continue;
            };
            for name in ["retry-after", "x-featureratelimit-reset"] {
                let mut headers = HeaderMap::new();
                headers.insert(name, header_value.clone());
                for code in [420, 429, 503] {
                    for now in &nows {
                        let hint = server_delay(status(code), &headers, *now);
                        if let Some(h) = hint {
                            hints += 1;
                            assert!(h > Duration::ZERO, "{name}: {value}");
                        }
                        for c in &configs {
                            let d = c.delay(1, hint, 0.5);
                            assert!(d <= c.max_backoff(), "{name}: {value} -> {d:?}");
                            if let Some(h) = hint {
                                assert_eq!(d, h.min(c.max_backoff()), "{name}: {value}");
                            }
                        }
                    }
                }
            }
        }
        // The batch really exercised the parser, not only its rejections.
        assert!(hints > 100, "{hints}");

        let units = [
            0.0,
            0.5,
            1.0,
            1.0 - f64::EPSILON,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            7.0,
            random_unit(),
        ];
        for c in &configs {
            for retry in [0, 1, 2, 31, 32, 33, 64, 65, u32::MAX - 1, u32::MAX] {
                let ceiling = c
                    .initial_backoff()
                    .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
                    .min(c.max_backoff());
                for unit in units {
                    let d = c.backoff(retry, unit);
                    assert!(d <= ceiling, "{c:?} retry {retry} unit {unit}: {d:?}");
                    assert_eq!(c.delay(retry, None, unit), d);
                    if !c.jitter() {
                        assert_eq!(d, ceiling);
                    }
                }
            }
        }
    }
}
