//! A small lexer for Python and JavaScript/TypeScript: enough to see calls,
//! function definitions, `switch`es and object literals without being fooled
//! by comments, strings, f-strings and template literals.
//!
//! It never fails: an unterminated string ends at its line (or the file's)
//! end, and any other byte is punctuation. A string that is not closed on
//! its line damages one line at most, which matters for JSX text such as
//! `<p>Don't</p>`, where the apostrophe is not a quote.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Python,
    JavaScript,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    /// A string literal and its value; `None` when the text alone does not
    /// give the value (an f-string or template with `{..}`, a bytes literal).
    Str(Option<String>),
    Number,
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Operators longer than one byte, longest first, so that `=` is never
/// mistaken for a part of `==`, `=>` or `<=`.
const OPERATORS: &[&str] = &[
    "===", "!==", "**=", "//=", ">>=", "<<=", "...", "==", "!=", "<=", ">=", "->", "=>", "**",
    "//", "?.", "??", ":=", "+=", "-=", "*=", "/=", "%=", "&&", "||", "++", "--",
];

/// Keywords after which a JavaScript `/` starts a regular expression.
const REGEX_AFTER: &[&str] = &[
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "instanceof",
    "yield",
    "await",
];

/// How deep strings may nest inside interpolations before the lexer stops
/// looking inside them: deeper nesting is not code anyone writes, and the
/// limit keeps hostile input from exhausting the stack.
const MAX_NESTING: usize = 32;

/// A tokenized file, with the bracket pairs and line starts the finders use.
pub(crate) struct Source<'a> {
    pub text: &'a str,
    pub dialect: Dialect,
    pub tokens: Vec<Token>,
    /// For each bracket token, the index of its partner.
    pairs: Vec<Option<usize>>,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str, dialect: Dialect) -> Self {
        let tokens = tokens(text, dialect);
        let pairs = pairs(text, &tokens);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Source {
            text,
            dialect,
            tokens,
            pairs,
            line_starts,
        }
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// The text of token `index` ("" past the end).
    pub fn text(&self, index: usize) -> &'a str {
        self.tokens
            .get(index)
            .and_then(|token| self.text.get(token.start..token.end))
            .unwrap_or("")
    }

    /// Whether token `index` is the identifier or punctuation `text`.
    pub fn is(&self, index: usize, text: &str) -> bool {
        self.tokens
            .get(index)
            .is_some_and(|token| !matches!(token.kind, Kind::Str(_)))
            && self.text(index) == text
    }

    /// Whether the token before `index` is `text`.
    pub fn is_before(&self, index: usize, text: &str) -> bool {
        index
            .checked_sub(1)
            .is_some_and(|before| self.is(before, text))
    }

    pub fn ident(&self, index: usize) -> Option<&'a str> {
        let token = self.tokens.get(index)?;
        (token.kind == Kind::Ident).then(|| self.text(index))
    }

    /// The value of a string literal token whose value is known.
    pub fn string(&self, index: usize) -> Option<&str> {
        match &self.tokens.get(index)?.kind {
            Kind::Str(value) => value.as_deref(),
            _ => None,
        }
    }

    /// The matching bracket of the bracket token at `index`.
    pub fn partner(&self, index: usize) -> Option<usize> {
        self.pairs.get(index).copied().flatten()
    }

    /// The index after the bracket group opening at `index`, or `index + 1`
    /// for any other token (an unmatched opener too).
    pub fn skip_group(&self, index: usize) -> usize {
        match self.partner(index) {
            Some(close) if close > index => close + 1,
            _ => index + 1,
        }
    }

    pub fn is_opener(&self, index: usize) -> bool {
        ["(", "[", "{"].iter().any(|open| self.is(index, open))
    }

    pub fn is_closer(&self, index: usize) -> bool {
        [")", "]", "}"].iter().any(|close| self.is(index, close))
    }

    /// The 1-based line and character column where token `index` starts.
    pub fn position(&self, index: usize) -> (usize, usize) {
        let offset = self
            .tokens
            .get(index)
            .map_or(self.text.len(), |token| token.start);
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self
            .line_starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |text| text.chars().count());
        (line.max(1), column + 1)
    }

    /// The indentation (leading blanks, in bytes) of the line token `index` is on.
    pub fn indent(&self, index: usize) -> usize {
        let offset = self.tokens.get(index).map_or(0, |token| token.start);
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self
            .line_starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        self.text.as_bytes()[start..]
            .iter()
            .take_while(|byte| matches!(byte, b' ' | b'\t'))
            .count()
    }

    /// The text between token `index - 1` and token `index`.
    pub fn gap_before(&self, index: usize) -> &'a str {
        let end = index
            .checked_sub(1)
            .and_then(|before| self.tokens.get(before))
            .map_or(0, |token| token.end);
        let start = self
            .tokens
            .get(index)
            .map_or(self.text.len(), |token| token.start);
        self.text.get(end..start).unwrap_or("")
    }
}

