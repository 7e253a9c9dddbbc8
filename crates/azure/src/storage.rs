//! Storage accounts and their blob service (soft delete, versioning, container soft delete).
//!
//! Each field is read as Microsoft documents it for api-version 2023-05-01. A field the answer
//! leaves out is unknown, unless the reference documents how the service reads its absence:
//! `minimumTlsVersion` ("the default interpretation is TLS 1.0"), `encryption.keySource`
//! (default `Microsoft.Storage`), `requireInfrastructureEncryption` (opt-in, only at creation)
//! and `allowBlobPublicAccess` (null permits anonymous access: see [`blob_public_access`]).

use serde_json::Value;

use super::{absent, in_order, put, unexpected};
use super::{arm_fields, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

const API: &str = "2023-05-01";
pub(crate) const ACCOUNT: &str = "azure.storage.account";
const LIST: &str = "Microsoft.Storage/storageAccounts/read";
const BLOB: &str = "Microsoft.Storage/storageAccounts/blobServices/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let mut found = Found::default();
    let accounts = match ctx
        .arm
        .list(
            LIST,
            &format!("/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts"),
            Some(API),
        )
        .await
    {
        Ok(a) => a,
        Err(why) => {
            found.gap(sub, None, &[ACCOUNT], why);
            ctx.progress.done(&format!("storage {sub}"));
            return found;
        }
    };
    // The blob service of every account, a bounded number at a time.
    let services = bounded_blob_services(ctx, &accounts).await;
    for (a, blob) in accounts.iter().zip(services) {
        let Some((id, name, location, tags)) = arm_fields(a) else {
            continue;
        };
        let mut p = account_props(&a["properties"]);
        match blob {
            Ok(service) => {
                let props = &service["properties"];
                put(&mut p, "blob_soft_delete_days", soft_delete_days(props));
                put(&mut p, "blob_versioning", versioning(props));
                put(
                    &mut p,
                    "container_soft_delete_days",
                    container_soft_delete_days(props),
                );
            }
            Err(why) => {
                for name in [
                    "blob_soft_delete_days",
                    "blob_versioning",
                    "container_soft_delete_days",
                ] {
                    p.unknown(name, why.clone());
                }
            }
        }
        found
            .resources
            .push(p.into_resource(resource(ACCOUNT, id, sub, &location, name, tags)));
    }
    ctx.progress.done(&format!("storage {sub}"));
    found
}

/// The account-level properties, from the account's `properties`.
fn account_props(props: &Value) -> Props {
    let mut p = Props::default();
    put(&mut p, "https_only", https_only(props));
    put(&mut p, "minimum_tls_version", minimum_tls(props));
    put(
        &mut p,
        "allow_blob_public_access",
        blob_public_access(props),
    );
    put(&mut p, "key_source", key_source(props));
    put(
        &mut p,
        "infrastructure_encryption",
        infrastructure_encryption(props),
    );
    put(&mut p, "shared_key_access", shared_key_access(props));
    put(
        &mut p,
        "public_network_access",
        optional_string(props, "publicNetworkAccess"),
    );
    put(
        &mut p,
        "network_default_action",
        network_default_action(props),
    );
    put(&mut p, "network_bypass", network_bypass(props));
    put(
        &mut p,
        "private_endpoints",
        approved_private_endpoints(props),
    );
    put(
        &mut p,
        "cross_tenant_replication",
        cross_tenant_replication(props),
    );
    p
}

/// `allowSharedKeyAccess`: "The default value is null, which is equivalent to true."
fn shared_key_access(props: &Value) -> Result<bool, String> {
    match &props["allowSharedKeyAccess"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(true),
        v => Err(unexpected(LIST, "allowSharedKeyAccess", v)),
    }
}

/// `allowCrossTenantReplication`. The references before 2023-01-01 give "the default
/// interpretation is true"; accounts created since the change of default are created with the
/// property set to false, so an account that answers null predates it (as for
/// `allowBlobPublicAccess`). Microsoft's built-in policy ("Storage accounts should prevent cross
/// tenant object replication") likewise flags every value but `false`.
fn cross_tenant_replication(props: &Value) -> Result<bool, String> {
    match &props["allowCrossTenantReplication"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(true),
        v => Err(unexpected(LIST, "allowCrossTenantReplication", v)),
    }
}

