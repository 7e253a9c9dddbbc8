//! Every policy has a fixture in `fixtures/policies/<id>.yaml` with at least one passing, one
//! failing and one not-evaluated resource; each case states the verdict it must get.

use std::collections::BTreeMap;
use std::path::Path;

use hipaa_scan::engine::{Outcome, Target};
use hipaa_scan::model::{Inventory, Resource, COMMON_FIELDS};
use hipaa_scan::scan::{Outcome as ScanOutcome, Setup};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    policy: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expect: String,
    resource: Resource,
}

fn fixtures() -> BTreeMap<String, Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/policies");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let f: Fixture =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        assert_eq!(
            stem,
            f.policy,
            "{} must be named after its policy",
            path.display()
        );
        out.insert(f.policy.clone(), f);
    }
    out
}

#[test]
fn every_policy_has_a_fixture_with_a_pass_a_fail_and_a_not_evaluated_case() {
    let setup = Setup::load(&[], None).unwrap();
    let fixtures = fixtures();
    for p in &setup.policies.policies {
        let f = fixtures
            .get(&p.id)
            .unwrap_or_else(|| panic!("no fixtures/policies/{}.yaml", p.id));
        // A condition over what an adapter reads can meet a reading it could not make; one over
        // the fields the engine sets itself (`hipaa_eligible`, `in_scope`, ...) is not evaluated
        // only for a gap, which no single resource can show.
        let adapter_reads = p
            .condition
            .reads
            .iter()
            .any(|r| !COMMON_FIELDS.iter().any(|c| c.name == r));
        let wants: &[&str] = if adapter_reads {
            &["pass", "fail", "not_evaluated"]
        } else {
            &["pass", "fail"]
        };
        for want in wants {
            assert!(
                f.cases.iter().any(|c| c.expect == *want),
                "{}: no `{want}` case",
                p.id
            );
        }
    }
    for id in fixtures.keys() {
        assert!(
            setup.policies.get(id).is_some(),
            "fixture for unknown policy {id}"
        );
    }
}

/// docs/catalog-mapping.md is generated from the policies' `anchors:`, so a policy that leaves a
/// catalog out would leave a hole in the table: each one says what it corresponds to, or none.
#[test]
fn every_policy_is_mapped_against_every_catalog_of_its_provider() {
    let setup = Setup::load(&[], None).unwrap();
    for p in &setup.policies.policies {
        let columns = hipaa_scan::policy::anchor_columns(p.provider());
        assert!(
            !columns.is_empty(),
            "{}: no catalogs for its provider",
            p.id
        );
        for (key, title) in columns {
            let value = p.anchors.get(*key).map(|v| v.trim()).unwrap_or_default();
            assert!(
                !value.is_empty(),
                "{}: `anchors.{key}` ({title}) is missing: name the counterpart, or `none`",
                p.id
            );
        }
    }
}

#[test]
fn every_fixture_case_gets_its_expected_verdict() {
    let setup = Setup::load(&[], None).unwrap();
    let mut checked = 0;
    for (id, f) in fixtures() {
        let mut inv = Inventory::new("2026-11-20T08:00:00Z".parse().unwrap(), "fixture");
        inv.resources = f.cases.iter().map(|c| c.resource.clone()).collect();
        // The same validation a snapshot gets: fixtures cannot carry ill-typed properties.
        let text = serde_json::to_string(&inv).unwrap();
        let inv = hipaa_scan::model::parse_snapshot(&text, &format!("fixtures/policies/{id}.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let outcome = ScanOutcome::run(&setup, inv);
        let policy_index = setup
            .policies
            .policies
            .iter()
            .position(|p| p.id == id)
            .unwrap() as u32;
        for (i, case) in f.cases.iter().enumerate() {
            let got: Vec<&Outcome> = outcome
                .evaluation
                .verdicts
                .iter()
                .filter(|v| v.policy == policy_index && v.target == Target::Resource(i as u32))
                .map(|v| &v.outcome)
                .collect();
            assert_eq!(
                got.len(),
                1,
                "{id}: case {i} ({}) got {} verdicts",
                case.resource.name,
                got.len()
            );
            assert_eq!(
                got[0].as_str(),
                case.expect,
                "{id}: case {i} ({}) got {:?}",
                case.resource.name,
                got[0]
            );
            if let (Outcome::NotEvaluated(reason), Some(want)) =
                (got[0], case.resource.unknown.values().next())
            {
                assert_eq!(
                    reason.as_ref(),
                    want,
                    "{id}: case {i} must carry the adapter's reason"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} cases checked");
}
