//! The naming lint: every event name is `<resource>_<past-tense-verb>`.
//!
//! One rule, one ID, one small function, in the spirit of buf lint.
//! Exceptions live in the catalog: grandfathered names (exempt from every
//! rule) and per-event exceptions that name the rule and give a reason.

pub mod lexicon;
pub mod rules;

use crate::diagnostic::{self, Diagnostic};
use crate::model::{Catalog, Severity};
use lexicon::Lexicon;

/// A naming rule: its code (whose summary and fix are in [`crate::codes`])
/// and the check that finds what is wrong with one event's name.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable ID, used in diagnostics, severities and exceptions.
    pub id: &'static str,
    /// The check: what is wrong with the event's name, if anything.
    pub check: fn(&crate::model::Event, &rules::Context<'_>) -> Option<rules::Finding>,
}

/// Every naming rule, in the order findings are reported: one table.
pub const RULES: &[Rule] = &[
    Rule {
        id: "snake-case",
        check: rules::snake_case,
    },
    Rule {
        id: "past-tense-verb",
        check: rules::past_tense_verb,
    },
    Rule {
        id: "singular-resource",
        check: rules::singular_resource,
    },
    Rule {
        id: "resource-prefix",
        check: rules::resource_prefix,
    },
    Rule {
        id: "webhook-dot-form",
        check: rules::webhook_dot_form,
    },
];

/// Whether `id` names a naming rule.
pub fn is_rule(id: &str) -> bool {
    RULES.iter().any(|rule| rule.id == id)
}

/// Lints every event name. Grandfathered names are exempt from every rule;
/// a per-event exception silences one rule for one event (and an exception
/// that silences nothing is a warning, so stale ones get cleaned up).
pub fn lint(catalog: &Catalog) -> Vec<Diagnostic> {
    let extended;
    let lexicon = if catalog.naming.verbs.is_empty() {
        Lexicon::builtin()
    } else {
        extended = Lexicon::with_extra_verbs(&catalog.naming.verbs);
        &extended
    };
    let context = rules::Context {
        lexicon,
        singular_words: &catalog.naming.singular_words,
    };
    let mut diagnostics = Vec::new();
    for event in catalog
        .events
        .iter()
        .filter(|event| event.grandfathered.is_none())
    {
        let mut used = vec![false; event.exceptions.len()];
        for rule in RULES {
            let Some(finding) = (rule.check)(event, &context) else {
                continue;
            };
            if let Some(index) = event
                .exceptions
                .iter()
                .position(|exception| exception.rule == rule.id)
            {
                used[index] = true;
                continue;
            }
            let policy = event
                .naming_policy
                .as_ref()
                .and_then(|name| catalog.naming.policies.get(name))
                .and_then(|policy| policy.severities.get(rule.id));
            let severity = match policy.or(catalog.naming.severities.get(rule.id)) {
                Some(Severity::Off) => continue,
                Some(Severity::Warning) => diagnostic::Severity::Warning,
                Some(Severity::Error) | None => diagnostic::Severity::Error,
            };
            let mut diagnostic = Diagnostic::error(rule.id, finding.message)
                .at_location(event.origin, finding.label);
            diagnostic.severity = severity;
            if let Some(help) = finding.help {
                diagnostic = diagnostic.help(help);
            }
            diagnostics.push(diagnostic);
        }
        for (exception, used) in event.exceptions.iter().zip(used) {
            if !used {
                let mut diagnostic = Diagnostic::error(
                    "unused-exception",
                    format!(
                        "`{}` follows `{}`; the exception is not needed",
                        event.name, exception.rule
                    ),
                )
                .at_location(exception.origin, "exempts from nothing")
                .help("remove the exception");
                diagnostic.severity = diagnostic::Severity::Warning;
                diagnostics.push(diagnostic);
            }
        }
    }
    diagnostics
}
