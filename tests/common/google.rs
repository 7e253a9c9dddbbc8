//! The Google Cloud side of the recorded-peer tests: credentials whose token endpoint is the
//! peer, and every API the scan calls pointed at it, so that nothing reaches Google.

use std::path::{Path, PathBuf};

use super::peer::Peer;

/// An ADC file of type `authorized_user` in `dir` whose token endpoint is the peer.
pub fn adc(dir: &Path, peer: &Peer) -> PathBuf {
    let path = dir.join("adc.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"authorized_user","client_id":"test.apps.googleusercontent.com","client_secret":"test-secret","refresh_token":"test-refresh","token_uri":"{}/token"}}"#,
            peer.url
        ),
    )
    .unwrap();
    path
}

/// `--endpoint NAME=<peer>` for every API the scan calls but those in `except`.
pub fn every_api_at(peer: &Peer, except: &[&str]) -> Vec<String> {
    hipaa_scan::gcp::Endpoints::NAMES
        .iter()
        .filter(|api| !except.contains(api))
        .flat_map(|api| ["--endpoint".to_string(), format!("{api}={}", peer.url)])
        .collect()
}

/// `head` (a command and its options), then `gcp --project acme-prod --max-attempts 2` with every
/// API at the peer, then `tail`.
pub fn scan_acme_prod(dir: &Path, peer: &Peer, head: &[&str], tail: &[&str]) -> super::Run {
    let adc = adc(dir, peer);
    let endpoints = every_api_at(peer, &[]);
    let mut args = head.to_vec();
    args.extend(["gcp", "--project", "acme-prod", "--max-attempts", "2"]);
    args.extend(endpoints.iter().map(String::as_str));
    args.extend(tail);
    super::hipaa_scan_env(
        &args,
        dir,
        &[
            ("GOOGLE_APPLICATION_CREDENTIALS", adc.to_str().unwrap()),
            ("GOOGLE_CLOUD_PROJECT", ""),
        ],
    )
}

/// Empty answers for IAM service accounts, BigQuery datasets, GKE clusters, Filestore instances
/// and backups and Security Command Center services in `project`, for peers whose estate holds
/// none (tests/gcp_services.rs and tests/gcp_backups.rs read some). Security Health Analytics
/// still appears, its state unknown (the listing did not return it).
pub fn no_platform_resources(project: &str) -> Vec<super::peer::Route> {
    use super::peer::{route, Reply};
    [
        format!("/v1/projects/{project}/serviceAccounts"),
        format!("/bigquery/v2/projects/{project}/datasets"),
        format!("/v1/projects/{project}/locations/-/clusters"),
        format!("/v1/projects/{project}/locations/-/instances"),
        format!("/v1/projects/{project}/locations/-/backups"),
        format!("/v1/projects/{project}/locations/global/securityCenterServices"),
    ]
    .into_iter()
    .map(|path| route("GET", path, vec![Reply::json(200, "{}")]))
    .collect()
}

/// A recorded answer from `tests/recorded/gcp/`.
pub fn recorded(name: &str) -> String {
    std::fs::read_to_string(super::root().join("tests/recorded/gcp").join(name)).unwrap()
}

/// The routes every one-service test of project `acme-prod` needs: the token endpoint, the
/// project, its and its organization's IAM policies and the organization (its Workspace customer,
/// with no user) recorded; Cloud SQL, KMS, Logging, Monitoring, Storage, Cloud Asset and Service
/// Usage empty. A test adds the routes of the service it reads.
pub fn acme_prod_quiet() -> Vec<super::peer::Route> {
    use super::peer::{route, Reply};
    let json = |name: &str| vec![Reply::json(200, recorded(name))];
    let empty = || vec![Reply::json(200, "{}")];
    let mut routes = vec![
        route("POST", "/token", json("token.json")),
        route("GET", "/v3/projects/acme-prod", json("project.json")),
        route(
            "POST",
            "/v3/projects/acme-prod:getIamPolicy",
            json("project-iam-policy.json"),
        ),
        route(
            "POST",
            "/v3/organizations/433637338589:getIamPolicy",
            json("organization-iam-policy.json"),
        ),
        route(
            "GET",
            "/v3/organizations/433637338589",
            json("organization.json"),
        ),
    ];
    for path in [
        "/admin/directory/v1/users",
        "/v1/projects/acme-prod/instances",
        "/v1/projects/acme-prod/locations",
        "/v2/projects/acme-prod/sinks",
        "/v2/organizations/433637338589/sinks",
        "/v2/projects/acme-prod/metrics",
        "/v3/projects/acme-prod/alertPolicies",
        "/storage/v1/b",
        "/v1/projects/acme-prod:searchAllResources",
        "/v1/projects/acme-prod/services",
    ] {
        routes.push(route("GET", path, empty()));
    }
    routes
}

/// Project `acme-prod` as [`acme_prod_quiet`] gives it, with Compute Engine and the platform
/// services (service accounts, BigQuery, GKE, Filestore, Security Command Center) empty too: tests
/// put their own routes first, so that theirs win.
pub fn acme_prod_routes() -> Vec<super::peer::Route> {
    use super::peer::{route, Reply};
    let mut routes = acme_prod_quiet();
    for path in [
        "/compute/v1/projects/acme-prod/global/firewalls",
        "/compute/v1/projects/acme-prod/aggregated/instances",
        "/compute/v1/projects/acme-prod",
    ] {
        routes.push(route("GET", path, vec![Reply::json(200, "{}")]));
    }
    routes.extend(no_platform_resources("acme-prod"));
    routes
}

/// `inventory gcp` of `acme-prod` at the peer writes a snapshot that passes the kinds' schema and,
/// scanned with `--select select`, gives the verdicts of the live scan `result`.
pub fn replay_matches(dir: &Path, peer: &Peer, select: &str, result: &serde_json::Value) {
    let inv = scan_acme_prod(dir, peer, &["inventory", "--output", "estate.json"], &[]);
    assert_eq!(inv.code, 0, "{}", inv.stderr);
    let replay = super::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            "estate.json",
            "--format",
            "json",
            "--select",
            select,
        ],
        dir,
    );
    assert_eq!(replay.code, 1, "{}", replay.stderr);
    assert_eq!(
        super::verdicts(&serde_json::from_str(&replay.stdout).unwrap()),
        super::verdicts(result)
    );
}

/// The token every recorded Google answer is asked with (`adc` writes credentials whose token
/// endpoint answers it).
pub const BEARER: &str = "Bearer ya29.recorded-test-token";

/// Every request in `seen` carried the recorded token.
pub fn assert_bearer<'a>(seen: impl IntoIterator<Item = &'a super::peer::Seen>) {
    for s in seen {
        assert_eq!(s.authorization.as_deref(), Some(BEARER), "{s:?}");
    }
}

/// BAA coverage of the project itself and of Security Health Analytics, which every scan of
/// `acme-prod` writes: the quiet routes answer Security Command Center with no service, so it
/// is written with its state unknown (tests/gcp_scc.rs), and Security Command Center is on the
/// BAA list.
pub const PROJECT_COVERAGE: [(&str, &str, &str); 2] = [
    ("gcp-service-hipaa-eligible", "acme-prod", "pass"),
    (
        "gcp-service-hipaa-eligible",
        "security-health-analytics",
        "pass",
    ),
];
