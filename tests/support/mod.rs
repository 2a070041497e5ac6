//! Shared helpers of the end-to-end tests (`tests/e2e/`, `e2e_logs.rs`, `e2e_process_env.rs`),
//! compiled once in this library.
//!
//! Every test talks to a wiremock server on 127.0.0.1 and then inspects what the server
//! received: the raw request target (path with its percent-encoding, and the query string
//! exactly), the headers and the JSON body. Response bodies come from the spec's own examples
//! (`components/examples` in `openapi/cld-provisioning.yaml`) or are written by hand; the
//! expected decoded values are always written by hand in the tests.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use cld_provisioning::{Client, ClientBuilder, Error, RetryConfig};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The API key every test client is configured with.
pub const KEY: &str = "k";
/// The API secret every test client is configured with.
pub const SECRET: &str = "s";
/// The account id every test client is configured with.
pub const ACCOUNT: &str = "acc";
/// `Basic ` + base64("k:s"), worked out by hand: "k:s" is 0x6b 0x3a 0x73, which is the
/// base64 quartet "azpz".
pub const BASIC_K_S: &str = "Basic azpz";

/// The `/v1_1/provisioning/accounts/acc` prefix of the provisioning paths.
pub const P: &str = "/v1_1/provisioning/accounts/acc";
/// The `/v2/accounts/acc/permissions` prefix of the permissions paths.
pub const R: &str = "/v2/accounts/acc/permissions";

/// The spec, parsed once per test binary.
fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = crate::workspace_root().join(xtask::codegen::DEFAULT_SPEC);
        let text = std::fs::read_to_string(path).expect("read the spec");
        yaml_serde::from_str(&text).expect("parse the spec")
    })
}

/// The `value` of `components/examples/<name>` in the spec.
pub fn spec_example(name: &str) -> Value {
    spec()["components"]["examples"][name]["value"].clone()
}

/// The `version` of `crates/cld-provisioning/Cargo.toml`, read from the file (not from the SDK).
pub fn sdk_crate_version() -> String {
    let path = crate::workspace_root()
        .join(xtask::codegen::DEFAULT_OUT)
        .join("Cargo.toml");
    let text = std::fs::read_to_string(path).expect("read the SDK manifest");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("version"))
        .expect("a version line");
    line.split('"').nth(1).expect("a quoted version").to_owned()
}

/// The `User-Agent` the issue asks for: `Cloudinary/AccountProvisioning Rust/<ver>
/// Schema/0.2.1 (<os> <arch>)`, the crate version without its `+build` part.
pub fn expected_user_agent() -> String {
    let version = sdk_crate_version();
    let version = version.split('+').next().unwrap_or_default().to_owned();
    format!(
        "Cloudinary/AccountProvisioning Rust/{version} Schema/0.2.1 ({} {})",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// A builder with the test credentials and account id, pointed at `server`, retries off.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .credentials(KEY, SECRET)
        .account_id(ACCOUNT)
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
}

/// [`builder`], built.
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("a valid test configuration")
}

/// A client without credentials or account id (for the public and agent endpoints).
pub fn anonymous_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .expect("a valid test configuration")
}

/// Starts a mock server on 127.0.0.1 that answers every request with `status` and `body`.
pub async fn serve_json(status: u16, body: Value) -> MockServer {
    serve(ResponseTemplate::new(status).set_body_json(body)).await
}

/// Starts a mock server that answers every request with `template`.
pub async fn serve(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// A JSON response with an explicit content type and the given raw body.
pub fn raw_response(status: u16, content_type: &str, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type)
}

/// Every request the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request the server received (fails if there were more or none).
pub async fn only_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
    all.remove(0)
}

/// The request target exactly as sent: the raw path (percent-encoding kept) and `?query`.
pub fn target(req: &Request) -> String {
    match req.url.query() {
        Some(q) => format!("{}?{q}", req.url.path()),
        None => req.url.path().to_owned(),
    }
}

/// A header's value as text (`None` when absent; all values joined with `, `).
pub fn header(req: &Request, name: &str) -> Option<String> {
    let values: Vec<String> = req
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII header").to_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// The request body parsed as JSON.
pub fn json_body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or_else(|e| {
        panic!(
            "body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&req.body)
        )
    })
}

