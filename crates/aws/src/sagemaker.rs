//! SageMaker notebook instances: their network path, root access and storage key, in one region.
//!
//! A notebook instance is a managed EC2 instance whose ML storage volume keeps the data its users
//! load to explore and train on, which for a clinical model is patient data.

use aws_sdk_sagemaker::operation::describe_notebook_instance::DescribeNotebookInstanceOutput;
use aws_sdk_sagemaker::types::{DirectInternetAccess, RootAccess};
use aws_sdk_sagemaker::Client;
use serde_json::Value;

use super::util::{all, describe, resource, tags, Found, KeyManagers, Props};
use super::Ctx;

const NOTEBOOK: &str = "aws.sagemaker.notebook_instance";

/// Every property of a notebook instance, for a description that could not be read.
const PROPS: [&str; 5] = [
    "direct_internet_access",
    "root_access",
    "subnet_id",
    "kms_key_id",
    "customer_managed_key",
];

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let client = Client::new(&conf);
    let kms = aws_sdk_kms::Client::new(&conf);
    let mut found = Found::default();
    let listed = all(
        "sagemaker:ListNotebookInstances",
        client
            .list_notebook_instances()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(listed) = found.listed(listed, &ctx.account, Some(region), &[NOTEBOOK]) else {
        return found;
    };
    let mut managers = KeyManagers::default();
    for n in listed {
        let Some(name) = n.notebook_instance_name().map(str::to_string) else {
            continue;
        };
        let arn = n.notebook_instance_arn().map_or_else(
            || {
                format!(
                    "arn:aws:sagemaker:{region}:{}:notebook-instance/{}",
                    ctx.account,
                    name.to_ascii_lowercase()
                )
            },
            str::to_string,
        );
        let mut p = Props::default();
        match client
            .describe_notebook_instance()
            .notebook_instance_name(&name)
            .send()
            .await
        {
            Ok(out) => {
                p = properties(&out);
                match out.kms_key_id().filter(|k| !k.is_empty()) {
                    // SageMaker then encrypts the volume with its AWS managed key.
                    None => p.set("customer_managed_key", false),
                    Some(key) => managers.mark(&kms, key, &mut p).await,
                }
            }
            Err(e) => {
                let why = describe("sagemaker:DescribeNotebookInstance", &e);
                for prop in PROPS {
                    p.unknown(prop, why.clone());
                }
            }
        }
        let tags = p.tags(
            all(
                "sagemaker:ListTags",
                client
                    .list_tags()
                    .resource_arn(&arn)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Vec<_>>()
                    .await,
            )
            .map(|t| tags(t.iter().map(|t| (t.key(), t.value())))),
        );
        found.resources.push(p.into_resource(resource(
            NOTEBOOK,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}

/// What the description itself says; `customer_managed_key` needs KMS and is set by the caller.
/// `DirectInternetAccess` and `RootAccess` are `Enabled` when a notebook is created without
/// them, but the description documents no default: one it leaves out is unknown.
pub fn properties(out: &DescribeNotebookInstanceOutput) -> Props {
    let op = "sagemaker:DescribeNotebookInstance";
    let mut p = Props::default();
    match out.direct_internet_access() {
        Some(DirectInternetAccess::Enabled) => p.set("direct_internet_access", true),
        Some(DirectInternetAccess::Disabled) => p.set("direct_internet_access", false),
        Some(other) => p.unknown(
            "direct_internet_access",
            format!("{op}: unknown `DirectInternetAccess` {}", other.as_str()),
        ),
        None => p.unknown(
            "direct_internet_access",
            format!("{op}: the answer had no `DirectInternetAccess`"),
        ),
    }
    match out.root_access() {
        Some(RootAccess::Enabled) => p.set("root_access", true),
        Some(RootAccess::Disabled) => p.set("root_access", false),
        Some(other) => p.unknown(
            "root_access",
            format!("{op}: unknown `RootAccess` {}", other.as_str()),
        ),
        None => p.unknown(
            "root_access",
            format!("{op}: the answer had no `RootAccess`"),
        ),
    }
    // A notebook launched without a subnet has none: it is not in a VPC of yours.
    let text = |v: Option<&str>| v.filter(|s| !s.is_empty()).map_or(Value::Null, Value::from);
    p.set("subnet_id", text(out.subnet_id()));
    p.set("kms_key_id", text(out.kms_key_id()));
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(out: &DescribeNotebookInstanceOutput) -> (Value, Vec<String>) {
        let (known, unknown) = properties(out).into_parts();
        (Value::Object(known), unknown)
    }

    #[test]
    fn a_locked_down_notebook_reads_as_such() {
        let out = DescribeNotebookInstanceOutput::builder()
            .direct_internet_access(DirectInternetAccess::Disabled)
            .root_access(RootAccess::Disabled)
            .subnet_id("subnet-1")
            .kms_key_id("arn:aws:kms:us-east-1:111122223333:key/1")
            .build();
        let (got, unknown) = read(&out);
        assert!(unknown.is_empty());
        assert_eq!(
            got,
            json!({
                "direct_internet_access": false,
                "root_access": false,
                "subnet_id": "subnet-1",
                "kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/1",
            })
        );
    }

    #[test]
    fn settings_left_out_are_unknown_and_no_subnet_is_no_vpc() {
        // In a subnet, with SageMaker's own internet path still on.
        let out = DescribeNotebookInstanceOutput::builder()
            .direct_internet_access(DirectInternetAccess::Enabled)
            .subnet_id("subnet-1")
            .build();
        let (got, unknown) = read(&out);
        assert_eq!(got["direct_internet_access"], json!(true));
        assert_eq!(got["kms_key_id"], Value::Null);
        assert_eq!(unknown, ["root_access"]);
        let (got, unknown) = read(&DescribeNotebookInstanceOutput::builder().build());
        assert_eq!(got, json!({"subnet_id": null, "kms_key_id": null}));
        assert_eq!(unknown, ["direct_internet_access", "root_access"]);
    }
}
