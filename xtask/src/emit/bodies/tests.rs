//! A request builder's body items for small specs, checked against hand-written tokens.

use super::*;

/// `POST /a` (`postA`) whose required body has `content` (YAML flow mapping body); `Item` has
/// a plain `id` and an optional nullable `note`.
fn api(content: &str) -> Api {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    post:\n      operationId: postA\n      requestBody: {{required: true, content: {{{content}}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Item: {{type: object, properties: {{id: {{type: string}}, note: {{type: string, nullable: true}}}}}}\n"
    );
    crate::lower::tests::lowered(&text).0
}

const ITEM: &str = "{schema: {$ref: '#/components/schemas/Item'}}";

fn op(api: &Api) -> &Operation {
    &api.groups[0].operations[0]
}

fn joined(tokens: &[TokenStream]) -> String {
    quote!(#(#tokens)*).to_string()
}

fn has(out: &str, fragment: TokenStream) {
    let fragment = fragment.to_string();
    assert!(out.contains(&fragment), "{fragment}\nnot in\n{out}");
}

#[test]
fn an_object_body_gets_a_field_and_setter_per_property_and_is_built_then_encoded() {
    let api = api(&format!("application/json: {ITEM}"));
    let items = body_items(&api, op(&api));
    let rt = rt();
    let fields = joined(&items.fields);
    has(&fields, quote!(id: Option<String>,));
    has(&fields, quote!(note: #rt::Nullable<String>,));
    let setters = joined(&items.setters);
    has(
        &setters,
        quote!(
            pub fn id(mut self, value: impl Into<String>) -> Self {
                self.id = Some(value.into());
                self
            }
        ),
    );
    // The optional nullable property's explicit null is the runtime's `Nullable::Null`.
    has(&setters, quote!(self.note = #rt::Nullable::Null;));
    has(
        &setters,
        quote!(pub fn body(mut self, body: crate::models::Item) -> Self),
    );
    assert!(!setters.contains("form_body"), "{setters}");
    let build = items.build.to_string();
    has(
        &build,
        quote!(let body = crate::models::Item { id: self.id, note: self.note, extra: self.extra, };),
    );
    has(&build, quote!(request.json_body(&body)?;));
    assert_eq!(kinds_doc(op(&api)), "");
}

#[test]
fn an_object_taken_as_json_and_as_a_form_gets_a_form_setter_and_a_flag() {
    let api = api(&format!(
        "application/json: {ITEM}, application/x-www-form-urlencoded: {ITEM}"
    ));
    let items = body_items(&api, op(&api));
    let setters = joined(&items.setters);
    has(
        &setters,
        quote!(
            pub fn form_body(self, body: crate::models::Item) -> Self {
                let mut this = self.body(body);
                this.send_as_form = true;
                this
            }
        ),
    );
    let build = items.build.to_string();
    has(
        &build,
        quote!(if self.send_as_form {
            request.form_body(&body)?;
        } else {
            request.json_body(&body)?;
        }),
    );
    assert_eq!(
        kinds_doc(op(&api)),
        " The operation takes several body kinds: the body property setters or `body` (JSON), `form_body` (a form); the kind of the body setter called last is sent."
    );
}

#[test]
fn kinds_given_whole_share_a_slot_and_list_their_parts() {
    let api = api(
        "multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}, folder: {type: string}}}}",
    );
    let rt = rt();
    let items = body_items(&api, op(&api));
    has(
        &joined(&items.fields),
        quote!(whole_body: Option<#rt::Payload>,),
    );
    has(&joined(&items.inits), quote!(whole_body: None,));
    let setters = joined(&items.setters);
    has(
        &setters,
        quote!(pub fn multipart_body(mut self, value: #rt::Multipart) -> Self { self.whole_body = Some(#rt::Payload::Multipart(value)); self }),
    );
    assert!(
        setters.contains("The spec lists the parts `file` (a file: `Multipart::file`, `file_path` or `file_stream`), `folder`."),
        "{setters}"
    );
    // A required body given whole must have been set.
    has(
        &items.build.to_string(),
        quote!(let payload = self.whole_body.as_ref().ok_or(#rt::BuildError::missing_field("postA", "request body"))?;),
    );
    assert_eq!(kinds_doc(op(&api)), "");
    assert_eq!(
        multipart_doc(&[]),
        "`multipart/form-data`, built with `Multipart::text` and `Multipart::file` (or `file_path`, `file_stream`)."
    );
}
