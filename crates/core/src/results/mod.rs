//! The results of a scan, between the engine and the reporters: the verdicts with their policies
//! and targets, triage (waivers and baseline states), the gate and its exit code, ranking, and
//! evidence with redaction. Reporters in `report/` only render what this module decides.

mod evidence;
mod gate;
mod target;
mod triage;

use std::sync::OnceLock;

use crate::baa::InheritanceMap;
use crate::config::FailOn;
use crate::engine::{Evaluation, Outcome, Target, Verdict};
use crate::model::Inventory;
use crate::policy::{Policy, PolicySet, Severity};

pub use evidence::{Redact, REDACTED};
pub use gate::{Counts, Gate};
pub use target::TargetInfo;
pub use triage::Triage;

/// Version of the JSON results document (written by the JSON reporter, read by baselines and
/// `merge`); bumped on incompatible changes.
pub(crate) const RESULTS_VERSION: u32 = 1;

/// Everything a report needs about one scan.
pub struct Scan<'a> {
    pub inventory: &'a Inventory,
    pub policies: &'a PolicySet,
    pub evaluation: &'a Evaluation,
    pub map: &'a InheritanceMap,
    pub fail_on: FailOn,
    /// What was scanned, e.g. `snapshot fixtures/demo/estate.json`.
    pub source: String,
    /// Per resource: where it points, computed once.
    targets: OnceLock<Vec<TargetInfo>>,
    /// Per target (resources, then gaps): its rank in location order, computed once.
    ranks: OnceLock<Vec<u32>>,
    triage: Triage,
    annotations: OnceLock<triage::Annotations>,
    redact: Redact,
    /// Where resources without a classification tag were put (`scope.untagged`).
    pub untagged: crate::config::Untagged,
}

impl<'a> Scan<'a> {
    pub fn new(
        inventory: &'a Inventory,
        policies: &'a PolicySet,
        evaluation: &'a Evaluation,
        map: &'a InheritanceMap,
        fail_on: FailOn,
        source: String,
    ) -> Self {
        Scan {
            inventory,
            policies,
            evaluation,
            map,
            fail_on,
            source,
            targets: OnceLock::new(),
            ranks: OnceLock::new(),
            triage: Triage::default(),
            annotations: OnceLock::new(),
            redact: Redact::default(),
            untagged: crate::config::Untagged::default(),
        }
    }

    /// Applies waivers and a baseline.
    /// Records the scope rule for untagged resources, which every report states.
    pub(crate) fn with_untagged(mut self, untagged: crate::config::Untagged) -> Self {
        self.untagged = untagged;
        self
    }

    /// How the scope was decided, in a sentence for reports.
    pub(crate) fn scope_rule(&self) -> &'static str {
        match self.untagged {
            crate::config::Untagged::Out => {
                "untagged resources are out of ePHI scope; unreadable tags are in"
            }
            crate::config::Untagged::In => {
                "untagged resources are in ePHI scope, as are unreadable tags"
            }
        }
    }

    /// Sets what reports leave out; see [`Redact`].
    pub fn with_redact(mut self, redact: Redact) -> Self {
        self.redact = redact;
        self.targets = OnceLock::new();
        self
    }

    pub fn with_triage(mut self, triage: Triage) -> Self {
        self.triage = triage;
        self.annotations = OnceLock::new();
        self
    }

    pub fn policy(&self, v: &Verdict) -> &'a Policy {
        &self.policies.policies[v.policy as usize]
    }

    pub fn in_scope(&self, t: Target) -> bool {
        match t {
            Target::Resource(i) => self.evaluation.in_scope[i as usize],
            Target::Gap(_) => false,
        }
    }

    /// The severity of a verdict (policies may raise it for in-scope resources).
    pub fn severity(&self, v: &Verdict) -> Severity {
        self.policy(v).severity_for(self.in_scope(v.target))
    }

    /// Resources in ePHI scope.
    pub(crate) fn resources_in_scope(&self) -> usize {
        self.evaluation.in_scope.iter().filter(|b| **b).count()
    }

    /// Failing verdicts, most severe first, then by policy and resource.
    pub fn findings(&self) -> Vec<&'a Verdict> {
        let mut f: Vec<&Verdict> = self
            .evaluation
            .verdicts
            .iter()
            .filter(|v| v.outcome == Outcome::Fail)
            .collect();
        // Policies are sorted by id, so their index order is id order.
        f.sort_by_key(|v| {
            (
                std::cmp::Reverse(self.severity(v)),
                v.policy,
                self.rank(v.target),
            )
        });
        f
    }

    /// Findings not suppressed by a waiver, most severe first.
    pub(crate) fn open_findings(&self) -> Vec<&'a Verdict> {
        self.findings()
            .into_iter()
            .filter(|v| !self.is_waived(v))
            .collect()
    }

    /// Findings suppressed by a waiver that has not expired.
    pub(crate) fn waived_findings(&self) -> Vec<&'a Verdict> {
        self.findings()
            .into_iter()
            .filter(|v| self.is_waived(v))
            .collect()
    }

    /// Verdicts that could not be evaluated, by policy then target.
    pub fn not_evaluated(&self) -> Vec<&'a Verdict> {
        let mut f: Vec<&Verdict> = self
            .evaluation
            .verdicts
            .iter()
            .filter(|v| matches!(v.outcome, Outcome::NotEvaluated(_)))
            .collect();
        f.sort_by_key(|v| (v.policy, self.rank(v.target)));
        f
    }

    /// Verdicts where the policy does not apply, by policy then target.
    pub fn not_applicable(&self) -> Vec<&'a Verdict> {
        let mut f: Vec<&Verdict> = self
            .evaluation
            .verdicts
            .iter()
            .filter(|v| v.outcome == Outcome::NotApplicable)
            .collect();
        f.sort_by_key(|v| (v.policy, self.rank(v.target)));
        f
    }

    /// All verdicts in a stable order: policy id, then target location.
    pub(crate) fn sorted_verdicts(&self) -> Vec<&'a Verdict> {
        let mut all: Vec<&Verdict> = self.evaluation.verdicts.iter().collect();
        all.sort_by_key(|v| (v.policy, self.rank(v.target)));
        all
    }
}

#[cfg(test)]
mod tests;
