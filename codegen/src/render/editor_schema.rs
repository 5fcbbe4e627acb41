//! JSON Schemas of the catalog files themselves, generated from the
//! [`crate::raw`] types so editors complete and validate what people type.
//! Draft-07, because that is what yaml-language-server supports.
//!
//! The raw types hold payload schemas as plain JSON values, so schemars
//! describes them as "anything". The rendered schema is then completed by
//! hand: every payload schema (an event's `payload`, each shared definition,
//! the envelope's `fields`) refers to [`PAYLOAD_SCHEMA`], built from the
//! keyword table the CLI itself checks ([`crate::schema_subset::KNOWN_KEYWORDS`]),
//! closed with `additionalProperties: false` so a misspelled keyword is
//! flagged as it is typed; and names carry the patterns validation enforces.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::raw::{CatalogFile, EventFile};
use crate::render::GENERATED_MARKER;
use crate::schema_subset::{
    DEFS_PREFIX, EXTENSION_PATTERN, KNOWN_FORMATS, KNOWN_KEYWORDS, KeywordValue, TYPE_NAMES,
};

/// File name of the settings file's schema.
pub const CATALOG_SCHEMA_FILE: &str = "catalog.schema.json";
/// File name of the event files' schema.
pub const EVENTS_SCHEMA_FILE: &str = "events.schema.json";

/// The definition every payload schema refers to, under `definitions`.
pub const PAYLOAD_SCHEMA: &str = "PayloadSchema";

/// `crate::names::is_snake_case` as a pattern: lowercase ASCII words
/// (letters and digits, starting with a letter) joined by single underscores.
/// Channel, resource, alias and attribute names must match it.
pub const SNAKE_CASE_PATTERN: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

/// The wire-name check of event names (`invalid-event-name`) as a pattern:
/// ASCII letters, digits and underscores, starting with a letter. Style is
/// the naming lint's job, which a catalog may turn off.
pub const WIRE_NAME_PATTERN: &str = "^[A-Za-z][A-Za-z0-9_]*$";

/// The schema of `catalog.yaml`.
pub fn catalog_schema() -> String {
    render::<CatalogFile>("Event catalog settings", |document| {
        set_pattern(document, "/properties/channel", SNAKE_CASE_PATTERN);
        set_pattern(
            document,
            "/definitions/AttributeDef/properties/name",
            SNAKE_CASE_PATTERN,
        );
        if let Some(Value::Object(definitions)) = document.pointer_mut("/properties/definitions") {
            definitions.insert("additionalProperties".to_string(), payload_ref());
        }
        refer_to_payload_schema(
            document,
            "/definitions/EnvelopeSettings/properties/fields",
            true,
        );
    })
}

/// The schema of an event file.
pub fn events_schema() -> String {
    render::<EventFile>("Event catalog: events of one resource", |document| {
        set_pattern(document, "/properties/resource", SNAKE_CASE_PATTERN);
        set_pattern(
            document,
            "/definitions/EventDef/properties/name",
            WIRE_NAME_PATTERN,
        );
        set_pattern(
            document,
            "/definitions/EventDef/properties/aliases/items",
            SNAKE_CASE_PATTERN,
        );
        refer_to_payload_schema(document, "/definitions/EventDef/properties/payload", false);
    })
}

