//! Helpers shared by the reliability tests: scratch directories, running the
//! library pipeline, and the TypeScript compiler of the `tests/ts` harness.
//!
//! Each test binary uses a different subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use eventcat_codegen::diagnostic::{Diagnostic, Report};
use eventcat_codegen::output::OutputFile;
use eventcat_codegen::source::Sources;

/// The workspace root (the parent of this `tests` package).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The workspace's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// A directory removed on drop (kept when `EVENTCAT_KEEP_TEMP` is set, for debugging).
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("eventcat-{label}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create a scratch directory");
        // Canonical, so display paths computed against it match what the loader sees.
        let path = fs::canonicalize(&path).expect("canonical scratch path");
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("EVENTCAT_KEEP_TEMP").is_none() {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Writes `contents` to `root/relative`, creating parents.
pub fn write_file(root: &Path, relative: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().expect("a parent")).expect("create parents");
    fs::write(&path, contents).expect("write a scratch file");
}

/// What a run of the library pipeline produced.
pub struct Run {
    /// The generated files, or the diagnostics.
    pub result: Result<Vec<OutputFile>, Vec<Diagnostic>>,
    /// The sources, for rendering the diagnostics.
    pub sources: Sources,
}

impl Run {
    /// Every diagnostic rendered without colour, with the summary line.
    pub fn rendered(&self) -> String {
        match &self.result {
            Ok(_) => String::from("(no diagnostics: the catalog built and generated)"),
            Err(diagnostics) => Report {
                diagnostics: diagnostics.clone(),
            }
            .render(&self.sources, false),
        }
    }

    pub fn files(&self) -> &[OutputFile] {
        match &self.result {
            Ok(files) => files,
            Err(_) => panic!("expected generated files, got:\n{}", self.rendered()),
        }
    }
}

/// `build` + `generate` on `root/catalog.yaml`, with display paths relative to `root`.
pub fn run_pipeline(root: &Path) -> Run {
    run_pipeline_at(root, &root.join("catalog.yaml"))
}

/// `build` + `generate` on `catalog`, with display paths relative to `root`.
pub fn run_pipeline_at(root: &Path, catalog: &Path) -> Run {
    let mut sources = Sources::new(root);
    let result = eventcat_codegen::build(&mut sources, catalog)
        .and_then(|catalog| eventcat_codegen::generate(&catalog));
    Run { result, sources }
}

/// The generated file whose path ends with `suffix`.
pub fn output(files: &[OutputFile], suffix: &str) -> String {
    files
        .iter()
        .find(|file| {
            file.path
                .to_string_lossy()
                .replace('\\', "/")
                .ends_with(suffix)
        })
        .map(|file| file.contents.to_string())
        .unwrap_or_else(|| panic!("no generated file ends with {suffix}"))
}

/// Writes generated files to disk (plain writes: these are scratch trees).
pub fn write_outputs(files: &[OutputFile]) {
    for file in files {
        fs::create_dir_all(file.path.parent().expect("a parent")).expect("create parents");
        fs::write(&file.path, file.contents.to_string()).expect("write an output");
    }
}

/// The TypeScript harness directory.
pub fn ts_dir() -> PathBuf {
    workspace_root().join("tests/ts")
}

/// The harness's `tsc`, installing the harness's packages (`npm ci`) once if
/// they are missing: `.ci/test` runs `cargo test` before `npm ci`.
pub fn tsc() -> PathBuf {
    static TSC: OnceLock<PathBuf> = OnceLock::new();
    TSC.get_or_init(|| {
        let dir = ts_dir();
        let tsc = dir.join("node_modules/.bin/tsc");
        if !tsc.exists() {
            // Test binaries may run side by side: one `npm ci` at a time.
            let lock = fs::File::open(dir.join("package-lock.json")).expect("tests/ts lock file");
            lock.lock().expect("lock tests/ts/package-lock.json");
            if !tsc.exists() {
                let status = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(&dir)
                    .status()
                    .expect("npm is installed (Node.js 20+)");
                assert!(status.success(), "npm ci in tests/ts failed");
            }
        }
        assert!(tsc.exists(), "npm ci did not install tsc");
        tsc
    })
    .clone()
}

