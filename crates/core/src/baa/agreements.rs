//! The Business Associate Agreement behind each provider in the estate, for the map: verified
//! where the estate says (AWS Artifact's accepted agreements on each AWS account), else as
//! recorded in the configuration, else not verified.

use std::collections::BTreeMap;

use serde_json::Value;

use super::AgreementStatus;
use crate::config::Agreement;
use crate::model::{Inventory, Provider};

/// One status per provider with resources in the inventory.
pub fn agreements(
    inventory: &Inventory,
    recorded: &BTreeMap<Provider, Agreement>,
) -> Vec<AgreementStatus> {
    let providers: std::collections::BTreeSet<_> =
        inventory.resources.iter().map(|r| r.provider).collect();
    providers
        .into_iter()
        .map(|p| {
            let verified = match p {
                Provider::Aws => aws_artifact(inventory),
                _ => None,
            };
            verified.unwrap_or_else(|| match recorded.get(&p) {
                Some(a) => AgreementStatus {
                    provider: p,
                    status: "recorded",
                    reference: Some(a.reference.clone()),
                    effective: Some(a.effective.to_string()),
                    covers: a.covers.clone(),
                },
                None => AgreementStatus {
                    provider: p,
                    status: "not_verified",
                    reference: None,
                    effective: None,
                    covers: None,
                },
            })
        })
        .collect()
}

/// From the `baa_agreement` of every AWS account read: `accepted` when each has an active BAA,
/// `missing` when one has none (or only a terminated one), and nothing (not verified, or the
/// configuration's record) when some account's agreements could not be read and none lacks one.
fn aws_artifact(inventory: &Inventory) -> Option<AgreementStatus> {
    let accounts: Vec<_> = inventory
        .resources
        .iter()
        .filter(|r| r.kind == "aws.account")
        .collect();
    if accounts.is_empty() {
        return None;
    }
    let mut active = Vec::new();
    let mut missing = Vec::new();
    let mut unread = false;
    for a in &accounts {
        match a.properties.get("baa_agreement") {
            Some(v @ Value::Object(_)) if v["state"] == "ACTIVE" => active.push((a, v)),
            Some(_) => missing.push(a.account.as_str()),
            None => unread = true,
        }
    }
    let status = |status, reference: Option<String>, effective, covers| AgreementStatus {
        provider: Provider::Aws,
        status,
        reference,
        effective,
        covers: Some(covers),
    };
    if !missing.is_empty() {
        return Some(status(
            "missing",
            None,
            None,
            format!(
                "no active BAA in AWS Artifact for account(s) {}",
                missing.join(", ")
            ),
        ));
    }
    if unread {
        return None;
    }
    let org_wide = active.iter().all(|(_, v)| v["organization_wide"] == true);
    let names: std::collections::BTreeSet<&str> = active
        .iter()
        .filter_map(|(_, v)| v["name"].as_str())
        .collect();
    let effective = active
        .iter()
        .filter_map(|(_, v)| v["effective_start"].as_str())
        .min()
        .map(|s| s.chars().take(10).collect());
    Some(status(
        "accepted",
        Some(format!(
            "AWS Artifact: {}",
            names.into_iter().collect::<Vec<_>>().join(", ")
        )),
        effective,
        if org_wide {
            format!(
                "the organization (all {} account(s) scanned)",
                accounts.len()
            )
        } else {
            format!(
                "account(s) {}",
                accounts
                    .iter()
                    .map(|a| a.account.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    fn account(id: &str, baa: Option<Value>) -> Resource {
        let mut r: Resource = serde_json::from_value(json!({
            "provider": "aws", "account": id, "region": "global", "kind": "aws.account",
            "id": id, "name": id, "properties": {}
        }))
        .unwrap();
        match baa {
            Some(v) => {
                r.properties.insert("baa_agreement".into(), v);
            }
            None => {
                r.unknown
                    .insert("baa_agreement".into(), "artifact: AccessDenied".into());
            }
        }
        r
    }

    fn status(resources: Vec<Resource>) -> AgreementStatus {
        let mut inv = Inventory::new("2026-11-20T08:00:00Z".parse().unwrap(), "t");
        inv.resources = resources;
        agreements(&inv, &BTreeMap::new()).remove(0)
    }

    #[test]
    fn artifact_decides_for_aws_and_unknown_is_never_accepted() {
        let org = json!({"name": "AWS Organizations Business Associate Addendum", "state": "ACTIVE",
                         "effective_start": "2024-03-01T00:00:00Z", "organization_wide": true});
        let s = status(vec![
            account("111", Some(org.clone())),
            account("222", Some(org.clone())),
        ]);
        assert_eq!(s.status, "accepted");
        assert_eq!(s.effective.as_deref(), Some("2024-03-01"));
        assert!(s.covers.unwrap().contains("organization"));
        // One account without any BAA: missing, naming it.
        let s = status(vec![
            account("111", Some(org.clone())),
            account("222", Some(Value::Null)),
        ]);
        assert_eq!(s.status, "missing");
        assert!(s.covers.unwrap().contains("222"));
        // A terminated one is not a BAA.
        let ended = json!({"name": "AWS Business Associate Addendum", "state": "CUSTOMER_TERMINATED",
                           "effective_start": null, "organization_wide": false});
        assert_eq!(status(vec![account("111", Some(ended))]).status, "missing");
        // Unreadable on one account and active elsewhere: not verified, never accepted.
        let s = status(vec![account("111", Some(org)), account("222", None)]);
        assert_eq!(s.status, "not_verified");
    }
}
