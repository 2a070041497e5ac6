//! What the mock remembers between requests, and how it turns a request into an answer.
//!
//! The starting point of every answer is the spec's own example for the operation's success
//! response. On top of that the mock keeps a small, bounded memory so that the main flows read
//! like they would against the real API:
//!
//! - resources created through the mock (product environments, access keys, users, user
//!   groups, roles, custom policies) are the create example wearing the fields the client
//!   sent, under the example's id when that id is still free and a fresh id of the same shape
//!   otherwise (a role without a requested id is named after its name, as the real API does);
//!   `get`/`update`/`delete` and the lists see them from then on;
//! - a deleted resource answers `404` afterwards and disappears from its list;
//! - `get` and `update` of a resource the mock does not hold answer the example with the
//!   requested id (so the spec's examples come back verbatim for the ids they carry);
//! - group membership and role assignments are remembered per group and per role;
//! - pages (`page` / `page_size`) are cut from the whole list, and a `cursor` request gets the
//!   last, empty page, so streams end.
//!
//! With the request header `Prefer: example=NAME` (Prism's convention) the mock answers the
//! named example of the operation verbatim and neither reads nor changes its memory.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::spec::{Operation, Pagination};

/// The most records (resources, tombstones, memberships, assignments) the mock keeps. A create
/// beyond that is refused with `507`, so a runaway client cannot grow the mock without end.
pub const MAX_RECORDS: usize = 1_000;

/// The most ids tried when minting a fresh one that is not taken yet.
const MAX_MINT_TRIES: usize = 64;

/// A request as the mock sees it.
#[derive(Debug, Default)]
pub(crate) struct Incoming {
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Option<Value>,
    /// The example named by a `Prefer: example=NAME` header.
    pub(crate) prefer_example: Option<String>,
}

/// The mock's answer: a status and an optional JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Option<Value>,
}

impl Reply {
    fn error(path: &str, status: u16, message: impl Into<String>) -> Self {
        let message = message.into();
        // The permissions endpoints (v2) answer errors with a category and a code as well.
        let error = if path.starts_with("/v2/") {
            let (category, code) = match status {
                404 => ("server_error", "ACCOUNTS_00003"),
                409 => ("user_error", "ACCOUNTS_00006"),
                500.. => ("server_error", "ACCOUNTS_00001"),
                _ => ("user_error", "ACCOUNTS_00005"),
            };
            json!({ "category": category, "code": code, "message": message })
        } else {
            json!({ "message": message })
        };
        Self {
            status,
            body: Some(json!({ "error": error })),
        }
    }
}

/// A kind of resource the mock can create, fetch, change and delete.
struct Kind {
    name: &'static str,
    list: &'static str,
    create: &'static str,
    get: Option<&'static str>,
    update: &'static str,
    delete: &'static str,
    /// JSON pointer to the items in the list response.
    items: &'static str,
    /// The key single resources are wrapped in (`{"data": {...}}`), if any.
    envelope: Option<&'static str>,
    id_field: &'static str,
    id_param: &'static str,
    /// The path parameter of the owning resource, for resources that live inside another one.
    parent_param: Option<&'static str>,
}

const PRODUCT_ENVIRONMENT: &str = "product environment";
const USER: &str = "user";
const USER_GROUP: &str = "user group";
const ROLE: &str = "role";

const KINDS: &[Kind] = &[
    Kind {
        name: PRODUCT_ENVIRONMENT,
        list: "getProductEnvironments",
        create: "createProductEnvironment",
        get: Some("getProductEnvironment"),
        update: "updateProductEnvironment",
        delete: "deleteProductEnvironment",
        items: "/sub_accounts",
        envelope: None,
        id_field: "id",
        id_param: "sub_account_id",
        parent_param: None,
    },
    Kind {
        name: "access key",
        list: "getAccessKeys",
        create: "generateAccessKey",
        get: None,
        update: "updateAccessKey",
        delete: "deleteAccessKey",
        items: "/access_keys",
        envelope: None,
        id_field: "api_key",
        id_param: "key",
        parent_param: Some("sub_account_id"),
    },
    Kind {
        name: USER,
        list: "getUsers",
        create: "createUser",
        get: Some("getUser"),
        update: "updateUser",
        delete: "deleteUser",
        items: "/users",
        envelope: None,
        id_field: "id",
        id_param: "user_id",
        parent_param: None,
    },
    Kind {
        name: USER_GROUP,
        list: "getUserGroups",
        create: "createUserGroup",
        get: Some("getUserGroup"),
        update: "updateUserGroup",
        delete: "deleteUserGroup",
        items: "/user_groups",
        envelope: None,
        id_field: "id",
        id_param: "group_id",
        parent_param: None,
    },
    Kind {
        name: ROLE,
        list: "getRoles",
        create: "createRole",
        get: Some("getRole"),
        update: "updateRole",
        delete: "deleteRole",
        items: "/data",
        envelope: Some("data"),
        id_field: "id",
        id_param: "role_id",
        parent_param: None,
    },
    Kind {
        name: "custom policy",
        list: "getCustomPolicies",
        create: "createCustomPolicy",
        get: Some("getCustomPolicy"),
        update: "updateCustomPolicy",
        delete: "deleteCustomPolicy",
        items: "/data",
        envelope: Some("data"),
        id_field: "id",
        id_param: "policy_id",
        parent_param: None,
    },
];

