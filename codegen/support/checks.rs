//! The validator of an eventcat-generated crate: the catalog's schemas as a
//! table of [`Check`]s (written by eventcat into the channel module) and
//! the interpreter that walks it, the same in every crate. It checks what
//! the Rust types cannot say (bounds, lengths, patterns, formats, array
//! sizes, closed objects, combinators) and names the JSON Pointer of the
//! first value that fails. The generated TypeScript walks the same table
//! with the same rules.
//!
//! Source: `codegen/support/checks.rs` in the eventcat repository, copied
//! word for word like the support module.

// Every crate gets the whole module; a catalog uses only part of it.
#![allow(dead_code)]

use std::cmp::Ordering;
use std::fmt;

use serde::ser::{
    self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeTuple,
    SerializeTupleStruct, Serializer,
};
use serde_json::{Number, Value};

/// A JSON type as a schema's `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Null,
    Boolean,
    Object,
    Array,
    Number,
    String,
    Integer,
}

impl JsonType {
    fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Integer => "integer",
        }
    }

    fn holds(self, value: &Value) -> bool {
        match self {
            JsonType::Null => value.is_null(),
            JsonType::Boolean => value.is_boolean(),
            JsonType::Object => value.is_object(),
            JsonType::Array => value.is_array(),
            JsonType::Number => value.is_number(),
            JsonType::String => value.is_string(),
            JsonType::Integer => value.as_number().is_some_and(is_integer),
        }
    }
}

/// One schema of the catalog: its keywords, with subschemas and `$ref`s as
/// indices into the table and patterns as indices into the pattern list.
/// `const` and `enum` values are JSON text.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub never: bool,
    pub reference: Option<usize>,
    pub types: &'static [JsonType],
    pub constant: Option<&'static str>,
    pub enumeration: Option<&'static [&'static str]>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub multiple_of: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<usize>,
    pub format: Option<&'static str>,
    pub items: Option<usize>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub required: &'static [&'static str],
    pub properties: &'static [(&'static str, usize)],
    pub pattern_properties: &'static [(usize, usize)],
    pub additional_properties: Option<usize>,
    pub property_names: Option<usize>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub all_of: &'static [usize],
    pub any_of: &'static [usize],
    pub one_of: &'static [usize],
}

impl Check {
    /// The schema that every value passes; tables spell out only what differs.
    pub const ANY: Check = Check {
        never: false,
        reference: None,
        types: &[],
        constant: None,
        enumeration: None,
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        multiple_of: None,
        min_length: None,
        max_length: None,
        pattern: None,
        format: None,
        items: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        required: &[],
        properties: &[],
        pattern_properties: &[],
        additional_properties: None,
        property_names: None,
        min_properties: None,
        max_properties: None,
        all_of: &[],
        any_of: &[],
        one_of: &[],
    };
}

/// Why a value was rejected: the JSON Pointer of the first value that
/// fails, the schema keyword it fails, and what that keyword expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub pointer: String,
    pub keyword: &'static str,
    pub expected: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "the message"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{at} fails `{}`: expected {}",
            self.keyword, self.expected
        )
    }
}

impl std::error::Error for ValidationError {}

/// The table a crate's checks are read from, with its patterns and their
/// matcher: `matches(pattern, text)` (the channel module compiles them).
#[derive(Clone, Copy)]
pub struct Schemas {
    pub checks: Table,
    pub patterns: &'static [&'static str],
    pub matches: fn(usize, &str) -> bool,
}

/// The rows in each page of a generated table: the channel module writes
/// [`Table`] and its event metadata as one `static` per page, since the
/// compiler's time for one initializer grows with the square of its length.
pub const PAGE: usize = 128;

/// A catalog's checks, in pages of [`PAGE`], indexed as one array.
#[derive(Clone, Copy)]
pub struct Table(pub &'static [&'static [Check]]);

impl Table {
    /// The check at index `at`.
    pub fn get(&self, at: usize) -> Option<&'static Check> {
        self.0.get(at / PAGE)?.get(at % PAGE)
    }

    /// How many checks the table holds (every page but the last is full).
    pub fn len(&self) -> usize {
        match self.0.split_last() {
            Some((last, full)) => full.len() * PAGE + last.len(),
            None => 0,
        }
    }

    /// Whether the table holds no checks.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

type Outcome = Result<(), ValidationError>;

/// Where a value sits: written out as a JSON Pointer only when a check
/// fails, so a valid message costs no strings.
enum Place<'a> {
    /// A pointer given whole (`""`, `"/payload"`).
    Root(&'a str),
    /// A member of the object at the parent place.
    Key(&'a Place<'a>, &'a str),
    /// An item of the array at the parent place.
    Index(&'a Place<'a>, usize),
}

impl Place<'_> {
    fn pointer(&self) -> String {
        match self {
            Place::Root(pointer) => pointer.to_string(),
            Place::Key(parent, key) => {
                format!(
                    "{}/{}",
                    parent.pointer(),
                    key.replace('~', "~0").replace('/', "~1")
                )
            }
            Place::Index(parent, index) => format!("{}/{index}", parent.pointer()),
        }
    }
}

fn fail(place: &Place<'_>, keyword: &'static str, expected: impl Into<String>) -> Outcome {
    Err(ValidationError {
        pointer: place.pointer(),
        keyword,
        expected: expected.into(),
    })
}

impl Schemas {
    /// Checks `value` against schema `at`; the first failure, in the same
    /// order as the TypeScript checks.
    pub fn check(&self, value: &Value, at: usize, pointer: &str) -> Outcome {
        self.check_at(value, at, &Place::Root(pointer))
    }

    fn check_at(&self, value: &Value, at: usize, place: &Place<'_>) -> Outcome {
        let Some(check) = self.checks.get(at) else {
            return Ok(());
        };
        if check.never {
            return fail(place, "false", "no value here");
        }
        if let Some(reference) = check.reference {
            self.check_at(value, reference, place)?;
        }
        kind(value, check, place)?;
        number(value, check, place)?;
        self.string(value, check, place)?;
        self.array(value, check, place)?;
        self.object(value, check, place)?;
        self.combinators(value, check, place)
    }

    fn string(&self, value: &Value, check: &Check, place: &Place<'_>) -> Outcome {
        match value {
            Value::String(text) => self.text(text, check, place),
            _ => Ok(()),
        }
    }

