//! Which keywords a [`Check`] says, as a set: renderers ask "does this
//! check say anything besides these?" in one comparison, without cloning
//! the check to compare it with a trimmed copy.

use super::Check;

/// One keyword of a [`Check`]: a field that is not at its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Never,
    Reference,
    Types,
    IntegerAsString,
    Enumeration,
    Constant,
    Minimum,
    Maximum,
    ExclusiveMinimum,
    ExclusiveMaximum,
    MultipleOf,
    MinLength,
    MaxLength,
    Pattern,
    Format,
    Items,
    MinItems,
    MaxItems,
    UniqueItems,
    Required,
    Properties,
    PatternProperties,
    Additional,
    PropertyNames,
    MinProperties,
    MaxProperties,
    AllOf,
    AnyOf,
    OneOf,
}

/// A set of [`Keyword`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeywordSet(u32);

impl KeywordSet {
    /// The set of `keywords`.
    pub const fn of(keywords: &[Keyword]) -> KeywordSet {
        let mut bits = 0;
        let mut index = 0;
        while index < keywords.len() {
            bits |= bit(keywords[index]);
            index += 1;
        }
        KeywordSet(bits)
    }

    /// Whether the set holds no keyword.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every keyword of this set is in `other`.
    pub fn is_within(self, other: KeywordSet) -> bool {
        self.0 & !other.0 == 0
    }

    /// This set and `keyword`.
    pub const fn with(self, keyword: Keyword) -> KeywordSet {
        KeywordSet(self.0 | bit(keyword))
    }
}

const fn bit(keyword: Keyword) -> u32 {
    1 << keyword as u32
}

impl Check {
    /// The keywords this check says: every field not at its default.
    /// The fields are named one by one, so a new field fails to compile
    /// here until it is given its keyword.
    pub fn keywords(&self) -> KeywordSet {
        let Check {
            never,
            reference,
            types,
            integer_as_string,
            enumeration,
            constant,
            minimum,
            maximum,
            exclusive_minimum,
            exclusive_maximum,
            multiple_of,
            min_length,
            max_length,
            pattern,
            format,
            items,
            min_items,
            max_items,
            unique_items,
            required,
            properties,
            pattern_properties,
            additional,
            property_names,
            min_properties,
            max_properties,
            all_of,
            any_of,
            one_of,
        } = self;
        let said = [
            (Keyword::Never, *never),
            (Keyword::Reference, reference.is_some()),
            (Keyword::Types, !types.is_empty()),
            (Keyword::IntegerAsString, *integer_as_string),
            (Keyword::Enumeration, enumeration.is_some()),
            (Keyword::Constant, constant.is_some()),
            (Keyword::Minimum, minimum.is_some()),
            (Keyword::Maximum, maximum.is_some()),
            (Keyword::ExclusiveMinimum, exclusive_minimum.is_some()),
            (Keyword::ExclusiveMaximum, exclusive_maximum.is_some()),
            (Keyword::MultipleOf, multiple_of.is_some()),
            (Keyword::MinLength, min_length.is_some()),
            (Keyword::MaxLength, max_length.is_some()),
            (Keyword::Pattern, pattern.is_some()),
            (Keyword::Format, format.is_some()),
            (Keyword::Items, items.is_some()),
            (Keyword::MinItems, min_items.is_some()),
            (Keyword::MaxItems, max_items.is_some()),
            (Keyword::UniqueItems, *unique_items),
            (Keyword::Required, !required.is_empty()),
            (Keyword::Properties, !properties.is_empty()),
            (Keyword::PatternProperties, !pattern_properties.is_empty()),
            (Keyword::Additional, additional.is_some()),
            (Keyword::PropertyNames, property_names.is_some()),
            (Keyword::MinProperties, min_properties.is_some()),
            (Keyword::MaxProperties, max_properties.is_some()),
            (Keyword::AllOf, !all_of.is_empty()),
            (Keyword::AnyOf, !any_of.is_empty()),
            (Keyword::OneOf, !one_of.is_empty()),
        ];
        said.into_iter()
            .filter(|(_, present)| *present)
            .fold(KeywordSet::default(), |set, (keyword, _)| set.with(keyword))
    }
}

#[cfg(test)]
mod tests {
    use super::{Keyword, KeywordSet};
    use crate::checks::{Check, JsonType};

    #[test]
    fn a_default_check_says_nothing() {
        assert!(Check::default().keywords().is_empty());
    }

    #[test]
    fn a_check_says_exactly_the_fields_it_sets() {
        let check = Check {
            types: vec![JsonType::Array],
            items: Some(3),
            unique_items: true,
            required: vec!["id".into()],
            ..Check::default()
        };
        let said = KeywordSet::of(&[
            Keyword::Types,
            Keyword::Items,
            Keyword::UniqueItems,
            Keyword::Required,
        ]);
        assert_eq!(check.keywords(), said);
        assert!(said.is_within(said.with(Keyword::OneOf)));
        assert!(!said.with(Keyword::OneOf).is_within(said));
    }

    #[test]
    fn every_field_has_its_own_keyword() {
        let number = || Some(serde_json::Number::from(1));
        let every = Check {
            never: true,
            reference: Some(1),
            types: vec![JsonType::Object],
            integer_as_string: true,
            enumeration: Some(vec![]),
            constant: Some(serde_json::Value::Null),
            minimum: number(),
            maximum: number(),
            exclusive_minimum: number(),
            exclusive_maximum: number(),
            multiple_of: number(),
            min_length: Some(1),
            max_length: Some(1),
            pattern: Some(0),
            format: Some("email".into()),
            items: Some(1),
            min_items: Some(1),
            max_items: Some(1),
            unique_items: true,
            required: vec!["a".into()],
            properties: vec![("a".into(), 1)],
            pattern_properties: vec![(0, 1)],
            additional: Some(1),
            property_names: Some(1),
            min_properties: Some(1),
            max_properties: Some(1),
            all_of: vec![1],
            any_of: vec![1],
            one_of: vec![1],
        };
        let said = every.keywords();
        assert_eq!(said.0.count_ones(), Keyword::OneOf as u32 + 1);
        assert!(!said.is_within(KeywordSet::of(&[Keyword::Never])));
    }
}
