//! The naming lint and the frozen contract as a user meets them: `check`
//! fails on a renamed, removed or changed frozen event with the message and
//! the place; `gen` refuses the break until a decision is recorded.

mod common;

use std::fs;

use common::{Scratch, stderr};

/// A copy whose outputs and lock are generated and up to date.
fn generated(name: &str) -> Scratch {
    let scratch = Scratch::new(name);
    let output = scratch.run("gen");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        scratch.dir.join("mini.lock.json").exists(),
        "gen writes the lock"
    );
    scratch
}

fn expect_failure(scratch: &Scratch, command: &str, extra: &[&str]) -> String {
    let output = scratch.run_with(command, extra);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    text
}

#[test]
fn a_removed_frozen_event_fails_check_at_its_lock_entry() {
    let scratch = generated("removed");
    let events = scratch.read("events/task.yaml");
    let cut = events.find("  - name: task_deleted").unwrap();
    fs::write(scratch.dir.join("events/task.yaml"), &events[..cut]).unwrap();
    let text = expect_failure(&scratch, "check", &[]);
    assert!(
        text.contains("error[event-removed]: frozen event `task_deleted` was removed"),
        "{text}"
    );
    let lock = scratch.read("mini.lock.json");
    let line = lock
        .lines()
        .position(|l| l.trim_start().starts_with("\"task_deleted\""))
        .unwrap()
        + 1;
    assert!(text.contains(&format!("mini.lock.json:{line}:5")), "{text}");
    assert!(
        text.contains("protocol_version: 2"),
        "the hint names the next version:\n{text}"
    );
}

#[test]
fn a_renamed_frozen_event_fails_check_at_its_new_name() {
    let scratch = generated("renamed");
    scratch.edit(
        "events/task.yaml",
        "name: task_deleted",
        "name: task_removed",
    );
    let text = expect_failure(&scratch, "check", &[]);
    assert!(
        text.contains("frozen event `task_deleted` was renamed to `task_removed`"),
        "{text}"
    );
    assert!(text.contains("events/task.yaml:28:11"), "{text}");
}

#[test]
fn a_changed_field_fails_check_at_the_field() {
    let scratch = generated("changed");
    scratch.edit(
        "events/task.yaml",
        "title: {type: string}",
        "title: {type: boolean}",
    );
    scratch.edit("events/task.yaml", "title: Write tests}", "title: true}");
    let text = expect_failure(&scratch, "check", &[]);
    assert!(
        text.contains("payload of `task_created`: type changed from string to boolean (breaks consumers and producers)"),
        "{text}"
    );
    assert!(text.contains("events/task.yaml:13:9"), "{text}");
}

#[test]
fn gen_refuses_a_break_until_a_decision_is_recorded_with_a_version_bump() {
    let scratch = generated("decision");
    let lock_before = scratch.read("mini.lock.json");
    scratch.edit("events/task.yaml", "required: [task_id]\n      properties:\n        task_id: {$ref: '#/$defs/TaskId'}\n        title", "required: [task_id, title]\n      properties:\n        task_id: {$ref: '#/$defs/TaskId'}\n        title");
    let text = expect_failure(&scratch, "gen", &[]);
    assert!(
        text.contains("field `title` became required (breaks producers)"),
        "{text}"
    );
    assert!(text.contains("no file was written"), "{text}");
    assert_eq!(scratch.read("mini.lock.json"), lock_before);

    // A decision without the bump is not enough.
    let decision = "breaking_changes:\n  - {protocol_version: 2, event: task_created, change: title required, reason: every task has a title now}\n";
    fs::write(
        scratch.catalog(),
        format!("{}{decision}", scratch.read("catalog.yaml")),
    )
    .unwrap();
    let text = expect_failure(&scratch, "gen", &[]);
    assert!(text.contains("error[decision-without-bump]"), "{text}");

    scratch.edit("catalog.yaml", "protocol_version: 1", "protocol_version: 2");
    let output = scratch.run("gen");
    assert!(output.status.success(), "{}", stderr(&output));
    let lock = scratch.read("mini.lock.json");
    assert!(lock.contains("\"protocol_version\": 2"), "{lock}");
    assert!(scratch.run("check").status.success());
    let docs = fs::read_to_string(scratch.dir.join("out/docs/mini.md")).unwrap();
    assert!(
        docs.contains("| 2 | `task_created` | title required | every task has a title now |"),
        "{docs}"
    );
}

