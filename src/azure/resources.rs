//! Key vaults, and every other resource of the subscription for the BAA scope check.

use super::{arm_fields, Ctx};
use crate::collect::{resource, Found, Props};

const VAULTS_API: &str = "2023-07-01";
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
        ctx.arm.list(
            "Microsoft.KeyVault/vaults/read",
            &vaults_path,
            Some(VAULTS_API)
        ),
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
                let props = &v["properties"];
                let mut p = Props::default();
                // Soft delete is on for every vault since 2020 and can no longer be turned off.
                p.set(
                    "soft_delete_enabled",
                    props["enableSoftDelete"].as_bool().unwrap_or(true),
                );
                p.set(
                    "purge_protection_enabled",
                    props["enablePurgeProtection"].as_bool().unwrap_or(false),
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
    use super::generic_kind;

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
