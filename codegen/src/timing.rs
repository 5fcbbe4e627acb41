//! Stage timings on request: with `EVENTCAT_TIMINGS` set, each stage of the
//! pipeline prints how long it took and the process's resident memory after
//! it to stderr (`eventcat: load 41.2 ms, 88 MiB`), so a slow or large run
//! shows where its time and memory go without a profiler.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `EVENTCAT_TIMINGS` is set (read once).
fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("EVENTCAT_TIMINGS").is_some_and(|v| !v.is_empty()))
}

/// Runs `work`, printing its duration under `stage` when timings are on.
pub fn stage<R>(stage: &str, work: impl FnOnce() -> R) -> R {
    if !enabled() {
        return work();
    }
    let start = Instant::now();
    let result = work();
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    match resident_mib() {
        Some(mib) => eprintln!("eventcat: {stage} {elapsed:.1} ms, {mib} MiB"),
        None => eprintln!("eventcat: {stage} {elapsed:.1} ms"),
    }
    result
}

/// The resident memory of the process, where the system tells it
/// (Linux's `/proc/self/statm`, counted in 4 KiB pages).
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stage_returns_what_its_work_returns() {
        assert_eq!(super::stage("answer", || 6 * 7), 42);
    }
}
