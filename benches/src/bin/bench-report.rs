//! End-to-end benchmarks with the built `xtask` binary, peers on the same
//! payload schemas, the cost of the generated code, and cold start.
//!
//! ```sh
//! cargo run --release -p eventcat-benches --bin bench-report -- --help
//! ```
//!
//! Prints a Markdown report (also written to `<scratch>/report.md`).

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use eventcat_benches::measure::{self, Cmd, Sample, bytes, seconds};
use eventcat_benches::synth::{self, CHANNEL, Layout};
use eventcat_benches::{peer_crate, ts, validation};

const USAGE: &str = "\
bench-report: end-to-end benchmarks of eventcat (see BENCHMARKS.md)

usage: cargo run --release -p eventcat-benches --bin bench-report -- [options]

options:
  --sizes LIST        event counts, comma-separated (default 100,1000,10000)
  --runs N            runs per measurement of eventcat (default 5; 3 at 10,000 events;
                      at least 21 rounds for the envelope)
  --peer-runs N       runs per peer measurement (default 3; 1 at 10,000 events)
  --timeout SECS      time limit of one run (default 600)
  --cargo-check-max N largest catalog whose generated crate is compiled
                      (cargo-check, wire-scale; default 1000: at 10,000
                      events rustc needs ~30 GiB)
  --only LIST         sections to run: gen,peers,tsc,dispatch,validate,
                      cargo-check,wire-scale,envelope,cold
                      (default: all)
  --validate-catalogs LIST
                      validate: more catalogs, comma-separated paths
                      (relative to the workspace or absolute)
  --baseline-xtask P  validate: an xtask binary of another revision; the
                      modules it generates for the same catalogs are timed
                      in the same run (column \"baseline\")
  --workspace DIR     the eventcat workspace (default: this package's parent)
  --peers DIR         where the peer tools are installed (default /tmp/eventcat-peers;
                      installed there when missing)
  --scratch DIR       scratch directory (default /tmp/eventcat-bench)
  --out FILE          also write the report here (default <scratch>/report.md)
";

const QUICKTYPE_VERSION: &str = "26.0.0";
const JSON2TS_VERSION: &str = "16.0.0";
const TYPIFY_VERSION: &str = "0.8.0";

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    peer_runs: usize,
    timeout: Duration,
    cargo_check_max: usize,
    release_max: usize,
    only: Vec<String>,
    baseline_xtask: Option<PathBuf>,
    validate_catalogs: Vec<PathBuf>,
    workspace: PathBuf,
    peers: PathBuf,
    scratch: PathBuf,
    out: Option<PathBuf>,
}

impl Options {
    fn parse() -> Result<Options, String> {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut options = Options {
            sizes: vec![100, 1_000, 10_000],
            runs: 5,
            peer_runs: 3,
            timeout: Duration::from_secs(600),
            cargo_check_max: 1_000,
            release_max: 100,
            only: Vec::new(),
            baseline_xtask: None,
            validate_catalogs: Vec::new(),
            workspace: manifest.parent().unwrap_or(manifest).to_path_buf(),
            peers: PathBuf::from("/tmp/eventcat-peers"),
            scratch: PathBuf::from("/tmp/eventcat-bench"),
            out: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--sizes" => {
                    options.sizes = value()?
                        .split(',')
                        .map(|s| s.trim().replace('_', "").parse::<usize>())
                        .collect::<Result<_, _>>()
                        .map_err(|e| format!("--sizes: {e}"))?;
                }
                "--runs" => options.runs = number(&value()?)?,
                "--peer-runs" => options.peer_runs = number(&value()?)?,
                "--timeout" => options.timeout = Duration::from_secs(number(&value()?)? as u64),
                "--cargo-check-max" => options.cargo_check_max = number(&value()?)?,
                "--release-max" => options.release_max = number(&value()?)?,
                "--only" => {
                    options.only = value()?.split(',').map(|s| s.trim().to_string()).collect();
                }
                "--baseline-xtask" => options.baseline_xtask = Some(PathBuf::from(value()?)),
                "--validate-catalogs" => {
                    options.validate_catalogs = value()?
                        .split(',')
                        .map(|s| PathBuf::from(s.trim()))
                        .collect();
                }
                "--workspace" => options.workspace = PathBuf::from(value()?),
                "--peers" => options.peers = PathBuf::from(value()?),
                "--scratch" => options.scratch = PathBuf::from(value()?),
                "--out" => options.out = Some(PathBuf::from(value()?)),
                "--help" | "-h" => return Err(String::new()),
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        Ok(options)
    }

    fn runs(&self, events: usize) -> usize {
        if events >= 10_000 {
            self.runs.min(3)
        } else {
            self.runs
        }
    }

    fn peer_runs(&self, events: usize) -> usize {
        if events >= 10_000 { 1 } else { self.peer_runs }
    }

    fn wants(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }
}

fn number(text: &str) -> Result<usize, String> {
    text.parse().map_err(|e| format!("`{text}`: {e}"))
}

fn main() -> ExitCode {
    let options = match Options::parse() {
        Ok(options) => options,
        Err(message) => {
            if message.is_empty() {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The report, printed as it grows.
struct Report {
    text: String,
}

impl Report {
    fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
        println!("{}", line.as_ref());
        let _ = io::stdout().flush();
    }
}

fn progress(message: impl AsRef<str>) {
    eprintln!("[bench-report] {}", message.as_ref());
}

/// Everything measured at one catalog size.
struct Size {
    events: usize,
    layout: Layout,
    synth: synth::SynthCatalog,
    catalog_bytes: u64,
    gen_fresh: Sample,
    gen_unchanged: Sample,
    /// `gen` with every output under `generated/` edited: what a catalog
    /// edit costs in staging and replacing files.
    gen_stale: Sample,
    check: Sample,
    outputs: Vec<(String, u64)>,
}

fn run(options: &Options) -> io::Result<()> {
    let started = Instant::now();
    fs::create_dir_all(&options.scratch)?;
    let scratch = fs::canonicalize(&options.scratch)?;
    let workspace = fs::canonicalize(&options.workspace)?;
    let mut report = Report {
        text: String::new(),
    };
    report.line("# bench-report");
    report.line("");
    machine(&mut report, &workspace);

    progress("building the xtask binary (cargo build --release -p xtask; not timed)");
    let xtask = build_in_release(&workspace, &["-p", "xtask"], "xtask")?;

    let mut sizes: Vec<Size> = Vec::new();
    for &events in &options.sizes {
        progress(format!("writing the synthetic catalog of {events} events"));
        let root = scratch.join(format!("n{events}"));
        if root.exists() {
            fs::remove_dir_all(&root)?;
        }
        let synth = synth::catalog(events);
        let layout = synth.write(&root)?;
        fs::write(
            root.join("peer-schema.json"),
            synth.peer_schema().to_json_pretty(),
        )?;
        let catalog_bytes = measure::disk_size(&root.join("schema"));
        let mut size = Size {
            events,
            layout,
            synth,
            catalog_bytes,
            gen_fresh: Sample::default(),
            gen_unchanged: Sample::default(),
            gen_stale: Sample::default(),
            check: Sample::default(),
            outputs: Vec::new(),
        };
        // Every later section needs the outputs, so gen runs at least once.
        generate(options, &scratch, &xtask, &mut size)?;
        sizes.push(size);
    }

    if options.wants("gen") {
        generator_table(&mut report, &sizes);
    }
    if options.wants("peers") {
        peers(options, &scratch, &xtask, &mut report, &sizes)?;
    }
    if options.wants("tsc") || options.wants("dispatch") {
        typescript(options, &workspace, &mut report, &sizes)?;
    }
    if options.wants("validate") {
        validation(options, &scratch, &workspace, &mut report, &sizes)?;
    }
    if options.wants("cargo-check") {
        cargo_check(options, &scratch, &workspace, &mut report, &sizes)?;
    }
    if options.wants("wire-scale") {
        wire_scale(options, &scratch, &workspace, &mut report, &sizes)?;
    }
    if options.wants("envelope") {
        envelope(options, &workspace, &mut report)?;
    }
    if options.wants("cold") {
        cold_start(options, &scratch, &workspace, &mut report)?;
    }
    report.line("");
    report.line(format!(
        "Load average at the end: {}. The whole report took {}.",
        measure::load_average().unwrap_or_else(|| "n/a".into()),
        seconds(started.elapsed())
    ));
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| scratch.join("report.md"));
    fs::write(&out, &report.text)?;
    progress(format!("report written to {}", out.display()));
    Ok(())
}

/// Builds `what` (cargo arguments) of `workspace` in release, untimed,
/// and gives the path of `binary` under the release target directory.
fn build_in_release(workspace: &Path, what: &[&str], binary: &str) -> io::Result<PathBuf> {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .args(what)
        .current_dir(workspace)
        .status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "cargo build --release {} failed",
            what.join(" ")
        )));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    Ok(target.join("release").join(binary))
}

