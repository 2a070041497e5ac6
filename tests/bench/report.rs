//! The report: a summary on standard output, and in full mode `BENCHMARKS.md` (figures
//! written here, the hand-written profile notes of `tests/bench/NOTES.md` appended) and the
//! ratio chart `tests/bench/ratios.svg`.

use std::fmt::Write as _;
use std::path::Path;

use crate::generator::GeneratorFigures;
use crate::processes::Sample;
use crate::runs::{CaseResult, Results};
use crate::stats::Summary;

/// Where the chart goes, relative to the repository root.
const CHART: &str = "tests/bench/ratios.svg";
/// The hand-written part of the report, relative to the repository root.
const NOTES: &str = "tests/bench/NOTES.md";
/// The throughput target of issue 7.
const TARGET: f64 = 0.95;

fn summary_of(samples: &[Sample], f: impl Fn(&Sample) -> f64) -> Summary {
    Summary::of(&samples.iter().map(f).collect::<Vec<_>>())
}

/// `median (min-max)` with `digits` decimals.
fn spread(s: Summary, digits: usize) -> String {
    format!(
        "{:.digits$} ({:.digits$}-{:.digits$})",
        s.median, s.min, s.max
    )
}

/// One line of figures of a client.
struct Figures {
    rps: Summary,
    cpu_us: Summary,
    p50_ms: Summary,
    p99_ms: Summary,
    peak_mib: Summary,
}

fn figures(samples: &[Sample]) -> Figures {
    Figures {
        rps: summary_of(samples, Sample::rps),
        cpu_us: summary_of(samples, |s| s.cpu_ns as f64 / 1e3 / s.requests as f64),
        p50_ms: summary_of(samples, |s| s.p50_ns as f64 / 1e6),
        p99_ms: summary_of(samples, |s| s.p99_ns as f64 / 1e6),
        peak_mib: summary_of(samples, |s| s.hwm_kib as f64 / 1024.0),
    }
}

/// Prints the ratio table.
pub fn print_summary(results: &Results, generator: &GeneratorFigures) {
    println!("case                  SDK req/s   raw req/s   SDK/raw   peak MiB SDK/raw");
    for r in &results.cases {
        let (s, w) = (figures(&r.sdk), figures(&r.raw));
        println!(
            "{:<20} {:>10.1} {:>11.1} {:>9.3} {:>9.1} / {:.1}",
            r.case.label(),
            s.rps.median,
            w.rps.median,
            Summary::of(&r.rps_ratios()).median,
            s.peak_mib.median,
            w.peak_mib.median
        );
    }
    println!(
        "generation: {:.2} ms median of {} runs; {} files, {} lines",
        generator.generate_ms.median, generator.runs, generator.files, generator.lines
    );
}

/// Writes `BENCHMARKS.md` and the chart.
pub fn write(root: &Path, results: &Results, generator: &GeneratorFigures) -> Result<(), String> {
    let svg = chart(&results.cases);
    std::fs::write(root.join(CHART), svg).map_err(|e| format!("{CHART}: {e}"))?;
    let notes = std::fs::read_to_string(root.join(NOTES)).map_err(|e| format!("{NOTES}: {e}"))?;
    let mut md = String::new();
    header(&mut md, results);
    ratio_table(&mut md, results);
    figure_table(&mut md, results);
    generator_section(&mut md, generator);
    md.push('\n');
    md.push_str(&notes);
    std::fs::write(root.join("BENCHMARKS.md"), md).map_err(|e| format!("BENCHMARKS.md: {e}"))?;
    println!("wrote BENCHMARKS.md and {CHART}");
    Ok(())
}

