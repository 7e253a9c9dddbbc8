//! BAA coverage per cloud and the physical-safeguard (45 CFR 164.310) inheritance map.
//!
//! `policies/baa/{aws,gcp,azure}.yaml` hold one entry per service the provider lists as covered by
//! its Business Associate Agreement, keyed by the provider's own namespaces (ARN service namespace,
//! API service name, resource provider) plus the aliases this tool's kinds use. A service that no
//! entry resolves is "not on the <provider> BAA list as of <date>". `physical-safeguards.yaml`
//! says who carries each 164.310 row for each kind of service, with the rationale and, where the
//! customer carries part of it, what the customer must do.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{yaml_error, Error, InputError, Result};
use crate::model::{Inventory, Provider};
use crate::policy::load_builtin_data;

/// Who carries a safeguard for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Responsibility {
    /// The provider carries it under the BAA.
    Inherited,
    /// The provider carries its side; the customer must do its own part.
    Shared,
    /// The customer's own program carries it.
    Customer,
    /// Nothing of this kind exists for the service (a control plane holds no device or media).
    NotApplicable,
    /// The service is outside the BAA: ePHI may not be put there.
    NotPermitted,
}

impl Responsibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Responsibility::Inherited => "inherited",
            Responsibility::Shared => "shared",
            Responsibility::Customer => "customer",
            Responsibility::NotApplicable => "not_applicable",
            Responsibility::NotPermitted => "not_permitted",
        }
    }

    /// How the map prints it.
    pub fn label(self) -> &'static str {
        match self {
            Responsibility::Inherited => "inherited",
            Responsibility::Shared => "shared",
            Responsibility::Customer => "customer",
            Responsibility::NotApplicable => "not applicable",
            Responsibility::NotPermitted => "not permitted for ePHI",
        }
    }
}

/// What kind of service an entry is, for the 164.310 rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceModel {
    /// Provider hardware in provider facilities; the customer runs the OS, disks and backups.
    Infrastructure,
    /// Provider hardware in provider facilities; the provider runs the service.
    #[default]
    Managed,
    /// Hardware on the customer's premises (Outposts, Snow family, Azure Stack, Arc).
    Edge,
}

impl ServiceModel {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceModel::Infrastructure => "infrastructure",
            ServiceModel::Managed => "managed",
            ServiceModel::Edge => "edge",
        }
    }
}

/// Who carries one 164.310 row for one kind of service, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub carrier: Responsibility,
    pub rationale: String,
    /// What the customer must do; present whenever the customer carries any of it.
    #[serde(default)]
    pub obligation: Option<String>,
}

/// One standard or implementation specification of 164.310.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Safeguard {
    pub citation: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    /// What the rule asks, in a sentence.
    pub summary: String,
    pub infrastructure: Assignment,
    pub managed: Assignment,
    pub edge: Assignment,
    pub control_plane: Assignment,
    pub outside_baa: Assignment,
}

impl Safeguard {
    /// The assignment for a service: outside the BAA, a control plane, or by its model.
    pub fn for_service(
        &self,
        eligible: bool,
        model: ServiceModel,
        control_plane: bool,
    ) -> &Assignment {
        if !eligible {
            &self.outside_baa
        } else if control_plane {
            &self.control_plane
        } else {
            match model {
                ServiceModel::Infrastructure => &self.infrastructure,
                ServiceModel::Managed => &self.managed,
                ServiceModel::Edge => &self.edge,
            }
        }
    }

    fn assignments(&self) -> [(&'static str, &Assignment); 5] {
        [
            ("infrastructure", &self.infrastructure),
            ("managed", &self.managed),
            ("edge", &self.edge),
            ("control_plane", &self.control_plane),
            ("outside_baa", &self.outside_baa),
        ]
    }
}

/// A document the 164.310 table is based on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocSource {
    pub title: String,
    pub url: String,
}

