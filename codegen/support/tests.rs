//! Unit tests of the support module (`support.rs`), compiled beside it by
//! `codegen/src/render/rust_support.rs` and never copied into a generated
//! crate. The types here stand in for a generated channel module: a message
//! enum with two messages, its type enum, and three envelopes (adjacent with
//! and without leaving empty payloads out, and flat with fields of its own).

use std::str::FromStr;

use serde::de::{self, MapAccess};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::eventcat_checks::{self as checks, Check, JsonType, Messages, PAGE, Schemas, Table};
use super::support::{
    self, AsWritten, Entries, Envelope, EnvelopeError, FlatWriter, Layout, MessageEnum, NoFields,
    UnknownEventType,
};

/// No schemas: these envelopes test reading and writing, and every
/// message passes.
static NO_SCHEMAS: Schemas = Schemas {
    checks: Table(&[]),
    patterns: &[],
    matches: |_, _| true,
};

static NO_MESSAGES: Messages = Messages {
    type_field: "type",
    version_field: None,
    payload_field: None,
    omit_empty_payload: false,
    fields: &[],
    fields_check: None,
    payloads: &[],
};

// The payload structs read and written as a generated crate reads and
// writes them: through `support::Object` and `support::Writer`.
#[derive(Debug, Clone, PartialEq)]
struct Created {
    id: u64,
    parent: Option<Option<u64>>,
}

impl Serialize for Created {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present = [self.parent.is_some()];
        let mut object = support::Writer::new(serializer, "Created", 1, &present)?;
        object.field("id", &self.id);
        object.optional("parent", &self.parent);
        object.end()
    }
}

impl<'de> Deserialize<'de> for Created {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::read_object(deserializer)
    }
}

impl support::Object for Created {
    const NAME: &'static str = "Created";
    const FIELDS: &'static [&'static str] = &["id", "parent"];
    type Slots = (Option<u64>, Option<Option<u64>>);
    const EMPTY: Self::Slots = (None, None);

    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match index {
            0 => support::read_field(&mut slots.0, map, "id"),
            _ => support::read_field(&mut slots.1, map, "parent"),
        }
    }

    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E> {
        Ok(Self {
            id: support::required(slots.0, "id")?,
            parent: slots.1,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Pinged {
    note: Option<String>,
}

impl Serialize for Pinged {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present = [self.note.is_some()];
        let mut object = support::Writer::new(serializer, "Pinged", 0, &present)?;
        object.optional("note", &self.note);
        object.end()
    }
}

impl<'de> Deserialize<'de> for Pinged {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::read_object(deserializer)
    }
}

impl support::Object for Pinged {
    const NAME: &'static str = "Pinged";
    const FIELDS: &'static [&'static str] = &["note"];
    type Slots = (Option<String>,);
    const EMPTY: Self::Slots = (None,);

    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        _: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        support::read_field(&mut slots.0, map, "note")
    }

    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E> {
        Ok(Self { note: slots.0 })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Created,
    Pinged,
}

impl Kind {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Pinged => "pinged",
        }
    }
}

impl FromStr for Kind {
    type Err = UnknownEventType;

    fn from_str(name: &str) -> Result<Self, UnknownEventType> {
        match name {
            "created" | "made" => Ok(Self::Created),
            "pinged" => Ok(Self::Pinged),
            other => Err(UnknownEventType(other.to_string())),
        }
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::deserialize_type(deserializer, "an event type name")
    }
}

// The message enum as a generated crate writes it: `MessageEnum` with one
// arm per message, serde through the support module.
#[derive(Debug, Clone, PartialEq)]
enum Message {
    Created(Created),
    Pinged(Pinged),
}

impl Message {
    fn kind(&self) -> Kind {
        match self {
            Self::Created(_) => Kind::Created,
            Self::Pinged(_) => Kind::Pinged,
        }
    }
}

impl MessageEnum for Message {
    type Type = Kind;
    const NAME: &'static str = "Message";
    const TAG: &'static str = "kind";
    const CONTENT: &'static str = "data";
    fn message_type(&self) -> Kind {
        self.kind()
    }
    fn type_name(kind: Kind) -> &'static str {
        kind.as_str()
    }
    fn type_index(kind: Kind) -> u32 {
        kind as u32
    }
    fn write_payload<W: support::PayloadSink>(&self, sink: W) -> Result<W::Ok, W::Error> {
        match self {
            Self::Created(payload) => sink.write(payload),
            Self::Pinged(payload) => sink.write(payload),
        }
    }
    fn read_payload<'de, D: serde::Deserializer<'de>>(
        kind: Kind,
        payload: D,
    ) -> Result<Self, D::Error> {
        match kind {
            Kind::Created => Created::deserialize(payload).map(Self::Created),
            Kind::Pinged => Pinged::deserialize(payload).map(Self::Pinged),
        }
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        support::write_message(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::read_message(deserializer)
    }
}

/// `Message` with serde's derive, which its support-made form must match.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename = "Message")]
enum DerivedMessage {
    #[serde(rename = "created", alias = "made")]
    Created(Created),
    #[serde(rename = "pinged")]
    Pinged(Pinged),
}

/// `{"v": 1, "kind": <name>, "data": {...}}`, leaving out an empty payload
/// when `OMIT`; with `ODD`, `{"k\"i\\nd": <name>, "da ta": {...}}`: no
/// version, and keys that serde_json escapes.
#[derive(Debug, Clone, PartialEq)]
struct Adjacent<const OMIT: bool, const ODD: bool = false> {
    version: u32,
    message: Message,
}

