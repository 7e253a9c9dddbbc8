//! Amazon Macie: whether the account's Macie session is enabled, in one region.
//!
//! `macie2:GetMacieSession` answers the session's status (`ENABLED` or `PAUSED`). Where Macie
//! was never enabled, every Macie call is refused with `AccessDeniedException` "Macie is not
//! enabled." (some endpoints answer `ResourceNotFoundException`): that is "not enabled", not
//! unknown. The same code without that message is a refusal by IAM. The AWS managed policy
//! SecurityAudit allows `macie2:ListFindings` but not `GetMacieSession`, so when IAM refuses the
//! session, `ListFindings` is asked: "Macie is not enabled." still settles it; an answer shows
//! Macie on, but not whether it is paused, so the state stays unknown.

use aws_sdk_macie2::error::ProvideErrorMetadata;
use aws_sdk_macie2::types::MacieStatus;
use aws_sdk_macie2::Client;

use super::util::{describe, region_resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.macie2.region";

/// What one Macie call said about the session.
#[derive(Debug, PartialEq, Eq)]
pub enum Session {
    /// The session's status (`ENABLED`, `PAUSED`).
    Status(String),
    /// Macie was never enabled (or was disabled) in the region.
    NotEnabled,
    /// IAM refused the call (the reason).
    Denied(String),
    /// Anything else: the state is unknown (the reason).
    Unknown(String),
}

/// How an error of a Macie call reads: "not enabled", an IAM refusal, or unknown.
pub fn classify(code: Option<&str>, message: Option<&str>, why: String) -> Session {
    let not_enabled =
        message.is_some_and(|m| m.to_ascii_lowercase().contains("macie is not enabled"));
    match code {
        Some("AccessDeniedException") if not_enabled => Session::NotEnabled,
        Some("ResourceNotFoundException") => Session::NotEnabled,
        Some("AccessDeniedException" | "AccessDenied") => Session::Denied(why),
        _ => Session::Unknown(why),
    }
}

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let session = match client.get_macie_session().send().await {
        Ok(out) => Session::Status(
            out.status()
                .map_or("unknown", MacieStatus::as_str)
                .to_string(),
        ),
        Err(e) => classify(
            e.code(),
            e.message(),
            describe("macie2:GetMacieSession", &e),
        ),
    };
    let session = match session {
        Session::Denied(why) => {
            let probe = match client.list_findings().max_results(1).send().await {
                Ok(_) => None,
                Err(e) => Some(classify(
                    e.code(),
                    e.message(),
                    describe("macie2:ListFindings", &e),
                )),
            };
            fall_back(why, probe)
        }
        other => other,
    };
    let mut p = Props::default();
    match session {
        Session::Status(status) => {
            p.set("enabled", status == MacieStatus::Enabled.as_str());
            p.set("status", status);
        }
        Session::NotEnabled => {
            p.set("enabled", false);
            p.set("status", serde_json::Value::Null);
        }
        Session::Denied(why) | Session::Unknown(why) => {
            p.unknown("enabled", why.clone());
            p.unknown("status", why);
        }
    }
    let mut found = Found::default();
    found
        .resources
        .push(p.into_resource(region_resource(KIND, "macie2", &ctx.account, region)));
    found
}

/// The state when IAM refused `GetMacieSession` (`why`) and `ListFindings` answered (`None`) or
/// failed (`Some`).
pub fn fall_back(why: String, probe: Option<Session>) -> Session {
    match probe {
        Some(Session::NotEnabled) => Session::NotEnabled,
        None => Session::Unknown(format!(
            "{why} (macie2:ListFindings answers, so Macie is on, but only GetMacieSession tells ENABLED from PAUSED)"
        )),
        Some(_) => Session::Unknown(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_enabled_is_told_from_a_refusal() {
        let why = || "macie2:GetMacieSession: ...".to_string();
        assert_eq!(
            classify(
                Some("AccessDeniedException"),
                Some("Macie is not enabled."),
                why()
            ),
            Session::NotEnabled
        );
        assert_eq!(
            classify(Some("ResourceNotFoundException"), None, why()),
            Session::NotEnabled
        );
        // IAM's refusal names the caller and the action, never "Macie is not enabled".
        let iam = "User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: macie2:GetMacieSession";
        assert_eq!(
            classify(Some("AccessDeniedException"), Some(iam), why()),
            Session::Denied(why())
        );
        assert_eq!(
            classify(Some("ThrottlingException"), Some("Rate exceeded"), why()),
            Session::Unknown(why())
        );
        assert_eq!(classify(None, None, why()), Session::Unknown(why()));
    }

    #[test]
    fn list_findings_settles_only_not_enabled() {
        let why = || "macie2:GetMacieSession: AccessDeniedException: denied".to_string();
        assert_eq!(
            fall_back(why(), Some(Session::NotEnabled)),
            Session::NotEnabled
        );
        let Session::Unknown(reason) = fall_back(why(), None) else {
            panic!("an answer from ListFindings does not tell ENABLED from PAUSED")
        };
        assert!(reason.starts_with(&why()) && reason.contains("PAUSED"));
        assert_eq!(
            fall_back(
                why(),
                Some(Session::Denied("macie2:ListFindings: ...".into()))
            ),
            Session::Unknown(why())
        );
    }
}
