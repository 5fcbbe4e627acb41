//! Deterministic synthetic catalogs of any number of events.
//!
//! Every event is generated from its own index with a seeded PRNG, so the
//! catalog of 100 events is a prefix of the catalog of 1,000, and two runs
//! produce byte-identical files. Payloads have 5 to 15 top-level fields and
//! use the whole supported schema subset: `$ref`s to shared definitions
//! (integers, a string enum, objects), bounded integers, nullable and
//! optional fields, string formats and patterns, string enums, arrays of
//! ids, enums and objects, inline nested objects, maps, and now and then a
//! `oneOf` with a `const` discriminator. Every event has one or two examples
//! that validate against its schema.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::value::Value;

/// The largest integer JavaScript represents exactly (2^53 - 1).
pub const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// The channel name of every synthetic catalog.
pub const CHANNEL: &str = "synth";

/// Events per resource (one event file each).
pub const EVENTS_PER_RESOURCE: usize = 10;

/// A synthetic catalog, in memory.
#[derive(Debug, Clone)]
pub struct SynthCatalog {
    /// Shared definitions, `$ref`'d as `#/$defs/<Name>`.
    pub definitions: Vec<(String, Value)>,
    /// The resources, one event file each.
    pub resources: Vec<SynthResource>,
}

/// One resource and its events.
#[derive(Debug, Clone)]
pub struct SynthResource {
    /// The resource name, e.g. `res42_invoice`.
    pub name: String,
    /// What the resource is.
    pub description: String,
    /// Its events.
    pub events: Vec<SynthEvent>,
}

/// One event.
#[derive(Debug, Clone)]
pub struct SynthEvent {
    /// The wire name, e.g. `res42_invoice_created`.
    pub name: String,
    /// UpperCamelCase of the name, e.g. `Res42InvoiceCreated`.
    pub ident: String,
    /// The event's description.
    pub description: String,
    /// `since`.
    pub since: String,
    /// `frozen` or `experimental`.
    pub stability: &'static str,
    /// Whether the event is WebSocket-only (`webhook: ws-only`).
    pub ws_only: bool,
    /// A deprecation note, now and then.
    pub deprecated: Option<String>,
    /// The payload schema (refs as `#/$defs/<Name>`).
    pub payload: Value,
    /// Example payloads, each valid against `payload`.
    pub examples: Vec<Value>,
    /// A required integer field every payload has (the resource id).
    pub id_field: String,
}

/// Which outputs a written catalog asks for. The contract lock and the
/// editor schemas come with every catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outputs {
    /// The Rust crate, the TypeScript module and the docs page, with the
    /// AsyncAPI document and the JSON Schema bundle of the defaults.
    All,
    /// The TypeScript module alone, as a TypeScript-only peer writes.
    TypeScript,
    /// The Rust crate alone, as a Rust-only peer writes.
    Rust,
}

/// Where a written catalog and its generated outputs live.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The directory holding `schema/` and `generated/`.
    pub root: PathBuf,
    /// `schema/catalog.yaml`.
    pub catalog: PathBuf,
    /// `generated/` (every output is below it, except the editor schemas).
    pub generated: PathBuf,
    /// The generated Rust crate's directory.
    pub rust_dir: PathBuf,
    /// The generated TypeScript module.
    pub typescript: PathBuf,
}

impl Layout {
    /// The layout of a catalog written to `root`.
    pub fn new(root: &Path) -> Layout {
        Layout {
            root: root.to_path_buf(),
            catalog: root.join("schema/catalog.yaml"),
            generated: root.join("generated"),
            rust_dir: root.join("generated/rust"),
            typescript: root.join(format!("generated/ts/{CHANNEL}.ts")),
        }
    }
}

impl SynthCatalog {
    /// Every event, in catalog order.
    pub fn events(&self) -> impl Iterator<Item = &SynthEvent> {
        self.resources.iter().flat_map(|r| r.events.iter())
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.resources.iter().map(|r| r.events.len()).sum()
    }

    /// Whether the catalog has no events.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The settings file, `schema/catalog.yaml`, with every output.
    pub fn catalog_yaml(&self) -> String {
        self.settings_yaml(Outputs::All, "events")
    }

    /// A settings file asking for `outputs`, its event files in `events`
    /// (relative to the settings file).
    pub fn settings_yaml(&self, outputs: Outputs, events: &str) -> String {
        let rust = Value::map([
            ("dir", Value::str("../generated/rust")),
            ("package", Value::str(format!("{CHANNEL}-events"))),
        ]);
        let typescript = Value::str(format!("../generated/ts/{CHANNEL}.ts"));
        let docs = Value::str(format!("../generated/docs/{CHANNEL}-events.md"));
        let mut chosen = match outputs {
            Outputs::All => vec![("rust", rust), ("typescript", typescript), ("docs", docs)],
            Outputs::TypeScript => vec![("typescript", typescript)],
            Outputs::Rust => vec![("rust", rust)],
        };
        if outputs != Outputs::All {
            // On by default; a one-language peer writes neither.
            chosen.push(("asyncapi", Value::Bool(false)));
            chosen.push(("json_schema", Value::Bool(false)));
        }
        chosen.push(("editor_schemas", Value::str(".")));
        let settings = Value::map([
            ("channel", Value::str(CHANNEL)),
            (
                "description",
                Value::str(
                    "Synthetic events for benchmarks: realistic payloads, generated deterministically.",
                ),
            ),
            ("protocol_version", Value::Int(1)),
            (
                "envelope",
                Value::map([
                    ("style", Value::str("adjacent")),
                    ("version_field", Value::str("protocol_version")),
                    ("type_field", Value::str("event_type")),
                    ("payload_field", Value::str("payload")),
                ]),
            ),
            ("definitions", Value::Map(self.definitions.clone())),
            ("events", Value::strs([events])),
            ("outputs", Value::map(chosen)),
        ]);
        format!(
            "# yaml-language-server: $schema=./catalog.schema.json\n{}",
            settings.to_yaml()
        )
    }

