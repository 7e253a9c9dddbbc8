//! Azure Backup of VMs (Recovery Services vaults, their protected items and backup policies) and
//! the backup storage redundancy of Azure SQL databases, read by the real binary from recorded
//! Resource Manager answers (tests/recorded/azure/backup-*.json) served by the TLS peer of
//! tests/common/azure.rs. Every other call answers 404 here (its own gap or unknown property):
//! tests/azure.rs judges those. The estate is written for its look-alikes, listed in
//! tests/recorded/azure/README.md.

mod common;

use common::azure::{answer, refused, serve_tls, Setup, TENANT};
use common::peer::{route, Route};
use common::{set, verdict, verdicts, written_for};
use serde_json::Value;

const SUB: &str = "11111111-2222-3333-4444-555555555555";

fn routes(base: &str) -> Vec<Route> {
    let json = |name: &str| answer(name, base);
    let denied = || refused(base);
    let sub = format!("/subscriptions/{SUB}");
    let vault = |rg: &str, name: &str| {
        format!("{sub}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{name}")
    };
    let sql = format!("{sub}/resourceGroups/phi-prod/providers/Microsoft.Sql/servers/acme-sql");
    vec![
        route(
            "POST",
            format!("/{TENANT}/oauth2/v2.0/token"),
            vec![json("token.json")],
        ),
        route("GET", sub.clone(), vec![json("subscription.json")]),
        route(
            "GET",
            format!("{sub}/providers/Microsoft.Compute/virtualMachines"),
            vec![json("backup-vms.json")],
        ),
        route(
            "GET",
            format!("{sub}/providers/Microsoft.Compute/disks"),
            vec![json("empty-list.json")],
        ),
        route(
            "GET",
            format!("{sub}/providers/Microsoft.Network/networkInterfaces"),
            vec![json("empty-list.json")],
        ),
        route(
            "GET",
            format!("{sub}/providers/Microsoft.RecoveryServices/vaults"),
            vec![json("backup-vaults.json")],
        ),
        route(
            "GET",
            format!("{}/backupProtectedItems", vault("phi-prod", "acme-rsv")),
            vec![json("backup-items-acme-rsv.json")],
        ),
        route(
            "GET",
            format!("{}/backupProtectedItems", vault("dr", "acme-rsv-dr")),
            vec![json("empty-list.json")],
        ),
        route(
            "GET",
            format!("{}/backupProtectedItems", vault("billing", "locked-rsv")),
            vec![json("backup-items-locked-rsv.json")],
        ),
        // Page 2 first: routes match in order, and only page 2 carries the skip token.
        route(
            "GET",
            format!("{}/backupPolicies", vault("phi-prod", "acme-rsv")),
            vec![json("backup-policies-acme-rsv-page2.json")],
        )
        .with_query("$skipToken=policies-2"),
        route(
            "GET",
            format!("{}/backupPolicies", vault("phi-prod", "acme-rsv")),
            vec![json("backup-policies-acme-rsv-page1.json")],
        ),
        route(
            "GET",
            format!("{}/backupPolicies", vault("dr", "acme-rsv-dr")),
            vec![json("backup-policies-acme-rsv-dr.json")],
        ),
        route(
            "GET",
            format!("{}/backupPolicies", vault("billing", "locked-rsv")),
            denied(),
        ),
        route(
            "GET",
            format!("{sub}/providers/Microsoft.Sql/servers"),
            vec![json("backup-sql-servers.json")],
        ),
        route(
            "GET",
            format!("{sql}/databases"),
            vec![json("backup-sql-databases.json")],
        ),
    ]
}

fn scan(s: &Setup) -> common::Run {
    s.run(
        &["scan", "--output", "json=out.json"],
        &["--subscription", SUB, "--max-retries", "1"],
    )
}

