//! Raw files → the typed [`Catalog`], or every reason it cannot be built.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use heck::ToUpperCamelCase;
use jsonschema::paths::LocationSegment;

use crate::diagnostic::{Diagnostic, Location};
use crate::load::RawCatalog;
use crate::model::{
    BreakingDecision, Catalog, Direction, Drift, Event, Grandfathered, ManifestValue, NamedPolicy,
    NamingPolicy, Outputs, Resource, RuleException, RustCrate, Severity, ToolCommand,
};
use crate::node::{Node, Value};
use crate::raw::{EventDef, Transport, Webhook};
use crate::schema::{TypeBuilder, reserved_names};
use crate::source::{FileId, Sources, Span, display_path};
use crate::{attributes, envelope, naming};

/// Builds the model from the loaded files.
pub fn validate(sources: &Sources, raw: &RawCatalog) -> Result<Catalog, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let settings = &raw.settings;
    let locate = |file: FileId, location: &serde_saphyr::Location| Location {
        file,
        span: Span::from_location(location, &sources.get(file).text),
    };

    let channel = settings.channel.value.clone();
    if !is_snake_case(&channel) {
        diagnostics.push(
            Diagnostic::error(
                "invalid-channel-name",
                format!("channel name `{channel}` is not snake_case"),
            )
            .at_location(
                locate(raw.file, &settings.channel.referenced),
                "expected e.g. `board`",
            )
            .help("use lowercase letters, digits and single underscores"),
        );
    }
    if settings.protocol_version.value == 0 {
        diagnostics.push(
            Diagnostic::error("invalid-value", "`protocol_version` starts at 1").at_location(
                locate(raw.file, &settings.protocol_version.referenced),
                "zero is not a version",
            ),
        );
    }
    let channel_ident = channel.to_upper_camel_case();
    let outputs = outputs(sources, raw, &channel, &mut diagnostics);

    let mut builder = TypeBuilder::new(
        sources,
        settings.definitions.as_ref().map(|node| (raw.file, node)),
        reserved_names(&channel_ident),
    );
    let definition_order: Vec<String> = settings
        .definitions
        .as_ref()
        .and_then(Node::as_map)
        .map(|entries| entries.iter().map(|(key, _)| key.name.clone()).collect())
        .unwrap_or_default();
    builder.convert_definitions(&definition_order);
    let definitions_json = settings.definitions.as_ref().map(Node::to_json);
    let settings_origin = locate(raw.file, &settings.channel.referenced);
    let envelope = envelope::build(
        &settings.envelope,
        raw.file,
        &channel_ident,
        settings_origin,
        |location| locate(raw.file, location),
        &mut builder,
        &mut diagnostics,
    );
    let attributes =
        attributes::declarations(sources, raw.file, &settings.attributes, &mut diagnostics);
    let policy_names: Vec<&String> = settings.naming.policies.keys().collect();

    let grandfathered: HashMap<&str, &str> = settings
        .naming
        .grandfathered
        .iter()
        .map(|entry| (entry.name.value.as_str(), entry.reason.as_str()))
        .collect();

    let mut events: Vec<Event> = Vec::new();
    let mut resources: Vec<Resource> = Vec::new();
    let mut resource_indices: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<String, Location> = HashMap::new();
    let mut idents: HashMap<String, String> = HashMap::new();
    let mut alias_origins: Vec<(String, Location)> = Vec::new();
    let mut example_jobs: Vec<ExampleJob<'_>> = Vec::new();
    for (file, event_file) in &raw.event_files {
        let resource_name = event_file.resource.value.clone();
        if !is_snake_case(&resource_name) {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-resource-name",
                    format!("resource `{resource_name}` is not snake_case"),
                )
                .at_location(
                    locate(*file, &event_file.resource.referenced),
                    "expected e.g. `task_run`",
                ),
            );
        }
        let naming_policy = event_file.naming_policy.as_ref().and_then(|policy| {
            if settings.naming.policies.contains_key(&policy.value) {
                return Some(policy.value.clone());
            }
            diagnostics.push(
                Diagnostic::error(
                    "unknown-naming-policy",
                    format!("`{}` is not a naming policy of this catalog", policy.value),
                )
                .at_location(
                    locate(*file, &policy.referenced),
                    "not in `naming.policies`",
                )
                .help(if policy_names.is_empty() {
                    "define it under the catalog's `naming.policies:`".to_string()
                } else {
                    format!(
                        "policies: {}",
                        policy_names
                            .iter()
                            .map(|name| name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
            );
            None
        });
        let direction = event_file.direction;
        let resource_index = match resource_indices.get(&resource_name) {
            Some(&index) => index,
            None => {
                resource_indices.insert(resource_name.clone(), resources.len());
                resources.push(Resource {
                    name: resource_name.clone(),
                    description: event_file.description.clone(),
                    events: Vec::new(),
                });
                resources.len() - 1
            }
        };
        for def in &event_file.events {
            let origin = locate(*file, &def.name.referenced);
            let name = def.name.value.clone();
            if let Some(first) = seen.get(&name) {
                diagnostics.push(
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
                    .help("event names are unique across all event files: remove or rename one"),
                );
                continue;
            }
            seen.insert(name.clone(), origin);
            if !is_wire_name(&name) {
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
            let ident = name.to_upper_camel_case();
            if let Some(other) = idents.insert(ident.clone(), name.clone()) {
                diagnostics.push(
                    Diagnostic::error(
                        "name-collision",
                        format!("events `{other}` and `{name}` both become `{ident}`"),
                    )
                    .at_location(origin, "collides after case conversion"),
                );
                continue;
            }
            if !is_version(&def.since.value) {
                diagnostics.push(
                    Diagnostic::error(
                        "invalid-version",
                        format!("`since: {}` is not a version", def.since.value),
                    )
                    .at_location(
                        locate(*file, &def.since.referenced),
                        "expected MAJOR.MINOR or MAJOR.MINOR.PATCH",
                    )
                    .help("quote it so YAML keeps it a string: `since: '0.2'`"),
                );
            }
            let payload_name = format!("{ident}Payload");
            let Some(payload_node) = &def.payload else {
                diagnostics.push(missing_payload(def, locate(*file, &def.name.referenced)));
                continue;
            };
            let Some(payload) = builder.payload(*file, payload_node, &payload_name) else {
                continue;
            };
            let schema = payload_node.to_json();
            // Examples are checked after this loop, several events at a time;
            // their findings go where this event's would have gone.
            example_jobs.push(ExampleJob {
                event: events.len(),
                file: *file,
                def,
                at: diagnostics.len(),
            });
            let aliases = def
                .aliases
                .iter()
                .map(|alias| alias.value.clone())
                .collect();
            for alias in &def.aliases {
                if !is_snake_case(&alias.value) {
                    diagnostics.push(
                        Diagnostic::error(
                            "invalid-event-name",
                            format!("alias `{}` is not snake_case", alias.value),
                        )
                        .at_location(locate(*file, &alias.referenced), "not a wire name"),
                    );
                }
                alias_origins.push((alias.value.clone(), locate(*file, &alias.referenced)));
            }
            let exceptions = def
                .exceptions
                .iter()
                .filter_map(|exception| {
                    let origin = locate(*file, &exception.rule.referenced);
                    if !naming::is_rule(&exception.rule.value) {
                        diagnostics.push(unknown_rule(&exception.rule.value, origin));
                        return None;
                    }
                    Some(RuleException {
                        rule: exception.rule.value.clone(),
                        reason: exception.reason.trim().to_string(),
                        origin,
                    })
                })
                .collect();
            let event_attributes = attributes::values(
                sources,
                *file,
                &attributes,
                def.attributes.as_ref(),
                &mut diagnostics,
            );
            if direction == Direction::ClientToServer
                && let Webhook::Name(_) = def.webhook
            {
                diagnostics.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("command `{name}` cannot have a webhook counterpart"),
                    )
                    .at_location(origin, "a client-to-server message")
                    .help("remove `webhook:`: webhooks carry server events only"),
                );
            }
            let mut schema_origins = BTreeMap::new();
            collect_origins(
                sources,
                *file,
                payload_node,
                String::new(),
                &mut schema_origins,
            );
            let event = Event {
                webhook: match direction {
                    Direction::ServerToClient => webhook_name(&def.webhook, &name),
                    Direction::ClientToServer => None,
                },
                direction,
                naming_policy: naming_policy.clone(),
                attributes: event_attributes,
                aliases,
                exceptions,
                emitted_elsewhere: def.emitted_elsewhere.clone(),
                schema_origins,
                grandfathered: grandfathered
                    .get(name.as_str())
                    .map(|reason| reason.to_string()),
                name,
                ident,
                resource: resource_name.clone(),
                description: def.description.trim().to_string(),
                since: def.since.value.clone(),
                stability: def.stability,
                payload,
                schema,
                examples: Vec::new(),
                deprecated: def.deprecated.clone(),
                origin,
            };
            resources[resource_index].events.push(events.len());
            events.push(event);
        }
    }

    let checked = check_all_examples(sources, &example_jobs, &events, definitions_json.as_ref());
    let mut before = std::mem::take(&mut diagnostics)
        .into_iter()
        .enumerate()
        .peekable();
    for (job, (examples, found)) in example_jobs.iter().zip(checked) {
        while let Some((_, diagnostic)) = before.next_if(|(index, _)| *index < job.at) {
            diagnostics.push(diagnostic);
        }
        diagnostics.extend(found);
        events[job.event].examples = examples;
    }
    diagnostics.extend(before.map(|(_, diagnostic)| diagnostic));

    for (alias, origin) in &alias_origins {
        if seen.contains_key(alias)
            || alias_origins
                .iter()
                .filter(|(other, _)| other == alias)
                .count()
                > 1
        {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-event",
                    format!("alias `{alias}` is already an event name or another alias"),
                )
                .at_location(*origin, "ambiguous wire name")
                .help("a wire name maps to exactly one event"),
            );
        }
    }

    let naming = naming_policy(sources, raw, &mut diagnostics);
    let breaking_changes = settings
        .breaking_changes
        .iter()
        .map(|decision| BreakingDecision {
            protocol_version: decision.protocol_version.value,
            event: decision.event.value.clone(),
            change: decision.change.trim().to_string(),
            reason: decision.reason.trim().to_string(),
            origin: locate(raw.file, &decision.event.referenced),
        })
        .collect();

    for entry in &settings.naming.grandfathered {
        if !seen.contains_key(&entry.name.value) {
            diagnostics.push(
                Diagnostic::error(
                    "unknown-grandfathered",
                    format!("grandfathered name `{}` is not an event", entry.name.value),
                )
                .at_location(
                    locate(raw.file, &entry.name.referenced),
                    "no event has this name",
                )
                .help("remove the entry: the grandfathered list only names shipped events"),
            );
        }
    }

    let (mut types, type_diagnostics) = builder.finish();
    for event in &events {
        let payload = &mut types[event.payload.0];
        if payload.description.is_none() {
            payload.description = Some(format!("Payload of the `{}` event.", event.name));
        }
    }
    diagnostics.extend(type_diagnostics);
    envelope::check_keys(
        &envelope,
        &types,
        &events,
        settings_origin,
        &mut diagnostics,
    );
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let base = catalog_dir(sources, raw);
    let resolve = |relative: &str| normalize(&base.join(relative));
    Ok(Catalog {
        channel_ident,
        description: settings.description.trim().to_string(),
        protocol_version: settings.protocol_version.value,
        envelope,
        sse: settings.transports.contains(&Transport::Sse),
        attributes,
        grandfathered: settings
            .naming
            .grandfathered
            .iter()
            .map(|entry| Grandfathered {
                name: entry.name.value.clone(),
                reason: entry.reason.trim().to_string(),
            })
            .collect(),
        resources,
        events,
        types,
        outputs,
        definitions: match definitions_json {
            Some(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        },
        naming,
        breaking_changes,
        drift: settings.drift.as_ref().map(|drift| Drift {
            rust_sources: drift
                .rust
                .iter()
                .flat_map(|rust| &rust.sources)
                .map(|source| (resolve(&source.value), locate(raw.file, &source.referenced)))
                .collect(),
            emit_functions: drift
                .rust
                .iter()
                .flat_map(|rust| &rust.emit_functions)
                .map(|function| (function.name.clone(), function.event_arg))
                .collect(),
            frontend_sources: drift
                .frontend
                .iter()
                .flat_map(|frontend| &frontend.sources)
                .map(|source| (resolve(&source.value), locate(raw.file, &source.referenced)))
                .collect(),
            tsconfig: drift
                .frontend
                .as_ref()
                .and_then(|frontend| frontend.tsconfig.as_deref())
                .map(resolve),
        }),
        settings_origin,
        channel,
    })
}

