//! Differential test of the generated validators: on every catalog in the
//! repository and a catalog of every supported keyword, the generated
//! TypeScript type guards (`is<Payload>`, the same checks `parse…` and
//! `dispatch…` run) and the Rust crates' validator (`codegen/support/checks.rs`
//! walking the same table, compiled here as in a generated crate) must agree
//! with the `jsonschema` crate on every instance: the examples and mutations
//! of them (wrong types, missing and extra keys, prototype keys, boundary
//! values ±1, long and empty strings, bad formats, nulls), and pairs of
//! mutations, at least 100,000 per run.

mod support;

#[path = "../codegen/support/checks.rs"]
mod eventcat_checks;

use std::cell::RefCell;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use eventcat_codegen::checks::{Check, Checks, JsonType};
use eventcat_codegen::model::Catalog;
use eventcat_codegen::source::Sources;
use serde_json::{Map, Value, json};
use support::{TempDir, type_check, workspace_root, write_file};

/// A catalog that uses every keyword the validators check.
const KEYWORDS_CATALOG: &str = "\
channel: keywords
description: Every keyword the validators check.
protocol_version: 1
events: [events.yaml]
outputs:
  typescript: ts/keywords.ts
definitions:
  Base:
    type: object
    required: [id]
    properties:
      id: {type: integer, minimum: 1, maximum: 1000}
  Shape:
    oneOf:
      - {type: object, additionalProperties: false, required: [kind, radius], properties: {kind: {const: circle}, radius: {type: number, exclusiveMinimum: 0}}}
      - {type: object, additionalProperties: false, required: [kind, side], properties: {kind: {const: square}, side: {type: integer, multipleOf: 2}}}
";

const KEYWORDS_EVENTS: &str = r#"resource: record
events:
  - name: record_created
    description: A record was created.
    since: '1.0'
    stability: frozen
    payload:
      type: object
      additionalProperties: false
      required: [code, when, tags, shape, score, meta]
      properties:
        code: {type: string, pattern: '^[A-Z]{3}-[0-9]+$', minLength: 5, maxLength: 12}
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        at: {type: string, format: time}
        span: {type: string, format: duration}
        mail: {type: string, format: email}
        host: {type: string, format: hostname}
        ip4: {type: string, format: ipv4}
        ip6: {type: string, format: ipv6}
        link: {type: string, format: uri}
        ref: {type: string, format: uri-reference}
        uid: {type: string, format: uuid}
        tags: {type: array, items: {type: string, enum: [red, green, blue]}, minItems: 1, maxItems: 3, uniqueItems: true}
        shape: {$ref: '#/$defs/Shape'}
        score: {type: number, minimum: -1.5, maximum: 99.5}
        level: {enum: [0, 50, 100, true, null]}
        maybe: {type: [string, 'null'], maxLength: 3}
        either: {anyOf: [{type: string, minLength: 2}, {type: integer, minimum: 10}]}
        meta:
          type: object
          patternProperties: {'^x-': {type: integer}}
          additionalProperties: false
          propertyNames: {maxLength: 8}
          minProperties: 1
          maxProperties: 3
        base:
          allOf:
            - {$ref: '#/$defs/Base'}
            - {type: object, required: [name], properties: {name: {type: string}}}
    examples:
      - {code: ABC-1, when: '2024-02-29T23:59:60Z', day: '2024-02-29', at: '12:30:00+02:00', span: P1DT2H, mail: a.b@example.com, host: api.example.com, ip4: 192.168.0.1, ip6: '::1', link: 'https://example.com/a?b=c#d', ref: '../a/b', uid: 123e4567-e89b-12d3-a456-426614174000, tags: [red, blue], shape: {kind: circle, radius: 1.5}, score: 10, level: 50, maybe: null, either: ab, meta: {x-a: 1}, base: {id: 7, name: nm}}
      - {code: XYZ-123456, when: '2024-01-01T00:00:00.5-05:00', tags: [green], shape: {kind: square, side: 4}, score: -1.5, level: true, maybe: abc, either: 12, meta: {x-b: 2, x-c: 3}}
"#;

