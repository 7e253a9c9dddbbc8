//! Secrets Manager: secrets and automatic rotation, in one region. Secret values are never read.

use aws_sdk_secretsmanager::Client;

use super::util::{all, resource, tags, Found, Props};
use super::Ctx;

const SECRET: &str = "aws.secretsmanager.secret";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
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
