//! IAM Identity Center: permission sets and their session duration. Identity Center lives in one
//! region; every scanned region is asked for its instances.

use aws_sdk_ssoadmin::Client;

use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const PERMISSION_SET: &str = "aws.sso.permission_set";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let instances = all(
        "sso:ListInstances",
        client
            .list_instances()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(instances) = found.listed(instances, &ctx.account, Some(region), &[PERMISSION_SET])
    else {
        return found;
    };
    for inst in instances {
        let Some(instance) = inst.instance_arn().map(str::to_string) else {
            continue;
        };
        let sets = all(
            "sso:ListPermissionSets",
            client
                .list_permission_sets()
                .instance_arn(&instance)
                .into_paginator()
                .items()
                .send()
                .collect::<Vec<_>>()
                .await,
        );
        let sets = match sets {
            Ok(s) => s,
            Err(why) => {
                found.gap(&ctx.account, Some(region), &[PERMISSION_SET], why);
                continue;
            }
        };
        for arn in sets {
            let mut p = Props::default();
            let mut name = arn.rsplit('/').next().unwrap_or(&arn).to_string();
            match client
                .describe_permission_set()
                .instance_arn(&instance)
                .permission_set_arn(&arn)
                .send()
                .await
            {
                Ok(out) => {
                    let set = out.permission_set();
                    if let Some(n) = set.and_then(|s| s.name()) {
                        name = n.to_string();
                    }
                    // Unset means the default of one hour.
                    let raw = set.and_then(|s| s.session_duration()).unwrap_or("PT1H");
                    match iso8601_seconds(raw) {
                        Some(secs) => p.set("session_duration_seconds", secs),
                        None => p.unknown(
                            "session_duration_seconds",
                            format!(
                                "sso:DescribePermissionSet: unreadable session duration `{raw}`"
                            ),
                        ),
                    }
                }
                Err(e) => p.unknown(
                    "session_duration_seconds",
                    describe("sso:DescribePermissionSet", &e),
                ),
            }
            found.resources.push(p.into_resource(resource(
                PERMISSION_SET,
                arn.clone(),
                &ctx.account,
                region,
                name,
                Default::default(),
            )));
        }
    }
    found
}

/// Seconds in an ISO 8601 duration of hours, minutes and seconds (`PT8H`, `PT1H30M`).
fn iso8601_seconds(d: &str) -> Option<i64> {
    let rest = d.strip_prefix("PT")?;
    let mut total = 0i64;
    let mut num = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            'H' => 3600,
            'M' => 60,
            'S' => 1,
            _ => return None,
        };
    }
    num.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::iso8601_seconds;

    #[test]
    fn reads_session_durations() {
        assert_eq!(iso8601_seconds("PT8H"), Some(28_800));
        assert_eq!(iso8601_seconds("PT1H30M"), Some(5_400));
        assert_eq!(iso8601_seconds("PT12H"), Some(43_200));
        assert_eq!(iso8601_seconds("P1D"), None);
        assert_eq!(iso8601_seconds("PT8"), None);
    }
}
