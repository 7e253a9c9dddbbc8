//! The regional service table: every regional service module the AWS adapter reads, one entry
//! each (progress name, the service segment of the kinds it produces, its reader). Adding an AWS
//! service is its module, one entry here, its kinds, its BAA entry, its policies and its tests.
//! CloudTrail, IAM, S3 and the account-wide services are read apart (their results feed others).

use super::*;

/// (progress name, the service segment of its kinds, reader), for each regional service.
pub(super) const REGIONAL: [(&str, &str, Regional); REGIONAL_SERVICES] = [
    ("rds", "rds", |c, r| {
        Box::pin(async move { rds::collect(&c, &r).await })
    }),
    ("ec2", "ec2", |c, r| {
        Box::pin(async move { ec2::collect(&c, &r).await })
    }),
    ("kms", "kms", |c, r| {
        Box::pin(async move { kms::collect(&c, &r).await })
    }),
    ("dynamodb", "dynamodb", |c, r| {
        Box::pin(async move { dynamodb::collect(&c, &r).await })
    }),
    ("logs", "logs", |c, r| {
        Box::pin(async move { logs::collect(&c, &r).await })
    }),
    ("sns", "sns", |c, r| {
        Box::pin(async move { sns::collect(&c, &r).await })
    }),
    ("secretsmanager", "secretsmanager", |c, r| {
        Box::pin(async move { secretsmanager::collect(&c, &r).await })
    }),
    ("efs", "elasticfilesystem", |c, r| {
        Box::pin(async move { efs::collect(&c, &r).await })
    }),
    ("backup", "backup", |c, r| {
        Box::pin(async move { backup::collect(&c, &r).await })
    }),
    ("guardduty", "guardduty", |c, r| {
        Box::pin(async move { guardduty::collect(&c, &r).await })
    }),
    ("config", "config", |c, r| {
        Box::pin(async move { config::collect(&c, &r).await })
    }),
    ("securityhub", "securityhub", |c, r| {
        Box::pin(async move { securityhub::collect(&c, &r).await })
    }),
    ("accessanalyzer", "access-analyzer", |c, r| {
        Box::pin(async move { accessanalyzer::collect(&c, &r).await })
    }),
    ("inspector2", "inspector2", |c, r| {
        Box::pin(async move { inspector2::collect(&c, &r).await })
    }),
    ("macie2", "macie2", |c, r| {
        Box::pin(async move { macie2::collect(&c, &r).await })
    }),
    ("sso", "sso", |c, r| {
        Box::pin(async move { sso::collect(&c, &r).await })
    }),
    ("elb", "elasticloadbalancing", |c, r| {
        Box::pin(async move { elb::collect(&c, &r).await })
    }),
    ("redshift", "redshift", |c, r| {
        Box::pin(async move { redshift::collect(&c, &r).await })
    }),
    ("opensearch", "es", |c, r| {
        Box::pin(async move { opensearch::collect(&c, &r).await })
    }),
    ("elasticache", "elasticache", |c, r| {
        Box::pin(async move { elasticache::collect(&c, &r).await })
    }),
    ("eks", "eks", |c, r| {
        Box::pin(async move { eks::collect(&c, &r).await })
    }),
    ("acm", "acm", |c, r| {
        Box::pin(async move { acm::collect(&c, &r).await })
    }),
    ("apigateway", "apigateway", |c, r| {
        Box::pin(async move { apigateway::collect(&c, &r).await })
    }),
    ("dms", "dms", |c, r| {
        Box::pin(async move { dms::collect(&c, &r).await })
    }),
    ("kinesis", "kinesis", |c, r| {
        Box::pin(async move { kinesis::collect(&c, &r).await })
    }),
    ("sagemaker", "sagemaker", |c, r| {
        Box::pin(async move { sagemaker::collect(&c, &r).await })
    }),
];
