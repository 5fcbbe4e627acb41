//! Large integers in TypeScript: under `large_integers: bigint` and
//! `x-large-integer: string`, a value beyond 2^53 survives the generated
//! decoder and encoder exactly, byte for byte, where `JSON.parse` rounds it.
//! The generated module and its examples are type-checked under the
//! harness's strict flags and run with `node`.

mod support;

use std::process::Command;

use support::{TempDir, output, run_pipeline, type_check, write_file, write_outputs};

const CATALOG: &str = "\
channel: ledger
description: Ledger entries.
protocol_version: 1
large_integers: bigint
events: [events.yaml]
outputs:
  typescript: ts/ledger.ts
";

const EVENTS: &str = "\
resource: entry
events:
  - name: entry_posted
    description: An entry was posted.
    since: '1.0'
    stability: frozen
    payload:
      type: object
      additionalProperties: false
      required: [id, amount_minor, ids, legs, count, small]
      properties:
        id: {type: integer, description: The entry's id.}
        amount_minor: {type: integer, x-large-integer: string}
        ids: {type: array, items: {type: integer}}
        legs:
          type: object
          additionalProperties: {$ref: '#/$defs/Leg'}
        count: {type: integer, x-large-integer: number}
        small: {type: integer, minimum: 0, maximum: 10}
        parent: {type: [integer, 'null']}
    examples:
      - {id: 9223372036854775807, amount_minor: -9223372036854775808, ids: [1, 9007199254740993], legs: {a: {account: 18446744073709551615}}, count: 5, small: 1, parent: null}
  - name: entry_voided
    description: An entry was voided.
    since: '1.0'
    stability: frozen
    payload:
      type: object
      additionalProperties: false
      required: [reason]
      properties:
        reason: {type: string}
    examples:
      - {reason: typo}
";

const DEFINITIONS: &str = "\
definitions:
  Leg:
    type: object
    additionalProperties: false
    required: [account]
    properties:
      account: {type: integer, minimum: 0}
";

/// The runtime check: every example goes out and back exactly; a message
/// on the wire comes in and goes out byte for byte.
const RUNTIME: &str = r#"import { deepStrictEqual, strictEqual, throws } from "node:assert";
import { LEDGER_EXAMPLES } from "./ledger.examples.js";
import { decodeLedgerEvent, encodeLedgerEvent, type EntryPostedPayload } from "./ledger.js";

const example: EntryPostedPayload | undefined = LEDGER_EXAMPLES.entry_posted[0];
if (example === undefined) {
  throw new Error("no example");
}
strictEqual(typeof example.id, "bigint");
strictEqual(example.amount_minor, "-9223372036854775808");
strictEqual(typeof example.count, "number");

const wire = encodeLedgerEvent("entry_posted", example);
strictEqual(
  wire,
  '{"protocol_version":1,"event_type":"entry_posted","payload":{"id":9223372036854775807,"amount_minor":-9223372036854775808,"ids":[1,9007199254740993],"legs":{"a":{"account":18446744073709551615}},"count":5,"small":1,"parent":null}}',
);
const decoded = decodeLedgerEvent(wire) as { payload: EntryPostedPayload };
deepStrictEqual(decoded.payload, example);
strictEqual(encodeLedgerEvent("entry_posted", decoded.payload), wire);

// Small values at `bigint` places are `bigint`s too; `number` places and
// unknown messages round as `JSON.parse` does.
const small = decodeLedgerEvent(
  '{"event_type":"entry_posted","payload":{"id":1,"amount_minor":2,"ids":[],"legs":{},"count":9007199254740993,"small":3,"parent":7}}',
) as { payload: EntryPostedPayload };
deepStrictEqual(small.payload, { id: 1n, amount_minor: "2", ids: [], legs: {}, count: 9007199254740992, small: 3, parent: 7n });
deepStrictEqual(decodeLedgerEvent('{"event_type":"x","n":[9007199254740993, 1.5e300, -0]}'), JSON.parse('{"event_type":"x","n":[9007199254740993, 1.5e300, -0]}'));

// The reader is JSON: same strings, same keys (`__proto__` stays a property), same errors.
const tricky = '{"event_type":"entry_voided","payload":{"reason":"\\u00e9\\n\\"x\\" \u2028"},"__proto__":{"a":1}, "k": [true, false, null, {}, []] }';
deepStrictEqual(decodeLedgerEvent(tricky), JSON.parse(tricky));
strictEqual(Object.getPrototypeOf(decodeLedgerEvent(tricky)), Object.prototype);
for (const bad of ["", "{", "[1,]", "{\"a\" 1}", "01", "1 2", "\"\t\"", "{'a':1}", "[1] x", "nul"]) {
  throws(() => JSON.parse(bad), SyntaxError);
  throws(() => decodeLedgerEvent(bad), SyntaxError, bad);
}
console.log("ok");
"#;

#[test]
fn large_integers_round_trip_exactly_in_typescript() {
    let temp = TempDir::new("large-integers");
    let root = temp.path();
    write_file(root, "catalog.yaml", format!("{CATALOG}{DEFINITIONS}"));
    write_file(root, "events.yaml", EVENTS);
    let run = run_pipeline(root);
    write_outputs(run.files());
    let module = output(run.files(), "ts/ledger.ts");
    assert!(
        module.contains("  id: bigint;") && module.contains("  amount_minor: string;"),
        "{module}"
    );
    assert!(module.contains("  parent?: bigint | null;"), "{module}");
    write_file(root, "ts/runtime.ts", RUNTIME);
    if let Err(errors) = type_check(&root.join("ts"), true) {
        panic!("the generated TypeScript does not type-check:\n{errors}\n{module}");
    }
    let node = Command::new("node")
        .arg("dist/runtime.js")
        .current_dir(root.join("ts"))
        .output()
        .expect("run node");
    assert!(
        node.status.success(),
        "{}{}",
        String::from_utf8_lossy(&node.stdout),
        String::from_utf8_lossy(&node.stderr)
    );
}

#[test]
fn without_a_choice_an_unbounded_integer_warns_and_stays_a_number() {
    let temp = TempDir::new("large-integers-default");
    let root = temp.path();
    write_file(
        root,
        "catalog.yaml",
        format!(
            "{}{DEFINITIONS}",
            CATALOG.replace("large_integers: bigint\n", "")
        ),
    );
    write_file(root, "events.yaml", EVENTS);
    let mut sources = eventcat_codegen::source::Sources::new(root);
    let catalog = eventcat_codegen::build(&mut sources, &root.join("catalog.yaml"))
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let warned: Vec<&str> = catalog
        .warnings
        .iter()
        .map(|warning| warning.rule)
        .collect();
    // `id`, the items of `ids`, `Leg.account` and `parent`; not the ones that chose.
    assert_eq!(warned, ["unsafe-integer"; 4], "{:?}", catalog.warnings);
    let files = eventcat_codegen::generate(&catalog).unwrap();
    let module = output(&files, "ts/ledger.ts");
    assert!(module.contains("  id: number;") && module.contains("  amount_minor: string;"));
    // `amount_minor` chose `string`: the module still reads exactly.
    assert!(module.contains("const message = parseJsonExactly(text);"));
}
