//! Evidence: the values a condition read, with secrets, tag values and names taken from tags
//! redacted. Every reporter takes evidence and names from here, so redaction lives in one place.

use serde_json::{Map, Value as Json};

use crate::engine::{Target, Verdict};
use crate::model::COMMON_FIELDS;

use super::Scan;

/// Placeholder for values that may carry secrets or PHI.
pub const REDACTED: &str = "<redacted>";

/// What reports leave out, beyond secrets, tag values and sensitive properties (always).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Redact {
    /// Tag values and sensitive property values are redacted; resource names are shown, even
    /// a name taken from a tag. For reports that stay inside the team.
    Tags,
    /// Also resource names taken from a tag (an EC2 `Name` tag, a label), which are as sensitive
    /// as the tag: shown as the native id's last segment instead. The default.
    #[default]
    Names,
}

impl<'a> Scan<'a> {
    /// The values the condition read (and the parameters it compared them with), redacted
    /// where they could carry secrets or PHI.
    pub fn evidence(&self, v: &Verdict) -> Map<String, Json> {
        let mut out = Map::new();
        let Target::Resource(i) = v.target else {
            return out;
        };
        let r = &self.inventory.resources[i as usize];
        let policy = self.policy(v);
        let spec = crate::model::kind_spec(&r.kind);
        for field in &policy.condition.reads {
            let value = match field.as_str() {
                "tags" => Json::Object(
                    r.tags
                        .keys()
                        .map(|k| (k.clone(), Json::String(REDACTED.into())))
                        .collect(),
                ),
                "in_scope" => Json::Bool(self.evaluation.in_scope[i as usize]),
                "hipaa_eligible" => Json::Bool(self.evaluation.eligible[i as usize]),
                "id" => Json::String(r.id.clone()),
                "name" => Json::String(self.target(v.target).name.clone()),
                "kind" => Json::String(r.kind.clone()),
                "provider" => Json::String(r.provider.to_string()),
                "service" => Json::String(r.service().to_string()),
                "account" => Json::String(r.account.clone()),
                "region" => Json::String(r.region.clone()),
                _ => {
                    let sensitive = spec
                        .and_then(|s| s.prop(field))
                        .is_some_and(|p| p.sensitive);
                    match r.properties.get(field) {
                        Some(_) if sensitive => Json::String(REDACTED.into()),
                        Some(value) => value.clone(),
                        None => {
                            let mut m = Map::new();
                            m.insert(
                                "unknown".into(),
                                Json::String(r.unknown_reason(field).unwrap_or_default()),
                            );
                            Json::Object(m)
                        }
                    }
                }
            };
            debug_assert!(COMMON_FIELDS.iter().any(|c| c.name == field) || spec.is_some());
            out.insert(field.clone(), value);
        }
        for p in &policy.condition.params {
            if let Some(value) = policy.params.get(p) {
                out.insert(format!("params.{p}"), value.clone());
            }
        }
        // Why the service is or is not covered: "`lightsail` is not on the AWS BAA list as of …".
        if policy.condition.reads.iter().any(|f| f == "hipaa_eligible") {
            if let Some(s) = self
                .map
                .services
                .iter()
                .find(|s| s.provider == r.provider && s.service == r.service())
            {
                out.insert("baa".into(), Json::String(s.basis.clone()));
            }
        }
        out
    }

    /// A one-line rendering of the evidence: `storage_encrypted = false, ...`.
    pub(crate) fn evidence_line(&self, v: &Verdict) -> String {
        self.evidence(v)
            .iter()
            .map(|(k, v)| format!("{k} = {}", compact(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn compact(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}...")
    } else {
        s
    }
}
