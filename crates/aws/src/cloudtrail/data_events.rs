//! Data events: which trails record object-level reads and writes for which resources.

use super::*;

/// The S3 data events one trail records, reads and writes both.
#[derive(Debug, Clone)]
pub struct DataEvents {
    pub home_region: String,
    pub multi_region: bool,
    /// Logging, with selectors read: `Err` when either could not be read.
    pub selectors: Result<Vec<S3Selector>, String>,
    /// The same for DynamoDB tables and Lambda functions.
    pub dynamodb: Result<Vec<S3Selector>, String>,
    pub lambda: Result<Vec<S3Selector>, String>,
}

/// One selector's S3 objects: ARN prefixes it takes (empty = every bucket) and leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Selector {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Resources named exactly (DynamoDB and Lambda selectors); a service-wide value such as
    /// `arn:aws:lambda` takes every resource of the service.
    pub exact: Vec<String>,
    pub exclude_exact: Vec<String>,
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

impl S3Selector {
    /// Whether a DynamoDB table or Lambda function (its ARN) is selected.
    pub fn covers_resource(&self, arn: &str) -> bool {
        let service_wide = |p: &str| {
            let p = p.trim_end_matches(':');
            arn.starts_with(p) && p.split(':').count() <= 3
        };
        let included = (self.include.is_empty() && self.exact.is_empty())
            || self.include.iter().any(|p| arn.starts_with(p.as_str()))
            || self.exact.iter().any(|p| p == arn || service_wide(p));
        let excluded = self
            .exclude
            .iter()
            .any(|p| arn.starts_with(p.as_str()) || service_wide(p))
            || self.exclude_exact.iter().any(|p| p == arn);
        included && !excluded
    }
}

/// DynamoDB (`AWS::DynamoDB::Table`) or Lambda (`AWS::Lambda::Function`) data events that a
/// trail's selectors record. Tables need reads and writes (`All`); a function's invocations are
/// write events, so `WriteOnly` (or `readOnly` = `false`) records them too.
pub fn resource_data_selectors(
    basic: &[EventSelector],
    advanced: &[AdvancedEventSelector],
    ty: &str,
) -> Vec<S3Selector> {
    let writes_suffice = ty == "AWS::Lambda::Function";
    let mut out = Vec::new();
    for e in basic {
        let rw = e.read_write_type();
        let ok = rw.is_none_or(|t| {
            *t == ReadWriteType::All || (writes_suffice && *t == ReadWriteType::WriteOnly)
        });
        if !ok {
            continue;
        }
        for d in e.data_resources() {
            if d.r#type() == Some(ty) && !d.values().is_empty() {
                out.push(S3Selector {
                    exact: d.values().to_vec(),
                    ..Default::default()
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
        if !is("eventCategory", "Data") || !is("resources.type", ty) {
            continue;
        }
        let mut sel = S3Selector::default();
        let mut narrowed = false;
        for f in fields {
            match f.field() {
                "eventCategory" | "resources.type" => {}
                "readOnly"
                    if writes_suffice
                        && f.equals().len() == 1
                        && f.equals()[0].eq_ignore_ascii_case("false")
                        && f.not_equals().is_empty() => {}
                "resources.ARN" => {
                    sel.exact.extend(f.equals().iter().cloned());
                    sel.include.extend(f.starts_with().iter().cloned());
                    sel.exclude_exact.extend(f.not_equals().iter().cloned());
                    sel.exclude.extend(f.not_starts_with().iter().cloned());
                    if !f.ends_with().is_empty() || !f.not_ends_with().is_empty() {
                        narrowed = true;
                    }
                }
                _ => narrowed = true,
            }
        }
        if !narrowed {
            out.push(sel);
        }
    }
    out
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
                    ..Default::default()
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
    mark_resource_data_events(resources, trails);
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

/// Sets `data_events_logged` on DynamoDB tables and Lambda functions, as for buckets.
pub(super) fn mark_resource_data_events(resources: &mut [Resource], trails: &[Trails]) {
    let failures: Vec<String> = trails.iter().filter_map(|t| t.failed.clone()).collect();
    let all_events: Vec<&DataEvents> = trails.iter().flat_map(|t| &t.data_events).collect();
    for r in resources.iter_mut() {
        let lambda = match r.kind.as_str() {
            "aws.dynamodb.table" => false,
            "aws.lambda.function" => true,
            _ => continue,
        };
        let mut reasons = failures.clone();
        let mut covered = false;
        for d in &all_events {
            if !d.multi_region && d.home_region != r.region {
                continue;
            }
            let sel = if lambda { &d.lambda } else { &d.dynamodb };
            match sel {
                Ok(list) => covered |= list.iter().any(|s| s.covers_resource(&r.id)),
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
