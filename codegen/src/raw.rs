//! The catalog's file format, exactly as written in `schema/`.
//!
//! These types only describe the files: they carry source locations and are
//! turned into the typed [`crate::model`] by validation. Unknown keys are
//! errors everywhere, so a typo such as `paylod` never passes silently. The
//! same types generate the JSON Schemas editors use to complete the files.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::node::Node;

/// Catalog settings: the channel, its envelope, the naming policy, shared
/// payload definitions and where the generated files go.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Editor hint for JSON catalogs; ignored.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// The channel's name in snake_case, e.g. `board`; it names the generated types.
    #[schemars(with = "String")]
    pub channel: Spanned<String>,
    /// What the channel carries, shown at the top of the taxonomy page.
    pub description: String,
    /// The wire version of the envelope; bump it only on a backward-incompatible envelope change.
    #[schemars(with = "u32")]
    pub protocol_version: Spanned<u32>,
    /// The envelope every message travels in.
    #[serde(default)]
    pub envelope: EnvelopeSettings,
    /// The transports messages travel over (default: `[websocket]`). `sse`
    /// adds Server-Sent Events helpers to the generated code.
    #[serde(default)]
    pub transports: Vec<Transport>,
    /// Where clients connect, e.g. the WebSocket path
    /// `/ws/projects/{project_id}`: the channel's address in the AsyncAPI
    /// document.
    #[serde(default)]
    pub address: Option<String>,
    /// What an integer that may exceed 2^53 (one without `minimum` and
    /// `maximum` inside ±(2^53−1)) is in TypeScript: `number`, which
    /// `JSON.parse` rounds beyond 2^53; `bigint` or `string`, which the
    /// generated decoder reads exactly. Unset, it is a `number` with a
    /// warning. A schema's `x-large-integer` chooses for one integer.
    #[serde(default)]
    pub large_integers: Option<LargeIntegers>,
    /// Attributes every event has, each with a default that an event's own
    /// `attributes:` may override, e.g. whether it is persisted for replay.
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
    /// The naming policy and its exceptions.
    #[serde(default)]
    pub naming: NamingSettings,
    /// Shared payload definitions (JSON Schema, draft 2020-12), reachable as `$ref: "#/$defs/<Name>"`.
    #[serde(default)]
    #[schemars(with = "Option<std::collections::BTreeMap<String, serde_json::Value>>")]
    pub definitions: Option<Node>,
    /// Event files or directories of event files, relative to this file.
    #[schemars(with = "Vec<String>")]
    pub events: Vec<Spanned<String>>,
    /// Where the generated files go, relative to this file.
    #[serde(default)]
    pub outputs: OutputSettings,
    /// The frozen-contract lock, relative to this file (default `<channel>.lock.json`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub lock: Option<Spanned<String>>,
    /// Recorded decisions that let a breaking change of the frozen contract through.
    #[serde(default)]
    pub breaking_changes: Vec<BreakingChange>,
    /// Where the code that emits and handles the events lives, so `check`
    /// can report events that drift from the catalog.
    #[serde(default)]
    pub drift: Option<DriftSettings>,
}

/// The emit sites and the frontend handlers to compare with the catalog.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DriftSettings {
    /// The Rust backend.
    #[serde(default)]
    pub rust: Option<RustDrift>,
    /// The TypeScript frontend.
    #[serde(default)]
    pub frontend: Option<FrontendDrift>,
    /// Python and Node backends (several may emit the same channel).
    #[serde(default)]
    pub backends: Vec<BackendDrift>,
}

/// A Python or Node backend: where it emits events, and through what.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackendDrift {
    /// `python`, or `node` (JavaScript and TypeScript).
    pub language: BackendLanguage,
    /// Directories (or files) of its source, relative to the catalog file.
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Spanned<String>>,
    /// Functions that take the event name as a string, as in
    /// `broadcast_board_event("task_created", ...)`; a function that forwards
    /// one of its parameters to them counts as one too. Without any,
    /// functions named like emit/broadcast/publish are found by their calls.
    #[serde(default)]
    pub emit_functions: Vec<EmitFunction>,
}

