//! Log-in monitoring and alerting (CIS AWS Foundations 4.1–4.14, Security Hub CloudWatch.1–14):
//! CloudWatch Logs metric filters on the log group of a multi-region trail, each feeding a
//! metric with an alarm that has actions.
//!
//! A filter pattern is judged by what it matches, not by its text: the pattern is parsed
//! (CloudWatch Logs' JSON filter syntax, and term patterns) and run against sample CloudTrail
//! records of each event class. A class is monitored when every sample record of it is matched
//! by some alarmed filter, and that filter does not also match an ordinary read-only API call
//! (a catch-all filter alarms on everything, which is no alert at all). Patterns outside the
//! syntax read here (regular expressions, numeric comparisons, space-delimited patterns) are
//! *not understood*: a class they might cover is unknown, never passed.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::model::Resource;

use super::util::{resource, Props};

pub const KIND: &str = "aws.cloudwatch.monitoring";

/// A metric filter on a trail's log group, and whether its metric has an alarm with actions.
#[derive(Debug, Clone)]
pub struct Filter {
    pub name: String,
    pub pattern: String,
    pub alarmed: bool,
}

/// What was read for one multi-region, logging trail that records every management event and
/// delivers to CloudWatch Logs.
#[derive(Debug, Clone)]
pub struct Watched {
    pub trail: String,
    pub log_group: String,
    /// The group's metric filters, or why they (or the alarms) could not be read.
    pub filters: Result<Vec<Filter>, String>,
}

/// One event class: its property, and the CloudTrail records it must alarm on.
pub struct EventClass {
    pub property: &'static str,
    samples: fn() -> Vec<Value>,
}

fn api(source: &str, name: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "eventSource": format!("{source}.amazonaws.com"),
        "eventName": name,
        "eventType": "AwsApiCall",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.10",
        "readOnly": false,
        "userIdentity": {"type": "IAMUser", "userName": "alice", "accountId": "111122223333"},
        "requestParameters": {},
        "responseElements": null
    })
}

fn calls(source: &str, names: &[&str]) -> Vec<Value> {
    names.iter().map(|n| api(source, n)).collect()
}

fn console(identity: &str, outcome: &str, mfa: &str, error: Option<&str>) -> Value {
    let mut e = json!({
        "eventVersion": "1.09",
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "eventType": "AwsConsoleSignIn",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.10",
        "readOnly": false,
        "userIdentity": {"type": identity, "accountId": "111122223333"},
        "responseElements": {"ConsoleLogin": outcome},
        "additionalEventData": {"MFAUsed": mfa, "LoginTo": "https://console.aws.amazon.com/"}
    });
    if let Some(msg) = error {
        e["errorMessage"] = json!(msg);
    }
    e
}

fn denied(source: &str, name: &str, code: &str) -> Value {
    let mut e = api(source, name);
    e["errorCode"] = json!(code);
    e["errorMessage"] = json!("You are not authorized to perform this operation.");
    e
}

