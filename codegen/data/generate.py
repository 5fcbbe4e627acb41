#!/usr/bin/env python3
"""Generate the verb lexicon embedded by codegen/src/naming/lexicon.rs.

Source: WordNet 3.0 (Princeton University), as packaged by Debian
(`wordnet-base`; generated with 1:3.0-37). Licence: WORDNET-LICENSE beside this script.

How to rerun (from the repository root):

    apt-get update && apt-get install -y wordnet-base
    python3 codegen/data/generate.py            # reads /usr/share/wordnet
    python3 codegen/data/generate.py --wordnet-dir DIR --out-dir DIR

Output is deterministic (sorted, no timestamps), so a rerun on the same
WordNet gives byte-identical files. It writes, next to this script:

  verbs.txt       single-word lowercase verb lemmas from index.verb
                  (no '_', '-', digits or apostrophes), one per line, sorted.
  irregular.txt   `inflected base` lines: past-tense and past-participle forms
                  that the plain -ed rules cannot produce or that need a
                  lexicon decision (consonant doubling, -l spelling, archaic
                  variants). Lines are grouped by base, bases sorted; within a
                  base the FIRST line is the form past_of() suggests, the rest
                  are sorted and merely accepted.
  WORDNET-LICENSE the WordNet 3.0 licence, copied from the header of index.verb.

extra_verbs.txt (tech verbs WordNet lacks) is hand-maintained; this script
only validates it.

Rules applied to verb.exc (WordNet's morphological exception list, which
mixes past, participle, -ing and third-person forms):
  * keep only single-word entries (no '_', '-', "'") whose base is single-word;
  * drop -ing forms (present participles) and -s forms (third person
    singular). `was` is the only past form in verb.exc ending in -s; it is
    kept by name;
  * drop identity lines (`feed feed`, `seed seed`, `bed bed`, `red red`,
    `weed weed`, `shed shed`): they only stop WordNet's morphy from stripping
    "-ed" off a lemma; they are not pasts. Genuine zero-change pasts (shed,
    set, ...) come from ZERO_CHANGE below;
  * drop a line whose inflected form is itself a verb lemma and is just the
    plain regular past of its base (`feed fee`): the lemma reading wins, so
    "feed" stays a base verb;
  * drop NOT_PAST entries (present forms of "be", spelling variants of a base);
  * drop a line whose base is not in index.verb but is a WordNet adjective
    (`redded red`, `prettied pretty`): adjective noise. Other bases missing
    from index.verb (rewind, resit, overbuild, ...) are real verbs that only
    verb.exc records; lexicon.rs counts every irregular.txt base as a verb.
Curated additions below are each marked and sourced.
"""

import argparse
import os
import re
import sys

WORD = re.compile(r"^[a-z]+$")
VOWELS = "aeiou"

# ---------------------------------------------------------------------------
# Curated lists. Source for ZERO_CHANGE, participles and preferred forms:
# standard English irregular verb tables (e.g. the irregular-verb appendices
# of common English grammars and dictionaries).
# ---------------------------------------------------------------------------

# verb.exc entries that are not past forms.
NOT_PAST = {
    ("am", "be"), ("are", "be"),            # present tense of "be"
    ("abye", "aby"),                        # archaic spelling of the base
    ("pasquil", "pasquinade"),              # spelling variants of the base,
    ("squilgee", "squeegee"),               # not inflections
    ("torrify", "torrefy"),
    ("tranship", "transship"),
}

# Past (or past participle) identical to the base: set -> set, run -> run.
# Includes compounds of zero-change verbs and the participles run, come,
# become, overcome (their simple pasts ran/came/... come from verb.exc).
ZERO_CHANGE = """
    beset bet bid broadcast burst cast come cost crosscut cut forecast hit
    hurt input let miscast offset outbid outrun output overbid overcast
    overcome overrun overspread podcast preset proofread put quit read
    rebroadcast recast reread rerun reset rid run set shed shut slit split
    spread sublet telecast thrust typecast typeset undercut underbid unset
    upset wed become misread
""".split()