fn unknown_rule(rule: &str, origin: Location) -> Diagnostic {
    let known: Vec<&str> = naming::RULES.iter().map(|rule| rule.id).collect();
    Diagnostic::error("unknown-rule", format!("`{rule}` is not a naming rule"))
        .at_location(origin, "unknown rule ID")
        .help(format!("naming rules: {}", known.join(", ")))
}

/// Reads `naming:` into the policy: severities keyed by rule ID, extra words,
/// and where each grandfathered name is listed.
fn naming_policy(
    sources: &Sources,
    raw: &RawCatalog,
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
                        span: Span::from_location(&entry.name.referenced, text),
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
                    span: Span::from_location(&key.location, text),
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
                                "invalid-value",
                                format!("severity of `{}` must be error, warning or off", key.name),
                            )
                            .at(
                                file,
                                Span::from_location(&value.location, text),
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
                "invalid-value",
                format!("`{what}` maps rule IDs to error, warning or off"),
            )
            .at(
                file,
                Span::from_location(&rules.location, text),
                "expected a mapping",
            ),
        ),
    }
    severities
}

/// Records where every key of a payload schema is written, by JSON pointer.
fn collect_origins(
    sources: &Sources,
    file: FileId,
    node: &Node,
    pointer: String,
    out: &mut BTreeMap<String, Location>,
) {
    let text = &sources.get(file).text;
    out.insert(
        pointer.clone(),
        Location {
            file,
            span: Span::from_location(&node.location, text),
        },
    );
    match &node.value {
        Value::Map(entries) => {
            for (key, child) in entries {
                let child_pointer = format!(
                    "{pointer}/{}",
                    key.name.replace('~', "~0").replace('/', "~1")
                );
                collect_origins(sources, file, child, child_pointer.clone(), out);
                // A finding about a key points at the key, not its value.
                out.insert(
                    child_pointer,
                    Location {
                        file,
                        span: Span::from_location(&key.location, text),
                    },
                );
            }
        }
        Value::Seq(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_origins(sources, file, child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// One event's examples, waiting to be checked.
struct ExampleJob<'a> {
    /// The event's index in the event list.
    event: usize,
    file: FileId,
    def: &'a EventDef,
    /// Where in the diagnostics its findings go.
    at: usize,
}

/// Checks every job's examples (see [`check_examples`]) on up to one thread
/// per core, each taking a contiguous run of jobs; the results are in job order.
fn check_all_examples(
    sources: &Sources,
    jobs: &[ExampleJob<'_>],
    events: &[Event],
    definitions: Option<&serde_json::Value>,
) -> Vec<(Vec<serde_json::Value>, Vec<Diagnostic>)> {
    let check = |job: &ExampleJob<'_>| {
        let mut found = Vec::new();
        let examples = check_examples(
            sources,
            job.file,
            job.def,
            &events[job.event].schema,
            definitions,
            &mut found,
        );
        (examples, found)
    };
    crate::parallel::map_in_order(jobs, check)
}

/// Validates every example against the payload schema (with the shared
/// definitions as `$defs`) and returns them as JSON.
fn check_examples(
    sources: &Sources,
    file: FileId,
    def: &EventDef,
    schema: &serde_json::Value,
    definitions: Option<&serde_json::Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<serde_json::Value> {
    let text = &sources.get(file).text;
    if def.examples.value.is_empty() {
        diagnostics.push(
            Diagnostic::error("missing-example", format!("event `{}` has no example", def.name.value))
                .at(file, Span::from_location(&def.examples.referenced, text), "empty list")
                .help("add at least one example payload: it documents the event and tests the generated types"),
        );
        return Vec::new();
    }
    let mut document = schema.clone();
    if let serde_json::Value::Object(map) = &mut document {
        map.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        if let Some(definitions) = definitions {
            map.insert("$defs".into(), definitions.clone());
        }
    }
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&document)
    {
        Ok(validator) => validator,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-schema",
                    format!("the payload schema is not valid JSON Schema: {error}"),
                )
                .at(
                    file,
                    Span::from_location(
                        &def.payload
                            .as_ref()
                            .map_or(def.name.referenced, |node| node.location),
                        text,
                    ),
                    "in this schema",
                ),
            );
            return Vec::new();
        }
    };
    let mut examples = Vec::new();
    for example in &def.examples.value {
        let json = example.to_json();
        for error in validator.iter_errors(&json) {
            let at = node_at(example, error.instance_path().segments());
            let pointer = error.instance_path().as_str().to_string();
            let place = if pointer.is_empty() {
                "the example".to_string()
            } else {
                format!("`{pointer}`")
            };
            diagnostics.push(
                Diagnostic::error(
                    "invalid-example",
                    format!("example of `{}` does not match its schema", def.name.value),
                )
                .at(
                    file,
                    Span::from_location(&at.location, text),
                    format!("{place}: {error}"),
                )
                .help("fix the example, or the schema if the example shows the real wire format"),
            );
        }
        examples.push(json);
    }
    examples
}

