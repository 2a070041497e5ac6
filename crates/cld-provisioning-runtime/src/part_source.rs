//! Where the contents of a [`Multipart`](crate::Multipart) file part come from when they are
//! not in memory (a file on disk, or a stream), and how they are read when the call is sent.
//!
//! A file or a stream is read once per call, at send time (before the first attempt), into
//! memory; every attempt then sends those same bytes. Reading the file again for a retry could
//! send other bytes than the first attempt (the file changed in between), and the server may
//! have kept part of the first; a stream cannot be read twice at all. Reading at send rather
//! than when the form is built means a builder holds no file contents and no open file while
//! it waits, and a file is read as it is when the call goes out.
//!
//! Because the contents are held in memory for the call, each part is bounded
//! ([`DEFAULT_MAX_PART_LEN`], or [`Multipart::max_part_len`](crate::Multipart::max_part_len)):
//! a file or stream past it fails the call before anything is sent. A stream can be sent once:
//! the clones of a form share it, and sending a second time fails the same way.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::error::BuildError;

/// The most a file or stream part may hold unless the form sets another bound: it is read into
/// memory for the call (see the module documentation).
pub const DEFAULT_MAX_PART_LEN: u64 = 256 * 1024 * 1024;

/// A stream of chunks for a file part, read once.
pub type PartStream = BoxStream<'static, std::io::Result<Bytes>>;

/// The contents of one part, still to be read.
#[derive(Clone)]
pub(crate) enum PartSource {
    /// A file read at send time.
    File(PathBuf),
    /// A stream drained at send time; `None` once a call has taken it.
    Stream(Arc<Mutex<Option<PartStream>>>),
}

impl PartSource {
    /// A short description for `Debug`: sizes and paths, never contents.
    pub(crate) fn describe(&self) -> String {
        match self {
            PartSource::File(path) => format!("file at {}", path.display()),
            PartSource::Stream(_) => "a stream".to_owned(),
        }
    }

    /// The contents, read now: the file whole, the stream to its end; either up to `max_len`.
    pub(crate) async fn read(&self, part: &str, max_len: u64) -> Result<Bytes, BuildError> {
        match self {
            PartSource::File(path) => read_file(part, path, max_len).await,
            PartSource::Stream(shared) => {
                // Taken out under the lock, drained without it (the guard is not `Send`).
                let taken = shared.lock().ok().and_then(|mut slot| slot.take());
                let Some(stream) = taken else {
                    return Err(part_error(
                        part,
                        "its stream was already sent (a stream can be sent once)".to_owned(),
                        None,
                    ));
                };
                drain(part, stream, max_len).await
            }
        }
    }
}

async fn read_file(part: &str, path: &PathBuf, max_len: u64) -> Result<Bytes, BuildError> {
    let failed = |e: std::io::Error| {
        part_error(
            part,
            format!("the file {} could not be read", path.display()),
            Some(e),
        )
    };
    let len = tokio::fs::metadata(path).await.map_err(failed)?.len();
    if len > max_len {
        return Err(too_long(part, max_len));
    }
    let bytes = tokio::fs::read(path).await.map_err(failed)?;
    // The file may have grown since its length was read.
    if bytes.len() as u64 > max_len {
        return Err(too_long(part, max_len));
    }
    Ok(Bytes::from(bytes))
}

async fn drain(part: &str, mut stream: PartStream, max_len: u64) -> Result<Bytes, BuildError> {
    let mut out = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| part_error(part, "its stream failed".to_owned(), Some(e)))?;
        if (out.len() + chunk.len()) as u64 > max_len {
            return Err(too_long(part, max_len));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

fn too_long(part: &str, max_len: u64) -> BuildError {
    part_error(
        part,
        format!("it holds more than {max_len} bytes, the bound for a part read into memory"),
        None,
    )
}

fn part_error(part: &str, reason: String, source: Option<std::io::Error>) -> BuildError {
    BuildError::MultipartPart {
        part: part.to_owned(),
        reason,
        source,
    }
}
