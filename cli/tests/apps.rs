//! The example apps of `examples/apps/`, each a standalone eventcat project
//! modelled on a seed (000: a Python backend with literal
//! `broadcast_board_event` emits and a `task_run_*` wrapper; 002: a Python
//! backend broadcasting flat message dicts; 004: a Node SSE server
//! broadcasting `{type, payload}`), proven end to end with the built
//! `eventcat` binary in copies outside this repository: each passes `check`
//! as committed, and fails it with the right rule, event and place once an
//! emit is deleted, an unregistered name is emitted, or a computed name is
//! passed. The Python backends pass `mypy --strict` and strict pyright with
//! the generated module (and fail them on a wrong payload key), the Node
//! backend passes the strict `tsc` of `tests/ts` (and fails it likewise) and
//! streams its events to a client over loopback.

// Both support modules look up the corpora with `tests/support/corpora.rs`.
#![allow(clippy::duplicate_mod)]

mod support;

#[path = "../../tests/support/mod.rs"]
mod harness;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::{Repo, fails, repository, succeeds};

/// A fresh copy of `examples/apps/<app>`, without build and cache output.
fn copy_app(app: &str, label: &str) -> Repo {
    let repo = Repo::new(&format!("app-{app}-{label}"));
    copy_dir(&repository().join("examples/apps").join(app), &repo.dir);
    repo
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let skipped = [
            "node_modules",
            "dist",
            "__pycache__",
            ".mypy_cache",
            ".ruff_cache",
            ".venv",
        ];
        if skipped.iter().any(|skip| name == *skip) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// `path:line:column` (1-based) of the first `needle` in the file.
fn place(repo: &Repo, path: &str, needle: &str) -> String {
    let text = repo.read(path);
    let (number, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains(needle))
        .unwrap_or_else(|| panic!("{path} has no `{needle}`:\n{text}"));
    let column = line[..line.find(needle).unwrap()].chars().count() + 1;
    format!("{path}:{}:{column}", number + 1)
}

/// A change to one app file that `check` must reject.
enum Change {
    /// Replaces the text (which must be there) by another.
    Replace(&'static str, &'static str),
    /// Appends the text to the file.
    Append(&'static str),
}

struct Mutation {
    file: &'static str,
    change: Change,
    /// The first line of the finding (`error[rule]: ...`).
    finding: &'static str,
    /// Text of the emit site that the finding points at, when it points at code.
    at: Option<&'static str>,
}

/// The app as committed passes `check`; each mutation, applied to a fresh
/// copy, fails it with its finding, at its place.
fn check_app(app: &str, mutations: &[Mutation]) {
    let repo = copy_app(app, "as-committed");
    let clean = succeeds(&repo.eventcat(&["check", "--deny-warnings"]));
    assert!(clean.contains("generated files are up to date"), "{clean}");
    drop(repo);
    for (index, mutation) in mutations.iter().enumerate() {
        let repo = copy_app(app, &format!("mutation-{index}"));
        match mutation.change {
            Change::Replace(from, to) => repo.edit(mutation.file, from, to),
            Change::Append(text) => {
                let before = repo.read(mutation.file);
                repo.write(mutation.file, &format!("{before}{text}"));
            }
        }
        let check = fails(&repo.eventcat(&["check"]));
        assert!(
            check.contains(mutation.finding),
            "{app}, {}: expected `{}`:\n{check}",
            mutation.file,
            mutation.finding
        );
        if let Some(needle) = mutation.at {
            let at = place(&repo, mutation.file, needle);
            assert!(
                check.contains(&format!("--> {at}\n")),
                "{app}: expected the finding at {at}:\n{check}"
            );
        }
        assert_eq!(
            check.matches("error[").count(),
            1,
            "{app}: one finding, nothing else:\n{check}"
        );
    }
}

#[test]
fn seed_000_python_backend_is_checked_for_drift() {
    check_app(
        "seed-000-python",
        &[
            // An emit through the task_run_* wrapper, deleted.
            Mutation {
                file: "api/task_runs.py",
                change: Change::Replace(
                    "    broadcast_task_run_event(\"task_run_cancelled\", run)\n",
                    "    print(run)\n",
                ),
                finding: "error[dead-event]: `task_run_cancelled` is in the catalog but no scanned code emits it",
                at: None,
            },
            // A direct emit, deleted.
            Mutation {
                file: "api/tasks.py",
                change: Change::Replace(
                    "    broadcast_board_event(\"task_updated\", {\"task_id\": task_id, \"fields\": fields})\n",
                    "    print(fields)\n",
                ),
                finding: "error[dead-event]: `task_updated` is in the catalog but no scanned code emits it",
                at: None,
            },
            Mutation {
                file: "api/tasks.py",
                change: Change::Append(
                    "\n\ndef archive_task(task_id: int) -> None:\n    broadcast_board_event(\"task_archived\", {\"task_id\": task_id})\n",
                ),
                finding: "error[unregistered-event]: `task_archived` is emitted but is not in the catalog",
                at: Some("\"task_archived\""),
            },
            // Through the wrapper too.
            Mutation {
                file: "api/task_runs.py",
                change: Change::Append(
                    "\n\ndef pause_run(run: TaskRun) -> None:\n    broadcast_task_run_event(\"task_run_paused\", run)\n",
                ),
                finding: "error[unregistered-event]: `task_run_paused` is emitted but is not in the catalog",
                at: Some("\"task_run_paused\""),
            },
            Mutation {
                file: "api/task_runs.py",
                change: Change::Append(
                    "\n\ndef finish_run_as(run: TaskRun, outcome: str) -> None:\n    broadcast_task_run_event(f\"task_run_{outcome}\", run)\n",
                ),
                finding: "error[unverifiable-emit]: `broadcast_task_run_event` gets an event name that is not a string literal",
                at: Some("f\"task_run_{outcome}\""),
            },
            Mutation {
                file: "api/tasks.py",
                change: Change::Append(
                    "\n\nasync def touch_task(task_id: int, verb: str) -> None:\n    event = \"task_\" + verb\n    await abroadcast_board_event(event, {\"task_id\": task_id})\n",
                ),
                finding: "error[unverifiable-emit]: `abroadcast_board_event` gets an event name that is not a string literal",
                at: Some("event, {\"task_id\""),
            },
        ],
    );
}

#[test]
fn seed_002_python_backend_is_checked_for_drift() {
    check_app(
        "seed-002-python",
        &[
            Mutation {
                file: "codeframe/ui/websocket_broadcasts.py",
                change: Change::Replace(
                    "    await manager.broadcast(
        {
            \"type\": \"agent_retired\",
            \"project_id\": project_id,
            \"agent_id\": agent_id,
            \"tasks_completed\": tasks_completed,
            \"timestamp\": _now(),
        }
    )
",
                    "    print(manager, project_id, agent_id, tasks_completed)\n",
                ),
                finding: "error[dead-event]: `agent_retired` is in the catalog but no scanned code emits it",
                at: None,
            },
            Mutation {
                file: "codeframe/ui/websocket_broadcasts.py",
                change: Change::Append(
                    "\n\nasync def broadcast_agent_paused(manager: ConnectionManager, project_id: int) -> None:\n    await manager.broadcast({\"type\": \"agent_paused\", \"project_id\": project_id, \"timestamp\": _now()})\n",
                ),
                finding: "error[unregistered-event]: `agent_paused` is emitted but is not in the catalog",
                at: Some("\"agent_paused\""),
            },
            Mutation {
                file: "codeframe/ui/websocket_broadcasts.py",
                change: Change::Append(
                    "\n\nasync def broadcast_agent_event(manager: ConnectionManager, project_id: int, what: str) -> None:\n    await manager.broadcast({\"type\": f\"agent_{what}\", \"project_id\": project_id, \"timestamp\": _now()})\n",
                ),
                finding: "error[unverifiable-emit]: `broadcast` gets an event name that is not a string literal",
                at: Some("{\"type\": f\"agent_"),
            },
        ],
    );
}

#[test]
fn seed_004_node_backend_is_checked_for_drift() {
    check_app(
        "seed-004-node",
        &[
            Mutation {
                file: "server/src/sse/listeners.ts",
                change: Change::Replace(
                    "  broadcast(\"*\", { type: \"agent_registered\", payload: { agent, label } });\n",
                    "  console.log(agent, label);\n",
                ),
                finding: "error[dead-event]: `agent_registered` is in the catalog but no scanned code emits it",
                at: None,
            },
            // Sent on one connection, by the handler.
            Mutation {
                file: "server/src/sse/handlers.ts",
                change: Change::Replace(
                    "  sendEvent(res, { type: \"hello\", payload: { serverTime: new Date().toISOString() } });\n",
                    "",
                ),
                finding: "error[dead-event]: `hello` is in the catalog but no scanned code emits it",
                at: None,
            },
            Mutation {
                file: "server/src/sse/listeners.ts",
                change: Change::Append(
                    "\nexport function onAttemptPaused(attempt: Attempt): void {\n  broadcast(attempt.boardId, { type: \"attempt_paused\", payload: { attemptId: attempt.id } });\n}\n",
                ),
                finding: "error[unregistered-event]: `attempt_paused` is emitted but is not in the catalog",
                at: Some("\"attempt_paused\""),
            },
            Mutation {
                file: "server/src/sse/listeners.ts",
                change: Change::Append(
                    "\nexport function onAttemptEvent(attempt: Attempt, kind: string): void {\n  broadcast(attempt.boardId, { type: `attempt_${kind}`, payload: { attemptId: attempt.id } });\n}\n",
                ),
                finding: "error[unverifiable-emit]: `broadcast` gets an event name that is not a string literal",
                at: Some("{ type: `attempt_"),
            },
        ],
    );
}

/// Runs every `test_*` function of the app's test module with the venv's Python.
fn run_python_tests(repo: &Repo, module: &str) {
    let python = &harness::python::tools().python;
    let script = "import importlib, sys\nmodule = importlib.import_module(sys.argv[1])\nnames = [n for n in dir(module) if n.startswith('test_')]\nassert names\nfor name in names:\n    getattr(module, name)()\n";
    harness::python::run(python, &["-c", script, module], &repo.dir)
        .unwrap_or_else(|output| panic!("{module}: {output}"));
}

/// The backend passes mypy --strict and strict pyright with its generated
/// module, and is formatted; a payload key the event does not have fails the
/// type check at its file.
fn type_check_python(app: &str, test_module: &str, file: &str, from: &str, to: &str) {
    let repo = copy_app(app, "types");
    harness::python::type_check(&repo.dir).unwrap_or_else(|output| panic!("{app}: {output}"));
    fs::remove_file(repo.dir.join("pyrightconfig.json")).unwrap();
    let mut files = Vec::new();
    python_files(&repo.dir, &repo.dir, &mut files);
    assert!(files.len() >= 4, "{files:?}");
    harness::python::format_check(&repo.dir, &files)
        .unwrap_or_else(|diff| panic!("{app}: ruff format:\n{diff}"));
    run_python_tests(&repo, test_module);

    repo.edit(file, from, to);
    let errors = harness::python::type_check(&repo.dir)
        .expect_err("a wrong payload key fails the type check");
    assert!(errors.contains(file), "{app}: {errors}");
}

fn python_files(root: &Path, dir: &Path, files: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            python_files(root, &path, files);
        } else if path.extension().is_some_and(|ext| ext == "py") {
            let relative = path.strip_prefix(root).unwrap();
            files.push(relative.to_string_lossy().into_owned());
        }
    }
}

