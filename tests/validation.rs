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

/// The valid wire messages of a committed crate's catalog: the printed
/// messages of a seed (`examples/<seed>/messages/<channel>/`), or the
/// repository catalog's examples in its envelope.
fn wire_messages(seed_channel: Option<(&str, &str)>) -> Vec<serde_json::Value> {
    let root = workspace_root();
    let Some((seed, channel)) = seed_channel else {
        let mut sources = Sources::new(&root);
        let catalog =
            eventcat_codegen::build(&mut sources, &root.join("schema/catalog.yaml")).unwrap();
        return catalog
            .events
            .iter()
            .flat_map(|event| {
                event.examples.iter().map(|payload| {
                    serde_json::json!({
                        "protocol_version": catalog.protocol_version,
                        "event_type": event.name,
                        "payload": payload,
                    })
                })
            })
            .collect();
    };
    let dir = root
        .join("examples")
        .join(seed)
        .join("messages")
        .join(channel);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
        .collect()
}

/// Counts of one crate's run: instances, how many `from_json` accepted,
/// how many `jsonschema` accepted.
#[derive(Debug, Default)]
struct Reads {
    instances: usize,
    accepted: usize,
    valid: usize,
}

/// Reads every mutation of every message with `read` (an envelope's
/// `from_json`) and judges it with `verify`'s checker: an accepted message
/// must be valid. Returns the counts and the disagreements.
fn read_mutations(
    catalog: &str,
    messages: &[serde_json::Value],
    sender: eventcat_codegen::model::Direction,
    read: impl Fn(&str) -> Result<(), String>,
    failures: &mut Vec<String>,
) -> Reads {
    let root = workspace_root();
    let mut sources = Sources::new(&root);
    let catalog = eventcat_codegen::build(&mut sources, &root.join(catalog)).unwrap();
    let checker = eventcat_codegen::verify::Checker::new(&catalog);
    let mut reads = Reads::default();
    for message in messages {
        for instance in differential::instances(message, 600) {
            let text = instance.to_string();
            let read = read(&text);
            let accepted = read.is_ok();
            let problem = checker.first_problem(&text, sender);
            if let (Err(error), None) = (&read, &problem)
                && !is_known_type_limit(error)
            {
                failures.push(format!("{}: refused {text}: {error}", catalog.channel));
            }
            reads.instances += 1;
            reads.accepted += usize::from(accepted);
            reads.valid += usize::from(problem.is_none());
            if let (true, Some(problem)) = (accepted, problem) {
                failures.push(format!("{}: accepted {text}: {problem:?}", catalog.channel));
            }
        }
    }
    reads
}

/// What the Rust types refuse although JSON Schema allows it: an integer
/// written with a fraction (`4.0`), and an envelope version the catalog
/// only asks to be an integer but the type holds as `u32`.
fn is_known_type_limit(error: &str) -> bool {
    error.contains("invalid type: floating point")
        || error.contains("invalid value: integer `-1`, expected u32")
}

/// `from_json` checks a message on the typed value it has just read, and
/// parses the text a second time only for a message that fails. That check
/// must never pass what the schemas refuse: over every committed crate's
/// envelopes, every message `from_json` accepts among the mutations of
/// the differential test (applied to whole wire messages, envelope keys
/// included) is one `verify` (the `jsonschema` crate) accepts too; and
/// every message `verify` accepts, `from_json` reads, but for the limits
/// of the Rust types.
#[test]
fn from_json_accepts_only_what_jsonschema_accepts() {
    use eventcat_codegen::model::Direction::{ClientToServer, ServerToClient};
    let mut failures = Vec::new();
    let mut total = Reads::default();
    let mut add = |reads: Reads| {
        total.instances += reads.instances;
        total.accepted += reads.accepted;
        total.valid += reads.valid;
    };
    macro_rules! reads {
        ($catalog:expr, $messages:expr, $($envelope:path => $sender:expr),+) => {{
            let messages = wire_messages($messages);
            $(add(read_mutations(
                $catalog,
                &messages,
                $sender,
                |text| <$envelope>::from_json(text).map(drop).map_err(|error| error.to_string()),
                &mut failures,
            ));)+
        }};
    }
    reads!("schema/catalog.yaml", None, board_events::BoardEnvelope => ServerToClient);
    reads!(
        "examples/seed-000-replay/schema/board.yaml",
        Some(("seed-000-replay", "board")),
        seed000_replay_board_events::BoardEnvelope => ServerToClient
    );
    reads!(
        "examples/seed-001/schema/board.yaml",
        Some(("seed-001", "board")),
        seed001_board_events::BoardEnvelope => ServerToClient,
        seed001_board_events::BoardCommandEnvelope => ClientToServer
    );
    reads!(
        "examples/seed-001/schema/dashboard.yaml",
        Some(("seed-001", "dashboard")),
        seed001_dashboard_events::DashboardEnvelope => ServerToClient
    );
    reads!(
        "examples/seed-002/schema/dashboard.yaml",
        Some(("seed-002", "dashboard")),
        seed002_dashboard_events::DashboardEnvelope => ServerToClient
    );
    reads!(
        "examples/seed-003/schema/blocker.yaml",
        Some(("seed-003", "blocker")),
        seed003_blocker_events::BlockerEnvelope => ServerToClient
    );
    reads!(
        "examples/seed-004/schema/board.yaml",
        Some(("seed-004", "board")),
        seed004_board_events::BoardEnvelope => ServerToClient
    );
    reads!(
        "examples/seed-004/schema/dashboard.yaml",
        Some(("seed-004", "dashboard")),
        seed004_dashboard_events::DashboardEnvelope => ServerToClient
    );
    println!(
        "{} instances: from_json accepted {}, jsonschema {}",
        total.instances, total.accepted, total.valid
    );
    assert!(
        failures.is_empty(),
        "{} disagreements with jsonschema:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(total.instances > 50_000, "{total:?}");
    assert!(total.accepted > 1_000, "{total:?}");
}
