//! IAM Access Analyzer: whether an analyzer of external access is active, in one region.
//!
//! An analyzer of external access (type `ACCOUNT` or `ORGANIZATION`) reports the resources whose
//! policies let principals outside its zone of trust in. Analyzers of unused access
//! (`*_UNUSED_ACCESS`) and of internal access (`*_INTERNAL_ACCESS`) do not, and an analyzer that
//! is `CREATING`, `DISABLED` or `FAILED` reports nothing. Only the analyzers the account itself
//! lists count: an organization analyzer in a delegated administrator account is not listed in
//! the member accounts, which are judged on their own analyzers (as AWS Config's
//! `iam-external-access-analyzer-enabled` does).

use aws_sdk_accessanalyzer::types::{AnalyzerStatus, AnalyzerSummary, Type};
use aws_sdk_accessanalyzer::Client;

use super::util::{all, region_resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.access-analyzer.region";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut p = Props::default();
    let listed = all(
        "access-analyzer:ListAnalyzers",
        client
            .list_analyzers()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    match listed {
        Ok(analyzers) => {
            p.set(
                "external_access_analyzer",
                external_access_active(&analyzers),
            );
            p.set("analyzers", describe_all(&analyzers));
        }
        Err(why) => {
            p.unknown("external_access_analyzer", why.clone());
            p.unknown("analyzers", why);
        }
    }
    let mut found = Found::default();
    found.resources.push(p.into_resource(region_resource(
        KIND,
        "access-analyzer",
        &ctx.account,
        region,
    )));
    found
}

/// Whether the type analyzes access from outside the zone of trust (the account or the
/// organization).
pub fn analyzes_external_access(t: &Type) -> bool {
    matches!(t, Type::Account | Type::Organization)
}

/// An analyzer of external access is `ACTIVE`.
pub fn external_access_active(analyzers: &[AnalyzerSummary]) -> bool {
    analyzers
        .iter()
        .any(|a| analyzes_external_access(a.r#type()) && a.status() == &AnalyzerStatus::Active)
}

/// `NAME (TYPE, STATUS)` for each analyzer, for the evidence.
pub fn describe_all(analyzers: &[AnalyzerSummary]) -> Vec<String> {
    analyzers
        .iter()
        .map(|a| {
            format!(
                "{} ({}, {})",
                a.name(),
                a.r#type().as_str(),
                a.status().as_str()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_accessanalyzer::primitives::DateTime;

    fn analyzer(name: &str, t: &str, status: &str) -> AnalyzerSummary {
        AnalyzerSummary::builder()
            .arn(format!(
                "arn:aws:access-analyzer:us-east-1:111122223333:analyzer/{name}"
            ))
            .name(name)
            .r#type(Type::from(t))
            .created_at(DateTime::from_secs(1_700_000_000))
            .status(AnalyzerStatus::from(status))
            .build()
            .unwrap()
    }

    #[test]
    fn an_active_analyzer_of_external_access_and_its_look_alikes() {
        for (t, status, want) in [
            ("ACCOUNT", "ACTIVE", true),
            ("ORGANIZATION", "ACTIVE", true),
            // Exists, but reports nothing yet or any more.
            ("ACCOUNT", "CREATING", false),
            ("ACCOUNT", "DISABLED", false),
            ("ORGANIZATION", "FAILED", false),
            // Active, but not about external access.
            ("ACCOUNT_UNUSED_ACCESS", "ACTIVE", false),
            ("ORGANIZATION_UNUSED_ACCESS", "ACTIVE", false),
            ("ACCOUNT_INTERNAL_ACCESS", "ACTIVE", false),
            ("ORGANIZATION_INTERNAL_ACCESS", "ACTIVE", false),
            // A type or status this SDK does not know is not taken for one it does.
            ("ACCOUNT_SOMETHING_NEW", "ACTIVE", false),
            ("ACCOUNT", "PAUSED", false),
        ] {
            let a = [analyzer("a", t, status)];
            assert_eq!(external_access_active(&a), want, "{t} {status}");
        }
        assert!(!external_access_active(&[]));
        // One good analyzer among look-alikes is enough.
        let mixed = [
            analyzer("unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE"),
            analyzer("old", "ACCOUNT", "DISABLED"),
            analyzer("org", "ORGANIZATION", "ACTIVE"),
        ];
        assert!(external_access_active(&mixed));
        assert_eq!(
            describe_all(&mixed),
            [
                "unused (ACCOUNT_UNUSED_ACCESS, ACTIVE)",
                "old (ACCOUNT, DISABLED)",
                "org (ORGANIZATION, ACTIVE)"
            ]
        );
    }
}
