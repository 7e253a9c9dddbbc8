//! The BAA lists and the 164.310 table as shipped: schema, sources, resolution of real kinds.

use std::collections::BTreeSet;

use super::*;

const ONE: &str = r#"
provider: aws
baa: AWS Business Associate Addendum
list: AWS HIPAA Eligible Services Reference
source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/
as_of: "2026-11-30"
services:
  - { name: Amazon SQS, namespaces: [sqs], source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/ }
"#;

fn input_messages(r: Result<ProviderBaa>) -> Vec<String> {
    match r {
        Err(Error::Input(e)) => e.into_iter().map(|e| e.message).collect(),
        Err(e) => vec![e.to_string()],
        Ok(_) => vec![],
    }
}

#[test]
fn builtin_catalog_loads_with_complete_lists() {
    let catalog = Catalog::builtin().unwrap();
    assert_eq!(catalog.safeguards.len(), 12);
    let listed = |p| {
        catalog.providers[&p]
            .services
            .iter()
            .filter(|e| e.listed)
            .count()
    };
    // The providers publish well over a hundred (AWS), about a hundred (Google Cloud) and
    // close to a hundred (Azure) services; a list far shorter than that is incomplete.
    assert!(listed(Provider::Aws) > 120, "{}", listed(Provider::Aws));
    assert!(listed(Provider::Gcp) > 90, "{}", listed(Provider::Gcp));
    assert!(listed(Provider::Azure) > 80, "{}", listed(Provider::Azure));
    for baa in catalog.providers.values() {
        assert!(is_date(&baa.as_of), "{}", baa.as_of);
        for e in &baa.services {
            assert!(
                is_url(&e.source),
                "{} ({}) has no source",
                e.name,
                baa.provider
            );
        }
    }
}

#[test]
fn an_entry_without_a_source_is_refused() {
    let missing = ONE.replace(
        ", source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/ }",
        " }",
    );
    assert_ne!(missing, ONE);
    assert!(ProviderBaa::parse("t.yaml", &missing).is_err());
    let empty = ONE.replace(
        ", source: https://aws.amazon.com/compliance/hipaa-eligible-services-reference/ }",
        ", source: \"\" }",
    );
    let msgs = input_messages(ProviderBaa::parse("t.yaml", &empty));
    assert!(msgs.iter().any(|m| m.contains("has no source")), "{msgs:?}");
    assert!(ProviderBaa::parse("t.yaml", ONE).is_ok());
}

#[test]
fn namespaces_are_unique_and_within_resolves() {
    let dup = ONE.replace(
        "services:\n",
        "services:\n  - { name: Other, namespaces: [sqs], source: https://example.com/x }\n",
    );
    let msgs = input_messages(ProviderBaa::parse("t.yaml", &dup));
    assert!(
        msgs.iter().any(|m| m.contains("resolves to both")),
        "{msgs:?}"
    );
    let within = ONE.replace(
        "services:\n",
        "services:\n  - { name: Ghost, within: nope, source: https://example.com/x }\n",
    );
    let msgs = input_messages(ProviderBaa::parse("t.yaml", &within));
    assert!(
        msgs.iter().any(|m| m.contains("which no entry covers")),
        "{msgs:?}"
    );
    // Every builtin key resolves to exactly one entry (parse refuses duplicates).
    let catalog = Catalog::builtin().unwrap();
    for baa in catalog.providers.values() {
        let keys: Vec<&str> = baa.services.iter().flat_map(|e| e.keys()).collect();
        let unique: BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(keys.len(), unique.len(), "{}", baa.provider);
    }
}

/// Services of this tool's kinds that are deliberately not on a BAA list.
const DELIBERATELY_ABSENT: &[(Provider, &str)] = &[];

