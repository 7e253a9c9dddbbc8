//! JSON over HTTPS to Azure Resource Manager and Microsoft Graph through `azure_core`'s
//! pipeline: bearer tokens from the credential, retries with backoff on 429/5xx honouring
//! `Retry-After`, full paging (`nextLink`, `@odata.nextLink`), and Azure's error shape turned into
//! a short reason.

use std::sync::Arc;

use azure_core::credentials::TokenCredential;
use azure_core::http::policies::auth::BearerTokenAuthorizationPolicy;
use azure_core::http::policies::Policy;
use azure_core::http::{
    ClientOptions, Context, ExponentialRetryOptions, Method, Pipeline, PipelineSendOptions,
    Request, RetryOptions, Url,
};
use serde_json::Value;

/// The default longest time one call may take, with its retries and the token it needs.
pub const CALL_TIMEOUT: std::time::Duration = hipaa_scan_core::collect::CALL_TIMEOUT;

/// One API (Resource Manager or Graph) at one base URL.
pub(crate) struct Api {
    pipeline: Pipeline,
    base: Url,
    /// The longest one call may take, token and retries included.
    call_timeout: std::time::Duration,
    /// The page link field: `nextLink` (ARM) or `@odata.nextLink` (Graph).
    next: &'static str,
}

impl Api {
    pub fn new(
        credential: Arc<dyn TokenCredential>,
        base: &str,
        scope: &str,
        next: &'static str,
        max_retries: u32,
        call_timeout: std::time::Duration,
    ) -> Result<Self, String> {
        let base = Url::parse(base).map_err(|e| format!("`{base}`: {e}"))?;
        let options = ClientOptions {
            retry: RetryOptions::exponential(ExponentialRetryOptions {
                max_retries,
                ..Default::default()
            }),
            ..Default::default()
        };
        let auth: Arc<dyn Policy> = Arc::new(BearerTokenAuthorizationPolicy::new(
            credential,
            [scope.to_string()],
        ));
        let pipeline = Pipeline::new(
            Some("hipaa-scan"),
            Some(env!("CARGO_PKG_VERSION")),
            options,
            Vec::new(),
            vec![auth],
            None,
        );
        Ok(Self {
            pipeline,
            base,
            call_timeout,
            next,
        })
    }

    /// `path` under the base URL, with `api-version` when given.
    fn url(&self, path: &str, api_version: Option<&str>) -> Result<Url, String> {
        let mut url = self
            .base
            .join(path.trim_start_matches('/'))
            .map_err(|e| format!("{path}: {e}"))?;
        if let Some(v) = api_version {
            url.query_pairs_mut().append_pair("api-version", v);
        }
        Ok(url)
    }

    async fn fetch(&self, op: &str, url: Url) -> Result<Value, String> {
        let mut req = Request::new(url, Method::Get);
        req.insert_header("accept", "application/json");
        let options = PipelineSendOptions {
            skip_checks: true,
            ..Default::default()
        };
        // The whole call, token and retries included, ends by the call timeout: a silent
        // endpoint is a "timed out" reason, never a hang.
        let resp = tokio::time::timeout(
            self.call_timeout,
            self.pipeline.send(&Context::new(), &mut req, Some(options)),
        )
        .await
        .map_err(|_| format!("{op}: timed out after {} s", self.call_timeout.as_secs()))?
        .map_err(|e| transport_error(op, &e))?;
        let status = u16::from(resp.status());
        let body = resp.into_body();
        if !(200..300).contains(&status) {
            return Err(azure_error(op, status, &body));
        }
        serde_json::from_slice(&body)
            .map_err(|e| format!("{op}: the answer is not valid JSON: {e}"))
    }

    /// GETs one object.
    pub async fn get(
        &self,
        op: &str,
        path: &str,
        api_version: Option<&str>,
    ) -> Result<Value, String> {
        let url = self.url(path, api_version)?;
        self.fetch(op, url).await
    }

    /// GETs every page of a list and returns the items of `value`.
    pub async fn list(
        &self,
        op: &str,
        path: &str,
        api_version: Option<&str>,
    ) -> Result<Vec<Value>, String> {
        let mut url = self.url(path, api_version)?;
        let mut out = Vec::new();
        let mut pages = 0;
        let mut seen = std::collections::HashSet::new();
        loop {
            let page = self.fetch(op, url.clone()).await?;
            if let Some(items) = page.get("value").and_then(Value::as_array) {
                out.extend(items.iter().cloned());
            }
            pages += 1;
            match page.get(self.next).and_then(Value::as_str) {
                Some(link) if !link.is_empty() => {
                    let next =
                        Url::parse(link).map_err(|e| format!("{op}: bad {}: {e}", self.next))?;
                    // A next link must stay on the API's host: never send the token elsewhere.
                    if next.host_str() != self.base.host_str()
                        || next.port_or_known_default() != self.base.port_or_known_default()
                    {
                        return Err(format!(
                            "{op}: {} points at another host ({})",
                            self.next,
                            next.host_str().unwrap_or("?")
                        ));
                    }
                    if pages > 10_000 {
                        return Err(format!("{op}: more than 10,000 pages; stopped"));
                    }
                    // A link that repeats would read the same pages forever: the list is
                    // not read to its end, and says so.
                    if !seen.insert(next.to_string()) {
                        return Err(format!(
                            "{op}: {} repeats; the list was not read to its end",
                            self.next
                        ));
                    }
                    url = next;
                }
                _ => return Ok(out),
            }
        }
    }
}

fn transport_error(op: &str, e: &azure_core::Error) -> String {
    use azure_core::error::ErrorKind;
    match e.kind() {
        ErrorKind::Credential => format!("{op}: could not get an access token: {}", chain(e)),
        ErrorKind::Io | ErrorKind::Connection => format!("{op}: connection failed"),
        _ => format!("{op}: {e}"),
    }
}

/// An error and its sources, each once: the token endpoint's own reason (an `AADSTS` code and
/// message) is in a source, under azure_core's generic "will not be retried".
fn chain(e: &azure_core::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

/// `op: Code: message (HTTP n)` from `{"error": {"code", "message"}}`.
pub(crate) fn azure_error(op: &str, status: u16, body: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let err = parsed.as_ref().and_then(|v| v.get("error"));
    let field = |name: &str| err.and_then(|e| e.get(name)).and_then(Value::as_str);
    hipaa_scan_core::collect::error_reason(op, field("code"), field("message"), status)
}

#[cfg(test)]
mod tests {
    use super::azure_error;

    #[test]
    fn azure_errors_become_short_reasons() {
        let body = br#"{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization"}}"#;
        assert_eq!(
            azure_error("Microsoft.Sql/servers/read", 403, body),
            "Microsoft.Sql/servers/read: AuthorizationFailed: The client does not have authorization (HTTP 403)"
        );
        assert_eq!(azure_error("x", 500, b""), "x: HTTP 500");
    }
}
