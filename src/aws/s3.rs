//! S3 buckets: default encryption, TLS-only policy, public access block, versioning, logging.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_s3::Client;
use serde_json::{json, Value};

use super::util::{bounded, code, describe, resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.s3.bucket";

pub async fn collect(ctx: &Ctx) -> Found {
    let mut found = Found::default();
    let client = ctx.s3(&ctx.home_region);
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    let mut pages = client.list_buckets().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for b in page.buckets() {
                    if let Some(name) = b.name() {
                        names.push((name.to_string(), b.bucket_region().map(str::to_string)));
                    }
                }
            }
            Err(e) => {
                found.gap(&ctx.account, None, &[KIND], describe("s3:ListBuckets", &e));
                ctx.progress.done("s3");
                return found;
            }
        }
    }
    let clients: HashMap<String, Client> =
        ctx.regions.iter().map(|r| (r.clone(), ctx.s3(r))).collect();
    let home = client.clone();
    let account = ctx.account.clone();
    let regions = ctx.regions.clone();
    let explicit = ctx.explicit_regions;
    let results = bounded(names, ctx.concurrency, move |(name, listed_region)| {
        let home = home.clone();
        let clients = clients.clone();
        let account = account.clone();
        let regions = regions.clone();
        async move {
            let region = match listed_region {
                Some(r) => r,
                None => location(&home, &name)
                    .await
                    .unwrap_or_else(|_| "us-east-1".to_string()),
            };
            if explicit && !regions.contains(&region) {
                return None;
            }
            let client = clients.get(&region).cloned().unwrap_or(home);
            Some(bucket(&client, &account, &name, &region).await)
        }
    })
    .await;
    found.resources.extend(results.into_iter().flatten());
    ctx.progress.done("s3");
    found
}

async fn location(client: &Client, name: &str) -> Result<String, ()> {
    let out = client
        .get_bucket_location()
        .bucket(name)
        .send()
        .await
        .map_err(|_| ())?;
    Ok(match out.location_constraint().map(|l| l.as_str()) {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(other) => other.to_string(),
    })
}

async fn bucket(
    client: &Client,
    account: &str,
    name: &str,
    region: &str,
) -> crate::model::Resource {
    let mut p = Props::default();
    let (enc, policy, pab, versioning, logging, tagging) = tokio::join!(
        client.get_bucket_encryption().bucket(name).send(),
        client.get_bucket_policy().bucket(name).send(),
        client.get_public_access_block().bucket(name).send(),
        client.get_bucket_versioning().bucket(name).send(),
        client.get_bucket_logging().bucket(name).send(),
        client.get_bucket_tagging().bucket(name).send(),
    );
    match enc {
        Ok(out) => {
            let rule = out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default());
            p.set(
                "default_encryption",
                rule.map_or(Value::Null, |r| json!(r.sse_algorithm().as_str())),
            );
            p.set(
                "kms_key_id",
                rule.and_then(|r| r.kms_master_key_id())
                    .map_or(Value::Null, |k| json!(k)),
            );
        }
        // Real S3 answers SSE-S3 for every bucket since 2023; some endpoints still say "none".
        Err(e) if code(&e) == Some("ServerSideEncryptionConfigurationNotFoundError") => {
            p.set("default_encryption", Value::Null);
            p.set("kms_key_id", Value::Null);
        }
        Err(e) => {
            let why = describe("s3:GetEncryptionConfiguration", &e);
            p.unknown("default_encryption", why.clone());
            p.unknown("kms_key_id", why);
        }
    }
    match policy {
        Ok(out) => p.set(
            "policy_denies_insecure_transport",
            out.policy().is_some_and(denies_insecure_transport),
        ),
        Err(e) if code(&e) == Some("NoSuchBucketPolicy") => {
            p.set("policy_denies_insecure_transport", false)
        }
        Err(e) => p.unknown(
            "policy_denies_insecure_transport",
            describe("s3:GetBucketPolicy", &e),
        ),
    }
    match pab {
        Ok(out) => match out.public_access_block_configuration() {
            Some(c) => p.set(
                "public_access_block",
                json!({
                    "block_public_acls": c.block_public_acls().unwrap_or(false),
                    "ignore_public_acls": c.ignore_public_acls().unwrap_or(false),
                    "block_public_policy": c.block_public_policy().unwrap_or(false),
                    "restrict_public_buckets": c.restrict_public_buckets().unwrap_or(false),
                }),
            ),
            None => p.set("public_access_block", Value::Null),
        },
        Err(e) if code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => {
            p.set("public_access_block", Value::Null)
        }
        Err(e) => p.unknown(
            "public_access_block",
            describe("s3:GetBucketPublicAccessBlock", &e),
        ),
    }
    match versioning {
        Ok(out) => p.set(
            "versioning",
            out.status().map_or("Disabled", |s| s.as_str()),
        ),
        Err(e) => p.unknown("versioning", describe("s3:GetBucketVersioning", &e)),
    }
    match logging {
        Ok(out) => p.set("access_logging_enabled", out.logging_enabled().is_some()),
        Err(e) => p.unknown(
            "access_logging_enabled",
            describe("s3:GetBucketLogging", &e),
        ),
    }
    let tags: BTreeMap<String, String> = match tagging {
        Ok(out) => out
            .tag_set()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect(),
        Err(_) => BTreeMap::new(),
    };
    p.into_resource(resource(
        KIND,
        format!("arn:aws:s3:::{name}"),
        account,
        region,
        name.to_string(),
        tags,
    ))
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn is_everyone(principal: &Value) -> bool {
    match principal {
        Value::String(s) => s == "*",
        Value::Object(m) => m
            .get("AWS")
            .is_some_and(|aws| as_list(aws).iter().any(|p| p.as_str() == Some("*"))),
        _ => false,
    }
}

