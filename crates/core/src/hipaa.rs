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
pub(crate) const STANDARDS: &[Standard] = &[
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
pub(crate) fn standard_of(citation: &str) -> Option<&'static Standard> {
    if let Some(sp) = SPECIFICATIONS.iter().find(|sp| sp.citation == citation) {
        return STANDARDS.iter().find(|s| s.citation == sp.standard);
    }
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

/// An implementation specification of a standard, as the rule states it: required (R) or
/// addressable (A). A standard without specifications is its own requirement (45 CFR
/// 164.306(d)), listed here with `standard` equal to `citation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Specification {
    pub citation: &'static str,
    pub title: &'static str,
    pub required: bool,
    /// The standard it implements.
    pub standard: &'static str,
}

const fn r(citation: &'static str, title: &'static str, standard: &'static str) -> Specification {
    Specification {
        citation,
        title,
        required: true,
        standard,
    }
}

const fn a(citation: &'static str, title: &'static str, standard: &'static str) -> Specification {
    Specification {
        citation,
        title,
        required: false,
        standard,
    }
}

/// Every implementation specification of 164.308, 164.310 and 164.312 (and the standards that
/// have none), from the text of the rule (45 CFR 164.308-164.312, and its Appendix A).
pub const SPECIFICATIONS: &[Specification] = &[
    r("164.308(a)(1)(ii)(A)", "Risk analysis", "164.308(a)(1)"),
    r("164.308(a)(1)(ii)(B)", "Risk management", "164.308(a)(1)"),
    r("164.308(a)(1)(ii)(C)", "Sanction policy", "164.308(a)(1)"),
    r(
        "164.308(a)(1)(ii)(D)",
        "Information system activity review",
        "164.308(a)(1)",
    ),
    r(
        "164.308(a)(2)",
        "Assigned security responsibility",
        "164.308(a)(2)",
    ),
    a(
        "164.308(a)(3)(ii)(A)",
        "Authorization and/or supervision",
        "164.308(a)(3)",
    ),
    a(
        "164.308(a)(3)(ii)(B)",
        "Workforce clearance procedure",
        "164.308(a)(3)",
    ),
    a(
        "164.308(a)(3)(ii)(C)",
        "Termination procedures",
        "164.308(a)(3)",
    ),
    r(
        "164.308(a)(4)(ii)(A)",
        "Isolating health care clearinghouse functions",
        "164.308(a)(4)",
    ),
    a(
        "164.308(a)(4)(ii)(B)",
        "Access authorization",
        "164.308(a)(4)",
    ),
    a(
        "164.308(a)(4)(ii)(C)",
        "Access establishment and modification",
        "164.308(a)(4)",
    ),
    a(
        "164.308(a)(5)(ii)(A)",
        "Security reminders",
        "164.308(a)(5)",
    ),
    a(
        "164.308(a)(5)(ii)(B)",
        "Protection from malicious software",
        "164.308(a)(5)",
    ),
    a("164.308(a)(5)(ii)(C)", "Log-in monitoring", "164.308(a)(5)"),
    a(
        "164.308(a)(5)(ii)(D)",
        "Password management",
        "164.308(a)(5)",
    ),
    r(
        "164.308(a)(6)(ii)",
        "Response and reporting",
        "164.308(a)(6)",
    ),
    r("164.308(a)(7)(ii)(A)", "Data backup plan", "164.308(a)(7)"),
    r(
        "164.308(a)(7)(ii)(B)",
        "Disaster recovery plan",
        "164.308(a)(7)",
    ),
    r(
        "164.308(a)(7)(ii)(C)",
        "Emergency mode operation plan",
        "164.308(a)(7)",
    ),
    a(
        "164.308(a)(7)(ii)(D)",
        "Testing and revision procedures",
        "164.308(a)(7)",
    ),
    a(
        "164.308(a)(7)(ii)(E)",
        "Applications and data criticality analysis",
        "164.308(a)(7)",
    ),
    r("164.308(a)(8)", "Evaluation", "164.308(a)(8)"),
    r(
        "164.308(b)(3)",
        "Written contract or other arrangement",
        "164.308(b)(1)",
    ),
    a(
        "164.310(a)(2)(i)",
        "Contingency operations",
        "164.310(a)(1)",
    ),
    a(
        "164.310(a)(2)(ii)",
        "Facility security plan",
        "164.310(a)(1)",
    ),
    a(
        "164.310(a)(2)(iii)",
        "Access control and validation procedures",
        "164.310(a)(1)",
    ),
    a("164.310(a)(2)(iv)", "Maintenance records", "164.310(a)(1)"),
    r("164.310(b)", "Workstation use", "164.310(b)"),
    r("164.310(c)", "Workstation security", "164.310(c)"),
    r("164.310(d)(2)(i)", "Disposal", "164.310(d)(1)"),
    r("164.310(d)(2)(ii)", "Media re-use", "164.310(d)(1)"),
    a("164.310(d)(2)(iii)", "Accountability", "164.310(d)(1)"),
    a(
        "164.310(d)(2)(iv)",
        "Data backup and storage",
        "164.310(d)(1)",
    ),
    r(
        "164.312(a)(2)(i)",
        "Unique user identification",
        "164.312(a)(1)",
    ),
    r(
        "164.312(a)(2)(ii)",
        "Emergency access procedure",
        "164.312(a)(1)",
    ),
    a("164.312(a)(2)(iii)", "Automatic logoff", "164.312(a)(1)"),
    a(
        "164.312(a)(2)(iv)",
        "Encryption and decryption",
        "164.312(a)(1)",
    ),
    r("164.312(b)", "Audit controls", "164.312(b)"),
    a(
        "164.312(c)(2)",
        "Mechanism to authenticate electronic protected health information",
        "164.312(c)(1)",
    ),
    r(
        "164.312(d)",
        "Person or entity authentication",
        "164.312(d)",
    ),
    a("164.312(e)(2)(i)", "Integrity controls", "164.312(e)(1)"),
    a("164.312(e)(2)(ii)", "Encryption", "164.312(e)(1)"),
];

