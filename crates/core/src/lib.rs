//! hipaa-scan: scans cloud estates against the HIPAA Security Rule.
//!
//! Pipeline: provider adapters fill a normalized [`model::Inventory`]; declarative
//! [`policy`] files evaluate every resource ([`engine`]); [`report`] renders the verdicts as
//! text, JSON, SARIF and Markdown, and [`baa`] builds the physical-safeguard inheritance map.

pub mod baa;
pub mod baseline;
pub mod collect;
pub mod config;
pub mod docs;
pub mod engine;
pub mod error;
pub mod hipaa;
pub mod iam_doc;
pub mod merge;
pub mod model;
pub mod net;
pub mod output;
pub mod policy;
pub mod report;
pub mod results;
pub mod scan;
pub mod shard;
pub mod waiver;
