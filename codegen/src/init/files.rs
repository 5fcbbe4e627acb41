//! The text of a new project's files: the catalog settings, one event file
//! per resource, the editor schemas and the project settings.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Draft, Layout, Options, Style, samples, yaml};
use crate::project::Marker;
use crate::render::editor_schema;

/// Every new file, relative to the root.
pub fn catalog_files(
    options: &Options,
    layout: &Layout,
    style: Style,
    inference: Option<&samples::Inference>,
    drafts: &[Draft],
) -> Vec<(PathBuf, String)> {
    let dir = &options.dir;
    let mut files = vec![(
        dir.join(format!("{}.yaml", options.channel)),
        settings_file(options, layout, style, inference, drafts),
    )];
    for resource in resources(drafts) {
        let events: Vec<&Draft> = drafts
            .iter()
            .filter(|draft| draft.resource == resource)
            .collect();
        files.push((
            dir.join("events").join(format!("{resource}.yaml")),
            event_file(&resource, &events),
        ));
    }
    files.push((
        dir.join(editor_schema::CATALOG_SCHEMA_FILE),
        editor_schema::catalog_schema(),
    ));
    files.push((
        dir.join(editor_schema::EVENTS_SCHEMA_FILE),
        editor_schema::events_schema(),
    ));
    files
}

/// Resources in order of their first event.
fn resources(drafts: &[Draft]) -> Vec<String> {
    let mut resources: Vec<String> = Vec::new();
    for draft in drafts {
        if !resources.contains(&draft.resource) {
            resources.push(draft.resource.clone());
        }
    }
    resources
}

/// The catalog settings file.
fn settings_file(
    options: &Options,
    layout: &Layout,
    style: Style,
    inference: Option<&samples::Inference>,
    drafts: &[Draft],
) -> String {
    let up = |path: &Path| relative_from(&options.dir, path);
    let mut out = String::from("# yaml-language-server: $schema=./catalog.schema.json\n");
    out.push_str(&format!("channel: {}\n", options.channel));
    out.push_str(&format!(
        "description: >-\n  Events of the {} channel. Say here what the channel carries and how\n  clients use it: this heads the taxonomy page.\n",
        options.channel
    ));
    out.push_str("protocol_version: 1\n");
    out.push_str(&yaml::field("envelope", &envelope(style, inference), 0));
    let grandfathered: Vec<Value> = drafts
        .iter()
        .filter(|draft| draft.grandfathered)
        .map(|draft| json!({"name": draft.name, "reason": "Shipped before eventcat adopted the <resource>_<past-tense-verb> rule; clients bind to it."}))
        .collect();
    if !grandfathered.is_empty() {
        out.push_str(&yaml::field(
            "naming",
            &json!({"grandfathered": grandfathered}),
            0,
        ));
    }
    out.push_str("events:\n  - events\n");
    out.push_str(&yaml::field("outputs", &outputs(options, layout, &up), 0));
    out.push_str(&drift(layout, &up));
    out
}

/// The envelope setting of a style, with the samples' own field names.
fn envelope(style: Style, inference: Option<&samples::Inference>) -> Value {
    if let Some(inference) = inference {
        return match &inference.envelope {
            samples::EnvelopeGuess::Adjacent {
                version_field,
                type_field,
                payload_field,
                omit_empty_payload,
                ..
            } => {
                let mut envelope = json!({"style": "adjacent", "version_field": version_field, "type_field": type_field, "payload_field": payload_field});
                if *omit_empty_payload {
                    envelope["omit_empty_payload"] = json!(true);
                }
                envelope
            }
            samples::EnvelopeGuess::Flat { type_field, fields } => {
                let mut envelope =
                    json!({"style": "flat", "version_field": null, "type_field": type_field});
                if let Some(fields) = fields {
                    envelope["fields"] = fields.clone();
                }
                envelope
            }
        };
    }
    match style {
        Style::Versioned => {
            json!({"style": "adjacent", "version_field": "protocol_version", "type_field": "event_type", "payload_field": "payload"})
        }
        Style::TypePayload => {
            json!({"style": "adjacent", "version_field": null, "type_field": "type", "payload_field": "payload"})
        }
        Style::Flat => json!({"style": "flat", "version_field": null, "type_field": "type"}),
    }
}

