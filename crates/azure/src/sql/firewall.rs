//! The SQL server firewall: IPv4 and IPv6 rules judged together by CIDR arithmetic, and the
//! "Allow Azure services" switch judged apart.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv6Subnets};
use serde_json::{json, Value};

use hipaa_scan_core::net::{ipv4_range, max_prefix, open_to_internet};

/// A firewall rule as listed: its name and the two ends of its range, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rule {
    pub(super) name: String,
    pub(super) start: String,
    pub(super) end: String,
}

pub(super) fn rules_of(items: &[Value], start: &str, end: &str) -> Vec<Rule> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    items
        .iter()
        .map(|r| Rule {
            name: text(&r["name"]),
            start: text(&r["properties"][start]),
            end: text(&r["properties"][end]),
        })
        .collect()
}

pub(super) fn rules_json(rules: Vec<Rule>) -> Value {
    rules
        .into_iter()
        .map(|r| json!({"name": r.name, "start_ip": r.start, "end_ip": r.end}))
        .collect()
}

/// What the server firewall lets in.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Firewall {
    /// Why the rules let the internet in (empty: they do not).
    pub(super) internet_open: Result<Vec<String>, String>,
    /// A rule from 0.0.0.0 to 0.0.0.0: "Allow Azure services and resources to access this server".
    pub(super) allows_azure_services: Result<bool, String>,
}

/// The addresses one rule spans, as CIDR blocks, and how many addresses past the first.
pub(super) fn blocks(rule: &Rule, v6: bool) -> Result<(Vec<IpNet>, u128), String> {
    let bad = |s: &str| {
        format!(
            "firewall rule `{}`: `{s}` is not an IPv{} address",
            rule.name,
            if v6 { 6 } else { 4 }
        )
    };
    let reversed = || {
        format!(
            "firewall rule `{}`: {} is after {}",
            rule.name, rule.start, rule.end
        )
    };
    if v6 {
        let start: Ipv6Addr = rule.start.trim().parse().map_err(|_| bad(&rule.start))?;
        let end: Ipv6Addr = rule.end.trim().parse().map_err(|_| bad(&rule.end))?;
        if start > end {
            return Err(reversed());
        }
        let nets = Ipv6Subnets::new(start, end, 0).map(IpNet::V6).collect();
        Ok((nets, u128::from(end) - u128::from(start)))
    } else {
        let start: Ipv4Addr = rule.start.trim().parse().map_err(|_| bad(&rule.start))?;
        let end: Ipv4Addr = rule.end.trim().parse().map_err(|_| bad(&rule.end))?;
        if start > end {
            return Err(reversed());
        }
        let span = u128::from(u32::from(end) - u32::from(start));
        Ok((ipv4_range(start, end), span))
    }
}

/// Judges the IPv4 and IPv6 rules together. A rule is internet-open when its range holds more
/// addresses than a /8 (IPv4; /8 of the IPv6 space likewise) however it is aligned; the rules
/// are internet-open together when their ranges cover every address ([`open_to_internet`]).
/// A rule that cannot be read leaves the answer unknown, unless the others already open the
/// server. 0.0.0.0–0.0.0.0 is Azure's "Allow Azure services" switch: one address, judged apart.
pub(super) fn firewall(v4: &Result<Vec<Rule>, String>, v6: &Result<Vec<Rule>, String>) -> Firewall {
    let mut reasons = Vec::new();
    let mut all: Vec<IpNet> = Vec::new();
    let mut names = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for (rules, is_v6) in [(v4, false), (v6, true)] {
        let rules = match rules {
            Ok(r) => r,
            Err(why) => {
                problems.push(why.clone());
                continue;
            }
        };
        let bits = if is_v6 { 128 } else { 32 };
        let too_wide = 1u128 << (bits - u32::from(max_prefix()));
        for rule in rules {
            match blocks(rule, is_v6) {
                Ok((nets, span)) => {
                    if span >= too_wide || open_to_internet(&nets, max_prefix()) {
                        reasons.push(format!(
                            "rule `{}` ({} to {}) spans more than a /{}",
                            rule.name,
                            rule.start,
                            rule.end,
                            max_prefix()
                        ));
                    }
                    all.extend(nets);
                    names.push(format!("`{}`", rule.name));
                }
                Err(why) => problems.push(why),
            }
        }
    }
    if reasons.is_empty() && open_to_internet(&all, max_prefix()) {
        reasons.push(format!(
            "rules {} together cover every address",
            names.join(", ")
        ));
    }
    let internet_open = if !reasons.is_empty() || problems.is_empty() {
        Ok(reasons)
    } else {
        Err(problems.join("; "))
    };

    let allows_azure_services = match v4 {
        Err(why) => Err(why.clone()),
        Ok(rules) => {
            let zero = |s: &str| s.trim().parse::<Ipv4Addr>().ok() == Some(Ipv4Addr::UNSPECIFIED);
            let mut unreadable = None;
            let mut found = false;
            for r in rules {
                if zero(&r.start) && zero(&r.end) {
                    found = true;
                } else if let Err(why) = blocks(r, false) {
                    unreadable.get_or_insert(why);
                }
            }
            match (found, unreadable) {
                (true, _) => Ok(true),
                (false, Some(why)) => Err(why),
                (false, None) => Ok(false),
            }
        }
    };
    Firewall {
        internet_open,
        allows_azure_services,
    }
}
