//! IAM Identity Center: permission sets `Workday` (8 hours) and `Admin12h` (12 hours) in the
//! instance moto lists.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let sso = aws_sdk_ssoadmin::Client::new(conf);
    let instances = sso.list_instances().send().await.unwrap();
    if let Some(instance) = instances.instances().first().and_then(|i| i.instance_arn()) {
        for (name, duration) in [("Workday", "PT8H"), ("Admin12h", "PT12H")] {
            sso.create_permission_set()
                .instance_arn(instance)
                .name(name)
                .session_duration(duration)
                .send()
                .await
                .unwrap();
        }
    }
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-sso-session-duration", "Workday", "pass"),
        ("aws-sso-session-duration", "Admin12h", "fail"),
        ("aws-service-hipaa-eligible", "Workday", "pass"),
        ("aws-service-hipaa-eligible", "Admin12h", "pass"),
    ])
}
