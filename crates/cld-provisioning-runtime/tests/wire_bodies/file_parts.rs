//! Multipart file parts from a path and from a stream: read once when the call is sent, so a
//! retry resends the same bytes; a stream is sent once; a missing file, a failing stream or a
//! part past its bound fails before anything is sent, naming the part.

use bytes::Bytes;
use cld_provisioning_runtime::codegen::OperationRequest;
use cld_provisioning_runtime::http::Method;
use cld_provisioning_runtime::{BuildError, CallOptions, Error, Multipart};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{flaky_server, header_of, request};
use crate::{Sleeps, builder};

/// A file of this test process under the system's temporary directory.
fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("cld-rt-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

fn with_form(form: &Multipart) -> OperationRequest {
    let mut req = request(Method::PUT);
    req.multipart_body(form).unwrap();
    req
}

async fn send(server: &MockServer, form: &Multipart) -> Result<(), Error<()>> {
    let core = builder(server, &Sleeps::default()).build().unwrap();
    core.execute::<()>(with_form(form), CallOptions::default())
        .await
        .map(drop)
}

/// The one file part of a received body: its headers and contents, by the boundary the
/// request announced.
fn file_part(r: &wiremock::Request) -> (String, Vec<u8>) {
    let content_type = header_of(r, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let body = &r.body[..];
    let start = format!("--{boundary}\r\n").len();
    let end = body.len() - format!("\r\n--{boundary}--\r\n").len();
    let part = &body[start..end];
    let split = part.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8(part[..split].to_vec()).unwrap(),
        part[split + 4..].to_vec(),
    )
}

#[tokio::test]
async fn a_file_part_from_a_path_is_read_at_send_and_resent_unchanged_on_a_retry() {
    let server = flaky_server().await;
    // Over a megabyte, well under the default bound of a part.
    let contents: Vec<u8> = (0..=255u8).cycle().take(3 * 1024 * 1024).collect();
    let path = temp_file("clip.bin", b"old contents");
    let form = Multipart::new().file_path("file", &path, "clip.mp4", "video/mp4");
    // Written after the form was built: what is sent is the file as it is at send time.
    std::fs::write(&path, &contents).unwrap();
    send(&server, &form).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let got = server.received_requests().await.unwrap();
    assert_eq!(got.len(), 2, "one 503, then the retry");
    let (head, data) = file_part(&got[0]);
    assert_eq!(
        head,
        "Content-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\nContent-Type: video/mp4"
    );
    assert_eq!(data, contents);
    assert_eq!(got[1].body, got[0].body);
}

#[tokio::test]
async fn a_file_part_from_a_stream_is_sent_once_and_resent_from_memory_on_a_retry() {
    let server = flaky_server().await;
    let chunks: Vec<std::io::Result<Bytes>> = vec![
        Ok(Bytes::from_static(b"first ")),
        Ok(Bytes::from_static(b"second ")),
        Ok(Bytes::from_static(b"third")),
    ];
    let form = Multipart::new().file_stream(
        "upload",
        futures_util::stream::iter(chunks),
        "notes.txt",
        "text/plain",
    );
    let again = form.clone();
    send(&server, &form).await.unwrap();
    let got = server.received_requests().await.unwrap();
    assert_eq!(got.len(), 2, "one 503, then the retry");
    let (head, data) = file_part(&got[0]);
    assert!(head.contains("filename=\"notes.txt\""), "{head}");
    assert!(head.ends_with("Content-Type: text/plain"), "{head}");
    assert_eq!(data, b"first second third");
    assert_eq!(got[1].body, got[0].body);

    // The clone shares the stream, which is spent: nothing more is sent.
    let err = send(&server, &again).await.unwrap_err();
    let Error::Build(BuildError::MultipartPart { part, reason, .. }) = &err else {
        panic!("expected a multipart part error, got {err:?}")
    };
    assert_eq!(part, "upload");
    assert!(reason.contains("already sent"), "{reason}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn unreadable_parts_fail_before_anything_is_sent() {
    let server = flaky_server().await;
    let missing = Multipart::new().file_path(
        "file",
        std::env::temp_dir().join("cld-rt-no-such-file.bin"),
        "x.bin",
        "application/octet-stream",
    );
    let path = temp_file("big.bin", &[0u8; 2048]);
    let too_big = Multipart::new()
        .file_path("big", &path, "big.bin", "application/octet-stream")
        .max_part_len(1024);
    let failing_stream = Multipart::new().file_stream(
        "broken",
        futures_util::stream::iter(vec![
            Ok(Bytes::from_static(b"a")),
            Err(std::io::Error::other("disk gone")),
        ]),
        "b.bin",
        "application/octet-stream",
    );
    // One byte at a time: only a running total of the bytes finds the fourth one too many.
    let trickle = Multipart::new()
        .file_stream(
            "trickle",
            futures_util::stream::iter((0..4).map(|_| Ok(Bytes::from_static(b"x")))),
            "t.bin",
            "application/octet-stream",
        )
        .max_part_len(3);
    let long_stream = Multipart::new()
        .file_stream(
            "long",
            futures_util::stream::iter((0..2).map(|_| Ok(Bytes::from(vec![1u8; 600])))),
            "l.bin",
            "application/octet-stream",
        )
        .max_part_len(1000);
    for (form, name, why) in [
        (missing, "file", "could not be read"),
        (too_big, "big", "more than 1024 bytes"),
        (failing_stream, "broken", "stream failed"),
        (long_stream, "long", "more than 1000 bytes"),
        (trickle, "trickle", "more than 3 bytes"),
    ] {
        let err = send(&server, &form).await.unwrap_err();
        let Error::Build(BuildError::MultipartPart { part, reason, .. }) = &err else {
            panic!("expected a multipart part error, got {err:?}")
        };
        assert_eq!(part, name);
        assert!(reason.contains(why), "{reason}");
        assert!(err.to_string().contains(&format!("`{name}`")), "{err}");
    }
    std::fs::remove_file(&path).unwrap();
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn debug_shows_where_parts_come_from_never_their_contents() {
    let form = Multipart::new()
        .file("a", &b"SECRET"[..], "a.txt", "text/plain")
        .file_path("b", "/data/b.bin", "b.bin", "application/octet-stream")
        .file_stream(
            "c",
            futures_util::stream::empty::<std::io::Result<Bytes>>(),
            "c.bin",
            "application/octet-stream",
        );
    let shown = format!("{form:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("6 bytes"), "{shown}");
    assert!(shown.contains("file at /data/b.bin"), "{shown}");
    assert!(shown.contains("a stream"), "{shown}");
}

#[tokio::test]
async fn parts_of_exactly_their_bound_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let path = temp_file("exact.bin", &[9u8; 1024]);
    let file = Multipart::new()
        .file_path("exact", &path, "e.bin", "application/octet-stream")
        .max_part_len(1024);
    send(&server, &file).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    let stream = Multipart::new()
        .file_stream(
            "exact",
            futures_util::stream::iter((0..4).map(|_| Ok(Bytes::from_static(b"ab")))),
            "e.bin",
            "application/octet-stream",
        )
        .max_part_len(8);
    send(&server, &stream).await.unwrap();
    let got = server.received_requests().await.unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(file_part(&got[0]).1, [9u8; 1024]);
    assert_eq!(file_part(&got[1]).1, b"abababab");
}
