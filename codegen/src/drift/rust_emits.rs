//! Finds where Rust code emits events, with syn.
//!
//! An event counts as emitted where code constructs its enum variant
//! (`BoardEvent::TaskCreated(..)`) or its payload struct
//! (`TaskCreatedPayload { .. }`), or where a configured emit function gets
//! its name as a string literal (`broadcast_board_event("task_created", ..)`).
//! A function that forwards one of its own parameters to an emit function is
//! an emit function too (one level of wrapper), so its call sites count.
//! Macro bodies are read where their tokens are expressions or statements
//! (`tokio::select! { _ = tick => hub.send(TaskCreatedPayload { .. }) }`,
//! `vec![..]`); test code (`#[cfg(test)]`, `#[test]`) is no evidence.

use std::collections::HashMap;

use proc_macro2::{LineColumn, TokenStream, TokenTree};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Block, Expr, ExprCall, ExprMethodCall, ExprPath, ExprStruct, FnArg, ImplItemFn,
    ItemFn, ItemMod, Lit, Macro, Meta, Pat, Signature,
};

/// What one Rust file emits.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Emits {
    /// Event names emitted, with where (start, end of the emitting expression).
    pub emitted: Vec<(String, LineColumn, LineColumn)>,
    /// String literals passed as event names that are no catalog event.
    pub unregistered: Vec<(String, LineColumn, LineColumn)>,
    /// Event-name arguments that are not literals, by the function called.
    pub unverifiable: Vec<(String, LineColumn, LineColumn)>,
}

/// What the scan looks for.
pub struct Targets<'a> {
    /// `BoardEvent`.
    pub event_enum: &'a str,
    /// Rust variant ident → event name.
    pub variants: &'a HashMap<String, String>,
    /// Payload struct name → event name (payload types used by one event only).
    pub payloads: &'a HashMap<String, String>,
    /// Wire name (and alias) → event name.
    pub names: &'a HashMap<String, String>,
}

/// Emit functions by name: the position of their event-name argument.
pub type EmitFunctions = HashMap<String, usize>;

/// Adds to `functions` every function in `file` that forwards one of its
/// parameters to an emit function already in `functions`.
pub fn find_wrappers(file: &syn::File, functions: &mut EmitFunctions) {
    let mut finder = WrapperFinder {
        known: functions.clone(),
        found: Vec::new(),
    };
    finder.visit_file(file);
    for (name, position) in finder.found {
        functions.entry(name).or_insert(position);
    }
}

/// Scans one parsed file.
pub fn scan(file: &syn::File, targets: &Targets<'_>, functions: &EmitFunctions) -> Emits {
    let mut scanner = Scanner {
        targets,
        functions,
        parameters: Vec::new(),
        tests: 0,
        emits: Emits::default(),
    };
    scanner.visit_file(file);
    scanner.emits
}

/// Parameter names of a signature, `self` excluded, in order.
pub(crate) fn parameter_names(signature: &Signature) -> Vec<String> {
    signature
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(ident) => Some(ident.ident.to_string()),
                _ => Some(String::new()),
            },
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The called function's name and its arguments, for `f(..)`, `path::f(..)` and `x.f(..)`.
pub(crate) fn call_of(expr: &Expr) -> Option<(String, Vec<&Expr>)> {
    match expr {
        Expr::Call(ExprCall { func, args, .. }) => match &**func {
            Expr::Path(ExprPath { path, .. }) => {
                let name = path.segments.last()?.ident.to_string();
                Some((name, args.iter().collect()))
            }
            _ => None,
        },
        Expr::MethodCall(ExprMethodCall { method, args, .. }) => {
            Some((method.to_string(), args.iter().collect()))
        }
        _ => None,
    }
}

/// The single-segment path an expression is (`event_type`, `&event_type`).
pub(crate) fn plain_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(ExprPath { path, .. }) if path.segments.len() == 1 => {
            Some(path.segments[0].ident.to_string())
        }
        Expr::Reference(reference) => plain_name(&reference.expr),
        Expr::Paren(paren) => plain_name(&paren.expr),
        _ => None,
    }
}

