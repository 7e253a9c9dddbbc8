//! AWS networks and compute: EC2 instances, volumes, snapshots, VPCs, subnets, VPN connections, security groups, network ACLs, load balancers, EKS clusters, API Gateway stages and custom domain names, ACM certificates.

use super::*;
use crate::model::Provider;

const METHOD_SETTING: PropType = PropType::Object(&[
    p("method", STR, "`*/*` for the stage-wide settings, else the method's `resource/path/VERB` (as API Gateway keys it, `~1` for `/`)."),
    p("logging_level", STR, "Execution logging level: `OFF`, `ERROR` or `INFO`."),
    p("caching_enabled", BOOL, "Responses of the method are cached (when the stage has a cache cluster)."),
    p("cache_encrypted", BOOL, "Cached responses are encrypted (`cacheDataEncrypted`, off by default)."),
]);

pub(super) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "aws.ec2.region",
        provider: Provider::Aws,
        doc: "The EC2 settings of one region of an AWS account.",
        native_id: "`arn:aws:ec2:REGION:ACCOUNT:region`",
        props: &[p(
            "ebs_encryption_by_default",
            BOOL,
            "New EBS volumes are encrypted by default (GetEbsEncryptionByDefault).",
        )],
    },
    KindSpec {
        kind: "aws.ec2.volume",
        provider: Provider::Aws,
        doc: "An EBS volume.",
        native_id: "volume ARN",
        props: &[
            p("encrypted", BOOL, "The volume is encrypted."),
            opt("kms_key_id", STR, "KMS key of the encryption."),
            p("attached", BOOL, "The volume is attached to an instance."),
            p(
                "in_backup_plan",
                BOOL,
                "An AWS Backup plan in the region takes this volume: a selection whose ARN patterns match it, no `NotResources` pattern excludes it, and its tag conditions hold.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.ec2.snapshot",
        provider: Provider::Aws,
        doc: "An EBS snapshot owned by the account.",
        native_id: "snapshot ARN",
        props: &[
            p("encrypted", BOOL, "The snapshot is encrypted."),
            p("public", BOOL, "Anyone may create a volume from it (`createVolumePermission` group `all`)."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.security_group",
        provider: Provider::Aws,
        doc: "A VPC security group.",
        native_id: "security group ARN",
        props: &[p(
                "world_open_admin_ports",
                STR_LIST,
                "Port 22, port 3389 or every port, where the sources of all ingress rules that reach it together cover the internet (all of IPv4, all of IPv6 or `2000::/3`) or one source is broader than /8; as `tcp 22 from 0.0.0.0/1, 128.0.0.0/1`.",
            ),
            p(
                "world_open_database_ports",
                STR_LIST,
                "The same for database and remote-management ports: 1433, 1521, 3306, 5432, 6379, 9200, 27017, 445, 23, 5985, 5986.",
            ),
            p("is_default", BOOL, "The VPC's default security group (named `default`)."),
            p("rule_count", INT, "Inbound and outbound permissions together (0: the group lets nothing in or out)."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.network_acl",
        provider: Provider::Aws,
        doc: "A VPC network ACL.",
        native_id: "network ACL ARN",
        props: &[
            p("is_default", BOOL, "The VPC's default network ACL."),
            p(
                "world_open_admin_ports",
                STR_LIST,
                "Port 22 or 3389 over TCP where the inbound entries, evaluated lowest rule number first with the first match deciding, let in more addresses than a /8 of IPv4 (or of IPv6); as `tcp 22 (rule 100 from 0.0.0.0/0)`.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.ec2.instance",
        provider: Provider::Aws,
        doc: "An EC2 instance (terminated instances are left out).",
        native_id: "instance ARN",
        props: &[
            p("state", STR, "`pending`, `running`, `stopping`, `stopped`, `shutting-down`."),
            p(
                "imdsv2_required",
                BOOL,
                "The instance metadata service requires session tokens (`HttpTokens` `required`, IMDSv2 only), or is turned off (`HttpEndpoint` `disabled`).",
            ),
            opt("public_ip", STR, "Public IPv4 address (`PublicIpAddress`, or an Elastic IP associated with a secondary network interface); null when the instance has none."),
            p("detailed_monitoring", BOOL, "Detailed (one-minute) CloudWatch monitoring is on (`Monitoring.State` `enabled`)."),
            p(
                "ssm_managed",
                BOOL,
                "Systems Manager lists the instance as a managed node whose agent is online (`ssm:DescribeInstanceInformation`, `PingStatus` `Online`); `ConnectionLost`, `Inactive` or not listed is false.",
            ),
            opt(
                "ssm_ping_status",
                STR,
                "The managed node's `PingStatus` (`Online`, `ConnectionLost`, `Inactive`); null when Systems Manager does not list the instance.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.ec2.subnet",
        provider: Provider::Aws,
        doc: "A VPC subnet.",
        native_id: "subnet ARN",
        props: &[
            p("default_for_az", BOOL, "The default subnet of its Availability Zone."),
            p(
                "map_public_ip_on_launch",
                BOOL,
                "Instances launched here get a public IPv4 address by default (`MapPublicIpOnLaunch`).",
            ),
        ],
    },
    KindSpec {
        kind: "aws.ec2.vpn_connection",
        provider: Provider::Aws,
        doc: "A Site-to-Site VPN connection (deleted ones are left out).",
        native_id: "VPN connection ARN",
        props: &[
            p("state", STR, "`pending`, `available`, `deleting`."),
            p("tunnels", INT, "Tunnels reported in `VgwTelemetry`."),
            p("tunnels_up", INT, "Tunnels whose `Status` is `UP`."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.vpc",
        provider: Provider::Aws,
        doc: "A VPC.",
        native_id: "VPC ARN",
        props: &[
            p("is_default", BOOL, "The region's default VPC."),
            p("flow_logs_enabled", BOOL, "At least one active flow log captures the VPC's traffic."),
        ],
    },
    KindSpec {
        kind: "aws.elasticloadbalancing.load_balancer",
        provider: Provider::Aws,
        doc: "An Application, Network, Gateway or Classic Load Balancer.",
        native_id: "load balancer ARN",
        props: &[
            p("type", STR, "`application`, `network`, `gateway` or `classic`."),
            p("access_logs_enabled", BOOL, "Access logs are delivered to S3."),
            opt(
                "tls_listener",
                BOOL,
                "Network Load Balancers: a listener uses TLS (their access logs record TLS requests only); null for other types.",
            ),
            opt(
                "deletion_protection",
                BOOL,
                "`deletion_protection.enabled`; null for Classic Load Balancers, which have no such attribute.",
            ),
            opt(
                "drop_invalid_header_fields",
                BOOL,
                "Application Load Balancers: `routing.http.drop_invalid_header_fields.enabled` (off by default); null for other types.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.elasticloadbalancing.listener",
        provider: Provider::Aws,
        doc: "A load balancer listener.",
        native_id: "listener ARN (classic: load balancer ARN and port)",
        props: &[
            p("load_balancer", STR, "Name of the load balancer."),
            p("protocol", STR, "`HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`, `SSL`."),
            p("port", INT, "Listener port."),
            p(
                "redirects_to_https",
                BOOL,
                "The default action and every rule redirect to HTTPS (or answer with a fixed response); false when any forwards.",
            ),
            p(
                "tls_protocols",
                STR_LIST,
                "Protocol versions the security policy allows, e.g. `TLSv1.2`; empty without TLS.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.acm.certificate",
        provider: Provider::Aws,
        doc: "A certificate in AWS Certificate Manager (issued by Amazon, by a private CA, or imported), of any key type.",
        native_id: "certificate ARN",
        props: &[
            p(
                "status",
                STR,
                "`ISSUED`, `EXPIRED`, `REVOKED`, `INACTIVE`, `PENDING_VALIDATION`, `VALIDATION_TIMED_OUT` or `FAILED`.",
            ),
            p("type", STR, "`AMAZON_ISSUED`, `IMPORTED` (never renewed by ACM) or `PRIVATE`."),
            opt(
                "not_after",
                TS,
                "When the certificate expires; null for one never issued (pending or failed validation).",
            ),
            p(
                "in_use",
                BOOL,
                "Another AWS resource uses the certificate (`InUseBy` is not empty): a load balancer, CloudFront distribution, API Gateway domain, ...",
            ),
            p("in_use_by", STR_LIST, "ARNs of the resources that use the certificate."),
            p(
                "key_algorithm",
                STR,
                "Algorithm of the key pair: `RSA_1024`, `RSA_2048`, `RSA_3072`, `RSA_4096`, `EC_prime256v1`, `EC_secp384r1`, `EC_secp521r1`.",
            ),
            p(
                "renewal_eligibility",
                STR,
                "`ELIGIBLE` when ACM can renew it (managed renewal), else `INELIGIBLE` (imported certificates, and those not in use).",
            ),
            opt(
                "renewal_status",
                STR,
                "State of ACM's managed renewal (`RenewalSummary.RenewalStatus`): `PENDING_AUTO_RENEWAL`, `PENDING_VALIDATION` (waiting for the domain owner), `SUCCESS` or `FAILED`; null when no renewal was attempted.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.apigateway.domain_name",
        provider: Provider::Aws,
        doc: "A custom domain name of API Gateway REST APIs.",
        native_id: "domain name ARN (`arn:aws:apigateway:REGION::/domainnames/NAME`)",
        props: &[
            p(
                "security_policy",
                STR,
                "The TLS security policy of the endpoint: `TLS_1_0` (also accepts TLS 1.0 and 1.1), `TLS_1_2`, or one of the `SecurityPolicy_TLS12_*` / `SecurityPolicy_TLS13_*` policies.",
            ),
            p("endpoint_types", STR_LIST, "`EDGE`, `REGIONAL` or `PRIVATE`."),
        ],
    },
    KindSpec {
        kind: "aws.apigateway.stage",
        provider: Provider::Aws,
        doc: "A stage of an API Gateway REST API (v1).",
        native_id: "stage ARN (`arn:aws:apigateway:REGION::/restapis/API/stages/STAGE`)",
        props: &[
            p("rest_api", STR, "Name of the REST API the stage deploys."),
            p(
                "method_settings",
                PropType::List(&METHOD_SETTING),
                "The method settings in effect: the stage-wide `*/*` entry first (API Gateway's defaults when the stage has none: logging `OFF`, cache data unencrypted, and caching on, since a stage cache caches GET methods by default), then each per-method override (`resource/path/VERB`), which replaces the stage-wide values for that method (a logging level it leaves out is the stage-wide one).",
            ),
            p(
                "cache_cluster_enabled",
                BOOL,
                "The stage has a cache cluster (`cacheClusterEnabled`): responses of the methods that cache are stored in it.",
            ),
            opt(
                "access_log_destination",
                STR,
                "ARN where access logs go (`accessLogSettings.destinationArn`); null when access logging is off.",
            ),
            opt(
                "client_certificate_id",
                STR,
                "The client certificate API Gateway presents to HTTP back ends (`clientCertificateId`); null when none.",
            ),
            opt(
                "client_certificate_expires",
                TS,
                "When that client certificate expires (`apigateway:GetClientCertificates`); null without one.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.eks.cluster",
        provider: Provider::Aws,
        doc: "An EKS cluster.",
        native_id: "cluster ARN",
        props: &[
            p(
                "endpoint_public_to_internet",
                BOOL,
                "The Kubernetes API endpoint is public and its allowed CIDRs (default `0.0.0.0/0`) cover the internet by the same arithmetic as security groups.",
            ),
            p(
                "kms_envelope_encryption",
                BOOL,
                "Kubernetes API data (secrets included) is envelope-encrypted with a KMS key of the account's (`encryptionConfig` with a provider `keyArn`); EKS's default encryption uses an AWS owned key.",
            ),
            p(
                "control_plane_logs",
                STR_LIST,
                "Control-plane log types sent to CloudWatch Logs: `api`, `audit`, `authenticator`, `controllerManager`, `scheduler`.",
            ),
        ],
    },
];
