//! The Google Cloud adapter against local peers, scanned by the real binary:
//! - Cloud Storage: gcp-storage-emulator (PyPI, pinned in tests/requirements.txt) on 127.0.0.1,
//!   seeded through its JSON API. It stores bucket settings only when they arrive by PATCH, so
//!   buckets are created bare and then patched, as `gcloud storage buckets update` does.
//! - Cloud SQL, Cloud KMS, Resource Manager and the OAuth token endpoint: recorded answers
//!   (tests/recorded/gcp) from a local HTTP server, reached through `--endpoint`.
//!
//! Credentials are Application Default Credentials from an `authorized_user` file whose token URI
//! is the local server, so the real token exchange runs.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::google::{adc, every_api_at};
use common::peer::{route, serve, Peer, Reply, Route};
use common::{set, verdicts};
use serde_json::Value;

fn tools() -> PathBuf {
    PathBuf::from(
        std::env::var_os("HIPAA_SCAN_TEST_TOOLS")
            .expect("run the tests with scripts/test: it installs gcp-storage-emulator"),
    )
}

fn recorded(name: &str) -> String {
    std::fs::read_to_string(common::root().join("tests/recorded/gcp").join(name)).unwrap()
}

/// gcp-storage-emulator on a free port, stopped on drop.
struct Emulator {
    child: Child,
    host: String,
}