fn kind(name: &str) -> &'static Kind {
    KINDS
        .iter()
        .find(|k| k.name == name)
        .expect("every kind the mock refers to is in KINDS")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    List,
    Create,
    Get,
    Update,
    Delete,
}

/// A resource the mock holds: created, or changed by an update.
#[derive(Debug, Clone)]
struct Entry {
    kind: &'static str,
    parent: Option<String>,
    id: String,
    /// Without the envelope.
    value: Value,
    created: bool,
}

/// A role held by a principal.
#[derive(Debug, Clone, PartialEq)]
struct Assignment {
    role_id: String,
    principal_type: String,
    principal_id: String,
    scope_id: Option<String>,
    policy_parameters: Option<Value>,
}

/// The mock's memory; see the module documentation.
pub(crate) struct World {
    ops: Arc<[Operation]>,
    entries: Vec<Entry>,
    /// Tombstones: `(kind, parent, id)` of deleted resources.
    deleted: Vec<(&'static str, Option<String>, String)>,
    /// Group id -> members, for the groups whose membership changed.
    members: BTreeMap<String, Vec<Value>>,
    assignments: Vec<Assignment>,
    /// System policies by id, collected from every example that shows one in full.
    policies: BTreeMap<String, Value>,
    minted: u64,
}

impl World {
    pub(crate) fn new(ops: Arc<[Operation]>) -> Self {
        let mut policies = BTreeMap::new();
        for op in ops.iter() {
            for (_, example) in &op.examples {
                collect_policies(example, &mut policies, 0);
            }
        }
        Self {
            ops,
            entries: Vec::new(),
            deleted: Vec::new(),
            members: BTreeMap::new(),
            assignments: Vec::new(),
            policies,
            minted: 0,
        }
    }