/// A string property that may be absent (null: not set).
fn optional_string(props: &Value, field: &str) -> Result<Value, String> {
    match &props[field] {
        Value::String(s) => Ok(Value::String(s.clone())),
        Value::Null => Ok(Value::Null),
        v => Err(unexpected(LIST, field, v)),
    }
}

/// `networkAcls.defaultAction` (`Allow` or `Deny`, a required field of the rule set).
fn network_default_action(props: &Value) -> Result<String, String> {
    match &props["networkAcls"]["defaultAction"] {
        Value::String(s) if s.eq_ignore_ascii_case("Allow") => Ok("Allow".into()),
        Value::String(s) if s.eq_ignore_ascii_case("Deny") => Ok("Deny".into()),
        Value::Null => Err(absent(LIST, "networkAcls.defaultAction")),
        v => Err(unexpected(LIST, "networkAcls.defaultAction", v)),
    }
}

/// `networkAcls.bypass`: "a combination of Logging, Metrics, AzureServices (for example,
/// `Logging, Metrics`), or None".
fn network_bypass(props: &Value) -> Result<Vec<String>, String> {
    match &props["networkAcls"]["bypass"] {
        Value::String(s) => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|b| !b.is_empty() && !b.eq_ignore_ascii_case("None"))
            .map(str::to_string)
            .collect()),
        Value::Null => Err(absent(LIST, "networkAcls.bypass")),
        v => Err(unexpected(LIST, "networkAcls.bypass", v)),
    }
}

/// Private endpoint connections in state `Approved`; the list is absent when there are none.
fn approved_private_endpoints(props: &Value) -> Result<i64, String> {
    match &props["privateEndpointConnections"] {
        Value::Null => Ok(0),
        Value::Array(list) => Ok(list
            .iter()
            .filter(|c| {
                c["properties"]["privateLinkServiceConnectionState"]["status"]
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("Approved"))
            })
            .count() as i64),
        v => Err(unexpected(LIST, "privateEndpointConnections", v)),
    }
}

/// `isVersioningEnabled` of the blob service: opt-in ("Versioning is enabled if set to true"),
/// so a service that does not say has it off.
fn versioning(service: &Value) -> Result<bool, String> {
    match &service["isVersioningEnabled"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        v => Err(unexpected(BLOB, "isVersioningEnabled", v)),
    }
}

/// Container soft delete from `containerDeleteRetentionPolicy`, read as blob soft delete is.
fn container_soft_delete_days(service: &Value) -> Result<Value, String> {
    retention_days(service, "containerDeleteRetentionPolicy")
}

/// `supportsHttpsTrafficOnly`. "The default value is true since API version 2019-04-01" is a
/// creation default: an account made through an older version (or the classic portal) may have
/// it off, and a GET does not say how the account was made. Absent is unknown.
fn https_only(props: &Value) -> Result<bool, String> {
    match &props["supportsHttpsTrafficOnly"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Err(absent(LIST, "supportsHttpsTrafficOnly")),
        v => Err(unexpected(LIST, "supportsHttpsTrafficOnly", v)),
    }
}

/// `minimumTlsVersion`; the 2023-05-01 reference: "The default interpretation is TLS 1.0 for
/// this property."
fn minimum_tls(props: &Value) -> Result<String, String> {
    match &props["minimumTlsVersion"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok("TLS1_0".into()),
        v => Err(unexpected(LIST, "minimumTlsVersion", v)),
    }
}

/// `allowBlobPublicAccess`. Null (never set) counts as allowed: Microsoft documents that "the
/// storage account permits public access when the property value is null or when it is true",
/// and the references before 2023-01-01 state "the default interpretation is true". The
/// 2023-05-01 reference's "default interpretation is false" describes accounts created since
/// the late-2023 change of default, which are created with the property set to false; an
/// account that still answers null predates it. Microsoft's built-in Azure Policy ("Storage
/// account public access should be disallowed") likewise flags every value but `false`.
fn blob_public_access(props: &Value) -> Result<bool, String> {
    match &props["allowBlobPublicAccess"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(true),
        v => Err(unexpected(LIST, "allowBlobPublicAccess", v)),
    }
}

