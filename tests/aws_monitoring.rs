//! Log-in monitoring, S3 data events, network ACLs and instance metadata against moto: the
//! look-alikes of each get their exact verdicts from a live scan.

mod common;

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use common::moto::{scan, Moto};
use common::verdicts_of as verdicts;

const ACCOUNT: &str = "123456789012";
const GROUP: &str = "cloudtrail-events";

async fn seed_trail(conf: &SdkConfig) {
    use aws_sdk_cloudtrail::types::{DataResource, EventSelector, ReadWriteType};
    use aws_sdk_s3::types::{Tag, Tagging};
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .force_path_style(true)
            .build(),
    );
    for b in ["trail-logs", "phi-covered", "phi-prefix-only"] {
        s3.create_bucket().bucket(b).send().await.unwrap();
        if b.starts_with("phi") {
            s3.put_bucket_tagging()
                .bucket(b)
                .tagging(
                    Tagging::builder()
                        .tag_set(Tag::builder().key("phi").value("true").build().unwrap())
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
        }
    }
    let logs = aws_sdk_cloudwatchlogs::Client::new(conf);
    for g in [GROUP, "app-logs"] {
        logs.create_log_group()
            .log_group_name(g)
            .send()
            .await
            .unwrap();
    }
    let ct = aws_sdk_cloudtrail::Client::new(conf);
    ct.create_trail()
        .name("main")
        .s3_bucket_name("trail-logs")
        .is_multi_region_trail(true)
        .cloud_watch_logs_log_group_arn(format!(
            "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}:*"
        ))
        .cloud_watch_logs_role_arn(format!("arn:aws:iam::{ACCOUNT}:role/trail-to-logs"))
        .send()
        .await
        .unwrap();
    // Every object of phi-covered; only a prefix of phi-prefix-only.
    ct.put_event_selectors()
        .trail_name("main")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(true)
                .data_resources(
                    DataResource::builder()
                        .r#type("AWS::S3::Object")
                        .values("arn:aws:s3:::phi-covered/")
                        .values("arn:aws:s3:::phi-prefix-only/reports/")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    ct.start_logging().name("main").send().await.unwrap();
}

/// Metric filters on the trail's log group (and one on another group). moto 5.2 does not serve
/// CloudWatch's Smithy RPC v2 CBOR protocol, which aws-sdk-cloudwatch speaks, so alarms can be
/// neither made nor read here: the classes are then not evaluated, never passed. Which of these
/// filters monitor their class (with alarms as marked) is decided in crates/aws/src/monitoring's
/// unit tests, with the same patterns.
async fn seed_filters(conf: &SdkConfig) {
    use aws_sdk_cloudwatchlogs::types::MetricTransformation;
    let logs = aws_sdk_cloudwatchlogs::Client::new(conf);
    let filters = [
        // The CIS pattern, alarmed: root use is monitored.
        (GROUP, "root", r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#, true),
        // Reads right, but misses `*UnauthorizedOperation`.
        (GROUP, "denied", r#"{ $.errorCode = "AccessDenied*" }"#, true),
        // The CIS pattern, but its alarm has no action.
        (GROUP, "signin-failures", r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#, false),
        // The CIS pattern and an alarm, on a log group no trail delivers to.
        ("app-logs", "trail-changes", "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }", true),
        // IAM policy changes split over two filters, both alarmed: monitored.
        (GROUP, "iam-a", "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)}", true),
        (GROUP, "iam-b", "{($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}", true),
    ];
    for (group, name, pattern, _alarmed) in filters {
        logs.put_metric_filter()
            .log_group_name(group)
            .filter_name(name)
            .filter_pattern(pattern)
            .metric_transformations(
                MetricTransformation::builder()
                    .metric_name(name)
                    .metric_namespace("CISBenchmark")
                    .metric_value("1")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
}

/// An inbound entry: rule number, allow, and a TCP port (or every protocol and port).
type Entry = (i32, bool, Option<i32>);

async fn seed_network_acls(conf: &SdkConfig) {
    use aws_sdk_ec2::types::{PortRange, ResourceType, RuleAction, Tag, TagSpecification};
    let ec2 = aws_sdk_ec2::Client::new(conf);
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.7.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    // (name, entries as (rule, allow, port or every port))
    let acls: [(&str, Vec<Entry>); 2] = [
        (
            "deny-first",
            vec![
                (50, false, Some(22)),
                (60, false, Some(3389)),
                (100, true, None),
            ],
        ),
        (
            "deny-too-late",
            vec![
                (100, true, None),
                (150, false, Some(22)),
                (160, false, Some(3389)),
            ],
        ),
    ];
    for (name, entries) in acls {
        let acl = ec2
            .create_network_acl()
            .vpc_id(&vpc)
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::NetworkAcl)
                    .tags(Tag::builder().key("Name").value(name).build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let id = acl
            .network_acl()
            .unwrap()
            .network_acl_id()
            .unwrap()
            .to_string();
        for (rule, allow, port) in entries {
            let mut e = ec2
                .create_network_acl_entry()
                .network_acl_id(&id)
                .rule_number(rule)
                .egress(false)
                .cidr_block("0.0.0.0/0")
                .rule_action(if allow {
                    RuleAction::Allow
                } else {
                    RuleAction::Deny
                });
            e = match port {
                Some(p) => e
                    .protocol("6")
                    .port_range(PortRange::builder().from(p).to(p).build()),
                None => e.protocol("-1"),
            };
            e.send().await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitoring_data_events_and_acls_get_exact_verdicts() {
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    seed_trail(&conf).await;
    seed_filters(&conf).await;
    seed_network_acls(&conf).await;
    let (_, result) = scan(&moto, "testing", "testing", &["--fail-on", "none"]);

    let alarms = verdicts(
        &result,
        &[
            "aws-cloudwatch-alarm-root-usage",
            "aws-cloudwatch-alarm-unauthorized-api-calls",
            "aws-cloudwatch-alarm-console-auth-failures",
            "aws-cloudwatch-alarm-cloudtrail-changes",
            "aws-cloudwatch-alarm-iam-policy-changes",
            "aws-cloudtrail-cloudwatch-logs",
        ],
    );
    let want: BTreeSet<(String, String, String)> = [
        ("aws-cloudwatch-alarm-root-usage", ACCOUNT, "not_evaluated"),
        (
            "aws-cloudwatch-alarm-unauthorized-api-calls",
            ACCOUNT,
            "not_evaluated",
        ),
        (
            "aws-cloudwatch-alarm-console-auth-failures",
            ACCOUNT,
            "not_evaluated",
        ),
        (
            "aws-cloudwatch-alarm-cloudtrail-changes",
            ACCOUNT,
            "not_evaluated",
        ),
        (
            "aws-cloudwatch-alarm-iam-policy-changes",
            ACCOUNT,
            "not_evaluated",
        ),
        ("aws-cloudtrail-cloudwatch-logs", "main", "pass"),
    ]
    .iter()
    .map(|(p, n, o)| (p.to_string(), n.to_string(), o.to_string()))
    .collect();
    assert_eq!(alarms, want, "log-in monitoring look-alikes");
    let root = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["policy"] == "aws-cloudwatch-alarm-root-usage")
        .unwrap();
    assert!(
        root["reason"]
            .as_str()
            .unwrap()
            .starts_with("cloudwatch:DescribeAlarms: "),
        "{root}"
    );

    let data = verdicts(
        &result,
        &["aws-cloudtrail-s3-data-events", "aws-s3-access-logging"],
    );
    for (policy, name, outcome) in [
        ("aws-cloudtrail-s3-data-events", "phi-covered", "pass"),
        ("aws-cloudtrail-s3-data-events", "phi-prefix-only", "fail"),
        ("aws-s3-access-logging", "phi-covered", "pass"),
        ("aws-s3-access-logging", "phi-prefix-only", "fail"),
        ("aws-s3-access-logging", "trail-logs", "fail"),
    ] {
        assert!(
            data.contains(&(policy.into(), name.into(), outcome.into())),
            "{policy} on {name} should {outcome}: {data:?}"
        );
    }

    let acls = verdicts(&result, &["aws-ec2-nacl-no-open-admin-ports"]);
    for (name, outcome) in [("deny-first", "pass"), ("deny-too-late", "fail")] {
        assert!(
            acls.contains(&(
                "aws-ec2-nacl-no-open-admin-ports".into(),
                name.into(),
                outcome.into()
            )),
            "{name} should {outcome}: {acls:?}"
        );
    }
}
