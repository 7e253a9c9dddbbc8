//! Tests of the parent module.

use super::*;
use serde_json::json;

fn rule(
    name: &str,
    priority: i64,
    access: &str,
    protocol: &str,
    src: Value,
    ports: Value,
) -> Value {
    let mut p = json!({"priority": priority, "access": access, "direction": "Inbound", "protocol": protocol});
    match src {
        Value::Array(_) => p["sourceAddressPrefixes"] = src,
        _ => p["sourceAddressPrefix"] = src,
    }
    match ports {
        Value::Array(_) => p["destinationPortRanges"] = ports,
        _ => p["destinationPortRange"] = ports,
    }
    json!({"name": name, "properties": p})
}

fn defaults() -> Value {
    json!([
        rule(
            "AllowVnetInBound",
            65000,
            "Allow",
            "*",
            json!("VirtualNetwork"),
            json!("*")
        ),
        rule(
            "AllowAzureLoadBalancerInBound",
            65001,
            "Allow",
            "*",
            json!("AzureLoadBalancer"),
            json!("*")
        ),
        rule("DenyAllInBound", 65500, "Deny", "*", json!("*"), json!("*")),
    ])
}

fn admin(rules: Value) -> Option<Vec<String>> {
    let props = json!({"securityRules": rules, "defaultSecurityRules": defaults()});
    inbound_rules(&props)
        .ok()
        .map(|r| open_ports(&r, &ADMIN_PORTS))
}

