//! The Logging query language, parsed and run against log entries (JSON `LogEntry`s), so that a
//! log-based metric or a log-match alert is judged by what it matches, not by its text.
//!
//! What is implemented, after "Logging query language" and AIP-160:
//! - `AND`, `OR`, `NOT` and `-`, parentheses, and juxtaposition as `AND`. `NOT` binds tightest,
//!   then `OR`, then `AND`: `a AND b OR c` is `a AND (b OR c)` (unlike most languages).
//! - Restrictions `FIELD OP VALUE` with `=`, `!=` and `:` (has: a substring), `FIELD:*` (the field
//!   is present), and value lists `FIELD = ("a" OR "b")`. String comparisons ignore case. A path
//!   that crosses a repeated field matches when any element does (each restriction on its own).
//!   Snake-case segments (`proto_payload`) read the camel-case field.
//! - Global restrictions (a bare value): some string field of the entry contains it.
//! - `log_id("...")`: the entry's `logName` ends in `/logs/` and the (URL-encoded) id.
//!
//! Anything else (regular expressions, `<`/`>`, `SEARCH`, `sample`, `ip_in_net`, `source`, ...)
//! evaluates to unknown, and so does `!=` on a field the entry does not have: a filter the scanner
//! cannot run is never taken to match or not to match.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    /// A quoted string.
    Str(String),
    /// A bare word: a field path, a value, `AND`/`OR`/`NOT`.
    Word(String),
    Op(&'static str),
    Comma,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '"' | '\'' => {
                let quote = c;
                let mut v = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("a string is not closed".into()),
                        Some('\\') => {
                            if let Some(n) = chars.get(i + 1) {
                                v.push(*n);
                            }
                            i += 2;
                        }
                        Some(ch) if *ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            v.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(v));
            }
            '=' | '!' | ':' | '<' | '>' => {
                let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
                let op = match two.as_str() {
                    "=~" => "=~",
                    "!~" => "!~",
                    "!=" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    _ => match c {
                        '=' => "=",
                        ':' => ":",
                        '<' => "<",
                        '>' => ">",
                        _ => return Err("`!` without `=` or `~`".into()),
                    },
                };
                i += op.len();
                out.push(Tok::Op(op));
            }
            _ => {
                let mut v = String::new();
                while let Some(ch) = chars.get(i) {
                    if ch.is_whitespace() || "()\"'=!:<>,".contains(*ch) {
                        break;
                    }
                    // A quoted segment inside a path: labels."a.b".
                    v.push(*ch);
                    i += 1;
                }
                out.push(Tok::Word(v));
            }
        }
    }
    Ok(out)
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `FIELD OP VALUE(S)`.
    Cmp {
        path: Vec<String>,
        op: &'static str,
        values: Box<ValueExpr>,
    },
    /// A bare value: searched in every field.
    Global(String),
    /// `log_id("...")`.
    LogId(String),
    /// A construct this evaluator does not run, with what it is.
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ValueExpr {
    One(String),
    And(Vec<ValueExpr>),
    Or(Vec<ValueExpr>),
    Not(Box<ValueExpr>),
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Nesting of parentheses and negations, bounded so that no filter can exhaust the stack.
    depth: usize,
}

