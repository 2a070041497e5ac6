//! The security items emitted for small specs, checked against hand-written tokens.

use super::*;
use crate::lower::tests::op;

/// Every scheme kind the client applies, in a fixed order.
const SCHEMES: &str = "    basicAuth: {type: http, scheme: basic}\n    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT, description: From the console.}\n    plainBearer: {type: http, scheme: bearer}\n    key: {type: apiKey, in: header, name: X-Key}\n    q: {type: apiKey, in: query, name: k}\n    cookie: {type: apiKey, in: cookie, name: sid}\n    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /token, scopes: {a: A}}}}\n";

/// An API with `schemes` and one operation per `(operationId, security line or empty)`.
fn api(schemes: &str, ops: &[(&str, &str)]) -> Api {
    let mut paths = String::new();
    for (id, security) in ops {
        paths.push_str(&format!(
            "  /{id}:\n    get:\n      operationId: {id}\n{security}      responses: {{'204': {{description: ok}}}}\n"
        ));
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}components:\n  securitySchemes:\n{schemes}"
    );
    crate::lower::tests::lowered(&text).0
}

fn scheme<'a>(api: &'a Api, name: &str) -> &'a SecurityScheme {
    api.security_schemes
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no scheme {name}"))
}

/// Whether `tokens` holds `fragment` (both printed the same way).
fn holds(tokens: &TokenStream, fragment: TokenStream) -> bool {
    tokens.to_string().contains(&fragment.to_string())
}

#[test]
fn operations_name_their_alternatives_only_with_a_table_and_credentials() {
    let api = api(
        SCHEMES,
        &[
            (
                "a",
                "      security: [{bearerAuth: []}, {key: [], q: []}]\n",
            ),
            ("b", "      security: []\n"),
        ],
    );
    assert_eq!(
        operation_security(&api, op(&api, "a")).to_string(),
        quote!(request.set_security(&[&["bearerAuth"], &["key", "q"]]);).to_string()
    );
    assert!(operation_security(&api, op(&api, "b")).is_empty());
    assert_eq!(
        builder_call(&api).to_string(),
        quote!(.security_schemes(SECURITY_SCHEMES)).to_string()
    );
    // A lone Basic scheme is the runtime's default: no table, nothing per operation.
    let basic = api_with_only_basic();
    assert!(!basic.has_security_table());
    assert_eq!(op(&basic, "a").auth, Auth::Required);
    assert!(operation_security(&basic, op(&basic, "a")).is_empty());
    assert!(builder_call(&basic).is_empty());
    assert!(client_items(&basic, "t").is_empty());
}

fn api_with_only_basic() -> Api {
    api(
        "    basicAuth: {type: http, scheme: basic}\n",
        &[("a", "      security: [{basicAuth: []}]\n")],
    )
}

