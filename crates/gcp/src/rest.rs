//! A small JSON-over-HTTPS client for Google APIs that have no HTTP client crate of their own
//! here (Cloud Storage bucket metadata, the Admin SDK's Directory API): ADC credentials, retries
//! with backoff on throttling and server errors (honouring `Retry-After`), and Google's error
//! shape turned into a reason.

use std::time::Duration;

use google_cloud_auth::credentials::{CacheableResource, Credentials};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::Value;

pub(crate) struct Rest {
    http: reqwest::Client,
    creds: Credentials,
    pub base: String,
    attempts: u32,
    /// One call with its retries; an attempt gets half.
    call_timeout: Duration,
}

impl Rest {
    pub fn new(
        creds: Credentials,
        base: String,
        attempts: u32,
        call_timeout: Duration,
    ) -> Result<Self, String> {
        let attempt = call_timeout / 2;
        let http = reqwest::Client::builder()
            .connect_timeout(attempt.min(Duration::from_secs(5)))
            .timeout(attempt)
            .user_agent(concat!("hipaa-scan/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            creds,
            base,
            attempts,
            call_timeout,
        })
    }

    async fn auth(&self, op: &str) -> Result<HeaderMap, String> {
        let headers = tokio::time::timeout(
            self.call_timeout / 2,
            self.creds.headers(http::Extensions::new()),
        )
        .await
        .map_err(|_| {
            format!(
                "{op}: could not get an access token: timed out after {} s",
                (self.call_timeout / 2).as_secs()
            )
        })?;
        match headers {
            Ok(CacheableResource::New { data, .. }) => Ok(data),
            // Only answered to a caller that sent an entity tag; this one never does.
            Ok(CacheableResource::NotModified) => Ok(HeaderMap::new()),
            Err(e) => Err(format!("{op}: could not get an access token: {e}")),
        }
    }

    /// GETs `path` (under the base URL) and returns the JSON answer, or why it failed.
    pub async fn get(&self, op: &str, path: &str, query: &[(&str, &str)]) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let mut delay = Duration::from_millis(250);
        let mut attempt = 1;
        let start = std::time::Instant::now();
        // Retries stop where the call's deadline would be passed.
        let in_time =
            |wait: Duration| start.elapsed() + wait + self.call_timeout / 2 <= self.call_timeout;
        loop {
            let headers = self.auth(op).await?;
            let sent = self
                .http
                .get(&url)
                .headers(headers)
                .query(query)
                .send()
                .await;
            let resp = match sent {
                Ok(r) => r,
                Err(e)
                    if attempt < self.attempts
                        && in_time(delay)
                        && (e.is_connect() || e.is_timeout()) =>
                {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(20));
                    attempt += 1;
                    continue;
                }
                Err(e) if e.is_timeout() => {
                    return Err(format!(
                        "{op}: timed out after {} s",
                        start.elapsed().as_secs()
                    ))
                }
                Err(_) => return Err(format!("{op}: connection failed")),
            };
            let status = resp.status();
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            let wait = retry_after(resp.headers())
                .unwrap_or(delay)
                .min(Duration::from_secs(60));
            if retryable && attempt < self.attempts && in_time(wait) {
                tokio::time::sleep(wait).await;
                delay = (delay * 2).min(Duration::from_secs(20));
                attempt += 1;
                continue;
            }
            let body = resp
                .bytes()
                .await
                .map_err(|_| format!("{op}: the answer was cut off (HTTP {})", status.as_u16()))?;
            if !status.is_success() {
                return Err(google_error(op, status, &body));
            }
            return serde_json::from_slice(&body)
                .map_err(|e| format!("{op}: the answer is not valid JSON: {e}"));
        }
    }
}

/// Whether a reason [`Rest::get`] gave is the API refusing a caller it knows (HTTP 403), as
/// opposed to a bad token (401) or the call failing on its way: what a grant fixes.
pub(crate) fn forbidden(reason: &str) -> bool {
    reason.ends_with("HTTP 403") || reason.ends_with("(HTTP 403)")
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let secs: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs))
}

/// `op: STATUS: message (HTTP n)` from Google's `{"error": {...}}` body.
fn google_error(op: &str, status: StatusCode, body: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let err = parsed.as_ref().and_then(|v| v.get("error"));
    let field = |name: &str| err.and_then(|e| e.get(name)).and_then(Value::as_str);
    hipaa_scan_core::collect::error_reason(op, field("status"), field("message"), status.as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_errors_become_short_reasons() {
        let body = br#"{"error":{"code":403,"message":"caller lacks storage.buckets.list","status":"PERMISSION_DENIED"}}"#;
        assert_eq!(
            google_error("storage.buckets.list", StatusCode::FORBIDDEN, body),
            "storage.buckets.list: PERMISSION_DENIED: caller lacks storage.buckets.list (HTTP 403)"
        );
        assert_eq!(
            google_error("storage.buckets.list", StatusCode::BAD_GATEWAY, b"<html>"),
            "storage.buckets.list: HTTP 502"
        );
    }

    #[test]
    fn refusals_are_told_from_failures() {
        let body = br#"{"error":{"message":"Not Authorized to access this resource/api"}}"#;
        let denied = google_error("op", StatusCode::FORBIDDEN, body);
        assert!(forbidden(&denied), "{denied}");
        assert!(forbidden(&google_error("op", StatusCode::FORBIDDEN, b"")));
        assert!(!forbidden(&google_error(
            "op",
            StatusCode::UNAUTHORIZED,
            b""
        )));
        assert!(!forbidden(&google_error("op", StatusCode::NOT_FOUND, b"")));
        assert!(!forbidden("op: timed out after 60 s"));
    }
}
