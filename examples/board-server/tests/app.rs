//! The app's mutations emit the catalog's events, with the payloads the
//! catalog describes, and nothing when a mutation is refused. Checked on the
//! wire JSON the hub sends (what a client receives).

use std::collections::BTreeSet;
use std::time::Duration;

use board_events::{
    BoardEnvelope, BoardEventType, RisksImportedPayloadSourceFormat as SourceFormat,
    TaskRunCompletedPayloadOutcome as Outcome,
    TaskRunCompletedPayloadOutcomeSucceeded as Succeeded,
    TaskRunFailedPayloadErrorKind as ErrorKind,
};
use board_server::board::{SlipConflict, TaskStatus};
use board_server::broadcast::{Received, Subscription};
use board_server::legacy::{EmitError, broadcast_board_event};
use board_server::tasks::TaskEdit;
use board_server::{Board, BoardError, Hub, simulation};
use serde_json::{Value, json};

fn board() -> (Board, Subscription) {
    let hub = Hub::default();
    let subscription = hub.subscribe();
    (Board::new(hub, 7, &[37, 38, 39]), subscription)
}

/// Every envelope sent so far, as JSON, after checking that it parses.
fn sent(subscription: &mut Subscription) -> Vec<Value> {
    let mut sent = Vec::new();
    while let Some(received) = subscription.try_recv() {
        match received {
            Received::Event(text) => {
                BoardEnvelope::from_json(&text).expect("the hub sends envelopes the crate reads");
                sent.push(serde_json::from_str(&text).unwrap());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    sent
}

fn envelope(event_type: &str, payload: Value) -> Value {
    json!({ "protocol_version": 1, "event_type": event_type, "payload": payload })
}

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

#[test]
fn one_simulation_round_emits_every_catalog_event() {
    let (board, mut subscription) = board();
    let _client = board.hub().track_client();
    block_on(simulation::run(&board, Some(1), Duration::ZERO)).unwrap();
    let emitted: BTreeSet<String> = sent(&mut subscription)
        .iter()
        .map(|envelope| envelope["event_type"].as_str().unwrap().to_owned())
        .collect();
    let catalog: BTreeSet<String> = BoardEventType::ALL
        .iter()
        .map(|kind| kind.as_str().to_owned())
        .collect();
    assert_eq!(emitted, catalog);
}

#[test]
fn task_mutations_emit_their_events() {
    let (board, mut subscription) = board();
    let parent = board.create_task("Parent", Some(37)).unwrap();
    let child = board.create_task("Child", None).unwrap();
    let grandchild = board.create_task("Grandchild", None).unwrap();
    board
        .update_task(
            parent,
            vec![
                TaskEdit::Status(TaskStatus::Done),
                TaskEdit::DueDate(Some("2026-04-01".into())),
                TaskEdit::Status(TaskStatus::InProgress),
            ],
        )
        .unwrap();
    board.reparent_tasks(&[child], Some(parent)).unwrap();
    board.reparent_tasks(&[grandchild], Some(child)).unwrap();
    board.reorder_tasks(None, &[grandchild, child]).unwrap();
    board.move_tasks(&[child, grandchild], Some(38)).unwrap();
    board.archive_tasks(&[parent]).unwrap();
    board.delete_task(parent).unwrap();
    assert_eq!(
        sent(&mut subscription),
        [
            envelope("task_created", json!({ "task_id": parent, "phase_id": 37 })),
            envelope(
                "task_created",
                json!({ "task_id": child, "phase_id": null })
            ),
            envelope(
                "task_created",
                json!({ "task_id": grandchild, "phase_id": null })
            ),
            envelope(
                "task_updated",
                json!({ "task_id": parent, "fields": ["status", "due_date"] })
            ),
            envelope("tasks_restructured", json!({ "task_ids": [child] })),
            envelope("tasks_restructured", json!({ "task_ids": [grandchild] })),
            envelope(
                "tasks_reordered",
                json!({ "phase_id": null, "task_ids": [grandchild, child] })
            ),
            envelope(
                "tasks_bulk_mutated",
                json!({ "task_ids": [child, grandchild], "mutation": "moved" })
            ),
            envelope(
                "tasks_bulk_mutated",
                json!({ "task_ids": [parent], "mutation": "archived" })
            ),
            envelope(
                "task_deleted",
                json!({ "task_id": parent, "subtask_ids": [child, grandchild] })
            ),
        ]
    );
    assert_eq!(board.task(grandchild), None);
    assert_eq!(board.task_list(Some(38)), Vec::<u64>::new());
}

#[test]
fn refused_mutations_emit_nothing() {
    let (board, mut subscription) = board();
    let task = board.create_task("Task", None).unwrap();
    sent(&mut subscription);
    assert!(matches!(
        board.create_task("Nowhere", Some(99)),
        Err(BoardError::UnknownPhase(99))
    ));
    assert!(matches!(
        board.delete_task(404),
        Err(BoardError::UnknownTask(404))
    ));
    assert!(matches!(
        board.reorder_tasks(None, &[task, task]),
        Err(BoardError::NotAPermutation)
    ));
    assert!(matches!(
        board.reparent_tasks(&[task], Some(task)),
        Err(BoardError::Cycle(_))
    ));
    assert!(matches!(
        board.accept_dependency(task, task),
        Err(BoardError::Cycle(_))
    ));
    assert!(matches!(
        board.join_sprint(1, 2),
        Err(BoardError::UnknownSprint(1))
    ));
    assert!(matches!(
        board.report_progress("no-such-run", 5, None),
        Err(BoardError::UnknownRun(_))
    ));
    board.update_task(task, Vec::new()).unwrap();
    assert_eq!(sent(&mut subscription), Vec::<Value>::new());
}

#[test]
fn planning_and_sprint_mutations_emit_their_events() {
    let (board, mut subscription) = board();
    let a = board.create_task("A", None).unwrap();
    let b = board.create_task("B", None).unwrap();
    sent(&mut subscription);
    board.reorder_phases(&[38, 37, 39]).unwrap();
    board.rerank_backlog(&[b, a]).unwrap();
    board.rerank_backlog(&[b, a]).unwrap(); // unchanged: no event
    let dependency = board.accept_dependency(a, b).unwrap();
    assert!(matches!(
        board.accept_dependency(b, a),
        Err(BoardError::Cycle(_))
    ));
    let first = board.activate_baseline("2026-01-05T08:00:00Z".into());
    let second = board.activate_baseline("2026-03-14T09:26:53Z".into());
    board
        .report_slip_conflicts(vec![SlipConflict {
            predecessor_task_id: a,
            successor_task_id: b,
            slip_days: 2.5,
        }])
        .unwrap();
    board.report_slip_conflicts(Vec::new()).unwrap();
    board.add_sprint(58);
    board.join_sprint(58, 216).unwrap();
    board.join_sprint(58, 215).unwrap();
    board.join_sprint(58, 215).unwrap(); // already there: no event
    board.leave_sprint(58, 216).unwrap();
    board.add_action_item(58, "Write it down").unwrap();
    board.replace_retro(58, Default::default()).unwrap();
    assert_eq!(
        sent(&mut subscription),
        [
            envelope(
                "phases_reordered",
                json!({ "project_id": 7, "phase_ids": [38, 37, 39] })
            ),
            envelope(
                "backlog_reranked",
                json!({ "project_id": 7, "task_ids": [b, a] })
            ),
            envelope(
                "dependency_accepted",
                json!({ "dependency_id": dependency, "predecessor_task_id": a, "successor_task_id": b })
            ),
            envelope(
                "baseline_activated",
                json!({ "baseline_id": first, "activated_at": "2026-01-05T08:00:00Z", "previous_baseline_id": null })
            ),
            envelope(
                "baseline_activated",
                json!({ "baseline_id": second, "activated_at": "2026-03-14T09:26:53Z", "previous_baseline_id": first })
            ),
            envelope(
                "slip_conflicts_updated",
                json!({ "task_ids": [a, b], "conflict_count": 1, "max_slip_days": 2.5 })
            ),
            envelope(
                "slip_conflicts_updated",
                json!({ "task_ids": [], "conflict_count": 0 })
            ),
            envelope(
                "roster_changed",
                json!({ "sprint_id": 58, "member_ids": [216] })
            ),
            envelope(
                "roster_changed",
                json!({ "sprint_id": 58, "member_ids": [215, 216] })
            ),
            envelope(
                "roster_changed",
                json!({ "sprint_id": 58, "member_ids": [215] })
            ),
            envelope(
                "sprint_retro_updated",
                json!({ "sprint_id": 58, "sections": ["action_items"] })
            ),
            envelope("sprint_retro_updated", json!({ "sprint_id": 58 })),
        ]
    );
}

#[test]
fn legacy_emit_sites_send_typed_events() {
    let (board, mut subscription) = board();
    let task = board.create_task("Task", None).unwrap();
    sent(&mut subscription);
    let risks = board
        .import_risks(
            SourceFormat::Csv,
            None,
            &["Vendor delay", "Key person leaves"],
        )
        .unwrap();
    let run = board
        .start_run(task, "2026-03-14T09:26:53Z".into())
        .unwrap();
    board
        .report_progress(&run, 140, Some("Uploading artifacts"))
        .unwrap();
    board
        .complete_run(&run, Outcome::Succeeded(Succeeded { artifact_count: 3 }))
        .unwrap();
    assert!(matches!(
        board.cancel_run(&run, None),
        Err(BoardError::RunEnded(_))
    ));
    let failed = board
        .start_run(task, "2026-03-14T10:00:00Z".into())
        .unwrap();
    board
        .fail_run(&failed, ErrorKind::Crashed, None, None)
        .unwrap();
    let cancelled = board
        .start_run(task, "2026-03-14T11:00:00Z".into())
        .unwrap();
    board.cancel_run(&cancelled, None).unwrap();
    assert_eq!(
        sent(&mut subscription),
        [
            envelope(
                "risks_imported",
                json!({ "project_id": 7, "risk_ids": risks, "source": { "format": "csv" } })
            ),
            envelope(
                "task_run_started",
                json!({ "task_run_id": run, "task_id": task, "started_at": "2026-03-14T09:26:53Z" })
            ),
            envelope(
                "task_run_progress",
                json!({ "task_run_id": run, "task_id": task, "percent": 100, "message": "Uploading artifacts" })
            ),
            envelope(
                "task_run_completed",
                json!({ "task_run_id": run, "task_id": task, "outcome": { "kind": "succeeded", "artifact_count": 3 } })
            ),
            envelope(
                "task_run_started",
                json!({ "task_run_id": failed, "task_id": task, "started_at": "2026-03-14T10:00:00Z" })
            ),
            envelope(
                "task_run_failed",
                json!({ "task_run_id": failed, "task_id": task, "error_kind": "crashed", "error_message": null })
            ),
            envelope(
                "task_run_started",
                json!({ "task_run_id": cancelled, "task_id": task, "started_at": "2026-03-14T11:00:00Z" })
            ),
            envelope(
                "task_run_cancelled",
                json!({ "task_run_id": cancelled, "task_id": task, "cancelled_by": null })
            ),
        ]
    );
}

#[test]
fn the_legacy_emitter_refuses_what_the_catalog_does_not_have() {
    let hub = Hub::default();
    let mut subscription = hub.subscribe();
    // A name that is not in the catalog never reaches the wire.
    match broadcast_board_event(&hub, "task_exploded", json!({ "task_id": 1 })) {
        Err(EmitError::UnknownEventType(unknown)) => assert_eq!(unknown.0, "task_exploded"),
        other => panic!("expected an unknown event type, got {other:?}"),
    }
    // Nor does a payload that does not match the event's payload type.
    for payload in [
        json!({ "task_id": "one" }),
        json!({ "task_id": 1, "phase_id": null, "extra": true }),
        json!({ "phase_id": 3 }),
    ] {
        match broadcast_board_event(&hub, "task_created", payload) {
            Err(EmitError::InvalidPayload { event_type, .. }) => {
                assert_eq!(event_type, BoardEventType::TaskCreated);
            }
            other => panic!("expected an invalid payload, got {other:?}"),
        }
    }
    assert_eq!(sent(&mut subscription), Vec::<Value>::new());
    broadcast_board_event(
        &hub,
        "task_created",
        json!({ "task_id": 1, "phase_id": null }),
    )
    .unwrap();
    assert_eq!(
        sent(&mut subscription),
        [envelope(
            "task_created",
            json!({ "task_id": 1, "phase_id": null })
        )]
    );
}

#[test]
fn a_closed_hub_sends_the_pending_events_then_closes() {
    let (board, mut subscription) = board();
    board.create_task("Before", None).unwrap();
    board.hub().close();
    board.create_task("After", None).unwrap();
    assert!(matches!(subscription.try_recv(), Some(Received::Event(_))));
    assert_eq!(subscription.try_recv(), Some(Received::Closed));
    assert_eq!(subscription.try_recv(), Some(Received::Closed));
    assert_eq!(board.hub().subscribe().try_recv(), Some(Received::Closed));
}
