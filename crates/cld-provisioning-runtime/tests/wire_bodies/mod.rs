//! Request body kinds and response body kinds on the wire: what a server receives for form,
//! multipart, text and bytes bodies, and how text, bytes, an empty 204 and a status-to-body
//! map ([`SuccessBody`]) come back.

use bytes::Bytes;
use cld_provisioning_runtime::codegen::response_body::{json, text};
use cld_provisioning_runtime::codegen::{AuthMode, OperationRequest, SuccessBody};
use cld_provisioning_runtime::http::Method;
use cld_provisioning_runtime::{CallOptions, Error, Multipart, RetryClass};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{Sleeps, builder};

/// Multipart file parts from a path and from a stream.
mod file_parts;
/// Streamed success bodies.
mod streamed;

fn request(method: Method) -> OperationRequest {
    let mut req = OperationRequest::new(method, "op", AuthMode::None, RetryClass::Idempotent);
    req.push_literal("assets");
    req
}

async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/prefix/assets"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

/// A server answering PUT with one 503, then 204.
async fn flaky_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// Sends `req` and returns the one request the server received.
async fn received(server: &MockServer, req: OperationRequest) -> wiremock::Request {
    let core = builder(server, &Sleeps::default()).build().unwrap();
    core.execute::<()>(req, CallOptions::default())
        .await
        .unwrap();
    let mut got = server.received_requests().await.unwrap();
    assert_eq!(got.len(), 1);
    got.remove(0)
}

