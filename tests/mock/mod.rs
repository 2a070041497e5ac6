//! A local stand-in for the Cloudinary Account Provisioning API, answering from the spec.
//!
//! [`start`] reads `openapi/cld-provisioning.yaml` at run time and starts a real HTTP server
//! on `127.0.0.1` (a wiremock [`MockServer`]) that answers every operation of the spec. Each
//! operation is matched by its method and its path template as an anchored regex (a
//! `{param}` is one path segment, `[^/]+`), at the server root, so a client pointed at
//! [`MockApi::uri`] reaches it with the paths it always uses.
//!
//! The answer to a request is the spec's own example for the operation's success response
//! (with its documented status; no body where the spec documents none), chosen to fit the
//! request where the spec offers several (`extended_details=true`, `verbose=true`, a content
//! role, ...). The mock also remembers, within bounds, what the client created, changed and
//! deleted, so that a flow like "create, fetch, delete, fetch again" behaves as it would
//! against the real API:
//!
//! - a created resource is the create example wearing the fields the client sent, under the
//!   example's id when that is still free (a fresh id of the same shape otherwise; a role is
//!   named after its name unless the client chose an id), and is
//!   returned by `get`, changed by `update`, listed, and removed by `delete`;
//! - a deleted resource answers `404` afterwards;
//! - `get` and `update` of an id the mock does not hold answer the example with that id;
//! - group members and role assignments are remembered; pages are cut from the whole list
//!   (`page`, `page_size`), and any `cursor` gets the last, empty page, so streams end.
//!
//! Send `Prefer: example=NAME` (Prism's convention) to get the operation's example of that
//! name verbatim, without touching the mock's memory.
//!
//! The memory holds at most [`MAX_RECORDS`] records; past that, creates are refused with `507`.
//! Requests that match no operation get a JSON `404` naming the method and path.
//!
//! ```no_run
//! # async fn demo() {
//! let mock = workspace_tests::mock::start().await;
//! let client = cld_provisioning::Client::builder()
//!     .credentials("key", "secret")
//!     .account_id("account")
//!     .base_url(mock.uri())
//!     .build()
//!     .unwrap();
//! let users = client.users().list().send().await.unwrap();
//! assert_eq!(users.users.unwrap_or_default().len(), 2);
//! assert_eq!(mock.requests_served(), 1);
//! # }
//! ```

mod spec;
mod world;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::json;
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

pub use spec::SpecError;
pub use world::MAX_RECORDS;

use world::{Incoming, World};

/// A running mock of the API. The server stops when this is dropped.
#[derive(Debug)]
pub struct MockApi {
    server: MockServer,
    served: Arc<AtomicUsize>,
    operations: usize,
}

impl MockApi {
    /// The server's base URL (`http://127.0.0.1:PORT`), to give to `ClientBuilder::base_url`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// How many requests the mock has answered as one of the spec's operations (requests
    /// that matched no operation are not counted).
    pub fn requests_served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }

    /// How many operations of the spec the mock answers.
    pub fn operations(&self) -> usize {
        self.operations
    }
}

/// The spec the mock answers from: `openapi/cld-provisioning.yaml` in the workspace.
pub fn spec_path() -> PathBuf {
    crate::workspace_root().join(xtask::codegen::DEFAULT_SPEC)
}

/// Starts the mock on `127.0.0.1` with a free port, answering from [`spec_path`].
///
/// # Panics
///
/// When the spec cannot be read or lacks an example for a success response with a body; the
/// mock would otherwise answer with something the spec does not say.
pub async fn start() -> MockApi {
    let path = spec_path();
    match start_with_spec(&path).await {
        Ok(mock) => mock,
        Err(e) => panic!("the mock API cannot start: {e}"),
    }
}

/// Like [`start`], answering from another spec file.
pub async fn start_with_spec(path: &Path) -> Result<MockApi, SpecError> {
    let ops: Arc<[spec::Operation]> = spec::load(path)?.into();
    let world = Arc::new(Mutex::new(World::new(Arc::clone(&ops))));
    let served = Arc::new(AtomicUsize::new(0));
    let server = MockServer::start().await;
    for (index, op) in ops.iter().enumerate() {
        Mock::given(method(op.method.as_str()))
            .and(path_regex(op.path_regex()))
            .respond_with(Answer {
                index,
                world: Arc::clone(&world),
                served: Arc::clone(&served),
            })
            .named(op.id.as_str())
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(|request: &wiremock::Request| {
            ResponseTemplate::new(404).set_body_json(json!({
                "error": {
                    "message": format!(
                        "the mock API has no operation for {} {}",
                        request.method,
                        request.url.path()
                    )
                }
            }))
        })
        .with_priority(u8::MAX)
        .named("no such operation")
        .mount(&server)
        .await;
    Ok(MockApi {
        server,
        served,
        operations: ops.len(),
    })
}

/// Answers the requests of one operation from the shared [`World`].
struct Answer {
    index: usize,
    world: Arc<Mutex<World>>,
    served: Arc<AtomicUsize>,
}

impl Respond for Answer {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        self.served.fetch_add(1, Ordering::SeqCst);
        let incoming = Incoming {
            path: request.url.path().to_string(),
            query: request.url.query_pairs().into_owned().collect(),
            body: serde_json::from_slice(&request.body).ok(),
            prefer_example: prefer_example(request),
        };
        let reply = self
            .world
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .answer(self.index, &incoming);
        let template = ResponseTemplate::new(reply.status);
        match reply.body {
            Some(body) => template.set_body_json(body),
            None => template,
        }
    }
}

/// The example named by `Prefer: example=NAME`, if the request has one.
fn prefer_example(request: &wiremock::Request) -> Option<String> {
    request
        .headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split([',', ';']))
        .find_map(|pref| {
            let (key, value) = pref.split_once('=')?;
            (key.trim() == "example").then(|| value.trim().trim_matches('"').to_string())
        })
}

#[cfg(test)]
mod tests;
