//! A YAML/JSON value tree that remembers where every node came from.
//!
//! Payload schemas and examples are free-form documents, so they cannot be
//! typed structs; this tree keeps them loss-free together with the location of
//! each key and value, so a schema error can point at the exact keyword.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

/// Where a node or key starts in its file: the 1-based line and column
/// (columns count characters), and its range in characters and in bytes.
/// serde-saphyr's `Location` says the same, but has no public constructor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    line: u32,
    column: u32,
    offset: u32,
    len: u32,
    byte_offset: u32,
    byte_len: u32,
}

/// The mark of an unknown offset, length or byte range, as serde-saphyr's.
const UNKNOWN: u32 = u32::MAX;

impl Position {
    /// A position from its parts; offsets and lengths past `u32` are
    /// unknown, as serde-saphyr has them.
    pub fn new(line: u64, column: u64, chars: (u64, u64), bytes: Option<(u64, u64)>) -> Position {
        let narrow = |value: u64| u32::try_from(value).unwrap_or(UNKNOWN);
        let (byte_offset, byte_len) = bytes
            .filter(|&(offset, len)| offset < u64::from(UNKNOWN) && len < u64::from(UNKNOWN))
            .map_or((UNKNOWN, UNKNOWN), |(offset, len)| {
                (narrow(offset), narrow(len))
            });
        Position {
            line: narrow(line),
            column: narrow(column),
            offset: narrow(chars.0.min(u64::from(UNKNOWN) - 1)),
            len: narrow(chars.1.min(u64::from(UNKNOWN) - 1)),
            byte_offset,
            byte_len,
        }
    }

    /// The 1-based line; 0 when unknown.
    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    /// The 1-based column, in characters; 0 when unknown.
    pub fn column(&self) -> u64 {
        u64::from(self.column)
    }

    /// The offset and length in characters.
    pub fn chars(&self) -> (u64, u64) {
        (u64::from(self.offset), u64::from(self.len))
    }

    /// The offset and length in bytes, when known.
    pub fn bytes(&self) -> Option<(u64, u64)> {
        (self.byte_offset != UNKNOWN)
            .then(|| (u64::from(self.byte_offset), u64::from(self.byte_len)))
    }
}

impl From<&Location> for Position {
    fn from(location: &Location) -> Position {
        let span = location.span();
        Position {
            line: u32::try_from(location.line()).unwrap_or(UNKNOWN),
            column: u32::try_from(location.column()).unwrap_or(UNKNOWN),
            offset: u32::try_from(span.offset()).unwrap_or(UNKNOWN),
            len: u32::try_from(span.len()).unwrap_or(UNKNOWN),
            byte_offset: span
                .byte_offset()
                .map_or(UNKNOWN, |offset| u32::try_from(offset).unwrap_or(UNKNOWN)),
            byte_len: span
                .byte_len()
                .map_or(UNKNOWN, |len| u32::try_from(len).unwrap_or(UNKNOWN)),
        }
    }
}

impl From<Location> for Position {
    fn from(location: Location) -> Position {
        Position::from(&location)
    }
}

impl From<&Position> for Position {
    fn from(position: &Position) -> Position {
        *position
    }
}

/// A value with the location it was read from.
#[derive(Clone, Debug)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts.
    pub location: Position,
}

/// A map key with its location.
#[derive(Clone, Debug)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key starts.
    pub location: Position,
}

/// The value of a [`Node`].
#[derive(Clone, Debug)]
pub enum Value {
    /// `null` / `~`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer above `i64::MAX`.
    UInt(u64),
    /// A finite float.
    Float(f64),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Key, Node)>),
}

