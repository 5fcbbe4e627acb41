//! Writes a synthetic catalog (the one the benchmarks use) to a directory,
//! for profiling `gen` and the generated code outside a benchmark:
//!
//! ```sh
//! cargo run --release -p eventcat-benches --example synth_catalog -- 1000 /tmp/synth-1000
//! cargo run --release -p eventcat -- gen --root /tmp/synth-1000
//! ```

use std::path::PathBuf;

use eventcat_benches::synth;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [events, dir] = &args[..] else {
        eprintln!("usage: synth_catalog <events> <dir>");
        std::process::exit(2);
    };
    let events: usize = events.parse().expect("a number of events");
    let layout = synth::catalog(events)
        .write(&PathBuf::from(dir))
        .expect("write the synthetic catalog");
    println!("{}", layout.catalog.display());
}
