//! What only generated code calls: the request-builder methods every operation shares, the
//! models' redacting `Debug`, and small helpers that keep each generated line short. Hidden from the docs; not part of the
//! API users program against.
//!
//! # Why a macro for the shared builder methods
//!
//! Every request builder has the same `with_timeout`, `with_operation_timeout`, `with_retry`,
//! `with_header` and (when its path holds the account id) `with_account_id`. Three ways to
//! write them once were weighed:
//!
//! - a trait with provided methods: one definition, but users must import the trait before
//!   `.with_timeout(..)` resolves, and rustdoc lists the methods under a trait impl instead of
//!   on the builder's page;
//! - a generic `Request<Op>` in this crate: the per-operation setters would then be inherent
//!   methods on a foreign type, which Rust forbids, so the setters would need a trait too;
//! - a `macro_rules!` that expands to inherent methods: no import, and rustdoc shows the
//!   methods, with their docs, on each builder's page exactly as if they were written out.
//!
//! The macro wins. It also writes `send`, from the operation's success and error types given
//! as arguments (the generator's formatter prints a macro call's arguments as raw tokens, so
//! only short paths are passed); `send_with_metadata`, which builds the request, stays in the
//! generated code.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

pub use crate::engine::Core;
pub use crate::error::operation::{FromStatus, OperationError};
pub use crate::identity::SdkInfo;
pub use crate::pagination::{CursorList, NumberedList, cursor_pages, numbered_pages};
pub use crate::query::{QueryPairs, QueryValue};
pub use crate::request::{AuthMode, OperationRequest};
pub use crate::response::RawResponse;
pub use crate::response_body::SuccessBody;

/// Path, query, header and cookie parameter styles (see the private module `params`).
pub mod params {
    pub use crate::params::*;
}

/// Success body decoders (see the private module `response_body`).
pub mod response_body {
    pub use crate::response_body::{json, text};
}

/// The models' `Deserialize` helpers (see the private module `model_de`).
pub mod model_de {
    pub use crate::model_de::*;
}

/// Decoding and encoding of `oneOf`/`anyOf` enums (see the private module `union`).
pub mod union {
    pub use crate::union::*;
}

use crate::error::{BuildError, Error, ErrorMessage};
use crate::options::CallOptions;

impl Core {
    /// Sends the request (with retries) and returns the final response, whatever its status.
    /// Generated code then calls [`RawResponse::into_json`] or [`RawResponse::into_unit`].
    ///
    /// The returned future owns everything it needs (a handle on this client, the request,
    /// the options), so a builder's `send` can hand it over without keeping the builder.
    /// Nothing is sent before it is polled.
    pub fn execute<E>(&self, req: OperationRequest, options: CallOptions) -> Sent<E> {
        Sent {
            transport: self.send_boxed(req, options),
            error: PhantomData,
        }
    }

    /// The transport's future, boxed behind `dyn Future` by a function that is not generic.
    ///
    /// Boxed: the transport's state (well over a kilobyte across retries, credentials and the
    /// body read) would otherwise be inlined into, and copied through, every generated
    /// `send`/`send_with_metadata` future; one allocation per call is cheaper.
    /// Behind `dyn`, from a non-generic function: an async fn's body is compiled where its
    /// future is polled, so polling it from the generic [`Core::execute`] compiled the whole
    /// retry loop, credentials and body read into every crate that sends a request. Turned
    /// into a trait object here, it is compiled once, in this crate.
    fn send_boxed(&self, req: OperationRequest, options: CallOptions) -> Transport {
        Box::pin(crate::transport::execute(self.clone(), req, options))
    }
}

/// The boxed send loop of one call.
type Transport = Pin<Box<dyn Future<Output = Result<RawResponse, Error<Infallible>>> + Send>>;

/// A call on its way: the future [`Core::execute`] returns, resolving to the final response
/// with the operation's error type `E` (only the transport's own errors arise in it).
#[must_use = "a call is sent only when its future is awaited"]
pub struct Sent<E> {
    transport: Transport,
    // `fn() -> E`: `Sent` is `Send`, `Sync` and `Unpin` whatever `E` is, since it holds none.
    error: PhantomData<fn() -> E>,
}

impl<E> Future for Sent<E> {
    type Output = Result<RawResponse, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.transport.as_mut().poll(cx).map_err(Error::widen)
    }
}

