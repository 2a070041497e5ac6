//! What `send` returns: a future that owns the call (so it can be spawned and outlive its
//! builder and client), that sends nothing until polled, and that stays small. Every request
//! builder's `send`/`send_with_metadata` come from the same runtime macro, so one operation
//! stands for all of them.

use std::future::Future;

use serde_json::json;
use workspace_tests::support::{client, only_request, requests, serve_json};

/// The most a `send` future of a builder with a JSON body may take. It holds the call on its
/// way (a pointer) or why it could not be built; before `send` built the request eagerly it
/// held the builder twice and the request (1,776 bytes for this operation).
const MAX_SEND_FUTURE: usize = 512;

fn spawnable<F: Future + Send + 'static>(f: F) -> F {
    f
}

#[tokio::test]
async fn a_send_future_owns_its_call_and_outlives_its_client() {
    let server = serve_json(200, json!({"id": "pe1", "cloud_name": "c1"})).await;
    let client = client(&server);
    let send = spawnable(
        client
            .product_environments()
            .create()
            .name("Docs")
            .cloud_name("c1")
            .send(),
    );
    drop(client);
    // Built, not polled: nothing is on the wire yet.
    assert!(requests(&server).await.is_empty());
    let created = tokio::spawn(send).await.unwrap().unwrap();
    assert_eq!(created.cloud_name.as_deref(), Some("c1"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
}

#[tokio::test]
async fn send_futures_stay_small() {
    let server = serve_json(200, json!({})).await;
    let client = client(&server);
    let create = client
        .product_environments()
        .create()
        .name("n")
        .cloud_name("c");
    let send = create.clone().send();
    let with_metadata = create.send_with_metadata();
    let list = client.users().list().page_size(50).send();
    for (what, size) in [
        ("create().send()", std::mem::size_of_val(&send)),
        (
            "create().send_with_metadata()",
            std::mem::size_of_val(&with_metadata),
        ),
        ("users().list().send()", std::mem::size_of_val(&list)),
    ] {
        assert!(size <= MAX_SEND_FUTURE, "{what}: {size} bytes");
    }
}