/// The language of a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BackendLanguage {
    /// `.py` files.
    Python,
    /// `.js`, `.mjs`, `.cjs`, `.ts`, `.mts`, `.cts` files.
    Node,
}

/// Where and how the backend emits events.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RustDrift {
    /// Directories (or files) of Rust source, relative to the catalog file.
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Spanned<String>>,
    /// Functions that take the event name as a string, as in
    /// `broadcast_board_event("task_created", ...)`; a function that forwards
    /// one of its parameters to them counts as one too.
    #[serde(default)]
    pub emit_functions: Vec<EmitFunction>,
}

/// A function that emits an event named by a string argument.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmitFunction {
    /// The function or method name.
    pub name: String,
    /// The 0-based position of the event-name argument (not counting `self`).
    #[serde(default)]
    pub event_arg: usize,
}

/// Where the frontend registers its handlers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontendDrift {
    /// Directories (or files) of TypeScript source, relative to the catalog file.
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Spanned<String>>,
    /// The frontend's `tsconfig.json`; when set and Node with TypeScript is
    /// installed there, `check` also runs `tsc --noEmit` on it.
    #[serde(default)]
    pub tsconfig: Option<String>,
    /// The TypeScript compiler to run, relative to the catalog file; by
    /// default the nearest `node_modules/.bin/tsc` at or above the tsconfig.
    #[serde(default)]
    pub tsc: Option<String>,
}

/// An explicit, recorded decision to break the frozen contract.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakingChange {
    /// The protocol version that ships the break; it must be the catalog's
    /// `protocol_version`, bumped past the lock's in the same change.
    #[schemars(with = "u32")]
    pub protocol_version: Spanned<u32>,
    /// The frozen event whose break this allows (its name in the lock).
    #[schemars(with = "String")]
    pub event: Spanned<String>,
    /// What changes, in a few words, e.g. `renamed to task_list_reordered`.
    pub change: String,
    /// Why the break is worth it.
    pub reason: String,
    /// The kinds of change this decision allows, by code (`property-removed`,
    /// `event-renamed`, ...); empty allows every break of the event.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub allows: Vec<Spanned<String>>,
}

/// The envelope's shape and field names.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSettings {
    /// How the message type and payload sit in the envelope.
    #[serde(default)]
    pub style: EnvelopeStyle,
    /// The field carrying the protocol version, or `null` when the wire has none.
    #[serde(default = "default_version_field")]
    pub version_field: Option<String>,
    /// The field carrying the message type.
    #[serde(default = "default_type_field")]
    pub type_field: String,
    /// The field carrying the payload (`adjacent` only; default `payload`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub payload_field: Option<Spanned<String>>,
    /// `adjacent` only: a payload with no field set is left out of the
    /// message (`{"type":"get_state"}`), and a message without the payload
    /// field reads as an empty payload when the payload allows one.
    #[serde(default)]
    pub omit_empty_payload: bool,
    /// More envelope fields, as a JSON Schema object: constants such as
    /// `type: {enum: [board.event]}`, sequence numbers, flags; with the `flat`
    /// style, the fields every message has beside the type (`project_id`, `timestamp`).
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub fields: Option<Node>,
}

impl Default for EnvelopeSettings {
    fn default() -> Self {
        EnvelopeSettings {
            style: EnvelopeStyle::default(),
            version_field: default_version_field(),
            type_field: default_type_field(),
            payload_field: None,
            omit_empty_payload: false,
            fields: None,
        }
    }
}

fn default_version_field() -> Option<String> {
    Some("protocol_version".to_string())
}

fn default_type_field() -> String {
    "event_type".to_string()
}

/// Envelope layouts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EnvelopeStyle {
    /// The payload in a field of its own: `{"<version>": 1, "<type>": "<name>", "<payload>": {...}}`.
    #[default]
    Adjacent,
    /// The payload's fields beside the type: `{"<type>": "<name>", "project_id": 1, ...}`.
    Flat,
}

/// A transport the channel's messages travel over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    /// One JSON text frame per message.
    Websocket,
    /// Server-Sent Events: `event: <type>` and `data: <envelope JSON>`.
    Sse,
}

