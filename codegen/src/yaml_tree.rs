//! The fast way to read a YAML or JSON file into a [`Node`] tree: straight
//! from the YAML parser's events, without serde-saphyr's per-node work.
//!
//! serde-saphyr stays the reference. This reader handles the plain subset
//! catalogs are written in and gives up (`None`) on anything else: a syntax
//! error, an anchor, an alias, a tag, a merge key, a duplicate key, a second
//! document, a deep nest, or a scalar whose type a YAML reader might resolve
//! another way (`yes`, `0x1F`, `1e3`, `.inf`). The caller then reads the file with
//! serde-saphyr, so diagnostics and every unusual case stay exactly its own.
//! Where this reader succeeds it gives the same tree, locations included;
//! `tests/fast_load.rs` compares the two over every catalog the repository
//! and the shared corpora hold.

use std::borrow::Cow;

use granit_parser::{Event, Options, Parser, ScalarStyle, Span as ParserSpan};

use crate::node::{Key, Node, Position, Value};

/// Deeper nests, larger trees and longer texts go to serde-saphyr, whose
/// budget (64 levels, 250,000 nodes) turns hostile ones into a diagnostic.
const MAX_DEPTH: usize = 48;
const MAX_NODES: usize = 200_000;
const MAX_BYTES: usize = 32 << 20;

/// The tree of the one document in `text`, or `None` when serde-saphyr must
/// read it (see the module documentation).
pub fn read(text: &str) -> Option<Node> {
    if text.len() > MAX_BYTES {
        return None;
    }
    // Comments are no nodes; a build with granit's `comments` feature
    // (through another dependency) would report them.
    let mut options = Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut open: Vec<Open> = Vec::new();
    let mut root = None;
    let mut documents = 0;
    let mut nodes = 0;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.ok()?;
        nodes += 1;
        if nodes > MAX_NODES {
            return None;
        }
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                if let Some(map) = open.last_mut().filter(|open| open.wants_key()) {
                    map.key = Some(key(text, style, &span)?);
                    continue;
                }
                scalar(text, style, &span)?
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || open.len() == MAX_DEPTH {
                    return None;
                }
                let value = match event {
                    Event::SequenceStart(..) => Value::Seq(Vec::new()),
                    _ => Value::Map(Vec::new()),
                };
                open.push(Open {
                    node: Node {
                        value,
                        location: location(&span),
                    },
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let mut done = open.pop()?;
                if done.key.is_some() {
                    return None;
                }
                // Most mappings are small, and a vector that doubled its way
                // to them has a quarter to a half of its room spare: a
                // 10,000-event catalog's tree is 18 MiB smaller without it.
                match &mut done.node.value {
                    Value::Seq(items) => items.shrink_to_fit(),
                    Value::Map(entries) => entries.shrink_to_fit(),
                    _ => {}
                }
                done.node
            }
            // Aliases, anchors' names, comments: not the plain subset.
            _ => return None,
        };
        match open.last_mut() {
            Some(parent) => parent.add(node)?,
            None if root.is_none() => root = Some(node),
            None => return None,
        }
    }
    root
}

/// A sequence or mapping being read, with a mapping's key waiting for its
/// value.
struct Open {
    node: Node,
    key: Option<Key>,
}

impl Open {
    /// Whether this is a mapping whose next node is a key.
    fn wants_key(&self) -> bool {
        matches!(self.node.value, Value::Map(_)) && self.key.is_none()
    }

    /// Adds `node` as the next item, or as the value of the waiting key;
    /// `None` for a key that is not a scalar or repeats one.
    fn add(&mut self, node: Node) -> Option<()> {
        match &mut self.node.value {
            Value::Seq(items) => items.push(node),
            Value::Map(entries) => {
                let key = self.key.take()?;
                if entries.iter().any(|(seen, _)| seen.name == key.name) {
                    return None;
                }
                entries.push((key, node));
            }
            _ => return None,
        }
        Some(())
    }
}

/// A scalar's node: quoted and block scalars are strings; a plain scalar
/// must read the same under every YAML resolution, or `None`.
fn scalar(text: Cow<'_, str>, style: ScalarStyle, span: &ParserSpan) -> Option<Node> {
    let value = match style {
        ScalarStyle::Plain => plain(&text)?,
        _ => Value::String(text.into_owned()),
    };
    Some(Node {
        value,
        location: location(span),
    })
}

/// The value of a plain scalar in the forms whose reading is not in doubt:
/// `null`, `Null`, `NULL`, `~` or nothing; `true` and `false`; decimal
/// integers and decimals without a `+`, leading zeros, underscores or an
/// exponent; and text that no YAML reader takes for a number, a boolean
/// or null (`task_run`, `3f6c2a1e-8b4d`, `2024-01-01`, but not `yes`, `0x1F`,
/// `1e3`, `.5` or `+1`). Anything else is `None`.
fn plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    const WORDS: &[&str] = &["y", "yes", "n", "no", "true", "false", "on", "off", "null"];
    if could_be_number(text) {
        return number(text);
    }
    // `.5`, `.inf`, `-.NaN`, `+x`, `~x`: left to serde-saphyr.
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let point = unsigned.strip_prefix('.').is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            || ["inf", "nan"]
                .iter()
                .any(|word| word.eq_ignore_ascii_case(rest))
    });
    let special = point
        || text.starts_with(['+', '~'])
        || text.contains("${")
        || WORDS.iter().any(|word| word.eq_ignore_ascii_case(text));
    (!special).then(|| Value::String(text.to_owned()))
}

