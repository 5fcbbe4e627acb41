//! An English verb lexicon for checking that an event name ends in a past
//! tense (`task_created`, `message_sent`), decided by lookup, not by suffix.
//!
//! Data, embedded at compile time from `codegen/data/` (rebuilt by
//! `codegen/data/generate.py`):
//! - `verbs.txt`: single-word verb lemmas of WordNet 3.0 (Princeton
//!   University; licence in `codegen/data/WORDNET-LICENSE`), from `index.verb`;
//! - `irregular.txt`: `inflected base` past and past-participle forms from
//!   WordNet's `verb.exc`, plus hand-curated supplements kept in
//!   `generate.py`: zero-change verbs (set, cast, put, run, come, ...) and
//!   preferred or alternative forms (burned/burnt, cancelled/canceled), taken
//!   from standard English irregular verb tables. Grouped by base; the first
//!   line of a base is the form [`Lexicon::past_of`] suggests;
//! - `extra_verbs.txt`: hand-maintained software verbs WordNet lacks
//!   (upsert, unarchive, rerank, ...).
//!
//! A word ending in "-ed" counts as a past only when the lexicon explains it:
//! it is a listed form, or stripping the ending per the spelling rules gives
//! a known verb whose past is spelled exactly so. So "feed", "need", "speed"
//! and "embed" are base verbs, and "red" is no verb at all.
//!
//! Spelling: the seed corpus follows British/Commonwealth doubling
//! (cancelled, labelled), which is what [`Lexicon::past_of`] suggests; the US
//! single-l spellings (canceled, labeled) are accepted as well.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

const VERBS: &str = include_str!("../../data/verbs.txt");
const IRREGULAR: &str = include_str!("../../data/irregular.txt");
const EXTRA_VERBS: &str = include_str!("../../data/extra_verbs.txt");

/// Longer inputs are no English verb; the cap also bounds the stack buffer.
const MAX_WORD: usize = 48;

/// Prefixes whose verbs inherit the stem's listed forms (unpin → unpinned,
/// unsend → unsent, preset → preset). Longest first so "under" wins over
/// "un". Kept short on purpose: "de-", "co-", "be-" split too many words
/// that are not compounds (delay, covet); lemmas that merely look prefixed
/// (relay) have their own lines in irregular.txt, which always win.
const PREFIXES: [&str; 9] = [
    "under", "over", "fore", "out", "mis", "pre", "re", "un", "up",
];

/// What the lexicon says about a word in verb position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerbForm {
    /// A past-tense or past-participle form, with its base verb (created → create, sent → send, set → set).
    Past {
        /// The base verb (lemma).
        base: String,
    },
    /// A base or present form of a verb (create, feed, need, speed, progress).
    Base,
    /// A gerund / present participle (creating, running).
    Gerund {
        /// The base verb (lemma).
        base: String,
    },
    /// Third person singular (creates).
    ThirdPerson {
        /// The base verb (lemma).
        base: String,
    },
    /// Not a verb the lexicon knows.
    Unknown,
}

/// The embedded data, parsed once; every string borrows the embedded text.
struct Data {
    /// WordNet lemmas, extra verbs and every base of irregular.txt.
    verbs: HashSet<&'static str>,
    /// Base → its listed past forms, the suggested one first.
    forms: HashMap<&'static str, Vec<&'static str>>,
    /// Listed past form → its bases, in file order.
    bases: HashMap<&'static str, Vec<&'static str>>,
}

impl Data {
    fn get() -> &'static Data {
        static DATA: OnceLock<Data> = OnceLock::new();
        DATA.get_or_init(Data::parse)
    }

    fn parse() -> Data {
        let mut verbs: HashSet<&'static str> = HashSet::with_capacity(10_000);
        verbs.extend(entries(VERBS));
        verbs.extend(entries(EXTRA_VERBS));
        let mut forms: HashMap<&'static str, Vec<&'static str>> = HashMap::with_capacity(1_400);
        let mut bases: HashMap<&'static str, Vec<&'static str>> = HashMap::with_capacity(1_700);
        for line in entries(IRREGULAR) {
            let mut parts = line.split_ascii_whitespace();
            if let (Some(form), Some(base)) = (parts.next(), parts.next()) {
                verbs.insert(base);
                forms.entry(base).or_default().push(form);
                bases.entry(form).or_default().push(base);
            }
        }
        Data {
            verbs,
            forms,
            bases,
        }
    }
}