fn first_line_of(program: &str, args: &[&str], dir: Option<&Path>) -> String {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    command
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(|l| l.trim().to_string())
        })
        .unwrap_or_else(|| "n/a".into())
}

fn machine(report: &mut Report, workspace: &Path) {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let commit = first_line_of(
        "git",
        &["describe", "--always", "--dirty", "--abbrev=7"],
        Some(workspace),
    );
    report.line(format!(
        "Machine: {cores} cores ({cpu}); load average at the start: {}.",
        measure::load_average().unwrap_or_else(|| "n/a".into())
    ));
    report.line(format!(
        "Workspace: `{}` at `{commit}`; {}; node {}.",
        workspace.display(),
        first_line_of("rustc", &["--version"], None),
        first_line_of("node", &["--version"], None),
    ));
}

fn generate(options: &Options, scratch: &Path, xtask: &Path, size: &mut Size) -> io::Result<()> {
    let events = size.events;
    let runs = options.runs(events);
    let generated = size.layout.generated.clone();
    let cmd = |verb: &str| xtask_command(xtask, verb, &size.layout);
    let memory = options.wants("gen").then_some(scratch);
    let runs_here = if options.wants("gen") { runs } else { 1 };
    progress(format!(
        "{events} events: gen with fresh outputs ×{runs_here}"
    ));
    size.gen_fresh = measure::measure(&cmd("gen"), runs_here, options.timeout, memory, &mut || {
        let _ = fs::remove_dir_all(&generated);
    });
    if let Some(failure) = &size.gen_fresh.failure {
        return Err(io::Error::other(format!(
            "gen of {events} events {failure}"
        )));
    }
    if options.wants("gen") {
        progress(format!(
            "{events} events: gen with unchanged outputs, check ×{runs}"
        ));
        size.gen_unchanged =
            measure::measure(&cmd("gen"), runs, options.timeout, memory, &mut || {});
        size.check = measure::measure(&cmd("check"), runs, options.timeout, memory, &mut || {});
        progress(format!(
            "{events} events: gen with every output stale ×{runs}"
        ));
        size.gen_stale = measure::measure(&cmd("gen"), runs, options.timeout, memory, &mut || {
            make_stale(&generated);
        });
    }
    let mut outputs = Vec::new();
    collect_files(&generated, &generated, &mut outputs);
    outputs.sort();
    size.outputs = outputs;
    Ok(())
}

/// `xtask <verb>` of the catalog `layout` holds, run where it lives.
fn xtask_command(xtask: &Path, verb: &str, layout: &Layout) -> Cmd {
    Cmd::new(xtask)
        .arg(verb)
        .arg("--catalog")
        .arg(&layout.catalog)
        .dir(&layout.root)
}

/// Appends a line to every file under `dir`, so that the next `gen`
/// replaces each of them.
fn make_stale(dir: &Path) {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files);
    for (name, _) in files {
        let path = dir.join(name);
        if let Ok(mut file) = fs::OpenOptions::new().append(true).open(&path) {
            let _ = file.write_all(b"\n");
        }
    }
}

fn collect_files(base: &Path, dir: &Path, out: &mut Vec<(String, u64)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect_files(base, &path, out);
        } else {
            let name = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .display()
                .to_string();
            out.push((name, measure::disk_size(&path)));
        }
    }
}

fn cell(sample: &Sample) -> String {
    match (sample.median(), sample.min(), &sample.failure) {
        (_, _, Some(failure)) => failure.clone(),
        (Some(median), Some(min), None) if sample.walls.len() > 1 => {
            format!("{} (min {})", seconds(median), seconds(min))
        }
        (Some(median), _, None) => seconds(median),
        _ => "n/a".into(),
    }
}

fn memory_cell(sample: &Sample) -> String {
    sample
        .peak_kib
        .map_or_else(|| "n/a".into(), |kib| bytes(kib * 1024))
}

fn growth(
    current: Option<Duration>,
    previous: Option<(usize, Option<Duration>)>,
    events: usize,
) -> String {
    match (current, previous) {
        (Some(now), Some((before_events, Some(before)))) if !before.is_zero() => format!(
            "×{:.1} for ×{}",
            now.as_secs_f64() / before.as_secs_f64(),
            events / before_events.max(1)
        ),
        _ => "".into(),
    }
}

fn generator_table(report: &mut Report, sizes: &[Size]) {
    report.line("");
    report.line("## The generator: `xtask gen` and `xtask check` (release binary)");
    report.line("");
    report.line("Wall time, median of the runs (fastest run in brackets); peak memory is the maximum resident set size of one more run, from GNU time. *Every output stale*: a line appended to each file under `generated/` before each run, so `gen` replaces them all, as after a catalog edit.");
    report.line("");
    report.line("| events | catalog YAML | gen, fresh outputs | growth | gen, nothing changed | gen, every output stale | check | per event (gen) | peak memory (gen / stale gen / check) | outputs |");
    report.line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut previous: Option<(usize, Option<Duration>)> = None;
    for size in sizes {
        let median = size.gen_fresh.median();
        let per_event = median.map_or_else(
            || "n/a".into(),
            |m| format!("{:.0} µs", m.as_secs_f64() * 1e6 / size.events as f64),
        );
        let total: u64 = size.outputs.iter().map(|(_, n)| n).sum();
        report.line(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} | {} |",
            size.events,
            bytes(size.catalog_bytes),
            cell(&size.gen_fresh),
            growth(median, previous, size.events),
            cell(&size.gen_unchanged),
            cell(&size.gen_stale),
            cell(&size.check),
            per_event,
            memory_cell(&size.gen_fresh),
            memory_cell(&size.gen_stale),
            memory_cell(&size.check),
            bytes(total),
        ));
        previous = Some((size.events, median));
    }
    if let Some(largest) = sizes.last() {
        report.line("");
        report.line(format!("Outputs at {} events:", largest.events));
        report.line("");
        report.line("| file | size |");
        report.line("|---|---:|");
        for (name, size) in &largest.outputs {
            report.line(format!("| `{name}` | {} |", bytes(*size)));
        }
    }
}

/// One peer tool.
struct Peer {
    name: &'static str,
    produces: &'static str,
    output: &'static str,
    command: fn(&Path, &Path, &Path) -> Cmd,
    count: fn(&str) -> usize,
}

/// json-schema-to-typescript on `schema`, writing `out`.
fn json2ts(peers: &Path, schema: &Path, out: &Path) -> Cmd {
    Cmd::new(peers.join("node_modules/.bin/json2ts"))
        .arg("-i")
        .arg(schema)
        .arg("-o")
        .arg(out)
}

fn count_ts(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with("export interface ") || l.starts_with("export type "))
        .count()
}

fn count_rust(text: &str) -> usize {
    text.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("pub struct ") || l.starts_with("pub enum "))
        .count()
}

