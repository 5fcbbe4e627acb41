//! The event names a JavaScript/TypeScript frontend handles:
//!
//! - `case "…":` labels directly inside `switch (<expr>.type)` (also
//!   `.event_type`, `.event`, `.kind`, `["type"]`) or `switch (type)` (also
//!   `eventType`, `event_type`). `switch (action.type)` is a Redux reducer,
//!   not an event handler, and is left out.
//! - comparisons of the same with an event-like name, as in `if (msg.type
//!   === "agent_created")` chains (`==`, either side); a name that does not
//!   look like an event's (`input.type === "checkbox"`) is left out.
//! - the top-level keys of handler maps: an object literal assigned to a
//!   name containing `handler` (`const handlers = {`, `this.onHandlers = {`),
//!   declared with or checked against a type whose name ends in `Handlers`
//!   (`const h: BoardHandlers = {`, `{..} satisfies BoardHandlers`), or
//!   passed to `define<X>Handlers({..})`. Spreads and computed keys are skipped.

use std::collections::BTreeSet;
use std::path::Path;

use super::calls::declared_name;
use super::lex::Source;
use super::{Language, Site, SiteKind};

/// Every handled event name in one file, in token order.
pub(crate) fn find(source: &Source<'_>, path: &Path, in_test: bool) -> Vec<Site> {
    let mut found: Vec<(usize, SiteKind)> = switch_cases(source)
        .into_iter()
        .map(|index| (index, SiteKind::SwitchCase))
        .chain(
            comparisons(source)
                .into_iter()
                .map(|index| (index, SiteKind::TypeComparison)),
        )
        .collect();
    for open in handler_maps(source) {
        found.extend(
            object_keys(source, open)
                .into_iter()
                .map(|index| (index, SiteKind::HandlerKey)),
        );
    }
    found.sort_by_key(|(index, _)| *index);
    found
        .into_iter()
        .filter_map(|(index, kind)| {
            let name = source.string(index).or_else(|| source.ident(index))?;
            let (line, column) = source.position(index);
            Some(Site {
                name: name.to_string(),
                path: path.to_path_buf(),
                line,
                column,
                language: Language::JavaScript,
                kind,
                in_test,
            })
        })
        .collect()
}

/// The label tokens of `case "…":` in switches on an event's type.
fn switch_cases(source: &Source<'_>) -> Vec<usize> {
    let mut labels = Vec::new();
    for index in 0..source.len() {
        if !source.is(index, "switch") || !source.is(index + 1, "(") {
            continue;
        }
        let Some(close) = source.partner(index + 1) else {
            continue;
        };
        if !is_event_discriminant(source, index + 2, close) || !source.is(close + 1, "{") {
            continue;
        }
        let Some(end) = source.partner(close + 1) else {
            continue;
        };
        // Labels directly in the body: nested blocks and switches are skipped
        // (a nested switch is visited on its own).
        let mut at = close + 2;
        while at < end {
            if source.is(at, "case") && source.string(at + 1).is_some() && source.is(at + 2, ":") {
                labels.push(at + 1);
            }
            at = source.skip_group(at);
        }
    }
    labels
}

/// The string tokens compared (`===`, `==`) with an event's type.
fn comparisons(source: &Source<'_>) -> Vec<usize> {
    let mut names = Vec::new();
    for index in 0..source.len() {
        let Some(name) = source.string(index) else {
            continue;
        };
        // Event names have words joined (`agent_created`); a single word is
        // more likely a DOM or form value.
        if !crate::init::scan::looks_like_event_name(name) || !name.contains(['_', '.', ':', '-']) {
            continue;
        }
        let before = index
            .checked_sub(1)
            .filter(|&operator| source.is(operator, "===") || source.is(operator, "=="))
            .and_then(|operator| chain_start(source, operator).map(|start| (start, operator)));
        let after = (source.is(index + 1, "===") || source.is(index + 1, "=="))
            .then(|| chain_end(source, index + 2).map(|end| (index + 2, end)))
            .flatten();
        if before
            .or(after)
            .is_some_and(|(from, to)| is_event_discriminant(source, from, to))
        {
            names.push(index);
        }
    }
    names
}

