//! The Logging query language, parsed and run against log entries (JSON `LogEntry`s), so that a
//! log-based metric or a log-match alert is judged by what it matches, not by its text.
//!
//! What is implemented, after "Logging query language" and AIP-160:
//! - `AND`, `OR`, `NOT` and `-`, parentheses, and juxtaposition as `AND`. `NOT` binds tightest,
//!   then `OR`, then `AND`: `a AND b OR c` is `a AND (b OR c)` (unlike most languages).
//! - Restrictions `FIELD OP VALUE` with `=`, `!=` and `:` (has: a substring), `FIELD:*` (the field
//!   is present), and value lists `FIELD = ("a" OR "b")`. String comparisons ignore case. A path
//!   that crosses a repeated field matches when any element does (each restriction on its own).
//!   Snake-case segments (`proto_payload`) read the camel-case field.
//! - Global restrictions (a bare value): some string field of the entry contains it.
//! - `log_id("...")`: the entry's `logName` ends in `/logs/` and the (URL-encoded) id.
//!
//! Anything else (regular expressions, `<`/`>`, `SEARCH`, `sample`, `ip_in_net`, `source`, ...)
//! evaluates to unknown, and so does `!=` on a field the entry does not have: a filter the scanner
//! cannot run is never taken to match or not to match.

use serde_json::Value;

mod eval;
pub(crate) use eval::*;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    /// A quoted string.
    Str(String),
    /// A bare word: a field path, a value, `AND`/`OR`/`NOT`.
    Word(String),
    Op(&'static str),
    Comma,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '"' | '\'' => {
                let quote = c;
                let mut v = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("a string is not closed".into()),
                        Some('\\') => {
                            if let Some(n) = chars.get(i + 1) {
                                v.push(*n);
                            }
                            i += 2;
                        }
                        Some(ch) if *ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            v.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(v));
            }
            '=' | '!' | ':' | '<' | '>' => {
                let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
                let op = match two.as_str() {
                    "=~" => "=~",
                    "!~" => "!~",
                    "!=" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    _ => match c {
                        '=' => "=",
                        ':' => ":",
                        '<' => "<",
                        '>' => ">",
                        _ => return Err("`!` without `=` or `~`".into()),
                    },
                };
                i += op.len();
                out.push(Tok::Op(op));
            }
            _ => {
                let mut v = String::new();
                while let Some(ch) = chars.get(i) {
                    if ch.is_whitespace() || "()\"'=!:<>,".contains(*ch) {
                        break;
                    }
                    // A quoted segment inside a path: labels."a.b".
                    v.push(*ch);
                    i += 1;
                }
                out.push(Tok::Word(v));
            }
        }
    }
    Ok(out)
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `FIELD OP VALUE(S)`.
    Cmp {
        path: Vec<String>,
        op: &'static str,
        values: Box<ValueExpr>,
    },
    /// A bare value: searched in every field.
    Global(String),
    /// `log_id("...")`.
    LogId(String),
    /// A construct this evaluator does not run, with what it is.
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ValueExpr {
    One(String),
    And(Vec<ValueExpr>),
    Or(Vec<ValueExpr>),
    Not(Box<ValueExpr>),
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Nesting of parentheses and negations, bounded so that no filter can exhaust the stack.
    depth: usize,
}

