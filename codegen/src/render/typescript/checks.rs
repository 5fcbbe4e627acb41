//! Validated receive in TypeScript: the catalog's [`Checks`] as a table,
//! the interpreter that walks it (hand-written support code, no `eval`),
//! and per family `parse<Channel><Event>`, the type guards and the
//! validation the dispatcher runs before a handler sees a message.

use indoc::formatdoc;
use serde_json::Value;

use super::Family;
use super::syntax::{property_name, string_literal};
use crate::checks::{Check, Checks};
use crate::model::Catalog;

/// The support code and the table, once per module.
pub fn support_items(catalog: &Catalog, checks: &Checks) -> Vec<String> {
    vec![
        validation_error(catalog),
        format!(
            "/** What the checks return. */\ntype Failure = {}ValidationError;",
            catalog.channel_ident
        ),
        CHECK_INTERFACE.to_string(),
        check_table(checks),
        patterns(checks),
        INTERPRETER.trim_end().to_string(),
        FORMATS.trim_end().to_string(),
    ]
}

/// `BoardValidationError`.
fn validation_error(catalog: &Catalog) -> String {
    formatdoc! {"
        /**
         * Why a message was rejected: the JSON Pointer of the first value that
         * fails, the schema keyword it fails, and what that keyword expects.
         */
        export interface {ident}ValidationError {{
          readonly pointer: string;
          readonly keyword: string;
          readonly expected: string;
        }}
        ",
        ident = catalog.channel_ident,
    }
}

const CHECK_INTERFACE: &str = r#"/** A JSON type as a schema's `type` names it. */
type JsonType = "null" | "boolean" | "object" | "array" | "number" | "string" | "integer";

/**
 * One schema of the catalog: its keywords, with subschemas and `$ref`s as
 * indices into `CHECKS` and patterns as indices into `PATTERNS`.
 * `integerAs: "string"` marks integers carried as decimal strings.
 */
interface Check {
  readonly never?: true;
  readonly ref?: number;
  readonly type?: readonly JsonType[];
  readonly integerAs?: "string";
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: number;
  readonly format?: string;
  readonly items?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: true;
  readonly required?: readonly string[];
  readonly properties?: ReadonlyMap<string, number>;
  readonly patternProperties?: readonly (readonly [number, number])[];
  readonly additionalProperties?: number;
  readonly propertyNames?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly allOf?: readonly number[];
  readonly anyOf?: readonly number[];
  readonly oneOf?: readonly number[];
}"#;

/// `CHECKS`: one schema per line.
fn check_table(checks: &Checks) -> String {
    let rows: String = checks
        .table
        .iter()
        .enumerate()
        .map(|(index, check)| format!("  /* {index} */ {},\n", check_literal(check)))
        .collect();
    format!(
        "/** The catalog's schemas: payloads, shared definitions and envelope fields. */\nconst CHECKS: readonly Check[] = [\n{rows}];"
    )
}

fn check_literal(check: &Check) -> String {
    let mut members: Vec<String> = Vec::new();
    let mut push = |key: &str, value: String| members.push(format!("{key}: {value}"));
    if check.never {
        push("never", "true".into());
    }
    if let Some(reference) = check.reference {
        push("ref", reference.to_string());
    }
    if !check.types.is_empty() {
        let names: Vec<String> = check
            .types
            .iter()
            .map(|ty| string_literal(ty.name()))
            .collect();
        push("type", format!("[{}]", names.join(", ")));
        if check.integer_as_string {
            push("integerAs", "\"string\"".into());
        }
    }
    if let Some(constant) = &check.constant {
        push("const", value_literal(constant));
    }
    if let Some(values) = &check.enumeration {
        let values: Vec<String> = values.iter().map(value_literal).collect();
        push("enum", format!("[{}]", values.join(", ")));
    }
    let numbers = [
        ("minimum", &check.minimum),
        ("maximum", &check.maximum),
        ("exclusiveMinimum", &check.exclusive_minimum),
        ("exclusiveMaximum", &check.exclusive_maximum),
        ("multipleOf", &check.multiple_of),
    ];
    for (key, number) in numbers {
        if let Some(number) = number {
            push(key, number.to_string());
        }
    }
    let counts = [
        ("minLength", check.min_length),
        ("maxLength", check.max_length),
        ("minItems", check.min_items),
        ("maxItems", check.max_items),
        ("minProperties", check.min_properties),
        ("maxProperties", check.max_properties),
    ];
    for (key, count) in counts {
        if let Some(count) = count {
            push(key, count.to_string());
        }
    }
    object_members(check, &mut push);
    match members.is_empty() {
        true => "{}".to_string(),
        false => format!("{{ {} }}", members.join(", ")),
    }
}

