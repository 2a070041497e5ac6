//! Vendor extensions: every one the generator reads is parsed here, once, into a typed struct
//! that keeps the JSON pointer of each value, and lowering reads those structs, never the raw
//! maps. The extension names are declared once, with their fields ([`extension_set!`]), so the
//! list of known extensions (every other one gets a warning) cannot drift from what is parsed.

use super::*;
use crate::spec::{Extensions, Schema};

/// A parsed extension value and the JSON pointer it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct At<T> {
    pub value: T,
    pub pointer: String,
}

/// A bad extension value: the pointer of the offending node and what was expected there.
pub(super) type Bad = (String, String);

/// How a raw extension value becomes its typed form.
trait FromExtension: Sized {
    /// Parses `value`, found at `ptr`; an error names the node at fault (`ptr` or below it).
    fn parse(value: &Value, ptr: &str) -> std::result::Result<Self, Bad>;
}

/// Declares a set of extensions of one kind of object: the struct with a field per
/// extension, the names (the known list is made of these), and the reader.
macro_rules! extension_set {
    (
        $(#[$meta:meta])*
        $set:ident {
            $( $(#[$field_meta:meta])* $field:ident: $ty:ty = $name:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default)]
        pub(super) struct $set {
            $( $(#[$field_meta])* pub $field: Option<At<$ty>>, )*
        }

        impl $set {
            /// The names of the extensions in this set.
            pub(super) const NAMES: &'static [&'static str] = &[$($name),*];

            /// Parses the extensions of this set found in `set`; the first bad value is an
            /// error naming its pointer.
            pub(super) fn read(set: &Extensions) -> std::result::Result<Self, Bad> {
                Ok(Self { $( $field: read_one(set, $name)?, )* })
            }
        }
    };
}

extension_set! {
    /// The extensions of the document.
    DocumentExtensions {
        /// `x-speakeasy-globals`: parameters held by the client (the account id) instead of
        /// each call.
        globals: Vec<At<GlobalParam>> = "x-speakeasy-globals",
    }
}

extension_set! {
    /// The extensions of an operation.
    OperationExtensions {
        /// `x-speakeasy-group`: the group (client accessor), as the official SDKs.
        group: NonEmpty = "x-speakeasy-group",
        /// `x-speakeasy-name-override`: the method name within the group.
        name_override: NonEmpty = "x-speakeasy-name-override",
        /// `x-speakeasy-pagination`: the operation lists in pages, and gets streams.
        pagination: PaginationExtension = "x-speakeasy-pagination",
        /// `x-cld-auth`: whether the operation authenticates.
        auth: Auth = "x-cld-auth",
        /// `x-cld-retry`: whether a failed attempt may be repeated.
        retry: RetryClass = "x-cld-retry",
    }
}

extension_set! {
    /// The extensions of a parameter.
    ParameterExtensions {
        /// `x-speakeasy-globals-hidden`: the globals are hidden from method signatures, which
        /// is what the client's account id already does; parsed only to be checked, as
        /// nothing depends on its value.
        #[allow(dead_code)]
        globals_hidden: bool = "x-speakeasy-globals-hidden",
    }
}

/// Reads extension `name` of `set`, if present.
fn read_one<T: FromExtension>(
    set: &Extensions,
    name: &str,
) -> std::result::Result<Option<At<T>>, Bad> {
    let Some(value) = set.get(name) else {
        return Ok(None);
    };
    let pointer = set.pointer_of(name);
    Ok(Some(At {
        value: T::parse(value, &pointer)?,
        pointer,
    }))
}

fn bad(ptr: &str, message: impl Into<String>) -> Bad {
    (ptr.to_string(), message.into())
}

/// A string with something other than whitespace in it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NonEmpty(pub String);

impl FromExtension for NonEmpty {
    fn parse(value: &Value, ptr: &str) -> std::result::Result<Self, Bad> {
        match value {
            Value::String(s) if !s.trim().is_empty() => Ok(NonEmpty(s.clone())),
            _ => Err(bad(ptr, "expected a non-empty string")),
        }
    }
}

impl FromExtension for bool {
    fn parse(value: &Value, ptr: &str) -> std::result::Result<Self, Bad> {
        value
            .as_bool()
            .ok_or_else(|| bad(ptr, format!("expected true or false, not {value}")))
    }
}

/// A value out of a fixed set of strings, each naming a variant.
fn one_of<T: Copy>(value: &Value, ptr: &str, choices: &[(&str, T)]) -> std::result::Result<T, Bad> {
    let found = value
        .as_str()
        .and_then(|s| choices.iter().find(|(name, _)| *name == s));
    match found {
        Some((_, v)) => Ok(*v),
        None => {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            let (last, rest) = names.split_last().unwrap_or((&"", &[]));
            Err(bad(
                ptr,
                format!(
                    "unknown value {value}: expected {} or {last}",
                    rest.join(", ")
                ),
            ))
        }
    }
}

/// `FromExtension` for types whose value is one of a fixed set of strings.
macro_rules! one_of_strings {
    ($($ty:ty { $($name:literal => $value:expr),* $(,)? })*) => {$(
        impl FromExtension for $ty {
            fn parse(value: &Value, ptr: &str) -> std::result::Result<Self, Bad> {
                one_of(value, ptr, &[$(($name, $value)),*])
            }
        }
    )*};
}

one_of_strings! {
    Auth {
        "required" => Auth::Required,
        "optional" => Auth::Optional,
        "none" => Auth::None,
    }
    RetryClass {
        "idempotent" => RetryClass::Idempotent,
        "non-idempotent" => RetryClass::NonIdempotent,
        "never" => RetryClass::Never,
    }
}

/// One entry of `x-speakeasy-globals/parameters`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum GlobalParam {
    /// `$ref: '#/components/parameters/<name>'`: the component parameter's name (its key,
    /// unescaped), and the reference as written (for errors).
    Component { name: String, reference: String },
    /// `name: <name>`: the parameter's own name.
    Named(String),
}

impl FromExtension for Vec<At<GlobalParam>> {
    fn parse(value: &Value, ptr: &str) -> std::result::Result<Self, Bad> {
        let ptr = format!("{ptr}/parameters");
        let params = value
            .get("parameters")
            .and_then(|p| p.as_array())
            .ok_or_else(|| bad(&ptr, "expected a list of parameters"))?;
        let mut out = Vec::with_capacity(params.len());
        for (i, p) in params.iter().enumerate() {
            let pointer = format!("{ptr}/{i}");
            let value = if let Some(r) = p.get("$ref").and_then(|r| r.as_str()) {
                let name = r
                    .strip_prefix("#/components/parameters/")
                    .map(crate::spec::unescape_pointer_token)
                    .ok_or_else(|| {
                        bad(
                            &pointer,
                            format!("unsupported $ref {r:?}: expected #/components/parameters/..."),
                        )
                    })?;
                GlobalParam::Component {
                    name,
                    reference: r.to_string(),
                }
            } else if let Some(n) = p.get("name").and_then(|n| n.as_str()) {
                GlobalParam::Named(n.to_string())
            } else {
                return Err(bad(&pointer, "a global parameter needs `$ref` or `name`"));
            };
            out.push(At { value, pointer });
        }
        Ok(out)
    }
}

/// `x-speakeasy-pagination`, as written: resolving its names against the operation is
/// lowering's work (`Lowerer::pagination`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PaginationExtension {
    pub kind: PageKind,
    /// The pointer of `inputs`.
    pub inputs_pointer: String,
    pub inputs: Vec<PageInput>,
    /// `outputs/results`: the field path from the response to the items.
    pub results: At<Vec<String>>,
    /// `outputs/nextCursor` (cursor pagination only): the field path to the next cursor.
    pub next_cursor: Option<At<Vec<String>>>,
}

/// One entry of the pagination's `inputs`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PageInput {
    pub name: String,
    pub location: PageInputIn,
    pub role: PageInputRole,
    pub pointer: String,
}

/// Where a pagination input lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageInputIn {
    /// `in: parameters`: a query parameter.
    Parameters,
    /// `in: requestBody`: a property of the object body.
    RequestBody,
}

/// What a pagination input carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageInputRole {
    Page,
    Cursor,
    Limit,
}

