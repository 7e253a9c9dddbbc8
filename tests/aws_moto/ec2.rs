//! EC2 and VPC: volumes `enc-vol` and `plain-vol`; snapshots `private-snap` and `public-snap`
//! (shared with everyone); `prod-vpc` with flow logs; security groups `bastion` (SSH open to the
//! world) and `web` (HTTPS open). moto adds the default VPC, its default subnets, a default
//! security group and network ACL per VPC, and a KMS key for the encrypted volume (kms.rs).

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

/// After s3.rs: the flow logs deliver to its `trail-logs` bucket.
pub async fn seed(conf: &SdkConfig) {
    use aws_sdk_ec2::types::{
        FlowLogsResourceType, IpPermission, IpRange, LogDestinationType, OperationType,
        ResourceType, SnapshotAttributeName, Tag, TagSpecification, TrafficType,
    };
    let ec2 = aws_sdk_ec2::Client::new(conf);
    let named = |kind: ResourceType, name: &str| {
        TagSpecification::builder()
            .resource_type(kind)
            .tags(Tag::builder().key("Name").value(name).build())
            .build()
    };
    let mut volumes = Vec::new();
    for (name, encrypted) in [("enc-vol", true), ("plain-vol", false)] {
        let v = ec2
            .create_volume()
            .availability_zone("us-east-1a")
            .size(10)
            .encrypted(encrypted)
            .tag_specifications(named(ResourceType::Volume, name))
            .send()
            .await
            .unwrap();
        volumes.push(v.volume_id().unwrap().to_string());
    }
    for name in ["private-snap", "public-snap"] {
        let snap = ec2
            .create_snapshot()
            .volume_id(&volumes[0])
            .tag_specifications(named(ResourceType::Snapshot, name))
            .send()
            .await
            .unwrap();
        if name == "public-snap" {
            // moto honours the OperationType/GroupNames form only, not CreateVolumePermission.Add.
            ec2.modify_snapshot_attribute()
                .snapshot_id(snap.snapshot_id().unwrap())
                .attribute(SnapshotAttributeName::CreateVolumePermission)
                .operation_type(OperationType::Add)
                .group_names("all")
                .send()
                .await
                .unwrap();
        }
    }
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.1.0.0/16")
        .tag_specifications(named(ResourceType::Vpc, "prod-vpc"))
        .send()
        .await
        .unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    ec2.create_flow_logs()
        .resource_type(FlowLogsResourceType::Vpc)
        .resource_ids(&vpc_id)
        .traffic_type(TrafficType::All)
        .log_destination_type(LogDestinationType::S3)
        .log_destination("arn:aws:s3:::trail-logs")
        .send()
        .await
        .unwrap();
    for (name, port) in [("bastion", 22), ("web", 443)] {
        let g = ec2
            .create_security_group()
            .group_name(name)
            .description(name)
            .vpc_id(&vpc_id)
            .send()
            .await
            .unwrap();
        ec2.authorize_security_group_ingress()
            .group_id(g.group_id().unwrap())
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(port)
                    .to_port(port)
                    .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-ebs-default-encryption", "us-east-1", "fail"),
        ("aws-ebs-volume-encrypted", "enc-vol", "pass"),
        ("aws-ebs-volume-encrypted", "plain-vol", "fail"),
        ("aws-ebs-snapshot-private-encrypted", "private-snap", "pass"),
        ("aws-ebs-snapshot-private-encrypted", "public-snap", "fail"),
        ("aws-ec2-no-open-admin-ports", "bastion", "fail"),
        ("aws-ec2-no-open-admin-ports", "web", "pass"),
        // The default security groups of the default VPC and of prod-vpc.
        ("aws-ec2-no-open-admin-ports", "default", "pass"),
        ("aws-vpc-flow-logs", "prod-vpc", "pass"),
        ("aws-vpc-flow-logs", "default-vpc", "fail"),
        ("aws-ec2-no-open-database-ports", "bastion", "pass"),
        ("aws-ec2-no-open-database-ports", "web", "pass"),
        ("aws-ec2-no-open-database-ports", "default", "pass"),
        // AWS's default groups allow members to each other and all egress; others are not judged.
        ("aws-ec2-default-sg-closed", "default", "fail"),
        ("aws-ec2-default-sg-closed", "bastion", "not_applicable"),
        ("aws-ec2-default-sg-closed", "web", "not_applicable"),
        // The default network ACLs allow everything in.
        ("aws-ec2-nacl-no-open-admin-ports", "nacl", "fail"),
        // Default subnets give instances public addresses.
        ("aws-ec2-subnet-no-auto-public-ip", "default-subnet", "fail"),
        ("aws-service-hipaa-eligible", "default-subnet", "pass"),
        ("aws-service-hipaa-eligible", "enc-vol", "pass"),
        ("aws-service-hipaa-eligible", "plain-vol", "pass"),
        ("aws-service-hipaa-eligible", "private-snap", "pass"),
        ("aws-service-hipaa-eligible", "public-snap", "pass"),
        ("aws-service-hipaa-eligible", "bastion", "pass"),
        // The security group; elb.rs's load balancer has the same name.
        ("aws-service-hipaa-eligible", "web", "pass"),
        ("aws-service-hipaa-eligible", "default", "pass"),
        ("aws-service-hipaa-eligible", "prod-vpc", "pass"),
        ("aws-service-hipaa-eligible", "default-vpc", "pass"),
        ("aws-service-hipaa-eligible", "nacl", "pass"),
    ])
}
