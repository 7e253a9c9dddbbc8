use super::*;
use serde_json::json;

const SUB: &str = "11111111-2222-3333-4444-555555555555";

fn assignment(role: &str, scope: &str, ty: &str, id: &str) -> Value {
    json!({"properties": {"roleDefinitionId": role, "scope": scope, "principalType": ty, "principalId": id}})
}

#[test]
fn owners_are_told_by_role_guid_and_scope() {
    let owner =
        format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{OWNER}");
    let upper = format!(
        "/providers/Microsoft.Authorization/roleDefinitions/{}",
        OWNER.to_uppercase()
    );
    let contributor =
        "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c";
    let got = owner_assignments(
        &[
            assignment(&owner, &format!("/subscriptions/{SUB}"), "User", "A"),
            assignment(
                &upper,
                "/providers/Microsoft.Management/managementGroups/root",
                "Group",
                "g",
            ),
            assignment(&upper, "/", "ServicePrincipal", "s"),
            assignment(
                &owner,
                &format!("/subscriptions/{SUB}/resourceGroups/rg"),
                "User",
                "b",
            ),
            assignment(
                &owner,
                "/subscriptions/00000000-2222-3333-4444-555555555555",
                "User",
                "c",
            ),
            assignment(contributor, &format!("/subscriptions/{SUB}"), "User", "d"),
        ],
        SUB,
    )
    .unwrap();
    let ids: Vec<&str> = got.iter().map(|o| o.principal_id.as_str()).collect();
    assert_eq!(ids, ["a", "g", "s"]);
    let missing = json!({"properties": {"roleDefinitionId": owner, "principalId": "x"}});
    assert!(owner_assignments(&[missing], SUB)
        .unwrap_err()
        .contains("scope"));
}

#[test]
fn custom_roles_with_every_action_where_they_reach_the_subscription() {
    let role = |name: &str, actions: Value, data: Value, scopes: Value| {
        json!({"name": name, "properties": {"roleName": name, "type": "CustomRole",
            "permissions": [{"actions": actions, "notActions": ["Microsoft.Authorization/*/Write"], "dataActions": data}],
            "assignableScopes": scopes}})
    };
    let sub = format!("/subscriptions/{SUB}");
    let got = custom_roles(
        &[
            role("star", json!(["*"]), json!([]), json!([sub])),
            role(
                "mg",
                json!(["*"]),
                json!([]),
                json!(["/providers/Microsoft.Management/managementGroups/x"]),
            ),
            role(
                "rg",
                json!(["*"]),
                json!([]),
                json!([format!("{sub}/resourceGroups/rg")]),
            ),
            role("reader", json!(["*/read"]), json!([]), json!([sub])),
            role(
                "data",
                json!(["Microsoft.Storage/*/read"]),
                json!(["*"]),
                json!([sub]),
            ),
            json!({"name": "builtin", "properties": {"type": "BuiltInRole"}}),
        ],
        SUB,
    )
    .unwrap();
    assert_eq!(got.admin, ["mg (mg)", "star (star)"]);
    // `*` less every Microsoft.Authorization write hands out no role.
    assert!(got.assigners.is_empty(), "{got:?}");
}

#[test]
fn custom_roles_that_can_hand_out_roles_escalate_to_owner() {
    let role = |name: &str, actions: Value, not: Value| {
        json!({"name": name, "properties": {"roleName": name, "type": "CustomRole",
            "permissions": [{"actions": actions, "notActions": not}],
            "assignableScopes": [format!("/subscriptions/{SUB}")]}})
    };
    let got = custom_roles(
        &[
            // Role assignments by name, in another case.
            role(
                "assigner",
                json!(["microsoft.authorization/roleAssignments/WRITE"]),
                json!([]),
            ),
            // Every Authorization action: assignments and definitions.
            role("authz", json!(["Microsoft.Authorization/*"]), json!([])),
            // Editing role definitions: widen one's own role to `*`.
            role(
                "definer",
                json!(["Microsoft.Authorization/roleDefinitions/*"]),
                json!([]),
            ),
            // `*` with only deletes taken back still writes assignments.
            role(
                "star-less-deletes",
                json!(["*"]),
                json!(["Microsoft.Authorization/*/Delete"]),
            ),
            // Taken back by notActions, or read-only: not listed.
            role(
                "authz-less-writes",
                json!(["Microsoft.Authorization/*"]),
                json!(["Microsoft.Authorization/*/write"]),
            ),
            role(
                "auditor",
                json!(["Microsoft.Authorization/*/read"]),
                json!([]),
            ),
            role(
                "locks",
                json!(["Microsoft.Authorization/locks/write"]),
                json!([]),
            ),
        ],
        SUB,
    )
    .unwrap();
    assert_eq!(
        got.assigners,
        [
            "assigner (assigner)",
            "authz (authz)",
            "definer (definer)",
            "star-less-deletes (star-less-deletes)"
        ]
    );
    assert_eq!(got.admin, ["star-less-deletes (star-less-deletes)"]);
}
