//! App Service apps: HTTPS only, TLS, FTP and managed identity.

use serde_json::Value;

use super::{absent, arm_fields, in_order, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

const API: &str = "2023-12-01";
pub(crate) const SITE: &str = "azure.web.site";
const SITES: &str = "Microsoft.Web/sites/read";
const CONFIG: &str = "Microsoft.Web/sites/config/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let mut found = Found::default();
    let path = format!("/subscriptions/{sub}/providers/Microsoft.Web/sites");
    let Some(sites) = found.listed(
        ctx.arm.list(SITES, &path, Some(API)).await,
        sub,
        None,
        &[SITE],
    ) else {
        ctx.progress.done(&format!("app service {sub}"));
        return found;
    };
    // The list leaves `siteConfig` empty: the TLS and FTP settings are the site's `config/web`.
    let paths: Vec<String> = sites
        .iter()
        .map(|s| format!("{}/config/web", s["id"].as_str().unwrap_or_default()))
        .collect();
    let configs = in_order(
        ctx.concurrency,
        paths
            .into_iter()
            .map(|path| async move { ctx.arm.get(CONFIG, &path, Some(API)).await }),
    )
    .await;
    for (s, config) in sites.iter().zip(configs) {
        let Some((id, name, location, tags)) = arm_fields(s) else {
            continue;
        };
        let mut p = Props::default();
        put(&mut p, "https_only", https_only(&s["properties"]));
        put(&mut p, "managed_identity", managed_identity(&s["identity"]));
        match config {
            Ok(c) => {
                let c = &c["properties"];
                put(&mut p, "min_tls_version", string(c, "minTlsVersion"));
                put(&mut p, "ftps_state", string(c, "ftpsState"));
            }
            Err(why) => {
                p.unknown("min_tls_version", why.clone());
                p.unknown("ftps_state", why);
            }
        }
        found
            .resources
            .push(p.into_resource(resource(SITE, id, sub, &location, name, tags)));
    }
    ctx.progress.done(&format!("app service {sub}"));
    found
}

/// `httpsOnly`; no default is stated for an answer without it, so absent is unknown.
fn https_only(props: &Value) -> Result<bool, String> {
    match &props["httpsOnly"] {
        Value::Bool(b) => Ok(*b),
        Value::Null => Err(absent(SITES, "httpsOnly")),
        v => Err(unexpected(SITES, "httpsOnly", v)),
    }
}

fn string(props: &Value, field: &str) -> Result<String, String> {
    match &props[field] {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::Null => Err(absent(CONFIG, field)),
        v => Err(unexpected(CONFIG, field, v)),
    }
}

/// `identity.type`: `SystemAssigned`, `UserAssigned`, both (`SystemAssigned, UserAssigned`) or
/// `None`; a site without `identity` has none.
fn managed_identity(identity: &Value) -> Result<bool, String> {
    match &identity["type"] {
        Value::Null => Ok(false),
        Value::String(t) => Ok(t.split(',').map(str::trim).any(|t| {
            t.eq_ignore_ascii_case("SystemAssigned") || t.eq_ignore_ascii_case("UserAssigned")
        })),
        v => Err(unexpected(SITES, "identity.type", v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn site_fields() {
        assert!(https_only(&json!({"httpsOnly": true})).unwrap());
        assert!(https_only(&json!({})).is_err());
        assert!(managed_identity(&json!({"type": "SystemAssigned, UserAssigned"})).unwrap());
        assert!(managed_identity(&json!({"type": "UserAssigned"})).unwrap());
        assert!(!managed_identity(&json!({"type": "None"})).unwrap());
        assert!(!managed_identity(&Value::Null).unwrap());
        assert_eq!(
            string(&json!({"ftpsState": "FtpsOnly"}), "ftpsState").unwrap(),
            "FtpsOnly"
        );
        assert!(string(&json!({}), "minTlsVersion").is_err());
    }
}
