//! CloudTrail: the trails whose home is a region, with status and event selectors.

use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType};
use aws_sdk_cloudtrail::Client;
use serde_json::{json, Value};

use super::util::{describe, resource, Found, Props};
use super::Ctx;

const TRAIL: &str = "aws.cloudtrail.trail";

/// Trails of one region, and whether the region could be read.
pub struct Trails {
    pub found: Found,
    /// A multi-region trail here is logging management events.
    pub account_wide_logging: bool,
    /// The region could not be listed: the account-wide fact is unknown, not false.
    pub failed: Option<String>,
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
            };
        }
    };
    for t in trails {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let name = t.name().unwrap_or_default().to_string();
        let mut p = Props::default();
        let multi = t.is_multi_region_trail().unwrap_or(false);
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
                p.unknown("is_logging", describe("cloudtrail:GetTrailStatus", &e));
                None
            }
        };
        let management = match client.get_event_selectors().trail_name(&arn).send().await {
            Ok(s) => {
                let on = all_management_events(s.event_selectors(), s.advanced_event_selectors());
                p.set("management_events", on);
                Some(on)
            }
            Err(e) => {
                p.unknown(
                    "management_events",
                    describe("cloudtrail:GetEventSelectors", &e),
                );
                None
            }
        };
        if multi && logging == Some(true) && management == Some(true) {
            account_wide_logging = true;
        }
        let home = t.home_region().unwrap_or(region).to_string();
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
}
