//! Elastic Load Balancing: load balancers (v2 and classic), their access logs, and their
//! listeners' protocols and TLS versions, in one region.

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum;
use serde_json::{json, Value};

use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const LB: &str = "aws.elasticloadbalancing.load_balancer";
const LISTENER: &str = "aws.elasticloadbalancing.listener";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let (mut found, classic) = tokio::join!(v2(ctx, &conf, region), classic(ctx, &conf, region));
    found.extend(classic);
    found
}

async fn v2(ctx: &Ctx, conf: &aws_config::SdkConfig, region: &str) -> Found {
    let client = aws_sdk_elasticloadbalancingv2::Client::new(conf);
    let mut found = Found::default();
    let lbs = all(
        "elasticloadbalancing:DescribeLoadBalancers",
        client
            .describe_load_balancers()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(lbs) = found.listed(lbs, &ctx.account, Some(region), &[LB, LISTENER]) else {
        return found;
    };
    // The TLS versions of each security policy, read once per region.
    let mut policies: HashMap<String, Result<Vec<String>, String>> = HashMap::new();
    for lb in lbs {
        let Some(arn) = lb.load_balancer_arn().map(str::to_string) else {
            continue;
        };
        let name = lb.load_balancer_name().unwrap_or_default().to_string();
        let kind = lb
            .r#type()
            .map_or("application", |t| t.as_str())
            .to_string();
        let mut p = Props::default();
        p.set("type", kind.clone());
        match client
            .describe_load_balancer_attributes()
            .load_balancer_arn(&arn)
            .send()
            .await
        {
            Ok(out) => {
                let on = |key: &str| {
                    out.attributes()
                        .iter()
                        .any(|a| a.key() == Some(key) && a.value() == Some("true"))
                };
                p.set("access_logs_enabled", on("access_logs.s3.enabled"));
                // Both attributes default to false (ELB API reference, LoadBalancerAttribute);
                // an answer that leaves one out leaves it at its default.
                p.set("deletion_protection", on("deletion_protection.enabled"));
                if kind == "application" {
                    p.set(
                        "drop_invalid_header_fields",
                        on("routing.http.drop_invalid_header_fields.enabled"),
                    );
                } else {
                    p.set("drop_invalid_header_fields", Value::Null);
                }
            }
            Err(e) => {
                let why = describe("elasticloadbalancing:DescribeLoadBalancerAttributes", &e);
                p.unknown("access_logs_enabled", why.clone());
                p.unknown("deletion_protection", why.clone());
                if kind == "application" {
                    p.unknown("drop_invalid_header_fields", why);
                } else {
                    p.set("drop_invalid_header_fields", Value::Null);
                }
            }
        }
        // The load balancer waits for its listeners: whether a network one has a TLS listener.
        let mut lb_props = p;
        let listeners = all(
            "elasticloadbalancing:DescribeListeners",
            client
                .describe_listeners()
                .load_balancer_arn(&arn)
                .into_paginator()
                .items()
                .send()
                .collect::<Vec<_>>()
                .await,
        );
        match (&listeners, kind.as_str()) {
            (Ok(l), "network") => lb_props.set(
                "tls_listener",
                l.iter()
                    .any(|l| l.protocol().is_some_and(|p| p.as_str() == "TLS")),
            ),
            (Err(why), "network") => lb_props.unknown("tls_listener", why.clone()),
            _ => lb_props.set("tls_listener", Value::Null),
        }
        found.resources.push(lb_props.into_resource(resource(
            LB,
            arn.clone(),
            &ctx.account,
            region,
            name.clone(),
            Default::default(),
        )));
        let listeners = match listeners {
            Ok(l) => l,
            Err(why) => {
                found.gap(
                    &ctx.account,
                    Some(region),
                    &[LISTENER],
                    format!("{name}: {why}"),
                );
                continue;
            }
        };
        for l in listeners {
            let protocol = l.protocol().map_or("", |p| p.as_str()).to_string();
            let port = l.port().unwrap_or(0);
            let mut p = Props::default();
            p.set("load_balancer", name.clone());
            p.set("protocol", protocol.clone());
            p.set("port", port);
            let redirects = redirects_to_https(l.default_actions());
            if protocol == "HTTP" && redirects {
                // The default action is only the fallback: a rule that forwards serves HTTP.
                let listener_arn = l.listener_arn().unwrap_or_default();
                let rules = all(
                    "elasticloadbalancing:DescribeRules",
                    client
                        .describe_rules()
                        .listener_arn(listener_arn)
                        .into_paginator()
                        .send()
                        .collect::<Vec<_>>()
                        .await,
                );
                match rules {
                    Ok(pages) => p.set(
                        "redirects_to_https",
                        pages.iter().flat_map(|pg| pg.rules()).all(|r| {
                            r.is_default().unwrap_or(false) || redirects_to_https(r.actions())
                        }),
                    ),
                    Err(why) => p.unknown("redirects_to_https", why),
                }
            } else {
                p.set("redirects_to_https", redirects);
            }
            // Only TLS listeners negotiate; an HTTP listener may still report a policy.
            let tls = matches!(protocol.as_str(), "HTTPS" | "TLS");
            match l.ssl_policy().filter(|_| tls) {
                None => p.set("tls_protocols", Vec::<String>::new()),
                Some(policy) => {
                    if !policies.contains_key(policy) {
                        let read = client
                            .describe_ssl_policies()
                            .names(policy)
                            .send()
                            .await
                            .map_err(|e| describe("elasticloadbalancing:DescribeSSLPolicies", &e))
                            .map(|o| {
                                o.ssl_policies()
                                    .iter()
                                    .flat_map(|sp| sp.ssl_protocols().iter().cloned())
                                    .collect::<Vec<_>>()
                            });
                        policies.insert(policy.to_string(), read);
                    }
                    match &policies[policy] {
                        Ok(protocols) => p.set("tls_protocols", protocols.clone()),
                        Err(why) => p.unknown("tls_protocols", why.clone()),
                    }
                }
            }
            let id = l
                .listener_arn()
                .map_or_else(|| format!("{arn}/listener/{port}"), str::to_string);
            found.resources.push(p.into_resource(resource(
                LISTENER,
                id,
                &ctx.account,
                region,
                format!("{name}:{port}"),
                Default::default(),
            )));
        }
    }
    found
}

/// Whether a listener's (or rule's) actions send every request to HTTPS: a redirect to HTTPS,
/// or a fixed response (which serves no content from the targets); a forward serves HTTP.
fn redirects_to_https(actions: &[aws_sdk_elasticloadbalancingv2::types::Action]) -> bool {
    let terminal = actions.iter().find(|a| {
        matches!(
            a.r#type(),
            Some(
                ActionTypeEnum::Redirect | ActionTypeEnum::Forward | ActionTypeEnum::FixedResponse
            )
        )
    });
    terminal.is_some_and(|a| match a.r#type() {
        Some(ActionTypeEnum::Redirect) => {
            a.redirect_config().and_then(|r| r.protocol()) == Some("HTTPS")
        }
        Some(ActionTypeEnum::FixedResponse) => true,
        _ => false,
    })
}

