//! Integers TypeScript carries as `bigint` or `string` (`large_integers`,
//! `x-large-integer`): where messages hold them, and the exact JSON reader
//! and writer that keep them whole.
//!
//! `JSON.parse` rounds an integer beyond ±(2^53−1). The module's decoder
//! reads the text with exact integers and converts them by place: a table of
//! nodes, one per place that holds such integers or leads to one, says what
//! each integer becomes and where to look below (by property, for any other
//! property, for array items). Nodes refer to each other by index.

use std::collections::{HashMap, HashSet};

use indoc::formatdoc;

use super::Family;
use super::syntax::string_literal;
use crate::model::{Catalog, IntegerRepr, Ty, TypeId, TypeKind};
use crate::render::article;

/// One place in a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// What an integer here becomes, when not a `number`.
    pub repr: Option<IntegerRepr>,
    /// Properties that lead to large integers, by wire name.
    pub keys: Vec<(String, usize)>,
    /// Any property not in `keys`.
    pub any: Option<usize>,
    /// Array items.
    pub items: Option<usize>,
}

/// Every place the catalog's messages hold large integers.
#[derive(Debug, Default)]
pub struct Table {
    /// The nodes; indices are their names.
    pub nodes: Vec<Node>,
    /// The node of each message's envelope, by type name (aliases too).
    roots: HashMap<String, usize>,
    /// The node of each event's payload.
    payloads: HashMap<String, usize>,
}

impl Table {
    /// Where the catalog's messages hold `bigint` or `string` integers.
    pub fn new(catalog: &Catalog) -> Table {
        let mut builder = Builder {
            catalog,
            holding: holding_types(catalog),
            nodes: Vec::new(),
            named: HashMap::new(),
            leaves: HashMap::new(),
        };
        let mut table = Table::default();
        for event in &catalog.events {
            let Some(payload) = builder.named(event.payload) else {
                continue;
            };
            table.payloads.insert(event.name.clone(), payload);
            let root = builder.envelope(payload);
            for name in std::iter::once(&event.name).chain(&event.aliases) {
                table.roots.insert(name.clone(), root);
            }
        }
        table.nodes = builder.nodes;
        table
    }

    /// Whether no message holds one.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The payload node of an event, if its payload holds one.
    pub fn payload(&self, event: &str) -> Option<usize> {
        self.payloads.get(event).copied()
    }

    /// The family's messages that hold one, with their root nodes, in catalog order.
    fn family_roots<'a>(&self, family: &Family<'a>) -> Vec<(&'a str, usize)> {
        family
            .members
            .iter()
            .flat_map(|event| std::iter::once(&event.name).chain(&event.aliases))
            .filter_map(|name| Some((name.as_str(), *self.roots.get(name)?)))
            .collect()
    }
}

/// Named types that hold a large integer, directly or through others.
fn holding_types(catalog: &Catalog) -> HashSet<TypeId> {
    let mut holding = HashSet::new();
    loop {
        let before = holding.len();
        for (index, named) in catalog.types.iter().enumerate() {
            let holds = |ty: &Ty| ty_holds(ty, &holding);
            let found = match &named.kind {
                TypeKind::Struct(object) => object.fields.iter().any(|field| holds(&field.ty)),
                TypeKind::Union(union) => union
                    .variants
                    .iter()
                    .any(|variant| holding.contains(&variant.fields)),
                TypeKind::Alias(ty) => holds(ty),
                TypeKind::Untagged(variants) => variants.iter().any(|variant| holds(&variant.ty)),
                TypeKind::Enum(_) | TypeKind::Literals(_) => false,
            };
            if found {
                holding.insert(TypeId(index));
            }
        }
        if holding.len() == before {
            return holding;
        }
    }
}

fn ty_holds(ty: &Ty, holding: &HashSet<TypeId>) -> bool {
    match ty {
        Ty::Integer { typescript, .. } => *typescript != IntegerRepr::Number,
        Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => ty_holds(inner, holding),
        Ty::Named(id) => holding.contains(id),
        _ => false,
    }
}

