//! The TypeScript side of the benchmarks: a module that registers a handler
//! for every event of a synthetic catalog, and the tsconfig that type-checks
//! it together with the generated module under the harness's strict options.

use std::fmt::Write as _;

use crate::synth::{CHANNEL, SynthCatalog, upper_camel};

/// `handlers.ts`: one handler per event, each reading the payload's id
/// field (so every payload type is checked), built with `define<Channel>Handlers`.
pub fn handlers_module(catalog: &SynthCatalog) -> String {
    let channel = upper_camel(CHANNEL);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Registers a handler for every event of the synthetic catalog (written by bench-report).\n\
         import {{ define{channel}Handlers, type {channel}Handlers }} from \"../generated/ts/{CHANNEL}.js\";\n\
         \n\
         let total = 0;\n\
         \n\
         /** The sum of the ids the handlers have seen. */\n\
         export function handledTotal(): number {{\n  return total;\n}}\n\
         \n\
         export const handlers: {channel}Handlers = define{channel}Handlers({{"
    );
    for event in catalog.events() {
        let _ = writeln!(
            out,
            "  {}: (payload) => {{\n    total += payload.{};\n  }},",
            event.name, event.id_field
        );
    }
    out.push_str("});\n");
    out
}

/// The tsconfig of the type-check: the harness's strict options, emitting
/// to `dist/` (for the dispatch benchmark) unless run with `--noEmit`.
pub fn tsconfig() -> &'static str {
    r#"{
  "compilerOptions": {
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "exactOptionalPropertyTypes": true,
    "noImplicitOverride": true,
    "noFallthroughCasesInSwitch": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": [],
    "rootDir": "..",
    "outDir": "dist"
  },
  "include": ["handlers.ts", "../generated/ts/*.ts"]
}
"#
}

/// `package.json` that makes the emitted JavaScript ES modules.
pub fn package_json() -> &'static str {
    "{ \"private\": true, \"type\": \"module\" }\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    #[test]
    fn one_handler_per_event() {
        let catalog = synth::catalog(12);
        let module = handlers_module(&catalog);
        assert!(module.contains("defineSynthHandlers({"));
        assert_eq!(module.matches("(payload) =>").count(), 12);
        assert!(module.contains(
            "  res0_invoice_created: (payload) => {\n    total += payload.invoice_id;\n  },"
        ));
    }
}
