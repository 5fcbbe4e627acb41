//! Validation in the generated Rust: each payload's `validate`, each
//! family's message layout for the envelope's reader, and the catalog's
//! [`Checks`] as a static table that the crate's `eventcat_checks` module
//! (hand-written, `codegen/support/checks.rs`) walks.

use std::fmt::Write;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Number;

use super::rust_expr::Expr;
use super::rust_holds::Plans;
use super::rust_text::{
    INDENT, Lone, MARGIN, doc_line, ident, line, list, pad, paged_table, string,
};
use crate::checks::{Check, Checks, JsonType};
use crate::model::{Catalog, Family, TypeId};

/// `EVENT_MESSAGES` / `COMMAND_MESSAGES`: a family's message layout.
pub fn messages_name(noun: &str) -> String {
    format!("{}_MESSAGES", noun.to_uppercase())
}

/// What validation adds to the channel module before its [`table`] and
/// [`patterns`], in order: `first`, each type's `holds`, `last`.
pub struct Items {
    /// Each payload's `validate` and each message enum's `holds`.
    pub first: Vec<String>,
    /// The `holds` of each type the payloads reach ([`Plans`]).
    pub holds: Vec<(TypeId, String)>,
    /// The families' layouts and `SCHEMAS`.
    pub last: Vec<String>,
}

/// The validation items of the channel module ([`Items`]).
pub fn items(catalog: &Catalog, checks: &Checks) -> Items {
    let mut plans = Plans::new(catalog, checks);
    let mut first: Vec<String> = catalog
        .events
        .iter()
        .map(|event| {
            let at = checks.payloads[&event.name];
            let holds = plans.payload(event, at, "self");
            payload_validate(&catalog.ty(event.payload).name, at, &holds)
        })
        .collect();
    for family in catalog.families() {
        first.push(message_holds(&family, checks, &mut plans));
    }
    let mut last: Vec<String> = catalog
        .families()
        .iter()
        .map(|family| messages(catalog, family.noun, &family.members, checks))
        .collect();
    last.push(
        "/// The catalog's schemas with their patterns, as the validator reads them.\n\
         static SCHEMAS: checks::Schemas = checks::Schemas {\n    \
         checks: checks::Table(&CHECKS),\n    \
         patterns: &PATTERNS,\n    \
         matches,\n\
         };\n"
            .to_string(),
    );
    Items {
        first,
        holds: plans.impls(),
        last,
    }
}

fn payload_validate(payload: &str, at: usize, holds: &Expr) -> String {
    let mut out = format!(
        "impl {} {{\n    \
         /// Checks the payload against every keyword of its schema,\n    \
         /// including what the type cannot say (bounds, lengths,\n    \
         /// patterns, formats); the error names the first value that fails.\n    \
         pub fn validate(&self) -> Result<(), ValidationError> {{\n",
        ident(payload)
    );
    let explain = format!("checks::explain(self, &SCHEMAS, {at})");
    let one_line = format!("if {} {{ Ok(()) }} else {{ {explain} }}", holds.one_line());
    if holds.is_true() {
        // A payload whose type guarantees its schema always passes.
        line(&mut out, 2 * INDENT, "Ok(())");
    } else if 2 * INDENT + one_line.len() <= MARGIN {
        line(&mut out, 2 * INDENT, &one_line);
    } else {
        holds.write_condition(&mut out, 2 * INDENT);
        line(&mut out, 3 * INDENT, "Ok(())");
        line(&mut out, 2 * INDENT, "} else {");
        line(&mut out, 3 * INDENT, &explain);
        line(&mut out, 2 * INDENT, "}");
    }
    out.push_str("    }\n}\n");
    out
}

