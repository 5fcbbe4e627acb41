//! Validated receive in TypeScript: the catalog's [`Checks`] written out as
//! straight-line functions, one per distinct schema (generated source: no
//! table to interpret, no `eval`), the hand-written helpers they call (only
//! those a module uses), and per family `parse<Channel><Event>`, the type
//! guards and the validation the dispatcher runs before a handler sees a
//! message.
//!
//! The functions keep the order in which the checks are defined (the Rust
//! crates' interpreter, `codegen/support/checks.rs`, follows the same order):
//! `$ref` first, then `type`, `const`, `enum`, the number, string, array and
//! object keywords (members in the message's key order), and the combinators.
//! Each function returns whether the value passes. A failing check records
//! its keyword and expectation, and each caller on the way out adds its key
//! or index; the JSON Pointer is written only at the top, when a message
//! fails. So checking a valid value builds no failure and no string.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

use indoc::formatdoc;
use serde_json::{Number, Value};

use super::Family;
use super::syntax::{escape_comment, string_literal};
use crate::FastMap;
use crate::checks::{Check, Checks, JsonType};
use crate::model::Catalog;

/// How the checks are written: which function stands for each check, and
/// which checks need a function at all.
pub struct Plan<'a> {
    table: &'a [Check],
    patterns: &'a [String],
    /// The check each check is written as: itself, the target of a bare
    /// `$ref`, or the first of the checks identical to it.
    class: Vec<usize>,
    /// The checks written as functions, with what each one checks.
    functions: BTreeMap<usize, String>,
    /// Each event's payload check, by wire name, and the envelope fields'.
    payloads: BTreeMap<String, usize>,
    envelope_fields: Option<usize>,
}

/// What a check amounts to where it is used.
#[derive(Debug, Clone, PartialEq)]
enum Call {
    /// Every value passes (`true`, `{}`): nothing to check.
    Always,
    /// No value passes (`false`).
    Never,
    /// `additionalProperties: false`: a key nothing describes fails on its own.
    Closed,
    /// A call of its function: whether the value passes (a failure is recorded).
    Expr(String),
}

/// The failure of a `false` schema.
const NEVER: &str = "fail(\"false\", \"no value here\")";

