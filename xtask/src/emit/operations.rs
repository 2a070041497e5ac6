//! `src/operations/*.rs`: per resource group, an accessor struct, one request builder per
//! operation, and an error type per operation typed by the spec's error responses (an enum,
//! or an alias of an earlier operation's enum with the same errors).

use super::docs::doc_attrs;
use super::types::{rt, setter_arg, ty};
use crate::ir::*;
use crate::naming::reserved::{self, CLIENT, OPERATION_REQUEST, OPTIONS, SENT};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn mod_rs(api: &Api) -> TokenStream {
    let mods = api.groups.iter().map(|g| {
        let m = &g.module;
        let d = format!(" Operations of the `{}` group.", g.module.bare());
        quote!(#[doc = #d] pub mod #m;)
    });
    quote! {
        //! One module per resource group: the group accessor, its request builders and the
        //! per-operation error types.
        #(#mods)*
    }
}

pub fn group_rs(
    api: &Api,
    group: &Group,
    crate_name: &str,
    shared: &super::errors::SharedErrors,
) -> TokenStream {
    let ty_name = &group.type_name;
    let module = &group.module;
    let intro = format!(
        "The `{}` operations. Get it with [`Client::{}`](crate::Client::{}); it borrows the client and costs nothing to make.",
        module.bare(),
        module.bare(),
        module.bare()
    );
    let example = group_example(api, group, crate_name);
    let accessor_doc = doc_attrs(&[&intro]);
    let example_doc = super::docs::raw_doc(&example);
    let client = reserved::ident(CLIENT);
    let methods = group.operations.iter().map(|op| group_method(api, op));
    let ops = group
        .operations
        .iter()
        .map(|op| operation_items(api, group, op, shared));
    quote! {
        #accessor_doc
        #example_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #ty_name<'a> {
            pub(crate) #client: &'a crate::Client,
        }

        impl<'a> #ty_name<'a> {
            #(#methods)*
        }

        #(#ops)*
    }
}

/// A compile-checked usage example for a group: its first operation whose arguments can be
/// written as literals, or none.
fn group_example(api: &Api, group: &Group, crate_name: &str) -> String {
    match usage_line(api, group, crate_name) {
        Some((line, has_value)) => {
            let used = if has_value {
                "println!(\"{response:?}\");\n"
            } else {
                ""
            };
            format!(
                "```no_run\n# async fn example(client: {crate_name}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{line}\n{used}# Ok(())\n# }}\n```"
            )
        }
        None => String::new(),
    }
}

/// `let response = client.group().method(args).send().await?;` for the first operation of
/// `group` whose positional arguments all have literal placeholders; the bool says whether
/// the call returns a value.
pub fn usage_line(api: &Api, group: &Group, crate_name: &str) -> Option<(String, bool)> {
    group.operations.iter().find_map(|op| {
        let args: Option<Vec<String>> = positional(op)
            .map(|p| example_value(api, &p.ty, &p.wire_name, crate_name))
            .collect();
        let args = args?;
        let has_value = op.success.single() != Some(&ResponseBody::Empty);
        let bind = if has_value { "let response = " } else { "" };
        Some((
            format!(
                "{bind}client.{}().{}({}).send().await?;",
                group.module.as_str(),
                op.method_name.as_str(),
                args.join(", ")
            ),
            has_value,
        ))
    })
}