struct Builder<'a> {
    catalog: &'a Catalog,
    holding: HashSet<TypeId>,
    nodes: Vec<Node>,
    named: HashMap<TypeId, usize>,
    leaves: HashMap<IntegerRepr, usize>,
}

impl Builder<'_> {
    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The one node of each kind of integer.
    fn leaf(&mut self, repr: IntegerRepr) -> usize {
        if let Some(&index) = self.leaves.get(&repr) {
            return index;
        }
        let index = self.push(Node {
            repr: Some(repr),
            ..Node::default()
        });
        self.leaves.insert(repr, index);
        index
    }

    /// The node of a value type, if it holds a large integer.
    fn ty(&mut self, ty: &Ty) -> Option<usize> {
        if !ty_holds(ty, &self.holding) {
            return None;
        }
        match ty {
            Ty::Integer { typescript, .. } => Some(self.leaf(*typescript)),
            Ty::Array(inner) => {
                let items = self.ty(inner);
                Some(self.push(Node {
                    items,
                    ..Node::default()
                }))
            }
            Ty::Map(inner) => {
                let any = self.ty(inner);
                Some(self.push(Node {
                    any,
                    ..Node::default()
                }))
            }
            Ty::Nullable(inner) => self.ty(inner),
            Ty::Named(id) => self.named(*id),
            _ => None,
        }
    }

    /// The node of a named type; its index is taken before its parts are
    /// built, so a type that contains itself refers to that index.
    fn named(&mut self, id: TypeId) -> Option<usize> {
        if !self.holding.contains(&id) {
            return None;
        }
        if let Some(&index) = self.named.get(&id) {
            return Some(index);
        }
        let index = self.push(Node::default());
        self.named.insert(id, index);
        let node = match &self.catalog.ty(id).kind {
            TypeKind::Struct(object) => self.properties(&object.fields),
            TypeKind::Union(union) => {
                let fields = union
                    .variants
                    .iter()
                    .filter_map(|variant| self.catalog.struct_of(variant.fields))
                    .flat_map(|object| object.fields.iter())
                    .cloned()
                    .collect::<Vec<_>>();
                self.properties(&fields)
            }
            TypeKind::Alias(ty) => self.copy_of(ty),
            TypeKind::Untagged(variants) => {
                let nodes: Vec<Node> = variants
                    .iter()
                    .map(|variant| self.copy_of(&variant.ty))
                    .collect();
                nodes.into_iter().fold(Node::default(), merge)
            }
            TypeKind::Enum(_) | TypeKind::Literals(_) => Node::default(),
        };
        self.nodes[index] = node;
        Some(index)
    }

    /// A copy of a type's node, to stand in another's place.
    fn copy_of(&mut self, ty: &Ty) -> Node {
        self.ty(ty)
            .map(|index| self.nodes[index].clone())
            .unwrap_or_default()
    }

    /// An object's node: one key per property that holds a large integer
    /// (the first wins where union variants share a name).
    fn properties(&mut self, fields: &[crate::model::Field]) -> Node {
        let mut node = Node::default();
        for field in fields {
            if node.keys.iter().any(|(name, _)| *name == field.name) {
                continue;
            }
            if let Some(child) = self.ty(&field.ty) {
                node.keys.push((field.name.clone(), child));
            }
        }
        node
    }

    /// The envelope around a payload: the payload under its field, or
    /// (flat) the payload's own properties.
    fn envelope(&mut self, payload: usize) -> usize {
        let envelope = &self.catalog.envelope;
        let own = envelope
            .fields
            .and_then(|id| self.named(id))
            .map(|index| self.nodes[index].clone())
            .unwrap_or_default();
        let node = match &envelope.payload_field {
            Some(field) => Node {
                keys: vec![(field.clone(), payload)],
                ..Node::default()
            },
            None => self.nodes[payload].clone(),
        };
        self.push(merge(node, own))
    }
}