impl Emulator {
    fn start() -> Emulator {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(tools().join("gcp-storage-emulator"))
            .args([
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--in-memory",
                "--quiet",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gcp-storage-emulator");
        let emu = Emulator {
            child,
            host: format!("127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while emu.call("GET", "/", "").is_none() {
            assert!(
                Instant::now() < deadline,
                "gcp-storage-emulator did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        emu
    }

    fn call(&self, method: &str, path: &str, body: &str) -> Option<String> {
        let mut s = TcpStream::connect(&self.host).ok()?;
        write!(
            s,
            "{method} {path} HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        )
        .ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        (out.starts_with("HTTP/1.0 200") || out.starts_with("HTTP/1.1 200")).then_some(out)
    }

    fn bucket(&self, name: &str, patch: &str) {
        self.call(
            "POST",
            "/storage/v1/b?project=acme-prod",
            &format!(r#"{{"name":"{name}"}}"#),
        )
        .expect("create bucket");
        self.call("PATCH", &format!("/storage/v1/b/{name}"), patch)
            .expect("patch bucket");
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The recorded Google APIs for project `acme-prod`; `acme-denied` is refused everywhere.
fn google(throttle_first_sql_list: bool) -> Peer {
    let json = |name: &str| Reply::json(200, recorded(name));
    let denied = || vec![Reply::json(403, recorded("permission-denied.json"))];
    let mut sql_first = Vec::new();
    if throttle_first_sql_list {
        sql_first
            .push(Reply::json(429, recorded("resource-exhausted.json")).header("Retry-After", "0"));
    }
    sql_first.push(json("sql-instances-page1.json"));
    let kms = "/v1/projects/acme-prod/locations";
    let ring = format!("{kms}/us-central1/keyRings/phi/cryptoKeys");
    let routes: Vec<Route> = vec![
        route("POST", "/token", vec![json("token.json")]),
        route("GET", "/v3/projects/acme-prod", vec![json("project.json")]),
        route(
            "POST",
            "/v3/projects/acme-prod:getIamPolicy",
            vec![json("project-iam-policy.json")],
        ),
        route(
            "POST",
            "/v3/organizations/433637338589:getIamPolicy",
            vec![json("organization-iam-policy.json")],
        ),
        // The organization's Workspace customer has no user here (tests/gcp_workspace.rs reads
        // some).
        route(
            "GET",
            "/v3/organizations/433637338589",
            vec![json("organization.json")],
        ),
        route(
            "GET",
            "/admin/directory/v1/users",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/v1/projects/acme-prod/instances",
            vec![json("sql-instances-page2.json")],
        )
        .with_query("pageToken=page-2"),
        route("GET", "/v1/projects/acme-prod/instances", sql_first),
        // Services in use: Cloud Asset Inventory in two pages, and the enabled APIs.
        route(
            "GET",
            "/v1/projects/acme-prod:searchAllResources",
            vec![json("asset-search-page2.json")],
        )
        .with_query("pageToken=assets-2"),
        route(
            "GET",
            "/v1/projects/acme-prod:searchAllResources",
            vec![json("asset-search-page1.json")],
        ),
        route(
            "GET",
            "/v1/projects/acme-prod/services",
            vec![json("serviceusage-services.json")],
        )
        .with_query("filter=state:ENABLED"),
        route("GET", kms, vec![json("kms-locations.json")]),
        route(
            "GET",
            format!("{kms}/us-central1/keyRings"),
            vec![json("kms-keyrings-us-central1.json")],
        ),
        route(
            "GET",
            format!("{kms}/europe-west1/keyRings"),
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            format!("{kms}/us-central1/keyRings/phi/cryptoKeys"),
            vec![json("kms-cryptokeys.json")],
        ),
        // The ring's policy is clean; `legacy` is public through its own policy and has a
        // version scheduled for destruction; `signing`'s policy is refused, and its versions
        // come back unfiltered (the state is checked by the scanner too).
        route(
            "GET",
            format!("{kms}/us-central1/keyRings/phi:getIamPolicy"),
            vec![json("kms-keyring-iam-policy.json")],
        ),
        route(
            "GET",
            format!("{ring}/sql:getIamPolicy"),
            vec![Reply::json(200, r#"{"version":1,"etag":"BwYh3kQ4Hk8="}"#)],
        ),
        route(
            "GET",
            format!("{ring}/legacy:getIamPolicy"),
            vec![json("kms-key-public-iam-policy.json")],
        ),
        route("GET", format!("{ring}/signing:getIamPolicy"), denied()),
        route(
            "GET",
            format!("{ring}/sql/cryptoKeyVersions"),
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            format!("{ring}/legacy/cryptoKeyVersions"),
            vec![json("kms-versions-destroy-scheduled.json")],
        ),
        route(
            "GET",
            format!("{ring}/signing/cryptoKeyVersions"),
            vec![json("kms-versions-enabled.json")],
        ),
        // Cloud Logging and Monitoring: the project's own sinks export only part of the
        // entries; the organization's aggregated sink exports all of them.
        route(
            "GET",
            "/v2/projects/acme-prod/sinks",
            vec![json("logging-sinks-project.json")],
        ),
        route(
            "GET",
            "/v2/organizations/433637338589/sinks",
            vec![json("logging-sinks-organization.json")],
        ),
        route(
            "GET",
            "/v2/projects/acme-prod/metrics",
            vec![json("logging-metrics.json")],
        ),
        route(
            "GET",
            "/v3/projects/acme-prod/alertPolicies",
            vec![json("monitoring-alert-policies.json")],
        ),
        route("GET", "/v2/projects/acme-denied/sinks", denied()),
        route("GET", "/v2/projects/acme-denied/metrics", denied()),
        route("GET", "/v3/projects/acme-denied/alertPolicies", denied()),
        route("GET", "/v3/projects/acme-denied", denied()),
        route("POST", "/v3/projects/acme-denied:getIamPolicy", denied()),
        route("GET", "/v1/projects/acme-denied/instances", denied()),
        route("GET", "/v1/projects/acme-denied/locations", denied()),
        route(
            "GET",
            "/v1/projects/acme-denied:searchAllResources",
            denied(),
        ),
        route("GET", "/v1/projects/acme-denied/services", denied()),
        route("GET", "/storage/v1/b", denied()),
        // Compute Engine: acme-prod has no firewall rule or instance here (tests/gcp_compute.rs
        // reads some); acme-denied refuses.
        route(
            "GET",
            "/compute/v1/projects/acme-prod/global/firewalls",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/compute/v1/projects/acme-prod/aggregated/instances",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/compute/v1/projects/acme-prod",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/compute/v1/projects/acme-denied/global/firewalls",
            denied(),
        ),
        route(
            "GET",
            "/compute/v1/projects/acme-denied/aggregated/instances",
            denied(),
        ),
        route("GET", "/compute/v1/projects/acme-denied", denied()),
        // Service accounts and GKE: none in acme-prod (tests/gcp_services.rs reads some); BigQuery:
        // the dataset Cloud Asset Inventory also lists, read by its own reader. acme-denied
        // refuses all three.
        route(
            "GET",
            "/v1/projects/acme-prod/serviceAccounts",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/v1/projects/acme-prod/locations/-/clusters",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/bigquery/v2/projects/acme-prod/datasets",
            vec![Reply::json(
                200,
                r#"{"datasets":[{"id":"acme-prod:phi_warehouse","datasetReference":{"projectId":"acme-prod","datasetId":"phi_warehouse"},"location":"US","labels":{"phi":"true"}}]}"#,
            )],
        ),
        route(
            "GET",
            "/bigquery/v2/projects/acme-prod/datasets/phi_warehouse",
            vec![json("bigquery-dataset-phi_warehouse.json")],
        ),
        route("GET", "/v1/projects/acme-denied/serviceAccounts", denied()),
        route(
            "GET",
            "/v1/projects/acme-denied/locations/-/clusters",
            denied(),
        ),
        route(
            "GET",
            "/bigquery/v2/projects/acme-denied/datasets",
            denied(),
        ),
        // Filestore: none in acme-prod (tests/gcp_backups.rs reads some); refused in acme-denied.
        route(
            "GET",
            "/v1/projects/acme-prod/locations/-/instances",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/v1/projects/acme-prod/locations/-/backups",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/v1/projects/acme-denied/locations/-/instances",
            denied(),
        ),
        route(
            "GET",
            "/v1/projects/acme-denied/locations/-/backups",
            denied(),
        ),
        // Security Command Center: nothing returned in acme-prod (Security Health Analytics is
        // then unknown); refused in acme-denied.
        route(
            "GET",
            "/v1/projects/acme-prod/locations/global/securityCenterServices",
            vec![Reply::json(200, "{}")],
        ),
        route(
            "GET",
            "/v1/projects/acme-denied/locations/global/securityCenterServices",
            denied(),
        ),
    ];
    serve(|_| routes, None)
}

/// The verdicts of the engine-specific and other newer Cloud SQL checks on the recorded
/// instances: `phi-db` (PostgreSQL 16, audited), `legacy-db` (PostgreSQL 14, flags that read as
/// strict but log less), `office-db` (MySQL 8.0, `local_infile` `ON` in capitals) and
/// `mssql-replica` (a SQL Server read replica).
fn sql_flag_verdicts() -> std::collections::BTreeSet<(String, String, String)> {
    const PG: [&str; 10] = [
        "gcp-sql-pg-pgaudit",
        "gcp-sql-pg-log-connections",
        "gcp-sql-pg-log-disconnections",
        "gcp-sql-pg-log-lock-waits",
        "gcp-sql-pg-log-checkpoints",
        "gcp-sql-pg-log-min-messages",
        "gcp-sql-pg-log-min-error-statement",
        "gcp-sql-pg-log-min-duration-statement",
        "gcp-sql-pg-log-statement",
        "gcp-sql-pg-log-error-verbosity",
    ];
    const MY: [&str; 3] = [
        "gcp-sql-mysql-skip-show-database",
        "gcp-sql-mysql-local-infile",
        "gcp-sql-mysql-audit",
    ];
    const MS: [&str; 8] = [
        "gcp-sql-sqlserver-external-scripts",
        "gcp-sql-sqlserver-cross-db-ownership-chaining",
        "gcp-sql-sqlserver-contained-db-auth",
        "gcp-sql-sqlserver-remote-access",
        "gcp-sql-sqlserver-trace-3625",
        "gcp-sql-sqlserver-user-connections",
        "gcp-sql-sqlserver-user-options",
        "gcp-sql-sqlserver-audit",
    ];
    let mut out = Vec::new();
    let mut judge = |name: &'static str, outcomes: &[(&'static str, &'static str)]| {
        for family in [&PG[..], &MY[..], &MS[..]] {
            for policy in family {
                let got = outcomes.iter().find(|(p, _)| p == policy).map(|(_, o)| *o);
                // Flags of another engine's family are not applicable; the rest pass unless
                // listed.
                let own = outcomes.iter().any(|(p, _)| family.contains(p));
                let outcome = got.unwrap_or(if own { "pass" } else { "not_applicable" });
                out.push((*policy, name, outcome));
            }
        }
    };
    judge("phi-db", &[("gcp-sql-pg-pgaudit", "pass")]);
    judge(
        "legacy-db",
        &[
            ("gcp-sql-pg-pgaudit", "fail"),
            ("gcp-sql-pg-log-connections", "fail"),
            ("gcp-sql-pg-log-disconnections", "fail"),
            ("gcp-sql-pg-log-lock-waits", "fail"),
            ("gcp-sql-pg-log-checkpoints", "fail"),
            ("gcp-sql-pg-log-min-messages", "fail"),
            ("gcp-sql-pg-log-min-duration-statement", "fail"),
            ("gcp-sql-pg-log-statement", "fail"),
            ("gcp-sql-pg-log-error-verbosity", "fail"),
        ],
    );
    judge("office-db", &[("gcp-sql-mysql-local-infile", "fail")]);
    judge(
        "mssql-replica",
        &[
            ("gcp-sql-sqlserver-cross-db-ownership-chaining", "fail"),
            ("gcp-sql-sqlserver-user-connections", "fail"),
        ],
    );
    for (policy, outcomes) in [
        (
            "gcp-sql-backup-retention",
            ["pass", "not_applicable", "fail", "not_applicable"],
        ),
        (
            "gcp-sql-no-public-address",
            ["pass", "fail", "fail", "pass"],
        ),
        (
            "gcp-sql-deletion-protection",
            ["pass", "fail", "fail", "pass"],
        ),
        (
            "gcp-sql-high-availability",
            ["pass", "fail", "fail", "not_applicable"],
        ),
    ] {
        for (name, outcome) in ["phi-db", "legacy-db", "office-db", "mssql-replica"]
            .into_iter()
            .zip(outcomes)
        {
            out.push((policy, name, outcome));
        }
    }
    set(&out)
}

/// Runs `head` (e.g. `scan --output json=out.json`) against the peers for one project.
fn hipaa(dir: &Path, peer: &Peer, storage: &str, project: &str, head: &[&str]) -> common::Run {
    let adc = adc(dir, peer);
    // Cloud Storage is `storage` (the emulator, or the peer through STORAGE_EMULATOR_HOST).
    let endpoints = every_api_at(peer, &["storage"]);
    let mut args = head.to_vec();
    args.extend_from_slice(&["gcp", "--project", project]);
    args.extend(endpoints.iter().map(String::as_str));
    args.extend_from_slice(&["--max-attempts", "3"]);
    common::hipaa_scan_env(
        &args,
        dir,
        &[
            ("GOOGLE_APPLICATION_CREDENTIALS", adc.to_str().unwrap()),
            ("STORAGE_EMULATOR_HOST", storage),
            ("GOOGLE_CLOUD_PROJECT", ""),
        ],
    )
}

const SCAN: &[&str] = &["scan", "--output", "json=out.json"];

#[test]
fn scans_storage_sql_kms_and_the_project_with_exact_verdicts() {
    let emu = Emulator::start();
    emu.bucket(
        "phi-records",
        r#"{"labels":{"phi":"true"},
            "encryption":{"defaultKmsKeyName":"projects/acme-prod/locations/us/keyRings/phi/cryptoKeys/gcs"},
            "iamConfiguration":{"uniformBucketLevelAccess":{"enabled":true},"publicAccessPrevention":"enforced"},
            "versioning":{"enabled":true},
            "logging":{"logBucket":"acme-logs","logObjectPrefix":"phi-records"}}"#,
    );
    emu.bucket(
        "public-site",
        r#"{"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":false},"publicAccessPrevention":"inherited"}}"#,
    );
    emu.call(
        "PUT",
        "/storage/v1/b/public-site/iam",
        r#"{"bindings":[{"role":"roles/storage.objectViewer","members":["allUsers"]}]}"#,
    )
    .expect("set IAM policy");
    // A retention policy, but no versioning: not a pass for versioning any more.
    emu.bucket(
        "acme-logs",
        r#"{"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":true}},
            "retentionPolicy":{"retentionPeriod":"2592000"}}"#,
    );
    // Fine-grained access, nobody public in IAM, but the default object ACL makes every new
    // object readable by anyone.
    emu.bucket(
        "shared-exports",
        r#"{"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":false},"publicAccessPrevention":"inherited"},
            "defaultObjectAcl":[{"entity":"project-owners-123456789012","role":"OWNER"},{"entity":"allUsers","role":"READER"}]}"#,
    );
    // Fine-grained access with clean IAM and default ACL: object ACLs are unread, so the check is
    // not evaluated rather than passed.
    emu.bucket(
        "fine-grained",
        r#"{"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":false},"publicAccessPrevention":"inherited"},
            "defaultObjectAcl":[{"entity":"project-owners-123456789012","role":"OWNER"}]}"#,
    );
    // The same, public by its default ACL, but public access prevention neutralizes all of it.
    // It writes its usage logs to `audit-archive`.
    emu.bucket(
        "fine-enforced",
        r#"{"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":false},"publicAccessPrevention":"enforced"},
            "defaultObjectAcl":[{"entity":"allAuthenticatedUsers","role":"READER"}],
            "logging":{"logBucket":"audit-archive","logObjectPrefix":"fine-enforced"}}"#,
    );
    // A log bucket under a locked 400-day retention policy (`acme-logs`, phi-records' log
    // bucket, has an unlocked 30-day one).
    emu.bucket(
        "audit-archive",
        r#"{"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":true},"publicAccessPrevention":"enforced"},
            "retentionPolicy":{"retentionPeriod":"34560000","isLocked":true}}"#,
    );

    let peer = google(true);
    let dir = tempfile::tempdir().unwrap();
    let run = hipaa(dir.path(), &peer, &emu.host, "acme-prod", SCAN);
    assert_eq!(run.code, 1, "findings expected: {}", run.stderr);
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    let eligible = |name| ("gcp-service-hipaa-eligible", name, "pass");
    let expected = set(&[
        ("gcp-audit-logs-data-access", "acme-prod", "fail"),
        eligible("acme-prod"),
        // Buckets.
        ("gcp-storage-cmek", "phi-records", "pass"),
        ("gcp-storage-uniform-access", "phi-records", "pass"),
        ("gcp-storage-not-public", "phi-records", "pass"),
        ("gcp-storage-versioning", "phi-records", "pass"),
        ("gcp-storage-logging", "phi-records", "pass"),
        eligible("phi-records"),
        ("gcp-storage-cmek", "public-site", "fail"),
        ("gcp-storage-uniform-access", "public-site", "fail"),
        ("gcp-storage-not-public", "public-site", "fail"),
        ("gcp-storage-versioning", "public-site", "fail"),
        ("gcp-storage-logging", "public-site", "fail"),
        eligible("public-site"),
        ("gcp-storage-cmek", "acme-logs", "fail"),
        ("gcp-storage-uniform-access", "acme-logs", "pass"),
        ("gcp-storage-not-public", "acme-logs", "pass"),
        ("gcp-storage-versioning", "acme-logs", "fail"),
        ("gcp-storage-logging", "acme-logs", "fail"),
        eligible("acme-logs"),
        ("gcp-storage-cmek", "shared-exports", "fail"),
        ("gcp-storage-uniform-access", "shared-exports", "fail"),
        ("gcp-storage-not-public", "shared-exports", "fail"),
        ("gcp-storage-versioning", "shared-exports", "fail"),
        ("gcp-storage-logging", "shared-exports", "fail"),
        eligible("shared-exports"),
        ("gcp-storage-cmek", "fine-grained", "fail"),
        ("gcp-storage-uniform-access", "fine-grained", "fail"),
        ("gcp-storage-not-public", "fine-grained", "not_evaluated"),
        ("gcp-storage-versioning", "fine-grained", "fail"),
        ("gcp-storage-logging", "fine-grained", "fail"),
        eligible("fine-grained"),
        ("gcp-storage-cmek", "fine-enforced", "fail"),
        ("gcp-storage-uniform-access", "fine-enforced", "fail"),
        ("gcp-storage-not-public", "fine-enforced", "pass"),
        ("gcp-storage-versioning", "fine-enforced", "fail"),
        ("gcp-storage-logging", "fine-enforced", "pass"),
        eligible("fine-enforced"),
        ("gcp-storage-cmek", "audit-archive", "fail"),
        ("gcp-storage-uniform-access", "audit-archive", "pass"),
        ("gcp-storage-not-public", "audit-archive", "pass"),
        ("gcp-storage-versioning", "audit-archive", "fail"),
        ("gcp-storage-logging", "audit-archive", "fail"),
        eligible("audit-archive"),
        // Only the buckets that receive usage logs are judged on their retention lock.
        (
            "gcp-storage-log-bucket-retention-locked",
            "audit-archive",
            "pass",
        ),
        (
            "gcp-storage-log-bucket-retention-locked",
            "acme-logs",
            "fail",
        ),
        (
            "gcp-storage-log-bucket-retention-locked",
            "phi-records",
            "not_applicable",
        ),
        (
            "gcp-storage-log-bucket-retention-locked",
            "public-site",
            "not_applicable",
        ),
        (
            "gcp-storage-log-bucket-retention-locked",
            "shared-exports",
            "not_applicable",
        ),
        (
            "gcp-storage-log-bucket-retention-locked",
            "fine-grained",
            "not_applicable",
        ),
        (
            "gcp-storage-log-bucket-retention-locked",
            "fine-enforced",
            "not_applicable",
        ),
        // Cloud SQL: the other instances come from the second page. legacy-db authorizes
        // 0.0.0.0/1 and 128.0.0.0/1 (the whole internet, without the text `0.0.0.0/0`);
        // office-db authorizes a /24 and one address.
        ("gcp-sql-ssl-required", "phi-db", "pass"),
        ("gcp-sql-backups", "phi-db", "pass"),
        ("gcp-sql-no-public-ip", "phi-db", "pass"),
        ("gcp-sql-cmek", "phi-db", "pass"),
        eligible("phi-db"),
        ("gcp-sql-ssl-required", "legacy-db", "fail"),
        ("gcp-sql-backups", "legacy-db", "fail"),
        ("gcp-sql-no-public-ip", "legacy-db", "fail"),
        ("gcp-sql-cmek", "legacy-db", "fail"),
        eligible("legacy-db"),
        ("gcp-sql-ssl-required", "office-db", "pass"),
        ("gcp-sql-backups", "office-db", "pass"),
        ("gcp-sql-no-public-ip", "office-db", "pass"),
        ("gcp-sql-cmek", "office-db", "fail"),
        eligible("office-db"),
        // A SQL Server read replica on private IP: it cannot take backups of its own.
        ("gcp-sql-ssl-required", "mssql-replica", "pass"),
        ("gcp-sql-backups", "mssql-replica", "not_applicable"),
        ("gcp-sql-no-public-ip", "mssql-replica", "pass"),
        ("gcp-sql-cmek", "mssql-replica", "fail"),
        eligible("mssql-replica"),
        // Cloud KMS: an asymmetric key cannot rotate and is not judged on it.
        ("gcp-kms-rotation", "sql", "pass"),
        ("gcp-kms-rotation", "legacy", "fail"),
        ("gcp-kms-rotation", "signing", "pass"),
        eligible("sql"),
        eligible("legacy"),
        eligible("signing"),
        ("gcp-kms-rotation-90-days", "sql", "pass"),
        ("gcp-kms-rotation-90-days", "legacy", "fail"),
        ("gcp-kms-rotation-90-days", "signing", "not_applicable"),
        ("gcp-kms-key-not-public", "sql", "pass"),
        ("gcp-kms-key-not-public", "legacy", "fail"),
        ("gcp-kms-key-not-public", "signing", "not_evaluated"),
        ("gcp-kms-no-pending-destruction", "sql", "pass"),
        ("gcp-kms-no-pending-destruction", "legacy", "fail"),
        ("gcp-kms-no-pending-destruction", "signing", "pass"),
        // The project's IAM policy with its organization's: Owner to a person (a deleted owner
        // does not count), Editor to the default compute service account (the Google APIs
        // service agent's Editor does not count), Service Account User on the whole project
        // through a conditional binding (the Pub/Sub agent's Token Creator does not count), and
        // a group that uses keys on the project and administers them on the organization.
        ("gcp-iam-no-basic-roles-for-people", "acme-prod", "fail"),
        ("gcp-iam-sa-no-admin-roles", "acme-prod", "fail"),
        ("gcp-iam-no-project-sa-impersonation", "acme-prod", "fail"),
        ("gcp-iam-sa-separation-of-duties", "acme-prod", "pass"),
        ("gcp-iam-kms-separation-of-duties", "acme-prod", "fail"),
        // Logging: exported by the organization's sink. Alerts: the CIS ownership filter with a
        // notifying policy; audit config changes alerted without a notification channel; custom
        // roles through a log-match policy with a value list; firewall rules through `=` on
        // method names that are logged with a `v1.` prefix; routes split between two metrics;
        // networks through a regular expression (not run); bucket IAM through a catch-all on
        // every bucket event; SQL through a policy that does not say whether it is enabled.
        ("gcp-logging-sink-all-entries", "acme-prod", "pass"),
        ("gcp-logging-alert-project-ownership", "acme-prod", "pass"),
        ("gcp-logging-alert-audit-config", "acme-prod", "fail"),
        ("gcp-logging-alert-custom-roles", "acme-prod", "pass"),
        ("gcp-logging-alert-firewall", "acme-prod", "fail"),
        ("gcp-logging-alert-routes", "acme-prod", "pass"),
        ("gcp-logging-alert-network", "acme-prod", "not_evaluated"),
        ("gcp-logging-alert-storage-iam", "acme-prod", "fail"),
        ("gcp-logging-alert-sql-config", "acme-prod", "not_evaluated"),
        // Services in use, from Cloud Asset Inventory (both pages): Pub/Sub is covered;
        // Firebase Realtime Database is not on the list. Buckets, Cloud SQL instances, BigQuery
        // datasets (phi_warehouse, read by the BigQuery reader) and Service Usage's own assets
        // are read by their own readers, and pods are inside a cluster: none is listed twice.
        eligible("phi_warehouse"),
        eligible("lab-results"),
        ("gcp-service-hipaa-eligible", "acme-intake", "fail"),
        // Enabled APIs that hold none of those resources: the Generative Language API is not
        // on the list; Service Usage is the project's control plane; storage-api is Cloud
        // Storage's older name; Vision's answer has no config, so its name comes from the path.
        (
            "gcp-service-hipaa-eligible",
            "generativelanguage.googleapis.com",
            "fail",
        ),
        eligible("healthcare.googleapis.com"),
        eligible("serviceusage.googleapis.com"),
        eligible("storage-api.googleapis.com"),
        eligible("vision.googleapis.com"),
        // Security Command Center answered no service: Security Health Analytics is written with
        // its state unknown.
        eligible("security-health-analytics"),
    ]);
    let mut expected = expected;
    expected.extend(sql_flag_verdicts());
    let got = common::written_for(verdicts(&result), &expected);
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the seeded estate"
    );

    // Why: the public default object ACL is the evidence; the unread object ACLs the reason.
    let verdict = |policy: &str, name: &str| common::verdict(&result, policy, name).clone();
    // A service outside the BAA holding ePHI (labelled phi) is critical; an enabled API the
    // project's labels leave out of scope, medium. The reason names the list and its date.
    for (name, severity, kind) in [
        ("acme-intake", "critical", "gcp.firebasedatabase.instance"),
        (
            "generativelanguage.googleapis.com",
            "medium",
            "gcp.generativelanguage.enabled_api",
        ),
    ] {
        let v = verdict("gcp-service-hipaa-eligible", name);
        assert_eq!(v["severity"], severity, "{v}");
        assert_eq!(v["resource"]["kind"], kind, "{v}");
        assert!(
            v.to_string()
                .contains("not on the Google Cloud BAA list as of"),
            "{v}"
        );
    }
    let shared = verdict("gcp-storage-not-public", "shared-exports").to_string();
    assert!(shared.contains("allUsers"), "{shared}");
    let fine = verdict("gcp-storage-not-public", "fine-grained").to_string();
    assert!(fine.contains("object ACLs are not read"), "{fine}");

    // The throttled first page was retried, then the second page was read.
    let sql: Vec<_> = peer.requests("/v1/projects/acme-prod/instances");
    assert_eq!(
        sql.iter().map(|s| s.status).collect::<Vec<_>>(),
        vec![429, 200, 200],
        "{sql:?}"
    );
    assert!(sql[2].target.contains("pageToken=page-2"));
    // Every API call carried the token from the real token exchanges: one for the cloud APIs,
    // one for the Directory API's own scope.
    assert_eq!(peer.requests("/token").len(), 2);
    common::google::assert_bearer(
        peer.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.target != "/token"),
    );
    // Labels arrive as tags; the SARIF/JSON evidence never carries their values.
    let bucket = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["resource"]["name"] == "phi-records")
        .unwrap();
    assert_eq!(bucket["resource"]["region"], "us");

    // `inventory gcp` writes the snapshot that `scan --snapshot` reads, with the same verdicts.
    let inv = hipaa(
        dir.path(),
        &peer,
        &emu.host,
        "acme-prod",
        &["inventory", "--output", "estate.json"],
    );
    assert_eq!(inv.code, 0, "{}", inv.stderr);
    let replay = common::hipaa_scan(
        &["scan", "--snapshot", "estate.json", "--format", "json"],
        dir.path(),
    );
    assert_eq!(replay.code, 1, "{}", replay.stderr);
    assert_eq!(
        common::written_for(
            verdicts(&serde_json::from_str(&replay.stdout).unwrap()),
            &expected
        ),
        expected
    );
}

#[test]
fn denied_calls_are_not_evaluated_and_the_scan_is_incomplete() {
    let peer = google(false);
    let dir = tempfile::tempdir().unwrap();
    // Cloud Storage is the recorded peer too here: it refuses the listing.
    let storage = peer.url.clone();
    let run = hipaa(dir.path(), &peer, &storage, "acme-denied", SCAN);
    assert_eq!(run.code, 3, "incomplete scan expected: {}", run.stderr);
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    let got = verdicts(&result);
    // No pass is claimed for anything that could not be read.
    assert!(
        got.contains(&(
            "gcp-audit-logs-data-access".into(),
            "acme-denied".into(),
            "not_evaluated".into()
        )),
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|(p, _, o)| p != "gcp-service-hipaa-eligible" && o == "pass"),
        "{got:?}"
    );
    let text = serde_json::to_string(&result).unwrap();
    for op in [
        "storage.buckets.list",
        "sql.instances.list",
        "cloudkms.locations.list",
        "logging.sinks.list",
        "logging.logMetrics.list",
        "compute.firewalls.list",
        "compute.instances.aggregatedList",
        "cloudasset.assets.searchAllResources",
        "serviceusage.services.list",
        "iam.serviceAccounts.list",
        "bigquery.datasets.list",
        "container.clusters.list",
        "file.instances.list",
        "securitycentermanagement.securityCenterServices.list",
    ] {
        assert!(
            text.contains(&format!("{op}: PERMISSION_DENIED")),
            "{op} missing from {text}"
        );
    }
}

