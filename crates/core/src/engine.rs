//! Evaluates every policy against every resource of its kinds.
//!
//! Each resource is converted into a CEL value once and every policy of its kind runs on that
//! value; resources are spread over the cores. A condition that reads a property the adapter
//! could not collect, or that fails to evaluate, yields "not evaluated", never a pass.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::{Context, Env, ExecutionError, Value};
use rayon::prelude::*;
use serde_json::Value as Json;

use crate::baa::Catalog;
use crate::config::ScopeConfig;
use crate::model::{kind_matches, kind_spec, Inventory, PropType, Resource};
use crate::policy::{Policy, PolicySet, Scope};

/// What a verdict is about: a resource, or a part of the estate that could not be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Resource(u32),
    Gap(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    /// The check could not run; the reason says why.
    NotEvaluated(Arc<str>),
    /// The policy does not apply to this resource (its `applies_if` is false): counted and
    /// shown apart from pass, never as one.
    NotApplicable,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotEvaluated(_) => "not_evaluated",
            Outcome::NotApplicable => "not_applicable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub policy: u32,
    pub target: Target,
    pub outcome: Outcome,
}

/// The verdicts of one scan, with the per-resource facts they were judged on.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub verdicts: Vec<Verdict>,
    /// Per resource: in ePHI scope.
    pub in_scope: Vec<bool>,
    /// Per resource: its service is covered by the provider's BAA.
    pub eligible: Vec<bool>,
}

/// Evaluates `policies` over `inventory`.
pub fn evaluate(
    inventory: &Inventory,
    policies: &PolicySet,
    scope: &ScopeConfig,
    catalog: &Catalog,
) -> Evaluation {
    let resources = &inventory.resources;
    let in_scope: Vec<bool> = resources.iter().map(|r| scope.in_scope(r)).collect();
    let mut eligibility_cache: HashMap<(crate::model::Provider, &str), bool> = HashMap::new();
    let eligible: Vec<bool> = resources
        .iter()
        .map(|r| {
            *eligibility_cache
                .entry((r.provider, r.service()))
                .or_insert_with(|| catalog.eligibility(r.provider, r.service()).eligible)
        })
        .collect();

    // Policies per kind, computed once per distinct kind.
    let mut by_kind: HashMap<&str, Vec<u32>> = HashMap::new();
    for r in resources {
        by_kind.entry(r.kind.as_str()).or_insert_with(|| {
            (0..policies.len() as u32)
                .filter(|&i| policies.policies[i as usize].applies_to(&r.kind))
                .collect()
        });
    }
    let params: Vec<Box<dyn Val>> = policies
        .policies
        .iter()
        .map(|p| params_value(&p.params))
        .collect();

    let env = Arc::new(Env::stdlib());
    let now = Value::Timestamp(inventory.collected_at.fixed_offset());
    let chunk = 256;
    let mut verdicts: Vec<Verdict> = resources
        .par_chunks(chunk)
        .enumerate()
        .flat_map_iter(|(c, rs)| {
            let mut root = Context::with_env(env.clone());
            root.add_variable_from_value("now", now.clone());
            let mut out = Vec::new();
            for (j, r) in rs.iter().enumerate() {
                let i = c * chunk + j;
                let applicable = &by_kind[r.kind.as_str()];
                let applicable: Vec<u32> = applicable
                    .iter()
                    .copied()
                    .filter(|&p| policies.policies[p as usize].scope == Scope::All || in_scope[i])
                    .collect();
                if applicable.is_empty() {
                    continue;
                }
                let value = resource_value(r, in_scope[i], eligible[i]);
                for p in applicable {
                    let policy = &policies.policies[p as usize];
                    let outcome = run(policy, r, &*value, &*params[p as usize], &root);
                    out.push(Verdict {
                        policy: p,
                        target: Target::Resource(i as u32),
                        outcome,
                    });
                }
            }
            out
        })
        .collect();

    for (g, gap) in inventory.gaps.iter().enumerate() {
        for (p, policy) in policies.policies.iter().enumerate() {
            let overlaps = policy.kinds.iter().any(|pk| {
                gap.kinds
                    .iter()
                    .any(|gk| pk == gk || kind_matches(pk, gk) || kind_matches(gk, pk))
            });
            if overlaps {
                verdicts.push(Verdict {
                    policy: p as u32,
                    target: Target::Gap(g as u32),
                    outcome: Outcome::NotEvaluated(Arc::from(format!(
                        "{} could not be listed in {}: {}",
                        gap.kinds.join(", "),
                        gap.scope(),
                        gap.reason
                    ))),
                });
            }
        }
    }
    Evaluation {
        verdicts,
        in_scope,
        eligible,
    }
}

struct Vars<'a> {
    resource: &'a dyn Val,
    params: &'a dyn Val,
}

impl VariableResolver for Vars<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        match variable {
            "resource" => Some(CowVal::Borrowed(self.resource)),
            "params" => Some(CowVal::Borrowed(self.params)),
            _ => None,
        }
    }
}

fn run(
    policy: &Policy,
    r: &Resource,
    value: &dyn Val,
    params: &dyn Val,
    root: &Context<'_, '_>,
) -> Outcome {
    if let Some(applies) = &policy.applies_if {
        match decide(applies, "applies_if", r, value, params, root) {
            Ok(true) => {}
            Ok(false) => return Outcome::NotApplicable,
            Err(reason) => return Outcome::NotEvaluated(reason),
        }
    }
    match decide(&policy.condition, "condition", r, value, params, root) {
        Ok(true) => Outcome::Pass,
        Ok(false) => Outcome::Fail,
        Err(reason) => Outcome::NotEvaluated(reason),
    }
}