const PEERS: &[Peer] = &[
    Peer {
        name: "quicktype → TypeScript",
        produces: "TypeScript",
        output: "quicktype.ts",
        command: |peers, schema, out| {
            Cmd::new(peers.join("node_modules/.bin/quicktype"))
                .args(["--src-lang", "schema", "--lang", "typescript", "--out"])
                .arg(out)
                .arg(format!("{}#/definitions/", schema.display()))
        },
        count: count_ts,
    },
    Peer {
        name: "quicktype → Rust",
        produces: "Rust",
        output: "quicktype.rs",
        command: |peers, schema, out| {
            Cmd::new(peers.join("node_modules/.bin/quicktype"))
                .args(["--src-lang", "schema", "--lang", "rust", "--out"])
                .arg(out)
                .arg(format!("{}#/definitions/", schema.display()))
        },
        count: count_rust,
    },
    Peer {
        name: "json-schema-to-typescript",
        produces: "TypeScript",
        output: "json2ts.ts",
        command: json2ts,
        count: count_ts,
    },
    // Without prettier, as the issue's figures were taken: the generator's
    // own cost.
    Peer {
        name: "json-schema-to-typescript --format=false",
        produces: "TypeScript",
        output: "json2ts-unformatted.ts",
        command: |peers, schema, out| json2ts(peers, schema, out).arg("--format=false"),
        count: count_ts,
    },
    Peer {
        name: "typify (cargo typify)",
        produces: "Rust",
        output: "typify.rs",
        command: |peers, schema, out| {
            Cmd::new(peers.join("typify/bin/cargo-typify"))
                .arg("typify")
                .arg(schema)
                .arg("--output")
                .arg(out)
        },
        count: count_rust,
    },
];

fn install_peers(peers: &Path) -> io::Result<()> {
    fs::create_dir_all(peers)?;
    let npm_ready = peers.join("node_modules/.bin/quicktype").exists()
        && peers.join("node_modules/.bin/json2ts").exists();
    if !npm_ready {
        progress(format!(
            "installing quicktype and json-schema-to-typescript into {}",
            peers.display()
        ));
        fs::write(
            peers.join("package.json"),
            format!(
                "{{ \"name\": \"eventcat-peers\", \"version\": \"0.0.0\", \"private\": true,\n  \"dependencies\": {{ \"quicktype\": \"{QUICKTYPE_VERSION}\", \"json-schema-to-typescript\": \"{JSON2TS_VERSION}\" }} }}\n"
            ),
        )?;
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(peers)
            .status()?;
        if !status.success() {
            return Err(io::Error::other("npm install of the peers failed"));
        }
    }
    if !peers.join("typify/bin/cargo-typify").exists() {
        progress(format!(
            "installing cargo-typify {TYPIFY_VERSION} into {}",
            peers.join("typify").display()
        ));
        let status = Command::new("cargo")
            .args([
                "install",
                "cargo-typify",
                "--locked",
                "--version",
                TYPIFY_VERSION,
                "--root",
            ])
            .arg(peers.join("typify"))
            .env("CARGO_TARGET_DIR", peers.join("typify-target"))
            .status()?;
        if !status.success() {
            return Err(io::Error::other("cargo install cargo-typify failed"));
        }
    }
    Ok(())
}

fn package_version(peers: &Path, package: &str) -> String {
    fs::read_to_string(
        peers
            .join("node_modules")
            .join(package)
            .join("package.json"),
    )
    .ok()
    .and_then(|text| {
        text.lines()
            .find(|l| l.trim_start().starts_with("\"version\""))
            .and_then(|l| l.split('"').nth(3).map(str::to_string))
    })
    .unwrap_or_else(|| "?".into())
}

/// `gen` of a size's catalog asking for one language alone (the lock and
/// the editor schemas come with every catalog), fresh outputs: eventcat's
/// cost where a peer writes that language alone.
fn gen_one_language(
    options: &Options,
    scratch: &Path,
    xtask: &Path,
    size: &Size,
    outputs: synth::Outputs,
) -> io::Result<Sample> {
    let root = size
        .layout
        .root
        .join(format!("only-{outputs:?}").to_lowercase());
    let events = size.layout.root.join("schema/events");
    let layout = size.synth.write_settings(&root, outputs, &events)?;
    let cmd = xtask_command(xtask, "gen", &layout);
    let runs = options.runs(size.events);
    progress(format!(
        "{} events: gen, {outputs:?} only ×{runs}",
        size.events
    ));
    let sample = measure::measure(&cmd, runs, options.timeout, Some(scratch), &mut || {
        let _ = fs::remove_dir_all(&layout.generated);
    });
    match &sample.failure {
        Some(failure) => Err(io::Error::other(format!(
            "gen of {} events, {outputs:?} only, {failure}",
            size.events
        ))),
        None => Ok(sample),
    }
}

/// `ours ÷ theirs` as the peers table words it.
fn ratio_cell(ours: Option<Duration>, theirs: Option<Duration>) -> String {
    match (ours, theirs) {
        (Some(ours), Some(theirs)) if !theirs.is_zero() => {
            let r = ours.as_secs_f64() / theirs.as_secs_f64();
            if r < 1.0 {
                format!("{r:.3} ({:.1}× faster)", 1.0 / r)
            } else {
                format!("{r:.2} ({r:.1}× slower)")
            }
        }
        _ => "-".into(),
    }
}

fn peers(
    options: &Options,
    scratch: &Path,
    xtask: &Path,
    report: &mut Report,
    sizes: &[Size],
) -> io::Result<()> {
    install_peers(&options.peers)?;
    let typify = first_line_of(
        &options
            .peers
            .join("typify/bin/cargo-typify")
            .display()
            .to_string(),
        &["typify", "--version"],
        None,
    );
    report.line("");
    report.line("## Peers on the same payload schemas (same run)");
    report.line("");
    report.line(format!(
        "quicktype {}, json-schema-to-typescript {}, {}. Input: one JSON Schema (draft-07) document with the shared definitions and one definition per payload, exactly the catalog's payload schemas (`peer-schema.json`, written by the synthetic generator). Ratio: eventcat's `gen` (fresh outputs, median) ÷ the peer's median; below 1 means eventcat is faster. *Same language*: eventcat's `gen` of the same catalog asking only for the language the peer writes (the TypeScript module, or the Rust crate, with the contract lock and editor schemas every catalog has) ÷ the peer's median.",
        package_version(&options.peers, "quicktype"),
        package_version(&options.peers, "json-schema-to-typescript"),
        if typify == "n/a" { format!("typify {TYPIFY_VERSION}") } else { typify },
    ));
    report.line("");
    report.line(
        "| events | tool | produces | wall time | peak memory | output | types | eventcat ÷ peer | same language ÷ peer |",
    );
    report.line("|---:|---|---|---:|---:|---:|---:|---:|---:|");
    for size in sizes {
        let ours = size.gen_fresh.median();
        let total: u64 = size.outputs.iter().map(|(_, n)| n).sum();
        let ours_types = size
            .outputs
            .iter()
            .find(|(name, _)| name.ends_with(&format!("{CHANNEL}.rs")))
            .and_then(|(name, _)| fs::read_to_string(size.layout.generated.join(name)).ok())
            .map_or(0, |text| count_rust(&text));
        report.line(format!(
            "| {} | **eventcat gen** | Rust crate + TS module + examples + docs + editor schemas | {} | {} | {} | {} Rust | 1 | |",
            size.events,
            cell(&size.gen_fresh),
            memory_cell(&size.gen_fresh),
            bytes(total),
            ours_types,
        ));
        let typescript_only =
            gen_one_language(options, scratch, xtask, size, synth::Outputs::TypeScript)?;
        let rust_only = gen_one_language(options, scratch, xtask, size, synth::Outputs::Rust)?;
        for (sample, produces) in [
            (&typescript_only, "TS module + examples"),
            (&rust_only, "Rust crate"),
        ] {
            report.line(format!(
                "| {} | **eventcat gen, one language** | {produces} | {} | {} | | | | 1 |",
                size.events,
                cell(sample),
                memory_cell(sample),
            ));
        }
        let schema = size.layout.root.join("peer-schema.json");
        let out_dir = size.layout.root.join("peers");
        fs::create_dir_all(&out_dir)?;
        for peer in PEERS {
            let out = out_dir.join(peer.output);
            let cmd = (peer.command)(&options.peers, &schema, &out);
            let runs = options.peer_runs(size.events);
            progress(format!("{} events: {} ×{runs}", size.events, peer.name));
            let sample = measure::measure(&cmd, runs, options.timeout, Some(scratch), &mut || {
                let _ = fs::remove_file(&out);
            });
            let (output, types) = match fs::read_to_string(&out) {
                Ok(text) if sample.failure.is_none() => {
                    (bytes(text.len() as u64), (peer.count)(&text).to_string())
                }
                _ => ("-".into(), "-".into()),
            };
            let same_language = match peer.produces {
                "Rust" => &rust_only,
                _ => &typescript_only,
            };
            report.line(format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                size.events,
                peer.name,
                peer.produces,
                cell(&sample),
                memory_cell(&sample),
                output,
                types,
                ratio_cell(ours, sample.median()),
                ratio_cell(same_language.median(), sample.median()),
            ));
        }
    }
    Ok(())
}

