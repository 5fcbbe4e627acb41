//! The fast path of loading (`yaml_tree` and `tree_reader`) against
//! serde-saphyr, the reference: wherever the fast path reads a file, it
//! must read exactly what serde-saphyr reads, every location included, and
//! it must never accept a file serde-saphyr refuses.
//!
//! Every YAML and JSON file of the repository (the catalogs, the seeds'
//! catalogs, the adversarial corpus, the examples) and of the shared
//! corpora is read both ways as a free-form tree, as a catalog settings
//! file and as an event file.

mod support;

use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

use eventcat_codegen::load::{read_quickly, read_with_serde_saphyr};
use eventcat_codegen::node::Node;
use eventcat_codegen::raw::{CatalogFile, EventFile};
use proptest::prelude::*;
use serde::de::DeserializeOwned;

/// Every `.yaml`, `.yml` and `.json` file under `dir`, skipping build
/// output and installed packages.
fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !matches!(name.to_str(), Some("target" | "node_modules" | ".git")) {
                documents(&path, out);
            }
        } else if path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| matches!(ext, "yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
}

/// Whether the fast path read `text` as `T`; panics where it disagrees
/// with serde-saphyr.
fn agrees<T: DeserializeOwned + Debug>(path: &Path, text: &str) -> bool {
    let Some(quick) = read_quickly::<T>(text) else {
        return false;
    };
    match read_with_serde_saphyr::<T>(text) {
        Ok(reference) => assert_eq!(
            format!("{quick:#?}"),
            format!("{reference:#?}"),
            "{} read differently as {}",
            path.display(),
            std::any::type_name::<T>()
        ),
        Err(error) => panic!(
            "{} read as {} by the fast path, refused by serde-saphyr: {error}",
            path.display(),
            std::any::type_name::<T>()
        ),
    }
    true
}

#[test]
fn the_fast_path_reads_every_file_as_serde_saphyr_does() {
    let root = support::workspace_root();
    let mut paths = Vec::new();
    documents(&root, &mut paths);
    documents(&support::corpora(), &mut paths);
    paths.sort();
    let (mut trees, mut settings, mut events) = (0, 0, 0);
    for path in &paths {
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        trees += usize::from(agrees::<Node>(path, &text));
        settings += usize::from(agrees::<CatalogFile>(path, &text));
        events += usize::from(agrees::<EventFile>(path, &text));
    }
    // The fast path must be the common one, or it speeds nothing up: every
    // event file of the repository's own catalog takes it.
    let own: Vec<PathBuf> = fs::read_dir(root.join("schema/events"))
        .expect("schema/events")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    for path in &own {
        let text = fs::read_to_string(path).expect("an event file");
        assert!(
            read_quickly::<EventFile>(&text).is_some(),
            "{} took the slow path",
            path.display()
        );
    }
    let catalog = fs::read_to_string(root.join("schema/catalog.yaml")).expect("the catalog");
    assert!(read_quickly::<CatalogFile>(&catalog).is_some());
    eprintln!(
        "{} files: {trees} read quickly as trees, {settings} as settings, {events} as event files",
        paths.len()
    );
    assert!(trees > paths.len() / 2, "{trees} of {} files", paths.len());
}

/// A plain scalar made of the characters that decide how YAML resolves it.
fn scalar() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[-+.:/0-9a-fA-FxXoO_ilnstruyINTYZ~ ]{1,10}")
        .expect("a valid pattern")
}

/// One line of a block document: indentation, then a key, a sequence
/// item, a block scalar's header or text, a flow collection, quoted text
/// or a comment, in the forms where a reader's locations or its verdict
/// are easiest to get wrong (indentless sequences, empty values, block
/// scalars' indicators and ends, quoted text over lines, flow indicators
/// in plain text), valid or not.
fn line() -> impl Strategy<Value = String> {
    let indent = prop_oneof![
        8 => proptest::sample::select(vec!["", "  ", "    "]).prop_map(str::to_string),
        1 => proptest::string::string_regex("( {0,6}|\\t)").expect("a valid pattern"),
    ];
    let word = || proptest::string::string_regex("[a-zé_-]{1,6}").expect("a valid pattern");
    let body = prop_oneof![
        word().prop_map(|key| format!("{key}:")),
        (word(), word()).prop_map(|(key, value)| format!("{key}: {value}")),
        (word(), scalar()).prop_map(|(key, value)| format!("{key}: {value}")),
        word().prop_map(|item| format!("- {item}")),
        Just("-".to_string()),
        word().prop_map(|key| format!("- {key}: x")),
        (word(), "[|>][-+1-3]{0,2}( #c)?").prop_map(|(key, header)| format!("{key}: {header}")),
        word().prop_map(|text| format!("{text} more text")),
        (word(), "[\\[{][a-z,: -]{0,6}[\\]}]?").prop_map(|(key, flow)| format!("{key}: {flow}")),
        (word(), "'[a-z #:]{0,4}'|\"[a-z\\\\n #:]{0,4}\"")
            .prop_map(|(key, quoted)| format!("{key}: {quoted}")),
        Just("# note".to_string()),
        Just(String::new()),
    ];
    (indent, body).prop_map(|(indent, body)| format!("{indent}{body}"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4096,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Wherever the fast path reads a block document, serde-saphyr reads
    /// it too, to the same tree with the same locations.
    #[test]
    fn block_documents_read_as_serde_saphyr_reads_them(lines in proptest::collection::vec(line(), 1..8)) {
        let document = lines.join("\n") + "\n";
        if let Some(quick) = read_quickly::<Node>(&document) {
            let reference = read_with_serde_saphyr::<Node>(&document);
            prop_assert!(reference.is_ok(), "{document:?}: {reference:?}");
            prop_assert_eq!(format!("{quick:?}"), format!("{:?}", reference.unwrap()), "{:?}", document);
        }
    }

    /// Wherever the fast path reads a plain scalar, as a value or a key,
    /// it reads what serde-saphyr reads.
    #[test]
    fn plain_scalars_resolve_as_serde_saphyr_resolves_them(text in scalar()) {
        for document in [format!("a: {text}\n"), format!("{text}: a\n"), format!("[{text}]\n")] {
            if let Some(quick) = read_quickly::<Node>(&document) {
                let reference = read_with_serde_saphyr::<Node>(&document);
                prop_assert!(reference.is_ok(), "{document:?}: {reference:?}");
                prop_assert_eq!(format!("{quick:?}"), format!("{:?}", reference.unwrap()));
            }
        }
    }
}
