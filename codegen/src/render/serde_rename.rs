//! `#[serde(rename_all = ...)]` instead of one `rename` per variant: the
//! case convention that turns most variant identifiers into their wire
//! names, computed exactly as serde does, and the variants it misses.

/// What a convention does to a variant identifier.
type Rule = fn(&str) -> String;

/// serde's variant conventions, by the name `rename_all` takes.
const RULES: &[(&str, Rule)] = &[
    ("snake_case", snake),
    ("kebab-case", kebab),
    ("SCREAMING_SNAKE_CASE", screaming_snake),
    ("lowercase", lower),
    ("UPPERCASE", upper),
    ("camelCase", camel),
];

/// How serde names one enum's variants: the `rename_all` convention, and
/// which variants still need their own `rename`.
pub struct Naming {
    rule: Option<&'static str>,
    renamed: Vec<bool>,
}

impl Naming {
    /// The naming of variants given as (identifier as written, wire name).
    pub fn of<'a>(variants: impl Iterator<Item = (String, &'a str)>) -> Naming {
        let variants: Vec<(String, &str)> = variants.collect();
        let rule = rename_all(variants.iter().map(|(ident, wire)| (ident.as_str(), *wire)));
        let renamed = variants
            .iter()
            .map(|(ident, wire)| needs_rename(rule, ident, wire))
            .collect();
        Naming { rule, renamed }
    }

    /// The `rename_all` value, if one convention fits.
    pub fn rule(&self) -> Option<&'static str> {
        self.rule
    }

    /// Whether the variant at `index` needs its own `rename`.
    pub fn needs_rename(&self, index: usize) -> bool {
        self.renamed.get(index).copied().unwrap_or(true)
    }
}

/// The convention for an enum whose variants are `(identifier as
/// written, wire name)`:
/// the one most variants follow (`None` when none beats writing each
/// variant's own name, or every identifier already is its wire name).
fn rename_all<'a>(
    variants: impl Iterator<Item = (&'a str, &'a str)> + Clone,
) -> Option<&'static str> {
    let variants = variants.map(|(ident, wire)| (unraw(ident), wire));
    let plain = variants
        .clone()
        .filter(|(ident, wire)| ident == wire)
        .count();
    // On a tie the earlier rule wins (`csv` reads as snake_case, not camelCase).
    RULES
        .iter()
        .rev()
        .map(|(name, rule)| {
            (
                *name,
                variants
                    .clone()
                    .filter(|(ident, wire)| rule(ident) == *wire)
                    .count(),
            )
        })
        .filter(|(_, matched)| *matched > plain)
        .max_by_key(|(_, matched)| *matched)
        .map(|(name, _)| name)
}

/// Whether a variant needs its own `rename` under `rule`.
fn needs_rename(rule: Option<&str>, ident: &str, wire: &str) -> bool {
    let ident = unraw(ident);
    let renamed = match rule.and_then(|rule| RULES.iter().find(|(name, _)| *name == rule)) {
        Some((_, apply)) => apply(ident),
        None => ident.to_string(),
    };
    renamed != wire
}

/// The name serde sees: a raw identifier without its `r#`.
fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

fn snake(ident: &str) -> String {
    let mut out = String::with_capacity(ident.len() + 4);
    for (index, c) in ident.char_indices() {
        if c.is_uppercase() && index > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn kebab(ident: &str) -> String {
    snake(ident).replace('_', "-")
}

fn screaming_snake(ident: &str) -> String {
    snake(ident).to_ascii_uppercase()
}

fn lower(ident: &str) -> String {
    ident.to_ascii_lowercase()
}

fn upper(ident: &str) -> String {
    ident.to_ascii_uppercase()
}

fn camel(ident: &str) -> String {
    let mut chars = ident.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_convention_most_variants_follow_wins_and_the_rest_keep_their_names() {
        let variants = [
            ("WentWell", "went_well"),
            ("ToImprove", "to_improve"),
            ("V2fa", "2fa"),
        ];
        let rule = rename_all(variants.iter().copied());
        assert_eq!(rule, Some("snake_case"));
        assert!(!needs_rename(rule, "WentWell", "went_well"));
        assert!(needs_rename(rule, "V2fa", "2fa"));
        assert_eq!(
            rename_all([("InProgress", "in-progress")].iter().copied()),
            Some("kebab-case")
        );
        assert_eq!(
            rename_all([("Csv", "csv"), ("Xlsx", "xlsx")].iter().copied()),
            Some("snake_case")
        );
        assert_eq!(rename_all([("Open", "Open")].iter().copied()), None);
        assert_eq!(rename_all([("A", "x")].iter().copied()), None);
        assert!(!needs_rename(Some("snake_case"), "r#type", "type"));
        assert!(needs_rename(Some("snake_case"), "Self_", "self"));
    }

    /// The rules agree with serde itself on the wire names they produce.
    #[test]
    fn the_rules_are_serdes() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Snake {
            TaskRunStarted,
            V2Format,
        }
        #[derive(serde::Serialize)]
        #[serde(rename_all = "kebab-case")]
        enum Kebab {
            InProgress,
        }
        #[derive(serde::Serialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        enum Screaming {
            WentWell,
        }
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        enum Camel {
            ToImprove,
        }
        let json = |value: &dyn erased::Json| value.json();
        assert_eq!(
            json(&Snake::TaskRunStarted),
            format!("\"{}\"", snake("TaskRunStarted"))
        );
        assert_eq!(json(&Snake::V2Format), format!("\"{}\"", snake("V2Format")));
        assert_eq!(
            json(&Kebab::InProgress),
            format!("\"{}\"", kebab("InProgress"))
        );
        assert_eq!(
            json(&Screaming::WentWell),
            format!("\"{}\"", screaming_snake("WentWell"))
        );
        assert_eq!(
            json(&Camel::ToImprove),
            format!("\"{}\"", camel("ToImprove"))
        );
    }

    mod erased {
        pub trait Json {
            fn json(&self) -> String;
        }
        impl<T: serde::Serialize> Json for T {
            fn json(&self) -> String {
                serde_json::to_string(self).unwrap()
            }
        }
    }
}
