//! The typed property schema of every resource kind the scanner knows.
//!
//! Adapters fill these properties; policies read them; `hipaa-scan docs` renders them into
//! `docs/resource-kinds.md`, so the documentation cannot drift from the code.

use super::Provider;

/// The type of one property value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropType {
    Bool,
    Int,
    String,
    /// An RFC 3339 timestamp; policies compare it with `now` and `duration(...)`.
    Timestamp,
    /// A list of values of one type.
    List(&'static PropType),
    /// A nested object with its own typed fields.
    Object(&'static [PropSpec]),
}

impl PropType {
    /// A short human name, used in docs and error messages.
    pub fn describe(&self) -> String {
        match self {
            PropType::Bool => "bool".into(),
            PropType::Int => "int".into(),
            PropType::String => "string".into(),
            PropType::Timestamp => "timestamp".into(),
            PropType::List(inner) => format!("list<{}>", inner.describe()),
            PropType::Object(fields) => {
                let names: Vec<_> = fields.iter().map(|f| f.name).collect();
                format!("object{{{}}}", names.join(", "))
            }
        }
    }
}

/// One property of a resource kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropSpec {
    pub name: &'static str,
    pub ty: PropType,
    /// `null` is a meaningful value (e.g. "no KMS key configured"), distinct from unknown.
    pub nullable: bool,
    /// The value may carry secrets or PHI; reports redact it in evidence.
    pub sensitive: bool,
    pub doc: &'static str,
}

const fn p(name: &'static str, ty: PropType, doc: &'static str) -> PropSpec {
    PropSpec {
        name,
        ty,
        nullable: false,
        sensitive: false,
        doc,
    }
}

const fn opt(name: &'static str, ty: PropType, doc: &'static str) -> PropSpec {
    PropSpec {
        name,
        ty,
        nullable: true,
        sensitive: false,
        doc,
    }
}

/// A resource kind: `<provider>.<service>.<type>`, with its properties.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    pub kind: &'static str,
    pub provider: Provider,
    pub doc: &'static str,
    /// What the resource's native `id` is (ARN, full resource name, resource ID).
    pub native_id: &'static str,
    pub props: &'static [PropSpec],
}

impl KindSpec {
    pub fn prop(&self, name: &str) -> Option<&'static PropSpec> {
        self.props.iter().find(|p| p.name == name)
    }

    /// The service segment of the kind (`s3` in `aws.s3.bucket`).
    pub fn service(&self) -> &'static str {
        self.kind.split('.').nth(1).unwrap_or("")
    }
}

/// Fields every resource exposes to conditions, whatever its kind.
pub const COMMON_FIELDS: &[PropSpec] = &[
    p(
        "id",
        PropType::String,
        "Native identifier: ARN, full resource name or Azure resource ID.",
    ),
    p("name", PropType::String, "Display name of the resource."),
    p(
        "kind",
        PropType::String,
        "Resource kind, e.g. `aws.s3.bucket`.",
    ),
    p("provider", PropType::String, "`aws`, `gcp` or `azure`."),
    p(
        "service",
        PropType::String,
        "Service segment of the kind, e.g. `s3`.",
    ),
    p(
        "account",
        PropType::String,
        "AWS account ID, GCP project ID or Azure subscription ID.",
    ),
    p(
        "region",
        PropType::String,
        "Region or location; `global` for global resources.",
    ),
    PropSpec {
        name: "tags",
        ty: PropType::Object(&[]),
        nullable: false,
        sensitive: true,
        doc: "Tags or labels as a map of string to string. Values are redacted in reports.",
    },
    p(
        "in_scope",
        PropType::Bool,
        "Whether the resource is in ePHI scope (see the scope configuration).",
    ),
    p(
        "hipaa_eligible",
        PropType::Bool,
        "Whether the resource's service is covered by the provider's BAA, per `policies/baa/`.",
    ),
];

const STR: PropType = PropType::String;
const BOOL: PropType = PropType::Bool;
const INT: PropType = PropType::Int;
const TS: PropType = PropType::Timestamp;
const STR_LIST: PropType = PropType::List(&PropType::String);

const PUBLIC_ACCESS_BLOCK: PropType = PropType::Object(&[
    p("block_public_acls", BOOL, "BlockPublicAcls."),
    p("ignore_public_acls", BOOL, "IgnorePublicAcls."),
    p("block_public_policy", BOOL, "BlockPublicPolicy."),
    p("restrict_public_buckets", BOOL, "RestrictPublicBuckets."),
]);

const PASSWORD_POLICY: PropType = PropType::Object(&[
    p("minimum_length", INT, "MinimumPasswordLength."),
    p(
        "reuse_prevention",
        INT,
        "PasswordReusePrevention: previous passwords that cannot be reused (0 = none).",
    ),
    p(
        "max_age_days",
        INT,
        "MaxPasswordAge in days (0 = never expires).",
    ),
]);

const ACCESS_KEY: PropType = PropType::Object(&[
    p("id", STR, "Access key ID."),
    p("active", BOOL, "Whether the key is Active."),
    p("created", TS, "When the key was created."),
    opt(
        "last_used",
        TS,
        "When the key was last used; null if never.",
    ),
]);

const FIREWALL_RULE: PropType = PropType::Object(&[
    p("name", STR, "Rule name."),
    p("start_ip", STR, "First address allowed, as the API states it (IPv4 in `firewall_rules`, IPv6 in `ipv6_firewall_rules`)."),
    p("end_ip", STR, "Last address allowed, as the API states it."),
]);

