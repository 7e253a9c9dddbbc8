//! The README's AWS call list is generated from the adapter's service tables (`hipaa-scan docs`,
//! checked in tests/cli.rs), so the IAM policy it recommends is complete only if the tables are:
//! every call the adapter names and makes must be in a table, and every call in a table must be
//! one the adapter makes.

mod common;

use std::collections::BTreeSet;

/// `GetBucketLocation` → `get_bucket_location`, `DescribeDBInstances` → `describe_db_instances`:
/// the SDK's method for an operation.
fn snake(op: &str) -> String {
    let chars: Vec<char> = op.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || next_lower {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `svc:Operation` names quoted in the adapter's code (error reasons name the IAM action).
fn quoted_calls(text: &str) -> Vec<String> {
    let mut calls = Vec::new();
    for (i, _) in text.match_indices('"') {
        let rest = &text[i + 1..];
        let Some(end) = rest.find('"') else { continue };
        let name = &rest[..end];
        let Some((svc, op)) = name.split_once(':') else {
            continue;
        };
        // `aws:SourceVpce` and the like are condition keys, not calls.
        let is_call = !svc.is_empty()
            && svc != "aws"
            && svc
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && op.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && op.chars().all(|c| c.is_ascii_alphanumeric());
        if is_call {
            calls.push(name.to_string());
        }
    }
    calls
}

#[test]
fn snake_case_follows_the_sdk() {
    assert_eq!(snake("DescribeDBInstances"), "describe_db_instances");
    assert_eq!(snake("ListMFADevices"), "list_mfa_devices");
    assert_eq!(snake("DescribeSSLPolicies"), "describe_ssl_policies");
    assert_eq!(snake("GetBucketLocation"), "get_bucket_location");
}

#[test]
fn the_service_tables_name_every_aws_call_and_only_calls_made() {
    // Every adapter file, in the modules' own folders too; unit tests quote policy documents,
    // and only the adapter code makes calls.
    let code: String = common::rust_sources(&common::root().join("crates/aws/src"))
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let made = |call: &str| {
        let op = call.split_once(':').map(|(_, op)| op).unwrap_or_default();
        code.contains(&format!(".{}(", snake(op)))
    };
    let tables: BTreeSet<String> = hipaa_scan::aws::reads()
        .iter()
        .flat_map(|r| r.calls.iter().map(|c| c.to_string()))
        .collect();

    // Named and made, but in no table: the README would not ask for it. (Names that are only
    // judged, such as `kms:Decrypt` in a policy document, are not made.)
    let named: BTreeSet<String> = quoted_calls(&code).into_iter().collect();
    assert!(
        named.len() > 30,
        "found only {} calls: the scan of crates/aws/src is broken",
        named.len()
    );
    let missing: Vec<&String> = named
        .iter()
        .filter(|c| made(c) && !tables.contains(*c))
        .collect();
    assert!(missing.is_empty(), "in no service table: {missing:?}");

    // In a table, but neither made nor named: the README would ask for too much.
    let stale: Vec<&String> = tables
        .iter()
        .filter(|c| !made(c) && !named.contains(*c))
        .collect();
    assert!(stale.is_empty(), "in a table but not made: {stale:?}");
}

/// The text of an adapter's code, its unit tests (inline `mod tests { ... }` at a file's end,
/// or files of their own) and its service table left out: what the calls in a table must be
/// found in.
fn adapter_code(cloud: &str) -> String {
    common::rust_sources(&common::root().join(format!("crates/{cloud}/src")))
        .iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name != "services.rs" && name != "tests.rs" && !name.ends_with("_tests.rs")
        })
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.split("#[cfg(test)]\nmod tests {")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Google Cloud names its calls as the permission or method they need
/// (`cloudsql.instances.list`), and the adapter names the same in the reasons it writes: a
/// table entry the code never names is a call no longer made, and the README would ask for it.
#[cfg(feature = "gcp")]
#[test]
fn every_call_in_the_gcp_tables_is_named_by_the_code() {
    let code = adapter_code("gcp");
    let calls: Vec<&str> = hipaa_scan::gcp::reads()
        .iter()
        .flat_map(|r| r.calls.iter().copied())
        .collect();
    assert!(calls.len() > 30, "only {} calls in the tables", calls.len());
    let stale: Vec<&&str> = calls.iter().filter(|c| !code.contains(**c)).collect();
    assert!(stale.is_empty(), "in a table but never named: {stale:?}");
}

/// Azure's calls are paths the code builds at run time (`{base}/blobServices/default`): each
/// entry's API version and every fixed segment of its path must be in the code.
#[cfg(feature = "azure")]
#[test]
fn every_call_in_the_azure_tables_is_built_by_the_code() {
    let code = adapter_code("azure");
    let calls: Vec<&str> = hipaa_scan::azure::reads()
        .iter()
        .flat_map(|r| r.calls.iter().copied())
        .collect();
    assert!(calls.len() > 40, "only {} calls in the tables", calls.len());
    let stale: Vec<(&str, Vec<&str>)> = calls
        .iter()
        .map(|c| {
            let (path, version) = match c.split_once(" (") {
                Some((p, v)) => (p, Some(v.trim_end_matches(')'))),
                None => (*c, None),
            };
            let path = path.trim_start_matches("Graph ");
            let absent: Vec<&str> = path
                .split('/')
                .filter(|s| !s.is_empty() && *s != "ID")
                .chain(version)
                .filter(|s| !code.contains(*s))
                .collect();
            (*c, absent)
        })
        .filter(|(_, absent)| !absent.is_empty())
        .collect();
    assert!(stale.is_empty(), "in a table but not built: {stale:?}");
}
