//! `google_bigquery_dataset`: create, read, update, and a destroy that empties the dataset
//! only when `delete_contents_on_destroy` says so.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError, Resource,
    Result, StackFilter, Type, Value,
};

use serde_json::Value as Json;

use super::client::BqClient;
use super::{dataset_body, send};
use crate::settings::Settings;
use crate::{adopt, confirm, labels, names};

pub fn schema() -> BlockSchema {
    labels::base_schema()
        .attr("dataset_id", Attribute::required(Type::String).force_new())
        .attr(
            "project",
            Attribute::optional_computed(Type::String).force_new(),
        )
        .attr(
            "location",
            Attribute::optional(Type::String).force_new().default("US"),
        )
        .attrs(
            &["friendly_name", "description"],
            Attribute::optional(Type::String),
        )
        .attr(
            "default_table_expiration_ms",
            Attribute::optional(Type::Number),
        )
        .attr(
            "default_partition_expiration_ms",
            Attribute::optional(Type::Number),
        )
        .attr(
            "delete_contents_on_destroy",
            Attribute::optional(Type::Bool).default(false),
        )
        .attrs(&["id", "self_link"], Attribute::computed(Type::String))
        .attr("creation_time", Attribute::computed(Type::Number))
        .attr(
            "last_modified_time",
            Attribute::computed(Type::Number).changes_on_update(),
        )
        .attr(
            "etag",
            Attribute::computed(Type::String).changes_on_update(),
        )
}

labform_sdk::typed! {
    pub struct Dataset("google_bigquery_dataset") {
        client: BqClient,
        settings: Arc<Settings>,
    }
    schema: schema()
}

impl Dataset {
    fn what(v: &Value) -> String {
        format!("dataset `{}`", v.str_attr("dataset_id").unwrap_or("?"))
    }

    fn non_empty(id: &str, tables: usize) -> ProviderError {
        ProviderError::conflict(format!("dataset `{id}` still holds {tables} tables, so it cannot be deleted"))
            .with_hint("set `delete_contents_on_destroy = true` on the dataset and apply, then destroy again (that deletes its tables)")
    }

    /// The dataset `v` names, as the API has it: `None` when `v` names none or it does not exist.
    async fn get(&self, v: &Value) -> Result<Option<Json>> {
        let what = Self::what(v);
        let Some(id) = v.str_attr("dataset_id") else {
            return Ok(None);
        };
        let project = self.settings.project_for(v, &what)?;
        self.client
            .get_dataset(&project, id)
            .await
            .map_err(|e| e.into_provider(&what))
    }
}

