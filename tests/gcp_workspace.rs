//! Cloud Identity / Google Workspace users through the real binary, against recorded answers
//! (tests/recorded/gcp, `organization.json` and `directory-*.json`) served by the local peer and
//! reached through `--endpoint admin=` and `--endpoint cloudresourcemanager=`: the customer found
//! from the organization of the scanned project (or named with `--workspace-customer`), its users
//! over two pages, and the 2-Step Verification verdict of each; what happens when the Directory
//! API refuses, when no customer can be found, and in a sharded scan. Every other API of the
//! project answers with an empty object; only `gcp-identity-user-2sv` is judged.

mod common;

use std::path::Path;

use common::peer::{route, serve, Peer, Reply, Route};
use common::{set, verdicts_of, written_for};
use serde_json::Value;

fn recorded(name: &str) -> String {
    std::fs::read_to_string(common::root().join("tests/recorded/gcp").join(name)).unwrap()
}

const POLICY: &str = "gcp-identity-user-2sv";
const USERS: &str = "/admin/directory/v1/users";
const ORG: &str = "/v3/organizations/433637338589";
/// The customer of organization 433637338589 (`organization.json`).
const CUSTOMER: &str = "C01abc234";
/// The users' e-mail domain: what must never reach a log.
const DOMAIN: &str = "@acme.example";
/// The scope a Directory API token is asked for.
const DIRECTORY_SCOPE: &str = "https://www.googleapis.com/auth/admin.directory.user.readonly";

/// What the calls this test is about answer.
struct Answers {
    /// The token endpoint.
    token: Vec<Reply>,
    /// The token endpoint, for requests that ask for the Directory scope (else as `token`).
    directory_token: Option<Vec<Reply>>,
    project: Reply,
    organization: Reply,
    users: Vec<Route>,
}

impl Answers {
    /// The recorded estate: `acme-prod` under the organization, whose customer has seven users
    /// on two pages.
    fn recorded() -> Answers {
        Answers {
            token: vec![Reply::json(200, recorded("token.json"))],
            directory_token: None,
            project: Reply::json(200, recorded("project.json")),
            organization: Reply::json(200, recorded("organization.json")),
            users: users_of(CUSTOMER),
        }
    }
}

/// The two recorded pages of users, for `customer`.
fn users_of(customer: &str) -> Vec<Route> {
    let json = |name: &str| vec![Reply::json(200, recorded(name))];
    vec![
        route("GET", USERS, json("directory-users-page2.json")).with_query("pageToken=page-2"),
        route("GET", USERS, json("directory-users-page1.json")).with_query(&format!(
            "customer={customer}&maxResults=500&projection=basic"
        )),
    ]
}

/// The peer: the token endpoint, the project, its organization and the Directory API as given;
/// every other call (IAM policies, Cloud SQL, Cloud KMS, Logging, Monitoring, Storage, Compute,
/// Cloud Asset Inventory, Service Usage) an empty object.
fn google(a: Answers) -> Peer {
    let mut routes = Vec::new();
    if let Some(replies) = a.directory_token {
        routes.push(route("POST", "/token", replies).with_body(DIRECTORY_SCOPE));
    }
    routes.extend([
        route("POST", "/token", a.token),
        route("GET", "/v3/projects/acme-prod", vec![a.project]),
        route("GET", ORG, vec![a.organization]),
    ]);
    routes.extend(a.users);
    routes.push(route("*", "*", vec![Reply::json(200, "{}")]));
    serve(|_| routes, None)
}

/// `scan ... gcp` judged by the 2SV policy only: the run (text on stdout) and its JSON result.
fn scan(dir: &Path, peer: &Peer, tail: &[&str]) -> (common::Run, Value) {
    let run = common::google::scan_acme_prod(
        dir,
        peer,
        &["scan", "--output", "json=out.json", "--select", POLICY],
        tail,
    );
    let out = std::fs::read_to_string(dir.join("out.json"))
        .unwrap_or_else(|e| panic!("no JSON result ({e}): {}", run.stderr));
    (run, serde_json::from_str(&out).unwrap())
}

