use super::{any_covers, OptIn, Selection, Target};
use std::collections::{BTreeMap, HashMap};

const FS: &str = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-1";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
const VOLUME: &str = "arn:aws:ec2:us-east-1:111122223333:volume/vol-1";
const DB: &str = "arn:aws:rds:us-east-1:111122223333:db:ehr";
const CLUSTER: &str = "arn:aws:rds:us-east-1:111122223333:cluster:ehr";

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn on(keys: &[&str]) -> OptIn {
    OptIn::Read(keys.iter().map(|k| (k.to_string(), true)).collect())
}

fn off(keys: &[&str]) -> OptIn {
    OptIn::Read(keys.iter().map(|k| (k.to_string(), false)).collect())
}

fn unreadable() -> OptIn {
    OptIn::Unreadable("backup:DescribeRegionSettings: AccessDeniedException: denied".into())
}

fn resources(patterns: &[&str]) -> Selection {
    Selection {
        resources: patterns.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    }
}

fn tagged(k: &str, v: &str) -> Selection {
    Selection {
        any_tags: vec![(k.into(), v.into())],
        ..Default::default()
    }
}

/// Whether `s` takes `arn` with `t` as its tags.
fn covers(
    s: &Selection,
    arn: &str,
    t: &BTreeMap<String, String>,
    opt_in: &OptIn,
) -> Result<bool, String> {
    s.covers(
        &Target {
            arn,
            tags: Ok(t),
            engine: None,
        },
        opt_in,
    )
}

#[test]
fn a_tag_only_selection_takes_what_carries_the_tag_where_the_type_is_opted_in() {
    let s = tagged("backup", "daily");
    let opt = on(&["EFS"]);
    assert_eq!(
        covers(&s, FS, &tags(&[("backup", "daily")]), &opt),
        Ok(true)
    );
    assert_eq!(
        covers(&s, FS, &tags(&[("backup", "never")]), &opt),
        Ok(false),
        "look-alike value"
    );
    assert_eq!(covers(&s, FS, &tags(&[]), &opt), Ok(false), "untagged");
    assert_eq!(
        covers(&s, FS, &tags(&[("backup", "daily")]), &off(&["EFS"])),
        Ok(false),
        "tags only: the opt-in applies"
    );
    assert!(covers(&s, FS, &tags(&[("backup", "daily")]), &unreadable())
        .unwrap_err()
        .starts_with("backup:DescribeRegionSettings: "));
    // A tag that does not match decides without the opt-in.
    assert_eq!(covers(&s, FS, &tags(&[]), &unreadable()), Ok(false));
    // `ListOfTags` entries are OR-ed.
    let either = Selection {
        any_tags: vec![
            ("backup".into(), "daily".into()),
            ("phi".into(), "yes".into()),
        ],
        ..Default::default()
    };
    assert_eq!(
        covers(&either, FS, &tags(&[("phi", "yes")]), &opt),
        Ok(true)
    );
}

#[test]
fn list_of_tags_is_or_ed_with_resources() {
    let s = Selection {
        resources: vec!["arn:aws:ec2:*:*:volume/*".into()],
        any_tags: vec![("backup".into(), "yes".into())],
        ..Default::default()
    };
    let opt = on(&["EBS", "DynamoDB"]);
    assert_eq!(
        covers(&s, TABLE, &tags(&[("backup", "yes")]), &opt),
        Ok(true),
        "only by tag"
    );
    assert_eq!(
        covers(&s, VOLUME, &tags(&[]), &off(&["EBS"])),
        Ok(true),
        "only by ARN, the volume type named: no opt-in needed"
    );
    assert_eq!(covers(&s, TABLE, &tags(&[]), &opt), Ok(false), "neither");
    assert_eq!(
        covers(&s, TABLE, &tags(&[("backup", "yes")]), &off(&["DynamoDB"])),
        Ok(false),
        "by tag, the table type not opted in"
    );
}

