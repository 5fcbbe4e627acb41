//! The catalog-independent half of an eventcat-generated crate: the
//! metadata and error types, the readers of payload structs and enums, and
//! the reader and writer of the envelope. The channel module holds only what the catalog decides
//! (payload types, the message enums, their names and metadata, and one
//! table per envelope, [`Layout`]) and calls into this module.
//!
//! eventcat writes this module into every crate it generates, word for word;
//! its source is `codegen/support/support.rs` in the eventcat repository,
//! with unit tests beside it. It is copied rather than published as a
//! runtime crate because a generated crate lives in its user's repository:
//! copied, the crate needs nothing but `serde` and `serde_json`, so there is
//! no further crate to publish, pin, vendor or keep at the generator's
//! version, and it builds offline and behind any registry mirror. The copy
//! carries the generated-file header, so `gen` rewrites it and `check`
//! compares it like every other output.
//!
//! The module expects one item of its parent, the crate root: `CHANNEL`,
//! the channel's name, which error messages quote.

// Every crate gets the whole module; a catalog uses only part of it (a
// crate with no flat envelope never calls the flat writer, for instance).
#![allow(dead_code)]

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::CHANNEL;
use super::eventcat_checks::{self as checks, Messages, Schemas, ValidationError};

/// Whether an event is part of the frozen public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stability {
    /// Renaming or removing it is a breaking change.
    Frozen,
    /// May still change.
    Experimental,
}

/// What the catalog says about an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventMetadata {
    /// The wire name.
    pub name: &'static str,
    /// The resource the event is about.
    pub resource: &'static str,
    /// The webhook counterpart, or `None` when WebSocket-only.
    pub webhook: Option<&'static str>,
    /// The version that first shipped the event.
    pub since: &'static str,
    /// Frozen or experimental.
    pub stability: Stability,
    /// Why the name predates the naming rule, if it does.
    pub grandfathered: Option<&'static str>,
    /// Former names the parser still accepts for this event.
    pub aliases: &'static [&'static str],
    /// The deprecation note, if deprecated.
    pub deprecated: Option<&'static str>,
    /// What happened.
    pub description: &'static str,
}

/// An event type this version of the catalog does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEventType(pub String);

impl fmt::Display for UnknownEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown event type `{}` on channel `{}`",
            self.0, CHANNEL
        )
    }
}

impl std::error::Error for UnknownEventType {}

/// Why an envelope could not be read.
#[derive(Debug)]
pub enum EnvelopeError {
    /// The envelope is well-formed but names an event this crate does not know
    /// (a newer server, typically): skip it.
    UnknownEventType(UnknownEventType),
    /// The JSON is malformed or does not match the event's payload type.
    Json(serde_json::Error),
    /// The message breaks a rule of its schema the types cannot express (a
    /// bound, a length, a pattern, a format, a closed object, ...).
    Invalid(ValidationError),
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEventType(error) => error.fmt(f),
            Self::Json(error) => write!(f, "invalid envelope: {error}"),
            Self::Invalid(error) => write!(f, "invalid envelope: {error}"),
        }
    }
}

impl std::error::Error for EnvelopeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::UnknownEventType(error) => Some(error),
            Self::Json(error) => Some(error),
            Self::Invalid(error) => Some(error),
        }
    }
}

/// A struct of the channel module read from a JSON object: what its
/// `Deserialize` impl hands to [`read_object`]. The generated impl names
/// the fields and their slots; the loop over the keys, the lookup of each
/// key and the errors are here, written once.
///
/// Every field has a slot, an `Option` of what the key's value reads as:
/// the field's type for a required field, the type inside the `Option` for
/// an optional one (so `null` is refused, not read as absent), and
/// `Option<T>` for a nullable one (a present `null` is `Some(None)`).
pub trait Object: Sized {
    /// The type's name, as errors quote it.
    const NAME: &'static str;
    /// The fields' wire names, in slot order.
    const FIELDS: &'static [&'static str];
    /// What a key that is not a field does.
    const OTHER_KEYS: OtherKeys = OtherKeys::Refuse;
    /// A tuple with a slot per field.
    type Slots;
    /// Every slot empty.
    const EMPTY: Self::Slots;
    /// Reads the value of field `index` into its slot.
    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// Keeps a key that is not a field, with its value ([`OtherKeys::Keep`]).
    fn keep(slots: &mut Self::Slots, key: String, value: Value) {
        let _ = (slots, key, value);
    }
    /// Builds the value once every key is read; a missing required field
    /// is an error ([`required`]).
    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E>;
}

/// Writes a struct of the channel module, as serde's derived `Serialize`
/// would: the generated impl hands each field to the writer, which keeps
/// the first error and returns it from [`Writer::end`]. So the impl has no
/// `?` per field, each of which costs the compiler a `match` and an error
/// conversion, in every struct of the catalog.
pub struct Writer<S: SerializeStruct> {
    state: S,
    error: Option<S::Error>,
}

