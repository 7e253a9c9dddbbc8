//! BAA coverage per cloud and the physical-safeguard (45 CFR 164.310) inheritance map.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{yaml_error, Error, InputError, Result};
use crate::model::{Inventory, Provider};
use crate::policy::load_builtin_data;

/// Who carries a safeguard for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Responsibility {
    Inherited,
    Shared,
    Customer,
}

impl Responsibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Responsibility::Inherited => "inherited",
            Responsibility::Shared => "shared",
            Responsibility::Customer => "customer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceModel {
    Infrastructure,
    Managed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Safeguard {
    pub citation: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub infrastructure: Responsibility,
    pub managed: Responsibility,
    pub rationale: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    pub name: String,
    pub eligible: bool,
    pub model: ServiceModel,
    /// Account-level control planes (IAM, Resource Manager): no ePHI is stored there.
    #[serde(default)]
    pub control_plane: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderBaa {
    pub provider: Provider,
    pub baa: String,
    pub source: String,
    pub as_of: String,
    pub services: BTreeMap<String, ServiceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SafeguardFile {
    safeguards: Vec<Safeguard>,
}

/// The BAA lists of the three clouds and the 164.310 table.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub providers: BTreeMap<Provider, ProviderBaa>,
    pub safeguards: Vec<Safeguard>,
}

/// Whether a service is covered, and on what basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    pub eligible: bool,
    pub basis: String,
}

impl Catalog {
    /// The catalog embedded from `policies/baa/`.
    pub fn builtin() -> Result<Catalog> {
        let mut providers = BTreeMap::new();
        for p in Provider::ALL {
            let name = format!("baa/{p}.yaml");
            let text = load_builtin_data(&name).ok_or_else(|| {
                InputError::new(format!("policies/{name}"), "missing from the build")
            })?;
            let baa: ProviderBaa = serde_saphyr::from_str(text)
                .map_err(|e| yaml_error(&format!("policies/{name}"), &e))?;
            if baa.provider != p {
                return Err(InputError::new(
                    format!("policies/{name}"),
                    format!("declares provider {}", baa.provider),
                )
                .field("provider")
                .into());
            }
            providers.insert(p, baa);
        }
        let name = "baa/physical-safeguards.yaml";
        let text = load_builtin_data(name)
            .ok_or_else(|| InputError::new(name, "missing from the build"))?;
        let file: SafeguardFile = serde_saphyr::from_str(text)
            .map_err(|e| yaml_error(&format!("policies/{name}"), &e))?;
        let bad: Vec<_> = file
            .safeguards
            .iter()
            .filter(|s| !s.citation.starts_with("164.310(") || !crate::hipaa::is_valid(&s.citation))
            .map(|s| {
                InputError::new(
                    format!("policies/{name}"),
                    format!("`{}` is not a 164.310 citation", s.citation),
                )
            })
            .collect();
        if !bad.is_empty() {
            return Err(Error::Input(bad));
        }
        Ok(Catalog {
            providers,
            safeguards: file.safeguards,
        })
    }

    pub fn service(&self, provider: Provider, service: &str) -> Option<&ServiceEntry> {
        self.providers.get(&provider)?.services.get(service)
    }

    pub fn eligibility(&self, provider: Provider, service: &str) -> Eligibility {
        let Some(baa) = self.providers.get(&provider) else {
            return Eligibility {
                eligible: false,
                basis: format!("no BAA list for {provider}"),
            };
        };
        match baa.services.get(service) {
            Some(e) if e.eligible => Eligibility {
                eligible: true,
                basis: format!(
                    "{} is covered by the {} (list as of {})",
                    e.name, baa.baa, baa.as_of
                ),
            },
            Some(e) => Eligibility {
                eligible: false,
                basis: format!(
                    "{} is not covered by the {}{}",
                    e.name,
                    baa.baa,
                    e.note
                        .as_ref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                ),
            },
            None => Eligibility {
                eligible: false,
                basis: format!(
                    "service `{service}` is not on the {} list of covered services ({}, as of {})",
                    provider.display_name(),
                    baa.source,
                    baa.as_of
                ),
            },
        }
    }
}

/// One row of a service's 164.310 map.
#[derive(Debug, Clone, Serialize)]
pub struct MapRow {
    pub citation: String,
    pub title: String,
    pub required: bool,
    pub responsibility: Responsibility,
}

/// One cloud service in use, with its coverage and its 164.310 rows.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceMap {
    pub provider: Provider,
    pub service: String,
    pub name: String,
    pub eligible: bool,
    pub basis: String,
    pub baa: Option<String>,
    pub model: Option<ServiceModel>,
    pub control_plane: bool,
    pub resources: usize,
    pub resources_in_scope: usize,
    pub safeguards: Vec<MapRow>,
}

/// The physical-safeguard inheritance map of an estate.
#[derive(Debug, Clone, Serialize)]
pub struct InheritanceMap {
    pub sources: Vec<MapSource>,
    pub services: Vec<ServiceMap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MapSource {
    pub provider: Provider,
    pub baa: String,
    pub source: String,
    pub as_of: String,
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
            let entry = catalog.service(provider, service);
            let eligibility = catalog.eligibility(provider, service);
            let model = entry.map(|e| e.model);
            let safeguards = catalog
                .safeguards
                .iter()
                .map(|s| MapRow {
                    citation: s.citation.clone(),
                    title: s.title.clone(),
                    required: s.required,
                    responsibility: match (eligibility.eligible, model) {
                        (true, Some(ServiceModel::Infrastructure)) => s.infrastructure,
                        (true, _) => s.managed,
                        (false, _) => Responsibility::Customer,
                    },
                })
                .collect();
            ServiceMap {
                provider,
                service: service.to_string(),
                name: entry.map_or_else(|| service.to_string(), |e| e.name.clone()),
                eligible: eligibility.eligible,
                basis: eligibility.basis,
                baa: eligibility
                    .eligible
                    .then(|| catalog.providers.get(&provider).map(|b| b.baa.clone()))
                    .flatten(),
                model,
                control_plane: entry.is_some_and(|e| e.control_plane),
                resources,
                resources_in_scope,
                safeguards,
            }
        })
        .collect::<Vec<_>>();
    let used: std::collections::BTreeSet<Provider> = services.iter().map(|s| s.provider).collect();
    InheritanceMap {
        sources: catalog
            .providers
            .values()
            .filter(|b| used.contains(&b.provider))
            .map(|b| MapSource {
                provider: b.provider,
                baa: b.baa.clone(),
                source: b.source.clone(),
                as_of: b.as_of.clone(),
            })
            .collect(),
        services,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_loads_and_covers_every_schema_kind() {
        let catalog = Catalog::builtin().unwrap();
        assert_eq!(catalog.safeguards.len(), 12);
        for k in crate::model::KINDS {
            assert!(
                catalog.eligibility(k.provider, k.service()).eligible,
                "{} has a schema but its service is not on the BAA list",
                k.kind
            );
        }
        assert!(!catalog.eligibility(Provider::Aws, "lightsail").eligible);
        assert!(
            !catalog
                .eligibility(Provider::Aws, "no-such-service")
                .eligible
        );
    }
}
