//! Tests of the parent module.

use super::all_management_events;
use aws_sdk_cloudtrail::types::{
    AdvancedEventSelector, AdvancedFieldSelector, EventSelector, ReadWriteType,
};

fn basic(rw: ReadWriteType, exclude: &[&str]) -> EventSelector {
    let mut b = EventSelector::builder()
        .include_management_events(true)
        .read_write_type(rw);
    for e in exclude {
        b = b.exclude_management_event_sources(*e);
    }
    b.build()
}

fn field(name: &str, equals: &[&str], not_equals: &[&str]) -> AdvancedFieldSelector {
    let mut f = AdvancedFieldSelector::builder().field(name);
    for e in equals {
        f = f.equals(*e);
    }
    for e in not_equals {
        f = f.not_equals(*e);
    }
    f.build().unwrap()
}

fn advanced(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
    AdvancedEventSelector::builder()
        .set_field_selectors(Some(fields))
        .build()
        .unwrap()
}

#[test]
fn every_management_event_or_not() {
    assert!(all_management_events(&[], &[]));
    assert!(all_management_events(
        &[basic(ReadWriteType::All, &[])],
        &[]
    ));
    assert!(!all_management_events(
        &[basic(ReadWriteType::WriteOnly, &[])],
        &[]
    ));
    assert!(!all_management_events(
        &[basic(ReadWriteType::All, &["kms.amazonaws.com"])],
        &[]
    ));
    let mgmt = field("eventCategory", &["Management"], &[]);
    assert!(all_management_events(&[], &[advanced(vec![mgmt.clone()])]));
    assert!(!all_management_events(
        &[],
        &[advanced(vec![
            mgmt.clone(),
            field("readOnly", &["false"], &[])
        ])]
    ));
    assert!(!all_management_events(
        &[],
        &[advanced(vec![
            mgmt.clone(),
            field("eventSource", &[], &["rdsdata.amazonaws.com"])
        ])]
    ));
    assert!(all_management_events(
        &[],
        &[advanced(vec![
            mgmt,
            field("eventSource", &[], &["ec2.amazonaws.com"])
        ])]
    ));
    let data_only = field("eventCategory", &["Data"], &[]);
    assert!(!all_management_events(&[], &[advanced(vec![data_only])]));
}

