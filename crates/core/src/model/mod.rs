//! The normalized inventory: one resource shape for every provider. Policies see only this.

pub mod kinds;
mod snapshot;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use kinds::{all_kinds, kind_spec, KindSpec, PropSpec, PropType, COMMON_FIELDS, SNAPSHOT_ONLY};
pub use snapshot::{
    load_snapshot, merge, parse_snapshot, validate_inventory, FORMAT, FORMAT_VERSION,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Aws,
    Gcp,
    Azure,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Gcp, Provider::Azure];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Aws => "AWS",
            Provider::Gcp => "Google Cloud",
            Provider::Azure => "Azure",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One cloud resource, normalized.
///
/// `properties` holds the kind's typed properties (see [`kinds`]). A property the adapter could
/// not read is absent from `properties` and listed in `unknown` with the reason: it is unknown,
/// never false. A property missing from both counts as unknown ("not collected").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub provider: Provider,
    pub kind: String,
    /// Native identifier: ARN, GCP full resource name, Azure resource ID.
    pub id: String,
    /// AWS account ID, GCP project ID, Azure subscription ID.
    pub account: String,
    /// Region or location; `global` for global resources.
    pub region: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub properties: serde_json::Map<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: BTreeMap<String, String>,
}

impl Resource {
    /// The service segment of the kind (`s3` in `aws.s3.bucket`).
    pub fn service(&self) -> &str {
        kinds::parse_kind(&self.kind).map_or("", |(_, s)| s)
    }

    /// Why `property` has no value, if it has none.
    pub fn unknown_reason(&self, property: &str) -> Option<String> {
        if self.properties.contains_key(property) {
            return None;
        }
        Some(
            self.unknown
                .get(property)
                .cloned()
                .unwrap_or_else(|| format!("property `{property}` was not collected")),
        )
    }
}

/// A part of the estate the adapter could not enumerate (access denied, region not enabled,
/// API unavailable). Every policy over the affected kinds becomes "not evaluated" there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    pub provider: Provider,
    pub account: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Kinds (or `<provider>.*`) that could not be listed.
    pub kinds: Vec<String>,
    /// What failed, e.g. `s3:ListBuckets: AccessDenied`.
    pub reason: String,
}

impl Gap {
    /// A scope label like `aws/111122223333/eu-west-1`.
    pub fn scope(&self) -> String {
        match &self.region {
            Some(r) => format!("{}/{}/{}", self.provider, self.account, r),
            None => format!("{}/{}", self.provider, self.account),
        }
    }
}

/// A recorded inventory: what `hipaa-scan inventory` writes and `scan --snapshot` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub format: String,
    pub format_version: u32,
    /// When the inventory was collected; time-based checks (key age) are judged at this instant.
    pub collected_at: DateTime<Utc>,
    /// Free text describing where the inventory came from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<Gap>,
}

impl Inventory {
    pub fn new(collected_at: DateTime<Utc>, source: impl Into<String>) -> Self {
        Self {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            collected_at,
            source: source.into(),
            resources: Vec::new(),
            gaps: Vec::new(),
        }
    }
}

/// Matches a kind against a pattern: an exact kind, `<provider>.*`, or `*`.
pub(crate) fn kind_matches(pattern: &str, kind: &str) -> bool {
    match pattern.strip_suffix(".*") {
        Some(prefix) => {
            kind.len() > prefix.len()
                && kind.starts_with(prefix)
                && kind.as_bytes()[prefix.len()] == b'.'
        }
        None => pattern == "*" || pattern == kind,
    }
}