const PLAIN_LAYOUT: Layout = Layout {
    noun: "event",
    version_field: Some("v"),
    type_field: "kind",
    payload_field: Some("data"),
    fields: &[],
    omit_empty_payload: false,
    as_written: Some(AsWritten {
        before_version: Some(r#"{"v":"#),
        before_name: r#","kind":""#,
        before_payload: r#","data":"#,
    }),
};

const ODD_LAYOUT: Layout = Layout {
    version_field: None,
    type_field: "k\"i\\nd",
    payload_field: Some("da ta"),
    as_written: Some(AsWritten {
        before_version: None,
        before_name: r#"{"k\"i\\nd":""#,
        before_payload: r#","da ta":"#,
    }),
    ..PLAIN_LAYOUT
};

impl<const OMIT: bool, const ODD: bool> Envelope for Adjacent<OMIT, ODD> {
    type Message = Message;
    type Fields = NoFields;

    const LAYOUT: Layout = Layout {
        omit_empty_payload: OMIT,
        ..if ODD { ODD_LAYOUT } else { PLAIN_LAYOUT }
    };

    fn checks() -> (&'static Schemas, &'static Messages) {
        (&NO_SCHEMAS, &NO_MESSAGES)
    }

    // No schemas: every payload holds, as a crate's `holds` says of a
    // payload whose schema has no keywords its types do not guarantee.
    fn message_holds(_: &Message) -> bool {
        true
    }
    fn assemble(version: u32, _: NoFields, message: Message) -> Self {
        Self { version, message }
    }

    fn version(&self) -> u32 {
        self.version
    }

    fn fields(&self) -> &NoFields {
        &NoFields
    }

    fn message(&self) -> &Message {
        &self.message
    }
}

impl<const OMIT: bool, const ODD: bool> Serialize for Adjacent<OMIT, ODD> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        support::serialize(self, serializer)
    }
}

impl<'de, const OMIT: bool, const ODD: bool> Deserialize<'de> for Adjacent<OMIT, ODD> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::deserialize(deserializer)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Room {
    room: String,
    trace: Option<String>,
}

impl Serialize for Room {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present = [self.trace.is_some()];
        let mut object = support::Writer::new(serializer, "Room", 1, &present)?;
        object.field("room", &self.room);
        object.optional("trace", &self.trace);
        object.end()
    }
}

impl<'de> Deserialize<'de> for Room {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::read_object(deserializer)
    }
}

impl support::Object for Room {
    const NAME: &'static str = "Room";
    const FIELDS: &'static [&'static str] = &["room", "trace"];
    type Slots = (Option<String>, Option<String>);
    const EMPTY: Self::Slots = (None, None);

    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match index {
            0 => support::read_field(&mut slots.0, map, "room"),
            _ => support::read_field(&mut slots.1, map, "trace"),
        }
    }

    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E> {
        Ok(Self {
            room: support::required(slots.0, "room")?,
            trace: slots.1,
        })
    }
}

/// `{"kind": <name>, "room": ..., "trace": ..., <payload fields>}`.
#[derive(Debug, Clone, PartialEq)]
struct Flat {
    fields: Room,
    message: Message,
}

impl Envelope for Flat {
    type Message = Message;
    type Fields = Room;

    const LAYOUT: Layout = Layout {
        noun: "command",
        version_field: None,
        type_field: "kind",
        payload_field: None,
        fields: &["room", "trace"],
        omit_empty_payload: false,
        as_written: None,
    };

    fn checks() -> (&'static Schemas, &'static Messages) {
        (&NO_SCHEMAS, &NO_MESSAGES)
    }

    // No schemas: every payload holds, as a crate's `holds` says of a
    // payload whose schema has no keywords its types do not guarantee.
    fn message_holds(_: &Message) -> bool {
        true
    }
    fn assemble(_: u32, fields: Room, message: Message) -> Self {
        Self { fields, message }
    }

    fn fields(&self) -> &Room {
        &self.fields
    }

    fn message(&self) -> &Message {
        &self.message
    }
}

impl Serialize for Flat {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        support::serialize(self, serializer)
    }
}

fn created(id: u64, parent: Option<Option<u64>>) -> Message {
    Message::Created(Created { id, parent })
}

fn pinged(note: Option<&str>) -> Message {
    Message::Pinged(Pinged {
        note: note.map(str::to_string),
    })
}

fn adjacent(message: Message) -> Adjacent<false> {
    Adjacent {
        version: 1,
        message,
    }
}

fn flat(message: Message, trace: Option<&str>) -> Flat {
    Flat {
        fields: Room {
            room: "r1".to_string(),
            trace: trace.map(str::to_string),
        },
        message,
    }
}

/// The `Json` error's text of a failed read.
fn json_error<E: Envelope>(text: &str) -> String {
    match support::from_json::<E>(text) {
        Err(EnvelopeError::Json(error)) => error.to_string(),
        Err(error) => panic!("not a JSON error for {text}: {error}"),
        Ok(_) => panic!("read {text}"),
    }
}

/// `Created` as serde's derive writes it, for comparison.
#[derive(Serialize)]
struct DerivedCreated {
    id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Option<u64>>,
}

