//! What every live adapter shares: properties read one by one (each known, or unknown with the
//! reason), what a service module found (resources and gaps), and bounded concurrency.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

use crate::model::{kinds::parse_kind, Gap, Provider, Resource};

/// The default longest time one call may take with its retries (`--call-timeout`), on every cloud.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// The default deadline of a whole live scan (`--timeout`), sized for estates of thousands of
/// resources per account.
pub const SCAN_TIMEOUT: Duration = Duration::from_secs(3600);

/// A resource's properties as they are read: each one known, or unknown with the reason.
#[derive(Default)]
pub struct Props {
    known: Map<String, Value>,
    unknown: BTreeMap<String, String>,
}

impl Props {
    pub fn set(&mut self, name: &str, value: impl Into<Value>) {
        self.unknown.remove(name);
        self.known.insert(name.to_string(), value.into());
    }

    pub fn unknown(&mut self, name: &str, reason: impl Into<String>) {
        self.known.remove(name);
        self.unknown.insert(name.to_string(), reason.into());
    }

    /// The tags as read; or, when they could not be read, none, with `tags` marked unknown (the
    /// resource's classification is then unknown, so it counts as in ePHI scope).
    pub fn tags(
        &mut self,
        read: Result<BTreeMap<String, String>, String>,
    ) -> BTreeMap<String, String> {
        read.unwrap_or_else(|why| {
            self.unknown("tags", why);
            BTreeMap::new()
        })
    }

    /// The known properties, and the names of the unknown ones: what a reader's unit test
    /// checks of what it read.
    pub fn into_parts(self) -> (Map<String, Value>, Vec<String>) {
        (self.known, self.unknown.into_keys().collect())
    }

    pub fn into_resource(self, mut r: Resource) -> Resource {
        r.properties = self.known;
        r.unknown = self.unknown;
        r
    }
}

/// What a service module found: resources, and the parts it could not list.
#[derive(Default)]
pub struct Found {
    pub resources: Vec<Resource>,
    pub gaps: Vec<Gap>,
}

impl Found {
    /// Records that `kinds` (all of one provider) could not be listed in `account`/`region`.
    pub fn gap(&mut self, account: &str, region: Option<&str>, kinds: &[&str], reason: String) {
        self.gaps.push(Gap {
            provider: provider_of(kinds.first().copied().unwrap_or_default()),
            account: account.to_string(),
            region: region.map(str::to_string),
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            reason,
        });
    }

    /// The items a listing returned; or, when it failed, `None` after recording the failure as
    /// a gap over `kinds`.
    pub fn listed<T>(
        &mut self,
        listing: Result<Vec<T>, String>,
        account: &str,
        region: Option<&str>,
        kinds: &[&str],
    ) -> Option<Vec<T>> {
        match listing {
            Ok(items) => Some(items),
            Err(why) => {
                self.gap(account, region, kinds, why);
                None
            }
        }
    }

    pub fn extend(&mut self, other: Found) {
        self.resources.extend(other.resources);
        self.gaps.extend(other.gaps);
    }
}

/// The provider a kind belongs to; kinds are compile-time constants of the adapters.
fn provider_of(kind: &str) -> Provider {
    parse_kind(kind).map_or(Provider::Aws, |(p, _)| p)
}

/// A resource shell with the fields every resource has; the provider is the kind's.
pub fn resource(
    kind: &str,
    id: String,
    account: &str,
    region: &str,
    name: String,
    tags: BTreeMap<String, String>,
) -> Resource {
    Resource {
        provider: provider_of(kind),
        kind: kind.to_string(),
        id,
        account: account.to_string(),
        region: region.to_string(),
        name,
        tags,
        properties: Map::new(),
        unknown: BTreeMap::new(),
    }
}