/// The string literal an expression is: `"x"`, `&"x"`, and the owned
/// forms `"x".to_string()`, `"x".to_owned()`, `"x".into()`, `String::from("x")`.
pub(crate) fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(literal) => match &literal.lit {
            Lit::Str(text) => Some(text.value()),
            _ => None,
        },
        Expr::Reference(reference) => string_literal(&reference.expr),
        Expr::Paren(paren) => string_literal(&paren.expr),
        Expr::MethodCall(call) if call.args.is_empty() => {
            let owned = ["to_string", "to_owned", "into"]
                .iter()
                .any(|name| call.method == name);
            owned.then(|| string_literal(&call.receiver)).flatten()
        }
        Expr::Call(ExprCall { func, args, .. }) if args.len() == 1 => match &**func {
            Expr::Path(ExprPath { path, .. }) if is_string_from(path) => {
                string_literal(args.first()?)
            }
            _ => None,
        },
        _ => None,
    }
}

fn is_string_from(path: &syn::Path) -> bool {
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    names.ends_with(&["String".to_string(), "from".to_string()])
}

struct WrapperFinder {
    known: EmitFunctions,
    found: Vec<(String, usize)>,
}

impl WrapperFinder {
    fn function(&mut self, signature: &Signature, body: &syn::Block) {
        let parameters = parameter_names(signature);
        let mut calls = CallCollector { calls: Vec::new() };
        calls.visit_block(body);
        for (name, argument) in calls.calls {
            let Some(&position) = self.known.get(&name) else {
                continue;
            };
            let Some(forwarded) = argument.get(position).cloned().flatten() else {
                continue;
            };
            if let Some(index) = parameters
                .iter()
                .position(|parameter| *parameter == forwarded)
            {
                self.found.push((signature.ident.to_string(), index));
            }
        }
    }
}

impl<'ast> Visit<'ast> for WrapperFinder {
    fn visit_item_fn(&mut self, item: &'ast ItemFn) {
        self.function(&item.sig, &item.block);
        visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast ImplItemFn) {
        self.function(&item.sig, &item.block);
        visit::visit_impl_item_fn(self, item);
    }
}

/// The names of the functions and methods called anywhere in `file`, test
/// code included; in macro bodies, every name before a `(..)` group.
pub fn called_names(file: &syn::File) -> std::collections::BTreeSet<String> {
    let mut names = CalledNames::default();
    names.visit_file(file);
    names.0
}

#[derive(Default)]
struct CalledNames(std::collections::BTreeSet<String>);

impl CalledNames {
    fn tokens(&mut self, tokens: TokenStream) {
        let mut previous: Option<String> = None;
        for token in tokens {
            if let TokenTree::Group(group) = &token {
                if group.delimiter() == proc_macro2::Delimiter::Parenthesis
                    && let Some(name) = previous.take()
                {
                    self.0.insert(name);
                }
                self.tokens(group.stream());
            }
            previous = match token {
                TokenTree::Ident(ident) => Some(ident.to_string()),
                _ => None,
            };
        }
    }
}

impl<'ast> Visit<'ast> for CalledNames {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        if let Some((name, _)) = call_of(expr) {
            self.0.insert(name);
        }
        visit::visit_expr(self, expr);
    }

    fn visit_macro(&mut self, mac: &'ast Macro) {
        self.tokens(mac.tokens.clone());
    }
}

/// Every call in a body: the function name and, per argument, the plain name it is.
struct CallCollector {
    calls: Vec<(String, Vec<Option<String>>)>,
}

impl<'ast> Visit<'ast> for CallCollector {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        if let Some((name, args)) = call_of(expr) {
            self.calls
                .push((name, args.into_iter().map(plain_name).collect()));
        }
        visit::visit_expr(self, expr);
    }
}

struct Scanner<'a> {
    targets: &'a Targets<'a>,
    functions: &'a EmitFunctions,
    /// Parameters of the functions being visited, innermost last.
    parameters: Vec<Vec<String>>,
    /// How many enclosing items are test code.
    tests: usize,
    emits: Emits,
}

/// `#[test]`, `#[tokio::test]` and the like, or `#[cfg(test)]`.
pub(crate) fn is_test_attribute(attribute: &Attribute) -> bool {
    let path = attribute.path();
    if path
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "test")
    {
        return true;
    }
    match &attribute.meta {
        Meta::List(list) if path.is_ident("cfg") => list.tokens.to_string() == "test",
        _ => false,
    }
}