#[test]
fn vm_backup_retention_and_sql_geo_backups_get_exact_verdicts() {
    let s = serve_tls(routes);
    let run = scan(&s);
    // Findings, and the other services' 404s: exit 1 (findings outrank an incomplete scan).
    assert_eq!(run.code, 1, "{}", run.stderr);
    let result = s.result();
    let retention = "azure-vm-backup-retention";
    let geo = "azure-sql-database-geo-backup";
    let expected = set(&[
        // Daily, kept 35 days; its item names the policy with `/Subscriptions/`.
        (retention, "ehr-vm", "pass"),
        ("azure-vm-backup", "ehr-vm", "pass"),
        // DefaultPolicy: daily points kept 30 days.
        (retention, "web-vm", "fail"),
        ("azure-vm-backup", "web-vm", "pass"),
        // Weekly, weekly points kept 104 weeks and monthly 60 months: no daily point.
        (retention, "archive-vm", "fail"),
        ("azure-vm-backup", "archive-vm", "pass"),
        // Enhanced hourly policy (on the listing's second page), daily points kept 180 days;
        // its first backup is still pending.
        (retention, "hourly-vm", "pass"),
        ("azure-vm-backup", "hourly-vm", "pass"),
        // Its policy is the DR vault's DefaultPolicy (60 days), not this vault's (30 days).
        (retention, "moved-vm", "pass"),
        ("azure-vm-backup", "moved-vm", "pass"),
        // Its policy is in no listing.
        (retention, "orphan-vm", "not_evaluated"),
        ("azure-vm-backup", "orphan-vm", "pass"),
        // Protection stopped: the backup check fails it, retention does not apply.
        (retention, "stopped-vm", "not_applicable"),
        ("azure-vm-backup", "stopped-vm", "fail"),
        // Its vault's policies are denied.
        (retention, "billing-vm", "not_evaluated"),
        ("azure-vm-backup", "billing-vm", "pass"),
        // No vault protects it.
        (retention, "scratch-vm", "not_applicable"),
        ("azure-vm-backup", "scratch-vm", "fail"),
        // Databases in ePHI scope; `master` (tagged all the same) is never listed, `scratch`
        // is out of scope.
        (geo, "acme-sql/ehr", "pass"),
        (geo, "acme-sql/claims", "pass"),
        (geo, "acme-sql/reports", "fail"),
        (geo, "acme-sql/zonal", "fail"),
        (geo, "acme-sql/leaving", "fail"),
        (geo, "acme-sql/arriving", "fail"),
        (geo, "acme-sql/legacy", "not_evaluated"),
    ]);
    let got = written_for(verdicts(&result), &expected);
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded estate"
    );

    // Reasons name the call that failed, or what is missing; evidence shows what was judged.
    let billing = verdict(&result, retention, "billing-vm");
    assert!(
        billing["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("Microsoft.RecoveryServices/vaults/backupPolicies/read: AuthorizationFailed"),
        "{billing}"
    );
    let orphan = verdict(&result, retention, "orphan-vm");
    assert!(
        orphan["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("backupPolicies/RetiredPolicy is not in its vault's listing"),
        "{orphan}"
    );
    let archive = verdict(&result, retention, "archive-vm");
    assert_eq!(
        archive["evidence"]["backup_frequency"], "Weekly",
        "{archive}"
    );
    assert_eq!(
        archive["evidence"]["backup_daily_retention_days"],
        Value::Null,
        "{archive}"
    );
    let moved = verdict(&result, retention, "moved-vm");
    assert_eq!(
        moved["evidence"]["backup_daily_retention_days"], 60,
        "{moved}"
    );
    let leaving = verdict(&result, geo, "acme-sql/leaving");
    assert_eq!(
        leaving["evidence"]["requested_backup_storage_redundancy"], "Local",
        "{leaving}"
    );
    let legacy = verdict(&result, geo, "acme-sql/legacy");
    assert!(
        legacy["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("currentBackupStorageRedundancy"),
        "{legacy}"
    );

    // Policies are read once per vault an active item names (two pages for acme-rsv), at the
    // vaults' api-version.
    let calls = s.peer.requests("/backupPolicies");
    assert_eq!(calls.len(), 4, "{calls:?}");
    for c in &calls {
        assert!(c.target.contains("api-version=2024-04-01"), "{c:?}");
    }
    assert_eq!(s.peer.requests("skipToken=policies-2").len(), 1);

    // The snapshot of `inventory azure` gives the same verdicts.
    let inv = s.run(
        &["inventory", "--output", "estate.json"],
        &["--subscription", SUB, "--max-retries", "1"],
    );
    assert!(inv.code == 0 || inv.code == 3, "{}", inv.stderr);
    let replay = common::hipaa_scan(
        &["scan", "--snapshot", "estate.json", "--format", "json"],
        s.dir.path(),
    );
    assert_eq!(replay.code, 1, "{}", replay.stderr);
    assert_eq!(
        written_for(
            verdicts(&serde_json::from_str(&replay.stdout).unwrap()),
            &expected
        ),
        expected
    );
}

#[test]
fn denied_vaults_leave_protection_and_retention_unknown() {
    let s = serve_tls(|base| {
        let mut r = vec![route(
            "GET",
            format!("/subscriptions/{SUB}/providers/Microsoft.RecoveryServices/vaults"),
            refused(base),
        )];
        r.extend(routes(base));
        r
    });
    let run = scan(&s);
    assert!(run.code == 1 || run.code == 3, "{}", run.stderr);
    let result = s.result();
    for vm in ["ehr-vm", "stopped-vm", "scratch-vm"] {
        for policy in ["azure-vm-backup", "azure-vm-backup-retention"] {
            let v = verdict(&result, policy, vm);
            assert_eq!(v["outcome"], "not_evaluated", "{v}");
            assert!(
                v["reason"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("Microsoft.RecoveryServices/vaults/read: AuthorizationFailed"),
                "{v}"
            );
        }
    }
    assert!(s.peer.requests("/backupProtectedItems").is_empty());
    assert!(s.peer.requests("/backupPolicies").is_empty());
}
