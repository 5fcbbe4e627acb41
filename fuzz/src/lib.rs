//! The harness shared by the `envelope_*` fuzz targets: each feeds arbitrary
//! text to every envelope's `from_json` of one committed generated Rust crate
//! and holds the result to an independent judge, the catalog's schemas
//! compiled by the `jsonschema` crate (`eventcat_codegen::verify::compile`).
//!
//! For every input ([`Target::check`]):
//!
//! - `from_json` never panics (libFuzzer reports a panic as a crash);
//! - an accepted message is one the judge accepts: a known message type of
//!   the envelope's direction, an integer version, the envelope's own fields
//!   and the payload valid against their schemas;
//! - an accepted envelope writes back (`to_json`, which in this build also
//!   checks it against its schemas) to JSON that `from_json` accepts again as
//!   an equal envelope, that writes the same text again, and that is the
//!   original message as a `serde_json::Value` less what the reader drops by
//!   design (see [`Judge::written`]);
//! - a message of a type the envelope does not know is one the judge refuses;
//! - an `EnvelopeError::Invalid` names a place in the message: the JSON
//!   Pointer's parent exists in it;
//! - a message the judge accepts is accepted, unless it has a repeated key
//!   (the typed read refuses those where a `Value` keeps the last) or
//!   another of the documented differences of [`Judge::exempt`].

use std::collections::{BTreeMap, HashSet};
use std::fmt::{self, Debug};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use eventcat_codegen::model::{Catalog, Envelope};
use eventcat_codegen::source::Sources;
use jsonschema::Validator;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

pub use eventcat_codegen::raw::Direction;

/// What one envelope's `from_json` made of a text.
pub enum Read<E> {
    Accepted(E),
    /// `EnvelopeError::UnknownEventType`, with the name.
    Unknown(String),
    /// `EnvelopeError::Json`.
    Json(String),
    /// `EnvelopeError::Invalid`: the pointer, keyword and expectation.
    Invalid {
        pointer: String,
        keyword: &'static str,
        expected: String,
        message: String,
    },
}

/// One generated envelope type, seen through plain functions (a generated
/// crate's types are foreign here, so [`wire!`] builds this table).
pub struct Wire<E> {
    /// `crate::Type`, for messages.
    pub name: &'static str,
    /// Events are sent by the server, commands by a client.
    pub direction: Direction,
    pub read: fn(&str) -> Read<E>,
    pub write: fn(&E) -> Result<String, String>,
}

/// The [`Wire`] of a generated envelope type: `wire!(board_events::BoardEnvelope, ServerToClient)`.
#[macro_export]
macro_rules! wire {
    ($krate:ident :: $envelope:ident, $direction:ident) => {
        $crate::Wire::<$krate::$envelope> {
            name: concat!(stringify!($krate), "::", stringify!($envelope)),
            direction: $crate::Direction::$direction,
            read: |text| match $krate::$envelope::from_json(text) {
                Ok(envelope) => $crate::Read::Accepted(envelope),
                Err($krate::EnvelopeError::UnknownEventType(unknown)) => {
                    $crate::Read::Unknown(unknown.0)
                }
                Err($krate::EnvelopeError::Json(error)) => $crate::Read::Json(error.to_string()),
                Err($krate::EnvelopeError::Invalid(error)) => $crate::Read::Invalid {
                    message: error.to_string(),
                    pointer: error.pointer,
                    keyword: error.keyword,
                    expected: error.expected,
                },
            },
            write: |envelope| envelope.to_json().map_err(|error| error.to_string()),
        }
    };
}

/// The repository root (this crate is `fuzz/` in it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/ has a parent")
        .to_path_buf()
}

/// Whether `EVENTCAT_FUZZ_VERBOSE` is set: then every input's verdicts are
/// printed (to see what a reproducer or a seed does).
fn verbose() -> bool {
    static VERBOSE: OnceLock<bool> = OnceLock::new();
    *VERBOSE.get_or_init(|| std::env::var_os("EVENTCAT_FUZZ_VERBOSE").is_some())
}

/// One generated crate's catalog, and a judge per direction.
pub struct Target {
    pub catalog: Catalog,
    events: Judge,
    commands: Judge,
    /// The directory of recorded wire messages of the catalog, if any.
    messages: Option<PathBuf>,
}

