//! `google_bigquery_table`: native and external tables; destroy refuses while
//! `deletion_protection` is true, as Terraform does.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Type, Value,
};

use serde_json::Value as Json;

use super::client::BqClient;
use super::{schema_json, send, table_body};
use crate::settings::Settings;
use crate::{adopt, confirm, labels, names};

pub fn schema() -> BlockSchema {
    let computed = |t| Attribute::computed(t);
    let partitioning = BlockSchema::new()
        .attr("type", Attribute::required(Type::String))
        .attr("field", Attribute::optional(Type::String).force_new())
        .attr("expiration_ms", Attribute::optional_computed(Type::Number));
    let external = BlockSchema::new()
        .attr("autodetect", Attribute::required(Type::Bool))
        .attr("source_uris", Attribute::required(Type::list(Type::String)))
        .attr("source_format", Attribute::optional(Type::String))
        .attr(
            "compression",
            Attribute::optional(Type::String).default("NONE"),
        )
        .attr("ignore_unknown_values", Attribute::optional(Type::Bool))
        .attr("max_bad_records", Attribute::optional(Type::Number));
    labels::base_schema()
        .attrs(
            &["table_id", "dataset_id"],
            Attribute::required(Type::String).force_new(),
        )
        .attr(
            "project",
            Attribute::optional_computed(Type::String).force_new(),
        )
        .attrs(
            &["description", "friendly_name"],
            Attribute::optional(Type::String),
        )
        .attr(
            "expiration_time",
            Attribute::optional_computed(Type::Number),
        )
        .attr("schema", Attribute::optional_computed(Type::String))
        .attr("clustering", Attribute::optional(Type::list(Type::String)))
        .attr(
            "deletion_protection",
            Attribute::optional(Type::Bool).default(true),
        )
        .attr("id", computed(Type::String))
        .attr("creation_time", computed(Type::Number))
        .attr(
            "last_modified_time",
            computed(Type::Number).changes_on_update(),
        )
        .attr("etag", computed(Type::String).changes_on_update())
        .attr("location", computed(Type::String))
        .attrs(
            &["num_bytes", "num_rows"],
            computed(Type::Number).changes_on_update(),
        )
        .attr(
            "num_long_term_bytes",
            computed(Type::Number).changes_on_update(),
        )
        .attrs(&["self_link", "type"], computed(Type::String))
        .block("time_partitioning", NestedBlock::list(partitioning).max(1))
        .block(
            "external_data_configuration",
            NestedBlock::list(external).max(1),
        )
}

labform_sdk::typed! {
    pub struct Table("google_bigquery_table") {
        client: BqClient,
        settings: Arc<Settings>,
    }
    schema: schema()
}

impl Table {
    fn what(v: &Value) -> String {
        format!(
            "table `{}.{}`",
            v.str_attr("dataset_id").unwrap_or("?"),
            v.str_attr("table_id").unwrap_or("?")
        )
    }

    fn ids<'a>(&self, v: &'a Value) -> Result<(String, &'a str, &'a str)> {
        let project = self.settings.project_for(v, &Self::what(v))?;
        Ok((
            project,
            v.str_attr("dataset_id").unwrap_or_default(),
            v.str_attr("table_id").unwrap_or_default(),
        ))
    }

    /// The table `v` names, as the API has it: `None` when `v` names none or it does not exist.
    async fn get(&self, v: &Value) -> Result<Option<Json>> {
        if v.str_attr("table_id").is_none() || v.str_attr("dataset_id").is_none() {
            return Ok(None);
        }
        let (project, dataset, table) = self.ids(v)?;
        self.client
            .get_table(&project, dataset, table)
            .await
            .map_err(|e| e.into_provider(&Self::what(v)))
    }
}