/// Where the member chain ending just before `end` starts (`msg.data.type`,
/// `msg["type"]`, `type`).
fn chain_start(source: &Source<'_>, end: usize) -> Option<usize> {
    let mut at = end.checked_sub(1)?;
    loop {
        if source.is(at, "]") {
            at = at.checked_sub(3).filter(|&open| source.is(open, "["))?;
            at = at.checked_sub(1)?;
        } else if source.ident(at).is_some() {
            match at.checked_sub(1) {
                Some(dot) if source.is(dot, ".") || source.is(dot, "?.") => {
                    at = dot.checked_sub(1)?
                }
                _ => return Some(at),
            }
        } else {
            return None;
        }
    }
}

/// Where the member chain starting at `start` ends (exclusive).
fn chain_end(source: &Source<'_>, start: usize) -> Option<usize> {
    source.ident(start)?;
    let mut at = start + 1;
    loop {
        if (source.is(at, ".") || source.is(at, "?.")) && source.ident(at + 1).is_some() {
            at += 2;
        } else if source.is(at, "[") && source.string(at + 1).is_some() && source.is(at + 2, "]") {
            at += 3;
        } else {
            return Some(at);
        }
    }
}

/// Whether the tokens `from..to` are an event's type: `x.type`, `x?.kind`,
/// `x["type"]`, or a variable named `type`, `eventType` or `event_type`.
fn is_event_discriminant(source: &Source<'_>, from: usize, to: usize) -> bool {
    const FIELDS: &[&str] = &["type", "event_type", "event", "kind"];
    const VARIABLES: &[&str] = &["type", "eventType", "event_type"];
    let length = to.saturating_sub(from);
    if length == 1 {
        return source
            .ident(from)
            .is_some_and(|name| VARIABLES.contains(&name));
    }
    let last = to - 1;
    let (field, object) = if source.is(last, "]") && source.is(to.wrapping_sub(3), "[") {
        (source.string(last - 1), to.checked_sub(4))
    } else if source.is_before(last, ".") || source.is_before(last, "?.") {
        (source.ident(last), last.checked_sub(2))
    } else {
        return false;
    };
    let redux = object.is_some_and(|object| object >= from && source.is(object, "action"));
    length >= 3 && field.is_some_and(|field| FIELDS.contains(&field)) && !redux
}

/// The `{` of every handler map, each once.
fn handler_maps(source: &Source<'_>) -> BTreeSet<usize> {
    let mut opens = BTreeSet::new();
    for index in 0..source.len() {
        let open = if source.is(index, "=") && source.is(index + 1, "{") {
            assigned_handlers(source, index).then_some(index + 1)
        } else if source.is(index, "satisfies") || source.is(index, "as") {
            checked_handlers(source, index)
        } else {
            defined_handlers(source, index)
        };
        opens.extend(open);
    }
    opens
}

/// `name = {` with a handler-ish name, or `const name: XHandlers = {`; not
/// a type alias (`type BoardHandlers = {`).
fn assigned_handlers(source: &Source<'_>, equals: usize) -> bool {
    let Some(target) = equals.checked_sub(1) else {
        return false;
    };
    if source.is_before(target, "type") {
        return false;
    }
    let declared = declared_name(source, equals);
    let name = declared
        .as_deref()
        .or_else(|| source.ident(target))
        .unwrap_or_default();
    // The annotation of `const name: Type =`: back from `=` to the keyword.
    let typed = declared.is_some()
        && (0..equals)
            .rev()
            .take(64)
            .take_while(|&at| {
                !["const", "let", "var", ";"]
                    .iter()
                    .any(|stop| source.is(at, stop))
            })
            .any(|at| is_handlers_type(source, at));
    name.to_ascii_lowercase().contains("handler") || typed || is_handlers_type(source, target)
}

/// `{..} satisfies XHandlers` (or `as XHandlers`, `satisfies Partial<XHandlers>`).
fn checked_handlers(source: &Source<'_>, keyword: usize) -> Option<usize> {
    let close = keyword.checked_sub(1)?;
    if !source.is(close, "}") {
        return None;
    }
    let open = source.partner(close)?;
    let typed = (keyword + 1..source.len())
        .take(8)
        .take_while(|&at| {
            ![";", ",", ")", "=", "{"]
                .iter()
                .any(|stop| source.is(at, stop))
        })
        .any(|at| is_handlers_type(source, at));
    typed.then_some(open)
}

