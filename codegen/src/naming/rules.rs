//! The naming rules, one small function each. A rule looks at one event and
//! returns what is wrong with its name, if anything; [`super::lint`] turns
//! that into a diagnostic with the configured severity.

use crate::model::Event;
use crate::naming::lexicon::{Lexicon, VerbForm};

/// Words ending in `s` that are singular (or uncountable), on top of the
/// endings `-ss`, `-us` and `-is` that are singular by their shape.
const SINGULAR_WITH_S: &[&str] = &[
    "alias",
    "analytics",
    "atlas",
    "bias",
    "canvas",
    "chaos",
    "corps",
    "diabetes",
    "ethos",
    "gas",
    "kudos",
    "lens",
    "logistics",
    "mathematics",
    "means",
    "news",
    "pathos",
    "physics",
    "series",
    "species",
    "statistics",
];

/// What a rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong.
    pub message: String,
    /// The label under the name.
    pub label: String,
    /// The fix, when one is clear.
    pub help: Option<String>,
}

/// What the rules need besides the event.
pub struct Context<'a> {
    /// The verb lexicon.
    pub lexicon: &'a Lexicon,
    /// Extra singular words from the catalog settings.
    pub singular_words: &'a [String],
}

/// `snake-case`: lowercase ASCII words joined by single underscores.
pub fn snake_case(event: &Event, _: &Context<'_>) -> Option<Finding> {
    if crate::names::is_snake_case(&event.name) {
        return None;
    }
    let suggestion = heck::ToSnakeCase::to_snake_case(event.name.as_str());
    Some(Finding {
        message: format!("`{}` is not snake_case", event.name),
        label: "expected lowercase words joined by single underscores".to_string(),
        help: (crate::names::is_snake_case(&suggestion) && suggestion != event.name)
            .then(|| format!("did you mean `{suggestion}`?")),
    })
}

/// The name split into the resource words and the verb (the last word).
fn split(name: &str) -> Option<(&str, &str)> {
    name.rsplit_once('_')
        .filter(|(resource, verb)| !resource.is_empty() && !verb.is_empty())
}

/// `past-tense-verb`: the last word is a past-tense verb.
pub fn past_tense_verb(event: &Event, context: &Context<'_>) -> Option<Finding> {
    let Some((resource, verb)) = split(&event.name) else {
        return Some(Finding {
            message: format!("`{}` has no verb", event.name),
            label: "expected `<resource>_<past-tense-verb>`".to_string(),
            help: Some(format!(
                "name what happened to the resource, e.g. `{}_updated`",
                event.name
            )),
        });
    };
    let form = context.lexicon.classify(verb);
    if matches!(form, VerbForm::Past { .. }) {
        return None;
    }
    let kind = match form {
        VerbForm::Base => "a present-tense verb",
        VerbForm::Gerund { .. } => "a gerund",
        VerbForm::ThirdPerson { .. } => "a present-tense verb",
        VerbForm::Unknown => "not a verb the lexicon knows",
        VerbForm::Past { .. } => "a past-tense verb",
    };
    let help = match context.lexicon.suggest_past(verb) {
        Some(past) => format!("did you mean `{resource}_{past}`?"),
        None if form == VerbForm::Unknown => {
            "end the name with a past-tense verb; if the word is a verb the lexicon lacks, add it under `naming.verbs`".to_string()
        }
        None => "end the name with a past-tense verb".to_string(),
    };
    Some(Finding {
        message: format!(
            "`{verb}` in `{}` is {kind}, not a past-tense verb",
            event.name
        ),
        label: "the last word names what happened, in the past tense".to_string(),
        help: Some(help),
    })
}

/// Whether a word reads as a plural noun.
pub fn is_plural(word: &str, extra_singular: &[String]) -> bool {
    word.len() > 3
        && word.ends_with('s')
        && !["ss", "us", "is"]
            .iter()
            .any(|ending| word.ends_with(ending))
        && !SINGULAR_WITH_S.contains(&word)
        && !extra_singular.iter().any(|singular| singular == word)
}

/// The singular of a regular plural.
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["ches", "shes", "sses", "xes", "zes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_string();
        }
    }
    word.strip_suffix('s').unwrap_or(word).to_string()
}

/// `singular-resource`: every word before the verb is singular.
pub fn singular_resource(event: &Event, context: &Context<'_>) -> Option<Finding> {
    let (resource, verb) = split(&event.name)?;
    let words: Vec<&str> = resource.split('_').collect();
    let plural: Vec<&str> = words
        .iter()
        .copied()
        .filter(|word| is_plural(word, context.singular_words))
        .collect();
    let first = *plural.first()?;
    let fixed: Vec<String> = words
        .iter()
        .map(|word| {
            if plural.contains(word) {
                singular(word)
            } else {
                word.to_string()
            }
        })
        .collect();
    Some(Finding {
        message: format!(
            "the resource `{resource}` of `{}` is plural (`{first}`)",
            event.name
        ),
        label: "resources are singular".to_string(),
        help: Some(format!(
            "did you mean `{}_{verb}`? If `{first}` is a singular word, add it under `naming.singular_words`",
            fixed.join("_")
        )),
    })
}

