//! AWS networks and compute: EC2 instances, volumes, snapshots, VPCs, subnets, VPN connections, security groups, network ACLs, load balancers, EKS clusters.

use super::*;
use crate::model::Provider;

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
            opt("public_ip", STR, "Public IPv4 address; null when the instance has none."),
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