fn typescript(
    options: &Options,
    workspace: &Path,
    report: &mut Report,
    sizes: &[Size],
) -> io::Result<()> {
    let tsc = npm_tool(workspace, "tests/ts", "node_modules/.bin/tsc", "tsc")?;
    let version = first_line_of(&tsc.display().to_string(), &["--version"], None);
    let dispatch_script = workspace.join("benches/ts/dispatch.mjs");
    let mut tsc_rows = Vec::new();
    let mut dispatch_rows = Vec::new();
    let mut previous: Option<(usize, Option<Duration>)> = None;
    let mut startup: Option<Duration> = None;
    if options.wants("tsc") {
        // tsc's fixed cost: the same options on a one-line file.
        let project = sizes.first().map_or_else(
            || options.scratch.join("tsc-startup"),
            |s| s.layout.root.join("tsc-startup"),
        );
        fs::create_dir_all(&project)?;
        fs::write(project.join("empty.ts"), "export const one = 1;\n")?;
        fs::write(
            project.join("tsconfig.json"),
            ts::tsconfig()
                .replace("\"rootDir\": \"..\"", "\"rootDir\": \".\"")
                .replace(
                    "[\"handlers.ts\", \"../generated/ts/*.ts\"]",
                    "[\"empty.ts\"]",
                ),
        )?;
        fs::write(project.join("package.json"), ts::package_json())?;
        progress("tsc start-up (one-line project)");
        let cmd = Cmd::new(&tsc)
            .args(["-p", "tsconfig.json", "--noEmit"])
            .dir(&project);
        let sample = measure::measure(
            &cmd,
            options.runs.min(5),
            options.timeout,
            Some(&project),
            &mut || {},
        );
        startup = sample.median();
        tsc_rows.push(format!(
            "| start-up (one-line file) | 22 B | {} | | | {} |",
            cell(&sample),
            memory_cell(&sample)
        ));
    }
    for size in sizes {
        let project = size.layout.root.join("ts");
        fs::create_dir_all(&project)?;
        fs::write(
            project.join("handlers.ts"),
            ts::handlers_module(&size.synth),
        )?;
        fs::write(project.join("tsconfig.json"), ts::tsconfig())?;
        fs::write(project.join("package.json"), ts::package_json())?;
        let ts_bytes = measure::disk_size(&project.join("handlers.ts"))
            + measure::disk_size(&size.layout.typescript)
            + measure::disk_size(
                &size
                    .layout
                    .typescript
                    .with_file_name(format!("{CHANNEL}.examples.ts")),
            );
        if options.wants("tsc") {
            let runs = options.runs(size.events).min(5);
            progress(format!("{} events: tsc --noEmit ×{runs}", size.events));
            let cmd = Cmd::new(&tsc)
                .args(["-p", "tsconfig.json", "--noEmit"])
                .dir(&project);
            let sample = measure::measure(&cmd, runs, options.timeout, Some(&project), &mut || {});
            let median = sample.median();
            let per_event = median.map_or_else(
                || "n/a".into(),
                |m| {
                    let net = m.saturating_sub(startup.unwrap_or_default());
                    format!("{:.0} µs", net.as_secs_f64() * 1e6 / size.events as f64)
                },
            );
            tsc_rows.push(format!(
                "| {} | {} | {} | {} | {} | {} |",
                size.events,
                bytes(ts_bytes),
                cell(&sample),
                growth(median, previous, size.events),
                per_event,
                memory_cell(&sample)
            ));
            previous = Some((size.events, median));
        }
        if options.wants("dispatch") {
            progress(format!(
                "{} events: tsc (emit) + node dispatch benchmark",
                size.events
            ));
            let emit = measure::run(
                &Cmd::new(&tsc).args(["-p", "tsconfig.json"]).dir(&project),
                options.timeout,
            )?;
            if !emit.success {
                dispatch_rows.push(format!(
                    "| {} | tsc emit failed: {} | | | | |",
                    size.events,
                    emit.stderr_tail.replace('\n', " ")
                ));
                continue;
            }
            let output = Command::new("node")
                .arg(&dispatch_script)
                .arg(project.join("dist"))
                .arg(CHANNEL)
                .output()?;
            let text = String::from_utf8_lossy(&output.stdout);
            let field = |name: &str| -> String {
                text.split(&format!("\"{name}\":"))
                    .nth(1)
                    .and_then(|rest| rest.split([',', '}']).next())
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .map_or_else(|| "n/a".into(), |v| format!("{v:.0} ns"))
            };
            if !output.status.success() {
                dispatch_rows.push(format!(
                    "| {} | node failed: {} | | | | |",
                    size.events,
                    String::from_utf8_lossy(&output.stderr)
                        .lines()
                        .last()
                        .unwrap_or("")
                ));
                continue;
            }
            dispatch_rows.push(format!(
                "| {} | {} | {} | {} | {} | {} |",
                size.events,
                field("dispatch_mixed_ns"),
                field("direct_mixed_ns"),
                field("dispatch_single_ns"),
                field("parse_ns"),
                field("parse_dispatch_ns"),
            ));
        }
    }
    if !tsc_rows.is_empty() {
        report.line("");
        report.line(format!(
            "## `tsc --noEmit` on the generated TypeScript ({version})"
        ));
        report.line("");
        report.line("The generated module, its examples module and a `handlers.ts` that registers a handler for every event with `define<Channel>Handlers` (each reading a payload field), under the harness's strict options (`strict`, `noUncheckedIndexedAccess`, `exactOptionalPropertyTypes`). Wall time includes tsc's start-up.");
        report.line("");
        report.line("Per event: (time − start-up) ÷ events.");
        report.line("");
        report.line(
            "| events | TypeScript checked | tsc --noEmit | growth | per event | peak memory |",
        );
        report.line("|---:|---:|---:|---:|---:|---:|");
        for row in tsc_rows {
            report.line(row);
        }
    }
    if !dispatch_rows.is_empty() {
        report.line("");
        report.line("## TypeScript dispatch per message (node)");
        report.line("");
        report.line(format!("`benches/ts/dispatch.mjs` on the tsc output, node {}. *Mixed*: every example of every event, round-robin (megamorphic); *direct*: `handlers[type](payload)` with no checks, the floor; *single*: one event type only; *parse*: `JSON.parse` of the wire string alone, for scale.", first_line_of("node", &["--version"], None)));
        report.line("");
        report.line("| events | dispatch, mixed | direct call, mixed | dispatch, single type | JSON.parse alone | JSON.parse + dispatch |");
        report.line("|---:|---:|---:|---:|---:|---:|");
        for row in dispatch_rows {
            report.line(row);
        }
    }
    Ok(())
}

/// `dir/file` in the workspace, after `npm ci` in `dir` when it is missing.
fn npm_tool(workspace: &Path, dir: &str, file: &str, what: &str) -> io::Result<PathBuf> {
    let dir = workspace.join(dir);
    let tool = dir.join(file);
    if !tool.exists() {
        progress(format!("npm ci in {} (for {what})", dir.display()));
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()?;
        if !status.success() {
            return Err(io::Error::other(format!(
                "npm ci in {} failed",
                dir.display()
            )));
        }
    }
    Ok(tool)
}

/// One catalog of the validation benchmark: where it is and what it is called.
struct ValidationCatalog {
    name: String,
    root: PathBuf,
    catalog: PathBuf,
}

