//! Google Cloud kinds of Compute Engine: VPC firewall rules and VM instances.

use super::*;
use crate::model::Provider;

const FIREWALL_ENTRY: PropType = PropType::Object(&[
    p(
        "protocol",
        STR,
        "`IPProtocol` as the API states it, lower-cased: `tcp`, `udp`, `icmp`, `esp`, `ah`, `sctp`, `ipip`, `all`, or an IP protocol number.",
    ),
    p(
        "ports",
        STR_LIST,
        "Ports and port ranges (`22`, `20-30`); empty means every port of the protocol.",
    ),
]);

pub(super) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "gcp.compute.firewall",
        provider: Provider::Gcp,
        doc: "A VPC firewall rule (`compute.firewalls.list`). Each rule is judged on its own: a higher-priority deny rule on the same network is not subtracted (it may target other instances), so an allow rule that opens a port is reported even when a deny rule in front of it closes the port for some of its targets. Hierarchical and network firewall policies are not read.",
        native_id: "full resource name `//compute.googleapis.com/projects/P/global/firewalls/NAME`",
        props: &[
            p("direction", STR, "`INGRESS` or `EGRESS`; absent means `INGRESS`, the API's documented default."),
            p("disabled", BOOL, "The rule is not enforced (`disabled`); absent means enabled, the documented default."),
            p("priority", INT, "0 (first) to 65535 (last); absent means 1000, the documented default."),
            p("network", STR, "Name of the VPC network the rule belongs to (the last segment of `network`)."),
            p(
                "source_ranges",
                STR_LIST,
                "IPv4 and IPv6 source CIDR ranges (`sourceRanges`), as the API states them. An ingress rule that names no source at all (no ranges, tags or service accounts) applies to `0.0.0.0/0`, as Google documents; it is listed so here.",
            ),
            p("source_tags", STR_LIST, "Network tags of the instances the traffic may come from (`sourceTags`): internal traffic only, never the internet."),
            p("source_service_accounts", STR_LIST, "Service accounts of the instances the traffic may come from (`sourceServiceAccounts`): internal traffic only."),
            p("destination_ranges", STR_LIST, "Destination CIDR ranges (`destinationRanges`)."),
            PropSpec {
                name: "allowed",
                ty: PropType::List(&FIREWALL_ENTRY),
                nullable: false,
                sensitive: false,
                doc: "What the rule allows (`allowed[]`): protocol and ports.",
            },
            PropSpec {
                name: "denied",
                ty: PropType::List(&FIREWALL_ENTRY),
                nullable: false,
                sensitive: false,
                doc: "What the rule denies (`denied[]`): protocol and ports.",
            },
            p("target_tags", STR_LIST, "Network tags of the instances the rule applies to; empty with no target service accounts means every instance of the network."),
            p("target_service_accounts", STR_LIST, "Service accounts of the instances the rule applies to."),
            p(
                "internet_open_admin_ports",
                STR_LIST,
                "TCP/UDP 22 (SSH), 3389 (RDP) or every port that this rule lets the internet reach, as `tcp 22 from 0.0.0.0/1, 128.0.0.0/1`. Only an enabled `INGRESS` rule's `allowed` entries count; protocol `all` (or `tcp`, `udp`, `6`, `17`) with no `ports` means every port, and port ranges (`20-30`) are expanded. Its source ranges are the internet when, together, they cover all of IPv4, all of IPv6 or `2000::/3`, or one is broader than the `--open-prefix` bound (/8 by default); source tags and service accounts are never the internet. Empty when closed; unknown when a range, protocol or port does not parse.",
            ),
            p(
                "internet_open_database_ports",
                STR_LIST,
                "The same for database and remote-management ports: 1433, 1521, 3306, 5432, 6379, 9200, 27017, 445, 23, 5985, 5986.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.compute.instance",
        provider: Provider::Gcp,
        doc: "A Compute Engine VM instance (`compute.instances.aggregatedList`, every zone), with the project-wide metadata it inherits (`compute.projects.get` `commonInstanceMetadata`). Labels are its tags.",
        native_id: "full resource name `//compute.googleapis.com/projects/P/zones/ZONE/instances/NAME`",
        props: &[
            p("status", STR, "`RUNNING`, `TERMINATED` (stopped), `SUSPENDED`, `PROVISIONING`, `STAGING`, `STOPPING`, `SUSPENDING`, `REPAIRING`."),
            p(
                "public_ip",
                BOOL,
                "Some network interface has an external address: an IPv4 access config (`accessConfigs[]`, with or without a `natIP`: a stopped instance's ephemeral address is released and comes back when it starts) or an external IPv6 access config (`ipv6AccessConfigs[]`).",
            ),
            p("external_ips", STR_LIST, "The external addresses it holds now (`natIP`, `externalIpv6`)."),
            p(
                "os_login",
                BOOL,
                "OS Login is on: metadata key `enable-oslogin` is true on the instance, or, when the instance does not set it, in the project's common instance metadata (absent in both: off, the default). Unknown when the instance does not set it and the project's metadata could not be read, or the value is not a boolean. The organization policy `compute.requireOsLogin` is not read.",
            ),
            p(
                "serial_port_enabled",
                BOOL,
                "Interactive serial console access is on: metadata key `serial-port-enable` true on the instance, or, when the instance does not set it, in the project's metadata (absent in both: off, the default). Same unknown rule. The organization policy `compute.disableSerialPortAccess` is not read.",
            ),
            p("service_accounts", STR_LIST, "Emails of the service accounts attached to the instance."),
            p(
                "default_service_account",
                BOOL,
                "A Compute Engine default service account (`NUMBER-compute@developer.gserviceaccount.com`) is attached.",
            ),
            p(
                "default_service_account_full_access",
                BOOL,
                "A Compute Engine default service account is attached with the `https://www.googleapis.com/auth/cloud-platform` scope (\"Allow full access to all Cloud APIs\"): the instance can use every role of the default account, Editor unless it was removed.",
            ),
            p("shielded_secure_boot", BOOL, "Shielded VM Secure Boot (`shieldedInstanceConfig.enableSecureBoot`); absent means off, the documented default."),
            p("shielded_vtpm", BOOL, "Shielded VM virtual TPM (`shieldedInstanceConfig.enableVtpm`). Unknown when the API leaves it out."),
            p("shielded_integrity_monitoring", BOOL, "Shielded VM integrity monitoring (`shieldedInstanceConfig.enableIntegrityMonitoring`). Unknown when the API leaves it out."),
            p("ip_forwarding", BOOL, "The instance may send and receive packets for other addresses (`canIpForward`; absent means off, the documented default)."),
            p(
                "disks_cmek",
                BOOL,
                "Every persistent disk attached (boot and data) is encrypted with a customer-managed Cloud KMS key (`disks[].diskEncryptionKey.kmsKeyName`). A customer-supplied key (CSEK, deprecated by Google for CMEK) does not count. Local SSDs (`SCRATCH`) cannot take a Cloud KMS key and are not judged.",
            ),
            p("disks_without_cmek", STR_LIST, "Device names (or disk names) of the persistent disks without a Cloud KMS key."),
            p("deletion_protection", BOOL, "Deletion protection (`deletionProtection`; absent means off, the documented default)."),
            p(
                "confidential_computing",
                BOOL,
                "Confidential VM: `confidentialInstanceConfig.enableConfidentialCompute` or a `confidentialInstanceType` (SEV, SEV-SNP, TDX); absent means off.",
            ),
            p("network_tags", STR_LIST, "Network tags (`tags.items`), which firewall rules target."),
        ],
    },
];
