//! Variable values from every source, in Terraform's precedence, converted and validated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::structure::Structure;
use hcl_edit::Span;
use labform_sdk::{Type, Value};

use super::load::parse_file;
use super::model::{Stack, Variable};
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::eval::{eval_const, Evaluator, Lookup, Marked, Marks, NameKind};
use crate::suggest::did_you_mean;

/// A `-var` or `-var-file` flag, in command-line order.
#[derive(Clone, Debug)]
pub enum CliVar {
    Assign(String),
    File(PathBuf),
}

/// Where a value came from, for messages.
#[derive(Clone, Debug)]
enum Raw {
    /// Text from `-var` or `TF_VAR_`: literal for primitive types, HCL for the rest.
    Text(String, String),
    Value(Value),
}

/// Asks the user for a required variable's value (`name`, `description`); `None`: no answer.
/// The CLI passes one in when it runs on a terminal; this module never reads one itself.
pub type Prompter<'a> = &'a dyn Fn(&str, Option<&str>) -> Option<String>;

/// What to do about a required variable that no source sets.
#[derive(Clone, Copy)]
pub enum Missing<'a> {
    /// An error naming it.
    Error,
    /// Ask through the prompter, then an error if there is no answer.
    Prompt(Prompter<'a>),
    /// Leave it out of the values (`graph` needs no value to draw the graph).
    Skip,
}

