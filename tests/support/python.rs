//! The Python tools pinned in `tests/py` (mypy and ruff in a venv from
//! `requirements.txt`, pyright from `package-lock.json`), installed when
//! missing: a tool that cannot be installed fails the test, never skips it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::workspace_root;

/// The pinned tools: the venv's `python`, `mypy` and `ruff`, and `pyright`.
pub struct Tools {
    pub python: PathBuf,
    pub mypy: PathBuf,
    pub ruff: PathBuf,
    pub pyright: PathBuf,
}

pub fn py_dir() -> PathBuf {
    workspace_root().join("tests/py")
}

/// Installs what is missing (one installer at a time across test binaries).
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let dir = py_dir();
        let venv = dir.join(".venv/bin");
        let tools = Tools {
            python: venv.join("python"),
            mypy: venv.join("mypy"),
            ruff: venv.join("ruff"),
            pyright: dir.join("node_modules/.bin/pyright"),
        };
        let lock = fs::File::open(dir.join("package-lock.json")).expect("tests/py lock file");
        lock.lock().expect("lock tests/py/package-lock.json");
        if !tools.mypy.exists() || !tools.ruff.exists() {
            run_ok(Command::new("python3").args(["-m", "venv", ".venv"]), &dir);
            run_ok(
                Command::new(venv.join("pip")).args([
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                    "requirements.txt",
                ]),
                &dir,
            );
        }
        if !tools.pyright.exists() {
            run_ok(
                Command::new("npm").args(["ci", "--no-audit", "--no-fund"]),
                &dir,
            );
        }
        for tool in [&tools.python, &tools.mypy, &tools.ruff, &tools.pyright] {
            assert!(tool.exists(), "{} is not installed", tool.display());
        }
        tools
    })
}

pub fn run_ok(command: &mut Command, dir: &Path) {
    let status = command
        .current_dir(dir)
        .status()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"));
    assert!(status.success(), "{command:?} failed in {}", dir.display());
}

/// Runs a tool in `dir`; its output on failure.
pub fn run(program: &Path, args: &[&str], dir: &Path) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", program.display()));
    super::outcome(&output)
}

/// Both type checkers, strict, on every `.py` file in `dir`.
pub fn type_check(dir: &Path) -> Result<(), String> {
    let tools = tools();
    fs::copy(
        py_dir().join("pyrightconfig.json"),
        dir.join("pyrightconfig.json"),
    )
    .expect("copy the pyright settings");
    let mypy = run(
        &tools.mypy,
        &[
            "--strict",
            "--python-version",
            "3.11",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            ".",
        ],
        dir,
    );
    let pyright = run(&tools.pyright, &["-p", "pyrightconfig.json"], dir);
    match (mypy, pyright) {
        (Ok(_), Ok(_)) => Ok(()),
        (mypy, pyright) => Err(format!(
            "mypy: {}\npyright: {}",
            mypy.err().unwrap_or_default(),
            pyright.err().unwrap_or_default()
        )),
    }
}

/// `ruff format --check` on `files` in `dir`: the diff it would make, if any.
pub fn format_check(dir: &Path, files: &[String]) -> Result<(), String> {
    let mut args = vec!["format", "--check", "--diff", "--isolated"];
    args.extend(files.iter().map(String::as_str));
    run(&tools().ruff, &args, dir).map(|_| ())
}
