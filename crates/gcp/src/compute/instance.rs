//! One VM instance: exposure, access, identity, boot integrity and disk encryption.

use google_cloud_compute_v1::model::attached_disk::Type as DiskType;
use google_cloud_compute_v1::model::Instance;

use super::{ProjectMetadata, INSTANCE};
use crate::labels;
use hipaa_scan_core::collect::{resource, Props};

/// The scope that gives an instance's service account every role it holds.
pub(crate) const CLOUD_PLATFORM: &str = "https://www.googleapis.com/auth/cloud-platform";

pub(crate) fn normalize(
    project: &str,
    scope: &str,
    i: &Instance,
    project_metadata: &ProjectMetadata,
) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    let name = i.name.clone().unwrap_or_default();
    let zone = i
        .zone
        .as_deref()
        .or(Some(scope))
        .map(|z| z.trim_end_matches('/').rsplit('/').next().unwrap_or(z))
        .unwrap_or_default()
        .to_string();
    match i.status.as_ref().and_then(|s| s.name()) {
        Some(s) => p.set("status", s),
        None => p.unknown(
            "status",
            "compute.instances.aggregatedList left out the instance's status",
        ),
    }

    let mut public = false;
    let mut addresses = Vec::new();
    for nic in &i.network_interfaces {
        for ac in nic.access_configs.iter().chain(&nic.ipv_6_access_configs) {
            public = true;
            for ip in [&ac.nat_ip, &ac.external_ipv_6].into_iter().flatten() {
                if !ip.is_empty() {
                    addresses.push(ip.clone());
                }
            }
        }
    }
    p.set("public_ip", public);
    p.set("external_ips", addresses);

    let own: Vec<(String, String)> = i
        .metadata
        .as_ref()
        .map(|m| {
            m.items
                .iter()
                .filter_map(|it| Some((it.key.clone()?, it.value.clone().unwrap_or_default())))
                .collect()
        })
        .unwrap_or_default();
    for (prop, key) in [
        ("os_login", "enable-oslogin"),
        ("serial_port_enabled", "serial-port-enable"),
    ] {
        match inherited_flag(&own, project_metadata, key) {
            Ok(v) => p.set(prop, v),
            Err(why) => p.unknown(prop, why),
        }
    }

    let accounts: Vec<String> = i
        .service_accounts
        .iter()
        .filter_map(|sa| sa.email.clone())
        .collect();
    let default_sa = |email: &str| email.ends_with("-compute@developer.gserviceaccount.com");
    p.set(
        "default_service_account",
        accounts.iter().any(|a| default_sa(a)),
    );
    p.set(
        "default_service_account_full_access",
        i.service_accounts.iter().any(|sa| {
            sa.email.as_deref().is_some_and(default_sa)
                && sa.scopes.iter().any(|s| s.trim() == CLOUD_PLATFORM)
        }),
    );
    p.set("service_accounts", accounts);

    let shielded = i.shielded_instance_config.as_ref();
    p.set(
        "shielded_secure_boot",
        shielded.and_then(|s| s.enable_secure_boot).unwrap_or(false),
    );
    for (prop, value, field) in [
        (
            "shielded_vtpm",
            shielded.and_then(|s| s.enable_vtpm),
            "enableVtpm",
        ),
        (
            "shielded_integrity_monitoring",
            shielded.and_then(|s| s.enable_integrity_monitoring),
            "enableIntegrityMonitoring",
        ),
    ] {
        match value {
            Some(v) => p.set(prop, v),
            None => p.unknown(
                prop,
                format!("compute.instances.aggregatedList left out shieldedInstanceConfig.{field}"),
            ),
        }
    }
    p.set("ip_forwarding", i.can_ip_forward.unwrap_or(false));

    let mut without_cmek = Vec::new();
    for (n, d) in i.disks.iter().enumerate() {
        if d.r#type == Some(DiskType::Scratch) {
            continue;
        }
        // Only a Cloud KMS key counts: customer-supplied keys (CSEK) are deprecated by Google
        // in favour of CMEK, and leave no key under the project's IAM policy and audit logs.
        let cmek = d
            .disk_encryption_key
            .as_ref()
            .and_then(|k| k.kms_key_name.as_deref())
            .is_some_and(|k| !k.trim().is_empty());
        if !cmek {
            let device = d
                .device_name
                .clone()
                .filter(|s| !s.is_empty())
                .or_else(|| {
                    d.source
                        .as_deref()
                        .and_then(|s| s.rsplit('/').next())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| format!("disk {n}"));
            without_cmek.push(device);
        }
    }
    p.set("disks_cmek", without_cmek.is_empty());
    p.set("disks_without_cmek", without_cmek);
    p.set(
        "deletion_protection",
        i.deletion_protection.unwrap_or(false),
    );
    let confidential = i.confidential_instance_config.as_ref().is_some_and(|c| {
        c.enable_confidential_compute.unwrap_or(false)
            || c.confidential_instance_type.as_ref().is_some_and(|t| {
                !matches!(
                    t.name(),
                    None | Some("CONFIDENTIAL_INSTANCE_TYPE_UNSPECIFIED")
                )
            })
    });
    p.set("confidential_computing", confidential);
    p.set(
        "network_tags",
        i.tags.as_ref().map(|t| t.items.clone()).unwrap_or_default(),
    );

    p.into_resource(resource(
        INSTANCE,
        format!("//compute.googleapis.com/projects/{project}/zones/{zone}/instances/{name}"),
        project,
        &zone,
        name,
        labels(&i.labels),
    ))
}

/// A boolean metadata key as the guest environment reads it: the instance's own value, else the
/// project's common metadata, else off (the default). Unknown when the instance does not set it
/// and the project's metadata is unread, or when the value is not a boolean.
pub(crate) fn inherited_flag(
    own: &[(String, String)],
    project: &ProjectMetadata,
    key: &str,
) -> Result<bool, String> {
    let find = |items: &[(String, String)]| {
        items
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let (value, whose) = match find(own) {
        Some(v) => (v, "instance"),
        None => match project {
            Ok(items) => match find(items) {
                Some(v) => (v, "project"),
                None => return Ok(false),
            },
            Err(why) => {
                return Err(format!(
                    "the instance does not set metadata `{key}` and the project's, which it inherits, could not be read: {why}"
                ))
            }
        },
    };
    match value.trim().to_ascii_lowercase().as_str() {
        // The values Go's `strconv.ParseBool` takes, as the guest environment reads them.
        "true" | "t" | "1" => Ok(true),
        "false" | "f" | "0" => Ok(false),
        _ => Err(format!(
            "{whose} metadata `{key}` is `{}`, not a boolean",
            value.chars().take(40).collect::<String>()
        )),
    }
}
