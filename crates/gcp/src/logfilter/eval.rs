//! Evaluating a parsed filter against a log entry, with unknown kept apart from false.

use super::*;

pub(super) fn camel(seg: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in seg.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The values at `path`, through repeated fields; empty when the field is absent.
pub(super) fn lookup<'a>(entry: &'a Value, path: &[String]) -> Vec<&'a Value> {
    let mut cur = vec![entry];
    for seg in path {
        let mut next = Vec::new();
        for v in cur {
            for v in flatten(v) {
                if let Some(obj) = v.as_object() {
                    if let Some(x) = obj.get(seg).or_else(|| obj.get(&camel(seg))) {
                        next.push(x);
                    }
                }
            }
        }
        cur = next;
    }
    cur.into_iter().flat_map(flatten).collect()
}

pub(super) fn flatten(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().flat_map(flatten).collect(),
        other => vec![other],
    }
}

pub(super) fn leaf_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Every string (and number) anywhere in `v`, lower-cased.
pub(super) fn all_text(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.values().for_each(|x| all_text(x, out)),
        Value::Array(a) => a.iter().for_each(|x| all_text(x, out)),
        other => out.extend(leaf_text(other)),
    }
}

pub(super) fn and3(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for v in items {
        match v {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown {
        None
    } else {
        Some(true)
    }
}

pub(super) fn or3(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for v in items {
        match v {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

pub(super) fn value_matches(found: &[&Value], op: &str, want: &str) -> bool {
    let want_l = want.to_lowercase();
    if op == ":" && want == "*" {
        return !found.is_empty();
    }
    found.iter().any(|v| {
        if op == ":" {
            let mut texts = Vec::new();
            all_text(v, &mut texts);
            texts.iter().any(|t| t.contains(&want_l))
        } else {
            leaf_text(v).is_some_and(|t| t == want_l)
        }
    })
}

pub(super) fn eval_values(found: &[&Value], op: &str, v: &ValueExpr) -> Option<bool> {
    match v {
        ValueExpr::One(s) => Some(value_matches(found, op, s)),
        ValueExpr::And(items) => and3(items.iter().map(|i| eval_values(found, op, i))),
        ValueExpr::Or(items) => or3(items.iter().map(|i| eval_values(found, op, i))),
        ValueExpr::Not(i) => eval_values(found, op, i).map(|b| !b),
    }
}

/// Whether `entry` matches; `None` when the filter holds a construct this evaluator does not run
/// and the rest does not decide.
pub(crate) fn matches(e: &Expr, entry: &Value) -> Option<bool> {
    match e {
        Expr::And(items) => and3(items.iter().map(|i| matches(i, entry))),
        Expr::Or(items) => or3(items.iter().map(|i| matches(i, entry))),
        Expr::Not(i) => matches(i, entry).map(|b| !b),
        Expr::Cmp { path, op, values } => {
            let found = lookup(entry, path);
            if *op == "!=" {
                if found.is_empty() {
                    return None;
                }
                return eval_values(&found, "=", values).map(|b| !b);
            }
            eval_values(&found, op, values)
        }
        Expr::Global(v) => {
            let mut texts = Vec::new();
            all_text(entry, &mut texts);
            let v = v.to_lowercase();
            Some(texts.iter().any(|t| t.contains(&v)))
        }
        Expr::LogId(id) => {
            let encoded = id.replace('/', "%2F").to_lowercase();
            let name = entry
                .get("logName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_lowercase();
            Some(
                name.ends_with(&format!("/logs/{encoded}"))
                    || name.ends_with(&format!("/logs/{}", id.to_lowercase())),
            )
        }
        Expr::Unsupported(_) => None,
    }
}

/// What in the filter is not run, for reasons.
pub(crate) fn unsupported(e: &Expr) -> Option<String> {
    match e {
        Expr::And(items) | Expr::Or(items) => items.iter().find_map(unsupported),
        Expr::Not(i) => unsupported(i),
        Expr::Unsupported(what) => Some(what.clone()),
        _ => None,
    }
}