/// Pairs brackets. A closer without a matching opener on the stack is
/// ignored; one that matches a deeper opener drops the unclosed ones above
/// it, so one stray bracket does not unpair the rest of the file.
fn pairs(text: &str, tokens: &[Token]) -> Vec<Option<usize>> {
    let mut pairs = vec![None; tokens.len()];
    let mut open: Vec<(usize, u8)> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        if token.kind != Kind::Punct || token.end != token.start + 1 {
            continue;
        }
        let byte = text.as_bytes()[token.start];
        let opener = match byte {
            b'(' | b'[' | b'{' => {
                open.push((index, byte));
                continue;
            }
            b')' => b'(',
            b']' => b'[',
            b'}' => b'{',
            _ => continue,
        };
        if let Some(depth) = open.iter().rposition(|&(_, kind)| kind == opener) {
            let partner = open[depth].0;
            open.truncate(depth);
            pairs[index] = Some(partner);
            pairs[partner] = Some(index);
        }
    }
    pairs
}

/// The tokens of `text`, comments and blanks dropped.
pub(crate) fn tokens(text: &str, dialect: Dialect) -> Vec<Token> {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        dialect,
        tokens: Vec::new(),
    };
    let mut at = 0;
    while at < lexer.bytes.len() {
        at = lexer.step(at).max(at + 1);
    }
    lexer.tokens
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    dialect: Dialect,
    tokens: Vec<Token>,
}

/// How a string is quoted.
#[derive(Clone, Copy)]
struct Style {
    quote: u8,
    triple: bool,
    raw: bool,
    /// Python f-string (or t-string): `{..}` interpolates, `{{` is a brace.
    format: bool,
    /// JavaScript template literal: `${..}` interpolates, lines may break.
    template: bool,
}

/// Where a string ends and what it holds.
struct Scanned {
    end: usize,
    content: Range<usize>,
    interpolated: bool,
}