/// One service on a provider's BAA list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    /// The provider's name for the service, as listed.
    pub name: String,
    /// The provider's namespaces the service covers (ARN namespace, API service name, resource
    /// provider).
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Other keys this tool's kinds use for the service.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// For a listed service that lives in another entry's namespace (Amazon EBS in `ec2`).
    #[serde(default)]
    pub within: Option<String>,
    #[serde(default)]
    pub model: ServiceModel,
    /// Account-level control planes (IAM, Resource Manager): no ePHI is stored there.
    #[serde(default)]
    pub control_plane: bool,
    /// False for the account itself and its identity control plane: not a service on the list,
    /// but the unit the BAA designates (see `note`).
    #[serde(default = "yes")]
    pub listed: bool,
    /// A qualifier or exclusion the provider states for the service.
    #[serde(default)]
    pub qualifier: Option<String>,
    /// This tool's remark.
    #[serde(default)]
    pub note: Option<String>,
    /// The page the service is listed on.
    pub source: String,
}

fn yes() -> bool {
    true
}

impl ServiceEntry {
    /// Every key that resolves to this entry.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.namespaces
            .iter()
            .chain(self.aliases.iter())
            .map(String::as_str)
    }
}

/// One provider's BAA list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderBaa {
    pub provider: Provider,
    /// The agreement.
    pub baa: String,
    /// The provider's name for the list of covered services.
    pub list: String,
    /// Where the list is published.
    pub source: String,
    /// The date the list was read (YYYY-MM-DD).
    pub as_of: String,
    pub services: Vec<ServiceEntry>,
    /// Key → index into `services`.
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

