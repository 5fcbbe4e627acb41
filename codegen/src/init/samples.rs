//! Payload schemas inferred from recorded wire messages.
//!
//! `eventcat init --samples FILE` reads messages copied from a browser's
//! WebSocket inspector or a log, one JSON object per line ([`parse_lines`]),
//! recognises the envelope they share ([`detect_envelope`]) and infers, per
//! event type, a payload schema in the subset eventcat accepts, with the
//! samples' payloads as examples ([`infer`]).
//!
//! What the samples cannot settle is not guessed: a field seen with two
//! types, only as `null`, only as an empty array or only as an empty object
//! keeps the schema `{}` (any JSON value: typed as such, never guessed
//! narrower), and a [`SampleProblem`] says where and why.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde_json::{Map, Number, Value, json};

use crate::names::variant_ident;
use crate::schema_subset::MAX_SAFE_INTEGER;

/// Keys that may name the event type, most likely first.
const TYPE_FIELDS: [&str; 5] = ["event_type", "type", "event", "kind", "name"];
/// Keys that may hold an adjacent envelope's payload, most likely first.
const PAYLOAD_FIELDS: [&str; 2] = ["payload", "data"];
/// Keys that may hold the protocol version; any other key ending in
/// `version` is tried after them.
const VERSION_FIELDS: [&str; 3] = ["protocol_version", "version", "v"];
/// How deep payloads are followed; anything deeper is reported. Each level
/// of an object nests its schema two levels deeper (`properties`, then the
/// field), and eventcat reads no file nested more than 64 levels deep, so
/// the schema of a payload this deep still fits in an event file.
const MAX_DEPTH: usize = 24;
/// How many distinct payloads become examples of an event.
const MAX_EXAMPLES: usize = 3;
/// The most distinct values a string may take to be inferred as an enum.
const MAX_ENUM_VALUES: usize = 6;
/// How many times a string must be seen to be inferred as an enum.
const MIN_ENUM_OBSERVATIONS: usize = 3;
/// The longest enum value.
const MAX_ENUM_VALUE_LEN: usize = 32;
/// Key endings of free text, whose values are never inferred as an enum.
const FREE_TEXT_KEYS: [&str; 14] = [
    "name",
    "title",
    "label",
    "text",
    "message",
    "description",
    "summary",
    "comment",
    "body",
    "sha",
    "hash",
    "url",
    "path",
    "email",
];
/// String formats recognised, in preference order.
const FORMATS: [&str; 3] = ["date-time", "date", "uuid"];
/// How many lines a problem lists before "and more".
const SHOWN_LINES: usize = 5;

/// One recorded message.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The 1-based line of the samples file it was read from.
    pub line: usize,
    /// The message; [`parse_lines`] only yields JSON objects.
    pub message: Value,
}

/// Something wrong with the samples, said so that a person can fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleProblem {
    /// The 1-based line it concerns (the first one, if several).
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl SampleProblem {
    fn new(line: Option<usize>, message: impl Into<String>) -> SampleProblem {
        SampleProblem {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for SampleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// How the messages wrap their payloads, as the catalog's `envelope:` says.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvelopeGuess {
    /// `{"<version_field>": 1, "<type_field>": "...", "<payload_field>": {...}}`;
    /// `version_field` is `None` when the messages carry no version.
    Adjacent {
        /// The key holding the protocol version, if any.
        version_field: Option<String>,
        /// The version every message carries, if any.
        protocol_version: Option<u64>,
        /// The key naming the event type.
        type_field: String,
        /// The key holding the payload object.
        payload_field: String,
        /// Some messages leave an empty payload out.
        omit_empty_payload: bool,
    },
    /// The payload's fields sit beside the type.
    Flat {
        /// The key naming the event type.
        type_field: String,
        /// The envelope's own fields, the keys every message of every type
        /// carries besides the type, as an inferred JSON Schema object; `None`
        /// when there are none or only one event type was seen.
        fields: Option<Value>,
    },
}

/// One event type, as the samples show it.
#[derive(Debug, Clone, PartialEq)]
pub struct InferredEvent {
    /// The event type, as the type field spells it.
    pub name: String,
    /// The inferred payload schema (JSON Schema draft 2020-12).
    pub schema: Value,
    /// Distinct payloads in first-seen order, at most three.
    pub examples: Vec<Value>,
    /// Every line that carried this event.
    pub lines: Vec<usize>,
}

/// Everything inferred from a set of samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    /// The envelope the messages share.
    pub envelope: EnvelopeGuess,
    /// Every event type, in order of first appearance.
    pub events: Vec<InferredEvent>,
    /// What the user has to decide or fix, in a stable order.
    pub problems: Vec<SampleProblem>,
}

/// Reads one JSON message per line. Blank lines are skipped; a line that is
/// not a JSON object is a problem naming its line.
pub fn parse_lines(text: &str) -> (Vec<Sample>, Vec<SampleProblem>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut samples = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let content = raw.trim();
        if content.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(content) {
            Ok(message @ Value::Object(_)) => samples.push(Sample { line, message }),
            Ok(other) => problems.push(not_an_object(line, &other)),
            Err(error) => problems.push(not_json(line, &error)),
        }
    }
    (samples, problems)
}

fn not_json(line: usize, error: &serde_json::Error) -> SampleProblem {
    let text = error.to_string();
    let reason = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(reason, _)| reason);
    SampleProblem::new(
        Some(line),
        format!(
            "this line is not JSON ({reason} at column {}): put each message on one line as a \
             whole JSON object, e.g. `{{\"type\": \"ping\"}}`",
            error.column()
        ),
    )
}

fn not_an_object(line: usize, value: &Value) -> SampleProblem {
    SampleProblem::new(
        Some(line),
        format!(
            "this line is {}, not a message: each line must hold one JSON object such as \
             `{{\"type\": \"ping\"}}`",
            Kind::of(value).described()
        ),
    )
}

/// Recognises the envelope the messages share.
pub fn detect_envelope(samples: &[Sample]) -> Result<EnvelopeGuess, SampleProblem> {
    detect(samples).map(|detected| detected.envelope)
}

/// Recognises the envelope, then infers each event type's payload schema.
pub fn infer(samples: &[Sample]) -> Result<Inference, SampleProblem> {
    let detected = detect(samples)?;
    let mut problems = detected.problems.clone();
    let events = groups(&detected)
        .into_iter()
        .map(|group| infer_event(group, &mut problems))
        .collect();
    Ok(Inference {
        envelope: detected.envelope,
        events,
        problems,
    })
}

/// A message whose event type could be read.
struct Typed<'a> {
    line: usize,
    name: &'a str,
    message: &'a Map<String, Value>,
}

/// The envelope, the messages it applies to and what detecting it found.
struct Detected<'a> {
    envelope: EnvelopeGuess,
    typed: Vec<Typed<'a>>,
    /// A flat envelope's own keys, which payloads leave out.
    own_keys: Vec<String>,
    problems: Vec<SampleProblem>,
}

fn detect(samples: &[Sample]) -> Result<Detected<'_>, SampleProblem> {
    let type_field = choose_type_field(samples)?;
    let (typed, mut problems) = typed_messages(samples, type_field);
    if typed.is_empty() {
        return Err(no_type_field());
    }
    let (envelope, own_keys) = match payload_field(&typed) {
        Some(payload_field) => {
            let envelope = adjacent(&typed, type_field, payload_field);
            problems.extend(adjacent_extras(&typed, &envelope));
            (envelope, Vec::new())
        }
        None => flat(&typed, type_field, &mut problems),
    };
    Ok(Detected {
        envelope,
        typed,
        own_keys,
        problems,
    })
}

