//! The bad-catalog corpus: every case is a broken catalog that must give a
//! located diagnostic (never a panic, a hang or a stack overflow), and its
//! rendered text must match the snapshot `tests/corpus/<case>/expected.txt`.
//!
//! A case directory holds the files that differ from `tests/corpus/_base/`:
//! its `catalog.yaml` replaces the base one, and its `events/` directory (if
//! any) replaces the base `events/`; other files are added. Cases whose input
//! is binary, huge or deeply nested are written by a generator function
//! instead. The run uses the library pipeline (`build` + `generate`) with
//! display paths relative to the scratch root, so snapshots hold no temp path.
//!
//! Project cases (`PROJECT_CASES`) reach what `build` + `generate` cannot:
//! finding the project, the naming lint, the frozen contract, drift and the
//! generated files. Each is a whole small project over `tests/corpus/_project/`
//! (see the comment above `Command`), found and run with `check` (or `gen`)
//! as the command line does. Together the two kinds give every code of
//! `codegen/src/codes.rs` an example, which `DIAGNOSTICS.md` shows.
//!
//! Re-bless the snapshots after a deliberate change with
//! `EVENTCAT_BLESS=1 cargo test -p eventcat-tests --test corpus`, then review
//! the diff.

mod support;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use eventcat_codegen::diagnostic::{Diagnostic, Report};
use eventcat_codegen::project::{self, Project};
use eventcat_codegen::run::{self, Mode};
use eventcat_codegen::source::Sources;
use support::{Run, TempDir, run_pipeline, write_file, write_outputs};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

/// One broken catalog and what it must produce.
struct Case {
    /// Directory under `tests/corpus/`.
    name: &'static str,
    /// Rule ID of the first diagnostic.
    rule: &'static str,
    /// `path:line:column` of the first diagnostic, relative to the catalog's directory.
    at: &'static str,
    /// Writes inputs that are not stored as files (binary, huge, deep).
    generate: Option<fn(&Path)>,
}

const fn case(name: &'static str, rule: &'static str, at: &'static str) -> Case {
    Case {
        name,
        rule,
        at,
        generate: None,
    }
}

const fn generated(
    name: &'static str,
    rule: &'static str,
    at: &'static str,
    generate: fn(&Path),
) -> Case {
    Case {
        name,
        rule,
        at,
        generate: Some(generate),
    }
}