/// The node an instance path points at, or the deepest one that exists.
fn node_at<'n, 's>(node: &'n Node, path: impl Iterator<Item = LocationSegment<'s>>) -> &'n Node {
    let mut current = node;
    for segment in path {
        let next = match (segment, &current.value) {
            (LocationSegment::Property(name), Value::Map(_)) => current.get(&name),
            (LocationSegment::Index(index), Value::Seq(items)) => items.get(index),
            _ => None,
        };
        match next {
            Some(next) => current = next,
            None => break,
        }
    }
    current
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

/// The output settings, resolved against the catalog's directory.
fn outputs(
    sources: &Sources,
    raw: &RawCatalog,
    channel: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Outputs {
    let settings = &raw.settings.outputs;
    let locate = |location: &serde_saphyr::Location| Location {
        file: raw.file,
        span: Span::from_location(location, &sources.get(raw.file).text),
    };
    let base = catalog_dir(sources, raw);
    let resolve = |relative: &str| normalize(&base.join(relative));
    let mut origins = BTreeMap::new();
    let mut path_of = |setting: &'static str, value: &Option<serde_saphyr::Spanned<String>>| {
        value.as_ref().map(|value| {
            origins.insert(setting, locate(&value.referenced));
            resolve(&value.value)
        })
    };
    let typescript = path_of("outputs.typescript", &settings.typescript);
    let docs = path_of("outputs.docs", &settings.docs);
    let editor_schemas = path_of("outputs.editor_schemas", &settings.editor_schemas)
        .unwrap_or_else(|| normalize(&base));
    let lock = path_of("lock", &raw.settings.lock)
        .unwrap_or_else(|| resolve(&format!("{channel}.lock.json")));
    // `package_json` is a flag: a refusal to overwrite the `package.json`
    // points at the module's path, which decides where it goes.
    if let Some(module) = settings
        .typescript
        .as_ref()
        .filter(|_| settings.package_json)
    {
        origins.insert("outputs.package_json", locate(&module.referenced));
    }
    let rust = settings.rust.as_ref().map(|rust| {
        check_package_name(&rust.package, locate(&rust.package.referenced), diagnostics);
        origins.insert("outputs.rust.dir", locate(&rust.dir.referenced));
        RustCrate {
            dir: resolve(&rust.dir.value),
            package: rust.package.value.clone(),
            manifest: manifest_settings(rust),
        }
    });
    Outputs {
        rust,
        typescript,
        package_json: settings.package_json,
        docs,
        editor_schemas,
        lock,
        origins,
        command: ToolCommand::default(),
        catalog_file: display_path(sources.root(), &sources.get(raw.file).path),
    }
}

