//! `docs`: regenerate the generated pages, or check that they are current.

use std::path::Path;

use anyhow::{Context, Result};

use hipaa_scan::output::write_atomic;
use hipaa_scan::scan::Setup;

use super::{input, EXIT_INPUT};

pub(crate) fn docs(out: &Path, check: bool) -> Result<u8> {
    let setup = input(Setup::load(&[], None), "invalid built-in policies")?;
    let files = [
        (
            "policies.md",
            hipaa_scan::docs::policies_markdown(&setup.policies),
        ),
        (
            "resource-kinds.md",
            hipaa_scan::docs::resource_kinds_markdown(),
        ),
        (
            "catalog-mapping.md",
            hipaa_scan::docs::catalog_mapping_markdown(&setup.policies),
        ),
    ];
    let mut stale = Vec::new();
    for (name, text) in &files {
        let path = out.join(name);
        if check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != *text {
                let shown = path.display().to_string();
                // What a regeneration would change, so a reviewer sees why the check failed.
                let diff = similar::TextDiff::from_lines(current.as_str(), text.as_str());
                eprint!(
                    "{}",
                    diff.unified_diff()
                        .context_radius(2)
                        .header(&shown, &format!("{shown} (generated)"))
                );
                stale.push(shown);
            }
        } else {
            std::fs::create_dir_all(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            write_atomic(&path, text)?;
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "error: generated docs are stale: {} (run `hipaa-scan docs`)",
            stale.join(", ")
        );
        return Ok(EXIT_INPUT);
    }
    Ok(0)
}
