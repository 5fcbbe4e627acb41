//! Scans of small repositories written to a temporary directory.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::test_dir::TestDir;

/// A repository in a test directory of its own, removed when dropped
/// (also when a test fails).
struct Repo {
    root: TestDir,
}

impl Repo {
    fn new(name: &str, files: &[(&str, &[u8])]) -> Repo {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let root = TestDir::new(&format!("scan-{name}-{unique}"));
        for (path, contents) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        Repo { root }
    }
}

const RUST_BACKEND: &str = r#"use axum::extract::State;
use serde_json::json;

async fn create_task(State(hub): State<Hub>) -> Json<Task> {
    let task = Task::new();
    broadcast_board_event(&hub, "task_created", json!({ "task_id": task.id }));
    Json(task)
}

fn send_run_update(hub: &Hub, event_type: &str, run: &Run) {
    broadcast_board_event(hub, event_type, json!({ "task_run_id": run.id }));
}

async fn start_run(hub: Hub, run: Run) {
    send_run_update(&hub, "task_run_started", &run);
    hub.broadcast_board_event(&run, "task_run_completed".to_string());
    let name = format!("task_run_{}", run.state);
    broadcast_board_event(&hub, &name, json!({}));
}

#[cfg(test)]
mod tests {
    #[test]
    fn emits() {
        super::broadcast_board_event(&hub(), "task_archived", json!({}));
    }
}
"#;

const PYTHON_SYNC: &str = r#"import asyncio


async def abroadcast_board_event(project_id, event_type, payload):
    await manager.broadcast(project_id, {"event_type": event_type, "payload": payload})


def broadcast_board_event(project_id, event_type, payload):
    asyncio.run(abroadcast_board_event(project_id, event_type, payload))


def touch(project_id, kind):
    broadcast_board_event(project_id, kind, {})
"#;

const PYTHON_ROUTES: &str = r#"from .sync import abroadcast_board_event, broadcast_board_event, touch


async def update_task(project_id, task):
    await abroadcast_board_event(project_id, "task_updated", {"task_id": task.id})
    # await abroadcast_board_event(project_id, "task_commented", {})
    log.info("abroadcast_board_event(project_id, 'task_fake', {})")
    await abroadcast_board_event(project_id, f"task_{task.state}", {})
    broadcast_board_event(project_id, event_type="phase_created", payload={})
    touch(project_id, "task_touched")
    notice = """
    broadcast_board_event(project_id, "task_in_docstring", {})
    """
    await abroadcast_board_event(project_id, f"phase_deleted", {})
"#;

const PYTHON_TEST: &str = r#"from app.sync import broadcast_board_event


def test_broadcast():
    broadcast_board_event(1, "task_deleted", {})
"#;

const NODE_BACKEND: &str = r#"const { Server } = require("socket.io");

const io = new Server(httpServer);
// io.emit('task_commented', {});
function removeTask(id, kind) {
  io.emit('task_deleted', { task_id: id });
  io.to(room).emit(`task_${kind}`, {});
  const s = "io.emit('task_fake')";
}
"#;

const FRONTEND: &str = r#"import { useEffect } from "react";

export function useBoard(socket: WebSocket) {
  const handlers = {
    task_created: (payload: Payload) => refetch(payload.task_id),
    "task_updated": refetchAll,
  };
  useEffect(() => {
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      switch (data.type) {
        case "task_created":
          handlers.task_created(data.payload);
          break;
        case 'task_deleted': {
          const note = `case "fake": ${data.type}`;
          break;
        }
      }
    };
  }, [socket]);
  return <p className="board">Don't panic</p>;
}
"#;

fn seed_like_repo() -> Repo {
    Repo::new(
        "seed",
        &[
            ("backend/src/main.rs", RUST_BACKEND.as_bytes()),
            ("backend/src/broken.rs", b"fn broken( {\n"),
            ("api/app/sync.py", PYTHON_SYNC.as_bytes()),
            ("api/app/routes.py", PYTHON_ROUTES.as_bytes()),
            ("api/tests/test_broadcast.py", PYTHON_TEST.as_bytes()),
            ("server/index.js", NODE_BACKEND.as_bytes()),
            ("web/src/useBoard.tsx", FRONTEND.as_bytes()),
            (
                "web/src/board.test.ts",
                b"switch (msg.kind) { case \"task_tested\": break; }\n",
            ),
            (
                "web/src/types.d.ts",
                b"declare const handlers = { dts_key: 1 };\n",
            ),
            ("web/tsconfig.json", b"{}\n"),
            (
                "web/node_modules/lib/index.js",
                b"io.emit('nm_event'); switch (m.type) { case \"nm_case\": }\n",
            ),
            ("web/.cache/x.js", b"io.emit('hidden_event');\n"),
        ],
    )
}

