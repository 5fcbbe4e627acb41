//! Which definitions are events (unique wire names and identifiers, in a
//! known resource and naming policy), then one definition → one [`Event`].

use std::collections::HashMap;

use super::schema::TypeBuilder;
use super::{Context, attributes, policy};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::RawCatalog;
use crate::model::{Attribute, Direction, Event, NamedType, Resource, RuleException, SchemaSource};
use crate::names::upper_camel_case;
use crate::names::{is_snake_case, is_version, is_wire_name};
use crate::raw::{EventDef, EventFile, Webhook};
use crate::source::{FileId, Sources};

/// An event definition whose name is usable: unique, a wire name, and
/// unique after case conversion.
pub(super) struct Candidate<'a> {
    pub file: FileId,
    pub event_file: &'a EventFile,
    /// The definition's index in the file's `events`.
    pub index: usize,
    pub def: &'a EventDef,
    /// The UpperCamelCase identifier of the name.
    pub ident: String,
    /// Where the name is written.
    pub origin: Location,
    /// The naming policy of its file, when it names a known one.
    pub naming_policy: Option<String>,
}

/// The events in file order, each with the candidate it came from.
pub(super) struct Converted {
    pub events: Vec<Event>,
    /// The index in the candidates of each event, index for index.
    pub candidates: Vec<usize>,
}

/// Every definition with a usable name, in file order. Resource names and
/// naming policies are checked once per file.
pub(super) fn candidates<'a>(
    cx: &Context<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Candidate<'a>> {
    let mut seen: HashMap<&str, Location> = HashMap::new();
    let mut idents: HashMap<String, &str> = HashMap::new();
    let mut candidates = Vec::new();
    for (file, event_file) in &cx.raw.event_files {
        check_resource_name(cx, *file, event_file, diagnostics);
        let naming_policy = naming_policy(cx, *file, event_file, diagnostics);
        for (index, def) in event_file.events.iter().enumerate() {
            let origin = cx.locate(*file, def.name.referenced);
            let name = def.name.value.as_str();
            if let Some(first) = seen.get(name) {
                diagnostics.push(duplicate(cx.sources, name, origin, *first));
                continue;
            }
            seen.insert(name, origin);
            if !is_wire_name(name) {
                diagnostics.push(
                    Diagnostic::error(
                        "invalid-event-name",
                        format!("event name `{name}` is not a wire name"),
                    )
                    .at_location(
                        origin,
                        "expected ASCII letters, digits and underscores, starting with a letter",
                    )
                    .help("name events `<resource>_<past-tense-verb>`, e.g. `task_created`"),
                );
                continue;
            }
            let ident = upper_camel_case(name);
            if let Some(other) = idents.insert(ident.clone(), name) {
                diagnostics.push(
                    Diagnostic::error(
                        "name-collision",
                        format!("events `{other}` and `{name}` both become `{ident}`"),
                    )
                    .at_location(origin, "collides after case conversion"),
                );
                continue;
            }
            candidates.push(Candidate {
                file: *file,
                event_file,
                index,
                def,
                ident,
                origin,
                naming_policy: naming_policy.clone(),
            });
        }
    }
    candidates
}

fn duplicate(sources: &Sources, name: &str, origin: Location, first: Location) -> Diagnostic {
    Diagnostic::error(
        "duplicate-event",
        format!("event `{name}` is defined twice"),
    )
    .at_location(origin, "defined again here")
    .note(format!(
        "first defined at {}:{}:{}",
        sources.get(first.file).display_path,
        first.span.line,
        first.span.column
    ))
    .help("event names are unique across all event files: remove or rename one")
}

fn check_resource_name(
    cx: &Context<'_>,
    file: FileId,
    event_file: &EventFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let resource = &event_file.resource;
    if !is_snake_case(&resource.value) {
        diagnostics.push(
            Diagnostic::error(
                "invalid-resource-name",
                format!("resource `{}` is not snake_case", resource.value),
            )
            .at_location(
                cx.locate(file, resource.referenced),
                "expected e.g. `task_run`",
            ),
        );
    }
}

