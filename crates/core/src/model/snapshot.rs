//! Reading, validating and merging inventory snapshots.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::kinds::{self, PropType};
use super::{kind_matches, Inventory, Resource};
use crate::error::{Error, InputError, Result};

/// The `format` field of every snapshot.
pub const FORMAT: &str = "hipaa-scan/inventory";
/// The snapshot format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Reads and validates a snapshot file.
pub fn load_snapshot(path: &Path) -> Result<Inventory> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.display().to_string();
    crate::error::require_content(&text, &name, "an inventory snapshot (JSON)")?;
    parse_snapshot(&text, &name)
}

/// Parses and validates a snapshot document; `file` names it in errors.
pub fn parse_snapshot(text: &str, file: &str) -> Result<Inventory> {
    let mut de = serde_json::Deserializer::from_str(text);
    let inventory: Inventory = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let mut err = InputError::new(file, strip_position(&inner.to_string()))
            .at(inner.line() as u64, inner.column() as u64);
        if path != "." {
            err = err.field(path);
        }
        err
    })?;
    let errors = validate(&inventory, file);
    if errors.is_empty() {
        Ok(inventory)
    } else {
        Err(Error::Input(errors))
    }
}

/// Validates an inventory a live adapter produced, exactly as a snapshot is validated: every
/// kind's properties against its schema. `source` names the adapter in errors.
pub fn validate_inventory(inv: &Inventory, source: &str) -> Result<()> {
    let errors = validate(inv, source);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(errors))
    }
}

/// serde_json appends " at line L column C"; the location is carried separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn validate(inv: &Inventory, file: &str) -> Vec<InputError> {
    let mut errors = Vec::new();
    let err = |field: String, msg: String| InputError::new(file, msg).field(field);
    if inv.format != FORMAT {
        errors.push(err(
            "format".into(),
            format!("expected \"{FORMAT}\", found \"{}\"", inv.format),
        ));
    }
    if inv.format_version != FORMAT_VERSION {
        errors.push(err(
            "format_version".into(),
            format!(
                "this build reads version {FORMAT_VERSION}; found {} (re-create the snapshot with this version of hipaa-scan)",
                inv.format_version
            ),
        ));
    }
    let mut ids = BTreeSet::new();
    for (i, r) in inv.resources.iter().enumerate() {
        let at = format!("resources[{i}]");
        validate_resource(r, &at, &mut |f, m| errors.push(err(f, m)));
        if !ids.insert((r.kind.as_str(), r.id.as_str())) {
            errors.push(err(
                format!("{at}.id"),
                format!("duplicate resource {} of kind {}", r.id, r.kind),
            ));
        }
    }
    for (i, g) in inv.gaps.iter().enumerate() {
        let at = format!("gaps[{i}]");
        if g.kinds.is_empty() {
            errors.push(err(
                format!("{at}.kinds"),
                "a gap must name the kinds it affects".into(),
            ));
        }
        for (j, k) in g.kinds.iter().enumerate() {
            let prefix_ok = k == &format!("{}.*", g.provider)
                || kinds::parse_kind(k).is_some_and(|(p, _)| p == g.provider);
            if !prefix_ok {
                errors.push(err(
                    format!("{at}.kinds[{j}]"),
                    format!("`{k}` is not a {} kind or `{}.*`", g.provider, g.provider),
                ));
            }
        }
        if g.reason.trim().is_empty() {
            errors.push(err(format!("{at}.reason"), "a gap must say why".into()));
        }
    }
    errors
}

fn validate_resource(r: &Resource, at: &str, report: &mut dyn FnMut(String, String)) {
    for (field, value) in [
        ("id", &r.id),
        ("account", &r.account),
        ("region", &r.region),
        ("name", &r.name),
    ] {
        if value.trim().is_empty() {
            report(format!("{at}.{field}"), "must not be empty".into());
        }
    }
    let Some((provider, _)) = kinds::parse_kind(&r.kind) else {
        report(
            format!("{at}.kind"),
            format!(
                "`{}` is not a kind of the form <provider>.<service>.<type>",
                r.kind
            ),
        );
        return;
    };
    if provider != r.provider {
        report(
            format!("{at}.provider"),
            format!("`{}` does not match kind `{}`", r.provider, r.kind),
        );
    }
    let Some(spec) = kinds::kind_spec(&r.kind) else {
        // A kind without a schema takes part in the eligibility check only.
        if let Some(name) = r.properties.keys().next() {
            report(
                format!("{at}.properties.{name}"),
                format!(
                    "kind `{}` has no property schema, so it cannot carry properties",
                    r.kind
                ),
            );
        }
        return;
    };
    for (name, value) in &r.properties {
        match spec.prop(name) {
            None => report(
                format!("{at}.properties.{name}"),
                format!("kind `{}` has no property `{name}`", r.kind),
            ),
            Some(prop) => {
                if !(value.is_null() && prop.nullable) {
                    check_type(value, &prop.ty, &format!("{at}.properties.{name}"), report);
                }
            }
        }
    }
    for name in r.unknown.keys() {
        // `tags` may be unknown too: the resource's classification could not be read.
        if name == "tags" {
            continue;
        }
        if spec.prop(name).is_none() {
            report(
                format!("{at}.unknown.{name}"),
                format!("kind `{}` has no property `{name}`", r.kind),
            );
        } else if r.properties.contains_key(name) {
            report(
                format!("{at}.unknown.{name}"),
                "a property cannot be both known and unknown".into(),
            );
        }
    }
}

