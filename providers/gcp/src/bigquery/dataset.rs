//! `google_bigquery_dataset`: create, read, update, and a destroy that empties the dataset
//! only when `delete_contents_on_destroy` says so.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError, Resource,
    Result, StackFilter, Type, Value,
};

use super::client::BqClient;
use super::dataset_body::{self, Change};
use crate::settings::Settings;
use crate::{adopt, labels, names};

pub fn schema() -> BlockSchema {
    BlockSchema::new()
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
        .attr("labels", Attribute::optional(Type::map(Type::String)))
        .attr(
            "terraform_labels",
            Attribute::computed(Type::map(Type::String)),
        )
        .attr(
            "effective_labels",
            Attribute::computed(Type::map(Type::String)),
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
}

#[async_trait]
impl Resource for Dataset {
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let what = Self::what(intent);
        let Some(id) = intent.str_attr("dataset_id") else {
            return Ok(None);
        };
        let project = self.settings.project_for(intent, &what)?;
        let api = self
            .client
            .get_dataset(&project, id)
            .await
            .map_err(|e| e.into_provider(&what))?;
        let remove = format!("bq rm -r -d {project}:{id}");
        let ours = adopt::judge(api, token, adopt::in_labels, &what, &remove)?;
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
        if config.get("project").is_null() {
            if let Some(p) = &self.settings.project {
                config.set("project", Value::from(p.clone()));
            }
        }
        // Locations compare case-insensitively (`eu` is `EU`).
        if let (Some(p), Some(c)) = (
            prior.and_then(|p| p.str_attr("location")),
            config.str_attr("location"),
        ) {
            if p.eq_ignore_ascii_case(c) {
                config.set("location", Value::from(p));
            }
        }
        labels::plan_with_labels(
            &self.schema,
            prior,
            &config,
            &self.settings.base_labels,
            &self.settings.mark,
        )
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
        let what = Self::what(current);
        let Some(id) = current.str_attr("dataset_id") else {
            return Ok(None);
        };
        let project = self.settings.project_for(current, &what)?;
        let api = self
            .client
            .get_dataset(&project, id)
            .await
            .map_err(|e| e.into_provider(&what))?;
        Ok(api.map(|a| dataset_body::state(&a, current, self.schema.empty_value())))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let what = Self::what(planned);
        let project = self.settings.project_for(planned, &what)?;
        let id = planned.str_attr("dataset_id").unwrap_or_default();
        let err = |e: crate::errors::CallError| e.into_provider(&what);
        let api = match dataset_body::change(prior, planned) {
            Change::Patch(mut body) => {
                if body.get("labels").is_some() {
                    // The whole label map is sent: keep the instance mark the object carries.
                    if let Some(current) =
                        self.client.get_dataset(&project, id).await.map_err(err)?
                    {
                        labels::keep_instance_mark(&mut body, &current);
                    }
                }
                self.client
                    .patch_dataset(&project, id, body)
                    .await
                    .map_err(err)?
            }
            Change::Put => {
                let current = self
                    .client
                    .get_dataset(&project, id)
                    .await
                    .map_err(err)?
                    .ok_or_else(|| ProviderError::not_found(format!("{what} was not found")))?;
                self.client
                    .update_dataset(&project, id, dataset_body::put_body(&current, planned))
                    .await
                    .map_err(err)?
            }
            Change::None => self
                .client
                .get_dataset(&project, id)
                .await
                .map_err(err)?
                .ok_or_else(|| ProviderError::not_found(format!("{what} was not found")))?,
        };
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
        if self
            .client
            .get_dataset(&project, id)
            .await
            .map_err(err)?
            .is_none()
        {
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
        for delay in [0u64, 200, 500, 1000] {
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            if self
                .client
                .get_dataset(&project, id)
                .await
                .map_err(err)?
                .is_none()
            {
                return Ok(());
            }
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
        Err(ProviderError::transient(format!(
            "{what} is still there after it was deleted"
        )))
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
        let project = self.settings.project.clone().ok_or_else(|| {
            ProviderError::invalid("no project is set to look for leftover datasets in")
                .with_hint("set `project` in the provider block or export `GOOGLE_PROJECT`")
        })?;
        let all = self
            .client
            .list_datasets(&project)
            .await
            .map_err(|e| e.into_provider("the dataset list"))?;
        let known = self.schema.empty_value();
        Ok(all
            .iter()
            .filter_map(|d| {
                let marks = labels::from_json(&d["labels"]);
                filter.matches(&marks).then(|| {
                    let v = dataset_body::state(d, &known, self.schema.empty_value());
                    // Milliseconds since the epoch, as BigQuery gives it.
                    let at = v.get("creation_time").as_f64().map(|ms| format!("{ms:.0}"));
                    Marked::new(v, marks).created(at)
                })
            })
            .collect())
    }
}
