//! Finds the frontend's handler maps in TypeScript source: the object
//! literal passed to `define<Channel>Handlers(...)` or declared with the
//! `<Channel>Handlers` type, and its top-level keys.
//!
//! A full TypeScript parser is not needed for that: a small lexer that skips
//! strings, template literals, comments and regular nesting finds the object
//! and its keys. `tsc` (run separately) remains the authority on types.

/// A handler map found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerMap {
    /// Byte offset of the object literal's `{`.
    pub start: usize,
    /// The keys, with their byte offsets.
    pub keys: Vec<(String, usize)>,
}

/// Every handler map in `text` for the handler type `handlers_type`
/// (`BoardHandlers`) and its helper `define_function` (`defineBoardHandlers`).
pub fn handler_maps(text: &str, handlers_type: &str, define_function: &str) -> Vec<HandlerMap> {
    let mut maps = Vec::new();
    let bytes = text.as_bytes();
    for anchor in anchors(text, handlers_type, define_function) {
        if let Some(start) = next_object(bytes, anchor) {
            maps.push(HandlerMap {
                start,
                keys: object_keys(bytes, start),
            });
        }
    }
    maps
}

/// Byte offsets right after each `define…Handlers(` call and `: …Handlers =`
/// or `satisfies …Handlers` annotation, outside strings and comments.
fn anchors(text: &str, handlers_type: &str, define_function: &str) -> Vec<usize> {
    let code = code_mask(text.as_bytes());
    let mut found = Vec::new();
    for (needle, after) in [(define_function, "("), (handlers_type, "")] {
        let mut from = 0;
        while let Some(at) = text[from..].find(needle).map(|offset| from + offset) {
            from = at + needle.len();
            let bounded_before = at == 0 || !is_ident_byte(text.as_bytes()[at - 1]);
            let bounded_after = text.as_bytes().get(from).is_none_or(|b| !is_ident_byte(*b));
            if !code[at] || !bounded_before || !bounded_after {
                continue;
            }
            let rest = text[from..].trim_start();
            if !after.is_empty() {
                if rest.starts_with(after) {
                    found.push(text.len() - rest.len() + 1);
                }
                continue;
            }
            // `const x: BoardHandlers = {` or `{...} satisfies BoardHandlers`.
            let before = text[..at].trim_end();
            if before.ends_with(':') && rest.starts_with('=') {
                found.push(text.len() - rest.len() + 1);
            } else if before.ends_with("satisfies")
                && let Some(open) =
                    object_before(text.as_bytes(), &code, before.len() - "satisfies".len())
            {
                found.push(open);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

/// Which bytes are code (not inside a string, template literal or comment).
fn code_mask(bytes: &[u8]) -> Vec<bool> {
    let mut mask = vec![true; bytes.len()];
    let mut at = 0;
    while at < bytes.len() {
        let skip_to = match bytes[at] {
            b'"' | b'\'' | b'`' => end_of_string(bytes, at),
            b'/' if bytes.get(at + 1) == Some(&b'/') => bytes[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| at + n),
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                find(bytes, at + 2, b"*/").map_or(bytes.len(), |n| n + 2)
            }
            _ => {
                at += 1;
                continue;
            }
        };
        for flag in &mut mask[at..skip_to.min(bytes.len())] {
            *flag = false;
        }
        at = skip_to.max(at + 1);
    }
    mask
}

/// The offset just past the string starting at `at` (its quote).
fn end_of_string(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut index = at + 1;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            byte if byte == quote => return index + 1,
            b'\n' if quote != b'`' => return index,
            _ => index += 1,
        }
    }
    bytes.len()
}

/// The `{` of the object literal that starts after `from`, skipping blanks.
fn next_object(bytes: &[u8], from: usize) -> Option<usize> {
    let at = from
        + bytes
            .get(from..)?
            .iter()
            .position(|b| !b.is_ascii_whitespace())?;
    (bytes[at] == b'{').then_some(at)
}

/// The `{` matching the `}` that ends just before `end` (for `{..} satisfies T`).
fn object_before(bytes: &[u8], code: &[bool], end: usize) -> Option<usize> {
    let close = bytes[..end]
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())?;
    if bytes[close] != b'}' {
        return None;
    }
    let mut depth = 0usize;
    for index in (0..=close).rev() {
        if !code[index] {
            continue;
        }
        match bytes[index] {
            b'}' | b')' | b']' => depth += 1,
            b'{' | b'(' | b'[' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (bytes[index] == b'{').then_some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// The top-level keys of the object literal whose `{` is at `open`.
fn object_keys(bytes: &[u8], open: usize) -> Vec<(String, usize)> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut expecting_key = true;
    let mut at = open;
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            b'"' | b'\'' | b'`' => {
                let end = end_of_string(bytes, at);
                if depth == 1 && expecting_key && byte != b'`' {
                    let raw = &bytes[at + 1..end.saturating_sub(1).max(at + 1)];
                    keys.push((String::from_utf8_lossy(raw).into_owned(), at));
                    expecting_key = false;
                }
                at = end;
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |n| at + n);
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = find(bytes, at + 2, b"*/").map_or(bytes.len(), |n| n + 2);
                continue;
            }
            // A computed key (`[name]: ...`) is another key we cannot see.
            b'[' if depth == 1 && expecting_key => {
                keys.push(("[…]".to_string(), at));
                expecting_key = false;
                depth += 1;
            }
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b',' if depth == 1 => expecting_key = true,
            _ if depth == 1
                && expecting_key
                && (byte.is_ascii_alphabetic() || byte == b'_' || byte == b'$') =>
            {
                let end = at
                    + bytes[at..]
                        .iter()
                        .position(|b| !is_ident_byte(*b))
                        .unwrap_or(bytes.len() - at);
                keys.push((String::from_utf8_lossy(&bytes[at..end]).into_owned(), at));
                expecting_key = false;
                at = end;
                continue;
            }
            // A spread (`...other`) contributes keys we cannot see.
            b'.' if depth == 1 && expecting_key => {
                keys.push(("...".to_string(), at));
                expecting_key = false;
            }
            _ => {}
        }
        at += 1;
    }
    keys
}

/// The first place at or after `from` where `needle` stands.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Vec<String>> {
        handler_maps(text, "BoardHandlers", "defineBoardHandlers")
            .into_iter()
            .map(|map| map.keys.into_iter().map(|(key, _)| key).collect())
            .collect()
    }

    #[test]
    fn finds_keys_of_every_handler_map_form() {
        let text = r#"
            // defineBoardHandlers({ not_this: 1 })
            const a = defineBoardHandlers({
              task_created: (payload) => { store.add({ id: payload.task_id }); },
              "task_deleted": IGNORE,
              task_run_started(payload) { log(`started ${payload.task_run_id}`, "}"); },
              /* task_commented: nope, */
            });
            const b: BoardHandlers = { task_updated: handler, ["x"]: y };
            const c = { roster_changed: IGNORE } satisfies BoardHandlers;
            const s = "defineBoardHandlers({ fake: 1 })";
        "#;
        assert_eq!(
            keys(text),
            [
                vec!["task_created", "task_deleted", "task_run_started"],
                vec!["task_updated", "[…]"],
                vec!["roster_changed"],
            ]
        );
    }

    #[test]
    fn spreads_are_reported() {
        assert_eq!(
            keys("defineBoardHandlers({ ...base, task_created: f })"),
            [vec!["...", "task_created"]]
        );
    }
}
