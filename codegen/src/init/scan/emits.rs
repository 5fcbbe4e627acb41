//! Which functions emit events, and the names their calls pass, for one
//! language at a time (a Rust `emit` and a JavaScript `emit` are different
//! functions).
//!
//! 1. Emit functions: the given ones, and those *detected*: named like an
//!    emit function and called with a literal that looks like an event name.
//!    The event argument is the position whose literals are the most
//!    varied, since a room or channel argument repeats while event names
//!    differ; a tie goes to the earlier position.
//! 2. One level of wrappers: functions forwarding a parameter to one of them.
//! 3. At every call of any of them, the event argument is a site (a
//!    literal), skipped (a forwarded parameter: its wrapper's calls count)
//!    or unverifiable (anything else).

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Argument, EmitFunction, Language, Origin, Site, SiteKind, Unverifiable, looks_like_event_name,
};
use crate::code::calls::{Arg, Call, FileCalls, FunctionDef, Value};
use crate::drift::rust_emits::{self, EmitFunctions};

/// Words in a function name that say it emits, compared without `_` and
/// case so `sendEvent` and `send_event` both match.
const EMIT_WORDS: &[&str] = &[
    "emit",
    "broadcast",
    "publish",
    "sendevent",
    "notify",
    "dispatchevent",
];

/// How wrappers are found: from the calls, or (Rust) with
/// [`rust_emits::find_wrappers`], so `init` and `check` agree.
pub(super) enum Wrappers<'a> {
    FromCalls,
    Rust(&'a [syn::File]),
}

/// What one language's files emit.
#[derive(Default)]
pub(super) struct Found {
    pub functions: Vec<EmitFunction>,
    pub emits: Vec<Site>,
    pub unverifiable: Vec<Unverifiable>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone)]
struct Known {
    argument: Argument,
    origin: Origin,
    /// Every literal counts, not only event-like ones: the caller named the
    /// function (or the function it wraps).
    lenient: bool,
}

impl Known {
    fn new(argument: Argument, origin: Origin, lenient: bool) -> Known {
        Known {
            argument,
            origin,
            lenient,
        }
    }
}

type KnownFunctions = BTreeMap<String, Known>;

/// Parameters of the named functions, first definition of a name first.
type Definitions<'a> = BTreeMap<&'a str, &'a [String]>;

/// For each function called, the distinct event-like literals per argument.
type Votes = BTreeMap<String, BTreeMap<Argument, BTreeSet<String>>>;

pub(super) fn find(
    language: Language,
    files: &[FileCalls],
    given: &[(String, Option<usize>)],
    wrappers: Wrappers<'_>,
) -> Found {
    let definitions = definitions(files);
    let votes = votes(files, &definitions);
    let called: BTreeSet<&str> = files
        .iter()
        .flat_map(|file| file.calls.iter().map(|call| call.name.as_str()))
        .collect();
    let mut found = Found::default();
    let mut known = KnownFunctions::new();
    for (name, position) in given {
        let argument = position
            .map(Argument::Position)
            .or_else(|| best(votes.get(name)));
        match argument {
            Some(argument) => {
                known.insert(name.clone(), Known::new(argument, Origin::Given, true));
            }
            None if called.contains(name.as_str()) => found.problems.push(format!(
                "{}: cannot tell which argument of `{name}` is the event name; give its position",
                language.name()
            )),
            None => {}
        }
    }
    detect(&votes, &mut known);
    let wrapped = match wrappers {
        Wrappers::FromCalls => wrappers_from_calls(files, &known, &definitions),
        Wrappers::Rust(syntax) => rust_wrappers(syntax, &known),
    };
    for (name, wrapper) in wrapped {
        known.entry(name).or_insert(wrapper);
    }
    sites(language, files, &known, &definitions, &mut found);
    // A given function not called in this language is not this language's.
    found.functions = known
        .into_iter()
        .filter(|(name, known)| known.origin != Origin::Given || called.contains(name.as_str()))
        .map(|(name, known)| EmitFunction {
            language,
            name,
            argument: known.argument,
            origin: known.origin,
        })
        .collect();
    found
}

