//! `oneOf`/`anyOf` without a discriminator: a value that is one of several
//! types, told apart by its shape.
//!
//! Real catalogs write these everywhere: a timestamp that is an integer or a
//! date-time string, custom data that is an object or a base64 string, a
//! list of links each one of three object shapes. The members become the
//! variants of an untagged union (`#[serde(untagged)]` in Rust, `A | B` in
//! TypeScript), tried in schema order, except that a member accepting any
//! JSON is tried last so it cannot shadow the others. `null` members make
//! the union nullable instead of being a variant.
//!
//! Members that only constrain (`anyOf: [{required: [a]}, {required: [b]}]`,
//! "at least one of these properties") add no type: the schema is typed by
//! its other keywords, and the examples are checked against the whole.

use super::{TypeBuilder, string_at};
use crate::diagnostic::Diagnostic;
use crate::model::{NamedType, Ty, TypeKind, UntaggedVariant};
use crate::names::upper_camel_case;
use crate::node::{Node, Value};
use crate::source::FileId;

/// Keywords a member may have and still only constrain, not type.
const CONSTRAINT_KEYWORDS: &[&str] = &[
    "required",
    "minProperties",
    "maxProperties",
    "description",
    "$comment",
];

/// Whether every member of `members` only constrains the value.
pub(super) fn constraints_only(members: &Node) -> bool {
    match &members.value {
        Value::Seq(list) => list.iter().all(|member| {
            member.as_map().is_some_and(|entries| {
                entries
                    .iter()
                    .all(|(key, _)| CONSTRAINT_KEYWORDS.contains(&key.name.as_str()))
            })
        }),
        _ => false,
    }
}

/// `{type: "null"}`, alone.
fn is_null(member: &Node) -> bool {
    member.get("type").and_then(Node::as_str) == Some("null")
        && member.as_map().is_some_and(|entries| {
            entries
                .iter()
                .all(|(key, _)| matches!(key.name.as_str(), "type" | "description" | "title"))
        })
}

impl TypeBuilder<'_> {
    /// The union of `members` (the value of `oneOf` or `anyOf` in `node`).
    pub(super) fn untagged(
        &mut self,
        file: FileId,
        node: &Node,
        members: &Node,
        type_name: &str,
    ) -> Option<Ty> {
        let keyword = if node.get("oneOf").is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        let list = self.schema_list(file, members, keyword)?;
        if let Some(properties) = node.key("properties") {
            self.error(
                file,
                properties.location,
                Diagnostic::error(
                    "unsupported-keyword",
                    "`properties` beside a `oneOf`/`anyOf` of types is not supported",
                )
                .help("put the properties in each member, or in a shared definition the members `allOf`"),
                "properties beside a union",
            );
            return None;
        }
        let union_name = self.name_for(node, type_name);
        let nullable = list.iter().any(is_null);
        let mut types = Vec::new();
        let mut ok = true;
        for member in list.iter().filter(|member| !is_null(member)) {
            let name = format!("{union_name}{}", member_word(member));
            match self.convert(file, member, &name) {
                Some(ty) => types.push(ty),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        // Anything-goes members last: serde takes the first that fits.
        types.sort_by_key(|ty| matches!(ty, Ty::Json) || *ty == Ty::Map(Box::new(Ty::Json)));
        types.dedup();
        let ty = match types.len() {
            0 => Ty::Null,
            1 => types.pop()?,
            _ => self.untagged_type(file, node, &union_name, types)?,
        };
        Some(match (nullable, ty) {
            (true, Ty::Null) => Ty::Null,
            (true, ty @ Ty::Nullable(_)) => ty,
            (true, ty) => Ty::Nullable(Box::new(ty)),
            (false, ty) => ty,
        })
    }

    /// `type: [string, integer, ...]`: a union of the named types, each
    /// with the schema's other keywords.
    pub(super) fn type_union(
        &mut self,
        file: FileId,
        node: &Node,
        names: &[String],
        nullable: bool,
        type_name: &str,
    ) -> Option<Ty> {
        let union_name = self.name_for(node, type_name);
        let mut types = Vec::new();
        for name in names {
            let member = format!("{union_name}{}", upper_camel_case(name));
            types.push(self.of_type(file, node, &member, name, false)?);
        }
        types.sort_by_key(|ty| matches!(ty, Ty::Json) || *ty == Ty::Map(Box::new(Ty::Json)));
        let ty = self.untagged_type(file, node, &union_name, types)?;
        Some(if nullable {
            Ty::Nullable(Box::new(ty))
        } else {
            ty
        })
    }

    fn untagged_type(
        &mut self,
        file: FileId,
        node: &Node,
        union_name: &str,
        types: Vec<Ty>,
    ) -> Option<Ty> {
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        for ty in types {
            let base = self.variant_word(&ty, union_name);
            let mut ident = base.clone();
            let mut n = 2;
            while variants.iter().any(|variant| variant.ident == ident) {
                ident = format!("{base}{n}");
                n += 1;
            }
            variants.push(UntaggedVariant { ident, ty });
        }
        let id = self.add_type(
            file,
            node.location,
            NamedType {
                name: union_name.to_string(),
                description: string_at(node, "description"),
                kind: TypeKind::Untagged(variants),
            },
        )?;
        Some(Ty::Named(id))
    }

    /// A variant's name: its type's, without the union's name in front.
    fn variant_word(&self, ty: &Ty, union_name: &str) -> String {
        match ty {
            Ty::Named(id) => {
                let name = &self.types[id.0].name;
                match name.strip_prefix(union_name) {
                    Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => {
                        rest.to_string()
                    }
                    _ => name.clone(),
                }
            }
            Ty::String(Some(format)) => upper_camel_case(format),
            Ty::String(None) => "String".to_string(),
            Ty::Integer { .. } => "Integer".to_string(),
            Ty::Number => "Number".to_string(),
            Ty::Boolean => "Boolean".to_string(),
            Ty::Array(_) => "List".to_string(),
            Ty::Map(_) => "Map".to_string(),
            Ty::Json => "Json".to_string(),
            Ty::Null => "Null".to_string(),
            Ty::Nullable(inner) => self.variant_word(inner, union_name),
        }
    }
}

/// The word an inline member's type is named with: its `title`, else what
/// it is (`Object`, `String`, ...).
fn member_word(member: &Node) -> String {
    if let Some(title) = member.get("title").and_then(Node::as_str) {
        return upper_camel_case(title);
    }
    match member.get("type").and_then(Node::as_str) {
        Some(ty) => upper_camel_case(ty),
        None => "Value".to_string(),
    }
}
