//! Load balancers: the application load balancer `web` (access logs, HTTP redirected to HTTPS)
//! the TCP-only network load balancer `tcp-nlb`, and the classic `legacy-elb` (plain HTTP, no
//! logs). moto gives `web` a security group of its
//! own, named `default_elb` here; its EC2 verdicts are this module's.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

/// `web` goes in two of the default subnets moto makes (not ec2.rs's `prod-vpc`).
pub async fn seed(conf: &SdkConfig) {
    let ec2 = aws_sdk_ec2::Client::new(conf);
    let subnets: Vec<String> = ec2
        .describe_subnets()
        .send()
        .await
        .unwrap()
        .subnets()
        .iter()
        .filter(|s| s.default_for_az() == Some(true))
        .filter_map(|s| s.subnet_id().map(str::to_string))
        .take(2)
        .collect();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(conf);
    let lb = elb
        .create_load_balancer()
        .name("web")
        .set_subnets(Some(subnets))
        .send()
        .await
        .unwrap();
    let lb_arn = lb.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&lb_arn)
        .attributes(
            aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute::builder()
                .key("access_logs.s3.enabled")
                .value("true")
                .build(),
        )
        .send()
        .await
        .unwrap();
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, ProtocolEnum, RedirectActionConfig, RedirectActionStatusCodeEnum,
    };
    elb.create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(
            Action::builder()
                .r#type(ActionTypeEnum::Redirect)
                .redirect_config(
                    RedirectActionConfig::builder()
                        .protocol("HTTPS")
                        .port("443")
                        .status_code(RedirectActionStatusCodeEnum::Http301)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    // A TCP-only network load balancer: its access logs would record nothing.
    let subnet = ec2
        .describe_subnets()
        .send()
        .await
        .unwrap()
        .subnets()
        .iter()
        .find(|s| s.default_for_az() == Some(true))
        .cloned()
        .unwrap();
    let nlb = elb
        .create_load_balancer()
        .name("tcp-nlb")
        .r#type(aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Network)
        .subnets(subnet.subnet_id().unwrap())
        .send()
        .await
        .unwrap();
    let group = elb
        .create_target_group()
        .name("db")
        .protocol(ProtocolEnum::Tcp)
        .port(5432)
        .vpc_id(subnet.vpc_id().unwrap())
        .send()
        .await
        .unwrap();
    elb.create_listener()
        .load_balancer_arn(nlb.load_balancers()[0].load_balancer_arn().unwrap())
        .protocol(ProtocolEnum::Tcp)
        .port(5432)
        .default_actions(
            Action::builder()
                .r#type(ActionTypeEnum::Forward)
                .target_group_arn(group.target_groups()[0].target_group_arn().unwrap())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let classic = aws_sdk_elasticloadbalancing::Client::new(conf);
    classic
        .create_load_balancer()
        .load_balancer_name("legacy-elb")
        .availability_zones("us-east-1a")
        .listeners(
            aws_sdk_elasticloadbalancing::types::Listener::builder()
                .protocol("HTTP")
                .load_balancer_port(80)
                .instance_protocol("HTTP")
                .instance_port(8080)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-elb-access-logs", "web", "pass"),
        ("aws-elb-access-logs", "legacy-elb", "fail"),
        ("aws-elb-access-logs", "tcp-nlb", "not_applicable"),
        ("aws-elb-deletion-protection", "tcp-nlb", "fail"),
        ("aws-elb-drop-invalid-headers", "tcp-nlb", "not_applicable"),
        // TCP passes through: TLS, if any, is the database's own.
        ("aws-elb-tls", "tcp-nlb:5432", "pass"),
        ("aws-service-hipaa-eligible", "tcp-nlb", "pass"),
        ("aws-service-hipaa-eligible", "tcp-nlb:5432", "pass"),
        ("aws-elb-tls", "web:80", "pass"),
        ("aws-elb-tls", "legacy-elb:80", "fail"),
        ("aws-ec2-no-open-admin-ports", "default_elb", "pass"),
        ("aws-ec2-no-open-database-ports", "default_elb", "pass"),
        ("aws-ec2-default-sg-closed", "default_elb", "not_applicable"),
        (
            "aws-elb-deletion-protection",
            "legacy-elb",
            "not_applicable",
        ),
        ("aws-elb-deletion-protection", "web", "fail"),
        (
            "aws-elb-drop-invalid-headers",
            "legacy-elb",
            "not_applicable",
        ),
        ("aws-elb-drop-invalid-headers", "web", "fail"),
        ("aws-service-hipaa-eligible", "legacy-elb", "pass"),
        // The load balancer; ec2.rs's security group has the same name.
        ("aws-service-hipaa-eligible", "web", "pass"),
        ("aws-service-hipaa-eligible", "web:80", "pass"),
        ("aws-service-hipaa-eligible", "legacy-elb:80", "pass"),
        ("aws-service-hipaa-eligible", "default_elb", "pass"),
    ])
}
