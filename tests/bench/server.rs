//! The loopback server, run as its own child process (`--serve`) so its memory and CPU are
//! not the client's: hyper 1 over HTTP/1.1 (what reqwest speaks to a plain-HTTP server),
//! keep-alive, the bodies built once and shared (`Bytes` clones are reference counts).

use std::convert::Infallible;
use std::io::{BufRead, Write};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use crate::fixtures;

/// The canned answers.
#[derive(Clone)]
struct Bodies {
    page: Bytes,
    all: Bytes,
    created: Bytes,
}

/// Serves until standard input closes (the parent holds the pipe, so the server never
/// outlives it), after printing `port N` on standard output.
pub fn serve() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("server runtime: {e}"))?;
    let bodies = Bodies {
        page: fixtures::users_body(fixtures::PAGE_USERS),
        all: fixtures::users_body(fixtures::ALL_USERS),
        created: fixtures::created_environment_body(),
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|e| format!("server bind: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("server address: {e}"))?
        .port();
    runtime.spawn(accept_loop(listener, bodies));
    let mut out = std::io::stdout().lock();
    writeln!(out, "port {port}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    // Blocks until the parent closes the pipe (or exits).
    let mut line = String::new();
    while std::io::stdin().lock().read_line(&mut line).unwrap_or(0) > 0 {
        line.clear();
    }
    Ok(())
}

async fn accept_loop(listener: tokio::net::TcpListener, bodies: Bodies) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        // Small answers must not wait for Nagle: the client measures latency.
        let _ = stream.set_nodelay(true);
        let bodies = bodies.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(req, bodies.clone()));
            // A client that goes away mid-request is not the server's problem here.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Routes the three benchmark requests; anything else is a 404 the clients report as an error.
async fn answer(
    req: Request<Incoming>,
    bodies: Bodies,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_owned();
    let has_page_size = req.uri().query().is_some_and(|q| q.contains("page_size="));
    let method = req.method().clone();
    // Read the request body in full, as a real server does, so the connection stays usable.
    let _ = req.into_body().collect().await;
    let (status, body) = match (method, path.rsplit('/').next()) {
        (Method::GET, Some("users")) if has_page_size => (StatusCode::OK, bodies.page),
        (Method::GET, Some("users")) => (StatusCode::OK, bodies.all),
        (Method::POST, Some("sub_accounts")) => (StatusCode::OK, bodies.created),
        _ => (
            StatusCode::NOT_FOUND,
            Bytes::from_static(b"{\"error\":{\"message\":\"not found\"}}"),
        ),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}