    /// Answers one request to operation number `index`.
    pub(crate) fn answer(&mut self, index: usize, req: &Incoming) -> Reply {
        let ops = Arc::clone(&self.ops);
        let op = &ops[index];
        if let Some(name) = &req.prefer_example {
            return match op.example(name) {
                Some(value) => Reply {
                    status: op.status,
                    body: Some(value.clone()),
                },
                None => Reply::error(
                    &req.path,
                    400,
                    format!(
                        "{} has no example named `{name}`; it has: {}",
                        op.id,
                        op.examples
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            };
        }
        let params = op.path_params(&req.path).unwrap_or_default();
        let call = Call {
            op,
            req,
            params,
            example: choose_example(op, req).cloned(),
        };
        let mut reply = self.dispatch(&call);
        if reply.status == op.status && op.examples.is_empty() {
            // The spec documents no body for this success.
            reply.body = None;
        }
        reply
    }

    fn dispatch(&mut self, call: &Call<'_>) -> Reply {
        let id = call.op.id.as_str();
        for kind in KINDS {
            let action = if id == kind.list {
                Action::List
            } else if id == kind.create {
                Action::Create
            } else if Some(id) == kind.get {
                Action::Get
            } else if id == kind.update {
                Action::Update
            } else if id == kind.delete {
                Action::Delete
            } else {
                continue;
            };
            return match action {
                Action::List => self.list(kind, call),
                Action::Create => self.create(kind, call),
                Action::Get => self.get(kind, call),
                Action::Update => self.update(kind, call),
                Action::Delete => self.delete(kind, call),
            };
        }
        match id {
            "deleteAccessKeyByName" => self.delete_key_by_name(call),
            "getUsersInUserGroup" => self.list_members(call),
            "addUserToUserGroup" => self.add_member(call),
            "removeUserFromUserGroup" => self.remove_member(call),
            "getRolePrincipals" => self.role_principals(call),
            "updateRolePrincipals" => self.update_role_principals(call),
            "getPrincipalRoles" => self.principal_roles(call),
            "updatePrincipalRoles" => self.update_principal_roles(call),
            _ => {
                let mut body = call.example.clone();
                if let Some(body) = &mut body {
                    paginate(call, body);
                }
                call.ok(body)
            }
        }
    }

    // -- resources ----------------------------------------------------------------------------

    fn list(&mut self, kind: &'static Kind, call: &Call<'_>) -> Reply {
        let parent = kind.parent_param.map(|p| call.param(p).to_string());
        let mut body = call.example.clone().unwrap_or_else(|| json!({}));
        // Keys that live inside a product environment created here start out empty; the
        // example's keys belong to the example's environments.
        let fresh_parent = parent.as_deref().is_some_and(|p| {
            self.entry(PRODUCT_ENVIRONMENT, None, p)
                .is_some_and(|e| e.created)
        });
        let base: Vec<Value> = if fresh_parent {
            Vec::new()
        } else {
            items_at(&body, kind.items)
        };
        let shape: Option<Vec<String>> = base
            .first()
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect());
        let mut items = Vec::new();
        for item in &base {
            let id = item
                .get(kind.id_field)
                .and_then(Value::as_str)
                .unwrap_or("");
            if self.is_deleted(kind.name, parent.as_deref(), id) {
                continue;
            }
            match self.entry(kind.name, parent.as_deref(), id) {
                Some(entry) => items.push(project(&entry.value, shape.as_deref())),
                None => items.push(item.clone()),
            }
        }
        let listed: Vec<&str> = base
            .iter()
            .filter_map(|i| i.get(kind.id_field).and_then(Value::as_str))
            .collect();
        let wanted_permission = call.query("permission_type");
        for entry in &self.entries {
            if entry.kind != kind.name
                || entry.parent != parent
                || listed.contains(&entry.id.as_str())
            {
                continue;
            }
            if kind.name == ROLE
                && wanted_permission.is_some()
                && entry.value.get("permission_type").and_then(Value::as_str) != wanted_permission
            {
                continue;
            }
            items.push(project(&entry.value, shape.as_deref()));
        }
        let delta = items.len() as i64 - base.len() as i64;
        set_items(&mut body, kind.items, items);
        if let Some(total) = body.get_mut("total")
            && let Some(n) = total.as_i64()
        {
            *total = json!(n + delta);
        }
        paginate(call, &mut body);
        call.ok(Some(body))
    }

    fn create(&mut self, kind: &'static Kind, call: &Call<'_>) -> Reply {
        if self.records() >= MAX_RECORDS {
            return call.error(507, format!("the mock holds {MAX_RECORDS} records already"));
        }
        let parent = kind.parent_param.map(|p| call.param(p).to_string());
        if let Some(p) = &parent
            && self.is_deleted(PRODUCT_ENVIRONMENT, None, p)
        {
            return call.error(404, format!("product environment {p} was deleted"));
        }
        let mut value = unwrap(kind, call.example.clone());
        let body = call.body_object();
        overlay(&mut value, &body);
        if kind.name == ROLE
            && let Err(reply) = self.attach_policies(call, &mut value, &body)
        {
            return reply;
        }
        let example_id = value
            .get(kind.id_field)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let requested = (kind.name == ROLE)
            .then(|| body.get("id").and_then(Value::as_str))
            .flatten();
        let id = match requested {
            Some(id) if self.is_taken(kind, parent.as_deref(), id) => {
                return call.error(409, format!("a {} with id {id} exists already", kind.name));
            }
            Some(id) => id.to_string(),
            // The real API names a role after its name when the client gives no id.
            None if kind.name == ROLE && body.get("name").is_some_and(Value::is_string) => {
                let name = body.get("name").and_then(Value::as_str);
                match self.mint(kind, parent.as_deref(), &example_id, name) {
                    Some(id) => id,
                    None => return call.error(507, "the mock could not mint a fresh id"),
                }
            }
            None if !example_id.is_empty()
                && !self.is_taken(kind, parent.as_deref(), &example_id) =>
            {
                example_id
            }
            None => {
                let name = body.get("name").and_then(Value::as_str);
                match self.mint(kind, parent.as_deref(), &example_id, name) {
                    Some(id) => id,
                    None => return call.error(507, "the mock could not mint a fresh id"),
                }
            }
        };
        value[kind.id_field] = json!(id);
        self.entries.push(Entry {
            kind: kind.name,
            parent,
            id,
            value: value.clone(),
            created: true,
        });
        call.ok(Some(wrap(kind, value)))
    }

    fn get(&mut self, kind: &'static Kind, call: &Call<'_>) -> Reply {
        let id = call.param(kind.id_param).to_string();
        let parent = kind.parent_param.map(|p| call.param(p).to_string());
        if self.is_deleted(kind.name, parent.as_deref(), &id) {
            return call.error(404, format!("{} {id} was deleted", kind.name));
        }
        let mut value = match self.entry(kind.name, parent.as_deref(), &id) {
            Some(entry) => entry.value.clone(),
            None => {
                let mut value = unwrap(kind, call.example.clone());
                value[kind.id_field] = json!(id);
                value
            }
        };
        if kind.name == USER_GROUP && call.flag("extended_details") {
            value["users"] = Value::Array(self.members_of(&id));
        }
        call.ok(Some(wrap(kind, value)))
    }

    fn update(&mut self, kind: &'static Kind, call: &Call<'_>) -> Reply {
        let id = call.param(kind.id_param).to_string();
        let parent = kind.parent_param.map(|p| call.param(p).to_string());
        if self.is_deleted(kind.name, parent.as_deref(), &id) {
            return call.error(404, format!("{} {id} was deleted", kind.name));
        }
        let body = call.body_object();
        let held = self
            .entries
            .iter()
            .position(|e| e.kind == kind.name && e.parent == parent && e.id == id);
        let mut value = match held {
            Some(i) => self.entries[i].value.clone(),
            None => {
                let mut value = unwrap(kind, call.example.clone());
                value[kind.id_field] = json!(id);
                value
            }
        };
        overlay(&mut value, &body);
        if kind.name == ROLE
            && let Err(reply) = self.attach_policies(call, &mut value, &body)
        {
            return reply;
        }
        match held {
            Some(i) => self.entries[i].value = value.clone(),
            None if self.records() < MAX_RECORDS => self.entries.push(Entry {
                kind: kind.name,
                parent,
                id,
                value: value.clone(),
                created: false,
            }),
            // Full: answer the change without remembering it.
            None => {}
        }
        call.ok(Some(wrap(kind, value)))
    }

    fn delete(&mut self, kind: &'static Kind, call: &Call<'_>) -> Reply {
        let id = call.param(kind.id_param).to_string();
        let parent = kind.parent_param.map(|p| call.param(p).to_string());
        if self.is_deleted(kind.name, parent.as_deref(), &id) {
            return call.error(404, format!("{} {id} was deleted", kind.name));
        }
        if kind.name == ROLE {
            let assigned = self.assignments.iter().any(|a| a.role_id == id);
            if assigned && !call.flag("force") {
                return call.error(
                    409,
                    format!(
                        "role {id} is still assigned; remove its principals or pass force=true"
                    ),
                );
            }
            self.assignments.retain(|a| a.role_id != id);
        }
        self.forget(kind.name, parent, id);
        call.ok(call.example.clone())
    }

    fn delete_key_by_name(&mut self, call: &Call<'_>) -> Reply {
        let kind = kind("access key");
        let parent = call.param("sub_account_id").to_string();
        let name = call.query("name").unwrap_or("").to_string();
        let held = self.entries.iter().find(|e| {
            e.kind == kind.name
                && e.parent.as_deref() == Some(&parent)
                && e.value.get("name").and_then(Value::as_str) == Some(&name)
        });
        let key = match held {
            Some(entry) => Some(entry.id.clone()),
            None => self
                .op(kind.list)
                .and_then(|op| op.examples.first())
                .map(|(_, list)| items_at(list, kind.items))
                .unwrap_or_default()
                .into_iter()
                .find(|k| k.get("name").and_then(Value::as_str) == Some(&name))
                .and_then(|k| {
                    k.get(kind.id_field)
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .filter(|key| !self.is_deleted(kind.name, Some(&parent), key)),
        };
        match key {
            Some(key) => {
                self.forget(kind.name, Some(parent), key);
                call.ok(call.example.clone())
            }
            None => call.error(404, format!("no access key is named {name:?}")),
        }
    }

    // -- group membership ---------------------------------------------------------------------

    fn members_of(&self, group: &str) -> Vec<Value> {
        if let Some(members) = self.members.get(group) {
            return members.clone();
        }
        if self
            .entry(USER_GROUP, None, group)
            .is_some_and(|e| e.created)
        {
            return Vec::new();
        }
        self.op("getUsersInUserGroup")
            .and_then(|op| op.examples.first())
            .map(|(_, v)| items_at(v, "/users"))
            .unwrap_or_default()
    }

    fn list_members(&mut self, call: &Call<'_>) -> Reply {
        let group = call.param("group_id");
        if self.is_deleted(USER_GROUP, None, group) {
            return call.error(404, format!("user group {group} was deleted"));
        }
        let mut body = call.example.clone().unwrap_or_else(|| json!({}));
        set_items(&mut body, "/users", self.members_of(group));
        call.ok(Some(body))
    }

    fn add_member(&mut self, call: &Call<'_>) -> Reply {
        let group = call.param("group_id").to_string();
        let user = call.param("user_id").to_string();
        if self.is_deleted(USER_GROUP, None, &group) {
            return call.error(404, format!("user group {group} was deleted"));
        }
        if self.is_deleted(USER, None, &user) {
            return call.error(404, format!("user {user} was deleted"));
        }
        if !self.members.contains_key(&group) && self.records() >= MAX_RECORDS {
            return call.error(507, format!("the mock holds {MAX_RECORDS} records already"));
        }
        let mut member = call.example.clone().unwrap_or_else(|| json!({}));
        member["id"] = json!(user);
        if let Some(known) = self.user(&user) {
            for field in ["name", "email"] {
                if let Some(v) = known.get(field) {
                    member[field] = v.clone();
                }
            }
        }
        let mut members = self.members_of(&group);
        if !members.iter().any(|m| m.get("id") == Some(&json!(user))) {
            members.push(member.clone());
        }
        self.members.insert(group, members);
        call.ok(Some(member))
    }

    fn remove_member(&mut self, call: &Call<'_>) -> Reply {
        let group = call.param("group_id").to_string();
        let user = call.param("user_id");
        if self.is_deleted(USER_GROUP, None, &group) {
            return call.error(404, format!("user group {group} was deleted"));
        }
        let mut members = self.members_of(&group);
        members.retain(|m| m.get("id").and_then(Value::as_str) != Some(user));
        let mut body = call.example.clone().unwrap_or_else(|| json!({}));
        set_items(&mut body, "/users", members.clone());
        if self.members.contains_key(&group) || self.records() < MAX_RECORDS {
            self.members.insert(group, members);
        }
        call.ok(Some(body))
    }

    /// A user the mock knows: one it holds, or one of the users list example.
    fn user(&self, id: &str) -> Option<Value> {
        if let Some(entry) = self.entry(USER, None, id) {
            return Some(entry.value.clone());
        }
        self.op(kind(USER).list)
            .and_then(|op| op.examples.first())
            .map(|(_, v)| items_at(v, "/users"))
            .unwrap_or_default()
            .into_iter()
            .find(|u| u.get("id").and_then(Value::as_str) == Some(id))
    }

    // -- role assignments ---------------------------------------------------------------------

    fn role_principals(&mut self, call: &Call<'_>) -> Reply {
        let role = call.param("role_id");
        if self.is_deleted(ROLE, None, role) {
            return call.error(404, format!("role {role} was deleted"));
        }
        let tracked = self.assignments.iter().any(|a| a.role_id == role)
            || self.entry(ROLE, None, role).is_some_and(|e| e.created);
        if !tracked {
            return call.ok(call.example.clone());
        }
        let scope_type = self
            .role(role)
            .and_then(|r| r.get("scope_type").cloned())
            .unwrap_or_else(|| json!("prodenv"));
        let verbose = call.flag("verbose");
        let data: Vec<Value> = self
            .assignments
            .iter()
            .filter(|a| a.role_id == role)
            .map(|a| {
                let mut p = json!({ "id": a.principal_id, "type": a.principal_type });
                if verbose {
                    p["role_id"] = json!(a.role_id);
                    p["scope_type"] = scope_type.clone();
                    if let Some(scope) = &a.scope_id {
                        p["scope_id"] = json!(scope);
                    }
                    if let Some(params) = &a.policy_parameters {
                        p["policy_parameters"] = params.clone();
                    }
                }
                p
            })
            .collect();
        call.ok(Some(json!({ "data": data })))
    }

    fn update_role_principals(&mut self, call: &Call<'_>) -> Reply {
        let role = call.param("role_id").to_string();
        if self.is_deleted(ROLE, None, &role) {
            return call.error(404, format!("role {role} was deleted"));
        }
        let body = call.body_object();
        let add = match operation(call, &body) {
            Ok(add) => add,
            Err(reply) => return reply,
        };
        let principals = body
            .get("principals")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for p in principals {
            let assignment = Assignment {
                role_id: role.clone(),
                principal_type: str_field(&p, "principal_type"),
                principal_id: str_field(&p, "principal_id"),
                scope_id: p
                    .get("scope_id")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                policy_parameters: p.get("policy_parameters").cloned(),
            };
            if let Err(reply) = self.assign(call, add, assignment) {
                return reply;
            }
        }
        call.ok(call.example.clone())
    }

    fn principal_roles(&mut self, call: &Call<'_>) -> Reply {
        let principal_type = call.query("principal_type").unwrap_or("");
        let principal_id = call.query("principal_id").unwrap_or("");
        let held: Vec<&Assignment> = self
            .assignments
            .iter()
            .filter(|a| a.principal_type == principal_type && a.principal_id == principal_id)
            .collect();
        if held.is_empty() {
            return call.ok(call.example.clone());
        }
        let data: Vec<Value> = held
            .iter()
            .filter_map(|a| {
                let role = self.role(&a.role_id)?;
                let mut out = Map::new();
                for field in [
                    "id",
                    "name",
                    "description",
                    "management_type",
                    "permission_type",
                    "scope_type",
                    "created_at",
                    "updated_at",
                ] {
                    if let Some(v) = role.get(field) {
                        out.insert(field.to_string(), v.clone());
                    }
                }
                if let Some(scope) = &a.scope_id {
                    out.insert("scope_id".into(), json!(scope));
                }
                if let Some(params) = &a.policy_parameters {
                    out.insert("policy_parameters".into(), params.clone());
                }
                Some(Value::Object(out))
            })
            .collect();
        call.ok(Some(json!({ "data": data })))
    }

    fn update_principal_roles(&mut self, call: &Call<'_>) -> Reply {
        let body = call.body_object();
        let add = match operation(call, &body) {
            Ok(add) => add,
            Err(reply) => return reply,
        };
        let principal = body.get("principal").cloned().unwrap_or_else(|| json!({}));
        let roles = body
            .get("roles")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for r in roles {
            let assignment = Assignment {
                role_id: str_field(&r, "id"),
                principal_type: str_field(&principal, "type"),
                principal_id: str_field(&principal, "id"),
                scope_id: r
                    .get("scope_id")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                policy_parameters: r.get("policy_parameters").cloned(),
            };
            if self.is_deleted(ROLE, None, &assignment.role_id) {
                return call.error(404, format!("role {} was deleted", assignment.role_id));
            }
            if let Err(reply) = self.assign(call, add, assignment) {
                return reply;
            }
        }
        call.ok(call.example.clone())
    }

    fn assign(&mut self, call: &Call<'_>, add: bool, a: Assignment) -> Result<(), Reply> {
        let same = |b: &Assignment| {
            b.role_id == a.role_id
                && b.principal_type == a.principal_type
                && b.principal_id == a.principal_id
                && b.scope_id == a.scope_id
        };
        if !add {
            self.assignments.retain(|b| !same(b));
            return Ok(());
        }
        if self.assignments.iter().any(same) {
            return Ok(());
        }
        if self.records() >= MAX_RECORDS {
            return Err(call.error(507, format!("the mock holds {MAX_RECORDS} records already")));
        }
        self.assignments.push(a);
        Ok(())
    }

    /// A role the mock knows (without envelope): one it holds, or one of the list example.
    fn role(&self, id: &str) -> Option<Value> {
        if let Some(entry) = self.entry(ROLE, None, id) {
            return Some(entry.value.clone());
        }
        self.op(kind(ROLE).list)
            .and_then(|op| op.examples.first())
            .map(|(_, v)| items_at(v, "/data"))
            .unwrap_or_default()
            .into_iter()
            .find(|r| r.get("id").and_then(Value::as_str) == Some(id))
    }

    /// Replaces a role's `policies` with the system policies named in `system_policy_ids`.
    fn attach_policies(
        &self,
        call: &Call<'_>,
        role: &mut Value,
        body: &Map<String, Value>,
    ) -> Result<(), Reply> {
        let Some(ids) = body.get("system_policy_ids").and_then(Value::as_array) else {
            return Ok(());
        };
        let mut policies = Vec::new();
        for id in ids {
            let id = id.as_str().unwrap_or("");
            match self.policies.get(id) {
                Some(policy) => policies.push(policy.clone()),
                None => {
                    return Err(call.error(400, format!("unknown system policy {id}")));
                }
            }
        }
        role["policies"] = Value::Array(policies);
        Ok(())
    }

    // -- bookkeeping --------------------------------------------------------------------------

    fn op(&self, id: &str) -> Option<&Operation> {
        self.ops.iter().find(|op| op.id == id)
    }

    fn entry(&self, kind: &str, parent: Option<&str>, id: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.kind == kind && e.parent.as_deref() == parent && e.id == id)
    }

    fn is_deleted(&self, kind: &str, parent: Option<&str>, id: &str) -> bool {
        self.deleted
            .iter()
            .any(|(k, p, i)| *k == kind && p.as_deref() == parent && i == id)
    }

    /// Whether `id` already names a resource of this kind: held, deleted, or in the list example.
    fn is_taken(&self, kind: &Kind, parent: Option<&str>, id: &str) -> bool {
        self.entry(kind.name, parent, id).is_some()
            || self.is_deleted(kind.name, parent, id)
            || self
                .op(kind.list)
                .and_then(|op| op.examples.first())
                .is_some_and(|(_, list)| {
                    items_at(list, kind.items)
                        .iter()
                        .any(|item| item.get(kind.id_field).and_then(Value::as_str) == Some(id))
                })
    }

    fn forget(&mut self, kind: &'static str, parent: Option<String>, id: String) {
        self.entries
            .retain(|e| !(e.kind == kind && e.parent == parent && e.id == id));
        if kind == USER_GROUP {
            self.members.remove(&id);
        }
        // A tombstone may go over the bound: it replaces the entry it removes, or is the only
        // trace of one delete request.
        self.deleted.push((kind, parent, id));
    }

    fn records(&self) -> usize {
        self.entries.len() + self.deleted.len() + self.members.len() + self.assignments.len()
    }

    /// A fresh id shaped like `like` (digits stay digits, hex stays hex); roles get a slug of
    /// their name and a random suffix, as the real API does.
    fn mint(
        &mut self,
        kind: &Kind,
        parent: Option<&str>,
        like: &str,
        name: Option<&str>,
    ) -> Option<String> {
        for _ in 0..MAX_MINT_TRIES {
            self.minted += 1;
            let mut bits = splitmix64(self.minted);
            let mut next = |alphabet: &[u8]| {
                let c = alphabet[(bits % alphabet.len() as u64) as usize] as char;
                bits = splitmix64(bits);
                c
            };
            const DIGITS: &[u8] = b"0123456789";
            const HEX: &[u8] = b"0123456789abcdef";
            const ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
            let id: String = match (kind.name, name) {
                (ROLE, Some(name)) => {
                    let slug: String = name
                        .to_lowercase()
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                        .collect();
                    let suffix: String = (0..6).map(|_| next(ALNUM)).collect();
                    format!("{}_{suffix}", slug.trim_matches('_'))
                }
                _ => {
                    let all_hex = like.chars().all(|c| c.is_ascii_hexdigit());
                    let like = if like.is_empty() {
                        "0000000000000000"
                    } else {
                        like
                    };
                    like.chars()
                        .map(|c| match c {
                            '0'..='9' if like.chars().all(|c| c.is_ascii_digit()) => next(DIGITS),
                            c if c.is_ascii_alphanumeric() && all_hex => next(HEX),
                            c if c.is_ascii_alphanumeric() => next(ALNUM),
                            c => c,
                        })
                        .collect()
                }
            };
            if !self.is_taken(kind, parent, &id) {
                return Some(id);
            }
        }
        None
    }
}

/// One request with its operation, path parameters and chosen example.
struct Call<'a> {
    op: &'a Operation,
    req: &'a Incoming,
    params: Vec<(String, String)>,
    example: Option<Value>,
}

impl Call<'_> {
    fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.req
            .query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn flag(&self, name: &str) -> bool {
        self.query(name) == Some("true")
    }

