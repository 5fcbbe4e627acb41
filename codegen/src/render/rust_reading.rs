//! How the generated crate reads its payload types: a `Deserialize` impl
//! per struct and string enum that hands the work to the support module
//! (`support::read_object`, `support::read_string_enum`), and the small
//! table each type gives it (its fields and their slots, or its values).
//!
//! serde's derived `Deserialize` writes a field enum, two visitors (one of
//! them for objects written as arrays, which no schema allows) and two
//! wrapper types per `deserialize_with` field into every type: at a
//! thousand events that was two thirds of `cargo check`'s time on the
//! generated crate. The loop, the key lookup and the errors are the same
//! for every type, so they are written once in the support module, and a
//! type keeps only what is its own: its fields, their slots and how each
//! slot becomes the field.

use std::fmt::Write;

use super::rust_text::{Call, INDENT, Lone, call_arm, call_line, ident, line, list, pad, string};
use super::rust_types::rust_type;
use crate::model::{Catalog, StringEnum, Struct};

/// `Deserialize` and `support::Object` for a struct.
pub(super) fn object_impls(catalog: &Catalog, type_name: &str, object: &Struct) -> [String; 2] {
    let name = ident(type_name);
    let mut slot_types: Vec<String> = object
        .fields
        .iter()
        .map(|field| format!("Option<{}>", rust_type(catalog, &field.ty)))
        .collect();
    let mut values: Vec<FieldValue> = object
        .fields
        .iter()
        .enumerate()
        .map(|(slot, field)| FieldValue {
            name: ident(&field.rust_ident),
            slot: format!("slots.{slot}"),
            required: field.required.then(|| string(&field.name)),
        })
        .collect();
    // An open object keeps the other keys in its map, the last slot.
    if let Some(extra) = &object.extra {
        let slot = object.fields.len();
        slot_types.push("Option<serde_json::Map<String, serde_json::Value>>".into());
        values.push(FieldValue {
            name: ident(extra),
            slot: format!("slots.{slot}.unwrap_or_default()"),
            required: None,
        });
    }
    let mut out = format!("impl support::Object for {name} {{\n");
    line(
        &mut out,
        INDENT,
        &format!("const NAME: &'static str = {};", string(type_name)),
    );
    let names: Vec<String> = object
        .fields
        .iter()
        .map(|field| string(&field.name))
        .collect();
    list(
        &mut out,
        INDENT,
        "const FIELDS: &'static [&'static str] = &[",
        &names,
        "];",
        Lone::Plain,
    );
    // Keys that are not fields: refused (the default) when the object is
    // closed, kept in its map when it has one, dropped otherwise.
    let other_keys = match (&object.extra, object.deny_unknown) {
        (Some(_), _) => Some("Keep"),
        (None, false) => Some("Skip"),
        (None, true) => None,
    };
    if let Some(policy) = other_keys {
        let policy =
            format!("const OTHER_KEYS: support::OtherKeys = support::OtherKeys::{policy};");
        line(&mut out, INDENT, &policy);
    }
    list(
        &mut out,
        INDENT,
        "type Slots = (",
        &slot_types,
        ");",
        Lone::TupleComma,
    );
    let empty = vec!["None".to_string(); slot_types.len()];
    list(
        &mut out,
        INDENT,
        "const EMPTY: Self::Slots = (",
        &empty,
        ");",
        Lone::TupleComma,
    );
    read_fn(&mut out, object);
    if object.extra.is_some() {
        let slot = object.fields.len();
        let _ = write!(
            out,
            "    fn keep(slots: &mut Self::Slots, key: String, value: serde_json::Value) {{\n        \
             slots.{slot}.get_or_insert_with(serde_json::Map::new).insert(key, value);\n    }}\n"
        );
    }
    // An object without fields (nor a map of other keys) has no slot to read.
    let slots = if slot_types.is_empty() { "_" } else { "slots" };
    let _ = writeln!(
        out,
        "    fn finish<E: serde::de::Error>({slots}: Self::Slots) -> Result<Self, E> {{"
    );
    if values.is_empty() {
        line(&mut out, 2 * INDENT, "Ok(Self {})");
    } else {
        finish_body(&mut out, 2 * INDENT, &values);
    }
    out.push_str("    }\n}\n");
    [
        deserialize_impl(name, "support::read_object(deserializer)"),
        out,
    ]
}

/// The widest struct literal prettyplease leaves on one line (its
/// `end_with_max_width(34)` group, plus the closing brace).
const STRUCT_LITERAL_WIDTH: usize = 35;

/// A field of the struct `finish` builds from the slots.
struct FieldValue<'a> {
    name: &'a str,
    /// The slot's value (`slots.0`).
    slot: String,
    /// For a required field, its wire name as a literal: the value is
    /// `support::required(slot, wire)?`.
    required: Option<String>,
}

