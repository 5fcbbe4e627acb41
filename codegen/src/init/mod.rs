//! `eventcat init`: a first catalog for a repository, from nothing, from the
//! event names its code already uses ([`scan`]) or from recorded wire
//! messages ([`samples`]).
//!
//! The recipe: find what the repository has ([`layout`]), gather the events
//! (a starter event, names found in code, types seen in samples), lay out
//! the catalog files ([`files`]), then write them all or none, never over an
//! existing file ([`write`]).

mod files;
mod layout;
pub mod samples;
pub mod scan;
pub mod write;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use crate::model::ToolCommand;
use crate::naming::lexicon::Lexicon;
use crate::naming::rules;
use crate::project::{self, Marker};

pub use layout::Layout;
pub use write::write;

/// What `eventcat init` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The repository root: the project root to be.
    pub root: PathBuf,
    /// The channel name, e.g. `board`.
    pub channel: String,
    /// The envelope style; `None` takes the samples' or [`Style::Versioned`].
    pub envelope: Option<Style>,
    /// Where the catalog goes, relative to the root (default `eventcat`).
    pub dir: PathBuf,
    /// Scan the code for event names.
    pub from_code: bool,
    /// Emit functions to look for, each with its event-name argument position.
    pub emit_functions: Vec<(String, Option<usize>)>,
    /// Recorded wire messages, one JSON message per line.
    pub samples: Option<PathBuf>,
    /// Grandfather the names found that break the naming rule.
    pub grandfather: bool,
    /// The command the project will run eventcat with.
    pub command: ToolCommand,
}

/// The envelope styles of the seed systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `{"protocol_version": 1, "event_type": "<name>", "payload": {...}}`.
    Versioned,
    /// `{"type": "<name>", "payload": {...}}`.
    TypePayload,
    /// `{"type": "<name>", <payload fields>}`.
    Flat,
}

/// One event of the catalog to be.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The wire name.
    pub name: String,
    /// The resource file it goes in.
    pub resource: String,
    /// What the catalog says about it.
    pub description: String,
    /// The payload schema; `None` when nothing showed it (check fails until written).
    pub payload: Option<serde_json::Value>,
    /// Example payloads.
    pub examples: Vec<serde_json::Value>,
    /// Whether the name breaks the naming rule and was grandfathered.
    pub grandfathered: bool,
}

/// What `init` will write and what it found on the way.
#[derive(Debug)]
pub struct Plan {
    /// New files, relative to the root, with their contents.
    pub files: Vec<(PathBuf, String)>,
    /// The project settings: a new `eventcat.toml`, or a table appended to
    /// the workspace's `Cargo.toml`.
    pub marker: Marker,
    /// The project settings' text (the whole `eventcat.toml`, or the table).
    pub settings: String,
    /// Findings to show: names found and where, names that break the rule.
    pub report: Vec<String>,
    /// What to do next.
    pub next_steps: Vec<String>,
}

/// Plans an `init`: every file and what to tell the user, or why not.
pub fn plan(options: &Options) -> Result<Plan, String> {
    refuse_existing_project(&options.root)?;
    if !crate::names::is_snake_case(&options.channel) {
        return Err(format!(
            "`{}` is not a channel name: use lowercase letters, digits and single underscores, e.g. `board`",
            options.channel
        ));
    }
    let mut report = Vec::new();
    let scan = options.from_code.then(|| scan_code(options, &mut report));
    let inference = options
        .samples
        .as_ref()
        .map(|path| read_samples(&options.root, path, &mut report))
        .transpose()?;
    let style = choose_style(options.envelope, inference.as_ref())?;
    let layout = Layout::detect(options, scan.as_ref());
    let mut drafts = gather(scan.as_ref(), inference.as_ref());
    if drafts.is_empty() {
        if options.from_code || options.samples.is_some() {
            report.push(
                "no event names were found; the catalog starts with one example event".into(),
            );
        }
        drafts.push(starter_event());
    }
    name_problems(&mut drafts, options.grandfather, &mut report);
    let files = files::catalog_files(options, &layout, style, inference.as_ref(), &drafts);
    let marker = layout.marker;
    let settings = files::project_settings(options, marker);
    let next_steps = next_steps(options, &layout, &drafts);
    Ok(Plan {
        files,
        marker,
        settings,
        report,
        next_steps,
    })
}

