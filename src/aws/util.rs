//! Plumbing shared by the AWS service modules.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

use crate::model::{Gap, Provider, Resource};

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
        SdkError::TimeoutError(_) => format!("{op}: timed out"),
        SdkError::DispatchFailure(f) if f.is_io() => format!("{op}: connection failed"),
        _ => format!("{op}: {}", DisplayErrorContext(e)),
    }
}

/// The error code of an SDK error, if the service sent one.
pub fn code<E: ProvideErrorMetadata>(e: &E) -> Option<&str> {
    e.code()
}

/// A resource's properties as they are read: each one known, or unknown with the reason.
#[derive(Default)]
pub struct Props {
    known: Map<String, Value>,
    unknown: BTreeMap<String, String>,
}

impl Props {
    pub fn set(&mut self, name: &str, value: impl Into<Value>) {
        self.unknown.remove(name);
        self.known.insert(name.to_string(), value.into());
    }

    pub fn unknown(&mut self, name: &str, reason: impl Into<String>) {
        self.known.remove(name);
        self.unknown.insert(name.to_string(), reason.into());
    }

    pub fn into_resource(self, mut r: Resource) -> Resource {
        r.properties = self.known;
        r.unknown = self.unknown;
        r
    }
}

/// What a service module found: resources, and the parts it could not list.
#[derive(Default)]
pub struct Found {
    pub resources: Vec<Resource>,
    pub gaps: Vec<Gap>,
}

impl Found {
    pub fn gap(&mut self, account: &str, region: Option<&str>, kinds: &[&str], reason: String) {
        self.gaps.push(Gap {
            provider: Provider::Aws,
            account: account.to_string(),
            region: region.map(str::to_string),
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            reason,
        });
    }

    pub fn extend(&mut self, other: Found) {
        self.resources.extend(other.resources);
        self.gaps.extend(other.gaps);
    }
}

/// Tags from an SDK's (key, value) pairs; a tag without a key is dropped.
pub fn tags<'a>(
    pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> BTreeMap<String, String> {
    pairs
        .filter_map(|(k, v)| Some((k?.to_string(), v.unwrap_or_default().to_string())))
        .collect()
}

/// A resource shell with the fields every AWS resource has.
pub fn resource(
    kind: &str,
    id: String,
    account: &str,
    region: &str,
    name: String,
    tags: BTreeMap<String, String>,
) -> Resource {
    Resource {
        provider: Provider::Aws,
        kind: kind.to_string(),
        id,
        account: account.to_string(),
        region: region.to_string(),
        name,
        tags,
        properties: Map::new(),
        unknown: BTreeMap::new(),
    }
}

/// Runs `f` over `items` with at most `limit` at a time, keeping the input order.
pub async fn bounded<T, R, F, Fut>(items: Vec<T>, limit: usize, f: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
{
    let sem = Arc::new(Semaphore::new(limit.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let fut = f(item);
        let sem = sem.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            (i, fut.await)
        });
    }
    let mut out: Vec<(usize, R)> = Vec::with_capacity(set.len());
    while let Some(done) = set.join_next().await {
        match done {
            Ok(r) => out.push(r),
            // A panicking task is a bug in this crate; surface it rather than lose a resource.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}
