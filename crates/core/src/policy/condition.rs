//! Policy conditions: CEL expressions compiled once at load and checked against the schema.
//!
//! A condition sees three variables: `resource` (the normalized resource: its kind's properties
//! and the common fields), `params` (the policy's parameters, after config overrides) and `now`
//! (the instant the inventory was collected). It is true when the resource complies.

use cel::common::ast::{EntryExpr, Expr, LiteralValue};
use cel::{IdedExpr, Program};

/// The variables a condition may use.
pub(crate) const VARIABLES: &[&str] = &["resource", "params", "now"];

/// A compiled condition and what it reads.
#[derive(Debug)]
pub struct Condition {
    pub source: String,
    pub(crate) program: Program,
    /// Top-level `resource` fields the condition reads, in order of first use: the evidence.
    pub reads: Vec<String>,
    /// `params` fields the condition reads.
    pub params: Vec<String>,
    /// `resource` fields tested with `has(...)`: an unknown one makes the verdict "not evaluated".
    pub presence_tests: Vec<String>,
}

/// A compile or analysis error; `offset` is the character offset inside the expression, if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    pub message: String,
}

impl Condition {
    pub fn compile(source: &str) -> Result<Condition, ConditionError> {
        let program = Program::compile(source).map_err(|e| ConditionError {
            message: format!("does not compile: {}", one_line(&e.to_string())),
        })?;
        let mut walk = Walk::default();
        walk.expr(program.expression(), &mut Vec::new());
        if let Some(message) = walk.error {
            return Err(ConditionError { message });
        }
        Ok(Condition {
            source: source.to_string(),
            program,
            reads: walk.reads,
            params: walk.params,
            presence_tests: walk.presence_tests,
        })
    }
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Default)]
struct Walk {
    reads: Vec<String>,
    params: Vec<String>,
    presence_tests: Vec<String>,
    error: Option<String>,
}

impl Walk {
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    fn note(list: &mut Vec<String>, field: &str) {
        if !list.iter().any(|f| f == field) {
            list.push(field.to_string());
        }
    }

    fn expr(&mut self, e: &IdedExpr, bound: &mut Vec<String>) {
        match &e.expr {
            Expr::Ident(name) => {
                if bound.iter().any(|b| b == name) {
                    return;
                }
                match name.as_str() {
                    "now" => {}
                    "resource" | "params" => self.fail(format!(
                        "use `{name}.<field>`: `{name}` cannot be used as a whole"
                    )),
                    other => self.fail(format!(
                        "unknown variable `{other}` (conditions can use {})",
                        VARIABLES.join(", ")
                    )),
                }
            }
            Expr::Select(sel) => match &sel.operand.expr {
                Expr::Ident(root) if root == "resource" && !bound.contains(root) => {
                    Self::note(&mut self.reads, &sel.field);
                    if sel.test {
                        Self::note(&mut self.presence_tests, &sel.field);
                    }
                }
                Expr::Ident(root) if root == "params" && !bound.contains(root) => {
                    Self::note(&mut self.params, &sel.field)
                }
                _ => self.expr(&sel.operand, bound),
            },
            Expr::Call(call) => {
                if call.func_name == "_[_]" {
                    if let (Some(first), Some(key)) = (call.args.first(), call.args.get(1)) {
                        if let Expr::Ident(root) = &first.expr {
                            if (root == "resource" || root == "params") && !bound.contains(root) {
                                match &key.expr {
                                    Expr::Literal(LiteralValue::String(s)) => {
                                        let list = if root == "resource" { &mut self.reads } else { &mut self.params };
                                        Self::note(list, s.inner());
                                    }
                                    _ => self.fail(format!("index `{root}` with a string literal, or use `{root}.<field>`")),
                                }
                                return;
                            }
                        }
                    }
                }
                if let Some(target) = &call.target {
                    self.expr(target, bound);
                }
                for arg in &call.args {
                    self.expr(arg, bound);
                }
            }
            Expr::Comprehension(c) => {
                self.expr(&c.iter_range, bound);
                self.expr(&c.accu_init, bound);
                let depth = bound.len();
                bound.push(c.iter_var.clone());
                if let Some(v) = &c.iter_var2 {
                    bound.push(v.clone());
                }
                bound.push(c.accu_var.clone());
                self.expr(&c.loop_cond, bound);
                self.expr(&c.loop_step, bound);
                self.expr(&c.result, bound);
                bound.truncate(depth);
            }
            Expr::List(list) => {
                for el in &list.elements {
                    self.expr(el, bound);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let EntryExpr::MapEntry(m) = &entry.expr {
                        self.expr(&m.key, bound);
                        self.expr(&m.value, bound);
                    }
                }
            }
            Expr::Struct(st) => {
                for entry in &st.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        self.expr(&f.value, bound);
                    }
                }
            }
            Expr::Literal(_) | Expr::Unspecified => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_resource_and_params_reads() {
        let c = Condition::compile(
            "resource.backup_retention_days >= params.min_days && has(resource.kms_key_id) && resource['engine'] != ''",
        )
        .unwrap();
        assert_eq!(c.reads, ["backup_retention_days", "kms_key_id", "engine"]);
        assert_eq!(c.params, ["min_days"]);
        assert_eq!(c.presence_tests, ["kms_key_id"]);
    }

    #[test]
    fn comprehension_variables_are_bound() {
        let c = Condition::compile(
            "resource.access_keys.all(k, !k.active || k.created > now - duration('2160h'))",
        )
        .unwrap();
        assert_eq!(c.reads, ["access_keys"]);
    }

    #[test]
    fn rejects_unknown_variables_and_syntax_errors() {
        let e = Condition::compile("resourse.x == 1").unwrap_err();
        assert!(
            e.message.contains("unknown variable `resourse`"),
            "{}",
            e.message
        );
        let e = Condition::compile("resource.x ==").unwrap_err();
        assert!(e.message.starts_with("does not compile"), "{}", e.message);
        let e = Condition::compile("size(resource) > 0").unwrap_err();
        assert!(
            e.message.contains("cannot be used as a whole"),
            "{}",
            e.message
        );
    }
}
