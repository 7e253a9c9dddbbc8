//! Azure AI services (Cognitive Services) accounts, Azure OpenAI included: network exposure,
//! account keys and key custody.

use ipnet::IpNet;
use serde_json::Value;

use super::{absent, arm_fields, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};
use hipaa_scan_core::net;

const API: &str = "2024-10-01";
pub(crate) const ACCOUNT: &str = "azure.cognitiveservices.account";
const ACCOUNTS: &str = "Microsoft.CognitiveServices/accounts/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let path = format!("/subscriptions/{sub}/providers/Microsoft.CognitiveServices/accounts");
    let mut found = Found::default();
    if let Some(accounts) = found.listed(
        ctx.arm.list(ACCOUNTS, &path, Some(API)).await,
        sub,
        None,
        &[ACCOUNT],
    ) {
        for a in &accounts {
            let Some((id, name, location, tags)) = arm_fields(a) else {
                continue;
            };
            let p = account_props(a);
            found
                .resources
                .push(p.into_resource(resource(ACCOUNT, id, sub, &location, name, tags)));
        }
    }
    ctx.progress.done(&format!("ai services {sub}"));
    found
}

fn account_props(a: &Value) -> Props {
    let props = &a["properties"];
    let mut p = Props::default();
    let kind = match &a["kind"] {
        Value::String(k) => Ok(k.clone()),
        Value::Null => Err(absent(ACCOUNTS, "kind")),
        v => Err(unexpected(ACCOUNTS, "kind", v)),
    };
    put(&mut p, "account_kind", kind);
    let public = match &props["publicNetworkAccess"] {
        Value::Null => Ok(Value::Null),
        Value::String(s) if s.eq_ignore_ascii_case("Enabled") => Ok("Enabled".into()),
        Value::String(s) if s.eq_ignore_ascii_case("Disabled") => Ok("Disabled".into()),
        v => Err(unexpected(ACCOUNTS, "publicNetworkAccess", v)),
    };
    put(&mut p, "public_network_access", public);
    // "By default, Azure AI services resources accept connections from clients on any
    // network": an account without `networkAcls` has no firewall.
    let acls = &props["networkAcls"];
    let action = match (acls, &acls["defaultAction"]) {
        (Value::Null, _) => Ok("Allow"),
        (_, Value::String(s)) if s.eq_ignore_ascii_case("Allow") => Ok("Allow"),
        (_, Value::String(s)) if s.eq_ignore_ascii_case("Deny") => Ok("Deny"),
        (_, Value::Null) => Err(absent(ACCOUNTS, "networkAcls.defaultAction")),
        (_, v) => Err(unexpected(ACCOUNTS, "networkAcls.defaultAction", v)),
    };
    put(&mut p, "network_default_action", action);
    let rules: Vec<String> = acls["ipRules"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|r| r["value"].as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    put(&mut p, "internet_open_ip_rules", open_rules(&rules));
    p.set("ip_rules", rules);
    // Keys are accepted unless `disableLocalAuth` is true.
    let local = match &props["disableLocalAuth"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        v => Err(unexpected(ACCOUNTS, "disableLocalAuth", v)),
    };
    put(&mut p, "local_auth_disabled", local);
    put(
        &mut p,
        "customer_managed_key",
        customer_key(&props["encryption"]),
    );
    let supported = match &props["capabilities"] {
        Value::Array(caps) => Ok(caps.iter().any(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("CustomerManagedKey"))
        })),
        Value::Null => Err(absent(ACCOUNTS, "capabilities")),
        v => Err(unexpected(ACCOUNTS, "capabilities", v)),
    };
    put(&mut p, "cmk_supported", supported);
    p
}

fn open_rules(rules: &[String]) -> Result<Vec<String>, String> {
    let nets = rules
        .iter()
        .map(|r| net::parse_source(r))
        .collect::<Result<Vec<IpNet>, String>>()
        .map_err(|e| format!("{ACCOUNTS}: networkAcls.ipRules: {e}"))?;
    Ok(net::why_open(&nets, net::max_prefix())
        .into_iter()
        .collect())
}

