//! Named types that are another's double in the generated Rust: the same
//! items, word for word, but for their own name and doc comment. A catalog
//! repeats shapes (a `status` enum in every event of a resource, an
//! address object in several payloads), and each copy costs the compiler a
//! definition, its derives and its impls. A double is written as an alias
//! of the first type of its shape instead, `pub type Double = First;`, so
//! every public name stays and the compiler checks the shape once.
//!
//! Doubles are found on the rendered text, so nothing the renderer writes
//! can tell them apart: the definition, the reading and writing impls and
//! the typed check (`holds`), whose check indices differ where the schemas'
//! keywords do. A type naming other types matches one naming their
//! doubles' originals, which is found by repeating the search until it
//! finds no more. Payload types and the envelope's fields are never
//! aliased: they have impls of their own (`From`, `Default`, `validate`);
//! nor are types written as an alias already.

use std::hash::BuildHasher;

use crate::FastMap;
use std::hash::Hasher;

use crate::model::{Catalog, TypeId, TypeKind};

/// The originals of the doubles among a catalog's named types.
pub struct Doubles {
    /// By type index: the index of the type it doubles.
    original: Vec<Option<usize>>,
}

impl Doubles {
    /// Finds the doubles among `catalog.types`, given each type's items
    /// (its definition first) and the `holds` impls of the typed checks.
    pub fn find(catalog: &Catalog, items: &[Vec<String>], holds: &[(TypeId, String)]) -> Doubles {
        let names: FastMap<&str, usize> = catalog
            .types
            .iter()
            .enumerate()
            .map(|(index, ty)| (super::rust_text::ident(&ty.name), index))
            .collect();
        let mut holds_of: Vec<Option<&str>> = vec![None; items.len()];
        for (id, text) in holds {
            holds_of[id.0] = Some(text);
        }
        let kept = kept_apart(catalog);
        let shapes: Vec<Option<Shape>> = (0..items.len())
            .map(|index| (!kept[index]).then(|| Shape::of(&items[index], holds_of[index], &names)))
            .collect();
        let mut original: Vec<Option<usize>> = vec![None; items.len()];
        // Each round can let types that name the last round's doubles match.
        while find_round(&shapes, &mut original) {}
        Doubles { original }
    }

    /// The type `index` doubles, when it is a double.
    pub fn original(&self, index: usize) -> Option<usize> {
        self.original[index].map(|first| root(&self.original, first))
    }
}

/// One round: groups the types that are not doubles yet by their shape,
/// with the doubles found so far read as their originals; every type but
/// the first of a group becomes a double of it. Whether it found any.
fn find_round(shapes: &[Option<Shape>], original: &mut [Option<usize>]) -> bool {
    // Shapes by their hash; a hash shared by different shapes is told
    // apart by comparing them.
    let mut firsts: FastMap<u64, Vec<usize>> = FastMap::default();
    let mut found = false;
    for (index, shape) in shapes.iter().enumerate() {
        let Some(shape) = shape else { continue };
        if original[index].is_some() {
            continue;
        }
        let bucket = firsts.entry(shape.hash(index, original)).or_default();
        let first = bucket.iter().copied().find(|&first| {
            shapes[first]
                .as_ref()
                .is_some_and(|other| shape.same_as(index, other, first, original))
        });
        match first {
            Some(first) => {
                original[index] = Some(first);
                found = true;
            }
            None => bucket.push(index),
        }
    }
    found
}

/// The type `index` stands for: itself, or the original it doubles (a
/// type that was an original in one round can be found a double of an
/// earlier type in the next).
fn root(original: &[Option<usize>], mut index: usize) -> usize {
    while let Some(first) = original[index] {
        index = first;
    }
    index
}

/// Types that keep their own definition whatever their shape: those
/// written as an alias already (of a scalar, say), which cost nothing to
/// repeat, and the payloads and envelope fields.
fn kept_apart(catalog: &Catalog) -> Vec<bool> {
    let mut kept: Vec<bool> = catalog
        .types
        .iter()
        .map(|ty| matches!(ty.kind, TypeKind::Alias(_) | TypeKind::Literals(_)))
        .collect();
    for event in &catalog.events {
        kept[event.payload.0] = true;
    }
    if let Some(fields) = catalog.envelope.fields {
        kept[fields.0] = true;
    }
    kept
}

/// A type's text with the places that name a named type marked, so that
/// its key can read each name as its original's. The text is borrowed
/// from the rendered items in parts, never copied: the parts are the
/// items (the definition without its doc comment), each followed by a
/// line break, and the type's `holds`.
struct Shape<'a> {
    parts: Vec<&'a str>,
    /// Where a type is named: the part, the byte range in it, and that
    /// type's index.
    names: Vec<Name>,
}