/// Deeper nesting than any real filter has is refused rather than followed.
const MAX_DEPTH: usize = 64;

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w == kw)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expression(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.sequence()?];
        while is_kw(self.peek(), "AND") {
            self.pos += 1;
            parts.push(self.sequence()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn sequence(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.factor()?];
        while let Some(t) = self.peek() {
            if matches!(t, Tok::RParen) || is_kw(Some(t), "AND") || is_kw(Some(t), "OR") {
                break;
            }
            parts.push(self.factor()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn factor(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.term()?];
        while is_kw(self.peek(), "OR") {
            self.pos += 1;
            parts.push(self.term()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn term(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        let t = self.term_inner();
        self.depth -= 1;
        t
    }

    fn term_inner(&mut self) -> Result<Expr, String> {
        if self.depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} deep"));
        }
        if is_kw(self.peek(), "NOT") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.term()?)));
        }
        if let Some(Tok::Word(w)) = self.peek() {
            if w.len() > 1
                && w.starts_with('-')
                && !w[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                let rest = w[1..].to_string();
                self.toks[self.pos] = Tok::Word(rest);
                return Ok(Expr::Not(Box::new(self.simple()?)));
            }
            if w == "-" {
                self.pos += 1;
                return Ok(Expr::Not(Box::new(self.simple()?)));
            }
        }
        self.simple()
    }

    fn simple(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Tok::LParen) => {
                let e = self.expression()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    _ => Err("a parenthesis is not closed".into()),
                }
            }
            Some(Tok::Word(w)) if matches!(self.peek(), Some(Tok::LParen)) => self.function(w),
            Some(Tok::Word(w)) => self.restriction(w, false),
            Some(Tok::Str(s)) => self.restriction(s, true),
            other => Err(format!("unexpected {other:?}")),
        }
    }

    fn function(&mut self, name: String) -> Result<Expr, String> {
        self.pos += 1; // (
        let mut args = Vec::new();
        loop {
            match self.next() {
                Some(Tok::RParen) => break,
                Some(Tok::Str(s)) | Some(Tok::Word(s)) => args.push(s),
                Some(Tok::Comma) => {}
                _ => return Err(format!("`{name}(` is not closed")),
            }
        }
        if name.eq_ignore_ascii_case("log_id") && args.len() == 1 {
            return Ok(Expr::LogId(args.remove(0)));
        }
        Ok(Expr::Unsupported(format!("the function `{name}`")))
    }

    fn restriction(&mut self, first: String, quoted: bool) -> Result<Expr, String> {
        let Some(Tok::Op(op)) = self.peek().cloned() else {
            return Ok(Expr::Global(first));
        };
        self.pos += 1;
        let path = if quoted {
            vec![first]
        } else {
            split_path(&first)
        };
        let values = match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let v = self.value_expression()?;
                match self.next() {
                    Some(Tok::RParen) => v,
                    _ => return Err("a value list is not closed".into()),
                }
            }
            Some(Tok::Str(s)) | Some(Tok::Word(s)) => {
                self.pos += 1;
                ValueExpr::One(s)
            }
            other => return Err(format!("`{op}` is followed by {other:?}")),
        };
        if !matches!(op, "=" | "!=" | ":") {
            return Ok(Expr::Unsupported(format!("the operator `{op}`")));
        }
        Ok(Expr::Cmp {
            path,
            op,
            values: Box::new(values),
        })
    }

    fn value_expression(&mut self) -> Result<ValueExpr, String> {
        let mut ands = vec![self.value_factor()?];
        loop {
            match self.peek() {
                Some(Tok::RParen) | None => break,
                t if is_kw(t, "AND") => {
                    self.pos += 1;
                    ands.push(self.value_factor()?);
                }
                _ => ands.push(self.value_factor()?),
            }
        }
        Ok(if ands.len() == 1 {
            ands.remove(0)
        } else {
            ValueExpr::And(ands)
        })
    }

    fn value_factor(&mut self) -> Result<ValueExpr, String> {
        let mut ors = vec![self.value_term()?];
        while is_kw(self.peek(), "OR") {
            self.pos += 1;
            ors.push(self.value_term()?);
        }
        Ok(if ors.len() == 1 {
            ors.remove(0)
        } else {
            ValueExpr::Or(ors)
        })
    }

    fn value_term(&mut self) -> Result<ValueExpr, String> {
        self.depth += 1;
        let t = self.value_term_inner();
        self.depth -= 1;
        t
    }

    fn value_term_inner(&mut self) -> Result<ValueExpr, String> {
        if self.depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} deep"));
        }
        match self.next() {
            Some(Tok::Word(w)) if w == "NOT" => Ok(ValueExpr::Not(Box::new(self.value_term()?))),
            Some(Tok::LParen) => {
                let v = self.value_expression()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(v),
                    _ => Err("a value list is not closed".into()),
                }
            }
            Some(Tok::Str(s)) | Some(Tok::Word(s)) => Ok(ValueExpr::One(s)),
            other => Err(format!("unexpected {other:?} in a value list")),
        }
    }
}

/// `a.b."c.d"` into its segments.
fn split_path(p: &str) -> Vec<String> {
    p.split('.')
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

/// Parses a filter; an empty filter is `None` (it matches everything).
pub(crate) fn parse(filter: &str) -> Result<Option<Expr>, String> {
    let toks = lex(filter)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.expression()?;
    if p.pos < p.toks.len() {
        return Err(format!("unexpected {:?}", p.toks[p.pos]));
    }
    Ok(Some(e))
}

#[cfg(test)]
mod tests;
