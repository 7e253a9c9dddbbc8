//! CloudWatch Logs filter patterns: parsed, and run against sample CloudTrail events.

use super::*;

/// A parsed filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// `{ ... }`: a JSON pattern.
    Json(Expr),
    /// Terms: every `all` term, at least one `any` term (when there are some), no `none` term.
    Terms {
        all: Vec<String>,
        any: Vec<String>,
        none: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp {
        path: Vec<Step>,
        negated: bool,
        value: Literal,
    },
    Exists {
        path: Vec<Step>,
        exists: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Null,
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    LBrace,
    RBrace,
    LParen,
    RParen,
    And,
    Or,
    Eq,
    Ne,
    Word(String),
    Quoted(String),
}

/// Whether a bare word ends at `i`: whitespace, a bracket, `=`, a quote, or an operator.
pub(super) fn ends_word(chars: &[char], i: usize) -> bool {
    let next = chars.get(i + 1);
    match chars[i] {
        c if c.is_whitespace() => true,
        '{' | '}' | '(' | ')' | '=' | '"' => true,
        '!' => next == Some(&'='),
        '&' => next == Some(&'&'),
        '|' => next == Some(&'|'),
        _ => false,
    }
}

pub(super) fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '{' => {
                out.push(Tok::LBrace);
                i += 1
            }
            '}' => {
                out.push(Tok::RBrace);
                i += 1
            }
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            '&' if chars.get(i + 1) == Some(&'&') => {
                out.push(Tok::And);
                i += 2
            }
            '|' if chars.get(i + 1) == Some(&'|') => {
                out.push(Tok::Or);
                i += 2
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Tok::Ne);
                i += 2
            }
            '=' => {
                out.push(Tok::Eq);
                i += 1
            }
            '<' | '>' => return Err("numeric comparisons are not read".into()),
            '%' => return Err("regular expressions are not read".into()),
            '"' => {
                let mut v = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated string".into()),
                        Some('\\') => {
                            if let Some(n) = chars.get(i + 1) {
                                v.push(*n);
                            }
                            i += 2;
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            v.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Quoted(v));
            }
            _ => {
                let start = i;
                while i < chars.len() && !ends_word(&chars, i) {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

/// Parses a filter pattern; an error says what is not understood.
pub fn parse(pattern: &str) -> Result<Pattern, String> {
    let trimmed = pattern.trim();
    if trimmed.starts_with('[') {
        return Err("space-delimited patterns are not read".into());
    }
    let toks = tokenize(trimmed)?;
    if toks.first() == Some(&Tok::LBrace) {
        if toks.last() != Some(&Tok::RBrace) {
            return Err("a JSON pattern must end with `}`".into());
        }
        let inner = &toks[1..toks.len() - 1];
        let mut pos = 0;
        let e = or_expr(inner, &mut pos)?;
        if pos != inner.len() {
            return Err("unexpected text after the expression".into());
        }
        return Ok(Pattern::Json(e));
    }
    let (mut all, mut any, mut none) = (Vec::new(), Vec::new(), Vec::new());
    for t in toks {
        match t {
            Tok::Quoted(s) => all.push(s),
            Tok::Word(w) => {
                if let Some(rest) = w.strip_prefix('?') {
                    any.push(rest.trim_matches('"').to_string());
                } else if let Some(rest) = w.strip_prefix('-') {
                    none.push(rest.trim_matches('"').to_string());
                } else {
                    all.push(w);
                }
            }
            _ => return Err("operators outside `{ }` are not read".into()),
        }
    }
    Ok(Pattern::Terms { all, any, none })
}

pub(super) fn or_expr(t: &[Tok], pos: &mut usize) -> Result<Expr, String> {
    let mut left = and_expr(t, pos)?;
    while t.get(*pos) == Some(&Tok::Or) {
        *pos += 1;
        let right = and_expr(t, pos)?;
        left = Expr::Or(Box::new(left), Box::new(right));
    }
    Ok(left)
}

pub(super) fn and_expr(t: &[Tok], pos: &mut usize) -> Result<Expr, String> {
    let mut left = primary(t, pos)?;
    while t.get(*pos) == Some(&Tok::And) {
        *pos += 1;
        let right = primary(t, pos)?;
        left = Expr::And(Box::new(left), Box::new(right));
    }
    Ok(left)
}

pub(super) fn primary(t: &[Tok], pos: &mut usize) -> Result<Expr, String> {
    match t.get(*pos) {
        Some(Tok::LParen) => {
            *pos += 1;
            let e = or_expr(t, pos)?;
            if t.get(*pos) != Some(&Tok::RParen) {
                return Err("missing `)`".into());
            }
            *pos += 1;
            Ok(e)
        }
        Some(Tok::Word(w)) if w.starts_with('$') => {
            let path = selector(w)?;
            *pos += 1;
            let word = |p: usize| match t.get(p) {
                Some(Tok::Word(w)) => Some(w.to_ascii_uppercase()),
                _ => None,
            };
            match (t.get(*pos), word(*pos).as_deref()) {
                (Some(Tok::Eq), _) | (Some(Tok::Ne), _) => {
                    let negated = t[*pos] == Tok::Ne;
                    *pos += 1;
                    let value = match t.get(*pos) {
                        Some(Tok::Quoted(s)) => Literal::Str(s.clone()),
                        Some(Tok::Word(w)) => match w.as_str() {
                            "NULL" => Literal::Null,
                            "TRUE" | "true" => Literal::Bool(true),
                            "FALSE" | "false" => Literal::Bool(false),
                            _ => Literal::Str(w.clone()),
                        },
                        _ => return Err("a comparison needs a value".into()),
                    };
                    *pos += 1;
                    Ok(Expr::Cmp {
                        path,
                        negated,
                        value,
                    })
                }
                (_, Some("NOT")) if word(*pos + 1).as_deref() == Some("EXISTS") => {
                    *pos += 2;
                    Ok(Expr::Exists {
                        path,
                        exists: false,
                    })
                }
                (_, Some("EXISTS")) => {
                    *pos += 1;
                    Ok(Expr::Exists { path, exists: true })
                }
                (_, Some("IS")) => {
                    let value = match word(*pos + 1).as_deref() {
                        Some("NULL") => Literal::Null,
                        Some("TRUE") => Literal::Bool(true),
                        Some("FALSE") => Literal::Bool(false),
                        _ => return Err("`IS` takes NULL, TRUE or FALSE".into()),
                    };
                    *pos += 2;
                    Ok(Expr::Cmp {
                        path,
                        negated: false,
                        value,
                    })
                }
                _ => Err(format!("`{w}` is not followed by an operator that is read")),
            }
        }
        _ => Err("expected a selector (`$.field`) or `(`".into()),
    }
}

pub(super) fn selector(w: &str) -> Result<Vec<Step>, String> {
    let rest = w
        .strip_prefix("$.")
        .ok_or_else(|| format!("selector `{w}` must start with `$.`"))?;
    let mut out = Vec::new();
    for part in rest.split('.') {
        let (key, mut idx) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() || key == "*" {
            return Err(format!("selector `{w}` is not read"));
        }
        out.push(Step::Key(key.to_string()));
        while let Some(r) = idx.strip_prefix('[') {
            let end = r.find(']').ok_or("missing `]`")?;
            let n: usize = r[..end]
                .parse()
                .map_err(|_| format!("selector `{w}` is not read"))?;
            out.push(Step::Index(n));
            idx = &r[end + 1..];
        }
    }
    Ok(out)
}

pub(super) fn lookup<'a>(event: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut v = event;
    for s in path {
        v = match s {
            Step::Key(k) => v.get(k)?,
            Step::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

pub(super) fn eval(e: &Expr, event: &Value) -> bool {
    match e {
        Expr::And(a, b) => eval(a, event) && eval(b, event),
        Expr::Or(a, b) => eval(a, event) || eval(b, event),
        Expr::Exists { path, exists } => lookup(event, path).is_some() == *exists,
        Expr::Cmp {
            path,
            negated,
            value,
        } => {
            let Some(found) = lookup(event, path) else {
                // An absent field matches neither `=` nor `!=`.
                return false;
            };
            let equal = match (value, found) {
                (Literal::Null, v) => v.is_null(),
                (Literal::Bool(b), Value::Bool(v)) => b == v,
                (Literal::Bool(_), _) => false,
                (Literal::Str(p), Value::String(s)) => hipaa_scan_core::iam_doc::glob(p, s),
                (Literal::Str(p), Value::Number(n)) => {
                    hipaa_scan_core::iam_doc::glob(p, &n.to_string())
                }
                (Literal::Str(p), Value::Bool(b)) => p.eq_ignore_ascii_case(&b.to_string()),
                (Literal::Str(_), _) => false,
            };
            equal != *negated
        }
    }
}

impl Pattern {
    /// Whether the pattern matches a CloudTrail record as delivered to CloudWatch Logs.
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            Pattern::Json(e) => eval(e, event),
            Pattern::Terms { all, any, none } => {
                let text = event.to_string();
                all.iter().all(|t| text.contains(t.as_str()))
                    && (any.is_empty() || any.iter().any(|t| text.contains(t.as_str())))
                    && !none.iter().any(|t| text.contains(t.as_str()))
            }
        }
    }
}