/// `encryption.keySource`: "Possible values (case-insensitive): Microsoft.Storage,
/// Microsoft.Keyvault", default `Microsoft.Storage`. Spelled as the kind documents it.
fn key_source(props: &Value) -> Result<String, String> {
    match &props["encryption"]["keySource"] {
        Value::Null => Ok("Microsoft.Storage".into()),
        Value::String(s) if s.eq_ignore_ascii_case("Microsoft.Storage") => {
            Ok("Microsoft.Storage".into())
        }
        Value::String(s) if s.eq_ignore_ascii_case("Microsoft.Keyvault") => {
            Ok("Microsoft.Keyvault".into())
        }
        v => Err(unexpected(LIST, "encryption.keySource", v)),
    }
}

/// `encryption.requireInfrastructureEncryption`: opt-in, and only when the account is created
/// ("you must first create a storage account ... configured for infrastructure encryption");
/// an account that does not say so was not created with it.
fn infrastructure_encryption(props: &Value) -> Result<bool, String> {
    match &props["encryption"]["requireInfrastructureEncryption"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        v => Err(unexpected(
            LIST,
            "encryption.requireInfrastructureEncryption",
            v,
        )),
    }
}

/// Blob soft delete from the blob service's `deleteRetentionPolicy`: the retention in days, or
/// null when it is off. `days` has no documented default, so "on" without days is unknown.
fn soft_delete_days(service: &Value) -> Result<Value, String> {
    retention_days(service, "deleteRetentionPolicy")
}

fn retention_days(service: &Value, field: &str) -> Result<Value, String> {
    let policy = &service[field];
    match &policy["enabled"] {
        Value::Bool(false) => Ok(Value::Null),
        Value::Bool(true) => match policy["days"].as_i64() {
            Some(days) => Ok(days.into()),
            None => Err(absent(BLOB, &format!("{field}.days"))),
        },
        Value::Null => Err(absent(BLOB, &format!("{field}.enabled"))),
        v => Err(unexpected(BLOB, &format!("{field}.enabled"), v)),
    }
}

