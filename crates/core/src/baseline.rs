//! Baselines: compare this run's findings with a previous JSON result, so a team adopting the
//! scanner on an old estate can gate on new findings only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, InputError, Result};
use crate::results::RESULTS_VERSION;

#[derive(Deserialize)]
struct Previous {
    results_version: u32,
    verdicts: Vec<PreviousVerdict>,
}

#[derive(Deserialize)]
struct PreviousVerdict {
    policy: String,
    outcome: String,
    resource: PreviousResource,
}

#[derive(Deserialize)]
struct PreviousResource {
    id: String,
    #[serde(default)]
    location: String,
}

/// The findings of a previous run, keyed by (policy, native id).
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// Previous findings with their location, for the list of resolved ones.
    pub findings: BTreeMap<(String, String), String>,
    /// An accepted baseline (`hipaa-scan baseline accept`), not just a previous result.
    pub accepted: bool,
}

/// The format name of an accepted baseline document.
pub(crate) const ACCEPTED_FORMAT: &str = "hipaa-scan-baseline";
pub(crate) const ACCEPTED_VERSION: u32 = 1;

#[derive(serde::Serialize, Deserialize)]
struct AcceptedDoc {
    format: String,
    format_version: u32,
    accepted_at: String,
    #[serde(default)]
    note: String,
    /// The result it was accepted from: its file and when that estate was read.
    #[serde(default)]
    from: serde_json::Value,
    findings: Vec<AcceptedFinding>,
}

#[derive(serde::Serialize, Deserialize)]
struct AcceptedFinding {
    policy: String,
    resource: String,
    #[serde(default)]
    location: String,
}

/// Turns a JSON result into an accepted baseline document: the findings someone reviewed and
/// accepted on purpose. Only such a document should gate `--fail-on-new`.
pub fn accept(result_text: &str, file: &str, note: &str, now: &str) -> Result<String> {
    let base = Baseline::parse(result_text, file)?;
    if base.accepted {
        return Err(InputError::new(file, "this is already an accepted baseline").into());
    }
    let collected = serde_json::from_str::<serde_json::Value>(result_text)
        .ok()
        .and_then(|v| v.get("collected_at").cloned())
        .unwrap_or(serde_json::Value::Null);
    let doc = AcceptedDoc {
        format: ACCEPTED_FORMAT.into(),
        format_version: ACCEPTED_VERSION,
        accepted_at: now.into(),
        note: note.into(),
        from: serde_json::json!({ "file": file, "collected_at": collected }),
        findings: base
            .findings
            .into_iter()
            .map(|((policy, resource), location)| AcceptedFinding {
                policy,
                resource,
                location,
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&doc).map_err(|e| InputError::new(file, e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// How a current finding relates to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    New,
    Unchanged,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Unchanged => "unchanged",
        }
    }
}

/// What became of a previous finding that is not a finding now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub policy: String,
    pub resource: String,
    pub location: String,
    /// `resolved` (it passes now), `not_evaluated` (it could not be checked: nothing is claimed),
    /// or `gone` (the resource or the policy is no longer in the scan).
    pub status: &'static str,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path.display().to_string();
        crate::error::require_content(
            &text,
            &name,
            "a JSON results file written by `--output json=...`",
        )?;
        Baseline::parse(&text, &name)
    }

    pub fn parse(text: &str, file: &str) -> Result<Baseline> {
        let format = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_string));
        if format.as_deref() == Some(ACCEPTED_FORMAT) {
            let mut de = serde_json::Deserializer::from_str(text);
            let doc: AcceptedDoc = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                InputError::new(file, format!("not a hipaa-scan accepted baseline: {inner}"))
                    .at(inner.line() as u64, inner.column() as u64)
                    .field(path)
            })?;
            if doc.format_version != ACCEPTED_VERSION {
                return Err(InputError::new(
                    file,
                    format!(
                        "format_version {} is not {ACCEPTED_VERSION}",
                        doc.format_version
                    ),
                )
                .field("format_version")
                .into());
            }
            return Ok(Baseline {
                findings: doc
                    .findings
                    .into_iter()
                    .map(|f| ((f.policy, f.resource), f.location))
                    .collect(),
                accepted: true,
            });
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let prev: Previous = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            InputError::new(file, format!("not a hipaa-scan JSON result: {inner}"))
                .at(inner.line() as u64, inner.column() as u64)
                .field(path)
        })?;
        if prev.results_version != RESULTS_VERSION {
            return Err(InputError::new(
                file,
                format!(
                    "results_version {} is not {RESULTS_VERSION}",
                    prev.results_version
                ),
            )
            .field("results_version")
            .into());
        }
        Ok(Baseline {
            findings: prev
                .verdicts
                .into_iter()
                .filter(|v| v.outcome == "fail")
                .map(|v| ((v.policy, v.resource.id), v.resource.location))
                .collect(),
            accepted: false,
        })
    }

    pub fn state(&self, policy: &str, id: &str) -> State {
        if self
            .findings
            .contains_key(&(policy.to_string(), id.to_string()))
        {
            State::Unchanged
        } else {
            State::New
        }
    }

    /// Previous findings that are not findings now; `current` maps (policy, id) to this run's
    /// outcome (`pass`, `fail`, `not_evaluated`).
    pub fn resolved(&self, current: &BTreeMap<(String, String), &'static str>) -> Vec<Resolved> {
        let failing: BTreeSet<_> = current
            .iter()
            .filter(|(_, o)| **o == "fail")
            .map(|(k, _)| k)
            .collect();
        self.findings
            .iter()
            .filter(|(k, _)| !failing.contains(k))
            .map(|((policy, resource), location)| Resolved {
                policy: policy.clone(),
                resource: resource.clone(),
                location: location.clone(),
                status: match current.get(&(policy.clone(), resource.clone())) {
                    Some(&"pass") => "resolved",
                    Some(_) => "not_evaluated",
                    None => "gone",
                },
            })
            .collect()
    }
}
