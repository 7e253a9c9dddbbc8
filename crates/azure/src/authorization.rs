//! Azure RBAC of a subscription: who holds Owner at the subscription's scope or above (groups
//! expanded through Microsoft Graph, guests found by their `userType`), and the custom roles
//! that grant every action there.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::client::Api;
use super::{absent, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const SUBSCRIPTION: &str = "azure.authorization.subscription";
const API: &str = "2022-04-01";
const ASSIGNMENTS: &str = "Microsoft.Authorization/roleAssignments/read";
const DEFINITIONS: &str = "Microsoft.Authorization/roleDefinitions/read";
const USERS: &str = "graph users (User.Read.All)";
const MEMBERS: &str = "graph groups transitiveMembers (GroupMember.Read.All)";
/// The built-in Owner role, the same GUID in every tenant.
pub(crate) const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let base = format!("/subscriptions/{sub}");
    // `atScope()`: the assignments at the subscription or above it (management groups, `/`),
    // none of those made below it. Role definitions: those applicable at the subscription.
    let assignments_path =
        format!("{base}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()");
    let definitions_path = format!(
        "{base}/providers/Microsoft.Authorization/roleDefinitions?$filter=type eq 'CustomRole'"
    );
    let (assignments, definitions) = tokio::join!(
        ctx.arm.list(ASSIGNMENTS, &assignments_path, Some(API)),
        ctx.arm.list(DEFINITIONS, &definitions_path, Some(API)),
    );
    let owners = assignments.and_then(|a| owner_assignments(&a, sub));
    let roles = definitions.and_then(|d| custom_roles(&d, sub));
    let mut found = Found::default();
    // Nothing read (both lists refused, or answered with nothing the scanner can use): no
    // property is known, a gap as for any listing that failed.
    if let (Err(a), Err(d)) = (&owners, &roles) {
        found.gap(sub, None, &[SUBSCRIPTION], format!("{a}; {d}"));
        ctx.progress.done(&format!("authorization {sub}"));
        return found;
    }
    let mut p = Props::default();
    match owners {
        Ok(owners) => {
            let graph = ctx.graphs.get(sub).map(|g| g.as_ref());
            let tally = resolve(graph, &owners).await;
            tally.write(&mut p);
        }
        Err(why) => {
            for name in [
                "owner_accounts",
                "owner_users",
                "owner_assignments",
                "guest_owners",
            ] {
                p.unknown(name, why.clone());
            }
        }
    }
    match roles {
        Ok(roles) => {
            p.set("custom_admin_roles", roles.admin);
            p.set("custom_role_assigners", roles.assigners);
        }
        Err(why) => {
            p.unknown("custom_admin_roles", why.clone());
            p.unknown("custom_role_assigners", why);
        }
    }
    ctx.progress.done(&format!("authorization {sub}"));
    found.resources.push(p.into_resource(resource(
        SUBSCRIPTION,
        format!("{base}/providers/Microsoft.Authorization"),
        sub,
        "global",
        sub.to_string(),
        Default::default(),
    )));
    found
}

/// One Owner assignment that applies to the whole subscription.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Owner {
    /// `User`, `Group`, `ServicePrincipal`, or another type the scanner does not count.
    pub principal_type: String,
    pub principal_id: String,
    pub scope: String,
}

/// Whether `scope` is the subscription itself or above it: a management group or the root.
fn covers_subscription(scope: &str, sub: &str) -> bool {
    let scope = scope.trim_end_matches('/').to_ascii_lowercase();
    scope.is_empty()
        || scope.starts_with("/providers/microsoft.management/managementgroups/")
        || scope == format!("/subscriptions/{}", sub.to_ascii_lowercase())
}

/// The GUID that ends a `roleDefinitionId`, lower case.
fn role_guid(id: &str) -> String {
    id.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The Owner assignments at the subscription or above, compared by the role's GUID (the
/// `roleDefinitionId` path names the scope it was read at, which differs between assignments).
/// An assignment below the subscription (a resource group, a resource) is not a subscription
/// owner.
pub(crate) fn owner_assignments(assignments: &[Value], sub: &str) -> Result<Vec<Owner>, String> {
    let mut out = Vec::new();
    for a in assignments {
        let p = &a["properties"];
        let Some(role) = p["roleDefinitionId"].as_str() else {
            return Err(absent(ASSIGNMENTS, "roleDefinitionId"));
        };
        if role_guid(role) != OWNER {
            continue;
        }
        let scope = match &p["scope"] {
            Value::String(s) => s.clone(),
            Value::Null => return Err(absent(ASSIGNMENTS, "scope")),
            v => return Err(unexpected(ASSIGNMENTS, "scope", v)),
        };
        if !covers_subscription(&scope, sub) {
            continue;
        }
        let principal_id = match &p["principalId"] {
            Value::String(s) if !s.is_empty() => s.to_ascii_lowercase(),
            Value::Null => return Err(absent(ASSIGNMENTS, "principalId")),
            v => return Err(unexpected(ASSIGNMENTS, "principalId", v)),
        };
        let principal_type = match &p["principalType"] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            v => return Err(unexpected(ASSIGNMENTS, "principalType", v)),
        };
        out.push(Owner {
            principal_type,
            principal_id,
            scope,
        });
    }
    Ok(out)
}

