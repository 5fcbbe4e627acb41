//! The generated Python modules under the tools a Python backend runs:
//! every catalog of this repository (and a catalog of every construct the
//! renderer handles) renders a module that `mypy --strict` and strict
//! `pyright` accept, that `ruff format` leaves as it is, and whose
//! `encode` writes each catalog example, in its envelope, and each message
//! a seed's system put on the wire (`examples/<seed>/messages/`), as the
//! compact wire JSON; a script that builds all of them as typed dict
//! literals type-checks too. The tools are pinned in `tests/py` (a venv from
//! `requirements.txt`, pyright from `package-lock.json`) and installed by
//! the test when missing: a missing tool fails the test, it never skips.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use eventcat_codegen::model::{Catalog, EnvelopeStyle, Ty, TypeKind};
use eventcat_codegen::source::Sources;
use serde_json::{Map, Value, json};
use support::python::{format_check, py_dir, run, tools, type_check};
use support::{TempDir, workspace_root, write_file};

/// The catalogs this repository lists in `[workspace.metadata.eventcat]`.
fn workspace_catalogs() -> Vec<PathBuf> {
    let root = workspace_root();
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let list = manifest
        .split("catalogs = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("Cargo.toml lists the catalogs");
    let catalogs: Vec<PathBuf> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|path| root.join(path))
        .collect();
    assert!(catalogs.len() >= 3, "{catalogs:?}");
    catalogs
}

fn build(root: &Path, catalog: &Path) -> Catalog {
    let mut sources = Sources::new(root);
    eventcat_codegen::build(&mut sources, catalog).unwrap_or_else(|diagnostics| {
        panic!("{} does not build: {diagnostics:?}", catalog.display())
    })
}

/// A catalog with every construct the renderer handles: keyword and
/// non-identifier keys, nullables, arrays, maps, free-form JSON, string
/// and mixed literal enums, tagged and untagged unions, commands, and an
/// adjacent envelope whose empty payloads are left out.
fn write_constructs(root: &Path) -> PathBuf {
    let settings = json!({
        "channel": "constructs",
        "description": "Every construct of the Python renderer.",
        "protocol_version": 2,
        "envelope": {
            "style": "adjacent",
            "version_field": "v",
            "type_field": "kind",
            "payload_field": "data",
            "omit_empty_payload": true,
            "fields": {
                "type": "object",
                "required": ["seq"],
                "properties": {
                    "seq": {"type": "integer", "minimum": 0, "maximum": 9007199254740991_i64},
                    "trace-id": {"type": "string", "description": "A key that is no identifier."}
                }
            }
        },
        "definitions": {
            "ItemId": {"type": "integer", "minimum": 1, "maximum": 9007199254740991_i64, "description": "An item's id."}
        },
        "events": ["events"],
        "outputs": {"python": "constructs.py"}
    });
    let shape = json!({
        "description": "A shape, told apart by `shape`.",
        "oneOf": [
            {"type": "object", "additionalProperties": false, "required": ["shape", "radius"], "properties": {
                "shape": {"const": "circle"}, "radius": {"type": "number"}}},
            {"type": "object", "additionalProperties": false, "required": ["shape"], "properties": {
                "shape": {"const": "square"}, "side": {"type": ["integer", "null"], "minimum": 0, "maximum": 100}}}
        ]
    });
    let payload = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "class", "a-b", "tags", "counts", "extra", "state", "shape"],
        "properties": {
            "id": {"$ref": "#/$defs/ItemId", "description": "The item.\n\nSecond paragraph with \"quotes\" and a \\ backslash."},
            "class": {"type": "string", "description": "A keyword key."},
            "a-b": {"type": ["string", "null"], "description": "A key with a dash."},
            "with space": {"type": "boolean"},
            "__private": {"type": "integer", "minimum": 0, "maximum": 10},
            "tags": {"type": "array", "items": {"type": ["string", "null"]}},
            "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 1000}},
            "extra": {"x-free-form": true},
            "state": {"type": "string", "enum": ["open", "closed"]},
            "level": {"enum": [1, 2, "max", null]},
            "either": {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0, "maximum": 10}]},
            "shape": shape,
            "nested": {"type": "object", "additionalProperties": false, "properties": {
                "from": {"type": "string"}, "ok": {"type": "boolean"}}}
        }
    });
    let events = json!({
        "resource": "item",
        "description": "An item.",
        "events": [
            {
                "name": "item_changed",
                "description": "An item changed.",
                "since": "0.1",
                "stability": "experimental",
                "payload": payload,
                "examples": [
                    {"id": 1, "class": "c", "a-b": null, "tags": ["x", null], "counts": {"a": 1},
                     "extra": {"any": [1, "two", null, {"deep": true}]}, "state": "open",
                     "shape": {"shape": "circle", "radius": 1.5}},
                    {"id": 2, "class": "é漢🙂 \u{2028}", "a-b": "x", "with space": true, "__private": 3,
                     "tags": [], "counts": {}, "extra": null, "state": "closed", "level": null,
                     "either": 4, "shape": {"shape": "square", "side": null},
                     "nested": {"from": "here", "ok": false}}
                ]
            },
            {
                "name": "item_pinged",
                "description": "Nothing to say: an empty payload, left out on the wire.",
                "since": "0.1",
                "stability": "experimental",
                "payload": {"type": "object", "additionalProperties": false, "properties": {
                    "note": {"type": "string"}}},
                "examples": [{}, {"note": "hi"}]
            }
        ]
    });
    write_file(
        root,
        "catalog.yaml",
        serde_json::to_string_pretty(&settings).unwrap(),
    );
    write_file(
        root,
        "events/item.yaml",
        serde_json::to_string_pretty(&events).unwrap(),
    );
    let commands = json!({
        "resource": "refresh",
        "direction": "client-to-server",
        "events": [{
            "name": "refresh_requested",
            "description": "A client asks for an item again.",
            "since": "0.1",
            "stability": "experimental",
            "payload": {"type": "object", "additionalProperties": false, "required": ["id"], "properties": {
                "id": {"$ref": "#/$defs/ItemId"}}},
            "examples": [{"id": 9}]
        }]
    });
    write_file(
        root,
        "events/refresh.yaml",
        serde_json::to_string_pretty(&commands).unwrap(),
    );
    root.join("catalog.yaml")
}

