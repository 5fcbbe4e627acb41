//! The JSON Schema subset payload schemas may use: its keywords (with the
//! value each takes), type names and formats, and where a `$ref` points.
//! Validation checks schemas against this table and the editor schemas are
//! rendered from it, so the CLI and the editor agree.

/// The largest integer JavaScript represents exactly (2^53 - 1).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// What a keyword's value must be. The editor schema
/// ([`crate::render::editor_schema`]) checks the same as the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordValue {
    /// One of [`TYPE_NAMES`], or a list of them (`[string, "null"]`).
    TypeNames,
    /// A mapping of property names to schemas.
    SchemaMap,
    /// A list of distinct property names.
    PropertyNames,
    /// `false`, `true`, or a schema (the values of a map).
    SchemaOrBool,
    /// One schema.
    Schema,
    /// A non-empty list of schemas.
    SchemaList,
    /// A non-empty list of values.
    ValueList,
    /// A list of values.
    Values,
    /// Any JSON value.
    Any,
    /// A reference to a shared definition: [`DEFS_PREFIX`] and a name.
    DefinitionRef,
    /// One of [`KNOWN_FORMATS`].
    Format,
    /// A string.
    Text,
    /// A regular expression.
    Regex,
    /// A number.
    Number,
    /// A number greater than zero.
    PositiveNumber,
    /// An integer, zero or more.
    Count,
    /// `true` or `false`.
    Flag,
}

/// A keyword payload schemas may use.
#[derive(Debug, Clone, Copy)]
pub struct Keyword {
    /// The keyword as written.
    pub name: &'static str,
    /// What its value must be.
    pub value: KeywordValue,
    /// What it does in eventcat, for editors.
    pub description: &'static str,
}

const fn keyword(name: &'static str, value: KeywordValue, description: &'static str) -> Keyword {
    Keyword {
        name,
        value,
        description,
    }
}

/// Keywords that shape or annotate a schema; anything else is rejected. The
/// single list of them: the editor schema's payload definition is built
/// from it too.
pub const KNOWN_KEYWORDS: &[Keyword] = {
    use KeywordValue::*;
    &[
        keyword(
            "type",
            TypeNames,
            "object, array, string, integer, number or boolean; or a pair of one of them and \"null\" for a nullable value.",
        ),
        keyword(
            "properties",
            SchemaMap,
            "An object's properties, each with its schema; the object becomes a struct (Rust) or an interface (TypeScript).",
        ),
        keyword(
            "required",
            PropertyNames,
            "The properties that must be present; the others are optional.",
        ),
        keyword(
            "additionalProperties",
            SchemaOrBool,
            "`false` closes the object (an unknown key is an error); a schema without `properties` makes a map of that value type.",
        ),
        keyword(
            "patternProperties",
            SchemaMap,
            "Keys matching a pattern, with their schema: alone, one pattern makes a map of that value type; beside `properties`, the matching keys are kept as JSON.",
        ),
        keyword(
            "propertyNames",
            Schema,
            "A schema every key must match: checked on the examples, no change to the type.",
        ),
        keyword("items", Schema, "The schema of an array's elements."),
        keyword(
            "enum",
            ValueList,
            "The allowed values: strings become an enum (plus `null` when the type is nullable); other JSON values a union of literal types.",
        ),
        keyword(
            "const",
            Any,
            "The one allowed value: the discriminator of a `oneOf` variant, or a literal type anywhere else.",
        ),
        keyword(
            "oneOf",
            SchemaList,
            "Objects sharing one required `const` (or one-value `enum`) property: a tagged union; `[<schema>, {type: \"null\"}]`: a nullable schema; other shapes: an untagged union tried in order.",
        ),
        keyword(
            "allOf",
            SchemaList,
            "Objects merged into one struct: shared bases (`$ref`) and properties of this schema's own.",
        ),
        keyword(
            "anyOf",
            SchemaList,
            "`[<schema>, {type: \"null\"}]`: a nullable schema; other shapes: an untagged union; `required` lists only: checked on the examples.",
        ),
        keyword(
            "$ref",
            DefinitionRef,
            "A shared definition of the catalog settings: `#/$defs/<Name>`.",
        ),
        keyword(
            "format",
            Format,
            "A string format: the known ones are validated on the examples, any other is shown in the docs.",
        ),
        keyword(
            "description",
            Text,
            "What the value means; it becomes the generated doc comment.",
        ),
        keyword(
            "title",
            Text,
            "Names the generated type instead of the path-derived name.",
        ),
        keyword(
            "minimum",
            Number,
            "The smallest value; an integer bounded within ±(2^53 - 1) is a plain TypeScript `number`.",
        ),
        keyword(
            "maximum",
            Number,
            "The largest value; an integer bounded within ±(2^53 - 1) is a plain TypeScript `number`.",
        ),
        keyword(
            "exclusiveMinimum",
            Number,
            "Values must be greater than this.",
        ),
        keyword("exclusiveMaximum", Number, "Values must be less than this."),
        keyword(
            "multipleOf",
            PositiveNumber,
            "Values must be a multiple of this.",
        ),
        keyword("minLength", Count, "The shortest string length."),
        keyword("maxLength", Count, "The longest string length."),
        keyword("pattern", Regex, "A regular expression strings must match."),
        keyword("minItems", Count, "The fewest array elements."),
        keyword("maxItems", Count, "The most array elements."),
        keyword("uniqueItems", Flag, "Whether array elements must differ."),
        keyword("minProperties", Count, "The fewest object properties."),
        keyword("maxProperties", Count, "The most object properties."),
        keyword("default", Any, "An annotation: the default value."),
        keyword("examples", Values, "An annotation: example values."),
        keyword(
            "example",
            Any,
            "An annotation: an example value (OpenAPI's spelling).",
        ),
        keyword(
            "contentEncoding",
            Text,
            "An annotation: how a string encodes binary data, e.g. `base64`.",
        ),
        keyword(
            "contentMediaType",
            Text,
            "An annotation: the media type of a string's content.",
        ),
        keyword("$schema", Text, "An annotation: the JSON Schema dialect."),
        keyword("$id", Text, "An annotation: the schema's URI."),
        keyword("$anchor", Text, "An annotation: a name for this schema."),
        keyword(
            "deprecated",
            Flag,
            "An annotation: the value is deprecated.",
        ),
        keyword("readOnly", Flag, "An annotation."),
        keyword("writeOnly", Flag, "An annotation."),
        keyword("$comment", Text, "A comment for the catalog's readers."),
        keyword(
            "x-rust-name",
            Text,
            "On a property: the Rust field's name (snake_case), when the one derived from the wire name does not suit; the wire name stays.",
        ),
        keyword(
            "x-large-integer",
            Text,
            "On an integer: what TypeScript carries it as, `number`, `bigint` or `string`, overriding the catalog's `large_integers`.",
        ),
        keyword(
            "x-free-form",
            Flag,
            "`true`: any JSON value (`serde_json::Value` in Rust, `JsonValue` in TypeScript), by explicit opt-in.",
        ),
    ]
};