/// A literal of type `t` for examples, when there is a simple one.
fn example_value(api: &Api, t: &TypeRef, name: &str, crate_name: &str) -> Option<String> {
    Some(match t {
        TypeRef::String => format!("{name:?}"),
        TypeRef::Bool => "true".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "1".into(),
        TypeRef::F32 | TypeRef::F64 => "1.0".into(),
        TypeRef::Date => format!("\"2024-01-31\".parse::<{crate_name}::Date>()?"),
        TypeRef::Vec(inner) => format!("[{}]", example_value(api, inner, name, crate_name)?),
        TypeRef::Named(n) => match api.model(n.id()) {
            Some(Model::Enum(e)) => {
                let (v, _) = e.variants.first()?;
                format!(
                    "{crate_name}::models::{}::{}",
                    n.ident().as_str(),
                    v.as_str()
                )
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// `#[deprecated]` when the spec deprecates the item.
fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// Positional arguments: path parameters and required query parameters.
fn positional(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Path || p.required)
}

fn op_line(op: &Operation) -> String {
    format!("`{} {}`", op.http_method.as_str(), op.path_template)
}

/// The group's method for `op`: takes the positional arguments and makes the builder, every
/// other field unset.
fn group_method(api: &Api, op: &Operation) -> TokenStream {
    let name = &op.method_name;
    let builder = &op.builder;
    let args = positional(op).map(|p| {
        let n = &p.rust_name;
        let (arg_ty, _) = setter_arg(&p.ty, n);
        quote!(#n: #arg_ty)
    });
    let inits = op.params.iter().map(|p| {
        let n = &p.rust_name;
        if p.location == ParamLocation::Path || p.required {
            let (_, conv) = setter_arg(&p.ty, n);
            quote!(#n: #conv,)
        } else {
            quote!(#n: None,)
        }
    });
    let body = super::bodies::body_items(api, op);
    let body_inits = &body.inits;
    let summary = op
        .summary
        .clone()
        .unwrap_or_else(|| op.operation_id.clone());
    let doc = doc_attrs(&[
        &summary,
        op.description.as_deref().unwrap_or(""),
        &op_line(op),
    ]);
    let deprecated = deprecated_attr(op.deprecated);
    let (client, options) = (reserved::ident(CLIENT), reserved::ident(OPTIONS));
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> #builder {
            #builder {
                #client: self.#client.clone(),
                #options: Default::default(),
                #(#inits)*
                #(#body_inits)*
            }
        }
    }
}

/// Everything one operation adds to its group's file, each kind of item made by its own
/// function: the builder struct, its setters, the shared per-call methods, `send`, the stream
/// of pages, the success enum and the error enum (or its alias). The group method makes the
/// builder.
fn operation_items(
    api: &Api,
    group: &Group,
    op: &Operation,
    shared: &super::errors::SharedErrors,
) -> TokenStream {
    let body = super::bodies::body_items(api, op);
    let builder = &op.builder;
    // The builder moves deprecated fields around like any other; only callers are warned.
    let touches_deprecated = op.params.iter().any(|p| p.deprecated) || body.touches_deprecated;
    let allow_deprecated = if touches_deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    let definition = builder_struct(group, op, &body);
    let setters = param_setters(op);
    let body_setters = &body.setters;
    let per_call = shared_methods(op);
    let sent = sent_method(api, op, &body);
    let paginate = op
        .pagination
        .as_ref()
        .map(|p| super::pagination::pagination(op, p))
        .unwrap_or_default();
    let success_items = super::responses::success_enum(op);
    let error_items = super::errors::error_enum(group, op, shared);
    quote! {
        #definition

        #allow_deprecated
        impl #builder {
            #(#setters)*
            #(#body_setters)*
            #sent
            #paginate
        }

        #per_call
        #success_items
        #error_items
    }
}

/// The request builder's struct: the client, the per-call options, a field per parameter and
/// the body's fields.
fn builder_struct(group: &Group, op: &Operation, body: &super::bodies::BodyItems) -> TokenStream {
    let rt = rt();
    let builder = &op.builder;
    let doc = super::docs::own_doc(&[&format!(
        "A request for [`{}::{}`]({}::{}): set optional parameters, then `.send().await`.{}",
        group.type_name.bare(),
        op.method_name.bare(),
        group.type_name.bare(),
        op.method_name.bare(),
        super::bodies::kinds_doc(op)
    )]);
    let param_fields = op.params.iter().map(|p| {
        let n = &p.rust_name;
        let t = ty(&p.ty);
        if p.location == ParamLocation::Path || p.required {
            quote!(#n: #t,)
        } else {
            quote!(#n: Option<#t>,)
        }
    });
    let body_fields = &body.fields;
    let (client, options) = (reserved::ident(CLIENT), reserved::ident(OPTIONS));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            #client: crate::Client,
            #options: #rt::CallOptions,
            #(#param_fields)*
            #(#body_fields)*
        }
    }
}

/// A setter for every query, header and cookie parameter. Required ones are also arguments of
/// the group method, so they cannot be forgotten; their setter replaces the value given there.
fn param_setters(op: &Operation) -> Vec<TokenStream> {
    // Every setter takes its argument as `value` (never a parameter name: those are fields).
    let value = crate::naming::snake("value");
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let n = &p.rust_name;
            let (arg, conv) = setter_arg(&p.ty, &value);
            let fallback = format!(
                "Sets the `{}` {} parameter.",
                p.wire_name,
                p.location.describe()
            );
            let doc = doc_attrs(&[p.description.as_deref().unwrap_or(&fallback)]);
            let deprecated = deprecated_attr(p.deprecated);
            let store = if p.required {
                conv
            } else {
                quote!(Some(#conv))
            };
            quote! {
                #doc
                #deprecated
                pub fn #n(mut self, value: #arg) -> Self {
                    self.#n = #store;
                    self
                }
            }
        })
        .collect()
}

/// The per-call methods every builder shares (`with_timeout`, `with_header`, ...) and `send`,
/// written once in the runtime, and `operation_request`: the operation's description, as data
/// for the runtime (method, id, authentication, retry class). Only operations whose path holds
/// the account id can be sent to another account, so only they get `with_account_id`.
fn shared_methods(op: &Operation) -> TokenStream {
    let rt = rt();
    let builder = &op.builder;
    let method = format_ident!("{}", op.http_method.as_str());
    let op_id = &op.operation_id;
    let auth = format_ident!(
        "{}",
        match op.auth {
            Auth::Required => "Required",
            Auth::Optional => "Optional",
            Auth::None => "None",
        }
    );
    let retry = format_ident!(
        "{}",
        match op.retry {
            RetryClass::Idempotent => "Idempotent",
            RetryClass::NonIdempotent => "NonIdempotent",
            RetryClass::Never => "Never",
        }
    );
    let account = if op.path.iter().any(|p| matches!(p, PathPart::AccountId)) {
        quote!(, account_id)
    } else {
        quote!()
    };
    let path = &op.path_template;
    let more = super::responses::success_doc(op).map(|more| quote!(+ #more));
    let success = super::responses::success_type(op);
    let error = &op.error_type;
    let finish = super::responses::finish(op);
    quote!(#rt::request_builder_methods!(
        #builder, #op_id, #method, #auth, #retry #account; #path #more, #success, #error, #finish
    );)
}

/// `sent`: describe the request and hand it to the client (`send_with_metadata` and `send`,
/// which decode the answer, come from the runtime's macro). A plain function, so the future
/// `send` returns holds the call on its way and not the builder.
fn sent_method(api: &Api, op: &Operation, body: &super::bodies::BodyItems) -> TokenStream {
    let security = super::security::operation_security(api, op);
    let error = &op.error_type;
    let path = path_steps(op);
    let params = param_steps(op);
    let accept = super::responses::accept(op);
    let body_build = &body.build;
    let (client, options) = (reserved::ident(CLIENT), reserved::ident(OPTIONS));
    let sent = reserved::ident(SENT);
    let operation_request = reserved::ident(OPERATION_REQUEST);
    let core = reserved::ident(reserved::CORE);
    let rt = rt();
    // `crate::Error` is the root's re-export of the runtime's type: shorter, and the path
    // users know.
    quote! {
        /// The request, built and on its way once the returned call is awaited.
        fn #sent(self) -> Result<#rt::codegen::Sent<#error>, crate::Error<#error>> {
            let mut request = Self::#operation_request();
            #security
            #(#path)*
            #(#params)*
            #accept
            #body_build
            Ok(self.#client.#core.execute(request, self.#options))
        }
    }
}

/// The path, one piece (literal, account id or parameter, starting a segment or continuing
/// the last one) per statement.
fn path_steps(op: &Operation) -> Vec<TokenStream> {
    let rt = rt();
    op.path
        .iter()
        .map(|part| {
            let param = |i: &usize| match op.params.get(*i) {
                Some(p) => Ok(p),
                // The IR's path indexes its own parameters; a dangling index is a generator
                // bug, and the generated crate must then fail to build, not send a wrong path.
                None => Err(quote!(compile_error!("internal: a path part names no parameter");)),
            };
            match part {
                PathPart::Literal(l) => quote!(request.push_literal(#l);),
                PathPart::LiteralJoined(l) => quote!(request.push_literal_joined(#l);),
                PathPart::AccountId => quote!(request.push_account_id();),
                PathPart::Param(i, style) => match (param(i), style) {
                    (Err(e), _) => e,
                    (Ok(p), Some(style)) => {
                        let n = &p.rust_name;
                        let wire = &p.wire_name;
                        let style = format_ident!("{}", style.runtime_variant());
                        quote!(request.push_param_styled(#wire, &self.#n, #rt::codegen::params::PathStyle::#style)?;)
                    }
                    (Ok(p), None) => {
                        let text = param_text(p);
                        quote!(request.push_param(#text);)
                    }
                },
                PathPart::ParamJoined(i) => match param(i) {
                    Err(e) => e,
                    Ok(p) => {
                        let text = param_text(p);
                        quote!(request.push_param_joined(#text);)
                    }
                },
            }
        })
        .collect()
}

/// A plain path parameter as the `&str` its segment holds.
fn param_text(p: &Param) -> TokenStream {
    let n = &p.rust_name;
    if p.ty == TypeRef::String {
        quote!(&self.#n)
    } else {
        quote!(&self.#n.to_string())
    }
}

/// The query, header and cookie parameters, each encoded its spec-given way.
fn param_steps(op: &Operation) -> Vec<TokenStream> {
    let rt = rt();
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let n = &p.rust_name;
            let wire = &p.wire_name;
            match (p.location, p.required) {
                (ParamLocation::QueryJson, false) => quote!(request.query_json(#wire, &self.#n)?;),
                (ParamLocation::QueryJson, true) => {
                    quote!(request.query_json(#wire, &Some(&self.#n))?;)
                }
                (ParamLocation::QueryStyled(style), _) => {
                    let style = format_ident!("{}", style.runtime_variant());
                    quote!(request.query_styled(#wire, &self.#n, #rt::codegen::params::QueryStyle::#style)?;)
                }
                (ParamLocation::Header, _) => quote!(request.header_param(#wire, &self.#n)?;),
                (ParamLocation::Cookie, _) => quote!(request.cookie_param(#wire, &self.#n)?;),
                _ => quote!(request.query(#wire, &self.#n);),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `getThing` under the account id (JSON answer), and `echo`, public and answering text.
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
security: [{basic: []}]
x-speakeasy-globals:
  parameters:
    - $ref: '#/components/parameters/AccountId'
paths:
  /accounts/{account_id}/things:
    get:
      operationId: getThing
      parameters: [{$ref: '#/components/parameters/AccountId'}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /echo:
    post:
      operationId: echo
      security: []
      responses:
        '200':
          description: ok
          content:
            text/plain:
              schema: {type: string}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
  parameters:
    AccountId: {name: account_id, in: path, required: true, schema: {type: string}}
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
"#;

    use crate::lower::tests::op;

    fn api() -> Api {
        crate::lower::tests::lowered(SPEC).0
    }

    /// Tokens as text without any whitespace, so a test reads like the code it looks for.
    fn compact(tokens: &TokenStream) -> String {
        tokens.to_string().split_whitespace().collect()
    }

    #[test]
    fn the_shared_methods_call_describes_the_operation_and_what_send_returns() {
        let api = api();
        let get = compact(&shared_methods(op(&api, "getThing")));
        assert_eq!(
            get,
            "crate::runtime::request_builder_methods!(GetThing,\"getThing\",GET,Required,Idempotent,account_id;\"/accounts/{account_id}/things\",crate::models::Thing,GetThingError,into_json);"
        );
        // No account id in the path, no `with_account_id`; a text answer says so in `send`'s doc.
        let echo = compact(&shared_methods(op(&api, "echo")));
        assert_eq!(
            echo,
            "crate::runtime::request_builder_methods!(Echo,\"echo\",POST,None,NonIdempotent;\"/echo\"+\"Thebodycomesbackastext.\",String,EchoError,into_text);"
        );
    }

    #[test]
    fn sent_builds_the_request_and_hands_it_to_the_client() {
        let api = api();
        let get = op(&api, "getThing");
        let out = compact(&sent_method(
            &api,
            get,
            &super::super::bodies::body_items(&api, get),
        ));
        assert!(
            out.contains("fnsent(self)->Result<crate::runtime::codegen::Sent<GetThingError>,crate::Error<GetThingError>>{letmutrequest=Self::operation_request();"),
            "{out}"
        );
        assert!(out.contains("request.push_literal(\"accounts\");request.push_account_id();request.push_literal(\"things\");"), "{out}");
        assert!(
            out.ends_with("Ok(self.client.core.execute(request,self.options))}"),
            "{out}"
        );
        // `send` and `send_with_metadata` are the runtime macro's, and nothing is awaited here.
        assert!(!out.contains("fnsend"), "{out}");
        assert!(!out.contains("async"), "{out}");
        let echo = op(&api, "echo");
        let out = compact(&sent_method(
            &api,
            echo,
            &super::super::bodies::body_items(&api, echo),
        ));
        assert!(
            out.contains(
                "->Result<crate::runtime::codegen::Sent<EchoError>,crate::Error<EchoError>>"
            ),
            "{out}"
        );
        assert!(out.contains("request.set_accept("), "{out}");
        assert!(
            out.ends_with("Ok(self.client.core.execute(request,self.options))}"),
            "{out}"
        );
    }

    /// Group `things`: `findThing` takes a required object query (no literal for it), so the
    /// example uses `deleteThing`, which answers nothing; `oldThing` is deprecated.
    const EXAMPLES: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    get:
      operationId: findThing
      x-speakeasy-group: things
      parameters:
        - {name: filter, in: query, required: true, schema: {type: object}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
  /things/{id}/{flag}:
    delete:
      operationId: deleteThing
      x-speakeasy-group: things
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: flag, in: path, required: true, schema: {type: boolean}}
        - {name: mode, in: query, required: true, schema: {$ref: '#/components/schemas/Mode'}}
        - {name: page, in: query, deprecated: true, schema: {type: integer}}
      responses:
        '204': {description: gone}
  /old:
    get:
      operationId: oldThing
      x-speakeasy-group: legacy
      deprecated: true
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    Mode: {type: string, enum: [fast, slow]}
    Shape: {type: object, properties: {a: {type: string}}}
"#;

    fn examples_api() -> Api {
        crate::lower::tests::lowered(EXAMPLES).0
    }

    fn group<'a>(api: &'a Api, name: &str) -> &'a Group {
        api.groups
            .iter()
            .find(|g| g.module.bare() == name)
            .unwrap_or_else(|| panic!("no group {name}"))
    }

    #[test]
    fn the_group_example_calls_the_first_operation_with_literal_arguments() {
        let api = examples_api();
        let things = group(&api, "things");
        // Positional: path parameters and required query parameters, in order.
        let names: Vec<&str> = positional(op(&api, "deleteThing"))
            .map(|p| p.wire_name.as_str())
            .collect();
        assert_eq!(names, ["id", "flag", "mode"]);
        assert_eq!(
            usage_line(&api, things, "sdk"),
            Some((
                "client.things().delete_thing(\"id\", true, sdk::models::Mode::Fast).send().await?;"
                    .to_string(),
                false
            ))
        );
        assert_eq!(
            group_example(&api, things, "sdk"),
            "```no_run\n# async fn example(client: sdk::Client) -> Result<(), Box<dyn std::error::Error>> {\nclient.things().delete_thing(\"id\", true, sdk::models::Mode::Fast).send().await?;\n# Ok(())\n# }\n```"
        );
        // An operation that answers a value binds and prints it.
        let legacy = group(&api, "legacy");
        let example = group_example(&api, legacy, "sdk");
        assert!(
            example.contains("let response = client.legacy().old_thing().send().await?;\nprintln!(\"{response:?}\");\n# Ok(())"),
            "{example}"
        );
    }

    #[test]
    fn example_values_are_literals_of_each_simple_type() {
        let api = examples_api();
        let value = |t: TypeRef| example_value(&api, &t, "name", "sdk");
        assert_eq!(value(TypeRef::String).as_deref(), Some("\"name\""));
        assert_eq!(value(TypeRef::Bool).as_deref(), Some("true"));
        for t in [TypeRef::I32, TypeRef::I64, TypeRef::U64] {
            assert_eq!(value(t).as_deref(), Some("1"));
        }
        for t in [TypeRef::F32, TypeRef::F64] {
            assert_eq!(value(t).as_deref(), Some("1.0"));
        }
        assert_eq!(
            value(TypeRef::Date).as_deref(),
            Some("\"2024-01-31\".parse::<sdk::Date>()?")
        );
        assert_eq!(
            value(TypeRef::Vec(Box::new(TypeRef::I32))).as_deref(),
            Some("[1]")
        );
        let named = |name: &str| {
            let m = api
                .models
                .iter()
                .find(|m| m.name().bare() == name)
                .unwrap_or_else(|| panic!("no model {name}"));
            TypeRef::Named(m.name().clone())
        };
        assert_eq!(
            value(named("Mode")).as_deref(),
            Some("sdk::models::Mode::Fast")
        );
        // No literal for an object, any JSON, or a list of objects.
        assert_eq!(value(named("Shape")), None);
        assert_eq!(value(TypeRef::Any), None);
        assert_eq!(value(TypeRef::Vec(Box::new(named("Shape")))), None);
    }

    #[test]
    fn module_list_deprecation_and_operation_line() {
        let api = examples_api();
        let mods = compact(&mod_rs(&api));
        assert!(
            mods.contains("#[doc=\"Operationsofthe`things`group.\"]pubmodthings;"),
            "{mods}"
        );
        assert!(mods.contains("pubmodlegacy;"), "{mods}");
        assert_eq!(compact(&deprecated_attr(true)), "#[deprecated]");
        assert_eq!(compact(&deprecated_attr(false)), "");
        assert_eq!(
            op_line(op(&api, "deleteThing")),
            "`DELETE /things/{id}/{flag}`"
        );
    }

    /// `deleteThing`: path `id` (text) and `flag` (bool), required query `mode`, optional and
    /// deprecated query `page`. Path and required parameters are the group method's
    /// arguments and plain fields; the optional one starts unset; only query parameters get
    /// setters and query steps; a deprecated parameter marks its setter and allows the impl.
    #[test]
    fn parameters_become_arguments_fields_setters_and_steps() {
        let api = examples_api();
        let del = op(&api, "deleteThing");
        let things = group(&api, "things");
        let method = compact(&group_method(&api, del));
        assert!(
            method.contains("pubfndelete_thing(&self,id:implInto<String>,flag:implInto<bool>,mode:implInto<crate::models::Mode>)->DeleteThing{DeleteThing{client:self.client.clone(),options:Default::default(),id:id.into(),flag:flag.into(),mode:mode.into(),page:None,}}"),
            "{method}"
        );
        let body = super::super::bodies::body_items(&api, del);
        let fields = compact(&builder_struct(things, del, &body));
        assert!(
            fields.ends_with("pubstructDeleteThing{client:crate::Client,options:crate::runtime::CallOptions,id:String,flag:bool,mode:crate::models::Mode,page:Option<i64>,}"),
            "{fields}"
        );
        let setters: Vec<String> = param_setters(del).iter().map(compact).collect();
        assert_eq!(setters.len(), 2, "{setters:?}");
        assert!(
            setters[0].ends_with("pubfnmode(mutself,value:implInto<crate::models::Mode>)->Self{self.mode=value.into();self}"),
            "{setters:?}"
        );
        assert!(
            setters[1].ends_with("#[deprecated]pubfnpage(mutself,value:implInto<i64>)->Self{self.page=Some(value.into());self}"),
            "{setters:?}"
        );
        let steps: Vec<String> = param_steps(del).iter().map(compact).collect();
        assert_eq!(
            steps,
            [
                "request.query(\"mode\",&self.mode);",
                "request.query(\"page\",&self.page);"
            ]
        );
        let texts: Vec<String> = del.params.iter().map(|p| compact(&param_text(p))).collect();
        assert_eq!(texts[..2], ["&self.id", "&self.flag.to_string()"]);
        let shared = super::super::errors::SharedErrors::new(&api);
        let items = compact(&operation_items(&api, things, del, &shared));
        assert!(
            items.contains("#[allow(deprecated)]implDeleteThing{"),
            "{items}"
        );
        let find = compact(&operation_items(
            &api,
            things,
            op(&api, "findThing"),
            &shared,
        ));
        assert!(!find.contains("allow(deprecated)"), "{find}");
    }

    /// Each way a non-path parameter travels has its own step.
    #[test]
    fn query_json_styled_header_and_cookie_parameters_have_their_steps() {
        let (api, _) = crate::lower::tests::lowered(
            r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: f, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: g, in: query, required: true, content: {application/json: {schema: {type: object}}}}
        - {name: ids, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        '204': {description: none}
"#,
        );
        let steps: Vec<String> = param_steps(op(&api, "listThings"))
            .iter()
            .map(compact)
            .collect();
        assert_eq!(
            steps,
            [
                "request.query_json(\"f\",&self.f)?;",
                "request.query_json(\"g\",&Some(&self.g))?;",
                "request.query_styled(\"ids\",&self.ids,crate::runtime::codegen::params::QueryStyle::Form)?;",
                "request.header_param(\"X-Trace\",&self.x_trace)?;",
                "request.cookie_param(\"session\",&self.session)?;",
            ]
        );
    }
}