fn render<T: JsonSchema>(title: &str, complete: impl FnOnce(&mut Value)) -> String {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    if let Some(Value::Object(definitions)) = schema.pointer_mut("/definitions") {
        definitions.insert(PAYLOAD_SCHEMA.to_string(), payload_schema());
    }
    complete(&mut schema);
    // The "generated" note goes first so it is the first thing a reader sees.
    let mut document = Map::new();
    document.insert(
        "$comment".to_string(),
        format!("{GENERATED_MARKER} from the catalog file types. Do not edit.").into(),
    );
    if let Value::Object(fields) = schema {
        document.extend(fields);
    }
    document.insert("title".to_string(), title.into());
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn payload_ref() -> Value {
    json!({ "$ref": format!("#/definitions/{PAYLOAD_SCHEMA}") })
}

/// Adds `pattern` to the string schema at `pointer`.
fn set_pattern(document: &mut Value, pointer: &str, pattern: &str) {
    if let Some(Value::Object(schema)) = document.pointer_mut(pointer) {
        schema.insert("pattern".to_string(), pattern.into());
    }
}

/// Makes the property schema at `pointer` a payload schema (or `null`),
/// keeping its description. Draft-07 ignores a `$ref`'s siblings, so the
/// reference sits in `allOf`/`anyOf` beside the description, as schemars does.
fn refer_to_payload_schema(document: &mut Value, pointer: &str, nullable: bool) {
    let Some(Value::Object(property)) = document.pointer_mut(pointer) else {
        return;
    };
    for key in ["type", "additionalProperties", "$ref", "allOf", "anyOf"] {
        property.remove(key);
    }
    if nullable {
        property.insert(
            "anyOf".to_string(),
            json!([payload_ref(), { "type": "null" }]),
        );
    } else {
        property.insert("allOf".to_string(), json!([payload_ref()]));
    }
}

/// The payload schema subset eventcat supports: one property per keyword of
/// [`KNOWN_KEYWORDS`], nothing else.
fn payload_schema() -> Value {
    let properties: Map<String, Value> = KNOWN_KEYWORDS
        .iter()
        .map(|keyword| {
            let mut schema = match keyword_value(keyword.value) {
                // A `$ref`'s siblings are ignored in draft-07: wrap it.
                Value::Object(value) if value.contains_key("$ref") => {
                    let mut wrapped = Map::new();
                    wrapped.insert("allOf".to_string(), json!([value]));
                    wrapped
                }
                Value::Object(value) => value,
                _ => Map::new(),
            };
            schema.insert("description".to_string(), keyword.description.into());
            (keyword.name.to_string(), Value::Object(schema))
        })
        .collect();
    json!({
        "description": "A payload schema: the subset of JSON Schema (draft 2020-12) that eventcat turns into types. Any other keyword is an error.",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "patternProperties": { EXTENSION_PATTERN: {} },
    })
}

/// The schema of a keyword's value.
fn keyword_value(value: KeywordValue) -> Value {
    match value {
        KeywordValue::TypeNames => json!({
            "anyOf": [
                { "enum": TYPE_NAMES },
                {
                    "type": "array",
                    "items": { "enum": TYPE_NAMES },
                    "minItems": 1,
                    "maxItems": 2,
                    "uniqueItems": true,
                },
            ],
        }),
        KeywordValue::SchemaMap => {
            json!({ "type": "object", "additionalProperties": payload_ref() })
        }
        KeywordValue::PropertyNames => json!({
            "type": "array",
            "items": { "type": "string" },
            "uniqueItems": true,
        }),
        KeywordValue::SchemaOrBool => json!({ "anyOf": [{ "type": "boolean" }, payload_ref()] }),
        KeywordValue::Schema => payload_ref(),
        KeywordValue::SchemaList => {
            json!({ "type": "array", "items": payload_ref(), "minItems": 1 })
        }
        KeywordValue::ValueList => json!({ "type": "array", "minItems": 1 }),
        KeywordValue::Values => json!({ "type": "array" }),
        KeywordValue::Any => json!({}),
        KeywordValue::DefinitionRef => json!({
            "type": "string",
            "pattern": format!("^{}[^/]+$", regex_escape(DEFS_PREFIX)),
        }),
        // Any name is accepted; editors offer the checked ones.
        KeywordValue::Format => json!({ "type": "string", "examples": KNOWN_FORMATS }),
        KeywordValue::Text => json!({ "type": "string" }),
        KeywordValue::Regex => json!({ "type": "string", "format": "regex" }),
        KeywordValue::Number => json!({ "type": "number" }),
        KeywordValue::PositiveNumber => json!({ "type": "number", "exclusiveMinimum": 0 }),
        KeywordValue::Count => json!({ "type": "integer", "minimum": 0 }),
        KeywordValue::Flag => json!({ "type": "boolean" }),
    }
}

/// `text` as a regular expression matching exactly it.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::node::Node;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn validator(schema: &str) -> jsonschema::Validator {
        jsonschema::draft7::new(&parse(schema)).expect("a valid draft-07 schema")
    }

    /// A YAML document as JSON, read the way editors read it: YAML 1.2, so
    /// `off` is a string (a naming rule's severity), not `false`.
    fn yaml(text: &str) -> Value {
        let options = serde_saphyr::options! { strict_booleans: true };
        serde_saphyr::from_str_with_options::<Node>(text, options)
            .unwrap()
            .to_json()
    }

    /// Every error of `instance`, as `path: message`.
    fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
        validator
            .iter_errors(instance)
            .map(|error| format!("{}: {error}", error.instance_path().as_str()))
            .collect()
    }

    #[test]
    fn event_schema_rejects_unknown_keys_and_lists_payload() {
        let schema = parse(&events_schema());
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        let event = &schema["definitions"]["EventDef"];
        assert_eq!(event["additionalProperties"], false);
        assert!(event["properties"]["payload"].is_object());
        assert!(
            event["required"]
                .as_array()
                .unwrap()
                .contains(&"name".into())
        );
    }

    #[test]
    fn the_generated_note_comes_first() {
        for text in [catalog_schema(), events_schema()] {
            assert!(
                text.starts_with(&format!("{{\n  \"$comment\": \"{GENERATED_MARKER} ")),
                "{}",
                &text[..80]
            );
        }
    }

    #[test]
    fn every_keyword_has_a_definition_and_nothing_else_does() {
        for text in [catalog_schema(), events_schema()] {
            let schema = parse(&text);
            let payload = &schema["definitions"][PAYLOAD_SCHEMA];
            assert_eq!(payload["additionalProperties"], false);
            let defined = payload["properties"].as_object().unwrap();
            for keyword in KNOWN_KEYWORDS {
                let definition = &defined[keyword.name];
                assert!(definition.is_object(), "{}", keyword.name);
                assert_eq!(definition["description"], keyword.description);
            }
            for name in defined.keys() {
                assert!(
                    KNOWN_KEYWORDS.iter().any(|keyword| keyword.name == name),
                    "{name} is defined but not a known keyword"
                );
            }
        }
    }

    #[test]
    fn payloads_definitions_and_envelope_fields_are_payload_schemas() {
        let reference = payload_ref();
        let events = parse(&events_schema());
        let payload = &events["definitions"]["EventDef"]["properties"]["payload"];
        assert_eq!(payload["allOf"][0], reference);
        assert!(payload["description"].is_string());
        let catalog = parse(&catalog_schema());
        let definitions = &catalog["properties"]["definitions"];
        assert_eq!(definitions["additionalProperties"], reference);
        assert!(definitions["description"].is_string());
        let fields = &catalog["definitions"]["EnvelopeSettings"]["properties"]["fields"];
        assert_eq!(fields["anyOf"][0], reference);
        assert!(fields["description"].is_string());
    }

    const EVENT_FILE: &str = "resource: task\nevents:\n  - name: task_created\n    description: d\n    since: '0.1'\n    stability: frozen\n    payload:\n      type: object\n      additionalProperties: false\n      REQUIRED\n      properties:\n        task_id: {$ref: '#/$defs/TaskId'}\n        tags: {type: array, items: {type: string, minLength: 1}}\n        note: {anyOf: [{$ref: '#/$defs/Note'}, {type: 'null'}]}\n    examples: [{task_id: 1}]\n";

    #[test]
    fn a_misspelled_keyword_in_a_payload_is_flagged() {
        let validator = validator(&events_schema());
        let good = yaml(&EVENT_FILE.replace("REQUIRED", "required: [task_id]"));
        assert_eq!(errors(&validator, &good), Vec::<String>::new());
        let bad = yaml(&EVENT_FILE.replace("REQUIRED", "requried: [task_id]"));
        let found = errors(&validator, &bad);
        assert!(
            found
                .iter()
                .any(|error| error.starts_with("/events/0/payload: ") && error.contains("requried")),
            "{found:?}"
        );
        // Deeper too: in a property's schema, and in `items`.
        let nested = yaml(
            &EVENT_FILE
                .replace("REQUIRED", "required: [task_id]")
                .replace("minLength", "minLenght"),
        );
        let found = errors(&validator, &nested);
        assert!(
            found.iter().any(|error| error
                .starts_with("/events/0/payload/properties/tags/items: ")
                && error.contains("minLenght")),
            "{found:?}"
        );
    }

    #[test]
    fn keyword_values_are_checked() {
        let validator = validator(&events_schema());
        let good = EVENT_FILE.replace("REQUIRED", "required: [task_id]");
        for (from, to, at) in [
            ("type: object\n", "type: objekt\n", "/events/0/payload/type"),
            (
                "{type: 'null'}",
                "{type: [string, number, 'null']}",
                "/events/0/payload/properties/note/anyOf/1/type",
            ),
            (
                "{$ref: '#/$defs/TaskId'}",
                "{$ref: '#/definitions/TaskId'}",
                "/events/0/payload/properties/task_id/$ref",
            ),
            (
                "required: [task_id]",
                "required: task_id",
                "/events/0/payload/required",
            ),
            (
                "required: [task_id]",
                "required: [task_id, task_id]",
                "/events/0/payload/required",
            ),
            (
                "minLength: 1",
                "minLength: -1",
                "/events/0/payload/properties/tags/items/minLength",
            ),
            (
                "minLength: 1",
                "format: 3",
                "/events/0/payload/properties/tags/items/format",
            ),
            (
                "minLength: 1",
                "x-free-form: yes please",
                "/events/0/payload/properties/tags/items/x-free-form",
            ),
            (
                "items: {type: string, minLength: 1}",
                "items: [{type: string}]",
                "/events/0/payload/properties/tags/items",
            ),
        ] {
            assert!(good.contains(from), "{from}");
            let found = errors(&validator, &yaml(&good.replacen(from, to, 1)));
            assert!(
                found
                    .iter()
                    .any(|error| error.starts_with(&format!("{at}: "))),
                "{to}: {found:?}"
            );
        }
    }

    const CATALOG: &str = "channel: board\ndescription: d\nprotocol_version: 1\nenvelope:\n  fields:\n    type: object\n    properties:\n      seq: {type: integer, minimum: 0, maximum: 10}\ndefinitions:\n  TaskId: {type: integer, minimum: 1, maximum: 9007199254740991}\n  Note:\n    type: string\n    REQUIRED\nevents: [events]\noutputs:\n  rust: {dir: out/rust, package: board-events}\n  typescript: out/board.ts\n  docs: out/board.md\n  editor_schemas: .\n";

    #[test]
    fn a_misspelled_keyword_in_a_definition_or_the_envelope_is_flagged() {
        let validator = validator(&catalog_schema());
        let good = yaml(&CATALOG.replace("REQUIRED", "maxLength: 10"));
        assert_eq!(errors(&validator, &good), Vec::<String>::new());
        let bad = yaml(&CATALOG.replace("REQUIRED", "requried: []"));
        let found = errors(&validator, &bad);
        assert!(
            found
                .iter()
                .any(|error| error.starts_with("/definitions/Note: ") && error.contains("requried")),
            "{found:?}"
        );
        let bad = yaml(
            &CATALOG
                .replace("REQUIRED", "maxLength: 10")
                .replace("    properties:\n      seq", "    propertes:\n      seq"),
        );
        let found = errors(&validator, &bad);
        assert!(
            found
                .iter()
                .any(|error| error.starts_with("/envelope/fields: ") && error.contains("propertes")),
            "{found:?}"
        );
    }

    /// Every catalog file in the repository: (path, is the settings file).
    fn repository_catalog_files() -> Vec<(PathBuf, bool)> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path
                    .extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml")
                {
                    out.push(path);
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut paths = Vec::new();
        walk(&root.join("schema"), &mut paths);
        for example in std::fs::read_dir(root.join("examples")).unwrap().flatten() {
            walk(&example.path().join("schema"), &mut paths);
        }
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let value = yaml(&std::fs::read_to_string(&path).unwrap());
                let is_settings = value.get("channel").is_some();
                assert!(
                    is_settings || value.get("resource").is_some(),
                    "{} is neither catalog settings nor an event file",
                    path.display()
                );
                (path, is_settings)
            })
            .collect()
    }

    #[test]
    fn every_catalog_in_the_repository_is_accepted() {
        let catalog = validator(&catalog_schema());
        let events = validator(&events_schema());
        let files = repository_catalog_files();
        let settings = files.iter().filter(|(_, is_settings)| *is_settings).count();
        assert!(settings >= 8, "found {settings} catalog settings files");
        assert!(
            files.len() - settings >= 30,
            "found {} event files",
            files.len() - settings
        );
        let mut failures = Vec::new();
        for (path, is_settings) in &files {
            let instance = yaml(&std::fs::read_to_string(path).unwrap());
            let validator = if *is_settings { &catalog } else { &events };
            for error in errors(validator, &instance) {
                failures.push(format!("{}: {error}", path.display()));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Names that probe the edges of both name rules.
    const NAMES: &[&str] = &[
        "task_created",
        "task",
        "a",
        "x1",
        "task_2fa_enabled",
        "a1_b2",
        "task__created",
        "_task",
        "task_",
        "1task",
        "2",
        "Task",
        "TaskCreated",
        "taskCreated",
        "task-created",
        "task.created",
        "task created",
        "task_created\n",
        "\ntask",
        "",
        "_",
        "tâsk",
        "task_ß",
        "ｔask",
        "task$",
        "T_",
        "t__",
    ];

    fn matches(pattern: &str, name: &str) -> bool {
        jsonschema::draft7::is_valid(
            &json!({ "type": "string", "pattern": pattern }),
            &json!(name),
        )
    }

    #[test]
    fn the_snake_case_pattern_is_the_snake_case_check() {
        for name in NAMES {
            assert_eq!(
                matches(SNAKE_CASE_PATTERN, name),
                crate::names::is_snake_case(name),
                "{name:?}"
            );
        }
    }

    #[test]
    fn the_wire_name_pattern_is_the_event_name_check() {
        // The check is private to validation: run it on one event per name.
        let mut text = String::from("resource: task\nevents:\n");
        for name in NAMES {
            text.push_str(&format!(
                "  - name: {}\n    description: d\n    since: '0.1'\n    stability: experimental\n    payload: {{type: object, properties: {{}}}}\n    examples: [{{}}]\n",
                serde_json::to_string(name).unwrap()
            ));
        }
        let mut sources = crate::source::Sources::new(Path::new("/"));
        let settings_text = CATALOG.replace("REQUIRED", "maxLength: 10");
        let file = sources.add(Path::new("/catalog.yaml"), settings_text.clone());
        let events_file = sources.add(Path::new("/events/task.yaml"), text.clone());
        let raw = crate::load::RawCatalog {
            file,
            settings: serde_saphyr::from_str(&settings_text).unwrap(),
            event_files: vec![(events_file, serde_saphyr::from_str(&text).unwrap())],
        };
        let diagnostics = match crate::validate::validate(&sources, &raw) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics,
        };
        for name in NAMES {
            let message = format!("event name `{name}` is not a wire name");
            let rejected = diagnostics
                .iter()
                .any(|d| d.rule == "invalid-event-name" && d.message == message);
            assert_eq!(matches(WIRE_NAME_PATTERN, name), !rejected, "{name:?}");
        }
    }

    #[test]
    fn names_carry_their_patterns() {
        let catalog = parse(&catalog_schema());
        assert_eq!(
            catalog["properties"]["channel"]["pattern"],
            SNAKE_CASE_PATTERN
        );
        assert_eq!(
            catalog["definitions"]["AttributeDef"]["properties"]["name"]["pattern"],
            SNAKE_CASE_PATTERN
        );
        let events = parse(&events_schema());
        assert_eq!(
            events["properties"]["resource"]["pattern"],
            SNAKE_CASE_PATTERN
        );
        let event = &events["definitions"]["EventDef"]["properties"];
        assert_eq!(event["name"]["pattern"], WIRE_NAME_PATTERN);
        assert_eq!(event["aliases"]["items"]["pattern"], SNAKE_CASE_PATTERN);
    }

    #[test]
    fn the_ref_pattern_is_the_ref_check() {
        let pattern = parse(&events_schema())["definitions"][PAYLOAD_SCHEMA]["properties"]["$ref"]
            ["pattern"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(pattern, "^#/\\$defs/[^/]+$");
        for (reference, ok) in [
            ("#/$defs/TaskId", true),
            ("#/$defs/a", true),
            ("#/$defs/", false),
            ("#/$defs/a/b", false),
            ("#/definitions/TaskId", false),
            ("other.json#/$defs/TaskId", false),
            ("#/$defsX", false),
        ] {
            assert_eq!(matches(&pattern, reference), ok, "{reference}");
        }
    }
}
