//! Network exposure by CIDR arithmetic: whether a set of source ranges lets the internet in.
//!
//! A set of sources is *open to the internet* when, together, the ranges cover every IPv4
//! address (`0.0.0.0/0`, or e.g. two `/1`s), every IPv6 address or every global unicast IPv6
//! address (`2000::/3`), or when any one range is broader than `max_prefix` (a `/7` is 33
//! million addresses: no firewall rule that wide names a known network). The same rule judges
//! security groups, Cloud SQL authorized networks and Azure SQL firewall ranges.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net, Ipv4Subnets, Ipv6Net};

/// The default: a source broader than a `/8` is treated as the internet.
pub const DEFAULT_MAX_PREFIX: u8 = 8;

static MAX_PREFIX: std::sync::atomic::AtomicU8 =
    std::sync::atomic::AtomicU8::new(DEFAULT_MAX_PREFIX);

/// The prefix length below which one source counts as the internet, for this run
/// (`--open-prefix`, default 8). Set once at start-up, before any reading.
pub fn max_prefix() -> u8 {
    MAX_PREFIX.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets [`max_prefix`] for this run.
pub fn set_max_prefix(prefix: u8) {
    MAX_PREFIX.store(prefix, std::sync::atomic::Ordering::Relaxed);
}

/// Parses a CIDR (`10.0.0.0/8`, `::/0`) or a bare address (a host route). Host bits set in
/// the address are ignored, as the providers do (`10.1.2.3/8` is `10.0.0.0/8`).
pub fn parse_source(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    if let Ok(net) = s.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    s.parse::<IpAddr>()
        .map(IpNet::from)
        .map_err(|_| format!("`{s}` is not an IP address or CIDR range"))
}

/// The CIDR blocks of an inclusive IPv4 address range (`start`–`end`, as Azure firewalls
/// state them); empty when `start` is after `end`.
pub fn ipv4_range(start: Ipv4Addr, end: Ipv4Addr) -> Vec<IpNet> {
    Ipv4Subnets::new(start, end, 0).map(IpNet::V4).collect()
}

/// Whether a URL's host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`): the only
/// place plain http may carry requests (test peers, emulators).
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `sources`, together, are open to the internet (see the module documentation).
pub fn open_to_internet(sources: &[IpNet], max_prefix: u8) -> bool {
    if sources.iter().any(|n| n.prefix_len() < max_prefix) {
        return true;
    }
    let v4: Vec<Ipv4Net> = sources
        .iter()
        .filter_map(|n| match n {
            IpNet::V4(n) => Some(*n),
            IpNet::V6(n) => n.addr().to_ipv4_mapped().and_then(|a| {
                // ::ffff:0:0/96 and narrower carry IPv4 addresses.
                let prefix = n.prefix_len().checked_sub(96)?;
                Ipv4Net::new(a, prefix).ok()
            }),
        })
        .collect();
    let v6: Vec<Ipv6Net> = sources
        .iter()
        .filter_map(|n| match n {
            IpNet::V6(n) => Some(*n),
            IpNet::V4(_) => None,
        })
        .collect();
    covers_v4(&v4) || covers_v6(&v6, "::/0") || covers_v6(&v6, "2000::/3")
}

/// The narrowest description of why `sources` are open: the first range that is too broad,
/// or the union; `None` when they are not open.
pub fn why_open(sources: &[IpNet], max_prefix: u8) -> Option<String> {
    if let Some(n) = sources.iter().find(|n| n.prefix_len() < max_prefix) {
        return Some(format!("{n} is broader than /{max_prefix}"));
    }
    open_to_internet(sources, max_prefix).then(|| {
        let list: Vec<String> = sources.iter().map(IpNet::to_string).collect();
        format!("{} together cover the internet", list.join(", "))
    })
}

fn covers_v4(nets: &[Ipv4Net]) -> bool {
    let merged = Ipv4Net::aggregate(&nets.to_vec());
    merged.iter().any(|n| n.prefix_len() == 0)
}

fn covers_v6(nets: &[Ipv6Net], target: &str) -> bool {
    let Ok(target) = target.parse::<Ipv6Net>() else {
        return false;
    };
    let merged = Ipv6Net::aggregate(&nets.to_vec());
    merged.iter().any(|n| n.contains(&target))
}

/// One allow rule of a firewall: a protocol (`tcp`, `udp`, or `all`), an inclusive port range
/// and its sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRule {
    pub protocol: String,
    pub from: u16,
    pub to: u16,
    pub sources: Vec<IpNet>,
}

