//! Compute Engine through the real binary, against recorded answers (tests/recorded/gcp,
//! `compute-*.json`) served by the local peer and reached through `--endpoint compute=`: VPC
//! firewall rules over two pages, VM instances in an aggregated list (one zone unreachable) and
//! the project's common metadata, with the look-alikes each check must not be fooled by. The
//! other services of the project answer with the recorded project and empty lists.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::peer::{route, serve, Peer, Reply, Route};
use common::{set, verdict, verdicts};
use serde_json::Value;

use common::google::recorded;

const COMPUTE: &str = "/compute/v1/projects/acme-prod";

/// What the compute calls answer.
struct Compute {
    firewalls: Vec<Route>,
    instances: Vec<Reply>,
    project: Vec<Reply>,
}

impl Compute {
    fn recorded() -> Compute {
        let json = |name: &str| Reply::json(200, recorded(name));
        let firewalls = format!("{COMPUTE}/global/firewalls");
        Compute {
            firewalls: vec![
                route(
                    "GET",
                    firewalls.clone(),
                    vec![json("compute-firewalls-page2.json")],
                )
                .with_query("pageToken=page-2"),
                route("GET", firewalls, vec![json("compute-firewalls-page1.json")]),
            ],
            instances: vec![json("compute-instances-aggregated.json")],
            project: vec![json("compute-project.json")],
        }
    }
}

/// Compute Engine's 403, which names the permission and has no `status` field.
fn denied(permission: &str) -> Reply {
    Reply::json(
        403,
        recorded("compute-permission-denied.json").replace("compute.firewalls.list", permission),
    )
}

/// The peer for project `acme-prod`: Resource Manager, IAM and the token endpoint recorded;
/// Cloud SQL, Cloud KMS, Cloud Logging, Cloud Monitoring, Cloud Storage, Cloud Asset Inventory,
/// Service Usage, the Workspace users, service accounts, BigQuery and GKE empty; Compute Engine as
/// given.
fn google(compute: Compute) -> Peer {
    let mut routes = common::google::acme_prod_quiet();
    routes.extend([
        route(
            "GET",
            format!("{COMPUTE}/aggregated/instances"),
            compute.instances,
        ),
        route("GET", COMPUTE, compute.project),
    ]);
    routes.extend(compute.firewalls);
    routes.extend(common::google::no_platform_resources("acme-prod"));
    serve(|_| routes, None)
}

/// Compute Engine's policies and BAA coverage only.
const SELECT: &str = "gcp-compute-*,gcp-service-hipaa-eligible";

/// `scan gcp --project acme-prod` with every API at the peer, judged by [`SELECT`].
fn scan(dir: &Path, peer: &Peer) -> (common::Run, Value) {
    let run = hipaa(
        dir,
        peer,
        &["scan", "--output", "json=out.json", "--select", SELECT],
    );
    let out = std::fs::read_to_string(dir.join("out.json"))
        .unwrap_or_else(|e| panic!("no JSON result ({e}): {}", run.stderr));
    (run, serde_json::from_str(&out).unwrap())
}

/// `head` (a command and its options), then `gcp --project acme-prod` with every API at the peer.
fn hipaa(dir: &Path, peer: &Peer, head: &[&str]) -> common::Run {
    common::google::scan_acme_prod(dir, peer, head, &[])
}

const INSTANCE_POLICIES: [&str; 7] = [
    "gcp-compute-instance-no-public-ip",
    "gcp-compute-instance-os-login",
    "gcp-compute-instance-serial-port-disabled",
    "gcp-compute-instance-no-default-sa-full-scope",
    "gcp-compute-instance-shielded-vm",
    "gcp-compute-instance-cmek-disks",
    "gcp-compute-instance-ip-forwarding-disabled",
];