impl Target {
    /// The catalog at `catalog` (relative to the repository root), built as
    /// `eventcat gen` builds it, with recorded messages in `messages`.
    pub fn new(catalog: &str, messages: Option<&str>) -> Target {
        let root = root();
        let mut sources = Sources::new(&root);
        let catalog = eventcat_codegen::build(&mut sources, &root.join(catalog))
            .unwrap_or_else(|errors| panic!("{catalog} does not build: {errors:?}"));
        Target {
            events: Judge::new(&catalog, Direction::ServerToClient),
            commands: Judge::new(&catalog, Direction::ClientToServer),
            catalog,
            messages: messages.map(|dir| root.join(dir)),
        }
    }

    fn judge(&self, direction: Direction) -> &Judge {
        match direction {
            Direction::ServerToClient => &self.events,
            Direction::ClientToServer => &self.commands,
        }
    }

    /// Every property of the module docs, for one envelope and one text.
    pub fn check<E: PartialEq + Debug>(&self, wire: &Wire<E>, text: &str) {
        let judge = self.judge(wire.direction);
        let verdict = judge.judge(text);
        let fail = |what: &str| -> ! {
            panic!(
                "{}: {what}\njudge: {}\ninput: {text}",
                wire.name,
                match &verdict {
                    Ok(()) => "valid".to_string(),
                    Err(why) => format!("invalid, {why}"),
                }
            )
        };
        let read = (wire.read)(text);
        if verbose() {
            let what = match &read {
                Read::Accepted(_) => "accepted".to_string(),
                Read::Unknown(name) => format!("unknown type `{name}`"),
                Read::Json(error) => format!("refused: {error}"),
                Read::Invalid { message, .. } => format!("invalid: {message}"),
            };
            eprintln!("{}: {what}; judge: {verdict:?}", wire.name);
        }
        match read {
            Read::Accepted(envelope) => {
                if verdict.is_err() {
                    fail("from_json accepts a message the judge refuses");
                }
                self.round_trip(wire, judge, text, &envelope);
            }
            Read::Unknown(name) => {
                if verdict.is_ok() {
                    fail(&format!(
                        "from_json says `{name}` is unknown, the judge accepts it"
                    ));
                }
            }
            Read::Invalid {
                pointer,
                keyword,
                expected,
                message,
            } => {
                if verdict.is_ok()
                    && !judge.exempt(text)
                    && !judge_misreads_digits(text, &pointer, keyword, &expected)
                {
                    fail(&format!("from_json refuses a valid message: {message}"));
                }
                check_pointer(text, &pointer)
                    .unwrap_or_else(|why| fail(&format!("{message}: {why}")));
            }
            Read::Json(message) => {
                if verdict.is_ok() && !judge.exempt(text) {
                    fail(&format!("from_json refuses a valid message: {message}"));
                }
            }
        }
    }

    fn round_trip<E: PartialEq + Debug>(
        &self,
        wire: &Wire<E>,
        judge: &Judge,
        text: &str,
        envelope: &E,
    ) {
        let name = wire.name;
        let written = (wire.write)(envelope).unwrap_or_else(|error| {
            panic!("{name}: an accepted envelope does not write: {error}\ninput: {text}\nread: {envelope:?}")
        });
        let again = match (wire.read)(&written) {
            Read::Accepted(again) => again,
            Read::Unknown(name) => {
                panic!(
                    "{name}: the written envelope has an unknown type `{name}`\ninput: {text}\nwritten: {written}"
                )
            }
            Read::Json(error) | Read::Invalid { message: error, .. } => {
                panic!(
                    "{name}: the written envelope is refused: {error}\ninput: {text}\nwritten: {written}"
                )
            }
        };
        assert_eq!(
            &again, envelope,
            "{name}: the envelope changed on the round trip\ninput: {text}\nwritten: {written}"
        );
        let rewritten = (wire.write)(&again).unwrap();
        assert_eq!(
            rewritten, written,
            "{name}: writing is not stable\ninput: {text}"
        );
        if let Err(why) = judge.judge(&written) {
            panic!(
                "{name}: the judge refuses the written envelope: {why}\ninput: {text}\nwritten: {written}"
            );
        }
        let original: Value = serde_json::from_str(text).unwrap();
        let expected = judge.written(&original);
        let actual: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(
            actual, expected,
            "{name}: the written envelope is not the message read\ninput: {text}\nwritten: {written}"
        );
    }

