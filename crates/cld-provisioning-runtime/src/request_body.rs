//! Request bodies other than JSON: `application/x-www-form-urlencoded` (an object's fields as
//! pairs), `multipart/form-data` ([`Multipart`], text and file parts), and raw bytes or text
//! under the media type the spec gives.
//!
//! Every body is encoded to [`Bytes`] before the first attempt, so a retry resends exactly the
//! same bytes; this is also why multipart is encoded here rather than through reqwest's
//! streaming `multipart::Form`, which cannot be cloned for a second attempt. File parts from a
//! path or a stream are read when the call is sent, once (see [`crate::part_source`]).

use bytes::{Bytes, BytesMut};
use http::HeaderValue;
use serde::Serialize;
use serde::ser::Error as _;
use serde_json::Value;

use crate::error::{BuildError, JsonError};
use crate::part_source::{DEFAULT_MAX_PART_LEN, PartSource, PartStream};
use crate::query::QueryPairs;
use crate::request::OperationRequest;

/// How many boundaries [`Multipart`] draws before giving up on finding one that none of its
/// parts contains (with 128 random bits, the first one is all but certain to do).
const BOUNDARY_TRIES: usize = 8;

/// A `BuildError` for a body that cannot be encoded, in the shape the JSON encoder uses.
fn body_error(what: &str, message: std::fmt::Arguments<'_>) -> BuildError {
    BuildError::Serialize {
        what: what.to_owned(),
        source: JsonError::new(&serde_json::Error::custom(message)),
    }
}

/// A media type from generated code or a caller as a header value.
fn media_type(what: &str, value: &str) -> Result<HeaderValue, BuildError> {
    HeaderValue::from_str(value)
        .map_err(|_| body_error(what, format_args!("{value:?} is not a valid media type")))
}

/// A request body given whole, in one of the kinds other than a JSON or form object: what a
/// generated builder's `multipart_body`, `text_body` or `bytes_body` setter keeps.
#[derive(Clone)]
pub enum Payload {
    /// `multipart/form-data`.
    Multipart(Multipart),
    /// Bytes (or text) sent as they are under `content_type`.
    Raw {
        /// The body.
        body: Bytes,
        /// Its media type (`text/plain`, `image/png`).
        content_type: String,
    },
    /// A JSON body that is not an object with a setter per property (an array, a map, a
    /// union, a scalar), serialized when it was set; see [`Payload::json`].
    Json {
        /// The JSON text, or why the value could not be serialized (reported at send).
        body: Result<Bytes, JsonError>,
        /// Its media type when not `application/json` (`application/merge-patch+json`).
        content_type: Option<String>,
    },
}

impl Payload {
    /// A JSON body given whole, serialized now (so a retry resends the same bytes). A value
    /// that cannot be serialized makes the call fail at send with
    /// [`BuildError::Serialize`], before anything is sent.
    pub fn json<T: Serialize>(value: &T, content_type: Option<&str>) -> Self {
        Payload::Json {
            body: serde_json::to_vec(value)
                .map(Bytes::from)
                .map_err(JsonError::from),
            content_type: content_type.map(str::to_owned),
        }
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Payload::Multipart(m) => f.debug_tuple("Multipart").field(m).finish(),
            // The size only: the bytes are the caller's data.
            Payload::Raw { body, content_type } => f
                .debug_struct("Raw")
                .field("body_len", &body.len())
                .field("content_type", content_type)
                .finish(),
            Payload::Json { body, content_type } => f
                .debug_struct("Json")
                .field("body_len", &body.as_ref().map(Bytes::len))
                .field("content_type", content_type)
                .finish(),
        }
    }
}

