//! Amazon API Gateway REST APIs (v1): each stage's execution logging, response cache and back-end
//! client certificate, and each custom domain name's TLS security policy, in one region.
//!
//! `apigateway:GetRestApis`, then `apigateway:GetStages` for each API. A stage's method settings
//! are the stage-wide `*/*` entry and per-method overrides; the overrides replace the stage-wide
//! values for their method, so a stage that logs `*/*` at `ERROR` with one method set to `OFF`
//! does not log that method. The client certificates' expiry comes from
//! `apigateway:GetClientCertificates`, read once per region and only when a stage names one.
//! Custom domain names come from `apigateway:GetDomainNames`.

use std::collections::HashMap;

use aws_sdk_apigateway::types::{MethodSetting, Stage};
use aws_sdk_apigateway::Client;
use serde_json::{json, Value};

use super::iam::rfc3339;
use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const STAGE: &str = "aws.apigateway.stage";
const DOMAIN: &str = "aws.apigateway.domain_name";

/// The stage-wide key of `methodSettings`.
const ALL_METHODS: &str = "*/*";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = stages(ctx, &client, region).await;
    found.extend(domain_names(ctx, &client, region).await);
    found
}

/// Custom domain names and the TLS security policy their endpoints accept.
async fn domain_names(ctx: &Ctx, client: &Client, region: &str) -> Found {
    let mut found = Found::default();
    let listed = all(
        "apigateway:GetDomainNames",
        client
            .get_domain_names()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(domains) = found.listed(listed, &ctx.account, Some(region), &[DOMAIN]) else {
        return found;
    };
    for d in domains {
        let Some(name) = d.domain_name() else {
            continue;
        };
        let mut p = Props::default();
        match d.security_policy() {
            Some(v) => p.set("security_policy", v.as_str()),
            None => p.unknown(
                "security_policy",
                format!("apigateway:GetDomainNames: the answer had no `securityPolicy` for {name}"),
            ),
        }
        p.set(
            "endpoint_types",
            d.endpoint_configuration()
                .map(|e| e.types().iter().map(|t| t.as_str().to_string()).collect())
                .unwrap_or_else(Vec::<String>::new),
        );
        let arn = d.domain_name_arn().map_or_else(
            || {
                format!(
                    "arn:{}:apigateway:{region}::/domainnames/{name}",
                    ctx.partition()
                )
            },
            str::to_string,
        );
        let tags = d
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        found.resources.push(p.into_resource(resource(
            DOMAIN,
            arn,
            &ctx.account,
            region,
            name.to_string(),
            tags,
        )));
    }
    found
}

/// Every stage of every REST API.
async fn stages(ctx: &Ctx, client: &Client, region: &str) -> Found {
    let mut found = Found::default();
    let apis = all(
        "apigateway:GetRestApis",
        client
            .get_rest_apis()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(apis) = found.listed(apis, &ctx.account, Some(region), &[STAGE]) else {
        return found;
    };
    // Client certificate ID -> expiry, read when a stage first needs it.
    let certificates = tokio::sync::OnceCell::new();
    for api in apis {
        let Some(api_id) = api.id() else { continue };
        let api_name = api.name().unwrap_or(api_id);
        let stages = match client.get_stages().rest_api_id(api_id).send().await {
            Ok(out) => out.item().to_vec(),
            Err(e) => {
                // This API's stages are missing: the region's stages are not all listed.
                found.gap(
                    &ctx.account,
                    Some(region),
                    &[STAGE],
                    describe("apigateway:GetStages", &e),
                );
                continue;
            }
        };
        for stage in stages {
            let Some(stage_name) = stage.stage_name() else {
                continue;
            };
            let mut p = Props::default();
            p.set("rest_api", api_name);
            p.set("method_settings", method_settings(&stage));
            p.set("cache_cluster_enabled", stage.cache_cluster_enabled());
            p.set(
                "access_log_destination",
                stage
                    .access_log_settings()
                    .and_then(|a| a.destination_arn())
                    .filter(|d| !d.is_empty())
                    .map_or(Value::Null, Value::from),
            );
            match stage.client_certificate_id().filter(|c| !c.is_empty()) {
                None => {
                    p.set("client_certificate_id", Value::Null);
                    p.set("client_certificate_expires", Value::Null);
                }
                Some(id) => {
                    p.set("client_certificate_id", id);
                    let known = certificates
                        .get_or_init(|| client_certificates(client))
                        .await;
                    match expiry(known, id) {
                        Ok(v) => p.set("client_certificate_expires", v),
                        Err(why) => p.unknown("client_certificate_expires", why),
                    }
                }
            }
            let tags = stage
                .tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            let arn = format!(
                "arn:{}:apigateway:{region}::/restapis/{api_id}/stages/{stage_name}",
                ctx.partition()
            );
            found.resources.push(p.into_resource(resource(
                STAGE,
                arn,
                &ctx.account,
                region,
                format!("{api_name}/{stage_name}"),
                tags,
            )));
        }
    }
    found
}

/// Every client certificate of the region: ID -> expiry (null when the answer gives none).
async fn client_certificates(client: &Client) -> Result<HashMap<String, Value>, String> {
    let listed = all(
        "apigateway:GetClientCertificates",
        client
            .get_client_certificates()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(listed
        .iter()
        .filter_map(|c| {
            let id = c.client_certificate_id()?.to_string();
            Some((id, c.expiration_date().map_or(Value::Null, rfc3339)))
        })
        .collect())
}

/// The expiry of client certificate `id`; unknown when the list could not be read, lacks the
/// certificate, or gives it no expiry.
pub fn expiry(known: &Result<HashMap<String, Value>, String>, id: &str) -> Result<Value, String> {
    match known {
        Err(why) => Err(why.clone()),
        Ok(map) => match map.get(id) {
            Some(Value::Null) => Err(format!(
                "apigateway:GetClientCertificates: the answer had no `expirationDate` for {id}"
            )),
            Some(v) => Ok(v.clone()),
            None => Err(format!(
                "apigateway:GetClientCertificates: the answer did not include {id}"
            )),
        },
    }
}

/// The method settings in effect: the stage-wide entry first (API Gateway's defaults when the
/// stage has none), then each override in key order. An override without a logging level takes
/// the stage-wide one; its caching flags are its own (the SDK reads an absent flag as false).
pub fn method_settings(stage: &Stage) -> Vec<Value> {
    let settings = stage.method_settings();
    let stage_wide = Setting::stage_wide(settings.and_then(|m| m.get(ALL_METHODS)));
    let mut out = vec![stage_wide.json(ALL_METHODS)];
    if let Some(map) = settings {
        let mut keys: Vec<&String> = map.keys().filter(|k| *k != ALL_METHODS).collect();
        keys.sort();
        for k in keys {
            out.push(stage_wide.overridden_by(&map[k]).json(k));
        }
    }
    out
}

/// What one method setting decides for the checks.
#[derive(Debug, Clone)]
struct Setting {
    logging_level: String,
    caching_enabled: bool,
    cache_encrypted: bool,
}

impl Setting {
    /// The stage-wide setting. Defaults: logging off, cached data unencrypted, and caching on,
    /// since a stage cache caches GET methods unless the settings say otherwise.
    fn stage_wide(m: Option<&MethodSetting>) -> Setting {
        let defaults = Setting {
            logging_level: "OFF".into(),
            caching_enabled: true,
            cache_encrypted: false,
        };
        match m {
            None => defaults,
            Some(m) => defaults.overridden_by(m),
        }
    }

    fn overridden_by(&self, m: &MethodSetting) -> Setting {
        Setting {
            logging_level: m
                .logging_level()
                .map_or_else(|| self.logging_level.clone(), str::to_ascii_uppercase),
            caching_enabled: m.caching_enabled(),
            cache_encrypted: m.cache_data_encrypted(),
        }
    }

    fn json(&self, method: &str) -> Value {
        json!({
            "method": method,
            "logging_level": self.logging_level,
            "caching_enabled": self.caching_enabled,
            "cache_encrypted": self.cache_encrypted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(
        level: Option<&str>,
        caching: Option<bool>,
        encrypted: Option<bool>,
    ) -> MethodSetting {
        MethodSetting::builder()
            .set_logging_level(level.map(str::to_string))
            .set_caching_enabled(caching)
            .set_cache_data_encrypted(encrypted)
            .build()
    }

    fn stage(settings: &[(&str, MethodSetting)]) -> Stage {
        let mut b = Stage::builder().stage_name("prod");
        for (k, v) in settings {
            b = b.method_settings(*k, v.clone());
        }
        b.build()
    }

    #[test]
    fn a_stage_without_settings_has_api_gateways_defaults() {
        assert_eq!(
            method_settings(&Stage::builder().stage_name("prod").build()),
            vec![
                json!({"method": "*/*", "logging_level": "OFF", "caching_enabled": true, "cache_encrypted": false})
            ]
        );
    }

    #[test]
    fn an_override_replaces_the_stage_wide_values_for_its_method() {
        let s = stage(&[
            ("*/*", setting(Some("ERROR"), Some(true), Some(true))),
            // Logging turned off for one method: that method is not logged.
            (
                "~1patients/GET",
                setting(Some("OFF"), Some(true), Some(false)),
            ),
            // An override that names only its throttling keeps the stage-wide logging level.
            ("~1health/GET", setting(None, None, None)),
        ]);
        assert_eq!(
            method_settings(&s),
            vec![
                json!({"method": "*/*", "logging_level": "ERROR", "caching_enabled": true, "cache_encrypted": true}),
                json!({"method": "~1health/GET", "logging_level": "ERROR", "caching_enabled": false, "cache_encrypted": false}),
                json!({"method": "~1patients/GET", "logging_level": "OFF", "caching_enabled": true, "cache_encrypted": false}),
            ]
        );
    }

    #[test]
    fn explicit_stage_wide_caching_off_is_kept() {
        let s = stage(&[("*/*", setting(Some("info"), Some(false), Some(false)))]);
        assert_eq!(
            method_settings(&s),
            vec![
                json!({"method": "*/*", "logging_level": "INFO", "caching_enabled": false, "cache_encrypted": false})
            ]
        );
    }

    #[test]
    fn a_client_certificate_missing_from_the_list_is_unknown() {
        let known: Result<HashMap<String, Value>, String> = Ok([
            ("a".to_string(), json!("2027-01-01T00:00:00Z")),
            ("b".to_string(), Value::Null),
        ]
        .into_iter()
        .collect());
        assert_eq!(expiry(&known, "a"), Ok(json!("2027-01-01T00:00:00Z")));
        assert!(expiry(&known, "b").is_err());
        assert!(expiry(&known, "gone")
            .unwrap_err()
            .contains("did not include gone"));
        let denied = Err("apigateway:GetClientCertificates: AccessDeniedException".to_string());
        assert_eq!(
            expiry(&denied, "a"),
            Err("apigateway:GetClientCertificates: AccessDeniedException".to_string())
        );
    }
}