/// Whether `name` is a keyword payload schemas may use: one of
/// [`KNOWN_KEYWORDS`], or an extension annotation (`x-` and anything).
pub fn is_known_keyword(name: &str) -> bool {
    is_extension(name) || KNOWN_KEYWORDS.iter().any(|keyword| keyword.name == name)
}

/// `x-...`: a vendor extension, an annotation eventcat keeps out of the types.
pub fn is_extension(name: &str) -> bool {
    name.starts_with("x-") && name.len() > 2
}

/// The editor schema's pattern for [`is_extension`] keys.
pub const EXTENSION_PATTERN: &str = "^x-.";

/// Keywords that document a schema without changing what it accepts.
pub const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// JSON Schema keywords eventcat deliberately does not support. They are
/// never offered as a correction: `allOf` is not a misspelled `anyOf`.
pub const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "additionalItems",
    "contains",
    "minContains",
    "maxContains",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "definitions",
    "$defs",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
    "contentSchema",
];

/// The values of `type` (a nullable type pairs one of the others with `null`).
pub const TYPE_NAMES: &[&str] = &[
    "object", "array", "string", "integer", "number", "boolean", "null",
];

/// String formats that map to a string type (validated on examples).
pub const KNOWN_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "uuid",
];

/// Where a `$ref` must point.
pub const DEFS_PREFIX: &str = "#/$defs/";

/// The supported keywords, comma-separated, in table order.
pub fn keyword_names() -> String {
    KNOWN_KEYWORDS
        .iter()
        .map(|keyword| keyword.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The supported keyword `unknown` is most likely a misspelling of, if any.
///
/// Spelling is compared without case, `-` and `_` (`Required`,
/// `additional_properties`), by Damerau-Levenshtein distance (a swap of two
/// neighbours counts once: `requried`), allowing one edit per three letters
/// and at most two. A keyword JSON Schema has but eventcat refuses (`allOf`,
/// `$defs`) that is as close as the best supported one wins, so it gets the
/// "not supported" answer instead of a wrong correction (`allOf` is two
/// edits from `anyOf`).
pub fn did_you_mean_keyword(unknown: &str) -> Option<&'static str> {
    let word = spelling(unknown);
    let allowed = (word.chars().count() / 3).clamp(1, 2);
    let distance = |candidate: &str| strsim::damerau_levenshtein(&word, &spelling(candidate));
    let (best, known) = KNOWN_KEYWORDS
        .iter()
        .map(|keyword| (distance(keyword.name), keyword.name))
        .min_by_key(|(distance, _)| *distance)?;
    let refused = UNSUPPORTED_KEYWORDS
        .iter()
        .any(|keyword| distance(keyword) <= best);
    (best <= allowed && !refused).then_some(known)
}

/// A keyword as compared for spelling: lowercase, without `-` and `_`.
fn spelling(keyword: &str) -> String {
    keyword
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}
