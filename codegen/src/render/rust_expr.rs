//! The boolean expressions of the generated `holds` methods as a small
//! tree, written as text in rustfmt's style: on one line when it fits, a
//! chain of `&&` one operand per line, a call whose last argument is a
//! closure with the closure's body as a block, other calls one argument
//! per line.

use super::rust_text::{INDENT, MARGIN, pad};

/// A generated expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    /// Text that never breaks: `self.holds()`, `(1..=9).contains(&self.n)`.
    Atom(String),
    /// `{head}({args})`.
    Call { head: String, args: Vec<Expr> },
    /// `|{param}| {body}`.
    Closure {
        param: &'static str,
        body: Box<Expr>,
    },
    /// `a && b && ...`, two or more operands.
    All(Vec<Expr>),
    /// `match {scrutinee} { pattern => value, ... }`.
    Match {
        scrutinee: &'static str,
        arms: Vec<(String, Expr)>,
    },
}

impl Expr {
    pub(crate) fn atom(text: impl Into<String>) -> Expr {
        Expr::Atom(text.into())
    }

    pub(crate) fn truth() -> Expr {
        Expr::atom("true")
    }

    /// Whether this is the constant `true`.
    pub(crate) fn is_true(&self) -> bool {
        matches!(self, Expr::Atom(text) if text == "true")
    }

    pub(crate) fn call(head: impl Into<String>, args: Vec<Expr>) -> Expr {
        Expr::Call {
            head: head.into(),
            args,
        }
    }

    pub(crate) fn closure(param: &'static str, body: Expr) -> Expr {
        Expr::Closure {
            param,
            body: Box::new(body),
        }
    }