/// A sink that takes `room` bytes, then fails.
struct Full {
    room: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if bytes.len() > self.room {
            return Err(std::io::Error::other("full"));
        }
        self.room -= bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_struct_is_written_as_serdes_derive_writes_it() {
    for parent in [None, Some(None), Some(Some(3))] {
        let ours = serde_json::to_string(&Created { id: 7, parent }).unwrap();
        let derived = serde_json::to_string(&DerivedCreated { id: 7, parent }).unwrap();
        assert_eq!(ours, derived);
    }
    // The first error is the one returned.
    for room in 0..12 {
        let error = serde_json::to_writer(
            Full { room },
            &Created {
                id: 7,
                parent: Some(Some(3)),
            },
        )
        .unwrap_err();
        assert!(error.is_io(), "{error}");
    }
}

#[test]
fn an_adjacent_envelope_writes_version_type_then_payload() {
    let text = serde_json::to_string(&adjacent(created(7, Some(None)))).unwrap();
    assert_eq!(
        text,
        r#"{"v":1,"kind":"created","data":{"id":7,"parent":null}}"#
    );
    let text = serde_json::to_string(&adjacent(pinged(None))).unwrap();
    assert_eq!(text, r#"{"v":1,"kind":"pinged","data":{}}"#);
}

#[test]
fn an_empty_payload_is_left_out_only_when_the_layout_says_so() {
    let omit = |message| Adjacent::<true> {
        version: 2,
        message,
    };
    let text = serde_json::to_string(&omit(pinged(None))).unwrap();
    assert_eq!(text, r#"{"v":2,"kind":"pinged"}"#);
    let text = serde_json::to_string(&omit(pinged(Some("hi")))).unwrap();
    assert_eq!(text, r#"{"v":2,"kind":"pinged","data":{"note":"hi"}}"#);
    let text = serde_json::to_string(&omit(created(1, None))).unwrap();
    assert_eq!(text, r#"{"v":2,"kind":"created","data":{"id":1}}"#);
}

#[test]
fn an_adjacent_envelope_reads_the_payload_before_or_after_the_type() {
    let expected = adjacent(created(7, Some(Some(3))));
    for text in [
        r#"{"v":1,"kind":"created","data":{"id":7,"parent":3}}"#,
        r#"{"data":{"id":7,"parent":3},"kind":"created","v":1}"#,
        r#"{"extra":[1,{"x":2}],"kind":"made","v":1,"data":{"parent":3,"id":7}}"#,
    ] {
        assert_eq!(
            support::from_json::<Adjacent<false>>(text).unwrap(),
            expected,
            "{text}"
        );
        let read: Adjacent<false> = serde_json::from_str(text).unwrap();
        assert_eq!(read, expected, "{text}");
    }
}

#[test]
fn an_envelope_as_the_writers_lay_it_out_is_read_as_the_general_reader_reads_it() {
    let written = serde_json::to_string(&adjacent(created(7, Some(None)))).unwrap();
    let as_written = [
        written.as_str(),
        r#"{"v":1,"kind":"created","data":{"id":7,"parent":3}}"#,
        "{ \"v\" : 1 ,\n\t\"kind\": \"made\", \"data\": {\"id\": 7} }\r\n",
        r#"{"v":4294967295,"kind":"pinged","data":{}}"#,
        r#"{"v":0,"kind":"pinged","data":{"note":"} \"kind\""}}"#,
    ];
    for text in as_written {
        let fast = support::read_as_written::<Adjacent<false>>(text);
        let general: Adjacent<false> = serde_json::from_str(text).unwrap();
        assert_eq!(fast.as_ref(), Some(&general), "{text}");
        assert_eq!(
            support::from_json::<Adjacent<false>>(text).unwrap(),
            general
        );
    }
}

/// Random edits of messages as written: wherever `read_as_written` reads
/// an edited message, the general reader reads the same envelope from it.
#[test]
fn an_edited_message_the_reader_as_written_reads_is_read_alike_by_the_general_reader() {
    let read = edits_read_alike::<Adjacent<false>>(&[
        r#"{"v":1,"kind":"created","data":{"id":7,"parent":3}}"#,
        r#"{"v":12,"kind":"made","data":{"parent":null,"id":0}}"#,
        "{ \"v\" : 1 , \"kind\" : \"pinged\" , \"data\" : { \"note\" : \"a}b\" } }",
        r#"{"v":1,"kind":"pinged","data":{}}"#,
    ]);
    assert!(
        read > 1_000,
        "too few edited messages were read as written: {read}"
    );
    let read = edits_read_alike::<Adjacent<false, true>>(&[
        r#"{"k\"i\\nd":"created","da ta":{"id":7,"parent":3}}"#,
        "{ \"k\\\"i\\\\nd\" : \"pinged\" , \"da ta\" : { } }",
    ]);
    assert!(
        read > 1_000,
        "too few edited odd messages were read as written: {read}"
    );
}

/// Makes 50,000 random edits of `messages` and checks every one
/// `read_as_written` reads against the general reader; how many it read.
fn edits_read_alike<E>(messages: &[&str]) -> usize
where
    E: Envelope + PartialEq + std::fmt::Debug + serde::de::DeserializeOwned,
{
    // Bytes that JSON gives a meaning to, and some of the names' letters.
    let alphabet = b" \t\n{}[]\":,0123456789-.eEadeiklnoprtv\\";
    // xorshift64: the same edits on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut read = 0;
    for round in 0..50_000 {
        let mut bytes = messages[round % messages.len()].as_bytes().to_vec();
        for _ in 0..=random(2) {
            let at = random(bytes.len());
            let byte = alphabet[random(alphabet.len())];
            match random(3) {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, byte),
                _ => bytes[at] = byte,
            }
        }
        let text = String::from_utf8(bytes).expect("ASCII edits of ASCII text");
        if let Some(as_written) = support::read_as_written::<E>(&text) {
            read += 1;
            let general = serde_json::from_str::<E>(&text);
            assert_eq!(general.ok(), Some(as_written), "{text}");
        }
    }
    read
}

#[test]
fn an_envelope_with_keys_serde_json_escapes_is_read_as_written() {
    let envelope = Adjacent::<false, true> {
        version: 0,
        message: created(7, Some(None)),
    };
    let written = serde_json::to_string(&envelope).unwrap();
    assert!(
        written.starts_with(r#"{"k\"i\\nd":"created","da ta":{"#),
        "{written}"
    );
    let spaced = "{ \"k\\\"i\\\\nd\" :\n\"created\" , \"da ta\" : {\"id\":7,\"parent\":null} }";
    for text in [written.as_str(), spaced] {
        let general: Adjacent<false, true> = serde_json::from_str(text).unwrap();
        assert_eq!(general, envelope, "{text}");
        assert_eq!(
            support::read_as_written::<Adjacent<false, true>>(text),
            Some(general),
            "{text}"
        );
    }
    // A key escaped otherwise, or with a space inside it: the general
    // reader's to read or refuse.
    for text in [
        r#"{"k\u0022i\\nd":"created","da ta":{"id":7}}"#,
        r#"{"k\"i\\nd":"created","da  ta":{"id":7}}"#,
        r#"{"k\"i\\ nd":"created","da ta":{"id":7}}"#,
        r#"{"k\"i\\nd":"created"}"#,
    ] {
        assert_eq!(
            support::read_as_written::<Adjacent<false, true>>(text),
            None,
            "{text}"
        );
    }
    assert!(
        serde_json::from_str::<Adjacent<false, true>>(
            r#"{"k\u0022i\\nd":"created","da ta":{"id":7}}"#
        )
        .is_ok()
    );
}

#[test]
fn any_other_envelope_is_left_to_the_general_reader() {
    let deep_note = format!(
        r#"{{"v":1,"kind":"pinged","data":{{"note":"{}"}}}}"#,
        "[".repeat(127)
    );
    let left = [
        // Read by the general reader too.
        r#"{"kind":"created","v":1,"data":{"id":7}}"#,
        r#"{"v":1,"kind":"cre\u0061ted","data":{"id":7}}"#,
        r#"{"v":1,"kind":"created","data":{"id":7},"extra":1}"#,
        r#"{"v":1,"kind":"created","extra":1,"data":{"id":7}}"#,
        // A payload with this many brackets could pass serde_json's nesting
        // limit inside the envelope; the general reader judges it.
        deep_note.as_str(),
        // Refused by the general reader, which says why.
        r#"{"v":01,"kind":"created","data":{"id":7}}"#,
        r#"{"v":1.0,"kind":"created","data":{"id":7}}"#,
        r#"{"v":-1,"kind":"created","data":{"id":7}}"#,
        r#"{"v":4294967296,"kind":"created","data":{"id":7}}"#,
        r#"{"v":1,"kind":"created","data":{"id":"7"}}"#,
        r#"{"v":1,"kind":"created","data":{"id":7,"id":8}}"#,
        r#"{"v":1,"kind":"created","data":{"id":7}}}"#,
        r#"{"v":1,"kind":"created","data":{"id":7}} x"#,
        "{\"v\":1,\"kind\":\"created\",\"data\":{\"id\":7}}\u{a0}",
        r#"{"v":1,"kind":"created","data":{"id":7}"#,
        r#"{"v":1,"kind":"created"}"#,
        // An unknown type: the general reader names it.
        r#"{"v":1,"kind":"exploded","data":{"id":7}}"#,
    ];
    for text in left {
        assert_eq!(
            support::read_as_written::<Adjacent<false>>(text),
            None,
            "{text}"
        );
    }
    assert!(support::from_json::<Adjacent<false>>(&deep_note).is_ok());
    // Without a payload (left out when empty), or with fields of its own.
    let empty = serde_json::to_string(&Adjacent::<true> {
        version: 1,
        message: pinged(None),
    })
    .unwrap();
    assert_eq!(
        support::read_as_written::<Adjacent<true>>(&empty),
        None,
        "{empty}"
    );
    assert!(support::from_json::<Adjacent<true>>(&empty).is_ok());
    let flat = serde_json::to_string(&flat(pinged(Some("n")), None)).unwrap();
    assert_eq!(support::read_as_written::<Flat>(&flat), None, "{flat}");
}

#[test]
fn optional_nullable_fields_keep_absent_and_null_apart() {
    let read = |text| match support::from_json::<Adjacent<false>>(text).unwrap().message {
        Message::Created(created) => created.parent,
        other => panic!("{other:?}"),
    };
    assert_eq!(read(r#"{"v":1,"kind":"created","data":{"id":1}}"#), None);
    assert_eq!(
        read(r#"{"v":1,"kind":"created","data":{"id":1,"parent":null}}"#),
        Some(None)
    );
    assert_eq!(
        read(r#"{"v":1,"kind":"created","data":{"id":1,"parent":4}}"#),
        Some(Some(4))
    );
}

#[test]
fn an_unknown_type_is_reported_with_its_name_and_its_payload_skipped() {
    for text in [
        r#"{"v":1,"kind":"exploded","data":{"anything":[1]}}"#,
        r#"{"v":1,"data":"not even an object","kind":"exploded"}"#,
        r#"{"v":1,"kind":"exploded"}"#,
    ] {
        match support::from_json::<Adjacent<false>>(text) {
            Err(EnvelopeError::UnknownEventType(UnknownEventType(name))) => {
                assert_eq!(name, "exploded", "{text}");
            }
            other => panic!("{text}: {other:?}"),
        }
        let error = serde_json::from_str::<Adjacent<false>>(text).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("unknown event type `exploded` on channel `board`"),
            "{error}"
        );
    }
}

#[test]
fn a_repeated_key_is_an_error() {
    for (text, key) in [
        (r#"{"v":1,"v":1,"kind":"pinged","data":{}}"#, "v"),
        (
            r#"{"v":1,"kind":"pinged","kind":"pinged","data":{}}"#,
            "kind",
        ),
        (r#"{"v":1,"kind":"pinged","data":{},"data":{}}"#, "data"),
        (r#"{"v":1,"data":{},"data":{},"kind":"pinged"}"#, "data"),
        (r#"{"v":1,"kind":"exploded","data":{},"data":{}}"#, "data"),
    ] {
        let error = json_error::<Adjacent<false>>(text);
        assert!(
            error.contains(&format!("duplicate field `{key}`")),
            "{text}: {error}"
        );
    }
}

#[test]
fn a_missing_key_is_an_error_unless_the_payload_may_be_left_out() {
    for (text, key) in [
        (r#"{"kind":"pinged","data":{}}"#, "v"),
        (r#"{"v":1,"data":{}}"#, "kind"),
        (r#"{"v":1,"kind":"pinged"}"#, "data"),
    ] {
        let error = json_error::<Adjacent<false>>(text);
        assert!(
            error.contains(&format!("missing field `{key}`")),
            "{text}: {error}"
        );
    }
    let read = support::from_json::<Adjacent<true>>(r#"{"v":1,"kind":"pinged"}"#).unwrap();
    assert_eq!(read.message, pinged(None));
    // A payload with a required field cannot be left out.
    let error = json_error::<Adjacent<true>>(r#"{"v":1,"kind":"created"}"#);
    assert!(error.contains("missing field `data`"), "{error}");
}

#[test]
fn a_payload_that_does_not_match_its_type_is_an_error() {
    for text in [
        r#"{"v":1,"kind":"created","data":{"id":"seven"}}"#,
        r#"{"data":{"id":"seven"},"kind":"created","v":1}"#,
        r#"{"v":1,"kind":"created","data":{"id":7,"extra":true}}"#,
        r#"{"v":1,"kind":"created","data":"seven"}"#,
    ] {
        json_error::<Adjacent<false>>(text);
    }
    let error = json_error::<Adjacent<false>>(r#"[1,"created",{}]"#);
    assert!(
        error.contains("expected a `board` channel event envelope"),
        "{error}"
    );
    let error = json_error::<Adjacent<false>>(r#"{"v":1,"kind":7,"data":{}}"#);
    assert!(error.contains("expected a message type name"), "{error}");
}

#[test]
fn a_flat_envelope_writes_its_fields_then_the_payloads_in_field_order() {
    let text = serde_json::to_string(&flat(created(7, Some(Some(2))), None)).unwrap();
    assert_eq!(text, r#"{"kind":"created","room":"r1","id":7,"parent":2}"#);
    let text = serde_json::to_string(&flat(pinged(None), Some("t"))).unwrap();
    assert_eq!(text, r#"{"kind":"pinged","room":"r1","trace":"t"}"#);
}

#[test]
fn a_flat_envelope_reads_its_fields_and_the_payloads_beside_them() {
    let read = support::from_json::<Flat>(r#"{"id":7,"room":"r1","kind":"created"}"#).unwrap();
    assert_eq!(read, flat(created(7, None), None));
    let read =
        support::from_json::<Flat>(r#"{"kind":"pinged","trace":"t","note":"n","room":"r1"}"#)
            .unwrap();
    assert_eq!(read, flat(pinged(Some("n")), Some("t")));
    // Every key that is not the envelope's is the payload's.
    let error = json_error::<Flat>(r#"{"kind":"pinged","room":"r1","surprise":1}"#);
    assert!(error.contains("unknown field `surprise`"), "{error}");
    let error = json_error::<Flat>(r#"{"kind":"pinged","room":"r1","note":"a","note":"b"}"#);
    assert!(error.contains("duplicate payload field"), "{error}");
    let error = json_error::<Flat>(r#"{"kind":"pinged","room":"r1","room":"r2"}"#);
    assert!(error.contains("duplicate field `room`"), "{error}");
    let error = json_error::<Flat>(r#"{"kind":"pinged"}"#);
    assert!(error.contains("missing field `room`"), "{error}");
    let error = json_error::<Flat>(r#"[]"#);
    assert!(
        error.contains("expected a `board` channel command envelope"),
        "{error}"
    );
    assert!(matches!(
        support::from_json::<Flat>(r#"{"kind":"gone","whatever":1}"#),
        Err(EnvelopeError::UnknownEventType(UnknownEventType(name))) if name == "gone"
    ));
}

#[test]
fn the_flat_writer_takes_only_structs() {
    use serde::Serializer;
    use serde::ser::SerializeMap;

    let mut map = serde_json::value::Serializer.serialize_map(None).unwrap();
    Room {
        room: "r".to_string(),
        trace: None,
    }
    .serialize(FlatWriter(&mut Entries(&mut map)))
    .unwrap();
    assert_eq!(map.end().unwrap(), json!({"room": "r"}));
    for value in [json!(5), json!([1]), json!({"a": 1}), Value::Null] {
        let mut map = serde_json::value::Serializer.serialize_map(None).unwrap();
        let error = value
            .serialize(FlatWriter(&mut Entries(&mut map)))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "a flat envelope's payload must be an object"
        );
    }
    let mut map = serde_json::value::Serializer.serialize_map(None).unwrap();
    let error = Some(Pinged { note: None })
        .serialize(FlatWriter(&mut Entries(&mut map)))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "a flat envelope's payload must be an object"
    );
}

#[test]
fn the_flat_writer_takes_a_struct_that_keeps_unknown_keys() {
    use serde::Serializer;
    use serde::ser::SerializeMap;

    let open: Open = serde_json::from_str(r#"{"z":1,"id":7,"a":[true]}"#).unwrap();
    let mut map = serde_json::value::Serializer.serialize_map(None).unwrap();
    open.serialize(FlatWriter(&mut Entries(&mut map))).unwrap();
    let written = serde_json::to_string(&map.end().unwrap()).unwrap();
    assert_eq!(written, r#"{"id":7,"z":1,"a":[true]}"#);
    let bare = Open {
        id: 1,
        extra: serde_json::Map::new(),
    };
    assert!(!support::is_empty_struct(&bare));
}

#[test]
fn a_struct_is_empty_when_it_writes_no_field() {
    assert!(support::is_empty_struct(&Pinged { note: None }));
    assert!(support::is_empty_struct(&NoFields));
    assert!(!support::is_empty_struct(&Pinged {
        note: Some(String::new())
    }));
    assert!(!support::is_empty_struct(&Created {
        id: 0,
        parent: None
    }));
    // Only a struct: an empty map or JSON object is a payload of its own.
    assert!(!support::is_empty_struct(&json!({})));
    assert!(!support::is_empty_struct(&std::collections::BTreeMap::<
        String,
        u8,
    >::new()));
    assert!(!support::is_empty_struct(&()));
}

#[test]
fn a_type_enum_reads_known_and_former_names_only() {
    assert_eq!(
        serde_json::from_str::<Kind>(r#""pinged""#).unwrap(),
        Kind::Pinged
    );
    assert_eq!(
        serde_json::from_str::<Kind>(r#""made""#).unwrap(),
        Kind::Created
    );
    let error = serde_json::from_str::<Kind>(r#""nope""#).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("unknown event type `nope` on channel `board`"),
        "{error}"
    );
    let error = serde_json::from_str::<Kind>("7").unwrap_err();
    assert!(
        error.to_string().contains("expected an event type name"),
        "{error}"
    );
}

#[test]
fn a_message_is_built_from_its_type_and_a_json_payload() {
    let message = support::from_payload::<Message>(Kind::Created, json!({"id": 3})).unwrap();
    assert_eq!(message, created(3, None));
    let message = support::from_payload::<Message>(Kind::Pinged, json!({})).unwrap();
    assert_eq!(message, pinged(None));
    let error = support::from_payload::<Message>(Kind::Pinged, json!({"id": 3})).unwrap_err();
    assert!(error.to_string().contains("unknown field `id`"), "{error}");
    support::from_payload::<Message>(Kind::Created, json!(null)).unwrap_err();
}

#[test]
fn the_message_enum_is_written_as_serdes_derive_writes_it() {
    for (message, derived) in [
        (
            created(1, None),
            DerivedMessage::Created(Created {
                id: 1,
                parent: None,
            }),
        ),
        (
            pinged(Some("hi")),
            DerivedMessage::Pinged(Pinged {
                note: Some("hi".into()),
            }),
        ),
    ] {
        let ours = serde_json::to_string(&message).unwrap();
        assert_eq!(ours, serde_json::to_string(&derived).unwrap());
        assert_eq!(
            format!("{:?}", serde_json::to_value(&message)),
            format!("{:?}", serde_json::to_value(&derived)),
        );
    }
    assert_eq!(
        serde_json::to_string(&created(1, None)).unwrap(),
        r#"{"kind":"created","data":{"id":1}}"#
    );
}

#[test]
fn the_message_enum_reads_what_serdes_derive_reads() {
    let accepted = [
        r#"{"kind": "created", "data": {"id": 1}}"#,
        r#"{"data": {"id": 1, "parent": null}, "kind": "created"}"#,
        r#"{"kind": "made", "other": [1], "data": {"id": 2}}"#,
        r#"{"kind": "pinged", "data": {}}"#,
        r#"["pinged", {"note": "n"}]"#,
    ];
    for text in accepted {
        let ours = serde_json::from_str::<Message>(text).unwrap();
        let derived = serde_json::from_str::<DerivedMessage>(text).unwrap();
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&derived).unwrap(),
            "{text}"
        );
    }
    let refused = [
        (r#"{"data": {"id": 1}}"#, "missing field `kind`"),
        (r#"{"kind": "created"}"#, "missing field `data`"),
        (
            r#"{"kind": "created", "kind": "pinged", "data": {}}"#,
            "duplicate field `kind`",
        ),
        (
            r#"{"kind": "pinged", "data": {}, "data": {}}"#,
            "duplicate field `data`",
        ),
        (
            r#"{"data": {}, "data": {}, "kind": "pinged"}"#,
            "duplicate field `data`",
        ),
        (
            r#"{"kind": "created", "data": {"id": "x"}}"#,
            "invalid type",
        ),
        (
            r#"{"data": {"id": "x"}, "kind": "created"}"#,
            "invalid type",
        ),
        (r#"["created"]"#, "invalid length 1"),
        ("[]", "invalid length 0"),
        ("7", "invalid type"),
    ];
    for (text, says) in refused {
        serde_json::from_str::<DerivedMessage>(text).unwrap_err();
        let error = serde_json::from_str::<Message>(text)
            .unwrap_err()
            .to_string();
        assert!(error.contains(says), "{text}: {error}");
    }
    // An unknown type is named as the envelope names it.
    let error = serde_json::from_str::<Message>(r#"{"kind": "nope", "data": {}}"#).unwrap_err();
    assert!(
        error.to_string().contains("unknown event type `nope`"),
        "{error}"
    );
}

#[test]
fn errors_say_what_went_wrong_and_keep_their_source() {
    use std::error::Error;

    let unknown = UnknownEventType("x".to_string());
    assert_eq!(
        unknown.to_string(),
        "unknown event type `x` on channel `board`"
    );
    let error = EnvelopeError::UnknownEventType(unknown.clone());
    assert_eq!(error.to_string(), unknown.to_string());
    assert!(error.source().is_some());
    let json = serde_json::from_str::<Value>("{").unwrap_err();
    let text = json.to_string();
    let error = EnvelopeError::Json(json);
    assert_eq!(error.to_string(), format!("invalid envelope: {text}"));
    assert_eq!(error.source().map(ToString::to_string), Some(text));
}

#[test]
fn no_fields_write_nothing_and_read_from_anything() {
    assert!(support::is_empty_struct(&NoFields));
    assert_eq!(
        serde_json::from_value::<NoFields>(json!({"a": 1})).unwrap(),
        NoFields
    );
    assert_eq!(serde_json::to_value(NoFields).unwrap(), json!({}));
}

/// One schema per bound keyword and bound, each on integers around it;
/// then combinators, a reference and types over them.
static BOUND_CHECKS: [Check; 46] = {
    const BOUNDS: [f64; 10] = [
        -3.5,
        -3.0,
        0.0,
        3.0,
        3.5,
        9_007_199_254_740_991.0,
        1.0e19,
        -1.0e19,
        1.5e38,
        18_446_744_073_709_551_616.0,
    ];
    let mut checks = [Check::ANY; 46];
    let mut index = 0;
    while index < 10 {
        let bound = Some(BOUNDS[index]);
        checks[4 * index].minimum = bound;
        checks[4 * index + 1].maximum = bound;
        checks[4 * index + 2].exclusive_minimum = bound;
        checks[4 * index + 3].exclusive_maximum = bound;
        index += 1;
    }
    // Combinators and references over the bounds, and types.
    checks[40].any_of = &[4, 13];
    checks[41].one_of = &[0, 12];
    checks[42].all_of = &[0, 13];
    checks[43].reference = Some(16);
    checks[44].types = &[JsonType::String, JsonType::Null];
    checks[45].types = &[JsonType::Integer];
    checks[45].one_of = &[44, 43];
    checks
};

static BOUNDS: Schemas = Schemas {
    checks: Table(&[&BOUND_CHECKS]),
    patterns: &[],
    matches: |_, _| true,
};

/// The typed check of an integer (what a generated `holds` calls) judges
/// it against a bound exactly as the `Value` check does, fractions, signs
/// and the edges of `i64` and `u64` included.
#[test]
fn a_typed_check_compares_integers_with_bounds_exactly() {
    let integers = [
        i128::from(i64::MIN),
        -10_000_000_000_000_000_000,
        -4,
        -3,
        -2,
        0,
        2,
        3,
        4,
        9_007_199_254_740_991,
        9_007_199_254_740_992,
        9_007_199_254_740_993,
        10_000_000_000_000_000_000,
        i128::from(u64::MAX),
    ];
    let mut compared = 0;
    for integer in integers {
        // `-10^19` fits neither reader type: skip it where it cannot be read.
        let Ok(text) = serde_json::to_string(&integer) else {
            continue;
        };
        let value: Value = serde_json::from_str(&text).unwrap();
        if !value.is_number() {
            continue;
        }
        for (at, check) in BOUND_CHECKS.iter().enumerate() {
            let expected = BOUNDS.check(&value, at, "").is_ok();
            let typed = BOUNDS.integer_holds(at, integer);
            assert_eq!(typed, expected, "{text} against {check:?}");
            compared += 1;
        }
    }
    assert!(compared >= 400, "{compared} comparisons");
    // 2^64 is a `f64` that `u64::MAX` rounds to: only an exact comparison
    // keeps the largest `u64` below it.
    let largest = serde_json::json!(u64::MAX);
    assert!(BOUNDS.check(&largest, 36, "").is_err(), "minimum 2^64");
    assert!(BOUNDS.check(&largest, 37, "").is_ok(), "maximum 2^64");
}

/// A table in pages is indexed as one array: the last page may be short,
/// and an index past it is no check.
#[test]
fn a_table_in_pages_reads_as_one_array() {
    static FULL: [Check; PAGE] = [Check::ANY; PAGE];
    static LAST: [Check; 2] = [
        Check {
            min_length: Some(1),
            ..Check::ANY
        },
        Check {
            never: true,
            ..Check::ANY
        },
    ];
    static PAGES: [&[Check]; 3] = [&FULL, &FULL, &LAST];
    let table = Table(&PAGES);
    assert_eq!(table.len(), 2 * PAGE + 2);
    assert!(!table.is_empty());
    assert_eq!(
        table.get(2 * PAGE).and_then(|check| check.min_length),
        Some(1)
    );
    assert!(table.get(2 * PAGE + 1).is_some_and(|check| check.never));
    assert!(table.get(PAGE - 1).is_some_and(|check| !check.never));
    assert!(table.get(2 * PAGE + 2).is_none());
    assert!(Table(&[]).is_empty());
    assert!(Table(&[]).get(0).is_none());
}

/// `uniqueItems` of typed items: any two equal keys, wherever they are.
#[test]
fn distinct_finds_repeats_anywhere() {
    assert!(checks::distinct::<u64, u64>(&[], |item| *item));
    assert!(checks::distinct(&[7_u64], |item| *item));
    assert!(checks::distinct(&[3_u64, 1, 2], |item| *item));
    assert!(!checks::distinct(&[3_u64, 1, 2, 3], |item| *item));
    let words = ["b".to_string(), "a".to_string(), "b".to_string()];
    assert!(!checks::distinct(&words, |item| item.as_str()));
    assert!(checks::distinct(&words[..2], |item| item.as_str()));
}

/// An open object: the keys its schema does not list, kept in a map, as a
/// generated crate writes one.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Open {
    id: u64,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for Open {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::read_object(deserializer)
    }
}

impl support::Object for Open {
    const NAME: &'static str = "Open";
    const FIELDS: &'static [&'static str] = &["id"];
    const OTHER_KEYS: support::OtherKeys = support::OtherKeys::Keep;
    type Slots = (Option<u64>, Option<Map<String, Value>>);
    const EMPTY: Self::Slots = (None, None);

    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        _: usize,
        map: &mut A,
    ) -> Result<(), A::Error> {
        support::read_field(&mut slots.0, map, "id")
    }

    fn keep(slots: &mut Self::Slots, key: String, value: Value) {
        slots.1.get_or_insert_with(Map::new).insert(key, value);
    }

    fn finish<E: de::Error>(slots: Self::Slots) -> Result<Self, E> {
        Ok(Self {
            id: support::required(slots.0, "id")?,
            extra: slots.1.unwrap_or_default(),
        })
    }
}

/// A struct that drops the keys it does not list.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Lenient {}

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::read_object(deserializer)
    }
}

impl support::Object for Lenient {
    const NAME: &'static str = "Lenient";
    const FIELDS: &'static [&'static str] = &[];
    const OTHER_KEYS: support::OtherKeys = support::OtherKeys::Skip;
    type Slots = ();
    const EMPTY: Self::Slots = ();

    fn read<'de, A: MapAccess<'de>>(_: &mut (), _: usize, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<de::IgnoredAny>().map(drop)
    }

    fn finish<E: de::Error>(_: ()) -> Result<Self, E> {
        Ok(Self {})
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Shade {
    Light,
    DarkBlue,
}

impl<'de> Deserialize<'de> for Shade {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        support::read_string_enum(deserializer)
    }
}

impl support::StringEnum for Shade {
    const NAME: &'static str = "Shade";
    const VALUES: &'static [&'static str] = &["light", "dark_blue"];
    const VARIANTS: &'static [Self] = &[Self::Light, Self::DarkBlue];
}

fn read_error<T: for<'de> Deserialize<'de> + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_str::<T>(text).unwrap_err().to_string()
}

#[test]
fn an_object_reads_its_fields_in_any_order_and_keeps_absent_and_null_apart() {
    let read = |text: &str| serde_json::from_str::<Created>(text).unwrap();
    assert_eq!(
        read(r#"{"id":1}"#),
        Created {
            id: 1,
            parent: None
        }
    );
    assert_eq!(
        read(r#"{"parent":null,"id":2}"#),
        Created {
            id: 2,
            parent: Some(None)
        }
    );
    assert_eq!(
        read(r#"{"id":3,"parent":4}"#),
        Created {
            id: 3,
            parent: Some(Some(4))
        }
    );
    // Through a `Value`, as the flat envelope and the unions read payloads.
    let value = json!({"parent": 5, "id": 6});
    assert_eq!(
        Created::deserialize(&value).unwrap(),
        Created {
            id: 6,
            parent: Some(Some(5))
        }
    );
}

#[test]
fn an_object_names_the_unknown_missing_repeated_or_mistyped_field() {
    let unknown = read_error::<Created>(r#"{"id":1,"colour":"red"}"#);
    assert!(
        unknown.starts_with("unknown field `colour`, expected `id` or `parent`"),
        "{unknown}"
    );
    let missing = read_error::<Created>(r#"{"parent":1}"#);
    assert!(missing.starts_with("missing field `id`"), "{missing}");
    let repeated = read_error::<Created>(r#"{"id":1,"id":2}"#);
    assert!(repeated.starts_with("duplicate field `id`"), "{repeated}");
    let mistyped = read_error::<Created>(r#"{"id":"one"}"#);
    assert!(
        mistyped.starts_with("invalid type: string \"one\""),
        "{mistyped}"
    );
    // An optional field that may not be null refuses `null`.
    let null = read_error::<Pinged>(r#"{"note":null}"#);
    assert!(
        null.starts_with("invalid type: null, expected a string"),
        "{null}"
    );
}

#[test]
fn an_object_is_read_from_an_object_only() {
    for text in [r#"[1,null]"#, "1", r#""id""#, "null"] {
        let error = read_error::<Created>(text);
        assert!(error.contains("expected struct Created"), "{text}: {error}");
    }
}

#[test]
fn other_keys_are_kept_dropped_or_refused_as_the_object_says() {
    let open: Open = serde_json::from_str(r#"{"b":[1],"id":1,"a":{"c":null}}"#).unwrap();
    assert_eq!(open.id, 1);
    assert_eq!(
        Value::Object(open.extra.clone()),
        json!({"b": [1], "a": {"c": null}})
    );
    assert_eq!(
        serde_json::to_string(&open).unwrap(),
        r#"{"id":1,"b":[1],"a":{"c":null}}"#
    );
    let repeated = read_error::<Open>(r#"{"id":1,"id":1}"#);
    assert!(repeated.starts_with("duplicate field `id`"), "{repeated}");
    assert_eq!(
        serde_json::from_str::<Lenient>(r#"{"x":{"y":[1,2]},"z":null}"#).unwrap(),
        Lenient {}
    );
    let unknown = read_error::<Pinged>(r#"{"x":1}"#);
    assert!(
        unknown.starts_with("unknown field `x`, expected `note`"),
        "{unknown}"
    );
}

#[test]
fn a_string_enum_reads_its_wire_values_only() {
    assert_eq!(
        serde_json::from_str::<Shade>(r#""light""#).unwrap(),
        Shade::Light
    );
    assert_eq!(
        Shade::deserialize(&json!("dark_blue")).unwrap(),
        Shade::DarkBlue
    );
    let unknown = read_error::<Shade>(r#""DarkBlue""#);
    assert!(
        unknown.starts_with("unknown variant `DarkBlue`, expected `light` or `dark_blue`"),
        "{unknown}"
    );
    for text in ["1", "null", r#"{"light":null}"#, r#"["light"]"#] {
        let error = read_error::<Shade>(text);
        assert!(error.contains("expected enum Shade"), "{text}: {error}");
    }
    assert_eq!(
        serde_json::to_string(&Shade::DarkBlue).unwrap(),
        r#""dark_blue""#
    );
}
