//! Property tests: random valid catalogs (random resources, events, fields,
//! every supported type, descriptions full of odd characters) must build,
//! generate Rust that parses with syn, generate the same bytes every time, and
//! generate TypeScript that type-checks under the harness's strict flags
//! (many catalogs per `tsc` run, to stay fast), and Python that passes
//! mypy and pyright (strict) as `ruff format` writes it; and whose generated
//! validators (TypeScript and Rust) agree with the `jsonschema` crate on the
//! examples and their mutations.
//!
//! Catalogs are written as JSON (which the loader reads like YAML), so any
//! generated string is representable. `PROPTEST_CASES` overrides the counts.

mod support;

#[path = "support/differential.rs"]
mod differential;

use std::collections::BTreeSet;
use std::path::Path;

use eventcat_codegen::names::{field_ident, variant_ident};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::{Run, TempDir, output, run_pipeline_at, type_check, write_file};

/// A payload field's schema and a valid example value.
#[derive(Debug, Clone)]
struct FieldType {
    schema: Value,
    example: Value,
}

/// Text with the characters that break comments, strings, tables and Markdown.
fn weird_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z .,]{0,30}",
        "[ -~]{0,40}",
        "[a-z `|*/<>#$\\\\\"{}\n\r\u{2028}\u{2029}é漢🙂-]{0,40}",
        Just("ends */ here".to_string()),
        Just("# heading\n```\ncode\n```".to_string()),
    ]
}

/// A property name: plain, camelCase, a keyword, a prototype key or punctuation.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,12}",
        "[a-z][a-zA-Z0-9]{0,12}",
        prop::sample::select(vec![
            "type",
            "match",
            "self",
            "default",
            "enum",
            "fn",
            "async",
            "__proto__",
            "constructor",
            "toString",
            "a-b",
            "with space",
            "x|y",
            "q\"uote",
            "$dollar",
        ])
        .prop_map(str::to_string),
    ]
}

/// A wire value for a string enum.
fn enum_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z_]{0,10}",
        "[A-Za-z0-9 |*/<>`.-]{1,10}",
        prop::sample::select(vec!["self", "type", "__proto__", "constructor", ""])
            .prop_map(str::to_string),
    ]
}

fn string_type() -> impl Strategy<Value = FieldType> {
    prop_oneof![
        weird_text().prop_map(|text| FieldType {
            schema: json!({"type": "string"}),
            example: json!(text),
        }),
        prop::sample::select(vec![
            ("uuid", json!("3f6c2a1e-8b4d-4c7a-9e21-5d0b7f3a9c44")),
            ("date-time", json!("2026-03-14T09:26:53Z")),
            ("date", json!("2026-03-14")),
            ("email", json!("someone@example.com")),
            ("uri", json!("https://example.com/a?b=c")),
        ])
        .prop_map(|(format, example)| FieldType {
            schema: json!({"type": "string", "format": format}),
            example,
        }),
    ]
}

/// Strings, numbers and booleans: the types that may also be `null`.
fn primitive_type() -> impl Strategy<Value = FieldType> {
    prop_oneof![
        string_type(),
        (-1000i64..1000, 0i64..1000).prop_map(|(min, span)| FieldType {
            schema: json!({"type": "integer", "minimum": min, "maximum": min + span}),
            example: json!(min + span / 2),
        }),
        Just(FieldType {
            schema: json!({"type": "integer", "minimum": 1, "maximum": 9007199254740991i64}),
            example: json!(9007199254740991i64),
        }),
        (-1.0e6f64..1.0e6).prop_map(|number| FieldType {
            schema: json!({"type": "number"}),
            example: json!(number),
        }),
        any::<bool>().prop_map(|flag| FieldType {
            schema: json!({"type": "boolean"}),
            example: json!(flag),
        }),
    ]
}

fn scalar_type() -> impl Strategy<Value = FieldType> {
    prop_oneof![
        primitive_type(),
        (
            prop::collection::vec(enum_value(), 1..5),
            any::<prop::sample::Index>()
        )
            .prop_map(|(values, pick)| {
                // Values must stay distinct after conversion to Rust variants.
                let mut seen = BTreeSet::new();
                let values: Vec<String> = values
                    .into_iter()
                    .filter(|value| seen.insert(variant_ident(value)))
                    .collect();
                let example = values[pick.index(values.len())].clone();
                FieldType {
                    schema: json!({"type": "string", "enum": values}),
                    example: json!(example),
                }
            }),
        Just(FieldType {
            schema: json!({"$ref": "#/$defs/SharedId"}),
            example: json!(7),
        }),
        Just(FieldType {
            schema: json!({"x-free-form": true}),
            example: json!({"any": [1, "two", null, {"__proto__": 3}]}),
        }),
    ]
}