impl<S: SerializeStruct> Writer<S> {
    /// Starts the struct `name` with its `required` fields and one more
    /// for each optional field that is `present`.
    pub fn new<T>(
        serializer: T,
        name: &'static str,
        required: usize,
        present: &[bool],
    ) -> Result<Self, S::Error>
    where
        T: Serializer<SerializeStruct = S, Ok = S::Ok, Error = S::Error>,
    {
        let len = required + present.iter().filter(|present| **present).count();
        let state = serializer.serialize_struct(name, len)?;
        Ok(Writer { state, error: None })
    }

    /// Writes a field that is always there.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            self.error = self.state.serialize_field(key, value).err();
        }
    }

    /// Writes an optional field: its value when it has one, else nothing.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if self.error.is_none() {
            self.error = match value {
                Some(value) => self.state.serialize_field(key, value),
                None => self.state.skip_field(key),
            }
            .err();
        }
    }

    /// Ends the struct, or returns the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.state.end(),
        }
    }
}

/// What reading an [`Object`] does with a key that is not one of its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherKeys {
    /// An error naming the key (`additionalProperties: false`).
    Refuse,
    /// Read and dropped.
    Skip,
    /// Handed to [`Object::keep`] (a struct with a map of the other keys).
    Keep,
}

/// Reads an [`Object`] from a JSON object (never from an array, as a
/// derived `Deserialize` would). Errors read as serde's own: an unknown,
/// repeated or missing field is named.
pub fn read_object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut slots = T::EMPTY;
        while let Some(key) = map.next_key_seed(FieldKey::<T>(PhantomData))? {
            match key {
                ObjectKey::Field(index) => T::read(&mut slots, index, &mut map)?,
                ObjectKey::Other(Some(key)) => T::keep(&mut slots, key, map.next_value()?),
                ObjectKey::Other(None) => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        T::finish(slots)
    }
}

/// A key of an object: a field by its slot, or another key (its name kept
/// only when the object keeps other keys).
enum ObjectKey {
    Field(usize),
    Other(Option<String>),
}

/// Looks a key up among an [`Object`]'s fields as it is read.
struct FieldKey<T>(PhantomData<T>);

impl<'de, T: Object> DeserializeSeed<'de> for FieldKey<T> {
    type Value = ObjectKey;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<ObjectKey, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: Object> Visitor<'de> for FieldKey<T> {
    type Value = ObjectKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<ObjectKey, E> {
        if let Some(index) = T::FIELDS.iter().position(|field| *field == key) {
            return Ok(ObjectKey::Field(index));
        }
        match T::OTHER_KEYS {
            OtherKeys::Refuse => Err(E::unknown_field(key, T::FIELDS)),
            OtherKeys::Skip => Ok(ObjectKey::Other(None)),
            OtherKeys::Keep => Ok(ObjectKey::Other(Some(key.to_owned()))),
        }
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<ObjectKey, E> {
        self.visit_str(&String::from_utf8_lossy(key))
    }
}

/// Reads a field's value into its slot; a field given twice is an error.
pub fn read_field<'de, T, A>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required field; absent, it is an error that names it.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// A fieldless enum of the channel module read from a JSON string: what
/// its `Deserialize` impl hands to [`read_string_enum`].
pub trait StringEnum: Sized + Copy + 'static {
    /// The type's name, as errors quote it.
    const NAME: &'static str;
    /// The wire values, in variant order.
    const VALUES: &'static [&'static str];
    /// The variants, in the same order.
    const VARIANTS: &'static [Self];
}

/// Reads a [`StringEnum`] from one of its wire values; any other string is
/// an error that names it and lists the values, as serde's own says it.
pub fn read_string_enum<'de, T: StringEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(StringEnumVisitor(PhantomData))
}

struct StringEnumVisitor<T>(PhantomData<T>);

impl<T: StringEnum> Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", T::NAME)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        T::VALUES
            .iter()
            .zip(T::VARIANTS)
            .find(|(known, _)| **known == value)
            .map(|(_, variant)| *variant)
            .ok_or_else(|| E::unknown_variant(value, T::VALUES))
    }
}

/// Reads a message type enum from its wire name (or a former name), with
/// `expecting` as what an error says was expected. An unknown name is an
/// error that names it.
pub fn deserialize_type<'de, T, D>(deserializer: D, expecting: &'static str) -> Result<T, D::Error>
where
    T: FromStr<Err = UnknownEventType>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(TypeVisitor {
        expecting,
        marker: PhantomData,
    })
}

struct TypeVisitor<T> {
    expecting: &'static str,
    marker: PhantomData<T>,
}

impl<T: FromStr<Err = UnknownEventType>> Visitor<'_> for TypeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    // Parsed from the text as it is read: no copy of the name.
    fn visit_str<E: de::Error>(self, name: &str) -> Result<T, E> {
        name.parse().map_err(E::custom)
    }
}

