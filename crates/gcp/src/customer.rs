//! Whose Cloud Identity / Google Workspace users a scan reads: the customer `--workspace-customer`
//! names, or the `directoryCustomerId` of the organizations the scanned projects belong to. What
//! cannot be told becomes a gap over `gcp.identity.user`, so the 2SV check is not evaluated
//! rather than silently left out.
//!
//! In a sharded scan, a customer's users belong to one shard, as an Entra tenant's do: the shard
//! that holds the customer ID (when named) or the organization's name (when found through it).
//! Every shard knows a named customer and the organization of `--organization`; an organization
//! a shard only finds through its own projects may be unknown to the shard that holds it, so a
//! shard that does not hold such an organization says so for its projects instead.

use std::collections::BTreeMap;

use super::directory::USER;
use super::Ctx;
use hipaa_scan_core::collect::Found;
use hipaa_scan_core::shard::Shard;

/// What every "customer unknown" reason ends with.
const NAME_IT: &str = "name the customer with --workspace-customer (a customer ID such as C01abc234, or my_customer for the scanning identity's own)";

/// `--workspace-customer`: `my_customer` (the caller's own customer) or a customer ID as the
/// Admin console and Resource Manager's `directoryCustomerId` give it (`C` and letters and
/// digits, e.g. `C01abc234`). Anything else would reach the Directory API as a query value and
/// come back as an unhelpful 400 or 404, so it is refused before the scan starts.
pub fn parse(s: &str) -> Result<String, String> {
    let s = s.trim();
    let id_shape = s.len() >= 5
        && s.len() <= 20
        && s.starts_with('C')
        && s.chars().all(|c| c.is_ascii_alphanumeric());
    if s == "my_customer" || id_shape {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` is not a Google Workspace / Cloud Identity customer: expected my_customer or a customer ID such as C01abc234 (Admin console > Account > Account settings)"
        ))
    }
}

/// Whether this shard reads what belongs to `key` (every scan that is not sharded does).
pub(crate) fn holds(shard: Option<Shard>, key: &str) -> bool {
    shard.is_none_or(|s| s.contains(key))
}

/// `organizations/N` from `N` or `organizations/N`.
pub(crate) fn organization_name(id: &str) -> String {
    format!(
        "organizations/{}",
        id.trim().trim_start_matches("organizations/")
    )
}

/// The customers to read from the organizations of `projects` (each with its ancestors, nearest
/// first, or why they are unknown) and of `organization` (`--organization`), each found once
/// through `organizations.get`; and the gaps for the projects and organizations whose customer
/// could not be told.
pub(crate) async fn from_organizations(
    ctx: &Ctx,
    organization: Option<&str>,
    shard: Option<Shard>,
    projects: &[(String, Result<Vec<String>, String>)],
) -> (Vec<String>, Found) {
    let mut found = Found::default();
    let everywhere = organization.map(organization_name);
    let mut orgs: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    if let Some(org) = &everywhere {
        orgs.entry(org.clone()).or_default();
    }
    for (project, ancestors) in projects {
        let why = match ancestors {
            Ok(chain) => match chain.last() {
                Some(top) if top.starts_with("organizations/") => {
                    orgs.entry(top.clone()).or_default().push(project);
                    continue;
                }
                _ => format!(
                    "project {project} belongs to no organization, so no Cloud Identity or Google Workspace customer is known for it"
                ),
            },
            Err(why) => format!(
                "the organization of project {project} is unknown ({why}), so its Cloud Identity or Google Workspace customer is unknown"
            ),
        };
        found.gap(project, None, &[USER], format!("{why}; {NAME_IT}"));
    }
    let mut customers = Vec::new();
    for (org, members) in orgs {
        if holds(shard, &org) {
            match customer_of(ctx, &org).await {
                Ok(c) => customers.push(c),
                Err(why) => found.gap(
                    &org,
                    None,
                    &[USER],
                    format!("the Cloud Identity or Google Workspace customer of {org} is unknown: {why}; {NAME_IT}"),
                ),
            }
        } else if everywhere.as_deref() != Some(org.as_str()) {
            // The shard that holds this organization may have none of its projects, and then
            // does not know it: nobody would read its users.
            let id = org.trim_start_matches("organizations/");
            for project in members {
                found.gap(
                    project,
                    None,
                    &[USER],
                    format!(
                        "in a sharded scan the users of {org}'s customer are read by the shard that holds {org}, which knows it only from --organization {id} or --workspace-customer; pass either to every shard"
                    ),
                );
            }
        }
    }
    customers.sort();
    customers.dedup();
    (customers, found)
}

/// The organization's `directoryCustomerId`, or why it is unknown.
async fn customer_of(ctx: &Ctx, org: &str) -> Result<String, String> {
    const GET: &str = "cloudresourcemanager.organizations.get";
    let got = ctx
        .clients
        .organizations
        .get_organization()
        .set_name(org)
        .send()
        .await
        .map_err(|e| super::clients::describe(GET, &e))?;
    got.directory_customer_id()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .ok_or_else(|| format!("{GET}: the organization has no directoryCustomerId"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_ids_are_checked_for_shape() {
        assert_eq!(parse("my_customer").unwrap(), "my_customer");
        assert_eq!(parse(" C01abc234 ").unwrap(), "C01abc234");
        for bad in [
            "",
            "C01",
            "customer",
            "C01abc234&x=1",
            "c01abc234",
            "C01 abc",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("my_customer"), "{bad}: {e}");
        }
    }

    #[test]
    fn organizations_are_named_one_way() {
        assert_eq!(
            organization_name("433637338589"),
            "organizations/433637338589"
        );
        assert_eq!(
            organization_name("organizations/433637338589"),
            "organizations/433637338589"
        );
    }
}
