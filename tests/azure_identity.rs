//! Subscription owners, guest owners and custom administrator roles (Azure RBAC over Resource
//! Manager, owner groups and user types over Microsoft Graph), and the tenant's MFA enforcement
//! for administrators (security defaults, Conditional Access), read by the real binary from
//! recorded answers (tests/recorded/azure) served by the TLS peer of tests/common/azure.rs. Every
//! other service answers 404 here: tests/azure.rs and tests/azure_services.rs judge those. The
//! look-alikes are listed in tests/recorded/azure/README.md.

mod common;

use common::azure::{answer, recorded, refused, serve_tls, Setup, TENANT};
use common::peer::{route, Reply, Route};
use common::{set, verdict, verdicts_of};

/// Owners: two users and a pipeline through a group at a management group; narrow custom roles.
const SUB_A: &str = "a1111111-2222-3333-4444-555555555555";
/// Five owner accounts, a guest among them through a group; a `*` role less some actions.
const SUB_B: &str = "b1111111-2222-3333-4444-555555555555";
/// One user and a service principal; a custom role with `*` among other actions.
const SUB_C: &str = "c1111111-2222-3333-4444-555555555555";
/// An owner group Graph will not expand and an owner user without `userType`.
const SUB_D: &str = "d1111111-2222-3333-4444-555555555555";
/// Role assignments and role definitions denied: nothing read, a gap.
const SUB_E: &str = "e1111111-2222-3333-4444-555555555555";
/// The gap's stand-in resource.
const E_GAP: &str = "azure.authorization.subscription (not listed)";

const RBAC: &[&str] = &[
    "azure-rbac-owners-max-3",
    "azure-rbac-owners-min-2",
    "azure-rbac-no-guest-owners",
    "azure-rbac-no-custom-admin-roles",
    "azure-rbac-no-custom-role-assigners",
];
const ADMIN_MFA: &str = "azure-entra-admin-mfa-enforced";
const G1: &str = "61000000-0000-4000-8000-000000000001";
const G2: &str = "62000000-0000-4000-8000-000000000001";
const G3: &str = "63000000-0000-4000-8000-000000000001";
const ALICE: &str = "0a000000-0000-4000-8000-00000000a11c";
const FRANK: &str = "0f000000-0000-4000-8000-0000000000f0";
const GINA: &str = "09000000-0000-4000-8000-000000000901";
/// An owner user deleted from the directory; its assignment remains.
const DELETED: &str = "0d000000-0000-4000-8000-00000000dead";
const DEFAULTS: &str = "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy";
const CA: &str = "/v1.0/identity/conditionalAccess/policies";

fn forbidden(base: &str) -> Vec<Reply> {
    vec![Reply::json(403, recorded("graph-forbidden.json", base))]
}

/// The subscriptions, their role assignments and definitions, and Graph's users and groups;
/// the tenant's sign-in policy answers come from `tenant` (given the base URL).
fn routes(base: &str, tenant: impl FnOnce(&str) -> Vec<Route>) -> Vec<Route> {
    let json = |name: &str| answer(name, base);
    let denied = || refused(base);
    let authz = |sub: &str, what: &str| {
        format!("/subscriptions/{sub}/providers/Microsoft.Authorization/{what}")
    };
    let mut r = tenant(base);
    r.push(route(
        "POST",
        format!("/{TENANT}/oauth2/v2.0/token"),
        vec![json("token.json")],
    ));
    for sub in [SUB_A, SUB_B, SUB_C, SUB_D, SUB_E] {
        r.push(route(
            "GET",
            format!("/subscriptions/{sub}"),
            vec![json("subscription.json")],
        ));
    }
    for (sub, name) in [(SUB_A, "a"), (SUB_B, "b"), (SUB_C, "c"), (SUB_D, "d")] {
        r.push(route(
            "GET",
            authz(sub, "roleAssignments"),
            vec![json(&format!("rbac-assignments-{name}.json"))],
        ));
    }
    for (sub, file) in [
        (SUB_A, "rbac-roles-a.json"),
        (SUB_B, "rbac-roles-b.json"),
        (SUB_C, "rbac-roles-c.json"),
        (SUB_D, "empty-list.json"),
    ] {
        r.push(route(
            "GET",
            authz(sub, "roleDefinitions"),
            vec![json(file)],
        ));
    }
    r.push(route("GET", authz(SUB_E, "roleAssignments"), denied()));
    r.push(route("GET", authz(SUB_E, "roleDefinitions"), denied()));
    let members = |g: &str| format!("/v1.0/groups/{g}/transitiveMembers");
    r.extend([
        // Page 2 first: only page 2 carries the skip token.
        route(
            "GET",
            members(G1),
            vec![json("graph-members-g1-page2.json")],
        )
        .with_query("$skiptoken=members-page-2"),
        route(
            "GET",
            members(G1),
            vec![json("graph-members-g1-page1.json")],
        ),
        route("GET", members(G2), vec![json("graph-members-g2.json")]),
        route("GET", members(G3), forbidden(base)),
        route(
            "GET",
            format!("/v1.0/users/{ALICE}"),
            vec![json("graph-user-alice.json")],
        ),
        route(
            "GET",
            format!("/v1.0/users/{FRANK}"),
            vec![json("graph-user-frank.json")],
        ),
        route(
            "GET",
            format!("/v1.0/users/{DELETED}"),
            vec![Reply::json(
                404,
                recorded("graph-user-not-found.json", base),
            )],
        ),
    ]);
    r
}