/// `init` never reconfigures a project that has settings already.
fn refuse_existing_project(root: &Path) -> Result<(), String> {
    let mut sources = crate::source::Sources::new(root);
    match project::at(root, "eventcat", &mut sources) {
        Ok(project) => Err(format!(
            "`{}` is already an eventcat project ({}); edit its catalogs instead",
            root.display(),
            project.marker.table()
        )),
        Err(error) if error.rule == "no-project" => Ok(()),
        Err(error) => Err(error.message),
    }
}

fn scan_code(options: &Options, report: &mut Vec<String>) -> scan::Scan {
    let scan_options = scan::ScanOptions {
        emit_functions: options.emit_functions.clone(),
        exclude: Vec::new(),
    };
    let scan = scan::scan(&options.root, &scan_options);
    for site in scan
        .emits
        .iter()
        .chain(&scan.handlers)
        .filter(|site| !site.in_test)
    {
        report.push(format!(
            "found `{}` at {}:{}",
            site.name,
            site.path.display(),
            site.line
        ));
    }
    for unverifiable in &scan.unverifiable {
        report.push(format!(
            "`{}` at {}:{} gets a computed event name; eventcat cannot tell which events it emits",
            unverifiable.function,
            unverifiable.path.display(),
            unverifiable.line
        ));
    }
    report.extend(scan.problems.iter().cloned());
    scan
}

fn read_samples(
    root: &Path,
    path: &Path,
    report: &mut Vec<String>,
) -> Result<samples::Inference, String> {
    let full = root.join(path);
    let text = std::fs::read_to_string(&full)
        .map_err(|error| format!("cannot read the samples `{}`: {error}", full.display()))?;
    let (parsed, problems) = samples::parse_lines(&text);
    let mut problem_lines: Vec<String> = problems
        .iter()
        .map(|problem| sample_problem(path, problem))
        .collect();
    let inference = samples::infer(&parsed).map_err(|problem| sample_problem(path, &problem))?;
    problem_lines.extend(
        inference
            .problems
            .iter()
            .map(|problem| sample_problem(path, problem)),
    );
    report.append(&mut problem_lines);
    Ok(inference)
}

fn sample_problem(path: &Path, problem: &samples::SampleProblem) -> String {
    match problem.line {
        Some(line) => format!("{}:{line}: {}", path.display(), problem.message),
        None => format!("{}: {}", path.display(), problem.message),
    }
}

/// The envelope: as asked, as the samples show, or seed 000's.
fn choose_style(
    asked: Option<Style>,
    inference: Option<&samples::Inference>,
) -> Result<Style, String> {
    let seen = inference.map(|inference| match &inference.envelope {
        samples::EnvelopeGuess::Adjacent { version_field, .. } if version_field.is_some() => {
            Style::Versioned
        }
        samples::EnvelopeGuess::Adjacent { .. } => Style::TypePayload,
        samples::EnvelopeGuess::Flat { .. } => Style::Flat,
    });
    match (asked, seen) {
        (Some(asked), Some(seen)) if asked != seen => Err(format!(
            "`--envelope {}` disagrees with the samples, which use the {} envelope; drop `--envelope`",
            style_name(asked),
            style_name(seen)
        )),
        (asked, seen) => Ok(asked.or(seen).unwrap_or(Style::Versioned)),
    }
}

/// The `--envelope` value of a style.
pub fn style_name(style: Style) -> &'static str {
    match style {
        Style::Versioned => "versioned",
        Style::TypePayload => "type-payload",
        Style::Flat => "flat",
    }
}

/// Every event name found, in order of first appearance: samples first
/// (they bring payloads), then names in code.
fn gather(scan: Option<&scan::Scan>, inference: Option<&samples::Inference>) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = Vec::new();
    for event in inference.iter().flat_map(|inference| &inference.events) {
        let count = event.lines.len();
        drafts.push(Draft {
            name: event.name.clone(),
            resource: resource_of(&event.name),
            description: format!(
                "Seen in {count} recorded message{}. Say what happened and what a client does about it.",
                if count == 1 { "" } else { "s" }
            ),
            payload: Some(event.schema.clone()),
            examples: event.examples.clone(),
            grandfathered: false,
        });
    }
    // Test code repeats names it tests; a handler key that is no event name
    // (`onOpen`) is not an event.
    let sites = scan
        .into_iter()
        .flat_map(|scan| scan.emits.iter().chain(&scan.handlers))
        .filter(|site| !site.in_test && scan::looks_like_event_name(&site.name));
    for site in sites {
        if drafts.iter().any(|draft| draft.name == site.name) {
            continue;
        }
        drafts.push(Draft {
            name: site.name.clone(),
            resource: resource_of(&site.name),
            description: format!(
                "Found at {}:{}. Say what happened and what a client does about it.",
                site.path.display().to_string().replace('\\', "/"),
                site.line
            ),
            payload: None,
            examples: Vec::new(),
            grandfathered: false,
        });
    }
    drafts
}