/// Deeper nesting than any real filter has is refused rather than followed.
const MAX_DEPTH: usize = 64;

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w == kw)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expression(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.sequence()?];
        while is_kw(self.peek(), "AND") {
            self.pos += 1;
            parts.push(self.sequence()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn sequence(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.factor()?];
        while let Some(t) = self.peek() {
            if matches!(t, Tok::RParen) || is_kw(Some(t), "AND") || is_kw(Some(t), "OR") {
                break;
            }
            parts.push(self.factor()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn factor(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.term()?];
        while is_kw(self.peek(), "OR") {
            self.pos += 1;
            parts.push(self.term()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn term(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        let t = self.term_inner();
        self.depth -= 1;
        t
    }

    fn term_inner(&mut self) -> Result<Expr, String> {
        if self.depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} deep"));
        }
        if is_kw(self.peek(), "NOT") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.term()?)));
        }
        if let Some(Tok::Word(w)) = self.peek() {
            if w.len() > 1
                && w.starts_with('-')
                && !w[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                let rest = w[1..].to_string();
                self.toks[self.pos] = Tok::Word(rest);
                return Ok(Expr::Not(Box::new(self.simple()?)));
            }
            if w == "-" {
                self.pos += 1;
                return Ok(Expr::Not(Box::new(self.simple()?)));
            }
        }
        self.simple()
    }

    fn simple(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Tok::LParen) => {
                let e = self.expression()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    _ => Err("a parenthesis is not closed".into()),
                }
            }
            Some(Tok::Word(w)) if matches!(self.peek(), Some(Tok::LParen)) => self.function(w),
            Some(Tok::Word(w)) => self.restriction(w, false),
            Some(Tok::Str(s)) => self.restriction(s, true),
            other => Err(format!("unexpected {other:?}")),
        }
    }

    fn function(&mut self, name: String) -> Result<Expr, String> {
        self.pos += 1; // (
        let mut args = Vec::new();
        loop {
            match self.next() {
                Some(Tok::RParen) => break,
                Some(Tok::Str(s)) | Some(Tok::Word(s)) => args.push(s),
                Some(Tok::Comma) => {}
                _ => return Err(format!("`{name}(` is not closed")),
            }
        }
        if name.eq_ignore_ascii_case("log_id") && args.len() == 1 {
            return Ok(Expr::LogId(args.remove(0)));
        }
        Ok(Expr::Unsupported(format!("the function `{name}`")))
    }

    fn restriction(&mut self, first: String, quoted: bool) -> Result<Expr, String> {
        let Some(Tok::Op(op)) = self.peek().cloned() else {
            return Ok(Expr::Global(first));
        };
        self.pos += 1;
        let path = if quoted {
            vec![first]
        } else {
            split_path(&first)
        };
        let values = match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let v = self.value_expression()?;
                match self.next() {
                    Some(Tok::RParen) => v,
                    _ => return Err("a value list is not closed".into()),
                }
            }
            Some(Tok::Str(s)) | Some(Tok::Word(s)) => {
                self.pos += 1;
                ValueExpr::One(s)
            }
            other => return Err(format!("`{op}` is followed by {other:?}")),
        };
        if !matches!(op, "=" | "!=" | ":") {
            return Ok(Expr::Unsupported(format!("the operator `{op}`")));
        }
        Ok(Expr::Cmp {
            path,
            op,
            values: Box::new(values),
        })
    }

    fn value_expression(&mut self) -> Result<ValueExpr, String> {
        let mut ands = vec![self.value_factor()?];
        loop {
            match self.peek() {
                Some(Tok::RParen) | None => break,
                t if is_kw(t, "AND") => {
                    self.pos += 1;
                    ands.push(self.value_factor()?);
                }
                _ => ands.push(self.value_factor()?),
            }
        }
        Ok(if ands.len() == 1 {
            ands.remove(0)
        } else {
            ValueExpr::And(ands)
        })
    }

    fn value_factor(&mut self) -> Result<ValueExpr, String> {
        let mut ors = vec![self.value_term()?];
        while is_kw(self.peek(), "OR") {
            self.pos += 1;
            ors.push(self.value_term()?);
        }
        Ok(if ors.len() == 1 {
            ors.remove(0)
        } else {
            ValueExpr::Or(ors)
        })
    }

    fn value_term(&mut self) -> Result<ValueExpr, String> {
        self.depth += 1;
        let t = self.value_term_inner();
        self.depth -= 1;
        t
    }

    fn value_term_inner(&mut self) -> Result<ValueExpr, String> {
        if self.depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} deep"));
        }
        match self.next() {
            Some(Tok::Word(w)) if w == "NOT" => Ok(ValueExpr::Not(Box::new(self.value_term()?))),
            Some(Tok::LParen) => {
                let v = self.value_expression()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(v),
                    _ => Err("a value list is not closed".into()),
                }
            }
            Some(Tok::Str(s)) | Some(Tok::Word(s)) => Ok(ValueExpr::One(s)),
            other => Err(format!("unexpected {other:?} in a value list")),
        }
    }
}

/// `a.b."c.d"` into its segments.
fn split_path(p: &str) -> Vec<String> {
    p.split('.')
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

/// Parses a filter; an empty filter is `None` (it matches everything).
pub(crate) fn parse(filter: &str) -> Result<Option<Expr>, String> {
    let toks = lex(filter)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.expression()?;
    if p.pos < p.toks.len() {
        return Err(format!("unexpected {:?}", p.toks[p.pos]));
    }
    Ok(Some(e))
}

fn camel(seg: &str) -> String {
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
fn lookup<'a>(entry: &'a Value, path: &[String]) -> Vec<&'a Value> {
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

fn flatten(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().flat_map(flatten).collect(),
        other => vec![other],
    }
}

fn leaf_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Every string (and number) anywhere in `v`, lower-cased.
fn all_text(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.values().for_each(|x| all_text(x, out)),
        Value::Array(a) => a.iter().for_each(|x| all_text(x, out)),
        other => out.extend(leaf_text(other)),
    }
}

