//! Tests of the parent module.

use super::*;
use serde_json::json;

fn entry(method: &str, action: &str, role: &str) -> Value {
    json!({
        "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
        "resource": {"type": "project"},
        "protoPayload": {
            "serviceName": "cloudresourcemanager.googleapis.com",
            "methodName": method,
            "serviceData": {"policyDelta": {"bindingDeltas": [
                {"action": "ADD", "role": "roles/viewer", "member": "user:a@example.com"},
                {"action": action, "role": role, "member": "user:b@example.com"}
            ]}}
        }
    })
}

fn run(filter: &str, e: &Value) -> Option<bool> {
    matches(&parse(filter).unwrap().unwrap(), e)
}

#[test]
fn or_binds_tighter_than_and() {
    let e = entry("SetIamPolicy", "ADD", "roles/owner");
    // a AND b OR c: a AND (b OR c). `a` is false, so the whole is false even though c holds.
    assert_eq!(
        run(
            r#"resource.type="gce_instance" AND protoPayload.methodName="Nope" OR protoPayload.methodName="SetIamPolicy""#,
            &e
        ),
        Some(false)
    );
    assert_eq!(
        run(
            r#"resource.type="project" AND protoPayload.methodName="Nope" OR protoPayload.methodName="SetIamPolicy""#,
            &e
        ),
        Some(true)
    );
}

#[test]
fn cis_project_ownership_filter() {
    let cis = r#"(protoPayload.serviceName="cloudresourcemanager.googleapis.com") AND (ProjectOwnership OR projectOwnerInvitee) OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="REMOVE" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner") OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="ADD" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")"#;
    assert_eq!(
        run(cis, &entry("SetIamPolicy", "ADD", "roles/owner")),
        Some(true)
    );
    assert_eq!(
        run(cis, &entry("SetIamPolicy", "REMOVE", "roles/owner")),
        Some(true)
    );
    assert_eq!(
        run(cis, &entry("SetIamPolicy", "ADD", "roles/editor")),
        Some(false)
    );
}

#[test]
fn has_equals_case_presence_and_lists() {
    let e = json!({"resource": {"type": "gce_firewall_rule"},
        "protoPayload": {"methodName": "v1.compute.firewalls.insert"}});
    assert_eq!(
        run(r#"protoPayload.methodName:"compute.firewalls.insert""#, &e),
        Some(true)
    );
    assert_eq!(
        run(r#"protoPayload.methodName="compute.firewalls.insert""#, &e),
        Some(false)
    );
    assert_eq!(
        run(
            r#"protoPayload.methodName="V1.COMPUTE.FIREWALLS.INSERT""#,
            &e
        ),
        Some(true)
    );
    assert_eq!(run("protoPayload.methodName:*", &e), Some(true));
    assert_eq!(run("protoPayload.serviceData:*", &e), Some(false));
    assert_eq!(
        run(
            r#"proto_payload.method_name:("firewalls.patch" OR "firewalls.insert")"#,
            &e
        ),
        Some(true)
    );
    assert_eq!(
        run(r#"NOT resource.type="gce_firewall_rule""#, &e),
        Some(false)
    );
    assert_eq!(run(r#"-resource.type="gce_route""#, &e), Some(true));
    assert_eq!(run("firewalls", &e), Some(true));
}

#[test]
fn what_is_not_run_is_unknown() {
    let e = json!({"protoPayload": {"methodName": "storage.setIamPermissions"}});
    assert_eq!(run(r#"protoPayload.methodName=~"setIam.*""#, &e), None);
    assert_eq!(run(r#"SEARCH("setIam")"#, &e), None);
    assert_eq!(run(r#"severity!="DEBUG""#, &e), None);
    // Decided without the unknown part.
    assert_eq!(
        run(
            r#"protoPayload.methodName="x" AND protoPayload.methodName=~"y""#,
            &e
        ),
        Some(false)
    );
    assert!(parse(r#"(protoPayload.methodName="x""#).is_err());
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(parse(&deep).unwrap_err().contains("nested"));
    let nots = format!("{}a", "NOT ".repeat(10_000));
    assert!(parse(&nots).is_err());
    for junk in ["a =", "= b", "f(", ")", "a:(b", "'open", "x != ", "!"] {
        assert!(parse(junk).is_err(), "{junk}");
    }
    assert_eq!(parse("  ").unwrap(), None);
}

#[test]
fn log_id_function() {
    let e = entry("SetIamPolicy", "ADD", "roles/owner");
    assert_eq!(
        run(r#"log_id("cloudaudit.googleapis.com/activity")"#, &e),
        Some(true)
    );
    assert_eq!(
        run(r#"LOG_ID("cloudaudit.googleapis.com/data_access")"#, &e),
        Some(false)
    );
}