/// The event classes, after CIS AWS Foundations Benchmark 4.1–4.14 (Security Hub
/// CloudWatch.1–14). VPC changes leave out the retired EC2-Classic ClassicLink calls.
pub const CLASSES: &[EventClass] = &[
    EventClass {
        property: "root_usage",
        samples: || {
            let mut call = api("iam", "CreateUser");
            call["userIdentity"] = json!({"type": "Root", "accountId": "111122223333"});
            vec![console("Root", "Success", "No", None), call]
        },
    },
    EventClass {
        property: "unauthorized_api_calls",
        samples: || {
            vec![
                denied("ec2", "RunInstances", "Client.UnauthorizedOperation"),
                denied("s3", "GetObject", "AccessDenied"),
                denied("kms", "Decrypt", "AccessDeniedException"),
            ]
        },
    },
    EventClass {
        property: "console_signin_without_mfa",
        samples: || vec![console("IAMUser", "Success", "No", None)],
    },
    EventClass {
        property: "console_authentication_failures",
        samples: || {
            vec![console(
                "IAMUser",
                "Failure",
                "No",
                Some("Failed authentication"),
            )]
        },
    },
    EventClass {
        property: "iam_policy_changes",
        samples: || {
            calls(
                "iam",
                &[
                    "DeleteGroupPolicy",
                    "DeleteRolePolicy",
                    "DeleteUserPolicy",
                    "PutGroupPolicy",
                    "PutRolePolicy",
                    "PutUserPolicy",
                    "CreatePolicy",
                    "DeletePolicy",
                    "CreatePolicyVersion",
                    "DeletePolicyVersion",
                    "AttachRolePolicy",
                    "DetachRolePolicy",
                    "AttachUserPolicy",
                    "DetachUserPolicy",
                    "AttachGroupPolicy",
                    "DetachGroupPolicy",
                ],
            )
        },
    },
    EventClass {
        property: "cloudtrail_changes",
        samples: || {
            calls(
                "cloudtrail",
                &[
                    "CreateTrail",
                    "UpdateTrail",
                    "DeleteTrail",
                    "StartLogging",
                    "StopLogging",
                ],
            )
        },
    },
    EventClass {
        property: "kms_key_disabled_or_deleted",
        samples: || calls("kms", &["DisableKey", "ScheduleKeyDeletion"]),
    },
    EventClass {
        property: "s3_bucket_policy_changes",
        samples: || {
            calls(
                "s3",
                &[
                    "PutBucketAcl",
                    "PutBucketPolicy",
                    "PutBucketCors",
                    "PutBucketLifecycle",
                    "PutBucketReplication",
                    "DeleteBucketPolicy",
                    "DeleteBucketCors",
                    "DeleteBucketLifecycle",
                    "DeleteBucketReplication",
                ],
            )
        },
    },
    EventClass {
        property: "config_changes",
        samples: || {
            calls(
                "config",
                &[
                    "StopConfigurationRecorder",
                    "DeleteDeliveryChannel",
                    "PutDeliveryChannel",
                    "PutConfigurationRecorder",
                ],
            )
        },
    },
    EventClass {
        property: "security_group_changes",
        samples: || {
            calls(
                "ec2",
                &[
                    "AuthorizeSecurityGroupIngress",
                    "AuthorizeSecurityGroupEgress",
                    "RevokeSecurityGroupIngress",
                    "RevokeSecurityGroupEgress",
                    "CreateSecurityGroup",
                    "DeleteSecurityGroup",
                ],
            )
        },
    },
    EventClass {
        property: "nacl_changes",
        samples: || {
            calls(
                "ec2",
                &[
                    "CreateNetworkAcl",
                    "CreateNetworkAclEntry",
                    "DeleteNetworkAcl",
                    "DeleteNetworkAclEntry",
                    "ReplaceNetworkAclEntry",
                    "ReplaceNetworkAclAssociation",
                ],
            )
        },
    },
    EventClass {
        property: "network_gateway_changes",
        samples: || {
            calls(
                "ec2",
                &[
                    "CreateCustomerGateway",
                    "DeleteCustomerGateway",
                    "AttachInternetGateway",
                    "CreateInternetGateway",
                    "DeleteInternetGateway",
                    "DetachInternetGateway",
                ],
            )
        },
    },
    EventClass {
        property: "route_table_changes",
        samples: || {
            calls(
                "ec2",
                &[
                    "CreateRoute",
                    "CreateRouteTable",
                    "ReplaceRoute",
                    "ReplaceRouteTableAssociation",
                    "DeleteRouteTable",
                    "DeleteRoute",
                    "DisassociateRouteTable",
                ],
            )
        },
    },
    EventClass {
        property: "vpc_changes",
        samples: || {
            calls(
                "ec2",
                &[
                    "CreateVpc",
                    "DeleteVpc",
                    "ModifyVpcAttribute",
                    "AcceptVpcPeeringConnection",
                    "CreateVpcPeeringConnection",
                    "DeleteVpcPeeringConnection",
                    "RejectVpcPeeringConnection",
                ],
            )
        },
    },
];

