use super::*;
use serde_json::json;

const RSV: &str =
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv";
const DR: &str =
    "/subscriptions/s/resourceGroups/dr/providers/Microsoft.RecoveryServices/vaults/rsv-dr";

fn item(vm: &str, state: &str, policy: &str) -> Value {
    json!({"properties": {"backupManagementType": "AzureIaasVM", "virtualMachineId": vm,
        "protectionState": state, "policyId": policy}})
}

/// An `AzureIaasVM` policy with a `LongTermRetentionPolicy`, as the 2024-04-01 examples answer.
fn policy(id: &str, frequency: &str, daily: Option<(i64, &str)>) -> Value {
    let mut retention = json!({"retentionPolicyType": "LongTermRetentionPolicy",
        "weeklySchedule": {"daysOfTheWeek": ["Sunday"], "retentionTimes": ["2024-01-01T02:00:00Z"],
            "retentionDuration": {"count": 104, "durationType": "Weeks"}}});
    if let Some((count, unit)) = daily {
        retention["dailySchedule"] = json!({"retentionTimes": ["2024-01-01T02:00:00Z"],
            "retentionDuration": {"count": count, "durationType": unit}});
    }
    json!({"id": id, "name": id.rsplit('/').next(), "properties": {
        "backupManagementType": "AzureIaasVM",
        "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicy", "scheduleRunFrequency": frequency},
        "retentionPolicy": retention}})
}

#[test]
fn active_items_and_their_policies() {
    let got = active_items(&[
        item("/VM/A", "Protected", "/Subscriptions/S/x/backupPolicies/P"),
        item("/vm/b", "ProtectionStopped", ""),
        item("/vm/c", "IRPending", "/s/x/backupPolicies/q"),
        item("/vm/d", "Protected", ""),
        item("/vm/e", "ProtectionPaused", "/s/x/backupPolicies/q"),
        json!({"properties": {"backupManagementType": "AzureWorkload", "sourceResourceId": "/vm/f",
            "protectionState": "Protected", "policyId": "/s/x/backupPolicies/q"}}),
    ]);
    assert_eq!(
        got,
        vec![
            (
                "/vm/a".into(),
                Some("/Subscriptions/S/x/backupPolicies/P".into())
            ),
            ("/vm/c".into(), Some("/s/x/backupPolicies/q".into())),
            ("/vm/d".into(), None),
        ]
    );
    assert_eq!(
        vault_of("/Subscriptions/S/x/backupPolicies/P").as_deref(),
        Some("/subscriptions/s/x")
    );
    assert_eq!(vault_of("DefaultPolicy"), None);
    assert_eq!(vault_of("/backupPolicies/p"), None);
}

#[test]
fn schedules_of_the_documented_shapes() {
    let s = |v: &Value| schedule(&v["properties"]);
    let daily = s(&policy("p", "Daily", Some((30, "Days")))).unwrap();
    assert_eq!(
        (daily.frequency.as_str(), daily.daily_days),
        ("Daily", Some(30))
    );
    // Weekly with 104 weeks of weekly points: no daily point at all.
    let weekly = s(&policy("p", "Weekly", None)).unwrap();
    assert_eq!(
        (weekly.frequency.as_str(), weekly.daily_days),
        ("Weekly", None)
    );
    // A weekly schedule with a leftover daily retention still takes no daily point.
    assert_eq!(
        s(&policy("p", "weekly", Some((90, "Days"))))
            .unwrap()
            .daily_days,
        None
    );
    // Enhanced (V2) hourly: its daily points kept 180 days.
    let hourly = json!({"properties": {"backupManagementType": "AzureIaasVM", "policyType": "V2",
        "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicyV2", "scheduleRunFrequency": "Hourly",
            "hourlySchedule": {"interval": 4, "scheduleWindowDuration": 16, "scheduleWindowStartTime": "2021-12-17T08:00:00Z"}},
        "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
            "dailySchedule": {"retentionDuration": {"count": 180, "durationType": "Days"}}}}});
    let hourly = s(&hourly).unwrap();
    assert_eq!(
        (hourly.frequency.as_str(), hourly.daily_days),
        ("Hourly", Some(180))
    );
    let simple = json!({"properties": {"backupManagementType": "AzureIaasVM",
        "schedulePolicy": {"scheduleRunFrequency": "Daily"},
        "retentionPolicy": {"retentionPolicyType": "SimpleRetentionPolicy",
            "retentionDuration": {"count": 5, "durationType": "Weeks"}}}});
    assert_eq!(s(&simple).unwrap().daily_days, Some(35));
}

