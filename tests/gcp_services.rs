//! IAM service accounts and their user-managed keys, BigQuery datasets and GKE clusters through
//! the real binary, against recorded answers (tests/recorded/gcp, `iam-*.json`,
//! `bigquery-*.json`, `gke-*.json`) served by the local peer and reached through
//! `--endpoint iam=`, `bigquery=` and `container=`, with the look-alikes each check must not be
//! fooled by. The other services of the project answer with the recorded project and empty
//! lists.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::peer::{route, serve, Peer, Reply, Route};
use common::{set, verdict, verdicts};
use serde_json::Value;

use common::google::recorded;

const SA: &str = "/v1/projects/acme-prod/serviceAccounts";
const BQ: &str = "/bigquery/v2/projects/acme-prod/datasets";
const GKE: &str = "/v1/projects/acme-prod/locations/-/clusters";

/// Ten days before now, as the recorded key that is fresh states its creation.
fn recent() -> String {
    (chrono::Utc::now() - chrono::Duration::days(10))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The service-account, BigQuery and GKE routes.
fn platform() -> Vec<Route> {
    let json = |name: &str| vec![Reply::json(200, recorded(name))];
    let denied = || vec![Reply::json(403, recorded("permission-denied.json"))];
    let mut routes = vec![
        route("GET", SA, json("iam-service-accounts-page2.json")).with_query("pageToken=sa-2"),
        route("GET", SA, json("iam-service-accounts-page1.json")),
    ];
    let keys = |email: &str| format!("{SA}/{email}/keys");
    let ours = |user: &str| format!("{user}@acme-prod.iam.gserviceaccount.com");
    routes.push(route(
        "GET",
        keys(&ours("etl")),
        vec![Reply::json(
            200,
            recorded("iam-keys-etl.json").replace("RECENT", &recent()),
        )],
    ));
    for user in ["legacy-batch", "expired", "parked", "uploader", "nodate"] {
        routes.push(route(
            "GET",
            keys(&ours(user)),
            json(&format!("iam-keys-{user}.json")),
        ));
    }
    routes.push(route(
        "GET",
        keys("123456789012-compute@developer.gserviceaccount.com"),
        json("iam-keys-compute.json"),
    ));
    routes.push(route("GET", keys(&ours("denied-keys")), denied()));
    // ehr-app and the Pub/Sub service agent: no user-managed key.
    routes.push(route(
        "GET",
        keys(&ours("ehr-app")),
        vec![Reply::json(200, "{}")],
    ));
    routes.push(route(
        "GET",
        keys("service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com"),
        vec![Reply::json(200, "{}")],
    ));
    routes.push(route("GET", BQ, json("bigquery-datasets.json")).with_query("all=true"));
    for d in [
        "phi_warehouse",
        "open_data",
        "phi_shared",
        "company",
        "_phi_staging",
    ] {
        routes.push(route(
            "GET",
            format!("{BQ}/{d}"),
            json(&format!("bigquery-dataset-{d}.json")),
        ));
    }
    routes.push(route("GET", format!("{BQ}/phi_denied"), denied()));
    routes.push(route("GET", GKE, json("gke-clusters.json")));
    routes
}

/// The peer for project `acme-prod`: Resource Manager, IAM policy and the token endpoint
/// recorded; every other service empty; service accounts, BigQuery and GKE as given.
fn google(platform: Vec<Route>) -> Peer {
    let empty = || vec![Reply::json(200, "{}")];
    let mut routes = common::google::acme_prod_quiet();
    for path in [
        "/compute/v1/projects/acme-prod/global/firewalls",
        "/compute/v1/projects/acme-prod/aggregated/instances",
        "/compute/v1/projects/acme-prod",
    ] {
        routes.push(route("GET", path, empty()));
    }
    routes.extend(platform);
    // Filestore and Security Command Center: none here (tests/gcp_backups.rs reads some).
    for what in ["-/instances", "-/backups", "global/securityCenterServices"] {
        routes.push(route(
            "GET",
            format!("/v1/projects/acme-prod/locations/{what}"),
            empty(),
        ));
    }
    serve(|_| routes, None)
}

const SA_POLICIES: [&str; 2] = [
    "gcp-iam-sa-no-user-managed-keys",
    "gcp-iam-sa-key-rotated-90-days",
];
const BQ_POLICIES: [&str; 2] = [
    "gcp-bigquery-dataset-not-public",
    "gcp-bigquery-dataset-cmek",
];
const GKE_POLICIES: [&str; 8] = [
    "gcp-gke-control-plane-restricted",
    "gcp-gke-secrets-encryption",
    "gcp-gke-legacy-abac-disabled",
    "gcp-gke-logging-enabled",
    "gcp-gke-no-default-service-account",
    "gcp-gke-node-auto-upgrade",
    "gcp-gke-shielded-nodes",
    "gcp-gke-private-nodes",
];

/// These policies and BAA coverage only.
const SELECT: &str = "gcp-iam-sa-no-user-managed-keys,gcp-iam-sa-key-rotated-90-days,gcp-bigquery-*,gcp-gke-*,gcp-service-hipaa-eligible";

/// `scan gcp --project acme-prod` with every API at the peer, judged by [`SELECT`].
fn scan(dir: &Path, peer: &Peer) -> (common::Run, Value) {
    let run = common::google::scan_acme_prod(
        dir,
        peer,
        &["scan", "--output", "json=out.json", "--select", SELECT],
        &[],
    );
    let out = std::fs::read_to_string(dir.join("out.json"))
        .unwrap_or_else(|e| panic!("no JSON result ({e}): {}", run.stderr));
    (run, serde_json::from_str(&out).unwrap())
}

#[test]
fn service_accounts_datasets_and_clusters_get_exact_verdicts_with_their_look_alikes() {
    let peer = google(platform());
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 1, "findings expected: {}", run.stderr);

    let mut expected: Vec<(&str, &str, &str)> = Vec::new();
    let ne = "not_evaluated";
    let na = "not_applicable";
    // Service accounts: (no usable user-managed key, keys rotated).
    for (sa, outcomes) in [
        (
            "ehr-app@acme-prod.iam.gserviceaccount.com",
            ["pass", "pass"],
        ),
        // A fresh enabled key; an old one that is disabled.
        ("etl@acme-prod.iam.gserviceaccount.com", ["fail", "pass"]),
        (
            "legacy-batch@acme-prod.iam.gserviceaccount.com",
            ["fail", "fail"],
        ),
        // Old, but past its validBeforeTime.
        (
            "expired@acme-prod.iam.gserviceaccount.com",
            ["pass", "pass"],
        ),
        // An old enabled key on a disabled account.
        ("parked@acme-prod.iam.gserviceaccount.com", ["pass", "pass"]),
        // The listing answered with a system-managed key anyway: not counted.
        (
            "123456789012-compute@developer.gserviceaccount.com",
            ["pass", "pass"],
        ),
        // An uploaded key whose validAfterTime is ahead: usable later, not old.
        (
            "uploader@acme-prod.iam.gserviceaccount.com",
            ["fail", "pass"],
        ),
        // A key without validAfterTime; keys refused.
        ("nodate@acme-prod.iam.gserviceaccount.com", [ne, ne]),
        ("denied-keys@acme-prod.iam.gserviceaccount.com", [ne, ne]),
        (
            "service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com",
            [na, na],
        ),
    ] {
        for (policy, outcome) in SA_POLICIES.iter().zip(outcomes) {
            expected.push((policy, sa, outcome));
        }
        expected.push(("gcp-service-hipaa-eligible", sa, "pass"));
    }
    // Datasets: (not public, CMEK); "-" where only ePHI scope is judged and the dataset is not
    // labelled so.
    for (ds, outcomes) in [
        ("phi_warehouse", ["pass", "pass"]),
        ("open_data", ["fail", "-"]),
        // allAuthenticatedUsers under a condition; no default key.
        ("phi_shared", ["fail", "fail"]),
        // A domain grant is not public; an empty key name is no key.
        ("company", ["pass", "fail"]),
        // A hidden dataset, listed with all=true.
        ("_phi_staging", ["pass", "pass"]),
        ("phi_denied", [ne, ne]),
    ] {
        for (policy, outcome) in BQ_POLICIES.iter().zip(outcomes) {
            if outcome != "-" {
                expected.push((policy, ds, outcome));
            }
        }
        expected.push(("gcp-service-hipaa-eligible", ds, "pass"));
    }
    // Clusters, in the order of GKE_POLICIES.
    for (cluster, outcomes) in [
        (
            "ehr-prod",
            [
                "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass",
            ],
        ),
        // Two halves of IPv4 through the older fields; empty serviceAccount is the default; an
        // empty shieldedNodes is off; no private cluster config: public nodes.
        (
            "ehr-web",
            [
                "fail", "fail", "fail", "fail", "fail", "fail", "fail", "fail",
            ],
        ),
        // Every Compute Engine address allowed; encryption pending; legacyAbac left out; a
        // second pool on `default` with narrow scopes; shieldedNodes left out; a private cluster
        // whose `spare` pool opted out of private nodes.
        (
            "analytics",
            ["fail", "fail", ne, "pass", "fail", "pass", ne, "fail"],
        ),
        // No databaseEncryption (off by default); a pool without config or management;
        // loggingService left out; shielded; public nodes.
        (
            "batch",
            ["pass", "fail", "pass", ne, ne, ne, "pass", "fail"],
        ),
    ] {
        for (policy, outcome) in GKE_POLICIES.iter().zip(outcomes) {
            expected.push((policy, cluster, outcome));
        }
        expected.push(("gcp-service-hipaa-eligible", cluster, "pass"));
    }
    expected.extend(common::google::PROJECT_COVERAGE);
    let expected = set(&expected);
    let got = verdicts(&result);
    // The location BigQuery could not reach and the zone GKE could not: gaps, judged as
    // not evaluated under the project, never passed.
    let (gaps, got): (BTreeSet<_>, BTreeSet<_>) = got.into_iter().partition(|(_, name, o)| {
        o == "not_evaluated" && !expected.iter().any(|(_, n, _)| n == name)
    });
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded estate"
    );
    let gap_policies: BTreeSet<&str> = gaps.iter().map(|(p, _, _)| p.as_str()).collect();
    for p in BQ_POLICIES.iter().chain(&GKE_POLICIES) {
        assert!(gap_policies.contains(p), "{p} not in {gaps:?}");
    }
    let text = result.to_string();
    assert!(
        text.contains("location asia-east1 was unreachable"),
        "{text}"
    );
    assert!(text.contains("zone asia-east1-a was unreachable"), "{text}");

    // Evidence: the key, the grant, why the control plane is open, the pools.
    let stale = verdict(
        &result,
        "gcp-iam-sa-key-rotated-90-days",
        "legacy-batch@acme-prod.iam.gserviceaccount.com",
    )
    .to_string();
    assert!(stale.contains("c3stale"), "{stale}");
    let shared = verdict(&result, "gcp-bigquery-dataset-not-public", "phi_shared").to_string();
    assert!(
        shared
            .contains("roles/bigquery.dataViewer specialGroup:allAuthenticatedUsers (conditional)"),
        "{shared}"
    );
    let web = verdict(&result, "gcp-gke-control-plane-restricted", "ehr-web").to_string();
    assert!(web.contains("0.0.0.0/1 is broader than /8"), "{web}");
    let analytics = verdict(&result, "gcp-gke-control-plane-restricted", "analytics").to_string();
    assert!(
        analytics.contains("gcpPublicCidrsAccessEnabled"),
        "{analytics}"
    );
    let spare = verdict(&result, "gcp-gke-no-default-service-account", "analytics").to_string();
    assert!(spare.contains("spare (scopes:"), "{spare}");
    let denied = verdict(
        &result,
        "gcp-iam-sa-no-user-managed-keys",
        "denied-keys@acme-prod.iam.gserviceaccount.com",
    )
    .to_string();
    assert!(
        denied.contains("iam.serviceAccountKeys.list: PERMISSION_DENIED"),
        "{denied}"
    );

    // Both pages of service accounts; keys asked for as user-managed; hidden datasets asked
    // for; every call with the token.
    let pages = peer.requests(SA);
    assert!(
        pages.iter().any(|s| s.target.contains("pageToken=sa-2")),
        "{pages:?}"
    );
    let keys = peer.requests("/keys");
    assert_eq!(keys.len(), 10, "{keys:?}");
    assert!(
        keys.iter().all(|s| s.target.contains("keyTypes=")),
        "{keys:?}"
    );
    assert_eq!(peer.requests(GKE).len(), 1);
    common::google::assert_bearer(peer.requests("/bigquery/v2/").iter().chain(&keys));

    // `inventory gcp` writes a snapshot that gives the same verdicts when scanned.
    common::google::replay_matches(dir.path(), &peer, SELECT, &result);
}

