//! eventcat: one event catalog in, Rust, TypeScript and docs out.
//!
//! The pipeline, one module per step:
//! [`load`] (files → raw types with source spans) →
//! [`validate`] (raw → the typed [`model`], with [`schema`] turning payload
//! schemas into types) → [`render`] (model → file contents) →
//! [`output`] (write atomically, or check without writing).

pub mod attributes;
pub mod contract;
pub mod diagnostic;
pub mod drift;
pub mod envelope;
pub mod init;
pub mod load;
pub mod model;
pub mod naming;
pub mod node;
pub mod output;
pub mod parallel;
pub mod raw;
pub mod render;
pub mod run;
pub mod schema;
pub mod source;
pub mod validate;

use std::path::Path;

use diagnostic::Diagnostic;
use model::Catalog;
use output::OutputFile;
use source::Sources;

/// Loads and validates the catalog whose settings file is `catalog_path`.
pub fn build(sources: &mut Sources, catalog_path: &Path) -> Result<Catalog, Vec<Diagnostic>> {
    let raw = load::load(sources, catalog_path)?;
    validate::validate(sources, &raw)
}

/// Renders every output file of a catalog.
pub fn generate(catalog: &Catalog) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let render_failed = |message: String| vec![Diagnostic::error("render-failed", message)];
    let outputs = &catalog.outputs;
    let ts_stem = outputs
        .typescript
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| catalog.channel.clone());
    let examples_path = outputs
        .typescript
        .with_file_name(format!("{ts_stem}.examples.ts"));
    // The Rust module (token streams, syn, prettyplease) is the costliest
    // renderer: format it on a second thread while this one renders the rest.
    // Every renderer is a pure function of the catalog, so the bytes are the
    // same as rendering one after the other.
    let (module_rs, others) = std::thread::scope(|scope| {
        let module_rs = scope.spawn(|| render::rust::module_rs(catalog));
        let others = (
            render::typescript::module(catalog),
            render::typescript::examples_module(catalog, &ts_stem),
            render::docs::page(catalog),
            contract::lock::render(&contract::lock::lock_of(catalog)),
        );
        let module_rs = module_rs
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (module_rs, others)
    });
    let (typescript, examples, docs, lock) = others;
    Ok(vec![
        OutputFile {
            path: outputs.rust_dir.join("Cargo.toml"),
            contents: render::rust::cargo_toml(catalog),
        },
        OutputFile {
            path: outputs.rust_dir.join("src/lib.rs"),
            contents: render::rust::lib_rs(catalog),
        },
        OutputFile {
            path: outputs
                .rust_dir
                .join("src")
                .join(render::rust::module_file(catalog)),
            contents: module_rs.map_err(render_failed)?,
        },
        OutputFile {
            path: outputs.typescript.clone(),
            contents: typescript,
        },
        OutputFile {
            path: outputs.typescript.with_file_name("package.json"),
            contents: render::typescript::package_json(),
        },
        OutputFile {
            path: examples_path,
            contents: examples,
        },
        OutputFile {
            path: outputs.docs.clone(),
            contents: docs.map_err(render_failed)?,
        },
        OutputFile {
            path: outputs.lock.clone(),
            contents: lock,
        },
        OutputFile {
            path: outputs
                .editor_schemas
                .join(render::editor_schema::CATALOG_SCHEMA_FILE),
            contents: render::editor_schema::catalog_schema(),
        },
        OutputFile {
            path: outputs
                .editor_schemas
                .join(render::editor_schema::EVENTS_SCHEMA_FILE),
            contents: render::editor_schema::events_schema(),
        },
    ])
}
