//! Injection: descriptions, names and values that try to break out of the
//! comments, strings, tables and identifiers they land in. A catalog full of
//! them must generate Rust that compiles, TypeScript that type-checks under
//! the harness's strict flags, a docs page that shows the text literally, and
//! both languages must keep the exact wire names on a JSON round trip.
//!
//! The generated crate is built with `cargo build --offline` in a scratch
//! directory (dependencies come from the local registry cache, artifacts go
//! to `target/injection-crate`); the TypeScript is compiled by the harness's
//! `tsc` (`npm ci` in tests/ts runs first if needed) and run with `node`.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use support::{Run, TempDir, output, run_pipeline, type_check, write_file, write_outputs};

/// One line of everything that closes or opens something.
const WEIRD: &str = "ends */ opens /* `tick` ``two`` ${template} </script><script>alert(1)</script> a | pipe \"# raw \\ back U+2028[\u{2028}] U+2029[\u{2029}] <!-- c --> & [link](javascript:x) {{ tera }} {% raw %}";

/// Several lines: Markdown blocks, headings, fences, rustdoc code blocks.
const WEIRD_LINES: &str = "First line with a trailing */\n# Not a heading\n## Nor this\n```\nfn main() { compile_error!(\"fenced code ran\") }\n```\n~~~\ntilde fence\n~~~\n    indented code block\n---\n| a | b |\n|---|---|\n> quote\n- item\n</script>\ncarriage\rreturn\nlast line \"#";

/// Enum values that are keywords, prototype keys or markup.
const ENUM_VALUES: &[&str] = &[
    "*/ close",
    "/* open",
    "</script>",
    "${x}",
    "a|b",
    "type",
    "self",
    "Self_value",
    "__proto__",
    "constructor",
    "with \"quote\"",
    "line\u{2028}sep",
    "back`tick",
    "",
];

/// Property names that are keywords in Rust or TypeScript, or prototype keys.
const KEYWORD_FIELDS: &[&str] = &[
    "type",
    "match",
    "self",
    "default",
    "enum",
    "async",
    "fn",
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "we\"#ird */ name",
    "a|b",
    "x`y",
    "${z}",
    "</script>",
];

fn catalog_yaml() -> String {
    format!(
        "channel: inject\ndescription: {}\nprotocol_version: 1\nenvelope: {{style: adjacent, version_field: \"v\", type_field: \"event-type\", payload_field: \"data\"}}\ndefinitions:\n  Weird: {}\nevents: [events]\noutputs:\n  rust: {{dir: out/rust, package: inject-events}}\n  typescript: out/ts/inject.ts\n  docs: out/docs/inject.md\n  editor_schemas: out/schemas\n",
        json!(WEIRD_LINES),
        json!({"type": "string", "enum": ENUM_VALUES, "description": WEIRD}),
    )
}

fn thing_created() -> Value {
    let mut properties = serde_json::Map::new();
    let mut example = serde_json::Map::new();
    for (index, name) in KEYWORD_FIELDS.iter().enumerate() {
        properties.insert(
            name.to_string(),
            json!({"type": "string", "description": format!("{WEIRD}\n{index}")}),
        );
        example.insert(name.to_string(), json!(format!("{name}={WEIRD}")));
    }
    properties.insert(
        "weird".into(),
        json!({"$ref": "#/$defs/Weird", "description": WEIRD_LINES}),
    );
    example.insert("weird".into(), json!("</script>"));
    properties.insert(
        "weirds".into(),
        json!({"type": "array", "items": {"$ref": "#/$defs/Weird"}}),
    );
    example.insert("weirds".into(), json!(ENUM_VALUES));
    properties.insert(
        "map".into(),
        json!({"type": "object", "additionalProperties": {"type": ["string", "null"]}}),
    );
    example.insert(
        "map".into(),
        json!({"__proto__": "p", "constructor": null, "</script>": "s", "": "empty"}),
    );
    properties.insert(
        "outcome".into(),
        json!({"description": WEIRD, "oneOf": [
            {"type": "object", "required": ["type"], "properties": {"type": {"const": "*/"}, "self": {"type": "string"}}},
            {"type": "object", "required": ["type"], "properties": {"type": {"const": "self"}}},
            {"type": "object", "required": ["type"], "properties": {"type": {"const": "__proto__"}}},
            {"type": "object", "required": ["type"], "properties": {"type": {"const": "</script>|`"}}},
        ]}),
    );
    example.insert("outcome".into(), json!({"type": "*/", "self": WEIRD}));
    let required: Vec<&str> = KEYWORD_FIELDS.to_vec();
    let second = json!({"type": "x", "match": "y", "self": "z", "default": "d", "enum": "e", "async": "a", "fn": "f",
        "__proto__": "{\"nested\": true}", "constructor": "c", "prototype": "p", "toString": "t", "hasOwnProperty": "h",
        "we\"#ird */ name": "w", "a|b": "|", "x`y": "`", "${z}": "${z}", "</script>": "</script>",
        "outcome": {"type": "__proto__"}, "map": {}});
    json!({
        "name": "thing_created",
        "description": WEIRD_LINES,
        "since": "0.1",
        "stability": "frozen",
        "deprecated": WEIRD,
        "payload": {
            "type": "object",
            "additionalProperties": false,
            "description": WEIRD,
            "required": required,
            "properties": properties,
        },
        "examples": [example, second],
    })
}