/// How the catalog lays out one envelope (events or commands): the
/// generated crate's per-catalog table for the reader and writer here.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// `event` or `command`, for error messages.
    pub noun: &'static str,
    /// The key of the wire version, if the envelope has one.
    pub version_field: Option<&'static str>,
    /// The key of the message type.
    pub type_field: &'static str,
    /// The key of the payload object, or `None` for a flat envelope, whose
    /// payload fields sit beside the envelope's own keys.
    pub payload_field: Option<&'static str>,
    /// The keys of the envelope's own fields, in catalog order.
    pub fields: &'static [&'static str],
    /// Whether a payload that serializes to `{}` is left out, and a missing
    /// one reads as `{}` (adjacent envelopes only).
    pub omit_empty_payload: bool,
    /// The envelope's text around its version and type name as the writer
    /// lays it out, for the reader of that layout; `None` for a flat
    /// envelope or one with fields of its own, which the general reader reads.
    pub as_written: Option<AsWritten>,
}

/// An adjacent envelope's fixed text as the generated writer lays it out,
/// keys escaped as serde_json escapes them: `{"v":` 1 `,"kind":"` created
/// `","data":` {…} `}` is `before_version`, the version, `before_name`,
/// the name and its closing quote, `before_payload`, the payload and `}`.
#[derive(Debug, Clone, Copy)]
pub struct AsWritten {
    /// `{"<version>":`, or `None` when the envelope has no version.
    pub before_version: Option<&'static str>,
    /// `,"<type>":"` after a version, else `{"<type>":"`.
    pub before_name: &'static str,
    /// `,"<payload>":`, after the quote that ends the name.
    pub before_payload: &'static str,
}

/// What a generated envelope struct tells the reader and writer here.
///
/// `Message` is the message enum: one newtype variant per message, in the
/// order of its type enum's variants; its [`MessageEnum`] matches are the
/// per-message dispatch the writer and reader use.
pub trait Envelope: Sized {
    /// The message enum, e.g. `BoardEvent`.
    type Message: MessageEnum;
    /// The envelope's own fields, or [`NoFields`].
    type Fields: Serialize + DeserializeOwned;
    /// The keys and options of the envelope.
    const LAYOUT: Layout;

    /// Builds the envelope from what was read; `version` is 0 when the
    /// layout has no version field.
    fn assemble(version: u32, fields: Self::Fields, message: Self::Message) -> Self;
    /// Checks a message's JSON against the envelope's and its payload's
    /// schemas; a message of an unknown type passes (it is skipped later).
    fn validate(message: &Value) -> Result<(), ValidationError> {
        let (schemas, messages) = Self::checks();
        checks::check_message(message, schemas, messages)
    }
    /// Whether the envelope passes those schemas, judged from the typed
    /// value: its own fields, then its payload's generated `holds`. What
    /// the types guarantee (a known type, an integer version) is not
    /// checked again; `false` sends a caller to `validate` to learn why.
    fn passes(&self) -> bool {
        let (schemas, messages) = Self::checks();
        let fields_pass = match messages.fields_check {
            Some(fields) => schemas.value_holds(fields, self.fields()),
            None => true,
        };
        fields_pass && Self::message_holds(self.message())
    }
    /// The crate's schemas and this family's layout of them.
    fn checks() -> (&'static Schemas, &'static Messages);
    /// Whether a message's payload passes its schema (the message enum's
    /// generated `holds`).
    fn message_holds(message: &Self::Message) -> bool;
    /// The wire version; only called when the layout has a version field.
    fn version(&self) -> u32 {
        0
    }
    /// The envelope's own fields.
    fn fields(&self) -> &Self::Fields;
    /// The message with its payload.
    fn message(&self) -> &Self::Message;
}

/// The `Fields` of an envelope without fields of its own: writes nothing,
/// reads from anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoFields;

impl Serialize for NoFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_struct("NoFields", 0)?.end()
    }
}

impl<'de> Deserialize<'de> for NoFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_ignored_any(IgnoredAny)?;
        Ok(NoFields)
    }
}

/// Writes an envelope: the version, the type, the envelope's own fields,
/// then the payload (under its key, or its fields beside the others in a
/// flat envelope), keeping each struct's field order.
pub fn serialize<E: Envelope, S: Serializer>(
    envelope: &E,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let layout = E::LAYOUT;
    let message = envelope.message();
    let mut map = serializer.serialize_map(None)?;
    if let Some(field) = layout.version_field {
        map.serialize_entry(field, &envelope.version())?;
    }
    let message_type = message.message_type();
    map.serialize_entry(layout.type_field, E::Message::type_name(message_type))?;
    envelope
        .fields()
        .serialize(FlatWriter(&mut Entries(&mut map)))?;
    message.write_payload(PayloadWriter {
        layout: &layout,
        map: &mut map,
    })?;
    map.end()
}