/// The first candidate that is a string in at least half of the messages,
/// else the one that is a string in the most.
fn choose_type_field(samples: &[Sample]) -> Result<&'static str, SampleProblem> {
    if samples.is_empty() {
        return Err(SampleProblem::new(
            None,
            "there are no messages to infer from: give a file with one JSON message per line",
        ));
    }
    let counts = TYPE_FIELDS.map(|field| {
        let strings = samples
            .iter()
            .filter(|s| s.message.get(field).is_some_and(Value::is_string));
        (field, strings.count())
    });
    let majority = counts
        .iter()
        .find(|(_, n)| *n > 0 && 2 * n >= samples.len());
    let most = counts
        .iter()
        .rev()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n);
    majority
        .or(most)
        .map(|(field, _)| *field)
        .ok_or_else(no_type_field)
}

fn no_type_field() -> SampleProblem {
    let names: Vec<String> = TYPE_FIELDS.iter().map(|f| format!("`{f}`")).collect();
    SampleProblem::new(
        None,
        format!(
            "no message names its event type with a string under {}: eventcat needs every \
             message to say what it is, e.g. `{{\"type\": \"task_created\", ...}}`",
            names.join(", ")
        ),
    )
}

fn typed_messages<'a>(
    samples: &'a [Sample],
    type_field: &str,
) -> (Vec<Typed<'a>>, Vec<SampleProblem>) {
    let mut typed = Vec::new();
    let mut problems = Vec::new();
    for sample in samples {
        match read_type(sample, type_field) {
            Ok(message) => typed.push(message),
            Err(problem) => problems.push(problem),
        }
    }
    (typed, problems)
}

fn read_type<'a>(sample: &'a Sample, type_field: &str) -> Result<Typed<'a>, SampleProblem> {
    let line = sample.line;
    let Value::Object(message) = &sample.message else {
        return Err(not_an_object(line, &sample.message));
    };
    let found = match message.get(type_field) {
        Some(Value::String(name)) => {
            return Ok(Typed {
                line,
                name,
                message,
            });
        }
        Some(other) => format!("its `{type_field}` is {}", Kind::of(other).described()),
        None => format!("it has no `{type_field}`"),
    };
    Err(SampleProblem::new(
        Some(line),
        format!(
            "this message is left out: {found}, but `{type_field}` names the event type in the \
             other messages; make it a string such as \"task_created\", or delete the line"
        ),
    ))
}

/// The payload key when every message has an object (or nothing) there.
fn payload_field(typed: &[Typed]) -> Option<&'static str> {
    PAYLOAD_FIELDS.into_iter().find(|field| {
        let mut values = typed.iter().map(|m| m.message.get(*field));
        let shaped = values
            .clone()
            .all(|value| value.is_none_or(Value::is_object));
        shaped && values.any(|value| value.is_some())
    })
}

fn adjacent(typed: &[Typed], type_field: &str, payload_field: &str) -> EnvelopeGuess {
    let version = version_field(typed, &[type_field, payload_field]);
    EnvelopeGuess::Adjacent {
        protocol_version: version.as_ref().map(|(_, value)| *value),
        version_field: version.map(|(field, _)| field),
        type_field: type_field.to_string(),
        payload_field: payload_field.to_string(),
        omit_empty_payload: typed.iter().any(|m| !m.message.contains_key(payload_field)),
    }
}

/// An integer key every message carries with one value.
fn version_field(typed: &[Typed], taken: &[&str]) -> Option<(String, u64)> {
    let first = typed.first()?;
    let others = first.message.keys().filter(|key| {
        key.to_ascii_lowercase().ends_with("version") && !VERSION_FIELDS.contains(&key.as_str())
    });
    let candidates = VERSION_FIELDS.into_iter().chain(others.map(String::as_str));
    candidates
        .filter(|field| !taken.contains(field))
        .find_map(|field| {
            let value = first.message.get(field)?.as_u64()?;
            let constant = typed
                .iter()
                .all(|m| m.message.get(field).and_then(Value::as_u64) == Some(value));
            constant.then(|| (field.to_string(), value))
        })
}

/// Keys an adjacent envelope carries besides version, type and payload,
/// which `init` does not infer.
fn adjacent_extras(typed: &[Typed], envelope: &EnvelopeGuess) -> Option<SampleProblem> {
    let EnvelopeGuess::Adjacent {
        version_field,
        type_field,
        payload_field,
        ..
    } = envelope
    else {
        return None;
    };
    let known = [
        Some(type_field),
        Some(payload_field),
        version_field.as_ref(),
    ];
    let mut extras: BTreeMap<&str, usize> = BTreeMap::new();
    for message in typed {
        for key in message
            .message
            .keys()
            .filter(|key| !known.contains(&Some(*key)))
        {
            extras.entry(key.as_str()).or_insert(message.line);
        }
    }
    let listed: Vec<String> = extras
        .iter()
        .map(|(key, line)| format!("`{key}` (line {line})"))
        .collect();
    let first = extras.values().min().copied()?;
    Some(SampleProblem::new(
        Some(first),
        format!(
            "messages carry {} beside the envelope's version, type and payload: `init` does not \
             infer an adjacent envelope's own fields; declare them under `envelope.fields` in \
             the catalog settings",
            listed.join(", ")
        ),
    ))
}

fn flat(
    typed: &[Typed],
    type_field: &str,
    problems: &mut Vec<SampleProblem>,
) -> (EnvelopeGuess, Vec<String>) {
    let own_keys = shared_keys(typed, type_field);
    let fields = (!own_keys.is_empty()).then(|| fields_schema(typed, &own_keys, problems));
    let envelope = EnvelopeGuess::Flat {
        type_field: type_field.to_string(),
        fields,
    };
    (envelope, own_keys)
}

/// Keys every message of every type carries, when at least two types were seen.
fn shared_keys(typed: &[Typed], type_field: &str) -> Vec<String> {
    let types: HashSet<&str> = typed.iter().map(|m| m.name).collect();
    let Some(first) = typed.first().filter(|_| types.len() >= 2) else {
        return Vec::new();
    };
    let shared = first
        .message
        .keys()
        .filter(|key| *key != type_field && typed.iter().all(|m| m.message.contains_key(*key)));
    shared.cloned().collect()
}

/// The flat envelope's own fields as a schema; open, since the payload's
/// fields sit beside them.
fn fields_schema(typed: &[Typed], own_keys: &[String], problems: &mut Vec<SampleProblem>) -> Value {
    let mut shape = Shape::default();
    for message in typed {
        let own = own_keys
            .iter()
            .filter_map(|key| Some((key.clone(), message.message.get(key)?.clone())));
        shape.observe(&Value::Object(own.collect()), message.line, 0);
    }
    let mut schema = Builder::new("the envelope's own fields".into(), problems).payload(&shape);
    if let Value::Object(map) = &mut schema {
        map.remove("additionalProperties");
    }
    schema
}

/// One event type's messages, with its distinct payloads.
struct Group {
    name: String,
    /// Distinct payloads in first-seen order, each with its first line.
    payloads: Vec<(Value, usize)>,
    lines: Vec<usize>,
    seen: HashSet<String>,
}

