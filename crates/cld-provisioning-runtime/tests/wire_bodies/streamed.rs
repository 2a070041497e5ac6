//! Streamed success bodies ([`ByteStream`]): read chunk by chunk past the in-memory limit, not
//! bounded by the attempt timeout once the headers are in, and a body that breaks or stalls
//! mid-stream surfaces as a typed error item.
//!
//! The servers here are plain threads on 127.0.0.1 writing HTTP/1.1 by hand, so a test decides
//! exactly when each byte goes out (wiremock sends a body all at once).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use cld_provisioning_runtime::codegen::{AuthMode, Core, OperationRequest};
use cld_provisioning_runtime::http::Method;
use cld_provisioning_runtime::stall::StalledStreamProtection;
use cld_provisioning_runtime::{
    ByteStream, CallOptions, ClientBuilder, Error, MAX_RESPONSE_BODY, RetryClass, RetryConfig,
};

use crate::INFO;

/// Serves one connection with `respond`, after reading the request head.
fn serve_once(respond: impl FnOnce(&mut TcpStream) + Send + 'static) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        respond(&mut socket);
    });
    (base, handle)
}

fn client(base: &str, timeout: Duration, stall: StalledStreamProtection) -> Core {
    ClientBuilder::<Core>::new(INFO)
        .base_url(base)
        .timeout(timeout)
        .stalled_stream_protection(stall)
        .retry(RetryConfig::disabled())
        .build_core()
        .unwrap()
}

fn download() -> OperationRequest {
    let mut req = OperationRequest::new(
        Method::GET,
        "download",
        AuthMode::None,
        RetryClass::Idempotent,
    );
    req.push_literal("media");
    req.stream_success_body();
    req
}

async fn stream_of(core: &Core) -> Result<ByteStream, Error<()>> {
    let raw = core
        .execute::<()>(download(), CallOptions::default())
        .await?;
    Ok(raw.into_stream::<()>()?.into_inner())
}

/// `future`, within a bound on the wait.
async fn within<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .expect("done within 30 s")
}

/// The next chunk, within a bound on the wait: a test never hangs on a stream that stops.
async fn next(stream: &mut ByteStream) -> Option<Result<bytes::Bytes, Error<()>>> {
    tokio::time::timeout(Duration::from_secs(30), stream.next_chunk())
        .await
        .expect("no chunk within 30 s")
}

/// Sends the head of a response declaring `length` bytes, then `first` of them.
fn begin(socket: &mut TcpStream, length: usize, first: &[u8]) {
    socket.write_all(head(length).as_bytes()).unwrap();
    socket.write_all(first).unwrap();
    socket.flush().unwrap();
}

fn head(length: usize) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n"
    )
}

#[tokio::test]
async fn a_body_past_the_in_memory_limit_streams_in_bounded_chunks() {
    // 80 MiB: read whole, this body would fail as larger than MAX_RESPONSE_BODY.
    const TOTAL: usize = 80 * 1024 * 1024;
    const BLOCK: usize = 256 * 1024;
    let (base, server) = serve_once(|socket| {
        socket.write_all(head(TOTAL).as_bytes()).unwrap();
        let block: Vec<u8> = (0..BLOCK).map(|i| (i % 251) as u8).collect();
        for _ in 0..TOTAL / BLOCK {
            if socket.write_all(&block).is_err() {
                return;
            }
        }
    });
    let core = client(
        &base,
        Duration::from_secs(30),
        StalledStreamProtection::default(),
    );
    let mut stream = stream_of(&core).await.unwrap();
    assert_eq!(stream.content_length(), Some(TOTAL as u64));
    let (mut total, mut largest) = (0usize, 0usize);
    // Bounded: empty chunks would otherwise spin without end.
    for _ in 0..TOTAL / 64 {
        let Some(chunk) = next(&mut stream).await else {
            break;
        };
        let chunk = chunk.unwrap();
        // The bytes are the server's pattern, in order.
        for (i, b) in chunk.iter().enumerate() {
            assert_eq!(*b, ((total + i) % BLOCK % 251) as u8);
        }
        total += chunk.len();
        largest = largest.max(chunk.len());
    }
    const { assert!(TOTAL > MAX_RESPONSE_BODY) };
    assert_eq!(total, TOTAL);
    // What the caller held at once: one chunk, far below the body.
    assert!(largest <= 4 * 1024 * 1024, "a chunk of {largest} bytes");
    server.join().unwrap();
}

#[tokio::test]
async fn a_body_cut_off_mid_stream_is_a_transport_error_item() {
    let (base, server) = serve_once(|socket| {
        begin(socket, 1000, &[7u8; 100]);
        // Dropping the socket closes the connection 900 bytes short.
    });
    let core = client(
        &base,
        Duration::from_secs(5),
        StalledStreamProtection::default(),
    );
    let mut stream = stream_of(&core).await.unwrap();
    let mut received = 0;
    let mut chunks = 0..1000;
    let failure = loop {
        assert!(chunks.next().is_some(), "the stream never ended");
        match next(&mut stream).await {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(e)) => break e,
            None => panic!("a cut-off body must not end cleanly"),
        }
    };
    assert_eq!(received, 100);
    let Error::Transport(t) = &failure else {
        panic!("expected a transport error, got {failure:?}")
    };
    assert_eq!(t.body_cut_off(), Some((100, Some(1000))));
    // The stream ends after its error.
    assert!(next(&mut stream).await.is_none());
    server.join().unwrap();
}