/// TLS versions a classic load balancer's SSL negotiation policy enables, by attribute name.
const CLASSIC_PROTOCOLS: [(&str, &str); 5] = [
    ("Protocol-SSLv3", "SSLv3"),
    ("Protocol-TLSv1", "TLSv1"),
    ("Protocol-TLSv1.1", "TLSv1.1"),
    ("Protocol-TLSv1.2", "TLSv1.2"),
    ("Protocol-TLSv1.3", "TLSv1.3"),
];

async fn classic(ctx: &Ctx, conf: &aws_config::SdkConfig, region: &str) -> Found {
    let client = aws_sdk_elasticloadbalancing::Client::new(conf);
    let mut found = Found::default();
    let lbs = all(
        "elasticloadbalancing:DescribeLoadBalancers",
        client
            .describe_load_balancers()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(lbs) = found.listed(lbs, &ctx.account, Some(region), &[LB, LISTENER]) else {
        return found;
    };
    for lb in lbs {
        let name = lb.load_balancer_name().unwrap_or_default().to_string();
        let arn = format!(
            "arn:aws:elasticloadbalancing:{region}:{}:loadbalancer/{name}",
            ctx.account
        );
        let mut p = Props::default();
        p.set("type", "classic");
        p.set("tls_listener", Value::Null);
        p.set("deletion_protection", Value::Null);
        p.set("drop_invalid_header_fields", Value::Null);
        match client
            .describe_load_balancer_attributes()
            .load_balancer_name(&name)
            .send()
            .await
        {
            Ok(out) => p.set(
                "access_logs_enabled",
                out.load_balancer_attributes()
                    .and_then(|a| a.access_log())
                    .is_some_and(|l| l.enabled()),
            ),
            Err(e) => p.unknown(
                "access_logs_enabled",
                describe("elasticloadbalancing:DescribeLoadBalancerAttributes", &e),
            ),
        }
        found.resources.push(p.into_resource(resource(
            LB,
            arn.clone(),
            &ctx.account,
            region,
            name.clone(),
            Default::default(),
        )));
        for d in lb.listener_descriptions() {
            let Some(l) = d.listener() else { continue };
            let protocol = l.protocol().to_ascii_uppercase();
            let port = l.load_balancer_port();
            let mut p = Props::default();
            p.set("load_balancer", name.clone());
            p.set("protocol", protocol.clone());
            p.set("port", port);
            // Classic load balancers cannot redirect.
            p.set("redirects_to_https", false);
            if matches!(protocol.as_str(), "HTTPS" | "SSL") {
                let out = client
                    .describe_load_balancer_policies()
                    .load_balancer_name(&name)
                    .set_policy_names(Some(d.policy_names().to_vec()))
                    .send()
                    .await;
                match out {
                    Ok(out) => {
                        let on: Vec<&str> = out
                            .policy_descriptions()
                            .iter()
                            .flat_map(|pd| pd.policy_attribute_descriptions())
                            .filter(|a| a.attribute_value() == Some("true"))
                            .filter_map(|a| {
                                CLASSIC_PROTOCOLS
                                    .iter()
                                    .find(|(attr, _)| a.attribute_name() == Some(*attr))
                                    .map(|(_, v)| *v)
                            })
                            .collect();
                        p.set("tls_protocols", json!(on));
                    }
                    Err(e) => p.unknown(
                        "tls_protocols",
                        describe("elasticloadbalancing:DescribeLoadBalancerPolicies", &e),
                    ),
                }
            } else {
                p.set("tls_protocols", Vec::<String>::new());
            }
            found.resources.push(p.into_resource(resource(
                LISTENER,
                format!("{arn}/listener/{port}"),
                &ctx.account,
                region,
                format!("{name}:{port}"),
                Default::default(),
            )));
        }
    }
    found
}
