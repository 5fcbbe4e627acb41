//! The catalog's named types as TypeScript declarations: one item each.

use std::collections::HashMap;

use indoc::formatdoc;

use super::syntax::{doc_comment, property_name, string_literal};
use crate::model::{Catalog, Field, IntegerRepr, NamedType, Ty, TypeId, TypeKind};

/// The members of TypeScript's `Object` interface, which every object type has.
const OBJECT_MEMBERS: &[&str] = &[
    "constructor",
    "toString",
    "toLocaleString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
];

/// Every named type, in the model's order.
pub fn named_types(catalog: &Catalog) -> impl Iterator<Item = String> + '_ {
    let variant_tags = catalog.variant_tags();
    let json = catalog.uses_json().then(json_value);
    json.into_iter().chain(
        catalog
            .types
            .iter()
            .enumerate()
            .map(move |(index, ty)| named_type(catalog, TypeId(index), ty, &variant_tags)),
    )
}

/// `JsonValue`, where the catalog opts into free-form JSON.
fn json_value() -> String {
    formatdoc! {"
        /** Free-form JSON, where the catalog opts into it. */
        export type JsonValue = null | boolean | number | string | JsonValue[] | {{ [key: string]: JsonValue }};
    "}
}

fn named_type(
    catalog: &Catalog,
    id: TypeId,
    ty: &NamedType,
    variant_tags: &HashMap<TypeId, (String, String)>,
) -> String {
    let doc = doc_comment("", ty.description.as_deref().unwrap_or_default());
    let name = &ty.name;
    let definition = match &ty.kind {
        TypeKind::Struct(object) => {
            let tag = variant_tags.get(&id).map(|(tag, value)| {
                format!("  {}: {};\n", property_name(tag), string_literal(value))
            });
            let fields: String = object
                .fields
                .iter()
                .map(|field| interface_member(catalog, field))
                .collect();
            // An open object may carry keys it does not list.
            let rest = if object.extra.is_some() {
                "  /** Keys the schema does not list. */\n  [key: string]: unknown;\n"
            } else {
                ""
            };
            format!(
                "export interface {name} {{\n{}{fields}{rest}}}",
                tag.unwrap_or_default()
            )
        }
        TypeKind::Enum(values) => {
            let members: Vec<String> = values
                .variants
                .iter()
                .map(|variant| string_literal(&variant.value))
                .collect();
            format!("export type {name} = {};", members.join(" | "))
        }
        TypeKind::Union(union) => {
            let members: Vec<&str> = union
                .variants
                .iter()
                .map(|variant| catalog.ty(variant.fields).name.as_str())
                .collect();
            format!("export type {name} = {};", members.join(" | "))
        }
        TypeKind::Alias(target) => format!("export type {name} = {};", ts_type(catalog, target)),
        // `null` comes with the nullable type that refers to this one.
        TypeKind::Literals(literals) => {
            let members: Vec<String> = literals
                .values
                .iter()
                .filter(|value| !value.is_null())
                .map(serde_json::Value::to_string)
                .collect();
            format!("export type {name} = {};", members.join(" | "))
        }
        TypeKind::Untagged(variants) => {
            let members: Vec<String> = variants
                .iter()
                .map(|variant| ts_type(catalog, &variant.ty))
                .collect();
            format!("export type {name} = {};", members.join(" | "))
        }
    };
    format!("{doc}{definition}")
}

/// One property of an interface, with its doc comment.
fn interface_member(catalog: &Catalog, field: &Field) -> String {
    let doc = doc_comment("  ", field.description.as_deref().unwrap_or_default());
    let optional = if field.required { "" } else { "?" };
    let mut ty = ts_type(catalog, &field.ty);
    // An absent optional `toString` (or another member every object
    // inherits) reads as the inherited member: say so, or `tsc` rejects
    // every object that leaves the property out.
    if !field.required && OBJECT_MEMBERS.contains(&field.name.as_str()) {
        ty = format!("{ty} | Object[{}]", string_literal(&field.name));
    }
    format!("{doc}  {}{optional}: {ty};\n", property_name(&field.name))
}

/// The TypeScript type of a field or alias.
pub fn ts_type(catalog: &Catalog, ty: &Ty) -> String {
    match ty {
        Ty::String(_) => "string".to_string(),
        Ty::Integer {
            typescript: IntegerRepr::BigInt,
            ..
        } => "bigint".to_string(),
        Ty::Integer {
            typescript: IntegerRepr::String,
            ..
        } => "string".to_string(),
        Ty::Integer { .. } | Ty::Number => "number".to_string(),
        Ty::Boolean => "boolean".to_string(),
        Ty::Array(inner) => match **inner {
            Ty::Nullable(_) => format!("({})[]", ts_type(catalog, inner)),
            _ => format!("{}[]", ts_type(catalog, inner)),
        },
        Ty::Map(inner) => format!("{{ [key: string]: {} }}", ts_type(catalog, inner)),
        Ty::Named(id) => catalog.ty(*id).name.clone(),
        Ty::Nullable(inner) => format!("{} | null", ts_type(catalog, inner)),
        Ty::Json => "JsonValue".to_string(),
        Ty::Null => "null".to_string(),
    }
}
