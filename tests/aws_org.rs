//! AWS Organizations against moto: a management account and 12 member accounts, each seeded
//! through assumed-role credentials with known violations; one member whose role the scanner
//! may not assume (an explicit Deny on the scanner, with IAM enforcement on); the same
//! organization read whole, and as 3 shards merged, gives exactly the same verdicts.
//!
//! moto isolates the resources of each account (cloud-facts.md). With IAM enforcement on, moto
//! also refuses some signed calls of the member roles (EFS, Backup, Lambda answer
//! `SignatureDoesNotMatch` there); those become gaps in every account alike and are left alone:
//! what this file asserts is the organization's shape, not those services.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use aws_config::SdkConfig;
use aws_sdk_sts::config::Credentials;
use common::moto::Moto;
use serde_json::Value;

const ROLE: &str = "HipaaScanAudit";
const EXTERNAL_ID: &str = "hipaa-ext-7f3a";
const MEMBERS: usize = 12;
const TLS_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
  "Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

struct Org {
    management: String,
    members: Vec<String>,
    /// The member whose role the scanner is denied.
    denied: String,
    key: String,
    secret: String,
}

async fn member_conf(moto: &Moto, mgmt: &SdkConfig, account: &str) -> SdkConfig {
    let sts = aws_sdk_sts::Client::new(mgmt);
    let out = sts
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("seed")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let creds = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        None,
        "assumed",
    );
    mgmt.to_builder()
        .endpoint_url(&moto.url)
        .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(creds))
        .build()
}

/// Member `i`: its audit role (trusting the management account with the external ID), a
/// bucket `phi-<account>` without a TLS-only policy, for even `i` a bucket `safe-<account>`
/// with one, and a console user `dev-<i>` without MFA.
async fn seed_member(moto: &Moto, mgmt: &SdkConfig, management: &str, account: &str, i: usize) {
    let conf = member_conf(moto, mgmt, account).await;
    let iam = aws_sdk_iam::Client::new(&conf);
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{management}:root"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"{EXTERNAL_ID}"}}}}}}]}}"#
    );
    iam.create_role()
        .role_name(ROLE)
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name(ROLE)
        .policy_arn("arn:aws:iam::aws:policy/SecurityAudit")
        .send()
        .await
        .unwrap();
    let user = format!("dev-{i}");
    iam.create_user().user_name(&user).send().await.unwrap();
    iam.create_login_profile()
        .user_name(&user)
        .password("Correct-Horse-9-Battery")
        .send()
        .await
        .unwrap();
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&conf)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket()
        .bucket(format!("phi-{account}"))
        .send()
        .await
        .unwrap();
    if i.is_multiple_of(2) {
        let safe = format!("safe-{account}");
        s3.create_bucket().bucket(&safe).send().await.unwrap();
        s3.put_bucket_policy()
            .bucket(&safe)
            .policy(TLS_ONLY.replace("BUCKET", &safe))
            .send()
            .await
            .unwrap();
    }
    // moto makes an account's default VPC (and its ACL, security group) on the first EC2
    // call there; make it now, so every scan below reads the same estate.
    aws_sdk_ec2::Client::new(&conf)
        .describe_vpcs()
        .send()
        .await
        .unwrap();
}

async fn seed(moto: &Moto) -> Org {
    let mgmt = moto.sdk("AKIAMANAGEMENT", "seed").await;
    let org = aws_sdk_organizations::Client::new(&mgmt);
    org.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let management = aws_sdk_sts::Client::new(&mgmt)
        .get_caller_identity()
        .send()
        .await
        .unwrap()
        .account()
        .unwrap()
        .to_string();
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let out = org
            .create_account()
            .email(format!("member{i}@example.com"))
            .account_name(format!("member-{i}"))
            .send()
            .await
            .unwrap();
        let account = out
            .create_account_status()
            .unwrap()
            .account_id()
            .unwrap()
            .to_string();
        seed_member(moto, &mgmt, &management, &account, i).await;
        members.push(account);
    }
    aws_sdk_ec2::Client::new(&mgmt)
        .describe_vpcs()
        .send()
        .await
        .unwrap();
    let denied = members[5].clone();
    // The scanner: everything, except assuming the audit role in one member.
    let iam = aws_sdk_iam::Client::new(&mgmt);
    iam.create_user().user_name("scanner").send().await.unwrap();
    iam.put_user_policy()
        .user_name("scanner")
        .policy_name("scan-but-not-one-member")
        .policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}},
                {{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::{denied}:role/{ROLE}"}}]}}"#
        ))
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name("scanner")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let org = Org {
        management,
        members,
        denied,
        key: key.access_key_id().to_string(),
        secret: key.secret_access_key().to_string(),
    };
    moto.enforce_iam();
    org
}