/// The message enum's `holds`: its payload's, by variant.
fn message_holds(family: &Family, checks: &Checks, plans: &mut Plans) -> String {
    let arms = family
        .members
        .iter()
        .map(|event| {
            let holds = plans.payload(event, checks.payloads[&event.name], "payload");
            let binding = if holds.is_true() { "_" } else { "payload" };
            (format!("Self::{}({binding})", ident(&event.ident)), holds)
        })
        .collect();
    let mut out = String::new();
    if crate::model::any_deprecated(&family.members) {
        out.push_str("#[allow(deprecated)]\n");
    }
    let _ = writeln!(out, "impl {} {{", ident(&family.message));
    doc_line(
        &mut out,
        INDENT,
        &format!(
            " Whether the {}'s payload passes its schema; `false` also when only the `Value` check can tell.",
            family.noun
        ),
    );
    out.push_str("    pub(crate) fn holds(&self) -> bool {\n");
    let body = Expr::Match {
        scrutinee: "self",
        arms,
    };
    body.write_block(&mut out, 2 * INDENT);
    out.push_str("    }\n}\n");
    out
}

fn messages(
    catalog: &Catalog,
    noun: &str,
    members: &[&crate::model::Event],
    checks: &Checks,
) -> String {
    let envelope = &catalog.envelope;
    let optional = |value: Option<String>| match value {
        Some(value) => format!("Some({value})"),
        None => "None".to_string(),
    };
    let fields: Vec<String> = catalog
        .envelope_fields()
        .map(|object| {
            object
                .fields
                .iter()
                .map(|field| string(&field.name))
                .collect()
        })
        .unwrap_or_default();
    let payloads: Vec<String> = members
        .iter()
        .flat_map(|event| {
            let at = checks.payloads[&event.name];
            std::iter::once(&event.name)
                .chain(&event.aliases)
                .map(move |name| format!("({}, {at})", string(name)))
        })
        .collect();
    let mut out = String::new();
    doc_line(
        &mut out,
        0,
        &format!(" Where {noun} messages keep their parts, and each type's payload check."),
    );
    let _ = writeln!(
        out,
        "static {}: checks::Messages = checks::Messages {{",
        messages_name(noun)
    );
    let members = [
        ("type_field", string(&envelope.type_field)),
        (
            "version_field",
            optional(envelope.version_field.as_deref().map(string)),
        ),
        (
            "payload_field",
            optional(envelope.payload_field.as_deref().map(string)),
        ),
        (
            "omit_empty_payload",
            envelope.omit_empty_payload.to_string(),
        ),
    ];
    for (key, value) in members {
        line(&mut out, INDENT, &format!("{key}: {value},"));
    }
    list(&mut out, INDENT, "fields: &[", &fields, "],", Lone::Plain);
    let fields_check = optional(checks.envelope_fields.map(|at| at.to_string()));
    line(&mut out, INDENT, &format!("fields_check: {fields_check},"));
    list(
        &mut out,
        INDENT,
        "payloads: &[",
        &payloads,
        "],",
        Lone::Plain,
    );
    out.push_str("};\n");
    out
}

/// `CHECKS`: one schema per entry, only the keywords it has, in pages
/// ([`paged_table`]). Written as text in prettyplease's layout rather than
/// formatted through `syn`: the table is most of a large catalog's channel
/// module.
pub fn table(checks: &Checks) -> Vec<String> {
    let doc = "The catalog's schemas: payloads, shared definitions and envelope \
               fields, subschemas by index.";
    paged_table(
        doc,
        "CHECKS",
        "checks::Check",
        &checks.table,
        |out, check| {
            out.push_str("    checks::Check {\n");
            for (key, value) in members(check) {
                value.write_member(out, 8, key);
            }
            out.push_str("        ..checks::Check::ANY\n    },\n");
        },
    )
}

/// A member's value, as the table writes it.
enum Piece {
    /// Text that does not break: `true`, `3`, `"uri"`.
    Atom(String),
    /// `&[a, b]`: on one line, or one element per line.
    List(Vec<String>),
    /// `&[1, 2]` of integers: on one line, or as many per line as fit.
    Packed(Vec<String>),
    /// `Some(v)`, broken around `v` when the line is too long.
    Some(Box<Piece>),
}

