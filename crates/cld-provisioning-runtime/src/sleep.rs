//! [`Sleep`]: how the retry loop waits, injectable so tests never wait.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// An asynchronous sleep. The default is [`TokioSleep`]; tests pass one that records the
/// requested durations and returns at once.
///
/// Any `Fn(Duration) -> impl Future<Output = ()>` closure implements it.
pub trait Sleep: Send + Sync {
    /// Returns a future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
}

/// [`Sleep`] with `tokio::time::sleep` (needs a Tokio runtime with the time driver, which
/// reqwest's users have).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

impl<F, Fut> Sleep for F
where
    F: Fn(Duration) -> Fut + Send + Sync,
    Fut: Future<Output = ()> + Send + 'static,
{
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        Box::pin(self(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn closures_are_sleeps() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = {
            let seen = Arc::clone(&seen);
            move |d: Duration| {
                seen.lock().unwrap().push(d);
                std::future::ready(())
            }
        };
        s.sleep(Duration::from_secs(5)).await;
        assert_eq!(*seen.lock().unwrap(), vec![Duration::from_secs(5)]);
        TokioSleep.sleep(Duration::from_millis(1)).await;
    }
}
