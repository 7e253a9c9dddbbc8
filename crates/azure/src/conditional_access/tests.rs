use super::*;
use serde_json::json;

/// An enabled policy requiring MFA of Global Administrators on every app; `f` changes it.
fn policy(f: impl FnOnce(&mut Value)) -> Value {
    let mut p = json!({
        "displayName": "admins",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": [], "includeRoles": [GLOBAL_ADMIN], "excludeUsers": ["b1"],
                "excludeRoles": [], "excludeGroups": []},
            "applications": {"includeApplications": ["All"], "excludeApplications": []},
            "clientAppTypes": ["all"],
            "locations": null, "platforms": null, "signInRiskLevels": [], "userRiskLevels": []
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": []}
    });
    f(&mut p);
    p
}

fn verdict(p: Value) -> Result<Option<usize>, String> {
    judge(&p).map(|e| e.map(|e| e.excluded.users))
}

#[test]
fn a_policy_that_requires_mfa_of_admins_everywhere_qualifies() {
    assert_eq!(verdict(policy(|_| {})), Ok(Some(1)));
    assert_eq!(
        verdict(policy(|p| {
            p["conditions"]["users"] = json!({"includeUsers": ["All"], "excludeUsers": []});
            p["grantControls"] =
                json!({"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]});
        })),
        Ok(Some(0))
    );
    // A built-in MFA strength, and a custom one whose every combination is multifactor.
    assert_eq!(
        verdict(policy(|p| {
            p["grantControls"] = json!({"operator": "OR", "builtInControls": [],
                "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}});
        })),
        Ok(Some(1))
    );
    assert_eq!(
        verdict(policy(|p| {
            p["grantControls"] = json!({"operator": "OR", "builtInControls": [],
                "authenticationStrength": {"id": "c", "allowedCombinations": ["fido2", "password,sms"]}});
        })),
        Ok(Some(1))
    );
}

#[test]
fn look_alikes_do_not_qualify() {
    let cases: Vec<(&str, Value)> = vec![
        (
            "report-only",
            policy(|p| p["state"] = json!("enabledForReportingButNotEnforced")),
        ),
        ("disabled", policy(|p| p["state"] = json!("disabled"))),
        (
            "mfa or device",
            policy(|p| p["grantControls"]["builtInControls"] = json!(["mfa", "compliantDevice"])),
        ),
        (
            "excluded role",
            policy(|p| p["conditions"]["users"]["excludeRoles"] = json!(["x"])),
        ),
        (
            "excluded group",
            policy(|p| p["conditions"]["users"]["excludeGroups"] = json!(["g"])),
        ),
        (
            "one app",
            policy(|p| {
                p["conditions"]["applications"]["includeApplications"] =
                    json!(["797f4846-ba00-4fd7-ba43-dac1f8f63013"])
            }),
        ),
        (
            "app excluded",
            policy(|p| p["conditions"]["applications"]["excludeApplications"] = json!(["a"])),
        ),
        (
            "trusted locations",
            policy(|p| {
                p["conditions"]["locations"] =
                    json!({"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]})
            }),
        ),
        (
            "browser only",
            policy(|p| p["conditions"]["clientAppTypes"] = json!(["browser"])),
        ),
        (
            "risky only",
            policy(|p| p["conditions"]["signInRiskLevels"] = json!(["high"])),
        ),
        (
            "sms sign-in",
            policy(|p| {
                p["grantControls"] = json!({"operator": "OR", "builtInControls": [],
            "authenticationStrength": {"id": "c", "allowedCombinations": ["sms", "fido2"]}})
            }),
        ),
        (
            "block",
            policy(|p| p["grantControls"]["builtInControls"] = json!(["block"])),
        ),
        ("session only", policy(|p| p["grantControls"] = Value::Null)),
    ];
    // A device condition with nothing in it narrows nothing.
    let empty = policy(|p| p["conditions"]["devices"] = json!({"deviceFilter": null}));
    assert_eq!(verdict(empty), Ok(Some(1)));
    let filtered = policy(|p| {
        p["conditions"]["devices"] =
            json!({"deviceFilter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}})
    });
    assert_eq!(verdict(filtered), Ok(None));
    for (what, p) in cases {
        assert_eq!(verdict(p), Ok(None), "{what}");
    }
}

#[test]
fn what_cannot_be_judged_is_unknown_unless_another_policy_qualifies() {
    let odd = policy(|p| {
        p["grantControls"] = json!({"operator": "OR", "builtInControls": [],
            "authenticationStrength": {"id": "c"}});
    });
    let err = admin_mfa(std::slice::from_ref(&odd)).unwrap_err();
    assert!(err.contains("allowedCombinations"), "{err}");
    // Global Administrators only: the other roles are uncovered, and the odd policy might
    // cover them.
    assert!(admin_mfa(&[odd.clone(), policy(|_| {})]).is_err());
    let got = admin_mfa(&[odd, every_admin_role()]).unwrap();
    assert_eq!(got.names, ["admins"]);
    assert_eq!(got.exclusions, ["admins: 1 user excluded"]);
    assert!(got.uncovered.is_empty());
    let none = admin_mfa(&[]).unwrap();
    assert!(none.names.is_empty());
    assert_eq!(none.uncovered.len(), ADMIN_ROLES.len());
}

/// The policy of Microsoft's template: every administrator role of [`ADMIN_ROLES`].
fn every_admin_role() -> Value {
    policy(|p| {
        p["conditions"]["users"]["includeRoles"] =
            json!(ADMIN_ROLES.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    })
}

#[test]
fn every_administrator_role_must_be_covered_by_some_enforced_policy() {
    // Global Administrators only: a Privileged Role Administrator signing in with a password
    // can make anyone Global Administrator.
    let ga = admin_mfa(&[policy(|_| {})]).unwrap();
    assert_eq!(ga.names, ["admins"]);
    assert_eq!(ga.uncovered.len(), ADMIN_ROLES.len() - 1);
    assert!(ga
        .uncovered
        .contains(&"Privileged Role Administrator".to_string()));
    // The roles split over two policies, in upper case: covered.
    let ids: Vec<String> = ADMIN_ROLES
        .iter()
        .map(|(id, _)| id.to_uppercase())
        .collect();
    let (first, second) = ids.split_at(5);
    let split = admin_mfa(&[
        policy(|p| p["conditions"]["users"]["includeRoles"] = json!(first)),
        policy(|p| p["conditions"]["users"]["includeRoles"] = json!(second)),
    ])
    .unwrap();
    assert!(split.uncovered.is_empty(), "{split:?}");
    // A role that is not an administrator role covers none of them.
    let other = admin_mfa(&[policy(|p| {
        p["conditions"]["users"]["includeRoles"] = json!(["88d8e3e3-8f55-4a1e-953a-9b9898b8876b"])
    })])
    .unwrap();
    assert_eq!(other.uncovered.len(), ADMIN_ROLES.len());
    // All users: every role.
    let all = admin_mfa(&[policy(|p| {
        p["conditions"]["users"] = json!({"includeUsers": ["All"], "excludeUsers": []});
    })])
    .unwrap();
    assert!(all.uncovered.is_empty());
    // Every role, but report-only for half of them: those stay uncovered.
    let half = admin_mfa(&[
        policy(|p| p["conditions"]["users"]["includeRoles"] = json!(first)),
        policy(|p| {
            p["conditions"]["users"]["includeRoles"] = json!(second);
            p["state"] = json!("enabledForReportingButNotEnforced");
        }),
    ])
    .unwrap();
    assert_eq!(half.uncovered.len(), second.len());
}

#[test]
fn exclusions_are_counted_never_named() {
    let both = Excluded {
        users: 2,
        external: true,
    };
    assert_eq!(
        both.describe().unwrap(),
        "2 users excluded, guests or external users excluded"
    );
    let none = Excluded {
        users: 0,
        external: false,
    };
    assert_eq!(none.describe(), None);
}
