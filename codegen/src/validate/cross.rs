//! Checks across events: every wire name maps to one event (aliases
//! included), and every grandfathered name is an event.

use std::collections::HashSet;

use super::Context;
use super::events::Candidate;
use crate::diagnostic::Diagnostic;

/// Reports aliases that are ambiguous and grandfathered names that are no event.
pub(super) fn check(
    cx: &Context<'_>,
    candidates: &[Candidate<'_>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let names: HashSet<&str> = cx
        .raw
        .event_files
        .iter()
        .flat_map(|(_, file)| &file.events)
        .map(|def| def.name.value.as_str())
        .collect();
    aliases(cx, candidates, &names, diagnostics);
    grandfathered(cx, &names, diagnostics);
}

fn aliases(
    cx: &Context<'_>,
    candidates: &[Candidate<'_>],
    names: &HashSet<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let aliases: Vec<_> = candidates
        .iter()
        .flat_map(|candidate| {
            candidate
                .def
                .aliases
                .iter()
                .map(move |alias| (candidate.file, alias))
        })
        .collect();
    for (file, alias) in &aliases {
        let name = alias.value.as_str();
        let repeated = aliases
            .iter()
            .filter(|(_, other)| other.value == name)
            .count()
            > 1;
        if names.contains(name) || repeated {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-event",
                    format!("alias `{name}` is already an event name or another alias"),
                )
                .at_location(cx.locate(*file, alias.referenced), "ambiguous wire name")
                .help("a wire name maps to exactly one event"),
            );
        }
    }
}

fn grandfathered(cx: &Context<'_>, names: &HashSet<&str>, diagnostics: &mut Vec<Diagnostic>) {
    for entry in &cx.raw.settings.naming.grandfathered {
        if !names.contains(entry.name.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "unknown-grandfathered",
                    format!("grandfathered name `{}` is not an event", entry.name.value),
                )
                .at_location(
                    cx.in_settings(entry.name.referenced),
                    "no event has this name",
                )
                .help("remove the entry: the grandfathered list only names shipped events"),
            );
        }
    }
}
