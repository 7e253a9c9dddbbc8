//! AWS IAM policy documents (identity and resource policies), read the way AWS evaluates them.
//!
//! One interpreter for every check that reads a policy document: S3 bucket policies (public,
//! TLS only), IAM identity policies (full administrator) and key policies. The rules follow
//! AWS's own documentation:
//! - *Public* is S3's definition ("The meaning of public", Block Public Access): a statement
//!   that allows everyone is non-public only when a condition pins the caller to *fixed*
//!   values (no wildcard, no policy variable) of a known key, or limits `aws:SourceIp` to CIDR
//!   ranges. Negated operators (`StringNotEquals`, `NotIpAddress`), `...IfExists` and
//!   `ForAllValues:` (both true when the key is absent) restrict nothing. `NotPrincipal` with
//!   `Allow` grants everyone but the listed principals.
//! - Action, resource and principal patterns match with `*` and `?`, case-insensitively for
//!   actions.
//!
//! A document that cannot be read is an error, never "not public" or "not admin".

use serde_json::Value;

use crate::net;

/// A statement's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A list of patterns, or its negation (`NotAction`, `NotResource`, `NotPrincipal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patterns {
    Listed(Vec<String>),
    AllBut(Vec<String>),
}

/// Who a statement is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// No `Principal` element: an identity policy (applies to its holder).
    Holder,
    /// `Principal`: `"*"` or a map of type to values (`AWS`, `Service`, `Federated`, ...).
    Listed(Vec<(String, String)>),
    /// `NotPrincipal`: everyone except these.
    AllBut(Vec<(String, String)>),
}

/// One condition: `operator` (e.g. `StringEquals`, `ForAnyValue:StringLike`), key, values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub effect: Effect,
    pub principals: Principals,
    pub actions: Patterns,
    pub resources: Patterns,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub statements: Vec<Statement>,
}

/// Parses a policy document; IAM returns documents URL-encoded, and those are decoded first.
pub fn parse(text: &str) -> Result<Document, String> {
    let trimmed = text.trim_start();
    let decoded;
    let text = if trimmed.starts_with('{') {
        text
    } else {
        decoded = percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map_err(|_| "the policy document is not UTF-8".to_string())?;
        &decoded
    };
    let doc: Value =
        serde_json::from_str(text).map_err(|e| format!("the policy document is not JSON: {e}"))?;
    let statements = match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => return Err("the policy document has no Statement".into()),
    };
    let statements = statements
        .into_iter()
        .enumerate()
        .map(|(i, st)| statement(st).map_err(|e| format!("Statement {}: {e}", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Document { statements })
}

fn strings(v: &Value, what: &str) -> Result<Vec<String>, String> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.clone()),
                Value::Bool(b) => Ok(b.to_string()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(format!("{what} holds a value that is not a string")),
            })
            .collect(),
        Value::Bool(b) => Ok(vec![b.to_string()]),
        Value::Number(n) => Ok(vec![n.to_string()]),
        _ => Err(format!("{what} is not a string or a list of strings")),
    }
}

fn patterns(st: &Value, name: &str) -> Result<Patterns, String> {
    match (st.get(name), st.get(format!("Not{name}").as_str())) {
        (Some(v), None) => Ok(Patterns::Listed(strings(v, name)?)),
        (None, Some(v)) => Ok(Patterns::AllBut(strings(v, &format!("Not{name}"))?)),
        (Some(_), Some(_)) => Err(format!("both {name} and Not{name}")),
        // Resource policies may leave out Resource (the resource itself is implied).
        (None, None) if name == "Resource" => Ok(Patterns::Listed(vec!["*".into()])),
        (None, None) => Err(format!("no {name} or Not{name}")),
    }
}

fn principal_list(v: &Value) -> Result<Vec<(String, String)>, String> {
    match v {
        Value::String(s) => Ok(vec![("*".into(), s.clone())]),
        Value::Object(map) => {
            let mut out = Vec::new();
            for (kind, values) in map {
                for value in strings(values, "Principal")? {
                    out.push((kind.clone(), value));
                }
            }
            Ok(out)
        }
        _ => Err("Principal is neither a string nor a map".into()),
    }
}