impl<E> fmt::Debug for Sent<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sent")
    }
}

/// Decodes the JSON body of a documented error status into the variant that `wrap` makes,
/// with the message its model carries: one generated `match` arm per status, on one line.
pub fn error_body<T, E>(body: &[u8], wrap: fn(T) -> E) -> FromStatus<E>
where
    T: DeserializeOwned + ErrorMessage,
{
    // A `match`, not `Result::map` with a closure: one closure type per (body, variant) pair
    // was one more instantiation per documented error status in the generated crate.
    match serde_json::from_slice::<T>(body) {
        Ok(body) => {
            let message = body.message().map(str::to_owned);
            Some(Ok((wrap(body), message)))
        }
        Err(e) => Some(Err(e)),
    }
}

/// [`error_body`] for a body model without a message.
pub fn error_body_plain<T: DeserializeOwned, E>(body: &[u8], wrap: fn(T) -> E) -> FromStatus<E> {
    // A `match` for the same reason as in `error_body`.
    match serde_json::from_slice::<T>(body) {
        Ok(body) => Some(Ok((wrap(body), None))),
        Err(e) => Some(Err(e)),
    }
}

/// A documented error status without a body.
pub fn no_body<E>(variant: E) -> FromStatus<E> {
    Some(Ok((variant, None)))
}

/// A required body property, or the build error naming it.
pub fn required<T>(
    value: Option<T>,
    operation_id: &'static str,
    field: &'static str,
) -> Result<T, BuildError> {
    value.ok_or(BuildError::MissingField {
        operation_id,
        field,
    })
}

/// The per-call methods of a generated request builder, as inherent methods: `send`,
/// `with_timeout`, `with_operation_timeout`, `with_retry`, `with_header`, and with
/// `account_id` also `with_account_id`; and the private `operation_request`, which describes
/// the operation to the runtime from the data given here:
///
/// `request_builder_methods!(Builder, "operationId", METHOD, AuthMode, RetryClass[, account_id]; "/path"[ + "more docs"], Success, OperationError, finish);`
///
/// `send_with_metadata` sends what the builder's generated `fn sent(self) -> Result<Sent<E>,
/// Error<E>>` built and decodes the answer with `RawResponse::finish` (`into_json`,
/// `into_unit`, ...); `send` is the same without the metadata, and its doc names the method
/// and path, and `more docs` when given. Both build the request when called and return a
/// `Send + 'static` future that holds the call, never the builder. The builder must have a
/// field `options: CallOptions`.
#[macro_export]
#[doc(hidden)]
macro_rules! request_builder_methods {
    ($builder:ident, $id:literal, $method:ident, $auth:ident, $retry:ident, account_id; $($rest:tt)*) => {
        impl $builder {
            /// Sends this call to another account than the client's.
            pub fn with_account_id(
                mut self,
                account_id: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.options.set_account_id(account_id);
                self
            }
        }
        $crate::request_builder_methods!($builder, $id, $method, $auth, $retry; $($rest)*);
    };
    (
        $builder:ident, $id:literal, $method:ident, $auth:ident, $retry:ident;
        $path:literal $(+ $more:literal)?, $success:ty, $error:ty, $finish:ident
    ) => {
        impl $builder {
            /// The operation as the runtime sends it, before this call's values are added.
            fn operation_request() -> $crate::codegen::OperationRequest {
                $crate::codegen::OperationRequest::new(
                    $crate::http::Method::$method,
                    $id,
                    $crate::codegen::AuthMode::$auth,
                    $crate::RetryClass::$retry,
                )
            }

            #[doc = concat!(
                "Sends the request and returns the decoded result: `",
                stringify!($method), " ", $path, "`.", $(" ", $more)?
            )]
            pub fn send(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<$success, $crate::Error<$error>>,
            > + ::std::marker::Send
                   + 'static {
                let sent = self.send_with_metadata();
                async move { sent.await.map($crate::Response::into_inner) }
            }

            /// Like [`send`](Self::send), with the response's status, headers and request id.
            pub fn send_with_metadata(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<$crate::Response<$success>, $crate::Error<$error>>,
            > + ::std::marker::Send
                   + 'static {
                // The request is built now and the builder consumed: the future keeps only
                // the call on its way (or why it could not be built), not the builder.
                let sent = self.sent();
                async move { sent?.await?.$finish() }
            }
        }

        impl $builder {
            /// Overrides the client's timeout for this call (each attempt).
            pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// Bounds this whole call, attempts and waits included (overrides the client's
            /// operation timeout).
            pub fn with_operation_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_operation_timeout(timeout);
                self
            }

            /// Overrides the client's retry policy for this call.
            pub fn with_retry(mut self, retry: $crate::RetryConfig) -> Self {
                self.options.set_retry(retry);
                self
            }

            /// Adds a header to this call only, given as text (`"x-trace-id"`, `"abc"`) or as
            /// `http` types. An invalid name or value makes `send` fail with
            /// `BuildError::InvalidHeader`, which names the header and never shows its value.
            pub fn with_header<N, V>(mut self, name: N, value: V) -> Self
            where
                N: ::std::convert::AsRef<str>,
                V: ::std::convert::TryInto<$crate::http::HeaderValue>,
            {
                self.options.set_header(name, value);
                self
            }
        }
    };
}