/// The owner accounts found, and what could not be told.
#[derive(Default)]
struct Tally {
    accounts: BTreeSet<String>,
    users: BTreeSet<String>,
    guests: BTreeSet<String>,
    assignments: Vec<String>,
    /// Why the account count is not known.
    uncounted: Option<String>,
    /// Why an owner user's type is not known.
    untyped: Option<String>,
}

impl Tally {
    fn user(&mut self, id: &str, user_type: Result<String, String>) {
        self.accounts.insert(id.to_string());
        self.users.insert(id.to_string());
        match user_type {
            Ok(t) if t.eq_ignore_ascii_case("Guest") => {
                self.guests.insert(id.to_string());
            }
            Ok(_) => {}
            Err(why) => {
                self.untyped.get_or_insert(why);
            }
        }
    }

    fn write(mut self, p: &mut Props) {
        match self.uncounted {
            Some(why) => {
                p.unknown("owner_accounts", why.clone());
                p.unknown("owner_users", why.clone());
                // A group not read may hold a guest: unknown unless one is found anyway.
                self.untyped.get_or_insert(why);
            }
            None => {
                p.set("owner_accounts", self.accounts.len() as i64);
                p.set("owner_users", self.users.len() as i64);
            }
        }
        p.set("owner_assignments", self.assignments);
        match (self.guests.is_empty(), self.untyped) {
            (true, Some(why)) => p.unknown("guest_owners", why),
            _ => p.set("guest_owners", self.guests.into_iter().collect::<Vec<_>>()),
        }
    }
}

/// A user's `userType`, which Graph returns only when selected and documents no default for.
fn user_type(u: &Value, op: &str) -> Result<String, String> {
    match &u["userType"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(op, "userType")),
        v => Err(unexpected(op, "userType", v)),
    }
}

/// Counts the owner accounts: users and service principals, a group's transitive members
/// included (a role assigned to a group is held by each member; nested groups are flattened by
/// `transitiveMembers`, and are not accounts themselves).
async fn resolve(graph: Option<&Result<Api, String>>, owners: &[Owner]) -> Tally {
    let mut t = Tally::default();
    let graph = match graph {
        Some(Ok(g)) => Ok(g),
        Some(Err(why)) => Err(why.clone()),
        None => Err("the subscription's tenant is unknown, so Graph cannot be asked".to_string()),
    };
    // The same principal may hold Owner at several scopes: each is looked up once.
    let mut looked_up: BTreeMap<String, Result<String, String>> = BTreeMap::new();
    for o in owners {
        let id = &o.principal_id;
        match o.principal_type.as_str() {
            "ServicePrincipal" => {
                t.accounts.insert(id.clone());
                t.assignments
                    .push(format!("ServicePrincipal {id} at {}", o.scope));
            }
            "User" => {
                let kind = match looked_up.get(id) {
                    Some(k) => k.clone(),
                    None => {
                        let k = match &graph {
                            Ok(g) => g
                                .get(
                                    USERS,
                                    &format!("/v1.0/users/{id}?$select=id,userType"),
                                    None,
                                )
                                .await
                                .and_then(|u| user_type(&u, USERS)),
                            Err(why) => Err(why.clone()),
                        };
                        looked_up.insert(id.clone(), k.clone());
                        k
                    }
                };
                if kind.as_ref().is_err_and(|e| not_found(e)) {
                    t.assignments
                        .push(format!("User {id} at {} (not in the directory)", o.scope));
                    continue;
                }
                t.user(id, kind);
                t.assignments.push(format!("User {id} at {}", o.scope));
            }
            "Group" => {
                let members = match &graph {
                    Ok(g) => {
                        g.list(
                            MEMBERS,
                            &format!(
                                "/v1.0/groups/{id}/transitiveMembers?$select=id,userType&$top=999"
                            ),
                            None,
                        )
                        .await
                    }
                    Err(why) => Err(why.clone()),
                };
                match members {
                    Ok(members) => {
                        let mut brought = 0;
                        for m in &members {
                            brought += member(&mut t, m) as usize;
                        }
                        t.assignments
                            .push(format!("Group {id} at {} ({brought} accounts)", o.scope));
                    }
                    Err(why) if not_found(&why) => {
                        t.assignments
                            .push(format!("Group {id} at {} (not in the directory)", o.scope));
                    }
                    Err(why) => {
                        t.uncounted
                            .get_or_insert(format!("owner group {id}: {why}"));
                        t.assignments
                            .push(format!("Group {id} at {} (members not read)", o.scope));
                    }
                }
            }
            other => {
                let what = if other.is_empty() {
                    "no principalType".to_string()
                } else {
                    format!("principal type {other}")
                };
                t.uncounted.get_or_insert(format!(
                    "{ASSIGNMENTS}: an Owner assignment to {id} has {what}, which the scanner cannot count"
                ));
                t.assignments.push(format!("{other} {id} at {}", o.scope));
            }
        }
    }
    t
}