    /// One resource's event file.
    pub fn event_file_yaml(resource: &SynthResource) -> String {
        let events = resource
            .events
            .iter()
            .map(|event| {
                let mut entries = vec![
                    ("name".to_string(), Value::str(&event.name)),
                    ("description".to_string(), Value::str(&event.description)),
                    ("since".to_string(), Value::str(&event.since)),
                    ("stability".to_string(), Value::str(event.stability)),
                ];
                if event.ws_only {
                    entries.push(("webhook".to_string(), Value::str("ws-only")));
                }
                entries.push(("payload".to_string(), event.payload.clone()));
                entries.push(("examples".to_string(), Value::Seq(event.examples.clone())));
                if let Some(note) = &event.deprecated {
                    entries.push(("deprecated".to_string(), Value::str(note)));
                }
                Value::Map(entries)
            })
            .collect();
        let file = Value::map([
            ("resource", Value::str(&resource.name)),
            ("description", Value::str(&resource.description)),
            ("events", Value::Seq(events)),
        ]);
        format!(
            "# yaml-language-server: $schema=../events.schema.json\n{}",
            file.to_yaml()
        )
    }

    /// Writes `schema/catalog.yaml` and `schema/events/*.yaml` below `root`
    /// (replacing an earlier `schema/events/`), and returns the layout.
    pub fn write(&self, root: &Path) -> io::Result<Layout> {
        let layout = Layout::new(root);
        let events_dir = root.join("schema/events");
        if events_dir.exists() {
            fs::remove_dir_all(&events_dir)?;
        }
        fs::create_dir_all(&events_dir)?;
        fs::write(&layout.catalog, self.catalog_yaml())?;
        for resource in &self.resources {
            fs::write(
                events_dir.join(format!("{}.yaml", resource.name)),
                Self::event_file_yaml(resource),
            )?;
        }
        Ok(layout)
    }

    /// Writes a settings file asking for `outputs` alone below `root`
    /// (`schema/catalog.yaml`), reading the event files `events` holds,
    /// and returns its layout.
    pub fn write_settings(
        &self,
        root: &Path,
        outputs: Outputs,
        events: &Path,
    ) -> io::Result<Layout> {
        let layout = Layout::new(root);
        let schema_dir = root.join("schema");
        fs::create_dir_all(&schema_dir)?;
        let events = events
            .to_str()
            .ok_or_else(|| io::Error::other("a path that is not UTF-8"))?;
        fs::write(&layout.catalog, self.settings_yaml(outputs, events))?;
        Ok(layout)
    }

    /// The same payload schemas as one JSON Schema (draft-07) document for
    /// other generators: the shared definitions and one definition per
    /// payload (`<Ident>Payload`) under `definitions`, and a root `oneOf`
    /// that references every payload so that each generator emits them all.
    pub fn peer_schema(&self) -> Value {
        let rewrite = |key: &str, text: &str| {
            (key == "$ref")
                .then(|| text.replace("#/$defs/", "#/definitions/"))
                .filter(|new| new != text)
        };
        let mut definitions: Vec<(String, Value)> = self
            .definitions
            .iter()
            .map(|(name, schema)| (name.clone(), schema.map_strings(&rewrite)))
            .collect();
        let mut refs = Vec::new();
        for event in self.events() {
            let name = format!("{}Payload", event.ident);
            refs.push(Value::map([(
                "$ref",
                Value::str(format!("#/definitions/{name}")),
            )]));
            definitions.push((name, event.payload.map_strings(&rewrite)));
        }
        Value::map([
            (
                "$schema",
                Value::str("http://json-schema.org/draft-07/schema#"),
            ),
            ("title", Value::str("SynthPayload")),
            (
                "description",
                Value::str("Any payload of the synthetic catalog."),
            ),
            ("oneOf", Value::Seq(refs)),
            ("definitions", Value::Map(definitions)),
        ])
    }
}

/// Generates the catalog of `events` events (event `i` is the same in every size).
pub fn catalog(events: usize) -> SynthCatalog {
    let mut resources: Vec<SynthResource> = Vec::new();
    for index in 0..events {
        let resource_index = index / EVENTS_PER_RESOURCE;
        let noun = &NOUNS[resource_index % NOUNS.len()];
        if resources.len() <= resource_index {
            resources.push(SynthResource {
                name: format!("res{resource_index}_{}", noun.name),
                description: format!(
                    "{} {} of tenant {resource_index}, with its lifecycle events.",
                    article(noun.human, true),
                    noun.human
                ),
                events: Vec::new(),
            });
        }
        let resource = &mut resources[resource_index];
        let event = event(index, &resource.name, noun);
        resource.events.push(event);
    }
    SynthCatalog {
        definitions: definitions(),
        resources,
    }
}

/// Upper camel case of a snake_case name (`res42_invoice` → `Res42Invoice`).
pub fn upper_camel(name: &str) -> String {
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// SplitMix64: small, fast, and good enough for shaping test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_CA7A_1065_0001)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low).saturating_add(1);
        low.saturating_add_unsigned(self.below(span))
    }

    /// True with `percent`% probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = self.below(items.len() as u64) as usize;
        &items[index]
    }
}

struct Noun {
    name: &'static str,
    human: &'static str,
    id_def: &'static str,
}