    fn text(&self, text: &str, check: &Check, place: &Place<'_>) -> Outcome {
        // Counted only when a length is asked for: a string's length is its
        // characters, not its bytes.
        let counted = (check.min_length.is_some() || check.max_length.is_some())
            .then(|| text.chars().count());
        let length = || counted.unwrap_or(0);
        if check.min_length.is_some_and(|min| length() < min) {
            return fail(
                place,
                "minLength",
                check.min_length.unwrap_or(0).to_string(),
            );
        }
        if check.max_length.is_some_and(|max| length() > max) {
            return fail(
                place,
                "maxLength",
                check.max_length.unwrap_or(0).to_string(),
            );
        }
        let unmatched = check
            .pattern
            .filter(|pattern| !(self.matches)(*pattern, text));
        if let Some(pattern) = unmatched {
            return fail(
                place,
                "pattern",
                self.patterns.get(pattern).copied().unwrap_or_default(),
            );
        }
        match check.format {
            Some(format) if !is_format(format, text) => fail(place, "format", format),
            _ => Ok(()),
        }
    }

    fn array(&self, value: &Value, check: &Check, place: &Place<'_>) -> Outcome {
        let Value::Array(items) = value else {
            return Ok(());
        };
        if check.min_items.is_some_and(|min| items.len() < min) {
            return fail(place, "minItems", check.min_items.unwrap_or(0).to_string());
        }
        if check.max_items.is_some_and(|max| items.len() > max) {
            return fail(place, "maxItems", check.max_items.unwrap_or(0).to_string());
        }
        if check.unique_items && has_repeats(items) {
            return fail(place, "uniqueItems", "no two equal items");
        }
        if let Some(schema) = check.items {
            for (index, item) in items.iter().enumerate() {
                self.check_at(item, schema, &Place::Index(place, index))?;
            }
        }
        Ok(())
    }

    fn object(&self, value: &Value, check: &Check, place: &Place<'_>) -> Outcome {
        let Value::Object(members) = value else {
            return Ok(());
        };
        if check.min_properties.is_some_and(|min| members.len() < min) {
            return fail(
                place,
                "minProperties",
                check.min_properties.unwrap_or(0).to_string(),
            );
        }
        if check.max_properties.is_some_and(|max| members.len() > max) {
            return fail(
                place,
                "maxProperties",
                check.max_properties.unwrap_or(0).to_string(),
            );
        }
        if let Some(missing) = check
            .required
            .iter()
            .find(|name| !members.contains_key(**name))
        {
            return fail(place, "required", *missing);
        }
        for (key, item) in members {
            self.member(item, key, check, &Place::Key(place, key))?;
        }
        Ok(())
    }

    /// One member: its property schema, the patterns it matches, or the
    /// schema of the rest; then its name.
    fn member(&self, item: &Value, key: &str, check: &Check, place: &Place<'_>) -> Outcome {
        let property = check.properties.iter().find(|(name, _)| *name == key);
        let mut described = property.is_some();
        if let Some((_, schema)) = property {
            self.check_at(item, *schema, place)?;
        }
        for (pattern, schema) in check.pattern_properties {
            if (self.matches)(*pattern, key) {
                described = true;
                self.check_at(item, *schema, place)?;
            }
        }
        match (described, check.additional_properties) {
            (false, Some(rest)) if self.checks.get(rest).is_some_and(|rest| rest.never) => {
                return fail(place, "additionalProperties", "no property of this name");
            }
            (false, Some(rest)) => self.check_at(item, rest, place)?,
            _ => {}
        }
        match check.property_names {
            Some(names) => self.check_at(&Value::String(key.to_string()), names, place),
            None => Ok(()),
        }
    }

    fn combinators(&self, value: &Value, check: &Check, place: &Place<'_>) -> Outcome {
        for schema in check.all_of {
            self.check_at(value, *schema, place)?;
        }
        let passes = |schema: &usize| self.check_at(value, *schema, place).is_ok();
        if !check.any_of.is_empty() && !check.any_of.iter().any(passes) {
            return fail(
                place,
                "anyOf",
                format!("one of {} schemas", check.any_of.len()),
            );
        }
        if !check.one_of.is_empty() {
            let passing = check.one_of.iter().filter(|schema| passes(schema)).count();
            if passing != 1 {
                let expected = format!(
                    "exactly one of {} schemas, not {passing}",
                    check.one_of.len()
                );
                return fail(place, "oneOf", expected);
            }
        }
        Ok(())
    }
}

fn kind(value: &Value, check: &Check, place: &Place<'_>) -> Outcome {
    if !check.types.is_empty() && !check.types.iter().any(|ty| ty.holds(value)) {
        let names: Vec<&str> = check.types.iter().map(|ty| ty.name()).collect();
        return fail(place, "type", names.join(" or "));
    }
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    if let Some(constant) = check
        .constant
        .filter(|constant| !json_equal(value, &parse(constant)))
    {
        return fail(place, "const", constant);
    }
    let allowed = |values: &&[&str]| {
        values
            .iter()
            .any(|allowed| json_equal(value, &parse(allowed)))
    };
    if let Some(values) = check.enumeration.filter(|values| !allowed(values)) {
        return fail(place, "enum", values.join(", "));
    }
    Ok(())
}