impl PageInputRole {
    /// The name the extension spells it with.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            PageInputRole::Page => "page",
            PageInputRole::Cursor => "cursor",
            PageInputRole::Limit => "limit",
        }
    }
}

impl FromExtension for PaginationExtension {
    fn parse(p: &Value, ptr: &str) -> std::result::Result<Self, Bad> {
        let kind = match p.get("type").and_then(|t| t.as_str()) {
            Some("cursor") => PageKind::Cursor,
            Some("offsetLimit") => PageKind::Page,
            Some(other) => {
                return Err(bad(
                    &format!("{ptr}/type"),
                    format!("unknown pagination type {other:?}: expected cursor or offsetLimit"),
                ));
            }
            None => return Err(bad(&format!("{ptr}/type"), "missing pagination type")),
        };
        let inputs_pointer = format!("{ptr}/inputs");
        let raw_inputs = p
            .get("inputs")
            .and_then(|i| i.as_array())
            .ok_or_else(|| bad(&inputs_pointer, "expected a list"))?;
        let inputs = raw_inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| page_input(inp, &format!("{inputs_pointer}/{i}"), kind))
            .collect::<std::result::Result<Vec<_>, Bad>>()?;
        let outputs_pointer = format!("{ptr}/outputs");
        let outputs = p
            .get("outputs")
            .ok_or_else(|| bad(&outputs_pointer, "missing outputs"))?;
        let results = json_path(outputs, &outputs_pointer, "results")?;
        let next_cursor = match kind {
            PageKind::Cursor => Some(json_path(outputs, &outputs_pointer, "nextCursor")?),
            PageKind::Page => None,
        };
        Ok(PaginationExtension {
            kind,
            inputs_pointer,
            inputs,
            results,
            next_cursor,
        })
    }
}

