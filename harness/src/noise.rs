//! How busy the machine was while an invocation ran, measured by the harness around each
//! invocation and stored with it (the `other_cpu`, `steal`, `load_1m` and `cpu_mhz` columns of
//! `results.csv`), so that every verdict can say first whether the numbers were taken beside
//! other work.
//!
//! - **other_cpu**: CPU time used by every process except the benchmark and the harness,
//!   in cores, averaged over the invocation: the machine's busy time from `/proc/stat`
//!   (user + nice + system + irq + softirq, all CPUs) minus the CPU time of the harness and
//!   its reaped children (`getrusage`), divided by the invocation's wall time. A busy loop on
//!   another core reads about 1.0.
//! - **steal**: the share of all CPU time the hypervisor gave to other guests (`/proc/stat`).
//! - **load_1m**: the 1-minute load average at the end (`/proc/loadavg`).
//! - **cpu_mhz**: the mean current frequency of the CPUs at the end (`scaling_cur_freq`, else
//!   `/proc/cpuinfo`), where readable: a throttled or boosting CPU changes wall times.
//!
//! The governor is a property of the run and is recorded in `run.json` (`machine`).
//!
//! An invocation is **busy** when `other_cpu` exceeds [`BUSY_OTHER_CPU`] cores or `steal`
//! exceeds [`BUSY_STEAL`]. A run side is busy when more than [`BUSY_SHARE`] of its invocations
//! are; `harness compare` then refuses a wall-time verdict (exit 2) unless `--allow-noisy`.
//! The thresholds: half a core of other work on average is enough to share caches, memory
//! bandwidth and, on a 2-core machine, to take the benchmark's core part of the time; 5% steal
//! is time the benchmark's core was not ours.
//!
//! Resolution: `/proc/stat` counts in clock ticks (10 ms), so on invocations shorter than a
//! few hundred milliseconds `other_cpu` is coarse; it is an average, never per iteration.

use std::time::Instant;

/// Other processes' CPU, in cores, above which an invocation is busy.
pub const BUSY_OTHER_CPU: f64 = 0.5;
/// Steal share above which an invocation is busy.
pub const BUSY_STEAL: f64 = 0.05;
/// Share of busy invocations above which a run (or one side of a comparison) is busy.
pub const BUSY_SHARE: f64 = 0.10;

/// What was measured around one invocation; `None` where the machine does not tell.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Noise {
    pub other_cpu: Option<f64>,
    pub steal: Option<f64>,
    pub load_1m: Option<f64>,
    pub cpu_mhz: Option<f64>,
}

impl Noise {
    /// True if the invocation ran beside other work above the thresholds (module header).
    pub fn is_busy(&self) -> bool {
        is_busy(self.other_cpu, self.steal)
    }
}

/// The busy rule on the two stored columns.
pub fn is_busy(other_cpu: Option<f64>, steal: Option<f64>) -> bool {
    other_cpu.is_some_and(|c| c > BUSY_OTHER_CPU) || steal.is_some_and(|s| s > BUSY_STEAL)
}

/// Aggregate CPU tick counters of `/proc/stat`'s first line.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct CpuTicks {
    busy: u64,
    steal: u64,
    total: u64,
}

/// Parses the `cpu ` line of `/proc/stat`: user nice system idle iowait irq softirq steal ...
/// (guest time is already inside user).
fn parse_cpu_line(text: &str) -> Option<CpuTicks> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let get = |i: usize| f.get(i).copied().unwrap_or(0);
    Some(CpuTicks {
        busy: get(0) + get(1) + get(2) + get(5) + get(6),
        steal: get(7),
        total: (0..8).map(get).sum(),
    })
}

fn cpu_ticks() -> Option<CpuTicks> {
    parse_cpu_line(&std::fs::read_to_string("/proc/stat").ok()?)
}

/// CPU seconds (user + system) of this process plus its reaped children.
fn own_cpu_seconds() -> f64 {
    let mut total = 0.0;
    for who in [libc::RUSAGE_SELF, libc::RUSAGE_CHILDREN] {
        // SAFETY: an all-zero rusage is a valid value of the plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `usage` is a valid, writable rusage for getrusage to fill.
        if unsafe { libc::getrusage(who, &mut usage) } == 0 {
            for t in [usage.ru_utime, usage.ru_stime] {
                total += t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
            }
        }
    }
    total
}

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if hz > 0 {
        hz as f64
    } else {
        100.0
    }
}

/// The first number of `/proc/loadavg`.
fn load_1m() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Mean current CPU frequency in MHz: cpufreq's `scaling_cur_freq` (kHz) where the kernel
/// exposes it, else the `cpu MHz` lines of `/proc/cpuinfo`.
fn cpu_mhz() -> Option<f64> {
    let mut khz = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/sys/devices/system/cpu") {
        for entry in dir.flatten() {
            let path = entry.path().join("cpufreq/scaling_cur_freq");
            if let Some(v) = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| t.trim().parse::<f64>().ok())
            {
                khz.push(v);
            }
        }
    }
    let mhz: Vec<f64> = if khz.is_empty() {
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()?
            .lines()
            .filter(|l| l.starts_with("cpu MHz"))
            .filter_map(|l| l.split(':').nth(1)?.trim().parse().ok())
            .collect()
    } else {
        khz.iter().map(|k| k / 1000.0).collect()
    };
    crate::stats::mean(&mhz)
}

