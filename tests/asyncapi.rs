//! AsyncAPI both ways, end to end.
//!
//! Export: every catalog of this repository gives an AsyncAPI document
//! (3.1, and 3.0 on request) that the official parser accepts, and a JSON
//! Schema bundle that accepts every example message and refuses a wrong one.
//! Import: exporting, importing and exporting again gives the same bytes;
//! every AsyncAPI 3 example in `../shared/corpora/asyncapi/` imports into a
//! catalog that generates, whose Rust crate builds and reads every example
//! message back unchanged, and whose TypeScript type-checks.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use eventcat_codegen::import::asyncapi::{self, Imported};
use eventcat_codegen::model::{AsyncApiVersion, Catalog};
use eventcat_codegen::render;
use eventcat_codegen::source::Sources;
use serde_json::json;
use support::{TempDir, type_check, workspace_root, write_file};

/// This repository's catalogs, as its project settings list them.
fn repository_catalogs() -> Vec<Catalog> {
    let root = workspace_root();
    let mut sources = Sources::new(&root);
    let project = eventcat_codegen::project::at(&root, "cargo xtask", &mut sources)
        .unwrap_or_else(|error| panic!("{error:?}"));
    project
        .catalogs
        .iter()
        .map(|path| {
            project
                .build(&mut sources, path)
                .unwrap_or_else(|errors| panic!("{}: {errors:?}", path.display()))
        })
        .collect()
}

/// A catalog built outside any project.
fn build(root: &Path, catalog: &Path) -> Catalog {
    let mut sources = Sources::new(root);
    eventcat_codegen::build(&mut sources, catalog).unwrap_or_else(|diagnostics| {
        let report = eventcat_codegen::diagnostic::Report { diagnostics };
        panic!("{}", report.render(&sources, false))
    })
}

/// The document without its generated header, which names the catalog file.
fn body(document: &str) -> &str {
    document
        .split_once("\n\n")
        .map_or(document, |(_, body)| body)
}

#[test]
fn every_repository_catalog_exports_a_document_the_asyncapi_parser_accepts() {
    let scratch = TempDir::new("asyncapi-parser");
    let mut paths = Vec::new();
    for catalog in repository_catalogs() {
        for (version, suffix) in [
            (AsyncApiVersion::V3_1, "3.1"),
            (AsyncApiVersion::V3_0, "3.0"),
        ] {
            let document = render::asyncapi::document(&catalog, version).into_string();
            assert!(document.contains(&format!("asyncapi: \"{}\"", version.number())));
            let name = format!("{}-{}-{suffix}.asyncapi.yaml", catalog.channel, paths.len());
            write_file(scratch.path(), &name, &document);
            paths.push(scratch.path().join(name));
        }
    }
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    if let Err(report) = support::asyncapi::validate(&paths) {
        panic!("the AsyncAPI parser refuses an exported document:\n{report}");
    }
}

#[test]
fn export_import_export_gives_the_same_bytes_for_every_repository_catalog() {
    for catalog in repository_catalogs() {
        let scratch = TempDir::new("asyncapi-round-trip");
        let first = render::asyncapi::document(&catalog, AsyncApiVersion::V3_1).into_string();
        write_file(scratch.path(), "first.asyncapi.yaml", &first);
        let imported = import(&scratch.path().join("first.asyncapi.yaml"));
        assert!(
            imported.unrepresented.is_empty(),
            "{}: {:?}",
            catalog.channel,
            imported.unrepresented
        );
        let dir = scratch.path().join("imported");
        write_catalog(&dir, &imported);
        let again = build(scratch.path(), &dir.join("catalog.yaml"));
        let second = render::asyncapi::document(&again, AsyncApiVersion::V3_1).into_string();
        if body(&first) != body(&second) {
            let diff = similar_lines(body(&first), body(&second));
            panic!("{}: the second export differs:\n{diff}", catalog.channel);
        }
        same_catalog(&catalog, &again);
    }
}

