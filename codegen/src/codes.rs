//! Every diagnostic code eventcat reports: its ID, what it means, its
//! default severity and how to fix it, in one table, in the spirit of
//! buf's rule registry and rustc's error index.
//!
//! A [`crate::diagnostic::Diagnostic`] names its code by ID; in debug
//! builds (every test) an ID missing from [`CODES`] panics at once, and a
//! test checks that every code in the table is reported somewhere. The
//! page `docs/diagnostics.md` is generated from this table and the corpus.

/// How bad a finding is unless a setting says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Fails the run.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
}

/// Which stage reports a code, for grouping them on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Finding the project and reading files.
    Files,
    /// The catalog files' shape (keys, value types).
    Shape,
    /// Names, versions and settings of the catalog.
    Catalog,
    /// Payload schemas.
    Schema,
    /// Examples.
    Examples,
    /// The naming lint.
    Naming,
    /// The frozen contract: event-level changes and decisions.
    Contract,
    /// The frozen contract: one code per kind of payload change.
    Compatibility,
    /// Drift between the catalog and the code that emits and handles events.
    Drift,
    /// Generated files.
    Output,
    /// Recorded traffic, checked by `verify`.
    Traffic,
}

/// One diagnostic code.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    /// Stable ID, as printed (`error[unknown-key]`) and as settings name it.
    pub id: &'static str,
    /// The stage that reports it.
    pub stage: Stage,
    /// Its default severity.
    pub level: Level,
    /// What it means, in one line.
    pub summary: &'static str,
    /// How to fix it, in one line.
    pub fix: &'static str,
}

const fn code(
    id: &'static str,
    stage: Stage,
    level: Level,
    summary: &'static str,
    fix: &'static str,
) -> Code {
    Code {
        id,
        stage,
        level,
        summary,
        fix,
    }
}

use Level::{Error as E, Warning as W};
use Stage::*;

