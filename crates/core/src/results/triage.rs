//! Waivers and a baseline applied to the findings: which waiver covers which finding (and
//! whether it expired), each finding's baseline state, stale waivers, resolved findings.

use crate::baseline::{Baseline, Resolved, State};
use crate::engine::{Outcome, Target, Verdict};
use crate::waiver::{Waiver, Waivers};

use super::Scan;

/// Waivers and baseline applied to a scan.
#[derive(Debug, Default)]
pub struct Triage {
    pub waivers: Waivers,
    /// The day waivers are judged against.
    pub today: Option<chrono::NaiveDate>,
    pub baseline: Option<Baseline>,
    /// Gate on new findings only (needs a baseline).
    pub fail_on_new: bool,
}

/// What the triage says about each finding, computed once.
#[derive(Debug, Default)]
pub(super) struct Annotations {
    /// Finding → (waiver index, expired).
    waiver: std::collections::HashMap<(u32, Target), (usize, bool)>,
    baseline: std::collections::HashMap<(u32, Target), State>,
    /// Waivers that match no finding.
    stale: Vec<usize>,
    resolved: Vec<Resolved>,
}

impl<'a> Scan<'a> {
    pub(crate) fn triage(&self) -> &Triage {
        &self.triage
    }

    pub(super) fn annotations(&self) -> &Annotations {
        self.annotations.get_or_init(|| {
            let mut a = Annotations::default();
            let today = self
                .triage
                .today
                .unwrap_or_else(|| chrono::Utc::now().date_naive());
            let waivers = &self.triage.waivers.list;
            let mut used = vec![false; waivers.len()];
            for v in self
                .evaluation
                .verdicts
                .iter()
                .filter(|v| v.outcome == Outcome::Fail)
            {
                let p = self.policy(v);
                let t = self.target(v.target);
                let key = (v.policy, v.target);
                let mut best: Option<(usize, bool)> = None;
                for (i, w) in waivers.iter().enumerate() {
                    if w.matches(&p.id, &t.id, &t.name, &t.account, &t.region) {
                        used[i] = true;
                        let expired = w.expired(today);
                        if best.is_none_or(|(_, e)| e && !expired) {
                            best = Some((i, expired));
                        }
                    }
                }
                if let Some(b) = best {
                    a.waiver.insert(key, b);
                }
                if let Some(baseline) = &self.triage.baseline {
                    a.baseline.insert(key, baseline.state(&p.id, &t.id));
                }
            }
            a.stale = (0..waivers.len()).filter(|&i| !used[i]).collect();
            if let Some(baseline) = &self.triage.baseline {
                let current = self
                    .evaluation
                    .verdicts
                    .iter()
                    .map(|v| {
                        (
                            (self.policy(v).id.clone(), self.target(v.target).id.clone()),
                            v.outcome.as_str(),
                        )
                    })
                    .collect();
                a.resolved = baseline.resolved(&current);
            }
            a
        })
    }

    /// The waiver covering a finding, and whether it has expired.
    pub fn waiver(&self, v: &Verdict) -> Option<(&Waiver, bool)> {
        let (i, expired) = *self.annotations().waiver.get(&(v.policy, v.target))?;
        Some((&self.triage.waivers.list[i], expired))
    }

    /// Whether a finding is suppressed by a waiver that has not expired.
    pub(crate) fn is_waived(&self, v: &Verdict) -> bool {
        matches!(self.waiver(v), Some((_, false)))
    }

    /// How a finding relates to the baseline, when there is one.
    pub(crate) fn baseline_state(&self, v: &Verdict) -> Option<State> {
        self.annotations()
            .baseline
            .get(&(v.policy, v.target))
            .copied()
    }

    /// Waivers that match no finding.
    pub(crate) fn stale_waivers(&self) -> Vec<&Waiver> {
        self.annotations()
            .stale
            .iter()
            .map(|&i| &self.triage.waivers.list[i])
            .collect()
    }

    /// Waivers past their expiry date.
    pub(crate) fn expired_waivers(&self) -> Vec<&Waiver> {
        let today = self
            .triage
            .today
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        self.triage
            .waivers
            .list
            .iter()
            .filter(|w| w.expired(today))
            .collect()
    }

    /// Baseline findings that are no longer findings.
    pub fn resolved(&self) -> &[Resolved] {
        &self.annotations().resolved
    }

    /// Short labels that qualify a finding: `ePHI`, its baseline state, an expired waiver.
    pub fn marks(&self, v: &Verdict) -> Vec<String> {
        let mut marks = Vec::new();
        if self.in_scope(v.target) {
            marks.push("ePHI".to_string());
        }
        if let Some(state) = self.baseline_state(v) {
            marks.push(state.as_str().to_string());
        }
        if let Some((w, true)) = self.waiver(v) {
            marks.push(format!("waiver expired {} ({})", w.expires, w.location));
        }
        marks
    }
}
