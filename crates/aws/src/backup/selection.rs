//! Which resources an AWS Backup resource selection takes, as AWS documents it. Pure: the
//! selections and the region's opt-in settings are read in `region.rs`.
//!
//! The rules, and where they come from:
//! - `Resources` and `ListOfTags` are combined with OR: a resource matched by either is a
//!   candidate. `ListOfTags` entries are OR-ed among themselves and only test equality.
//!   (re:Post <https://repost.aws/knowledge-center/backup-assign-resources>, example 2; the
//!   CloudFormation `BackupSelectionResourceType`: "you assign all resources that match AT LEAST
//!   ONE condition (using OR logic)"; `Condition`'s only `ConditionType` is `STRINGEQUALS`,
//!   <https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Condition.html>.)
//! - `Conditions` are AND-ed together and with `Resources` (the developer guide,
//!   <https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources-json.html>: "those
//!   in Resources combined using a Boolean OR and those in Conditions combined with a Boolean
//!   AND"; <https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html>).
//!   The docs do not say how `Conditions` combine with `ListOfTags`; AND-ing them with every
//!   candidate is the reading that cannot take more than AWS does.
//! - `NotResources` excludes what it matches (same pages).
//! - With neither `Resources` nor `ListOfTags`, the candidates are "all supported and opted-in
//!   storage resources" (`BackupSelection`; re:Post).
//! - Selection by service name (`*`, `arn:aws:ec2:*`) or by tags only takes a resource only if
//!   the region's opt-in for its resource type is on; an ARN pattern that names the resource type
//!   (`arn:aws:ec2:*:*:volume/*`, a full ARN) takes it regardless of the opt-in (developer guide,
//!   "Filter by services or resource types", assigning-resources-json.html, and
//!   <https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html>: "If
//!   resource assignments are only based on tags, then service opt-in settings are applied").
//! - Except shared resource types: Aurora and RDS clusters share `arn:aws:rds:…:cluster:`, and
//!   "to backup Aurora databases, you must enable the opt-in setting for Aurora";
//!   assigning-resources.html adds that Aurora, Neptune and DocumentDB need their opt-in even
//!   when the resource type is named. A cluster therefore always needs its engine's opt-in.
//!
//! Where the docs leave a choice, the reading taken is the one that cannot count a resource AWS
//! does not back up (each is marked "Conservative" below).

use std::collections::{BTreeMap, HashMap};

use hipaa_scan_core::iam_doc::glob;

/// One AWS Backup resource selection, as far as it decides which resources a plan takes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `Resources`: ARN patterns (`*` wildcards).
    pub resources: Vec<String>,
    /// `NotResources`: ARN patterns excluded.
    pub not_resources: Vec<String>,
    /// `ListOfTags`: a resource with any of these tags (key, value) is a candidate.
    pub any_tags: Vec<(String, String)>,
    /// `Conditions` (operator, key, value): every one must hold (`StringEquals`, `StringLike`,
    /// `StringNotEquals`, `StringNotLike` on `aws:ResourceTag/KEY`).
    pub all_conditions: Vec<(String, String, String)>,
}

/// The region's `ResourceTypeOptInPreference` (`backup:DescribeRegionSettings`).
#[derive(Debug, Clone)]
pub enum OptIn {
    /// Not read: no selection of the region depends on it. Consulted anyway, it is unknown.
    NotRead,
    Read(HashMap<String, bool>),
    /// The reason it could not be read.
    Unreadable(String),
}

/// The resource a selection is judged for.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub arn: &'a str,
    /// Its tags, or why they could not be read.
    pub tags: Result<&'a BTreeMap<String, String>, &'a str>,
    /// The engine of an RDS cluster (`aurora-postgresql`, `neptune`, `docdb`, `mysql`...).
    pub engine: Option<&'a str>,
}

/// Three-valued truth: what a selection says of a resource, or why that is not known.
#[derive(Debug, Clone, PartialEq)]
enum Tri {
    Yes,
    No,
    Unknown(String),
}

impl Tri {
    fn of(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }

    /// Kleene AND: false wins, then unknown.
    fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Unknown(w), _) | (_, Tri::Unknown(w)) => Tri::Unknown(w),
            _ => Tri::Yes,
        }
    }

    /// Kleene OR: true wins, then unknown.
    fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Unknown(w), _) | (_, Tri::Unknown(w)) => Tri::Unknown(w),
            _ => Tri::No,
        }
    }

    fn into_result(self) -> Result<bool, String> {
        match self {
            Tri::Yes => Ok(true),
            Tri::No => Ok(false),
            Tri::Unknown(why) => Err(why),
        }
    }
}

/// `*`-only wildcard matching: AWS Backup documents `*` ("zero or more non-whitespace
/// characters") and no `?`. Conservative: where matching includes a resource, `?` is literal;
/// where it excludes one (`NotResources`, `StringNotLike`), [`glob`] also reads `?` as a
/// wildcard, so an exclusion is never missed.
fn star_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text.ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

/// An ARN's service and resource type with its separator: `("dynamodb", "table/")`,
/// `("rds", "cluster:")`. `None` when the ARN has no resource part.
fn arn_type(arn: &str) -> Option<(&str, &str)> {
    let f: Vec<&str> = arn.splitn(6, ':').collect();
    if f.len() < 6 || f[0] != "arn" {
        return None;
    }
    let resource = f[5];
    let end = resource.find(['/', ':'])?;
    Some((f[2], &resource[..=end]))
}

/// The service and resource type an ARN pattern names literally (`arn:aws:ec2:*:*:volume/*`
/// names `("ec2", "volume/")`); `None` for a selection by service name (`*`, `arn:aws:ec2:*`,
/// `arn:aws:dynamodb:*:*:*`). Conservative: a wildcard in the service or the type makes it a
/// selection by service name, which depends on the opt-in.
fn named_type(pattern: &str) -> Option<(&str, &str)> {
    let (service, kind) = arn_type(pattern)?;
    let literal = |s: &str| !s.contains(['*', '?']);
    (literal(service) && literal(kind)).then_some((service, kind))
}

/// Whether a named type is shared and so always needs its opt-in (RDS and Aurora clusters,
/// Neptune and DocumentDB clusters).
fn shared_type(service: &str, kind: &str) -> bool {
    service == "rds" && kind == "cluster:"
}

/// The opt-in keys that must all be on for the region to back up `t` by service name or tag.
/// `None` for a type this catalog does not judge for backups (never opted in, see
/// [`opted_in`]).
fn opt_in_keys(t: &Target) -> Option<&'static [&'static str]> {
    let keys: &'static [&'static str] = match arn_type(t.arn)? {
        ("elasticfilesystem", "file-system/") => &["EFS"],
        ("dynamodb", "table/") => &["DynamoDB"],
        ("ec2", "volume/") => &["EBS"],
        ("ec2", "instance/") => &["EC2"],
        ("rds", "db:") => &["RDS"],
        ("rds", "cluster:") => match t.engine.unwrap_or_default() {
            e if e.starts_with("aurora") => &["Aurora"],
            "neptune" => &["Neptune"],
            "docdb" => &["DocumentDB"],
            // A Multi-AZ RDS cluster (or an engine not read) shares the ARN with Aurora; the
            // docs do not name its opt-in. Conservative: both RDS and Aurora must be on.
            _ => &["RDS", "Aurora"],
        },
        _ => return None,
    };
    Some(keys)
}

/// Whether the region's opt-in takes `t`'s resource type. A type the settings do not mention,
/// or one this catalog cannot map, is not opted in: `DescribeRegionSettings` "returns a list of
/// all services along with the opt-in preferences", so one it leaves out is not on.
fn opted_in(t: &Target, opt_in: &OptIn) -> Tri {
    let Some(keys) = opt_in_keys(t) else {
        return Tri::No;
    };
    match opt_in {
        OptIn::NotRead => Tri::Unknown(
            "backup:DescribeRegionSettings: the region's opt-in settings were not read".into(),
        ),
        OptIn::Unreadable(why) => Tri::Unknown(why.clone()),
        OptIn::Read(map) => Tri::of(keys.iter().all(|k| map.get(*k) == Some(&true))),
    }
}

