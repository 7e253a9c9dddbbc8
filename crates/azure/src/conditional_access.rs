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
        Ok((names, exclusions)) => {
            p.set("admin_mfa_policies", names);
            p.set("admin_mfa_exclusions", exclusions);
        }
        Err(why) => {
            p.unknown("admin_mfa_policies", why.clone());
            p.unknown("admin_mfa_exclusions", why);
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

/// The qualifying policies' names and their user exclusions; an error when none qualifies and
/// one could not be judged.
pub(crate) fn admin_mfa(policies: &[Value]) -> Result<(Vec<String>, Vec<String>), String> {
    let mut names = Vec::new();
    let mut exclusions = Vec::new();
    let mut unjudged = None;
    for p in policies {
        let name = p["displayName"]
            .as_str()
            .or(p["id"].as_str())
            .unwrap_or("?");
        match judge(p) {
            Ok(Some(excluded)) => {
                names.push(name.to_string());
                if let Some(what) = excluded.describe() {
                    exclusions.push(format!("{name}: {what}"));
                }
            }
            Ok(None) => {}
            Err(why) => {
                unjudged.get_or_insert(format!("{name}: {why}"));
            }
        }
    }
    match (names.is_empty(), unjudged) {
        (true, Some(why)) => Err(why),
        _ => Ok((names, exclusions)),
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

/// Whether one policy requires MFA of administrators on every sign-in: `Some` with whom it
/// excludes when it does, `None` when it does not.
fn judge(p: &Value) -> Result<Option<Excluded>, String> {
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
    let admins = has(&users["includeUsers"], "All") || has(&users["includeRoles"], GLOBAL_ADMIN);
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
    Ok(Some(Excluded {
        users: strings(&users["excludeUsers"]).len(),
        external: !users["excludeGuestsOrExternalUsers"].is_null(),
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
