//! Stage timings on request: with `EVENTCAT_TIMINGS` set, each stage of the
//! pipeline prints how long it took to stderr (`eventcat: load 41.2 ms`), so
//! a slow run shows where its time goes without a profiler.

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
    eprintln!(
        "eventcat: {stage} {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    result
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stage_returns_what_its_work_returns() {
        assert_eq!(super::stage("answer", || 6 * 7), 42);
    }
}
