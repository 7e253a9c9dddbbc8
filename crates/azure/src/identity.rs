//! Who the scan signs in as, and that identity signed in to each tenant it reads.
//!
//! A token is issued by one tenant, and Microsoft Graph answers for the tenant of the token: a
//! home-tenant token sent for another tenant's users reads the home tenant's users again. So each
//! tenant's Entra users are read with a credential for that tenant: the same service principal
//! (a multi-tenant app consented there), workload identity or Azure CLI login, asking that
//! tenant's token endpoint. A managed identity signs in to its own tenant only; which one that is
//! is read from Graph (`/organization`), and other tenants' users are not read (a gap).

use std::sync::Arc;

use azure_core::credentials::{Secret, TokenCredential};
use azure_identity::{
    AzureCliCredential, AzureCliCredentialOptions, ClientSecretCredential,
    DeveloperToolsCredential, ManagedIdentityCredential, WorkloadIdentityCredential,
    WorkloadIdentityCredentialOptions,
};

use super::AzureError;

/// The kind of identity the environment offers, in azure_identity's order of preference.
#[derive(Clone)]
pub(crate) enum Identity {
    /// A service principal secret: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET.
    Secret {
        tenant: String,
        client: String,
        secret: String,
    },
    /// Workload identity federation (AZURE_FEDERATED_TOKEN_FILE).
    Workload,
    /// A managed identity (IMDS, App Service): its own tenant only.
    Managed,
    /// The Azure CLI or Azure Developer CLI login.
    DeveloperTools,
}

impl Identity {
    /// The identity the environment offers.
    pub(crate) fn from_env(managed_identity: bool) -> Identity {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let (Some(tenant), Some(client), Some(secret)) = (
            env("AZURE_TENANT_ID"),
            env("AZURE_CLIENT_ID"),
            env("AZURE_CLIENT_SECRET"),
        ) {
            return Identity::Secret {
                tenant,
                client,
                secret,
            };
        }
        if env("AZURE_FEDERATED_TOKEN_FILE").is_some() {
            return Identity::Workload;
        }
        if managed_identity || env("IDENTITY_ENDPOINT").is_some() || env("MSI_ENDPOINT").is_some() {
            return Identity::Managed;
        }
        Identity::DeveloperTools
    }

    /// The credential for the identity's own (home) tenant: Resource Manager and, with a managed
    /// identity, Graph.
    pub(crate) fn credential(&self) -> Result<Arc<dyn TokenCredential>, AzureError> {
        let err = |e: azure_core::Error| AzureError::Credentials(e.to_string());
        Ok(match self {
            Identity::Secret {
                tenant,
                client,
                secret,
            } => ClientSecretCredential::new(
                tenant,
                client.clone(),
                Secret::new(secret.clone()),
                None,
            )
            .map_err(err)?,
            Identity::Workload => WorkloadIdentityCredential::new(None).map_err(err)?,
            Identity::Managed => ManagedIdentityCredential::new(None).map_err(err)?,
            Identity::DeveloperTools => DeveloperToolsCredential::new(None).map_err(err)?,
        })
    }

    /// The same identity signed in to `tenant`; `None` for a managed identity, which cannot.
    pub(crate) fn for_tenant(
        &self,
        tenant: &str,
    ) -> Option<Result<Arc<dyn TokenCredential>, String>> {
        let err = |e: azure_core::Error| format!("cannot sign in to tenant {tenant}: {e}");
        Some(match self {
            Identity::Secret { client, secret, .. } => ClientSecretCredential::new(
                tenant,
                client.clone(),
                Secret::new(secret.clone()),
                None,
            )
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(err),
            Identity::Workload => {
                WorkloadIdentityCredential::new(Some(WorkloadIdentityCredentialOptions {
                    tenant_id: Some(tenant.to_string()),
                    ..Default::default()
                }))
                .map(|c| c as Arc<dyn TokenCredential>)
                .map_err(err)
            }
            Identity::DeveloperTools => AzureCliCredential::new(Some(AzureCliCredentialOptions {
                tenant_id: Some(tenant.to_string()),
                ..Default::default()
            }))
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(err),
            Identity::Managed => return None,
        })
    }
}