/// `resource-prefix`: the name starts with its file's resource.
pub fn resource_prefix(event: &Event, _: &Context<'_>) -> Option<Finding> {
    let prefix = format!("{}_", event.resource);
    if event.name.starts_with(&prefix) && event.name.len() > prefix.len() {
        return None;
    }
    Some(Finding {
        message: format!(
            "`{}` is in the `{}` resource but does not start with `{prefix}`",
            event.name, event.resource
        ),
        label: format!("expected `{prefix}<past-tense-verb>`"),
        help: Some("rename the event, or move it to the event file of its resource".to_string()),
    })
}

/// `webhook-dot-form`: the webhook name is the dot form of the event name.
pub fn webhook_dot_form(event: &Event, _: &Context<'_>) -> Option<Finding> {
    let webhook = event.webhook.as_ref()?;
    let (resource, verb) = split(&event.name)?;
    let expected = format!("{resource}.{verb}");
    if *webhook == expected {
        return None;
    }
    Some(Finding {
        message: format!(
            "webhook `{webhook}` of `{}` is not its dot form `{expected}`",
            event.name
        ),
        label: "webhook names mirror the WebSocket name".to_string(),
        help: Some(format!(
            "drop `webhook:` to use `{expected}`, or add an exception for `webhook-dot-form` with the reason"
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::model::{Stability, TypeId};
    use crate::source::{FileId, Span};

    fn event(name: &str, resource: &str, webhook: Option<&str>) -> Event {
        Event {
            name: name.to_string(),
            ident: String::new(),
            resource: resource.to_string(),
            direction: crate::model::Direction::ServerToClient,
            naming_policy: None,
            attributes: Vec::new(),
            description: String::new(),
            since: "0.1".to_string(),
            stability: Stability::Frozen,
            webhook: webhook.map(str::to_string),
            payload: TypeId(0),
            schema: serde_json::Value::Null,
            examples: Vec::new(),
            deprecated: None,
            grandfathered: None,
            aliases: Vec::new(),
            exceptions: Vec::new(),
            emitted_elsewhere: None,
            origin: Location {
                file: FileId(0),
                span: Span::default(),
            },
            schema_source: None,
        }
    }

    fn findings(name: &str, resource: &str) -> Vec<&'static str> {
        let context = Context {
            lexicon: Lexicon::builtin(),
            singular_words: &[],
        };
        let dotted = name
            .rsplit_once('_')
            .map(|(head, verb)| format!("{head}.{verb}"));
        let event = event(name, resource, dotted.as_deref());
        super::super::RULES
            .iter()
            .filter(|rule| (rule.check)(&event, &context).is_some())
            .map(|rule| rule.id)
            .collect()
    }

    /// (name, resource of its file, rules it breaks)
    const NAMES: &[(&str, &str, &[&str])] = &[
        // Good names: regular -ed with its spelling rules.
        ("task_created", "task", &[]),
        ("task_updated", "task", &[]),
        ("task_deleted", "task", &[]),
        ("dependency_accepted", "dependency", &[]),
        ("baseline_activated", "baseline", &[]),
        ("roster_changed", "roster", &[]),
        ("sprint_retro_updated", "sprint_retro", &[]),
        ("task_run_started", "task_run", &[]),
        ("task_run_completed", "task_run", &[]),
        ("task_run_failed", "task_run", &[]),
        ("task_run_cancelled", "task_run", &[]),
        ("task_run_canceled", "task_run", &[]),
        ("task_pinned", "task", &[]),
        ("task_unpinned", "task", &[]),
        ("backlog_item_reranked", "backlog_item", &[]),
        ("project_unarchived", "project", &[]),
        ("document_copied", "document", &[]),
        ("upload_stopped", "upload", &[]),
        ("task_comment_reaction_added", "task_comment_reaction", &[]),
        ("member_joined", "member", &[]),
        ("invoice_labelled", "invoice", &[]),
        ("invoice_labeled", "invoice", &[]),
        // Irregular past forms and participles.
        ("message_sent", "message", &[]),
        ("index_built", "index", &[]),
        ("shard_split", "shard", &[]),
        ("flag_set", "flag", &[]),
        ("vote_cast", "vote", &[]),
        ("job_run", "job", &[]),
        ("migration_begun", "migration", &[]),
        ("report_written", "report", &[]),
        ("plan_chosen", "plan", &[]),
        ("account_frozen", "account", &[]),
        ("seat_taken", "seat", &[]),
        ("password_reset", "password", &[]),
        ("member_left", "member", &[]),
        // Singular words that merely end in s.
        ("status_changed", "status", &[]),
        ("analysis_completed", "analysis", &[]),
        ("canvas_updated", "canvas", &[]),
        ("series_created", "series", &[]),
        ("address_verified", "address", &[]),
        ("bus_stopped", "bus", &[]),
        // Not past tense.
        ("task_create", "task", &["past-tense-verb"]),
        ("task_creating", "task", &["past-tense-verb"]),
        ("task_creates", "task", &["past-tense-verb"]),
        ("task_run_progress", "task_run", &["past-tense-verb"]),
        ("cat_feed", "cat", &["past-tense-verb"]),
        ("budget_need", "budget", &["past-tense-verb"]),
        ("link_speed", "link", &["past-tense-verb"]),
        ("task_update", "task", &["past-tense-verb"]),
        ("task_archive", "task", &["past-tense-verb"]),
        ("hello", "hello", &["past-tense-verb", "resource-prefix"]),
        ("task_red", "task", &["past-tense-verb"]),
        ("task_status", "task", &["past-tense-verb"]),
        // Plural resources.
        (
            "tasks_reordered",
            "task",
            &["singular-resource", "resource-prefix"],
        ),
        (
            "phases_reordered",
            "phase",
            &["singular-resource", "resource-prefix"],
        ),
        (
            "risks_imported",
            "risk",
            &["singular-resource", "resource-prefix"],
        ),
        (
            "slip_conflicts_updated",
            "slip_conflicts",
            &["singular-resource"],
        ),
        (
            "tasks_bulk_mutated",
            "task",
            &["singular-resource", "resource-prefix"],
        ),
        (
            "entries_deleted",
            "entry",
            &["singular-resource", "resource-prefix"],
        ),
        // Not snake case.
        ("Task_created", "task", &["snake-case", "resource-prefix"]),
        ("task__created", "task", &["snake-case"]),
        (
            "taskCreated",
            "task",
            &["snake-case", "past-tense-verb", "resource-prefix"],
        ),
        ("task_created_", "task", &["snake-case", "past-tense-verb"]),
        // A name outside its file's resource.
        ("baseline_activated", "task", &["resource-prefix"]),
        ("task_created", "task_run", &["resource-prefix"]),
    ];

    #[test]
    fn names_break_exactly_the_expected_rules() {
        assert!(NAMES.len() >= 60, "the corpus has {} names", NAMES.len());
        let mut wrong = Vec::new();
        for (name, resource, expected) in NAMES {
            let got = findings(name, resource);
            if got != *expected {
                wrong.push(format!(
                    "{name} (in {resource}): expected {expected:?}, got {got:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    }

    fn help(
        check: fn(&Event, &Context<'_>) -> Option<Finding>,
        name: &str,
        resource: &str,
    ) -> Option<String> {
        let context = Context {
            lexicon: Lexicon::builtin(),
            singular_words: &[],
        };
        check(&event(name, resource, None), &context).and_then(|finding| finding.help)
    }

    #[test]
    fn suggestions_name_the_fixed_name() {
        assert_eq!(
            help(past_tense_verb, "task_create", "task").as_deref(),
            Some("did you mean `task_created`?")
        );
        assert_eq!(
            help(past_tense_verb, "task_creating", "task").as_deref(),
            Some("did you mean `task_created`?")
        );
        assert_eq!(
            help(past_tense_verb, "file_send", "file").as_deref(),
            Some("did you mean `file_sent`?")
        );
        assert!(
            help(singular_resource, "tasks_reordered", "task")
                .unwrap()
                .starts_with("did you mean `task_reordered`?")
        );
        assert!(
            help(singular_resource, "entries_deleted", "entry")
                .unwrap()
                .starts_with("did you mean `entry_deleted`?")
        );
        assert_eq!(
            help(snake_case, "Task_Created", "task").as_deref(),
            Some("did you mean `task_created`?")
        );
    }

    #[test]
    fn webhook_names_must_be_the_dot_form() {
        let context = Context {
            lexicon: Lexicon::builtin(),
            singular_words: &[],
        };
        assert!(
            webhook_dot_form(
                &event("task_run_started", "task_run", Some("task_run.started")),
                &context
            )
            .is_none()
        );
        assert!(webhook_dot_form(&event("task_created", "task", None), &context).is_none());
        let finding =
            webhook_dot_form(&event("task_created", "task", Some("task.made")), &context).unwrap();
        assert!(finding.message.contains("webhook"), "{}", finding.message);
        assert!(finding.message.contains("`task.created`"));
    }

    #[test]
    fn configured_singular_words_are_singular() {
        let extra = vec!["metrics".to_string()];
        assert!(is_plural("metrics", &[]));
        assert!(!is_plural("metrics", &extra));
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("phases"), "phase");
    }
}
