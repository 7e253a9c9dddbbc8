//! The service tables: every service the AWS adapter reads, one entry each (progress name, the
//! schema kinds it writes, the calls it makes, its reader). The scan, its progress total, the
//! kinds check and the README's call list read them. Adding an AWS service is its module, one
//! entry here, its kinds, its BAA entry, its policies and its tests. CloudTrail, IAM, S3 and the
//! account-wide services are read apart (their results feed others): [`APART`] says what they
//! write and call.

use hipaa_scan_core::collect::{table_reads, Reads, Service};

use super::*;

/// Every regional service but CloudTrail: each region of each is a task of its own.
pub(super) const REGIONAL: &[Service<Ctx>] = &[
    Service {
        name: "rds",
        kinds: &[
            "aws.rds.instance",
            "aws.rds.cluster",
            "aws.rds.snapshot",
            "aws.rds.region",
        ],
        lists: &[],
        calls: &[
            "rds:DescribeDBInstances",
            "rds:DescribeDBClusters",
            "rds:DescribeDBParameters",
            "rds:DescribeDBClusterParameters",
            "rds:DescribeOptionGroups",
            "rds:DescribeEventSubscriptions",
            "rds:DescribeDBSnapshots",
            "rds:DescribeDBSnapshotAttributes",
            "rds:DescribeDBClusterSnapshots",
            "rds:DescribeDBClusterSnapshotAttributes",
        ],
        read: |c, r| Box::pin(async move { rds::collect(&c, &r).await }),
    },
    Service {
        name: "ec2",
        kinds: &[
            "aws.ec2.region",
            "aws.ec2.volume",
            "aws.ec2.snapshot",
            "aws.ec2.security_group",
            "aws.ec2.vpc",
            "aws.ec2.subnet",
            "aws.ec2.network_acl",
            "aws.ec2.vpn_connection",
            "aws.ec2.instance",
        ],
        lists: &[],
        calls: &[
            "ec2:GetEbsEncryptionByDefault",
            "ec2:DescribeVolumes",
            "ec2:DescribeSnapshots",
            "ec2:DescribeSnapshotAttribute",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeVpcs",
            "ec2:DescribeFlowLogs",
            "ec2:DescribeSubnets",
            "ec2:DescribeNetworkAcls",
            "ec2:DescribeVpnConnections",
            "ec2:DescribeInstances",
            "ssm:DescribeInstanceInformation",
        ],
        read: |c, r| Box::pin(async move { ec2::collect(&c, &r).await }),
    },
    Service {
        name: "kms",
        kinds: &["aws.kms.key"],
        lists: &[],
        calls: &[
            "kms:ListKeys",
            "kms:DescribeKey",
            "kms:GetKeyRotationStatus",
            "kms:GetKeyPolicy",
        ],
        read: |c, r| Box::pin(async move { kms::collect(&c, &r).await }),
    },
    Service {
        name: "dynamodb",
        kinds: &["aws.dynamodb.table"],
        lists: &[],
        calls: &[
            "dynamodb:ListTables",
            "dynamodb:DescribeTable",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:ListTagsOfResource",
        ],
        read: |c, r| Box::pin(async move { dynamodb::collect(&c, &r).await }),
    },
    Service {
        name: "logs",
        kinds: &["aws.logs.log_group"],
        lists: &[],
        calls: &["logs:DescribeLogGroups"],
        read: |c, r| Box::pin(async move { logs::collect(&c, &r).await }),
    },
    Service {
        name: "sns",
        kinds: &["aws.sns.topic"],
        lists: &[],
        calls: &["sns:ListTopics", "sns:GetTopicAttributes"],
        read: |c, r| Box::pin(async move { sns::collect(&c, &r).await }),
    },
    Service {
        name: "secretsmanager",
        kinds: &["aws.secretsmanager.secret"],
        lists: &[],
        calls: &["secretsmanager:ListSecrets"],
        read: |c, r| Box::pin(async move { secretsmanager::collect(&c, &r).await }),
    },
    Service {
        name: "efs",
        kinds: &["aws.elasticfilesystem.file_system"],
        lists: &[],
        calls: &[
            "elasticfilesystem:DescribeFileSystems",
            "elasticfilesystem:DescribeBackupPolicy",
            "backup:ListBackupPlans",
            "backup:ListBackupSelections",
            "backup:GetBackupSelection",
            "backup:DescribeRegionSettings",
        ],
        read: |c, r| Box::pin(async move { efs::collect(&c, &r).await }),
    },
    Service {
        name: "backup",
        kinds: &["aws.backup.vault", "aws.backup.plan"],
        lists: &[],
        calls: &[
            "backup:ListBackupVaults",
            "backup:ListBackupPlans",
            "backup:GetBackupPlan",
            "kms:DescribeKey",
        ],
        read: |c, r| Box::pin(async move { backup::collect(&c, &r).await }),
    },
    Service {
        name: "guardduty",
        kinds: &["aws.guardduty.region"],
        lists: &[],
        calls: &[
            "guardduty:ListDetectors",
            "guardduty:GetDetector",
            "guardduty:ListFindings",
        ],
        read: |c, r| Box::pin(async move { guardduty::collect(&c, &r).await }),
    },
    Service {
        name: "config",
        kinds: &["aws.config.region"],
        lists: &[],
        calls: &[
            "config:DescribeConfigurationRecorders",
            "config:DescribeConfigurationRecorderStatus",
        ],
        read: |c, r| Box::pin(async move { config::collect(&c, &r).await }),
    },
    Service {
        name: "securityhub",
        kinds: &["aws.securityhub.region"],
        lists: &[],
        calls: &["securityhub:DescribeHub"],
        read: |c, r| Box::pin(async move { securityhub::collect(&c, &r).await }),
    },
    Service {
        name: "accessanalyzer",
        kinds: &["aws.access-analyzer.region"],
        lists: &[],
        calls: &["access-analyzer:ListAnalyzers"],
        read: |c, r| Box::pin(async move { accessanalyzer::collect(&c, &r).await }),
    },
    Service {
        name: "inspector2",
        kinds: &["aws.inspector2.region"],
        lists: &[],
        calls: &["inspector2:BatchGetAccountStatus"],
        read: |c, r| Box::pin(async move { inspector2::collect(&c, &r).await }),
    },
    Service {
        name: "macie2",
        kinds: &["aws.macie2.region"],
        lists: &[],
        calls: &["macie2:GetMacieSession", "macie2:ListFindings"],
        read: |c, r| Box::pin(async move { macie2::collect(&c, &r).await }),
    },
    Service {
        name: "sso",
        kinds: &["aws.sso.permission_set"],
        lists: &[],
        calls: &[
            "sso:ListInstances",
            "sso:ListPermissionSets",
            "sso:DescribePermissionSet",
        ],
        read: |c, r| Box::pin(async move { sso::collect(&c, &r).await }),
    },
    Service {
        name: "elb",
        kinds: &[
            "aws.elasticloadbalancing.load_balancer",
            "aws.elasticloadbalancing.listener",
        ],
        lists: &[],
        calls: &[
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeLoadBalancerPolicies",
        ],
        read: |c, r| Box::pin(async move { elb::collect(&c, &r).await }),
    },
    Service {
        name: "redshift",
        kinds: &["aws.redshift.cluster"],
        lists: &[],
        calls: &[
            "redshift:DescribeClusters",
            "redshift:DescribeLoggingStatus",
            "redshift:DescribeClusterParameters",
        ],
        read: |c, r| Box::pin(async move { redshift::collect(&c, &r).await }),
    },
    Service {
        name: "opensearch",
        kinds: &["aws.es.domain"],
        lists: &[],
        calls: &["es:ListDomainNames", "es:DescribeDomains", "es:ListTags"],
        read: |c, r| Box::pin(async move { opensearch::collect(&c, &r).await }),
    },
    Service {
        name: "elasticache",
        kinds: &["aws.elasticache.replication_group"],
        lists: &[],
        calls: &[
            "elasticache:DescribeReplicationGroups",
            "elasticache:ListTagsForResource",
        ],
        read: |c, r| Box::pin(async move { elasticache::collect(&c, &r).await }),
    },
    Service {
        name: "eks",
        kinds: &["aws.eks.cluster"],
        lists: &[],
        calls: &["eks:ListClusters", "eks:DescribeCluster"],
        read: |c, r| Box::pin(async move { eks::collect(&c, &r).await }),
    },
    Service {
        name: "acm",
        kinds: &["aws.acm.certificate"],
        lists: &[],
        calls: &[
            "acm:ListCertificates",
            "acm:DescribeCertificate",
            "acm:ListTagsForCertificate",
        ],
        read: |c, r| Box::pin(async move { acm::collect(&c, &r).await }),
    },
    Service {
        name: "apigateway",
        kinds: &["aws.apigateway.stage", "aws.apigateway.domain_name"],
        lists: &[],
        calls: &[
            "apigateway:GetRestApis",
            "apigateway:GetStages",
            "apigateway:GetClientCertificates",
            "apigateway:GetDomainNames",
        ],
        read: |c, r| Box::pin(async move { apigateway::collect(&c, &r).await }),
    },
    Service {
        name: "dms",
        kinds: &["aws.dms.replication_instance", "aws.dms.endpoint"],
        lists: &[],
        calls: &[
            "dms:DescribeReplicationInstances",
            "dms:ListTagsForResource",
            "dms:DescribeEndpoints",
        ],
        read: |c, r| Box::pin(async move { dms::collect(&c, &r).await }),
    },
    Service {
        name: "kinesis",
        kinds: &["aws.kinesis.stream"],
        lists: &[],
        calls: &[
            "kinesis:ListStreams",
            "kinesis:DescribeStreamSummary",
            "kinesis:ListTagsForStream",
            "kms:DescribeKey",
        ],
        read: |c, r| Box::pin(async move { kinesis::collect(&c, &r).await }),
    },
    Service {
        name: "sagemaker",
        kinds: &["aws.sagemaker.notebook_instance"],
        lists: &[],
        calls: &[
            "sagemaker:ListNotebookInstances",
            "sagemaker:DescribeNotebookInstance",
            "sagemaker:ListTags",
            "kms:DescribeKey",
        ],
        read: |c, r| Box::pin(async move { sagemaker::collect(&c, &r).await }),
    },
];