/// The file's naming policy, when the catalog defines it.
fn naming_policy(
    cx: &Context<'_>,
    file: FileId,
    event_file: &EventFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let policy = event_file.naming_policy.as_ref()?;
    let policies = &cx.raw.settings.naming.policies;
    if policies.contains_key(&policy.value) {
        return Some(policy.value.clone());
    }
    let help = if policies.is_empty() {
        "define it under the catalog's `naming.policies:`".to_string()
    } else {
        let names: Vec<&str> = policies.keys().map(String::as_str).collect();
        format!("policies: {}", names.join(", "))
    };
    diagnostics.push(
        Diagnostic::error(
            "unknown-naming-policy",
            format!("`{}` is not a naming policy of this catalog", policy.value),
        )
        .at_location(
            cx.locate(file, policy.referenced),
            "not in `naming.policies`",
        )
        .help(help),
    );
    None
}

/// Converts every candidate; one that cannot be converted is left out
/// (its findings say why).
pub(super) fn convert_all(
    cx: &Context<'_>,
    candidates: &[Candidate<'_>],
    builder: &mut TypeBuilder<'_>,
    attributes: &[Attribute],
    diagnostics: &mut Vec<Diagnostic>,
) -> Converted {
    let grandfathered: HashMap<&str, &str> = cx
        .raw
        .settings
        .naming
        .grandfathered
        .iter()
        .map(|entry| (entry.name.value.as_str(), entry.reason.as_str()))
        .collect();
    let mut converted = Converted {
        events: Vec::new(),
        candidates: Vec::new(),
    };
    for (index, candidate) in candidates.iter().enumerate() {
        if let Some(mut event) = convert(cx, candidate, builder, attributes, diagnostics) {
            event.grandfathered = grandfathered
                .get(event.name.as_str())
                .map(|reason| reason.to_string());
            converted.events.push(event);
            converted.candidates.push(index);
        }
    }
    converted
}

/// One definition → one event (its examples are checked later).
fn convert(
    cx: &Context<'_>,
    candidate: &Candidate<'_>,
    builder: &mut TypeBuilder<'_>,
    attributes: &[Attribute],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Event> {
    let Candidate {
        file,
        def,
        ident,
        origin,
        ..
    } = candidate;
    let file = *file;
    check_since(cx, file, def, diagnostics);
    let Some(payload_node) = &def.payload else {
        diagnostics.push(missing_payload(def, *origin));
        return None;
    };
    let payload = builder.payload(file, payload_node, &format!("{ident}Payload"))?;
    let direction = candidate.event_file.direction;
    check_command_webhook(def, direction, *origin, diagnostics);
    let name = def.name.value.clone();
    Some(Event {
        webhook: match direction {
            Direction::ServerToClient => webhook_name(&def.webhook, &name),
            Direction::ClientToServer => None,
        },
        direction,
        naming_policy: candidate.naming_policy.clone(),
        attributes: attributes::values(
            cx.sources,
            file,
            attributes,
            def.attributes.as_ref(),
            diagnostics,
        ),
        aliases: aliases(cx, file, def, diagnostics),
        exceptions: exceptions(cx, file, def, diagnostics),
        emitted_elsewhere: def.emitted_elsewhere.clone(),
        schema_source: Some(SchemaSource {
            file,
            index: candidate.index,
        }),
        grandfathered: None,
        ident: ident.clone(),
        resource: candidate.event_file.resource.value.clone(),
        description: def.description.trim().to_string(),
        since: def.since.value.clone(),
        stability: def.stability,
        payload,
        // The examples' check converts it, on another thread (`examples::merge`).
        schema: serde_json::Value::Null,
        examples: Vec::new(),
        deprecated: def.deprecated.clone(),
        origin: *origin,
        name,
    })
}

fn check_since(cx: &Context<'_>, file: FileId, def: &EventDef, diagnostics: &mut Vec<Diagnostic>) {
    if !is_version(&def.since.value) {
        diagnostics.push(
            Diagnostic::error(
                "invalid-version",
                format!("`since: {}` is not a version", def.since.value),
            )
            .at_location(
                cx.locate(file, def.since.referenced),
                "expected MAJOR.MINOR or MAJOR.MINOR.PATCH",
            )
            .help("quote it so YAML keeps it a string: `since: '0.2'`"),
        );
    }
}

fn check_command_webhook(
    def: &EventDef,
    direction: Direction,
    origin: Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if direction == Direction::ClientToServer && matches!(def.webhook, Webhook::Name(_)) {
        diagnostics.push(
            Diagnostic::error(
                "command-with-webhook",
                format!(
                    "command `{}` cannot have a webhook counterpart",
                    def.name.value
                ),
            )
            .at_location(origin, "a client-to-server message")
            .help("remove `webhook:`: webhooks carry server events only"),
        );
    }
}

/// The event's aliases (old wire names still accepted), each a wire name.
fn aliases(
    cx: &Context<'_>,
    file: FileId,
    def: &EventDef,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    for alias in def
        .aliases
        .iter()
        .filter(|alias| !is_snake_case(&alias.value))
    {
        diagnostics.push(
            Diagnostic::error(
                "invalid-event-name",
                format!("alias `{}` is not snake_case", alias.value),
            )
            .at_location(cx.locate(file, alias.referenced), "not a wire name"),
        );
    }
    def.aliases
        .iter()
        .map(|alias| alias.value.clone())
        .collect()
}

/// The naming rules the event is exempt from, each a known rule.
fn exceptions(
    cx: &Context<'_>,
    file: FileId,
    def: &EventDef,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RuleException> {
    def.exceptions
        .iter()
        .filter_map(|exception| {
            let origin = cx.locate(file, exception.rule.referenced);
            if !crate::naming::is_rule(&exception.rule.value) {
                diagnostics.push(policy::unknown_rule(&exception.rule.value, origin));
                return None;
            }
            Some(RuleException {
                rule: exception.rule.value.clone(),
                reason: exception.reason.trim().to_string(),
                origin,
            })
        })
        .collect()
}

/// The named types, each payload described by its event where its schema says nothing.
pub(super) fn finish_types(
    builder: TypeBuilder<'_>,
    events: &[Event],
) -> (Vec<NamedType>, Vec<Diagnostic>) {
    let (mut types, diagnostics) = builder.finish();
    for event in events {
        let payload = &mut types[event.payload.0];
        if payload.description.is_none() {
            payload.description = Some(format!("Payload of the `{}` event.", event.name));
        }
    }
    (types, diagnostics)
}

/// Resources in file order, each with its events (by index).
pub(super) fn resources(raw: &RawCatalog, events: &[Event]) -> Vec<Resource> {
    let mut resources: Vec<Resource> = Vec::new();
    for (_, event_file) in &raw.event_files {
        if resources
            .iter()
            .any(|resource| resource.name == event_file.resource.value)
        {
            continue;
        }
        resources.push(Resource {
            name: event_file.resource.value.clone(),
            description: event_file.description.clone(),
            events: Vec::new(),
        });
    }
    for (index, event) in events.iter().enumerate() {
        if let Some(resource) = resources
            .iter_mut()
            .find(|resource| resource.name == event.resource)
        {
            resource.events.push(index);
        }
    }
    resources
}

/// An event whose payload schema is not written yet (as `eventcat init`
/// leaves events it found in code but saw no message of).
fn missing_payload(def: &EventDef, at: Location) -> Diagnostic {
    Diagnostic::error(
        "missing-payload",
        format!("event `{}` has no payload schema yet", def.name.value),
    )
    .at_location(at, "no `payload:` here")
    .help("write `payload:` as a JSON Schema object (`type: object`, `properties`, `required`), or record messages and let `eventcat init --samples FILE` infer it")
}

/// The webhook name: the dot form `resource.verb` unless overridden or WS-only.
/// The verb is the last word: `task_run_started` → `task_run.started`.
fn webhook_name(webhook: &Webhook, event: &str) -> Option<String> {
    match webhook {
        Webhook::WsOnly => None,
        Webhook::Name(name) => Some(name.clone()),
        Webhook::Derived => Some(match event.rsplit_once('_') {
            Some((head, verb)) => format!("{head}.{verb}"),
            None => event.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_names_use_the_resource_boundary() {
        assert_eq!(
            webhook_name(&Webhook::Derived, "task_created").as_deref(),
            Some("task.created")
        );
        assert_eq!(
            webhook_name(&Webhook::Derived, "task_run_started").as_deref(),
            Some("task_run.started")
        );
        assert_eq!(
            webhook_name(&Webhook::Derived, "tasks_reordered").as_deref(),
            Some("tasks.reordered")
        );
        assert_eq!(webhook_name(&Webhook::WsOnly, "task_created"), None);
        assert_eq!(
            webhook_name(&Webhook::Name("card.moved".into()), "task_created").as_deref(),
            Some("card.moved")
        );
    }
}
