//! One client workload in a process of its own (`--child`), so its peak memory (`VmHWM`) is
//! the client's alone. Prints one `result` line the parent parses.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::clients::{Client, Kind, Workload};

/// No measured loop runs longer than this, whatever the request count says.
const TIME_BOUND: Duration = Duration::from_secs(60);

/// What one child runs.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub kind: Kind,
    pub workload: Workload,
    /// 1 = sequential.
    pub concurrency: usize,
    pub warmup: usize,
    pub requests: usize,
    pub port: u16,
}

impl Plan {
    /// The arguments that make a child run this plan (after `--child`).
    pub fn to_args(self) -> Vec<String> {
        vec![
            self.kind.name().to_owned(),
            self.workload.name().to_owned(),
            self.concurrency.to_string(),
            self.warmup.to_string(),
            self.requests.to_string(),
            self.port.to_string(),
        ]
    }

    /// Parses [`Plan::to_args`].
    pub fn from_args(args: &[String]) -> Result<Plan, String> {
        let [kind, workload, concurrency, warmup, requests, port] = args else {
            return Err(format!("--child takes 6 arguments, got {}", args.len()));
        };
        let number = |what: &str, s: &str| {
            s.parse::<usize>()
                .map_err(|_| format!("--child: {what} `{s}` is not a number"))
        };
        Ok(Plan {
            kind: Kind::parse(kind).ok_or_else(|| format!("--child: unknown client `{kind}`"))?,
            workload: Workload::parse(workload)
                .ok_or_else(|| format!("--child: unknown workload `{workload}`"))?,
            concurrency: number("concurrency", concurrency)?.max(1),
            warmup: number("warmup", warmup)?,
            requests: number("requests", requests)?,
            port: port
                .parse()
                .map_err(|_| format!("--child: port `{port}` is not a port"))?,
        })
    }
}

/// Runs the plan and prints
/// `result <requests> <wall_ns> <cpu_ns> <p50_ns> <p99_ns> <vm_hwm_kib>`.
pub fn run(plan: Plan) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("client runtime: {e}"))?;
    let (requests, wall, mut latencies, cpu_ns) = runtime.block_on(async {
        let client = Arc::new(Client::new(plan.kind, plan.port)?);
        for _ in 0..plan.warmup {
            one(&client, plan.workload).await?;
        }
        let cpu_before = cpu_nanos()?;
        let start = Instant::now();
        let latencies = if plan.concurrency == 1 {
            sequential(&client, plan).await?
        } else {
            concurrent(&client, plan).await?
        };
        let wall = start.elapsed();
        let cpu = cpu_nanos()?.saturating_sub(cpu_before);
        Ok::<_, String>((latencies.len(), wall, latencies, cpu))
    })?;
    latencies.sort_unstable();
    println!(
        "result {requests} {} {cpu_ns} {} {} {}",
        wall.as_nanos(),
        percentile(&latencies, 50),
        percentile(&latencies, 99),
        vm_hwm_kib()?
    );
    Ok(())
}

/// One request, checked to have decoded the whole answer.
async fn one(client: &Client, workload: Workload) -> Result<(), String> {
    let items = client.run(workload).await?;
    if items != workload.expected_items() {
        return Err(format!(
            "{}: decoded {items} items, expected {}",
            workload.name(),
            workload.expected_items()
        ));
    }
    Ok(())
}

async fn sequential(client: &Client, plan: Plan) -> Result<Vec<u64>, String> {
    let mut latencies = Vec::with_capacity(plan.requests);
    let start = Instant::now();
    while latencies.len() < plan.requests && start.elapsed() < TIME_BOUND {
        let t = Instant::now();
        one(client, plan.workload).await?;
        latencies.push(nanos(t.elapsed()));
    }
    Ok(latencies)
}

/// `concurrency` tasks take request numbers from one counter until `requests` are done.
async fn concurrent(client: &Arc<Client>, plan: Plan) -> Result<Vec<u64>, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..plan.concurrency)
        .map(|_| {
            let (client, next) = (Arc::clone(client), Arc::clone(&next));
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(plan.requests / plan.concurrency + 1);
                while next.fetch_add(1, Ordering::Relaxed) < plan.requests
                    && start.elapsed() < TIME_BOUND
                {
                    let t = Instant::now();
                    one(&client, plan.workload).await?;
                    latencies.push(nanos(t.elapsed()));
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(plan.requests);
    for task in tasks {
        all.extend(task.await.map_err(|e| format!("client task: {e}"))??);
    }
    Ok(all)
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The `p`th percentile (nearest rank below) of sorted values; 0 when there are none.
pub fn percentile(sorted: &[u64], p: usize) -> u64 {
    match sorted.len() {
        0 => 0,
        n => sorted[(n - 1) * p / 100],
    }
}

/// CPU time of this process so far, in nanoseconds: the sum over its threads of the time on a
/// CPU from `/proc/self/task/*/schedstat` (what `getrusage` counts, at nanosecond rather than
/// 10 ms resolution, read without `unsafe` FFI). Threads that ended are not counted; the
/// client's runtime threads live through the measured section.
fn cpu_nanos() -> Result<u64, String> {
    let tasks =
        std::fs::read_dir("/proc/self/task").map_err(|e| format!("/proc/self/task: {e}"))?;
    let mut total: u64 = 0;
    for task in tasks.flatten() {
        let path = task.path().join("schedstat");
        // A thread may end between listing and reading; it no longer runs either way.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let on_cpu = text
            .split_whitespace()
            .next()
            .and_then(|f| f.parse::<u64>().ok())
            .ok_or_else(|| format!("{}: unexpected `{}`", path.display(), text.trim()))?;
        total = total.saturating_add(on_cpu);
    }
    Ok(total)
}

/// Peak resident memory of this process (`VmHWM` of `/proc/self/status`), in KiB.
fn vm_hwm_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("/proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "/proc/self/status: no VmHWM".to_owned())
}