const CASES: &[Case] = &[
    // Malformed YAML and JSON.
    case("yaml-unclosed-flow", "yaml-syntax", "events/task.yaml:2:9"),
    case(
        "yaml-bad-indentation",
        "yaml-syntax",
        "events/task.yaml:5:4",
    ),
    case(
        "yaml-tab-indentation",
        "yaml-syntax",
        "events/task.yaml:6:2",
    ),
    case("yaml-tab-in-catalog", "yaml-syntax", "catalog.yaml:12:2"),
    case(
        "yaml-unterminated-quote",
        "yaml-syntax",
        "events/task.yaml:5:5",
    ),
    case("yaml-two-documents", "yaml-syntax", "events/task.yaml:16:1"),
    case(
        "yaml-empty-event-file",
        "yaml-syntax",
        "events/task.yaml:1:1",
    ),
    case(
        "yaml-recursive-alias",
        "yaml-syntax",
        "events/task.yaml:14:34",
    ),
    case(
        "yaml-undefined-alias",
        "yaml-syntax",
        "events/task.yaml:14:9",
    ),
    case("json-missing-comma", "yaml-syntax", "events/task.json:3:3"),
    case("catalog-not-a-mapping", "wrong-type", "catalog.yaml:1:1"),
    // Duplicate keys.
    case(
        "duplicate-key-top-level",
        "duplicate-key",
        "events/task.yaml:2:1",
    ),
    case(
        "duplicate-key-in-payload",
        "duplicate-key",
        "events/task.yaml:13:9",
    ),
    case(
        "duplicate-key-in-catalog",
        "duplicate-key",
        "catalog.yaml:4:1",
    ),
    case(
        "duplicate-key-json",
        "duplicate-key",
        "events/task.json:1:22",
    ),
    case(
        "duplicate-key-in-example",
        "duplicate-key",
        "events/task.yaml:14:22",
    ),
    // Duplicate events.
    case(
        "duplicate-event-across-files",
        "duplicate-event",
        "events/zz_task_copy.yaml:3:11",
    ),
    case(
        "duplicate-event-same-file",
        "duplicate-event",
        "events/task.yaml:15:11",
    ),
    // Unknown keys.
    case("unknown-key-event", "unknown-key", "events/task.yaml:7:5"),
    case("unknown-key-catalog", "unknown-key", "catalog.yaml:10:1"),
    case(
        "unknown-key-rust-output",
        "unknown-key",
        "catalog.yaml:11:49",
    ),
    case("unknown-key-envelope", "unknown-key", "catalog.yaml:4:29"),
    case(
        "missing-payload",
        "missing-payload",
        "events/task.yaml:3:11",
    ),
    case(
        "invalid-package-name",
        "invalid-package-name",
        "catalog.yaml:11:34",
    ),
    case(
        "invalid-output-setting",
        "invalid-output-setting",
        "catalog.yaml:15:13",
    ),
    case("unknown-rule", "unknown-rule", "catalog.yaml:16:11"),
    case("invalid-severity", "invalid-severity", "catalog.yaml:16:28"),
    case(
        "invalid-attribute",
        "invalid-attribute",
        "catalog.yaml:16:12",
    ),
    case(
        "invalid-type-name",
        "invalid-type-name",
        "events/task.yaml:8:7",
    ),
    case("invalid-enum", "invalid-enum", "events/task.yaml:13:37"),
    case(
        "unknown-required",
        "unknown-required",
        "events/task.yaml:10:27",
    ),
    case(
        "misspelled-keyword-required",
        "unsupported-keyword",
        "events/task.yaml:10:7",
    ),
    // Wrong value types.
    case(
        "wrong-type-protocol-version",
        "wrong-type",
        "catalog.yaml:3:19",
    ),
    case(
        "wrong-type-negative-version",
        "wrong-type",
        "catalog.yaml:3:19",
    ),
    case(
        "wrong-type-zero-version",
        "invalid-protocol-version",
        "catalog.yaml:3:19",
    ),
    case(
        "wrong-type-events-mapping",
        "wrong-type",
        "events/task.yaml:3:3",
    ),
    case(
        "wrong-type-stability",
        "unknown-value",
        "events/task.yaml:6:16",
    ),
    case(
        "wrong-type-examples",
        "wrong-type",
        "events/task.yaml:13:15",
    ),
    case(
        "wrong-type-envelope-style",
        "unknown-value",
        "catalog.yaml:4:19",
    ),
    case(
        "wrong-type-non-finite-example",
        "non-finite-number",
        "events/task.yaml:15:29",
    ),
    case(
        "wrong-type-huge-integer",
        "invalid-example",
        "events/task.yaml:14:19",
    ),
    case(
        "wrong-type-properties-list",
        "invalid-schema",
        "events/task.yaml:11:19",
    ),
    // Empty names.
    case(
        "empty-event-name",
        "invalid-event-name",
        "events/task.yaml:3:11",
    ),
    case(
        "empty-resource-name",
        "invalid-resource-name",
        "events/task.yaml:1:11",
    ),
    case(
        "empty-channel-name",
        "invalid-channel-name",
        "catalog.yaml:1:10",
    ),
    case(
        "empty-enum-value",
        "name-collision",
        "events/task.yaml:13:38",
    ),
    // `$ref`s.
    case("ref-dangling", "dangling-ref", "events/task.yaml:12:19"),
    case("ref-self-cycle", "ref-cycle", "catalog.yaml:8:14"),
    case("ref-two-step-cycle", "ref-cycle", "catalog.yaml:11:13"),
    case("ref-external", "unsupported-ref", "events/task.yaml:12:25"),
    case(
        "ref-with-sibling",
        "unsupported-keyword",
        "events/task.yaml:12:43",
    ),
    // Payload schemas outside the supported set.
    case("all-of-conflict", "all-of-conflict", "events/task.yaml:9:9"),
    case(
        "unsupported-prefix-items",
        "unsupported-keyword",
        "events/task.yaml:15:11",
    ),
    case(
        "unsupported-type-name",
        "unsupported-type",
        "events/task.yaml:13:23",
    ),
    case("missing-items", "missing-items", "events/task.yaml:13:15"),
    case(
        "payload-not-object",
        "payload-not-object",
        "events/task.yaml:8:7",
    ),
    // Names that collide after case conversion.
    case(
        "collision-property-case",
        "name-collision",
        "events/task.yaml:13:9",
    ),
    case(
        "collision-event-variant",
        "name-collision",
        "events/task_b.yaml:3:11",
    ),
    case(
        "collision-enum-values",
        "name-collision",
        "events/task.yaml:13:38",
    ),
    case(
        "collision-type-name",
        "type-name-collision",
        "events/task.yaml:8:7",
    ),
    case(
        "collision-reserved-type-name",
        "type-name-collision",
        "catalog.yaml:5:19",
    ),
    case(
        "collision-union-tags",
        "name-collision",
        "events/task.yaml:16:15",
    ),
    // Names, versions, examples, files.
    case(
        "invalid-event-name",
        "invalid-event-name",
        "events/task.yaml:3:11",
    ),
    case(
        "invalid-version",
        "invalid-version",
        "events/task.yaml:5:12",
    ),
    case(
        "invalid-example",
        "invalid-example",
        "events/task.yaml:14:19",
    ),
    case(
        "missing-example",
        "missing-example",
        "events/task.yaml:13:15",
    ),
    case("missing-key", "missing-key", "events/task.yaml:3:5"),
    case("events-not-found", "events-not-found", "catalog.yaml:9:18"),
    case("events-dir-empty", "events-not-found", "catalog.yaml:9:18"),
    case(
        "unknown-grandfathered",
        "unknown-grandfathered",
        "catalog.yaml:6:14",
    ),
    // Inputs written by the test: binary, huge, deep, explosive.
    generated(
        "non-utf8-event-file",
        "not-utf8",
        "events/task.yaml:4:31",
        non_utf8_event_file,
    ),
    generated(
        "non-utf8-catalog",
        "not-utf8",
        "catalog.yaml:2:26",
        non_utf8_catalog,
    ),
    generated(
        "utf16-event-file",
        "not-utf8",
        "events/task.yaml:1:1",
        utf16_event_file,
    ),
    generated(
        "large-event-file",
        "unknown-key",
        "events/task.yaml:30007:5",
        large_event_file,
    ),
    generated(
        "deep-block-nesting",
        "yaml-syntax",
        "events/task.yaml:100:129",
        deep_block_nesting,
    ),
    generated(
        "deep-flow-nesting",
        "yaml-syntax",
        "events/task.yaml:12:75",
        deep_flow_nesting,
    ),
    generated(
        "deep-json-nesting",
        "yaml-syntax",
        "events/task.json:1:494",
        deep_json_nesting,
    ),
    generated(
        "alias-bomb-billion-laughs",
        "yaml-syntax",
        "events/task.yaml:16:56",
        billion_laughs,
    ),
    generated(
        "alias-bomb-long-string",
        "yaml-syntax",
        "events/task.yaml:13:413",
        long_string_bomb,
    ),
    generated(
        "alias-bomb-merge-keys",
        "yaml-syntax",
        "events/task.yaml:21:31",
        merge_key_bomb,
    ),
    // Envelope styles, directions, policies and attributes.
    case(
        "flat-envelope-payload-field",
        "flat-payload-field",
        "catalog.yaml:4:58",
    ),
    case(
        "flat-envelope-key-collision",
        "envelope-key-collision",
        "events/task.yaml:12:9",
    ),
    case(
        "envelope-field-collision",
        "envelope-key-collision",
        "catalog.yaml:6:5",
    ),
    case(
        "unknown-naming-policy",
        "unknown-naming-policy",
        "events/task.yaml:2:16",
    ),
    case(
        "unknown-attribute",
        "unknown-attribute",
        "events/task.yaml:7:18",
    ),
    case(
        "attribute-wrong-type",
        "attribute-type-mismatch",
        "catalog.yaml:5:47",
    ),
    case(
        "command-with-webhook",
        "command-with-webhook",
        "events/task.yaml:5:11",
    ),
    // One error in a definition, not a "cycle" at every `$ref` to it.
    case(
        "ref-to-broken-definition",
        "unsupported-keyword",
        "catalog.yaml:9:56",
    ),
];

/// A case must finish well within this, bombs and 5 MB inputs included.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// The first lines of the minimal event file the generated cases extend.
const EVENT_HEAD: &str = "resource: task\nevents:\n  - name: task_created\n    description: A task was created.\n    since: '0.1'\n    stability: frozen\n";

fn non_utf8_event_file(root: &Path) {
    let mut bytes =
        b"resource: task\nevents:\n  - name: task_created\n    description: A task was cr".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"ated.\n    since: '0.1'\n");
    write_file(root, "events/task.yaml", bytes);
}

fn non_utf8_catalog(root: &Path) {
    let base = fs::read_to_string(Path::new(CORPUS).join("_base/catalog.yaml")).unwrap();
    // Latin-1 "é" (0xE9) where UTF-8 expects a two-byte sequence.
    let bytes = base
        .replacen("The base catalog", "The base caf\u{e9}", 1)
        .into_bytes();
    let at = bytes.windows(2).position(|w| w == [0xc3, 0xa9]).unwrap();
    let mut latin1 = bytes[..at].to_vec();
    latin1.push(0xe9);
    latin1.extend_from_slice(&bytes[at + 2..]);
    write_file(root, "catalog.yaml", latin1);
}

fn utf16_event_file(root: &Path) {
    let mut bytes = vec![0xff, 0xfe];
    for unit in "resource: task\nevents: []\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    write_file(root, "events/task.yaml", bytes);
}

