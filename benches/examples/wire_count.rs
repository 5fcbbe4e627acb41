//! Reads one wire message many times, for an instruction count that does
//! not depend on the machine's load (criterion's `benches/wire.rs` gives
//! the times):
//!
//! ```sh
//! cargo build --release -p eventcat-benches --example wire_count
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/wire_count checked task_created 10000
//! ```
//!
//! `checked` is `BoardEnvelope::from_json`, which checks every keyword of
//! the schemas; `unchecked` the envelope's serde `Deserialize`, which reads
//! the types only; `typed` a derived struct of the envelope for the payload
//! type; `bare` the payload type read from the payload's bytes alone, with
//! no envelope; `bare-checked` that, then the payload's `validate`, the
//! same checks `checked` makes of it. Subtract a run of 0 messages for the
//! program's own start. It prints the nanoseconds per message it measured
//! (`bench-report --only envelope` reads them).

use std::hint::black_box;

use board_events::{
    BacklogRerankedPayload, BoardEnvelope, RisksImportedPayload, TaskCreatedPayload,
    TaskRunCompletedPayload,
};
use eventcat_benches::wire;
use serde::de::DeserializeOwned;

/// The envelope as a plain derived struct, for a payload type known in advance.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TypedEnvelope<'a, P> {
    protocol_version: u32,
    event_type: &'a str,
    payload: P,
}

fn typed<P: DeserializeOwned>(text: &str) -> bool {
    serde_json::from_str::<TypedEnvelope<'_, P>>(text).is_ok()
}

fn bare<P: DeserializeOwned>(text: &str) -> bool {
    serde_json::from_str::<P>(text).is_ok()
}

/// The payloads' `validate`, for reading them checked without an envelope.
trait Validate {
    fn valid(&self) -> bool;
}

macro_rules! validate {
    ($($payload:ty),*) => {$(
        impl Validate for $payload {
            fn valid(&self) -> bool {
                self.validate().is_ok()
            }
        }
    )*};
}

validate!(
    TaskCreatedPayload,
    BacklogRerankedPayload,
    RisksImportedPayload,
    TaskRunCompletedPayload
);

fn bare_checked<P: DeserializeOwned + Validate>(text: &str) -> bool {
    serde_json::from_str::<P>(text).is_ok_and(|payload| payload.valid())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, event, count] = &args[..] else {
        eprintln!("usage: wire_count checked|unchecked|typed|bare|bare-checked <event> <count>");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("a count");
    let Some((_, payload)) = wire::payloads().into_iter().find(|(name, _)| name == event) else {
        eprintln!("no benchmark message for `{event}`");
        std::process::exit(2);
    };
    let text = match mode.as_str() {
        "bare" | "bare-checked" => payload.clone(),
        _ => wire::message(event, &payload),
    };
    let read: fn(&str) -> bool = match (mode.as_str(), event.as_str()) {
        ("checked", _) => |text| BoardEnvelope::from_json(text).is_ok(),
        ("unchecked", _) => |text| serde_json::from_str::<BoardEnvelope>(text).is_ok(),
        ("typed", "task_created") => typed::<TaskCreatedPayload>,
        ("typed", "backlog_reranked") => typed::<BacklogRerankedPayload>,
        ("typed", "risks_imported") => typed::<RisksImportedPayload>,
        ("typed", _) => typed::<TaskRunCompletedPayload>,
        ("bare", "task_created") => bare::<TaskCreatedPayload>,
        ("bare", "backlog_reranked") => bare::<BacklogRerankedPayload>,
        ("bare", "risks_imported") => bare::<RisksImportedPayload>,
        ("bare", _) => bare::<TaskRunCompletedPayload>,
        ("bare-checked", "task_created") => bare_checked::<TaskCreatedPayload>,
        ("bare-checked", "backlog_reranked") => bare_checked::<BacklogRerankedPayload>,
        ("bare-checked", "risks_imported") => bare_checked::<RisksImportedPayload>,
        ("bare-checked", _) => bare_checked::<TaskRunCompletedPayload>,
        _ => {
            eprintln!("unknown mode `{mode}`");
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    let read_ok = (0..count).filter(|_| read(black_box(&text))).count();
    let elapsed = started.elapsed();
    assert_eq!(read_ok, count, "every read succeeds");
    if count > 0 {
        // Nanoseconds per message, for `bench-report --only envelope`.
        println!("{:.1}", elapsed.as_nanos() as f64 / count as f64);
    }
}
