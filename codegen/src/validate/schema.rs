//! Payload JSON Schemas → the type model.
//!
//! Only a deliberate subset of JSON Schema maps to types: objects, strings
//! (with formats), safe integers, numbers, booleans, string enums, arrays,
//! maps, nullable types, `$ref` to shared definitions and `oneOf` of objects
//! with a constant discriminator. Anything else is an error naming the keyword
//! and its place, never a silent `any`.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostic::Diagnostic;
use crate::model::{
    EnumVariant, Field, IntegerRepr, NamedType, StringEnum, Struct, Ty, TypeId, TypeKind, Union,
    UnionVariant,
};
use crate::names::upper_camel_case;
use crate::names::{field_ident, is_snake_case, variant_ident};
use crate::node::{Key, Node, Position, Value};
use crate::schema_subset::{
    DEFS_PREFIX, KNOWN_FORMATS, MAX_SAFE_INTEGER, TYPE_NAMES, did_you_mean_keyword, is_extension,
    is_known_keyword, keyword_names,
};
use crate::source::{FileId, Sources, Span};

mod all_of;
mod literals;
mod untagged;

/// A shared definition waiting to be converted.
struct Definition<'a> {
    file: FileId,
    node: &'a Node,
    id: Option<TypeId>,
    converting: bool,
    /// Conversion failed and was reported; uses stay silent.
    failed: bool,
}

/// Builds named types from schemas, collecting every problem it finds.
pub struct TypeBuilder<'a> {
    sources: &'a Sources,
    definitions: HashMap<String, Definition<'a>>,
    types: Vec<NamedType>,
    /// Names in use, with where they were defined (`None`: by the generator itself).
    taken: HashMap<String, Option<(FileId, Span)>>,
    /// Everything wrong so far.
    pub diagnostics: Vec<Diagnostic>,
    /// The catalog's `large_integers` choice, if it makes one.
    pub large_integers: Option<IntegerRepr>,
}

impl<'a> TypeBuilder<'a> {
    /// A builder that resolves `$ref`s against `definitions` (a mapping node
    /// in `file`) and refuses the `reserved` type names.
    pub fn new(
        sources: &'a Sources,
        definitions: Option<(FileId, &'a Node)>,
        reserved: Vec<String>,
    ) -> TypeBuilder<'a> {
        let mut builder = TypeBuilder {
            sources,
            definitions: HashMap::new(),
            types: Vec::new(),
            taken: reserved.into_iter().map(|name| (name, None)).collect(),
            diagnostics: Vec::new(),
            large_integers: None,
        };
        if let Some((file, node)) = definitions {
            match node.as_map() {
                Some(entries) => {
                    for (key, schema) in entries {
                        builder.definitions.insert(
                            key.name.clone(),
                            Definition {
                                file,
                                node: schema,
                                id: None,
                                converting: false,
                                failed: false,
                            },
                        );
                    }
                }
                None => builder.error(
                    file,
                    node.location,
                    Diagnostic::error(
                        "wrong-type",
                        format!("`definitions` must be a mapping, found {}", node.kind()),
                    ),
                    "expected `Name: <schema>` entries",
                ),
            }
        }
        builder
    }

    /// Converts every shared definition, in source order, so unused ones are
    /// checked and generated too.
    pub fn convert_definitions(&mut self, order: &[String]) {
        for name in order {
            self.definition(name, None);
        }
    }

    /// Converts an event payload; it must be an object (or a `$ref` to one).
    pub fn payload(&mut self, file: FileId, node: &Node, type_name: &str) -> Option<TypeId> {
        let before = self.diagnostics.len();
        let ty = self.convert(file, node, type_name)?;
        let id = match ty {
            Ty::Named(id) if self.is_struct(id) => Some(id),
            // A free-form object payload is a struct of no fields that keeps
            // every key: the messages still have a payload type of their own.
            Ty::Map(values) if *values == Ty::Json => {
                match self.add_struct(file, node, type_name, Vec::new(), false)? {
                    Ty::Named(id) => Some(id),
                    _ => None,
                }
            }
            _ => None,
        };
        if id.is_none() && self.diagnostics.len() == before {
            self.error(
                file,
                node.location,
                Diagnostic::error("payload-not-object", "an event payload must be an object")
                    .help("give the payload `type: object` with `properties`, or `$ref` an object definition"),
                "this schema is not an object",
            );
        }
        id
    }

    /// The named types built so far.
    pub fn finish(self) -> (Vec<NamedType>, Vec<Diagnostic>) {
        (self.types, self.diagnostics)
    }

    /// The name of the type `node` creates: its `title`, or `fallback`
    /// (the path-derived name) when another schema has the title already,
    /// as real catalogs reuse titles (`Receipt`) in unrelated places.
    fn name_for(&self, node: &Node, fallback: &str) -> String {
        let title = title_or(node, fallback);
        if title != fallback
            && self.taken.contains_key(&title)
            && !self.taken.contains_key(fallback)
        {
            fallback.to_string()
        } else {
            title
        }
    }

    fn is_struct(&self, id: TypeId) -> bool {
        match &self.types[id.0].kind {
            TypeKind::Struct(_) => true,
            TypeKind::Alias(Ty::Named(inner)) => self.is_struct(*inner),
            _ => false,
        }
    }

    fn span(&self, file: FileId, location: impl Into<Position>) -> Span {
        Span::from_location(location, &self.sources.get(file).text)
    }

    fn error(
        &mut self,
        file: FileId,
        location: impl Into<Position>,
        diagnostic: Diagnostic,
        label: &str,
    ) {
        let span = self.span(file, location);
        self.diagnostics.push(diagnostic.at(file, span, label));
    }

    /// Registers a named type, refusing a name that is already taken.
    fn add_type(
        &mut self,
        file: FileId,
        location: impl Into<Position>,
        ty: NamedType,
    ) -> Option<TypeId> {
        let span = self.span(file, location);
        let is_identifier = ty.name.starts_with(|c: char| c.is_ascii_alphabetic())
            && ty
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !is_identifier {
            self.diagnostics.push(
                Diagnostic::error("invalid-type-name", format!("`{}` cannot name a type", ty.name))
                    .at(file, span, "this schema's type name")
                    .help("definition names and `title`s start with a letter and use letters and digits, e.g. `TaskRef`"),
            );
            return None;
        }
        if let Some(first) = self.taken.get(&ty.name) {
            let where_first = match first {
                None => "the generated code uses this name itself".to_string(),
                Some((first_file, first_span)) => format!(
                    "first defined at {}:{}:{}",
                    self.sources.get(*first_file).display_path,
                    first_span.line,
                    first_span.column
                ),
            };
            let diagnostic = Diagnostic::error(
                "type-name-collision",
                format!("two types would both be named `{}`", ty.name),
            )
            .note(where_first)
            .help(
                "rename the property, event or definition, or give the schema a distinct `title`",
            );
            self.diagnostics
                .push(diagnostic.at(file, span, "this type's name is taken"));
            return None;
        }
        self.taken.insert(ty.name.clone(), Some((file, span)));
        self.types.push(ty);
        Some(TypeId(self.types.len() - 1))
    }