/// Every supported type: scalars, arrays, maps, nullables and tagged unions.
fn field_type() -> impl Strategy<Value = FieldType> {
    scalar_type().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|item| FieldType {
                schema: json!({"type": "array", "items": item.schema}),
                example: json!([item.example.clone(), item.example]),
            }),
            (inner.clone(), "[a-z]{1,6}").prop_map(|(value, key)| FieldType {
                schema: json!({"type": "object", "additionalProperties": value.schema}),
                example: json!({ key: value.example }),
            }),
            // Not enums: `enum` without `null` rejects a null example (a known issue).
            primitive_type().prop_map(|item| {
                let mut schema = item.schema.clone();
                schema["type"] = json!([schema["type"].clone(), "null"]);
                FieldType {
                    schema,
                    example: Value::Null,
                }
            }),
            (inner, weird_text()).prop_map(|(detail, text)| FieldType {
                schema: json!({"description": text, "oneOf": [
                    {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "done"}, "detail": detail.schema}},
                    {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "skipped"}}},
                ]}),
                example: json!({"kind": "done", "detail": detail.example}),
            }),
        ]
    })
}

#[derive(Debug, Clone)]
struct EventSpec {
    verb: String,
    description: String,
    fields: Vec<(String, FieldType, bool, String)>,
    deny_unknown: bool,
}

fn event_spec() -> impl Strategy<Value = EventSpec> {
    (
        prop::sample::select(vec![
            "created", "updated", "deleted", "moved", "archived", "started", "finished",
        ]),
        weird_text(),
        prop::collection::vec(
            (field_name(), field_type(), any::<bool>(), weird_text()),
            0..6,
        ),
        any::<bool>(),
    )
        .prop_map(|(verb, description, fields, deny_unknown)| {
            // Property names must stay distinct as Rust fields.
            let mut seen = BTreeSet::new();
            let fields = fields
                .into_iter()
                .filter(|(name, ..)| seen.insert(field_ident(name)))
                .collect();
            EventSpec {
                verb: verb.to_string(),
                description,
                fields,
                deny_unknown,
            }
        })
}

#[derive(Debug, Clone)]
struct CatalogSpec {
    channel: String,
    description: String,
    resources: Vec<(String, Vec<EventSpec>)>,
}

fn catalog_spec() -> impl Strategy<Value = CatalogSpec> {
    (
        prop::sample::select(vec!["board", "live", "ops_feed", "chat2"]),
        weird_text(),
        prop::collection::vec(
            (
                prop::sample::select(vec!["task", "phase", "risk", "sprint", "user_group"]),
                prop::collection::vec(event_spec(), 1..4),
            ),
            1..4,
        ),
    )
        .prop_map(|(channel, description, resources)| {
            // One file per resource; one event per verb.
            let mut names = BTreeSet::new();
            let resources = resources
                .into_iter()
                .filter(|(resource, _)| names.insert(resource.to_string()))
                .map(|(resource, events)| {
                    let mut verbs = BTreeSet::new();
                    let events = events
                        .into_iter()
                        .filter(|event| verbs.insert(event.verb.clone()))
                        .collect();
                    (resource.to_string(), events)
                })
                .collect();
            CatalogSpec {
                channel: channel.to_string(),
                description,
                resources,
            }
        })
}

