//! The catalogs of seeds 001-004 (`examples/seed-00N/`) against the messages
//! their systems put on the wire (`examples/seed-00N/messages/<channel>/*.json`,
//! printed in the seed or derived from its description): every message parses
//! with the generated Rust envelope of its channel and writes back the same
//! JSON, type-checks as the generated TypeScript envelope, and bad input gives
//! the typed errors.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::Value;

/// One message file.
struct Message {
    path: PathBuf,
    text: String,
    value: Value,
    /// The `type` field.
    name: String,
}

/// Every `*.json` file under `examples/<seed>/messages/<channel>/`, sorted.
fn messages(seed: &str, channel: &str) -> Vec<Message> {
    let dir = support::workspace_root()
        .join("examples")
        .join(seed)
        .join("messages")
        .join(channel);
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no messages in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            let value: Value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let name = value["type"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no string `type`", path.display()))
                .to_string();
            Message {
                path,
                text,
                value,
                name,
            }
        })
        .collect()
}

/// Parses `text` and writes it back, as JSON values.
fn round_trip<T, E: std::fmt::Display>(
    message: &Message,
    parse: impl Fn(&str) -> Result<T, E>,
    write: impl Fn(&T) -> Result<String, serde_json::Error>,
) {
    let parsed =
        parse(&message.text).unwrap_or_else(|error| panic!("{}: {error}", message.path.display()));
    let written = write(&parsed).unwrap();
    let again: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        again,
        message.value,
        "{} changed on the round trip",
        message.path.display()
    );
}

/// Asserts that every name in `all` has at least one message.
fn covers(messages: &[Message], all: impl IntoIterator<Item = &'static str>, what: &str) {
    for name in all {
        assert!(
            messages.iter().any(|message| message.name == name),
            "no message file for {what} `{name}`"
        );
    }
}

/// Checks the envelope's parser on bad input: `unknown` names no message type
/// of the channel; each of `malformed` is not a valid envelope.
macro_rules! bad_input {
    ($krate:ident :: $envelope:ident, unknown: $unknown:expr, malformed: $malformed:expr) => {{
        use $krate::EnvelopeError;
        match $krate::$envelope::from_json($unknown) {
            Err(EnvelopeError::UnknownEventType(error)) => {
                assert_eq!(error.0, "no_such_message", "{}", stringify!($krate));
            }
            other => panic!(
                "{}: expected UnknownEventType, got {other:?}",
                stringify!($krate)
            ),
        }
        for text in $malformed {
            match $krate::$envelope::from_json(text) {
                Err(EnvelopeError::Json(_)) => {}
                other => panic!(
                    "{}: expected EnvelopeError::Json for {text}, got {other:?}",
                    stringify!($krate)
                ),
            }
        }
    }};
}

/// Malformed input every envelope must refuse with `EnvelopeError::Json`.
const NOT_JSON: [&str; 6] = ["", "{", "[]", "null", "\"hello\"", "{\"type\":7}"];

