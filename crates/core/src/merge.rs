//! Merging JSON results: the jobs of a sharded (or split) scan each write a JSON result that
//! embeds the inventory it was judged on; `hipaa-scan merge` checks they belong together,
//! merges the inventories and judges the whole once, with the same code as `scan`. One report,
//! one SARIF, one map and one gate come out, never a sum of per-job verdicts.
//!
//! Results are refused (input error) when they come from another tool version or another
//! policy set (see [`policy_digest`]), when two of them hold the same shard or the same account,
//! or when they carry no inventory. A shard missing from `--expect-shards N` becomes a gap:
//! the merged scan is incomplete (exit 3 unless findings gate).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{InputError, Result};
use crate::model::{Gap, Inventory, Provider};
use crate::results::RESULTS_VERSION;
use crate::scan::Setup;
use crate::shard::Shard;

/// What a JSON result carries so that `merge` can combine it with others.
#[derive(Debug, Serialize)]
pub struct ResultInfo<'a> {
    /// [`policy_digest`] of the setup the verdicts were computed with.
    pub policy_digest: String,
    /// The shard this job read (`K/N`), if the estate was split.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// The accounts (projects, subscriptions) this result covers, as `provider/id`.
    pub accounts: Vec<String>,
    /// The inventory the verdicts were computed from.
    #[serde(skip)]
    pub inventory: Option<&'a Inventory>,
}

impl<'a> ResultInfo<'a> {
    pub fn new(setup: &Setup, shard: Option<Shard>, inventory: Option<&'a Inventory>) -> Self {
        Self {
            policy_digest: policy_digest(setup),
            shard,
            accounts: inventory.map(covered_accounts).unwrap_or_default(),
            inventory,
        }
    }
}

