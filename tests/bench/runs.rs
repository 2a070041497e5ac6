//! The measured runs: every workload, sequential and concurrent, SDK and raw in alternating
//! order within each repetition, then an allocation-counting pass.

use crate::child::Plan;
use crate::clients::{Kind, Workload};
use crate::processes::{Launcher, Sample};

/// In-flight requests of the concurrent cases.
pub const CONCURRENCY: usize = 16;

/// How much to run.
pub struct Config {
    pub quick: bool,
    pub repetitions: usize,
    pub generation_runs: usize,
    /// Whether to count allocations under valgrind (slow; full mode only).
    pub count_allocations: bool,
}

impl Config {
    /// The documented full run.
    pub fn full() -> Config {
        Config {
            quick: false,
            repetitions: 5,
            generation_runs: 50,
            count_allocations: true,
        }
    }

    /// The CI smoke test: every path once, tiny counts.
    pub fn quick() -> Config {
        Config {
            quick: true,
            repetitions: 1,
            generation_runs: 3,
            count_allocations: false,
        }
    }

    /// (warm-up, measured) requests of a case; the full counts make each child run for about
    /// one to three seconds on the reference machine.
    fn requests(&self, case: Case) -> (usize, usize) {
        let sequential = case.concurrency == 1;
        match (self.quick, case.workload, sequential) {
            (true, Workload::W3, true) => (0, 2),
            (true, Workload::W3, false) => (0, 4),
            (true, _, true) => (2, 20),
            (true, _, false) => (2, 64),
            (false, Workload::W3, true) => (2, 20),
            (false, Workload::W3, false) => (2, 48),
            (false, _, true) => (100, 2_000),
            (false, _, false) => (100, 4_000),
        }
    }
}

/// A workload at a concurrency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    pub workload: Workload,
    pub concurrency: usize,
}

impl Case {
    /// Every case, in report order.
    pub fn all() -> Vec<Case> {
        Workload::ALL
            .into_iter()
            .flat_map(|workload| {
                [1, CONCURRENCY].map(|concurrency| Case {
                    workload,
                    concurrency,
                })
            })
            .collect()
    }

    /// `w1 sequential`, `w3 16 concurrent`.
    pub fn label(self) -> String {
        if self.concurrency == 1 {
            format!("{} sequential", self.workload.name())
        } else {
            format!("{} {} concurrent", self.workload.name(), self.concurrency)
        }
    }
}

/// Everything measured for one case.
pub struct CaseResult {
    pub case: Case,
    /// One sample per repetition, per client.
    pub sdk: Vec<Sample>,
    pub raw: Vec<Sample>,
    /// Heap allocations per request (SDK, raw), sequential cases only.
    pub allocations: Option<(f64, f64)>,
}

impl CaseResult {
    /// SDK / raw requests per second, one ratio per repetition (both from the same repetition).
    pub fn rps_ratios(&self) -> Vec<f64> {
        self.sdk
            .iter()
            .zip(&self.raw)
            .map(|(s, r)| s.rps() / r.rps())
            .collect()
    }

    /// SDK / raw CPU time per request, per repetition (less sensitive than throughput to other
    /// load on a shared machine, since a process is only charged for the time it runs).
    pub fn cpu_ratios(&self) -> Vec<f64> {
        self.sdk
            .iter()
            .zip(&self.raw)
            .map(|(s, r)| {
                let per_request = |x: &Sample| x.cpu_ns as f64 / x.requests as f64;
                per_request(s) / per_request(r)
            })
            .collect()
    }

    /// SDK / raw peak memory, per repetition.
    pub fn memory_ratios(&self) -> Vec<f64> {
        self.sdk
            .iter()
            .zip(&self.raw)
            .map(|(s, r)| s.hwm_kib as f64 / r.hwm_kib as f64)
            .collect()
    }
}

/// All runs.
pub struct Results {
    pub cases: Vec<CaseResult>,
    pub repetitions: usize,
    pub pinned: bool,
}

/// Runs every case `config.repetitions` times, then the allocation pass.
pub fn run_all(config: &Config) -> Result<Results, String> {
    let launcher = Launcher::new()?;
    if !launcher.pinned {
        eprintln!("note: taskset or a second core is missing; server and clients are not pinned");
    }
    let server = launcher.server()?;
    let mut cases: Vec<CaseResult> = Case::all()
        .into_iter()
        .map(|case| CaseResult {
            case,
            sdk: Vec::new(),
            raw: Vec::new(),
            allocations: None,
        })
        .collect();
    for repetition in 0..config.repetitions {
        // Alternate which client goes first, so drift (thermal, other load) hits both alike.
        let order = if repetition % 2 == 0 {
            [Kind::Sdk, Kind::Raw]
        } else {
            [Kind::Raw, Kind::Sdk]
        };
        for result in &mut cases {
            let (warmup, requests) = config.requests(result.case);
            for kind in order {
                let sample = launcher.client(Plan {
                    kind,
                    workload: result.case.workload,
                    concurrency: result.case.concurrency,
                    warmup,
                    requests,
                    port: server.port,
                })?;
                match kind {
                    Kind::Sdk => result.sdk.push(sample),
                    Kind::Raw => result.raw.push(sample),
                }
            }
            eprintln!(
                "repetition {}/{}: {} done",
                repetition + 1,
                config.repetitions,
                result.case.label()
            );
        }
    }
    if config.count_allocations {
        for result in cases.iter_mut().filter(|r| r.case.concurrency == 1) {
            result.allocations = count_allocations(&launcher, result.case, server.port)?;
        }
    }
    Ok(Results {
        cases,
        repetitions: config.repetitions,
        pinned: launcher.pinned,
    })
}

/// Allocations per request: two runs that differ only in their request count, so start-up
/// and connection set-up cancel out.
fn count_allocations(
    launcher: &Launcher,
    case: Case,
    port: u16,
) -> Result<Option<(f64, f64)>, String> {
    let (few, many) = match case.workload {
        Workload::W3 => (1, 3),
        _ => (5, 25),
    };
    let per_request = |kind: Kind| -> Result<Option<f64>, String> {
        let plan = |requests| Plan {
            kind,
            workload: case.workload,
            concurrency: 1,
            warmup: 1,
            requests,
            port,
        };
        let (Some(a), Some(b)) = (
            launcher.allocations(plan(few))?,
            launcher.allocations(plan(many))?,
        ) else {
            return Ok(None);
        };
        Ok(Some(b.saturating_sub(a) as f64 / (many - few) as f64))
    };
    eprintln!("counting allocations of {} under valgrind...", case.label());
    Ok(match (per_request(Kind::Sdk)?, per_request(Kind::Raw)?) {
        (Some(s), Some(r)) => Some((s, r)),
        _ => None,
    })
}
