//! eventcat: one event catalog in, Rust, TypeScript and docs out.
//!
//! The pipeline, one module per step:
//! [`project`] (where the catalogs are) → [`load`] (files → raw types with
//! source spans: plain YAML straight from the parser's events through
//! [`yaml_tree`] and [`tree_reader`], anything else through serde-saphyr) →
//! [`validate`] (raw → the typed [`model`], in stages) → [`naming`] (the
//! lint), [`contract`] (the frozen lock) and [`drift`] (the code that emits
//! and handles events) → [`render`] (model → file contents) → [`settle`]
//! (each file compared with the disk, and staged beside it, as soon as it
//! is rendered) → [`output`] (write atomically, never over a file eventcat
//! did not write, or check without writing). [`run`] strings them together; [`init`] starts a
//! catalog, [`import`] makes one from published JSON Schemas. Leaf modules:
//! [`names`] (wire names and identifiers), [`schema_subset`] (the JSON
//! Schema keywords payloads may use), [`schema_origin`] (where a part of a
//! payload schema is written), [`node`] (the located YAML tree), [`code`]
//! (reading other languages' source), [`codes`] (every diagnostic code),
//! [`diagnostic`], [`source`], [`parallel`], [`timing`].

pub mod checks;
pub mod code;
pub mod codes;
pub mod contents;
pub mod contract;
pub mod diagnostic;
pub mod drift;
pub mod import;
pub mod init;
pub mod load;
pub mod model;
pub mod names;
pub mod naming;
pub mod node;
pub mod output;
pub mod parallel;
pub mod project;
pub mod raw;
pub mod render;
pub mod run;
pub mod schema_origin;
pub mod schema_subset;
pub mod settle;
pub mod source;
pub mod timing;
pub mod tree_reader;
pub mod validate;
pub mod verify;
pub mod yaml_tree;

/// A hash map for the generator's own keys (checks, type texts, names):
/// foldhash, with a fixed seed so that nothing depends on the run.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

use std::path::Path;
use std::sync::OnceLock;

use checks::Checks;
use contents::Contents;
use diagnostic::Diagnostic;
use model::Catalog;
use output::OutputFile;
use source::Sources;

/// Loads and validates the catalog whose settings file is `catalog_path`,
/// outside any project: headers name `eventcat gen`, and the crate
/// manifest inherits nothing. [`project::Project::build`] is the same
/// within a project.
pub fn build(sources: &mut Sources, catalog_path: &Path) -> Result<Catalog, Vec<Diagnostic>> {
    let mut catalog = validated(sources, catalog_path)?;
    if let Some(rust) = &mut catalog.outputs.rust {
        rust.manifest = project::complete_manifest(&rust.manifest, &Default::default());
    }
    Ok(catalog)
}

/// Load → validate: the model exactly as the catalog files say it.
fn validated(sources: &mut Sources, catalog_path: &Path) -> Result<Catalog, Vec<Diagnostic>> {
    let raw = timing::stage("load", || load::load(sources, catalog_path))?;
    let catalog = timing::stage("validate", || validate::validate(sources, &raw));
    parallel::drop_later(raw);
    catalog
}

/// Renders every output file of a catalog, each with the setting that put
/// it where it goes.
///
/// Every renderer is a pure function of the catalog, so they run as
/// independent jobs on every core, the costliest (the Rust module) first,
/// and the files come out in the jobs' order: the bytes and the order are
/// the same as rendering one after the other. The check table both code
/// renderers read is derived once, by the first of them to start, while
/// another core starts on a renderer that does not read it.
pub fn generate(catalog: &Catalog) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    generate_with(catalog, |file| file)
}