/// Reads an envelope, checked against its schemas too. An unknown
/// message type is [`EnvelopeError::UnknownEventType`], so a reader can skip
/// messages that a newer peer sends.
pub fn from_json<E: Envelope>(text: &str) -> Result<E, EnvelopeError> {
    // One typed read (of the layout the writers make, when the text has
    // it, else of any layout), which refuses repeated keys, unknown keys
    // where the schema closes an object, and every value its type cannot
    // hold; then the generated typed checks ([`Envelope::passes`]) for what
    // the types cannot say. A message they are not sure of is parsed
    // again, as JSON, for the check that names the failure.
    let envelope = match read_as_written::<E>(text) {
        Some(envelope) => envelope,
        None => read_any_layout::<E>(text)?,
    };
    if envelope.passes() {
        return Ok(envelope);
    }
    let value: Value = serde_json::from_str(text).map_err(EnvelopeError::Json)?;
    E::validate(&value).map_err(EnvelopeError::Invalid)?;
    Ok(envelope)
}

/// Reads an envelope in any layout (keys in any order, the payload before
/// the type); an unknown type is [`EnvelopeError::UnknownEventType`].
fn read_any_layout<E: Envelope>(text: &str) -> Result<E, EnvelopeError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = Read::<E>::deserialize(&mut deserializer)
        .and_then(|read| deserializer.end().map(|()| read));
    match read {
        Ok(Read::Known(envelope)) => Ok(envelope),
        Ok(Read::Unknown(name)) => Err(EnvelopeError::UnknownEventType(UnknownEventType(name))),
        Err(error) => Err(EnvelopeError::Json(error)),
    }
}

/// Reads an adjacent envelope without fields of its own laid out as the
/// writers eventcat generates lay it out ([`AsWritten`]): `{"<version>":<n>,
/// "<type>":"<name>","<payload>":<payload>}`, JSON whitespace allowed
/// between the tokens. The fixed text and the name are matched as bytes
/// and only the payload goes through serde, which is most of the cost of a
/// small message. Any other message (keys in another order or escaped
/// otherwise, an unknown type, a payload that fails to read) gives `None`,
/// and the general reader takes it, and reports it: whatever this reads,
/// the general reader reads the same.
pub(crate) fn read_as_written<E: Envelope>(text: &str) -> Option<E> {
    let written = E::LAYOUT.as_written?;
    let mut rest = Written { text, at: 0 };
    let version = match written.before_version {
        Some(before) => {
            rest.literal(before)?;
            rest.version()?
        }
        None => 0,
    };
    rest.literal(written.before_name)?;
    let known: TypeOf<E> = rest.rest_of_string()?.parse().ok()?;
    rest.literal(written.before_payload)?;
    let payload = rest.before_closing_brace()?;
    // serde_json refuses nesting past 128 levels, counted from the start
    // of the text it reads: read alone, the payload would be allowed one
    // more level than inside the envelope. Bracket bytes bound the depth.
    if !has_fewer_brackets(payload, 127) {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(payload);
    let message = PayloadSeed::<E::Message>(known)
        .deserialize(&mut deserializer)
        .ok()?;
    deserializer.end().ok()?;
    let fields = no_fields::<E::Fields, serde_json::Error>().ok()?;
    Some(E::assemble(version, fields, message))
}

/// The envelope's own fields when none came (most envelopes have none):
/// read from an empty map, without building a `Value` to read them from.
fn no_fields<F: DeserializeOwned, Error: de::Error>() -> Result<F, Error> {
    let empty = std::iter::empty::<(&str, ())>();
    F::deserialize(de::value::MapDeserializer::<_, Error>::new(empty))
}

/// An envelope's text and how much of it [`read_as_written`] has matched.
/// It matches whole UTF-8 texts and ASCII bytes, so `at` is always at a
/// character boundary.
struct Written<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Written<'a> {
    /// The next byte, after any JSON whitespace.
    fn next_byte(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.at) {
            self.at += 1;
        }
        bytes.get(self.at).copied()
    }

    /// Takes `literal`, a piece of [`AsWritten`]: as it is, in one
    /// comparison, else with JSON whitespace before any of its bytes that
    /// is not inside a string.
    fn literal(&mut self, literal: &str) -> Option<()> {
        let rest = self.text.as_bytes().get(self.at..)?;
        if rest.starts_with(literal.as_bytes()) {
            self.at += literal.len();
            return Some(());
        }
        let (mut in_string, mut escaped) = (false, false);
        for &expected in literal.as_bytes() {
            if !in_string {
                self.next_byte()?;
            }
            (self.text.as_bytes().get(self.at) == Some(&expected)).then(|| self.at += 1)?;
            match expected {
                _ if escaped => escaped = false,
                b'\\' => escaped = in_string,
                b'"' => in_string = !in_string,
                _ => {}
            }
        }
        Some(())
    }

    /// Takes the rest of a string and its closing quote, and gives what it
    /// held up to that quote. A string with an escape gives text with a
    /// backslash (or cut at an escaped quote), and wire names are letters,
    /// digits and underscores, so the caller's lookup leaves such a message
    /// to the general reader.
    fn rest_of_string(&mut self) -> Option<&'a str> {
        let start = self.at;
        let length = memchr::memchr(b'"', self.text.as_bytes().get(start..)?)?;
        self.at = start + length + 1;
        self.text.get(start..start + length)
    }

    /// Takes the version: digits without a leading zero, within `u32`.
    fn version(&mut self) -> Option<u32> {
        let first = self.next_byte()?;
        let mut version: u32 = 0;
        while let Some(&byte @ b'0'..=b'9') = self.text.as_bytes().get(self.at) {
            version = version
                .checked_mul(10)?
                .checked_add(u32::from(byte - b'0'))?;
            self.at += 1;
            if first == b'0' {
                break;
            }
        }
        first.is_ascii_digit().then_some(version)
    }

    /// What is left before the envelope's closing brace and any whitespace
    /// after it.
    fn before_closing_brace(&self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let mut end = bytes.len();
        while end > self.at && matches!(bytes[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
            end -= 1;
        }
        (end > self.at && bytes[end - 1] == b'}').then_some(())?;
        self.text.get(self.at..end - 1)
    }
}

