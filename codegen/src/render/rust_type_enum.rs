//! A family's fieldless type enum (`BoardEventType`) as text in
//! prettyplease's layout: the enum, its metadata table, its names and
//! attributes, and `FromStr`. Each has a line or a row per message, so
//! formatting them through `syn` and prettyplease was most of the time of
//! `rust: messages`; the tests check each against prettyplease's output.

use std::fmt::Write;

use super::first_sentence;
use super::items::rust_text as formatted;
use super::rust_messages::{Family, attribute_methods};
use super::rust_text::{
    Call, INDENT, Lone, atom_arm, call_arm, doc_line, ident, line, list, paged_table, string,
};
use crate::model::{Catalog, Event, Stability};

/// `BoardEventType`: the fieldless enum of the family's type names.
pub fn type_enum(family: &Family) -> String {
    let mut out = String::new();
    let doc = format!(
        " The name of every {} on this channel, without its payload.",
        family.noun
    );
    doc_line(&mut out, 0, &doc);
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n");
    let head = format!("pub enum {}", family.kind);
    if family.members.is_empty() {
        line(&mut out, 0, &format!("{head} {{}}"));
        return out;
    }
    line(&mut out, 0, &format!("{head} {{"));
    for event in &family.members {
        let doc = format!(" `{}`: {}", event.name, first_sentence(&event.description));
        doc_line(&mut out, INDENT, &doc);
        line(&mut out, INDENT, &format!("{},", ident(&event.ident)));
    }
    out.push_str("}\n");
    out
}

/// `EVENT_METADATA`: what the catalog says about each message, indexed by
/// the type enum's discriminant, in pages ([`paged_table`]). The full
/// description is the message variant's doc comment; the table carries it
/// for tools that list events.
pub fn metadata_table(family: &Family) -> Vec<String> {
    let doc = format!(
        "What the catalog says about each {}, indexed by [`{}`]'s discriminant.",
        family.noun, family.kind
    );
    let name = family.metadata.to_string();
    paged_table(
        &doc,
        &name,
        "EventMetadata",
        &family.members,
        |out, event| metadata_row(out, event),
    )
}

/// One `EventMetadata { .. },` of the table, a field per line.
fn metadata_row(out: &mut String, event: &Event) {
    let field = 2 * INDENT;
    let plain = |out: &mut String, name: &str, value: &str| {
        line(out, field, &format!("{name}: {value},"));
    };
    let optional = |out: &mut String, name: &str, value: Option<&str>| match value {
        Some(text) => list(
            out,
            field,
            &format!("{name}: Some("),
            &[string(text)],
            "),",
            Lone::Plain,
        ),
        None => plain(out, name, "None"),
    };
    line(out, INDENT, "EventMetadata {");
    plain(out, "name", &string(&event.name));
    plain(out, "resource", &string(&event.resource));
    optional(out, "webhook", event.webhook.as_deref());
    plain(out, "since", &string(&event.since));
    let stability = match event.stability {
        Stability::Frozen => "Stability::Frozen",
        Stability::Experimental => "Stability::Experimental",
    };
    plain(out, "stability", stability);
    optional(out, "grandfathered", event.grandfathered.as_deref());
    let aliases: Vec<String> = event.aliases.iter().map(|alias| string(alias)).collect();
    list(out, field, "aliases: &[", &aliases, "],", Lone::Plain);
    optional(out, "deprecated", event.deprecated.as_deref());
    plain(out, "description", &string(&event.description));
    line(out, INDENT, "},");
}

/// The type enum's names, webhook counterparts, metadata and attributes.
pub fn type_enum_impl(catalog: &Catalog, family: &Family) -> Result<String, String> {
    let kind = family.kind.to_string();
    let mut out = format!("impl {kind} {{\n");
    doc_line(
        &mut out,
        INDENT,
        &format!(" Every {} type, in catalog order.", family.noun),
    );
    let all: Vec<String> = family
        .members
        .iter()
        .map(|event| format!("Self::{}", ident(&event.ident)))
        .collect();
    let head = format!("pub const ALL: [{kind}; {}] = [", all.len());
    list(&mut out, INDENT, &head, &all, "];", Lone::Plain);
    names_fn(&mut out, family);
    webhook_fn(&mut out, family);
    out.push_str(
        "    /// Everything the catalog says about the message.\n    \
         pub fn metadata(self) -> &'static EventMetadata {\n",
    );
    line(&mut out, 2 * INDENT, "let index = self as usize;");
    line(
        &mut out,
        2 * INDENT,
        &format!(
            "&{}[index / checks::PAGE][index % checks::PAGE]",
            family.metadata
        ),
    );
    out.push_str("    }\n");
    out.push_str(&attributes_text(catalog, family)?);
    out.push_str("}\n");
    Ok(out)
}