/// The generated TypeScript validation (`is<Payload>`, `parse<Channel>Event`)
/// against Ajv's compiled validators on the same schemas, per message, on
/// the repository's catalog and the synthetic ones (`benches/ts/validate.mjs`).
fn validation(
    options: &Options,
    scratch: &Path,
    workspace: &Path,
    report: &mut Report,
    sizes: &[Size],
) -> io::Result<()> {
    let tsc = npm_tool(workspace, "tests/ts", "node_modules/.bin/tsc", "tsc")?;
    npm_tool(
        workspace,
        "benches/ts",
        "node_modules/ajv/package.json",
        "Ajv",
    )?;
    let script = workspace.join("benches/ts/validate.mjs");
    let mut catalogs = vec![ValidationCatalog {
        name: "repository (`schema/catalog.yaml`)".into(),
        root: workspace.to_path_buf(),
        catalog: workspace.join("schema/catalog.yaml"),
    }];
    catalogs.extend(sizes.iter().map(|size| ValidationCatalog {
        name: format!("synthetic, {} events", size.events),
        root: size.layout.root.clone(),
        catalog: size.layout.catalog.clone(),
    }));
    for path in &options.validate_catalogs {
        let catalog = workspace.join(path);
        // A catalog outside the workspace is its own project.
        let root = if catalog.starts_with(workspace) {
            workspace.to_path_buf()
        } else {
            catalog.parent().unwrap_or(workspace).to_path_buf()
        };
        catalogs.push(ValidationCatalog {
            name: format!("`{}`", path.display()),
            root,
            catalog,
        });
    }
    let baseline = options.baseline_xtask.is_some();
    let mut payload_rows = Vec::new();
    let mut message_rows = Vec::new();
    let mut notes = Vec::new();
    let mut rounds = String::from("?");
    for (index, item) in catalogs.iter().enumerate() {
        progress(format!("validate: {}", item.name));
        let input = validation::input(&item.root, &item.catalog).map_err(io::Error::other)?;
        let Some(module) = input.module.filter(|module| module.exists()) else {
            notes.push(format!(
                "{}: no TypeScript module generated (run `gen` first)",
                item.name
            ));
            continue;
        };
        let dir = scratch.join(format!("validate/{index}"));
        fresh_dir(&dir)?;
        fs::write(dir.join("input.json"), &input.json)?;
        let mut modules = vec![("eventcat", module.clone())];
        if let Some(xtask) = &options.baseline_xtask {
            // The same catalog, generated by the other revision in a copy.
            let copy = dir.join("baseline");
            let relative = |path: &Path| path.strip_prefix(&item.root).map(Path::to_path_buf);
            let (Ok(catalog), Ok(module)) = (relative(&item.catalog), relative(&module)) else {
                notes.push(format!(
                    "{}: baseline skipped (outputs outside the root)",
                    item.name
                ));
                continue;
            };
            let schema_dir = catalog.parent().unwrap_or(Path::new("")).to_path_buf();
            copy_dir(&item.root.join(&schema_dir), &copy.join(&schema_dir))?;
            let run = measure::run(
                &Cmd::new(xtask)
                    .arg("gen")
                    .arg("--catalog")
                    .arg(copy.join(&catalog))
                    .dir(&copy),
                options.timeout,
            )?;
            if !run.success {
                return Err(io::Error::other(format!(
                    "baseline xtask gen failed: {}",
                    run.stderr_tail
                )));
            }
            modules.push(("baseline", copy.join(module)));
        }
        // Each module compiled alone with the harness's strict options.
        let mut compiled = Vec::new();
        for (label, module) in &modules {
            let project = dir.join(label);
            fs::create_dir_all(project.join("src"))?;
            let file = module.file_name().unwrap_or_default().to_owned();
            fs::copy(module, project.join("src").join(&file))?;
            fs::write(
                project.join("tsconfig.json"),
                ts::tsconfig()
                    .replace("\"rootDir\": \"..\"", "\"rootDir\": \"src\"")
                    .replace(
                        "[\"handlers.ts\", \"../generated/ts/*.ts\"]",
                        "[\"src/*.ts\"]",
                    ),
            )?;
            fs::write(project.join("package.json"), ts::package_json())?;
            let emit = measure::run(
                &Cmd::new(&tsc).args(["-p", "tsconfig.json"]).dir(&project),
                options.timeout,
            )?;
            if !emit.success {
                return Err(io::Error::other(format!(
                    "tsc on {}: {}",
                    module.display(),
                    emit.stderr_tail
                )));
            }
            let js = Path::new(&file).with_extension("js");
            compiled.push((*label, project.join("dist").join(js)));
        }
        let mut node = Command::new("node");
        node.arg(&script)
            .arg(dir.join("input.json"))
            .arg(&compiled[0].1);
        for (label, js) in &compiled[1..] {
            node.arg(format!("{label}={}", js.display()));
        }
        let output = node.output()?;
        if !output.status.success() {
            return Err(io::Error::other(format!(
                "validate.mjs on {}: {}",
                item.name,
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let result: serde_json::Value = serde_json::from_str(text.trim())
            .map_err(|error| io::Error::other(format!("validate.mjs output: {error}")))?;
        rounds = result["rounds"].to_string();
        let ns = |key: &str| result["ns"][key]["median"].as_f64();
        let cell = |key: &str| ns(key).map_or_else(|| "n/a".into(), |v| format!("{v:.0} ns"));
        let ratio = |a: &str, b: &str| match (ns(a), ns(b)) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
            _ => "n/a".into(),
        };
        let differ = result["errors_differ"].as_u64().unwrap_or(0);
        if differ > 0 {
            notes.push(format!(
                "{}: {differ} instance(s) on which the baseline's `parse` error differs (left out of the timing)",
                item.name
            ));
        }
        let disagreements = result["disagreements"].as_u64().unwrap_or(0);
        if disagreements > 0 {
            notes.push(format!(
                "{}: {disagreements} instance(s) on which eventcat and Ajv disagree (left out of the timing), e.g. {}",
                item.name, result["disagreement_examples"]
            ));
        }
        for (level, rows) in [
            ("payload", &mut payload_rows),
            ("message", &mut message_rows),
        ] {
            if ns(&format!("eventcat.{level}.valid")).is_none() {
                continue;
            }
            let key = |tool: &str, set: &str| format!("{tool}.{level}.{set}");
            let mut row = format!(
                "| {} | {} | {} / {} | {} | {} | {} | {} | {} | {} |",
                item.name,
                result["events"],
                result["valid"],
                result["invalid"],
                cell(&key("eventcat", "valid")),
                cell(&key("ajv", "valid")),
                ratio(&key("eventcat", "valid"), &key("ajv", "valid")),
                cell(&key("eventcat", "invalid")),
                cell(&key("ajv", "invalid")),
                ratio(&key("eventcat", "invalid"), &key("ajv", "invalid")),
            );
            if baseline {
                row.push_str(&format!(
                    " {} | {} |",
                    cell(&key("baseline", "valid")),
                    cell(&key("baseline", "invalid"))
                ));
            }
            rows.push(row);
        }
        let warmup = |tool: &str| {
            let cpu: u64 = result["warmup"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(key, _)| key.starts_with(&format!("{tool}.")))
                .filter_map(|(_, value)| value["cpu_ms"].as_u64())
                .sum();
            format!("{:.1} s", cpu as f64 / 1000.0)
        };
        let timed = result["rounds"].as_u64().is_some_and(|rounds| rounds > 0);
        notes.push(format!(
            "{}: Ajv compiled {} payload and envelope schemas in {} ms; {} mutations Ajv accepts were left out{}.",
            item.name,
            result["events"],
            result["ajv_compile_ms"],
            result["mutations_still_valid"],
            match timed {
                true => format!(
                    "; warm-up CPU time, all cases: eventcat {}, Ajv {}",
                    warmup("eventcat"),
                    warmup("ajv")
                ),
                false => String::new(),
            }
        ));
    }
    let ajv = |package: &str| {
        fs::read_to_string(
            workspace.join(format!("benches/ts/node_modules/{package}/package.json")),
        )
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|value| value["version"].as_str().map(str::to_string))
        .unwrap_or_else(|| "?".into())
    };
    report.line("");
    report.line("## TypeScript validation per message against Ajv (node)");
    report.line("");
    report.line(format!(
        "`benches/ts/validate.mjs`, node {}, Ajv {} (`ajv/dist/2020`, compiled validators, first error only) with ajv-formats {} (full mode, the formats eventcat checks). Both judge the same instances against the same schemas: each event's payload schema with the catalog's definitions under `$defs`; for messages, the envelope (`parse<Channel>Event` vs an Ajv schema per type of the envelope with the payload schema inside, looked up by type). *Valid*: the catalog's examples; *invalid*: mutations of them that Ajv rejects (eventcat must agree on every one). CPU time per call (user + system, so a run that waits for a core on a shared machine is not charged for waiting), after a warm-up of at least 1,500 calls per event type until the speed settles; median of {} interleaved rounds, every instance round-robin; ratio: eventcat ÷ Ajv (below 1: eventcat is faster).",
        first_line_of("node", &["--version"], None),
        ajv("ajv"),
        ajv("ajv-formats"),
        rounds,
    ));
    let header = || {
        let mut header = "| catalog | events | instances (valid / invalid) | valid: eventcat | Ajv | ÷ | invalid: eventcat | Ajv | ÷ |".to_string();
        let mut rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|".to_string();
        if baseline {
            header.push_str(" baseline valid | baseline invalid |");
            rule.push_str("---:|---:|");
        }
        (header, rule)
    };
    for (what, rows) in [
        ("payload (`is<Payload>`)", payload_rows),
        ("message (`parse<Channel>Event`)", message_rows),
    ] {
        if rows.is_empty() {
            continue;
        }
        let (header, rule) = header();
        report.line("");
        report.line(format!("Per {what}, nanoseconds per message:"));
        report.line("");
        report.line(header);
        report.line(rule);
        for row in rows {
            report.line(row);
        }
    }
    report.line("");
    for note in notes {
        report.line(format!("* {note}"));
    }
    Ok(())
}

fn cargo_check(
    options: &Options,
    scratch: &Path,
    workspace: &Path,
    report: &mut Report,
    sizes: &[Size],
) -> io::Result<()> {
    report.line("");
    report.line("## `cargo check` of the generated crate, against quicktype's Rust (same run)");
    report.line("");
    report.line("Each crate is copied to its own directory with this workspace's Cargo.lock (so serde and serde_json are the same versions) and checked once to build the dependencies; then only the crate is timed, two ways. *After a change*: one line of the source changed, the incremental cache kept (what `cargo check` costs after `gen` rewrote the file). *From scratch*: the crate's incremental cache removed as well (a fresh clone, or CI). quicktype's crate holds its Rust for the same payload schemas (`peer-schema.json`), with `serde` and `serde_json`, and a function that reads each payload type from text and writes it back, as a crate that uses the types would (without a caller, a library compiles none of its generic readers, and its release build would compare a crate without readers against eventcat's, whose `from_json` reads every payload). Peak memory is cargo's and rustc's maximum resident set, from scratch.");
    report.line("");
    report.line(
        "| events | crate | source | after a change | from scratch | peak memory | `cargo build --release` | eventcat ÷ quicktype (change, scratch, release) |",
    );
    report.line("|---:|---|---:|---:|---:|---:|---:|---:|");
    let target = scratch.join("check-target");
    for size in sizes {
        if size.events > options.cargo_check_max {
            report.line(format!(
                "| {} | eventcat | {} | skipped (`--cargo-check-max {}`) | | | | |",
                size.events,
                bytes(measure::disk_size(&size.layout.rust_dir.join("src"))),
                options.cargo_check_max
            ));
            continue;
        }
        let ours_dir = scratch.join(format!("check-{}", size.events));
        fresh_dir(&ours_dir)?;
        copy_dir(&size.layout.rust_dir, &ours_dir)?;
        let ours = CheckedCrate {
            name: "eventcat",
            dir: ours_dir.clone(),
            source: ours_dir.join(format!("src/{CHANNEL}.rs")),
            package: format!("{CHANNEL}-events"),
            incremental_prefix: format!("{CHANNEL}_events-"),
        };
        let theirs = quicktype_crate(options, scratch, size)?;
        let mut medians = Vec::new();
        for krate in [Some(&ours), theirs.as_ref()].into_iter().flatten() {
            fs::copy(workspace.join("Cargo.lock"), krate.dir.join("Cargo.lock"))?;
            let (row, times) = check_crate(options, scratch, &target, size.events, krate)?;
            medians.push(times);
            report.line(row);
        }
        if let [ours, theirs] = medians.as_slice() {
            let ratios: Vec<String> = ours
                .iter()
                .zip(theirs)
                .map(|pair| match pair {
                    (Some(ours), Some(theirs)) => {
                        format!("{:.2}", ours.as_secs_f64() / theirs.as_secs_f64())
                    }
                    _ => "-".into(),
                })
                .collect();
            report.line(format!(
                "| {} | **ratio** | | | | | | {} |",
                size.events,
                ratios.join(", ")
            ));
        }
    }
    Ok(())
}

/// A crate whose `cargo check` is timed.
struct CheckedCrate {
    name: &'static str,
    dir: PathBuf,
    /// The file changed before each run.
    source: PathBuf,
    /// Its package name.
    package: String,
    /// The name of its incremental cache directories, up to the hash.
    incremental_prefix: String,
}

/// quicktype's Rust for the payload schemas of `size`, as a crate; `None`
/// (reported) when quicktype is not installed or fails.
fn quicktype_crate(
    options: &Options,
    scratch: &Path,
    size: &Size,
) -> io::Result<Option<CheckedCrate>> {
    install_peers(&options.peers)?;
    let dir = scratch.join(format!("check-quicktype-{}", size.events));
    fresh_dir(&dir)?;
    fs::create_dir_all(dir.join("src"))?;
    let source = dir.join("src/lib.rs");
    let schema = size.layout.root.join("peer-schema.json");
    let peer = PEERS
        .iter()
        .find(|peer| peer.name == "quicktype → Rust")
        .expect("quicktype → Rust is a peer");
    progress(format!(
        "{} events: quicktype → Rust (not timed)",
        size.events
    ));
    let generated = measure::run(
        &(peer.command)(&options.peers, &schema, &source),
        options.timeout,
    )?;
    if !generated.success {
        progress(format!("quicktype failed: {}", generated.stderr_tail));
        return Ok(None);
    }
    // A caller per payload type, so a release build compiles the readers
    // and writers that eventcat's crate compiles for its `from_json`.
    let mut rust = fs::read_to_string(&source)?;
    let callers = peer_crate::callers(&peer_crate::payload_types(&rust));
    rust.push_str(&callers);
    fs::write(&source, rust)?;
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"quicktype-synth\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\n\
         [workspace]\n",
    )?;
    Ok(Some(CheckedCrate {
        name: "quicktype",
        dir,
        source,
        package: "quicktype-synth".into(),
        incremental_prefix: "quicktype_synth-".into(),
    }))
}

/// Times `cargo check` of one crate after a change and from scratch, and
/// (up to `--release-max` events) `cargo build --release` of the crate
/// alone; the report row and the three medians.
fn check_crate(
    options: &Options,
    scratch: &Path,
    target: &Path,
    events: usize,
    krate: &CheckedCrate,
) -> io::Result<(String, [Option<Duration>; 3])> {
    let cmd = Cmd::new("cargo")
        .args(["check", "--quiet"])
        .dir(&krate.dir)
        .env("CARGO_TARGET_DIR", target);
    let source_size = bytes(measure::disk_size(&krate.dir.join("src")));
    progress(format!(
        "{events} events: cargo check of {} (warm-up)",
        krate.name
    ));
    let warm = measure::run(&cmd, options.timeout)?;
    if !warm.success {
        let why = if warm.timed_out {
            "timed out".to_string()
        } else {
            format!("failed: {}", warm.stderr_tail.replace('\n', " "))
        };
        let row = format!(
            "| {events} | {} | {source_size} | {why} | | | | |",
            krate.name
        );
        return Ok((row, [None; 3]));
    }
    let runs = if events >= 5_000 { 1 } else { 3 };
    progress(format!(
        "{events} events: cargo check of {} after a change ×{runs}",
        krate.name
    ));
    let mut edits = 0;
    let change = measure::measure(&cmd, runs, options.timeout, None, &mut || {
        edits += 1;
        append_line(&krate.source, edits);
    });
    progress(format!(
        "{events} events: cargo check of {} from scratch",
        krate.name
    ));
    let incremental = target.join("debug/incremental");
    let fresh = measure::measure(&cmd, 1, options.timeout, Some(scratch), &mut || {
        edits += 1;
        append_line(&krate.source, edits);
        remove_prefixed(&incremental, &krate.incremental_prefix);
    });
    let release = if events <= options.release_max {
        release_build(options, target, events, krate)?
    } else {
        Sample {
            failure: Some(format!("skipped (`--release-max {}`)", options.release_max)),
            ..Sample::default()
        }
    };
    let row = format!(
        "| {events} | {} | {source_size} | {} | {} | {} | {} | |",
        krate.name,
        cell(&change),
        cell(&fresh),
        memory_cell(&fresh),
        cell(&release),
    );
    Ok((row, [change.median(), fresh.median(), release.median()]))
}

/// `cargo build --release` of the crate alone: the dependencies built
/// first, then the crate's own artefacts cleaned before the timed run.
fn release_build(
    options: &Options,
    target: &Path,
    events: usize,
    krate: &CheckedCrate,
) -> io::Result<Sample> {
    let cmd = Cmd::new("cargo")
        .args(["build", "--release", "--quiet"])
        .dir(&krate.dir)
        .env("CARGO_TARGET_DIR", target);
    progress(format!(
        "{events} events: cargo build --release of {} (warm-up)",
        krate.name
    ));
    measure::run(&cmd, options.timeout)?;
    progress(format!(
        "{events} events: cargo build --release of {}",
        krate.name
    ));
    Ok(measure::measure(
        &cmd,
        1,
        options.timeout,
        None,
        &mut || {
            let _ = Command::new("cargo")
                .args(["clean", "--release", "--quiet", "-p", &krate.package])
                .current_dir(&krate.dir)
                .env("CARGO_TARGET_DIR", target)
                .status();
        },
    ))
}

/// Changes a source file by one comment line, so cargo and rustc see new
/// content (a bare touch lets rustc's incremental cache answer everything).
fn append_line(path: &Path, edit: usize) {
    if let Ok(mut text) = fs::read_to_string(path) {
        text.push_str(&format!("// bench-report edit {edit}\n"));
        let _ = fs::write(path, text);
    }
}

/// Removes the directories in `dir` whose names start with `prefix`.
fn remove_prefixed(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// `dir` emptied of whatever an earlier run left there, and created.
fn fresh_dir(dir: &Path) -> io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn cold_start(
    options: &Options,
    scratch: &Path,
    workspace: &Path,
    report: &mut Report,
) -> io::Result<()> {
    let cold = scratch.join("cold");
    fresh_dir(&cold)?;
    let clone = cold.join("eventcat");
    progress("cold start: git clone + cargo xtask gen with a fresh target directory");
    let status = Command::new("git")
        .args(["clone", "--quiet"])
        .arg(workspace)
        .arg(&clone)
        .status()?;
    if !status.success() {
        return Err(io::Error::other("git clone failed"));
    }
    let commit = first_line_of("git", &["rev-parse", "--short", "HEAD"], Some(&clone));
    let cmd = Cmd::new("cargo")
        .args(["xtask", "gen"])
        .dir(&clone)
        .env("CARGO_TARGET_DIR", cold.join("target"));
    let sample = measure::measure(&cmd, 1, options.timeout, None, &mut || {});
    let warm = measure::measure(&cmd, 3, options.timeout, None, &mut || {});
    let crates = |edges: &str| -> String {
        let output = Command::new("cargo")
            .args(["tree", "-p", "xtask", "-e", edges, "--prefix", "none"])
            .current_dir(&clone)
            .output();
        match output {
            Ok(output) if output.status.success() => {
                let mut names: Vec<String> = String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .map(|l| {
                        l.replace(" (*)", "")
                            .replace(" (proc-macro)", "")
                            .trim()
                            .to_string()
                    })
                    .filter(|l| !l.is_empty())
                    .collect();
                names.sort();
                names.dedup();
                names.len().to_string()
            }
            _ => "n/a".into(),
        }
    };
    report.line("");
    report.line("## Cold start");
    report.line("");
    report.line(format!("`git clone` of the workspace (HEAD `{commit}`: committed work only), then `cargo xtask gen` with a fresh `CARGO_TARGET_DIR` (the dev profile, as the alias runs it): every dependency compiled, on the machine's {} cores. The crates.io download cache was warm. Crate counts are `cargo tree -p xtask --prefix none` lines, deduplicated (xtask itself included).", std::thread::available_parallelism().map_or(0, |n| n.get())));
    report.line("");
    report.line("| fresh clone: `cargo xtask gen` | then again (built) | crates, normal dependencies | crates, normal + build dependencies |");
    report.line("|---:|---:|---:|---:|");
    report.line(format!(
        "| {} | {} | {} | {} |",
        cell(&sample),
        cell(&warm),
        crates("normal"),
        crates("normal,build")
    ));
    Ok(())
}

/// The reads `wire_count` times, with their column headings, in the
/// table's order.
const ENVELOPE_MODES: [(&str, &str); 5] = [
    ("bare", "payload alone"),
    ("bare-checked", "payload alone, then `validate`"),
    ("typed", "derived typed envelope"),
    ("unchecked", "envelope `Deserialize`"),
    ("checked", "`from_json`"),
];

/// Messages read per `wire_count` run.
const ENVELOPE_COUNT: usize = 100_000;

/// The fewest rounds of the envelope section: a run takes milliseconds,
/// and the smallest message's ratio moves by a few percent between rounds.
const ENVELOPE_ROUNDS: usize = 21;

/// Envelope parsing against the payload alone: `wire_count` (the
/// repository's generated crate in release) reads each benchmark message
/// in each mode; each run is one process, rounds interleave the modes, and
/// the table has the median nanoseconds per message, and the median and
/// range of each round's ratio of `from_json` to the payload read alone,
/// then checked (the two runs of a round follow one another).
fn envelope(options: &Options, workspace: &Path, report: &mut Report) -> io::Result<()> {
    progress("envelope: cargo build --release -p eventcat-benches --example wire_count");
    let program = build_in_release(
        workspace,
        &["-p", "eventcat-benches", "--example", "wire_count"],
        "examples/wire_count",
    )?;
    let rounds = options.runs.max(ENVELOPE_ROUNDS);
    report.line("");
    report.line("## Envelope parsing against the payload alone (`wire_count`, release)");
    report.line("");
    report.line(format!("The repository's generated crate reads each benchmark message {ENVELOPE_COUNT} times per run, one process per run; {rounds} rounds interleave the reads; nanoseconds per message, median. *Payload alone* reads the payload type from the payload's bytes; *then `validate`* adds the checks `from_json` makes of the payload. The last column is the median of the rounds' ratios of `from_json` to that, with their range. Load average at the start: {}.", measure::load_average().unwrap_or_else(|| "n/a".into())));
    report.line("");
    let headings: Vec<&str> = ENVELOPE_MODES.iter().map(|(_, heading)| *heading).collect();
    report.line(format!(
        "| event | payload | {} | `from_json` ÷ payload alone, then `validate` |",
        headings.join(" | ")
    ));
    report.line(format!(
        "|---|---:|{}---:|",
        "---:|".repeat(ENVELOPE_MODES.len())
    ));
    let mut within = 0;
    let payloads = eventcat_benches::wire::payloads();
    for (event, payload) in &payloads {
        progress(format!("envelope: {event}"));
        let mut times = vec![Vec::new(); ENVELOPE_MODES.len()];
        for _ in 0..rounds {
            for ((mode, _), samples) in ENVELOPE_MODES.iter().zip(&mut times) {
                let output = Command::new(&program)
                    .args([*mode, *event, &ENVELOPE_COUNT.to_string()])
                    .output()?;
                if !output.status.success() {
                    return Err(io::Error::other(format!(
                        "wire_count {mode} {event} failed"
                    )));
                }
                samples.push(per_message(&String::from_utf8_lossy(&output.stdout)));
            }
        }
        let medians: Vec<Option<f64>> = times
            .iter()
            .map(|samples| median_of(&samples.iter().flatten().copied().collect::<Vec<_>>()))
            .collect();
        let ratios = round_ratios(&times[4], &times[1]);
        let ratio = median_of(&ratios);
        within += usize::from(ratio.is_some_and(|ratio| ratio <= 1.3));
        let cells: Vec<String> = medians
            .iter()
            .map(|median| median.map_or_else(|| "n/a".into(), |ns| format!("{ns:.0} ns")))
            .collect();
        let spread = |pick: fn(f64, f64) -> f64| ratios.iter().copied().reduce(pick);
        let ratio_cell = match (ratio, spread(f64::min), spread(f64::max)) {
            (Some(ratio), Some(low), Some(high)) => {
                format!("{ratio:.2} ({low:.2}–{high:.2})")
            }
            _ => "n/a".into(),
        };
        report.line(format!(
            "| `{event}` | {} B | {} | {ratio_cell} |",
            payload.len(),
            cells.join(" | "),
        ));
    }
    report.line("");
    report.line(format!(
        "Within 1.3× of the payload alone, then `validate` (median of the rounds): {within} of {} events.",
        payloads.len()
    ));
    Ok(())
}

/// Each round's `numerator ÷ denominator`, for the rounds that have both.
fn round_ratios(numerator: &[Option<f64>], denominator: &[Option<f64>]) -> Vec<f64> {
    numerator
        .iter()
        .zip(denominator)
        .filter_map(|pair| match pair {
            (Some(top), Some(bottom)) if *bottom > 0.0 => Some(top / bottom),
            _ => None,
        })
        .collect()
}

/// The nanoseconds per message `wire_count` printed.
fn per_message(stdout: &str) -> Option<f64> {
    stdout.lines().last()?.trim().parse().ok()
}

/// The median of `samples`, `None` when there are none.
fn median_of(samples: &[f64]) -> Option<f64> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2.0),
    }
}

