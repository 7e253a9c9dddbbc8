//! Plumbing shared by the AWS service modules.

use std::collections::BTreeMap;

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

pub use hipaa_scan_core::collect::{bounded, resource, Found, Props};

/// `service:Operation: Code: message`, for unknown properties and gaps. When the SDK could not
/// read the error (an endpoint that answers with another content type), the HTTP status and the
/// `<Code>`/`<Message>` of the raw body are used; never a debug dump.
pub fn describe<E>(op: &str, e: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let (Some(code), msg) = (e.code(), e.message()) {
        return match msg {
            Some(m) if !m.is_empty() => format!("{op}: {code}: {m}"),
            _ => format!("{op}: {code}"),
        };
    }
    if let Some(raw) = e.raw_response() {
        let body = raw
            .body()
            .bytes()
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let tag = |name: &str| {
            let open = format!("<{name}>");
            let start = body.find(&open)? + open.len();
            let end = body[start..].find(&format!("</{name}>"))? + start;
            Some(body[start..end].trim().to_string())
        };
        let status = raw.status().as_u16();
        return match (tag("Code"), tag("Message")) {
            (Some(c), Some(m)) => format!("{op}: {c}: {m} (HTTP {status})"),
            (Some(c), None) => format!("{op}: {c} (HTTP {status})"),
            // The service answered, but not in a shape the SDK could read.
            _ if (200..300).contains(&status) => {
                format!("{op}: the answer could not be read (HTTP {status})")
            }
            _ => format!("{op}: HTTP {status}"),
        };
    }
    match e {
        SdkError::TimeoutError(_) => {
            format!("{op}: timed out (no answer within --call-timeout)")
        }
        SdkError::DispatchFailure(f) if f.is_timeout() => {
            format!("{op}: timed out (no answer within --call-timeout)")
        }
        SdkError::DispatchFailure(f) if f.is_io() => format!("{op}: connection failed"),
        _ => format!("{op}: {}", DisplayErrorContext(e)),
    }
}

/// The error code of an SDK error, if the service sent one.
pub fn code<E: ProvideErrorMetadata>(e: &E) -> Option<&str> {
    e.code()
}

/// Tags from an SDK's (key, value) pairs; a tag without a key is dropped.
pub fn tags<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> BTreeMap<String, String> {
    pairs
        .filter_map(|(k, v)| Some((k?.to_string(), v.unwrap_or_default().to_string())))
        .collect()
}

/// Every page (or item) a paginator produced, or the first failure as a reason.
pub fn all<T, E>(
    op: &str,
    results: Vec<Result<T, SdkError<E, HttpResponse>>>,
) -> Result<Vec<T>, String>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    results
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| describe(op, &e))
}

/// The one resource a regional service setting is recorded on (`aws.guardduty.region`, ...).
pub fn region_resource(
    kind: &str,
    service: &str,
    account: &str,
    region: &str,
) -> hipaa_scan_core::model::Resource {
    resource(
        kind,
        format!("arn:aws:{service}:{region}:{account}:account"),
        account,
        region,
        region.to_string(),
        BTreeMap::new(),
    )
}

/// The customer-managed answers of one region's keys, asked of KMS once per key: a region's
/// streams, notebooks or replication instances often share one.
#[derive(Default)]
pub struct KeyManagers(std::collections::HashMap<String, Result<bool, String>>);

impl KeyManagers {
    /// Sets `customer_managed_key` on `p` for `key`, or marks it unknown with why KMS could not
    /// tell.
    pub async fn mark(&mut self, kms: &aws_sdk_kms::Client, key: &str, p: &mut Props) {
        if !self.0.contains_key(key) {
            let v = customer_managed_key(kms, key).await;
            self.0.insert(key.to_string(), v);
        }
        match &self.0[key] {
            Ok(v) => p.set("customer_managed_key", *v),
            Err(why) => p.unknown("customer_managed_key", why.clone()),
        }
    }
}

/// Whether a KMS key (ID, ARN or alias) is customer managed: `alias/aws/...` names an AWS
/// managed key; anything else is asked of KMS (`kms:DescribeKey`).
pub async fn customer_managed_key(kms: &aws_sdk_kms::Client, key: &str) -> Result<bool, String> {
    let alias = key.rsplit_once(":alias/").map_or(key, |(_, a)| a);
    let alias = alias.strip_prefix("alias/").unwrap_or(alias);
    if (key.starts_with("alias/") || key.contains(":alias/")) && alias.starts_with("aws/") {
        return Ok(false);
    }
    let out = kms
        .describe_key()
        .key_id(key)
        .send()
        .await
        .map_err(|e| describe("kms:DescribeKey", &e))?;
    Ok(out.key_metadata().and_then(|m| m.key_manager())
        == Some(&aws_sdk_kms::types::KeyManagerType::Customer))
}
