//! Who holds which role on a project: the bindings of the project's IAM policy and of every
//! folder and the organization above it (IAM allow policies are inherited: a role granted on a
//! folder or the organization is held on every project below it). Pure: the adapter reads the
//! policies, this module decides.
//!
//! - Only predefined and basic role names are judged (`roles/...`); a custom role is judged by its
//!   name, not by the permissions it holds.
//! - A binding with a condition still grants its role (the condition may hold at any time), so
//!   it counts; its evidence says `(conditional)`.
//! - A `deleted:` member is a principal that no longer exists and holds nothing: it does not count.
//! - Google-managed service agents (`service-NUMBER@...`, `...@gcp-sa-*.iam.gserviceaccount.com`,
//!   `...@cloudservices.gserviceaccount.com` and the other Google-owned domains) hold the roles
//!   Google grants them to run its services; they are not the project's principals and are not
//!   judged. The default Compute Engine and App Engine service accounts are the project's own.
//!
//! A policy that could not be read can add grants: a list of findings is unknown when a level
//! was unread and the levels read show none; findings seen stand whatever else is unread.

use std::collections::{BTreeMap, BTreeSet};

/// One binding of an IAM allow policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binding {
    pub role: String,
    pub members: Vec<String>,
    pub conditional: bool,
}

/// The bindings of one resource of the hierarchy, or why they could not be read.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    pub resource: String,
    pub bindings: Result<Vec<Binding>, String>,
}

pub(crate) const BASIC_ADMIN_ROLES: [&str; 2] = ["roles/owner", "roles/editor"];
const SA_USER: &str = "roles/iam.serviceAccountUser";
const SA_TOKEN_CREATOR: &str = "roles/iam.serviceAccountTokenCreator";
const SA_ADMIN: &str = "roles/iam.serviceAccountAdmin";
const KMS_ADMIN: &str = "roles/cloudkms.admin";
const KMS_CRYPTO: [&str; 3] = [
    "roles/cloudkms.cryptoKeyEncrypterDecrypter",
    "roles/cloudkms.cryptoKeyEncrypter",
    "roles/cloudkms.cryptoKeyDecrypter",
];