const NOUNS: &[Noun] = &[
    Noun {
        name: "invoice",
        human: "invoice",
        id_def: "InvoiceId",
    },
    Noun {
        name: "order",
        human: "order",
        id_def: "OrderId",
    },
    Noun {
        name: "ticket",
        human: "support ticket",
        id_def: "TicketId",
    },
    Noun {
        name: "build",
        human: "CI build",
        id_def: "BuildId",
    },
    Noun {
        name: "deployment",
        human: "deployment",
        id_def: "DeploymentId",
    },
    Noun {
        name: "document",
        human: "document",
        id_def: "DocumentId",
    },
    Noun {
        name: "payment",
        human: "payment",
        id_def: "PaymentId",
    },
    Noun {
        name: "shipment",
        human: "shipment",
        id_def: "ShipmentId",
    },
    Noun {
        name: "subscription",
        human: "subscription",
        id_def: "SubscriptionId",
    },
    Noun {
        name: "item",
        human: "catalog item",
        id_def: "ItemId",
    },
];

/// Ids that fields of any resource refer to, beside the resources' own.
const OTHER_IDS: &[&str] = &[
    "ProjectId",
    "MemberId",
    "TeamId",
    "OrgId",
    "TagId",
    "FileId",
];

const VERBS: [&str; EVENTS_PER_RESOURCE] = [
    "created",
    "updated",
    "deleted",
    "archived",
    "restored",
    "moved",
    "assigned",
    "approved",
    "rejected",
    "completed",
];

fn id_schema(what: &str) -> Value {
    Value::map([
        ("type", Value::str("integer")),
        ("minimum", Value::Int(1)),
        ("maximum", Value::Int(MAX_SAFE)),
        ("description", Value::str(format!("A {what}'s id."))),
    ])
}

fn reference(def: &str, description: &str) -> Value {
    Value::map([
        ("$ref", Value::str(format!("#/$defs/{def}"))),
        ("description", Value::str(description)),
    ])
}

/// The shared definitions of every synthetic catalog.
pub fn definitions() -> Vec<(String, Value)> {
    let mut defs: Vec<(String, Value)> = Vec::new();
    for noun in NOUNS {
        defs.push((noun.id_def.to_string(), id_schema(noun.human)));
    }
    for (name, what) in
        OTHER_IDS
            .iter()
            .zip(["project", "member", "team", "organization", "tag", "file"])
    {
        defs.push((name.to_string(), id_schema(what)));
    }
    defs.push((
        "Timestamp".to_string(),
        Value::map([
            ("type", Value::str("string")),
            ("format", Value::str("date-time")),
            ("description", Value::str("An RFC 3339 timestamp in UTC.")),
        ]),
    ));
    defs.push((
        "Priority".to_string(),
        Value::map([
            ("type", Value::str("string")),
            ("enum", Value::strs(PRIORITIES)),
            ("description", Value::str("How urgent something is.")),
        ]),
    ));
    defs.push((
        "Actor".to_string(),
        Value::map([
            ("type", Value::str("object")),
            ("description", Value::str("Who did it.")),
            ("additionalProperties", Value::Bool(false)),
            ("required", Value::strs(["member_id", "display_name"])),
            (
                "properties",
                Value::map([
                    ("member_id", reference("MemberId", "The acting member.")),
                    (
                        "display_name",
                        Value::map([
                            ("type", Value::str("string")),
                            ("minLength", Value::Int(1)),
                            ("maxLength", Value::Int(120)),
                            ("description", Value::str("The member's name as shown.")),
                        ]),
                    ),
                    (
                        "is_bot",
                        Value::map([
                            ("type", Value::str("boolean")),
                            (
                                "description",
                                Value::str("Whether an automation acted; absent when unknown."),
                            ),
                        ]),
                    ),
                ]),
            ),
        ]),
    ));
    defs.push((
        "Money".to_string(),
        Value::map([
            ("type", Value::str("object")),
            (
                "description",
                Value::str("An amount in the currency's minor unit."),
            ),
            ("additionalProperties", Value::Bool(false)),
            ("required", Value::strs(["amount_minor", "currency"])),
            (
                "properties",
                Value::map([
                    (
                        "amount_minor",
                        Value::map([
                            ("type", Value::str("integer")),
                            ("minimum", Value::Int(-MAX_SAFE)),
                            ("maximum", Value::Int(MAX_SAFE)),
                            ("description", Value::str("The amount, e.g. cents.")),
                        ]),
                    ),
                    (
                        "currency",
                        Value::map([
                            ("type", Value::str("string")),
                            ("pattern", Value::str("^[A-Z]{3}$")),
                            ("description", Value::str("The ISO 4217 currency code.")),
                        ]),
                    ),
                ]),
            ),
        ]),
    ));
    defs
}

const PRIORITIES: [&str; 4] = ["low", "medium", "high", "urgent"];