/// (path, line, name, function, argument, in_test) of each emit site.
fn emit_rows(scan: &Scan) -> Vec<(String, usize, String, String, usize, bool)> {
    scan.emits
        .iter()
        .map(|site| {
            let SiteKind::Emit { function, argument } = &site.kind else {
                panic!("not an emit: {site:?}");
            };
            let path = site.path.to_string_lossy().replace('\\', "/");
            (
                path,
                site.line,
                site.name.clone(),
                function.clone(),
                *argument,
                site.in_test,
            )
        })
        .collect()
}

fn row(
    path: &str,
    line: usize,
    name: &str,
    function: &str,
    argument: usize,
    in_test: bool,
) -> (String, usize, String, String, usize, bool) {
    (
        path.into(),
        line,
        name.into(),
        function.into(),
        argument,
        in_test,
    )
}

#[test]
fn finds_emits_in_rust_python_and_node_backends() {
    let repo = seed_like_repo();
    let scan = scan(&repo.root, &ScanOptions::default());
    assert_eq!(
        emit_rows(&scan),
        [
            row(
                "api/app/routes.py",
                5,
                "task_updated",
                "abroadcast_board_event",
                1,
                false
            ),
            row(
                "api/app/routes.py",
                9,
                "phase_created",
                "broadcast_board_event",
                1,
                false
            ),
            row("api/app/routes.py", 10, "task_touched", "touch", 1, false),
            row(
                "api/app/routes.py",
                14,
                "phase_deleted",
                "abroadcast_board_event",
                1,
                false
            ),
            row(
                "api/tests/test_broadcast.py",
                5,
                "task_deleted",
                "broadcast_board_event",
                1,
                true
            ),
            row(
                "backend/src/main.rs",
                6,
                "task_created",
                "broadcast_board_event",
                1,
                false
            ),
            row(
                "backend/src/main.rs",
                15,
                "task_run_started",
                "send_run_update",
                1,
                false
            ),
            row(
                "backend/src/main.rs",
                16,
                "task_run_completed",
                "broadcast_board_event",
                1,
                false
            ),
            row(
                "backend/src/main.rs",
                25,
                "task_archived",
                "broadcast_board_event",
                1,
                true
            ),
            row("server/index.js", 6, "task_deleted", "emit", 0, false),
        ]
    );
    // Columns are 1-based characters, at the literal.
    assert_eq!(
        (
            scan.emits[0].column,
            scan.emits[5].column,
            scan.emits[9].column
        ),
        (46, 33, 11)
    );
    let unverifiable: Vec<_> = scan
        .unverifiable
        .iter()
        .map(|call| {
            (
                call.path.to_string_lossy().replace('\\', "/"),
                call.line,
                call.function.as_str(),
            )
        })
        .collect();
    assert_eq!(
        unverifiable,
        [
            ("api/app/routes.py".to_string(), 8, "abroadcast_board_event"),
            (
                "backend/src/main.rs".to_string(),
                18,
                "broadcast_board_event"
            ),
            ("server/index.js".to_string(), 7, "emit"),
        ]
    );
}

#[test]
fn lists_emit_functions_and_problems() {
    let repo = seed_like_repo();
    let scan = scan(&repo.root, &ScanOptions::default());
    let functions: Vec<_> = scan
        .emit_functions
        .iter()
        .map(|function| {
            (
                function.language,
                function.name.as_str(),
                function.argument.clone(),
                function.origin,
            )
        })
        .collect();
    use Argument::Position;
    use Language::{JavaScript, Python, Rust};
    assert_eq!(
        functions,
        [
            (Rust, "broadcast_board_event", Position(1), Origin::Detected),
            (Rust, "send_run_update", Position(1), Origin::Wrapper),
            (
                Python,
                "abroadcast_board_event",
                Position(1),
                Origin::Detected
            ),
            (
                Python,
                "broadcast_board_event",
                Position(1),
                Origin::Detected
            ),
            (Python, "touch", Position(1), Origin::Wrapper),
            (JavaScript, "emit", Position(0), Origin::Detected),
        ]
    );
    assert_eq!(scan.problems.len(), 1, "{:?}", scan.problems);
    assert!(
        scan.problems[0]
            .starts_with("backend/src/broken.rs: not scanned, it does not parse as Rust: 1:")
    );
    assert_eq!(scan.skipped, Skipped::default());
}

