//! Real event schemas other projects publish (`../shared/corpora/`), read
//! in place and turned into catalogs the way an adopting team would: every
//! event must generate, every real example message must come back from the
//! generated Rust byte for byte, and the generated TypeScript must accept
//! every example as its payload type.
//!
//! CDEvents: JSON Schema 2020-12, one file per event, `$ref`s between files
//! resolved against each document's `$id`, one conformance message per
//! event. Matrix: YAML schemas built with `allOf` over shared bases, `$ref`s
//! by relative path, example events that extend other examples by `$ref`.
//! Both go through the library's `import json-schema`: shared files become
//! `definitions`, `$ref`s point at them, real messages become examples.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{TempDir, run_pipeline, type_check, write_file, write_outputs};

fn corpora() -> PathBuf {
    support::corpora()
}

/// One imported event: its resource and its definition as the event file has it.
struct Imported {
    resource: String,
    event: Value,
}

impl Imported {
    fn name(&self) -> &str {
        self.event["name"].as_str().unwrap()
    }

    fn examples(&self) -> &[Value] {
        self.event["examples"].as_array().map_or(&[], Vec::as_slice)
    }
}

/// `eventcat import json-schema` of a corpus: the catalog settings file and
/// every event, read back from the event files it wrote.
fn import(schemas: &Path, examples: &Path, channel: &str) -> (String, Vec<Imported>) {
    let imported = eventcat_codegen::import::json_schema(&eventcat_codegen::import::Options {
        schemas: schemas.to_path_buf(),
        examples: Some(examples.to_path_buf()),
        channel: channel.to_string(),
    })
    .unwrap_or_else(|error| panic!("import failed: {error}"));
    let mut settings = String::new();
    let mut events = Vec::new();
    for (path, text) in imported.files {
        if path == Path::new("catalog.yaml") {
            settings = text;
            continue;
        }
        let file: Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: {error}\n{text}", path.display()));
        let resource = file["resource"].as_str().unwrap().to_string();
        for event in file["events"].as_array().unwrap() {
            events.push(Imported {
                resource: resource.clone(),
                event: event.clone(),
            });
        }
    }
    (settings, events)
}

/// Writes the catalog with just `events` to `root` (and just their
/// grandfathered names).
fn write_catalog(root: &Path, settings: &str, events: &[&Imported]) {
    let mut settings: Value = serde_saphyr::from_str(settings).unwrap();
    if let Some(Value::Array(names)) = settings.pointer_mut("/naming/grandfathered") {
        names.retain(|entry| {
            events
                .iter()
                .any(|event| entry["name"] == event.event["name"])
        });
    }
    write_file(
        root,
        "catalog.yaml",
        serde_json::to_string_pretty(&settings).unwrap(),
    );
    let mut resources: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for imported in events {
        resources
            .entry(&imported.resource)
            .or_default()
            .push(imported.event.clone());
    }
    for (resource, events) in resources {
        let file = json!({"resource": resource, "events": events});
        write_file(
            root,
            &format!("events/{resource}.yaml"),
            serde_json::to_string_pretty(&file).unwrap(),
        );
    }
}

