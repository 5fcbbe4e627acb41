//! `const` anywhere and `enum` of any JSON values.
//!
//! A string `const` is a one-value string enum (a unit variant in Rust, a
//! string literal type in TypeScript), so a mistyped value does not read.
//! Other values keep their JSON type in Rust (`i64`, `bool`, ...) and become
//! a union of literal types in TypeScript (`1 | 2 | 3`); the catalog's
//! examples are checked against the values as written.

use serde_json::Value as Json;

use super::TypeBuilder;
use crate::diagnostic::Diagnostic;
use crate::model::{EnumVariant, IntegerRepr, Literals, NamedType, StringEnum, Ty, TypeKind};
use crate::names::variant_ident;
use crate::node::Node;
use crate::source::FileId;

impl TypeBuilder<'_> {
    /// `const: <value>`.
    pub(super) fn constant(
        &mut self,
        file: FileId,
        node: &Node,
        value: &Node,
        type_name: &str,
    ) -> Option<Ty> {
        match value.as_str() {
            Some(text) => {
                let variants = vec![EnumVariant {
                    value: text.to_string(),
                    ident: variant_ident(text),
                }];
                self.named(
                    file,
                    node,
                    type_name,
                    TypeKind::Enum(StringEnum { variants }),
                )
            }
            None => self.literals_of(file, node, vec![value.to_json()], type_name),
        }
    }

    /// `enum` whose values are not all strings.
    pub(super) fn literals(
        &mut self,
        file: FileId,
        node: &Node,
        values: &Node,
        type_name: &str,
    ) -> Option<Ty> {
        let Some(items) = values.as_seq().filter(|items| !items.is_empty()) else {
            self.error(
                file,
                values.location,
                Diagnostic::error("invalid-enum", "`enum` must be a non-empty list of values"),
                "expected a list of values",
            );
            return None;
        };
        self.literals_of(
            file,
            node,
            items.iter().map(Node::to_json).collect(),
            type_name,
        )
    }

    fn literals_of(
        &mut self,
        file: FileId,
        node: &Node,
        values: Vec<Json>,
        type_name: &str,
    ) -> Option<Ty> {
        let nullable = values.iter().any(Json::is_null);
        let base = base_type(values.iter().filter(|value| !value.is_null()));
        let ty = self.named(
            file,
            node,
            type_name,
            TypeKind::Literals(Literals { base, values }),
        )?;
        // The `null` is among the literals; the Rust side reads it as `None`.
        Some(if nullable {
            Ty::Nullable(Box::new(ty))
        } else {
            ty
        })
    }

    fn named(&mut self, file: FileId, node: &Node, type_name: &str, kind: TypeKind) -> Option<Ty> {
        let id = self.add_type(
            file,
            node.location,
            NamedType {
                name: self.name_for(node, type_name),
                description: super::string_at(node, "description"),
                kind,
            },
        )?;
        Some(Ty::Named(id))
    }
}

/// The one JSON type every value has, or any JSON.
fn base_type<'v>(mut values: impl Iterator<Item = &'v Json> + Clone) -> Ty {
    let all = |test: fn(&Json) -> bool| values.clone().all(test);
    if all(|value| value.as_u64().is_some()) {
        Ty::Integer {
            unsigned: true,
            typescript: IntegerRepr::Number,
        }
    } else if all(|value| value.as_i64().is_some() || value.as_u64().is_some()) {
        Ty::Integer {
            unsigned: false,
            typescript: IntegerRepr::Number,
        }
    } else if all(Json::is_number) {
        Ty::Number
    } else if all(Json::is_boolean) {
        Ty::Boolean
    } else if all(Json::is_string) {
        Ty::String(None)
    } else if values.next().is_none() {
        Ty::Null
    } else {
        Ty::Json
    }
}
