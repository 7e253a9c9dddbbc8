//! Key vaults, and every other resource of the subscription for the BAA scope check.

use serde_json::Value;

use super::{absent, arm_fields, put, unexpected, Ctx};
use crate::collect::{resource, Found, Props};

const VAULTS_API: &str = "2023-07-01";
const VAULTS: &str = "Microsoft.KeyVault/vaults/read";
const RESOURCES_API: &str = "2021-04-01";
pub(crate) const VAULT: &str = "azure.keyvault.vault";
/// Stands for the resources of the generic listing in a gap: only checks over `azure.*` (the
/// BAA scope check) depend on it.
const GENERIC: &str = "azure.resources.generic";

/// Resource types read in detail by the other modules; the generic listing skips them.
const DETAILED: [&str; 4] = [
    "microsoft.storage/storageaccounts",
    "microsoft.sql/servers",
    "microsoft.sql/servers/databases",
    "microsoft.keyvault/vaults",
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
            for v in &vaults {
                let Some((id, name, location, tags)) = arm_fields(v) else {
                    continue;
                };
                let p = vault_props(&v["properties"]);
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

/// A vault's recoverability, as the 2023-07-01 reference defines it.
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
    crate::model::kinds::parse_kind(&kind)
        .is_some()
        .then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::{generic_kind, vault_props};
    use crate::collect::resource;
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