/// An attribute every event has.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    /// The attribute's snake_case name; the generated code exposes it under this name.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The value type.
    #[serde(rename = "type")]
    pub kind: AttributeType,
    /// The value of events that do not set it.
    #[schemars(with = "serde_json::Value")]
    pub default: Node,
    /// What the attribute means.
    pub description: String,
}

/// What TypeScript carries a large integer as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LargeIntegers {
    /// A `number`: values beyond ±(2^53−1) are rounded.
    Number,
    /// A `bigint`.
    Bigint,
    /// A decimal `string`.
    String,
}

/// The value type of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AttributeType {
    /// `true` or `false`.
    Boolean,
    /// A string.
    String,
    /// An integer.
    Integer,
}

/// The naming policy.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamingSettings {
    /// Shipped names that predate the naming rule. They stay as they are until
    /// a recorded breaking rename; the list may only shrink.
    #[serde(default)]
    pub grandfathered: Vec<GrandfatheredName>,
    /// Severity per naming rule ID (`error`, `warning` or `off`); unlisted rules are errors.
    #[serde(default)]
    #[schemars(with = "Option<std::collections::BTreeMap<String, Severity>>")]
    pub rules: Option<Node>,
    /// Project verbs (base forms) the English lexicon lacks, e.g. `upsert`.
    #[serde(default)]
    pub verbs: Vec<String>,
    /// Singular words that end in `s` beyond the built-in list, e.g. `analytics`.
    #[serde(default)]
    pub singular_words: Vec<String>,
    /// Named policies for messages that are not domain events (`hello`,
    /// `ping`, commands): an event file opts in with `naming_policy: <name>`.
    #[serde(default)]
    pub policies: std::collections::BTreeMap<String, NamingPolicyDef>,
}

/// A naming policy of its own for some event files.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamingPolicyDef {
    /// Which messages follow it and why they differ from domain events.
    pub description: String,
    /// Severity per naming rule ID; unlisted rules keep the catalog's severity.
    #[schemars(with = "std::collections::BTreeMap<String, Severity>")]
    pub rules: Node,
}

/// How a naming rule's findings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Fails `gen` and `check`.
    Error,
    /// Shown; fails only with `--deny-warnings`.
    Warning,
    /// Not checked.
    Off,
}

/// A name exempt from the naming rule, with the reason.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrandfatheredName {
    /// The event name.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Why it is exempt.
    pub reason: String,
}

/// Output locations, relative to the catalog file. Every output is
/// optional: a Node or Python backend needs no Rust crate.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputSettings {
    /// The generated Rust crate.
    #[serde(default)]
    pub rust: Option<RustOutput>,
    /// The generated TypeScript module, e.g. `../frontend/src/events/board.ts`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub typescript: Option<Spanned<String>>,
    /// Also write a `package.json` marking the TypeScript module's directory
    /// as ES modules, for a directory outside any npm package (default false).
    #[serde(default)]
    pub package_json: bool,
    /// The generated Python module (`TypedDict`s, the message union and
    /// `encode`), e.g. `../backend/app/events/board.py`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub python: Option<Spanned<String>>,
    /// The generated Markdown taxonomy page.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub docs: Option<Spanned<String>>,
    /// The directory for the JSON Schemas of the catalog files themselves,
    /// for editors (default: the catalog's directory).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub editor_schemas: Option<Spanned<String>>,
    /// The channel's AsyncAPI document (YAML), for AsyncAPI Studio, docs
    /// templates, Modelina and API catalogs: a path, or `false` for none
    /// (default `<channel>.asyncapi.yaml` beside the catalog).
    #[serde(default)]
    #[schemars(with = "Option<PathOrOff>")]
    pub asyncapi: Option<Node>,
    /// The AsyncAPI version of that document: `"3.1"` (default) or `"3.0"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub asyncapi_version: Option<Spanned<String>>,
    /// One JSON Schema (2020-12) of every message, for tools that read plain
    /// JSON Schema: a path, or `false` for none (default
    /// `<channel>.messages.schema.json` beside the catalog).
    #[serde(default)]
    #[schemars(with = "Option<PathOrOff>")]
    pub json_schema: Option<Node>,
}