/// The places of two alternatives at one place: the first wins a conflict.
fn merge(mut first: Node, second: Node) -> Node {
    first.repr = first.repr.or(second.repr);
    first.any = first.any.or(second.any);
    first.items = first.items.or(second.items);
    for (name, child) in second.keys {
        if !first.keys.iter().any(|(taken, _)| *taken == name) {
            first.keys.push((name, child));
        }
    }
    first
}

/// The reader and writer the decoders and encoders call, and the table of
/// places; only in modules whose messages hold large integers.
pub fn support_items(table: &Table) -> Vec<String> {
    vec![node_table(table), EXACT_JSON.trim_end().to_string()]
}

/// The exact reader (`JSON.parse`, but integers beyond ±(2^53−1) as
/// `bigint`s), the conversion of a parsed message's integers by place, and
/// the exact writer (`JSON.stringify`, but `bigint`s and the decimal strings
/// of `string` places as JSON integers).
const EXACT_JSON: &str = include_str!("../../../support/large_integers.ts");

/// `LargeIntegerNode` and `LARGE_INTEGER_NODES`.
fn node_table(table: &Table) -> String {
    let rows: String = table
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node)| format!("  /* {index} */ {},\n", node_literal(node)))
        .collect();
    formatdoc! {"
        /**
         * A place in a message that holds integers beyond what a `number` holds
         * exactly: what an integer here becomes (`as`), and where to look below,
         * by property (`keys`), for any other property (`any`) and for array
         * items (`items`). Places refer to each other by their index.
         */
        interface LargeIntegerNode {{
          readonly as?: \"bigint\" | \"string\";
          readonly keys?: ReadonlyMap<string, number>;
          readonly any?: number;
          readonly items?: number;
        }}

        const LARGE_INTEGER_NODES: readonly LargeIntegerNode[] = [
        {rows}];
    "}
}

fn node_literal(node: &Node) -> String {
    let mut members = Vec::new();
    match node.repr {
        Some(IntegerRepr::BigInt) => members.push("as: \"bigint\"".to_string()),
        Some(IntegerRepr::String) => members.push("as: \"string\"".to_string()),
        Some(IntegerRepr::Number) | None => {}
    }
    if !node.keys.is_empty() {
        let entries: Vec<String> = node
            .keys
            .iter()
            .map(|(name, child)| format!("[{}, {child}]", string_literal(name)))
            .collect();
        members.push(format!("keys: new Map([{}])", entries.join(", ")));
    }
    if let Some(any) = node.any {
        members.push(format!("any: {any}"));
    }
    if let Some(items) = node.items {
        members.push(format!("items: {items}"));
    }
    match members.is_empty() {
        true => "{}".to_string(),
        false => format!("{{ {} }}", members.join(", ")),
    }
}

/// `BOARD_EVENT_LARGE_INTEGERS`: the root place of each message type that
/// holds large integers.
pub fn roots_table(table: &Table, family: &Family) -> Option<String> {
    let roots = table.family_roots(family);
    if roots.is_empty() {
        return None;
    }
    let rows: String = roots
        .iter()
        .map(|(name, root)| format!("  [{}, {root}],\n", string_literal(name)))
        .collect();
    Some(formatdoc! {"
        /** The place in {LARGE_INTEGER_NODES} where each {noun} holding large integers starts. */
        const {constant}_LARGE_INTEGERS: ReadonlyMap<string, number> = new Map([
        {rows}]);
        ",
        LARGE_INTEGER_NODES = "`LARGE_INTEGER_NODES`",
        noun = family.noun,
        constant = family.constant,
    })
}

/// Whether the family's messages hold large integers.
pub fn has_roots(table: &Table, family: &Family) -> bool {
    !table.family_roots(family).is_empty()
}

/// The root place of a message type, as a TypeScript expression.
pub fn root_of(family: &Family, type_expression: &str) -> String {
    format!("{}_LARGE_INTEGERS.get({type_expression})", family.constant)
}