/// About 5 MB: a 30,000-line description, then a typo the diagnostic must find.
fn large_event_file(root: &Path) {
    let mut text =
        String::from("resource: task\nevents:\n  - name: task_created\n    description: >-\n");
    for line in 0..30_000 {
        text.push_str(&format!(
            "      line {line:05} of a very long description that keeps a large file realistic, {}\n",
            "with padding ".repeat(8)
        ));
    }
    text.push_str("    since: '0.1'\n    stability: frozen\n    paylod: {type: object, properties: {}}\n    examples: [{}]\n");
    assert!(text.len() > 5_000_000, "{} bytes", text.len());
    write_file(root, "events/task.yaml", text);
}

/// A payload schema nested 200 mappings deep in block style.
fn deep_block_nesting(root: &Path) {
    let mut text = String::from(EVENT_HEAD);
    text.push_str("    payload:\n");
    let mut indent = 6;
    for _ in 0..100 {
        text.push_str(&format!("{:indent$}type: object\n", ""));
        text.push_str(&format!("{:indent$}properties:\n", ""));
        text.push_str(&format!("{:width$}inner:\n", "", width = indent + 2));
        indent += 4;
    }
    text.push_str(&format!("{:indent$}type: string\n", ""));
    text.push_str("    examples: [{}]\n");
    write_file(root, "events/task.yaml", text);
}

/// An example nested 200 flow sequences deep.
fn deep_flow_nesting(root: &Path) {
    let mut text = String::from(EVENT_HEAD);
    text.push_str(FREE_FORM_PAYLOAD);
    text.push_str(&format!(
        "    examples:\n      - {{data: {}{}}}\n",
        "[".repeat(200),
        "]".repeat(200)
    ));
    write_file(root, "events/task.yaml", text);
}

/// A JSON event file nested 200 objects deep.
fn deep_json_nesting(root: &Path) {
    let mut text = String::from(
        "{\"resource\": \"task\", \"events\": [{\"name\": \"task_created\", \"description\": \"d\", \"since\": \"0.1\", \"stability\": \"frozen\", \"payload\": ",
    );
    text.push_str(&"{\"a\": ".repeat(200));
    text.push('1');
    text.push_str(&"}".repeat(200));
    text.push_str(", \"examples\": [{}]}]}\n");
    write_file(root, "events/task.json", text);
}

/// A payload that takes any JSON in `data`, so examples may hold the bombs.
const FREE_FORM_PAYLOAD: &str =
    "    payload:\n      type: object\n      properties:\n        data: {x-free-form: true}\n";

/// The "billion laughs": nine levels of ten aliases each, 10^9 nodes if
/// expanded, inside examples (a free-form tree, so nothing stops it early).
fn billion_laughs(root: &Path) {
    let mut text = String::from(EVENT_HEAD);
    text.push_str(FREE_FORM_PAYLOAD);
    text.push_str(
        "    examples:\n      - {data: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n",
    );
    for level in 1..=9 {
        let previous = format!("*a{}", level - 1);
        text.push_str(&format!(
            "      - {{data: &a{level} [{}]}}\n",
            vec![previous; 10].join(", ")
        ));
    }
    write_file(root, "events/task.yaml", text);
}

/// One 1 MB string referenced ten thousand times: 10 GB if copied.
fn long_string_bomb(root: &Path) {
    let mut text = String::from(EVENT_HEAD);
    text.push_str(FREE_FORM_PAYLOAD);
    text.push_str(&format!(
        "    examples:\n      - {{data: &big \"{}\"}}\n",
        "x".repeat(1_000_000)
    ));
    text.push_str(&format!(
        "      - {{data: [{}]}}\n",
        vec!["*big"; 10_000].join(", ")
    ));
    write_file(root, "events/task.yaml", text);
}

/// Merge keys that double at every level: 2^40 entries if expanded.
fn merge_key_bomb(root: &Path) {
    let mut text = String::from(EVENT_HEAD);
    text.push_str(FREE_FORM_PAYLOAD);
    text.push_str("    examples:\n      - {data: &m0 {k0: v}}\n");
    for level in 1..=40 {
        let p = level - 1;
        text.push_str(&format!(
            "      - {{data: &m{level} {{<<: [*m{p}, *m{p}], k{level}: v}}}}\n"
        ));
    }
    write_file(root, "events/task.yaml", text);
}

/// Copies `from` into `to`, skipping the snapshot.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "expected.txt" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The base catalog overlaid with the case's files.
fn materialize(case: &Case, root: &Path) {
    let dir = Path::new(CORPUS).join(case.name);
    let base = Path::new(CORPUS).join("_base");
    fs::copy(base.join("catalog.yaml"), root.join("catalog.yaml")).unwrap();
    let has_events = dir.join("events").is_dir() || case.generate.is_some();
    if !has_events {
        copy_tree(&base.join("events"), &root.join("events"));
    }
    if dir.is_dir() {
        copy_tree(&dir, root);
    }
    if let Some(generate) = case.generate {
        generate(root);
    }
}

fn run_case(case: &Case) -> (Run, Duration) {
    let scratch = TempDir::new(&format!("corpus-{}", case.name));
    materialize(case, scratch.path());
    let started = Instant::now();
    let run = run_pipeline(scratch.path());
    (run, started.elapsed())
}

/// Compares with (or, under `EVENTCAT_BLESS=1`, writes) the case's snapshot.
fn snapshot(name: &str, rendered: &str) -> Result<(), String> {
    let path = Path::new(CORPUS).join(name).join("expected.txt");
    let rendered = format!("{rendered}\n");
    if std::env::var_os("EVENTCAT_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &rendered).unwrap();
        return Ok(());
    }
    let expected = fs::read_to_string(&path)
        .map_err(|error| format!("{name}: no snapshot at {} ({error})", path.display()))?;
    if expected == rendered {
        Ok(())
    } else {
        Err(format!(
            "{name}: the rendered diagnostics differ from expected.txt\n--- expected\n{expected}\n--- actual\n{rendered}"
        ))
    }
}

fn check_case(case: &Case) -> Result<(), String> {
    let (run, elapsed) = run_case(case);
    let name = case.name;
    let rendered = run.rendered();
    let snapshot_result = snapshot(name, &rendered);
    let shown = shorten(&rendered);
    if elapsed > TIME_LIMIT {
        return Err(format!("{name}: took {elapsed:?}"));
    }
    let Err(diagnostics) = &run.result else {
        return Err(format!("{name}: the broken catalog built and generated"));
    };
    let first = diagnostics
        .first()
        .ok_or_else(|| format!("{name}: an error without diagnostics"))?;
    if !diagnostics.iter().all(|d| d.is_error()) {
        return Err(format!("{name}: a diagnostic is not an error\n{shown}"));
    }
    if first.rule != case.rule {
        return Err(format!(
            "{name}: rule `{}`, expected `{}`\n{shown}",
            first.rule, case.rule
        ));
    }
    let at = first.position(&run.sources);
    if at.as_deref() != Some(case.at) {
        return Err(format!("{name}: at {at:?}, expected {}\n{shown}", case.at));
    }
    for needle in [format!("error[{}]", case.rule), format!("--> {}", case.at)] {
        if !rendered.contains(&needle) {
            return Err(format!("{name}: rendered text lacks `{needle}`\n{shown}"));
        }
    }
    if rendered.contains(env!("CARGO_MANIFEST_DIR")) || rendered.contains("eventcat-corpus-") {
        return Err(format!(
            "{name}: a machine path leaked into the output\n{shown}"
        ));
    }
    snapshot_result.map_err(|error| shorten(&error))
}