/// The shape of one field, from which both its schema and its example values follow.
#[derive(Debug, Clone)]
enum Shape {
    /// `$ref` to an integer id definition.
    Id(&'static str),
    /// `$ref: Timestamp`.
    Timestamp,
    /// `$ref: Priority`.
    Priority,
    /// `$ref: Actor`.
    Actor,
    /// `$ref: Money`.
    Money,
    /// A bounded integer, maybe nullable.
    Int { min: i64, max: i64, nullable: bool },
    /// A string with a format.
    Formatted(&'static str),
    /// A text string, maybe nullable.
    Text {
        min_len: u32,
        max_len: u32,
        nullable: bool,
    },
    /// A string with a pattern; the example is fixed.
    Pattern {
        pattern: &'static str,
        example: &'static str,
    },
    /// An inline string enum.
    Enum(&'static [&'static str]),
    /// A number in `min..=max`.
    Number { min: f64, max: f64 },
    /// A boolean.
    Bool,
    /// An array.
    Array {
        items: Box<Shape>,
        unique: bool,
        min_items: u32,
    },
    /// An inline object.
    Object(Vec<Field>),
    /// A map of strings or integers.
    Map(Box<Shape>),
    /// A `oneOf` of objects tagged by `tag`.
    OneOf {
        tag: &'static str,
        variants: Vec<(&'static str, Vec<Field>)>,
    },
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    description: String,
    shape: Shape,
    required: bool,
}

const ENUMS: &[(&str, &[&str])] = &[
    (
        "status",
        &["draft", "open", "in_progress", "blocked", "done"],
    ),
    ("channel", &["web", "mobile", "api", "email", "import"]),
    ("visibility", &["private", "team", "org", "public"]),
    ("severity", &["info", "minor", "major", "critical"]),
    ("origin", &["user", "automation", "integration"]),
    (
        "region",
        &[
            "eu_west", "us_east", "us_west", "ap_south", "sa_east", "af_south",
        ],
    ),
];

const ENUM_ARRAYS: &[(&str, &[&str])] = &[
    (
        "changed_fields",
        &[
            "title",
            "description",
            "status",
            "owner",
            "due_at",
            "priority",
            "tags",
        ],
    ),
    ("scopes", &["read", "write", "admin", "billing"]),
    ("notified_via", &["email", "push", "sms", "webhook"]),
];

const INTS: &[(&str, i64, i64)] = &[
    ("position", 0, 100_000),
    ("attempt", 1, 100),
    ("size_bytes", 0, MAX_SAFE),
    ("duration_ms", 0, 86_400_000),
    ("item_count", 0, 1_000_000),
    ("revision", 1, MAX_SAFE),
    ("delta", -1_000_000, 1_000_000),
    ("utc_offset_minutes", -720, 840),
];

const NULLABLE_INTS: &[(&str, i64, i64)] = &[
    ("previous_position", 0, 100_000),
    ("quota", 1, 10_000),
    ("retry_after_s", 0, 3_600),
];

const FORMATTED: &[(&str, &str)] = &[
    ("request_id", "uuid"),
    ("trace_id", "uuid"),
    ("url", "uri"),
    ("callback_url", "uri"),
    ("contact_email", "email"),
    ("effective_date", "date"),
];

const TEXTS: &[(&str, u32, u32)] = &[
    ("title", 1, 200),
    ("summary", 0, 500),
    ("reason", 1, 280),
    ("note", 0, 1000),
];

const NULLABLE_TEXTS: &[(&str, u32)] = &[("message", 280), ("external_ref", 64), ("comment", 1000)];

const PATTERNS: &[(&str, &str, &str)] = &[
    ("slug", "^[a-z0-9]+(-[a-z0-9]+)*$", "quarterly-report-7"),
    ("locale", "^[a-z]{2}(-[A-Z]{2})?$", "en-US"),
    ("color", "^#[0-9a-f]{6}$", "#3fa7c2"),
];

const NUMBERS: &[(&str, f64, f64)] = &[
    ("score", 0.0, 100.0),
    ("progress", 0.0, 1.0),
    ("weight", 0.0, 1000.0),
    ("latitude", -90.0, 90.0),
];

const BOOLS: &[&str] = &["is_public", "notify", "silent", "pinned", "is_draft"];

const TIMESTAMPS: &[&str] = &[
    "occurred_at",
    "updated_at",
    "due_at",
    "starts_at",
    "expires_at",
];

const ID_FIELDS: &[(&str, &str)] = &[
    ("project_id", "ProjectId"),
    ("owner_id", "MemberId"),
    ("assignee_id", "MemberId"),
    ("team_id", "TeamId"),
    ("org_id", "OrgId"),
    ("file_id", "FileId"),
    ("reviewer_id", "MemberId"),
];

const ID_ARRAYS: &[(&str, &str)] = &[
    ("member_ids", "MemberId"),
    ("tag_ids", "TagId"),
    ("file_ids", "FileId"),
    ("watcher_ids", "MemberId"),
    ("team_ids", "TeamId"),
];

const OBJECTS: &[&str] = &["context", "stats", "window", "client", "limits", "location"];

const OBJECT_ARRAYS: &[&str] = &["changes", "line_items", "attachments", "entries"];

const WORDS: &[&str] = &[
    "quarterly",
    "review",
    "of",
    "the",
    "delivery",
    "pipeline",
    "after",
    "customer",
    "feedback",
    "on",
    "latency",
    "and",
    "billing",
    "accuracy",
];

/// What kind of top-level field to add, by weight.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Id,
    Timestamp,
    Int,
    NullableInt,
    Formatted,
    Text,
    NullableText,
    Pattern,
    Enum,
    Priority,
    Number,
    Bool,
    IdArray,
    EnumArray,
    Object,
    ObjectArray,
    Actor,
    Money,
    Map,
}

const KINDS: &[(Kind, u64)] = &[
    (Kind::Id, 14),
    (Kind::Timestamp, 8),
    (Kind::Int, 12),
    (Kind::NullableInt, 5),
    (Kind::Formatted, 7),
    (Kind::Text, 9),
    (Kind::NullableText, 5),
    (Kind::Pattern, 3),
    (Kind::Enum, 8),
    (Kind::Priority, 3),
    (Kind::Number, 4),
    (Kind::Bool, 6),
    (Kind::IdArray, 6),
    (Kind::EnumArray, 3),
    (Kind::Object, 5),
    (Kind::ObjectArray, 3),
    (Kind::Actor, 3),
    (Kind::Money, 2),
    (Kind::Map, 2),
];

fn pick_kind(rng: &mut Rng, nested: bool) -> Kind {
    loop {
        let total: u64 = KINDS.iter().map(|(_, w)| w).sum();
        let mut roll = rng.below(total);
        let mut chosen = Kind::Int;
        for (kind, weight) in KINDS {
            if roll < *weight {
                chosen = *kind;
                break;
            }
            roll -= weight;
        }
        // Nested objects hold scalars only: one level of nesting, like real payloads.
        let compound = matches!(
            chosen,
            Kind::Object | Kind::ObjectArray | Kind::Map | Kind::IdArray | Kind::EnumArray
        );
        if !(nested && compound) {
            return chosen;
        }
    }
}

/// A field of `kind` whose name is not in `taken`.
fn field(rng: &mut Rng, kind: Kind, taken: &mut Vec<String>, nested: bool) -> Field {
    fn name_from<T>(
        rng: &mut Rng,
        pool: &[T],
        taken: &[String],
        name: impl Fn(&T) -> &str,
    ) -> usize {
        let start = rng.below(pool.len() as u64) as usize;
        (0..pool.len())
            .map(|k| (start + k) % pool.len())
            .find(|&i| !taken.iter().any(|t| t == name(&pool[i])))
            .unwrap_or(start)
    }
    let (base, shape, description): (String, Shape, String) = match kind {
        Kind::Id => {
            let i = name_from(rng, ID_FIELDS, taken, |e| e.0);
            let (name, def) = ID_FIELDS[i];
            (name.into(), Shape::Id(def), format!("The {}.", human(name)))
        }
        Kind::Timestamp => {
            let i = name_from(rng, TIMESTAMPS, taken, |e| e);
            let name = TIMESTAMPS[i];
            (
                name.into(),
                Shape::Timestamp,
                format!("When it {}.", human(name)),
            )
        }
        Kind::Int => {
            let i = name_from(rng, INTS, taken, |e| e.0);
            let (name, min, max) = INTS[i];
            (
                name.into(),
                Shape::Int {
                    min,
                    max,
                    nullable: false,
                },
                format!("The {}.", human(name)),
            )
        }
        Kind::NullableInt => {
            let i = name_from(rng, NULLABLE_INTS, taken, |e| e.0);
            let (name, min, max) = NULLABLE_INTS[i];
            (
                name.into(),
                Shape::Int {
                    min,
                    max,
                    nullable: true,
                },
                format!("The {}, or null when there is none.", human(name)),
            )
        }
        Kind::Formatted => {
            let i = name_from(rng, FORMATTED, taken, |e| e.0);
            let (name, format) = FORMATTED[i];
            (
                name.into(),
                Shape::Formatted(format),
                format!("The {} ({format}).", human(name)),
            )
        }
        Kind::Text => {
            let i = name_from(rng, TEXTS, taken, |e| e.0);
            let (name, min_len, max_len) = TEXTS[i];
            (
                name.into(),
                Shape::Text {
                    min_len,
                    max_len,
                    nullable: false,
                },
                format!("A human-readable {}.", human(name)),
            )
        }
        Kind::NullableText => {
            let i = name_from(rng, NULLABLE_TEXTS, taken, |e| e.0);
            let (name, max_len) = NULLABLE_TEXTS[i];
            (
                name.into(),
                Shape::Text {
                    min_len: 0,
                    max_len,
                    nullable: true,
                },
                format!("The {}, or null when it gave none.", human(name)),
            )
        }
        Kind::Pattern => {
            let i = name_from(rng, PATTERNS, taken, |e| e.0);
            let (name, pattern, example) = PATTERNS[i];
            (
                name.into(),
                Shape::Pattern { pattern, example },
                format!("The {}.", human(name)),
            )
        }
        Kind::Enum => {
            let i = name_from(rng, ENUMS, taken, |e| e.0);
            let (name, values) = ENUMS[i];
            (
                name.into(),
                Shape::Enum(values),
                format!("The {}.", human(name)),
            )
        }
        Kind::Priority => (
            "priority".into(),
            Shape::Priority,
            "How urgent it is.".into(),
        ),
        Kind::Number => {
            let i = name_from(rng, NUMBERS, taken, |e| e.0);
            let (name, min, max) = NUMBERS[i];
            (
                name.into(),
                Shape::Number { min, max },
                format!("The {}.", human(name)),
            )
        }
        Kind::Bool => {
            let i = name_from(rng, BOOLS, taken, |e| e);
            let name = BOOLS[i];
            (
                name.into(),
                Shape::Bool,
                format!("Whether it is {}.", human(name)),
            )
        }
        Kind::IdArray => {
            let i = name_from(rng, ID_ARRAYS, taken, |e| e.0);
            let (name, def) = ID_ARRAYS[i];
            (
                name.into(),
                Shape::Array {
                    items: Box::new(Shape::Id(def)),
                    unique: true,
                    min_items: if rng.chance(50) { 1 } else { 0 },
                },
                format!("The {} involved.", human(name)),
            )
        }
        Kind::EnumArray => {
            let i = name_from(rng, ENUM_ARRAYS, taken, |e| e.0);
            let (name, values) = ENUM_ARRAYS[i];
            (
                name.into(),
                Shape::Array {
                    items: Box::new(Shape::Enum(values)),
                    unique: true,
                    min_items: 1,
                },
                format!("The {}.", human(name)),
            )
        }
        Kind::Object => {
            let i = name_from(rng, OBJECTS, taken, |e| e);
            let name = OBJECTS[i];
            (
                name.into(),
                Shape::Object(nested_fields(rng, 2)),
                format!("The {} it happened in.", human(name)),
            )
        }
        Kind::ObjectArray => {
            let i = name_from(rng, OBJECT_ARRAYS, taken, |e| e);
            let name = OBJECT_ARRAYS[i];
            (
                name.into(),
                Shape::Array {
                    items: Box::new(Shape::Object(nested_fields(rng, 2))),
                    unique: false,
                    min_items: 0,
                },
                format!("The {}, in order.", human(name)),
            )
        }
        Kind::Actor => ("actor".into(), Shape::Actor, "Who did it.".into()),
        Kind::Money => ("amount".into(), Shape::Money, "The amount involved.".into()),
        Kind::Map => {
            if rng.chance(50) {
                (
                    "labels".into(),
                    Shape::Map(Box::new(Shape::Text {
                        min_len: 0,
                        max_len: 64,
                        nullable: false,
                    })),
                    "Free-form labels, by key.".into(),
                )
            } else {
                (
                    "counters".into(),
                    Shape::Map(Box::new(Shape::Int {
                        min: 0,
                        max: MAX_SAFE,
                        nullable: false,
                    })),
                    "Counters, by name.".into(),
                )
            }
        }
    };
    let name = unique_name(&base, taken);
    taken.push(name.clone());
    let nullable = matches!(
        shape,
        Shape::Int { nullable: true, .. } | Shape::Text { nullable: true, .. }
    );
    let required = rng.chance(if nullable {
        70
    } else if nested {
        60
    } else {
        55
    });
    Field {
        name,
        description,
        shape,
        required,
    }
}

fn unique_name(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|name| !taken.iter().any(|t| t == name))
        .unwrap_or_else(|| base.to_string())
}

