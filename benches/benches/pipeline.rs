//! The generator pipeline in process: `build` (load + validate) and
//! `generate` (render every output) on synthetic catalogs, and `check`
//! against outputs on disk.
//!
//! `cargo bench -p eventcat-benches --bench pipeline`
//!
//! 100 and 1,000 events run in `pipeline` (build and generate together
//! and apart, and `output::check` against the files on disk); 10,000 events
//! run in `pipeline_10000`, build + generate only, with the fewest samples
//! criterion allows (about 4 minutes: skip it with `-- pipeline/`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use eventcat_benches::synth::{self, Layout};
use eventcat_codegen::model::Catalog;
use eventcat_codegen::output;
use eventcat_codegen::source::Sources;

/// Writes the catalog of `events` events to a scratch directory.
fn catalog(events: usize) -> Layout {
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "eventcat-bench-pipeline-{events}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    synth::catalog(events)
        .write(&dir)
        .expect("write the synthetic catalog")
}

fn build(layout: &Layout) -> Catalog {
    let mut sources = Sources::new(&layout.root);
    eventcat_codegen::build(&mut sources, &layout.catalog)
        .unwrap_or_else(|d| panic!("the synthetic catalog is invalid: {} diagnostics", d.len()))
}

/// `stages`: also time `build` and `generate` alone and `output::check`
/// (comparing with the files on disk); off for 10,000 events, where one
/// sample takes tens of seconds.
fn bench_size(c: &mut Criterion, group_name: &str, sizes: &[usize], stages: bool) {
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    for &events in sizes {
        let layout = catalog(events);
        group.throughput(Throughput::Elements(events as u64));
        group.bench_with_input(
            BenchmarkId::new("build + generate", events),
            &layout,
            |b, layout| {
                b.iter(|| {
                    let catalog = build(layout);
                    eventcat_codegen::generate(&catalog).expect("generate")
                })
            },
        );
        if !stages {
            remove(&layout.root);
            continue;
        }
        group.bench_with_input(BenchmarkId::new("build", events), &layout, |b, layout| {
            b.iter(|| build(layout))
        });
        let built = build(&layout);
        group.bench_with_input(BenchmarkId::new("generate", events), &built, |b, built| {
            b.iter(|| eventcat_codegen::generate(built).expect("generate"))
        });
        let files = eventcat_codegen::generate(&built).expect("generate");
        output::write(&files).expect("write the outputs");
        group.bench_with_input(
            BenchmarkId::new("output::check", events),
            &files,
            |b, files| {
                b.iter(|| {
                    let mut sources = Sources::new(&layout.root);
                    let stale = output::check(&mut sources, files, &Default::default());
                    assert!(stale.is_empty(), "outputs are up to date");
                })
            },
        );
        remove(&layout.root);
    }
    group.finish();
}

fn remove(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

fn pipeline(c: &mut Criterion) {
    bench_size(c, "pipeline", &[100, 1_000], true);
}

fn pipeline_10000(c: &mut Criterion) {
    bench_size(c, "pipeline_10000", &[10_000], false);
}

criterion_group!(benches, pipeline, pipeline_10000);
criterion_main!(benches);
