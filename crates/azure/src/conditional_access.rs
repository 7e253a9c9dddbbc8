//! How a tenant makes its administrators sign in: security defaults, or Conditional Access
//! policies that require MFA of them (Microsoft Graph, Policy.Read.All).

use serde_json::Value;

use super::client::Api;
use super::{absent, unexpected};
use hipaa_scan_core::collect::{resource, Props};
use hipaa_scan_core::model::Resource;

pub(crate) const TENANT: &str = "azure.entra.tenant";
const DEFAULTS: &str = "graph identitySecurityDefaultsEnforcementPolicy (Policy.Read.All)";
const POLICIES: &str = "graph conditionalAccess/policies (Policy.Read.All)";
/// The Global Administrator role template, the same in every tenant.
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
/// The administrator roles Microsoft's "Require multifactor authentication for admins" policy
/// template includes (role template IDs, the same in every tenant): each can take over the
/// tenant or its administrators (assign roles, reset their credentials, add credentials to
/// applications, turn the Conditional Access policy itself off), so MFA for Global
/// Administrators alone leaves a way around it.
pub(crate) const ADMIN_ROLES: [(&str, &str); 14] = [
    (GLOBAL_ADMIN, "Global Administrator"),
    (
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "Application Administrator",
    ),
    (
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "Authentication Administrator",
    ),
    (
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Billing Administrator",
    ),
    (
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "Cloud Application Administrator",
    ),
    (
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "Conditional Access Administrator",
    ),
    (
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "Exchange Administrator",
    ),
    (
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Helpdesk Administrator",
    ),
    (
        "966707d0-3269-4727-9be2-8c3a10f19b9d",
        "Password Administrator",
    ),
    (
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "Privileged Authentication Administrator",
    ),
    (
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "Privileged Role Administrator",
    ),
    (
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "Security Administrator",
    ),
    (
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        "SharePoint Administrator",
    ),
    ("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
];
/// The built-in authentication strengths: multifactor, passwordless and phishing-resistant MFA.
const MFA_STRENGTHS: [&str; 3] = [
    "00000000-0000-0000-0000-000000000002",
    "00000000-0000-0000-0000-000000000003",
    "00000000-0000-0000-0000-000000000004",
];
/// Methods that are multifactor on their own (`authenticationMethodModes`).
const MULTIFACTOR: [&str; 7] = [
    "fido2",
    "windowsHelloForBusiness",
    "x509CertificateMultiFactor",
    "deviceBasedPush",
    "temporaryAccessPassOneTime",
    "temporaryAccessPassMultiUse",
    "federatedMultiFactor",
];
/// Methods that are one factor on their own (SMS and voice sign-in, a password alone, ...).
const SINGLE_FACTOR: [&str; 9] = [
    "password",
    "sms",
    "voice",
    "email",
    "hardwareOath",
    "softwareOath",
    "microsoftAuthenticatorPush",
    "x509CertificateSingleFactor",
    "federatedSingleFactor",
];

/// The tenant's sign-in policy resource; when neither policy could be read, why (a gap).
pub(crate) async fn tenant(graph: &Api, tenant: &str) -> Result<Resource, String> {
    let (defaults, policies) = tokio::join!(
        graph.get(
            DEFAULTS,
            "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
            None
        ),
        graph.list(POLICIES, "/v1.0/identity/conditionalAccess/policies", None),
    );
    let defaults = defaults.and_then(|d| match &d["isEnabled"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Err(absent(DEFAULTS, "isEnabled")),
        v => Err(unexpected(DEFAULTS, "isEnabled", v)),
    });
    let policies = policies.and_then(|list| admin_mfa(&list));
    // Nothing known (both refused, or answered with nothing usable): a gap.
    if let (Err(d), Err(c)) = (&defaults, &policies) {
        return Err(format!("{d}; {c}"));
    }
    let mut p = Props::default();
    match defaults {
        Ok(on) => p.set("security_defaults_enabled", on),
        Err(why) => p.unknown("security_defaults_enabled", why),
    }
    match policies {
        Ok(m) => {
            p.set("admin_mfa_policies", m.names);
            p.set("admin_mfa_exclusions", m.exclusions);
            p.set("admin_mfa_uncovered_roles", m.uncovered);
        }
        Err(why) => {
            for name in [
                "admin_mfa_policies",
                "admin_mfa_exclusions",
                "admin_mfa_uncovered_roles",
            ] {
                p.unknown(name, why.clone());
            }
        }
    }
    Ok(p.into_resource(resource(
        TENANT,
        tenant.to_string(),
        tenant,
        "global",
        tenant.to_string(),
        Default::default(),
    )))
}

/// What the tenant's Conditional Access policies enforce for administrators.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct AdminMfa {
    /// The policies that require MFA of all users or of directory roles on every sign-in.
    pub names: Vec<String>,
    /// Whom those policies leave out, per policy.
    pub exclusions: Vec<String>,
    /// The administrator roles of [`ADMIN_ROLES`] that no such policy covers, by name.
    pub uncovered: Vec<String>,
}

