//! S3 buckets: default encryption, TLS-only policy, public access block, versioning, logging.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_s3::Client;
use serde_json::{json, Value};

use hipaa_scan_core::iam_doc;

use super::util::{all, bounded, code, describe, resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.s3.bucket";

/// The buckets, and the account-wide public access block (also a property of the account).
pub async fn collect(ctx: &Ctx) -> (Found, Result<Value, String>) {
    let mut found = Found::default();
    let client = ctx.s3(&ctx.home_region);
    let listed = all(
        "s3:ListAllMyBuckets",
        client
            .list_buckets()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(buckets) = found.listed(listed, &ctx.account, None, &[KIND]) else {
        ctx.progress.done("s3");
        return (found, account_public_access_block(ctx).await);
    };
    let names: Vec<(String, Option<String>)> = buckets
        .iter()
        .filter_map(|b| {
            let name = b.name()?;
            Some((name.to_string(), b.bucket_region().map(str::to_string)))
        })
        .collect();
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
    let (account_pab, access_points) =
        tokio::join!(account_public_access_block(ctx), public_access_points(ctx));
    for mut r in results.into_iter().flatten() {
        // Access points grant object access of their own: a public one exposes the bucket.
        match &access_points {
            Ok(public) => {
                let names: Vec<&str> = public
                    .iter()
                    .filter(|(bucket, _)| *bucket == r.name)
                    .map(|(_, ap)| ap.as_str())
                    .collect();
                r.properties
                    .insert("access_points_public".into(), json!(names));
            }
            Err(why) => {
                r.unknown.insert("access_points_public".into(), why.clone());
            }
        }
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

/// The account's access points that are public, as (bucket, access point name), in every region
/// the scan reads: an access point open to the internet (not `VPC` origin) whose policy is
/// public by S3's definition (the same reading as bucket policies). An access point whose
/// policy cannot be read makes the answer unknown, never "not public".
async fn public_access_points(ctx: &Ctx) -> Result<Vec<(String, String)>, String> {
    let mut seen = std::collections::HashSet::new();
    let mut public = Vec::new();
    for region in &ctx.regions {
        let client = ctx.s3control_in(region);
        let mut token: Option<String> = None;
        loop {
            let out = client
                .list_access_points()
                .account_id(&ctx.account)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| describe("s3:ListAccessPoints", &e))?;
            for ap in out.access_point_list() {
                let key = ap
                    .access_point_arn()
                    .map_or_else(|| format!("{region}/{}", ap.name()), str::to_string);
                if !seen.insert(key) || ap.network_origin().as_str() == "VPC" {
                    continue;
                }
                let policy = match client
                    .get_access_point_policy()
                    .account_id(&ctx.account)
                    .name(ap.name())
                    .send()
                    .await
                {
                    Ok(p) => p.policy().map(str::to_string),
                    Err(e) if code(&e) == Some("NoSuchAccessPointPolicy") => None,
                    Err(e) => return Err(describe("s3:GetAccessPointPolicy", &e)),
                };
                if let Some(text) = policy {
                    let doc = iam_doc::parse(&text).map_err(|why| {
                        format!("s3:GetAccessPointPolicy: access point {}: {why}", ap.name())
                    })?;
                    if doc.is_public() {
                        public.push((ap.bucket().to_string(), ap.name().to_string()));
                    }
                }
            }
            match out.next_token().filter(|t| !t.is_empty()) {
                Some(t) if token.as_deref() == Some(t) => {
                    return Err("s3:ListAccessPoints: the next token repeats".into())
                }
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
        }
    }
    Ok(public)
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
) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    let (enc, policy, status, pab, versioning, logging, tagging, acl, lock, replication) = tokio::join!(
        client.get_bucket_encryption().bucket(name).send(),
        client.get_bucket_policy().bucket(name).send(),
        client.get_bucket_policy_status().bucket(name).send(),
        client.get_public_access_block().bucket(name).send(),
        client.get_bucket_versioning().bucket(name).send(),
        client.get_bucket_logging().bucket(name).send(),
        client.get_bucket_tagging().bucket(name).send(),
        client.get_bucket_acl().bucket(name).send(),
        client.get_object_lock_configuration().bucket(name).send(),
        client.get_bucket_replication().bucket(name).send(),
    );
    match lock {
        Ok(out) => p.set(
            "object_lock_enabled",
            out.object_lock_configuration()
                .and_then(|c| c.object_lock_enabled())
                .is_some_and(|e| e.as_str() == "Enabled"),
        ),
        // A bucket created without Object Lock has no configuration.
        Err(e) if code(&e) == Some("ObjectLockConfigurationNotFoundError") => {
            p.set("object_lock_enabled", false)
        }
        Err(e) => p.unknown(
            "object_lock_enabled",
            describe("s3:GetBucketObjectLockConfiguration", &e),
        ),
    }
    match replication {
        Ok(out) => p.set(
            "replication_enabled",
            out.replication_configuration().is_some_and(|c| {
                c.rules()
                    .iter()
                    .any(|r| r.status().as_str() == "Enabled" && r.destination().is_some())
            }),
        ),
        Err(e) if code(&e) == Some("ReplicationConfigurationNotFoundError") => {
            p.set("replication_enabled", false)
        }
        Err(e) => p.unknown(
            "replication_enabled",
            describe("s3:GetReplicationConfiguration", &e),
        ),
    }
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
    let arn = format!("arn:aws:s3:::{name}");
    // S3's own evaluator, where it answers: IsPublic.
    let aws_says_public = match status {
        Ok(out) => out.policy_status().and_then(|s| s.is_public()),
        Err(e) if code(&e) == Some("NoSuchBucketPolicy") => Some(false),
        Err(e) => {
            p.unknown(
                "policy_status_public",
                describe("s3:GetBucketPolicyStatus", &e),
            );
            None
        }
    };
    if let Some(public) = aws_says_public {
        p.set("policy_status_public", public);
    }
    let document = match policy {
        Ok(out) => match out.policy() {
            Some(text) => iam_doc::parse(text)
                .map(Some)
                .map_err(|why| format!("s3:GetBucketPolicy: {why}")),
            None => Ok(None),
        },
        Err(e) if code(&e) == Some("NoSuchBucketPolicy") => Ok(None),
        Err(e) => Err(describe("s3:GetBucketPolicy", &e)),
    };
    match &document {
        Ok(doc) => p.set(
            "policy_denies_insecure_transport",
            doc.as_ref()
                .is_some_and(|d| d.denies_insecure_transport(&arn)),
        ),
        Err(why) => p.unknown("policy_denies_insecure_transport", why.clone()),
    }
    // Public when either S3 or the reading of the document says so; unknown only when
    // neither could decide.
    match (&document, aws_says_public) {
        (Ok(doc), status) => p.set(
            "policy_allows_public",
            doc.as_ref().is_some_and(iam_doc::Document::is_public) || status == Some(true),
        ),
        (Err(_), Some(public)) => p.set("policy_allows_public", public),
        (Err(why), None) => p.unknown("policy_allows_public", why.clone()),
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
    let tags = p.tags(match tagging {
        Ok(out) => Ok(out
            .tag_set()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect()),
        Err(e) if code(&e) == Some("NoSuchTagSet") => Ok(BTreeMap::new()),
        Err(e) => Err(describe("s3:GetBucketTagging", &e)),
    });
    p.into_resource(resource(KIND, arn, account, region, name.to_string(), tags))
}

/// ACL grantees that make a bucket public: everyone, and every AWS account.
const PUBLIC_GROUPS: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];