impl Group {
    fn new(name: &str) -> Group {
        Group {
            name: name.to_string(),
            payloads: Vec::new(),
            lines: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn add(&mut self, payload: Value, line: usize) {
        self.lines.push(line);
        if self.seen.insert(payload.to_string()) {
            self.payloads.push((payload, line));
        }
    }
}

/// The messages by event type, in order of first appearance.
fn groups(detected: &Detected) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for message in &detected.typed {
        let at = *index.entry(message.name).or_insert_with(|| {
            groups.push(Group::new(message.name));
            groups.len() - 1
        });
        let payload = payload_of(message.message, &detected.envelope, &detected.own_keys);
        if let Some(group) = groups.get_mut(at) {
            group.add(payload, message.line);
        }
    }
    groups
}

/// The payload of one message: what sits under the payload field, or
/// everything beside the type and the envelope's own fields.
fn payload_of(
    message: &Map<String, Value>,
    envelope: &EnvelopeGuess,
    own_keys: &[String],
) -> Value {
    match envelope {
        EnvelopeGuess::Adjacent { payload_field, .. } => message
            .get(payload_field)
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
        EnvelopeGuess::Flat { type_field, .. } => Value::Object(
            message
                .iter()
                .filter(|(key, _)| *key != type_field && !own_keys.contains(key))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
    }
}

fn infer_event(group: Group, problems: &mut Vec<SampleProblem>) -> InferredEvent {
    let mut shape = Shape::default();
    for (payload, line) in &group.payloads {
        shape.observe(payload, *line, 0);
    }
    let schema = Builder::new(format!("event `{}`", group.name), problems).payload(&shape);
    let examples = group
        .payloads
        .into_iter()
        .filter(|(payload, _)| !reaches(payload, MAX_DEPTH))
        .take(MAX_EXAMPLES)
        .map(|(payload, _)| payload);
    InferredEvent {
        name: group.name,
        schema,
        examples: examples.collect(),
        lines: group.lines,
    }
}

/// Whether `value` holds an object or array `levels` below itself: such a
/// payload is too deep to be an example.
fn reaches(value: &Value, levels: usize) -> bool {
    let mut children: Box<dyn Iterator<Item = &Value>> = match value {
        Value::Array(items) => Box::new(items.iter()),
        Value::Object(map) => Box::new(map.values()),
        _ => return false,
    };
    levels
        .checked_sub(1)
        .is_none_or(|below| children.any(|child| reaches(child, below)))
}

/// The kinds of JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    fn of(value: &Value) -> Kind {
        match value {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    fn described(self) -> &'static str {
        match self {
            Kind::Null => "`null`",
            Kind::Boolean => "a boolean",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// The first few lines something was seen on.
#[derive(Debug, Default)]
struct Lines {
    first: Vec<usize>,
    more: bool,
}

impl Lines {
    fn note(&mut self, line: usize) {
        if self.first.contains(&line) {
            return;
        }
        self.first.push(line);
        self.first.sort_unstable();
        if self.first.len() > SHOWN_LINES {
            self.first.truncate(SHOWN_LINES);
            self.more = true;
        }
    }

    fn absorb(&mut self, other: &Lines) {
        other.first.iter().for_each(|line| self.note(*line));
        self.more |= other.more;
    }

    fn min(&self) -> Option<usize> {
        self.first.first().copied()
    }
}

impl fmt::Display for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let numbers: Vec<String> = self.first.iter().map(usize::to_string).collect();
        match (numbers.as_slice(), self.more) {
            ([], false) => f.write_str("no line"),
            ([one], false) => write!(f, "line {one}"),
            ([init @ .., last], false) => write!(f, "lines {} and {last}", init.join(", ")),
            (all, true) => write!(f, "lines {} and more", all.join(", ")),
        }
    }
}

/// The strings seen at one place.
#[derive(Debug, Default)]
struct Strings {
    count: usize,
    /// Distinct values in first-seen order, one more than an enum may have at most.
    values: Vec<String>,
    /// Some value is not identifier-like.
    free_text: bool,
    /// Per entry of [`FORMATS`]: some value is not in that format.
    unformatted: [bool; FORMATS.len()],
}

impl Strings {
    fn observe(&mut self, value: &Value, text: &str) {
        self.count += 1;
        self.free_text |= !is_identifier_like(text);
        self.note_value(text);
        for (index, unformatted) in self.unformatted.iter_mut().enumerate() {
            *unformatted = *unformatted || !has_format(index, value);
        }
    }

    fn note_value(&mut self, text: &str) {
        if self.values.len() <= MAX_ENUM_VALUES && !self.values.iter().any(|v| v == text) {
            self.values.push(text.to_string());
        }
    }

    fn absorb(&mut self, other: &Strings) {
        self.count += other.count;
        self.free_text |= other.free_text;
        other.values.iter().for_each(|value| self.note_value(value));
        for (mine, theirs) in self.unformatted.iter_mut().zip(other.unformatted) {
            *mine = *mine || theirs;
        }
    }

    /// The format every value has, if any.
    fn format(&self) -> Option<&'static str> {
        if self.count == 0 {
            return None;
        }
        let index = self
            .unformatted
            .iter()
            .position(|unformatted| !unformatted)?;
        FORMATS.get(index).copied()
    }

    /// The enum values, when the strings look like a small closed set.
    fn enum_values(&self, name: &str) -> Option<Vec<Value>> {
        let distinct = self.values.len();
        let closed = !self.free_text
            && self.count >= MIN_ENUM_OBSERVATIONS
            && distinct <= MAX_ENUM_VALUES
            && distinct < self.count;
        let idents: BTreeSet<String> = self.values.iter().map(|v| variant_ident(v)).collect();
        let usable =
            closed && idents.len() == distinct && !looks_like_id(name) && !is_free_text(name);
        usable.then(|| self.values.iter().cloned().map(Value::String).collect())
    }
}

/// Checks formats exactly as eventcat checks examples: with `jsonschema`.
fn has_format(index: usize, value: &Value) -> bool {
    static VALIDATORS: OnceLock<Vec<Option<jsonschema::Validator>>> = OnceLock::new();
    let validators = VALIDATORS.get_or_init(|| {
        let build = |format: &str| {
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&json!({"type": "string", "format": format}))
                .ok()
        };
        FORMATS.iter().map(|format| build(format)).collect()
    });
    validators
        .get(index)
        .and_then(Option::as_ref)
        .is_some_and(|v| v.is_valid(value))
}

/// Short, without spaces: a value that reads like a code, not like prose.
fn is_identifier_like(text: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    !text.is_empty() && text.len() <= MAX_ENUM_VALUE_LEN && text.chars().all(allowed)
}

/// A key that holds ids (`id`, `task_id`, `cardIds`): never an enum, and an
/// integer id starts at 1.
fn looks_like_id(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("id") || lower.ends_with("ids")
}

/// A key that holds prose or one-off values, never an enum.
fn is_free_text(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    FREE_TEXT_KEYS.iter().any(|suffix| lower.ends_with(suffix))
}

/// Everything one place in the payloads held, over all samples.
#[derive(Debug, Default)]
struct Shape {
    /// The first line each kind of value was seen on.
    kinds: BTreeMap<Kind, usize>,
    lines: Lines,
    /// The smallest and largest integer.
    integers: Option<(i128, i128)>,
    strings: Strings,
    object: Option<Fields>,
    /// The elements of every array seen here.
    items: Option<Box<Shape>>,
    /// An object or array nested deeper than [`MAX_DEPTH`] was cut off here.
    too_deep: bool,
}

