//! Names and identifiers: what a wire name, a snake_case name and a
//! version look like, and the Rust identifiers generated for wire names.
//! A leaf module: every stage that checks or creates a name uses it.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// ASCII letters, digits and underscores, starting with a letter: safe as a
/// wire name and convertible to identifiers. Style is the naming lint's job.
pub fn is_wire_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Lowercase ASCII words joined by single underscores.
pub fn is_snake_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('_').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

/// `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`.
pub fn is_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// `text` in UpperCamelCase, exactly as heck writes it. Lowercase
/// snake_case, which most names are, is converted here without heck's
/// general word splitting.
pub fn upper_camel_case(text: &str) -> String {
    if !is_snake_case(text) {
        return text.to_upper_camel_case();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// `text` in snake_case, exactly as heck writes it: lowercase snake_case
/// is that already.
pub fn snake_case(text: &str) -> String {
    if is_snake_case(text) {
        text.to_string()
    } else {
        text.to_snake_case()
    }
}

/// An UpperCamelCase variant identifier for a wire value.
pub fn variant_ident(value: &str) -> String {
    let ident = upper_camel_case(&spelled_out(value));
    match ident.chars().next() {
        None => "Empty".to_string(),
        Some(first) if first.is_ascii_digit() => format!("V{ident}"),
        Some(_) => ident,
    }
}

/// A snake_case Rust field identifier for a wire name, escaping keywords.
/// Symbols that carry the meaning are spelled out (`+1` is `plus_1`, `-1`
/// is `minus_1`, `@type` is `at_type`), so such keys do not collide.
pub fn field_ident(name: &str) -> String {
    let ident = snake_case(&spelled_out(name));
    let ident = match ident.chars().next() {
        None => "field".to_string(),
        Some(first) if first.is_ascii_digit() => format!("_{ident}"),
        Some(_) => ident,
    };
    if matches!(ident.as_str(), "self" | "super" | "crate" | "extern" | "_") {
        format!("{ident}_")
    } else if is_rust_keyword(&ident) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// `name` with its meaningful symbols as words; `-` and `.` stay word
/// separators, except a `-` before a digit at the start (a negative).
fn spelled_out(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for (index, c) in name.char_indices() {
        let word = match c {
            '+' => "plus",
            '@' => "at",
            '#' => "hash",
            '$' => "dollar",
            '%' => "percent",
            '&' => "and",
            '*' => "star",
            '=' => "equals",
            '!' => "bang",
            '?' => "question",
            '~' => "tilde",
            '-' if index == 0 && name[1..].starts_with(|c: char| c.is_ascii_digit()) => "minus",
            // Letters and digits of any script stand in identifiers;
            // anything else (`²`, `·`) only separates words.
            c if c.is_ascii_alphanumeric() || c.is_alphabetic() || c == '_' => {
                out.push(c);
                continue;
            }
            _ => {
                out.push(' ');
                continue;
            }
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
    }
    out
}

fn is_rust_keyword(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "false", "fn",
        "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
        "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
        "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
        "typeof", "unsized", "virtual", "yield",
    ];
    KEYWORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_that_carry_meaning_become_words() {
        assert_eq!(field_ident("+1"), "plus_1");
        assert_eq!(field_ident("-1"), "minus_1");
        assert_eq!(field_ident("@type"), "at_type");
        assert_eq!(field_ident("m.relates_to"), "m_relates_to");
        assert_eq!(field_ident("my-field"), "my_field");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("2fa"), "_2fa");
        assert_eq!(field_ident("area_m²"), "area_m");
        assert_eq!(field_ident("größe"), "größe");
        assert_eq!(variant_ident("+1"), "Plus1");
        assert_eq!(variant_ident("m²"), "M");
    }

    #[test]
    fn snake_case_and_versions() {
        assert!(is_snake_case("task_run_started"));
        assert!(!is_snake_case("Task_created"));
        assert!(!is_snake_case("task__created"));
        assert!(!is_snake_case("task.created"));
        assert!(!is_snake_case("_task"));
        assert!(is_version("0.2") && is_version("1.0.3"));
        assert!(!is_version("0.2.x") && !is_version("1") && !is_version("v1.0"));
    }

    #[test]
    fn snake_case_names_convert_as_heck_converts_them() {
        // Every name of up to six characters over letters, digits and `_`.
        let alphabet = ['a', 'z', '0', '9', '_'];
        let mut names = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|name| alphabet.iter().map(move |c| format!("{name}{c}")))
                .collect();
            names.extend(longer.into_iter().filter(|name| name.len() <= 6));
            names.sort();
            names.dedup();
        }
        let mut fast = 0;
        for name in names
            .iter()
            .map(String::as_str)
            .chain(["Task_created", "a__b", "_a", "a_"])
        {
            fast += usize::from(is_snake_case(name));
            assert_eq!(
                upper_camel_case(name),
                name.to_upper_camel_case(),
                "{name:?}"
            );
            assert_eq!(snake_case(name), name.to_snake_case(), "{name:?}");
        }
        assert!(fast > 1000, "{fast} snake_case names");
    }

    #[test]
    fn identifiers_escape_keywords_and_digits() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("1st"), "_1st");
        assert_eq!(variant_ident("in-progress"), "InProgress");
        assert_eq!(variant_ident("2fa"), "V2fa");
    }
}
