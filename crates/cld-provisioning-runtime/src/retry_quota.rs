//! [`RetryQuota`]: a client-wide budget for retries, the token bucket of the AWS SDKs'
//! standard retry mode.
//!
//! Each call's own policy allows a few retries; a client shared by many tasks against a server
//! in trouble would still multiply its load by that many. The quota makes the client back off
//! as a whole: a retry first takes tokens from a bucket shared by all clones of the client
//! (more for a timeout or a broken connection, which say the most about an ailing server);
//! when the bucket cannot pay, the call returns its last outcome instead of retrying. A call
//! that succeeds after retrying gives back what its last retry took, and one that succeeds at
//! once adds a token, so the bucket refills as the server recovers. Failures keep what they
//! took.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::retry::RetryReason;

/// A client-wide retry budget
/// ([`ClientBuilder::retry_quota`](crate::ClientBuilder::retry_quota)); clones share one
/// bucket.
#[derive(Clone, Debug)]
pub struct RetryQuota {
    bucket: Option<Arc<AtomicU32>>,
    capacity: u32,
    retry_cost: u32,
    timeout_retry_cost: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self::standard()
    }
}

impl PartialEq for RetryQuota {
    /// Equal settings; the tokens left are not compared.
    fn eq(&self, other: &Self) -> bool {
        (
            self.bucket.is_some(),
            self.capacity,
            self.retry_cost,
            self.timeout_retry_cost,
        ) == (
            other.bucket.is_some(),
            other.capacity,
            other.retry_cost,
            other.timeout_retry_cost,
        )
    }
}

impl RetryQuota {
    /// The AWS standard mode's values: 500 tokens, 5 per retry, 10 per retry after a timeout
    /// or a broken connection.
    pub fn standard() -> Self {
        Self::new(500, 5, 10)
    }

    /// A bucket of `capacity` tokens, `retry_cost` per retry and `timeout_retry_cost` per retry
    /// after a timeout or a connection failure.
    pub fn new(capacity: u32, retry_cost: u32, timeout_retry_cost: u32) -> Self {
        Self {
            bucket: Some(Arc::new(AtomicU32::new(capacity))),
            capacity,
            retry_cost,
            timeout_retry_cost,
        }
    }

    /// No client-wide budget: each call retries as its policy allows.
    pub fn unlimited() -> Self {
        Self {
            bucket: None,
            ..Self::standard()
        }
    }

    /// The tokens left (`None` when unlimited).
    pub fn available(&self) -> Option<u32> {
        self.bucket.as_ref().map(|b| b.load(Ordering::SeqCst))
    }

    /// The tokens a retry for `reason` costs.
    fn cost(&self, reason: RetryReason) -> u32 {
        match reason {
            RetryReason::TimedOut | RetryReason::Interrupted | RetryReason::ConnectFailed => {
                self.timeout_retry_cost
            }
            RetryReason::Throttled | RetryReason::ServerError => self.retry_cost,
        }
    }

    /// Takes the cost of a retry for `reason`: `Some(tokens taken)`, or `None` when the
    /// bucket cannot pay and the retry must not happen.
    pub(crate) fn try_acquire(&self, reason: RetryReason) -> Option<u32> {
        let Some(bucket) = &self.bucket else {
            return Some(0);
        };
        let cost = self.cost(reason);
        bucket
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded: it gives back what its last retry took (`last_retry_cost`), or one
    /// token when it did not retry. Never above the capacity.
    pub(crate) fn on_success(&self, last_retry_cost: Option<u32>) {
        let Some(bucket) = &self.bucket else {
            return;
        };
        let refund = last_retry_cost.unwrap_or(1);
        let _ = bucket.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            Some(left.saturating_add(refund).min(self.capacity))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_spend_and_successes_refill() {
        let q = RetryQuota::new(20, 5, 10);
        assert_eq!(q.try_acquire(RetryReason::TimedOut), Some(10));
        assert_eq!(q.try_acquire(RetryReason::ServerError), Some(5));
        assert_eq!(q.available(), Some(5));
        assert_eq!(q.try_acquire(RetryReason::Interrupted), None, "10 > 5 left");
        assert_eq!(q.try_acquire(RetryReason::Throttled), Some(5));
        assert_eq!(q.try_acquire(RetryReason::Throttled), None);
        q.on_success(Some(5));
        q.on_success(None);
        assert_eq!(q.available(), Some(6));
        for _ in 0..100 {
            q.on_success(Some(10));
        }
        assert_eq!(q.available(), Some(20), "never above the capacity");
    }

    #[test]
    fn clones_share_the_bucket_and_unlimited_never_refuses() {
        let q = RetryQuota::new(5, 5, 5);
        let clone = q.clone();
        assert!(clone.try_acquire(RetryReason::ServerError).is_some());
        assert_eq!(q.available(), Some(0));
        assert_eq!(q, RetryQuota::new(5, 5, 5));
        let u = RetryQuota::unlimited();
        assert_eq!(u.available(), None);
        for _ in 0..1000 {
            assert_eq!(u.try_acquire(RetryReason::TimedOut), Some(0));
        }
        assert_ne!(u, RetryQuota::standard());
    }
}