/// A type's name in one part of a [`Shape`].
struct Name {
    part: usize,
    start: usize,
    end: usize,
    index: usize,
}

impl<'a> Shape<'a> {
    /// The shape of a type's `items` and `holds`.
    fn of(items: &'a [String], holds: Option<&'a str>, names: &FastMap<&str, usize>) -> Shape<'a> {
        let mut parts = Vec::with_capacity(items.len() * 2 + 1);
        for (position, item) in items.iter().enumerate() {
            parts.push(if position == 0 {
                without_doc(item)
            } else {
                item
            });
            parts.push("\n");
        }
        parts.extend(holds);
        let names = parts
            .iter()
            .enumerate()
            .flat_map(|(part, text)| {
                type_names(text, names)
                    .into_iter()
                    .map(move |(start, end, index)| Name {
                        part,
                        start,
                        end,
                        index,
                    })
            })
            .collect();
        Shape { parts, names }
    }

    /// The pieces of the text in order: runs of text between names, and
    /// each name read as `Own` (the type's own) or as the index of the
    /// type it stands for. A run of text may come in several pieces, one
    /// per part it spans: [`same_pieces`] and [`hash_pieces`] read the
    /// runs whole, so two types with the same text and names can stand
    /// for each other however their parts fall.
    fn pieces<'s>(
        &'s self,
        own: usize,
        original: &'s [Option<usize>],
    ) -> impl Iterator<Item = Piece<'s>> + 's {
        let mut names = self.names.iter().peekable();
        let (mut part, mut from) = (0, 0);
        let mut name_next = None;
        std::iter::from_fn(move || {
            if let Some(name) = name_next.take() {
                return Some(name);
            }
            let text = self.parts.get(part)?.as_bytes();
            match names.next_if(|name| name.part == part) {
                Some(name) => {
                    let before = &text[from..name.start];
                    from = name.end;
                    name_next = Some(match name.index == own {
                        true => Piece::Own,
                        false => Piece::Type(root(original, name.index)),
                    });
                    Some(Piece::Text(before))
                }
                None => {
                    let rest = &text[from..];
                    (part, from) = (part + 1, 0);
                    Some(Piece::Text(rest))
                }
            }
        })
    }

    fn hash(&self, own: usize, original: &[Option<usize>]) -> u64 {
        hash_pieces(self.pieces(own, original))
    }

    /// Whether this shape (of type `own`) and `other` (of type `other_own`)
    /// can stand for each other.
    fn same_as(
        &self,
        own: usize,
        other: &Shape,
        other_own: usize,
        original: &[Option<usize>],
    ) -> bool {
        self.names.len() == other.names.len()
            && same_pieces(
                self.pieces(own, original),
                other.pieces(other_own, original),
            )
    }
}

/// A piece of a [`Shape`]'s text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Piece<'s> {
    Text(&'s [u8]),
    Own,
    Type(usize),
}

/// Whether two runs of pieces say the same, text compared as one stream
/// between names wherever its pieces are cut.
fn same_pieces<'s>(
    left: impl Iterator<Item = Piece<'s>>,
    right: impl Iterator<Item = Piece<'s>>,
) -> bool {
    let not_empty = |piece: &Piece| !matches!(piece, Piece::Text([]));
    let (mut left, mut right) = (left.filter(not_empty), right.filter(not_empty));
    let (mut a, mut b) = (left.next(), right.next());
    loop {
        match (a, b) {
            (None, None) => return true,
            (Some(Piece::Text(x)), Some(Piece::Text(y))) => {
                let common = x.len().min(y.len());
                if x[..common] != y[..common] {
                    return false;
                }
                a = match x.len() == common {
                    true => left.next(),
                    false => Some(Piece::Text(&x[common..])),
                };
                b = match y.len() == common {
                    true => right.next(),
                    false => Some(Piece::Text(&y[common..])),
                };
            }
            (Some(x), Some(y)) if x == y => (a, b) = (left.next(), right.next()),
            _ => return false,
        }
    }
}