impl OperationRequest {
    /// Sets a body given whole.
    pub fn payload(&mut self, payload: &Payload) -> Result<(), BuildError> {
        match payload {
            Payload::Multipart(form) => self.multipart_body(form),
            Payload::Raw { body, content_type } => self.raw_body(body.clone(), content_type),
            Payload::Json { body, content_type } => {
                let bytes = body.clone().map_err(|source| BuildError::Serialize {
                    what: "request body".to_owned(),
                    source,
                })?;
                match content_type {
                    Some(ct) => self.raw_body(bytes, ct),
                    None => {
                        self.pending_multipart = None;
                        self.body = Some(bytes);
                        // `None` marks a JSON body (see `OperationRequest::content_type`).
                        self.content_type = None;
                        Ok(())
                    }
                }
            }
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object: each field becomes a
    /// pair (`null` fields are left out, arrays of scalars repeat the key, nested objects and
    /// arrays holding them are sent as their JSON text). Anything but an object is an error.
    pub fn form_body<T: Serialize>(&mut self, body: &T) -> Result<(), BuildError> {
        let what = "form request body";
        let value = serde_json::to_value(body).map_err(|source| BuildError::Serialize {
            what: what.to_owned(),
            source: JsonError::from(source),
        })?;
        let Value::Object(fields) = value else {
            return Err(body_error(
                what,
                format_args!("a form body must be an object"),
            ));
        };
        let mut pairs = QueryPairs::new();
        for (name, value) in &fields {
            match value {
                Value::Array(items) if items.iter().all(is_scalar) => {
                    for item in items {
                        push_scalar(&mut pairs, name, item);
                    }
                }
                v if is_scalar(v) => push_scalar(&mut pairs, name, v),
                nested => pairs.push(name, &nested.to_string()),
            }
        }
        self.set_body(
            Bytes::from(pairs.encode()),
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        Ok(())
    }

    /// Sets a JSON body sent under another JSON media type than `application/json`
    /// (`application/merge-patch+json`, `application/vnd.example+json`).
    pub fn json_body_as<T: Serialize>(
        &mut self,
        body: &T,
        content_type: &str,
    ) -> Result<(), BuildError> {
        let content_type = media_type("request body", content_type)?;
        self.json_body(body)?;
        self.content_type = Some(content_type);
        Ok(())
    }

    /// Sets a `multipart/form-data` body. A form with file parts from a path or a stream is
    /// read and encoded when the call is sent, once for all attempts.
    pub fn multipart_body(&mut self, body: &Multipart) -> Result<(), BuildError> {
        if !body.is_in_memory() {
            self.body = None;
            self.content_type = None;
            self.pending_multipart = Some(body.clone());
            return Ok(());
        }
        let (boundary, bytes) = body.encode_fresh()?;
        let content_type = media_type(
            "multipart request body",
            &format!("multipart/form-data; boundary={boundary}"),
        )?;
        self.set_body(bytes, content_type);
        Ok(())
    }

    /// Sets a raw body sent as is under `content_type` (`application/octet-stream`,
    /// `image/png`, `text/plain`, ...).
    pub fn raw_body(
        &mut self,
        body: impl Into<Bytes>,
        content_type: &str,
    ) -> Result<(), BuildError> {
        let content_type = media_type("request body", content_type)?;
        self.set_body(body.into(), content_type);
        Ok(())
    }

    /// Sets the media types the operation's documented responses come in, sent as `Accept`
    /// (instead of `application/json`).
    pub fn set_accept(&mut self, media_types: &str) -> Result<(), BuildError> {
        self.accept = Some(media_type("Accept header", media_types)?);
        Ok(())
    }

    /// Reads the file and stream parts of a form set by [`multipart_body`](Self::multipart_body)
    /// and encodes it: called once per call, before the first attempt.
    pub(crate) async fn read_pending_parts(&mut self) -> Result<(), BuildError> {
        if let Some(form) = self.pending_multipart.take() {
            let form = form.read_parts().await?;
            self.multipart_body(&form)?;
        }
        Ok(())
    }

    fn set_body(&mut self, body: Bytes, content_type: HeaderValue) {
        self.pending_multipart = None;
        self.body = Some(body);
        self.content_type = Some(content_type);
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn push_scalar(pairs: &mut QueryPairs, name: &str, v: &Value) {
    match v {
        Value::Null => {}
        Value::String(s) => pairs.push(name, s),
        other => pairs.push(name, &other.to_string()),
    }
}

/// A `multipart/form-data` body: text fields and file parts, in the order they are added.
///
/// File parts come from bytes ([`file`](Self::file)), a path ([`file_path`](Self::file_path))
/// or a stream ([`file_stream`](Self::file_stream)). A path or a stream is read when the call
/// is sent, once: every retry resends the same bytes, a part is bounded by
/// [`max_part_len`](Self::max_part_len), and a stream can be sent once (see
/// [`crate::part_source`] for why).
///
/// ```
/// use cld_provisioning_runtime::Multipart;
///
/// let form = Multipart::new()
///     .text("folder", "avatars")
///     .file("file", b"\x89PNG...".to_vec(), "me.png", "image/png")
///     .file_path("video", "clips/intro.mp4", "intro.mp4", "video/mp4");
/// assert_eq!(form.len(), 3);
/// ```
#[derive(Clone)]
pub struct Multipart {
    parts: Vec<Part>,
    max_part_len: u64,
}

impl Default for Multipart {
    fn default() -> Self {
        Self {
            parts: Vec::new(),
            max_part_len: DEFAULT_MAX_PART_LEN,
        }
    }
}

#[derive(Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Bytes,
    /// Where `data` comes from when it is not in memory yet (`data` is then empty).
    source: Option<PartSource>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file part read from `path` when the call is sent, with the file name and media
    /// type the server is told. A missing or unreadable file fails the call before anything
    /// is sent, naming the part.
    pub fn file_path(
        self,
        name: impl Into<String>,
        path: impl Into<std::path::PathBuf>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
    ) -> Self {
        self.deferred(
            name.into(),
            PartSource::File(path.into()),
            file_name.into(),
            content_type.into(),
        )
    }

    /// Adds a file part drained from `stream` when the call is sent (into memory, up to
    /// [`max_part_len`](Self::max_part_len)), with the file name and media type the server is
    /// told. The stream is sent once: a retry resends the bytes read, and sending the form
    /// (or a clone of it) a second time fails before anything is sent.
    pub fn file_stream<S>(
        self,
        name: impl Into<String>,
        stream: S,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
    ) -> Self
    where
        S: futures_core::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    {
        let stream: PartStream = Box::pin(stream);
        self.deferred(
            name.into(),
            PartSource::Stream(std::sync::Arc::new(std::sync::Mutex::new(Some(stream)))),
            file_name.into(),
            content_type.into(),
        )
    }

    /// Bounds each file or stream part of this form (256 MiB by default,
    /// [`DEFAULT_MAX_PART_LEN`]): they are held in memory for the call.
    pub fn max_part_len(mut self, bytes: u64) -> Self {
        self.max_part_len = bytes;
        self
    }

    fn deferred(
        mut self,
        name: String,
        source: PartSource,
        file_name: String,
        content_type: String,
    ) -> Self {
        self.parts.push(Part {
            name,
            file_name: Some(file_name),
            content_type: Some(content_type),
            data: Bytes::new(),
            source: Some(source),
        });
        self
    }

    /// Whether every part is in memory, so the form can be encoded at once.
    fn is_in_memory(&self) -> bool {
        self.parts.iter().all(|p| p.source.is_none())
    }

    /// The form with every file and stream part read into memory.
    async fn read_parts(mut self) -> Result<Self, BuildError> {
        for part in &mut self.parts {
            if let Some(source) = part.source.take() {
                part.data = source.read(&part.name, self.max_part_len).await?;
            }
        }
        Ok(self)
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: Bytes::from(value.into()),
            source: None,
        });
        self
    }

    /// Adds a file part from bytes, with the file name and media type the server is told.
    pub fn file(
        mut self,
        name: impl Into<String>,
        data: impl Into<Bytes>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
            source: None,
        });
        self
    }

