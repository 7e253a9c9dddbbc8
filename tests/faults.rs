//! The fault matrix: each API family (AWS, Google Cloud, Azure) against each fault a real
//! endpoint can produce. In every cell the scan must end by its deadline, must not pass
//! anything it could not read (exit 2, or 3 with every affected check not evaluated), and must
//! name the call that failed.
//!
//! The peers are local: a plain-http peer for AWS and Google (loopback http is allowed; Google
//! is then read anonymously) and a TLS peer for Azure (azure_identity insists on https). The
//! calls a family needs to get started (Google's project, Azure's token and subscription) are
//! answered; every other call gets the fault.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::peer::{route, serve, Peer, Reply, Route, Wire};
use serde_json::Value;

#[derive(Clone, Copy, Debug)]
enum Fault {
    Forbidden,
    NotFound,
    Throttled { retry_after: bool },
    ServerError,
    Unavailable,
    Truncated,
    Malformed,
    RepeatingPageToken,
    Reset,
    Silence,
}

const FAULTS: [Fault; 11] = [
    Fault::Forbidden,
    Fault::NotFound,
    Fault::Throttled { retry_after: true },
    Fault::Throttled { retry_after: false },
    Fault::ServerError,
    Fault::Unavailable,
    Fault::Truncated,
    Fault::Malformed,
    Fault::RepeatingPageToken,
    Fault::Reset,
    Fault::Silence,
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Family {
    Aws,
    Gcp,
    Azure,
}

const GCP_ERROR: &str = r#"{"error":{"code":CODE,"message":"injected fault","status":"STATUS"}}"#;
const AZURE_ERROR: &str = r#"{"error":{"code":"InjectedFault","message":"injected fault"}}"#;
const AWS_ERROR: &str = r#"<ErrorResponse><Error><Type>Sender</Type><Code>CODE</Code><Message>injected fault</Message></Error><RequestId>1</RequestId></ErrorResponse>"#;

fn error_reply(family: Family, status: u16, code: &str) -> Reply {
    match family {
        Family::Gcp => Reply::json(
            status,
            GCP_ERROR
                .replace("CODE", &status.to_string())
                .replace("STATUS", code),
        ),
        Family::Azure => Reply::json(status, AZURE_ERROR),
        Family::Aws => {
            let mut r = Reply::json(status, AWS_ERROR.replace("CODE", code));
            r.headers = vec![("Content-Type".into(), "text/xml".into())];
            r
        }
    }
}

fn fault_reply(family: Family, fault: Fault, base: &str) -> Reply {
    match fault {
        Fault::Forbidden => error_reply(family, 403, "PERMISSION_DENIED"),
        Fault::NotFound => error_reply(family, 404, "NOT_FOUND"),
        Fault::Throttled { retry_after } => {
            let r = error_reply(family, 429, "RESOURCE_EXHAUSTED");
            if retry_after {
                r.header("Retry-After", "1")
            } else {
                r
            }
        }
        Fault::ServerError => error_reply(family, 500, "INTERNAL"),
        Fault::Unavailable => error_reply(family, 503, "UNAVAILABLE"),
        Fault::Truncated => Reply::json(200, r#"{"items":[{"name":"cut"#).wire(Wire::Truncated),
        Fault::Malformed => Reply::json(200, "<html>this is not the API</html>"),
        Fault::RepeatingPageToken => match family {
            Family::Gcp => Reply::json(200, r#"{"nextPageToken":"again","items":[]}"#),
            // Resource Manager's link and Graph's (`@odata.nextLink`), so that Graph's lists
            // (users, Conditional Access policies) repeat too rather than read as empty.
            Family::Azure => Reply::json(
                200,
                format!(
                    r#"{{"value":[],"nextLink":"{base}/again?api-version=2023-01-01","@odata.nextLink":"{base}/v1.0/again"}}"#
                ),
            ),
            // The first AWS call (sts:GetCallerIdentity) has no pages: the SDK's paginators
            // stop on a repeated token themselves. Answered as an unreadable page here.
            Family::Aws => Reply::json(200, "{}"),
        },
        Fault::Reset => Reply::json(200, "").wire(Wire::Reset),
        Fault::Silence => Reply::json(200, "").wire(Wire::Silent),
    }
}

fn recorded(dir: &str, name: &str, base: &str) -> String {
    std::fs::read_to_string(common::root().join("tests/recorded").join(dir).join(name))
        .unwrap()
        .replace("{{base}}", base)
}

const AZURE_SUB: &str = "11111111-2222-3333-4444-555555555555";
const AZURE_TENANT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

fn routes(family: Family, fault: Fault, base: &str) -> Vec<Route> {
    let catch_all = route("*", "*", vec![fault_reply(family, fault, base)]);
    match family {
        Family::Aws => vec![catch_all],
        Family::Gcp => vec![
            route(
                "GET",
                "/v3/projects/acme-prod",
                vec![Reply::json(200, recorded("gcp", "project.json", base))],
            ),
            catch_all,
        ],
        Family::Azure => vec![
            route(
                "POST",
                format!("/{AZURE_TENANT}/oauth2/v2.0/token"),
                vec![Reply::json(200, recorded("azure", "token.json", base))],
            ),
            route(
                "GET",
                format!("/subscriptions/{AZURE_SUB}"),
                vec![Reply::json(
                    200,
                    recorded("azure", "subscription.json", base),
                )],
            ),
            catch_all,
        ],
    }
}

struct Cell {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(family: Family, fault: Fault) -> Cell {
    let (tls, ca) = common::peer::tls();
    let peer: Peer = serve(
        |base| routes(family, fault, base),
        (family == Family::Azure).then_some(tls),
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca).unwrap();
    let mut args: Vec<String> = vec!["scan".into()];
    let mut env: Vec<(String, String)> = Vec::new();
    match family {
        Family::Aws => {
            args.extend(
                [
                    "aws",
                    "--endpoint-url",
                    &peer.url,
                    "--region",
                    "us-east-1",
                    "--max-attempts",
                    "2",
                ]
                .map(String::from),
            );
            env.push(("AWS_ACCESS_KEY_ID".into(), "testing".into()));
            env.push(("AWS_SECRET_ACCESS_KEY".into(), "testing".into()));
        }
        Family::Gcp => {
            args.extend(["gcp", "--project", "acme-prod", "--max-attempts", "2"].map(String::from));
            for api in hipaa_scan::gcp::Endpoints::NAMES {
                args.push("--endpoint".into());
                args.push(format!("{api}={}", peer.url));
            }
        }
        Family::Azure => {
            args.extend(
                [
                    "azure",
                    "--subscription",
                    AZURE_SUB,
                    "--arm-endpoint",
                    &peer.url,
                    "--graph-endpoint",
                    &peer.url,
                    "--max-retries",
                    "1",
                ]
                .map(String::from),
            );
            env.push(("AZURE_TENANT_ID".into(), AZURE_TENANT.into()));
            env.push((
                "AZURE_CLIENT_ID".into(),
                "5c7e0000-0000-4000-8000-00000000c11e".into(),
            ));
            env.push(("AZURE_CLIENT_SECRET".into(), "recorded-test-secret".into()));
            env.push(("AZURE_AUTHORITY_HOST".into(), peer.url.clone()));
            env.push(("SSL_CERT_FILE".into(), ca_file.display().to_string()));
        }
    }
    args.extend(
        [
            "--call-timeout",
            "4",
            "--format",
            "json",
            "--fail-on",
            "none",
        ]
        .map(String::from),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args(&args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .envs(env)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes while the scan runs: a report larger than the pipe buffer (64 KiB) would
    // otherwise block the child on write and look like a hang.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let start = Instant::now();
    // The deadline this test enforces: generous against the 4 s call timeout, far below a hang.
    let limit = Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{family:?} × {fault:?}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Cell {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap()).into_owned(),
    }
}

/// What every cell must show: no pass on anything unread, an exit code that says so, and the
/// failed call named.
fn judge(family: Family, fault: Fault, cell: &Cell) -> String {
    let tag = format!("{family:?} × {fault:?}");
    assert!(
        cell.code == 2 || cell.code == 3,
        "{tag}: exit {} (want 2 or 3)\n{}",
        cell.code,
        cell.stderr
    );
    let named = |text: &str| match family {
        Family::Aws => text.contains("sts:GetCallerIdentity"),
        Family::Gcp => [
            "storage.buckets",
            "sql.instances",
            "cloudkms",
            "getIamPolicy",
            "kms",
        ]
        .iter()
        .any(|op| text.contains(op)),
        Family::Azure => text.contains("Microsoft."),
    };
    if cell.code == 3 {
        let result: Value = serde_json::from_str(&cell.stdout).unwrap_or_else(|e| {
            panic!("{tag}: exit 3 without a JSON result: {e}\n{}", cell.stderr)
        });
        let verdicts = result["verdicts"].as_array().unwrap();
        // The resources the peer did answer (Google's project, Azure's subscription) are known
        // to exist, so their service's BAA coverage is a real pass; nothing else may pass.
        let answered = |v: &Value| {
            matches!(
                v["resource"]["kind"].as_str(),
                Some("gcp.project" | "azure.subscription")
            ) && v["policy"]
                .as_str()
                .unwrap()
                .ends_with("-service-hipaa-eligible")
        };
        let passed: Vec<&Value> = verdicts
            .iter()
            .filter(|v| v["outcome"] == "pass" && !answered(v))
            .collect();
        assert!(
            passed.is_empty(),
            "{tag}: passed without reading: {:?}",
            passed
                .iter()
                .map(|v| (&v["policy"], &v["resource"]["name"]))
                .collect::<Vec<_>>()
        );
        assert!(
            verdicts.iter().any(|v| v["outcome"] == "not_evaluated"),
            "{tag}: incomplete but nothing not evaluated"
        );
        let reasons: Vec<&str> = verdicts
            .iter()
            .filter_map(|v| v["reason"].as_str())
            .collect();
        assert!(
            reasons.iter().any(|r| named(r)),
            "{tag}: no reason names the call: {reasons:?}"
        );
        format!("exit 3, {} not evaluated", reasons.len())
    } else {
        assert!(
            named(&cell.stderr),
            "{tag}: the error names no call: {}",
            cell.stderr
        );
        "exit 2 (input error naming the call)".to_string()
    }
}

fn matrix(family: Family) {
    let mut rows = Vec::new();
    for fault in FAULTS {
        let cell = run(family, fault);
        let outcome = judge(family, fault, &cell);
        rows.push(format!("{family:?} × {fault:?}: {outcome}"));
    }
    // `cargo test -- --nocapture` prints the matrix.
    println!("{}", rows.join("\n"));
}

#[test]
fn aws_fault_matrix() {
    matrix(Family::Aws);
}

#[test]
fn gcp_fault_matrix() {
    matrix(Family::Gcp);
}

#[test]
fn azure_fault_matrix() {
    matrix(Family::Azure);
}
