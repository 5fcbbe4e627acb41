//! `eventcat import asyncapi FILE`: an AsyncAPI 3.0 or 3.1 document (YAML
//! or JSON, `$ref`s into other files followed) turned into catalogs.
//!
//! The steps, a module each: [`document`] reads the document and every file
//! it refers to; [`channels`] lists each channel's messages with the
//! direction its operations give them (from the application's side: `send`
//! is an event, `receive` a command); [`wire`] finds how messages are told
//! apart on the wire (the `x-eventcat` settings of a document eventcat
//! wrote, else a property every message fixes to its own `const`);
//! [`events`] turns each message into an event, with [`payloads`] taking
//! the envelope's keys out of its schema and [`convert`] making its
//! `$ref`s shared definitions; [`files`] lays the catalog out as files.
//!
//! Nothing is renamed or dropped silently: a wire name that breaks the naming
//! rule is kept (and grandfathered, unless asked not to), and what a catalog
//! cannot say is listed in [`Imported::unrepresented`] with its place.

mod channels;
mod convert;
mod document;
mod events;
mod files;
mod payloads;
mod wire;

use std::path::PathBuf;

use heck::ToSnakeCase;

use channels::{Channel, messages};
use convert::Converter;
use document::{Loaded, check_version};

/// What `import asyncapi` reads and how it splits the document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The AsyncAPI document.
    pub document: PathBuf,
    /// The channel name of the catalog (snake_case); by default the
    /// document's own (`x-eventcat`), its only channel's, or its title's.
    pub channel: Option<String>,
    /// One catalog per AsyncAPI channel instead of one for the document.
    pub per_channel: bool,
    /// Leave names that break the naming rule for `gen` to report, rather
    /// than grandfathering them as published.
    pub no_grandfather: bool,
}

/// The catalogs, and what they could not say.
#[derive(Debug, Default)]
pub struct Imported {
    /// One per catalog: its folder (relative) and files.
    pub catalogs: Vec<ImportedCatalog>,
    /// What the catalogs do not represent, each at its place in the document.
    pub unrepresented: Vec<Finding>,
}

/// One catalog written from the document.
#[derive(Debug, Default)]
pub struct ImportedCatalog {
    /// The channel name.
    pub channel: String,
    /// `catalog.yaml` and one event file per resource and direction.
    pub files: Vec<(PathBuf, String)>,
    /// How many events and commands.
    pub events: usize,
    /// How many shared definitions.
    pub definitions: usize,
    /// Names kept as published though they break the naming rule.
    pub grandfathered: Vec<String>,
    /// Events whose example was made from the schema (the document had none).
    pub sampled_examples: Vec<String>,
}

/// Something the catalog cannot represent, and where the document says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `file#/json/pointer`.
    pub at: String,
    /// What is lost or changed.
    pub message: String,
}

/// Imports the document; an error says why nothing could be imported.
pub fn import(options: &Options) -> Result<Imported, String> {
    let mut loaded = Loaded::read(&options.document)?;
    let root = loaded.root.clone();
    let mut findings = Vec::new();
    check_version(&loaded, &mut findings)?;
    let channels = messages(&mut loaded, &mut findings)?;
    if channels.iter().all(|channel| channel.messages.is_empty()) {
        return Err(format!(
            "{} describes no messages: there is nothing to import",
            options.document.display()
        ));
    }
    let groups: Vec<Vec<&Channel>> = if options.per_channel {
        channels.iter().map(|channel| vec![channel]).collect()
    } else {
        vec![channels.iter().collect()]
    };
    let mut imported = Imported::default();
    for group in groups {
        let name = channel_name(options, &loaded, &group, channels.len());
        let catalog =
            Converter::new(&mut loaded, &root, &mut findings).catalog(&name, &group, options)?;
        imported.catalogs.push(catalog);
    }
    imported.unrepresented = findings;
    Ok(imported)
}

/// The catalog's channel name: asked for, the document's own, the only
/// channel's, or the document's title, in snake_case.
fn channel_name(options: &Options, loaded: &Loaded, group: &[&Channel], all: usize) -> String {
    let document = loaded.document();
    let chosen = match (&options.channel, group) {
        (Some(name), _) if all == 1 || !options.per_channel => name.clone(),
        (_, [only]) if options.per_channel || all == 1 => document["x-eventcat"]["channel"]
            .as_str()
            .unwrap_or(&only.key)
            .to_string(),
        _ => document["x-eventcat"]["channel"]
            .as_str()
            .or_else(|| document["info"]["title"].as_str())
            .unwrap_or("events")
            .to_string(),
    };
    let name = chosen.to_snake_case();
    if name.is_empty() {
        "events".into()
    } else {
        name
    }
}