fn event_file() -> Value {
    json!({
        "resource": "thing",
        "description": WEIRD_LINES,
        "events": [
            thing_created(),
            {
                "name": "constructor",
                "description": WEIRD,
                "since": "0.2",
                "stability": "experimental",
                "payload": {"type": "object", "required": ["__proto__"], "properties": {
                    "__proto__": {"type": ["string", "null"]},
                    "self": {"type": ["string", "null"], "description": "optional and nullable"},
                    "toString": {"type": "array", "items": {"type": "string"}},
                    "valueOf": {"type": "integer", "minimum": 0, "maximum": 9},
                }},
                "examples": [{"__proto__": null}, {"__proto__": "x", "self": null}, {"__proto__": "y", "self": "s", "toString": ["t"], "valueOf": 1}],
            },
            {
                "name": "self",
                "description": "An event whose Rust variant would be `Self`.",
                "since": "0.2",
                "stability": "experimental",
                "webhook": "ws-only",
                "payload": {"type": "object", "properties": {"type": {"$ref": "#/$defs/Weird"}}},
                "examples": [{"type": "self"}, {}],
            },
        ],
    })
}

/// Writes the catalog into `root` and runs the pipeline.
fn generate(root: &Path) -> Run {
    write_file(root, "catalog.yaml", catalog_yaml());
    write_file(
        root,
        "events/thing.json",
        serde_json::to_string_pretty(&event_file()).unwrap(),
    );
    let run = run_pipeline(root);
    assert!(run.result.is_ok(), "{}", run.rendered());
    run
}

/// Every (event name, example) pair of the catalog, in order.
fn examples() -> Vec<(String, Value)> {
    let file = event_file();
    let mut out = Vec::new();
    for event in file["events"].as_array().unwrap() {
        for example in event["examples"].as_array().unwrap() {
            out.push((event["name"].as_str().unwrap().to_string(), example.clone()));
        }
    }
    out
}

fn envelope(name: &str, payload: &Value) -> Value {
    json!({"v": 1, "event-type": name, "data": payload})
}