fn statement(st: &Value) -> Result<Statement, String> {
    let effect = match st.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        Some(other) => return Err(format!("Effect `{other}` is neither Allow nor Deny")),
        None => return Err("no Effect".into()),
    };
    let principals = match (st.get("Principal"), st.get("NotPrincipal")) {
        (None, None) => Principals::Holder,
        (Some(p), None) => Principals::Listed(principal_list(p)?),
        (None, Some(p)) => Principals::AllBut(principal_list(p)?),
        (Some(_), Some(_)) => return Err("both Principal and NotPrincipal".into()),
    };
    let mut conditions = Vec::new();
    match st.get("Condition") {
        None | Some(Value::Null) => {}
        Some(Value::Object(ops)) => {
            for (op, keys) in ops {
                let Value::Object(keys) = keys else {
                    return Err(format!("Condition `{op}` is not a map of keys"));
                };
                for (key, values) in keys {
                    conditions.push(Condition {
                        operator: op.clone(),
                        key: key.clone(),
                        values: strings(values, &format!("Condition {op} {key}"))?,
                    });
                }
            }
        }
        Some(_) => return Err("Condition is not a map".into()),
    }
    Ok(Statement {
        effect,
        principals,
        actions: patterns(st, "Action")?,
        resources: patterns(st, "Resource")?,
        conditions,
    })
}

/// `*` and `?` wildcard matching, as IAM does for actions, resources and principals.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn glob_ci(pattern: &str, text: &str) -> bool {
    glob(&pattern.to_ascii_lowercase(), &text.to_ascii_lowercase())
}

impl Patterns {
    /// Whether the element matches `value` (for `AllBut`, whether it is not excluded).
    pub fn matches(&self, value: &str, case_insensitive: bool) -> bool {
        let hit = |list: &[String]| {
            list.iter().any(|p| {
                if case_insensitive {
                    glob_ci(p, value)
                } else {
                    glob(p, value)
                }
            })
        };
        match self {
            Patterns::Listed(list) => hit(list),
            Patterns::AllBut(list) => !hit(list),
        }
    }
}

/// A value that is not fixed: a wildcard or a policy variable.
fn is_fixed(value: &str) -> bool {
    !(value.contains('*') || value.contains('?') || value.contains("${"))
}

/// Condition keys whose fixed values pin a statement to known callers, networks or keys, so
/// that a statement for everyone is not public (S3's list; keys compared case-insensitively).
const PINNING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
];

/// Operators that compare a key with the listed values and fail when the key is absent.
fn positive_operator(op: &str) -> Option<&'static str> {
    let base = op
        .strip_prefix("ForAnyValue:")
        .unwrap_or(op)
        .to_ascii_lowercase();
    match base.as_str() {
        "stringequals" | "stringequalsignorecase" | "arnequals" => Some("equals"),
        "stringlike" | "arnlike" => Some("like"),
        "ipaddress" => Some("ip"),
        _ => None,
    }
}

/// Whether one condition restricts who can call to a fixed set (see the module docs).
fn pins_caller(c: &Condition) -> bool {
    // `...IfExists` is true when the key is absent; `ForAllValues:` too.
    if c.operator.ends_with("IfExists") || c.operator.starts_with("ForAllValues:") {
        return false;
    }
    let Some(kind) = positive_operator(&c.operator) else {
        return false;
    };
    if c.values.is_empty() {
        return false;
    }
    let key = c.key.to_ascii_lowercase();
    if key == "aws:sourceip" {
        if kind != "ip" {
            return false;
        }
        let Ok(nets) = c
            .values
            .iter()
            .map(|v| net::parse_source(v))
            .collect::<Result<Vec<_>, _>>()
        else {
            return false;
        };
        return !net::open_to_internet(&nets, net::max_prefix());
    }
    if !PINNING_KEYS.contains(&key.as_str()) || kind == "ip" {
        return false;
    }
    if key == "aws:userid" && c.values.iter().any(|v| v.ends_with(":*")) {
        return false;
    }
    c.values.iter().all(|v| is_fixed(v))
}

/// Whether a principal value names everyone (`*`, `AWS: *`, or a pattern with a wildcard).
fn open_principal(kind: &str, value: &str) -> bool {
    match kind {
        "*" => value == "*",
        "AWS" | "CanonicalUser" | "Service" | "Federated" => !is_fixed(value),
        _ => !is_fixed(value),
    }
}

impl Statement {
    /// Whether the statement is about everyone: `Principal: "*"`, `{"AWS": "*"}`, a wildcard
    /// principal, or `NotPrincipal`.
    pub(crate) fn for_everyone(&self) -> bool {
        match &self.principals {
            Principals::Holder => false,
            Principals::Listed(list) => list.iter().any(|(k, v)| open_principal(k, v)),
            Principals::AllBut(_) => true,
        }
    }

    /// Whether a condition pins the caller to fixed values (S3's definition of non-public).
    pub(crate) fn pins_caller(&self) -> bool {
        self.conditions.iter().any(pins_caller)
    }

    /// Whether this statement, by S3's definition, makes the resource public.
    pub fn is_public(&self) -> bool {
        self.effect == Effect::Allow && self.for_everyone() && !self.pins_caller()
    }

