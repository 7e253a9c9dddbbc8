//! Log-based metrics and alert policies: which alert fires on one event of each class.

use super::*;

/// A filter that can raise an alert: a log-based metric's or a log-match condition's.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// `metric NAME` or `alert policy NAME`, for evidence.
    pub what: String,
    /// The parsed filter (`None`: empty, matches everything), or why it could not be parsed.
    pub filter: Result<Option<Expr>, String>,
    /// Whether an alert with notification channels fires on one match, or why unknown.
    pub alerts: Result<bool, String>,
}

/// Whether the class is alerted by the candidates, or why that is unknown.
pub(crate) fn judge(class: &EventClass, candidates: &[Candidate]) -> Result<bool, String> {
    let samples = (class.samples)();
    let ordinary = ordinary();
    // Per candidate: (counts for sure, may count, per sample: surely matched, maybe matched).
    let mut sure = vec![false; samples.len()];
    let mut maybe = vec![false; samples.len()];
    let mut why: Option<String> = None;
    for c in candidates {
        let (expr, parse_why) = match &c.filter {
            Ok(Some(e)) => (Some(e), None),
            // An empty filter matches every entry: a catch-all.
            Ok(None) => continue,
            Err(e) => (
                None,
                Some(format!("{}: the filter could not be parsed ({e})", c.what)),
            ),
        };
        let catch_all: Option<bool> = match expr {
            Some(e) => {
                let hits: Vec<Option<bool>> =
                    ordinary.iter().map(|o| logfilter::matches(e, o)).collect();
                if hits.contains(&Some(true)) {
                    Some(true)
                } else if hits.contains(&None) {
                    None
                } else {
                    Some(false)
                }
            }
            None => None,
        };
        if catch_all == Some(true) || c.alerts == Ok(false) {
            continue;
        }
        let certain = catch_all == Some(false) && c.alerts == Ok(true);
        for (i, s) in samples.iter().enumerate() {
            let m = expr.and_then(|e| logfilter::matches(e, s));
            if certain && m == Some(true) {
                sure[i] = true;
            }
            if m != Some(false) {
                maybe[i] = true;
                if m.is_none() || !certain {
                    why.get_or_insert_with(|| {
                        parse_why
                            .clone()
                            .unwrap_or_else(|| match (&c.alerts, expr) {
                                (Err(w), _) => format!("{}: {w}", c.what),
                                (_, Some(e)) => format!(
                                    "{}: the filter uses {}, which the scanner does not run",
                                    c.what,
                                    logfilter::unsupported(e)
                                        .unwrap_or_else(|| "a construct".into())
                                ),
                                _ => format!("{}: its filter could not be judged", c.what),
                            })
                    });
                }
            }
        }
    }
    if sure.iter().all(|s| *s) {
        return Ok(true);
    }
    if !maybe.iter().all(|s| *s) {
        return Ok(false);
    }
    Err(why.unwrap_or_else(|| "the alerting filters could not be judged".into()))
}

/// The metric names an alerting threshold filter names exactly, or `Err` when it names one some
/// other way (`starts_with`, `one_of`, ...).
pub(super) fn metric_refs(filter: &str) -> Result<Vec<String>, ()> {
    let compact: String = filter.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    let mut rest = compact.as_str();
    while let Some(i) = rest.find("metric.type") {
        rest = &rest[i + "metric.type".len()..];
        let Some(v) = rest.strip_prefix("=\"") else {
            return Err(());
        };
        let Some(end) = v.find('"') else {
            return Err(());
        };
        out.push(v[..end].to_string());
        rest = &v[end..];
    }
    Ok(out)
}

/// Whether the policy as a whole notifies: enabled, with channels.
pub(super) fn policy_notifies(p: &AlertPolicy) -> Result<bool, String> {
    if p.notification_channels.is_empty() {
        return Ok(false);
    }
    match p.enabled {
        Some(v) => Ok(v),
        None => Err(format!(
            "alert policy {} does not say whether it is enabled",
            p.display_name
        )),
    }
}

/// The candidates of a project: its log-based metrics with whether an alert fires on them, and
/// the log-match conditions of its alert policies.
pub(crate) fn candidates(metrics: &[LogMetric], policies: &[AlertPolicy]) -> Vec<Candidate> {
    let mut alerting: HashMap<String, Result<bool, String>> = HashMap::new();
    let mut out = Vec::new();
    for p in policies {
        let notifies = policy_notifies(p);
        let alone = p.conditions.len() <= 1
            || !matches!(
                p.combiner,
                ConditionCombinerType::And | ConditionCombinerType::AndWithMatchingResource
            );
        for c in &p.conditions {
            let fires = match &c.condition {
                Some(Kind::ConditionThreshold(t)) => {
                    let one = match t.comparison {
                        ComparisonType::ComparisonGt => t.threshold_value < 1.0,
                        ComparisonType::ComparisonGe => t.threshold_value <= 1.0,
                        _ => false,
                    };
                    let state = match (&notifies, one && alone) {
                        (_, false) => Ok(false),
                        (n, true) => n.clone(),
                    };
                    match metric_refs(&t.filter) {
                        Ok(refs) => refs.into_iter().map(|r| (r, state.clone())).collect(),
                        Err(()) => {
                            // Names a metric some other way: unknown for every user metric it
                            // may name.
                            let why = Err(format!(
                                "alert policy {} selects its metric with a filter the scanner does not read",
                                p.display_name
                            ));
                            metrics
                                .iter()
                                .filter(|m| t.filter.contains(&m.name))
                                .map(|m| (user_metric(&m.name), why.clone()))
                                .collect()
                        }
                    }
                }
                Some(Kind::ConditionMatchedLog(l)) => {
                    out.push(Candidate {
                        what: format!("alert policy {}", p.display_name),
                        filter: logfilter::parse(&l.filter),
                        alerts: if alone { notifies.clone() } else { Ok(false) },
                    });
                    Vec::new()
                }
                Some(Kind::ConditionMonitoringQueryLanguage(q)) => metrics
                    .iter()
                    .filter(|m| q.query.contains(&m.name))
                    .map(|m| {
                        (
                            user_metric(&m.name),
                            Err(format!(
                                "alert policy {} is written in MQL, which the scanner does not judge",
                                p.display_name
                            )),
                        )
                    })
                    .collect(),
                Some(Kind::ConditionPrometheusQueryLanguage(q)) => metrics
                    .iter()
                    .filter(|m| q.query.contains(&m.name))
                    .map(|m| {
                        (
                            user_metric(&m.name),
                            Err(format!(
                                "alert policy {} is written in PromQL, which the scanner does not judge",
                                p.display_name
                            )),
                        )
                    })
                    .collect(),
                // Absence, SQL and unknown conditions do not fire on an event.
                _ => Vec::new(),
            };
            for (metric, state) in fires {
                let slot = alerting.entry(metric).or_insert(Ok(false));
                *slot = match (&*slot, state) {
                    (Ok(true), _) | (_, Ok(true)) => Ok(true),
                    (Err(w), _) => Err(w.clone()),
                    (_, Err(w)) => Err(w),
                    _ => Ok(false),
                };
            }
        }
    }
    for m in metrics {
        if m.disabled || !m.bucket_name.is_empty() {
            continue;
        }
        out.push(Candidate {
            what: format!("metric {}", m.name),
            filter: logfilter::parse(&m.filter),
            alerts: alerting
                .get(&user_metric(&m.name))
                .cloned()
                .unwrap_or(Ok(false)),
        });
    }
    out
}

pub(super) fn user_metric(name: &str) -> String {
    format!("logging.googleapis.com/user/{name}")
}
