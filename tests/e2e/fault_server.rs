//! A hand-written HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, for
//! `faults.rs` in the same binary.
//!
//! wiremock answers well-formed HTTP only; the faults a client must survive are below that:
//! a reset before the response, a body cut off after its declared length was promised, a body
//! that trickles forever. Each accepted request is answered by a script, a list of [`Step`]s
//! chosen by the test from the request's arrival number and the request itself; the server then
//! closes the connection (every scripted response says `connection: close`, so the client never
//! reuses one). It is bounded: at most [`MAX_CONNECTIONS`] connections, a request head of at
//! most [`MAX_HEAD`] bytes, a body of at most [`MAX_BODY`], every read given up after
//! [`IDLE_LIMIT`], a trickle of at most the bytes it was given, and everything is aborted when
//! the server is dropped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Connections the server accepts at most.
pub const MAX_CONNECTIONS: usize = 2_000;
/// The largest request head read.
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body read.
const MAX_BODY: usize = 1024 * 1024;
/// How long a connection may stay silent before the server drops it.
const IDLE_LIMIT: Duration = Duration::from_secs(10);

/// What the server received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Its arrival number, as the script saw it (0-based).
    pub number: usize,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target.
    pub target: String,
    /// Header lines as `name: value`, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Received {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One thing the server does while answering.
#[derive(Debug, Clone)]
pub enum Step {
    /// Writes these bytes.
    Send(Vec<u8>),
    /// Waits.
    Wait(Duration),
    /// Writes `count` single bytes `b' '`, one every `every` (an endless body, bounded).
    Trickle { every: Duration, count: usize },
    /// Writes `total` bytes of `x` in 64 KiB pieces, as fast as the client reads.
    Flood { total: usize },
    /// Closes with a TCP reset instead of an orderly close.
    Reset,
}

/// Chooses the steps for request number `n` (0-based, in arrival order).
pub type Script = Arc<dyn Fn(usize, &Received) -> Vec<Step> + Send + Sync>;

/// A running fault server; aborted on drop.
pub struct FaultServer {
    /// `http://127.0.0.1:PORT`.
    pub uri: String,
    hits: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server answering every request with `script`.
    pub async fn start(
        script: impl Fn(usize, &Received) -> Vec<Step> + Send + Sync + 'static,
    ) -> Self {
        let script: Script = Arc::new(script);
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let uri = format!("http://{}", listener.local_addr().expect("local address"));
        let hits = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn({
            let (hits, received) = (Arc::clone(&hits), Arc::clone(&received));
            async move {
                // Dropping the set (when the server task is aborted) aborts every connection.
                let mut open = JoinSet::new();
                for _ in 0..MAX_CONNECTIONS {
                    let Ok(Ok((stream, _))) =
                        tokio::time::timeout(IDLE_LIMIT, listener.accept()).await
                    else {
                        break;
                    };
                    open.spawn(serve(
                        stream,
                        Arc::clone(&script),
                        Arc::clone(&hits),
                        Arc::clone(&received),
                    ));
                    // Reap finished connections so the set stays small.
                    while open.try_join_next().is_some() {}
                }
                while open.join_next().await.is_some() {}
            }
        });
        Self {
            uri,
            hits,
            received,
            task,
        }
    }

    /// How many requests arrived (attempts, as the server saw them).
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Every request received (concurrent ones in any order: see [`Received::number`]).
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A complete response: status line, `content-length`, `connection: close`, extra headers.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Step {
    let mut head = head(status, headers);
    head.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    head.extend_from_slice(body);
    Step::Send(head)
}

/// The status line and headers, ending with `connection: close` but not with the blank line.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Fault\r\nconnection: close\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out
}

/// A JSON response.
pub fn json(status: u16, body: &str) -> Step {
    response(
        status,
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
}

async fn serve(
    mut stream: TcpStream,
    script: Script,
    hits: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
) {
    let Some(mut request) = read_request(&mut stream).await else {
        return;
    };
    let n = hits.fetch_add(1, Ordering::SeqCst);
    request.number = n;
    received.lock().expect("lock").push(request.clone());
    for step in script(n, &request) {
        let ok = match step {
            Step::Send(bytes) => stream.write_all(&bytes).await.is_ok(),
            Step::Wait(d) => {
                tokio::time::sleep(d).await;
                true
            }
            Step::Trickle { every, count } => trickle(&mut stream, every, count).await,
            Step::Flood { total } => flood(&mut stream, total).await,
            Step::Reset => {
                // A zero linger makes the close a RST and does not block (the deprecation is
                // about a non-zero linger blocking the thread on drop).
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                return;
            }
        };
        if !ok {
            return;
        }
    }
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}

async fn trickle(stream: &mut TcpStream, every: Duration, count: usize) -> bool {
    for _ in 0..count {
        if stream.write_all(b" ").await.is_err() {
            return false;
        }
        tokio::time::sleep(every).await;
    }
    true
}

async fn flood(stream: &mut TcpStream, total: usize) -> bool {
    let piece = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < total {
        let n = piece.len().min(total - sent);
        if stream.write_all(&piece[..n]).await.is_err() {
            return false;
        }
        sent += n;
    }
    true
}

/// Reads one request (head and `content-length` body), or `None` on silence, EOF or excess.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let n = tokio::time::timeout(IDLE_LIMIT, stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = tokio::time::timeout(IDLE_LIMIT, stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        number: 0,
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}
