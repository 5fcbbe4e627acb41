//! The synthetic catalogs are valid catalogs: they build, every example
//! validates, and they generate every output.

use std::path::PathBuf;

use eventcat_benches::synth;
use eventcat_codegen::source::Sources;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "eventcat-benches-test-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_synthetic_catalog_builds_and_generates() {
    let dir = scratch("build");
    let catalog = synth::catalog(120);
    let layout = catalog.write(&dir).expect("write the synthetic catalog");
    let mut sources = Sources::new(&dir);
    let built = match eventcat_codegen::build(&mut sources, &layout.catalog) {
        Ok(built) => built,
        Err(diagnostics) => {
            let report = eventcat_codegen::diagnostic::Report { diagnostics };
            panic!("{}", report.render(&sources, false));
        }
    };
    assert_eq!(built.events.len(), 120);
    let files = eventcat_codegen::generate(&built).expect("generate");
    assert!(files.iter().any(|f| f.path == layout.typescript));
    let _ = std::fs::remove_dir_all(&dir);
}
