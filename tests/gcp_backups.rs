//! Filestore instances and their backups through the real binary, against recorded answers
//! (tests/recorded/gcp, `filestore-*.json`) served by the local peer and reached through
//! `--endpoint file=`, with the look-alikes `gcp-filestore-backup-recent` must not be fooled by:
//! backups still creating or finalizing, an invalid one, and a backup of an instance with the
//! same short name in another location. The other services of the project answer with the
//! recorded project and empty lists.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::peer::{route, serve, Peer, Reply, Route};
use common::{set, verdicts};
use serde_json::Value;

use common::google::recorded;

const INSTANCES: &str = "/v1/projects/acme-prod/locations/-/instances";
const BACKUPS: &str = "/v1/projects/acme-prod/locations/-/backups";
const POLICY: &str = "gcp-filestore-backup-recent";
/// How a kind that could not be listed (in full) is named in the verdicts.
const GAP: &str = "gcp.file.instance (not listed)";
const SELECT: &str = "gcp-filestore-backup-recent,gcp-service-hipaa-eligible";

/// A recorded answer with `RECENT` ten hours and `STALE` ten days before now.
fn dated(name: &str) -> String {
    let ago = |d: chrono::Duration| {
        (chrono::Utc::now() - d).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    recorded(name)
        .replace("RECENT", &ago(chrono::Duration::hours(10)))
        .replace("STALE", &ago(chrono::Duration::days(10)))
}

fn denied() -> Vec<Reply> {
    vec![Reply::json(403, recorded("permission-denied.json"))]
}

/// The recorded instances over two pages.
fn instances() -> Vec<Route> {
    vec![
        route(
            "GET",
            INSTANCES,
            vec![Reply::json(200, dated("filestore-instances-page2.json"))],
        )
        .with_query("pageToken=fs-2"),
        route(
            "GET",
            INSTANCES,
            vec![Reply::json(200, dated("filestore-instances-page1.json"))],
        ),
    ]
}

/// The peer for project `acme-prod`: Filestore as given (first, so it wins), the rest recorded
/// or empty.
fn google(filestore: Vec<Route>) -> Peer {
    let mut routes = filestore;
    routes.extend(common::google::acme_prod_routes());
    serve(|_| routes, None)
}

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

/// The verdict of [`POLICY`] on `name`, as JSON text.
fn evidence(result: &Value, name: &str) -> String {
    result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["policy"] == POLICY && v["resource"]["name"] == name)
        .unwrap_or_else(|| panic!("no {POLICY} verdict for {name}"))
        .to_string()
}