fn is_integer(number: &Number) -> bool {
    number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// A number compared with a bound: exactly when the number is an integer
/// ([`compare_integer`]); as a `f64` otherwise.
fn compare(number: &Number, bound: f64) -> Option<std::cmp::Ordering> {
    let signed = number.as_i64().map(i128::from);
    match signed.or_else(|| number.as_u64().map(i128::from)) {
        Some(integer) => compare_integer(integer, bound),
        None => number.as_f64()?.partial_cmp(&bound),
    }
}

/// Whether an integer lies within a check's bounds. An integer of at most
/// 2^53 is a `f64` exactly, and so compares exactly with any bound.
fn integer_within(integer: i128, check: &Check) -> bool {
    const EXACT: u128 = 1 << 53;
    if integer.unsigned_abs() > EXACT {
        let within = |bound: Option<f64>, allowed: fn(Ordering) -> bool| {
            bound.none_or(|bound| compare_integer(integer, bound).is_some_and(allowed))
        };
        return within(check.minimum, Ordering::is_ge)
            && within(check.maximum, Ordering::is_le)
            && within(check.exclusive_minimum, Ordering::is_gt)
            && within(check.exclusive_maximum, Ordering::is_lt);
    }
    let value = integer as i64 as f64;
    check.minimum.none_or(|bound| value >= bound)
        && check.maximum.none_or(|bound| value <= bound)
        && check.exclusive_minimum.none_or(|bound| value > bound)
        && check.exclusive_maximum.none_or(|bound| value < bound)
}

/// An integer compared with a bound, exactly (`i128` holds every integer
/// a JSON reader hands over).
fn compare_integer(integer: i128, bound: f64) -> Option<Ordering> {
    const LIMIT: f64 = 1.0e38;
    if bound.is_nan() {
        return None;
    }
    // Most bounds fit `i64`, whose conversion is one instruction.
    let (whole, exact) = if bound.abs() < 9.0e18 {
        let truncated = bound as i64;
        (i128::from(truncated), truncated as f64 == bound)
    } else if bound.abs() < LIMIT {
        (bound.trunc() as i128, bound.trunc() == bound)
    } else {
        return Some(if bound > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    };
    match integer.cmp(&whole) {
        // Equal to the whole part of a bound with a fraction: on the
        // side of zero, as the fraction was cut off toward zero.
        Ordering::Equal if !exact => Some(if bound > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        }),
        ordering => Some(ordering),
    }
}

fn number(value: &Value, check: &Check, place: &Place<'_>) -> Outcome {
    match value {
        Value::Number(number) => bounds(number, check, place),
        _ => Ok(()),
    }
}

fn bounds(number: &Number, check: &Check, place: &Place<'_>) -> Outcome {
    let broken = |bound: Option<f64>, allowed: fn(Ordering) -> bool| {
        bound.filter(|bound| !compare(number, *bound).is_some_and(allowed))
    };
    if let Some(bound) = broken(check.minimum, Ordering::is_ge) {
        return fail(place, "minimum", format_bound(bound));
    }
    if let Some(bound) = broken(check.maximum, Ordering::is_le) {
        return fail(place, "maximum", format_bound(bound));
    }
    if let Some(bound) = broken(check.exclusive_minimum, Ordering::is_gt) {
        return fail(place, "exclusiveMinimum", format_bound(bound));
    }
    if let Some(bound) = broken(check.exclusive_maximum, Ordering::is_lt) {
        return fail(place, "exclusiveMaximum", format_bound(bound));
    }
    match check.multiple_of {
        Some(of) if !is_multiple(number, of) => fail(place, "multipleOf", format_bound(of)),
        _ => Ok(()),
    }
}

fn format_bound(bound: f64) -> String {
    Number::from_f64(bound).map_or_else(
        || bound.to_string(),
        |number| {
            if bound.fract() == 0.0 && bound.abs() < 1e16 {
                (bound as i64).to_string()
            } else {
                number.to_string()
            }
        },
    )
}

fn is_multiple(number: &Number, of: f64) -> bool {
    if of.fract() == 0.0 && of.abs() < 1.8e19 {
        if let Some(n) = number.as_i64() {
            return i128::from(n) % (of as i128) == 0;
        }
        if let Some(n) = number.as_u64() {
            return i128::from(n) % (of as i128) == 0;
        }
    }
    number.as_f64().is_some_and(|n| (n / of).fract() == 0.0)
}

/// Whether two items are equal, as `uniqueItems` asks: strings and integers
/// by sorting them, anything else pair by pair.
fn has_repeats(items: &[Value]) -> bool {
    fn sorted_repeats<T: Ord>(mut keys: Vec<T>) -> bool {
        keys.sort_unstable();
        keys.windows(2).any(|pair| pair[0] == pair[1])
    }
    let integer = |item: &Value| {
        let signed = item.as_i64().map(i128::from);
        signed.or_else(|| item.as_u64().map(i128::from))
    };
    if let Some(texts) = items.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
        return sorted_repeats(texts);
    }
    if let Some(integers) = items.iter().map(integer).collect::<Option<Vec<_>>>() {
        return sorted_repeats(integers);
    }
    let repeated = |index: usize| {
        items[..index]
            .iter()
            .any(|earlier| json_equal(earlier, &items[index]))
    };
    (0..items.len()).any(repeated)
}

/// Equality of JSON values: numbers by value, objects whatever their key order.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, value)| y.get(key).is_some_and(|other| json_equal(value, other)))
        }
        _ => a == b,
    }
}

/// Whether `text` has the named format (RFC 3339 dates and times, RFC 5321
/// emails, RFC 1123 hostnames, RFC 3986 URIs, RFC 4122 UUIDs).
fn is_format(format: &str, text: &str) -> bool {
    match format {
        "date" => is_date(text),
        "time" => is_time(text),
        "date-time" => match text.split_once(['T', 't']) {
            Some((date, time)) => !time.contains(['T', 't']) && is_date(date) && is_time(time),
            None => false,
        },
        "duration" => is_duration(text),
        "uuid" => is_uuid(text),
        "ipv4" => is_ipv4(text),
        "ipv6" => is_ipv6(text),
        "hostname" => is_hostname(text),
        "email" => is_email(text),
        "uri" => has_scheme(text) && is_uri_reference(text),
        "uri-reference" => is_uri_reference(text),
        _ => true,
    }
}

fn digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts[..] else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(year, 4), digits(month, 2), digits(day, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&month) && day >= 1 && day <= days[month as usize - 1]
}

fn is_time(text: &str) -> bool {
    let (clock, offset, sign) = if let Some(clock) = text.strip_suffix(['Z', 'z']) {
        (clock, "00:00", 1)
    } else if let Some(at) = text.rfind(['+', '-']) {
        (
            &text[..at],
            &text[at + 1..],
            if text[at..].starts_with('-') { -1 } else { 1 },
        )
    } else {
        return false;
    };
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let offsets: Vec<&str> = offset.split(':').collect();
    let ([hour, minute, second], [offset_hour, offset_minute]) = (&parts[..], &offsets[..]) else {
        return false;
    };
    let values = [
        digits(hour, 2),
        digits(minute, 2),
        digits(second, 2),
        digits(offset_hour, 2),
        digits(offset_minute, 2),
    ];
    let [
        Some(hour),
        Some(minute),
        Some(second),
        Some(offset_hour),
        Some(offset_minute),
    ] = values
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 || offset_hour > 23 || offset_minute > 59 {
        return false;
    }
    // A leap second is 23:59:60 in UTC.
    let utc = (i64::from(hour * 60 + minute) - sign * i64::from(offset_hour * 60 + offset_minute))
        .rem_euclid(1440);
    second < 60 || utc == 23 * 60 + 59
}