#[test]
fn conditions_are_and_ed_with_resources() {
    let s = Selection {
        resources: vec!["arn:aws:dynamodb:*:*:table/*".into()],
        all_conditions: vec![
            (
                "StringEquals".into(),
                "aws:ResourceTag/phi".into(),
                "yes".into(),
            ),
            (
                "StringNotEquals".into(),
                "aws:ResourceTag/env".into(),
                "dev".into(),
            ),
        ],
        ..Default::default()
    };
    let opt = OptIn::NotRead;
    assert_eq!(
        covers(&s, TABLE, &tags(&[("phi", "yes"), ("env", "prod")]), &opt),
        Ok(true)
    );
    assert_eq!(
        covers(&s, TABLE, &tags(&[("phi", "yes"), ("env", "dev")]), &opt),
        Ok(false),
        "matches the ARN but fails StringNotEquals"
    );
    // Conservative: StringNotEquals filters tagged resources; an untagged one is not taken.
    assert_eq!(covers(&s, TABLE, &tags(&[("phi", "yes")]), &opt), Ok(false));
    let like = Selection {
        resources: vec!["*".into()],
        all_conditions: vec![(
            "StringLike".into(),
            "aws:ResourceTag/tier".into(),
            "prod*".into(),
        )],
        ..Default::default()
    };
    assert_eq!(
        covers(
            &like,
            TABLE,
            &tags(&[("tier", "production")]),
            &on(&["DynamoDB"])
        ),
        Ok(true)
    );
    assert_eq!(
        covers(
            &like,
            TABLE,
            &tags(&[("tier", "staging")]),
            &on(&["DynamoDB"])
        ),
        Ok(false)
    );
    let other_key = Selection {
        resources: vec!["arn:aws:dynamodb:*:*:table/*".into()],
        all_conditions: vec![("StringEquals".into(), "phi".into(), "yes".into())],
        ..Default::default()
    };
    assert_eq!(
        covers(&other_key, TABLE, &tags(&[("phi", "yes")]), &opt),
        Ok(false),
        "a condition key that is not aws:ResourceTag/ never holds"
    );
}

#[test]
fn not_resources_excludes_a_matched_resource() {
    let s = Selection {
        resources: vec!["arn:aws:elasticfilesystem:*:*:file-system/*".into()],
        not_resources: vec![FS.into()],
        ..Default::default()
    };
    assert_eq!(covers(&s, FS, &tags(&[]), &OptIn::NotRead), Ok(false));
    let other = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-2";
    assert_eq!(covers(&s, other, &tags(&[]), &OptIn::NotRead), Ok(true));
    // Excluded whatever the tags or the opt-in say.
    let by_tag = Selection {
        any_tags: vec![("backup".into(), "yes".into())],
        not_resources: vec!["arn:aws:elasticfilesystem:*".into()],
        ..Default::default()
    };
    assert_eq!(
        covers(&by_tag, FS, &tags(&[("backup", "yes")]), &unreadable()),
        Ok(false)
    );
}

#[test]
fn a_service_wide_pattern_depends_on_the_opt_in() {
    for s in [
        resources(&["*"]),
        resources(&["arn:aws:dynamodb:*"]),
        resources(&["arn:aws:dynamodb:*:*:*"]),
    ] {
        assert!(s.needs_opt_in(), "{s:?}");
        assert_eq!(
            covers(&s, TABLE, &tags(&[]), &on(&["DynamoDB"])),
            Ok(true),
            "{s:?}"
        );
        assert_eq!(
            covers(&s, TABLE, &tags(&[]), &off(&["DynamoDB"])),
            Ok(false),
            "{s:?}"
        );
        assert_eq!(
            covers(&s, TABLE, &tags(&[]), &on(&["EFS"])),
            Ok(false),
            "a type the settings leave out is not opted in: {s:?}"
        );
        let why = covers(&s, TABLE, &tags(&[]), &unreadable()).unwrap_err();
        assert!(why.starts_with("backup:DescribeRegionSettings: "), "{why}");
        let why = covers(&s, TABLE, &tags(&[]), &OptIn::NotRead).unwrap_err();
        assert!(why.starts_with("backup:DescribeRegionSettings: "), "{why}");
    }
    // Another service's wildcard does not take the table at all.
    assert_eq!(
        covers(
            &resources(&["arn:aws:ec2:*"]),
            TABLE,
            &tags(&[]),
            &unreadable()
        ),
        Ok(false)
    );
}

#[test]
fn a_pattern_naming_the_resource_type_ignores_the_opt_in() {
    for p in [
        "arn:aws:elasticfilesystem:*:*:file-system/*",
        FS,
        "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-*",
    ] {
        let s = resources(&[p]);
        assert!(!s.needs_opt_in(), "{p}");
        assert_eq!(covers(&s, FS, &tags(&[]), &off(&["EFS"])), Ok(true), "{p}");
        assert_eq!(covers(&s, FS, &tags(&[]), &OptIn::NotRead), Ok(true), "{p}");
    }
    assert_eq!(
        covers(
            &resources(&["arn:aws:rds:*:*:db:*"]),
            FS,
            &tags(&[]),
            &OptIn::NotRead
        ),
        Ok(false),
        "another type"
    );
    // `?` is not documented as a wildcard: literal where it would take a resource.
    assert_eq!(
        covers(
            &resources(&["arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-?"]),
            FS,
            &tags(&[]),
            &OptIn::NotRead
        ),
        Ok(false)
    );
}

