//! The Markdown taxonomy page: envelope, naming rule, then every event by
//! resource. All escaping happens here; the Tera template only lays out text.

use std::collections::HashSet;

use serde::Serialize;

use crate::contents::Contents;
use crate::model::{
    AttributeValue, Catalog, Direction, Event, Resource, Stability, Struct, Ty, TypeId, TypeKind,
};
use crate::render::{envelope_sketch, header};

/// The page down to the event index.
const HEAD: &str = include_str!("../../templates/taxonomy.md.tera");
/// One resource's section, with its events.
const RESOURCE: &str = include_str!("../../templates/taxonomy-resource.md.tera");
/// One shared type's section.
const TYPE: &str = include_str!("../../templates/taxonomy-type.md.tera");

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

#[derive(Serialize)]
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
    fn of(event: &Event) -> IndexRow {
        IndexRow {
            name: event.name.clone(),
            resource: event.resource.clone(),
            sent_by: sent_by(event),
            webhook: webhook(event),
            since: event.since.clone(),
            stability: stability(event),
            grandfathered: event.grandfathered.as_deref().map(cell),
            deprecated: event.deprecated.as_deref().map(cell),
        }
    }
}

#[derive(Serialize)]
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

/// The context of one resource's section.
#[derive(Serialize)]
struct ResourceSection {
    has_commands: bool,
    resource: ResourceView,
}

#[derive(Serialize)]
struct ResourceView {
    name: String,
    description: Option<String>,
    events: Vec<EventView>,
}

/// The context of one shared type's section.
#[derive(Serialize)]
struct TypeSection {
    /// Whether it is the first, which brings the section's heading.
    first: bool,
    #[serde(rename = "type")]
    ty: TypeView,
}

#[derive(Serialize)]
struct TypeView {
    name: String,
    description: Option<String>,
    body: String,
}

/// The page's contents: the head down to the event index, then each
/// resource's section, then each shared type's. Each is rendered from a
/// context of its own and tidied as it comes, so the page is never held
/// twice, nor the view of every event at once (at 10,000 events the whole
/// view and its template context held 90 MB beside the page's 21).
pub fn page(catalog: &Catalog) -> Result<Contents, String> {
    let tera = templates()?;
    let has_commands = catalog.sent_by(Direction::ClientToServer).next().is_some();
    let mut page = Tidied::default();
    page.push(&render(&tera, "head", &head(catalog, has_commands))?);
    for resource in &catalog.resources {
        let section = ResourceSection {
            has_commands,
            resource: resource_view(catalog, resource),
        };
        page.push(&render(&tera, "resource", &section)?);
    }
    for (index, ty) in shared_types(catalog).enumerate() {
        let section = TypeSection {
            first: index == 0,
            ty,
        };
        page.push(&render(&tera, "type", &section)?);
    }
    Ok(page.finish())
}

/// The page's three templates.
fn templates() -> Result<tera::Tera, String> {
    let mut tera = tera::Tera::default();
    for (name, template) in [("head", HEAD), ("resource", RESOURCE), ("type", TYPE)] {
        tera.add_raw_template(name, template)
            .map_err(|error| format!("taxonomy template `{name}`: {error}"))?;
    }
    Ok(tera)
}

/// One template of the page, rendered with `view` as its context.
fn render(tera: &tera::Tera, template: &str, view: &impl Serialize) -> Result<String, String> {
    let context = tera::Context::from_serialize(view)
        .map_err(|error| format!("taxonomy context for `{template}`: {error}"))?;
    tera.render(template, &context)
        .map_err(|error| format!("taxonomy template `{template}`: {error}"))
}

/// The page, tidied as its pieces come: runs of blank lines the
/// templates' conditionals leave behind collapse to one, a run at the end
/// goes, and white space at line ends goes. The pieces stay apart.
#[derive(Default)]
struct Tidied {
    contents: Contents,
    /// The last piece's unfinished line.
    partial: String,
    /// A blank line held back until a line with text follows it.
    blank: bool,
    /// Whether a line with text has been kept.
    wrote: bool,
}

