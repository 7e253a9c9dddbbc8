//! Cloud Storage: the buckets of one project, through the JSON API, with their IAM policies.

use serde_json::Value;

use super::Ctx;
use crate::collect::{resource, Found, Props};

pub(crate) const BUCKET: &str = "gcp.storage.bucket";

/// The IAM members that make a bucket public.
const PUBLIC: [&str; 2] = ["allUsers", "allAuthenticatedUsers"];

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let rest = &ctx.clients.storage;
    let mut found = Found::default();
    let mut buckets = Vec::new();
    let mut token = String::new();
    loop {
        let mut query = vec![("project", project), ("maxResults", "1000")];
        if !token.is_empty() {
            query.push(("pageToken", token.as_str()));
        }
        match rest
            .get("storage.buckets.list", "/storage/v1/b", &query)
            .await
        {
            Ok(page) => {
                if let Some(items) = page.get("items").and_then(Value::as_array) {
                    buckets.extend(items.iter().cloned());
                }
                match page.get("nextPageToken").and_then(Value::as_str) {
                    Some(t) if !t.is_empty() && t != token => token = t.to_string(),
                    _ => break,
                }
            }
            Err(why) => {
                found.gap(project, None, &[BUCKET], why);
                ctx.progress.done(&format!("storage {project}"));
                return found;
            }
        }
    }
    for b in buckets {
        let Some(name) = b.get("name").and_then(Value::as_str).map(str::to_string) else {
            continue;
        };
        let mut p = Props::default();
        bucket_settings(&b, &mut p);
        let path = format!("/storage/v1/b/{}/iam", encode(&name));
        let iam = rest
            .get(
                "storage.buckets.getIamPolicy",
                &path,
                &[("optionsRequestedPolicyVersion", "3")],
            )
            .await;
        match iam {
            Ok(policy) => p.set("public_members", public_members(&policy)),
            Err(why) => p.unknown("public_members", why),
        }
        let region = b
            .get("location")
            .and_then(Value::as_str)
            .map_or_else(|| "global".to_string(), str::to_ascii_lowercase);
        let tags = b
            .get("labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        found.resources.push(p.into_resource(resource(
            BUCKET,
            format!("//storage.googleapis.com/projects/_/buckets/{name}"),
            project,
            &region,
            name,
            tags,
        )));
    }
    ctx.progress.done(&format!("storage {project}"));
    found
}

/// The settings of a bucket resource; absent fields take the API's documented defaults.
fn bucket_settings(b: &Value, p: &mut Props) {
    let key = b
        .pointer("/encryption/defaultKmsKeyName")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    p.set("default_kms_key", key.map_or(Value::Null, Value::from));
    p.set(
        "uniform_bucket_level_access",
        b.pointer("/iamConfiguration/uniformBucketLevelAccess/enabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    );
    let pap = b
        .pointer("/iamConfiguration/publicAccessPrevention")
        .and_then(Value::as_str)
        .unwrap_or("inherited");
    // `unspecified` is the older name of `inherited`.
    p.set(
        "public_access_prevention",
        if pap == "unspecified" {
            "inherited"
        } else {
            pap
        },
    );
    p.set(
        "versioning_enabled",
        b.pointer("/versioning/enabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    );
    // int64 values arrive as JSON strings.
    let retention = b.pointer("/retentionPolicy/retentionPeriod").and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse::<i64>().ok()))
    });
    p.set(
        "retention_period_seconds",
        retention.map_or(Value::Null, Value::from),
    );
    p.set(
        "logging_enabled",
        b.pointer("/logging/logBucket")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty()),
    );
}

fn public_members(policy: &Value) -> Vec<String> {
    let mut out: Vec<String> = policy
        .get("bindings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|b| b.get("members").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .filter(|m| PUBLIC.contains(m))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A path segment, with the unreserved characters of bucket names left as they are.
fn encode(segment: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()
}
