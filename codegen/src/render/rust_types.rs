//! The channel module's named types as Rust text: structs, string enums,
//! tagged and untagged unions, literal and alias types, each with its
//! reading impls ([`super::rust_reading`]). One named type is a few items,
//! written in prettyplease's layout ([`super::rust_text`]).

use std::fmt::Write;

use super::rust_reading;
use super::rust_text::{
    Call, INDENT, Lone, atom_arm, doc_line, docs, ident, line, line_of, list, method_line, pad,
    string,
};
use super::serde_rename;
use crate::model::{
    Catalog, Field, NamedType, StringEnum, Struct, Ty, TypeKind, Union, UntaggedVariant,
};

/// The Rust type of a field or alias.
pub(super) fn rust_type(catalog: &Catalog, ty: &Ty) -> String {
    let mut out = String::new();
    write_type(&mut out, catalog, ty);
    out
}

fn write_type(out: &mut String, catalog: &Catalog, ty: &Ty) {
    let wrapped = |out: &mut String, open: &str, inner: &Ty| {
        out.push_str(open);
        write_type(out, catalog, inner);
        out.push('>');
    };
    match ty {
        Ty::String(_) => out.push_str("String"),
        Ty::Integer { unsigned: true, .. } => out.push_str("u64"),
        Ty::Integer {
            unsigned: false, ..
        } => out.push_str("i64"),
        // The number as it came, so `5679898` is not written back as `5679898.0`.
        Ty::Number => out.push_str("serde_json::Number"),
        Ty::Boolean => out.push_str("bool"),
        Ty::Array(inner) => wrapped(out, "Vec<", inner),
        // A free-form object keeps its keys in the order they came.
        Ty::Map(inner) if **inner == Ty::Json => {
            out.push_str("serde_json::Map<String, serde_json::Value>");
        }
        // So does a typed one: a message is written back as it came.
        Ty::Map(inner) => wrapped(out, "indexmap::IndexMap<String, ", inner),
        Ty::Named(id) => out.push_str(ident(&catalog.ty(*id).name)),
        Ty::Nullable(inner) => wrapped(out, "Option<", inner),
        Ty::Json => out.push_str("serde_json::Value"),
        // Only `null`: `None`, so an optional one keeps absent and `null` apart.
        Ty::Null => out.push_str("Option<()>"),
    }
}

/// A named type's items: its definition and its impls.
pub(super) fn named_type(catalog: &Catalog, ty: &NamedType) -> Vec<String> {
    let name = ident(&ty.name);
    let doc = ty.description.as_deref();
    match &ty.kind {
        TypeKind::Struct(object) => {
            let mut items = vec![struct_type(catalog, name, doc, object)];
            items.extend(object_writer(&ty.name, object));
            items.extend(rust_reading::object_impls(catalog, &ty.name, object));
            items
        }
        TypeKind::Enum(values) => {
            let mut items = string_enum(name, doc, values).to_vec();
            items.extend(rust_reading::string_enum_impls(&ty.name, values));
            items
        }
        TypeKind::Union(union) => vec![union_type(catalog, name, doc, union)],
        TypeKind::Untagged(variants) => vec![untagged_type(catalog, name, doc, variants)],
        // Rust has no literal types: the values' type, the values in its docs.
        TypeKind::Literals(literals) => {
            let values: Vec<String> = literals
                .values
                .iter()
                .filter(|value| !value.is_null())
                .map(|value| format!("`{value}`"))
                .collect();
            let mut out = String::new();
            docs(&mut out, 0, doc);
            doc_line(&mut out, 0, &format!(" One of: {}.", values.join(", ")));
            let base = rust_type(catalog, &literals.base);
            line(&mut out, 0, &format!("pub type {name} = {base};"));
            vec![out]
        }
        TypeKind::Alias(target) => {
            let mut out = String::new();
            docs(&mut out, 0, doc);
            let target = rust_type(catalog, target);
            line(&mut out, 0, &format!("pub type {name} = {target};"));
            vec![out]
        }
    }
}

/// `pub enum {name} {` or, without variants, `pub enum {name} {}`, after
/// the docs and attributes.
fn open_body(out: &mut String, keyword: &str, name: &str, empty: bool) {
    let close = if empty { "}" } else { "" };
    line_of(out, 0, &["pub ", keyword, " ", name, " {", close]);
}