#[test]
fn every_kind_service_resolves_or_is_deliberately_absent() {
    let catalog = Catalog::builtin().unwrap();
    for k in crate::model::all_kinds() {
        let deliberate = DELIBERATELY_ABSENT.contains(&(k.provider, k.service()));
        assert_eq!(
            catalog.eligibility(k.provider, k.service()).eligible,
            !deliberate,
            "{}: its service `{}` does not resolve to a BAA entry",
            k.kind,
            k.service()
        );
    }
    // The keys the adapters used before kinds were named after provider namespaces.
    for (p, key) in [
        (Provider::Aws, "account"),
        (Provider::Aws, "iam"),
        (Provider::Aws, "sso"),
        (Provider::Gcp, "project"),
        (Provider::Gcp, "resourcemanager"),
        (Provider::Gcp, "sql"),
        (Provider::Gcp, "kms"),
        (Provider::Gcp, "identity"),
        (Provider::Azure, "subscription"),
        (Provider::Azure, "entra"),
        (Provider::Azure, "cosmosdb"),
    ] {
        assert!(catalog.eligibility(p, key).eligible, "{p}/{key}");
    }
    // Provider namespaces named in the issue.
    for (p, key) in [
        (Provider::Aws, "sqs"),
        (Provider::Aws, "lambda"),
        (Provider::Aws, "states"),
        (Provider::Aws, "es"),
        (Provider::Aws, "elasticmapreduce"),
        (Provider::Aws, "cognito-idp"),
        (Provider::Gcp, "storage"),
        (Provider::Gcp, "sqladmin"),
        (Provider::Gcp, "bigquery"),
        (Provider::Gcp, "compute"),
        (Provider::Gcp, "container"),
        (Provider::Azure, "storage"),
        (Provider::Azure, "sql"),
        (Provider::Azure, "keyvault"),
        (Provider::Azure, "documentdb"),
        (Provider::Azure, "web"),
        (Provider::Azure, "compute"),
    ] {
        assert_eq!(
            catalog.eligibility(p, key).status,
            BaaStatus::Listed,
            "{p}/{key}"
        );
    }
}

#[test]
fn services_off_the_list_say_so_with_the_date() {
    let catalog = Catalog::builtin().unwrap();
    for (p, key, says) in [
        (Provider::Aws, "lightsail", "not on the AWS BAA list as of "),
        (Provider::Aws, "gamelift", "not on the AWS BAA list as of "),
        (
            Provider::Gcp,
            "firebasedatabase",
            "not on the Google Cloud BAA list as of ",
        ),
        (
            Provider::Azure,
            "playwrighttesting",
            "not on the Azure BAA list as of ",
        ),
    ] {
        let e = catalog.eligibility(p, key);
        assert!(!e.eligible, "{p}/{key}");
        assert_eq!(e.status, BaaStatus::NotListed);
        let as_of = &catalog.providers[&p].as_of;
        assert!(e.basis.contains(&format!("{says}{as_of}")), "{}", e.basis);
    }
    let s3 = catalog.eligibility(Provider::Aws, "s3");
    assert!(
        s3.basis.contains("is on the AWS BAA list as of"),
        "{}",
        s3.basis
    );
}

