//! Security schemes and requirements, lowered from small specs.

use super::*;

/// A 3.0 document with `security` at the top (`top`, a YAML line or empty), one operation per
/// entry of `ops` (`(operationId, security line or empty)`), and `schemes` (YAML under
/// `securitySchemes`).
fn spec(top: &str, ops: &[(&str, &str)], schemes: &str) -> String {
    let mut paths = String::new();
    for (id, security) in ops {
        paths.push_str(&format!(
            "  /{id}:\n    get:\n      operationId: {id}\n{security}      responses: {{'204': {{description: ok}}}}\n"
        ));
    }
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{top}paths:\n{paths}components:\n  securitySchemes:\n{schemes}"
    )
}

const SCHEMES: &str = "    basic: {type: http, scheme: basic}\n    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}\n    key: {type: apiKey, in: header, name: X-Key}\n    q: {type: apiKey, in: query, name: k}\n    cookie: {type: apiKey, in: cookie, name: sid}\n    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /token, scopes: {a: A, b: B, c: C}}}}\n    oidc: {type: openIdConnect, openIdConnectUrl: 'https://x/.well-known/openid-configuration'}\n";

fn alternatives(o: &Operation) -> Vec<Vec<&str>> {
    o.security
        .iter()
        .map(|a| a.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn each_applied_scheme_is_lowered_with_a_setter_and_the_rest_are_warned_about() {
    let (api, d) = lowered(&spec("", &[("a", "")], SCHEMES));
    let got: Vec<(&str, &str, Option<&str>, &SchemeKind)> = api
        .security_schemes
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.setter.as_str(),
                s.provider_setter.as_ref().map(Ident::as_str),
                &s.kind,
            )
        })
        .collect();
    let header = |name: &str| SchemeKind::ApiKey {
        location: ApiKeyLocation::Header,
        name: name.into(),
    };
    assert_eq!(got.len(), 6, "{got:?}");
    assert_eq!(
        got[0],
        ("basic", "basic_credentials", None, &SchemeKind::Basic)
    );
    assert_eq!(
        got[1],
        (
            "bearerAuth",
            "bearer_token",
            Some("bearer_token_provider"),
            &SchemeKind::Bearer {
                format: Some("JWT".into())
            }
        )
    );
    assert_eq!(
        got[2],
        ("key", "key", Some("key_provider"), &header("X-Key"))
    );
    assert_eq!(
        got[3].3,
        &SchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            name: "k".into()
        }
    );
    assert_eq!(
        got[4].3,
        &SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name: "sid".into()
        }
    );
    // No operation requires a scope of it, so none is requested by default.
    assert_eq!(
        got[5].3,
        &SchemeKind::OAuth2ClientCredentials {
            token_url: "/token".into(),
            scopes: vec![]
        }
    );
    assert!(api.has_security_table());
    let lines = d.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("t.yaml#/components/securitySchemes/oidc: warning: security scheme \"oidc\" (OpenID Connect) is not applied"),
        "{lines:?}"
    );
}

#[test]
fn unsupported_schemes_say_why() {
    let schemes = "    digest: {type: http, scheme: digest}\n    implicit: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://x/a', scopes: {}}}}\n    mixed: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://x/t', scopes: {}}, password: {tokenUrl: 'https://x/t', scopes: {}}}}\n";
    let (api, d) = lowered(&spec("", &[("a", "")], schemes));
    assert_eq!(api.security_schemes.len(), 1);
    assert_eq!(api.security_schemes[0].name, "mixed");
    let lines = d.lines().join("\n");
    assert!(
        lines.contains("\"digest\" (HTTP digest) is not applied"),
        "{lines}"
    );
    assert!(lines.contains("challenge round trip"), "{lines}");
    assert!(
        lines.contains("\"implicit\" (OAuth2) is not applied"),
        "{lines}"
    );
    assert!(lines.contains("no clientCredentials flow"), "{lines}");
    assert!(
        lines.contains("\"mixed\": only its clientCredentials flow is applied; password needs"),
        "{lines}"
    );

    let mtls = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  securitySchemes:\n    m: {type: mutualTLS}\n";
    let (api, d) = lowered(mtls);
    assert!(api.security_schemes.is_empty());
    assert!(
        d.lines()[0].contains("(mutual TLS) is not applied")
            && d.lines()[0].contains("http_client"),
        "{:?}",
        d.lines()
    );
}