impl<'a> Plan<'a> {
    /// Decides the functions of a catalog's checks.
    pub fn new(catalog: &Catalog, checks: &'a Checks) -> Plan<'a> {
        let table = checks.table.as_slice();
        let class = classes(table);
        let mut plan = Plan {
            table,
            patterns: &checks.patterns,
            class,
            functions: BTreeMap::new(),
            payloads: checks.payloads.clone(),
            envelope_fields: checks.envelope_fields,
        };
        // Roots in catalog order, each written as a function whatever it is.
        let mut queue: VecDeque<(usize, Place)> = catalog
            .events
            .iter()
            .filter_map(|event| {
                let at = checks.payloads.get(&event.name)?;
                Some((*at, Place::root(format!("the `{}` payload", event.name))))
            })
            .chain(
                checks
                    .envelope_fields
                    .map(|at| (at, Place::root("the envelope's own fields".to_string()))),
            )
            .map(|(at, place)| (plan.class[at], place))
            .collect();
        let roots: BTreeSet<usize> = queue.iter().map(|(at, _)| *at).collect();
        // Shared definitions are compiled first, in the catalog's order.
        let mut definitions: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (index, name) in catalog.definitions.keys().enumerate().take(table.len()) {
            definitions
                .entry(plan.class[index])
                .or_default()
                .push(format!("`$defs/{name}`"));
        }
        let mut places: BTreeMap<usize, Place> = BTreeMap::new();
        while let Some((at, place)) = queue.pop_front() {
            if places.contains_key(&at) {
                continue;
            }
            let place = match definitions.get(&at) {
                Some(names) if !roots.contains(&at) => Place::root(names.join(", ")),
                _ => place,
            };
            for (child, step) in children(&table[at]) {
                let child = plan.class[child];
                if matches!(plan.kind(child), Call::Expr(_)) && !places.contains_key(&child) {
                    queue.push_back((child, place.child(&step)));
                }
            }
            places.insert(at, place);
        }
        plan.functions = places
            .into_iter()
            .map(|(at, place)| (at, place.describe()))
            .collect();
        plan
    }

    /// What check `at` is, before its function is named.
    fn kind(&self, at: usize) -> Call {
        let check = &self.table[at];
        if check.never {
            Call::Never
        } else if *check == Check::default() {
            Call::Always
        } else {
            Call::Expr(String::new())
        }
    }

    /// Check `at` applied to `arg`.
    fn call(&self, at: usize, arg: &str) -> Call {
        let at = self.class[at];
        match self.kind(at) {
            Call::Expr(_) => {
                let mut call = function_name(at);
                call.push('(');
                call.push_str(arg);
                call.push(')');
                Call::Expr(call)
            }
            other => other,
        }
    }

    /// The function that checks event `name`'s payload.
    fn payload_function(&self, name: &str) -> String {
        function_name(self.class[self.payloads[name]])
    }

    /// Every function, in table order, written on every core: they are
    /// most of the module.
    fn items(&self) -> Vec<String> {
        let functions: Vec<(&usize, &String)> = self.functions.iter().collect();
        crate::parallel::map_in_order(&functions, |(at, label)| self.function(**at, label))
    }

    fn function(&self, at: usize, label: &str) -> String {
        let check = &self.table[at];
        let mut constants = String::new();
        let mut body = Code::default();
        let parameter = match self.kind(at) {
            Call::Never | Call::Closed => {
                body.fail(NEVER);
                "_value"
            }
            Call::Always => {
                body.line("return true;");
                "_value"
            }
            Call::Expr(_) => {
                self.body(at, check, &mut body, &mut constants);
                body.line("return true;");
                "value"
            }
        };
        let mut function = constants;
        // Sized once: these strings are most of the module while it is made.
        function.reserve(label.len() + body.text.len() + 64);
        function.push_str("/** ");
        function.push_str(&escape_comment(label));
        function.push_str(" */\nfunction ");
        function.push_str(&function_name(at));
        function.push('(');
        function.push_str(parameter);
        function.push_str(": unknown): boolean {\n");
        function.push_str(&body.text);
        function.push('}');
        function
    }

    fn body(&self, at: usize, check: &Check, code: &mut Code, constants: &mut String) {
        if let Some(reference) = check.reference {
            code.propagate(self.call(reference, "value"));
        }
        self.kind_keywords(at, check, code, constants);
        let possible = Kinds::of(check);
        if code.done {
            return;
        }
        let only = |kinds: &[Kind]| {
            !check.types.is_empty()
                && check
                    .types
                    .iter()
                    .all(|ty| kinds.contains(&Kind::of(*ty, check.integer_as_string)))
        };
        if possible.number(check.integer_as_string) && has_number_keywords(check) {
            self.numbers(check, only(&[Kind::Number]), code);
        }
        if possible.has(Kind::String) && has_string_keywords(check) {
            code.guarded(
                !only(&[Kind::String]),
                "typeof value === \"string\"",
                |code| self.strings(check, code),
            );
        }
        if possible.has(Kind::Array) && has_array_keywords(check) {
            code.guarded(!only(&[Kind::Array]), "Array.isArray(value)", |code| {
                self.arrays(check, code)
            });
        }
        if possible.has(Kind::Object) && self.has_object_keywords(check) {
            code.guarded(!only(&[Kind::Object]), "isJsonObject(value)", |code| {
                self.objects(check, code)
            });
        }
        self.combinators(check, code);
    }

    /// `type`, `const`, `enum`.
    fn kind_keywords(&self, at: usize, check: &Check, code: &mut Code, constants: &mut String) {
        if !check.types.is_empty() {
            let tests: Vec<&str> = check
                .types
                .iter()
                .map(|ty| type_test(*ty, check.integer_as_string))
                .collect();
            let condition = match tests.as_slice() {
                [single] => negated_type_test(check.types[0], check.integer_as_string)
                    .map_or_else(|| format!("!({single})"), str::to_string),
                _ => {
                    let tests: Vec<String> = tests
                        .iter()
                        .map(
                            |test| match test.starts_with('(') || !test.contains(" && ") {
                                true => test.to_string(),
                                false => format!("({test})"),
                            },
                        )
                        .collect();
                    format!("!({})", tests.join(" || "))
                }
            };
            let names: Vec<&str> = check.types.iter().map(|ty| ty.name()).collect();
            code.fail_if(&condition, "type", &string_literal(&names.join(" or ")));
        }
        let types = Kinds::of_types(check);
        if let Some(constant) = &check.constant {
            let expected = json_text(constant).map_or_else(
                || format!("JSON.stringify(CONST_{at})"),
                |text| string_literal(&text),
            );
            match literal(constant) {
                Some(text) if types.has(Kind::of_value(constant)) => {
                    code.fail_if(&format!("value !== {text}"), "const", &expected);
                }
                Some(_) => code.fail(&format!("fail(\"const\", {expected})")),
                None => {
                    let name = format!("CONST_{at}");
                    let _ = writeln!(
                        constants,
                        "/** The `const` of `{}`. */\nconst {name}: unknown = {};\n",
                        function_name(at),
                        value_literal(constant)
                    );
                    code.fail_if(&format!("!jsonEqual(value, {name})"), "const", &expected);
                }
            }
        }
        if code.done {
            return;
        }
        if let Some(values) = &check.enumeration {
            let texts: Option<Vec<String>> = values.iter().map(json_text).collect();
            let expected = texts.map_or_else(
                || format!("jsonList(ENUM_{at})"),
                |texts| string_literal(&texts.join(", ")),
            );
            let inline: Option<Vec<String>> = (check.constant.is_none() && values.len() <= 16)
                .then(|| values.iter().map(literal).collect())
                .flatten();
            match inline {
                Some(literals) => {
                    let allowed: Vec<String> = literals
                        .into_iter()
                        .zip(values)
                        .filter(|(_, value)| types.has(Kind::of_value(value)))
                        .map(|(text, _)| format!("value !== {text}"))
                        .collect();
                    if allowed.is_empty() {
                        code.fail(&format!("fail(\"enum\", {expected})"));
                    } else {
                        code.fail_if(&allowed.join(" && "), "enum", &expected);
                    }
                }
                None => {
                    let name = format!("ENUM_{at}");
                    let items: Vec<String> = values.iter().map(value_literal).collect();
                    let _ = writeln!(
                        constants,
                        "/** The `enum` of `{}`. */\nconst {name}: readonly unknown[] = [{}];\n",
                        function_name(at),
                        items.join(", ")
                    );
                    code.fail_if(&format!("!isOneOf(value, {name})"), "enum", &expected);
                }
            }
        }
    }

    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
    fn numbers(&self, check: &Check, unguarded: bool, code: &mut Code) {
        let bounds = [
            ("minimum", &check.minimum, ">="),
            ("maximum", &check.maximum, "<="),
            ("exclusiveMinimum", &check.exclusive_minimum, ">"),
            ("exclusiveMaximum", &check.exclusive_maximum, "<"),
        ];
        let write = |code: &mut Code, subject: &str| {
            for (keyword, bound, operator) in bounds {
                if let Some(bound) = bound {
                    code.fail_if(
                        &format!("!({subject} {operator} {bound})"),
                        keyword,
                        &string_literal(&js_number(bound)),
                    );
                }
            }
            if let Some(of) = &check.multiple_of {
                code.fail_if(
                    &format!("!isMultiple({subject}, {of})"),
                    "multipleOf",
                    &string_literal(&js_number(of)),
                );
            }
        };
        if check.integer_as_string && check.types == [JsonType::Integer] {
            // The type check let only decimal strings through.
            code.line("const number = BigInt(value);");
            write(code, "number");
        } else if check.integer_as_string {
            code.line("const number = typeof value === \"number\" || typeof value === \"bigint\" ? value : typeof value === \"string\" && DECIMAL.test(value) ? BigInt(value) : undefined;");
            code.guarded(true, "number !== undefined", |code| write(code, "number"));
        } else {
            code.guarded(
                !unguarded,
                "typeof value === \"number\" || typeof value === \"bigint\"",
                |code| write(code, "value"),
            );
        }
    }

    /// `minLength`, `maxLength`, `pattern`, `format`, on a string `value`.
    fn strings(&self, check: &Check, code: &mut Code) {
        // A text has between half and all of its UTF-16 units' count in
        // characters: count them only when the units cannot tell.
        if let Some(min) = check.min_length.filter(|min| *min > 0) {
            code.fail_if(
                &format!(
                    "value.length < {} && codePoints(value) < {min}",
                    min.saturating_mul(2)
                ),
                "minLength",
                &string_literal(&js_count(min)),
            );
        }
        if let Some(max) = check.max_length {
            code.fail_if(
                &format!("value.length > {max} && codePoints(value) > {max}"),
                "maxLength",
                &string_literal(&js_count(max)),
            );
        }
        if let Some(pattern) = check.pattern {
            code.fail_if(
                &format!("!PATTERN_{pattern}.test(value)"),
                "pattern",
                &format!("PATTERN_{pattern}.source"),
            );
        }
        if let Some(format) = &check.format
            && let Some(function) = format_function(format)
        {
            code.fail_if(
                &format!("!{function}(value)"),
                "format",
                &string_literal(format),
            );
        }
    }

    /// `minItems`, `maxItems`, `uniqueItems`, `items`, on an array `value`.
    fn arrays(&self, check: &Check, code: &mut Code) {
        if let Some(min) = check.min_items {
            code.fail_if(
                &format!("value.length < {min}"),
                "minItems",
                &string_literal(&js_count(min)),
            );
        }
        if let Some(max) = check.max_items {
            code.fail_if(
                &format!("value.length > {max}"),
                "maxItems",
                &string_literal(&js_count(max)),
            );
        }
        if check.unique_items {
            code.fail_if(
                "hasDuplicates(value)",
                "uniqueItems",
                "\"no two equal items\"",
            );
        }
        if let Some(items) = check.items {
            let call = self.call(items, "value[index]");
            if call != Call::Always {
                code.open("for (let index = 0; index < value.length; index++) {");
                code.item(call);
                code.close();
            }
        }
    }

    fn has_object_keywords(&self, check: &Check) -> bool {
        check.min_properties.is_some()
            || check.max_properties.is_some()
            || !check.required.is_empty()
            || self.members(check).is_some()
    }

    /// `minProperties`, `maxProperties`, `required` and the members, on an object `value`.
    fn objects(&self, check: &Check, code: &mut Code) {
        if check.min_properties.is_some() || check.max_properties.is_some() {
            code.line("const count = Object.keys(value).length;");
            if let Some(min) = check.min_properties {
                code.fail_if(
                    &format!("count < {min}"),
                    "minProperties",
                    &string_literal(&js_count(min)),
                );
            }
            if let Some(max) = check.max_properties {
                code.fail_if(
                    &format!("count > {max}"),
                    "maxProperties",
                    &string_literal(&js_count(max)),
                );
            }
        }
        let members = self.members(check);
        // With a loop over the members, the required ones are counted as it
        // meets them, and looked up only when one is missing or a member
        // fails (a missing one is reported first).
        let mut required: Vec<&String> = Vec::new();
        for name in &check.required {
            if !required.contains(&name) {
                required.push(name);
            }
        }
        let counted = members.is_some()
            && !required.is_empty()
            && required.iter().all(|name| {
                check
                    .properties
                    .iter()
                    .any(|(property, _)| property == *name)
            });
        if !counted {
            for name in &required {
                let name = string_literal(name);
                code.fail_if(&format!("!hasMember(value, {name})"), "required", &name);
            }
        }
        if let Some(members) = members {
            let required: Vec<String> = if counted {
                required.into_iter().cloned().collect()
            } else {
                Vec::new()
            };
            self.member_loop(&members, &required, code);
        }
    }

    /// What each member of an object must satisfy, when anything.
    fn members(&self, check: &Check) -> Option<Members> {
        let additional = check.additional.and_then(|at| {
            if self.table[at].never {
                Some(Additional::Closed)
            } else {
                match self.call(at, "value[key]") {
                    Call::Always => None,
                    call => Some(Additional::Check(call)),
                }
            }
        });
        let members = Members {
            properties: check
                .properties
                .iter()
                .map(|(name, at)| (name.clone(), self.call(*at, "value[key]")))
                .collect(),
            patterns: check
                .pattern_properties
                .iter()
                .map(|(pattern, at)| (*pattern, self.call(*at, "value[key]")))
                .filter(|(_, call)| *call != Call::Always || additional.is_some())
                .collect(),
            names: check
                .property_names
                .map(|at| self.call(at, "key"))
                .filter(|call| *call != Call::Always),
            additional,
        };
        let properties_matter = members.additional.is_some()
            || members
                .properties
                .iter()
                .any(|(_, call)| *call != Call::Always);
        (properties_matter || !members.patterns.is_empty() || members.names.is_some())
            .then_some(members)
    }

    /// The members of an object, in its key order: each key's property
    /// schema, the patterns it matches, else the rest's schema; then the
    /// key itself against `propertyNames`. `required` are the required
    /// properties, counted here.
    fn member_loop(&self, members: &Members, required: &[String], code: &mut Code) {
        let described = members.additional.is_some() && !members.patterns.is_empty();
        let additional = members
            .additional
            .as_ref()
            .map(|additional| match additional {
                Additional::Closed => Call::Closed,
                Additional::Check(call) => call.clone(),
            });
        let names: Vec<String> = required.iter().map(|name| string_literal(name)).collect();
        let names = format!("[{}]", names.join(", "));
        if !required.is_empty() {
            code.line("let seen = 0;");
        }
        // `for…in` with an own-member test visits the keys `Object.keys`
        // lists, in its order, without building the list.
        code.open("for (const key in value) {");
        code.open("if (!hasMember(value, key)) {");
        code.line("continue;");
        code.close();
        code.line("let passes = true;");
        if described {
            code.line("let described = false;");
        }
        // Without patterns, the rest's schema is the switch's default.
        let rest = additional.clone().filter(|_| members.patterns.is_empty());
        let cases: Vec<&(String, Call)> = members
            .properties
            .iter()
            .filter(|(name, call)| {
                *call != Call::Always || rest.is_some() || described || required.contains(name)
            })
            .collect();
        if cases.is_empty() {
            if let Some(call) = rest {
                code.passes(call, "");
            }
        } else {
            code.open("switch (key) {");
            for (name, call) in cases {
                code.line(&format!("case {}:", string_literal(name)));
                code.indent += 1;
                if required.contains(name) {
                    code.line("seen++;");
                }
                if described {
                    code.line("described = true;");
                }
                code.passes(call.clone(), "");
                code.line("break;");
                code.indent -= 1;
            }
            if let Some(call) = rest {
                code.line("default:");
                code.indent += 1;
                code.passes(call, "");
                code.indent -= 1;
            }
            code.close();
        }
        for (pattern, call) in &members.patterns {
            code.open(&format!("if (passes && PATTERN_{pattern}.test(key)) {{"));
            if described {
                code.line("described = true;");
            }
            code.passes(call.clone(), "");
            code.close();
        }
        if let Some(call) = additional.filter(|_| described) {
            code.open("if (passes && !described) {");
            code.passes(call, "");
            code.close();
        }
        if let Some(call) = &members.names {
            code.passes(call.clone(), "passes && ");
        }
        // A member's failure, or the first missing required property's.
        code.open("if (!passes) {");
        if required.is_empty() {
            code.line("return within(key);");
        } else {
            // When every required one was seen already, none is missing.
            code.line(&format!(
                "return (seen === {} || hasRequired(value, {names})) && within(key);",
                required.len()
            ));
        }
        code.close();
        code.close();
        if !required.is_empty() {
            code.open(&format!(
                "if (seen !== {} && !hasRequired(value, {names})) {{",
                required.len()
            ));
            code.line("return false;");
            code.close();
        }
    }

    /// `allOf`, `anyOf`, `oneOf`.
    fn combinators(&self, check: &Check, code: &mut Code) {
        for at in &check.all_of {
            code.propagate(self.call(*at, "value"));
        }
        if !check.any_of.is_empty() && !code.done {
            let calls: Vec<Call> = check
                .any_of
                .iter()
                .map(|at| self.call(*at, "value"))
                .collect();
            let expected = string_literal(&format!("one of {} schemas", check.any_of.len()));
            if !calls.contains(&Call::Always) {
                let failing: Vec<String> = calls
                    .into_iter()
                    .filter_map(|call| match call {
                        Call::Expr(text) => Some(format!("!{text}")),
                        _ => None,
                    })
                    .collect();
                if failing.is_empty() {
                    code.fail(&format!("fail(\"anyOf\", {expected})"));
                } else {
                    code.fail_if(&failing.join(" && "), "anyOf", &expected);
                }
            }
        }
        if !check.one_of.is_empty() && !code.done {
            let terms: Vec<String> = check
                .one_of
                .iter()
                .map(|at| match self.call(*at, "value") {
                    Call::Always => "1".to_string(),
                    Call::Expr(text) => format!("({text} ? 1 : 0)"),
                    _ => "0".to_string(),
                })
                .collect();
            code.line(&format!("const passing = {};", terms.join(" + ")));
            code.fail_if(
                "passing !== 1",
                "oneOf",
                &format!(
                    "`exactly one of {} schemas, not ${{passing}}`",
                    check.one_of.len()
                ),
            );
        }
    }

    /// The patterns the functions use, compiled once.
    fn pattern_items(&self) -> Vec<String> {
        let used: BTreeSet<usize> = self
            .functions
            .keys()
            .flat_map(|at| {
                let check = &self.table[*at];
                check
                    .pattern
                    .into_iter()
                    .chain(check.pattern_properties.iter().map(|(pattern, _)| *pattern))
            })
            .collect();
        used.into_iter()
            .map(|index| {
                format!(
                    "/** A `pattern` or `patternProperties` key of the schemas, as a Unicode pattern (ECMA-262, like JSON Schema's). */\nconst PATTERN_{index} = new RegExp({}, \"u\");",
                    string_literal(&self.patterns[index])
                )
            })
            .collect()
    }
}

/// Where a schema sits, for the comment on its function.
struct Place {
    /// The payload or definition it belongs to.
    root: String,
    /// Its JSON Pointer inside that schema.
    path: String,
}

impl Place {
    fn root(root: String) -> Place {
        Place {
            root,
            path: String::new(),
        }
    }