fn is_duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.bytes().all(|b| b.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let units = |part: &str, order: &[u8]| -> Option<usize> {
        let (mut count, mut next, mut number) = (0, 0, false);
        for byte in part.bytes() {
            if byte.is_ascii_digit() {
                number = true;
                continue;
            }
            let position = order[next..].iter().position(|unit| *unit == byte)?;
            if !number {
                return None;
            }
            (next, count, number) = (next + position + 1, count + 1, false);
        }
        (!number).then_some(count)
    };
    let Some(date_units) = units(date, b"YMD") else {
        return false;
    };
    match time {
        Some(time) => units(time, b"HMS").is_some_and(|count| count > 0),
        None => date_units > 0,
    }
}

/// Five groups of 8, 4, 4, 4 and 12 hex digits joined by `-`.
fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

fn is_ipv4(text: &str) -> bool {
    let octets: Vec<&str> = text.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| {
            !octet.is_empty()
                && octet.len() <= 3
                && octet.bytes().all(|b| b.is_ascii_digit())
                && (octet.len() == 1 || !octet.starts_with('0'))
                && octet.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn is_ipv6(text: &str) -> bool {
    let halves: Vec<&str> = text.split("::").collect();
    if halves.len() > 2 {
        return false;
    }
    let groups = |part: &str| -> Vec<String> {
        if part.is_empty() {
            Vec::new()
        } else {
            part.split(':').map(str::to_string).collect()
        }
    };
    let mut all = groups(halves[0]);
    if let Some(tail) = halves.get(1) {
        all.extend(groups(tail));
    }
    let v4 = all.last().is_some_and(|last| last.contains('.'));
    if v4 && !all.last().is_some_and(|last| is_ipv4(last)) {
        return false;
    }
    let hex = if v4 { &all[..all.len() - 1] } else { &all[..] };
    let width = hex.len() + if v4 { 2 } else { 0 };
    if !hex
        .iter()
        .all(|group| (1..=4).contains(&group.len()) && group.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return false;
    }
    if halves.len() == 2 {
        width < 8
    } else {
        width == 8
    }
}

fn is_hostname(text: &str) -> bool {
    let name = text.strip_suffix('.').unwrap_or(text);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let atom = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b))
    };
    if local.is_empty() || local.len() > 64 || !local.split('.').all(atom) {
        return false;
    }
    if let Some(literal) = domain
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        return is_ipv4(literal) || literal.strip_prefix("IPv6:").is_some_and(is_ipv6);
    }
    is_hostname(domain)
}

/// `text` split around the first `byte` (ASCII), scanning bytes: cheaper
/// than a `char` search for the short strings a URI check meets.
fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((&text[..at], &text[at + 1..]))
}

fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = split_at_byte(text, b':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
}

/// RFC 3986's characters, one `#` before the fragment, and brackets only
/// around an IP literal host.
fn is_uri_reference(text: &str) -> bool {
    if let Some(simple) = simple_uri_reference(text) {
        return simple;
    }
    let (head, fragment) = split_at_byte(text, b'#').unwrap_or((text, ""));
    let head_is_uri = match ip_literal_authority(head) {
        Some((before, after)) => is_uri_part(before) && is_uri_part(after),
        None => is_uri_part(head),
    };
    head_is_uri && authority_is_valid(head) && is_uri_part(fragment)
}

/// [`is_uri_reference`] of the common shape in one pass over the bytes:
/// no `%` escape, no `[`, at most one `#`. `None` for any other shape, which
/// the whole check judges. Any byte a URI never holds fails either way.
fn simple_uri_reference(text: &str) -> Option<bool> {
    let mut fragment_at = None;
    for (at, byte) in text.bytes().enumerate() {
        if URI_BYTES[usize::from(byte)] {
            continue;
        }
        match byte {
            b'#' if fragment_at.is_none() => fragment_at = Some(at),
            b'%' | b'[' | b'#' => return None,
            _ => return Some(false),
        }
    }
    let head = &text[..fragment_at.unwrap_or(text.len())];
    Some(authority_is_valid(head))
}

/// Whether a URI reference's authority, if it has one, keeps RFC 3986's
/// rules beyond its characters: at most one `@` (none in the user part),
/// and a port of digits (`scheme://user@host:port`, `//host:port`).
fn authority_is_valid(head: &str) -> bool {
    let rest = match split_at_byte(head, b':') {
        Some((_, rest)) if has_scheme(head) => rest,
        _ => head,
    };
    let Some(authority) = rest.strip_prefix("//") else {
        return true;
    };
    // One pass to the end of the authority, counting its `@`s.
    let mut end = authority.len();
    let mut last_at = None;
    let mut ats = 0;
    for (index, byte) in authority.bytes().enumerate() {
        match byte {
            b'/' | b'?' => {
                end = index;
                break;
            }
            b'@' => {
                ats += 1;
                last_at = Some(index);
            }
            _ => {}
        }
    }
    if ats > 1 {
        return false;
    }
    let host_port = &authority[last_at.map_or(0, |at| at + 1)..end];
    let after_host = match host_port.strip_prefix('[') {
        Some(literal) => split_at_byte(literal, b']').map_or("", |(_, after)| after),
        None => host_port,
    };
    match split_at_byte(after_host, b':') {
        Some((_, port)) => port.bytes().all(|byte| byte.is_ascii_digit()),
        None => true,
    }
}

/// `scheme://user@[v6]rest` split around its bracketed host.
fn ip_literal_authority(head: &str) -> Option<(&str, &str)> {
    if !head.bytes().any(|b| b == b'[') {
        return None;
    }
    let start = head.find("//")?;
    let scheme = &head[..start];
    if !(scheme.is_empty() || (scheme.ends_with(':') && has_scheme(scheme))) {
        return None;
    }
    let authority = &head[start + 2..];
    let user_end = authority.find(['@', '/', '?', '#', '[', ']']);
    let host_start = match user_end {
        Some(at) if authority[at..].starts_with('@') => start + 2 + at + 1,
        _ => start + 2,
    };
    let host = head[host_start..].strip_prefix('[')?;
    let close = host.find(']')?;
    let inside = &host[..close];
    (!inside.is_empty()
        && inside
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.'))
    .then(|| (&head[..host_start], &host[close + 1..]))
}

/// The bytes a URI may hold as they are (RFC 3986's unreserved, sub-delims,
/// `:`, `@`, `/` and `?`), as a table.
const URI_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
                    | b'?'
            );
        byte += 1;
    }
    table
};

