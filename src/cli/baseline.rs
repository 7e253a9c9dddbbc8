//! `baseline accept`: a person accepts a result's findings as the baseline `--fail-on-new` gates against.

use anyhow::{Context, Result};

use hipaa_scan::output::write_atomic;

use super::args::BaselineCommand;
use super::{input, input_error};

pub(crate) fn baseline(cmd: BaselineCommand) -> Result<u8> {
    let BaselineCommand::Accept {
        result,
        output,
        note,
    } = cmd;
    let name = result.display().to_string();
    let text = std::fs::read_to_string(&result)
        .with_context(|| format!("cannot read {name}"))
        .map_err(|e| input_error(&name, format!("{e:#}")))?;
    input(
        hipaa_scan::error::require_content(&text, &name, "a JSON result"),
        "invalid result",
    )?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let doc = input(
        hipaa_scan::baseline::accept(&text, &name, &note, &now),
        "invalid result",
    )?;
    write_atomic(&output, &doc)?;
    Ok(0)
}
