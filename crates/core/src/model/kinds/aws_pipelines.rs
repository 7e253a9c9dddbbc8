//! AWS services that move or process ePHI on its way between stores: Kinesis Data Streams,
//! SageMaker notebook instances and DMS endpoints.

use super::*;
use crate::model::Provider;

pub(super) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "aws.kinesis.stream",
        provider: Provider::Aws,
        doc: "A Kinesis data stream: it keeps every record for its retention period (24 hours to a year).",
        native_id: "stream ARN",
        props: &[
            p(
                "encrypted",
                BOOL,
                "Records are encrypted at rest: `EncryptionType` `KMS` (`NONE` is unencrypted; an answer without it is unknown).",
            ),
            opt(
                "kms_key_id",
                STR,
                "`KeyId` as the stream names it: a key ID, key ARN, alias name (`alias/aws/kinesis` is the AWS managed key) or alias ARN; null when none.",
            ),
            p(
                "customer_managed_key",
                BOOL,
                "Encrypted with a customer managed KMS key (`kms:DescribeKey` `KeyManager` `CUSTOMER`, asked through an alias too); false for `alias/aws/kinesis`, the AWS managed key by its ARN, or no encryption.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.sagemaker.notebook_instance",
        provider: Provider::Aws,
        doc: "A SageMaker notebook instance: a managed ML compute instance whose storage volume holds the data its users load.",
        native_id: "notebook instance ARN",
        props: &[
            p(
                "direct_internet_access",
                BOOL,
                "`DirectInternetAccess` `Enabled`: SageMaker gives the instance its own path to the internet, outside any VPC of yours (the default when a notebook is created; the only choice without a subnet).",
            ),
            p(
                "root_access",
                BOOL,
                "`RootAccess` `Enabled`: notebook users can become root on the instance (the default when created). Lifecycle configurations run as root either way.",
            ),
            opt(
                "subnet_id",
                STR,
                "VPC subnet the instance's network interface is in; null when it was launched without one (not in a VPC of yours).",
            ),
            opt(
                "kms_key_id",
                STR,
                "KMS key that encrypts the ML storage volume; null when none is configured (SageMaker then uses its AWS managed key).",
            ),
            p(
                "customer_managed_key",
                BOOL,
                "The storage volume is encrypted with a customer managed KMS key (`kms:DescribeKey` `KeyManager` `CUSTOMER`); false with no key configured or an AWS managed one.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.dms.endpoint",
        provider: Provider::Aws,
        doc: "An AWS Database Migration Service endpoint: how replication instances connect to one source or target data store.",
        native_id: "endpoint ARN",
        props: &[
            p(
                "engine_name",
                STR,
                "`EngineName`, lower case: `mysql`, `postgres`, `oracle`, `sqlserver`, `s3`, `kinesis`, ...",
            ),
            p(
                "ssl_mode",
                STR,
                "`SslMode`: `none`, `require`, `verify-ca` or `verify-full`; `none` when the answer leaves it out (the default DMS documents for it).",
            ),
        ],
    },
];