/// The timing program of the wire-scale section: it links the generated
/// crate of a synthetic catalog and prints nanoseconds per operation.
const WIRE_SCALE_MAIN: &str = r#"use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

use synth_events::{SynthEnvelope, SynthEventType};

fn ns_per_op(count: usize, mut body: impl FnMut(usize)) -> f64 {
    for i in 0..count.min(100_000) {
        body(i);
    }
    let start = Instant::now();
    for i in 0..count {
        body(i);
    }
    start.elapsed().as_nanos() as f64 / count as f64
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: wire-scale <messages file>");
    let text = std::fs::read_to_string(path).expect("read the messages");
    let messages: Vec<&str> = text.lines().collect();
    for message in &messages {
        SynthEnvelope::from_json(message).expect("every example message parses");
    }
    let names: Vec<&str> = SynthEventType::ALL.iter().map(|t| t.as_str()).collect();
    let first = names[0];
    let last = names[names.len() - 1];
    let n = 1_000_000;
    let lookup_first = ns_per_op(n, |_| { black_box(SynthEventType::from_str(black_box(first)).is_ok()); });
    let lookup_last = ns_per_op(n, |_| { black_box(SynthEventType::from_str(black_box(last)).is_ok()); });
    let lookup_mixed = ns_per_op(n, |i| { black_box(SynthEventType::from_str(black_box(names[i % names.len()])).is_ok()); });
    let parse_mixed = ns_per_op(n / 2, |i| { black_box(SynthEnvelope::from_json(black_box(messages[i % messages.len()])).is_ok()); });
    let value_mixed = ns_per_op(n / 2, |i| { black_box(serde_json::from_str::<serde_json::Value>(black_box(messages[i % messages.len()])).is_ok()); });
    let bytes: usize = messages.iter().map(|m| m.len()).sum::<usize>() / messages.len();
    println!(
        "{{\"lookup_first_ns\":{lookup_first:.1},\"lookup_last_ns\":{lookup_last:.1},\"lookup_mixed_ns\":{lookup_mixed:.1},\"parse_mixed_ns\":{parse_mixed:.1},\"value_mixed_ns\":{value_mixed:.1},\"message_bytes\":{bytes}}}"
    );
}
"#;

