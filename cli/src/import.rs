//! `eventcat import json-schema DIR` and `eventcat import asyncapi FILE`:
//! the library's imports, written as new files, and what to do next.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use eventcat_codegen::import;
use eventcat_codegen::init::write::create_files;

use crate::Entry;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// A folder of event JSON Schemas (JSON or YAML; `$ref`s between files
    /// by path or `$id`): the schemas directly in it are the events, the
    /// ones they refer to become shared definitions.
    JsonSchema(JsonSchemaArgs),
    /// An AsyncAPI 3.0 or 3.1 document (YAML or JSON; `$ref`s into other
    /// files followed; 2.6 read with notes): its messages become events
    /// (sent by the application) and commands (received by it).
    Asyncapi(AsyncApiArgs),
}

#[derive(Args)]
pub struct AsyncApiArgs {
    /// The AsyncAPI document.
    #[arg(value_name = "FILE")]
    document: PathBuf,
    /// The channel name in snake_case (default: the document's channel, or
    /// its title).
    #[arg(long)]
    channel: Option<String>,
    /// One catalog per AsyncAPI channel, each in a folder named after it,
    /// instead of one catalog of every channel's messages.
    #[arg(long)]
    per_channel: bool,
    /// Do not grandfather names that break the naming rule: `gen` reports
    /// them, to be renamed (with the old name as an alias) or grandfathered.
    #[arg(long)]
    no_grandfather: bool,
    /// Where the catalog goes, relative to the current directory
    /// (default: a folder named after the channel).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct JsonSchemaArgs {
    /// The folder of schemas.
    #[arg(value_name = "DIR")]
    schemas: PathBuf,
    /// A folder of example messages, matched to events by file name
    /// (`artifact_packaged.json` for `artifactpackaged.json`).
    #[arg(long, value_name = "DIR")]
    examples: Option<PathBuf>,
    /// The channel name in snake_case; it names the generated types.
    #[arg(long)]
    channel: String,
    /// Where the catalog goes, relative to the current directory
    /// (default: a folder named after the channel).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Imports and writes the catalog; never over an existing file.
pub fn run(entry: Entry, cwd: &Path, command: ImportCommand) -> ExitCode {
    match command {
        ImportCommand::JsonSchema(args) => json_schema(entry, cwd, args),
        ImportCommand::Asyncapi(args) => asyncapi(entry, cwd, args),
    }
}

fn asyncapi(entry: Entry, cwd: &Path, args: AsyncApiArgs) -> ExitCode {
    let options = import::asyncapi::Options {
        document: cwd.join(&args.document),
        channel: args.channel,
        per_channel: args.per_channel,
        no_grandfather: args.no_grandfather,
    };
    let imported = match import::asyncapi::import(&options) {
        Ok(imported) => imported,
        Err(message) => return fail(&message),
    };
    let several = imported.catalogs.len() > 1;
    let base = args.out.map(|out| cwd.join(out));
    let mut written = Vec::new();
    for catalog in &imported.catalogs {
        let out = match (&base, several) {
            (Some(base), true) => base.join(&catalog.channel),
            (Some(base), false) => base.clone(),
            (None, _) => cwd.join(&catalog.channel),
        };
        if let Err(message) = create_files(&out, &catalog.files) {
            return fail(&message);
        }
        for (path, _) in &catalog.files {
            eprintln!("wrote {}", out.join(path).display());
        }
        eprintln!(
            "\n`{}`: imported {} messages and {} shared definitions",
            catalog.channel, catalog.events, catalog.definitions
        );
        if !catalog.grandfathered.is_empty() {
            eprintln!(
                "note: kept as published and grandfathered (they break the naming rule): {}\n      to rename one instead, run again with `--no-grandfather` and give each new name its old one under `aliases:`",
                catalog.grandfathered.join(", ")
            );
        }
        if !catalog.sampled_examples.is_empty() {
            eprintln!(
                "note: the document gives no valid example of {}; each got one made from its schema: replace it with a real message",
                catalog.sampled_examples.join(", ")
            );
        }
        written.push(out.join("catalog.yaml"));
    }
    if !imported.unrepresented.is_empty() {
        eprintln!("\nwhat the catalog does not represent:");
        for finding in &imported.unrepresented {
            eprintln!("  {}: {}", finding.at, finding.message);
        }
    }
    let shown: Vec<String> = written
        .iter()
        .map(|path| path.strip_prefix(cwd).unwrap_or(path).display().to_string())
        .collect();
    eprintln!(
        "\nnext:\n  1. list {} under `catalogs` in the project settings (or run `{} init` first)\n  2. run `{} gen`",
        shown
            .iter()
            .map(|path| format!("`{path}`"))
            .collect::<Vec<_>>()
            .join(", "),
        entry.command(),
        entry.command()
    );
    ExitCode::SUCCESS
}

fn json_schema(entry: Entry, cwd: &Path, args: JsonSchemaArgs) -> ExitCode {
    let out = cwd.join(args.out.unwrap_or_else(|| PathBuf::from(&args.channel)));
    let options = import::Options {
        schemas: cwd.join(&args.schemas),
        examples: args.examples.map(|dir| cwd.join(dir)),
        channel: args.channel,
    };
    let imported = match import::json_schema(&options) {
        Ok(imported) => imported,
        Err(message) => return fail(&message),
    };
    if let Err(message) = create_files(&out, &imported.files) {
        return fail(&message);
    }
    for (path, _) in &imported.files {
        eprintln!("wrote {}", out.join(path).display());
    }
    eprintln!(
        "\nimported {} events and {} shared definitions",
        imported.events, imported.definitions
    );
    if !imported.grandfathered.is_empty() {
        eprintln!(
            "note: grandfathered as published (they break the naming rule): {}",
            imported.grandfathered.join(", ")
        );
    }
    if !imported.without_examples.is_empty() {
        eprintln!(
            "note: no example message for {}; `gen` asks for one each",
            imported.without_examples.join(", ")
        );
    }
    let catalog = out.join("catalog.yaml");
    let shown = catalog.strip_prefix(cwd).unwrap_or(&catalog).display();
    eprintln!(
        "\nnext:\n  1. list `{shown}` under `catalogs` in the project settings (or run `{} init` first)\n  2. run `{} gen`",
        entry.command(),
        entry.command()
    );
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}\nnothing was written");
    ExitCode::FAILURE
}