impl Selection {
    /// Whether some resource could be taken only through the region's opt-in settings: a
    /// selection by service name, by tags, with neither `Resources` nor `ListOfTags`, or naming
    /// a shared type (clusters). Such a region needs `backup:DescribeRegionSettings`.
    pub fn needs_opt_in(&self) -> bool {
        (self.resources.is_empty() && self.any_tags.is_empty())
            || !self.any_tags.is_empty()
            || self
                .resources
                .iter()
                .any(|p| named_type(p).is_none_or(|(s, k)| shared_type(s, k)))
    }

    /// Whether the selection takes `t`, given the region's opt-in settings; `Err` with the reason
    /// when that depends on something not read (the tags, the opt-in settings).
    pub fn covers(&self, t: &Target, opt_in: &OptIn) -> Result<bool, String> {
        self.judge(t, opt_in).into_result()
    }

    fn judge(&self, t: &Target, opt_in: &OptIn) -> Tri {
        if self
            .not_resources
            .iter()
            .any(|p| glob(p, t.arn) || star_match(p, t.arn))
        {
            return Tri::No;
        }
        let own_type = arn_type(t.arn);
        let mut candidate = Tri::No;
        if self.resources.is_empty() && self.any_tags.is_empty() {
            // Every supported and opted-in resource.
            candidate = opted_in(t, opt_in);
        }
        for p in self.resources.iter().filter(|p| star_match(p, t.arn)) {
            let by_type = named_type(p).is_some_and(|n| Some(n) == own_type);
            let path = match own_type {
                Some((s, k)) if by_type && !shared_type(s, k) => Tri::Yes,
                _ => opted_in(t, opt_in),
            };
            candidate = candidate.or(path);
        }
        if !self.any_tags.is_empty() {
            let tagged = match t.tags {
                Ok(tags) => Tri::of(
                    self.any_tags
                        .iter()
                        .any(|(k, v)| tags.get(k).is_some_and(|t| t == v)),
                ),
                Err(why) => Tri::Unknown(why.to_string()),
            };
            candidate = candidate.or(tagged.and(opted_in(t, opt_in)));
        }
        let mut conditions = Tri::Yes;
        for (op, key, value) in &self.all_conditions {
            conditions = conditions.and(condition(op, key, value, t.tags));
        }
        candidate.and(conditions)
    }
}

/// One `Conditions` entry on a resource's tags. Conservative where the docs are silent:
/// - a key that is not `aws:ResourceTag/KEY`, or an operator not documented, never holds;
/// - `StringNotEquals`/`StringNotLike` filter "your tagged resources", so a resource without
///   the tag does not meet them (the IAM reading, where a missing key meets a negated operator,
///   could take an untagged resource AWS leaves out).
fn condition(
    op: &str,
    key: &str,
    value: &str,
    tags: Result<&BTreeMap<String, String>, &str>,
) -> Tri {
    let Some(key) = key.strip_prefix("aws:ResourceTag/") else {
        return Tri::No;
    };
    let tags = match tags {
        Ok(t) => t,
        Err(why) => return Tri::Unknown(why.to_string()),
    };
    let Some(tag) = tags.get(key) else {
        return Tri::No;
    };
    Tri::of(match op {
        "StringEquals" => tag == value,
        "StringLike" => star_match(value, tag),
        "StringNotEquals" => tag != value,
        "StringNotLike" => !glob(value, tag) && !star_match(value, tag),
        _ => false,
    })
}

/// Whether any of a region's selections takes `t`: true if one does, else unknown if one might,
/// else false.
pub fn any_covers(selections: &[Selection], t: &Target, opt_in: &OptIn) -> Result<bool, String> {
    let mut unknown = None;
    for s in selections {
        match s.covers(t, opt_in) {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(why) => {
                unknown.get_or_insert(why);
            }
        }
    }
    unknown.map_or(Ok(false), Err)
}

#[cfg(test)]
#[path = "selection_tests.rs"]
mod tests;