/// A digest of everything that decides a verdict besides the inventory and the tool itself:
/// every policy's id, kinds, scope, severities, parameters and conditions, and the ePHI scope
/// rules. Two results with the same tool version and digest were judged by the same rules.
pub fn policy_digest(setup: &Setup) -> String {
    let mut h = Sha256::new();
    let mut field = |name: &str, value: &str| {
        h.update(name.as_bytes());
        h.update([0]);
        h.update((value.len() as u64).to_be_bytes());
        h.update(value.as_bytes());
    };
    let mut policies: Vec<_> = setup.policies.policies.iter().collect();
    policies.sort_by(|a, b| a.id.cmp(&b.id));
    for p in policies {
        field("id", &p.id);
        field("severity", p.severity.as_str());
        field(
            "in_scope_severity",
            p.in_scope_severity.map_or("", |s| s.as_str()),
        );
        field("kinds", &p.kinds.join("\n"));
        field("scope", &format!("{:?}", p.scope));
        field(
            "params",
            &serde_json::to_string(&p.params).unwrap_or_default(),
        );
        field("condition", &p.condition.source);
        field(
            "applies_if",
            p.applies_if.as_ref().map_or("", |c| c.source.as_str()),
        );
    }
    let scope = &setup.config.scope;
    field("scope.tag_keys", &scope.tag_keys.join("\n"));
    field("scope.tag_values", &scope.tag_values.join("\n"));
    field("scope.accounts", &scope.accounts.join("\n"));
    let digest = h.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The accounts an inventory covers, as `provider/account`, from its resources and gaps
/// (a gap over the whole estate, account `*`, names none).
pub(crate) fn covered_accounts(inv: &Inventory) -> Vec<String> {
    let set: BTreeSet<String> = inv
        .resources
        .iter()
        .map(|r| (r.provider, r.account.as_str()))
        .chain(inv.gaps.iter().map(|g| (g.provider, g.account.as_str())))
        .filter(|(_, a)| *a != "*" && !a.starts_with("shard "))
        .map(|(p, a)| format!("{p}/{a}"))
        .collect();
    set.into_iter().collect()
}

#[derive(Deserialize)]
struct ResultDoc {
    tool: Tool,
    results_version: u32,
    #[serde(default)]
    policy_digest: Option<String>,
    #[serde(default)]
    shard: Option<String>,
    #[serde(default)]
    inventory: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Tool {
    name: String,
    version: String,
}

/// The merged estate.
#[derive(Debug)]
pub struct Merged {
    pub inventory: Inventory,
    /// The shards the results held, in order.
    pub shards: Vec<Shard>,
    /// Shards `--expect-shards` asked for that no result held (each is a gap in `inventory`).
    pub missing: Vec<Shard>,
}

/// Merges JSON results, given as (file name, text). `digest` is the [`policy_digest`] of the
/// setup the merge judges with; `expect_shards` is `--expect-shards N`.
pub fn merge_results(
    results: &[(String, String)],
    digest: &str,
    expect_shards: Option<u32>,
) -> Result<Merged> {
    if results.is_empty() {
        return Err(InputError::new("merge", "give at least one JSON result").into());
    }
    let mut errors = Vec::new();
    let mut inventories = Vec::new();
    let mut shards: BTreeMap<Shard, String> = BTreeMap::new();
    let mut unsharded = Vec::new();
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for (file, text) in results {
        crate::error::require_content(text, file, "a JSON result (`scan --output json=PATH`)")?;
        let mut de = serde_json::Deserializer::from_str(text);
        let doc: ResultDoc = match serde_path_to_error::deserialize(&mut de) {
            Ok(d) => d,
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let mut err = InputError::new(file, format!("not a JSON result: {inner}"));
                if path != "." {
                    err = err.field(path);
                }
                errors.push(err);
                continue;
            }
        };
        let err = |field: &str, msg: String| InputError::new(file, msg).field(field);
        if doc.tool.name != "hipaa-scan" {
            errors.push(err(
                "tool.name",
                format!("written by `{}`, not hipaa-scan", doc.tool.name),
            ));
            continue;
        }
        if doc.results_version != RESULTS_VERSION {
            errors.push(err(
                "results_version",
                format!(
                    "results version {} (this build reads {RESULTS_VERSION})",
                    doc.results_version
                ),
            ));
            continue;
        }
        let version = env!("CARGO_PKG_VERSION");
        if doc.tool.version != version {
            errors.push(err(
                "tool.version",
                format!(
                    "judged by hipaa-scan {}; this is {version}: merge re-judges the inventories and refuses results of another version (run every job and the merge with one version)",
                    doc.tool.version
                ),
            ));
            continue;
        }
        match doc.policy_digest.as_deref() {
            None => {
                errors.push(err(
                    "policy_digest",
                    "the result names no policy digest (written by a scan that cannot be merged)"
                        .into(),
                ));
                continue;
            }
            Some(d) if d != digest => {
                errors.push(err(
                    "policy_digest",
                    format!("judged with policy set {d}, and this merge loads {digest}: give merge the same --policies and --config as the scans"),
                ));
                continue;
            }
            Some(_) => {}
        }
        let Some(inv) = doc.inventory else {
            errors.push(err(
                "inventory",
                "the result embeds no inventory: write it from a live scan, or with `scan --embed-inventory`".into(),
            ));
            continue;
        };
        let inv = match crate::model::parse_snapshot(&inv.to_string(), file) {
            Ok(i) => i,
            Err(crate::error::Error::Input(errs)) => {
                errors.extend(errs.into_iter().map(|mut e| {
                    e.line = None;
                    e.column = None;
                    e.field = Some(format!("inventory.{}", e.field.unwrap_or_default()));
                    e
                }));
                continue;
            }
            Err(other) => return Err(other),
        };
        match doc.shard.as_deref().map(str::parse::<Shard>) {
            Some(Err(why)) => errors.push(err("shard", why)),
            Some(Ok(s)) => {
                if let Some(first) = shards.get(&s) {
                    errors.push(err(
                        "shard",
                        format!("shard {s} is also the shard of {first}: overlapping results"),
                    ));
                } else if let Some((other, of)) = shards
                    .iter()
                    .find(|(o, _)| o.count != s.count)
                    .map(|(o, f)| (*o, f.clone()))
                {
                    errors.push(err(
                        "shard",
                        format!("shard {s} does not split the estate like {of} (shard {other})"),
                    ));
                } else {
                    shards.insert(s, file.clone());
                }
            }
            None => unsharded.push(file.clone()),
        }
        for account in covered_accounts(&inv) {
            if let Some(first) = owner.get(&account) {
                errors.push(err(
                    "inventory",
                    format!("account {account} is also in {first}: overlapping results"),
                ));
            } else {
                owner.insert(account, file.clone());
            }
        }
        inventories.push(inv);
    }
    if let (Some((s, f)), Some(u)) = (shards.iter().next(), unsharded.first()) {
        errors.push(InputError::new(
            u,
            format!("this result is not a shard, and {f} is shard {s}: merge the shards of one split, or whole results"),
        ));
    }
    let count = shards.keys().next().map(|s| s.count);
    if let Some(n) = expect_shards {
        match count {
            Some(c) if c != n => errors.push(InputError::new(
                "--expect-shards",
                format!("{n} shards expected, but the results split the estate {c} ways"),
            )),
            None if errors.is_empty() => errors.push(InputError::new(
                "--expect-shards",
                format!("{n} shards expected, but no result names a shard (`scan --shard K/{n}`)"),
            )),
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(crate::error::Error::Input(errors));
    }
    let providers: BTreeSet<Provider> = inventories
        .iter()
        .flat_map(|i| {
            i.resources
                .iter()
                .map(|r| r.provider)
                .chain(i.gaps.iter().map(|g| g.provider))
        })
        .collect();
    let mut missing = Vec::new();
    if let (Some(n), Some(_)) = (expect_shards, count) {
        for k in 1..=n {
            let s = Shard { index: k, count: n };
            if !shards.contains_key(&s) {
                missing.push(s);
            }
        }
    }
    let n = inventories.len();
    let mut inventory = crate::model::merge(inventories).ok_or_else(|| {
        crate::error::Error::Input(vec![InputError::new("merge", "no result to merge")])
    })?;
    inventory.source = format!(
        "merge of {n} result{}: {}",
        if n == 1 { "" } else { "s" },
        inventory.source
    );
    // A missing shard hides accounts of every provider the other shards read.
    let gap_providers: Vec<Provider> = if providers.is_empty() {
        vec![Provider::Aws]
    } else {
        providers.into_iter().collect()
    };
    for s in &missing {
        for p in &gap_providers {
            inventory.gaps.push(Gap {
                provider: *p,
                account: format!("shard {s}"),
                region: None,
                kinds: vec![format!("{p}.*")],
                reason: format!("no result for shard {s} was given to merge (--expect-shards {}): the accounts of that shard were not read", s.count),
            });
        }
    }
    Ok(Merged {
        inventory,
        shards: shards.into_keys().collect(),
        missing,
    })
}
