//! Running a command and measuring it: wall time (median of several runs),
//! peak memory (through GNU time's `%M`, when `/usr/bin/time` is installed),
//! a time limit, and the machine's load for the record.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// GNU time, used for peak memory.
pub const GNU_TIME: &str = "/usr/bin/time";

/// A command to run, with its working directory and extra environment.
#[derive(Debug, Clone)]
pub struct Cmd {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// The working directory (the current one when `None`).
    pub dir: Option<PathBuf>,
    /// Extra environment variables.
    pub env: Vec<(OsString, OsString)>,
}

impl Cmd {
    /// `program` with no arguments.
    pub fn new(program: impl Into<PathBuf>) -> Cmd {
        Cmd {
            program: program.into(),
            args: Vec::new(),
            dir: None,
            env: Vec::new(),
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Cmd {
        self.args.push(arg.into());
        self
    }

    /// Adds arguments.
    pub fn args<I: Into<OsString>>(mut self, args: impl IntoIterator<Item = I>) -> Cmd {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Runs in `dir`.
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Cmd {
        self.dir = Some(dir.into());
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Cmd {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The command line, for the report.
    pub fn display(&self) -> String {
        let mut words = vec![self.program.display().to_string()];
        words.extend(self.args.iter().map(|a| a.to_string_lossy().into_owned()));
        words.join(" ")
    }

    fn command(&self, wrapper: Option<(&Path, &Path)>) -> Command {
        let mut command = match wrapper {
            Some((time, output)) => {
                let mut command = Command::new(time);
                command
                    .arg("-f")
                    .arg("%M")
                    .arg("-o")
                    .arg(output)
                    .arg(&self.program);
                command
            }
            None => Command::new(&self.program),
        };
        command.args(&self.args);
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }
}

/// One run of a command.
#[derive(Debug, Clone)]
pub struct Run {
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// Whether it exited with status 0.
    pub success: bool,
    /// Whether the time limit killed it.
    pub timed_out: bool,
    /// The last lines of its standard error.
    pub stderr_tail: String,
}

/// Runs `cmd` once, killing it after `limit`. Standard output is discarded.
pub fn run(cmd: &Cmd, limit: Duration) -> io::Result<Run> {
    run_inner(cmd, limit, None)
}

fn run_inner(cmd: &Cmd, limit: Duration, wrapper: Option<(&Path, &Path)>) -> io::Result<Run> {
    let mut command = cmd.command(wrapper);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", cmd.program.display())))?;
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = Arc::clone(&done);
        let killed = Arc::clone(&killed);
        thread::spawn(move || {
            while start.elapsed() < limit {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                thread::sleep(Duration::from_millis(20));
            }
            if !done.load(Ordering::SeqCst) {
                killed.store(true, Ordering::SeqCst);
                // The process this harness spawned, by its id.
                let _ = Command::new("kill")
                    .arg("-KILL")
                    .arg(pid.to_string())
                    .status();
            }
        })
    };
    let output = child.wait_with_output();
    let wall = start.elapsed();
    done.store(true, Ordering::SeqCst);
    let _ = watchdog.join();
    let output = output?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = lines[lines.len().saturating_sub(6)..].join("\n");
    Ok(Run {
        wall,
        success: output.status.success(),
        timed_out: killed.load(Ordering::SeqCst),
        stderr_tail: tail,
    })
}

/// Peak resident memory of one run in KiB, measured by GNU time; `None`
/// when `/usr/bin/time` is missing or the run failed.
pub fn peak_memory_kib(cmd: &Cmd, limit: Duration, scratch: &Path) -> Option<u64> {
    let time = Path::new(GNU_TIME);
    if !time.exists() {
        return None;
    }
    let output = scratch.join(format!("gnu-time-{}.txt", std::process::id()));
    let result = run_inner(cmd, limit, Some((time, &output))).ok()?;
    let text = fs::read_to_string(&output).ok();
    let _ = fs::remove_file(&output);
    if !result.success {
        return None;
    }
    text?.lines().last()?.trim().parse().ok()
}

/// The measurements of a command.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Wall times of the successful runs.
    pub walls: Vec<Duration>,
    /// Peak resident memory in KiB, if measured.
    pub peak_kib: Option<u64>,
    /// Why it failed, if it did.
    pub failure: Option<String>,
}

impl Sample {
    /// The median wall time, if any run succeeded.
    pub fn median(&self) -> Option<Duration> {
        median(&self.walls)
    }

    /// The fastest run.
    pub fn min(&self) -> Option<Duration> {
        self.walls.iter().min().copied()
    }
}

/// Runs `cmd` `runs` times (calling `before` ahead of each run) and, when
/// `memory` is set, once more under GNU time for the peak memory. Stops at
/// the first failure or time-out.
pub fn measure(
    cmd: &Cmd,
    runs: usize,
    limit: Duration,
    memory: Option<&Path>,
    before: &mut dyn FnMut(),
) -> Sample {
    let mut sample = Sample::default();
    for _ in 0..runs.max(1) {
        before();
        match run(cmd, limit) {
            Ok(result) if result.success => sample.walls.push(result.wall),
            Ok(result) => {
                sample.failure = Some(if result.timed_out {
                    format!("timed out after {}", seconds(limit))
                } else {
                    format!("failed: {}", first_line(&result.stderr_tail))
                });
                return sample;
            }
            Err(error) => {
                sample.failure = Some(format!("did not start: {error}"));
                return sample;
            }
        }
    }
    if let Some(scratch) = memory {
        before();
        sample.peak_kib = peak_memory_kib(cmd, limit, scratch);
    }
    sample
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut line: String = line.chars().filter(|c| !c.is_control()).collect();
    line.truncate(160);
    line.replace('|', "/")
}

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(values: &[Duration]) -> Option<Duration> {
    let mut sorted = values.to_vec();
    sorted.sort();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// A duration for a table: `85.3 ms`, `1.24 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else if s < 100.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.0} s")
    }
}

/// A size for a table: `512 B`, `41.2 KiB`, `3.7 MiB`.
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    if n < 1024.0 {
        format!("{n} B")
    } else if n < 1024.0 * 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{:.1} MiB", n / 1024.0 / 1024.0)
    }
}

/// The 1-, 5- and 15-minute load averages, from `/proc/loadavg`.
pub fn load_average() -> Option<String> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The total size of the files below `path` (or of the file itself).
pub fn disk_size(path: &Path) -> u64 {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| disk_size(&entry.path()))
                    .sum()
            })
            .unwrap_or(0),
        Ok(meta) => meta.len(),
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[ms(3), ms(1), ms(2)]), Some(ms(2)));
        assert_eq!(
            median(&[ms(4), ms(1), ms(2), ms(3)]),
            Some(Duration::from_micros(2500))
        );
    }

    #[test]
    fn formats() {
        assert_eq!(seconds(Duration::from_micros(85_340)), "85.3 ms");
        assert_eq!(seconds(Duration::from_millis(1_240)), "1.24 s");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(3 * 1024 * 1024), "3.0 MiB");
    }

    #[test]
    fn runs_and_times_out() {
        let ok = run(&Cmd::new("true"), Duration::from_secs(10)).expect("true runs");
        assert!(ok.success && !ok.timed_out);
        let slow =
            run(&Cmd::new("sleep").arg("5"), Duration::from_millis(100)).expect("sleep runs");
        assert!(!slow.success && slow.timed_out);
        assert!(slow.wall < Duration::from_secs(4));
    }
}