/// Resolves every declared variable's value. `env` reads environment variables; `missing` says
/// what a required variable with no value gives.
pub fn resolve_variables(
    stack: &Stack,
    cli: &[CliVar],
    env: &dyn Fn(&str) -> Option<String>,
    missing_vars: Missing,
) -> Result<(BTreeMap<String, Value>, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut raw: BTreeMap<String, Raw> = BTreeMap::new();
    for name in stack.variables.keys() {
        if let Some(text) = env(&format!("TF_VAR_{name}")) {
            raw.insert(
                name.clone(),
                Raw::Text(text, format!("the environment variable `TF_VAR_{name}`")),
            );
        }
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for default in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = stack.dir.join(default);
        if p.is_file() {
            files.push(p);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(&stack.dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    auto.retain(|p| {
        let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
    });
    auto.sort();
    files.extend(auto);
    for file in files {
        read_var_file(stack, &file, &mut raw, false, &mut diags);
    }
    for item in cli {
        match item {
            CliVar::File(path) => {
                if !path.is_file() {
                    diags.push(
                        Diagnostic::error(format!(
                            "the variables file `{}` does not exist",
                            path.display()
                        ))
                        .hint("check the path given to `-var-file`"),
                    );
                    continue;
                }
                read_var_file(stack, path, &mut raw, true, &mut diags);
            }
            CliVar::Assign(text) => {
                let Some((name, value)) = text.split_once('=') else {
                    diags.push(
                        Diagnostic::error(format!("invalid `-var` value `{text}`"))
                            .hint("write `-var 'name=value'`"),
                    );
                    continue;
                };
                let name = name.trim();
                if !stack.variables.contains_key(name) {
                    diags.push(undeclared(stack, name, "`-var`", None));
                    continue;
                }
                raw.insert(
                    name.to_string(),
                    Raw::Text(value.to_string(), "`-var`".into()),
                );
            }
        }
    }
    let mut values = BTreeMap::new();
    let mut missing: Vec<&Variable> = Vec::new();
    for (name, var) in &stack.variables {
        let value = match raw.remove(name) {
            Some(r) => match to_value(var, r) {
                Ok(v) => Some(v),
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            },
            None => None,
        };
        let value = match value {
            Some(Value::Null) if !var.nullable => None,
            Some(v) => Some(v),
            None => None,
        };
        let value = match (value, &var.default) {
            (Some(v), _) => v,
            (None, Some(default)) => match eval_const(&default.expr) {
                Ok(v) => v,
                Err(msg) => {
                    diags.push(
                        Diagnostic::error(format!("invalid default for variable `{name}`: {msg}"))
                            .at(default.location()),
                    );
                    continue;
                }
            },
            (None, None) => {
                missing.push(var);
                continue;
            }
        };
        match convert(var, &value) {
            Ok(v) => {
                values.insert(name.clone(), v);
            }
            Err(d) => diags.push(d),
        }
    }
    if matches!(missing_vars, Missing::Skip) {
        missing.clear();
    }
    if let Missing::Prompt(ask) = missing_vars {
        for var in std::mem::take(&mut missing) {
            match ask(&var.name, var.description.as_deref()) {
                Some(text) => match to_value(var, Raw::Text(text, "the prompt".into()))
                    .and_then(|v| convert(var, &v))
                {
                    Ok(v) => {
                        values.insert(var.name.clone(), v);
                    }
                    Err(d) => diags.push(d),
                },
                None => missing.push(var),
            }
        }
    }
    for var in missing {
        diags.push(
            Diagnostic::error(format!("no value for required variable `{}`", var.name))
                .at(var.location.clone())
                .detail(var.description.as_ref().map(|d| format!("description: {d}")).unwrap_or_default())
                .hint(format!(
                    "set it with `-var '{n}=...'`, a `-var-file`, `terraform.tfvars`, or the environment variable `TF_VAR_{n}`",
                    n = var.name
                )),
        );
    }
    if diags.has_errors() {
        return Err(diags);
    }
    check_validations(stack, &values, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((values, diags))
}

fn undeclared(stack: &Stack, name: &str, from: &str, at: Option<Location>) -> Diagnostic {
    Diagnostic::error(format!(
        "{from} sets `{name}`, but no variable `{name}` is declared"
    ))
    .at(at)
    .maybe_hint(
        did_you_mean(name, stack.variables.keys().map(String::as_str), |s| {
            s.to_string()
        })
        .or_else(|| Some(format!("declare it with `variable \"{name}\" {{}}`"))),
    )
}

fn read_var_file(
    stack: &Stack,
    path: &Path,
    raw: &mut BTreeMap<String, Raw>,
    explicit: bool,
    diags: &mut Diagnostics,
) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(format!(
                "cannot read `{}`: {e}",
                path.display()
            )));
            return;
        }
    };
    let display = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = format!("`{display}`");
    if display.ends_with(".json") {
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => {
                for (k, v) in map {
                    if stack.variables.contains_key(&k) {
                        raw.insert(k, Raw::Value(Value::from_json(&v)));
                    } else if explicit {
                        diags.push(undeclared(stack, &k, &source, None));
                    } else {
                        diags.push(undeclared(stack, &k, &source, None).into_warning());
                    }
                }
            }
            Ok(_) => diags.push(Diagnostic::error(format!(
                "{source} must hold a JSON object of variable values"
            ))),
            Err(e) => diags.push(
                Diagnostic::error(format!("{source} is not valid JSON: {e}"))
                    .hint("fix the syntax at the line and column shown"),
            ),
        }
        return;
    }
    let file: Arc<SourceFile> = SourceFile::new(path.to_path_buf(), display, text);
    let body = match parse_file(&file) {
        Ok(b) => b,
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let name = attr.key.as_str();
                let at = Location::new(&file, attr.key.span());
                if !stack.variables.contains_key(name) {
                    let d = undeclared(stack, name, &source, at);
                    diags.push(if explicit { d } else { d.into_warning() });
                    continue;
                }
                match eval_const(&attr.value) {
                    Ok(v) => {
                        raw.insert(name.to_string(), Raw::Value(v));
                    }
                    Err(msg) => diags.push(
                        Diagnostic::error(format!("invalid value for `{name}` in {source}: {msg}"))
                            .at(Location::new(&file, attr.value.span()))
                            .hint("variable files hold literal values; they cannot reference other values"),
                    ),
                }
            }
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "unexpected block `{}` in a variables file",
                    b.ident.as_str()
                ))
                .at(Location::new(&file, b.ident.span()))
                .hint("a `.tfvars` file holds only `name = value` lines"),
            ),
        }
    }
}

fn is_primitive(ty: &Option<Type>) -> bool {
    matches!(
        ty,
        None | Some(Type::String | Type::Number | Type::Bool | Type::Any)
    )
}

