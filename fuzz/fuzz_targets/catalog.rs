//! The loader, validator and every generator over arbitrary event-file text:
//! whatever the bytes, the pipeline returns files or diagnostics, and the
//! diagnostics render; it never panics.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use eventcat_codegen::diagnostic::Report;
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
  docs: out/docs/fuzz.md
  editor_schemas: out/schemas
";

/// A private scratch directory with the fixed catalog settings.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("eventcat-fuzz-{}", std::process::id()));
        fs::create_dir_all(dir.join("events")).unwrap();
        fs::write(dir.join("catalog.yaml"), CATALOG).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    // Raw bytes, so invalid UTF-8 reaches the loader too.
    fs::write(dir.join("events/task.yaml"), data).unwrap();
    let mut sources = Sources::new(dir);
    let result = eventcat_codegen::build(&mut sources, &dir.join("catalog.yaml"))
        .and_then(|catalog| eventcat_codegen::generate(&catalog));
    match result {
        Ok(files) => assert!(!files.is_empty()),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            let text = Report { diagnostics }.render(&sources, false);
            assert!(text.contains("error"));
        }
    }
});