/// A Google-managed service agent, by its address.
pub(crate) fn is_service_agent(member: &str) -> bool {
    let Some(email) = member.strip_prefix("serviceAccount:") else {
        return false;
    };
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let domain = domain.to_ascii_lowercase();
    // The project's own default service accounts are user-managed.
    if domain == "developer.gserviceaccount.com" || domain == "appspot.gserviceaccount.com" {
        return false;
    }
    if let Some(project) = domain.strip_suffix(".iam.gserviceaccount.com") {
        let numbered_agent = local
            .strip_prefix("service-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        return project.starts_with("gcp-sa-") || numbered_agent;
    }
    // cloudservices, cloudbuild, container-engine-robot, ... and any other Google-owned domain.
    domain.ends_with(".gserviceaccount.com")
}

/// A principal of the project's own that can hold grants: not deleted, not a Google agent.
fn judged(member: &str) -> bool {
    !member.starts_with("deleted:") && !is_service_agent(member)
}

fn unread(levels: &[Level]) -> Option<String> {
    levels.iter().find_map(|l| {
        l.bindings.as_ref().err().map(|why| {
            format!(
                "the IAM policy of {} could not be read ({why}); it can grant roles on the project",
                l.resource
            )
        })
    })
}

fn read(levels: &[Level]) -> impl Iterator<Item = (&str, &Binding)> {
    levels.iter().flat_map(|l| {
        l.bindings
            .as_ref()
            .map(|b| b.as_slice())
            .unwrap_or_default()
            .iter()
            .map(move |b| (l.resource.as_str(), b))
    })
}

fn settle(found: BTreeSet<String>, unread: Option<String>) -> Result<Vec<String>, String> {
    match unread {
        Some(why) if found.is_empty() => Err(why),
        _ => Ok(found.into_iter().collect()),
    }
}

/// Every grant of a role `role` matches to a member `member` matches, as
/// `ROLE MEMBER (on RESOURCE)`, sorted.
pub(crate) fn grants(
    levels: &[Level],
    role: impl Fn(&str) -> bool,
    member: impl Fn(&str) -> bool,
) -> Result<Vec<String>, String> {
    let mut found = BTreeSet::new();
    for (resource, b) in read(levels).filter(|(_, b)| role(&b.role)) {
        for m in b.members.iter().filter(|m| judged(m) && member(m)) {
            let cond = if b.conditional { ", conditional" } else { "" };
            found.insert(format!("{} {m} (on {resource}{cond})", b.role));
        }
    }
    settle(found, unread(levels))
}

/// Members that hold a role of `a` and a role of `b` (anywhere in the hierarchy), as
/// `MEMBER: ROLE, ROLE`, sorted.
pub(crate) fn conflicts(
    levels: &[Level],
    a: impl Fn(&str) -> bool,
    b: impl Fn(&str) -> bool,
) -> Result<Vec<String>, String> {
    let mut held: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (_, binding) in read(levels) {
        for m in binding.members.iter().filter(|m| judged(m)) {
            held.entry(m).or_default().insert(&binding.role);
        }
    }
    let found = held
        .into_iter()
        .filter(|(_, roles)| roles.iter().any(|r| a(r)) && roles.iter().any(|r| b(r)))
        .map(|(m, roles)| {
            let roles: Vec<&str> = roles.into_iter().filter(|r| a(r) || b(r)).collect();
            format!("{m}: {}", roles.join(", "))
        })
        .collect();
    settle(found, unread(levels))
}

/// Owner or Editor held by a person, a group, a domain or a workforce identity (anyone but a
/// service account).
pub(crate) fn basic_roles_of_people(levels: &[Level]) -> Result<Vec<String>, String> {
    grants(
        levels,
        |r| BASIC_ADMIN_ROLES.contains(&r),
        |m| !m.starts_with("serviceAccount:"),
    )
}

/// A role that administers something: Owner, Editor, or a role whose name says admin
/// (`roles/storage.admin`, `roles/iam.securityAdmin`, a custom `.../roles/dbAdmin`).
pub(crate) fn is_admin_role(role: &str) -> bool {
    BASIC_ADMIN_ROLES.contains(&role)
        || role
            .rsplit('/')
            .next()
            .is_some_and(|id| id.to_ascii_lowercase().contains("admin"))
}

/// Administrative roles held by the project's own service accounts.
pub(crate) fn service_account_admins(levels: &[Level]) -> Result<Vec<String>, String> {
    grants(levels, is_admin_role, |m| m.starts_with("serviceAccount:"))
}

/// Service Account User or Token Creator granted on the project or above, which lets the
/// member act as every service account of the project.
pub(crate) fn impersonation_grants(levels: &[Level]) -> Result<Vec<String>, String> {
    grants(levels, |r| r == SA_USER || r == SA_TOKEN_CREATOR, |_| true)
}

/// Members that both administer service accounts and act as them.
pub(crate) fn service_account_duty_conflicts(levels: &[Level]) -> Result<Vec<String>, String> {
    conflicts(levels, |r| r == SA_ADMIN, |r| r == SA_USER)
}

/// Members that both administer Cloud KMS keys and use them to encrypt or decrypt.
pub(crate) fn kms_duty_conflicts(levels: &[Level]) -> Result<Vec<String>, String> {
    conflicts(levels, |r| r == KMS_ADMIN, |r| KMS_CRYPTO.contains(&r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(role: &str, members: &[&str]) -> Binding {
        Binding {
            role: role.into(),
            members: members.iter().map(|m| (*m).into()).collect(),
            conditional: false,
        }
    }

    fn level(resource: &str, bindings: Vec<Binding>) -> Level {
        Level {
            resource: resource.into(),
            bindings: Ok(bindings),
        }
    }

    fn denied(resource: &str) -> Level {
        Level {
            resource: resource.into(),
            bindings: Err("PERMISSION_DENIED".into()),
        }
    }

    #[test]
    fn service_agents_by_address() {
        for agent in [
            "serviceAccount:123456789012@cloudservices.gserviceaccount.com",
            "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com",
            "serviceAccount:service-123456789012@compute-system.iam.gserviceaccount.com",
            "serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com",
            "serviceAccount:123456789012@cloudbuild.gserviceaccount.com",
        ] {
            assert!(is_service_agent(agent), "{agent}");
        }
        for own in [
            "serviceAccount:123456789012-compute@developer.gserviceaccount.com",
            "serviceAccount:acme-prod@appspot.gserviceaccount.com",
            "serviceAccount:etl@acme-prod.iam.gserviceaccount.com",
            "serviceAccount:service-etl@acme-prod.iam.gserviceaccount.com",
            "user:service-1@example.com",
        ] {
            assert!(!is_service_agent(own), "{own}");
        }
    }

    #[test]
    fn basic_roles_inherited_conditional_and_deleted() {
        let mut cond = b("roles/editor", &["group:contractors@example.com"]);
        cond.conditional = true;
        let levels = vec![
            level(
                "projects/1",
                vec![
                    b(
                        "roles/owner",
                        &[
                            "deleted:user:gone@example.com?uid=123",
                            "serviceAccount:ci@acme-prod.iam.gserviceaccount.com",
                        ],
                    ),
                    b("roles/viewer", &["user:auditor@example.com"]),
                    b("projects/acme-prod/roles/owner", &["user:x@example.com"]),
                    cond,
                ],
            ),
            level(
                "organizations/9",
                vec![b("roles/owner", &["user:admin@example.com"])],
            ),
        ];
        assert_eq!(
            basic_roles_of_people(&levels).unwrap(),
            vec![
                "roles/editor group:contractors@example.com (on projects/1, conditional)",
                "roles/owner user:admin@example.com (on organizations/9)",
            ]
        );
    }

    #[test]
    fn unread_levels_leave_an_empty_answer_unknown() {
        let clean = vec![
            level(
                "projects/1",
                vec![b("roles/viewer", &["user:a@example.com"])],
            ),
            denied("folders/5"),
        ];
        let why = basic_roles_of_people(&clean).unwrap_err();
        assert!(why.contains("folders/5"), "{why}");
        let found = vec![
            level(
                "projects/1",
                vec![b("roles/owner", &["user:a@example.com"])],
            ),
            denied("folders/5"),
        ];
        assert_eq!(basic_roles_of_people(&found).unwrap().len(), 1);
        let all_read = vec![level("projects/1", vec![])];
        assert_eq!(basic_roles_of_people(&all_read), Ok(vec![]));
    }

    #[test]
    fn service_account_admin_roles() {
        let levels = vec![level(
            "projects/1",
            vec![
                b(
                    "roles/editor",
                    &[
                        "serviceAccount:123-compute@developer.gserviceaccount.com",
                        "serviceAccount:123@cloudservices.gserviceaccount.com",
                    ],
                ),
                b(
                    "roles/storage.admin",
                    &["serviceAccount:etl@acme-prod.iam.gserviceaccount.com"],
                ),
                b(
                    "roles/storage.objectViewer",
                    &["serviceAccount:reader@acme-prod.iam.gserviceaccount.com"],
                ),
                b("roles/iam.securityAdmin", &["user:sec@example.com"]),
            ],
        )];
        assert_eq!(
            service_account_admins(&levels).unwrap(),
            vec![
                "roles/editor serviceAccount:123-compute@developer.gserviceaccount.com (on projects/1)",
                "roles/storage.admin serviceAccount:etl@acme-prod.iam.gserviceaccount.com (on projects/1)",
            ]
        );
    }

    #[test]
    fn duties_conflict_across_levels_only_for_the_same_member() {
        let levels = vec![
            level(
                "projects/1",
                vec![
                    b(
                        "roles/cloudkms.cryptoKeyDecrypter",
                        &["user:ops@example.com"],
                    ),
                    b("roles/iam.serviceAccountUser", &["user:dev@example.com"]),
                ],
            ),
            level(
                "organizations/9",
                vec![
                    b("roles/cloudkms.admin", &["user:ops@example.com"]),
                    b("roles/iam.serviceAccountAdmin", &["user:other@example.com"]),
                ],
            ),
        ];
        assert_eq!(
            kms_duty_conflicts(&levels).unwrap(),
            vec!["user:ops@example.com: roles/cloudkms.admin, roles/cloudkms.cryptoKeyDecrypter"]
        );
        assert_eq!(service_account_duty_conflicts(&levels), Ok(vec![]));
        assert_eq!(
            impersonation_grants(&levels).unwrap(),
            vec!["roles/iam.serviceAccountUser user:dev@example.com (on projects/1)"]
        );
    }
}