#[test]
fn generated_rust_compiles_and_round_trips_the_exact_wire_names() {
    let scratch = TempDir::new("injection-rust");
    let run = generate(scratch.path());
    let files = run.files();
    write_outputs(files);
    let crate_dir = scratch.path().join("out/rust");
    write_file(
        &crate_dir,
        "src/bin/roundtrip.rs",
        r#"use std::io::BufRead;

fn main() {
    // First line: what the metadata says about every event.
    let metadata: Vec<serde_json::Value> = inject_events::InjectEventType::ALL
        .iter()
        .map(|kind| {
            let m = kind.metadata();
            serde_json::json!([m.name, m.description, m.deprecated, kind.webhook_name()])
        })
        .collect();
    println!("{}", serde_json::Value::Array(metadata));
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        match inject_events::InjectEnvelope::from_json(&line) {
            Ok(envelope) => println!("{}", envelope.to_json().unwrap()),
            Err(error) => println!("{}", serde_json::json!({ "error": error.to_string() })),
        }
    }
}
"#,
    );
    let target = support::target_dir().join("injection-crate");
    let _guard = support::cargo_lock().lock().unwrap();
    if let Err(report) = support::cargo_in(&crate_dir, &target, &["build", "--bin", "roundtrip"]) {
        panic!(
            "the generated crate does not build:\n{report}\n{}",
            output(files, "src/inject.rs")
        );
    }

    // Catalog text must not turn into doctests that `cargo test` would run.
    let doctests = support::cargo_in(&crate_dir, &target, &["test", "--doc"]);
    assert!(
        doctests
            .as_ref()
            .is_ok_and(|report| report.contains("running 0 tests")),
        "the generated docs hold doctests:\n{doctests:?}"
    );

    let examples = examples();
    let mut input = String::new();
    for (name, example) in &examples {
        input.push_str(&envelope(name, example).to_string());
        input.push('\n');
    }
    // Unknown and prototype-key event types are reported, never dispatched.
    for name in ["__proto__", "toString", "Constructor"] {
        input.push_str(&envelope(name, &json!({})).to_string());
        input.push('\n');
    }
    let stdout = support::run_with_input(&target.join("debug/roundtrip"), &input);
    let mut lines = stdout.lines();
    let metadata: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(
        metadata,
        json!([
            ["thing_created", WEIRD_LINES, WEIRD, "thing.created"],
            ["constructor", WEIRD, null, "constructor"],
            [
                "self",
                "An event whose Rust variant would be `Self`.",
                null,
                null
            ],
        ]),
        "metadata strings changed on the way through Rust literals"
    );
    for (name, example) in &examples {
        let line = lines.next().expect("one line per envelope");
        let written: Value = serde_json::from_str(line).unwrap();
        assert_eq!(written, envelope(name, example), "{name} changed");
    }
    for name in ["__proto__", "toString", "Constructor"] {
        let line: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(
            line["error"],
            json!(format!("unknown event type `{name}` on channel `inject`"))
        );
    }
}