fn is_uri_part(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most URIs have no `%` escapes: one lookup per byte.
    if bytes.iter().all(|byte| URI_BYTES[usize::from(*byte)]) {
        return true;
    }
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let escape = bytes.get(index + 1..index + 3);
            if !escape.is_some_and(|pair| pair.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            index += 3;
            continue;
        }
        if !URI_BYTES[usize::from(byte)] {
            return false;
        }
        index += 1;
    }
    true
}

/// Checks a value of a generated type against schema `at` as JSON: the
/// `Value` check, which names the first failure.
pub fn explain<T: ?Sized + Serialize>(value: &T, schemas: &Schemas, at: usize) -> Outcome {
    let value = serde_json::to_value(value).map_err(|error| ValidationError {
        pointer: String::new(),
        keyword: "type",
        expected: format!("a value that serializes to JSON ({error})"),
    })?;
    schemas.check(&value, at, "")
}

impl Schemas {
    fn passes_at<T: ?Sized + Serialize>(&self, value: &T, at: usize) -> bool {
        let Some(check) = self.target(at) else {
            return true;
        };
        if check.never {
            return false;
        }
        if check
            .reference
            .is_some_and(|reference| !self.passes_at(value, reference))
        {
            return false;
        }
        if needs_whole_value(check) {
            return serde_json::to_value(value)
                .is_ok_and(|value| self.check_at(&value, at, &Place::Root("")).is_ok());
        }
        let walk = Walk {
            schemas: self,
            check,
        };
        let walked = !has_value_keywords(check) || value.serialize(walk).is_ok();
        walked && combinators_hold(check, |schema| self.passes_at(value, schema))
    }

    /// The check at `at`, through schemas that only name another (most
    /// property schemas only name a definition). The chain is bounded by
    /// the table, so a cycle of references cannot hang the walk.
    fn target(&self, at: usize) -> Option<&Check> {
        let mut check = self.checks.get(at)?;
        for _ in 0..self.checks.len() {
            match check.reference {
                Some(reference) if is_bare_reference(check) => {
                    check = self.checks.get(reference)?;
                }
                _ => break,
            }
        }
        Some(check)
    }

    /// The walk's [`Schemas::member`]: one member of an object.
    /// `property` is the schema of the key's property, if it has one.
    fn member_passes<T: ?Sized + Serialize>(
        &self,
        item: &T,
        key: &str,
        check: &Check,
        property: Option<usize>,
    ) -> bool {
        if property.is_some_and(|schema| !self.passes_at(item, schema)) {
            return false;
        }
        let mut described = property.is_some();
        for (pattern, schema) in check.pattern_properties {
            if (self.matches)(*pattern, key) {
                described = true;
                if !self.passes_at(item, *schema) {
                    return false;
                }
            }
        }
        let rest = check.additional_properties.filter(|_| !described);
        rest.none_or(|rest| self.passes_at(item, rest))
            && check
                .property_names
                .none_or(|names| self.passes_at(key, names))
    }
}

// Typed checks: what the channel module's generated `holds` methods call.
// A `holds` judges a value read into its types with plain comparisons where
// the catalog's check is simple (integer bounds, lengths of arrays) and
// with these helpers where it is not; a shape it has no typed check for
// goes to the walk ([`Schemas::value_holds`]). As with the walk, a `true`
// is always right and a `false` sends the caller to the `Value` check.
impl Schemas {
    /// Whether an integer of a generated type passes schema `at`.
    pub fn integer_holds(&self, at: usize, value: i128) -> bool {
        self.integer_passes(at, value, 0)
    }

    /// Whether a number of a generated type passes schema `at`.
    pub fn number_holds(&self, at: usize, value: &Number) -> bool {
        self.scalar_passes(at, Scalar::Number(value))
    }

    /// Whether a string of a generated type passes schema `at`.
    pub fn text_holds(&self, at: usize, value: &str) -> bool {
        self.scalar_passes(at, Scalar::Text(value))
    }

    /// Whether a boolean of a generated type passes schema `at`.
    pub fn bool_holds(&self, at: usize, value: &bool) -> bool {
        self.scalar_passes(at, Scalar::Bool(*value))
    }

    /// Whether `null` passes schema `at`.
    pub fn null_holds(&self, at: usize) -> bool {
        self.scalar_passes(at, Scalar::Null)
    }

    /// Whether an optional value passes schema `at`: `None` (JSON `null`)
    /// as the schema says, a value as `holds` says.
    pub fn null_or<T>(&self, at: usize, value: &Option<T>, holds: impl FnOnce(&T) -> bool) -> bool {
        match value {
            Some(value) => holds(value),
            None => self.null_holds(at),
        }
    }

    /// Whether an array of `count` items passes schema `at`'s
    /// `minItems` and `maxItems`.
    pub fn count_holds(&self, at: usize, count: usize) -> bool {
        self.checks
            .get(at)
            .is_some_and(|check| within(count, check.min_items, check.max_items))
    }

    /// Whether any value passes schema `at`, judged from its `Serialize`
    /// output as it streams by (no JSON tree is built and no string
    /// written): for the shapes `holds` has no typed check for. The few
    /// keywords the walk does not follow (a `const` or `enum` of objects
    /// or arrays) are judged through a `Value`, and a shape the walk cannot
    /// read counts as failing, for the `Value` check to decide.
    pub fn value_holds<T: ?Sized + Serialize>(&self, at: usize, value: &T) -> bool {
        self.passes_at(value, at)
    }
}

/// Whether an optional value is `None` (absent, or a `null` its schema
/// allows) or passes `holds`.
pub fn none_or<T>(value: &Option<T>, holds: impl FnOnce(&T) -> bool) -> bool {
    match value {
        Some(value) => holds(value),
        None => true,
    }
}