/// Whether `text` has fewer than `limit` opening brackets, when it is long
/// enough to have that many. The bytes are counted 64 at a time into a
/// `u8`, which the compiler vectorizes (`[` and `{` differ in one bit).
fn has_fewer_brackets(text: &str, limit: usize) -> bool {
    if text.len() < limit {
        return true;
    }
    let count = |bytes: &[u8]| -> usize {
        let in_block: u8 = bytes
            .iter()
            .map(|&byte| u8::from(byte | 0x20 == b'{'))
            .sum();
        usize::from(in_block)
    };
    let blocks = text.as_bytes().chunks_exact(64);
    let rest = count(blocks.remainder());
    blocks.map(count).sum::<usize>() + rest < limit
}

/// Writes an envelope as compact JSON. In debug builds it first checks the
/// message against its schemas, so an emitter's tests catch a payload the
/// catalog forbids (a release build trusts the types and skips the check).
pub fn to_json<E: Envelope + Serialize>(envelope: &E) -> Result<String, serde_json::Error> {
    if cfg!(debug_assertions) && !envelope.passes() {
        let value = serde_json::to_value(envelope)?;
        E::validate(&value).map_err(ser::Error::custom)?;
    }
    serde_json::to_string(envelope)
}

/// Reads an envelope with any deserializer; an unknown message type is an
/// error that names it.
pub fn deserialize<'de, E: Envelope, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    match Read::<E>::deserialize(deserializer)? {
        Read::Known(envelope) => Ok(envelope),
        Read::Unknown(name) => Err(de::Error::custom(UnknownEventType(name))),
    }
}

/// Whether `theirs` is a `T` equal to `payload`: a message enum's
/// `PartialEq` compares each payload with the other message's through
/// this, so it needs one arm per message rather than a match of the pair.
pub fn same<T: PartialEq + 'static>(payload: &T, theirs: &dyn std::any::Any) -> bool {
    theirs.downcast_ref() == Some(payload)
}

/// Builds a message from its type and a JSON payload.
pub fn from_payload<M: MessageEnum>(
    message_type: M::Type,
    payload: Value,
) -> Result<M, serde_json::Error> {
    M::read_payload(message_type, payload)
}

/// Where [`FlatWriter`] puts a struct's fields.
pub trait FieldSink {
    /// The error of the serializer underneath.
    type Error: ser::Error;

    /// Takes one field; fields skipped by `skip_serializing_if` never come.
    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), Self::Error>;
}

/// Sends each field to a map being written, as one entry.
pub struct Entries<'a, M>(pub &'a mut M);

impl<M: SerializeMap> FieldSink for Entries<'_, M> {
    type Error = M::Error;

    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }
}

/// Writes a message's payload into an envelope being written, as the
/// layout says: under its key, left out when empty and the layout allows
/// it, or its fields beside the envelope's own in a flat envelope.
struct PayloadWriter<'a, M> {
    layout: &'a Layout,
    map: &'a mut M,
}

impl<M: SerializeMap> PayloadSink for PayloadWriter<'_, M> {
    type Ok = ();
    type Error = M::Error;

    fn write<T: ?Sized + Serialize>(self, payload: &T) -> Result<(), M::Error> {
        match self.layout.payload_field {
            None => payload.serialize(FlatWriter(&mut Entries(&mut *self.map))),
            Some(_) if self.layout.omit_empty_payload && is_empty_struct(payload) => Ok(()),
            Some(field) => self.map.serialize_entry(field, payload),
        }
    }
}

/// Whether a value serializes as a struct with no fields, e.g. a payload
/// whose fields are all optional and absent (what serializes to `{}`).
pub fn is_empty_struct<T: ?Sized + Serialize>(value: &T) -> bool {
    let mut count = FieldCount(0);
    value.serialize(FlatWriter(&mut count)).is_ok() && count.0 == 0
}

/// Counts fields without writing them.
struct FieldCount(usize);

impl FieldSink for FieldCount {
    type Error = fmt::Error;

    fn field<T: ?Sized + Serialize>(&mut self, _: &str, _: &T) -> Result<(), fmt::Error> {
        self.0 += 1;
        Ok(())
    }
}