impl PortRule {
    fn reaches(&self, protocol: &str, port: u16) -> bool {
        (self.protocol == "all" || self.protocol == protocol)
            && self.from <= port
            && port <= self.to
    }

    fn every_port(&self, protocol: &str) -> bool {
        (self.protocol == "all" || self.protocol == protocol) && self.from == 0 && self.to == 65535
    }
}

/// The first and last address of a block, as numbers of its family.
fn span(net: &IpNet) -> (u128, u128) {
    match net {
        IpNet::V4(n) => (
            u32::from(n.network()) as u128,
            u32::from(n.broadcast()) as u128,
        ),
        IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast())),
    }
}

/// Rules evaluated in order, the first rule that matches an address deciding it, as network
/// ACLs and network security groups are: each rule is (source block, allows, label), and an
/// earlier rule (allow or deny) takes the addresses it covers out of every later one. Over the
/// addresses of one family (`v6`), the labels of the allow rules that let some in, when the
/// addresses they let in add up to more than the [`max_prefix`] bound (the internet); empty when
/// they do not. Rules of the other family are skipped.
pub fn first_match_open<L: PartialEq>(
    rules: impl IntoIterator<Item = (IpNet, bool, L)>,
    v6: bool,
) -> Vec<L> {
    let max: u128 = if v6 { u128::MAX } else { u32::MAX as u128 };
    // Address ranges no earlier rule has decided yet.
    let mut undecided: Vec<(u128, u128)> = vec![(0, max)];
    let mut allowed: u128 = 0;
    let mut labels = Vec::new();
    for (source, allow, label) in rules {
        if source.addr().is_ipv6() != v6 {
            continue;
        }
        let (lo, hi) = span(&source);
        let mut rest = Vec::new();
        let mut lets_in = false;
        for (a, b) in undecided {
            if b < lo || a > hi {
                rest.push((a, b));
                continue;
            }
            let (ia, ib) = (a.max(lo), b.min(hi));
            if allow {
                allowed = allowed.saturating_add((ib - ia).saturating_add(1));
                lets_in = true;
            }
            if a < ia {
                rest.push((a, ia - 1));
            }
            if ib < b {
                rest.push((ib + 1, b));
            }
        }
        if lets_in && !labels.contains(&label) {
            labels.push(label);
        }
        undecided = rest;
    }
    let prefix = u32::from(max_prefix());
    let bound: u128 = if v6 {
        1u128 << (128 - prefix.min(127))
    } else {
        1u128 << (32 - prefix.min(31))
    };
    if allowed > bound {
        labels
    } else {
        Vec::new()
    }
}

