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
    judge(&p).map(|e| e.map(|e| e.users))
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
            "another role",
            policy(|p| {
                p["conditions"]["users"]["includeRoles"] =
                    json!(["194ae4cb-b126-40b2-bd5b-6091b380977d"])
            }),
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
    let (names, exclusions) = admin_mfa(&[odd, policy(|_| {})]).unwrap();
    assert_eq!(names, ["admins"]);
    assert_eq!(exclusions, ["admins: 1 user excluded"]);
    assert_eq!(admin_mfa(&[]).unwrap(), (vec![], vec![]));
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