fn header(md: &mut String, results: &Results) {
    let pinning = if results.pinned {
        "server pinned to core 0 and each client process to core 1 with `taskset`"
    } else {
        "not pinned (taskset or a second core missing)"
    };
    let _ = writeln!(
        md,
        "# Benchmarks\n\n\
         Written by `cargo bench -p workspace-tests --bench sdk_vs_raw` ({date}); do not edit \
         above the notes, rerun the command instead. CI runs the same code in its quick mode \
         (`cargo test -p workspace-tests --bench sdk_vs_raw -- --quick`: runs and decodes, no \
         timing).\n\n\
         ## Machine\n\n{machine}\n\n\
         ## Method\n\n\
         - A hyper 1 HTTP/1.1 server in its own process serves canned JSON built in code to the \
         spec's shapes (every `User` property; 50 users = {page} bytes, 10,000 users = {all} \
         bytes); {pinning}.\n\
         - Each client workload runs in a child process of its own: the SDK, or a raw `reqwest` + \
         `serde_json` client sending the same requests (same headers, Authorization built once) \
         into plain structs with the same fields. Workloads: {w1}; {w2}; {w3}; each sequential \
         and {conc} concurrent tasks sharing one client.\n\
         - Per child: warm-up requests, then a fixed count (bounded at 60 s); every answer is \
         checked to decode into the expected number of items. Requests per second from wall \
         time; CPU time per request from the time on CPU of the process's threads \
         (`/proc/self/task/*/schedstat`, nanoseconds); latency p50/p99 per request; \
         peak memory is the child's `VmHWM`.\n\
         - {reps} repetitions; within each, SDK and raw run back to back (alternating which goes \
         first) and the SDK/raw ratio is taken within the repetition. Tables give the median \
         with the range (min-max) over repetitions.\n\
         - Allocations per request: the sequential cases rerun under `valgrind --tool=dhat` \
         with two request counts; the difference of total heap blocks divided by the difference \
         of requests, so start-up cancels out.\n",
        date = today(),
        machine = machine(),
        page = crate::fixtures::users_body(crate::fixtures::PAGE_USERS).len(),
        all = crate::fixtures::users_body(crate::fixtures::ALL_USERS).len(),
        w1 = crate::clients::Workload::W1.describe(),
        w2 = crate::clients::Workload::W2.describe(),
        w3 = crate::clients::Workload::W3.describe(),
        conc = crate::runs::CONCURRENCY,
        reps = results.repetitions,
    );
    if std::env::var_os(crate::fixtures::EXTRA_FIELDS).is_some() {
        let _ = writeln!(
            md,
            "- This run had `{}` set: every user carries three properties the spec does not \
             know.\n",
            crate::fixtures::EXTRA_FIELDS
        );
    }
}

fn ratio_table(md: &mut String, results: &Results) {
    let _ = writeln!(
        md,
        "## SDK / raw\n\n\
         Targets: throughput >= {TARGET}x raw; peak memory <= 1.2x raw (and within 2 MiB on \
         w1/w2).\n\n\
         ![SDK/raw throughput ratio per case]({CHART})\n\n\
         | case | throughput SDK/raw | CPU per request SDK/raw | peak memory SDK/raw | peak memory SDK-raw (MiB) | allocations/request SDK / raw |\n\
         |---|---|---|---|---|---|"
    );
    for r in &results.cases {
        let diff = Summary::of(
            &r.sdk
                .iter()
                .zip(&r.raw)
                .map(|(s, w)| (s.hwm_kib as f64 - w.hwm_kib as f64) / 1024.0)
                .collect::<Vec<_>>(),
        );
        let allocations = r.allocations.map_or("-".to_owned(), |(s, w)| {
            format!("{s:.0} / {w:.0} ({:.2}x)", s / w)
        });
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {allocations} |",
            r.case.label(),
            spread(Summary::of(&r.rps_ratios()), 3),
            spread(Summary::of(&r.cpu_ratios()), 3),
            spread(Summary::of(&r.memory_ratios()), 2),
            spread(diff, 1),
        );
    }
}

fn figure_table(md: &mut String, results: &Results) {
    let _ = writeln!(
        md,
        "\n## Figures\n\n\
         Medians over the repetitions, range in parentheses.\n\n\
         | case | client | requests/s | CPU µs/request | p50 ms | p99 ms | peak MiB |\n\
         |---|---|---|---|---|---|---|"
    );
    for r in &results.cases {
        for (name, samples) in [("SDK", &r.sdk), ("raw", &r.raw)] {
            let f = figures(samples);
            let _ = writeln!(
                md,
                "| {} | {name} | {} | {} | {} | {} | {} |",
                r.case.label(),
                spread(f.rps, 1),
                spread(f.cpu_us, 0),
                spread(f.p50_ms, 3),
                spread(f.p99_ms, 3),
                spread(f.peak_mib, 1),
            );
        }
    }
}

