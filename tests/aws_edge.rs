//! AWS Certificate Manager, API Gateway REST API stages and DMS replication instances, end to end
//! against moto: each look-alike gets its exact verdict from a live scan, and a denied listing in
//! a second region leaves its checks not evaluated.
//!
//! Where moto cannot hold a state AWS reports, the front in front of it answers in AWS's shape:
//! ACM descriptions of a managed renewal that failed, of an expired certificate still in use and
//! of a 1024-bit RSA key (moto refuses to import expired certificates and issues none that renew);
//! API Gateway client certificates (moto 5.2 has no `GetClientCertificates` and ignores a stage's
//! `/clientCertificateId`), so one API's `GetStages` comes from the front too; and DMS's
//! `DescribeReplicationInstances`, whose `InstanceCreateTime` moto sends as an ISO string where
//! AWS's JSON protocol sends epoch seconds (the SDK refuses the whole answer).

mod common;

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use chrono::{Datelike, Duration, Utc};
use common::moto::{scan, split_refused_region, Moto};
use common::moto_front::Answer;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const DENIED: &str = "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform";

/// A self-signed certificate for `domain`, valid from yesterday for `days` days: (PEM, key PEM).
fn certificate(
    domain: &str,
    alg: &'static rcgen::SignatureAlgorithm,
    days: i64,
) -> (String, String) {
    let key = rcgen::KeyPair::generate_for(alg).unwrap();
    let mut params = rcgen::CertificateParams::new(vec![domain.to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, domain);
    let day =
        |d: chrono::DateTime<Utc>| rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8);
    params.not_before = day(Utc::now() - Duration::days(1));
    params.not_after = day(Utc::now() + Duration::days(days));
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

/// Imports a certificate into moto's ACM; its ARN.
async fn import(
    acm: &aws_sdk_acm::Client,
    domain: &str,
    alg: &'static rcgen::SignatureAlgorithm,
    days: i64,
) -> String {
    let (cert, key) = certificate(domain, alg, days);
    acm.import_certificate()
        .certificate(aws_sdk_acm::primitives::Blob::new(cert))
        .private_key(aws_sdk_acm::primitives::Blob::new(key))
        .send()
        .await
        .unwrap()
        .certificate_arn()
        .unwrap()
        .to_string()
}

/// A Classic Load Balancer serving `certificate` on 443: ACM then lists it as in use.
async fn serve(elb: &aws_sdk_elasticloadbalancing::Client, name: &str, certificate: &str) {
    elb.create_load_balancer()
        .load_balancer_name(name)
        .availability_zones("us-east-1a")
        .listeners(
            aws_sdk_elasticloadbalancing::types::Listener::builder()
                .protocol("HTTPS")
                .load_balancer_port(443)
                .instance_protocol("HTTP")
                .instance_port(80)
                .ssl_certificate_id(certificate)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// The certificate's resource name as the scan writes it: `domain (id)`.
fn cert_name(domain: &str, arn: &str) -> String {
    format!("{domain} ({})", arn.rsplit('/').next().unwrap())
}

/// What ACM's `DescribeCertificate` says of a certificate moto cannot hold.
fn described(arn: &str, domain: &str, fields: Value) -> String {
    let mut c = json!({
        "CertificateArn": arn,
        "DomainName": domain,
        "Status": "ISSUED",
        "Type": "IMPORTED",
        "KeyAlgorithm": "EC_prime256v1",
        "NotAfter": (Utc::now() + Duration::days(200)).timestamp(),
        "InUseBy": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/x"],
        "RenewalEligibility": "INELIGIBLE",
    });
    c.as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    json!({ "Certificate": c }).to_string()
}

async fn seed_acm(moto: &Moto, conf: &SdkConfig) -> Vec<(String, String, String)> {
    let acm = aws_sdk_acm::Client::new(conf);
    let elb = aws_sdk_elasticloadbalancing::Client::new(conf);
    let p256 = &rcgen::PKCS_ECDSA_P256_SHA256;
    let p384 = &rcgen::PKCS_ECDSA_P384_SHA384;
    let web = import(&acm, "web.example.org", p256, 200).await;
    serve(&elb, "web", &web).await;
    // EC P-384: AWS lists it only when asked for every key type.
    let soon = import(&acm, "soon.example.org", p384, 10).await;
    serve(&elb, "soon", &soon).await;
    let spare = import(&acm, "spare.example.org", p256, 5).await;
    let renewing = import(&acm, "renewing.example.org", p256, 200).await;
    serve(&elb, "renewing", &renewing).await;
    let legacy = import(&acm, "legacy.example.org", p256, 200).await;
    serve(&elb, "legacy", &legacy).await;
    let old = import(&acm, "old.example.org", p256, 200).await;
    serve(&elb, "old", &old).await;

    // ACM's own default: without `Includes`, only RSA_1024 and RSA_2048 certificates, which
    // moto does not emulate. A scan that leaves the key types out sees none of these.
    moto.answer(
        Answer::ok(
            "acm",
            "CertificateManager.ListCertificates",
            r#"{"CertificateSummaryList":[]}"#,
        )
        .unless("EC_secp384r1"),
    );
    let front = |arn: &str, domain: &str, fields: Value| {
        moto.answer(
            Answer::ok(
                "acm",
                "CertificateManager.DescribeCertificate",
                described(arn, domain, fields),
            )
            .when(arn),
        );
    };
    // Amazon-issued, its managed renewal failed, 40 days left: the 14-day window alone passes it.
    front(
        &renewing,
        "renewing.example.org",
        json!({
            "Type": "AMAZON_ISSUED",
            "RenewalEligibility": "ELIGIBLE",
            "NotAfter": (Utc::now() + Duration::days(40)).timestamp(),
            "RenewalSummary": {"RenewalStatus": "FAILED", "UpdatedAt": Utc::now().timestamp()},
        }),
    );
    // An imported 1024-bit RSA key, in use.
    front(
        &legacy,
        "legacy.example.org",
        json!({"KeyAlgorithm": "RSA_1024"}),
    );
    // Expired and still served.
    front(
        &old,
        "old.example.org",
        json!({"Status": "EXPIRED", "NotAfter": (Utc::now() - Duration::days(3)).timestamp()}),
    );
    // eu-west-1: the listing is refused.
    moto.answer(
        Answer::ok("acm", "CertificateManager.ListCertificates", "")
            .in_region("eu-west-1")
            .error(
                400,
                "AccessDeniedException",
                &format!("{DENIED}: acm:ListCertificates"),
            ),
    );

    let n = |d: &str, a: &str| cert_name(d, a);
    let exp = "aws-acm-certificate-expiration";
    let key = "aws-acm-certificate-key-strength";
    [
        (exp, n("web.example.org", &web), "pass"),
        (key, n("web.example.org", &web), "pass"),
        // Imported, 10 days left: ACM never renews it.
        (exp, n("soon.example.org", &soon), "fail"),
        (key, n("soon.example.org", &soon), "pass"),
        // Expiring, but nothing uses it.
        (exp, n("spare.example.org", &spare), "not_applicable"),
        (key, n("spare.example.org", &spare), "not_applicable"),
        (exp, n("renewing.example.org", &renewing), "fail"),
        (key, n("renewing.example.org", &renewing), "pass"),
        (exp, n("legacy.example.org", &legacy), "pass"),
        (key, n("legacy.example.org", &legacy), "fail"),
        (exp, n("old.example.org", &old), "fail"),
        (key, n("old.example.org", &old), "pass"),
    ]
    .iter()
    .map(|(p, n, o)| (p.to_string(), n.clone(), o.to_string()))
    .collect()
}

/// A REST API with a mock `GET /` and a first deployment at stage `prod`; (API ID, deployment).
async fn rest_api(api: &aws_sdk_apigateway::Client, name: &str) -> (String, String) {
    let id = api
        .create_rest_api()
        .name(name)
        .send()
        .await
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let resources = api.get_resources().rest_api_id(&id).send().await.unwrap();
    let root = resources.items()[0].id().unwrap().to_string();
    api.put_method()
        .rest_api_id(&id)
        .resource_id(&root)
        .http_method("GET")
        .authorization_type("NONE")
        .send()
        .await
        .unwrap();
    api.put_integration()
        .rest_api_id(&id)
        .resource_id(&root)
        .http_method("GET")
        .r#type(aws_sdk_apigateway::types::IntegrationType::Mock)
        .send()
        .await
        .unwrap();
    let deployment = api
        .create_deployment()
        .rest_api_id(&id)
        .stage_name("prod")
        .send()
        .await
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    (id, deployment)
}

/// A stage of `api` with these patch operations (path, value) applied.
async fn stage(
    api: &aws_sdk_apigateway::Client,
    id: &str,
    deployment: &str,
    name: &str,
    patches: &[(&str, &str)],
) {
    if name != "prod" {
        api.create_stage()
            .rest_api_id(id)
            .stage_name(name)
            .deployment_id(deployment)
            .send()
            .await
            .unwrap();
    }
    if patches.is_empty() {
        return;
    }
    let ops = patches
        .iter()
        .map(|(path, value)| {
            aws_sdk_apigateway::types::PatchOperation::builder()
                .op(aws_sdk_apigateway::types::Op::Replace)
                .path(*path)
                .value(*value)
                .build()
        })
        .collect();
    api.update_stage()
        .rest_api_id(id)
        .stage_name(name)
        .set_patch_operations(Some(ops))
        .send()
        .await
        .unwrap();
}

async fn seed_apigateway(moto: &Moto, conf: &SdkConfig) -> Vec<(String, String, String)> {
    let api = aws_sdk_apigateway::Client::new(conf);
    let (id, dep) = rest_api(&api, "patients").await;
    stage(
        &api,
        &id,
        &dep,
        "prod",
        &[("/*/*/logging/loglevel", "ERROR")],
    )
    .await;
    // No settings at all: API Gateway's defaults.
    stage(&api, &id, &dep, "silent", &[]).await;
    // The stage logs; the one method is turned off.
    stage(
        &api,
        &id,
        &dep,
        "override-off",
        &[
            ("/*/*/logging/loglevel", "INFO"),
            ("/~1/GET/logging/loglevel", "OFF"),
        ],
    )
    .await;
    // A cache: the stage-wide setting encrypts, the one override caches in the clear.
    stage(
        &api,
        &id,
        &dep,
        "cached-clear",
        &[
            ("/cacheClusterEnabled", "true"),
            ("/*/*/logging/loglevel", "ERROR"),
            ("/*/*/caching/enabled", "true"),
            ("/*/*/caching/dataEncrypted", "true"),
            ("/~1/GET/caching/enabled", "true"),
            ("/~1/GET/caching/dataEncrypted", "false"),
        ],
    )
    .await;
    // A cache and no method settings: GET methods cache, unencrypted.
    stage(
        &api,
        &id,
        &dep,
        "cached-default",
        &[("/cacheClusterEnabled", "true")],
    )
    .await;
    stage(
        &api,
        &id,
        &dep,
        "cached-encrypted",
        &[
            ("/cacheClusterEnabled", "true"),
            ("/*/*/logging/loglevel", "INFO"),
            ("/*/*/caching/enabled", "true"),
            ("/*/*/caching/dataEncrypted", "true"),
        ],
    )
    .await;
    // Settings that would cache in the clear, but no cache cluster.
    stage(
        &api,
        &id,
        &dep,
        "no-cache",
        &[
            ("/*/*/logging/loglevel", "ERROR"),
            ("/*/*/caching/enabled", "true"),
            ("/*/*/caching/dataEncrypted", "false"),
        ],
    )
    .await;

    // A second API whose stages present client certificates: its stages and the region's
    // client certificates come from the front.
    let (billing, _) = rest_api(&api, "billing").await;
    let logged = json!({"*/*": {"loggingLevel": "ERROR", "cachingEnabled": false, "cacheDataEncrypted": false}});
    // An answer names its operation with a `&'static str`; this path holds the API's ID.
    let stages_path: &'static str = format!("/restapis/{billing}/stages").leak();
    moto.answer(Answer::ok(
        "apigateway",
        stages_path,
        json!({"item": [
            {"stageName": "signed", "deploymentId": "d1", "clientCertificateId": "cc-valid", "methodSettings": logged, "cacheClusterEnabled": false},
            {"stageName": "lapsed", "deploymentId": "d1", "clientCertificateId": "cc-expired", "methodSettings": logged, "cacheClusterEnabled": false},
        ]})
        .to_string(),
    ));
    moto.answer(Answer::ok(
        "apigateway",
        "/clientcertificates",
        json!({"item": [
            {"clientCertificateId": "cc-valid", "createdDate": Utc::now().timestamp(), "expirationDate": (Utc::now() + Duration::days(300)).timestamp()},
            {"clientCertificateId": "cc-expired", "createdDate": (Utc::now() - Duration::days(400)).timestamp(), "expirationDate": (Utc::now() - Duration::days(35)).timestamp()},
        ]})
        .to_string(),
    ));
    // Custom domain names: TLS 1.2, TLS 1.0, and one whose answer names no policy.
    for (domain, policy) in [
        (
            "api.example.org",
            Some(aws_sdk_apigateway::types::SecurityPolicy::Tls12),
        ),
        (
            "old-api.example.org",
            Some(aws_sdk_apigateway::types::SecurityPolicy::Tls10),
        ),
        ("bare-api.example.org", None),
    ] {
        api.create_domain_name()
            .domain_name(domain)
            .set_security_policy(policy)
            .send()
            .await
            .unwrap();
    }
    for path in ["/restapis", "/domainnames"] {
        moto.answer(
            Answer::ok("apigateway", path, "")
                .in_region("eu-west-1")
                .error(
                    403,
                    "AccessDeniedException",
                    &format!("{DENIED}: apigateway:GET"),
                ),
        );
    }

    let log = "aws-apigateway-execution-logging";
    let cache = "aws-apigateway-cache-encrypted";
    let cert = "aws-apigateway-client-certificate";
    let tls = "aws-apigateway-domain-tls12";
    let mut want = vec![
        (tls, "api.example.org", "pass"),
        (tls, "old-api.example.org", "fail"),
        // No policy in the answer: unknown, never passed.
        (tls, "bare-api.example.org", "not_evaluated"),
        (log, "patients/prod", "pass"),
        (log, "patients/silent", "fail"),
        (log, "patients/override-off", "fail"),
        (log, "patients/cached-clear", "pass"),
        (log, "patients/cached-default", "fail"),
        (log, "patients/cached-encrypted", "pass"),
        (log, "patients/no-cache", "pass"),
        (log, "billing/prod", "fail"),
        (log, "billing/signed", "pass"),
        (log, "billing/lapsed", "pass"),
        (cache, "patients/cached-clear", "fail"),
        (cache, "patients/cached-default", "fail"),
        (cache, "patients/cached-encrypted", "pass"),
        (cert, "billing/signed", "pass"),
        // Configured, but expired.
        (cert, "billing/lapsed", "fail"),
    ];
    for s in [
        "patients/prod",
        "patients/silent",
        "patients/override-off",
        "patients/no-cache",
        "billing/signed",
        "billing/lapsed",
        "billing/prod",
    ] {
        want.push((cache, s, "not_applicable"));
    }
    for s in [
        "patients/prod",
        "patients/silent",
        "patients/override-off",
        "patients/cached-clear",
        "patients/cached-default",
        "patients/cached-encrypted",
        "patients/no-cache",
    ] {
        want.push((cert, s, "fail"));
    }
    // billing/prod is not among the stages the front answers with: moto's own is never read.
    want.retain(|(_, s, _)| *s != "billing/prod");
    want.iter()
        .map(|(p, n, o)| (p.to_string(), n.to_string(), o.to_string()))
        .collect()
}

/// A replication instance created in moto (which keeps its tags), and its description in AWS's
/// shape: (name, public, Multi-AZ, automatic minor upgrades, key, in ePHI scope).
async fn replication_instance(
    dms: &aws_sdk_databasemigration::Client,
    name: &str,
    public: bool,
    multi_az: bool,
    upgrades: bool,
    key: &str,
    phi: bool,
) -> Value {
    let mut b = dms
        .create_replication_instance()
        .replication_instance_identifier(name)
        .replication_instance_class("dms.t3.medium")
        .publicly_accessible(public)
        .multi_az(multi_az)
        .auto_minor_version_upgrade(upgrades)
        .kms_key_id(key);
    if phi {
        b = b.tags(
            aws_sdk_databasemigration::types::Tag::builder()
                .key("phi")
                .value("true")
                .build(),
        );
    }
    // moto creates it, then answers with a timestamp the SDK refuses.
    if let Err(e) = b.send().await {
        let status = e.raw_response().map(|r| r.status().as_u16());
        assert_eq!(status, Some(200), "{e:?}");
    }
    json!({
        "ReplicationInstanceIdentifier": name,
        "ReplicationInstanceClass": "dms.t3.medium",
        "ReplicationInstanceStatus": "available",
        "AllocatedStorage": 50,
        "InstanceCreateTime": Utc::now().timestamp(),
        "MultiAZ": multi_az,
        "AutoMinorVersionUpgrade": upgrades,
        "KmsKeyId": key,
        "ReplicationInstanceArn": format!("arn:aws:dms:us-east-1:{ACCOUNT}:rep:{name}"),
        "ReplicationInstancePrivateIpAddresses": ["10.0.0.7"],
        "ReplicationInstancePublicIpAddresses": if public { json!(["54.0.0.1"]) } else { json!([]) },
        "PubliclyAccessible": public,
    })
}

async fn seed_dms(moto: &Moto, conf: &SdkConfig) -> Vec<(String, String, String)> {
    let dms = aws_sdk_databasemigration::Client::new(conf);
    let kms = aws_sdk_kms::Client::new(conf);
    let key = kms
        .create_key()
        .send()
        .await
        .unwrap()
        .key_metadata()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    // DMS's default key, AWS managed (moto makes every key a customer's): KMS's answer for it
    // comes from the front.
    let aws_dms = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/0a1b2c3d-aws-dms");
    moto.answer(
        Answer::ok(
            "kms",
            "TrentService.DescribeKey",
            json!({"KeyMetadata": {"KeyId": "0a1b2c3d-aws-dms", "Arn": aws_dms, "KeyManager": "AWS", "KeyState": "Enabled", "CreationDate": 1.7e9}}).to_string(),
        )
        .when("0a1b2c3d-aws-dms"),
    );
    let instances = vec![
        replication_instance(&dms, "private-cmk", false, true, true, &key, true).await,
        // Created with DMS's defaults for access and key: public, and the AWS managed key.
        replication_instance(&dms, "public-default", true, false, false, &aws_dms, true).await,
        // Not in ePHI scope: its availability and key are not judged.
        replication_instance(&dms, "scratch", false, false, true, &aws_dms, false).await,
    ];
    moto.answer(
        Answer::ok(
            "dms",
            "AmazonDMSv20160101.DescribeReplicationInstances",
            json!({ "ReplicationInstances": instances }).to_string(),
        )
        .in_region("us-east-1"),
    );
    moto.answer(
        Answer::ok("dms", "AmazonDMSv20160101.DescribeReplicationInstances", "")
            .in_region("eu-west-1")
            .error(
                400,
                "AccessDeniedFault",
                &format!("{DENIED}: dms:DescribeReplicationInstances"),
            ),
    );
    let (np, up, az, cmk) = (
        "aws-dms-not-public",
        "aws-dms-auto-minor-version-upgrade",
        "aws-dms-multi-az",
        "aws-dms-cmk",
    );
    [
        (np, "private-cmk", "pass"),
        (up, "private-cmk", "pass"),
        (az, "private-cmk", "pass"),
        (cmk, "private-cmk", "pass"),
        (np, "public-default", "fail"),
        (up, "public-default", "fail"),
        (az, "public-default", "fail"),
        (cmk, "public-default", "fail"),
        (np, "scratch", "pass"),
        (up, "scratch", "pass"),
    ]
    .iter()
    .map(|(p, n, o)| (p.to_string(), n.to_string(), o.to_string()))
    .collect()
}

/// The new services' policies, each with the listing its region's verdict names when refused.
const POLICIES: [(&str, &str); 10] = [
    ("aws-acm-certificate-expiration", ACM),
    ("aws-acm-certificate-key-strength", ACM),
    ("aws-apigateway-execution-logging", APIS),
    ("aws-apigateway-cache-encrypted", APIS),
    ("aws-apigateway-client-certificate", APIS),
    (
        "aws-apigateway-domain-tls12",
        "apigateway:GetDomainNames: AccessDeniedException",
    ),
    ("aws-dms-not-public", DMS),
    ("aws-dms-auto-minor-version-upgrade", DMS),
    ("aws-dms-multi-az", DMS),
    ("aws-dms-cmk", DMS),
];
const ACM: &str = "acm:ListCertificates: AccessDeniedException";
const APIS: &str = "apigateway:GetRestApis: AccessDeniedException";
const DMS: &str = "dms:DescribeReplicationInstances: AccessDeniedFault";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acm_api_gateway_and_dms_look_alikes_get_exact_verdicts() {
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    let mut want: BTreeSet<(String, String, String)> = BTreeSet::new();
    want.extend(seed_acm(&moto, &conf).await);
    want.extend(seed_apigateway(&moto, &conf).await);
    want.extend(seed_dms(&moto, &conf).await);

    let (code, result) = scan(
        &moto,
        "testing",
        "testing",
        &["--region", "eu-west-1", "--fail-on", "none"],
    );
    assert_eq!(code, 3, "the denied listings leave the scan incomplete");
    // eu-west-1: every listing was refused; each policy is not evaluated there, with the call named.
    let (got, east) = split_refused_region(&result, &POLICIES, "eu-west-1");
    assert_eq!(got, want);
    let bare = east
        .iter()
        .find(|v| v["resource"]["name"] == "bare-api.example.org")
        .unwrap();
    assert_eq!(
        bare["reason"],
        "apigateway:GetDomainNames: the answer had no `securityPolicy` for bare-api.example.org"
    );
}