/// Readings taken when an invocation starts; [`Probe::finish`] turns them into [`Noise`].
#[derive(Debug)]
pub struct Probe {
    ticks: Option<CpuTicks>,
    own_cpu: f64,
    started: Instant,
}

impl Probe {
    pub fn start() -> Probe {
        Probe {
            ticks: cpu_ticks(),
            own_cpu: own_cpu_seconds(),
            started: Instant::now(),
        }
    }

    /// The noise over the time since [`Probe::start`] (call after the child was reaped).
    pub fn finish(self) -> Noise {
        let wall = self.started.elapsed().as_secs_f64();
        let own = own_cpu_seconds() - self.own_cpu;
        let (other_cpu, steal) = match (self.ticks, cpu_ticks()) {
            (Some(a), Some(b)) if wall > 0.0 => {
                let hz = clock_ticks_per_second();
                let busy = b.busy.saturating_sub(a.busy) as f64 / hz;
                let total = b.total.saturating_sub(a.total);
                let steal =
                    (total > 0).then(|| b.steal.saturating_sub(a.steal) as f64 / total as f64);
                (Some(((busy - own) / wall).max(0.0)), steal)
            }
            _ => (None, None),
        };
        Noise {
            other_cpu: other_cpu.map(round3),
            steal: steal.map(round3),
            load_1m: load_1m(),
            cpu_mhz: cpu_mhz().map(|m| m.round()),
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_aggregate_cpu_line() {
        let text = "cpu  100 5 20 900 7 1 2 30 4 0\ncpu0 50 2 10 450 3 0 1 15 2 0\n";
        let t = parse_cpu_line(text).unwrap();
        assert_eq!((t.busy, t.steal, t.total), (128, 30, 1065));
        assert!(parse_cpu_line("intr 5\n").is_none());
    }

    #[test]
    fn busy_needs_other_work_or_steal_above_the_thresholds() {
        assert!(!is_busy(Some(0.2), Some(0.01)));
        assert!(is_busy(Some(0.9), Some(0.0)));
        assert!(is_busy(Some(0.0), Some(0.2)));
        assert!(!is_busy(None, None));
    }

    #[test]
    fn a_probe_on_this_machine_gives_plausible_numbers() {
        let probe = Probe::start();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let n = probe.finish();
        if let Some(c) = n.other_cpu {
            let cores = std::thread::available_parallelism().map_or(64, |n| n.get());
            assert!((0.0..=cores as f64 + 0.5).contains(&c), "{n:?}");
        }
        if let Some(s) = n.steal {
            assert!((0.0..=1.0).contains(&s), "{n:?}");
        }
    }
}

/// The noise of a whole run (or one side of a comparison), from its `results.csv` rows.
#[derive(Clone, Debug, PartialEq)]
pub struct RunNoise {
    /// Invocations with noise columns.
    pub measured: usize,
    /// Of those, the busy ones.
    pub busy: usize,
    pub median_other_cpu: f64,
    pub max_other_cpu: f64,
    pub max_steal: f64,
}

impl RunNoise {
    /// The noise of `rows` (one reading per invocation); `None` if no row carries one (a run
    /// recorded before noise was measured, or by the mock executor).
    pub fn of(rows: &[crate::output::results::ResultRow]) -> Option<RunNoise> {
        let mut per_invocation = std::collections::BTreeMap::new();
        for r in rows
            .iter()
            .filter(|r| r.other_cpu.is_some() || r.steal.is_some())
        {
            per_invocation
                .entry((&r.suite, &r.benchmark, &r.config, r.invocation))
                .or_insert((r.other_cpu, r.steal));
        }
        if per_invocation.is_empty() {
            return None;
        }
        let other: Vec<f64> = per_invocation.values().filter_map(|v| v.0).collect();
        let max = |xs: &mut dyn Iterator<Item = f64>| xs.fold(0.0f64, f64::max);
        Some(RunNoise {
            measured: per_invocation.len(),
            busy: per_invocation
                .values()
                .filter(|(c, s)| is_busy(*c, *s))
                .count(),
            median_other_cpu: crate::stats::median(&other).unwrap_or(0.0),
            max_other_cpu: max(&mut other.iter().copied()),
            max_steal: max(&mut per_invocation.values().filter_map(|v| v.1)),
        })
    }

    /// More than [`BUSY_SHARE`] of the invocations were busy.
    pub fn is_busy(&self) -> bool {
        self.busy as f64 > BUSY_SHARE * self.measured as f64
    }

    /// One line for the terminal: "3 of 40 invocations busy (other processes' CPU median
    /// 0.05 cores, max 1.02; steal max 0.0%)".
    pub fn describe(&self) -> String {
        format!(
            "{} of {} invocations busy (other processes' CPU: median {:.2} cores, max {:.2}; steal max {:.1}%)",
            self.busy,
            self.measured,
            self.median_other_cpu,
            self.max_other_cpu,
            self.max_steal * 100.0
        )
    }
}