#[test]
fn filestore_instances_get_exact_backup_verdicts_with_their_look_alikes() {
    let mut routes = instances();
    routes.push(route(
        "GET",
        BACKUPS,
        vec![Reply::json(200, dated("filestore-backups.json"))],
    ));
    let peer = google(routes);
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 1, "findings expected: {}", run.stderr);

    let mut expected: Vec<(&str, &str, &str)> = vec![
        // A READY backup ten hours old, named by project number; an older one beside it.
        (POLICY, "ehr-share", "pass"),
        // READY only ten days ago; the newer ones are CREATING, FINALIZING and INVALID.
        (POLICY, "scans", "fail"),
        // Only a backup of another `records`, in us-west1.
        (POLICY, "records", "fail"),
        // sourceInstance names the project by ID.
        (POLICY, "lab", "pass"),
        // Still being created.
        (POLICY, "building", "not_applicable"),
    ];
    // `scratch` is outside ePHI scope: only its BAA coverage is judged.
    for name in [
        "ehr-share",
        "scans",
        "records",
        "lab",
        "building",
        "scratch",
    ] {
        expected.push(("gcp-service-hipaa-eligible", name, "pass"));
    }
    expected.extend(common::google::PROJECT_COVERAGE);
    let expected = set(&expected);
    // The zone the instance listing could not reach: a gap, judged as not evaluated under the
    // project, never passed.
    let (gaps, got): (BTreeSet<_>, BTreeSet<_>) = verdicts(&result)
        .into_iter()
        .partition(|(_, name, _)| name == GAP);
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded estate"
    );
    assert_eq!(
        gaps,
        set(&[
            (POLICY, GAP, "not_evaluated"),
            ("gcp-service-hipaa-eligible", GAP, "not_evaluated"),
        ])
    );
    let text = result.to_string();
    assert!(
        text.contains("file.instances.list: location asia-east1-a was unreachable"),
        "{text}"
    );
    // The newest READY backup is the evidence; `scans` shows the old one, not the newer ones.
    let scans = evidence(&result, "scans");
    let stale = (chrono::Utc::now() - chrono::Duration::days(10))
        .format("\"latest_backup_time\":\"%Y-%m-%d")
        .to_string();
    assert!(scans.contains(&stale), "{stale} not in {scans}");
    assert!(
        evidence(&result, "records").contains("\"latest_backup_time\":null"),
        "{}",
        evidence(&result, "records")
    );

    // Both pages of instances, every location at once; every call with the token.
    let listed = peer.requests(INSTANCES);
    assert!(
        listed.iter().any(|s| s.target.contains("pageToken=fs-2")),
        "{listed:?}"
    );
    assert_eq!(peer.requests(BACKUPS).len(), 1);
    common::google::assert_bearer(listed.iter().chain(&peer.requests(BACKUPS)));

    // `inventory gcp` writes a snapshot that gives the same verdicts when scanned.
    common::google::replay_matches(dir.path(), &peer, SELECT, &result);
}

#[test]
fn refused_backups_leave_the_check_not_evaluated_and_refused_instances_are_a_gap() {
    // Backups refused: every instance is read, none is judged on its backups.
    let mut routes = instances();
    routes.push(route("GET", BACKUPS, denied()));
    let peer = google(routes);
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    // Exit 3: the unreachable zone and the unknown backups; nothing failed.
    assert_eq!(run.code, 3, "incomplete scan expected: {}", run.stderr);
    let got = common::verdicts_of(&result, &[POLICY]);
    let mut expected = vec![(POLICY, "building", "not_applicable")];
    for name in ["ehr-share", "scans", "records", "lab"] {
        expected.push((POLICY, name, "not_evaluated"));
    }
    let got: BTreeSet<_> = got.into_iter().filter(|(_, n, _)| n != GAP).collect();
    assert_eq!(got, set(&expected));
    let ehr = evidence(&result, "ehr-share");
    assert!(
        ehr.contains("file.backups.list: PERMISSION_DENIED"),
        "{ehr}"
    );

    // A backup listing that could not reach a location: the newest backup may be there.
    let mut routes = instances();
    routes.push(route(
        "GET",
        BACKUPS,
        vec![Reply::json(
            200,
            dated("filestore-backups.json").replacen(
                "\"backups\": [",
                "\"unreachable\": [\"us-west1\"], \"backups\": [",
                1,
            ),
        )],
    ));
    let peer = google(routes);
    let dir = tempfile::tempdir().unwrap();
    let (_, result) = scan(dir.path(), &peer);
    let ehr = evidence(&result, "ehr-share");
    assert!(ehr.contains("\"not_evaluated\""), "{ehr}");
    assert!(
        ehr.contains("file.backups.list: location us-west1 was unreachable"),
        "{ehr}"
    );

    // Instances refused: a gap over the kind, not evaluated under the project, never passed.
    let peer = google(vec![
        route("GET", INSTANCES, denied()),
        route("GET", BACKUPS, vec![Reply::json(200, "{}")]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 3, "incomplete scan expected: {}", run.stderr);
    assert_eq!(
        common::verdicts_of(&result, &[POLICY]),
        set(&[(POLICY, GAP, "not_evaluated")])
    );
    let text = result.to_string();
    assert!(
        text.contains("file.instances.list: PERMISSION_DENIED"),
        "{text}"
    );
}
