//! Tests of the parent module.

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

fn alert(scope: &str, enabled: Value, groups: bool, all_of: Value) -> Value {
    let groups = if groups {
        json!([{"actionGroupId": "/subscriptions/s/resourceGroups/r/providers/microsoft.insights/actionGroups/soc"}])
    } else {
        json!([])
    };
    json!({"properties": {"scopes": [scope], "enabled": enabled, "condition": {"allOf": all_of}, "actions": {"actionGroups": groups}}})
}

#[test]
fn activity_alerts_count_only_when_nothing_narrows_them() {
    let sub = "s1";
    let scope = "/subscriptions/s1";
    let admin = json!({"field": "category", "equals": "Administrative"});
    let op = |o: &str| json!({"field": "operationName", "equals": o});
    let nsg = "microsoft.network/networksecuritygroups/write";
    type Row = (&'static str, Value, Vec<&'static str>);
    let rows: Vec<Row> = vec![
        (
            "plain",
            alert(
                scope,
                json!(true),
                true,
                json!([admin, op("Microsoft.Network/networkSecurityGroups/write")]),
            ),
            vec![nsg],
        ),
        (
            "enabled absent is on",
            alert(
                scope,
                Value::Null,
                true,
                json!([admin, op("Microsoft.Network/networkSecurityGroups/write")]),
            ),
            vec![nsg],
        ),
        (
            "disabled",
            alert(
                scope,
                json!(false),
                true,
                json!([admin, op("Microsoft.Network/networkSecurityGroups/write")]),
            ),
            vec![],
        ),
        (
            "no action group",
            alert(
                scope,
                json!(true),
                false,
                json!([admin, op("Microsoft.Network/networkSecurityGroups/write")]),
            ),
            vec![],
        ),
        (
            "resource group scope",
            alert(
                "/subscriptions/s1/resourceGroups/rg",
                json!(true),
                true,
                json!([admin, op("Microsoft.Network/networkSecurityGroups/write")]),
            ),
            vec![],
        ),
        (
            "only failures",
            alert(
                scope,
                json!(true),
                true,
                json!([admin, op("Microsoft.Network/networkSecurityGroups/write"), {"field": "status", "equals": "Failed"}]),
            ),
            vec![],
        ),
        (
            "anyOf of two",
            alert(
                scope,
                json!(true),
                true,
                json!([admin, {"anyOf": [op("Microsoft.Sql/servers/firewallRules/write"), op("Microsoft.Sql/servers/firewallRules/delete")]}]),
            ),
            vec![
                "microsoft.sql/servers/firewallrules/delete",
                "microsoft.sql/servers/firewallrules/write",
            ],
        ),
        (
            "containsAny",
            alert(
                scope,
                json!(true),
                true,
                json!([admin, {"field": "operationName", "containsAny": ["Microsoft.Network/publicIPAddresses/write"]}]),
            ),
            vec!["microsoft.network/publicipaddresses/write"],
        ),
        (
            "every administrative event",
            alert(scope, json!(true), true, json!([admin])),
            vec!["*"],
        ),
        (
            "another category",
            alert(
                scope,
                json!(true),
                true,
                json!([{"field": "category", "equals": "ServiceHealth"}]),
            ),
            vec![],
        ),
        (
            "matching resource type",
            alert(
                scope,
                json!(true),
                true,
                json!([admin, {"field": "resourceType", "equals": "Microsoft.Network/networkSecurityGroups"}, op("Microsoft.Network/networkSecurityGroups/write")]),
            ),
            vec![nsg],
        ),
        (
            "other resource type",
            alert(
                scope,
                json!(true),
                true,
                json!([admin, {"field": "resourceType", "equals": "Microsoft.Sql/servers"}, op("Microsoft.Network/networkSecurityGroups/write")]),
            ),
            vec![],
        ),
        (
            "anyOf over another field",
            alert(
                scope,
                json!(true),
                true,
                json!([admin, {"anyOf": [{"field": "level", "equals": "Critical"}]}]),
            ),
            vec![],
        ),
    ];
    for (what, a, want) in rows {
        assert_eq!(alert_operations(&[a], sub), want, "{what}");
    }
}

#[test]
fn contacts_and_auto_provisioning() {
    let c = json!({"name": "default", "properties": {"emails": "soc@acme.example;ciso@acme.example", "alertNotifications": {"state": "On", "minimalSeverity": "High"}}});
    assert_eq!(security_contacts(&[c]).unwrap(), (2, true));
    let off = json!({"name": "default", "properties": {"emails": "", "alertNotifications": {"state": "Off"}}});
    assert_eq!(security_contacts(&[off]).unwrap(), (0, false));
    assert_eq!(security_contacts(&[]).unwrap(), (0, false));
    let newer = |enabled: bool| json!({"name": "default", "properties": {"emails": "soc@acme.example", "isEnabled": enabled, "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "Medium"}]}});
    assert_eq!(security_contacts(&[newer(true)]).unwrap(), (1, true));
    assert_eq!(security_contacts(&[newer(false)]).unwrap(), (1, false));
    let s = |v: &str| json!({"name": "default", "properties": {"autoProvision": v}});
    assert_eq!(auto_provisioning(&[s("On")]).unwrap(), json!("On"));
    assert_eq!(auto_provisioning(&[s("Off")]).unwrap(), json!("Off"));
    assert_eq!(auto_provisioning(&[]).unwrap(), Value::Null);
    assert!(auto_provisioning(&[s("Maybe")]).is_err());
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
