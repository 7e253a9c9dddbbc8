//! The effective Data Access audit config of a project, from the IAM policies of the project and
//! of every folder and the organization above it. Pure: the adapter reads the policies, this
//! module decides.
//!
//! Google's rules (IAM `AuditConfig`, and "Enable Data Access audit logs"):
//! - Audit configs are inherited: a log type enabled on the organization or a folder is enabled
//!   on every project below it and cannot be turned off there. The effective config is the
//!   union of the project's, its ancestor folders' and its organization's.
//! - When a policy has configs for both `allServices` and a specific service, the union applies
//!   to that service: the log types of both are enabled, and the `exemptedMembers` of both are
//!   exempted. Exemptions add up the same way down the hierarchy, so an exemption on the
//!   organization is an exemption in every project.
//! - `ignoreChildExemptions` is deprecated and has no effect.
//!
//! An exempted principal's reads and writes are not logged, so a config with exemptions on
//! `DATA_READ` or `DATA_WRITE` is not full Data Access logging. A policy that could not be read
//! can add log types and exemptions: it leaves "enabled" unknown unless the levels that were read
//! already enable both log types, and leaves "no exemptions" unknown unless the levels that were
//! read already show one.

/// One service's audit config in one IAM policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditConfig {
    pub service: String,
    pub log_configs: Vec<LogConfig>,
}

/// One log type of an audit config, with the principals exempted from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogConfig {
    /// `ADMIN_READ`, `DATA_READ` or `DATA_WRITE`.
    pub log_type: String,
    pub exempted_members: Vec<String>,
}

/// The audit configs of one resource of the hierarchy (`projects/N`, `folders/N`,
/// `organizations/N`), or why they could not be read.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    pub resource: String,
    pub configs: Result<Vec<AuditConfig>, String>,
}

/// The log types that make up Data Access logging of user data.
const DATA_LOG_TYPES: [&str; 2] = ["DATA_READ", "DATA_WRITE"];
const ALL_SERVICES: &str = "allServices";

/// What the effective config says about Data Access logging for a scope of services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DataAccess {
    /// Both `DATA_READ` and `DATA_WRITE` are enabled for the scope.
    pub enabled: Result<bool, String>,
    /// Exemptions on `DATA_READ` / `DATA_WRITE` that apply to the scope, as
    /// `LOG_TYPE MEMBER (SERVICE on RESOURCE)`, sorted.
    pub exemptions: Result<Vec<String>, String>,
}

impl DataAccess {
    /// Full Data Access logging: both log types on, nobody exempted. Definitely false as soon
    /// as the levels read show a missing log type (with every level read) or an exemption.
    pub fn complete(&self) -> Result<bool, String> {
        match (&self.enabled, &self.exemptions) {
            (Ok(false), _) => Ok(false),
            (_, Ok(ex)) if !ex.is_empty() => Ok(false),
            (Ok(true), Ok(_)) => Ok(true),
            (Err(why), _) | (_, Err(why)) => Err(why.clone()),
        }
    }
}

