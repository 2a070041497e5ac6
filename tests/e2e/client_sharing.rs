//! Clones of one `cld_provisioning::Client` share one connection pool; separately built clients
//! do not.
//!
//! wiremock cannot say how many TCP connections it accepted, so this binary has its own tiny
//! HTTP/1.1 keep-alive server on 127.0.0.1 that counts them. It is bounded: it accepts at most
//! a few connections, answers at most a few requests on each (every one with the same JSON
//! 200, keeping the connection open), gives up on a connection that stays silent, and is
//! aborted when its test ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cld_provisioning::{Client, RetryConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Connections the server accepts at most; more than any test here needs.
const MAX_CONNECTIONS: usize = 4;
/// Requests answered on one connection at most.
const MAX_REQUESTS_PER_CONNECTION: usize = 8;
/// How long the server waits for a connection or for the next request on one.
const IDLE_LIMIT: Duration = Duration::from_secs(10);
/// The largest request head the server reads.
const MAX_HEAD: usize = 16 * 1024;

const BODY: &str = r#"{"users":[]}"#;

struct CountingServer {
    uri: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl CountingServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let uri = format!("http://{}", listener.local_addr().expect("address"));
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let task = tokio::spawn({
            let (connections, requests) = (Arc::clone(&connections), Arc::clone(&requests));
            async move {
                // Dropping the set (when the server task is aborted) aborts every connection.
                let mut open = JoinSet::new();
                while connections.load(Ordering::SeqCst) < MAX_CONNECTIONS {
                    let Ok(Ok((stream, _))) =
                        tokio::time::timeout(IDLE_LIMIT, listener.accept()).await
                    else {
                        break;
                    };
                    connections.fetch_add(1, Ordering::SeqCst);
                    open.spawn(serve_connection(stream, Arc::clone(&requests)));
                }
                while open.join_next().await.is_some() {}
            }
        });
        Self {
            uri,
            connections,
            requests,
            task,
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers each request on `stream` with [`BODY`] and keeps the connection open, until the
/// client closes it, stays silent for [`IDLE_LIMIT`], or [`MAX_REQUESTS_PER_CONNECTION`] have
/// been answered.
async fn serve_connection(mut stream: TcpStream, requests: Arc<AtomicUsize>) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let mut buf: Vec<u8> = Vec::new();
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        // Read one request head; the requests sent here are GETs without a body.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if buf.len() > MAX_HEAD {
                return;
            }
            let mut chunk = [0u8; 4096];
            match tokio::time::timeout(IDLE_LIMIT, stream.read(&mut chunk)).await {
                Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
                _ => return,
            }
        };
        buf.drain(..head_end);
        requests.fetch_add(1, Ordering::SeqCst);
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn build_client(server: &CountingServer) -> Client {
    Client::builder()
        .credentials("k", "s")
        .account_id("acc")
        .base_url(&server.uri)
        .retry(RetryConfig::disabled())
        .build()
        .expect("client")
}

/// One call, then a short pause: hyper hands a connection back to the pool from a background
/// task once the response is read, and a request sent before that task ran would open a
/// second connection whatever the pool is. The pause lets an idle connection be idle, which is
/// what reuse is about.
async fn list_users(client: &Client) {
    let users = client.users().list().send().await.expect("200");
    assert_eq!(users.users.map(|u| u.len()), Some(0));
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[tokio::test]
async fn clones_of_one_client_share_one_connection() {
    let server = CountingServer::start().await;
    let client = build_client(&server);
    let clones = [client.clone(), client.clone(), client.clone()];
    drop(client);
    for clone in &clones {
        list_users(clone).await;
    }
    assert_eq!(server.requests(), 3);
    assert_eq!(
        server.connections(),
        1,
        "three sequential requests through three clones of one client"
    );
}

#[tokio::test]
async fn separately_built_clients_do_not_share_connections() {
    let server = CountingServer::start().await;
    let first = build_client(&server);
    let second = build_client(&server);
    list_users(&first).await;
    list_users(&second).await;
    list_users(&first).await;
    assert_eq!(server.requests(), 3);
    assert_eq!(
        server.connections(),
        2,
        "two clients built separately have a pool each"
    );
}
