//! Cloud Identity / Google Workspace users and their 2-Step Verification, through the Admin SDK
//! Directory API (`users.list`), customer by customer. No googleapis crate covers the Admin SDK,
//! so the users are read with the small JSON client, with a token of the Directory scope.

use std::collections::HashSet;

use serde_json::Value;

use super::Ctx;
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const USER: &str = "gcp.identity.user";
const LIST: &str = "admin.directory.users.list";

/// Only what the check reads: a partial answer keeps the users' names, phones and addresses
/// (in the `basic` projection) out of the scanner's memory.
const FIELDS: &str =
    "nextPageToken,users(id,primaryEmail,suspended,archived,isEnrolledIn2Sv,isEnforcedIn2Sv)";

/// The users of `customer` (`my_customer` or a customer ID such as `C01abc234`), as
/// `gcp.identity.user` resources of account `customer`; or, when the list cannot be read to its
/// end, one gap over the kind that names the call and why. A partial list is never kept: the
/// users it leaves out would be silently unassessed.
pub(crate) async fn collect(ctx: &Ctx, customer: &str) -> Found {
    let mut found = Found::default();
    match list(ctx, customer).await {
        Ok(users) => found.resources = users.iter().filter_map(|u| user(u, customer)).collect(),
        Err(why) => found.gap(customer, None, &[USER], hint(why)),
    }
    found
}

/// Every user of the customer, page by page. A next-page token that repeats ends the list with
/// an error instead of reading the same pages forever.
async fn list(ctx: &Ctx, customer: &str) -> Result<Vec<Value>, String> {
    let rest = &ctx.clients.admin;
    let mut users = Vec::new();
    let mut seen = HashSet::new();
    let mut token = String::new();
    loop {
        let mut query = vec![
            ("customer", customer),
            ("maxResults", "500"),
            ("projection", "basic"),
            ("fields", FIELDS),
        ];
        if !token.is_empty() {
            query.push(("pageToken", token.as_str()));
        }
        let page = rest.get(LIST, "/admin/directory/v1/users", &query).await?;
        if !page.is_object() {
            return Err(format!("{LIST}: the answer is not a list of users"));
        }
        match page.get("users") {
            Some(Value::Array(items)) => users.extend(items.iter().cloned()),
            // No `users`: the customer has none (Google leaves empty lists out).
            None | Some(Value::Null) => {}
            Some(_) => return Err(format!("{LIST}: `users` is not a list")),
        }
        match page.get("nextPageToken").and_then(Value::as_str) {
            Some(t) if !t.is_empty() => {
                if !seen.insert(t.to_string()) {
                    return Err(format!(
                        "{LIST}: the next page token repeats; the list was not read to its end"
                    ));
                }
                token = t.to_string();
            }
            _ => return Ok(users),
        }
    }
}

/// One user as a resource, named by its primary e-mail address as Entra users are by their
/// user principal name: the name a remediation needs, held by the directory apart from any
/// tag or label. A user without an `id` is not a user record and is left out.
fn user(u: &Value, customer: &str) -> Option<hipaa_scan_core::model::Resource> {
    let id = u
        .get("id")
        .and_then(Value::as_str)
        .filter(|i| !i.is_empty())?;
    let mut p = Props::default();
    let state = suspended(u);
    for (prop, value) in [
        ("suspended", state),
        ("enrolled_in_2sv", flag(u, "isEnrolledIn2Sv")),
        ("enforced_in_2sv", flag(u, "isEnforcedIn2Sv")),
    ] {
        match value {
            Ok(v) => p.set(prop, v),
            Err(why) => p.unknown(prop, why),
        }
    }
    let name = u
        .get("primaryEmail")
        .and_then(Value::as_str)
        .filter(|e| !e.is_empty())
        .unwrap_or(id)
        .to_string();
    Some(p.into_resource(resource(
        USER,
        id.to_string(),
        customer,
        "global",
        name,
        Default::default(),
    )))
}