fn header_of<'r>(r: &'r wiremock::Request, name: &str) -> &'r str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_form_body_arrives_as_url_encoded_pairs() {
    let server = server_answering(204).await;
    let mut req = request(Method::POST);
    req.form_body(&serde_json::json!({"user": "a b", "tags": ["x", "y"], "none": null}))
        .unwrap();
    let got = received(&server, req).await;
    assert_eq!(
        header_of(&got, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(got.body, b"tags=x&tags=y&user=a%20b");
}

#[tokio::test]
async fn a_multipart_body_arrives_with_its_boundary_and_the_same_bytes_on_a_retry() {
    let server = flaky_server().await;
    let mut req = request(Method::PUT);
    let form = Multipart::new().text("folder", "avatars").file(
        "file",
        &b"\x89PNG\0\xff"[..],
        "me.png",
        "image/png",
    );
    req.multipart_body(&form).unwrap();
    let core = builder(&server, &Sleeps::default()).build().unwrap();
    core.execute::<()>(req, CallOptions::default())
        .await
        .unwrap();
    let got = server.received_requests().await.unwrap();
    assert_eq!(got.len(), 2, "one 503, then the retry");
    let content_type = header_of(&got[0], "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"folder\"\r\n\r\navatars\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(b"\x89PNG\0\xff");
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(got[0].body, expected);
    assert_eq!(got[1].body, got[0].body);
    assert_eq!(header_of(&got[1], "content-type"), content_type);
}

#[tokio::test]
async fn text_and_bytes_bodies_arrive_as_sent_under_their_media_type() {
    for (body, content_type) in [
        (&b"hello \xc3\xa9"[..], "text/plain"),
        (&b"\x00\x01\xfe\xff"[..], "application/octet-stream"),
    ] {
        let server = server_answering(204).await;
        let mut req = request(Method::PUT);
        req.raw_body(body.to_vec(), content_type).unwrap();
        let got = received(&server, req).await;
        assert_eq!(header_of(&got, "content-type"), content_type);
        assert_eq!(got.body, body);
    }
}

#[tokio::test]
async fn accept_names_the_documented_media_types_and_defaults_to_json() {
    let server = server_answering(204).await;
    let got = received(&server, request(Method::GET)).await;
    assert_eq!(header_of(&got, "accept"), "application/json");
    let server = server_answering(204).await;
    let mut req = request(Method::GET);
    req.set_accept("image/png, application/json").unwrap();
    let got = received(&server, req).await;
    assert_eq!(header_of(&got, "accept"), "image/png, application/json");
}

/// What the generator emits for `200: Item (JSON)`, `202: text`, `204: no body`.
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

#[tokio::test]
async fn each_success_status_decodes_to_its_own_variant_and_a_real_204_is_no_body() {
    let cases = [
        (
            ResponseTemplate::new(200).set_body_raw(r#"{"id":"a"}"#, "application/json"),
            Outcome::Ok(serde_json::json!({"id": "a"})),
        ),
        (
            ResponseTemplate::new(202).set_body_raw("queued", "text/plain"),
            Outcome::Accepted("queued".into()),
        ),
        (ResponseTemplate::new(204), Outcome::NoContent),
    ];
    for (template, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(path("/prefix/assets"))
            .respond_with(template)
            .mount(&server)
            .await;
        let core = builder(&server, &Sleeps::default()).build().unwrap();
        let value = core
            .execute::<()>(request(Method::GET), CallOptions::default())
            .await
            .unwrap()
            .into_success::<Outcome, ()>()
            .unwrap()
            .into_inner();
        assert_eq!(value, expected);
    }
    // A 2xx the operation does not document is reported, not guessed at.
    let server = server_answering(201).await;
    let core = builder(&server, &Sleeps::default()).build().unwrap();
    let err = core
        .execute::<()>(request(Method::GET), CallOptions::default())
        .await
        .unwrap()
        .into_success::<Outcome, ()>()
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus(_)), "{err:?}");
}

#[tokio::test]
async fn text_and_binary_responses_come_back_as_string_and_bytes() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\xff\xfe";
    let server = MockServer::start().await;
    Mock::given(header("accept", "image/png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(png, "image/png"))
        .mount(&server)
        .await;
    Mock::given(header("accept", "text/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("line 1\nline 2", "text/plain"))
        .mount(&server)
        .await;
    let core = builder(&server, &Sleeps::default()).build().unwrap();
    let mut req = request(Method::GET);
    req.set_accept("image/png").unwrap();
    let bytes = core
        .execute::<()>(req, CallOptions::default())
        .await
        .unwrap()
        .into_bytes::<()>()
        .unwrap();
    assert_eq!(bytes.value().as_ref(), png);
    let mut req = request(Method::GET);
    req.set_accept("text/plain").unwrap();
    let text = core
        .execute::<()>(req, CallOptions::default())
        .await
        .unwrap()
        .into_text::<()>()
        .unwrap();
    assert_eq!(text.into_inner(), "line 1\nline 2");
}

#[tokio::test]
async fn a_json_body_given_whole_arrives_as_json_under_its_media_type() {
    use cld_provisioning_runtime::Payload;
    let server = server_answering(204).await;
    let mut req = request(Method::PUT);
    req.payload(&Payload::json(&vec!["a", "b"], None)).unwrap();
    let got = received(&server, req).await;
    assert_eq!(got.body, br#"["a","b"]"#);
    assert_eq!(header_of(&got, "content-type"), "application/json");

    let server = server_answering(204).await;
    let mut req = request(Method::PATCH);
    let patch = serde_json::json!([{"op": "remove", "path": "/a"}]);
    req.payload(&Payload::json(&patch, Some("application/json-patch+json")))
        .unwrap();
    let got = received(&server, req).await;
    assert_eq!(got.body, br#"[{"op":"remove","path":"/a"}]"#);
    assert_eq!(
        header_of(&got, "content-type"),
        "application/json-patch+json"
    );
}

#[tokio::test]
async fn a_json_body_that_cannot_be_serialized_fails_before_sending() {
    use cld_provisioning_runtime::{BuildError, Payload};
    use std::collections::BTreeMap;
    // JSON object keys must be strings: a map keyed by a tuple cannot be written.
    let bad: BTreeMap<(u8, u8), u8> = BTreeMap::from([((1, 2), 3)]);
    let payload = Payload::json(&bad, None);
    assert!(format!("{payload:?}").starts_with("Json { body_len: Err("));
    let mut req = request(Method::PUT);
    let err = req.payload(&payload).unwrap_err();
    assert!(
        matches!(&err, BuildError::Serialize { what, .. } if what == "request body"),
        "{err:?}"
    );
}