/// Adds the functions named like emit functions that receive event-like literals.
fn detect(votes: &Votes, known: &mut KnownFunctions) {
    for (name, counts) in votes {
        if !known.contains_key(name)
            && is_emit_name(name)
            && let Some(argument) = best(Some(counts))
        {
            known.insert(name.clone(), Known::new(argument, Origin::Detected, false));
        }
    }
}

fn is_emit_name(name: &str) -> bool {
    let folded = name.replace('_', "").to_lowercase();
    EMIT_WORDS.iter().any(|word| folded.contains(word))
}

/// A Python keyword that may carry an event name.
fn is_event_keyword(keyword: &str) -> bool {
    keyword == "type" || keyword == "kind" || keyword.contains("event")
}

fn definitions(files: &[FileCalls]) -> Definitions<'_> {
    let mut definitions = Definitions::new();
    for def in files.iter().flat_map(|file| &file.defs) {
        definitions
            .entry(def.name.as_str())
            .or_insert(def.params.as_slice());
    }
    definitions
}

/// For every function called, the distinct event-like literals each
/// argument received.
fn votes(files: &[FileCalls], definitions: &Definitions<'_>) -> Votes {
    let mut votes = Votes::new();
    for call in files.iter().flat_map(|file| &file.calls) {
        let mut positional = 0;
        for arg in &call.args {
            let argument = match &arg.keyword {
                None => {
                    positional += 1;
                    Argument::Position(positional - 1)
                }
                Some(keyword) if is_event_keyword(keyword) => {
                    keyword_argument(definitions, &call.name, keyword)
                }
                Some(_) => continue,
            };
            if let Value::Str(text) = &arg.value
                && looks_like_event_name(text)
            {
                let entry = votes.entry(call.name.clone()).or_default();
                entry.entry(argument).or_default().insert(text.clone());
            }
        }
    }
    votes
}

/// A keyword as a position when the function's definition is known.
fn keyword_argument(definitions: &Definitions<'_>, function: &str, keyword: &str) -> Argument {
    definitions
        .get(function)
        .and_then(|params| params.iter().position(|param| param == keyword))
        .map_or_else(
            || Argument::Keyword(keyword.to_string()),
            Argument::Position,
        )
}

/// The argument with the most distinct literals; the earlier one on a tie.
fn best(counts: Option<&BTreeMap<Argument, BTreeSet<String>>>) -> Option<Argument> {
    counts?
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
        .map(|(argument, _)| argument.clone())
}

/// The event argument of a call to `known` and its position: the
/// positional argument, or the keyword argument naming that parameter (or,
/// failing that, an event-ish keyword). A keyword argument's position is its
/// parameter's when the definition is known, else the function's event
/// position, else its index in the call.
fn event_argument<'c>(
    call: &'c Call,
    known: &Known,
    definitions: &Definitions<'_>,
) -> Option<(usize, &'c Arg)> {
    let positional: Vec<&Arg> = call
        .args
        .iter()
        .filter(|arg| arg.keyword.is_none())
        .collect();
    let params = definitions
        .get(call.name.as_str())
        .copied()
        .unwrap_or_default();
    let by_keyword = |name: &str| {
        call.args
            .iter()
            .find(|arg| arg.keyword.as_deref() == Some(name))
    };
    let found = match &known.argument {
        Argument::Position(position) => positional.get(*position).copied().or_else(|| {
            let named = params.get(*position).and_then(|param| by_keyword(param));
            named.or_else(|| {
                let keyword = |arg: &&Arg| arg.keyword.as_deref().is_some_and(is_event_keyword);
                call.args.iter().find(keyword)
            })
        }),
        Argument::Keyword(keyword) => by_keyword(keyword).or_else(|| {
            let position = params.iter().position(|param| param == keyword)?;
            positional.get(position).copied()
        }),
    }?;
    let position = match (&found.keyword, &known.argument) {
        (None, _) => positional.iter().position(|arg| std::ptr::eq(*arg, found)),
        (Some(keyword), argument) => match keyword_argument(definitions, &call.name, keyword) {
            Argument::Position(position) => Some(position),
            Argument::Keyword(_) => match argument {
                Argument::Position(position) => Some(*position),
                Argument::Keyword(_) => call.args.iter().position(|arg| std::ptr::eq(arg, found)),
            },
        },
    }?;
    Some((position, found))
}

