//! Microsoft Entra ID users and their MFA registration, and the tenant's sign-in policy for its
//! administrators (`conditional_access`), through Microsoft Graph, tenant by tenant.

use std::collections::HashMap;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;
use serde_json::Value;

use super::client::Api;
use super::conditional_access::{self, TENANT};
use super::identity::Identity;
use super::{absent, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const USER: &str = "azure.entra.user";
const USERS: &str = "graph users (User.Read.All)";
const REGISTRATION: &str = "graph userRegistrationDetails (AuditLog.Read.All)";
const ORGANIZATION: &str = "graph organization (Organization.Read.All)";

/// Where Graph is and how to call it; the credential differs per tenant.
pub(crate) struct GraphSettings {
    pub base: String,
    pub retries: u32,
    pub call_timeout: std::time::Duration,
}

impl GraphSettings {
    pub(crate) fn api(&self, credential: Arc<dyn TokenCredential>) -> Result<Api, String> {
        Api::new(
            credential,
            &self.base,
            &format!("{}/.default", super::GRAPH),
            "@odata.nextLink",
            self.retries,
            self.call_timeout,
        )
    }
}

/// Graph for each tenant, or why that tenant's users cannot be read. A tenant is never read
/// with another tenant's token: Graph would answer with the token's tenant's users.
pub(crate) async fn graphs(
    identity: &Identity,
    settings: &GraphSettings,
    home: Arc<dyn TokenCredential>,
    tenants: &[String],
) -> Vec<(String, Result<Api, String>)> {
    if !matches!(identity, Identity::Managed) {
        return tenants
            .iter()
            .map(|t| {
                let api = identity
                    .for_tenant(t)
                    .unwrap_or_else(|| Ok(home.clone()))
                    .and_then(|c| settings.api(c));
                (t.clone(), api)
            })
            .collect();
    }
    // A managed identity: its own tenant only. With one tenant in the scan, that is the one
    // (Resource Manager answered for its subscriptions with this identity's token).
    if let [only] = tenants {
        return vec![(only.clone(), settings.api(home))];
    }
    let own = match settings.api(home.clone()) {
        Ok(api) => api
            .get(ORGANIZATION, "/v1.0/organization?$select=id", None)
            .await
            .and_then(|org| {
                org["value"][0]["id"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| absent(ORGANIZATION, "value[0].id"))
            }),
        Err(e) => Err(e),
    };
    tenants
        .iter()
        .map(|t| {
            let api = match &own {
                Ok(own) if own.eq_ignore_ascii_case(t) => settings.api(home.clone()),
                Ok(own) => Err(format!(
                    "a managed identity signs in to its own tenant ({own}) only; use a service principal consented in tenant {t} to read its users"
                )),
                Err(why) => Err(format!(
                    "cannot tell which tenant the managed identity belongs to ({why}), so no tenant's users are read with it"
                )),
            };
            (t.clone(), api)
        })
        .collect()
}

pub(crate) async fn collect(ctx: &Ctx, graph: &Result<Api, String>, tenant: &str) -> Found {
    let graph = match graph {
        Ok(g) => g,
        Err(why) => {
            let mut found = Found::default();
            found.gap(tenant, None, &[USER, TENANT], why.clone());
            ctx.progress.done(&format!("entra {tenant}"));
            return found;
        }
    };
    let (users, registration, signin) = tokio::join!(
        graph.list(
            USERS,
            "/v1.0/users?$select=id,displayName,userPrincipalName,accountEnabled,userType&$top=999",
            None,
        ),
        graph.list(
            REGISTRATION,
            "/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999",
            None,
        ),
        conditional_access::tenant(graph, tenant),
    );
    let mut found = Found::default();
    match signin {
        Ok(r) => found.resources.push(r),
        Err(why) => found.gap(tenant, None, &[TENANT], why),
    }
    let users = match users {
        Ok(u) => u,
        Err(why) => {
            found.gap(tenant, None, &[USER], why);
            ctx.progress.done(&format!("entra {tenant}"));
            return found;
        }
    };
    let mfa: Result<HashMap<String, Result<bool, String>>, String> = registration.map(|details| {
        details
            .iter()
            .filter_map(|d| {
                let registered = match &d["isMfaRegistered"] {
                    Value::Bool(b) => Ok(*b),
                    Value::Null => Err(absent(REGISTRATION, "isMfaRegistered")),
                    v => Err(unexpected(REGISTRATION, "isMfaRegistered", v)),
                };
                Some((d["id"].as_str()?.to_string(), registered))
            })
            .collect()
    });
    for u in &users {
        let Some(id) = u["id"].as_str() else { continue };
        let mut p = Props::default();
        let (user_type, enabled) = user_fields(u);
        put(&mut p, "user_type", user_type);
        put(&mut p, "account_enabled", enabled);
        match &mfa {
            Ok(map) => match map.get(id) {
                Some(v) => put(&mut p, "mfa_registered", v.clone()),
                None => p.unknown(
                    "mfa_registered",
                    "the user is not in the userRegistrationDetails report yet",
                ),
            },
            Err(why) => p.unknown("mfa_registered", why.clone()),
        }
        let name = u["userPrincipalName"]
            .as_str()
            .or(u["displayName"].as_str())
            .unwrap_or(id)
            .to_string();
        found.resources.push(p.into_resource(resource(
            USER,
            id.to_string(),
            tenant,
            "global",
            name,
            Default::default(),
        )));
    }
    ctx.progress.done(&format!("entra {tenant}"));
    found
}

/// `userType` (`Member` or `Guest`) and `accountEnabled`, both selected: Graph documents no
/// default for either, so a user that answers without one is unknown there.
fn user_fields(u: &Value) -> (Result<String, String>, Result<bool, String>) {
    let user_type = match &u["userType"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(USERS, "userType")),
        v => Err(unexpected(USERS, "userType", v)),
    };
    let enabled = match &u["accountEnabled"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Err(absent(USERS, "accountEnabled")),
        v => Err(unexpected(USERS, "accountEnabled", v)),
    };
    (user_type, enabled)
}

#[cfg(test)]
mod tests {
    use super::user_fields;
    use serde_json::json;

    #[test]
    fn user_type_and_state_are_not_guessed() {
        let (t, e) = user_fields(&json!({"userType": "Guest", "accountEnabled": false}));
        assert_eq!((t.unwrap(), e.unwrap()), ("Guest".to_string(), false));
        let (t, e) = user_fields(&json!({"userType": null}));
        assert!(t.unwrap_err().contains("userType"));
        assert!(e.unwrap_err().contains("accountEnabled"));
    }
}
