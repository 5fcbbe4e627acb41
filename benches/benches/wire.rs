//! Wire speed of the generated crate (`board_events`): parsing and writing
//! envelopes against a baseline of the bare payload struct on the same
//! payload bytes.
//!
//! `cargo bench -p eventcat-benches --bench wire`
//!
//! Per event, `parse/<event>` compares:
//! - `envelope`: `BoardEnvelope::from_json` of the full message, which
//!   checks it against every keyword of its schemas;
//! - `envelope, unchecked`: the same message through the envelope's serde
//!   `Deserialize`, which reads the types and checks nothing more;
//! - `bare payload`: `serde_json::from_str::<Payload>` of the payload bytes
//!   alone (the floor: no envelope at all);
//! - `typed envelope`: a derived struct of the envelope for a payload type
//!   known in advance (what a hand-written per-event parser would cost);
//! - `envelope, payload first`: the same message with `payload` before
//!   `event_type`, which the generated parser must buffer.
//!
//! `write/<event>` compares `BoardEnvelope::to_json` with
//! `serde_json::to_string` of the bare payload.

use std::hint::black_box;
use std::time::Duration;

use board_events::{
    BacklogRerankedPayload, BoardEnvelope, RisksImportedPayload, TaskCreatedPayload,
    TaskRunCompletedPayload,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eventcat_benches::wire;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The envelope as a plain derived struct, for a payload type known in advance.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TypedEnvelope<'a, P> {
    protocol_version: u32,
    event_type: &'a str,
    payload: P,
}

fn bench_event<P>(c: &mut Criterion, event_type: &str, payload: &str)
where
    P: DeserializeOwned + Serialize,
{
    let envelope_text = wire::message(event_type, payload);
    let payload_first = wire::message_payload_first(event_type, payload);
    // The cases must parse, or the timings mean nothing.
    let envelope = BoardEnvelope::from_json(&envelope_text).expect("the envelope parses");
    BoardEnvelope::from_json(&payload_first).expect("the payload-first envelope parses");
    let bare: P = serde_json::from_str(payload).expect("the bare payload parses");
    serde_json::from_str::<TypedEnvelope<'_, P>>(&envelope_text)
        .expect("the typed envelope parses");

    let mut group = c.benchmark_group(format!("parse/{event_type}"));
    group.throughput(Throughput::Bytes(envelope_text.len() as u64));
    group.bench_function("envelope", |b| {
        b.iter(|| BoardEnvelope::from_json(black_box(&envelope_text)))
    });
    group.bench_function("envelope, unchecked", |b| {
        b.iter(|| serde_json::from_str::<BoardEnvelope>(black_box(&envelope_text)))
    });
    group.bench_function("bare payload", |b| {
        b.iter(|| serde_json::from_str::<P>(black_box(payload)))
    });
    group.bench_function("typed envelope", |b| {
        b.iter(|| serde_json::from_str::<TypedEnvelope<'_, P>>(black_box(&envelope_text)))
    });
    group.bench_function("envelope, payload first", |b| {
        b.iter(|| BoardEnvelope::from_json(black_box(&payload_first)))
    });
    group.finish();

    let mut group = c.benchmark_group(format!("write/{event_type}"));
    group.throughput(Throughput::Bytes(envelope_text.len() as u64));
    group.bench_function("envelope", |b| b.iter(|| black_box(&envelope).to_json()));
    group.bench_function("bare payload", |b| {
        b.iter(|| serde_json::to_string(black_box(&bare)))
    });
    group.finish();
}

fn wire(c: &mut Criterion) {
    let [
        task_created,
        backlog_reranked,
        risks_imported,
        task_run_completed,
    ] = wire::payloads();
    bench_event::<TaskCreatedPayload>(c, task_created.0, &task_created.1);
    bench_event::<BacklogRerankedPayload>(c, backlog_reranked.0, &backlog_reranked.1);
    bench_event::<RisksImportedPayload>(c, risks_imported.0, &risks_imported.1);
    bench_event::<TaskRunCompletedPayload>(c, task_run_completed.0, &task_run_completed.1);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = wire
}
criterion_main!(benches);