fn object_members(check: &Check, push: &mut impl FnMut(&str, String)) {
    let indices = |list: &[usize]| {
        let items: Vec<String> = list.iter().map(usize::to_string).collect();
        format!("[{}]", items.join(", "))
    };
    let optional = [
        ("pattern", check.pattern),
        ("items", check.items),
        ("additionalProperties", check.additional),
        ("propertyNames", check.property_names),
    ];
    if let Some(format) = &check.format {
        push("format", string_literal(format));
    }
    if check.unique_items {
        push("uniqueItems", "true".into());
    }
    for (key, index) in optional {
        if let Some(index) = index {
            push(key, index.to_string());
        }
    }
    if !check.required.is_empty() {
        let names: Vec<String> = check
            .required
            .iter()
            .map(|name| string_literal(name))
            .collect();
        push("required", format!("[{}]", names.join(", ")));
    }
    if !check.properties.is_empty() {
        let entries: Vec<String> = check
            .properties
            .iter()
            .map(|(name, index)| format!("[{}, {index}]", string_literal(name)))
            .collect();
        push("properties", format!("new Map([{}])", entries.join(", ")));
    }
    if !check.pattern_properties.is_empty() {
        let entries: Vec<String> = check
            .pattern_properties
            .iter()
            .map(|(pattern, index)| format!("[{pattern}, {index}]"))
            .collect();
        push("patternProperties", format!("[{}]", entries.join(", ")));
    }
    for (key, list) in [
        ("allOf", &check.all_of),
        ("anyOf", &check.any_of),
        ("oneOf", &check.one_of),
    ] {
        if !list.is_empty() {
            push(key, indices(list));
        }
    }
}

/// A JSON value as a TypeScript expression; `__proto__` keys stay properties.
fn value_literal(value: &Value) -> String {
    match value {
        Value::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(key, item)| format!("[{}, {}]", string_literal(key), value_literal(item)))
                .collect();
            format!("Object.fromEntries([{}])", members.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value_literal).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(text) => string_literal(text),
        other => other.to_string(),
    }
}

/// `PATTERNS`: compiled once, as Unicode patterns (ECMA-262, like JSON Schema's).
fn patterns(checks: &Checks) -> String {
    let rows: String = checks
        .patterns
        .iter()
        .map(|pattern| format!("  new RegExp({}, \"u\"),\n", string_literal(pattern)))
        .collect();
    format!(
        "/** The schemas' `pattern`s and `patternProperties`. */\nconst PATTERNS: readonly RegExp[] = [\n{rows}];"
    )
}

/// Checks a value against `CHECKS[at]`; the first failure, or `undefined`.
const INTERPRETER: &str = include_str!("../../../support/checks.ts");

/// The formats the checks know, as RFC 3339, RFC 5321, RFC 1123, RFC 3986 and RFC 4122 describe them.
const FORMATS: &str = include_str!("../../../support/formats.ts");

/// `BOARD_EVENT_CHECKS`: each type's payload check.
pub fn payload_checks(family: &Family, checks: &Checks) -> String {
    let rows: String = family
        .members
        .iter()
        .map(|event| {
            format!(
                "  {}: {},\n",
                property_name(&event.name),
                checks.payloads[&event.name]
            )
        })
        .collect();
    formatdoc! {"
        /** The check of each {noun}'s payload in `CHECKS`. */
        const {constant}_CHECKS: {{ readonly [K in {kind}]: number }} = {{
        {rows}}};
        ",
        noun = family.noun,
        constant = family.constant,
        kind = family.kind,
    }
}

/// The envelope's own keys besides the payload: the type, the version and
/// the envelope fields, as a TypeScript array literal.
fn envelope_keys(catalog: &Catalog) -> Vec<String> {
    let envelope = &catalog.envelope;
    let mut keys: Vec<String> = envelope.version_field.iter().cloned().collect();
    keys.push(envelope.type_field.clone());
    keys.extend(field_names(catalog));
    keys
}