/// The readers run apart from [`REGIONAL`]: what each writes and calls.
const APART: &[Reads] = &[
    Reads {
        name: "session",
        kinds: &["aws.account"],
        calls: &["sts:GetCallerIdentity", "ec2:DescribeRegions"],
    },
    Reads {
        name: "s3",
        kinds: &["aws.s3.bucket"],
        calls: &[
            "s3:ListAllMyBuckets",
            "s3:GetAccountPublicAccessBlock",
            "s3:GetBucketLocation",
            "s3:GetEncryptionConfiguration",
            "s3:GetBucketPolicy",
            "s3:GetBucketPolicyStatus",
            "s3:GetBucketAcl",
            "s3:GetBucketPublicAccessBlock",
            "s3:GetBucketVersioning",
            "s3:GetBucketLogging",
            "s3:GetBucketTagging",
            "s3:GetBucketObjectLockConfiguration",
            "s3:GetReplicationConfiguration",
            "s3:ListAccessPoints",
            "s3:GetAccessPointPolicy",
        ],
    },
    Reads {
        name: "iam",
        kinds: &[
            "aws.iam.user",
            "aws.iam.group",
            "aws.iam.role",
            "aws.iam.policy",
            "aws.iam.server_certificate",
        ],
        calls: &[
            "iam:GetAccountSummary",
            "iam:GetAccountPasswordPolicy",
            "iam:ListVirtualMFADevices",
            "iam:ListUsers",
            "iam:GetLoginProfile",
            "iam:ListMFADevices",
            "iam:ListAccessKeys",
            "iam:GetAccessKeyLastUsed",
            "iam:ListAttachedUserPolicies",
            "iam:ListUserPolicies",
            "iam:GetUserPolicy",
            "iam:ListUserTags",
            "iam:ListGroups",
            "iam:GetGroup",
            "iam:ListAttachedGroupPolicies",
            "iam:ListGroupPolicies",
            "iam:GetGroupPolicy",
            "iam:ListRoles",
            "iam:ListRolePolicies",
            "iam:GetRolePolicy",
            "iam:ListPolicies",
            "iam:GetPolicyVersion",
            "iam:ListEntitiesForPolicy",
            "iam:ListServerCertificates",
        ],
    },
    Reads {
        name: "cloudtrail",
        kinds: &["aws.cloudtrail.trail", "aws.cloudwatch.monitoring"],
        calls: &[
            "cloudtrail:DescribeTrails",
            "cloudtrail:GetTrailStatus",
            "cloudtrail:GetEventSelectors",
            "logs:DescribeMetricFilters",
            "cloudwatch:DescribeAlarms",
        ],
    },
    // Every other service in use, for the BAA check.
    Reads {
        name: "in_use",
        kinds: &[
            "aws.sqs.queue",
            "aws.lambda.function",
            "aws.states.state_machine",
        ],
        calls: &[
            "tag:GetResources",
            "sqs:ListQueues",
            "sqs:GetQueueAttributes",
            "sqs:ListQueueTags",
            "lambda:ListFunctions",
            "lambda:GetPolicy",
            "lambda:ListTags",
            "states:ListStateMachines",
            "states:ListTagsForResource",
        ],
    },
    Reads {
        name: "artifact",
        kinds: &[],
        calls: &["artifact:ListCustomerAgreements"],
    },
    // With `--organization`, from the management account.
    Reads {
        name: "organization",
        kinds: &[],
        calls: &["organizations:ListAccounts", "sts:AssumeRole"],
    },
];

/// What every reader writes and calls: the table's, then those read apart.
pub fn reads() -> Vec<Reads> {
    table_reads(REGIONAL, APART)
}