/// Runs `tsc` with the harness's strict flags on `dir/tsconfig.json`, which
/// this writes: every `.ts` file under `dir`, emitted to `dir/dist` when
/// `emit`. Returns the compiler's output on failure.
pub fn type_check(dir: &Path, emit: bool) -> Result<(), String> {
    let node_types = ts_dir().join("node_modules/@types");
    let config = serde_json::json!({
        "compilerOptions": {
            // Every option of @tsconfig/strictest, and the stricter module
            // settings a consumer may add.
            "strict": true,
            "allowUnusedLabels": false,
            "allowUnreachableCode": false,
            "noUncheckedIndexedAccess": true,
            "exactOptionalPropertyTypes": true,
            "noPropertyAccessFromIndexSignature": true,
            "noImplicitOverride": true,
            "noImplicitReturns": true,
            "noFallthroughCasesInSwitch": true,
            "noUnusedLocals": true,
            "noUnusedParameters": true,
            "isolatedModules": true,
            "isolatedDeclarations": true,
            "declaration": true,
            "erasableSyntaxOnly": true,
            "verbatimModuleSyntax": true,
            "skipLibCheck": true,
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "types": ["node"],
            "typeRoots": [node_types],
            "rootDir": ".",
            "outDir": "dist",
            "noEmit": !emit,
        },
        "include": ["**/*.ts"],
        "exclude": ["dist"],
    });
    fs::write(
        dir.join("tsconfig.json"),
        serde_json::to_string_pretty(&config).unwrap(),
    )
    .unwrap();
    if !dir.join("package.json").exists() {
        fs::write(dir.join("package.json"), "{\"type\": \"module\"}\n").unwrap();
    }
    let output = Command::new(tsc())
        .args(["-p", "tsconfig.json", "--pretty", "false"])
        .current_dir(dir)
        .output()
        .expect("run tsc");
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Serializes cargo builds of scratch crates inside one test binary.
pub fn cargo_lock() -> &'static Mutex<()> {
    static LOCK: Mutex<()> = Mutex::new(());
    &LOCK
}

/// Runs `cargo <args> --offline --quiet` in a generated crate that belongs
/// to no workspace, with its artifacts in `target`; the output on failure.
pub fn cargo_in(crate_dir: &Path, target: &Path, args: &[&str]) -> Result<String, String> {
    let manifest =
        fs::read_to_string(crate_dir.join("Cargo.toml")).expect("a generated Cargo.toml");
    if !manifest.contains("\n[workspace]") {
        fs::write(
            crate_dir.join("Cargo.toml"),
            format!("{manifest}\n[workspace]\n"),
        )
        .expect("detach the generated crate");
    }
    let (command, rest) = args.split_first().expect("a cargo command");
    let output = Command::new(env!("CARGO"))
        .arg(command)
        .args(["--offline", "--quiet"])
        .args(rest)
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    outcome(&output)
}

/// A finished command's stdout and stderr together: `Ok` when it succeeded.
pub fn outcome(output: &std::process::Output) -> Result<String, String> {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// `text` with every object's keys sorted: a struct writes its fields in
/// schema order, the one key order the generated types impose.
pub fn canonical(text: &str) -> String {
    fn sorted(value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(String, Value)> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => sorted(value).to_string(),
        Err(_) => text.to_string(),
    }
}

/// Runs `binary` with `input` on stdin; its stdout.
pub fn run_with_input(binary: &Path, input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(binary)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the program");
    child
        .stdin
        .take()
        .expect("its stdin")
        .write_all(input.as_bytes())
        .expect("write its input");
    let out = child.wait_with_output().expect("its output");
    assert!(out.status.success(), "{} failed", binary.display());
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

pub mod asyncapi;
pub mod python;

#[path = "corpora.rs"]
mod corpora_lookup;

/// The public corpora of real event schemas (see `tests/support/corpora.rs`).
pub fn corpora() -> PathBuf {
    corpora_lookup::find(&workspace_root())
}
