//! Microsoft Entra ID users and their MFA registration, through Microsoft Graph.

use std::collections::HashMap;

use super::Ctx;
use crate::collect::{resource, Found, Props};

pub(crate) const USER: &str = "azure.entra.user";

pub(crate) async fn collect(ctx: &Ctx, tenant: &str) -> Found {
    let (users, registration) = tokio::join!(
        ctx.graph.list(
            "graph users (User.Read.All)",
            "/v1.0/users?$select=id,displayName,userPrincipalName,accountEnabled,userType&$top=999",
            None,
        ),
        ctx.graph.list(
            "graph userRegistrationDetails (AuditLog.Read.All)",
            "/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999",
            None,
        ),
    );
    let mut found = Found::default();
    let users = match users {
        Ok(u) => u,
        Err(why) => {
            found.gap(tenant, None, &[USER], why);
            ctx.progress.done(&format!("entra {tenant}"));
            return found;
        }
    };
    let mfa: Result<HashMap<String, bool>, String> = registration.map(|details| {
        details
            .iter()
            .filter_map(|d| Some((d["id"].as_str()?.to_string(), d["isMfaRegistered"] == true)))
            .collect()
    });
    for u in &users {
        let Some(id) = u["id"].as_str() else { continue };
        let mut p = Props::default();
        p.set("user_type", u["userType"].as_str().unwrap_or("Member"));
        p.set(
            "account_enabled",
            u["accountEnabled"].as_bool().unwrap_or(true),
        );
        match &mfa {
            Ok(map) => match map.get(id) {
                Some(v) => p.set("mfa_registered", *v),
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
