//! Key vaults (with their keys', secrets' expiry and diagnostic settings), and every other
//! resource of the subscription for the BAA scope check.

use serde_json::Value;

use super::{absent, arm_fields, in_order, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

const VAULTS_API: &str = "2023-07-01";
const VAULTS: &str = "Microsoft.KeyVault/vaults/read";
const RESOURCES_API: &str = "2021-04-01";
pub(crate) const VAULT: &str = "azure.keyvault.vault";
/// Stands for the resources of the generic listing in a gap: only checks over `azure.*` (the
/// BAA scope check) depend on it.
pub(crate) const GENERIC: &str = "azure.resources.generic";

const KEYS: &str = "Microsoft.KeyVault/vaults/keys/read";
const SECRETS: &str = "Microsoft.KeyVault/vaults/secrets/read";
const DIAG: &str = "Microsoft.Insights/diagnosticSettings/read";
const DIAGNOSTICS_API: &str = "2021-05-01-preview";

/// Resource types read in detail by the other modules; the generic listing skips them.
const DETAILED: [&str; 17] = [
    "microsoft.storage/storageaccounts",
    "microsoft.sql/servers",
    "microsoft.sql/servers/databases",
    "microsoft.keyvault/vaults",
    "microsoft.network/networksecuritygroups",
    "microsoft.web/sites",
    "microsoft.dbforpostgresql/flexibleservers",
    "microsoft.dbformysql/flexibleservers",
    "microsoft.documentdb/databaseaccounts",
    "microsoft.cache/redis",
    "microsoft.compute/virtualmachines",
    "microsoft.compute/disks",
    "microsoft.recoveryservices/vaults",
    "microsoft.containerservice/managedclusters",
    "microsoft.eventhub/namespaces",
    "microsoft.servicebus/namespaces",
    "microsoft.cognitiveservices/accounts",
];

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let vaults_path = format!("/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults");
    let all_path = format!("/subscriptions/{sub}/resources");
    let (vaults, all) = tokio::join!(
        ctx.arm.list(VAULTS, &vaults_path, Some(VAULTS_API)),
        ctx.arm.list(
            "Microsoft.Resources/resources/read",
            &all_path,
            Some(RESOURCES_API)
        ),
    );
    let mut found = Found::default();
    match vaults {
        Ok(vaults) => {
            let ids: Vec<String> = vaults
                .iter()
                .map(|v| v["id"].as_str().unwrap_or_default().to_string())
                .collect();
            let details = in_order(
                ctx.concurrency,
                ids.into_iter()
                    .map(|id| async move { vault_details(ctx, &id).await }),
            )
            .await;
            for (v, (keys, secrets, diag)) in vaults.iter().zip(details) {
                let Some((id, name, location, tags)) = arm_fields(v) else {
                    continue;
                };
                let mut p = vault_props(&v["properties"]);
                put(
                    &mut p,
                    "keys_without_expiry",
                    keys.map(|k| without_expiry(&k)),
                );
                put(
                    &mut p,
                    "secrets_without_expiry",
                    secrets.map(|k| without_expiry(&k)),
                );
                put(
                    &mut p,
                    "diagnostic_log_categories",
                    diag.and_then(|d| super::subscription::activity_log_export(&d))
                        .map(|e| e.categories),
                );
                found
                    .resources
                    .push(p.into_resource(resource(VAULT, id, sub, &location, name, tags)));
            }
        }
        Err(why) => found.gap(sub, None, &[VAULT], why),
    }
    ctx.progress.done(&format!("key vault {sub}"));
    match all {
        Ok(all) => {
            for r in &all {
                let Some(ty) = r["type"].as_str() else {
                    continue;
                };
                if DETAILED.contains(&ty.to_ascii_lowercase().as_str()) {
                    continue;
                }
                let Some(kind) = generic_kind(ty) else {
                    continue;
                };
                let Some((id, name, location, tags)) = arm_fields(r) else {
                    continue;
                };
                found
                    .resources
                    .push(resource(&kind, id, sub, &location, name, tags));
            }
        }
        // Only the BAA scope check reads these; it is not evaluated for the subscription.
        Err(why) => found.gap(sub, None, &[GENERIC], why),
    }
    ctx.progress.done(&format!("resources {sub}"));
    found
}

type Listing = Result<Vec<Value>, String>;

/// A vault's keys and secrets (their attributes only: Resource Manager never returns secret
/// values) and its diagnostic settings.
async fn vault_details(ctx: &Ctx, id: &str) -> (Listing, Listing, Listing) {
    let (keys, secrets, diag) = (
        format!("{id}/keys"),
        format!("{id}/secrets"),
        format!("{id}/providers/Microsoft.Insights/diagnosticSettings"),
    );
    tokio::join!(
        ctx.arm.list(KEYS, &keys, Some(VAULTS_API)),
        ctx.arm.list(SECRETS, &secrets, Some(VAULTS_API)),
        ctx.arm.list(DIAG, &diag, Some(DIAGNOSTICS_API)),
    )
}

