//! Catalogs for the renderers' unit tests: settings and one event file,
//! validated in memory as `eventcat gen` would validate them from disk.

use std::path::Path;

use crate::model::Catalog;
use crate::source::Sources;

/// The catalog of `settings` (the catalog file, naming `events/task.yaml`
/// as its event file) and `events` (that file). Panics on diagnostics.
pub fn catalog(settings: &str, events: &str) -> Catalog {
    let mut sources = Sources::new(Path::new("/"));
    let file = sources.add(Path::new("/catalog.yaml"), settings.to_string());
    let events_file = sources.add(Path::new("/events/task.yaml"), events.to_string());
    let raw = crate::load::RawCatalog {
        file,
        settings: serde_saphyr::from_str(settings).unwrap(),
        event_files: vec![(events_file, serde_saphyr::from_str(events).unwrap())],
    };
    match crate::validate::validate(&sources, &raw) {
        Ok(catalog) => catalog,
        Err(diagnostics) => panic!("{diagnostics:#?}"),
    }
}

/// Every catalog this repository commits (its own and the seed examples'),
/// as `gen` builds them: the renderers' layout tests run over all of them.
pub fn repository_catalogs() -> Vec<Catalog> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = vec![root.join("schema/catalog.yaml")];
    for example in [
        "seed-000-replay",
        "seed-001",
        "seed-002",
        "seed-003",
        "seed-004",
    ] {
        let dir = root.join("examples").join(example).join("schema");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        files.sort();
        paths.extend(files);
    }
    paths
        .iter()
        .map(|path| {
            let mut sources = Sources::new(&root);
            crate::build(&mut sources, path).unwrap_or_else(|error| panic!("{error:#?}"))
        })
        .collect()
}