    /// `a && b && ...` of `parts` (nested chains flattened), or `None` for
    /// no parts.
    pub(crate) fn all(parts: Vec<Expr>) -> Option<Expr> {
        let mut flat = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                Expr::All(inner) => flat.extend(inner),
                part => flat.push(part),
            }
        }
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(Expr::All(flat)),
        }
    }

    /// The expression on one line.
    pub(crate) fn one_line(&self) -> String {
        let mut out = String::new();
        self.push_one_line(&mut out);
        out
    }

    fn push_one_line(&self, out: &mut String) {
        match self {
            Expr::Atom(text) => out.push_str(text),
            Expr::Call { head, args } => {
                out.push_str(head);
                out.push('(');
                for (index, arg) in args.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    arg.push_one_line(out);
                }
                out.push(')');
            }
            Expr::Closure { param, body } => {
                out.push('|');
                out.push_str(param);
                out.push_str("| ");
                body.push_one_line(out);
            }
            Expr::All(parts) => {
                for (index, part) in parts.iter().enumerate() {
                    if index > 0 {
                        out.push_str(" && ");
                    }
                    part.push_one_line(out);
                }
            }
            Expr::Match { scrutinee, arms } => {
                out.push_str("match ");
                out.push_str(scrutinee);
                out.push_str(" {");
                for (pattern, value) in arms {
                    out.push(' ');
                    out.push_str(pattern);
                    out.push_str(" => ");
                    value.push_one_line(out);
                    out.push(',');
                }
                out.push_str(" }");
            }
        }
    }

    /// Writes the expression as the body of a block at `indent`: its own
    /// lines, each ending in a newline.
    pub(crate) fn write_block(&self, out: &mut String, indent: usize) {
        pad(out, indent);
        self.write(out, indent, indent, 0);
        out.push('\n');
    }

    /// Writes `if {self} {` at `indent`: on one line when it fits, else the
    /// condition broken and the brace on a line of its own, as rustfmt
    /// writes a long condition.
    pub(crate) fn write_condition(&self, out: &mut String, indent: usize) {
        pad(out, indent);
        out.push_str("if ");
        let start = out.len();
        self.write(out, indent, indent + 3, 2);
        if out[start..].contains('\n') {
            out.push('\n');
            pad(out, indent);
            out.push_str("{\n");
        } else {
            out.push_str(" {\n");
        }
    }

    /// Writes the expression from column `column` of a line indented by
    /// `indent`, leaving room for `after` characters behind it.
    fn write(&self, out: &mut String, indent: usize, column: usize, after: usize) {
        let one_line = self.one_line();
        // A `match` is always a block, as rustfmt writes one.
        let fits = column + one_line.len() + after <= MARGIN;
        if fits && !matches!(self, Expr::Match { .. }) {
            out.push_str(&one_line);
            return;
        }
        match self {
            Expr::Atom(text) => out.push_str(text),
            Expr::All(parts) => {
                let last = parts.len() - 1;
                for (index, part) in parts.iter().enumerate() {
                    let tail = if index == last { after } else { 0 };
                    if index == 0 {
                        part.write(out, indent, column, tail);
                    } else {
                        out.push('\n');
                        pad(out, indent + INDENT);
                        out.push_str("&& ");
                        part.write(out, indent + INDENT, indent + INDENT + 3, tail);
                    }
                }
            }
            Expr::Call { head, args } => Expr::write_call(out, head, args, indent, column),
            Expr::Closure { param, body } => {
                out.push('|');
                out.push_str(param);
                out.push_str("| {\n");
                body.write_block(out, indent + INDENT);
                pad(out, indent);
                out.push('}');
            }
            Expr::Match { scrutinee, arms } => {
                out.push_str("match ");
                out.push_str(scrutinee);
                out.push_str(" {\n");
                for (pattern, value) in arms {
                    write_arm(out, indent + INDENT, pattern, value);
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }

    /// A call that does not fit on its line: a last closure argument as a
    /// block after the other arguments when they fit, else every argument
    /// on a line of its own.
    fn write_call(out: &mut String, head: &str, args: &[Expr], indent: usize, column: usize) {
        if let Some((Expr::Closure { param, body }, first)) = args.split_last() {
            let mut opening = format!("{head}(");
            for arg in first {
                opening.push_str(&arg.one_line());
                opening.push_str(", ");
            }
            opening.push_str(&format!("|{param}| {{"));
            if column + opening.len() <= MARGIN {
                out.push_str(&opening);
                out.push('\n');
                body.write_block(out, indent + INDENT);
                pad(out, indent);
                out.push_str("})");
                return;
            }
        }
        out.push_str(head);
        out.push_str("(\n");
        for arg in args {
            pad(out, indent + INDENT);
            arg.write(out, indent + INDENT, indent + INDENT, 1);
            out.push_str(",\n");
        }
        pad(out, indent);
        out.push(')');
    }
}

/// A match arm at `indent`: `pattern => value,` on one line when it fits,
/// else the value as a block.
fn write_arm(out: &mut String, indent: usize, pattern: &str, value: &Expr) {
    pad(out, indent);
    out.push_str(pattern);
    out.push_str(" => ");
    let column = indent + pattern.len() + 4;
    // The arm's comma must fit too.
    let comma = 1;
    if column + value.one_line().len() + comma <= MARGIN {
        value.write(out, indent, column, 1);
        out.push_str(",\n");
    } else {
        out.push_str("{\n");
        value.write_block(out, indent + INDENT);
        pad(out, indent);
        out.push_str("}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(at: usize, place: &str) -> Expr {
        Expr::atom(format!("SCHEMAS.text_holds({at}, {place})"))
    }

    fn none_or(place: &str, body: Expr) -> Expr {
        Expr::call(
            "checks::none_or",
            vec![
                Expr::atom(format!("&self.{place}")),
                Expr::closure("value", body),
            ],
        )
    }

    fn block(expr: &Expr) -> String {
        let mut out = String::new();
        expr.write_block(&mut out, 8);
        out
    }

    #[test]
    fn a_short_expression_stays_on_one_line() {
        let expr = Expr::all(vec![holds(1, "&self.a"), holds(2, "&self.b")]).unwrap();
        assert_eq!(
            block(&expr),
            "        SCHEMAS.text_holds(1, &self.a) && SCHEMAS.text_holds(2, &self.b)\n"
        );
    }

    #[test]
    fn a_long_chain_puts_each_operand_on_its_own_line() {
        let long = "x".repeat(10);
        let expr = Expr::all(vec![
            holds(1, &format!("&self.{long}")),
            none_or(&long, holds(2, "value")),
            none_or(&format!("{long}{long}"), holds(3, "value")),
        ])
        .unwrap();
        let expected = format!(
            "        SCHEMAS.text_holds(1, &self.{long})\n            \
             && checks::none_or(&self.{long}, |value| SCHEMAS.text_holds(2, value))\n            \
             && checks::none_or(&self.{long}{long}, |value| {{\n                \
             SCHEMAS.text_holds(3, value)\n            \
             }})\n"
        );
        assert_eq!(block(&expr), expected);
        let function = format!("fn f() -> bool {{\n{}}}\n", block(&expr));
        syn::parse_file(&function).expect("the expression parses");
    }

    #[test]
    fn a_call_whose_first_arguments_do_not_fit_puts_every_argument_on_a_line() {
        let long = "y".repeat(80);
        let expr = none_or(&long, holds(2, "value"));
        assert_eq!(
            block(&expr),
            format!(
                "        checks::none_or(\n            &self.{long},\n            \
                 |value| SCHEMAS.text_holds(2, value),\n        )\n"
            )
        );
    }

    #[test]
    fn a_match_is_a_block_with_an_arm_per_line() {
        let expr = Expr::Match {
            scrutinee: "self",
            arms: vec![
                ("Kind::A(value)".into(), Expr::atom("value.holds()")),
                ("Kind::B(_)".into(), Expr::truth()),
            ],
        };
        assert_eq!(
            block(&expr),
            "        match self {\n            Kind::A(value) => value.holds(),\n            \
             Kind::B(_) => true,\n        }\n"
        );
    }

    #[test]
    fn chains_flatten_and_a_single_part_is_itself() {
        let a = Expr::atom("a");
        let chain = Expr::all(vec![a.clone(), Expr::atom("b")]).unwrap();
        let nested = Expr::all(vec![chain, Expr::atom("c")]).unwrap();
        assert_eq!(nested.one_line(), "a && b && c");
        assert_eq!(Expr::all(vec![a.clone()]), Some(a));
        assert_eq!(Expr::all(vec![]), None);
    }
}
