//! Cloud SQL: the instances of one project.

use google_cloud_sql_v1::model::ip_configuration::SslMode;
use google_cloud_sql_v1::model::DatabaseInstance;
use serde_json::Value;

use super::{labels, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const INSTANCE: &str = "gcp.sql.instance";

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let mut found = Found::default();
    match list_all!(
        ctx.clients.sql.list().set_project(project),
        items,
        "cloudsql.instances.list"
    ) {
        Ok(instances) => found
            .resources
            .extend(instances.iter().map(|i| normalize(project, i))),
        Err(why) => found.gap(project, None, &[INSTANCE], why),
    }
    ctx.progress.done(&format!("sql {project}"));
    found
}

fn normalize(project: &str, i: &DatabaseInstance) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    p.set(
        "database_version",
        i.database_version
            .name()
            .unwrap_or("SQL_DATABASE_VERSION_UNSPECIFIED"),
    );
    let settings = i.settings.as_ref();
    let ip = settings.and_then(|s| s.ip_configuration.as_ref());
    match ip {
        Some(ip) => {
            p.set("ssl_mode", ssl_mode(ip));
            // A new instance gets a public IP unless told otherwise: absent is not "off".
            match ip.ipv4_enabled {
                Some(v) => p.set("ipv4_enabled", v),
                None => p.unknown(
                    "ipv4_enabled",
                    "cloudsql.instances.list left out settings.ipConfiguration.ipv4Enabled",
                ),
            }
            let nets: Vec<String> = ip
                .authorized_networks
                .iter()
                .map(|n| n.value.clone())
                .collect();
            match networks_open(&nets) {
                Ok(open) => p.set("authorized_networks_open", open),
                Err(why) => p.unknown("authorized_networks_open", why),
            }
            p.set("authorized_networks", nets);
        }
        None => {
            for prop in [
                "ssl_mode",
                "ipv4_enabled",
                "authorized_networks",
                "authorized_networks_open",
            ] {
                p.unknown(
                    prop,
                    "cloudsql.instances.list returned no settings.ipConfiguration",
                );
            }
        }
    }
    match settings.and_then(|s| s.backup_configuration.as_ref()) {
        Some(b) => {
            p.set("backups_enabled", b.enabled.unwrap_or(false));
            // MySQL records point-in-time recovery as binary logging; the others as PITR.
            let pitr = b.point_in_time_recovery_enabled.unwrap_or(false)
                || b.binary_log_enabled.unwrap_or(false);
            p.set("point_in_time_recovery", pitr);
            match retained_backups(b) {
                Ok(n) => p.set("retained_backups", n),
                Err(why) => p.unknown("retained_backups", why),
            }
        }
        None => {
            p.set("backups_enabled", false);
            p.set("point_in_time_recovery", false);
            p.unknown(
                "retained_backups",
                "cloudsql.instances.list returned no settings.backupConfiguration",
            );
        }
    }
    p.set("instance_type", instance_type(i));
    match settings {
        Some(s) => {
            // Flags that are not listed run at the engine's default (proto3 leaves an empty
            // list out); the policies apply each flag's documented default.
            p.set("database_flags", database_flags(&s.database_flags));
            // Absent: off (`deletionProtectionEnabled` defaults to false).
            p.set(
                "deletion_protection",
                s.deletion_protection_enabled.unwrap_or(false),
            );
            p.set(
                "availability_type",
                s.availability_type
                    .name()
                    .unwrap_or("SQL_AVAILABILITY_TYPE_UNSPECIFIED"),
            );
            let audit = s
                .sql_server_audit_config
                .as_ref()
                .map(|a| a.bucket.trim())
                .filter(|b| !b.is_empty());
            p.set(
                "sql_server_audit_bucket",
                audit.map_or(Value::Null, Value::from),
            );
        }
        None => {
            for prop in [
                "database_flags",
                "deletion_protection",
                "availability_type",
                "sql_server_audit_bucket",
            ] {
                p.unknown(prop, "cloudsql.instances.list returned no settings");
            }
        }
    }
    let key = i
        .disk_encryption_configuration
        .as_ref()
        .map(|d| d.kms_key_name.as_str())
        .filter(|k| !k.is_empty());
    p.set("kms_key", key.map_or(Value::Null, Value::from));
    let tags = settings.map(|s| labels(&s.user_labels)).unwrap_or_default();
    p.into_resource(resource(
        INSTANCE,
        format!(
            "//sqladmin.googleapis.com/projects/{project}/instances/{}",
            i.name
        ),
        project,
        if i.region.is_empty() {
            "global"
        } else {
            &i.region
        },
        i.name.clone(),
        tags,
    ))
}

