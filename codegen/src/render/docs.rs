//! The Markdown taxonomy page: envelope, naming rule, then every event by
//! resource. All escaping happens here; the Tera template only lays out text.

use std::collections::HashSet;

use serde::Serialize;

use crate::model::{
    AttributeValue, Catalog, Direction, Event, Stability, Struct, Ty, TypeId, TypeKind,
};
use crate::render::{envelope_sketch, header};

const TEMPLATE: &str = include_str!("../../templates/taxonomy.md.tera");

#[derive(Serialize)]
struct Page {
    header: String,
    channel: String,
    description: String,
    envelope_example: String,
    version_field: Option<String>,
    type_field: String,
    payload_field: Option<String>,
    envelope_fields: Option<String>,
    protocol_version: u32,
    sse: bool,
    has_commands: bool,
    attributes: Vec<AttributeRow>,
    policies: Vec<PolicyRow>,
    grandfathered: Vec<GrandfatheredRow>,
    exceptions: Vec<ExceptionRow>,
    decisions: Vec<DecisionRow>,
    index: Vec<IndexRow>,
    resources: Vec<ResourceView>,
    types: Vec<TypeView>,
}

#[derive(Serialize)]
struct AttributeRow {
    name: String,
    default: String,
    description: String,
}

#[derive(Serialize)]
struct PolicyRow {
    name: String,
    description: String,
    rules: String,
}

#[derive(Serialize)]
struct GrandfatheredRow {
    name: String,
    reason: String,
}

#[derive(Serialize, Clone)]
struct ExceptionRow {
    event: String,
    rule: String,
    reason: String,
}

#[derive(Serialize)]
struct DecisionRow {
    protocol_version: u32,
    event: String,
    change: String,
    reason: String,
}

/// An event's row in the index: what the index shows, not the whole view
/// (the template gets every event once in full, under its resource).
#[derive(Serialize)]
struct IndexRow {
    name: String,
    resource: String,
    sent_by: String,
    webhook: String,
    since: String,
    stability: String,
    grandfathered: Option<String>,
    deprecated: Option<String>,
}

impl IndexRow {
    fn of(event: &EventView) -> IndexRow {
        IndexRow {
            name: event.name.clone(),
            resource: event.resource.clone(),
            sent_by: event.sent_by.clone(),
            webhook: event.webhook.clone(),
            since: event.since.clone(),
            stability: event.stability.clone(),
            grandfathered: event.grandfathered.clone(),
            deprecated: event.deprecated.clone(),
        }
    }
}

#[derive(Serialize, Clone, Default)]
struct EventView {
    name: String,
    resource: String,
    description: String,
    webhook: String,
    sent_by: String,
    attributes: Vec<String>,
    naming_policy: Option<String>,
    since: String,
    stability: String,
    grandfathered: Option<String>,
    deprecated: Option<String>,
    exceptions: Vec<ExceptionRow>,
    aliases: Vec<String>,
    payload_type: String,
    fields: String,
    examples: Vec<String>,
}

#[derive(Serialize)]
struct ResourceView {
    name: String,
    description: Option<String>,
    events: Vec<EventView>,
}

#[derive(Serialize)]
struct TypeView {
    name: String,
    description: Option<String>,
    body: String,
}

/// The page's contents.
pub fn page(catalog: &Catalog) -> Result<String, String> {
    // The context, a copy of the whole view, is gone before the text is tidied.
    let text = {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("taxonomy.md", TEMPLATE)
            .map_err(|error| format!("taxonomy template: {error}"))?;
        let context = tera::Context::from_serialize(&view(catalog))
            .map_err(|error| format!("taxonomy context: {error}"))?;
        tera.render("taxonomy.md", &context)
            .map_err(|error| format!("taxonomy template: {error}"))?
    };
    Ok(tidy(text))
}

