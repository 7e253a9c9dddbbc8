//! KMS: the keys of one region, with rotation for customer-managed symmetric keys.

use std::collections::BTreeMap;

use aws_sdk_kms::types::{KeyManagerType, KeySpec};
use aws_sdk_kms::Client;

use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const KEY: &str = "aws.kms.key";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let listed = all(
        "kms:ListKeys",
        client
            .list_keys()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(keys) = found.listed(listed, &ctx.account, Some(region), &[KEY]) else {
        return found;
    };
    let ids = keys.iter().filter_map(|k| k.key_id().map(str::to_string));
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
                    "policy_public",
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
        if manager == Some(KeyManagerType::Aws) {
            // AWS managed keys' policies are written by AWS: usable through their service only.
            p.set("policy_public", false);
        } else {
            match client
                .get_key_policy()
                .key_id(&id)
                .policy_name("default")
                .send()
                .await
            {
                Ok(out) => match out.policy().map(policy_public) {
                    Some(Ok(v)) => p.set("policy_public", v),
                    Some(Err(why)) => {
                        p.unknown("policy_public", format!("kms:GetKeyPolicy: {why}"))
                    }
                    None => p.unknown(
                        "policy_public",
                        "kms:GetKeyPolicy: the answer has no policy",
                    ),
                },
                Err(e) => p.unknown("policy_public", describe("kms:GetKeyPolicy", &e)),
            }
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

/// Whether a key policy lets everyone use the key: a statement public by S3's definition (see
/// [`hipaa_scan_core::iam_doc`]), unless it is also pinned to fixed accounts by `kms:CallerAccount`, as
/// KMS's own documentation does for keys shared through a service.
pub fn policy_public(text: &str) -> Result<bool, String> {
    let doc = hipaa_scan_core::iam_doc::parse(text)?;
    Ok(doc.statements.iter().any(|st| {
        st.is_public()
            && !st.conditions.iter().any(|c| {
                c.key.eq_ignore_ascii_case("kms:CallerAccount")
                    && matches!(
                        c.operator.to_ascii_lowercase().as_str(),
                        "stringequals" | "stringequalsignorecase"
                    )
                    && !c.values.is_empty()
                    && c.values
                        .iter()
                        .all(|v| v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()))
            })
    }))
}

#[cfg(test)]
mod tests {
    use super::policy_public;

    fn doc(statement: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
    }

    #[test]
    fn key_policies_open_to_everyone() {
        let root = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#;
        assert_eq!(policy_public(&doc(root)), Ok(false));
        let open = r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}"#;
        assert_eq!(policy_public(&doc(open)), Ok(true));
        let aws_star =
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}"#;
        assert_eq!(policy_public(&doc(aws_star)), Ok(true));
        // Pinned to the account through a service: the AWS managed key pattern.
        let via = r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#;
        assert_eq!(policy_public(&doc(via)), Ok(false));
        // A negated or wildcard account is no pin.
        let not_acct = r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringNotEquals":{"kms:CallerAccount":"111122223333"}}}"#;
        assert_eq!(policy_public(&doc(not_acct)), Ok(true));
        let org = r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}"#;
        assert_eq!(policy_public(&doc(org)), Ok(false));
        let deny = r#"{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"}"#;
        assert_eq!(policy_public(&doc(deny)), Ok(false));
        assert!(policy_public("not json").is_err());
    }
}