/// The mutations of one value: each replaces it where it stands.
fn mutations(value: &Value) -> Vec<Value> {
    let mut out = vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("not a valid value!"),
        json!([]),
        json!({}),
    ];
    match value {
        Value::Number(number) => {
            if let Some(n) = number.as_i64() {
                out.extend([json!(n - 1), json!(n + 1), json!(-n), json!(n * 2)]);
            }
            if let Some(f) = number.as_f64() {
                out.extend([
                    json!(f + 0.5),
                    json!(f - 0.5),
                    json!(f + 1.0),
                    json!(f - 1.0),
                ]);
            }
        }
        Value::String(text) => {
            let mut chars = text.chars();
            chars.next();
            out.extend([
                json!(format!("{text}x")),
                json!(chars.as_str()),
                json!(text.repeat(10)),
                json!(text.to_uppercase()),
                json!(format!(" {text}")),
            ]);
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                let mut doubled = items.clone();
                doubled.push(first.clone());
                out.push(Value::Array(doubled));
            }
            let mut with_null = items.clone();
            with_null.push(Value::Null);
            out.push(Value::Array(with_null));
            out.push(Value::Array(items.iter().take(1).cloned().collect()));
        }
        Value::Object(members) => out.extend(object_mutations(members)),
        _ => {}
    }
    out.retain(|candidate| candidate != value);
    out
}

fn object_mutations(members: &Map<String, Value>) -> Vec<Value> {
    let mut out = Vec::new();
    for key in members.keys() {
        let mut without = members.clone();
        without.shift_remove(key);
        out.push(Value::Object(without));
    }
    for (key, value) in [
        ("extra", json!(1)),
        ("__proto__", json!({"polluted": true})),
        ("constructor", json!({})),
        ("x-extra", json!(5)),
        ("toString", json!("x")),
    ] {
        let mut with = members.clone();
        with.insert(key.to_string(), value);
        out.push(Value::Object(with));
    }
    out
}