#[test]
fn the_table_has_one_entry_per_scheme_with_its_kind() {
    let api = api(SCHEMES, &[("a", "      security: [{oauth: [a]}]\n")]);
    let rt = rt();
    let entries: Vec<String> = api
        .security_schemes
        .iter()
        .map(|s| scheme_entry(s).to_string())
        .collect();
    let entry = |name: &str, kind: TokenStream| {
        quote!(#rt::SecurityScheme { name: #name, kind: #kind }).to_string()
    };
    assert_eq!(
        entries,
        [
            entry("basicAuth", quote!(#rt::SchemeKind::Basic)),
            entry("bearerAuth", quote!(#rt::SchemeKind::Bearer)),
            entry("plainBearer", quote!(#rt::SchemeKind::Bearer)),
            entry(
                "key",
                quote!(#rt::SchemeKind::ApiKey { location: #rt::ApiKeyLocation::Header, name: "X-Key" })
            ),
            entry(
                "q",
                quote!(#rt::SchemeKind::ApiKey { location: #rt::ApiKeyLocation::Query, name: "k" })
            ),
            entry(
                "cookie",
                quote!(#rt::SchemeKind::ApiKey { location: #rt::ApiKeyLocation::Cookie, name: "sid" })
            ),
            entry(
                "oauth",
                quote!(#rt::SchemeKind::OAuth2ClientCredentials { token_url: "/token", scopes: &["a"] })
            ),
        ]
    );
    let items = client_items(&api, "t");
    assert!(holds(&items, quote!(const SECURITY_SCHEMES)));
    assert!(holds(
        &items,
        quote!(impl ClientBuilderExt for ClientBuilder)
    ));
    assert!(holds(
        &items,
        quote!(impl Sealed for super::ClientBuilder {})
    ));
}

#[test]
fn each_kind_is_described_in_words() {
    let api = api(SCHEMES, &[("a", "      security: [{oauth: [a]}]\n")]);
    let described: Vec<String> = api.security_schemes.iter().map(what).collect();
    assert_eq!(
        described,
        [
            "HTTP Basic",
            "an HTTP bearer token (JWT)",
            "an HTTP bearer token",
            "an API key in the `X-Key` header",
            "an API key in the `k` query parameter",
            "an API key in the `sid` cookie",
            "OAuth2 client credentials; the client fetches, caches and refreshes the access token from `/token`, requesting the scopes the operations need by default (`a`)",
        ]
    );
    let unscoped = api_with(SCHEMES, "");
    assert_eq!(
        what(scheme(&unscoped, "oauth")),
        "OAuth2 client credentials; the client fetches, caches and refreshes the access token from `/token`"
    );
}

fn api_with(schemes: &str, security: &str) -> Api {
    api(schemes, &[("a", security)])
}

#[test]
fn setters_are_declared_in_the_trait_and_defined_in_its_impl() {
    let api = api_with(SCHEMES, "");
    let rt = rt();
    let basic = scheme(&api, "basicAuth");
    let declared = setters(basic, false);
    assert!(holds(
        &declared,
        quote!(fn basic_credentials(self, user: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<#rt::SecretString>) -> Self;)
    ));
    assert!(holds(
        &declared,
        // A plain doc line is emitted as a raw literal (see `docs::doc_literal`).
        quote!(#[doc = r" Sets the credentials of `basicAuth`: HTTP Basic."])
    ));
    let defined = setters(basic, true).to_string();
    assert!(
        defined
            .contains(&quote!(self.basic_credentials_for("basicAuth", user, password)).to_string())
    );
    assert!(!defined.contains("doc"), "{defined}");
    let bearer = setters(scheme(&api, "bearerAuth"), true);
    assert!(holds(
        &bearer,
        quote!(fn bearer_token(self, token: impl ::std::convert::Into<#rt::SecretString>) -> Self { self.token_for("bearerAuth", token) })
    ));
    assert!(holds(
        &bearer,
        quote!(fn bearer_token_provider(self, provider: impl #rt::ProvideToken + 'static) -> Self { self.token_provider_for("bearerAuth", provider) })
    ));
    let bearer_doc = setters(scheme(&api, "bearerAuth"), false).to_string();
    assert!(bearer_doc.contains("From the console."), "{bearer_doc}");
    assert!(
        bearer_doc.contains("for the token of `bearerAuth`"),
        "{bearer_doc}"
    );
    let key = setters(scheme(&api, "key"), false).to_string();
    assert!(
        key.contains(
            &quote!(fn key(self, key: impl ::std::convert::Into<#rt::SecretString>) -> Self;)
                .to_string()
        ),
        "{key}"
    );
    assert!(key.contains("for the API key of `key`"), "{key}");
    let key_defined = setters(scheme(&api, "key"), true);
    assert!(holds(&key_defined, quote!(self.token_for("key", key))));
    let oauth = setters(scheme(&api, "oauth"), true);
    assert!(holds(
        &oauth,
        quote!(fn oauth_client_credentials(self, credentials: #rt::ClientCredentials) -> Self { self.client_credentials_for("oauth", credentials) })
    ));
}

#[test]
fn reexports_follow_the_schemes_that_need_them() {
    let rt = rt();
    let all = api_with(SCHEMES, "");
    assert_eq!(
        reexports(&all).to_string(),
        quote!(pub use #rt::{ClientCredentials, ProvideToken, provide_token_fn};).to_string()
    );
    let bearer = api_with("    bearerAuth: {type: http, scheme: bearer}\n", "");
    assert_eq!(
        reexports(&bearer).to_string(),
        quote!(pub use #rt::{ProvideToken, provide_token_fn};).to_string()
    );
    let oauth = api_with(
        "    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /token, scopes: {}}}}\n",
        "",
    );
    assert_eq!(
        reexports(&oauth).to_string(),
        quote!(pub use #rt::{ClientCredentials};).to_string()
    );
    let two_basics = api_with(
        "    one: {type: http, scheme: basic}\n    two: {type: http, scheme: basic}\n",
        "",
    );
    assert!(two_basics.has_security_table());
    assert!(reexports(&two_basics).is_empty());
}

#[test]
fn the_example_sets_the_first_schemes_credentials() {
    let basic_first = api_with(SCHEMES, "");
    assert!(example(&basic_first, "t").contains("\nlet client = t::Client::builder()\n    .basic_credentials(\"user\", \"password\")\n    .build()?;"));
    let bearer = api_with("    bearerAuth: {type: http, scheme: bearer}\n", "");
    assert!(example(&bearer, "t").contains("::builder()\n    .bearer_token(\"token\")\n"));
    let oauth = api_with(
        "    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /token, scopes: {}}}}\n",
        "",
    );
    assert!(example(&oauth, "t").contains(
        "    .oauth_client_credentials(t::ClientCredentials::new(\"client-id\", \"client-secret\"))\n"
    ));
    let none = api_with(
        "    oidc: {type: openIdConnect, openIdConnectUrl: 'https://x/c'}\n",
        "",
    );
    assert!(example(&none, "t").contains("t::Client::builder()\n    .build()?;"));
}
