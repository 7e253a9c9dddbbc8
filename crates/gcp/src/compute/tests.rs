use google_cloud_compute_v1::model::{Firewall, Instance};
use serde_json::{json, Value};

use super::firewall::{normalize as firewall, port_span};
use super::instance::{inherited_flag, normalize as instance};

fn rule(v: Value) -> hipaa_scan_core::model::Resource {
    let f: Firewall = serde_json::from_value(v).expect("a Firewall as the API sends it");
    firewall("acme-prod", &f, 8)
}

fn admin(r: &hipaa_scan_core::model::Resource) -> Vec<String> {
    serde_json::from_value(r.properties["internet_open_admin_ports"].clone()).unwrap()
}

fn db(r: &hipaa_scan_core::model::Resource) -> Vec<String> {
    serde_json::from_value(r.properties["internet_open_database_ports"].clone()).unwrap()
}

#[test]
fn open_rules_and_their_look_alikes() {
    let ssh = rule(json!({"name": "ssh", "network": "global/networks/default",
        "sourceRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}));
    assert_eq!(admin(&ssh), ["tcp 22 from 0.0.0.0/0"]);
    assert!(db(&ssh).is_empty());
    assert_eq!(ssh.properties["direction"], "INGRESS", "the default");
    assert_eq!(ssh.properties["priority"], 1000, "the default");
    assert_eq!(ssh.properties["disabled"], false, "the default");
    assert_eq!(ssh.properties["network"], "default");
    assert_eq!(ssh.region, "global");

    // Two halves of IPv4 in one rule; a port range that contains 22; protocol `all`; a
    // protocol number; IPv6; no ports (every port).
    let halves = rule(
        json!({"name": "halves", "sourceRanges": ["0.0.0.0/1", "128.0.0.0/1"],
        "allowed": [{"IPProtocol": "tcp", "ports": ["3389"]}]}),
    );
    assert_eq!(admin(&halves), ["tcp 3389 from 0.0.0.0/1, 128.0.0.0/1"]);
    let range = rule(json!({"name": "range", "sourceRanges": ["0.0.0.0/0"],
        "allowed": [{"IPProtocol": "tcp", "ports": ["20-30", "443"]}]}));
    assert_eq!(admin(&range), ["tcp 22 from 0.0.0.0/0"]);
    let all =
        rule(json!({"name": "all", "sourceRanges": ["::/0"], "allowed": [{"IPProtocol": "all"}]}));
    assert_eq!(
        admin(&all),
        ["tcp all ports from ::/0", "udp all ports from ::/0"]
    );
    assert_eq!(db(&all), admin(&all));
    let number = rule(json!({"name": "n", "sourceRanges": ["0.0.0.0/0"],
        "allowed": [{"IPProtocol": "6", "ports": ["5432"]}]}));
    assert_eq!(db(&number), ["tcp 5432 from 0.0.0.0/0"]);
    let every = rule(
        json!({"name": "e", "sourceRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "tcp"}]}),
    );
    assert_eq!(admin(&every), ["tcp all ports from 0.0.0.0/0"]);
    let wide = rule(json!({"name": "w", "sourceRanges": ["4.0.0.0/6"],
        "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}));
    assert_eq!(admin(&wide), ["tcp 22 from 4.0.0.0/6"]);
    // No source at all: Google applies 0.0.0.0/0.
    let bare = rule(json!({"name": "bare", "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}));
    assert_eq!(admin(&bare), ["tcp 22 from 0.0.0.0/0"]);
    assert_eq!(bare.properties["source_ranges"], json!(["0.0.0.0/0"]));

    // Fine: disabled, egress, deny, source tags only, a narrow range, ICMP, another port.
    for fine in [
        json!({"name": "off", "disabled": true, "sourceRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}),
        json!({"name": "out", "direction": "EGRESS", "destinationRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "all"}]}),
        json!({"name": "deny", "sourceRanges": ["0.0.0.0/0"], "denied": [{"IPProtocol": "tcp", "ports": ["22"]}]}),
        json!({"name": "tags", "sourceTags": ["bastion"], "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}),
        json!({"name": "sa", "sourceServiceAccounts": ["app@p.iam.gserviceaccount.com"], "allowed": [{"IPProtocol": "tcp"}]}),
        json!({"name": "office", "sourceRanges": ["203.0.113.0/24"], "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}),
        json!({"name": "ping", "sourceRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "icmp"}]}),
        json!({"name": "web", "sourceRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "tcp", "ports": ["80", "443"]}]}),
    ] {
        let r = rule(fine.clone());
        assert!(admin(&r).is_empty() && db(&r).is_empty(), "{fine}");
    }
    let out =
        rule(json!({"name": "out", "direction": "EGRESS", "allowed": [{"IPProtocol": "all"}]}));
    assert_eq!(out.properties["direction"], "EGRESS");
    assert_eq!(out.properties["source_ranges"], json!([]));
}

#[test]
fn what_does_not_parse_is_unknown() {
    for (v, says) in [
        (
            json!({"name": "typo", "sourceRanges": ["office"], "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}]}),
            "`office`",
        ),
        (
            json!({"name": "port", "sourceRanges": ["0.0.0.0/0"], "allowed": [{"IPProtocol": "tcp", "ports": ["ssh"]}]}),
            "`ssh`",
        ),
        (
            json!({"name": "proto", "sourceRanges": ["0.0.0.0/0"], "allowed": [{"ports": ["22"]}]}),
            "IPProtocol",
        ),
    ] {
        let r = rule(v);
        let why = &r.unknown["internet_open_admin_ports"];
        assert!(
            why.contains(says) && why.contains("compute.firewalls.list"),
            "{why}"
        );
        assert!(r.unknown.contains_key("internet_open_database_ports"));
    }
    assert_eq!(port_span("20-30"), Ok((20, 30)));
    assert!(port_span("30-20").is_err());
    assert!(port_span("70000").is_err());
}

fn vm(v: Value, project: &super::ProjectMetadata) -> hipaa_scan_core::model::Resource {
    let i: Instance = serde_json::from_value(v).expect("an Instance as the API sends it");
    instance("acme-prod", "zones/us-central1-a", &i, project)
}

#[test]
fn instances_inherit_project_metadata_and_unknown_is_never_false() {
    let on = Ok(vec![("enable-oslogin".to_string(), "TRUE".to_string())]);
    let unread: super::ProjectMetadata = Err("compute.projects.get: PERMISSION_DENIED".into());
    let bare = json!({"name": "a", "zone": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/us-central1-a", "status": "RUNNING"});
    let r = vm(bare.clone(), &on);
    assert_eq!(r.properties["os_login"], true, "inherited from the project");
    assert_eq!(r.properties["serial_port_enabled"], false, "the default");
    assert_eq!(r.region, "us-central1-a");
    assert_eq!(
        r.id,
        "//compute.googleapis.com/projects/acme-prod/zones/us-central1-a/instances/a"
    );
    let r = vm(bare, &unread);
    assert!(r.unknown["os_login"].contains("PERMISSION_DENIED"));
    assert!(r.unknown.contains_key("serial_port_enabled"));
    let own = json!({"name": "b", "metadata": {"items": [
        {"key": "enable-oslogin", "value": "false"}, {"key": "serial-port-enable", "value": "1"}]}});
    let r = vm(own, &unread);
    assert_eq!(r.properties["os_login"], false, "the instance overrides");
    assert_eq!(r.properties["serial_port_enabled"], true);
    assert!(inherited_flag(
        &[("enable-oslogin".into(), "maybe".into())],
        &on,
        "enable-oslogin"
    )
    .unwrap_err()
    .contains("not a boolean"));
}

#[test]
fn exposure_identity_integrity_and_disks() {
    let ok = Ok(Vec::new());
    let r = vm(
        json!({"name": "web", "status": "TERMINATED", "labels": {"phi": "true"},
            "networkInterfaces": [{"accessConfigs": [{"type": "ONE_TO_ONE_NAT", "name": "External NAT"}]}],
            "serviceAccounts": [{"email": "123-compute@developer.gserviceaccount.com",
                "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}],
            "shieldedInstanceConfig": {"enableSecureBoot": false, "enableVtpm": true, "enableIntegrityMonitoring": true},
            "canIpForward": true,
            "disks": [
                {"deviceName": "boot", "boot": true, "type": "PERSISTENT", "diskEncryptionKey": {"kmsKeyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"}},
                {"deviceName": "data", "type": "PERSISTENT"},
                {"deviceName": "local-ssd-0", "type": "SCRATCH"}]}),
        &ok,
    );
    assert_eq!(r.tags["phi"], "true");
    assert_eq!(r.properties["status"], "TERMINATED");
    assert_eq!(
        r.properties["public_ip"], true,
        "a stopped instance's access config without natIP"
    );
    assert_eq!(r.properties["external_ips"], json!([]));
    assert_eq!(r.properties["default_service_account_full_access"], true);
    assert_eq!(r.properties["shielded_secure_boot"], false);
    assert_eq!(r.properties["ip_forwarding"], true);
    assert_eq!(r.properties["disks_cmek"], false);
    assert_eq!(r.properties["disks_without_cmek"], json!(["data"]));

    let r = vm(
        json!({"name": "app", "status": "RUNNING",
            "networkInterfaces": [{"networkIP": "10.0.0.2"}, {"ipv6AccessConfigs": [{"type": "DIRECT_IPV6", "externalIpv6": "2600:1900::1"}]}],
            "serviceAccounts": [{"email": "123-compute@developer.gserviceaccount.com",
                "scopes": ["https://www.googleapis.com/auth/devstorage.read_only"]}],
            "disks": [{"deviceName": "boot", "diskEncryptionKey": {"sha256": "abc="}},
                {"source": "https://www.googleapis.com/compute/v1/projects/p/zones/z/disks/logs"}],
            "confidentialInstanceConfig": {"confidentialInstanceType": "SEV"}}),
        &ok,
    );
    assert_eq!(r.properties["public_ip"], true, "external IPv6");
    assert_eq!(r.properties["external_ips"], json!(["2600:1900::1"]));
    assert_eq!(r.properties["default_service_account"], true);
    assert_eq!(r.properties["default_service_account_full_access"], false);
    assert_eq!(
        r.properties["disks_cmek"], false,
        "a customer-supplied key is not CMEK"
    );
    assert_eq!(r.properties["disks_without_cmek"], json!(["boot", "logs"]));
    assert_eq!(r.properties["confidential_computing"], true);
    assert_eq!(r.properties["ip_forwarding"], false, "the default");
    assert_eq!(r.properties["shielded_secure_boot"], false, "the default");
    assert!(r.unknown.contains_key("shielded_vtpm"));
    assert!(r.unknown.contains_key("shielded_integrity_monitoring"));
}