/// Long texts (the 5 MB case) cut for the failure message.
fn shorten(text: &str) -> String {
    const LIMIT: usize = 4_000;
    if text.len() <= LIMIT {
        return text.to_string();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} more bytes)", &text[..end], text.len() - end)
}

// Project cases: a whole small project, run the way a user runs eventcat.
//
// `tests/corpus/_project/` is a small, clean project (settings, a catalog,
// and Rust and TypeScript sources that drift cases configure). A project
// case directory overlays it in three steps:
//
// 1. its files (but `edited/`) replace or add to the base's;
// 2. the outputs are written as the last `gen` left them (the catalogs
//    built and rendered, the lock, editor schemas and any configured
//    output written), so the project starts up to date;
// 3. its `edited/` files are copied over the result: what changed since
//    that `gen` (a payload edit the lock does not know yet, a new setting),
//    then its generator (if any) makes what files cannot store (a removed
//    output, a directory in a file's place, a link to the harness's tsc).
//
// Then the project is found as the command line finds it (from the root,
// or `--root`) and `eventcat_codegen::run::run` runs `check` (or `gen`).

/// What a project case runs, as `cli/src/lib.rs` would for the command.
#[derive(Clone, Copy)]
enum Command {
    /// `eventcat check` in the project's root: discovery, then the run.
    Check,
    /// `eventcat --root . check`: the root named, so it must be a root.
    CheckRoot,
    /// `eventcat check --against <revision>`.
    CheckAgainst(&'static str),
    /// `eventcat gen`, for codes that only writing gives.
    Gen,
    /// `eventcat verify <recording>` of the project's catalog, the messages
    /// sent by the server (`false`) or a client (`true`).
    Verify(&'static str, bool),
}

/// The `at` of a case whose first diagnostic has no place in a file (a
/// project not found, a missing output, a failed tool).
const UNLOCATED: &str = "(no location)";

/// One project and what a command in it must report first.
struct ProjectCase {
    /// Directory under `tests/corpus/`.
    name: &'static str,
    /// Rule ID of the first diagnostic.
    rule: &'static str,
    /// `path:line:column` of the first diagnostic, relative to the project
    /// root, or [`UNLOCATED`].
    at: &'static str,
    /// The command run.
    command: Command,
    /// Makes files at run time, after the edits.
    generate: Option<fn(&Path)>,
}

/// A project case that runs `eventcat check`.
const fn project(name: &'static str, rule: &'static str, at: &'static str) -> ProjectCase {
    ProjectCase {
        name,
        rule,
        at,
        command: Command::Check,
        generate: None,
    }
}

impl ProjectCase {
    /// The case with another command.
    const fn running(mut self, command: Command) -> ProjectCase {
        self.command = command;
        self
    }

    /// The case with a generator for the files it cannot store.
    const fn made_by(mut self, generate: fn(&Path)) -> ProjectCase {
        self.generate = Some(generate);
        self
    }
}

const PROJECT_CASES: &[ProjectCase] = &[
    // Finding the project.
    project("files-no-project", "no-project", UNLOCATED)
        .running(Command::CheckRoot)
        .made_by(remove_project_settings),
    project(
        "files-two-project-markers",
        "two-project-markers",
        UNLOCATED,
    ),
    project(
        "files-invalid-project-settings",
        "invalid-project-settings",
        "eventcat.toml:2:1",
    ),
    project("files-no-catalogs", "no-catalogs", UNLOCATED),
    project("files-catalog-unreadable", "unreadable-file", UNLOCATED),
    // Schema warnings: the catalog builds, and `check` says what is at risk.
    project(
        "schema-unsafe-integer",
        "unsafe-integer",
        "events/comment.yaml:11:16",
    ),
    project(
        "schema-unknown-format",
        "unknown-format",
        "events/comment.yaml:11:36",
    ),
    // The naming lint (a new experimental event: the lock stays as it is).
    project(
        "naming-snake-case",
        "snake-case",
        "events/comment.yaml:3:11",
    ),
    project(
        "naming-past-tense-verb",
        "past-tense-verb",
        "events/comment.yaml:3:11",
    ),
    project(
        "naming-singular-resource",
        "singular-resource",
        "events/comment.yaml:3:11",
    ),
    project(
        "naming-resource-prefix",
        "resource-prefix",
        "events/comment.yaml:3:11",
    ),
    project(
        "naming-webhook-dot-form",
        "webhook-dot-form",
        "events/comment.yaml:3:11",
    ),
    project(
        "naming-unused-exception",
        "unused-exception",
        "events/comment.yaml:8:16",
    ),
    // The frozen contract: the catalog edited since the lock was written.
    project(
        "contract-invalid-lock",
        "invalid-lock",
        "corpus.lock.json:4:1",
    )
    .made_by(conflicted_lock),
    // The scratch root is no git checkout (unless the temp dir is inside one).
    project("contract-git-failed", "git-failed", UNLOCATED)
        .running(Command::CheckAgainst("origin/main")),
    project(
        "contract-protocol-version-decreased",
        "protocol-version-decreased",
        "catalog.yaml:3:19",
    ),
    project(
        "contract-grandfathered-grew",
        "grandfathered-grew",
        "catalog.yaml:11:14",
    ),
    project(
        "contract-event-removed",
        "event-removed",
        "corpus.lock.json:89:5",
    ),
    project(
        "contract-event-renamed",
        "event-renamed",
        "events/task.yaml:31:11",
    ),
    project(
        "contract-event-unfrozen",
        "event-unfrozen",
        "events/task.yaml:31:11",
    ),
    project(
        "contract-event-became-command",
        "event-became-command",
        "events/task_commands.yaml:4:11",
    ),
    project(
        "contract-webhook-renamed",
        "webhook-renamed",
        "events/task.yaml:3:11",
    ),
    project(
        "contract-envelope-changed",
        "envelope-changed",
        "catalog.yaml:1:10",
    ),
    project(
        "contract-decision-without-bump",
        "decision-without-bump",
        "catalog.yaml:12:12",
    ),
    project(
        "contract-unknown-change",
        "unknown-change",
        "catalog.yaml:15:14",
    ),
    project(
        "contract-unknown-decision-event",
        "unknown-decision-event",
        "catalog.yaml:12:12",
    ),
    // Each kind of payload change of a frozen event.
    project(
        "compat-property-removed",
        "property-removed",
        "events/task.yaml:11:7",
    ),
    project(
        "compat-property-added",
        "property-added",
        "events/task.yaml:18:9",
    ),
    project(
        "compat-property-required",
        "property-required",
        "events/task.yaml:13:9",
    ),
    project(
        "compat-property-optional",
        "property-optional",
        "events/task.yaml:12:9",
    ),
    project(
        "compat-type-changed",
        "type-changed",
        "events/task.yaml:17:9",
    ),
    project(
        "compat-integer-widened",
        "integer-widened",
        "events/task.yaml:17:9",
    ),
    project(
        "compat-number-narrowed",
        "number-narrowed",
        "events/task.yaml:16:9",
    ),
    project(
        "compat-null-allowed",
        "null-allowed",
        "events/task.yaml:13:9",
    ),
    project(
        "compat-null-disallowed",
        "null-disallowed",
        "events/task.yaml:15:9",
    ),
    project(
        "compat-enum-value-added",
        "enum-value-added",
        "events/task.yaml:14:9",
    ),
    project(
        "compat-enum-value-removed",
        "enum-value-removed",
        "events/task.yaml:14:9",
    ),
    project(
        "compat-variant-added",
        "variant-added",
        "events/task.yaml:18:9",
    ),
    project(
        "compat-variant-removed",
        "variant-removed",
        "events/task.yaml:18:9",
    ),
    project(
        "compat-additional-properties-changed",
        "additional-properties-changed",
        "events/task.yaml:8:7",
    ),
    project(
        "compat-bound-changed",
        "bound-changed",
        "events/task.yaml:13:9",
    ),
    project(
        "compat-format-changed",
        "format-changed",
        "events/task.yaml:15:9",
    ),
    project(
        "compat-const-changed",
        "const-changed",
        "events/task.yaml:23:17",
    ),
    // Drift of the code that emits and handles the events.
    project("drift-dead-event", "dead-event", "events/task.yaml:31:11"),
    project(
        "drift-unregistered-event",
        "unregistered-event",
        "backend/src/emit.rs:8:19",
    ),
    project(
        "drift-unverifiable-emit",
        "unverifiable-emit",
        "backend/src/emit.rs:9:19",
    ),
    project(
        "drift-uncalled-emit-function",
        "uncalled-emit-function",
        "catalog.yaml:12:15",
    ),
    project(
        "drift-unhandled-event",
        "unhandled-event",
        "frontend/src/handlers.ts:4:46",
    ),
    project(
        "drift-unknown-handler",
        "unknown-handler",
        "frontend/src/handlers.ts:6:3",
    ),
    project(
        "drift-unverifiable-handlers",
        "unverifiable-handlers",
        "frontend/src/handlers.ts:6:46",
    ),
    project(
        "drift-no-handler-map",
        "no-handler-map",
        "catalog.yaml:12:15",
    ),
    project(
        "drift-typescript-error",
        "typescript-error",
        "frontend/src/handlers.ts:5:61",
    )
    .made_by(link_tsc),
    project(
        "drift-typescript-unavailable",
        "typescript-unavailable",
        UNLOCATED,
    ),
    project("drift-typescript-failed", "typescript-failed", UNLOCATED).made_by(link_tsc),
    project(
        "drift-rust-parse-error",
        "rust-parse-error",
        "backend/src/emit.rs:9:1",
    ),
    project(
        "drift-source-missing",
        "drift-source-missing",
        "catalog.yaml:12:15",
    ),
    // Generated files.
    project("output-stale", "stale-output", "corpus.lock.json:14:1"),
    project("output-missing", "missing-output", UNLOCATED).made_by(remove_lock),
    project("output-foreign", "foreign-output", "catalog.yaml:11:9"),
    project("output-collision", "output-collision", UNLOCATED),
    project("output-write-failed", "write-failed", UNLOCATED)
        .running(Command::Gen)
        .made_by(directory_at_output),
    // A property name the validator accepts but no Rust identifier can
    // spell (`²` is alphanumeric, not XID): the Rust renderer refuses it.
    // When validation reports it instead, this case moves to NO_EXAMPLE.
    // Recorded traffic (`eventcat verify`).
    project(
        "traffic-malformed-message",
        "malformed-message",
        "recording.jsonl:1:1",
    )
    .running(Command::Verify("recording.jsonl", false)),
    project(
        "traffic-invalid-message",
        "invalid-message",
        "recording.jsonl:1:1",
    )
    .running(Command::Verify("recording.jsonl", false)),
    project(
        "traffic-unknown-message-type",
        "unknown-message-type",
        "recording.jsonl:1:1",
    )
    .running(Command::Verify("recording.jsonl", false)),
    project(
        "traffic-wrong-direction",
        "wrong-direction",
        "recording.jsonl:1:1",
    )
    .running(Command::Verify("recording.jsonl", true)),
    project(
        "traffic-unseen-message",
        "unseen-message",
        "events/task.yaml:31:11",
    )
    .running(Command::Verify("recording.jsonl", false)),
];

/// Removes the project's settings, so no project is found.
fn remove_project_settings(root: &Path) {
    fs::remove_file(root.join("eventcat.toml")).unwrap();
}

/// Removes the contract lock the last `gen` wrote.
fn remove_lock(root: &Path) {
    fs::remove_file(root.join("corpus.lock.json")).unwrap();
}

/// The lock as a merge left it: conflict markers around a line both
/// branches changed.
fn conflicted_lock(root: &Path) {
    let path = root.join("corpus.lock.json");
    let text = fs::read_to_string(&path).unwrap();
    let line = "  \"protocol_version\": 2,\n";
    assert!(text.contains(line), "the lock has no `{line}`");
    let conflict =
        format!("<<<<<<< HEAD\n{line}=======\n  \"protocol_version\": 3,\n>>>>>>> release\n");
    fs::write(&path, text.replacen(line, &conflict, 1)).unwrap();
}

/// A directory where `gen` must write a file.
fn directory_at_output(root: &Path) {
    let path = root.join("events.schema.json");
    fs::remove_file(&path).unwrap();
    fs::create_dir(&path).unwrap();
}

/// The frontend's `node_modules/.bin/tsc`: the `tests/ts` harness's.
fn link_tsc(root: &Path) {
    let link = root.join("frontend/node_modules/.bin/tsc");
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(support::tsc(), &link).unwrap();
    #[cfg(not(unix))]
    panic!("the TypeScript project cases link tsc, which needs Unix");
}

/// The base project overlaid with the case's files, its outputs generated
/// in between (see the comment above [`Command`]).
fn materialize_project(case: &ProjectCase, root: &Path) {
    copy_tree(&Path::new(CORPUS).join("_project"), root);
    let dir = Path::new(CORPUS).join(case.name);
    if dir.is_dir() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == "edited" || name == "expected.txt" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy_tree(&entry.path(), &root.join(&name));
            } else {
                fs::copy(entry.path(), root.join(&name)).unwrap();
            }
        }
    }
    generate_outputs(root);
    if dir.join("edited").is_dir() {
        copy_tree(&dir.join("edited"), root);
    }
    if let Some(generate) = case.generate {
        generate(root);
    }
}