fn generator_section(md: &mut String, g: &GeneratorFigures) {
    let _ = writeln!(
        md,
        "\n## Generator\n\n\
         | figure | value |\n|---|---|\n\
         | generation of `openapi/cld-provisioning.yaml` (`target/release/xtask codegen --check`, the time it reports, median of {} runs) | {} ms |\n\
         | generated crate | {} files, {} lines |",
        g.runs,
        spread(g.generate_ms, 2),
        g.files,
        g.lines
    );
    for (what, s) in [("cargo build", g.build_s), ("cargo check", g.check_s)] {
        if let Some(s) = s {
            let _ = writeln!(
                md,
                "| `{what} -p cld-provisioning` after `cargo clean -p cld-provisioning`, dependencies warm, `CARGO_INCREMENTAL=0` (median of {}) | {} s |",
                g.build_runs,
                spread(s, 1)
            );
        }
    }
}

/// The ratio chart: one bar per case at the median, a whisker over the range, the target line.
fn chart(cases: &[CaseResult]) -> String {
    const LEFT: f64 = 150.0;
    const WIDTH: f64 = 400.0;
    const ROW: f64 = 28.0;
    const MAX: f64 = 1.2;
    let x = |ratio: f64| LEFT + WIDTH * ratio.clamp(0.0, MAX) / MAX;
    let height = 50.0 + ROW * cases.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"600\" height=\"{height}\" fill=\"white\"/>\n\
         <text x=\"10\" y=\"18\" font-size=\"14\">SDK / raw reqwest throughput (median, range over repetitions)</text>\n"
    );
    for (i, r) in cases.iter().enumerate() {
        let y = 32.0 + ROW * i as f64;
        let s = Summary::of(&r.rps_ratios());
        let colour = if s.median >= TARGET { "#4a7" } else { "#d64" };
        let _ = writeln!(
            svg,
            "<text x=\"10\" y=\"{ty}\">{label}</text>\n\
             <rect x=\"{LEFT}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{colour}\"/>\n\
             <line x1=\"{lo:.1}\" x2=\"{hi:.1}\" y1=\"{my}\" y2=\"{my}\" stroke=\"black\"/>\n\
             <text x=\"{tx:.1}\" y=\"{ty}\">{m:.3}</text>",
            ty = y + 13.0,
            label = r.case.label(),
            w = x(s.median) - LEFT,
            lo = x(s.min),
            hi = x(s.max),
            my = y + 9.0,
            tx = x(s.max.max(s.median)) + 4.0,
            m = s.median,
        );
    }
    let bottom = 32.0 + ROW * cases.len() as f64;
    for (ratio, dash) in [(TARGET, "4 3"), (1.0, "1 2")] {
        let _ = writeln!(
            svg,
            "<line x1=\"{v:.1}\" x2=\"{v:.1}\" y1=\"26\" y2=\"{bottom}\" stroke=\"#333\" stroke-dasharray=\"{dash}\"/>\n\
             <text x=\"{v:.1}\" y=\"{ly}\" text-anchor=\"middle\">{ratio}</text>",
            v = x(ratio),
            ly = bottom + 14.0,
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The machine, as far as Linux tells without privileges.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let rustc = command_line("rustc", &["-V"]);
    format!(
        "{model}, {cores} cores, {memory_gib:.0} GiB, Linux {}, {rustc}, release profile. \
         The machine is shared: other builds may run at the same time, which the ranges show.",
        kernel.trim()
    )
}

/// Today's date (UTC), from `date`.
fn today() -> String {
    command_line("date", &["-u", "+%Y-%m-%d"])
}

fn command_line(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{program} unavailable"))
}
