//! `policies list|show|validate`.

use anyhow::{bail, Result};

use super::args::PoliciesCommand;
use super::{input, load_setup, print_stdout};

pub(crate) fn policies(cmd: PoliciesCommand) -> Result<u8> {
    match cmd {
        PoliciesCommand::List { policy, format } => {
            let setup = load_setup(&policy)?;
            let text = if format == "json" {
                let list: Vec<_> = setup
                    .policies
                    .policies
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "id": p.id, "title": p.title, "severity": p.severity, "citations": p.citations,
                            "kinds": p.kinds, "scope": p.scope, "params": p.params, "origin": p.origin,
                        })
                    })
                    .collect();
                serde_json::to_string_pretty(&list)? + "\n"
            } else {
                setup
                    .policies
                    .policies
                    .iter()
                    .map(|p| {
                        format!(
                            "{:<40} {:<9} {:<28} {}\n",
                            p.id,
                            p.severity.as_str(),
                            p.citations.join(","),
                            p.title
                        )
                    })
                    .collect()
            };
            print_stdout(&text)?;
            Ok(0)
        }
        PoliciesCommand::Show { id, policy } => {
            let setup = load_setup(&policy)?;
            let Some(p) = setup.policies.get(&id) else {
                bail!("no policy has the id `{id}` (see `hipaa-scan policies list`)");
            };
            let params: Vec<String> = p.params.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            let text = format!(
                "{}\n  {}\n\n{}\n\nseverity:    {}{}\ncitations:   {}\nkinds:       {}\nscope:       {:?}\nparams:      {}\ncondition:   {}\nremediation: {}\norigin:      {}\n",
                p.id,
                p.title,
                p.description,
                p.severity,
                p.in_scope_severity.map(|s| format!(" ({s} in ePHI scope)")).unwrap_or_default(),
                p.citations.join(", "),
                p.kinds.join(", "),
                p.scope,
                if params.is_empty() { "none".into() } else { params.join(", ") },
                p.condition.source.trim(),
                p.remediation,
                p.origin
            );
            print_stdout(&text)?;
            Ok(0)
        }
        PoliciesCommand::Validate { dir } => {
            let files = input(hipaa_scan::policy::load_dir(&dir), "cannot read policies")?;
            let set = input(
                hipaa_scan::policy::load_files(&[], &files, &Default::default(), "<none>"),
                &format!("invalid policies in {}", dir.display()),
            )?;
            print_stdout(&format!(
                "{} policies in {} files are valid\n",
                set.len(),
                files.len()
            ))?;
            Ok(0)
        }
    }
}
