//! `docs`: regenerate the generated pages, or check that they are current.

use std::path::Path;

use anyhow::{Context, Result};

use hipaa_scan::output::write_atomic;
use hipaa_scan::scan::Setup;

use super::{input, EXIT_INPUT};

/// The README's generated blocks: each live adapter's call list, from its service tables.
fn readme_blocks() -> Vec<(&'static str, String)> {
    #[cfg(any(feature = "aws", feature = "gcp", feature = "azure"))]
    use hipaa_scan::docs::calls_markdown as calls;
    vec![
        #[cfg(feature = "aws")]
        ("aws-calls", calls(&hipaa_scan::aws::reads())),
        #[cfg(feature = "gcp")]
        ("gcp-calls", calls(&hipaa_scan::gcp::reads())),
        #[cfg(feature = "azure")]
        ("azure-calls", calls(&hipaa_scan::azure::reads())),
    ]
}

pub(crate) fn docs(out: &Path, readme: &Path, check: bool) -> Result<u8> {
    let setup = input(Setup::load(&[], None), "invalid built-in policies")?;
    let mut files = vec![
        (
            out.join("policies.md"),
            hipaa_scan::docs::policies_markdown(&setup.policies),
        ),
        (
            out.join("resource-kinds.md"),
            hipaa_scan::docs::resource_kinds_markdown(),
        ),
        (
            out.join("catalog-mapping.md"),
            hipaa_scan::docs::catalog_mapping_markdown(&setup.policies),
        ),
    ];
    // The README's generated blocks, spliced into the README as it stands.
    let mut text = std::fs::read_to_string(readme)
        .with_context(|| format!("cannot read {}", readme.display()))?;
    for (name, body) in readme_blocks() {
        text = match hipaa_scan::docs::splice_generated(&text, name, &body) {
            Ok(t) => t,
            Err(why) => {
                eprintln!("error: {}: {why}", readme.display());
                return Ok(EXIT_INPUT);
            }
        };
    }
    files.push((readme.to_path_buf(), text));
    let mut stale = Vec::new();
    for (path, text) in &files {
        if check {
            let current = std::fs::read_to_string(path).unwrap_or_default();
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
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            write_atomic(path, text)?;
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
