//! Waivers: accepted risks that suppress a finding until they expire. Every waiver names the
//! policy and resource it covers and carries a reason, an owner and an expiry date. Waived
//! findings stay visible as waived; an expired waiver no longer suppresses; a waiver that matches
//! nothing is reported as stale.

use std::path::Path;

use chrono::NaiveDate;
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::{yaml_error, Error, InputError, Result};
use crate::policy::PolicySet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    waivers: Vec<Spanned<RawWaiver>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    policy: String,
    resource: String,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    region: Option<String>,
    reason: String,
    owner: String,
    expires: String,
}

/// One waiver, validated.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// Policy id or glob, e.g. `aws-s3-*`.
    pub policy: String,
    /// Glob over the resource's native id or its name.
    pub resource: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub reason: String,
    pub owner: String,
    /// The last day the waiver applies.
    pub expires: NaiveDate,
    /// Where it is written, for messages: `waivers.yaml:12`.
    pub location: String,
    policy_glob: GlobMatcher,
    resource_glob: GlobMatcher,
}

impl Waiver {
    pub fn matches(&self, policy: &str, id: &str, name: &str, account: &str, region: &str) -> bool {
        self.policy_glob.is_match(policy)
            && (self.resource_glob.is_match(id) || self.resource_glob.is_match(name))
            && self.account.as_deref().is_none_or(|a| a == account)
            && self.region.as_deref().is_none_or(|r| r == region)
    }

    pub fn expired(&self, today: NaiveDate) -> bool {
        today > self.expires
    }
}

/// A waivers file.
#[derive(Debug, Clone, Default)]
pub struct Waivers {
    pub list: Vec<Waiver>,
}

fn glob(pattern: &str) -> std::result::Result<GlobMatcher, String> {
    Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| e.to_string())
}

impl Waivers {
    pub fn load(path: &Path, policies: &PolicySet) -> Result<Waivers> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path.display().to_string();
        crate::error::require_content(&text, &name, "a waiver file (YAML with `waivers:`)")?;
        Waivers::parse(&text, &name, policies)
    }

    pub fn parse(text: &str, file: &str, policies: &PolicySet) -> Result<Waivers> {
        let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| yaml_error(file, &e))?;
        let mut errors = Vec::new();
        let mut list = Vec::new();
        for (i, w) in raw.waivers.into_iter().enumerate() {
            let line = w.referenced.line();
            let err = |field: &str, msg: String| {
                InputError::new(file, msg)
                    .at(line, 0)
                    .field(format!("waivers[{i}].{field}"))
            };
            let r = w.value;
            for (field, value) in [
                ("reason", &r.reason),
                ("owner", &r.owner),
                ("policy", &r.policy),
                ("resource", &r.resource),
            ] {
                if value.trim().is_empty() {
                    errors.push(err(
                        field,
                        "must not be empty: every waiver says what, why and who".into(),
                    ));
                }
            }
            let is_glob = r.policy.contains(['*', '?', '[']);
            if !is_glob && !r.policy.is_empty() && policies.get(&r.policy).is_none() {
                errors.push(err(
                    "policy",
                    format!("no policy has the id `{}`", r.policy),
                ));
            }
            let expires = match NaiveDate::parse_from_str(&r.expires, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(err(
                        "expires",
                        format!("`{}` is not a date (YYYY-MM-DD)", r.expires),
                    ));
                    None
                }
            };
            let policy_glob = glob(&r.policy)
                .map_err(|m| errors.push(err("policy", m)))
                .ok();
            let resource_glob = glob(&r.resource)
                .map_err(|m| errors.push(err("resource", m)))
                .ok();
            if let (Some(expires), Some(policy_glob), Some(resource_glob)) =
                (expires, policy_glob, resource_glob)
            {
                list.push(Waiver {
                    policy: r.policy,
                    resource: r.resource,
                    account: r.account,
                    region: r.region,
                    reason: r.reason.trim().to_string(),
                    owner: r.owner.trim().to_string(),
                    expires,
                    location: format!("{file}:{line}"),
                    policy_glob,
                    resource_glob,
                });
            }
        }
        if errors.is_empty() {
            Ok(Waivers { list })
        } else {
            Err(Error::Input(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Setup;

    #[test]
    fn every_waiver_needs_reason_owner_and_a_real_date() {
        let setup = Setup::load(&[], None).unwrap();
        let text = "waivers:\n  - policy: aws-s3-tls-only\n    resource: 'arn:aws:s3:::a'\n    reason: ''\n    owner: me\n    expires: 2027-02-30\n";
        let Err(Error::Input(errs)) = Waivers::parse(text, "w.yaml", &setup.policies) else {
            panic!("expected errors")
        };
        let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert!(
            shown
                .iter()
                .any(|e| e.starts_with("w.yaml:2: waivers[0].reason")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|e| e.contains("waivers[0].expires: `2027-02-30` is not a date")),
            "{shown:?}"
        );
        let missing = "waivers:\n  - policy: aws-s3-tls-only\n    resource: x\n    reason: r\n    expires: 2027-01-01\n";
        let err = Waivers::parse(missing, "w.yaml", &setup.policies)
            .unwrap_err()
            .to_string();
        assert!(err.contains("owner"), "{err}");
        let unknown = "waivers:\n  - policy: aws-s3-tls-onyl\n    resource: x\n    reason: r\n    owner: o\n    expires: 2027-01-01\n";
        let err = Waivers::parse(unknown, "w.yaml", &setup.policies)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no policy has the id `aws-s3-tls-onyl`"),
            "{err}"
        );
    }

    #[test]
    fn globs_match_id_or_name_and_dates_are_inclusive() {
        let setup = Setup::load(&[], None).unwrap();
        let text = "waivers:\n  - policy: 'aws-s3-*'\n    resource: 'acme-web-*'\n    region: us-east-1\n    reason: r\n    owner: o\n    expires: 2027-01-31\n";
        let w = &Waivers::parse(text, "w.yaml", &setup.policies)
            .unwrap()
            .list[0];
        assert!(w.matches(
            "aws-s3-tls-only",
            "arn:aws:s3:::acme-web-assets",
            "acme-web-assets",
            "1",
            "us-east-1"
        ));
        assert!(!w.matches(
            "aws-s3-tls-only",
            "arn:aws:s3:::acme-web-assets",
            "acme-web-assets",
            "1",
            "eu-west-1"
        ));
        assert!(!w.matches(
            "aws-rds-storage-encrypted",
            "x",
            "acme-web-assets",
            "1",
            "us-east-1"
        ));
        assert!(!w.expired("2027-01-31".parse().unwrap()));
        assert!(w.expired("2027-02-01".parse().unwrap()));
    }
}
