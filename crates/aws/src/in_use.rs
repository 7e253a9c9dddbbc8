//! Services in use, beyond the ones the catalog reads: every resource the Resource Groups
//! Tagging API knows of in a region (`tag:GetResources`), plus SQS queues, Lambda functions and
//! Step Functions state machines listed directly (the Tagging API returns only resources that
//! are or were tagged). Each becomes a resource of kind `aws.<ARN service>.<resource type>`, so
//! the BAA eligibility check sees every service that may hold ePHI, tagged or not.

use std::collections::BTreeMap;

use aws_sdk_sqs::types::QueueAttributeName;
use serde_json::{json, Value};

use super::util::{all, code, customer_managed_key, describe, resource, Found, Props};
use super::Ctx;

/// What a failed Tagging API listing leaves unknown: which services are in use there.
pub const ANY_RESOURCE: &str = "aws.tag.resource";

/// What a failed reading of this module leaves unknown: the services in use, and the queues,
/// functions and state machines it lists directly.
pub const UNREAD: &[&str] = &[ANY_RESOURCE, QUEUE, FUNCTION, STATE_MACHINE];

const QUEUE: &str = "aws.sqs.queue";
const FUNCTION: &str = "aws.lambda.function";
const STATE_MACHINE: &str = "aws.states.state_machine";

/// The kind of an ARN: `aws.<service>.<type>`, the type being the resource part's prefix
/// (`function` in `function:name`, `table` in `table/name`) in snake case; services whose ARNs
/// carry no type name it by the service's one resource type.
pub fn kind_of_arn(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (_arn, _partition, service, _region, _account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let rest = parts.next()?;
    if service.is_empty() {
        return None;
    }
    let service = service.to_ascii_lowercase();
    let typed = if service == "apigateway" {
        // API Gateway's ARNs are paths: `/restapis/ID/stages/NAME`, `/domainnames/NAME`.
        api_gateway_type(rest)
    } else {
        rest.split_once(['/', ':'])
            .map(|(t, _)| t)
            .filter(|t| !t.is_empty())
    };
    if let Some(&(.., kind)) = typed.and_then(|t| {
        ARN_TYPES
            .iter()
            .find(|(s, ty, _)| *s == service && t.eq_ignore_ascii_case(ty))
    }) {
        return Some(kind.to_string());
    }
    let ty = match (service.as_str(), typed) {
        ("s3", None) => "bucket".to_string(),
        ("sqs", _) => "queue".to_string(),
        ("sns", _) => "topic".to_string(),
        (_, Some(t)) => hipaa_scan_core::model::kinds::type_segment(t),
        (_, None) => "resource".to_string(),
    };
    let kind = format!("aws.{service}.{ty}");
    let valid = hipaa_scan_core::model::kinds::parse_kind(&kind).is_some();
    valid.then_some(kind)
}

/// ARN resource types whose kind, read with its properties by its own reader, is named after
/// the API rather than the ARN. The scan drops the Tagging API's copy of a resource a reader
/// wrote under the same ARN; with these names it also skips one whose reader was denied or wrote
/// another id, instead of listing a tagged DB instance as `aws.rds.db` beside `aws.rds.instance`.
const ARN_TYPES: &[(&str, &str, &str)] = &[
    ("rds", "db", "aws.rds.instance"),
    ("rds", "cluster-snapshot", "aws.rds.snapshot"),
    ("dms", "rep", "aws.dms.replication_instance"),
    ("backup", "backup-plan", "aws.backup.plan"),
    ("backup", "backup-vault", "aws.backup.vault"),
    (
        "elasticache",
        "replicationgroup",
        "aws.elasticache.replication_group",
    ),
    (
        "elasticloadbalancing",
        "loadbalancer",
        "aws.elasticloadbalancing.load_balancer",
    ),
    ("apigateway", "stages", "aws.apigateway.stage"),
    ("apigateway", "domainnames", "aws.apigateway.domain_name"),
    ("apigateway", "restapis", "aws.apigateway.rest_api"),
];

/// The resource type of an API Gateway ARN's path: its last collection (`stages` in
/// `/restapis/ID/stages/NAME`, `restapis` in `/restapis/ID`).
fn api_gateway_type(path: &str) -> Option<&str> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    segments
        .len()
        .checked_sub(2)
        .filter(|i| i % 2 == 0)
        .map(|i| segments[i])
}