/// `Microsoft.KeyVault` with a key named; `Microsoft.CognitiveServices` (or no `encryption`) is
/// the platform's key.
fn customer_key(enc: &Value) -> Result<bool, String> {
    match enc {
        Value::Null => Ok(false),
        Value::Object(_) => {
            let vault = enc["keySource"]
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("Microsoft.KeyVault"));
            let key = enc["keyVaultProperties"]["keyName"]
                .as_str()
                .is_some_and(|k| !k.trim().is_empty());
            Ok(vault && key)
        }
        v => Err(unexpected(ACCOUNTS, "encryption", v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(a: Value) -> hipaa_scan_core::model::Resource {
        account_props(&a).into_resource(resource(
            ACCOUNT,
            "a".into(),
            "s",
            "eastus",
            "a".into(),
            Default::default(),
        ))
    }

    const CMK: &str = r#"[{"name": "VirtualNetworks"}, {"name": "CustomerManagedKey"}]"#;

    #[test]
    fn a_restricted_account_with_its_own_key() {
        let caps: Value = serde_json::from_str(CMK).unwrap();
        let a = r(json!({"kind": "OpenAI", "properties": {
            "publicNetworkAccess": "Enabled",
            "networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "203.0.113.0/24"}], "virtualNetworkRules": []},
            "disableLocalAuth": true,
            "encryption": {"keySource": "Microsoft.KeyVault", "keyVaultProperties": {"keyName": "k", "keyVaultUri": "https://kv.vault.azure.net/"}},
            "capabilities": caps}}));
        assert_eq!(a.properties["account_kind"], "OpenAI");
        assert_eq!(a.properties["public_network_access"], "Enabled");
        assert_eq!(a.properties["network_default_action"], "Deny");
        assert_eq!(a.properties["ip_rules"], json!(["203.0.113.0/24"]));
        assert_eq!(a.properties["internet_open_ip_rules"], json!([]));
        assert_eq!(a.properties["local_auth_disabled"], true);
        assert_eq!(a.properties["customer_managed_key"], true);
        assert_eq!(a.properties["cmk_supported"], true);
    }

    #[test]
    fn defaults_and_look_alikes() {
        // No firewall at all: every network; keys on; the platform's key.
        let a = r(json!({"kind": "TextAnalytics", "properties": {"capabilities": []}}));
        assert_eq!(a.properties["public_network_access"], Value::Null);
        assert_eq!(a.properties["network_default_action"], "Allow");
        assert_eq!(a.properties["local_auth_disabled"], false);
        assert_eq!(a.properties["customer_managed_key"], false);
        assert_eq!(a.properties["cmk_supported"], false);
        // Deny, but the one rule is the internet.
        let a = r(json!({"kind": "ComputerVision", "properties": {
            "networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "0.0.0.0/0"}]}}}));
        assert_eq!(
            a.properties["internet_open_ip_rules"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(a.unknown["cmk_supported"].contains("capabilities"));
        // A Key Vault source without a key, and the platform source.
        let a = r(
            json!({"kind": "OpenAI", "properties": {"encryption": {"keySource": "Microsoft.KeyVault"}}}),
        );
        assert_eq!(a.properties["customer_managed_key"], false);
        let a = r(
            json!({"kind": "OpenAI", "properties": {"encryption": {"keySource": "Microsoft.CognitiveServices"}}}),
        );
        assert_eq!(a.properties["customer_managed_key"], false);
        // A firewall without a default action is not read as open or closed.
        let a = r(
            json!({"properties": {"networkAcls": {"ipRules": []}, "publicNetworkAccess": "disabled"}}),
        );
        assert!(a.unknown["network_default_action"].contains("defaultAction"));
        assert!(a.unknown["account_kind"].contains("kind"));
        assert_eq!(a.properties["public_network_access"], "Disabled");
        let a = r(
            json!({"properties": {"networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "lab"}]}}}),
        );
        assert!(a.unknown["internet_open_ip_rules"].contains("lab"));
    }
}