    fn body_object(&self) -> Map<String, Value> {
        match &self.req.body {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        }
    }

    fn ok(&self, body: Option<Value>) -> Reply {
        Reply {
            status: self.op.status,
            body,
        }
    }

    fn error(&self, status: u16, message: impl Into<String>) -> Reply {
        Reply::error(&self.req.path, status, message)
    }
}

/// Picks the success example that fits the request; the first by name when no rule applies.
fn choose_example<'a>(op: &'a Operation, req: &Incoming) -> Option<&'a Value> {
    let flag = |name: &str| req.query.iter().any(|(n, v)| n == name && v == "true");
    let body_str = |field: &str| {
        req.body
            .as_ref()
            .and_then(|b| b.get(field))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let name = match op.id.as_str() {
        "getUserGroups" | "getUserGroup" if flag("extended_details") => Some("extended"),
        "getBillingUsage" if flag("include_prodenv_breakdown") => Some("monthly"),
        "getBillingUsage" => Some("annual"),
        "validateCedarPolicy" => Some(if looks_like_cedar(body_str("policy").as_deref()) {
            "valid"
        } else {
            "invalid"
        }),
        "createRole" if body_str("permission_type").as_deref() == Some("content") => {
            Some("contentRole")
        }
        "createRole" => Some("globalRole"),
        "getRolePrincipals" if flag("verbose") => Some("verbose"),
        "getRolePrincipals" => Some("compact"),
        _ => None,
    };
    name.and_then(|n| op.example(n))
        .or_else(|| op.examples.first().map(|(_, v)| v))
}

