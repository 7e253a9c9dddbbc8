//! AKS clusters, Event Hubs and Service Bus namespaces (with their network rule sets) and Azure AI
//! services accounts, read by the real binary from recorded Resource Manager answers
//! (tests/recorded/azure) served by the TLS peer of tests/common/azure.rs. Every other service of
//! the subscription answers 404 here (its own gap): tests/azure.rs judges those. The estate is
//! written for its look-alikes, listed in tests/recorded/azure/README.md.

mod common;

use common::azure::{answer, refused, serve_tls, Setup, TENANT};
use common::peer::{route, Route};
use common::{set, verdicts_of};

const SUB: &str = "11111111-2222-3333-4444-555555555555";
const DENIED: &str = "99999999-2222-3333-4444-555555555555";

/// The policies this estate is written for.
const POLICIES: &[&str] = &[
    "azure-aks-rbac-enabled",
    "azure-aks-entra-integration",
    "azure-aks-local-accounts-disabled",
    "azure-aks-api-server-restricted",
    "azure-aks-disk-cmk",
    "azure-aks-defender-profile",
    "azure-messaging-min-tls12",
    "azure-messaging-network-restricted",
    "azure-messaging-local-auth-disabled",
    "azure-messaging-cmk",
    "azure-aiservices-network-restricted",
    "azure-aiservices-local-auth-disabled",
    "azure-aiservices-cmk",
];

/// The list calls of the four services, under a subscription.
fn lists(sub: &str) -> [String; 4] {
    let p = format!("/subscriptions/{sub}/providers");
    [
        format!("{p}/Microsoft.ContainerService/managedClusters"),
        format!("{p}/Microsoft.EventHub/namespaces"),
        format!("{p}/Microsoft.ServiceBus/namespaces"),
        format!("{p}/Microsoft.CognitiveServices/accounts"),
    ]
}

fn routes(base: &str) -> Vec<Route> {
    let json = |name: &str| answer(name, base);
    let denied = || refused(base);
    let rg = format!("/subscriptions/{SUB}/resourceGroups");
    let [clusters, eventhubs, servicebuses, accounts] = lists(SUB);
    let mut r = vec![
        route("POST", format!("/{TENANT}/oauth2/v2.0/token"), vec![json("token.json")]),
        route("GET", format!("/subscriptions/{SUB}"), vec![json("subscription.json")]),
        route("GET", clusters, vec![json("aks-clusters.json")]),
        route("GET", eventhubs, vec![json("eventhub-namespaces.json")]),
        route("GET", servicebuses, vec![json("servicebus-namespaces.json")]),
        // Page 2 first: routes match in order, and only page 2 carries the skip token.
        route("GET", accounts.clone(), vec![json("cognitive-accounts-page2.json")])
            .with_query("$skipToken=ai-page-2"),
        route("GET", accounts, vec![json("cognitive-accounts-page1.json")]),
        route(
            "GET",
            format!("{rg}/phi-prod/providers/Microsoft.EventHub/namespaces/acme-events/networkRuleSets/default"),
            vec![json("eventhub-rules-acme-events.json")],
        ),
        // The rule set of a namespace whose public access is off is denied: it does not matter.
        route(
            "GET",
            format!("{rg}/phi-prod/providers/Microsoft.EventHub/namespaces/acme-telemetry/networkRuleSets/default"),
            denied(),
        ),
        route(
            "GET",
            format!("{rg}/phi-prod/providers/Microsoft.ServiceBus/namespaces/acme-queue/networkRuleSets/default"),
            vec![json("servicebus-rules-acme-queue.json")],
        ),
        route(
            "GET",
            format!("{rg}/phi-prod/providers/Microsoft.ServiceBus/namespaces/acme-bus/networkRuleSets/default"),
            vec![json("servicebus-rules-acme-bus.json")],
        ),
        // Here it matters: the namespace is public, so its firewall decides.
        route(
            "GET",
            format!("{rg}/dr/providers/Microsoft.ServiceBus/namespaces/acme-bus-dr/networkRuleSets/default"),
            denied(),
        ),
        route("GET", format!("/subscriptions/{DENIED}"), denied()),
    ];
    r.extend(lists(DENIED).into_iter().map(|l| route("GET", l, denied())));
    r
}

