//! The catalog's named types as Python declarations: `TypedDict`s for
//! objects, `Literal`s for enums and constants, `Union`s for `oneOf`s,
//! aliases for the rest. Each is declared after the types it names, so the
//! module imports; a reference back (a recursive type) is written as a
//! string, which the type checkers read as a forward reference.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::syntax::{
    annotated, assignment, bracketed, comment, docstring, is_attribute_name, string_literal,
};
use crate::model::{Catalog, Field, Struct, Ty, TypeId, TypeKind};

/// A type expression and the named types it mentions.
#[derive(Debug, Clone, Default)]
pub struct Expr {
    pub text: String,
    pub refs: BTreeSet<TypeId>,
}

impl Expr {
    fn plain(text: &str) -> Expr {
        Expr {
            text: text.to_string(),
            refs: BTreeSet::new(),
        }
    }

    /// The expression as written where `defined` types exist already:
    /// quoted whole when it names one that does not.
    pub fn resolve(&self, defined: &HashSet<TypeId>) -> String {
        if self.refs.iter().all(|id| defined.contains(id)) {
            self.text.clone()
        } else {
            string_literal(&self.text)
        }
    }
}

/// One key of a `TypedDict`: its wire name, annotation and doc.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    /// The annotation, `NotRequired[...]` for an optional key.
    pub annotation: String,
    pub doc: Option<String>,
}

/// The Python type of a field, alias or member.
pub fn type_expr(catalog: &Catalog, ty: &Ty) -> Expr {
    let wrap = |inner: &Ty, shape: &dyn Fn(&str) -> String| {
        let inner = type_expr(catalog, inner);
        Expr {
            text: shape(&inner.text),
            refs: inner.refs,
        }
    };
    match ty {
        Ty::String(_) => Expr::plain("str"),
        Ty::Integer { .. } => Expr::plain("int"),
        Ty::Number => Expr::plain("float"),
        Ty::Boolean => Expr::plain("bool"),
        Ty::Null => Expr::plain("None"),
        Ty::Json => Expr::plain("JsonValue"),
        Ty::Array(inner) => wrap(inner, &|text| format!("list[{text}]")),
        Ty::Map(inner) => wrap(inner, &|text| format!("dict[str, {text}]")),
        Ty::Nullable(inner) => wrap(inner, &|text| format!("{text} | None")),
        Ty::Named(id) => Expr {
            text: catalog.ty(*id).name.clone(),
            refs: BTreeSet::from([*id]),
        },
    }
}

/// The named types each type mentions directly.
fn dependencies(catalog: &Catalog, id: TypeId) -> BTreeSet<TypeId> {
    let of = |ty: &Ty| type_expr(catalog, ty).refs;
    match &catalog.ty(id).kind {
        TypeKind::Struct(object) => object.fields.iter().flat_map(|f| of(&f.ty)).collect(),
        TypeKind::Alias(target) => of(target),
        TypeKind::Untagged(variants) => variants.iter().flat_map(|v| of(&v.ty)).collect(),
        TypeKind::Union(union) => union.variants.iter().map(|v| v.fields).collect(),
        TypeKind::Enum(_) | TypeKind::Literals(_) => BTreeSet::new(),
    }
}