/// Kinds as the adapters name real resources: the ARN service namespace (with the resource
/// type the ARN carries), the Cloud Asset Inventory asset type or enabled API, the Azure
/// resource type. `true`: a service on the provider's list (or the account scope); `false`:
/// a service absent from it.
const REAL_KINDS: &[(&str, bool)] = &[
    // AWS
    ("aws.states.state_machine", true),
    ("aws.es.domain", true),
    ("aws.events.rule", true),
    ("aws.events.event_bus", true),
    ("aws.scheduler.schedule", true),
    ("aws.pipes.pipe", true),
    ("aws.kinesisvideo.stream", true),
    ("aws.mq.broker", true),
    ("aws.kafka.cluster", true),
    ("aws.kafkaconnect.connector", true),
    ("aws.glue.job", true),
    ("aws.cognito-idp.userpool", true),
    ("aws.cognito-identity.identitypool", true),
    ("aws.acm.certificate", true),
    ("aws.acm-pca.certificate_authority", true),
    ("aws.cloudfront.distribution", true),
    ("aws.apigateway.resource", true),
    ("aws.ecr.repository", true),
    ("aws.ecs.cluster", true),
    ("aws.eks.cluster", true),
    ("aws.lambda.function", true),
    ("aws.batch.job_queue", true),
    ("aws.fsx.file_system", true),
    ("aws.storagegateway.gateway", true),
    ("aws.datasync.task", true),
    ("aws.transfer.server", true),
    ("aws.wafv2.regional", true),
    ("aws.shield.protection", true),
    ("aws.route53.hostedzone", true),
    ("aws.ses.identity", true),
    ("aws.connect.instance", true),
    ("aws.healthlake.datastore", true),
    ("aws.sagemaker.notebook_instance", true),
    ("aws.bedrock.agent", true),
    ("aws.quicksight.dashboard", true),
    ("aws.athena.workgroup", true),
    ("aws.elasticmapreduce.cluster", true),
    ("aws.redshift.cluster", true),
    ("aws.redshift-serverless.workgroup", true),
    ("aws.timestream.database", true),
    ("aws.cassandra.resource", true),
    ("aws.memorydb.cluster", true),
    ("aws.docdb-elastic.cluster", true),
    ("aws.rds.cluster", true),
    ("aws.cloudhsm.cluster", true),
    ("aws.ds.directory", true),
    ("aws.workspaces.workspace", true),
    ("aws.appsync.apis", true),
    ("aws.amplify.apps", true),
    ("aws.apprunner.service", true),
    ("aws.elasticbeanstalk.environment", true),
    ("aws.codebuild.project", true),
    ("aws.codepipeline.resource", true),
    ("aws.ssm.document", true),
    ("aws.cloudwatch.alarm", true),
    ("aws.logs.log_group", true),
    ("aws.xray.group", true),
    ("aws.backup.backup_vault", true),
    ("aws.backup-gateway.gateway", true),
    ("aws.dlm.policy", true),
    ("aws.lightsail.instance", false),
    ("aws.gamelift.fleet", false),
    ("aws.sdb.domain", false),
    ("aws.cloudsearch.domain", false),
    ("aws.elastictranscoder.pipeline", false),
    // Google Cloud
    ("gcp.container.cluster", true),
    ("gcp.container.node_pool", true),
    ("gcp.run.service", true),
    ("gcp.run.job", true),
    ("gcp.cloudfunctions.cloud_function", true),
    ("gcp.spanner.instance", true),
    ("gcp.bigtableadmin.instance", true),
    ("gcp.file.instance", true),
    ("gcp.redis.instance", true),
    ("gcp.memcache.instance", true),
    ("gcp.dataproc.cluster", true),
    ("gcp.composer.environment", true),
    ("gcp.aiplatform.endpoint", true),
    ("gcp.notebooks.instance", true),
    ("gcp.healthcare.fhir_store", true),
    ("gcp.secretmanager.secret", true),
    ("gcp.artifactregistry.repository", true),
    ("gcp.pubsub.topic", true),
    ("gcp.cloudtasks.queue", true),
    ("gcp.cloudscheduler.job", true),
    ("gcp.workflows.workflow", true),
    ("gcp.workflowexecutions.enabled_api", true),
    ("gcp.eventarc.trigger", true),
    ("gcp.dns.managed_zone", true),
    ("gcp.iam.service_account", true),
    ("gcp.logging.log_sink", true),
    ("gcp.monitoring.alert_policy", true),
    ("gcp.cloudkms.key_ring", true),
    ("gcp.compute.subnetwork", true),
    ("gcp.vpcaccess.connector", true),
    ("gcp.servicenetworking.enabled_api", true),
    ("gcp.osconfig.os_policy_assignment", true),
    ("gcp.dataform.repository", true),
    ("gcp.datastream.stream", true),
    ("gcp.alloydb.cluster", true),
    ("gcp.firestore.database", true),
    ("gcp.datastore.enabled_api", true),
    ("gcp.bigquery.dataset", true),
    ("gcp.dataplex.lake", true),
    ("gcp.datalineage.enabled_api", true),
    ("gcp.orgpolicy.policy", true),
    ("gcp.firebasedatabase.instance", false),
    ("gcp.gameservices.realm", false),
    ("gcp.youtube.enabled_api", false),
    // Azure
    ("azure.containerservice.managedclusters", true),
    ("azure.web.sites", true),
    ("azure.web.serverfarms", true),
    ("azure.certificateregistration.certificateorders", true),
    ("azure.domainregistration.domains", true),
    ("azure.documentdb.databaseaccounts", true),
    ("azure.keyvault.vaults", true),
    ("azure.app.containerapps", true),
    ("azure.app.managedenvironments", true),
    ("azure.containerregistry.registries", true),
    ("azure.eventhub.namespaces", true),
    ("azure.servicebus.namespaces", true),
    ("azure.logic.workflows", true),
    ("azure.apimanagement.service", true),
    ("azure.cache.redis", true),
    ("azure.cognitiveservices.accounts", true),
    ("azure.machinelearningservices.workspaces", true),
    ("azure.insights.components", true),
    ("azure.operationalinsights.workspaces", true),
    ("azure.operationsmanagement.solutions", true),
    ("azure.recoveryservices.vaults", true),
    ("azure.datafactory.factories", true),
    ("azure.synapse.workspaces", true),
    ("azure.databricks.workspaces", true),
    ("azure.healthcareapis.workspaces", true),
    ("azure.search.searchservices", true),
    ("azure.signalrservice.signalr", true),
    ("azure.cdn.profiles", true),
    ("azure.network.frontdoors", true),
    ("azure.network.virtualnetworks", true),
    ("azure.managedidentity.userassignedidentities", true),
    ("azure.automation.automationaccounts", true),
    ("azure.batch.batchaccounts", true),
    ("azure.hdinsight.clusters", true),
    ("azure.kusto.clusters", true),
    ("azure.streamanalytics.streamingjobs", true),
    ("azure.eventgrid.topics", true),
    ("azure.relay.namespaces", true),
    ("azure.notificationhubs.namespaces", true),
    ("azure.appconfiguration.configurationstores", true),
    ("azure.desktopvirtualization.hostpools", true),
    ("azure.devices.iothubs", true),
    ("azure.purview.accounts", true),
    ("azure.dbforpostgresql.flexibleservers", true),
    ("azure.sql.servers.databases", true),
    ("azure.storage.storageaccounts", true),
    ("azure.compute.virtualmachines", true),
    (
        "azure.guestconfiguration.guestconfigurationassignments",
        true,
    ),
    ("azure.playwrighttesting.accounts", false),
    ("azure.quantum.workspaces", false),
    ("azure.scheduler.jobcollections", false),
    ("azure.blockchain.blockchainmembers", false),
];