/// The `Debug` of a generated model: what `shown` prints (the derived form,
/// `Name { field: value, .. }`), with [`redact_text`](crate::redact::redact_text) applied to
/// the whole of it. The text of each field is a part of the whole, and `Debug` escapes the
/// quotes inside strings, so the redaction finds in the whole every secret it finds in a field
/// shown alone: no field needs to be listed as one to redact.
///
/// The closure is taken as `&dyn Fn`, so this is compiled once, not once per model.
pub fn debug_redacted(
    f: &mut fmt::Formatter<'_>,
    shown: &dyn Fn(&mut fmt::Formatter<'_>) -> fmt::Result,
) -> fmt::Result {
    crate::redact::write_redacted(f, &Shown(shown))
}

/// Lends a formatting closure a `Debug` impl.
struct Shown<'a>(&'a dyn Fn(&mut fmt::Formatter<'_>) -> fmt::Result);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// A field's name as `Debug` shows it: without the `r#` of a raw identifier.
pub fn field_name(ident: &'static str) -> &'static str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A redacting `Debug` impl for a generated model, from its name and its fields' names:
/// `redacted_debug!(User { id, name, extra });` prints like the derived impl, then masks
/// secrets in the text (see [`debug_redacted`]).
#[macro_export]
#[doc(hidden)]
macro_rules! redacted_debug {
    ($model:ident { $($field:ident),* $(,)? }) => {
        // Deprecated fields are shown like any other.
        #[allow(deprecated)]
        impl ::std::fmt::Debug for $model {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::codegen::debug_redacted(f, &|f| {
                    f.debug_struct(stringify!($model))
                        $(.field($crate::codegen::field_name(stringify!($field)), &self.$field))*
                        .finish()
                })
            }
        }
    };
}

/// A generated model's trait impls and methods from one call: the redacting `Debug` of
/// [`redacted_debug!`](crate::redacted_debug) and the `Deserialize` of
/// [`model_deserialize!`](crate::model_deserialize) over the fields in braces (in that
/// macro's syntax: a wire name after `=` when it is not the identifier, `@required` before a
/// property the object must have, and the map of other properties after `..`), then, when a
/// second brace group follows, a chainable setter per optional field listed there:
///
/// `model_impls!(User { id, @required email, display_name = "Display-Name", tags, ..extra } { display_name: String, @vec tags: String });`
///
/// A setter takes anything convertible to the field's type and stores it as set (`Some`, or
/// `Nullable::Value` for `@null`); `@vec` takes any iterable of convertible items. Each costs
/// the generated crate one short entry, which keeps a model of many fields as small as the
/// schema it comes from, and rustdoc documents each setter on the model's page.
#[macro_export]
#[doc(hidden)]
macro_rules! model_impls {
    (
        $model:ident {
            $($(@$req:ident)? $field:ident $(= $wire:literal)?),* $(,)?
            $(.. $extra:ident)?
        }
        $({ $($(@$kind:ident)? $set:ident: $ty:ty),* $(,)? })?
    ) => {
        $crate::redacted_debug!($model { $($field,)* $($extra)? });
        $crate::model_deserialize!($model {
            $($(@$req)? $field $(= $wire)?,)* $(.. $extra)?
        });
        $(
            impl $model {
                $($crate::model_setter!($(@$kind)? $set: $ty);)*
            }
        )?
    };
}

/// One setter of [`model_impls!`](crate::model_impls), by the kind of the field: optional
/// (`Option<T>`), `@vec` (`Option<Vec<T>>`) or `@null` (`Nullable<T>`).
#[macro_export]
#[doc(hidden)]
macro_rules! model_setter {
    (@vec $field:ident: $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "` from any list of items convertible to its element type, and returns the value.")]
        pub fn $field(
            mut self,
            value: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<$ty>>,
        ) -> Self {
            self.$field = ::std::option::Option::Some(
                value.into_iter().map(::std::convert::Into::into).collect(),
            );
            self
        }
    };
    (@null $field:ident: $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "` to a value (not `null`), and returns the value; assign `Nullable::Null` to the field to send `null`.")]
        pub fn $field(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.$field = $crate::Nullable::Value(value.into());
            self
        }
    };
    ($field:ident: $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`, and returns the value.")]
        pub fn $field(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.$field = ::std::option::Option::Some(value.into());
            self
        }
    };
}

/// Re-exported for `string_enum_impls!`: the generated crate's `serde` is the same crate,
/// and naming it through the runtime keeps the macro independent of the caller's imports.
pub use serde;
/// Re-exported for `model_deserialize!`, which builds the `extra` map.
pub use serde_json;

/// The methods and conversions of a generated open string enum, from its variants' wire
/// values and its catch-all variant, the one place that lists them:
///
/// `string_enum_impls!(Role { Admin = "admin", Viewer = "viewer" } Custom);`
///
/// gives the inherent `as_str` (the value as sent), `From<&str>` (an unlisted value goes to
/// the catch-all), `Display`, `From<String>`, `FromStr`, `Serialize`, `Deserialize` (as a JSON
/// string) and `QueryValue`.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum_impls {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? } $catch:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$catch(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$catch(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl $crate::codegen::serde::Serialize for $name {
            fn serialize<S: $crate::codegen::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::codegen::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value: ::std::string::String =
                    $crate::codegen::serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl $crate::codegen::QueryValue for $name {
            fn push_to(&self, name: &str, out: &mut $crate::codegen::QueryPairs) {
                $crate::codegen::QueryValue::push_to(self.as_str(), name, out)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Model {
        r#type: String,
        note: String,
        extra: serde_json::Map<String, serde_json::Value>,
    }
    crate::redacted_debug!(Model {
        r#type,
        note,
        extra
    });

    /// A model as generated code declares it; its setters are `pub`, as on generated models.
    mod settable {
        #![allow(unreachable_pub)]
        #[derive(Default)]
        pub(super) struct Settable {
            pub(super) name: Option<String>,
            pub(super) tags: Option<Vec<String>>,
            pub(super) note: crate::Nullable<String>,
            pub(super) extra: serde_json::Map<String, serde_json::Value>,
        }
        crate::model_impls!(
            Settable { name, tags, note, extra }
            { name: String, @vec tags: String, @null note: String }
        );
    }
    use settable::Settable;

    /// The most the boxed send loop's state may take. Allocated for every call, and on a
    /// busy client how much of it stays in the CPU cache shows in the throughput; it was
    /// 3,168 bytes before `execute` and `read_response` were written to keep each value once.
    const MAX_TRANSPORT_STATE: usize = 1_600;

    #[test]
    fn transport_state_stays_small() {
        let info = SdkInfo {
            sdk_version: "1",
            schema_version: "1",
        };
        let core = crate::ClientBuilder::<Core>::new(info)
            .credentials("k", "s")
            .build_core()
            .unwrap();
        let req = || {
            OperationRequest::new(
                http::Method::GET,
                "getThing",
                AuthMode::Required,
                crate::RetryClass::Idempotent,
            )
        };
        let transport = core.send_boxed(req(), CallOptions::new());
        let size = std::mem::size_of_val(&*transport);
        assert!(size <= MAX_TRANSPORT_STATE, "{size} bytes");
        // A call on its way shows nothing of its request.
        assert_eq!(
            format!("{:?}", core.execute::<()>(req(), CallOptions::new())),
            "Sent"
        );
        // The options travel in every builder and call: one pointer until something is set.
        assert_eq!(
            std::mem::size_of::<CallOptions>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn model_setters_chain_and_store_each_kind_as_set() {
        let m = Settable::default().name("n").tags(["a", "b"]).note("x");
        assert_eq!(m.name.as_deref(), Some("n"));
        assert_eq!(m.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(m.note, crate::Nullable::Value("x".to_owned()));
        assert!(m.extra.is_empty());
        let shown = format!("{m:?}");
        assert!(shown.starts_with("Settable { name: Some(\"n\")"), "{shown}");
    }

    /// A string enum as generated code declares it; its `as_str` is `pub`, as on generated
    /// enums.
    mod role {
        #![allow(unreachable_pub)]
        #[derive(Debug, PartialEq)]
        pub(super) enum Role {
            Admin,
            Custom(String),
        }
        crate::string_enum_impls!(Role { Admin = "admin" } Custom);
    }
    use role::Role;

    #[test]
    fn string_enums_convert_through_their_wire_value() {
        assert_eq!(Role::Admin.to_string(), "admin");
        assert_eq!(Role::Custom("c".into()).as_str(), "c");
        assert_eq!(Role::from("admin"), Role::Admin);
        assert_eq!(Role::from("z"), Role::Custom("z".into()));
        assert_eq!(Role::from(String::from("admin")), Role::Admin);
        assert_eq!("x".parse::<Role>(), Ok(Role::Custom("x".into())));
        assert_eq!(serde_json::to_value(Role::Admin).ok(), Some("admin".into()));
        let back: Result<Role, _> = serde_json::from_str("\"y\"");
        assert_eq!(back.ok(), Some(Role::Custom("y".into())));
        assert!(serde_json::from_str::<Role>("1").is_err());
        let mut out = crate::query::QueryPairs::default();
        crate::query::QueryValue::push_to(&Role::Admin, "role", &mut out);
        assert_eq!(
            format!("{out:?}"),
            format!("{:?}", {
                let mut want = crate::query::QueryPairs::default();
                crate::query::QueryValue::push_to("admin", "role", &mut want);
                want
            })
        );
    }

    #[test]
    fn redacted_debug_prints_like_derive_and_masks_secrets_in_any_field() {
        let mut extra = serde_json::Map::new();
        extra.insert("api_secret".into(), "UnknownFieldSecret1".into());
        let m = Model {
            r#type: "kind".into(),
            note: "see cloudinary://123:S3cr3tValue@demo".into(),
            extra,
        };
        for shown in [format!("{m:?}"), format!("{m:#?}")] {
            assert!(shown.starts_with("Model {"), "{shown}");
            assert!(shown.contains("type: \"kind\""), "{shown}");
            assert!(!shown.contains("r#type"), "{shown}");
            assert!(!shown.contains("S3cr3tValue"), "{shown}");
            assert!(!shown.contains("UnknownFieldSecret1"), "{shown}");
            assert!(shown.contains("@demo"), "{shown}");
        }
    }

    #[test]
    fn error_bodies_decode_into_the_variant_with_their_message_or_report_the_json_error() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Body {
            message: Option<String>,
        }
        impl ErrorMessage for Body {
            fn message(&self) -> Option<&str> {
                self.message.as_deref()
            }
        }
        #[derive(Debug, PartialEq)]
        enum E {
            NotFound(Body),
            Gone,
        }
        let got = error_body(br#"{"message":"nope"}"#, E::NotFound).map(Result::ok);
        let body = Body {
            message: Some("nope".into()),
        };
        assert_eq!(got, Some(Some((E::NotFound(body), Some("nope".into())))));
        let got = error_body_plain(br#"{"message":"nope"}"#, E::NotFound).map(Result::ok);
        let body = Body {
            message: Some("nope".into()),
        };
        assert_eq!(got, Some(Some((E::NotFound(body), None))));
        assert!(matches!(error_body(b"{", E::NotFound), Some(Err(_))));
        assert!(matches!(no_body(E::Gone), Some(Ok((E::Gone, None)))));
        assert!(matches!(
            required(None::<u8>, "createUser", "name"),
            Err(BuildError::MissingField {
                operation_id: "createUser",
                field: "name"
            })
        ));
        assert_eq!(required(Some(3), "createUser", "name").ok(), Some(3));
    }
}
