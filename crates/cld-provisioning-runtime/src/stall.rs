//! Stalled-stream protection: a minimum throughput while a response body is read.
//!
//! The per-attempt timeout bounds an attempt as a whole, so a body that trickles a byte now and
//! then holds the call for the full timeout (60 s by default, times the attempts). Like the
//! AWS SDKs' stalled-stream protection, the transport instead checks the body's throughput in
//! windows of one grace period: when a whole window brings fewer bytes than the minimum
//! throughput allows, the read fails at once as a timeout (retried like any timeout).

use std::time::Duration;

use bytes::Bytes;
use tokio::time::Instant;

/// Stalled-stream protection settings
/// ([`ClientBuilder::stalled_stream_protection`](crate::ClientBuilder::stalled_stream_protection)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StalledStreamProtection {
    min_bytes_per_sec: u64,
    grace_period: Duration,
    enabled: bool,
}

impl Default for StalledStreamProtection {
    /// On: at least 1 byte per second, judged over 5 s windows (the AWS SDK's values), so a
    /// body that stops entirely fails after 5 s instead of at the attempt timeout.
    fn default() -> Self {
        Self::new(1, Duration::from_secs(5))
    }
}

impl StalledStreamProtection {
    /// At least `min_bytes_per_sec` on average over every window of `grace_period` (at least
    /// one millisecond; a shorter one is taken as that).
    pub fn new(min_bytes_per_sec: u64, grace_period: Duration) -> Self {
        Self {
            min_bytes_per_sec,
            grace_period: grace_period.max(Duration::from_millis(1)),
            enabled: true,
        }
    }

    /// No throughput check: only the attempt and operation timeouts bound a slow body.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }

    /// The minimum throughput, in bytes per second.
    pub fn min_bytes_per_sec(&self) -> u64 {
        self.min_bytes_per_sec
    }

    /// The length of a window.
    pub fn grace_period(&self) -> Duration {
        self.grace_period
    }

    /// Whether the check is on.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The fewest bytes a window must bring.
    fn window_minimum(&self) -> u64 {
        let bytes = self.min_bytes_per_sec as f64 * self.grace_period.as_secs_f64();
        // Finite and non-negative; `as` saturates at u64::MAX.
        bytes.ceil() as u64
    }
}

/// Why the next chunk could not be had.
pub(crate) enum ChunkError {
    /// The body brought less than the minimum over a whole window.
    Stalled,
    /// The body failed (cut off, timed out, ...).
    Http(reqwest::Error),
}

/// Tracks the current window of one body read.
pub(crate) struct StallGuard {
    settings: StalledStreamProtection,
    window_end: Instant,
    window_bytes: u64,
}

impl StallGuard {
    /// Starts the first window now.
    pub(crate) fn new(settings: StalledStreamProtection) -> Self {
        Self {
            settings,
            window_end: Instant::now() + settings.grace_period,
            window_bytes: 0,
        }
    }

    /// The next chunk of `response`'s body (`None` at its end), or [`ChunkError::Stalled`]
    /// when a whole window passes with too few bytes.
    pub(crate) async fn next_chunk(
        &mut self,
        response: &mut reqwest::Response,
    ) -> Result<Option<Bytes>, ChunkError> {
        if !self.settings.enabled {
            return response.chunk().await.map_err(ChunkError::Http);
        }
        loop {
            // `chunk()` is cancel-safe: dropping it at the window's end loses no data.
            match tokio::time::timeout_at(self.window_end, response.chunk()).await {
                Ok(Ok(Some(chunk))) => {
                    self.window_bytes = self.window_bytes.saturating_add(chunk.len() as u64);
                    if Instant::now() >= self.window_end {
                        self.close_window()?;
                    }
                    return Ok(Some(chunk));
                }
                Ok(Ok(None)) => return Ok(None),
                Ok(Err(e)) => return Err(ChunkError::Http(e)),
                Err(_) => self.close_window()?,
            }
        }
    }

    /// The settings this guard applies.
    pub(crate) fn settings(&self) -> StalledStreamProtection {
        self.settings
    }

    /// Moves the current window's end on by `idle`: time the reader spent away (between two
    /// polls of a streamed body) is not the server's to account for.
    pub(crate) fn excuse(&mut self, idle: Duration) {
        if let Some(end) = self.window_end.checked_add(idle) {
            self.window_end = end;
        }
    }

    /// Judges the window that just ended and starts the next one.
    fn close_window(&mut self) -> Result<(), ChunkError> {
        if self.window_bytes < self.settings.window_minimum() {
            return Err(ChunkError::Stalled);
        }
        self.window_bytes = 0;
        self.window_end = Instant::now() + self.settings.grace_period;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings() {
        let d = StalledStreamProtection::default();
        assert!(d.is_enabled());
        assert_eq!(
            (d.min_bytes_per_sec(), d.grace_period()),
            (1, Duration::from_secs(5))
        );
        assert_eq!(d.window_minimum(), 5);
        assert!(!StalledStreamProtection::disabled().is_enabled());
        let tiny = StalledStreamProtection::new(1000, Duration::ZERO);
        assert_eq!(tiny.min_bytes_per_sec(), 1000);
        assert_eq!(tiny.grace_period(), Duration::from_millis(1));
        assert_eq!(tiny.window_minimum(), 1);
        let huge = StalledStreamProtection::new(u64::MAX, Duration::MAX);
        assert_eq!(huge.window_minimum(), u64::MAX);
    }
}
