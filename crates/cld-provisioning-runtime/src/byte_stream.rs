//! [`ByteStream`]: a success body handed to the caller unread, for downloads (images, video,
//! archives, `application/octet-stream`) that should not sit in memory whole.
//!
//! The transport waits for the status and headers under the attempt timeout, retries as usual
//! until a 2xx arrives, and then hands the body over: from there on nothing is retried,
//! because bytes already given to the caller cannot be taken back. A failure while the caller
//! reads (the connection cut off, the body stalling) is an item of the stream: an
//! [`Error::Transport`] with [`TransportError::body_cut_off`](crate::TransportError::body_cut_off)
//! set, or an [`Error::Timeout`] for a stall. A caller that wants to try again sends the
//! operation again.
//!
//! While the caller reads, stalled-stream protection still applies, but only to the time the
//! caller is waiting for the next chunk: time spent between polls (writing a chunk to disk) is
//! the caller's, not the server's, and never counts as a stall. The attempt timeout does not
//! bound the body, nor does the operation timeout: a 1 GiB download may take longer than 60 s.
//!
//! Interceptors' `after_response` hook sees such a response with an empty body: the body is
//! the caller's to read, and nothing of it passes through the SDK first.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use tokio::time::Instant;

use crate::error::{Error, TimeoutError, TimeoutScope, TransportError, TransportKind};
use crate::stall::{ChunkError, StallGuard, StalledStreamProtection};
use crate::transport::{BodyStalled, BodyTooLarge};

/// A response body read chunk by chunk, as a [`Stream`] of `Bytes`.
///
/// Read it with [`next_chunk`](Self::next_chunk) or any `futures` stream combinator, or
/// gather it with [`bytes`](Self::bytes) under a size limit of your choosing. Errors are
/// untyped ([`Error<()>`](Error)): after a 2xx only transport failures can happen.
pub struct ByteStream {
    chunks: BoxStream<'static, Result<Bytes, Error<()>>>,
    content_length: Option<u64>,
    /// For the errors [`bytes`](Self::bytes) reports itself.
    operation_id: &'static str,
    attempts: u32,
}

/// What a streamed body needs to read on: the response and where the read stands.
struct Reading {
    response: reqwest::Response,
    guard: StallGuard,
    operation_id: &'static str,
    attempts: u32,
    received: u64,
    /// The declared length, for a cut-off error.
    expected: Option<u64>,
    /// When the last chunk was handed to the caller: the time until the next poll is excused.
    handed_over: Instant,
    done: bool,
}

impl ByteStream {
    /// The unread body of `response`, read under `stall` protection.
    pub(crate) fn from_response(
        response: reqwest::Response,
        stall: StalledStreamProtection,
        operation_id: &'static str,
        attempts: u32,
    ) -> Self {
        let content_length = response.content_length();
        let state = Reading {
            response,
            guard: StallGuard::new(stall),
            operation_id,
            attempts,
            received: 0,
            expected: content_length,
            handed_over: Instant::now(),
            done: false,
        };
        let chunks = stream::unfold(state, |mut s| async move {
            if s.done {
                return None;
            }
            s.guard.excuse(s.handed_over.elapsed());
            let item = match s.guard.next_chunk(&mut s.response).await {
                Ok(Some(chunk)) => {
                    s.received = s.received.saturating_add(chunk.len() as u64);
                    Ok(chunk)
                }
                Ok(None) => return None,
                Err(e) => {
                    s.done = true;
                    Err(s.failure(e))
                }
            };
            s.handed_over = Instant::now();
            Some((item, s))
        });
        Self {
            chunks: chunks.boxed(),
            content_length,
            operation_id,
            attempts,
        }
    }

    /// A stream over bytes already in memory (for tests, or a body that was read whole).
    pub fn from_bytes(body: Bytes) -> Self {
        let content_length = Some(body.len() as u64);
        let chunks = stream::iter((!body.is_empty()).then_some(Ok(body)));
        Self {
            chunks: chunks.boxed(),
            content_length,
            operation_id: "",
            attempts: 1,
        }
    }

    /// The length the server declared (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error<()>>> {
        self.chunks.next().await
    }

    /// Reads the rest of the body into memory, failing with an [`Error::Transport`]
    /// ([`TransportError::is_body_too_large`](crate::TransportError::is_body_too_large)) as soon
    /// as it would hold more than `limit` bytes, or when a declared length already says so.
    pub async fn bytes(mut self, limit: usize) -> Result<Bytes, Error<()>> {
        let limit_u64 = limit as u64;
        let declared = self.content_length;
        if declared.is_some_and(|n| n > limit_u64) {
            return Err(self.too_large(limit_u64, declared));
        }
        let reserve = declared.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
        let mut body = BytesMut::with_capacity(reserve);
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            if chunk.len() > limit - body.len() {
                return Err(self.too_large(limit_u64, declared));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    /// The error for a body past `limit`.
    fn too_large(&self, limit: u64, declared: Option<u64>) -> Error<()> {
        Error::Transport(TransportError {
            operation_id: self.operation_id,
            kind: TransportKind::BodyTooLarge { limit, declared },
            attempts: self.attempts,
            source: Box::new(BodyTooLarge { limit }),
        })
    }
}

impl Reading {
    /// The error a failed read is reported as: a stall or a timeout stays a timeout, anything
    /// else means the body was cut off.
    fn failure(&self, e: ChunkError) -> Error<()> {
        let (operation_id, attempts, received) = (self.operation_id, self.attempts, self.received);
        match e {
            ChunkError::Stalled => Error::Timeout(TimeoutError {
                operation_id,
                timeout: self.guard.settings().grace_period(),
                scope: TimeoutScope::Stalled,
                connect: false,
                attempts,
                source: Box::new(BodyStalled {
                    received,
                    settings: self.guard.settings(),
                }),
            }),
            ChunkError::Http(e) => Error::Transport(TransportError {
                operation_id,
                kind: TransportKind::BodyCutOff {
                    received,
                    expected: self.expected,
                },
                attempts,
                source: Box::new(e.without_url()),
            }),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error<()>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl From<Bytes> for ByteStream {
    fn from(body: Bytes) -> Self {
        Self::from_bytes(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bytes_in_memory_come_back_whole_and_the_limit_holds() {
        let body = Bytes::from_static(b"0123456789");
        let got = ByteStream::from_bytes(body.clone())
            .bytes(10)
            .await
            .unwrap();
        assert_eq!(got, body);
        let Err(Error::Transport(t)) = ByteStream::from_bytes(body).bytes(9).await else {
            panic!("over the limit must fail")
        };
        assert!(t.is_body_too_large());
        let shown = format!(
            "{:?}",
            ByteStream::from_bytes(Bytes::from_static(b"SECRET"))
        );
        assert_eq!(shown, "ByteStream { content_length: Some(6), .. }");
        let mut empty = ByteStream::from_bytes(Bytes::new());
        assert_eq!(empty.content_length(), Some(0));
        assert!(empty.next_chunk().await.is_none());
    }
}