/// The outputs as the last `gen` left them: every catalog of the project
/// rendered and written. Nothing is written for a catalog that does not
/// build, or when there is no project.
fn generate_outputs(root: &Path) {
    let mut sources = Sources::new(root);
    let Ok(project) = project::discover(root, "eventcat", &mut sources) else {
        return;
    };
    for catalog in &project.catalogs {
        let files = project
            .build(&mut sources, catalog)
            .and_then(|catalog| eventcat_codegen::generate(&catalog));
        if let Ok(files) = files {
            write_outputs(&files);
        }
    }
}

/// Finds the project and runs the command, as `cli/src/lib.rs` does.
fn run_project(root: &Path, command: Command) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new(root);
    let found = match command {
        Command::CheckRoot => project::at(root, "eventcat", &mut sources),
        _ => project::discover(root, "eventcat", &mut sources),
    };
    let project: Project = match found {
        Ok(project) => project,
        Err(diagnostic) => return (sources, vec![*diagnostic]),
    };
    if project.catalogs.is_empty() {
        // The command line reports this one itself (`generate` in
        // `cli/src/lib.rs`); the library never sees an empty list.
        let diagnostic = Diagnostic::error(
            "no-catalogs",
            format!("{} lists no catalogs", project.marker.table()),
        )
        .help("list them as `catalogs = [\"eventcat/board.yaml\"]`, or run `eventcat init`");
        return (Sources::new(&project.root), vec![diagnostic]);
    }
    if let Command::Verify(recording, from_client) = command {
        let catalog = match project.build(&mut sources, &project.catalogs[0]) {
            Ok(catalog) => catalog,
            Err(diagnostics) => return (sources, diagnostics),
        };
        let sender = match from_client {
            true => eventcat_codegen::model::Direction::ClientToServer,
            false => eventcat_codegen::model::Direction::ServerToClient,
        };
        let (diagnostics, _) =
            eventcat_codegen::verify::verify(&mut sources, &catalog, &root.join(recording), sender);
        return (sources, diagnostics);
    }
    let mode = match command {
        Command::Verify(..) => unreachable!("handled above"),
        Command::Check | Command::CheckRoot => Mode::Check { against: None },
        Command::CheckAgainst(revision) => Mode::Check {
            against: Some(revision.to_string()),
        },
        Command::Gen => Mode::Write,
    };
    let run = run::run(&project, &project.catalogs, &mode);
    (run.sources, run.diagnostics)
}