#[test]
fn finds_frontend_handlers_and_skips_dependencies() {
    let repo = seed_like_repo();
    let scan = scan(&repo.root, &ScanOptions::default());
    let handlers: Vec<_> = scan
        .handlers
        .iter()
        .map(|site| {
            let path = site.path.to_string_lossy().replace('\\', "/");
            (
                path,
                site.line,
                site.column,
                site.name.as_str(),
                site.kind.clone(),
                site.in_test,
            )
        })
        .collect();
    let at = |path: &str, line, column, name, kind, in_test| {
        (path.to_string(), line, column, name, kind, in_test)
    };
    assert_eq!(
        handlers,
        [
            at(
                "web/src/board.test.ts",
                1,
                26,
                "task_tested",
                SiteKind::SwitchCase,
                true
            ),
            at(
                "web/src/useBoard.tsx",
                5,
                5,
                "task_created",
                SiteKind::HandlerKey,
                false
            ),
            at(
                "web/src/useBoard.tsx",
                6,
                5,
                "task_updated",
                SiteKind::HandlerKey,
                false
            ),
            at(
                "web/src/useBoard.tsx",
                12,
                14,
                "task_created",
                SiteKind::SwitchCase,
                false
            ),
            at(
                "web/src/useBoard.tsx",
                15,
                14,
                "task_deleted",
                SiteKind::SwitchCase,
                false
            ),
        ]
    );
    let everything = format!("{scan:?}");
    for hidden in [
        "nm_event",
        "nm_case",
        "hidden_event",
        "dts_key",
        "fake",
        "task_commented",
        "task_in_docstring",
    ] {
        assert!(!everything.contains(hidden), "{hidden} was found");
    }
}

#[test]
fn given_emit_functions_are_honoured_and_non_event_literals_ignored() {
    let repo = Repo::new(
        "given",
        &[
            (
                "app/track.py",
                b"def page(user):\n    record(user, \"Page Viewed\")\n    record(user, event_name)\n    emit(\"Hello world\")\n    emit(greeting)\n",
            ),
            ("web/send.ts", b"sendIt(socket, \"task_moved\");\nsendIt(socket, 'task_moved');\n"),
        ],
    );
    let options = ScanOptions {
        emit_functions: vec![
            ("record".into(), Some(1)),
            ("sendIt".into(), None),
            ("never_called".into(), None),
        ],
        exclude: Vec::new(),
    };
    let scan = scan(&repo.root, &options);
    assert_eq!(
        emit_rows(&scan),
        [
            row("app/track.py", 2, "Page Viewed", "record", 1, false),
            row("web/send.ts", 1, "task_moved", "sendIt", 1, false),
            row("web/send.ts", 2, "task_moved", "sendIt", 1, false),
        ]
    );
    let unverifiable: Vec<_> = scan
        .unverifiable
        .iter()
        .map(|call| (call.line, call.function.as_str()))
        .collect();
    assert_eq!(unverifiable, [(3, "record")]);
    let functions: Vec<_> = scan
        .emit_functions
        .iter()
        .map(|function| (function.name.as_str(), function.origin))
        .collect();
    assert_eq!(
        functions,
        [("record", Origin::Given), ("sendIt", Origin::Given)]
    );
    assert_eq!(
        scan.problems,
        ["emit function `never_called` is called nowhere"]
    );
}

