//! The two clients under comparison and the three workloads. The raw client does what a
//! careful hand-written client would: one `reqwest::Client`, the Authorization value and the
//! URLs built once, `serde_json` into plain structs with the same fields (no unknown-field map,
//! dates as text like the SDK's `DateTime`).

use std::hint::black_box;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Account id, key and secret the clients send (the server does not check them).
const ACCOUNT_ID: &str = "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";
const API_KEY: &str = "bench-key";
const API_SECRET: &str = "bench-secret";
/// `Basic base64("bench-key:bench-secret")`, what both clients send.
const RAW_AUTHORIZATION: &str = "Basic YmVuY2gta2V5OmJlbmNoLXNlY3JldA==";
/// The SDK's default per-attempt timeout, given to the raw client too.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// `users().list().page_size(50)`: a page of 50 users (~26 KB).
    W1,
    /// `product_environments().create()`: a small POST.
    W2,
    /// `users().list()`: all 10,000 users in one answer (~5 MB), decoded fully.
    W3,
}

impl Workload {
    /// Every workload, in report order.
    pub const ALL: [Workload; 3] = [Workload::W1, Workload::W2, Workload::W3];

    /// The command-line and report name.
    pub fn name(self) -> &'static str {
        match self {
            Workload::W1 => "w1",
            Workload::W2 => "w2",
            Workload::W3 => "w3",
        }
    }

    /// Parses [`Workload::name`].
    pub fn parse(s: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == s)
    }

    /// The items one answer must decode into (users, or access keys of the new environment).
    pub fn expected_items(self) -> usize {
        match self {
            Workload::W1 => crate::fixtures::PAGE_USERS,
            Workload::W2 => 1,
            Workload::W3 => crate::fixtures::ALL_USERS,
        }
    }

    /// What the workload calls, for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Workload::W1 => "`users().list().page_size(50)`, 50 users (~26 KB)",
            Workload::W2 => "`product_environments().create()`, small POST",
            Workload::W3 => "`users().list()`, 10,000 users (~5.2 MB) decoded fully",
        }
    }
}

/// Which client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The generated SDK.
    Sdk,
    /// `reqwest` + `serde_json` into plain structs.
    Raw,
}

impl Kind {
    /// The command-line and report name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sdk => "sdk",
            Kind::Raw => "raw",
        }
    }

    /// Parses [`Kind::name`].
    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Sdk, Kind::Raw].into_iter().find(|k| k.name() == s)
    }
}

/// A client of either kind, ready to run workloads against `http://127.0.0.1:port`.
pub enum Client {
    Sdk(cld_provisioning::Client),
    Raw(RawClient),
}

impl Client {
    /// Builds the client.
    pub fn new(kind: Kind, port: u16) -> Result<Client, String> {
        let base = format!("http://127.0.0.1:{port}");
        match kind {
            Kind::Sdk => cld_provisioning::Client::builder()
                .credentials(API_KEY, API_SECRET)
                .account_id(ACCOUNT_ID)
                .base_url(base)
                .build()
                .map(Client::Sdk)
                .map_err(|e| format!("SDK client: {e}")),
            Kind::Raw => RawClient::new(&base).map(Client::Raw),
        }
    }

    /// Runs one request of `workload` and returns how many items it decoded.
    pub async fn run(&self, workload: Workload) -> Result<usize, String> {
        match self {
            Client::Sdk(c) => sdk_run(c, workload).await,
            Client::Raw(c) => c.run(workload).await,
        }
    }
}

async fn sdk_run(client: &cld_provisioning::Client, workload: Workload) -> Result<usize, String> {
    let items = match workload {
        Workload::W1 => {
            let page = client.users().list().page_size(50).send().await;
            page.map_err(|e| e.to_string())?
                .users
                .map_or(0, |u| black_box(u).len())
        }
        Workload::W2 => {
            let created = client
                .product_environments()
                .create()
                .name("Bench Environment")
                .cloud_name("bench-env")
                .send()
                .await;
            let created = created.map_err(|e| e.to_string())?;
            created.api_access_keys.map_or(0, |k| black_box(k).len())
        }
        Workload::W3 => {
            let all = client.users().list().send().await;
            all.map_err(|e| e.to_string())?
                .users
                .map_or(0, |u| black_box(u).len())
        }
    };
    Ok(items)
}

