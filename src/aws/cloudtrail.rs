//! CloudTrail: the trails whose home is a region, with status and event selectors.

use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType};
use aws_sdk_cloudtrail::Client;
use serde_json::{json, Value};

use crate::model::Resource;

use super::monitoring::{self, Filter, Watched};
use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const TRAIL: &str = "aws.cloudtrail.trail";

/// Trails of one region, and whether the region could be read.
pub struct Trails {
    pub found: Found,
    /// A multi-region trail here is logging management events.
    pub account_wide_logging: bool,
    /// The region could not be listed: the account-wide fact is unknown, not false.
    pub failed: Option<String>,
    /// Multi-region trails here that log every management event to CloudWatch Logs, with the
    /// metric filters and alarms on their log group.
    pub watched: Vec<Watched>,
    /// What each trail here records of S3 data events.
    pub data_events: Vec<DataEvents>,
}

/// The S3 data events one trail records, reads and writes both.
#[derive(Debug, Clone)]
pub struct DataEvents {
    pub home_region: String,
    pub multi_region: bool,
    /// Logging, with selectors read: `Err` when either could not be read.
    pub selectors: Result<Vec<S3Selector>, String>,
}

/// One selector's S3 objects: ARN prefixes it takes (empty = every bucket) and leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Selector {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl S3Selector {
    /// Whether every object of the bucket (`arn:PARTITION:s3:::NAME`) is selected.
    pub fn covers(&self, bucket_arn: &str) -> bool {
        let objects = format!("{bucket_arn}/");
        let partition_all = |p: &str| {
            // `arn:aws:s3` or `arn:aws:s3:::` select every bucket of the partition.
            let p = p.trim_end_matches(':');
            objects.starts_with(p) && p.split(':').count() <= 3
        };
        let included = self.include.is_empty()
            || self
                .include
                .iter()
                .any(|p| partition_all(p) || objects.starts_with(p.as_str()));
        // An exclusion of a prefix inside the bucket leaves part of it out.
        let excluded = self.exclude.iter().any(|p| {
            objects.starts_with(p.as_str()) || p.starts_with(objects.as_str()) || partition_all(p)
        });
        included && !excluded
    }
}

/// S3 object data events that a trail's selectors record for reads and writes alike.
pub fn s3_data_selectors(
    basic: &[EventSelector],
    advanced: &[AdvancedEventSelector],
) -> Vec<S3Selector> {
    let mut out = Vec::new();
    for e in basic {
        if e.read_write_type()
            .is_some_and(|t| *t != ReadWriteType::All)
        {
            continue;
        }
        for d in e.data_resources() {
            if d.r#type() == Some("AWS::S3::Object") && !d.values().is_empty() {
                out.push(S3Selector {
                    include: d.values().to_vec(),
                    exclude: Vec::new(),
                });
            }
        }
    }
    for a in advanced {
        let fields = a.field_selectors();
        let is = |name: &str, value: &str| {
            fields
                .iter()
                .any(|f| f.field() == name && f.equals().iter().any(|v| v == value))
        };
        if !is("eventCategory", "Data") || !is("resources.type", "AWS::S3::Object") {
            continue;
        }
        let mut sel = S3Selector::default();
        let mut narrowed = false;
        for f in fields {
            match f.field() {
                "eventCategory" | "resources.type" => {}
                "resources.ARN" => {
                    sel.include.extend(f.equals().iter().cloned());
                    sel.include.extend(f.starts_with().iter().cloned());
                    sel.exclude.extend(f.not_equals().iter().cloned());
                    sel.exclude.extend(f.not_starts_with().iter().cloned());
                    // Suffix filters pick objects by name: part of a bucket only.
                    if !f.ends_with().is_empty() || !f.not_ends_with().is_empty() {
                        narrowed = true;
                    }
                    if f.equals().is_empty()
                        && f.starts_with().is_empty()
                        && !f.ends_with().is_empty()
                    {
                        narrowed = true;
                    }
                }
                // Only reads, only writes, some event names or callers: not every access.
                _ => narrowed = true,
            }
        }
        if !narrowed {
            out.push(sel);
        }
    }
    out
}

/// Sets `data_events_logged` on every S3 bucket: some logging trail (multi-region, or homed in
/// the bucket's region) records reads and writes of all its objects. Unknown when it is not
/// found and a region or trail could not be read.
pub fn mark_data_events(resources: &mut [Resource], trails: &[Trails]) {
    let failures: Vec<String> = trails.iter().filter_map(|t| t.failed.clone()).collect();
    let all_events: Vec<&DataEvents> = trails.iter().flat_map(|t| &t.data_events).collect();
    for r in resources.iter_mut().filter(|r| r.kind == "aws.s3.bucket") {
        let mut reasons = failures.clone();
        let mut covered = false;
        for d in &all_events {
            if !d.multi_region && d.home_region != r.region {
                continue;
            }
            match &d.selectors {
                Ok(list) => covered |= list.iter().any(|s| s.covers(&r.id)),
                Err(why) => reasons.push(why.clone()),
            }
        }
        if covered || reasons.is_empty() {
            r.unknown.remove("data_events_logged");
            r.properties
                .insert("data_events_logged".into(), Value::Bool(covered));
        } else {
            r.properties.remove("data_events_logged");
            r.unknown
                .insert("data_events_logged".into(), reasons.join("; "));
        }
    }
}