fn check_package_name(
    package: &serde_saphyr::Spanned<String>,
    at: Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let name = &package.value;
    let ok = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        diagnostics.push(
            Diagnostic::error("invalid-value", format!("`{name}` is not a Cargo package name"))
                .at_location(at, "in this catalog's `outputs.rust.package`")
                .help("use ASCII letters, digits, `-` and `_`, starting with a letter, e.g. `board-events`"),
        );
    }
}

/// The `[package]` keys the catalog sets itself, in manifest order; the
/// project fills in what the workspace lets the crate inherit.
fn manifest_settings(rust: &crate::raw::RustOutput) -> Vec<(&'static str, ManifestValue)> {
    let text = |key: &'static str, value: &Option<String>| {
        value
            .as_ref()
            .map(|value| (key, ManifestValue::Text(value.clone())))
    };
    [
        text("version", &rust.version),
        text("edition", &rust.edition),
        text("rust-version", &rust.rust_version),
        text("license", &rust.license),
        rust.publish
            .map(|publish| ("publish", ManifestValue::Flag(publish))),
    ]
    .into_iter()
    .flatten()
    .collect()
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

/// The directory of the catalog settings file: paths in it are relative to it.
fn catalog_dir(sources: &Sources, raw: &RawCatalog) -> PathBuf {
    sources
        .get(raw.file)
        .path
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Resolves `.` and `..` without touching the file system (outputs may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// ASCII letters, digits and underscores, starting with a letter: safe as a
/// wire name and convertible to identifiers. Style is the naming lint's job.
fn is_wire_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Lowercase ASCII words joined by single underscores.
pub fn is_snake_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('_').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

/// `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`.
fn is_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
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

    #[test]
    fn paths_are_normalized() {
        assert_eq!(
            normalize(Path::new("/r/schema/../generated/./ts")),
            PathBuf::from("/r/generated/ts")
        );
    }

    #[test]
    fn snake_case_and_versions() {
        assert!(is_snake_case("task_run_started"));
        assert!(!is_snake_case("Task_created"));
        assert!(!is_snake_case("task__created"));
        assert!(!is_snake_case("task.created"));
        assert!(!is_snake_case("_task"));
        assert!(is_version("0.2") && is_version("1.0.3"));
        assert!(!is_version("0.2.x") && !is_version("1") && !is_version("v1.0"));
    }
}