/// Whether some YAML reader might take `text` for a number: a sign, then
/// a `0x`/`0o`/`0b` prefix, or digits, dots and underscores with an
/// optional exponent.
fn could_be_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let bytes = unsigned.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'0' && b"xXoObB".contains(&bytes[1]) {
        return true;
    }
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let digits = |part: &str| {
        part.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
    };
    digits(mantissa)
        && mantissa.bytes().any(|b| b.is_ascii_digit())
        && exponent
            .is_none_or(|exponent| digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent)))
}

/// A key's text: any scalar but a plain null, which serde-saphyr refuses
/// as a key, and the merge key `<<`, which it merges.
fn key(text: Cow<'_, str>, style: ScalarStyle, span: &ParserSpan) -> Option<Key> {
    let null = matches!(&*text, "" | "~" | "<<") || text.eq_ignore_ascii_case("null");
    if style == ScalarStyle::Plain && null {
        return None;
    }
    Some(Key {
        name: text.into_owned(),
        location: location(span),
    })
}

/// A decimal integer or decimal number in the plainest form, else `None`.
fn number(text: &str) -> Option<Value> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let decimal = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !decimal(whole) || whole.len() > 1 && whole.starts_with('0') {
        return None;
    }
    match fraction {
        None if text.starts_with('-') => text.parse().ok().map(Value::Int),
        None => {
            let number: u64 = text.parse().ok()?;
            Some(i64::try_from(number).map_or(Value::UInt(number), Value::Int))
        }
        Some(fraction) if decimal(fraction) => {
            let number: f64 = text.parse().ok()?;
            number.is_finite().then_some(Value::Float(number))
        }
        Some(_) => None,
    }
}

/// The position serde-saphyr gives a node at `span`: 1-based line and
/// column, the character range and the byte range.
fn location(span: &ParserSpan) -> Position {
    let start = &span.start;
    let bytes = start
        .byte_offset()
        .zip(span.end.byte_offset())
        .map(|(from, to)| (from as u64, to.saturating_sub(from) as u64));
    Position::new(
        start.line() as u64,
        start.col() as u64 + 1,
        (start.index() as u64, span.len() as u64),
        bytes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree both ways: this reader's (`None` when it gives up) and
    /// serde-saphyr's, as `Debug` text, locations included.
    fn both(text: &str) -> (Option<String>, Result<String, String>) {
        let quick = read(text)
            .and_then(|tree| crate::tree_reader::read::<Node>(tree, text))
            .map(|node| format!("{node:?}"));
        let reference = serde_saphyr::from_str::<Node>(text)
            .map(|node| format!("{node:?}"))
            .map_err(|error| error.to_string());
        (quick, reference)
    }

    #[test]
    fn plain_documents_read_as_serde_saphyr_reads_them() {
        let documents = [
            "a: 1\nb: -2\nc: 1.5\nd: -0.25\ne: 18446744073709551615\n",
            "name: task_created\ndescription: A task was created.\nsince: 0.2\n",
            "x: null\ny: ~\nz:\nw: NULL\nv: true\nu: false\n",
            "$ref: '#/definitions/Id'\n200: ok\ntrue: key\n'quoted': \"v\"\n",
            "list:\n  - a\n  - [1, 2, {k: v}]\n  - {}\n  - []\n",
            "text: |\n  two\n  lines\nfolded: >-\n  one\n  line\n",
            "{\"json\": [1.5, null, \"s\", true], \"nested\": {\"a\": {}}}",
            "path: /a/b\nword: café\nref: $x\nmixed: 'a: b'\n",
            "# comment\nkey: value # trailing\n",
            "---\nonly: one\n...\n",
            "multi: word line\n  continued\n",
            "-0: x\nzero: 0\nminus: -0\n",
        ];
        for text in documents {
            let (quick, reference) = both(text);
            let quick = quick.unwrap_or_else(|| panic!("took the slow path: {text:?}"));
            assert_eq!(Ok(quick), reference, "{text:?}");
        }
    }

    #[test]
    fn anything_in_doubt_is_left_to_serde_saphyr() {
        let documents = [
            "a: yes\n",
            "a: No\n",
            "a: y\n",
            "a: True\n",
            "a: nULL\n",
            "a: 0x1F\n",
            "a: 0o17\n",
            "a: 007\n",
            "a: +1\n",
            "a: 1e3\n",
            "a: 1_000\n",
            "a: .inf\n",
            "a: -.inf\n",
            "a: .5\n",
            "a: 99999999999999999999\n",
            "a: -99999999999999999999\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "a: 1\na: 2\n",
            "--- a\n--- b\n",
            "a: [1, 2\n",
            "? [a]\n: b\n",
            "~: x\n",
            "null: x\n",
        ];
        for text in documents {
            assert_eq!(both(text).0, None, "{text:?}");
        }
    }

    #[test]
    fn line_ends_marks_and_wide_characters_keep_their_places() {
        let documents = [
            "a: 1\r\nb:\r\n  - x\r\n  - \"y\"\r\n",
            "\u{feff}a: 1\nb: two\n",
            "ключ: значение\n日本: 語 と 文\nemoji: 🎉 party\n",
            "text: \"tab\\there\"\nplain: a\tb\n",
            "# only a comment\n",
            "",
        ];
        for text in documents {
            let (quick, reference) = both(text);
            if let Some(quick) = quick {
                assert_eq!(Ok(quick), reference, "{text:?}");
            }
        }
        assert!(
            both(documents[0]).0.is_some(),
            "CRLF files take the fast path"
        );
        assert!(
            both(documents[2]).0.is_some(),
            "wide characters take the fast path"
        );
    }

    #[test]
    fn nests_deeper_than_the_limit_are_left_to_serde_saphyr() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(read(&deep).is_none());
        let shallow = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(read(&shallow).is_some());
    }
}
