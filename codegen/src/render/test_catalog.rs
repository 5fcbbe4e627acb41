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
