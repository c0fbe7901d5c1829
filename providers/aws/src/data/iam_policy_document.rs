//! `data "aws_iam_policy_document"`: a policy document built from `statement` blocks, merged with
//! source and override documents, rendered as the Terraform provider renders it (so `json` is
//! the same text Terraform gives, and plans that compare it stay clean). No API call.

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, NestedBlock, ProviderError, Result, Value,
};

use crate::iam::go_json::Json;
use crate::iam::policy_doc::{Condition, Doc, Principal, Statement, Strings};
use crate::schema_util::{s, slist, sset};

pub struct PolicyDocument {
    schema: BlockSchema,
}

labform_sdk::typed!(impl PolicyDocument("aws_iam_policy_document"));

const VERSIONS: [&str; 2] = ["2008-10-17", "2012-10-17"];

fn principals() -> NestedBlock {
    NestedBlock::set(
        BlockSchema::new()
            .attr("type", Attribute::required(s()))
            .attr("identifiers", Attribute::required(sset())),
    )
}

pub fn schema() -> BlockSchema {
    let statement = BlockSchema::new()
        .attr("sid", Attribute::optional(s()))
        .attr("effect", Attribute::optional(s()).default("Allow"))
        .attrs(
            &["actions", "not_actions", "resources", "not_resources"],
            Attribute::optional(sset()),
        )
        .block("principals", principals())
        .block("not_principals", principals())
        .block(
            "condition",
            NestedBlock::set(
                BlockSchema::new()
                    .attrs(&["test", "variable"], Attribute::required(s()))
                    .attr("values", Attribute::required(slist())),
            ),
        );
    BlockSchema::new()
        .attrs(&["id", "json", "minified_json"], Attribute::computed(s()))
        .attr("override_json", Attribute::optional(s()))
        .attr("override_policy_documents", Attribute::optional(slist()))
        .attrs(&["policy_id", "source_json"], Attribute::optional(s()))
        .attr("source_policy_documents", Attribute::optional(slist()))
        .attr("version", Attribute::optional(s()).default("2012-10-17"))
        .block("statement", NestedBlock::list(statement))
}

impl PolicyDocument {
    pub fn new() -> Self {
        PolicyDocument { schema: schema() }
    }
}

#[async_trait]
impl DataSource for PolicyDocument {
    async fn read(&self, config: &Value) -> Result<Value> {
        render(config)
    }
}

fn invalid(message: String) -> ProviderError {
    ProviderError::invalid(message)
}

/// The data source's value for `config`: the configuration with defaults, plus `json`,
/// `minified_json` and `id` (the CRC-32 of `json`, as the provider computes it).
pub fn render(config: &Value) -> Result<Value> {
    for old in ["source_json", "override_json"] {
        if config.str_attr(old).is_some_and(|v| !v.is_empty()) {
            return Err(
                invalid(format!("`{old}` is no longer used by hashicorp/aws 6"))
                    .with_hint("use `source_policy_documents` / `override_policy_documents`"),
            );
        }
    }
    let version = config
        .str_attr("version")
        .unwrap_or("2012-10-17")
        .to_string();
    if !VERSIONS.contains(&version.as_str()) {
        return Err(invalid(format!(
            "`version` is `{version}`: it must be `2008-10-17` or `2012-10-17`"
        )));
    }

    let mut merged = Doc::default();
    let mut seen_sids = std::collections::BTreeSet::new();
    for (i, text) in documents(config, "source_policy_documents") {
        let doc =
            Doc::parse(text).map_err(|e| invalid(format!("merging source document {i}: {e}")))?;
        for (j, st) in doc.statements.iter().enumerate() {
            if !st.sid.is_empty() && !seen_sids.insert(st.sid.clone()) {
                return Err(invalid(format!(
                    "merging source document {i}: duplicate Sid `{}` in `source_policy_documents` (statement {j})",
                    st.sid
                ))
                .with_hint("remove the Sid or make the Sids unique"));
            }
        }
        merged.merge(doc);
    }

    let mut own = Doc {
        version: version.clone(),
        id: config.str_attr("policy_id").unwrap_or("").to_string(),
        statements: Vec::new(),
    };
    let mut sids = std::collections::BTreeSet::new();
    let mut statements = Vec::new();
    for block in config.list_attr("statement") {
        let st = statement(block, &version)?;
        if !st.sid.is_empty() && !sids.insert(st.sid.clone()) {
            return Err(
                invalid(format!("duplicate Sid `{}` in `statement` blocks", st.sid))
                    .with_hint("remove the Sid or make it unique"),
            );
        }
        own.statements.push(st);
        statements.push(with_defaults(block));
    }
    merged.merge(own);

    for (i, text) in documents(config, "override_policy_documents") {
        let doc =
            Doc::parse(text).map_err(|e| invalid(format!("merging override document {i}: {e}")))?;
        merged.merge(doc);
    }

    let json = merged.json();
    let pretty = json.indented();
    let mut out = config.clone();
    out.set("version", version.into());
    out.set("statement", Value::List(statements));
    out.set("id", crc32fast::hash(pretty.as_bytes()).to_string().into());
    out.set("minified_json", json.minified().into());
    out.set("json", pretty.into());
    Ok(out)
}

