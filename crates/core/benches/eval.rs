//! Evaluation throughput: 50 policies over 100,000 synthetic resources.
//!
//! `cargo bench -p hipaa-scan-core --bench eval` (optionally `-- RESOURCES POLICIES`). Prints verdicts per second
//! for the evaluation alone and end to end (with the JSON report), and the process's peak
//! resident memory. The policies go through the real loader and the resources through the real
//! snapshot validator, so nothing here is a shortcut the CLI would not take.

use std::collections::BTreeMap;
use std::time::Instant;

use hipaa_scan_core::baa::Catalog;
use hipaa_scan_core::config::{FailOn, ScopeConfig};
use hipaa_scan_core::engine::evaluate;
use hipaa_scan_core::model::{parse_snapshot, Inventory, Provider, Resource};
use hipaa_scan_core::policy::{load_files, PolicyFile};
use serde_json::json;

/// Conditions of the shapes real policies use: comparisons, membership, null checks,
/// comprehensions over lists of objects, timestamp arithmetic, parameters.
const CONDITIONS: &[&str] = &[
    "resource.default_encryption in ['aws:kms', 'aws:kms:dsse']",
    "resource.policy_denies_insecure_transport",
    "resource.versioning == 'Enabled'",
    "resource.access_logging_enabled",
    "resource.public_access_block != null && resource.public_access_block.block_public_acls && resource.public_access_block.restrict_public_buckets",
    "resource.kms_key_id != null || !resource.in_scope",
    "resource.default_encryption != null && size(resource.default_encryption) > params.n",
    "!(resource.versioning in ['Suspended', 'Disabled']) || resource.tags.exists(k, k == 'backup')",
    "resource.hipaa_eligible && resource.region.startsWith('us-')",
    "resource.name.size() < 63 && !resource.name.contains('..')",
];

fn policy_yaml(i: usize) -> String {
    let cond = CONDITIONS[i % CONDITIONS.len()];
    format!(
        "id: aws-bench-{i}\ntitle: Bench {i}\ndescription: synthetic\ncitations: [\"164.312(a)(2)(iv)\"]\n\
         severity: high\nkinds: [aws.s3.bucket]\nremediation: none\nparams:\n  n: {i}\ncondition: \"{}\"\n",
        cond.replace('"', "\\\"")
    )
}

fn bucket(i: usize) -> Resource {
    let mut tags = BTreeMap::new();
    tags.insert("team".to_string(), format!("t{}", i % 17));
    if i.is_multiple_of(3) {
        tags.insert("phi".to_string(), "true".to_string());
    }
    let props = json!({
        "default_encryption": if i.is_multiple_of(4) { json!("AES256") } else { json!("aws:kms") },
        "kms_key_id": if i.is_multiple_of(4) { json!(null) } else { json!(format!("arn:aws:kms:us-east-1:111122223333:key/{i}")) },
        "policy_denies_insecure_transport": !i.is_multiple_of(5),
        "public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": !i.is_multiple_of(7), "restrict_public_buckets": true},
        "versioning": if i.is_multiple_of(6) { "Suspended" } else { "Enabled" },
        "access_logging_enabled": i.is_multiple_of(2),
    });
    Resource {
        provider: Provider::Aws,
        kind: "aws.s3.bucket".into(),
        id: format!("arn:aws:s3:::bench-bucket-{i}"),
        account: "111122223333".into(),
        region: if i.is_multiple_of(2) {
            "us-east-1".into()
        } else {
            "eu-west-1".into()
        },
        name: format!("bench-bucket-{i}"),
        tags,
        properties: props.as_object().cloned().unwrap_or_default(),
        unknown: BTreeMap::new(),
    }
}

/// Counts the bytes of a report without keeping them.
struct CountingSink(usize);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n_resources = args.first().copied().unwrap_or(100_000);
    let n_policies = args.get(1).copied().unwrap_or(50);

    let files: Vec<PolicyFile> = (0..n_policies)
        .map(|i| PolicyFile {
            name: format!("bench/{i}.yaml"),
            text: policy_yaml(i),
        })
        .collect();
    let t = Instant::now();
    let policies =
        load_files(&[], &files, &BTreeMap::new(), "<bench>").expect("bench policies load");
    let load = t.elapsed();

    let mut inv = Inventory::new("2026-11-20T08:00:00Z".parse().unwrap(), "bench");
    inv.resources = (0..n_resources).map(bucket).collect();
    let text = serde_json::to_string(&inv).unwrap();
    let t = Instant::now();
    let inv = parse_snapshot(&text, "bench.json").expect("bench snapshot is valid");
    let parse = t.elapsed();
    drop(text);

    let catalog = Catalog::builtin().unwrap();
    let scope = ScopeConfig::default();
    // Warm-up, then the best of three.
    let _ = evaluate(&inv, &policies, &scope, &catalog);
    let mut best = f64::MAX;
    let mut evaluation = None;
    for _ in 0..3 {
        let t = Instant::now();
        let e = evaluate(&inv, &policies, &scope, &catalog);
        best = best.min(t.elapsed().as_secs_f64());
        evaluation = Some(e);
    }
    let evaluation = evaluation.unwrap();
    let verdicts = evaluation.verdicts.len();
    assert_eq!(
        verdicts,
        n_resources * n_policies,
        "every policy judged every bucket"
    );
    let fails = evaluation
        .verdicts
        .iter()
        .filter(|v| v.outcome == hipaa_scan_core::engine::Outcome::Fail)
        .count();

    let map = hipaa_scan_core::baa::inheritance_map(&catalog, &inv, &evaluation.in_scope);
    let scan = hipaa_scan_core::results::Scan::new(
        &inv,
        &policies,
        &evaluation,
        &map,
        FailOn::default(),
        "bench".into(),
    );
    let t = Instant::now();
    let mut sink = CountingSink(0);
    hipaa_scan_core::report::json::write(&scan, &mut sink).unwrap();
    let report = t.elapsed();

    println!("resources:            {n_resources}");
    println!(
        "policies:             {n_policies} (loaded and compiled in {:.1} ms)",
        load.as_secs_f64() * 1e3
    );
    println!("snapshot parse+check: {:.0} ms", parse.as_secs_f64() * 1e3);
    println!("verdicts:             {verdicts} ({fails} fail)");
    println!(
        "evaluation:           {:.3} s, {:.0} verdicts/s (best of 3, {} threads)",
        best,
        verdicts as f64 / best,
        rayon::current_num_threads()
    );
    println!(
        "JSON report:          {:.2} s, {:.0} MiB streamed",
        report.as_secs_f64(),
        sink.0 as f64 / 1048576.0
    );
    if let Some(mib) = peak_rss_mib() {
        println!("peak RSS:             {mib:.0} MiB");
    }
}
