//! The Azure adapter against a local peer. No Resource Manager emulator exists, so recorded ARM,
//! Graph and Entra ID token answers (tests/recorded/azure) are served over TLS from 127.0.0.1 with
//! a throwaway CA (tests/common/azure.rs): azure_identity refuses a non-https authority and
//! azure_core will not send a token over http. The real binary runs with a service principal from
//! the environment, trusts the CA through SSL_CERT_FILE, and is pointed at the peer with
//! --arm-endpoint/--graph-endpoint and AZURE_AUTHORITY_HOST. The services of
//! tests/azure_services.rs (AKS, Event Hubs, Service Bus, AI services) answer empty lists here.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::azure::{answer, recorded, refused, serve_tls, Setup, TENANT};
use common::peer::{route, Reply, Route};
use common::{set, verdicts};
use serde_json::Value;

const SUB: &str = "11111111-2222-3333-4444-555555555555";
const DENIED: &str = "99999999-2222-3333-4444-555555555555";

fn routes(base: &str) -> Vec<Route> {
    let json = |name: &str| answer(name, base);
    let sub = format!("/subscriptions/{SUB}");
    let rg = format!("{sub}/resourceGroups/phi-prod/providers");
    let denied = || refused(base);
    let dsub = format!("/subscriptions/{DENIED}");
    let group = "/providers/Microsoft.Management/managementGroups/acme-root/descendants";
    vec![
        route("POST", format!("/{TENANT}/oauth2/v2.0/token"), vec![json("token.json")]),
        // Page 2 first: only page 2 carries the skip token.
        route("GET", group, vec![json("management-group-descendants-page2.json")]).with_query("$skiptoken=page-2"),
        route("GET", group, vec![json("management-group-descendants-page1.json")]),
        route("GET", "/subscriptions/77777777-2222-3333-4444-555555555555", vec![json("subscription-disabled.json")]),
        route("GET", sub.clone(), vec![json("subscription.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Insights/diagnosticSettings"), vec![json("diagnostic-settings.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Security/pricings"), vec![json("pricings.json")]),
        // Page 2 first: routes match in order, and only page 2 carries the skip token.
        route("GET", format!("{sub}/providers/Microsoft.Storage/storageAccounts"), vec![json("storage-accounts-page2.json")])
            .with_query("$skipToken=page-2"),
        route(
            "GET",
            format!("{sub}/providers/Microsoft.Storage/storageAccounts"),
            vec![
                Reply::json(429, recorded("too-many-requests.json", base)).header("Retry-After", "1"),
                json("storage-accounts-page1.json"),
            ],
        ),
        route("GET", format!("{rg}/Microsoft.Storage/storageAccounts/acmephi/blobServices/default"), vec![json("blob-service-acmephi.json")]),
        route("GET", format!("{rg}/Microsoft.Storage/storageAccounts/legacystore/blobServices/default"), denied()),
        route("GET", format!("{sub}/providers/Microsoft.Sql/servers"), vec![json("sql-servers.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/firewallRules"), vec![json("sql-firewall-rules.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/ipv6FirewallRules"), vec![json("sql-ipv6-firewall-rules.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/auditingSettings/default"), vec![json("sql-auditing.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/databases"), vec![json("sql-databases.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/databases/ehr/transparentDataEncryption/current"), vec![json("tde-enabled.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/databases/scratch/transparentDataEncryption/current"), vec![json("tde-disabled.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/firewallRules"), vec![json("sql-firewall-rules-dr.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/ipv6FirewallRules"), vec![json("empty-list.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/auditingSettings/default"), vec![json("sql-auditing-dr.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/databases"), vec![json("empty-list.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Insights/activityLogAlerts"), vec![json("activity-log-alerts.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Security/securityContacts"), vec![json("security-contacts.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Security/autoProvisioningSettings"), vec![json("auto-provisioning.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Security/pricings/SqlServers"), vec![json("pricing-sqlservers.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/administrators"), vec![json("sql-administrators.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/encryptionProtector/current"), vec![json("sql-protector-service.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/securityAlertPolicies/Default"), vec![json("sql-alert-policy-disabled.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/administrators"), vec![json("empty-list.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/encryptionProtector/current"), vec![json("sql-protector-cmk.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/securityAlertPolicies/Default"), denied()),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/sqlVulnerabilityAssessments/default"), vec![json("sql-va-express-enabled.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql/vulnerabilityAssessments/default"), vec![json("empty-list.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/sqlVulnerabilityAssessments/default"), vec![json("sql-va-express-disabled.json")]),
        route("GET", format!("{rg}/Microsoft.Sql/servers/acme-sql-dr/vulnerabilityAssessments/default"), vec![json("sql-va-classic-no-scans.json")]),
        route("GET", format!("{sub}/providers/Microsoft.KeyVault/vaults"), vec![json("key-vaults.json")]),
        route("GET", format!("{rg}/Microsoft.KeyVault/vaults/acme-kv/keys"), vec![json("kv-keys-acme.json")]),
        route("GET", format!("{rg}/Microsoft.KeyVault/vaults/acme-kv/secrets"), vec![json("empty-list.json")]),
        route("GET", format!("{rg}/Microsoft.KeyVault/vaults/acme-kv/providers/Microsoft.Insights/diagnosticSettings"), vec![json("kv-diagnostics-acme.json")]),
        route("GET", format!("{rg}/Microsoft.KeyVault/vaults/old-kv/keys"), vec![json("kv-keys-old.json")]),
        route("GET", format!("{rg}/Microsoft.KeyVault/vaults/old-kv/secrets"), denied()),
        route("GET", format!("{rg}/Microsoft.KeyVault/vaults/old-kv/providers/Microsoft.Insights/diagnosticSettings"), vec![json("kv-diagnostics-old.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Network/networkSecurityGroups"), vec![json("nsgs.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Network/networkWatchers"), vec![json("network-watchers.json")]),
        route("GET", format!("{sub}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_eastus/flowLogs"), vec![json("flow-logs.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Network/virtualNetworks"), vec![json("virtual-networks.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Web/sites"), vec![json("web-sites.json")]),
        route("GET", format!("{rg}/Microsoft.Web/sites/acme-portal/config/web"), vec![json("web-config-portal.json")]),
        route("GET", format!("{rg}/Microsoft.Web/sites/legacy-api/config/web"), vec![json("web-config-legacy.json")]),
        route("GET", format!("{sub}/providers/Microsoft.DBforPostgreSQL/flexibleServers"), vec![json("postgres-servers.json")]),
        route("GET", format!("{rg}/Microsoft.DBforPostgreSQL/flexibleServers/acme-pg/configurations"), vec![json("postgres-configurations.json")]),
        route("GET", format!("{sub}/providers/Microsoft.DBforMySQL/flexibleServers"), vec![json("mysql-servers.json")]),
        route("GET", format!("{rg}/Microsoft.DBforMySQL/flexibleServers/acme-mysql/configurations"), vec![json("mysql-configurations-page2.json")])
            .with_query("$skipToken=mysql-page-2"),
        route("GET", format!("{rg}/Microsoft.DBforMySQL/flexibleServers/acme-mysql/configurations"), vec![json("mysql-configurations-page1.json")]),
        route("GET", format!("{sub}/providers/Microsoft.DocumentDB/databaseAccounts"), vec![json("cosmos-accounts.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Cache/redis"), vec![json("redis-caches.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Compute/virtualMachines"), vec![json("virtual-machines.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Compute/disks"), vec![json("disks.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Network/networkInterfaces"), vec![json("network-interfaces.json")]),
        route("GET", format!("{sub}/providers/Microsoft.RecoveryServices/vaults"), vec![json("recovery-vaults.json")]),
        route("GET", format!("{rg}/Microsoft.RecoveryServices/vaults/acme-rsv/backupProtectedItems"), vec![json("backup-protected-items.json")]),
        route("GET", format!("{sub}/resources"), vec![json("resources.json")]),
        // tests/azure_services.rs serves these services' recorded estate.
        route("GET", format!("{sub}/providers/Microsoft.ContainerService/managedClusters"), vec![json("empty-list.json")]),
        route("GET", format!("{sub}/providers/Microsoft.EventHub/namespaces"), vec![json("empty-list.json")]),
        route("GET", format!("{sub}/providers/Microsoft.ServiceBus/namespaces"), vec![json("empty-list.json")]),
        route("GET", format!("{sub}/providers/Microsoft.CognitiveServices/accounts"), vec![json("empty-list.json")]),
        // tests/azure_identity.rs serves owners, custom roles and the tenant's sign-in policy.
        route("GET", format!("{sub}/providers/Microsoft.Authorization/roleAssignments"), vec![json("empty-list.json")]),
        route("GET", format!("{sub}/providers/Microsoft.Authorization/roleDefinitions"), vec![json("empty-list.json")]),
        route("GET", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", vec![json("security-defaults-on.json")]),
        route("GET", "/v1.0/identity/conditionalAccess/policies", vec![json("empty-list.json")]),
        route("GET", "/v1.0/users", vec![json("graph-users-page2.json")]).with_query("$skiptoken=users-page-2"),
        route("GET", "/v1.0/users", vec![json("graph-users-page1.json")]),
        route("GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails", vec![json("graph-registration.json")]),
        // A subscription the principal may not read.
        route("GET", dsub.clone(), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Insights/diagnosticSettings"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Security/pricings"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Storage/storageAccounts"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Sql/servers"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.KeyVault/vaults"), denied()),
        route("GET", format!("{dsub}/resources"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Insights/activityLogAlerts"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Security/securityContacts"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Security/autoProvisioningSettings"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Network/networkSecurityGroups"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Network/networkWatchers"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Network/virtualNetworks"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Web/sites"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.DBforPostgreSQL/flexibleServers"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.DBforMySQL/flexibleServers"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.DocumentDB/databaseAccounts"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Cache/redis"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Compute/virtualMachines"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Compute/disks"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.Network/networkInterfaces"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.RecoveryServices/vaults"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.ContainerService/managedClusters"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.EventHub/namespaces"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.ServiceBus/namespaces"), denied()),
        route("GET", format!("{dsub}/providers/Microsoft.CognitiveServices/accounts"), denied()),
    ]
}

fn setup(graph_denied: bool) -> Setup {
    setup_with(graph_denied, |_| Vec::new())
}

/// The recorded routes, with `extra` (given the base URL) matched before them.
fn setup_with(graph_denied: bool, extra: impl FnOnce(&str) -> Vec<Route>) -> Setup {
    serve_tls(|base| {
        let mut r = extra(base);
        r.extend(routes(base));
        if graph_denied {
            let forbidden = Reply::json(403, recorded("graph-forbidden.json", base));
            for path in [
                "/v1.0/reports/authenticationMethods/userRegistrationDetails",
                "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
                "/v1.0/identity/conditionalAccess/policies",
            ] {
                r.insert(0, route("GET", path, vec![forbidden.clone()]));
            }
        }
        r
    })
}

fn scan(s: &Setup, subscription: &str) -> common::Run {
    hipaa(s, subscription, &["scan", "--output", "json=out.json"])
}

/// Runs `head` against the peer for one subscription.
fn hipaa(s: &Setup, subscription: &str, head: &[&str]) -> common::Run {
    s.run(
        head,
        &["--subscription", subscription, "--max-retries", "3"],
    )
}

fn result(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap()
}

#[test]
fn scans_a_subscription_and_its_tenant_with_exact_verdicts() {
    let s = setup(false);
    let run = scan(&s, SUB);
    // The blob service of one account is denied: findings, and the scan is incomplete.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let result = result(s.dir.path());
    let eligible = |name| ("azure-service-hipaa-eligible", name, "pass");
    let expected = set(&[
        // The export leaves the Policy category off.
        ("azure-activity-log-exported", SUB, "fail"),
        ("azure-defender-enabled", SUB, "fail"),
        eligible(SUB),
        ("azure-storage-secure-transfer", "acmephi", "pass"),
        ("azure-storage-min-tls12", "acmephi", "pass"),
        ("azure-storage-no-public-blob", "acmephi", "pass"),
        ("azure-storage-cmk", "acmephi", "pass"),
        ("azure-storage-soft-delete", "acmephi", "pass"),
        eligible("acmephi"),
        ("azure-storage-secure-transfer", "legacystore", "fail"),
        ("azure-storage-min-tls12", "legacystore", "fail"),
        // allowBlobPublicAccess never set: null permits anonymous access.
        ("azure-storage-no-public-blob", "legacystore", "fail"),
        ("azure-storage-cmk", "legacystore", "fail"),
        ("azure-storage-soft-delete", "legacystore", "not_evaluated"),
        eligible("legacystore"),
        ("azure-sql-auditing", "acme-sql", "fail"),
        // "Allow Azure services" and an office range: not the internet, but its own finding.
        ("azure-sql-no-open-firewall", "acme-sql", "pass"),
        ("azure-sql-no-allow-azure-services", "acme-sql", "fail"),
        eligible("acme-sql"),
        // Two half ranges cover the internet; auditing goes to Log Analytics only, whose
        // retention is not read (its retentionDays of 0 is the storage target's).
        ("azure-sql-auditing", "acme-sql-dr", "not_evaluated"),
        ("azure-sql-no-open-firewall", "acme-sql-dr", "fail"),
        ("azure-sql-no-allow-azure-services", "acme-sql-dr", "pass"),
        eligible("acme-sql-dr"),
        ("azure-sql-tde", "acme-sql/ehr", "pass"),
        eligible("acme-sql/ehr"),
        ("azure-sql-tde", "acme-sql/scratch", "fail"),
        eligible("acme-sql/scratch"),
        ("azure-keyvault-recoverable", "acme-kv", "pass"),
        eligible("acme-kv"),
        ("azure-keyvault-recoverable", "old-kv", "fail"),
        eligible("old-kv"),
        eligible("acme-portal"),
        eligible("acme-vnet"),
        ("azure-service-hipaa-eligible", "load-tests", "fail"),
        // Activity log alerts: the policy alert leaves `enabled` out (default true); the NSG
        // alert names both operations with containsAny; the rest are look-alikes: no action
        // group, a resource-group scope, failures only (a `status` condition), disabled.
        ("azure-alert-policy-assignment", SUB, "pass"),
        ("azure-alert-nsg", SUB, "pass"),
        ("azure-alert-nsg-rule", SUB, "fail"),
        ("azure-alert-security-solution", SUB, "fail"),
        ("azure-alert-sql-firewall", SUB, "fail"),
        ("azure-alert-public-ip", SUB, "fail"),
        ("azure-defender-security-contact", SUB, "pass"),
        ("azure-defender-alert-notifications", SUB, "fail"),
        ("azure-defender-auto-provisioning", SUB, "fail"),
        // acmephi: public access disabled outweighs the Allow default action; its approved
        // private endpoint counts; infrastructure encryption is off.
        ("azure-storage-shared-key-disabled", "acmephi", "pass"),
        ("azure-storage-network-restricted", "acmephi", "pass"),
        ("azure-storage-private-endpoint", "acmephi", "pass"),
        ("azure-storage-infrastructure-encryption", "acmephi", "fail"),
        ("azure-storage-blob-versioning", "acmephi", "pass"),
        ("azure-storage-container-soft-delete", "acmephi", "pass"),
        (
            "azure-storage-no-cross-tenant-replication",
            "acmephi",
            "pass",
        ),
        (
            "azure-storage-trusted-services",
            "acmephi",
            "not_applicable",
        ),
        // legacystore never set shared key access or cross-tenant replication (null: allowed)
        // and says nothing of its firewall.
        ("azure-storage-shared-key-disabled", "legacystore", "fail"),
        (
            "azure-storage-network-restricted",
            "legacystore",
            "not_evaluated",
        ),
        (
            "azure-storage-blob-versioning",
            "legacystore",
            "not_evaluated",
        ),
        (
            "azure-storage-container-soft-delete",
            "legacystore",
            "not_evaluated",
        ),
        (
            "azure-storage-no-cross-tenant-replication",
            "legacystore",
            "fail",
        ),
        (
            "azure-storage-trusted-services",
            "legacystore",
            "not_evaluated",
        ),
        // acme-sql: its own threat detection is off, but the subscription's SqlServers plan
        // covers it. acme-sql-dr: TLS minimum `None`, no Entra admin, its alert policy denied.
        ("azure-sql-entra-admin", "acme-sql", "pass"),
        ("azure-sql-tde-cmk", "acme-sql", "fail"),
        ("azure-sql-min-tls12", "acme-sql", "pass"),
        ("azure-sql-public-network-disabled", "acme-sql", "fail"),
        ("azure-sql-defender", "acme-sql", "pass"),
        ("azure-sql-entra-admin", "acme-sql-dr", "fail"),
        ("azure-sql-min-tls12", "acme-sql-dr", "fail"),
        ("azure-sql-defender", "acme-sql-dr", "pass"),
        // Express VA on for acme-sql; acme-sql-dr has a classic storage path without
        // recurring scans, and express off.
        ("azure-sql-vulnerability-assessment", "acme-sql", "pass"),
        ("azure-sql-vulnerability-assessment", "acme-sql-dr", "fail"),
        // acme-kv: `disabled` in lower case; a disabled key without expiry does not count.
        ("azure-keyvault-rbac", "acme-kv", "pass"),
        ("azure-keyvault-key-expiry", "acme-kv", "pass"),
        ("azure-keyvault-secret-expiry", "acme-kv", "pass"),
        ("azure-keyvault-network-restricted", "acme-kv", "pass"),
        ("azure-keyvault-logging", "acme-kv", "pass"),
        // old-kv: its AuditEvent setting has no destination; its secrets are denied.
        ("azure-keyvault-rbac", "old-kv", "fail"),
        ("azure-keyvault-key-expiry", "old-kv", "fail"),
        ("azure-keyvault-secret-expiry", "old-kv", "not_evaluated"),
        ("azure-keyvault-network-restricted", "old-kv", "fail"),
        ("azure-keyvault-logging", "old-kv", "fail"),
        // web-nsg: RDP from anywhere is shadowed by an earlier Internet deny; two /1s open
        // 1433 through a port range; covered by its virtual network's flow log (its own is
        // disabled). jump-nsg: SSH from `Internet`; its own flow log keeps 30 days.
        ("azure-nsg-no-internet-admin-ports", "web-nsg", "pass"),
        ("azure-nsg-no-internet-database-ports", "web-nsg", "fail"),
        ("azure-nsg-flow-logs", "web-nsg", "pass"),
        eligible("web-nsg"),
        ("azure-nsg-no-internet-admin-ports", "jump-nsg", "fail"),
        ("azure-nsg-no-internet-database-ports", "jump-nsg", "pass"),
        ("azure-nsg-flow-logs", "jump-nsg", "fail"),
        eligible("jump-nsg"),
        ("azure-network-watcher-enabled", "eastus", "pass"),
        ("azure-network-watcher-enabled", "westus", "fail"),
        eligible("eastus"),
        eligible("westus"),
        ("azure-appservice-https-only", "acme-portal", "pass"),
        ("azure-appservice-min-tls12", "acme-portal", "pass"),
        ("azure-appservice-ftps", "acme-portal", "pass"),
        ("azure-appservice-managed-identity", "acme-portal", "pass"),
        ("azure-appservice-https-only", "legacy-api", "fail"),
        ("azure-appservice-min-tls12", "legacy-api", "fail"),
        ("azure-appservice-ftps", "legacy-api", "fail"),
        ("azure-appservice-managed-identity", "legacy-api", "fail"),
        eligible("legacy-api"),
        // acme-pg: `pgaudit.log` is set but pgaudit is not preloaded; disconnections unlogged.
        ("azure-postgres-secure-transport", "acme-pg", "pass"),
        ("azure-postgres-min-tls12", "acme-pg", "pass"),
        ("azure-postgres-log-checkpoints", "acme-pg", "pass"),
        ("azure-postgres-log-connections", "acme-pg", "fail"),
        ("azure-postgres-connection-throttling", "acme-pg", "pass"),
        ("azure-postgres-audit", "acme-pg", "fail"),
        ("azure-postgres-geo-backup", "acme-pg", "fail"),
        ("azure-postgres-public-network", "acme-pg", "pass"),
        eligible("acme-pg"),
        // acme-mysql (parameters on two pages): TLS 1.2 listed beside 1.1; auditing on without
        // CONNECTION.
        ("azure-mysql-secure-transport", "acme-mysql", "pass"),
        ("azure-mysql-min-tls12", "acme-mysql", "fail"),
        ("azure-mysql-audit-log", "acme-mysql", "fail"),
        eligible("acme-mysql"),
        // Two /1 IP rules beside a virtual network filter: the internet.
        ("azure-cosmosdb-network-restricted", "acme-cosmos", "fail"),
        ("azure-cosmosdb-local-auth-disabled", "acme-cosmos", "pass"),
        ("azure-cosmosdb-cmk", "acme-cosmos", "fail"),
        eligible("acme-cosmos"),
        // enableNonSslPort absent: the documented default, off.
        ("azure-redis-no-non-ssl-port", "acme-redis", "pass"),
        ("azure-redis-min-tls12", "acme-redis", "fail"),
        eligible("acme-redis"),
        ("azure-vm-managed-disks", "app-vm", "pass"),
        ("azure-vm-no-public-ip", "app-vm", "pass"),
        ("azure-vm-backup", "app-vm", "pass"),
        eligible("app-vm"),
        // jump-vm: a VHD data disk; its backup protection was stopped.
        ("azure-vm-managed-disks", "jump-vm", "fail"),
        ("azure-vm-backup", "jump-vm", "fail"),
        eligible("jump-vm"),
        ("azure-disk-cmk", "app-vm-os", "pass"),
        eligible("app-vm-os"),
        ("azure-disk-cmk", "app-vm-data", "fail"),
        eligible("app-vm-data"),
        eligible("jump-vm-os"),
        ("azure-recovery-vault-soft-delete", "acme-rsv", "pass"),
        eligible("acme-rsv"),
        ("azure-entra-user-mfa", "alice@acme.example", "pass"),
        ("azure-entra-user-mfa", "bob@acme.example", "fail"),
        (
            "azure-entra-user-mfa",
            "auditor_partner.example#EXT#@acme.onmicrosoft.com",
            "pass",
        ),
        ("azure-entra-user-mfa", "former@acme.example", "pass"),
        eligible("alice@acme.example"),
        eligible("bob@acme.example"),
        eligible("auditor_partner.example#EXT#@acme.onmicrosoft.com"),
        eligible("former@acme.example"),
        // The tenant's sign-in policy (tests/azure_identity.rs judges its MFA enforcement).
        eligible(TENANT),
    ]);
    let got = common::written_for(verdicts(&result), &expected);
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded estate"
    );
    let verdict = |policy: &str, name: &str| common::verdict(&result, policy, name).clone();
    // The evidence names what the export leaves out, and which plans count.
    let activity = verdict("azure-activity-log-exported", SUB);
    assert_eq!(
        activity["evidence"]["activity_log_categories"],
        serde_json::json!(["Administrative", "Security"]),
        "{activity}"
    );
    assert_eq!(
        activity["evidence"]["params.required_categories"],
        serde_json::json!(["Administrative", "Security", "Policy"])
    );
    let defender = verdict("azure-defender-enabled", SUB);
    assert_eq!(
        defender["evidence"]["defender_standard_plans"],
        serde_json::json!(["SqlServers"]),
        "a partly covered plan does not count: {defender}"
    );
    let open = verdict("azure-sql-no-open-firewall", "acme-sql-dr");
    let why = open["evidence"]["internet_open_rules"].to_string();
    assert!(
        why.contains("lower-half") && why.contains("upper-half"),
        "{open}"
    );
    let audit = verdict("azure-sql-auditing", "acme-sql-dr");
    assert!(
        audit["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("Azure Monitor"),
        "{audit}"
    );
    // The denied blob service is named in the reason.
    let soft = verdict("azure-storage-soft-delete", "legacystore");
    assert!(
        soft.to_string()
            .contains("blobServices/read: AuthorizationFailed"),
        "{soft}"
    );

    // Throttled once, retried after Retry-After, then both pages read.
    let accounts: Vec<u16> = s
        .peer
        .requests("/providers/Microsoft.Storage/storageAccounts?")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(accounts, vec![429, 200, 200]);
    assert_eq!(s.peer.requests("skiptoken=users-page-2").len(), 1);
    assert_eq!(s.peer.requests("skipToken=mysql-page-2").len(), 1);
    // The NSG findings name the rules that open the port.
    let db = verdict("azure-nsg-no-internet-database-ports", "web-nsg");
    assert!(
        db["evidence"]["internet_open_database_ports"]
            .to_string()
            .contains("tcp 1433 (rule `sql-two-halves`"),
        "{db}"
    );
    let ssh = verdict("azure-nsg-no-internet-admin-ports", "web-nsg");
    assert_eq!(
        ssh["evidence"]["internet_open_admin_ports"],
        serde_json::json!([]),
        "the RDP allow is shadowed: {ssh}"
    );
    let keys = verdict("azure-keyvault-key-expiry", "old-kv");
    assert_eq!(
        keys["evidence"]["keys_without_expiry"],
        serde_json::json!(["legacy-cmk"]),
        "{keys}"
    );

    // `inventory azure` writes the snapshot that `scan --snapshot` reads, with the same verdicts.
    let inv = hipaa(&s, SUB, &["inventory", "--output", "estate.json"]);
    assert_eq!(inv.code, 0, "{}", inv.stderr);
    let replay = common::hipaa_scan(
        &["scan", "--snapshot", "estate.json", "--format", "json"],
        s.dir.path(),
    );
    assert_eq!(replay.code, 1, "{}", replay.stderr);
    // The replay gives every verdict of the live scan, those of policies judged elsewhere too.
    assert_eq!(
        verdicts(&serde_json::from_str(&replay.stdout).unwrap()),
        verdicts(&result)
    );
    // Every ARM call carries api-version; every call carries the token from the real exchange.
    for r in s.peer.seen.lock().unwrap().iter() {
        if r.target.contains("oauth2") {
            continue;
        }
        if r.target.starts_with("/subscriptions") {
            assert!(r.target.contains("api-version="), "{r:?}");
        }
        assert_eq!(
            r.authorization.as_deref(),
            Some("Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.recorded-test-token."),
            "{r:?}"
        );
    }
}

#[test]
fn a_denied_subscription_and_graph_are_not_evaluated() {
    let s = setup(true);
    let run = scan(&s, DENIED);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let got = verdicts(&result(s.dir.path()));
    // Nothing passes on data that could not be read. The guest and the disabled user pass the MFA
    // check on what was read (type and state), which settles it without their registration.
    let passes: BTreeSet<_> = got
        .iter()
        .filter(|(p, _, o)| o == "pass" && p != "azure-service-hipaa-eligible")
        .map(|(p, n, _)| (p.as_str(), n.as_str()))
        .collect();
    assert_eq!(
        passes,
        BTreeSet::from([
            (
                "azure-entra-user-mfa",
                "auditor_partner.example#EXT#@acme.onmicrosoft.com"
            ),
            ("azure-entra-user-mfa", "former@acme.example"),
        ])
    );
    for (policy, name) in [
        ("azure-activity-log-exported", DENIED),
        ("azure-defender-enabled", DENIED),
    ] {
        assert!(
            got.contains(&(policy.into(), name.into(), "not_evaluated".into())),
            "{policy}: {got:?}"
        );
    }
    // The tenant comes from AZURE_TENANT_ID when the subscription cannot be read; users are
    // listed, but their MFA registration is denied: not evaluated, never passed.
    assert!(got.contains(&(
        "azure-entra-user-mfa".into(),
        "bob@acme.example".into(),
        "not_evaluated".into()
    )));
    let text = std::fs::read_to_string(s.dir.path().join("out.json")).unwrap();
    assert!(
        text.contains("Authorization_RequestDenied"),
        "Graph reason missing"
    );
    assert!(
        text.contains("Microsoft.Sql/servers/read: AuthorizationFailed"),
        "ARM reason missing"
    );
}

#[test]
fn an_http_endpoint_is_refused_before_any_token_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::hipaa_scan_env(
        &[
            "scan",
            "azure",
            "--subscription",
            SUB,
            "--arm-endpoint",
            "http://127.0.0.1:9",
        ],
        dir.path(),
        &[
            ("AZURE_TENANT_ID", TENANT),
            ("AZURE_CLIENT_ID", common::azure::CLIENT_ID),
            ("AZURE_CLIENT_SECRET", common::azure::CLIENT_SECRET),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("https"), "{}", run.stderr);
}

#[test]
fn a_management_group_scans_every_enabled_subscription_under_it() {
    let s = setup(false);
    let run = s.run(
        &["scan", "--output", "json=out.json"],
        &["--management-group", "acme-root", "--max-retries", "3"],
    );
    assert!(run.code == 1 || run.code == 3, "{}", run.stderr);
    // Both pages of descendants were read; the disabled subscription is not read, the enabled
    // one (under a child group) is scanned exactly as when it is named.
    assert_eq!(s.peer.requests("skiptoken=page-2").len(), 1);
    let scanned: BTreeSet<String> = result(s.dir.path())["inventory"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "azure.subscription")
        .map(|r| r["account"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(scanned, BTreeSet::from([SUB.to_string()]));
    // The disabled subscription is not dropped silently: it is a gap, and the scan incomplete.
    let gaps = result(s.dir.path())["inventory"]["gaps"].clone();
    assert!(
        gaps.as_array()
            .unwrap()
            .iter()
            .any(|g| g["account"] == "77777777-2222-3333-4444-555555555555"
                && g["reason"].as_str().unwrap().contains("Disabled")),
        "{gaps}"
    );
    assert!(s
        .peer
        .requests("/subscriptions/77777777-2222-3333-4444-555555555555/providers")
        .is_empty());
    // A management group and named subscriptions together are a usage error.
    let clash = common::hipaa_scan(
        &[
            "scan",
            "azure",
            "--management-group",
            "acme-root",
            "--subscription",
            SUB,
        ],
        s.dir.path(),
    );
    assert_eq!(clash.code, 2, "{}", clash.stderr);
}

const SUB2: &str = "22222222-2222-3333-4444-555555555555";
const TENANT2: &str = "bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee";
/// The access token the peer issues for TENANT2 (tests/recorded/azure/token-tenant2.json).
const TENANT2_TOKEN: &str = "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.tenant2-token.";

/// Scans SUB (tenant TENANT) and SUB2 (tenant TENANT2) with the service principal of TENANT;
/// `tenant2_signs_in` decides whether TENANT2's token endpoint issues it a token.
fn two_tenants(tenant2_signs_in: bool) -> (Setup, common::Run) {
    let s = setup_with(false, |base| {
        let json = |name: &str| answer(name, base);
        let token = if tenant2_signs_in {
            json("token-tenant2.json")
        } else {
            Reply::json(400, recorded("token-app-not-in-tenant.json", base))
        };
        vec![
            route("POST", format!("/{TENANT2}/oauth2/v2.0/token"), vec![token]),
            route(
                "GET",
                format!("/subscriptions/{SUB2}"),
                vec![json("subscription-tenant2.json")],
            ),
            // Graph answers for the tenant of the token: TENANT2's users only with its token.
            route("GET", "/v1.0/users", vec![json("graph-users-tenant2.json")])
                .with_authorization(TENANT2_TOKEN),
            route(
                "GET",
                "/v1.0/reports/authenticationMethods/userRegistrationDetails",
                vec![json("graph-registration-tenant2.json")],
            )
            .with_authorization(TENANT2_TOKEN),
        ]
    });
    let run = s.run(
        &["scan", "--output", "json=out.json"],
        &[
            "--subscription",
            SUB,
            "--subscription",
            SUB2,
            "--max-retries",
            "0",
        ],
    );
    (s, run)
}

/// (tenant, user name) of every Entra user in the scan's inventory.
fn users(result: &Value) -> BTreeSet<(String, String)> {
    result["inventory"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "azure.entra.user")
        .map(|r| {
            (
                r["account"].as_str().unwrap().to_string(),
                r["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_tenants_users_are_read_with_a_token_of_that_tenant() {
    let (s, run) = two_tenants(true);
    assert!(run.code == 1 || run.code == 3, "{}", run.stderr);
    let got = users(&result(s.dir.path()));
    let of = |tenant: &str| -> BTreeSet<String> {
        got.iter()
            .filter(|(t, _)| t == tenant)
            .map(|(_, n)| n.clone())
            .collect()
    };
    assert_eq!(
        of(TENANT),
        BTreeSet::from([
            "alice@acme.example".to_string(),
            "bob@acme.example".into(),
            "auditor_partner.example#EXT#@acme.onmicrosoft.com".into(),
            "former@acme.example".into(),
        ])
    );
    // TENANT2 has its own users, none of TENANT's copied under it.
    assert_eq!(
        of(TENANT2),
        BTreeSet::from(["carol@fabrikam.example".to_string()])
    );
    // The service principal signed in to TENANT2 itself, and TENANT2's users were asked for
    // with that token only.
    assert_eq!(s.peer.requests(&format!("/{TENANT2}/oauth2")).len(), 1);
    let user_calls = s.peer.requests("/v1.0/users");
    assert_eq!(user_calls.len(), 3, "{user_calls:?}"); // TENANT's two pages, TENANT2's one
    assert_eq!(
        user_calls
            .iter()
            .filter(|c| c.authorization.as_deref() == Some(TENANT2_TOKEN))
            .count(),
        1
    );
    let verdicts = verdicts(&result(s.dir.path()));
    assert!(verdicts.contains(&(
        "azure-entra-user-mfa".into(),
        "carol@fabrikam.example".into(),
        "fail".into()
    )));
}

#[test]
fn a_tenant_the_identity_cannot_sign_in_to_is_a_gap_not_the_home_tenants_users() {
    let (s, run) = two_tenants(false);
    assert_eq!(run.code, 1, "{}", run.stderr); // bob fails MFA in TENANT
    let result = result(s.dir.path());
    // No user is attributed to TENANT2: before, the home token read TENANT's users again.
    assert!(
        users(&result).iter().all(|(t, _)| t == TENANT),
        "{:?}",
        users(&result)
    );
    let gaps = result["inventory"]["gaps"].as_array().unwrap();
    // Its users and its sign-in policy alike.
    let kinds: BTreeSet<&str> = gaps
        .iter()
        .filter(|g| g["account"] == TENANT2)
        .flat_map(|g| g["kinds"].as_array().unwrap())
        .filter_map(|k| k.as_str())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["azure.entra.tenant", "azure.entra.user"]),
        "{gaps:?}"
    );
    let gap = gaps
        .iter()
        .find(|g| g["account"] == TENANT2)
        .unwrap_or_else(|| panic!("no gap for {TENANT2}: {gaps:?}"));
    let reason = gap["reason"].as_str().unwrap();
    // The token endpoint's own reason, not azure_core's generic one alone.
    assert!(reason.contains("AADSTS700016"), "{reason}");
    assert!(s
        .peer
        .requests("/v1.0/users")
        .iter()
        .all(|c| c.authorization.as_deref() != Some(TENANT2_TOKEN)));
}
