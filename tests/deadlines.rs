//! A live scan never hangs: pointed at an endpoint that accepts connections and never
//! answers, it ends by its call deadline with an input error (exit 2) or an incomplete scan
//! (exit 3), and says which call timed out. Inputs that are empty are input errors.

mod common;

use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A server on 127.0.0.1 that accepts every connection and never says a word.
struct Silent {
    port: u16,
    _held: Arc<Mutex<Vec<TcpStream>>>,
}

impl Silent {
    fn start() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let held = Arc::new(Mutex::new(Vec::new()));
        let keep = held.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                keep.lock().unwrap().push(conn);
            }
        });
        Silent { port, _held: held }
    }
}

/// Runs the binary; kills it and fails the test if it is still running after `limit`.
fn run_bounded(args: &[&str], env: &[(&str, &str)], limit: Duration) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("no-such-home"))
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            return (status.code().unwrap_or(-1), stderr);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!(
                "`hipaa-scan {}` still running after {limit:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn aws_against_a_silent_endpoint_ends_by_the_call_deadline() {
    let silent = Silent::start();
    let url = format!("http://127.0.0.1:{}", silent.port);
    let (code, stderr) = run_bounded(
        &[
            "scan",
            "aws",
            "--endpoint-url",
            &url,
            "--region",
            "us-east-1",
            "--call-timeout",
            "2",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
        Duration::from_secs(60),
    );
    assert!(code == 2 || code == 3, "exit {code}: {stderr}");
    assert!(
        stderr.contains("sts:GetCallerIdentity") && stderr.contains("timed out"),
        "{stderr}"
    );
}

#[test]
fn a_plain_http_endpoint_off_this_machine_is_refused() {
    let (code, stderr) = run_bounded(
        &["scan", "aws", "--endpoint-url", "http://192.0.2.10:4566"],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
        Duration::from_secs(30),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("loopback"), "{stderr}");
}

#[test]
fn empty_inputs_are_input_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "  \n\n").unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(policies.join("truncated.yaml"), "# nothing left\n").unwrap();
    let demo = common::demo();
    let demo = demo.to_str().unwrap();
    let empty_s = empty.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["scan", "--snapshot", empty_s], "empty.yaml"),
        (
            vec!["scan", "--snapshot", demo, "--config", empty_s],
            "empty.yaml",
        ),
        (
            vec!["scan", "--snapshot", demo, "--waivers", empty_s],
            "empty.yaml",
        ),
        (
            vec!["scan", "--snapshot", demo, "--baseline", empty_s],
            "empty.yaml",
        ),
        (
            vec![
                "scan",
                "--snapshot",
                demo,
                "--policies",
                policies.to_str().unwrap(),
            ],
            "truncated.yaml",
        ),
    ];
    for (args, file) in cases {
        let run = common::hipaa_scan(&args, dir.path());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(file), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn azure_against_a_silent_endpoint_ends_by_the_call_deadline() {
    let silent = Silent::start();
    let url = format!("https://127.0.0.1:{}", silent.port);
    let (code, stderr) = run_bounded(
        &[
            "scan",
            "azure",
            "--arm-endpoint",
            &url,
            "--graph-endpoint",
            &url,
            "--subscription",
            "8f2c1d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
            "--call-timeout",
            "2",
        ],
        &[
            ("AZURE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47"),
            ("AZURE_CLIENT_ID", "0b9b8a4c-1d2e-4f3a-8b7c-6d5e4f3a2b1c"),
            ("AZURE_CLIENT_SECRET", "not-a-real-secret"),
            ("AZURE_AUTHORITY_HOST", &url),
        ],
        Duration::from_secs(90),
    );
    assert!(code == 2 || code == 3, "exit {code}: {stderr}");
    assert!(stderr.contains("timed out") || code == 3, "{stderr}");
}

#[test]
fn gcp_against_a_silent_endpoint_ends_by_the_call_deadline() {
    let silent = Silent::start();
    let url = format!("http://127.0.0.1:{}", silent.port);
    let endpoints: Vec<String> = hipaa_scan::gcp::Endpoints::NAMES
        .iter()
        .map(|api| format!("{api}={url}"))
        .collect();
    let mut args = vec![
        "scan",
        "gcp",
        "--project",
        "acme-prod",
        "--call-timeout",
        "2",
    ];
    for e in &endpoints {
        args.extend(["--endpoint", e.as_str()]);
    }
    // No credentials at all: the plain-http peers are read anonymously.
    let (code, stderr) = run_bounded(&args, &[], Duration::from_secs(90));
    assert!(code == 2 || code == 3, "exit {code}: {stderr}");
}

#[test]
fn gcp_without_credentials_stops_at_once_and_says_how() {
    let (code, stderr) = run_bounded(
        &["scan", "gcp", "--project", "acme-prod"],
        &[],
        Duration::from_secs(30),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("gcloud auth application-default login"),
        "{stderr}"
    );
}

#[test]
fn aws_without_credentials_stops_at_once_and_says_how() {
    let (code, stderr) = run_bounded(
        &["scan", "aws", "--region", "us-east-1"],
        &[],
        Duration::from_secs(30),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no AWS credentials found"), "{stderr}");
}