struct Out {
    code: i32,
    stderr: String,
}

fn run(moto: &Moto, org: &Org, dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("AWS_ACCESS_KEY_ID", &org.key)
        .env("AWS_SECRET_ACCESS_KEY", &org.secret)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("MOTO_URL", &moto.url)
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// `scan aws --organization` with the org's flags plus `extra`, writing `json=<name>`.
fn scan_org(moto: &Moto, org: &Org, dir: &Path, name: &str, extra: &[&str]) -> (i32, Value) {
    let output = format!("json={name}");
    let mut args = vec![
        "scan",
        "aws",
        "--endpoint-url",
        &moto.url,
        "--region",
        "us-east-1",
        "--organization",
        "--assume-role",
        ROLE,
        "--external-id",
        EXTERNAL_ID,
        "--format",
        "json",
        "--output",
        &output,
    ];
    args.extend_from_slice(extra);
    let out = run(moto, org, dir, &args);
    (out.code, read(&dir.join(name), &out.stderr))
}

fn read(path: &Path, stderr: &str) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}\n{stderr}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Every verdict as (policy, account, resource id, outcome), with its multiplicity. Reasons are
/// left out: an AccessDenied names the STS session, which names the time of the scan.
fn verdicts(result: &Value) -> BTreeMap<(String, String, String, String), usize> {
    let mut out = BTreeMap::new();
    for v in result["verdicts"].as_array().unwrap() {
        let key = (
            v["policy"].as_str().unwrap().to_string(),
            v["resource"]["account"].as_str().unwrap().to_string(),
            v["resource"]["id"].as_str().unwrap().to_string(),
            v["outcome"].as_str().unwrap().to_string(),
        );
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

fn outcome(result: &Value, policy: &str, name: &str) -> Vec<(String, String)> {
    result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["policy"] == policy && v["resource"]["name"] == name)
        .map(|v| {
            (
                v["resource"]["account"].as_str().unwrap().to_string(),
                v["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn accounts(result: &Value) -> BTreeSet<String> {
    result["accounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no accounts in the result"))
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organization_whole_and_sharded_gives_the_same_verdicts() {
    let moto = Moto::start();
    let org = seed(&moto).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // One job: every account. No gate, but the denied member is not evaluated: exit 3.
    let (code, whole) = scan_org(&moto, &org, d, "whole.json", &["--fail-on", "none"]);
    assert_eq!(code, 3, "{}", whole["gate"]);
    assert_eq!(whole["complete"], false);
    let every: BTreeSet<String> = std::iter::once(&org.management)
        .chain(&org.members)
        .map(|a| format!("aws/{a}"))
        .collect();
    assert_eq!(accounts(&whole), every);
    assert!(whole["shard"].is_null());
    assert!(whole["policy_digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));

    // The denied member is one gap over every AWS kind, naming sts:AssumeRole and the denial.
    let gaps = whole["inventory"]["gaps"].as_array().unwrap();
    let denied_gaps: Vec<&Value> = gaps.iter().filter(|g| g["account"] == org.denied).collect();
    assert_eq!(denied_gaps.len(), 1, "{denied_gaps:?}");
    assert_eq!(denied_gaps[0]["kinds"], serde_json::json!(["aws.*"]));
    let reason = denied_gaps[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("sts:AssumeRole: AccessDenied")
            && reason.contains(&format!("arn:aws:iam::{}:role/{ROLE}", org.denied)),
        "{reason}"
    );
    // Nothing of the denied member was read, so nothing of it passes or fails.
    for v in whole["verdicts"].as_array().unwrap() {
        if v["resource"]["account"] == org.denied {
            assert_eq!(v["outcome"], "not_evaluated", "{v}");
        }
    }
    // No other account is a whole-account gap.
    assert_eq!(
        gaps.iter()
            .filter(|g| g["kinds"] == serde_json::json!(["aws.*"]))
            .count(),
        1
    );

    // Exact verdicts of the seeded violations, account by account.
    for (i, account) in org.members.iter().enumerate() {
        let read = account != &org.denied;
        let expect = |outcome: &str| {
            if read {
                vec![(account.clone(), outcome.to_string())]
            } else {
                Vec::new()
            }
        };
        assert_eq!(
            outcome(&whole, "aws-s3-tls-only", &format!("phi-{account}")),
            expect("fail"),
            "member {i}"
        );
        assert_eq!(
            outcome(&whole, "aws-s3-tls-only", &format!("safe-{account}")),
            if i.is_multiple_of(2) {
                expect("pass")
            } else {
                Vec::new()
            },
            "member {i}"
        );
        assert_eq!(
            outcome(&whole, "aws-iam-user-console-mfa", &format!("dev-{i}")),
            expect("fail"),
            "member {i}"
        );
        // Each account's root is judged in that account (moto reports no root MFA anywhere).
        assert_eq!(
            outcome(&whole, "aws-iam-root-mfa", account),
            expect("fail"),
            "member {i}"
        );
    }
    // The management account is read with its own credentials: its account resource is there,
    // and no member's bucket shows up in it.
    assert_eq!(
        outcome(&whole, "aws-iam-root-mfa", &org.management),
        vec![(org.management.clone(), "fail".to_string())]
    );
    for v in whole["verdicts"].as_array().unwrap() {
        let name = v["resource"]["name"].as_str().unwrap();
        if let Some(owner) = name
            .strip_prefix("phi-")
            .or_else(|| name.strip_prefix("safe-"))
        {
            assert_eq!(v["resource"]["account"], owner, "{v}");
        }
    }

    // Three shards: disjoint, together every account, each a JSON result with its shard.
    let mut shard_files = Vec::new();
    let mut seen = BTreeSet::new();
    for k in 1..=3 {
        let name = format!("shard-{k}.json");
        let shard = format!("{k}/3");
        let (code, result) = scan_org(&moto, &org, d, &name, &["--shard", &shard]);
        assert!(code == 0 || code == 1 || code == 3, "{code}");
        assert_eq!(result["shard"], shard.as_str());
        for a in accounts(&result) {
            assert!(seen.insert(a.clone()), "{a} in two shards");
        }
        shard_files.push(name);
    }
    assert_eq!(
        seen, every,
        "the shards cover the organization exactly once"
    );

    // Merged, they give exactly the verdicts of the one job, and the same gate.
    let mut args = vec!["merge"];
    args.extend(shard_files.iter().map(String::as_str));
    args.extend([
        "--expect-shards",
        "3",
        "--fail-on",
        "none",
        "--format",
        "json",
        "--output",
        "json=merged.json",
        "--output",
        "sarif=merged.sarif",
    ]);
    let out = run(&moto, &org, d, &args);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let merged = read(&d.join("merged.json"), &out.stderr);
    assert_eq!(verdicts(&merged), verdicts(&whole));
    assert_eq!(merged["summary"], whole["summary"]);
    assert_eq!(accounts(&merged), every);
    assert!(d.join("merged.sarif").is_file());
    // With the default gate both fail on the same findings.
    let (code_whole, _) = scan_org(&moto, &org, d, "whole-gated.json", &[]);
    let mut gated = args.clone();
    gated.retain(|a| *a != "--fail-on" && *a != "none");
    let out = run(&moto, &org, d, &gated);
    assert_eq!(code_whole, 1);
    assert_eq!(out.code, 1, "{}", out.stderr);

    // A missing shard: incomplete, its accounts not evaluated.
    let out = run(
        &moto,
        &org,
        d,
        &[
            "merge",
            "shard-1.json",
            "shard-3.json",
            "--expect-shards",
            "3",
            "--fail-on",
            "none",
            "--format",
            "json",
            "--output",
            "json=partial.json",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("shard 2/3"), "{}", out.stderr);
    let partial = read(&d.join("partial.json"), &out.stderr);
    assert_eq!(partial["complete"], false);
    assert!(
        partial["inventory"]["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["account"] == "shard 2/3" && g["kinds"] == serde_json::json!(["aws.*"])),
        "{}",
        partial["inventory"]["gaps"]
    );

    // Overlapping shards are refused, naming the file.
    let out = run(
        &moto,
        &org,
        d,
        &["merge", "shard-1.json", "shard-2.json", "shard-1.json"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("shard-1.json") && out.stderr.contains("overlapping"),
        "{}",
        out.stderr
    );
    // So is a whole result merged with a shard of the same organization.
    let out = run(&moto, &org, d, &["merge", "whole.json", "shard-2.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("overlapping") || out.stderr.contains("not a shard"));

    // Another policy set (here, other ePHI scope rules) is refused.
    std::fs::write(
        d.join("other.yaml"),
        "scope:\n  accounts: [\"111111111111\"]\n",
    )
    .unwrap();
    let mut other = vec!["merge", "--config", "other.yaml"];
    other.extend(shard_files.iter().map(String::as_str));
    let out = run(&moto, &org, d, &other);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("policy set"), "{}", out.stderr);

    // Another tool version is refused.
    let mut doc = read(&d.join("shard-2.json"), "");
    doc["tool"]["version"] = "0.0.1".into();
    std::fs::write(d.join("old.json"), doc.to_string()).unwrap();
    let out = run(&moto, &org, d, &["merge", "shard-1.json", "old.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("old.json") && out.stderr.contains("tool.version"),
        "{}",
        out.stderr
    );

    // --accounts and --exclude-accounts choose members; an ID the organization does not hold
    // is a gap, not silently dropped.
    let pick = format!("{},{},999999999999", org.members[0], org.members[1]);
    let (code, chosen) = scan_org(
        &moto,
        &org,
        d,
        "chosen.json",
        &[
            "--accounts",
            &pick,
            "--exclude-accounts",
            &org.members[1],
            "--fail-on",
            "none",
        ],
    );
    assert_eq!(code, 3);
    assert_eq!(
        accounts(&chosen),
        [&org.members[0], &"999999999999".to_string()]
            .iter()
            .map(|a| format!("aws/{a}"))
            .collect()
    );
    let gap = chosen["inventory"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["account"] == "999999999999")
        .cloned()
        .unwrap();
    assert!(
        gap["reason"]
            .as_str()
            .unwrap()
            .contains("not an ACTIVE account of the organization"),
        "{gap}"
    );
}

#[test]
fn bad_flags_and_unmergeable_results_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = common::demo();
    let demo = demo.to_str().unwrap();
    let bad = |args: &[&str], needle: &str| {
        let run = common::hipaa_scan(args, d);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    };
    bad(&["scan", "aws", "--shard", "0/3"], "not a shard");
    bad(&["scan", "aws", "--shard", "4/3"], "not a shard");
    bad(&["scan", "aws", "--job-index", "4/4"], "not a job index");
    bad(
        &["scan", "aws", "--job-index", "0/4", "--shard", "1/4"],
        "--shard",
    );
    bad(&["scan", "aws", "--assume-role", "R"], "--organization");
    bad(&["scan", "aws", "--organization"], "--assume-role");
    bad(&["scan", "--snapshot", demo, "--shard", "1/2"], "--shard");
    bad(&["merge"], "RESULT.json");
    bad(&["merge", "missing.json"], "missing.json");

    // A snapshot scan's result embeds no inventory unless asked.
    let plain = common::hipaa_scan(
        &["scan", "--snapshot", demo, "--output", "json=plain.json"],
        d,
    );
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    bad(&["merge", "plain.json"], "plain.json");
    let embedded = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo,
            "--embed-inventory",
            "--fail-on",
            "none",
            "--output",
            "json=embedded.json",
        ],
        d,
    );
    assert_eq!(embedded.code, 3, "{}", embedded.stderr);
    // One embedded result merged alone is the same scan again.
    let merged = common::hipaa_scan(
        &[
            "merge",
            "embedded.json",
            "--fail-on",
            "none",
            "--output",
            "json=merged.json",
        ],
        d,
    );
    assert_eq!(merged.code, 3, "{}", merged.stderr);
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("embedded.json")).unwrap()).unwrap();
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("merged.json")).unwrap()).unwrap();
    assert_eq!(verdicts(&a), verdicts(&b));
    assert_eq!(a["summary"], b["summary"]);
    // Without --expect-shards' shards on the results, the count cannot be checked.
    bad(
        &["merge", "embedded.json", "--expect-shards", "2"],
        "no result names a shard",
    );
    std::fs::write(d.join("junk.json"), "{\"tool\": 3}").unwrap();
    bad(&["merge", "junk.json"], "junk.json");
}