/// The diagnostic with the scratch root's paths shown relative to it, as
/// display paths are: `<root>/x` as `x`, `<root>` as `.`.
fn relative_to(root: &Path, diagnostic: Diagnostic) -> Diagnostic {
    let root = root.to_string_lossy();
    let inside = format!("{root}/");
    let relative = |text: &str| text.replace(&inside, "").replace(&*root, ".");
    Diagnostic {
        message: relative(&diagnostic.message),
        label: relative(&diagnostic.label),
        notes: diagnostic.notes.iter().map(|note| relative(note)).collect(),
        help: diagnostic.help.as_deref().map(relative),
        ..diagnostic
    }
}

fn check_project_case(case: &ProjectCase) -> Result<(), String> {
    let scratch = TempDir::new(&format!("corpus-{}", case.name));
    let root = scratch.path();
    materialize_project(case, root);
    let started = Instant::now();
    let (sources, diagnostics) = run_project(root, case.command);
    let elapsed = started.elapsed();
    let diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .map(|diagnostic| relative_to(root, diagnostic))
        .collect();
    let rendered = Report {
        diagnostics: diagnostics.clone(),
    }
    .render(&sources, false);
    let name = case.name;
    let snapshot_result = snapshot(name, &rendered);
    if elapsed > TIME_LIMIT {
        return Err(format!("{name}: took {elapsed:?}"));
    }
    let first = diagnostics
        .first()
        .ok_or_else(|| format!("{name}: no diagnostics\n{rendered}"))?;
    if first.rule != case.rule {
        return Err(format!(
            "{name}: rule `{}`, expected `{}`\n{rendered}",
            first.rule, case.rule
        ));
    }
    let level = match eventcat_codegen::codes::get(case.rule).map(|code| code.level) {
        Some(eventcat_codegen::codes::Level::Warning) => "warning",
        _ => "error",
    };
    let shown_level = if first.is_error() { "error" } else { "warning" };
    if shown_level != level {
        return Err(format!(
            "{name}: a {shown_level}, but `{}` is a {level} by default\n{rendered}",
            case.rule
        ));
    }
    let at = first.position(&sources);
    if at.as_deref().unwrap_or(UNLOCATED) != case.at {
        return Err(format!(
            "{name}: at {at:?}, expected {}\n{rendered}",
            case.at
        ));
    }
    let first_rendered = first.render(&sources, false);
    if !first_rendered.starts_with(&format!("{level}[{}]", case.rule)) {
        return Err(format!(
            "{name}: rendered text lacks `{level}[{}]`\n{rendered}",
            case.rule
        ));
    }
    let place = format!("--> {}", case.at);
    if (case.at == UNLOCATED) == first_rendered.contains("-->")
        || (case.at != UNLOCATED && !first_rendered.contains(&place))
    {
        return Err(format!(
            "{name}: the rendered place is not {}\n{rendered}",
            case.at
        ));
    }
    let workspace = support::workspace_root();
    for leak in [
        root.to_string_lossy().as_ref(),
        workspace.to_string_lossy().as_ref(),
        "eventcat-corpus-",
    ] {
        if rendered.contains(leak) {
            return Err(format!(
                "{name}: a machine path leaked into the output\n{rendered}"
            ));
        }
    }
    snapshot_result
}

#[test]
fn the_base_catalog_builds() {
    let scratch = TempDir::new("corpus-base");
    materialize(
        &Case {
            name: "_base",
            rule: "",
            at: "",
            generate: None,
        },
        scratch.path(),
    );
    let run = run_pipeline(scratch.path());
    assert!(run.result.is_ok(), "{}", run.rendered());
}