    /// Whether the statement's actions include every action of `service` (`s3:*`, `*`).
    pub(crate) fn covers_service(&self, service: &str) -> bool {
        match &self.actions {
            Patterns::Listed(list) => list.iter().any(|a| covers_all_of(a, service)),
            // NotAction leaves the service whole unless it names one of its actions.
            Patterns::AllBut(list) => !list.iter().any(|a| {
                a == "*"
                    || a.split_once(':')
                        .is_some_and(|(s, _)| glob_ci(s, service) || glob_ci(service, s))
            }),
        }
    }

    /// Whether the statement's resources include every resource (`*`), or leave out only a
    /// few (`NotResource`).
    pub fn covers_every_resource(&self) -> bool {
        match &self.resources {
            Patterns::Listed(list) => list.iter().any(|r| covers_every_arn(r)),
            Patterns::AllBut(_) => true,
        }
    }
}

/// Whether an action pattern covers every action of `service`: `*`, `*:*`, `s3:*`, `s*:*`.
fn covers_all_of(pattern: &str, service: &str) -> bool {
    let p = pattern.trim();
    if p.chars().all(|c| c == '*') && !p.is_empty() {
        return true;
    }
    match p.split_once(':') {
        Some((svc, action)) => {
            !action.is_empty() && action.chars().all(|c| c == '*') && glob_ci(svc, service)
        }
        None => false,
    }
}

/// `*` or `*:*`.
fn every_action(pattern: &str) -> bool {
    let all = |s: &str| !s.is_empty() && s.chars().all(|c| c == '*');
    let p = pattern.trim();
    all(p) || p.split_once(':').is_some_and(|(a, b)| all(a) && all(b))
}

/// Whether a resource pattern matches every ARN in every partition.
fn covers_every_arn(pattern: &str) -> bool {
    const SAMPLES: [&str; 4] = [
        "arn:aws:iam::123456789012:user/x",
        "arn:aws:s3:::bucket/object",
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k",
        "arn:aws-cn:rds:cn-north-1:123456789012:db:d",
    ];
    SAMPLES.iter().all(|s| glob(pattern, s))
}

impl Document {
    /// S3's definition: some statement allows everyone without pinning the caller.
    pub fn is_public(&self) -> bool {
        self.statements.iter().any(Statement::is_public)
    }

    /// What makes this identity policy a full administrator grant, if anything:
    /// every action (or all but a few, `NotAction`) on every resource, or `iam:*` on every
    /// resource (a holder can grant itself the rest).
    pub fn full_admin(&self) -> Option<&'static str> {
        for st in &self.statements {
            if st.effect != Effect::Allow || !st.covers_every_resource() {
                continue;
            }
            match &st.actions {
                Patterns::Listed(list) if list.iter().any(|a| every_action(a)) => {
                    return Some("every action on every resource");
                }
                Patterns::AllBut(list) if !list.iter().any(|a| every_action(a)) => {
                    return Some("NotAction: every action but a few on every resource");
                }
                _ => {}
            }
            if st.covers_service("iam") {
                return Some("iam:* on every resource (can grant itself the rest)");
            }
        }
        None
    }

    /// Whether the policy denies every S3 request made without TLS to the objects of
    /// `bucket`: a `Deny` for everyone, on every S3 action, on resources that include
    /// `arn:<partition>:s3:::bucket/*`, whose only condition is `aws:SecureTransport` false
    /// (`Bool` or `BoolIfExists`; another condition would narrow the deny).
    pub fn denies_insecure_transport(&self, bucket_arn: &str) -> bool {
        let objects = format!("{bucket_arn}/any-object-key");
        self.statements.iter().any(|st| {
            let principal_all = match &st.principals {
                Principals::Listed(list) => list
                    .iter()
                    .any(|(k, v)| (k == "*" || k == "AWS") && v == "*"),
                _ => false,
            };
            let only_insecure = !st.conditions.is_empty()
                && st.conditions.iter().all(|c| {
                    matches!(c.operator.as_str(), "Bool" | "BoolIfExists")
                        && c.key.eq_ignore_ascii_case("aws:SecureTransport")
                        && !c.values.is_empty()
                        && c.values.iter().all(|v| v.eq_ignore_ascii_case("false"))
                });
            st.effect == Effect::Deny
                && principal_all
                && matches!(st.actions, Patterns::Listed(_))
                && st.covers_service("s3")
                && st.resources.matches(&objects, false)
                && only_insecure
        })
    }
}

/// The AWS managed AdministratorAccess policy, in any partition.
pub fn is_administrator_access(arn: &str) -> bool {
    ["aws", "aws-us-gov", "aws-cn", "aws-iso", "aws-iso-b"]
        .iter()
        .any(|p| arn == format!("arn:{p}:iam::aws:policy/AdministratorAccess"))
}

#[cfg(test)]
mod tests;