    fn child(&self, step: &Step<'_>) -> Place {
        let mut path = self.path.clone();
        step.push_to(&mut path);
        Place {
            root: self.root.clone(),
            path,
        }
    }

    fn describe(&self) -> String {
        let mut root = self.root.clone();
        if let Some(first) = root.get(..1) {
            root.replace_range(..1, &first.to_uppercase());
        }
        match self.path.as_str() {
            "" => format!("{root}."),
            path => format!("{root} at `{path}`."),
        }
    }
}

/// What the members of an object must satisfy.
struct Members {
    properties: Vec<(String, Call)>,
    patterns: Vec<(usize, Call)>,
    additional: Option<Additional>,
    names: Option<Call>,
}

/// `additionalProperties`.
enum Additional {
    /// `false`: a key no property or pattern describes is a failure of its own.
    Closed,
    Check(Call),
}

/// TypeScript statements, indented.
#[derive(Default)]
struct Code {
    text: String,
    indent: usize,
    /// Whether the function has returned for every value: nothing may follow.
    done: bool,
}

impl Code {
    fn line(&mut self, line: &str) {
        if self.done {
            return;
        }
        for _ in 0..=self.indent {
            self.text.push_str("  ");
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn open(&mut self, line: &str) {
        self.line(line);
        self.indent += 1;
    }

    fn close(&mut self) {
        self.indent -= 1;
        self.line("}");
    }

    /// `if (condition) { return fail(keyword, expected); }`
    fn fail_if(&mut self, condition: &str, keyword: &str, expected: &str) {
        self.open(&format!("if ({condition}) {{"));
        self.line(&format!("return fail(\"{keyword}\", {expected});"));
        self.close();
    }

    /// An unconditional failure: nothing after it runs.
    fn fail(&mut self, failure: &str) {
        self.line(&format!("return {failure};"));
        if self.indent == 0 {
            self.done = true;
        }
    }

    /// Returns `false` when the value fails another check (its failure stands).
    fn propagate(&mut self, call: Call) {
        match call {
            Call::Always => {}
            Call::Never | Call::Closed => self.fail(NEVER),
            Call::Expr(text) => {
                self.open(&format!("if (!{text}) {{"));
                self.line("return false;");
                self.close();
            }
        }
    }

    /// `passes = <check>;` for a member (`condition` guards it, as in
    /// `passes && `).
    fn passes(&mut self, call: Call, condition: &str) {
        let check = match call {
            Call::Always => return,
            Call::Never => NEVER.to_string(),
            Call::Closed => {
                "fail(\"additionalProperties\", \"no property of this name\")".to_string()
            }
            Call::Expr(text) => text,
        };
        self.line(&format!("passes = {condition}{check};"));
    }

    /// An item checked: on failure, returns `within(index)`.
    fn item(&mut self, call: Call) {
        match call {
            Call::Always => {}
            Call::Never | Call::Closed => self.line(&format!("return {NEVER} || within(index);")),
            Call::Expr(text) => {
                self.open(&format!("if (!{text}) {{"));
                self.line("return within(index);");
                self.close();
            }
        }
    }

    /// `body` inside `if (condition) { … }`, or as is when the value is known to pass.
    fn guarded(&mut self, guard: bool, condition: &str, body: impl FnOnce(&mut Code)) {
        if guard {
            self.open(&format!("if ({condition}) {{"));
            body(self);
            self.close();
        } else {
            body(self);
        }
    }
}

/// The JSON kinds of value the keyword groups tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// The kind of the values a type admits (integers carried as strings are strings).
    fn of(ty: JsonType, integer_as_string: bool) -> Kind {
        match ty {
            JsonType::Null => Kind::Null,
            JsonType::Boolean => Kind::Boolean,
            JsonType::Object => Kind::Object,
            JsonType::Array => Kind::Array,
            JsonType::Number => Kind::Number,
            JsonType::Integer if integer_as_string => Kind::String,
            JsonType::Integer => Kind::Number,
            JsonType::String => Kind::String,
        }
    }

    fn of_value(value: &Value) -> Kind {
        match value {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of kinds: those a value can have once the kind keywords passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kinds(u8);

impl Kinds {
    const ALL: Kinds = Kinds(0b11_1111);

    fn of_types(check: &Check) -> Kinds {
        if check.types.is_empty() {
            return Kinds::ALL;
        }
        Kinds(check.types.iter().fold(0, |bits, ty| {
            bits | Kind::of(*ty, check.integer_as_string).bit()
        }))
    }

    fn of_values<'v>(values: impl IntoIterator<Item = &'v Value>) -> Kinds {
        Kinds(
            values
                .into_iter()
                .fold(0, |bits, value| bits | Kind::of_value(value).bit()),
        )
    }

    /// The kinds a value of `check` can have after `type`, `const` and `enum`.
    fn of(check: &Check) -> Kinds {
        let mut kinds = Kinds::of_types(check);
        if let Some(constant) = &check.constant {
            kinds.0 &= Kinds::of_values([constant]).0;
        }
        if let Some(values) = &check.enumeration {
            kinds.0 &= Kinds::of_values(values).0;
        }
        kinds
    }

    fn has(self, kind: Kind) -> bool {
        self.0 & kind.bit() != 0
    }

    /// Whether the number keywords can apply: to numbers, and to the
    /// decimal strings of integers carried as strings.
    fn number(self, integer_as_string: bool) -> bool {
        self.has(Kind::Number) || (integer_as_string && self.has(Kind::String))
    }
}

fn has_number_keywords(check: &Check) -> bool {
    check.minimum.is_some()
        || check.maximum.is_some()
        || check.exclusive_minimum.is_some()
        || check.exclusive_maximum.is_some()
        || check.multiple_of.is_some()
}

fn has_string_keywords(check: &Check) -> bool {
    check.min_length.is_some_and(|min| min > 0)
        || check.max_length.is_some()
        || check.pattern.is_some()
        || check.format.as_deref().and_then(format_function).is_some()
}

fn has_array_keywords(check: &Check) -> bool {
    check.min_items.is_some()
        || check.max_items.is_some()
        || check.unique_items
        || check.items.is_some()
}

/// Whether a value has the type, as an expression on `value`.
fn type_test(ty: JsonType, integer_as_string: bool) -> &'static str {
    match ty {
        JsonType::Null => "value === null",
        JsonType::Boolean => "typeof value === \"boolean\"",
        JsonType::Object => "isJsonObject(value)",
        JsonType::Array => "Array.isArray(value)",
        JsonType::String => "typeof value === \"string\"",
        JsonType::Number => {
            "(typeof value === \"number\" && Number.isFinite(value)) || typeof value === \"bigint\""
        }
        JsonType::Integer if integer_as_string => {
            "typeof value === \"string\" && DECIMAL.test(value)"
        }
        JsonType::Integer => {
            "(typeof value === \"number\" && Number.isInteger(value)) || typeof value === \"bigint\""
        }
    }
}

/// The negation of [`type_test`], where it reads better than `!(…)`.
fn negated_type_test(ty: JsonType, _integer_as_string: bool) -> Option<&'static str> {
    match ty {
        JsonType::Null => Some("value !== null"),
        JsonType::Boolean => Some("typeof value !== \"boolean\""),
        JsonType::Object => Some("!isJsonObject(value)"),
        JsonType::Array => Some("!Array.isArray(value)"),
        JsonType::String => Some("typeof value !== \"string\""),
        JsonType::Number | JsonType::Integer => None,
    }
}

/// The helper that checks a format, for the formats both validators check.
fn format_function(format: &str) -> Option<&'static str> {
    Some(match format {
        "date" => "isDateText",
        "time" => "isTimeText",
        "date-time" => "isDateTimeText",
        "duration" => "isDurationText",
        "uuid" => "isUuidText",
        "ipv4" => "isIpv4Text",
        "ipv6" => "isIpv6Text",
        "hostname" => "isHostnameText",
        "email" => "isEmailText",
        "uri" => "isUriText",
        "uri-reference" => "isUriReferenceText",
        _ => return None,
    })
}

/// `check12`.
fn function_name(at: usize) -> String {
    format!("check{at}")
}

/// A string, boolean or null as a TypeScript literal (compared with `===`).
fn literal(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some("null".to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::String(text) => Some(string_literal(text)),
        _ => None,
    }
}

/// A string, boolean, null or number as `JSON.stringify` writes it (what
/// `const` and `enum` failures report), or `None` for arrays and objects
/// (written at run time: JavaScript orders some keys its own way).
fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(number) => Some(js_number(number)),
        Value::Array(_) | Value::Object(_) => None,
        // serde_json escapes strings as JSON.stringify does (lowercase
        // `\u00xx` for control characters, nothing else escaped).
        other => Some(other.to_string()),
    }
}

