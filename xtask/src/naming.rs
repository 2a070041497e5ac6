//! Every identifier decision: case conversion, keyword escaping, digit-leading names, and
//! collision allocation. Emitters only ever see [`Ident`]s made here, so a raw spec string
//! cannot reach the output by accident.

pub mod reserved;

use heck::{ToPascalCase, ToSnakeCase};
use std::collections::BTreeSet;
use std::fmt;

/// A Rust identifier that has been checked and escaped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    /// The identifier as written in Rust source (may start with `r#`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A `proc_macro2` identifier for `quote!`.
    pub fn to_tokens_ident(&self) -> proc_macro2::Ident {
        match self.0.strip_prefix("r#") {
            Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
            None => proc_macro2::Ident::new(&self.0, proc_macro2::Span::call_site()),
        }
    }

    /// The identifier without any `r#` prefix (for building derived names).
    pub fn bare(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl quote::ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        self.to_tokens_ident().to_tokens(tokens)
    }
}

/// Strict and reserved keywords of edition 2024 (`gen` included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing underscore instead.
const NON_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces everything that is not alphanumeric with `_` so heck sees word boundaries.
fn clean(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn finish(mut name: String, fallback: &str) -> Ident {
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        // `400BadRequest` is not an identifier; a leading letter keeps the digits readable.
        let prefix = if name.starts_with(|c: char| c.is_ascii_uppercase()) || fallback == "Value" {
            "N"
        } else {
            "n"
        };
        name = format!("{prefix}{name}");
    }
    if NON_RAW.contains(&name.as_str()) {
        return Ident(format!("{name}_"));
    }
    if KEYWORDS.contains(&name.as_str()) {
        return Ident(format!("r#{name}"));
    }
    Ident(name)
}

/// `snake_case` identifier for fields, methods, modules and arguments.
pub fn snake(raw: &str) -> Ident {
    finish(clean(raw).to_snake_case(), "value")
}

/// `PascalCase` identifier for types and variants.
pub fn pascal(raw: &str) -> Ident {
    let cleaned = clean(raw);
    // heck lower-cases a word glued to leading digits (`400BadRequest` -> `400badRequest`),
    // so the digits are kept apart and the rest converted on its own.
    let digits: String = cleaned.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = cleaned[digits.len()..].to_pascal_case();
    let name = if digits.is_empty() {
        rest
    } else {
        format!("N{digits}{rest}")
    };
    finish(name, "Value")
}

/// A type name made by joining names that are already PascalCase (`Parent` + `Field` +
/// `Item`): it is only sanitised, never re-cased, so `N3DModel` + `Settings` stays
/// `N3DModelSettings`.
pub fn joined_type(parts: &str) -> Ident {
    let cleaned: String = parts
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let name = if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{cleaned}")
    } else {
        cleaned
    };
    finish(name, "Value")
}

/// The raw name an operation's identifiers are made from: its operationId, or, when that is
/// empty or not ASCII (which would clean down to nothing, or to fragments), a name made from
/// the method and the path: `GET /users/{id}/groups` -> `get_users_by_id_groups`.
pub fn operation_name(operation_id: &str, method: &str, path: &str) -> String {
    if !operation_id.trim().is_empty() && operation_id.is_ascii() {
        return operation_id.to_string();
    }
    let mut name = method.to_ascii_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let word = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => format!("by_{param}"),
            None => segment.to_string(),
        };
        let word = clean(&word).to_snake_case();
        if !word.is_empty() {
            name.push('_');
            name.push_str(&word);
        }
    }
    name
}

/// The variant name for a status (success enums and error enums).
pub fn status_variant(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritativeInformation".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        208 => "AlreadyReported".into(),
        226 => "ImUsed".into(),
        400 => "BadRequest".into(),
        401 => "Unauthorized".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        402 => "PaymentRequired".into(),
        405 => "MethodNotAllowed".into(),
        406 => "NotAcceptable".into(),
        408 => "RequestTimeout".into(),
        409 => "Conflict".into(),
        410 => "Gone".into(),
        411 => "LengthRequired".into(),
        412 => "PreconditionFailed".into(),
        413 => "ContentTooLarge".into(),
        414 => "UriTooLong".into(),
        415 => "UnsupportedMediaType".into(),
        416 => "RangeNotSatisfiable".into(),
        417 => "ExpectationFailed".into(),
        420 => "MaxUsageRateExceeded".into(),
        421 => "MisdirectedRequest".into(),
        422 => "UnprocessableEntity".into(),
        423 => "Locked".into(),
        424 => "FailedDependency".into(),
        425 => "TooEarly".into(),
        426 => "UpgradeRequired".into(),
        428 => "PreconditionRequired".into(),
        429 => "TooManyRequests".into(),
        431 => "RequestHeaderFieldsTooLarge".into(),
        451 => "UnavailableForLegalReasons".into(),
        500 => "InternalServerError".into(),
        501 => "NotImplemented".into(),
        502 => "BadGateway".into(),
        503 => "ServiceUnavailable".into(),
        504 => "GatewayTimeout".into(),
        505 => "HttpVersionNotSupported".into(),
        507 => "InsufficientStorage".into(),
        other => format!("Status{other}"),
    }
}

