//! The one typed model every renderer reads.
//!
//! Validation builds it from the raw files; after that nothing looks at YAML
//! again. Names are final here (Rust identifiers, TypeScript names, webhook
//! names), so renderers only lay them out.

use std::path::PathBuf;

use std::collections::BTreeMap;

use crate::diagnostic::Location;
pub use crate::raw::{AttributeType, Direction, EnvelopeStyle, Severity, Stability, Transport};
use crate::source::FileId;

/// A validated catalog for one channel.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The channel's snake_case name, e.g. `board`.
    pub channel: String,
    /// The channel name in UpperCamelCase, the prefix of the generated types.
    pub channel_ident: String,
    /// What the channel carries.
    pub description: String,
    /// The wire version of the envelope.
    pub protocol_version: u32,
    /// Where the catalog settings state `protocol_version`.
    pub protocol_version_origin: Location,
    /// The envelope's layout and field names.
    pub envelope: Envelope,
    /// Whether the channel also travels over Server-Sent Events.
    pub sse: bool,
    /// The transports it travels over, as the catalog lists them (default `[websocket]`).
    pub transports: Vec<Transport>,
    /// Where clients connect (the WebSocket or SSE path), when the catalog says.
    pub address: Option<String>,
    /// What TypeScript carries integers beyond ±(2^53−1) as, when the catalog chooses.
    pub large_integers: Option<IntegerRepr>,
    /// Attributes every event has, in catalog order.
    pub attributes: Vec<Attribute>,
    /// Names exempt from the naming rule, with reasons.
    pub grandfathered: Vec<Grandfathered>,
    /// Resources in file order, each with its events.
    pub resources: Vec<Resource>,
    /// Every event, in resource order then file order.
    pub events: Vec<Event>,
    /// Every named payload type, in the order it was first reached.
    pub types: Vec<NamedType>,
    /// Where the generated files go.
    pub outputs: Outputs,
    /// Shared payload definitions as JSON (the `$defs` of every payload schema).
    pub definitions: serde_json::Map<String, serde_json::Value>,
    /// The naming policy's settings.
    pub naming: NamingPolicy,
    /// Recorded decisions to break the frozen contract.
    pub breaking_changes: Vec<BreakingDecision>,
    /// Where the catalog settings file says things (for diagnostics about the catalog as a whole).
    pub settings_origin: Location,
    /// Where the emitting and handling code lives, when drift is checked.
    pub drift: Option<Drift>,
    /// Warnings found while building the model (the model is still sound).
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

/// Code to compare with the catalog.
#[derive(Debug, Clone, Default)]
pub struct Drift {
    /// Rust source files or directories.
    pub rust_sources: Vec<(PathBuf, Location)>,
    /// String-taking emit functions: name and event-argument position.
    pub emit_functions: Vec<(String, usize)>,
    /// TypeScript source files or directories.
    pub frontend_sources: Vec<(PathBuf, Location)>,
    /// The frontend's tsconfig, to type-check it.
    pub tsconfig: Option<PathBuf>,
    /// The TypeScript compiler to run, when not the nearest installed one.
    pub tsc: Option<PathBuf>,
    /// Python and Node backends.
    pub backends: Vec<Backend>,
}

/// A Python or Node backend whose emit sites are checked.
#[derive(Debug, Clone)]
pub struct Backend {
    /// Its language.
    pub language: crate::raw::BackendLanguage,
    /// Its source files or directories.
    pub sources: Vec<(PathBuf, Location)>,
    /// String-taking emit functions: name and event-argument position.
    pub emit_functions: Vec<(String, usize)>,
}

/// Settings of the naming lint.
#[derive(Debug, Clone, Default)]
pub struct NamingPolicy {
    /// Severity per rule ID, where the catalog overrides the default (error).
    pub severities: BTreeMap<String, Severity>,
    /// Extra base-form verbs.
    pub verbs: Vec<String>,
    /// Extra singular words ending in `s`.
    pub singular_words: Vec<String>,
    /// Where each grandfathered name is listed.
    pub grandfathered_origins: BTreeMap<String, Location>,
    /// Named policies event files opt into: rule severities over the catalog's.
    pub policies: BTreeMap<String, NamedPolicy>,
}

/// A naming policy for messages that are not domain events.
#[derive(Debug, Clone, Default)]
pub struct NamedPolicy {
    /// Which messages follow it and why.
    pub description: String,
    /// Severity per rule ID, over the catalog's.
    pub severities: BTreeMap<String, Severity>,
}

/// An attribute every event has.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// The snake_case name.
    pub name: String,
    /// What it means.
    pub description: String,
    /// The value of events that do not set it (its variant is the attribute's type).
    pub default: AttributeValue,
}