/// `as_str`: the wire name of each type.
fn names_fn(out: &mut String, family: &Family) {
    out.push_str(
        "    /// The wire name, e.g. `task_created`.\n    \
         pub const fn as_str(self) -> &'static str {\n",
    );
    match_self(out, family, |out, arm, event| {
        atom_arm(
            out,
            arm,
            &format!("Self::{}", ident(&event.ident)),
            &string(&event.name),
        );
    });
}

/// `webhook_name`: each type's webhook counterpart, or `None`.
fn webhook_fn(out: &mut String, family: &Family) {
    out.push_str(
        "    /// The webhook counterpart, or `None` when the message has none.\n    \
         pub const fn webhook_name(self) -> Option<&'static str> {\n",
    );
    match_self(out, family, |out, arm, event| {
        let pattern = format!("Self::{}", ident(&event.ident));
        match &event.webhook {
            Some(name) => {
                let args = [string(name)];
                let call = Call {
                    head: "Some",
                    args: &args,
                };
                call_arm(out, arm, &pattern, &call);
            }
            None => atom_arm(out, arm, &pattern, "None"),
        }
    });
}

/// The body of a method that is one `match self` with an arm per message,
/// and the method's closing brace.
fn match_self(out: &mut String, family: &Family, arm: impl Fn(&mut String, usize, &Event)) {
    if family.members.is_empty() {
        out.push_str("        match self {}\n    }\n");
        return;
    }
    out.push_str("        match self {\n");
    for event in &family.members {
        arm(out, 3 * INDENT, event);
    }
    out.push_str("        }\n    }\n");
}

/// The catalog attributes' methods, as prettyplease lays them out inside
/// the impl (their grouped patterns and `matches!` are its business):
/// formatted in an impl of their own, whose body is taken.
fn attributes_text(catalog: &Catalog, family: &Family) -> Result<String, String> {
    if catalog.attributes.is_empty() {
        return Ok(String::new());
    }
    let kind = &family.kind;
    let methods = attribute_methods(catalog, family);
    let text = formatted(quote::quote!(impl #kind { #methods }))?;
    let body = text
        .split_once('\n')
        .and_then(|(_, rest)| rest.trim_end().strip_suffix('}'))
        .ok_or_else(|| format!("the attributes of `{kind}` were not laid out as an impl"))?;
    Ok(body.to_string())
}

/// `FromStr` for the type enum: the wire name, or a former one (after a
/// recorded rename), to the type it is now. Every arm on one line; an arm
/// too wide for that is left to prettyplease by [`super::items::Items::push_laid_out`].
pub fn from_str_impl(family: &Family) -> String {
    let mut out = format!(
        "impl FromStr for {} {{\n    \
         type Err = UnknownEventType;\n    \
         fn from_str(name: &str) -> Result<Self, UnknownEventType> {{\n        \
         match name {{\n",
        family.kind
    );
    for event in &family.members {
        let mut pattern = string(&event.name);
        for alias in &event.aliases {
            let _ = write!(pattern, " | {}", string(alias));
        }
        let arm = format!("{pattern} => Ok(Self::{}),", ident(&event.ident));
        line(&mut out, 3 * INDENT, &arm);
    }
    out.push_str(
        "            other => Err(UnknownEventType(other.to_string())),\n        \
         }\n    \
         }\n\
         }\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::rust_messages::families;
    use super::super::rust_text::MARGIN;
    use super::super::rust_text::tests::assert_laid_out;
    use super::super::test_catalog::repository_catalogs;
    use super::*;

    #[test]
    fn type_enum_items_are_laid_out_as_prettyplease_lays_them_out() {
        let mut written = 0;
        for catalog in repository_catalogs() {
            for family in families(&catalog) {
                assert_laid_out(&type_enum(&family));
                metadata_table(&family)
                    .iter()
                    .for_each(|item| assert_laid_out(item));
                assert_laid_out(&type_enum_impl(&catalog, &family).unwrap());
                assert_laid_out(&from_str_impl(&family));
                written += 1;
            }
        }
        assert!(written > 0, "the catalogs have message families");
    }

    #[test]
    fn long_metadata_values_break_where_prettyplease_breaks_them() {
        let mut catalog = repository_catalogs().remove(0);
        // Around the margin: the row's `Some(..)` and `&[..]` fit on one
        // line up to it, comma included, and break one past it.
        for width in MARGIN - 34..MARGIN - 20 {
            let text = "x".repeat(width);
            let event = &mut catalog.events[0];
            event.grandfathered = Some(text.clone());
            event.deprecated = Some(format!("{text}yy"));
            event.webhook = Some(format!("{text}.y"));
            event.aliases = vec![text.clone(), "a".into()];
            for family in families(&catalog) {
                metadata_table(&family)
                    .iter()
                    .for_each(|item| assert_laid_out(item));
                assert_laid_out(&type_enum_impl(&catalog, &family).unwrap());
            }
        }
    }
}
