//! Sharding an estate across jobs: `--shard K/N` keeps the accounts (projects, subscriptions)
//! whose stable hash falls in slot K of N, so N jobs with no coordination cover every account
//! exactly once.
//!
//! The hash is SHA-256 of the id, read as a big-endian integer modulo N (the first 8 bytes are
//! enough: 2^64 mod N is negligible bias for any N a user would run). It never depends on the
//! Rust version, the platform or the order the accounts were listed in.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Slot `index` (1-based) of `count` slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// The slot (1-based) an id falls in when the estate is split `count` ways.
    pub(crate) fn slot_of(id: &str, count: u32) -> u32 {
        let digest = Sha256::digest(id.trim().as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32 + 1
    }

    /// Whether this shard holds `id`.
    pub fn contains(&self, id: &str) -> bool {
        Self::slot_of(id, self.count) == self.index
    }
}

impl Shard {
    /// A 0-based job index `I/N`, as a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` gives
    /// it: shard `I+1` of `N`.
    pub fn from_job_index(s: &str) -> Result<Shard, String> {
        let bad = || {
            format!("`{s}` is not a job index: expected I/N with 0 <= I < N <= 10000, e.g. $(JOB_COMPLETION_INDEX)/4")
        };
        let (i, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        format!("{}/{}", index.checked_add(1).ok_or_else(bad)?, n.trim())
            .parse()
            .map_err(|_| bad())
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("`{s}` is not a shard: expected K/N with 1 <= K <= N <= 10000, e.g. 2/4 (a Kubernetes Indexed Job passes $((JOB_COMPLETION_INDEX + 1))/N)")
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count || count > 10_000 {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl serde::Serialize for Shard {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Shard {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "", "1/20000"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(
            Shard::from_job_index("0/4"),
            Ok(Shard { index: 1, count: 4 })
        );
        assert_eq!(
            Shard::from_job_index("3/4"),
            Ok(Shard { index: 4, count: 4 })
        );
        assert!(Shard::from_job_index("4/4").is_err());
    }

    #[test]
    fn every_id_falls_in_exactly_one_shard() {
        for n in 1..=7u32 {
            for i in 0..200 {
                let id = format!("{:012}", 100_000_000_000u64 + i * 7919);
                let holders = (1..=n)
                    .filter(|k| {
                        Shard {
                            index: *k,
                            count: n,
                        }
                        .contains(&id)
                    })
                    .count();
                assert_eq!(holders, 1, "{id} in {holders} of {n} shards");
            }
        }
    }

    #[test]
    fn the_hash_is_stable() {
        // SHA-256 of the id, first 8 bytes big-endian, mod 1000, plus 1: computed independently
        // (Python's hashlib) and pinned, so a change of hash (which would reshuffle every
        // sharded deployment) is noticed.
        let slots: Vec<u32> = ["123456789012", "210987654321", "my-project"]
            .iter()
            .map(|id| Shard::slot_of(id, 1000))
            .collect();
        assert_eq!(slots, [835, 73, 449]);
    }
}