/// Appends `value` to `out` as a TypeScript literal: the integers at
/// `bigint` places as `123n` and at `string` places as `"123"`, laid out
/// as `serde_json`'s pretty printer does, at `indent`. One buffer takes
/// the whole value, however deep.
pub fn push_value_literal(
    out: &mut String,
    value: &serde_json::Value,
    at: Option<usize>,
    table: &Table,
    indent: &str,
) {
    use serde_json::Value;
    use std::fmt::Write;
    let node = at.map(|index| &table.nodes[index]);
    match value {
        Value::Number(number) if number.is_i64() || number.is_u64() => {
            match node.and_then(|node| node.repr) {
                Some(IntegerRepr::BigInt) => {
                    let _ = write!(out, "{number}n");
                }
                Some(IntegerRepr::String) => out.push_str(&string_literal(&number.to_string())),
                _ => {
                    let _ = write!(out, "{number}");
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let inner = format!("{indent}  ");
            let child = node.and_then(|node| node.items);
            out.push_str("[\n");
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&inner);
                push_value_literal(out, item, child, table, &inner);
            }
            out.push('\n');
            out.push_str(indent);
            out.push(']');
        }
        Value::Object(members) if !members.is_empty() => {
            let inner = format!("{indent}  ");
            out.push_str("{\n");
            for (position, (key, item)) in members.iter().enumerate() {
                if position > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&inner);
                match key.as_str() {
                    "__proto__" => out.push_str("[\"__proto__\"]"),
                    _ => out.push_str(&string_literal(key)),
                }
                out.push_str(": ");
                let child = node.and_then(|node| child_of(node, key));
                push_value_literal(out, item, child, table, &inner);
            }
            out.push('\n');
            out.push_str(indent);
            out.push('}');
        }
        Value::String(text) => out.push_str(&string_literal(text)),
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn child_of(node: &Node, key: &str) -> Option<usize> {
    node.keys
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, child)| *child)
        .or(node.any)
}