/// The parts of two catalogs an AsyncAPI document carries.
fn same_catalog(original: &Catalog, imported: &Catalog) {
    let channel = &original.channel;
    assert_eq!(original.channel, imported.channel);
    let (a, b) = (&original.envelope, &imported.envelope);
    assert_eq!(a.style, b.style, "{channel}");
    assert_eq!(a.version_field, b.version_field, "{channel}");
    assert_eq!(a.type_field, b.type_field, "{channel}");
    assert_eq!(a.payload_field, b.payload_field, "{channel}");
    assert_eq!(a.omit_empty_payload, b.omit_empty_payload, "{channel}");
    assert_eq!(a.fields_schema, b.fields_schema, "{channel}");
    assert_eq!(original.protocol_version, imported.protocol_version);
    assert_eq!(original.transports, imported.transports, "{channel}");
    assert_eq!(original.address, imported.address, "{channel}");
    assert_eq!(original.definitions, imported.definitions, "{channel}");
    assert_eq!(original.grandfathered, imported.grandfathered, "{channel}");
    assert_eq!(original.events.len(), imported.events.len(), "{channel}");
    for (a, b) in original.events.iter().zip(&imported.events) {
        let at = format!("{channel}/{}", a.name);
        assert_eq!(a.name, b.name, "{at}");
        assert_eq!(a.resource, b.resource, "{at}");
        assert_eq!(a.direction, b.direction, "{at}");
        assert_eq!(a.description, b.description, "{at}");
        assert_eq!(a.schema, b.schema, "{at}");
        assert_eq!(a.examples, b.examples, "{at}");
        assert_eq!(a.since, b.since, "{at}");
        assert_eq!(a.stability, b.stability, "{at}");
        assert_eq!(a.webhook, b.webhook, "{at}");
        assert_eq!(a.deprecated, b.deprecated, "{at}");
        assert_eq!(a.grandfathered, b.grandfathered, "{at}");
        assert_eq!(a.aliases, b.aliases, "{at}");
        assert_eq!(a.attributes, b.attributes, "{at}");
        assert_eq!(a.naming_policy, b.naming_policy, "{at}");
    }
}

