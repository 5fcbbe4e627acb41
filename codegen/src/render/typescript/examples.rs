//! The examples module: every catalog example, typed against the payloads,
//! so `tsc` proves the TypeScript types accept the real wire data.

use crate::contents::Contents;
use indoc::formatdoc;

use super::large_integers::{Table, push_value_literal};
use super::syntax::property_name;
use super::{Family, families};
use crate::model::Catalog;
use crate::render::header;
use crate::render::items::Items;

/// `board.examples.ts`, importing the payload maps from `./<module_stem>.js`.
pub fn examples_module(catalog: &Catalog, module_stem: &str) -> Contents {
    let families = families(catalog);
    let mut items = Items::new();
    let imports: Vec<&str> = families
        .iter()
        .map(|family| family.payloads.as_str())
        .collect();
    items.push(format!(
        "import type {{ {} }} from \"./{module_stem}.js\";",
        imports.join(", ")
    ));
    let large_integers = Table::new(catalog);
    for family in &families {
        items.push(examples_table(catalog, family, &large_integers));
    }
    items.finish(header(catalog, "// "))
}

/// `BOARD_EXAMPLES`: each type name's example payloads, in catalog order.
fn examples_table(catalog: &Catalog, family: &Family, large_integers: &Table) -> String {
    // Events keep the shorter name: they are what most clients mock.
    let constant = match family.noun {
        "event" => catalog.channel.to_uppercase(),
        _ => family.constant.clone(),
    };
    let mut rows = String::new();
    for event in &family.members {
        rows.push_str("  ");
        rows.push_str(&property_name(&event.name));
        rows.push_str(": [\n");
        let payload = large_integers.payload(&event.name);
        for example in &event.examples {
            rows.push_str("    ");
            push_value_literal(&mut rows, example, payload, large_integers, "    ");
            rows.push_str(",\n");
        }
        rows.push_str("  ],\n");
    }
    formatdoc! {"
        /** The catalog's example payloads of every {noun}, for tests and mocks. */
        export const {constant}_EXAMPLES: {{ readonly [K in keyof {payloads}]: readonly {payloads}[K][] }} = {{
        {rows}}};
        ",
        noun = family.noun,
        payloads = family.payloads,
    }
}