/// The function around a call that receives `name` as a parameter, and its position.
fn forwarding<'f>(
    file: &'f FileCalls,
    call: &Call,
    name: &str,
) -> Option<(&'f FunctionDef, usize)> {
    let def = file.defs.get(call.enclosing?)?;
    let position = def.params.iter().position(|param| param == name)?;
    Some((def, position))
}

fn wrappers_from_calls(
    files: &[FileCalls],
    known: &KnownFunctions,
    definitions: &Definitions<'_>,
) -> KnownFunctions {
    let mut wrappers = KnownFunctions::new();
    for file in files {
        for call in &file.calls {
            let Some(wrapped) = known.get(&call.name) else {
                continue;
            };
            let forwarded = match event_argument(call, wrapped, definitions) {
                Some((
                    _,
                    Arg {
                        value: Value::Ident(name),
                        ..
                    },
                )) => name,
                _ => continue,
            };
            if let Some((def, position)) = forwarding(file, call, forwarded)
                && !known.contains_key(&def.name)
            {
                let wrapper = Known::new(
                    Argument::Position(position),
                    Origin::Wrapper,
                    wrapped.lenient,
                );
                wrappers.entry(def.name.clone()).or_insert(wrapper);
            }
        }
    }
    wrappers
}

/// Rust wrappers with `find_wrappers`, once for the given functions and
/// once for the detected ones, so a wrapper knows which kind it wraps. Each
/// file starts from the known functions alone: exactly one level, whatever
/// the file order.
fn rust_wrappers(files: &[syn::File], known: &KnownFunctions) -> KnownFunctions {
    let mut wrappers = KnownFunctions::new();
    for lenient in [true, false] {
        let base: EmitFunctions = known
            .iter()
            .filter_map(|(name, known)| match known.argument {
                Argument::Position(position) if known.lenient == lenient => {
                    Some((name.clone(), position))
                }
                _ => None,
            })
            .collect();
        for file in files {
            let mut functions = base.clone();
            rust_emits::find_wrappers(file, &mut functions);
            let mut new: Vec<(String, usize)> = functions
                .into_iter()
                .filter(|(name, _)| !known.contains_key(name))
                .collect();
            new.sort();
            for (name, position) in new {
                let wrapper = Known::new(Argument::Position(position), Origin::Wrapper, lenient);
                wrappers.entry(name).or_insert(wrapper);
            }
        }
    }
    wrappers
}

/// Classifies the event argument of every call to a known function.
fn sites(
    language: Language,
    files: &[FileCalls],
    known: &KnownFunctions,
    definitions: &Definitions<'_>,
    found: &mut Found,
) {
    for file in files {
        for call in &file.calls {
            let Some(function) = known.get(&call.name) else {
                continue;
            };
            let Some((argument, arg)) = event_argument(call, function, definitions) else {
                continue;
            };
            let in_test = file.in_test || call.in_test;
            match &arg.value {
                Value::Str(text) if function.lenient || looks_like_event_name(text) => {
                    found.emits.push(Site {
                        name: text.clone(),
                        path: file.path.clone(),
                        line: arg.line,
                        column: arg.column,
                        language,
                        kind: SiteKind::Emit {
                            function: call.name.clone(),
                            argument,
                        },
                        in_test,
                    })
                }
                // A detected function's literal that is no event name
                // (`emit("Hello world")`) is not an event.
                Value::Str(_) => {}
                // A forwarded parameter: the wrapper's own calls say the name.
                Value::Ident(name) if forwarding(file, call, name).is_some() => {}
                _ => found.unverifiable.push(Unverifiable {
                    function: call.name.clone(),
                    path: file.path.clone(),
                    line: arg.line,
                    column: arg.column,
                    language,
                    in_test,
                }),
            }
        }
    }
}