/// Every named type, each after the types it mentions (depth first from
/// the model's order, so the order is the model's where it can be).
pub fn declaration_order(catalog: &Catalog) -> Vec<TypeId> {
    fn visit(catalog: &Catalog, id: TypeId, seen: &mut HashSet<TypeId>, out: &mut Vec<TypeId>) {
        if !seen.insert(id) {
            return;
        }
        for dependency in dependencies(catalog, id) {
            visit(catalog, dependency, seen, out);
        }
        out.push(id);
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for index in 0..catalog.types.len() {
        visit(catalog, TypeId(index), &mut seen, &mut out);
    }
    out
}

/// `JsonValue`: free-form JSON, a recursive alias.
pub fn json_value() -> String {
    let members = [
        "None",
        "bool",
        "int",
        "float",
        "str",
        "list[\"JsonValue\"]",
        "dict[str, \"JsonValue\"]",
    ]
    .map(str::to_string);
    let alias = bracketed("", "JsonValue: TypeAlias = ", "Union[", &members, "]");
    format!("{alias}\"\"\"Free-form JSON, where the catalog opts into it.\"\"\"\n")
}

/// Whether the module needs `JsonValue`: a field, alias or member is
/// free-form, or a literal type falls back to its JSON base.
pub fn needs_json(catalog: &Catalog) -> bool {
    catalog.uses_json()
        || catalog.types.iter().any(|ty| match &ty.kind {
            TypeKind::Literals(literals) => {
                literal_members(&literals.values).is_none() && literals.base.contains_json()
            }
            _ => false,
        })
}

/// One named type's declaration, where the `defined` types exist already.
pub fn named_type(
    catalog: &Catalog,
    id: TypeId,
    defined: &HashSet<TypeId>,
    tags: &HashMap<TypeId, (String, String)>,
) -> String {
    let ty = catalog.ty(id);
    let doc = ty.description.as_deref().unwrap_or_default();
    let name = &ty.name;
    let prefix = format!("{name}: TypeAlias = ");
    let union_of = |members: Vec<String>| match members.len() {
        1 => assignment(&prefix, &members[0]),
        _ => bracketed("", &prefix, "Union[", &members, "]"),
    };
    let definition = match &ty.kind {
        TypeKind::Struct(object) => {
            let tag = tags.get(&id).map(|(tag, value)| Entry {
                key: tag.clone(),
                annotation: format!("Literal[{}]", string_literal(value)),
                doc: None,
            });
            let entries: Vec<Entry> = tag
                .into_iter()
                .chain(struct_entries(catalog, object, defined))
                .collect();
            return typed_dict(name, doc, &["TypedDict".to_string()], &entries);
        }
        TypeKind::Enum(values) => {
            let members: Vec<String> = values
                .variants
                .iter()
                .map(|variant| string_literal(&variant.value))
                .collect();
            bracketed("", &prefix, "Literal[", &members, "]")
        }
        TypeKind::Literals(literals) => match literal_members(&literals.values) {
            Some(members) if members.is_empty() => assignment(&prefix, "None"),
            Some(members) => bracketed("", &prefix, "Literal[", &members, "]"),
            None => assignment(
                &prefix,
                &type_expr(catalog, &literals.base).resolve(defined),
            ),
        },
        TypeKind::Union(union) => union_of(
            union
                .variants
                .iter()
                .map(|variant| type_expr(catalog, &Ty::Named(variant.fields)).resolve(defined))
                .collect(),
        ),
        TypeKind::Untagged(variants) => union_of(
            variants
                .iter()
                .map(|variant| type_expr(catalog, &variant.ty).resolve(defined))
                .collect(),
        ),
        TypeKind::Alias(target) => {
            assignment(&prefix, &type_expr(catalog, target).resolve(defined))
        }
    };
    format!("{definition}{}", docstring("", doc))
}

/// The members of a `Literal[...]`, or `None` when a value is one Python's
/// `Literal` cannot hold (a float, an array, an object). `null` is left to
/// the nullable type that refers to this one.
fn literal_members(values: &[serde_json::Value]) -> Option<Vec<String>> {
    values
        .iter()
        .filter(|value| !value.is_null())
        .map(|value| match value {
            serde_json::Value::String(text) => Some(string_literal(text)),
            serde_json::Value::Bool(true) => Some("True".to_string()),
            serde_json::Value::Bool(false) => Some("False".to_string()),
            serde_json::Value::Number(number) if number.is_i64() || number.is_u64() => {
                Some(number.to_string())
            }
            _ => None,
        })
        .collect()
}

/// The keys of an object type, optional ones `NotRequired`.
pub fn struct_entries(catalog: &Catalog, object: &Struct, defined: &HashSet<TypeId>) -> Vec<Entry> {
    object
        .fields
        .iter()
        .map(|field| field_entry(catalog, field, defined))
        .collect()
}

fn field_entry(catalog: &Catalog, field: &Field, defined: &HashSet<TypeId>) -> Entry {
    let ty = type_expr(catalog, &field.ty).resolve(defined);
    Entry {
        key: field.name.clone(),
        annotation: if field.required {
            ty
        } else {
            format!("NotRequired[{ty}]")
        },
        doc: field.description.clone(),
    }
}

/// A `TypedDict`: a class when every key is an attribute name, else the
/// functional form, which keeps any wire key as it is.
pub fn typed_dict(name: &str, doc: &str, bases: &[String], entries: &[Entry]) -> String {
    if entries.iter().all(|entry| is_attribute_name(&entry.key)) {
        typed_dict_class(name, doc, bases, entries)
    } else {
        typed_dict_call(name, doc, entries)
    }
}

fn typed_dict_class(name: &str, doc: &str, bases: &[String], entries: &[Entry]) -> String {
    // A header too long for one line has its bases on the next.
    let mut out = bracketed("", &format!("class {name}"), "(", bases, "):");
    let doc = docstring("    ", doc);
    out.push_str(&doc);
    if !doc.is_empty() && !entries.is_empty() {
        out.push('\n');
    }
    for entry in entries {
        out.push_str(&annotated("    ", &entry.key, &entry.annotation, ""));
        out.push_str(&docstring("    ", entry.doc.as_deref().unwrap_or_default()));
    }
    if doc.is_empty() && entries.is_empty() {
        out.push_str("    pass\n");
    }
    out
}

/// `Name = TypedDict("Name", {...})`, each key's doc as a comment above it.
fn typed_dict_call(name: &str, doc: &str, entries: &[Entry]) -> String {
    let keys: String = entries
        .iter()
        .map(|entry| {
            let key = string_literal(&entry.key);
            format!(
                "{}{}",
                comment("        ", entry.doc.as_deref().unwrap_or_default()),
                annotated("        ", &key, &entry.annotation, ",")
            )
        })
        .collect();
    format!(
        "{name} = TypedDict(\n    {},\n    {{\n{keys}    }},\n)\n{}",
        string_literal(name),
        docstring("", doc)
    )
}