/// The subschemas of a check, each with its place under the check's own.
fn children(check: &Check) -> Vec<(usize, Step<'_>)> {
    let mut out: Vec<(usize, Step<'_>)> = Vec::new();
    out.extend(check.reference.map(|at| (at, Step::Reference)));
    out.extend(check.items.map(|at| (at, Step::Items)));
    for (name, at) in &check.properties {
        out.push((*at, Step::Property(name)));
    }
    for (index, (_, at)) in check.pattern_properties.iter().enumerate() {
        out.push((*at, Step::Listed("patternProperties", index)));
    }
    out.extend(check.additional.map(|at| (at, Step::Additional)));
    out.extend(check.property_names.map(|at| (at, Step::PropertyNames)));
    for (keyword, list) in [
        ("allOf", &check.all_of),
        ("anyOf", &check.any_of),
        ("oneOf", &check.one_of),
    ] {
        for (index, at) in list.iter().enumerate() {
            out.push((*at, Step::Listed(keyword, index)));
        }
    }
    out
}

/// The step from a check to one of its subschemas, written out as a JSON
/// Pointer segment only for the places a function describes.
enum Step<'c> {
    /// A `$ref`: the same place.
    Reference,
    Items,
    Property(&'c str),
    /// The `index`th subschema of a list keyword (`allOf`, ...).
    Listed(&'static str, usize),
    Additional,
    PropertyNames,
}

impl Step<'_> {
    /// Appends the step's segment to the JSON Pointer `path`.
    fn push_to(&self, path: &mut String) {
        use std::fmt::Write;
        match self {
            Step::Reference => {}
            Step::Items => path.push_str("/items"),
            Step::Property(name) => {
                path.push_str("/properties/");
                for c in name.chars() {
                    match c {
                        '~' => path.push_str("~0"),
                        '/' => path.push_str("~1"),
                        c => path.push(c),
                    }
                }
            }
            Step::Listed(keyword, index) => {
                let _ = write!(path, "/{keyword}/{index}");
            }
            Step::Additional => path.push_str("/additionalProperties"),
            Step::PropertyNames => path.push_str("/propertyNames"),
        }
    }
}

/// Each check's function: a bare `$ref` is its target's, and identical
/// checks (with identical subschemas) share the first one's.
fn classes(table: &[Check]) -> Vec<usize> {
    // Bare references, followed to a check that is more than one.
    let target = |mut at: usize| {
        for _ in 0..table.len() {
            match table[at].reference {
                Some(next) if table[at].is_bare_reference() => at = next,
                _ => break,
            }
        }
        at
    };
    let targets: Vec<usize> = (0..table.len()).map(target).collect();
    // What tells two checks apart besides their subschemas' classes: the
    // check with every subschema index zeroed, numbered once.
    let mut shapes: FastMap<Check, usize> = FastMap::default();
    let shape: Vec<usize> = table
        .iter()
        .map(|check| {
            let count = shapes.len();
            *shapes.entry(check.map_indices(|_| 0)).or_insert(count)
        })
        .collect();
    let subschemas: Vec<Vec<usize>> = table
        .iter()
        .map(|check| children(check).into_iter().map(|(at, _)| at).collect())
        .collect();
    let mut class: Vec<usize> = targets.clone();
    loop {
        let mut first: FastMap<(usize, Vec<usize>), usize> = FastMap::default();
        let mut next = class.clone();
        for at in 0..table.len() {
            if targets[at] != at {
                continue;
            }
            let classes = subschemas[at].iter().map(|child| class[*child]).collect();
            next[at] = *first.entry((shape[at], classes)).or_insert(at);
        }
        for at in 0..table.len() {
            next[at] = next[targets[at]];
        }
        if next == class {
            return class;
        }
        class = next;
    }
}

/// A number as JavaScript's `String(number)` writes it (ECMA-262
/// Number::toString): what the checks report a bound as.
fn js_number(number: &Number) -> String {
    match number.as_f64() {
        Some(value) => js_float(value),
        None => number.to_string(),
    }
}

fn js_count(count: u64) -> String {
    js_float(count as f64)
}

fn js_float(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    if value < 0.0 {
        return format!("-{}", js_float(-value));
    }
    if !value.is_finite() {
        return "Infinity".to_string();
    }
    // The shortest digits that read back as the value, and the exponent:
    // value = 0.digits × 10^n.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let rest = if k == 1 {
            String::new()
        } else {
            format!(".{}", &digits[1..])
        };
        format!("{}{rest}e{sign}{}", &digits[..1], (n - 1).abs())
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

/// The hand-written helpers (`codegen/support/checks.ts`) and formats
/// (`formats.ts`), one top-level declaration each.
const HELPERS: &str = include_str!("../../../support/checks.ts");
const FORMATS: &str = include_str!("../../../support/formats.ts");

/// A top-level declaration of the support files: its name and its text.
struct Helper {
    name: String,
    text: String,
}

/// The support files split at their top-level declarations, each with
/// its doc comment. Declarations start at the line's beginning with
/// `function`, `const` or `let`; their bodies are indented and end with a line
/// at the beginning (`}`); comments start with `/*` or `//`.
fn helpers() -> Vec<Helper> {
    let mut out: Vec<Helper> = Vec::new();
    for source in [HELPERS, FORMATS] {
        let mut comment = String::new();
        for line in source.lines() {
            let declaration = ["function ", "const ", "let "]
                .iter()
                .find_map(|start| line.strip_prefix(start));
            if let Some(rest) = declaration {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.push(Helper {
                    name,
                    text: format!("{}{line}\n", std::mem::take(&mut comment)),
                });
            } else if line.starts_with("/*")
                || line.starts_with("//")
                || (!comment.is_empty() && line.starts_with(" *"))
            {
                comment.push_str(line);
                comment.push('\n');
            } else if !line.is_empty()
                && let Some(last) = out.last_mut()
            {
                last.text.push_str(line);
                last.text.push('\n');
            }
        }
    }
    out
}

/// The names among `names` that `code` uses as identifiers: comments and
/// string literals left out. The generated functions are megabytes at a
/// thousand events, so each name is searched for as text, and only a line
/// it occurs on is read word by word.
fn identifiers_among<'a>(code: &[&str], names: &[&'a str]) -> BTreeSet<&'a str> {
    names
        .iter()
        .copied()
        .filter(|name| {
            let finder = memchr::memmem::Finder::new(name);
            code.iter().any(|text| uses_identifier(text, name, &finder))
        })
        .collect()
}

