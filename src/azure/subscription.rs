//! The subscription's own settings: activity log export and Defender for Cloud plans.

use serde_json::Value;

use super::{absent, put, unexpected, Ctx};
use crate::collect::{resource, Found, Props};

pub(crate) const SUBSCRIPTIONS_API: &str = "2022-12-01";
const DIAGNOSTICS_API: &str = "2021-05-01-preview";
const PRICINGS_API: &str = "2024-01-01";
pub(crate) const SUBSCRIPTION: &str = "azure.subscription";
const DIAG: &str = "Microsoft.Insights/diagnosticSettings/read";
const PRICINGS: &str = "Microsoft.Security/pricings/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let base = format!("/subscriptions/{sub}");
    let diag_path = format!("{base}/providers/Microsoft.Insights/diagnosticSettings");
    let pricings_path = format!("{base}/providers/Microsoft.Security/pricings");
    let (diag, pricings) = tokio::join!(
        ctx.arm.list(DIAG, &diag_path, Some(DIAGNOSTICS_API)),
        ctx.arm.list(PRICINGS, &pricings_path, Some(PRICINGS_API)),
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
struct Export {
    /// Where: `workspace`, `storage`, `eventhub`, `partner`.
    destinations: Vec<String>,
    /// Which categories (or category groups, e.g. `allLogs`) are enabled in a setting that has
    /// a destination.
    categories: Vec<String>,
}

/// The activity log export. Each setting's `logs` entries name a `category` or a
/// `categoryGroup` and are `enabled` (a required boolean: an entry without it makes the export
/// unknown). A setting counts when it has a destination and at least one enabled entry.
fn activity_log_export(settings: &[Value]) -> Result<Export, String> {
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
fn standard_plans(plans: &[Value]) -> Result<Vec<String>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn setting(name: &str, dest: Value, logs: Value) -> Value {
        let mut props = dest;
        props["logs"] = logs;
        json!({"name": name, "properties": props})
    }

    #[test]
    fn activity_log_categories_per_setting_with_a_destination() {
        let law = || json!({"workspaceId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.OperationalInsights/workspaces/w"});
        let sa = || json!({"storageAccountId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a"});
        type Row = (
            Vec<Value>,
            Result<(Vec<&'static str>, Vec<&'static str>), &'static str>,
        );
        let rows: Vec<(&str, Row)> = vec![
            (
                "three of them",
                (
                    vec![setting(
                        "a",
                        law(),
                        json!([
                {"category": "Administrative", "enabled": true},
                {"category": "Security", "enabled": true},
                {"category": "Policy", "enabled": true},
                {"category": "Alert", "enabled": false}]),
                    )],
                    Ok((
                        vec!["workspace"],
                        vec!["Administrative", "Policy", "Security"],
                    )),
                ),
            ),
            (
                "Policy off",
                (
                    vec![setting(
                        "a",
                        law(),
                        json!([
                {"category": "Administrative", "enabled": true},
                {"category": "Security", "enabled": true},
                {"category": "Policy", "enabled": false}]),
                    )],
                    Ok((vec!["workspace"], vec!["Administrative", "Security"])),
                ),
            ),
            (
                "allLogs",
                (
                    vec![setting(
                        "a",
                        sa(),
                        json!([{"categoryGroup": "allLogs", "enabled": true}]),
                    )],
                    Ok((vec!["storage"], vec!["allLogs"])),
                ),
            ),
            (
                "split across two settings",
                (
                    vec![
                        setting(
                            "a",
                            law(),
                            json!([{"category": "Administrative", "enabled": true}]),
                        ),
                        setting(
                            "b",
                            sa(),
                            json!([{"category": "Security", "enabled": true}, {"category": "Policy", "enabled": true}]),
                        ),
                    ],
                    Ok((
                        vec!["storage", "workspace"],
                        vec!["Administrative", "Policy", "Security"],
                    )),
                ),
            ),
            (
                "no destination",
                (
                    vec![setting(
                        "a",
                        json!({}),
                        json!([{"categoryGroup": "allLogs", "enabled": true}]),
                    )],
                    Ok((vec![], vec![])),
                ),
            ),
            (
                "nothing enabled",
                (
                    vec![setting(
                        "a",
                        law(),
                        json!([{"category": "Administrative", "enabled": false}]),
                    )],
                    Ok((vec![], vec![])),
                ),
            ),
            ("none", (vec![], Ok((vec![], vec![])))),
            (
                "enabled missing",
                (
                    vec![setting("a", law(), json!([{"category": "Administrative"}]))],
                    Err("logs[].enabled"),
                ),
            ),
        ];
        for (what, (settings, want)) in rows {
            match (activity_log_export(&settings), want) {
                (Ok(got), Ok((dest, cats))) => {
                    assert_eq!(got.destinations, dest, "{what}");
                    assert_eq!(got.categories, cats, "{what}");
                }
                (Err(why), Err(part)) => assert!(why.contains(part), "{what}: {why}"),
                (got, want) => panic!("{what}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn standard_plans_exclude_partial_coverage() {
        let plan = |name: &str, props: Value| json!({"name": name, "properties": props});
        let plans = vec![
            plan(
                "VirtualMachines",
                json!({"pricingTier": "Standard", "subPlan": "P2", "resourcesCoverageStatus": "PartiallyCovered"}),
            ),
            plan(
                "SqlServers",
                json!({"pricingTier": "Standard", "resourcesCoverageStatus": "FullyCovered"}),
            ),
            plan("StorageAccounts", json!({"pricingTier": "Free"})),
            plan("KeyVaults", json!({"pricingTier": "standard"})),
            plan(
                "Containers",
                json!({"pricingTier": "Standard", "resourcesCoverageStatus": "NotCovered"}),
            ),
        ];
        assert_eq!(
            standard_plans(&plans).unwrap(),
            vec!["KeyVaults", "SqlServers"]
        );
        let broken = vec![plan("Arm", json!({}))];
        assert!(standard_plans(&broken)
            .unwrap_err()
            .contains("Arm: pricingTier"));
        assert!(standard_plans(&[]).unwrap().is_empty());
    }
}