/// Collapses runs of blank lines the template's conditionals leave behind,
/// and white space at line ends, in the text's own buffer: each kept line
/// moves down over what was dropped before it.
fn tidy(text: String) -> String {
    let mut bytes = text.into_bytes();
    let (mut read, mut write, mut blank) = (0, 0, 0);
    while read < bytes.len() {
        let start = read;
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |at| start + at);
        read = (end + 1).min(bytes.len());
        // A line of a `String` between newlines is UTF-8.
        let kept = std::str::from_utf8(&bytes[start..end])
            .map_or(end - start, |line| line.trim_end().len());
        if kept == 0 {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        bytes.copy_within(start..start + kept, write);
        write += kept;
        // At most the newline the line ended with, or past the end.
        match bytes.get_mut(write) {
            Some(byte) => *byte = b'\n',
            None => bytes.push(b'\n'),
        }
        write += 1;
    }
    bytes.truncate(write);
    while bytes.ends_with(b"\n\n") {
        bytes.pop();
    }
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// The page's view of the catalog: one small builder per section.
fn view(catalog: &Catalog) -> Page {
    let events: Vec<EventView> = catalog
        .events
        .iter()
        .map(|event| event_view(catalog, event))
        .collect();
    Page {
        header: format!("<!--\n{}\n-->\n\n", header(catalog, "  ").trim_end()),
        channel: catalog.channel.clone(),
        description: paragraph(&catalog.description),
        envelope_example: envelope_sketch(catalog),
        version_field: catalog.envelope.version_field.clone(),
        type_field: catalog.envelope.type_field.clone(),
        payload_field: catalog.envelope.payload_field.clone(),
        envelope_fields: catalog
            .envelope_fields()
            .map(|object| fields_table(catalog, object, None)),
        protocol_version: catalog.protocol_version,
        sse: catalog.sse,
        has_commands: catalog.sent_by(Direction::ClientToServer).next().is_some(),
        attributes: attribute_rows(catalog),
        policies: policy_rows(catalog),
        grandfathered: catalog
            .grandfathered
            .iter()
            .map(|entry| GrandfatheredRow {
                name: entry.name.clone(),
                reason: cell(&entry.reason),
            })
            .collect(),
        exceptions: events
            .iter()
            .flat_map(|event| event.exceptions.iter().cloned())
            .collect(),
        decisions: decision_rows(catalog),
        index: events.iter().map(IndexRow::of).collect(),
        resources: resource_views(catalog, events),
        types: shared_types(catalog),
    }
}

/// Each resource with its events' views, moved in (copied only for an
/// event a second resource lists too).
fn resource_views(catalog: &Catalog, mut events: Vec<EventView>) -> Vec<ResourceView> {
    let mut listings = vec![0_usize; events.len()];
    for resource in &catalog.resources {
        for &index in &resource.events {
            listings[index] += 1;
        }
    }
    let mut view = |index: usize| {
        listings[index] -= 1;
        match listings[index] {
            0 => std::mem::take(&mut events[index]),
            _ => events[index].clone(),
        }
    };
    catalog
        .resources
        .iter()
        .map(|resource| ResourceView {
            name: resource.name.clone(),
            description: resource.description.as_deref().map(paragraph),
            events: resource.events.iter().map(|&index| view(index)).collect(),
        })
        .collect()
}

/// One event as the page shows it.
fn event_view(catalog: &Catalog, event: &Event) -> EventView {
    let payload = catalog.ty(event.payload);
    EventView {
        name: event.name.clone(),
        resource: event.resource.clone(),
        description: paragraph(&event.description),
        webhook: event
            .webhook
            .as_ref()
            .map_or_else(|| "WS-only".to_string(), |name| code(name)),
        sent_by: match event.direction {
            Direction::ServerToClient => "server".to_string(),
            Direction::ClientToServer => "client".to_string(),
        },
        attributes: catalog
            .attributes
            .iter()
            .zip(&event.attributes)
            // Only where the event differs from the default, as the page says.
            .filter(|(attribute, value)| **value != attribute.default)
            .map(|(attribute, value)| format!("{}: {}", code(&attribute.name), value_text(value)))
            .collect(),
        naming_policy: event.naming_policy.as_deref().map(code),
        since: event.since.clone(),
        stability: match event.stability {
            Stability::Frozen => "frozen".to_string(),
            Stability::Experimental => "experimental".to_string(),
        },
        grandfathered: event.grandfathered.as_deref().map(cell),
        deprecated: event.deprecated.as_deref().map(cell),
        exceptions: event
            .exceptions
            .iter()
            .map(|exception| ExceptionRow {
                event: event.name.clone(),
                rule: exception.rule.clone(),
                reason: cell(&exception.reason),
            })
            .collect(),
        aliases: event.aliases.iter().map(|alias| code(alias)).collect(),
        payload_type: format!("`{}`", payload.name),
        fields: match catalog.struct_of(event.payload) {
            Some(object) => fields_table(catalog, object, None),
            None => String::new(),
        },
        examples: event
            .examples
            .iter()
            .map(|example| serde_json::to_string_pretty(example).unwrap_or_default())
            .collect(),
    }
}

/// Named types other than payloads, the envelope's fields and union
/// variants (those are shown where they are used).
fn shared_types(catalog: &Catalog) -> Vec<TypeView> {
    let mut payload_ids: HashSet<TypeId> =
        catalog.events.iter().map(|event| event.payload).collect();
    // The envelope's own fields are shown with the envelope.
    payload_ids.extend(catalog.envelope.fields);
    let union_variants: HashSet<TypeId> = catalog
        .types
        .iter()
        .filter_map(|ty| match &ty.kind {
            TypeKind::Union(union) => Some(union.variants.iter().map(|variant| variant.fields)),
            _ => None,
        })
        .flatten()
        .collect();
    catalog
        .types
        .iter()
        .enumerate()
        .filter(|(index, _)| {
            !payload_ids.contains(&TypeId(*index)) && !union_variants.contains(&TypeId(*index))
        })
        .map(|(_, ty)| TypeView {
            name: ty.name.clone(),
            description: ty.description.as_deref().map(paragraph),
            body: type_body(catalog, &ty.kind),
        })
        .collect()
}

fn attribute_rows(catalog: &Catalog) -> Vec<AttributeRow> {
    catalog
        .attributes
        .iter()
        .map(|attribute| AttributeRow {
            name: code(&attribute.name),
            default: value_text(&attribute.default),
            description: cell(&attribute.description),
        })
        .collect()
}

fn policy_rows(catalog: &Catalog) -> Vec<PolicyRow> {
    catalog
        .naming
        .policies
        .iter()
        .map(|(name, policy)| PolicyRow {
            name: code(name),
            description: cell(&policy.description),
            rules: policy
                .severities
                .iter()
                .map(|(rule, severity)| {
                    format!("{} {}", code(rule), format!("{severity:?}").to_lowercase())
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

fn decision_rows(catalog: &Catalog) -> Vec<DecisionRow> {
    catalog
        .breaking_changes
        .iter()
        .map(|decision| DecisionRow {
            protocol_version: decision.protocol_version,
            event: decision.event.clone(),
            change: cell(&decision.change),
            reason: cell(&decision.reason),
        })
        .collect()
}

fn value_text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Boolean(flag) => code(&flag.to_string()),
        AttributeValue::String(text) => code(&serde_json::to_string(text).unwrap_or_default()),
        AttributeValue::Integer(number) => code(&number.to_string()),
    }
}

fn type_body(catalog: &Catalog, kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(object) => fields_table(catalog, object, None),
        TypeKind::Enum(values) => {
            let values: Vec<String> = values
                .variants
                .iter()
                .map(|variant| code(&variant.value))
                .collect();
            format!("One of: {}.", values.join(", "))
        }
        TypeKind::Literals(literals) => {
            let values: Vec<String> = literals
                .values
                .iter()
                .map(|value| code(&value.to_string()))
                .collect();
            format!("One of: {}.", values.join(", "))
        }
        TypeKind::Untagged(variants) => {
            let types: Vec<String> = variants
                .iter()
                .map(|variant| type_text(catalog, &variant.ty))
                .collect();
            format!("One of: {}, told apart by shape.", types.join("; "))
        }
        TypeKind::Union(union) => {
            let mut out = format!(
                "One of the following, told apart by {}:\n",
                code(&union.tag)
            );
            for variant in &union.variants {
                let fields = catalog.ty(variant.fields);
                out.push_str(&format!(
                    "\n{} = {}",
                    code(&union.tag),
                    code(&variant.value)
                ));
                if let Some(description) = &fields.description {
                    out.push_str(&format!(": {}", cell(description)));
                }
                out.push_str("\n\n");
                if let TypeKind::Struct(object) = &fields.kind {
                    out.push_str(&fields_table(
                        catalog,
                        object,
                        Some((&union.tag, &variant.value)),
                    ));
                }
            }
            out.trim_end().to_string()
        }
        TypeKind::Alias(target) => format!("Type: {}.", type_text(catalog, target)),
    }
}

/// The field table of an object; a union variant lists its discriminator first.
fn fields_table(catalog: &Catalog, object: &Struct, tag: Option<(&str, &str)>) -> String {
    if object.fields.is_empty() && tag.is_none() {
        return "No fields.".to_string();
    }
    let mut out = String::from("| Field | Type | Required | Description |\n|---|---|---|---|\n");
    if let Some((name, value)) = tag {
        out.push_str("| ");
        push_code(&mut out, name);
        out.push_str(" | ");
        push_code(&mut out, value);
        out.push_str(" | yes | Discriminator. |\n");
    }
    for field in &object.fields {
        out.push_str("| ");
        push_code(&mut out, &field.name);
        out.push_str(" | ");
        push_type_text(&mut out, catalog, &field.ty);
        out.push_str(if field.required {
            " | yes | "
        } else {
            " | no | "
        });
        if let Some(description) = &field.description {
            push_cell(&mut out, description);
        }
        out.push_str(" |\n");
    }
    out.truncate(out.trim_end().len());
    out
}

/// How a type reads in a table cell.
fn type_text(catalog: &Catalog, ty: &Ty) -> String {
    let mut out = String::new();
    push_type_text(&mut out, catalog, ty);
    out
}

/// [`type_text`], appended to `out`.
fn push_type_text(out: &mut String, catalog: &Catalog, ty: &Ty) {
    match ty {
        Ty::String(None) => out.push_str("string"),
        Ty::String(Some(format)) => {
            out.push_str("string (");
            out.push_str(format);
            out.push(')');
        }
        Ty::Integer { .. } => out.push_str("integer"),
        Ty::Number => out.push_str("number"),
        Ty::Boolean => out.push_str("boolean"),
        Ty::Array(inner) => {
            out.push_str("array of ");
            push_type_text(out, catalog, inner);
        }
        Ty::Map(inner) => {
            out.push_str("map of string to ");
            push_type_text(out, catalog, inner);
        }
        Ty::Named(id) => {
            let name = &catalog.ty(*id).name;
            out.push('[');
            push_code(out, name);
            out.push_str("](#");
            out.push_str(&name.to_lowercase());
            out.push(')');
        }
        Ty::Nullable(inner) => {
            push_type_text(out, catalog, inner);
            out.push_str(" or null");
        }
        Ty::Json => out.push_str("any JSON"),
        Ty::Null => out.push_str("null"),
    }
}

/// Text for a table cell: one line (runs of white space one space), pipes
/// escaped, and `<` and `&` escaped outside code spans, in one pass.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_cell(&mut out, text);
    out
}

/// [`cell`], appended to `out`.
fn push_cell(out: &mut String, text: &str) {
    let one_line = text
        .split_whitespace()
        .enumerate()
        .flat_map(|(index, word)| (index > 0).then_some(' ').into_iter().chain(word.chars()));
    push_escaped(out, text, one_line, true);
}

/// Escapes `<` and `&` outside code spans, so `<resource>` is text, not a tag.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text, text.chars(), false);
    out
}

/// Appends `chars` (the characters of `text`, perhaps respaced) with `<`
/// and `&` escaped outside code spans, and `|` everywhere when `pipes` is set.
fn push_escaped(out: &mut String, text: &str, chars: impl Iterator<Item = char>, pipes: bool) {
    // A lone backtick opens no code span in Markdown, so it must not switch
    // escaping off either.
    let balanced = text.matches('`').count().is_multiple_of(2);
    let mut in_code = false;
    for c in chars {
        match c {
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '&' if !in_code => out.push_str("&amp;"),
            '|' if pipes => out.push_str("\\|"),
            _ => out.push(c),
        }
    }
}

/// Text for a paragraph: lines kept, but nothing that starts a heading or a block.
fn paragraph(text: &str) -> String {
    text.trim()
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let line = escape_html(line);
            if trimmed.starts_with('#') || trimmed.starts_with("```") {
                format!("\\{}", line.trim_start())
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Inline code that survives backticks inside the text.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_code(&mut out, text);
    out
}

/// [`code`], appended to `out`.
fn push_code(out: &mut String, text: &str) {
    if !text.contains(['|', '\n', '\r', '`']) {
        out.push('`');
        out.push_str(text);
        out.push('`');
        return;
    }
    // One line, no column breaks: a name with a newline or a pipe stays one cell.
    let text = text
        .replace('|', "\\|")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n");
    let fence = if text.contains('`') { "``" } else { "`" };
    let pad = if text.contains('`') { " " } else { "" };
    for part in [fence, pad, &text, pad, fence] {
        out.push_str(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_on_one_line_and_escape_pipes() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("tasks|reordered"), "`tasks\\|reordered`");
        assert_eq!(code("two\nlines"), "`two\\nlines`");
        assert_eq!(cell("a ` b <script>"), "a ` b &lt;script>");
        assert_eq!(
            cell("<resource>_`<verb>` & co"),
            "&lt;resource>_`<verb>` &amp; co"
        );
        assert_eq!(
            paragraph("# not a heading\ntext"),
            "\\# not a heading\ntext"
        );
    }

    #[test]
    fn tidy_collapses_blank_runs() {
        assert_eq!(tidy("a\n\n\n\nb  \n\n".to_string()), "a\n\nb\n");
        // As the line-by-line pass it replaces wrote it.
        let by_lines = |text: &str| {
            let mut out = String::new();
            let mut blank = 0;
            for line in text.lines() {
                if line.trim().is_empty() {
                    blank += 1;
                    if blank > 1 {
                        continue;
                    }
                } else {
                    blank = 0;
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
            while out.ends_with("\n\n") {
                out.pop();
            }
            out
        };
        for text in [
            "",
            "\n",
            "\n\n\n",
            "a",
            "a\n",
            "a\n\n",
            "a \t\r\nb\r\n\r\n\r\n c\u{3000}\n\u{a0}\n\n",
            "é  \n\n\n\n\u{2003}ü\nlast line without a newline  ",
            "  lead\n\n\n  \n\t\nend\n\n\n",
        ] {
            assert_eq!(tidy(text.to_string()), by_lines(text), "{text:?}");
        }
    }
}
