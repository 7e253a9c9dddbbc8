//! AWS audit and detection: CloudTrail, CloudWatch, CloudWatch Logs, GuardDuty, Config, Security Hub, IAM Access Analyzer, Amazon Inspector, Amazon Macie, and the compute services scoped for ePHI (Lambda, Step Functions).

use super::*;
use crate::model::Provider;

pub(super) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "aws.lambda.function",
        provider: Provider::Aws,
        doc: "A Lambda function.",
        native_id: "function ARN",
        props: &[
            opt("runtime", STR, "Runtime identifier, e.g. `python3.12`; null for container images."),
            opt(
                "kms_key_arn",
                STR,
                "Customer managed KMS key for the environment variables; null when Lambda's own key is used.",
            ),
            p("environment_variables", BOOL, "The function has environment variables (their values are never read into the inventory)."),
            p(
                "public",
                BOOL,
                "The resource-based policy (`lambda:GetPolicy`) lets everyone invoke the function by S3's definition of public (see `aws.s3.bucket` `policy_allows_public`), which includes a function URL with `AuthType` `NONE`; false without a policy.",
            ),
            p("in_vpc", BOOL, "The function is attached to a VPC (`VpcConfig` with subnets)."),
            p(
                "data_events_logged",
                BOOL,
                "A logging CloudTrail trail (multi-region, or homed in the function's region) records its invocations as data events: a basic selector on `AWS::Lambda::Function` with `ReadWriteType` `All` or `WriteOnly`, or an advanced selector without an event-name filter, whose ARNs take the function and exclude none of it.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.states.state_machine",
        provider: Provider::Aws,
        doc: "A Step Functions state machine (listed so its service is judged against the BAA).",
        native_id: "state machine ARN",
        props: &[],
    },
    KindSpec {
        kind: "aws.cloudtrail.trail",
        provider: Provider::Aws,
        doc: "A CloudTrail trail.",
        native_id: "trail ARN",
        props: &[
            p("multi_region", BOOL, "The trail records events in every region."),
            p("is_logging", BOOL, "The trail is logging (GetTrailStatus)."),
            p("management_events", BOOL, "The trail records every management event: read and write (`ReadWriteType` `All`, or advanced selectors without a `readOnly` filter), with no event source singled out and neither `kms` nor `rdsdata` excluded."),
            p("log_file_validation", BOOL, "Log file integrity validation is on."),
            opt("kms_key_id", STR, "KMS key that encrypts the log files; null for SSE-S3."),
            opt(
                "cloudwatch_logs_log_group",
                STR,
                "Log group ARN the trail delivers to in CloudWatch Logs (`CloudWatchLogsLogGroupArn`); null when it does not.",
            ),
            p(
                "s3_data_events",
                STR_LIST,
                "S3 object data events the trail records for reads and writes alike, one entry per selector: the ARN prefixes it takes (`every bucket` without a filter) and those it leaves out.",
            ),
            p("s3_bucket", STR, "The bucket the trail delivers log files to."),
            p(
                "bucket_access_logging",
                BOOL,
                "The log bucket has server access logging on; unknown when the bucket belongs to another account or could not be read.",
            ),
            p(
                "bucket_object_lock",
                BOOL,
                "The log bucket has S3 Object Lock enabled.",
            ),
            p(
                "bucket_public",
                BOOL,
                "The log bucket is public: its ACL grants `AllUsers`/`AuthenticatedUsers` or its policy is public, and Block Public Access (bucket or account) does not neutralize it.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.cloudwatch.monitoring",
        provider: Provider::Aws,
        doc: "The account's log-in monitoring and alerting (CIS AWS Foundations 4.1-4.14): CloudWatch Logs metric filters on the log group of a multi-region trail that is logging every management event, each feeding a metric with an alarm that has actions. A class is monitored when every sample CloudTrail record of it is matched by such a filter whose pattern does not also match an ordinary read-only call; patterns are parsed and run, not compared as text.",
        native_id: "`arn:aws:cloudwatch::ACCOUNT:monitoring`",
        props: &[
            p("trail_log_groups", STR_LIST, "Log groups of the multi-region, logging trails that record every management event."),
            p("root_usage", BOOL, "Use of the root user is alarmed (console sign-in and API calls)."),
            p("unauthorized_api_calls", BOOL, "Unauthorized API calls are alarmed (`*UnauthorizedOperation`, `AccessDenied*`)."),
            p("console_signin_without_mfa", BOOL, "Console sign-in without MFA is alarmed."),
            p("console_authentication_failures", BOOL, "Failed console authentication is alarmed."),
            p("iam_policy_changes", BOOL, "IAM policy changes are alarmed (all sixteen put, delete, create, version, attach and detach calls)."),
            p("cloudtrail_changes", BOOL, "CloudTrail configuration changes are alarmed (create, update, delete, start and stop logging)."),
            p("kms_key_disabled_or_deleted", BOOL, "Disabling or scheduling deletion of KMS keys is alarmed."),
            p("s3_bucket_policy_changes", BOOL, "S3 bucket policy, ACL, CORS, lifecycle and replication changes are alarmed."),
            p("config_changes", BOOL, "AWS Config recorder and delivery channel changes are alarmed."),
            p("security_group_changes", BOOL, "Security group changes are alarmed."),
            p("nacl_changes", BOOL, "Network ACL changes are alarmed."),
            p("network_gateway_changes", BOOL, "Customer and internet gateway changes are alarmed."),
            p("route_table_changes", BOOL, "Route table changes are alarmed."),
            p("vpc_changes", BOOL, "VPC and VPC peering changes are alarmed."),
        ],
    },
    KindSpec {
        kind: "aws.logs.log_group",
        provider: Provider::Aws,
        doc: "A CloudWatch Logs log group.",
        native_id: "log group ARN",
        props: &[
            opt("retention_days", INT, "Retention in days; null when events never expire."),
            opt("kms_key_id", STR, "KMS key that encrypts the group; null for CloudWatch Logs' own encryption."),
        ],
    },
    KindSpec {
        kind: "aws.guardduty.region",
        provider: Provider::Aws,
        doc: "GuardDuty in one region of the account.",
        native_id: "`arn:aws:guardduty:REGION:ACCOUNT:account`",
        props: &[
            p("detector_enabled", BOOL, "A detector exists and is enabled."),
            p(
                "high_severity_findings",
                INT,
                "Findings of an enabled detector that are not archived and have severity 7 or more (ListFindings); 0 without a detector.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.config.region",
        provider: Provider::Aws,
        doc: "AWS Config in one region of the account.",
        native_id: "`arn:aws:config:REGION:ACCOUNT:account`",
        props: &[
            p("recorders", INT, "Configuration recorders in the region."),
            p("recording", BOOL, "A configuration recorder is recording."),
            p(
                "records_all_types",
                BOOL,
                "A recorder records every supported resource type (`allSupported`, no exclusions).",
            ),
            p(
                "all_types_recording",
                BOOL,
                "A recorder that records every supported resource type is recording (recorder and status joined by name: a service-linked recorder recording a few types does not stand in for a stopped one).",
            ),
        ],
    },
    KindSpec {
        kind: "aws.securityhub.region",
        provider: Provider::Aws,
        doc: "Security Hub in one region of the account.",
        native_id: "`arn:aws:securityhub:REGION:ACCOUNT:account`",
        props: &[p("enabled", BOOL, "The account is subscribed to Security Hub in the region.")],
    },
    KindSpec {
        kind: "aws.access-analyzer.region",
        provider: Provider::Aws,
        doc: "IAM Access Analyzer in one region of the account: the analyzers the account itself lists (`access-analyzer:ListAnalyzers`, every page).",
        native_id: "`arn:aws:access-analyzer:REGION:ACCOUNT:account`",
        props: &[
            p(
                "external_access_analyzer",
                BOOL,
                "An analyzer of external access (type `ACCOUNT` or `ORGANIZATION`) is `ACTIVE`; analyzers of unused or internal access, and analyzers `CREATING`, `DISABLED` or `FAILED`, do not count.",
            ),
            p("analyzers", STR_LIST, "Every analyzer listed, as `NAME (TYPE, STATUS)`."),
        ],
    },
    KindSpec {
        kind: "aws.inspector2.region",
        provider: Provider::Aws,
        doc: "Amazon Inspector (v2) in one region of the account: the account's own status (`inspector2:BatchGetAccountStatus`).",
        native_id: "`arn:aws:inspector2:REGION:ACCOUNT:account`",
        props: &[
            p("status", STR, "The account's Inspector status: `ENABLED`, `ENABLING`, `DISABLED`, `DISABLING`, `SUSPENDED`, `SUSPENDING`."),
            p("ec2_scanning", BOOL, "EC2 scanning is `ENABLED`."),
            p("ecr_scanning", BOOL, "ECR container image scanning is `ENABLED`."),
            p("lambda_scanning", BOOL, "Lambda standard scanning is `ENABLED`."),
        ],
    },
    KindSpec {
        kind: "aws.macie2.region",
        provider: Provider::Aws,
        doc: "Amazon Macie in one region of the account (`macie2:GetMacieSession`; where IAM refuses it, `macie2:ListFindings` can still show Macie not enabled).",
        native_id: "`arn:aws:macie2:REGION:ACCOUNT:account`",
        props: &[
            p("enabled", BOOL, "The Macie session is `ENABLED`; `PAUSED` or never enabled (\"Macie is not enabled.\") is false."),
            opt("status", STR, "The session's status (`ENABLED`, `PAUSED`); null when Macie is not enabled."),
        ],
    },
];