fn to_value(var: &Variable, raw: Raw) -> Result<Value, Diagnostic> {
    match raw {
        Raw::Value(v) => Ok(v),
        Raw::Text(text, _) if is_primitive(&var.ty) => Ok(Value::String(text)),
        Raw::Text(text, from) => {
            let expr = super::syntax::parse_expr(&text).map_err(|e| {
                Diagnostic::error(format!("invalid value for variable `{}` from {from}: {}", var.name, first_line(e.message())))
                    .hint(format!("a `{}` value is written in HCL syntax, e.g. `[\"a\", \"b\"]` or `{{ k = \"v\" }}`", type_name(var)))
            })?;
            eval_const(&expr).map_err(|m| {
                Diagnostic::error(format!(
                    "invalid value for variable `{}` from {from}: {m}",
                    var.name
                ))
            })
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn type_name(var: &Variable) -> String {
    var.ty
        .as_ref()
        .map(|t| t.to_string())
        .unwrap_or_else(|| "any".into())
}

fn convert(var: &Variable, value: &Value) -> Result<Value, Diagnostic> {
    let Some(ty) = &var.ty else {
        return Ok(value.clone());
    };
    ty.convert(value).map_err(|msg| {
        let msg = if var.sensitive {
            "the value does not match the type".to_string()
        } else {
            msg
        };
        Diagnostic::error(format!("invalid value for variable `{}`: {msg}", var.name))
            .at(var.location.clone())
            .hint(format!("the variable's type is `{ty}`"))
    })
}

struct VarsOnly<'a>(&'a BTreeMap<String, Value>, &'a Stack);

impl Lookup for VarsOnly<'_> {
    fn variable(&self, name: &str) -> Option<Marked> {
        let sensitive = self.1.variables.get(name).is_some_and(|v| v.sensitive);
        self.0
            .get(name)
            .map(|v| Marked::new(v.clone(), Marks::whole_if(sensitive)))
    }
    fn local(&self, _: &crate::config::Scope, _: &str) -> Option<Result<Marked, Diagnostic>> {
        None
    }
    fn resource(
        &self,
        _: &crate::config::Scope,
        _: crate::config::Mode,
        _: &str,
        _: &str,
    ) -> Option<Marked> {
        None
    }
    fn names(&self, _: &crate::config::Scope, kind: NameKind) -> Vec<String> {
        match kind {
            NameKind::Variable => self.0.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

fn check_validations(stack: &Stack, values: &BTreeMap<String, Value>, diags: &mut Diagnostics) {
    let lookup = VarsOnly(values, stack);
    for var in stack.variables.values() {
        for v in &var.validations {
            let mut ev = Evaluator::new(&lookup, &stack.dir);
            match ev.eval(&v.condition) {
                Ok(Value::Bool(true)) | Ok(Value::Unknown) => {}
                Ok(Value::Bool(false)) => {
                    // Terraform does not show an error message that holds a sensitive value.
                    let msg = match ev.eval_marked(&v.error_message) {
                        Ok(m) if m.is_marked() => {
                            "the error message refers to sensitive values, so it is not shown"
                                .to_string()
                        }
                        Ok(Marked {
                            value: Value::String(s),
                            ..
                        }) => s,
                        _ => "the value is not valid".to_string(),
                    };
                    diags.push(
                        Diagnostic::error(format!("invalid value for variable `{}`", var.name))
                            .at(v.condition.location())
                            .detail(msg),
                    );
                }
                Ok(other) => diags.push(
                    Diagnostic::error(format!(
                        "a validation condition must be a bool, got a {}",
                        other.kind_name()
                    ))
                    .at(v.condition.location()),
                ),
                Err(d) => diags.push(d),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack() -> Stack {
        crate::config::load_sources(
            Path::new("."),
            vec![(
                "main.tf".into(),
                b"variable \"region\" {\n  description = \"where\"\n}\n".to_vec(),
            )],
        )
        .expect("stack loads")
    }

    #[test]
    fn a_missing_variable_is_asked_through_the_given_prompter_only() {
        let s = stack();
        let none = |_: &str| None;
        let asked = std::sync::Mutex::new(Vec::new());
        let ask = |name: &str, desc: Option<&str>| {
            asked.lock().unwrap().push(format!("{name}:{desc:?}"));
            Some("eu".to_string())
        };
        let (values, _) = resolve_variables(&s, &[], &none, Missing::Prompt(&ask)).unwrap();
        assert_eq!(values["region"], Value::from("eu"));
        assert_eq!(*asked.lock().unwrap(), ["region:Some(\"where\")"]);
        let err = resolve_variables(&s, &[], &none, Missing::Error).unwrap_err();
        assert!(err.0[0]
            .message
            .contains("no value for required variable `region`"));
        let (values, _) = resolve_variables(&s, &[], &none, Missing::Skip).unwrap();
        assert!(values.is_empty());
        let env = |k: &str| (k == "TF_VAR_region").then(|| "env".to_string());
        let (values, _) = resolve_variables(&s, &[], &env, Missing::Error).unwrap();
        assert_eq!(values["region"], Value::from("env"));
    }
}
