//! The executor of `harness ab`: two `ruff` builds behind one [`Executor`]. A/B runs name
//! their configs with the side in front (`a:jit-spec`, `b:jit-spec`), so that `results.csv`,
//! the analysis and the report keep one column for "what ran"; this executor strips the side
//! and hands the request to that side's subprocess executor.

use anyhow::{bail, Result};

use super::subprocess::SubprocessExecutor;
use super::{Executor, RawOutcome, Request};

/// The two sides of an A/B run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn prefix(self) -> &'static str {
        match self {
            Side::A => "a:",
            Side::B => "b:",
        }
    }

    /// `a:CONFIG` / `b:CONFIG`.
    pub fn config(self, config: &str) -> String {
        format!("{}{config}", self.prefix())
    }
}

/// The side and the engine config of an A/B config name; `None` for a plain config.
pub fn split_side(config: &str) -> Option<(Side, &str)> {
    if let Some(c) = config.strip_prefix(Side::A.prefix()) {
        Some((Side::A, c))
    } else {
        config.strip_prefix(Side::B.prefix()).map(|c| (Side::B, c))
    }
}

/// Runs `a:` requests on build A and `b:` requests on build B.
pub struct AbExecutor {
    pub a: SubprocessExecutor,
    pub b: SubprocessExecutor,
}

impl Executor for AbExecutor {
    fn describe(&self) -> String {
        format!("A: {}; B: {}", self.a.describe(), self.b.describe())
    }

    fn execute(&mut self, request: &Request) -> Result<RawOutcome> {
        let Some((side, config)) = split_side(request.config) else {
            bail!(
                "A/B request without a side: config `{}` (expected a:... or b:...)",
                request.config
            );
        };
        let inner = Request {
            config,
            ..request.clone()
        };
        match side {
            Side::A => self.a.execute(&inner),
            Side::B => self.b.execute(&inner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_round_trip() {
        assert_eq!(
            Side::B.config("jit-spec:threshold=10"),
            "b:jit-spec:threshold=10"
        );
        assert_eq!(
            split_side("a:jit-spec:threshold=10"),
            Some((Side::A, "jit-spec:threshold=10"))
        );
        assert_eq!(split_side("jit"), None);
    }
}
