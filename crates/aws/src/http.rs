//! The one HTTP client every AWS call goes through, so open sockets stay bounded however large
//! the estate: at most [`MAX_IN_FLIGHT`] requests at once across every account, region and
//! service, and at most [`MAX_IDLE_PER_HOST`] idle connections kept per endpoint for
//! [`IDLE_TIMEOUT`]. Nested concurrency (accounts × regions × services × resources) can ask for
//! thousands of calls at once; without this, a large organization ran out of file descriptors
//! under the usual limit of 1,024. TLS is the SDK's default (rustls with aws-lc), and proxies
//! come from the environment as the SDK's own default client does.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use tokio::sync::Semaphore;

/// Requests in flight at once, over the whole process (`--max-connections`).
pub const MAX_IN_FLIGHT: usize = 256;
/// Idle connections kept per endpoint (service and region).
pub const MAX_IDLE_PER_HOST: usize = 2;
/// How long an idle connection is kept.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(15);

/// The process-wide bound on requests in flight; the first caller sets its size.
fn in_flight(limit: usize) -> Arc<Semaphore> {
    static LIMIT: OnceLock<Arc<Semaphore>> = OnceLock::new();
    LIMIT
        .get_or_init(|| Arc::new(Semaphore::new(limit.max(1))))
        .clone()
}

/// The HTTP client for every AWS SDK client of this process, with at most `limit` requests in
/// flight across all of them.
pub fn client(limit: usize) -> SharedHttpClient {
    let inner = Builder::new().build_with_connector_fn(|settings, components| {
        let mut conn = ConnectorBuilder::default()
            .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
            .pool_max_idle_per_host(MAX_IDLE_PER_HOST)
            .pool_idle_timeout(IDLE_TIMEOUT);
        conn.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            conn.set_sleep_impl(components.sleep_impl());
        }
        conn.set_proxy_config(Some(ProxyConfig::from_env()));
        conn.build()
    });
    SharedHttpClient::new(Bounded {
        inner,
        limit: in_flight(limit),
    })
}

#[derive(Debug)]
struct Bounded {
    inner: SharedHttpClient,
    limit: Arc<Semaphore>,
}

impl HttpClient for Bounded {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(BoundedConnector {
            inner: self.inner.http_connector(settings, components),
            limit: self.limit.clone(),
        })
    }
}

#[derive(Debug)]
struct BoundedConnector {
    inner: SharedHttpConnector,
    limit: Arc<Semaphore>,
}

impl HttpConnector for BoundedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.inner.clone();
        let limit = self.limit.clone();
        HttpConnectorFuture::new(async move {
            // The semaphore is never closed; were it, the call would go ahead unbounded
            // rather than fail.
            let _permit = limit.acquire_owned().await.ok();
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_client_shares_one_bound() {
        let a = in_flight(MAX_IN_FLIGHT);
        let held = a.clone().acquire_many_owned(3).await.unwrap();
        // A second client of the same process shares the first one's bound.
        assert_eq!(in_flight(8).available_permits(), MAX_IN_FLIGHT - 3);
        drop(held);
        assert_eq!(in_flight(8).available_permits(), MAX_IN_FLIGHT);
    }
}