impl Piece {
    fn one_line(&self) -> String {
        match self {
            Piece::Atom(text) => text.clone(),
            Piece::List(items) | Piece::Packed(items) => format!("&[{}]", items.join(", ")),
            Piece::Some(inner) => format!("Some({})", inner.one_line()),
        }
    }

    /// `key: value,` at `indent`.
    fn write_member(&self, out: &mut String, indent: usize, key: &str) {
        self.write_line(out, indent, &[key, ": "].concat());
    }

    /// `{prefix}value,` and a newline at `indent`: on one line, or broken
    /// where the line would pass the margin.
    fn write_line(&self, out: &mut String, indent: usize, prefix: &str) {
        pad(out, indent);
        out.push_str(prefix);
        let one_line = self.one_line();
        if indent + prefix.len() + one_line.len() + ",".len() <= MARGIN {
            out.push_str(&one_line);
        } else {
            self.write_broken(out, indent);
        }
        out.push_str(",\n");
    }

    /// The value broken over lines, from the current column; `indent` is
    /// that of the line it starts on.
    fn write_broken(&self, out: &mut String, indent: usize) {
        let inner_pad = " ".repeat(indent + 4);
        match self {
            Piece::Atom(text) => out.push_str(text),
            Piece::List(items) => {
                out.push_str("&[\n");
                for item in items {
                    out.push_str(&inner_pad);
                    out.push_str(item);
                    out.push_str(",\n");
                }
                out.push_str(&" ".repeat(indent));
                out.push(']');
            }
            Piece::Packed(items) => {
                out.push_str("&[\n");
                let mut line = String::new();
                for item in items {
                    if !line.is_empty() && line.len() + 1 + item.len() + 1 > MARGIN {
                        out.push_str(&line);
                        out.push('\n');
                        line.clear();
                    }
                    if line.is_empty() {
                        line.push_str(&inner_pad);
                    } else {
                        line.push(' ');
                    }
                    line.push_str(item);
                    line.push(',');
                }
                out.push_str(&line);
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                out.push(']');
            }
            Piece::Some(inner) => {
                out.push_str("Some(\n");
                inner.write_line(out, indent + 4, "");
                out.push_str(&" ".repeat(indent));
                out.push(')');
            }
        }
    }
}

fn atom(text: impl Into<String>) -> Piece {
    Piece::Atom(text.into())
}

fn some(text: impl std::fmt::Display) -> Piece {
    Piece::Some(Box::new(atom(text.to_string())))
}

/// The keywords a check has, in the table's order.
fn members(check: &Check) -> Vec<(&'static str, Piece)> {
    let mut members = Vec::new();
    if check.never {
        members.push(("never", atom("true")));
    }
    if let Some(reference) = check.reference {
        members.push(("reference", some(reference)));
    }
    if !check.types.is_empty() {
        let types = check.types.iter().map(|ty| json_type(*ty).to_string());
        members.push(("types", Piece::List(types.collect())));
    }
    if let Some(constant) = &check.constant {
        members.push(("constant", some(string(&constant.to_string()))));
    }
    if let Some(values) = &check.enumeration {
        let texts = values.iter().map(|value| string(&value.to_string()));
        members.push((
            "enumeration",
            Piece::Some(Box::new(Piece::List(texts.collect()))),
        ));
    }
    let numbers = [
        ("minimum", &check.minimum),
        ("maximum", &check.maximum),
        ("exclusive_minimum", &check.exclusive_minimum),
        ("exclusive_maximum", &check.exclusive_maximum),
        ("multiple_of", &check.multiple_of),
    ];
    for (key, number) in numbers {
        if let Some(number) = number {
            members.push((key, some(float(number))));
        }
    }
    let counts = [
        ("min_length", check.min_length),
        ("max_length", check.max_length),
        ("min_items", check.min_items),
        ("max_items", check.max_items),
        ("min_properties", check.min_properties),
        ("max_properties", check.max_properties),
    ];
    for (key, count) in counts {
        if let Some(count) = count {
            members.push((key, some(count)));
        }
    }
    object_members(check, &mut members);
    members
}

