//! `harness run --shard K/N`: which part of a plan one shard runs, so that N machines (or N
//! CI jobs) can share a run and `harness merge` can put it back together.
//!
//! The unit handed out is a **cell**: one invocation index of one benchmark, with all of its
//! configs. Cells are numbered in schedule order (invocation index outermost, then the
//! benchmarks in plan order; see [`crate::plan`]) and dealt round-robin: cell `c` belongs to
//! shard `c mod N + 1`. Keeping a cell's configs together means every machine measures every
//! config of the benchmarks it got, in the same seeded shuffled order as the unsharded run, so
//! a machine that is faster overall shifts all configs alike rather than one config's median;
//! dealing round-robin spreads each benchmark's invocations over all shards.
//!
//! The assignment depends only on the benchmarks' invocation counts (not on the seed), so
//! `harness merge` recomputes it from `run.json` to check that each row is where it belongs.

use std::collections::HashSet;
use std::fmt;

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

use crate::plan::{Settings, Task};

/// Shard `index` of `count` (1-based, `1 <= index <= count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// The most shards a run can be split into (more would be shards of single invocations).
pub const MAX_SHARDS: u32 = 10_000;

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Parses `K/N` with `1 <= K <= N <= MAX_SHARDS` (the `--shard` value parser).
pub fn parse(text: &str) -> Result<Shard, String> {
    let bad = || format!("expected K/N with 1 <= K <= N <= {MAX_SHARDS} (e.g. 2/4), got '{text}'");
    let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
    let k: u32 = k.trim().parse().map_err(|_| bad())?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || k > n || n > MAX_SHARDS {
        return Err(bad());
    }
    Ok(Shard { index: k, count: n })
}

/// A cell: (invocation index, benchmark position in plan order).
pub type Cell = (u32, usize);

/// Every cell of a plan whose benchmarks (in plan order) have `invocations[b]` invocations,
/// in schedule order.
pub fn cells(invocations: &[u32]) -> Vec<Cell> {
    let rounds = invocations.iter().copied().max().unwrap_or(0);
    let mut out = Vec::new();
    for round in 0..rounds {
        for (b, &n) in invocations.iter().enumerate() {
            if round < n {
                out.push((round, b));
            }
        }
    }
    out
}

impl Shard {
    /// True if cell number `ordinal` (its position in [`cells`]) belongs to this shard.
    pub fn owns(&self, ordinal: usize) -> bool {
        ordinal % self.count as usize == (self.index - 1) as usize
    }

    /// The cells of this shard, in schedule order.
    pub fn cells(&self, invocations: &[u32]) -> Vec<Cell> {
        cells(invocations)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| self.owns(*i))
            .map(|(_, c)| c)
            .collect()
    }
}

/// The tasks of `shard`'s cells, in schedule order; `settings[suite][benchmark]` as in the
/// plan. A shard without a cell is an error: the plan is too small for that many shards.
pub fn select(all: Vec<Task>, shard: Shard, settings: &[Vec<Settings>]) -> Result<Vec<Task>> {
    let counts: Vec<u32> = settings.iter().flatten().map(|s| s.invocations).collect();
    let total = cells(&counts).len();
    if total < shard.count as usize {
        bail!(
            "--shard {shard}: the plan has {total} benchmark invocation(s) to share out, \
             fewer than {} shards (some would be empty): use at most {total} shards",
            shard.count
        );
    }
    // Benchmark positions in plan order, flattened over suites.
    let offsets: Vec<usize> = settings
        .iter()
        .scan(0, |next, s| {
            let first = *next;
            *next += s.len();
            Some(first)
        })
        .collect();
    let mine: HashSet<Cell> = shard.cells(&counts).into_iter().collect();
    Ok(all
        .into_iter()
        .filter(|t| mine.contains(&(t.invocation, offsets[t.suite] + t.benchmark)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_of_n_parses_and_out_of_range_is_refused() {
        assert_eq!(parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(parse(" 1 / 1 "), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/2", "3/2", "2", "a/b", "1/0", "1/10001", "-1/2"] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
        assert_eq!(parse("3/7").unwrap().to_string(), "3/7");
    }

    #[test]
    fn shards_partition_the_cells() {
        // Benchmarks with unequal invocation counts: 3, 1 and 2 invocations.
        let counts = [3, 1, 2];
        let all = cells(&counts);
        assert_eq!(all, [(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0)]);
        for n in 1..=7 {
            let mut union: Vec<Cell> = (1..=n)
                .flat_map(|k| Shard { index: k, count: n }.cells(&counts))
                .collect();
            assert_eq!(union.len(), all.len(), "{n} shards are disjoint");
            union.sort();
            let mut sorted = all.clone();
            sorted.sort();
            assert_eq!(union, sorted, "{n} shards cover the plan");
        }
        // Round-robin in schedule order: benchmark 0's invocations 0, 1, 2 are cells 0, 3
        // and 5, so they go to shards 1, 2 and 2.
        let first = Shard { index: 1, count: 2 }.cells(&counts);
        assert_eq!(first, [(0, 0), (0, 2), (1, 2)]);
    }
}