impl Lexer<'_> {
    /// Lexes what starts at `at`; returns where the next thing starts.
    fn step(&mut self, at: usize) -> usize {
        let byte = self.bytes[at];
        let next = self.bytes.get(at + 1).copied();
        let javascript = self.dialect == Dialect::JavaScript;
        if byte.is_ascii_whitespace() {
            at + 1
        } else if byte == b'#' && !javascript || byte == b'/' && javascript && next == Some(b'/') {
            line_end(self.bytes, at)
        } else if byte == b'/' && javascript && next == Some(b'*') {
            find(self.bytes, at + 2, b"*/").map_or(self.bytes.len(), |close| close + 2)
        } else if byte == b'"' || byte == b'\'' || byte == b'`' && javascript {
            self.string(at, at)
        } else if byte == b'/' && javascript && self.regex_allowed() {
            match regex_end(self.bytes, at) {
                Some(end) => end,
                None => self.push(Kind::Punct, at, at + 1),
            }
        } else if is_ident_byte(byte, self.dialect) && !byte.is_ascii_digit() {
            self.ident(at)
        } else if byte.is_ascii_digit() {
            let end = at
                + run(&self.bytes[at..], |b| {
                    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
                });
            self.push(Kind::Number, at, end)
        } else {
            let rest = &self.bytes[at..];
            let length = OPERATORS
                .iter()
                .find(|operator| rest.starts_with(operator.as_bytes()))
                .map_or(1, |operator| operator.len());
            self.push(Kind::Punct, at, at + length)
        }
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize) -> usize {
        self.tokens.push(Token { kind, start, end });
        end
    }

    /// An identifier, or in Python a string with a prefix (`f"..."`, `rb'..'`).
    fn ident(&mut self, at: usize) -> usize {
        let dialect = self.dialect;
        let end = at + run(&self.bytes[at..], |byte| is_ident_byte(byte, dialect));
        let prefix = self.text.get(at..end).unwrap_or("").to_ascii_lowercase();
        let quoted = matches!(self.bytes.get(end), Some(b'"' | b'\''));
        let is_prefix = matches!(
            prefix.as_str(),
            "r" | "u" | "b" | "f" | "t" | "br" | "rb" | "fr" | "rf" | "tr" | "rt"
        );
        if dialect == Dialect::Python && quoted && is_prefix {
            return self.string(at, end);
        }
        self.push(Kind::Ident, at, end)
    }

    /// A string whose token starts at `start` (its prefix) and whose quote is at `quote_at`.
    fn string(&mut self, start: usize, quote_at: usize) -> usize {
        let prefix = self
            .text
            .get(start..quote_at)
            .unwrap_or("")
            .to_ascii_lowercase();
        let style = Style {
            raw: prefix.contains('r'),
            format: prefix.contains('f') || prefix.contains('t'),
            ..self.style_at(quote_at)
        };
        let scanned = self.scan_string(quote_at, style, 0);
        let value = (!scanned.interpolated && !prefix.contains('b'))
            .then(|| unescape(self.text.get(scanned.content.clone()).unwrap_or(""), style));
        self.push(Kind::Str(value), start, scanned.end)
    }

    /// The style of an unprefixed string whose quote is at `at`.
    fn style_at(&self, at: usize) -> Style {
        let quote = self.bytes[at];
        let python = self.dialect == Dialect::Python;
        Style {
            quote,
            triple: python && self.bytes[at..].starts_with(&[quote; 3]),
            raw: false,
            format: false,
            template: !python && quote == b'`',
        }
    }

    fn scan_string(&self, quote_at: usize, style: Style, depth: usize) -> Scanned {
        let bytes = self.bytes;
        let quote_len = if style.triple { 3 } else { 1 };
        let open = (quote_at + quote_len).min(bytes.len());
        let mut at = open;
        let mut interpolated = false;
        let done = |end: usize, close: usize, interpolated| Scanned {
            end,
            content: open..close.max(open),
            interpolated,
        };
        while at < bytes.len() {
            let byte = bytes[at];
            let next = bytes.get(at + 1).copied();
            if byte == b'\\' {
                at += 2;
            } else if byte == b'\n' && !style.triple && !style.template {
                return done(at, at, interpolated);
            } else if byte == style.quote && (!style.triple || bytes[at..].starts_with(&[byte; 3]))
            {
                return done(at + quote_len, at, interpolated);
            } else if style.format && byte == b'{' && next == Some(b'{') {
                at += 2;
            } else if style.format && byte == b'{'
                || style.template && byte == b'$' && next == Some(b'{')
            {
                interpolated = true;
                let inside = if style.template { at + 2 } else { at + 1 };
                at = self.skip_interpolation(inside, style.triple || style.template, depth + 1);
            } else {
                at += 1;
            }
        }
        done(bytes.len(), bytes.len(), interpolated)
    }

    /// The index just past the `}` that closes an interpolation whose code
    /// starts at `at`, stepping over nested brackets and strings.
    fn skip_interpolation(&self, mut at: usize, multiline: bool, depth: usize) -> usize {
        let bytes = self.bytes;
        let mut nesting = 0usize;
        while at < bytes.len() {
            let byte = bytes[at];
            let quote = byte == b'"'
                || byte == b'\''
                || byte == b'`' && self.dialect == Dialect::JavaScript;
            if quote && depth < MAX_NESTING {
                at = self
                    .scan_string(at, self.style_at(at), depth)
                    .end
                    .max(at + 1);
                continue;
            }
            match byte {
                b'{' | b'(' | b'[' => nesting += 1,
                b'}' | b')' | b']' if nesting == 0 => return at + 1,
                b'}' | b')' | b']' => nesting -= 1,
                b'\n' if !multiline => return at,
                _ => {}
            }
            at += 1;
        }
        bytes.len()
    }

    /// Whether a `/` here starts a regular expression rather than a division.
    fn regex_allowed(&self) -> bool {
        let Some(last) = self.tokens.last() else {
            return true;
        };
        let text = self.text.get(last.start..last.end).unwrap_or("");
        match last.kind {
            Kind::Number | Kind::Str(_) => false,
            Kind::Ident => REGEX_AFTER.contains(&text),
            Kind::Punct => !matches!(text, ")" | "]" | "}" | "++" | "--"),
        }
    }
}

