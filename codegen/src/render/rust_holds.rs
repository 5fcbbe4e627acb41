//! Typed checks in the generated Rust: a `holds` method per payload type
//! (and per type a payload reaches) that judges a value already read into
//! its types against the catalog's checks, so a valid message is judged by
//! a few comparisons instead of a second walk of its JSON.
//!
//! What the types guarantee (a JSON type, required keys, refused unknown
//! keys, string enums' values) is not checked again. Integer bounds are
//! written out as ranges; other scalar keywords call the validator's
//! helpers with the value's check; a shape without a typed plan (a
//! combinator, a map, a free-form value) goes to the validator's walk. A
//! `holds` that says `false` sends the caller to the `Value` check, which
//! names the failure, so only a `true` has to be exact.

use std::collections::BTreeMap;

use serde_json::{Number, Value};

use super::rust_expr::Expr;
use super::rust_text::ident;
use crate::checks::{Check, Checks, JsonType, Keyword, KeywordSet};
use crate::model::{Catalog, Event, Field, StringEnum, Struct, Ty, TypeId, TypeKind, Union};
use crate::schema_subset::MAX_SAFE_INTEGER;

/// How a generated expression reaches the value it judges.
#[derive(Clone)]
enum Access {
    /// A place such as `self.task_id`.
    Place(String),
    /// A variable holding a reference, such as `item`.
    Ref(String),
}

impl Access {
    fn variable(name: &str) -> Access {
        Access::Ref(ident(name).to_string())
    }

    /// The value as a reference (`&self.x`, `item`).
    fn reference(&self) -> String {
        match self {
            Access::Place(place) => format!("&{place}"),
            Access::Ref(name) => name.clone(),
        }
    }

    /// The value as a method receiver (`self.x`, `item`).
    fn receiver(&self) -> &str {
        match self {
            Access::Place(place) | Access::Ref(place) => place,
        }
    }
}

/// The typed checks of one catalog: which named type is judged against
/// which check, found from the payloads down.
pub struct Plans<'a> {
    catalog: &'a Catalog,
    table: &'a [Check],
    /// Each planned struct or union and the check its `holds` judges.
    planned: BTreeMap<TypeId, usize>,
    /// Planned types whose `holds` body is not written yet.
    queue: Vec<(TypeId, usize)>,
    /// The bodies written.
    bodies: BTreeMap<TypeId, Expr>,
    /// Types whose check their type guarantees, and that check: they get
    /// no `holds`, and their callers no call.
    trivial: BTreeMap<TypeId, usize>,
    /// The types each body's writing asked to plan.
    calls: BTreeMap<TypeId, Vec<TypeId>>,
    /// While a body is written, the types it asked to plan so far.
    calling: Option<Vec<TypeId>>,
}