#[test]
fn firewalls_and_instances_get_exact_verdicts_with_their_look_alikes() {
    let peer = google(Compute::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 1, "findings expected: {}", run.stderr);

    let mut expected: Vec<(&str, &str, &str)> = Vec::new();
    // Firewall rules: (name, admin ports, database ports).
    for (rule, admin, db) in [
        ("default-allow-ssh", "fail", "pass"),
        ("default-allow-rdp", "fail", "pass"),
        // 10.128.0.0/9: every port, but from a private range narrower than /8.
        ("default-allow-internal", "pass", "pass"),
        // Two halves of IPv4 on MySQL.
        ("allow-halves-mysql", "pass", "fail"),
        // 20-30 holds 22 (SSH) and 23 (Telnet).
        ("allow-low-ports", "fail", "fail"),
        // Protocol `all` from all of IPv6.
        ("allow-all-v6", "fail", "fail"),
        // Look open, but disabled, EGRESS, a deny rule, a source tag, web ports, IAP's range.
        ("ssh-disabled", "pass", "pass"),
        ("egress-all", "pass", "pass"),
        ("deny-ssh", "pass", "pass"),
        ("ssh-from-bastion", "pass", "pass"),
        ("allow-https", "pass", "pass"),
        ("ssh-iap", "pass", "pass"),
    ] {
        expected.push(("gcp-compute-firewall-no-internet-admin-ports", rule, admin));
        expected.push(("gcp-compute-firewall-no-internet-database-ports", rule, db));
        expected.push(("gcp-service-hipaa-eligible", rule, "pass"));
    }
    // Instances, in the order of INSTANCE_POLICIES; "-" where the policy judges ePHI scope
    // only and the instance is not labelled so.
    for (vm, outcomes) in [
        // Private, OS Login from the project, serial console off on the instance over the
        // project's on, a dedicated account with full scope, Shielded, CMEK on both persistent
        // disks (the local SSD is not judged).
        (
            "ehr-app",
            ["pass", "pass", "pass", "pass", "pass", "pass", "pass"],
        ),
        // A public address, OS Login off on the instance over the project's on, the serial
        // console inherited, the default account with full scope, integrity monitoring off
        // (Secure Boot too, which alone is not judged), no CMEK.
        (
            "ehr-web",
            ["fail", "fail", "fail", "fail", "fail", "fail", "pass"],
        ),
        // Out of ePHI scope; forwards IP.
        ("nat-gw", ["-", "pass", "pass", "pass", "pass", "-", "fail"]),
        // Stopped, so no address now, but its access config takes one when it starts; the
        // default account with narrow scopes; no Shielded VM settings at all (not evaluated,
        // never passed: asserted below); a data disk without CMEK.
        (
            "ehr-batch",
            ["fail", "pass", "fail", "pass", "-", "fail", "pass"],
        ),
    ] {
        for (policy, outcome) in INSTANCE_POLICIES.iter().zip(outcomes) {
            if outcome != "-" {
                expected.push((policy, vm, outcome));
            }
        }
        expected.push(("gcp-service-hipaa-eligible", vm, "pass"));
    }
    expected.extend(common::google::PROJECT_COVERAGE);
    let expected = set(&expected);
    // The unreachable zone: every instance check, and BAA coverage, is not evaluated there.
    let mut written_for: BTreeSet<(String, String, String)> = expected.clone();
    written_for.extend(
        INSTANCE_POLICIES
            .iter()
            .map(|p| (p.to_string(), String::new(), String::new())),
    );
    let (gaps, got): (BTreeSet<_>, BTreeSet<_>) =
        common::written_for(verdicts(&result), &written_for)
            .into_iter()
            .partition(|(_, _, outcome)| outcome == "not_evaluated");
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded estate"
    );
    // No Shielded VM settings at all on ehr-batch: not evaluated (counted with the gaps' here).
    assert_eq!(
        verdict(&result, "gcp-compute-instance-shielded-vm", "ehr-batch")["outcome"],
        "not_evaluated"
    );
    let gap_policies: BTreeSet<&str> = gaps.iter().map(|(p, _, _)| p.as_str()).collect();
    let mut want: BTreeSet<&str> = INSTANCE_POLICIES.into_iter().collect();
    want.insert("gcp-service-hipaa-eligible");
    assert_eq!(gap_policies, want, "{gaps:?}");
    let text = result.to_string();
    assert!(
        text.contains("asia-east1-b") && text.contains("UNREACHABLE"),
        "the gap names the zone and why"
    );

    // Evidence: what opened the port, and the disk without a key.
    let low = verdict(
        &result,
        "gcp-compute-firewall-no-internet-admin-ports",
        "allow-low-ports",
    )
    .to_string();
    assert!(low.contains("tcp 22 from 0.0.0.0/0"), "{low}");
    let halves = verdict(
        &result,
        "gcp-compute-firewall-no-internet-database-ports",
        "allow-halves-mysql",
    )
    .to_string();
    assert!(
        halves.contains("tcp 3306 from 0.0.0.0/1, 128.0.0.0/1"),
        "{halves}"
    );
    let batch = verdict(&result, "gcp-compute-instance-cmek-disks", "ehr-batch").to_string();
    assert!(batch.contains("ehr-batch-scratch"), "{batch}");

    // The second page of firewall rules was read; the instances in one aggregated call; the
    // project's metadata once; every call with the token.
    let fw = peer.requests(&format!("{COMPUTE}/global/firewalls"));
    assert_eq!(fw.len(), 2, "{fw:?}");
    assert!(fw[1].target.contains("pageToken=page-2"));
    assert_eq!(
        peer.requests(&format!("{COMPUTE}/aggregated/instances"))
            .len(),
        1
    );
    common::google::assert_bearer(&peer.requests("/compute/v1/"));

    // `inventory gcp` writes a snapshot that gives the same verdicts when scanned.
    common::google::replay_matches(dir.path(), &peer, SELECT, &result);
}