/// Runs `f` over `items` with at most `limit` at a time, keeping the input order.
pub async fn bounded<T, R, F, Fut>(items: Vec<T>, limit: usize, f: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
{
    let sem = Arc::new(Semaphore::new(limit.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let fut = f(item);
        let sem = sem.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            (i, fut.await)
        });
    }
    let mut out: Vec<(usize, R)> = Vec::with_capacity(set.len());
    while let Some(done) = set.join_next().await {
        match done {
            Ok(r) => out.push(r),
            // A panicking task is a bug in this crate; surface it rather than lose a resource.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// Runs one service's reading as a task of its own: a panic there (a bug, or an answer the
/// code did not expect) becomes a gap over `unread` (the kinds the reading writes or lists) in
/// `account`/`region`, and the rest of the scan goes on.
pub async fn isolated<F>(
    fut: F,
    unread: &[&str],
    service: &str,
    account: &str,
    region: Option<&str>,
) -> Found
where
    F: Future<Output = Found> + Send + 'static,
{
    match tokio::spawn(fut).await {
        Ok(found) => found,
        Err(e) => {
            let why = if e.is_panic() {
                "the reading stopped on an internal error (a bug: please report it)"
            } else {
                "the reading was cancelled"
            };
            let mut found = Found::default();
            found.gap(account, region, unread, format!("{service}: {why}"));
            found
        }
    }
}

/// The schema kinds of one service segment (`aws.rds.*` for `rds`; `azure.subscription` for
/// `subscription`).
pub fn service_kinds(provider: Provider, service: &str) -> Vec<&'static str> {
    let whole = format!("{}.{service}", provider.as_str());
    let prefix = format!("{whole}.");
    crate::model::all_kinds()
        .map(|k| k.kind)
        .filter(|k| *k == whole || k.starts_with(&prefix))
        .collect()
}

/// Reads one service of one account, project or subscription.
pub type Reader<C> = fn(Arc<C>, String) -> Pin<Box<dyn Future<Output = Found> + Send>>;

/// One entry of an adapter's service table.
pub struct Service<C: 'static> {
    /// The name progress and task failures report.
    pub name: &'static str,
    /// The schema kinds it writes.
    pub kinds: &'static [&'static str],
    /// Kinds without a schema that stand for what it lists for the BAA check (every other
    /// resource): a failed reading leaves them unknown too.
    pub lists: &'static [&'static str],
    /// The calls it makes, named as the provider's permissions name them (`rds:DescribeDBInstances`,
    /// `cloudsql.instances.list`, `Microsoft.Sql/servers`): the README's call lists are generated
    /// from them.
    pub calls: &'static [&'static str],
    pub read: Reader<C>,
}

impl<C> Service<C> {
    /// What it reads and calls, for the generated call lists.
    pub const fn reads(&self) -> Reads {
        Reads {
            name: self.name,
            kinds: self.kinds,
            calls: self.calls,
        }
    }
}

/// What one reader of a live adapter writes and which calls it makes: a service-table entry, or
/// a reader the adapter runs apart from its table (accounts, organizations, directories).
#[derive(Debug, Clone, Copy)]
pub struct Reads {
    pub name: &'static str,
    pub kinds: &'static [&'static str],
    pub calls: &'static [&'static str],
}

/// What an adapter's readers write and call: its table's entries, then those it runs apart.
pub fn table_reads<C>(table: &[Service<C>], apart: &[Reads]) -> Vec<Reads> {
    table
        .iter()
        .map(Service::reads)
        .chain(apart.iter().copied())
        .collect()
}

/// Every schema kind some reader writes, sorted, each once.
pub fn reads_kinds(reads: &[Reads]) -> Vec<&'static str> {
    let mut kinds: Vec<&str> = reads.iter().flat_map(|r| r.kinds.iter().copied()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// Reads every service of `table` for `scope` at once, each as a task of its own
/// ([`isolated`]): (service name, what it found), in table order.
pub async fn read_table<C: Send + Sync + 'static>(
    table: &'static [Service<C>],
    ctx: Arc<C>,
    scope: &str,
) -> Vec<(&'static str, Found)> {
    bounded(
        table.iter().collect(),
        table.len(),
        |s: &'static Service<C>| {
            let read = (s.read)(ctx.clone(), scope.to_string());
            let scope = scope.to_string();
            async move {
                let unread: Vec<&str> = s.kinds.iter().chain(s.lists).copied().collect();
                (s.name, isolated(read, &unread, s.name, &scope, None).await)
            }
        },
    )
    .await
}

