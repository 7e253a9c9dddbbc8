//! EFS: one encrypted file system with backups, one with neither. Their ids are generated, so
//! both are named `efs`.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let efs = aws_sdk_efs::Client::new(conf);
    // moto keeps the backup setting given at creation (`Backup`), not PutBackupPolicy.
    for (token, encrypted) in [("enc-fs", true), ("plain-fs", false)] {
        efs.create_file_system()
            .creation_token(token)
            .encrypted(encrypted)
            .backup(encrypted)
            .send()
            .await
            .unwrap();
    }
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-efs-encrypted", "efs", "pass"),
        ("aws-efs-encrypted", "efs", "fail"),
        ("aws-efs-backup", "efs", "pass"),
        ("aws-efs-backup", "efs", "fail"),
        ("aws-service-hipaa-eligible", "efs", "pass"),
    ])
}