fn and3(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
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

fn or3(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
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

fn value_matches(found: &[&Value], op: &str, want: &str) -> bool {
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

fn eval_values(found: &[&Value], op: &str, v: &ValueExpr) -> Option<bool> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(method: &str, action: &str, role: &str) -> Value {
        json!({
            "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
            "resource": {"type": "project"},
            "protoPayload": {
                "serviceName": "cloudresourcemanager.googleapis.com",
                "methodName": method,
                "serviceData": {"policyDelta": {"bindingDeltas": [
                    {"action": "ADD", "role": "roles/viewer", "member": "user:a@example.com"},
                    {"action": action, "role": role, "member": "user:b@example.com"}
                ]}}
            }
        })
    }

    fn run(filter: &str, e: &Value) -> Option<bool> {
        matches(&parse(filter).unwrap().unwrap(), e)
    }

    #[test]
    fn or_binds_tighter_than_and() {
        let e = entry("SetIamPolicy", "ADD", "roles/owner");
        // a AND b OR c: a AND (b OR c). `a` is false, so the whole is false even though c holds.
        assert_eq!(
            run(
                r#"resource.type="gce_instance" AND protoPayload.methodName="Nope" OR protoPayload.methodName="SetIamPolicy""#,
                &e
            ),
            Some(false)
        );
        assert_eq!(
            run(
                r#"resource.type="project" AND protoPayload.methodName="Nope" OR protoPayload.methodName="SetIamPolicy""#,
                &e
            ),
            Some(true)
        );
    }

    #[test]
    fn cis_project_ownership_filter() {
        let cis = r#"(protoPayload.serviceName="cloudresourcemanager.googleapis.com") AND (ProjectOwnership OR projectOwnerInvitee) OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="REMOVE" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner") OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="ADD" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")"#;
        assert_eq!(
            run(cis, &entry("SetIamPolicy", "ADD", "roles/owner")),
            Some(true)
        );
        assert_eq!(
            run(cis, &entry("SetIamPolicy", "REMOVE", "roles/owner")),
            Some(true)
        );
        assert_eq!(
            run(cis, &entry("SetIamPolicy", "ADD", "roles/editor")),
            Some(false)
        );
    }

    #[test]
    fn has_equals_case_presence_and_lists() {
        let e = json!({"resource": {"type": "gce_firewall_rule"},
            "protoPayload": {"methodName": "v1.compute.firewalls.insert"}});
        assert_eq!(
            run(r#"protoPayload.methodName:"compute.firewalls.insert""#, &e),
            Some(true)
        );
        assert_eq!(
            run(r#"protoPayload.methodName="compute.firewalls.insert""#, &e),
            Some(false)
        );
        assert_eq!(
            run(
                r#"protoPayload.methodName="V1.COMPUTE.FIREWALLS.INSERT""#,
                &e
            ),
            Some(true)
        );
        assert_eq!(run("protoPayload.methodName:*", &e), Some(true));
        assert_eq!(run("protoPayload.serviceData:*", &e), Some(false));
        assert_eq!(
            run(
                r#"proto_payload.method_name:("firewalls.patch" OR "firewalls.insert")"#,
                &e
            ),
            Some(true)
        );
        assert_eq!(
            run(r#"NOT resource.type="gce_firewall_rule""#, &e),
            Some(false)
        );
        assert_eq!(run(r#"-resource.type="gce_route""#, &e), Some(true));
        assert_eq!(run("firewalls", &e), Some(true));
    }

    #[test]
    fn what_is_not_run_is_unknown() {
        let e = json!({"protoPayload": {"methodName": "storage.setIamPermissions"}});
        assert_eq!(run(r#"protoPayload.methodName=~"setIam.*""#, &e), None);
        assert_eq!(run(r#"SEARCH("setIam")"#, &e), None);
        assert_eq!(run(r#"severity!="DEBUG""#, &e), None);
        // Decided without the unknown part.
        assert_eq!(
            run(
                r#"protoPayload.methodName="x" AND protoPayload.methodName=~"y""#,
                &e
            ),
            Some(false)
        );
        assert!(parse(r#"(protoPayload.methodName="x""#).is_err());
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).unwrap_err().contains("nested"));
        let nots = format!("{}a", "NOT ".repeat(10_000));
        assert!(parse(&nots).is_err());
        for junk in ["a =", "= b", "f(", ")", "a:(b", "'open", "x != ", "!"] {
            assert!(parse(junk).is_err(), "{junk}");
        }
        assert_eq!(parse("  ").unwrap(), None);
    }

    #[test]
    fn log_id_function() {
        let e = entry("SetIamPolicy", "ADD", "roles/owner");
        assert_eq!(
            run(r#"log_id("cloudaudit.googleapis.com/activity")"#, &e),
            Some(true)
        );
        assert_eq!(
            run(r#"LOG_ID("cloudaudit.googleapis.com/data_access")"#, &e),
            Some(false)
        );
    }
}