#[test]
fn real_resource_kinds_resolve_as_the_lists_say() {
    let catalog = Catalog::builtin().unwrap();
    let mut wrong = Vec::new();
    for &(kind, covered) in REAL_KINDS {
        let (provider, service) = crate::model::kinds::parse_kind(kind)
            .unwrap_or_else(|| panic!("`{kind}` is not a valid kind"));
        let e = catalog.eligibility(provider, service);
        if e.eligible != covered {
            wrong.push(format!(
                "{kind}: expected covered={covered}, got {}",
                e.basis
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let count = |p: &str, c: bool| {
        REAL_KINDS
            .iter()
            .filter(|(k, v)| k.starts_with(p) && *v == c)
            .count()
    };
    for p in ["aws.", "gcp.", "azure."] {
        assert!(count(p, true) >= 20, "{p}");
        assert!(count(p, false) >= 3, "{p}");
    }
}

fn row<'a>(catalog: &'a Catalog, citation: &str) -> &'a Safeguard {
    catalog
        .safeguards
        .iter()
        .find(|s| s.citation == citation)
        .unwrap()
}

#[test]
fn the_164_310_table_reads_the_rule_right() {
    use Responsibility::*;
    let catalog = Catalog::builtin().unwrap();
    let carrier = |c: &str, eligible: bool, m: ServiceModel, cp: bool| {
        row(&catalog, c).for_service(eligible, m, cp).carrier
    };
    for c in ["164.310(d)(2)(i)", "164.310(d)(2)(ii)"] {
        for m in [ServiceModel::Infrastructure, ServiceModel::Managed] {
            assert_eq!(carrier(c, true, m, false), Shared, "{c} {m:?}");
        }
        assert!(row(&catalog, c).managed.obligation.is_some());
    }
    let backup = "164.310(d)(2)(iv)";
    assert_eq!(
        carrier(backup, true, ServiceModel::Managed, false),
        Inherited
    );
    assert_eq!(
        carrier(backup, true, ServiceModel::Infrastructure, false),
        Inherited
    );
    assert_eq!(carrier(backup, true, ServiceModel::Edge, false), Customer);
    for s in &catalog.safeguards {
        let c = s.citation.as_str();
        if c.starts_with("164.310(a)") {
            assert_eq!(carrier(c, true, ServiceModel::Edge, false), Customer, "{c}");
        }
        if c.starts_with("164.310(d)") {
            assert_eq!(
                carrier(c, true, ServiceModel::Managed, true),
                NotApplicable,
                "{c}"
            );
        }
        let outside = carrier(c, false, ServiceModel::Managed, false);
        if c == "164.310(b)" || c == "164.310(c)" {
            assert_eq!(outside, Customer, "{c}");
        } else {
            assert_eq!(outside, NotPermitted, "{c}");
        }
    }
}

#[test]
fn edge_services_are_marked_edge() {
    let catalog = Catalog::builtin().unwrap();
    for (p, key) in [
        (Provider::Aws, "outposts"),
        (Provider::Aws, "snowball"),
        (Provider::Aws, "storagegateway"),
        (Provider::Azure, "azurestackhci"),
        (Provider::Azure, "hybridcompute"),
    ] {
        assert_eq!(
            catalog.service(p, key).unwrap().model,
            ServiceModel::Edge,
            "{p}/{key}"
        );
    }
}
