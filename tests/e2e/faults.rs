//! Fault injection: the SDK against a real local server that misbehaves on purpose
//! (`fault_server.rs`: throttling, 5xx, resets, slow, endless and cut-off bodies, bad
//! bodies, hostile headers, oversized bodies, echoed credentials, many concurrent POSTs).
//!
//! Every case asserts the exact number of attempts (as the server counted them and as the
//! error or response reports them), the error kind, that nothing panicked, and that the call
//! ended within a generous bound (a hang guard, not a performance assertion). Waits are real
//! but short: the retry policy here backs off from 10 ms and never waits more than 200 ms.
//!
//! Each case prints one `fault-case` line (attempts, kind, elapsed); run with `--nocapture` to
//! see them. Memory figures come from `peak_memory_*`, best run alone:
//! `cargo test -p workspace-tests --test e2e faults::peak_memory -- --nocapture`.

use crate::fault_server;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use cld_provisioning::runtime::http;
// The reliability types through the SDK root, where users find them.
use cld_provisioning::{
    AfterResponse, AttemptFailure, BeforeSend, Client, ClientBuilder, Error, ErrorKind, Intercept,
    RetryConfig, RetryQuota, StalledStreamProtection,
};
use fault_server::{FaultServer, Step, head, json, response};

/// The credentials of the suite: long enough to be masked wherever a server echoes them.
const KEY: &str = "614335564976464";
const SECRET: &str = "Fault-Secret_0123456789abcde";
/// No case may take longer than this; the slowest takes about two seconds.
const BOUND: Duration = Duration::from_secs(30);

fn fast_retries() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(200))
}

fn builder(server: &FaultServer) -> ClientBuilder {
    Client::builder()
        .credentials(KEY, SECRET)
        .account_id("acc")
        .base_url(&server.uri)
        .timeout(Duration::from_secs(5))
        .retry(fast_retries())
}

fn client(server: &FaultServer) -> Client {
    builder(server).build().expect("client")
}

/// The outcome of one case, as printed.
struct Outcome {
    attempts: u32,
    kind: Option<ErrorKind>,
}

fn outcome<T>(result: &Result<T, Error<()>>, ok_attempts: u32) -> Outcome {
    match result {
        Ok(_) => Outcome {
            attempts: ok_attempts,
            kind: None,
        },
        Err(e) => Outcome {
            attempts: e.attempts(),
            kind: Some(e.kind()),
        },
    }
}

/// Runs `call` under the hang guard and prints its `fault-case` line.
async fn run<T>(
    case: &str,
    call: impl Future<Output = Result<T, Error<()>>>,
    attempts_of_ok: impl Fn(&T) -> u32,
) -> (Result<T, Error<()>>, Duration) {
    let start = Instant::now();
    let result = tokio::time::timeout(BOUND, call)
        .await
        .unwrap_or_else(|_| panic!("{case}: no answer within {BOUND:?}"));
    let elapsed = start.elapsed();
    let ok_attempts = result.as_ref().map_or(0, &attempts_of_ok);
    let o = outcome(&result, ok_attempts);
    eprintln!(
        "fault-case {case:<40} attempts={} kind={:<14} elapsed_ms={}",
        o.attempts,
        o.kind.map_or("ok".to_owned(), |k| format!("{k:?}")),
        elapsed.as_millis()
    );
    (result, elapsed)
}

async fn get_user(client: &Client) -> Result<u32, Error<()>> {
    client
        .users()
        .get("u1")
        .send_with_metadata()
        .await
        .map(|r| r.attempts())
        .map_err(Error::into_untyped)
}

async fn create_user(client: &Client, name: &str) -> Result<u32, Error<()>> {
    client
        .users()
        .create()
        .name(name)
        .email("e@example.org")
        .send_with_metadata()
        .await
        .map(|r| r.attempts())
        .map_err(Error::into_untyped)
}

async fn create_agent(client: &Client) -> Result<u32, Error<()>> {
    client
        .agent_accounts()
        .create()
        .email("e@example.org")
        .agent_framework("fw")
        .agent_llm_model("model")
        .agent_goal("goal")
        .send_with_metadata()
        .await
        .map(|r| r.attempts())
        .map_err(Error::into_untyped)
}

/// `createUser` with this call's own retry policy.
async fn create_user_with_retry(client: &Client, retry: RetryConfig) -> Result<u32, Error<()>> {
    client
        .users()
        .create()
        .name("n")
        .email("e@example.org")
        .with_retry(retry)
        .send_with_metadata()
        .await
        .map(|r| r.attempts())
        .map_err(Error::into_untyped)
}