/// A serializer that takes only structs and hands each field to a
/// [`FieldSink`]: a flat envelope's payload and an envelope's own fields
/// are written straight into the envelope's map this way, in the struct's
/// field order and without a detour through `serde_json::Value`. A struct
/// that keeps unknown keys (a `#[serde(flatten)]` map) serializes as a map
/// of unknown length and is taken too, entry by entry. Anything else,
/// including a map of known length (a map or JSON object value), is
/// refused with [`not_an_object`].
pub struct FlatWriter<'a, S>(pub &'a mut S);

/// The entries of a struct with flattened keys, handed to the sink as fields.
pub struct FlatEntries<'a, S> {
    sink: &'a mut S,
    key: Option<String>,
}

impl<S: FieldSink> SerializeMap for FlatEntries<'_, S> {
    type Ok = ();
    type Error = S::Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), S::Error> {
        self.key = Some(key_text(key)?);
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), S::Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value came without its key"))?;
        self.sink.field(&key, value)
    }

    fn serialize_entry<K: ?Sized + Serialize, V: ?Sized + Serialize>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), S::Error> {
        self.sink.field(&key_text(key)?, value)
    }

    fn end(self) -> Result<(), S::Error> {
        Ok(())
    }
}

/// An object key as text; JSON object keys are strings.
fn key_text<T: ?Sized + Serialize, E: ser::Error>(key: &T) -> Result<String, E> {
    match serde_json::to_value(key) {
        Ok(Value::String(key)) => Ok(key),
        _ => Err(E::custom("an object key must be a string")),
    }
}

/// The error for a value that is no struct where fields are expected.
pub fn not_an_object<E: ser::Error>() -> E {
    E::custom("a flat envelope's payload must be an object")
}

/// The `Serializer` methods of [`FlatWriter`] that refuse their value.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ok, S::Error> {
                Err(not_an_object())
            }
        )*
    };
}

impl<'a, S: FieldSink> Serializer for FlatWriter<'a, S> {
    type Ok = ();
    type Error = S::Error;
    type SerializeSeq = Impossible<(), S::Error>;
    type SerializeTuple = Impossible<(), S::Error>;
    type SerializeTupleStruct = Impossible<(), S::Error>;
    type SerializeTupleVariant = Impossible<(), S::Error>;
    type SerializeMap = FlatEntries<'a, S>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), S::Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, S::Error> {
        Ok(self)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<FlatEntries<'a, S>, S::Error> {
        match len {
            None => Ok(FlatEntries {
                sink: self.0,
                key: None,
            }),
            Some(_) => Err(not_an_object()),
        }
    }

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), S::Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), S::Error> {
        Err(not_an_object())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), S::Error> {
        Err(not_an_object())
    }
}

impl<S: FieldSink> SerializeStruct for FlatWriter<'_, S> {
    type Ok = ();
    type Error = S::Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.field(key, value)
    }

    fn end(self) -> Result<(), S::Error> {
        Ok(())
    }
}

/// An envelope whose message type may be unknown.
enum Read<E> {
    Known(E),
    Unknown(String),
}

impl<'de, E: Envelope> Deserialize<'de> for Read<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

/// The message type, or the unknown name as it was sent.
enum TypeName<T> {
    Known(T),
    Unknown(String),
}

impl<'de, T: FromStr<Err = UnknownEventType>> Deserialize<'de> for TypeName<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TypeNameVisitor(PhantomData))
    }
}

struct TypeNameVisitor<T>(PhantomData<T>);

impl<T: FromStr<Err = UnknownEventType>> Visitor<'_> for TypeNameVisitor<T> {
    type Value = TypeName<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message type name")
    }

    // Known names parse from the text as it is read; only an unknown one is
    // copied, to report it.
    fn visit_str<E: de::Error>(self, name: &str) -> Result<TypeName<T>, E> {
        Ok(match name.parse() {
            Ok(known) => TypeName::Known(known),
            Err(UnknownEventType(name)) => TypeName::Unknown(name),
        })
    }
}

/// One key of an envelope, as its layout names it.
enum Key {
    Version(&'static str),
    Type,
    Payload(&'static str),
    Field(&'static str),
    /// A key of a flat envelope's payload.
    Flat(String),
    /// Any other key of an adjacent envelope.
    Ignored,
}

struct KeySeed<'a>(&'a Layout);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an envelope key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        let layout = self.0;
        Ok(
            if let Some(field) = layout.version_field.filter(|field| *field == key) {
                Key::Version(field)
            } else if key == layout.type_field {
                Key::Type
            } else if let Some(field) = layout.payload_field.filter(|field| *field == key) {
                Key::Payload(field)
            } else if let Some(field) = layout.fields.iter().find(|field| **field == key) {
                Key::Field(field)
            } else if layout.payload_field.is_none() {
                Key::Flat(key.to_string())
            } else {
                Key::Ignored
            },
        )
    }
}

struct EnvelopeVisitor<E>(PhantomData<E>);