#[test]
fn an_empty_selection_takes_every_opted_in_resource() {
    let s = Selection::default();
    assert!(s.needs_opt_in());
    assert_eq!(covers(&s, VOLUME, &tags(&[]), &on(&["EBS"])), Ok(true));
    assert_eq!(covers(&s, VOLUME, &tags(&[]), &off(&["EBS"])), Ok(false));
    assert!(covers(&s, VOLUME, &tags(&[]), &unreadable()).is_err());
    // Conditions alone filter every opted-in resource.
    let conditioned = Selection {
        all_conditions: vec![(
            "StringEquals".into(),
            "aws:ResourceTag/phi".into(),
            "yes".into(),
        )],
        ..Default::default()
    };
    assert!(conditioned.needs_opt_in());
    assert_eq!(
        covers(
            &conditioned,
            VOLUME,
            &tags(&[("phi", "yes")]),
            &on(&["EBS"])
        ),
        Ok(true)
    );
    assert_eq!(
        covers(&conditioned, VOLUME, &tags(&[("phi", "no")]), &on(&["EBS"])),
        Ok(false)
    );
}

#[test]
fn clusters_need_their_engine_s_opt_in_even_when_named() {
    let s = resources(&["arn:aws:rds:*:*:cluster:*"]);
    assert!(s.needs_opt_in(), "a shared type");
    let cluster = |engine: &'static str, opt: &OptIn| {
        s.covers(
            &Target {
                arn: CLUSTER,
                tags: Ok(&BTreeMap::new()),
                engine: Some(engine),
            },
            opt,
        )
    };
    assert_eq!(cluster("aurora-postgresql", &on(&["Aurora"])), Ok(true));
    assert_eq!(
        cluster(
            "aurora-postgresql",
            &OptIn::Read(HashMap::from([
                ("Aurora".into(), false),
                ("RDS".into(), true)
            ]))
        ),
        Ok(false),
        "Aurora off, RDS on"
    );
    assert_eq!(
        cluster("neptune", &on(&["Aurora", "RDS"])),
        Ok(false),
        "Neptune's own opt-in"
    );
    assert_eq!(cluster("docdb", &on(&["DocumentDB"])), Ok(true));
    // A Multi-AZ RDS cluster: the docs name no opt-in of its own; both must be on.
    assert_eq!(cluster("postgres", &on(&["RDS"])), Ok(false));
    assert_eq!(cluster("postgres", &on(&["RDS", "Aurora"])), Ok(true));
    assert!(cluster("aurora-mysql", &unreadable()).is_err());
    // A DB instance named by type needs no opt-in.
    assert_eq!(
        covers(
            &resources(&["arn:aws:rds:*:*:db:*"]),
            DB,
            &tags(&[]),
            &off(&["RDS"])
        ),
        Ok(true)
    );
}

#[test]
fn unread_tags_leave_a_tag_selection_unknown_but_not_an_arn_one() {
    let unread = |s: &Selection, arn: &str, opt: &OptIn| {
        s.covers(
            &Target {
                arn,
                tags: Err("tag:GetResources: AccessDenied"),
                engine: None,
            },
            opt,
        )
    };
    let by_tag = tagged("backup", "daily");
    assert_eq!(
        unread(&by_tag, TABLE, &on(&["DynamoDB"])),
        Err("tag:GetResources: AccessDenied".into())
    );
    assert_eq!(
        unread(&by_tag, TABLE, &off(&["DynamoDB"])),
        Ok(false),
        "not opted in: no tag can take it"
    );
    let or_arn = Selection {
        resources: vec!["arn:aws:dynamodb:*:*:table/*".into()],
        any_tags: vec![("backup".into(), "daily".into())],
        ..Default::default()
    };
    assert_eq!(
        unread(&or_arn, TABLE, &OptIn::NotRead),
        Ok(true),
        "taken by ARN"
    );
    let and_condition = Selection {
        resources: vec!["arn:aws:dynamodb:*:*:table/*".into()],
        all_conditions: vec![(
            "StringNotEquals".into(),
            "aws:ResourceTag/env".into(),
            "dev".into(),
        )],
        ..Default::default()
    };
    assert!(unread(&and_condition, TABLE, &OptIn::NotRead).is_err());
    assert_eq!(
        unread(&and_condition, VOLUME, &OptIn::NotRead),
        Ok(false),
        "not matched by ARN"
    );
}

#[test]
fn several_selections_take_a_resource_if_one_does() {
    let opt = off(&["DynamoDB"]);
    let list = [
        tagged("backup", "daily"),
        resources(&["arn:aws:dynamodb:*:*:table/patients"]),
    ];
    let t = tags(&[]);
    let target = Target {
        arn: TABLE,
        tags: Ok(&t),
        engine: None,
    };
    assert_eq!(any_covers(&list, &target, &opt), Ok(true));
    // One unknown, none certain: unknown.
    let list = [tagged("backup", "daily"), resources(&["*"])];
    assert!(any_covers(&list, &target, &unreadable()).is_err());
    assert_eq!(
        any_covers(&[], &target, &unreadable()),
        Ok(false),
        "no selection"
    );
}