/// An ordinary read-only call: a filter that matches it alarms on everything.
fn benign() -> Value {
    let mut e = api("ec2", "DescribeInstances");
    e["readOnly"] = json!(true);
    e
}

// ---- CloudWatch Logs filter patterns ------------------------------------------------------

/// A parsed filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// `{ ... }`: a JSON pattern.
    Json(Expr),
    /// Terms: every `all` term, at least one `any` term (when there are some), no `none` term.
    Terms {
        all: Vec<String>,
        any: Vec<String>,
        none: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp {
        path: Vec<Step>,
        negated: bool,
        value: Literal,
    },
    Exists {
        path: Vec<Step>,
        exists: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Null,
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LBrace,
    RBrace,
    LParen,
    RParen,
    And,
    Or,
    Eq,
    Ne,
    Word(String),
    Quoted(String),
}

/// Whether a bare word ends at `i`: whitespace, a bracket, `=`, a quote, or an operator.
fn ends_word(chars: &[char], i: usize) -> bool {
    let next = chars.get(i + 1);
    match chars[i] {
        c if c.is_whitespace() => true,
        '{' | '}' | '(' | ')' | '=' | '"' => true,
        '!' => next == Some(&'='),
        '&' => next == Some(&'&'),
        '|' => next == Some(&'|'),
        _ => false,
    }
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '{' => {
                out.push(Tok::LBrace);
                i += 1
            }
            '}' => {
                out.push(Tok::RBrace);
                i += 1
            }
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            '&' if chars.get(i + 1) == Some(&'&') => {
                out.push(Tok::And);
                i += 2
            }
            '|' if chars.get(i + 1) == Some(&'|') => {
                out.push(Tok::Or);
                i += 2
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Tok::Ne);
                i += 2
            }
            '=' => {
                out.push(Tok::Eq);
                i += 1
            }
            '<' | '>' => return Err("numeric comparisons are not read".into()),
            '%' => return Err("regular expressions are not read".into()),
            '"' => {
                let mut v = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated string".into()),
                        Some('\\') => {
                            if let Some(n) = chars.get(i + 1) {
                                v.push(*n);
                            }
                            i += 2;
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            v.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Quoted(v));
            }
            _ => {
                let start = i;
                while i < chars.len() && !ends_word(&chars, i) {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

/// Parses a filter pattern; an error says what is not understood.
pub fn parse(pattern: &str) -> Result<Pattern, String> {
    let trimmed = pattern.trim();
    if trimmed.starts_with('[') {
        return Err("space-delimited patterns are not read".into());
    }
    let toks = tokenize(trimmed)?;
    if toks.first() == Some(&Tok::LBrace) {
        if toks.last() != Some(&Tok::RBrace) {
            return Err("a JSON pattern must end with `}`".into());
        }
        let inner = &toks[1..toks.len() - 1];
        let mut pos = 0;
        let e = or_expr(inner, &mut pos)?;
        if pos != inner.len() {
            return Err("unexpected text after the expression".into());
        }
        return Ok(Pattern::Json(e));
    }
    let (mut all, mut any, mut none) = (Vec::new(), Vec::new(), Vec::new());
    for t in toks {
        match t {
            Tok::Quoted(s) => all.push(s),
            Tok::Word(w) => {
                if let Some(rest) = w.strip_prefix('?') {
                    any.push(rest.trim_matches('"').to_string());
                } else if let Some(rest) = w.strip_prefix('-') {
                    none.push(rest.trim_matches('"').to_string());
                } else {
                    all.push(w);
                }
            }
            _ => return Err("operators outside `{ }` are not read".into()),
        }
    }
    Ok(Pattern::Terms { all, any, none })
}

fn or_expr(t: &[Tok], pos: &mut usize) -> Result<Expr, String> {
    let mut left = and_expr(t, pos)?;
    while t.get(*pos) == Some(&Tok::Or) {
        *pos += 1;
        let right = and_expr(t, pos)?;
        left = Expr::Or(Box::new(left), Box::new(right));
    }
    Ok(left)
}

fn and_expr(t: &[Tok], pos: &mut usize) -> Result<Expr, String> {
    let mut left = primary(t, pos)?;
    while t.get(*pos) == Some(&Tok::And) {
        *pos += 1;
        let right = primary(t, pos)?;
        left = Expr::And(Box::new(left), Box::new(right));
    }
    Ok(left)
}

fn primary(t: &[Tok], pos: &mut usize) -> Result<Expr, String> {
    match t.get(*pos) {
        Some(Tok::LParen) => {
            *pos += 1;
            let e = or_expr(t, pos)?;
            if t.get(*pos) != Some(&Tok::RParen) {
                return Err("missing `)`".into());
            }
            *pos += 1;
            Ok(e)
        }
        Some(Tok::Word(w)) if w.starts_with('$') => {
            let path = selector(w)?;
            *pos += 1;
            let word = |p: usize| match t.get(p) {
                Some(Tok::Word(w)) => Some(w.to_ascii_uppercase()),
                _ => None,
            };
            match (t.get(*pos), word(*pos).as_deref()) {
                (Some(Tok::Eq), _) | (Some(Tok::Ne), _) => {
                    let negated = t[*pos] == Tok::Ne;
                    *pos += 1;
                    let value = match t.get(*pos) {
                        Some(Tok::Quoted(s)) => Literal::Str(s.clone()),
                        Some(Tok::Word(w)) => match w.as_str() {
                            "NULL" => Literal::Null,
                            "TRUE" | "true" => Literal::Bool(true),
                            "FALSE" | "false" => Literal::Bool(false),
                            _ => Literal::Str(w.clone()),
                        },
                        _ => return Err("a comparison needs a value".into()),
                    };
                    *pos += 1;
                    Ok(Expr::Cmp {
                        path,
                        negated,
                        value,
                    })
                }
                (_, Some("NOT")) if word(*pos + 1).as_deref() == Some("EXISTS") => {
                    *pos += 2;
                    Ok(Expr::Exists {
                        path,
                        exists: false,
                    })
                }
                (_, Some("EXISTS")) => {
                    *pos += 1;
                    Ok(Expr::Exists { path, exists: true })
                }
                (_, Some("IS")) => {
                    let value = match word(*pos + 1).as_deref() {
                        Some("NULL") => Literal::Null,
                        Some("TRUE") => Literal::Bool(true),
                        Some("FALSE") => Literal::Bool(false),
                        _ => return Err("`IS` takes NULL, TRUE or FALSE".into()),
                    };
                    *pos += 2;
                    Ok(Expr::Cmp {
                        path,
                        negated: false,
                        value,
                    })
                }
                _ => Err(format!("`{w}` is not followed by an operator that is read")),
            }
        }
        _ => Err("expected a selector (`$.field`) or `(`".into()),
    }
}

fn selector(w: &str) -> Result<Vec<Step>, String> {
    let rest = w
        .strip_prefix("$.")
        .ok_or_else(|| format!("selector `{w}` must start with `$.`"))?;
    let mut out = Vec::new();
    for part in rest.split('.') {
        let (key, mut idx) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() || key == "*" {
            return Err(format!("selector `{w}` is not read"));
        }
        out.push(Step::Key(key.to_string()));
        while let Some(r) = idx.strip_prefix('[') {
            let end = r.find(']').ok_or("missing `]`")?;
            let n: usize = r[..end]
                .parse()
                .map_err(|_| format!("selector `{w}` is not read"))?;
            out.push(Step::Index(n));
            idx = &r[end + 1..];
        }
    }
    Ok(out)
}

fn lookup<'a>(event: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut v = event;
    for s in path {
        v = match s {
            Step::Key(k) => v.get(k)?,
            Step::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

fn eval(e: &Expr, event: &Value) -> bool {
    match e {
        Expr::And(a, b) => eval(a, event) && eval(b, event),
        Expr::Or(a, b) => eval(a, event) || eval(b, event),
        Expr::Exists { path, exists } => lookup(event, path).is_some() == *exists,
        Expr::Cmp {
            path,
            negated,
            value,
        } => {
            let Some(found) = lookup(event, path) else {
                // An absent field matches neither `=` nor `!=`.
                return false;
            };
            let equal = match (value, found) {
                (Literal::Null, v) => v.is_null(),
                (Literal::Bool(b), Value::Bool(v)) => b == v,
                (Literal::Bool(_), _) => false,
                (Literal::Str(p), Value::String(s)) => crate::iam_doc::glob(p, s),
                (Literal::Str(p), Value::Number(n)) => crate::iam_doc::glob(p, &n.to_string()),
                (Literal::Str(p), Value::Bool(b)) => p.eq_ignore_ascii_case(&b.to_string()),
                (Literal::Str(_), _) => false,
            };
            equal != *negated
        }
    }
}

impl Pattern {
    /// Whether the pattern matches a CloudTrail record as delivered to CloudWatch Logs.
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            Pattern::Json(e) => eval(e, event),
            Pattern::Terms { all, any, none } => {
                let text = event.to_string();
                all.iter().all(|t| text.contains(t.as_str()))
                    && (any.is_empty() || any.iter().any(|t| text.contains(t.as_str())))
                    && !none.iter().any(|t| text.contains(t.as_str()))
            }
        }
    }
}

/// Whether the alarmed filters monitor one event class: `Ok(true)` when every sample is
/// matched by an alarmed filter that does not match the ordinary call; `Err` when it is not
/// monitored by what was understood but a filter that was not understood might.
pub fn monitors(class: &EventClass, filters: &[Filter]) -> Result<bool, String> {
    let ordinary = benign();
    let mut understood = Vec::new();
    let mut not_understood = Vec::new();
    for f in filters.iter().filter(|f| f.alarmed) {
        match parse(&f.pattern) {
            Ok(p) if !p.matches(&ordinary) => understood.push(p),
            Ok(_) => {}
            Err(why) => not_understood.push(format!("metric filter `{}`: {why}", f.name)),
        }
    }
    let covered = (class.samples)()
        .iter()
        .all(|s| understood.iter().any(|p| p.matches(s)));
    if covered || not_understood.is_empty() {
        Ok(covered)
    } else {
        Err(not_understood.join("; "))
    }
}

/// The account's monitoring resource, from every monitored trail the scan read; `failures`
/// are the regions whose trails could not be listed.
pub fn account_resource(account: &str, watched: &[Watched], failures: &[String]) -> Resource {
    let mut p = Props::default();
    let groups: Vec<&str> = watched.iter().map(|w| w.log_group.as_str()).collect();
    p.set("trail_log_groups", groups);
    for class in CLASSES {
        let mut reasons: Vec<String> = failures.to_vec();
        let mut on = false;
        for w in watched {
            match &w.filters {
                Ok(filters) => match monitors(class, filters) {
                    Ok(true) => on = true,
                    Ok(false) => {}
                    Err(why) => reasons.push(format!("trail {}, {}: {why}", w.trail, w.log_group)),
                },
                Err(why) => reasons.push(why.clone()),
            }
        }
        if on || reasons.is_empty() {
            p.set(class.property, on);
        } else {
            p.unknown(class.property, reasons.join("; "));
        }
    }
    p.into_resource(resource(
        KIND,
        format!("arn:aws:cloudwatch::{account}:monitoring"),
        account,
        "global",
        account.to_string(),
        BTreeMap::new(),
    ))
}

/// The alarms of a region that have actions: metric (namespace, name) pairs.
pub fn alarmed_metrics(
    alarms: &[aws_sdk_cloudwatch::types::MetricAlarm],
) -> std::collections::BTreeSet<(String, String)> {
    alarms
        .iter()
        .filter(|a| a.actions_enabled().unwrap_or(false) && !a.alarm_actions().is_empty())
        .filter_map(|a| Some((a.namespace()?.to_string(), a.metric_name()?.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(pattern: &str) -> Vec<Filter> {
        vec![Filter {
            name: "f".into(),
            pattern: pattern.into(),
            alarmed: true,
        }]
    }

    fn class(p: &str) -> &'static EventClass {
        CLASSES.iter().find(|c| c.property == p).unwrap()
    }

    const CIS_ROOT: &str = r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;

    #[test]
    fn the_cis_patterns_monitor_their_class() {
        for (prop, pattern) in [
            ("root_usage", CIS_ROOT),
            ("unauthorized_api_calls", r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#),
            ("console_signin_without_mfa", r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#),
            ("console_authentication_failures", r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#),
            ("iam_policy_changes", "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"),
            ("cloudtrail_changes", "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"),
            ("kms_key_disabled_or_deleted", "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"),
            ("s3_bucket_policy_changes", "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"),
            ("security_group_changes", "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"),
            ("nacl_changes", "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"),
        ] {
            assert_eq!(monitors(class(prop), &filter(pattern)), Ok(true), "{prop}");
        }
    }

    #[test]
    fn look_alike_patterns_do_not() {
        // Only service events by root: never a console sign-in.
        let wrong = CIS_ROOT.replace("!=", "=");
        assert_eq!(monitors(class("root_usage"), &filter(&wrong)), Ok(false));
        // Root API calls only: console sign-ins are missed.
        let api_only = r#"{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }"#;
        assert_eq!(monitors(class("root_usage"), &filter(api_only)), Ok(false));
        // Half the IAM policy calls.
        let half = "{ ($.eventName = PutUserPolicy) || ($.eventName = AttachUserPolicy) }";
        assert_eq!(
            monitors(class("iam_policy_changes"), &filter(half)),
            Ok(false)
        );
        // Everything: no alert at all.
        assert_eq!(monitors(class("root_usage"), &filter("")), Ok(false));
        assert_eq!(
            monitors(class("root_usage"), &filter(r#"{ $.eventName = "*" }"#)),
            Ok(false)
        );
        // A filter without an alarm with actions.
        let mut f = filter(CIS_ROOT);
        f[0].alarmed = false;
        assert_eq!(monitors(class("root_usage"), &f), Ok(false));
        // Not understood: unknown, unless something else already covers the class.
        let regex = filter(r#"{ $.eventName = %Console.*% }"#);
        assert!(monitors(class("console_authentication_failures"), &regex).is_err());
        let mut both = filter(CIS_ROOT);
        both.extend(regex);
        assert_eq!(monitors(class("root_usage"), &both), Ok(true));
    }

    #[test]
    fn split_and_combined_filters_count() {
        let a = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }";
        let b = "{ ($.eventName = StartLogging) || ($.eventName = StopLogging) }";
        let mut f = filter(a);
        f.extend(filter(b));
        assert_eq!(monitors(class("cloudtrail_changes"), &f), Ok(true));
        let combined = format!(
            "{{ ({}) || ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }}",
            CIS_ROOT.trim_start_matches('{').trim_end_matches('}')
        );
        assert_eq!(monitors(class("root_usage"), &filter(&combined)), Ok(true));
        assert_eq!(
            monitors(class("cloudtrail_changes"), &filter(&combined)),
            Ok(true)
        );
        // A term pattern.
        assert_eq!(
            monitors(
                class("console_authentication_failures"),
                &filter(r#""Failed authentication" ConsoleLogin"#)
            ),
            Ok(true)
        );
    }
}