#[tokio::test]
async fn a_stall_mid_stream_is_a_timeout_item_but_the_attempt_timeout_does_not_bound_the_body() {
    let (base, server) = serve_once(|socket| {
        begin(socket, 20, &[1u8; 10]);
        // Longer than the attempt timeout (100 ms), shorter than the stall window (1 s).
        std::thread::sleep(Duration::from_millis(400));
        let _ = socket.write_all(&[2u8; 10]);
        let _ = socket.flush();
        std::thread::sleep(Duration::from_millis(400));
    });
    let protection = StalledStreamProtection::new(1, Duration::from_secs(1));
    let core = client(&base, Duration::from_millis(100), protection);
    let body = tokio::time::timeout(
        Duration::from_secs(30),
        stream_of(&core).await.unwrap().bytes(1024),
    )
    .await
    .expect("read within 30 s")
    .unwrap();
    assert_eq!(&body[..], &[[1u8; 10], [2u8; 10]].concat()[..]);
    server.join().unwrap();

    // Now a server that stops: the stall window (200 ms at 1 kB/s) ends the read.
    let (base, server) = serve_once(|socket| {
        begin(socket, 20, &[1u8; 10]);
        std::thread::sleep(Duration::from_millis(1500));
    });
    let protection = StalledStreamProtection::new(1000, Duration::from_millis(200));
    let core = client(&base, Duration::from_secs(5), protection);
    let mut stream = stream_of(&core).await.unwrap();
    assert_eq!(next(&mut stream).await.unwrap().unwrap().len(), 10);
    let failure = next(&mut stream).await.unwrap().unwrap_err();
    assert!(
        matches!(failure, Error::Timeout(_)),
        "expected a timeout, got {failure:?}"
    );
    server.join().unwrap();
}

#[tokio::test]
async fn time_the_caller_spends_between_chunks_is_not_a_stall() {
    let (base, server) = serve_once(|socket| {
        socket.write_all(head(30).as_bytes()).unwrap();
        for _ in 0..3 {
            let _ = socket.write_all(&[5u8; 10]);
            let _ = socket.flush();
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    // A window of 100 ms needing 100 bytes: only a reader that is away would trip it.
    let protection = StalledStreamProtection::new(1000, Duration::from_millis(100));
    let core = client(&base, Duration::from_secs(5), protection);
    let mut stream = stream_of(&core).await.unwrap();
    let mut total = 0;
    for _ in 0..30 {
        let Some(chunk) = next(&mut stream).await else {
            break;
        };
        total += chunk.unwrap().len();
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(total, 30);
    server.join().unwrap();
}

#[tokio::test]
async fn headers_that_come_too_late_are_an_attempt_timeout() {
    let (base, server) = serve_once(|socket| {
        std::thread::sleep(Duration::from_millis(800));
        let _ = socket.write_all(head(0).as_bytes());
    });
    let core = client(
        &base,
        Duration::from_millis(100),
        StalledStreamProtection::default(),
    );
    let started = std::time::Instant::now();
    let failure = stream_of(&core).await.unwrap_err();
    assert!(matches!(failure, Error::Timeout(_)), "{failure:?}");
    assert!(started.elapsed() < Duration::from_millis(700));
    server.join().unwrap();
}

#[tokio::test]
async fn a_chunked_body_without_a_length_is_bounded_by_the_limit_and_reads_as_a_stream() {
    use futures_util::TryStreamExt;
    // Three chunks of 10 bytes, no declared length: the limit is judged as they arrive.
    let chunked = |socket: &mut TcpStream| {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
        socket.write_all(head.as_bytes()).unwrap();
        for byte in [b'a', b'b', b'c'] {
            let _ = socket.write_all(b"a\r\n");
            let _ = socket.write_all(&[byte; 10]);
            let _ = socket.write_all(b"\r\n");
            let _ = socket.flush();
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = socket.write_all(b"0\r\n\r\n");
    };

    let (base, server) = serve_once(chunked);
    let core = client(
        &base,
        Duration::from_secs(5),
        StalledStreamProtection::default(),
    );
    let stream = stream_of(&core).await.unwrap();
    assert_eq!(stream.content_length(), None);
    let Err(Error::Transport(t)) = within(stream.bytes(25)).await else {
        panic!("30 bytes must not fit a limit of 25")
    };
    assert!(t.is_body_too_large());
    server.join().unwrap();

    // As a `futures` stream: every chunk, in order.
    let (base, server) = serve_once(chunked);
    let core = client(
        &base,
        Duration::from_secs(5),
        StalledStreamProtection::default(),
    );
    let stream = stream_of(&core).await.unwrap();
    let chunks: Vec<bytes::Bytes> = within(stream.try_collect()).await.unwrap();
    assert_eq!(
        chunks.concat(),
        [[b'a'; 10], [b'b'; 10], [b'c'; 10]].concat()
    );
    server.join().unwrap();
}