/// Writes the catalog as JSON files under `dir`; returns the settings file.
fn write_catalog(dir: &Path, spec: &CatalogSpec) -> std::path::PathBuf {
    let settings = json!({
        "channel": spec.channel,
        "description": spec.description,
        "protocol_version": 1,
        "definitions": {"SharedId": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "A shared id."}},
        "events": ["events"],
        "outputs": {
            "rust": {"dir": "out/rust", "package": "prop-events"},
            "typescript": format!("out/ts/{}.ts", spec.channel),
            "python": format!("out/py/{}.py", spec.channel),
            "docs": "out/docs/events.md",
            "editor_schemas": "out/schemas",
        },
    });
    write_file(dir, "catalog.json", settings.to_string());
    for (resource, events) in &spec.resources {
        let events: Vec<Value> = events
            .iter()
            .map(|event| {
                let mut properties = serde_json::Map::new();
                let mut example = serde_json::Map::new();
                let mut required = Vec::new();
                for (name, ty, is_required, description) in &event.fields {
                    let mut schema = ty.schema.clone();
                    if schema.get("$ref").is_none() {
                        schema["description"] = json!(description);
                    }
                    properties.insert(name.clone(), schema);
                    example.insert(name.clone(), ty.example.clone());
                    if *is_required {
                        required.push(name.clone());
                    }
                }
                json!({
                    "name": format!("{resource}_{}", event.verb),
                    "description": event.description,
                    "since": "0.1",
                    "stability": "experimental",
                    "payload": {
                        "type": "object",
                        "additionalProperties": !event.deny_unknown,
                        "required": required,
                        "properties": properties,
                    },
                    "examples": [example, Value::Object(
                        // The smallest valid example: required fields only.
                        event.fields.iter()
                            .filter(|(_, _, is_required, _)| *is_required)
                            .map(|(name, ty, ..)| (name.clone(), ty.example.clone()))
                            .collect(),
                    )],
                })
            })
            .collect();
        write_file(
            dir,
            &format!("events/{resource}.json"),
            json!({"resource": resource, "events": events}).to_string(),
        );
    }
    dir.join("catalog.json")
}

fn generate(dir: &Path, spec: &CatalogSpec) -> Run {
    let catalog = write_catalog(dir, spec);
    run_pipeline_at(dir, &catalog)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        max_shrink_iters: 200,
        // No regression files in the source tree; a failure prints its input.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// The generated crate's sources parse as Rust.
    #[test]
    fn generated_rust_parses_with_syn(spec in catalog_spec()) {
        let scratch = TempDir::new("prop-syn");
        let run = generate(scratch.path(), &spec);
        prop_assert!(run.result.is_ok(), "{}", run.rendered());
        let files = run.files();
        for suffix in ["src/lib.rs", &format!("src/{}.rs", spec.channel)] {
            let text = output(files, suffix);
            if let Err(error) = syn::parse_file(&text) {
                prop_assert!(false, "{suffix} does not parse: {error}\n{text}");
            }
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// Two runs over the same catalog give the same bytes, and a second
    /// write to disk changes nothing.
    #[test]
    fn generation_is_deterministic(spec in catalog_spec()) {
        let scratch = TempDir::new("prop-determinism");
        let first = generate(scratch.path(), &spec);
        prop_assert!(first.result.is_ok(), "{}", first.rendered());
        let again = run_pipeline_at(scratch.path(), &scratch.path().join("catalog.json"));
        prop_assert_eq!(first.files(), again.files());
        let written = eventcat_codegen::output::write(first.files()).unwrap();
        prop_assert_eq!(written.written.len(), first.files().len());
        let rewritten = eventcat_codegen::output::write(again.files()).unwrap();
        prop_assert!(rewritten.written.is_empty(), "a second write changed {:?}", rewritten.written);
    }
}

proptest! {
    #![proptest_config(config(3))]

    /// A batch of generated TypeScript modules (each with its examples
    /// module) type-checks in one strict `tsc` run.
    #[test]
    fn generated_typescript_type_checks(specs in prop::collection::vec(catalog_spec(), 16)) {
        let scratch = TempDir::new("prop-tsc");
        for (index, spec) in specs.iter().enumerate() {
            let dir = scratch.path().join(format!("catalog{index}"));
            let run = generate(&dir, spec);
            prop_assert!(run.result.is_ok(), "{}", run.rendered());
            support::write_outputs(run.files());
        }
        if let Err(errors) = type_check(scratch.path(), false) {
            prop_assert!(false, "tsc failed:\n{errors}");
        }
    }
}

proptest! {
    #![proptest_config(config(3))]

    /// A batch of generated Python modules passes `mypy --strict` and strict
    /// pyright in one run each, and `ruff format` would change none.
    #[test]
    fn generated_python_type_checks(specs in prop::collection::vec(catalog_spec(), 16)) {
        let scratch = TempDir::new("prop-python");
        let mut files = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            let run = generate(&scratch.path().join(format!("catalog{index}")), spec);
            prop_assert!(run.result.is_ok(), "{}", run.rendered());
            let module = output(run.files(), &format!("out/py/{}.py", spec.channel));
            let file = format!("{}_{index}.py", spec.channel);
            write_file(scratch.path(), &format!("py/{file}"), module);
            files.push(file);
        }
        let dir = scratch.path().join("py");
        if let Err(errors) = support::python::type_check(&dir) {
            prop_assert!(false, "the Python does not type-check:\n{errors}");
        }
        if let Err(diff) = support::python::format_check(&dir, &files) {
            prop_assert!(false, "ruff format would change the Python:\n{diff}");
        }
    }
}

proptest! {
    #![proptest_config(config(2))]

    /// The generated validators agree with jsonschema on random catalogs:
    /// their examples and mutations of them, judged by the TypeScript type
    /// guards, the Rust validator and the `jsonschema` crate.
    #[test]
    fn generated_validators_agree_with_jsonschema(specs in prop::collection::vec(catalog_spec(), 8)) {
        let scratch = TempDir::new("prop-validators");
        let mut suites = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            let dir = scratch.path().join(format!("catalog{index}"));
            let catalog = write_catalog(&dir, spec);
            suites.push(differential::load(&dir, &catalog));
        }
        let verdicts = differential::compare(&suites, &scratch.path().join("runs"), 300);
        prop_assert!(verdicts.valid > 0 && verdicts.valid < verdicts.total, "{} of {} valid", verdicts.valid, verdicts.total);
        prop_assert!(
            verdicts.disagreements.is_empty(),
            "{} of {} instances disagree:\n{}",
            verdicts.disagreements.len(),
            verdicts.total,
            verdicts.disagreements[..verdicts.disagreements.len().min(20)].join("\n")
        );
    }
}