fn setup() -> Setup {
    serve_tls(routes)
}

fn scan(s: &Setup, sub: &str) -> common::Run {
    s.run(
        &["scan", "--output", "json=out.json"],
        &["--subscription", sub, "--max-retries", "1"],
    )
}

#[test]
fn aks_messaging_and_ai_services_get_exact_verdicts() {
    let s = setup();
    let run = scan(&s, SUB);
    // Findings, and the rule sets denied: exit 1 (findings outrank an incomplete scan).
    assert_eq!(run.code, 1, "{}", run.stderr);
    let result = s.result();
    let expected = set(&[
        // aks-prod: private, Entra ID only, its own disk key, the Defender sensor.
        ("azure-aks-rbac-enabled", "aks-prod", "pass"),
        ("azure-aks-entra-integration", "aks-prod", "pass"),
        ("azure-aks-local-accounts-disabled", "aks-prod", "pass"),
        ("azure-aks-api-server-restricted", "aks-prod", "pass"),
        ("azure-aks-disk-cmk", "aks-prod", "pass"),
        ("azure-aks-defender-profile", "aks-prod", "pass"),
        // aks-legacy: its authorized range is 0.0.0.0/0; no `disableLocalAccounts` (on by
        // default), no Entra ID, no disk encryption set, an empty security profile.
        ("azure-aks-rbac-enabled", "aks-legacy", "fail"),
        ("azure-aks-entra-integration", "aks-legacy", "fail"),
        ("azure-aks-local-accounts-disabled", "aks-legacy", "fail"),
        ("azure-aks-api-server-restricted", "aks-legacy", "fail"),
        ("azure-aks-disk-cmk", "aks-legacy", "fail"),
        ("azure-aks-defender-profile", "aks-legacy", "fail"),
        // aks-office: public but limited to an office range and one address; the retired
        // Entra ID application integration still signs users in; out of ePHI scope.
        ("azure-aks-rbac-enabled", "aks-office", "pass"),
        ("azure-aks-entra-integration", "aks-office", "pass"),
        ("azure-aks-local-accounts-disabled", "aks-office", "fail"),
        ("azure-aks-api-server-restricted", "aks-office", "pass"),
        ("azure-aks-defender-profile", "aks-office", "fail"),
        // aks-halves: no `enableRBAC` in the answer; an `aadProfile` naming no integration;
        // two /1 ranges that are the internet; an empty disk encryption set ID.
        ("azure-aks-rbac-enabled", "aks-halves", "not_evaluated"),
        ("azure-aks-entra-integration", "aks-halves", "not_evaluated"),
        ("azure-aks-local-accounts-disabled", "aks-halves", "fail"),
        ("azure-aks-api-server-restricted", "aks-halves", "fail"),
        ("azure-aks-disk-cmk", "aks-halves", "fail"),
        ("azure-aks-defender-profile", "aks-halves", "fail"),
        // acme-events: its rule set denies by default but holds no rule, so it is open.
        ("azure-messaging-min-tls12", "acme-events", "pass"),
        ("azure-messaging-network-restricted", "acme-events", "fail"),
        ("azure-messaging-local-auth-disabled", "acme-events", "pass"),
        ("azure-messaging-cmk", "acme-events", "not_applicable"),
        // acme-telemetry: no TLS minimum in the answer; public access off (its unreadable rule
        // set does not matter); a Key Vault key source that names no key.
        (
            "azure-messaging-min-tls12",
            "acme-telemetry",
            "not_evaluated",
        ),
        (
            "azure-messaging-network-restricted",
            "acme-telemetry",
            "pass",
        ),
        (
            "azure-messaging-local-auth-disabled",
            "acme-telemetry",
            "fail",
        ),
        ("azure-messaging-cmk", "acme-telemetry", "fail"),
        // acme-queue: TLS 1.0; public access on, but only an office range gets through.
        ("azure-messaging-min-tls12", "acme-queue", "fail"),
        ("azure-messaging-network-restricted", "acme-queue", "pass"),
        ("azure-messaging-local-auth-disabled", "acme-queue", "pass"),
        ("azure-messaging-cmk", "acme-queue", "pass"),
        // acme-bus: Deny with one rule, 0.0.0.0/0.
        ("azure-messaging-min-tls12", "acme-bus", "pass"),
        ("azure-messaging-network-restricted", "acme-bus", "fail"),
        ("azure-messaging-local-auth-disabled", "acme-bus", "fail"),
        ("azure-messaging-cmk", "acme-bus", "not_applicable"),
        // acme-bus-dr: public, and its rule set is denied; out of ePHI scope.
        ("azure-messaging-min-tls12", "acme-bus-dr", "pass"),
        (
            "azure-messaging-network-restricted",
            "acme-bus-dr",
            "not_evaluated",
        ),
        ("azure-messaging-local-auth-disabled", "acme-bus-dr", "pass"),
        // acme-openai: public access on, firewall Deny with an office range; platform key.
        ("azure-aiservices-network-restricted", "acme-openai", "pass"),
        (
            "azure-aiservices-local-auth-disabled",
            "acme-openai",
            "pass",
        ),
        ("azure-aiservices-cmk", "acme-openai", "fail"),
        // acme-language: no firewall at all; keys on; its own key.
        (
            "azure-aiservices-network-restricted",
            "acme-language",
            "fail",
        ),
        (
            "azure-aiservices-local-auth-disabled",
            "acme-language",
            "fail",
        ),
        ("azure-aiservices-cmk", "acme-language", "pass"),
        // acme-vision (page 2): Deny whose one rule is the internet; its kind takes no CMK.
        ("azure-aiservices-network-restricted", "acme-vision", "fail"),
        (
            "azure-aiservices-local-auth-disabled",
            "acme-vision",
            "fail",
        ),
        ("azure-aiservices-cmk", "acme-vision", "not_applicable"),
        // acme-speech: public access off beside an Allow firewall; acme-docs: Deny with no rule
        // (for AI services, private endpoints only, unlike Event Hubs and Service Bus).
        ("azure-aiservices-network-restricted", "acme-speech", "pass"),
        (
            "azure-aiservices-local-auth-disabled",
            "acme-speech",
            "pass",
        ),
        ("azure-aiservices-network-restricted", "acme-docs", "pass"),
        ("azure-aiservices-local-auth-disabled", "acme-docs", "pass"),
    ]);
    let got = verdicts_of(&result, POLICIES);
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&(String, String, String)>::new(),
        "verdicts differ from the recorded estate"
    );
    // The new kinds resolve to their BAA entries: AKS, Event Hubs, Service Bus, AI services.
    let eligible = verdicts_of(&result, &["azure-service-hipaa-eligible"]);
    for name in [
        "aks-prod",
        "acme-events",
        "acme-queue",
        "acme-openai",
        "acme-docs",
    ] {
        assert!(
            eligible.contains(&(
                "azure-service-hipaa-eligible".into(),
                name.into(),
                "pass".into()
            )),
            "{name}: {eligible:?}"
        );
    }
    let verdict = |policy: &str, name: &str| common::verdict(&result, policy, name).clone();
    // Evidence names why a look-alike is open, and reasons name the call that failed.
    let halves = verdict("azure-aks-api-server-restricted", "aks-halves");
    assert_eq!(
        halves["evidence"]["internet_open_authorized_ranges"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{halves}"
    );
    let events = verdict("azure-messaging-network-restricted", "acme-events");
    assert_eq!(events["evidence"]["network_rules"], 0, "{events}");
    let dr = verdict("azure-messaging-network-restricted", "acme-bus-dr");
    assert!(
        dr.to_string()
            .contains("Microsoft.ServiceBus/namespaces/networkRuleSets/read: AuthorizationFailed"),
        "{dr}"
    );
    let tls = verdict("azure-messaging-min-tls12", "acme-telemetry");
    assert!(tls.to_string().contains("minimumTlsVersion"), "{tls}");
    // Both pages of accounts were read; every call named the api-version its module reads.
    assert_eq!(s.peer.requests("skipToken=ai-page-2").len(), 1);
    for (call, version) in [
        ("Microsoft.ContainerService/managedClusters?", "2024-09-01"),
        ("Microsoft.EventHub/namespaces?", "2024-01-01"),
        ("networkRuleSets/default?", "2024-01-01"),
        ("Microsoft.ServiceBus/namespaces?", "2024-01-01"),
        ("Microsoft.CognitiveServices/accounts?", "2024-10-01"),
    ] {
        let seen = s.peer.requests(call);
        assert!(!seen.is_empty(), "{call} was not called");
        for r in seen {
            assert!(
                r.target.contains(&format!("api-version={version}")),
                "{r:?}"
            );
        }
    }
    assert_eq!(s.peer.requests("networkRuleSets/default").len(), 5);
}

