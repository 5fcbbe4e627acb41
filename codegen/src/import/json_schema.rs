//! `eventcat import json-schema DIR`: a folder of event schemas, as teams
//! publish them, turned into a catalog.
//!
//! Every JSON or YAML schema under the folder is read. `$ref`s between
//! files are resolved the way JSON Schema does: against the document's
//! `$id` when it has one (CDEvents: `links/embeddedlinksarray`), else as a
//! path relative to the file (Matrix: `core-event-schema/state_event.yaml`,
//! `../common/id.json`), with an optional `#/...` pointer into the target.
//! A `$ref` to a file outside the folder is followed too. A schema another
//! one refers to is shared: it becomes a definition of the catalog
//! settings, and every `$ref` to it points there. The events are the other
//! schemas directly in the folder; subfolders hold shared parts (and their
//! schemas no event refers to are left out). Example messages, when a folder of them is given, are
//! matched to events by file name (ignoring case and separators, so
//! `artifact_packaged.json` is the example of `artifactpackaged.json`); an
//! example that extends another by `$ref` is merged with it.
//!
//! Nothing is guessed silently: what cannot be resolved is left as written,
//! and `gen` reports it with its place.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};

use crate::init::yaml;

/// What `import json-schema` reads and where the catalog goes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of schemas.
    pub schemas: PathBuf,
    /// A folder of example messages, if any.
    pub examples: Option<PathBuf>,
    /// The channel's name (snake_case).
    pub channel: String,
}

/// The catalog's files (relative to its directory) and what to tell the user.
#[derive(Debug)]
pub struct Imported {
    /// `catalog.yaml` and one event file per resource.
    pub files: Vec<(PathBuf, String)>,
    /// How many events and shared definitions.
    pub events: usize,
    pub definitions: usize,
    /// Events with no example message.
    pub without_examples: Vec<String>,
    /// Names that break the naming rule, grandfathered as the publisher's.
    pub grandfathered: Vec<String>,
}

/// One schema document.
struct Document {
    path: PathBuf,
    schema: Value,
}

/// Imports the folder; an error says what could not be read.
pub fn json_schema(options: &Options) -> Result<Imported, String> {
    let mut documents = read_documents(&options.schemas, options.examples.as_deref())?;
    if documents.is_empty() {
        return Err(format!(
            "no JSON Schema documents (.json, .yaml, .yml) under {}",
            options.schemas.display()
        ));
    }
    add_referenced_files(&mut documents)?;
    let index = Index::new(&documents);
    let top = normalise(&options.schemas);
    let shared: BTreeSet<Target> = documents
        .iter()
        .flat_map(|document| {
            let mut targets = Vec::new();
            refs(&document.schema, &mut |reference| {
                targets.extend(index.resolve(document, reference));
            });
            targets
        })
        .collect();
    let names = Names::new(&documents, &shared);
    let mut definitions = Map::new();
    for target in &shared {
        let document = &documents[target.document];
        let schema = pointer(&document.schema, &target.pointer)
            .cloned()
            .unwrap_or(Value::Null);
        let schema = rewrite(&schema, document, &index, &names);
        definitions.insert(names.of(target), schema);
    }
    let examples = match &options.examples {
        Some(dir) => read_examples(dir)?,
        None => Vec::new(),
    };
    let whole = |index: usize| Target {
        document: index,
        pointer: String::new(),
    };
    let mut resources: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut without_examples = Vec::new();
    let mut events = 0;
    for (position, document) in documents.iter().enumerate() {
        // The events are the schemas directly in the folder; subfolders and
        // files elsewhere hold the parts they share.
        let in_top = document.path.parent().is_some_and(|parent| parent == top);
        if shared.contains(&whole(position)) || !in_top {
            continue;
        }
        let (resource, event, has_examples) =
            event_entry(document, &examples, &documents, &index, &names);
        if !has_examples {
            without_examples.push(event["name"].as_str().unwrap_or_default().to_string());
        }
        resources.entry(resource).or_default().push(event);
        events += 1;
    }
    let lexicon = crate::naming::lexicon::Lexicon::builtin();
    let grandfathered: Vec<String> = resources
        .values()
        .flatten()
        .filter_map(|event| event["name"].as_str())
        .filter(|name| !crate::init::rule_breaks(name, lexicon).is_empty())
        .map(str::to_string)
        .collect();
    let mut files = vec![(
        PathBuf::from("catalog.yaml"),
        catalog_file(options, &definitions, &grandfathered),
    )];
    for (resource, events) in resources {
        let mut text = yaml::field("resource", &json!(resource), 0);
        text.push_str(&yaml::field("events", &Value::Array(events), 0));
        files.push((PathBuf::from(format!("events/{resource}.yaml")), text));
    }
    Ok(Imported {
        files,
        events,
        definitions: definitions.len(),
        without_examples,
        grandfathered,
    })
}