/// The hand-written comparison client.
pub struct RawClient {
    http: reqwest::Client,
    page_url: String,
    all_url: String,
    create_url: String,
    authorization: reqwest::header::HeaderValue,
    user_agent: reqwest::header::HeaderValue,
}

impl RawClient {
    fn new(base: &str) -> Result<RawClient, String> {
        let users = format!("{base}/v1_1/provisioning/accounts/{ACCOUNT_ID}/users");
        let mut authorization = reqwest::header::HeaderValue::from_static(RAW_AUTHORIZATION);
        authorization.set_sensitive(true);
        Ok(RawClient {
            http: reqwest::Client::builder()
                .build()
                .map_err(|e| format!("raw client: {e}"))?,
            page_url: format!("{users}?page_size=50"),
            all_url: users,
            create_url: format!("{base}/v1_1/provisioning/accounts/{ACCOUNT_ID}/sub_accounts"),
            authorization,
            user_agent: reqwest::header::HeaderValue::from_static("raw-bench/0"),
        })
    }

    async fn run(&self, workload: Workload) -> Result<usize, String> {
        use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
        let request = match workload {
            Workload::W1 => self.http.get(&self.page_url),
            Workload::W2 => {
                let body = PlainEnvironmentRequest {
                    name: "Bench Environment",
                    cloud_name: "bench-env",
                };
                let body = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
                self.http
                    .post(&self.create_url)
                    .header(CONTENT_TYPE, "application/json")
                    .body(body)
            }
            Workload::W3 => self.http.get(&self.all_url),
        };
        let response = request
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, self.user_agent.clone())
            .timeout(TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("raw client: status {}", response.status()));
        }
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        let items = match workload {
            Workload::W1 | Workload::W3 => serde_json::from_slice::<PlainUsers>(&bytes)
                .map_err(|e| e.to_string())?
                .users
                .map_or(0, |u| black_box(u).len()),
            Workload::W2 => serde_json::from_slice::<PlainEnvironment>(&bytes)
                .map_err(|e| e.to_string())?
                .api_access_keys
                .map_or(0, |k| black_box(k).len()),
        };
        Ok(items)
    }
}

/// The body of the create request.
#[derive(Serialize)]
struct PlainEnvironmentRequest<'a> {
    name: &'a str,
    cloud_name: &'a str,
}

/// `UsersResponse` as plain data.
#[derive(Deserialize)]
struct PlainUsers {
    users: Option<Vec<PlainUser>>,
}

/// `User` as plain data: every property, optional like the SDK's. The fields are decoded and
/// never read (that is the point of the comparison), hence the `allow`.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainUser {
    id: Option<String>,
    name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    role: Option<String>,
    email: Option<String>,
    pending: Option<bool>,
    enabled: Option<bool>,
    created_at: Option<String>,
    updated_at: Option<String>,
    last_login: Option<String>,
    all_sub_accounts: Option<bool>,
    providers: Option<Vec<String>>,
    email_preferences: Option<serde_json::Map<String, serde_json::Value>>,
    account_id: Option<String>,
    two_factor: Option<bool>,
    status: Option<String>,
    root: Option<bool>,
    technical_role: Option<String>,
    group_count: Option<i64>,
    sub_account_count: Option<i64>,
}

/// `ProductEnvironment` as plain data.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainEnvironment {
    cloud_name: Option<String>,
    name: Option<String>,
    enabled: Option<bool>,
    id: Option<String>,
    api_access_keys: Option<Vec<PlainAccessKey>>,
    created_at: Option<String>,
    updated_at: Option<String>,
}

/// `ApiAccessKey` as plain data.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainAccessKey {
    key: Option<String>,
    secret: Option<String>,
    enabled: Option<bool>,
}
