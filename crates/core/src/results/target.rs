//! Where a verdict points (a resource, or a gap that stands for what could not be listed), its
//! stable relative URI, and the order of targets in every report.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::engine::Target;
use crate::model::Provider;

use super::{Redact, Scan};

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
    pub(super) fn resource_targets(&self) -> &[TargetInfo] {
        self.targets.get_or_init(|| {
            (0..self.inventory.resources.len())
                .map(|i| self.make_target(Target::Resource(i as u32)))
                .collect()
        })
    }

    /// The position of a target when verdicts are ordered by location.
    pub(super) fn rank(&self, t: Target) -> u32 {
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

    pub fn target(&self, t: Target) -> Cow<'_, TargetInfo> {
        match t {
            Target::Resource(i) => Cow::Borrowed(&self.resource_targets()[i as usize]),
            Target::Gap(_) => Cow::Owned(self.make_target(t)),
        }
    }

    pub(super) fn make_target(&self, t: Target) -> TargetInfo {
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
}
