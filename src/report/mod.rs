//! Renders a scan: terminal text, JSON, SARIF 2.1.0, Markdown, and the inheritance map.

pub mod coverage;
pub mod github;
pub mod json;
pub mod map;
pub mod markdown;
pub mod sarif;
pub mod text;

/// A value inside a Markdown table cell: a `|` would end the cell and a newline the row.
pub(crate) fn markdown_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value as Json};

use crate::baa::InheritanceMap;
use crate::baseline::{Baseline, Resolved, State};
use crate::config::FailOn;
use crate::engine::{Evaluation, Outcome, Target, Verdict};
use crate::hipaa;
use crate::model::{Inventory, Provider, COMMON_FIELDS};
use crate::policy::{Policy, PolicySet, Severity};
use crate::waiver::{Waiver, Waivers};

/// Placeholder for values that may carry secrets or PHI.
pub const REDACTED: &str = "<redacted>";

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
    annotations: OnceLock<Annotations>,
    redact: Redact,
    /// Where resources without a classification tag were put (`scope.untagged`).
    pub untagged: crate::config::Untagged,
}

/// What reports leave out, beyond secrets, tag values and sensitive properties (always).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Redact {
    /// Tag values and sensitive property values are redacted; resource names are shown.
    #[default]
    Tags,
    /// Also resource names taken from a tag (an EC2 `Name` tag, a label): shown as the native
    /// id's last segment instead.
    Names,
}

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
struct Annotations {
    /// Finding → (waiver index, expired).
    waiver: std::collections::HashMap<(u32, Target), (usize, bool)>,
    baseline: std::collections::HashMap<(u32, Target), State>,
    /// Waivers that match no finding.
    stale: Vec<usize>,
    resolved: Vec<Resolved>,
}

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

/// Where a verdict points, flattened for reports.
#[derive(Debug, Clone)]
pub struct TargetInfo {
    pub provider: Provider,
    pub account: String,
    pub region: String,
    pub kind: String,
    pub id: String,
    pub name: String,
    pub in_scope: bool,
    /// A relative, scheme-less path: `aws/<account>/<region>/<service>/<name>`.
    pub uri: String,
}