/// One pagination input, at `ptr`, of a pagination of `kind` (named in the error for an
/// unknown role).
fn page_input(inp: &Value, ptr: &str, kind: PageKind) -> std::result::Result<PageInput, Bad> {
    let name = inp
        .get("name")
        .and_then(|n| n.as_str())
        .ok_or_else(|| bad(ptr, "missing name"))?;
    let location = match inp.get("in").and_then(|n| n.as_str()) {
        Some("parameters") => PageInputIn::Parameters,
        Some("requestBody") => PageInputIn::RequestBody,
        Some(other) => {
            return Err(bad(
                &format!("{ptr}/in"),
                format!(
                    "unsupported pagination input location {other:?}: expected parameters or requestBody"
                ),
            ));
        }
        None => {
            return Err(bad(ptr, "missing `in`: expected parameters or requestBody"));
        }
    };
    let role = match inp.get("type").and_then(|t| t.as_str()) {
        Some("page") => PageInputRole::Page,
        Some("cursor") => PageInputRole::Cursor,
        Some("limit") => PageInputRole::Limit,
        other => return Err(unsupported_input(ptr, other, kind, name)),
    };
    Ok(PageInput {
        name: name.to_string(),
        location,
        role,
        pointer: ptr.to_string(),
    })
}

/// An input `type` that this pagination cannot use, at the input's pointer `ptr`.
pub(super) fn unsupported_input(ptr: &str, role: Option<&str>, kind: PageKind, name: &str) -> Bad {
    bad(
        &format!("{ptr}/type"),
        format!("unsupported input type {role:?} for {kind:?} pagination on {name:?}"),
    )
}