/// `define<X>Handlers({`.
fn defined_handlers(source: &Source<'_>, index: usize) -> Option<usize> {
    let name = source.ident(index)?;
    let define = name.starts_with("define") && name.ends_with("Handlers");
    (define && source.is(index + 1, "(") && source.is(index + 2, "{")).then_some(index + 2)
}

fn is_handlers_type(source: &Source<'_>, index: usize) -> bool {
    source
        .ident(index)
        .is_some_and(|name| name.ends_with("Handlers"))
}

/// The key tokens of the object literal opening at `open`: identifiers and
/// string literals before `:`, `(` (a method), `,` or `}` (shorthand), past
/// `async`, `get`, `set` and `*`.
fn object_keys(source: &Source<'_>, open: usize) -> Vec<usize> {
    let Some(close) = source.partner(open) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for entry in super::calls::split(source, open + 1, close) {
        let mut at = entry.start;
        while at + 1 < entry.end
            && (["async", "get", "set", "*"]
                .iter()
                .any(|word| source.is(at, word)))
            && !is_key_end(source, at + 1)
        {
            at += 1;
        }
        let key = source.ident(at).is_some() || source.string(at).is_some();
        if key && at < entry.end && (at + 1 == entry.end || is_key_end(source, at + 1)) {
            keys.push(at);
        }
    }
    keys
}

fn is_key_end(source: &Source<'_>, index: usize) -> bool {
    source.is(index, ":") || source.is(index, "(") || source.is(index, "?")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::lex::Dialect;

    fn names(text: &str) -> Vec<(String, SiteKind)> {
        let source = Source::new(text, Dialect::JavaScript);
        find(&source, Path::new("a.ts"), false)
            .into_iter()
            .map(|site| (site.name, site.kind))
            .collect()
    }

    fn keys(text: &str) -> Vec<String> {
        names(text).into_iter().map(|(name, _)| name).collect()
    }

    #[test]
    fn every_handler_map_form() {
        let text = r#"
            type BoardHandlers = { not_a_map: () => void };
            const a = defineBoardHandlers({ task_created: f, "task_deleted": IGNORE, ...rest, [computed]: g });
            const b: Partial<BoardHandlers> = { task_updated(payload) { run({ nested_key: 1 }); } };
            const c = { roster_changed: IGNORE } satisfies BoardHandlers;
            this.messageHandlers = { async phase_created() {}, shorthand };
            const other = { not_handlers: 1 };
            const d: Record<string, (p: P) => void> = { not_typed: f };
        "#;
        assert_eq!(
            keys(text),
            [
                "task_created",
                "task_deleted",
                "task_updated",
                "roster_changed",
                "phase_created",
                "shorthand"
            ]
        );
    }

    /// Seed 002's client: `if (msg.type === "…")` chains, either side.
    #[test]
    fn comparison_forms() {
        let text = r#"
            if (msg.type === "agent_created") {} else if ("agent_deleted" == msg["type"]) {}
            if (message?.data.event_type === "task_moved") {}
            if (input.type === "checkbox") {}
            if (action.type === "redux_thing") {}
            if (msg.payload === "not_a_type") {}
            if (msg.type !== "task_hidden") {}
        "#;
        assert_eq!(keys(text), ["agent_created", "agent_deleted", "task_moved"]);
    }

    #[test]
    fn switch_forms() {
        let text = r#"
            switch (message?.event_type) { case "a_done": { switch (inner) { case "x": } } case 'b_done': break; }
            switch (type) { case `c_done`: default: }
            switch (action.type) { case "redux_thing": }
            switch (data["kind"]) { case "d_done": }
            switch (message.payload) { case "not_a_type": }
            const t = `switch (message.type) { case "fake": }`;
        "#;
        assert_eq!(keys(text), ["a_done", "b_done", "c_done", "d_done"]);
        assert!(
            names(text)
                .iter()
                .all(|(_, kind)| *kind == SiteKind::SwitchCase)
        );
    }
}
