//! `aws_glue_crawler`: a crawler that reads S3 paths or JDBC sources into catalog tables. Its
//! id is its name (unique in the account and region); it is imported by name. Tags, with
//! labform's marks, go in with CreateCrawler and by ARN afterwards.

use std::sync::Arc;

use aws_sdk_glue::types::{
    Crawler as Remote, CrawlerTargets, DeleteBehavior, JdbcTarget, RecrawlBehavior, RecrawlPolicy,
    S3Target, SchemaChangePolicy, UpdateBehavior,
};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, ReadBack, Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::glue::api;
use crate::glue::named::{definition_changed, ByName, Named};
use crate::iam::same_json;
use crate::schema_util::{self as su, n, s, slist};
use crate::{errors, retry, tags};

const DELETE_BEHAVIORS: [&str; 3] = ["LOG", "DELETE_FROM_DATABASE", "DEPRECATE_IN_DATABASE"];
const UPDATE_BEHAVIORS: [&str; 2] = ["LOG", "UPDATE_IN_DATABASE"];
const RECRAWL_BEHAVIORS: [&str; 3] = [
    "CRAWL_EVERYTHING",
    "CRAWL_NEW_FOLDERS_ONLY",
    "CRAWL_EVENT_MODE",
];

labform_sdk::typed! {
    pub struct Crawler("aws_glue_crawler") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let s3_target = BlockSchema::new()
        .attr("path", Attribute::required(s()))
        .attr("exclusions", Attribute::optional(slist()))
        .attr("connection_name", Attribute::optional(s()))
        .attr("sample_size", Attribute::optional(n()));
    let jdbc_target = BlockSchema::new()
        .attrs(&["connection_name", "path"], Attribute::required(s()))
        .attr("exclusions", Attribute::optional(slist()));
    // Both policies are left as the API read them when the configuration has no block, as the
    // provider's "missing optional block" diff rule does.
    let schema_change = BlockSchema::new()
        .attr(
            "delete_behavior",
            Attribute::optional(s()).default("DEPRECATE_IN_DATABASE"),
        )
        .attr(
            "update_behavior",
            Attribute::optional(s()).default("UPDATE_IN_DATABASE"),
        );
    let recrawl = BlockSchema::new().attr(
        "recrawl_behavior",
        Attribute::optional(s()).default("CRAWL_EVERYTHING"),
    );
    let sc = BlockSchema::new()
        .attrs(
            &["name", "database_name"],
            Attribute::required(s()).force_new(),
        )
        .attr("role", Attribute::required(s()))
        .attrs(
            &["description", "schedule", "table_prefix", "configuration"],
            Attribute::optional(s()),
        )
        .attr("classifiers", Attribute::optional(slist()))
        .attr("arn", Attribute::computed(s()))
        .block("s3_target", NestedBlock::list(s3_target))
        .block("jdbc_target", NestedBlock::list(jdbc_target))
        .block(
            "schema_change_policy",
            NestedBlock::list(schema_change).max(1).computed(),
        )
        .block(
            "recrawl_policy",
            NestedBlock::list(recrawl).max(1).computed(),
        );
    su::tagged(su::regional(sc))
}

const KIND: Named = Named("crawler");

fn what(name: &str) -> String {
    KIND.what(name)
}

fn str_of(v: &Value, name: &str) -> Option<String> {
    v.str_attr(name).map(str::to_string)
}

fn targets(v: &Value) -> CrawlerTargets {
    let s3 = v
        .list_attr("s3_target")
        .iter()
        .map(|t| {
            S3Target::builder()
                .set_path(str_of(t, "path"))
                .set_exclusions(Some(t.string_list_attr("exclusions")))
                .set_connection_name(str_of(t, "connection_name").filter(|c| !c.is_empty()))
                .set_sample_size(api::int(t, "sample_size").filter(|n| *n > 0))
                .build()
        })
        .collect();
    let jdbc = v
        .list_attr("jdbc_target")
        .iter()
        .map(|t| {
            JdbcTarget::builder()
                .set_connection_name(str_of(t, "connection_name"))
                .set_path(str_of(t, "path"))
                .set_exclusions(Some(t.string_list_attr("exclusions")))
                .build()
        })
        .collect();
    CrawlerTargets::builder()
        .set_s3_targets(Some(s3))
        .set_jdbc_targets(Some(jdbc))
        .build()
}

fn schema_change_policy(v: &Value) -> Option<SchemaChangePolicy> {
    v.single_block("schema_change_policy").map(|p| {
        SchemaChangePolicy::builder()
            .set_delete_behavior(p.str_attr("delete_behavior").map(DeleteBehavior::from))
            .set_update_behavior(p.str_attr("update_behavior").map(UpdateBehavior::from))
            .build()
    })
}

fn recrawl_policy(v: &Value) -> Option<RecrawlPolicy> {
    v.single_block("recrawl_policy").map(|p| {
        RecrawlPolicy::builder()
            .set_recrawl_behavior(p.str_attr("recrawl_behavior").map(RecrawlBehavior::from))
            .build()
    })
}