#[test]
fn seed_000_replay_envelope_fields_round_trip() {
    use seed000_replay_board_events::{
        BoardEnvelope, BoardEnvelopeFields, BoardEnvelopeFieldsType, BoardEventType, EnvelopeError,
        TaskCreatedPayload,
    };
    let messages = messages("seed-000-replay", "board");
    for message in &messages {
        round_trip(message, BoardEnvelope::from_json, |m| m.to_json());
        // `seq` is null exactly for events the replay log does not keep.
        let envelope = BoardEnvelope::from_json(&message.text).unwrap();
        if envelope.fields.seq == Some(None) {
            assert!(
                !envelope.event.event_type().persisted(),
                "{}",
                message.path.display()
            );
        }
    }
    assert_eq!(messages.len(), 4);
    let not_persisted: Vec<&str> = BoardEventType::ALL
        .iter()
        .filter(|kind| !kind.persisted())
        .map(|kind| kind.as_str())
        .collect();
    assert_eq!(not_persisted, ["presence_changed", "task_run_progress"]);

    // The constant `type` is written by default and required on read.
    let built = BoardEnvelope::new(TaskCreatedPayload { task_id: 3 });
    assert_eq!(
        built.to_json().unwrap(),
        r#"{"protocol_version":1,"event_type":"task_created","type":"board.event","payload":{"task_id":3}}"#
    );
    let replayed = BoardEnvelope::with_fields(
        TaskCreatedPayload { task_id: 3 },
        BoardEnvelopeFields {
            r#type: BoardEnvelopeFieldsType::BoardEvent,
            seq: Some(Some(17)),
            replayed: Some(true),
        },
    );
    let text = replayed.to_json().unwrap();
    assert!(text.contains(r#""seq":17,"replayed":true"#), "{text}");
    for bad in [
        r#"{"type":"other","protocol_version":1,"event_type":"task_created","payload":{"task_id":1}}"#,
        r#"{"protocol_version":1,"event_type":"task_created","payload":{"task_id":1}}"#,
        r#"{"type":"board.event","protocol_version":1,"event_type":"task_created","payload":{"task_id":1},"seq":"x"}"#,
    ] {
        assert!(
            matches!(BoardEnvelope::from_json(bad), Err(EnvelopeError::Json(_))),
            "{bad}"
        );
    }
}

#[test]
fn seed_001_board_messages_round_trip() {
    use seed001_board_events::{
        BoardCommandEnvelope, BoardCommandType, BoardEnvelope, BoardEventType,
    };
    let messages = messages("seed-001", "board");
    let (mut events, mut commands) = (0, 0);
    for message in &messages {
        if BoardCommandType::from_str(&message.name).is_ok() {
            round_trip(message, BoardCommandEnvelope::from_json, |m| m.to_json());
            commands += 1;
        } else {
            round_trip(message, BoardEnvelope::from_json, |m| m.to_json());
            events += 1;
        }
    }
    covers(&messages, BoardEventType::ALL.map(|t| t.as_str()), "event");
    covers(
        &messages,
        BoardCommandType::ALL.map(|t| t.as_str()),
        "command",
    );
    assert_eq!((events, commands), (14, 8));
}

#[test]
fn seed_001_maps_keep_their_key_order() {
    use seed001_board_events::BoardEnvelope;
    // The real state message with its columns out of alphabetical order: a
    // map keeps the order it came in, so the text comes back byte for byte.
    let text = r#"{"type":"state","payload":{"columns":{"col-done":{"id":"col-done","key":"done","title":"Done","cardIds":[]},"col-backlog":{"id":"col-backlog","key":"backlog","title":"Backlog","cardIds":["card-2"]}},"columnOrder":["col-backlog","col-done"],"cards":{}}}"#;
    let envelope = BoardEnvelope::from_json(text).unwrap();
    assert_eq!(envelope.to_json().unwrap(), text);
}

#[test]
fn seed_001_commands_and_events_are_separate() {
    use seed001_board_events::{BoardCommandEnvelope, BoardEnvelope, EnvelopeError};
    // A command is not an event, and an event is not a command.
    let command = r#"{"type":"delete_card","payload":{"cardId":"card-2"}}"#;
    assert!(matches!(
        BoardEnvelope::from_json(command),
        Err(EnvelopeError::UnknownEventType(_))
    ));
    let event = r#"{"type":"hello","payload":{"serverTime":"2025-11-08T14:30:45.123Z"}}"#;
    assert!(matches!(
        BoardCommandEnvelope::from_json(event),
        Err(EnvelopeError::UnknownEventType(_))
    ));
}

#[test]
fn seed_001_leaves_out_empty_payloads_and_only_those() {
    use seed001_board_events::{
        BoardCommand, BoardCommandEnvelope, EnvelopeError, GetStatePayload, PingPayload,
    };
    // Written without the payload, byte for byte as upstream sends it.
    let get_state = BoardCommandEnvelope::new(GetStatePayload {});
    assert_eq!(get_state.to_json().unwrap(), r#"{"type":"get_state"}"#);
    let ping = BoardCommandEnvelope::new(PingPayload { ts: None });
    assert_eq!(ping.to_json().unwrap(), r#"{"type":"ping"}"#);
    // Read back, and `"payload": {}` reads the same.
    for text in [
        r#"{"type":"get_state"}"#,
        r#"{"type":"get_state","payload":{}}"#,
    ] {
        let read = BoardCommandEnvelope::from_json(text).unwrap();
        assert!(matches!(read.command, BoardCommand::GetState(_)), "{text}");
    }
    // A payload with required fields is still required.
    assert!(matches!(
        BoardCommandEnvelope::from_json(r#"{"type":"move_card"}"#),
        Err(EnvelopeError::Json(error)) if error.to_string().contains("missing field `payload`")
    ));
}

#[test]
fn seed_001_dashboard_messages_round_trip() {
    use seed001_dashboard_events::{DashboardEnvelope, DashboardEventType};
    let messages = messages("seed-001", "dashboard");
    for message in &messages {
        round_trip(message, DashboardEnvelope::from_json, |m| m.to_json());
    }
    covers(
        &messages,
        DashboardEventType::ALL.map(|t| t.as_str()),
        "event",
    );
}

#[test]
fn seed_002_dashboard_messages_round_trip() {
    use seed002_dashboard_events::{DashboardEnvelope, DashboardEventType};
    let messages = messages("seed-002", "dashboard");
    for message in &messages {
        round_trip(message, DashboardEnvelope::from_json, |m| m.to_json());
    }
    covers(
        &messages,
        DashboardEventType::ALL.map(|t| t.as_str()),
        "event",
    );
    // The seven messages the seed prints, and four derived ones.
    let printed = messages
        .iter()
        .filter(|m| !m.path.to_string_lossy().ends_with(".derived.json"))
        .count();
    assert_eq!((printed, messages.len()), (7, 11));
}

#[test]
fn seed_002_reads_the_documented_fields() {
    use seed002_dashboard_events::{
        AgentStatusChangedPayloadStatus, DashboardEnvelope, DashboardEvent,
    };
    let text = fs::read_to_string(
        support::workspace_root()
            .join("examples/seed-002/messages/dashboard/agent_status_changed.json"),
    )
    .unwrap();
    let envelope = DashboardEnvelope::from_json(&text).unwrap();
    assert_eq!(envelope.fields.project_id, 1);
    assert_eq!(envelope.fields.timestamp, "2025-11-08T14:35:20.789Z");
    let DashboardEvent::AgentStatusChanged(payload) = envelope.event else {
        panic!("expected agent_status_changed");
    };
    assert_eq!(payload.status, AgentStatusChangedPayloadStatus::Working);
    assert_eq!(payload.progress, Some(50));
    let task = payload.current_task.expect("current_task");
    assert_eq!(
        (task.id, task.title.as_str()),
        (42, "Create API endpoint for user registration")
    );
    // The envelope fields are required; the payload stays closed.
    let no_timestamp =
        r#"{"type":"agent_retired","project_id":1,"agent_id":"a","tasks_completed":5}"#;
    assert!(DashboardEnvelope::from_json(no_timestamp).is_err());
    let extra = r#"{"type":"agent_retired","project_id":1,"timestamp":"2025-11-08T15:45:30.456Z","agent_id":"a","tasks_completed":5,"surprise":true}"#;
    assert!(DashboardEnvelope::from_json(extra).is_err());
    let wrong_enum = r#"{"type":"task_status_changed","project_id":1,"timestamp":"2025-11-08T15:45:30.456Z","task_id":42,"status":"done"}"#;
    assert!(DashboardEnvelope::from_json(wrong_enum).is_err());
}

#[test]
fn seed_003_blocker_messages_round_trip() {
    use seed003_blocker_events::{BlockerEnvelope, BlockerEvent, BlockerEventType};
    let messages = messages("seed-003", "blocker");
    for message in &messages {
        round_trip(message, BlockerEnvelope::from_json, |m| m.to_json());
    }
    covers(
        &messages,
        BlockerEventType::ALL.map(|t| t.as_str()),
        "event",
    );
    assert_eq!(messages.len(), 4);
    let created = messages
        .iter()
        .find(|m| m.name == "blocker_created")
        .unwrap();
    let BlockerEvent::BlockerCreated(payload) =
        BlockerEnvelope::from_json(&created.text).unwrap().event
    else {
        panic!("expected blocker_created");
    };
    assert_eq!(payload.blocker.id, 123);
    assert_eq!(payload.blocker.blocker_type.as_str(), "SYNC");
    assert_eq!(payload.blocker.status.as_str(), "PENDING");
}

#[test]
fn seed_004_board_messages_round_trip_and_frame_as_sse() {
    use seed004_board_events::{BoardEnvelope, BoardEventType};
    let messages = messages("seed-004", "board");
    for message in &messages {
        round_trip(message, BoardEnvelope::from_json, |m| m.to_json());
        check_sse(
            message,
            &BoardEnvelope::from_json(&message.text)
                .unwrap()
                .to_sse()
                .unwrap(),
        );
    }
    covers(&messages, BoardEventType::ALL.map(|t| t.as_str()), "event");
}

#[test]
fn seed_004_dashboard_messages_round_trip_and_frame_as_sse() {
    use seed004_dashboard_events::{DashboardEnvelope, DashboardEventType};
    let messages = messages("seed-004", "dashboard");
    for message in &messages {
        round_trip(message, DashboardEnvelope::from_json, |m| m.to_json());
        check_sse(
            message,
            &DashboardEnvelope::from_json(&message.text)
                .unwrap()
                .to_sse()
                .unwrap(),
        );
    }
    covers(
        &messages,
        DashboardEventType::ALL.map(|t| t.as_str()),
        "event",
    );
}

/// `event: <type>\ndata: <json>\n\n`, the data being the envelope on one line.
fn check_sse(message: &Message, frame: &str) {
    let rest = frame
        .strip_prefix(&format!("event: {}\ndata: ", message.name))
        .unwrap_or_else(|| panic!("{}: bad SSE frame {frame:?}", message.path.display()));
    let data = rest.strip_suffix("\n\n").unwrap_or_else(|| {
        panic!(
            "{}: frame does not end in a blank line: {frame:?}",
            message.path.display()
        )
    });
    assert!(
        !data.contains('\n'),
        "{}: data spans lines",
        message.path.display()
    );
    let value: Value = serde_json::from_str(data).unwrap();
    assert_eq!(value, message.value, "{}", message.path.display());
}

#[test]
fn unknown_and_malformed_messages_give_typed_errors() {
    let adjacent_unknown = r#"{"type":"no_such_message","payload":{}}"#;
    let adjacent_bad = [
        // a known type whose payload is missing a required field, or of the wrong type
        r#"{"type":"attempt_started","payload":{"attemptId":"att-1"}}"#,
        r#"{"type":"attempt_started","payload":{"attemptId":1,"cardId":"card-1"}}"#,
        r#"{"type":"attempt_started","payload":[]}"#,
        r#"{"payload":{"attemptId":"att-1","cardId":"card-1"}}"#,
    ];
    bad_input!(seed001_board_events::BoardEnvelope, unknown: adjacent_unknown, malformed: NOT_JSON.iter().chain(&adjacent_bad));
    bad_input!(seed004_board_events::BoardEnvelope, unknown: adjacent_unknown, malformed: NOT_JSON.iter().chain(&adjacent_bad));
    let command_bad = [
        r#"{"type":"move_card","payload":{"cardId":"card-2","toColumnId":"col-done","toIndex":-1}}"#,
        r#"{"type":"delete_card","payload":{}}"#,
    ];
    bad_input!(seed001_board_events::BoardCommandEnvelope, unknown: adjacent_unknown, malformed: NOT_JSON.iter().chain(&command_bad));
    let hello_bad = [r#"{"type":"hello","payload":{"serverTime":7}}"#];
    bad_input!(seed001_dashboard_events::DashboardEnvelope, unknown: adjacent_unknown, malformed: NOT_JSON.iter().chain(&hello_bad));
    bad_input!(seed004_dashboard_events::DashboardEnvelope, unknown: adjacent_unknown, malformed: NOT_JSON.iter().chain(&hello_bad));

    let flat_unknown =
        r#"{"type":"no_such_message","project_id":1,"timestamp":"2025-11-08T14:30:45.123Z"}"#;
    let flat_bad = [
        r#"{"type":"agent_retired","project_id":1,"timestamp":"2025-11-08T15:45:30.456Z","agent_id":"a"}"#,
        r#"{"type":"agent_retired","project_id":"1","timestamp":"2025-11-08T15:45:30.456Z","agent_id":"a","tasks_completed":5}"#,
        r#"{"type":"agent_retired","project_id":1,"timestamp":"2025-11-08T15:45:30.456Z","agent_id":"a","tasks_completed":-5}"#,
    ];
    bad_input!(seed002_dashboard_events::DashboardEnvelope, unknown: flat_unknown, malformed: NOT_JSON.iter().chain(&flat_bad));
    let blocker_unknown = r#"{"type":"no_such_message","project_id":1}"#;
    let blocker_bad = [
        r#"{"type":"blocker_resolved","project_id":1,"blocker_id":123,"answer":"Use JWT"}"#,
        r#"{"type":"blocker_created","project_id":1,"blocker":{"id":123}}"#,
        r#"{"type":"blocker_expired","blocker_id":123,"task_id":456,"expired_at":"2025-11-09T12:34:56Z"}"#,
    ];
    bad_input!(seed003_blocker_events::BlockerEnvelope, unknown: blocker_unknown, malformed: NOT_JSON.iter().chain(&blocker_bad));
}

/// The TypeScript side of one channel: its generated module, the envelope
/// type(s) and the messages.
struct TsChannel {
    seed: &'static str,
    channel: &'static str,
    /// The generated module's file stem (`board` for `board.ts`).
    module: &'static str,
    /// The envelope type of events, and of commands when the channel has any.
    envelope: &'static str,
    command: Option<&'static str>,
}

const TS_CHANNELS: [TsChannel; 7] = [
    TsChannel {
        seed: "seed-000-replay",
        channel: "board",
        module: "board",
        envelope: "BoardEnvelope",
        command: None,
    },
    TsChannel {
        seed: "seed-001",
        channel: "board",
        module: "board",
        envelope: "BoardEnvelope",
        command: Some("BoardCommand"),
    },
    TsChannel {
        seed: "seed-001",
        channel: "dashboard",
        module: "dashboard",
        envelope: "DashboardEnvelope",
        command: None,
    },
    TsChannel {
        seed: "seed-002",
        channel: "dashboard",
        module: "dashboard",
        envelope: "DashboardEnvelope",
        command: None,
    },
    TsChannel {
        seed: "seed-003",
        channel: "blocker",
        module: "blocker",
        envelope: "BlockerEnvelope",
        command: None,
    },
    TsChannel {
        seed: "seed-004",
        channel: "board",
        module: "board",
        envelope: "BoardEnvelope",
        command: None,
    },
    TsChannel {
        seed: "seed-004",
        channel: "dashboard",
        module: "dashboard",
        envelope: "DashboardEnvelope",
        command: None,
    },
];

/// Copies each channel's generated module into `root/<seed>/<channel>/` and
/// writes a `messages.ts` there declaring every message (as `mutate` leaves
/// it) as a constant of the envelope type. Returns the number of messages.
fn write_ts_checks(root: &Path, mutate: impl Fn(&str, Value) -> Value) -> usize {
    let mut count = 0;
    for ts in &TS_CHANNELS {
        let dir = root.join(ts.seed).join(ts.channel);
        fs::create_dir_all(&dir).unwrap();
        let generated = support::workspace_root()
            .join("examples")
            .join(ts.seed)
            .join("generated")
            .join(ts.channel)
            .join("ts")
            .join(format!("{}.ts", ts.module));
        fs::copy(&generated, dir.join(format!("{}.ts", ts.module))).unwrap();
        let mut imports = vec![ts.envelope];
        imports.extend(ts.command);
        let mut source = format!(
            "// Every message of {}/{}, as the generated envelope type.\nimport type {{ {} }} from \"./{}.js\";\n\n",
            ts.seed,
            ts.channel,
            imports.join(", "),
            ts.module
        );
        let commands: Vec<String> = match ts.command {
            Some(_) => seed001_board_events::BoardCommandType::ALL
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            None => Vec::new(),
        };
        for (index, message) in messages(ts.seed, ts.channel).into_iter().enumerate() {
            let ty = if commands.contains(&message.name) {
                ts.command.unwrap()
            } else {
                ts.envelope
            };
            let value = mutate(&message.name, message.value);
            let file = message.path.file_name().unwrap().to_string_lossy();
            source.push_str(&format!(
                "// {file}\nexport const message{index}: {ty} = {};\n\n",
                serde_json::to_string_pretty(&value).unwrap()
            ));
            count += 1;
        }
        fs::write(dir.join("messages.ts"), source).unwrap();
    }
    count
}

#[test]
fn every_message_type_checks_as_the_generated_typescript_envelope() {
    let temp = support::TempDir::new("seed-messages-ts");
    let count = write_ts_checks(temp.path(), |_, value| value);
    assert_eq!(count, 63, "messages checked");
    if let Err(output) = support::type_check(temp.path(), false) {
        panic!("tsc rejected the seed messages:\n{output}");
    }
}

#[test]
fn typescript_rejects_messages_that_break_the_contract() {
    // Each mutation must fail tsc in every channel file, so the check above is not vacuous.
    type Mutation = fn(&str, Value) -> Value;
    let mutations: [(&str, Mutation); 2] = [
        ("an unknown type", |_, mut value| {
            value["type"] = Value::from("no_such_message");
            value
        }),
        ("an extra field", |_, mut value| {
            value["surprise"] = Value::from(true);
            value
        }),
    ];
    for (what, mutate) in mutations {
        let temp = support::TempDir::new("seed-messages-ts-bad");
        write_ts_checks(temp.path(), mutate);
        let output = support::type_check(temp.path(), false)
            .expect_err(&format!("tsc accepted messages with {what}"));
        for ts in &TS_CHANNELS {
            let file = format!("{}/{}/messages.ts", ts.seed, ts.channel);
            assert!(
                output.contains(&file),
                "tsc did not reject {file} with {what}:\n{output}"
            );
        }
    }
}

/// Found by the `envelope_seed001_board` fuzz target: a URI's port is
/// digits and its authority has at most one `@` (RFC 3986), so `h://i:=`
/// and `h://a@b@c` are no `uri`s; they read as ones before.
#[test]
fn a_uri_port_is_digits() {
    use seed001_board_events::{BoardEnvelope, EnvelopeError};
    let message = |url: &str| {
        format!(
            r#"{{"type":"attempt_pr","payload":{{"attemptId":"","pr":{{"number":1,"url":"{url}","state":"open","draft":false}}}}}}"#
        )
    };
    for url in ["h://i:=", "h://a@b@c/d"] {
        match BoardEnvelope::from_json(&message(url)) {
            Err(EnvelopeError::Invalid(error)) => {
                let at = (error.pointer.as_str(), error.keyword);
                assert_eq!(at, ("/payload/pr/url", "format"), "{url}");
            }
            other => panic!("expected {url} refused, got {other:?}"),
        }
    }
    for url in ["h://i:8080/a", "h://i:/a", "h://u@[::1]:1", "h://i/a:b"] {
        BoardEnvelope::from_json(&message(url)).unwrap_or_else(|error| panic!("{url}: {error}"));
    }
}
