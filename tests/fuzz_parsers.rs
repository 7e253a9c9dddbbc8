//! Property tests: every parser of outside input (snapshots, policies, config, waivers,
//! baselines, IAM and bucket policy documents, CIDRs) returns a value or an error for any input,
//! and never panics. Each runs `PROPTEST_CASES` cases (default 256 here); for a long run:
//!
//! ```sh
//! PROPTEST_CASES=200000 cargo test --release --test fuzz_parsers
//! ```
//!
//! A failing input is kept by proptest in `proptest-regressions/` and replayed first.

use std::collections::BTreeMap;

use hipaa_scan::baseline::Baseline;
use hipaa_scan::config::Config;
use hipaa_scan::policy::{load_files, PolicyFile};
use hipaa_scan::scan::Setup;
use hipaa_scan::waiver::Waivers;
use proptest::prelude::*;

/// JSON-shaped text: values nested a few levels, with the keys the parsers look for.
fn json_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("Statement".to_string()),
        Just("Effect".to_string()),
        Just("Principal".to_string()),
        Just("NotPrincipal".to_string()),
        Just("Action".to_string()),
        Just("NotAction".to_string()),
        Just("Resource".to_string()),
        Just("Condition".to_string()),
        Just("format".to_string()),
        Just("resources".to_string()),
        Just("verdicts".to_string()),
        "[a-zA-Z:_]{0,12}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        prop_oneof![
            Just("*".to_string()),
            Just("Allow".to_string()),
            Just("Deny".to_string()),
            Just("0.0.0.0/0".to_string()),
            Just("arn:aws:s3:::b/*".to_string()),
            ".{0,16}",
        ]
        .prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
    .prop_map(|v| v.to_string())
}

proptest! {
    #[test]
    fn policy_documents_never_panic(text in json_text()) {
        if let Ok(doc) = hipaa_scan::iam_doc::parse(&text) {
            let _ = doc.is_public();
            let _ = doc.full_admin();
            let _ = doc.denies_insecure_transport("arn:aws:s3:::b");
        }
    }

    #[test]
    fn arbitrary_text_as_a_policy_document(text in ".{0,200}") {
        let _ = hipaa_scan::iam_doc::parse(&text);
    }

    #[test]
    fn cidrs_never_panic(text in "[0-9a-fA-F:./]{0,45}", max in 0u8..=128) {
        if let Ok(net) = hipaa_scan::net::parse_source(&text) {
            let _ = hipaa_scan::net::open_to_internet(&[net], max);
        }
        let _ = hipaa_scan::net::is_loopback_url(&text);
    }

    #[test]
    fn snapshots_never_panic(text in json_text()) {
        let _ = hipaa_scan::model::parse_snapshot(&text, "fuzz.json");
    }

    #[test]
    fn baselines_never_panic(text in json_text()) {
        let _ = Baseline::parse(&text, "fuzz.json");
    }

    #[test]
    fn yaml_inputs_never_panic(text in "[ -~\n]{0,300}") {
        let _ = Config::parse(&text, "fuzz.yaml");
        let file = PolicyFile { name: "fuzz.yaml".into(), text: text.clone() };
        let _ = load_files(&[], &[file], &BTreeMap::new(), "config");
    }
}

#[test]
fn waivers_never_panic_on_generated_yaml() {
    let setup = Setup::load(&[], None).unwrap();
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&"[ -~\n]{0,300}", |text| {
            let _ = Waivers::parse(&text, "fuzz.yaml", &setup.policies);
            Ok(())
        })
        .unwrap();
}
