//! Rust calls, with syn, in the shape of [`calls`](super::calls).
//!
//! Like `drift::rust_emits`, a call is `f(..)`, `path::f(..)` or
//! `x.f(..)` (the receiver is not an argument) and the function around a
//! call is the innermost `fn` item (closures do not count), so what `init`
//! finds is what `check` will look at. Macro bodies are not parsed.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, ImplItemFn, ItemFn, ItemMod, Signature, TraitItemFn};

use crate::code::calls::{Arg, Call, Extracted, FunctionDef, Value};
use crate::drift::rust_emits::{
    call_of, is_test_attribute, parameter_names, plain_name, string_literal,
};

/// The parsed file and its calls and functions, or the parse error.
pub(super) fn parse(text: &str) -> Result<(syn::File, Extracted), String> {
    let file = syn::parse_file(text).map_err(|error| {
        let start = error.span().start();
        format!("{}:{}: {error}", start.line, start.column + 1)
    })?;
    let mut collector = Collector::default();
    collector.visit_file(&file);
    Ok((file, (collector.calls, collector.defs)))
}

#[derive(Default)]
struct Collector {
    calls: Vec<Call>,
    defs: Vec<FunctionDef>,
    /// Indices into `defs` of the `fn`s being visited, innermost last.
    open: Vec<usize>,
    /// How many enclosing items are test code.
    tests: usize,
}

impl Collector {
    fn function(
        &mut self,
        attrs: &[Attribute],
        signature: &Signature,
        visit: impl FnOnce(&mut Self),
    ) {
        let test = attrs.iter().any(is_test_attribute);
        self.defs.push(FunctionDef {
            name: signature.ident.to_string(),
            params: parameter_names(signature),
        });
        self.open.push(self.defs.len() - 1);
        self.tests += usize::from(test);
        visit(self);
        self.tests -= usize::from(test);
        self.open.pop();
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item_fn(&mut self, item: &'ast ItemFn) {
        self.function(&item.attrs, &item.sig, |this| {
            visit::visit_item_fn(this, item)
        });
    }

    fn visit_impl_item_fn(&mut self, item: &'ast ImplItemFn) {
        self.function(&item.attrs, &item.sig, |this| {
            visit::visit_impl_item_fn(this, item)
        });
    }

    fn visit_trait_item_fn(&mut self, item: &'ast TraitItemFn) {
        self.function(&item.attrs, &item.sig, |this| {
            visit::visit_trait_item_fn(this, item)
        });
    }

    fn visit_item_mod(&mut self, item: &'ast ItemMod) {
        let test = item.attrs.iter().any(is_test_attribute);
        self.tests += usize::from(test);
        visit::visit_item_mod(self, item);
        self.tests -= usize::from(test);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        if let Some((name, args)) = call_of(expr) {
            self.calls.push(Call {
                name,
                args: args.into_iter().map(argument).collect(),
                enclosing: self.open.last().copied(),
                in_test: self.tests > 0,
            });
        }
        visit::visit_expr(self, expr);
    }
}

fn argument(expr: &Expr) -> Arg {
    let start = expr.span().start();
    let value = match (string_literal(expr), plain_name(expr)) {
        (Some(text), _) => Value::Str(text),
        (None, Some(name)) => Value::Ident(name),
        (None, None) => Value::Other,
    };
    Arg {
        keyword: None,
        value,
        line: start.line,
        column: start.column + 1,
    }
}
