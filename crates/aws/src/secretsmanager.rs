//! Secrets Manager: secrets and automatic rotation, in one region. Secret values are never read.

use aws_sdk_secretsmanager::Client;

use serde_json::{json, Value};

use super::util::{all, customer_managed_key, resource, tags, Found, Props};
use super::Ctx;

const SECRET: &str = "aws.secretsmanager.secret";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let client = Client::new(&conf);
    let kms = aws_sdk_kms::Client::new(&conf);
    let mut found = Found::default();
    let secrets = all(
        "secretsmanager:ListSecrets",
        client
            .list_secrets()
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    match secrets {
        Ok(pages) => {
            for s in pages.iter().flat_map(|p| p.secret_list()) {
                let name = s.name().unwrap_or_default().to_string();
                let mut p = Props::default();
                p.set("rotation_enabled", s.rotation_enabled().unwrap_or(false));
                let ts = |t: Option<&aws_sdk_secretsmanager::primitives::DateTime>| {
                    t.and_then(|t| {
                        t.fmt(aws_sdk_secretsmanager::primitives::DateTimeFormat::DateTime)
                            .ok()
                    })
                    .map_or(Value::Null, Value::String)
                };
                match s.created_date() {
                    Some(_) => p.set("created", ts(s.created_date())),
                    None => p.unknown(
                        "created",
                        "secretsmanager:ListSecrets: the answer had no `CreatedDate`",
                    ),
                }
                p.set("last_accessed", ts(s.last_accessed_date()));
                p.set("last_rotated", ts(s.last_rotated_date()));
                let key = s.kms_key_id().filter(|k| !k.is_empty());
                // Without a key of its own the secret uses `aws/secretsmanager`.
                p.set("kms_key_id", key.map_or(Value::Null, |k| json!(k)));
                match key {
                    None => p.set("customer_managed_key", false),
                    Some(k) => match customer_managed_key(&kms, k).await {
                        Ok(v) => p.set("customer_managed_key", v),
                        Err(why) => p.unknown("customer_managed_key", why),
                    },
                }
                let arn = s.arn().map_or_else(
                    || {
                        format!(
                            "arn:aws:secretsmanager:{region}:{}:secret:{name}",
                            ctx.account
                        )
                    },
                    str::to_string,
                );
                let tags = tags(s.tags().iter().map(|t| (t.key(), t.value())));
                found.resources.push(p.into_resource(resource(
                    SECRET,
                    arn,
                    &ctx.account,
                    region,
                    name,
                    tags,
                )));
            }
        }
        Err(why) => found.gap(&ctx.account, Some(region), &[SECRET], why),
    }
    found
}