impl Shape {
    fn observe(&mut self, value: &Value, line: usize, depth: usize) {
        self.lines.note(line);
        self.kinds.entry(Kind::of(value)).or_insert(line);
        match value {
            Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => self.too_deep = true,
            Value::Number(number) => self.observe_number(number),
            Value::String(text) => self.strings.observe(value, text),
            Value::Array(items) => {
                let shape = self.items.get_or_insert_default();
                items
                    .iter()
                    .for_each(|item| shape.observe(item, line, depth + 1));
            }
            Value::Object(map) => self
                .object
                .get_or_insert_default()
                .observe(map, line, depth + 1),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn observe_number(&mut self, number: &Number) {
        let integer = number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from));
        if let Some(value) = integer {
            self.note_integers(value, value);
        }
    }

    fn note_integers(&mut self, low: i128, high: i128) {
        self.integers = Some(match self.integers {
            Some((min, max)) => (min.min(low), max.max(high)),
            None => (low, high),
        });
    }

    /// Adds what `other` saw, as if this place had seen it too.
    fn absorb(&mut self, other: &Shape) {
        for (kind, line) in &other.kinds {
            let first = self.kinds.entry(*kind).or_insert(*line);
            *first = (*first).min(*line);
        }
        self.lines.absorb(&other.lines);
        if let Some((low, high)) = other.integers {
            self.note_integers(low, high);
        }
        self.strings.absorb(&other.strings);
        if let Some(fields) = &other.object {
            self.object.get_or_insert_default().absorb(fields);
        }
        if let Some(items) = &other.items {
            self.items.get_or_insert_default().absorb(items);
        }
        self.too_deep |= other.too_deep;
    }

    /// The kinds besides `null`; integers mixed with floats are numbers.
    fn value_kinds(&self) -> Vec<Kind> {
        let mut kinds: Vec<Kind> = self
            .kinds
            .keys()
            .copied()
            .filter(|k| *k != Kind::Null)
            .collect();
        if kinds.contains(&Kind::Number) {
            kinds.retain(|kind| *kind != Kind::Integer);
        }
        kinds
    }
}

/// The objects seen at one place.
#[derive(Debug, Default)]
struct Fields {
    /// How many objects were seen.
    count: usize,
    /// Each key, in first-seen order.
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// Some key differs from the `id` of the object under it.
    not_keyed_by_id: bool,
}

/// One key of the objects seen at one place.
#[derive(Debug)]
struct Entry {
    key: String,
    /// How many of the objects had it.
    present: usize,
    shape: Shape,
}

impl Fields {
    fn observe(&mut self, object: &Map<String, Value>, line: usize, depth: usize) {
        self.count += 1;
        for (key, value) in object {
            self.not_keyed_by_id |= !is_keyed_by_id(key, value);
            let entry = self.entry(key);
            entry.present += 1;
            entry.shape.observe(value, line, depth);
        }
    }

    fn entry(&mut self, key: &str) -> &mut Entry {
        let at = *self.index.entry(key.to_string()).or_insert_with(|| {
            self.entries.push(Entry {
                key: key.to_string(),
                present: 0,
                shape: Shape::default(),
            });
            self.entries.len() - 1
        });
        &mut self.entries[at]
    }

    fn absorb(&mut self, other: &Fields) {
        self.count += other.count;
        self.not_keyed_by_id |= other.not_keyed_by_id;
        for theirs in &other.entries {
            let mine = self.entry(&theirs.key);
            mine.present += theirs.present;
            mine.shape.absorb(&theirs.shape);
        }
    }

    /// A map from ids to objects, such as `{"card-2": {"id": "card-2", ...}}`.
    fn is_keyed_by_id(&self) -> bool {
        !self.not_keyed_by_id && !self.entries.is_empty()
    }
}

/// The value is an object whose `id` is the key.
fn is_keyed_by_id(key: &str, value: &Value) -> bool {
    match value.get("id") {
        Some(Value::String(id)) => id == key,
        Some(Value::Number(id)) => id.to_string() == key,
        _ => false,
    }
}

/// Turns shapes into schemas, reporting what it cannot decide.
struct Builder<'a> {
    /// Whose schema this is, e.g. "event `task_created`".
    subject: String,
    problems: &'a mut Vec<SampleProblem>,
}

impl Builder<'_> {
    fn new(subject: String, problems: &mut Vec<SampleProblem>) -> Builder<'_> {
        Builder { subject, problems }
    }

    /// The schema of a payload, always a closed object.
    fn payload(&mut self, shape: &Shape) -> Value {
        let none = Fields::default();
        let fields = shape.object.as_ref().unwrap_or(&none);
        Value::Object(
            self.object(fields, &shape.lines, "$", true)
                .unwrap_or_default(),
        )
    }

    /// The schema of one place, `{}` when it cannot be decided.
    fn schema(&mut self, shape: &Shape, path: &str, name: &str) -> Value {
        Value::Object(self.typed(shape, path, name).unwrap_or_default())
    }

    fn typed(&mut self, shape: &Shape, path: &str, name: &str) -> Option<Map<String, Value>> {
        let lines = &shape.lines;
        if shape.too_deep {
            let what = format!("nests deeper than {MAX_DEPTH} levels ({lines})");
            return self.unknown(lines.min(), path, &what, "write it by hand");
        }
        let kind = match shape.value_kinds().as_slice() {
            [kind] => *kind,
            [] => {
                let what = format!("is only ever `null` ({lines})");
                return self.unknown(lines.min(), path, &what, NULL_FIX);
            }
            kinds => return self.mixed(shape, path, kinds),
        };
        let mut schema = match kind {
            Kind::Integer => self.integer(shape, path, name)?,
            Kind::String => string_schema(&shape.strings, name),
            Kind::Array => self.array(shape, path, name),
            Kind::Object => self.object(shape.object.as_ref()?, lines, path, false)?,
            Kind::Null | Kind::Boolean | Kind::Number => type_only(schema_type(kind)),
        };
        if shape.kinds.contains_key(&Kind::Null) {
            make_nullable(&mut schema);
        }
        Some(schema)
    }

    /// Reports a place seen with several types, in the order they appeared.
    fn mixed(&mut self, shape: &Shape, path: &str, kinds: &[Kind]) -> Option<Map<String, Value>> {
        let mut seen: Vec<(usize, Kind)> = kinds
            .iter()
            .map(|kind| (shape.kinds.get(kind).copied().unwrap_or_default(), *kind))
            .collect();
        seen.sort_unstable();
        let listed: Vec<String> = seen
            .iter()
            .map(|(line, kind)| format!("{} (line {line})", kind.described()))
            .collect();
        let what = format!("is {}", join_and(&listed));
        let fix = "write the one type it should have, or make the sender consistent";
        self.unknown(seen.first().map(|(line, _)| *line), path, &what, fix)
    }

    fn integer(&mut self, shape: &Shape, path: &str, name: &str) -> Option<Map<String, Value>> {
        let (low, high) = shape.integers.unwrap_or_default();
        let safe = i128::from(MAX_SAFE_INTEGER);
        if low < -safe || high > safe {
            let lines = &shape.lines;
            let what = format!("holds integers beyond ±{MAX_SAFE_INTEGER} ({lines})");
            let fix = "write it by hand (a JavaScript number cannot hold such integers exactly: \
                       carry them as strings)";
            return self.unknown(lines.min(), path, &what, fix);
        }
        let minimum = match low {
            1.. if looks_like_id(name) => 1,
            0.. => 0,
            _ => -MAX_SAFE_INTEGER,
        };
        let mut schema = type_only("integer");
        schema.insert("minimum".into(), minimum.into());
        schema.insert("maximum".into(), MAX_SAFE_INTEGER.into());
        Some(schema)
    }

    fn array(&mut self, shape: &Shape, path: &str, name: &str) -> Map<String, Value> {
        let items_path = format!("{path}[*]");
        let items = match &shape.items {
            Some(items) if !items.kinds.is_empty() => self.schema(items, &items_path, name),
            _ => {
                let lines = &shape.lines;
                let what = format!("is unknown: `{path}` is only ever an empty array ({lines})");
                let fix = "write the schema of its items";
                self.unknown(lines.min(), &items_path, &what, fix);
                json!({})
            }
        };
        let mut schema = type_only("array");
        schema.insert("items".into(), items);
        schema
    }

    /// A closed object, or a map when its keys are the ids of its values.
    fn object(
        &mut self,
        fields: &Fields,
        lines: &Lines,
        path: &str,
        top: bool,
    ) -> Option<Map<String, Value>> {
        if !top && fields.is_keyed_by_id() {
            return Some(self.map(fields, path));
        }
        if !top && fields.entries.is_empty() {
            let what = format!("is only ever an empty object ({lines})");
            let fix =
                "write `properties` for a struct, or `additionalProperties: <schema>` for a map";
            return self.unknown(lines.min(), path, &what, fix);
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        for entry in &fields.entries {
            let entry_path = child_path(path, &entry.key);
            let schema = self.schema(&entry.shape, &entry_path, &entry.key);
            properties.insert(entry.key.clone(), schema);
            if entry.present == fields.count {
                required.push(Value::String(entry.key.clone()));
            }
        }
        let mut schema = type_only("object");
        schema.insert("additionalProperties".into(), false.into());
        if !required.is_empty() {
            schema.insert("required".into(), required.into());
        }
        schema.insert("properties".into(), properties.into());
        Some(schema)
    }

    fn map(&mut self, fields: &Fields, path: &str) -> Map<String, Value> {
        let mut values = Shape::default();
        fields
            .entries
            .iter()
            .for_each(|entry| values.absorb(&entry.shape));
        let mut schema = type_only("object");
        let value_schema = self.schema(&values, &format!("{path}.*"), "");
        schema.insert("additionalProperties".into(), value_schema);
        schema
    }

    /// Reports a place whose schema stays `{}`; `what` says what was seen
    /// where, `fix` what the user writes instead.
    fn unknown(
        &mut self,
        line: Option<usize>,
        path: &str,
        what: &str,
        fix: &str,
    ) -> Option<Map<String, Value>> {
        let message = format!(
            "{}: `{path}` {what}; its schema is left as `{{}}`, any JSON value, until you {fix}",
            self.subject
        );
        self.problems.push(SampleProblem::new(line, message));
        None
    }
}