/// The role as configured when the API's answer names the same role: Glue may answer with
/// the role's name for an ARN (the provider ignores that difference too).
fn role_value(remote: &str, current: &Value) -> Value {
    if let Some(mine) = current.str_attr("role") {
        let name = mine.rsplit_once(":role/").map(|(_, n)| n);
        if mine == remote || name == Some(remote) {
            return mine.into();
        }
    }
    remote.into()
}

/// The configuration JSON as configured when it means the same as the API's answer.
fn configuration_value(remote: Option<&str>, current: &Value) -> Value {
    match (
        remote.filter(|r| !r.is_empty()),
        current.str_attr("configuration"),
    ) {
        (Some(r), Some(mine)) if same_json(r, mine) => mine.into(),
        (remote, _) => api::opt_str(remote),
    }
}

fn targets_value(c: &Remote, current: &Value) -> (Value, Value) {
    let mine = |block: &str, i: usize| current.list_attr(block).get(i).cloned();
    let t = c.targets();
    let s3 = t
        .map(|t| t.s3_targets())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let cur = mine("s3_target", i).unwrap_or(Value::Null);
            Value::from_pairs([
                ("path", Value::from(x.path().unwrap_or_default())),
                (
                    "exclusions",
                    api::list_value(x.exclusions(), &cur, "exclusions"),
                ),
                ("connection_name", api::opt_str(x.connection_name())),
                (
                    "sample_size",
                    x.sample_size()
                        .map_or(Value::Null, |n| Value::from(i64::from(n))),
                ),
            ])
        })
        .collect();
    let jdbc = t
        .map(|t| t.jdbc_targets())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let cur = mine("jdbc_target", i).unwrap_or(Value::Null);
            Value::from_pairs([
                (
                    "connection_name",
                    Value::from(x.connection_name().unwrap_or_default()),
                ),
                ("path", Value::from(x.path().unwrap_or_default())),
                (
                    "exclusions",
                    api::list_value(x.exclusions(), &cur, "exclusions"),
                ),
            ])
        })
        .collect();
    (Value::List(s3), Value::List(jdbc))
}

fn policies_value(c: &Remote) -> (Value, Value) {
    let change = c.schema_change_policy().map(|p| {
        Value::from_pairs([
            (
                "delete_behavior",
                p.delete_behavior()
                    .map_or(Value::Null, |b| b.as_str().into()),
            ),
            (
                "update_behavior",
                p.update_behavior()
                    .map_or(Value::Null, |b| b.as_str().into()),
            ),
        ])
    });
    let recrawl = c.recrawl_policy().map(|p| {
        Value::from_pairs([(
            "recrawl_behavior",
            p.recrawl_behavior()
                .map_or(Value::Null, |b| b.as_str().into()),
        )])
    });
    (
        Value::List(change.into_iter().collect()),
        Value::List(recrawl.into_iter().collect()),
    )
}

#[async_trait]
impl ByName for Crawler {
    type Remote = Remote;
    const KIND: Named = KIND;

    fn aws(&self) -> &Aws {
        &self.aws
    }
    fn removal(name: &str) -> String {
        format!("aws glue delete-crawler --name {name}")
    }

    async fn get(&self, name: &str) -> Result<Option<Remote>> {
        let out = self.aws.glue.get_crawler().name(name).send().await;
        Ok(errors::found(&format!("reading {}", what(name)), out)?.and_then(|o| o.crawler))
    }

    async fn page(&self, next: Option<String>) -> Result<(Vec<Remote>, Option<String>)> {
        let req = self.aws.glue.get_crawlers().set_next_token(next);
        let out = req
            .send()
            .await
            .map_err(|e| errors::sdk("listing glue crawlers", e))?;
        Ok((out.crawlers.unwrap_or_default(), out.next_token))
    }

    async fn value_of(&self, c: &Remote, current: &Value) -> Result<Value> {
        let name = c.name().unwrap_or_default();
        let mut v = KIND.value(&self.aws, &self.schema, name, current).await?;
        v.set(
            "database_name",
            c.database_name().unwrap_or_default().into(),
        );
        v.set("role", role_value(c.role().unwrap_or_default(), current));
        v.set("description", api::opt_str(c.description()));
        v.set(
            "schedule",
            api::opt_str(c.schedule().and_then(|s| s.schedule_expression())),
        );
        v.set("table_prefix", api::opt_str(c.table_prefix()));
        v.set(
            "configuration",
            configuration_value(c.configuration(), current),
        );
        v.set(
            "classifiers",
            api::list_value(c.classifiers(), current, "classifiers"),
        );
        let (s3, jdbc) = targets_value(c, current);
        v.set("s3_target", s3);
        v.set("jdbc_target", jdbc);
        let (change, recrawl) = policies_value(c);
        v.set("schema_change_policy", change);
        v.set("recrawl_policy", recrawl);
        Ok(v)
    }
}