#[test]
fn a_decision_allows_exactly_the_kinds_of_change_it_names() {
    let scratch = generated("allows");
    scratch.edit("events/task.yaml", "required: [task_id]\n      properties:\n        task_id: {$ref: '#/$defs/TaskId'}\n        title", "required: [task_id, title]\n      properties:\n        task_id: {$ref: '#/$defs/TaskId'}\n        title");
    let text = expect_failure(&scratch, "gen", &[]);
    assert!(
        text.contains("error[property-required]"),
        "each kind of change has its code:\n{text}"
    );
    assert!(
        text.contains("allows: [property-required]"),
        "the help shows the decision to record:\n{text}"
    );

    // Allowing another kind of change does not let this one through.
    let decision = "breaking_changes:\n  - {protocol_version: 2, event: task_created, change: title required, reason: every task has a title now, allows: [property-removed]}\n";
    fs::write(
        scratch.catalog(),
        format!("{}{decision}", scratch.read("catalog.yaml")),
    )
    .unwrap();
    scratch.edit("catalog.yaml", "protocol_version: 1", "protocol_version: 2");
    let text = expect_failure(&scratch, "gen", &[]);
    assert!(text.contains("error[property-required]"), "{text}");
    assert!(text.contains("allows only: property-removed"), "{text}");

    // A code that is no kind of change is a located error.
    scratch.edit(
        "catalog.yaml",
        "allows: [property-removed]",
        "allows: [property-rquired]",
    );
    let text = expect_failure(&scratch, "gen", &[]);
    assert!(text.contains("error[unknown-change]"), "{text}");

    scratch.edit(
        "catalog.yaml",
        "allows: [property-rquired]",
        "allows: [property-required]",
    );
    let output = scratch.run("gen");
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn check_against_a_revision_sees_a_break_hidden_by_editing_the_lock() {
    let scratch = generated("against");
    scratch.git(&["init", "--quiet"]);
    scratch.git(&["add", "."]);
    scratch.git(&["commit", "--quiet", "-m", "baseline"]);
    let events = scratch.read("events/task.yaml");
    let cut = events.find("  - name: task_deleted").unwrap();
    fs::write(scratch.dir.join("events/task.yaml"), &events[..cut]).unwrap();
    scratch.edit(
        "app/server/main.rs",
        "    broadcast_task_event(hub, \"task_deleted\", task_id);\n",
        "",
    );
    scratch.edit(
        "app/client/handlers.ts",
        "  task_deleted: (payload) => console.log(\"deleted\", payload.task_id),\n",
        "",
    );
    // Rewrite the lock along with the catalog, as a careless change would.
    fs::remove_file(scratch.dir.join("mini.lock.json")).unwrap();
    assert!(scratch.run("gen").status.success());
    assert!(
        scratch.run("check").status.success(),
        "the edited lock agrees with the catalog"
    );

    let text = expect_failure(&scratch, "check", &["--against", "HEAD"]);
    assert!(
        text.contains("frozen event `task_deleted` was removed"),
        "{text}"
    );
    assert!(text.contains("mini.lock.json (at HEAD)"), "{text}");

    let text = expect_failure(&scratch, "check", &["--against", "no-such-ref"]);
    assert!(text.contains("error[git-failed]"), "{text}");
}

#[test]
fn a_bad_name_gets_the_rule_the_place_and_a_suggestion() {
    let scratch = generated("lint");
    scratch.edit(
        "events/task.yaml",
        "name: task_created",
        "name: task_create",
    );
    scratch.edit(
        "catalog.yaml",
        "events: [events]",
        "events: [events]\nlock: other.lock.json",
    );
    let text = expect_failure(&scratch, "check", &[]);
    assert!(
        text.contains("error[past-tense-verb]: `create` in `task_create` is a present-tense verb"),
        "{text}"
    );
    assert!(text.contains("events/task.yaml:3:11"), "{text}");
    assert!(
        text.contains("help: did you mean `task_created`?"),
        "{text}"
    );
}

#[test]
fn severities_and_exceptions_come_from_the_catalog() {
    let scratch = generated("severity");
    scratch.edit(
        "events/task.yaml",
        "name: task_deleted",
        "name: task_delete",
    );
    scratch.edit(
        "catalog.yaml",
        "naming:\n",
        "naming:\n  rules: {past-tense-verb: warning}\n",
    );
    scratch.edit(
        "catalog.yaml",
        "events: [events]",
        "events: [events]\nlock: fresh.lock.json",
    );
    let output = scratch.run("gen");
    let text = stderr(&output);
    assert!(output.status.success(), "warnings do not fail: {text}");
    assert!(text.contains("warning[past-tense-verb]"), "{text}");
    let text = expect_failure(&scratch, "check", &["--deny-warnings"]);
    assert!(text.contains("warning[past-tense-verb]"), "{text}");

    scratch.edit("catalog.yaml", "  rules: {past-tense-verb: warning}\n", "");
    scratch.edit(
        "events/task.yaml",
        "name: task_delete\n",
        "name: task_delete\n    exceptions: [{rule: past-tense-verb, reason: shipped like this}, {rule: snake-case, reason: not needed}]\n",
    );
    let output = scratch.run("gen");
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(!text.contains("past-tense-verb]"), "{text}");
    assert!(text.contains("warning[unused-exception]"), "{text}");
    let docs = fs::read_to_string(scratch.dir.join("out/docs/mini.md")).unwrap();
    assert!(
        docs.contains("| [`task_delete`](#task_delete) | `past-tense-verb` | shipped like this |"),
        "{docs}"
    );
}

#[test]
fn the_grandfathered_list_only_shrinks() {
    let scratch = generated("grandfather");
    scratch.edit(
        "events/task.yaml",
        "name: task_deleted",
        "name: tasks_deleted",
    );
    scratch.edit(
        "catalog.yaml",
        "  grandfathered:\n",
        "  grandfathered:\n    - name: tasks_deleted\n      reason: sneaking in\n",
    );
    let text = expect_failure(&scratch, "check", &[]);
    assert!(
        text.contains(
            "error[grandfathered-grew]: `tasks_deleted` was added to the grandfathered names"
        ),
        "{text}"
    );
    assert!(text.contains("catalog.yaml:6:13"), "{text}");
}

#[test]
fn machine_formats_carry_rule_and_place() {
    let scratch = generated("formats");
    scratch.edit(
        "events/task.yaml",
        "name: task_deleted",
        "name: task_delete",
    );
    let output = scratch.run_with("check", &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "past-tense-verb")
        .unwrap();
    assert_eq!(first["location"]["line"], 28);
    assert_eq!(first["location"]["column"], 11);
    assert!(
        first["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("events/task.yaml")
    );

    let output = scratch.run_with("check", &["--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines().any(|line| line.starts_with("::error file=")
            && line.contains(",line=28,col=11,title=past-tense-verb::")),
        "{text}"
    );
}

#[test]
fn a_recorded_rename_keeps_the_old_name_parseable() {
    let scratch = generated("rename");
    scratch.edit(
        "events/task.yaml",
        "name: task_deleted\n",
        "name: task_removed\n    aliases: [task_deleted]\n",
    );
    let text = expect_failure(&scratch, "gen", &[]);
    assert!(
        text.contains("frozen event `task_deleted` was renamed to `task_removed`"),
        "{text}"
    );

    scratch.edit("catalog.yaml", "protocol_version: 1", "protocol_version: 2");
    let decision = "breaking_changes:\n  - {protocol_version: 2, event: task_deleted, change: renamed to task_removed, reason: one verb for removal}\n";
    fs::write(
        scratch.catalog(),
        format!("{}{decision}", scratch.read("catalog.yaml")),
    )
    .unwrap();
    let output = scratch.run("gen");
    assert!(output.status.success(), "{}", stderr(&output));
    let rust = scratch.read("out/rust/src/mini.rs");
    assert!(
        rust.contains("\"task_removed\" | \"task_deleted\" => Ok(Self::TaskRemoved)"),
        "{rust}"
    );
    assert!(rust.contains("aliases: &[\"task_deleted\"]"), "{rust}");
    assert!(
        // The message enum reads its type through that `FromStr`, so the
        // old name reads as the new one there too.
        rust.contains("support::read_message(deserializer)"),
        "{rust}"
    );
    let docs = scratch.read("out/docs/mini.md");
    assert!(
        docs.contains("Also accepted under its former name: `task_deleted`"),
        "{docs}"
    );
}

#[test]
fn an_envelope_change_needs_a_protocol_version_bump() {
    let scratch = generated("envelope");
    scratch.edit(
        "catalog.yaml",
        "protocol_version: 1\n",
        "protocol_version: 1\nenvelope: {type_field: type}\n",
    );
    let text = expect_failure(&scratch, "check", &[]);
    assert!(
        text.contains("error[envelope-changed]: the envelope's layout changed"),
        "{text}"
    );
    assert!(text.contains("bump `protocol_version` to 2"), "{text}");

    // The bump is the recorded decision for an envelope change.
    scratch.edit(
        "catalog.yaml",
        "protocol_version: 1\n",
        "protocol_version: 2\n",
    );
    let output = scratch.run("gen");
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_new_optional_envelope_field_is_compatible_but_a_required_one_breaks() {
    let scratch = generated("envelope-fields");
    let optional = "protocol_version: 1\nenvelope:\n  fields:\n    type: object\n    properties:\n      seq: {type: integer, minimum: 0, maximum: 9007199254740991}\n";
    scratch.edit("catalog.yaml", "protocol_version: 1\n", optional);
    let output = scratch.run("gen");
    assert!(output.status.success(), "{}", stderr(&output));

    scratch.edit(
        "catalog.yaml",
        "    properties:\n",
        "    required: [seq]\n    properties:\n",
    );
    let text = expect_failure(&scratch, "check", &[]);
    assert!(text.contains("envelope fields:"), "{text}");
    assert!(text.contains("catalog.yaml:6:5"), "at the fields:\n{text}");
}

#[test]
fn turning_a_frozen_event_into_a_command_breaks_the_contract() {
    let scratch = generated("direction");
    scratch.edit(
        "events/task.yaml",
        "resource: task\n",
        "resource: task\ndirection: client-to-server\n",
    );
    let text = expect_failure(&scratch, "check", &[]);
    assert!(
        text.contains("frozen message `task_created` changed direction"),
        "{text}"
    );
}
