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

#[path = "support/differential.rs"]
mod differential;

use std::path::Path;

use differential::{Suite, compare, load};
use eventcat_codegen::source::Sources;
use support::{TempDir, workspace_root, write_file};

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
    let verdicts = compare(&suites, scratch.path(), budget);
    let total = verdicts.total;
    println!(
        "{total} instances ({} valid) over {} catalogs, each checked by jsonschema, the TypeScript and the Rust validators: {} disagreements",
        verdicts.valid,
        suites.len(),
        verdicts.disagreements.len()
    );
    assert!(total >= 100_000, "only {total} instances");
    assert!(
        verdicts.disagreements.is_empty(),
        "{} of {total} instances disagree:\n{}",
        verdicts.disagreements.len(),
        verdicts.disagreements[..verdicts.disagreements.len().min(30)].join("\n")
    );
}
