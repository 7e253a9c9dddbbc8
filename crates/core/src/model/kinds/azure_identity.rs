//! Azure identity kinds: a subscription's Azure RBAC (owners and custom administrator roles, at
//! the subscription's scope and above) and a Microsoft Entra ID tenant's sign-in policy.

use super::*;
use crate::model::Provider;

pub(super) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "azure.authorization.subscription",
        provider: Provider::Azure,
        doc: "A subscription's Azure role-based access control: the role assignments that apply at the subscription's own scope (made there, or inherited from a management group or the root `/`), and the custom role definitions assignable there.",
        native_id: "`/subscriptions/ID/providers/Microsoft.Authorization`",
        props: &[
            p(
                "owner_accounts",
                INT,
                "Distinct accounts holding the built-in Owner role (`8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, compared by the GUID that ends `roleDefinitionId`) at the subscription or above: users and service principals (managed identities included) assigned directly, and the users and service principals among the transitive members of an assigned group (Graph `transitiveMembers`: a role assigned to a group is held by every member). Assignments at a resource group or resource do not count, nor does a principal Graph answers no longer exists (`Request_ResourceNotFound`: an assignment that outlived its deleted user or group). Unknown when a group's members could not be read, or an Owner assignment is to a principal the scanner cannot count (a `ForeignGroup` of another tenant, no `principalType`).",
            ),
            p(
                "owner_users",
                INT,
                "Of `owner_accounts`, the users (directly or through a group). Unknown when `owner_accounts` is.",
            ),
            p(
                "owner_assignments",
                STR_LIST,
                "Each Owner assignment at the subscription or above: principal type, object ID and scope, with, for a group, how many accounts it brings or that its members were not read, and for a principal Graph no longer knows, that it is not in the directory (object IDs only, never names).",
            ),
            p(
                "guest_owners",
                STR_LIST,
                "Object IDs of owner users whose Graph `userType` is `Guest`, directly or through a group. Unknown when an owner user's `userType` could not be read and no guest was found.",
            ),
            p(
                "custom_admin_roles",
                STR_LIST,
                "Custom role definitions (`type` `CustomRole`) applicable at the subscription whose `actions` include `*` (every control-plane action) and whose `assignableScopes` include the subscription, a management group or `/`; `notActions` do not clear a role (they subtract from `*`, they are no deny: a `*` role less a few actions still administers the subscription). Each as `roleName (GUID)`.",
            ),
            p(
                "custom_role_assigners",
                STR_LIST,
                "Custom role definitions applicable at the subscription, assignable there or above, that grant `Microsoft.Authorization/roleAssignments/write` or `Microsoft.Authorization/roleDefinitions/write` (by name or wildcard, case-insensitive; not when a `notActions` pattern of the same block takes it back): a holder can make anyone Owner, or widen a role to `*`. Each as `roleName (GUID)`.",
            ),
        ],
    },
    KindSpec {
        kind: "azure.entra.tenant",
        provider: Provider::Azure,
        doc: "A Microsoft Entra ID tenant: how sign-ins of its administrators must be made.",
        native_id: "tenant ID",
        props: &[
            p(
                "security_defaults_enabled",
                BOOL,
                "Security defaults are on (Graph `policies/identitySecurityDefaultsEnforcementPolicy` `isEnabled`): MFA for administrators, among others. Unknown when the policy could not be read (Policy.Read.All) or says nothing.",
            ),
            p(
                "admin_mfa_policies",
                STR_LIST,
                "Conditional Access policies (display names) that require MFA of all users or of directory roles on every sign-in: `state` `enabled` (not report-only), users `All` or some `includeRoles`, applications `All` with none excluded, no roles or groups excluded (named users, such as break-glass accounts, may be), no condition that narrows it (locations, platforms, risk levels, device filters, client apps other than `all`, authentication flows), and a grant that cannot be met without MFA (`mfa`, or an authentication strength whose every combination is multifactor; with `OR`, no weaker alternative). Unknown when the policies could not be read, or when an administrator role is left uncovered and one could not be judged.",
            ),
            p(
                "admin_mfa_uncovered_roles",
                STR_LIST,
                "The administrator roles of Microsoft's \"Require multifactor authentication for admins\" template (Global, Application, Authentication, Billing, Cloud Application, Conditional Access, Exchange, Helpdesk, Password, Privileged Authentication, Privileged Role, Security, SharePoint and User Administrator, by role template ID) that no such policy covers, by name; empty when one covers all users. Unknown as `admin_mfa_policies` is.",
            ),
            p(
                "admin_mfa_exclusions",
                STR_LIST,
                "Whom each qualifying policy excludes, as `policy: N user(s) excluded` (and `guests or external users excluded`): evidence for review, counted, never named.",
            ),
        ],
    },
];