/// The policies that require MFA of administrators and the administrator roles none covers;
/// an error when some role is left uncovered and a policy could not be judged (it might be
/// the one that covers it).
pub(crate) fn admin_mfa(policies: &[Value]) -> Result<AdminMfa, String> {
    let mut out = AdminMfa::default();
    let mut all_users = false;
    let mut roles: Vec<String> = Vec::new();
    let mut unjudged = None;
    for p in policies {
        let name = p["displayName"]
            .as_str()
            .or(p["id"].as_str())
            .unwrap_or("?");
        match judge(p) {
            Ok(Some(covered)) => {
                out.names.push(name.to_string());
                all_users |= covered.all_users;
                roles.extend(covered.roles);
                if let Some(what) = covered.excluded.describe() {
                    out.exclusions.push(format!("{name}: {what}"));
                }
            }
            Ok(None) => {}
            Err(why) => {
                unjudged.get_or_insert(format!("{name}: {why}"));
            }
        }
    }
    if !all_users {
        out.uncovered = ADMIN_ROLES
            .iter()
            .filter(|(id, _)| !roles.iter().any(|r| r.eq_ignore_ascii_case(id)))
            .map(|(_, role)| role.to_string())
            .collect();
    }
    match (out.uncovered.is_empty(), unjudged) {
        (false, Some(why)) => Err(why),
        _ => Ok(out),
    }
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether a condition says anything: a non-empty string or list, or an object with such a field.
fn set(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => o.values().any(set),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

fn has(v: &Value, want: &str) -> bool {
    strings(v).iter().any(|s| s.eq_ignore_ascii_case(want))
}

/// Whom one policy requires MFA of on every sign-in.
#[derive(Debug, PartialEq, Eq)]
struct Covered {
    /// `includeUsers` `All`.
    all_users: bool,
    /// `includeRoles`: role template IDs.
    roles: Vec<String>,
    excluded: Excluded,
}

/// Whether one policy requires MFA of all users or of directory roles on every sign-in:
/// `Some` with whom it covers and excludes when it does, `None` when it does not.
fn judge(p: &Value) -> Result<Option<Covered>, String> {
    match p["state"].as_str() {
        Some("enabled") => {}
        // `disabled`, and `enabledForReportingButNotEnforced` (report-only: nothing enforced).
        Some(_) => return Ok(None),
        None => return Err(absent(POLICIES, "state")),
    }
    let c = &p["conditions"];
    let users = &c["users"];
    if users.is_null() {
        return Err(absent(POLICIES, "conditions.users"));
    }
    let all_users = has(&users["includeUsers"], "All");
    let roles: Vec<String> = strings(&users["includeRoles"])
        .into_iter()
        .map(str::to_string)
        .collect();
    let admins = all_users || !roles.is_empty();
    // An excluded role or group can hold administrators; only named users (break-glass
    // accounts) are let through.
    let excluded_admins =
        !strings(&users["excludeRoles"]).is_empty() || !strings(&users["excludeGroups"]).is_empty();
    if !admins || excluded_admins {
        return Ok(None);
    }
    let apps = &c["applications"];
    if !has(&apps["includeApplications"], "All")
        || !strings(&apps["excludeApplications"]).is_empty()
        || !apps["applicationFilter"].is_null()
    {
        return Ok(None);
    }
    if narrows(c)? {
        return Ok(None);
    }
    if !requires_mfa(&p["grantControls"])? {
        return Ok(None);
    }
    Ok(Some(Covered {
        all_users,
        roles,
        excluded: Excluded {
            users: strings(&users["excludeUsers"]).len(),
            external: !users["excludeGuestsOrExternalUsers"].is_null(),
        },
    }))
}

/// Whom a qualifying policy leaves out: named users, and guests or external users.
#[derive(Debug, PartialEq, Eq)]
struct Excluded {
    users: usize,
    external: bool,
}

impl Excluded {
    fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.users > 0 {
            let s = if self.users == 1 { "" } else { "s" };
            parts.push(format!("{} user{s} excluded", self.users));
        }
        if self.external {
            parts.push("guests or external users excluded".to_string());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// A condition that leaves some sign-ins out: locations or platforms other than all, risk
/// levels, device filters, client apps other than all, authentication flows.
fn narrows(c: &Value) -> Result<bool, String> {
    let loc = &c["locations"];
    if !loc.is_null()
        && (!has(&loc["includeLocations"], "All") || !strings(&loc["excludeLocations"]).is_empty())
    {
        return Ok(true);
    }
    let plat = &c["platforms"];
    if !plat.is_null()
        && (!has(&plat["includePlatforms"], "all")
            || !strings(&plat["excludePlatforms"]).is_empty())
    {
        return Ok(true);
    }
    for risk in [
        "signInRiskLevels",
        "userRiskLevels",
        "servicePrincipalRiskLevels",
    ] {
        if !strings(&c[risk]).is_empty() {
            return Ok(true);
        }
    }
    // An object with nothing set in it (`{"deviceFilter": null}`) narrows nothing.
    for narrowing in [
        "devices",
        "clientApplications",
        "authenticationFlows",
        "insiderRiskLevels",
    ] {
        if set(&c[narrowing]) {
            return Ok(true);
        }
    }
    let apps = strings(&c["clientAppTypes"]);
    if apps.is_empty() {
        return Err(absent(POLICIES, "conditions.clientAppTypes"));
    }
    let every = [
        "browser",
        "mobileAppsAndDesktopClients",
        "exchangeActiveSync",
        "other",
    ];
    let all = apps.iter().any(|a| a.eq_ignore_ascii_case("all"))
        || every
            .iter()
            .all(|e| apps.iter().any(|a| a.eq_ignore_ascii_case(e)));
    Ok(!all)
}

/// Whether the grant cannot be met without MFA: with `AND`, `mfa` or a multifactor
/// authentication strength among the controls; with `OR`, every alternative multifactor.
fn requires_mfa(g: &Value) -> Result<bool, String> {
    if g.is_null() {
        return Ok(false);
    }
    let built_in = strings(&g["builtInControls"]);
    if built_in.iter().any(|b| b.eq_ignore_ascii_case("block")) {
        return Ok(false);
    }
    let mfa = built_in.iter().any(|b| b.eq_ignore_ascii_case("mfa"));
    let strength = match &g["authenticationStrength"] {
        Value::Null => None,
        s => Some(strength_is_mfa(s)),
    };
    // Controls other than `mfa` and the strength: compliant or hybrid-joined device, approved
    // app, app protection, password change, custom factors, terms of use.
    let other = built_in
        .iter()
        .filter(|b| !b.eq_ignore_ascii_case("mfa"))
        .count()
        + strings(&g["customAuthenticationFactors"]).len()
        + strings(&g["termsOfUse"]).len();
    let controls = mfa as usize + strength.is_some() as usize + other;
    let any_one = match g["operator"].as_str() {
        Some(o) if o.eq_ignore_ascii_case("OR") => controls > 1,
        Some(o) if o.eq_ignore_ascii_case("AND") => false,
        None if controls <= 1 => false,
        None => return Err(absent(POLICIES, "grantControls.operator")),
        Some(_) => {
            return Err(unexpected(
                POLICIES,
                "grantControls.operator",
                &g["operator"],
            ))
        }
    };
    if any_one && other > 0 {
        // Any one control satisfies it: a weaker one lets the sign-in through without MFA.
        return Ok(false);
    }
    match strength {
        // With `AND`, `mfa` is required whatever the strength; with `OR`, so is the strength.
        Some(s) if any_one => s,
        _ if mfa => Ok(true),
        None => Ok(false),
        Some(s) => s,
    }
}

/// An authentication strength is MFA when it is a built-in MFA strength, or every combination
/// it allows is two methods or one multifactor method.
fn strength_is_mfa(s: &Value) -> Result<bool, String> {
    if s["id"]
        .as_str()
        .is_some_and(|id| MFA_STRENGTHS.contains(&id))
    {
        return Ok(true);
    }
    let Some(combinations) = s["allowedCombinations"].as_array() else {
        return Err(absent(
            POLICIES,
            "authenticationStrength.allowedCombinations",
        ));
    };
    for c in combinations {
        let Some(c) = c.as_str() else {
            return Err(unexpected(POLICIES, "allowedCombinations", c));
        };
        if c.contains(',') || MULTIFACTOR.contains(&c) {
            continue;
        }
        if SINGLE_FACTOR.contains(&c) {
            return Ok(false);
        }
        return Err(format!(
            "{POLICIES}: authentication strength combination `{c}` is not known to the scanner"
        ));
    }
    Ok(!combinations.is_empty())
}

#[cfg(test)]
mod tests;