async fn bounded_blob_services(ctx: &Ctx, accounts: &[Value]) -> Vec<Result<Value, String>> {
    let ids: Vec<String> = accounts
        .iter()
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect();
    in_order(
        ctx.concurrency,
        ids.into_iter().map(|id| async move {
            ctx.arm
                .get(BLOB, &format!("{id}/blobServices/default"), Some(API))
                .await
        }),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (properties, https_only, allow_blob_public_access) with `Err` for unknown.
    #[test]
    fn account_fields_are_known_only_when_read_or_documented() {
        type Row = (Value, Result<bool, ()>, Result<bool, ()>);
        let rows: Vec<Row> = vec![
            (
                json!({"supportsHttpsTrafficOnly": true, "allowBlobPublicAccess": false}),
                Ok(true),
                Ok(false),
            ),
            (
                json!({"supportsHttpsTrafficOnly": false, "allowBlobPublicAccess": true}),
                Ok(false),
                Ok(true),
            ),
            // Absent: secure transfer unknown; public access null means allowed.
            (json!({}), Err(()), Ok(true)),
            (
                json!({"supportsHttpsTrafficOnly": null, "allowBlobPublicAccess": null}),
                Err(()),
                Ok(true),
            ),
            (
                json!({"supportsHttpsTrafficOnly": "true", "allowBlobPublicAccess": "no"}),
                Err(()),
                Err(()),
            ),
        ];
        for (props, https, public) in rows {
            assert_eq!(https_only(&props).map_err(|_| ()), https, "{props}");
            assert_eq!(
                blob_public_access(&props).map_err(|_| ()),
                public,
                "{props}"
            );
        }
    }

    #[test]
    fn documented_defaults_and_case_insensitive_key_source() {
        let none = json!({});
        assert_eq!(minimum_tls(&none).unwrap(), "TLS1_0");
        assert_eq!(key_source(&none).unwrap(), "Microsoft.Storage");
        assert!(!infrastructure_encryption(&none).unwrap());
        for spelled in [
            "Microsoft.KeyVault",
            "microsoft.keyvault",
            "Microsoft.Keyvault",
        ] {
            let p = json!({"encryption": {"keySource": spelled}});
            assert_eq!(key_source(&p).unwrap(), "Microsoft.Keyvault", "{spelled}");
        }
        let odd = json!({"encryption": {"keySource": "Other"}});
        assert!(key_source(&odd).unwrap_err().contains("keySource"));
        let infra = json!({"encryption": {"requireInfrastructureEncryption": true}});
        assert!(infrastructure_encryption(&infra).unwrap());
        assert!(minimum_tls(&json!({"minimumTlsVersion": 12})).is_err());
    }

    #[test]
    fn network_and_key_access_as_documented() {
        let none = json!({});
        assert!(
            shared_key_access(&none).unwrap(),
            "null is equivalent to true"
        );
        assert!(cross_tenant_replication(&none).unwrap());
        assert!(network_default_action(&none).is_err());
        assert!(network_bypass(&none).is_err());
        assert_eq!(approved_private_endpoints(&none).unwrap(), 0);
        assert_eq!(
            optional_string(&none, "publicNetworkAccess").unwrap(),
            Value::Null
        );
        let p = json!({
            "allowSharedKeyAccess": false,
            "allowCrossTenantReplication": false,
            "networkAcls": {"defaultAction": "deny", "bypass": "Logging, Metrics"},
            "privateEndpointConnections": [
                {"properties": {"privateLinkServiceConnectionState": {"status": "Approved"}}},
                {"properties": {"privateLinkServiceConnectionState": {"status": "Pending"}}},
                {"properties": {"privateLinkServiceConnectionState": {"status": "Rejected"}}}
            ]
        });
        assert!(!shared_key_access(&p).unwrap());
        assert!(!cross_tenant_replication(&p).unwrap());
        assert_eq!(network_default_action(&p).unwrap(), "Deny");
        assert_eq!(network_bypass(&p).unwrap(), vec!["Logging", "Metrics"]);
        assert_eq!(approved_private_endpoints(&p).unwrap(), 1);
        let none_bypass = json!({"networkAcls": {"defaultAction": "Allow", "bypass": "None"}});
        assert!(network_bypass(&none_bypass).unwrap().is_empty());
        assert!(shared_key_access(&json!({"allowSharedKeyAccess": "false"})).is_err());
    }

    #[test]
    fn versioning_and_container_soft_delete() {
        assert!(!versioning(&json!({})).unwrap(), "opt-in");
        assert!(versioning(&json!({"isVersioningEnabled": true})).unwrap());
        assert_eq!(
            container_soft_delete_days(
                &json!({"containerDeleteRetentionPolicy": {"enabled": true, "days": 7}})
            )
            .unwrap(),
            json!(7)
        );
        assert!(container_soft_delete_days(&json!({}))
            .unwrap_err()
            .contains("containerDeleteRetentionPolicy.enabled"));
        assert_eq!(
            container_soft_delete_days(
                &json!({"containerDeleteRetentionPolicy": {"enabled": false}})
            )
            .unwrap(),
            Value::Null
        );
    }

    #[test]
    fn soft_delete_needs_its_days_when_on() {
        let rows = [
            (
                json!({"deleteRetentionPolicy": {"enabled": true, "days": 14}}),
                Ok(json!(14)),
            ),
            (
                json!({"deleteRetentionPolicy": {"enabled": false}}),
                Ok(Value::Null),
            ),
            (
                json!({"deleteRetentionPolicy": {"enabled": false, "days": 30}}),
                Ok(Value::Null),
            ),
            (
                json!({"deleteRetentionPolicy": {"enabled": true}}),
                Err("days"),
            ),
            (json!({}), Err("enabled")),
            (
                json!({"deleteRetentionPolicy": {"enabled": "yes"}}),
                Err("enabled"),
            ),
        ];
        for (service, want) in rows {
            match (soft_delete_days(&service), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{service}"),
                (Err(why), Err(part)) => assert!(why.contains(part), "{service}: {why}"),
                (got, want) => panic!("{service}: got {got:?}, want {want:?}"),
            }
        }
    }
}