#[test]
fn schedules_that_are_unknown() {
    let s = |v: &Value| schedule(&v["properties"]).unwrap_err();
    // A daily schedule without a daily retention; months, whose length varies.
    assert!(s(&policy("p", "Daily", None)).contains("dailySchedule"));
    assert!(s(&policy("p", "Daily", Some((2, "Months")))).contains("durationType"));
    assert!(s(&policy("p", "Daily", Some((-1, "Days")))).contains("count"));
    assert!(s(&policy("p", "Invalid", Some((30, "Days")))).contains("scheduleRunFrequency"));
    let mut workload = policy("p", "Daily", Some((30, "Days")));
    workload["properties"]["backupManagementType"] = json!("AzureWorkload");
    assert!(s(&workload).contains("backupManagementType"));
    let mut none = policy("p", "Daily", Some((30, "Days")));
    none["properties"]["retentionPolicy"] = json!({});
    assert!(s(&none).contains("retentionPolicyType"));
    assert!(s(&json!({})).contains("backupManagementType"));
}

fn estate() -> Backups {
    let p = |vault: &str, name: &str| format!("{vault}/backupPolicies/{name}");
    let listed = |l: Vec<Value>| Ok(by_id(&l));
    let mut b = Backups::default();
    for (vm, policy) in [
        ("/vm/daily", Some(p(RSV, "DefaultPolicy"))),
        (
            "/vm/moved",
            Some(p(DR, "DefaultPolicy").replace("/subscriptions/", "/Subscriptions/")),
        ),
        ("/vm/gone", Some(p(RSV, "Deleted"))),
        (
            "/vm/elsewhere",
            Some(p(
                "/subscriptions/t/resourceGroups/x/providers/Microsoft.RecoveryServices/vaults/v",
                "P",
            )),
        ),
        ("/vm/nameless", None),
        ("/vm/twice", Some(p(RSV, "Weekly"))),
        ("/vm/twice", Some(p(RSV, "DefaultPolicy"))),
    ] {
        b.vms.entry(vm.into()).or_default().push(policy);
    }
    b.policies.insert(
        RSV.to_ascii_lowercase(),
        listed(vec![
            policy(&p(RSV, "DefaultPolicy"), "Daily", Some((30, "Days"))),
            policy(&p(RSV, "Weekly"), "Weekly", None),
        ]),
    );
    // The other vault's policy of the same name keeps 60 days.
    b.policies.insert(
        DR.to_ascii_lowercase(),
        listed(vec![policy(
            &p(DR, "DefaultPolicy"),
            "Daily",
            Some((60, "Days")),
        )]),
    );
    b
}

#[test]
fn items_join_their_policy_by_full_id() {
    let b = estate();
    let days = |vm: &str| b.of(vm).daily_retention_days;
    assert_eq!(days("/VM/Daily"), Ok(Some(30)));
    assert_eq!(b.of("/vm/daily").frequency, Ok(Some("Daily".into())));
    // Its policy is the other vault's DefaultPolicy, not this vault's.
    assert_eq!(days("/vm/moved"), Ok(Some(60)));
    assert!(days("/vm/gone")
        .unwrap_err()
        .contains("not in its vault's listing"));
    assert!(days("/vm/elsewhere")
        .unwrap_err()
        .contains("vault listing does not hold"));
    assert!(days("/vm/nameless").unwrap_err().contains("policyId"));
    // Two active items: the longer daily retention counts.
    assert_eq!(days("/vm/twice"), Ok(Some(30)));
    assert_eq!(b.of("/vm/twice").frequency, Ok(Some("Daily".into())));
    for vm in ["/vm/daily", "/vm/gone", "/vm/nameless"] {
        assert_eq!(b.of(vm).protected, Ok(true));
    }
}

#[test]
fn unread_policies_and_vaults_are_unknown_never_unprotected() {
    let mut b = estate();
    let denied = format!("{POLICIES}: AuthorizationFailed (HTTP 403)");
    b.policies
        .insert(RSV.to_ascii_lowercase(), Err(denied.clone()));
    let daily = b.of("/vm/daily");
    assert_eq!(daily.protected, Ok(true));
    assert_eq!(daily.frequency, Err(denied.clone()));
    assert_eq!(daily.daily_retention_days, Err(denied.clone()));
    // The moved VM's policy is in the other, readable vault.
    assert_eq!(b.of("/vm/moved").daily_retention_days, Ok(Some(60)));
    // Unprotected: known only when every vault's items were read.
    assert_eq!(
        b.of("/vm/none"),
        VmBackup {
            protected: Ok(false),
            frequency: Ok(None),
            daily_retention_days: Ok(None)
        }
    );
    b.unread = Some("403".into());
    assert_eq!(b.of("/vm/none").protected, Err("403".into()));
    assert_eq!(b.of("/vm/none").daily_retention_days, Err("403".into()));
    assert_eq!(b.of("/vm/moved").protected, Ok(true));
    let all = Backups::unread("vaults 403".into());
    assert_eq!(all.of("/vm/daily").frequency, Err("vaults 403".into()));
}
