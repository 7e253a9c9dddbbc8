//! Security Command Center: the services of one project (`projects.locations.
//! securityCenterServices.list` in location `global`, the Security Command Center Management
//! API), each with its intended and effective enablement state. An intended `INHERITED` state is
//! resolved by the API itself into `effectiveEnablementState` from the closest ancestor that sets
//! one. A failed listing is a gap; Security Health Analytics missing from a listing that
//! answered leaves its state unknown, never absent.

use google_cloud_securitycentermanagement_v1::model::security_center_service::EnablementState;
use google_cloud_securitycentermanagement_v1::model::SecurityCenterService;

use super::Ctx;
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const SERVICE: &str = "gcp.securitycenter.service";

const OP: &str = "securitycentermanagement.securityCenterServices.list";

/// The service that scans the project's configuration for misconfigurations and
/// vulnerabilities: the one `gcp-scc-enabled` judges.
pub(crate) const HEALTH_ANALYTICS: &str = "security-health-analytics";

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let listed = list_all!(
        ctx.clients
            .scc
            .list_security_center_services()
            .set_parent(format!("projects/{project}/locations/global")),
        security_center_services,
        OP
    );
    let mut found = Found::default();
    if let Some(list) = found.listed(listed, project, None, &[SERVICE]) {
        let mut resources: Vec<_> = list.iter().map(|s| normalize(project, s)).collect();
        if !resources.iter().any(|r| r.name == HEALTH_ANALYTICS) {
            let mut p = Props::default();
            let why = format!("{OP} did not return {HEALTH_ANALYTICS}");
            p.unknown("intended_enablement_state", why.clone());
            p.unknown("effective_enablement_state", why);
            resources.push(p.into_resource(service_resource(project, HEALTH_ANALYTICS)));
        }
        found.resources.extend(resources);
    }
    ctx.progress
        .done(&format!("security command center {project}"));
    found
}

fn service_resource(project: &str, id: &str) -> hipaa_scan_core::model::Resource {
    resource(
        SERVICE,
        format!(
            "//securitycentermanagement.googleapis.com/projects/{project}/locations/global/securityCenterServices/{id}"
        ),
        project,
        "global",
        id.to_string(),
        Default::default(),
    )
}

fn state_name(s: &EnablementState) -> &str {
    s.name().unwrap_or("ENABLEMENT_STATE_UNSPECIFIED")
}

pub(crate) fn normalize(
    project: &str,
    s: &SecurityCenterService,
) -> hipaa_scan_core::model::Resource {
    let id = s.name.rsplit('/').next().unwrap_or(&s.name);
    let mut p = Props::default();
    p.set(
        "intended_enablement_state",
        state_name(&s.intended_enablement_state),
    );
    // The effective state is ENABLED, DISABLED or INGEST_ONLY; INHERITED or unspecified there
    // is not resolved, and unknown.
    match &s.effective_enablement_state {
        EnablementState::Enabled | EnablementState::Disabled | EnablementState::IngestOnly => p
            .set(
                "effective_enablement_state",
                state_name(&s.effective_enablement_state),
            ),
        other => p.unknown(
            "effective_enablement_state",
            format!(
                "{OP} answered effectiveEnablementState {} for {id}",
                state_name(other)
            ),
        ),
    }
    p.into_resource(service_resource(project, id))
}