/// Whether a resource policy is public by S3's definition; no policy (or an empty one) is not.
pub fn public_policy(op: &str, text: Option<&str>) -> Result<bool, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(false),
        Some(t) => hipaa_scan_core::iam_doc::parse(t)
            .map(|d| d.is_public())
            .map_err(|why| format!("{op}: {why}")),
    }
}

/// A map of borrowed tags, owned.
fn owned(tags: &std::collections::HashMap<String, String>) -> BTreeMap<String, String> {
    tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The name part of an ARN's resource (after the last `/` or `:`).
fn name_of(arn: &str) -> String {
    arn.rsplit(['/', ':']).next().unwrap_or(arn).to_string()
}

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let mut found = Found::default();
    let (tagged, queues, functions, machines) = tokio::join!(
        tagged(ctx, &conf, region),
        queues(ctx, &conf, region),
        functions(ctx, &conf, region),
        state_machines(ctx, &conf, region),
    );
    found.extend(tagged);
    found.extend(queues);
    found.extend(functions);
    found.extend(machines);
    found
}

async fn tagged(ctx: &Ctx, conf: &aws_config::SdkConfig, region: &str) -> Found {
    let client = aws_sdk_resourcegroupstagging::Client::new(conf);
    let mut found = Found::default();
    let pages = all(
        "tag:GetResources",
        client
            .get_resources()
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(pages) = found.listed(pages, &ctx.account, Some(region), &[ANY_RESOURCE]) else {
        return found;
    };
    for m in pages.iter().flat_map(|p| p.resource_tag_mapping_list()) {
        let Some(arn) = m.resource_arn() else {
            continue;
        };
        let Some(kind) = kind_of_arn(arn) else {
            continue;
        };
        // Kinds with a schema are listed in full by their own readers, with their properties.
        if hipaa_scan_core::model::kind_spec(&kind).is_some() {
            continue;
        }
        let tags: BTreeMap<String, String> = m
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        let arn_region = arn.split(':').nth(3).filter(|r| !r.is_empty());
        found.resources.push(resource(
            &kind,
            arn.to_string(),
            &ctx.account,
            arn_region.unwrap_or("global"),
            name_of(arn),
            tags,
        ));
    }
    found
}

async fn queues(ctx: &Ctx, conf: &aws_config::SdkConfig, region: &str) -> Found {
    const KIND: &str = QUEUE;
    let client = aws_sdk_sqs::Client::new(conf);
    let kms = aws_sdk_kms::Client::new(conf);
    let mut found = Found::default();
    let pages = all(
        "sqs:ListQueues",
        client
            .list_queues()
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(pages) = found.listed(pages, &ctx.account, Some(region), &[KIND]) else {
        return found;
    };
    for url in pages.iter().flat_map(|p| p.queue_urls()) {
        let name = url.rsplit('/').next().unwrap_or(url).to_string();
        let arn = format!("arn:aws:sqs:{region}:{}:{name}", ctx.account);
        let mut p = Props::default();
        let (attrs, tagged) = tokio::join!(
            client
                .get_queue_attributes()
                .queue_url(url)
                .attribute_names(QueueAttributeName::All)
                .send(),
            client.list_queue_tags().queue_url(url).send(),
        );
        match attrs {
            Ok(out) => {
                let a = out.attributes().cloned().unwrap_or_default();
                let key = a
                    .get(&QueueAttributeName::KmsMasterKeyId)
                    .filter(|k| !k.is_empty());
                let sqs_managed = a
                    .get(&QueueAttributeName::SqsManagedSseEnabled)
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
                p.set("kms_key_id", key.map_or(Value::Null, |k| json!(k)));
                p.set("encrypted", key.is_some() || sqs_managed);
                match public_policy(
                    "sqs:GetQueueAttributes",
                    a.get(&QueueAttributeName::Policy).map(String::as_str),
                ) {
                    Ok(v) => p.set("public", v),
                    Err(why) => p.unknown("public", why),
                }
                match key {
                    None => p.set("customer_managed_key", false),
                    Some(k) => match customer_managed_key(&kms, k).await {
                        Ok(v) => p.set("customer_managed_key", v),
                        Err(why) => p.unknown("customer_managed_key", why),
                    },
                }
            }
            Err(e) => {
                let why = describe("sqs:GetQueueAttributes", &e);
                p.unknown("kms_key_id", why.clone());
                p.unknown("encrypted", why.clone());
                p.unknown("public", why.clone());
                p.unknown("customer_managed_key", why);
            }
        }
        let tags = p.tags(
            tagged
                .map(|out| out.tags().map(owned).unwrap_or_default())
                .map_err(|e| describe("sqs:ListQueueTags", &e)),
        );
        found.resources.push(p.into_resource(resource(
            KIND,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}

async fn functions(ctx: &Ctx, conf: &aws_config::SdkConfig, region: &str) -> Found {
    const KIND: &str = FUNCTION;
    let client = aws_sdk_lambda::Client::new(conf);
    let mut found = Found::default();
    let listed = all(
        "lambda:ListFunctions",
        client
            .list_functions()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(list) = found.listed(listed, &ctx.account, Some(region), &[KIND]) else {
        return found;
    };
    for f in list {
        let Some(arn) = f.function_arn().map(str::to_string) else {
            continue;
        };
        let mut p = Props::default();
        p.set(
            "in_vpc",
            f.vpc_config().is_some_and(|v| !v.subnet_ids().is_empty()),
        );
        p.set(
            "runtime",
            f.runtime().map_or(Value::Null, |r| json!(r.as_str())),
        );
        p.set(
            "kms_key_arn",
            f.kms_key_arn().map_or(Value::Null, |k| json!(k)),
        );
        // Only whether there are variables: their values may be secrets.
        p.set(
            "environment_variables",
            f.environment()
                .and_then(|e| e.variables())
                .is_some_and(|v| !v.is_empty()),
        );
        match client.get_policy().function_name(&arn).send().await {
            Ok(out) => match out.policy().map(hipaa_scan_core::iam_doc::parse) {
                Some(Ok(doc)) => p.set("public", doc.is_public()),
                Some(Err(why)) => p.unknown("public", format!("lambda:GetPolicy: {why}")),
                None => p.set("public", false),
            },
            // No resource-based policy: only the account's own principals can invoke it.
            Err(e) if code(&e) == Some("ResourceNotFoundException") => p.set("public", false),
            Err(e) => p.unknown("public", describe("lambda:GetPolicy", &e)),
        }
        let tags = p.tags(
            client
                .list_tags()
                .resource(&arn)
                .send()
                .await
                .map(|out| out.tags().map(owned).unwrap_or_default())
                .map_err(|e| describe("lambda:ListTags", &e)),
        );
        let name = f
            .function_name()
            .map_or_else(|| name_of(&arn), str::to_string);
        found.resources.push(p.into_resource(resource(
            KIND,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}

async fn state_machines(ctx: &Ctx, conf: &aws_config::SdkConfig, region: &str) -> Found {
    const KIND: &str = STATE_MACHINE;
    let client = aws_sdk_sfn::Client::new(conf);
    let mut found = Found::default();
    let listed = all(
        "states:ListStateMachines",
        client
            .list_state_machines()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(list) = found.listed(listed, &ctx.account, Some(region), &[KIND]) else {
        return found;
    };
    for m in list {
        let arn = m.state_machine_arn().to_string();
        let mut p = Props::default();
        let tags = p.tags(
            client
                .list_tags_for_resource()
                .resource_arn(&arn)
                .send()
                .await
                .map(|out| {
                    out.tags()
                        .iter()
                        .filter_map(|t| {
                            Some((
                                t.key()?.to_string(),
                                t.value().unwrap_or_default().to_string(),
                            ))
                        })
                        .collect()
                })
                .map_err(|e| describe("states:ListTagsForResource", &e)),
        );
        found.resources.push(p.into_resource(resource(
            KIND,
            arn,
            &ctx.account,
            region,
            m.name().to_string(),
            tags,
        )));
    }
    found
}

#[cfg(test)]
mod tests;
