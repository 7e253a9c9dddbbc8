//! S3 buckets: default encryption, TLS-only policy, public access block, versioning, logging.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_s3::Client;
use serde_json::{json, Value};

use super::util::{bounded, code, describe, resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.s3.bucket";

/// The buckets, and the account-wide public access block (also a property of the account).
pub async fn collect(ctx: &Ctx) -> (Found, Result<Value, String>) {
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
                found.gap(
                    &ctx.account,
                    None,
                    &[KIND],
                    describe("s3:ListAllMyBuckets", &e),
                );
                ctx.progress.done("s3");
                return (found, account_public_access_block(ctx).await);
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
    let account_pab = account_public_access_block(ctx).await;
    for mut r in results.into_iter().flatten() {
        match &account_pab {
            Ok(v) => {
                r.properties
                    .insert("account_public_access_block".into(), v.clone());
            }
            Err(why) => {
                r.unknown
                    .insert("account_public_access_block".into(), why.clone());
            }
        }
        found.resources.push(r);
    }
    ctx.progress.done("s3");
    (found, account_pab)
}

/// The account-wide S3 public access block (S3 Control), or null when none is set.
async fn account_public_access_block(ctx: &Ctx) -> Result<Value, String> {
    let client = ctx.s3control();
    match client
        .get_public_access_block()
        .account_id(&ctx.account)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .public_access_block_configuration()
            .map_or(Value::Null, |c| {
                json!({
                    "block_public_acls": c.block_public_acls().unwrap_or(false),
                    "ignore_public_acls": c.ignore_public_acls().unwrap_or(false),
                    "block_public_policy": c.block_public_policy().unwrap_or(false),
                    "restrict_public_buckets": c.restrict_public_buckets().unwrap_or(false),
                })
            })),
        Err(e) if code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => Ok(Value::Null),
        Err(e) => Err(describe("s3:GetAccountPublicAccessBlock", &e)),
    }
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
    let (enc, policy, pab, versioning, logging, tagging, acl) = tokio::join!(
        client.get_bucket_encryption().bucket(name).send(),
        client.get_bucket_policy().bucket(name).send(),
        client.get_public_access_block().bucket(name).send(),
        client.get_bucket_versioning().bucket(name).send(),
        client.get_bucket_logging().bucket(name).send(),
        client.get_bucket_tagging().bucket(name).send(),
        client.get_bucket_acl().bucket(name).send(),
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
        Ok(out) => {
            p.set(
                "policy_denies_insecure_transport",
                out.policy().is_some_and(denies_insecure_transport),
            );
            p.set(
                "policy_allows_public",
                out.policy().is_some_and(allows_public),
            );
        }
        Err(e) if code(&e) == Some("NoSuchBucketPolicy") => {
            p.set("policy_denies_insecure_transport", false);
            p.set("policy_allows_public", false);
        }
        Err(e) => {
            let why = describe("s3:GetBucketPolicy", &e);
            p.unknown("policy_denies_insecure_transport", why.clone());
            p.unknown("policy_allows_public", why);
        }
    }
    match acl {
        Ok(out) => p.set(
            "acl_grants_public",
            out.grants().iter().any(|g| {
                g.grantee()
                    .and_then(|gr| gr.uri())
                    .is_some_and(|u| PUBLIC_GROUPS.contains(&u))
            }),
        ),
        Err(e) => p.unknown("acl_grants_public", describe("s3:GetBucketAcl", &e)),
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

/// ACL grantees that make a bucket public: everyone, and every AWS account.
const PUBLIC_GROUPS: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// Condition keys that pin a statement to known callers or networks; a statement for principal
/// `*` restricted by one of them is not public (S3's own definition of a public policy).
const RESTRICTING_KEYS: [&str; 14] = [
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
];

/// Whether a bucket policy allows principal `*` without a condition that restricts the caller.
pub fn allows_public(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return false;
    };
    as_list(doc.get("Statement").unwrap_or(&Value::Null))
        .into_iter()
        .any(|st| {
            let allow = st.get("Effect").and_then(Value::as_str) == Some("Allow");
            let everyone = st.get("Principal").is_some_and(is_everyone);
            let restricted = st
                .get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|ops| {
                    ops.values().filter_map(Value::as_object).any(|keys| {
                        keys.keys()
                            .any(|k| RESTRICTING_KEYS.contains(&k.to_ascii_lowercase().as_str()))
                    })
                });
            allow && everyone && !restricted
        })
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
    use super::{allows_public, denies_insecure_transport};

    #[test]
    fn a_policy_is_public_when_it_allows_everyone_without_pinning_the_caller() {
        let open = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        assert!(allows_public(open));
        let tls_only = open.replace(
            r#""Resource""#,
            r#""Condition":{"Bool":{"aws:SecureTransport":"true"}},"Resource""#,
        );
        assert!(
            allows_public(&tls_only),
            "requiring TLS does not restrict who calls"
        );
        let vpce = open.replace(
            r#""Resource""#,
            r#""Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b"}},"Resource""#,
        );
        assert!(!allows_public(&vpce));
        let org = open.replace(
            r#""Resource""#,
            r#""Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}},"Resource""#,
        );
        assert!(!allows_public(&org));
        let account = open.replace(
            r#""Principal":"*""#,
            r#""Principal":{"AWS":"arn:aws:iam::111122223333:root"}"#,
        );
        assert!(!allows_public(&account));
        assert!(!allows_public(&open.replace("Allow", "Deny")));
    }

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
