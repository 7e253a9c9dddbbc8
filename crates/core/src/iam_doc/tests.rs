//! Tests of the parent module.

use super::*;

fn public(statement: &str) -> bool {
    parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#
    ))
    .unwrap()
    .is_public()
}

const GET: &str = r#""Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*""#;

#[test]
fn s3_public_by_principal() {
    assert!(public(&format!(r#"{{{GET},"Principal":"*"}}"#)));
    assert!(public(&format!(r#"{{{GET},"Principal":{{"AWS":"*"}}}}"#)));
    assert!(public(&format!(
        r#"{{{GET},"Principal":{{"AWS":["arn:aws:iam::111122223333:root","*"]}}}}"#
    )));
    assert!(
        public(&format!(
            r#"{{{GET},"Principal":{{"AWS":"arn:aws:iam::*:root"}}}}"#
        )),
        "a wildcard account"
    );
    assert!(
        public(&format!(
            r#"{{{GET},"NotPrincipal":{{"AWS":"arn:aws:iam::111122223333:root"}}}}"#
        )),
        "NotPrincipal with Allow"
    );
    assert!(!public(&format!(
        r#"{{{GET},"Principal":{{"AWS":"arn:aws:iam::111122223333:root"}}}}"#
    )));
    assert!(!public(&format!(
        r#"{{{GET},"Principal":{{"Service":"cloudfront.amazonaws.com"}}}}"#
    )));
    let deny = GET.replace("Allow", "Deny");
    assert!(!public(&format!(r#"{{{deny},"Principal":"*"}}"#)));
}

fn cond(c: &str) -> bool {
    public(&format!(r#"{{{GET},"Principal":"*","Condition":{c}}}"#))
}

#[test]
fn s3_public_by_condition() {
    // Pinned to fixed values of a listed key: not public.
    assert!(!cond(
        r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#
    ));
    assert!(!cond(
        r#"{"StringEquals":{"aws:PrincipalOrgID":["o-abc123"]}}"#
    ));
    assert!(
        !cond(r#"{"StringEquals":{"AWS:SourceAccount":"111122223333"}}"#),
        "keys are case-insensitive"
    );
    assert!(!cond(
        r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}}"#
    ));
    assert!(!cond(
        r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}"#
    ));
    assert!(
        !cond(r#"{"StringLike":{"aws:SourceVpc":"vpc-111"}}"#),
        "StringLike without a wildcard is fixed"
    );
    // Look-alikes that restrict nothing.
    assert!(
        cond(r#"{"StringLike":{"aws:SourceVpce":"vpce-*"}}"#),
        "wildcard"
    );
    assert!(
        cond(r#"{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::*"}}"#),
        "ArnLike with *"
    );
    assert!(
        cond(r#"{"StringEquals":{"aws:PrincipalArn":"${aws:username}"}}"#),
        "policy variable"
    );
    assert!(
        cond(r#"{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#),
        "negated"
    );
    assert!(
        cond(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#),
        "NotIpAddress"
    );
    assert!(
        cond(r#"{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b"}}"#),
        "IfExists"
    );
    assert!(
        cond(r#"{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-abc"}}"#),
        "ForAllValues"
    );
    assert!(
        cond(r#"{"IpAddress":{"aws:SourceIp":["0.0.0.0/1","128.0.0.0/1"]}}"#),
        "two /1s"
    );
    assert!(cond(r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#));
    assert!(
        cond(r#"{"Bool":{"aws:SecureTransport":"true"}}"#),
        "TLS does not pin a caller"
    );
    assert!(
        cond(r#"{"StringEquals":{"s3:prefix":"home/"}}"#),
        "not a caller key"
    );
    assert!(cond(r#"{"StringEquals":{"aws:userid":"AROAEXAMPLE:*"}}"#));
}

#[test]
fn unreadable_documents_are_errors() {
    assert!(parse("not json").is_err());
    assert!(parse(r#"{"Version":"2012-10-17"}"#).is_err());
    assert!(parse(r#"{"Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}"#).is_err());
    assert!(parse(r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#).is_err());
    let encoded = percent_encoding::utf8_percent_encode(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string();
    assert!(parse(&encoded).unwrap().full_admin().is_some());
}

fn admin(statement: &str) -> bool {
    parse(&format!(r#"{{"Statement":[{statement}]}}"#))
        .unwrap()
        .full_admin()
        .is_some()
}

#[test]
fn full_administrator_in_every_form() {
    assert!(admin(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#));
    assert!(admin(
        r#"{"Effect":"Allow","Action":["s3:GetObject","*:*"],"Resource":["*"]}"#
    ));
    assert!(admin(
        r#"{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"*"}"#
    ));
    assert!(admin(
        r#"{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::one/*"}"#
    ));
    assert!(
        admin(r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#),
        "self-escalation"
    );
    assert!(admin(
        r#"{"Effect":"Allow","Action":"IAM:*","Resource":"arn:*"}"#
    ));
    assert!(admin(
        r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#
    ));
    assert!(!admin(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#
    ));
    assert!(!admin(
        r#"{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}"#
    ));
    assert!(!admin(
        r#"{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}"#
    ));
    assert!(!admin(r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#));
    assert!(
        !admin(r#"{"Effect":"Allow","NotAction":"*","Resource":"*"}"#),
        "allows nothing"
    );
}

#[test]
fn administrator_access_in_every_partition() {
    assert!(is_administrator_access(
        "arn:aws:iam::aws:policy/AdministratorAccess"
    ));
    assert!(is_administrator_access(
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
    ));
    assert!(is_administrator_access(
        "arn:aws-cn:iam::aws:policy/AdministratorAccess"
    ));
    assert!(!is_administrator_access(
        "arn:aws:iam::111122223333:policy/AdministratorAccess"
    ));
    assert!(!is_administrator_access(
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    ));
}

fn tls(statement: &str) -> bool {
    parse(&format!(r#"{{"Statement":[{statement}]}}"#))
        .unwrap()
        .denies_insecure_transport("arn:aws:s3:::b")
}

#[test]
fn tls_only_must_cover_the_objects() {
    let c = r#""Condition":{"Bool":{"aws:SecureTransport":"false"}}"#;
    assert!(tls(&format!(
        r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],{c}}}"#
    )));
    assert!(tls(&format!(
        r#"{{"Effect":"Deny","Principal":{{"AWS":"*"}},"Action":"*","Resource":"*",{c}}}"#
    )));
    assert!(tls(&format!(
        r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b*",{c}}}"#
    )));
    assert!(tls(
        r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":false}}}"#
    ));
    // Look-alikes.
    assert!(
        !tls(&format!(
            r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b",{c}}}"#
        )),
        "bucket only"
    );
    assert!(
        !tls(&format!(
            r#"{{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",{c}}}"#
        )),
        "one action"
    );
    assert!(
        !tls(&format!(
            r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other/*",{c}}}"#
        )),
        "another bucket"
    );
    assert!(
        !tls(&format!(
            r#"{{"Effect":"Deny","Principal":{{"AWS":"arn:aws:iam::1:root"}},"Action":"s3:*","Resource":"*",{c}}}"#
        )),
        "one principal"
    );
    assert!(
        !tls(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"aws:SourceVpce":"vpce-1"}}}"#
        ),
        "narrowed by another condition"
    );
    assert!(!tls(
        r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#
    ));
    assert!(!tls(&format!(
        r#"{{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*",{c}}}"#
    )));
}

#[test]
fn glob_matching() {
    assert!(glob("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
    assert!(glob("a?c", "abc"));
    assert!(!glob("a?c", "ac"));
    assert!(glob("*", ""));
    assert!(!glob("arn:aws:s3:::b", "arn:aws:s3:::b/x"));
}