/// An output's path, or `false` to leave the output out.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only describes the setting to editors
pub enum PathOrOff {
    /// Where the file goes, relative to the catalog file.
    Path(String),
    /// `false`: no such file.
    Off(bool),
}

/// The generated Rust crate. Each manifest key left out here is inherited
/// from the enclosing Cargo workspace (`edition.workspace = true`) when the
/// workspace defines it, and otherwise left to Cargo's default (the edition
/// defaults to the oldest one the generated code compiles with, 2021).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RustOutput {
    /// The crate directory; `Cargo.toml`, `src/lib.rs` and the channel module are written there.
    #[schemars(with = "String")]
    pub dir: Spanned<String>,
    /// The crate's package name.
    #[schemars(with = "String")]
    pub package: Spanned<String>,
    /// `package.version`.
    #[serde(default)]
    pub version: Option<String>,
    /// `package.edition`: 2021 or 2024.
    #[serde(default)]
    pub edition: Option<String>,
    /// `package.rust-version`.
    #[serde(default)]
    pub rust_version: Option<String>,
    /// `package.license`, an SPDX expression.
    #[serde(default)]
    pub license: Option<String>,
    /// `package.publish`.
    #[serde(default)]
    pub publish: Option<bool>,
}

/// A file of events about one resource.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    /// Editor hint for JSON event files; ignored.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// The resource these events are about, singular snake_case (`task`, `task_run`).
    #[schemars(with = "String")]
    pub resource: Spanned<String>,
    /// What the resource is, shown on the taxonomy page.
    #[serde(default)]
    pub description: Option<String>,
    /// Who sends these messages: the server (events, the default) or the client (commands).
    #[serde(default)]
    pub direction: Direction,
    /// A naming policy from `naming.policies` for these messages instead of the catalog's.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub naming_policy: Option<Spanned<String>>,
    /// The events.
    pub events: Vec<EventDef>,
}

/// One event.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// The wire name, `<resource>_<past-tense-verb>`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What happened, in a sentence or two.
    pub description: String,
    /// The version that first shipped the event, e.g. `0.2`.
    #[schemars(with = "String")]
    pub since: Spanned<String>,
    /// Whether the event is part of the frozen public contract.
    pub stability: Stability,
    /// The webhook counterpart: derived dot form (default), an explicit name, or none.
    #[serde(default)]
    pub webhook: Webhook,
    /// The payload as a JSON Schema (draft 2020-12) of an object.
    #[serde(default)]
    #[schemars(with = "serde_json::Value")]
    pub payload: Option<Node>,
    /// Example payloads; each must validate against the payload schema.
    #[schemars(with = "Vec<serde_json::Value>", length(min = 1))]
    pub examples: Spanned<Vec<Node>>,
    /// Why and how the event is deprecated, if it is.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// Former wire names the generated parsers still accept (after a recorded rename).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Vec<Spanned<String>>,
    /// Naming rules this event is exempt from, each with its reason.
    #[serde(default)]
    pub exceptions: Vec<RuleException>,
    /// Why no scanned code emits the event (another service does), if so.
    #[serde(default)]
    pub emitted_elsewhere: Option<String>,
    /// Values of the catalog's `attributes` where this event differs from the default.
    #[serde(default)]
    #[schemars(with = "Option<std::collections::BTreeMap<String, serde_json::Value>>")]
    pub attributes: Option<Node>,
}

/// Who sends a message.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Server to client: an event.
    #[default]
    ServerToClient,
    /// Client to server: a command.
    ClientToServer,
}

/// An exemption from one naming rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleException {
    /// The rule ID, e.g. `past-tense-verb`.
    #[schemars(with = "String")]
    pub rule: Spanned<String>,
    /// Why the event does not follow it.
    pub reason: String,
}

/// Whether an event is part of the frozen contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stability {
    /// Part of the public contract: renaming or removing it is a breaking change.
    Frozen,
    /// May still change without notice.
    Experimental,
}

/// An event's webhook counterpart.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Webhook {
    /// The dot form of the name: `task_created` is `task.created`.
    #[default]
    Derived,
    /// The event has no webhook counterpart.
    WsOnly,
    /// An explicit webhook name.
    Name(String),
}
