//! The README documents every AWS call the scanner makes, so the IAM policy it recommends stays
//! complete: each `service:Action` named in crates/aws (error reasons name the IAM action) must
//! appear in the README.

mod common;

#[test]
fn the_readme_names_every_aws_call() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let mut missing = Vec::new();
    let mut seen = 0;
    // Every adapter file, in the modules' own folders too; their tests quote documents.
    let files = common::rust_sources(&common::root().join("crates/aws/src"));
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests quote policy documents; only the adapter code makes calls.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        // Calls are named where their errors are described: `describe("svc:Operation", ...)`.
        for (i, _) in text.match_indices('"') {
            let rest = &text[i + 1..];
            let Some(end) = rest.find('"') else { continue };
            let name = &rest[..end];
            let Some((svc, op)) = name.split_once(':') else {
                continue;
            };
            // `aws:SourceVpce` and the like are condition keys, not calls.
            let is_call = !svc.is_empty()
                && svc != "aws"
                && svc
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && op.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && op.chars().all(|c| c.is_ascii_alphanumeric());
            if is_call {
                seen += 1;
                if !readme.contains(&format!("`{name}`")) {
                    missing.push(format!("{name} ({})", path.display()));
                }
            }
        }
    }
    assert!(
        seen > 30,
        "found only {seen} calls: the scan of crates/aws/src is broken"
    );
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "not in the README: {missing:?}");
}
