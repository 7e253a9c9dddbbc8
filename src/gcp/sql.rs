//! Cloud SQL: the instances of one project.

use google_cloud_gax::paginator::ItemPaginator;
use google_cloud_sql_v1::model::ip_configuration::SslMode;
use google_cloud_sql_v1::model::DatabaseInstance;
use serde_json::Value;

use super::clients::describe;
use super::{labels, Ctx};
use crate::collect::{resource, Found, Props};

pub(crate) const INSTANCE: &str = "gcp.sql.instance";

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let mut found = Found::default();
    let mut items = ctx.clients.sql.list().set_project(project).by_item();
    while let Some(item) = items.next().await {
        match item {
            Ok(instance) => found.resources.push(normalize(project, &instance)),
            Err(e) => {
                // A partial list would hide instances: the whole kind is a gap.
                found.resources.clear();
                found.gap(
                    project,
                    None,
                    &[INSTANCE],
                    describe("sql.instances.list", &e),
                );
                break;
            }
        }
    }
    ctx.progress.done(&format!("sql {project}"));
    found
}

fn normalize(project: &str, i: &DatabaseInstance) -> crate::model::Resource {
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
            p.set("ipv4_enabled", ip.ipv4_enabled.unwrap_or(false));
            let nets: Vec<String> = ip
                .authorized_networks
                .iter()
                .map(|n| n.value.clone())
                .collect();
            p.set("authorized_networks", nets);
        }
        None => {
            for prop in ["ssl_mode", "ipv4_enabled", "authorized_networks"] {
                p.unknown(
                    prop,
                    "sql.instances.list returned no settings.ipConfiguration",
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
        }
        None => {
            p.set("backups_enabled", false);
            p.set("point_in_time_recovery", false);
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
