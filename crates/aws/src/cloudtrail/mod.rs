//! CloudTrail: the trails whose home is a region, with status and event selectors.

use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType};
use aws_sdk_cloudtrail::Client;
use serde_json::{json, Value};

use hipaa_scan_core::model::Resource;

use super::monitoring::{self, Filter, Watched};
use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

mod data_events;
pub(crate) use data_events::*;

const TRAIL: &str = "aws.cloudtrail.trail";

/// Trails of one region, and whether the region could be read.
pub struct Trails {
    pub found: Found,
    /// A multi-region trail here is logging management events.
    pub account_wide_logging: bool,
    /// The region could not be listed: the account-wide fact is unknown, not false.
    pub failed: Option<String>,
    /// A multi-region trail here whose status or event selectors could not be read (and that
    /// was not seen to be off): it may be the account-wide trail, so without another that fact
    /// is unknown, not false.
    pub unsettled: Vec<String>,
    /// Those of [`Trails::unsettled`] that deliver to CloudWatch Logs, and so may be what the
    /// account's metric filters and alarms watch.
    pub unsettled_watched: Vec<String>,
    /// Multi-region trails here that log every management event to CloudWatch Logs, with the
    /// metric filters and alarms on their log group.
    pub watched: Vec<Watched>,
    /// What each trail here records of S3 data events.
    pub data_events: Vec<DataEvents>,
}

/// Copies the facts of each trail's log bucket onto the trail: access logging, Object Lock,
/// and whether it is public (as `aws-s3-not-public` judges a bucket). A bucket this scan did not
/// read (another account's central log bucket, or a failed listing) leaves them unknown.
pub fn mark_trail_buckets(resources: &mut [Resource]) {
    let buckets: std::collections::HashMap<String, Resource> = resources
        .iter()
        .filter(|r| r.kind == "aws.s3.bucket")
        .map(|r| (r.name.clone(), r.clone()))
        .collect();
    for t in resources.iter_mut().filter(|r| r.kind == TRAIL) {
        let Some(name) = t
            .properties
            .get("s3_bucket")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        let Some(b) = buckets.get(&name) else {
            let why = format!(
                "the log bucket {name} is not among the buckets this scan read (another account's, or S3 could not be listed)"
            );
            for prop in [
                "bucket_access_logging",
                "bucket_object_lock",
                "bucket_public",
            ] {
                t.unknown.insert(prop.into(), why.clone());
            }
            continue;
        };
        for (from, to) in [
            ("access_logging_enabled", "bucket_access_logging"),
            ("object_lock_enabled", "bucket_object_lock"),
        ] {
            match b.properties.get(from).and_then(Value::as_bool) {
                Some(v) => {
                    t.properties.insert(to.into(), Value::Bool(v));
                }
                None => {
                    let why = b
                        .unknown_reason(from)
                        .unwrap_or_else(|| format!("bucket {name}: `{from}` was not read"));
                    t.unknown.insert(to.into(), why);
                }
            }
        }
        match bucket_public(b) {
            Ok(v) => {
                t.properties.insert("bucket_public".into(), Value::Bool(v));
            }
            Err(why) => {
                t.unknown.insert("bucket_public".into(), why);
            }
        }
    }
}

/// `aws-s3-not-public`'s reading of a bucket, negated: a public ACL not ignored, or a public
/// policy not restricted, by the bucket's or the account's Block Public Access.
fn bucket_public(b: &Resource) -> Result<bool, String> {
    let get = |prop: &str| -> Result<&Value, String> {
        b.properties.get(prop).ok_or_else(|| {
            b.unknown_reason(prop)
                .unwrap_or_else(|| format!("bucket {}: `{prop}` was not read", b.name))
        })
    };
    let blocked = |setting: &str| -> Result<bool, String> {
        let own = get("public_access_block")?;
        let account = get("account_public_access_block")?;
        Ok([own, account]
            .iter()
            .any(|v| v.get(setting).and_then(Value::as_bool) == Some(true)))
    };
    let acl = get("acl_grants_public")?.as_bool() == Some(true);
    let policy = get("policy_allows_public")?.as_bool() == Some(true);
    Ok(
        (acl && !blocked("ignore_public_acls")?)
            || (policy && !blocked("restrict_public_buckets")?),
    )
}

/// The account's log-in monitoring resource (see [`monitoring`]).
pub fn monitoring_resource(account: &str, trails: &[Trails]) -> Resource {
    let failures: Vec<String> = trails
        .iter()
        .flat_map(|t| t.failed.iter().chain(&t.unsettled_watched).cloned())
        .collect();
    let watched: Vec<Watched> = trails.iter().flat_map(|t| t.watched.clone()).collect();
    monitoring::account_resource(account, &watched, &failures)
}

