//! Kinesis Data Streams: streams, whether their records are encrypted at rest and by which key,
//! in one region.
//!
//! A stream keeps every record for its retention period (24 hours to a year), so a stream that
//! carries patient events is a store of ePHI, not only a pipe.

use std::collections::BTreeMap;

use aws_sdk_kinesis::types::{EncryptionType, StreamDescriptionSummary};
use aws_sdk_kinesis::Client;
use serde_json::Value;

use super::util::{all, describe, resource, Found, KeyManagers, Props};
use super::Ctx;

const STREAM: &str = "aws.kinesis.stream";

/// Pages of `ListTagsForStream` read at most (a stream holds at most 50 tags).
const TAG_PAGES: usize = 10;

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let client = Client::new(&conf);
    let kms = aws_sdk_kms::Client::new(&conf);
    let mut found = Found::default();
    let pages = all(
        "kinesis:ListStreams",
        client
            .list_streams()
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(pages) = found.listed(pages, &ctx.account, Some(region), &[STREAM]) else {
        return found;
    };
    // The names of each page, with the summaries' names (the summaries came later to the API;
    // either may be what an answer carries), each once.
    let mut names: Vec<String> = Vec::new();
    for page in &pages {
        let listed = page
            .stream_names()
            .iter()
            .map(String::as_str)
            .chain(page.stream_summaries().iter().map(|s| s.stream_name()));
        for name in listed {
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    let mut managers = KeyManagers::default();
    for name in names {
        let summary = client
            .describe_stream_summary()
            .stream_name(&name)
            .send()
            .await;
        let (arn, mut p) = match summary {
            Ok(out) => match out.stream_description_summary() {
                Some(s) => (s.stream_arn().to_string(), properties(s)),
                None => (
                    arn_of(ctx, region, &name),
                    unread("kinesis:DescribeStreamSummary: the answer had no summary".into()),
                ),
            },
            Err(e) => (
                arn_of(ctx, region, &name),
                unread(describe("kinesis:DescribeStreamSummary", &e)),
            ),
        };
        if let Some(key) = p.pending_key.take() {
            managers.mark(&kms, &key, &mut p.props).await;
        }
        let tags = p.props.tags(stream_tags(&client, &name).await);
        found.resources.push(p.props.into_resource(resource(
            STREAM,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}

fn arn_of(ctx: &Ctx, region: &str, name: &str) -> String {
    format!("arn:aws:kinesis:{region}:{}:stream/{name}", ctx.account)
}

/// Every property unknown, for the reason given.
fn unread(why: String) -> Read {
    let mut props = Props::default();
    for prop in ["encrypted", "kms_key_id", "customer_managed_key"] {
        props.unknown(prop, why.clone());
    }
    Read {
        props,
        pending_key: None,
    }
}

/// What a summary says, and the key whose manager KMS must tell (`customer_managed_key`).
pub struct Read {
    pub props: Props,
    pub pending_key: Option<String>,
}

/// What the stream summary itself says. `EncryptionType` left out is unknown: the answer's
/// shape documents no default for it (`NONE` is what an unencrypted stream reports).
pub fn properties(s: &StreamDescriptionSummary) -> Read {
    let op = "kinesis:DescribeStreamSummary";
    let mut props = Props::default();
    let key = s.key_id().filter(|k| !k.is_empty());
    let mut pending_key = None;
    props.set("kms_key_id", key.map_or(Value::Null, Value::from));
    match s.encryption_type() {
        Some(EncryptionType::Kms) => {
            props.set("encrypted", true);
            match key {
                Some(k) => pending_key = Some(k.to_string()),
                None => props.unknown(
                    "customer_managed_key",
                    format!("{op}: the stream is encrypted but the answer names no `KeyId`"),
                ),
            }
        }
        Some(EncryptionType::None) => {
            props.set("encrypted", false);
            props.set("customer_managed_key", false);
        }
        Some(other) => {
            let why = format!("{op}: unknown `EncryptionType` {}", other.as_str());
            props.unknown("encrypted", why.clone());
            props.unknown("customer_managed_key", why);
        }
        None => {
            let why = format!("{op}: the answer had no `EncryptionType`");
            props.unknown("encrypted", why.clone());
            props.unknown("customer_managed_key", why);
        }
    }
    Read { props, pending_key }
}

/// The stream's tags, every page of them.
async fn stream_tags(client: &Client, name: &str) -> Result<BTreeMap<String, String>, String> {
    let mut tags = BTreeMap::new();
    let mut start: Option<String> = None;
    for _ in 0..TAG_PAGES {
        let out = client
            .list_tags_for_stream()
            .stream_name(name)
            .set_exclusive_start_tag_key(start.clone())
            .send()
            .await
            .map_err(|e| describe("kinesis:ListTagsForStream", &e))?;
        let last = out.tags().last().map(|t| t.key().to_string());
        for t in out.tags() {
            tags.insert(
                t.key().to_string(),
                t.value().unwrap_or_default().to_string(),
            );
        }
        // A page that ends where the last one did brought nothing new.
        if !out.has_more_tags() || last.is_none() || last == start {
            return Ok(tags);
        }
        start = last;
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_kinesis::primitives::DateTime;
    use aws_sdk_kinesis::types::StreamStatus;
    use serde_json::json;

    fn summary(encryption: Option<EncryptionType>, key: Option<&str>) -> StreamDescriptionSummary {
        StreamDescriptionSummary::builder()
            .stream_name("s")
            .stream_arn("arn:aws:kinesis:us-east-1:111122223333:stream/s")
            .stream_status(StreamStatus::Active)
            .retention_period_hours(24)
            .stream_creation_timestamp(DateTime::from_secs(1_700_000_000))
            .open_shard_count(1)
            .set_enhanced_monitoring(Some(Vec::new()))
            .set_encryption_type(encryption)
            .set_key_id(key.map(str::to_string))
            .build()
            .unwrap()
    }

    fn read(s: &StreamDescriptionSummary) -> (Value, Vec<String>, Option<String>) {
        let Read { props, pending_key } = properties(s);
        let (known, unknown) = props.into_parts();
        (Value::Object(known), unknown, pending_key)
    }

    #[test]
    fn a_kms_stream_asks_kms_about_its_key() {
        let (got, unknown, key) = read(&summary(Some(EncryptionType::Kms), Some("alias/phi")));
        assert_eq!(got, json!({"kms_key_id": "alias/phi", "encrypted": true}));
        assert!(unknown.is_empty());
        assert_eq!(key.as_deref(), Some("alias/phi"));
    }

    #[test]
    fn none_is_unencrypted_and_absent_is_unknown() {
        let (got, unknown, key) = read(&summary(Some(EncryptionType::None), None));
        assert_eq!(
            got,
            json!({"kms_key_id": null, "encrypted": false, "customer_managed_key": false})
        );
        assert!(unknown.is_empty() && key.is_none());
        // The answer left the type out: never read as unencrypted, nor as encrypted.
        let (got, unknown, key) = read(&summary(None, None));
        assert_eq!(got, json!({"kms_key_id": null}));
        assert_eq!(unknown, ["customer_managed_key", "encrypted"]);
        assert!(key.is_none());
        // KMS with no key named: encrypted, its key's manager unknown.
        let (got, unknown, _) = read(&summary(Some(EncryptionType::Kms), Some("")));
        assert_eq!(got["encrypted"], json!(true));
        assert_eq!(unknown, ["customer_managed_key"]);
    }
}
