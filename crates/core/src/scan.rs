//! The pipeline end to end: load policies, config and the BAA catalog; evaluate an inventory.

use std::path::{Path, PathBuf};

use crate::baa::{inheritance_map, Catalog, InheritanceMap};
use crate::config::{Config, FailOn};
use crate::engine::{evaluate, Evaluation};
use crate::error::Result;
use crate::model::Inventory;
use crate::policy::{builtin_policy_files, load_dir, load_files, PolicySet};
use crate::results::Scan;

/// Everything loaded before a scan.
pub struct Setup {
    pub config: Config,
    pub policies: PolicySet,
    pub catalog: Catalog,
}

impl Setup {
    /// Built-in policies, plus `policy_dirs` (which may replace built-ins by id), with the
    /// config's overrides applied.
    pub fn load(policy_dirs: &[PathBuf], config: Option<&Path>) -> Result<Setup> {
        let config = match config {
            Some(path) => Config::load(path)?,
            None => Config {
                name: "<default config>".into(),
                ..Config::default()
            },
        };
        let mut extra = Vec::new();
        for dir in policy_dirs {
            extra.extend(load_dir(dir)?);
        }
        let mut policies = load_files(
            &builtin_policy_files(),
            &extra,
            &config.policies,
            &config.name,
        )?;
        policies.select(&config.select, &config.name)?;
        let catalog = Catalog::builtin()?;
        Ok(Setup {
            config,
            policies,
            catalog,
        })
    }
}

/// The outcome of evaluating one inventory.
pub struct Outcome {
    pub inventory: Inventory,
    pub evaluation: Evaluation,
    pub map: InheritanceMap,
}

impl Outcome {
    pub fn run(setup: &Setup, inventory: Inventory) -> Outcome {
        let evaluation = evaluate(
            &inventory,
            &setup.policies,
            &setup.config.scope,
            &setup.catalog,
        );
        let mut map = inheritance_map(&setup.catalog, &inventory, &evaluation.in_scope);
        map.about.agreements = crate::baa::agreements(&inventory, &setup.config.agreements);
        Outcome {
            inventory,
            evaluation,
            map,
        }
    }

    /// A view for the reports.
    pub fn scan<'a>(&'a self, setup: &'a Setup, fail_on: FailOn, source: String) -> Scan<'a> {
        Scan::new(
            &self.inventory,
            &setup.policies,
            &self.evaluation,
            &self.map,
            fail_on,
            source,
        )
        .with_untagged(setup.config.scope.untagged)
    }
}