/// The end of the regular expression starting at `at`, or `None` when the
/// line ends first (then it was a division after all).
fn regex_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut index = at + 1;
    let mut in_class = false;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 1,
            b'\n' => return None,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => {
                let flags = run(&bytes[index + 1..], |byte| byte.is_ascii_alphabetic());
                return Some(index + 1 + flags);
            }
            _ => {}
        }
        index += 1;
    }
    None
}

/// A string's value from its text between the quotes.
fn unescape(content: &str, style: Style) -> String {
    let content = if style.format {
        content.replace("{{", "{").replace("}}", "}")
    } else {
        content.to_string()
    };
    if style.raw {
        return content;
    }
    let mut value = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(char) = chars.next() {
        if char != '\\' {
            value.push(char);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some('\n') => {}
            Some(escaped @ ('\\' | '\'' | '"' | '`' | '$')) => value.push(escaped),
            Some(other) => {
                value.push('\\');
                value.push(other);
            }
            None => value.push('\\'),
        }
    }
    value
}

fn is_ident_byte(byte: u8, dialect: Dialect) -> bool {
    // Bytes of non-ASCII characters count, so an identifier never ends
    // inside a character.
    byte.is_ascii_alphanumeric()
        || byte == b'_'
        || byte >= 0x80
        || byte == b'$' && dialect == Dialect::JavaScript
}

/// How many leading bytes satisfy `keep`.
fn run(bytes: &[u8], keep: impl Fn(u8) -> bool) -> usize {
    bytes.iter().take_while(|&&byte| keep(byte)).count()
}

fn line_end(bytes: &[u8], at: usize) -> usize {
    at + run(&bytes[at..], |byte| byte != b'\n')
}

/// The first place at or after `from` where `needle` stands.
pub(crate) fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str, dialect: Dialect) -> Vec<Option<String>> {
        tokens(text, dialect)
            .into_iter()
            .filter_map(|token| match token.kind {
                Kind::Str(value) => Some(value),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn python_strings_comments_and_f_strings() {
        let text = r#"
a = "x # not a comment"  # 'not a string'
b = '''one "two"
three''' + f"{name!r:>{width}}" + f"{{plain}}" + rb"\d" + r'\n' + f'{d["k"]}'
"#;
        assert_eq!(
            strings(text, Dialect::Python),
            [
                Some("x # not a comment".to_string()),
                Some("one \"two\"\nthree".to_string()),
                None,
                Some("{plain}".to_string()),
                None,
                Some("\\n".to_string()),
                None,
            ]
        );
    }

    #[test]
    fn javascript_templates_regexes_and_comments() {
        let text = r#"
const a = `x ${ `nested ${"}"}` } y`; // "comment"
const r = /["'`]/g, d = 4 / 2 / 1, s = 'it\'s';
/* "block" */ const t = `plain`;
"#;
        assert_eq!(
            strings(text, Dialect::JavaScript),
            [None, Some("it's".to_string()), Some("plain".to_string())]
        );
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for text in [
            "\"", "'''", "f'{", "`${", "`${`${", "/", "\\", "é'\n", "f\"{'", "r'\\",
        ] {
            for dialect in [Dialect::Python, Dialect::JavaScript] {
                let source = Source::new(text, dialect);
                for index in 0..=source.len() {
                    let _ = (
                        source.position(index),
                        source.indent(index),
                        source.gap_before(index),
                    );
                }
            }
        }
        let deep = "`${".repeat(10_000);
        assert!(!tokens(&deep, Dialect::JavaScript).is_empty());
    }
}