proptest! {
    // A case runs the parser once (seconds): a failure is shown as found.
    #![proptest_config(ProptestConfig { max_shrink_iters: 0, ..config(2) })]

    /// Random catalogs export AsyncAPI documents the official parser
    /// accepts, and import back to a catalog that exports the same bytes.
    #[test]
    fn asyncapi_documents_parse_and_import_back(specs in prop::collection::vec(catalog_spec(), 12)) {
        use eventcat_codegen::model::AsyncApiVersion;
        use eventcat_codegen::render::asyncapi::document;
        let scratch = TempDir::new("prop-asyncapi");
        let mut paths = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            let dir = scratch.path().join(format!("catalog{index}"));
            let settings = write_catalog(&dir, spec);
            let first = document(&built(&dir, &settings), AsyncApiVersion::V3_1).into_string();
            let path = dir.join("export.asyncapi.yaml");
            std::fs::write(&path, &first).unwrap();
            let imported = eventcat_codegen::import::asyncapi::import(
                &eventcat_codegen::import::asyncapi::Options {
                    document: path.clone(),
                    ..Default::default()
                },
            )
            .unwrap();
            prop_assert!(imported.unrepresented.is_empty(), "{:?}", imported.unrepresented);
            let again_dir = dir.join("imported");
            for (file, text) in &imported.catalogs[0].files {
                write_file(&again_dir, &file.to_string_lossy(), text);
            }
            let second = document(&built(&dir, &again_dir.join("catalog.yaml")), AsyncApiVersion::V3_1)
                .into_string();
            let body = |text: &str| text.split_once("\n\n").map(|(_, body)| body.to_string());
            prop_assert_eq!(body(&first), body(&second));
            paths.push(path);
        }
        let paths: Vec<&Path> = paths.iter().map(|path| path.as_path()).collect();
        if let Err(report) = support::asyncapi::validate(&paths) {
            prop_assert!(false, "the AsyncAPI parser refuses a document:\n{report}");
        }
    }
}

/// The catalog at `settings`, which must build.
fn built(root: &Path, settings: &Path) -> eventcat_codegen::model::Catalog {
    let mut sources = eventcat_codegen::source::Sources::new(root);
    eventcat_codegen::build(&mut sources, settings).unwrap_or_else(|diagnostics| {
        let report = eventcat_codegen::diagnostic::Report { diagnostics };
        panic!("{}", report.render(&sources, false))
    })
}
