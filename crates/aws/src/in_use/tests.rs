use super::kind_of_arn;

#[test]
fn kinds_follow_the_arn() {
    for (arn, kind) in [
        ("arn:aws:sqs:us-east-1:123456789012:orders", "aws.sqs.queue"),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:ingest",
            "aws.lambda.function",
        ),
        (
            "arn:aws:states:us-east-1:123456789012:stateMachine:flow",
            "aws.states.state_machine",
        ),
        (
            "arn:aws:dynamodb:us-east-1:123456789012:table/patients",
            "aws.dynamodb.table",
        ),
        ("arn:aws:s3:::phi-bucket", "aws.s3.bucket"),
        (
            "arn:aws:lightsail:us-east-1:123456789012:Instance/abc",
            "aws.lightsail.instance",
        ),
        (
            "arn:aws-us-gov:elasticfilesystem:us-gov-west-1:1:file-system/fs-1",
            "aws.elasticfilesystem.file_system",
        ),
        // Resources their own readers list, named by their API, not by their ARN: the
        // Tagging API must not list them a second time under another kind.
        ("arn:aws:rds:us-east-1:1:db:patients", "aws.rds.instance"),
        ("arn:aws:rds:us-east-1:1:cluster:aurora", "aws.rds.cluster"),
        (
            "arn:aws:rds:us-east-1:1:snapshot:manual",
            "aws.rds.snapshot",
        ),
        (
            "arn:aws:rds:us-east-1:1:cluster-snapshot:manual",
            "aws.rds.snapshot",
        ),
        (
            "arn:aws:dms:us-east-1:1:rep:ABCDEFG",
            "aws.dms.replication_instance",
        ),
        (
            "arn:aws:dms:us-east-1:1:endpoint:HIJKLMN",
            "aws.dms.endpoint",
        ),
        (
            "arn:aws:backup:us-east-1:1:backup-plan:id",
            "aws.backup.plan",
        ),
        (
            "arn:aws:backup:us-east-1:1:backup-vault:Default",
            "aws.backup.vault",
        ),
        (
            "arn:aws:elasticache:us-east-1:1:replicationgroup:sessions",
            "aws.elasticache.replication_group",
        ),
        (
            "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc6c495c0c9188",
            "aws.elasticloadbalancing.load_balancer",
        ),
        (
            "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/classic-web",
            "aws.elasticloadbalancing.load_balancer",
        ),
        (
            "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/web/50dc/f2f7",
            "aws.elasticloadbalancing.listener",
        ),
        (
            "arn:aws:apigateway:us-east-1::/restapis/a1b2/stages/prod",
            "aws.apigateway.stage",
        ),
        (
            "arn:aws:apigateway:us-east-1::/domainnames/api.example.com",
            "aws.apigateway.domain_name",
        ),
        (
            "arn:aws:apigateway:us-east-1::/restapis/a1b2",
            "aws.apigateway.rest_api",
        ),
        (
            "arn:aws:kinesis:us-east-1:1:stream/events",
            "aws.kinesis.stream",
        ),
        (
            "arn:aws:sagemaker:us-east-1:1:notebook-instance/lab",
            "aws.sagemaker.notebook_instance",
        ),
        ("arn:aws:es:us-east-1:1:domain/search", "aws.es.domain"),
        (
            "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf",
            "aws.secretsmanager.secret",
        ),
        (
            "arn:aws:logs:us-east-1:1:log-group:app",
            "aws.logs.log_group",
        ),
        (
            "arn:aws:acm:us-east-1:1:certificate/1234",
            "aws.acm.certificate",
        ),
        (
            "arn:aws:ec2:us-east-1:1:vpn-connection/vpn-1",
            "aws.ec2.vpn_connection",
        ),
    ] {
        assert_eq!(kind_of_arn(arn).as_deref(), Some(kind), "{arn}");
    }
    assert_eq!(kind_of_arn("not an arn"), None);
}
