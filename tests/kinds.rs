//! Every kind in the schema is written by some live adapter, or is marked snapshot-only: a kind
//! that nothing produces would let its policies judge nothing and say nothing about it.

mod common;

use hipaa_scan::model::{all_kinds, SNAPSHOT_ONLY};

/// The text of every source file of the adapter crate `crates/<provider>/`.
fn adapter_sources(provider: &str) -> String {
    common::rust_sources(&common::root().join("crates").join(provider).join("src"))
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

#[test]
fn every_kind_is_produced_by_an_adapter_or_marked_snapshot_only() {
    let mut orphans = Vec::new();
    for k in all_kinds() {
        let provider = k.kind.split('.').next().unwrap();
        let written = adapter_sources(provider).contains(&format!("\"{}\"", k.kind));
        let snapshot_only = SNAPSHOT_ONLY.contains(&k.kind);
        assert!(
            !(written && snapshot_only),
            "{} is marked snapshot-only but an adapter writes it",
            k.kind
        );
        if !written && !snapshot_only {
            orphans.push(k.kind);
        }
    }
    assert!(orphans.is_empty(), "kinds no adapter produces: {orphans:?}");
    for k in SNAPSHOT_ONLY {
        assert!(all_kinds().any(|s| s.kind == *k), "{k} is not a kind");
    }
}

/// The service tables say which kinds each service writes (and the scans read them): each must
/// name exactly the schema kinds its adapter's modules write, and name each reader once.
#[test]
fn the_aws_service_tables_name_every_kind_the_adapter_writes() {
    tables_are_sound("aws", &hipaa_scan::aws::reads());
}

#[test]
fn the_azure_service_table_names_every_kind_the_adapter_writes() {
    tables_are_sound("azure", &hipaa_scan::azure::reads());
}

#[test]
fn the_gcp_service_table_names_every_kind_the_adapter_writes() {
    tables_are_sound("gcp", &hipaa_scan::gcp::reads());
}

fn tables_are_sound(provider: &str, reads: &[hipaa_scan::collect::Reads]) {
    let mut names: Vec<&str> = reads.iter().map(|r| r.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        reads.len(),
        "{provider}: a reader is named twice"
    );
    let table = hipaa_scan::collect::reads_kinds(reads);
    for k in &table {
        assert!(
            hipaa_scan::model::kind_spec(k).is_some(),
            "{provider}: {k} is in a service table but not a schema kind"
        );
    }
    let sources = adapter_sources(provider);
    let prefix = format!("{provider}.");
    for k in all_kinds().filter(|k| k.kind.starts_with(&prefix)) {
        let written = sources.contains(&format!("\"{}\"", k.kind));
        assert_eq!(
            table.contains(&k.kind),
            written,
            "{}: in the service table {}, written by a module {written}",
            k.kind,
            table.contains(&k.kind)
        );
    }
}