    /// Converts (once) and returns the shared definition `name`.
    fn definition(&mut self, name: &str, used_at: Option<(FileId, &Key)>) -> Option<Ty> {
        let Some(definition) = self.definitions.get_mut(name) else {
            if let Some((file, key)) = used_at {
                let mut known: Vec<&String> = self.definitions.keys().collect();
                known.sort();
                let help = match known.iter().max_by(|a, b| {
                    strsim::jaro_winkler(name, a).total_cmp(&strsim::jaro_winkler(name, b))
                }) {
                    Some(best) if strsim::jaro_winkler(name, best) > 0.8 => {
                        format!("did you mean `{DEFS_PREFIX}{best}`?")
                    }
                    _ => "add it under `definitions:` in the catalog settings".to_string(),
                };
                self.error(
                    file,
                    key.location,
                    Diagnostic::error(
                        "dangling-ref",
                        format!("`$ref` points to `{DEFS_PREFIX}{name}`, which is not defined"),
                    )
                    .help(help),
                    "no such definition",
                );
            }
            return None;
        };
        if let Some(id) = definition.id {
            return Some(Ty::Named(id));
        }
        if definition.failed {
            return None;
        }
        if definition.converting {
            if let Some((file, key)) = used_at {
                self.error(
                    file,
                    key.location,
                    Diagnostic::error("ref-cycle", format!("`{DEFS_PREFIX}{name}` refers back to itself"))
                        .help("recursive payloads are not supported: break the cycle with an id reference"),
                    "this `$ref` closes a cycle",
                );
            }
            return None;
        }
        definition.converting = true;
        let (file, node) = (definition.file, definition.node);
        let type_name = upper_camel_case(name);
        let Some(ty) = self.convert(file, node, &type_name) else {
            // Reported once here; a `$ref` to it is not a cycle.
            if let Some(definition) = self.definitions.get_mut(name) {
                definition.converting = false;
                definition.failed = true;
            }
            return None;
        };
        let id = match ty {
            Ty::Named(id) if self.types[id.0].name == type_name => id,
            // A primitive (or a reference to another definition) gets an alias.
            other => {
                let description = string_at(node, "description");
                self.add_type(
                    file,
                    node.location,
                    NamedType {
                        name: type_name,
                        description,
                        kind: TypeKind::Alias(other),
                    },
                )?
            }
        };
        if let Some(definition) = self.definitions.get_mut(name) {
            definition.id = Some(id);
            definition.converting = false;
        }
        Some(Ty::Named(id))
    }

    /// Converts one schema node; `type_name` names any type it has to create.
    fn convert(&mut self, file: FileId, node: &Node, type_name: &str) -> Option<Ty> {
        let Some(entries) = node.as_map() else {
            self.error(
                file,
                node.location,
                Diagnostic::error(
                    "invalid-schema",
                    format!("a schema must be a mapping, found {}", node.kind()),
                )
                .help("write the schema as `type: ...` with its keywords"),
                "expected a schema here",
            );
            return None;
        };
        // Unknown keywords fail the schema, but what it also holds is still
        // converted: one run reports every problem, not one layer at a time.
        let known = self.known_keywords(file, entries);
        let ty = self.shape(file, node, type_name);
        if known { ty } else { None }
    }

    /// The type a schema of known keywords describes.
    fn shape(&mut self, file: FileId, node: &Node, type_name: &str) -> Option<Ty> {
        if let Some(members) = node.get("allOf") {
            return self.all_of(file, node, members, type_name);
        }
        if let Some(reference) = node.get("$ref") {
            return self.reference(file, node, reference);
        }
        if matches!(
            node.get("x-free-form").map(|n| &n.value),
            Some(Value::Bool(true))
        ) {
            return Some(Ty::Json);
        }
        if let Some(inner) = nullable_member(node) {
            return self.nullable(file, node, inner, type_name);
        }
        if let Some(value) = node.get("const") {
            return self.constant(file, node, value, type_name);
        }
        if let Some(values) = node.get("enum").filter(|values| !strings_or_null(values)) {
            return self.literals(file, node, values, type_name);
        }
        let union = node.get("oneOf").or_else(|| node.get("anyOf"));
        if let Some(members) = union.filter(|members| !untagged::constraints_only(members)) {
            return match (node.get("oneOf"), members.as_seq()) {
                (Some(_), Some(list)) if discriminator(list).is_some() => {
                    self.union(file, node, members, type_name)
                }
                _ => self.untagged(file, node, members, type_name),
            };
        }
        if let Some((names, nullable)) = several_types(node) {
            return self.type_union(file, node, &names, nullable, type_name);
        }
        let (base, nullable) = self.type_keyword(file, node)?;
        let ty = self.of_type(file, node, type_name, &base, nullable)?;
        Some(if nullable {
            Ty::Nullable(Box::new(ty))
        } else {
            ty
        })
    }

    /// Reports every key that is no supported keyword (suggesting the
    /// nearest one for a misspelling); false when there is one.
    fn known_keywords(&mut self, file: FileId, entries: &[(Key, Node)]) -> bool {
        let mut ok = true;
        for (key, _) in entries {
            if !is_known_keyword(&key.name) {
                let diagnostic = Diagnostic::error(
                    "unsupported-keyword",
                    format!("`{}` is not supported in payload schemas", key.name),
                );
                let (diagnostic, label) = match did_you_mean_keyword(&key.name) {
                    Some(known) => (
                        diagnostic.help(format!("did you mean `{known}`?")),
                        "unknown keyword",
                    ),
                    None => (
                        diagnostic
                            .note(format!("supported keywords: {}", keyword_names()))
                            .help("express the payload with the supported keywords, or opt into free-form JSON with `x-free-form: true`"),
                        "unsupported keyword",
                    ),
                };
                self.error(file, key.location, diagnostic, label);
                ok = false;
            }
        }
        ok
    }

    /// The type a `type:` keyword names, with what it needs (`items`, a format, bounds).
    fn of_type(
        &mut self,
        file: FileId,
        node: &Node,
        type_name: &str,
        base: &str,
        nullable: bool,
    ) -> Option<Ty> {
        let ty = match base {
            "object" => self.object(file, node, type_name)?,
            "array" => {
                let Some(items) = node.get("items") else {
                    self.error(
                        file,
                        node.location,
                        Diagnostic::error("missing-items", "an array schema needs `items`")
                            .help("add `items:` with the element schema"),
                        "array without `items`",
                    );
                    return None;
                };
                Ty::Array(Box::new(self.convert(
                    file,
                    items,
                    &format!("{type_name}Item"),
                )?))
            }
            "string" if node.get("enum").is_some() => {
                self.string_enum(file, node, type_name, nullable)?
            }
            "string" => Ty::String(self.format(file, node)?),
            "integer" => self.integer(file, node)?,
            "number" => Ty::Number,
            "boolean" => Ty::Boolean,
            "null" => Ty::Null,
            "any" => Ty::Json,
            other => {
                let key = node.key("type").map_or(node.location, |key| key.location);
                self.error(
                    file,
                    key,
                    Diagnostic::error("unsupported-type", format!("`type: {other}` is not supported here"))
                        .help("use object, array, string, integer, number or boolean (optionally with \"null\")"),
                    "unsupported type",
                );
                return None;
            }
        };
        Some(ty)
    }

