//! `eventcat verify`: recorded traffic against a catalog. A recording is
//! JSON Lines (one wire message per line) or a raw Server-Sent Events
//! stream (`event:`/`data:` lines, a blank line after each event). Every
//! message is checked as the generated readers check it: a known type, the
//! right direction, the envelope's version and own fields, then the payload
//! against its schema (the `jsonschema` crate, so the verdict is JSON
//! Schema's own). Catalog messages of the recorded direction that never
//! appear are reported too, and the counts per type returned.

use std::collections::BTreeMap;
use std::path::Path;

use jsonschema::Validator;
use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::model::{Catalog, Direction, Event};
use crate::source::{Sources, Span};

/// What the run saw: how many messages of each type, in name order.
#[derive(Debug, Default)]
pub struct Tally {
    /// Messages read.
    pub messages: usize,
    /// Messages per type name, known or not.
    pub per_type: BTreeMap<String, usize>,
}

/// One message of a recording and the line it starts on.
struct Recorded {
    line: usize,
    text: String,
}

/// Checks every message of `recording`, sent by `sender`'s side.
pub fn verify(
    sources: &mut Sources,
    catalog: &Catalog,
    recording: &Path,
    sender: Direction,
) -> (Vec<Diagnostic>, Tally) {
    let text = match std::fs::read_to_string(recording) {
        Ok(text) => text,
        Err(error) => {
            let message = format!("cannot read `{}`: {error}", recording.display());
            return (
                vec![Diagnostic::error("unreadable-file", message)],
                Tally::default(),
            );
        }
    };
    let file = sources.add(recording, text.clone());
    let checker = Checker::new(catalog);
    let mut diagnostics = Vec::new();
    let mut tally = Tally::default();
    for message in split(&text) {
        tally.messages += 1;
        let at = line_span(&text, message.line);
        if let Some(found) = checker.check(&message.text, sender, &mut tally) {
            diagnostics.push(found.at(file, at, "this message"));
        }
    }
    diagnostics.extend(unseen(catalog, sender, &tally));
    (diagnostics, tally)
}

/// The messages of a recording: SSE when a line starts with `data:`, else
/// one JSON document per non-empty line.
fn split(text: &str) -> Vec<Recorded> {
    let sse = text.lines().any(|line| line.starts_with("data:"));
    if !sse {
        return text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| Recorded {
                line: index + 1,
                text: line.to_string(),
            })
            .collect();
    }
    let mut messages = Vec::new();
    let mut current: Option<Recorded> = None;
    for (index, line) in text.lines().enumerate() {
        if let Some(data) = line.strip_prefix("data:") {
            let data = data.strip_prefix(' ').unwrap_or(data);
            match &mut current {
                Some(message) => {
                    message.text.push('\n');
                    message.text.push_str(data);
                }
                None => {
                    current = Some(Recorded {
                        line: index + 1,
                        text: data.to_string(),
                    })
                }
            }
        } else if line.is_empty() {
            messages.extend(current.take());
        }
    }
    messages.extend(current);
    messages
}

fn line_span(text: &str, line: usize) -> Span {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let len = text[start..].find('\n').unwrap_or(text.len() - start);
    Span {
        start,
        len: len.max(1),
        line: line as u64,
        column: 1,
    }
}

/// The catalog's schemas, compiled once: the judge of one wire message.
pub struct Checker<'a> {
    catalog: &'a Catalog,
    payloads: BTreeMap<&'a str, (&'a Event, Option<Validator>)>,
    fields: Option<Validator>,
}