impl FieldValue<'_> {
    /// `name: value` on one line.
    fn text(&self) -> String {
        match &self.required {
            Some(wire) => format!("{}: support::required({}, {wire})?", self.name, self.slot),
            None => format!("{}: {}", self.name, self.slot),
        }
    }

    /// `name: value,` on its own line at `indent`, the call broken when
    /// the line would pass the margin.
    fn write_line(&self, out: &mut String, indent: usize, last: bool) {
        let Some(wire) = &self.required else {
            return line(out, indent, &format!("{},", self.text()));
        };
        pad(out, indent);
        out.push_str(self.name);
        out.push_str(": ");
        let args = [self.slot.clone(), wire.clone()];
        let call = Call {
            head: "support::required",
            args: &args,
        };
        // The call and its `?` from after `name: `; prettyplease counts
        // the comma against the margin except after the last field.
        let after = if last { 1 } else { 2 };
        call.write(out, indent, indent + self.name.len() + 2 + after);
        out.push_str("?,\n");
    }
}

/// `Ok(Self { ... })`: on one line when it fits, else a field per line.
fn finish_body(out: &mut String, indent: usize, values: &[FieldValue]) {
    let fields: Vec<String> = values.iter().map(FieldValue::text).collect();
    let literal = format!("Self {{ {} }}", fields.join(", "));
    // prettyplease keeps a struct literal on one line only up to a width.
    if literal.len() <= STRUCT_LITERAL_WIDTH {
        line(out, indent, &format!("Ok({literal})"));
        return;
    }
    line(out, indent, "Ok(Self {");
    for (index, value) in values.iter().enumerate() {
        value.write_line(out, indent + INDENT, index + 1 == values.len());
    }
    line(out, indent, "})");
}

/// `Object::read`: one arm per field, the last one the catch-all (the
/// support module only asks for the fields in `FIELDS`).
fn read_fn(out: &mut String, object: &Struct) {
    let (slots, index) = match object.fields.len() {
        0 => ("_", "_"),
        1 => ("slots", "_"),
        _ => ("slots", "index"),
    };
    let _ = write!(
        out,
        "    fn read<'de, A: serde::de::MapAccess<'de>>(\n        \
         {slots}: &mut Self::Slots,\n        \
         {index}: usize,\n        \
         map: &mut A,\n    \
         ) -> Result<(), A::Error> {{\n"
    );
    let args = |slot: usize, wire: &str| [format!("&mut slots.{slot}"), "map".into(), string(wire)];
    match object.fields.as_slice() {
        [] => line(
            out,
            2 * INDENT,
            "map.next_value::<serde::de::IgnoredAny>().map(drop)",
        ),
        [only] => {
            let args = args(0, &only.name);
            call_line(out, 2 * INDENT, &read_field(&args), "");
        }
        fields => {
            line(out, 2 * INDENT, "match index {");
            let last = fields.len() - 1;
            for (slot, field) in fields.iter().enumerate() {
                let pattern = if slot == last {
                    "_".to_string()
                } else {
                    slot.to_string()
                };
                let args = args(slot, &field.name);
                call_arm(out, 3 * INDENT, &pattern, &read_field(&args));
            }
            line(out, 2 * INDENT, "}");
        }
    }
    out.push_str("    }\n");
}

fn read_field(args: &[String]) -> Call<'_> {
    Call {
        head: "support::read_field",
        args,
    }
}

/// `Deserialize` and `support::StringEnum` for a string enum.
pub(super) fn string_enum_impls(type_name: &str, values: &StringEnum) -> [String; 2] {
    let name = ident(type_name);
    let wires: Vec<String> = values
        .variants
        .iter()
        .map(|variant| string(&variant.value))
        .collect();
    let variants: Vec<String> = values
        .variants
        .iter()
        .map(|variant| format!("Self::{}", ident(&variant.ident)))
        .collect();
    let mut out = format!("impl support::StringEnum for {name} {{\n");
    line(
        &mut out,
        INDENT,
        &format!("const NAME: &'static str = {};", string(type_name)),
    );
    list(
        &mut out,
        INDENT,
        "const VALUES: &'static [&'static str] = &[",
        &wires,
        "];",
        Lone::Plain,
    );
    list(
        &mut out,
        INDENT,
        "const VARIANTS: &'static [Self] = &[",
        &variants,
        "];",
        Lone::Plain,
    );
    out.push_str("}\n");
    [
        deserialize_impl(name, "support::read_string_enum(deserializer)"),
        out,
    ]
}

fn deserialize_impl(name: &str, body: &str) -> String {
    format!(
        "impl<'de> Deserialize<'de> for {name} {{\n    \
         fn deserialize<D: serde::Deserializer<'de>>(\n        \
         deserializer: D,\n    \
         ) -> Result<Self, D::Error> {{\n        \
         {body}\n    \
         }}\n\
         }}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::super::rust_text::tests::assert_laid_out;
    use super::*;

    #[test]
    fn struct_literals_break_where_prettyplease_breaks_them() {
        for width in 1..30 {
            for count in 1..4 {
                let name = "f".repeat(width);
                let values: Vec<FieldValue> = (0..count)
                    .map(|slot| FieldValue {
                        name: &name,
                        slot: format!("slots.{slot}"),
                        required: (slot == 1).then(|| string(&name)),
                    })
                    .collect();
                let mut out = String::from("fn f() {\n");
                finish_body(&mut out, INDENT, &values);
                out.push_str("}\n");
                assert_laid_out(&out);
            }
        }
    }
}