/// The metric filters on a log group, each with whether its metric has an alarm with actions.
async fn watch(ctx: &Ctx, trail: &str, log_group_arn: &str) -> Watched {
    // arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*
    let parts: Vec<&str> = log_group_arn.splitn(7, ':').collect();
    let (region, name) = match parts.as_slice() {
        [_, _, _, region, _, "log-group", rest] => {
            (region.to_string(), rest.trim_end_matches(":*").to_string())
        }
        _ => {
            return Watched {
                trail: trail.to_string(),
                log_group: log_group_arn.to_string(),
                filters: Err(format!(
                    "cloudtrail:DescribeTrails: log group `{log_group_arn}` is not a log group ARN"
                )),
            }
        }
    };
    let conf = ctx.config_for(&region);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let cw = aws_sdk_cloudwatch::Client::new(&conf);
    let (filters, alarms) = tokio::join!(
        async {
            all(
                "logs:DescribeMetricFilters",
                logs.describe_metric_filters()
                    .log_group_name(&name)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Vec<_>>()
                    .await,
            )
        },
        async {
            all(
                "cloudwatch:DescribeAlarms",
                cw.describe_alarms()
                    .into_paginator()
                    .send()
                    .collect::<Vec<_>>()
                    .await,
            )
        }
    );
    let filters = match (filters, alarms) {
        (Ok(filters), Ok(pages)) => {
            let alarmed = monitoring::alarmed_metrics(
                &pages
                    .iter()
                    .flat_map(|p| p.metric_alarms().iter().cloned())
                    .collect::<Vec<_>>(),
            );
            Ok(filters
                .iter()
                .map(|f| Filter {
                    name: f.filter_name().unwrap_or_default().to_string(),
                    pattern: f.filter_pattern().unwrap_or_default().to_string(),
                    alarmed: f.metric_transformations().iter().any(|m| {
                        alarmed.contains(&(
                            m.metric_namespace().to_string(),
                            m.metric_name().to_string(),
                        ))
                    }),
                })
                .collect())
        }
        (Err(why), _) | (_, Err(why)) => Err(why),
    };
    Watched {
        trail: trail.to_string(),
        log_group: log_group_arn.to_string(),
        filters,
    }
}

