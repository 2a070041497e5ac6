//! The error module's tests: each concern through the public `Error` a response becomes.

use super::operation::FromStatus;
use super::*;
use crate::redact::RedactedDebug;
use crate::response::RawResponse;
use bytes::Bytes;

#[derive(Debug, PartialEq)]
enum GetUserError {
    NotFound(String),
}

impl OperationError for GetUserError {
    fn from_status(status: u16, body: &[u8]) -> FromStatus<Self> {
        #[derive(serde::Deserialize)]
        struct Body {
            error: Inner,
        }
        #[derive(serde::Deserialize)]
        struct Inner {
            message: String,
        }
        match status {
            404 => Some(serde_json::from_slice::<Body>(body).map(|b| {
                let message = b.error.message;
                (Self::NotFound(message.clone()), Some(message))
            })),
            _ => None,
        }
    }
}

fn raw(status: u16, body: &str) -> RawResponse {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "req-1".parse().unwrap());
    RawResponse::new(
        "getUser",
        StatusCode::from_u16(status).unwrap(),
        headers,
        Bytes::from(body.to_owned()),
        1,
    )
}

fn err(status: u16, body: &str) -> Error<GetUserError> {
    raw(status, body).into_error()
}

#[test]
fn the_envelope_masks_values_the_body_holds_under_secret_keys() {
    let body = br#"{"api_secret":"S3cr3tValue1","error":{"message":"S3cr3tValue1 is wrong","details":{"S3cr3tValue1":"again S3cr3tValue1"}}}"#;
    let env = ErrorEnvelope::parse(body).expect("an envelope");
    let shown = format!("{env:?}");
    assert!(!shown.contains("S3cr3tValue1"), "{shown}");
    assert_eq!(env.message.as_deref(), Some("*** is wrong"));
    let fields = ErrorEnvelope::parse(br#"{"password":"P4ssw0rdXY","email":["P4ssw0rdXY bad"]}"#)
        .expect("field errors");
    assert!(!format!("{fields:?}").contains("P4ssw0rdXY"), "{fields:?}");
}

#[test]
fn envelope_shapes() {
    let e = ErrorEnvelope::parse(br#"{"error":{"message":"nope"}}"#).unwrap();
    assert_eq!(e.message.as_deref(), Some("nope"));

    let e = ErrorEnvelope::parse(
        br#"{"error":{"message":"m","category":"c","code":"E1","details":{"policy":"bad","n":1}}}"#,
    )
    .unwrap();
    assert_eq!(e.category.as_deref(), Some("c"));
    assert_eq!(e.code.as_deref(), Some("E1"));
    assert_eq!(
        e.details.as_ref().unwrap().get("n"),
        Some(&serde_json::json!(1))
    );
    assert_eq!(e.field_errors["policy"], vec!["bad"]);

    let e = ErrorEnvelope::parse(br#"{"error":{"code":403}}"#).unwrap();
    assert_eq!(e.code.as_deref(), Some("403"));

    let e = ErrorEnvelope::parse(br#"{"error":"text"}"#).unwrap();
    assert_eq!(e.message.as_deref(), Some("text"));

    let e = ErrorEnvelope::parse(br#"{"email":["is invalid"]}"#).unwrap();
    assert_eq!(e.field_errors["email"], vec!["is invalid"]);
    assert_eq!(e.summary().as_deref(), Some("email is invalid"));

    let e =
        ErrorEnvelope::parse(br#"{"email":"has already been taken","name":["a","b"]}"#).unwrap();
    assert_eq!(
        e.summary().as_deref(),
        Some("email has already been taken; name a, b")
    );

    // Nothing to say: no empty details.
    for body in [
        &b"{}"[..],
        b"",
        b"<html>oops</html>",
        b"[]",
        b"null",
        br#"{"error":{}}"#,
        br#"{"email":[]}"#,
    ] {
        assert_eq!(
            ErrorEnvelope::parse(body),
            None,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn documented_status_gives_api_error() {
    let e = err(404, r#"{"error":{"message":"nope"}}"#);
    assert!(matches!(&e, Error::Api(a) if a.body() == &GetUserError::NotFound("nope".into())));
    assert_eq!(e.to_string(), "getUser: 404 Not Found: nope");
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(e.request_id(), Some("req-1"));
    assert_eq!(e.message(), Some("nope"));
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.attempts(), 1);
    assert_eq!(e.operation_id(), Some("getUser"));
    assert!(!e.is_retryable());
    assert!(std::error::Error::source(&e).is_none());

    let u = e.into_untyped();
    assert!(matches!(&u, Error::Api(_)));
    assert_eq!(u.message(), Some("nope"));
    assert_eq!(u.to_string(), "getUser: 404 Not Found: nope");
}

#[test]
fn documented_status_with_other_shape_keeps_status_and_parse_error() {
    let e = err(404, r#"{"error":"gone"}"#);
    let Error::UnexpectedStatus(u) = &e else {
        panic!("{e:?}")
    };
    assert!(u.parse_error().is_some());
    assert_eq!(e.message(), Some("gone"));
    assert_eq!(e.to_string(), "getUser: 404 Not Found: gone");
    assert!(std::error::Error::source(&e).is_some());
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[test]
fn undocumented_status_uses_envelope_or_body_excerpt() {
    let e = err(500, r#"{"error":{"message":"boom"}}"#);
    assert!(matches!(&e, Error::UnexpectedStatus(u) if u.parse_error().is_none()));
    assert_eq!(e.to_string(), "getUser: 500 Internal Server Error: boom");
    assert_eq!(e.kind(), ErrorKind::ServerError);
    assert!(e.is_retryable());

    let e = err(502, "<html>\n  <b>Bad gateway</b>\n</html>");
    assert_eq!(
        e.to_string(),
        "getUser: 502 Bad Gateway: <html> <b>Bad gateway</b> </html>"
    );
    assert_eq!(e.message(), None);
    assert!(e.envelope().is_none());

    let e = err(500, "");
    assert_eq!(e.to_string(), "getUser: 500 Internal Server Error");
}

#[test]
fn kinds() {
    let cases: &[(u16, &str, ErrorKind)] = &[
        (400, r#"{"error":{"message":"bad"}}"#, ErrorKind::BadRequest),
        (
            400,
            r#"{"email":["has already been taken"]}"#,
            ErrorKind::Conflict,
        ),
        (
            400,
            r#"{"error":{"message":"Email Has already been taken"}}"#,
            ErrorKind::Conflict,
        ),
        (401, "", ErrorKind::Unauthorized),
        (403, "", ErrorKind::Forbidden),
        (404, "", ErrorKind::NotFound),
        (409, "", ErrorKind::Conflict),
        (420, "", ErrorKind::RateLimited),
        (429, "", ErrorKind::RateLimited),
        (422, "", ErrorKind::BadRequest),
        (405, "", ErrorKind::OtherStatus),
        (304, "", ErrorKind::OtherStatus),
        (500, "", ErrorKind::ServerError),
        (503, "", ErrorKind::ServerError),
    ];
    for (status, body, kind) in cases {
        assert_eq!(err(*status, body).kind(), *kind, "{status} {body}");
    }
    assert_eq!(err(420, "").to_string(), "getUser: 420 Rate Limited");
    let build: Error<()> = BuildError::MissingAccountId.into();
    assert_eq!(build.kind(), ErrorKind::Configuration);
    assert_eq!(build.attempts(), 0);
    let build: Error<()> = BuildError::InvalidPathParameter { reason: "x" }.into();
    assert_eq!(build.kind(), ErrorKind::InvalidRequest);
    let build: Error<()> = BuildError::missing_field("createUser", "email").into();
    assert_eq!(build.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        build.to_string(),
        "createUser: the required field `email` is not set"
    );
}

#[test]
fn retryable_statuses() {
    for (status, want) in [
        (420, true),
        (429, true),
        (500, true),
        (502, true),
        (503, true),
        (504, true),
        (501, false),
        (400, false),
        (404, false),
    ] {
        assert_eq!(err(status, "").is_retryable(), want, "{status}");
    }
}

#[test]
fn secrets_are_redacted_in_debug_and_display() {
    let body = r#"{"api_secret":"TOPSECRET","note":"cloudinary://k:TOPSECRET2@c"}"#;
    let e = err(500, body);
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("TOPSECRET"), "{shown}");
    // The raw bytes themselves are kept for the caller.
    assert_eq!(e.headers().unwrap().get("x-request-id").unwrap(), "req-1");
    let Error::UnexpectedStatus(u) = &e else {
        panic!()
    };
    assert_eq!(u.raw_body(), body.as_bytes());

    let e = err(
        400,
        r#"{"error":{"message":"bad url account://k:SECRET3@acc"}}"#,
    );
    assert!(!format!("{e} {e:?}").contains("SECRET3"));
}

#[test]
fn typed_bodies_and_their_messages_are_redacted_in_debug() {
    // A documented status: the typed body (derived `Debug`) and the message taken from it
    // must not show the secret, in plain or pretty `Debug`.
    let e = err(
        404,
        r#"{"error":{"message":"key cloudinary://k:SECRET4@c is gone"}}"#,
    );
    assert!(matches!(e, Error::Api(_)));
    for shown in [format!("{e} {e:?}"), format!("{e:#?}")] {
        assert!(!shown.contains("SECRET4"), "{shown}");
    }
    assert_eq!(e.message(), Some("key cloudinary://***@c is gone"));

    #[derive(Debug)]
    struct Typed {
        #[allow(dead_code)]
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }
    let typed = Typed {
        extra: [("api_secret".to_owned(), serde_json::json!("SECRET5"))].into(),
    };
    let plain = format!("{:?}", RedactedDebug(&typed));
    let pretty = format!("{:#?}", RedactedDebug(&typed));
    for shown in [&plain, &pretty] {
        assert!(!shown.contains("SECRET5"), "{shown}");
        assert!(shown.contains("api_secret"), "{shown}");
    }
}

/// Everything an error can show: `Display`, `Debug`, alternate `Debug`, and the same for
/// every link of the `source()` chain.
fn everything_shown(e: &(dyn std::error::Error + 'static)) -> String {
    let mut shown = String::new();
    let mut next = Some(e);
    while let Some(e) = next {
        shown.push_str(&format!("{e}\n{e:?}\n{e:#?}\n"));
        next = e.source();
    }
    shown
}

#[test]
fn serde_errors_of_a_documented_status_are_redacted_everywhere() {
    // The audit's case: a documented 404 whose body has another shape, so serde's message
    // repeats the string it could not use.
    let e = err(
        404,
        r#"{"error":"see cloudinary://123:TOPSECRETVALUE@demo"}"#,
    );
    let Error::UnexpectedStatus(u) = &e else {
        panic!("{e:?}")
    };
    let parse = u.parse_error().expect("the typed body did not decode");
    assert!(parse.is_data());
    assert!(parse.message().contains("cloudinary://***@demo"), "{parse}");
    assert_eq!((parse.line(), parse.column()), (1, 51));
    assert!(
        parse.to_string().ends_with(" at line 1 column 51"),
        "{parse}"
    );
    let shown = everything_shown(&e);
    assert!(!shown.contains("TOPSECRETVALUE"), "{shown}");
    // The chain really has the parse error in it.
    assert!(shown.contains("invalid type"), "{shown}");
    assert!(!everything_shown(u).contains("TOPSECRETVALUE"));
}

#[test]
fn decode_errors_are_redacted_everywhere() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Envs {
        sub_accounts: Vec<String>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Key {
        api_secret: crate::SecretString,
    }
    let e = raw(200, r#"{"sub_accounts": "cloudinary://1:TOPSECRET@x"}"#)
        .into_json::<Envs, ()>()
        .unwrap_err();
    let Error::Decode(d) = &e else { panic!() };
    assert!(d.parse_error().is_data());
    let shown = everything_shown(&e);
    assert!(!shown.contains("TOPSECRET"), "{shown}");
    assert!(shown.contains("cloudinary://***@x"), "{shown}");

    // serde's message repeats a value without its key; a value the body holds under a
    // secret name is masked in it all the same.
    let e = raw(200, r#"{"api_secret": 918273645501}"#)
        .into_json::<Key, ()>()
        .unwrap_err();
    let shown = everything_shown(&e);
    assert!(!shown.contains("918273645501"), "{shown}");
    assert!(shown.contains("invalid type: integer `***`"), "{shown}");
    let e = raw(200, r#"{"api_secret": "not-a-date-SECRETX"}"#)
        .into_json::<std::collections::BTreeMap<String, crate::Date>, ()>()
        .unwrap_err();
    let shown = everything_shown(&e);
    assert!(!shown.contains("SECRETX"), "{shown}");

    // Syntax errors keep their position and category.
    let e = raw(200, "{\n  \"a\": [")
        .into_json::<Envs, ()>()
        .unwrap_err();
    let Error::Decode(d) = &e else { panic!() };
    assert!(d.parse_error().is_eof());
    assert_eq!(d.parse_error().line(), 2);
}

#[test]
fn server_chosen_header_and_field_names_are_redacted() {
    let mut r = raw(500, r#"{"cloudinary://k:FIELDSECRET@c": ["is bad"]}"#);
    r.headers.insert(
        "x-request-id",
        "cloudinary://k:RIDSECRET@c".parse().unwrap(),
    );
    let e: Error<()> = r.into_error();
    assert_eq!(e.message(), Some("cloudinary://***@c is bad"));
    let shown = everything_shown(&e);
    assert!(!shown.contains("FIELDSECRET"), "{shown}");
    assert!(!shown.contains("RIDSECRET"), "{shown}");
    // The accessor still gives the header as sent.
    assert_eq!(e.request_id(), Some("cloudinary://k:RIDSECRET@c"));
}

#[test]
fn json_error_mirrors_serde_display_and_category() {
    for bad in ["{", "[1,]", "\"x\"", "nul"] {
        let serde = serde_json::from_str::<Vec<u8>>(bad).unwrap_err();
        let ours = JsonError::new(&serde);
        assert_eq!(ours.to_string(), serde.to_string(), "{bad}");
        assert_eq!(ours.category(), serde.classify(), "{bad}");
        assert_eq!((ours.line(), ours.column()), (serde.line(), serde.column()));
        assert!(std::error::Error::source(&ours).is_none());
    }
    // No position: no suffix.
    let serde = <serde_json::Error as serde::de::Error>::custom("at cloudinary://a:SECRETY@c");
    let ours = JsonError::from(serde);
    assert_eq!(ours.to_string(), "at cloudinary://***@c");
    assert!(!format!("{ours:?}").contains("SECRETY"));
}

#[test]
fn raw_body_is_bounded() {
    let big = "x".repeat(MAX_ERROR_BODY + 10);
    let e = err(500, &big);
    let Error::UnexpectedStatus(u) = &e else {
        panic!()
    };
    assert_eq!(u.raw_body().len(), MAX_ERROR_BODY);
    assert!(u.is_body_truncated());
    assert!(e.to_string().len() < 300);
}

#[test]
fn decode_and_transport_display_do_not_repeat_the_cause() {
    let r = raw(200, "{not json");
    let e = r.into_json::<serde_json::Value, ()>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    // The reason is in the Display, so it is not the source as well.
    assert_eq!(
        e.to_string(),
        "getUser: 200 OK: the response body could not be decoded: key must be a string at line 1 column 2"
    );
    assert!(std::error::Error::source(&e).is_none());

    let t: Error<()> = Error::Transport(TransportError {
        operation_id: "op",
        kind: TransportKind::Connect,
        attempts: 3,
        source: "connection refused".into(),
    });
    assert_eq!(
        t.to_string(),
        "op: could not connect to the server (after 3 attempts)"
    );
    assert_eq!(
        std::error::Error::source(&t).unwrap().to_string(),
        "connection refused"
    );
    assert!(t.is_retryable());
    assert_eq!(t.kind(), ErrorKind::Transport);
}

#[test]
fn every_response_error_answers_from_the_same_metadata() {
    const BODY: &str = r#"{"error":{"message":"nope","code":"E1"}}"#;
    let after_three = |status: u16| {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req-3".parse().unwrap());
        let status = StatusCode::from_u16(status).unwrap();
        RawResponse::new("getUser", status, headers, Bytes::from(BODY), 3)
    };
    let api: Error<GetUserError> = after_three(404).into_error();
    let unexpected: Error<GetUserError> = after_three(500).into_error();
    let decode = after_three(200)
        .into_json::<Vec<u8>, GetUserError>()
        .unwrap_err();
    for e in [&api, &unexpected, &decode] {
        assert_eq!(e.attempts(), 3, "{e:?}");
        assert_eq!(e.request_id(), Some("req-3"));
        assert_eq!(e.operation_id(), Some("getUser"));
        assert!(e.headers().is_some_and(|h| h.contains_key("x-request-id")));
    }
    for e in [&api, &unexpected] {
        let envelope = e.envelope().expect("the body is an envelope");
        assert_eq!(envelope.code.as_deref(), Some("E1"));
        assert_eq!(e.message(), Some("nope"));
    }
    let Error::Api(a) = &api else {
        panic!("{api:?}")
    };
    assert_eq!(a.attempts(), 3);
    assert_eq!(a.envelope().and_then(|v| v.code.as_deref()), Some("E1"));
    assert_eq!(a.raw_body(), BODY.as_bytes());
    assert!(!a.is_body_truncated());
    let Error::UnexpectedStatus(u) = &unexpected else {
        panic!("{unexpected:?}")
    };
    assert_eq!(u.attempts(), 3);
    assert_eq!(u.envelope().and_then(|v| v.code.as_deref()), Some("E1"));
    assert_eq!(u.message(), Some("nope"));
    assert_eq!(u.raw_body(), BODY.as_bytes());
    assert!(!u.is_body_truncated());
    let Error::Decode(d) = &decode else {
        panic!("{decode:?}")
    };
    assert_eq!((d.attempts(), d.status()), (3, StatusCode::OK));
    assert_eq!(d.raw_body(), BODY.as_bytes());
}