#[test]
fn missing_credentials_or_a_bad_endpoint_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::hipaa_scan_env(
        &[
            "scan",
            "gcp",
            "--project",
            "p",
            "--endpoint",
            "dataproc=http://127.0.0.1:9",
        ],
        dir.path(),
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("dataproc"), "{}", run.stderr);
    let run = common::hipaa_scan_env(
        &["scan", "gcp", "--project", "p"],
        dir.path(),
        &[("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/adc.json")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("credentials"), "{}", run.stderr);
}

#[test]
fn an_organization_is_walked_through_its_folders() {
    let org = "433637338589";
    let peer = serve(
        |_| {
            let json = |body: &str| vec![Reply::json(200, body.to_string())];
            let denied = || vec![Reply::json(403, recorded("permission-denied.json"))];
            vec![
                route("POST", "/token", vec![Reply::json(200, recorded("token.json"))]),
                // The organization holds one folder and no project; the folder holds a nested
                // folder with the project, plus a project being deleted that is skipped.
                route("GET", "/v3/projects", json(r#"{}"#)).with_query(&format!("parent=organizations/{org}")),
                route("GET", "/v3/folders", json(r#"{"folders":[{"name":"folders/111","displayName":"clinical","state":1}]}"#))
                    .with_query(&format!("parent=organizations/{org}")),
                route("GET", "/v3/projects", json(r#"{"projects":[{"name":"projects/2","projectId":"old-sandbox","state":2}]}"#))
                    .with_query("parent=folders/111"),
                route("GET", "/v3/folders", json(r#"{"folders":[{"name":"folders/222","displayName":"prod","state":1}]}"#))
                    .with_query("parent=folders/111"),
                route("GET", "/v3/projects", json(r#"{"projects":[{"name":"projects/3","projectId":"acme-denied","state":1}]}"#))
                    .with_query("parent=folders/222"),
                route("GET", "/v3/folders", json(r#"{}"#)).with_query("parent=folders/222"),
                route("GET", "/v3/projects/acme-denied", denied()),
                route("POST", "/v3/projects/acme-denied:getIamPolicy", denied()),
                route("GET", "/v1/projects/acme-denied/instances", denied()),
                route("GET", "/v1/projects/acme-denied/locations", denied()),
                route("GET", "/storage/v1/b", denied()),
            ]
        },
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let adc = adc(dir.path(), &peer);
    let mut args = vec!["scan", "--format", "json", "gcp", "--organization", org];
    let endpoints = every_api_at(&peer, &[]);
    args.extend(endpoints.iter().map(String::as_str));
    let run = common::hipaa_scan_env(
        &args,
        dir.path(),
        &[("GOOGLE_APPLICATION_CREDENTIALS", adc.to_str().unwrap())],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        result.to_string().contains("gcp projects acme-denied"),
        "{}",
        result["source"]
    );
    assert!(peer.requests("/v1/projects/old-sandbox").is_empty());
    assert_eq!(peer.requests("/v1/projects/acme-denied/instances").len(), 1);
}

#[test]
fn audit_configs_are_inherited_through_folders_and_the_organization() {
    let org = "433637338589";
    let peer = serve(
        |_| {
            let json = |name: &str| vec![Reply::json(200, recorded(name))];
            let denied = || vec![Reply::json(403, recorded("permission-denied.json"))];
            let mut routes = vec![
                route("POST", "/token", json("token.json")),
                route(
                    "POST",
                    format!("/v3/organizations/{org}:getIamPolicy"),
                    json("organization-iam-policy.json"),
                ),
                route("GET", "/storage/v1/b", denied()),
            ];
            for f in ["111", "222", "333"] {
                routes.push(route(
                    "GET",
                    format!("/v3/folders/{f}"),
                    json(&format!("folder-{f}.json")),
                ));
            }
            for f in ["111", "222"] {
                routes.push(route(
                    "POST",
                    format!("/v3/folders/{f}:getIamPolicy"),
                    json(&format!("folder-{f}-iam-policy.json")),
                ));
            }
            routes.push(route("POST", "/v3/folders/333:getIamPolicy", denied()));
            // Sinks: folder 111 exports everything below it; folder 222's sink without a filter
            // does not take its children's entries; folder 333's sinks are refused.
            routes.push(route(
                "GET",
                format!("/v2/organizations/{org}/sinks"),
                vec![Reply::json(200, "{}")],
            ));
            routes.push(route(
                "GET",
                "/v2/folders/111/sinks",
                vec![Reply::json(
                    200,
                    r#"{"sinks":[{"name":"folders/111/sinks/clinical-all","destination":"storage.googleapis.com/clinical-logs","includeChildren":true}]}"#,
                )],
            ));
            routes.push(route(
                "GET",
                "/v2/folders/222/sinks",
                vec![Reply::json(
                    200,
                    r#"{"sinks":[{"name":"folders/222/sinks/folder-only","destination":"storage.googleapis.com/folder-logs"}]}"#,
                )],
            ));
            routes.push(route("GET", "/v2/folders/333/sinks", denied()));
            for p in ["acme-inherit", "acme-exempt", "acme-hidden"] {
                routes.push(route(
                    "GET",
                    format!("/v2/projects/{p}/sinks"),
                    vec![Reply::json(200, "{}")],
                ));
                routes.push(route(
                    "GET",
                    format!("/v3/projects/{p}"),
                    json(&format!("project-{p}.json")),
                ));
                routes.push(route(
                    "POST",
                    format!("/v3/projects/{p}:getIamPolicy"),
                    json(&format!("project-{p}-iam-policy.json")),
                ));
                routes.push(route(
                    "GET",
                    format!("/v1/projects/{p}/instances"),
                    denied(),
                ));
                routes.push(route(
                    "GET",
                    format!("/v1/projects/{p}/locations"),
                    denied(),
                ));
            }
            routes
        },
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let adc = adc(dir.path(), &peer);
    let endpoints = every_api_at(&peer, &[]);
    let run = |head: &[&str]| {
        let mut args: Vec<&str> = Vec::new();
        args.extend(head.iter().copied());
        args.push("gcp");
        for p in ["acme-inherit", "acme-exempt", "acme-hidden"] {
            args.extend_from_slice(&["--project", p]);
        }
        args.extend(endpoints.iter().map(String::as_str));
        common::hipaa_scan_env(
            &args,
            dir.path(),
            &[("GOOGLE_APPLICATION_CREDENTIALS", adc.to_str().unwrap())],
        )
    };
    let scan = run(SCAN);
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    assert_eq!(scan.code, 1, "{}\n{result:#}", scan.stderr);
    let got: Vec<_> = verdicts(&result)
        .into_iter()
        .filter(|(p, _, _)| p == "gcp-audit-logs-data-access")
        .collect();
    let want: Vec<_> = set(&[
        // Everything in its own policy, but its folder exempts a service account from DATA_READ.
        ("gcp-audit-logs-data-access", "acme-exempt", "fail"),
        // Everything in its own policy, but its folder's policy is refused: it may exempt.
        ("gcp-audit-logs-data-access", "acme-hidden", "not_evaluated"),
        // Only ADMIN_READ in its own policy; DATA_READ and DATA_WRITE come from its folder.
        ("gcp-audit-logs-data-access", "acme-inherit", "pass"),
    ])
    .into_iter()
    .collect();
    assert_eq!(got, want);
    // Role grants are inherited the same way: a grant found stands even where a folder's
    // policy is unreadable; nothing found there is not evaluated.
    let all = verdicts(&result);
    for (policy, project, outcome) in [
        ("gcp-iam-no-basic-roles-for-people", "acme-hidden", "fail"),
        (
            "gcp-iam-sa-separation-of-duties",
            "acme-hidden",
            "not_evaluated",
        ),
        ("gcp-iam-sa-separation-of-duties", "acme-inherit", "pass"),
        ("gcp-iam-no-basic-roles-for-people", "acme-inherit", "fail"),
        ("gcp-logging-sink-all-entries", "acme-inherit", "pass"),
        ("gcp-logging-sink-all-entries", "acme-exempt", "fail"),
        (
            "gcp-logging-sink-all-entries",
            "acme-hidden",
            "not_evaluated",
        ),
    ] {
        assert!(
            all.contains(&(policy.into(), project.into(), outcome.into())),
            "{policy} {project} {outcome}: {all:?}"
        );
    }
    let text = result.to_string();
    assert!(
        text.contains(
            "DATA_READ serviceAccount:etl@acme-data.iam.gserviceaccount.com (allServices on folders/222)"
        ),
        "the exemption is the evidence: {text}"
    );
    assert!(
        text.contains("the audit config of folders/333 could not be read (cloudresourcemanager.folders.getIamPolicy: PERMISSION_DENIED"),
        "{text}"
    );

    // The organization above all three projects is read once; each folder once (its `get` and
    // its `getIamPolicy`).
    let seen = peer.requests(&format!("/v3/organizations/{org}:getIamPolicy"));
    assert_eq!(seen.len(), 1, "{seen:?}");
    for f in ["111", "222", "333"] {
        let seen = peer.requests(&format!("/v3/folders/{f}"));
        assert_eq!(seen.len(), 2, "folders/{f}: {seen:?}");
    }
    let seen = peer.requests(&format!("/v2/organizations/{org}/sinks"));
    assert_eq!(
        seen.len(),
        1,
        "the organization's sinks are read once: {seen:?}"
    );

    // The inventory records the ancestry it combined.
    let inv = run(&["inventory", "--output", "estate.json"]);
    assert_eq!(inv.code, 0, "{}", inv.stderr);
    let estate: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("estate.json")).unwrap())
            .unwrap();
    let inherit = estate["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "acme-inherit" && r["kind"] == "gcp.project")
        .unwrap();
    assert_eq!(
        inherit["properties"]["ancestors"],
        serde_json::json!(["folders/111", "organizations/433637338589"])
    );
    assert_eq!(
        inherit["properties"]["audit_configs"],
        serde_json::json!([{"service": "allServices", "log_types": ["ADMIN_READ"]}])
    );
}

#[test]
fn projects_split_into_shards_cover_each_project_exactly_once() {
    // Every call is denied: each project the shard reads becomes gaps of its own, which name it.
    let peer = serve(
        |_| {
            vec![
                route(
                    "POST",
                    "/token",
                    vec![Reply::json(200, recorded("token.json"))],
                ),
                route(
                    "*",
                    "*",
                    vec![Reply::json(403, recorded("permission-denied.json"))],
                ),
            ]
        },
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let adc = adc(dir.path(), &peer);
    let endpoints = every_api_at(&peer, &[]);
    let projects = [
        "p-alpha",
        "p-bravo",
        "p-charlie",
        "p-delta",
        "p-echo",
        "p-foxtrot",
    ];
    let mut seen: Vec<String> = Vec::new();
    for shard in ["1/2", "2/2"] {
        let mut args = vec!["scan", "--format", "json", "gcp", "--shard", shard];
        for p in projects {
            args.extend(["--project", p]);
        }
        args.extend(endpoints.iter().map(String::as_str));
        let run = common::hipaa_scan_env(
            &args,
            dir.path(),
            &[("GOOGLE_APPLICATION_CREDENTIALS", adc.to_str().unwrap())],
        );
        assert!(run.code == 0 || run.code == 3, "{shard}: {}", run.stderr);
        let result: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(result["shard"], shard, "the result says which shard it is");
        let read: Vec<String> = projects
            .iter()
            .filter(|p| {
                run.stdout.contains(&format!("\"account\":\"{p}\""))
                    || run.stdout.contains(&format!("gcp/{p}"))
            })
            .map(|p| p.to_string())
            .collect();
        for p in &read {
            assert!(!seen.contains(p), "{p} read by two shards");
        }
        seen.extend(read);
    }
    seen.sort();
    assert_eq!(
        seen,
        projects.to_vec(),
        "every project read by exactly one shard"
    );
}