fn object_members(check: &Check, members: &mut Vec<(&'static str, Piece)>) {
    if let Some(pattern) = check.pattern {
        members.push(("pattern", some(pattern)));
    }
    if let Some(format) = &check.format {
        members.push(("format", some(string(format))));
    }
    if let Some(items) = check.items {
        members.push(("items", some(items)));
    }
    if check.unique_items {
        members.push(("unique_items", atom("true")));
    }
    if !check.required.is_empty() {
        let names = check.required.iter().map(|name| string(name));
        members.push(("required", Piece::List(names.collect())));
    }
    if !check.properties.is_empty() {
        let entries = check
            .properties
            .iter()
            .map(|(name, at)| format!("({}, {at})", string(name)));
        members.push(("properties", Piece::List(entries.collect())));
    }
    if !check.pattern_properties.is_empty() {
        let entries = check
            .pattern_properties
            .iter()
            .map(|(pattern, at)| format!("({pattern}, {at})"));
        members.push(("pattern_properties", Piece::List(entries.collect())));
    }
    if let Some(additional) = check.additional {
        members.push(("additional_properties", some(additional)));
    }
    if let Some(names) = check.property_names {
        members.push(("property_names", some(names)));
    }
    for (key, list) in [
        ("all_of", &check.all_of),
        ("any_of", &check.any_of),
        ("one_of", &check.one_of),
    ] {
        if !list.is_empty() {
            members.push((
                key,
                Piece::Packed(list.iter().map(usize::to_string).collect()),
            ));
        }
    }
}

fn json_type(ty: JsonType) -> &'static str {
    match ty {
        JsonType::Null => "checks::JsonType::Null",
        JsonType::Boolean => "checks::JsonType::Boolean",
        JsonType::Object => "checks::JsonType::Object",
        JsonType::Array => "checks::JsonType::Array",
        JsonType::Number => "checks::JsonType::Number",
        JsonType::String => "checks::JsonType::String",
        JsonType::Integer => "checks::JsonType::Integer",
    }
}

/// A bound as an `f64` literal, in its shortest exact spelling.
fn float(number: &Number) -> Literal {
    Literal::f64_unsuffixed(number.as_f64().unwrap_or_default())
}