    /// How many parts the form holds.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form holds no part.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Encodes the form under a random boundary that no part contains.
    fn encode_fresh(&self) -> Result<(String, Bytes), BuildError> {
        for _ in 0..BOUNDARY_TRIES {
            let boundary = random_boundary();
            if !self.parts.iter().any(|p| contains(&p.data, &boundary)) {
                let bytes = self.encode(&boundary)?;
                return Ok((boundary, bytes));
            }
        }
        Err(body_error(
            "multipart request body",
            format_args!("no boundary could be found that the parts do not contain"),
        ))
    }

    /// The body under `boundary` (RFC 7578): names and file names are quoted with `"`, CR and
    /// LF percent-encoded as browsers do, so a name cannot start a header of its own.
    fn encode(&self, boundary: &str) -> Result<Bytes, BuildError> {
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.extend_from_slice(quote_param(&part.name).as_bytes());
            out.extend_from_slice(b"\"");
            if let Some(file_name) = &part.file_name {
                out.extend_from_slice(b"; filename=\"");
                out.extend_from_slice(quote_param(file_name).as_bytes());
                out.extend_from_slice(b"\"");
            }
            if let Some(ct) = &part.content_type {
                let ct = media_type(&format!("multipart part `{}`", part.name), ct)?;
                out.extend_from_slice(b"\r\nContent-Type: ");
                out.extend_from_slice(ct.as_bytes());
            }
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        Ok(out.freeze())
    }
}

impl std::fmt::Debug for Multipart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names and sizes only: the contents are the caller's data and may be secret.
        let mut list = f.debug_list();
        for p in &self.parts {
            let size = match &p.source {
                Some(source) => source.describe(),
                None => format!("{} bytes", p.data.len()),
            };
            list.entry(&format_args!(
                "{:?} ({size}{})",
                p.name,
                p.file_name
                    .as_deref()
                    .map(|n| format!(", file {n:?}"))
                    .unwrap_or_default()
            ));
        }
        list.finish()
    }
}

