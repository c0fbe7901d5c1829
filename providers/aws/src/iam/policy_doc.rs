//! The policy document model of `data "aws_iam_policy_document"`: statements, principals and
//! conditions as the Terraform provider holds them, documents parsed from JSON (source and
//! override documents), merging by `Sid`, and the JSON rendering with the provider's rules
//! (field order, a single value as a string, principal identifiers sorted in reverse, map keys
//! sorted, empty fields left out).

use std::collections::BTreeMap;

use labform_sdk::Result;

use crate::iam::go_json::Json;

/// One value or several: how a configured set of strings is rendered (one element becomes a
/// string, several a list sorted in reverse), and how identifiers and condition values read
/// from JSON are kept (a string stays a string, a list stays a list).
#[derive(Clone, Debug, PartialEq)]
pub enum Strings {
    One(String),
    Many(Vec<String>),
}

impl Strings {
    /// A configured set of strings: its only element, or all of them sorted in reverse.
    pub fn from_set(mut items: Vec<String>) -> Strings {
        items.sort();
        items.dedup();
        if items.len() == 1 {
            return Strings::One(items.remove(0));
        }
        items.reverse();
        Strings::Many(items)
    }

    /// The same strings after `f` (the `&{` to `${` rewrite).
    pub fn try_map(self, f: impl Fn(String) -> Result<String>) -> Result<Strings> {
        Ok(match self {
            Strings::One(s) => Strings::One(f(s)?),
            Strings::Many(v) => Strings::Many(v.into_iter().map(f).collect::<Result<_, _>>()?),
        })
    }

    /// A string for one value, a list for several.
    pub fn json(&self) -> Json {
        match self {
            Strings::One(s) => Json::Str(s.clone()),
            Strings::Many(v) => Json::Array(v.iter().cloned().map(Json::Str).collect()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    pub kind: String,
    pub identifiers: Strings,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub test: String,
    pub variable: String,
    pub values: Strings,
}

/// A statement. `Action`-like fields hold JSON because a source document's may be anything and
/// is rendered back as it was.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Statement {
    pub sid: String,
    pub effect: String,
    pub actions: Option<Json>,
    pub not_actions: Option<Json>,
    pub resources: Option<Json>,
    pub not_resources: Option<Json>,
    pub principals: Vec<Principal>,
    pub not_principals: Vec<Principal>,
    pub conditions: Vec<Condition>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub version: String,
    pub id: String,
    pub statements: Vec<Statement>,
}

impl Doc {
    /// Merges `other` into this document: its `Id` when set, the later `Version`, and its
    /// statements, each replacing the statement with the same non-empty `Sid` or appended.
    pub fn merge(&mut self, other: Doc) {
        if !other.id.is_empty() {
            self.id = other.id;
        }
        if other.version > self.version {
            self.version = other.version;
        }
        for st in other.statements {
            match self
                .statements
                .iter_mut()
                .find(|s| !st.sid.is_empty() && s.sid == st.sid)
            {
                Some(slot) => *slot = st,
                None => self.statements.push(st),
            }
        }
    }

    /// Parses a policy document as the provider reads `source_policy_documents` and
    /// `override_policy_documents`: keys matched without regard to case, unknown keys ignored.
    pub fn parse(text: &str) -> Result<Doc, String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let obj = v.as_object().ok_or("the document is not a JSON object")?;
        let mut doc = Doc {
            version: string_field(obj, "Version")?,
            id: string_field(obj, "Id")?,
            statements: Vec::new(),
        };
        match field(obj, "Statement") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let st = item
                        .as_object()
                        .ok_or_else(|| format!("statement {i} is not a JSON object"))?;
                    doc.statements
                        .push(parse_statement(st).map_err(|e| format!("statement {i}: {e}"))?);
                }
            }
            Some(_) => return Err("`Statement` is not a list".into()),
        }
        Ok(doc)
    }

    /// The document as JSON, fields in the provider's order.
    pub fn json(&self) -> Json {
        let mut out = Vec::new();
        if !self.version.is_empty() {
            out.push(("Version".to_string(), Json::Str(self.version.clone())));
        }
        if !self.id.is_empty() {
            out.push(("Id".to_string(), Json::Str(self.id.clone())));
        }
        if !self.statements.is_empty() {
            out.push((
                "Statement".to_string(),
                Json::Array(self.statements.iter().map(Statement::json).collect()),
            ));
        }
        Json::Object(out)
    }
}

impl Statement {
    fn json(&self) -> Json {
        let mut out: Vec<(String, Json)> = Vec::new();
        let mut put = |k: &str, v: Option<Json>| {
            if let Some(v) = v {
                out.push((k.to_string(), v));
            }
        };
        put("Sid", non_empty(&self.sid));
        put("Effect", non_empty(&self.effect));
        put("Action", self.actions.clone());
        put("NotAction", self.not_actions.clone());
        put("Resource", self.resources.clone());
        put("NotResource", self.not_resources.clone());
        put("Principal", principals_json(&self.principals));
        put("NotPrincipal", principals_json(&self.not_principals));
        put("Condition", conditions_json(&self.conditions));
        Json::Object(out)
    }
}

fn non_empty(s: &str) -> Option<Json> {
    (!s.is_empty()).then(|| Json::Str(s.to_string()))
}

