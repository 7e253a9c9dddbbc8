//! Look-alikes in a real AWS peer (moto): configurations that read compliant but are not, and
//! compliant ones that read otherwise. Each must get its exact verdict from a live scan.

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
