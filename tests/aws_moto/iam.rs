//! IAM: users `alice` (console password, MFA, in a group), `bob` (console password, no MFA,
//! AdministratorAccess attached directly) and `svc` (an inline allow-everything policy); a
//! password policy; customer policies `admin-all` and `s3-read`; the `aws-support` role and
//! the roles `app-role` (reads phi-kms) and `break-glass` (inline admin).
//!
//! moto: its account summary always reports `AccountMFAEnabled: 0`, so root MFA always fails
//! here (the passing case is covered by fixtures/policies/aws-iam-root-mfa.yaml).

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let iam = aws_sdk_iam::Client::new(conf);
    for u in ["alice", "bob", "svc"] {
        iam.create_user().user_name(u).send().await.unwrap();
    }
    for u in ["alice", "bob"] {
        iam.create_login_profile()
            .user_name(u)
            .password("Correct-Horse-9-Battery")
            .send()
            .await
            .unwrap();
    }
    iam.update_account_password_policy()
        .minimum_password_length(14)
        .password_reuse_prevention(24)
        .send()
        .await
        .unwrap();
    let mfa = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice")
        .send()
        .await
        .unwrap();
    let serial = mfa
        .virtual_mfa_device()
        .unwrap()
        .serial_number()
        .to_string();
    iam.enable_mfa_device()
        .user_name("alice")
        .serial_number(serial)
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .unwrap();

    const ADMIN: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    const S3_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::phi-kms/*"}]}"#;
    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    for (name, doc) in [("admin-all", ADMIN), ("s3-read", S3_READ)] {
        iam.create_policy()
            .policy_name(name)
            .policy_document(doc)
            .send()
            .await
            .unwrap();
    }
    iam.attach_user_policy()
        .user_name("bob")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    iam.put_user_policy()
        .user_name("svc")
        .policy_name("do-anything")
        .policy_document(ADMIN)
        .send()
        .await
        .unwrap();
    iam.create_group()
        .group_name("clinicians")
        .send()
        .await
        .unwrap();
    iam.add_user_to_group()
        .group_name("clinicians")
        .user_name("alice")
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("aws-support")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("aws-support")
        .policy_arn("arn:aws:iam::aws:policy/AWSSupportAccess")
        .send()
        .await
        .unwrap();
    for (role, doc) in [("app-role", S3_READ), ("break-glass", ADMIN)] {
        iam.create_role()
            .role_name(role)
            .assume_role_policy_document(TRUST)
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name(role)
            .policy_name("inline")
            .policy_document(doc)
            .send()
            .await
            .unwrap();
    }
}

pub fn expected(account: &str) -> Triples {
    set(&[
        ("aws-iam-user-console-mfa", "alice", "pass"),
        ("aws-iam-user-console-mfa", "bob", "fail"),
        ("aws-iam-user-console-mfa", "svc", "pass"),
        ("aws-iam-root-mfa", account, "fail"),
        ("aws-iam-root-no-access-keys", account, "pass"),
        ("aws-iam-password-policy", account, "pass"),
        ("aws-iam-access-key-rotated", "alice", "pass"),
        ("aws-iam-access-key-rotated", "bob", "pass"),
        ("aws-iam-access-key-rotated", "svc", "pass"),
        // Created moments ago and never used: not yet unused for 90 days. Ages and last-used
        // times cannot be set in moto; fixtures/policies/aws-iam-unused-credentials.yaml covers them.
        ("aws-iam-unused-credentials", "alice", "pass"),
        ("aws-iam-unused-credentials", "bob", "pass"),
        ("aws-iam-unused-credentials", "svc", "pass"),
        ("aws-iam-no-admin-policy", "alice", "pass"),
        ("aws-iam-no-admin-policy", "bob", "fail"),
        ("aws-iam-no-admin-policy", "svc", "fail"),
        ("aws-iam-no-admin-policy", "admin-all", "fail"),
        ("aws-iam-no-admin-policy", "s3-read", "pass"),
        ("aws-iam-no-admin-policy", "app-role", "pass"),
        ("aws-iam-no-admin-policy", "break-glass", "fail"),
        ("aws-iam-no-admin-policy", "aws-support", "pass"),
        ("aws-iam-no-admin-policy", "clinicians", "pass"),
        ("aws-iam-no-kms-decrypt-all", "admin-all", "fail"),
        ("aws-iam-no-kms-decrypt-all", "s3-read", "pass"),
        ("aws-iam-inline-no-kms-decrypt-all", "alice", "pass"),
        ("aws-iam-inline-no-kms-decrypt-all", "app-role", "pass"),
        ("aws-iam-inline-no-kms-decrypt-all", "aws-support", "pass"),
        ("aws-iam-inline-no-kms-decrypt-all", "bob", "pass"),
        ("aws-iam-inline-no-kms-decrypt-all", "break-glass", "fail"),
        ("aws-iam-inline-no-kms-decrypt-all", "clinicians", "pass"),
        ("aws-iam-inline-no-kms-decrypt-all", "svc", "fail"),
        ("aws-iam-one-active-access-key", "alice", "pass"),
        ("aws-iam-one-active-access-key", "bob", "pass"),
        ("aws-iam-one-active-access-key", "svc", "pass"),
        // moto's account summary never reports root MFA.
        ("aws-iam-root-hardware-mfa", account, "fail"),
        ("aws-iam-support-role", account, "pass"),
        ("aws-iam-user-in-group", "alice", "pass"),
        ("aws-iam-user-in-group", "bob", "fail"),
        ("aws-iam-user-in-group", "svc", "fail"),
        ("aws-iam-user-no-direct-policies", "alice", "pass"),
        ("aws-iam-user-no-direct-policies", "bob", "fail"),
        ("aws-iam-user-no-direct-policies", "svc", "fail"),
        ("aws-service-hipaa-eligible", "alice", "pass"),
        ("aws-service-hipaa-eligible", "bob", "pass"),
        ("aws-service-hipaa-eligible", "svc", "pass"),
        ("aws-service-hipaa-eligible", "admin-all", "pass"),
        ("aws-service-hipaa-eligible", "s3-read", "pass"),
        ("aws-service-hipaa-eligible", "app-role", "pass"),
        ("aws-service-hipaa-eligible", "break-glass", "pass"),
        ("aws-service-hipaa-eligible", "aws-support", "pass"),
        ("aws-service-hipaa-eligible", "clinicians", "pass"),
    ])
}
