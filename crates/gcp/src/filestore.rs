//! Filestore: the instances of one project and their backups, every location in one call each
//! (`projects.locations.instances.list` and `projects.locations.backups.list` with location
//! `-`). A backup belongs to the instance its `sourceInstance` names in full (location and
//! instance ID, not the short name alone). A failed instance listing, or a location it could not
//! reach, is a gap; a failed backup listing, or a location it could not reach, leaves every
//! instance's newest backup unknown. Snapshots live on the instance and die with it: they are
//! not read and do not count.

use std::collections::BTreeMap;

use google_cloud_filestore_v1::model::{backup, Backup, Instance};
use serde_json::Value;

use super::{labels, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const INSTANCE: &str = "gcp.file.instance";

const INSTANCES_OP: &str = "file.instances.list";
const BACKUPS_OP: &str = "file.backups.list";

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let parent = format!("projects/{project}/locations/-");
    let client = &ctx.clients.filestore;
    // Each listing with the locations it could not reach, when it could be read at all.
    let (instances, backups) = tokio::join!(
        async {
            let (listed, unreachable) = list_all!(
                client.list_instances().set_parent(&parent),
                instances,
                INSTANCES_OP,
                unreachable
            );
            listed.map(|list| (list, unreachable))
        },
        async {
            let (listed, unreachable) = list_all!(
                client.list_backups().set_parent(&parent),
                backups,
                BACKUPS_OP,
                unreachable
            );
            listed.map(|list| (list, unreachable))
        }
    );
    let mut found = Found::default();
    let instances = instances.map(|(list, unreachable)| {
        for loc in &unreachable {
            found.gap(
                project,
                Some(loc),
                &[INSTANCE],
                format!("{INSTANCES_OP}: location {loc} was unreachable"),
            );
        }
        list
    });
    let newest = backups.and_then(|(list, unreachable)| match unreachable.first() {
        Some(loc) => Err(format!("{BACKUPS_OP}: location {loc} was unreachable")),
        None => newest_ready(project, &list),
    });
    if let Some(list) = found.listed(instances, project, None, &[INSTANCE]) {
        found
            .resources
            .extend(list.iter().map(|i| normalize(project, i, &newest)));
    }
    ctx.progress.done(&format!("filestore {project}"));
    found
}

/// `(location, instance ID)` of `projects/P/locations/L/instances/I`, with its project segment.
fn instance_key(name: &str) -> Option<(&str, (&str, &str))> {
    let mut parts = name.trim().split('/');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (
            Some("projects"),
            Some(p),
            Some("locations"),
            Some(l),
            Some("instances"),
            Some(i),
            None,
        ) if !p.is_empty() && !l.is_empty() && !i.is_empty() => Some((p, (l, i))),
        _ => None,
    }
}

/// Whether a project segment names `project`: its ID, or (as `sourceInstance` does) its
/// number. The backups listed are this project's, and a backup's source is in its own project.
fn same_project(segment: &str, project: &str) -> bool {
    segment == project || (!segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()))
}

type Newest = Result<BTreeMap<(String, String), String>, String>;

/// The newest `READY` backup's creation time per source instance. A backup still `CREATING` or
/// `FINALIZING`, `INVALID` or `DELETING` cannot be restored and does not count; a `READY` one
/// without `createTime` makes the listing unusable (its age is unknown).
fn newest_ready(project: &str, backups: &[Backup]) -> Newest {
    let mut out: BTreeMap<(String, String), chrono::DateTime<chrono::Utc>> = BTreeMap::new();
    for b in backups {
        if b.state != backup::State::Ready {
            continue;
        }
        let Some((p, (l, i))) = instance_key(&b.source_instance) else {
            continue;
        };
        if !same_project(p, project) {
            continue;
        }
        let Some(time) = b.create_time.as_ref().and_then(|t| {
            chrono::DateTime::from_timestamp(t.seconds(), u32::try_from(t.nanos()).ok()?)
        }) else {
            return Err(format!(
                "{BACKUPS_OP} left out createTime of backup {}",
                b.name
            ));
        };
        let key = (l.to_string(), i.to_string());
        if out.get(&key).is_none_or(|old| time > *old) {
            out.insert(key, time);
        }
    }
    Ok(out
        .into_iter()
        .map(|(k, t)| (k, t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
        .collect())
}

pub(crate) fn normalize(
    project: &str,
    i: &Instance,
    newest: &Newest,
) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    p.set("state", i.state.name().unwrap_or("STATE_UNSPECIFIED"));
    p.set("tier", i.tier.name().unwrap_or("TIER_UNSPECIFIED"));
    let key = instance_key(&i.name);
    let (location, id) = key.map_or(("global", i.name.as_str()), |(_, k)| k);
    match newest {
        Ok(map) => p.set(
            "latest_backup_time",
            map.get(&(location.to_string(), id.to_string()))
                .map_or(Value::Null, |t| Value::from(t.clone())),
        ),
        Err(why) => p.unknown("latest_backup_time", why.clone()),
    }
    p.into_resource(resource(
        INSTANCE,
        format!("//file.googleapis.com/projects/{project}/locations/{location}/instances/{id}"),
        project,
        location,
        id.to_string(),
        labels(&i.labels),
    ))
}
