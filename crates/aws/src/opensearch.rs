//! OpenSearch Service: domains, their encryption, HTTPS policy, exposure and audit logs, in one
//! region.

use aws_sdk_opensearch::types::LogType;
use aws_sdk_opensearch::Client;

use super::util::{describe, resource, Found, Props};
use super::Ctx;

const DOMAIN: &str = "aws.es.domain";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let names = match client.list_domain_names().send().await {
        Ok(out) => out
            .domain_names()
            .iter()
            .filter_map(|d| d.domain_name().map(str::to_string))
            .collect::<Vec<_>>(),
        Err(e) => {
            found.gap(
                &ctx.account,
                Some(region),
                &[DOMAIN],
                describe("es:ListDomainNames", &e),
            );
            return found;
        }
    };
    // DescribeDomains takes at most five names per call.
    for chunk in names.chunks(5) {
        let out = match client
            .describe_domains()
            .set_domain_names(Some(chunk.to_vec()))
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                found.gap(
                    &ctx.account,
                    Some(region),
                    &[DOMAIN],
                    describe("es:DescribeDomains", &e),
                );
                continue;
            }
        };
        for d in out.domain_status_list() {
            let arn = d.arn().to_string();
            let mut p = Props::default();
            let missing = |field: &str| format!("es:DescribeDomains: the answer had no `{field}`");
            match d.encryption_at_rest_options().and_then(|o| o.enabled()) {
                Some(v) => p.set("encrypted_at_rest", v),
                None => p.unknown("encrypted_at_rest", missing("EncryptionAtRestOptions")),
            }
            match d
                .node_to_node_encryption_options()
                .and_then(|o| o.enabled())
            {
                Some(v) => p.set("node_to_node_encryption", v),
                None => p.unknown(
                    "node_to_node_encryption",
                    missing("NodeToNodeEncryptionOptions"),
                ),
            }
            match d.domain_endpoint_options() {
                Some(o) => {
                    // Documented defaults: EnforceHTTPS false, Policy-Min-TLS-1-0-2019-07.
                    p.set("enforce_https", o.enforce_https().unwrap_or(false));
                    p.set(
                        "tls_policy",
                        o.tls_security_policy()
                            .map_or("Policy-Min-TLS-1-0-2019-07", |t| t.as_str()),
                    );
                }
                None => {
                    p.unknown("enforce_https", missing("DomainEndpointOptions"));
                    p.unknown("tls_policy", missing("DomainEndpointOptions"));
                }
            }
            p.set(
                "in_vpc",
                d.vpc_options().is_some_and(|v| !v.subnet_ids().is_empty()),
            );
            match super::in_use::public_policy("es:DescribeDomains", d.access_policies()) {
                Ok(v) => p.set("policy_public", v),
                Err(why) => p.unknown("policy_public", why),
            }
            p.set(
                "audit_logs",
                d.log_publishing_options()
                    .and_then(|m| m.get(&LogType::AuditLogs))
                    .is_some_and(|o| o.enabled() == Some(true)),
            );
            let tags = p.tags(
                client
                    .list_tags()
                    .arn(&arn)
                    .send()
                    .await
                    .map(|out| {
                        super::util::tags(
                            out.tag_list()
                                .iter()
                                .map(|t| (Some(t.key()), Some(t.value()))),
                        )
                    })
                    .map_err(|e| describe("es:ListTags", &e)),
            );
            found.resources.push(p.into_resource(resource(
                DOMAIN,
                arn,
                &ctx.account,
                region,
                d.domain_name().to_string(),
                tags,
            )));
        }
    }
    found
}