/// The effective Data Access config of `levels` (the project first, then its ancestors).
/// `service: None` judges every service: enabled only through `allServices`, and an exemption
/// on any service counts. `Some(s)` judges one service: enabled through `allServices` or `s`,
/// exemptions of either count.
pub(crate) fn data_access(levels: &[Level], service: Option<&str>) -> DataAccess {
    let enables =
        |c: &AuditConfig| c.service == ALL_SERVICES || Some(c.service.as_str()) == service;
    let exempts = |c: &AuditConfig| service.is_none() || enables(c);
    // One reason for both halves, so a verdict reads the same whichever half it stopped on.
    let unread = levels.iter().find_map(|l| {
        l.configs.as_ref().err().map(|why| {
            format!(
                "the audit config of {} could not be read ({why}); it can add log \
                 types and exempted principals",
                l.resource
            )
        })
    });
    let read = || {
        levels
            .iter()
            .filter_map(|l| l.configs.as_ref().ok().map(|c| (l.resource.as_str(), c)))
    };

    let on = DATA_LOG_TYPES.iter().all(|t| {
        read().any(|(_, configs)| {
            configs
                .iter()
                .filter(|c| enables(c))
                .any(|c| c.log_configs.iter().any(|l| l.log_type == *t))
        })
    });
    let enabled = match (&unread, on) {
        (_, true) => Ok(true),
        (None, false) => Ok(false),
        (Some(why), false) => Err(why.clone()),
    };

    let mut found = Vec::new();
    for (resource, configs) in read() {
        for c in configs.iter().filter(|c| exempts(c)) {
            for l in c
                .log_configs
                .iter()
                .filter(|l| DATA_LOG_TYPES.contains(&l.log_type.as_str()))
            {
                for m in &l.exempted_members {
                    found.push(format!("{} {m} ({} on {resource})", l.log_type, c.service));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    let exemptions = match unread {
        Some(why) if found.is_empty() => Err(why),
        _ => Ok(found),
    };
    DataAccess {
        enabled,
        exemptions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(service: &str, logs: &[(&str, &[&str])]) -> AuditConfig {
        AuditConfig {
            service: service.into(),
            log_configs: logs
                .iter()
                .map(|(t, ex)| LogConfig {
                    log_type: (*t).into(),
                    exempted_members: ex.iter().map(|m| (*m).into()).collect(),
                })
                .collect(),
        }
    }

    fn level(resource: &str, configs: Vec<AuditConfig>) -> Level {
        Level {
            resource: resource.into(),
            configs: Ok(configs),
        }
    }

    fn denied(resource: &str) -> Level {
        Level {
            resource: resource.into(),
            configs: Err("PERMISSION_DENIED".into()),
        }
    }

    const FULL: &[(&str, &[&str])] =
        &[("ADMIN_READ", &[]), ("DATA_READ", &[]), ("DATA_WRITE", &[])];

    #[test]
    fn every_service_table() {
        struct Case {
            name: &'static str,
            levels: Vec<Level>,
            complete: Result<bool, ()>,
        }
        let cases = vec![
            Case {
                name: "the project alone enables both",
                levels: vec![level("projects/1", vec![cfg("allServices", FULL)])],
                complete: Ok(true),
            },
            Case {
                name: "nothing anywhere",
                levels: vec![
                    level("projects/1", vec![]),
                    level("organizations/9", vec![]),
                ],
                complete: Ok(false),
            },
            Case {
                name: "read on the project, write on the folder: the union is complete",
                levels: vec![
                    level(
                        "projects/1",
                        vec![cfg("allServices", &[("DATA_READ", &[])])],
                    ),
                    level(
                        "folders/5",
                        vec![cfg("allServices", &[("DATA_WRITE", &[])])],
                    ),
                    level("organizations/9", vec![]),
                ],
                complete: Ok(true),
            },
            Case {
                name: "the organization alone enables both",
                levels: vec![
                    level("projects/1", vec![]),
                    level("organizations/9", vec![cfg("allServices", FULL)]),
                ],
                complete: Ok(true),
            },
            Case {
                name: "an exemption on the project",
                levels: vec![level(
                    "projects/1",
                    vec![cfg(
                        "allServices",
                        &[
                            ("DATA_READ", &["user:jose@example.com"]),
                            ("DATA_WRITE", &[]),
                        ],
                    )],
                )],
                complete: Ok(false),
            },
            Case {
                name: "an exemption inherited from the organization",
                levels: vec![
                    level("projects/1", vec![cfg("allServices", FULL)]),
                    level(
                        "organizations/9",
                        vec![cfg(
                            "allServices",
                            &[(
                                "DATA_WRITE",
                                &["serviceAccount:etl@p.iam.gserviceaccount.com"],
                            )],
                        )],
                    ),
                ],
                complete: Ok(false),
            },
            Case {
                name: "an exemption on one service still breaks every-service logging",
                levels: vec![level(
                    "projects/1",
                    vec![
                        cfg("allServices", FULL),
                        cfg(
                            "bigquery.googleapis.com",
                            &[("DATA_READ", &["group:analysts@example.com"])],
                        ),
                    ],
                )],
                complete: Ok(false),
            },
            Case {
                name: "an exemption on ADMIN_READ does not hide data access",
                levels: vec![level(
                    "projects/1",
                    vec![cfg(
                        "allServices",
                        &[
                            ("ADMIN_READ", &["user:a@example.com"]),
                            ("DATA_READ", &[]),
                            ("DATA_WRITE", &[]),
                        ],
                    )],
                )],
                complete: Ok(true),
            },
            Case {
                name: "every service listed one by one is not allServices",
                levels: vec![level(
                    "projects/1",
                    vec![
                        cfg("storage.googleapis.com", FULL),
                        cfg("sqladmin.googleapis.com", FULL),
                    ],
                )],
                complete: Ok(false),
            },
            Case {
                name: "the project enables both but the folder is unreadable: exemptions unknown",
                levels: vec![
                    level("projects/1", vec![cfg("allServices", FULL)]),
                    denied("folders/5"),
                    level("organizations/9", vec![]),
                ],
                complete: Err(()),
            },
            Case {
                name: "nothing on the project and the organization is unreadable",
                levels: vec![level("projects/1", vec![]), denied("organizations/9")],
                complete: Err(()),
            },
            Case {
                name: "an exemption seen decides even with an unreadable ancestor",
                levels: vec![
                    level(
                        "projects/1",
                        vec![cfg(
                            "allServices",
                            &[("DATA_READ", &["user:x@example.com"]), ("DATA_WRITE", &[])],
                        )],
                    ),
                    denied("organizations/9"),
                ],
                complete: Ok(false),
            },
            Case {
                name: "the project's own policy is unreadable",
                levels: vec![denied("projects/1"), level("organizations/9", vec![])],
                complete: Err(()),
            },
        ];
        for c in cases {
            let got = data_access(&c.levels, None).complete();
            assert_eq!(got.map_err(|_| ()), c.complete, "{}", c.name);
        }
    }

    #[test]
    fn one_service_counts_its_own_config_and_all_services() {
        let levels = vec![level(
            "projects/1",
            vec![
                cfg(
                    "storage.googleapis.com",
                    &[("DATA_READ", &[]), ("DATA_WRITE", &[])],
                ),
                cfg(
                    "bigquery.googleapis.com",
                    &[("DATA_READ", &["user:a@example.com"])],
                ),
            ],
        )];
        let storage = data_access(&levels, Some("storage.googleapis.com"));
        assert_eq!(
            storage.complete(),
            Ok(true),
            "BigQuery's exemption is not Storage's"
        );
        assert_eq!(data_access(&levels, None).complete(), Ok(false));

        let levels = vec![
            level("projects/1", vec![cfg("storage.googleapis.com", FULL)]),
            level(
                "organizations/9",
                vec![cfg(
                    "allServices",
                    &[("DATA_WRITE", &["user:b@example.com"])],
                )],
            ),
        ];
        let storage = data_access(&levels, Some("storage.googleapis.com"));
        assert_eq!(
            storage.complete(),
            Ok(false),
            "allServices exemptions apply to Storage"
        );
        assert_eq!(
            storage.exemptions.unwrap(),
            vec!["DATA_WRITE user:b@example.com (allServices on organizations/9)".to_string()]
        );
    }

    #[test]
    fn reasons_name_the_unreadable_level() {
        let levels = vec![
            level("projects/1", vec![cfg("allServices", FULL)]),
            denied("folders/5"),
        ];
        let d = data_access(&levels, None);
        assert_eq!(d.enabled, Ok(true));
        let why = d.complete().unwrap_err();
        assert_eq!(
            why,
            "the audit config of folders/5 could not be read (PERMISSION_DENIED); \
             it can add log types and exempted principals"
        );
    }
}
