//! Cloud KMS: the crypto keys of one project, in every location that has key rings, with the IAM
//! policies of each key and its key ring (a key inherits its ring's) and the versions of each key
//! that are scheduled for destruction.

use google_cloud_kms_v1::client::KeyManagementService;
use google_cloud_kms_v1::model::crypto_key_version::CryptoKeyVersionState;
use google_cloud_kms_v1::model::CryptoKey;
use serde_json::Value;

use super::{labels, Ctx};
use hipaa_scan_core::collect::{bounded, resource, Found, Props};

/// The IAM members that make a key public.
const PUBLIC: [&str; 2] = ["allUsers", "allAuthenticatedUsers"];

/// Keys of one ring read at once.
const KEYS_AT_ONCE: usize = 4;

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
        let keys = match list_all!(
            client.list_crypto_keys().set_parent(ring.clone()),
            crypto_keys,
            "cloudkms.cryptoKeys.list"
        ) {
            Ok(keys) => keys,
            // The keys of this ring are unknown; other rings stand.
            Err(why) => {
                found.gap(&project, Some(&loc), &[KEY], format!("{ring}: {why}"));
                continue;
            }
        };
        if keys.is_empty() {
            continue;
        }
        let ring_public = public_members(&client, &ring, "key ring").await;
        let resources = bounded(keys, KEYS_AT_ONCE, {
            let client = client.clone();
            let project = project.clone();
            let loc = loc.clone();
            let ring_public = ring_public.clone();
            move |k| {
                let client = client.clone();
                let project = project.clone();
                let loc = loc.clone();
                let ring_public = ring_public.clone();
                async move {
                    let mut p = Props::default();
                    let own = public_members(&client, &k.name, "key").await;
                    match merge(own, ring_public) {
                        Ok(v) => p.set("public_members", v),
                        Err(why) => p.unknown("public_members", why),
                    }
                    match pending_destruction(&client, &k.name).await {
                        Ok(v) => p.set("versions_pending_destruction", v),
                        Err(why) => p.unknown("versions_pending_destruction", why),
                    }
                    normalize(p, &project, &loc, &k)
                }
            }
        })
        .await;
        found.resources.extend(resources);
    }
    found
}

/// `ROLE MEMBER (on WHAT)` for every public member of the IAM policy of `resource`.
async fn public_members(
    client: &KeyManagementService,
    resource: &str,
    what: &str,
) -> Result<Vec<String>, String> {
    let policy = client
        .get_iam_policy()
        .set_resource(resource)
        .set_options(super::project::policy_v3())
        .send()
        .await
        .map_err(|e| {
            let op = if what == "key" {
                "cloudkms.cryptoKeys.getIamPolicy"
            } else {
                "cloudkms.keyRings.getIamPolicy"
            };
            super::clients::describe(op, &e)
        })?;
    let op = if what == "key" {
        "cloudkms.cryptoKeys.getIamPolicy"
    } else {
        "cloudkms.keyRings.getIamPolicy"
    };
    let policy = super::project::policy_checked(policy, op)?;
    let mut out: Vec<String> = policy
        .bindings
        .iter()
        .flat_map(|b| {
            b.members
                .iter()
                .filter(|m| PUBLIC.contains(&m.as_str()))
                .map(move |m| format!("{} {m} (on {what})", b.role))
        })
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The key's and its ring's public members: unknown only when one policy is unread and the
/// other shows none.
fn merge(
    own: Result<Vec<String>, String>,
    ring: Result<Vec<String>, String>,
) -> Result<Vec<String>, String> {
    match (own, ring) {
        (Ok(mut a), Ok(b)) => {
            a.extend(b);
            Ok(a)
        }
        (Ok(found), Err(why)) | (Err(why), Ok(found)) => {
            if found.is_empty() {
                Err(why)
            } else {
                Ok(found)
            }
        }
        (Err(why), Err(_)) => Err(why),
    }
}

/// The version numbers of the key that are scheduled for destruction.
async fn pending_destruction(
    client: &KeyManagementService,
    key: &str,
) -> Result<Vec<String>, String> {
    let versions = list_all!(
        client
            .list_crypto_key_versions()
            .set_parent(key)
            .set_filter("state=DESTROY_SCHEDULED"),
        crypto_key_versions,
        "cloudkms.cryptoKeyVersions.list"
    )?;
    // The filter is the server's; the state is checked here too.
    let mut out: Vec<String> = versions
        .iter()
        .filter(|v| v.state == CryptoKeyVersionState::DestroyScheduled)
        .map(|v| v.name.rsplit('/').next().unwrap_or(&v.name).to_string())
        .collect();
    out.sort();
    Ok(out)
}

fn normalize(
    mut p: Props,
    project: &str,
    loc: &str,
    k: &CryptoKey,
) -> hipaa_scan_core::model::Resource {
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
