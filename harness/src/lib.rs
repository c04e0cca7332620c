//! Ruff Bench's harness as a library: the `harness` binary is a thin CLI over it, and the
//! integration tests drive whole runs through it with the mock executor.
//!
//! Data flow (ARCHITECTURE §1, §6): [`manifest`] + [`configs`] + [`cli`] args are validated
//! into a [`plan::Plan`]; [`runner`] sends each invocation to an [`exec::Executor`], verifies
//! it ([`exec::verify`]) and appends rows to the run folder ([`output`]); [`analysis`] turns
//! rows into per-invocation and per benchmark × config results with the methods of [`stats`];
//! [`headline`] sums them up and [`table`] prints them. Reports, plots and the gate read the files only.
//! [`shard`] splits a plan over machines and [`merge`] puts the shards' run folders back
//! together; [`history`] follows saved runs over commits (both read files only).

pub mod ab;
pub mod adhoc;
pub mod analysis;
pub mod cli;
pub mod configs;
pub mod exec;
pub mod expect;
pub mod headline;
pub mod history;
pub mod init;
pub mod interrupt;
pub mod manifest;
pub mod merge;
pub mod micro;
pub mod noise;
pub mod output;
pub mod peers;
pub mod plan;
pub mod profile;
pub mod runner;
pub mod shard;
pub mod stats;
pub mod table;
pub mod units;

// Reports, plots and the regression gate (read run files only).
pub mod gate;
pub mod plots;
pub mod report;