/// A crude stand-in for Cedar validation: one or more `permit(...)` / `forbid(...)` statements,
/// each ending in `;`. Enough to show both answers of the validate endpoint.
fn looks_like_cedar(policy: Option<&str>) -> bool {
    let Some(policy) = policy.map(str::trim) else {
        return false;
    };
    let statements: Vec<&str> = policy
        .split_inclusive(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    !statements.is_empty()
        && statements
            .iter()
            .all(|s| (s.starts_with("permit(") || s.starts_with("forbid(")) && s.ends_with(';'))
}

/// `operation: add | remove` of the assignment endpoints (`add` when absent).
fn operation(call: &Call<'_>, body: &Map<String, Value>) -> Result<bool, Reply> {
    match body.get("operation").and_then(Value::as_str) {
        None | Some("add") => Ok(true),
        Some("remove") => Ok(false),
        Some(other) => Err(call.error(400, format!("invalid operation {other:?}"))),
    }
}

/// Cuts the page the request asks for out of the list, or ends a cursor walk.
fn paginate(call: &Call<'_>, body: &mut Value) {
    match &call.op.pagination {
        Some(Pagination::Pages { results }) => {
            let Some(page) = call.query("page").and_then(|p| p.parse::<usize>().ok()) else {
                return;
            };
            let pointer = pointer_of(results);
            let items = items_at(body, &pointer);
            let size = call
                .query("page_size")
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|s| *s > 0)
                .unwrap_or(items.len().max(1));
            let start = page.saturating_sub(1).saturating_mul(size);
            let slice = items.into_iter().skip(start).take(size).collect();
            set_items(body, &pointer, slice);
        }
        Some(Pagination::Cursor { results, next }) => {
            if call.query("cursor").is_none() {
                return;
            }
            // The example is the first page; any cursor gets the last page, which is empty.
            set_items(body, &pointer_of(results), Vec::new());
            if let Some((last, parents)) = next.split_last()
                && let Some(Value::Object(map)) = body.pointer_mut(&pointer_of(parents))
            {
                map.remove(last);
            }
        }
        None => {}
    }
}

