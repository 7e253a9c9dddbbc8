//! AWS Backup resource selections in front of moto. moto 5.2 keeps backup plans but has no
//! `ListBackupSelections`, `GetBackupSelection` or `DescribeRegionSettings`: the front answers
//! them as AWS would, for the plans and resources moto holds.

use aws_config::SdkConfig;

use super::common::moto::Moto;
use super::common::moto_front::Answer;

/// Tags the tables and databases [`super::seed_stores`] made, adds the table `ledger-weekly`,
/// and records one selection in each plan:
/// - `daily-35`: tags only, `backup=daily` (`ledger` has it, `ledger-archive` has
///   `backup=never`);
/// - `split`: `ListOfTags` `backup=weekly` OR the database `my-audit` by ARN (`ledger-weekly`
///   is taken by its tag only, `my-audit` by its ARN only; `my-noselect` has the tag, but RDS
///   is not opted in);
/// - `every-other-day`: `arn:aws:rds:*`, every RDS resource by service name, which the region's
///   opt-in (`RDS` off) does not take (`pg-no-reads` is in no other selection).
pub async fn seed(moto: &Moto, conf: &SdkConfig) {
    let ddb = aws_sdk_dynamodb::Client::new(conf);
    super::create_table(&ddb, "ledger-weekly").await;
    for (table, value) in [
        ("ledger", "daily"),
        ("ledger-archive", "never"),
        ("ledger-weekly", "weekly"),
    ] {
        ddb.tag_resource()
            .resource_arn(format!(
                "arn:aws:dynamodb:us-east-1:{}:table/{table}",
                super::ACCOUNT
            ))
            .tags(
                aws_sdk_dynamodb::types::Tag::builder()
                    .key("backup")
                    .value(value)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    let rds = aws_sdk_rds::Client::new(conf);
    rds.add_tags_to_resource()
        .resource_name(format!(
            "arn:aws:rds:us-east-1:{}:db:my-noselect",
            super::ACCOUNT
        ))
        .tags(
            aws_sdk_rds::types::Tag::builder()
                .key("backup")
                .value("weekly")
                .build(),
        )
        .send()
        .await
        .unwrap();

    let backup = aws_sdk_backup::Client::new(conf);
    let plans = backup.list_backup_plans().send().await.unwrap();
    let id = |name: &str| {
        plans
            .backup_plans_list()
            .iter()
            .find(|p| p.backup_plan_name() == Some(name))
            .and_then(|p| p.backup_plan_id())
            .unwrap()
            .to_string()
    };
    let role = format!(
        "arn:aws:iam::{}:role/service-role/AWSBackupDefaultServiceRole",
        super::ACCOUNT
    );
    let tag = |value: &str| {
        serde_json::json!({
            "ConditionType": "STRINGEQUALS",
            "ConditionKey": "aws:ResourceTag/backup",
            "ConditionValue": value,
        })
    };
    for (plan, selection) in [
        (
            "daily-35",
            serde_json::json!({ "ListOfTags": [tag("daily")] }),
        ),
        (
            "split",
            serde_json::json!({
                "Resources": [format!("arn:aws:rds:us-east-1:{}:db:my-audit", super::ACCOUNT)],
                "ListOfTags": [tag("weekly")],
            }),
        ),
        (
            "every-other-day",
            serde_json::json!({ "Resources": ["arn:aws:rds:*"] }),
        ),
    ] {
        let plan_id = id(plan);
        let mut body = selection;
        body["SelectionName"] = plan.into();
        body["IamRoleArn"] = role.clone().into();
        moto.answer(Answer::ok(
            "backup",
            leak(format!("/backup/plans/{plan_id}/selections")),
            serde_json::json!({ "BackupSelectionsList": [{
                "SelectionId": format!("sel-{plan}"),
                "SelectionName": plan,
                "BackupPlanId": plan_id,
                "IamRoleArn": role,
            }]})
            .to_string(),
        ));
        moto.answer(Answer::ok(
            "backup",
            leak(format!("/backup/plans/{plan_id}/selections/sel-{plan}")),
            serde_json::json!({
                "BackupSelection": body,
                "SelectionId": format!("sel-{plan}"),
                "BackupPlanId": plan_id,
            })
            .to_string(),
        ));
    }
    moto.answer(Answer::ok(
        "backup",
        "/account-settings",
        r#"{"ResourceTypeOptInPreference":{"DynamoDB":true,"EBS":true,"EFS":true,"RDS":false,"Aurora":false}}"#,
    ));
}

/// From now on the region's opt-in settings are refused.
pub fn deny_region_settings(moto: &Moto) {
    moto.answer(Answer::ok("backup", "/account-settings", "").error(
        403,
        "AccessDeniedException",
        "not authorized to perform backup:DescribeRegionSettings",
    ));
}

/// The front's answers match a `&'static str` path; a test's few paths live as long as it.
fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}