impl<'a> Plans<'a> {
    /// Plans every payload's check (`checks` resolved through references).
    pub fn new(catalog: &'a Catalog, checks: &'a Checks) -> Plans<'a> {
        let mut plans = Plans {
            catalog,
            table: &checks.table,
            planned: BTreeMap::new(),
            queue: Vec::new(),
            bodies: BTreeMap::new(),
            trivial: BTreeMap::new(),
            calls: BTreeMap::new(),
            calling: None,
        };
        plans.plan_all(checks);
        // A type whose body is `true` gets no `holds` and its callers no
        // call: their bodies are written again, which can leave them
        // `true` in turn. Nothing else changes: a `true` body planned
        // nothing, so every other type is planned as before.
        let mut written: Vec<TypeId> = plans.bodies.keys().copied().collect();
        loop {
            let trivial: Vec<(TypeId, usize)> = written
                .iter()
                .filter(|id| plans.bodies[id].is_true())
                .map(|id| (*id, plans.planned[id]))
                .collect();
            if trivial.is_empty() {
                return plans;
            }
            for (id, _) in &trivial {
                plans.planned.remove(id);
                plans.bodies.remove(id);
                plans.calls.remove(id);
            }
            plans.trivial.extend(trivial.iter().copied());
            written = plans.callers_of(&trivial);
            for id in &written {
                plans.write_body(*id, plans.planned[id]);
            }
            plans.write_queued();
        }
    }

    /// The types whose bodies ask to plan one of `types`.
    fn callers_of(&self, types: &[(TypeId, usize)]) -> Vec<TypeId> {
        let types: std::collections::BTreeSet<TypeId> = types.iter().map(|(id, _)| *id).collect();
        self.calls
            .iter()
            .filter(|(_, calls)| calls.iter().any(|id| types.contains(id)))
            .map(|(id, _)| *id)
            .collect()
    }

    /// Plans the types the payloads reach and writes their bodies.
    fn plan_all(&mut self, checks: &Checks) {
        for event in &self.catalog.events {
            self.payload(event, checks.payloads[&event.name], "payload");
        }
        self.write_queued();
    }

    /// Writes the bodies of the planned types not written yet; writing a
    /// type's body plans the types its fields reach.
    fn write_queued(&mut self) {
        while let Some((id, at)) = self.queue.pop() {
            self.write_body(id, at);
        }
    }

    /// Writes the body of type `id`, planned against check `at`, and
    /// notes the types it asked to plan.
    fn write_body(&mut self, id: TypeId, at: usize) {
        let outer = self.calling.replace(Vec::new());
        let body = self.body(id, at);
        let calls = std::mem::replace(&mut self.calling, outer).unwrap_or_default();
        self.bodies.insert(id, body);
        self.calls.insert(id, calls);
    }

    /// The expression that judges a payload held by variable `name` (a
    /// reference, or `self`).
    pub fn payload(&mut self, event: &Event, at: usize, name: &str) -> Expr {
        let access = match name {
            "self" => Access::Ref("self".into()),
            name => Access::variable(name),
        };
        self.value(&Ty::Named(event.payload), at, &access)
            .unwrap_or_else(Expr::truth)
    }

    /// The `impl` blocks with each planned type's `holds`, in the order of
    /// the types.
    pub fn impls(&self) -> Vec<(TypeId, String)> {
        self.bodies
            .iter()
            .map(|(id, body)| {
                let name = ident(&self.catalog.ty(*id).name);
                let mut out = format!(
                    "impl {name} {{\n    \
                     /// Whether the value passes its schema; `false` also\n    \
                     /// when only the `Value` check can tell.\n    \
                     pub(crate) fn holds(&self) -> bool {{\n"
                );
                body.write_block(&mut out, 8);
                out.push_str("    }\n}\n");
                (*id, out)
            })
            .collect()
    }

    /// The body of a planned type's `holds`.
    fn body(&mut self, id: TypeId, at: usize) -> Expr {
        let catalog = self.catalog;
        match &catalog.ty(id).kind {
            TypeKind::Struct(object) => self.struct_body(object, at),
            TypeKind::Union(union) => self.union_body(id, union, at),
            _ => Expr::truth(),
        }
    }

    /// An expression that is `true` when the value at `access`, of type
    /// `ty`, passes check `at`; `None` when the type guarantees it.
    fn value(&mut self, ty: &Ty, at: usize, access: &Access) -> Option<Expr> {
        let table = self.table;
        let check = table.get(at)?;
        let helper =
            |name: &str| Expr::atom(format!("SCHEMAS.{name}({at}, {})", access.reference()));
        match ty {
            Ty::Nullable(inner) => self.nullable(inner, at, access),
            Ty::Integer { unsigned, .. } => integer(check, at, *unsigned, access),
            Ty::Number => scalar(check, JsonType::Number, || helper("number_holds")),
            Ty::String(_) => scalar(check, JsonType::String, || helper("text_holds")),
            Ty::Boolean => scalar(check, JsonType::Boolean, || helper("bool_holds")),
            Ty::Array(inner) => self.array(inner, check, at, access),
            Ty::Map(_) | Ty::Json | Ty::Null => (!no_keywords(check)).then(|| walk(at, access)),
            Ty::Named(id) => self.named(*id, check, at, access),
        }
    }

    fn named(&mut self, id: TypeId, check: &Check, at: usize, access: &Access) -> Option<Expr> {
        let catalog = self.catalog;
        match &catalog.ty(id).kind {
            TypeKind::Alias(target) => self.value(target, at, access),
            TypeKind::Literals(literals) => self.value(&literals.base, at, access),
            TypeKind::Enum(values) => {
                if enum_guaranteed(check, values) {
                    return None;
                }
                let receiver = access.receiver();
                Some(Expr::atom(format!(
                    "SCHEMAS.text_holds({at}, {receiver}.as_str())"
                )))
            }
            TypeKind::Struct(object)
                if object_plannable(check) && self.fits(object, check, None) =>
            {
                self.plan(id, at, access)
            }
            TypeKind::Union(union) if self.union_branches(union, check).is_some() => {
                self.plan(id, at, access)
            }
            TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Untagged(_) => {
                (!no_keywords(check)).then(|| walk(at, access))
            }
        }
    }

    /// `access.holds()`, the type planned against check `at`; the walk
    /// when the type was already planned against a different check.
    fn plan(&mut self, id: TypeId, at: usize, access: &Access) -> Option<Expr> {
        if let Some(calling) = &mut self.calling {
            calling.push(id);
        }
        if let Some(&trivial) = self.trivial.get(&id) {
            let same = trivial == at || same_checks(self.table, trivial, at);
            return (!same).then(|| walk(at, access));
        }
        match self.planned.get(&id) {
            Some(planned) if *planned != at && !same_checks(self.table, *planned, at) => {
                Some(walk(at, access))
            }
            Some(_) => Some(holds_call(access)),
            None => {
                self.planned.insert(id, at);
                self.queue.push((id, at));
                Some(holds_call(access))
            }
        }
    }

    /// An `Option` for `null`: `None` passes when the check allows `null`.
    /// A check that is a choice between a schema and `null` judges a value
    /// by that schema alone.
    fn nullable(&mut self, inner: &Ty, at: usize, access: &Access) -> Option<Expr> {
        let check = self.table.get(at)?;
        let (value_at, null_passes) = match self.null_branch(check) {
            Some(other) => (other, true),
            None => (at, null_guaranteed(check)),
        };
        let some = self.value(inner, value_at, &Access::variable("value"));
        if some.is_none() && null_passes {
            return None;
        }
        let reference = Expr::atom(access.reference());
        let some = match some {
            Some(some) => Expr::closure("value", some),
            None => Expr::closure("_", Expr::truth()),
        };
        Some(if null_passes {
            Expr::call("checks::none_or", vec![reference, some])
        } else {
            Expr::call(
                "SCHEMAS.null_or",
                vec![Expr::atom(at.to_string()), reference, some],
            )
        })
    }

    /// The other branch of a check that is only `anyOf` or `oneOf` of a
    /// schema and `{"type": "null"}`, when `null` passes exactly one of them
    /// (and so the whole check) and a value passes the whole check exactly
    /// when it passes the other branch.
    fn null_branch(&self, check: &Check) -> Option<usize> {
        let (branches, one_of) = match (&check.one_of[..], &check.any_of[..]) {
            (branches, []) if !branches.is_empty() => (branches, true),
            ([], branches) if !branches.is_empty() => (branches, false),
            _ => return None,
        };
        let bare = check.types.is_empty() && has_only(check, CHOICES);
        let [first, second] = branches else {
            return None;
        };
        let is_null = |at: &usize| self.table.get(*at).is_some_and(is_null_only);
        let other = match (is_null(first), is_null(second)) {
            (true, false) => *second,
            (false, true) => *first,
            _ => return None,
        };
        // `null` must not pass the other branch too, or `oneOf` fails it.
        let other_check = self.table.get(other)?;
        let null_excluded = !other_check.never
            && !other_check.types.is_empty()
            && !other_check.types.contains(&JsonType::Null)
            && other_check.reference.is_none();
        (bare && (null_excluded || !one_of)).then_some(other)
    }

    fn array(&mut self, inner: &Ty, check: &Check, at: usize, access: &Access) -> Option<Expr> {
        let plain = has_only(
            check,
            &[
                Keyword::Items,
                Keyword::MinItems,
                Keyword::MaxItems,
                Keyword::UniqueItems,
            ],
        );
        let unique_key = check.unique_items.then(|| self.unique_key(inner)).flatten();
        if !plain || !admits(check, JsonType::Array) || (check.unique_items && unique_key.is_none())
        {
            return Some(walk(at, access));
        }
        let receiver = access.receiver();
        let mut parts = Vec::new();
        if check.min_items.is_some() || check.max_items.is_some() {
            parts.push(Expr::atom(format!(
                "SCHEMAS.count_holds({at}, {receiver}.len())"
            )));
        }
        let item = check
            .items
            .and_then(|items| self.value(inner, items, &Access::variable("item")));
        if let Some(item) = item {
            let all = format!("{receiver}.iter().all");
            parts.push(Expr::call(all, vec![Expr::closure("item", item)]));
        }
        if let Some(key) = unique_key {
            let reference = Expr::atom(access.reference());
            parts.push(Expr::call(
                "checks::distinct",
                vec![reference, Expr::atom(key)],
            ));
        }
        Expr::all(parts)
    }

    /// The key `uniqueItems` sorts items of type `ty` by, where the Rust
    /// value's order and equality are its JSON equality.
    fn unique_key(&self, ty: &Ty) -> Option<&'static str> {
        match ty {
            Ty::Integer { .. } | Ty::Boolean => Some("|item| *item"),
            Ty::String(_) => Some("|item| item.as_str()"),
            Ty::Named(id) => match &self.catalog.ty(*id).kind {
                TypeKind::Alias(target) => self.unique_key(target),
                TypeKind::Enum(_) => Some("|item| item.as_str()"),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a struct's fields are exactly the check's properties (less
    /// a union variant's tag) and its required keys required fields.
    fn fits(&self, object: &Struct, check: &Check, tag: Option<&str>) -> bool {
        let others = match check.additional {
            None => true,
            Some(additional) => {
                object.deny_unknown && self.table.get(additional).is_some_and(|c| c.never)
            }
        };
        let field = |name: &str| object.fields.iter().find(|field| field.name == name);
        let properties_fit = check
            .properties
            .iter()
            .all(|(name, _)| Some(name.as_str()) == tag || field(name).is_some())
            && object
                .fields
                .iter()
                .all(|field| check.properties.iter().any(|(name, _)| *name == field.name));
        let required_fit = check.required.iter().all(|name| {
            Some(name.as_str()) == tag || field(name).is_some_and(|field| field.required)
        });
        object.extra.is_none() && others && properties_fit && required_fit
    }

    fn struct_body(&mut self, object: &Struct, at: usize) -> Expr {
        let check = &self.table[at];
        let mut parts = Vec::new();
        for field in &object.fields {
            let Some(&(_, property)) = check
                .properties
                .iter()
                .find(|(name, _)| *name == field.name)
            else {
                continue;
            };
            if let Some(part) = self.field(field, property) {
                parts.push(part);
            }
        }
        Expr::all(parts).unwrap_or_else(Expr::truth)
    }

    fn field(&mut self, field: &Field, at: usize) -> Option<Expr> {
        let place = format!("self.{}", ident(&field.rust_ident));
        if field.required {
            return self.value(&field.ty, at, &Access::Place(place));
        }
        let present = self.value(&field.ty, at, &Access::variable("value"))?;
        let reference = Expr::atom(format!("&{place}"));
        Some(Expr::call(
            "checks::none_or",
            vec![reference, Expr::closure("value", present)],
        ))
    }

    /// The union's branches in the order of its variants, when every
    /// branch requires the tag with a value of its own (so at most one
    /// branch can hold) and each variant's type fits its branch.
    fn union_branches(&self, union: &Union, check: &Check) -> Option<Vec<usize>> {
        let branches = match (&check.one_of[..], &check.any_of[..]) {
            (branches, []) | ([], branches) if !branches.is_empty() => branches,
            _ => return None,
        };
        let bare = has_only(check, CHOICES);
        if !bare || !admits(check, JsonType::Object) || branches.len() != union.variants.len() {
            return None;
        }
        let tags: Vec<&str> = branches
            .iter()
            .map(|branch| self.tag_value(*branch, &union.tag))
            .collect::<Option<_>>()?;
        let distinct: std::collections::BTreeSet<&&str> = tags.iter().collect();
        if distinct.len() != tags.len() {
            return None;
        }
        union
            .variants
            .iter()
            .map(|variant| {
                let position = tags.iter().position(|tag| *tag == variant.value)?;
                let branch = branches[position];
                let TypeKind::Struct(object) = &self.catalog.ty(variant.fields).kind else {
                    return None;
                };
                let check = self.table.get(branch)?;
                (object_plannable(check) && self.fits(object, check, Some(&union.tag)))
                    .then_some(branch)
            })
            .collect()
    }

    /// The one value a branch's required tag may have.
    fn tag_value(&self, branch: usize, tag: &str) -> Option<&str> {
        let check = self.table.get(branch)?;
        if !check.required.iter().any(|name| name == tag) {
            return None;
        }
        let (_, at) = check.properties.iter().find(|(name, _)| name == tag)?;
        let tag_check = self.table.get(*at)?;
        let value = match (&tag_check.constant, tag_check.enumeration.as_deref()) {
            (Some(Value::String(value)), None) | (None, Some([Value::String(value)])) => value,
            _ => return None,
        };
        let bare = has_only(tag_check, &[Keyword::Constant, Keyword::Enumeration]);
        (bare && admits(tag_check, JsonType::String)).then_some(value.as_str())
    }

    fn union_body(&mut self, id: TypeId, union: &Union, at: usize) -> Expr {
        let name = ident(&self.catalog.ty(id).name).to_string();
        let check = self.table[at].clone();
        let branches = self.union_branches(union, &check).unwrap_or_default();
        let arms = union
            .variants
            .iter()
            .zip(branches)
            .map(|(variant, branch)| {
                let variant_name = ident(&variant.ident);
                match self.plan(variant.fields, branch, &Access::variable("value")) {
                    Some(judge) => (format!("{name}::{variant_name}(value)"), judge),
                    None => (format!("{name}::{variant_name}(_)"), Expr::truth()),
                }
            })
            .collect();
        Expr::Match {
            scrutinee: "self",
            arms,
        }
    }
}

/// The walk of any value against check `at`.
fn walk(at: usize, access: &Access) -> Expr {
    Expr::atom(format!("SCHEMAS.value_holds({at}, {})", access.reference()))
}

/// `value.holds()` of a planned type.
fn holds_call(access: &Access) -> Expr {
    Expr::atom(format!("{}.holds()", access.receiver()))
}

/// The keywords of a choice between subschemas.
const CHOICES: &[Keyword] = &[Keyword::OneOf, Keyword::AnyOf];

/// Whether `check` says nothing beyond its `type` and the `kept` keywords.
fn has_only(check: &Check, kept: &[Keyword]) -> bool {
    let kept = KeywordSet::of(kept).with(Keyword::Types);
    check.keywords().is_within(kept)
}

/// Whether the check says only `{"type": "null"}`.
fn is_null_only(check: &Check) -> bool {
    check.types == [JsonType::Null] && has_only(check, &[])
}

/// Whether the check says nothing at all.
fn no_keywords(check: &Check) -> bool {
    check.keywords().is_empty()
}

/// Whether the check's `type` admits a value of JSON type `ty`.
fn admits(check: &Check, ty: JsonType) -> bool {
    check.types.is_empty()
        || check.types.contains(&ty)
        || (ty == JsonType::Integer && check.types.contains(&JsonType::Number))
}

/// A scalar type's judgement: nothing when the check only names a type
/// that admits it, the helper otherwise.
fn scalar(check: &Check, ty: JsonType, helper: impl FnOnce() -> Expr) -> Option<Expr> {
    if has_only(check, &[]) && admits(check, ty) {
        None
    } else {
        Some(helper())
    }
}

/// An integer's judgement: its bounds as a range where they are exact
/// integers a JSON number can hold, the helper otherwise.
fn integer(check: &Check, at: usize, unsigned: bool, access: &Access) -> Option<Expr> {
    let bounds = has_only(
        check,
        &[
            Keyword::Minimum,
            Keyword::Maximum,
            Keyword::ExclusiveMinimum,
            Keyword::ExclusiveMaximum,
        ],
    );
    let simple = bounds && admits(check, JsonType::Integer);
    let range = simple.then(|| integer_range(check, unsigned)).flatten();
    let Some((low, high)) = range else {
        let copied = match access {
            Access::Place(place) => place.clone(),
            Access::Ref(name) => format!("*{name}"),
        };
        return Some(Expr::atom(format!(
            "SCHEMAS.integer_holds({at}, i128::from({copied}))"
        )));
    };
    let reference = access.reference();
    let range = match (low, high) {
        (None, None) => return None,
        (Some(low), Some(high)) => format!("({low}..={high})"),
        (Some(low), None) => format!("({low}..)"),
        (None, Some(high)) => format!("(..={high})"),
    };
    Some(Expr::atom(format!("{range}.contains({reference})")))
}

/// The inclusive integer range of a check's bounds, each side `None` when
/// it bounds nothing (no bound, or a lower bound of 0 or less for an
/// unsigned value); `None` when a bound is not an integer within
/// ±(2^53 − 1), the range is empty, or it is below every unsigned value:
/// there the helper decides.
fn integer_range(check: &Check, unsigned: bool) -> Option<(Option<i64>, Option<i64>)> {
    let exact = |bound: &Option<Number>| -> Option<Option<i64>> {
        match bound {
            None => Some(None),
            Some(number) => {
                let value = number.as_i64()?;
                (value.abs() <= MAX_SAFE_INTEGER).then_some(Some(value))
            }
        }
    };
    let minimum = exact(&check.minimum)?;
    let maximum = exact(&check.maximum)?;
    let above = exact(&check.exclusive_minimum)?.map(|bound| bound + 1);
    let below = exact(&check.exclusive_maximum)?.map(|bound| bound - 1);
    let low = minimum.into_iter().chain(above).max();
    let high = maximum.into_iter().chain(below).min();
    let empty = matches!((low, high), (Some(low), Some(high)) if low > high);
    if empty || (unsigned && high.is_some_and(|high| high < 0)) {
        return None;
    }
    let low = low.filter(|low| !unsigned || *low > 0);
    Some((low, high))
}

/// Whether a check of an object has only keywords a struct's `holds`
/// judges (or its type guarantees).
fn object_plannable(check: &Check) -> bool {
    let object = has_only(
        check,
        &[Keyword::Required, Keyword::Properties, Keyword::Additional],
    );
    object && admits(check, JsonType::Object)
}

/// Whether `null` passes the check by its `type` alone.
fn null_guaranteed(check: &Check) -> bool {
    has_only(check, &[]) && (check.types.is_empty() || check.types.contains(&JsonType::Null))
}

/// Whether a string enum's values are exactly what the check allows.
fn enum_guaranteed(check: &Check, values: &StringEnum) -> bool {
    let Some(allowed) = &check.enumeration else {
        return false;
    };
    has_only(check, &[Keyword::Enumeration])
        && admits(check, JsonType::String)
        && values.variants.iter().all(|variant| {
            allowed
                .iter()
                .any(|value| value.as_str() == Some(variant.value.as_str()))
        })
}

/// Whether checks `a` and `b` say the same, through their subschemas.
fn same_checks(table: &[Check], a: usize, b: usize) -> bool {
    let mut pending = vec![(a, b)];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((a, b)) = pending.pop() {
        if a == b || !seen.insert((a, b)) {
            continue;
        }
        let (Some(left), Some(right)) = (table.get(a), table.get(b)) else {
            return false;
        };
        if left.map_indices(|_| 0) != right.map_indices(|_| 0) {
            return false;
        }
        pending.extend(left.subschemas().into_iter().zip(right.subschemas()));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::Plans;
    use crate::checks::Checks;
    use crate::render::test_catalog::catalog;

    const SETTINGS: &str = "channel: board\ndescription: The board.\nprotocol_version: 1\nenvelope: {style: adjacent, version_field: protocol_version, type_field: event_type, payload_field: payload}\ndefinitions:\n  TaskId: {type: integer, minimum: 1, maximum: 9007199254740991, description: A task's id.}\nevents: [events]\noutputs:\n  python: out/board.py\n";

    /// The `holds` impls of a catalog of one event with `payload`, as text.
    fn holds(payload: &str, example: &str) -> String {
        let events = format!(
            "resource: task\nevents:\n  - name: task_created\n    description: A task was created.\n    since: '0.1'\n    stability: experimental\n    payload:\n{payload}\n    examples: [{example}]\n"
        );
        let catalog = catalog(SETTINGS, &events);
        let checks = Checks::new(&catalog).through_references();
        let impls: String = Plans::new(&catalog, &checks)
            .impls()
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        syn::parse_file(&impls).expect("the impls parse");
        impls
    }

    #[test]
    fn scalars_are_ranges_or_helpers_and_guaranteed_keywords_are_left_out() {
        let text = holds(
            "      type: object
      additionalProperties: false
      required: [task_id, title]
      properties:
        task_id: {$ref: '#/$defs/TaskId'}
        title: {type: string, minLength: 1}
        note: {type: string}
        count: {type: integer, minimum: 0, maximum: 10}
        parent: {oneOf: [{$ref: '#/$defs/TaskId'}, {type: 'null'}]}",
            "{task_id: 1, title: x}",
        );
        eprintln!("{text}");
        assert!(
            text.contains("(1..=9007199254740991).contains(&self.task_id)"),
            "{text}"
        );
        assert!(text.contains("SCHEMAS.text_holds("), "{text}");
        assert!(
            !text.contains("self.note"),
            "a plain string needs no check: {text}"
        );
        // An unsigned value needs no lower bound of 0.
        assert!(text.contains("(..=10).contains(value)"), "{text}");
        // `oneOf` of a schema and `null`: the schema alone judges a value.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(
                "|value| { checks::none_or(value, |value| (1..=9007199254740991).contains(value)) }"
            ),
            "{text}"
        );
        assert!(!text.contains("value_holds"), "{text}");
    }

    #[test]
    fn tagged_unions_match_by_variant_and_other_choices_take_the_walk() {
        let text = holds(
            "      type: object
      additionalProperties: false
      required: [outcome]
      properties:
        outcome:
          oneOf:
            - {title: Done, type: object, additionalProperties: false, required: [kind], properties: {kind: {type: string, const: done}}}
            - {title: Skipped, type: object, additionalProperties: false, required: [kind, reason], properties: {kind: {type: string, const: skipped}, reason: {type: string, maxLength: 5}}}
        tags: {type: array, uniqueItems: true, items: {type: string, maxLength: 3}}
        either:
          anyOf:
            - {title: A, type: object, required: [a], properties: {a: {type: integer, maximum: 9}}}
            - {title: B, type: object, required: [b], properties: {b: {type: integer, maximum: 9}}}",
            "{outcome: {kind: done}}",
        );
        eprintln!("{text}");
        assert!(text.contains("(value) => value.holds(),"), "{text}");
        assert!(text.contains("self.outcome.holds()"), "{text}");
        assert!(
            text.contains("checks::distinct(value, |item| item.as_str())"),
            "{text}"
        );
        assert!(
            text.contains("value.iter().all(|item| SCHEMAS.text_holds("),
            "{text}"
        );
        assert!(text.contains("SCHEMAS.value_holds("), "{text}");
    }

    #[test]
    fn a_type_whose_check_is_guaranteed_leaves_its_callers_without_a_call() {
        // `plain` is three objects deep with nothing to judge at the
        // bottom: each level's `holds` falls away in turn. `checked` is the
        // same chain ending in a bound, and keeps every level.
        let chain = |leaf: &str| {
            format!(
                "{{type: object, additionalProperties: false, required: [middle], properties: {{middle: {{type: object, additionalProperties: false, required: [leaf], properties: {{leaf: {{type: object, additionalProperties: false, required: [name], properties: {{name: {leaf}}}}}}}}}}}}}"
            )
        };
        let text = holds(
            &format!(
                "      type: object
      additionalProperties: false
      required: [plain, checked]
      properties:
        plain: {}
        checked: {}",
                chain("{type: string}"),
                chain("{type: string, maxLength: 3}")
            ),
            "{plain: {middle: {leaf: {name: abcd}}}, checked: {middle: {leaf: {name: abc}}}}",
        );
        eprintln!("{text}");
        assert_eq!(text.matches("pub(crate) fn holds").count(), 4, "{text}");
        assert!(text.contains("self.checked.holds()"), "{text}");
        assert!(text.contains("self.middle.holds()"), "{text}");
        assert!(text.contains("self.leaf.holds()"), "{text}");
        assert!(!text.contains("self.plain"), "{text}");
    }

    #[test]
    fn a_choice_whose_branches_can_both_hold_takes_the_walk() {
        let text = holds(
            "      type: object
      additionalProperties: false
      required: [outcome]
      properties:
        outcome:
          oneOf:
            - {title: Done, type: object, additionalProperties: false, required: [kind], properties: {kind: {title: DoneKind, type: string, enum: [done]}}}
            - {title: Either, type: object, additionalProperties: false, required: [kind], properties: {kind: {title: EitherKind, type: string, enum: [done, skipped]}}}",
            "{outcome: {kind: skipped}}",
        );
        eprintln!("{text}");
        assert!(!text.contains("=> value.holds()"), "{text}");
    }
}
