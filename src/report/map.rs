//! The physical-safeguard inheritance map as Markdown and JSON.

use std::fmt::Write;

use serde_json::json;

use crate::baa::{InheritanceMap, Responsibility, ServiceMap, ServiceModel};

pub fn render_json(map: &InheritanceMap) -> String {
    let doc = json!({
        "tool": {"name": "hipaa-scan", "version": env!("CARGO_PKG_VERSION")},
        "sources": map.sources,
        "services": map.services,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn mark(r: Responsibility) -> &'static str {
    match r {
        Responsibility::Inherited => "inherited",
        Responsibility::Shared => "shared",
        Responsibility::Customer => "**customer**",
    }
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render_markdown(map: &InheritanceMap) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Physical safeguards (45 CFR 164.310) inheritance map\n"
    );
    let _ = writeln!(
        o,
        "Which physical safeguards each cloud service in use inherits from its provider under the BAA, \
         shares with it, or leaves to you. A service not covered by a BAA inherits nothing.\n"
    );
    let _ = writeln!(o, "## Services in use\n");
    let _ = writeln!(
        o,
        "| Service | Provider | HIPAA-eligible | BAA | Model | Resources | In ePHI scope |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---:|---:|");
    for s in &map.services {
        let _ = writeln!(
            o,
            "| {} (`{}`) | {} | {} | {} | {} | {} | {} |",
            escape(&s.name),
            s.service,
            s.provider,
            if s.eligible { "yes" } else { "**NO**" },
            escape(s.baa.as_deref().unwrap_or("none")),
            match (s.control_plane, s.model) {
                (true, _) => "control plane",
                (_, Some(ServiceModel::Infrastructure)) => "infrastructure",
                (_, Some(ServiceModel::Managed)) => "managed",
                (_, None) => "unknown",
            },
            s.resources,
            s.resources_in_scope
        );
    }
    type Filter = fn(&ServiceMap) -> bool;
    let groups: [(&str, Filter); 3] = [
        ("Covered managed services", |s| {
            s.eligible && s.model != Some(ServiceModel::Infrastructure)
        }),
        ("Covered infrastructure services", |s| {
            s.eligible && s.model == Some(ServiceModel::Infrastructure)
        }),
        ("Services not covered by a BAA", |s| !s.eligible),
    ];
    for (title, filter) in groups {
        let members: Vec<&ServiceMap> = map.services.iter().filter(|s| filter(s)).collect();
        let Some(first) = members.first() else {
            continue;
        };
        let names: Vec<String> = members
            .iter()
            .map(|s| format!("`{}/{}`", s.provider, s.service))
            .collect();
        let _ = writeln!(o, "\n## {title}\n\n{}\n", names.join(", "));
        if !first.eligible {
            for s in &members {
                let _ = writeln!(o, "- `{}/{}`: {}", s.provider, s.service, escape(&s.basis));
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(o, "| Citation | Safeguard | Required | Responsibility |");
        let _ = writeln!(o, "|---|---|---|---|");
        for row in &first.safeguards {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                row.citation,
                row.title,
                if row.required {
                    "required"
                } else {
                    "addressable"
                },
                mark(row.responsibility)
            );
        }
    }
    let _ = writeln!(o, "\n## Sources\n");
    for s in &map.sources {
        let _ = writeln!(
            o,
            "- {}: {} (list as of {}), {}",
            s.provider, s.baa, s.as_of, s.source
        );
    }
    o
}