/// Whether no two items have the same key (`uniqueItems` of items whose
/// JSON equality is their key's), in O(n log n) whatever the input.
pub fn distinct<'a, T, K: Ord>(items: &'a [T], key: impl Fn(&'a T) -> K) -> bool {
    if items.len() <= 16 {
        // Few items: compared in pairs, without allocating.
        return items
            .iter()
            .enumerate()
            .all(|(at, item)| items[at + 1..].iter().all(|other| key(item) != key(other)));
    }
    let mut keys: Vec<K> = items.iter().map(key).collect();
    keys.sort_unstable();
    keys.windows(2).all(|pair| pair[0] != pair[1])
}

/// `Option::is_none_or`, which the crate's minimum Rust may not have.
trait NoneOr<T> {
    fn none_or(self, passes: impl FnOnce(T) -> bool) -> bool;
}

impl<T> NoneOr<T> for Option<T> {
    fn none_or(self, passes: impl FnOnce(T) -> bool) -> bool {
        match self {
            Some(value) => passes(value),
            None => true,
        }
    }
}

/// Whether `check`'s `allOf`, `anyOf` and `oneOf` hold, each subschema
/// judged by `passes`: the rule of the walk and of the scalar helpers.
fn combinators_hold(check: &Check, passes: impl Fn(usize) -> bool) -> bool {
    let passing_one_of = || check.one_of.iter().filter(|at| passes(**at)).count();
    check.all_of.iter().all(|at| passes(*at))
        && (check.any_of.is_empty() || check.any_of.iter().any(|at| passes(*at)))
        && (check.one_of.is_empty() || passing_one_of() == 1)
}

/// Whether a check says nothing but its `$ref`.
fn is_bare_reference(check: &Check) -> bool {
    let combinators = [check.all_of, check.any_of, check.one_of];
    !check.never
        && !has_value_keywords(check)
        && combinators.iter().all(|schemas| schemas.is_empty())
}

/// Whether a check has keywords of its own about the value, beyond its
/// `$ref` and its combinators: one without leaves the value unwalked.
fn has_value_keywords(check: &Check) -> bool {
    let Check {
        never: _,
        reference: _,
        types,
        constant,
        enumeration,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        min_length,
        max_length,
        pattern,
        format,
        items,
        min_items,
        max_items,
        unique_items,
        required,
        properties,
        pattern_properties,
        additional_properties,
        property_names,
        min_properties,
        max_properties,
        all_of: _,
        any_of: _,
        one_of: _,
    } = check;
    if !types.is_empty() {
        return true;
    }
    let numbers = [
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
    ];
    let counts = [
        min_length,
        max_length,
        min_items,
        max_items,
        min_properties,
        max_properties,
    ];
    let subschemas = [pattern, items, additional_properties, property_names];
    constant.is_some()
        || enumeration.is_some()
        || format.is_some()
        || *unique_items
        || numbers.iter().any(|bound| bound.is_some())
        || counts.iter().any(|count| count.is_some())
        || subschemas.iter().any(|schema| schema.is_some())
        || !required.is_empty()
        || !properties.is_empty()
        || !pattern_properties.is_empty()
}

/// Whether a check compares a value with an object or an array, which the
/// walk leaves to a `Value`. (So do more required keys than the walk's bit
/// set holds.)
fn needs_whole_value(check: &Check) -> bool {
    let compound = |text: &&str| text.starts_with(['{', '[']);
    check.required.len() > 64
        || check.constant.iter().any(compound)
        || check
            .enumeration
            .is_some_and(|values| values.iter().any(compound))
}

fn within(count: usize, min: Option<usize>, max: Option<usize>) -> bool {
    min.none_or(|min| count >= min) && max.none_or(|max| count <= max)
}

/// The walk's only error: the value fails its check, or has a shape the
/// walk does not read.
#[derive(Debug)]
struct Fails;

impl fmt::Display for Fails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value fails its schema")
    }
}

impl std::error::Error for Fails {}

impl ser::Error for Fails {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Fails
    }
}

type Walked = Result<(), Fails>;

fn pass(passes: bool) -> Walked {
    if passes { Ok(()) } else { Err(Fails) }
}

/// A JSON scalar as the walk meets it.
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(&'a Number),
    Text(&'a str),
}

impl Scalar<'_> {
    fn has_type(self, types: &[JsonType]) -> bool {
        let has = |ty: &JsonType| match (ty, self) {
            (JsonType::Null, Scalar::Null)
            | (JsonType::Boolean, Scalar::Bool(_))
            | (JsonType::Number, Scalar::Number(_))
            | (JsonType::String, Scalar::Text(_)) => true,
            (JsonType::Integer, Scalar::Number(number)) => is_integer(number),
            _ => false,
        };
        types.is_empty() || types.iter().any(has)
    }

    /// Whether the scalar equals a `const` or `enum` value's JSON text.
    fn equals(self, json: &str) -> bool {
        match self {
            Scalar::Null => json == "null",
            Scalar::Bool(value) => json == if value { "true" } else { "false" },
            Scalar::Text(text) => match json.strip_prefix('"').and_then(|j| j.strip_suffix('"')) {
                Some(plain) if !plain.contains('\\') => plain == text,
                Some(_) => serde_json::from_str::<String>(json).is_ok_and(|json| json == text),
                None => false,
            },
            Scalar::Number(number) => serde_json::from_str::<Value>(json)
                .is_ok_and(|json| json_equal(&Value::Number(number.clone()), &json)),
        }
    }
}

/// The serializer that checks one value against one [`Check`] as the
/// value writes itself: scalars against the scalar keywords, arrays item
/// by item ([`Items`]) and objects member by member ([`Members`]).
struct Walk<'a> {
    schemas: &'a Schemas,
    check: &'a Check,
}

impl Walk<'_> {
    fn scalar(self, scalar: Scalar<'_>) -> Walked {
        let check = self.check;
        let allowed = |values: &[&str]| values.iter().any(|json| scalar.equals(json));
        pass(
            scalar.has_type(check.types)
                && check.constant.none_or(|json| scalar.equals(json))
                && check.enumeration.none_or(allowed),
        )?;
        let place = Place::Root("");
        match scalar {
            Scalar::Number(number) => pass(bounds(number, check, &place).is_ok()),
            Scalar::Text(text) => pass(self.schemas.text(text, check, &place).is_ok()),
            Scalar::Null | Scalar::Bool(_) => Ok(()),
        }
    }

    fn number(self, number: Number) -> Walked {
        self.scalar(Scalar::Number(&number))
    }

    /// The start of an array or object: its type, and no scalar `const`.
    fn compound(&self, ty: JsonType) -> Walked {
        let check = self.check;
        pass(
            (check.types.is_empty() || check.types.contains(&ty))
                && check.constant.is_none()
                && check.enumeration.is_none(),
        )
    }
}