/// The value of an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeValue {
    /// A boolean.
    Boolean(bool),
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
}

/// A recorded decision that lets one frozen event break.
#[derive(Debug, Clone)]
pub struct BreakingDecision {
    /// The protocol version that ships the break.
    pub protocol_version: u32,
    /// The event's name in the lock.
    pub event: String,
    /// What changes.
    pub change: String,
    /// Why.
    pub reason: String,
    /// The codes of the changes it allows; empty allows every break of the event.
    pub allows: Vec<String>,
    /// Where the decision is written.
    pub origin: Location,
}

/// An event's exemption from one naming rule.
#[derive(Debug, Clone)]
pub struct RuleException {
    /// The rule ID.
    pub rule: String,
    /// Why.
    pub reason: String,
    /// Where the exception is written.
    pub origin: Location,
}

/// The envelope: `{"<version>": n, "<type>": "<name>", "<payload>": {..}}`
/// (adjacent) or `{"<type>": "<name>", <payload fields>}` (flat), plus any
/// fields of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Where the payload sits.
    pub style: EnvelopeStyle,
    /// The protocol version field, when the wire has one.
    pub version_field: Option<String>,
    /// The message type field.
    pub type_field: String,
    /// The payload field (adjacent style only).
    pub payload_field: Option<String>,
    /// Whether an empty payload is left out, and a missing one reads as empty.
    pub omit_empty_payload: bool,
    /// The envelope's own fields (a struct type), when it has any.
    pub fields: Option<TypeId>,
    /// The schema of the envelope's own fields, as JSON.
    pub fields_schema: Option<serde_json::Value>,
    /// Where the envelope's own fields are written.
    pub fields_origin: Option<Location>,
}

/// A name that predates the naming rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grandfathered {
    /// The event name.
    pub name: String,
    /// Why it is exempt.
    pub reason: String,
}

/// A resource and the indices of its events in [`Catalog::events`].
#[derive(Debug, Clone)]
pub struct Resource {
    /// Singular snake_case name.
    pub name: String,
    /// What the resource is.
    pub description: Option<String>,
    /// Indices into [`Catalog::events`].
    pub events: Vec<usize>,
}

/// One event.
#[derive(Debug, Clone)]
pub struct Event {
    /// The wire name.
    pub name: String,
    /// The Rust variant and TypeScript name stem (UpperCamelCase).
    pub ident: String,
    /// The resource it belongs to.
    pub resource: String,
    /// Server to client (an event) or client to server (a command).
    pub direction: Direction,
    /// The named naming policy it follows instead of the catalog's, if any.
    pub naming_policy: Option<String>,
    /// One value per catalog attribute, in [`Catalog::attributes`] order.
    pub attributes: Vec<AttributeValue>,
    /// What happened.
    pub description: String,
    /// The version that first shipped it.
    pub since: String,
    /// Frozen or experimental.
    pub stability: Stability,
    /// The webhook name, or `None` when the event is WebSocket-only.
    pub webhook: Option<String>,
    /// The payload type (always a struct).
    pub payload: TypeId,
    /// The payload schema as JSON, with `$ref`s left in place.
    pub schema: serde_json::Value,
    /// Example payloads, all valid against the schema.
    pub examples: Vec<serde_json::Value>,
    /// The deprecation note, if deprecated.
    pub deprecated: Option<String>,
    /// The reason, when the name is grandfathered.
    pub grandfathered: Option<String>,
    /// Former wire names still accepted by the generated parsers.
    pub aliases: Vec<String>,
    /// Naming rules the event is exempt from.
    pub exceptions: Vec<RuleException>,
    /// Why no scanned code emits it, when another service does.
    pub emitted_elsewhere: Option<String>,
    /// Where the name is written.
    pub origin: Location,
    /// Where the payload schema is written, so that findings about a part
    /// of it point at that part ([`crate::schema_origin`]); `None` for an
    /// event no file defines.
    pub schema_source: Option<SchemaSource>,
}

/// Where an event is defined: its file, and its index in the file's
/// `events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaSource {
    /// The event file.
    pub file: FileId,
    /// The event's index in the file's `events`.
    pub index: usize,
}