/// Whether a request carries `Authorization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Basic azpz` (key `k`, secret `s`).
    Basic,
    /// No `Authorization` header at all.
    Absent,
}

/// Asserts the method, the exact target, the SDK-owned headers and the JSON body of `req`.
///
/// - `Accept: application/json` and the exact `User-Agent` on every request;
/// - `Authorization` as `auth` says;
/// - with `body`, `Content-Type: application/json` and a body equal to it as JSON;
///   without, no body and no `Content-Type`;
/// - never a `Cookie` header.
pub fn assert_request(
    req: &Request,
    method: &str,
    want_target: &str,
    auth: Auth,
    body: Option<Value>,
) {
    assert_eq!(req.method.as_str(), method, "method of {}", target(req));
    assert_eq!(target(req), want_target, "request target");
    assert_eq!(
        header(req, "accept").as_deref(),
        Some("application/json"),
        "Accept"
    );
    assert_eq!(
        header(req, "user-agent"),
        Some(expected_user_agent()),
        "User-Agent"
    );
    match auth {
        Auth::Basic => assert_eq!(
            header(req, "authorization").as_deref(),
            Some(BASIC_K_S),
            "Authorization"
        ),
        Auth::Absent => assert_eq!(header(req, "authorization"), None, "Authorization"),
    }
    assert_eq!(header(req, "cookie"), None, "no Cookie header");
    match body {
        Some(want) => {
            assert_eq!(
                header(req, "content-type").as_deref(),
                Some("application/json"),
                "Content-Type"
            );
            assert_eq!(json_body(req), want, "JSON body");
        }
        None => {
            assert_eq!(
                header(req, "content-type"),
                None,
                "no Content-Type without a body"
            );
            assert!(
                req.body.is_empty(),
                "no body expected, got {:?}",
                String::from_utf8_lossy(&req.body)
            );
        }
    }
}

/// Records the waits the retry loop asks for and returns at once, so no test really sleeps.
#[derive(Clone, Default)]
pub struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleep {
    /// A recorder with no waits yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The sleep function to pass to `ClientBuilder::sleep_impl`.
    pub fn sleeper(&self) -> impl Fn(Duration) -> std::future::Ready<()> + Send + Sync + 'static {
        let seen = Arc::clone(&self.0);
        move |d| {
            seen.lock().expect("not poisoned").push(d);
            std::future::ready(())
        }
    }

    /// The durations asked for so far.
    pub fn durations(&self) -> Vec<Duration> {
        self.0.lock().expect("not poisoned").clone()
    }
}

/// A local port with nothing listening on it (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// How an operation authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Needs credentials.
    Required,
    /// Sends them when configured (the public permission endpoints).
    Optional,
    /// Never sends them (agent account creation).
    Never,
}

/// One operation called with its minimal valid arguments, as [`call`] sends it.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    /// The spec's operationId.
    pub id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The request target for account `acc` and the ids [`call`] uses (written by hand).
    pub target: &'static str,
    /// How it authenticates.
    pub auth: AuthMode,
}

const fn op(id: &'static str, method: &'static str, target: &'static str, auth: AuthMode) -> Op {
    Op {
        id,
        method,
        target,
        auth,
    }
}

use AuthMode::{Never, Optional, Required};

