//! Storage accounts and their blob service (soft delete).

use serde_json::Value;

use super::in_order;
use super::{arm_fields, Ctx};
use crate::collect::{resource, Found, Props};

const API: &str = "2023-05-01";
pub(crate) const ACCOUNT: &str = "azure.storage.account";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let mut found = Found::default();
    let accounts = match ctx
        .arm
        .list(
            "Microsoft.Storage/storageAccounts/read",
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
        let props = &a["properties"];
        let mut p = Props::default();
        // Documented defaults for fields an older account may not return.
        p.set(
            "https_only",
            props["supportsHttpsTrafficOnly"].as_bool().unwrap_or(true),
        );
        p.set(
            "minimum_tls_version",
            props["minimumTlsVersion"].as_str().unwrap_or("TLS1_0"),
        );
        p.set(
            "allow_blob_public_access",
            props["allowBlobPublicAccess"].as_bool().unwrap_or(false),
        );
        p.set(
            "key_source",
            props["encryption"]["keySource"]
                .as_str()
                .unwrap_or("Microsoft.Storage"),
        );
        p.set(
            "infrastructure_encryption",
            props["encryption"]["requireInfrastructureEncryption"]
                .as_bool()
                .unwrap_or(false),
        );
        match blob {
            Ok(service) => {
                let policy = &service["properties"]["deleteRetentionPolicy"];
                let days =
                    (policy["enabled"] == true).then(|| policy["days"].as_i64().unwrap_or(7));
                p.set(
                    "blob_soft_delete_days",
                    days.map_or(Value::Null, Value::from),
                );
            }
            Err(why) => p.unknown("blob_soft_delete_days", why),
        }
        found
            .resources
            .push(p.into_resource(resource(ACCOUNT, id, sub, &location, name, tags)));
    }
    ctx.progress.done(&format!("storage {sub}"));
    found
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
                .get(
                    "Microsoft.Storage/storageAccounts/blobServices/read",
                    &format!("{id}/blobServices/default"),
                    Some(API),
                )
                .await
        }),
    )
    .await
}