#[test]
fn s3_data_event_selectors_cover_whole_buckets_only() {
    use super::S3Selector;
    let sel = |inc: &[&str], exc: &[&str]| S3Selector {
        include: inc.iter().map(|s| s.to_string()).collect(),
        exclude: exc.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let b = "arn:aws:s3:::phi";
    assert!(sel(&[], &[]).covers(b));
    assert!(sel(&["arn:aws:s3"], &[]).covers(b));
    assert!(sel(&["arn:aws:s3:::"], &[]).covers(b));
    assert!(sel(&["arn:aws:s3:::phi/"], &[]).covers(b));
    assert!(!sel(&["arn:aws:s3:::phi/reports/"], &[]).covers(b));
    assert!(!sel(&["arn:aws:s3:::other/"], &[]).covers(b));
    assert!(!sel(&[], &["arn:aws:s3:::phi/tmp/"]).covers(b));
    assert!(sel(&[], &["arn:aws:s3:::other/"]).covers(b));
}

#[test]
fn table_and_function_data_selectors_take_only_what_they_name() {
    use super::resource_data_selectors;
    use aws_sdk_cloudtrail::types::DataResource;
    const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
    const FN: &str = "arn:aws:lambda:us-east-1:111122223333:function:pay";
    let basic_on = |rw: ReadWriteType, ty: &str, values: &[&str]| {
        let mut d = DataResource::builder().r#type(ty);
        for v in values {
            d = d.values(*v);
        }
        EventSelector::builder()
            .read_write_type(rw)
            .data_resources(d.build())
            .build()
    };
    let covers = |basic: &[EventSelector], adv: &[AdvancedEventSelector], ty: &str, arn: &str| {
        resource_data_selectors(basic, adv, ty)
            .iter()
            .any(|s| s.covers_resource(arn))
    };
    let ddb = "AWS::DynamoDB::Table";
    let lam = "AWS::Lambda::Function";
    // Every table of the partition, by the service-wide value.
    assert!(covers(
        &[basic_on(ReadWriteType::All, ddb, &["arn:aws:dynamodb"])],
        &[],
        ddb,
        TABLE
    ));
    // Write-only: reads of the table are not recorded.
    assert!(!covers(
        &[basic_on(ReadWriteType::WriteOnly, ddb, &[TABLE])],
        &[],
        ddb,
        TABLE
    ));
    // Invocations are write events: WriteOnly records them.
    assert!(covers(
        &[basic_on(ReadWriteType::WriteOnly, lam, &[FN])],
        &[],
        lam,
        FN
    ));
    // An exact ARN of another function that prefixes this one's name does not take it.
    assert!(!covers(
        &[basic_on(ReadWriteType::All, lam, &[FN])],
        &[],
        lam,
        &format!("{FN}ments")
    ));
    // Another type's selector does not count.
    assert!(!covers(
        &[basic_on(ReadWriteType::All, lam, &["arn:aws:lambda"])],
        &[],
        ddb,
        TABLE
    ));
    let adv = |extra: Vec<AdvancedFieldSelector>, ty: &str| {
        let mut f = vec![
            field("eventCategory", &["Data"], &[]),
            field("resources.type", &[ty], &[]),
        ];
        f.extend(extra);
        advanced(f)
    };
    assert!(covers(&[], &[adv(vec![], ddb)], ddb, TABLE), "every table");
    assert!(covers(
        &[],
        &[adv(vec![field("resources.ARN", &[TABLE], &[])], ddb)],
        ddb,
        TABLE
    ));
    assert!(
        !covers(
            &[],
            &[adv(vec![field("resources.ARN", &[], &[TABLE])], ddb)],
            ddb,
            TABLE
        ),
        "NotEquals the table"
    );
    assert!(
        !covers(
            &[],
            &[adv(vec![field("readOnly", &["true"], &[])], ddb)],
            ddb,
            TABLE
        ),
        "reads only"
    );
    assert!(
        !covers(
            &[],
            &[adv(vec![field("readOnly", &["false"], &[])], ddb)],
            ddb,
            TABLE
        ),
        "writes only"
    );
    assert!(
        covers(
            &[],
            &[adv(vec![field("readOnly", &["false"], &[])], lam)],
            lam,
            FN
        ),
        "invocations are writes"
    );
    assert!(
        !covers(
            &[],
            &[adv(vec![field("eventName", &["GetItem"], &[])], ddb)],
            ddb,
            TABLE
        ),
        "one event name"
    );
}

#[test]
fn a_trail_bucket_is_public_as_s3_not_public_says() {
    use serde_json::json;
    let bucket = |acl: bool, policy: bool, own: serde_json::Value, account: serde_json::Value| {
        let mut r = hipaa_scan_core::collect::resource(
            "aws.s3.bucket",
            "arn:aws:s3:::logs".into(),
            "111122223333",
            "us-east-1",
            "logs".into(),
            Default::default(),
        );
        for (k, v) in [
            ("acl_grants_public", json!(acl)),
            ("policy_allows_public", json!(policy)),
            ("public_access_block", own),
            ("account_public_access_block", account),
        ] {
            r.properties.insert(k.into(), v);
        }
        r
    };
    let none = serde_json::Value::Null;
    let ignore = json!({"ignore_public_acls": true, "restrict_public_buckets": false});
    assert_eq!(
        super::bucket_public(&bucket(false, false, none.clone(), none.clone())),
        Ok(false)
    );
    assert_eq!(
        super::bucket_public(&bucket(true, false, none.clone(), none.clone())),
        Ok(true)
    );
    // The account's IgnorePublicAcls neutralizes the ACL, not a public policy.
    assert_eq!(
        super::bucket_public(&bucket(true, false, none.clone(), ignore.clone())),
        Ok(false)
    );
    assert_eq!(
        super::bucket_public(&bucket(false, true, none.clone(), ignore)),
        Ok(true)
    );
    let mut unread = bucket(false, false, none.clone(), none);
    unread.properties.remove("acl_grants_public");
    unread.unknown.insert(
        "acl_grants_public".into(),
        "s3:GetBucketAcl: AccessDenied".into(),
    );
    assert_eq!(
        super::bucket_public(&unread),
        Err("s3:GetBucketAcl: AccessDenied".into())
    );
}