#[test]
fn unreadable_project_metadata_leaves_only_the_inherited_settings_not_evaluated() {
    let mut compute = Compute::recorded();
    compute.project = vec![denied("compute.projects.get")];
    let peer = google(compute);
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got = verdicts(&result);
    for (policy, vm, outcome) in [
        // Set on the instance: known without the project.
        ("gcp-compute-instance-os-login", "ehr-web", "fail"),
        (
            "gcp-compute-instance-serial-port-disabled",
            "ehr-app",
            "pass",
        ),
        (
            "gcp-compute-instance-serial-port-disabled",
            "nat-gw",
            "pass",
        ),
        // Inherited: unknown, never a pass or a fail.
        ("gcp-compute-instance-os-login", "ehr-app", "not_evaluated"),
        (
            "gcp-compute-instance-os-login",
            "ehr-batch",
            "not_evaluated",
        ),
        (
            "gcp-compute-instance-serial-port-disabled",
            "ehr-web",
            "not_evaluated",
        ),
        // Nothing else depends on the project's metadata.
        ("gcp-compute-instance-no-public-ip", "ehr-web", "fail"),
        ("gcp-compute-instance-shielded-vm", "ehr-app", "pass"),
    ] {
        assert!(
            got.contains(&(policy.into(), vm.into(), outcome.into())),
            "{policy} {vm}: expected {outcome} in {got:?}"
        );
    }
    let why = verdict(&result, "gcp-compute-instance-os-login", "ehr-app").to_string();
    assert!(
        why.contains("compute.projects.get: HTTP 403") && why.contains("enable-oslogin"),
        "{why}"
    );
}

#[test]
fn a_denied_compute_api_makes_every_compute_check_not_evaluated() {
    let peer = google(Compute {
        firewalls: vec![route(
            "GET",
            format!("{COMPUTE}/global/firewalls"),
            vec![denied("compute.firewalls.list")],
        )],
        instances: vec![denied("compute.instances.list")],
        project: vec![denied("compute.projects.get")],
    });
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 3, "incomplete scan expected: {}", run.stderr);
    let got = verdicts(&result);
    // Only the project itself and Security Health Analytics (written with its state unknown),
    // which were read, may pass (their BAA coverage).
    let passed: Vec<_> = got
        .iter()
        .filter(|(_, _, o)| o == "pass" || o == "fail")
        .collect();
    let eligible = |name: &str| {
        (
            "gcp-service-hipaa-eligible".to_string(),
            name.to_string(),
            "pass".to_string(),
        )
    };
    assert_eq!(
        passed,
        vec![
            &eligible("acme-prod"),
            &eligible("security-health-analytics")
        ],
        "{got:?}"
    );
    let judged: BTreeSet<&str> = got
        .iter()
        .filter(|(_, _, o)| o == "not_evaluated")
        .map(|(p, _, _)| p.as_str())
        .collect();
    for policy in INSTANCE_POLICIES.iter().chain(&[
        "gcp-compute-firewall-no-internet-admin-ports",
        "gcp-compute-firewall-no-internet-database-ports",
    ]) {
        assert!(judged.contains(policy), "{policy} not in {judged:?}");
    }
    let text = result.to_string();
    for (op, permission) in [
        ("compute.firewalls.list", "compute.firewalls.list"),
        ("compute.instances.aggregatedList", "compute.instances.list"),
    ] {
        let why = format!("{op}: HTTP 403: Required '{permission}' permission");
        assert!(text.contains(&why), "{why} missing from {text}");
    }
}