/// "a" or "an" before `word`.
fn article(word: &str, capital: bool) -> &'static str {
    match (word.starts_with(['a', 'e', 'i', 'o', 'u']), capital) {
        (true, true) => "An",
        (true, false) => "an",
        (false, true) => "A",
        (false, false) => "a",
    }
}

fn human(name: &str) -> String {
    name.replace('_', " ")
}

/// 2 to 4 scalar fields (`min` is 2) of an inline object.
fn nested_fields(rng: &mut Rng, min: usize) -> Vec<Field> {
    let nested = true;
    let count = min + rng.below(3) as usize;
    let mut taken = Vec::new();
    let mut out = Vec::new();
    for _ in 0..count {
        let kind = pick_kind(rng, nested);
        out.push(field(rng, kind, &mut taken, nested));
    }
    if nested && !out.iter().any(|f| f.required) {
        out[0].required = true;
    }
    out
}

const ONE_OFS: &[(&str, &str)] = &[("outcome", "kind"), ("target", "type")];

fn one_of(rng: &mut Rng, which: usize) -> (String, Shape) {
    let (name, tag) = ONE_OFS[which % ONE_OFS.len()];
    let variants: Vec<(&'static str, Vec<Field>)> = if tag == "kind" {
        let mut all = vec![
            (
                "succeeded",
                vec![Field {
                    name: "artifact_count".into(),
                    description: "How many artifacts it produced.".into(),
                    shape: Shape::Int {
                        min: 0,
                        max: MAX_SAFE,
                        nullable: false,
                    },
                    required: true,
                }],
            ),
            (
                "skipped",
                vec![Field {
                    name: "reason".into(),
                    description: "Why it skipped its work.".into(),
                    shape: Shape::Text {
                        min_len: 1,
                        max_len: 280,
                        nullable: false,
                    },
                    required: true,
                }],
            ),
            (
                "failed",
                vec![
                    Field {
                        name: "error_code".into(),
                        description: "The class of failure.".into(),
                        shape: Shape::Enum(&["timeout", "crashed", "rejected"]),
                        required: true,
                    },
                    Field {
                        name: "retryable".into(),
                        description: "Whether a retry may succeed.".into(),
                        shape: Shape::Bool,
                        required: false,
                    },
                ],
            ),
        ];
        if rng.chance(50) {
            all.pop();
        }
        all
    } else {
        vec![
            (
                "member",
                vec![Field {
                    name: "member_id".into(),
                    description: "The member it targets.".into(),
                    shape: Shape::Id("MemberId"),
                    required: true,
                }],
            ),
            (
                "team",
                vec![Field {
                    name: "team_id".into(),
                    description: "The team it targets.".into(),
                    shape: Shape::Id("TeamId"),
                    required: true,
                }],
            ),
        ]
    };
    (name.to_string(), Shape::OneOf { tag, variants })
}