impl<'a> Serializer for Walk<'a> {
    type Ok = ();
    type Error = Fails;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Items<'a>;
    type SerializeTupleStruct = Items<'a>;
    type SerializeTupleVariant = Impossible<(), Fails>;
    type SerializeMap = Members<'a>;
    type SerializeStruct = Members<'a>;
    type SerializeStructVariant = Impossible<(), Fails>;

    fn serialize_bool(self, value: bool) -> Walked {
        self.scalar(Scalar::Bool(value))
    }

    fn serialize_i8(self, value: i8) -> Walked {
        self.number(value.into())
    }

    fn serialize_i16(self, value: i16) -> Walked {
        self.number(value.into())
    }

    fn serialize_i32(self, value: i32) -> Walked {
        self.number(value.into())
    }

    fn serialize_i64(self, value: i64) -> Walked {
        self.number(value.into())
    }

    fn serialize_u8(self, value: u8) -> Walked {
        self.number(value.into())
    }

    fn serialize_u16(self, value: u16) -> Walked {
        self.number(value.into())
    }

    fn serialize_u32(self, value: u32) -> Walked {
        self.number(value.into())
    }

    fn serialize_u64(self, value: u64) -> Walked {
        self.number(value.into())
    }

    fn serialize_f32(self, value: f32) -> Walked {
        self.serialize_f64(f64::from(value))
    }

    /// As in `serde_json`, a number that is not finite is `null`.
    fn serialize_f64(self, value: f64) -> Walked {
        match Number::from_f64(value) {
            Some(number) => self.number(number),
            None => self.scalar(Scalar::Null),
        }
    }

    fn serialize_char(self, value: char) -> Walked {
        self.scalar(Scalar::Text(value.encode_utf8(&mut [0; 4])))
    }

    fn serialize_str(self, value: &str) -> Walked {
        self.scalar(Scalar::Text(value))
    }

    fn serialize_bytes(self, _: &[u8]) -> Walked {
        Err(Fails)
    }

    fn serialize_none(self) -> Walked {
        self.scalar(Scalar::Null)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Walked {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Walked {
        self.scalar(Scalar::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Walked {
        self.scalar(Scalar::Null)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Walked {
        self.scalar(Scalar::Text(variant))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Walked {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Walked {
        Err(Fails)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Items<'a>, Fails> {
        self.compound(JsonType::Array)?;
        Ok(Items {
            schemas: self.schemas,
            check: self.check,
            count: 0,
            seen: Vec::new(),
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Items<'a>, Fails> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Items<'a>, Fails> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Fails> {
        Err(Fails)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Members<'a>, Fails> {
        self.compound(JsonType::Object)?;
        Ok(Members {
            schemas: self.schemas,
            check: self.check,
            count: 0,
            required: 0,
            next_property: 0,
            next_required: 0,
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Members<'a>, Fails> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Fails> {
        Err(Fails)
    }
}

/// The items of an array: each against `items`, then their count.
struct Items<'a> {
    schemas: &'a Schemas,
    check: &'a Check,
    count: usize,
    /// The items so far, where `uniqueItems` asks.
    seen: Vec<ItemKey>,
}

/// An item as `uniqueItems` compares it; items of other kinds are left to
/// the `Value` check.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum ItemKey {
    Integer(i128),
    Text(String),
}

impl ItemKey {
    fn of_scalar(scalar: Scalar<'_>) -> Option<ItemKey> {
        match scalar {
            Scalar::Text(text) => Some(ItemKey::Text(text.to_string())),
            Scalar::Number(number) => {
                let signed = number.as_i64().map(i128::from);
                signed
                    .or_else(|| number.as_u64().map(i128::from))
                    .map(ItemKey::Integer)
            }
            Scalar::Null | Scalar::Bool(_) => None,
        }
    }

    fn of<T: ?Sized + Serialize>(item: &T) -> Result<ItemKey, Fails> {
        match serde_json::to_value(item) {
            Ok(Value::String(text)) => Ok(ItemKey::Text(text)),
            Ok(Value::Number(number)) => {
                let signed = number.as_i64().map(i128::from);
                let integer = signed.or_else(|| number.as_u64().map(i128::from));
                integer.map(ItemKey::Integer).ok_or(Fails)
            }
            _ => Err(Fails),
        }
    }
}

impl SerializeSeq for Items<'_> {
    type Ok = ();
    type Error = Fails;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, item: &T) -> Walked {
        self.count += 1;
        if self.check.unique_items {
            self.seen.push(ItemKey::of(item)?);
        }
        let items = self.check.items;
        pass(items.none_or(|schema| self.schemas.passes_at(item, schema)))
    }

    fn end(mut self) -> Walked {
        self.seen.sort_unstable();
        let repeats = self.seen.windows(2).any(|pair| pair[0] == pair[1]);
        pass(!repeats && within(self.count, self.check.min_items, self.check.max_items))
    }
}

impl SerializeTuple for Items<'_> {
    type Ok = ();
    type Error = Fails;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, item: &T) -> Walked {
        SerializeSeq::serialize_element(self, item)
    }

    fn end(self) -> Walked {
        SerializeSeq::end(self)
    }
}

impl SerializeTupleStruct for Items<'_> {
    type Ok = ();
    type Error = Fails;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, item: &T) -> Walked {
        SerializeSeq::serialize_element(self, item)
    }

    fn end(self) -> Walked {
        SerializeSeq::end(self)
    }
}

/// The members of an object: each as [`Schemas::member`] says, then their
/// count and the required keys (one bit each).
struct Members<'a> {
    schemas: &'a Schemas,
    check: &'a Check,
    count: usize,
    required: u64,
    next_property: usize,
    next_required: usize,
    key: Option<String>,
}

impl Members<'_> {
    fn member<T: ?Sized + Serialize>(&mut self, key: &str, item: &T) -> Walked {
        let check = self.check;
        self.count += 1;
        let property = find_from(check.properties, &mut self.next_property, key, |entry| {
            entry.0
        });
        if let Some(index) = find_from(check.required, &mut self.next_required, key, |name| name) {
            self.required |= 1 << index;
        }
        let property = property.map(|index| check.properties[index].1);
        pass(self.schemas.member_passes(item, key, check, property))
    }

    fn finish(self) -> Walked {
        let check = self.check;
        pass(
            within(self.count, check.min_properties, check.max_properties)
                && self.required.count_ones() as usize == check.required.len(),
        )
    }
}

/// The position of `key` among `entries`, looked for at `cursor` first: a
/// struct writes its fields in its schema's order, so the next key is
/// usually the next entry.
fn find_from<T>(
    entries: &[T],
    cursor: &mut usize,
    key: &str,
    name: impl Fn(&T) -> &'static str,
) -> Option<usize> {
    let position = match entries.get(*cursor) {
        Some(next) if name(next) == key => *cursor,
        _ => entries.iter().position(|entry| name(entry) == key)?,
    };
    *cursor = position + 1;
    Some(position)
}

/// An object key written by a map: JSON keys are strings.
fn key_text<K: ?Sized + Serialize>(key: &K) -> Result<String, Fails> {
    match serde_json::to_value(key) {
        Ok(Value::String(key)) => Ok(key),
        _ => Err(Fails),
    }
}

impl SerializeMap for Members<'_> {
    type Ok = ();
    type Error = Fails;

    fn serialize_key<K: ?Sized + Serialize>(&mut self, key: &K) -> Walked {
        self.key = Some(key_text(key)?);
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, item: &T) -> Walked {
        let key = self.key.take().ok_or(Fails)?;
        self.member(&key, item)
    }

    fn serialize_entry<K: ?Sized + Serialize, T: ?Sized + Serialize>(
        &mut self,
        key: &K,
        item: &T,
    ) -> Walked {
        let key = key_text(key)?;
        self.member(&key, item)
    }

    fn end(self) -> Walked {
        self.finish()
    }
}

impl SerializeStruct for Members<'_> {
    type Ok = ();
    type Error = Fails;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, item: &T) -> Walked {
        self.member(key, item)
    }

    fn end(self) -> Walked {
        self.finish()
    }
}

