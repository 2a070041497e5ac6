//! Secrets never reach logs: every `tracing` event and span emitted while requests run (the
//! SDK's own, and the errors a caller logs with `%err` / `?err`) is captured at TRACE level by
//! a small hand-written subscriber, and the captured text must hold neither the API secret,
//! nor the `Authorization` value, nor any secret a response carried in its body or headers.
//!
//! The subscriber is installed as the thread's default and the tests run on Tokio's
//! current-thread runtime, so everything polled during a test, spawned tasks included, reports
//! to it. This binary holds a single test, so no other test shares the callsites.

use workspace_tests::support;

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cld_provisioning::{Client, Error, RetryConfig};
use serde_json::json;
use support::*;
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::ResponseTemplate;

/// A subscriber that enables everything and writes every event and span, with all its fields,
/// into one string.
#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
    events: Arc<AtomicUsize>,
    next_span: Arc<AtomicU64>,
}

impl Capture {
    fn text(&self) -> String {
        self.text.lock().expect("not poisoned").clone()
    }

    fn events(&self) -> usize {
        self.events.load(Ordering::SeqCst)
    }

    fn write(&self, line: &str) {
        let mut text = self.text.lock().expect("not poisoned");
        text.push_str(line);
        text.push('\n');
    }
}

/// Writes ` name=value` for each field: strings as they are, anything else with `Debug`
/// (which is how `%value` fields arrive, wrapped so that `Debug` shows their `Display`).
struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let _ = write!(self.0, " {}={value}", field.name());
        let mut source = value.source();
        while let Some(e) = source {
            let _ = write!(self.0, " caused by: {e} / {e:?}");
            source = e.source();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!(
            "span {} {}:",
            span.metadata().target(),
            span.metadata().name()
        );
        span.record(&mut Fields(&mut line));
        self.write(&line);
        Id::from_u64(self.next_span.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = String::from("span record:");
        values.record(&mut Fields(&mut line));
        self.write(&line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        let mut line = format!("{} {}:", meta.level(), meta.target());
        event.record(&mut Fields(&mut line));
        self.write(&line);
        self.events.fetch_add(1, Ordering::SeqCst);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

const API_KEY: &str = "logtestkey";
const API_SECRET: &str = "ApiSecretNeverLogged42";

/// Logs an error the way a caller would, through the capture.
fn log_error<E: fmt::Debug + 'static>(what: &str, err: &Error<E>) {
    tracing::error!(call = what, error = %err, "call failed");
    tracing::error!(call = what, error = ?err, "call failed (debug)");
    tracing::error!(
        call = what,
        error = err as &(dyn std::error::Error + 'static),
        "call failed (chain)"
    );
}

fn client_for(server: &wiremock::MockServer, sleep: &RecordingSleep) -> Client {
    Client::builder()
        .credentials(API_KEY, API_SECRET)
        .account_id(ACCOUNT)
        .base_url(server.uri())
        .retry(RetryConfig::standard())
        .sleep_impl(sleep.sleeper())
        .build()
        .expect("client")
}

#[tokio::test]
async fn no_secret_reaches_the_logs_at_trace_level() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let sleep = RecordingSleep::new();
    // Secrets a server may put in what it sends back.
    let body_secrets = [
        "BodySecretOnSuccess1",
        "BodySecretIn404xyz2",
        "HeaderSecretRequestId3",
        "BodySecretIn503abc4",
        "BodySecretDecode5",
        "BodySecretApiKey6",
    ];

    let server = serve_sequence(vec![
        // 1. Success, with secrets in the body.
        ok_json(json!({
            "users": [],
            "api_secret": body_secrets[0],
            "note": format!("cloudinary://1:{}@demo", body_secrets[5]),
        })),
        // 2. A documented 4xx whose body has another shape (serde repeats the value) and a
        //    request id that holds a secret URL.
        ResponseTemplate::new(404)
            .set_body_json(
                json!({"error": format!("see cloudinary://123:{}@demo", body_secrets[1])}),
            )
            .insert_header(
                "x-request-id",
                format!("cloudinary://1:{}@x", body_secrets[2]).as_str(),
            ),
        // 3. A 503 that is retried, then a 200.
        ResponseTemplate::new(503)
            .set_body_json(
                json!({"error": {"message": format!("cloudinary://9:{}@c", body_secrets[3])}}),
            )
            .insert_header("retry-after", "1"),
        ok_json(json!({"users": []})),
        // 4. A 2xx that does not decode; serde repeats the value.
        ok_json(json!({"sub_accounts": format!("cloudinary://1:{}@x", body_secrets[4])})),
    ])
    .await;
    let client = client_for(&server, &sleep);

    client.users().list().send().await.expect("1. success");
    let err = client.users().get("u1").send().await.expect_err("2. 404");
    log_error("get user", &err);
    client
        .users()
        .list()
        .send()
        .await
        .expect("3. success after a retry");
    let err = client
        .product_environments()
        .list()
        .send()
        .await
        .expect_err("4. decode error");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    log_error("list product environments", &err);

    // The calls went as planned: one retry, and the SDK sent credentials every time.
    assert_eq!(sleep.durations().len(), 1);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 5);
    let authorization = header(&sent[0], "authorization").expect("Authorization was sent");
    let basic = authorization
        .strip_prefix("Basic ")
        .expect("Basic authentication");
    assert!(
        sent.iter()
            .all(|r| header(r, "authorization").as_deref() == Some(&*authorization))
    );

    // An allowed cleartext server is not silent: building the client warns.
    Client::builder()
        .base_url("http://api.example.com")
        .credentials(KEY, API_SECRET)
        .allow_insecure_http(true)
        .build()
        .expect("allowed explicitly");

    let text = capture.text();
    assert!(
        text.contains("credentials are sent in cleartext") && text.contains("api.example.com"),
        "{text}"
    );
    // The capture works and saw the SDK's own events, not only the errors logged above.
    assert!(capture.events() >= 5, "{text}");
    assert!(text.contains("cld-provisioning response"), "{text}");
    assert!(text.contains("cld-provisioning retrying"), "{text}");
    assert!(text.contains("call failed"), "{text}");

    for secret in [API_SECRET, basic, authorization.as_str()]
        .into_iter()
        .chain(body_secrets)
    {
        assert!(!text.contains(secret), "{secret} was logged:\n{text}");
    }
}