/// `PATTERNS` and `matches`, which compiles them once with `regex-lite`.
pub fn patterns(checks: &Checks) -> [TokenStream; 2] {
    let sources = &checks.patterns;
    let count = Literal::usize_unsuffixed(sources.len());
    let list = quote! {
        /// The schemas' `pattern`s and `patternProperties`, by index.
        static PATTERNS: [&str; #count] = [#(#sources),*];
    };
    let matcher = if sources.is_empty() {
        quote! {
            /// Whether `text` matches pattern `index`; the catalog has no patterns.
            fn matches(_index: usize, _text: &str) -> bool {
                true
            }
        }
    } else {
        quote! {
            /// Whether `text` matches pattern `index`, each compiled once. A
            /// pattern `regex-lite` cannot compile matches nothing: a check
            /// fails closed rather than let a value through unchecked.
            fn matches(index: usize, text: &str) -> bool {
                static COMPILED: std::sync::OnceLock<Vec<Option<regex_lite::Regex>>> =
                    std::sync::OnceLock::new();
                let compiled = COMPILED.get_or_init(|| {
                    PATTERNS.iter().map(|source| regex_lite::Regex::new(source).ok()).collect()
                });
                compiled
                    .get(index)
                    .and_then(Option::as_ref)
                    .is_some_and(|pattern| pattern.is_match(text))
            }
        }
    };
    [list, matcher]
}

#[cfg(test)]
mod tests {
    use super::super::rust_text::PAGE;
    use super::super::rust_text::tests::assert_laid_out;
    use super::*;
    use serde_json::json;

    fn number(value: f64) -> Option<Number> {
        Number::from_f64(value)
    }

    /// Checks whose members fit on a line, pass the margin by one, or
    /// break inside `Some(..)` at one or two levels.
    fn edge_checks() -> Vec<Check> {
        let long = |count: usize, stem: &str| -> Vec<String> {
            (0..count).map(|index| format!("{stem}_{index}")).collect()
        };
        let mut checks = vec![Check::default()];
        checks.push(Check {
            never: true,
            reference: Some(3),
            types: vec![JsonType::Integer, JsonType::Null],
            minimum: number(-3.5),
            maximum: number(9_007_199_254_740_991.0),
            multiple_of: number(0.25),
            ..Check::default()
        });
        for count in 1..12 {
            checks.push(Check {
                types: vec![JsonType::Object],
                required: long(count, "name"),
                properties: long(count, "prop").into_iter().zip(1..).collect(),
                pattern_properties: (0..count).map(|index| (index, index + 1)).collect(),
                all_of: (0..count * 3).collect(),
                ..Check::default()
            });
            let values = long(count, "value")
                .into_iter()
                .map(serde_json::Value::from);
            checks.push(Check {
                enumeration: Some(values.collect()),
                constant: Some(json!("x".repeat(count * 9))),
                format: Some("date-time".into()),
                ..Check::default()
            });
        }
        // Every length around the margin, one character at a time.
        for width in 60..100 {
            checks.push(Check {
                constant: Some(json!("y".repeat(width - 30))),
                format: Some("z".repeat(width - 20)),
                all_of: (0..width / 2).collect(),
                required: vec!["r".repeat(width - 40), "s".repeat(10)],
                ..Check::default()
            });
        }
        checks
    }

    /// The table's text is exactly what prettyplease makes of it, so it
    /// reads like the rest of the module however long its lists run.
    #[test]
    fn the_table_is_laid_out_as_prettyplease_lays_it_out() {
        let checks = Checks {
            table: edge_checks(),
            ..Checks::default()
        };
        let items = table(&checks);
        items.iter().for_each(|item| assert_laid_out(item));
        let text = items.concat();
        assert!(
            text.lines().any(|line| line.len() > MARGIN - 4),
            "long lines are tried"
        );
        assert!(
            text.contains("Some(\n            &[\n"),
            "a list breaks inside Some"
        );
    }

    /// Every page but the last holds `checks::PAGE` checks, the pages are
    /// listed in order, and the list of pages breaks where prettyplease
    /// breaks it, from one page to more than a line holds.
    #[test]
    fn the_table_is_written_in_pages() {
        for count in [
            1,
            PAGE - 1,
            PAGE,
            PAGE + 1,
            3 * PAGE,
            4 * PAGE + 5,
            12 * PAGE,
        ] {
            let checks = Checks {
                table: vec![Check::default(); count],
                ..Checks::default()
            };
            let items = table(&checks);
            let pages = count.div_ceil(PAGE);
            assert_eq!(items.len(), 1 + pages, "{count} checks");
            items.iter().for_each(|item| assert_laid_out(item));
            let text = items.concat();
            assert!(items[0].contains(&format!("static CHECKS: [&[checks::Check]; {pages}] = [")));
            let last = format!("&CHECKS_PAGE_{}", pages - 1);
            assert!(items[0].contains(&last), "{count} checks: {}", items[0]);
            let short = count - (pages - 1) * PAGE;
            let tail = if short == PAGE {
                "checks::PAGE".to_string()
            } else {
                short.to_string()
            };
            assert!(items[pages].contains(&format!(": [checks::Check; {tail}] = [")));
            assert_eq!(text.matches("checks::Check {").count(), count);
        }
    }

    #[test]
    fn an_empty_table_has_no_pages() {
        let items = table(&Checks::default());
        assert_eq!(items.len(), 1);
        assert!(items[0].ends_with("\nstatic CHECKS: [&[checks::Check]; 0] = [];\n"));
        assert_laid_out(&items[0]);
    }
}