/// Every code, grouped by stage.
pub const CODES: &[Code] = &[
    // Files.
    code(
        "no-project",
        Files,
        E,
        "no `eventcat.toml` or `[workspace.metadata.eventcat]` at or above the directory",
        "run `eventcat init` at the repository's root, or pass `--root`",
    ),
    code(
        "two-project-markers",
        Files,
        E,
        "both `eventcat.toml` and `[workspace.metadata.eventcat]` configure one directory",
        "keep one of the two",
    ),
    code(
        "invalid-project-settings",
        Files,
        E,
        "the project settings do not have the expected keys",
        "write `catalogs = [...]` and optionally `command = ...`",
    ),
    code(
        "no-catalogs",
        Files,
        E,
        "the project lists no catalog",
        "list the catalog settings files under `catalogs`",
    ),
    code(
        "unreadable-file",
        Files,
        E,
        "a file cannot be read",
        "check that it exists and is readable",
    ),
    code(
        "not-utf8",
        Files,
        E,
        "a file is not UTF-8",
        "save it as UTF-8",
    ),
    code(
        "yaml-syntax",
        Files,
        E,
        "a file is not valid YAML or JSON",
        "fix the syntax at the place shown",
    ),
    code(
        "events-not-found",
        Files,
        E,
        "an `events:` entry names no event file",
        "fix the path, or add the file",
    ),
    // Shape.
    code(
        "unknown-key",
        Shape,
        E,
        "a key the catalog format does not have",
        "fix the spelling (the hint names the nearest key), or remove it",
    ),
    code(
        "missing-key",
        Shape,
        E,
        "a required key is missing",
        "add it; the editor schema lists every key",
    ),
    code(
        "duplicate-key",
        Shape,
        E,
        "a mapping repeats a key",
        "keep one of the entries",
    ),
    code(
        "wrong-type",
        Shape,
        E,
        "a value has the wrong type (a list where a mapping belongs, ...)",
        "write the value in the shape the editor schema shows",
    ),
    code(
        "unknown-value",
        Shape,
        E,
        "a value outside the allowed set (`stability: stable`)",
        "use one of the values the message lists",
    ),
    code(
        "non-finite-number",
        Shape,
        E,
        "a number is infinite or NaN, which JSON cannot carry",
        "use a finite number, or a string",
    ),
    // Catalog.
    code(
        "invalid-channel-name",
        Catalog,
        E,
        "the channel name is not snake_case",
        "use lowercase letters, digits and single underscores",
    ),
    code(
        "invalid-protocol-version",
        Catalog,
        E,
        "`protocol_version` is zero",
        "start at 1",
    ),
    code(
        "invalid-output-setting",
        Catalog,
        E,
        "an `outputs` setting has a value it cannot take",
        "give the file's path, or `false` for no such file; `asyncapi_version` is `3.1` or `3.0`",
    ),
    code(
        "invalid-package-name",
        Catalog,
        E,
        "`outputs.rust.package` is not a Cargo package name",
        "use ASCII letters, digits, `-` and `_`, starting with a letter",
    ),
    code(
        "invalid-resource-name",
        Catalog,
        E,
        "a resource name is not snake_case",
        "use lowercase words joined by underscores, e.g. `task_run`",
    ),
    code(
        "invalid-event-name",
        Catalog,
        E,
        "an event name or alias is not a wire name",
        "use ASCII letters, digits and underscores, starting with a letter",
    ),
    code(
        "invalid-version",
        Catalog,
        E,
        "`since` is not MAJOR.MINOR or MAJOR.MINOR.PATCH",
        "quote it so YAML keeps it a string: `since: '0.2'`",
    ),
    code(
        "duplicate-event",
        Catalog,
        E,
        "two events (or an alias and an event) share a wire name",
        "rename or remove one",
    ),
    code(
        "name-collision",
        Catalog,
        E,
        "two names become the same identifier after case conversion",
        "rename one of them",
    ),
    code(
        "type-name-collision",
        Catalog,
        E,
        "two payload types get the same generated name",
        "give one a `title`",
    ),
    code(
        "invalid-type-name",
        Catalog,
        E,
        "a `title` or definition name is not a usable type name",
        "use an UpperCamelCase word",
    ),
    code(
        "unknown-naming-policy",
        Catalog,
        E,
        "an event file names a policy `naming.policies` lacks",
        "define the policy, or fix its name",
    ),
    code(
        "unknown-rule",
        Catalog,
        E,
        "a rule ID that is no naming rule",
        "use one of the naming rule IDs",
    ),
    code(
        "invalid-severity",
        Catalog,
        E,
        "a rule severity is not error, warning or off",
        "write `error`, `warning` or `off`",
    ),
    code(
        "unknown-grandfathered",
        Catalog,
        E,
        "a grandfathered name is not an event",
        "remove the entry",
    ),
    code(
        "invalid-attribute",
        Catalog,
        E,
        "an attribute declaration is malformed (name, type or default)",
        "declare `{name, type, default, description}` with a default of the type",
    ),
    code(
        "unknown-attribute",
        Catalog,
        E,
        "an event sets an attribute the catalog does not declare",
        "declare it under `attributes:`, or fix its name",
    ),
    code(
        "attribute-type-mismatch",
        Catalog,
        E,
        "an attribute value has the wrong type",
        "give a value of the declared type",
    ),
    code(
        "envelope-key-collision",
        Catalog,
        E,
        "two envelope keys (or an envelope key and a flat payload field) share a name",
        "rename one of them",
    ),
    code(
        "flat-payload-field",
        Catalog,
        E,
        "a flat envelope names a payload field",
        "remove `payload_field`, or use `style: adjacent`",
    ),
    code(
        "command-with-webhook",
        Catalog,
        E,
        "a client-to-server command declares a webhook",
        "remove `webhook:`: webhooks carry server events only",
    ),
    code(
        "missing-payload",
        Catalog,
        E,
        "an event has no payload schema yet",
        "write `payload:` as a JSON Schema object",
    ),
    // Schema.
    code(
        "unsupported-keyword",
        Schema,
        E,
        "a JSON Schema keyword outside the supported subset (or a misspelt one)",
        "use the supported keywords; the hint names the nearest",
    ),
    code(
        "unsupported-type",
        Schema,
        E,
        "a `type` that names no JSON type",
        "name JSON types: object, array, string, integer, number, boolean, null",
    ),
    code(
        "unsupported-ref",
        Schema,
        E,
        "a `$ref` that does not point into `#/$defs/`",
        "move the schema into `definitions` and refer to `#/$defs/<Name>`",
    ),
    code(
        "dangling-ref",
        Schema,
        E,
        "a `$ref` names no shared definition",
        "fix the name, or add the definition",
    ),
    code(
        "ref-cycle",
        Schema,
        E,
        "a `$ref` leads back to itself",
        "break the cycle",
    ),
    code(
        "unknown-format",
        Schema,
        W,
        "a string `format` one slip away from a format eventcat checks (other names are accepted unchecked)",
        "spell the known format, e.g. `date-time`",
    ),
    code(
        "unsafe-integer",
        Schema,
        W,
        "an integer without bounds inside ±(2^53−1)",
        "choose `large_integers: bigint` or `string` (or `x-large-integer` on it), or bound it inside ±(2^53−1)",
    ),
    code(
        "missing-items",
        Schema,
        E,
        "an array without `items`",
        "add `items:`",
    ),
    code(
        "invalid-enum",
        Schema,
        E,
        "an `enum` that is empty, repeats a value or mixes types",
        "list distinct strings",
    ),
    code(
        "unknown-required",
        Schema,
        E,
        "`required` names a property the object does not have",
        "add the property, or fix the name",
    ),
    code(
        "all-of-conflict",
        Schema,
        E,
        "`allOf` members that are no objects, or that give one property types neither of which narrows the other",
        "make the members agree on the property's type",
    ),
    code(
        "payload-not-object",
        Schema,
        E,
        "a payload that is not an object",
        "wrap the value in an object",
    ),
    code(
        "invalid-schema",
        Schema,
        E,
        "a schema that is not valid JSON Schema",
        "fix the schema at the place shown",
    ),
    // Examples.
    code(
        "missing-example",
        Examples,
        E,
        "an event without an example",
        "add at least one example payload",
    ),
    code(
        "invalid-example",
        Examples,
        E,
        "an example that does not match its schema",
        "fix the example, or the schema if the example is the real wire format",
    ),
    // Naming.
    code(
        "snake-case",
        Naming,
        E,
        "an event name is not lowercase words joined by single underscores",
        "rename it as the hint shows, or grandfather it",
    ),
    code(
        "past-tense-verb",
        Naming,
        E,
        "an event name does not end in a past-tense verb",
        "rename it (`task_create` → `task_created`), or record an exception",
    ),
    code(
        "singular-resource",
        Naming,
        E,
        "a word before the verb is plural",
        "use the singular, or grandfather a shipped name",
    ),
    code(
        "resource-prefix",
        Naming,
        E,
        "an event name does not start with its file's resource",
        "rename it, or move it to its resource's file",
    ),
    code(
        "webhook-dot-form",
        Naming,
        E,
        "an explicit webhook name is not the dot form of the event name",
        "use `resource.verb`, or accept the warning",
    ),
    code(
        "unused-exception",
        Naming,
        W,
        "a naming exception exempts from nothing",
        "remove the exception",
    ),
    // Contract.
    code(
        "invalid-lock",
        Contract,
        E,
        "the contract lock cannot be read",
        "restore it from version control",
    ),
    code(
        "git-failed",
        Contract,
        E,
        "`--against` could not read the lock at a git revision",
        "run in a git checkout with the revision fetched",
    ),
    code(
        "protocol-version-decreased",
        Contract,
        E,
        "`protocol_version` is lower than the lock's",
        "restore the version",
    ),
    code(
        "grandfathered-grew",
        Contract,
        E,
        "a name was added to the grandfathered list",
        "rename the event instead: the list only shrinks",
    ),
    code(
        "event-removed",
        Contract,
        E,
        "a frozen event is gone",
        "restore it, or record the decision with a version bump",
    ),
    code(
        "event-renamed",
        Contract,
        E,
        "a frozen event has a new name",
        "keep the old name as an alias, or record the decision",
    ),
    code(
        "event-unfrozen",
        Contract,
        E,
        "a frozen event is no longer frozen",
        "keep `stability: frozen`",
    ),
    code(
        "event-became-command",
        Contract,
        E,
        "a frozen event now travels client to server",
        "restore its direction, or record the decision",
    ),
    code(
        "webhook-renamed",
        Contract,
        E,
        "a frozen event's webhook name changed",
        "restore the webhook name",
    ),
    code(
        "envelope-changed",
        Contract,
        E,
        "the envelope's layout or own fields changed incompatibly",
        "restore it, or bump `protocol_version`",
    ),
    code(
        "decision-without-bump",
        Contract,
        E,
        "a recorded breaking change is for another protocol version",
        "set `protocol_version` to the decision's",
    ),
    code(
        "unknown-change",
        Contract,
        E,
        "a decision's `allows` names no kind of contract change",
        "name a code `check` printed, e.g. `property-removed`",
    ),
    code(
        "unknown-decision-event",
        Contract,
        E,
        "a recorded breaking change names an event the lock does not have",
        "fix the event name",
    ),
    // Compatibility: each kind of payload change.
    code(
        "property-removed",
        Compatibility,
        E,
        "a property was removed",
        "restore it, or record the decision",
    ),
    code(
        "property-added",
        Compatibility,
        E,
        "a property was added to a closed object",
        "make the object open, or record the decision",
    ),
    code(
        "property-required",
        Compatibility,
        E,
        "an optional property became required",
        "keep it optional, or record the decision",
    ),
    code(
        "property-optional",
        Compatibility,
        E,
        "a required property became optional",
        "keep it required, or record the decision",
    ),
    code(
        "type-changed",
        Compatibility,
        E,
        "a value's type changed",
        "restore the type, or record the decision",
    ),
    code(
        "integer-widened",
        Compatibility,
        E,
        "an integer became a number",
        "keep `integer`, or record the decision",
    ),
    code(
        "number-narrowed",
        Compatibility,
        E,
        "a number became an integer",
        "keep `number`, or record the decision",
    ),
    code(
        "null-allowed",
        Compatibility,
        E,
        "a value may now be null",
        "keep it non-null, or record the decision",
    ),
    code(
        "null-disallowed",
        Compatibility,
        E,
        "a value may no longer be null",
        "keep null allowed, or record the decision",
    ),
    code(
        "enum-value-added",
        Compatibility,
        E,
        "an enum gained a value",
        "record the decision (consumers see an unknown value)",
    ),
    code(
        "enum-value-removed",
        Compatibility,
        E,
        "an enum lost a value",
        "restore the value, or record the decision",
    ),
    code(
        "variant-added",
        Compatibility,
        E,
        "a `oneOf` gained a variant",
        "record the decision",
    ),
    code(
        "variant-removed",
        Compatibility,
        E,
        "a `oneOf` lost a variant",
        "restore the variant, or record the decision",
    ),
    code(
        "additional-properties-changed",
        Compatibility,
        E,
        "`additionalProperties` was loosened or tightened",
        "restore it, or record the decision",
    ),
    code(
        "bound-changed",
        Compatibility,
        E,
        "a bound (`minimum`, `maxLength`, ...) was loosened or tightened",
        "restore the bound, or record the decision",
    ),
    code(
        "format-changed",
        Compatibility,
        E,
        "a `format` or `pattern` was added, removed or changed",
        "restore it, or record the decision",
    ),
    code(
        "const-changed",
        Compatibility,
        E,
        "a `const` changed",
        "restore it, or record the decision",
    ),
    // Drift.
    code(
        "dead-event",
        Drift,
        E,
        "a catalog event that nothing emits",
        "emit it, remove it, or say `emitted_elsewhere:`",
    ),
    code(
        "unregistered-event",
        Drift,
        E,
        "code emits a name that is no catalog event",
        "add the event to the catalog, or fix the name",
    ),
    code(
        "unverifiable-emit",
        Drift,
        E,
        "an emit function receives a computed name",
        "pass a literal, or emit through the generated types",
    ),
    code(
        "uncalled-emit-function",
        Drift,
        W,
        "a configured emit function is called nowhere in the scanned sources",
        "fix its name under `emit_functions`, or remove it",
    ),
    code(
        "unhandled-event",
        Drift,
        E,
        "the frontend has no handler for an event",
        "add the handler (or `IGNORE` it)",
    ),
    code(
        "unknown-handler",
        Drift,
        E,
        "the frontend handles a name that is no event",
        "remove the handler, or fix its name",
    ),
    code(
        "unverifiable-handlers",
        Drift,
        W,
        "a handler map has spread or computed keys",
        "list one handler per event in the literal",
    ),
    code(
        "no-handler-map",
        Drift,
        E,
        "the frontend sources register no handlers eventcat can see",
        "register them with `define<Channel>Handlers({...})`",
    ),
    code(
        "typescript-error",
        Drift,
        E,
        "the frontend's own tsc rejects its code against the generated types",
        "fix the code at the place shown",
    ),
    code(
        "typescript-unavailable",
        Drift,
        W,
        "the frontend was not type-checked: no TypeScript installed",
        "run `npm ci` where the frontend's packages are installed, or name the compiler with `drift.frontend.tsc`",
    ),
    code(
        "typescript-failed",
        Drift,
        E,
        "tsc could not run or printed something unreadable",
        "run tsc by hand to see why",
    ),
    code(
        "rust-parse-error",
        Drift,
        E,
        "a Rust source file does not parse",
        "fix the syntax",
    ),
    code(
        "drift-source-missing",
        Drift,
        E,
        "a drift source path does not exist",
        "fix the path in `drift:`",
    ),
    // Output.
    code(
        "stale-output",
        Output,
        E,
        "a generated file differs from what the catalog generates",
        "run `gen` and commit the result",
    ),
    code(
        "missing-output",
        Output,
        E,
        "a generated file is missing",
        "run `gen` and commit the result",
    ),
    code(
        "foreign-output",
        Output,
        E,
        "a file eventcat did not write sits at an output path",
        "point the output setting elsewhere, or move the file away",
    ),
    code(
        "output-collision",
        Output,
        E,
        "two catalogs generate one path with different contents",
        "give each catalog its own outputs",
    ),
    code(
        "write-failed",
        Output,
        E,
        "writing the generated files failed; nothing was changed",
        "fix the file system problem and run again",
    ),
    code(
        "render-failed",
        Output,
        E,
        "a renderer failed (a bug in eventcat)",
        "report it with the catalog that triggers it",
    ),
    code(
        "malformed-message",
        Traffic,
        E,
        "a recorded message that is not JSON",
        "record the wire text as it was sent, one message per line (or an SSE stream)",
    ),
    code(
        "invalid-message",
        Traffic,
        E,
        "a recorded message that breaks its envelope's or payload's schema; the JSON Pointer and keyword say where",
        "fix the code that builds the message, or the schema if the recording shows the real contract",
    ),
    code(
        "unknown-message-type",
        Traffic,
        E,
        "a recorded message whose type the catalog does not have",
        "add it to the catalog, or stop sending it",
    ),
    code(
        "wrong-direction",
        Traffic,
        E,
        "a command in server traffic, or an event in client traffic",
        "check `--from`, or the message's `direction` in the catalog",
    ),
    code(
        "unseen-message",
        Traffic,
        W,
        "a catalog message of the recorded direction that never appears in the recording",
        "record traffic that exercises it, or check whether anything still sends it",
    ),
];

