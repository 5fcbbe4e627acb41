//! The catalog-wide settings: the channel's name and version, where the
//! outputs go, the drift sources and the recorded breaking-change decisions.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::Context;
use crate::codes::Stage;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::RawCatalog;
use crate::model::{
    AsyncApiOutput, AsyncApiVersion, Backend, BreakingDecision, Drift, ManifestValue, Outputs,
    RustCrate, ToolCommand,
};
use crate::names::is_snake_case;
use crate::names::upper_camel_case;
use crate::node::{Node, Position, Value as NodeValue};
use crate::source::{Sources, Span, display_path};

/// The settings the model takes as they are.
pub(super) struct Settings {
    pub channel: String,
    pub channel_ident: String,
    /// Where the catalog says things about itself (its `channel:`).
    pub origin: Location,
    pub outputs: Outputs,
    pub drift: Option<Drift>,
    pub breaking_changes: Vec<BreakingDecision>,
}

/// Reads and checks the settings file's own values.
pub(super) fn read(cx: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) -> Settings {
    let settings = &cx.raw.settings;
    let channel = settings.channel.value.clone();
    let origin = cx.in_settings(settings.channel.referenced);
    if !is_snake_case(&channel) {
        diagnostics.push(
            Diagnostic::error(
                "invalid-channel-name",
                format!("channel name `{channel}` is not snake_case"),
            )
            .at_location(origin, "expected e.g. `board`")
            .help("use lowercase letters, digits and single underscores"),
        );
    }
    if settings.protocol_version.value == 0 {
        diagnostics.push(
            Diagnostic::error("invalid-protocol-version", "`protocol_version` starts at 1")
                .at_location(
                    cx.in_settings(settings.protocol_version.referenced),
                    "zero is not a version",
                ),
        );
    }
    Settings {
        channel_ident: upper_camel_case(&channel),
        outputs: outputs(cx.sources, cx.raw, &channel, diagnostics),
        drift: drift(cx),
        breaking_changes: breaking_changes(cx, diagnostics),
        channel,
        origin,
    }
}

/// The recorded decisions; each allowed change must name a change code.
fn breaking_changes(cx: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) -> Vec<BreakingDecision> {
    let is_change = |id: &str| {
        crate::codes::get(id)
            .is_some_and(|code| matches!(code.stage, Stage::Contract | Stage::Compatibility))
    };
    cx.raw
        .settings
        .breaking_changes
        .iter()
        .map(|decision| {
            for allowed in decision.allows.iter().filter(|allowed| !is_change(&allowed.value)) {
                diagnostics.push(
                    Diagnostic::error("unknown-change", format!("`{}` is not a kind of contract change", allowed.value))
                        .at_location(cx.in_settings(allowed.referenced), "not a change code")
                        .help("name the code a `check` finding printed, e.g. `property-removed` or `event-renamed`"),
                );
            }
            BreakingDecision {
                protocol_version: decision.protocol_version.value,
                event: decision.event.value.clone(),
                change: decision.change.trim().to_string(),
                reason: decision.reason.trim().to_string(),
                allows: decision.allows.iter().map(|allowed| allowed.value.clone()).collect(),
                origin: cx.in_settings(decision.event.referenced),
            }
        })
        .collect()
}

/// Where the code that emits and handles the events lives.
fn drift(cx: &Context<'_>) -> Option<Drift> {
    let drift = cx.raw.settings.drift.as_ref()?;
    let base = catalog_dir(cx.sources, cx.raw);
    let resolve = |relative: &str| normalize(&base.join(relative));
    let sources = |list: &[serde_saphyr::Spanned<String>]| -> Vec<(PathBuf, Location)> {
        list.iter()
            .map(|source| (resolve(&source.value), cx.in_settings(source.referenced)))
            .collect()
    };
    Some(Drift {
        rust_sources: drift
            .rust
            .iter()
            .flat_map(|rust| sources(&rust.sources))
            .collect(),
        emit_functions: drift
            .rust
            .iter()
            .flat_map(|rust| &rust.emit_functions)
            .map(|function| (function.name.clone(), function.event_arg))
            .collect(),
        frontend_sources: drift
            .frontend
            .iter()
            .flat_map(|frontend| sources(&frontend.sources))
            .collect(),
        tsconfig: drift
            .frontend
            .as_ref()
            .and_then(|frontend| frontend.tsconfig.as_deref())
            .map(resolve),
        tsc: drift
            .frontend
            .as_ref()
            .and_then(|frontend| frontend.tsc.as_deref())
            .map(resolve),
        backends: drift
            .backends
            .iter()
            .map(|backend| Backend {
                language: backend.language,
                sources: sources(&backend.sources),
                emit_functions: backend
                    .emit_functions
                    .iter()
                    .map(|function| (function.name.clone(), function.event_arg))
                    .collect(),
            })
            .collect(),
    })
}