/// The specification a citation names, if it names one.
pub fn specification(citation: &str) -> Option<&'static Specification> {
    SPECIFICATIONS.iter().find(|s| s.citation == citation)
}

/// Whether `citation` names a paragraph of the Security Rule that exists: a standard (also in its
/// `(i)` form, `164.308(a)(1)(i)`) or an implementation specification. A well-formed citation
/// of a paragraph the rule does not have (`164.312(a)(2)(v)`) is not valid.
pub fn is_valid(citation: &str) -> bool {
    if STANDARDS.iter().any(|s| s.citation == citation) || specification(citation).is_some() {
        return true;
    }
    citation.strip_suffix("(i)").is_some_and(|base| {
        STANDARDS.iter().any(|s| s.citation == base)
            && SPECIFICATIONS
                .iter()
                .any(|sp| sp.standard == base && sp.citation != base)
    })
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
            "164.312(a)(2)(v)",
            "164.308(a)(1)(ii)(E)",
            "164.310(d)(2)(v)",
            "164.312(e)(2)(iii)",
            "164.312(b)(1)",
        ] {
            assert!(!is_valid(c), "{c}");
        }
    }

    #[test]
    fn every_specification_exists_and_belongs_to_a_standard() {
        assert_eq!(SPECIFICATIONS.len(), 42);
        for sp in SPECIFICATIONS {
            assert!(is_valid(sp.citation), "{}", sp.citation);
            assert_eq!(
                standard_of(sp.citation).map(|s| s.citation),
                Some(sp.standard),
                "{}",
                sp.citation
            );
        }
        for st in STANDARDS {
            assert!(
                SPECIFICATIONS.iter().any(|sp| sp.standard == st.citation),
                "{} has no specification",
                st.citation
            );
        }
        assert!(is_valid("164.308(a)(1)(i)"));
        assert!(!is_valid("164.312(b)(i)"), "164.312(b) has no paragraphs");
    }
}
