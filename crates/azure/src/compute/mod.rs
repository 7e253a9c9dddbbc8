//! Virtual machines (managed disks, public IPs, backup and its policy), managed disks
//! (encryption) and Recovery Services vaults (soft delete, and the VMs they protect: `backup`).

mod backup;

use std::collections::HashMap;

use serde_json::Value;

use super::{absent, arm_fields, put, unexpected, Ctx};
use backup::Backups;
use hipaa_scan_core::collect::{resource, Found, Props};

const COMPUTE_API: &str = "2024-03-01";
const DISKS_API: &str = "2023-10-02";
const NETWORK_API: &str = "2023-09-01";
const VAULTS_API: &str = "2024-04-01";
pub(crate) const VM: &str = "azure.compute.vm";
pub(crate) const DISK: &str = "azure.compute.disk";
pub(crate) const VAULT: &str = "azure.recoveryservices.vault";
const VMS: &str = "Microsoft.Compute/virtualMachines/read";
const DISKS: &str = "Microsoft.Compute/disks/read";
const NICS: &str = "Microsoft.Network/networkInterfaces/read";
const VAULTS: &str = "Microsoft.RecoveryServices/vaults/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let base = format!("/subscriptions/{sub}/providers");
    let (vms_path, disks_path, nics_path, vaults_path) = (
        format!("{base}/Microsoft.Compute/virtualMachines"),
        format!("{base}/Microsoft.Compute/disks"),
        format!("{base}/Microsoft.Network/networkInterfaces"),
        format!("{base}/Microsoft.RecoveryServices/vaults"),
    );
    let (vms, disks, nics, vaults) = tokio::join!(
        ctx.arm.list(VMS, &vms_path, Some(COMPUTE_API)),
        ctx.arm.list(DISKS, &disks_path, Some(DISKS_API)),
        ctx.arm.list(NICS, &nics_path, Some(NETWORK_API)),
        ctx.arm.list(VAULTS, &vaults_path, Some(VAULTS_API)),
    );
    let mut found = Found::default();
    // The VMs each vault protects and their policies; one unreadable vault leaves unprotected
    // VMs unknown.
    let backups = match &vaults {
        Ok(vaults) => Backups::read(ctx, vaults, VAULTS_API).await,
        Err(why) => Backups::unread(why.clone()),
    };
    let public_nics: Result<HashMap<String, bool>, String> = nics.map(|nics| {
        nics.iter()
            .filter_map(|n| Some((n["id"].as_str()?.to_ascii_lowercase(), has_public_ip(n))))
            .collect()
    });
    if let Some(vms) = found.listed(vms, sub, None, &[VM]) {
        for v in &vms {
            let Some((id, name, location, tags)) = arm_fields(v) else {
                continue;
            };
            let props = &v["properties"];
            let mut p = Props::default();
            put(
                &mut p,
                "managed_disks",
                managed_disks(&props["storageProfile"]),
            );
            put(
                &mut p,
                "public_ip",
                public_ip(&props["networkProfile"], &public_nics),
            );
            let b = backups.of(&id);
            put(&mut p, "backup_protected", b.protected);
            put(&mut p, "backup_frequency", b.frequency);
            put(
                &mut p,
                "backup_daily_retention_days",
                b.daily_retention_days,
            );
            found
                .resources
                .push(p.into_resource(resource(VM, id, sub, &location, name, tags)));
        }
    }
    if let Some(disks) = found.listed(disks, sub, None, &[DISK]) {
        for d in &disks {
            let Some((id, name, location, tags)) = arm_fields(d) else {
                continue;
            };
            let p = disk_props(&d["properties"], &d["managedBy"]);
            found
                .resources
                .push(p.into_resource(resource(DISK, id, sub, &location, name, tags)));
        }
    }
    if let Some(vaults) = found.listed(vaults, sub, None, &[VAULT]) {
        for v in &vaults {
            let Some((id, name, location, tags)) = arm_fields(v) else {
                continue;
            };
            let mut p = Props::default();
            put(&mut p, "soft_delete_state", soft_delete(&v["properties"]));
            found
                .resources
                .push(p.into_resource(resource(VAULT, id, sub, &location, name, tags)));
        }
    }
    ctx.progress.done(&format!("compute {sub}"));
    found
}