/// A hash of pieces that [`same_pieces`] finds the same: text goes to the
/// hasher in fixed blocks, so where its pieces are cut does not matter.
fn hash_pieces<'s>(pieces: impl Iterator<Item = Piece<'s>>) -> u64 {
    const BLOCK: usize = 64;
    let mut hasher = foldhash::fast::FixedState::default().build_hasher();
    let mut block = [0u8; BLOCK];
    let mut held = 0;
    for piece in pieces {
        match piece {
            Piece::Text(mut text) => {
                while !text.is_empty() {
                    if held == 0 && text.len() >= BLOCK {
                        // A whole block straight from the text, not copied.
                        let (whole, rest) = text.split_at(BLOCK);
                        hasher.write(whole);
                        text = rest;
                        continue;
                    }
                    let take = (BLOCK - held).min(text.len());
                    block[held..held + take].copy_from_slice(&text[..take]);
                    (held, text) = (held + take, &text[take..]);
                    if held == BLOCK {
                        hasher.write(&block);
                        held = 0;
                    }
                }
            }
            name => {
                hasher.write(&block[..held]);
                held = 0;
                match name {
                    Piece::Type(index) => hasher.write_usize(index),
                    _ => hasher.write_u8(0xff),
                }
            }
        }
    }
    hasher.write(&block[..held]);
    hasher.finish()
}