/// A boolean field as the API gave it. A field left out is unknown, never false: the Directory
/// API documents no default for the 2SV fields.
fn flag(u: &Value, field: &str) -> Result<bool, String> {
    match u.get(field) {
        Some(Value::Bool(b)) => Ok(*b),
        None | Some(Value::Null) => Err(format!("{LIST}: the answer has no `{field}`")),
        Some(v) => Err(format!(
            "{LIST}: `{field}` is {}, not a boolean",
            kind_of(v)
        )),
    }
}

/// Whether the user cannot sign in: suspended, or archived (an archived user keeps their data
/// but has no access). Either one true settles it; otherwise both must be known false.
fn suspended(u: &Value) -> Result<bool, String> {
    let (s, a) = (flag(u, "suspended"), flag(u, "archived"));
    match (&s, &a) {
        (Ok(true), _) | (_, Ok(true)) => Ok(true),
        (Ok(false), Ok(false)) => Ok(false),
        (Err(why), _) | (_, Err(why)) => Err(why.clone()),
    }
}

/// The JSON type of a value, for reasons (never the value itself).
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The reason, with what to do about the two refusals an administrator can fix: a forbidden call
/// (no Workspace admin role with Users read) and a token the login could not give for the
/// Directory scope (a login that did not grant it).
fn hint(why: String) -> String {
    if why.contains("could not get an access token") {
        format!(
            "{why}; the Directory API needs a token of the scope {}: with a user login, run `gcloud auth application-default login --scopes=https://www.googleapis.com/auth/cloud-platform,{}`",
            super::clients::DIRECTORY_SCOPE,
            super::clients::DIRECTORY_SCOPE
        )
    } else if super::rest::forbidden(&why) {
        format!(
            "{why}; the scanning identity needs a Google Workspace / Cloud Identity admin role with the Users > Read privilege (see README, Scanning Google Cloud)"
        )
    } else {
        why
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_fields_are_unknown_never_false() {
        let r = user(&json!({"id": "1", "primaryEmail": "a@example.com"}), "C01").unwrap();
        for prop in ["suspended", "enrolled_in_2sv", "enforced_in_2sv"] {
            assert!(!r.properties.contains_key(prop), "{prop}");
            assert!(r.unknown[prop].contains(LIST), "{prop}");
        }
        assert_eq!(r.name, "a@example.com");
        assert_eq!((r.account.as_str(), r.region.as_str()), ("C01", "global"));
    }

    #[test]
    fn archived_counts_as_suspended_and_either_settles_it() {
        let state = |u: Value| suspended(&u);
        assert_eq!(
            state(json!({"suspended": false, "archived": true})),
            Ok(true)
        );
        assert_eq!(state(json!({"suspended": true})), Ok(true));
        assert_eq!(state(json!({"archived": true})), Ok(true));
        assert_eq!(
            state(json!({"suspended": false, "archived": false})),
            Ok(false)
        );
        assert!(state(json!({"suspended": false})).is_err());
        assert!(state(json!({"suspended": "no", "archived": false}))
            .unwrap_err()
            .contains("a string"));
    }

    #[test]
    fn a_record_without_an_id_is_no_user() {
        assert!(user(&json!({"primaryEmail": "a@example.com"}), "C01").is_none());
        let r = user(&json!({"id": "7"}), "C01").unwrap();
        assert_eq!(r.name, "7", "no e-mail: the id names the user");
    }

    #[test]
    fn refusals_say_what_to_grant() {
        let why = hint(format!(
            "{LIST}: Not Authorized to access this resource/api (HTTP 403)"
        ));
        assert!(why.contains("Users > Read"), "{why}");
        let why = hint(format!(
            "{LIST}: could not get an access token: invalid_scope"
        ));
        assert!(why.contains("--scopes="), "{why}");
        let why = hint(format!("{LIST}: timed out after 60 s"));
        assert_eq!(why, format!("{LIST}: timed out after 60 s"));
    }
}