/// Each event alone first (what blocks one does not hide the others); the
/// names of those that build, and why each other one does not.
fn build_each<'a>(settings: &str, events: &'a [Imported]) -> (Vec<&'a Imported>, Vec<String>) {
    let mut built = Vec::new();
    let mut blocked = Vec::new();
    for event in events {
        let scratch = TempDir::new("corpora-one");
        write_catalog(scratch.path(), settings, &[event]);
        match run_pipeline(scratch.path()).result {
            Ok(_) => built.push(event),
            Err(diagnostics) => blocked.push(format!(
                "{}: {}",
                event.name(),
                diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| format!("{} ({})", d.rule, d.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    }
    (built, blocked)
}

/// Generates the events together, sends every example through the
/// generated Rust and type-checks it as the generated TypeScript; returns
/// how many examples came back exactly.
fn round_trip_all(settings: &str, events: &[&Imported], channel: &str, envelope: &str) -> usize {
    let label = format!("corpora-{channel}");
    let scratch = TempDir::new(&label);
    write_catalog(scratch.path(), settings, events);
    let run = run_pipeline(scratch.path());
    write_outputs(run.files());
    let mut input = String::new();
    for event in events {
        for example in event.examples() {
            input.push_str(&envelope_line(event.name(), example));
            input.push('\n');
        }
    }
    let written = rust_round_trip(
        &scratch.path().join(format!("generated/{channel}/rust")),
        envelope,
        &input,
    );
    assert_eq!(written.len(), input.lines().count());
    let changed: Vec<String> = input
        .lines()
        .zip(&written)
        .filter(|(sent, back)| support::canonical(sent) != support::canonical(back))
        .map(|(sent, back)| format!("sent {sent}\n got {back}"))
        .collect();
    assert!(
        changed.is_empty(),
        "changed on the round trip:\n{}",
        changed.join("\n")
    );
    python_check(&scratch, channel);
    // The examples module types every example as its payload.
    if let Err(output) = type_check(
        &scratch.path().join(format!("generated/{channel}/ts")),
        false,
    ) {
        panic!("tsc rejected the {channel} examples:\n{output}");
    }
    written.len()
}

/// The catalog's Python module passes mypy and pyright, strict, and is as
/// `ruff format` writes it.
fn python_check(scratch: &TempDir, channel: &str) {
    let catalog = eventcat_codegen::build(
        &mut eventcat_codegen::source::Sources::new(scratch.path()),
        &scratch.path().join("catalog.yaml"),
    )
    .unwrap_or_else(|diagnostics| panic!("{diagnostics:?}"));
    let module = eventcat_codegen::render::python::module(&catalog);
    let dir = scratch.path().join("python");
    fs::create_dir_all(&dir).unwrap();
    let file = format!("{channel}.py");
    fs::write(dir.join(&file), module).unwrap();
    if let Err(errors) = support::python::type_check(&dir) {
        panic!("the {channel} Python module does not type-check:\n{errors}");
    }
    if let Err(diff) = support::python::format_check(&dir, &[file]) {
        panic!("`ruff format` would change the {channel} Python module:\n{diff}");
    }
}

/// The envelope line the generated crate reads, in the wire's key order.
fn envelope_line(name: &str, payload: &Value) -> String {
    json!({"protocol_version": 1, "event_type": name, "payload": payload}).to_string()
}

/// Builds the generated crate at `crate_dir` with a binary that reads one
/// envelope per line and writes each back; returns what it wrote.
fn rust_round_trip(crate_dir: &Path, envelope: &str, lines: &str) -> Vec<String> {
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    let library = manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap()
        .replace('-', "_");
    write_file(
        crate_dir,
        "src/bin/roundtrip.rs",
        format!(
            "use std::io::BufRead;\n\nfn main() {{\n    for line in std::io::stdin().lock().lines() {{\n        \
             let line = line.unwrap();\n        match {library}::{envelope}::from_json(&line) {{\n            \
             Ok(envelope) => println!(\"{{}}\", envelope.to_json().unwrap()),\n            \
             Err(error) => println!(\"error: {{error}}\"),\n        }}\n    }}\n}}\n"
        ),
    );
    let target = support::target_dir().join("corpora-crate");
    let _guard = support::cargo_lock().lock().unwrap();
    if let Err(output) = support::cargo_in(crate_dir, &target, &["build", "--bin", "roundtrip"]) {
        panic!("the generated crate does not build:\n{output}");
    }
    // Real descriptions are Markdown; the crate must stay lint-clean.
    if let Err(output) = support::cargo_in(crate_dir, &target, &["clippy", "--", "-D", "warnings"])
    {
        panic!("clippy rejects the generated crate:\n{output}");
    }
    support::run_with_input(&target.join("debug/roundtrip"), lines)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn cdevents_import_generates_and_every_conformance_message_round_trips_exactly() {
    let dir = corpora().join("cdevents");
    let (settings, events) = import(&dir.join("schemas"), &dir.join("conformance"), "cdevents");
    let names: Vec<&str> = events.iter().map(Imported::name).collect();
    assert_eq!(events.len(), 48, "CDEvents events imported: {names:?}");
    let (built, blocked) = build_each(&settings, &events);
    let exact = round_trip_all(&settings, &built, "cdevents", "CdeventsEnvelope");
    let examples: usize = events.iter().map(|event| event.examples().len()).sum();
    eprintln!(
        "CDEvents: {} of {} events generated, {exact} of {examples} examples exact (in canonical key order)",
        built.len(),
        events.len()
    );
    assert!(blocked.is_empty(), "{}", blocked.join("\n"));
    assert_eq!(exact, examples);
}

/// Matrix: events built with `allOf` over shared bases, examples that
/// extend other examples.
#[test]
fn matrix_import_generates_and_every_example_round_trips_exactly() {
    let dir = corpora().join("matrix/data/event-schemas");
    let (settings, events) = import(&dir.join("schema"), &dir.join("examples"), "matrix");
    let names: Vec<&str> = events.iter().map(Imported::name).collect();
    assert_eq!(events.len(), 78, "Matrix events imported: {names:?}");
    let (built, blocked) = build_each(&settings, &events);
    let exact = round_trip_all(&settings, &built, "matrix", "MatrixEnvelope");
    let examples: usize = built.iter().map(|event| event.examples().len()).sum();
    eprintln!(
        "Matrix: {} of {} events generated, {exact} of {examples} examples exact (in canonical key order)\nblocked:\n{}",
        built.len(),
        events.len(),
        blocked.join("\n")
    );
    // Only what the corpus itself lacks blocks an event.
    let names: Vec<&str> = blocked
        .iter()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    let expected: Vec<&str> = MATRIX_BLOCKED.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected, "{}", blocked.join("\n"));
}

/// Matrix events the corpus cannot make whole, and why.
const MATRIX_BLOCKED: &[(&str, &str)] = &[
    (
        "m_key_verification_start_m_reciprocate_v1",
        "no example in the corpus; eventcat requires one",
    ),
    ("m_push_rules", "its `$ref` names a file outside the corpus"),
    (
        "m_recent_emoji",
        "its `$ref` names a file outside the corpus",
    ),
    (
        "m_room_message",
        "no example of its own (every example is one of its msgtype variants)",
    ),
    ("m_tag", "its `$ref` names a file outside the corpus"),
];

/// Every construct real schemas use, one event each, with examples that
/// exercise it: the generated Rust reads and writes each example exactly,
/// and the generated TypeScript accepts it as the payload type.
#[test]
fn every_supported_construct_round_trips_and_type_checks() {
    let event = |name: &str, payload: Value, examples: Value| {
        json!({
            "name": name,
            "description": format!("The `{name}` construct."),
            "since": "0.1",
            "stability": "experimental",
            "payload": payload,
            "examples": examples,
        })
    };
    let events = vec![
        event(
            "shape_all_of",
            json!({"allOf": [{"$ref": "#/$defs/Base"}, {"required": ["extra"]}], "properties": {"kind": {"type": "string", "enum": ["a"]}, "extra": {"type": "string"}}}),
            json!([{"kind": "a", "id": 1, "extra": "x"}]),
        ),
        event(
            "shape_untagged",
            json!({"type": "object", "properties": {"at": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 9_007_199_254_740_991_i64}, {"type": "string", "format": "date-time"}]}, "data": {"anyOf": [{"type": "object"}, {"type": "string"}, {"type": "null"}]}}}),
            json!([{"at": 5, "data": {"b": 1, "a": [2]}}, {"at": "2025-01-01T00:00:00Z", "data": null}, {"data": "text"}]),
        ),
        event(
            "shape_literals",
            json!({"type": "object", "properties": {"kind": {"const": "fixed"}, "level": {"enum": [0, 50, 100]}, "flag": {"const": true}, "mixed": {"enum": [1, "one", null]}, "stamp": {"type": ["integer", "string"], "minimum": 0, "maximum": 9}}}),
            json!([{"kind": "fixed", "level": 50, "flag": true, "mixed": "one", "stamp": 3}, {"mixed": null, "stamp": "later"}]),
        ),
        event(
            "shape_open",
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 0, "maximum": 9}, "+1": {"type": "integer", "minimum": 0, "maximum": 9}, "-1": {"type": "integer", "minimum": 0, "maximum": 9}}}),
            json!([{"id": 1, "+1": 2, "-1": 0, "zeta": [1], "alpha": {"x": null}}]),
        ),
        event(
            "shape_free",
            json!({"type": "object", "additionalProperties": false, "properties": {"any": {}, "map": {"type": "object"}, "nothing": {"type": "null"}, "closed": {"type": "object", "additionalProperties": false}, "by_pattern": {"type": "object", "patternProperties": {"^@": {"type": "array", "items": {"type": "string"}}}}, "ratio": {"type": "number"}}}),
            json!([{"any": [1, "a", {"z": 1, "a": 2}], "map": {"z": 1, "a": 2}, "nothing": null, "closed": {}, "by_pattern": {"@a": ["b"]}, "ratio": 5679898}, {"ratio": 2.5}]),
        ),
    ];
    let settings = json!({
        "channel": "shapes",
        "description": "Every construct real schemas use.",
        "protocol_version": 1,
        "definitions": {"Base": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "id": {"type": "integer", "minimum": 0, "maximum": 9}}}},
        "events": ["events"],
        "outputs": {
            "rust": {"dir": "generated/shapes/rust", "package": "shapes-events"},
            "typescript": "generated/shapes/ts/shapes.ts",
        },
    });
    let settings = serde_json::to_string_pretty(&settings).unwrap();
    let imported: Vec<Imported> = events
        .into_iter()
        .map(|event| Imported {
            resource: "shape".to_string(),
            event,
        })
        .collect();
    let all: Vec<&Imported> = imported.iter().collect();
    let exact = round_trip_all(&settings, &all, "shapes", "ShapesEnvelope");
    assert_eq!(exact, 9);
}
