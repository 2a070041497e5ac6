//! The parent's side of the child processes: the server, the client runs (pinned with
//! `taskset` when it is there and there are two cores), and the allocation-counting runs under
//! valgrind's DHAT tool.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};

use crate::child::Plan;

/// The core the server runs on; clients run on [`CLIENT_CPU`].
const SERVER_CPU: &str = "0";
const CLIENT_CPU: &str = "1";

/// How children are started.
pub struct Launcher {
    exe: PathBuf,
    /// Whether `taskset` works here and there are two cores to pin to.
    pub pinned: bool,
}

impl Launcher {
    /// Finds this binary and checks for `taskset`.
    pub fn new() -> Result<Launcher, String> {
        let exe = std::env::current_exe().map_err(|e| format!("own executable: {e}"))?;
        let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
        let taskset = Command::new("taskset")
            .args(["-c", CLIENT_CPU, "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        Ok(Launcher {
            exe,
            pinned: two_cores && taskset,
        })
    }

    /// This binary with `args`, under `taskset -c cpu` when pinning.
    fn command(&self, cpu: &str, args: &[String]) -> Command {
        let mut c = if self.pinned {
            let mut c = Command::new("taskset");
            c.args(["-c", cpu]).arg(&self.exe);
            c
        } else {
            Command::new(&self.exe)
        };
        c.args(args);
        c
    }

    /// Starts the server and waits for its port.
    pub fn server(&self) -> Result<Server, String> {
        let mut child = self
            .command(SERVER_CPU, &["--serve".to_owned()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?;
        let stdin = child.stdin.take();
        // Built before the port is read, so an early return still ends the server (Drop).
        let mut server = Server {
            child,
            stdin,
            port: 0,
        };
        let stdout = server.child.stdout.take().ok_or("server: no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("server: {e}"))?;
        let port = line
            .strip_prefix("port ")
            .and_then(|p| p.trim().parse().ok())
            .ok_or_else(|| format!("server: expected `port N`, got `{}`", line.trim()))?;
        server.port = port;
        Ok(server)
    }

    /// Runs one client plan and parses its result line.
    pub fn client(&self, plan: Plan) -> Result<Sample, String> {
        let mut args = vec!["--child".to_owned()];
        args.extend(plan.to_args());
        let out = self
            .command(CLIENT_CPU, &args)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("starting a client: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "client {} {} failed ({})",
                plan.kind.name(),
                plan.workload.name(),
                out.status
            ));
        }
        Sample::parse(&String::from_utf8_lossy(&out.stdout))
    }

    /// Heap blocks allocated by a whole client process running `plan`, counted by
    /// `valgrind --tool=dhat`; `None` when valgrind is not installed.
    pub fn allocations(&self, plan: Plan) -> Result<Option<u64>, String> {
        let mut args = vec!["--child".to_owned()];
        args.extend(plan.to_args());
        let out = match Command::new("valgrind")
            .args(["--tool=dhat", "--dhat-out-file=/dev/null"])
            .arg(&self.exe)
            .args(&args)
            .stdout(Stdio::null())
            .output()
        {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("valgrind: {e}")),
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            return Err(format!("valgrind run failed ({}): {stderr}", out.status));
        }
        // `==123== Total:     1,234 bytes in 56 blocks`
        stderr
            .lines()
            .filter_map(|l| l.split_once("Total:").map(|(_, rest)| rest))
            .find_map(|rest| {
                let (_, blocks) = rest.split_once(" in ")?;
                let n = blocks.split_whitespace().next()?.replace(',', "");
                n.parse().ok()
            })
            .map(Some)
            .ok_or_else(|| "valgrind: no `Total:` line".to_owned())
    }
}

/// The running server; dropping it closes its standard input, which ends it.
pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// What one client child reported.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub requests: u64,
    pub wall_ns: u64,
    pub cpu_ns: u64,
    pub p50_ns: u64,
    pub p99_ns: u64,
    pub hwm_kib: u64,
}

impl Sample {
    fn parse(stdout: &str) -> Result<Sample, String> {
        let line = stdout
            .lines()
            .find_map(|l| l.strip_prefix("result "))
            .ok_or_else(|| format!("client printed no result line: `{}`", stdout.trim()))?;
        let n: Vec<u64> = line
            .split_whitespace()
            .map(|f| f.parse().map_err(|_| format!("client result `{line}`")))
            .collect::<Result<_, _>>()?;
        let [requests, wall_ns, cpu_ns, p50_ns, p99_ns, hwm_kib] = n[..] else {
            return Err(format!("client result `{line}`: expected 6 numbers"));
        };
        if requests == 0 || wall_ns == 0 {
            return Err(format!("client result `{line}`: no request measured"));
        }
        Ok(Sample {
            requests,
            wall_ns,
            cpu_ns,
            p50_ns,
            p99_ns,
            hwm_kib,
        })
    }

    /// Requests per second.
    pub fn rps(&self) -> f64 {
        self.requests as f64 * 1e9 / self.wall_ns as f64
    }
}