#[async_trait]
impl Resource for Table {
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let Some(api) = self.get(intent).await? else {
            return Ok(None);
        };
        let what = Self::what(intent);
        let (project, dataset, table) = self.ids(intent)?;
        let remove = format!("bq rm -t {project}:{dataset}.{table}");
        let ours = adopt::judge(Some(api), token, adopt::in_labels, &what, &remove)?;
        Ok(ours.map(|a| table_body::state(&a, intent, self.schema.empty_value())))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(id) = config.str_attr("table_id") {
            names::check_table_id(id)?;
        }
        if let Some(id) = config.str_attr("dataset_id") {
            names::check_dataset_id(id)?;
        }
        if let Some(s) = config.str_attr("schema") {
            schema_json::parse(s)?;
        }
        if let Some(p) = config.single_block("time_partitioning") {
            if let Some(t) = p.str_attr("type") {
                if !matches!(t, "DAY" | "HOUR" | "MONTH" | "YEAR") {
                    return Err(ProviderError::invalid(format!(
                        "`time_partitioning.type` is `{t}`"
                    ))
                    .with_hint("use `DAY`, `HOUR`, `MONTH` or `YEAR`"));
                }
            }
        }
        if config
            .get("clustering")
            .as_list()
            .is_some_and(|c| c.len() > 4)
        {
            return Err(
                ProviderError::invalid("`clustering` lists more than 4 columns")
                    .with_hint("BigQuery clusters by at most 4 columns"),
            );
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        // An equivalent schema (other order, `INTEGER` for `INT64`, ...) is no change.
        if let (Some(p), Some(c)) = (
            prior.and_then(|p| p.str_attr("schema")),
            config.str_attr("schema"),
        ) {
            if schema_json::equivalent(p, c) {
                config.set("schema", Value::from(p));
            }
        }
        let replace_schema = match (
            prior.and_then(|p| p.str_attr("schema")),
            config.str_attr("schema"),
        ) {
            (Some(p), Some(c)) => schema_json::needs_replacement(p, c),
            _ => false,
        };
        let mut change = self
            .settings
            .plan_labelled(&self.schema, prior, config.clone())?;
        if replace_schema && change.requires_replace.is_empty() {
            // A fresh create: computed attributes are unknown again.
            change = self.settings.plan_labelled(&self.schema, None, config)?;
            change.requires_replace = vec![vec!["schema".to_string()]];
        } else if replace_schema {
            change.requires_replace.push(vec!["schema".to_string()]);
        }
        Ok(change)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let what = Self::what(planned);
        let (project, dataset, _) = self.ids(planned)?;
        let body = table_body::insert_body(planned, &project, &labels::for_create(planned, ctx));
        let api = self.client.insert_table(&project, dataset, body).await.map_err(|e| {
            let err = e.into_provider(&what);
            match err.kind {
                labform_sdk::ErrorKind::Conflict => ProviderError::conflict(format!("{what} already exists")).with_hint("pick another `table_id`, or import the existing table"),
                labform_sdk::ErrorKind::NotFound => ProviderError::not_found(format!("dataset `{dataset}` of {what} was not found"))
                    .with_hint("create the dataset first: refer to it as `google_bigquery_dataset.<name>.dataset_id` so it is created before the table"),
                _ => err,
            }
        })?;
        Ok(table_body::state(&api, planned, self.schema.empty_value()))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let api = self.get(current).await?;
        Ok(api.map(|a| table_body::state(&a, current, self.schema.empty_value())))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let what = Self::what(planned);
        let (project, dataset, table) = self.ids(planned)?;
        let (client, project) = (&self.client, project.as_str());
        let api = send::update(
            table_body::change(prior, planned),
            &what,
            move || client.get_table(project, dataset, table),
            move |how, body| client.write_table(how, project, dataset, table, body),
            |current| table_body::put_body(current, planned),
        )
        .await?;
        Ok(table_body::state(&api, planned, self.schema.empty_value()))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let what = Self::what(prior);
        if prior.bool_attr("deletion_protection", true) {
            return Err(ProviderError::invalid(format!(
                "cannot destroy {what} while `deletion_protection` is true"
            ))
            .with_hint(
                "set `deletion_protection = false` on the table, run apply, then destroy again",
            ));
        }
        let (project, dataset, table) = self.ids(prior)?;
        let err = |e: crate::errors::CallError| e.into_provider(&what);
        match self.client.delete_table(&project, dataset, table).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(err(e)),
        }
        let (client, project) = (&self.client, project.as_str());
        let exists = move || async move {
            Ok(client
                .get_table(project, dataset, table)
                .await
                .map_err(err)?
                .is_some())
        };
        confirm::deleted(&what, &[0, 200, 500, 1000], exists).await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let parts: Vec<&str> = id
            .split('/')
            .filter(|p| !p.is_empty() && !matches!(*p, "projects" | "datasets" | "tables"))
            .collect();
        let mut current = self.schema.empty_value();
        let (p, d, t) = match parts.as_slice() {
            [d, t] => (None, *d, *t),
            [p, d, t] => (Some(*p), *d, *t),
            _ => {
                return Err(
                    ProviderError::invalid(format!("`{id}` is not a table import id"))
                        .with_hint("use `projects/<project>/datasets/<dataset>/tables/<table>`"),
                )
            }
        };
        if let Some(p) = p {
            current.set("project", Value::from(p));
        }
        current.set("dataset_id", Value::from(d));
        current.set("table_id", Value::from(t));
        current.set("deletion_protection", Value::Bool(true));
        self.read(&current)
            .await?
            .ok_or_else(|| ProviderError::not_found(format!("table `{id}` was not found")))
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let project = self.settings.sweep_project("tables")?;
        let mut out = Vec::new();
        for d in self
            .client
            .list_datasets(&project)
            .await
            .map_err(|e| e.into_provider("the dataset list"))?
        {
            let dataset = d["datasetReference"]["datasetId"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let tables = self
                .client
                .list_tables(&project, &dataset)
                .await
                .map_err(|e| e.into_provider("the table list"))?;
            out.extend(labels::marked(&tables, filter, |t| {
                let empty = self.schema.empty_value();
                let mut v = table_body::state(t, &empty, self.schema.empty_value());
                // A sweep deletes what it finds: protection is a guard for configured tables.
                v.set("deletion_protection", Value::Bool(false));
                let at = v.get("creation_time").as_f64().map(|ms| format!("{ms:.0}"));
                (v, at)
            }));
        }
        Ok(out)
    }
}
