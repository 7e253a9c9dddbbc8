//! Cloud KMS: the crypto keys of one project, in every location that has key rings.

use google_cloud_kms_v1::client::KeyManagementService;
use google_cloud_kms_v1::model::CryptoKey;
use serde_json::Value;

use super::{labels, Ctx};
use crate::collect::{bounded, resource, Found, Props};

pub(crate) const KEY: &str = "gcp.kms.key";

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let client = ctx.clients.kms.clone();
    let mut found = Found::default();
    let locations: Vec<String> = match list_all!(
        client
            .list_locations()
            .set_name(format!("projects/{project}")),
        locations,
        "cloudkms.locations.list"
    ) {
        Ok(l) => l.into_iter().map(|loc| loc.location_id).collect(),
        Err(why) => {
            found.gap(project, None, &[KEY], why);
            ctx.progress.done(&format!("kms {project}"));
            return found;
        }
    };
    let per_location = bounded(locations, 8, {
        let project = project.to_string();
        move |loc| location(client.clone(), project.clone(), loc)
    })
    .await;
    for f in per_location {
        found.extend(f);
    }
    ctx.progress.done(&format!("kms {project}"));
    found
}

async fn location(client: KeyManagementService, project: String, loc: String) -> Found {
    let mut found = Found::default();
    let rings: Vec<String> = match list_all!(
        client
            .list_key_rings()
            .set_parent(format!("projects/{project}/locations/{loc}")),
        key_rings,
        "cloudkms.keyRings.list"
    ) {
        Ok(r) => r.into_iter().map(|ring| ring.name).collect(),
        Err(why) => {
            found.gap(&project, Some(&loc), &[KEY], why);
            return found;
        }
    };
    for ring in rings {
        match list_all!(
            client.list_crypto_keys().set_parent(ring.clone()),
            crypto_keys,
            "cloudkms.cryptoKeys.list"
        ) {
            Ok(keys) => found
                .resources
                .extend(keys.iter().map(|k| normalize(&project, &loc, k))),
            // The keys of this ring are unknown; other rings stand.
            Err(why) => found.gap(&project, Some(&loc), &[KEY], format!("{ring}: {why}")),
        }
    }
    found
}

fn normalize(project: &str, loc: &str, k: &CryptoKey) -> crate::model::Resource {
    let mut p = Props::default();
    p.set(
        "purpose",
        k.purpose.name().unwrap_or("CRYPTO_KEY_PURPOSE_UNSPECIFIED"),
    );
    p.set(
        "rotation_period_seconds",
        k.rotation_period()
            .map_or(Value::Null, |d| Value::from(d.seconds())),
    );
    p.set(
        "primary_state",
        k.primary
            .as_ref()
            .and_then(|v| v.state.name())
            .unwrap_or("NONE"),
    );
    let name = k.name.rsplit('/').next().unwrap_or(&k.name).to_string();
    p.into_resource(resource(
        KEY,
        format!("//cloudkms.googleapis.com/{}", k.name),
        project,
        loc,
        name,
        labels(&k.labels),
    ))
}
