//! Success bodies of every kind: JSON, text, raw bytes and none, and [`SuccessBody`], the
//! status-to-body map an operation with several differently shaped success responses
//! implements (generated as an enum with one variant per documented status).
//!
//! Generated code stays thin: it picks one of [`RawResponse::into_json`],
//! [`RawResponse::into_text`], [`RawResponse::into_bytes`], [`RawResponse::into_unit`] or, for
//! several success shapes, [`RawResponse::into_success`] with a `match` on the status that
//! calls the decoders of this module.
//!
//! Bodies are read whole (up to [`MAX_RESPONSE_BODY`](crate::MAX_RESPONSE_BODY)) before they are
//! decoded, so the retry loop decides on a complete response; a download asked for with
//! [`OperationRequest::stream_success_body`](crate::request::OperationRequest::stream_success_body) is
//! handed over unread instead, as a [`ByteStream`] ([`RawResponse::into_stream`]).

use bytes::Bytes;
use serde::de::{DeserializeOwned, Error as _};

use crate::byte_stream::ByteStream;
use crate::error::{Error, OperationError};
use crate::response::{RawResponse, Response};

/// A value decoded from a 2xx response whose shape depends on the status: the generated
/// `<Operation>Response` enums implement it.
pub trait SuccessBody: Sized {
    /// Decodes the body of a 2xx response with `status`; `None` when the operation documents
    /// no success response for that status (it then becomes [`Error::UnexpectedStatus`]).
    fn from_status(status: u16, body: &Bytes) -> Option<Result<Self, serde_json::Error>>;
}

/// Decodes a JSON body. An empty (or all-whitespace) body decodes as JSON `null`, which only
/// types such as `Option<T>`, `()` or `Value` accept.
pub fn json<T: DeserializeOwned>(body: &Bytes) -> Result<T, serde_json::Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice(b"null")
    } else {
        serde_json::from_slice(body)
    }
}