/// Non-empty, non-comment lines of an embedded data file.
fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// The verb lexicon: WordNet verbs, their irregular forms, the extra software
/// verbs, and optionally a project's own verbs.
pub struct Lexicon {
    data: &'static Data,
    /// Project verbs (base forms) from the catalog settings.
    project: HashSet<String>,
}

impl fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lexicon")
            .field("verbs", &self.data.verbs.len())
            .field("irregular_bases", &self.data.forms.len())
            .field("project", &self.project)
            .finish()
    }
}

impl Lexicon {
    /// The built-in lexicon (WordNet verbs + irregular forms + extras); build it lazily once (std::sync::OnceLock) and return &'static.
    pub fn builtin() -> &'static Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        BUILTIN.get_or_init(|| Lexicon {
            data: Data::get(),
            project: HashSet::new(),
        })
    }

    /// The built-in lexicon plus project verbs (base forms) from the catalog settings.
    ///
    /// Entries are trimmed and ASCII-lowercased; anything that is not then a
    /// plain lowercase word is ignored. The built-in data is shared, not copied.
    pub fn with_extra_verbs(extra: &[String]) -> Lexicon {
        let project = extra
            .iter()
            .map(|verb| verb.trim().to_ascii_lowercase())
            .filter(|verb| is_word(verb))
            .collect();
        Lexicon {
            data: Data::get(),
            project,
        }
    }

    /// Classifies a lowercase word.
    ///
    /// A listed past form wins over a base reading: "set", "run", "read",
    /// "found", "left" are [`VerbForm::Past`] although some are lemmas too;
    /// the caller knows the word is in verb position (the last word of an
    /// event name) and decides. Input that is not all `a`-`z` (empty,
    /// uppercase, digits, over 48 bytes) is [`VerbForm::Unknown`].
    pub fn classify(&self, word: &str) -> VerbForm {
        if !is_word(word) {
            return VerbForm::Unknown;
        }
        if let Some(base) = self.listed_base(word) {
            return VerbForm::Past { base };
        }
        // A lemma is a base even when it looks like a regular past of another
        // lemma: "feed" is not fee+d, "seed" is not see+d, "weed" not wee+d.
        if self.is_verb(word) {
            return VerbForm::Base;
        }
        if let Some(base) = self.regular_past_base(word) {
            return VerbForm::Past { base };
        }
        if let Some(base) = self.gerund_base(word) {
            return VerbForm::Gerund { base };
        }
        if let Some(base) = self.third_person_base(word) {
            return VerbForm::ThirdPerson { base };
        }
        VerbForm::Unknown
    }

    /// Whether the word is a past-tense or past-participle verb form.
    pub fn is_past(&self, word: &str) -> bool {
        matches!(self.classify(word), VerbForm::Past { .. })
    }

    /// The past form of a base verb (create → created, pin → pinned, cancel → cancelled,
    /// copy → copied, send → sent), or None for a non-verb.
    ///
    /// For irregular verbs this is the past participle where it differs
    /// (write → written, begin → begun): resource-first event names read as
    /// passives ("file_written"). Zero-change verbs return themselves
    /// (set → set, run → run). British -ll- doubling is suggested
    /// (cancel → cancelled), matching the seed corpus.
    pub fn past_of(&self, base: &str) -> Option<String> {
        if !is_word(base) {
            return None;
        }
        if let Some(forms) = self.data.forms.get(base) {
            return forms.first().map(|form| (*form).to_string());
        }
        if !self.is_verb(base) {
            return None;
        }
        if let Some((prefix, forms)) = self.inherited(base) {
            return forms.first().map(|form| format!("{prefix}{form}"));
        }
        Some(regular_past(base))
    }

    /// A suggestion for a word that is not past tense: "create" → Some("created"), "creating" → Some("created"),
    /// "creates" → Some("created"), "progress" → Some("progressed"); None when nothing sensible.
    ///
    /// None also when the word already is a past form (nothing to fix).
    pub fn suggest_past(&self, word: &str) -> Option<String> {
        match self.classify(word) {
            VerbForm::Base => self.past_of(word),
            VerbForm::Gerund { base } | VerbForm::ThirdPerson { base } => self.past_of(&base),
            VerbForm::Past { .. } | VerbForm::Unknown => None,
        }
    }

    /// Whether the word is a verb base: WordNet, extras, irregular.txt or project.
    fn is_verb(&self, word: &str) -> bool {
        self.data.verbs.contains(word) || self.project.contains(word)
    }

    /// The base of a listed past form, directly (sent → send) or through a
    /// prefix (unsent → unsend) when the prefixed verb has no forms of its own.
    fn listed_base(&self, word: &str) -> Option<String> {
        if let Some(bases) = self.data.bases.get(word) {
            // Rarely several (installed: instal, install; overflown: overflow,
            // overfly): prefer the base that suggests this very form, then the
            // one it is the regular past of, then the longer (install, not instal).
            let best = bases.iter().max_by_key(|base| {
                let forms = self.data.forms.get(*base);
                let suggested = forms.and_then(|forms| forms.first()) == Some(&word);
                (suggested, regular_past_matches(word, base), base.len())
            });
            return best.map(|base| (*base).to_string());
        }
        let mut buf = [0u8; MAX_WORD + 8];
        for prefix in PREFIXES {
            let Some(rest) = word.strip_prefix(prefix) else {
                continue;
            };
            let Some(bases) = self.data.bases.get(rest) else {
                continue;
            };
            for base in bases {
                let Some(candidate) = join(&mut buf, &[prefix, base]) else {
                    continue;
                };
                if self.is_verb(candidate) && !self.data.forms.contains_key(candidate) {
                    return Some(candidate.to_string());
                }
            }
        }
        None
    }

    /// The listed forms a prefixed verb borrows from its stem (unpin ← pin).
    fn inherited(&self, verb: &str) -> Option<(&'static str, &'static [&'static str])> {
        PREFIXES.into_iter().find_map(|prefix| {
            let rest = verb.strip_prefix(prefix).filter(|rest| rest.len() >= 2)?;
            let forms: &'static [&'static str] = self.data.forms.get(rest)?;
            Some((prefix, forms))
        })
    }

    /// Whether `word` is a past of the verb `base`: one of its listed (or
    /// inherited) forms, or else exactly its regular -ed spelling.
    fn is_past_of(&self, word: &str, base: &str) -> bool {
        if let Some(forms) = self.data.forms.get(base) {
            return forms.contains(&word);
        }
        if let Some((prefix, forms)) = self.inherited(base) {
            return word
                .strip_prefix(prefix)
                .is_some_and(|rest| forms.contains(&rest));
        }
        regular_past_matches(word, base)
    }

    /// Reverse -ed derivation, verified against the lemma list: the base is a
    /// known verb whose past is spelled exactly `word`.
    fn regular_past_base(&self, word: &str) -> Option<String> {
        let stem = word.strip_suffix("ed").filter(|stem| stem.len() >= 2)?;
        let mut buf = [0u8; MAX_WORD + 8];
        let b = word.as_bytes();
        let n = b.len();
        // created → create
        let e_stem = &word[..n - 1];
        if e_stem.ends_with('e') && self.is_verb(e_stem) && self.is_past_of(word, e_stem) {
            return Some(e_stem.to_string());
        }
        // started → start, canceled → cancel
        if self.is_verb(stem) && self.is_past_of(word, stem) {
            return Some(stem.to_string());
        }
        // pinned → pin, cancelled → cancel, panicked → panic
        if n >= 5 && (b[n - 3] == b[n - 4] || word.ends_with("cked")) {
            let short = &word[..n - 3];
            if self.is_verb(short) && self.is_past_of(word, short) {
                return Some(short.to_string());
            }
        }
        // copied → copy
        if let Some(y_stem) = word
            .strip_suffix("ied")
            .and_then(|s| join(&mut buf, &[s, "y"]))
            && self.is_verb(y_stem)
            && self.is_past_of(word, y_stem)
        {
            return Some(y_stem.to_string());
        }
        None
    }

    /// Base of a present participle: first a candidate whose -ing spelling
    /// matches exactly (hoping → hope, hopping → hop), else any known verb.
    fn gerund_base(&self, word: &str) -> Option<String> {
        let stem = word.strip_suffix("ing").filter(|stem| stem.len() >= 2)?;
        let mut e_buf = [0u8; MAX_WORD + 8];
        let mut ie_buf = [0u8; MAX_WORD + 8];
        let b = stem.as_bytes();
        let n = b.len();
        let candidates = [
            Some(stem),                                               // starting → start
            join(&mut e_buf, &[stem, "e"]),                           // creating → create
            (n >= 3 && b[n - 1] == b[n - 2]).then(|| &stem[..n - 1]), // running → run
            (n >= 3 && stem.ends_with("ck")).then(|| &stem[..n - 1]), // panicking → panic
            stem.strip_suffix('y')
                .and_then(|s| join(&mut ie_buf, &[s, "ie"])), // lying → lie
        ];
        let known = || {
            candidates
                .iter()
                .flatten()
                .copied()
                .filter(|c| self.is_verb(c))
        };
        known()
            .find(|base| self.gerund_matches(stem, base))
            .or_else(|| known().next())
            .map(str::to_string)
    }

    /// Whether `stem` + "ing" is the regular present participle of `base`.
    fn gerund_matches(&self, stem: &str, base: &str) -> bool {
        let b = base.as_bytes();
        let n = b.len();
        if let Some(root) = base.strip_suffix("ie") {
            return stem.strip_suffix('y') == Some(root); // lie → lying
        }
        if n >= 3 && b[n - 1] == b'e' && !matches!(b[n - 2], b'e' | b'o' | b'y') {
            return stem == &base[..n - 1]; // create → creating
        }
        let doubled =
            stem.len() == n + 1 && stem.starts_with(base) && stem.as_bytes()[n] == b[n - 1];
        if single_vowel_l(base) {
            return doubled || stem == base; // cancelling, canceling
        }
        if self.past_doubles(base) {
            doubled
        } else {
            stem == base
        }
    }

    /// Whether the verb doubles its final consonant before -ed/-ing: its
    /// listed past says so (pin → pinned), or it is a one-syllable
    /// consonant-vowel-consonant verb (run → running, blog → blogged).
    fn past_doubles(&self, verb: &str) -> bool {
        let mut buf = [0u8; MAX_WORD + 8];
        let last = verb.get(verb.len().saturating_sub(1)..).unwrap_or_default();
        doubles(verb)
            || join(&mut buf, &[verb, last, "ed"]).is_some_and(|past| self.is_past_of(past, verb))
    }

    /// Base of a third-person singular form: an exact -s/-es/-ies match
    /// first (goes → go, copies → copy), else any known verb.
    fn third_person_base(&self, word: &str) -> Option<String> {
        // "-ss" is no inflection: progress, pass, address are bases.
        let stem = word
            .strip_suffix('s')
            .filter(|stem| stem.len() >= 2 && !stem.ends_with('s'))?;
        let es = word.strip_suffix("es").filter(|stem| stem.len() >= 2);
        let mut buf = [0u8; MAX_WORD + 8];
        let candidates = [
            Some(stem), // creates → create
            es,         // passes → pass
            word.strip_suffix("ies")
                .and_then(|s| join(&mut buf, &[s, "y"])), // copies → copy
            es.filter(|s| s.len() >= 3 && s.as_bytes()[s.len() - 1] == s.as_bytes()[s.len() - 2])
                .map(|s| &s[..s.len() - 1]), // quizzes → quiz
        ];
        let known = || {
            candidates
                .iter()
                .flatten()
                .copied()
                .filter(|c| self.is_verb(c))
        };
        known()
            .find(|base| third_person_matches(word, base))
            .or_else(|| known().next())
            .map(str::to_string)
    }
}