/// The output settings, resolved against the catalog's directory.
fn outputs(
    sources: &Sources,
    raw: &RawCatalog,
    channel: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Outputs {
    let settings = &raw.settings.outputs;
    let locate = |location: &Position| Location {
        file: raw.file,
        span: Span::from_location(location, &sources.get(raw.file).text),
    };
    let base = catalog_dir(sources, raw);
    let resolve = |relative: &str| normalize(&base.join(relative));
    let mut origins = BTreeMap::new();
    let mut path_of = |setting: &'static str, value: &Option<serde_saphyr::Spanned<String>>| {
        value.as_ref().map(|value| {
            origins.insert(setting, locate(&value.referenced.into()));
            resolve(&value.value)
        })
    };
    let typescript = path_of("outputs.typescript", &settings.typescript);
    let python = path_of("outputs.python", &settings.python);
    let docs = path_of("outputs.docs", &settings.docs);
    let editor_schemas = path_of("outputs.editor_schemas", &settings.editor_schemas)
        .unwrap_or_else(|| normalize(&base));
    let lock = path_of("lock", &raw.settings.lock)
        .unwrap_or_else(|| resolve(&format!("{channel}.lock.json")));
    let mut optional = |setting: &'static str, node: &Option<Node>, default: String| {
        let Some(node) = node else {
            return Some(resolve(&default));
        };
        let at = locate(&node.location);
        match &node.value {
            NodeValue::String(path) => {
                origins.insert(setting, at);
                Some(resolve(path))
            }
            NodeValue::Bool(false) => None,
            _ => {
                diagnostics.push(
                    Diagnostic::error(
                        "invalid-output-setting",
                        format!("`{setting}` is a path or `false`"),
                    )
                    .at_location(at, format!("found {}", node.kind()))
                    .help(format!(
                        "write a path relative to this file, e.g. `{default}`, or `false` for no such file"
                    )),
                );
                None
            }
        }
    };
    let asyncapi_path = optional(
        "outputs.asyncapi",
        &settings.asyncapi,
        format!("{channel}.asyncapi.yaml"),
    );
    let json_schema = optional(
        "outputs.json_schema",
        &settings.json_schema,
        format!("{channel}.messages.schema.json"),
    );
    let version = asyncapi_version(&settings.asyncapi_version, locate, diagnostics);
    let asyncapi = asyncapi_path.map(|path| AsyncApiOutput { path, version });
    // `package_json` is a flag: a refusal to overwrite the `package.json`
    // points at the module's path, which decides where it goes.
    if let Some(module) = settings
        .typescript
        .as_ref()
        .filter(|_| settings.package_json)
    {
        origins.insert("outputs.package_json", locate(&module.referenced.into()));
    }
    let rust = settings.rust.as_ref().map(|rust| {
        check_package_name(
            &rust.package,
            locate(&rust.package.referenced.into()),
            diagnostics,
        );
        origins.insert("outputs.rust.dir", locate(&rust.dir.referenced.into()));
        RustCrate {
            dir: resolve(&rust.dir.value),
            package: rust.package.value.clone(),
            manifest: manifest_settings(rust),
        }
    });
    Outputs {
        rust,
        typescript,
        package_json: settings.package_json,
        python,
        docs,
        editor_schemas,
        asyncapi,
        json_schema,
        lock,
        origins,
        command: ToolCommand::default(),
        catalog_file: display_path(sources.root(), &sources.get(raw.file).path),
    }
}

/// `outputs.asyncapi_version`: `3.1` unless the catalog asks for `3.0`.
fn asyncapi_version(
    setting: &Option<serde_saphyr::Spanned<String>>,
    locate: impl Fn(&Position) -> Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> AsyncApiVersion {
    let Some(setting) = setting else {
        return AsyncApiVersion::default();
    };
    AsyncApiVersion::parse(&setting.value).unwrap_or_else(|| {
        diagnostics.push(
            Diagnostic::error(
                "invalid-output-setting",
                format!("AsyncAPI version `{}` is not one eventcat writes", setting.value),
            )
            .at_location(locate(&setting.referenced.into()), "expected `3.1` or `3.0`")
            .help("leave `outputs.asyncapi_version` out for 3.1, the newest the AsyncAPI parser accepts"),
        );
        AsyncApiVersion::default()
    })
}

fn check_package_name(
    package: &serde_saphyr::Spanned<String>,
    at: Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let name = &package.value;
    let ok = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        diagnostics.push(
            Diagnostic::error("invalid-package-name", format!("`{name}` is not a Cargo package name"))
                .at_location(at, "in this catalog's `outputs.rust.package`")
                .help("use ASCII letters, digits, `-` and `_`, starting with a letter, e.g. `board-events`"),
        );
    }
}

/// The `[package]` keys the catalog sets itself, in manifest order; the
/// project fills in what the workspace lets the crate inherit.
fn manifest_settings(rust: &crate::raw::RustOutput) -> Vec<(&'static str, ManifestValue)> {
    let text = |key: &'static str, value: &Option<String>| {
        value
            .as_ref()
            .map(|value| (key, ManifestValue::Text(value.clone())))
    };
    [
        text("version", &rust.version),
        text("edition", &rust.edition),
        text("rust-version", &rust.rust_version),
        text("license", &rust.license),
        rust.publish
            .map(|publish| ("publish", ManifestValue::Flag(publish))),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The directory of the catalog settings file: paths in it are relative to it.
fn catalog_dir(sources: &Sources, raw: &RawCatalog) -> PathBuf {
    sources
        .get(raw.file)
        .path
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Resolves `.` and `..` without touching the file system (outputs may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized() {
        assert_eq!(
            normalize(Path::new("/r/schema/../generated/./ts")),
            PathBuf::from("/r/generated/ts")
        );
    }
}
