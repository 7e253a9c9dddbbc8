//! Tests of the parent module.

use super::kms_decrypt_all_keys;

fn decrypts_all(statement: &str) -> bool {
    let doc = hipaa_scan_core::iam_doc::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#
    ))
    .unwrap();
    kms_decrypt_all_keys(&doc)
}

#[test]
fn decrypt_on_every_key_or_not() {
    assert!(decrypts_all(
        r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#
    ));
    assert!(decrypts_all(
        r#"{"Effect":"Allow","Action":"kms:De*","Resource":"*"}"#
    ));
    assert!(decrypts_all(
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#
    ));
    assert!(decrypts_all(
        r#"{"Effect":"Allow","Action":"kms:ReEncryptFrom","NotResource":"arn:aws:kms:us-east-1:111122223333:key/x"}"#
    ));
    // A condition that is not about the key does not scope it.
    assert!(decrypts_all(
        r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#
    ));
    assert!(!decrypts_all(
        r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/x"}"#
    ));
    assert!(!decrypts_all(
        r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#
    ));
    assert!(!decrypts_all(
        r#"{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}"#
    ));
    assert!(!decrypts_all(
        r#"{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}"#
    ));
}
