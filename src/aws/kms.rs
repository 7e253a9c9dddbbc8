//! KMS: the keys of one region, with rotation for customer-managed symmetric keys.

use std::collections::BTreeMap;

use aws_sdk_kms::types::{KeyManagerType, KeySpec};
use aws_sdk_kms::Client;

use super::util::{describe, resource, Found, Props};
use super::Ctx;

const KEY: &str = "aws.kms.key";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let mut ids = Vec::new();
    let mut pages = client.list_keys().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => ids.extend(
                page.keys()
                    .iter()
                    .filter_map(|k| k.key_id().map(str::to_string)),
            ),
            Err(e) => {
                found.gap(
                    &ctx.account,
                    Some(region),
                    &[KEY],
                    describe("kms:ListKeys", &e),
                );
                return found;
            }
        }
    }
    for id in ids {
        let meta = match client.describe_key().key_id(&id).send().await {
            Ok(out) => out.key_metadata().cloned(),
            Err(e) => {
                let mut p = Props::default();
                let why = describe("kms:DescribeKey", &e);
                for prop in [
                    "key_manager",
                    "key_spec",
                    "key_state",
                    "origin",
                    "rotation_enabled",
                ] {
                    p.unknown(prop, why.clone());
                }
                let arn = format!("arn:aws:kms:{region}:{}:key/{id}", ctx.account);
                found.resources.push(p.into_resource(resource(
                    KEY,
                    arn,
                    &ctx.account,
                    region,
                    id.clone(),
                    BTreeMap::new(),
                )));
                continue;
            }
        };
        let Some(meta) = meta else { continue };
        let mut p = Props::default();
        let manager = meta.key_manager().cloned();
        p.set(
            "key_manager",
            manager.as_ref().map_or("CUSTOMER", |m| m.as_str()),
        );
        p.set(
            "key_spec",
            meta.key_spec().map_or("SYMMETRIC_DEFAULT", |s| s.as_str()),
        );
        p.set(
            "key_state",
            meta.key_state().map_or("Unknown", |s| s.as_str()),
        );
        // Key material created by KMS itself (not imported, not in a custom key store).
        let origin = meta.origin().map_or("AWS_KMS", |o| o.as_str());
        p.set("origin", origin);
        let customer_symmetric = manager != Some(KeyManagerType::Aws)
            && origin == "AWS_KMS"
            && meta
                .key_spec()
                .is_none_or(|s| *s == KeySpec::SymmetricDefault);
        if customer_symmetric {
            match client.get_key_rotation_status().key_id(&id).send().await {
                Ok(out) => p.set("rotation_enabled", out.key_rotation_enabled()),
                Err(e) => p.unknown("rotation_enabled", describe("kms:GetKeyRotationStatus", &e)),
            }
        } else {
            // AWS-managed keys rotate every year by themselves; other key specs, imported key
            // material and custom key stores cannot rotate automatically.
            p.set("rotation_enabled", manager == Some(KeyManagerType::Aws));
        }
        let arn = meta.arn().map_or_else(
            || format!("arn:aws:kms:{region}:{}:key/{id}", ctx.account),
            str::to_string,
        );
        found.resources.push(p.into_resource(resource(
            KEY,
            arn,
            &ctx.account,
            region,
            id,
            BTreeMap::new(),
        )));
    }
    found
}