fn quote_param(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len().max(1))
        .any(|w| w == needle.as_bytes())
}

fn random_boundary() -> String {
    // 2 x 53 random bits from the retry jitter's generator; no cryptographic strength is needed,
    // only a string the parts are unlikely to contain (which `encode_fresh` checks anyway).
    let draw = || (crate::retry::random_unit() * (1u64 << 53) as f64) as u64;
    format!("cld-boundary-{:014x}{:014x}", draw(), draw())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{AuthMode, RetryClass};
    use http::Method;

    fn req() -> OperationRequest {
        OperationRequest::new(
            Method::POST,
            "op",
            AuthMode::Required,
            RetryClass::NonIdempotent,
        )
    }

    #[test]
    fn form_fields_become_pairs() {
        let mut r = req();
        r.form_body(&serde_json::json!({
            "name": "a b&c",
            "count": 2,
            "on": true,
            "skip": null,
            "tags": ["x", "y"],
            "meta": {"k": 1}
        }))
        .unwrap();
        assert_eq!(
            std::str::from_utf8(r.body().unwrap()).unwrap(),
            "count=2&meta=%7B%22k%22%3A1%7D&name=a%20b%26c&on=true&tags=x&tags=y"
        );
        assert_eq!(
            r.content_type.as_ref().unwrap(),
            "application/x-www-form-urlencoded"
        );
        let err = req().form_body(&[1, 2]).unwrap_err();
        assert!(err.to_string().contains("form request body"), "{err}");
    }

    #[test]
    fn multipart_encodes_text_and_file_parts() {
        let form = Multipart::new().text("folder", "a\"b").file(
            "file",
            &b"\x00\xffPNG"[..],
            "x\r\ny.png",
            "image/png",
        );
        let body = form.encode("BOUND").unwrap();
        let expected: &[u8] = b"--BOUND\r\nContent-Disposition: form-data; name=\"folder\"\r\n\r\na\"b\r\n--BOUND\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x%0D%0Ay.png\"\r\nContent-Type: image/png\r\n\r\n\x00\xffPNG\r\n--BOUND--\r\n";
        assert_eq!(&body[..], expected);
        assert!(!format!("{form:?}").contains("PNG"));

        let mut r = req();
        r.multipart_body(&form).unwrap();
        let ct = r
            .content_type
            .as_ref()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert!(
            r.body()
                .unwrap()
                .starts_with(format!("--{boundary}\r\n").as_bytes())
        );

        let bad = Multipart::new().file("f", Vec::new(), "f", "image/png\r\nX-Evil: 1");
        let err = req().multipart_body(&bad).unwrap_err();
        assert!(err.to_string().contains("multipart part `f`"), "{err}");
    }

    #[test]
    fn raw_bodies_and_accept_take_their_media_type() {
        let mut r = req();
        r.raw_body(b"\x01\x02".to_vec(), "application/octet-stream")
            .unwrap();
        assert_eq!(r.body(), Some(&b"\x01\x02"[..]));
        assert_eq!(r.content_type.as_ref().unwrap(), "application/octet-stream");
        r.set_accept("image/png, application/json").unwrap();
        assert_eq!(r.accept.as_ref().unwrap(), "image/png, application/json");
        assert!(req().raw_body("x", "text/plain\n").is_err());

        let mut r = req();
        r.json_body_as(
            &serde_json::json!({"a": null}),
            "application/merge-patch+json",
        )
        .unwrap();
        assert_eq!(r.body(), Some(&br#"{"a":null}"#[..]));
        assert_eq!(
            r.content_type.as_ref().unwrap(),
            "application/merge-patch+json"
        );
        assert!(req().json_body_as(&1, "application/json\r\n").is_err());

        let payload = Payload::Raw {
            body: Bytes::from_static(b"SECRETBYTES"),
            content_type: "text/plain".into(),
        };
        assert!(!format!("{payload:?}").contains("SECRETBYTES"));
        let mut r = req();
        r.payload(&payload).unwrap();
        assert_eq!(r.content_type.as_ref().unwrap(), "text/plain");
        r.payload(&Payload::Multipart(Multipart::new().text("a", "b")))
            .unwrap();
        assert!(
            r.content_type
                .as_ref()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("multipart/form-data; boundary=")
        );
    }
}