#[test]
fn generated_typescript_type_checks_and_keeps_wire_names_at_runtime() {
    let scratch = TempDir::new("injection-ts");
    let run = generate(scratch.path());
    write_outputs(run.files());
    let dir = scratch.path().join("out/ts");
    let examples = examples();
    let names: BTreeSet<&str> = examples.iter().map(|(name, _)| name.as_str()).collect();
    let handlers: Vec<String> = names
        .iter()
        .map(|name| format!("  {}: (payload, envelope) => {{ seen.push({{ name: envelope[\"event-type\"], payload }}); }},", json!(name)))
        .collect();
    write_file(
        &dir,
        "runtime.ts",
        format!(
            r#"import {{ INJECT_EXAMPLES }} from "./inject.examples.js";
import {{ INJECT_EVENT_TYPES, defineInjectHandlers, dispatchInjectEvent, isInjectEventType }} from "./inject.js";

const seen: {{ name: string; payload: unknown }}[] = [];
const handlers = defineInjectHandlers({{
{}
}});
const lines: string[] = [];
for (const name of INJECT_EVENT_TYPES) {{
  for (const example of INJECT_EXAMPLES[name]) {{
    // What the examples module holds, as the wire sees it.
    lines.push(JSON.stringify({{ example: [name, example] }}));
    const wire = JSON.stringify({{ v: 1, "event-type": name, data: example }});
    if (!dispatchInjectEvent(handlers, JSON.parse(wire))) {{
      throw new Error(`not dispatched: ${{name}}`);
    }}
  }}
}}
for (const entry of seen) {{
  lines.push(JSON.stringify({{ dispatched: [entry.name, entry.payload] }}));
}}
for (const name of ["__proto__", "toString", "hasOwnProperty", "valueOf"]) {{
  const message = JSON.parse(JSON.stringify({{ v: 1, "event-type": name, data: {{}} }}));
  lines.push(JSON.stringify({{ foreign: [name, dispatchInjectEvent(handlers, message), isInjectEventType(name)] }}));
}}
console.log(lines.join("\n"));
"#,
            handlers.join("\n")
        ),
    );
    if let Err(errors) = type_check(&dir, true) {
        panic!(
            "the generated TypeScript does not type-check:\n{errors}\n{}",
            output(run.files(), "ts/inject.ts")
        );
    }
    let node = Command::new("node")
        .arg("dist/runtime.js")
        .current_dir(&dir)
        .output()
        .expect("run node");
    assert!(
        node.status.success(),
        "{}",
        String::from_utf8_lossy(&node.stderr)
    );
    let stdout = String::from_utf8(node.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let from_module: Vec<&Value> = lines.iter().filter_map(|l| l.get("example")).collect();
    let dispatched: Vec<&Value> = lines.iter().filter_map(|l| l.get("dispatched")).collect();
    let expected: Vec<Value> = examples
        .iter()
        .map(|(name, example)| json!([name, example]))
        .collect();
    assert_eq!(
        from_module,
        expected.iter().collect::<Vec<_>>(),
        "the examples module changed an example"
    );
    assert_eq!(
        dispatched,
        expected.iter().collect::<Vec<_>>(),
        "dispatch changed a payload"
    );
    let foreign: Vec<&Value> = lines.iter().filter_map(|l| l.get("foreign")).collect();
    assert_eq!(
        foreign,
        [
            &json!(["__proto__", false, false]),
            &json!(["toString", false, false]),
            &json!(["hasOwnProperty", false, false]),
            &json!(["valueOf", false, false]),
        ]
    );
}

/// Markdown text outside fenced blocks, with code spans removed.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut in_code = false;
        let mut ticks = 0;
        let chars: Vec<char> = line.chars().collect();
        let mut index = 0;
        while index < chars.len() {
            if chars[index] == '`' {
                let run = chars[index..].iter().take_while(|c| **c == '`').count();
                if !in_code {
                    in_code = true;
                    ticks = run;
                } else if run == ticks {
                    in_code = false;
                }
                index += run;
                continue;
            }
            if !in_code {
                out.push(chars[index]);
            }
            index += 1;
        }
        out.push('\n');
    }
    out
}

/// The number of cells of a table row: unescaped `|` outside code spans, minus one.
fn cells(row: &str) -> usize {
    let chars: Vec<char> = row.chars().collect();
    let mut count: usize = 0;
    let mut in_code = false;
    let mut ticks = 0;
    let mut index = 0;
    while index < chars.len() {
        match chars[index] {
            '\\' => index += 1,
            '`' => {
                let run = chars[index..].iter().take_while(|c| **c == '`').count();
                if !in_code {
                    in_code = true;
                    ticks = run;
                } else if run == ticks {
                    in_code = false;
                }
                index += run;
                continue;
            }
            // GFM splits cells on `|` even inside code spans unless escaped.
            '|' => count += 1,
            _ => {}
        }
        index += 1;
    }
    count.saturating_sub(1)
}

#[test]
fn docs_show_the_text_literally() {
    let scratch = TempDir::new("injection-docs");
    let run = generate(scratch.path());
    let docs = output(run.files(), "docs/inject.md");

    // Tables: every row has as many cells as its header.
    let mut header_cells: Option<usize> = None;
    let mut rows = 0;
    for line in docs.lines() {
        if line.starts_with('|') {
            let count = cells(line);
            match header_cells {
                None => header_cells = Some(count),
                Some(expected) => {
                    assert_eq!(
                        count, expected,
                        "a table row lost or gained a cell:\n{line}"
                    );
                    rows += 1;
                }
            }
        } else {
            header_cells = None;
        }
    }
    assert!(rows > KEYWORD_FIELDS.len(), "the field table is missing");

    // Headings: only the template's own.
    let headings: Vec<&str> = docs.lines().filter(|line| line.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# `inject` events",
            "## Envelope",
            "## Naming rule",
            "## Events",
            "## Resource `thing`",
            "### thing_created",
            "### constructor",
            "### self",
            "## Types",
            "### Weird",
            "### ThingCreatedPayloadOutcome",
        ],
        "a description became a heading"
    );

    // No raw HTML outside code: every `<` is escaped.
    let text = prose(&docs);
    let after_header = text.split("-->").nth(1).unwrap_or_default();
    for needle in ["<script", "</script", "<!--"] {
        assert!(
            !after_header.contains(needle),
            "raw `{needle}` in the docs:\n{docs}"
        );
    }
    // The text is all there, escaped but literal.
    assert!(docs.contains("&lt;/script>&lt;script>alert(1)&lt;/script>"));
    assert!(docs.contains("a \\| pipe"));
    assert!(docs.contains("\\# Not a heading"));
    assert!(docs.contains("U+2028[\u{2028}]"));
    for name in KEYWORD_FIELDS {
        let cell = name.replace('|', "\\|");
        assert!(docs.contains(&cell), "field `{name}` is not in the docs");
    }
}

