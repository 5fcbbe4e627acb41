//! The naming settings: rule severities (catalog-wide and per named
//! policy), extra verbs and singular words, and where each grandfathered
//! name is listed.

use std::collections::BTreeMap;

use super::Context;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{NamedPolicy, NamingPolicy, Severity};
use crate::naming;
use crate::node::{Node, Value};
use crate::source::{FileId, Sources, Span};

/// Reads `naming:` into the policy.
pub(super) fn read(cx: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) -> NamingPolicy {
    naming_policy(cx.sources, cx.raw, diagnostics)
}

pub(super) fn unknown_rule(rule: &str, origin: Location) -> Diagnostic {
    let known: Vec<&str> = naming::RULES.iter().map(|rule| rule.id).collect();
    Diagnostic::error("unknown-rule", format!("`{rule}` is not a naming rule"))
        .at_location(origin, "unknown rule ID")
        .help(format!("naming rules: {}", known.join(", ")))
}

/// Reads `naming:` into the policy: severities keyed by rule ID, extra words,
/// and where each grandfathered name is listed.
fn naming_policy(
    sources: &Sources,
    raw: &crate::load::RawCatalog,
    diagnostics: &mut Vec<Diagnostic>,
) -> NamingPolicy {
    let file = raw.file;
    let text = &sources.get(file).text;
    let settings = &raw.settings.naming;
    let severities = settings
        .rules
        .as_ref()
        .map(|rules| rule_severities(sources, file, rules, "naming.rules", diagnostics))
        .unwrap_or_default();
    let policies = settings
        .policies
        .iter()
        .map(|(name, policy)| {
            let severities = rule_severities(
                sources,
                file,
                &policy.rules,
                &format!("naming.policies.{name}.rules"),
                diagnostics,
            );
            let policy = NamedPolicy {
                description: policy.description.trim().to_string(),
                severities,
            };
            (name.clone(), policy)
        })
        .collect();
    NamingPolicy {
        severities,
        policies,
        verbs: settings
            .verbs
            .iter()
            .map(|verb| verb.to_lowercase())
            .collect(),
        singular_words: settings
            .singular_words
            .iter()
            .map(|word| word.to_lowercase())
            .collect(),
        grandfathered_origins: settings
            .grandfathered
            .iter()
            .map(|entry| {
                (
                    entry.name.value.clone(),
                    Location {
                        file,
                        span: Span::from_location(entry.name.referenced, text),
                    },
                )
            })
            .collect(),
    }
}

/// Reads a `rule ID → error | warning | off` mapping.
fn rule_severities(
    sources: &Sources,
    file: FileId,
    rules: &Node,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Severity> {
    let text = &sources.get(file).text;
    let mut severities = BTreeMap::new();
    match rules.as_map() {
        Some(entries) => {
            for (key, value) in entries {
                let origin = Location {
                    file,
                    span: Span::from_location(key.location, text),
                };
                if !naming::is_rule(&key.name) {
                    diagnostics.push(unknown_rule(&key.name, origin));
                    continue;
                }
                let severity = match value.as_str() {
                    Some("error") => Severity::Error,
                    Some("warning") => Severity::Warning,
                    Some("off") => Severity::Off,
                    // YAML 1.1 readers take a bare `off` for `false`.
                    None if matches!(value.value, Value::Bool(false)) => Severity::Off,
                    _ => {
                        diagnostics.push(
                            Diagnostic::error(
                                "invalid-severity",
                                format!("severity of `{}` must be error, warning or off", key.name),
                            )
                            .at(
                                file,
                                Span::from_location(value.location, text),
                                "not a severity",
                            ),
                        );
                        continue;
                    }
                };
                severities.insert(key.name.clone(), severity);
            }
        }
        None => diagnostics.push(
            Diagnostic::error(
                "invalid-severity",
                format!("`{what}` maps rule IDs to error, warning or off"),
            )
            .at(
                file,
                Span::from_location(rules.location, text),
                "expected a mapping",
            ),
        ),
    }
    severities
}