#[test]
fn requirements_become_alternatives_and_auth_modes() {
    let (api, d) = lowered(&spec(
        "security: [{bearerAuth: []}, {key: []}]\n",
        &[
            ("global", ""),
            ("and", "      security: [{key: [], q: []}]\n"),
            ("optional", "      security: [{cookie: []}, {}]\n"),
            ("none", "      security: []\n"),
            ("scoped", "      security: [{oauth: [b, a]}, {basic: []}]\n"),
            ("more", "      security: [{oauth: [a]}]\n"),
            (
                "dropped",
                "      security: [{oidc: []}, {bearerAuth: []}]\n",
            ),
            ("onlyRefused", "      security: [{oidc: []}]\n"),
        ],
        SCHEMES,
    ));
    let cases: [(&str, Auth, Vec<Vec<&str>>); 8] = [
        (
            "global",
            Auth::Required,
            vec![vec!["bearerAuth"], vec!["key"]],
        ),
        ("and", Auth::Required, vec![vec!["key", "q"]]),
        ("optional", Auth::Optional, vec![vec!["cookie"], vec![]]),
        ("none", Auth::None, vec![]),
        ("scoped", Auth::Required, vec![vec!["oauth"], vec!["basic"]]),
        ("more", Auth::Required, vec![vec!["oauth"]]),
        ("dropped", Auth::Required, vec![vec!["bearerAuth"]]),
        ("onlyRefused", Auth::Optional, vec![]),
    ];
    for (id, auth, want) in cases {
        let o = op(&api, id);
        assert_eq!(o.auth, auth, "{id}");
        assert_eq!(alternatives(o), want, "{id}");
    }
    // The scopes requested by default: every scope an operation requires, sorted, once.
    let oauth = api
        .security_schemes
        .iter()
        .find(|s| s.name == "oauth")
        .unwrap();
    assert_eq!(
        oauth.kind,
        SchemeKind::OAuth2ClientCredentials {
            token_url: "/token".into(),
            scopes: vec!["a".into(), "b".into()]
        }
    );
    assert!(
        d.lines().iter().any(|l| l.starts_with(
            "t.yaml#/paths/~1onlyRefused/get/security: warning: every security alternative"
        )),
        "{:?}",
        d.lines()
    );
}

#[test]
fn an_undeclared_scheme_is_an_error_with_its_pointer() {
    let Err(err) = lower_text(&spec(
        "",
        &[("a", "      security: [{bearerAuth: []}, {nope: []}]\n")],
        SCHEMES,
    )) else {
        panic!("an undeclared scheme was accepted")
    };
    let shown = err.to_string();
    assert!(shown.contains("/paths/~1a/get/security/1"), "{shown}");
    assert!(shown.contains("\"nope\""), "{shown}");
}

#[test]
fn without_any_requirement_declared_schemes_are_not_applied() {
    let (api, _) = lowered(&spec("", &[("a", "")], SCHEMES));
    assert_eq!(op(&api, "a").auth, Auth::None);
    assert!(op(&api, "a").security.is_empty());
}

#[test]
fn a_lone_basic_scheme_or_none_keeps_the_historic_client() {
    let basic = "    basicAuth: {type: http, scheme: basic}\n";
    let (api, _) = lowered(&spec("security: [{basicAuth: []}]\n", &[("a", "")], basic));
    assert!(!api.has_security_table());
    assert_eq!(op(&api, "a").auth, Auth::Required);
    // A lone scheme of another kind needs the table.
    let bearer = "    bearerAuth: {type: http, scheme: bearer}\n";
    let (api, _) = lowered(&spec(
        "security: [{bearerAuth: []}]\n",
        &[("a", "")],
        bearer,
    ));
    assert!(api.has_security_table());
    // No scheme at all: credentials required unless `security: []`, as before; a list that
    // is not empty (`[{}]`, one empty requirement) still requires them.
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      operationId: b\n      security: []\n      responses: {'204': {description: ok}}\n  /c:\n    get:\n      operationId: c\n      security: [{}]\n      responses: {'204': {description: ok}}\n";
    let (api, _) = lowered(text);
    assert!(!api.has_security_table());
    assert_eq!(op(&api, "a").auth, Auth::Required);
    assert_eq!(op(&api, "b").auth, Auth::None);
    assert_eq!(op(&api, "c").auth, Auth::Required);
}

#[test]
fn setters_avoid_the_builders_own_methods_and_each_other() {
    let schemes = "    credentials: {type: http, scheme: basic}\n    timeout: {type: apiKey, in: header, name: X-T}\n    timeoutKey: {type: apiKey, in: query, name: t}\n";
    let (api, _) = lowered(&spec("", &[("a", "")], schemes));
    let setters: Vec<(&str, Option<&str>)> = api
        .security_schemes
        .iter()
        .map(|s| {
            (
                s.setter.as_str(),
                s.provider_setter.as_ref().map(Ident::as_str),
            )
        })
        .collect();
    assert_eq!(
        setters,
        [
            ("credentials_scheme", None),
            ("timeout_key", Some("timeout_key_provider")),
            ("timeout_key_scheme", Some("timeout_key_scheme_provider"))
        ]
    );
}
