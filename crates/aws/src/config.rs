//! AWS Config: whether a configuration recorder that records every resource type is recording,
//! in one region.

use aws_sdk_config::types::{ConfigurationRecorder, ConfigurationRecorderStatus};
use aws_sdk_config::Client;

use super::util::{describe, region_resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.config.region";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let recorders = client
        .describe_configuration_recorders()
        .send()
        .await
        .map(|o| o.configuration_recorders().to_vec())
        .map_err(|e| describe("config:DescribeConfigurationRecorders", &e));
    let statuses = client
        .describe_configuration_recorder_status()
        .send()
        .await
        .map(|o| o.configuration_recorders_status().to_vec())
        .map_err(|e| describe("config:DescribeConfigurationRecorderStatus", &e));
    let mut found = Found::default();
    found.resources.push(
        properties(&recorders, &statuses).into_resource(region_resource(
            KIND,
            "config",
            &ctx.account,
            region,
        )),
    );
    found
}

/// A recorder that records only some types leaves the rest of the estate without history.
fn records_everything(r: &ConfigurationRecorder) -> bool {
    r.recording_group().is_some_and(|g| {
        g.all_supported()
            && g.exclusion_by_resource_types()
                .is_none_or(|e| e.resource_types().is_empty())
    })
}

/// The region's facts. A recorder and its status are joined by name: a service-linked recorder
/// that records a few types while the one recording everything is stopped does not count.
fn properties(
    recorders: &Result<Vec<ConfigurationRecorder>, String>,
    statuses: &Result<Vec<ConfigurationRecorderStatus>, String>,
) -> Props {
    let mut p = Props::default();
    match recorders {
        Ok(list) => p.set("records_all_types", list.iter().any(records_everything)),
        Err(why) => p.unknown("records_all_types", why.clone()),
    }
    match statuses {
        Ok(list) => {
            p.set("recorders", list.len());
            p.set("recording", list.iter().any(|s| s.recording()));
        }
        Err(why) => {
            p.unknown("recorders", why.clone());
            p.unknown("recording", why.clone());
        }
    }
    match (recorders, statuses) {
        (Ok(recorders), Ok(statuses)) => p.set(
            "all_types_recording",
            recorders.iter().filter(|r| records_everything(r)).any(|r| {
                statuses
                    .iter()
                    .any(|s| s.recording() && s.name().is_some() && s.name() == r.name())
            }),
        ),
        (Err(why), _) | (_, Err(why)) => p.unknown("all_types_recording", why.clone()),
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_config::types::{ExclusionByResourceTypes, RecordingGroup, ResourceType};
    use serde_json::json;

    fn recorder(name: &str, all: bool, excluded: bool) -> ConfigurationRecorder {
        let mut group = RecordingGroup::builder().all_supported(all);
        if excluded {
            group = group.exclusion_by_resource_types(
                ExclusionByResourceTypes::builder()
                    .resource_types(ResourceType::Instance)
                    .build(),
            );
        }
        ConfigurationRecorder::builder()
            .name(name)
            .recording_group(group.build())
            .build()
    }

    fn status(name: &str, on: bool) -> ConfigurationRecorderStatus {
        ConfigurationRecorderStatus::builder()
            .name(name)
            .recording(on)
            .build()
    }

    fn all_types_recording(
        recorders: Result<Vec<ConfigurationRecorder>, String>,
        statuses: Result<Vec<ConfigurationRecorderStatus>, String>,
    ) -> Result<serde_json::Value, Vec<String>> {
        let (known, unknown) = properties(&recorders, &statuses).into_parts();
        known.get("all_types_recording").cloned().ok_or(unknown)
    }

    #[test]
    fn the_recorder_that_records_everything_must_be_the_one_recording() {
        let everything = recorder("default", true, false);
        let linked = recorder("AWSConfigurationRecorderForService", false, false);
        assert_eq!(
            all_types_recording(
                Ok(vec![everything.clone()]),
                Ok(vec![status("default", true)])
            ),
            Ok(json!(true))
        );
        // A service-linked recorder recording a few types; the one recording everything is
        // stopped: the estate's history is not kept.
        assert_eq!(
            all_types_recording(
                Ok(vec![everything.clone(), linked]),
                Ok(vec![
                    status("default", false),
                    status("AWSConfigurationRecorderForService", true)
                ])
            ),
            Ok(json!(false))
        );
        // Every type but one, recording.
        assert_eq!(
            all_types_recording(
                Ok(vec![recorder("default", true, true)]),
                Ok(vec![status("default", true)])
            ),
            Ok(json!(false))
        );
        // No recorder at all.
        assert_eq!(
            all_types_recording(Ok(vec![]), Ok(vec![])),
            Ok(json!(false))
        );
        // Either answer missing: unknown, with the call that failed.
        let denied = || {
            Err::<Vec<ConfigurationRecorderStatus>, _>(
                "config:DescribeConfigurationRecorderStatus: AccessDenied".to_string(),
            )
        };
        assert_eq!(
            all_types_recording(Ok(vec![everything]), denied()),
            Err(vec![
                "all_types_recording".to_string(),
                "recorders".to_string(),
                "recording".to_string()
            ])
        );
    }
}