fn pointer_of(path: &[String]) -> String {
    path.iter().map(|p| format!("/{p}")).collect()
}

fn items_at(body: &Value, pointer: &str) -> Vec<Value> {
    body.pointer(pointer)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn set_items(body: &mut Value, pointer: &str, items: Vec<Value>) {
    if let Some(slot) = body.pointer_mut(pointer) {
        *slot = Value::Array(items);
    }
}

/// Copies the request's fields onto the example, for the fields the example has: the answer
/// keeps the response's shape and shows what the client sent.
fn overlay(value: &mut Value, body: &Map<String, Value>) {
    let Some(target) = value.as_object_mut() else {
        return;
    };
    for (key, v) in body {
        if target.contains_key(key) && !v.is_null() {
            target.insert(key.clone(), v.clone());
        }
    }
}

/// Only the fields list items carry (a created user is listed without its detail fields).
fn project(value: &Value, shape: Option<&[String]>) -> Value {
    match (value, shape) {
        (Value::Object(map), Some(shape)) => Value::Object(
            map.iter()
                .filter(|(k, _)| shape.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        _ => value.clone(),
    }
}

fn unwrap(kind: &Kind, example: Option<Value>) -> Value {
    let example = example.unwrap_or_else(|| json!({}));
    match kind.envelope {
        Some(key) => example.get(key).cloned().unwrap_or_else(|| json!({})),
        None => example,
    }
}

fn wrap(kind: &Kind, value: Value) -> Value {
    match kind.envelope {
        Some(key) => json!({ key: value }),
        None => value,
    }
}

fn str_field(value: &Value, field: &str) -> String {
    value
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// Gathers the full system policy definitions (`cld::policy::...` with a statement) that the
/// examples show, so a role created from policy ids can list them.
fn collect_policies(value: &Value, out: &mut BTreeMap<String, Value>, depth: usize) {
    if depth > 16 {
        return;
    }
    match value {
        Value::Object(map) => {
            let is_policy = map
                .get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| id.starts_with("cld::policy::"))
                && ["name", "policy_statement", "scope_type", "created_at"]
                    .iter()
                    .all(|k| map.contains_key(*k));
            if is_policy && let Some(id) = map.get("id").and_then(Value::as_str) {
                out.entry(id.to_string()).or_insert_with(|| value.clone());
            }
            for v in map.values() {
                collect_policies(v, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_policies(v, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}