# Bases whose standard modern past is the regular -ed form although verb.exc
# lists an irregular, archaic or British-only form; the regular form is listed
# first (suggested), the verb.exc form stays accepted. Also prefix-derived
# lemmas whose stem must NOT lend its forms (relay is not re- + lay -> relaid;
# reprove is not re- + prove): listing them gives them their own forms.
REGULAR_PREFERRED = {
    "abide": "abided", "address": "addressed", "bayonet": "bayoneted",
    "begird": "begirded", "benefit": "benefited", "bias": "biased",
    "combat": "combated", "focus": "focused", "ricochet": "ricocheted",
    "bless": "blessed", "burn": "burned", "bypass": "bypassed",
    "chide": "chided", "cleave": "cleaved", "clothe": "clothed",
    "curse": "cursed", "dive": "dived", "dream": "dreamed", "geld": "gelded",
    "gild": "gilded", "gird": "girded", "gnaw": "gnawed", "grave": "graved",
    "hacksaw": "hacksawed", "heave": "heaved", "interplead": "interpleaded",
    "lade": "laded", "lean": "leaned", "leap": "leaped", "learn": "learned",
    "melt": "melted", "misplead": "mispleaded", "misspell": "misspelled",
    "mow": "mowed", "overflow": "overflowed", "overpass": "overpassed",
    "overspill": "overspilled", "plead": "pleaded", "prove": "proved",
    "quartersaw": "quartersawed", "reave": "reaved", "reeve": "reeved",
    "relay": "relayed", "reprove": "reproved", "saw": "sawed",
    "shave": "shaved", "smell": "smelled", "sneak": "sneaked",
    "spell": "spelled", "spill": "spilled", "spoil": "spoiled",
    "stave": "staved", "strow": "strowed", "thrive": "thrived",
    "transfix": "transfixed", "unclothe": "unclothed",
    "undergird": "undergirded", "unlearn": "unlearned", "whipsaw": "whipsawed",
    "work": "worked",
}

# Further accepted forms, not suggested: regular alternatives of irregular
# verbs, and US single-consonant spellings where verb.exc has only the British
# doubled one (benefitted -> also benefited).
ALSO_ACCEPTED = {
    "beseech": ["beseeched"], "dwell": ["dwelled"], "hang": ["hanged"],
    "kneel": ["kneeled"], "lie": ["lied"], "light": ["lighted"],
    "shine": ["shined"], "shoe": ["shoed"], "show": ["showed"],
    "slay": ["slayed"], "speed": ["speeded"], "weave": ["weaved"],
    "sew": ["sewed"], "sow": ["sowed"], "strew": ["strewed"],
    "swell": ["swelled"], "hew": ["hewed"], "spotlight": ["spotlighted"],
    "diagram": ["diagramed"], "kidnap": ["kidnaped"],
    "worship": ["worshiped"], "focus": ["focussed"],
}

# Which form to suggest where the ranking below would pick an archaic or
# less usual one.
PREFERRED_FORM = {
    "backslide": "backslid", "behold": "beheld", "get": "got",
    "shit": "shat", "slide": "slid", "spit": "spat", "stride": "strode",
}

# Multi-syllable -l verbs with final stress: British and US spelling both
# double (controlled), so no single-l variant is added for them. For every
# other verb.exc "-lled" past of a multi-syllable base the US single-l
# spelling is added as accepted (cancelled -> also canceled). The seed corpus
# follows British/Commonwealth doubling, which therefore stays the suggestion.
STRESS_FINAL_L = {
    "annul", "appal", "cabal", "compel", "control", "corral", "decontrol",
    "disannul", "disenthral", "dispel", "distil", "enrol", "enthral", "excel",
    "expel", "extol", "fulfil", "impel", "instal", "instil", "marcel",
    "patrol", "propel", "rappel", "rebel", "repel",
}


def syllables(word):
    """Vowel groups, with y as a vowel after a consonant (rough syllable count)."""
    count, prev_vowel = 0, False
    for i, ch in enumerate(word):
        vowel = ch in VOWELS or (ch == "y" and i > 0 and word[i - 1] not in VOWELS)
        if vowel and not prev_vowel:
            count += 1
        prev_vowel = vowel
    return count


def regular_past(base):
    """Plain -ed past without doubling: create+d, copy->copied, start+ed."""
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and len(base) > 1 and base[-2] not in VOWELS:
        return base[:-1] + "ied"
    return base + "ed"


def read_lemmas(path):
    lemmas = set()
    with open(path, encoding="ascii") as f:
        for line in f:
            if line.startswith(" "):  # licence header
                continue
            word = line.split(" ", 1)[0]
            if WORD.match(word):
                lemmas.add(word)
    return lemmas


def read_licence(path):
    lines = []
    with open(path, encoding="ascii") as f:
        for line in f:
            if not line.startswith("  "):
                break
            # "  12 text  " -> "text"
            m = re.match(r"^\s+\d+ ?(.*?)\s*$", line)
            lines.append(m.group(1) if m else "")
    text = "\n".join(lines).strip() + "\n"
    if "WordNet 3.0 Copyright 2006 by Princeton University" not in text:
        sys.exit("index.verb header is not the WordNet 3.0 licence: wrong WordNet version?")
    return text


def read_extras(path, lemmas):
    words = []
    with open(path, encoding="ascii") as f:
        for n, line in enumerate(f, 1):
            word = line.split("#", 1)[0].strip()
            if not word:
                continue
            if not WORD.match(word):
                sys.exit(f"extra_verbs.txt:{n}: not a lowercase word: {word!r}")
            if word in lemmas:
                print(f"note: extra_verbs.txt:{n}: {word} is already a WordNet verb", file=sys.stderr)
            words.append(word)
    if words != sorted(set(words)):
        sys.exit("extra_verbs.txt: entries must be sorted and unique")
    return set(words)