/// Security defaults off; the look-alike policies on page 1, the one that qualifies on page 2.
fn qualifying_policy(base: &str) -> Vec<Route> {
    let json = |name: &str| answer(name, base);
    vec![
        route("GET", DEFAULTS, vec![json("security-defaults-off.json")]),
        route("GET", CA, vec![json("ca-policies-page2.json")]).with_query("$skiptoken=ca-page-2"),
        route("GET", CA, vec![json("ca-policies-page1.json")]),
    ]
}

fn scan(s: &Setup, subs: &[&str]) -> common::Run {
    let mut tail = Vec::new();
    for sub in subs {
        tail.extend(["--subscription", sub]);
    }
    tail.extend(["--max-retries", "1"]);
    s.run(&["scan", "--output", "json=out.json"], &tail)
}

#[test]
fn subscription_owners_guests_and_custom_roles_get_exact_verdicts() {
    let s = serve_tls(|base| routes(base, qualifying_policy));
    let run = scan(&s, &[SUB_A, SUB_B, SUB_C, SUB_D, SUB_E]);
    // Findings, and the other services answer 404: exit 1.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let result = s.result();
    let expected = set(&[
        // A: alice directly, and through the owner group at the management group (counted
        // once) with bob and a pipeline principal (a nested group is not an account); carol's
        // Owner of a resource group and dave's Contributor do not count.
        ("azure-rbac-owners-max-3", SUB_A, "pass"),
        ("azure-rbac-owners-min-2", SUB_A, "pass"),
        ("azure-rbac-no-guest-owners", SUB_A, "pass"),
        // A role assignable to a resource group only, `*/read`, `*` among dataActions only;
        // a role without `*` that writes role assignments, and one that reads them.
        ("azure-rbac-no-custom-admin-roles", SUB_A, "pass"),
        ("azure-rbac-no-custom-role-assigners", SUB_A, "fail"),
        // B: a service principal at `/`, alice, a managed identity, and a group of two (one a
        // guest): five accounts from four assignments; `*` less the Authorization writes.
        ("azure-rbac-owners-max-3", SUB_B, "fail"),
        ("azure-rbac-owners-min-2", SUB_B, "pass"),
        ("azure-rbac-no-guest-owners", SUB_B, "fail"),
        ("azure-rbac-no-custom-admin-roles", SUB_B, "fail"),
        ("azure-rbac-no-custom-role-assigners", SUB_B, "pass"),
        // C: two owner accounts, but one user (the assignment of a deleted user is no
        // account, and no unknown either); `*` beside a narrower action.
        ("azure-rbac-owners-max-3", SUB_C, "pass"),
        ("azure-rbac-owners-min-2", SUB_C, "fail"),
        ("azure-rbac-no-guest-owners", SUB_C, "pass"),
        ("azure-rbac-no-custom-admin-roles", SUB_C, "fail"),
        ("azure-rbac-no-custom-role-assigners", SUB_C, "fail"),
        // D: the owner group's members are denied; the owner user has no userType.
        ("azure-rbac-owners-max-3", SUB_D, "not_evaluated"),
        ("azure-rbac-owners-min-2", SUB_D, "not_evaluated"),
        ("azure-rbac-no-guest-owners", SUB_D, "not_evaluated"),
        ("azure-rbac-no-custom-admin-roles", SUB_D, "pass"),
        ("azure-rbac-no-custom-role-assigners", SUB_D, "pass"),
        // E: Resource Manager refuses both lists: a gap, its checks not evaluated.
        ("azure-rbac-owners-max-3", E_GAP, "not_evaluated"),
        ("azure-rbac-owners-min-2", E_GAP, "not_evaluated"),
        ("azure-rbac-no-guest-owners", E_GAP, "not_evaluated"),
        ("azure-rbac-no-custom-admin-roles", E_GAP, "not_evaluated"),
        (
            "azure-rbac-no-custom-role-assigners",
            E_GAP,
            "not_evaluated",
        ),
        // The tenant: security defaults off; six look-alikes and one policy that qualifies.
        (ADMIN_MFA, TENANT, "pass"),
    ]);
    let mut policies = RBAC.to_vec();
    policies.push(ADMIN_MFA);
    let got = verdicts_of(&result, &policies);
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded estate"
    );
    // The evidence: counts, the guest by object ID, the role, the policy and its exclusion.
    let a = verdict(&result, "azure-rbac-owners-max-3", SUB_A);
    assert_eq!(a["evidence"]["owner_accounts"], 3, "{a}");
    let b = verdict(&result, "azure-rbac-owners-max-3", SUB_B);
    assert_eq!(b["evidence"]["owner_accounts"], 5, "{b}");
    let guests = verdict(&result, "azure-rbac-no-guest-owners", SUB_B);
    assert_eq!(
        guests["evidence"]["guest_owners"],
        serde_json::json!([GINA])
    );
    let roles = verdict(&result, "azure-rbac-no-custom-admin-roles", SUB_B);
    assert_eq!(
        roles["evidence"]["custom_admin_roles"],
        serde_json::json!(["almost-owner (1b2c0000-0000-4000-8000-000000000001)"])
    );
    let granter = verdict(&result, "azure-rbac-no-custom-role-assigners", SUB_A);
    assert_eq!(
        granter["evidence"]["custom_role_assigners"],
        serde_json::json!(["access-granter (1a2c0000-0000-4000-8000-000000000004)"])
    );
    let c = verdict(&result, "azure-rbac-owners-min-2", SUB_C);
    assert_eq!(c["evidence"]["owner_users"], 1, "{c}");
    // The inventory keeps each Owner assignment counted, the deleted user's said so.
    let c_rbac = result["inventory"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "azure.authorization.subscription" && r["account"] == SUB_C)
        .unwrap()
        .clone();
    assert!(
        c_rbac["properties"]["owner_assignments"]
            .to_string()
            .contains(&format!(
                "User {DELETED} at /subscriptions/{SUB_C} (not in the directory)"
            )),
        "{c_rbac}"
    );
    let d = verdict(&result, "azure-rbac-owners-max-3", SUB_D);
    assert!(
        d.to_string().contains("GroupMember.Read.All")
            && d.to_string().contains("Authorization_RequestDenied"),
        "{d}"
    );
    let gap = result["inventory"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kinds"] == serde_json::json!(["azure.authorization.subscription"]))
        .expect("a gap for the denied role lists")
        .clone();
    assert_eq!(gap["account"], SUB_E, "{gap}");
    for op in [
        "Microsoft.Authorization/roleAssignments/read: AuthorizationFailed",
        "Microsoft.Authorization/roleDefinitions/read: AuthorizationFailed",
    ] {
        assert!(gap["reason"].as_str().unwrap().contains(op), "{gap}");
    }
    let mfa = verdict(&result, ADMIN_MFA, TENANT);
    assert_eq!(
        mfa["evidence"]["admin_mfa_uncovered_roles"],
        serde_json::json!([]),
        "{mfa}"
    );
    let text = result.to_string();
    assert!(
        text.contains("Require MFA for admins: 1 user excluded"),
        "the exclusion is reported"
    );
    // Both pages of members and policies were read; the resource-group owner and the
    // Contributor were never looked up; every role call asked at the subscription's scope
    // and above.
    assert_eq!(s.peer.requests("skiptoken=members-page-2").len(), 1);
    assert_eq!(s.peer.requests("skiptoken=ca-page-2").len(), 1);
    assert!(s
        .peer
        .requests("0c000000-0000-4000-8000-0000000000c0")
        .is_empty());
    assert!(s
        .peer
        .requests("0d000000-0000-4000-8000-0000000000d0")
        .is_empty());
    for r in s.peer.requests("roleAssignments") {
        assert!(r.target.contains("atScope()"), "{r:?}");
        assert!(r.target.contains("api-version=2022-04-01"), "{r:?}");
    }
    for r in s.peer.requests("roleDefinitions") {
        assert!(r.target.contains("CustomRole"), "{r:?}");
    }
}