fn event(index: usize, resource: &str, noun: &Noun) -> SynthEvent {
    let mut rng = Rng::new(index as u64);
    let verb = VERBS[index % EVENTS_PER_RESOURCE];
    let name = format!("{resource}_{verb}");
    let id_field = format!("{}_id", noun.name);
    let total = 5 + rng.below(11) as usize;
    let mut taken = vec![id_field.clone()];
    let mut top = vec![Field {
        name: id_field.clone(),
        description: format!("The {} that was {verb}.", noun.human),
        shape: Shape::Id(noun.id_def),
        required: true,
    }];
    let with_union = index % 7 == 3;
    if with_union {
        let (union_name, shape) = one_of(&mut rng, index / 7);
        taken.push(union_name.clone());
        top.push(Field {
            name: union_name,
            description: "How it ended, tagged by its discriminator.".into(),
            shape,
            required: true,
        });
    }
    while top.len() < total {
        let kind = pick_kind(&mut rng, false);
        top.push(field(&mut rng, kind, &mut taken, false));
    }
    let payload = object_schema(&top, None);
    let mut examples = vec![object_example(&mut rng, &top, true, resource)];
    if rng.chance(50) {
        examples.push(object_example(&mut rng, &top, false, resource));
    }
    SynthEvent {
        ident: upper_camel(&name),
        description: format!(
            "{} {} was {verb}. Refetch the {} and anything that shows it; the payload says what changed.",
            article(noun.human, true),
            noun.human,
            noun.human
        ),
        since: format!("0.{}", 1 + index % 9),
        stability: if index % 5 == 4 {
            "experimental"
        } else {
            "frozen"
        },
        ws_only: index % 8 == 5,
        deprecated: (index % 50 == 49).then(|| format!("Use {resource}_updated instead.")),
        name,
        payload,
        examples,
        id_field,
    }
}

