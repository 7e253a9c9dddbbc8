//! Look-alikes in a real AWS peer (moto): configurations that read compliant but are not, and
//! compliant ones that read otherwise. Each must get its exact verdict from a live scan.

#[path = "aws_lookalikes/backup_selections.rs"]
mod backup_selections;
mod common;

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use common::moto::{scan, Moto};
use serde_json::Value;

const ACCOUNT: &str = "123456789012";

fn policy(statement: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
}

async fn seed_s3(conf: &SdkConfig) {
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .force_path_style(true)
            .build(),
    );
    let get = |bucket: &str, condition: &str| {
        policy(&format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*","Condition":{condition}}}"#
        ))
    };
    let deny = |resource: &str| {
        policy(&format!(
            r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":{resource},"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}"#
        ))
    };
    let buckets = [
        // Public through a wildcard or a negation: fail.
        (
            "wild-vpce",
            get("wild-vpce", r#"{"StringLike":{"aws:SourceVpce":"vpce-*"}}"#),
        ),
        (
            "not-ip",
            get(
                "not-ip",
                r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            ),
        ),
        (
            "two-halves",
            get(
                "two-halves",
                r#"{"IpAddress":{"aws:SourceIp":["0.0.0.0/1","128.0.0.0/1"]}}"#,
            ),
        ),
        // Pinned to one endpoint: not public.
        (
            "pinned-vpce",
            get(
                "pinned-vpce",
                r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
            ),
        ),
        // A deny on the bucket alone leaves the objects reachable over HTTP: fail.
        (
            "deny-bucket-only",
            deny(r#""arn:aws:s3:::deny-bucket-only""#),
        ),
        // A deny on every object is TLS-only: pass.
        ("deny-objects", deny(r#""arn:aws:s3:::deny-objects/*""#)),
    ];
    for (name, doc) in buckets {
        s3.create_bucket().bucket(name).send().await.unwrap();
        s3.put_bucket_policy()
            .bucket(name)
            .policy(doc)
            .send()
            .await
            .unwrap();
    }
}

async fn seed_iam(conf: &SdkConfig) {
    let iam = aws_sdk_iam::Client::new(conf);
    for u in ["carol", "dave", "erin"] {
        iam.create_user().user_name(u).send().await.unwrap();
    }
    // Administrator through a group.
    iam.create_group()
        .group_name("admins")
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("admins")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    iam.add_user_to_group()
        .group_name("admins")
        .user_name("carol")
        .send()
        .await
        .unwrap();
    // Read-only through a group: fine.
    iam.create_group()
        .group_name("readers")
        .send()
        .await
        .unwrap();
    iam.attach_group_policy()
        .group_name("readers")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    iam.add_user_to_group()
        .group_name("readers")
        .user_name("dave")
        .send()
        .await
        .unwrap();
    // Everything but a few actions, and iam:* (self-escalation), held by erin.
    for (name, statement) in [
        (
            "almost-all",
            r#"{"Effect":"Allow","NotAction":["s3:DeleteBucket"],"Resource":"*"}"#,
        ),
        (
            "iam-all",
            r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#,
        ),
        (
            "s3-read",
            r#"{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}"#,
        ),
    ] {
        let created = iam
            .create_policy()
            .policy_name(name)
            .policy_document(policy(statement))
            .send()
            .await
            .unwrap();
        if name == "iam-all" {
            iam.attach_user_policy()
                .user_name("erin")
                .policy_arn(created.policy().unwrap().arn().unwrap())
                .send()
                .await
                .unwrap();
        }
    }
}

async fn seed_ec2(conf: &SdkConfig) {
    use aws_sdk_ec2::types::{IpPermission, IpRange};
    let ec2 = aws_sdk_ec2::Client::new(conf);
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.9.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let rule = |port: i32, cidr: &str| {
        IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(port)
            .to_port(port)
            .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
            .build()
    };
    for (name, rules) in [
        // SSH open to two /1s: the whole internet.
        (
            "halves",
            vec![rule(22, "0.0.0.0/1"), rule(22, "128.0.0.0/1")],
        ),
        // PostgreSQL open to the internet: a database port.
        ("db-open", vec![rule(5432, "0.0.0.0/0")]),
        // SSH from one office network: fine.
        ("office", vec![rule(22, "203.0.113.0/24")]),
        // SSH from a /12: narrower than the default bound (/8), broader than --open-prefix 16.
        ("wide", vec![rule(22, "100.64.0.0/12")]),
    ] {
        let g = ec2
            .create_security_group()
            .group_name(name)
            .description(name)
            .vpc_id(&vpc)
            .send()
            .await
            .unwrap();
        ec2.authorize_security_group_ingress()
            .group_id(g.group_id().unwrap())
            .set_ip_permissions(Some(rules))
            .send()
            .await
            .unwrap();
    }
}

async fn seed_trail(conf: &SdkConfig) {
    use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket()
        .bucket("trail-logs")
        .send()
        .await
        .unwrap();
    let ct = aws_sdk_cloudtrail::Client::new(conf);
    ct.create_trail()
        .name("writes-only")
        .s3_bucket_name("trail-logs")
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap();
    // A multi-region trail that records only writes: reads of ePHI stores go unrecorded.
    ct.put_event_selectors()
        .trail_name("writes-only")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::WriteOnly)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    ct.start_logging().name("writes-only").send().await.unwrap();
}

/// A private bucket exposed through an internet access point with a public policy.
async fn seed_access_point(conf: &SdkConfig) {
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket().bucket("via-ap").send().await.unwrap();
    // S3 Control puts the account id in front of the host; moto is one endpoint.
    #[derive(Debug)]
    struct Fixed(String);
    impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for Fixed {
        fn resolve_endpoint<'a>(
            &'a self,
            _: &'a aws_sdk_s3control::config::endpoint::Params,
        ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
            aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
                aws_sdk_s3control::config::endpoint::Endpoint::builder()
                    .url(self.0.clone())
                    .build(),
            ))
        }
    }
    let url = conf.endpoint_url().unwrap().to_string();
    let control = aws_sdk_s3control::Client::from_conf(
        aws_sdk_s3control::config::Builder::from(conf)
            .endpoint_resolver(Fixed(url))
            .build(),
    );
    // moto answers CreateAccessPoint with a root element the SDK does not accept
    // (`CreateAccessPointResponse`); the access point is created all the same.
    let _ = control
        .create_access_point()
        .account_id(ACCOUNT)
        .name("partners")
        .bucket("via-ap")
        .send()
        .await;
    control
        .put_access_point_policy()
        .account_id(ACCOUNT)
        .name("partners")
        .policy(policy(&format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/partners/object/*"}}"#
        )))
        .send()
        .await
        .unwrap();
}

/// Resources of services no catalog check reads: they must still reach the BAA check and map.
async fn seed_services_in_use(conf: &SdkConfig) {
    let sqs = aws_sdk_sqs::Client::new(conf);
    sqs.create_queue()
        .queue_name("orders")
        .send()
        .await
        .unwrap();
    let sfn = aws_sdk_sfn::Client::new(conf);
    sfn.create_state_machine()
        .name("intake")
        .definition(r#"{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}"#)
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/sfn"))
        .send()
        .await
        .unwrap();
    // The Tagging API lists it too, as `...:backup-vault:NAME`: it must stay one resource, the
    // one Backup's own reader writes. (moto's DMS answers creation with a time the SDK cannot
    // read, so the `rep` type is covered by the unit test only.)
    aws_sdk_backup::Client::new(conf)
        .create_backup_vault()
        .backup_vault_name("tagged-vault")
        .backup_vault_tags("team", "billing")
        .send()
        .await
        .unwrap();
}

/// (policy, resource name, outcome) for the given policies.
fn verdicts(result: &Value, policies: &[&str]) -> BTreeSet<(String, String, String)> {
    result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| policies.contains(&v["policy"].as_str().unwrap()))
        .map(|v| {
            let name = v["resource"]["name"].as_str().unwrap();
            // Security groups are named `NAME (sg-...)`.
            let name = name.split(" (sg-").next().unwrap();
            (
                v["policy"].as_str().unwrap().to_string(),
                name.to_string(),
                v["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expect(rows: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    rows.iter()
        .map(|(p, n, o)| (p.to_string(), n.to_string(), o.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alikes_get_exact_verdicts() {
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    seed_s3(&conf).await;
    seed_iam(&conf).await;
    seed_ec2(&conf).await;
    seed_trail(&conf).await;
    seed_services_in_use(&conf).await;
    seed_access_point(&conf).await;
    let (_, result) = scan(&moto, "testing", "testing", &["--fail-on", "none"]);
    assert!(
        result["source"]
            .as_str()
            .unwrap()
            .contains(&format!("endpoint overrides: --endpoint-url {}", moto.url)),
        "every report names the endpoint override: {}",
        result["source"]
    );

    let in_use = verdicts(
        &result,
        &["aws-service-hipaa-eligible", "aws-sqs-encrypted"],
    );
    for (policy, name, outcome) in [
        ("aws-service-hipaa-eligible", "orders", "pass"),
        ("aws-service-hipaa-eligible", "intake", "pass"),
        ("aws-sqs-encrypted", "orders", "pass"),
    ] {
        assert!(
            in_use.contains(&(policy.into(), name.into(), outcome.into())),
            "{policy} on {name} should {outcome}: {in_use:?}"
        );
    }

    let listed: Vec<&str> = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            v["policy"] == "aws-service-hipaa-eligible" && v["resource"]["name"] == "tagged-vault"
        })
        .map(|v| v["resource"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["aws.backup.vault"],
        "listed once, by Backup's own reader"
    );

    // The inheritance map lists the services in use, with their BAA status.
    let dir = tempfile::tempdir().unwrap();
    let map_path = dir.path().join("map.json");
    let output = format!("map-json={}", map_path.display());
    scan(
        &moto,
        "testing",
        "testing",
        &["--fail-on", "none", "--output", &output],
    );
    let map: Value = serde_json::from_str(&std::fs::read_to_string(&map_path).unwrap()).unwrap();
    let services: BTreeSet<(String, String)> = map["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["service"].as_str().unwrap().to_string(),
                s["baa_status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for service in ["sqs", "states", "s3", "iam"] {
        assert!(
            services.iter().any(|(s, _)| s == service),
            "{service} missing from the map: {services:?}"
        );
    }
    for service in ["sqs", "states"] {
        assert!(
            services.contains(&(service.into(), "listed".into())),
            "{service} is on the AWS list: {services:?}"
        );
    }

    let s3 = verdicts(&result, &["aws-s3-not-public", "aws-s3-tls-only"]);
    let want = expect(&[
        ("aws-s3-not-public", "wild-vpce", "fail"),
        ("aws-s3-not-public", "not-ip", "fail"),
        ("aws-s3-not-public", "two-halves", "fail"),
        ("aws-s3-not-public", "pinned-vpce", "pass"),
        ("aws-s3-not-public", "deny-bucket-only", "pass"),
        ("aws-s3-not-public", "deny-objects", "pass"),
        ("aws-s3-not-public", "trail-logs", "pass"),
        ("aws-s3-not-public", "via-ap", "pass"),
        ("aws-s3-tls-only", "wild-vpce", "fail"),
        ("aws-s3-tls-only", "not-ip", "fail"),
        ("aws-s3-tls-only", "two-halves", "fail"),
        ("aws-s3-tls-only", "pinned-vpce", "fail"),
        ("aws-s3-tls-only", "deny-bucket-only", "fail"),
        ("aws-s3-tls-only", "deny-objects", "pass"),
        ("aws-s3-tls-only", "trail-logs", "fail"),
        ("aws-s3-tls-only", "via-ap", "fail"),
    ]);
    assert_eq!(s3, want, "S3 look-alikes");

    // The access point is judged by its own policy; moto's ListAccessPoints answer is read
    // when the SDK accepts its shape, and an unreadable one is not evaluated, never a pass.
    let ap: Vec<&Value> = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            v["policy"] == "aws-s3-access-points-not-public" && v["resource"]["name"] == "via-ap"
        })
        .collect();
    assert_eq!(ap.len(), 1);
    assert_ne!(ap[0]["outcome"], "pass", "{}", ap[0]);
    println!(
        "access point verdict: {} {}",
        ap[0]["outcome"], ap[0]["reason"]
    );

    let iam = verdicts(&result, &["aws-iam-no-admin-policy"]);
    for (name, outcome) in [
        ("admins", "fail"),
        ("carol", "fail"),
        ("readers", "pass"),
        ("dave", "pass"),
        ("erin", "fail"),
        ("almost-all", "fail"),
        ("iam-all", "fail"),
        ("s3-read", "pass"),
    ] {
        assert!(
            iam.contains(&(
                "aws-iam-no-admin-policy".into(),
                name.into(),
                outcome.into()
            )),
            "{name} should {outcome}: {iam:?}"
        );
    }

    let sg = verdicts(
        &result,
        &[
            "aws-ec2-no-open-admin-ports",
            "aws-ec2-no-open-database-ports",
        ],
    );
    for (policy, name, outcome) in [
        ("aws-ec2-no-open-admin-ports", "halves", "fail"),
        ("aws-ec2-no-open-admin-ports", "db-open", "pass"),
        ("aws-ec2-no-open-admin-ports", "office", "pass"),
        ("aws-ec2-no-open-database-ports", "halves", "pass"),
        ("aws-ec2-no-open-database-ports", "db-open", "fail"),
        ("aws-ec2-no-open-database-ports", "office", "pass"),
    ] {
        assert!(
            sg.contains(&(policy.into(), name.into(), outcome.into())),
            "{policy} on {name} should {outcome}: {sg:?}"
        );
    }

    assert!(sg.contains(&(
        "aws-ec2-no-open-admin-ports".into(),
        "wide".into(),
        "pass".into()
    )));
    let (_, strict) = scan(
        &moto,
        "testing",
        "testing",
        &["--fail-on", "none", "--open-prefix", "16"],
    );
    let strict = verdicts(&strict, &["aws-ec2-no-open-admin-ports"]);
    for (name, outcome) in [("wide", "fail"), ("office", "pass"), ("halves", "fail")] {
        assert!(
            strict.contains(&(
                "aws-ec2-no-open-admin-ports".into(),
                name.into(),
                outcome.into()
            )),
            "--open-prefix 16: {name} should {outcome}: {strict:?}"
        );
    }

    let trail = verdicts(&result, &["aws-cloudtrail-enabled"]);
    assert_eq!(
        trail,
        expect(&[("aws-cloudtrail-enabled", ACCOUNT, "fail")]),
        "a write-only trail does not record reads"
    );
}

const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/ledger";

/// Database audit options, backup plans and DynamoDB data events, each with its look-alikes.
async fn seed_stores(conf: &SdkConfig) {
    use aws_sdk_rds::types::{ApplyMethod, OptionConfiguration, OptionSetting, Parameter};
    let rds = aws_sdk_rds::Client::new(conf);
    // The MariaDB Audit Plugin with its default events (CONNECT,QUERY), and with events that
    // leave reads out.
    for (group, events) in [
        ("audit-default", None),
        ("audit-noselect", Some("CONNECT,QUERY_DML_NO_SELECT")),
    ] {
        rds.create_option_group()
            .option_group_name(group)
            .engine_name("mysql")
            .major_engine_version("8.0")
            .option_group_description("audit")
            .send()
            .await
            .unwrap();
        let mut option = OptionConfiguration::builder().option_name("MARIADB_AUDIT_PLUGIN");
        if let Some(e) = events {
            option = option.option_settings(
                OptionSetting::builder()
                    .name("SERVER_AUDIT_EVENTS")
                    .value(e)
                    .build(),
            );
        }
        rds.modify_option_group()
            .option_group_name(group)
            .options_to_include(option.build())
            .apply_immediately(true)
            .send()
            .await
            .unwrap();
    }
    // pgaudit loaded for everything but reads.
    rds.create_db_parameter_group()
        .db_parameter_group_name("pg-no-reads")
        .db_parameter_group_family("postgres16")
        .description("audit")
        .send()
        .await
        .unwrap();
    let mut modify = rds
        .modify_db_parameter_group()
        .db_parameter_group_name("pg-no-reads");
    for (name, value) in [
        ("shared_preload_libraries", "pgaudit"),
        ("pgaudit.log", "all,-read"),
    ] {
        modify = modify.parameters(
            Parameter::builder()
                .parameter_name(name)
                .parameter_value(value)
                .apply_method(ApplyMethod::PendingReboot)
                .build(),
        );
    }
    modify.send().await.unwrap();
    for (name, engine, option_group, params) in [
        ("my-audit", "mysql", Some("audit-default"), None),
        ("my-noselect", "mysql", Some("audit-noselect"), None),
        ("pg-no-reads", "postgres", None, Some("pg-no-reads")),
    ] {
        rds.create_db_instance()
            .db_instance_identifier(name)
            .engine(engine)
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("dbadmin")
            .master_user_password("not-a-real-password-1")
            .set_option_group_name(option_group.map(str::to_string))
            .set_db_parameter_group_name(params.map(str::to_string))
            .send()
            .await
            .unwrap();
    }

    use aws_sdk_backup::types::{BackupPlanInput, BackupRuleInput, Lifecycle};
    let backup = aws_sdk_backup::Client::new(conf);
    backup
        .create_backup_vault()
        .backup_vault_name("vault")
        .send()
        .await
        .unwrap();
    let rule = |name: &str, cron: &str, days: i64| {
        BackupRuleInput::builder()
            .rule_name(name)
            .target_backup_vault_name("vault")
            .schedule_expression(cron)
            .lifecycle(Lifecycle::builder().delete_after_days(days).build())
            .build()
            .unwrap()
    };
    for (plan, rules) in [
        ("daily-35", vec![rule("daily", "cron(0 5 ? * * *)", 35)]),
        // Daily but short, weekly but long: no one rule does both.
        (
            "split",
            vec![
                rule("daily", "cron(0 5 ? * * *)", 7),
                rule("weekly", "cron(0 5 ? * 1 *)", 90),
            ],
        ),
        (
            "every-other-day",
            vec![rule("alt", "cron(0 5 1/2 * ? *)", 60)],
        ),
    ] {
        backup
            .create_backup_plan()
            .backup_plan(
                BackupPlanInput::builder()
                    .backup_plan_name(plan)
                    .set_rules(Some(rules))
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }

    let ddb = aws_sdk_dynamodb::Client::new(conf);
    for t in ["ledger", "ledger-archive"] {
        create_table(&ddb, t).await;
    }
    // A trail whose advanced selector names the ledger table exactly: `ledger-archive`, whose
    // ARN starts with the ledger's, is not taken.
    use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector};
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket()
        .bucket("data-trail-logs")
        .send()
        .await
        .unwrap();
    let ct = aws_sdk_cloudtrail::Client::new(conf);
    ct.create_trail()
        .name("data-trail")
        .s3_bucket_name("data-trail-logs")
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap();
    let field = |name: &str, value: &str| {
        AdvancedFieldSelector::builder()
            .field(name)
            .equals(value)
            .build()
            .unwrap()
    };
    ct.put_event_selectors()
        .trail_name("data-trail")
        .advanced_event_selectors(
            AdvancedEventSelector::builder()
                .name("ledger")
                .field_selectors(field("eventCategory", "Data"))
                .field_selectors(field("resources.type", "AWS::DynamoDB::Table"))
                .field_selectors(field("resources.ARN", TABLE_ARN))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    ct.start_logging().name("data-trail").send().await.unwrap();
}

/// An on-demand table tagged `phi=true`.
async fn create_table(ddb: &aws_sdk_dynamodb::Client, name: &str) {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    ddb.create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .tags(
            aws_sdk_dynamodb::types::Tag::builder()
                .key("phi")
                .value("true")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_backup_and_data_event_look_alikes_get_exact_verdicts() {
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    seed_stores(&conf).await;
    let (_, result) = scan(&moto, "testing", "testing", &["--fail-on", "none"]);
    let got = verdicts(
        &result,
        &[
            "aws-rds-audit-logging",
            "aws-backup-plan-frequency-retention",
            "aws-cloudtrail-dynamodb-data-events",
            "aws-dynamodb-in-backup-plan",
        ],
    );
    assert_eq!(
        got,
        expect(&[
            ("aws-rds-audit-logging", "my-audit", "pass"),
            ("aws-rds-audit-logging", "my-noselect", "fail"),
            ("aws-rds-audit-logging", "pg-no-reads", "fail"),
            ("aws-backup-plan-frequency-retention", "daily-35", "pass"),
            ("aws-backup-plan-frequency-retention", "split", "fail"),
            (
                "aws-backup-plan-frequency-retention",
                "every-other-day",
                "fail"
            ),
            ("aws-cloudtrail-dynamodb-data-events", "ledger", "pass"),
            (
                "aws-cloudtrail-dynamodb-data-events",
                "ledger-archive",
                "fail"
            ),
            // moto has plans but no ListBackupSelections: which tables a plan takes is
            // unknown, never "not backed up".
            ("aws-dynamodb-in-backup-plan", "ledger", "not_evaluated"),
            (
                "aws-dynamodb-in-backup-plan",
                "ledger-archive",
                "not_evaluated"
            ),
        ])
    );
    let reason = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["policy"] == "aws-dynamodb-in-backup-plan")
        .unwrap()["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.starts_with("backup:ListBackupSelections: "),
        "{reason}"
    );

    // The same plans with selections (answered in front of moto, which has none): a tag-only
    // selection, `ListOfTags` OR a database's ARN, and RDS by service name with RDS not opted
    // in.
    backup_selections::seed(&moto, &conf).await;
    let in_plan = ["aws-dynamodb-in-backup-plan", "aws-rds-in-backup-plan"];
    let (_, result) = scan(&moto, "testing", "testing", &["--fail-on", "none"]);
    assert_eq!(
        verdicts(&result, &in_plan),
        expect(&[
            // Tag-only: `backup=daily` taken, `backup=never` not.
            ("aws-dynamodb-in-backup-plan", "ledger", "pass"),
            ("aws-dynamodb-in-backup-plan", "ledger-archive", "fail"),
            // `ListOfTags` OR `Resources`: taken by its tag alone.
            ("aws-dynamodb-in-backup-plan", "ledger-weekly", "pass"),
            // ... and by its ARN alone, which names the `db` type: no opt-in needed.
            ("aws-rds-in-backup-plan", "my-audit", "pass"),
            // The tag matches, but a tag selection needs the RDS opt-in, which is off.
            ("aws-rds-in-backup-plan", "my-noselect", "fail"),
            // `arn:aws:rds:*` selects by service name: off too.
            ("aws-rds-in-backup-plan", "pg-no-reads", "fail"),
        ])
    );

    // Opt-in settings refused: what depends on them is unknown, the rest is decided.
    backup_selections::deny_region_settings(&moto);
    let (_, result) = scan(&moto, "testing", "testing", &["--fail-on", "none"]);
    assert_eq!(
        verdicts(&result, &in_plan),
        expect(&[
            ("aws-dynamodb-in-backup-plan", "ledger", "not_evaluated"),
            ("aws-dynamodb-in-backup-plan", "ledger-archive", "fail"),
            (
                "aws-dynamodb-in-backup-plan",
                "ledger-weekly",
                "not_evaluated"
            ),
            ("aws-rds-in-backup-plan", "my-audit", "pass"),
            ("aws-rds-in-backup-plan", "my-noselect", "not_evaluated"),
            ("aws-rds-in-backup-plan", "pg-no-reads", "not_evaluated"),
        ])
    );
    for v in result["verdicts"].as_array().unwrap() {
        if in_plan.contains(&v["policy"].as_str().unwrap()) && v["outcome"] == "not_evaluated" {
            let reason = v["reason"].as_str().unwrap();
            assert!(
                reason.starts_with("backup:DescribeRegionSettings: "),
                "{reason}"
            );
        }
    }
}

/// A warehouse, search domains and caches: one compliant of each, and the look-alikes.
async fn seed_warehouse_search_cache(conf: &SdkConfig) {
    let rs = aws_sdk_redshift::Client::new(conf);
    // moto cannot change a parameter group (no ModifyClusterParameterGroup): every group
    // reports `require_ssl` and `enable_user_activity_logging` false, as AWS's old default
    // group does. The passing cases are in the fixtures.
    rs.create_cluster_parameter_group()
        .parameter_group_name("custom")
        .parameter_group_family("redshift-1.0")
        .description("custom")
        .send()
        .await
        .unwrap();
    for (name, good) in [("dw", true), ("legacy-dw", false)] {
        rs.create_cluster()
            .cluster_identifier(name)
            .node_type("ra3.xlplus")
            .master_username("admin")
            .master_user_password("Not-a-real-password-1")
            .encrypted(good)
            .publicly_accessible(!good)
            .enhanced_vpc_routing(good)
            .automated_snapshot_retention_period(if good { 7 } else { 1 })
            .set_cluster_parameter_group_name(good.then(|| "custom".to_string()))
            .send()
            .await
            .unwrap();
    }
    rs.enable_logging()
        .cluster_identifier("dw")
        .bucket_name("dw-audit")
        .send()
        .await
        .unwrap();

    use aws_sdk_opensearch::types::{
        DomainEndpointOptions, EncryptionAtRestOptions, LogPublishingOption, LogType,
        NodeToNodeEncryptionOptions, TlsSecurityPolicy,
    };
    let os = aws_sdk_opensearch::Client::new(conf);
    let open_to = |domain: &str, cidrs: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"es:ESHttp*","Resource":"arn:aws:es:us-east-1:{ACCOUNT}:domain/{domain}/*","Condition":{{"IpAddress":{{"aws:SourceIp":{cidrs}}}}}}}]}}"#
        )
    };
    for (name, good, tls, cidrs) in [
        // Encrypted, TLS 1.2, audit logs; pinned to one office range.
        (
            "records",
            true,
            TlsSecurityPolicy::PolicyMinTls12Pfs202310,
            r#"["203.0.113.0/24"]"#,
        ),
        // HTTPS enforced but TLS 1.0 still accepted; two /1s are the whole internet.
        (
            "old-tls",
            false,
            TlsSecurityPolicy::PolicyMinTls10201907,
            r#"["0.0.0.0/1","128.0.0.0/1"]"#,
        ),
    ] {
        let mut req = os
            .create_domain()
            .domain_name(name)
            .encryption_at_rest_options(EncryptionAtRestOptions::builder().enabled(good).build())
            .node_to_node_encryption_options(
                NodeToNodeEncryptionOptions::builder().enabled(good).build(),
            )
            .domain_endpoint_options(
                DomainEndpointOptions::builder()
                    .enforce_https(true)
                    .tls_security_policy(tls)
                    .build(),
            )
            .access_policies(open_to(name, cidrs));
        if good {
            req = req.log_publishing_options(
                LogType::AuditLogs,
                LogPublishingOption::builder()
                    .cloud_watch_logs_log_group_arn(format!(
                        "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/os/audit"
                    ))
                    .enabled(true)
                    .build(),
            );
        }
        req.send().await.unwrap();
    }

    let ec = aws_sdk_elasticache::Client::new(conf);
    for (name, mode, retention) in [
        ("sessions", "required", 15),
        // In-transit encryption in `preferred` mode still accepts clear text.
        ("migrating", "preferred", 1),
    ] {
        let mut req = ec
            .create_replication_group()
            .replication_group_id(name)
            .replication_group_description(name)
            .engine("redis")
            .cache_node_type("cache.t3.micro")
            .at_rest_encryption_enabled(name == "sessions")
            .transit_encryption_enabled(true)
            .transit_encryption_mode(aws_sdk_elasticache::types::TransitEncryptionMode::from(
                mode,
            ))
            .snapshot_retention_limit(retention);
        if name == "sessions" {
            req = req.auth_token("not-a-real-token-0123456789");
        }
        req.send().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warehouse_search_and_cache_look_alikes_get_exact_verdicts() {
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    seed_warehouse_search_cache(&conf).await;
    let (_, result) = scan(&moto, "testing", "testing", &["--fail-on", "none"]);
    let policies = [
        "aws-redshift-encrypted",
        "aws-redshift-not-public",
        "aws-redshift-require-tls",
        "aws-redshift-audit-logging",
        "aws-redshift-snapshot-retention",
        "aws-redshift-enhanced-vpc-routing",
        "aws-opensearch-encrypted-at-rest",
        "aws-opensearch-node-to-node-encryption",
        "aws-opensearch-https-tls12",
        "aws-opensearch-not-public",
        "aws-opensearch-audit-logs",
        "aws-elasticache-encrypted-at-rest",
        "aws-elasticache-encrypted-in-transit",
        "aws-elasticache-auth",
        "aws-elasticache-backups",
        "aws-service-hipaa-eligible",
    ];
    let got = verdicts(&result, &policies);
    let mut want = expect(&[
        ("aws-redshift-encrypted", "dw", "pass"),
        ("aws-redshift-encrypted", "legacy-dw", "fail"),
        ("aws-redshift-not-public", "dw", "pass"),
        ("aws-redshift-not-public", "legacy-dw", "fail"),
        ("aws-redshift-require-tls", "dw", "fail"),
        ("aws-redshift-require-tls", "legacy-dw", "fail"),
        // Audit logging on, user activity logging off: connections are logged, queries not.
        ("aws-redshift-audit-logging", "dw", "fail"),
        ("aws-redshift-audit-logging", "legacy-dw", "fail"),
        ("aws-redshift-snapshot-retention", "dw", "pass"),
        ("aws-redshift-snapshot-retention", "legacy-dw", "fail"),
        ("aws-redshift-enhanced-vpc-routing", "dw", "pass"),
        ("aws-redshift-enhanced-vpc-routing", "legacy-dw", "fail"),
        ("aws-opensearch-encrypted-at-rest", "records", "pass"),
        ("aws-opensearch-encrypted-at-rest", "old-tls", "fail"),
        ("aws-opensearch-node-to-node-encryption", "records", "pass"),
        ("aws-opensearch-node-to-node-encryption", "old-tls", "fail"),
        ("aws-opensearch-https-tls12", "records", "pass"),
        ("aws-opensearch-https-tls12", "old-tls", "fail"),
        ("aws-opensearch-not-public", "records", "pass"),
        ("aws-opensearch-not-public", "old-tls", "fail"),
        ("aws-opensearch-audit-logs", "records", "pass"),
        ("aws-opensearch-audit-logs", "old-tls", "fail"),
        ("aws-elasticache-encrypted-at-rest", "sessions", "pass"),
        ("aws-elasticache-encrypted-at-rest", "migrating", "fail"),
        ("aws-elasticache-encrypted-in-transit", "sessions", "pass"),
        ("aws-elasticache-encrypted-in-transit", "migrating", "fail"),
        ("aws-elasticache-auth", "sessions", "pass"),
        ("aws-elasticache-auth", "migrating", "fail"),
        ("aws-elasticache-backups", "sessions", "pass"),
        ("aws-elasticache-backups", "migrating", "fail"),
    ]);
    for name in [
        "dw",
        "legacy-dw",
        "records",
        "old-tls",
        "sessions",
        "migrating",
    ] {
        want.insert((
            "aws-service-hipaa-eligible".into(),
            name.into(),
            "pass".into(),
        ));
    }
    let got: BTreeSet<_> = got
        .into_iter()
        .filter(|(p, n, _)| {
            p != "aws-service-hipaa-eligible" || want.iter().any(|(_, w, _)| w == n)
        })
        .collect();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eks_look_alikes_get_exact_verdicts() {
    use aws_sdk_eks::types::{
        EncryptionConfig, LogSetup, LogType, Logging, Provider, VpcConfigRequest,
    };
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    let eks = aws_sdk_eks::Client::new(&conf);
    let all_logs = [
        LogType::Api,
        LogType::Audit,
        LogType::Authenticator,
        LogType::ControllerManager,
        LogType::Scheduler,
    ];
    for (name, public, cidrs, logs, encrypted) in [
        // Public, but only from one office range; every log; secrets encrypted.
        (
            "prod",
            true,
            vec!["203.0.113.0/24"],
            all_logs.to_vec(),
            true,
        ),
        // Public from two halves of the internet; the API log alone.
        (
            "dev",
            true,
            vec!["0.0.0.0/1", "128.0.0.0/1"],
            vec![LogType::Api],
            false,
        ),
        // Private endpoint only.
        ("internal", false, vec![], all_logs.to_vec(), true),
    ] {
        let mut req = eks
            .create_cluster()
            .name(name)
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/eks"))
            .resources_vpc_config(
                VpcConfigRequest::builder()
                    .subnet_ids("subnet-1")
                    .endpoint_public_access(public)
                    .endpoint_private_access(true)
                    .set_public_access_cidrs(
                        (!cidrs.is_empty()).then(|| cidrs.iter().map(|c| c.to_string()).collect()),
                    )
                    .build(),
            )
            .logging(
                Logging::builder()
                    .cluster_logging(
                        LogSetup::builder()
                            .set_types(Some(logs))
                            .enabled(true)
                            .build(),
                    )
                    .build(),
            );
        if encrypted {
            req = req.encryption_config(
                EncryptionConfig::builder()
                    .provider(
                        Provider::builder()
                            .key_arn(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/eks"))
                            .build(),
                    )
                    .build(),
            );
        }
        req.send().await.unwrap();
    }
    let (_, result) = scan(&moto, "testing", "testing", &["--fail-on", "none"]);
    let got = verdicts(
        &result,
        &[
            "aws-eks-endpoint-not-public",
            "aws-eks-secrets-encrypted",
            "aws-eks-control-plane-logging",
        ],
    );
    assert_eq!(
        got,
        expect(&[
            ("aws-eks-endpoint-not-public", "prod", "pass"),
            ("aws-eks-endpoint-not-public", "dev", "fail"),
            ("aws-eks-endpoint-not-public", "internal", "pass"),
            ("aws-eks-secrets-encrypted", "prod", "pass"),
            ("aws-eks-secrets-encrypted", "dev", "fail"),
            ("aws-eks-secrets-encrypted", "internal", "pass"),
            ("aws-eks-control-plane-logging", "prod", "pass"),
            ("aws-eks-control-plane-logging", "dev", "fail"),
            ("aws-eks-control-plane-logging", "internal", "pass"),
        ])
    );
}