#[test]
fn nsg_rules_first_match_with_tags_ranges_and_lists() {
    type Row = (&'static str, Value, Option<usize>);
    let rows: Vec<Row> = vec![
        ("defaults only", json!([]), Some(0)),
        (
            "ssh from Internet",
            json!([rule(
                "ssh",
                100,
                "Allow",
                "Tcp",
                json!("Internet"),
                json!("22")
            )]),
            Some(1),
        ),
        (
            "ssh from *",
            json!([rule("ssh", 100, "Allow", "*", json!("*"), json!("22"))]),
            Some(1),
        ),
        (
            "Any",
            json!([rule("ssh", 100, "Allow", "Tcp", json!("Any"), json!("22"))]),
            Some(1),
        ),
        (
            "0.0.0.0/0 in a list",
            json!([rule(
                "ssh",
                100,
                "Allow",
                "Tcp",
                json!(["10.0.0.0/8", "0.0.0.0/0"]),
                json!("22")
            )]),
            Some(1),
        ),
        (
            "a range holding 3389",
            json!([rule(
                "rdp",
                100,
                "Allow",
                "Tcp",
                json!("*"),
                json!("3000-4000")
            )]),
            Some(1),
        ),
        (
            "a port list holding 22",
            json!([rule(
                "mgmt",
                100,
                "Allow",
                "Tcp",
                json!("*"),
                json!(["80", "20-23"])
            )]),
            Some(1),
        ),
        (
            "every port",
            json!([rule(
                "all",
                100,
                "Allow",
                "*",
                json!("Internet"),
                json!("*")
            )]),
            Some(2),
        ),
        (
            "two halves",
            json!([
                rule("a", 100, "Allow", "Tcp", json!("0.0.0.0/1"), json!("22")),
                rule("b", 110, "Allow", "Tcp", json!("128.0.0.0/1"), json!("22"))
            ]),
            Some(1),
        ),
        (
            "an office",
            json!([rule(
                "ssh",
                100,
                "Allow",
                "Tcp",
                json!("203.0.113.0/24"),
                json!("22")
            )]),
            Some(0),
        ),
        (
            "a deny first",
            json!([
                rule("deny", 100, "Deny", "*", json!("*"), json!("*")),
                rule("ssh", 200, "Allow", "Tcp", json!("*"), json!("22"))
            ]),
            Some(0),
        ),
        (
            "a deny after",
            json!([
                rule("ssh", 100, "Allow", "Tcp", json!("*"), json!("22")),
                rule("deny", 200, "Deny", "*", json!("*"), json!("*"))
            ]),
            Some(1),
        ),
        (
            "priority, not order",
            json!([
                rule("ssh", 300, "Allow", "Tcp", json!("*"), json!("22")),
                rule("deny", 200, "Deny", "Tcp", json!("Internet"), json!("22"))
            ]),
            Some(0),
        ),
        (
            "udp only",
            json!([rule("dns", 100, "Allow", "Udp", json!("*"), json!("22"))]),
            Some(0),
        ),
        (
            "bare 0.0.0.0, as CIS reads it",
            json!([rule(
                "ssh",
                100,
                "Allow",
                "Tcp",
                json!("0.0.0.0"),
                json!("22")
            )]),
            Some(1),
        ),
        (
            "a service tag",
            json!([rule(
                "lb",
                100,
                "Allow",
                "Tcp",
                json!("AzureCloud"),
                json!("22")
            )]),
            Some(0),
        ),
        (
            "deny a tag, then allow all",
            json!([
                rule("d", 100, "Deny", "Tcp", json!("AzureCloud"), json!("22")),
                rule("ssh", 200, "Allow", "Tcp", json!("*"), json!("22"))
            ]),
            Some(1),
        ),
        (
            "a bad address",
            json!([rule(
                "typo",
                100,
                "Allow",
                "Tcp",
                json!("10.0.0.300/24"),
                json!("22")
            )]),
            None,
        ),
        (
            "a bad port",
            json!([rule("typo", 100, "Allow", "Tcp", json!("*"), json!("22-x"))]),
            None,
        ),
    ];
    for (what, rules, want) in rows {
        assert_eq!(admin(rules).map(|o| o.len()), want, "{what}");
    }
    let why = admin(json!([rule(
        "ssh",
        100,
        "Allow",
        "Tcp",
        json!("Internet"),
        json!("22")
    )]))
    .unwrap();
    assert!(
        why[0].starts_with("tcp 22 (rule `ssh` from Internet"),
        "{why:?}"
    );
    let outbound = json!({"securityRules": [{"name": "out", "properties": {"priority": 100, "access": "Allow", "direction": "Outbound", "protocol": "*", "sourceAddressPrefix": "*", "destinationPortRange": "22"}}]});
    assert!(open_ports(&inbound_rules(&outbound).unwrap(), &ADMIN_PORTS).is_empty());
}

#[test]
fn flow_log_retention_per_target() {
    let nsg =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/web";
    let vnet =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/core";
    let log = |target: &str, enabled: bool, policy: Value| json!({"properties": {"targetResourceId": target, "enabled": enabled, "retentionPolicy": policy}});
    let on_subnet = json!({"subnets": [{"id": format!("{vnet}/subnets/app")}]});
    let on_nic = json!({"networkInterfaces": [{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/n"}]});
    type Row = (&'static str, Vec<Value>, Value, Result<Value, ()>);
    let rows: Vec<Row> = vec![
        (
            "its own, 90 days",
            vec![log(nsg, true, json!({"enabled": true, "days": 90}))],
            json!({}),
            Ok(json!(90)),
        ),
        (
            "its own, case differs",
            vec![log(
                &nsg.to_uppercase(),
                true,
                json!({"enabled": true, "days": 30}),
            )],
            json!({}),
            Ok(json!(30)),
        ),
        (
            "its own, disabled",
            vec![log(nsg, false, json!({"enabled": true, "days": 365}))],
            json!({}),
            Ok(Value::Null),
        ),
        (
            "retention off: kept",
            vec![log(nsg, true, json!({"enabled": false, "days": 7}))],
            json!({}),
            Ok(json!(0)),
        ),
        (
            "through its vnet",
            vec![log(vnet, true, json!({"enabled": true, "days": 120}))],
            on_subnet.clone(),
            Ok(json!(120)),
        ),
        (
            "the longer of two",
            vec![
                log(nsg, true, json!({"enabled": true, "days": 30})),
                log(vnet, true, json!({"enabled": true, "days": 0})),
            ],
            on_subnet,
            Ok(json!(0)),
        ),
        ("none", vec![], json!({}), Ok(Value::Null)),
        (
            "on NICs while vnet logs exist",
            vec![log(vnet, true, json!({"enabled": true, "days": 120}))],
            on_nic.clone(),
            Err(()),
        ),
        ("on NICs, no vnet logs", vec![], on_nic, Ok(Value::Null)),
        (
            "days absent",
            vec![log(nsg, true, json!({"enabled": true}))],
            json!({}),
            Err(()),
        ),
    ];
    for (what, logs, props, want) in rows {
        let got = FlowLogs::new(&logs).retention(nsg, &props).map_err(|_| ());
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn watchers_that_exist() {
    let w = |loc: &str, state: &str| json!({"location": loc, "properties": {"provisioningState": state}});
    let got = watcher_regions(&[
        w("EastUS", "Succeeded"),
        w("westus", "Failed"),
        json!({"location": "northeurope", "properties": {}}),
    ]);
    assert_eq!(
        got,
        BTreeSet::from(["eastus".to_string(), "northeurope".to_string()])
    );
}
