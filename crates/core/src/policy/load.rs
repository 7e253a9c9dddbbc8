//! Loading policy files: parse the YAML, then validate it into typed [`Policy`] values whose
//! errors point at the file and line.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::condition::Condition;
use super::{Policy, PolicySet, Scope, Severity};
use crate::config::PolicyOverride;
use crate::error::{yaml_error, Error, InputError, Result};
use crate::hipaa;
use crate::model::{kinds, COMMON_FIELDS};

static BUILTIN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../policies");

/// The provider folders of `policies/` that hold policies (the rest is data, e.g. `baa/`).
const POLICY_FOLDERS: &[&str] = &["aws", "gcp", "azure"];

/// A policy file's name (for messages) and text.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub name: String,
    pub text: String,
}

/// The policies embedded in the binary.
pub fn builtin_policy_files() -> Vec<PolicyFile> {
    let mut files = Vec::new();
    for folder in POLICY_FOLDERS {
        if let Some(dir) = BUILTIN.get_dir(folder) {
            collect_embedded(dir, &mut files);
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn collect_embedded(dir: &Dir<'_>, out: &mut Vec<PolicyFile>) {
    for file in dir.files() {
        if is_yaml(file.path()) {
            out.push(PolicyFile {
                name: format!("policies/{}", file.path().display()),
                text: file.contents_utf8().unwrap_or_default().to_string(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

/// An embedded data file under `policies/`, e.g. `baa/aws.yaml`.
pub fn load_builtin_data(path: &str) -> Option<&'static str> {
    BUILTIN.get_file(path).and_then(|f| f.contents_utf8())
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Reads every `*.yaml` / `*.yml` file under `dir`, recursively, in a stable order.
pub fn load_dir(dir: &Path) -> Result<Vec<PolicyFile>> {
    let read_err = |source| Error::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(read_err)? {
            let path = entry.map_err(read_err)?.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_yaml(&path) {
                let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                files.push(PolicyFile {
                    name: path.display().to_string(),
                    text,
                });
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: Spanned<String>,
    title: String,
    description: String,
    citations: Spanned<Vec<String>>,
    severity: Severity,
    #[serde(default)]
    in_scope_severity: Option<Severity>,
    kinds: Spanned<Vec<String>>,
    #[serde(default)]
    scope: Scope,
    remediation: String,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    anchors: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    params: Option<Spanned<BTreeMap<String, serde_json::Value>>>,
    condition: Spanned<String>,
    /// When false for a resource, the policy does not apply to it (not applicable).
    #[serde(default)]
    applies_if: Option<Spanned<String>>,
}

fn at<T>(file: &str, spanned: &Spanned<T>, message: String) -> InputError {
    InputError::new(file, message).at(spanned.referenced.line(), spanned.referenced.column())
}

/// Loads the built-in files, then `extra` (which may replace built-in policies by id), then
/// applies the config's overrides. Every problem is reported, not just the first.
pub fn load_files(
    builtin: &[PolicyFile],
    extra: &[PolicyFile],
    overrides: &BTreeMap<String, Spanned<PolicyOverride>>,
    config_name: &str,
) -> Result<PolicySet> {
    let mut errors = Vec::new();
    let mut by_id: BTreeMap<String, Policy> = BTreeMap::new();
    for (files, may_replace) in [(builtin, false), (extra, true)] {
        let mut seen_here = BTreeMap::new();
        for file in files {
            for (policy, line) in parse_file(file, &mut errors) {
                if let Some(first) = seen_here.insert(policy.id.clone(), file.name.clone()) {
                    errors.push(
                        InputError::new(
                            &file.name,
                            format!("policy `{}` is also defined in {first}", policy.id),
                        )
                        .at(line, 0)
                        .field("id"),
                    );
                    continue;
                }
                if !may_replace && by_id.contains_key(&policy.id) {
                    continue;
                }
                by_id.insert(policy.id.clone(), policy);
            }
        }
    }
    for (id, o) in overrides {
        let Some(policy) = by_id.get_mut(id) else {
            errors.push(
                at(config_name, o, format!("no policy has the id `{id}`"))
                    .field(format!("policies.{id}")),
            );
            continue;
        };
        if let Some(sev) = o.value.severity {
            policy.severity = sev;
        }
        if let Some(sev) = o.value.in_scope_severity {
            policy.in_scope_severity = Some(sev);
        }
        for (name, value) in &o.value.params {
            match policy.params.get(name) {
                None => errors.push(
                    at(
                        config_name,
                        o,
                        format!("policy `{id}` has no parameter `{name}`"),
                    )
                    .field(format!("policies.{id}.params.{name}")),
                ),
                Some(default) if !same_type(default, value) => errors.push(
                    at(
                        config_name,
                        o,
                        format!("expected a value like {default}, found {value}"),
                    )
                    .field(format!("policies.{id}.params.{name}")),
                ),
                Some(_) => {
                    policy.params.insert(name.clone(), value.clone());
                }
            }
        }
    }
    by_id.retain(|id, _| overrides.get(id).is_none_or(|o| o.value.enabled));
    if errors.is_empty() {
        Ok(PolicySet {
            policies: by_id.into_values().collect(),
        })
    } else {
        Err(Error::Input(errors))
    }
}

fn same_type(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => x.is_i64() == y.is_i64(),
        (V::Array(x), V::Array(y)) => y.iter().all(|v| x.first().is_none_or(|f| same_type(f, v))),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Parses one file (one or more YAML documents, one policy each), reporting problems into
/// `errors`; returns the valid policies with the line of their id.
fn parse_file(file: &PolicyFile, errors: &mut Vec<InputError>) -> Vec<(Policy, u64)> {
    let raws: Vec<RawPolicy> = match serde_saphyr::from_multiple(&file.text) {
        Ok(r) => r,
        Err(e) => {
            errors.push(yaml_error(&file.name, &e));
            return Vec::new();
        }
    };
    // An empty (or comments-only) file would silently drop a policy from the gate.
    if raws.is_empty() {
        errors.push(InputError::new(
            &file.name,
            "the file holds no policy (it is empty or only comments)",
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for raw in raws {
        let before = errors.len();
        let line = raw.id.referenced.line();
        let policy = validate(raw, &file.name, errors);
        if errors.len() == before {
            if let Some(p) = policy {
                out.push((p, line));
            }
        }
    }
    out
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn validate(raw: RawPolicy, file: &str, errors: &mut Vec<InputError>) -> Option<Policy> {
    let id = raw.id.value.clone();
    let mut err = |e: InputError| errors.push(e);
    if !is_kebab(&id) {
        err(at(file, &raw.id, format!("`{id}` is not a kebab-case id")).field("id"));
    }
    for (field, text) in [
        ("title", &raw.title),
        ("description", &raw.description),
        ("remediation", &raw.remediation),
    ] {
        if text.trim().is_empty() {
            err(at(file, &raw.id, format!("`{field}` must not be empty")).field(field));
        }
    }
    if raw.citations.value.is_empty() {
        err(at(
            file,
            &raw.citations,
            "a policy needs at least one HIPAA citation".into(),
        )
        .field("citations"));
    }
    for c in &raw.citations.value {
        if !hipaa::is_valid(c) {
            err(at(
                file,
                &raw.citations,
                format!(
                    "`{c}` is not a citation of a 45 CFR 164.308/310/312 standard or specification"
                ),
            )
            .field("citations"));
        }
    }

    // Kinds: known kinds or `<provider>.*`, all of the provider the id starts with.
    let mut specs = Vec::new();
    let mut wildcard = false;
    if raw.kinds.value.is_empty() {
        err(at(
            file,
            &raw.kinds,
            "a policy needs at least one resource kind".into(),
        )
        .field("kinds"));
    }
    for k in &raw.kinds.value {
        let provider = if let Some(p) = k.strip_suffix(".*") {
            wildcard = true;
            crate::model::Provider::ALL
                .into_iter()
                .find(|x| x.as_str() == p)
        } else if let Some(spec) = kinds::kind_spec(k) {
            specs.push(spec);
            Some(spec.provider)
        } else {
            err(at(
                file,
                &raw.kinds,
                format!("unknown resource kind `{k}`; see docs/resource-kinds.md"),
            )
            .field("kinds"));
            continue;
        };
        match provider {
            Some(p) if id.starts_with(&format!("{p}-")) => {}
            Some(p) => err(at(
                file,
                &raw.id,
                format!("the id of a policy over {p} resources must start with `{p}-`"),
            )
            .field("id")),
            None => err(at(file, &raw.kinds, format!("unknown provider in `{k}`")).field("kinds")),
        }
    }

    let anchors = raw.anchors.map(|a| {
        let columns = super::anchor_columns(id.split('-').next().unwrap_or_default());
        for key in a.value.keys() {
            if !columns.iter().any(|(k, _)| k == key) {
                let known: Vec<&str> = columns.iter().map(|(k, _)| *k).collect();
                err(at(
                    file,
                    &a,
                    format!(
                        "unknown anchor `{key}`; this policy maps to: {}",
                        known.join(", ")
                    ),
                )
                .field(format!("anchors.{key}")));
            }
        }
        a.value
    });

    let params = raw.params.map(|p| p.value).unwrap_or_default();
    for (name, value) in &params {
        let ok = match value {
            serde_json::Value::Bool(_)
            | serde_json::Value::Number(_)
            | serde_json::Value::String(_) => true,
            serde_json::Value::Array(items) => items.iter().all(|v| v.is_string()),
            _ => false,
        };
        if !ok {
            err(at(
                file,
                &raw.id,
                "parameters are bools, numbers, strings or lists of strings".into(),
            )
            .field(format!("params.{name}")));
        }
    }

    let condition = match Condition::compile(&raw.condition.value) {
        Ok(c) => c,
        Err(e) => {
            err(at(file, &raw.condition, e.message).field("condition"));
            return None;
        }
    };
    let applies_if = match &raw.applies_if {
        Some(text) => match Condition::compile(&text.value) {
            Ok(c) => Some(c),
            Err(e) => {
                err(at(file, text, e.message).field("applies_if"));
                return None;
            }
        },
        None => None,
    };
    check_reads(
        &condition,
        &raw.condition,
        "condition",
        file,
        wildcard,
        &specs,
        &params,
        &mut err,
    );
    if let (Some(c), Some(text)) = (&applies_if, &raw.applies_if) {
        check_reads(
            c,
            text,
            "applies_if",
            file,
            wildcard,
            &specs,
            &params,
            &mut err,
        );
    }
    Some(Policy {
        id,
        title: raw.title.trim().to_string(),
        description: raw.description.trim().to_string(),
        citations: raw.citations.value,
        severity: raw.severity,
        in_scope_severity: raw.in_scope_severity,
        kinds: raw.kinds.value,
        scope: raw.scope,
        remediation: raw.remediation.trim().to_string(),
        references: raw.references,
        anchors: anchors.unwrap_or_default(),
        params,
        condition,
        applies_if,
        origin: file.to_string(),
    })
}

/// Every property an expression reads exists on every kind of the policy, and every
/// parameter it reads is declared.
#[allow(clippy::too_many_arguments)]
fn check_reads(
    condition: &Condition,
    text: &Spanned<String>,
    name: &str,
    file: &str,
    wildcard: bool,
    specs: &[&kinds::KindSpec],
    params: &BTreeMap<String, serde_json::Value>,
    err: &mut impl FnMut(InputError),
) {
    let raw_condition = text;
    for field in &condition.reads {
        if COMMON_FIELDS.iter().any(|c| c.name == field) {
            continue;
        }
        if wildcard {
            err(at(
                file,
                raw_condition,
                format!("`resource.{field}` is not a common field, and a `<provider>.*` policy can only read common fields"),
            )
            .field(name));
        }
        for spec in specs {
            if spec.prop(field).is_none() {
                err(at(
                    file,
                    raw_condition,
                    format!("kind `{}` has no property `{field}`", spec.kind),
                )
                .field(name));
            }
        }
    }
    for p in &condition.params {
        if !params.contains_key(p) {
            err(at(
                file,
                raw_condition,
                format!("`params.{p}` is not declared under `params`"),
            )
            .field(name));
        }
    }
}