def read_exceptions(path, lemmas, adjectives):
    pairs = set()
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            inflected, bases = parts[0], parts[1:]
            if not WORD.match(inflected):
                continue
            if inflected.endswith("ing"):
                continue  # present participle
            if inflected.endswith("s") and inflected != "was":
                continue  # third person singular
            for base in bases:
                if not WORD.match(base) or base == inflected:
                    continue  # multiword, or a morphy guard line
                if (inflected, base) in NOT_PAST:
                    continue
                if base not in lemmas and base in adjectives:
                    continue  # red, pretty, easy: not verbs
                if inflected in lemmas and inflected == regular_past(base):
                    continue  # feed/fee: the lemma reading wins
                pairs.add((inflected, base))
    return pairs


def rank(form, base, forms):
    """Sort key: the smallest is the form past_of() suggests."""
    if PREFERRED_FORM.get(base) == form:
        return (0,)
    if REGULAR_PREFERRED.get(base) == form:
        return (1,)
    if form in ALSO_ACCEPTED.get(base, []):
        return (9, form)  # accepted, never suggested
    if form == base:
        return (2,)  # zero-change beats verb.exc's rarer betted, quitted, ridded
    if form.endswith("ed"):
        # A regular spelling the lexicon pins down (pinned, cancelled,
        # copied). Longest first: British doubled -ll- before US single -l-.
        return (3, -len(form), form)
    # Participle over simple past: resource-first event names read as passive
    # ("file_written", "key_chosen"). i/a/u verbs: the u form (begun, sunk).
    if any(o != form and o.replace("a", "u") == form for o in forms):
        return (4, form)
    if form.endswith("n") or form.endswith("ne"):
        return (5, -len(form), form)
    return (6, form)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wordnet-dir", default="/usr/share/wordnet")
    ap.add_argument("--out-dir", default=here)
    args = ap.parse_args()

    wn = args.wordnet_dir
    lemmas = read_lemmas(os.path.join(wn, "index.verb"))
    licence = read_licence(os.path.join(wn, "index.verb"))
    extras = read_extras(os.path.join(here, "extra_verbs.txt"), lemmas)
    adjectives = read_lemmas(os.path.join(wn, "index.adj"))
    pairs = read_exceptions(os.path.join(wn, "verb.exc"), lemmas, adjectives)
    # verb.exc has a few bases index.verb lacks (begird, clepe); they count.
    known = lemmas | extras | {base for _, base in pairs}

    def add(form, base, why):
        if base not in known:
            sys.exit(f"{why}: base {base!r} is not a WordNet or extra verb")
        pairs.add((form, base))

    for base in ZERO_CHANGE:
        add(base, base, "ZERO_CHANGE")
    for base, form in REGULAR_PREFERRED.items():
        add(form, base, "REGULAR_PREFERRED")
    for base, forms in ALSO_ACCEPTED.items():
        for form in forms:
            add(form, base, "ALSO_ACCEPTED")

    # US single-l spellings of British -lled pasts (see STRESS_FINAL_L).
    for form, base in sorted(pairs):
        if (form == base + "led" and re.search(r"[aeiou]l$", base)
                and not re.search(r"[aeiou]{2}l$", base)
                and syllables(base) > 1 and base not in STRESS_FINAL_L):
            pairs.add((base + "ed", base))

    by_base = {}
    for form, base in pairs:
        by_base.setdefault(base, []).append(form)
    for base, forms in PREFERRED_FORM.items():
        if forms not in by_base.get(base, []):
            sys.exit(f"PREFERRED_FORM: {forms!r} is not a listed form of {base!r}")

    irregular = []
    for base in sorted(by_base):
        forms = sorted(set(by_base[base]))
        best = min(forms, key=lambda f: rank(f, base, forms))
        irregular.append(f"{best} {base}")
        irregular.extend(f"{f} {base}" for f in forms if f != best)

    header = "# Generated by generate.py from WordNet 3.0 ({}); do not edit.\n"
    out = args.out_dir
    with open(os.path.join(out, "verbs.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write(header.format("index.verb, single-word verb lemmas"))
        f.write("\n".join(sorted(lemmas)) + "\n")
    with open(os.path.join(out, "irregular.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write(header.format("verb.exc past forms + curated lists; `inflected base`, first line per base is suggested"))
        f.write("\n".join(irregular) + "\n")
    with open(os.path.join(out, "WORDNET-LICENSE"), "w", encoding="ascii", newline="\n") as f:
        f.write(licence)
    print(f"{len(lemmas)} lemmas, {len(irregular)} irregular lines, "
          f"{len(by_base)} bases, {len(extras)} extras", file=sys.stderr)


if __name__ == "__main__":
    main()