/// Runs one compiled expression to a bool, or says why it could not decide.
fn decide(
    condition: &crate::policy::Condition,
    what: &str,
    r: &Resource,
    value: &dyn Val,
    params: &dyn Val,
    root: &Context<'_, '_>,
) -> Result<bool, Arc<str>> {
    // A property the condition reads but the adapter could not collect: the condition must
    // not decide on it. Reads of absent keys fail in CEL (and land below); presence tests
    // (`has(...)`) would quietly say false for a property the adapter tried and failed to
    // read, so those are refused up front. A property absent without a reason (a snapshot
    // written before the property existed) is what `has()` is for: it says false.
    for field in &condition.presence_tests {
        if let Some(reason) = r.unknown.get(field.as_str()) {
            return Err(Arc::from(reason.as_str()));
        }
    }
    let vars = Vars {
        resource: value,
        params,
    };
    let mut ctx = root.new_inner_scope();
    ctx.set_variable_resolver(&vars);
    match condition.program.execute(&ctx) {
        Ok(Value::Bool(b)) => Ok(b),
        // The value itself is not shown: it may carry property values.
        Ok(_) => Err(Arc::from(format!("the {what} did not return a bool"))),
        Err(ExecutionError::NoSuchKey(key))
            if condition.reads.iter().any(|f| f == key.as_str()) =>
        {
            Err(Arc::from(
                unknown_reason(r, &key).unwrap_or_else(|| format!("property `{key}` is missing")),
            ))
        }
        Err(e) => Err(Arc::from(format!(
            "the {what} could not be evaluated: {}",
            cel_error_kind(&e)
        ))),
    }
}

/// The kind of a CEL error, without the values it carries (a tag value or a property could
/// otherwise reach a "not evaluated" reason): `ValuesNotComparable`, `UnexpectedType`, ...
fn cel_error_kind(e: &ExecutionError) -> String {
    let debug = format!("{e:?}");
    let kind: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let words: Vec<String> = kind.chars().fold(Vec::<String>::new(), |mut w, c| {
        if c.is_ascii_uppercase() || w.is_empty() {
            w.push(c.to_ascii_lowercase().to_string());
        } else if let Some(last) = w.last_mut() {
            last.push(c);
        }
        w
    });
    if words.is_empty() {
        "a CEL error".into()
    } else {
        format!("{} (CEL)", words.join(" "))
    }
}

/// Why a top-level field has no value on this resource, if it has none.
fn unknown_reason(r: &Resource, field: &str) -> Option<String> {
    if crate::model::COMMON_FIELDS.iter().any(|c| c.name == field) {
        return None;
    }
    r.unknown_reason(field)
}

fn params_value(params: &BTreeMap<String, Json>) -> Box<dyn Val> {
    let map: HashMap<String, Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), json_to_cel(v, None)))
        .collect();
    boxed(Value::from(map))
}

fn boxed(v: Value) -> Box<dyn Val> {
    // Data values (maps, lists, scalars, timestamps) always convert.
    Box::<dyn Val>::try_from(v).unwrap_or_else(|_| Box::new(cel::common::types::CelNull))
}

/// The CEL value of a resource: its common fields and its known properties. Unknown properties
/// are left out, so reading one fails instead of guessing.
pub(crate) fn resource_value(r: &Resource, in_scope: bool, eligible: bool) -> Box<dyn Val> {
    let s = |v: &str| Value::String(Arc::new(v.to_string()));
    let spec = kind_spec(&r.kind);
    let mut map: HashMap<String, Value> = HashMap::with_capacity(r.properties.len() + 10);
    map.insert("id".into(), s(&r.id));
    map.insert("name".into(), s(&r.name));
    map.insert("kind".into(), s(&r.kind));
    map.insert("provider".into(), s(r.provider.as_str()));
    map.insert("service".into(), s(r.service()));
    map.insert("account".into(), s(&r.account));
    map.insert("region".into(), s(&r.region));
    let tags: HashMap<String, Value> = r.tags.iter().map(|(k, v)| (k.clone(), s(v))).collect();
    map.insert("tags".into(), Value::from(tags));
    map.insert("in_scope".into(), Value::Bool(in_scope));
    map.insert("hipaa_eligible".into(), Value::Bool(eligible));
    for (k, v) in &r.properties {
        let ty = spec.and_then(|s| s.prop(k)).map(|p| &p.ty);
        map.insert(k.clone(), json_to_cel(v, ty));
    }
    boxed(Value::from(map))
}

fn json_to_cel(v: &Json, ty: Option<&PropType>) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(u)) => Value::UInt(u),
            _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => match ty {
            Some(PropType::Timestamp) => chrono::DateTime::parse_from_rfc3339(s)
                .map(Value::Timestamp)
                .unwrap_or_else(|_| Value::String(Arc::new(s.clone()))),
            _ => Value::String(Arc::new(s.clone())),
        },
        Json::Array(items) => {
            let inner = match ty {
                Some(PropType::List(t)) => Some(*t),
                _ => None,
            };
            Value::List(Arc::new(
                items.iter().map(|i| json_to_cel(i, inner)).collect(),
            ))
        }
        Json::Object(fields) => {
            let field_types = match ty {
                Some(PropType::Object(f)) => *f,
                _ => &[],
            };
            let map: HashMap<String, Value> = fields
                .iter()
                .map(|(k, v)| {
                    let t = field_types.iter().find(|f| f.name == k).map(|f| &f.ty);
                    (k.clone(), json_to_cel(v, t))
                })
                .collect();
            Value::from(map)
        }
    }
}