/// Decodes a text body: it must be UTF-8 (a body in another charset is reported, not
/// garbled).
pub fn text(body: &Bytes) -> Result<String, serde_json::Error> {
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(serde_json::Error::custom(format_args!(
            "the text body is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))),
    }
}

impl RawResponse {
    /// Decodes a 2xx body with `decode`; a failing status becomes [`RawResponse::into_error`],
    /// a body `decode` rejects an [`Error::Decode`] that keeps the (bounded) raw bytes.
    pub(crate) fn decode_with<T, E: OperationError>(
        self,
        decode: impl FnOnce(&Bytes) -> Option<Result<T, serde_json::Error>>,
    ) -> Result<Response<T>, Error<E>> {
        if !self.status.is_success() {
            return Err(self.into_error());
        }
        match decode(&self.body) {
            Some(Ok(value)) => Ok(Response::new(
                self.status,
                self.headers,
                self.attempts,
                value,
            )),
            // A 2xx the operation does not document: reported with its body, like a failing
            // status nobody documented.
            None => Err(self.into_error()),
            // Masked and redacted before it is kept (the same path as a JSON body).
            Some(Err(source)) => Err(self.decode_error(&source)),
        }
    }

    /// A 2xx text body (`text/plain`, `text/html`, ...) as a `String`; a body that is not UTF-8
    /// is an [`Error::Decode`].
    pub fn into_text<E: OperationError>(self) -> Result<Response<String>, Error<E>> {
        self.decode_with(|body| Some(text(body)))
    }

    /// A 2xx body as raw bytes, whatever its media type (images, video, archives,
    /// `application/octet-stream`).
    pub fn into_bytes<E: OperationError>(self) -> Result<Response<Bytes>, Error<E>> {
        self.decode_with(|body| Some(Ok(body.clone())))
    }

    /// A 2xx body as a [`ByteStream`] the caller reads: unread when the request asked for it
    /// with [`stream_success_body`](crate::request::OperationRequest::stream_success_body), else over
    /// the bytes already read. A failing status is an error as usual (its body was read, up to
    /// [`MAX_ERROR_BODY`](crate::error::MAX_ERROR_BODY)).
    pub fn into_stream<E: OperationError>(mut self) -> Result<Response<ByteStream>, Error<E>> {
        if !self.status.is_success() {
            return Err(self.into_error());
        }
        let stream = match self.stream.take() {
            Some(stream) => stream,
            None => ByteStream::from_bytes(std::mem::take(&mut self.body)),
        };
        Ok(Response::new(
            self.status,
            self.headers,
            self.attempts,
            stream,
        ))
    }

    /// A 2xx body decoded by the status-to-body map `T`: an operation whose success statuses
    /// carry different bodies (a 200 with the resource, a 202 with a job, an empty 204). A 2xx
    /// status that `T` does not list is [`Error::UnexpectedStatus`].
    pub fn into_success<T: SuccessBody, E: OperationError>(self) -> Result<Response<T>, Error<E>> {
        let status = self.status.as_u16();
        self.decode_with(|body| T::from_status(status, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, StatusCode};

    fn raw(status: u16, body: &'static [u8]) -> RawResponse {
        RawResponse::new(
            "op",
            StatusCode::from_u16(status).unwrap(),
            HeaderMap::new(),
            Bytes::from_static(body),
            1,
        )
    }

    /// What an operation documenting `200: Value`, `202: text` and an empty `204` generates.
    #[derive(Debug, PartialEq)]
    enum Outcome {
        Ok(serde_json::Value),
        Accepted(String),
        NoContent,
    }

    impl SuccessBody for Outcome {
        fn from_status(status: u16, body: &Bytes) -> Option<Result<Self, serde_json::Error>> {
            match status {
                200 => Some(json(body).map(Self::Ok)),
                202 => Some(text(body).map(Self::Accepted)),
                204 => Some(Ok(Self::NoContent)),
                _ => None,
            }
        }
    }

    #[test]
    fn each_documented_status_decodes_its_own_body() {
        let ok = raw(200, br#"{"a":1}"#)
            .into_success::<Outcome, ()>()
            .unwrap();
        assert_eq!(ok.status().as_u16(), 200);
        assert_eq!(ok.into_inner(), Outcome::Ok(serde_json::json!({"a": 1})));
        let accepted = raw(202, b"queued").into_success::<Outcome, ()>().unwrap();
        assert_eq!(accepted.into_inner(), Outcome::Accepted("queued".into()));
        // The latent bug of a JSON 200 beside an empty 204: the 204 is "no body", not a
        // decode error.
        let none = raw(204, b"").into_success::<Outcome, ()>().unwrap();
        assert_eq!(none.into_inner(), Outcome::NoContent);
    }

    #[test]
    fn undocumented_and_failing_statuses_and_bad_bodies_are_errors() {
        assert!(matches!(
            raw(201, b"{}").into_success::<Outcome, ()>(),
            Err(Error::UnexpectedStatus(u)) if u.meta.status.as_u16() == 201
        ));
        assert!(matches!(
            raw(500, b"{}").into_success::<Outcome, ()>(),
            Err(Error::UnexpectedStatus(_))
        ));
        let Err(Error::Decode(d)) = raw(200, b"{oops").into_success::<Outcome, ()>() else {
            panic!("a broken JSON body must be a decode error")
        };
        assert_eq!(d.meta.status.as_u16(), 200);
    }

    #[test]
    fn text_must_be_utf8_and_bytes_are_kept_as_sent() {
        assert_eq!(
            raw(200, "héllo".as_bytes())
                .into_text::<()>()
                .unwrap()
                .into_inner(),
            "héllo"
        );
        let Err(Error::Decode(d)) = raw(200, b"ok\xff").into_text::<()>() else {
            panic!("invalid UTF-8 must be a decode error")
        };
        assert!(d.source.message().contains("offset 2"), "{}", d.source);
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\xff";
        assert_eq!(
            raw(200, b"\x89PNG\r\n\x1a\n\0\xff")
                .into_bytes::<()>()
                .unwrap()
                .into_inner(),
            png
        );
        assert!(matches!(
            raw(404, b"").into_bytes::<()>(),
            Err(Error::UnexpectedStatus(_))
        ));
    }

    #[test]
    fn json_reads_an_empty_body_as_null() {
        assert_eq!(
            json::<Option<u8>>(&Bytes::from_static(b" \n")).unwrap(),
            None
        );
        assert!(json::<u8>(&Bytes::new()).is_err());
    }
}