/// The messages one side sends (the server's events or the clients'
/// commands) and the names of the items generated for them.
#[derive(Debug, Clone)]
pub struct Family<'a> {
    /// Who sends them.
    pub direction: Direction,
    /// `event` or `command`, in docs and field names.
    pub noun: &'static str,
    /// `Event` or `Command`, in function names (`encodeBoardEvent`).
    pub stem: &'static str,
    /// The messages, in catalog order.
    pub members: Vec<&'a Event>,
    /// `BoardEvent` / `BoardCommand`: the message enum in Rust; in
    /// TypeScript the commands' envelope union is named so too.
    pub message: String,
    /// `BoardEventType` / `BoardCommandType`: the fieldless type enum or union.
    pub kind: String,
    /// `BoardEnvelope` / `BoardCommandEnvelope`.
    pub envelope: String,
    /// `BoardPayloads` / `BoardCommandPayloads`: the TypeScript payload map.
    pub payloads: String,
    /// `BoardEnvelopeOf` / `BoardCommandOf`: the TypeScript envelope of one type.
    pub envelope_of: String,
    /// `BOARD_EVENT` / `BOARD_COMMAND`, the prefix of constants.
    pub constant: String,
}

/// Whether any of `members` is deprecated: code that names them all must
/// allow `deprecated`.
pub fn any_deprecated(members: &[&Event]) -> bool {
    members.iter().any(|event| event.deprecated.is_some())
}

/// Output locations, resolved against the catalog's directory.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// The Rust crate, if the catalog asks for one.
    pub rust: Option<RustCrate>,
    /// The TypeScript module.
    pub typescript: Option<PathBuf>,
    /// Whether a `package.json` marks the TypeScript module's directory as ES modules.
    pub package_json: bool,
    /// The Python module.
    pub python: Option<PathBuf>,
    /// The Markdown taxonomy page.
    pub docs: Option<PathBuf>,
    /// The directory for the catalog files' own JSON Schemas.
    pub editor_schemas: PathBuf,
    /// The AsyncAPI document, unless the catalog turns it off.
    pub asyncapi: Option<AsyncApiOutput>,
    /// The JSON Schema of every message, unless the catalog turns it off.
    pub json_schema: Option<PathBuf>,
    /// The frozen-contract lock.
    pub lock: PathBuf,
    /// Where each output setting is written (`outputs.typescript`, ...), so
    /// a refusal to overwrite a file names the setting that points there.
    pub origins: BTreeMap<&'static str, Location>,
    /// How the project runs eventcat, named in headers and hints.
    pub command: ToolCommand,
    /// The catalog settings file as shown in headers, relative to the project root.
    pub catalog_file: String,
}

/// Where the AsyncAPI document goes, and which version it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsyncApiOutput {
    /// The YAML file.
    pub path: PathBuf,
    /// The AsyncAPI version.
    pub version: AsyncApiVersion,
}

/// The AsyncAPI versions eventcat writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AsyncApiVersion {
    /// 3.0.0.
    V3_0,
    /// 3.1.0, the newest the official parser accepts.
    #[default]
    V3_1,
}

impl AsyncApiVersion {
    /// The setting's spelling (`3.0`, `3.1`) as a version.
    pub fn parse(text: &str) -> Option<AsyncApiVersion> {
        match text {
            "3.0" | "3.0.0" => Some(AsyncApiVersion::V3_0),
            "3.1" | "3.1.0" => Some(AsyncApiVersion::V3_1),
            _ => None,
        }
    }

    /// The document's `asyncapi:` value.
    pub fn number(self) -> &'static str {
        match self {
            AsyncApiVersion::V3_0 => "3.0.0",
            AsyncApiVersion::V3_1 => "3.1.0",
        }
    }
}

/// The command a project runs eventcat with: `eventcat` or `cargo xtask`.
/// Generated headers and hints name `<command> gen` and `<command> check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCommand(pub String);

impl Default for ToolCommand {
    fn default() -> ToolCommand {
        ToolCommand("eventcat".to_string())
    }
}

impl ToolCommand {
    /// `eventcat gen`.
    pub fn generate(&self) -> String {
        format!("{} gen", self.0)
    }

    /// `eventcat check`.
    pub fn check(&self) -> String {
        format!("{} check", self.0)
    }
}

/// The generated Rust crate.
#[derive(Debug, Clone)]
pub struct RustCrate {
    /// The crate directory.
    pub dir: PathBuf,
    /// The package name.
    pub package: String,
    /// `[package]` keys after `name`, in manifest order.
    pub manifest: Vec<(&'static str, ManifestValue)>,
}

/// The value of one `[package]` key of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestValue {
    /// A string set in the catalog (`edition = "2024"`).
    Text(String),
    /// A boolean set in the catalog (`publish = false`).
    Flag(bool),
    /// Inherited from the enclosing workspace (`edition.workspace = true`).
    Workspace,
}

