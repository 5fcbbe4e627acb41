//! The frozen contract: the set of frozen event names and their payloads is a
//! public surface that never silently loses or changes an event.
//!
//! [`check`] compares the catalog with a [`lock::Lock`] (the one on disk, or
//! the one at another git revision) and reports every breaking change that no
//! recorded decision allows.

pub mod compat;
pub mod lock;
pub mod normalize;

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Catalog, Event, Stability};
use crate::schema_origin::schema_location;
use crate::source::{FileId, Sources, Span};
use lock::{Lock, LockedEvent};
use normalize::Normalizer;

/// One break of the frozen contract: its code, what changed and where.
type Finding = (&'static str, String, Option<Location>);

/// A lock to compare against, with the file it was read from.
#[derive(Debug)]
pub struct Baseline {
    /// The lock.
    pub lock: Lock,
    /// Its text, registered for diagnostics.
    pub file: FileId,
}

/// Registers and parses a lock's text; `shown` names it in diagnostics
/// (e.g. `schema/board.lock.json at origin/main`).
pub fn read_baseline(
    sources: &mut Sources,
    path: &Path,
    text: String,
) -> Result<Baseline, Box<Diagnostic>> {
    let parsed = lock::parse(&text);
    let file = sources.add(path, text);
    match parsed {
        Ok(lock) => Ok(Baseline { lock, file }),
        Err(error) => {
            let text = &sources.get(file).text;
            let line = error.line().max(1);
            let start: usize = text.lines().take(line - 1).map(|l| l.len() + 1).sum();
            let span = Span {
                start: start.min(text.len()),
                len: 1,
                line: line as u64,
                column: error.column().max(1) as u64,
            };
            Err(Box::new(
                Diagnostic::error(
                    "invalid-lock",
                    format!("the contract lock cannot be read: {error}"),
                )
                .at(file, span, "here")
                .help("restore the lock from version control; only eventcat's `gen` rewrites it"),
            ))
        }
    }
}

/// Every breaking change from `baseline` to `catalog` that no recorded
/// decision allows, plus misuse of the decisions and the grandfathered list.
pub fn check(sources: &Sources, catalog: &Catalog, baseline: &Baseline) -> Vec<Diagnostic> {
    let lock = &baseline.lock;
    let normalizer = Normalizer::new(&catalog.definitions);
    let mut diagnostics = Vec::new();
    check_version_and_grandfathered(catalog, lock, &mut diagnostics);
    // By name, first definition wins (names are unique after validation).
    let mut by_name: HashMap<&str, &Event> = HashMap::with_capacity(catalog.events.len());
    for event in &catalog.events {
        by_name.entry(event.name.as_str()).or_insert(event);
    }
    for (name, locked) in &lock.events {
        let findings = match by_name.get(name.as_str()) {
            None => vec![missing_event(
                catalog,
                &normalizer,
                lock,
                name,
                locked,
                lock_location(sources, baseline, name),
            )],
            Some(event) => changed_event(sources, &normalizer, name, locked, event),
        };
        if !findings.is_empty() {
            judge(catalog, lock, name, findings, &mut diagnostics);
        }
    }
    let bumped = catalog.protocol_version > lock.protocol_version;
    if !bumped {
        check_envelope(catalog, lock, &mut diagnostics);
    } else {
        check_decision_events(catalog, lock, &mut diagnostics);
    }
    diagnostics
}

/// Where the lock lists `event`.
fn lock_location(sources: &Sources, baseline: &Baseline, event: &str) -> Option<Location> {
    let text = &sources.get(baseline.file).text;
    let line = lock::line_of_event(text, event)?;
    let start: usize = text.lines().take(line - 1).map(|l| l.len() + 1).sum();
    let line_text = text.lines().nth(line - 1)?;
    let indent = line_text.len() - line_text.trim_start().len();
    Some(Location {
        file: baseline.file,
        span: Span {
            start: start + indent,
            len: event.len() + 2,
            line: line as u64,
            column: indent as u64 + 1,
        },
    })
}

/// The protocol version only goes up; the grandfathered list only shrinks.
fn check_version_and_grandfathered(
    catalog: &Catalog,
    lock: &Lock,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if catalog.protocol_version < lock.protocol_version {
        diagnostics.push(
            Diagnostic::error(
                "protocol-version-decreased",
                format!(
                    "`protocol_version` went down from {} to {}",
                    lock.protocol_version, catalog.protocol_version
                ),
            )
            .at_location(catalog.protocol_version_origin, "lower than the lock's")
            .help("the protocol version only ever goes up"),
        );
    }

    for name in catalog.grandfathered.iter().map(|entry| &entry.name) {
        if !lock.grandfathered.contains(name) {
            let mut diagnostic = Diagnostic::error(
                "grandfathered-grew",
                format!("`{name}` was added to the grandfathered names"),
            )
            .help("the grandfathered list only shrinks: name the new event `<resource>_<past-tense-verb>`, or add a per-event exception with a reason");
            if let Some(origin) = catalog.naming.grandfathered_origins.get(name) {
                diagnostic = diagnostic.at_location(*origin, "not grandfathered in the lock");
            }
            diagnostics.push(diagnostic);
        }
    }
}

/// A frozen event the catalog no longer has: removed, or renamed (found
/// through an alias, or the same payload under a name the lock lacks).
fn missing_event(
    catalog: &Catalog,
    normalizer: &Normalizer<'_>,
    lock: &Lock,
    name: &str,
    locked: &LockedEvent,
    in_lock: Option<Location>,
) -> Finding {
    let renamed_to = catalog
        .events
        .iter()
        .find(|event| event.aliases.iter().any(|alias| alias == name))
        .or_else(|| {
            catalog.events.iter().find(|event| {
                !lock.events.contains_key(&event.name)
                    && normalizer.normalize(&event.schema) == locked.payload
            })
        });
    match renamed_to {
        Some(event) => (
            "event-renamed",
            format!("frozen event `{name}` was renamed to `{}`", event.name),
            Some(event.origin),
        ),
        None => (
            "event-removed",
            format!("frozen event `{name}` was removed"),
            in_lock,
        ),
    }
}

/// What changed in a frozen event that is still there.
fn changed_event(
    sources: &Sources,
    normalizer: &Normalizer<'_>,
    name: &str,
    locked: &LockedEvent,
    event: &Event,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    if event.stability != Stability::Frozen {
        findings.push((
            "event-unfrozen",
            format!("frozen event `{name}` is no longer frozen"),
            Some(event.origin),
        ));
    }
    if event.direction != locked.direction {
        findings.push((
            "event-became-command",
            format!("frozen message `{name}` changed direction"),
            Some(event.origin),
        ));
    }
    if event.webhook != locked.webhook {
        let show = |webhook: &Option<String>| {
            webhook
                .as_ref()
                .map_or_else(|| "WS-only".to_string(), |name| format!("`{name}`"))
        };
        let what = format!(
            "the webhook name of `{name}` changed from {} to {}",
            show(&locked.webhook),
            show(&event.webhook)
        );
        findings.push(("webhook-renamed", what, Some(event.origin)));
    }
    let now = normalizer.normalize(&event.schema);
    for change in compat::compare(&locked.payload, &now)
        .into_iter()
        .filter(compat::Change::is_breaking)
    {
        let what = format!(
            "payload of `{name}`: {} (breaks {})",
            change.what,
            change.audience()
        );
        findings.push((
            change.code,
            what,
            Some(schema_location(sources, event, &change.pointer)),
        ));
    }
    findings
}

/// Reports the breaks of one frozen event that no recorded decision allows.
fn judge(
    catalog: &Catalog,
    lock: &Lock,
    name: &str,
    findings: Vec<Finding>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Decisions for versions the lock already has are history, not permission.
    let decision = catalog
        .breaking_changes
        .iter()
        .filter(|decision| {
            decision.event == name && decision.protocol_version > lock.protocol_version
        })
        .max_by_key(|decision| decision.protocol_version);
    match decision {
            Some(decision) if decision.protocol_version == catalog.protocol_version => {
                let unallowed = findings
                    .into_iter()
                    .filter(|(code, ..)| !decision.allows.is_empty() && !decision.allows.iter().any(|allowed| allowed == code));
                for (code, what, location) in unallowed {
                    let mut diagnostic = Diagnostic::error(code, what)
                        .note(format!("the recorded decision for `{name}` allows only: {}", decision.allows.join(", ")))
                        .help(format!("add `{code}` to the decision's `allows`, or keep the contract"));
                    diagnostic = diagnostic.at_location(location.unwrap_or(decision.origin), "not allowed by the decision");
                    diagnostics.push(diagnostic);
                }
            }
            Some(decision) => diagnostics.push(
                Diagnostic::error(
                    "decision-without-bump",
                    format!(
                        "the recorded breaking change of `{name}` is for protocol version {}, but the catalog is at {}",
                        decision.protocol_version, catalog.protocol_version
                    ),
                )
                .at_location(decision.origin, "decision for another version")
                .help(format!(
                    "set `protocol_version: {}` in the catalog settings: a break ships with a version bump",
                    decision.protocol_version
                )),
            ),
            None => {
                for (code, what, location) in findings {
                    let mut diagnostic = Diagnostic::error(code, what)
                        .note(format!("`{name}` is part of the frozen contract recorded in the lock"))
                        .help(format!(
                            "keep the contract, or record the decision: set `protocol_version: {next}` and add to `breaking_changes` \
                             `{{protocol_version: {next}, event: {name}, change: ..., reason: ..., allows: [{code}]}}`",
                            next = lock.protocol_version + 1
                        ));
                    if let Some(location) = location {
                        diagnostic = diagnostic.at_location(location, "breaks the frozen contract");
                    }
                    diagnostics.push(diagnostic);
                }
            }
        }
}

/// Without a version bump, the envelope must stay compatible.
fn check_envelope(catalog: &Catalog, lock: &Lock, diagnostics: &mut Vec<Diagnostic>) {
    let Some(locked) = &lock.envelope else {
        return;
    };
    for (what, in_fields) in envelope_breaks(locked, &lock::envelope_of(catalog)) {
        let at = match catalog.envelope.fields_origin {
            Some(fields) if in_fields => fields,
            _ => catalog.settings_origin,
        };
        diagnostics.push(
                Diagnostic::error("envelope-changed", what)
                    .at_location(at, "in this catalog's `envelope:`")
                    .note("the envelope is part of the frozen contract recorded in the lock")
                    .help(format!(
                        "keep the envelope, or bump `protocol_version` to {}: that is what the version field is for",
                        lock.protocol_version + 1
                    )),
            );
    }
}

/// A decision for the new version names a frozen event of the lock.
fn check_decision_events(catalog: &Catalog, lock: &Lock, diagnostics: &mut Vec<Diagnostic>) {
    for decision in &catalog.breaking_changes {
        if decision.protocol_version == catalog.protocol_version
            && !lock.events.contains_key(&decision.event)
        {
            diagnostics.push(
                Diagnostic::error(
                    "unknown-decision-event",
                    format!("`{}` is not a frozen event in the lock", decision.event),
                )
                .at_location(decision.origin, "no such frozen event")
                .help("a decision names the event as the lock records it"),
            );
        }
    }
}

/// What changed in the envelope that breaks a reader or writer built
/// against the locked one (and whether it is about its own fields); new
/// optional fields are compatible.
fn envelope_breaks(
    locked: &lock::LockedEnvelope,
    current: &lock::LockedEnvelope,
) -> Vec<(String, bool)> {
    let mut breaks = Vec::new();
    let layout = |envelope: &lock::LockedEnvelope| {
        (
            envelope.style,
            envelope.version_field.clone(),
            envelope.type_field.clone(),
            envelope.payload_field.clone(),
            envelope.omit_empty_payload,
        )
    };
    if layout(locked) != layout(current) {
        breaks.push((
            "the envelope's layout changed (its style, its version, type or payload field, or whether it leaves out empty payloads)"
                .to_string(),
            false,
        ));
    }
    let empty = serde_json::json!({"type": "object", "properties": {}});
    let before = locked.fields.as_ref().unwrap_or(&empty);
    let after = current.fields.as_ref().unwrap_or(&empty);
    for change in compat::compare(before, after)
        .into_iter()
        .filter(compat::Change::is_breaking)
    {
        breaks.push((
            format!(
                "envelope fields: {} (breaks {})",
                change.what,
                change.audience()
            ),
            true,
        ));
    }
    breaks
}