/// Whether `name` (which `finder` looks for) is a word of a line of `code`
/// outside comments and string literals.
fn uses_identifier(code: &str, name: &str, finder: &memchr::memmem::Finder<'_>) -> bool {
    let mut from = 0;
    while let Some(found) = finder.find(&code.as_bytes()[from..]) {
        let at = from + found;
        let start = code[..at].rfind('\n').map_or(0, |newline| newline + 1);
        let end = code[at..]
            .find('\n')
            .map_or(code.len(), |newline| at + newline);
        if line_has_word(&code[start..end], name) {
            return true;
        }
        from = end;
    }
    false
}

/// Whether `word` is a word of `line`, outside a comment and a string
/// literal.
fn line_has_word(line: &str, word: &str) -> bool {
    let line = line.trim_start();
    if line.starts_with("//") || line.starts_with("/*") || line.starts_with('*') {
        return false;
    }
    // Bytes, not chars: every byte this looks at is ASCII, and the bytes
    // of a multi-byte character are never ASCII.
    let mut start: Option<usize> = None;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (index, byte) in line.bytes().chain([b'\n']).enumerate() {
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == open {
                quote = None;
            }
            continue;
        }
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            start.get_or_insert(index);
            continue;
        }
        if start.take().is_some_and(|from| &line[from..index] == word) {
            return true;
        }
        if matches!(byte, b'"' | b'\'' | b'`') {
            quote = Some(byte);
        }
    }
    false
}