/// Names of enabled items without `attributes.exp`. A disabled item cannot be used, so its
/// expiry does not matter; an item that does not say whether it is enabled counts.
fn without_expiry(items: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = items
        .iter()
        .filter(|i| {
            let a = &i["properties"]["attributes"];
            a["enabled"] != Value::Bool(false) && a["exp"].as_i64().is_none()
        })
        .filter_map(|i| i["name"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

/// A vault's recoverability and access model, as the 2023-07-01 reference defines them.
fn vault_props(props: &Value) -> Props {
    let mut p = Props::default();
    // "If it's not set to any value (true or false) when creating new key vault, it will be set
    // to true by default": a creation default. A vault that answers without it is unknown.
    let soft_delete = match &props["enableSoftDelete"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Err(absent(VAULTS, "enableSoftDelete")),
        v => Err(unexpected(VAULTS, "enableSoftDelete", v)),
    };
    put(&mut p, "soft_delete_enabled", soft_delete);
    // "Enabling this functionality is irreversible - that is, the property does not accept
    // false as its value": purge protection is on only where the vault says true, and a vault
    // without it has it off.
    let purge = match &props["enablePurgeProtection"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        v => Err(unexpected(VAULTS, "enablePurgeProtection", v)),
    };
    put(&mut p, "purge_protection_enabled", purge);
    // "If null or not specified, the vault is created with the default value of false."
    let rbac = match &props["enableRbacAuthorization"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        v => Err(unexpected(VAULTS, "enableRbacAuthorization", v)),
    };
    put(&mut p, "rbac_authorization", rbac);
    // The API answers `enabled`/`disabled` in lower case; the kind spells them with a capital.
    let capital = |field: &str, v: &Value| -> Result<Value, String> {
        match v {
            Value::Null => Ok(Value::Null),
            Value::String(s) if s.eq_ignore_ascii_case("Enabled") => Ok("Enabled".into()),
            Value::String(s) if s.eq_ignore_ascii_case("Disabled") => Ok("Disabled".into()),
            Value::String(s) if s.eq_ignore_ascii_case("Allow") => Ok("Allow".into()),
            Value::String(s) if s.eq_ignore_ascii_case("Deny") => Ok("Deny".into()),
            v => Err(unexpected(VAULTS, field, v)),
        }
    };
    put(
        &mut p,
        "public_network_access",
        capital("publicNetworkAccess", &props["publicNetworkAccess"]),
    );
    put(
        &mut p,
        "network_default_action",
        capital(
            "networkAcls.defaultAction",
            &props["networkAcls"]["defaultAction"],
        ),
    );
    p
}

/// `Microsoft.Web/sites` → `azure.web.sites`: the service is the resource provider's name, which
/// the BAA list in policies/baa/azure.yaml is keyed on.
fn generic_kind(ty: &str) -> Option<String> {
    let (ns, rest) = ty.split_once('/')?;
    let ns = ns.to_ascii_lowercase();
    let service = ns
        .strip_prefix("microsoft.")
        .unwrap_or(&ns)
        .replace('.', "-");
    let rest = rest.to_ascii_lowercase().replace('/', ".");
    let kind = format!("azure.{service}.{rest}");
    hipaa_scan_core::model::kinds::parse_kind(&kind)
        .is_some()
        .then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::{generic_kind, vault_props, without_expiry};
    use hipaa_scan_core::collect::resource;
    use serde_json::json;

    #[test]
    fn vault_soft_delete_is_unknown_when_absent_purge_protection_off() {
        let read = |props| {
            vault_props(&props).into_resource(resource(
                "azure.keyvault.vault",
                "v".into(),
                "s",
                "eastus",
                "v".into(),
                Default::default(),
            ))
        };
        let r = read(json!({"enableSoftDelete": true, "enablePurgeProtection": true}));
        assert_eq!(r.properties["soft_delete_enabled"], true);
        assert_eq!(r.properties["purge_protection_enabled"], true);
        let r = read(json!({}));
        assert!(r.unknown["soft_delete_enabled"].contains("enableSoftDelete"));
        assert_eq!(r.properties["purge_protection_enabled"], false);
        let r = read(json!({"enableSoftDelete": false, "enablePurgeProtection": "yes"}));
        assert_eq!(r.properties["soft_delete_enabled"], false);
        assert!(r.unknown.contains_key("purge_protection_enabled"));
    }

    #[test]
    fn vault_access_model_network_and_expiry() {
        let p = vault_props(
            &json!({"enableSoftDelete": true, "publicNetworkAccess": "disabled", "networkAcls": {"defaultAction": "Deny"}}),
        );
        let r = p.into_resource(resource(
            "azure.keyvault.vault",
            "v".into(),
            "s",
            "eastus",
            "v".into(),
            Default::default(),
        ));
        assert_eq!(r.properties["rbac_authorization"], false);
        assert_eq!(r.properties["public_network_access"], "Disabled");
        assert_eq!(r.properties["network_default_action"], "Deny");
        let r = vault_props(&json!({"enableRbacAuthorization": true})).into_resource(resource(
            "azure.keyvault.vault",
            "v".into(),
            "s",
            "eastus",
            "v".into(),
            Default::default(),
        ));
        assert_eq!(r.properties["rbac_authorization"], true);
        assert_eq!(
            r.properties["public_network_access"],
            serde_json::Value::Null
        );
        assert_eq!(
            r.properties["network_default_action"],
            serde_json::Value::Null
        );
        let items = vec![
            json!({"name": "dated", "properties": {"attributes": {"enabled": true, "exp": 1893456000}}}),
            json!({"name": "forever", "properties": {"attributes": {"enabled": true}}}),
            json!({"name": "off", "properties": {"attributes": {"enabled": false}}}),
            json!({"name": "silent", "properties": {}}),
        ];
        assert_eq!(without_expiry(&items), vec!["forever", "silent"]);
    }

    #[test]
    fn resource_types_map_to_kinds_keyed_by_provider() {
        assert_eq!(
            generic_kind("Microsoft.Web/sites").as_deref(),
            Some("azure.web.sites")
        );
        assert_eq!(
            generic_kind("Microsoft.Compute/virtualMachines/extensions").as_deref(),
            Some("azure.compute.virtualmachines.extensions")
        );
        assert_eq!(generic_kind("nonsense"), None);
    }
}