fn field_names(catalog: &Catalog) -> Vec<String> {
    catalog
        .envelope
        .fields
        .and_then(|id| catalog.struct_of(id))
        .map(|fields| {
            fields
                .fields
                .iter()
                .map(|field| field.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn array_literal(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|name| string_literal(name)).collect();
    format!("[{}]", names.join(", "))
}

/// `checkBoardEvent`: the first failure of a message, envelope and payload.
pub fn message_check(catalog: &Catalog, family: &Family, checks: &Checks) -> String {
    let envelope = &catalog.envelope;
    let version = envelope.version_field.as_ref().map(|field| {
        format!(
            "  if (!Number.isInteger(message[{key}])) {{\n    return {{ pointer: {pointer}, keyword: \"type\", expected: \"integer\" }};\n  }}\n",
            key = string_literal(field),
            pointer = string_literal(&format!("/{}", pointer_segment(field))),
        )
    });
    let fields = checks.envelope_fields.map(|at| {
        format!(
            "  const fields = Object.fromEntries(Object.entries(message).filter(([key]) => {names}.includes(key)));\n  \
             const fieldsFailure = checkValue(fields, {at}, \"\");\n  \
             if (fieldsFailure !== undefined) {{\n    return fieldsFailure;\n  }}\n",
            names = array_literal(&field_names(catalog)),
        )
    });
    let payload = match &envelope.payload_field {
        Some(field) => format!(
            "checkValue(message[{key}]{empty}, {constant}_CHECKS[type], {pointer})",
            key = string_literal(field),
            empty = if envelope.omit_empty_payload {
                " ?? {}"
            } else {
                ""
            },
            constant = family.constant,
            pointer = string_literal(&format!("/{}", pointer_segment(field))),
        ),
        None => format!(
            "checkValue(Object.fromEntries(Object.entries(message).filter(([key]) => !{keys}.includes(key))), {constant}_CHECKS[type], \"\")",
            keys = array_literal(&envelope_keys(catalog)),
            constant = family.constant,
        ),
    };
    formatdoc! {"
        /** The first failure of a{article} {noun} message: its envelope, then its payload. */
        function check{ident}{stem}(message: unknown): Failure | undefined {{
          if (!isJsonObject(message)) {{
            return {{ pointer: \"\", keyword: \"type\", expected: \"object\" }};
          }}
          const type = message[{type_key}];
          if (!is{kind}(type)) {{
            return {{ pointer: {type_pointer}, keyword: \"enum\", expected: \"a{article} {noun} type of the `{channel}` channel\" }};
          }}
        {version}{fields}  return {payload};
        }}
        ",
        article = crate::render::article(family.noun),
        noun = family.noun,
        ident = catalog.channel_ident,
        stem = family.verb_stem,
        kind = family.kind,
        channel = catalog.channel,
        type_key = string_literal(&envelope.type_field),
        type_pointer = string_literal(&format!("/{}", pointer_segment(&envelope.type_field))),
        version = version.unwrap_or_default(),
        fields = fields.unwrap_or_default(),
    }
}

/// A key as a JSON Pointer segment.
fn pointer_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `BoardParsedEvent` and `parseBoardEvent`.
pub fn parser(catalog: &Catalog, family: &Family) -> [String; 2] {
    let ident = &catalog.channel_ident;
    let stem = family.verb_stem;
    let envelope = &family.envelope;
    [
        formatdoc! {"
            /** What `parse{ident}{stem}` returns: the typed message, or why it was rejected. */
            export type {ident}Parsed{stem} =
              | {{ readonly ok: true; readonly message: {envelope} }}
              | {{ readonly ok: false; readonly error: {ident}ValidationError }};
        "},
        formatdoc! {"
            /**
             * Checks a message read with `decode{ident}{stem}` against the envelope and
             * its {noun}'s payload schema: every keyword of the catalog's schemas. Returns
             * the typed message, or the JSON Pointer and keyword of the first failure.
             */
            export function parse{ident}{stem}(message: unknown): {ident}Parsed{stem} {{
              const error = check{ident}{stem}(message);
              return error === undefined ? {{ ok: true, message: message as {envelope} }} : {{ ok: false, error }};
            }}
            ",
            noun = family.noun,
        },
    ]
}

/// `isTaskCreatedPayload`: a type guard per payload.
pub fn guards<'a>(catalog: &'a Catalog, checks: &'a Checks) -> impl Iterator<Item = String> + 'a {
    catalog.events.iter().map(move |event| {
        let payload = &catalog.ty(event.payload).name;
        formatdoc! {"
            /** Whether a value is a valid `{payload}`, every schema keyword checked. */
            export function is{payload}(value: unknown): value is {payload} {{
              return checkValue(value, {at}, \"\") === undefined;
            }}
            ",
            at = checks.payloads[&event.name],
        }
    })
}