/// Graph's answer for an object that does not exist: the principal of an assignment left behind
/// when it was deleted ("Identity not found" in the portal). It holds nothing anyone can sign in
/// with, so it is not an owner account; any other failure leaves the count unknown.
fn not_found(why: &str) -> bool {
    why.contains(": Request_ResourceNotFound")
}

/// One transitive member of an owner group; true when it is an account (user or service
/// principal).
fn member(t: &mut Tally, m: &Value) -> bool {
    let Some(id) = m["id"].as_str().map(str::to_ascii_lowercase) else {
        t.uncounted.get_or_insert(absent(MEMBERS, "id"));
        return false;
    };
    match m["@odata.type"].as_str() {
        Some("#microsoft.graph.user") => {
            t.user(&id, user_type(m, MEMBERS));
            true
        }
        Some("#microsoft.graph.servicePrincipal") => {
            t.accounts.insert(id);
            true
        }
        // Nested groups (their members are listed too), devices, contacts: not accounts.
        Some(_) => false,
        None => {
            t.uncounted.get_or_insert(absent(MEMBERS, "@odata.type"));
            false
        }
    }
}

/// The custom roles assignable at the subscription, a management group or `/` that administer it.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct CustomRoles {
    /// `*` among the `actions` of a permission block. `notActions` only subtract from what `*`
    /// grants (they deny nothing), so a `*` role less some actions is still listed, as CIS Azure
    /// and Prowler list it. `*/read` and `*` among `dataActions` are not `*`.
    pub admin: Vec<String>,
    /// Roles that grant `Microsoft.Authorization/roleAssignments/write` or
    /// `Microsoft.Authorization/roleDefinitions/write` (by name or wildcard, and not taken back
    /// by a `notActions` pattern of the same block): whoever holds one can assign themselves
    /// Owner, or widen their own role to `*`.
    pub assigners: Vec<String>,
}

/// The control-plane actions that hand out any other: writing role assignments or definitions.
const ESCALATING: [&str; 2] = [
    "microsoft.authorization/roleassignments/write",
    "microsoft.authorization/roledefinitions/write",
];

/// Whether a permission block grants `action`: an `actions` pattern matches it (actions are
/// case-insensitive, `*` a wildcard) and no `notActions` pattern of the block takes it back.
fn grants(permission: &Value, action: &str) -> bool {
    let matches = |key: &str| {
        permission[key].as_array().is_some_and(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .any(|p| hipaa_scan_core::iam_doc::glob(&p.to_ascii_lowercase(), action))
        })
    };
    matches("actions") && !matches("notActions")
}

pub(crate) fn custom_roles(defs: &[Value], sub: &str) -> Result<CustomRoles, String> {
    let mut out = CustomRoles::default();
    for d in defs {
        let p = &d["properties"];
        let name = d["name"].as_str().unwrap_or("?");
        match p["type"].as_str() {
            Some(t) if t.eq_ignore_ascii_case("CustomRole") => {}
            Some(_) => continue,
            None => return Err(absent(DEFINITIONS, &format!("{name}: type"))),
        }
        let Some(permissions) = p["permissions"].as_array() else {
            return Err(absent(DEFINITIONS, &format!("{name}: permissions")));
        };
        let star = permissions.iter().any(|perm| {
            perm["actions"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("*")))
        });
        let assigns = permissions
            .iter()
            .any(|perm| ESCALATING.iter().any(|a| grants(perm, a)));
        if !star && !assigns {
            continue;
        }
        let Some(scopes) = p["assignableScopes"].as_array() else {
            return Err(absent(DEFINITIONS, &format!("{name}: assignableScopes")));
        };
        if scopes
            .iter()
            .filter_map(Value::as_str)
            .any(|s| covers_subscription(s, sub))
        {
            let role = format!("{} ({name})", p["roleName"].as_str().unwrap_or(name));
            if star {
                out.admin.push(role.clone());
            }
            if assigns {
                out.assigners.push(role);
            }
        }
    }
    for list in [&mut out.admin, &mut out.assigners] {
        list.sort();
        list.dedup();
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