#[test]
fn denied_listings_leave_every_check_not_evaluated() {
    let denied = || vec![Reply::json(403, recorded("permission-denied.json"))];
    let peer = google(vec![
        route("GET", SA, denied()),
        route("GET", BQ, denied()),
        route("GET", GKE, denied()),
        route(
            "GET",
            "/v1/projects/acme-prod/locations/global/securityCenterServices",
            denied(),
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 3, "incomplete scan expected: {}", run.stderr);
    let got = verdicts(&result);
    // Only the project itself, which was read, may pass (its BAA coverage).
    let judged: Vec<_> = got
        .iter()
        .filter(|(_, _, o)| o == "pass" || o == "fail")
        .collect();
    assert_eq!(
        judged,
        vec![&(
            "gcp-service-hipaa-eligible".to_string(),
            "acme-prod".to_string(),
            "pass".to_string()
        )],
        "{got:?}"
    );
    let not_evaluated: BTreeSet<&str> = got
        .iter()
        .filter(|(_, _, o)| o == "not_evaluated")
        .map(|(p, _, _)| p.as_str())
        .collect();
    for policy in SA_POLICIES.iter().chain(&BQ_POLICIES).chain(&GKE_POLICIES) {
        assert!(
            not_evaluated.contains(policy),
            "{policy} not in {not_evaluated:?}"
        );
    }
    let text = result.to_string();
    for op in [
        "iam.serviceAccounts.list",
        "bigquery.datasets.list",
        "container.clusters.list",
    ] {
        assert!(
            text.contains(&format!("{op}: PERMISSION_DENIED")),
            "{op} missing from {text}"
        );
    }
}