fn struct_type(catalog: &Catalog, name: &str, doc: Option<&str>, object: &Struct) -> String {
    let mut out = String::new();
    docs(&mut out, 0, doc);
    // An open object keeps serde's derive, which writes the other keys
    // through `flatten`; a closed one has its own `Serialize`.
    let derive = match object.extra {
        Some(_) => "#[derive(Debug, Clone, PartialEq, Serialize)]",
        None => "#[derive(Debug, Clone, PartialEq)]",
    };
    line(&mut out, 0, derive);
    open_body(
        &mut out,
        "struct",
        name,
        object.fields.is_empty() && object.extra.is_none(),
    );
    for field in &object.fields {
        struct_field(&mut out, catalog, field, object.extra.is_some());
    }
    if let Some(extra) = object.extra.as_deref() {
        doc_line(
            &mut out,
            INDENT,
            " Keys the schema does not list, kept as they came so the",
        );
        doc_line(&mut out, INDENT, " message passes through unchanged.");
        line(&mut out, INDENT, "#[serde(flatten)]");
        line(
            &mut out,
            INDENT,
            &format!(
                "pub {}: serde_json::Map<String, serde_json::Value>,",
                ident(extra)
            ),
        );
    }
    if !object.fields.is_empty() || object.extra.is_some() {
        out.push_str("}\n");
    }
    out
}

/// A field; `Option` carries optionality and nullability so the wire form
/// survives a round trip: absent stays absent, `null` stays `null`. Only a
/// struct that serde's derive writes (`derived`) has serde's attributes.
fn struct_field(out: &mut String, catalog: &Catalog, field: &Field, derived: bool) {
    docs(out, INDENT, field.description.as_deref());
    if derived && field.rust_ident.trim_start_matches("r#") != field.name {
        line_of(
            out,
            INDENT,
            &["#[serde(rename = ", &string(&field.name), ")]"],
        );
    }
    // Read by `support::Object` (see `rust_reading`): only serde's
    // writing attributes here.
    let ty = rust_type(catalog, &field.ty);
    let name = ident(&field.rust_ident);
    if field.required {
        line_of(out, INDENT, &["pub ", name, ": ", &ty, ","]);
    } else {
        if derived {
            line(
                out,
                INDENT,
                "#[serde(skip_serializing_if = \"Option::is_none\")]",
            );
        }
        line_of(out, INDENT, &["pub ", name, ": Option<", &ty, ">,"]);
    }
}

/// `Serialize` for a closed struct: each field handed to the support
/// module's `Writer` by its wire name, an optional one only when present.
/// `None` for an open struct, whose derive writes it.
fn object_writer(type_name: &str, object: &Struct) -> Option<String> {
    if object.extra.is_some() {
        return None;
    }
    let body = 2 * INDENT;
    let mut out = format!(
        "impl Serialize for {} {{\n    \
         fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{\n",
        ident(type_name)
    );
    let present: Vec<String> = object
        .fields
        .iter()
        .filter(|field| !field.required)
        .map(|field| format!("self.{}.is_some()", ident(&field.rust_ident)))
        .collect();
    let present = if present.is_empty() {
        "&[]"
    } else {
        list(
            &mut out,
            body,
            "let present = [",
            &present,
            "];",
            Lone::Plain,
        );
        "&present"
    };
    let required = object.fields.iter().filter(|field| field.required).count();
    let binding = if object.fields.is_empty() {
        "let object = "
    } else {
        "let mut object = "
    };
    let args = [
        "serializer".to_string(),
        string(type_name),
        required.to_string(),
        present.to_string(),
    ];
    let start = Call {
        head: "support::Writer::new",
        args: &args,
    };
    pad(&mut out, body);
    out.push_str(binding);
    start.write(&mut out, body, body + binding.len() + "?;".len());
    out.push_str("?;\n");
    for field in &object.fields {
        let method = if field.required { "field" } else { "optional" };
        let args = [
            string(&field.name),
            format!("&self.{}", ident(&field.rust_ident)),
        ];
        method_line(
            &mut out,
            body,
            "object",
            &Call {
                head: method,
                args: &args,
            },
        );
    }
    line(&mut out, body, "object.end()");
    out.push_str("    }\n}\n");
    Some(out)
}

/// A string enum, its `as_str` (which is also how it is written) and its
/// `Serialize`.
fn string_enum(name: &str, doc: Option<&str>, values: &StringEnum) -> [String; 3] {
    let mut definition = String::new();
    docs(&mut definition, 0, doc);
    line(
        &mut definition,
        0,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]",
    );
    open_body(&mut definition, "enum", name, values.variants.is_empty());
    for variant in &values.variants {
        doc_line(
            &mut definition,
            INDENT,
            &[" `", &shown_in_doc(&variant.value), "`"].concat(),
        );
        line_of(&mut definition, INDENT, &[ident(&variant.ident), ","]);
    }
    if !values.variants.is_empty() {
        definition.push_str("}\n");
    }
    let mut as_str = format!(
        "impl {name} {{\n    \
         /// The value as it appears on the wire.\n    \
         pub const fn as_str(self) -> &'static str {{\n        \
         match self {{{}\n",
        if values.variants.is_empty() { "}" } else { "" }
    );
    for variant in &values.variants {
        let pattern = ["Self::", ident(&variant.ident)].concat();
        atom_arm(&mut as_str, 3 * INDENT, &pattern, &string(&variant.value));
    }
    if !values.variants.is_empty() {
        line(&mut as_str, 2 * INDENT, "}");
    }
    as_str.push_str("    }\n}\n");
    let serialize = format!(
        "impl Serialize for {name} {{\n    \
         fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{\n        \
         serializer.serialize_str(self.as_str())\n    \
         }}\n\
         }}\n"
    );
    [definition, as_str, serialize]
}