/// One event's entry of its resource's file: its name (the example's file
/// name where one is spelled more readably), description, payload and
/// examples; with its resource and whether it has an example.
fn event_entry(
    document: &Document,
    examples: &[(String, Value)],
    documents: &[Document],
    index: &Index,
    names: &Names,
) -> (String, Value, bool) {
    let stem = stem(&document.path);
    let own = examples_of(&stem, examples, documents);
    let name = match own.first() {
        Some((example, _)) if plain(example) == plain(&stem) => wire_name(example),
        _ => wire_name(&stem),
    };
    let resource = name.split('_').next().unwrap_or(&name).to_string();
    let description = document
        .schema
        .get("description")
        .or_else(|| document.schema.get("title"))
        .and_then(Value::as_str)
        .map_or_else(|| format!("The `{name}` event."), str::to_string);
    let has_examples = !own.is_empty();
    let event = json!({
        "name": name,
        "description": description,
        "since": "0.1",
        "stability": "experimental",
        "payload": rewrite(&document.schema, document, index, names),
        "examples": own.into_iter().map(|(_, example)| example).collect::<Vec<_>>(),
    });
    (resource, event, has_examples)
}

/// The catalog settings: the channel, the names kept as published, the
/// shared definitions, the outputs.
fn catalog_file(
    options: &Options,
    definitions: &Map<String, Value>,
    grandfathered: &[String],
) -> String {
    let channel = &options.channel;
    let mut text = format!(
        "# Imported by `eventcat import json-schema` from {}.\n",
        options.schemas.display()
    );
    text.push_str(&yaml::field("channel", &json!(channel), 0));
    text.push_str(&yaml::field(
        "description",
        &json!(format!(
            "The `{channel}` events, imported from their JSON Schemas."
        )),
        0,
    ));
    text.push_str(&yaml::field("protocol_version", &json!(1), 0));
    if !grandfathered.is_empty() {
        let reason = format!(
            "The publisher's name, imported as published from {}; wire names are not renamed.",
            options.schemas.display()
        );
        let entries: Vec<Value> = grandfathered
            .iter()
            .map(|name| json!({"name": name, "reason": reason}))
            .collect();
        text.push_str(&yaml::field(
            "naming",
            &json!({"grandfathered": entries}),
            0,
        ));
    }
    if !definitions.is_empty() {
        text.push_str(&yaml::field(
            "definitions",
            &Value::Object(definitions.clone()),
            0,
        ));
    }
    text.push_str(&yaml::field("events", &json!(["events"]), 0));
    let outputs = json!({
        "rust": {"dir": format!("generated/{channel}/rust"), "package": format!("{}-events", channel.replace('_', "-"))},
        "typescript": format!("generated/{channel}/ts/{channel}.ts"),
        "docs": format!("generated/{channel}/docs/{channel}-events.md"),
    });
    text.push_str(&yaml::field("outputs", &outputs, 0));
    text
}

/// Every schema document under `dir` (outside the examples), in path order.
fn read_documents(dir: &Path, examples: Option<&Path>) -> Result<Vec<Document>, String> {
    let mut documents = Vec::new();
    let examples = examples.map(normalise);
    for path in files_under(dir)?.iter().map(|path| normalise(path)) {
        if examples
            .as_ref()
            .is_some_and(|examples| normalise(&path).starts_with(examples))
        {
            continue;
        }
        let schema = read_value(&path)?;
        if is_schema(&schema) {
            documents.push(Document { path, schema });
        }
    }
    Ok(documents)
}