/// All 48 operations of the spec, with what [`call`] sends for each.
pub const OPERATIONS: [Op; 48] = [
    op(
        "getProductEnvironments",
        "GET",
        "/v1_1/provisioning/accounts/acc/sub_accounts",
        Required,
    ),
    op(
        "createProductEnvironment",
        "POST",
        "/v1_1/provisioning/accounts/acc/sub_accounts",
        Required,
    ),
    op(
        "getProductEnvironment",
        "GET",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1",
        Required,
    ),
    op(
        "updateProductEnvironment",
        "PUT",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1",
        Required,
    ),
    op(
        "deleteProductEnvironment",
        "DELETE",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1",
        Required,
    ),
    op(
        "getAccessKeys",
        "GET",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1/access_keys",
        Required,
    ),
    op(
        "generateAccessKey",
        "POST",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1/access_keys",
        Required,
    ),
    op(
        "deleteAccessKeyByName",
        "DELETE",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1/access_keys?name=kn",
        Required,
    ),
    op(
        "updateAccessKey",
        "PUT",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1/access_keys/key1",
        Required,
    ),
    op(
        "deleteAccessKey",
        "DELETE",
        "/v1_1/provisioning/accounts/acc/sub_accounts/pe1/access_keys/key1",
        Required,
    ),
    op(
        "getUsers",
        "GET",
        "/v1_1/provisioning/accounts/acc/users",
        Required,
    ),
    op(
        "createUser",
        "POST",
        "/v1_1/provisioning/accounts/acc/users",
        Required,
    ),
    op(
        "getUser",
        "GET",
        "/v1_1/provisioning/accounts/acc/users/u1",
        Required,
    ),
    op(
        "updateUser",
        "PUT",
        "/v1_1/provisioning/accounts/acc/users/u1",
        Required,
    ),
    op(
        "deleteUser",
        "DELETE",
        "/v1_1/provisioning/accounts/acc/users/u1",
        Required,
    ),
    op(
        "getGroupsForUser",
        "GET",
        "/v1_1/provisioning/accounts/acc/users/u1/groups",
        Required,
    ),
    op(
        "getSubAccountsForUser",
        "GET",
        "/v1_1/provisioning/accounts/acc/users/u1/sub_accounts",
        Required,
    ),
    op(
        "getUserGroups",
        "GET",
        "/v1_1/provisioning/accounts/acc/user_groups",
        Required,
    ),
    op(
        "createUserGroup",
        "POST",
        "/v1_1/provisioning/accounts/acc/user_groups",
        Required,
    ),
    op(
        "getUserGroup",
        "GET",
        "/v1_1/provisioning/accounts/acc/user_groups/g1",
        Required,
    ),
    op(
        "updateUserGroup",
        "PUT",
        "/v1_1/provisioning/accounts/acc/user_groups/g1",
        Required,
    ),
    op(
        "deleteUserGroup",
        "DELETE",
        "/v1_1/provisioning/accounts/acc/user_groups/g1",
        Required,
    ),
    op(
        "getUsersInUserGroup",
        "GET",
        "/v1_1/provisioning/accounts/acc/user_groups/g1/users",
        Required,
    ),
    op(
        "addUserToUserGroup",
        "POST",
        "/v1_1/provisioning/accounts/acc/user_groups/g1/users/u1",
        Required,
    ),
    op(
        "removeUserFromUserGroup",
        "DELETE",
        "/v1_1/provisioning/accounts/acc/user_groups/g1/users/u1",
        Required,
    ),
    op(
        "getBillingUsage",
        "GET",
        "/v1_1/provisioning/accounts/acc/billing_usage",
        Required,
    ),
    op(
        "createAgentAccount",
        "POST",
        "/v1_1/provisioning/agents/accounts",
        Never,
    ),
    op(
        "getSystemRolesAndPoliciesCatalog",
        "GET",
        "/v2/accounts/permissions/public/catalog",
        Optional,
    ),
    op(
        "validateCedarPolicy",
        "POST",
        "/v2/accounts/permissions/public/validate",
        Optional,
    ),
    op(
        "getCedarSchema",
        "GET",
        "/v2/accounts/permissions/public/schema",
        Optional,
    ),
    op(
        "getSystemPolicies",
        "GET",
        "/v2/accounts/acc/permissions/policies/system",
        Required,
    ),
    op(
        "getCustomPolicies",
        "GET",
        "/v2/accounts/acc/permissions/policies/custom",
        Required,
    ),
    op(
        "createCustomPolicy",
        "POST",
        "/v2/accounts/acc/permissions/policies/custom",
        Required,
    ),
    op(
        "getCustomPolicy",
        "GET",
        "/v2/accounts/acc/permissions/policies/custom/cp1",
        Required,
    ),
    op(
        "updateCustomPolicy",
        "PUT",
        "/v2/accounts/acc/permissions/policies/custom/cp1",
        Required,
    ),
    op(
        "deleteCustomPolicy",
        "DELETE",
        "/v2/accounts/acc/permissions/policies/custom/cp1",
        Required,
    ),
    op(
        "getEffectivePolicies",
        "GET",
        "/v2/accounts/acc/permissions/policies/effective",
        Required,
    ),
    op(
        "getRoles",
        "GET",
        "/v2/accounts/acc/permissions/roles?permission_type=global",
        Required,
    ),
    op(
        "createRole",
        "POST",
        "/v2/accounts/acc/permissions/roles",
        Required,
    ),
    op(
        "getRole",
        "GET",
        "/v2/accounts/acc/permissions/roles/r1",
        Required,
    ),
    op(
        "updateRole",
        "PUT",
        "/v2/accounts/acc/permissions/roles/r1",
        Required,
    ),
    op(
        "deleteRole",
        "DELETE",
        "/v2/accounts/acc/permissions/roles/r1",
        Required,
    ),
    op(
        "getRolePrincipals",
        "GET",
        "/v2/accounts/acc/permissions/roles/r1/principals",
        Required,
    ),
    op(
        "updateRolePrincipals",
        "PUT",
        "/v2/accounts/acc/permissions/roles/r1/principals",
        Required,
    ),
    op(
        "getPrincipalRoles",
        "GET",
        "/v2/accounts/acc/permissions/principal_roles?principal_type=user&principal_id=u1&permission_type=global",
        Required,
    ),
    op(
        "updatePrincipalRoles",
        "PUT",
        "/v2/accounts/acc/permissions/principal_roles",
        Required,
    ),
    op(
        "inspect",
        "GET",
        "/v2/accounts/acc/permissions/principal_roles/inspect?scope_type=account",
        Required,
    ),
    op(
        "inspectMultiple",
        "POST",
        "/v2/accounts/acc/permissions/principal_roles/inspect",
        Required,
    ),
];