/// `decodeBoardEvent`: a message's wire JSON read with its integers exact.
pub fn decoder(catalog: &Catalog, family: &Family, table: &Table) -> String {
    let (doc, body) = match has_roots(table, family) {
        true => (
            "use it instead of `JSON.parse`, which\n * rounds integers beyond ±(2^53−1). Integers the catalog makes `bigint` or\n * `string` come out as such; the message is not validated.",
            format!(
                "  const message = parseJsonExactly(text);\n  \
                 const type = typeof message === \"object\" && message !== null ? (message as {{ readonly [key: string]: unknown }})[{}] : undefined;\n  \
                 return reviveIntegers(message, typeof type === \"string\" ? {} : undefined);",
                string_literal(&catalog.envelope.type_field),
                root_of(family, "type"),
            ),
        ),
        false => (
            "`JSON.parse`, as every integer of\n * these messages fits a `number`; the message is not validated.",
            "  return JSON.parse(text) as unknown;".to_string(),
        ),
    };
    formatdoc! {"
        /**
         * Reads a{article} {noun}'s wire JSON: {doc} Throws a
         * `SyntaxError` on malformed JSON.
         */
        export function decode{ident}{stem}(text: string): unknown {{
        {body}
        }}
        ",
        article = article(family.noun),
        noun = family.noun,
        ident = catalog.channel_ident,
        stem = family.verb_stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_literal(
        value: &serde_json::Value,
        at: Option<usize>,
        table: &Table,
        indent: &str,
    ) -> String {
        let mut out = String::new();
        push_value_literal(&mut out, value, at, table, indent);
        out
    }
    use crate::source::Sources;
    use crate::test_dir::TestDir;

    /// A catalog of one event whose payload is `payload` (YAML), with `settings` added.
    fn catalog(name: &str, settings: &str, payload: &str) -> Catalog {
        let root = TestDir::new(&format!("large-integers-{name}"));
        let catalog = format!(
            "channel: board\ndescription: d\nprotocol_version: 1\nevents: [events.yaml]\n{settings}"
        );
        std::fs::write(root.join("catalog.yaml"), catalog).unwrap();
        let events = format!(
            "resource: task\nevents:\n  - name: task_created\n    description: d\n    since: '1.0'\n    stability: frozen\n    payload:\n{}",
            payload
                .lines()
                .map(|line| format!("      {line}\n"))
                .collect::<String>()
        ) + "    examples:\n      - {id: 1, count: 1, ids: [2], tree: {size: 3, children: {}}}\n";
        std::fs::write(root.join("events.yaml"), events).unwrap();
        let mut sources = Sources::new(&root);
        let built = crate::build(&mut sources, &root.join("catalog.yaml"));
        built.unwrap_or_else(|diagnostics| panic!("{diagnostics:?}"))
    }

    const PAYLOAD: &str = indoc::indoc! {"
        type: object
        additionalProperties: false
        required: [id, count, ids, tree]
        properties:
          id: {type: integer}
          count: {type: integer, minimum: 0, maximum: 10}
          ids: {type: array, items: {type: integer, x-large-integer: string}}
          tree: {$ref: '#/$defs/Tree'}
    "};

    const TREE: &str = "definitions:\n  Tree:\n    type: object\n    additionalProperties: false\n    required: [size, children]\n    properties:\n      size: {type: integer}\n      children: {type: object, additionalProperties: {$ref: '#/$defs/Leaf'}}\n  Leaf:\n    type: object\n    additionalProperties: false\n    required: [size]\n    properties:\n      size: {type: integer}\n";

    #[test]
    fn places_follow_fields_arrays_and_maps() {
        let catalog = catalog(
            "places",
            &format!("large_integers: bigint\n{TREE}"),
            PAYLOAD,
        );
        let table = Table::new(&catalog);
        let payload = table.payload("task_created").expect("holds large integers");
        let node = &table.nodes[payload];
        let keys: Vec<&str> = node.keys.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            keys,
            ["id", "ids", "tree"],
            "the bounded `count` is no place"
        );
        let tree = child_of(node, "tree").unwrap();
        let children = child_of(&table.nodes[tree], "children").unwrap();
        let leaf = table.nodes[children].any.unwrap();
        assert_eq!(
            child_of(&table.nodes[leaf], "size"),
            child_of(&table.nodes[tree], "size")
        );
        let ids = child_of(node, "ids").unwrap();
        let item = table.nodes[ids].items.unwrap();
        assert_eq!(table.nodes[item].repr, Some(IntegerRepr::String));
        let root = table.roots["task_created"];
        assert_eq!(child_of(&table.nodes[root], "payload"), Some(payload));
        let literal = value_literal(
            &serde_json::json!({"id": 12345678901234567890u64, "count": 1, "ids": [2], "tree": {"size": 3, "children": {}}}),
            Some(payload),
            &table,
            "",
        );
        assert!(
            literal.contains("\"id\": 12345678901234567890n"),
            "{literal}"
        );
        assert!(literal.contains("\"count\": 1,"), "{literal}");
        assert!(literal.contains("\"2\""), "{literal}");
        assert!(literal.contains("\"size\": 3n"), "{literal}");
    }

    #[test]
    fn without_a_choice_nothing_is_a_place() {
        let catalog = catalog("none", TREE, PAYLOAD);
        let table = Table::new(&catalog);
        let payload = table.payload("task_created").expect("`ids` chose string");
        let keys: Vec<&str> = table.nodes[payload]
            .keys
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(keys, ["ids"]);
    }

    #[test]
    fn literals_print_as_serde_json_pretty_prints() {
        let value =
            serde_json::json!({"a": [1, {"b": null}], "__proto__": {}, "c": [], "d": "x\u{2028}"});
        let table = Table::default();
        let expected = serde_json::to_string_pretty(&value)
            .unwrap()
            .replace("\"__proto__\"", "[\"__proto__\"]")
            .replace('\u{2028}', "\\u2028")
            .replace('\n', "\n  ");
        assert_eq!(value_literal(&value, None, &table, "  "), expected);
    }
}
