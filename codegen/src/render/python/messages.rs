//! One family's messages: a `TypedDict` per message in the catalog's
//! envelope, their union discriminated by the type key's `Literal`, the
//! type names as a `Literal` alias and a tuple, and the decoder.

use std::collections::HashSet;

use super::Family;
use super::syntax::{assignment, bracketed, docstring, is_attribute_name, string_literal};
use super::types::{Entry, struct_entries, typed_dict};
use crate::model::{Catalog, EnvelopeStyle, Event, TypeId};
use crate::render::{article, envelope_sketch};

/// `BoardEventType`: the type names as a `Literal`.
pub fn type_alias(catalog: &Catalog, family: &Family) -> String {
    let members: Vec<String> = family
        .members
        .iter()
        .map(|event| string_literal(&event.name))
        .collect();
    let prefix = format!("{}: TypeAlias = ", family.kind);
    let doc = format!(
        "The name of a{} {} on the `{}` channel.",
        article(family.noun),
        family.noun,
        catalog.channel
    );
    format!(
        "{}{}",
        bracketed("", &prefix, "Literal[", &members, "]"),
        docstring("", &doc)
    )
}

/// `BOARD_EVENT_TYPES`: every type name at run time, in catalog order.
pub fn type_tuple(catalog: &Catalog, family: &Family) -> String {
    let mut members: Vec<String> = family
        .members
        .iter()
        .map(|event| string_literal(&event.name))
        .collect();
    // A one-element tuple needs its comma.
    if members.len() == 1 {
        members[0].push(',');
    }
    let prefix = format!(
        "{}_TYPES: Final[tuple[{}, ...]] = ",
        family.constant, family.kind
    );
    let doc = format!(
        "Every {} type on the `{}` channel, in catalog order.",
        family.noun, catalog.channel
    );
    format!(
        "{}{}",
        bracketed("", &prefix, "(", &members, ")"),
        docstring("", &doc)
    )
}

/// The `TypedDict` of one message, in the envelope's shape: a class over
/// the envelope fields (and, in a flat envelope, the payload) when its own
/// keys are attribute names, else every key in the functional form.
pub fn message(catalog: &Catalog, family: &Family, event: &Event) -> String {
    let envelope = &catalog.envelope;
    let payload = catalog.ty(event.payload).name.clone();
    let mut own = Vec::new();
    if let Some(version) = &envelope.version_field {
        own.push(entry(version, "int".to_string(), true));
    }
    own.push(entry(
        &envelope.type_field,
        format!("Literal[{}]", string_literal(&event.name)),
        true,
    ));
    let mut bases: Vec<TypeId> = envelope.fields.into_iter().collect();
    match (&envelope.style, &envelope.payload_field) {
        (EnvelopeStyle::Adjacent, Some(field)) => {
            let required = !envelope.omit_empty_payload || may_not_be_empty(catalog, event);
            own.push(entry(field, payload, required));
        }
        _ => bases.push(event.payload),
    }
    let name = family.message_name(event);
    let doc = message_doc(catalog, event);
    if own.iter().all(|entry| is_attribute_name(&entry.key)) {
        let bases: Vec<String> = bases
            .iter()
            .map(|id| catalog.ty(*id).name.clone())
            .collect();
        let bases = if bases.is_empty() {
            vec!["TypedDict".to_string()]
        } else {
            bases
        };
        return typed_dict(&name, &doc, &bases, &own);
    }
    // The functional form has no bases: their keys are listed too.
    let defined: HashSet<TypeId> = (0..catalog.types.len()).map(TypeId).collect();
    let inherited = bases
        .iter()
        .filter_map(|id| catalog.struct_of(*id))
        .flat_map(|object| struct_entries(catalog, object, &defined));
    let entries: Vec<Entry> = own.into_iter().chain(inherited).collect();
    typed_dict(&name, &doc, &[], &entries)
}

fn entry(key: &str, annotation: String, required: bool) -> Entry {
    Entry {
        key: key.to_string(),
        annotation: if required {
            annotation
        } else {
            format!("NotRequired[{annotation}]")
        },
        doc: None,
    }
}

/// Whether the payload has a required key, so an omitted payload would not
/// read as it.
fn may_not_be_empty(catalog: &Catalog, event: &Event) -> bool {
    catalog
        .struct_of(event.payload)
        .is_some_and(|object| object.fields.iter().any(|field| field.required))
}

/// What a message's docstring says: the envelope and the event.
fn message_doc(catalog: &Catalog, event: &Event) -> String {
    let sketch = envelope_sketch(catalog).replace("<name>", &event.name);
    let mut doc = format!("`{sketch}`\n\n{}", event.description.trim());
    if let Some(note) = &event.deprecated {
        doc.push_str(&format!("\n\nDeprecated: {}", note.trim()));
    }
    doc
}

/// `BoardEnvelope`: any message of the family, told apart by its type key.
pub fn message_union(catalog: &Catalog, family: &Family) -> String {
    let members: Vec<String> = family
        .members
        .iter()
        .map(|event| family.message_name(event))
        .collect();
    let prefix = format!("{}: TypeAlias = ", family.union);
    let alias = match members.len() {
        1 => assignment(&prefix, &members[0]),
        _ => bracketed("", &prefix, "Union[", &members, "]"),
    };
    let doc = format!(
        "Any {} message on the channel, discriminated by `{}`.",
        family.noun, catalog.envelope.type_field
    );
    format!("{alias}{}", docstring("", &doc))
}

/// `decode_event`: parses a message and checks its type name is known. The
/// rest is typed on trust: the payload is not validated.
pub fn decoder(catalog: &Catalog, family: &Family) -> String {
    let type_field = string_literal(&catalog.envelope.type_field);
    let noun = family.noun;
    format!(
        "def decode_{noun}(text: str) -> {union}:\n    \
         \"\"\"Parses a{article} {noun} message whose type is one of `{constant}_TYPES`.\n\n    \
         Only the type is checked: the payload is not validated, so the result is\n    \
         typed on trust. Raises `ValueError` for anything else.\n    \
         \"\"\"\n    \
         message: object = json.loads(text)\n    \
         if not isinstance(message, dict):\n        \
         raise ValueError(\"a{article} {noun} message is a JSON object\")\n    \
         kind = cast(\"dict[str, object]\", message).get({type_field})\n    \
         if kind not in {constant}_TYPES:\n        \
         raise ValueError(f\"unknown {noun} type: {{kind!r}}\")\n    \
         return cast({union}, message)\n",
        union = family.union,
        constant = family.constant,
        article = article(noun),
    )
}