impl Tidied {
    /// Adds the next piece of the text.
    fn push(&mut self, piece: &str) {
        let joined;
        let mut text = piece;
        if !self.partial.is_empty() {
            joined = std::mem::take(&mut self.partial) + piece;
            text = &joined;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(end) = memchr::memchr(b'\n', rest.as_bytes()) {
            self.line(&rest[..end], &mut out);
            rest = &rest[end + 1..];
        }
        self.partial.push_str(rest);
        self.contents.push(out);
    }

    fn line(&mut self, line: &str, out: &mut String) {
        let kept = line.trim_end();
        if kept.is_empty() {
            self.blank = true;
            return;
        }
        if std::mem::take(&mut self.blank) {
            out.push('\n');
        }
        out.push_str(kept);
        out.push('\n');
        self.wrote = true;
    }

    /// The text: its last line ended, a blank run at its end dropped (a
    /// text of blank lines only keeps one).
    fn finish(mut self) -> Contents {
        let mut out = String::new();
        let partial = std::mem::take(&mut self.partial);
        if !partial.is_empty() {
            self.line(&partial, &mut out);
        }
        if self.blank && !self.wrote {
            out.push('\n');
        }
        self.contents.push(out);
        self.contents
    }
}

/// The view of the page down to the event index.
fn head(catalog: &Catalog, has_commands: bool) -> Page {
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
        has_commands,
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
        exceptions: catalog.events.iter().flat_map(exception_rows).collect(),
        decisions: decision_rows(catalog),
        index: catalog.events.iter().map(IndexRow::of).collect(),
    }
}

/// A resource with the views of its events.
fn resource_view(catalog: &Catalog, resource: &Resource) -> ResourceView {
    ResourceView {
        name: resource.name.clone(),
        description: resource.description.as_deref().map(paragraph),
        events: resource
            .events
            .iter()
            .map(|&index| event_view(catalog, &catalog.events[index]))
            .collect(),
    }
}

/// One event as the page shows it.
fn event_view(catalog: &Catalog, event: &Event) -> EventView {
    let payload = catalog.ty(event.payload);
    EventView {
        name: event.name.clone(),
        resource: event.resource.clone(),
        description: paragraph(&event.description),
        webhook: webhook(event),
        sent_by: sent_by(event),
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
        stability: stability(event),
        grandfathered: event.grandfathered.as_deref().map(cell),
        deprecated: event.deprecated.as_deref().map(cell),
        exceptions: exception_rows(event).collect(),
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

/// Where the event is a webhook too, as a cell.
fn webhook(event: &Event) -> String {
    event
        .webhook
        .as_ref()
        .map_or_else(|| "WS-only".to_string(), |name| code(name))
}

/// Which side sends the event.
fn sent_by(event: &Event) -> String {
    match event.direction {
        Direction::ServerToClient => "server".to_string(),
        Direction::ClientToServer => "client".to_string(),
    }
}

fn stability(event: &Event) -> String {
    match event.stability {
        Stability::Frozen => "frozen".to_string(),
        Stability::Experimental => "experimental".to_string(),
    }
}

/// The event's exceptions to the naming rules, as rows of their table.
fn exception_rows(event: &Event) -> impl Iterator<Item = ExceptionRow> + '_ {
    event.exceptions.iter().map(|exception| ExceptionRow {
        event: event.name.clone(),
        rule: exception.rule.clone(),
        reason: cell(&exception.reason),
    })
}

/// Named types other than payloads, the envelope's fields and union
/// variants (those are shown where they are used).
fn shared_types(catalog: &Catalog) -> impl Iterator<Item = TypeView> + '_ {
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
        .filter(move |(index, _)| {
            !payload_ids.contains(&TypeId(*index)) && !union_variants.contains(&TypeId(*index))
        })
        .map(|(_, ty)| TypeView {
            name: ty.name.clone(),
            description: ty.description.as_deref().map(paragraph),
            body: type_body(catalog, &ty.kind),
        })
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

    /// The text tidied from `pieces`, joined.
    fn tidy(pieces: &[&str]) -> String {
        let mut tidied = Tidied::default();
        for piece in pieces {
            tidied.push(piece);
        }
        tidied.finish().into_string()
    }

    #[test]
    fn tidy_collapses_blank_runs_across_pieces() {
        assert_eq!(tidy(&["a\n\n\n\nb  \n\n"]), "a\n\nb\n");
        assert_eq!(tidy(&["a\n\n", "\n", "\nb", "  \n\n"]), "a\n\nb\n");
        // As the line-by-line pass over the whole text wrote it.
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
            // Whole, and cut in two and in three at every character.
            assert_eq!(tidy(&[text]), by_lines(text), "{text:?}");
            let cuts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            for &first in &cuts {
                let (one, rest) = text.split_at(first);
                assert_eq!(tidy(&[one, rest]), by_lines(text), "{one:?} {rest:?}");
                for &second in cuts.iter().filter(|&&at| at >= first) {
                    let (two, three) = rest.split_at(second - first);
                    assert_eq!(
                        tidy(&[one, two, three]),
                        by_lines(text),
                        "{one:?} {two:?} {three:?}"
                    );
                }
            }
        }
    }
}