#[test]
fn every_corpus_case_gives_its_diagnostic() {
    assert!(CASES.len() >= 40, "the issue asks for at least 40 cases");
    // Cases run on a few threads: the bombs and the 5 MB file dominate.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = CASES
            .chunks(CASES.len().div_ceil(4))
            .map(|chunk| {
                std::thread::Builder::new()
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, move || {
                        chunk
                            .iter()
                            .filter_map(|case| check_case(case).err())
                            .collect::<Vec<_>>()
                    })
                    .unwrap()
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a corpus case panicked"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

/// The base project is clean: `check` right after `gen` finds nothing.
#[test]
fn the_base_project_checks_clean() {
    let scratch = TempDir::new("corpus-project-base");
    copy_tree(&Path::new(CORPUS).join("_project"), scratch.path());
    generate_outputs(scratch.path());
    let (sources, diagnostics) = run_project(scratch.path(), Command::Check);
    assert!(
        diagnostics.is_empty(),
        "{}",
        Report { diagnostics }.render(&sources, false)
    );
}

#[test]
fn every_project_case_gives_its_diagnostic() {
    // A few threads take the next case as they finish one, the cases that
    // run tsc (a second or so) first, so they overlap with all the others.
    let runs_tsc = |case: &&ProjectCase| case.rule.starts_with("typescript-");
    let order: Vec<&ProjectCase> = PROJECT_CASES
        .iter()
        .filter(runs_tsc)
        .chain(PROJECT_CASES.iter().filter(|case| !runs_tsc(case)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let mut failures = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(case) = order.get(index) else {
                            return failures;
                        };
                        failures.extend(check_project_case(case).err());
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a project case panicked"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} project cases failed:\n\n{}",
        failures.len(),
        PROJECT_CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_directory_is_listed_and_has_a_snapshot() {
    let mut listed: Vec<&str> = CASES
        .iter()
        .map(|case| case.name)
        .chain(PROJECT_CASES.iter().map(|case| case.name))
        .collect();
    listed.sort_unstable();
    let before = listed.len();
    listed.dedup();
    assert_eq!(before, listed.len(), "a case is listed twice");
    for entry in fs::read_dir(CORPUS).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "_base" || name == "_project" || name == "known-issues" {
            continue;
        }
        assert!(
            listed.contains(&name.as_str()),
            "tests/corpus/{name} is not in CASES"
        );
    }
    if std::env::var_os("EVENTCAT_BLESS").is_none() {
        for name in listed {
            assert!(
                Path::new(CORPUS).join(name).join("expected.txt").is_file(),
                "tests/corpus/{name}/expected.txt is missing"
            );
        }
    }
}

/// A bug in code this suite may not change (`schema.rs`, `validate.rs`,
/// `render/docs.rs`), kept here so it is listed and cannot go unnoticed: the
/// test asserts the bug is still there, so a fix makes it fail and the case
/// moves to `CASES` (or to the injection tests) with a snapshot.
struct KnownIssue {
    name: &'static str,
    /// Where the bug is, and what should happen instead.
    bug: &'static str,
    /// Writes the catalog files over the base catalog.
    setup: fn(&Path),
    /// Whether the run still shows the bug.
    still_broken: fn(&Run) -> bool,
}

fn base_catalog_with(root: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(Path::new(CORPUS).join("_base/catalog.yaml")).unwrap();
    assert!(text.contains(from), "the base catalog has no `{from}`");
    write_file(root, "catalog.yaml", text.replacen(from, to, 1));
}

fn event_with(root: &Path, extra: &str) {
    let text = fs::read_to_string(Path::new(CORPUS).join("_base/events/task.yaml")).unwrap();
    let text = text.replacen(
        "        title: {type: string}\n",
        &format!("        title: {{type: string}}\n{extra}"),
        1,
    );
    write_file(root, "events/task.yaml", text);
}

fn output_of(run: &Run, suffix: &str) -> Option<String> {
    let files = run.result.as_ref().ok()?;
    Some(support::output(files, suffix))
}

/// Bugs this suite found in files outside its reach, since fixed: each
/// `still_broken` recognises the old behaviour, so a regression fails.
const FIXED_ISSUES: &[KnownIssue] = &[
    KnownIssue {
        name: "docs-webhook-name-breaks-table",
        bug: "render/docs.rs: a custom webhook name is put in the events table unescaped, so `|` adds a column (expected: escaped like other cells, or the name validated)",
        setup: |root| {
            let text =
                fs::read_to_string(Path::new(CORPUS).join("_base/events/task.yaml")).unwrap();
            write_file(
                root,
                "events/task.yaml",
                text.replacen(
                    "    webhook: ws-only\n",
                    "    webhook: {name: 'tasks|reordered'}\n",
                    1,
                ),
            );
        },
        still_broken: |run| {
            output_of(run, "docs/corpus.md").is_some_and(|docs| docs.contains("`tasks|reordered`"))
        },
    },
    KnownIssue {
        name: "docs-newline-in-field-name",
        bug: "render/docs.rs: a property name with a line break splits its table row (expected: the name escaped or rejected)",
        setup: |root| event_with(root, "        \"two\\nlines\": {type: string}\n"),
        still_broken: |run| {
            output_of(run, "docs/corpus.md").is_some_and(|docs| docs.contains("`two\nlines`"))
        },
    },
    KnownIssue {
        name: "docs-unbalanced-backtick-keeps-html",
        bug: "render/docs.rs: escape_html treats everything after a lone backtick as code, so `<script>` after it stays raw HTML in the page (expected: `&lt;script>`)",
        setup: |root| {
            event_with(
                root,
                "        note: {type: string, description: 'a ` b <script>x</script>'}\n",
            )
        },
        still_broken: |run| {
            output_of(run, "docs/corpus.md").is_some_and(|docs| docs.contains("<script>x</script>"))
        },
    },
    KnownIssue {
        name: "definition-name-not-an-identifier",
        bug: "schema.rs: a definition (or `title`) whose name is no identifier, e.g. `1st`, is accepted; generation then fails with an unlocated render-failed (before this suite's rust.rs fix: a panic), and the TypeScript `export type 1st` would not parse (expected: a located diagnostic at the definition)",
        setup: |root| {
            base_catalog_with(
                root,
                "definitions:\n",
                "definitions:\n  1st: {type: string}\n",
            )
        },
        still_broken: |run| matches!(&run.result, Err(d) if d.iter().any(|d| d.rule == "render-failed" && d.location.is_none())),
    },
    KnownIssue {
        name: "type-name-shadows-rust-std",
        bug: "schema.rs: reserved_names lacks the Rust names the generated module uses (`Result`, `Option`, `String`, `Vec`, `Serialize`, `Deserialize`, `FromStr`, ...): a definition `Result` generates `pub type Result = String;`, and the crate no longer compiles (expected: type-name-collision)",
        setup: |root| {
            base_catalog_with(
                root,
                "definitions:\n",
                "definitions:\n  Result: {type: string}\n",
            )
        },
        still_broken: |run| {
            output_of(run, "src/corpus.rs")
                .is_some_and(|rust| rust.contains("pub type Result = String;"))
        },
    },
    KnownIssue {
        name: "type-name-shadows-typescript-builtin",
        bug: "schema.rs: reserved_names lacks the TypeScript globals the module uses (`Exclude`, `ReadonlySet`, `Set`, `Symbol`, `Array`): a definition `Exclude` shadows the utility type and the module fails to type-check (expected: type-name-collision)",
        setup: |root| {
            base_catalog_with(
                root,
                "definitions:\n",
                "definitions:\n  Exclude: {type: string}\n",
            )
        },
        still_broken: |run| {
            output_of(run, "ts/corpus.ts")
                .is_some_and(|ts| ts.contains("export type Exclude = string;"))
        },
    },
    KnownIssue {
        name: "envelope-fields-equal",
        bug: "validate.rs: the envelope's version, type and payload fields may be the same name, which makes the envelope unreadable (the generated parser matches one key twice) (expected: invalid-value)",
        setup: |root| {
            base_catalog_with(
                root,
                "protocol_version: 1\n",
                "protocol_version: 1\nenvelope: {style: adjacent, type_field: data, payload_field: data}\n",
            )
        },
        still_broken: |run| run.result.is_ok(),
    },
    KnownIssue {
        name: "rust-package-name-not-validated",
        bug: "validate.rs: `outputs.rust.package` is not checked, so `Not A Crate` generates a Cargo.toml cargo rejects (rust.rs now escapes it, so it can no longer add TOML keys) (expected: invalid-value)",
        setup: |root| {
            base_catalog_with(root, "package: corpus-events", "package: 'Not A \"Crate\"'")
        },
        still_broken: |run| run.result.is_ok(),
    },
    KnownIssue {
        name: "collision-note-lacks-file",
        bug: "schema.rs: type-name-collision notes `first defined at line L, column C` without the file, which reads as the file of the diagnostic (expected: path:line:column)",
        setup: |root| {
            base_catalog_with(
                root,
                "definitions:\n",
                "definitions:\n  TaskCreatedPayload:\n    type: object\n    properties:\n      a: {type: string}\n",
            )
        },
        still_broken: |run| matches!(&run.result, Err(d) if d.iter().any(|d| d.notes.iter().any(|note| note.starts_with("first defined at line")))),
    },
    KnownIssue {
        name: "nullable-enum-rejects-null",
        bug: "schema.rs: `type: [string, \"null\"]` with `enum` generates `Option<Enum>` / `Enum | null`, but JSON Schema rejects null unless the enum lists it, and an enum listing null is an invalid-enum: a null example can never validate (expected: null allowed, or the combination rejected)",
        setup: |root| {
            let text =
                fs::read_to_string(Path::new(CORPUS).join("_base/events/task.yaml")).unwrap();
            let text = text.replacen("        title: {type: string}\n", "        title: {type: string}\n        state: {type: [string, 'null'], enum: [open, done]}\n", 1);
            write_file(
                root,
                "events/task.yaml",
                text.replacen(
                    "{task_id: 1, title: Write tests}",
                    "{task_id: 1, title: Write tests, state: null}",
                    1,
                ),
            );
        },
        // The example is wrong for the schema as written; what was broken is
        // that nothing said why the schema could never accept it.
        still_broken: |run| matches!(&run.result, Err(d) if d.iter().any(|d| d.rule == "invalid-example") && !d.iter().any(|d| d.rule == "invalid-enum")),
    },
    KnownIssue {
        name: "symbol-in-property-name-fails-rendering",
        bug: "names.rs: a property named `area_m²` passed validation, then the Rust renderer refused the field name `area_m²` as render-failed with no location (expected: a field name that is an identifier, `area_m`)",
        setup: |root| {
            let text =
                fs::read_to_string(Path::new(CORPUS).join("_base/events/task.yaml")).unwrap();
            let text = text.replacen(
                "        title: {type: string}\n",
                "        title: {type: string}\n        area_m²: {type: number}\n",
                1,
            );
            write_file(root, "events/task.yaml", text);
        },
        still_broken: |run| !matches!(&run.result, Ok(files) if files.iter().any(|file| file.contents.to_string().contains("pub area_m: Option<serde_json::Number>"))),
    },
];

#[test]
fn fixed_issues_stay_fixed() {
    let mut broken = Vec::new();
    for issue in FIXED_ISSUES {
        let scratch = TempDir::new(&format!("fixed-{}", issue.name));
        materialize(
            &Case {
                name: "_base",
                rule: "",
                at: "",
                generate: None,
            },
            scratch.path(),
        );
        (issue.setup)(scratch.path());
        let run = run_pipeline(scratch.path());
        if (issue.still_broken)(&run) {
            broken.push(format!(
                "{}: {}\n{}",
                issue.name,
                issue.bug,
                shorten(&run.rendered())
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "issues found by this suite and fixed are back:\n\n{}",
        broken.join("\n\n")
    );
}

/// Codes no corpus case can give, each with the reason (the page says it).
const NO_EXAMPLE: &[(&str, &str)] = &[(
    "render-failed",
    "an internal guard: validation refuses every name a renderer cannot write (names::tests, render::rust::check_identifiers)",
)];

/// `DIAGNOSTICS.md`: every code of the registry with its summary, default
/// severity and fix, and the corpus snapshot of its first case as the
/// example (like rustc's error index). Regenerated with `EVENTCAT_BLESS=1`.
#[test]
fn the_diagnostics_page_lists_every_code_with_its_example() {
    use eventcat_codegen::codes::{CODES, Level};
    let mut page = String::from(
        "<!-- Generated from codegen/src/codes.rs and tests/corpus/ by \
         `EVENTCAT_BLESS=1 cargo test -p eventcat-tests --test corpus`. Do not edit. -->\n\n\
         # Diagnostic codes\n\n\
         Every finding eventcat reports carries one of these codes, e.g. `error[unknown-key]`. \
         The examples are the corpus cases of `tests/corpus/`, rendered as the command line prints them.\n",
    );
    let mut stage = None;
    let mut without_example = Vec::new();
    for code in CODES {
        if stage != Some(code.stage) {
            stage = Some(code.stage);
            page.push_str(&format!("\n## {:?}\n", code.stage));
        }
        let level = match code.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        page.push_str(&format!(
            "\n### `{}`\n\n{} ({level} by default).\n\n**Fix:** {}.\n",
            code.id,
            sentence(code.summary),
            code.fix
        ));
        let case = CASES
            .iter()
            .find(|case| case.rule == code.id)
            .map(|case| case.name)
            .or_else(|| {
                PROJECT_CASES
                    .iter()
                    .find(|case| case.rule == code.id)
                    .map(|case| case.name)
            });
        match case {
            Some(case) => {
                let example = fs::read_to_string(Path::new(CORPUS).join(case).join("expected.txt"))
                    .unwrap_or_default();
                page.push_str(&format!("\n```text\n{}\n```\n", example.trim_end()));
            }
            None => {
                if let Some((_, reason)) = NO_EXAMPLE.iter().find(|(id, _)| *id == code.id) {
                    page.push_str(&format!("\nNo example: {reason}.\n"));
                }
                without_example.push(code.id);
            }
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../DIAGNOSTICS.md");
    if std::env::var_os("EVENTCAT_BLESS").is_some() {
        fs::write(&path, &page).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == page,
        "DIAGNOSTICS.md is stale: run `EVENTCAT_BLESS=1 cargo test -p eventcat-tests --test corpus`"
    );
    // Every code has a case, but those no files on disk can give.
    let exempt: Vec<&str> = NO_EXAMPLE.iter().map(|(id, _)| *id).collect();
    let missing: Vec<&&str> = without_example
        .iter()
        .filter(|id| !exempt.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a corpus case: {missing:?}"
    );
    let stale: Vec<&&str> = exempt
        .iter()
        .filter(|id| !without_example.contains(id))
        .collect();
    assert!(
        stale.is_empty(),
        "codes in NO_EXAMPLE that have a case (or are no code): {stale:?}"
    );
}

/// A summary as a sentence: capitalised.
fn sentence(summary: &str) -> String {
    let mut chars = summary.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
