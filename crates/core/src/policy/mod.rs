//! Declarative policies: metadata, HIPAA citations and a CEL condition, loaded from YAML.

pub mod condition;
mod load;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use condition::Condition;
pub use load::{builtin_policy_files, load_builtin_data, load_dir, load_files, PolicyFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub(crate) const ALL_DESC: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// GitHub code scanning's `security-severity` (CVSS-like score) for this severity.
    pub(crate) fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(format!(
                "`{s}` is not a severity (critical, high, medium, low)"
            )),
        }
    }
}

/// Which resources a policy evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every resource of the policy's kinds.
    #[default]
    All,
    /// Only resources in ePHI scope.
    Ephi,
}

/// The catalogs each provider's policies are mapped against (`anchors:` in a policy file), as
/// (key, column title): what docs/catalog-mapping.md is generated from.
pub(crate) const ANCHORS: [(&str, &[(&str, &str)]); 3] = [
    (
        "aws",
        &[
            ("aws_config", "AWS Config HIPAA pack rule"),
            ("prowler", "Prowler check"),
        ],
    ),
    (
        "azure",
        &[
            ("azure_policy", "Azure Policy built-in"),
            ("prowler", "Prowler check"),
        ],
    ),
    (
        "gcp",
        &[("prowler", "Prowler check"), ("cis_gcp", "CIS GCP 3.0")],
    ),
];

/// The anchor columns of a provider's policies (none for an unknown provider).
pub fn anchor_columns(provider: &str) -> &'static [(&'static str, &'static str)] {
    ANCHORS
        .iter()
        .find(|(p, _)| *p == provider)
        .map_or(&[], |(_, cols)| cols)
}

/// A loaded, validated policy.
#[derive(Debug)]
pub struct Policy {
    pub id: String,
    pub title: String,
    pub description: String,
    pub citations: Vec<String>,
    pub severity: Severity,
    /// Severity for resources in ePHI scope, when it differs.
    pub in_scope_severity: Option<Severity>,
    /// Kinds or kind patterns (`aws.*`).
    pub kinds: Vec<String>,
    pub scope: Scope,
    pub remediation: String,
    pub references: Vec<String>,
    /// What the policy corresponds to in the catalogs it is compared with, by the keys of
    /// [`anchor_columns`] (Markdown; "none" where there is no counterpart).
    pub anchors: BTreeMap<String, String>,
    /// Parameters with their values (defaults, after config overrides).
    pub params: BTreeMap<String, serde_json::Value>,
    pub condition: Condition,
    /// When set and false for a resource, the verdict is not applicable.
    pub applies_if: Option<Condition>,
    /// Where the policy was loaded from, for messages.
    pub origin: String,
}

impl Policy {
    pub(crate) fn applies_to(&self, kind: &str) -> bool {
        self.kinds
            .iter()
            .any(|k| crate::model::kind_matches(k, kind))
    }

    /// The severity of a finding on a resource.
    pub(crate) fn severity_for(&self, in_scope: bool) -> Severity {
        match (in_scope, self.in_scope_severity) {
            (true, Some(s)) => s,
            _ => self.severity,
        }
    }

    /// The highest severity this policy can report.
    pub(crate) fn max_severity(&self) -> Severity {
        self.in_scope_severity
            .map_or(self.severity, |s| s.max(self.severity))
    }

    pub fn provider(&self) -> &str {
        self.id.split('-').next().unwrap_or("")
    }
}

/// The policies of one scan, sorted by id.
#[derive(Debug, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
}

impl PolicySet {
    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.policies
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.policies[i])
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Keeps only the policies that one of `patterns` names: an exact id, or a prefix ending in
    /// `*` (`aws-s3-*`). A pattern that names no policy is an input error, so a typo cannot
    /// silently empty the gate.
    /// `source` names where the patterns came from (`--select`, or a config file).
    pub fn select(&mut self, patterns: &[String], source: &str) -> crate::error::Result<()> {
        if patterns.is_empty() {
            return Ok(());
        }
        let matches = |pattern: &str, id: &str| match pattern.strip_suffix('*') {
            Some(prefix) => id.starts_with(prefix),
            None => pattern == id,
        };
        let unmatched: Vec<crate::error::InputError> = patterns
            .iter()
            .filter(|pat| !self.policies.iter().any(|p| matches(pat, &p.id)))
            .map(|pat| {
                crate::error::InputError::new(
                    source,
                    format!("`{pat}` names no policy (see `hipaa-scan policies list`)"),
                )
                .field("select")
            })
            .collect();
        if !unmatched.is_empty() {
            return Err(crate::error::Error::Input(unmatched));
        }
        self.policies
            .retain(|p| patterns.iter().any(|pat| matches(pat, &p.id)));
        Ok(())
    }
}
