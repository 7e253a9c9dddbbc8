//! The inheritance map of an estate: per service in use, its BAA standing and who carries each
//! 164.310 row.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{BaaStatus, Catalog, DocSource, Responsibility, ServiceModel};
use crate::model::{Inventory, Provider};

/// One row of a service's 164.310 map.
#[derive(Debug, Clone, Serialize)]
pub struct MapRow {
    pub citation: String,
    pub title: String,
    pub required: bool,
    pub responsibility: Responsibility,
    /// `responsibility` as printed ("not permitted for ePHI").
    pub label: &'static str,
    pub rationale: String,
    /// What the customer must do, when it carries any of the row.
    pub customer_obligation: Option<String>,
}

/// One cloud service in use, with its coverage and its 164.310 rows.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceMap {
    pub provider: Provider,
    pub service: String,
    pub name: String,
    pub eligible: bool,
    pub baa_status: BaaStatus,
    pub basis: String,
    /// The agreement, when the service is covered.
    pub baa: Option<String>,
    /// Where the service's coverage is stated: its entry's source, or the list's when absent.
    pub source: String,
    /// The date the list was read.
    pub as_of: Option<String>,
    pub qualifier: Option<String>,
    pub model: Option<ServiceModel>,
    pub control_plane: bool,
    pub resources: usize,
    pub resources_in_scope: usize,
    pub safeguards: Vec<MapRow>,
}

/// The physical-safeguard inheritance map of an estate.
#[derive(Debug, Clone, Serialize)]
pub struct InheritanceMap {
    /// What the map is about: the scan, its scope and the agreements it relies on.
    pub about: MapAbout,
    pub sources: Vec<MapSource>,
    /// What the 164.310 table is based on.
    pub safeguard_sources: Vec<DocSource>,
    pub services: Vec<ServiceMap>,
}

/// The scan a map belongs to: what was read, when, by which tool and data, and the BAAs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MapAbout {
    pub tool_version: String,
    pub collected_at: String,
    pub source: String,
    /// Per provider in the estate: the BAA as recorded in the configuration, or not verified.
    pub agreements: Vec<AgreementStatus>,
    /// What the scan could not enumerate (gaps): services whose use is unknown there.
    pub not_enumerated: Vec<String>,
    /// Resources in ePHI scope on services not on a BAA list (must be 0).
    pub ephi_outside_baa: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgreementStatus {
    pub provider: Provider,
    /// `accepted` or `missing` (verified in the estate: AWS Artifact), `recorded` (from the
    /// configuration) or `not_verified`.
    pub status: &'static str,
    pub reference: Option<String>,
    pub effective: Option<String>,
    pub covers: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MapSource {
    pub provider: Provider,
    pub baa: String,
    pub list: String,
    pub source: String,
    pub as_of: String,
    /// Services on the list.
    pub services_listed: usize,
}

/// Builds the map for the services in use; `in_scope[i]` tells whether resource `i` holds ePHI.
pub fn inheritance_map(
    catalog: &Catalog,
    inventory: &Inventory,
    in_scope: &[bool],
) -> InheritanceMap {
    let mut counts: BTreeMap<(Provider, &str), (usize, usize)> = BTreeMap::new();
    for (i, r) in inventory.resources.iter().enumerate() {
        let c = counts.entry((r.provider, r.service())).or_default();
        c.0 += 1;
        c.1 += usize::from(in_scope.get(i).copied().unwrap_or(false));
    }
    let services = counts
        .into_iter()
        .map(|((provider, service), (resources, resources_in_scope))| {
            let list = catalog.providers.get(&provider);
            let entry = catalog.service(provider, service);
            let eligibility = catalog.eligibility(provider, service);
            let model = entry.map(|e| e.model);
            let control_plane = entry.is_some_and(|e| e.control_plane);
            let safeguards = catalog
                .safeguards
                .iter()
                .map(|s| {
                    let a = s.for_service(
                        eligibility.eligible,
                        model.unwrap_or_default(),
                        control_plane,
                    );
                    MapRow {
                        citation: s.citation.clone(),
                        title: s.title.clone(),
                        required: s.required,
                        responsibility: a.carrier,
                        label: a.carrier.label(),
                        rationale: a.rationale.clone(),
                        customer_obligation: a.obligation.clone(),
                    }
                })
                .collect();
            ServiceMap {
                provider,
                service: service.to_string(),
                name: entry.map_or_else(|| service.to_string(), |e| e.name.clone()),
                eligible: eligibility.eligible,
                baa_status: eligibility.status,
                basis: eligibility.basis,
                baa: eligibility
                    .eligible
                    .then(|| list.map(|b| b.baa.clone()))
                    .flatten(),
                source: entry
                    .map(|e| e.source.clone())
                    .or_else(|| list.map(|b| b.source.clone()))
                    .unwrap_or_default(),
                as_of: list.map(|b| b.as_of.clone()),
                qualifier: entry.and_then(|e| e.qualifier.clone()),
                model,
                control_plane,
                resources,
                resources_in_scope,
                safeguards,
            }
        })
        .collect::<Vec<_>>();
    let used: BTreeSet<Provider> = services.iter().map(|s| s.provider).collect();
    let ephi_outside_baa = services
        .iter()
        .filter(|s| !s.eligible)
        .map(|s| s.resources_in_scope)
        .sum();
    InheritanceMap {
        about: MapAbout {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            collected_at: inventory
                .collected_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            source: inventory.source.clone(),
            agreements: Vec::new(),
            not_enumerated: inventory
                .gaps
                .iter()
                .map(|g| format!("{} in {}: {}", g.kinds.join(", "), g.scope(), g.reason))
                .collect(),
            ephi_outside_baa,
        },
        sources: catalog
            .providers
            .values()
            .filter(|b| used.contains(&b.provider))
            .map(|b| MapSource {
                provider: b.provider,
                baa: b.baa.clone(),
                list: b.list.clone(),
                source: b.source.clone(),
                as_of: b.as_of.clone(),
                services_listed: b.services.iter().filter(|e| e.listed).count(),
            })
            .collect(),
        safeguard_sources: catalog.safeguard_sources.clone(),
        services,
    }
}
