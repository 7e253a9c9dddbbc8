//! Tests of the parent module.

use super::*;

fn filter(pattern: &str) -> Vec<Filter> {
    vec![Filter {
        name: "f".into(),
        pattern: pattern.into(),
        alarmed: true,
    }]
}

fn class(p: &str) -> &'static EventClass {
    CLASSES.iter().find(|c| c.property == p).unwrap()
}

const CIS_ROOT: &str = r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;

#[test]
fn the_cis_patterns_monitor_their_class() {
    for (prop, pattern) in [
        ("root_usage", CIS_ROOT),
        ("unauthorized_api_calls", r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#),
        ("console_signin_without_mfa", r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#),
        ("console_authentication_failures", r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#),
        ("iam_policy_changes", "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"),
        ("cloudtrail_changes", "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"),
        ("kms_key_disabled_or_deleted", "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"),
        ("s3_bucket_policy_changes", "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"),
        ("security_group_changes", "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"),
        ("nacl_changes", "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"),
    ] {
        assert_eq!(monitors(class(prop), &filter(pattern)), Ok(true), "{prop}");
    }
}

#[test]
fn look_alike_patterns_do_not() {
    // Only service events by root: never a console sign-in.
    let wrong = CIS_ROOT.replace("!=", "=");
    assert_eq!(monitors(class("root_usage"), &filter(&wrong)), Ok(false));
    // Root API calls only: console sign-ins are missed.
    let api_only = r#"{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }"#;
    assert_eq!(monitors(class("root_usage"), &filter(api_only)), Ok(false));
    // Half the IAM policy calls.
    let half = "{ ($.eventName = PutUserPolicy) || ($.eventName = AttachUserPolicy) }";
    assert_eq!(
        monitors(class("iam_policy_changes"), &filter(half)),
        Ok(false)
    );
    // Everything: no alert at all.
    assert_eq!(monitors(class("root_usage"), &filter("")), Ok(false));
    assert_eq!(
        monitors(class("root_usage"), &filter(r#"{ $.eventName = "*" }"#)),
        Ok(false)
    );
    // A filter without an alarm with actions.
    let mut f = filter(CIS_ROOT);
    f[0].alarmed = false;
    assert_eq!(monitors(class("root_usage"), &f), Ok(false));
    // Not understood: unknown, unless something else already covers the class.
    let regex = filter(r#"{ $.eventName = %Console.*% }"#);
    assert!(monitors(class("console_authentication_failures"), &regex).is_err());
    let mut both = filter(CIS_ROOT);
    both.extend(regex);
    assert_eq!(monitors(class("root_usage"), &both), Ok(true));
}

#[test]
fn split_and_combined_filters_count() {
    let a = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }";
    let b = "{ ($.eventName = StartLogging) || ($.eventName = StopLogging) }";
    let mut f = filter(a);
    f.extend(filter(b));
    assert_eq!(monitors(class("cloudtrail_changes"), &f), Ok(true));
    let combined = format!(
        "{{ ({}) || ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }}",
        CIS_ROOT.trim_start_matches('{').trim_end_matches('}')
    );
    assert_eq!(monitors(class("root_usage"), &filter(&combined)), Ok(true));
    assert_eq!(
        monitors(class("cloudtrail_changes"), &filter(&combined)),
        Ok(true)
    );
    // A term pattern.
    assert_eq!(
        monitors(
            class("console_authentication_failures"),
            &filter(r#""Failed authentication" ConsoleLogin"#)
        ),
        Ok(true)
    );
}
