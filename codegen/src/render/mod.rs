//! Renderers: each reads the [`crate::model::Catalog`] and returns file contents.

pub mod asyncapi;
pub mod docs;
pub mod editor_schema;
mod items;
pub mod json_schema;
pub mod message_schema;
pub mod proto_keys;
pub mod python;
pub mod rust;
mod rust_checks;
mod rust_doubles;
mod rust_expr;
mod rust_holds;
mod rust_messages;
mod rust_reading;
mod rust_support;
mod rust_text;
mod rust_tokens;
mod rust_type_enum;
mod rust_types;
mod serde_rename;
#[cfg(test)]
pub(crate) mod test_catalog;
pub mod typescript;

pub use crate::output::GENERATED_MARKER;

/// Names the generated code defines itself, so payload types may not take
/// them: each renderer lists its own.
pub fn reserved_names(channel_ident: &str) -> Vec<String> {
    let prefixed = rust::RESERVED_SUFFIXES
        .iter()
        .chain(typescript::RESERVED_SUFFIXES)
        .map(|suffix| format!("{channel_ident}{suffix}"));
    let plain = rust::RESERVED
        .iter()
        .chain(typescript::RESERVED)
        .chain(python::RESERVED)
        .map(|name| name.to_string());
    prefixed.chain(plain).collect()
}

/// The "generated, do not edit" header, behind a language's line comment:
/// it names the catalog and the command the project runs.
pub fn header(catalog: &crate::model::Catalog, comment: &str) -> String {
    let command = &catalog.outputs.command;
    format!(
        "{comment}{GENERATED_MARKER} from {}. Do not edit.\n\
         {comment}Change the catalog and run `{}`; `{}` fails on hand edits.\n\n",
        catalog.outputs.catalog_file,
        command.generate(),
        command.check(),
    )
}

/// The envelope's shape in one line, e.g.
/// `{"protocol_version": 1, "event_type": "<name>", "payload": {...}}` or, for
/// a flat envelope, `{"type": "<name>", "project_id": ..., <payload fields>}`.
pub fn envelope_sketch(catalog: &crate::model::Catalog) -> String {
    let envelope = &catalog.envelope;
    let quote = |name: &str| serde_json::to_string(name).unwrap_or_default();
    let mut parts = Vec::new();
    if let Some(version) = &envelope.version_field {
        parts.push(format!("{}: {}", quote(version), catalog.protocol_version));
    }
    parts.push(format!("{}: \"<name>\"", quote(&envelope.type_field)));
    if let Some(fields) = catalog.envelope_fields() {
        parts.extend(
            fields
                .fields
                .iter()
                .map(|field| format!("{}: ...", quote(&field.name))),
        );
    }
    match &envelope.payload_field {
        Some(payload) => parts.push(format!("{}: {{...}}", quote(payload))),
        None => parts.push("<payload fields>".to_string()),
    }
    format!("{{{}}}", parts.join(", "))
}

/// A description's first sentence, on one line: a summary.
pub fn first_sentence(text: &str) -> String {
    // A lone `\r` ends the line too: rustc rejects a bare CR in a doc comment.
    let line = text.split(['\n', '\r']).next().unwrap_or_default();
    match line.find(". ") {
        Some(end) => line[..=end].to_string(),
        None => line.to_string(),
    }
}

/// The `n` of "an" before a noun that starts with a vowel, else nothing.
pub fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "n"
    } else {
        ""
    }
}