/// Whether the input is a plain lowercase ASCII word the lexicon can hold.
/// Every word and verb past this check (and all embedded data) is ASCII, so
/// the byte indexing and slicing below cannot split a character.
fn is_word(word: &str) -> bool {
    !word.is_empty() && word.len() <= MAX_WORD && word.bytes().all(|b| b.is_ascii_lowercase())
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Rough syllable count: vowel groups, with "y" a vowel after a consonant.
fn syllables(word: &str) -> usize {
    let mut count = 0;
    let mut prev_vowel = false;
    let mut prev: Option<u8> = None;
    for b in word.bytes() {
        let vowel = is_vowel(b) || (b == b'y' && prev.is_some_and(|p| !is_vowel(p)));
        if vowel && !prev_vowel {
            count += 1;
        }
        prev_vowel = vowel;
        prev = Some(b);
    }
    count
}

/// One-syllable consonant-vowel-consonant verbs double the final consonant
/// (blog → blogged). Only consulted for verbs with no listed forms: WordNet
/// lists the doubled pasts of its own verbs, so this covers extras and
/// project verbs. "qu" counts as a consonant (quip → quipped).
fn doubles(verb: &str) -> bool {
    let b = verb.as_bytes();
    let n = b.len();
    if n < 3
        || !matches!(
            b[n - 1],
            b'b' | b'd' | b'g' | b'k' | b'l' | b'm' | b'n' | b'p' | b'r' | b't' | b'v' | b'z'
        )
    {
        return false;
    }
    let before = b[n - 3];
    let consonant_before = !is_vowel(before) || (before == b'u' && n >= 4 && b[n - 4] == b'q');
    is_vowel(b[n - 2]) && consonant_before && syllables(verb) == 1
}

/// Longer verbs ending in one vowel + "l" (cancel, snorkel): British doubles,
/// US does not; both are accepted.
fn single_vowel_l(verb: &str) -> bool {
    let b = verb.as_bytes();
    let n = b.len();
    n >= 4 && b[n - 1] == b'l' && is_vowel(b[n - 2]) && !is_vowel(b[n - 3]) && syllables(verb) >= 2
}

/// The regular past of a verb with no listed forms.
fn regular_past(verb: &str) -> String {
    let b = verb.as_bytes();
    let n = b.len();
    if verb.ends_with('e') {
        format!("{verb}d")
    } else if n >= 2 && b[n - 1] == b'y' && !is_vowel(b[n - 2]) {
        format!("{}ied", &verb[..n - 1])
    } else if doubles(verb) || single_vowel_l(verb) {
        format!("{verb}{}ed", &verb[n - 1..])
    } else {
        format!("{verb}ed")
    }
}

/// Whether `word` is the regular past of `verb` (which has no listed forms),
/// without allocating.
fn regular_past_matches(word: &str, verb: &str) -> bool {
    let Some(rest) = word.strip_prefix(verb) else {
        // Only the y → ied rule changes the stem.
        let b = verb.as_bytes();
        let n = b.len();
        return n >= 2
            && b[n - 1] == b'y'
            && !is_vowel(b[n - 2])
            && word.strip_suffix("ied") == verb.get(..n - 1);
    };
    let b = verb.as_bytes();
    let n = b.len();
    let Some(&last) = b.last() else {
        return false;
    };
    if last == b'e' {
        return rest == "d";
    }
    if last == b'y' && n >= 2 && !is_vowel(b[n - 2]) {
        return false; // copy → copied, handled above
    }
    let doubled = rest.len() == 3 && rest.as_bytes()[0] == last && rest.get(1..) == Some("ed");
    if doubles(verb) {
        return doubled;
    }
    if single_vowel_l(verb) {
        return doubled || rest == "ed";
    }
    rest == "ed"
}

/// Whether `word` is the regular third-person singular of `verb`.
fn third_person_matches(word: &str, verb: &str) -> bool {
    let b = verb.as_bytes();
    let n = b.len();
    if n >= 2 && b[n - 1] == b'y' && !is_vowel(b[n - 2]) {
        return word.strip_suffix("ies") == Some(&verb[..n - 1]); // copy → copies
    }
    let es = ["s", "x", "z", "ch", "sh", "o"]
        .iter()
        .any(|end| verb.ends_with(end));
    word.strip_prefix(verb) == Some(if es { "es" } else { "s" })
}

/// Concatenates `parts` into `buf` without allocating; None if too long.
fn join<'b>(buf: &'b mut [u8; MAX_WORD + 8], parts: &[&str]) -> Option<&'b str> {
    let mut len = 0;
    for part in parts {
        let end = len + part.len();
        buf.get_mut(len..end)?.copy_from_slice(part.as_bytes());
        len = end;
    }
    std::str::from_utf8(&buf[..len]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn past(base: &str) -> VerbForm {
        VerbForm::Past {
            base: base.to_string(),
        }
    }

    fn gerund(base: &str) -> VerbForm {
        VerbForm::Gerund {
            base: base.to_string(),
        }
    }

    fn third(base: &str) -> VerbForm {
        VerbForm::ThirdPerson {
            base: base.to_string(),
        }
    }

    fn check(cases: &[(&str, VerbForm)]) {
        let lexicon = Lexicon::builtin();
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|(word, want)| {
                let got = lexicon.classify(word);
                (got != *want).then(|| format!("{word}: got {got:?}, want {want:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "misclassified:\n{}", wrong.join("\n"));
    }

    #[test]
    fn regular_pasts_are_verified_against_lemmas() {
        check(&[
            ("created", past("create")),
            ("updated", past("update")),
            ("deleted", past("delete")),
            ("accepted", past("accept")),
            ("activated", past("activate")),
            ("changed", past("change")),
            ("started", past("start")),
            ("completed", past("complete")),
            ("failed", past("fail")),
            ("cancelled", past("cancel")),
            ("canceled", past("cancel")),
            ("pinned", past("pin")),
            ("unpinned", past("unpin")),
            ("copied", past("copy")),
            ("stopped", past("stop")),
            ("planned", past("plan")),
            ("referred", past("refer")),
            ("preferred", past("prefer")),
            ("occurred", past("occur")),
            ("labelled", past("label")),
            ("labeled", past("label")),
            ("modelled", past("model")),
            ("modeled", past("model")),
            ("travelled", past("travel")),
            ("traveled", past("travel")),
            ("imported", past("import")),
            ("reordered", past("reorder")),
            ("restructured", past("restructure")),
            ("mutated", past("mutate")),
            ("added", past("add")),
            ("removed", past("remove")),
            ("archived", past("archive")),
            ("assigned", past("assign")),
            ("merged", past("merge")),
            ("closed", past("close")),
            ("opened", past("open")),
            ("moved", past("move")),
            ("renamed", past("rename")),
            ("joined", past("join")),
            ("reacted", past("react")),
            ("emitted", past("emit")),
            ("committed", past("commit")),
            ("needed", past("need")),
            ("proceeded", past("proceed")),
            ("seeded", past("seed")),
            ("embedded", past("embed")),
            ("shredded", past("shred")),
            ("bedded", past("bed")),
            ("panicked", past("panic")),
            ("installed", past("install")),
        ]);
    }

    #[test]
    fn extra_verbs_are_known() {
        check(&[
            ("reranked", past("rerank")),
            ("unarchived", past("unarchive")),
            ("upserted", past("upsert")),
            ("synced", past("sync")),
            ("resynced", past("resync")),
            ("unassigned", past("unassign")),
            ("reassigned", past("reassign")),
            ("deduplicated", past("deduplicate")),
            ("unpublished", past("unpublish")),
            ("unblocked", past("unblock")),
            ("reindexed", past("reindex")),
            ("unsubscribed", past("unsubscribe")),
            ("dequeued", past("dequeue")),
            ("enqueued", past("enqueue")),
            ("autosaved", past("autosave")),
            ("backfilled", past("backfill")),
            ("onboarded", past("onboard")),
            ("unbanned", past("unban")),
            ("untagged", past("untag")),
            ("unsent", past("unsend")),
            ("resent", past("resend")),
            ("rollback", VerbForm::Unknown),
        ]);
    }

    #[test]
    fn irregular_pasts_come_from_the_data() {
        check(&[
            ("sent", past("send")),
            ("built", past("build")),
            ("left", past("leave")),
            ("began", past("begin")),
            ("begun", past("begin")),
            ("made", past("make")),
            ("done", past("do")),
            ("went", past("go")),
            ("gone", past("go")),
            ("written", past("write")),
            ("wrote", past("write")),
            ("chose", past("choose")),
            ("chosen", past("choose")),
            ("froze", past("freeze")),
            ("frozen", past("freeze")),
            ("took", past("take")),
            ("taken", past("take")),
            ("held", past("hold")),
            ("found", past("find")),
            ("lost", past("lose")),
            ("paid", past("pay")),
            ("sold", past("sell")),
            ("told", past("tell")),
            ("won", past("win")),
            ("rebuilt", past("rebuild")),
            ("undone", past("undo")),
            ("withdrawn", past("withdraw")),
            ("overridden", past("override")),
            ("rewritten", past("rewrite")),
            ("fed", past("feed")),
            ("sped", past("speed")),
            ("bled", past("bleed")),
            ("bred", past("breed")),
            ("was", past("be")),
            ("burnt", past("burn")),
            ("burned", past("burn")),
        ]);
    }

    #[test]
    fn zero_change_verbs_are_past() {
        check(&[
            ("split", past("split")),
            ("set", past("set")),
            ("cast", past("cast")),
            ("run", past("run")),
            ("come", past("come")),
            ("become", past("become")),
            ("overcome", past("overcome")),
            ("shut", past("shut")),
            ("put", past("put")),
            ("cut", past("cut")),
            ("hit", past("hit")),
            ("let", past("let")),
            ("read", past("read")),
            ("reset", past("reset")),
            ("upset", past("upset")),
            ("broadcast", past("broadcast")),
            ("forecast", past("forecast")),
            ("offset", past("offset")),
            ("input", past("input")),
            ("output", past("output")),
            ("preset", past("preset")),
            ("unset", past("unset")),
            ("bid", past("bid")),
            ("burst", past("burst")),
            ("cost", past("cost")),
            ("quit", past("quit")),
            ("spread", past("spread")),
            ("shed", past("shed")),
            ("wed", past("wed")),
        ]);
    }

    #[test]
    fn words_that_merely_end_in_ed_are_not_past() {
        check(&[
            ("feed", VerbForm::Base),
            ("need", VerbForm::Base),
            ("speed", VerbForm::Base),
            ("seed", VerbForm::Base),
            ("weed", VerbForm::Base),
            ("bleed", VerbForm::Base),
            ("breed", VerbForm::Base),
            ("proceed", VerbForm::Base),
            ("succeed", VerbForm::Base),
            ("exceed", VerbForm::Base),
            ("bed", VerbForm::Base),
            ("shred", VerbForm::Base),
            ("embed", VerbForm::Base),
            ("red", VerbForm::Unknown),
            ("hundred", VerbForm::Unknown),
            // Misspellings are not explained by the lexicon.
            ("stoped", VerbForm::Unknown),
            ("refered", VerbForm::Unknown),
            ("openned", VerbForm::Unknown),
            ("relaid", VerbForm::Unknown),
        ]);
    }

    #[test]
    fn bases_gerunds_third_person_and_non_verbs() {
        check(&[
            ("create", VerbForm::Base),
            ("update", VerbForm::Base),
            ("progress", VerbForm::Base),
            ("address", VerbForm::Base),
            ("process", VerbForm::Base),
            ("task", VerbForm::Base),
            ("relay", VerbForm::Base),
            ("creating", gerund("create")),
            ("running", gerund("run")),
            ("progressing", gerund("progress")),
            ("hoping", gerund("hope")),
            ("hopping", gerund("hop")),
            ("lying", gerund("lie")),
            ("panicking", gerund("panic")),
            ("beginning", gerund("begin")),
            ("cancelling", gerund("cancel")),
            ("canceling", gerund("cancel")),
            ("creates", third("create")),
            ("updates", third("update")),
            ("copies", third("copy")),
            ("passes", third("pass")),
            ("goes", third("go")),
            ("quizzes", third("quiz")),
            ("status", VerbForm::Unknown),
            ("analysis", VerbForm::Unknown),
        ]);
    }

    #[test]
    fn past_of_spells_the_suggested_form() {
        let lexicon = Lexicon::builtin();
        let cases = [
            ("create", Some("created")),
            ("start", Some("started")),
            ("pin", Some("pinned")),
            ("unpin", Some("unpinned")),
            ("cancel", Some("cancelled")),
            ("label", Some("labelled")),
            ("control", Some("controlled")),
            ("copy", Some("copied")),
            ("play", Some("played")),
            ("send", Some("sent")),
            ("unsend", Some("unsent")),
            ("write", Some("written")),
            ("begin", Some("begun")),
            ("get", Some("got")),
            ("set", Some("set")),
            ("run", Some("run")),
            ("feed", Some("fed")),
            ("need", Some("needed")),
            ("embed", Some("embedded")),
            ("burn", Some("burned")),
            ("work", Some("worked")),
            ("relay", Some("relayed")),
            ("panic", Some("panicked")),
            ("sync", Some("synced")),
            ("rerank", Some("reranked")),
            ("upsert", Some("upserted")),
            ("dedupe", Some("deduped")),
            ("status", None),
            ("red", None),
            ("", None),
            ("Create", None),
        ];
        for (base, want) in cases {
            assert_eq!(lexicon.past_of(base).as_deref(), want, "past_of({base:?})");
        }
    }

    #[test]
    fn suggest_past_from_base_gerund_and_third_person() {
        let lexicon = Lexicon::builtin();
        let cases = [
            ("create", Some("created")),
            ("creating", Some("created")),
            ("creates", Some("created")),
            ("progress", Some("progressed")),
            ("progressing", Some("progressed")),
            ("sending", Some("sent")),
            ("copies", Some("copied")),
            ("feed", Some("fed")),
            ("created", None),
            ("set", None),
            ("status", None),
            ("", None),
        ];
        for (word, want) in cases {
            assert_eq!(
                lexicon.suggest_past(word).as_deref(),
                want,
                "suggest_past({word:?})"
            );
        }
    }

    #[test]
    fn project_verbs_extend_the_builtin_lexicon() {
        let extra = vec![
            "Blorp".to_string(),
            " zap ".to_string(),
            "not a word".to_string(),
        ];
        let lexicon = Lexicon::with_extra_verbs(&extra);
        assert_eq!(lexicon.classify("blorp"), VerbForm::Base);
        assert_eq!(lexicon.classify("blorped"), past("blorp"));
        assert_eq!(lexicon.past_of("zap"), Some("zapped".to_string()));
        assert_eq!(lexicon.classify("zapping"), gerund("zap"));
        assert_eq!(lexicon.classify("created"), past("create"));
        assert_eq!(Lexicon::builtin().classify("blorped"), VerbForm::Unknown);
    }

    #[test]
    fn odd_input_never_panics() {
        let lexicon = Lexicon::builtin();
        let long = "ed".repeat(10_000);
        let inputs = [
            "",
            "e",
            "ed",
            "ied",
            "ing",
            "s",
            "es",
            "ies",
            "Created",
            "CREATED",
            "task1",
            "42",
            "créé",
            "naïve",
            "snake_case",
            "with space",
            long.as_str(),
        ];
        for word in inputs {
            assert!(!lexicon.is_past(word), "{word:?}");
            let _ = lexicon.classify(word);
            let _ = lexicon.past_of(word);
            let _ = lexicon.suggest_past(word);
        }
        assert_eq!(lexicon.classify(&long), VerbForm::Unknown);
        let max = "a".repeat(MAX_WORD);
        let _ = lexicon.classify(&format!("{max}ed"));
        let _ = lexicon.classify(&max);
        let _ = lexicon.past_of(&max);
    }

    #[test]
    fn every_suggested_past_classifies_back() {
        // past_of and classify agree over the whole built-in lexicon, except
        // where the regular past of a rare lemma is itself a lemma (fee → feed).
        let lexicon = Lexicon::builtin();
        let mut failures = Vec::new();
        for verb in lexicon.data.verbs.iter() {
            let Some(past) = lexicon.past_of(verb) else {
                failures.push(format!("{verb}: no past"));
                continue;
            };
            if !lexicon.is_past(&past) && !lexicon.data.verbs.contains(past.as_str()) {
                failures.push(format!("{verb} -> {past}: {:?}", lexicon.classify(&past)));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