const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn segment(s: &str) -> String {
    let enc = utf8_percent_encode(s, SEGMENT).to_string();
    if enc.is_empty() || enc == "." || enc == ".." {
        "_".to_string()
    } else {
        enc
    }
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
    pub fn with_untagged(mut self, untagged: crate::config::Untagged) -> Self {
        self.untagged = untagged;
        self
    }

    /// How the scope was decided, in a sentence for reports.
    pub fn scope_rule(&self) -> &'static str {
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

    pub fn triage(&self) -> &Triage {
        &self.triage
    }

    fn annotations(&self) -> &Annotations {
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
    pub fn is_waived(&self, v: &Verdict) -> bool {
        matches!(self.waiver(v), Some((_, false)))
    }

    /// How a finding relates to the baseline, when there is one.
    pub fn baseline_state(&self, v: &Verdict) -> Option<State> {
        self.annotations()
            .baseline
            .get(&(v.policy, v.target))
            .copied()
    }

    /// Waivers that match no finding.
    pub fn stale_waivers(&self) -> Vec<&Waiver> {
        self.annotations()
            .stale
            .iter()
            .map(|&i| &self.triage.waivers.list[i])
            .collect()
    }

    /// Waivers past their expiry date.
    pub fn expired_waivers(&self) -> Vec<&Waiver> {
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

    /// Whether a finding counts against the gate.
    pub fn gates(&self, v: &Verdict) -> bool {
        v.outcome == Outcome::Fail
            && self.fail_on.trips(self.severity(v))
            && !self.is_waived(v)
            && (!self.triage.fail_on_new || self.baseline_state(v) != Some(State::Unchanged))
    }

    fn resource_targets(&self) -> &[TargetInfo] {
        self.targets.get_or_init(|| {
            (0..self.inventory.resources.len())
                .map(|i| self.make_target(Target::Resource(i as u32)))
                .collect()
        })
    }

    /// The position of a target when verdicts are ordered by location.
    fn rank(&self, t: Target) -> u32 {
        let ranks = self.ranks.get_or_init(|| {
            let n = self.inventory.resources.len();
            let gaps: Vec<TargetInfo> = (0..self.inventory.gaps.len())
                .map(|g| self.make_target(Target::Gap(g as u32)))
                .collect();
            let all: Vec<&TargetInfo> = self.resource_targets().iter().chain(gaps.iter()).collect();
            let mut order: Vec<u32> = (0..all.len() as u32).collect();
            order.sort_by(|&a, &b| {
                (&all[a as usize].uri, &all[a as usize].id)
                    .cmp(&(&all[b as usize].uri, &all[b as usize].id))
            });
            let mut ranks = vec![0; all.len()];
            for (rank, idx) in order.into_iter().enumerate() {
                ranks[idx as usize] = rank as u32;
            }
            debug_assert_eq!(ranks.len(), n + self.inventory.gaps.len());
            ranks
        });
        match t {
            Target::Resource(i) => ranks[i as usize],
            Target::Gap(g) => ranks[self.inventory.resources.len() + g as usize],
        }
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

    /// Resources in ePHI scope.
    pub fn resources_in_scope(&self) -> usize {
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
    pub fn open_findings(&self) -> Vec<&'a Verdict> {
        self.findings()
            .into_iter()
            .filter(|v| !self.is_waived(v))
            .collect()
    }

    /// Findings suppressed by a waiver that has not expired.
    pub fn waived_findings(&self) -> Vec<&'a Verdict> {
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
    pub fn sorted_verdicts(&self) -> Vec<&'a Verdict> {
        let mut all: Vec<&Verdict> = self.evaluation.verdicts.iter().collect();
        all.sort_by_key(|v| (v.policy, self.rank(v.target)));
        all
    }

    pub fn target(&self, t: Target) -> Cow<'_, TargetInfo> {
        match t {
            Target::Resource(i) => Cow::Borrowed(&self.resource_targets()[i as usize]),
            Target::Gap(_) => Cow::Owned(self.make_target(t)),
        }
    }

    fn make_target(&self, t: Target) -> TargetInfo {
        match t {
            Target::Resource(i) => {
                let r = &self.inventory.resources[i as usize];
                // A name that is a tag's value is as sensitive as the tag.
                let name = if self.redact == Redact::Names && r.tags.values().any(|v| v == &r.name)
                {
                    r.id.rsplit(['/', ':']).next().unwrap_or(&r.id).to_string()
                } else {
                    r.name.clone()
                };
                let last = if name.is_empty() { &r.id } else { &name };
                TargetInfo {
                    provider: r.provider,
                    account: r.account.clone(),
                    region: r.region.clone(),
                    kind: r.kind.clone(),
                    id: r.id.clone(),
                    name: name.clone(),
                    in_scope: self.evaluation.in_scope[i as usize],
                    uri: [
                        r.provider.as_str(),
                        &r.account,
                        &r.region,
                        r.service(),
                        last,
                    ]
                    .iter()
                    .map(|s| segment(s))
                    .collect::<Vec<_>>()
                    .join("/"),
                }
            }
            Target::Gap(g) => {
                let gap = &self.inventory.gaps[g as usize];
                let region = gap.region.clone().unwrap_or_else(|| "all-regions".into());
                let kinds = gap.kinds.join(", ");
                let mut services: Vec<&str> = gap
                    .kinds
                    .iter()
                    .map(|k| {
                        crate::model::kinds::parse_kind(k).map_or("all", |(_, s)| {
                            if s == "*" {
                                "all"
                            } else {
                                s
                            }
                        })
                    })
                    .collect();
                services.dedup();
                TargetInfo {
                    provider: gap.provider,
                    account: gap.account.clone(),
                    region: region.clone(),
                    kind: kinds.clone(),
                    id: format!("{}:{}", gap.scope(), gap.kinds.join(",")),
                    name: format!("{kinds} (not listed)"),
                    in_scope: false,
                    uri: [
                        gap.provider.as_str(),
                        &gap.account,
                        &region,
                        &services.join("+"),
                        "not-listed",
                    ]
                    .iter()
                    .map(|s| segment(s))
                    .collect::<Vec<_>>()
                    .join("/"),
                }
            }
        }
    }

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
    pub fn evidence_line(&self, v: &Verdict) -> String {
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

/// The title of a standard, for summaries.
pub fn standard_title(citation: &str) -> &'static str {
    hipaa::STANDARDS
        .iter()
        .find(|s| s.citation == citation)
        .map_or("", |s| s.title)
}

/// Renders the map via [`map`], re-exported for the CLI.
pub fn inheritance_map_markdown(map: &InheritanceMap) -> String {
    map::render_markdown(map)
}