/// The gaps of a JSON result's inventory over `gcp.identity.user`, as (account, reason).
fn user_gaps(result: &Value) -> Vec<(String, String)> {
    assert!(result["inventory"].is_object(), "no embedded inventory");
    // An inventory without gaps leaves the list out.
    result["inventory"]["gaps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| {
            g["kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k == "gcp.identity.user")
        })
        .map(|g| {
            (
                g["account"].as_str().unwrap().to_string(),
                g["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// How many times the organization itself was read (`organizations.get`, not its IAM policy).
fn org_gets(peer: &Peer) -> usize {
    peer.requests(ORG)
        .iter()
        .filter(|s| s.method == "GET" && s.target.split('?').next() == Some(ORG))
        .count()
}

/// The verdict of the 2SV policy on `name`.
fn verdict<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["policy"] == POLICY && v["resource"]["name"] == name)
        .unwrap_or_else(|| panic!("no {POLICY} verdict for {name}"))
}

/// The exact verdicts of the recorded users.
fn recorded_verdicts() -> std::collections::BTreeSet<(String, String, String)> {
    set(&[
        // Enrolled and enforced.
        (POLICY, "alice@acme.example", "pass"),
        // Enrolled, not enforced: the user can turn it off again.
        (POLICY, "bob@acme.example", "fail"),
        // Enforced, not enrolled yet: still signs in with a password.
        (POLICY, "carol@acme.example", "fail"),
        // The answer leaves both 2SV fields out: unknown, never false and never a pass.
        (POLICY, "dave@acme.example", "not_evaluated"),
        // Suspended, and archived: neither can sign in.
        (POLICY, "erin@acme.example", "pass"),
        (POLICY, "frank@acme.example", "pass"),
        // Neither.
        (POLICY, "grace@acme.example", "fail"),
    ])
}

#[test]
fn users_get_exact_2sv_verdicts_with_the_customer_of_the_projects_organization() {
    let peer = google(Answers::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer, &[]);
    assert_eq!(run.code, 1, "findings expected: {}", run.stderr);
    let expected = recorded_verdicts();
    let got = written_for(verdicts_of(&result, &[POLICY]), &expected);
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded users"
    );
    let why = verdict(&result, "dave@acme.example").to_string();
    assert!(
        why.contains("admin.directory.users.list") && why.contains("isEnrolledIn2Sv"),
        "{why}"
    );
    assert_eq!(user_gaps(&result), Vec::<(String, String)>::new());

    // Each user: the Directory id, the customer as account, region global.
    let inventory = result["inventory"]["resources"].as_array().unwrap();
    let alice = inventory
        .iter()
        .find(|r| r["name"] == "alice@acme.example")
        .unwrap();
    assert_eq!(alice["kind"], "gcp.identity.user");
    assert_eq!(alice["id"], "104857600000000000001");
    assert_eq!(alice["account"], CUSTOMER);
    assert_eq!(alice["region"], "global");

    // The customer came from the organization, read once; the users over two pages, with the
    // token, asking only for the fields the check reads.
    assert_eq!(org_gets(&peer), 1);
    let pages = peer.requests(USERS);
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(!pages[0].target.contains("pageToken"));
    assert!(pages[1].target.contains("pageToken=page-2"));
    for p in &pages {
        assert!(p.target.contains("customer=C01abc234"), "{p:?}");
        assert!(p.target.contains("fields="), "{p:?}");
        assert_eq!(
            p.authorization.as_deref(),
            Some("Bearer ya29.recorded-test-token"),
            "{p:?}"
        );
    }
    // The addresses name the users in reports, as Entra's user principal names do; they never
    // reach the log.
    assert!(!run.stderr.contains(DOMAIN), "{}", run.stderr);

    // `inventory gcp` writes a snapshot that passes the kinds' schema and gives the same
    // verdicts when scanned.
    let inv = common::google::scan_acme_prod(
        dir.path(),
        &peer,
        &["inventory", "--output", "estate.json"],
        &[],
    );
    assert_eq!(inv.code, 0, "{}", inv.stderr);
    assert!(!inv.stderr.contains(DOMAIN), "{}", inv.stderr);
    let replay = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            "estate.json",
            "--format",
            "json",
            "--select",
            POLICY,
        ],
        dir.path(),
    );
    assert_eq!(replay.code, 1, "{}", replay.stderr);
    assert_eq!(
        verdicts_of(&serde_json::from_str(&replay.stdout).unwrap(), &[POLICY]),
        verdicts_of(&result, &[POLICY])
    );
}

