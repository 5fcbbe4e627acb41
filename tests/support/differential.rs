//! The differential check of the generated validators, shared by
//! `validation.rs` (every catalog of the repository) and `properties.rs`
//! (random catalogs): each instance is judged by the `jsonschema` crate, by
//! the generated TypeScript type guards (compiled with the harness's `tsc`
//! and run with `node`) and by the Rust crates' validator
//! (`codegen/support/checks.rs`, compiled here as in a generated crate and
//! fed the same table), and every verdict must agree.

#[path = "../../codegen/support/checks.rs"]
mod eventcat_checks;

use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use eventcat_codegen::checks::{Check, Checks, JsonType};
use eventcat_codegen::model::Catalog;
use eventcat_codegen::source::Sources;
use serde_json::{Map, Value, json};

use crate::support::{type_check, write_file};

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
pub fn instances(example: &Value, budget: usize) -> Vec<Value> {
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

pub struct Suite {
    pub name: String,
    pub catalog: Catalog,
    pub module: String,
    pub module_stem: String,
}

/// A catalog built and its TypeScript module generated.
pub fn load(root: &Path, catalog_path: &Path) -> Suite {
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
        module: module.contents.to_string(),
        catalog,
    }
}

/// Each event's payload schema as JSON Schema itself judges it.
fn reference(catalog: &Catalog, schema: &Value) -> jsonschema::Validator {
    eventcat_codegen::verify::compile(catalog, schema).expect("the catalog's schemas compile")
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
        checks: rust_table(checks),
        patterns: leak(checks.patterns.iter().cloned().map(leak_str).collect()),
        matches,
    }
}

/// The checks in pages, as a generated crate writes them.
fn rust_table(checks: &Checks) -> eventcat_checks::Table {
    let pages = checks
        .table
        .chunks(eventcat_checks::PAGE)
        .map(|page| leak(page.iter().map(rust_check).collect()))
        .collect();
    eventcat_checks::Table(leak(pages))
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

/// What a comparison found.
pub struct Verdicts {
    /// Instances judged.
    pub total: usize,
    /// Instances jsonschema accepts.
    pub valid: usize,
    /// Each instance on which a validator disagrees with jsonschema.
    pub disagreements: Vec<String>,
}

/// Judges the examples of every suite's events, with up to `budget`
/// instances (mutations and pairs of them) per example, in scratch
/// directories under `scratch`.
pub fn compare(suites: &[Suite], scratch: &Path, budget: usize) -> Verdicts {
    let (mut total, mut valid) = (0, 0);
    let mut disagreements = Vec::new();
    for (index, suite) in suites.iter().enumerate() {
        let checks = Checks::new(&suite.catalog);
        let rust = rust_schemas(&checks);
        let dir = scratch.join(format!("suite-{index}"));
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
    Verdicts {
        total,
        valid,
        disagreements,
    }
}

fn verdict(valid: bool) -> &'static str {
    if valid { "valid" } else { "invalid" }
}