impl Node {
    /// The entries of a mapping, or `None` for any other value.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of a sequence, or `None` for any other value.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The string, or `None` for any other value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// Looks up `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(candidate, _)| candidate.name == key)
            .map(|(_, node)| node)
    }

    /// The key entry for `key` in a mapping, for pointing at the key itself.
    pub fn key(&self, key: &str) -> Option<&Key> {
        self.as_map()?
            .iter()
            .find(|(candidate, _)| candidate.name == key)
            .map(|(key, _)| key)
    }

    /// Where the part at JSON pointer `pointer` (`/properties/task_id`) is
    /// written: a mapping entry at its key, a sequence item or the root at
    /// its value; the nearest enclosing part when the rest is missing.
    pub fn position_at(&self, pointer: &str) -> Position {
        let mut node = self;
        let mut at = self.location;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Map(entries) => entries
                    .iter()
                    .find(|(key, _)| key.name == token)
                    .map(|(key, child)| (key.location, child)),
                Value::Seq(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|index| items.get(index))
                    .map(|child| (child.location, child)),
                _ => None,
            };
            let Some((position, child)) = next else {
                break;
            };
            at = position;
            node = child;
        }
        at
    }

    /// A short name of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::UInt(_) => "an integer",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }

    /// The equivalent JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(flag) => Json::Bool(*flag),
            Value::Int(number) => Json::from(*number),
            Value::UInt(number) => Json::from(*number),
            // Non-finite floats are rejected while loading.
            Value::Float(number) => {
                serde_json::Number::from_f64(*number).map_or(Json::Null, Json::Number)
            }
            Value::String(text) => Json::String(text.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(key, node)| (key.name.clone(), node.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The newtype name under which [`crate::tree_reader`] hands a whole node
/// to [`Node`]'s `Deserialize` (serde-saphyr passes it on as a newtype).
pub(crate) const NODE_TOKEN: &str = "__eventcat_node";

thread_local! {
    /// A node [`crate::tree_reader`] has read, waiting for the `Deserialize`
    /// call it asked for.
    static HANDED_OVER: Cell<Option<Node>> = const { Cell::new(None) };
}

/// Leaves `node` for the [`Node`] being deserialized next on this thread.
pub(crate) fn hand_over(node: Node) {
    HANDED_OVER.set(Some(node));
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_newtype_struct(NODE_TOKEN, NodeVisitor)
    }
}

/// Reads a [`Node`]: from serde-saphyr through its `Spanned` wrapper, or as
/// the node [`hand_over`] left.
struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            location: spanned.referenced.into(),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        HANDED_OVER
            .take()
            .ok_or_else(|| E::custom("no node was handed over"))
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        let spanned = Spanned::<String>::deserialize(deserializer)?;
        Ok(Key {
            name: spanned.value,
            location: spanned.referenced.into(),
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Value, E> {
        Ok(Value::Bool(flag))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Value, E> {
        Ok(Value::Int(number))
    }

    fn visit_u64<E>(self, number: u64) -> Result<Value, E> {
        Ok(i64::try_from(number).map_or(Value::UInt(number), Value::Int))
    }

    fn visit_i128<E: de::Error>(self, number: i128) -> Result<Value, E> {
        i64::try_from(number)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("integer {number} does not fit in 64 bits")))
    }

    fn visit_u128<E: de::Error>(self, number: u128) -> Result<Value, E> {
        u64::try_from(number)
            .map(|n| self.visit_u64::<E>(n).unwrap_or(Value::UInt(n)))
            .map_err(|_| E::custom(format!("integer {number} does not fit in 64 bits")))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Value, E> {
        if number.is_finite() {
            Ok(Value::Float(number))
        } else {
            Err(E::custom(
                "non-finite numbers (.inf, .nan) have no JSON form",
            ))
        }
    }

    fn visit_str<E>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            if entries.iter().any(|(seen, _)| seen.name == key.name) {
                return Err(de::Error::custom(format!("duplicate key `{}`", key.name)));
            }
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_locations_of_nested_keys_and_values() {
        let node: Node = serde_saphyr::from_str("a:\n  b: [1, x]\n  c: true\n").unwrap();
        let b = node.get("a").unwrap().get("b").unwrap();
        assert_eq!(b.location.line(), 2);
        let key = node.get("a").unwrap().key("c").unwrap();
        assert_eq!((key.location.line(), key.location.column()), (3, 3));
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a": {"b": [1, "x"], "c": true}})
        );
    }

    #[test]
    fn reads_json_documents_too() {
        let node: Node = serde_saphyr::from_str("{\"x\": [1.5, null, \"s\"]}").unwrap();
        assert_eq!(node.to_json(), serde_json::json!({"x": [1.5, null, "s"]}));
    }

    #[test]
    fn rejects_duplicate_keys() {
        assert!(serde_saphyr::from_str::<Node>("a: 1\na: 2\n").is_err());
    }

    #[test]
    fn pointers_lead_to_keys_items_and_the_root() {
        let text = "type: object\nproperties:\n  a/b~c:\n    enum: [x, y]\n";
        let node: Node = serde_saphyr::from_str(text).expect("the schema parses");
        let at = |pointer: &str| {
            let position = node.position_at(pointer);
            (position.line(), position.column())
        };
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("/type"), (1, 1));
        assert_eq!(at("/properties"), (2, 1));
        assert_eq!(at("/properties/a~1b~0c"), (3, 3));
        assert_eq!(at("/properties/a~1b~0c/enum"), (4, 5));
        assert_eq!(at("/properties/a~1b~0c/enum/1"), (4, 15));
        // The nearest part that exists.
        assert_eq!(at("/properties/a~1b~0c/enum/7"), (4, 5));
        assert_eq!(at("/properties/missing/type"), (2, 1));
    }
}