fn check_type(value: &Value, ty: &PropType, at: &str, report: &mut dyn FnMut(String, String)) {
    let ok = match (ty, value) {
        (PropType::Bool, Value::Bool(_)) => true,
        (PropType::Int, Value::Number(n)) => n.is_i64(),
        (PropType::String, Value::String(_)) => true,
        (PropType::Timestamp, Value::String(s)) => {
            if chrono::DateTime::parse_from_rfc3339(s).is_err() {
                report(
                    at.to_string(),
                    format!("`{s}` is not an RFC 3339 timestamp"),
                );
            }
            true
        }
        (PropType::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_type(item, inner, &format!("{at}[{i}]"), report);
            }
            true
        }
        (PropType::Object(fields), Value::Object(map)) => {
            for field in fields.iter() {
                match map.get(field.name) {
                    None => report(format!("{at}.{}", field.name), "missing".into()),
                    Some(Value::Null) if field.nullable => {}
                    Some(v) => check_type(v, &field.ty, &format!("{at}.{}", field.name), report),
                }
            }
            for key in map.keys() {
                if !fields.iter().any(|f| f.name == key) {
                    report(format!("{at}.{key}"), "unexpected field".into());
                }
            }
            true
        }
        _ => false,
    };
    if !ok {
        report(
            at.to_string(),
            format!("expected {}, found {}", ty.describe(), json_type(value)),
        );
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int",
        Value::Number(_) => "float",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// Merges several inventories into one (e.g. an AWS and a GCP snapshot). The result is stamped
/// with the earliest collection time, so no time-based check is judged later than its data.
pub fn merge(mut inventories: Vec<Inventory>) -> Option<Inventory> {
    let mut merged = inventories.pop()?;
    for inv in inventories {
        merged.collected_at = merged.collected_at.min(inv.collected_at);
        if !inv.source.is_empty() && inv.source != merged.source {
            merged.source = if merged.source.is_empty() {
                inv.source
            } else {
                format!("{}; {}", inv.source, merged.source)
            };
        }
        merged.resources.extend(inv.resources);
        merged.gaps.extend(inv.gaps);
    }
    merged.resources.sort_by(|a, b| {
        (a.provider, &a.account, &a.kind, &a.id).cmp(&(b.provider, &b.account, &b.kind, &b.id))
    });
    merged
        .resources
        .dedup_by(|a, b| a.kind == b.kind && a.id == b.id);
    Some(merged)
}

impl crate::model::Gap {
    /// Whether this gap hides resources of `kind`.
    pub fn covers(&self, kind: &str) -> bool {
        self.kinds.iter().any(|k| kind_matches(k, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(resources: &str) -> String {
        format!(
            r#"{{"format":"{FORMAT}","format_version":1,"collected_at":"2026-11-20T08:00:00Z","resources":[{resources}]}}"#
        )
    }

    #[test]
    fn rejects_a_property_of_the_wrong_type_naming_the_field() {
        let text = doc(
            r#"{"provider":"aws","kind":"aws.rds.instance","id":"arn:x","account":"1","region":"us-east-1","name":"db",
               "properties":{"storage_encrypted":"yes"}}"#,
        );
        let Err(Error::Input(errs)) = parse_snapshot(&text, "estate.json") else {
            panic!("expected an input error")
        };
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0].field.as_deref(),
            Some("resources[0].properties.storage_encrypted")
        );
        assert_eq!(errs[0].message, "expected bool, found string");
    }

    #[test]
    fn syntax_errors_carry_line_and_path() {
        let text = "{\n\"format\": \"hipaa-scan/inventory\",\n\"format_version\": \"one\"\n}";
        let Err(Error::Input(errs)) = parse_snapshot(text, "s.json") else {
            panic!("expected an input error")
        };
        assert_eq!(errs[0].line, Some(3));
        assert_eq!(errs[0].field.as_deref(), Some("format_version"));
    }

    #[test]
    fn a_kind_without_schema_may_not_carry_properties() {
        let text = doc(
            r#"{"provider":"aws","kind":"aws.lightsail.instance","id":"arn:l","account":"1","region":"us-east-1","name":"l",
               "properties":{"x":1}}"#,
        );
        let Err(Error::Input(errs)) = parse_snapshot(&text, "s.json") else {
            panic!("expected an input error")
        };
        assert!(
            errs[0].message.contains("has no property schema"),
            "{errs:?}"
        );
    }

    #[test]
    fn unknown_and_known_are_exclusive() {
        let text = doc(
            r#"{"provider":"aws","kind":"aws.rds.instance","id":"arn:x","account":"1","region":"us-east-1","name":"db",
               "properties":{"storage_encrypted":true},"unknown":{"storage_encrypted":"AccessDenied"}}"#,
        );
        assert!(parse_snapshot(&text, "s.json").is_err());
    }

    #[test]
    fn kind_patterns() {
        assert!(kind_matches("aws.*", "aws.s3.bucket"));
        assert!(kind_matches("aws.s3.bucket", "aws.s3.bucket"));
        assert!(!kind_matches("aws.*", "awsx.s3.bucket"));
        assert!(!kind_matches("aws.s3.*", "aws.s3"));
        assert!(kind_matches("*", "gcp.project"));
    }
}
