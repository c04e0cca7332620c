//! `harness merge RUN_DIR...`: the N shard folders of `harness run --shard K/N` (see
//! [`crate::shard`]) combined into one new run folder, whose statistics, headline and report
//! are computed on the merged rows exactly as `harness run` computes them — so merging the
//! shards of a plan gives the summary of the unsharded run of that plan, up to the noise of
//! the machines.
//!
//! Every input is checked first ([`inputs`]); a refusal (mismatched shards, another commit,
//! overlap, a missing or unfinished shard, a corrupt folder) is exit 2 with a message naming
//! the folders, and nothing is written. The inputs are only read, and the merged run goes
//! into a new folder ([`combine`]), so a merge never loses or overwrites anything.
//!
//! Exit codes: 0 merged; 1 merged, but some invocation of a shard failed (as `harness run`);
//! 2 refused or a harness error.

pub mod combine;
pub mod inputs;

use std::path::PathBuf;

use anyhow::{bail, Result};

/// `harness merge RUN_DIR...`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Exit codes: 0 merged; 1 merged, but some invocation failed; 2 refused (mismatched shards, a shard of
another commit, overlapping, missing or unfinished shards) or a harness error: nothing is written.")]
pub struct MergeArgs {
    /// The shard folders: every shard K/N of one `harness run --shard K/N` plan.
    #[arg(required = true, value_name = "RUN_DIR")]
    pub run_dirs: Vec<PathBuf>,
    /// Folder for the merged run folder (a new folder named like a run's).
    #[arg(short, long, default_value = "reports")]
    pub out: PathBuf,
    /// Print every column of the summary instead of the compact table.
    #[arg(long)]
    pub wide: bool,
}

/// Runs `harness merge`; returns the exit code (see the module header).
pub fn merge_command(args: &MergeArgs) -> i32 {
    match merge(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

fn merge(args: &MergeArgs) -> Result<i32> {
    let mut seen: Vec<PathBuf> = Vec::new();
    for dir in &args.run_dirs {
        // The same folder twice (under two spellings) would count its invocations twice.
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        if seen.contains(&canonical) {
            bail!("overlapping shards: {} is given twice", dir.display());
        }
        seen.push(canonical);
    }
    let mut shards = args
        .run_dirs
        .iter()
        .map(|d| inputs::load(d))
        .collect::<Result<Vec<_>>>()?;
    inputs::check(&mut shards)?;
    for s in shards
        .iter()
        .filter(|s| s.json.pointer("/git/dirty") == Some(&true.into()))
    {
        eprintln!(
            "warning: shard {} ({}) ran with uncommitted changes: its commit does not fully \
             identify the code measured",
            s.shard,
            s.dir.display()
        );
    }
    let merged = combine::write(&shards, &args.out)?;
    if merged.machines.len() > 1 {
        eprintln!(
            "warning: the shards ran on {} machine types ({}): wall times are comparable only \
             within one machine type, so the merged medians and intervals mix machines (see \
             the report's Shards table)",
            merged.machines.len(),
            merged.machines.join("; ")
        );
    }
    println!("{}", crate::headline::render(&merged.headline));
    println!(
        "{}",
        crate::table::render(
            &merged.analysis.summary,
            merged.options.confidence,
            args.wide
        )
    );
    match crate::report::generate(&merged.dir) {
        Ok(()) => eprintln!("report: {}", merged.dir.join("index.html").display()),
        Err(e) => eprintln!("warning: report not written: {e:#}"),
    }
    println!(
        "merged {} shards into {}",
        shards.len(),
        merged.dir.display()
    );
    Ok(if merged.all_ok { 0 } else { 1 })
}
