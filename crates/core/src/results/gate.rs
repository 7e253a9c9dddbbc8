//! The gate: which findings count against `--fail-on`, the counts, and the exit-code contract.

use std::collections::BTreeMap;

use crate::baseline::State;
use crate::engine::{Outcome, Verdict};
use crate::hipaa;
use crate::policy::Severity;

use super::Scan;

/// The run's verdict for CI: the exit-code contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Exit 0: no finding at or above fail-on, and every check ran.
    Passed,
    /// Exit 1: findings at or above fail-on (whether or not the scan was complete).
    Failed,
    /// Exit 3: no such findings, but some checks could not run.
    Incomplete,
}

impl Gate {
    pub fn exit_code(self) -> u8 {
        match self {
            Gate::Passed => 0,
            Gate::Failed => 1,
            Gate::Incomplete => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Passed => "passed",
            Gate::Failed => "failed",
            Gate::Incomplete => "incomplete",
        }
    }
}

/// Verdict counts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub not_evaluated: usize,
    /// Verdicts where the policy does not apply to the resource.
    pub not_applicable: usize,
    pub fail_by_severity: BTreeMap<Severity, usize>,
    /// Failures per Security Rule standard (a finding counts once per standard it cites).
    pub fail_by_standard: BTreeMap<&'static str, usize>,
    /// Failures that count against the gate: at or above fail-on, not waived, and new when
    /// gating on new findings only.
    pub gating: usize,
    /// Failures suppressed by a waiver that has not expired.
    pub waived: usize,
    /// Failures not in the baseline (0 without a baseline).
    pub new: usize,
}

impl<'a> Scan<'a> {
    /// Whether a finding counts against the gate.
    pub fn gates(&self, v: &Verdict) -> bool {
        v.outcome == Outcome::Fail
            && self.fail_on.trips(self.severity(v))
            && !self.is_waived(v)
            && (!self.triage.fail_on_new || self.baseline_state(v) != Some(State::Unchanged))
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for v in &self.evaluation.verdicts {
            match v.outcome {
                Outcome::Pass => c.pass += 1,
                Outcome::NotEvaluated(_) => c.not_evaluated += 1,
                Outcome::NotApplicable => c.not_applicable += 1,
                Outcome::Fail => {
                    c.fail += 1;
                    let sev = self.severity(v);
                    *c.fail_by_severity.entry(sev).or_default() += 1;
                    if self.gates(v) {
                        c.gating += 1;
                    }
                    if self.is_waived(v) {
                        c.waived += 1;
                    }
                    if self.baseline_state(v) == Some(State::New) {
                        c.new += 1;
                    }
                    let mut standards: Vec<_> = self
                        .policy(v)
                        .citations
                        .iter()
                        .filter_map(|c| hipaa::standard_of(c))
                        .map(|s| s.citation)
                        .collect();
                    standards.dedup();
                    for s in standards {
                        *c.fail_by_standard.entry(s).or_default() += 1;
                    }
                }
            }
        }
        c
    }

    pub fn complete(&self) -> bool {
        !self
            .evaluation
            .verdicts
            .iter()
            .any(|v| matches!(v.outcome, Outcome::NotEvaluated(_)))
    }

    pub fn gate(&self) -> Gate {
        let c = self.counts();
        if c.gating > 0 {
            Gate::Failed
        } else if c.not_evaluated > 0 {
            Gate::Incomplete
        } else {
            Gate::Passed
        }
    }
}
