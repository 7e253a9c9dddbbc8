//! The subscription's own settings: activity log export and alerts, Defender for Cloud plans,
//! security contacts and auto-provisioning.

use serde_json::Value;

use super::{absent, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const SUBSCRIPTIONS_API: &str = "2022-12-01";
const DIAGNOSTICS_API: &str = "2021-05-01-preview";
pub(crate) const PRICINGS_API: &str = "2024-01-01";
pub(crate) const SUBSCRIPTION: &str = "azure.subscription";
const DIAG: &str = "Microsoft.Insights/diagnosticSettings/read";
const PRICINGS: &str = "Microsoft.Security/pricings/read";
const ALERTS_API: &str = "2020-10-01";
const ALERTS: &str = "Microsoft.Insights/activityLogAlerts/read";
const CONTACTS_API: &str = "2020-01-01-preview";
const CONTACTS: &str = "Microsoft.Security/securityContacts/read";
const PROVISIONING_API: &str = "2017-08-01-preview";
const PROVISIONING: &str = "Microsoft.Security/autoProvisioningSettings/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let base = format!("/subscriptions/{sub}");
    let diag_path = format!("{base}/providers/Microsoft.Insights/diagnosticSettings");
    let pricings_path = format!("{base}/providers/Microsoft.Security/pricings");
    let alerts_path = format!("{base}/providers/Microsoft.Insights/activityLogAlerts");
    let contacts_path = format!("{base}/providers/Microsoft.Security/securityContacts");
    let provisioning_path = format!("{base}/providers/Microsoft.Security/autoProvisioningSettings");
    let (diag, pricings, alerts, contacts, provisioning) = tokio::join!(
        ctx.arm.list(DIAG, &diag_path, Some(DIAGNOSTICS_API)),
        ctx.arm.list(PRICINGS, &pricings_path, Some(PRICINGS_API)),
        ctx.arm.list(ALERTS, &alerts_path, Some(ALERTS_API)),
        ctx.arm.list(CONTACTS, &contacts_path, Some(CONTACTS_API)),
        ctx.arm
            .list(PROVISIONING, &provisioning_path, Some(PROVISIONING_API)),
    );
    let mut p = Props::default();
    match diag.and_then(|settings| activity_log_export(&settings)) {
        Ok(export) => {
            p.set("activity_log_destinations", export.destinations);
            p.set("activity_log_categories", export.categories);
        }
        Err(why) => {
            p.unknown("activity_log_destinations", why.clone());
            p.unknown("activity_log_categories", why);
        }
    }
    put(
        &mut p,
        "defender_standard_plans",
        pricings.and_then(|plans| standard_plans(&plans)),
    );
    put(
        &mut p,
        "activity_alert_operations",
        alerts.map(|a| alert_operations(&a, sub)),
    );
    match contacts.and_then(|c| security_contacts(&c)) {
        Ok((emails, notify)) => {
            p.set("security_contact_emails", emails);
            p.set("security_alert_notifications", notify);
        }
        Err(why) => {
            p.unknown("security_contact_emails", why.clone());
            p.unknown("security_alert_notifications", why);
        }
    }
    put(
        &mut p,
        "auto_provisioning",
        provisioning.and_then(|s| auto_provisioning(&s)),
    );
    ctx.progress.done(&format!("subscription {sub}"));
    let mut found = Found::default();
    found.resources.push(p.into_resource(resource(
        SUBSCRIPTION,
        base,
        sub,
        "global",
        sub.to_string(),
        Default::default(),
    )));
    found
}

/// What the subscription's diagnostic settings export of the activity log.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Export {
    /// Where: `workspace`, `storage`, `eventhub`, `partner`.
    pub destinations: Vec<String>,
    /// Which categories (or category groups, e.g. `allLogs`) are enabled in a setting that has
    /// a destination.
    pub categories: Vec<String>,
}