/// Progress on stderr, one step per service and region (or project, subscription); drawn only
/// when stderr is a terminal.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// `what` names the steps, e.g. `AWS ... service-regions`.
    pub fn new(provider: &str, steps: &str, total: u64) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let template = format!(
            "{{spinner}} {provider} {{pos}}/{{len}} {steps} read, last: {{msg}} ({{elapsed}})"
        );
        bar.set_style(
            ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    /// One step done.
    pub fn done(&self, what: &str) {
        self.bar.inc(1);
        self.bar.set_message(what.to_string());
    }

    /// Clears the bar when the reading is over.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// `op: CODE: message (HTTP n)` from an API's error answer, whichever parts it had.
pub fn error_reason(op: &str, code: Option<&str>, message: Option<&str>, http: u16) -> String {
    let message = message.map(|m| m.chars().take(300).collect::<String>());
    match (code.filter(|c| !c.is_empty()), message) {
        (Some(c), Some(m)) => format!("{op}: {c}: {m} (HTTP {http})"),
        (Some(c), None) => format!("{op}: {c} (HTTP {http})"),
        (None, Some(m)) => format!("{op}: {m} (HTTP {http})"),
        (None, None) => format!("{op}: HTTP {http}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{isolated, read_table, service_kinds, Found, Service};
    use crate::model::Provider;

    /// A table whose first service panics: it lists resources beside the kinds it writes.
    const TABLE: &[Service<()>] = &[
        Service {
            name: "in_use",
            kinds: &["gcp.storage.bucket"],
            lists: &["gcp.cloudasset.resource"],
            calls: &["cloudasset.assets.searchAllResources"],
            read: |_, _| Box::pin(async { panic!("an answer the code did not expect") }),
        },
        Service {
            name: "sql",
            kinds: &["gcp.sql.instance"],
            lists: &[],
            calls: &["cloudsql.instances.list"],
            read: |_, _| Box::pin(async { Found::default() }),
        },
    ];

    #[tokio::test]
    async fn a_panicking_table_service_leaves_what_it_writes_and_lists_unknown() {
        let read = read_table(TABLE, std::sync::Arc::new(()), "p").await;
        assert_eq!(read.len(), 2);
        let (name, broken) = &read[0];
        assert_eq!(*name, "in_use");
        assert_eq!(broken.gaps.len(), 1);
        assert_eq!(
            broken.gaps[0].kinds,
            ["gcp.storage.bucket", "gcp.cloudasset.resource"]
        );
        assert_eq!(broken.gaps[0].account, "p");
        assert_eq!(read[1].0, "sql");
        assert!(read[1].1.gaps.is_empty());
    }

    #[tokio::test]
    async fn a_panicking_service_becomes_a_gap_and_a_healthy_one_is_untouched() {
        let rds = service_kinds(Provider::Aws, "rds");
        let broken = isolated(
            async {
                let answer: Option<u8> = std::hint::black_box(None);
                // An answer the code did not expect.
                let _ = answer.expect("a field the API always sends");
                Found::default()
            },
            &rds,
            "rds",
            "111122223333",
            Some("eu-west-1"),
        )
        .await;
        assert!(broken.resources.is_empty());
        assert_eq!(broken.gaps.len(), 1);
        let gap = &broken.gaps[0];
        assert!(
            gap.kinds.iter().any(|k| k == "aws.rds.instance"),
            "{:?}",
            gap.kinds
        );
        assert!(gap.kinds.iter().all(|k| k.starts_with("aws.rds.")));
        assert_eq!(gap.region.as_deref(), Some("eu-west-1"));
        assert!(gap.reason.contains("internal error"), "{}", gap.reason);

        assert_eq!(
            service_kinds(Provider::Azure, "subscription"),
            ["azure.subscription"]
        );
        // Kinds without a schema (what a services-in-use reading lists) are named as given.
        let listing = isolated(
            async { panic!("boom") },
            &["gcp.cloudasset.resource"],
            "in_use",
            "p",
            None,
        )
        .await;
        assert_eq!(listing.gaps[0].kinds, ["gcp.cloudasset.resource"]);

        let fine = isolated(async { Found::default() }, &rds, "rds", "p", None).await;
        assert!(fine.gaps.is_empty());
    }
}