/// Adds the files outside the folder that its schemas `$ref` by path
/// (Matrix's `../moderation_policy_rule.yaml`), and theirs in turn.
fn add_referenced_files(documents: &mut Vec<Document>) -> Result<(), String> {
    let mut known: BTreeSet<PathBuf> = documents.iter().map(|d| d.path.clone()).collect();
    let mut next = 0;
    while next < documents.len() {
        let mut wanted = Vec::new();
        let dir = documents[next]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        refs(&documents[next].schema, &mut |reference| {
            let file = reference.split('#').next().unwrap_or_default();
            if !file.is_empty() && !file.contains("://") {
                wanted.push(normalise(&dir.join(file)));
            }
        });
        for path in wanted {
            if !known.contains(&path) && path.is_file() {
                known.insert(path.clone());
                let schema = read_value(&path)?;
                if is_schema(&schema) {
                    documents.push(Document { path, schema });
                }
            }
        }
        next += 1;
    }
    Ok(())
}

/// The `.json`, `.yaml` and `.yml` files under `dir`, sorted.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let entries = fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|error| format!("{}: {error}", dir.display()))?
            .path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "json" || ext == "yaml" || ext == "yml")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn read_value(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    serde_saphyr::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
}

/// Whether a document is a schema (not, say, a glossary entry beside them).
fn is_schema(value: &Value) -> bool {
    const SHAPES: &[&str] = &[
        "type",
        "properties",
        "allOf",
        "anyOf",
        "oneOf",
        "$ref",
        "items",
        "enum",
        "const",
    ];
    value
        .as_object()
        .is_some_and(|map| SHAPES.iter().any(|key| map.contains_key(*key)))
}

/// A schema a `$ref` names: a document, or a part of one (`#/definitions/X`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    document: usize,
    /// A JSON pointer into the document; empty for the whole.
    pointer: String,
}

/// Documents by path and by `$id`.
struct Index {
    by_path: BTreeMap<PathBuf, usize>,
    by_id: BTreeMap<String, usize>,
}

impl Index {
    fn new(documents: &[Document]) -> Index {
        Index {
            by_path: documents
                .iter()
                .enumerate()
                .map(|(index, document)| (document.path.clone(), index))
                .collect(),
            by_id: documents
                .iter()
                .enumerate()
                .filter_map(|(index, document)| Some((id_of(document)?.to_string(), index)))
                .collect(),
        }
    }

    /// What `reference`, in `document`, names; `None` when it is no file here.
    fn resolve(&self, document: &Document, reference: &str) -> Option<Target> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = fragment.to_string();
        let by_path = |path: PathBuf| self.by_path.get(&normalise(&path)).copied();
        let target = if file.is_empty() {
            by_path(document.path.clone())
        } else if let Some(found) = id_of(document)
            .map(|id| against_id(id, file))
            .and_then(|id| self.by_id.get(&id).copied())
            .or_else(|| self.by_id.get(file).copied())
        {
            Some(found)
        } else {
            by_path(document.path.parent()?.join(file))
        }?;
        Some(Target {
            document: target,
            pointer,
        })
    }
}

fn id_of(document: &Document) -> Option<&str> {
    document.schema.get("$id").and_then(Value::as_str)
}

/// `reference` resolved against a document's `$id`.
fn against_id(id: &str, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_string();
    }
    match id.rfind('/') {
        Some(slash) => format!("{}/{reference}", &id[..slash]),
        None => reference.to_string(),
    }
}

/// `a/b/../c` as `a/c`.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Calls `found` with every `$ref` in `schema`.
fn refs(schema: &Value, found: &mut impl FnMut(&str)) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => found(reference),
                    _ => refs(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

/// The part of `document` a JSON pointer names (`/definitions/X`).
fn pointer<'v>(document: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        Some(document)
    } else {
        document.pointer(pointer)
    }
}

/// Definition names: a shared document's `title`, else its file name; a
/// part's last pointer segment; made unique.
struct Names {
    names: BTreeMap<Target, String>,
}

