//! Azure SQL: logical servers (firewall, auditing) and their databases (TDE).

use serde_json::{json, Value};

use super::{arm_fields, in_order, Ctx};
use crate::collect::{resource, Found, Props};

const API: &str = "2021-11-01";
pub(crate) const SERVER: &str = "azure.sql.server";
pub(crate) const DATABASE: &str = "azure.sql.database";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let mut found = Found::default();
    let servers = match ctx
        .arm
        .list(
            "Microsoft.Sql/servers/read",
            &format!("/subscriptions/{sub}/providers/Microsoft.Sql/servers"),
            Some(API),
        )
        .await
    {
        Ok(s) => s,
        Err(why) => {
            found.gap(sub, None, &[SERVER, DATABASE], why);
            ctx.progress.done(&format!("sql {sub}"));
            return found;
        }
    };
    let per_server = in_order(
        ctx.concurrency,
        servers.into_iter().map(|s| server(ctx, sub, s)),
    )
    .await;
    for f in per_server {
        found.extend(f);
    }
    ctx.progress.done(&format!("sql {sub}"));
    found
}

async fn server(ctx: &Ctx, sub: &str, s: Value) -> Found {
    let mut found = Found::default();
    let Some((id, name, location, tags)) = arm_fields(&s) else {
        return found;
    };
    let (rules_path, audit_path, dbs_path) = (
        format!("{id}/firewallRules"),
        format!("{id}/auditingSettings/default"),
        format!("{id}/databases"),
    );
    let (rules, audit, dbs) = tokio::join!(
        ctx.arm.list(
            "Microsoft.Sql/servers/firewallRules/read",
            &rules_path,
            Some(API)
        ),
        ctx.arm.get(
            "Microsoft.Sql/servers/auditingSettings/read",
            &audit_path,
            Some(API)
        ),
        ctx.arm
            .list("Microsoft.Sql/servers/databases/read", &dbs_path, Some(API)),
    );
    let mut p = Props::default();
    p.set(
        "public_network_access",
        s["properties"]["publicNetworkAccess"]
            .as_str()
            .unwrap_or("Enabled"),
    );
    match rules {
        Ok(rules) => {
            let rules: Vec<Value> = rules
                .iter()
                .map(|r| {
                    json!({
                        "name": r["name"].as_str().unwrap_or_default(),
                        "start_ip": r["properties"]["startIpAddress"].as_str().unwrap_or_default(),
                        "end_ip": r["properties"]["endIpAddress"].as_str().unwrap_or_default(),
                    })
                })
                .collect();
            p.set("firewall_rules", rules);
        }
        Err(why) => p.unknown("firewall_rules", why),
    }
    match audit {
        Ok(a) => {
            p.set("auditing_enabled", a["properties"]["state"] == "Enabled");
            p.set(
                "audit_retention_days",
                a["properties"]["retentionDays"].as_i64().unwrap_or(0),
            );
        }
        Err(why) => {
            p.unknown("auditing_enabled", why.clone());
            p.unknown("audit_retention_days", why);
        }
    }
    found.resources.push(p.into_resource(resource(
        SERVER,
        id.clone(),
        sub,
        &location,
        name.clone(),
        tags,
    )));

    match dbs {
        Ok(dbs) => {
            // `master` is the server's own system database: TDE cannot be set on it.
            let user_dbs: Vec<&Value> = dbs.iter().filter(|d| d["name"] != "master").collect();
            let db_ids: Vec<String> = user_dbs
                .iter()
                .map(|d| d["id"].as_str().unwrap_or_default().to_string())
                .collect();
            let tde = in_order(
                ctx.concurrency,
                db_ids.into_iter().map(|db_id| async move {
                    ctx.arm
                        .get(
                            "Microsoft.Sql/servers/databases/transparentDataEncryption/read",
                            &format!("{db_id}/transparentDataEncryption/current"),
                            Some(API),
                        )
                        .await
                }),
            )
            .await;
            for (d, t) in user_dbs.iter().zip(tde) {
                let Some((db_id, db_name, db_loc, db_tags)) = arm_fields(d) else {
                    continue;
                };
                let mut p = Props::default();
                p.set("server", name.clone());
                match t {
                    Ok(t) => p.set("tde_enabled", t["properties"]["state"] == "Enabled"),
                    Err(why) => p.unknown("tde_enabled", why),
                }
                found.resources.push(p.into_resource(resource(
                    DATABASE,
                    db_id,
                    sub,
                    &db_loc,
                    format!("{name}/{db_name}"),
                    db_tags,
                )));
            }
        }
        Err(why) => found.gap(sub, Some(&location), &[DATABASE], format!("{name}: {why}")),
    }
    found
}