fn outputs(options: &Options, layout: &Layout, up: &dyn Fn(&Path) -> String) -> Value {
    let mut outputs = serde_json::Map::new();
    if let Some(rust) = &layout.rust_dir {
        outputs.insert("rust".into(), json!({"dir": up(rust), "package": format!("{}-events", options.channel.replace('_', "-"))}));
    }
    if let Some(typescript) = &layout.typescript {
        outputs.insert("typescript".into(), json!(up(typescript)));
        if layout.package_json {
            outputs.insert("package_json".into(), json!(true));
        }
    }
    outputs.insert("docs".into(), json!(up(&layout.docs)));
    Value::Object(outputs)
}

/// The drift section: active when the code already uses the names, else
/// commented out until the code emits and handles through the generated types.
fn drift(layout: &Layout, up: &dyn Fn(&Path) -> String) -> String {
    let mut drift = serde_json::Map::new();
    if !layout.rust_sources.is_empty() {
        let sources: Vec<String> = layout.rust_sources.iter().map(|dir| up(dir)).collect();
        let functions: Vec<Value> = layout
            .emit_functions
            .iter()
            .map(|(name, argument)| json!({"name": name, "event_arg": argument}))
            .collect();
        let mut rust = json!({"sources": sources});
        if !functions.is_empty() {
            rust["emit_functions"] = Value::Array(functions);
        }
        drift.insert("rust".into(), rust);
    }
    if !layout.frontend_sources.is_empty() {
        let sources: Vec<String> = layout.frontend_sources.iter().map(|dir| up(dir)).collect();
        let mut frontend = json!({"sources": sources});
        if let Some(tsconfig) = &layout.tsconfig {
            frontend["tsconfig"] = json!(up(tsconfig));
        }
        drift.insert("frontend".into(), frontend);
    }
    if drift.is_empty() {
        return String::new();
    }
    let text = yaml::field("drift", &Value::Object(drift), 0);
    if layout.drift_active {
        return text;
    }
    let commented: String = text.lines().map(|line| format!("# {line}\n")).collect();
    format!(
        "# Turn on once the backend emits and the frontend handles events through the\n\
         # generated code: `check` then fails on an event emitted, handled or listed\n\
         # in one place but not the others.\n{commented}"
    )
}

/// One resource's event file.
fn event_file(resource: &str, events: &[&Draft]) -> String {
    let mut out = format!(
        "# yaml-language-server: $schema=../events.schema.json\nresource: {resource}\nevents:\n"
    );
    for (index, draft) in events.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&event(draft));
    }
    out
}

fn event(draft: &Draft) -> String {
    let mut out = format!("  - name: {}\n", yaml::string(&draft.name));
    out.push_str(&yaml::field("description", &json!(draft.description), 4));
    out.push_str("    since: '0.1'\n    stability: experimental\n");
    match &draft.payload {
        Some(payload) => out.push_str(&yaml::field("payload", payload, 4)),
        None => out.push_str(
            "    # payload: the JSON Schema of this event's payload. `check` fails until it is written.\n",
        ),
    }
    out.push_str(&yaml::field(
        "examples",
        &Value::Array(draft.examples.clone()),
        4,
    ));
    out
}

/// The project settings: all of `eventcat.toml`, or the table appended to
/// the workspace's `Cargo.toml`.
pub fn project_settings(options: &Options, marker: Marker) -> String {
    let catalog = options.dir.join(format!("{}.yaml", options.channel));
    let body = format!(
        "catalogs = [\"{}\"]\ncommand = \"{}\"\n",
        catalog.to_string_lossy().replace('\\', "/"),
        options.command.0
    );
    match marker {
        Marker::EventcatToml => format!(
            "# eventcat: the event catalogs of this repository and how it runs eventcat.\n{body}"
        ),
        Marker::CargoWorkspace => format!("\n[workspace.metadata.eventcat]\n{body}"),
    }
}

/// `path` (relative to the root) as seen from `dir` (relative to the root).
fn relative_from(dir: &Path, path: &Path) -> String {
    let depth = dir.components().count();
    let mut out = "../".repeat(depth);
    out.push_str(&path.to_string_lossy().replace('\\', "/"));
    if out.is_empty() {
        out.push('.');
    }
    out.trim_end_matches('/').to_string()
}
