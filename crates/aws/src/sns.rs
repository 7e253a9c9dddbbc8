//! SNS: topics and their server-side encryption, in one region.

use aws_sdk_sns::Client;
use serde_json::{json, Value};

use super::util::{all, customer_managed_key, describe, resource, Found, Props};
use super::Ctx;

const TOPIC: &str = "aws.sns.topic";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let client = Client::new(&conf);
    let kms = aws_sdk_kms::Client::new(&conf);
    let mut found = Found::default();
    let topics = all(
        "sns:ListTopics",
        client
            .list_topics()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(topics) = found.listed(topics, &ctx.account, Some(region), &[TOPIC]) else {
        return found;
    };
    for t in topics {
        let Some(arn) = t.topic_arn().map(str::to_string) else {
            continue;
        };
        let mut p = Props::default();
        match client.get_topic_attributes().topic_arn(&arn).send().await {
            Ok(out) => {
                let key = out
                    .attributes()
                    .and_then(|a| a.get("KmsMasterKeyId"))
                    .filter(|k| !k.is_empty());
                p.set("kms_key_id", key.map_or(Value::Null, |k| json!(k)));
                match super::in_use::public_policy(
                    "sns:GetTopicAttributes",
                    out.attributes()
                        .and_then(|a| a.get("Policy"))
                        .map(String::as_str),
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
                let why = describe("sns:GetTopicAttributes", &e);
                p.unknown("kms_key_id", why.clone());
                p.unknown("public", why.clone());
                p.unknown("customer_managed_key", why);
            }
        }
        let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
        found.resources.push(p.into_resource(resource(
            TOPIC,
            arn,
            &ctx.account,
            region,
            name,
            Default::default(),
        )));
    }
    found
}