    /// The seed inputs: each example of each message in its envelope (with
    /// the version of the catalog and the envelope fields of the first
    /// recorded message), and each recorded message.
    pub fn seeds(&self) -> BTreeMap<String, String> {
        let mut seeds = BTreeMap::new();
        let mut recorded = Vec::new();
        if let Some(dir) = &self.messages {
            let mut paths: Vec<PathBuf> = fs::read_dir(dir)
                .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
                .map(|entry| entry.unwrap().path())
                .collect();
            paths.sort();
            for path in paths {
                let text = fs::read_to_string(&path).unwrap();
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                recorded.push(serde_json::from_str::<Value>(&text).unwrap());
                seeds.insert(format!("recorded-{stem}.json"), text);
            }
        }
        let envelope = &self.catalog.envelope;
        let own: Vec<String> = self
            .catalog
            .envelope_fields()
            .map(|object| {
                object
                    .fields
                    .iter()
                    .map(|field| field.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        let fields: Map<String, Value> = recorded
            .first()
            .and_then(Value::as_object)
            .map(|message| {
                message
                    .iter()
                    .filter(|(key, _)| own.contains(key))
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for event in &self.catalog.events {
            for (index, example) in event.examples.iter().enumerate() {
                let mut message = Map::new();
                if let Some(version) = &envelope.version_field {
                    message.insert(version.clone(), Value::from(self.catalog.protocol_version));
                }
                message.insert(
                    envelope.type_field.clone(),
                    Value::String(event.name.clone()),
                );
                message.extend(fields.clone());
                match (&envelope.payload_field, example) {
                    (Some(field), _) => {
                        message.insert(field.clone(), example.clone());
                    }
                    (None, Value::Object(payload)) => message.extend(payload.clone()),
                    (None, _) => continue,
                }
                let text = serde_json::to_string_pretty(&Value::Object(message)).unwrap();
                seeds.insert(format!("example-{}.{}.json", event.name, index + 1), text);
            }
        }
        seeds
    }
}

/// A message judged as `eventcat verify` judges it (the same steps as its
/// checker, which is private to that module), every schema by `jsonschema`.
pub struct Judge {
    envelope: Envelope,
    /// The envelope's own field names.
    own: Vec<String>,
    /// Each name (and former name) of the direction's messages: the wire name
    /// it is written as, and its payload's validator.
    payloads: BTreeMap<String, (String, Validator)>,
    fields: Option<Validator>,
}

impl Judge {
    fn new(catalog: &Catalog, direction: Direction) -> Judge {
        let compile = |schema: &Value, what: &str| {
            eventcat_codegen::verify::compile(catalog, schema)
                .unwrap_or_else(|| panic!("the judge cannot compile {what}"))
        };
        let mut payloads = BTreeMap::new();
        for event in catalog
            .events
            .iter()
            .filter(|event| event.direction == direction)
        {
            let validator = compile(&event.schema, &event.name);
            for name in std::iter::once(&event.name).chain(&event.aliases) {
                payloads.insert(name.clone(), (event.name.clone(), validator.clone()));
            }
        }
        Judge {
            envelope: catalog.envelope.clone(),
            own: catalog
                .envelope_fields()
                .map(|object| {
                    object
                        .fields
                        .iter()
                        .map(|field| field.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            payloads,
            fields: catalog
                .envelope
                .fields_schema
                .as_ref()
                .map(|schema| compile(schema, "the envelope fields")),
        }
    }

    /// Whether a wire message is valid, and the first reason if not.
    pub fn judge(&self, text: &str) -> Result<(), String> {
        let envelope = &self.envelope;
        let message: Value =
            serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
        let Value::Object(members) = &message else {
            return Err("not an object".into());
        };
        let Some(Value::String(name)) = members.get(&envelope.type_field) else {
            return Err("no type name".into());
        };
        let Some((_, validator)) = self.payloads.get(name) else {
            return Err(format!("`{name}` is no message of this direction"));
        };
        if let Some(version) = &envelope.version_field
            && !members
                .get(version)
                .is_some_and(|value| value.is_u64() || value.is_i64())
        {
            return Err("the version is no integer".into());
        }
        if let Some(validator) = &self.fields {
            let fields: Map<String, Value> = members
                .iter()
                .filter(|(key, _)| self.own.contains(key))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            first_error(validator, &Value::Object(fields), "the envelope fields")?;
        }
        first_error(validator, &self.payload(members), "the payload")
    }

    /// The payload as the readers see it: under its key (an absent one empty
    /// where the envelope leaves empty payloads out), or the rest of a flat
    /// message.
    fn payload(&self, members: &Map<String, Value>) -> Value {
        let envelope = &self.envelope;
        match &envelope.payload_field {
            Some(field) => match members.get(field) {
                Some(payload) => payload.clone(),
                None if envelope.omit_empty_payload => Value::Object(Map::new()),
                None => Value::Null,
            },
            None => Value::Object(
                members
                    .iter()
                    .filter(|(key, _)| !self.is_envelope_key(key))
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect(),
            ),
        }
    }

    fn is_envelope_key(&self, key: &str) -> bool {
        let envelope = &self.envelope;
        key == envelope.type_field
            || Some(key) == envelope.version_field.as_deref()
            || self.own.iter().any(|own| own == key)
    }

    /// Whether a text the judge accepts may be refused by `from_json` all the
    /// same, by a documented difference between JSON Schema and the
    /// generated types:
    ///
    /// - an object repeats a key: the typed read refuses it where a `Value`
    ///   (and so the judge) keeps the last;
    /// - an integer written with a fraction or an exponent ([`has_integral_float`]):
    ///   JSON Schema counts it as an integer, the Rust integer types do not read it;
    /// - a version that does not fit the envelope's `u32` field (negative or
    ///   above 4294967295): `eventcat verify` asks only for an integer.
    pub fn exempt(&self, text: &str) -> bool {
        if has_repeated_key(text) {
            return true;
        }
        let message: Value = serde_json::from_str(text).expect("the judge parsed it");
        let version = self
            .envelope
            .version_field
            .as_ref()
            .and_then(|field| message.get(field));
        has_integral_float(&message)
            || version.is_some_and(|version| {
                version
                    .as_u64()
                    .is_none_or(|version| u32::try_from(version).is_err())
            })
    }

    /// What a valid message reads and writes back as: the same, except that
    /// a former type name is written as the current one, an adjacent
    /// envelope's keys other than its own are dropped (the reader ignores
    /// them), and an empty payload is left out where the envelope says so.
    pub fn written(&self, message: &Value) -> Value {
        let envelope = &self.envelope;
        let Value::Object(members) = message else {
            return message.clone();
        };
        let mut out = Map::new();
        for (key, value) in members {
            if *key == envelope.type_field {
                let name = value.as_str().unwrap_or_default();
                let current = self.payloads.get(name).map_or(name, |(current, _)| current);
                out.insert(key.clone(), Value::String(current.to_string()));
            } else if self.is_envelope_key(key) {
                out.insert(key.clone(), value.clone());
            } else {
                match &envelope.payload_field {
                    None => {
                        out.insert(key.clone(), value.clone());
                    }
                    Some(field) if field == key => {
                        let empty = value.as_object().is_some_and(Map::is_empty);
                        if !(envelope.omit_empty_payload && empty) {
                            out.insert(key.clone(), value.clone());
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        Value::Object(out)
    }
}

fn first_error(validator: &Validator, value: &Value, what: &str) -> Result<(), String> {
    match validator.iter_errors(value).next() {
        None => Ok(()),
        Some(error) => Err(format!(
            "{what} at `{}` fails `{}`: {error}",
            error.instance_path().as_str(),
            error.kind().keyword()
        )),
    }
}

/// Whether a number is an integer written with a fraction or an exponent
/// somewhere in a value (`1.0`, `1e2`, `-0`: `serde_json` reads them as
/// floats).
pub fn has_integral_float(value: &Value) -> bool {
    match value {
        Value::Number(number) => {
            !(number.is_u64() || number.is_i64())
                && number.as_f64().is_some_and(|float| float.fract() == 0.0)
        }
        Value::Array(items) => items.iter().any(has_integral_float),
        Value::Object(members) => members.values().any(has_integral_float),
        _ => false,
    }
}

/// Whether the judge accepted a `date`, `time` or `date-time` string that
/// has something else than an ASCII digit where a digit belongs: jsonschema
/// 0.60.2 reads the digits of these formats four or two bytes at a time, and
/// the borrow of its subtraction lets one of `*+,-./` pass for a digit before
/// another digit (`+025-11-08T14:30:50Z` is a date-time to it, year 25). The
/// generated validators refuse such strings, rightly: RFC 3339 asks for
/// digits. Only this refusal is excused, for the value `from_json` names.
fn judge_misreads_digits(text: &str, pointer: &str, keyword: &str, expected: &str) -> bool {
    let Ok(message) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    let Some(Value::String(value)) = message.pointer(pointer) else {
        return false;
    };
    keyword == "format" && misread_digits(expected, value.as_bytes())
}

/// Whether a byte that jsonschema reads as a digit of a `format` is none.
fn misread_digits(format: &str, bytes: &[u8]) -> bool {
    let not_digits = |at: usize, count: usize| {
        bytes
            .get(at..at + count)
            .is_some_and(|slot| !slot.iter().all(u8::is_ascii_digit))
    };
    let date = |bytes_len: usize| {
        bytes_len == 10 && (not_digits(0, 4) || not_digits(5, 2) || not_digits(8, 2))
    };
    // The time (after the date's `T` in a date-time) from `start`: HH:MM:SS,
    // a fraction, then `Z` or an offset ±HH:MM.
    let time = |start: usize| {
        if not_digits(start, 2) || not_digits(start + 3, 2) || not_digits(start + 6, 2) {
            return true;
        }
        let mut at = start + 8;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
        }
        matches!(bytes.get(at), Some(b'+' | b'-'))
            && (not_digits(at + 1, 2) || not_digits(at + 4, 2))
    };
    match format {
        "date" => date(bytes.len()),
        "time" => time(0),
        "date-time" => match bytes.iter().position(|byte| matches!(byte, b'T' | b't')) {
            Some(at) => date(at) || time(at + 1),
            None => false,
        },
        _ => false,
    }
}

/// Whether an `EnvelopeError::Invalid` pointer names a place in the message:
/// well formed, and its parent present (the place itself may be a missing
/// required key).
fn check_pointer(text: &str, pointer: &str) -> Result<(), String> {
    if !(pointer.is_empty() || pointer.starts_with('/')) {
        return Err(format!("`{pointer}` is no JSON Pointer"));
    }
    let message: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let parent = pointer.rfind('/').map_or("", |at| &pointer[..at]);
    if message.pointer(parent).is_none() {
        return Err(format!("the parent of `{pointer}` is not in the message"));
    }
    Ok(())
}

/// Whether some object of a JSON text repeats a key (false when it is no JSON).
pub fn has_repeated_key(text: &str) -> bool {
    serde_json::from_str::<NoRepeats>(text).is_err() && serde_json::from_str::<Value>(text).is_ok()
}

/// Any JSON value whose objects each have distinct keys.
struct NoRepeats;

impl<'de> Deserialize<'de> for NoRepeats {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NoRepeatsVisitor)
    }
}

struct NoRepeatsVisitor;

impl<'de> Visitor<'de> for NoRepeatsVisitor {
    type Value = NoRepeats;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, _: bool) -> Result<NoRepeats, E> {
        Ok(NoRepeats)
    }
    fn visit_i64<E>(self, _: i64) -> Result<NoRepeats, E> {
        Ok(NoRepeats)
    }
    fn visit_u64<E>(self, _: u64) -> Result<NoRepeats, E> {
        Ok(NoRepeats)
    }
    fn visit_f64<E>(self, _: f64) -> Result<NoRepeats, E> {
        Ok(NoRepeats)
    }
    fn visit_str<E>(self, _: &str) -> Result<NoRepeats, E> {
        Ok(NoRepeats)
    }
    fn visit_unit<E>(self) -> Result<NoRepeats, E> {
        Ok(NoRepeats)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<NoRepeats, A::Error> {
        while items.next_element::<NoRepeats>()?.is_some() {}
        Ok(NoRepeats)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<NoRepeats, A::Error> {
        let mut keys = HashSet::new();
        while let Some(key) = members.next_key::<String>()? {
            if !keys.insert(key) {
                return Err(de::Error::custom("repeated key"));
            }
            members.next_value::<NoRepeats>()?;
        }
        Ok(NoRepeats)
    }
}

/// Writes the seeds of `target` into `dir` when the environment variable
/// `EVENTCAT_FUZZ_SEEDS` is set (to anything), then exits: the committed
/// seed corpora are made so (see the README).
pub fn write_seeds_if_asked(target: &Target, dir: &str) {
    if std::env::var_os("EVENTCAT_FUZZ_SEEDS").is_none() {
        return;
    }
    let dir = root().join("fuzz/corpus").join(dir);
    fs::create_dir_all(&dir).unwrap();
    let seeds = target.seeds();
    for (name, text) in &seeds {
        fs::write(dir.join(name), text).unwrap();
    }
    eprintln!("wrote {} seeds to {}", seeds.len(), dir.display());
    std::process::exit(0);
}