/// Every place in a value, as a path of keys and indices.
fn places(value: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(path.clone());
    match value {
        Value::Object(members) => {
            for (key, item) in members {
                path.push(json!(key));
                places(item, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(json!(index));
                places(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(value: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(value, |value, step| match step {
        Value::String(key) => &mut value[key.as_str()],
        Value::Number(index) => &mut value[index.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

/// An example's single mutations, then pairs of them at different places.
fn instances(example: &Value, budget: usize) -> Vec<Value> {
    let mut paths = Vec::new();
    places(example, &mut Vec::new(), &mut paths);
    let mut singles: Vec<(usize, Value)> = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let mut original = example.clone();
        for mutation in mutations(at_mut(&mut original, path)) {
            let mut mutated = example.clone();
            *at_mut(&mut mutated, path) = mutation;
            singles.push((index, mutated));
        }
    }
    let mut out = vec![example.clone()];
    out.extend(singles.iter().map(|(_, value)| value.clone()));
    // Pairs: a second mutation at another place of a mutated instance, chosen
    // by a fixed stride so every run tests the same instances.
    let mut step = 0usize;
    while out.len() < budget && !singles.is_empty() && step < budget * 4 {
        step += 1;
        let (first_place, first) = &singles[(step * 7919) % singles.len()];
        let second_place = (step * 104_729) % paths.len();
        if second_place == *first_place || paths[second_place].starts_with(&paths[*first_place]) {
            continue;
        }
        let mut mutated = first.clone();
        let target = &paths[second_place];
        if target
            .iter()
            .try_fold(&mutated, |value, step| match step {
                Value::String(key) => value.get(key.as_str()),
                Value::Number(index) => value.get(index.as_u64().unwrap() as usize),
                _ => None,
            })
            .is_none()
        {
            continue;
        }
        let place = at_mut(&mut mutated, target);
        let options = mutations(place);
        *place = options[step % options.len()].clone();
        out.push(mutated);
    }
    out
}

struct Suite {
    name: String,
    catalog: Catalog,
    module: String,
    module_stem: String,
}

fn load(root: &Path, catalog_path: &Path) -> Suite {
    let mut sources = Sources::new(root);
    let catalog = eventcat_codegen::build(&mut sources, catalog_path)
        .unwrap_or_else(|errors| panic!("{}: {errors:?}", catalog_path.display()));
    let files = eventcat_codegen::generate(&catalog).unwrap();
    let module = files
        .iter()
        .find(|file| {
            let name = file.path.to_string_lossy();
            name.ends_with(".ts") && !name.ends_with(".examples.ts")
        })
        .expect("a TypeScript module");
    Suite {
        name: catalog_path.display().to_string(),
        module_stem: module
            .path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
        module: module.contents.clone(),
        catalog,
    }
}

/// The repository's catalogs and the keyword catalog.
fn suites(scratch: &Path) -> Vec<Suite> {
    let root = workspace_root();
    let mut sources = Sources::new(&root);
    let project = eventcat_codegen::project::at(&root, "cargo xtask", &mut sources).unwrap();
    let mut suites: Vec<Suite> = project
        .catalogs
        .iter()
        .map(|catalog| load(&root, catalog))
        .collect();
    write_file(scratch, "keywords/catalog.yaml", KEYWORDS_CATALOG);
    write_file(scratch, "keywords/events.yaml", KEYWORDS_EVENTS);
    suites.push(load(scratch, &scratch.join("keywords/catalog.yaml")));
    suites
}

/// Each event's payload schema, with the catalog's definitions beside it.
fn reference(catalog: &Catalog, schema: &Value) -> jsonschema::Validator {
    let mut schema = schema.clone();
    if let Value::Object(object) = &mut schema {
        object.insert(
            "$defs".to_string(),
            Value::Object(catalog.definitions.clone()),
        );
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// The script that runs each instance through its payload's type guard.
fn runner(suite: &Suite) -> String {
    let guards: String = suite
        .catalog
        .events
        .iter()
        .map(|event| {
            let payload = &suite.catalog.ty(event.payload).name;
            format!("  [{}, module.is{payload}],\n", json!(event.name))
        })
        .collect();
    format!(
        r#"import {{ readFileSync }} from "node:fs";
import * as module from "./{stem}.js";

const guards = new Map<string, (value: unknown) => boolean>([
{guards}]);
const verdicts: string[] = [];
for (const line of readFileSync("instances.jsonl", "utf8").split("\n")) {{
  if (line === "") {{
    continue;
  }}
  const [type, payload] = JSON.parse(line) as [string, unknown];
  const guard = guards.get(type);
  if (guard === undefined) {{
    throw new Error(`no guard for ${{type}}`);
  }}
  verdicts.push(guard(payload) ? "1" : "0");
}}
console.log(verdicts.join(""));
"#,
        stem = suite.module_stem,
    )
}

fn leak<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

fn leak_str(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

thread_local! {
    /// The patterns of the suite being checked, for [`matches`].
    static PATTERNS: RefCell<Vec<regex_lite::Regex>> = const { RefCell::new(Vec::new()) };
}

/// The matcher a generated crate compiles, over the current suite's patterns.
fn matches(index: usize, text: &str) -> bool {
    PATTERNS.with(|patterns| {
        patterns
            .borrow()
            .get(index)
            .is_some_and(|pattern| pattern.is_match(text))
    })
}

/// The table a generated crate would carry, built from the same checks.
fn rust_schemas(checks: &Checks) -> eventcat_checks::Schemas {
    PATTERNS.with(|patterns| {
        *patterns.borrow_mut() = checks
            .patterns
            .iter()
            .map(|source| regex_lite::Regex::new(source).unwrap())
            .collect();
    });
    eventcat_checks::Schemas {
        checks: leak(checks.table.iter().map(rust_check).collect()),
        patterns: leak(checks.patterns.iter().cloned().map(leak_str).collect()),
        matches,
    }
}

fn rust_check(check: &Check) -> eventcat_checks::Check {
    let number =
        |number: &Option<serde_json::Number>| number.as_ref().and_then(serde_json::Number::as_f64);
    let count = |count: Option<u64>| count.map(|count| count as usize);
    eventcat_checks::Check {
        never: check.never,
        reference: check.reference,
        types: leak(check.types.iter().map(|ty| rust_type(*ty)).collect()),
        constant: check
            .constant
            .as_ref()
            .map(|value| leak_str(value.to_string())),
        enumeration: check.enumeration.as_ref().map(|values| {
            leak(
                values
                    .iter()
                    .map(|value| leak_str(value.to_string()))
                    .collect(),
            )
        }),
        minimum: number(&check.minimum),
        maximum: number(&check.maximum),
        exclusive_minimum: number(&check.exclusive_minimum),
        exclusive_maximum: number(&check.exclusive_maximum),
        multiple_of: number(&check.multiple_of),
        min_length: count(check.min_length),
        max_length: count(check.max_length),
        pattern: check.pattern,
        format: check.format.clone().map(leak_str),
        items: check.items,
        min_items: count(check.min_items),
        max_items: count(check.max_items),
        unique_items: check.unique_items,
        required: leak(check.required.iter().cloned().map(leak_str).collect()),
        properties: leak(
            check
                .properties
                .iter()
                .map(|(name, at)| (leak_str(name.clone()), *at))
                .collect(),
        ),
        pattern_properties: leak(check.pattern_properties.clone()),
        additional_properties: check.additional,
        property_names: check.property_names,
        min_properties: count(check.min_properties),
        max_properties: count(check.max_properties),
        all_of: leak(check.all_of.clone()),
        any_of: leak(check.any_of.clone()),
        one_of: leak(check.one_of.clone()),
    }
}

fn rust_type(ty: JsonType) -> eventcat_checks::JsonType {
    match ty {
        JsonType::Null => eventcat_checks::JsonType::Null,
        JsonType::Boolean => eventcat_checks::JsonType::Boolean,
        JsonType::Object => eventcat_checks::JsonType::Object,
        JsonType::Array => eventcat_checks::JsonType::Array,
        JsonType::Number => eventcat_checks::JsonType::Number,
        JsonType::String => eventcat_checks::JsonType::String,
        JsonType::Integer => eventcat_checks::JsonType::Integer,
    }
}

#[test]
fn generated_validators_agree_with_jsonschema() {
    let scratch = TempDir::new("validation");
    let suites = suites(scratch.path());
    let examples: usize = suites
        .iter()
        .flat_map(|suite| &suite.catalog.events)
        .map(|event| event.examples.len())
        .sum();
    // Enough pairs that the run passes 100,000 instances in all.
    let budget = (120_000 / examples).max(200);
    let (mut total, mut valid) = (0, 0);
    let mut disagreements = Vec::new();
    for (index, suite) in suites.iter().enumerate() {
        let checks = Checks::new(&suite.catalog);
        let rust = rust_schemas(&checks);
        let dir = scratch.path().join(format!("suite-{index}"));
        write_file(&dir, &format!("{}.ts", suite.module_stem), &suite.module);
        write_file(&dir, "runner.ts", runner(suite));
        let mut lines = String::new();
        let mut expected = Vec::new();
        for event in &suite.catalog.events {
            let validator = reference(&suite.catalog, &event.schema);
            for example in &event.examples {
                for instance in instances(example, budget) {
                    writeln!(lines, "{}", json!([event.name, instance])).unwrap();
                    let valid = validator.is_valid(&instance);
                    let rust_valid = rust
                        .check(&instance, checks.payloads[&event.name], "")
                        .is_ok();
                    if rust_valid != valid {
                        disagreements.push(format!(
                            "{}: {}: jsonschema says {}, Rust says {}: {instance}",
                            suite.name,
                            event.name,
                            verdict(valid),
                            verdict(rust_valid),
                        ));
                    }
                    expected.push((event.name.clone(), instance.clone(), valid));
                }
            }
        }
        write_file(&dir, "instances.jsonl", &lines);
        if let Err(errors) = type_check(&dir, true) {
            panic!(
                "{}: the generated TypeScript does not type-check:\n{errors}",
                suite.name
            );
        }
        let output = Command::new("node")
            .arg("dist/runner.js")
            .current_dir(&dir)
            .output()
            .expect("run node");
        assert!(
            output.status.success(),
            "{}: {}",
            suite.name,
            String::from_utf8_lossy(&output.stderr)
        );
        let verdicts = String::from_utf8(output.stdout).unwrap();
        let verdicts = verdicts.trim();
        assert_eq!(verdicts.len(), expected.len(), "{}", suite.name);
        valid += expected.iter().filter(|(_, _, valid)| *valid).count();
        for ((event, instance, valid), verdict) in expected.iter().zip(verdicts.chars()) {
            if *valid != (verdict == '1') {
                disagreements.push(format!(
                    "{}: {event}: jsonschema says {}, TypeScript says {}: {instance}",
                    suite.name,
                    self::verdict(*valid),
                    self::verdict(verdict == '1'),
                ));
            }
        }
        total += expected.len();
    }
    println!(
        "{total} instances ({valid} valid) over {} catalogs, each checked by jsonschema, the TypeScript and the Rust validators: {} disagreements",
        suites.len(),
        disagreements.len()
    );
    assert!(total >= 100_000, "only {total} instances");
    assert!(
        disagreements.is_empty(),
        "{} of {total} instances disagree:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn verdict(valid: bool) -> &'static str {
    if valid { "valid" } else { "invalid" }
}