/// Calls the operation `id` with minimal valid arguments (the ids in [`OPERATIONS`]) and
/// forgets the typed value and error body.
pub async fn call(client: &Client, id: &str) -> Result<(), Error<()>> {
    use cld_provisioning::models::{
        PermissionTypeEnum, Principal, PrincipalTypeEnum, ScopeTypeEnum,
    };
    macro_rules! send {
        ($request:expr) => {
            $request
                .send()
                .await
                .map(|_| ())
                .map_err(Error::into_untyped)
        };
    }
    let c = client;
    match id {
        "getProductEnvironments" => send!(c.product_environments().list()),
        "createProductEnvironment" => send!(c.product_environments().create().name("n")),
        "getProductEnvironment" => send!(c.product_environments().get("pe1")),
        "updateProductEnvironment" => send!(c.product_environments().update("pe1")),
        "deleteProductEnvironment" => send!(c.product_environments().delete("pe1")),
        "getAccessKeys" => send!(c.access_keys().list("pe1")),
        "generateAccessKey" => send!(c.access_keys().generate("pe1")),
        "deleteAccessKeyByName" => send!(c.access_keys().delete_by_name("pe1", "kn")),
        "updateAccessKey" => send!(c.access_keys().update("pe1", "key1")),
        "deleteAccessKey" => send!(c.access_keys().delete("pe1", "key1")),
        "getUsers" => send!(c.users().list()),
        "createUser" => send!(c.users().create().name("n").email("e@example.org")),
        "getUser" => send!(c.users().get("u1")),
        "updateUser" => send!(c.users().update("u1")),
        "deleteUser" => send!(c.users().delete("u1")),
        "getGroupsForUser" => send!(c.users().get_groups("u1")),
        "getSubAccountsForUser" => send!(c.users().list_sub_accounts("u1")),
        "getUserGroups" => send!(c.user_groups().list()),
        "createUserGroup" => send!(c.user_groups().create()),
        "getUserGroup" => send!(c.user_groups().get("g1")),
        "updateUserGroup" => send!(c.user_groups().update("g1")),
        "deleteUserGroup" => send!(c.user_groups().delete("g1")),
        "getUsersInUserGroup" => send!(c.user_groups().list_users("g1")),
        "addUserToUserGroup" => send!(c.user_groups().add_user("g1", "u1")),
        "removeUserFromUserGroup" => send!(c.user_groups().remove_user("g1", "u1")),
        "getBillingUsage" => send!(c.billing_usage().get()),
        "createAgentAccount" => send!(
            c.agent_accounts()
                .create()
                .email("e@example.org")
                .agent_framework("fw")
                .agent_llm_model("model")
                .agent_goal("goal")
        ),
        "getSystemRolesAndPoliciesCatalog" => send!(c.public().get_catalog()),
        "validateCedarPolicy" => send!(
            c.public()
                .validate_policy()
                .policy("permit(principal, action, resource);")
        ),
        "getCedarSchema" => send!(c.public().get_schema()),
        "getSystemPolicies" => send!(c.system_policies().list()),
        "getCustomPolicies" => send!(c.custom_policies().list()),
        "createCustomPolicy" => send!(
            c.custom_policies()
                .create()
                .name("n")
                .policy_statement("permit(principal, action, resource);")
                .scope_type(ScopeTypeEnum::Account)
        ),
        "getCustomPolicy" => send!(c.custom_policies().get("cp1")),
        "updateCustomPolicy" => send!(
            c.custom_policies()
                .update("cp1")
                .name("n")
                .policy_statement("permit(principal, action, resource);")
                .scope_type(ScopeTypeEnum::Account)
                .enabled(true)
        ),
        "deleteCustomPolicy" => send!(c.custom_policies().delete("cp1")),
        "getEffectivePolicies" => send!(c.effective_policies().list()),
        "getRoles" => send!(c.roles().list(PermissionTypeEnum::Global)),
        "createRole" => send!(
            c.roles()
                .create()
                .name("n")
                .permission_type("global")
                .scope_type(ScopeTypeEnum::Account)
        ),
        "getRole" => send!(c.roles().get("r1")),
        "updateRole" => send!(c.roles().update("r1").name("n")),
        "deleteRole" => send!(c.roles().delete("r1")),
        "getRolePrincipals" => send!(c.roles().list_principals("r1")),
        "updateRolePrincipals" => send!(c.roles().update_principals("r1")),
        "getPrincipalRoles" => send!(c.principals().list_roles(
            PrincipalTypeEnum::User,
            "u1",
            PermissionTypeEnum::Global
        )),
        "updatePrincipalRoles" => send!(c.principals().update_roles()),
        "inspect" => send!(c.principals().inspect(ScopeTypeEnum::Account)),
        "inspectMultiple" => send!(
            c.principals()
                .inspect_multiple()
                .scope_type(ScopeTypeEnum::Account)
                .principals([Principal::new(PrincipalTypeEnum::User, "u1".to_owned())])
        ),
        other => panic!("unknown operation {other}"),
    }
}