    /// The schemas of `keyword` (`allOf`, `oneOf`, `anyOf`), which must be a list.
    fn schema_list<'n>(
        &mut self,
        file: FileId,
        value: &'n Node,
        keyword: &str,
    ) -> Option<&'n [Node]> {
        let list = value.as_seq();
        if list.is_none() {
            self.error(
                file,
                value.location,
                Diagnostic::error(
                    "invalid-schema",
                    format!("`{keyword}` must be a list of schemas"),
                ),
                "expected a list",
            );
        }
        list
    }

    /// Reports the first key of `node` outside `allowed`; false when there is one.
    fn only_keywords(
        &mut self,
        file: FileId,
        node: &Node,
        allowed: &[&str],
        place: &str,
        help: &str,
    ) -> bool {
        let Some((extra, _)) = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .find(|(key, _)| !allowed.contains(&key.name.as_str()) && !is_extension(&key.name))
        else {
            return true;
        };
        self.error(
            file,
            extra.location,
            Diagnostic::error(
                "unsupported-keyword",
                format!("`{}` {place} is not supported", extra.name),
            )
            .help(help),
            &format!("keyword {place}"),
        );
        false
    }

    /// `anyOf`/`oneOf` of a schema and `{type: "null"}`: the schema, nullable.
    /// This is how a shared definition (`$ref`) becomes nullable.
    fn nullable(&mut self, file: FileId, node: &Node, inner: &Node, type_name: &str) -> Option<Ty> {
        if !self.only_keywords(
            file,
            node,
            &[
                "anyOf",
                "oneOf",
                "description",
                "title",
                "deprecated",
                "$comment",
            ],
            "beside a nullable `anyOf`",
            "put constraints in the non-null member",
        ) {
            return None;
        }
        match self.convert(file, inner, type_name)? {
            already @ Ty::Nullable(_) => Some(already),
            ty => Some(Ty::Nullable(Box::new(ty))),
        }
    }

    /// `$ref: "#/$defs/Name"`.
    fn reference(&mut self, file: FileId, node: &Node, reference: &Node) -> Option<Ty> {
        let key = node.key("$ref")?;
        if !self.only_keywords(
            file,
            node,
            &[
                "$ref",
                "type",
                "description",
                "title",
                "deprecated",
                "$comment",
                "examples",
                "example",
                "default",
                "readOnly",
                "writeOnly",
            ],
            "beside `$ref`",
            "put the constraint in the referenced definition, or define a new one",
        ) {
            return None;
        }
        let target = reference
            .as_str()
            .and_then(|text| text.strip_prefix(DEFS_PREFIX));
        match target {
            Some(name) if !name.is_empty() && !name.contains('/') => {
                self.definition(name, Some((file, key)))
            }
            _ => {
                self.error(
                    file,
                    reference.location,
                    Diagnostic::error("unsupported-ref", "`$ref` must point to a shared definition")
                        .help(format!("write `$ref: \"{DEFS_PREFIX}<Name>\"` and define <Name> under `definitions:` in the catalog settings")),
                    "not a `#/$defs/<Name>` reference",
                );
                None
            }
        }
    }

    /// Reads `type`: one type name, or a pair with `"null"`, or `"null"`
    /// alone. Without `type`, the keywords present say what the value is
    /// (`properties` an object, `items` an array, ...), and a schema with
    /// none of them (`{}`) accepts any JSON: the base `any`.
    fn type_keyword(&mut self, file: FileId, node: &Node) -> Option<(String, bool)> {
        let Some(ty) = node.get("type") else {
            return Some((implied_type(node).to_string(), false));
        };
        let names: Vec<&str> = match &ty.value {
            Value::String(name) => vec![name],
            Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
            _ => vec![],
        };
        if names == ["null"] {
            return Some(("null".to_string(), false));
        }
        let non_null: Vec<&str> = names
            .iter()
            .copied()
            .filter(|name| *name != "null")
            .collect();
        let has_null = names.len() > non_null.len();
        let shape_ok = match &ty.value {
            Value::String(_) => true,
            Value::Seq(items) => {
                items.len() == names.len() && non_null.len() == 1 && names.len() <= 2
            }
            _ => false,
        };
        if !shape_ok || non_null.len() != 1 {
            self.error(
                file,
                ty.location,
                Diagnostic::error(
                    "unsupported-type",
                    "`type` must name JSON types, or list them",
                )
                .help(format!(
                    "use {} (e.g. `type: string` or `type: [string, \"null\"]`)",
                    TYPE_NAMES.join(", ")
                )),
                "unsupported `type`",
            );
            return None;
        }
        Some((non_null[0].to_string(), has_null))
    }

    /// A string's `format`. Any name is accepted (real catalogs define
    /// their own, such as Matrix's `mx-user-id`) and shown in the docs; the
    /// known ones are checked on the examples, and a name one slip away from
    /// a known one is a warning, since that check is then silently skipped.
    fn format(&mut self, file: FileId, node: &Node) -> Option<Option<String>> {
        let Some(format) = node.get("format") else {
            return Some(None);
        };
        let Some(name) = format.as_str() else {
            self.error(
                file,
                format.location,
                Diagnostic::error("invalid-schema", "`format` must be a string").help(format!(
                    "name a format, such as one of: {}",
                    KNOWN_FORMATS.join(", ")
                )),
                "expected a format name",
            );
            return None;
        };
        if let Some(known) = misspelt_format(name) {
            self.error(
                file,
                format.location,
                Diagnostic::error(
                    "unknown-format",
                    format!("`{name}` is not a format eventcat checks; examples are not checked against it"),
                )
                .help(format!("did you mean `{known}`?")),
                "unknown format",
            );
        }
        Some(Some(name.to_string()))
    }

    /// An integer: `u64` in Rust when its minimum is non-negative, else
    /// `i64`. In TypeScript its `x-large-integer`, else (when it may exceed
    /// what a `number` holds exactly) the catalog's `large_integers`; with
    /// neither it is a `number` and a warning names the risk.
    fn integer(&mut self, file: FileId, node: &Node) -> Option<Ty> {
        let bound = |key: &str| -> Option<f64> {
            match node.get(key)?.value {
                Value::Int(n) => Some(n as f64),
                Value::UInt(n) => Some(n as f64),
                Value::Float(n) => Some(n),
                _ => None,
            }
        };
        let minimum = bound("minimum").or_else(|| bound("exclusiveMinimum"));
        let maximum = bound("maximum").or_else(|| bound("exclusiveMaximum"));
        let safe = MAX_SAFE_INTEGER as f64;
        let within = |value: Option<f64>| value.is_some_and(|v| (-safe..=safe).contains(&v));
        let large = !within(minimum) || !within(maximum);
        let typescript = match self.integer_choice(file, node)? {
            Some(chosen) => chosen,
            None if !large => IntegerRepr::Number,
            None => self.large_integers.unwrap_or_else(|| {
                self.warn_unsafe_integer(file, node);
                IntegerRepr::Number
            }),
        };
        Some(Ty::Integer {
            unsigned: minimum.is_some_and(|min| min >= 0.0),
            typescript,
        })
    }

    /// The integer's own `x-large-integer`: `number`, `bigint` or `string`.
    fn integer_choice(&mut self, file: FileId, node: &Node) -> Option<Option<IntegerRepr>> {
        let Some(choice) = node.get("x-large-integer") else {
            return Some(None);
        };
        if let Some(repr) = choice.as_str().and_then(IntegerRepr::parse) {
            return Some(Some(repr));
        }
        self.error(
            file,
            choice.location,
            Diagnostic::error(
                "invalid-schema",
                "`x-large-integer` must be `number`, `bigint` or `string`",
            )
            .help("choose what TypeScript carries this integer as: `bigint` or `string` keep values beyond 2^53 exact"),
            "expected `number`, `bigint` or `string`",
        );
        None
    }

    fn warn_unsafe_integer(&mut self, file: FileId, node: &Node) {
        self.error(
            file,
            node.location,
            Diagnostic::error("unsafe-integer", "this integer may exceed 2^53, which a TypeScript `number` cannot hold exactly")
                .note("Rust reads it exactly (`i64`/`u64`); TypeScript's `JSON.parse` rounds a larger value silently")
                .help("set `large_integers: bigint` (or `string`) in the catalog settings, or `x-large-integer` here, to read it exactly; or bound it inside ±9007199254740991"),
            "unbounded integer",
        );
    }

    /// A string enum; a nullable one may (and, for `null` to validate, must)
    /// list `null` among its values, which is not a variant.
    fn string_enum(
        &mut self,
        file: FileId,
        node: &Node,
        type_name: &str,
        nullable: bool,
    ) -> Option<Ty> {
        let values = node.get("enum")?;
        let seq: &[Node] = match &values.value {
            Value::Seq(items) => items,
            _ => &[],
        };
        let items: Vec<&str> = seq.iter().filter_map(Node::as_str).collect();
        let nulls = seq
            .iter()
            .filter(|item| matches!(item.value, Value::Null))
            .count();
        let all_strings =
            !items.is_empty() && items.len() + if nullable { nulls } else { 0 } == seq.len();
        if all_strings && nullable && nulls == 0 {
            self.error(
                file,
                values.location,
                Diagnostic::error(
                    "invalid-enum",
                    "a nullable enum must list `null` among its values",
                )
                .help(
                    "add `null` to `enum`, or drop `\"null\"` from `type`: JSON Schema checks both",
                ),
                "null is not among these values",
            );
            return None;
        }
        if !all_strings {
            self.error(
                file,
                values.location,
                Diagnostic::error("invalid-enum", "`enum` must be a non-empty list of strings")
                    .help("list the allowed string values (and `null` if the type is `[string, \"null\"]`)"),
                "not a list of strings",
            );
            return None;
        }
        let mut variants: Vec<EnumVariant> = Vec::new();
        for value in items {
            let ident = variant_ident(value);
            if let Some(clash) = variants.iter().find(|variant| variant.ident == ident) {
                self.error(
                    file,
                    values.location,
                    Diagnostic::error(
                        "name-collision",
                        format!(
                            "enum values `{}` and `{value}` both become the Rust variant `{ident}`",
                            clash.value
                        ),
                    )
                    .help("make the values differ by more than case and punctuation"),
                    "colliding values",
                );
                return None;
            }
            variants.push(EnumVariant {
                value: value.to_string(),
                ident,
            });
        }
        let name = self.name_for(node, type_name);
        let id = self.add_type(
            file,
            node.location,
            NamedType {
                name,
                description: string_at(node, "description"),
                kind: TypeKind::Enum(StringEnum { variants }),
            },
        )?;
        Some(Ty::Named(id))
    }

    /// An object: a struct when it lists `properties` or is closed; a map
    /// when `additionalProperties` is a schema; otherwise free-form (a map of
    /// any JSON). An open struct keeps the keys it does not list.
    fn object(&mut self, file: FileId, node: &Node, type_name: &str) -> Option<Ty> {
        let additional = node.get("additionalProperties");
        let patterns = node.get("patternProperties").and_then(Node::as_map);
        // Keys outside `properties` may come: by `additionalProperties` (not
        // `false`) or by matching a pattern.
        let deny_unknown =
            matches!(additional.map(|n| &n.value), Some(Value::Bool(false))) && patterns.is_none();
        let Some(properties) = node.get("properties") else {
            return match (additional, patterns) {
                (_, Some([(_, values)])) => self.map_of(file, values, type_name),
                (Some(schema), None) if schema.as_map().is_some() => {
                    self.map_of(file, schema, type_name)
                }
                _ if deny_unknown => self.add_struct(file, node, type_name, Vec::new(), true),
                _ => Some(Ty::Map(Box::new(Ty::Json))),
            };
        };
        // Other keys with a schema of their own (beside `properties`) are
        // kept as JSON with the open object's other keys; the examples are
        // checked against the schema as written.
        let fields = self.fields(file, node, properties, type_name, None)?;
        self.add_struct(file, node, type_name, fields, deny_unknown)
    }

    /// A map whose values are `values`.
    fn map_of(&mut self, file: FileId, values: &Node, type_name: &str) -> Option<Ty> {
        let inner = self.convert(file, values, &format!("{type_name}Value"))?;
        Some(Ty::Map(Box::new(inner)))
    }

    /// Adds the struct type of an object schema; an open one gets the map
    /// of the keys it does not list, named apart from its fields.
    pub(super) fn add_struct(
        &mut self,
        file: FileId,
        node: &Node,
        type_name: &str,
        fields: Vec<Field>,
        deny_unknown: bool,
    ) -> Option<Ty> {
        let extra = (!deny_unknown).then(|| extra_ident(&fields));
        let id = self.add_type(
            file,
            node.location,
            NamedType {
                name: self.name_for(node, type_name),
                description: string_at(node, "description"),
                kind: TypeKind::Struct(Struct {
                    fields,
                    deny_unknown,
                    extra,
                }),
            },
        )?;
        Some(Ty::Named(id))
    }

    /// The fields of an object; `skip` leaves out a union's discriminator.
    fn fields(
        &mut self,
        file: FileId,
        node: &Node,
        properties: &Node,
        type_name: &str,
        skip: Option<&str>,
    ) -> Option<Vec<Field>> {
        let entries = self.property_entries(file, properties)?;
        let required: BTreeSet<String> = self
            .required(file, node, entries)?
            .into_iter()
            .map(str::to_string)
            .collect();
        self.convert_properties(file, entries, type_name, &required, skip)
    }

    /// The fields `properties` lists, required as `required` says (names
    /// may be another schema's, as in an `allOf` member).
    pub(super) fn properties(
        &mut self,
        file: FileId,
        properties: &Node,
        type_name: &str,
        required: &BTreeSet<String>,
    ) -> Option<Vec<Field>> {
        let entries = self.property_entries(file, properties)?;
        self.convert_properties(file, entries, type_name, required, None)
    }

    fn property_entries<'n>(
        &mut self,
        file: FileId,
        properties: &'n Node,
    ) -> Option<&'n [(Key, Node)]> {
        let entries = properties.as_map();
        if entries.is_none() {
            self.error(
                file,
                properties.location,
                Diagnostic::error(
                    "invalid-schema",
                    "`properties` must be a mapping of names to schemas",
                ),
                "expected a mapping",
            );
        }
        entries
    }

    fn convert_properties(
        &mut self,
        file: FileId,
        entries: &[(Key, Node)],
        type_name: &str,
        required: &BTreeSet<String>,
        skip: Option<&str>,
    ) -> Option<Vec<Field>> {
        let mut fields: Vec<Field> = Vec::new();
        let mut ok = true;
        for (key, schema) in entries {
            if Some(key.name.as_str()) == skip {
                continue;
            }
            let Some(rust_ident) = self.rust_name(file, &key.name, schema) else {
                ok = false;
                continue;
            };
            if let Some(clash) = fields.iter().find(|field| field.rust_ident == rust_ident) {
                self.error(
                    file,
                    key.location,
                    Diagnostic::error(
                        "name-collision",
                        format!(
                            "properties `{}` and `{}` both become the Rust field `{rust_ident}`",
                            clash.name, key.name
                        ),
                    )
                    .help(format!(
                        "give `{}` a Rust name of its own with `x-rust-name: <name>` in its schema; the wire name stays",
                        key.name
                    )),
                    "collides after case conversion",
                );
                ok = false;
                continue;
            }
            let field_type = format!("{type_name}{}", upper_camel_case(&key.name));
            let Some(ty) = self.convert(file, schema, &field_type) else {
                ok = false;
                continue;
            };
            fields.push(Field {
                name: key.name.clone(),
                rust_ident,
                description: string_at(schema, "description"),
                ty,
                required: required.contains(&key.name),
            });
        }
        ok.then_some(fields)
    }

    /// A property's Rust field name: its `x-rust-name`, or one derived
    /// from the wire name.
    fn rust_name(&mut self, file: FileId, wire: &str, schema: &Node) -> Option<String> {
        let Some(chosen) = schema.get("x-rust-name") else {
            return Some(field_ident(wire));
        };
        match chosen.as_str() {
            Some(name) if is_snake_case(name) && field_ident(name) == name => {
                Some(name.to_string())
            }
            _ => {
                self.error(
                    file,
                    chosen.location,
                    Diagnostic::error(
                        "invalid-schema",
                        "`x-rust-name` must be a snake_case Rust identifier",
                    )
                    .help("write a name such as `thumbs_up`, not a Rust keyword"),
                    "not a field name",
                );
                None
            }
        }
    }

    fn required<'n>(
        &mut self,
        file: FileId,
        node: &'n Node,
        properties: &[(Key, Node)],
    ) -> Option<BTreeSet<&'n str>> {
        let Some(list) = node.get("required") else {
            return Some(BTreeSet::new());
        };
        let Value::Seq(items) = &list.value else {
            self.error(
                file,
                list.location,
                Diagnostic::error(
                    "invalid-schema",
                    "`required` must be a list of property names",
                ),
                "expected a list",
            );
            return None;
        };
        let mut names = BTreeSet::new();
        for item in items {
            let Some(name) = item.as_str() else {
                self.error(
                    file,
                    item.location,
                    Diagnostic::error("invalid-schema", "`required` entries must be strings"),
                    "not a string",
                );
                return None;
            };
            // An open object keeps a required key it does not list with its
            // other keys; a closed one could never hold it.
            let closed = matches!(
                node.get("additionalProperties").map(|n| &n.value),
                Some(Value::Bool(false))
            );
            if closed && !properties.iter().any(|(key, _)| key.name == name) {
                self.error(
                    file,
                    item.location,
                    Diagnostic::error(
                        "unknown-required",
                        format!("`{name}` is required but not among `properties`"),
                    )
                    .help("add the property, or remove it from `required`"),
                    "no such property",
                );
                return None;
            }
            names.insert(name);
        }
        Some(names)
    }

    /// `oneOf` of inline objects sharing one required `const` string property.
    fn union(&mut self, file: FileId, node: &Node, variants: &Node, type_name: &str) -> Option<Ty> {
        let members = self.schema_list(file, variants, "oneOf")?;
        if !self.only_keywords(
            file,
            node,
            &[
                "oneOf",
                "description",
                "title",
                "deprecated",
                "$comment",
                "type",
            ],
            "beside `oneOf`",
            "put properties inside each variant",
        ) {
            return None;
        }
        // The caller found it; every member is an inline object with it.
        let tag = discriminator(members)?;
        let union_name = self.name_for(node, type_name);
        let mut out: Vec<UnionVariant> = Vec::new();
        for member in members {
            let variant = self.union_variant(file, member, &tag, &union_name, &out)?;
            out.push(variant);
        }
        let id = self.add_type(
            file,
            node.location,
            NamedType {
                name: union_name,
                description: string_at(node, "description"),
                kind: TypeKind::Union(Union { tag, variants: out }),
            },
        )?;
        Some(Ty::Named(id))
    }

    /// One `oneOf` variant: an inline object whose `tag` property is a
    /// `const`, becoming the struct `<Union><Variant>`.
    fn union_variant(
        &mut self,
        file: FileId,
        member: &Node,
        tag: &str,
        union_name: &str,
        seen: &[UnionVariant],
    ) -> Option<UnionVariant> {
        if !self.only_keywords(
            file,
            member,
            &["type", "properties", "required", "additionalProperties", "description", "title", "$comment"],
            "in a `oneOf` variant",
            "a variant is an inline object: type, properties, required, additionalProperties, description",
        ) {
            return None;
        }
        let value = member
            .get("properties")
            .and_then(|p| p.get(tag))
            .and_then(|p| p.get("const"))
            .and_then(Node::as_str)?
            .to_string();
        let ident = variant_ident(&value);
        if seen
            .iter()
            .any(|variant| variant.value == value || variant.ident == ident)
        {
            self.error(
                file,
                member.location,
                Diagnostic::error(
                    "name-collision",
                    format!("two `oneOf` variants are tagged `{value}`"),
                )
                .help("give each variant its own discriminator value"),
                "repeated discriminator",
            );
            return None;
        }
        let fields_name = format!("{union_name}{ident}");
        let properties = member.get("properties")?;
        let fields = self.fields(file, member, properties, &fields_name, Some(tag))?;
        let deny_unknown = matches!(
            member.get("additionalProperties").map(|n| &n.value),
            Some(Value::Bool(false))
        );
        let extra = (!deny_unknown).then(|| extra_ident(&fields));
        let id = self.add_type(
            file,
            member.location,
            NamedType {
                name: fields_name,
                description: string_at(member, "description"),
                kind: TypeKind::Struct(Struct {
                    fields,
                    deny_unknown,
                    extra,
                }),
            },
        )?;
        Some(UnionVariant {
            value,
            ident,
            fields: id,
        })
    }
}

