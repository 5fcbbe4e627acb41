//! `eventcat verify` on real traffic: the wire text of one simulation round
//! (every catalog event, as the hub sends it) keeps the contract, in JSON
//! Lines and as an SSE stream; mutated copies of the recording fail with
//! the rule, the line and the JSON Pointer.

use std::path::{Path, PathBuf};
use std::time::Duration;

use board_server::broadcast::Received;
use board_server::{Board, Hub, simulation};
use eventcat_codegen::diagnostic::Diagnostic;
use eventcat_codegen::model::{Catalog, Direction};
use eventcat_codegen::source::Sources;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The wire text of one simulation round.
fn recorded_round() -> Vec<String> {
    let hub = Hub::default();
    let mut subscription = hub.subscribe();
    let board = Board::new(hub, 7, &[37, 38, 39]);
    let _client = board.hub().track_client();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(simulation::run(&board, Some(1), Duration::ZERO))
        .unwrap();
    let mut texts = Vec::new();
    while let Some(Received::Event(text)) = subscription.try_recv() {
        texts.push(text.to_string());
    }
    texts
}

fn catalog(sources: &mut Sources) -> Catalog {
    eventcat_codegen::build(sources, &repository().join("schema/catalog.yaml")).unwrap()
}

/// Verifies `contents` as a recording; the findings as `rule line: message`.
fn verify(name: &str, contents: &str, sender: Direction) -> Vec<String> {
    let path = std::env::temp_dir().join(format!("eventcat-verify-{name}-{}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    let mut sources = Sources::new(&repository());
    let catalog = catalog(&mut sources);
    let (diagnostics, tally) =
        eventcat_codegen::verify::verify(&mut sources, &catalog, &path, sender);
    std::fs::remove_file(&path).unwrap();
    assert!(tally.messages > 0);
    diagnostics.iter().map(|d| summary(&sources, d)).collect()
}

fn summary(sources: &Sources, diagnostic: &Diagnostic) -> String {
    let line = diagnostic
        .location
        .as_ref()
        .map_or(0, |location| location.span.line);
    let file = diagnostic
        .location
        .as_ref()
        .map(|location| sources.get(location.file).display_path.clone())
        .unwrap_or_default();
    let in_recording = if file.contains("eventcat-verify") {
        line.to_string()
    } else {
        "catalog".to_string()
    };
    format!("{} {in_recording}: {}", diagnostic.rule, diagnostic.message)
}

#[test]
fn a_simulation_round_keeps_the_contract_as_json_lines_and_as_sse() {
    let round = recorded_round();
    assert!(verify("round", &round.join("\n"), Direction::ServerToClient).is_empty());
    let sse: String = round
        .iter()
        .map(|text| {
            let name = serde_json::from_str::<serde_json::Value>(text).unwrap()["event_type"]
                .as_str()
                .unwrap()
                .to_string();
            format!("event: {name}\ndata: {text}\n\n")
        })
        .collect();
    assert!(verify("sse", &sse, Direction::ServerToClient).is_empty());
}

#[test]
fn mutated_recordings_fail_with_the_rule_the_line_and_the_pointer() {
    let round = recorded_round();
    let position = |event: &str| {
        round
            .iter()
            .position(|text| text.contains(&format!("\"event_type\":\"{event}\"")))
            .unwrap()
    };
    let created = position("task_created");
    let last = round.len() - 1;
    assert_ne!(created, last);
    let mut mutated = round.clone();
    mutated[created] = mutated[created].replacen("\"task_id\":", "\"task_id\":0,\"was\":", 1);
    mutated[last] = mutated[last].replacen("\"event_type\":\"", "\"event_type\":\"x_", 1);
    mutated.insert(1, "{not json".to_string());
    // Recording lines: the inserted line is the second.
    let line = |index: usize| if index < 1 { index + 1 } else { index + 2 };
    let findings = verify("mutated", &mutated.join("\n"), Direction::ServerToClient);
    let expect = |prefix: String| {
        assert!(
            findings.iter().any(|f| f.starts_with(&prefix)),
            "{prefix} in {findings:#?}"
        );
    };
    expect("malformed-message 2:".to_string());
    expect(format!(
        "invalid-message {}: `/payload/task_id` fails `minimum`",
        line(created)
    ));
    expect(format!("unknown-message-type {}: `x_", line(last)));
    // The renamed message was the round's only one of its type: it never appears.
    let renamed = round[last]
        .split("\"event_type\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    if round
        .iter()
        .filter(|text| text.contains(&format!("\"event_type\":\"{renamed}\"")))
        .count()
        == 1
    {
        expect(format!("unseen-message catalog: `{renamed}`"));
    }
    assert_eq!(
        findings.len(),
        3 + usize::from(findings.iter().any(|f| f.starts_with("unseen"))),
        "{findings:#?}"
    );
}

#[test]
fn events_recorded_from_a_client_are_in_the_wrong_direction() {
    let round = recorded_round();
    let findings = verify("direction", &round.join("\n"), Direction::ClientToServer);
    assert_eq!(findings.len(), round.len(), "{findings:#?}");
    assert!(
        findings.iter().all(|f| f.starts_with("wrong-direction ")),
        "{findings:#?}"
    );
}