/// A value of a type, for envelope fields the examples do not carry.
fn sample(catalog: &Catalog, ty: &Ty) -> Value {
    match ty {
        Ty::String(Some(format)) if format == "date-time" => json!("2025-11-08T14:30:45.123Z"),
        Ty::String(_) => json!("s"),
        Ty::Integer { .. } => json!(1),
        Ty::Number => json!(0.5),
        Ty::Boolean => json!(false),
        Ty::Array(_) => json!([]),
        Ty::Map(_) => json!({}),
        Ty::Nullable(_) | Ty::Json | Ty::Null => Value::Null,
        Ty::Named(id) => match &catalog.ty(*id).kind {
            TypeKind::Alias(target) => sample(catalog, target),
            TypeKind::Enum(values) => json!(values.variants[0].value),
            TypeKind::Literals(literals) => literals.values[0].clone(),
            TypeKind::Untagged(variants) => sample(catalog, &variants[0].ty),
            TypeKind::Union(union) => {
                let mut value = sample(catalog, &Ty::Named(union.variants[0].fields));
                value[&union.tag] = json!(union.variants[0].value);
                value
            }
            TypeKind::Struct(object) => Value::Object(
                object
                    .fields
                    .iter()
                    .filter(|field| field.required)
                    .map(|field| (field.name.clone(), sample(catalog, &field.ty)))
                    .collect(),
            ),
        },
    }
}

/// An example payload in the catalog's envelope, keys in wire order.
fn message(catalog: &Catalog, name: &str, payload: &Value) -> Value {
    let envelope = &catalog.envelope;
    let mut message = Map::new();
    if let Some(version) = &envelope.version_field {
        message.insert(version.clone(), json!(catalog.protocol_version));
    }
    message.insert(envelope.type_field.clone(), json!(name));
    if let Some(fields) = catalog.envelope_fields() {
        for field in fields.fields.iter().filter(|field| field.required) {
            message.insert(field.name.clone(), sample(catalog, &field.ty));
        }
    }
    match (&envelope.style, &envelope.payload_field) {
        (EnvelopeStyle::Adjacent, Some(field)) => {
            let empty = payload.as_object().is_some_and(Map::is_empty);
            if !(envelope.omit_empty_payload && empty) {
                message.insert(field.clone(), payload.clone());
            }
        }
        _ => message.extend(payload.as_object().cloned().unwrap_or_default()),
    }
    Value::Object(message)
}

