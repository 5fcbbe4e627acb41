//! Drift between the catalog and the code around it, as `check` reports it:
//! each kind fails with a message that names the event and the place.

mod common;

use common::{Scratch, stderr};

fn generated(name: &str) -> Scratch {
    let scratch = Scratch::new(name);
    let output = scratch.run("gen");
    assert!(output.status.success(), "{}", stderr(&output));
    let output = scratch.run("check");
    assert!(
        output.status.success(),
        "the fixture app agrees with its catalog: {}",
        stderr(&output)
    );
    scratch
}

fn check_fails(scratch: &Scratch) -> String {
    let output = scratch.run("check");
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    text
}

#[test]
fn an_event_nothing_emits_is_dead_contract() {
    let scratch = generated("dead");
    scratch.edit(
        "app/server/main.rs",
        "    hub.broadcast(MiniEvent::TasksReordered(TasksReorderedPayload { task_ids }));\n",
        "",
    );
    let text = check_fails(&scratch);
    assert!(
        text.contains(
            "error[dead-event]: `tasks_reordered` is in the catalog but no scanned code emits it"
        ),
        "{text}"
    );
    assert!(text.contains("events/task.yaml:16:11"), "{text}");
}

#[test]
fn a_literal_outside_the_catalog_is_unregistered() {
    let scratch = generated("unregistered");
    scratch.edit("app/server/main.rs", "\"task_deleted\"", "\"task_removed\"");
    let text = check_fails(&scratch);
    assert!(
        text.contains(
            "error[unregistered-event]: `task_removed` is emitted but is not in the catalog"
        ),
        "{text}"
    );
    assert!(text.contains("app/server/main.rs:17:31"), "{text}");
    assert!(text.contains("error[dead-event]: `task_deleted`"), "{text}");
}

#[test]
fn a_computed_name_is_unverifiable() {
    let scratch = generated("computed");
    scratch.edit(
        "app/server/main.rs",
        "broadcast_task_event(hub, \"task_deleted\", task_id);",
        "let name = format!(\"task_{}\", \"deleted\");\n    broadcast_board_event(hub, &name, serde_json::json!({}));",
    );
    let text = check_fails(&scratch);
    assert!(text.contains("error[unverifiable-emit]: `broadcast_board_event` gets an event name that is not a string literal"), "{text}");
    assert!(text.contains("app/server/main.rs:18:32"), "{text}");
}

#[test]
fn a_missing_handler_is_named() {
    let scratch = generated("unhandled");
    scratch.edit("app/client/handlers.ts", "  tasks_reordered: IGNORE,\n", "");
    let text = check_fails(&scratch);
    assert!(
        text.contains("error[unhandled-event]: the handler map has no entry for `tasks_reordered`"),
        "{text}"
    );
    assert!(text.contains("app/client/handlers.ts:3:44"), "{text}");
}

#[test]
fn a_handler_for_no_event_is_named() {
    let scratch = generated("unknown");
    scratch.edit(
        "app/client/handlers.ts",
        "  tasks_reordered: IGNORE,\n",
        "  tasks_reordered: IGNORE,\n  task_exploded: IGNORE,\n",
    );
    let text = check_fails(&scratch);
    assert!(
        text.contains(
            "error[unknown-handler]: handler for `task_exploded`, which is not a catalog event"
        ),
        "{text}"
    );
    assert!(text.contains("app/client/handlers.ts:6:3"), "{text}");
}

#[test]
fn another_service_may_emit_an_event() {
    let scratch = generated("elsewhere");
    scratch.edit(
        "app/server/main.rs",
        "    hub.broadcast(MiniEvent::TasksReordered(TasksReorderedPayload { task_ids }));\n",
        "",
    );
    scratch.edit(
        "events/task.yaml",
        "    webhook: ws-only\n",
        "    webhook: ws-only\n    emitted_elsewhere: the ordering service emits it\n",
    );
    assert!(scratch.run("gen").status.success());
    let output = scratch.run("check");
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn gen_is_not_blocked_by_drift() {
    let scratch = generated("gen-ok");
    scratch.edit("app/client/handlers.ts", "  tasks_reordered: IGNORE,\n", "");
    assert!(
        scratch.run("gen").status.success(),
        "a new event must be generated before code can use it"
    );
}