/// Every disk of the VM is managed: the OS disk and each data disk have `managedDisk` and no
/// `vhd` (an unmanaged page blob in a storage account).
fn managed_disks(storage: &Value) -> Result<bool, String> {
    let os = &storage["osDisk"];
    if os.is_null() {
        return Err(absent(VMS, "storageProfile.osDisk"));
    }
    let managed = |d: &Value| d["vhd"].is_null() && !d["managedDisk"].is_null();
    let data = storage["dataDisks"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    Ok(managed(os) && data.iter().all(managed))
}

fn has_public_ip(nic: &Value) -> bool {
    nic["properties"]["ipConfigurations"]
        .as_array()
        .is_some_and(|l| {
            l.iter()
                .any(|c| c["properties"]["publicIPAddress"]["id"].as_str().is_some())
        })
}

/// Whether a network interface of the VM carries a public IP address.
fn public_ip(
    network: &Value,
    nics: &Result<HashMap<String, bool>, String>,
) -> Result<bool, String> {
    let nics = nics.as_ref().map_err(Clone::clone)?;
    let mut missing = None;
    for n in network["networkInterfaces"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let Some(id) = n["id"].as_str() else { continue };
        match nics.get(&id.to_ascii_lowercase()) {
            Some(true) => return Ok(true),
            Some(false) => {}
            None => missing = Some(id.to_string()),
        }
    }
    match missing {
        Some(id) => Err(format!(
            "{NICS}: network interface {id} is not in the listing"
        )),
        None => Ok(false),
    }
}

fn disk_props(props: &Value, managed_by: &Value) -> Props {
    let mut p = Props::default();
    // `encryption.type`: "EncryptionAtRestWithPlatformKey" is the default.
    let ty = match &props["encryption"]["type"] {
        Value::Null => Ok("EncryptionAtRestWithPlatformKey".to_string()),
        Value::String(s) => Ok(s.clone()),
        v => Err(unexpected(DISKS, "encryption.type", v)),
    };
    put(&mut p, "encryption_type", ty);
    let ade = match &props["encryptionSettingsCollection"]["enabled"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        v => Err(unexpected(DISKS, "encryptionSettingsCollection.enabled", v)),
    };
    put(&mut p, "azure_disk_encryption", ade);
    p.set(
        "attached_to",
        managed_by
            .as_str()
            .filter(|s| !s.is_empty())
            .map_or(Value::Null, |s| Value::String(s.to_string())),
    );
    p
}

/// `securitySettings.softDeleteSettings.softDeleteState`.
fn soft_delete(props: &Value) -> Result<String, String> {
    let v = &props["securitySettings"]["softDeleteSettings"]["softDeleteState"];
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(
            VAULTS,
            "securitySettings.softDeleteSettings.softDeleteState",
        )),
        v => Err(unexpected(VAULTS, "softDeleteState", v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn managed_and_unmanaged_disks() {
        let managed = json!({"osDisk": {"managedDisk": {"id": "d"}}, "dataDisks": [{"managedDisk": {"id": "e"}}]});
        assert!(managed_disks(&managed).unwrap());
        let vhd = json!({"osDisk": {"managedDisk": {"id": "d"}}, "dataDisks": [{"vhd": {"uri": "https://a.blob.core.windows.net/vhds/x.vhd"}}]});
        assert!(!managed_disks(&vhd).unwrap());
        assert!(managed_disks(&json!({})).is_err());
    }

    #[test]
    fn public_ips_through_nics() {
        let nic = |id: &str, public: bool| {
            let mut c = json!({"properties": {}});
            if public {
                c["properties"]["publicIPAddress"] = json!({"id": "/pip"});
            }
            json!({"id": id, "properties": {"ipConfigurations": [c]}})
        };
        let nics: Result<HashMap<String, bool>, String> = Ok([nic("/N1", true), nic("/n2", false)]
            .iter()
            .map(|n| {
                (
                    n["id"].as_str().unwrap().to_ascii_lowercase(),
                    has_public_ip(n),
                )
            })
            .collect());
        let vm = |ids: &[&str]| json!({"networkInterfaces": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>()});
        assert!(public_ip(&vm(&["/n2", "/n1"]), &nics).unwrap());
        assert!(!public_ip(&vm(&["/n2"]), &nics).unwrap());
        assert!(public_ip(&vm(&["/n3"]), &nics).is_err());
        assert!(public_ip(&vm(&["/n1"]), &Err("denied".into())).is_err());
    }

    #[test]
    fn disk_encryption_defaults() {
        let r = disk_props(&json!({}), &Value::Null).into_resource(resource(
            DISK,
            "d".into(),
            "s",
            "eastus",
            "d".into(),
            Default::default(),
        ));
        assert_eq!(
            r.properties["encryption_type"],
            "EncryptionAtRestWithPlatformKey"
        );
        assert_eq!(r.properties["azure_disk_encryption"], false);
        assert_eq!(r.properties["attached_to"], Value::Null);
    }
}