/// A JSON value as a Python literal.
fn literal(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        // JSON's string escapes are Python's too.
        Value::Number(_) | Value::String(_) => value.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(literal).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(key, value)| format!("{}: {}", Value::from(key.as_str()), literal(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A script that builds every example of the catalog as a typed message
/// (and every message the seed recorded), encodes it, and checks the exact
/// wire text and the decoder; and how many messages it checks.
fn round_trip_script(catalog: &Catalog, module: &str, recorded: &[Value]) -> (String, usize) {
    let mut script = String::from("import json\n\nimport ");
    script.push_str(module);
    script.push_str("\n\n");
    let mut checks = 0;
    for family in catalog.families() {
        let union = match family.noun {
            "event" => &family.envelope,
            _ => &family.message,
        };
        let decode = format!("{module}.decode_{}", family.noun);
        script.push_str(&format!(
            "{}: list[tuple[{module}.{union}, str]] = [\n",
            family.constant
        ));
        let examples = family.members.iter().flat_map(|event| {
            event
                .examples
                .iter()
                .map(|example| message(catalog, &event.name, example))
        });
        // The seed's own messages of the family, as its backend writes them.
        let recorded = recorded
            .iter()
            .filter(|message| {
                let name = &message[&catalog.envelope.type_field];
                family
                    .members
                    .iter()
                    .any(|event| name == event.name.as_str())
            })
            .cloned();
        for message in examples.chain(recorded) {
            let wire = Value::from(serde_json::to_string(&message).unwrap());
            script.push_str(&format!("    ({}, {}),\n", literal(&message), wire));
            checks += 1;
        }
        script.push_str(&format!(
            "]\nfor {noun}, wire in {constant}:\n    \
             text = {module}.encode({noun})\n    \
             assert text == wire, (text, wire)\n    \
             assert json.loads(text) == {noun}\n    \
             assert {decode}(text) == json.loads(wire)\n\n",
            constant = family.constant,
            noun = family.noun,
        ));
    }
    script.push_str(&format!("print(\"{checks} messages round-tripped\")\n"));
    (script, checks)
}

/// The messages a seed's system puts on the wire, beside its catalog:
/// `examples/<seed>/messages/<channel>/*.json`, sorted; none elsewhere.
fn recorded_messages(catalog_path: &Path, channel: &str) -> Vec<Value> {
    let dir = catalog_path
        .parent()
        .and_then(Path::parent)
        .map(|seed| seed.join("messages").join(channel));
    let Some(Ok(entries)) = dir.map(fs::read_dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap())
        .collect()
}

/// Renders every catalog's module into `dir` under a unique name, with its
/// round-trip script. (`cargo xtask check` keeps the committed ones current.)
fn render_all(dir: &Path, scratch: &Path) -> Vec<(String, usize)> {
    let root = workspace_root();
    let mut catalogs: Vec<(PathBuf, PathBuf)> = workspace_catalogs()
        .into_iter()
        .map(|catalog| (root.clone(), catalog))
        .collect();
    catalogs.push((scratch.to_path_buf(), write_constructs(scratch)));
    let mut modules = Vec::new();
    for (index, (root, path)) in catalogs.iter().enumerate() {
        let catalog = build(root, path);
        let module = format!("{}_{index}", catalog.channel);
        let python = eventcat_codegen::render::python::module(&catalog);
        fs::write(dir.join(format!("{module}.py")), python).unwrap();
        let recorded = recorded_messages(path, &catalog.channel);
        let (script, checks) = round_trip_script(&catalog, &module, &recorded);
        fs::write(dir.join(format!("check_{module}.py")), script).unwrap();
        modules.push((module, checks));
    }
    modules
}

#[test]
fn generated_modules_type_check_format_and_round_trip() {
    let tools = tools();
    let scratch = TempDir::new("python");
    let dir = scratch.path().join("modules");
    fs::create_dir_all(&dir).unwrap();
    let modules = render_all(&dir, &scratch.path().join("constructs"));
    if let Err(errors) = type_check(&dir) {
        panic!("the generated Python does not type-check:\n{errors}");
    }
    // The modules, not the test scripts.
    let files: Vec<String> = modules
        .iter()
        .map(|(module, _)| format!("{module}.py"))
        .collect();
    if let Err(diff) = format_check(&dir, &files) {
        panic!("`ruff format` would change the generated Python:\n{diff}");
    }
    for (module, examples) in modules {
        let output = run(&tools.python, &[&format!("check_{module}.py")], &dir)
            .unwrap_or_else(|error| panic!("{module} round trip failed:\n{error}"));
        assert_eq!(output.trim(), format!("{examples} messages round-tripped"));
    }
}

#[test]
fn the_type_checkers_reject_a_wrong_message() {
    let scratch = TempDir::new("python-wrong");
    let dir = scratch.path().join("modules");
    fs::create_dir_all(&dir).unwrap();
    let catalog = build(
        &scratch.path().join("constructs"),
        &write_constructs(&scratch.path().join("constructs")),
    );
    let python = eventcat_codegen::render::python::module(&catalog);
    fs::write(dir.join("constructs.py"), python).unwrap();
    let wrong = [
        // An unknown type name.
        "{\"v\": 2, \"kind\": \"item_gone\", \"seq\": 1}",
        // A payload for another type.
        "{\"v\": 2, \"kind\": \"item_changed\", \"seq\": 1, \"data\": {\"note\": \"hi\"}}",
        // A command payload of the wrong type.
        "{\"v\": 2, \"kind\": \"refresh_requested\", \"seq\": 1, \"data\": {\"id\": \"9\"}}",
    ];
    let scripts = wrong.iter().enumerate().map(|(index, message)| {
        let union = if index == 2 {
            "ConstructsCommand"
        } else {
            "ConstructsEnvelope"
        };
        format!("import constructs\n\nmessage: constructs.{union} = {message}\n")
    });
    // Only strict mode rejects an unannotated function: the checks are strict.
    let untyped = "def untyped(x):\n    return x\n".to_string();
    for script in scripts.chain([untyped]) {
        fs::write(dir.join("check.py"), &script).unwrap();
        let tools = tools();
        let mypy = run(
            &tools.mypy,
            &[
                "--strict",
                "--no-incremental",
                "--cache-dir",
                "/dev/null",
                "check.py",
            ],
            &dir,
        );
        assert!(mypy.is_err(), "mypy accepted {script}");
        fs::copy(
            py_dir().join("pyrightconfig.json"),
            dir.join("pyrightconfig.json"),
        )
        .unwrap();
        let pyright = run(
            &tools.pyright,
            &["-p", "pyrightconfig.json", "check.py"],
            &dir,
        );
        assert!(pyright.is_err(), "pyright accepted {script}");
    }
}

#[test]
fn the_module_goes_where_outputs_python_says_and_never_over_a_foreign_file() {
    let scratch = TempDir::new("python-output");
    let root = scratch.path();
    let catalog_path = write_constructs(root);
    let mut sources = Sources::new(root);
    let catalog = eventcat_codegen::build(&mut sources, &catalog_path).unwrap();
    let files = eventcat_codegen::generate(&catalog).unwrap();
    let module = files
        .iter()
        .find(|file| file.path == root.join("constructs.py"))
        .expect("outputs.python puts the module at constructs.py");
    assert!(
        module
            .contents
            .to_string()
            .starts_with("# @generated by eventcat from catalog.yaml. Do not edit.\n")
    );
    fs::write(root.join("constructs.py"), "# hand-written\n").unwrap();
    let foreign =
        eventcat_codegen::output::foreign_files(&sources, &files, &catalog.outputs.command);
    assert_eq!(foreign.len(), 1);
    let rendered = format!("{:?}", foreign[0].diagnostic);
    assert!(rendered.contains("outputs.python"), "{rendered}");
}
