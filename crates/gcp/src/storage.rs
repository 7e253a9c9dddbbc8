//! Cloud Storage: the buckets of one project, through the JSON API, with their IAM policies and,
//! for buckets with fine-grained access, their default object ACLs.

use serde_json::Value;

use super::Ctx;
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const BUCKET: &str = "gcp.storage.bucket";

/// The IAM members (and ACL entities) that make a bucket or object public.
const PUBLIC: [&str; 2] = ["allUsers", "allAuthenticatedUsers"];

/// Why object ACLs are not judged on a bucket with fine-grained access.
const OBJECT_ACLS_NOT_READ: &str = "object ACLs are not read: with fine-grained access \
     (uniform bucket-level access off) any object can be made public through its own ACL, and \
     the objects are not enumerated; turn on uniform bucket-level access or enforce public \
     access prevention";

/// The buckets of `project`. The buckets they write usage logs to are noted in the context, so
/// that the scan can mark, across projects, the buckets that receive usage logs.
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
                    // A token that repeats would read the same page forever: a gap.
                    Some(t) if !t.is_empty() && t == token => {
                        found.gap(
                            project,
                            None,
                            &[BUCKET],
                            "storage.buckets.list: the next page token repeats; the list was not read to its end".into(),
                        );
                        ctx.progress.done(&format!("storage {project}"));
                        return found;
                    }
                    Some(t) if !t.is_empty() => token = t.to_string(),
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
        if let Some(target) = log_bucket(&b) {
            if let Ok(mut targets) = ctx.usage_log_targets.lock() {
                targets.insert(target.to_string());
            }
        }
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
        if uniform_access(&b) {
            // ACLs are not evaluated at all: IAM is the only way in.
            p.set("public_default_object_acl", Vec::<String>::new());
            p.set("public_object_acls", false);
        } else {
            // The default object ACL is not reflected in IAM (bucket ACLs are, as legacy roles).
            // Google answers 400 for it on buckets with uniform access, hence only here.
            let path = format!("/storage/v1/b/{}/defaultObjectAcl", encode(&name));
            match rest
                .get("storage.defaultObjectAccessControls.list", &path, &[])
                .await
            {
                Ok(list) => p.set("public_default_object_acl", public_entities(&list)),
                Err(why) => p.unknown("public_default_object_acl", why),
            }
            p.unknown("public_object_acls", OBJECT_ACLS_NOT_READ);
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

/// Uniform bucket-level access is on (absent: off, fine-grained access).
fn uniform_access(b: &Value) -> bool {
    b.pointer("/iamConfiguration/uniformBucketLevelAccess/enabled")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The settings of a bucket resource; absent fields take the API's documented defaults.
fn bucket_settings(b: &Value, p: &mut Props) {
    let key = b
        .pointer("/encryption/defaultKmsKeyName")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    p.set("default_kms_key", key.map_or(Value::Null, Value::from));
    p.set("uniform_bucket_level_access", uniform_access(b));
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
    p.set("logging_enabled", log_bucket(b).is_some());
    // Locking needs a retention policy; `isLocked` absent is unlocked.
    p.set(
        "retention_locked",
        retention.is_some()
            && b.pointer("/retentionPolicy/isLocked")
                .and_then(Value::as_bool)
                .unwrap_or(false),
    );
}

/// The bucket a bucket writes its usage logs to (`logging.logBucket`), if any.
fn log_bucket(b: &Value) -> Option<&str> {
    b.pointer("/logging/logBucket")
        .and_then(Value::as_str)
        .map(|s| s.trim().trim_start_matches("gs://").trim_end_matches('/'))
        .filter(|s| !s.is_empty())
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

/// The public entities (`allUsers`, `allAuthenticatedUsers`) of an ACL list answer
/// (`{"items": [{"entity", "role"}]}`; no `items` is an empty list).
fn public_entities(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("entity").and_then(Value::as_str))
        .filter(|e| PUBLIC.contains(e))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn public_acl_entities() {
        let list = json!({"kind": "storage#objectAccessControls", "items": [
            {"entity": "project-owners-123", "role": "OWNER"},
            {"entity": "allUsers", "role": "READER"},
            {"entity": "allAuthenticatedUsers", "role": "READER"},
            {"entity": "allUsers", "role": "OWNER"},
            {"entity": "user-allUsers@example.com", "role": "READER"},
        ]});
        assert_eq!(
            public_entities(&list),
            vec!["allAuthenticatedUsers", "allUsers"]
        );
        assert!(public_entities(&json!({"kind": "storage#objectAccessControls"})).is_empty());
    }

    #[test]
    fn bucket_defaults() {
        let mut p = Props::default();
        bucket_settings(&json!({"name": "b"}), &mut p);
        let r = p.into_resource(resource(
            BUCKET,
            "id".into(),
            "p",
            "us",
            "b".into(),
            Default::default(),
        ));
        assert_eq!(r.properties["uniform_bucket_level_access"], false);
        assert_eq!(r.properties["versioning_enabled"], false);
        assert_eq!(r.properties["public_access_prevention"], "inherited");
    }
}
