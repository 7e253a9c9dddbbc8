//! Event Hubs and Service Bus namespaces, each with its network rule set: transport, network
//! exposure, shared access signatures and key custody.

use ipnet::IpNet;
use serde_json::Value;

use super::{absent, arm_fields, in_order, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};
use hipaa_scan_core::net;

pub(crate) const EVENTHUB: &str = "azure.eventhub.namespace";
pub(crate) const SERVICEBUS: &str = "azure.servicebus.namespace";

/// One of the two messaging services: both answer the same shapes.
struct Service {
    kind: &'static str,
    provider: &'static str,
    api: &'static str,
    list_op: &'static str,
    rules_op: &'static str,
}

const EVENTHUBS: Service = Service {
    kind: EVENTHUB,
    provider: "Microsoft.EventHub",
    api: "2024-01-01",
    list_op: "Microsoft.EventHub/namespaces/read",
    rules_op: "Microsoft.EventHub/namespaces/networkRuleSets/read",
};

const SERVICEBUSES: Service = Service {
    kind: SERVICEBUS,
    provider: "Microsoft.ServiceBus",
    api: "2024-01-01",
    list_op: "Microsoft.ServiceBus/namespaces/read",
    rules_op: "Microsoft.ServiceBus/namespaces/networkRuleSets/read",
};

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let (eh, sb) = tokio::join!(
        namespaces(ctx, sub, &EVENTHUBS),
        namespaces(ctx, sub, &SERVICEBUSES)
    );
    let mut found = eh;
    found.extend(sb);
    ctx.progress
        .done(&format!("event hubs and service bus {sub}"));
    found
}