fn check_len(name: &str, v: &Value, max: usize) -> Result<()> {
    match v.str_attr(name) {
        Some(text) if text.len() > max => Err(ProviderError::invalid(format!(
            "glue crawler `{name}` must be at most {max} characters long"
        ))),
        _ => Ok(()),
    }
}

#[async_trait]
impl Resource for Crawler {
    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(name) = config.str_attr("name") {
            let ok_chars = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_$#/-".contains(c));
            if name.is_empty() || name.len() > 255 || !ok_chars {
                return Err(ProviderError::invalid(format!(
                    "glue crawler name `{name}` must be 1 to 255 characters of letters, digits and `_$#/-`"
                )));
            }
        }
        check_len("description", config, 2048)?;
        check_len("table_prefix", config, 128)?;
        if let Some(text) = config.str_attr("configuration") {
            if serde_json::from_str::<serde_json::Value>(text).is_err() {
                return Err(ProviderError::invalid(
                    "glue crawler `configuration` is not valid JSON",
                )
                .with_hint("build it with `jsonencode({...})`"));
            }
        }
        let targets = ["s3_target", "jdbc_target"];
        let known = targets.iter().any(|t| !config.get(t).is_unknown());
        if known && targets.iter().all(|t| config.list_attr(t).is_empty()) {
            return Err(ProviderError::invalid(
                "glue crawler needs at least one target: an `s3_target` or `jdbc_target` block",
            ));
        }
        for t in config.list_attr("s3_target") {
            if let Some(n) = t.i64_attr("sample_size") {
                if !(1..=249).contains(&n) {
                    return Err(ProviderError::invalid(format!(
                        "`s3_target.sample_size = {n}` must be between 1 and 249"
                    )));
                }
            }
        }
        if let Some(p) = config.single_block("schema_change_policy") {
            api::check_one_of(
                "delete_behavior",
                p.str_attr("delete_behavior"),
                &DELETE_BEHAVIORS,
            )?;
            api::check_one_of(
                "update_behavior",
                p.str_attr("update_behavior"),
                &UPDATE_BEHAVIORS,
            )?;
        }
        if let Some(p) = config.single_block("recrawl_policy") {
            api::check_one_of(
                "recrawl_behavior",
                p.str_attr("recrawl_behavior"),
                &RECRAWL_BEHAVIORS,
            )?;
        }
        Ok(())
    }

    /// `configuration` is compared as JSON: a reformatted text with the same meaning keeps
    /// what state holds.
    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        if let (Some(before), Some(mine)) = (
            prior.and_then(|p| p.str_attr("configuration")),
            config.str_attr("configuration"),
        ) {
            if same_json(before, mine) {
                config.set("configuration", before.into());
            }
        }
        su::plan(&self.aws, &self.schema, prior, &config)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        let mut req = self
            .aws
            .glue
            .create_crawler()
            .name(name)
            .set_role(str_of(planned, "role"))
            .set_database_name(str_of(planned, "database_name"))
            .set_description(str_of(planned, "description"))
            .set_schedule(str_of(planned, "schedule").filter(|s| !s.is_empty()))
            .set_table_prefix(str_of(planned, "table_prefix"))
            .set_configuration(str_of(planned, "configuration"))
            .set_classifiers(Some(planned.string_list_attr("classifiers")))
            .targets(targets(planned))
            .set_schema_change_policy(schema_change_policy(planned))
            .set_recrawl_policy(recrawl_policy(planned));
        for (k, v) in tags::for_create(&self.aws, planned.get("tags"), ctx) {
            req = req.tags(k, v);
        }
        req.send()
            .await
            .map_err(|e| api::create_error(&what(name), e))?;
        self.read_named(name, planned)
            .await?
            .or_vanished(&what(name))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        self.read_current(current).await
    }

    /// UpdateCrawler changes what the request carries: every argument is sent, unset ones
    /// empty, so that removing one from the configuration clears it.
    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        if definition_changed(&self.schema, prior, planned) {
            let text = |a: &str| Some(str_of(planned, a).unwrap_or_default());
            self.aws
                .glue
                .update_crawler()
                .name(name)
                .set_role(str_of(planned, "role"))
                .set_database_name(str_of(planned, "database_name"))
                .set_description(text("description"))
                .set_schedule(text("schedule"))
                .set_table_prefix(text("table_prefix"))
                .set_configuration(text("configuration"))
                .set_classifiers(Some(planned.string_list_attr("classifiers")))
                .targets(targets(planned))
                .set_schema_change_policy(schema_change_policy(planned))
                .set_recrawl_policy(recrawl_policy(planned))
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("updating {}", what(name)), e))?;
        }
        KIND.retag(&self.aws, name, prior, planned).await?;
        self.read_named(name, planned).await?.or_gone(&what(name))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("name") else {
            return Ok(());
        };
        let req = self.aws.glue.delete_crawler().name(name);
        retry::delete(&format!("deleting {}", what(name)), || req.clone().send()).await
    }

    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        self.find(intent, token).await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        self.marked(filter).await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        self.import_named(id).await
    }
}