impl ProviderBaa {
    /// Parses and checks one provider's list. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<ProviderBaa> {
        let mut baa: ProviderBaa =
            serde_saphyr::from_str(text).map_err(|e| yaml_error(file, &e))?;
        let mut bad = Vec::new();
        let err = |msg: String| InputError::new(file, msg);
        if !is_date(&baa.as_of) {
            bad.push(err(format!("as_of `{}` is not a YYYY-MM-DD date", baa.as_of)).field("as_of"));
        }
        if !is_url(&baa.source) {
            bad.push(err(format!("source `{}` is not an https URL", baa.source)).field("source"));
        }
        let mut index = BTreeMap::new();
        for (i, e) in baa.services.iter().enumerate() {
            let field = format!("services[{i}]");
            if e.name.trim().is_empty() {
                bad.push(err("an entry has no name".into()).field(&field));
            }
            if !is_url(&e.source) {
                bad.push(
                    err(format!(
                        "`{}` has no source URL (got `{}`)",
                        e.name, e.source
                    ))
                    .field(format!("{field}.source")),
                );
            }
            let keys: Vec<&str> = e.keys().collect();
            match (&e.within, keys.is_empty()) {
                (None, true) => bad.push(
                    err(format!("`{}` covers no namespace", e.name))
                        .field(format!("{field}.namespaces")),
                ),
                (Some(_), false) => bad.push(
                    err(format!(
                        "`{}` has both `within` and namespaces of its own",
                        e.name
                    ))
                    .field(&field),
                ),
                _ => {}
            }
            if !e.listed && e.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                bad.push(
                    err(format!("`{}` is not listed by the provider but says nowhere why it is judged covered", e.name))
                        .field(format!("{field}.note")),
                );
            }
            for k in keys {
                if !is_key(k) {
                    bad.push(
                        err(format!("`{k}` ({}) is not a lower-case namespace", e.name))
                            .field(&field),
                    );
                }
                if let Some(&j) = index.get(k) {
                    let other: &ServiceEntry = &baa.services[j];
                    bad.push(
                        err(format!(
                            "`{k}` resolves to both `{}` and `{}`",
                            other.name, e.name
                        ))
                        .field(&field),
                    );
                } else {
                    index.insert(k.to_string(), i);
                }
            }
        }
        for (i, e) in baa.services.iter().enumerate() {
            if let Some(w) = &e.within {
                if !index.contains_key(w) {
                    bad.push(
                        err(format!(
                            "`{}` is within `{w}`, which no entry covers",
                            e.name
                        ))
                        .field(format!("services[{i}].within")),
                    );
                }
            }
        }
        if !bad.is_empty() {
            return Err(Error::Input(bad));
        }
        baa.index = index;
        Ok(baa)
    }

    /// The entry a key resolves to.
    pub fn resolve(&self, key: &str) -> Option<&ServiceEntry> {
        self.index.get(key).map(|&i| &self.services[i])
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SafeguardFile {
    sources: Vec<DocSource>,
    safeguards: Vec<Safeguard>,
}

fn parse_safeguards(file: &str, text: &str) -> Result<SafeguardFile> {
    let parsed: SafeguardFile = serde_saphyr::from_str(text).map_err(|e| yaml_error(file, &e))?;
    let mut bad = Vec::new();
    let err = |msg: String| InputError::new(file, msg);
    if !parsed
        .sources
        .iter()
        .any(|s| s.url.starts_with("https://www.ecfr.gov/"))
    {
        bad.push(
            err("the sources do not name the rule's text on ecfr.gov".into()).field("sources"),
        );
    }
    for s in &parsed.sources {
        if !is_url(&s.url) {
            bad.push(err(format!("source `{}` is not an https URL", s.url)).field("sources"));
        }
    }
    for s in &parsed.safeguards {
        if !s.citation.starts_with("164.310(") || !crate::hipaa::is_valid(&s.citation) {
            bad.push(err(format!("`{}` is not a 164.310 citation", s.citation)));
        }
        for (model, a) in s.assignments() {
            let field = format!("{}.{model}", s.citation);
            if a.rationale.trim().is_empty() {
                bad.push(err(format!("{field} has no rationale")).field(&field));
            }
            let customer_part =
                matches!(a.carrier, Responsibility::Shared | Responsibility::Customer);
            if customer_part && a.obligation.as_deref().is_none_or(|o| o.trim().is_empty()) {
                bad.push(
                    err(format!(
                        "{field} is {} but says nothing of the customer's obligation",
                        a.carrier.as_str()
                    ))
                    .field(&field),
                );
            }
            if !customer_part && a.obligation.is_some() {
                bad.push(
                    err(format!(
                        "{field} is {} yet names a customer obligation",
                        a.carrier.as_str()
                    ))
                    .field(&field),
                );
            }
        }
        if !matches!(
            s.outside_baa.carrier,
            Responsibility::NotPermitted | Responsibility::Customer
        ) {
            bad.push(err(format!(
                "{}: a service outside the BAA can only be `not_permitted` or `customer`",
                s.citation
            )));
        }
    }
    if !bad.is_empty() {
        return Err(Error::Input(bad));
    }
    Ok(parsed)
}

fn is_url(s: &str) -> bool {
    s.strip_prefix("https://")
        .is_some_and(|rest| rest.contains('.') && !rest.contains(char::is_whitespace))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_key(s: &str) -> bool {
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
    pub sources: Vec<MapSource>,
    /// What the 164.310 table is based on.
    pub safeguard_sources: Vec<DocSource>,
    pub services: Vec<ServiceMap>,
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
    InheritanceMap {
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

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
provider: aws
baa: AWS Business Associate Addendum
list: AWS HIPAA Eligible Services Reference
source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/
as_of: "2026-11-30"
services:
  - { name: Amazon SQS, namespaces: [sqs], source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/ }
"#;

    fn input_messages(r: Result<ProviderBaa>) -> Vec<String> {
        match r {
            Err(Error::Input(e)) => e.into_iter().map(|e| e.message).collect(),
            Err(e) => vec![e.to_string()],
            Ok(_) => vec![],
        }
    }

    #[test]
    fn builtin_catalog_loads_with_complete_lists() {
        let catalog = Catalog::builtin().unwrap();
        assert_eq!(catalog.safeguards.len(), 12);
        let listed = |p| {
            catalog.providers[&p]
                .services
                .iter()
                .filter(|e| e.listed)
                .count()
        };
        // The providers publish well over a hundred (AWS), about a hundred (Google Cloud) and
        // close to a hundred (Azure) services; a list far shorter than that is incomplete.
        assert!(listed(Provider::Aws) > 120, "{}", listed(Provider::Aws));
        assert!(listed(Provider::Gcp) > 90, "{}", listed(Provider::Gcp));
        assert!(listed(Provider::Azure) > 80, "{}", listed(Provider::Azure));
        for baa in catalog.providers.values() {
            assert!(is_date(&baa.as_of), "{}", baa.as_of);
            for e in &baa.services {
                assert!(
                    is_url(&e.source),
                    "{} ({}) has no source",
                    e.name,
                    baa.provider
                );
            }
        }
    }

    #[test]
    fn an_entry_without_a_source_is_refused() {
        let missing = ONE.replace(
            ", source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/ }",
            " }",
        );
        assert_ne!(missing, ONE);
        assert!(ProviderBaa::parse("t.yaml", &missing).is_err());
        let empty = ONE.replace(
            ", source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/ }",
            ", source: \"\" }",
        );
        let msgs = input_messages(ProviderBaa::parse("t.yaml", &empty));
        assert!(msgs.iter().any(|m| m.contains("has no source")), "{msgs:?}");
        assert!(ProviderBaa::parse("t.yaml", ONE).is_ok());
    }

    #[test]
    fn namespaces_are_unique_and_within_resolves() {
        let dup = ONE.replace(
            "services:\n",
            "services:\n  - { name: Other, namespaces: [sqs], source: https://example.com/x }\n",
        );
        let msgs = input_messages(ProviderBaa::parse("t.yaml", &dup));
        assert!(
            msgs.iter().any(|m| m.contains("resolves to both")),
            "{msgs:?}"
        );
        let within = ONE.replace(
            "services:\n",
            "services:\n  - { name: Ghost, within: nope, source: https://example.com/x }\n",
        );
        let msgs = input_messages(ProviderBaa::parse("t.yaml", &within));
        assert!(
            msgs.iter().any(|m| m.contains("which no entry covers")),
            "{msgs:?}"
        );
        // Every builtin key resolves to exactly one entry (parse refuses duplicates).
        let catalog = Catalog::builtin().unwrap();
        for baa in catalog.providers.values() {
            let keys: Vec<&str> = baa.services.iter().flat_map(|e| e.keys()).collect();
            let unique: BTreeSet<&str> = keys.iter().copied().collect();
            assert_eq!(keys.len(), unique.len(), "{}", baa.provider);
        }
    }

    /// Services of this tool's kinds that are deliberately not on a BAA list.
    const DELIBERATELY_ABSENT: &[(Provider, &str)] = &[];

    #[test]
    fn every_kind_service_resolves_or_is_deliberately_absent() {
        let catalog = Catalog::builtin().unwrap();
        for k in crate::model::KINDS {
            let deliberate = DELIBERATELY_ABSENT.contains(&(k.provider, k.service()));
            assert_eq!(
                catalog.eligibility(k.provider, k.service()).eligible,
                !deliberate,
                "{}: its service `{}` does not resolve to a BAA entry",
                k.kind,
                k.service()
            );
        }
        // The keys the adapters used before kinds were named after provider namespaces.
        for (p, key) in [
            (Provider::Aws, "account"),
            (Provider::Aws, "iam"),
            (Provider::Aws, "sso"),
            (Provider::Gcp, "project"),
            (Provider::Gcp, "resourcemanager"),
            (Provider::Gcp, "sql"),
            (Provider::Gcp, "kms"),
            (Provider::Gcp, "identity"),
            (Provider::Azure, "subscription"),
            (Provider::Azure, "entra"),
            (Provider::Azure, "cosmosdb"),
        ] {
            assert!(catalog.eligibility(p, key).eligible, "{p}/{key}");
        }
        // Provider namespaces named in the issue.
        for (p, key) in [
            (Provider::Aws, "sqs"),
            (Provider::Aws, "lambda"),
            (Provider::Aws, "states"),
            (Provider::Aws, "es"),
            (Provider::Aws, "elasticmapreduce"),
            (Provider::Aws, "cognito-idp"),
            (Provider::Gcp, "storage"),
            (Provider::Gcp, "sqladmin"),
            (Provider::Gcp, "bigquery"),
            (Provider::Gcp, "compute"),
            (Provider::Gcp, "container"),
            (Provider::Azure, "storage"),
            (Provider::Azure, "sql"),
            (Provider::Azure, "keyvault"),
            (Provider::Azure, "documentdb"),
            (Provider::Azure, "web"),
            (Provider::Azure, "compute"),
        ] {
            assert_eq!(
                catalog.eligibility(p, key).status,
                BaaStatus::Listed,
                "{p}/{key}"
            );
        }
    }

    #[test]
    fn services_off_the_list_say_so_with_the_date() {
        let catalog = Catalog::builtin().unwrap();
        for (p, key, says) in [
            (Provider::Aws, "lightsail", "not on the AWS BAA list as of "),
            (Provider::Aws, "gamelift", "not on the AWS BAA list as of "),
            (
                Provider::Gcp,
                "firebasedatabase",
                "not on the Google Cloud BAA list as of ",
            ),
            (
                Provider::Azure,
                "playwrighttesting",
                "not on the Azure BAA list as of ",
            ),
        ] {
            let e = catalog.eligibility(p, key);
            assert!(!e.eligible, "{p}/{key}");
            assert_eq!(e.status, BaaStatus::NotListed);
            let as_of = &catalog.providers[&p].as_of;
            assert!(e.basis.contains(&format!("{says}{as_of}")), "{}", e.basis);
        }
        let s3 = catalog.eligibility(Provider::Aws, "s3");
        assert!(
            s3.basis.contains("is on the AWS BAA list as of"),
            "{}",
            s3.basis
        );
    }

    fn row<'a>(catalog: &'a Catalog, citation: &str) -> &'a Safeguard {
        catalog
            .safeguards
            .iter()
            .find(|s| s.citation == citation)
            .unwrap()
    }

    #[test]
    fn the_164_310_table_reads_the_rule_right() {
        use Responsibility::*;
        let catalog = Catalog::builtin().unwrap();
        let carrier = |c: &str, eligible: bool, m: ServiceModel, cp: bool| {
            row(&catalog, c).for_service(eligible, m, cp).carrier
        };
        for c in ["164.310(d)(2)(i)", "164.310(d)(2)(ii)"] {
            for m in [ServiceModel::Infrastructure, ServiceModel::Managed] {
                assert_eq!(carrier(c, true, m, false), Shared, "{c} {m:?}");
            }
            assert!(row(&catalog, c).managed.obligation.is_some());
        }
        let backup = "164.310(d)(2)(iv)";
        assert_eq!(
            carrier(backup, true, ServiceModel::Managed, false),
            Inherited
        );
        assert_eq!(
            carrier(backup, true, ServiceModel::Infrastructure, false),
            Inherited
        );
        assert_eq!(carrier(backup, true, ServiceModel::Edge, false), Customer);
        for s in &catalog.safeguards {
            let c = s.citation.as_str();
            if c.starts_with("164.310(a)") {
                assert_eq!(carrier(c, true, ServiceModel::Edge, false), Customer, "{c}");
            }
            if c.starts_with("164.310(d)") {
                assert_eq!(
                    carrier(c, true, ServiceModel::Managed, true),
                    NotApplicable,
                    "{c}"
                );
            }
            let outside = carrier(c, false, ServiceModel::Managed, false);
            if c == "164.310(b)" || c == "164.310(c)" {
                assert_eq!(outside, Customer, "{c}");
            } else {
                assert_eq!(outside, NotPermitted, "{c}");
            }
        }
    }

    #[test]
    fn edge_services_are_marked_edge() {
        let catalog = Catalog::builtin().unwrap();
        for (p, key) in [
            (Provider::Aws, "outposts"),
            (Provider::Aws, "snowball"),
            (Provider::Aws, "storagegateway"),
            (Provider::Azure, "azurestackhci"),
            (Provider::Azure, "hybridcompute"),
        ] {
            assert_eq!(
                catalog.service(p, key).unwrap().model,
                ServiceModel::Edge,
                "{p}/{key}"
            );
        }
    }
}