fn object_schema(fields: &[Field], description: Option<&str>) -> Value {
    let mut entries: Vec<(String, Value)> = vec![("type".into(), Value::str("object"))];
    if let Some(description) = description {
        entries.push(("description".into(), Value::str(description)));
    }
    entries.push(("additionalProperties".into(), Value::Bool(false)));
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    if !required.is_empty() {
        entries.push(("required".into(), Value::strs(required)));
    }
    entries.push((
        "properties".into(),
        Value::Map(
            fields
                .iter()
                .map(|f| (f.name.clone(), schema(&f.shape, &f.description)))
                .collect(),
        ),
    ));
    Value::Map(entries)
}

fn schema(shape: &Shape, description: &str) -> Value {
    let described = |mut entries: Vec<(&str, Value)>| {
        entries.push(("description", Value::str(description)));
        Value::map(entries)
    };
    match shape {
        Shape::Id(def) => reference(def, description),
        Shape::Timestamp => reference("Timestamp", description),
        Shape::Priority => reference("Priority", description),
        Shape::Actor => reference("Actor", description),
        Shape::Money => reference("Money", description),
        Shape::Int { min, max, nullable } => described(vec![
            ("type", nullable_type("integer", *nullable)),
            ("minimum", Value::Int(*min)),
            ("maximum", Value::Int(*max)),
        ]),
        Shape::Formatted(format) => described(vec![
            ("type", Value::str("string")),
            ("format", Value::str(*format)),
        ]),
        Shape::Text {
            min_len,
            max_len,
            nullable,
        } => {
            let mut entries = vec![("type", nullable_type("string", *nullable))];
            if *min_len > 0 {
                entries.push(("minLength", Value::Int(i64::from(*min_len))));
            }
            entries.push(("maxLength", Value::Int(i64::from(*max_len))));
            described(entries)
        }
        Shape::Pattern { pattern, .. } => described(vec![
            ("type", Value::str("string")),
            ("pattern", Value::str(*pattern)),
        ]),
        Shape::Enum(values) => described(vec![
            ("type", Value::str("string")),
            ("enum", Value::strs(values.iter())),
        ]),
        Shape::Number { min, max } => described(vec![
            ("type", Value::str("number")),
            ("minimum", Value::Num(*min)),
            ("maximum", Value::Num(*max)),
        ]),
        Shape::Bool => described(vec![("type", Value::str("boolean"))]),
        Shape::Array {
            items,
            unique,
            min_items,
        } => {
            let mut entries = vec![
                ("type", Value::str("array")),
                ("description", Value::str(description)),
            ];
            if *min_items > 0 {
                entries.push(("minItems", Value::Int(i64::from(*min_items))));
            }
            if *unique {
                entries.push(("uniqueItems", Value::Bool(true)));
            }
            entries.push(("items", schema(items, "One entry.")));
            Value::map(entries)
        }
        Shape::Object(fields) => object_schema(fields, Some(description)),
        Shape::Map(value) => Value::map([
            ("type", Value::str("object")),
            ("description", Value::str(description)),
            ("additionalProperties", schema(value, "One value.")),
        ]),
        Shape::OneOf { tag, variants } => Value::map([
            ("description", Value::str(description)),
            (
                "oneOf",
                Value::Seq(
                    variants
                        .iter()
                        .map(|(value, fields)| variant_schema(tag, value, fields))
                        .collect(),
                ),
            ),
        ]),
    }
}

/// One `oneOf` variant: an object whose first property is the `const` tag.
fn variant_schema(tag: &str, value: &str, fields: &[Field]) -> Value {
    let mut required = vec![tag.to_string()];
    required.extend(fields.iter().filter(|f| f.required).map(|f| f.name.clone()));
    let mut properties = vec![(
        tag.to_string(),
        Value::map([
            ("type", Value::str("string")),
            ("const", Value::str(value)),
            (
                "description",
                Value::str(format!("Marks the `{value}` case.")),
            ),
        ]),
    )];
    properties.extend(
        fields
            .iter()
            .map(|f| (f.name.clone(), schema(&f.shape, &f.description))),
    );
    Value::map([
        ("type", Value::str("object")),
        ("description", Value::str(format!("The `{value}` case."))),
        ("additionalProperties", Value::Bool(false)),
        ("required", Value::strs(required)),
        ("properties", Value::Map(properties)),
    ])
}

fn nullable_type(base: &str, nullable: bool) -> Value {
    if nullable {
        Value::strs([base, "null"])
    } else {
        Value::str(base)
    }
}

/// An example object: every field when `full`, else only the required ones
/// (with nulls for nullable ones).
fn object_example(rng: &mut Rng, fields: &[Field], full: bool, resource: &str) -> Value {
    Value::Map(
        fields
            .iter()
            .filter(|f| full || f.required)
            .map(|f| (f.name.clone(), example(rng, &f.shape, full, resource)))
            .collect(),
    )
}