/// The non-null member of `anyOf`/`oneOf: [<schema>, {type: "null"}]` (either order).
fn nullable_member(node: &Node) -> Option<&Node> {
    let members = match node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))
        .map(|n| &n.value)
    {
        Some(Value::Seq(members)) if members.len() == 2 => members,
        _ => return None,
    };
    let is_null = |member: &Node| {
        member.as_map().is_some_and(|entries| entries.len() == 1)
            && member.get("type").and_then(Node::as_str) == Some("null")
    };
    match (is_null(&members[0]), is_null(&members[1])) {
        (true, false) => Some(&members[1]),
        (false, true) => Some(&members[0]),
        _ => None,
    }
}

/// The property that every variant requires and fixes with a string `const`.
fn discriminator(members: &[Node]) -> Option<String> {
    let first = members.first()?;
    let candidates = first.get("properties")?.as_map()?;
    candidates
        .iter()
        .map(|(key, _)| key.name.as_str())
        .find(|name| {
            members.iter().all(|member| {
                let is_object = member.get("type").and_then(Node::as_str) == Some("object");
                let is_const = member
                    .get("properties")
                    .and_then(|p| p.get(name))
                    .and_then(|p| p.get("const"))
                    .and_then(Node::as_str)
                    .is_some();
                let is_required = matches!(
                    member.get("required").map(|r| &r.value),
                    Some(Value::Seq(items)) if items.iter().any(|item| item.as_str() == Some(name))
                );
                is_object && is_const && is_required
            })
        })
        .map(str::to_string)
}