/// The verdict of the admin MFA policy for the tenant (or for its gap, when nothing was read),
/// with `tenant`'s answers.
fn tenant_verdict(tenant: impl FnOnce(&str) -> Vec<Route>) -> serde_json::Value {
    let s = serve_tls(|base| routes(base, tenant));
    let run = scan(&s, &[SUB_A]);
    assert!(
        run.code == 0 || run.code == 1 || run.code == 3,
        "{}",
        run.stderr
    );
    let result = s.result();
    let mine: Vec<&serde_json::Value> = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["policy"] == ADMIN_MFA)
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    mine[0].clone()
}

#[test]
fn security_defaults_look_alikes_and_a_denied_read_decide_admin_mfa() {
    let json = |base: &str, name: &str| Reply::json(200, recorded(name, base));
    // Security defaults on, no Conditional Access policy.
    let on = tenant_verdict(|base| {
        vec![
            route(
                "GET",
                DEFAULTS,
                vec![json(base, "security-defaults-on.json")],
            ),
            route("GET", CA, vec![json(base, "empty-list.json")]),
        ]
    });
    assert_eq!(on["outcome"], "pass", "{on}");
    // Security defaults off and only look-alikes: report-only, MFA or a compliant device, an
    // excluded group, one app, trusted locations left out, a strength that lets SMS sign-in.
    let lookalikes = tenant_verdict(|base| {
        vec![
            route(
                "GET",
                DEFAULTS,
                vec![json(base, "security-defaults-off.json")],
            ),
            route("GET", CA, vec![json(base, "ca-policies-lookalikes.json")]),
        ]
    });
    // ... and one enforced for Global Administrators only: every other administrator role
    // is left to passwords.
    assert_eq!(lookalikes["outcome"], "fail", "{lookalikes}");
    let uncovered = lookalikes["evidence"]["admin_mfa_uncovered_roles"]
        .as_array()
        .unwrap();
    assert_eq!(uncovered.len(), 13, "{lookalikes}");
    assert!(
        uncovered.contains(&serde_json::json!("Privileged Role Administrator"))
            && !uncovered.contains(&serde_json::json!("Global Administrator")),
        "{lookalikes}"
    );
    // Policy.Read.All missing: both reads denied, a gap over the tenant's sign-in policy; not
    // evaluated, the permission named.
    let denied = tenant_verdict(|base| {
        vec![
            route("GET", DEFAULTS, forbidden(base)),
            route("GET", CA, forbidden(base)),
        ]
    });
    assert_eq!(denied["outcome"], "not_evaluated", "{denied}");
    assert_eq!(
        denied["resource"]["name"], "azure.entra.tenant (not listed)",
        "{denied}"
    );
    assert!(denied.to_string().contains("Policy.Read.All"), "{denied}");
    // Security defaults denied, but a qualifying policy read: settled.
    let partly = tenant_verdict(|base| {
        let mut r = qualifying_policy(base);
        r.insert(0, route("GET", DEFAULTS, forbidden(base)));
        r
    });
    assert_eq!(partly["outcome"], "pass", "{partly}");
}