/// [`generate`], with each file handed to `settle` as soon as its renderer
/// has made it, on that renderer's thread: a run compares it with the disk
/// and stages it there, and holds on to what `settle` gives instead of
/// every output at once. The results are in the order of [`generate`]'s files.
pub fn generate_with<R: Send>(
    catalog: &Catalog,
    settle: impl Fn(OutputFile) -> R + Sync,
) -> Result<Vec<R>, Vec<Diagnostic>> {
    let render_failed = |message: String| vec![Diagnostic::error("render-failed", message)];
    let checks = OnceLock::new();
    let jobs = render_jobs(catalog, &checks);
    let first_without_checks = jobs.iter().position(|job| !job.starts.reads_checks);
    let settle = &settle;
    let prioritized = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| {
            // The Rust module first; then, for the other core while the
            // first derives the check table, the lock (the run's contract
            // check waits for it) and a renderer that does not read the table.
            let priority = match index {
                0 => 0,
                _ if job.starts.awaited => 1,
                _ if Some(index) == first_without_checks => 2,
                _ => 3,
            };
            let render = job.run;
            let run: parallel::Job<'_, Result<Vec<R>, String>> =
                Box::new(move || render().map(|files| files.into_iter().map(settle).collect()));
            (priority, run)
        })
        .collect();
    let results = parallel::run_all_by_priority(prioritized);
    let mut settled = Vec::new();
    for result in results {
        settled.extend(result.map_err(render_failed)?);
    }
    Ok(settled)
}

/// The setting of the contract lock's output, as a run finds it among
/// the settled files.
pub(crate) const LOCK_SETTING: &str = "lock";

/// What a render job gives: its files, or why it could not render them.
type Rendered = Result<Vec<OutputFile>, String>;

/// A renderer as a job, with what decides when it starts.
struct RenderJob<'a> {
    run: parallel::Job<'a, Rendered>,
    starts: Starts,
}

/// What decides when a render job starts: whether it reads the check
/// table, and whether another stage of the run waits for its file.
#[derive(Clone, Copy)]
struct Starts {
    reads_checks: bool,
    awaited: bool,
}

/// A job that reads the check table.
const READS_CHECKS: Starts = Starts {
    reads_checks: true,
    awaited: false,
};
/// A job that neither reads the check table nor is waited for.
const ANY_TIME: Starts = Starts {
    reads_checks: false,
    awaited: false,
};
/// The lock's job: the contract check waits for its file.
const AWAITED: Starts = Starts {
    reads_checks: false,
    awaited: true,
};

/// The check table, derived by the first job that asks for it.
fn check_table<'a>(catalog: &Catalog, checks: &'a OnceLock<Checks>) -> &'a Checks {
    checks.get_or_init(|| timing::stage("check table", || Checks::new(catalog)))
}

/// One job per renderer the catalog's outputs ask for, in output order.
fn render_jobs<'a>(catalog: &'a Catalog, checks: &'a OnceLock<Checks>) -> Vec<RenderJob<'a>> {
    let outputs = &catalog.outputs;
    let mut jobs: Vec<RenderJob<'a>> = Vec::new();
    let mut add = |starts: Starts, run: parallel::Job<'a, Rendered>| {
        jobs.push(RenderJob { run, starts });
    };
    let one = |setting: &'static str, path: &std::path::PathBuf, contents: Contents| {
        Ok(vec![OutputFile::from_setting(
            catalog,
            setting,
            path.clone(),
            contents,
        )])
    };
    if let Some(rust) = &outputs.rust {
        add(
            READS_CHECKS,
            Box::new(move || {
                let checks = check_table(catalog, checks);
                timing::stage("render rust", || rust_files(catalog, rust, checks))
            }),
        );
    }
    if let Some(module) = &outputs.typescript {
        add(
            READS_CHECKS,
            Box::new(move || {
                let checks = check_table(catalog, checks);
                Ok(vec![timing::stage("render typescript", || {
                    typescript_module(catalog, module, checks)
                })])
            }),
        );
        add(
            ANY_TIME,
            Box::new(move || {
                Ok(timing::stage("render typescript examples", || {
                    typescript_companions(catalog, module)
                }))
            }),
        );
    }
    if let Some(path) = &outputs.python {
        add(
            ANY_TIME,
            Box::new(move || {
                one(
                    "outputs.python",
                    path,
                    timing::stage("render python", || render::python::module(catalog)).into(),
                )
            }),
        );
    }
    if let Some(path) = &outputs.docs {
        add(
            ANY_TIME,
            Box::new(move || {
                one(
                    "outputs.docs",
                    path,
                    timing::stage("render docs", || render::docs::page(catalog))?,
                )
            }),
        );
    }
    if let Some(asyncapi) = &outputs.asyncapi {
        add(
            ANY_TIME,
            Box::new(move || {
                let document = timing::stage("render asyncapi", || {
                    render::asyncapi::document(catalog, asyncapi.version)
                });
                one("outputs.asyncapi", &asyncapi.path, document)
            }),
        );
    }
    if let Some(path) = &outputs.json_schema {
        add(
            ANY_TIME,
            Box::new(move || {
                let bundle = timing::stage("render json schema", || {
                    render::json_schema::bundle(catalog)
                });
                one("outputs.json_schema", path, bundle.into())
            }),
        );
    }
    add(
        AWAITED,
        Box::new(move || {
            let lock = timing::stage("render lock", || contract::lock::render(catalog));
            one(LOCK_SETTING, &outputs.lock, lock.into())
        }),
    );
    add(ANY_TIME, Box::new(move || Ok(editor_schema_files(catalog))));
    jobs
}

