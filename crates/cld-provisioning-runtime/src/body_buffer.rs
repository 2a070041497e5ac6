//! [`BodyBuffer`]: a success body read into memory, never allocated past its limit.
//!
//! A body without a declared length grows as it arrives. Left to `Vec`'s doubling, a body
//! refused at the 64 MiB cap could have asked for a 128 MiB buffer on its way there and held
//! the old and the new one during the copy; here growth doubles but stops at the limit, and a
//! chunk that would pass the limit is refused before anything is allocated for it.

use bytes::Bytes;

/// A body being read, at most `limit` bytes.
#[derive(Debug)]
pub(crate) struct BodyBuffer {
    /// The first chunk, kept as it came: a body that arrives in one chunk (most small
    /// responses) is handed on without a copy.
    first: Option<Bytes>,
    /// Every chunk, once a second one has arrived.
    buf: Vec<u8>,
    /// The room a declared length asks for, taken when the chunks are first joined.
    reserve: usize,
    limit: usize,
}

/// The body would pass the buffer's limit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OverLimit;

impl BodyBuffer {
    /// An empty buffer for at most `limit` bytes, with room for `expected` bytes (a declared
    /// length, at most `limit`) when chunks are joined, so a body of known length is copied
    /// once at most.
    pub(crate) fn new(limit: usize, expected: Option<u64>) -> Self {
        let reserve = expected
            .and_then(|n| usize::try_from(n).ok())
            .map_or(0, |n| n.min(limit));
        Self {
            first: None,
            buf: Vec::new(),
            reserve,
            limit,
        }
    }

    /// The bytes read so far.
    pub(crate) fn len(&self) -> usize {
        self.first.as_ref().map_or(0, Bytes::len) + self.buf.len()
    }

    /// Appends `chunk`, or refuses it (keeping what was read) when the body would pass the
    /// limit. The capacity at least doubles when it must grow, but never beyond the limit.
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<(), OverLimit> {
        let needed = self
            .len()
            .checked_add(chunk.len())
            .filter(|&n| n <= self.limit)
            .ok_or(OverLimit)?;
        if self.first.is_none() && self.buf.is_empty() {
            self.first = Some(chunk);
            return Ok(());
        }
        if let Some(first) = self.first.take() {
            // Joining starts: the declared length when it holds both, else doubling as if
            // the first chunk had been a buffer of its own size.
            let target = if needed <= self.reserve {
                self.reserve
            } else {
                needed.max(first.len().saturating_mul(2)).min(self.limit)
            };
            self.buf.reserve_exact(target);
            self.buf.extend_from_slice(&first);
        }
        if needed > self.buf.capacity() {
            let target = needed
                .max(self.buf.capacity().saturating_mul(2))
                .min(self.limit);
            self.buf.reserve_exact(target - self.buf.len());
        }
        self.buf.extend_from_slice(&chunk);
        Ok(())
    }

    /// The body read.
    pub(crate) fn into_bytes(self) -> Bytes {
        match self.first {
            Some(first) => first,
            None => Bytes::from(self.buf),
        }
    }

    /// The room the body takes or has reserved: the first chunk's size while it is alone.
    #[cfg(test)]
    fn capacity(&self) -> usize {
        self.first.as_ref().map_or(self.buf.capacity(), Bytes::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_by_doubling_up_to_the_limit_and_no_further() {
        let mut b = BodyBuffer::new(100, None);
        let mut capacities = Vec::new();
        for _ in 0..10 {
            b.push(Bytes::from_static(&[7; 10])).unwrap();
            capacities.push(b.capacity());
        }
        // Doubling from the first chunk, then the limit where doubling would pass it.
        assert_eq!(capacities, [10, 20, 40, 40, 80, 80, 80, 80, 100, 100]);
        assert_eq!(b.len(), 100);
        assert_eq!(b.push(Bytes::from_static(&[7])), Err(OverLimit));
        assert_eq!(b.len(), 100);
        assert_eq!(b.into_bytes(), Bytes::from(vec![7; 100]));
    }

    #[test]
    fn a_chunk_past_the_limit_is_refused_before_anything_is_allocated_for_it() {
        let mut b = BodyBuffer::new(64, None);
        b.push(Bytes::from_static(b"abc")).unwrap();
        let before = b.capacity();
        assert_eq!(b.push(Bytes::from_static(&[0; 62])), Err(OverLimit));
        assert_eq!((b.len(), b.capacity()), (3, before));
        b.push(Bytes::from_static(&[0; 61])).unwrap();
        assert_eq!(b.len(), 64);
    }

    #[test]
    fn a_declared_length_is_reserved_up_to_the_limit() {
        // The room is taken when a second chunk arrives: exactly the declared length.
        let joined = |limit, declared, chunks: &[&'static [u8]]| {
            let mut b = BodyBuffer::new(limit, declared);
            for chunk in chunks {
                b.push(Bytes::from_static(chunk)).unwrap();
            }
            b.capacity()
        };
        assert_eq!(joined(100, Some(40), &[&[1; 30], &[2; 10]]), 40);
        assert_eq!(joined(100, Some(u64::MAX), &[&[1; 3], &[2; 3]]), 100);
        assert_eq!(joined(100, None, &[&[1; 3], &[2; 4]]), 7);
        assert_eq!(joined(100, None, &[&[1; 3], &[2; 1]]), 6);
        // A declared length that proves short only costs growing as without one.
        let mut b = BodyBuffer::new(100, Some(4));
        b.push(Bytes::from_static(b"abc")).unwrap();
        b.push(Bytes::from_static(b"def")).unwrap();
        assert_eq!(b.capacity(), 6);
        assert_eq!(b.into_bytes(), Bytes::from_static(b"abcdef"));
    }

    #[test]
    fn a_body_in_one_chunk_is_handed_on_without_a_copy() {
        let chunk = Bytes::from(vec![9u8; 4096]);
        let mut b = BodyBuffer::new(8192, Some(4096));
        b.push(chunk.clone()).unwrap();
        assert_eq!(b.len(), 4096);
        let body = b.into_bytes();
        assert_eq!(body.as_ptr(), chunk.as_ptr());
        // Two chunks are joined in order.
        let mut b = BodyBuffer::new(8192, None);
        b.push(Bytes::from_static(b"ab")).unwrap();
        b.push(Bytes::from_static(b"")).unwrap();
        b.push(Bytes::from_static(b"cd")).unwrap();
        assert_eq!(b.len(), 4);
        assert_eq!(b.into_bytes(), Bytes::from_static(b"abcd"));
    }
}