/// Principals grouped by type (types sorted). A lone `*` of type `*` is the bare `"*"`;
/// several blocks of one type are joined into one list.
fn principals_json(ps: &[Principal]) -> Option<Json> {
    if ps.is_empty() {
        return None;
    }
    if let [p] = ps {
        let star = match &p.identifiers {
            Strings::One(s) => s == "*",
            Strings::Many(v) => v.len() == 1 && v[0] == "*",
        };
        if p.kind == "*" && star {
            return Some(Json::Str("*".into()));
        }
    }
    let mut by_type: BTreeMap<&str, Strings> = BTreeMap::new();
    for p in ps {
        let joined = match (by_type.remove(p.kind.as_str()), &p.identifiers) {
            (None, ids) => ids.clone(),
            (Some(Strings::One(a)), Strings::One(b)) => Strings::Many(vec![a, b.clone()]),
            (Some(Strings::One(a)), Strings::Many(bs)) => {
                Strings::Many(std::iter::once(a).chain(bs.iter().cloned()).collect())
            }
            (Some(Strings::Many(mut a)), Strings::One(b)) => {
                a.push(b.clone());
                Strings::Many(a)
            }
            (Some(Strings::Many(mut a)), Strings::Many(bs)) => {
                a.extend(bs.iter().cloned());
                Strings::Many(a)
            }
        };
        by_type.insert(&p.kind, joined);
    }
    Some(Json::Object(
        by_type
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.json()))
            .collect(),
    ))
}

/// Conditions as `{test: {variable: values}}`, keys sorted, the values of blocks with the same
/// test and variable joined, one value written as a string.
fn conditions_json(cs: &[Condition]) -> Option<Json> {
    if cs.is_empty() {
        return None;
    }
    let mut tests: BTreeMap<&str, BTreeMap<&str, Vec<String>>> = BTreeMap::new();
    for c in cs {
        let values = tests
            .entry(&c.test)
            .or_default()
            .entry(&c.variable)
            .or_default();
        match &c.values {
            Strings::One(s) => values.push(s.clone()),
            Strings::Many(v) => values.extend(v.iter().cloned()),
        }
    }
    Some(Json::Object(
        tests
            .into_iter()
            .map(|(test, vars)| {
                let vars = vars
                    .into_iter()
                    .map(|(var, mut values)| {
                        let v = if values.len() == 1 {
                            Strings::One(values.remove(0))
                        } else {
                            Strings::Many(values)
                        };
                        (var.to_string(), v.json())
                    })
                    .collect();
                (test.to_string(), Json::Object(vars))
            })
            .collect(),
    ))
}

type JsonMap = serde_json::Map<String, serde_json::Value>;

/// A field matched as Go matches struct fields: the exact name, else any case.
fn field<'a>(obj: &'a JsonMap, name: &str) -> Option<&'a serde_json::Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn string_field(obj: &JsonMap, name: &str) -> Result<String, String> {
    match field(obj, name) {
        None | Some(serde_json::Value::Null) => Ok(String::new()),
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("`{name}` is not a string")),
    }
}

fn raw_field(obj: &JsonMap, name: &str) -> Option<Json> {
    match field(obj, name) {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(Json::from_serde(v)),
    }
}

fn parse_statement(obj: &JsonMap) -> Result<Statement, String> {
    Ok(Statement {
        sid: string_field(obj, "Sid")?,
        effect: string_field(obj, "Effect")?,
        actions: raw_field(obj, "Action"),
        not_actions: raw_field(obj, "NotAction"),
        resources: raw_field(obj, "Resource"),
        not_resources: raw_field(obj, "NotResource"),
        principals: parse_principals(field(obj, "Principal"))?,
        not_principals: parse_principals(field(obj, "NotPrincipal"))?,
        conditions: parse_conditions(field(obj, "Condition"))?,
    })
}

/// A string principal means everyone; a map's list identifiers are sorted (in reverse, as
/// rendered).
fn parse_principals(v: Option<&serde_json::Value>) -> Result<Vec<Principal>, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::String(_)) => Ok(vec![Principal {
            kind: "*".into(),
            identifiers: Strings::Many(vec!["*".into()]),
        }]),
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(kind, ids)| {
                let identifiers = match ids {
                    serde_json::Value::String(s) => Strings::One(s.clone()),
                    serde_json::Value::Array(items) => {
                        let mut v = items
                            .iter()
                            .map(|i| {
                                i.as_str().map(str::to_string).ok_or_else(|| {
                                    format!("an identifier of principal type `{kind}` is not a string")
                                })
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        v.sort();
                        v.reverse();
                        Strings::Many(v)
                    }
                    _ => return Err(format!("the identifiers of principal type `{kind}` are neither a string nor a list")),
                };
                Ok(Principal {
                    kind: kind.clone(),
                    identifiers,
                })
            })
            .collect(),
        Some(_) => Err("`Principal` is neither a string nor an object".into()),
    }
}

/// Condition values: strings and lists of strings; a bool becomes its text; values of other
/// kinds are dropped, as the provider drops them.
fn parse_conditions(v: Option<&serde_json::Value>) -> Result<Vec<Condition>, String> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let tests = v.as_object().ok_or("`Condition` is not an object")?;
    let mut out = Vec::new();
    for (test, vars) in tests {
        let vars = vars
            .as_object()
            .ok_or_else(|| format!("condition `{test}` is not an object"))?;
        for (variable, values) in vars {
            let values = match values {
                serde_json::Value::String(s) => Strings::Many(vec![s.clone()]),
                serde_json::Value::Bool(b) => Strings::One(b.to_string()),
                serde_json::Value::Array(items) => Strings::Many(
                    items
                        .iter()
                        .map(|i| {
                            i.as_str().map(str::to_string).ok_or_else(|| {
                                format!(
                                    "a value of condition `{test}` `{variable}` is not a string"
                                )
                            })
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => continue,
            };
            out.push(Condition {
                test: test.clone(),
                variable: variable.clone(),
                values,
            });
        }
    }
    Ok(out)
}