/// Where a family's messages keep their parts, and each type's payload check.
#[derive(Debug, Clone, Copy)]
pub struct Messages {
    pub type_field: &'static str,
    pub version_field: Option<&'static str>,
    /// `None` for a flat envelope, whose payload is the rest of the message.
    pub payload_field: Option<&'static str>,
    pub omit_empty_payload: bool,
    /// The envelope's own fields and their check.
    pub fields: &'static [&'static str],
    pub fields_check: Option<usize>,
    /// Each message type's payload check, former names included.
    pub payloads: &'static [(&'static str, usize)],
}

/// Checks a message: an object whose type is known (an unknown type passes,
/// for the reader to skip), its version an integer, its envelope fields,
/// then its payload; the same order as the TypeScript checks.
pub fn check_message(message: &Value, schemas: &Schemas, messages: &Messages) -> Outcome {
    let Value::Object(members) = message else {
        return fail(&Place::Root(""), "type", "object");
    };
    let pointer = |key: &str| format!("/{}", key.replace('~', "~0").replace('/', "~1"));
    let Some(Value::String(name)) = members.get(messages.type_field) else {
        return fail(
            &Place::Root(&pointer(messages.type_field)),
            "type",
            "string",
        );
    };
    let Some((_, payload_check)) = messages.payloads.iter().find(|(known, _)| known == name) else {
        return Ok(());
    };
    let integer = |version: &&str| {
        members
            .get(*version)
            .is_some_and(|value| JsonType::Integer.holds(value))
    };
    if let Some(version) = messages.version_field.filter(|version| !integer(version)) {
        return fail(&Place::Root(&pointer(version)), "type", "integer");
    }
    if let Some(fields_check) = messages.fields_check {
        let fields: serde_json::Map<String, Value> = members
            .iter()
            .filter(|(key, _)| messages.fields.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        schemas.check(&Value::Object(fields), fields_check, "")?;
    }
    match messages.payload_field {
        Some(field) => {
            let empty = Value::Object(serde_json::Map::new());
            let payload = match members.get(field) {
                None if messages.omit_empty_payload => &empty,
                None => &Value::Null,
                Some(payload) => payload,
            };
            schemas.check(payload, *payload_check, &pointer(field))
        }
        None => {
            let envelope_keys = |key: &str| {
                key == messages.type_field
                    || Some(key) == messages.version_field
                    || messages.fields.contains(&key)
            };
            let payload: serde_json::Map<String, Value> = members
                .iter()
                .filter(|(key, _)| !envelope_keys(key))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            schemas.check(&Value::Object(payload), *payload_check, "")
        }
    }
}

impl Schemas {
    /// Whether a scalar passes schema `at`, combinators included.
    fn scalar_passes(&self, at: usize, scalar: Scalar<'_>) -> bool {
        let Some(check) = self.target(at) else {
            return true;
        };
        if check.never
            || check
                .reference
                .is_some_and(|reference| !self.scalar_passes(reference, scalar))
        {
            return false;
        }
        let walk = Walk {
            schemas: self,
            check,
        };
        walk.scalar(scalar).is_ok()
            && combinators_hold(check, |schema| self.scalar_passes(schema, scalar))
    }

    /// Whether an integer passes schema `at`: its type, bounds, `$ref`s
    /// and combinators are judged here, without building a `Number`; a
    /// schema that compares values (`const`, `enum`, `multipleOf`) goes
    /// the way of every scalar.
    fn integer_passes(&self, at: usize, integer: i128, depth: usize) -> bool {
        let Some(check) = self.target(at) else {
            return true;
        };
        let compares =
            check.constant.is_some() || check.enumeration.is_some() || check.multiple_of.is_some();
        if compares || depth > self.checks.len() {
            let number = match i64::try_from(integer) {
                Ok(signed) => Number::from(signed),
                Err(_) => Number::from(integer as u64),
            };
            return self.scalar_passes(at, Scalar::Number(&number));
        }
        let numeric = |ty: &JsonType| matches!(ty, JsonType::Integer | JsonType::Number);
        let passes = |schema: usize| self.integer_passes(schema, integer, depth + 1);
        !check.never
            && (check.types.is_empty() || check.types.iter().any(numeric))
            && integer_within(integer, check)
            && check.reference.none_or(passes)
            && combinators_hold(check, passes)
    }
}
