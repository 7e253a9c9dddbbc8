//! The providers' BAA lists: one entry per listed service, with the namespaces it covers, its
//! qualifiers and its source.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{is_date, is_key, is_url, ServiceModel};
use crate::error::{yaml_error, Error, InputError, Result};
use crate::model::Provider;

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
    pub(crate) fn resolve(&self, key: &str) -> Option<&ServiceEntry> {
        self.index.get(key).map(|&i| &self.services[i])
    }
}
