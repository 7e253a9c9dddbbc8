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

use hipaa_scan_core::model::Resource;

use super::util::{resource, Props};

mod pattern;
use pattern::*;

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
mod tests;