#[test]
fn seed_000_python_backend_type_checks_with_its_module() {
    type_check_python(
        "seed-000-python",
        "api.tests.test_broadcast",
        "api/tasks.py",
        "{\"task_id\": task.id, \"phase_id\": phase_id}",
        "{\"task_id\": task.id, \"phase\": phase_id}",
    );
}

#[test]
fn seed_002_python_backend_type_checks_with_its_module() {
    type_check_python(
        "seed-002-python",
        "tests.test_pool",
        "codeframe/ui/websocket_broadcasts.py",
        "\"agent_type\": agent_type,",
        "\"agent_kind\": agent_type,",
    );
}

/// The Node backend compiles under the strict `tsc` of `tests/ts` (its
/// `@types/node` too) with its generated module; a payload key the event
/// does not have fails the compile at its file.
#[test]
fn seed_004_node_backend_type_checks_with_its_module() {
    let tsc = harness::tsc();
    let repo = copy_app("seed-004-node", "types");
    std::os::unix::fs::symlink(
        harness::ts_dir().join("node_modules"),
        repo.dir.join("node_modules"),
    )
    .unwrap();
    let compile = || {
        let output = Command::new(&tsc)
            .args(["-p", "tsconfig.json", "--noEmit"])
            .current_dir(&repo.dir)
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (ok, output) = compile();
    assert!(ok, "tsc:\n{output}");
    repo.edit(
        "server/src/sse/listeners.ts",
        "payload: { attemptId: attempt.id, cardId: attempt.cardId },",
        "payload: { attemptId: attempt.id, card: attempt.cardId },",
    );
    let (ok, output) = compile();
    assert!(
        !ok && output.contains("server/src/sse/listeners.ts"),
        "tsc:\n{output}"
    );
}

/// A child process killed when dropped, so a failed assertion leaves no server behind.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends one HTTP/1.0 request; the response's status line.
fn request(port: u16, method: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.lines().next().unwrap_or_default().to_string()
}

/// The Node backend runs: a board stream gets `hello`, then every message an
/// attempt on its board broadcasts, then an agent registered (a global
/// event); each SSE event is named after its message's type, and its data is
/// the `{type, payload}` envelope.
#[test]
fn seed_004_node_backend_streams_its_events() {
    use std::io::{BufRead, BufReader, Write};
    let tsc = harness::tsc();
    let repo = copy_app("seed-004-node", "run");
    std::os::unix::fs::symlink(
        harness::ts_dir().join("node_modules"),
        repo.dir.join("node_modules"),
    )
    .unwrap();
    let build = Command::new(&tsc)
        .args(["-p", "tsconfig.json"])
        .current_dir(&repo.dir)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stdout)
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Server(
        Command::new("node")
            .arg("dist/main.js")
            .env("PORT", port.to_string())
            .current_dir(&repo.dir)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node is installed"),
    );
    let mut listening = String::new();
    BufReader::new(server.0.stdout.as_mut().unwrap())
        .read_line(&mut listening)
        .unwrap();
    assert!(listening.contains("/sse/board"), "{listening}");

    assert!(request(port, "GET", "/sse/board").contains(" 400 "));
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(stream, "GET /sse/board?boardId=b1 HTTP/1.0\r\n\r\n").unwrap();
    let mut lines = BufReader::new(stream).lines().map(|line| line.unwrap());
    let mut next_event = || {
        let name = lines
            .by_ref()
            .find_map(|line| line.strip_prefix("event: ").map(str::to_string))
            .expect("an SSE event");
        let data = lines.next().expect("its data");
        let data = data.strip_prefix("data: ").expect("a data line");
        let message: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(message["type"], name.as_str(), "{data}");
        assert!(message["payload"].is_object(), "{data}");
        assert_eq!(message.as_object().unwrap().len(), 2, "{data}");
        message
    };
    assert_eq!(next_event()["type"], "hello");

    let status = request(port, "POST", "/boards/b1/cards/card-1/attempts");
    assert!(status.contains(" 201 "), "{status}");
    let status = request(port, "POST", "/agents/CODEX?label=Codex");
    assert!(status.contains(" 204 "), "{status}");
    let expected = [
        "attempt_started",
        "attempt_status",
        "attempt_log",
        "git_commit",
        "attempt_status",
        "agent_registered",
    ];
    let received: Vec<serde_json::Value> = expected.iter().map(|_| next_event()).collect();
    let types: Vec<&str> = received
        .iter()
        .map(|message| message["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, expected);
    assert_eq!(received[0]["payload"]["cardId"], "card-1");
    assert_eq!(received[4]["payload"]["status"], "succeeded");
    assert_eq!(
        received[5]["payload"],
        serde_json::json!({"agent": "CODEX", "label": "Codex"})
    );
}