/// A response that takes 3 s to start.
fn slow_response() -> Vec<Step> {
    vec![Step::Wait(Duration::from_secs(3)), json(200, "{}")]
}

fn same(n: &u32) -> u32 {
    *n
}

/// Asserts the case ended as `want` (`None` = success) after exactly `attempts` attempts, as
/// both the client and the server counted them.
fn check(
    case: &str,
    result: &Result<u32, Error<()>>,
    server: &FaultServer,
    attempts: u32,
    want: Option<ErrorKind>,
) {
    let o = outcome(result, result.as_ref().map_or(0, same));
    assert_eq!(o.kind, want, "{case}: {result:?}");
    assert_eq!(o.attempts, attempts, "{case}: attempts reported");
    assert_eq!(
        server.hits(),
        attempts as usize,
        "{case}: attempts received"
    );
}

/// A server that answers the first `bad` requests with `fault` and the rest with `200 {}`.
async fn then_ok(bad: usize, fault: impl Fn() -> Vec<Step> + Send + Sync + 'static) -> FaultServer {
    FaultServer::start(move |n, _| {
        if n < bad {
            fault()
        } else {
            vec![json(200, "{}")]
        }
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Throttling and 5xx
// ---------------------------------------------------------------------------------------------

fn throttled_429() -> Vec<Step> {
    vec![response(429, &[("retry-after", "0.05")], b"{}")]
}

#[tokio::test]
async fn throttled_429_with_retry_after() {
    let server = then_ok(1, throttled_429).await;
    let (r, elapsed) = run("429 retry-after: GET", get_user(&client(&server)), same).await;
    check("429 GET", &r, &server, 2, None);
    assert!(
        elapsed >= Duration::from_millis(50),
        "{elapsed:?}: the hint was honoured"
    );

    let server = then_ok(1, throttled_429).await;
    let (r, _) = run(
        "429 retry-after: POST",
        create_user(&client(&server), "n"),
        same,
    )
    .await;
    check("429 POST", &r, &server, 2, None);

    let server = then_ok(1, throttled_429).await;
    let (r, _) = run(
        "429 retry-after: agent creation",
        create_agent(&client(&server)),
        same,
    )
    .await;
    check("429 agent", &r, &server, 1, Some(ErrorKind::RateLimited));

    let server = then_ok(1, throttled_429).await;
    let opted_in = builder(&server)
        .retry(fast_retries().with_retry_throttled_never(true))
        .build()
        .expect("client");
    let (r, _) = run(
        "429 retry-after: agent creation, opt-in",
        create_agent(&opted_in),
        same,
    )
    .await;
    check("429 agent opt-in", &r, &server, 2, None);
}

#[tokio::test]
async fn throttled_420_with_rate_limit_reset() {
    let server = then_ok(1, || {
        vec![response(
            420,
            &[("x-featureratelimit-reset", "0.05")],
            b"{}",
        )]
    })
    .await;
    let (r, elapsed) = run(
        "420 x-featureratelimit-reset",
        get_user(&client(&server)),
        same,
    )
    .await;
    check("420", &r, &server, 2, None);
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
}

#[tokio::test]
async fn service_unavailable_twice_then_ok() {
    let server = then_ok(2, || vec![json(503, r#"{"error":{"message":"busy"}}"#)]).await;
    let (r, _) = run("503 twice then 200", get_user(&client(&server)), same).await;
    check("503 503 200", &r, &server, 3, None);
}

#[tokio::test]
async fn internal_error_on_get_and_on_post() {
    let fault = || vec![json(500, r#"{"error":{"message":"oops"}}"#)];
    let server = then_ok(usize::MAX, fault).await;
    let (r, _) = run("500 GET", get_user(&client(&server)), same).await;
    check("500 GET", &r, &server, 3, Some(ErrorKind::ServerError));

    let server = then_ok(usize::MAX, fault).await;
    let (r, _) = run("500 POST", create_user(&client(&server), "n"), same).await;
    check("500 POST", &r, &server, 1, Some(ErrorKind::ServerError));
}

#[tokio::test]
async fn html_bad_gateway() {
    let server = then_ok(usize::MAX, || {
        vec![response(
            502,
            &[("content-type", "text/html")],
            b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        )]
    })
    .await;
    let (r, _) = run("HTML 502", get_user(&client(&server)), same).await;
    check("HTML 502", &r, &server, 3, Some(ErrorKind::ServerError));
    let shown = r.expect_err("502").to_string();
    assert!(
        shown.contains("502") && shown.contains("Bad Gateway"),
        "{shown}"
    );
}

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn connection_reset_before_the_response() {
    let server = then_ok(usize::MAX, || vec![Step::Reset]).await;
    let (r, _) = run("reset always: GET", get_user(&client(&server)), same).await;
    check("reset GET", &r, &server, 3, Some(ErrorKind::Transport));

    let server = then_ok(1, || vec![Step::Reset]).await;
    let (r, _) = run("reset once: GET", get_user(&client(&server)), same).await;
    check("reset once GET", &r, &server, 2, None);

    // The POST may have been acted on: not repeated.
    let server = then_ok(1, || vec![Step::Reset]).await;
    let (r, _) = run("reset once: POST", create_user(&client(&server), "n"), same).await;
    check(
        "reset once POST",
        &r,
        &server,
        1,
        Some(ErrorKind::Transport),
    );
}

#[tokio::test]
async fn connection_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("address").port()
    };
    // Nothing listens on `port` any more: every connection is refused.
    let client = Client::builder()
        .credentials(KEY, SECRET)
        .account_id("acc")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retries())
        .build()
        .expect("client");
    let get = run("connect refused: GET", get_user(&client), same).await.0;
    let post = run(
        "connect refused: POST (nothing was sent)",
        create_user(&client, "n"),
        same,
    )
    .await
    .0;
    for (case, call) in [("GET", get), ("POST", post)] {
        let err = call.expect_err(case);
        assert_eq!(err.kind(), ErrorKind::Transport, "{case}");
        assert_eq!(err.attempts(), 3, "{case}");
        assert!(
            matches!(&err, Error::Transport(t) if t.is_connect()),
            "{err:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Slow, endless and cut-off bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn response_slower_than_the_timeout() {
    let server = then_ok(usize::MAX, slow_response).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let (r, elapsed) = run("response slower than the timeout", get_user(&client), same).await;
    check("slow", &r, &server, 3, Some(ErrorKind::Timeout));
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
}

fn endless_body() -> Vec<Step> {
    let mut h = head(200, &[("content-type", "application/json")]);
    h.extend_from_slice(b"content-length: 100000\r\n\r\n{\"id\":");
    vec![
        Step::Send(h),
        Step::Trickle {
            every: Duration::from_millis(50),
            count: 200,
        },
    ]
}

#[tokio::test]
async fn endless_trickled_body_times_out() {
    let server = then_ok(usize::MAX, endless_body).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(400))
        .build()
        .expect("client");
    let (r, _) = run("endless trickled body", get_user(&client), same).await;
    check("trickle", &r, &server, 3, Some(ErrorKind::Timeout));
}

#[tokio::test]
async fn stalled_stream_protection_fails_a_trickle_fast_and_lets_a_slow_body_through() {
    let protection = StalledStreamProtection::new(1_000, Duration::from_millis(200));
    let server = then_ok(usize::MAX, endless_body).await;
    let client = builder(&server)
        .stalled_stream_protection(protection)
        .build()
        .expect("client");
    let (r, elapsed) = run("endless trickle, stall protection", get_user(&client), same).await;
    check("stalled", &r, &server, 3, Some(ErrorKind::Timeout));
    let err = r.expect_err("stalled");
    assert!(
        matches!(&err, Error::Timeout(t) if t.is_stalled()),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "getUser: the response body stalled (too few bytes over 200ms) (after 3 attempts)"
    );
    // Three 5 s attempt timeouts would take 15 s; each attempt ended after one 200 ms window.
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");

    // 400 bytes in four pieces 100 ms apart: well over 1000 bytes/s in every window.
    let server = then_ok(usize::MAX, || {
        let mut h = head(200, &[("content-type", "application/json")]);
        h.extend_from_slice(b"content-length: 400\r\n\r\n");
        let mut steps = vec![Step::Send(h)];
        for piece in 0..4 {
            let mut bytes = if piece == 0 {
                b"{}".to_vec()
            } else {
                Vec::new()
            };
            bytes.resize(100, b' ');
            steps.push(Step::Send(bytes));
            steps.push(Step::Wait(Duration::from_millis(100)));
        }
        steps
    })
    .await;
    let client = builder(&server)
        .stalled_stream_protection(protection)
        .build()
        .expect("client");
    let (r, _) = run(
        "slow but steady body, stall protection",
        get_user(&client),
        same,
    )
    .await;
    check("steady", &r, &server, 1, None);
}

fn cut_off_body() -> Vec<Step> {
    let mut h = head(200, &[("content-type", "application/json")]);
    h.extend_from_slice(b"content-length: 100\r\n\r\n");
    h.extend_from_slice(&[b' '; 40]);
    vec![Step::Send(h)]
}

#[tokio::test]
async fn body_cut_off_mid_stream_is_retried_and_says_so() {
    let server = then_ok(usize::MAX, cut_off_body).await;
    let (r, _) = run("body cut off: GET", get_user(&client(&server)), same).await;
    check("cut off GET", &r, &server, 3, Some(ErrorKind::Transport));
    let err = r.expect_err("cut off");
    assert!(err.is_retryable(), "{err:?}");
    assert_eq!(
        err.to_string(),
        "getUser: the response body was cut off after 40 of 100 bytes (after 3 attempts)"
    );
    assert!(
        matches!(&err, Error::Transport(t) if t.body_cut_off() == Some((40, Some(100)))),
        "{err:?}"
    );

    let server = then_ok(1, cut_off_body).await;
    let (r, _) = run("body cut off once: GET", get_user(&client(&server)), same).await;
    check("cut off once GET", &r, &server, 2, None);

    // The POST's effect may have happened; the body is lost but the write is not repeated.
    let server = then_ok(1, cut_off_body).await;
    let (r, _) = run(
        "body cut off once: POST",
        create_user(&client(&server), "n"),
        same,
    )
    .await;
    check(
        "cut off once POST",
        &r,
        &server,
        1,
        Some(ErrorKind::Transport),
    );
}

// ---------------------------------------------------------------------------------------------
// Bad and oversized bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn invalid_json() {
    let server = then_ok(usize::MAX, || vec![json(200, "{\"id\": nope")]).await;
    let (r, _) = run("invalid JSON", get_user(&client(&server)), same).await;
    check("invalid JSON", &r, &server, 1, Some(ErrorKind::Decode));
}

const OVER_CAP: usize = 70 * 1024 * 1024;

fn over_cap(declared: bool) -> Vec<Step> {
    let mut h = head(200, &[("content-type", "application/json")]);
    if declared {
        h.extend_from_slice(format!("content-length: {OVER_CAP}\r\n").as_bytes());
    }
    // Without a length the body runs to the close of the connection.
    h.extend_from_slice(b"\r\n");
    vec![Step::Send(h), Step::Flood { total: OVER_CAP }]
}

#[tokio::test]
async fn body_over_the_cap_with_and_without_a_length() {
    for declared in [true, false] {
        let server = then_ok(usize::MAX, move || over_cap(declared)).await;
        let case = if declared {
            "70 MiB body, content-length"
        } else {
            "70 MiB body, no length"
        };
        let (r, _) = run(case, get_user(&client(&server)), same).await;
        check(case, &r, &server, 1, Some(ErrorKind::Transport));
        let err = r.expect_err(case);
        assert!(!err.is_retryable(), "{err:?}");
        assert!(
            matches!(&err, Error::Transport(t) if t.is_body_too_large()),
            "{err:?}"
        );
        let want = if declared {
            format!(
                "getUser: the response body of {OVER_CAP} bytes is over the limit of 67108864 bytes"
            )
        } else {
            "getUser: the response body is over the limit of 67108864 bytes".to_owned()
        };
        assert_eq!(err.to_string(), want);
    }
}

#[tokio::test]
async fn one_mebibyte_error_body_is_kept_truncated() {
    let server = then_ok(usize::MAX, || {
        let mut body = b"{\"error\":{\"message\":\"".to_vec();
        body.extend_from_slice(&vec![b'a'; 1024 * 1024]);
        body.extend_from_slice(b"\"}}");
        vec![response(
            400,
            &[("content-type", "application/json")],
            &body,
        )]
    })
    .await;
    let (r, _) = run("1 MiB error body", get_user(&client(&server)), same).await;
    check("1 MiB error", &r, &server, 1, Some(ErrorKind::BadRequest));
    let err = r.expect_err("400");
    match &err {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.raw_body().len(), 64 * 1024);
            assert!(e.is_body_truncated());
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().len() < 1024, "Display stays short");
}

#[tokio::test]
async fn hostile_header_values() {
    let server = FaultServer::start(|_, _| {
        let mut h = head(429, &[]);
        h.extend_from_slice(b"retry-after: 99999999999999999999999999\r\n");
        h.extend_from_slice(
            b"x-featureratelimit-reset: Sun, 06 Nov 1000000000000 08:49:37 GMT\r\n",
        );
        h.extend_from_slice(b"x-request-id: \xff\xfe\x80bytes\r\n");
        h.extend_from_slice(format!("x-long: {}\r\n", "y".repeat(8 * 1024)).as_bytes());
        for i in 0..60 {
            h.extend_from_slice(format!("x-many-{i}: {i}\r\n").as_bytes());
        }
        h.extend_from_slice(b"content-length: 2\r\n\r\n{}");
        vec![Step::Send(h)]
    })
    .await;
    let (r, elapsed) = run("hostile header values", get_user(&client(&server)), same).await;
    check(
        "hostile headers",
        &r,
        &server,
        3,
        Some(ErrorKind::RateLimited),
    );
    // The absurd hints were capped at the 200 ms maximum wait.
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let err = r.expect_err("429");
    assert_eq!(
        err.request_id(),
        None,
        "a non-UTF-8 request id is not shown"
    );
    let _ = format!("{err} {err:?}");
}

// ---------------------------------------------------------------------------------------------
// Echoed credentials
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn echoed_credentials_are_masked_everywhere_they_are_kept() {
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"))
    );
    let body = format!(
        r#"{{"error":{{"message":"bad credentials {KEY}:{SECRET}; secret {SECRET}; sent {basic}"}}}}"#
    );
    let server = FaultServer::start({
        let (basic, body) = (basic.clone(), body.clone());
        move |_, req| {
            let sent = req.header("authorization").unwrap_or_default().to_owned();
            vec![response(
                401,
                &[
                    ("content-type", "application/json"),
                    ("x-echo", &sent),
                    ("x-request-id", &basic),
                ],
                body.as_bytes(),
            )]
        }
    })
    .await;
    let (r, _) = run("echoed credentials", get_user(&client(&server)), same).await;
    check("echo", &r, &server, 1, Some(ErrorKind::Unauthorized));
    // The server did receive them, so the echo was real.
    assert_eq!(
        server.received()[0].header("authorization"),
        Some(basic.as_str())
    );
    let err = r.expect_err("401");
    let encoded = basic.trim_start_matches("Basic ");
    let raw = match &err {
        Error::Api(e) => String::from_utf8_lossy(e.raw_body()).into_owned(),
        other => panic!("{other:?}"),
    };
    let headers: Vec<String> = err
        .headers()
        .expect("headers")
        .values()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    for shown in [
        err.to_string(),
        format!("{err:?}"),
        format!("{err:#?}"),
        err.message().unwrap_or_default().to_owned(),
        raw.clone(),
        headers.join("\n"),
        err.request_id().unwrap_or_default().to_owned(),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains(encoded), "{shown}");
    }
    assert!(raw.contains("bad credentials ***"), "{raw}");
}

#[tokio::test]
async fn echoed_credentials_are_masked_in_a_decode_error() {
    let server = then_ok(usize::MAX, || {
        let body = format!(r#"{{"id": ["{SECRET}"], "note": "{KEY}:{SECRET}"}}"#);
        vec![response(200, &[("x-echo", SECRET)], body.as_bytes())]
    })
    .await;
    let (r, _) = run(
        "echoed credentials in a 2xx",
        get_user(&client(&server)),
        same,
    )
    .await;
    check("echo 2xx", &r, &server, 1, Some(ErrorKind::Decode));
    let err = r.expect_err("decode");
    let raw = match &err {
        Error::Decode(e) => String::from_utf8_lossy(e.raw_body()).into_owned(),
        other => panic!("{other:?}"),
    };
    for shown in [err.to_string(), format!("{err:?}"), raw] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

// ---------------------------------------------------------------------------------------------
// Many concurrent writes against a throttling server
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_posts_from_sixteen_tasks_with_a_third_throttled() {
    const POSTS: usize = 200;
    const TASKS: usize = 16;
    // Every third request is throttled (and not acted on); the rest are written.
    let server = Arc::new(
        FaultServer::start(|n, _| {
            if n % 3 == 0 {
                vec![response(429, &[("retry-after", "0.01")], b"{}")]
            } else {
                vec![json(201, r#"{"id":"u"}"#)]
            }
        })
        .await,
    );
    let client = client(&server);
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for t in 0..TASKS {
        let client = client.clone();
        tasks.spawn(async move {
            let mut outcomes = Vec::new();
            for i in (t..POSTS).step_by(TASKS) {
                let name = format!("user-{i}");
                outcomes.push((name.clone(), create_user(&client, &name).await));
            }
            outcomes
        });
    }
    let mut outcomes = Vec::new();
    let joined = tokio::time::timeout(BOUND, async {
        while let Some(done) = tasks.join_next().await {
            outcomes.extend(done.expect("no task panicked"));
        }
    })
    .await;
    assert!(joined.is_ok(), "200 POSTs did not finish within {BOUND:?}");
    let elapsed = start.elapsed();

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, r) in &outcomes {
        let label = match r {
            Ok(attempts) => format!("ok after {attempts}"),
            Err(e) => format!("{:?} after {}", e.kind(), e.attempts()),
        };
        *counts.entry(label).or_default() += 1;
    }
    eprintln!(
        "fault-case 200 POSTs / 16 tasks, 1/3 throttled: {counts:?}, requests={}, elapsed_ms={}",
        server.hits(),
        elapsed.as_millis()
    );
    assert_eq!(outcomes.len(), POSTS, "every outcome accounted for");

    // What the server acted on: the non-throttled requests. None written twice.
    let received = server.received();
    let mut written: BTreeMap<String, usize> = BTreeMap::new();
    for req in &received {
        assert_eq!(
            (req.method.as_str(), req.target.as_str()),
            ("POST", "/v1_1/provisioning/accounts/acc/users")
        );
        if req.number % 3 != 0 {
            let body: serde_json::Value = serde_json::from_str(&req.body).expect("JSON body");
            let name = body["name"].as_str().expect("name").to_owned();
            *written.entry(name).or_default() += 1;
        }
    }
    assert!(
        written.values().all(|&n| n == 1),
        "a user was written twice"
    );
    // Every call that succeeded was written once; the attempts add up to the requests.
    let succeeded = outcomes.iter().filter(|(_, r)| r.is_ok()).count();
    assert_eq!(written.len(), succeeded);
    let attempts: u32 = outcomes
        .iter()
        .map(|(_, r)| r.as_ref().map_or_else(Error::attempts, same))
        .sum();
    assert_eq!(attempts as usize, received.len());
    // A call fails only when throttled on every attempt it was allowed (three, or fewer once
    // the client-wide retry quota is spent); each such call is reported, never lost.
    for (name, r) in &outcomes {
        if let Err(e) = r {
            assert_eq!(e.kind(), ErrorKind::RateLimited, "{name}: {e:?}");
            assert!((1..=3).contains(&e.attempts()), "{name}: {e:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

/// `VmHWM` (peak resident set) of this process in KiB, where /proc is available.
fn peak_rss_kib() -> Option<u64> {
    proc_status_kib("VmHWM:")
}

/// `VmRSS` (resident set now) of this process in KiB, where /proc is available.
fn rss_kib() -> Option<u64> {
    proc_status_kib("VmRSS:")
}

fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn peak_memory_reading_10_mib_and_refusing_70_mib() {
    const TEN_MIB: usize = 10 * 1024 * 1024;
    let server = then_ok(usize::MAX, || {
        let mut body = b"{\"id\":\"u1\",\"name\":\"".to_vec();
        body.extend_from_slice(&vec![b'n'; TEN_MIB]);
        body.extend_from_slice(b"\"}");
        vec![response(
            200,
            &[("content-type", "application/json")],
            &body,
        )]
    })
    .await;
    let before = peak_rss_kib();
    let user = client(&server)
        .users()
        .get("u1")
        .send()
        .await
        .expect("a 10 MiB user decodes");
    assert_eq!(user.name.as_deref().map(str::len), Some(TEN_MIB));
    drop(user);
    let after_read = peak_rss_kib();

    let server = then_ok(usize::MAX, || over_cap(false)).await;
    // What the allocator kept of the first case: the refusal's own cost is the peak above it.
    let before_refusal = rss_kib();
    let err = get_user(&client(&server)).await.expect_err("refused");
    assert!(
        matches!(&err, Error::Transport(t) if t.is_body_too_large()),
        "{err:?}"
    );
    let after_refusal = peak_rss_kib();
    eprintln!(
        "fault-case peak memory (VmHWM KiB): before={before:?} after 10 MiB read={after_read:?} \
         resident before the refusal={before_refusal:?} after 70 MiB refusal={after_refusal:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Operation timeout: a bound on the whole call
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_operation_timeout_cuts_the_last_attempt_short() {
    let server = then_ok(usize::MAX, slow_response).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .operation_timeout(Duration::from_millis(500))
        .build()
        .expect("client");
    let (r, elapsed) = run(
        "operation timeout (client default)",
        get_user(&client),
        same,
    )
    .await;
    check(
        "operation timeout",
        &r,
        &server,
        2,
        Some(ErrorKind::Timeout),
    );
    let err = r.expect_err("timeout");
    assert!(
        matches!(&err, Error::Timeout(t) if t.is_operation_timeout()),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "getUser: the operation timeout of 500ms ran out (after 2 attempts)"
    );
    // Three attempts of 300 ms would take 900 ms; the bound stopped it near 500 ms.
    assert!(elapsed < Duration::from_millis(850), "{elapsed:?}");
}

#[tokio::test]
async fn a_per_call_operation_timeout_skips_a_wait_that_would_overrun_it() {
    let server = then_ok(usize::MAX, || {
        vec![response(503, &[("retry-after", "2")], b"{}")]
    })
    .await;
    let client = builder(&server)
        .retry(fast_retries().with_max_backoff(Duration::from_secs(5)))
        .build()
        .expect("client");
    let call = client
        .users()
        .get("u1")
        .with_operation_timeout(Duration::from_secs(1))
        .send_with_metadata();
    let call = async {
        call.await
            .map(|r| r.attempts())
            .map_err(Error::into_untyped)
    };
    let (r, elapsed) = run("operation timeout (per call) vs a 2 s hint", call, same).await;
    // The 2 s wait cannot end within the 1 s bound: the 503 is returned at once.
    check(
        "per-call operation timeout",
        &r,
        &server,
        1,
        Some(ErrorKind::ServerError),
    );
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// Retry settings
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_post_is_retried_after_a_5xx_or_a_timeout_only_with_the_per_call_opt_in() {
    let server_error = || vec![json(500, "{}")];
    let server = then_ok(1, server_error).await;
    let (r, _) = run(
        "500 once: POST, default",
        create_user(&client(&server), "n"),
        same,
    )
    .await;
    check(
        "POST 500 default",
        &r,
        &server,
        1,
        Some(ErrorKind::ServerError),
    );

    let opted_in = || fast_retries().with_retry_non_idempotent(true);
    let server = then_ok(1, server_error).await;
    let client = client(&server);
    let call = create_user_with_retry(&client, opted_in());
    let (r, _) = run("500 once: POST, opted in", call, same).await;
    check("POST 500 opt-in", &r, &server, 2, None);

    let server = then_ok(1, slow_response).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let call = create_user_with_retry(&client, opted_in());
    let (r, _) = run("timeout once: POST, opted in", call, same).await;
    check("POST timeout opt-in", &r, &server, 2, None);
}

#[tokio::test]
async fn statuses_connection_errors_and_elapsed_time_are_configurable() {
    // 404 made retryable by a caller's list.
    let server = then_ok(1, || vec![json(404, "{}")]).await;
    let client = builder(&server)
        .retry(fast_retries().with_retryable_statuses([404]))
        .build()
        .expect("client");
    let (r, _) = run("404 listed as retryable", get_user(&client), same).await;
    check("404 listed", &r, &server, 2, None);

    // Connection errors not retried when switched off.
    let server = then_ok(usize::MAX, || vec![Step::Reset]).await;
    let client = builder(&server)
        .retry(fast_retries().with_retry_connection_errors(false))
        .build()
        .expect("client");
    let (r, _) = run("reset, connection retries off", get_user(&client), same).await;
    check("reset off", &r, &server, 1, Some(ErrorKind::Transport));

    // No retry starts once the maximum elapsed time has gone by.
    let server = then_ok(usize::MAX, || {
        vec![Step::Wait(Duration::from_millis(200)), json(503, "{}")]
    })
    .await;
    let client = builder(&server)
        .retry(
            fast_retries()
                .with_max_attempts(10)
                .with_max_elapsed_time(Duration::from_millis(300)),
        )
        .build()
        .expect("client");
    let (r, _) = run("503 slowly, max elapsed 300 ms", get_user(&client), same).await;
    check("max elapsed", &r, &server, 2, Some(ErrorKind::ServerError));
}

// ---------------------------------------------------------------------------------------------
// Client-wide retry quota
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retry_quota_makes_sixteen_tasks_back_off_together() {
    const TASKS: usize = 16;
    let server = Arc::new(then_ok(usize::MAX, || vec![json(503, "{}")]).await);
    // 50 tokens at 5 per retry: ten retries for the whole client, however many tasks.
    let client = builder(&server)
        .retry_quota(RetryQuota::new(50, 5, 10))
        .build()
        .expect("client");
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let client = client.clone();
        tasks.spawn(async move { get_user(&client).await });
    }
    let mut attempts = 0;
    let joined = tokio::time::timeout(BOUND, async {
        while let Some(done) = tasks.join_next().await {
            let err = done.expect("no panic").expect_err("503");
            assert_eq!(err.kind(), ErrorKind::ServerError);
            attempts += err.attempts() as usize;
        }
    })
    .await;
    assert!(joined.is_ok(), "no answer within {BOUND:?}");
    eprintln!(
        "fault-case 16 GETs, always 503, quota 50/5: requests={} (48 without a quota), elapsed_ms={}",
        server.hits(),
        start.elapsed().as_millis()
    );
    assert_eq!(server.hits(), TASKS + 10);
    assert_eq!(attempts, TASKS + 10);

    // A success refills the bucket by one token; a retried success gives back its cost.
    let server = then_ok(1, || vec![json(503, "{}")]).await;
    let quota = RetryQuota::new(5, 5, 10);
    let client = builder(&server)
        .retry_quota(quota.clone())
        .build()
        .expect("client");
    let (r, _) = run("503 once, quota of one retry", get_user(&client), same).await;
    check("quota refund", &r, &server, 2, None);
    assert_eq!(quota.available(), Some(5), "the retry's cost came back");
}

// ---------------------------------------------------------------------------------------------
// Interceptors
// ---------------------------------------------------------------------------------------------

/// Records what it is shown and tags every attempt with a header.
#[derive(Debug, Default)]
struct Recorder(std::sync::Mutex<Vec<String>>);

impl Intercept for Recorder {
    fn before_send(&self, r: &mut BeforeSend<'_>) {
        let line = format!("send #{} {:?}", r.attempt(), r.headers());
        self.0.lock().expect("lock").push(line);
        let tag = http::HeaderValue::from_str(&format!("attempt-{}", r.attempt())).expect("ascii");
        r.headers_mut().insert("x-trace", tag);
    }

    fn after_response(&self, r: &AfterResponse<'_>) {
        let line = format!(
            "response #{} {} {:?} {}",
            r.attempt(),
            r.status().as_u16(),
            r.headers(),
            r.redacted_body()
        );
        self.0.lock().expect("lock").push(line);
    }

    fn on_error(&self, f: &AttemptFailure<'_>) {
        let line = format!("error #{} {}", f.attempt(), f.description());
        self.0.lock().expect("lock").push(line);
    }
}

#[tokio::test]
async fn interceptors_see_every_attempt_and_no_secret() {
    let server = FaultServer::start(|n, req| match n {
        0 => vec![Step::Reset],
        1 => {
            let echoed = req.header("authorization").unwrap_or_default().to_owned();
            vec![response(
                503,
                &[("x-echo", &echoed)],
                format!("{{\"k\":\"{KEY}:{SECRET}\"}}").as_bytes(),
            )]
        }
        _ => vec![json(200, r#"{"id":"u1","api_secret":"ReturnedSecret99"}"#)],
    })
    .await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&server)
        .interceptor(Arc::clone(&recorder))
        .build()
        .expect("client");
    let (r, _) = run("interceptors: reset, 503, 200", get_user(&client), same).await;
    check("interceptors", &r, &server, 3, None);

    let seen = recorder.0.lock().expect("lock").clone();
    let kinds: Vec<&str> = seen
        .iter()
        .map(|l| l.split(' ').next().unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        ["send", "error", "send", "response", "send", "response"],
        "{seen:#?}"
    );
    assert!(seen[1].contains("the connection failed"), "{}", seen[1]);
    let all = seen.join("\n");
    for secret in [SECRET, "ReturnedSecret99", "authorization"] {
        assert!(
            !all.contains(secret),
            "{secret} shown to an interceptor:\n{all}"
        );
    }
    // The header an interceptor added was sent with each attempt.
    let tags: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.header("x-trace").unwrap_or_default().to_owned())
        .collect();
    let mut tags = tags;
    tags.sort();
    assert_eq!(tags, ["attempt-1", "attempt-2", "attempt-3"]);
}