/// The helpers `code` needs, with the helpers they need, in the support files' order.
fn needed_helpers(code: &[&str]) -> Vec<String> {
    let helpers = helpers();
    let names: Vec<&str> = helpers.iter().map(|helper| helper.name.as_str()).collect();
    let mut needed: BTreeSet<&str> = BTreeSet::new();
    let mut pending: Vec<&str> = identifiers_among(code, &names).into_iter().collect();
    while let Some(word) = pending.pop() {
        if let Some(helper) = helpers.iter().find(|helper| helper.name == word)
            && needed.insert(helper.name.as_str())
        {
            pending.extend(
                identifiers_among(&[&helper.text], &names)
                    .into_iter()
                    .filter(|name| *name != helper.name),
            );
        }
    }
    helpers
        .iter()
        .filter(|helper| needed.contains(helper.name.as_str()))
        .map(|helper| helper.text.trim_end().to_string())
        .collect()
}

/// The support code and the checks, once per module: the error type, the
/// helpers the checks use, the patterns, and a function per check.
pub fn support_items(catalog: &Catalog, plan: &Plan<'_>) -> Vec<String> {
    let functions = plan.items();
    let patterns = plan.pattern_items();
    // Everything that calls the helpers: the functions, and the message
    // checks and dispatchers written with them.
    let message_checks: Vec<String> = super::families(catalog)
        .iter()
        .map(|family| message_check(catalog, family, plan))
        .collect();
    let mut users: Vec<&str> = functions.iter().map(String::as_str).collect();
    users.extend(message_checks.iter().map(String::as_str));
    users.push("isJsonObject");
    let mut items = vec![
        validation_error(catalog),
        format!(
            "/** What the checks return. */\ntype Failure = {}ValidationError;",
            catalog.channel_ident
        ),
    ];
    items.extend(needed_helpers(&users));
    items.extend(patterns);
    items.extend(functions);
    items
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

/// `BOARD_EVENT_CHECKS`: each type's payload check.
pub fn payload_checks(family: &Family, plan: &Plan<'_>) -> String {
    let rows: String = family
        .members
        .iter()
        .map(|event| {
            format!(
                "  [{}, {}],\n",
                string_literal(&event.name),
                plan.payload_function(&event.name)
            )
        })
        .collect();
    formatdoc! {"
        /** The check of each {noun}'s payload, by type: one lookup tells a known type and finds its check. */
        const {constant}_CHECKS: ReadonlyMap<string, (value: unknown) => boolean> = new Map<string, (value: unknown) => boolean>([
        {rows}]);
        ",
        noun = family.noun,
        constant = family.constant,
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
pub fn message_check(catalog: &Catalog, family: &Family, plan: &Plan<'_>) -> String {
    let envelope = &catalog.envelope;
    let version = envelope.version_field.as_ref().map(|field| {
        format!(
            "  if (!Number.isInteger(message[{key}])) {{\n    return {{ pointer: {pointer}, keyword: \"type\", expected: \"integer\" }};\n  }}\n",
            key = string_literal(field),
            pointer = string_literal(&format!("/{}", pointer_segment(field))),
        )
    });
    let fields = plan.envelope_fields.map(|at| {
        format!(
            "  const fields = Object.fromEntries(Object.entries(message).filter(([key]) => {names}.includes(key)));\n  \
             if (!{check}(fields)) {{\n    return failure(\"\");\n  }}\n",
            names = array_literal(&field_names(catalog)),
            check = function_name(plan.class[at]),
        )
    });
    let payload = match &envelope.payload_field {
        Some(field) => format!(
            "return check(message[{key}]{empty}) ? undefined : failure({pointer});",
            key = string_literal(field),
            pointer = string_literal(&format!("/{}", pointer_segment(field))),
            empty = if envelope.omit_empty_payload {
                " ?? {}"
            } else {
                ""
            },
        ),
        None => format!(
            "const payload = Object.fromEntries(Object.entries(message).filter(([key]) => !{keys}.includes(key)));\n  \
             return check(payload) ? undefined : failure(\"\");",
            keys = array_literal(&envelope_keys(catalog)),
        ),
    };
    formatdoc! {"
        /** The first failure of a{article} {noun} message: its envelope, then its payload. */
        function check{ident}{stem}(message: unknown): Failure | undefined {{
          if (!isJsonObject(message)) {{
            return {{ pointer: \"\", keyword: \"type\", expected: \"object\" }};
          }}
          const type = message[{type_key}];
          const check = typeof type === \"string\" ? {constant}_CHECKS.get(type) : undefined;
          if (check === undefined) {{
            return {{ pointer: {type_pointer}, keyword: \"enum\", expected: \"a{article} {noun} type of the `{channel}` channel\" }};
          }}
        {version}{fields}  {payload}
        }}
        ",
        article = crate::render::article(family.noun),
        noun = family.noun,
        ident = catalog.channel_ident,
        stem = family.verb_stem,
        constant = family.constant,
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
pub fn guards<'a>(catalog: &'a Catalog, plan: &'a Plan<'a>) -> impl Iterator<Item = String> + 'a {
    catalog.events.iter().map(move |event| {
        let payload = &catalog.ty(event.payload).name;
        formatdoc! {"
            /** Whether a value is a valid `{payload}`, every schema keyword checked. */
            export function is{payload}(value: unknown): value is {payload} {{
              return {check}(value);
            }}
            ",
            check = plan.payload_function(&event.name),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_as_javascript_writes_them() {
        let cases = [
            (0.0, "0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (-1.5, "-1.5"),
            (100.0, "100"),
            (0.1, "0.1"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (1.23e-18, "1.23e-18"),
            (1e21, "1e+21"),
            (1.5e300, "1.5e+300"),
            (123456789012345680000.0, "123456789012345680000"),
            (9007199254740991.0, "9007199254740991"),
            (18446744073709551615.0, "18446744073709552000"),
        ];
        for (value, text) in cases {
            assert_eq!(js_float(value), text, "{value}");
        }
    }

    #[test]
    fn identical_checks_share_a_function_and_bare_references_are_their_targets() {
        let integer = Check {
            types: vec![JsonType::Integer],
            ..Check::default()
        };
        let table = vec![
            integer.clone(),
            integer.clone(),
            Check {
                reference: Some(1),
                ..Check::default()
            },
            Check {
                items: Some(2),
                ..Check::default()
            },
            Check {
                items: Some(0),
                ..Check::default()
            },
        ];
        assert_eq!(classes(&table), vec![0, 0, 0, 3, 3]);
    }

    #[test]
    fn helpers_are_split_at_declarations_and_pulled_in_with_what_they_use() {
        let helpers = helpers();
        let names: Vec<&str> = helpers.iter().map(|helper| helper.name.as_str()).collect();
        for name in [
            "DECIMAL",
            "fail",
            "within",
            "isJsonObject",
            "jsonEqual",
            "isUriText",
            "IPV4",
        ] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        for helper in &helpers {
            let last = helper.text.trim_end().lines().last().unwrap_or("");
            assert!(last == "}" || last.ends_with(';'), "{}", helper.text);
        }
        let needed = needed_helpers(&["if (!isEmailText(value)) {}"]);
        let needed: Vec<&str> = needed
            .iter()
            .map(|text| {
                let helper = helpers.iter().find(|helper| helper.text.trim_end() == text);
                helper.unwrap().name.as_str()
            })
            .collect();
        assert_eq!(
            needed,
            [
                "IPV4",
                "HEX_GROUP",
                "HOSTNAME",
                "LOCAL_PART",
                "isIpv6Text",
                "isHostnameText",
                "isEmailText"
            ]
        );
        // Names inside strings and comments are not uses.
        assert!(needed_helpers(&["// fail\nconst x = \"DATE\";"]).is_empty());
    }

    /// A name is looked for as text, and a line it occurs on is read word
    /// by word: a use after occurrences in strings, comments and longer
    /// words is found, in any of the pieces of code.
    #[test]
    fn identifiers_are_found_after_occurrences_that_are_not_uses() {
        let names = ["isDateText", "isUriText"];
        let code = [
            "// isDateText in a comment\nconst a = \"isDateText\"; const b = isDateTextual;",
            "/* isUriText */\nconst c = 'isUriText' + `isUriText`;",
        ];
        assert!(identifiers_among(&code, &names).is_empty());
        let used = "if (x) {\n  return \"isDateText\" + isDateText(value);\n}";
        let found = identifiers_among(&[code[0], code[1], used], &names);
        assert_eq!(found.into_iter().collect::<Vec<_>>(), ["isDateText"]);
        let last_line = identifiers_among(&["x\ny = isUriText"], &names);
        assert_eq!(last_line.into_iter().collect::<Vec<_>>(), ["isUriText"]);
    }
}