async fn namespaces(ctx: &Ctx, sub: &str, svc: &Service) -> Found {
    let mut found = Found::default();
    let path = format!("/subscriptions/{sub}/providers/{}/namespaces", svc.provider);
    let Some(items) = found.listed(
        ctx.arm.list(svc.list_op, &path, Some(svc.api)).await,
        sub,
        None,
        &[svc.kind],
    ) else {
        return found;
    };
    // The firewall is a child resource: one more read per namespace.
    let paths: Vec<String> = items
        .iter()
        .map(|n| {
            format!(
                "{}/networkRuleSets/default",
                n["id"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let rule_sets = in_order(
        ctx.concurrency,
        paths
            .into_iter()
            .map(|path| async move { ctx.arm.get(svc.rules_op, &path, Some(svc.api)).await }),
    )
    .await;
    for (n, rules) in items.iter().zip(rule_sets) {
        let Some((id, name, location, tags)) = arm_fields(n) else {
            continue;
        };
        let p = namespace_props(svc, n, rules.as_ref().map(|r| &r["properties"]));
        found
            .resources
            .push(p.into_resource(resource(svc.kind, id, sub, &location, name, tags)));
    }
    found
}

fn namespace_props(svc: &Service, ns: &Value, rules: Result<&Value, &String>) -> Props {
    let op = svc.list_op;
    let props = &ns["properties"];
    let mut p = Props::default();
    let tier = match &ns["sku"]["tier"] {
        Value::String(t) => Ok(t.clone()),
        Value::Null => Err(absent(op, "sku.tier")),
        v => Err(unexpected(op, "sku.tier", v)),
    };
    // Service Bus takes a customer-managed key in Premium only; Event Hubs in Premium and in
    // dedicated clusters.
    let dedicated = props["clusterArmId"]
        .as_str()
        .is_some_and(|c| !c.trim().is_empty());
    let cmk_supported = match &tier {
        Ok(t) if t.eq_ignore_ascii_case("Premium") => Ok(true),
        _ if svc.kind == EVENTHUB && dedicated => Ok(true),
        Ok(_) => Ok(false),
        Err(why) => Err(why.clone()),
    };
    put(&mut p, "cmk_supported", cmk_supported);
    put(&mut p, "sku_tier", tier);
    // Namespaces created before api-version 2022-01-01-preview answer `1.0`; one that answers
    // nothing has no documented value.
    let tls = match &props["minimumTlsVersion"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(op, "minimumTlsVersion")),
        v => Err(unexpected(op, "minimumTlsVersion", v)),
    };
    put(&mut p, "minimum_tls_version", tls);
    // "This determines if traffic is allowed over public network. By default it is enabled."
    let namespace_public = access_flag(op, &props["publicNetworkAccess"]);
    let rule_set_public = match rules {
        Ok(r) => access_flag(svc.rules_op, &r["publicNetworkAccess"]),
        Err(_) => Ok("Enabled".to_string()),
    };
    let public = match (namespace_public, rule_set_public) {
        (Ok(a), _) if a == "Disabled" => Ok(a),
        (_, Ok(b)) if b == "Disabled" => Ok(b),
        (Ok(a), Ok(_)) => Ok(a),
        (Err(why), _) | (_, Err(why)) => Err(why),
    };
    put(&mut p, "public_network_access", public);
    match rules {
        Ok(r) => {
            let action = match &r["defaultAction"] {
                Value::String(s) if s.eq_ignore_ascii_case("Allow") => Ok("Allow"),
                Value::String(s) if s.eq_ignore_ascii_case("Deny") => Ok("Deny"),
                Value::Null => Err(absent(svc.rules_op, "defaultAction")),
                v => Err(unexpected(svc.rules_op, "defaultAction", v)),
            };
            put(&mut p, "network_default_action", action);
            match ip_rules(svc.rules_op, &r["ipRules"]) {
                Ok(ips) => {
                    let vnets = r["virtualNetworkRules"].as_array().map_or(0, Vec::len);
                    p.set("network_rules", (ips.len() + vnets) as i64);
                    put(
                        &mut p,
                        "internet_open_ip_rules",
                        open_rules(svc.rules_op, &ips),
                    );
                    p.set("ip_rules", ips);
                }
                Err(why) => {
                    for f in ["network_rules", "ip_rules", "internet_open_ip_rules"] {
                        p.unknown(f, why.clone());
                    }
                }
            }
        }
        Err(why) => {
            for f in [
                "network_default_action",
                "network_rules",
                "ip_rules",
                "internet_open_ip_rules",
            ] {
                p.unknown(f, why.clone());
            }
        }
    }
    // SAS keys work unless `disableLocalAuth` is true.
    let local = match &props["disableLocalAuth"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        v => Err(unexpected(op, "disableLocalAuth", v)),
    };
    put(&mut p, "local_auth_disabled", local);
    put(
        &mut p,
        "customer_managed_key",
        customer_key(op, &props["encryption"]),
    );
    p
}

/// `Enabled`, `Disabled` or `SecuredByPerimeter`, spelled as the reference does; `Enabled` when
/// absent (the documented default).
fn access_flag(op: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::Null => Ok("Enabled".into()),
        Value::String(s) => Ok(
            match ["Enabled", "Disabled", "SecuredByPerimeter"]
                .into_iter()
                .find(|k| k.eq_ignore_ascii_case(s))
            {
                Some(k) => k.to_string(),
                None => s.clone(),
            },
        ),
        v => Err(unexpected(op, "publicNetworkAccess", v)),
    }
}

/// The allowed addresses of `ipRules` (`ipMask`, action `Allow`: the only action there is).
fn ip_rules(op: &str, v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(rules) => Ok(rules
            .iter()
            .filter(|r| {
                r["action"]
                    .as_str()
                    .is_none_or(|a| a.eq_ignore_ascii_case("Allow"))
            })
            .filter_map(|r| r["ipMask"].as_str().map(str::to_string))
            .collect()),
        v => Err(unexpected(op, "ipRules", v)),
    }
}

fn open_rules(op: &str, rules: &[String]) -> Result<Vec<String>, String> {
    let nets = rules
        .iter()
        .map(|r| net::parse_source(r))
        .collect::<Result<Vec<IpNet>, String>>()
        .map_err(|e| format!("{op}: ipRules: {e}"))?;
    Ok(net::why_open(&nets, net::max_prefix())
        .into_iter()
        .collect())
}

/// A Key Vault key source names the key in `keyVaultProperties`; the source alone (the only
/// value the enum has) is not a key.
fn customer_key(op: &str, enc: &Value) -> Result<bool, String> {
    match enc {
        Value::Null => Ok(false),
        Value::Object(_) => {
            let vault = enc["keySource"]
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("Microsoft.KeyVault"));
            let keys = enc["keyVaultProperties"].as_array().is_some_and(|k| {
                k.iter()
                    .any(|k| k["keyName"].as_str().is_some_and(|n| !n.trim().is_empty()))
            });
            Ok(vault && keys)
        }
        v => Err(unexpected(op, "encryption", v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(
        svc: &Service,
        ns: Value,
        rules: Result<Value, String>,
    ) -> hipaa_scan_core::model::Resource {
        let rules_ref = rules.as_ref().map(|r| &r["properties"]);
        namespace_props(svc, &ns, rules_ref).into_resource(resource(
            svc.kind,
            "n".into(),
            "s",
            "eastus",
            "n".into(),
            Default::default(),
        ))
    }

    #[test]
    fn a_premium_namespace_behind_its_firewall() {
        let n = r(
            &SERVICEBUSES,
            json!({"sku": {"name": "Premium", "tier": "Premium"}, "properties": {
                "minimumTlsVersion": "1.2", "publicNetworkAccess": "Enabled", "disableLocalAuth": true,
                "encryption": {"keySource": "Microsoft.KeyVault", "keyVaultProperties": [{"keyName": "k", "keyVaultUri": "https://kv.vault.azure.net"}]}}}),
            Ok(
                json!({"properties": {"defaultAction": "Deny", "publicNetworkAccess": "Enabled",
                "ipRules": [{"ipMask": "203.0.113.0/24", "action": "Allow"}], "virtualNetworkRules": []}}),
            ),
        );
        assert_eq!(n.properties["sku_tier"], "Premium");
        assert_eq!(n.properties["cmk_supported"], true);
        assert_eq!(n.properties["minimum_tls_version"], "1.2");
        assert_eq!(n.properties["public_network_access"], "Enabled");
        assert_eq!(n.properties["network_default_action"], "Deny");
        assert_eq!(n.properties["network_rules"], 1);
        assert_eq!(n.properties["ip_rules"], json!(["203.0.113.0/24"]));
        assert_eq!(n.properties["internet_open_ip_rules"], json!([]));
        assert_eq!(n.properties["local_auth_disabled"], true);
        assert_eq!(n.properties["customer_managed_key"], true);
    }

    #[test]
    fn look_alikes() {
        // Deny without a single rule lets everyone in; the property says Deny all the same.
        let n = r(
            &EVENTHUBS,
            json!({"sku": {"tier": "Standard"}, "properties": {}}),
            Ok(
                json!({"properties": {"defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []}}),
            ),
        );
        assert_eq!(n.properties["network_default_action"], "Deny");
        assert_eq!(n.properties["network_rules"], 0);
        assert_eq!(n.properties["public_network_access"], "Enabled");
        assert_eq!(n.properties["cmk_supported"], false);
        // No TLS minimum in the answer: unknown, not 1.2. No `disableLocalAuth`: SAS allowed.
        assert!(n.unknown["minimum_tls_version"].contains("minimumTlsVersion"));
        assert_eq!(n.properties["local_auth_disabled"], false);
        assert_eq!(n.properties["customer_managed_key"], false);
        // A Deny whose one rule is the internet.
        let n = r(
            &SERVICEBUSES,
            json!({"sku": {"tier": "Premium"}, "properties": {}}),
            Ok(
                json!({"properties": {"defaultAction": "Deny", "ipRules": [{"ipMask": "0.0.0.0/0", "action": "Allow"}]}}),
            ),
        );
        assert_eq!(
            n.properties["internet_open_ip_rules"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // A Key Vault key source that names no key.
        let n = r(
            &EVENTHUBS,
            json!({"sku": {"tier": "Premium"}, "properties": {"encryption": {"keySource": "Microsoft.KeyVault", "keyVaultProperties": []}}}),
            Ok(json!({"properties": {"defaultAction": "Allow"}})),
        );
        assert_eq!(n.properties["customer_managed_key"], false);
        // Public access disabled on the rule set counts, whatever the namespace says.
        let n = r(
            &EVENTHUBS,
            json!({"sku": {"tier": "Standard"}, "properties": {"publicNetworkAccess": "Enabled"}}),
            Ok(
                json!({"properties": {"defaultAction": "Allow", "publicNetworkAccess": "Disabled"}}),
            ),
        );
        assert_eq!(n.properties["public_network_access"], "Disabled");
        // An Event Hubs namespace in a dedicated cluster can take a customer-managed key.
        let n = r(
            &EVENTHUBS,
            json!({"sku": {"tier": "Standard"}, "properties": {"clusterArmId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.EventHub/clusters/c"}}),
            Ok(json!({"properties": {"defaultAction": "Allow"}})),
        );
        assert_eq!(n.properties["cmk_supported"], true);
    }

    #[test]
    fn an_unreadable_rule_set() {
        let n = r(
            &SERVICEBUSES,
            json!({"properties": {"publicNetworkAccess": "Disabled"}}),
            Err("Microsoft.ServiceBus/namespaces/networkRuleSets/read: AuthorizationFailed".into()),
        );
        // The namespace's own switch still decides; the firewall is unknown with the reason.
        assert_eq!(n.properties["public_network_access"], "Disabled");
        assert!(n.unknown["network_default_action"].contains("AuthorizationFailed"));
        assert!(n.unknown["internet_open_ip_rules"].contains("AuthorizationFailed"));
        assert!(n.unknown.contains_key("sku_tier"));
        assert!(n.unknown.contains_key("cmk_supported"));
        let n = r(
            &EVENTHUBS,
            json!({"sku": {"tier": "Standard"}, "properties": {}}),
            Ok(json!({"properties": {"ipRules": [{"ipMask": "office"}]}})),
        );
        assert!(n.unknown["network_default_action"].contains("defaultAction"));
        assert!(n.unknown["internet_open_ip_rules"].contains("office"));
    }
}