impl<'de, E: Envelope> Visitor<'de> for EnvelopeVisitor<E> {
    type Value = Read<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` channel {} envelope", CHANNEL, E::LAYOUT.noun)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<E>, A::Error> {
        use de::Error;
        let layout = E::LAYOUT;
        let mut version: Option<u32> = None;
        let mut fields = Map::new();
        let mut name: Option<TypeName<TypeOf<E>>> = None;
        let mut message: Option<E::Message> = None;
        // An adjacent payload that arrives before the type waits here.
        let mut early_payload: Option<Value> = None;
        let mut skipped_payload = false;
        // A flat envelope's payload fields, beside the envelope's own.
        let mut flat_payload = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed(&layout))? {
            match key {
                Key::Version(field) => {
                    if version.is_some() {
                        return Err(A::Error::duplicate_field(field));
                    }
                    version = Some(map.next_value()?);
                }
                Key::Type => {
                    if name.is_some() {
                        return Err(A::Error::duplicate_field(layout.type_field));
                    }
                    let read: TypeName<TypeOf<E>> = map.next_value()?;
                    if let (TypeName::Known(known), Some(payload)) = (&read, early_payload.take()) {
                        message = Some(
                            E::Message::read_payload(*known, payload).map_err(A::Error::custom)?,
                        );
                    }
                    name = Some(read);
                }
                Key::Payload(field) => {
                    if message.is_some() || early_payload.is_some() || skipped_payload {
                        return Err(A::Error::duplicate_field(field));
                    }
                    match &name {
                        Some(TypeName::Known(known)) => {
                            message = Some(map.next_value_seed(PayloadSeed::<E::Message>(*known))?);
                        }
                        Some(TypeName::Unknown(_)) => {
                            map.next_value::<IgnoredAny>()?;
                            skipped_payload = true;
                        }
                        None => early_payload = Some(map.next_value()?),
                    }
                }
                Key::Field(field) => {
                    if fields
                        .insert(field.to_string(), map.next_value()?)
                        .is_some()
                    {
                        return Err(A::Error::duplicate_field(field));
                    }
                }
                Key::Flat(key) => {
                    if flat_payload.insert(key, map.next_value()?).is_some() {
                        return Err(A::Error::custom("duplicate payload field"));
                    }
                }
                Key::Ignored => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let version = match layout.version_field {
            Some(field) => version.ok_or_else(|| A::Error::missing_field(field))?,
            None => 0,
        };
        let known = match name.ok_or_else(|| A::Error::missing_field(layout.type_field))? {
            TypeName::Unknown(name) => return Ok(Read::Unknown(name)),
            TypeName::Known(known) => known,
        };
        let fields = if fields.is_empty() {
            no_fields::<E::Fields, A::Error>()?
        } else {
            serde_json::from_value(Value::Object(fields)).map_err(A::Error::custom)?
        };
        let message = match (message, layout.payload_field) {
            (Some(message), _) => message,
            (None, None) => E::Message::read_payload(known, Value::Object(flat_payload))
                .map_err(A::Error::custom)?,
            // A missing payload reads as `{}`, which only an all-optional payload accepts.
            (None, Some(field)) if layout.omit_empty_payload => {
                E::Message::read_payload(known, Value::Object(Map::new()))
                    .map_err(|_| A::Error::missing_field(field))?
            }
            (None, Some(field)) => return Err(A::Error::missing_field(field)),
        };
        Ok(Read::Known(E::assemble(version, fields, message)))
    }
}

/// The message type enum of an envelope's message enum.
type TypeOf<E> = <<E as Envelope>::Message as MessageEnum>::Type;

/// A message enum (`BoardEvent`): one variant per message type, each
/// holding its payload. The generated crate writes the two matches that
/// pick a payload by variant and by type; its serde form, the envelope's
/// reader and writer are here.
pub trait MessageEnum: Sized {
    /// The fieldless message type enum, e.g. `BoardEventType`.
    type Type: Copy + FromStr<Err = UnknownEventType>;
    /// The enum's name, as serde's derive would give it to a serializer.
    const NAME: &'static str;
    /// The keys of the enum's own serde form, `{<tag>: <type name>,
    /// <content>: <payload>}`, the adjacently tagged form serde derives.
    const TAG: &'static str;
    /// See [`MessageEnum::TAG`].
    const CONTENT: &'static str;

    /// The type of a message.
    fn message_type(&self) -> Self::Type;
    /// The wire name of a message type.
    fn type_name(message_type: Self::Type) -> &'static str;
    /// The position of a message type among `Type`'s (and so among the
    /// message enum's) variants.
    fn type_index(message_type: Self::Type) -> u32;
    /// Hands the payload to `sink`.
    fn write_payload<W: PayloadSink>(&self, sink: W) -> Result<W::Ok, W::Error>;
    /// Reads the payload of `message_type` into its variant.
    fn read_payload<'de, D: Deserializer<'de>>(
        message_type: Self::Type,
        payload: D,
    ) -> Result<Self, D::Error>;
}

/// Where [`MessageEnum::write_payload`] sends a payload, whatever its type.
pub trait PayloadSink {
    /// What writing gives.
    type Ok;
    /// The error of the serializer underneath.
    type Error;