impl<'a> Checker<'a> {
    /// Compiles every payload schema of `catalog`, and its envelope fields'.
    pub fn new(catalog: &'a Catalog) -> Checker<'a> {
        let mut payloads = BTreeMap::new();
        for event in &catalog.events {
            let validator = compile(catalog, &event.schema);
            for name in std::iter::once(&event.name).chain(&event.aliases) {
                payloads.insert(name.as_str(), (event, validator.clone()));
            }
        }
        let fields = catalog
            .envelope
            .fields_schema
            .as_ref()
            .and_then(|schema| compile(catalog, schema));
        Checker {
            catalog,
            payloads,
            fields,
        }
    }

    /// The first problem of one wire message sent by `sender`'s side, as
    /// `verify` reports it, or `None` when the message keeps the contract.
    pub fn first_problem(&self, text: &str, sender: Direction) -> Option<Diagnostic> {
        self.check(text, sender, &mut Tally::default())
    }

    /// The first problem of one message, if any; counts its type.
    fn check(&self, text: &str, sender: Direction, tally: &mut Tally) -> Option<Diagnostic> {
        let envelope = &self.catalog.envelope;
        let message: Value = match serde_json::from_str(text) {
            Ok(message) => message,
            Err(error) => {
                return Some(Diagnostic::error(
                    "malformed-message",
                    format!("not JSON: {error}"),
                ));
            }
        };
        let Value::Object(members) = &message else {
            return Some(invalid("", "type", "an object"));
        };
        let Some(Value::String(name)) = members.get(&envelope.type_field) else {
            return Some(invalid(&pointer(&envelope.type_field), "type", "a string"));
        };
        *tally.per_type.entry(name.clone()).or_default() += 1;
        let Some((event, validator)) = self.payloads.get(name.as_str()) else {
            return Some(unknown_type(self.catalog, name));
        };
        if event.direction != sender {
            return Some(wrong_direction(event, sender));
        }
        if let Some(version) = &envelope.version_field
            && !members
                .get(version)
                .is_some_and(|value| value.is_u64() || value.is_i64())
        {
            return Some(invalid(&pointer(version), "type", "an integer"));
        }
        self.check_fields(members).or_else(|| {
            first_error(
                validator.as_ref()?,
                &payload_of(self.catalog, members),
                payload_prefix(self.catalog),
            )
        })
    }

    fn check_fields(&self, members: &Map<String, Value>) -> Option<Diagnostic> {
        let own = self.catalog.envelope_fields()?;
        let fields: Map<String, Value> = members
            .iter()
            .filter(|(key, _)| own.fields.iter().any(|field| &field.name == *key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        first_error(self.fields.as_ref()?, &Value::Object(fields), String::new())
    }
}

/// A schema of the catalog (a payload's, or the envelope fields') with the
/// shared definitions beside it, compiled as JSON Schema 2020-12 with formats
/// checked: the reference every validator of eventcat is held to.
pub fn compile(catalog: &Catalog, schema: &Value) -> Option<Validator> {
    let mut schema = schema.clone();
    if let Value::Object(object) = &mut schema {
        object.insert(
            "$defs".to_string(),
            Value::Object(catalog.definitions.clone()),
        );
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .ok()
}

/// The payload as the readers see it: under its key (an absent one empty
/// where the envelope leaves empty payloads out), or the rest of a flat message.
fn payload_of(catalog: &Catalog, members: &Map<String, Value>) -> Value {
    let envelope = &catalog.envelope;
    match &envelope.payload_field {
        Some(field) => match members.get(field) {
            Some(payload) => payload.clone(),
            None if envelope.omit_empty_payload => Value::Object(Map::new()),
            None => Value::Null,
        },
        None => {
            let own: Vec<&str> = catalog
                .envelope_fields()
                .map(|object| {
                    object
                        .fields
                        .iter()
                        .map(|field| field.name.as_str())
                        .collect()
                })
                .unwrap_or_default();
            let envelope_key = |key: &str| {
                key == envelope.type_field
                    || Some(key) == envelope.version_field.as_deref()
                    || own.contains(&key)
            };
            Value::Object(
                members
                    .iter()
                    .filter(|(key, _)| !envelope_key(key))
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect(),
            )
        }
    }
}

fn payload_prefix(catalog: &Catalog) -> String {
    catalog
        .envelope
        .payload_field
        .as_deref()
        .map(pointer)
        .unwrap_or_default()
}

fn first_error(validator: &Validator, value: &Value, prefix: String) -> Option<Diagnostic> {
    let error = validator.iter_errors(value).next()?;
    let at = format!("{prefix}{}", error.instance_path().as_str());
    Some(invalid(&at, error.kind().keyword(), &error.to_string()))
}

fn pointer(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn invalid(at: &str, keyword: &str, expected: &str) -> Diagnostic {
    let place = if at.is_empty() {
        "the message".to_string()
    } else {
        format!("`{at}`")
    };
    Diagnostic::error("invalid-message", format!("{place} fails `{keyword}`: {expected}"))
        .help("the sender breaks the catalog: fix the code that builds this message, or the schema if the recording shows the real contract")
}

fn unknown_type(catalog: &Catalog, name: &str) -> Diagnostic {
    Diagnostic::error("unknown-message-type", format!("`{name}` is not a message of the `{}` catalog", catalog.channel))
        .help("add it to the catalog if it is real traffic; the generated readers skip it as a newer peer's")
}

fn wrong_direction(event: &Event, sender: Direction) -> Diagnostic {
    let (sent, meant) = match sender {
        Direction::ServerToClient => ("the server", "a command clients send"),
        Direction::ClientToServer => ("a client", "an event the server sends"),
    };
    Diagnostic::error(
        "wrong-direction",
        format!("`{}` is {meant}, but {sent} sent it", event.name),
    )
    .help("check `--from`, or the catalog's `direction` for this message")
}

/// Catalog messages of the recorded direction that never appeared.
fn unseen(catalog: &Catalog, sender: Direction, tally: &Tally) -> Vec<Diagnostic> {
    catalog
        .events
        .iter()
        .filter(|event| event.direction == sender)
        .filter(|event| {
            !std::iter::once(&event.name)
                .chain(&event.aliases)
                .any(|name| tally.per_type.contains_key(name))
        })
        .map(|event| {
            Diagnostic::error(
                "unseen-message",
                format!("`{}` never appears in the recording", event.name),
            )
            .at(event.origin.file, event.origin.span, "declared here")
            .help("record traffic that exercises it, or check whether anything still sends it")
        })
        .collect()
}
