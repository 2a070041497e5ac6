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
    buf: Vec<u8>,
    limit: usize,
}

/// The body would pass the buffer's limit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OverLimit;

impl BodyBuffer {
    /// An empty buffer for at most `limit` bytes, with room for `expected` bytes (a declared
    /// length, at most `limit`) up front, so a body of known length is copied once.
    pub(crate) fn new(limit: usize, expected: Option<u64>) -> Self {
        let reserve = expected
            .and_then(|n| usize::try_from(n).ok())
            .map_or(0, |n| n.min(limit));
        Self {
            buf: Vec::with_capacity(reserve),
            limit,
        }
    }

    /// The bytes read so far.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Appends `chunk`, or refuses it (keeping what was read) when the body would pass the
    /// limit. The capacity at least doubles when it must grow, but never beyond the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), OverLimit> {
        let needed = self
            .buf
            .len()
            .checked_add(chunk.len())
            .filter(|&n| n <= self.limit)
            .ok_or(OverLimit)?;
        if needed > self.buf.capacity() {
            let target = needed
                .max(self.buf.capacity().saturating_mul(2))
                .min(self.limit);
            self.buf.reserve_exact(target - self.buf.len());
        }
        self.buf.extend_from_slice(chunk);
        Ok(())
    }

    /// The body read.
    pub(crate) fn into_bytes(self) -> Bytes {
        Bytes::from(self.buf)
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
            b.push(&[7; 10]).unwrap();
            capacities.push(b.buf.capacity());
        }
        // Doubling from the first chunk, then the limit where doubling would pass it.
        assert_eq!(capacities, [10, 20, 40, 40, 80, 80, 80, 80, 100, 100]);
        assert_eq!(b.len(), 100);
        assert_eq!(b.push(&[7]), Err(OverLimit));
        assert_eq!(b.len(), 100);
        assert_eq!(b.into_bytes(), Bytes::from(vec![7; 100]));
    }

    #[test]
    fn a_chunk_past_the_limit_is_refused_before_anything_is_allocated_for_it() {
        let mut b = BodyBuffer::new(64, None);
        b.push(b"abc").unwrap();
        let before = b.buf.capacity();
        assert_eq!(b.push(&[0; 62]), Err(OverLimit));
        assert_eq!((b.len(), b.buf.capacity()), (3, before));
        b.push(&[0; 61]).unwrap();
        assert_eq!(b.len(), 64);
    }

    #[test]
    fn a_declared_length_is_reserved_up_to_the_limit() {
        assert_eq!(BodyBuffer::new(100, Some(40)).buf.capacity(), 40);
        assert_eq!(BodyBuffer::new(100, Some(u64::MAX)).buf.capacity(), 100);
        assert_eq!(BodyBuffer::new(100, None).buf.capacity(), 0);
        // A declared length that proves short only costs growing as without one.
        let mut b = BodyBuffer::new(100, Some(4));
        b.push(b"abcdef").unwrap();
        assert_eq!(b.into_bytes(), Bytes::from_static(b"abcdef"));
    }
}