/// The ports of `ports` (and "every port") that `rules`, together, open to the internet, as
/// `tcp 22 from 0.0.0.0/1, 128.0.0.0/1`. Sources are pooled across rules, so two rules of a
/// `/1` each open the port as one `0.0.0.0/0` rule would.
pub fn open_ports(rules: &[PortRule], ports: &[u16], max_prefix: u8) -> Vec<String> {
    let mut out = Vec::new();
    let label = |sources: Vec<&IpNet>| {
        let list: Vec<String> = sources.iter().map(|n| n.to_string()).collect();
        list.join(", ")
    };
    for protocol in ["tcp", "udp"] {
        let every: Vec<IpNet> = rules
            .iter()
            .filter(|r| r.every_port(protocol))
            .flat_map(|r| r.sources.iter().copied())
            .collect();
        if open_to_internet(&every, max_prefix) {
            out.push(format!(
                "{protocol} all ports from {}",
                label(every.iter().collect())
            ));
            continue;
        }
        for &port in ports {
            let sources: Vec<IpNet> = rules
                .iter()
                .filter(|r| r.reaches(protocol, port))
                .flat_map(|r| r.sources.iter().copied())
                .collect();
            if open_to_internet(&sources, max_prefix) {
                out.push(format!(
                    "{protocol} {port} from {}",
                    label(sources.iter().collect())
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(list: &[&str]) -> bool {
        let nets: Vec<IpNet> = list.iter().map(|s| parse_source(s).unwrap()).collect();
        open_to_internet(&nets, DEFAULT_MAX_PREFIX)
    }

    #[test]
    fn the_whole_internet_in_one_range_or_several() {
        assert!(open(&["0.0.0.0/0"]));
        assert!(open(&["::/0"]));
        assert!(open(&["0.0.0.0/1", "128.0.0.0/1"]), "two /1s");
        assert!(open(&["2000::/4", "3000::/4"]), "all global unicast IPv6");
        assert!(open(&["4.0.0.0/6"]), "a /6 is broader than /8");
        let quarters = ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"];
        assert!(open(&quarters));
    }

    #[test]
    fn known_networks_are_not_the_internet() {
        assert!(!open(&["10.0.0.0/8"]));
        assert!(!open(&["203.0.113.0/24", "198.51.100.7/32"]));
        assert!(!open(&["0.0.0.0/32"]), "0.0.0.0/32 is one address");
        assert!(!open(&[]));
        assert!(!open(&["2001:db8::/32"]));
    }

    #[test]
    fn a_single_half_is_open_by_its_prefix() {
        let nets = [parse_source("0.0.0.0/1").unwrap()];
        assert!(open_to_internet(&nets, 8), "/1 is broader than /8");
        assert!(!open_to_internet(&nets, 1));
    }

    #[test]
    fn host_bits_and_bare_addresses() {
        assert_eq!(
            parse_source("10.1.2.3/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(parse_source("1.2.3.4").unwrap().prefix_len(), 32);
        assert!(parse_source("1.2.3.4/33").is_err());
        assert!(parse_source("any").is_err());
    }

    #[test]
    fn ipv4_ranges_become_blocks() {
        let all = ipv4_range(Ipv4Addr::new(0, 0, 0, 0), Ipv4Addr::new(255, 255, 255, 255));
        assert!(open_to_internet(&all, DEFAULT_MAX_PREFIX));
        let two = [
            ipv4_range(Ipv4Addr::new(0, 0, 0, 0), Ipv4Addr::new(127, 255, 255, 255)),
            ipv4_range(
                Ipv4Addr::new(128, 0, 0, 0),
                Ipv4Addr::new(255, 255, 255, 255),
            ),
        ]
        .concat();
        assert!(open_to_internet(&two, 32), "two halves cover everything");
        let azure = ipv4_range(Ipv4Addr::new(0, 0, 0, 0), Ipv4Addr::new(0, 0, 0, 0));
        assert!(!open_to_internet(&azure, DEFAULT_MAX_PREFIX));
        let office = ipv4_range(
            Ipv4Addr::new(203, 0, 113, 0),
            Ipv4Addr::new(203, 0, 113, 255),
        );
        assert_eq!(office.len(), 1);
        assert!(ipv4_range(Ipv4Addr::new(2, 0, 0, 0), Ipv4Addr::new(1, 0, 0, 0)).is_empty());
    }

    fn rule(protocol: &str, from: u16, to: u16, sources: &[&str]) -> PortRule {
        PortRule {
            protocol: protocol.into(),
            from,
            to,
            sources: sources.iter().map(|s| parse_source(s).unwrap()).collect(),
        }
    }

    #[test]
    fn ports_open_through_several_rules() {
        let halves = [
            rule("tcp", 22, 22, &["0.0.0.0/1"]),
            rule("tcp", 0, 1024, &["128.0.0.0/1"]),
        ];
        assert_eq!(
            open_ports(&halves, &[22, 3389], DEFAULT_MAX_PREFIX),
            ["tcp 22 from 0.0.0.0/1, 128.0.0.0/1"]
        );
        let all = [rule("all", 0, 65535, &["::/0"])];
        assert_eq!(
            open_ports(&all, &[22], DEFAULT_MAX_PREFIX),
            ["tcp all ports from ::/0", "udp all ports from ::/0"]
        );
        let narrow = [
            rule("tcp", 22, 22, &["203.0.113.0/24"]),
            rule("tcp", 443, 443, &["0.0.0.0/0"]),
        ];
        assert!(open_ports(&narrow, &[22, 3389], DEFAULT_MAX_PREFIX).is_empty());
        let range = [rule("tcp", 3000, 4000, &["0.0.0.0/0"])];
        assert_eq!(
            open_ports(&range, &[22, 3389], DEFAULT_MAX_PREFIX),
            ["tcp 3389 from 0.0.0.0/0"]
        );
    }

    #[test]
    fn loopback_urls() {
        assert!(is_loopback_url("http://127.0.0.1:9023"));
        assert!(is_loopback_url("http://127.8.0.1/x"));
        assert!(is_loopback_url("http://[::1]:80/"));
        assert!(is_loopback_url("http://localhost:4443"));
        assert!(!is_loopback_url("http://10.0.0.5:80"));
        assert!(!is_loopback_url("http://storage.example.com"));
        assert!(!is_loopback_url("http://127.0.0.1.evil.example/"));
        assert!(!is_loopback_url("http://user@evil.example:80"));
    }
}