impl Names {
    fn new(documents: &[Document], shared: &BTreeSet<Target>) -> Names {
        let mut names: BTreeMap<Target, String> = BTreeMap::new();
        for target in shared {
            let document = &documents[target.document];
            let base = match target
                .pointer
                .rsplit('/')
                .next()
                .filter(|last| !last.is_empty())
            {
                Some(last) => last.to_upper_camel_case(),
                None => document
                    .schema
                    .get("title")
                    .and_then(Value::as_str)
                    .map(ToUpperCamelCase::to_upper_camel_case)
                    .filter(|title| title.starts_with(|c: char| c.is_ascii_alphabetic()))
                    .unwrap_or_else(|| stem(&document.path).to_upper_camel_case()),
            };
            let mut name = base.clone();
            let mut n = 2;
            while names.values().any(|taken| *taken == name) {
                name = format!("{base}{n}");
                n += 1;
            }
            names.insert(target.clone(), name);
        }
        Names { names }
    }

    fn of(&self, target: &Target) -> String {
        self.names.get(target).cloned().unwrap_or_default()
    }
}

/// `schema` of `document` with its `$ref`s pointing at the catalog's
/// definitions, and the document keywords that belong to its file left out.
fn rewrite(schema: &Value, document: &Document, index: &Index, names: &Names) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match (key.as_str(), value) {
                    // Shared parts are definitions now; a document's own
                    // identity would change what its `$ref`s resolve against.
                    ("$id" | "$schema" | "definitions" | "$defs", _) => {}
                    ("$ref", Value::String(reference)) => {
                        let target = index
                            .resolve(document, reference)
                            .filter(|target| names.names.contains_key(target));
                        let reference = match target {
                            Some(target) => format!("#/$defs/{}", names.of(&target)),
                            None => reference.clone(),
                        };
                        out.insert(key.clone(), json!(reference));
                    }
                    _ => {
                        out.insert(key.clone(), rewrite(value, document, index, names));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| rewrite(item, document, index, names))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A file name without its extension.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// A name compared without case and separators.
fn plain(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// A file name as an event's wire name: `m.room.name` is `m_room_name`.
fn wire_name(stem: &str) -> String {
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') && !name.is_empty() {
            name.push('_');
        }
    }
    name.trim_end_matches('_').to_string()
}

/// Every example message under `dir` with its file stem, `$ref`s merged.
fn read_examples(dir: &Path) -> Result<Vec<(String, Value)>, String> {
    let mut examples = Vec::new();
    for path in files_under(dir)? {
        let example = resolve_example(read_value(&path)?, path.parent().unwrap_or(dir))?;
        examples.push((stem(&path), example));
    }
    Ok(examples)
}

/// An example: wherever an object has a `$ref`, the example file it names
/// with the object's own keys over it.
fn resolve_example(value: Value, dir: &Path) -> Result<Value, String> {
    Ok(match value {
        Value::Object(mut map) => {
            let base = match map.remove("$ref") {
                Some(Value::String(base)) => {
                    let path = dir.join(&base);
                    Some(resolve_example(
                        read_value(&path)?,
                        path.parent().unwrap_or(dir),
                    )?)
                }
                _ => None,
            };
            let mut own = Map::new();
            for (key, value) in map {
                own.insert(key, resolve_example(value, dir)?);
            }
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
                .collect::<Result<_, _>>()?,
        ),
        other => other,
    })
}

/// The examples of the event whose file stem is `stem`: the one named the
/// same, and those named `<stem>$<variant>` that no schema of their own claims.
fn examples_of(
    stem: &str,
    examples: &[(String, Value)],
    documents: &[Document],
) -> Vec<(String, Value)> {
    let claimed: BTreeSet<String> = documents
        .iter()
        .map(|document| plain(&self::stem(&document.path)))
        .collect();
    examples
        .iter()
        .filter(|(name, _)| {
            plain(name) == plain(stem)
                || name.split_once('$').is_some_and(|(base, _)| {
                    plain(base) == plain(stem) && !claimed.contains(&plain(name))
                })
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_against_ids_and_paths() {
        assert_eq!(
            against_id("https://x.dev/schema/event", "links/a"),
            "https://x.dev/schema/links/a"
        );
        assert_eq!(normalise(Path::new("a/b/../c/./d")), PathBuf::from("a/c/d"));
        assert_eq!(wire_name("m.room.message$m.text"), "m_room_message_m_text");
        assert_eq!(wire_name("artifact_packaged"), "artifact_packaged");
        assert_eq!(plain("Artifact_Packaged"), plain("artifactpackaged"));
    }
}