/// An item without its leading `///` lines.
fn without_doc(item: &str) -> &str {
    let mut rest = item;
    while rest.starts_with("///") {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest
}

/// The places in `text` that name a type of `names`: words (runs of
/// ASCII letters, digits and `_`) that are a type's name, with its index.
/// Type names are UpperCamelCase, so other words are not looked up.
fn type_names(text: &str, names: &FastMap<&str, usize>) -> Vec<(usize, usize, usize)> {
    /// Which bytes make up words, looked up rather than tested: the scan
    /// reads every byte of every type's text.
    const WORD: [bool; 256] = {
        let mut table = [false; 256];
        let mut byte = 0;
        while byte < 256 {
            let b = byte as u8;
            table[byte] = b.is_ascii_alphanumeric() || b == b'_';
            byte += 1;
        }
        table
    };
    let bytes = text.as_bytes();
    let is_word = |byte: u8| WORD[usize::from(byte)];
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !is_word(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        if bytes[start].is_ascii_uppercase()
            && let Some(&index) = names.get(&text[start..at])
        {
            found.push((start, at, index));
        }
    }
    found
}

/// The alias that stands for a double: its own doc comment (from
/// `definition`, the item it would have had), a line naming its original,
/// and `pub type Double = Original;`.
pub fn alias(name: &str, original: &str, definition: &str) -> String {
    let (name, original) = (
        super::rust_text::ident(name),
        super::rust_text::ident(original),
    );
    let doc_len = definition.len() - without_doc(definition).len();
    let mut out = definition[..doc_len].to_string();
    if doc_len > 0 {
        out.push_str("///\n");
    }
    out.push_str(&format!(
        "/// The same type as [`{original}`]: their schemas are the same.\n\
         pub type {name} = {original};\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Checks;
    use crate::render::test_catalog::catalog;

    const SETTINGS: &str = "channel: board\ndescription: The board.\nprotocol_version: 1\nenvelope: {style: adjacent, version_field: protocol_version, type_field: event_type, payload_field: payload}\nevents: [events]\noutputs:\n  python: out/board.py\n";

    /// An event whose payload holds a `status` enum and a `window` object
    /// (whose `status` is an enum too), each described `doc`; `extra` is
    /// more of the window's keywords.
    fn event(name: &str, doc: &str, extra: &str) -> String {
        format!(
            "  - name: {name}\n    description: It happened.\n    since: '0.1'\n    stability: experimental\n    payload:\n      type: object\n      required: [status, window]\n      additionalProperties: false\n      properties:\n        status: {{type: string, enum: [open, closed], description: {doc}}}\n        window:\n          type: object\n          description: {doc}\n          required: [label, status]\n          additionalProperties: false\n          properties:\n            label: {{type: string{extra}}}\n            status: {{type: string, enum: [open, closed]}}\n    examples: [{{status: open, window: {{label: a, status: open}}}}]\n"
        )
    }

    /// The channel module of a catalog of `events` (each from [`event`]).
    fn module(events: &[String]) -> String {
        let events = format!("resource: task\nevents:\n{}", events.concat());
        let catalog = catalog(SETTINGS, &events);
        let module = crate::render::rust::module_rs(&catalog, &Checks::new(&catalog))
            .unwrap()
            .into_string();
        syn::parse_file(&module).expect("the module parses");
        module
    }

    #[test]
    fn a_double_is_an_alias_of_the_first_type_of_its_shape() {
        let module = module(&[
            event("task_opened", "Opened.", ""),
            event("task_closed", "Closed.", ""),
        ]);
        // The enums match at once; the windows once their enums are
        // read as the first one.
        for (double, original) in [
            ("TaskClosedPayloadStatus", "TaskOpenedPayloadStatus"),
            ("TaskOpenedPayloadWindowStatus", "TaskOpenedPayloadStatus"),
            ("TaskClosedPayloadWindowStatus", "TaskOpenedPayloadStatus"),
            ("TaskClosedPayloadWindow", "TaskOpenedPayloadWindow"),
        ] {
            assert!(
                module.contains(&format!("pub type {double} = {original};\n")),
                "{double} = {original}:\n{module}"
            );
            assert!(!module.contains(&format!("impl support::StringEnum for {double} ")));
            assert!(!module.contains(&format!("impl {double} {{")));
        }
        // Each keeps its own doc comment, and the payloads their types.
        assert!(
            module.contains("/// Closed.\n///\n/// The same type as [`TaskOpenedPayloadWindow`]")
        );
        assert!(module.contains("pub struct TaskOpenedPayload {"));
        assert!(module.contains("pub struct TaskClosedPayload {"));
    }

    #[test]
    fn types_whose_checks_differ_are_not_doubles() {
        // The same Rust type, but one window's label has a length limit
        // that its `holds` checks.
        let module = module(&[
            event("task_opened", "Opened.", ""),
            event("task_closed", "Closed.", ", maxLength: 3"),
        ]);
        assert!(
            module.contains("pub struct TaskClosedPayloadWindow {"),
            "{module}"
        );
        assert!(module.contains("impl TaskClosedPayloadWindow {"));
        assert!(
            module.contains("pub type TaskClosedPayloadWindowStatus = TaskOpenedPayloadStatus;")
        );
    }

    #[test]
    fn text_is_read_whole_however_its_parts_fall() {
        use Piece::{Own, Text, Type};
        let whole = [
            Text(b"pub struct "),
            Own,
            Text(b" {\n    a: "),
            Type(3),
            Text(b",\n}\n"),
        ];
        let cut = [
            Text(b"pub str"),
            Text(b""),
            Text(b"uct "),
            Own,
            Text(b" {\n"),
            Text(b"    a: "),
            Type(3),
            Text(b",\n}"),
            Text(b"\n"),
        ];
        assert!(same_pieces(whole.into_iter(), cut.into_iter()));
        assert_eq!(hash_pieces(whole.into_iter()), hash_pieces(cut.into_iter()));
        let long = "x".repeat(150);
        let (first, rest) = long.as_bytes().split_at(70);
        assert_eq!(
            hash_pieces([Text(long.as_bytes()), Own].into_iter()),
            hash_pieces([Text(first), Text(rest), Own].into_iter())
        );
        let other_name = [
            Text(b"pub struct "),
            Own,
            Text(b" {\n    a: "),
            Type(4),
            Text(b",\n}\n"),
        ];
        assert!(!same_pieces(whole.into_iter(), other_name.into_iter()));
        let moved_name = [
            Text(b"pub struct  "),
            Own,
            Text(b"{\n    a: "),
            Type(3),
            Text(b",\n}\n"),
        ];
        assert!(!same_pieces(whole.into_iter(), moved_name.into_iter()));
        let shorter = [
            Text(b"pub struct "),
            Own,
            Text(b" {\n    a: "),
            Type(3),
            Text(b",\n}"),
        ];
        assert!(!same_pieces(whole.into_iter(), shorter.into_iter()));
    }

    #[test]
    fn type_names_are_whole_words() {
        let names = FastMap::from_iter([("A", 0), ("B_2", 1), ("b", 2)]);
        let text = "pub struct A {\n    b: Vec<B_2>,\n    c: AB,\n}";
        let found: Vec<(&str, usize)> = type_names(text, &names)
            .into_iter()
            .map(|(start, end, index)| (&text[start..end], index))
            .collect();
        assert_eq!(found, [("A", 0), ("B_2", 1)]);
    }

    #[test]
    fn an_alias_keeps_the_doubles_doc_comment() {
        let definition = "/// Where it ships.\n/// Two lines.\n#[derive(Debug)]\npub struct B {}\n";
        assert_eq!(
            alias("B", "A", definition),
            "/// Where it ships.\n/// Two lines.\n///\n\
             /// The same type as [`A`]: their schemas are the same.\n\
             pub type B = A;\n"
        );
        assert_eq!(
            alias("B", "A", "pub struct B {}\n"),
            "/// The same type as [`A`]: their schemas are the same.\npub type B = A;\n"
        );
    }
}
