//! Renders a scan: terminal text, JSON, SARIF 2.1.0, Markdown, and the inheritance map. What to
//! render (verdicts, triage, gate, evidence) is decided in [`crate::results`].

pub mod coverage;
pub mod github;
pub mod json;
pub mod map;
pub mod markdown;
pub mod sarif;
pub mod text;

/// A value inside a Markdown table cell: a `|` would end the cell and a newline the row.
pub(crate) fn markdown_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The title of a standard, for summaries.
pub(crate) fn standard_title(citation: &str) -> &'static str {
    crate::hipaa::STANDARDS
        .iter()
        .find(|s| s.citation == citation)
        .map_or("", |s| s.title)
}