/// `outputs/<key>`: a JSONPath of the form `$.field(.field)*`, as its fields.
fn json_path(
    outputs: &Value,
    outputs_pointer: &str,
    key: &str,
) -> std::result::Result<At<Vec<String>>, Bad> {
    let pointer = format!("{outputs_pointer}/{key}");
    let s = outputs
        .get(key)
        .and_then(|v| v.as_str())
        .ok_or_else(|| bad(&pointer, "missing JSONPath"))?;
    let rest = s.strip_prefix("$.").ok_or_else(|| {
        bad(
            &pointer,
            format!("unsupported JSONPath {s:?}: expected $.field(.field)*"),
        )
    })?;
    Ok(At {
        value: rest.split('.').map(str::to_string).collect(),
        pointer,
    })
}

/// The kinds of object extensions sit on, for the known-extension check.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Document,
    Operation,
    Parameter,
    Schema,
}

impl Place {
    /// The extensions the generator reads on this kind of object.
    fn known(self) -> &'static [&'static str] {
        match self {
            Place::Document => DocumentExtensions::NAMES,
            Place::Operation => OperationExtensions::NAMES,
            Place::Parameter => ParameterExtensions::NAMES,
            Place::Schema => &[],
        }
    }

    /// The places an extension the generator reads somewhere is read at, for the warning
    /// about one found elsewhere.
    fn read_at(name: &str) -> Option<&'static str> {
        [
            (Place::Document, "the document"),
            (Place::Operation, "operations"),
            (Place::Parameter, "parameters"),
        ]
        .into_iter()
        .find(|(place, _)| place.known().contains(&name))
        .map(|(_, label)| label)
    }
}

impl Lowerer<'_> {
    /// Turns a bad extension value into the error that names it.
    pub(super) fn bad_extension(&self, (pointer, message): Bad) -> GenError {
        self.err(&pointer, message)
    }

    /// Warns once per extension name the generator does not read where it is found, at its
    /// first place, counting the others; a known extension with a value it cannot use on a
    /// parameter (where it changes nothing) is a warning too.
    pub(super) fn check_extensions(&mut self) {
        let doc = self.doc;
        let mut sets: Vec<(Place, &Extensions)> = vec![(Place::Document, &doc.extensions)];
        let mut schemas: Vec<&Schema> = Vec::new();
        for entry in &doc.paths {
            for p in &entry.parameters {
                sets.push((Place::Parameter, &p.extensions));
                schemas.extend(&p.schema);
            }
            for op in &entry.operations {
                sets.push((Place::Operation, &op.extensions));
                for p in &op.parameters {
                    sets.push((Place::Parameter, &p.extensions));
                    schemas.extend(&p.schema);
                }
            }
        }
        for (_, p) in &doc.components.parameters {
            sets.push((Place::Parameter, &p.extensions));
        }
        schemas.extend(doc.components.schemas.iter().map(|(_, s)| s));
        // Schemas nest; an explicit stack keeps the walk free of recursion.
        while let Some(s) = schemas.pop() {
            sets.push((Place::Schema, &s.extensions));
            schemas.extend(s.properties.iter().map(|(_, p)| p));
            schemas.extend(s.items.as_deref());
            schemas.extend(&s.prefix_items);
            schemas.extend(&s.all_of);
            schemas.extend(&s.one_of);
            schemas.extend(&s.any_of);
            schemas.extend(s.not.as_deref());
            if let Some(crate::spec::Additional::Schema(a)) = &s.additional {
                schemas.push(a);
            }
        }
        for (place, set) in sets {
            if place == Place::Parameter {
                if let Err((pointer, message)) = ParameterExtensions::read(set) {
                    self.diagnostics
                        .warn(&pointer, format!("{message}: the extension is ignored"));
                }
            }
            for (name, _) in &set.entries {
                if place.known().contains(&name.as_str()) {
                    continue;
                }
                let message = match Place::read_at(name) {
                    Some(label) => {
                        format!("vendor extension {name} is read on {label} only, not here")
                    }
                    None => format!("vendor extension {name} is not read by the generator"),
                };
                self.diagnostics.warn_once(
                    &format!("extension:{name}"),
                    &set.pointer_of(name),
                    message,
                );
            }
        }
    }
}