/// `type: [a, b, ...]` with two or more types besides `null`: the names,
/// and whether `null` is one of them.
fn several_types(node: &Node) -> Option<(Vec<String>, bool)> {
    let items = node.get("type")?.as_seq()?;
    let names: Vec<&str> = items.iter().map(Node::as_str).collect::<Option<_>>()?;
    if !names.iter().all(|name| TYPE_NAMES.contains(name)) {
        return None;
    }
    let mut types: Vec<String> = Vec::new();
    for name in names.iter().filter(|name| **name != "null") {
        if !types.iter().any(|seen| seen == name) {
            types.push(name.to_string());
        }
    }
    (types.len() >= 2).then(|| (types, names.contains(&"null")))
}

/// Whether an `enum`'s values are strings (and perhaps `null`): a string enum.
fn strings_or_null(values: &Node) -> bool {
    values.as_seq().is_some_and(|items| {
        items
            .iter()
            .all(|item| item.as_str().is_some() || matches!(item.value, Value::Null))
    })
}

/// What a schema without `type` describes, from the keywords it has:
/// `any` (any JSON) when none of them says.
fn implied_type(node: &Node) -> &'static str {
    let has = |keys: &[&str]| keys.iter().any(|key| node.get(key).is_some());
    if has(&[
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
    ]) {
        "object"
    } else if has(&["items", "minItems", "maxItems", "uniqueItems"]) {
        "array"
    } else if has(&["format", "pattern", "minLength", "maxLength"]) {
        "string"
    } else if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        "number"
    } else {
        match node.get("enum").map(|values| &values.value) {
            Some(Value::Seq(values)) if values.iter().all(|value| value.as_str().is_some()) => {
                "string"
            }
            _ => "any",
        }
    }
}