#[test]
fn denied_lists_are_gaps_and_their_checks_are_not_evaluated() {
    let s = setup();
    let run = scan(&s, DENIED);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let result = s.result();
    let gap = |kind: &str| format!("{kind} (not listed)");
    let mut expected = std::collections::BTreeSet::new();
    for (policy, kinds) in [
        (
            "azure-aks-rbac-enabled",
            &["azure.containerservice.managed_cluster"][..],
        ),
        (
            "azure-aks-entra-integration",
            &["azure.containerservice.managed_cluster"],
        ),
        (
            "azure-aks-local-accounts-disabled",
            &["azure.containerservice.managed_cluster"],
        ),
        (
            "azure-aks-api-server-restricted",
            &["azure.containerservice.managed_cluster"],
        ),
        (
            "azure-aks-disk-cmk",
            &["azure.containerservice.managed_cluster"],
        ),
        (
            "azure-aks-defender-profile",
            &["azure.containerservice.managed_cluster"],
        ),
        (
            "azure-aiservices-network-restricted",
            &["azure.cognitiveservices.account"],
        ),
        (
            "azure-aiservices-local-auth-disabled",
            &["azure.cognitiveservices.account"],
        ),
        ("azure-aiservices-cmk", &["azure.cognitiveservices.account"]),
    ] {
        for k in kinds {
            expected.insert((policy.to_string(), gap(k), "not_evaluated".to_string()));
        }
    }
    for policy in POLICIES
        .iter()
        .filter(|p| p.starts_with("azure-messaging-"))
    {
        for k in ["azure.eventhub.namespace", "azure.servicebus.namespace"] {
            expected.insert((policy.to_string(), gap(k), "not_evaluated".to_string()));
        }
    }
    assert_eq!(verdicts_of(&result, POLICIES), expected);
    let gaps = result["inventory"]["gaps"].as_array().unwrap();
    for (kind, op) in [
        (
            "azure.containerservice.managed_cluster",
            "Microsoft.ContainerService/managedClusters/read",
        ),
        (
            "azure.eventhub.namespace",
            "Microsoft.EventHub/namespaces/read",
        ),
        (
            "azure.servicebus.namespace",
            "Microsoft.ServiceBus/namespaces/read",
        ),
        (
            "azure.cognitiveservices.account",
            "Microsoft.CognitiveServices/accounts/read",
        ),
    ] {
        let g = gaps
            .iter()
            .find(|g| g["kinds"] == serde_json::json!([kind]))
            .unwrap_or_else(|| panic!("no gap for {kind}: {gaps:?}"));
        assert_eq!(g["account"], DENIED);
        let reason = g["reason"].as_str().unwrap();
        assert!(
            reason.contains(&format!("{op}: AuthorizationFailed")),
            "{reason}"
        );
    }
    // Nothing is read for a namespace that was never listed.
    assert!(s.peer.requests("networkRuleSets").is_empty());
}