/// A one-shot HTTP proxy on 127.0.0.1 that records the first request line it receives (for an
/// `https://` target that is `CONNECT host:port HTTP/1.1`) and refuses the tunnel. It shows
/// which server a client would reach without any network access.
pub struct ProxyCapture {
    port: u16,
    lines: std::sync::mpsc::Receiver<String>,
}

impl ProxyCapture {
    /// Starts listening; gives up after about 10 s without a connection.
    pub fn start() -> Self {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        listener.set_nonblocking(true).expect("non-blocking");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for _ in 0..200 {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).expect("blocking");
                        stream
                            .set_read_timeout(Some(Duration::from_secs(5)))
                            .expect("read timeout");
                        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                        let mut first = String::new();
                        let _ = reader.read_line(&mut first);
                        let _ = tx.send(first.trim_end().to_owned());
                        let mut line = String::new();
                        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                            line.clear();
                        }
                        let mut stream = stream;
                        let _ = stream.write_all(
                            b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                        );
                        return;
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        });
        Self { port, lines }
    }

    /// A reqwest client that sends everything through this proxy.
    pub fn http_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .proxy(reqwest::Proxy::all(format!("http://127.0.0.1:{}", self.port)).expect("proxy"))
            .build()
            .expect("reqwest client")
    }

    /// The first request line the proxy received.
    pub fn first_line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(10))
            .expect("a request reached the proxy")
    }
}

/// Starts a mock server that answers the n-th request with the n-th template, and any request
/// beyond them with `599 {"error":{"message":"unexpected extra request"}}`.
pub async fn serve_sequence(templates: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    for template in templates {
        Mock::given(any())
            .respond_with(template)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(599).set_body_json(
                serde_json::json!({"error": {"message": "unexpected extra request"}}),
            ),
        )
        .mount(&server)
        .await;
    server
}

/// `200` with a JSON body.
pub fn ok_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The request targets the server received, in order.
pub async fn targets(server: &MockServer) -> Vec<String> {
    requests(server).await.iter().map(target).collect()
}
