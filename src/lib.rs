//! hipaa-scan: scans cloud estates against the HIPAA Security Rule.
//!
//! The work is done by the workspace's crates, which this library puts under one name for the
//! binary, the integration tests and users of the library:
//! - `hipaa-scan-core` (no cloud SDK): the normalized [`model::Inventory`], the declarative
//!   [`policy`] files and their [`engine`], [`results`], the [`report`]s, waivers, baselines and
//!   the [`baa`] inheritance map;
//! - one adapter crate per cloud, each behind the feature of the same name (all on by default):
//!   `aws`, `gcp` and `azure`.

pub use hipaa_scan_core::*;

#[cfg(feature = "aws")]
pub use hipaa_scan_aws as aws;
#[cfg(feature = "azure")]
pub use hipaa_scan_azure as azure;
#[cfg(feature = "gcp")]
pub use hipaa_scan_gcp as gcp;
