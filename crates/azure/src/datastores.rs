//! Azure Cosmos DB accounts and Azure Cache for Redis.

use ipnet::IpNet;
use serde_json::Value;

use super::{absent, arm_fields, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};
use hipaa_scan_core::net;

const COSMOS_API: &str = "2024-05-15";
const REDIS_API: &str = "2024-03-01";
pub(crate) const COSMOS: &str = "azure.documentdb.account";
pub(crate) const REDIS: &str = "azure.cache.redis";
const ACCOUNTS: &str = "Microsoft.DocumentDB/databaseAccounts/read";
const CACHES: &str = "Microsoft.Cache/redis/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let base = format!("/subscriptions/{sub}/providers");
    let (accounts_path, caches_path) = (
        format!("{base}/Microsoft.DocumentDB/databaseAccounts"),
        format!("{base}/Microsoft.Cache/redis"),
    );
    let (accounts, caches) = tokio::join!(
        ctx.arm.list(ACCOUNTS, &accounts_path, Some(COSMOS_API)),
        ctx.arm.list(CACHES, &caches_path, Some(REDIS_API)),
    );
    let mut found = Found::default();
    if let Some(accounts) = found.listed(accounts, sub, None, &[COSMOS]) {
        for a in &accounts {
            let Some((id, name, location, tags)) = arm_fields(a) else {
                continue;
            };
            let p = cosmos_props(&a["properties"]);
            found
                .resources
                .push(p.into_resource(resource(COSMOS, id, sub, &location, name, tags)));
        }
    }
    if let Some(caches) = found.listed(caches, sub, None, &[REDIS]) {
        for c in &caches {
            let Some((id, name, location, tags)) = arm_fields(c) else {
                continue;
            };
            let p = redis_props(&c["properties"]);
            found
                .resources
                .push(p.into_resource(resource(REDIS, id, sub, &location, name, tags)));
        }
    }
    ctx.progress.done(&format!("cosmos db and redis {sub}"));
    found
}

fn flag(op: &str, props: &Value, field: &str, default: bool) -> Result<bool, String> {
    match &props[field] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(default),
        v => Err(unexpected(op, field, v)),
    }
}

fn cosmos_props(props: &Value) -> Props {
    let mut p = Props::default();
    let public = match &props["publicNetworkAccess"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(ACCOUNTS, "publicNetworkAccess")),
        v => Err(unexpected(ACCOUNTS, "publicNetworkAccess", v)),
    };
    put(&mut p, "public_network_access", public);
    // Both are opt-in switches whose reference default is false.
    put(
        &mut p,
        "virtual_network_filter",
        flag(ACCOUNTS, props, "isVirtualNetworkFilterEnabled", false),
    );
    put(
        &mut p,
        "local_auth_disabled",
        flag(ACCOUNTS, props, "disableLocalAuth", false),
    );
    let cmk = props["keyVaultKeyUri"]
        .as_str()
        .is_some_and(|k| !k.trim().is_empty());
    p.set("customer_managed_key", cmk);
    let rules: Vec<String> = props["ipRules"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|r| r["ipAddressOrRange"].as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    put(&mut p, "internet_open_ip_rules", open_rules(&rules));
    p.set("ip_rules", rules);
    p
}

/// Why the IP rules admit the internet (empty: they do not). `0.0.0.0` is Cosmos DB's "accept
/// connections from within Azure datacenters" switch: one address, not the internet.
fn open_rules(rules: &[String]) -> Result<Vec<String>, String> {
    let nets = rules
        .iter()
        .map(|r| net::parse_source(r))
        .collect::<Result<Vec<IpNet>, String>>()
        .map_err(|e| format!("{ACCOUNTS}: ipRules: {e}"))?;
    Ok(net::why_open(&nets, net::max_prefix())
        .into_iter()
        .collect())
}

fn redis_props(props: &Value) -> Props {
    let mut p = Props::default();
    // "Specifies whether the non-ssl Redis server port (6379) is enabled": default false.
    put(
        &mut p,
        "non_ssl_port_enabled",
        flag(CACHES, props, "enableNonSslPort", false),
    );
    let tls = match &props["minimumTlsVersion"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(CACHES, "minimumTlsVersion")),
        v => Err(unexpected(CACHES, "minimumTlsVersion", v)),
    };
    put(&mut p, "minimum_tls_version", tls);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipaa_scan_core::collect::resource;
    use serde_json::json;

    fn r(p: Props) -> hipaa_scan_core::model::Resource {
        p.into_resource(resource(
            COSMOS,
            "x".into(),
            "s",
            "eastus",
            "x".into(),
            Default::default(),
        ))
    }

    #[test]
    fn cosmos_network_and_keys() {
        let a = r(cosmos_props(
            &json!({"publicNetworkAccess": "Enabled", "ipRules": [{"ipAddressOrRange": "0.0.0.0"}, {"ipAddressOrRange": "203.0.113.0/24"}]}),
        ));
        assert_eq!(a.properties["internet_open_ip_rules"], json!([]));
        assert_eq!(a.properties["virtual_network_filter"], false);
        assert_eq!(a.properties["local_auth_disabled"], false);
        assert_eq!(a.properties["customer_managed_key"], false);
        let a = r(cosmos_props(
            &json!({"ipRules": [{"ipAddressOrRange": "0.0.0.0/1"}, {"ipAddressOrRange": "128.0.0.0/1"}], "keyVaultKeyUri": "https://kv.vault.azure.net/keys/k", "disableLocalAuth": true}),
        ));
        assert_eq!(
            a.properties["internet_open_ip_rules"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(a.unknown.contains_key("public_network_access"));
        assert_eq!(a.properties["customer_managed_key"], true);
        let a = r(cosmos_props(
            &json!({"ipRules": [{"ipAddressOrRange": "not-an-ip"}]}),
        ));
        assert!(a.unknown.contains_key("internet_open_ip_rules"));
    }

    #[test]
    fn redis_defaults() {
        let c = r(redis_props(&json!({})));
        assert_eq!(c.properties["non_ssl_port_enabled"], false);
        assert!(c.unknown.contains_key("minimum_tls_version"));
        let c = r(redis_props(
            &json!({"enableNonSslPort": true, "minimumTlsVersion": "1.2"}),
        ));
        assert_eq!(c.properties["non_ssl_port_enabled"], true);
        assert_eq!(c.properties["minimum_tls_version"], "1.2");
    }
}
