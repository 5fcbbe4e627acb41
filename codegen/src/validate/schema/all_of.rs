//! `allOf`: the members' objects merged into one struct.
//!
//! Real catalogs build events from shared bases this way (Matrix's every
//! event is `allOf: [{$ref: state_event}]` plus its own properties). Each
//! member is an object: a `$ref` to a shared definition (its converted
//! struct), a nested `allOf`, or inline `properties`; the keywords beside
//! `allOf` are one more member. The merge is the intersection JSON Schema
//! means: a property in several members keeps the narrower type (a string
//! enum over a string, a struct over a free-form object), is required when
//! any member requires it, and the object is closed when any member is.
//! Two types neither of which narrows the other are a located conflict.

use std::collections::BTreeSet;

use super::TypeBuilder;
use crate::diagnostic::Diagnostic;
use crate::model::{Field, Struct, Ty, TypeKind};
use crate::node::{Node, Value};
use crate::source::FileId;

/// One member's contribution.
struct Part {
    fields: Vec<Field>,
    /// Names the member lists in `required` (present in it or not).
    required: BTreeSet<String>,
    closed: bool,
}

impl TypeBuilder<'_> {
    /// Converts `node`, whose `allOf` is `members`, to one struct.
    pub(super) fn all_of(
        &mut self,
        file: FileId,
        node: &Node,
        members: &Node,
        type_name: &str,
    ) -> Option<Ty> {
        let list = self.schema_list(file, members, "allOf")?;
        let mut parts = Vec::new();
        let mut ok = true;
        for member in list {
            match self.member_part(file, member, type_name) {
                Some(part) => parts.push(part),
                None => ok = false,
            }
        }
        parts.push(self.inline_part(file, node, type_name)?);
        if !ok {
            return None;
        }
        let (fields, closed) = self.merge(file, members, parts)?;
        self.add_struct(file, node, type_name, fields, closed)
    }

    /// A member: a `$ref` or nested `allOf` (converted, then read back), or
    /// an inline object.
    fn member_part(&mut self, file: FileId, member: &Node, type_name: &str) -> Option<Part> {
        if member.get("$ref").is_none() && member.get("allOf").is_none() {
            return self.inline_part(file, member, type_name);
        }
        let ty = self.convert(file, member, type_name)?;
        let object = match ty {
            Ty::Named(id) => self.struct_behind(id),
            _ => None,
        };
        let Some(object) = object else {
            self.error(
                file,
                member.location,
                Diagnostic::error("all-of-conflict", "an `allOf` member must be an object")
                    .help("merge only object schemas with `allOf`"),
                "not an object",
            );
            return None;
        };
        Some(Part {
            required: object
                .fields
                .iter()
                .filter(|field| field.required)
                .map(|field| field.name.clone())
                .collect(),
            closed: object.deny_unknown,
            fields: object.fields,
        })
    }

    /// An inline member (or the keywords beside `allOf`): its `properties`,
    /// and `required` names that may be another member's.
    fn inline_part(&mut self, file: FileId, node: &Node, type_name: &str) -> Option<Part> {
        let required: BTreeSet<String> = match node.get("required").map(|list| &list.value) {
            Some(Value::Seq(items)) => items
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect(),
            _ => BTreeSet::new(),
        };
        let fields = match node.get("properties") {
            Some(properties) => self.properties(file, properties, type_name, &required)?,
            None => Vec::new(),
        };
        let closed = matches!(
            node.get("additionalProperties").map(|n| &n.value),
            Some(Value::Bool(false))
        );
        Some(Part {
            fields,
            required,
            closed,
        })
    }

    /// The struct a type id names, through aliases.
    fn struct_behind(&self, mut id: crate::model::TypeId) -> Option<Struct> {
        loop {
            match &self.types[id.0].kind {
                TypeKind::Struct(object) => return Some(object.clone()),
                TypeKind::Alias(Ty::Named(inner)) => id = *inner,
                _ => return None,
            }
        }
    }

    /// The fields of every part, in member order, each once.
    fn merge(
        &mut self,
        file: FileId,
        members: &Node,
        parts: Vec<Part>,
    ) -> Option<(Vec<Field>, bool)> {
        let required: BTreeSet<String> = parts
            .iter()
            .flat_map(|part| part.required.clone())
            .collect();
        let closed = parts.iter().any(|part| part.closed);
        let mut fields: Vec<Field> = Vec::new();
        for field in parts.into_iter().flat_map(|part| part.fields) {
            let Some(seen) = fields.iter_mut().find(|seen| seen.name == field.name) else {
                fields.push(field);
                continue;
            };
            match self.narrow(&seen.ty, &field.ty) {
                Some(ty) => seen.ty = ty,
                None => {
                    self.error(
                        file,
                        members.location,
                        Diagnostic::error(
                            "all-of-conflict",
                            format!("`allOf` members give `{}` two different types", field.name),
                        )
                        .help("make the members agree on the property's type, or narrow it in one place"),
                        "conflicting members",
                    );
                    return None;
                }
            }
            if seen.description.is_none() {
                seen.description = field.description;
            }
        }
        for field in &mut fields {
            field.required |= required.contains(&field.name);
        }
        Some((fields, closed))
    }
}

impl TypeBuilder<'_> {
    /// Of two types a property has in two members, one that satisfies both:
    /// the same type, the narrower where one refines the other, or two
    /// objects merged (a base's `unsigned` and an event's own, longer one).
    fn narrow(&mut self, a: &Ty, b: &Ty) -> Option<Ty> {
        if let Some(ty) = narrower(a, b) {
            return Some(ty.clone());
        }
        let (Ty::Named(first), Ty::Named(second)) = (a, b) else {
            return None;
        };
        let (first, second) = (self.struct_behind(*first)?, self.struct_behind(*second)?);
        let mut fields = first.fields;
        for field in second.fields {
            match fields.iter_mut().find(|seen| seen.name == field.name) {
                Some(seen) => {
                    seen.ty = self.narrow(&seen.ty.clone(), &field.ty)?;
                    seen.required |= field.required;
                }
                None => fields.push(field),
            }
        }
        let closed = first.deny_unknown || second.deny_unknown;
        // The merged object takes the place of the later, narrower one,
        // unless that is a shared definition others use as it is.
        let Ty::Named(target) = b else { return None };
        if self.is_definition(*target) {
            return None;
        }
        let extra = (!closed).then(|| super::extra_ident(&fields));
        self.types[target.0].kind = TypeKind::Struct(Struct {
            fields,
            deny_unknown: closed,
            extra,
        });
        Some(b.clone())
    }

    fn is_definition(&self, id: crate::model::TypeId) -> bool {
        self.definitions
            .values()
            .any(|definition| definition.id == Some(id))
    }
}

/// Of two types a property has in two members, the one that satisfies
/// both: the same type, or the narrower where one refines the other.
fn narrower<'t>(a: &'t Ty, b: &'t Ty) -> Option<&'t Ty> {
    let refines = |narrow: &Ty, wide: &Ty| match wide {
        Ty::Json => true,
        Ty::Map(inner) if **inner == Ty::Json => matches!(narrow, Ty::Named(_) | Ty::Map(_)),
        Ty::String(None) => matches!(narrow, Ty::String(_) | Ty::Named(_)),
        _ => false,
    };
    if a == b || refines(a, b) {
        Some(a)
    } else if refines(b, a) {
        Some(b)
    } else {
        None
    }
}