/// The top-level pieces of a token stream between `,`, `;` and `=>`.
fn pieces(tokens: TokenStream) -> Vec<TokenStream> {
    let mut pieces = vec![Vec::new()];
    let mut previous_equals = false;
    for token in tokens {
        let separator = match &token {
            TokenTree::Punct(punct) => {
                let arrow = punct.as_char() == '>' && previous_equals;
                previous_equals = punct.as_char() == '=';
                if arrow {
                    // The `=` of `=>` ended the piece before it.
                    if let Some(last) = pieces.last_mut() {
                        last.pop();
                    }
                }
                matches!(punct.as_char(), ',' | ';') || arrow
            }
            _ => {
                previous_equals = false;
                false
            }
        };
        match pieces.last_mut() {
            Some(piece) if !separator => piece.push(token),
            _ => pieces.push(Vec::new()),
        }
    }
    pieces
        .into_iter()
        .filter(|piece| !piece.is_empty())
        .map(TokenStream::from_iter)
        .collect()
}

impl Scanner<'_> {
    /// Visits `visit` with `attrs` counted as test code or not.
    fn within(&mut self, attrs: &[Attribute], visit: impl FnOnce(&mut Self)) {
        let test = usize::from(attrs.iter().any(is_test_attribute));
        self.tests += test;
        visit(self);
        self.tests -= test;
    }

    /// A macro's tokens, as statements where they are, else piece by piece
    /// as expressions; a piece that is neither is searched for groups that are.
    fn visit_tokens(&mut self, tokens: TokenStream) {
        if let Ok(statements) = Block::parse_within.parse2(tokens.clone()) {
            for statement in &statements {
                self.visit_stmt(statement);
            }
            return;
        }
        for piece in pieces(tokens) {
            match syn::parse2::<Expr>(piece.clone()) {
                Ok(expr) => self.visit_expr(&expr),
                Err(_) => {
                    for token in piece {
                        if let TokenTree::Group(group) = token {
                            self.visit_tokens(group.stream());
                        }
                    }
                }
            }
        }
    }

    fn record_call(&mut self, expr: &Expr) {
        let Some((name, args)) = call_of(expr) else {
            return;
        };
        let Some(&position) = self.functions.get(&name) else {
            return;
        };
        let Some(argument) = args.get(position) else {
            return;
        };
        let span = argument.span();
        match string_literal(argument) {
            Some(literal) => match self.targets.names.get(&literal) {
                Some(event) => self
                    .emits
                    .emitted
                    .push((event.clone(), span.start(), span.end())),
                None => self
                    .emits
                    .unregistered
                    .push((literal, span.start(), span.end())),
            },
            None => {
                // A wrapper forwarding its own parameter is checked at its call sites.
                let forwards_parameter = plain_name(argument).is_some_and(|forwarded| {
                    self.parameters
                        .last()
                        .is_some_and(|names| names.contains(&forwarded))
                });
                if !forwards_parameter {
                    self.emits
                        .unverifiable
                        .push((name, span.start(), span.end()));
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Scanner<'_> {
    fn visit_item_fn(&mut self, item: &'ast ItemFn) {
        self.parameters.push(parameter_names(&item.sig));
        self.within(&item.attrs, |this| visit::visit_item_fn(this, item));
        self.parameters.pop();
    }

    fn visit_impl_item_fn(&mut self, item: &'ast ImplItemFn) {
        self.parameters.push(parameter_names(&item.sig));
        self.within(&item.attrs, |this| visit::visit_impl_item_fn(this, item));
        self.parameters.pop();
    }

    fn visit_item_mod(&mut self, item: &'ast ItemMod) {
        self.within(&item.attrs, |this| visit::visit_item_mod(this, item));
    }

    fn visit_macro(&mut self, mac: &'ast Macro) {
        self.visit_tokens(mac.tokens.clone());
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        // Test code may build any message; it shows nothing about the app.
        if self.tests > 0 {
            return;
        }
        self.record_call(expr);
        visit::visit_expr(self, expr);
    }

    fn visit_expr_path(&mut self, expr: &'ast ExprPath) {
        let segments: Vec<String> = expr
            .path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        if let [.., owner, variant] = segments.as_slice()
            && owner == self.targets.event_enum
            && let Some(event) = self.targets.variants.get(variant)
        {
            let span = expr.span();
            self.emits
                .emitted
                .push((event.clone(), span.start(), span.end()));
        }
        visit::visit_expr_path(self, expr);
    }

    fn visit_expr_struct(&mut self, expr: &'ast ExprStruct) {
        if let Some(last) = expr.path.segments.last()
            && let Some(event) = self.targets.payloads.get(&last.ident.to_string())
        {
            let span = expr.path.span();
            self.emits
                .emitted
                .push((event.clone(), span.start(), span.end()));
        }
        visit::visit_expr_struct(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn called_names_include_macro_bodies() {
        let file = syn::parse_file(
            "fn f() { hub.send(1); tokio::select! { _ = t => relay(x) } }\n\
             fn g() { println!(\"{}\", shout(2)); }",
        )
        .unwrap();
        let names: Vec<String> = called_names(&file).into_iter().collect();
        assert_eq!(names, ["relay", "send", "shout"]);
    }

    fn run(code: &str) -> Emits {
        let variants = HashMap::from([
            ("TaskCreated".to_string(), "task_created".to_string()),
            ("TaskRunStarted".to_string(), "task_run_started".to_string()),
        ]);
        let payloads =
            HashMap::from([("TaskDeletedPayload".to_string(), "task_deleted".to_string())]);
        let names = HashMap::from([
            ("task_created".to_string(), "task_created".to_string()),
            (
                "task_run_started".to_string(),
                "task_run_started".to_string(),
            ),
            ("task_deleted".to_string(), "task_deleted".to_string()),
        ]);
        let targets = Targets {
            event_enum: "BoardEvent",
            variants: &variants,
            payloads: &payloads,
            names: &names,
        };
        let file = syn::parse_file(code).unwrap();
        let mut functions = EmitFunctions::from([("broadcast_board_event".to_string(), 1)]);
        find_wrappers(&file, &mut functions);
        scan(&file, &targets, &functions)
    }

    fn names(found: &[(String, LineColumn, LineColumn)]) -> Vec<&str> {
        found.iter().map(|(name, _, _)| name.as_str()).collect()
    }

    #[test]
    fn enum_variants_payload_structs_and_literals_count() {
        let emits = run(r#"
            fn a(hub: &Hub) {
                hub.broadcast(BoardEvent::TaskCreated(TaskCreatedPayload { task_id: 1 }));
                hub.send(board_events::TaskDeletedPayload { task_id: 2 });
                broadcast_board_event(hub, "task_run_started", json);
            }
            fn not_an_emit(event: &BoardEvent) {
                match event { BoardEvent::TaskCreated(_) => {} _ => {} }
            }
        "#);
        assert_eq!(
            names(&emits.emitted),
            ["task_created", "task_deleted", "task_run_started"]
        );
        assert_eq!(emits.emitted[0].1.line, 3);
        assert!(emits.unregistered.is_empty() && emits.unverifiable.is_empty());
    }

    #[test]
    fn a_wrapper_counts_at_its_call_sites() {
        let emits = run(r#"
            fn broadcast_run_event(hub: &Hub, event_type: &str, run: &Run) {
                broadcast_board_event(hub, event_type, payload(run));
            }
            fn start(hub: &Hub, run: &Run) {
                broadcast_run_event(hub, "task_run_started", run);
                broadcast_run_event(hub, "task_run_exploded", run);
            }
        "#);
        assert_eq!(names(&emits.emitted), ["task_run_started"]);
        assert_eq!(names(&emits.unregistered), ["task_run_exploded"]);
        assert_eq!(emits.unregistered[0].1.line, 7);
        assert!(emits.unverifiable.is_empty());
    }

    /// An emit inside a macro body counts (the false negative of
    /// `tokio::select!`); one only in test code does not (a dead event
    /// hidden by its test).
    #[test]
    fn macro_bodies_count_and_test_code_does_not() {
        let emits = run(r#"
            async fn serve(hub: &Hub) {
                tokio::select! {
                    _ = tick() => hub.send(TaskDeletedPayload { task_id: 1 }),
                    msg = rx.recv() => { broadcast_board_event(hub, "task_created", msg); }
                }
                let all = vec![BoardEvent::TaskRunStarted(run())];
            }
            #[cfg(test)]
            mod tests {
                fn t() { broadcast_board_event(hub, "task_archived", 1); }
            }
            #[test]
            fn u() { let _ = TaskDeletedPayload { task_id: 2 }; }
        "#);
        assert_eq!(
            names(&emits.emitted),
            ["task_deleted", "task_created", "task_run_started"]
        );
        assert!(emits.unregistered.is_empty(), "{:?}", emits.unregistered);
    }

    #[test]
    fn a_computed_name_is_unverifiable() {
        let emits = run(r#"
            fn f(hub: &Hub, kind: Kind) {
                let name = format!("task_{kind}");
                broadcast_board_event(hub, &name, json);
            }
        "#);
        assert_eq!(names(&emits.unverifiable), ["broadcast_board_event"]);
        assert_eq!(emits.unverifiable[0].1.line, 4);
    }
}
