//! The quick start's build: `--no-default-features` compiles no cloud SDK, judges a snapshot
//! exactly as the full build does, and refuses a live provider it was built without (exit 2,
//! naming the feature) rather than reading as a typo.
//!
//! The snapshot-only binary is built by cargo into its own folder under the target directory
//! (`snapshot-only/`), so it never replaces the binary the other tests run.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{demo, hipaa_scan, root, verdicts};

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// The target directory the tests were built in (`.../target/debug/hipaa-scan` → `.../target`).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .parent()
        .and_then(Path::parent)
        .expect("the binary sits in <target>/<profile>/")
        .to_path_buf()
}

/// Every package in the normal-dependency tree of `args`.
fn tree(args: &[&str]) -> Vec<String> {
    let out = cargo()
        .args(["tree", "--locked", "--prefix", "none"])
        .args(args)
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

fn cloud_sdks(packages: &[String]) -> Vec<&String> {
    packages
        .iter()
        .filter(|p| {
            p.starts_with("aws-")
                || p.starts_with("google-cloud-")
                || p.starts_with("azure_")
                || ["hipaa-scan-aws", "hipaa-scan-gcp", "hipaa-scan-azure"].contains(&p.as_str())
        })
        .collect()
}

#[test]
fn the_core_and_the_snapshot_only_binary_depend_on_no_cloud_sdk() {
    let full = tree(&["-p", "hipaa-scan", "-e", "normal"]);
    // The check can fail: the default build does have the SDKs.
    assert!(full.iter().any(|p| p == "aws-sdk-s3"), "{full:?}");
    assert!(full.iter().any(|p| p == "azure_core"));
    assert!(full.iter().any(|p| p.starts_with("google-cloud-")));

    let snapshot_only = tree(&["-p", "hipaa-scan", "--no-default-features", "-e", "normal"]);
    assert!(snapshot_only.iter().any(|p| p == "hipaa-scan-core"));
    assert_eq!(cloud_sdks(&snapshot_only), Vec::<&String>::new());
    // The core's tests too (`cargo test -p hipaa-scan-core`).
    let core = tree(&["-p", "hipaa-scan-core", "-e", "normal,dev"]);
    assert_eq!(cloud_sdks(&core), Vec::<&String>::new());
    // One cloud's build has that cloud's SDK only.
    let aws = tree(&[
        "-p",
        "hipaa-scan",
        "--no-default-features",
        "--features",
        "aws",
        "-e",
        "normal",
    ]);
    assert!(aws.iter().any(|p| p == "aws-sdk-s3"));
    assert!(!aws
        .iter()
        .any(|p| p.starts_with("google-cloud-") || p.starts_with("azure_")));
}

#[test]
fn the_snapshot_only_build_judges_the_demo_as_the_full_build_and_refuses_live_providers() {
    let target = target_dir().join("snapshot-only");
    let build = cargo()
        .args(["build", "--locked", "--quiet", "--no-default-features"])
        .args(["-p", "hipaa-scan", "--bin", "hipaa-scan", "--target-dir"])
        .arg(&target)
        .output()
        .expect("run cargo build");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let bin = target
        .join("debug")
        .join(format!("hipaa-scan{}", std::env::consts::EXE_SUFFIX));

    let dir = tempfile::tempdir().unwrap();
    let run = |bin: &Path, args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .unwrap()
    };
    let demo = demo().display().to_string();

    // The same verdicts as the full build's, on the same estate.
    let small = run(
        &bin,
        &["scan", "--snapshot", &demo, "--output", "json=small.json"],
    );
    assert_eq!(
        small.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&small.stderr)
    );
    let full = hipaa_scan(
        &["scan", "--snapshot", &demo, "--output", "json=full.json"],
        dir.path(),
    );
    assert_eq!(full.code, 1, "{}", full.stderr);
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(f)).unwrap()).unwrap()
    };
    let (small_json, full_json) = (read("small.json"), read("full.json"));
    assert!(verdicts(&full_json).len() > 100);
    assert_eq!(verdicts(&small_json), verdicts(&full_json));
    assert_eq!(small_json["summary"], full_json["summary"]);

    // Each live provider: exit 2, the feature named, nothing written.
    for (provider, cloud) in [("aws", "AWS"), ("gcp", "Google Cloud"), ("azure", "Azure")] {
        let out = format!("json={provider}.json");
        let refused = run(
            &bin,
            &["scan", "--output", &out, provider, "--some-flag", "x"],
        );
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{provider}: {stderr}");
        assert!(
            stderr.contains(&format!("without {cloud} support"))
                && stderr.contains(&format!("`{provider}` feature")),
            "{provider}: {stderr}"
        );
        assert!(!dir.path().join(format!("{provider}.json")).exists());
    }
    // The help says which providers this build lacks.
    let help = run(&bin, &["scan", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("compiled without the `aws` feature"),
        "{help}"
    );
}
