//! Reads the raw types from a [`Node`] tree that [`crate::yaml_tree`] built,
//! as serde-saphyr would have read them from the text.
//!
//! The tree is consumed, so strings move instead of being copied; a field
//! of type [`Node`] takes its subtree whole (`node::hand_over`).
//! Anything serde-saphyr might read differently is an error here, and the
//! caller reads the file with serde-saphyr instead.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, VariantAccess, Visitor,
};

use crate::node::{self, Key, Node, Position, Value};

/// The error of a read serde-saphyr must redo; its text is never shown.
type Error = de::value::Error;

/// The newtype name of serde-saphyr's `Spanned`, and the first key of the
/// map through which it reads one (both serde-saphyr's own).
const SPANNED_TOKEN: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// `T` read from `tree`, a file's tree read from `text`; `None` when
/// serde-saphyr must read the file.
pub fn read<T: DeserializeOwned>(tree: Node, text: &str) -> Option<T> {
    T::deserialize(NodeReader { node: tree, text }).ok()
}

/// One node, to be read as whatever the caller asks for.
struct NodeReader<'t> {
    node: Node,
    text: &'t str,
}

impl NodeReader<'_> {
    /// A plain number's or boolean's source text, which serde-saphyr gives a
    /// string field (`since: 0.2`).
    fn source_text(&self) -> Option<&str> {
        let (from, len) = self.node.location.bytes()?;
        let from = usize::try_from(from).ok()?;
        let len = usize::try_from(len).ok()?;
        self.text.get(from..from + len)
    }
}

impl<'de> Deserializer<'de> for NodeReader<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let text = self.text;
        match self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(flag) => visitor.visit_bool(flag),
            Value::Int(number) => visitor.visit_i64(number),
            Value::UInt(number) => visitor.visit_u64(number),
            Value::Float(number) => visitor.visit_f64(number),
            Value::String(string) => visitor.visit_string(string),
            Value::Seq(items) => visitor.visit_seq(Items {
                items: items.into_iter(),
                text,
            }),
            Value::Map(entries) => visitor.visit_map(Entries {
                entries: entries.into_iter(),
                value: None,
                text,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Bool(_) | Value::Int(_) | Value::UInt(_) | Value::Float(_) => {
                let text = self
                    .source_text()
                    .ok_or_else(|| de::Error::custom("no source text"))?;
                visitor.visit_str(text)
            }
            Value::Null => Err(de::Error::custom("null is no string")),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match name {
            node::NODE_TOKEN => {
                node::hand_over(self.node);
                visitor.visit_unit()
            }
            SPANNED_TOKEN => visitor.visit_newtype_struct(SpannedReader(self)),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let text = self.text;
        match self.node.value {
            Value::String(variant) => visitor.visit_enum(variant.into_deserializer()),
            // A one-entry mapping: `name: content`.
            Value::Map(mut entries) => match (entries.pop(), entries.is_empty()) {
                (Some((key, node)), true) => visitor.visit_enum(Variant {
                    name: key.name,
                    content: NodeReader { node, text },
                }),
                _ => Err(de::Error::custom("no enum variant")),
            },
            _ => Err(de::Error::custom("no enum variant")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

/// A sequence's items.
struct Items<'t> {
    items: std::vec::IntoIter<Node>,
    text: &'t str,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.items
            .next()
            .map(|node| {
                seed.deserialize(NodeReader {
                    node,
                    text: self.text,
                })
            })
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A mapping's entries; keys are read as strings.
struct Entries<'t> {
    entries: std::vec::IntoIter<(Key, Node)>,
    value: Option<Node>,
    text: &'t str,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key = Node {
            value: Value::String(key.name),
            location: key.location,
        };
        seed.deserialize(NodeReader {
            node: key,
            text: self.text,
        })
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let node = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value before its key"))?;
        seed.deserialize(NodeReader {
            node,
            text: self.text,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum variant written as a one-entry mapping, `name: content`.
struct Variant<'t> {
    name: String,
    content: NodeReader<'t>,
}

impl<'de, 't> EnumAccess<'de> for Variant<'t> {
    type Error = Error;
    type Variant = NodeReader<'t>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, NodeReader<'t>), Error> {
        let name = seed.deserialize(self.name.into_deserializer())?;
        Ok((name, self.content))
    }
}

impl<'de> VariantAccess<'de> for NodeReader<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.node.value {
            Value::Null => Ok(()),
            _ => Err(de::Error::custom("a unit variant with content")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }
}

/// A node read as serde-saphyr's `Spanned`: the map of a marker, the value
/// and its location twice (where it is used and where it is defined, the
/// same without aliases).
struct SpannedReader<'t>(NodeReader<'t>);

impl<'de> Deserializer<'de> for SpannedReader<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let location = self.0.node.location;
        visitor.visit_map(SpannedFields {
            node: Some(self.0),
            location,
            field: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The fields of [`SpannedReader`]'s map, in serde-saphyr's order.
struct SpannedFields<'t> {
    node: Option<NodeReader<'t>>,
    location: Position,
    field: usize,
}

/// The keys of [`SpannedFields`].
const SPANNED_FIELDS: [&str; 4] = [SPANNED_MARKER, "value", "referenced", "defined"];

impl<'de> MapAccess<'de> for SpannedFields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        SPANNED_FIELDS
            .get(self.field)
            .map(|name| seed.deserialize(name.into_deserializer()))
            .transpose()
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let field = self.field;
        self.field += 1;
        match field {
            0 => seed.deserialize(true.into_deserializer()),
            1 => {
                let node = self
                    .node
                    .take()
                    .ok_or_else(|| de::Error::custom("the value twice"))?;
                seed.deserialize(node)
            }
            _ => seed.deserialize(LocationParts::location(self.location)),
        }
    }
}

/// A position presented to the deserializer of serde-saphyr's `Location`:
/// a map of `line`, `column` and `span`, whose `span` is a map of its own
/// (`offset`, `len`, `byte_info`). The fields are numbered: a location's
/// 0 to 2, a span's 10 to 12.
struct LocationParts {
    position: Position,
    field: u8,
}

const LOCATION_FIELDS: [&str; 3] = ["line", "column", "span"];
const SPAN_FIELDS: [&str; 3] = ["offset", "len", "byte_info"];

impl LocationParts {
    /// The location at `position`.
    fn location(position: Position) -> LocationParts {
        LocationParts { position, field: 0 }
    }

    /// The span of the location at `position`.
    fn span(position: Position) -> LocationParts {
        LocationParts {
            position,
            field: 10,
        }
    }
}

impl<'de> Deserializer<'de> for LocationParts {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for LocationParts {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let name = match self.field {
            0..=2 => LOCATION_FIELDS[usize::from(self.field)],
            10..=12 => SPAN_FIELDS[usize::from(self.field - 10)],
            _ => return Ok(None),
        };
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let position = self.position;
        let field = self.field;
        self.field += 1;
        let (offset, len) = position.chars();
        match field {
            0 => seed.deserialize(position.line().into_deserializer()),
            1 => seed.deserialize(position.column().into_deserializer()),
            2 => {
                self.field = u8::MAX;
                seed.deserialize(LocationParts::span(position))
            }
            10 => seed.deserialize(offset.into_deserializer()),
            11 => seed.deserialize(len.into_deserializer()),
            _ => {
                self.field = u8::MAX;
                // serde-saphyr's mark for "no byte range".
                let unknown = u64::from(u32::MAX);
                let (from, len) = position.bytes().unwrap_or((unknown, unknown));
                seed.deserialize(de::value::SeqDeserializer::new([from, len].into_iter()))
            }
        }
    }
}
