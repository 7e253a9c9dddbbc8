//! 45 CFR Part 164 Subpart C: the Security Rule's standards, for validating citations and
//! grouping findings by safeguard.

/// The safeguard family of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    Administrative,
    Physical,
    Technical,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Administrative => "administrative",
            Family::Physical => "physical",
            Family::Technical => "technical",
        }
    }
}

/// A standard of the Security Rule: the unit findings are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standard {
    pub citation: &'static str,
    pub title: &'static str,
    pub family: Family,
}

const fn s(citation: &'static str, title: &'static str, family: Family) -> Standard {
    Standard {
        citation,
        title,
        family,
    }
}

use Family::{Administrative as A, Physical as P, Technical as T};

/// Every standard of 164.308, 164.310 and 164.312.
pub const STANDARDS: &[Standard] = &[
    s("164.308(a)(1)", "Security management process", A),
    s("164.308(a)(2)", "Assigned security responsibility", A),
    s("164.308(a)(3)", "Workforce security", A),
    s("164.308(a)(4)", "Information access management", A),
    s("164.308(a)(5)", "Security awareness and training", A),
    s("164.308(a)(6)", "Security incident procedures", A),
    s("164.308(a)(7)", "Contingency plan", A),
    s("164.308(a)(8)", "Evaluation", A),
    s(
        "164.308(b)(1)",
        "Business associate contracts and other arrangements",
        A,
    ),
    s("164.310(a)(1)", "Facility access controls", P),
    s("164.310(b)", "Workstation use", P),
    s("164.310(c)", "Workstation security", P),
    s("164.310(d)(1)", "Device and media controls", P),
    s("164.312(a)(1)", "Access control", T),
    s("164.312(b)", "Audit controls", T),
    s("164.312(c)(1)", "Integrity", T),
    s("164.312(d)", "Person or entity authentication", T),
    s("164.312(e)(1)", "Transmission security", T),
];

/// Splits `164.312(a)(2)(iv)` into `("164.312", ["a", "2", "iv"])`, checking its shape.
fn parse(citation: &str) -> Option<(&str, Vec<&str>)> {
    let open = citation.find('(')?;
    let (section, mut rest) = citation.split_at(open);
    if !matches!(section, "164.308" | "164.310" | "164.312") {
        return None;
    }
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('(')?;
        let close = inner.find(')')?;
        let part = &inner[..close];
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        parts.push(part);
        rest = &inner[close + 1..];
    }
    (!parts.is_empty()).then_some((section, parts))
}

/// The standard a citation belongs to: `164.312(a)(2)(iv)` (encryption and decryption) is an
/// implementation specification of `164.312(a)(1)` (access control).
pub fn standard_of(citation: &str) -> Option<&'static Standard> {
    let (section, parts) = parse(citation)?;
    let mut key = format!("{section}({})", parts[0]);
    let paragraph_numbered = |k: &str| {
        STANDARDS
            .iter()
            .any(|s| s.citation.starts_with(&format!("{k}(")))
    };
    if paragraph_numbered(&key) {
        // 164.308(a)(n) are separate standards; elsewhere (2) holds the specifications of (1).
        let second = parts.get(1)?;
        let n = if section != "164.308" && *second == "2" {
            "1"
        } else {
            second
        };
        key = format!("{key}({n})");
    } else if section == "164.308" {
        return None;
    }
    STANDARDS.iter().find(|s| s.citation == key)
}

/// Whether `citation` is a well-formed citation of a Security Rule standard or specification.
pub fn is_valid(citation: &str) -> bool {
    standard_of(citation).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifications_map_to_their_standard() {
        for (c, std) in [
            ("164.312(a)(2)(iv)", "164.312(a)(1)"),
            ("164.312(a)(1)", "164.312(a)(1)"),
            ("164.312(b)", "164.312(b)"),
            ("164.312(c)(2)", "164.312(c)(1)"),
            ("164.312(d)", "164.312(d)"),
            ("164.312(e)(2)(ii)", "164.312(e)(1)"),
            ("164.308(a)(7)(ii)(A)", "164.308(a)(7)"),
            ("164.308(a)(5)(ii)(D)", "164.308(a)(5)"),
            ("164.308(a)(1)(ii)(D)", "164.308(a)(1)"),
            ("164.308(b)(1)", "164.308(b)(1)"),
            ("164.310(d)(2)(iv)", "164.310(d)(1)"),
            ("164.310(a)(2)(iii)", "164.310(a)(1)"),
            ("164.310(c)", "164.310(c)"),
        ] {
            assert_eq!(standard_of(c).map(|s| s.citation), Some(std), "{c}");
        }
    }

    #[test]
    fn malformed_or_foreign_citations_are_rejected() {
        for c in [
            "",
            "164.312",
            "164.314(a)(1)",
            "164.312(f)",
            "164.312(a",
            "164.312()",
            "164.308(a)(9)",
            "164.308(c)",
        ] {
            assert!(!is_valid(c), "{c}");
        }
    }
}