#[test]
fn a_named_customer_is_read_without_asking_the_organization() {
    let peer = google(Answers {
        organization: Reply::json(403, recorded("permission-denied.json")),
        users: users_of("my_customer"),
        ..Answers::recorded()
    });
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer, &["--workspace-customer", "my_customer"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = recorded_verdicts();
    assert_eq!(
        written_for(verdicts_of(&result, &[POLICY]), &expected),
        expected
    );
    assert_eq!(org_gets(&peer), 0, "the flag names the customer");
    assert_eq!(peer.requests("customer=my_customer").len(), 2);
}

#[test]
fn a_refused_directory_call_is_a_gap_naming_the_call_and_the_scan_is_incomplete() {
    let unauthenticated = r#"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#;
    let unknown = r#"{"error":{"code":404,"message":"Resource Not Found: customer","errors":[{"message":"Resource Not Found: customer","domain":"global","reason":"notFound"}]}}"#;
    let repeating = r#"{"users":[{"id":"1","primaryEmail":"loop@acme.example","suspended":false,"archived":false,"isEnrolledIn2Sv":true,"isEnforcedIn2Sv":true}],"nextPageToken":"again"}"#;
    for (reply, reason) in [
        (
            Reply::json(403, recorded("directory-not-authorized.json")),
            "admin.directory.users.list: Not Authorized to access this resource/api (HTTP 403)",
        ),
        (
            Reply::json(401, unauthenticated),
            "admin.directory.users.list: UNAUTHENTICATED: Request had invalid authentication credentials. (HTTP 401)",
        ),
        (
            Reply::json(404, unknown),
            "admin.directory.users.list: Resource Not Found: customer (HTTP 404)",
        ),
        (
            Reply::json(200, repeating),
            "admin.directory.users.list: the next page token repeats",
        ),
    ] {
        let peer = google(Answers {
            users: vec![route("GET", USERS, vec![reply])],
            ..Answers::recorded()
        });
        let dir = tempfile::tempdir().unwrap();
        let (run, result) = scan(dir.path(), &peer, &[]);
        assert_eq!(run.code, 3, "{reason}: {}", run.stderr);
        // Nothing judged but the gap: a partial list is not kept.
        let got = verdicts_of(&result, &[POLICY]);
        assert_eq!(got.len(), 1, "{reason}: {got:?}");
        assert!(
            got.iter().all(|(_, _, outcome)| outcome == "not_evaluated"),
            "{got:?}"
        );
        let gaps = user_gaps(&result);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!(gaps[0].0, CUSTOMER);
        assert!(gaps[0].1.starts_with(reason), "{reason}: {gaps:?}");
        // The reason reaches the verdict and the text report.
        assert!(result.to_string().contains(reason), "{reason}");
        assert!(run.stdout.contains(reason), "{reason}: {}", run.stdout);
        if reason.contains("HTTP 403") {
            assert!(gaps[0].1.contains("Users > Read"), "{gaps:?}");
        }
        assert!(!run.stderr.contains(DOMAIN), "{}", run.stderr);
    }
}

#[test]
fn without_a_customer_the_users_are_a_gap_that_says_how_to_name_it() {
    let outside = recorded("project.json").replace("organizations/433637338589", "");
    for (answers, account, reason) in [
        // The organization cannot be read.
        (
            Answers {
                organization: Reply::json(403, recorded("permission-denied.json")),
                ..Answers::recorded()
            },
            "organizations/433637338589",
            "the Cloud Identity or Google Workspace customer of organizations/433637338589 is unknown: cloudresourcemanager.organizations.get: PERMISSION_DENIED: The caller does not have permission",
        ),
        // The organization has no customer.
        (
            Answers {
                organization: Reply::json(
                    200,
                    r#"{"name":"organizations/433637338589","displayName":"acme.example","state":1}"#,
                ),
                ..Answers::recorded()
            },
            "organizations/433637338589",
            "the organization has no directoryCustomerId",
        ),
        // The project belongs to no organization.
        (
            Answers {
                project: Reply::json(200, outside),
                ..Answers::recorded()
            },
            "acme-prod",
            "project acme-prod belongs to no organization",
        ),
        // The project cannot be read, so neither can its organization.
        (
            Answers {
                project: Reply::json(403, recorded("permission-denied.json")),
                ..Answers::recorded()
            },
            "acme-prod",
            "the organization of project acme-prod is unknown (cloudresourcemanager.projects.get: PERMISSION_DENIED",
        ),
    ] {
        let peer = google(answers);
        let dir = tempfile::tempdir().unwrap();
        let (run, result) = scan(dir.path(), &peer, &[]);
        assert_eq!(run.code, 3, "{reason}: {}", run.stderr);
        let gaps = user_gaps(&result);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!(gaps[0].0, account, "{gaps:?}");
        assert!(gaps[0].1.contains(reason), "{reason}: {gaps:?}");
        assert!(gaps[0].1.contains("--workspace-customer"), "{gaps:?}");
        assert!(run.stdout.contains("--workspace-customer"), "{}", run.stdout);
        let got = verdicts_of(&result, &[POLICY]);
        assert!(
            !got.is_empty() && got.iter().all(|(_, _, o)| o == "not_evaluated"),
            "{got:?}"
        );
        assert_eq!(peer.requests(USERS).len(), 0, "no customer, no Directory call");
    }
}

#[test]
fn a_malformed_customer_is_a_usage_error_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["acme.example", "C01abc234&customer=other", "c"] {
        let run = common::hipaa_scan(
            &[
                "scan",
                "gcp",
                "--project",
                "acme-prod",
                "--workspace-customer",
                bad,
            ],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("--workspace-customer"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("my_customer"), "{}", run.stderr);
    }
}

#[test]
fn a_sharded_scan_reads_a_named_customer_in_one_shard_and_merges() {
    let peer = google(Answers::recorded());
    let dir = tempfile::tempdir().unwrap();
    for k in ["1/2", "2/2"] {
        let out = format!("json=shard-{}.json", &k[..1]);
        let run = common::google::scan_acme_prod(
            dir.path(),
            &peer,
            &["scan", "--output", &out, "--select", POLICY, "--shard", k],
            &["--workspace-customer", CUSTOMER],
        );
        assert!([0, 1, 3].contains(&run.code), "{k}: {}", run.stderr);
    }
    // acme-prod falls in shard 1 and C01abc234 in shard 2 (SHA-256 of the ids): shard 2, with no
    // project of its own, read the two pages; shard 1 none, and no organization was asked.
    assert_eq!(peer.requests(USERS).len(), 2);
    assert_eq!(org_gets(&peer), 0);
    let users_in = |k: &str| -> usize {
        let result: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(format!("shard-{k}.json"))).unwrap(),
        )
        .unwrap();
        result["inventory"]["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["kind"] == "gcp.identity.user")
            .count()
    };
    assert_eq!((users_in("1"), users_in("2")), (0, 7));
    let merged = common::hipaa_scan(
        &[
            "merge",
            "shard-1.json",
            "shard-2.json",
            "--expect-shards",
            "2",
            "--select",
            POLICY,
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(merged.code, 1, "{}", merged.stderr);
    let result: Value = serde_json::from_str(&merged.stdout).unwrap();
    let expected = recorded_verdicts();
    assert_eq!(
        written_for(verdicts_of(&result, &[POLICY]), &expected),
        expected
    );
}

#[test]
fn a_sharded_scan_that_cannot_tell_the_shard_holding_the_customer_says_so() {
    let peer = google(Answers::recorded());
    let dir = tempfile::tempdir().unwrap();
    let mut gaps = Vec::new();
    for k in ["1/2", "2/2"] {
        let out = format!("json=shard-{}.json", &k[..1]);
        let run = common::google::scan_acme_prod(
            dir.path(),
            &peer,
            &["scan", "--output", &out, "--select", POLICY, "--shard", k],
            &[],
        );
        assert!([0, 1, 3].contains(&run.code), "{k}: {}", run.stderr);
        let result: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(format!("shard-{}.json", &k[..1]))).unwrap(),
        )
        .unwrap();
        gaps.extend(user_gaps(&result));
    }
    // acme-prod falls in shard 1 and organizations/433637338589 in shard 2 (SHA-256 of the
    // ids). The organization is known only to shard 1, through acme-prod, and shard 2, which
    // holds it, has no project to learn it from: nobody reads the users, so shard 1 says so for
    // acme-prod, naming the flags that fix it, instead of leaving them silently unassessed.
    assert_eq!(peer.requests(USERS).len(), 0);
    assert_eq!(
        org_gets(&peer),
        0,
        "shard 1 does not read what it does not hold"
    );
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].0, "acme-prod");
    assert!(
        gaps[0].1.contains("--organization 433637338589")
            && gaps[0].1.contains("--workspace-customer"),
        "{gaps:?}"
    );
    // The shards merge: no account is in both.
    let merged = common::hipaa_scan(
        &[
            "merge",
            "shard-1.json",
            "shard-2.json",
            "--expect-shards",
            "2",
            "--select",
            POLICY,
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(merged.code, 3, "{}", merged.stderr);
}

#[test]
fn a_login_that_cannot_have_the_directory_scope_loses_the_users_only_and_says_how_to_log_in() {
    // gcloud's default login grants no Directory scope: Google's token endpoint refuses a token
    // of that scope, and gives the cloud APIs theirs.
    let refused =
        r#"{"error":"invalid_scope","error_description":"Some requested scopes were invalid."}"#;
    let peer = google(Answers {
        directory_token: Some(vec![Reply::json(400, refused)]),
        ..Answers::recorded()
    });
    let dir = tempfile::tempdir().unwrap();
    let (run, result) = scan(dir.path(), &peer, &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let gaps = user_gaps(&result);
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].0, CUSTOMER);
    assert!(
        gaps[0]
            .1
            .starts_with("admin.directory.users.list: could not get an access token"),
        "{gaps:?}"
    );
    assert!(
        gaps[0].1.contains("--scopes=") && gaps[0].1.contains("admin.directory.user.readonly"),
        "{gaps:?}"
    );
    assert_eq!(peer.requests(USERS).len(), 0, "no call without a token");
    // The cloud APIs read with their own token: the project is there.
    assert!(result["inventory"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["kind"] == "gcp.project"));
}