/// The resource an event name is about: every word before the verb, made
/// singular (`tasks_reordered` goes with `task`); a one-word name is its
/// own resource.
fn resource_of(name: &str) -> String {
    let words: Vec<&str> = name.split('_').collect();
    let resource = match words.split_last() {
        Some((_, head)) if !head.is_empty() => head,
        _ => return name.to_string(),
    };
    resource
        .iter()
        .map(|word| {
            if rules::is_plural(word, &[]) {
                rules::singular(word)
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// The event a catalog starts with when nothing else was found.
fn starter_event() -> Draft {
    Draft {
        name: "item_created".into(),
        resource: "item".into(),
        description: "An item was created. Replace this event with your first real one: a name \
                      `<resource>_<past-tense-verb>`, its payload and a real example."
            .into(),
        payload: Some(serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["item_id"],
            "properties": {
                "item_id": {"type": "integer", "minimum": 1, "maximum": crate::schema_subset::MAX_SAFE_INTEGER, "description": "The new item's id."}
            }
        })),
        examples: vec![serde_json::json!({"item_id": 4812})],
        grandfathered: false,
    }
}

/// Reports every name that breaks the naming rule; grandfathers it when
/// asked to. Names are never renamed: they are on the wire already.
fn name_problems(drafts: &mut [Draft], grandfather: bool, report: &mut Vec<String>) {
    let lexicon = Lexicon::builtin();
    for draft in drafts.iter_mut() {
        let problems = rule_breaks(&draft.name, lexicon);
        if problems.is_empty() {
            continue;
        }
        draft.grandfathered = grandfather;
        let action = if grandfather {
            "grandfathered"
        } else {
            "pass --grandfather to keep it as a shipped name, or rename it in code and catalog"
        };
        report.push(format!(
            "`{}` breaks the naming rule ({}): {action}",
            draft.name,
            problems.join("; ")
        ));
    }
}

/// Which parts of `<resource>_<past-tense-verb>` a name breaks.
pub(crate) fn rule_breaks(name: &str, lexicon: &Lexicon) -> Vec<String> {
    if !crate::names::is_snake_case(name) {
        return vec!["snake-case: not lowercase words joined by underscores".into()];
    }
    let words: Vec<&str> = name.split('_').collect();
    let mut problems = Vec::new();
    let verb = words.last().copied().unwrap_or_default();
    if words.len() < 2 || !lexicon.is_past(verb) {
        problems.push(format!(
            "past-tense-verb: `{verb}` is not a past-tense verb"
        ));
    }
    if let Some(plural) = words[..words.len().saturating_sub(1)]
        .iter()
        .find(|word| rules::is_plural(word, &[]))
    {
        problems.push(format!("singular-resource: `{plural}` is plural"));
    }
    problems
}

fn next_steps(options: &Options, layout: &Layout, drafts: &[Draft]) -> Vec<String> {
    let command = &options.command;
    let mut steps = Vec::new();
    let unwritten = drafts
        .iter()
        .filter(|draft| draft.payload.is_none())
        .count();
    if unwritten > 0 {
        steps.push(format!(
            "write the payload schema and an example of the {unwritten} event{} marked `# payload:` in {}/events/; `check` fails until they are written",
            if unwritten == 1 { "" } else { "s" },
            options.dir.display()
        ));
    }
    steps.push(format!(
        "run `{}` to generate the code, the docs page and the lock",
        command.generate()
    ));
    if let Some(rust) = &layout.rust_dir {
        steps.push(format!(
            "make the backend depend on the generated crate: `{}-events = {{ path = \"<relative path to {}>\" }}`",
            options.channel.replace('_', "-"),
            rust.display()
        ));
    }
    if let Some(ts) = &layout.typescript {
        steps.push(format!(
            "import the handlers and envelope from `{}`",
            ts.display()
        ));
    }
    let has_drift_paths = !(layout.rust_sources.is_empty() && layout.frontend_sources.is_empty());
    if !layout.drift_active && has_drift_paths {
        steps.push(format!(
            "once the backend emits and the frontend handles events through the generated code, uncomment `drift:` in {}",
            options.dir.join(format!("{}.yaml", options.channel)).display()
        ));
    }
    steps.push(format!(
        "run `{}` in CI: it fails on stale output, broken contracts and drift",
        command.check()
    ));
    steps
}
