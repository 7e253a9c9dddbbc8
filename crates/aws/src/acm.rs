//! AWS Certificate Manager: certificates of every key type, when they expire, what uses them and
//! how their managed renewal stands, in one region.
//!
//! `acm:ListCertificates` returns only RSA_1024 and RSA_2048 certificates unless its `Includes`
//! name the key types, so every key type the SDK knows is asked for: an EC or RSA 4096
//! certificate would otherwise be missing from the inventory, not passed. Each certificate is then
//! described (`acm:DescribeCertificate`: the resources that use it and its renewal summary) and
//! its tags read. When the description is refused, the fields the list already gave are kept and
//! the others are unknown.

use aws_sdk_acm::types::{CertificateDetail, CertificateSummary, Filters, KeyAlgorithm};
use aws_sdk_acm::Client;
use serde_json::Value;

use super::iam::rfc3339;
use super::util::{all, describe, resource, tags, Found, Props};
use super::Ctx;

const KIND: &str = "aws.acm.certificate";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let listed = all(
        "acm:ListCertificates",
        client
            .list_certificates()
            .includes(every_key_type())
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(summaries) = found.listed(listed, &ctx.account, Some(region), &[KIND]) else {
        return found;
    };
    for s in summaries {
        let Some(arn) = s.certificate_arn().map(str::to_string) else {
            continue;
        };
        let detail = client
            .describe_certificate()
            .certificate_arn(&arn)
            .send()
            .await
            .map_err(|e| describe("acm:DescribeCertificate", &e))
            .and_then(|out| {
                out.certificate().cloned().ok_or_else(|| {
                    "acm:DescribeCertificate: the answer had no `Certificate`".to_string()
                })
            });
        let mut p = properties(&s, detail.as_ref());
        let tags = p.tags(
            client
                .list_tags_for_certificate()
                .certificate_arn(&arn)
                .send()
                .await
                .map(|out| tags(out.tags().iter().map(|t| (Some(t.key()), t.value()))))
                .map_err(|e| describe("acm:ListTagsForCertificate", &e)),
        );
        let id = arn.rsplit('/').next().unwrap_or(&arn).to_string();
        let name = match s.domain_name().filter(|d| !d.is_empty()) {
            Some(d) => format!("{d} ({id})"),
            None => id,
        };
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

/// `Includes` naming every key type (the default is RSA_1024 and RSA_2048 only).
pub fn every_key_type() -> Filters {
    Filters::builder()
        .set_key_types(Some(
            KeyAlgorithm::values()
                .iter()
                .map(|k| KeyAlgorithm::from(*k))
                .collect(),
        ))
        .build()
}

/// The certificate's properties: from its description, or, where that failed, from the list's
/// summary (status, type, expiry, use, key, renewal eligibility), the rest unknown for the reason.
pub fn properties(s: &CertificateSummary, detail: Result<&CertificateDetail, &String>) -> Props {
    let mut p = Props::default();
    let expiry = |t: Option<&aws_sdk_acm::primitives::DateTime>| t.map_or(Value::Null, rfc3339);
    match detail {
        Ok(d) => {
            let missing =
                |field: &str| format!("acm:DescribeCertificate: the answer had no `{field}`");
            match d.status() {
                Some(v) => p.set("status", v.as_str()),
                None => p.unknown("status", missing("Status")),
            }
            match d.r#type() {
                Some(v) => p.set("type", v.as_str()),
                None => p.unknown("type", missing("Type")),
            }
            p.set("not_after", expiry(d.not_after()));
            p.set("in_use", !d.in_use_by().is_empty());
            p.set("in_use_by", d.in_use_by().to_vec());
            match d.key_algorithm() {
                Some(v) => p.set("key_algorithm", v.as_str()),
                None => p.unknown("key_algorithm", missing("KeyAlgorithm")),
            }
            match d.renewal_eligibility() {
                Some(v) => p.set("renewal_eligibility", v.as_str()),
                None => p.unknown("renewal_eligibility", missing("RenewalEligibility")),
            }
            p.set(
                "renewal_status",
                d.renewal_summary()
                    .map_or(Value::Null, |r| r.renewal_status().as_str().into()),
            );
        }
        Err(why) => {
            let from_list = |p: &mut Props, name: &str, v: Option<Value>| match v {
                Some(v) => p.set(name, v),
                None => p.unknown(name, why.clone()),
            };
            from_list(&mut p, "status", s.status().map(|v| v.as_str().into()));
            from_list(&mut p, "type", s.r#type().map(|v| v.as_str().into()));
            // A certificate the list calls issued (or expired) has an expiry; without one there,
            // it cannot be told from a certificate that was never issued.
            from_list(&mut p, "not_after", s.not_after().map(rfc3339));
            from_list(&mut p, "in_use", s.in_use().map(Value::from));
            from_list(
                &mut p,
                "key_algorithm",
                s.key_algorithm().map(|v| v.as_str().into()),
            );
            from_list(
                &mut p,
                "renewal_eligibility",
                s.renewal_eligibility().map(|v| v.as_str().into()),
            );
            p.unknown("in_use_by", why.clone());
            p.unknown("renewal_status", why.clone());
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_acm::primitives::DateTime;
    use aws_sdk_acm::types::{
        CertificateStatus, CertificateType, RenewalEligibility, RenewalStatus, RenewalSummary,
    };
    use serde_json::json;

    fn props(p: Props) -> (serde_json::Map<String, Value>, Vec<String>) {
        p.into_parts()
    }

    fn summary() -> CertificateSummary {
        CertificateSummary::builder()
            .certificate_arn("arn:aws:acm:us-east-1:111122223333:certificate/1")
            .domain_name("api.example.org")
            .status(CertificateStatus::Issued)
            .r#type(CertificateType::Imported)
            .key_algorithm(KeyAlgorithm::EcPrime256v1)
            .in_use(true)
            .not_after(DateTime::from_secs(1_900_000_000))
            .build()
    }

    #[test]
    fn every_key_type_is_asked_for() {
        let filters = every_key_type();
        let asked: Vec<&str> = filters.key_types().iter().map(|k| k.as_str()).collect();
        for k in [
            "RSA_1024",
            "RSA_2048",
            "RSA_4096",
            "EC_prime256v1",
            "EC_secp384r1",
        ] {
            assert!(asked.contains(&k), "{k} missing from {asked:?}");
        }
    }

    #[test]
    fn the_description_gives_use_and_renewal() {
        // Amazon-issued, in use, its managed renewal waiting for the domain owner.
        let d = CertificateDetail::builder()
            .status(CertificateStatus::Issued)
            .r#type(CertificateType::AmazonIssued)
            .not_after(DateTime::from_secs(1_900_000_000))
            .in_use_by("arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1")
            .key_algorithm(KeyAlgorithm::Rsa2048)
            .renewal_eligibility(RenewalEligibility::Eligible)
            .renewal_summary(
                RenewalSummary::builder()
                    .renewal_status(RenewalStatus::PendingValidation)
                    .set_domain_validation_options(Some(vec![]))
                    .updated_at(DateTime::from_secs(1_890_000_000))
                    .build()
                    .unwrap(),
            )
            .build();
        let (got, unknown) = props(properties(&summary(), Ok(&d)));
        assert!(unknown.is_empty(), "{unknown:?}");
        assert_eq!(
            Value::Object(got),
            json!({
                "status": "ISSUED",
                "type": "AMAZON_ISSUED",
                "not_after": "2030-03-17T17:46:40Z",
                "in_use": true,
                "in_use_by": ["arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1"],
                "key_algorithm": "RSA_2048",
                "renewal_eligibility": "ELIGIBLE",
                "renewal_status": "PENDING_VALIDATION",
            })
        );
    }

    #[test]
    fn unused_imported_and_never_issued_certificates_read_as_such() {
        // Imported, used by nothing, no renewal ever (ACM does not renew imported certificates).
        let d = CertificateDetail::builder()
            .status(CertificateStatus::Expired)
            .r#type(CertificateType::Imported)
            .not_after(DateTime::from_secs(1_600_000_000))
            .key_algorithm(KeyAlgorithm::Rsa1024)
            .renewal_eligibility(RenewalEligibility::Ineligible)
            .build();
        let (got, _) = props(properties(&summary(), Ok(&d)));
        assert_eq!(got["in_use"], json!(false));
        assert_eq!(got["in_use_by"], json!([]));
        assert_eq!(got["renewal_status"], Value::Null);
        // Pending validation: never issued, so no expiry (null, not unknown).
        let pending = CertificateDetail::builder()
            .status(CertificateStatus::PendingValidation)
            .r#type(CertificateType::AmazonIssued)
            .key_algorithm(KeyAlgorithm::Rsa2048)
            .renewal_eligibility(RenewalEligibility::Ineligible)
            .build();
        let (got, unknown) = props(properties(&summary(), Ok(&pending)));
        assert_eq!(got["not_after"], Value::Null);
        assert!(unknown.is_empty());
    }

    #[test]
    fn a_refused_description_keeps_the_list_and_leaves_the_rest_unknown() {
        let why = "acm:DescribeCertificate: AccessDeniedException: no".to_string();
        let (got, unknown) = props(properties(&summary(), Err(&why)));
        assert_eq!(got["status"], json!("ISSUED"));
        assert_eq!(got["in_use"], json!(true));
        assert_eq!(got["key_algorithm"], json!("EC_prime256v1"));
        assert_eq!(
            unknown,
            ["in_use_by", "renewal_eligibility", "renewal_status"]
        );
        // A summary without an expiry leaves it unknown, never "never issued".
        let bare = CertificateSummary::builder()
            .certificate_arn("arn:aws:acm:us-east-1:111122223333:certificate/2")
            .build();
        let (_, unknown) = props(properties(&bare, Err(&why)));
        assert!(unknown.contains(&"not_after".to_string()));
        assert!(unknown.contains(&"in_use".to_string()));
    }
}