/// Index into [`Catalog::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A type with a name in the generated code.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// UpperCamelCase name, the same in Rust and TypeScript.
    pub name: String,
    /// Doc text from the schema's `description`.
    pub description: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum.
    Enum(StringEnum),
    /// A `oneOf` of objects told apart by a constant discriminator.
    Union(Union),
    /// A name for another type (a shared definition such as `TaskId`).
    Alias(Ty),
    /// A `oneOf`/`anyOf` without a discriminator: one of several types,
    /// told apart by shape, tried in this order.
    Untagged(Vec<UntaggedVariant>),
    /// `const` or `enum` values that are not all strings.
    Literals(Literals),
}

/// JSON values a value must be one of.
#[derive(Debug, Clone)]
pub struct Literals {
    /// The type every value has (`Json` when they differ), without `null`.
    pub base: Ty,
    /// The values, in schema order (with `null` if it is one).
    pub values: Vec<serde_json::Value>,
}

/// One member of an untagged union.
#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    /// The Rust variant identifier.
    pub ident: String,
    /// The member's type.
    pub ty: Ty,
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Struct {
    /// The properties, in schema order.
    pub fields: Vec<Field>,
    /// `additionalProperties: false`.
    pub deny_unknown: bool,
    /// For an open object (no `additionalProperties: false`), the Rust
    /// identifier of the map that keeps the keys the schema does not list,
    /// so a message passes through unchanged.
    pub extra: Option<String>,
}

/// A property of an object type.
#[derive(Debug, Clone)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The Rust field identifier (raw or suffixed when a keyword).
    pub rust_ident: String,
    /// Doc text.
    pub description: Option<String>,
    /// The value type.
    pub ty: Ty,
    /// Whether the property must be present.
    pub required: bool,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct StringEnum {
    /// The variants, in schema order.
    pub variants: Vec<EnumVariant>,
}

/// A string enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The wire value.
    pub value: String,
    /// The Rust variant identifier.
    pub ident: String,
}

/// A tagged union of object types.
#[derive(Debug, Clone)]
pub struct Union {
    /// The discriminator property.
    pub tag: String,
    /// The variants, in schema order.
    pub variants: Vec<UnionVariant>,
}

/// One member of a tagged union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The discriminator value.
    pub value: String,
    /// The Rust variant identifier.
    pub ident: String,
    /// The variant's fields without the discriminator (a struct type).
    pub fields: TypeId,
}

/// What TypeScript carries an integer as: `JSON.parse` rounds a `number`
/// beyond ±(2^53−1), so a large one may be read as a `bigint` or a `string`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum IntegerRepr {
    /// A `number` (exact within ±(2^53−1)).
    #[default]
    Number,
    /// A `bigint`, read exactly by the generated decoder.
    BigInt,
    /// A decimal `string`, read exactly by the generated decoder.
    String,
}

impl IntegerRepr {
    /// The setting's spelling: `number`, `bigint` or `string`.
    pub fn parse(name: &str) -> Option<IntegerRepr> {
        match name {
            "number" => Some(IntegerRepr::Number),
            "bigint" => Some(IntegerRepr::BigInt),
            "string" => Some(IntegerRepr::String),
            _ => None,
        }
    }
}

/// A value type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A string, with its `format` if any.
    String(Option<String>),
    /// An integer: `u64`/`i64` in Rust; in TypeScript a `number`, or a
    /// `bigint` or `string` where it may exceed 2^53 and the catalog says so.
    Integer {
        /// Whether the minimum is at least zero.
        unsigned: bool,
        /// What TypeScript carries it as.
        typescript: IntegerRepr,
    },
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// An array of the inner type.
    Array(Box<Ty>),
    /// An object with arbitrary keys and values of the inner type.
    Map(Box<Ty>),
    /// A named type.
    Named(TypeId),
    /// The inner type or `null`.
    Nullable(Box<Ty>),
    /// Free-form JSON: `{}`, or `x-free-form: true`.
    Json,
    /// Only `null` (`type: "null"`).
    Null,
}

impl Ty {
    /// Whether the type is, or holds, a map of typed values.
    pub fn has_typed_map(&self) -> bool {
        match self {
            Ty::Map(inner) => **inner != Ty::Json || inner.has_typed_map(),
            Ty::Array(inner) | Ty::Nullable(inner) => inner.has_typed_map(),
            _ => false,
        }
    }

    /// Whether the type is, or holds, free-form JSON.
    pub fn contains_json(&self) -> bool {
        match self {
            Ty::Json => true,
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => inner.contains_json(),
            _ => false,
        }
    }
}

