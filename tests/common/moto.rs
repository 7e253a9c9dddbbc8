//! moto's server on 127.0.0.1 for the AWS adapter tests, and the scan that reads it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::Credentials;
use std::collections::BTreeSet;

use serde_json::Value;

use super::moto_front::{self, Answer, Front};

pub fn tools() -> PathBuf {
    PathBuf::from(
        std::env::var_os("HIPAA_SCAN_TEST_TOOLS")
            .expect("run the tests with scripts/test: it installs moto"),
    )
}

/// moto's server on a free port of 127.0.0.1, stopped on drop, behind a front that answers the
/// calls moto lacks (see [`super::moto_front`]).
pub struct Moto {
    child: Child,
    /// The front: what the scanner is pointed at.
    pub url: String,
    /// moto itself: where tests create resources.
    pub direct: String,
    front: Front,
}

impl Moto {
    pub fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(tools().join("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let front = moto_front::start(format!("127.0.0.1:{port}"));
        let moto = Moto {
            child,
            url: front.url.clone(),
            direct: format!("http://127.0.0.1:{port}"),
            front,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while moto.get("/moto-api/").is_none() {
            assert!(
                Instant::now() < deadline,
                "moto did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// From now on the front answers requests that match `a` with it (the latest match wins).
    pub fn answer(&self, a: Answer) {
        self.front.answers.lock().unwrap().push(a);
    }

    /// The requests the front answered itself: (service, region, operation).
    pub fn answered(&self) -> Vec<moto_front::Seen> {
        self.front.seen.lock().unwrap().clone()
    }

    pub fn request(&self, method: &str, path: &str, body: &str) -> Option<String> {
        let addr = self.direct.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).ok()?;
        write!(
            s,
            "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        let ok = out.starts_with("HTTP/1.0 200") || out.starts_with("HTTP/1.1 200");
        ok.then_some(out)
    }

    pub fn get(&self, path: &str) -> Option<String> {
        self.request("GET", path, "")
    }

    /// From now on every call needs valid IAM credentials and is checked against policies.
    pub fn enforce_iam(&self) {
        self.request("POST", "/moto-api/reset-auth", "0")
            .expect("reset-auth");
    }

    pub async fn sdk(&self, key: &str, secret: &str) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&self.direct)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(key, secret, None, None, "test"))
            .load()
            .await
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `hipaa-scan scan aws` against moto with these credentials; the exit code and JSON result.
pub fn scan(moto: &Moto, key: &str, secret: &str, extra: &[&str]) -> (i32, Value) {
    scan_at(&moto.url, key, secret, extra)
}

/// `hipaa-scan scan aws` against an endpoint in front of moto (a proxy).
pub fn scan_at(url: &str, key: &str, secret: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "scan",
        "aws",
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
        "--format",
        "json",
        // The tests tell resources apart by their `Name` tags, which reports hide by default.
        "--redact",
        "tags",
    ];
    args.extend_from_slice(extra);
    let out = Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args(&args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), json)
}

/// The verdicts of `policies` (each with the call its listing makes) in a scan where every
/// listing of `refused` was denied: those of the other regions, as (policy, resource name,
/// outcome), after checking that in `refused` each policy is not evaluated once, on the
/// "(not listed)" resource, with its call named in the reason.
pub fn split_refused_region<'a>(
    result: &'a Value,
    policies: &[(&str, &str)],
    refused: &str,
) -> (BTreeSet<(String, String, String)>, Vec<&'a Value>) {
    let (rest, denied): (Vec<&Value>, Vec<&Value>) = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| policies.iter().any(|(p, _)| v["policy"] == *p))
        .partition(|v| v["resource"]["region"] != refused);
    assert_eq!(denied.len(), policies.len(), "{denied:?}");
    for (policy, call) in policies {
        let v = denied
            .iter()
            .find(|v| v["policy"] == *policy)
            .unwrap_or_else(|| panic!("no {refused} verdict for {policy}: {denied:?}"));
        assert_eq!(v["outcome"], "not_evaluated", "{v}");
        assert!(v["reason"].as_str().unwrap().contains(call), "{v}");
        assert!(
            v["resource"]["name"]
                .as_str()
                .unwrap()
                .ends_with("(not listed)"),
            "{v}"
        );
    }
    let triples = rest
        .iter()
        .map(|v| {
            (
                v["policy"].as_str().unwrap().to_string(),
                v["resource"]["name"].as_str().unwrap().to_string(),
                v["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (triples, rest)
}