pub async fn collect(ctx: &Ctx, region: &str) -> Trails {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let mut account_wide_logging = false;
    let trails = match client
        .describe_trails()
        .include_shadow_trails(false)
        .send()
        .await
    {
        Ok(out) => out.trail_list().to_vec(),
        Err(e) => {
            let why = describe("cloudtrail:DescribeTrails", &e);
            found.gap(&ctx.account, Some(region), &[TRAIL], why.clone());
            ctx.progress.done(&format!("cloudtrail {region}"));
            return Trails {
                found,
                account_wide_logging,
                failed: Some(why),
                unsettled: Vec::new(),
                unsettled_watched: Vec::new(),
                watched: Vec::new(),
                data_events: Vec::new(),
            };
        }
    };
    let mut watched = Vec::new();
    let mut data_events = Vec::new();
    let (mut unsettled, mut unsettled_watched) = (Vec::new(), Vec::new());
    for t in trails {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let name = t.name().unwrap_or_default().to_string();
        let mut p = Props::default();
        let multi = t.is_multi_region_trail().unwrap_or(false);
        let mut logging_unknown = String::new();
        let mut management_unknown = String::new();
        p.set("multi_region", multi);
        p.set(
            "log_file_validation",
            t.log_file_validation_enabled().unwrap_or(false),
        );
        p.set(
            "kms_key_id",
            t.kms_key_id().map_or(Value::Null, |k| json!(k)),
        );
        match t.s3_bucket_name().filter(|b| !b.is_empty()) {
            Some(b) => p.set("s3_bucket", b),
            None => {
                let why = "cloudtrail:DescribeTrails: the answer had no `S3BucketName`";
                for prop in [
                    "s3_bucket",
                    "bucket_access_logging",
                    "bucket_object_lock",
                    "bucket_public",
                ] {
                    p.unknown(prop, why);
                }
            }
        }
        let logging = match client.get_trail_status().name(&arn).send().await {
            Ok(s) => {
                let on = s.is_logging().unwrap_or(false);
                p.set("is_logging", on);
                Some(on)
            }
            Err(e) => {
                let why = describe("cloudtrail:GetTrailStatus", &e);
                p.unknown("is_logging", why.clone());
                logging_unknown = why;
                None
            }
        };
        let log_group = t.cloud_watch_logs_log_group_arn().filter(|g| !g.is_empty());
        p.set(
            "cloudwatch_logs_log_group",
            log_group.map_or(Value::Null, |g| json!(g)),
        );
        let s3_selectors;
        let other_selectors: Result<(Vec<S3Selector>, Vec<S3Selector>), String>;
        let management = match client.get_event_selectors().trail_name(&arn).send().await {
            Ok(s) => {
                let on = all_management_events(s.event_selectors(), s.advanced_event_selectors());
                p.set("management_events", on);
                let sel = s3_data_selectors(s.event_selectors(), s.advanced_event_selectors());
                let listed: Vec<String> = sel
                    .iter()
                    .map(|s| {
                        let inc = if s.include.is_empty() {
                            "every bucket".to_string()
                        } else {
                            s.include.join(", ")
                        };
                        if s.exclude.is_empty() {
                            inc
                        } else {
                            format!("{inc} except {}", s.exclude.join(", "))
                        }
                    })
                    .collect();
                p.set("s3_data_events", listed);
                s3_selectors = Ok(sel);
                other_selectors = Ok((
                    resource_data_selectors(
                        s.event_selectors(),
                        s.advanced_event_selectors(),
                        "AWS::DynamoDB::Table",
                    ),
                    resource_data_selectors(
                        s.event_selectors(),
                        s.advanced_event_selectors(),
                        "AWS::Lambda::Function",
                    ),
                ));
                Some(on)
            }
            Err(e) => {
                let why = describe("cloudtrail:GetEventSelectors", &e);
                management_unknown = why.clone();
                p.unknown("management_events", why.clone());
                p.unknown("s3_data_events", why.clone());
                s3_selectors = Err(why.clone());
                other_selectors = Err(why);
                None
            }
        };
        if multi && logging != Some(false) && management != Some(false) {
            let reasons: Vec<&str> = [
                (&logging, &logging_unknown),
                (&management, &management_unknown),
            ]
            .into_iter()
            .filter(|(v, _)| v.is_none())
            .map(|(_, why)| why.as_str())
            .collect();
            if !reasons.is_empty() {
                let why = format!("trail {name}: {}", reasons.join("; "));
                if log_group.is_some() {
                    unsettled_watched.push(why.clone());
                }
                unsettled.push(why);
            }
        }
        if multi && logging == Some(true) && management == Some(true) {
            account_wide_logging = true;
            if let Some(group) = log_group {
                watched.push(watch(ctx, &arn, group).await);
            }
        }
        let home = t.home_region().unwrap_or(region).to_string();
        let (dynamodb, lambda) = match (logging, other_selectors) {
            (Some(false), _) => (Ok(Vec::new()), Ok(Vec::new())),
            (Some(true), Ok((d, l))) => (Ok(d), Ok(l)),
            (Some(true), Err(why)) => (Err(why.clone()), Err(why)),
            (None, _) => (Err(logging_unknown.clone()), Err(logging_unknown.clone())),
        };
        data_events.push(DataEvents {
            home_region: home.clone(),
            multi_region: multi,
            selectors: match logging {
                // A trail that is not logging records nothing.
                Some(false) => Ok(Vec::new()),
                Some(true) => s3_selectors,
                None => Err(logging_unknown),
            },
            dynamodb,
            lambda,
        });
        found.resources.push(p.into_resource(resource(
            TRAIL,
            arn,
            &ctx.account,
            &home,
            name,
            Default::default(),
        )));
    }
    ctx.progress.done(&format!("cloudtrail {region}"));
    Trails {
        found,
        account_wide_logging,
        failed: None,
        unsettled,
        unsettled_watched,
        watched,
        data_events,
    }
}

/// Event sources a trail may exclude from management events; excluding them drops key use
/// (`kms`) or database queries through the Data API (`rdsdata`) from the audit trail.
const AUDITED_SOURCES: [&str; 2] = ["kms.amazonaws.com", "rdsdata.amazonaws.com"];

/// Whether the selectors record every management event: read and write (`ReadWriteType`
/// `All`, or advanced selectors without a `readOnly` filter), with no event source excluded
/// or singled out. A trail without selectors records them all (the CreateTrail default).
pub fn all_management_events(basic: &[EventSelector], advanced: &[AdvancedEventSelector]) -> bool {
    if basic.is_empty() && advanced.is_empty() {
        return true;
    }
    let basic_ok = basic.iter().any(|e| {
        e.include_management_events().unwrap_or(true)
            && e.read_write_type().is_none_or(|t| *t == ReadWriteType::All)
            && !e
                .exclude_management_event_sources()
                .iter()
                .any(|s| AUDITED_SOURCES.contains(&s.as_str()))
    });
    let advanced_ok = advanced.iter().any(|a| {
        let fields = a.field_selectors();
        let management = fields
            .iter()
            .any(|f| f.field() == "eventCategory" && f.equals().iter().any(|v| v == "Management"));
        let narrowed = fields.iter().any(|f| match f.field() {
            "eventCategory" => false,
            // Any readOnly filter keeps only reads or only writes.
            "readOnly" => true,
            // Singling out sources, or excluding an audited one, leaves events out.
            "eventSource" => {
                !f.equals().is_empty()
                    || !f.starts_with().is_empty()
                    || !f.ends_with().is_empty()
                    || f.not_equals()
                        .iter()
                        .chain(f.not_starts_with())
                        .any(|s| AUDITED_SOURCES.iter().any(|a| a.starts_with(s.as_str())))
            }
            _ => true,
        });
        management && !narrowed
    });
    basic_ok || advanced_ok
}

#[cfg(test)]
mod tests;
