//! The cargo-xtask route: a workspace outside this repository whose own
//! `tools/xtask` is README's few lines over the `eventcat` library.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{Repo, fails, repository, succeeds};

/// README's `xtask/src/main.rs`, word for word.
fn readme_xtask_main() -> String {
    let readme = std::fs::read_to_string(repository().join("README.md")).unwrap();
    let start = readme
        .find("```rust\n// xtask/src/main.rs\n")
        .expect("README shows xtask/src/main.rs");
    let body = &readme[start + "```rust\n".len()..];
    body[..body.find("```").unwrap()].to_string()
}

fn cargo(repo: &Repo, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(&repo.dir)
        // Its own target directory: this test runs inside a cargo command
        // that holds the workspace's. Offline: the lock pins what is cached.
        .env("CARGO_TARGET_DIR", repository().join("target/xtask-route"))
        .env("CARGO_NET_OFFLINE", "true")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn a_workspace_runs_eventcat_through_its_own_tools_xtask() {
    let repo = Repo::new("xtask-route");
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"tools/xtask\"]\nresolver = \"3\"\n",
    );
    repo.write(
        ".cargo/config.toml",
        "[alias]\nxtask = \"run --quiet --package xtask --\"\n",
    );
    repo.write(
        "tools/xtask/Cargo.toml",
        &format!(
            "[package]\nname = \"xtask\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\neventcat = {{ path = \"{}\" }}\n",
            repository().join("cli").display()
        ),
    );
    repo.write("tools/xtask/src/main.rs", &readme_xtask_main());
    std::fs::copy(repository().join("Cargo.lock"), repo.dir.join("Cargo.lock")).unwrap();

    let init = succeeds(&cargo(&repo, &["xtask", "init", "--channel", "board"]));
    assert!(
        init.contains("cargo xtask gen"),
        "next steps name the xtask route:\n{init}"
    );
    assert!(
        repo.read("Cargo.toml")
            .contains("command = \"cargo xtask\"")
    );
    succeeds(&cargo(&repo, &["xtask", "gen"]));
    let module = repo.read("generated/board-events/src/board.rs");
    assert!(
        module.contains("run `cargo xtask gen`"),
        "{}",
        &module[..300]
    );
    assert!(
        repo.read("generated/board-events/Cargo.toml")
            .contains("edition = \"2021\"")
    );
    succeeds(&cargo(&repo, &["xtask", "check"]));

    // The generated crate builds with the default edition, in the user's workspace.
    repo.edit(
        "Cargo.toml",
        "members = [\"tools/xtask\"]",
        "members = [\"tools/xtask\", \"generated/board-events\"]",
    );
    succeeds(&cargo(&repo, &["check", "--quiet", "-p", "board-events"]));

    // From a subdirectory, the same project.
    let sub = Command::new(env!("CARGO"))
        .args(["xtask", "check"])
        .current_dir(repo.dir.join("tools/xtask"))
        .env("CARGO_TARGET_DIR", repository().join("target/xtask-route"))
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap();
    succeeds(&sub);

    // A hand edit of a generated file fails check with the xtask command in the hint.
    repo.edit("generated/board-events.md", "# ", "#  ");
    let stale = fails(&cargo(&repo, &["xtask", "check"]));
    assert!(stale.contains("run `cargo xtask gen`"), "{stale}");
    assert!(Path::new(&repo.dir.join("generated/board-events.md")).exists());
}
