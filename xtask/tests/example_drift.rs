//! Drift on a copy of the real example app (examples/): each kind of drift
//! makes `check` fail with a message that names the event and the place.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of schema/, generated/ and the example app's sources, laid out as
/// in the repository so the catalog's relative paths hold.
struct AppCopy {
    dir: PathBuf,
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "node_modules" || name == "dist" || name == "target" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl AppCopy {
    fn new(name: &str) -> AppCopy {
        let dir = std::env::temp_dir().join(format!("eventcat-app-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let root = repository();
        for part in [
            "schema",
            "generated",
            "examples/board-server/src",
            "examples/board-client/src",
        ] {
            copy_dir(&root.join(part), &dir.join(part));
        }
        for file in [
            "examples/board-client/tsconfig.json",
            "examples/board-client/package.json",
        ] {
            fs::copy(root.join(file), dir.join(file)).unwrap();
        }
        // The copy is a project of its own: this repository's package
        // settings (the generated crate inherits them) and its one catalog.
        let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let package = &manifest[manifest.find("[workspace.package]").unwrap()..];
        let package = &package[..package[1..]
            .find("\n[")
            .map_or(package.len(), |end| end + 1)];
        fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[workspace]\nmembers = []\n\n{package}\n[workspace.metadata.eventcat]\ncommand = \"cargo xtask\"\ncatalogs = [\"schema/catalog.yaml\"]\n"
            ),
        )
        .unwrap();
        // tsc runs when the client's packages are installed (CI installs them).
        let modules = root.join("examples/board-client/node_modules");
        if modules.exists() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(&modules, dir.join("examples/board-client/node_modules"))
                .unwrap();
        }
        AppCopy { dir }
    }

    fn check(&self) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("check")
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn fails(&self) -> String {
        let output = self.check();
        let text = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{text}");
        text
    }
}

impl Drop for AppCopy {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_example_app_agrees_with_the_catalog() {
    let app = AppCopy::new("clean");
    let output = app.check();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn deleting_an_emit_makes_the_event_dead() {
    let app = AppCopy::new("delete-emit");
    app.edit(
        "examples/board-server/src/tasks.rs",
        "        self.hub\n            .broadcast(BoardEvent::TaskDeleted(TaskDeletedPayload {\n                task_id,\n                subtask_ids: (!subtask_ids.is_empty()).then_some(subtask_ids),\n            }));\n",
        "        let _ = subtask_ids;\n",
    );
    let text = app.fails();
    assert!(
        text.contains(
            "error[dead-event]: `task_deleted` is in the catalog but no scanned code emits it"
        ),
        "{text}"
    );
    assert!(text.contains("schema/events/task.yaml:"), "{text}");
}

#[test]
fn an_unregistered_literal_is_named_where_it_is_emitted() {
    let app = AppCopy::new("literal");
    app.edit(
        "examples/board-server/src/runs.rs",
        "\"task_run_cancelled\"",
        "\"task_run_aborted\"",
    );
    let text = app.fails();
    assert!(
        text.contains(
            "error[unregistered-event]: `task_run_aborted` is emitted but is not in the catalog"
        ),
        "{text}"
    );
    assert!(
        text.contains("examples/board-server/src/runs.rs:167:"),
        "{text}"
    );
    assert!(
        text.contains("error[dead-event]: `task_run_cancelled`"),
        "{text}"
    );
}

#[test]
fn a_removed_handler_is_named() {
    let app = AppCopy::new("no-handler");
    app.edit(
        "examples/board-client/src/handlers.ts",
        "    tasks_restructured: (_payload, envelope) => {\n      store.record(\"tasks_restructured\", envelope);\n      store.refetch(\"task_tree\");\n    },\n",
        "",
    );
    let text = app.fails();
    assert!(
        text.contains(
            "error[unhandled-event]: the handler map has no entry for `tasks_restructured`"
        ),
        "{text}"
    );
    assert!(
        text.contains("examples/board-client/src/handlers.ts:"),
        "{text}"
    );
}

#[test]
fn a_handler_for_no_event_is_named() {
    let app = AppCopy::new("extra-handler");
    app.edit(
        "examples/board-client/src/handlers.ts",
        "    task_updated: (payload, envelope) => {",
        "    task_exploded: () => undefined,\n    task_updated: (payload, envelope) => {",
    );
    let text = app.fails();
    assert!(
        text.contains(
            "error[unknown-handler]: handler for `task_exploded`, which is not a catalog event"
        ),
        "{text}"
    );
    assert!(
        text.contains("examples/board-client/src/handlers.ts:"),
        "{text}"
    );
}

#[test]
fn a_hand_edited_generated_file_is_named_with_a_diff() {
    let app = AppCopy::new("hand-edit");
    app.edit("generated/ts/board.ts", "  \"task_run_cancelled\",\n", "");
    let text = app.fails();
    assert!(
        text.contains("error[stale-output]: generated file `"),
        "{text}"
    );
    assert!(
        text.contains("generated/ts/board.ts` is stale or was edited by hand"),
        "{text}"
    );
    assert!(text.contains("+  \"task_run_cancelled\","), "{text}");
}
