//! [`CallClock`]: the time limits of one whole call, across attempts and waits.
//!
//! Two limits sit next to the per-attempt timeout:
//! - the **operation timeout** bounds the whole call: an attempt is given at most what is left
//!   of it, and no wait starts that would end past it;
//! - the retry policy's **maximum elapsed time** only stops new retries once that much time has
//!   gone by (an attempt in flight keeps its own timeout), as in the official SDKs.

use std::time::{Duration, Instant};

/// When a call started and the limits that apply to it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallClock {
    start: Instant,
    operation_timeout: Option<Duration>,
    max_elapsed: Option<Duration>,
}

/// The time limit of the next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttemptLimit {
    /// The per-attempt timeout applies in full.
    PerAttempt(Duration),
    /// Less of the operation timeout is left than the per-attempt timeout: this much.
    OperationRemainder(Duration),
    /// The operation timeout has run out; no attempt may start.
    Expired,
}

impl CallClock {
    /// Starts the clock now.
    pub(crate) fn start(
        operation_timeout: Option<Duration>,
        max_elapsed: Option<Duration>,
    ) -> Self {
        Self {
            start: Instant::now(),
            operation_timeout,
            max_elapsed,
        }
    }

    /// The operation timeout, when one is set.
    pub(crate) fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The limit of an attempt starting now, given the per-attempt timeout.
    pub(crate) fn attempt_limit(&self, per_attempt: Duration) -> AttemptLimit {
        let Some(limit) = self.operation_timeout else {
            return AttemptLimit::PerAttempt(per_attempt);
        };
        match limit.checked_sub(self.start.elapsed()) {
            None => AttemptLimit::Expired,
            Some(left) if left.is_zero() => AttemptLimit::Expired,
            Some(left) if left < per_attempt => AttemptLimit::OperationRemainder(left),
            Some(_) => AttemptLimit::PerAttempt(per_attempt),
        }
    }

    /// Whether a retry after waiting `delay` fits: the wait ends before the operation timeout
    /// and the maximum elapsed time has not gone by.
    pub(crate) fn may_retry_after(&self, delay: Duration) -> bool {
        let elapsed = self.start.elapsed();
        let after_wait = elapsed.saturating_add(delay);
        let within_operation = self
            .operation_timeout
            .is_none_or(|limit| after_wait < limit);
        let within_elapsed = self.max_elapsed.is_none_or(|limit| elapsed < limit);
        within_operation && within_elapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn without_limits_everything_fits() {
        let clock = CallClock::start(None, None);
        assert_eq!(
            clock.attempt_limit(MS * 5),
            AttemptLimit::PerAttempt(MS * 5)
        );
        assert!(clock.may_retry_after(Duration::MAX));
    }

    #[test]
    fn the_operation_timeout_shortens_attempts_and_refuses_long_waits() {
        let clock = CallClock::start(Some(Duration::from_secs(60)), None);
        assert_eq!(clock.attempt_limit(MS), AttemptLimit::PerAttempt(MS));
        match clock.attempt_limit(Duration::from_secs(120)) {
            AttemptLimit::OperationRemainder(left) => assert!(left <= Duration::from_secs(60)),
            other => panic!("{other:?}"),
        }
        assert!(clock.may_retry_after(Duration::from_secs(1)));
        assert!(!clock.may_retry_after(Duration::from_secs(60)));
        assert!(!clock.may_retry_after(Duration::MAX), "no overflow");

        let expired = CallClock::start(Some(Duration::ZERO), None);
        assert_eq!(expired.attempt_limit(MS), AttemptLimit::Expired);
    }

    #[test]
    fn the_maximum_elapsed_time_only_stops_new_retries() {
        let clock = CallClock::start(None, Some(Duration::ZERO));
        assert_eq!(clock.attempt_limit(MS), AttemptLimit::PerAttempt(MS));
        assert!(!clock.may_retry_after(Duration::ZERO));
        let clock = CallClock::start(None, Some(Duration::from_secs(60)));
        assert!(clock.may_retry_after(Duration::from_secs(600)));
    }
}