/// One path per output setting of `catalog`, in the directory its files go
/// to. Their common directory is that of every file [`generate`] makes, so
/// a run can lock it before anything is rendered.
pub fn output_places(catalog: &Catalog) -> Vec<std::path::PathBuf> {
    let outputs = &catalog.outputs;
    let mut places = vec![
        outputs.lock.clone(),
        outputs
            .editor_schemas
            .join(render::editor_schema::CATALOG_SCHEMA_FILE),
    ];
    places.extend(outputs.rust.iter().map(|rust| rust.dir.join("Cargo.toml")));
    places.extend(
        outputs
            .asyncapi
            .iter()
            .map(|asyncapi| asyncapi.path.clone()),
    );
    places.extend(
        [
            &outputs.typescript,
            &outputs.python,
            &outputs.docs,
            &outputs.json_schema,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );
    places
}

/// The editor schemas for the catalog files.
fn editor_schema_files(catalog: &Catalog) -> Vec<OutputFile> {
    [
        (
            render::editor_schema::CATALOG_SCHEMA_FILE,
            render::editor_schema::catalog_schema(),
        ),
        (
            render::editor_schema::EVENTS_SCHEMA_FILE,
            render::editor_schema::events_schema(),
        ),
    ]
    .into_iter()
    .map(|(name, contents)| {
        let path = catalog.outputs.editor_schemas.join(name);
        OutputFile::from_setting(catalog, "outputs.editor_schemas", path, contents)
    })
    .collect()
}

/// The generated crate: `Cargo.toml`, `src/lib.rs` and the channel module.
fn rust_files(
    catalog: &Catalog,
    rust: &model::RustCrate,
    checks: &Checks,
) -> Result<Vec<OutputFile>, String> {
    let setting = "outputs.rust.dir";
    let module = rust
        .dir
        .join("src")
        .join(render::rust::module_file(catalog));
    Ok(vec![
        OutputFile::from_setting(
            catalog,
            setting,
            rust.dir.join("Cargo.toml"),
            render::rust::cargo_toml(catalog, rust, checks),
        ),
        OutputFile::from_setting(
            catalog,
            setting,
            rust.dir.join("src/lib.rs"),
            render::rust::lib_rs(catalog),
        ),
        OutputFile::from_setting(
            catalog,
            setting,
            module,
            render::rust::module_rs(catalog, checks)?,
        ),
    ])
}

/// The TypeScript module at `module`.
fn typescript_module(catalog: &Catalog, module: &Path, checks: &Checks) -> OutputFile {
    OutputFile::from_setting(
        catalog,
        "outputs.typescript",
        module.to_path_buf(),
        render::typescript::module(catalog, checks),
    )
}

/// The TypeScript module's examples beside it, and their `package.json`
/// when asked for: they read no check table, so another core makes them
/// while the module waits for it.
fn typescript_companions(catalog: &Catalog, module: &Path) -> Vec<OutputFile> {
    let stem = module
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| catalog.channel.clone());
    let examples = module.with_file_name(format!("{stem}.examples.ts"));
    let mut files = vec![OutputFile::from_setting(
        catalog,
        "outputs.typescript",
        examples,
        render::typescript::examples_module(catalog, &stem),
    )];
    if catalog.outputs.package_json {
        let path = module.with_file_name("package.json");
        files.push(OutputFile::from_setting(
            catalog,
            "outputs.package_json",
            path,
            render::typescript::package_json(),
        ));
    }
    files
}