/// The activity log export. Each setting's `logs` entries name a `category` or a
/// `categoryGroup` and are `enabled` (a required boolean: an entry without it makes the export
/// unknown). A setting counts when it has a destination and at least one enabled entry.
pub(crate) fn activity_log_export(settings: &[Value]) -> Result<Export, String> {
    let mut destinations = Vec::new();
    let mut categories = Vec::new();
    for s in settings {
        let props = &s["properties"];
        let name = s["name"].as_str().unwrap_or("?");
        let mut enabled = Vec::new();
        for log in props["logs"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let on = match &log["enabled"] {
                Value::Bool(b) => *b,
                Value::Null => return Err(absent(DIAG, &format!("{name}: logs[].enabled"))),
                v => return Err(unexpected(DIAG, &format!("{name}: logs[].enabled"), v)),
            };
            let what = log["category"]
                .as_str()
                .or_else(|| log["categoryGroup"].as_str())
                .filter(|c| !c.is_empty());
            if let (true, Some(what)) = (on, what) {
                enabled.push(what.to_string());
            }
        }
        let to: Vec<&str> = [
            ("workspaceId", "workspace"),
            ("storageAccountId", "storage"),
            ("eventHubAuthorizationRuleId", "eventhub"),
            ("marketplacePartnerId", "partner"),
        ]
        .into_iter()
        .filter(|(field, _)| props[*field].as_str().is_some_and(|v| !v.is_empty()))
        .map(|(_, dest)| dest)
        .collect();
        if enabled.is_empty() || to.is_empty() {
            continue;
        }
        destinations.extend(to.into_iter().map(str::to_string));
        categories.extend(enabled);
    }
    for list in [&mut destinations, &mut categories] {
        list.sort();
        list.dedup();
    }
    Ok(Export {
        destinations,
        categories,
    })
}