    /// Writes the payload.
    fn write<T: ?Sized + Serialize>(self, payload: &T) -> Result<Self::Ok, Self::Error>;
}

/// Writes a message enum as serde's derive writes an adjacently tagged
/// enum: a struct of two fields, the type as a unit variant, then the
/// payload.
pub fn write_message<M: MessageEnum, S: Serializer>(
    message: &M,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let message_type = message.message_type();
    let mut object = serializer.serialize_struct(M::NAME, 2)?;
    object.serialize_field(
        M::TAG,
        &UnitVariant {
            enum_name: M::NAME,
            index: M::type_index(message_type),
            name: M::type_name(message_type),
        },
    )?;
    message.write_payload(StructField {
        object: &mut object,
        key: M::CONTENT,
    })?;
    object.end()
}

/// A message type as serde's derive writes an adjacently tagged enum's tag.
struct UnitVariant {
    enum_name: &'static str,
    index: u32,
    name: &'static str,
}

impl Serialize for UnitVariant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant(self.enum_name, self.index, self.name)
    }
}

/// Writes a payload as one field of a struct being written.
struct StructField<'a, S> {
    object: &'a mut S,
    key: &'static str,
}

impl<S: SerializeStruct> PayloadSink for StructField<'_, S> {
    type Ok = ();
    type Error = S::Error;

    fn write<T: ?Sized + Serialize>(self, payload: &T) -> Result<(), S::Error> {
        self.object.serialize_field(self.key, payload)
    }
}

/// Reads a message enum from its own serde form, as serde's derive reads
/// an adjacently tagged enum: the two keys in either order (a payload
/// before its type waits as JSON), other keys ignored, or the sequence
/// `[type, payload]`. Former names of a type are read as its current name.
pub fn read_message<'de, M: MessageEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<M, D::Error> {
    deserializer.deserialize_struct(
        M::NAME,
        &[M::TAG, M::CONTENT],
        MessageVisitor::<M>(PhantomData),
    )
}

struct MessageVisitor<M>(PhantomData<M>);

/// A key of a message enum's serde form.
enum FormKey {
    Tag,
    Content,
    Other,
}

struct FormKeySeed<M>(PhantomData<M>);

impl<'de, M: MessageEnum> DeserializeSeed<'de> for FormKeySeed<M> {
    type Value = FormKey;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FormKey, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<M: MessageEnum> Visitor<'_> for FormKeySeed<M> {
    type Value = FormKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` or `{}`", M::TAG, M::CONTENT)
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<FormKey, E> {
        Ok(if key == M::TAG {
            FormKey::Tag
        } else if key == M::CONTENT {
            FormKey::Content
        } else {
            FormKey::Other
        })
    }
}

/// The known type a name names, or the error that names it.
fn known_type<T, E: de::Error>(name: TypeName<T>) -> Result<T, E> {
    match name {
        TypeName::Known(known) => Ok(known),
        TypeName::Unknown(name) => Err(E::custom(UnknownEventType(name))),
    }
}

impl<'de, M: MessageEnum> Visitor<'de> for MessageVisitor<M> {
    type Value = M;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "adjacently tagged enum {}", M::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
        use de::Error;
        let mut message_type: Option<M::Type> = None;
        let mut message: Option<M> = None;
        let mut early_payload: Option<Value> = None;
        while let Some(key) = map.next_key_seed(FormKeySeed::<M>(PhantomData))? {
            match key {
                FormKey::Tag => {
                    if message_type.is_some() {
                        return Err(A::Error::duplicate_field(M::TAG));
                    }
                    let known = known_type(map.next_value::<TypeName<M::Type>>()?)?;
                    if let Some(payload) = early_payload.take() {
                        message = Some(M::read_payload(known, payload).map_err(A::Error::custom)?);
                    }
                    message_type = Some(known);
                }
                FormKey::Content => {
                    if message.is_some() || early_payload.is_some() {
                        return Err(A::Error::duplicate_field(M::CONTENT));
                    }
                    match message_type {
                        Some(known) => {
                            message = Some(map.next_value_seed(PayloadSeed::<M>(known))?)
                        }
                        None => early_payload = Some(map.next_value()?),
                    }
                }
                FormKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if message_type.is_none() {
            return Err(A::Error::missing_field(M::TAG));
        }
        message.ok_or_else(|| A::Error::missing_field(M::CONTENT))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<M, A::Error> {
        use de::Error;
        let name = seq
            .next_element::<TypeName<M::Type>>()?
            .ok_or_else(|| A::Error::invalid_length(0, &self))?;
        let seed = PayloadSeed::<M>(known_type(name)?);
        seq.next_element_seed(seed)?
            .ok_or_else(|| A::Error::invalid_length(1, &self))
    }
}

/// Reads the payload of a known message type.
struct PayloadSeed<M: MessageEnum>(M::Type);

impl<'de, M: MessageEnum> DeserializeSeed<'de> for PayloadSeed<M> {
    type Value = M;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<M, D::Error> {
        M::read_payload(self.0, deserializer)
    }
}