/// Whether a bucket policy denies every request made without TLS: a statement with
/// `Effect: Deny`, principal `*`, action `s3:*` (or `*`) and the condition
/// `Bool`/`BoolIfExists` `aws:SecureTransport` = false.
pub fn denies_insecure_transport(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return false;
    };
    as_list(doc.get("Statement").unwrap_or(&Value::Null))
        .into_iter()
        .any(|st| {
            let deny = st.get("Effect").and_then(Value::as_str) == Some("Deny");
            let everyone = st.get("Principal").is_some_and(is_everyone);
            let all_actions = st.get("Action").is_some_and(|a| {
                as_list(a)
                    .iter()
                    .any(|x| matches!(x.as_str(), Some("s3:*" | "*")))
            });
            let insecure = ["Bool", "BoolIfExists"].iter().any(|op| {
                st.get("Condition")
                    .and_then(|c| c.get(*op))
                    .and_then(|b| b.get("aws:SecureTransport"))
                    .is_some_and(|v| {
                        as_list(v)
                            .iter()
                            .any(|x| x.as_str() == Some("false") || x.as_bool() == Some(false))
                    })
            });
            deny && everyone && all_actions && insecure
        })
}

#[cfg(test)]
mod tests {
    use super::denies_insecure_transport;

    #[test]
    fn recognizes_a_tls_only_policy_and_nothing_weaker() {
        let good = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",
            "Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        assert!(denies_insecure_transport(good));
        let aws_star = good.replace(r#""Principal":"*""#, r#""Principal":{"AWS":["*"]}"#);
        assert!(denies_insecure_transport(&aws_star));
        let only_get = good.replace(r#""Action":"s3:*""#, r#""Action":"s3:GetObject""#);
        assert!(
            !denies_insecure_transport(&only_get),
            "a deny on one action leaves the others open"
        );
        let allow = good.replace("Deny", "Allow");
        assert!(!denies_insecure_transport(&allow));
        let true_cond = good.replace(
            r#""aws:SecureTransport":"false""#,
            r#""aws:SecureTransport":"true""#,
        );
        assert!(!denies_insecure_transport(&true_cond));
        assert!(!denies_insecure_transport("not json"));
    }
}