/// Defender for Cloud plans on the Standard tier, by their pricing names (`VirtualMachines`,
/// `SqlServers`, ...). A plan whose subscription tier is Standard but whose
/// `resourcesCoverageStatus` says some or all resources are excluded at resource level
/// (`PartiallyCovered`, `NotCovered`) does not count. A plan without a `pricingTier` makes the
/// list unknown.
pub(crate) fn standard_plans(plans: &[Value]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for plan in plans {
        let Some(name) = plan["name"].as_str() else {
            continue;
        };
        let props = &plan["properties"];
        let standard = match props["pricingTier"].as_str() {
            Some(t) if t.eq_ignore_ascii_case("Standard") => true,
            Some(t) if t.eq_ignore_ascii_case("Free") => false,
            None => return Err(absent(PRICINGS, &format!("{name}: pricingTier"))),
            Some(_) => {
                return Err(unexpected(
                    PRICINGS,
                    &format!("{name}: pricingTier"),
                    &props["pricingTier"],
                ))
            }
        };
        let excluded = matches!(
            props["resourcesCoverageStatus"].as_str(),
            Some("PartiallyCovered" | "NotCovered")
        );
        if standard && !excluded {
            out.push(name.to_string());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The administrative operations that activity log alerts fire on (see the kind's
/// `activity_alert_operations`). The condition is `allOf` a list of leaves (`field` with
/// `equals` or `containsAny`) or `anyOf` lists of leaves. An alert counts only when nothing in
/// it narrows which of its operations' events fire it.
fn alert_operations(alerts: &[Value], sub: &str) -> Vec<String> {
    let subscription = format!("/subscriptions/{sub}").to_ascii_lowercase();
    let mut out = Vec::new();
    for a in alerts {
        let p = &a["properties"];
        // "Indicates whether this Activity Log Alert rule is enabled": default true.
        if p["enabled"] == Value::Bool(false) {
            continue;
        }
        let scoped = p["scopes"].as_array().is_some_and(|scopes| {
            scopes.iter().any(|s| {
                s.as_str()
                    .is_some_and(|s| s.trim_end_matches('/').to_ascii_lowercase() == subscription)
            })
        });
        let acts = p["actions"]["actionGroups"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g["actionGroupId"].as_str().is_some()));
        if !scoped || !acts {
            continue;
        }
        if let Some(ops) = alert_condition(&p["condition"]) {
            out.extend(ops);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The values a leaf matches (`equals`, or each of `containsAny`), lower case.
fn leaf_values(leaf: &Value) -> Option<Vec<String>> {
    if let Some(v) = leaf["equals"].as_str() {
        return Some(vec![v.to_ascii_lowercase()]);
    }
    let any = leaf["containsAny"].as_array()?;
    Some(
        any.iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect(),
    )
}

/// The operations one alert condition fires on for every event of theirs; `None` when it fires
/// on no Administrative event or narrows them.
fn alert_condition(condition: &Value) -> Option<Vec<String>> {
    let all = condition["allOf"].as_array()?;
    let mut category_admin = false;
    // Each `allOf` entry that names operations restricts to its set; they intersect.
    let mut op_sets: Vec<Vec<String>> = Vec::new();
    let mut type_filters: Vec<Vec<String>> = Vec::new();
    for entry in all {
        if let Some(any) = entry["anyOf"].as_array() {
            // Any leaf matching fires it: the operations named in the `anyOf` fire it whatever
            // the other leaves say; an `anyOf` naming no operation narrows by another field.
            let mut ops = Vec::new();
            for leaf in any {
                if leaf["field"]
                    .as_str()
                    .is_some_and(|f| f.eq_ignore_ascii_case("operationName"))
                {
                    ops.extend(leaf_values(leaf)?);
                }
            }
            if ops.is_empty() {
                return None;
            }
            op_sets.push(ops);
            continue;
        }
        let field = entry["field"].as_str()?.to_ascii_lowercase();
        let values = leaf_values(entry)?;
        match field.as_str() {
            "category" if values.iter().any(|v| v == "administrative") => category_admin = true,
            // Another category's events are never administrative operations.
            "category" => return None,
            "operationname" => op_sets.push(values),
            "resourcetype" | "resourceprovider" => type_filters.push(values),
            // status, subStatus, caller, level, resourceGroup, resourceId, ...: narrowing.
            _ => return None,
        }
    }
    let mut ops: Vec<String> = match op_sets.split_first() {
        None => {
            // Every Administrative event, unless a type filter narrows it.
            return (category_admin && type_filters.is_empty()).then(|| vec!["*".to_string()]);
        }
        Some((first, rest)) => first
            .iter()
            .filter(|op| rest.iter().all(|set| set.contains(op)))
            .cloned()
            .collect(),
    };
    // An operation belongs to a resource type when its name continues it (`type/write`).
    ops.retain(|op| {
        type_filters
            .iter()
            .all(|set| set.iter().any(|t| op.starts_with(&format!("{t}/"))))
    });
    // Operation names are administrative ones; a `category` of another value returned above.
    Some(ops)
}

/// Defender for Cloud security contacts: how many e-mail addresses, and whether alert
/// notifications are on in any contact. No contact is none and off.
fn security_contacts(contacts: &[Value]) -> Result<(i64, bool), String> {
    let mut emails = 0;
    let mut notify = false;
    for c in contacts {
        let p = &c["properties"];
        match &p["emails"] {
            Value::String(s) => {
                emails += s
                    .split([';', ','])
                    .filter(|e| e.trim().contains('@'))
                    .count() as i64
            }
            Value::Null => {}
            v => return Err(unexpected(CONTACTS, "emails", v)),
        }
        match p["alertNotifications"]["state"].as_str() {
            Some(s) if s.eq_ignore_ascii_case("On") => notify = true,
            Some(s) if s.eq_ignore_ascii_case("Off") => {}
            None => {}
            Some(_) => {
                return Err(unexpected(
                    CONTACTS,
                    "alertNotifications.state",
                    &p["alertNotifications"]["state"],
                ))
            }
        }
        // The 2023-12-01-preview shape: `isEnabled` and `notificationsSources` of type `Alert`.
        let alert_source = p["notificationsSources"].as_array().is_some_and(|l| {
            l.iter().any(|n| {
                n["sourceType"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("Alert"))
            })
        });
        if alert_source && p["isEnabled"] != Value::Bool(false) {
            notify = true;
        }
    }
    Ok((emails, notify))
}

/// `autoProvisioningSettings/default`: `On` or `Off`; null when there is no `default` setting.
fn auto_provisioning(settings: &[Value]) -> Result<Value, String> {
    let Some(d) = settings.iter().find(|s| {
        s["name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case("default"))
    }) else {
        return Ok(Value::Null);
    };
    match d["properties"]["autoProvision"].as_str() {
        Some(v) if v.eq_ignore_ascii_case("On") => Ok("On".into()),
        Some(v) if v.eq_ignore_ascii_case("Off") => Ok("Off".into()),
        None => Err(absent(PROVISIONING, "autoProvision")),
        Some(_) => Err(unexpected(
            PROVISIONING,
            "autoProvision",
            &d["properties"]["autoProvision"],
        )),
    }
}

#[cfg(test)]
mod tests;