/// A wire value as a doc comment can show it: control characters (line
/// breaks) cannot stand in one, so they are escaped.
fn shown_in_doc(wire: &str) -> String {
    let mut shown = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// A `oneOf` with a discriminator: an internally tagged enum.
fn union_type(catalog: &Catalog, name: &str, doc: Option<&str>, union: &Union) -> String {
    let naming = serde_rename::Naming::of(
        union
            .variants
            .iter()
            .map(|variant| (ident(&variant.ident).to_string(), variant.value.as_str())),
    );
    let mut out = String::new();
    docs(&mut out, 0, doc);
    line(
        &mut out,
        0,
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]",
    );
    let mut serde = format!("#[serde(tag = {}", string(&union.tag));
    if let Some(rule) = naming.rule() {
        let _ = write!(serde, ", rename_all = {}", string(rule));
    }
    serde.push_str(")]");
    line(&mut out, 0, &serde);
    open_body(&mut out, "enum", name, union.variants.is_empty());
    for (index, variant) in union.variants.iter().enumerate() {
        let fields = catalog.ty(variant.fields);
        docs(&mut out, INDENT, fields.description.as_deref());
        if naming.needs_rename(index) {
            line(
                &mut out,
                INDENT,
                &format!("#[serde(rename = {})]", string(&variant.value)),
            );
        }
        line(
            &mut out,
            INDENT,
            &format!("{}({}),", ident(&variant.ident), ident(&fields.name)),
        );
    }
    if !union.variants.is_empty() {
        out.push_str("}\n");
    }
    out
}

/// A `oneOf`/`anyOf` without a discriminator: serde tries the variants in
/// order and takes the first that reads the value.
fn untagged_type(
    catalog: &Catalog,
    name: &str,
    doc: Option<&str>,
    variants: &[UntaggedVariant],
) -> String {
    let mut out = String::new();
    docs(&mut out, 0, doc);
    line(
        &mut out,
        0,
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]",
    );
    line(&mut out, 0, "#[serde(untagged)]");
    open_body(&mut out, "enum", name, variants.is_empty());
    for variant in variants {
        let ty = rust_type(catalog, &variant.ty);
        line(
            &mut out,
            INDENT,
            &format!("{}({ty}),", ident(&variant.ident)),
        );
    }
    if !variants.is_empty() {
        out.push_str("}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::rust_text::tests::assert_laid_out;
    use super::*;

    fn field(name: &str, required: bool) -> Field {
        Field {
            name: name.to_string(),
            rust_ident: name.to_string(),
            description: None,
            ty: Ty::Boolean,
            required,
        }
    }

    /// A struct's `Serialize` at every width of its name and fields, up to
    /// fields of 57 characters: beyond, prettyplease breaks `self.{field}`
    /// itself over two lines, which this writer does not, so the module
    /// hands such an item to prettyplease (`Items::push_laid_out`).
    #[test]
    fn struct_writers_are_laid_out_as_prettyplease_lays_them_out() {
        for width in 0..56 {
            let long = format!("f{}", "x".repeat(width));
            for fields in [
                vec![],
                vec![field(&long, true)],
                vec![field("id", true), field(&long, false)],
                (0..width / 8)
                    .map(|i| field(&format!("{long}{i}"), false))
                    .collect(),
            ] {
                let object = Struct {
                    fields,
                    deny_unknown: true,
                    extra: None,
                };
                let name = format!("T{}", "y".repeat(width));
                let item = object_writer(&name, &object).expect("a closed struct");
                assert_laid_out(&item);
            }
        }
    }

    /// Every named type of the test catalogs, each item as prettyplease
    /// lays it out.
    #[test]
    fn named_types_are_laid_out_as_prettyplease_lays_them_out() {
        for catalog in super::super::test_catalog::repository_catalogs() {
            for ty in &catalog.types {
                for item in named_type(&catalog, ty) {
                    assert_laid_out(&item);
                }
            }
        }
    }
}