/// The account's log-in monitoring resource (see [`monitoring`]).
pub fn monitoring_resource(account: &str, trails: &[Trails]) -> Resource {
    let failures: Vec<String> = trails.iter().filter_map(|t| t.failed.clone()).collect();
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
                watched: Vec::new(),
                data_events: Vec::new(),
            };
        }
    };
    let mut watched = Vec::new();
    let mut data_events = Vec::new();
    for t in trails {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let name = t.name().unwrap_or_default().to_string();
        let mut p = Props::default();
        let multi = t.is_multi_region_trail().unwrap_or(false);
        let mut logging_unknown = String::new();
        p.set("multi_region", multi);
        p.set(
            "log_file_validation",
            t.log_file_validation_enabled().unwrap_or(false),
        );
        p.set(
            "kms_key_id",
            t.kms_key_id().map_or(Value::Null, |k| json!(k)),
        );
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
                Some(on)
            }
            Err(e) => {
                let why = describe("cloudtrail:GetEventSelectors", &e);
                p.unknown("management_events", why.clone());
                p.unknown("s3_data_events", why.clone());
                s3_selectors = Err(why);
                None
            }
        };
        if multi && logging == Some(true) && management == Some(true) {
            account_wide_logging = true;
            if let Some(group) = log_group {
                watched.push(watch(ctx, &arn, group).await);
            }
        }
        let home = t.home_region().unwrap_or(region).to_string();
        data_events.push(DataEvents {
            home_region: home.clone(),
            multi_region: multi,
            selectors: match logging {
                // A trail that is not logging records nothing.
                Some(false) => Ok(Vec::new()),
                Some(true) => s3_selectors,
                None => Err(logging_unknown),
            },
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
mod tests {
    use super::all_management_events;
    use aws_sdk_cloudtrail::types::{
        AdvancedEventSelector, AdvancedFieldSelector, EventSelector, ReadWriteType,
    };

    fn basic(rw: ReadWriteType, exclude: &[&str]) -> EventSelector {
        let mut b = EventSelector::builder()
            .include_management_events(true)
            .read_write_type(rw);
        for e in exclude {
            b = b.exclude_management_event_sources(*e);
        }
        b.build()
    }

    fn field(name: &str, equals: &[&str], not_equals: &[&str]) -> AdvancedFieldSelector {
        let mut f = AdvancedFieldSelector::builder().field(name);
        for e in equals {
            f = f.equals(*e);
        }
        for e in not_equals {
            f = f.not_equals(*e);
        }
        f.build().unwrap()
    }

    fn advanced(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector::builder()
            .set_field_selectors(Some(fields))
            .build()
            .unwrap()
    }

    #[test]
    fn every_management_event_or_not() {
        assert!(all_management_events(&[], &[]));
        assert!(all_management_events(
            &[basic(ReadWriteType::All, &[])],
            &[]
        ));
        assert!(!all_management_events(
            &[basic(ReadWriteType::WriteOnly, &[])],
            &[]
        ));
        assert!(!all_management_events(
            &[basic(ReadWriteType::All, &["kms.amazonaws.com"])],
            &[]
        ));
        let mgmt = field("eventCategory", &["Management"], &[]);
        assert!(all_management_events(&[], &[advanced(vec![mgmt.clone()])]));
        assert!(!all_management_events(
            &[],
            &[advanced(vec![
                mgmt.clone(),
                field("readOnly", &["false"], &[])
            ])]
        ));
        assert!(!all_management_events(
            &[],
            &[advanced(vec![
                mgmt.clone(),
                field("eventSource", &[], &["rdsdata.amazonaws.com"])
            ])]
        ));
        assert!(all_management_events(
            &[],
            &[advanced(vec![
                mgmt,
                field("eventSource", &[], &["ec2.amazonaws.com"])
            ])]
        ));
        let data_only = field("eventCategory", &["Data"], &[]);
        assert!(!all_management_events(&[], &[advanced(vec![data_only])]));
    }

    #[test]
    fn s3_data_event_selectors_cover_whole_buckets_only() {
        use super::S3Selector;
        let sel = |inc: &[&str], exc: &[&str]| S3Selector {
            include: inc.iter().map(|s| s.to_string()).collect(),
            exclude: exc.iter().map(|s| s.to_string()).collect(),
        };
        let b = "arn:aws:s3:::phi";
        assert!(sel(&[], &[]).covers(b));
        assert!(sel(&["arn:aws:s3"], &[]).covers(b));
        assert!(sel(&["arn:aws:s3:::"], &[]).covers(b));
        assert!(sel(&["arn:aws:s3:::phi/"], &[]).covers(b));
        assert!(!sel(&["arn:aws:s3:::phi/reports/"], &[]).covers(b));
        assert!(!sel(&["arn:aws:s3:::other/"], &[]).covers(b));
        assert!(!sel(&[], &["arn:aws:s3:::phi/tmp/"]).covers(b));
        assert!(sel(&[], &["arn:aws:s3:::other/"]).covers(b));
    }
}