/// Envelope parsing at catalog scale: the generated crate of each synthetic
/// catalog, built in release, timing `<Channel>EventType::from_str` and
/// `<Channel>Envelope::from_json` over every example message.
fn wire_scale(
    options: &Options,
    scratch: &Path,
    workspace: &Path,
    report: &mut Report,
    sizes: &[Size],
) -> io::Result<()> {
    report.line("");
    report.line("## Envelope parsing at catalog scale (generated crate, release build)");
    report.line("");
    report.line("A small program linking each synthetic catalog's generated crate: `SynthEventType::from_str` of the first and the last event name in catalog order and of every name round-robin, and `SynthEnvelope::from_json` of every example message round-robin, against `serde_json::from_str::<serde_json::Value>` of the same messages. Nanoseconds per call, one run. The build time includes serde and serde_json at the first size only (one shared target directory).");
    report.line("");
    report.line("| events | release build of the crate | `from_str`, first name | `from_str`, last name | `from_str`, all names | `from_json`, all examples | `Value` parse, same messages | mean message |");
    report.line("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for size in sizes {
        if size.events > options.cargo_check_max {
            report.line(format!(
                "| {} | skipped (`--cargo-check-max {}`) | | | | | | |",
                size.events, options.cargo_check_max
            ));
            continue;
        }
        let dir = scratch.join(format!("wire-{}", size.events));
        fresh_dir(&dir)?;
        fs::create_dir_all(dir.join("src"))?;
        fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"wire-scale\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nsynth-events = {{ path = \"{}\" }}\nserde_json = \"1\"\n\n[workspace]\n",
                size.layout.rust_dir.display()
            ),
        )?;
        fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        fs::write(dir.join("src/main.rs"), WIRE_SCALE_MAIN)?;
        let mut messages = String::new();
        for event in size.synth.events() {
            for example in &event.examples {
                messages.push_str(&format!(
                    "{{\"protocol_version\":1,\"event_type\":\"{}\",\"payload\":{}}}\n",
                    event.name,
                    example.to_json()
                ));
            }
        }
        fs::write(dir.join("messages.jsonl"), messages)?;
        progress(format!(
            "{} events: cargo build --release of the generated crate",
            size.events
        ));
        let build = measure::run(
            &Cmd::new("cargo")
                .args(["build", "--release", "--quiet"])
                .dir(&dir)
                .env("CARGO_TARGET_DIR", scratch.join("wire-target")),
            options.timeout,
        )?;
        if !build.success {
            report.line(format!(
                "| {} | {} | | | | | | |",
                size.events,
                if build.timed_out {
                    "timed out".to_string()
                } else {
                    format!("failed: {}", build.stderr_tail.replace('\n', " "))
                }
            ));
            continue;
        }
        let output = Command::new(scratch.join("wire-target/release/wire-scale"))
            .arg(dir.join("messages.jsonl"))
            .output()?;
        let text = String::from_utf8_lossy(&output.stdout);
        let field = |name: &str| -> String {
            text.split(&format!("\"{name}\":"))
                .nth(1)
                .and_then(|rest| rest.split([',', '}']).next())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map_or_else(|| "n/a".into(), |v| format!("{v:.0} ns"))
        };
        let mean = text
            .split("\"message_bytes\":")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .map_or_else(|| "n/a".into(), |v| format!("{} B", v.trim()));
        report.line(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            size.events,
            seconds(build.wall),
            field("lookup_first_ns"),
            field("lookup_last_ns"),
            field("lookup_mixed_ns"),
            field("parse_mixed_ns"),
            field("value_mixed_ns"),
            mean,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_say_which_side_is_faster() {
        let ms = Duration::from_millis;
        assert_eq!(
            ratio_cell(Some(ms(100)), Some(ms(1000))),
            "0.100 (10.0× faster)"
        );
        assert_eq!(
            ratio_cell(Some(ms(300)), Some(ms(150))),
            "2.00 (2.0× slower)"
        );
        assert_eq!(ratio_cell(None, Some(ms(1))), "-");
        assert_eq!(ratio_cell(Some(ms(1)), Some(ms(0))), "-");
    }

    #[test]
    fn wire_counts_figure_is_its_last_line() {
        assert_eq!(per_message("412.5\n"), Some(412.5));
        assert_eq!(per_message("a warning\n97.0\n"), Some(97.0));
        assert_eq!(per_message(""), None);
        assert_eq!(per_message("no figure\n"), None);
    }

    #[test]
    fn the_median_is_the_middle_sample_or_the_mean_of_the_middle_two() {
        assert_eq!(
            round_ratios(
                &[Some(6.0), None, Some(9.0), Some(1.0)],
                &[Some(3.0), Some(2.0), None, Some(0.0)]
            ),
            vec![2.0]
        );
        assert_eq!(median_of(&[]), None);
        assert_eq!(median_of(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median_of(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
