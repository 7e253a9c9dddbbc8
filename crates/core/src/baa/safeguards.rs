//! The 164.310 table: who carries each physical safeguard for each kind of service, with the
//! rationale and the customer's obligation, and the documents it is based on.

use serde::{Deserialize, Serialize};

use super::is_url;
use crate::error::{yaml_error, Error, InputError, Result};

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
    pub(crate) fn for_service(
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SafeguardFile {
    pub(super) sources: Vec<DocSource>,
    pub(super) safeguards: Vec<Safeguard>,
}

pub(super) fn parse_safeguards(file: &str, text: &str) -> Result<SafeguardFile> {
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