#[async_trait]
impl Resource for Dataset {
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let what = Self::what(intent);
        let Some(api) = self.get(intent).await? else {
            return Ok(None);
        };
        let project = self.settings.project_for(intent, &what)?;
        let id = intent.str_attr("dataset_id").unwrap_or_default();
        let remove = format!("bq rm -r -d {project}:{id}");
        let ours = adopt::judge(Some(api), token, adopt::in_labels, &what, &remove)?;
        Ok(ours.map(|a| dataset_body::state(&a, intent, self.schema.empty_value())))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(id) = config.str_attr("dataset_id") {
            names::check_dataset_id(id)?;
        }
        if let Some(p) = config.str_attr("project") {
            names::check_project_id(p)?;
        }
        if let Some(ms) = config.get("default_table_expiration_ms").as_f64() {
            if ms < 3_600_000.0 {
                return Err(ProviderError::invalid(format!("`default_table_expiration_ms` is {ms}, below the minimum of 3600000 (one hour)"))
                    .with_hint("use at least 3600000, or leave it unset for tables that never expire"));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        // Locations compare case-insensitively (`eu` is `EU`).
        if let (Some(p), Some(c)) = (
            prior.and_then(|p| p.str_attr("location")),
            config.str_attr("location"),
        ) {
            if p.eq_ignore_ascii_case(c) {
                config.set("location", Value::from(p));
            }
        }
        self.settings.plan_labelled(&self.schema, prior, config)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let what = Self::what(planned);
        let project = self.settings.project_for(planned, &what)?;
        let body = dataset_body::insert_body(planned, &project, &labels::for_create(planned, ctx));
        let api = self
            .client
            .insert_dataset(&project, body)
            .await
            .map_err(|e| {
                let err = e.into_provider(&what);
                match err.kind {
                    labform_sdk::ErrorKind::Conflict => ProviderError::conflict(format!(
                        "{what} already exists in project `{project}`"
                    ))
                    .with_hint("pick another `dataset_id`, or import the existing dataset"),
                    _ => err,
                }
            })?;
        Ok(dataset_body::state(
            &api,
            planned,
            self.schema.empty_value(),
        ))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let api = self.get(current).await?;
        Ok(api.map(|a| dataset_body::state(&a, current, self.schema.empty_value())))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let what = Self::what(planned);
        let project = self.settings.project_for(planned, &what)?;
        let id = planned.str_attr("dataset_id").unwrap_or_default();
        let (client, project) = (&self.client, project.as_str());
        let api = send::update(
            dataset_body::change(prior, planned),
            &what,
            move || client.get_dataset(project, id),
            move |how, body| client.write_dataset(how, project, id, body),
            |current| dataset_body::put_body(current, planned),
        )
        .await?;
        Ok(dataset_body::state(
            &api,
            planned,
            self.schema.empty_value(),
        ))
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let what = Self::what(prior);
        let project = self.settings.project_for(prior, &what)?;
        let id = prior.str_attr("dataset_id").unwrap_or_default();
        let err = |e: crate::errors::CallError| e.into_provider(&what);
        let (client, project_id) = (&self.client, project.as_str());
        let exists = move || async move {
            Ok(client
                .get_dataset(project_id, id)
                .await
                .map_err(err)?
                .is_some())
        };
        if !exists().await? {
            return Ok(());
        }
        let contents = prior.bool_attr("delete_contents_on_destroy", false);
        let tables = self.client.list_tables(&project, id).await.map_err(err)?;
        if !tables.is_empty() {
            if !contents {
                return Err(Self::non_empty(id, tables.len()));
            }
            ctx.progress(&format!("deleting {} tables", tables.len()));
            for t in &tables {
                let table = t["tableReference"]["tableId"].as_str().unwrap_or_default();
                match self.client.delete_table(&project, id, table).await {
                    Ok(()) => {}
                    Err(e) if e.is_not_found() => {}
                    Err(e) => return Err(e.into_provider(&format!("table `{table}` in {what}"))),
                }
            }
        }
        // The answer is not trusted (the emulator answers 404 for a dataset that still holds
        // tables): a read confirms the delete.
        let answer = self.client.delete_dataset(&project, id, contents).await;
        if let Err(e) = &answer {
            if !e.is_not_found()
                && !matches!(e, crate::errors::CallError::Api(a) if a.status == 400 && a.reason == "resourceInUse")
            {
                return Err(answer
                    .err()
                    .map(err)
                    .unwrap_or_else(|| ProviderError::api("unexpected")));
            }
        }
        if confirm::gone(&[0, 200, 500, 1000], exists).await? {
            return Ok(());
        }
        let left = self
            .client
            .list_tables(&project, id)
            .await
            .map(|t| t.len())
            .unwrap_or(0);
        if left > 0 && !contents {
            return Err(Self::non_empty(id, left));
        }
        Err(confirm::still_there(&what))
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let parts: Vec<&str> = id
            .split('/')
            .filter(|p| !p.is_empty() && *p != "projects" && *p != "datasets")
            .collect();
        let mut current = self.schema.empty_value();
        match parts.as_slice() {
            [d] => current.set("dataset_id", Value::from(*d)),
            [p, d] => {
                current.set("project", Value::from(*p));
                current.set("dataset_id", Value::from(*d));
            }
            _ => {
                return Err(
                    ProviderError::invalid(format!("`{id}` is not a dataset import id"))
                        .with_hint("use `projects/<project>/datasets/<dataset_id>`"),
                )
            }
        }
        self.read(&current)
            .await?
            .ok_or_else(|| ProviderError::not_found(format!("dataset `{id}` was not found")))
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let project = self.settings.sweep_project("datasets")?;
        let all = self
            .client
            .list_datasets(&project)
            .await
            .map_err(|e| e.into_provider("the dataset list"))?;
        let known = self.schema.empty_value();
        Ok(labels::marked(&all, filter, |d| {
            let v = dataset_body::state(d, &known, self.schema.empty_value());
            // Milliseconds since the epoch, as BigQuery gives it.
            let at = v.get("creation_time").as_f64().map(|ms| format!("{ms:.0}"));
            (v, at)
        }))
    }
}