/// The code of a TypeScript module with comments and string literals removed
/// (the generator writes no template literals or regular expressions).
fn typescript_code(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut code = String::new();
    let mut index = 0;
    while index < chars.len() {
        let rest = &chars[index..];
        if rest.starts_with(&['/', '*']) {
            let end = (index + 2..chars.len().saturating_sub(1))
                .find(|&at| chars[at] == '*' && chars[at + 1] == '/')
                .expect("an unclosed block comment");
            index = end + 2;
            code.push(' ');
        } else if rest.starts_with(&['/', '/']) {
            while index < chars.len() && chars[index] != '\n' {
                index += 1;
            }
        } else if chars[index] == '"' {
            index += 1;
            while chars[index] != '"' {
                assert_ne!(chars[index], '\n', "a string literal spans lines");
                index += if chars[index] == '\\' { 2 } else { 1 };
            }
            index += 1;
            code.push_str("\"\"");
        } else {
            code.push(chars[index]);
            index += 1;
        }
    }
    code
}

/// Whether `word` stands in `code` as a word of its own (`tera`, not `literal`).
fn contains_word(code: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[test]
fn comments_and_strings_in_the_generated_code_cannot_be_closed_early() {
    let scratch = TempDir::new("injection-comments");
    let run = generate(scratch.path());
    // No text of the catalog escapes a TypeScript comment or string into code.
    for module in ["ts/inject.ts", "ts/inject.examples.ts"] {
        let code = typescript_code(&output(run.files(), module));
        for marker in [
            "alert",
            "template",
            "tera",
            "javascript",
            "close",
            "nested",
            "quote",
        ] {
            assert!(
                !contains_word(&code, marker),
                "`{marker}` escaped into the code of {module}:\n{code}"
            );
        }
    }
    let ts = output(run.files(), "ts/inject.ts");
    assert!(ts.contains("ends *\\/ opens /* `tick`"), "{ts}");
    // The Rust parses, and its docs keep the text (line breaks aside).
    let rust = output(run.files(), "src/inject.rs");
    let file = syn::parse_file(&rust).expect("the generated Rust parses");
    let mut docs = String::new();
    for item in &file.items {
        if let syn::Item::Struct(item) = item {
            collect_docs(&item.attrs, &mut docs);
            for field in &item.fields {
                collect_docs(&field.attrs, &mut docs);
            }
        }
    }
    let squash = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squash(&docs).contains(&squash(WEIRD)),
        "a description lost characters in the Rust docs:\n{docs}"
    );
    // rustdoc runs fenced and indented code blocks as doctests: none may come
    // from catalog text (the Rust build test also runs `cargo test --doc`).
    let crate_docs = output(run.files(), "src/lib.rs");
    for line in rust.lines().chain(crate_docs.lines()) {
        let Some(doc) = line
            .trim_start()
            .strip_prefix("///")
            .or_else(|| line.strip_prefix("//!"))
        else {
            continue;
        };
        let body = doc.trim_start();
        assert!(
            !body.starts_with("```") && !body.starts_with("~~~") && doc.len() - body.len() <= 4,
            "a code block in the Rust docs: {line}"
        );
    }
}

fn collect_docs(attrs: &[syn::Attribute], out: &mut String) {
    for attr in attrs {
        if attr.path().is_ident("doc")
            && let syn::Meta::NameValue(meta) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &meta.value
        {
            out.push_str(&text.value());
            out.push('\n');
        }
    }
}