const FULL_ADMIN_GRANTS: PropSpec = p(
    "full_admin_grants",
    STR_LIST,
    "What grants full administrator access: every action on every resource (also through `NotAction` or `NotResource`), or `iam:*` on every resource. `inline:NAME` for an inline policy; a managed policy's ARN (AdministratorAccess in any partition, or a customer policy that grants it) when attached; `group:GROUP:GRANT` for what a user holds through a group; `document` for a customer managed policy's own document. Empty when nothing does.",
);

const AUDIT_CONFIG: PropType = PropType::Object(&[
    p(
        "service",
        STR,
        "Service the audit config applies to, e.g. `allServices`.",
    ),
    p(
        "log_types",
        STR_LIST,
        "Enabled log types: `ADMIN_READ`, `DATA_READ`, `DATA_WRITE`.",
    ),
]);

mod aws_data;
mod aws_identity;
mod aws_monitoring;
mod aws_network;
mod aws_pipelines;
mod azure;
mod azure_identity;
mod gcp;
mod gcp_compute;
mod gcp_platform;

/// Every kind with a typed schema, one table per provider and job. Resources of other
/// `<provider>.<service>.<type>` kinds are accepted without properties: they take part in the
/// HIPAA-eligibility check and the inheritance map only.
const TABLES: &[&[KindSpec]] = &[
    aws_identity::KINDS,
    aws_data::KINDS,
    aws_network::KINDS,
    aws_pipelines::KINDS,
    aws_monitoring::KINDS,
    gcp::KINDS,
    gcp_compute::KINDS,
    gcp_platform::KINDS,
    azure::KINDS,
    azure_identity::KINDS,
];

/// Kinds no live adapter reads: they come only from snapshots. None today (Workspace users, the
/// last, are read by `scan gcp` through the Directory API). `tests/kinds.rs` fails when a kind
/// is produced by no adapter and is not listed here.
pub const SNAPSHOT_ONLY: &[&str] = &[];

/// Every kind with a typed schema.
pub fn all_kinds() -> impl Iterator<Item = &'static KindSpec> {
    TABLES.iter().flat_map(|t| t.iter())
}

/// The schema of a kind, if it has one.
pub fn kind_spec(kind: &str) -> Option<&'static KindSpec> {
    all_kinds().find(|k| k.kind == kind)
}

/// A provider's resource type name as a kind's type segment: `CryptoKeyVersion` →
/// `crypto_key_version`, `state-machine` → `state_machine`; characters a kind cannot hold are
/// dropped.
pub fn type_segment(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            // A word starts at an upper-case letter after a lower-case one or a digit, and at
            // the last capital of an acronym that a lower-case letter follows (`DBInstance`).
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let starts_word = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(|n| n.is_ascii_lowercase()));
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' || c == '.' {
            out.push('_');
        } else if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        }
    }
    out
}

/// Splits `<provider>.<service>.<type>` (the type may itself contain dots), or `<provider>.<type>`
/// for provider-wide kinds such as `aws.account`.
pub fn parse_kind(kind: &str) -> Option<(Provider, &str)> {
    let mut parts = kind.splitn(3, '.');
    let provider = match parts.next()? {
        "aws" => Provider::Aws,
        "gcp" => Provider::Gcp,
        "azure" => Provider::Azure,
        _ => return None,
    };
    let second = parts.next()?;
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' || c == '.'
            })
    };
    if !valid(second) {
        return None;
    }
    match parts.next() {
        Some(rest) if valid(rest) && !rest.starts_with('.') && !rest.ends_with('.') => {
            Some((provider, second))
        }
        Some(_) => None,
        // `aws.account`: the account itself; its "service" is the provider's account.
        None => Some((provider, second)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_unique_well_formed_and_do_not_shadow_common_fields() {
        let mut seen = std::collections::BTreeSet::new();
        for k in all_kinds() {
            assert!(seen.insert(k.kind), "duplicate kind {}", k.kind);
            let (provider, _) = parse_kind(k.kind).expect("well-formed kind");
            assert_eq!(provider, k.provider, "{}", k.kind);
            let mut names = std::collections::BTreeSet::new();
            for prop in k.props {
                assert!(names.insert(prop.name), "{} repeats {}", k.kind, prop.name);
                assert!(
                    COMMON_FIELDS.iter().all(|c| c.name != prop.name),
                    "{}.{} shadows a common field",
                    k.kind,
                    prop.name
                );
            }
        }
    }

    #[test]
    fn type_segments_are_snake_case_words() {
        for (name, segment) in [
            ("CryptoKeyVersion", "crypto_key_version"),
            ("Dataset", "dataset"),
            ("DBInstance", "db_instance"),
            ("state-machine", "state_machine"),
            ("function", "function"),
            ("SslCertificate", "ssl_certificate"),
            ("V2Job", "v2_job"),
        ] {
            assert_eq!(type_segment(name), segment, "{name}");
        }
    }

    #[test]
    fn parse_kind_rejects_malformed_kinds() {
        assert_eq!(parse_kind("aws.s3.bucket"), Some((Provider::Aws, "s3")));
        assert_eq!(parse_kind("aws.account"), Some((Provider::Aws, "account")));
        assert_eq!(
            parse_kind("azure.entra.user"),
            Some((Provider::Azure, "entra"))
        );
        for bad in [
            "",
            "aws",
            "oci.s3.bucket",
            "aws..bucket",
            "aws.S3.bucket",
            "aws.s3.",
            "aws.s3.bucket.",
        ] {
            assert_eq!(parse_kind(bad), None, "{bad}");
        }
    }
}