/// How to fix a field that was only ever `null`.
const NULL_FIX: &str = "write its type, e.g. `type: [string, \"null\"]`";

fn string_schema(strings: &Strings, name: &str) -> Map<String, Value> {
    let mut schema = type_only("string");
    if let Some(format) = strings.format() {
        schema.insert("format".into(), format.into());
    } else if let Some(values) = strings.enum_values(name) {
        schema.insert("enum".into(), values.into());
    }
    schema
}

fn schema_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Null => "null",
        Kind::Boolean => "boolean",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::String => "string",
        Kind::Array => "array",
        Kind::Object => "object",
    }
}

fn type_only(name: &str) -> Map<String, Value> {
    let mut schema = Map::new();
    schema.insert("type".into(), name.into());
    schema
}

/// `type: T` → `type: [T, "null"]`, and `null` among an enum's values.
fn make_nullable(schema: &mut Map<String, Value>) {
    if let Some(ty) = schema.get_mut("type") {
        *ty = json!([ty.clone(), "null"]);
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        values.push(Value::Null);
    }
}

/// `$.key` for plain keys, `$["odd key"]` for the rest.
fn child_path(path: &str, key: &str) -> String {
    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_string()))
    }
}

/// "a", "a and b", "a, b and c".
fn join_and(items: &[String]) -> String {
    match items {
        [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => items.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::{Path, PathBuf};

    use crate::node::Node;
    use crate::render::reserved_names;
    use crate::source::Sources;
    use crate::validate::schema::TypeBuilder;

    const MAX: i64 = MAX_SAFE_INTEGER;

    fn samples(text: &str) -> Vec<Sample> {
        let (samples, problems) = parse_lines(text);
        assert!(problems.is_empty(), "{problems:?}");
        samples
    }

    fn infer_text(text: &str) -> Inference {
        infer(&samples(text)).expect("an inference")
    }

    fn event<'a>(inference: &'a Inference, name: &str) -> &'a InferredEvent {
        let found = inference.events.iter().find(|event| event.name == name);
        found.unwrap_or_else(|| panic!("no event `{name}` in {:?}", inference.events))
    }

    /// The schema of a property of `name`'s payload, by dotted path.
    fn property<'a>(inference: &'a Inference, name: &str, path: &str) -> &'a Value {
        path.split('.')
            .fold(&event(inference, name).schema, |schema, key| {
                &schema["properties"][key]
            })
    }

    fn validator(schema: &Value) -> jsonschema::Validator {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(schema)
            .expect("a valid JSON Schema")
    }

    fn assert_valid(schema: &Value, instance: &Value, line: usize) {
        let errors: Vec<String> = validator(schema)
            .iter_errors(instance)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "line {line}: {instance} against {schema}: {errors:?}"
        );
    }

    /// Every sample's payload (and flat envelope fields) validates against
    /// what was inferred, formats included; so does every example.
    fn assert_samples_validate(samples: &[Sample], inference: &Inference) {
        let detected = detect(samples).expect("an envelope");
        for message in &detected.typed {
            let schema = &event(inference, message.name).schema;
            let payload = payload_of(message.message, &detected.envelope, &detected.own_keys);
            assert_valid(schema, &payload, message.line);
            if let EnvelopeGuess::Flat {
                fields: Some(fields),
                ..
            } = &inference.envelope
            {
                assert_valid(
                    fields,
                    &Value::Object(message.message.clone()),
                    message.line,
                );
            }
        }
        for event in &inference.events {
            event
                .examples
                .iter()
                .for_each(|example| assert_valid(&event.schema, example, 0));
        }
    }

    /// The rules eventcat's own schema validator reports for `schema`.
    fn eventcat_rules(schema: &Value) -> Vec<&'static str> {
        let text = serde_json::to_string_pretty(schema).unwrap();
        let mut sources = Sources::new(Path::new("/"));
        let file = sources.add(Path::new("/payload.json"), text.clone());
        let node: Node = serde_saphyr::from_str(&text).unwrap();
        let mut builder = TypeBuilder::new(&sources, None, reserved_names("Samples"));
        builder.payload(file, &node, "SamplePayload");
        let (_, diagnostics) = builder.finish();
        diagnostics
            .iter()
            .map(|diagnostic| diagnostic.rule)
            .collect()
    }

    /// How many `{}` schemas, left for the user to write, `schema` holds.
    fn unknown_schemas(schema: &Value) -> usize {
        let Some(map) = schema.as_object() else {
            return 0;
        };
        if map.is_empty() {
            return 1;
        }
        let properties = map.get("properties").and_then(Value::as_object);
        let nested = properties.map_or(0, |p| p.values().map(unknown_schemas).sum());
        let additional = map.get("additionalProperties").filter(|v| v.is_object());
        nested + map.get("items").map_or(0, unknown_schemas) + additional.map_or(0, unknown_schemas)
    }

    /// eventcat accepts every inferred schema as it is: a `{}` left for
    /// the user (reported by init) is any JSON until they narrow it.
    fn assert_eventcat_accepts(inference: &Inference) {
        for event in &inference.events {
            let rules = eventcat_rules(&event.schema);
            let context = format!("{}: {rules:?} in {}", event.name, event.schema);
            assert!(rules.is_empty(), "{context}");
        }
        if let EnvelopeGuess::Flat {
            fields: Some(fields),
            ..
        } = &inference.envelope
        {
            assert_eq!(eventcat_rules(fields), Vec::<&str>::new(), "{fields}");
        }
    }

    fn check_everything(text: &str) -> Inference {
        let samples = samples(text);
        let inference = infer(&samples).expect("an inference");
        assert_samples_validate(&samples, &inference);
        assert_eventcat_accepts(&inference);
        inference
    }

    fn int(minimum: i64) -> Value {
        json!({"type": "integer", "minimum": minimum, "maximum": MAX})
    }

    #[test]
    fn parse_lines_skips_blank_lines_and_reports_bad_ones_by_line() {
        let text = "\u{feff}\n{\"type\":\"a\"}\r\nnot json\n[1, 2]\n   \r\n{\"type\":\"b\"}\r";
        let (samples, problems) = parse_lines(text);
        let lines: Vec<usize> = samples.iter().map(|s| s.line).collect();
        assert_eq!(lines, [2, 6]);
        assert_eq!(samples[1].message, json!({"type": "b"}));
        let lines: Vec<Option<usize>> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(3), Some(4)]);
        assert!(
            problems[0]
                .message
                .starts_with("this line is not JSON (expected ident at column 2)"),
            "{}",
            problems[0]
        );
        assert!(
            problems[1]
                .message
                .starts_with("this line is an array, not a message"),
            "{}",
            problems[1]
        );
    }

    #[test]
    fn seed_000_style_adjacent_envelope_with_a_version() {
        let inference = check_everything(
            "{\"protocol_version\":1,\"event_type\":\"task_created\",\"payload\":{\"task_id\":1}}\n\
             {\"protocol_version\":1,\"event_type\":\"task_created\",\"payload\":{\"task_id\":2}}\n\
             {\"protocol_version\":1,\"event_type\":\"task_deleted\",\"payload\":{\"task_id\":2}}",
        );
        let expected = EnvelopeGuess::Adjacent {
            version_field: Some("protocol_version".into()),
            protocol_version: Some(1),
            type_field: "event_type".into(),
            payload_field: "payload".into(),
            omit_empty_payload: false,
        };
        assert_eq!(inference.envelope, expected);
        let names: Vec<&str> = inference.events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["task_created", "task_deleted"]);
        let created = event(&inference, "task_created");
        let schema = json!({"type": "object", "additionalProperties": false,
            "required": ["task_id"], "properties": {"task_id": int(1)}});
        assert_eq!(created.schema, schema);
        assert_eq!(
            created.examples,
            [json!({"task_id": 1}), json!({"task_id": 2})]
        );
        assert_eq!(created.lines, [1, 2]);
        assert!(inference.problems.is_empty(), "{:?}", inference.problems);
    }

    #[test]
    fn omitted_empty_payloads_and_data_fields_are_adjacent() {
        let inference = check_everything(
            "{\"type\":\"get_state\"}\n\
             {\"type\":\"move_card\",\"payload\":{\"cardId\":\"card-2\",\"toIndex\":0}}\n\
             {\"type\":\"ping\",\"payload\":{\"ts\":\"2025-11-08T14:30:50.000Z\"}}\n\
             {\"type\":\"ping\"}",
        );
        let expected = EnvelopeGuess::Adjacent {
            version_field: None,
            protocol_version: None,
            type_field: "type".into(),
            payload_field: "payload".into(),
            omit_empty_payload: true,
        };
        assert_eq!(inference.envelope, expected);
        let empty = json!({"type": "object", "additionalProperties": false, "properties": {}});
        assert_eq!(event(&inference, "get_state").schema, empty);
        assert_eq!(event(&inference, "get_state").examples, [json!({})]);
        let ping = &event(&inference, "ping").schema;
        assert_eq!(ping["required"], Value::Null, "ts is optional: {ping}");
        assert_eq!(
            ping["properties"]["ts"],
            json!({"type": "string", "format": "date-time"})
        );

        let versioned = infer_text(
            "{\"v\":2,\"event\":\"a\",\"data\":{\"n\":-1}}\n{\"v\":2,\"event\":\"b\",\"data\":{}}",
        );
        let expected = EnvelopeGuess::Adjacent {
            version_field: Some("v".into()),
            protocol_version: Some(2),
            type_field: "event".into(),
            payload_field: "data".into(),
            omit_empty_payload: false,
        };
        assert_eq!(versioned.envelope, expected);
        assert_eq!(property(&versioned, "a", "n"), &int(-MAX));
    }

    #[test]
    fn flat_envelopes_own_the_keys_every_type_carries() {
        let inference = check_everything(
            "{\"type\":\"agent_started\",\"project_id\":3,\"timestamp\":\"2026-01-01T00:00:00Z\",\"agent_id\":\"a\"}\n\
             {\"type\":\"agent_stopped\",\"project_id\":3,\"timestamp\":\"2026-01-01T00:01:00Z\",\"agent_id\":\"a\",\"reason\":\"done\"}\n\
             {\"type\":\"progress\",\"project_id\":4,\"timestamp\":\"2026-01-01T00:02:00Z\",\"percent\":50}",
        );
        let fields = json!({"type": "object", "required": ["project_id", "timestamp"], "properties": {
            "project_id": int(1), "timestamp": {"type": "string", "format": "date-time"}}});
        let expected = EnvelopeGuess::Flat {
            type_field: "type".into(),
            fields: Some(fields),
        };
        assert_eq!(inference.envelope, expected);
        let started = event(&inference, "agent_started");
        assert_eq!(started.examples, [json!({"agent_id": "a"})]);
        assert_eq!(started.schema["required"], json!(["agent_id"]));
        assert_eq!(property(&inference, "progress", "percent"), &int(0));

        let one_type = infer_text("{\"type\":\"tick\",\"n\":1}\n{\"type\":\"tick\",\"n\":2}");
        let expected = EnvelopeGuess::Flat {
            type_field: "type".into(),
            fields: None,
        };
        assert_eq!(one_type.envelope, expected);
        assert_eq!(
            event(&one_type, "tick").examples,
            [json!({"n": 1}), json!({"n": 2})]
        );
    }

    #[test]
    fn keys_absent_somewhere_are_optional_and_null_makes_them_nullable() {
        let inference = check_everything(
            "{\"type\":\"task_updated\",\"payload\":{\"task_id\":1,\"status\":\"open\",\"note\":null,\"phase\":\"a\"}}\n\
             {\"type\":\"task_updated\",\"payload\":{\"task_id\":2,\"status\":\"done\",\"note\":\"x y\"}}\n\
             {\"type\":\"task_updated\",\"payload\":{\"task_id\":3,\"status\":\"open\",\"note\":\"z\",\"done\":true}}\n\
             {\"type\":\"task_updated\",\"payload\":{\"task_id\":4,\"status\":null,\"note\":\"w\",\"done\":null}}",
        );
        let schema = &event(&inference, "task_updated").schema;
        // In the order the keys first appear on the wire.
        assert_eq!(schema["required"], json!(["task_id", "status", "note"]));
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(
            property(&inference, "task_updated", "note"),
            &json!({"type": ["string", "null"]})
        );
        assert_eq!(
            property(&inference, "task_updated", "phase"),
            &json!({"type": "string"})
        );
        assert_eq!(
            property(&inference, "task_updated", "done"),
            &json!({"type": ["boolean", "null"]})
        );
        let status = json!({"type": ["string", "null"], "enum": ["open", "done", null]});
        assert_eq!(property(&inference, "task_updated", "status"), &status);
        assert!(inference.problems.is_empty(), "{:?}", inference.problems);
    }

    #[test]
    fn enums_need_repeated_short_codes_and_never_come_from_ids_or_prose() {
        let payloads = [
            r#"{"level":"info","agent_id":"w-1","task_title":"Fix","pair":"a","unique":"u1","spaced":"a b","many":"m1","clash":"in-progress"}"#,
            r#"{"level":"warn","agent_id":"w-1","task_title":"Fix","pair":"a","unique":"u2","spaced":"a b","many":"m2","clash":"in_progress"}"#,
            r#"{"level":"info","agent_id":"w-1","task_title":"Fix","unique":"u3","spaced":"c d","many":"m3","clash":"in-progress"}"#,
            r#"{"level":"info","many":"m4"}"#,
            r#"{"many":"m5"}"#,
            r#"{"many":"m6"}"#,
            r#"{"many":"m7"}"#,
            r#"{"many":"m1"}"#,
        ];
        let text: Vec<String> = payloads
            .iter()
            .map(|p| format!("{{\"type\":\"log\",\"payload\":{p}}}"))
            .collect();
        let inference = check_everything(&text.join("\n"));
        let level = json!({"type": "string", "enum": ["info", "warn"]});
        assert_eq!(property(&inference, "log", "level"), &level);
        for plain in [
            "agent_id",
            "task_title",
            "pair",
            "unique",
            "spaced",
            "many",
            "clash",
        ] {
            assert_eq!(
                property(&inference, "log", plain),
                &json!({"type": "string"}),
                "{plain}"
            );
        }
    }

    #[test]
    fn integers_are_bounded_to_safe_javascript_numbers() {
        let inference = check_everything(
            "{\"type\":\"n\",\"payload\":{\"task_id\":1,\"user_id\":0,\"count\":0,\"delta\":-2,\"ratio\":1,\"big\":1}}\n\
             {\"type\":\"n\",\"payload\":{\"task_id\":5,\"user_id\":3,\"count\":3,\"delta\":4,\"ratio\":2.5,\"big\":9007199254740993}}",
        );
        assert_eq!(property(&inference, "n", "task_id"), &int(1));
        assert_eq!(property(&inference, "n", "user_id"), &int(0));
        assert_eq!(property(&inference, "n", "count"), &int(0));
        assert_eq!(property(&inference, "n", "delta"), &int(-MAX));
        assert_eq!(
            property(&inference, "n", "ratio"),
            &json!({"type": "number"})
        );
        assert_eq!(property(&inference, "n", "big"), &json!({}));
        let [problem] = inference.problems.as_slice() else {
            panic!("{:?}", inference.problems)
        };
        assert_eq!(problem.line, Some(1));
        assert!(
            problem.message.starts_with(
                "event `n`: `$.big` holds integers beyond ±9007199254740991 (lines 1 and 2)"
            ),
            "{problem}"
        );
    }

    #[test]
    fn string_formats_are_inferred_only_when_every_value_has_them() {
        let inference = check_everything(
            "{\"type\":\"f\",\"payload\":{\"at\":\"2025-11-08T14:30:45.123Z\",\"day\":\"2025-11-08\",\"uid\":\"123e4567-e89b-12d3-a456-426614174000\",\"when\":\"2025-11-08\"}}\n\
             {\"type\":\"f\",\"payload\":{\"at\":\"2025-11-08T14:30:45+02:00\",\"day\":\"2024-02-29\",\"uid\":\"00000000-0000-0000-0000-000000000000\",\"when\":\"2025-11-08T00:00:00Z\"}}",
        );
        let format = |key: &str| property(&inference, "f", key)["format"].clone();
        assert_eq!(format("at"), json!("date-time"));
        assert_eq!(format("day"), json!("date"));
        assert_eq!(format("uid"), json!("uuid"));
        assert_eq!(
            property(&inference, "f", "when"),
            &json!({"type": "string"})
        );
    }

    #[test]
    fn nested_objects_and_arrays_recurse() {
        let inference = check_everything(
            "{\"type\":\"todos\",\"payload\":{\"todos\":{\"total\":2,\"items\":[{\"id\":\"t1\",\"status\":\"done\"},{\"id\":\"t2\",\"status\":\"open\",\"note\":\"x\"}]},\"tags\":[\"a\",\"b\"],\"grid\":[[1,2],[]]}}\n\
             {\"type\":\"todos\",\"payload\":{\"todos\":{\"total\":1,\"items\":[{\"id\":\"t3\",\"status\":\"done\"}]},\"tags\":[]}}",
        );
        let todos = property(&inference, "todos", "todos");
        assert_eq!(todos["required"], json!(["total", "items"]));
        let item = &todos["properties"]["items"]["items"];
        assert_eq!(item["required"], json!(["id", "status"]));
        assert_eq!(
            item["properties"]["status"],
            json!({"type": "string", "enum": ["done", "open"]})
        );
        assert_eq!(item["properties"]["id"], json!({"type": "string"}));
        assert_eq!(
            property(&inference, "todos", "tags"),
            &json!({"type": "array", "items": {"type": "string"}})
        );
        let grid = json!({"type": "array", "items": {"type": "array", "items": int(1)}});
        assert_eq!(property(&inference, "todos", "grid"), &grid);
        assert_eq!(
            event(&inference, "todos").schema["required"],
            json!(["todos", "tags"])
        );
    }

    #[test]
    fn maps_keyed_by_their_values_ids_become_maps() {
        let inference = check_everything(
            r#"{"type":"state","payload":{"columns":{"col-backlog":{"id":"col-backlog","cardIds":["card-2"]},"col-done":{"id":"col-done","cardIds":[]}},"owner":{"id":"owner","n":1}}}"#,
        );
        let column = json!({"type": "object", "additionalProperties": false,
            "required": ["id", "cardIds"], "properties": {
                "id": {"type": "string"}, "cardIds": {"type": "array", "items": {"type": "string"}}}});
        let columns = json!({"type": "object", "additionalProperties": column});
        assert_eq!(property(&inference, "state", "columns"), &columns);
        assert_eq!(
            property(&inference, "state", "owner")["required"],
            json!(["id", "n"])
        );
    }

    #[test]
    fn what_samples_cannot_settle_is_reported_and_left_empty() {
        let inference = check_everything(
            "{\"type\":\"x\",\"payload\":{\"mixed\":\"a\",\"only_null\":null,\"empty\":[],\"blank\":{},\"nested\":{\"deep\":1},\"odd key\":[1]}}\n\
             {\"type\":\"x\",\"payload\":{\"mixed\":{\"a\":1},\"only_null\":null,\"empty\":[],\"blank\":{},\"nested\":{\"deep\":\"s\"},\"odd key\":[true]}}",
        );
        for path in ["mixed", "only_null", "blank", "nested.deep"] {
            assert_eq!(property(&inference, "x", path), &json!({}), "{path}");
        }
        assert_eq!(
            property(&inference, "x", "empty"),
            &json!({"type": "array", "items": {}})
        );
        assert_eq!(
            property(&inference, "x", "odd key"),
            &json!({"type": "array", "items": {}})
        );
        let messages: Vec<&str> = inference
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        let expected = [
            "event `x`: `$.blank` is only ever an empty object (lines 1 and 2);",
            "event `x`: `$.empty[*]` is unknown: `$.empty` is only ever an empty array (lines 1 and 2);",
            "event `x`: `$.mixed` is a string (line 1) and an object (line 2);",
            "event `x`: `$.nested.deep` is an integer (line 1) and a string (line 2);",
            "event `x`: `$[\"odd key\"][*]` is an integer (line 1) and a boolean (line 2);",
            "event `x`: `$.only_null` is only ever `null` (lines 1 and 2);",
        ];
        assert_eq!(messages.len(), expected.len(), "{messages:#?}");
        for start in expected {
            assert!(
                messages.iter().any(|m| m.starts_with(start)),
                "{start} not in {messages:#?}"
            );
        }
        assert!(
            messages.iter().all(|m| m.contains("left as `{}`")),
            "{messages:#?}"
        );
    }

    #[test]
    fn examples_are_distinct_payloads_at_most_three() {
        let payloads = [
            r#"{"n":1}"#,
            r#"{"n":1}"#,
            r#"{"n":2}"#,
            r#"{"n":3}"#,
            r#"{"n":4}"#,
        ];
        let text: Vec<String> = payloads
            .iter()
            .map(|p| format!("{{\"type\":\"e\",\"payload\":{p}}}"))
            .collect();
        let inference = infer_text(&text.join("\n"));
        let e = event(&inference, "e");
        assert_eq!(
            e.examples,
            [json!({"n": 1}), json!({"n": 2}), json!({"n": 3})]
        );
        assert_eq!(e.lines, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn messages_without_a_usable_type_are_problems_unless_none_has_one() {
        let inference = infer_text(
            "{\"type\":\"a\",\"payload\":{}}\n{\"payload\":{}}\n{\"type\":3,\"payload\":{}}",
        );
        assert_eq!(inference.events.len(), 1);
        let lines: Vec<Option<usize>> = inference.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(2), Some(3)]);
        assert!(
            inference.problems[0].message.contains("it has no `type`"),
            "{}",
            inference.problems[0]
        );
        assert!(
            inference.problems[1]
                .message
                .contains("its `type` is an integer"),
            "{}",
            inference.problems[1]
        );

        let replay = infer_text(
            "{\"type\":\"board.event\",\"event_type\":\"a\",\"payload\":{},\"seq\":1}\n\
             {\"type\":\"board.event\",\"event_type\":\"b\",\"payload\":{}}\n\
             {\"type\":\"board.event\",\"payload\":{}}",
        );
        let names: Vec<&str> = replay.events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(replay.problems[0].line, Some(3));
        let extras = &replay.problems[1].message;
        assert!(
            extras.starts_with("messages carry `seq` (line 1), `type` (line 1) beside"),
            "{extras}"
        );

        assert!(infer(&samples("{\"payload\":{}}\n{\"type\":1}")).is_err());
        let none = infer(&[]).unwrap_err();
        assert!(none.message.starts_with("there are no messages"), "{none}");
    }

    #[test]
    fn deep_nesting_is_reported_without_overflowing() {
        let nested = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        let text = format!(
            "{{\"type\":\"deep\",\"payload\":{{\"a\":{}}}}}\n{{\"type\":\"fine\",\"payload\":{{\"a\":{}}}}}",
            nested(100),
            nested(20)
        );
        let inference = infer_text(&text);
        let [problem] = inference.problems.as_slice() else {
            panic!("{:?}", inference.problems)
        };
        assert!(
            problem
                .message
                .contains("nests deeper than 24 levels (line 1)"),
            "{problem}"
        );
        let deep = event(&inference, "deep");
        assert_eq!(unknown_schemas(&deep.schema), 1, "{}", deep.schema);
        assert!(eventcat_rules(&deep.schema).is_empty());
        assert!(deep.examples.is_empty(), "too deep for an event file");
        assert_eq!(event(&inference, "fine").examples.len(), 1);
        for event in &inference.events {
            // As the event file nests it: events, the event, its payload.
            let file = json!({"events": [{"payload": event.schema, "examples": event.examples}]});
            let read = serde_saphyr::from_str::<Node>(&file.to_string());
            assert!(read.is_ok(), "{}: {read:?}", event.name);
        }

        let (samples, problems) = parse_lines(&format!("{{\"a\":{}}}", nested(500)));
        assert!(samples.is_empty());
        assert_eq!(problems[0].line, Some(1));
    }

    #[test]
    fn the_same_input_gives_the_same_output() {
        let streams: Vec<String> = seed_streams().into_iter().map(|(_, text)| text).collect();
        let samples = samples(&streams.join("\n"));
        let render = |inference: Inference| {
            let schemas: Vec<String> = inference
                .events
                .iter()
                .map(|e| e.schema.to_string())
                .collect();
            format!("{schemas:?}{inference:?}")
        };
        let first = render(infer(&samples).unwrap());
        assert_eq!(first, render(infer(&samples).unwrap()));
    }

    /// Every `*.json` under `dir`, sorted.
    fn json_files(dir: &Path) -> Vec<PathBuf> {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        let nested = entries
            .iter()
            .filter(|path| path.is_dir())
            .flat_map(|dir| json_files(dir));
        let files = entries
            .iter()
            .filter(|path| path.extension().is_some_and(|e| e == "json"));
        files.cloned().chain(nested.collect::<Vec<_>>()).collect()
    }

    /// Each seed channel's recorded messages, one per line.
    fn seed_streams() -> Vec<(PathBuf, String)> {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let mut seeds: Vec<PathBuf> = fs::read_dir(&examples)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        seeds.retain(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seed-00"))
        });
        seeds.sort();
        let mut streams = Vec::new();
        for seed in seeds {
            let mut channels: Vec<PathBuf> = fs::read_dir(seed.join("messages"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            channels.sort();
            for channel in channels {
                let lines: Vec<String> = json_files(&channel)
                    .iter()
                    .map(|file| {
                        serde_json::from_str::<Value>(&fs::read_to_string(file).unwrap())
                            .unwrap()
                            .to_string()
                    })
                    .collect();
                streams.push((channel, lines.join("\n")));
            }
        }
        streams
    }

    #[test]
    fn recorded_seed_messages_validate_against_their_inferred_schemas() {
        let streams = seed_streams();
        assert!(streams.len() >= 5, "{streams:?}");
        for (channel, text) in &streams {
            let samples = samples(text);
            let inference =
                infer(&samples).unwrap_or_else(|p| panic!("{}: {p}", channel.display()));
            assert_samples_validate(&samples, &inference);
            assert_eventcat_accepts(&inference);
            let flat = matches!(inference.envelope, EnvelopeGuess::Flat { .. });
            let seed = channel.display().to_string();
            assert_eq!(
                flat,
                seed.contains("seed-002") || seed.contains("seed-003"),
                "{seed}: {:?}",
                inference.envelope
            );
        }
    }
}