/// The code with this ID.
pub fn get(id: &str) -> Option<&'static Code> {
    CODES.iter().find(|code| code.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_described() {
        let mut seen = std::collections::HashSet::new();
        for code in CODES {
            assert!(seen.insert(code.id), "{} twice", code.id);
            assert!(
                code.id.split('-').all(|word| !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{}",
                code.id
            );
            assert!(
                !code.summary.is_empty() && !code.fix.is_empty(),
                "{}",
                code.id
            );
        }
    }

    #[test]
    fn stages_are_contiguous_in_the_table() {
        let stages: Vec<Stage> = CODES.iter().map(|code| code.stage).collect();
        assert!(
            stages.windows(2).all(|pair| pair[0] <= pair[1]),
            "group codes by stage"
        );
    }

    /// Every ID the source reports is registered, and every registered ID
    /// is reported somewhere: the table and the code never drift apart.
    #[test]
    fn the_table_and_the_source_agree() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = std::collections::BTreeSet::new();
        // The library and the command line built on it.
        collect_ids(&manifest.join("src"), &mut used);
        collect_ids(&manifest.join("../cli/src"), &mut used);
        for code in CODES {
            assert!(
                used.contains(code.id),
                "`{}` is in CODES but nothing reports it",
                code.id
            );
        }
    }

    /// Every string literal of non-test source that is a registered ID
    /// (an unregistered one panics in `Diagnostic::error` in debug builds).
    fn collect_ids(dir: &std::path::Path, used: &mut std::collections::BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect_ids(&path, used);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") || path.ends_with("codes.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for literal in code.split('"').skip(1).step_by(2) {
                if get(literal).is_some() {
                    used.insert(literal.to_string());
                }
            }
        }
    }
}