/// Hands out unique identifiers within one scope (a module, a struct, a method's arguments).
/// Names reserved up front (the emitter's own locals and methods) are never handed out.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Takes `wanted`, or the first free of `wanted` + `suffix`, `wanted` + `suffix` + `2`, ...
    pub fn allocate(&mut self, wanted: Ident, suffix: &str) -> Ident {
        if self.taken.insert(wanted.bare().to_string()) {
            return wanted;
        }
        // `self_` is the escaped `self`: suffixes go on the word itself (`self_param`, not
        // `self__param`; `SelfValue`, not `Self_Value`).
        let bare = wanted.bare();
        let base = match bare.strip_suffix('_') {
            Some(word) if NON_RAW.contains(&word) => word.to_string(),
            _ => bare.to_string(),
        };
        let mut n = 1usize;
        loop {
            let candidate = if n == 1 {
                format!("{base}{suffix}")
            } else {
                format!("{base}{suffix}{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return finish(candidate, "value");
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        assert_eq!(snake("subAccountId").as_str(), "sub_account_id");
        assert_eq!(snake("type").as_str(), "r#type");
        assert_eq!(snake("gen").as_str(), "r#gen");
        assert_eq!(snake("self").as_str(), "self_");
        assert_eq!(snake("400").as_str(), "n400");
        assert_eq!(snake("X-Request-Id").as_str(), "x_request_id");
        assert_eq!(snake("").as_str(), "value");
    }

    #[test]
    fn operations_without_a_usable_id_are_named_from_method_and_path() {
        assert_eq!(operation_name("getUser", "get", "/users/{id}"), "getUser");
        assert_eq!(operation_name("", "get", "/users/{id}"), "get_users_by_id");
        assert_eq!(
            operation_name("  ", "delete", "/a/{b}/c"),
            "delete_a_by_b_c"
        );
        assert_eq!(
            operation_name("获取用户", "post", "/user-groups/{groupId}/users"),
            "post_user_groups_by_group_id_users"
        );
        assert_eq!(operation_name("", "get", "/"), "get");
        assert_eq!(
            snake(&operation_name("", "get", "/users/{id}")).as_str(),
            "get_users_by_id"
        );
        assert_eq!(
            pascal(&operation_name("", "get", "/users/{id}")).as_str(),
            "GetUsersById"
        );
    }

    #[test]
    fn pascal_case_names() {
        assert_eq!(pascal("400BadRequest").as_str(), "N400BadRequest");
        assert_eq!(pascal("api-eu").as_str(), "ApiEu");
        assert_eq!(pascal("Self").as_str(), "Self_");
        assert_eq!(pascal("master_admin").as_str(), "MasterAdmin");
    }

    #[test]
    fn escaped_names_take_suffixes_on_the_word() {
        let mut scope = Scope::default();
        assert_eq!(scope.allocate(snake("self"), "_param").as_str(), "self_");
        assert_eq!(
            scope.allocate(snake("Self"), "_param").as_str(),
            "self_param"
        );
        let mut types = Scope::default();
        assert_eq!(types.allocate(pascal("self"), "Value").as_str(), "Self_");
        assert_eq!(
            types.allocate(pascal("Self"), "Value").as_str(),
            "SelfValue"
        );
    }

    #[test]
    fn joined_type_names_keep_their_case() {
        assert_eq!(joined_type("N3DModelSettings").as_str(), "N3DModelSettings");
        assert_eq!(joined_type("3DModel").as_str(), "N3DModel");
        assert_eq!(joined_type("Self").as_str(), "Self_");
    }

    #[test]
    fn scope_avoids_reserved_and_repeats() {
        let mut scope = Scope::with_reserved(&["client", "send"]);
        assert_eq!(
            scope.allocate(snake("client"), "_param").as_str(),
            "client_param"
        );
        assert_eq!(
            scope.allocate(snake("client"), "_param").as_str(),
            "client_param2"
        );
        assert_eq!(scope.allocate(snake("name"), "_param").as_str(), "name");
        let raw = scope.allocate(snake("type"), "_param");
        assert_eq!(raw.as_str(), "r#type");
        // `type` is now taken: a second one gets the suffix on the bare word.
        assert_eq!(
            scope.allocate(snake("type"), "_param").as_str(),
            "type_param"
        );
    }

    #[test]
    fn idents_print_and_quote_as_written() {
        let raw = snake("type");
        assert_eq!((raw.as_str(), raw.bare()), ("r#type", "type"));
        assert_eq!(raw.to_string(), "r#type");
        assert_eq!(quote::quote!(let #raw = 1;).to_string(), "let r#type = 1 ;");
        let plain = pascal("user");
        assert_eq!((plain.as_str(), plain.bare()), ("User", "User"));
        assert_eq!(format!("<{plain}>"), "<User>");
        assert_eq!(quote::quote!(struct #plain;).to_string(), "struct User ;");
    }

    #[test]
    fn type_names_that_case_conversion_leaves_digit_leading_get_a_capital() {
        // heck drops the leading separator, so the digits reach `finish` first.
        assert_eq!(pascal("_3d model").as_str(), "N3dModel");
        assert_eq!(pascal("-400").as_str(), "N400");
        assert_eq!(pascal("").as_str(), "Value");
    }

    #[test]
    fn statuses_have_their_reason_phrase_or_their_number() {
        assert_eq!(status_variant(200), "Ok");
        assert_eq!(status_variant(204), "NoContent");
        assert_eq!(status_variant(420), "MaxUsageRateExceeded");
        assert_eq!(status_variant(507), "InsufficientStorage");
        assert_eq!(status_variant(299), "Status299");
        assert_eq!(status_variant(302), "Status302");
    }
}