fn example(rng: &mut Rng, shape: &Shape, full: bool, resource: &str) -> Value {
    match shape {
        Shape::Id(_) => Value::Int(rng.range(1, 99_999)),
        Shape::Timestamp => Value::Str(timestamp(rng)),
        Shape::Priority => Value::str(*rng.pick(&PRIORITIES)),
        Shape::Actor => {
            let mut actor = Value::map([
                ("member_id", Value::Int(rng.range(1, 9_999))),
                ("display_name", Value::str("Ada Lovelace")),
            ]);
            if full {
                actor.insert("is_bot", Value::Bool(rng.chance(20)));
            }
            actor
        }
        Shape::Money => Value::map([
            ("amount_minor", Value::Int(rng.range(-50_000, 5_000_000))),
            ("currency", Value::str(*rng.pick(&["EUR", "USD", "JPY"]))),
        ]),
        Shape::Int { nullable: true, .. } if !full => Value::Null,
        Shape::Int { min, max, .. } => Value::Int(rng.range(*min, (*max).min(min + 1_000_000))),
        Shape::Formatted(format) => Value::Str(match *format {
            "uuid" => uuid(rng),
            "uri" => format!(
                "https://example.com/{}/{}",
                resource.replace('_', "-"),
                rng.range(1, 99_999)
            ),
            "email" => format!("user{}@example.com", rng.range(1, 9_999)),
            "date" => format!("2026-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28)),
            _ => timestamp(rng),
        }),
        Shape::Text { nullable: true, .. } if !full => Value::Null,
        Shape::Text {
            min_len, max_len, ..
        } => {
            let words = 1 + rng.below(8) as usize;
            let start = rng.below(WORDS.len() as u64) as usize;
            let mut text: Vec<&str> = (0..words)
                .map(|k| WORDS[(start + k) % WORDS.len()])
                .collect();
            text[0] = "Updated";
            let mut text = text.join(" ");
            text.truncate(*max_len as usize);
            while text.len() < *min_len as usize {
                text.push('x');
            }
            Value::Str(text)
        }
        Shape::Pattern { example, .. } => Value::str(*example),
        Shape::Enum(values) => Value::str(*rng.pick(values)),
        Shape::Number { min, max } => {
            let steps = ((max - min) * 4.0) as u64;
            Value::Num(min + rng.below(steps + 1) as f64 / 4.0)
        }
        Shape::Bool => Value::Bool(rng.chance(50)),
        Shape::Array {
            items, min_items, ..
        } => {
            let count = if full {
                (*min_items as u64).max(1 + rng.below(4))
            } else {
                u64::from(*min_items)
            } as usize;
            match items.as_ref() {
                Shape::Id(_) => {
                    let base = rng.range(1, 50_000);
                    Value::Seq(
                        (0..count as i64)
                            .map(|k| Value::Int(base + 7 * k))
                            .collect(),
                    )
                }
                Shape::Enum(values) => {
                    let start = rng.below(values.len() as u64) as usize;
                    Value::Seq(
                        (0..count.min(values.len()))
                            .map(|k| Value::str(values[(start + k) % values.len()]))
                            .collect(),
                    )
                }
                other => Value::Seq(
                    (0..count)
                        .map(|_| example(rng, other, full, resource))
                        .collect(),
                ),
            }
        }
        Shape::Object(fields) => object_example(rng, fields, full, resource),
        Shape::Map(value) => {
            let keys: &[&str] = if full { &["env", "team"] } else { &[] };
            Value::Map(
                keys.iter()
                    .map(|k| (k.to_string(), example(rng, value, true, resource)))
                    .collect(),
            )
        }
        Shape::OneOf { tag, variants } => {
            let (value, fields) = rng.pick(variants);
            let mut object = vec![(tag.to_string(), Value::str(*value))];
            if let Value::Map(rest) = object_example(rng, fields, full, resource) {
                object.extend(rest);
            }
            Value::Map(object)
        }
    }
}

fn timestamp(rng: &mut Rng) -> String {
    format!(
        "2026-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        rng.range(1, 12),
        rng.range(1, 28),
        rng.range(0, 23),
        rng.range(0, 59),
        rng.range(0, 59)
    )
}

fn uuid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_prefix_stable() {
        let small = catalog(25);
        let large = catalog(40);
        assert_eq!(small.len(), 25);
        assert_eq!(small.resources.len(), 3);
        for (a, b) in small.events().zip(large.events()) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.payload, b.payload);
            assert_eq!(a.examples, b.examples);
        }
        assert_eq!(
            SynthCatalog::event_file_yaml(&catalog(10).resources[0]),
            SynthCatalog::event_file_yaml(&small.resources[0])
        );
    }

    #[test]
    fn payloads_have_5_to_15_fields_and_unique_names() {
        let synth = catalog(300);
        let mut names = std::collections::HashSet::new();
        for event in synth.events() {
            assert!(names.insert(event.name.clone()), "{}", event.name);
            let Some(Value::Map(properties)) = event.payload.get("properties") else {
                panic!("payload without properties");
            };
            assert!((5..=15).contains(&properties.len()), "{}", properties.len());
            assert!(!event.examples.is_empty());
        }
        assert!(
            synth
                .events()
                .any(|e| e.payload.to_json().contains("oneOf"))
        );
    }

    #[test]
    fn one_language_settings_ask_for_that_language_alone() {
        let dir =
            std::env::temp_dir().join(format!("eventcat-synth-outputs-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let synth = catalog(12);
        let all = synth.write(&dir.join("all")).expect("the full catalog");
        let events = dir.join("all/schema/events");
        let outputs_of = |layout: &Layout| {
            let mut sources = eventcat_codegen::source::Sources::default();
            eventcat_codegen::build(&mut sources, &layout.catalog)
                .map(|catalog| catalog.outputs)
                .unwrap_or_else(|errors| panic!("{errors:?}"))
        };
        let every = outputs_of(&all);
        assert!(every.rust.is_some() && every.typescript.is_some() && every.docs.is_some());
        assert!(every.asyncapi.is_some() && every.json_schema.is_some());
        for (outputs, name) in [(Outputs::TypeScript, "ts"), (Outputs::Rust, "rust")] {
            let layout = synth
                .write_settings(&dir.join(name), outputs, &events)
                .expect("the settings file");
            let chosen = outputs_of(&layout);
            assert_eq!(chosen.typescript.is_some(), outputs == Outputs::TypeScript);
            assert_eq!(chosen.rust.is_some(), outputs == Outputs::Rust);
            assert!(
                chosen.docs.is_none() && chosen.asyncapi.is_none() && chosen.json_schema.is_none()
            );
            assert!(chosen.lock.starts_with(dir.join(name)), "{:?}", chosen.lock);
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn uuids_are_v4() {
        let mut rng = Rng::new(1);
        let id = uuid(&mut rng);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }
}
