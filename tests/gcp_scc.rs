//! Security Command Center's services through the real binary, against recorded answers
//! (tests/recorded/gcp, `scc-services.json`) served by the local peer and reached through
//! `--endpoint securitycentermanagement=`, with the look-alikes `gcp-scc-enabled` must not be
//! fooled by: an inherited state (resolved by `effectiveEnablementState`), another service that is
//! enabled, `INGEST_ONLY`, an effective state left `INHERITED`, a listing without Security Health
//! Analytics and a refused listing. The other services of the project answer empty.

mod common;

use std::path::Path;

use common::peer::{route, serve, Peer, Reply, Route};
use common::{set, verdicts_of};
use serde_json::Value;

const SERVICES: &str = "/v1/projects/acme-prod/locations/global/securityCenterServices";
const POLICY: &str = "gcp-scc-enabled";
const SHA: &str = "security-health-analytics";

use common::google::recorded;

/// The recorded services with Security Health Analytics' intended and effective states (numbers).
fn services(intended: u8, effective: u8) -> Vec<Reply> {
    vec![Reply::json(
        200,
        recorded("scc-services.json")
            .replace("SHA_INTENDED", &intended.to_string())
            .replace("SHA_EFFECTIVE", &effective.to_string()),
    )]
}

fn google(scc: Vec<Reply>) -> Peer {
    let mut routes: Vec<Route> = vec![route("GET", SERVICES, scc)];
    routes.extend(common::google::acme_prod_routes());
    serve(|_| routes, None)
}

/// `scan gcp --project acme-prod` judged by [`POLICY`] alone, gating on medium findings (its
/// severity).
fn scan(dir: &Path, peer: &Peer) -> (common::Run, Value) {
    let run = common::google::scan_acme_prod(
        dir,
        peer,
        &[
            "scan",
            "--output",
            "json=out.json",
            "--select",
            POLICY,
            "--fail-on",
            "medium",
        ],
        &[],
    );
    let out = std::fs::read_to_string(dir.join("out.json"))
        .unwrap_or_else(|e| panic!("no JSON result ({e}): {}", run.stderr));
    (run, serde_json::from_str(&out).unwrap())
}

#[test]
fn security_health_analytics_enablement_gets_exact_verdicts() {
    const INHERITED: u8 = 1;
    const ENABLED: u8 = 2;
    const DISABLED: u8 = 3;
    const INGEST_ONLY: u8 = 4;
    for (intended, effective, outcome, code, why) in [
        // Enabled at the project.
        (ENABLED, ENABLED, "pass", 0, ""),
        // Inherited: judged on the state the API resolved from an ancestor.
        (INHERITED, ENABLED, "pass", 0, ""),
        (INHERITED, DISABLED, "fail", 1, ""),
        (DISABLED, DISABLED, "fail", 1, ""),
        (ENABLED, INGEST_ONLY, "fail", 1, ""),
        // An effective state left INHERITED is not resolved: unknown, never passed.
        (
            INHERITED,
            INHERITED,
            "not_evaluated",
            3,
            "answered effectiveEnablementState INHERITED for security-health-analytics",
        ),
    ] {
        let peer = google(services(intended, effective));
        let dir = tempfile::tempdir().unwrap();
        let (run, result) = scan(dir.path(), &peer);
        // Event Threat Detection (disabled) and Web Security Scanner are not judged.
        assert_eq!(
            verdicts_of(&result, &[POLICY]),
            set(&[
                (POLICY, SHA, outcome),
                (POLICY, "event-threat-detection", "not_applicable"),
                (POLICY, "web-security-scanner", "not_applicable"),
            ]),
            "intended {intended}, effective {effective}"
        );
        assert_eq!(run.code, code, "{}", run.stderr);
        assert!(result.to_string().contains(why), "{why} not in {result}");
        assert_eq!(peer.requests(SERVICES).len(), 1);
    }
}

#[test]
fn a_missing_service_or_a_refused_listing_is_not_evaluated() {
    // The listing answered without Security Health Analytics: unknown, not absent.
    let peer = google(vec![Reply::json(200, "{}")]);
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        verdicts_of(&result, &[POLICY]),
        set(&[(POLICY, SHA, "not_evaluated")])
    );
    assert!(
        result
            .to_string()
            .contains("securitycentermanagement.securityCenterServices.list did not return security-health-analytics"),
        "{result}"
    );

    // Refused: a gap over the kind naming the call.
    let peer = google(vec![Reply::json(403, recorded("permission-denied.json"))]);
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        verdicts_of(&result, &[POLICY]),
        set(&[(
            POLICY,
            "gcp.securitycenter.service (not listed)",
            "not_evaluated"
        )])
    );
    assert!(
        result
            .to_string()
            .contains("securitycentermanagement.securityCenterServices.list: PERMISSION_DENIED"),
        "{result}"
    );
}
