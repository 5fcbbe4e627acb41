//! The loader, validator and every generator over arbitrary event-file text:
//! whatever the bytes, the pipeline returns files or diagnostics, and the
//! diagnostics render; it never panics.
//!
//! Per input the event file is written to a scratch directory (in memory
//! under `/dev/shm` where there is one: the loader reads only from disk) and
//! `eventcat_codegen::build` loads and validates it. A valid catalog goes
//! through every renderer whose output depends on the catalog (the Rust
//! crate, TypeScript module and examples, Python module, docs page and lock),
//! called one after the other on this thread; `generate`'s constant files
//! (the two editor schemas, `package.json`) and its second thread add no
//! coverage per input and are left out.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use eventcat_codegen::checks::Checks;
use eventcat_codegen::contract::lock;
use eventcat_codegen::diagnostic::Report;
use eventcat_codegen::model::Catalog;
use eventcat_codegen::render;
use eventcat_codegen::source::Sources;
use libfuzzer_sys::fuzz_target;

const CATALOG: &str = "channel: fuzz
description: A fixed catalog around the fuzzed event file.
protocol_version: 1
definitions:
  TaskId: {type: integer, minimum: 1, maximum: 9007199254740991}
events: [events]
outputs:
  rust: {dir: out/rust, package: fuzz-events}
  typescript: out/ts/fuzz.ts
  python: out/py/fuzz.py
  docs: out/docs/fuzz.md
  editor_schemas: out/schemas
";

/// A private scratch directory with the fixed catalog settings.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let base = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("eventcat-fuzz-{}", std::process::id()));
        fs::create_dir_all(dir.join("events")).unwrap();
        fs::write(dir.join("catalog.yaml"), CATALOG).unwrap();
        dir
    })
}

/// Every output whose contents depend on the catalog.
fn render_all(catalog: &Catalog) -> Result<usize, String> {
    let mut bytes = 0;
    let checks = Checks::new(catalog);
    if let Some(rust) = &catalog.outputs.rust {
        bytes += render::rust::cargo_toml(catalog, rust, &checks).len();
        bytes += render::rust::lib_rs(catalog).len();
        bytes += render::rust::module_rs(catalog, &checks)?.len();
    }
    bytes += render::typescript::module(catalog, &checks).len();
    bytes += render::typescript::examples_module(catalog, "fuzz").len();
    bytes += render::python::module(catalog).len();
    bytes += render::docs::page(catalog)?.len();
    bytes += lock::render(&lock::lock_of(catalog)).len();
    Ok(bytes)
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    // Raw bytes, so invalid UTF-8 reaches the loader too.
    fs::write(dir.join("events/task.yaml"), data).unwrap();
    let mut sources = Sources::new(dir);
    match eventcat_codegen::build(&mut sources, &dir.join("catalog.yaml")) {
        // `generate` reports a renderer's refusal as a diagnostic.
        Ok(catalog) => match render_all(&catalog) {
            Ok(bytes) => assert!(bytes > 0),
            Err(message) => assert!(!message.is_empty()),
        },
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            let text = Report { diagnostics }.render(&sources, false);
            assert!(text.contains("error"));
        }
    }
});
