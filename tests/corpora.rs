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
//! The converters here are what `import` does by hand: shared files become
//! `definitions`, `$ref`s point at them, real messages become examples.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};
use support::{TempDir, run_pipeline, type_check, write_file, write_outputs};

/// `../shared/corpora/`, beside the repository.
fn corpora() -> PathBuf {
    support::workspace_root().join("../shared/corpora")
}

fn read_json(path: &Path) -> Value {
    let text =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every `.json` file under `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(json_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// `reference` resolved against the `$id` of the document it is in.
fn resolve(base: &str, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_string();
    }
    match base.rfind('/') {
        Some(slash) => format!("{}/{reference}", &base[..slash]),
        None => reference.to_string(),
    }
}

/// `schema` with every `$ref` pointing into the catalog's definitions, and
/// the document keywords a payload does not need left out.
fn rewrite_refs(schema: &Value, base: &str, names: &BTreeMap<String, String>) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$id" | "$schema", _) => {}
                    ("$ref", Value::String(reference)) => {
                        let target = resolve(base, reference);
                        let name = names
                            .get(&target)
                            .unwrap_or_else(|| panic!("{base}: no document {target}"));
                        out.insert(key.clone(), json!(format!("#/$defs/{name}")));
                    }
                    _ => {
                        out.insert(key.clone(), rewrite_refs(value, base, names));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| rewrite_refs(item, base, names))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// One event of a converted corpus, with its real messages.
struct Converted {
    name: String,
    examples: Vec<Value>,
}

/// Writes the CDEvents catalog to `root`; returns its events.
fn cdevents_catalog(root: &Path) -> Vec<Converted> {
    let dir = corpora().join("cdevents");
    // One message per event at the top; `formats/` checks formats alone.
    let conformance: BTreeMap<String, PathBuf> = json_files(&dir.join("conformance"))
        .into_iter()
        .filter(|path| {
            path.parent()
                .is_some_and(|parent| parent.ends_with("conformance"))
        })
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            (stem, path)
        })
        .collect();
    let documents: Vec<(PathBuf, Value)> = json_files(&dir.join("schemas"))
        .into_iter()
        .map(|path| {
            let document = read_json(&path);
            (path, document)
        })
        // `_defs/` holds glossary entries, not schemas.
        .filter(|(_, document)| document.get("term").is_none())
        .collect();
    // Documents that are no event are shared definitions, named after their file.
    let event_of = |path: &Path| -> Option<String> {
        let stem = path.file_stem()?.to_string_lossy().to_string();
        conformance
            .keys()
            .find(|name| name.replace('_', "") == stem)
            .cloned()
    };
    let names: BTreeMap<String, String> = documents
        .iter()
        .filter(|(path, _)| event_of(path).is_none())
        .map(|(path, document)| {
            let id = document["$id"].as_str().unwrap().to_string();
            let stem = path.file_stem().unwrap().to_string_lossy();
            (id, stem.to_upper_camel_case())
        })
        .collect();
    let mut definitions = Map::new();
    let mut resources: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut events = Vec::new();
    for (path, document) in &documents {
        let base = document["$id"].as_str().unwrap();
        let schema = rewrite_refs(document, base, &names);
        let Some(name) = event_of(path) else {
            definitions.insert(names[base].clone(), schema);
            continue;
        };
        let example = read_json(&conformance[&name]);
        let resource = name.split('_').next().unwrap().to_string();
        resources.entry(resource).or_default().push(json!({
            "name": name,
            "description": format!("The CDEvents `{name}` event."),
            "since": "0.1",
            "stability": "experimental",
            "payload": schema,
            "examples": [example.clone()],
        }));
        events.push(Converted {
            name,
            examples: vec![example],
        });
    }
    let catalog = json!({
        "channel": "cdevents",
        "description": "CDEvents, as the project publishes them.",
        "protocol_version": 1,
        "definitions": definitions,
        "events": ["events"],
        "outputs": {
            "rust": {"dir": "out/rust", "package": "cdevents-events"},
            "typescript": "out/ts/cdevents.ts",
        },
    });
    write_file(
        root,
        "catalog.yaml",
        serde_json::to_string_pretty(&catalog).unwrap(),
    );
    for (resource, events) in resources {
        let file = json!({"resource": resource, "events": events});
        write_file(
            root,
            &format!("events/{resource}.yaml"),
            serde_json::to_string_pretty(&file).unwrap(),
        );
    }
    events
}

/// A YAML (or JSON) file as JSON.
fn read_yaml(path: &Path) -> Value {
    let text =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A Matrix example: wherever an object has a `$ref`, the example file it
/// names, with the object's own keys over it.
fn matrix_example(path: &Path) -> Value {
    resolve_example(read_yaml(path), path.parent().unwrap())
}

fn resolve_example(value: Value, dir: &Path) -> Value {
    match value {
        Value::Object(mut map) => {
            let base = match map.remove("$ref") {
                Some(Value::String(base)) => Some(matrix_example(&dir.join(base))),
                _ => None,
            };
            let own: Map<String, Value> = map
                .into_iter()
                .map(|(key, value)| (key, resolve_example(value, dir)))
                .collect();
            match base {
                Some(Value::Object(mut merged)) => {
                    merged.extend(own);
                    Value::Object(merged)
                }
                Some(other) if own.is_empty() => other,
                _ => Value::Object(own),
            }
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| resolve_example(item, dir))
                .collect(),
        ),
        other => other,
    }
}

/// Normalises `a/b/../c` to `a/c`.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Matrix's schemas with file `$ref`s turned into definitions; a `$ref`
/// to a file outside the corpus is left as it is (and reported by eventcat).
struct MatrixSchemas {
    /// Definition names by file.
    names: BTreeMap<PathBuf, String>,
    definitions: Map<String, Value>,
}

impl MatrixSchemas {
    fn rewrite(&mut self, schema: &Value, file: &Path) -> Value {
        match schema {
            Value::Object(map) => {
                let mut out = Map::new();
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$schema", _) => {}
                        ("$ref", Value::String(reference)) => {
                            let target = normalise(&file.parent().unwrap().join(reference));
                            let reference = match self.definition(&target) {
                                Some(name) => format!("#/$defs/{name}"),
                                None => reference.clone(),
                            };
                            out.insert(key.clone(), json!(reference));
                        }
                        _ => {
                            out.insert(key.clone(), self.rewrite(value, file));
                        }
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| self.rewrite(item, file)).collect())
            }
            other => other.clone(),
        }
    }

    /// The definition a file becomes, converted once.
    fn definition(&mut self, file: &Path) -> Option<String> {
        if let Some(name) = self.names.get(file) {
            return Some(name.clone());
        }
        if !file.exists() {
            return None;
        }
        let stem = file.file_stem()?.to_string_lossy().replace(['.', '$'], "_");
        let mut name = stem.to_upper_camel_case();
        while self.names.values().any(|taken| *taken == name) {
            name.push('_');
        }
        self.names.insert(file.to_path_buf(), name.clone());
        let schema = read_yaml(file);
        let schema = self.rewrite(&schema, file);
        self.definitions.insert(name.clone(), schema);
        Some(name)
    }
}

/// The Matrix events: every schema file at the top of `schema/` that is no
/// shared part, with the example files named after it.
fn matrix_events() -> Vec<(String, PathBuf, Vec<Value>)> {
    let dir = corpora().join("matrix/data/event-schemas");
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("schema"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    let stems: Vec<String> = files
        .iter()
        .map(|path| path.file_stem().unwrap().to_string_lossy().to_string())
        .collect();
    let mut examples: Vec<PathBuf> = fs::read_dir(dir.join("examples"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    examples.sort();
    files
        .iter()
        .zip(&stems)
        // A part other events `$ref` (the verification events' relation).
        .filter(|(_, stem)| !stem.ends_with(".m.relates_to"))
        .map(|(path, stem)| {
            let own: Vec<Value> = examples
                .iter()
                .filter(|example| {
                    let name = example.file_stem().unwrap().to_string_lossy().to_string();
                    name == *stem
                        || (name.split('$').next() == Some(stem.as_str()) && !stems.contains(&name))
                })
                .map(|example| matrix_example(example))
                .collect();
            (stem.replace(['.', '$'], "_"), path.clone(), own)
        })
        .collect()
}

/// Writes a catalog of the Matrix events in `events` to `root`.
fn matrix_catalog(root: &Path, events: &[(String, PathBuf, Vec<Value>)]) {
    let mut schemas = MatrixSchemas {
        names: BTreeMap::new(),
        definitions: Map::new(),
    };
    let mut entries = Vec::new();
    for (name, path, examples) in events {
        let payload = schemas.rewrite(&read_yaml(path), path);
        entries.push(json!({
            "name": name,
            "description": format!("The Matrix `{}` event.", path.file_stem().unwrap().to_string_lossy()),
            "since": "0.1",
            "stability": "experimental",
            "payload": payload,
            "examples": examples,
        }));
    }
    let catalog = json!({
        "channel": "matrix",
        "description": "Matrix client-server events, as the specification publishes them.",
        "protocol_version": 1,
        "definitions": schemas.definitions,
        "events": ["events"],
        "outputs": {
            "rust": {"dir": "out/rust", "package": "matrix-events"},
            "typescript": "out/ts/matrix.ts",
        },
    });
    write_file(
        root,
        "catalog.yaml",
        serde_json::to_string_pretty(&catalog).unwrap(),
    );
    write_file(
        root,
        "events/m.yaml",
        serde_json::to_string_pretty(&json!({"resource": "m", "events": entries})).unwrap(),
    );
}

/// The envelope line the generated crate reads, in the wire's key order.
fn envelope_line(name: &str, payload: &Value) -> String {
    json!({"protocol_version": 1, "event_type": name, "payload": payload}).to_string()
}

/// `text` with every object's keys sorted: a struct writes its fields in
/// schema order, the one key order the generated types impose.
fn canonical(text: &str) -> String {
    fn sorted(value: Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(String, Value)> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => sorted(value).to_string(),
        Err(_) => text.to_string(),
    }
}

/// Builds the generated crate at `crate_dir` with a binary that reads one
/// envelope per line and writes each back; returns what it wrote.
fn rust_round_trip(crate_dir: &Path, envelope: &str, lines: &str) -> Vec<String> {
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    fs::write(
        crate_dir.join("Cargo.toml"),
        format!("{manifest}\n[workspace]\n"),
    )
    .unwrap();
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
    let build = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet", "--bin", "roundtrip"])
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        build.status.success(),
        "the generated crate does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    // Real descriptions are Markdown; the crate must stay lint-clean.
    let clippy = Command::new(env!("CARGO"))
        .args(["clippy", "--offline", "--quiet", "--", "-D", "warnings"])
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo clippy");
    assert!(
        clippy.status.success(),
        "clippy rejects the generated crate:\n{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
    let mut child = Command::new(target.join("debug/roundtrip"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn cdevents_generate_and_every_conformance_message_round_trips_exactly() {
    let scratch = TempDir::new("corpora-cdevents");
    let events = cdevents_catalog(scratch.path());
    assert_eq!(events.len(), 48, "CDEvents events converted");
    let run = run_pipeline(scratch.path());
    write_outputs(run.files());

    let mut input = String::new();
    for event in &events {
        for example in &event.examples {
            input.push_str(&envelope_line(&event.name, example));
            input.push('\n');
        }
    }
    let written = rust_round_trip(&scratch.path().join("out/rust"), "CdeventsEnvelope", &input);
    let changed: Vec<String> = input
        .lines()
        .zip(&written)
        .filter(|(sent, back)| canonical(sent) != canonical(back))
        .map(|(sent, back)| format!("sent {sent}\n got {back}"))
        .collect();
    let examples = input.lines().count();
    eprintln!(
        "CDEvents: {} of 48 events generated, {} of {examples} examples exact (in canonical key order)",
        events.len(),
        examples - changed.len()
    );
    assert!(
        changed.is_empty(),
        "changed on the round trip:\n{}",
        changed.join("\n")
    );
    assert_eq!(written.len(), examples);

    // The examples module types every example as its payload.
    if let Err(output) = type_check(&scratch.path().join("out/ts"), false) {
        panic!("tsc rejected the CDEvents examples:\n{output}");
    }
}

/// Every Matrix event alone first (what blocks one event does not hide the
/// others), then all that generate together: their examples round-trip
/// through the generated Rust and type-check as the generated TypeScript.
#[test]
fn matrix_events_generate_and_their_examples_round_trip_exactly() {
    let events = matrix_events();
    assert_eq!(events.len(), 78, "Matrix events converted");
    let mut generated = Vec::new();
    let mut blocked = Vec::new();
    for event in &events {
        let scratch = TempDir::new("corpora-matrix-one");
        matrix_catalog(scratch.path(), std::slice::from_ref(event));
        match run_pipeline(scratch.path()).result {
            Ok(_) => generated.push(event.clone()),
            Err(diagnostics) => blocked.push(format!(
                "{}: {}",
                event.0,
                diagnostics
                    .iter()
                    .map(|d| format!("{} ({})", d.rule, d.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    }
    let scratch = TempDir::new("corpora-matrix");
    matrix_catalog(scratch.path(), &generated);
    let run = run_pipeline(scratch.path());
    write_outputs(run.files());
    let mut input = String::new();
    for (name, _, examples) in &generated {
        for example in examples {
            input.push_str(&envelope_line(name, example));
            input.push('\n');
        }
    }
    let written = rust_round_trip(&scratch.path().join("out/rust"), "MatrixEnvelope", &input);
    let changed: Vec<String> = input
        .lines()
        .zip(&written)
        .filter(|(sent, back)| canonical(sent) != canonical(back))
        .map(|(sent, back)| format!("sent {sent}\n got {back}"))
        .collect();
    let examples = input.lines().count();
    eprintln!(
        "Matrix: {} of {} events generated, {} of {examples} examples exact (in canonical key order)\nblocked:\n{}",
        generated.len(),
        events.len(),
        examples - changed.len(),
        blocked.join("\n")
    );
    assert!(
        changed.is_empty(),
        "changed on the round trip:\n{}",
        changed.join("\n")
    );
    if let Err(output) = type_check(&scratch.path().join("out/ts"), false) {
        panic!("tsc rejected the Matrix examples:\n{output}");
    }
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
