//! Baselines: compare this run's findings with a previous JSON result, so a team adopting the
//! scanner on an old estate can gate on new findings only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, InputError, Result};
use crate::report::json::RESULTS_VERSION;

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
        Baseline::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, file: &str) -> Result<Baseline> {
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