/// The non-null documents of a list attribute, with their index.
fn documents<'a>(config: &'a Value, name: &str) -> Vec<(usize, &'a str)> {
    config
        .list_attr(name)
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_str().map(|s| (i, s)))
        .collect()
}

fn with_defaults(block: &Value) -> Value {
    let mut b = block.clone();
    if b.get("effect").is_null() {
        b.set("effect", "Allow".into());
    }
    b
}

fn statement(block: &Value, version: &str) -> Result<Statement> {
    let sid = block.str_attr("sid").unwrap_or("").to_string();
    if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid(format!(
            "statement `sid` `{sid}` must only include alphanumeric characters"
        )));
    }
    let effect = block.str_attr("effect").unwrap_or("Allow").to_string();
    if effect != "Allow" && effect != "Deny" {
        return Err(invalid(format!(
            "statement `effect` is `{effect}`: it must be `Allow` or `Deny`"
        )));
    }
    let vars = |s: String| policy_variables(s, version);
    let set = |name: &str| -> Option<Strings> {
        let items = block.string_list_attr(name);
        (!items.is_empty()).then(|| Strings::from_set(items))
    };
    let with_vars = |name: &str| -> Result<Option<Json>> {
        set(name).map(|v| Ok(v.try_map(vars)?.json())).transpose()
    };
    Ok(Statement {
        sid,
        effect,
        actions: set("actions").map(|v| v.json()),
        not_actions: set("not_actions").map(|v| v.json()),
        resources: with_vars("resources")?,
        not_resources: with_vars("not_resources")?,
        principals: principal_blocks(block.list_attr("principals"), version)?,
        not_principals: principal_blocks(block.list_attr("not_principals"), version)?,
        conditions: block
            .list_attr("condition")
            .iter()
            .map(|c| {
                let mut values = c
                    .string_list_attr("values")
                    .into_iter()
                    .map(|v| policy_variables(v, version))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Condition {
                    test: c.str_attr("test").unwrap_or("").to_string(),
                    variable: c.str_attr("variable").unwrap_or("").to_string(),
                    values: if values.len() == 1 {
                        Strings::One(values.remove(0))
                    } else {
                        Strings::Many(values)
                    },
                })
            })
            .collect::<Result<_>>()?,
    })
}

fn principal_blocks(blocks: &[Value], version: &str) -> Result<Vec<Principal>> {
    blocks
        .iter()
        .map(|p| {
            Ok(Principal {
                kind: p.str_attr("type").unwrap_or("").to_string(),
                identifiers: Strings::from_set(p.string_list_attr("identifiers"))
                    .try_map(|s| policy_variables(s, version))?,
            })
        })
        .collect()
}

/// `&{aws:username}` is written for the policy variable `${aws:username}` (Terraform would
/// interpolate `${`); version 2008-10-17 has no policy variables.
fn policy_variables(s: String, version: &str) -> Result<String> {
    if !s.contains("&{") {
        return Ok(s);
    }
    if version == "2008-10-17" {
        return Err(invalid(format!(
            "found `&{{` in `{s}`, which is not supported in document version 2008-10-17"
        )));
    }
    Ok(s.replace("&{", "${"))
}

#[cfg(test)]
#[path = "iam_policy_document_tests.rs"]
mod tests;