#[cfg(test)]
mod test_dir;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    /// The directory `gen` locks before rendering is the one that holds
    /// every file it then writes, no higher.
    fn assert_places_hold_every_output(catalog_path: &Path) {
        let mut sources = Sources::new(catalog_path.parent().unwrap());
        let catalog = build(&mut sources, catalog_path).expect("the catalog builds");
        let places = output_places(&catalog);
        let files = generate(&catalog).expect("it renders");
        assert_eq!(
            output::common_directory(places.iter().map(|path| path.as_path())),
            output::common_directory(files.iter().map(|file| file.path.as_path())),
            "{}",
            catalog_path.display()
        );
    }

    /// Runs every render job of `catalog`; whether one derived the check table.
    fn derives_the_check_table(catalog: &Catalog) -> bool {
        let checks = OnceLock::new();
        for job in render_jobs(catalog, &checks) {
            (job.run)().expect("it renders");
        }
        checks.get().is_some()
    }

    #[test]
    fn the_check_table_is_derived_only_for_code_outputs() {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut sources = Sources::new(&repository);
        let mut catalog =
            build(&mut sources, &repository.join("schema/catalog.yaml")).expect("it builds");
        assert!(derives_the_check_table(&catalog));
        let typescript = catalog.outputs.typescript.take();
        assert!(derives_the_check_table(&catalog), "for the Rust crate");
        catalog.outputs.typescript = typescript;
        catalog.outputs.rust = None;
        assert!(
            derives_the_check_table(&catalog),
            "for the TypeScript module"
        );
        catalog.outputs.typescript = None;
        assert!(!derives_the_check_table(&catalog));
    }

    #[test]
    fn the_output_places_have_the_outputs_common_directory() {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert_places_hold_every_output(&repository.join("schema/catalog.yaml"));
        let dir = TestDir::new("output-places");
        std::fs::create_dir_all(dir.join("events")).unwrap();
        std::fs::write(
            dir.join("events/task.yaml"),
            "resource: task\nevents:\n  - name: task_created\n    description: A task was created.\n    since: '0.1'\n    stability: frozen\n    payload: {type: object, properties: {title: {type: string}}}\n    examples: [{title: x}]\n",
        )
        .unwrap();
        // Everything but one output goes under `gen/`, that one elsewhere:
        // a place missing would lock `gen/` alone.
        let elsewhere = [
            ("rust", "{dir: out/rust/crate, package: mini-events}"),
            ("typescript", "out/web/src/mini.ts"),
            ("python", "out/py/mini.py"),
            ("docs", "out/docs/mini.md"),
            ("asyncapi", "out/api/mini.asyncapi.yaml"),
            ("json_schema", "out/api/json/mini.json"),
            ("editor_schemas", "out/editor"),
        ];
        for (setting, path) in elsewhere {
            let mut outputs = vec![
                ("asyncapi", "gen/api/mini.asyncapi.yaml"),
                ("json_schema", "gen/json/mini.json"),
                ("editor_schemas", "gen/editor"),
            ];
            outputs.retain(|(name, _)| *name != setting);
            outputs.push((setting, path));
            let outputs: Vec<String> = outputs
                .iter()
                .map(|(name, path)| format!("  {name}: {path}\n"))
                .collect();
            std::fs::write(
                dir.join("catalog.yaml"),
                format!(
                    "channel: mini\ndescription: Output places.\nprotocol_version: 1\nevents: [events]\nlock: gen/lock/mini.lock.json\noutputs:\n{}",
                    outputs.concat()
                ),
            )
            .unwrap();
            assert_places_hold_every_output(&dir.join("catalog.yaml"));
        }
    }
}