#[test]
fn walk_skips_excluded_large_hidden_and_non_utf8_files() {
    let large = vec![b' '; MAX_FILE_SIZE as usize + 1];
    let repo = Repo::new(
        "walk",
        &[
            ("src/a.py", b"emit(\"a_happened\")\n"),
            ("src/big.py", &large),
            ("src/latin1.py", b"emit('\xe9t\xe9_happened')\n"),
            ("generated/b.py", b"emit(\"b_happened\")\n"),
            (".venv/lib/c.py", b"emit(\"c_happened\")\n"),
            ("venv/lib/d.py", b"emit(\"d_happened\")\n"),
            ("src/__pycache__/e.py", b"emit(\"e_happened\")\n"),
        ],
    );
    let options = ScanOptions {
        emit_functions: Vec::new(),
        exclude: vec![PathBuf::from("./generated"), repo.root.join("nothing/here")],
    };
    let scan = scan(&repo.root, &options);
    let names: Vec<_> = scan.emits.iter().map(|site| site.name.as_str()).collect();
    assert_eq!(names, ["a_happened"]);
    assert_eq!(
        scan.skipped,
        Skipped {
            too_large: 1,
            not_utf8: 1
        }
    );
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
}

#[test]
fn a_missing_root_is_a_problem_not_a_panic() {
    let scan = scan(
        Path::new("/nonexistent/eventcat/scan/root"),
        &ScanOptions::default(),
    );
    assert_eq!(scan.problems.len(), 1);
    assert!(scan.emits.is_empty() && scan.handlers.is_empty());
}

#[test]
fn source_dirs_and_tsconfig() {
    let repo = seed_like_repo();
    let scan = scan(&repo.root, &ScanOptions::default());
    let not_tests: Vec<Site> = scan
        .emits
        .iter()
        .filter(|site| !site.in_test)
        .cloned()
        .collect();
    assert_eq!(
        source_dirs(&not_tests, Language::Rust),
        [PathBuf::from("backend/src")]
    );
    assert_eq!(
        source_dirs(&scan.emits, Language::Python),
        [PathBuf::from("api/app"), PathBuf::from("api/tests")]
    );
    let frontend = source_dirs(&scan.handlers, Language::JavaScript);
    assert_eq!(frontend, [PathBuf::from("web/src")]);
    assert_eq!(
        find_tsconfig(&repo.root, &frontend[0]),
        Some(PathBuf::from("web/tsconfig.json"))
    );
    assert_eq!(find_tsconfig(&repo.root, Path::new("backend/src")), None);
    assert_eq!(find_tsconfig(&repo.root, Path::new("../web")), None);

    let site = |path: &str| Site {
        path: PathBuf::from(path),
        language: Language::Rust,
        ..not_tests[0].clone()
    };
    let nested = [site("a/b/x.rs"), site("a/y.rs"), site("c/z.rs")];
    assert_eq!(
        source_dirs(&nested, Language::Rust),
        [PathBuf::from("a"), PathBuf::from("c")]
    );
    assert_eq!(
        source_dirs(&[site("a/y.rs"), site("main.rs")], Language::Rust),
        [PathBuf::from(".")]
    );
}

#[test]
fn event_names_and_test_paths() {
    for name in [
        "task_created",
        "task.created",
        "a",
        "v2:ready",
        "run-1_done",
    ] {
        assert!(looks_like_event_name(name), "{name}");
    }
    for name in [
        "",
        "Hello world",
        "Task",
        "task__x",
        "task_",
        "_task",
        "1task",
        "task created",
        "tâche",
    ] {
        assert!(!looks_like_event_name(name), "{name}");
    }
    for path in [
        "tests/a.rs",
        "api/test/x.js",
        "test_ws.py",
        "a/ws_test.go",
        "b.test.ts",
        "c.spec.tsx",
        "src/__tests__/d.js",
    ] {
        assert!(is_test_path(Path::new(path)), "{path}");
    }
    for path in ["src/testing.rs", "src/latest.py", "contest.ts"] {
        assert!(!is_test_path(Path::new(path)), "{path}");
    }
}

#[test]
fn truncated_sources_do_not_panic() {
    // Every prefix of the fixtures: unterminated strings, templates,
    // brackets and definitions everywhere.
    let texts = [
        (PYTHON_ROUTES, Grammar::Python),
        (PYTHON_SYNC, Grammar::Python),
        (NODE_BACKEND, Grammar::Tsx),
        (FRONTEND, Grammar::Tsx),
    ];
    for (text, grammar) in texts {
        for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
            let source = Source::parse(&text[..end], grammar);
            let _ = calls::extract(&source);
            let _ = handlers::find(&source, Path::new("x"), false);
        }
    }
    for end in (0..=RUST_BACKEND.len()).filter(|&end| RUST_BACKEND.is_char_boundary(end)) {
        let _ = rust::parse(&RUST_BACKEND[..end]);
    }
}
