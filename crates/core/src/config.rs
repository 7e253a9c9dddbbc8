//! The config file (`--config FILE`, YAML): ePHI scope rules, the fail-on threshold and
//! per-policy overrides (enable, severity, parameters).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::{yaml_error, Error, InputError, Result};
use crate::model::Resource;
use crate::policy::Severity;

/// The gate: findings at or above this severity fail the run (exit 1); `none` never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl FailOn {
    pub(crate) fn trips(self, severity: Severity) -> bool {
        matches!(self, FailOn::Severity(t) if severity >= t)
    }
}

impl Default for FailOn {
    fn default() -> Self {
        FailOn::Severity(Severity::High)
    }
}

impl FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("none") {
            Ok(FailOn::Never)
        } else {
            s.parse::<Severity>()
                .map(FailOn::Severity)
                .map_err(|_| format!("`{s}` is not a severity (critical, high, medium, low, none)"))
        }
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailOn::Severity(s) => s.fmt(f),
            FailOn::Never => f.write_str("none"),
        }
    }
}

/// Which resources hold ePHI.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScopeConfig {
    /// Tag or label keys that mark a resource (case-insensitive).
    pub tag_keys: Vec<String>,
    /// Values of those tags that mean "holds ePHI" (case-insensitive).
    pub tag_values: Vec<String>,
    /// Accounts, projects or subscriptions whose every resource is in scope.
    pub accounts: Vec<String>,
    /// A resource that carries none of `tag_keys`: `out` of scope (the default) or `in` scope
    /// (for estates where classification tags are not yet trusted).
    pub untagged: Untagged,
}

/// Where a resource without a classification tag stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Untagged {
    In,
    #[default]
    Out,
}

impl Untagged {
    pub fn as_str(self) -> &'static str {
        match self {
            Untagged::In => "in",
            Untagged::Out => "out",
        }
    }
}

impl Default for ScopeConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        Self {
            tag_keys: s(&[
                "phi",
                "ephi",
                "hipaa",
                "data-classification",
                "data_classification",
                "dataclassification",
            ]),
            tag_values: s(&["phi", "ephi", "true", "yes"]),
            accounts: Vec::new(),
            untagged: Untagged::Out,
        }
    }
}

impl ScopeConfig {
    /// In ePHI scope: in a scoped account, tagged as such, or with tags that could not be read
    /// (scope fails closed: an unknown classification is treated as ePHI).
    pub fn in_scope(&self, r: &Resource) -> bool {
        let classified = r
            .tags
            .keys()
            .any(|k| self.tag_keys.iter().any(|key| key.eq_ignore_ascii_case(k)));
        r.unknown.contains_key("tags")
            || (self.untagged == Untagged::In && !classified)
            || self.accounts.iter().any(|a| a == &r.account)
            || r.tags.iter().any(|(k, v)| {
                self.tag_keys.iter().any(|key| key.eq_ignore_ascii_case(k))
                    && self
                        .tag_values
                        .iter()
                        .any(|val| val.eq_ignore_ascii_case(v.trim()))
            })
    }
}

/// Changes to one policy.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyOverride {
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub in_scope_severity: Option<Severity>,
    #[serde(default)]
    pub params: BTreeMap<String, serde_json::Value>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    scope: ScopeConfig,
    #[serde(default)]
    policies: BTreeMap<String, Spanned<PolicyOverride>>,
    #[serde(default)]
    agreements: BTreeMap<crate::model::Provider, Agreement>,
    #[serde(default)]
    select: Vec<String>,
}

/// A Business Associate Agreement the organization has with a provider, as recorded by a
/// person: the map shows it, and without it says "not verified".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// Where the signed agreement is kept or how it was accepted (AWS Artifact, a contract id).
    pub reference: String,
    /// When it took effect, `YYYY-MM-DD`.
    pub effective: chrono::NaiveDate,
    /// What it covers (an organization, billing accounts, a tenant), in the provider's terms.
    #[serde(default)]
    pub covers: Option<String>,
}

/// A parsed config file.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from, for messages (`<default>` when there is none).
    pub name: String,
    pub fail_on: Option<FailOn>,
    pub scope: ScopeConfig,
    pub policies: BTreeMap<String, Spanned<PolicyOverride>>,
    /// Recorded BAAs per provider.
    pub agreements: BTreeMap<crate::model::Provider, Agreement>,
    /// Only these policies run: ids, or prefixes ending in `*` (empty: all).
    pub select: Vec<String>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path.display().to_string();
        crate::error::require_content(&text, &name, "a hipaa-scan configuration (YAML)")?;
        Config::parse(&text, &name)
    }

    pub fn parse(text: &str, name: &str) -> Result<Config> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| yaml_error(name, &e))?
        };
        let fail_on = match raw.fail_on {
            None => None,
            Some(s) => Some(s.value.parse::<FailOn>().map_err(|m| {
                InputError::new(name, m)
                    .at(s.referenced.line(), s.referenced.column())
                    .field("fail_on")
            })?),
        };
        if raw.scope.tag_keys.is_empty() && raw.scope.accounts.is_empty() {
            return Err(InputError::new(
                name,
                "scope needs tag_keys or accounts, or nothing is ever in ePHI scope",
            )
            .field("scope")
            .into());
        }
        Ok(Config {
            name: name.to_string(),
            fail_on,
            scope: raw.scope,
            policies: raw.policies,
            agreements: raw.agreements,
            select: raw.select,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_line_and_field() {
        let err = Config::parse("fail_on: urgent\n", "hipaa-scan.yaml").unwrap_err();
        let Error::Input(errs) = err else { panic!() };
        assert_eq!(errs[0].to_string(), "hipaa-scan.yaml:1:10: fail_on: `urgent` is not a severity (critical, high, medium, low, none)");
        let err = Config::parse("scope:\n  tag_kees: [phi]\n", "c.yaml").unwrap_err();
        assert!(err.to_string().starts_with("c.yaml:2:"), "{err}");
    }

    #[test]
    fn scope_matches_tags_case_insensitively() {
        let scope = ScopeConfig::default();
        let mut r: Resource = serde_json::from_str(
            r#"{"provider":"aws","kind":"aws.s3.bucket","id":"a","account":"1","region":"r","name":"n"}"#,
        )
        .unwrap();
        assert!(!scope.in_scope(&r));
        r.tags.insert("Data-Classification".into(), "ePHI".into());
        assert!(scope.in_scope(&r));
        r.tags.insert("Data-Classification".into(), "public".into());
        assert!(!scope.in_scope(&r));
    }

    #[test]
    fn untagged_resources_and_unreadable_tags() {
        let mut r: Resource = serde_json::from_str(
            r#"{"provider":"aws","kind":"aws.s3.bucket","id":"a","account":"1","region":"r","name":"n"}"#,
        )
        .unwrap();
        let out = ScopeConfig::default();
        let inside = Config::parse("scope:\n  untagged: in\n", "c.yaml")
            .unwrap()
            .scope;
        assert!(!out.in_scope(&r));
        assert!(inside.in_scope(&r), "untagged: in");
        r.tags.insert("phi".into(), "no".into());
        assert!(!inside.in_scope(&r), "classified as not ePHI");
        r.tags.clear();
        r.unknown
            .insert("tags".into(), "s3:GetBucketTagging: AccessDenied".into());
        assert!(out.in_scope(&r), "unreadable tags fail closed");
        assert!(Config::parse("scope:\n  untagged: maybe\n", "c.yaml").is_err());
    }
}
