//! BAA coverage per cloud and the physical-safeguard (45 CFR 164.310) inheritance map.
//!
//! `policies/baa/{aws,gcp,azure}.yaml` hold one entry per service the provider lists as covered by
//! its Business Associate Agreement, keyed by the provider's own namespaces (ARN service namespace,
//! API service name, resource provider) plus the aliases this tool's kinds use. A service that no
//! entry resolves is "not on the <provider> BAA list as of <date>". `physical-safeguards.yaml`
//! says who carries each 164.310 row for each kind of service, with the rationale and, where the
//! customer carries part of it, what the customer must do.

mod agreements;
mod lists;
mod map;
mod safeguards;

pub use agreements::agreements;
pub use lists::{ProviderBaa, ServiceEntry};
pub use map::{
    inheritance_map, AgreementStatus, InheritanceMap, MapAbout, MapRow, MapSource, ServiceMap,
};
pub use safeguards::{Assignment, DocSource, Responsibility, Safeguard, ServiceModel};

use safeguards::parse_safeguards;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, InputError, Result};
use crate::model::Provider;
use crate::policy::load_builtin_data;

pub(crate) fn is_url(s: &str) -> bool {
    s.strip_prefix("https://")
        .is_some_and(|rest| rest.contains('.') && !rest.contains(char::is_whitespace))
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

pub(crate) fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The BAA lists of the three clouds and the 164.310 table.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub providers: BTreeMap<Provider, ProviderBaa>,
    pub safeguards: Vec<Safeguard>,
    /// What the 164.310 table is based on.
    pub safeguard_sources: Vec<DocSource>,
}

/// How a service stands against its provider's BAA list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaaStatus {
    /// On the provider's list.
    Listed,
    /// Not a service on the list, but the account (or its identity control plane) the BAA
    /// designates.
    AccountScope,
    /// Not on the list: not covered.
    NotListed,
}

/// Whether a service is covered, and on what basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    pub eligible: bool,
    pub status: BaaStatus,
    pub basis: String,
}

impl Catalog {
    /// The catalog embedded from `policies/baa/`.
    pub fn builtin() -> Result<Catalog> {
        let mut providers = BTreeMap::new();
        let mut errors = Vec::new();
        for p in Provider::ALL {
            let name = format!("baa/{p}.yaml");
            let file = format!("policies/{name}");
            let text = load_builtin_data(&name)
                .ok_or_else(|| InputError::new(&file, "missing from the build"))?;
            match ProviderBaa::parse(&file, text) {
                Ok(baa) if baa.provider != p => errors.push(
                    InputError::new(&file, format!("declares provider {}", baa.provider))
                        .field("provider"),
                ),
                Ok(baa) => {
                    providers.insert(p, baa);
                }
                Err(Error::Input(e)) => errors.extend(e),
                Err(e) => return Err(e),
            }
        }
        let name = "baa/physical-safeguards.yaml";
        let file = format!("policies/{name}");
        let text = load_builtin_data(name)
            .ok_or_else(|| InputError::new(&file, "missing from the build"))?;
        let safeguards = match parse_safeguards(&file, text) {
            Ok(f) => Some(f),
            Err(Error::Input(e)) => {
                errors.extend(e);
                None
            }
            Err(e) => return Err(e),
        };
        match safeguards {
            Some(f) if errors.is_empty() => Ok(Catalog {
                providers,
                safeguards: f.safeguards,
                safeguard_sources: f.sources,
            }),
            _ => Err(Error::Input(errors)),
        }
    }

    /// The entry a service key resolves to.
    pub fn service(&self, provider: Provider, service: &str) -> Option<&ServiceEntry> {
        self.providers.get(&provider)?.resolve(service)
    }

    pub fn eligibility(&self, provider: Provider, service: &str) -> Eligibility {
        let Some(baa) = self.providers.get(&provider) else {
            return Eligibility {
                eligible: false,
                status: BaaStatus::NotListed,
                basis: format!("no BAA list for {provider}"),
            };
        };
        match baa.resolve(service) {
            Some(e) if e.listed => Eligibility {
                eligible: true,
                status: BaaStatus::Listed,
                basis: format!(
                    "{} is on the {} BAA list as of {}{}",
                    e.name,
                    provider.display_name(),
                    baa.as_of,
                    e.qualifier
                        .as_ref()
                        .map(|q| format!(" ({q})"))
                        .unwrap_or_default()
                ),
            },
            Some(e) => Eligibility {
                eligible: true,
                status: BaaStatus::AccountScope,
                basis: format!(
                    "{} is not a service on the {} BAA list but within the agreement's scope: {} (list as of {})",
                    e.name,
                    provider.display_name(),
                    e.note.as_deref().unwrap_or_default(),
                    baa.as_of
                ),
            },
            None => Eligibility {
                eligible: false,
                status: BaaStatus::NotListed,
                basis: format!(
                    "`{service}` is not on the {} BAA list as of {} ({})",
                    provider.display_name(),
                    baa.as_of,
                    baa.list
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests;
