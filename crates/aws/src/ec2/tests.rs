//! Tests of the parent module.

use super::{acl_open_ports, world_open, AclEntry, ADMIN_PORTS, DATABASE_PORTS};

fn acl(rule: i32, allow: bool, proto: &str, from: u16, to: u16, cidr: &str) -> AclEntry {
    AclEntry {
        rule,
        allow,
        protocol: proto.into(),
        from,
        to,
        source: hipaa_scan_core::net::parse_source(cidr).unwrap(),
    }
}

#[test]
fn network_acls_first_match_wins() {
    let deny_all = acl(32767, false, "all", 0, 65535, "0.0.0.0/0");
    // The default ACL: everything allowed.
    let open = [
        acl(100, true, "all", 0, 65535, "0.0.0.0/0"),
        deny_all.clone(),
    ];
    assert_eq!(acl_open_ports(&open, &ADMIN_PORTS).len(), 2);
    // A deny of SSH before the allow closes 22 but not 3389.
    let ssh_denied = [
        acl(50, false, "tcp", 22, 22, "0.0.0.0/0"),
        acl(100, true, "all", 0, 65535, "0.0.0.0/0"),
        deny_all.clone(),
    ];
    let got = acl_open_ports(&ssh_denied, &ADMIN_PORTS);
    assert_eq!(got, ["tcp 3389 (rule 100 from 0.0.0.0/0)"]);
    // The same deny after the allow changes nothing: the allow matched first.
    let too_late = [
        acl(100, true, "all", 0, 65535, "0.0.0.0/0"),
        acl(150, false, "tcp", 22, 22, "0.0.0.0/0"),
        deny_all.clone(),
    ];
    assert_eq!(acl_open_ports(&too_late, &[22]).len(), 1);
    // Two /1s are the internet; one office /24 is not; nor is the internet minus a deny of
    // everything but a /24.
    let halves = [
        acl(10, true, "tcp", 22, 22, "0.0.0.0/1"),
        acl(20, true, "tcp", 22, 22, "128.0.0.0/1"),
        deny_all.clone(),
    ];
    assert_eq!(acl_open_ports(&halves, &[22]).len(), 1);
    let office = [
        acl(10, true, "tcp", 22, 22, "203.0.113.0/24"),
        deny_all.clone(),
    ];
    assert!(acl_open_ports(&office, &[22]).is_empty());
    // UDP and other ports do not open SSH.
    let udp = [acl(10, true, "udp", 0, 65535, "0.0.0.0/0"), deny_all];
    assert!(acl_open_ports(&udp, &[22]).is_empty());
    // IPv6 from anywhere.
    let v6 = [acl(10, true, "tcp", 3389, 3389, "::/0")];
    assert_eq!(
        acl_open_ports(&v6, &[3389]),
        ["tcp 3389 (rule 10 from ::/0)"]
    );
}

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range};

fn world_open_admin_ports(perms: &[IpPermission]) -> Vec<String> {
    world_open(perms, &ADMIN_PORTS).unwrap()
}

fn perm(proto: &str, from: i32, to: i32, cidr: &str) -> IpPermission {
    let b = IpPermission::builder()
        .ip_protocol(proto)
        .from_port(from)
        .to_port(to);
    if cidr.contains(':') {
        b.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build())
            .build()
    } else {
        b.ip_ranges(IpRange::builder().cidr_ip(cidr).build())
            .build()
    }
}

#[test]
fn finds_world_open_admin_ports_only() {
    assert_eq!(
        world_open_admin_ports(&[perm("tcp", 22, 22, "0.0.0.0/0")]),
        ["tcp 22 from 0.0.0.0/0"]
    );
    assert_eq!(
        world_open_admin_ports(&[perm("tcp", 3000, 4000, "::/0")]),
        ["tcp 3389 from ::/0"]
    );
    assert_eq!(
        world_open_admin_ports(&[perm("-1", 0, 0, "0.0.0.0/0")]),
        [
            "tcp all ports from 0.0.0.0/0",
            "udp all ports from 0.0.0.0/0"
        ]
    );
    assert_eq!(
        world_open_admin_ports(&[perm("6", 0, 65535, "0.0.0.0/0")]),
        ["tcp all ports from 0.0.0.0/0"]
    );
    assert!(world_open_admin_ports(&[perm("tcp", 443, 443, "0.0.0.0/0")]).is_empty());
    assert!(world_open_admin_ports(&[perm("tcp", 22, 22, "10.0.0.0/8")]).is_empty());
    assert!(world_open_admin_ports(&[perm("icmp", -1, -1, "0.0.0.0/0")]).is_empty());
}

#[test]
fn two_halves_are_the_internet_and_bad_addresses_are_unknown() {
    let halves = [
        perm("tcp", 22, 22, "0.0.0.0/1"),
        perm("tcp", 22, 22, "128.0.0.0/1"),
    ];
    assert_eq!(
        world_open_admin_ports(&halves),
        ["tcp 22 from 0.0.0.0/1, 128.0.0.0/1"]
    );
    assert_eq!(
        world_open(&[perm("tcp", 5432, 5432, "0.0.0.0/0")], &DATABASE_PORTS).unwrap(),
        ["tcp 5432 from 0.0.0.0/0"]
    );
    assert!(world_open_admin_ports(&[perm("tcp", 5432, 5432, "0.0.0.0/0")]).is_empty());
    assert!(world_open(&[perm("tcp", 22, 22, "not-a-cidr")], &ADMIN_PORTS).is_err());
}

#[test]
fn an_elastic_ip_on_a_secondary_interface_is_a_public_ip() {
    use aws_sdk_ec2::types::{
        Instance, InstanceNetworkInterface, InstanceNetworkInterfaceAssociation,
    };
    let eni = |public: Option<&str>| {
        let mut n = InstanceNetworkInterface::builder().network_interface_id("eni-1");
        if let Some(ip) = public {
            n = n.association(
                InstanceNetworkInterfaceAssociation::builder()
                    .public_ip(ip)
                    .build(),
            );
        }
        n.build()
    };
    let private = Instance::builder()
        .network_interfaces(eni(None))
        .network_interfaces(eni(None))
        .build();
    assert_eq!(super::public_ip(&private), None);
    // eth0 private, eth1 with an Elastic IP: `PublicIpAddress` is empty, the instance is not.
    let secondary = Instance::builder()
        .network_interfaces(eni(None))
        .network_interfaces(eni(Some("203.0.113.7")))
        .build();
    assert_eq!(super::public_ip(&secondary), Some("203.0.113.7"));
    let primary = Instance::builder()
        .public_ip_address("198.51.100.1")
        .network_interfaces(eni(Some("198.51.100.1")))
        .build();
    assert_eq!(super::public_ip(&primary), Some("198.51.100.1"));
}