fn similar_lines(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .take(10)
        .map(|(line, (x, y))| format!("line {}:\n- {x}\n+ {y}", line + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

fn import(document: &Path) -> Imported {
    asyncapi::import(&asyncapi::Options {
        document: document.to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|error| panic!("{}: {error}", document.display()))
}

/// Writes the first (only) imported catalog's files under `dir`.
fn write_catalog(dir: &Path, imported: &Imported) {
    assert_eq!(imported.catalogs.len(), 1);
    for (path, text) in &imported.catalogs[0].files {
        write_file(dir, &path.to_string_lossy(), text);
    }
}

#[test]
fn the_json_schema_bundle_accepts_every_example_message_and_refuses_a_wrong_one() {
    for catalog in repository_catalogs() {
        let bundle = render::json_schema::bundle_value(&catalog);
        assert!(
            jsonschema::meta::is_valid(&bundle),
            "{}: not a JSON Schema",
            catalog.channel
        );
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&bundle)
            .unwrap_or_else(|error| panic!("{}: {error}", catalog.channel));
        let type_field = &catalog.envelope.type_field;
        for event in &catalog.events {
            for example in &event.examples {
                let message = render::message_schema::example(&catalog, event, example);
                let errors: Vec<String> = validator
                    .iter_errors(&message)
                    .map(|e| e.to_string())
                    .collect();
                assert!(errors.is_empty(), "{}: {message}: {errors:?}", event.name);
                let mut wrong = message.clone();
                wrong[type_field] = json!("no_such_event");
                assert!(
                    !validator.is_valid(&wrong),
                    "{}: accepted {wrong}",
                    event.name
                );
            }
        }
    }
}

/// Every AsyncAPI example of the corpus that describes messages.
fn corpus_documents() -> Vec<PathBuf> {
    let dir = support::corpora().join("asyncapi/examples");
    let mut documents: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
        .collect();
    for service in fs::read_dir(dir.join("social-media")).unwrap() {
        let document = service.unwrap().path().join("asyncapi.yaml");
        if document.is_file() {
            documents.push(document);
        }
    }
    documents.sort();
    documents
}

/// `social-media/backend/asyncapi.yaml` → `social_media_backend`.
fn channel_of(document: &Path) -> String {
    let name = document.file_stem().unwrap().to_string_lossy().into_owned();
    let name = if name == "asyncapi" {
        let service = document.parent().unwrap().file_name().unwrap();
        format!("social_media_{}", service.to_string_lossy())
    } else {
        name.trim_end_matches("-asyncapi").to_string()
    };
    name.replace('-', "_")
}

#[test]
fn every_corpus_document_imports_generates_builds_and_round_trips_its_examples() {
    let scratch = TempDir::new("asyncapi-corpus");
    let mut report = Vec::new();
    let mut members = Vec::new();
    let mut lines = String::new();
    let mut exports = Vec::new();
    for document in corpus_documents() {
        let channel = channel_of(&document);
        let imported = asyncapi::import(&asyncapi::Options {
            document: document.clone(),
            channel: Some(channel.clone()),
            ..Default::default()
        })
        .unwrap_or_else(|error| panic!("{}: {error}", document.display()));
        let dir = scratch.path().join(&channel);
        write_catalog(&dir, &imported);
        let catalog = build(scratch.path(), &dir.join("catalog.yaml"));
        let files = eventcat_codegen::generate(&catalog).unwrap_or_else(|errors| {
            panic!("{channel}: {errors:?}");
        });
        support::write_outputs(&files);
        // Exported again, the catalog is a document the parser accepts, and
        // its JSON Schema bundle accepts every example message.
        let export = dir.join(format!("{channel}.asyncapi.yaml"));
        assert!(export.is_file(), "{channel}: no AsyncAPI document");
        exports.push(export);
        let bundle = render::json_schema::bundle_value(&catalog);
        let validator = jsonschema::validator_for(&bundle).unwrap();
        for event in &catalog.events {
            for example in &event.examples {
                let message = render::message_schema::example(&catalog, event, example);
                assert!(validator.is_valid(&message), "{channel}: {message}");
            }
        }
        let sampled = imported.catalogs[0].sampled_examples.len();
        report.push(format!(
            "{channel}: {} messages, {} not represented{}",
            catalog.events.len(),
            imported.unrepresented.len(),
            if sampled > 0 {
                format!(", {sampled} examples made from the schema")
            } else {
                String::new()
            }
        ));
        for family in catalog.families() {
            let index = members.len();
            members.push((channel.clone(), family.envelope.clone()));
            for event in &family.members {
                for example in &event.examples {
                    let message = render::message_schema::example(&catalog, event, example);
                    lines.push_str(&format!("{index}\t{message}\n"));
                }
            }
        }
    }
    eprintln!("AsyncAPI corpus:\n{}", report.join("\n"));
    let exports: Vec<&Path> = exports.iter().map(PathBuf::as_path).collect();
    if let Err(report) = support::asyncapi::validate(&exports) {
        panic!("the parser refuses a re-exported corpus document:\n{report}");
    }
    let written = round_trip(scratch.path(), &members, &lines);
    for (sent, back) in lines.lines().zip(&written) {
        let sent = sent.split_once('\t').unwrap().1;
        assert_eq!(
            support::canonical(sent),
            support::canonical(back),
            "sent {sent}\n got {back}"
        );
    }
    assert_eq!(written.len(), lines.lines().count());
    let mut channels: Vec<&String> = members.iter().map(|(channel, _)| channel).collect();
    channels.dedup();
    for channel in channels {
        let ts = scratch.path().join(channel).join("generated/ts");
        if let Err(errors) = type_check(&ts, false) {
            panic!("tsc rejects the {channel} TypeScript:\n{errors}");
        }
    }
}

/// Builds every imported crate in one workspace with a binary that reads
/// `<crate index>\t<message>` lines and writes each message back.
fn round_trip(root: &Path, members: &[(String, String)], lines: &str) -> Vec<String> {
    let mut dependencies = String::new();
    let mut arms = String::new();
    for (index, (channel, envelope)) in members.iter().enumerate() {
        let package = format!("{}-events", channel.replace('_', "-"));
        let library = package.replace('-', "_");
        let dependency = format!("{package} = {{ path = \"../{channel}/generated/rust\" }}\n");
        if !dependencies.contains(&dependency) {
            dependencies.push_str(&dependency);
        }
        arms.push_str(&format!(
            "            \"{index}\" => {library}::{envelope}::from_json(message).map(|m| m.to_json().unwrap()).map_err(|e| e.to_string()),\n"
        ));
    }
    let mut channels: Vec<&String> = members.iter().map(|(channel, _)| channel).collect();
    channels.dedup();
    let members_list: Vec<String> = channels
        .iter()
        .map(|channel| format!("\"{channel}/generated/rust\""))
        .chain(["\"roundtrip\"".to_string()])
        .collect();
    write_file(
        root,
        "Cargo.toml",
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members_list.join(", ")
        ),
    );
    write_file(
        root,
        "roundtrip/Cargo.toml",
        format!(
            "[package]\nname = \"roundtrip\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}"
        ),
    );
    write_file(
        root,
        "roundtrip/src/main.rs",
        format!(
            "use std::io::BufRead;\n\nfn main() {{\n    for line in std::io::stdin().lock().lines() {{\n        let line = line.unwrap();\n        let (index, message) = line.split_once('\\t').unwrap();\n        let back = match index {{\n{arms}            _ => unreachable!(),\n        }};\n        match back {{\n            Ok(text) => println!(\"{{text}}\"),\n            Err(error) => println!(\"error: {{error}}\"),\n        }}\n    }}\n}}\n"
        ),
    );
    let target = support::target_dir().join("asyncapi-corpus");
    let _guard = support::cargo_lock().lock().unwrap();
    let run = |args: &[&str]| {
        let (command, rest) = args.split_first().unwrap();
        let output = std::process::Command::new(env!("CARGO"))
            .arg(command)
            .args(["--offline", "--quiet"])
            .args(rest)
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo");
        if let Err(output) = support::outcome(&output) {
            panic!("cargo {args:?} fails on the imported crates:\n{output}");
        }
    };
    run(&["build", "--bin", "roundtrip"]);
    run(&["clippy", "--workspace", "--", "-D", "warnings"]);
    support::run_with_input(&target.join("debug/roundtrip"), lines)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The WebSocket documents import whole: Gemini's one message of two
/// variants becomes its two messages on the `type` field, with their own
/// examples; Kraken's eight messages are told apart by `event`.
#[test]
fn the_websocket_documents_import_with_their_wire_format() {
    let dir = support::corpora().join("asyncapi/examples");
    let gemini = import(&dir.join("websocket-gemini-asyncapi.yml"));
    assert!(
        gemini.unrepresented.is_empty(),
        "{:?}",
        gemini.unrepresented
    );
    let catalog = &gemini.catalogs[0];
    let settings = &catalog.files[0].1;
    assert!(settings.contains("style: flat"), "{settings}");
    assert!(settings.contains("type_field: type"), "{settings}");
    assert_eq!(catalog.events, 2);
    assert!(catalog.sampled_examples.is_empty());

    let kraken = import(&dir.join("kraken-websocket-request-reply-multiple-channels-asyncapi.yml"));
    let catalog = &kraken.catalogs[0];
    assert!(catalog.files[0].1.contains("type_field: event"));
    assert_eq!(catalog.events, 8);
    let commands: Vec<&str> = catalog
        .files
        .iter()
        .filter(|(_, text)| text.contains("direction: client-to-server"))
        .map(|(path, _)| path.to_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        [
            "events/ping.commands.yaml",
            "events/subscribe.commands.yaml",
            "events/unsubscribe.commands.yaml"
        ]
    );
    // Kraken's examples break its own schema (`pair` is an array): listed, not kept.
    let refused: Vec<&str> = kraken
        .unrepresented
        .iter()
        .filter(|finding| {
            finding
                .message
                .contains("does not match its payload schema")
        })
        .map(|finding| finding.at.as_str())
        .collect();
    assert_eq!(refused.len(), 2, "{:?}", kraken.unrepresented);
    assert!(
        kraken
            .unrepresented
            .iter()
            .any(|f| f.message.contains("one of 2 objects"))
    );
}

/// `--per-channel`: Kraken's seven channels become seven catalogs named
/// after them, each of which generates.
#[test]
fn each_channel_may_become_a_catalog_of_its_own() {
    let dir = support::corpora().join("asyncapi/examples");
    let imported = asyncapi::import(&asyncapi::Options {
        document: dir.join("kraken-websocket-request-reply-multiple-channels-asyncapi.yml"),
        per_channel: true,
        ..Default::default()
    })
    .unwrap();
    let channels: Vec<&str> = imported
        .catalogs
        .iter()
        .map(|c| c.channel.as_str())
        .collect();
    assert_eq!(
        channels,
        [
            "ping",
            "pong",
            "heartbeat",
            "system_status",
            "currency_info",
            "subscribe",
            "unsubscribe"
        ]
    );
    let scratch = TempDir::new("asyncapi-per-channel");
    for catalog in &imported.catalogs {
        let dir = scratch.path().join(&catalog.channel);
        for (path, text) in &catalog.files {
            write_file(&dir, &path.to_string_lossy(), text);
        }
        let built = build(scratch.path(), &dir.join("catalog.yaml"));
        eventcat_codegen::generate(&built).unwrap_or_else(|errors| panic!("{errors:?}"));
    }
}

/// AsyncAPI 2.6: `subscribe` is what the application sends, `publish` what
/// it receives; the import says so.
#[test]
fn an_asyncapi_2_document_imports_with_a_note_on_its_operations() {
    let scratch = TempDir::new("asyncapi-v2");
    let document = "asyncapi: 2.6.0\ninfo: {title: Chat, version: 1.0.0}\nchannels:\n  chat:\n    subscribe:\n      message:\n        name: message_posted\n        payload:\n          type: object\n          required: [kind, text]\n          properties:\n            kind: {type: string, const: message_posted}\n            text: {type: string}\n        examples:\n          - payload: {kind: message_posted, text: hi}\n    publish:\n      message:\n        name: message_sent\n        payload:\n          type: object\n          required: [kind]\n          properties:\n            kind: {type: string, const: message_sent}\n            text: {type: string}\n";
    write_file(scratch.path(), "chat.yaml", document);
    let imported = import(&scratch.path().join("chat.yaml"));
    assert!(imported.unrepresented[0].message.contains("AsyncAPI 2.6.0"));
    let catalog = &imported.catalogs[0];
    assert_eq!(catalog.channel, "chat");
    let files: Vec<&str> = catalog
        .files
        .iter()
        .map(|(p, _)| p.to_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "catalog.yaml",
            "events/message.yaml",
            "events/message.commands.yaml"
        ]
    );
    let dir = scratch.path().join("chat");
    write_catalog(&dir, &imported);
    let built = build(scratch.path(), &dir.join("catalog.yaml"));
    assert_eq!(built.envelope.type_field, "kind");
    assert_eq!(built.events[0].examples, [json!({"text": "hi"})]);
}
