//! The physical-safeguard inheritance map as Markdown and JSON.
//!
//! Per service in use: its standing against the provider's BAA list (status, basis, source, date
//! read); per 164.310 row: who carries it for that service, why, and what the customer must do.

use std::fmt::Write;

use serde_json::json;

use crate::baa::{BaaStatus, InheritanceMap, ServiceMap, ServiceModel};

pub fn render_json(map: &InheritanceMap) -> String {
    let doc = json!({
        "tool": {"name": "hipaa-scan", "version": env!("CARGO_PKG_VERSION")},
        "about": map.about,
        "sources": map.sources,
        "safeguard_sources": map.safeguard_sources,
        "services": map.services,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

use super::markdown_cell as escape;

fn status(s: &ServiceMap) -> &'static str {
    match s.baa_status {
        BaaStatus::Listed => "on the list",
        BaaStatus::AccountScope => "account scope (not a listed service)",
        BaaStatus::NotListed => "**NOT on the list**",
    }
}

fn model(s: &ServiceMap) -> &'static str {
    match (s.control_plane, s.model) {
        (true, _) => "control plane",
        (_, Some(m)) => m.as_str(),
        (_, None) => "unknown",
    }
}

/// Services share a 164.310 table when their rows are assigned the same way.
#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Group {
    Managed,
    Infrastructure,
    Edge,
    ControlPlane,
    OutsideBaa,
}

impl Group {
    fn of(s: &ServiceMap) -> Group {
        if !s.eligible {
            Group::OutsideBaa
        } else if s.control_plane {
            Group::ControlPlane
        } else {
            match s.model.unwrap_or_default() {
                ServiceModel::Managed => Group::Managed,
                ServiceModel::Infrastructure => Group::Infrastructure,
                ServiceModel::Edge => Group::Edge,
            }
        }
    }

    fn title(self) -> &'static str {
        match self {
            Group::Managed => "Covered managed services",
            Group::Infrastructure => "Covered infrastructure services",
            Group::Edge => "Covered edge and on-premises services",
            Group::ControlPlane => "Covered control planes (no ePHI stored)",
            Group::OutsideBaa => "Services not on a BAA list (not permitted for ePHI)",
        }
    }
}

pub fn render_markdown(map: &InheritanceMap) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Physical safeguards (45 CFR 164.310) inheritance map\n"
    );
    let _ = writeln!(
        o,
        "For each cloud service in use: whether the provider's Business Associate Agreement covers it \
         (and where that is stated), and for each 164.310 standard and implementation specification \
         who carries it, why, and what the customer must do. A service that is not on its provider's \
         BAA list inherits nothing: ePHI is not permitted there.\n"
    );
    let a = &map.about;
    let _ = writeln!(
        o,
        "Estate: {} (read {}), by hipaa-scan {}. Resources in ePHI scope on services not on a BAA \
         list: **{}** (must be 0).\n",
        escape(&a.source),
        a.collected_at,
        a.tool_version,
        a.ephi_outside_baa
    );
    let _ = writeln!(o, "## Business Associate Agreements\n");
    let _ = writeln!(
        o,
        "| Provider | Status | Reference | Effective | Covers |\n|---|---|---|---|---|"
    );
    for ag in &a.agreements {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            ag.provider,
            match ag.status {
                "accepted" => "accepted in AWS Artifact (verified by the scan)",
                "missing" => "**missing**: no active BAA accepted in AWS Artifact",
                "recorded" => "recorded in the configuration",
                _ => "**not verified**: record it under `agreements:` in the configuration",
            },
            ag.reference.as_deref().map_or_else(|| "—".into(), escape),
            ag.effective.as_deref().unwrap_or("—"),
            ag.covers.as_deref().map_or_else(|| "—".into(), escape),
        );
    }
    let _ = writeln!(o, "\n## Scope of this map\n");
    if a.not_enumerated.is_empty() {
        let _ = writeln!(
            o,
            "Every service the scan reads was enumerated; the services below are all that were found.\n"
        );
    } else {
        let _ = writeln!(
            o,
            "Not enumerated (services in use there are unknown, not absent):\n"
        );
        for g in &a.not_enumerated {
            let _ = writeln!(o, "- {}", escape(g));
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Services in use\n");
    let _ = writeln!(
        o,
        "| Service | Provider | BAA status | Basis | Source | Model | Resources | In ePHI scope |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---:|---:|");
    for s in &map.services {
        let _ = writeln!(
            o,
            "| {} (`{}`) | {} | {} | {} | <{}> | {} | {} | {} |",
            escape(&s.name),
            s.service,
            s.provider,
            status(s),
            escape(&s.basis),
            s.source,
            model(s),
            s.resources,
            s.resources_in_scope
        );
    }
    let _ = writeln!(o, "## Who carries each safeguard\n");
    let _ = writeln!(
        o,
        "Services whose rows are assigned the same way share one table. *Shared* and *customer* \
         rows say what the customer must do."
    );
    let mut groups: Vec<Group> = map.services.iter().map(Group::of).collect();
    groups.sort();
    groups.dedup();
    for g in groups {
        let members: Vec<&ServiceMap> = map.services.iter().filter(|s| Group::of(s) == g).collect();
        let Some(first) = members.first() else {
            continue;
        };
        let names: Vec<String> = members
            .iter()
            .map(|s| format!("`{}/{}`", s.provider, s.service))
            .collect();
        let _ = writeln!(o, "\n### {}\n\n{}\n", g.title(), names.join(", "));
        if g == Group::OutsideBaa {
            for s in &members {
                let _ = writeln!(o, "- `{}/{}`: {}", s.provider, s.service, escape(&s.basis));
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(
            o,
            "| Citation | Safeguard | Required | Who carries it | Rationale | Customer's obligation |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for row in &first.safeguards {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                row.citation,
                row.title,
                if row.required {
                    "required"
                } else {
                    "addressable"
                },
                if matches!(
                    row.responsibility,
                    crate::baa::Responsibility::Customer | crate::baa::Responsibility::NotPermitted
                ) {
                    format!("**{}**", row.label)
                } else {
                    row.label.to_string()
                },
                escape(&row.rationale),
                row.customer_obligation
                    .as_deref()
                    .map_or_else(|| "—".to_string(), escape)
            );
        }
    }
    let _ = writeln!(o, "\n## Sources\n");
    for s in &map.sources {
        let _ = writeln!(
            o,
            "- {}: {}, {} ({} services listed; read {}), <{}>",
            s.provider, s.baa, s.list, s.services_listed, s.as_of, s.source
        );
    }
    for s in &map.safeguard_sources {
        let _ = writeln!(o, "- 164.310 table: {}, <{}>", s.title, s.url);
    }
    o
}