impl Catalog {
    /// Whether a named type's field, alias or union member is free-form
    /// JSON (`JsonValue` in TypeScript).
    pub fn uses_json(&self) -> bool {
        self.types.iter().any(|ty| match &ty.kind {
            TypeKind::Struct(object) => object.fields.iter().any(|field| field.ty.contains_json()),
            TypeKind::Alias(target) => target.contains_json(),
            TypeKind::Untagged(variants) => {
                variants.iter().any(|variant| variant.ty.contains_json())
            }
            TypeKind::Literals(_) | TypeKind::Enum(_) | TypeKind::Union(_) => false,
        })
    }

    /// Whether messages carry JSON objects the generated types do not
    /// describe key by key (free-form values, open objects' other keys),
    /// whose key order the Rust crate must keep to write them back unchanged.
    pub fn has_free_form_objects(&self) -> bool {
        self.uses_json()
            || self.types.iter().any(|ty| match &ty.kind {
                TypeKind::Struct(object) => object.extra.is_some(),
                TypeKind::Literals(literals) => literals.base.contains_json(),
                _ => false,
            })
    }

    /// Whether a type has a map whose values are typed (not free-form
    /// JSON), which the Rust crate reads into an order-keeping map.
    pub fn has_typed_maps(&self) -> bool {
        self.types.iter().any(|ty| match &ty.kind {
            TypeKind::Struct(object) => object.fields.iter().any(|field| field.ty.has_typed_map()),
            TypeKind::Alias(target) => target.has_typed_map(),
            TypeKind::Untagged(variants) => {
                variants.iter().any(|variant| variant.ty.has_typed_map())
            }
            TypeKind::Literals(_) | TypeKind::Enum(_) | TypeKind::Union(_) => false,
        })
    }

    /// The struct types that are variants of a tagged union, with the
    /// union's tag key and the variant's tag value: the languages whose
    /// variant types carry the tag as a literal read it here.
    pub fn variant_tags(&self) -> std::collections::HashMap<TypeId, (String, String)> {
        let mut tags = std::collections::HashMap::new();
        for ty in &self.types {
            if let TypeKind::Union(union) = &ty.kind {
                for variant in &union.variants {
                    tags.insert(variant.fields, (union.tag.clone(), variant.value.clone()));
                }
            }
        }
        tags
    }

    /// The named type behind an id.
    pub fn ty(&self, id: TypeId) -> &NamedType {
        &self.types[id.0]
    }

    /// Whether a type admits `null`, through any aliases it names.
    pub fn is_nullable(&self, ty: &Ty) -> bool {
        let mut ty = ty;
        // An alias chain is at most as long as the type list.
        for _ in 0..=self.types.len() {
            match ty {
                Ty::Nullable(_) | Ty::Null => return true,
                Ty::Named(id) => match &self.ty(*id).kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// The struct behind an id; event payloads and union variants are always structs.
    pub fn struct_of(&self, id: TypeId) -> Option<&Struct> {
        match &self.ty(id).kind {
            TypeKind::Struct(fields) => Some(fields),
            TypeKind::Alias(Ty::Named(inner)) => self.struct_of(*inner),
            _ => None,
        }
    }

    /// `Board` + `Event`, `Board` + `EventType`, ...
    pub fn type_name(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.channel_ident)
    }

    /// The families with at least one message, events first: the names
    /// every renderer gives their generated items, decided here once.
    pub fn families(&self) -> Vec<Family<'_>> {
        [
            (Direction::ServerToClient, "event", "Event"),
            (Direction::ClientToServer, "command", "Command"),
        ]
        .into_iter()
        .filter_map(|(direction, noun, stem)| {
            let members: Vec<&Event> = self.sent_by(direction).collect();
            let events = direction == Direction::ServerToClient;
            (!members.is_empty()).then(|| Family {
                direction,
                noun,
                stem,
                members,
                message: self.type_name(stem),
                kind: self.type_name(&format!("{stem}Type")),
                envelope: self.type_name(if events {
                    "Envelope"
                } else {
                    "CommandEnvelope"
                }),
                payloads: self.type_name(if events {
                    "Payloads"
                } else {
                    "CommandPayloads"
                }),
                envelope_of: self.type_name(if events { "EnvelopeOf" } else { "CommandOf" }),
                constant: format!("{}_{}", self.channel.to_uppercase(), noun.to_uppercase()),
            })
        })
        .collect()
    }

    /// The messages one side sends, in catalog order.
    pub fn sent_by(&self, direction: Direction) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter(move |event| event.direction == direction)
    }

    /// The envelope's own fields, when it has any.
    pub fn envelope_fields(&self) -> Option<&Struct> {
        self.envelope.fields.and_then(|id| self.struct_of(id))
    }
}