/// The database flags as `{name, value}`, values lower-cased (Cloud SQL writes boolean flags as
/// `on`/`off`; PostgreSQL and SQL Server read enum values without regard to case), sorted by name.
fn database_flags(flags: &[google_cloud_sql_v1::model::DatabaseFlags]) -> Vec<Value> {
    let mut out: Vec<(String, String)> = flags
        .iter()
        .map(|f| {
            (
                f.name.trim().to_string(),
                f.value.trim().to_ascii_lowercase(),
            )
        })
        .collect();
    out.sort();
    out.into_iter()
        .map(|(name, value)| serde_json::json!({ "name": name, "value": value }))
        .collect()
}

/// How many automated backups are kept. Retention is counted in backups (`COUNT`, also what an
/// unspecified unit means); a count the API leaves out is unknown.
fn retained_backups(b: &google_cloud_sql_v1::model::BackupConfiguration) -> Result<i64, String> {
    use google_cloud_sql_v1::model::backup_retention_settings::RetentionUnit;
    let Some(r) = b.backup_retention_settings.as_ref() else {
        return Err(
            "cloudsql.instances.list left out settings.backupConfiguration.backupRetentionSettings"
                .into(),
        );
    };
    match (&r.retention_unit, r.retained_backups) {
        (RetentionUnit::Count | RetentionUnit::Unspecified, Some(n)) => Ok(i64::from(n)),
        (RetentionUnit::Count | RetentionUnit::Unspecified, None) => {
            Err("cloudsql.instances.list left out backupRetentionSettings.retainedBackups".into())
        }
        (unit, _) => Err(format!(
            "backup retention unit {} is not a count of backups",
            unit.value().unwrap_or(-1)
        )),
    }
}

fn instance_type(i: &DatabaseInstance) -> String {
    i.instance_type
        .name()
        .unwrap_or("SQL_INSTANCE_TYPE_UNSPECIFIED")
        .to_string()
}

/// Whether the authorized networks, together, let the whole internet in (by CIDR arithmetic,
/// see `hipaa_scan_core::net`); why not known when a value is not an address or range.
fn networks_open(values: &[String]) -> Result<bool, String> {
    let nets = values
        .iter()
        .map(|v| hipaa_scan_core::net::parse_source(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("authorized network {e}"))?;
    Ok(hipaa_scan_core::net::open_to_internet(
        &nets,
        hipaa_scan_core::net::max_prefix(),
    ))
}

/// The effective SSL mode. Before `sslMode` existed, `requireSsl: true` meant client
/// certificates were required; an unset mode with `requireSsl` false accepts clear text.
fn ssl_mode(ip: &google_cloud_sql_v1::model::IpConfiguration) -> &'static str {
    match ip.ssl_mode {
        SslMode::EncryptedOnly => "ENCRYPTED_ONLY",
        SslMode::TrustedClientCertificateRequired => "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
        SslMode::AllowUnencryptedAndEncrypted => "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
        _ if ip.require_ssl.unwrap_or(false) => "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
        _ => "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(list: &[&str]) -> Result<bool, String> {
        networks_open(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn authorized_networks_by_cidr_arithmetic() {
        for (nets, want) in [
            (&["0.0.0.0/0"][..], true),
            (&["0.0.0.0/1", "128.0.0.0/1"][..], true),
            (&["10.0.0.0/8", "0.0.0.0/0"][..], true),
            (&["4.0.0.0/6"][..], true),
            (&["203.0.113.0/24", "198.51.100.7"][..], false),
            (&["0.0.0.0/32"][..], false),
            (&["0.0.0.0/1"][..], true),
            (&[][..], false),
            (&["10.0.0.0/8"][..], false),
        ] {
            assert_eq!(open(nets), Ok(want), "{nets:?}");
        }
        let why = open(&["203.0.113.0/24", "office"]).unwrap_err();
        assert!(why.contains("`office`"), "{why}");
    }
}