/// The known format `name` is most likely a slip of (`datetime`,
/// `date_time`, `uri-refrence`), if any.
fn misspelt_format(name: &str) -> Option<&'static str> {
    if KNOWN_FORMATS.contains(&name) {
        return None;
    }
    let plain = |text: &str| text.replace(['-', '_'], "").to_lowercase();
    KNOWN_FORMATS
        .iter()
        .copied()
        .find(|known| strsim::damerau_levenshtein(&plain(name), &plain(known)) <= 1)
}

/// `extra`, or the first of `extra_`, `extra__`, ... no field is named.
fn extra_ident(fields: &[Field]) -> String {
    let mut name = String::from("extra");
    while fields.iter().any(|field| field.rust_ident == name) {
        name.push('_');
    }
    name
}

fn string_at(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_string)
}

/// A schema's `title` names its type when given; otherwise the path-derived name.
fn title_or(node: &Node, fallback: &str) -> String {
    string_at(node, "title")
        .map(|title| upper_camel_case(&title))
        .filter(|title| !title.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::render::reserved_names;
    use crate::schema_subset::{KNOWN_KEYWORDS, TYPE_NAMES, UNSUPPORTED_KEYWORDS};
    use std::path::Path;

    fn build(
        definitions: &str,
        payload: &str,
    ) -> (Vec<NamedType>, Vec<Diagnostic>, Option<TypeId>) {
        let mut sources = Sources::new(Path::new("/"));
        let defs_file = sources.add(Path::new("/defs.yaml"), definitions.to_string());
        let payload_file = sources.add(Path::new("/payload.yaml"), payload.to_string());
        let defs: Node = serde_saphyr::from_str(definitions).unwrap();
        let node: Node = serde_saphyr::from_str(payload).unwrap();
        let mut builder =
            TypeBuilder::new(&sources, Some((defs_file, &defs)), reserved_names("Board"));
        let order: Vec<String> = defs
            .as_map()
            .unwrap()
            .iter()
            .map(|(k, _)| k.name.clone())
            .collect();
        builder.convert_definitions(&order);
        let id = builder.payload(payload_file, &node, "TaskCreatedPayload");
        let (types, diagnostics) = builder.finish();
        (types, diagnostics, id)
    }

    const DEFS: &str = "TaskId:\n  type: integer\n  minimum: 1\n  maximum: 9007199254740991\n";

    #[test]
    fn objects_refs_enums_arrays_and_nullables() {
        let payload = "type: object\nadditionalProperties: false\nrequired: [task_id, status]\nproperties:\n  task_id: {$ref: '#/$defs/TaskId'}\n  status: {type: string, enum: [open, in_progress]}\n  tags: {type: array, items: {type: string}}\n  note: {type: [string, 'null']}\n";
        let (types, diagnostics, id) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let payload = &types[id.unwrap().0];
        assert_eq!(payload.name, "TaskCreatedPayload");
        let TypeKind::Struct(fields) = &payload.kind else {
            panic!("not a struct")
        };
        assert!(fields.deny_unknown);
        let names: Vec<_> = fields
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            names,
            [
                ("task_id", true),
                ("status", true),
                ("tags", false),
                ("note", false)
            ]
        );
        assert_eq!(
            fields.fields[3].ty,
            Ty::Nullable(Box::new(Ty::String(None)))
        );
        assert!(types.iter().any(|t| t.name == "TaskCreatedPayloadStatus"));
        assert!(types.iter().any(|t| t.name == "TaskId"
            && matches!(t.kind, TypeKind::Alias(Ty::Integer { unsigned: true, .. }))));
    }

    #[test]
    fn one_of_with_const_discriminator_becomes_a_union() {
        let payload = "type: object\nproperties:\n  outcome:\n    oneOf:\n      - type: object\n        required: [kind, count]\n        properties:\n          kind: {const: done}\n          count: {type: integer, minimum: 0, maximum: 10}\n      - type: object\n        required: [kind]\n        properties:\n          kind: {const: skipped}\n";
        let (types, diagnostics, _) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let union = types
            .iter()
            .find(|t| t.name == "TaskCreatedPayloadOutcome")
            .unwrap();
        let TypeKind::Union(union) = &union.kind else {
            panic!("not a union")
        };
        assert_eq!(union.tag, "kind");
        let values: Vec<_> = union.variants.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(values, ["done", "skipped"]);
        let done = &types[union.variants[0].fields.0];
        let TypeKind::Struct(done) = &done.kind else {
            panic!()
        };
        assert_eq!(done.fields.len(), 1, "the discriminator is not a field");
    }

    fn first_rule(payload: &str) -> (&'static str, u64) {
        let (_, diagnostics, _) = build(DEFS, payload);
        let first = diagnostics.first().expect("a diagnostic");
        (first.rule, first.location.unwrap().span.line)
    }

    #[test]
    fn rejections_name_the_rule_and_the_line() {
        assert_eq!(
            first_rule("type: object\nproperties:\n  a:\n    not: {}\n"),
            ("unsupported-keyword", 4)
        );
        assert_eq!(
            first_rule("type: object\nproperties:\n  a: {$ref: '#/$defs/TaskID'}\n"),
            ("dangling-ref", 3)
        );
        assert_eq!(
            first_rule("type: object\nproperties:\n  a: {type: integer}\n"),
            ("unsafe-integer", 3)
        );
        assert_eq!(
            first_rule(
                "type: object\nproperties:\n  task_id: {type: string}\n  taskId: {type: string}\n"
            ),
            ("name-collision", 4)
        );
        assert_eq!(
            first_rule(
                "type: object\nadditionalProperties: false\nrequired: [b]\nproperties:\n  a: {type: string}\n"
            ),
            ("unknown-required", 3)
        );
        assert_eq!(first_rule("type: string\n"), ("payload-not-object", 1));
    }

    /// The shapes real catalogs publish: free-form objects, `{}`, a lone
    /// `null`, closed empty and open objects, formats of their own,
    /// annotations, and unbounded integers (a warning, not a refusal).
    #[test]
    fn real_schemas_shapes_become_types() {
        let payload = "type: object\nx-origin: matrix\nproperties:\n  meta: {type: object}\n  any: {}\n  nothing: {type: 'null'}\n  closed: {type: object, additionalProperties: false}\n  user: {type: string, format: mx-user-id, example: '@a:b'}\n  count: {type: integer}\n  extra: {type: string}\n  implied: {properties: {a: {type: string}}}\n";
        let (types, diagnostics, id) = build(DEFS, payload);
        let rules: Vec<_> = diagnostics.iter().map(|d| (d.rule, d.severity)).collect();
        assert_eq!(
            rules,
            [("unsafe-integer", Severity::Warning)],
            "{diagnostics:?}"
        );
        let TypeKind::Struct(payload) = &types[id.unwrap().0].kind else {
            panic!("not a struct")
        };
        let ty = |name: &str| &payload.fields.iter().find(|f| f.name == name).unwrap().ty;
        assert_eq!(ty("meta"), &Ty::Map(Box::new(Ty::Json)));
        assert_eq!(ty("any"), &Ty::Json);
        assert_eq!(ty("nothing"), &Ty::Null);
        assert_eq!(ty("user"), &Ty::String(Some("mx-user-id".into())));
        assert_eq!(
            ty("count"),
            &Ty::Integer {
                unsigned: false,
                typescript: IntegerRepr::Number
            }
        );
        let Ty::Named(closed) = ty("closed") else {
            panic!("not a type")
        };
        let TypeKind::Struct(closed) = &types[closed.0].kind else {
            panic!("not a struct")
        };
        assert!(closed.fields.is_empty() && closed.deny_unknown && closed.extra.is_none());
        assert!(matches!(ty("implied"), Ty::Named(_)));
        // Open: the other keys are kept, in a map named apart from `extra`.
        assert_eq!(payload.extra.as_deref(), Some("extra_"));
        // Maps by pattern (Matrix's `m.direct`), and keys beyond `properties`.
        let payload = "type: object\nproperties:\n  direct: {type: object, patternProperties: {'^@': {type: array, items: {type: string}}}}\n  levels: {type: object, properties: {ban: {type: integer, minimum: 0, maximum: 100}}, additionalProperties: {type: integer, minimum: 0, maximum: 100}}\n  names: {type: object, propertyNames: {pattern: '^[a-z]+$'}}\n";
        let (types, diagnostics, id) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let TypeKind::Struct(payload) = &types[id.unwrap().0].kind else {
            panic!("not a struct")
        };
        assert_eq!(
            payload.fields[0].ty,
            Ty::Map(Box::new(Ty::Array(Box::new(Ty::String(None)))))
        );
        let Ty::Named(levels) = payload.fields[1].ty else {
            panic!("not a struct")
        };
        let TypeKind::Struct(levels) = &types[levels.0].kind else {
            panic!("not a struct")
        };
        assert!(levels.extra.is_some(), "the other keys are kept");
        assert_eq!(payload.fields[2].ty, Ty::Map(Box::new(Ty::Json)));
        // Keys that are no identifiers get names; `x-rust-name` chooses one.
        let payload = "type: object\nproperties:\n  '+1': {type: integer, minimum: 0, maximum: 9}\n  '-1': {type: integer, minimum: 0, maximum: 9}\n  '@id': {type: string, x-rust-name: node_id}\n";
        let (types, diagnostics, id) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let TypeKind::Struct(payload) = &types[id.unwrap().0].kind else {
            panic!("not a struct")
        };
        let idents: Vec<_> = payload
            .fields
            .iter()
            .map(|f| f.rust_ident.as_str())
            .collect();
        assert_eq!(idents, ["plus_1", "minus_1", "node_id"]);
        let (_, diagnostics, _) = build(
            DEFS,
            "type: object\nproperties:\n  a: {type: string, x-rust-name: type}\n",
        );
        assert_eq!(diagnostics[0].rule, "invalid-schema");
        let (_, diagnostics, _) = build(
            DEFS,
            "type: object\nproperties:\n  at: {type: string, format: datetime}\n",
        );
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            (diagnostics[0].rule, diagnostics[0].severity),
            ("unknown-format", Severity::Warning)
        );
    }

    /// Matrix's shape: an event is a shared base plus its own properties,
    /// the base's free-form `content` and plain `type` narrowed.
    #[test]
    fn all_of_merges_a_base_and_its_refinement() {
        let defs = "Event:\n  type: object\n  required: [type, content]\n  properties:\n    type: {type: string, description: The event type.}\n    content: {type: object}\n    sender: {type: string}\n";
        let payload = "allOf:\n  - $ref: '#/$defs/Event'\n  - required: [state_key]\ntitle: RoomName\nproperties:\n  type: {type: string, enum: [m.room.name]}\n  content:\n    type: object\n    properties:\n      name: {type: string}\n  state_key: {type: string}\n";
        let (types, diagnostics, id) = build(defs, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let merged = &types[id.unwrap().0];
        assert_eq!(merged.name, "RoomName");
        let TypeKind::Struct(merged) = &merged.kind else {
            panic!("not a struct")
        };
        let summary: Vec<_> = merged
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.required, matches!(f.ty, Ty::Named(_))))
            .collect();
        assert_eq!(
            summary,
            [
                ("type", true, true),
                ("content", true, true),
                ("sender", false, false),
                ("state_key", true, false)
            ]
        );
        assert_eq!(
            merged.fields[0].description.as_deref(),
            Some("The event type.")
        );
        assert!(merged.extra.is_some(), "open: no member closes it");
        let conflict = "allOf:\n  - $ref: '#/$defs/Event'\nproperties:\n  sender: {type: integer, minimum: 0, maximum: 1}\n";
        let (_, diagnostics, _) = build(defs, conflict);
        assert_eq!(diagnostics[0].rule, "all-of-conflict", "{diagnostics:?}");
    }

    /// CDEvents' and Matrix's unions: scalars, objects and references told
    /// apart by shape, nullable ones, and the "one of these is required"
    /// idiom, which adds no type.
    #[test]
    fn unions_without_a_discriminator_are_untagged() {
        let payload = "type: object\nproperties:\n  at: {oneOf: [{type: integer, minimum: 0, maximum: 9}, {type: string, format: date-time}]}\n  data: {oneOf: [{type: object}, {type: string, contentEncoding: base64}]}\n  task: {anyOf: [{type: object, $ref: '#/$defs/TaskId'}, {type: string}, {type: 'null'}]}\n  source:\n    type: object\n    properties: {a: {type: string}, b: {type: string}}\n    anyOf: [{required: [a]}, {required: [b]}]\n";
        let (types, diagnostics, id) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let TypeKind::Struct(payload) = &types[id.unwrap().0].kind else {
            panic!("not a struct")
        };
        let variants = |ty: &Ty| -> Vec<(String, Ty)> {
            let Ty::Named(id) = ty else { panic!("{ty:?}") };
            let TypeKind::Untagged(variants) = &types[id.0].kind else {
                panic!("not untagged: {:?}", types[id.0])
            };
            variants
                .iter()
                .map(|v| (v.ident.clone(), v.ty.clone()))
                .collect()
        };
        let at = variants(&payload.fields[0].ty);
        assert_eq!(
            at[0],
            (
                "Integer".into(),
                Ty::Integer {
                    unsigned: true,
                    typescript: IntegerRepr::Number
                }
            )
        );
        assert_eq!(
            at[1],
            ("DateTime".into(), Ty::String(Some("date-time".into())))
        );
        // The free-form object is tried last.
        let data = variants(&payload.fields[1].ty);
        assert_eq!(data[0].0, "String");
        assert_eq!(data[1], ("Map".into(), Ty::Map(Box::new(Ty::Json))));
        let Ty::Nullable(task) = &payload.fields[2].ty else {
            panic!("not nullable")
        };
        let task = variants(task);
        assert_eq!(
            task.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(),
            ["TaskId", "String"]
        );
        assert!(
            matches!(payload.fields[3].ty, Ty::Named(_)),
            "constraints only: a struct"
        );
    }

    /// `const` anywhere, `enum` of numbers, booleans and mixed values, and
    /// `type` lists: each a type, none refused.
    #[test]
    fn constants_literal_enums_and_type_lists_become_types() {
        let payload = "type: object\nproperties:\n  kind: {const: room}\n  version: {const: 2}\n  level: {type: integer, enum: [0, 50, 100]}\n  flag: {enum: [true, null]}\n  mixed: {enum: [1, a]}\n  stamp: {type: [integer, string, 'null'], minimum: 0, maximum: 9}\n";
        let (types, diagnostics, id) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let TypeKind::Struct(payload) = &types[id.unwrap().0].kind else {
            panic!("not a struct")
        };
        let kind_of = |ty: &Ty| -> TypeKind {
            let id = match ty {
                Ty::Named(id) => *id,
                Ty::Nullable(inner) => match **inner {
                    Ty::Named(id) => id,
                    _ => panic!("{ty:?}"),
                },
                _ => panic!("{ty:?}"),
            };
            types[id.0].kind.clone()
        };
        let TypeKind::Enum(kind) = kind_of(&payload.fields[0].ty) else {
            panic!("a string const is a one-value enum")
        };
        assert_eq!(kind.variants[0].value, "room");
        let TypeKind::Literals(version) = kind_of(&payload.fields[1].ty) else {
            panic!("not literals")
        };
        assert_eq!(
            version.base,
            Ty::Integer {
                unsigned: true,
                typescript: IntegerRepr::Number
            }
        );
        let TypeKind::Literals(level) = kind_of(&payload.fields[2].ty) else {
            panic!("not literals")
        };
        assert_eq!(level.values.len(), 3);
        assert!(
            matches!(payload.fields[3].ty, Ty::Nullable(_)),
            "null among the values"
        );
        let TypeKind::Literals(mixed) = kind_of(&payload.fields[4].ty) else {
            panic!("not literals")
        };
        assert_eq!(mixed.base, Ty::Json);
        let Ty::Nullable(stamp) = &payload.fields[5].ty else {
            panic!("nullable")
        };
        let TypeKind::Untagged(stamp) = kind_of(stamp) else {
            panic!("a type list is a union")
        };
        let idents: Vec<_> = stamp.iter().map(|v| v.ident.as_str()).collect();
        assert_eq!(idents, ["Integer", "String"]);
    }

    /// An unsupported keyword does not hide what is wrong inside its schema.
    #[test]
    fn every_unsupported_construct_is_reported_at_once() {
        let payload = "type: object\nnot: {}\nproperties:\n  a:\n    type: object\n    if: {}\n    properties:\n      b: {type: array, prefixItems: [], items: {type: string}}\n";
        let (_, diagnostics, id) = build(DEFS, payload);
        assert!(id.is_none());
        let lines: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.rule, d.location.unwrap().span.line))
            .collect();
        assert_eq!(
            lines,
            [
                ("unsupported-keyword", 2),
                ("unsupported-keyword", 6),
                ("unsupported-keyword", 8)
            ]
        );
    }

    #[test]
    fn any_of_with_null_makes_a_shared_type_nullable() {
        let payload = "type: object\nproperties:\n  a: {anyOf: [{$ref: '#/$defs/TaskId'}, {type: 'null'}], description: maybe}\n  b: {oneOf: [{type: 'null'}, {type: string}]}\n  c: {anyOf: [{type: string}, {type: integer, minimum: 0, maximum: 1}]}\n";
        let (types, diagnostics, id) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(id.is_some());
        let payload = "type: object\nproperties:\n  a: {anyOf: [{$ref: '#/$defs/TaskId'}, {type: 'null'}], description: maybe}\n  b: {oneOf: [{type: 'null'}, {type: string}]}\n";
        let (types2, diagnostics, id) = build(DEFS, payload);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let TypeKind::Struct(fields) = &types2[id.unwrap().0].kind else {
            panic!()
        };
        let task_id = types2.iter().position(|t| t.name == "TaskId").unwrap();
        assert_eq!(
            fields.fields[0].ty,
            Ty::Nullable(Box::new(Ty::Named(TypeId(task_id))))
        );
        assert_eq!(fields.fields[0].description.as_deref(), Some("maybe"));
        assert_eq!(
            fields.fields[1].ty,
            Ty::Nullable(Box::new(Ty::String(None)))
        );
        drop(types);
    }

    #[test]
    fn ref_cycles_are_reported() {
        let defs = "A:\n  type: object\n  properties:\n    b: {$ref: '#/$defs/B'}\nB:\n  type: object\n  properties:\n    a: {$ref: '#/$defs/A'}\n";
        let (_, diagnostics, _) = build(
            defs,
            "type: object\nproperties:\n  a: {$ref: '#/$defs/A'}\n",
        );
        assert!(
            diagnostics.iter().any(|d| d.rule == "ref-cycle"),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn misspelled_keywords_get_the_keyword_they_miss() {
        for (typo, keyword) in [
            ("requried", "required"),
            ("Required", "required"),
            ("REQUIRED", "required"),
            ("requierd", "required"),
            ("reqired", "required"),
            ("additionalproperties", "additionalProperties"),
            ("additional_properties", "additionalProperties"),
            ("aditionalProperties", "additionalProperties"),
            ("minLenght", "minLength"),
            ("maxlength", "maxLength"),
            ("porperties", "properties"),
            ("porperites", "properties"),
            ("tpye", "type"),
            ("typ", "type"),
            ("types", "type"),
            ("descripton", "description"),
            ("ref", "$ref"),
            ("exampels", "examples"),
            ("formats", "format"),
            ("x_free_form", "x-free-form"),
            ("xFreeForm", "x-free-form"),
            ("readonly", "readOnly"),
            ("oneof", "oneOf"),
        ] {
            assert_eq!(did_you_mean_keyword(typo), Some(keyword), "{typo}");
        }
    }

    #[test]
    fn refused_and_unrelated_keys_get_no_correction() {
        for key in [
            "not",
            "if",
            "then",
            "else",
            "$defs",
            "$def",
            "contains",
            "dependencies",
            "definitions",
            "nullable",
            "count",
            "task_id",
            "id",
            "",
        ] {
            assert_eq!(did_you_mean_keyword(key), None, "{key}");
        }
    }

    #[test]
    fn a_misspelled_keyword_is_answered_with_the_keyword() {
        let payload = "type: object\nrequried: [a]\nproperties:\n  a: {type: string}\n";
        let (_, diagnostics, _) = build(DEFS, payload);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic.rule, "unsupported-keyword");
        assert_eq!(diagnostic.location.unwrap().span.line, 2);
        assert_eq!(diagnostic.help.as_deref(), Some("did you mean `required`?"));
        assert!(diagnostic.notes.is_empty(), "{diagnostic:?}");

        let payload = "type: object\nproperties:\n  a:\n    not: {type: string}\n";
        let (_, diagnostics, _) = build(DEFS, payload);
        let help = diagnostics[0].help.as_deref().unwrap();
        assert!(help.contains("x-free-form"), "{help}");
        assert!(
            diagnostics[0].notes[0].starts_with("supported keywords: type, properties, required,"),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn keyword_table_has_each_keyword_once() {
        let mut names: Vec<&str> = KNOWN_KEYWORDS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KNOWN_KEYWORDS.len());
        for refused in UNSUPPORTED_KEYWORDS {
            assert!(!is_known_keyword(refused), "{refused}");
        }
    }

    #[test]
    fn every_type_name_is_a_type() {
        for name in TYPE_NAMES.iter().filter(|name| **name != "null") {
            let schema = match *name {
                "object" => "{type: object, properties: {}}".to_string(),
                "array" => "{type: array, items: {type: string}}".to_string(),
                "integer" => "{type: integer, minimum: 0, maximum: 1}".to_string(),
                other => format!("{{type: {other}}}"),
            };
            let payload = format!(
                "type: object\nproperties:\n  a: {schema}\n  b: {{type: [{name}, 'null']}}\n"
            );
            let (_, diagnostics, _) = build(DEFS, &payload);
            assert!(
                diagnostics.iter().all(|d| d.rule != "unsupported-type"),
                "{name}: {diagnostics:?}"
            );
        }
    }

    #[test]
    fn identifiers_escape_keywords() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("taskId"), "task_id");
        assert_eq!(variant_ident("in_progress"), "InProgress");
        assert_eq!(variant_ident("2fa"), "V2fa");
    }
}
