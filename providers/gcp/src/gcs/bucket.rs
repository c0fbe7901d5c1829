//! `google_storage_bucket`: create, read, update in place, destroy (emptying it first with
//! `force_destroy`), and the sweep of marked buckets.

use std::sync::Arc;

use labform_sdk::{
    async_trait, Marked, OpContext, PlannedChange, ProviderError, Resource, Result, StackFilter,
    Value,
};

use serde_json::Value as Json;

use super::bucket_body;
use super::client::GcsClient;
use crate::settings::Settings;
use crate::{adopt, confirm, labels, names};

labform_sdk::typed! {
    pub struct Bucket("google_storage_bucket") {
        client: GcsClient,
        settings: Arc<Settings>,
    }
    schema: super::bucket_schema::schema()
}

impl Bucket {
    fn what(value: &Value) -> String {
        format!("bucket `{}`", value.str_attr("name").unwrap_or("?"))
    }

    async fn empty_bucket(&self, name: &str, ctx: &OpContext) -> Result<()> {
        let what = format!("bucket `{name}`");
        // Deleting can race with lifecycle actions or writers: go round until the list is empty.
        for _ in 0..10 {
            let objects = self
                .client
                .list_objects(name, true)
                .await
                .map_err(|e| e.into_provider(&what))?;
            if objects.is_empty() {
                return Ok(());
            }
            ctx.progress(&format!("deleting {} object versions", objects.len()));
            for o in &objects {
                let object = o["name"].as_str().unwrap_or_default();
                let generation = o["generation"].as_str();
                match self.client.delete_object(name, object, generation).await {
                    Ok(()) => {}
                    Err(e) if e.is_not_found() => {}
                    Err(e) => return Err(e.into_provider(&format!("object `{object}` in {what}"))),
                }
            }
        }
        Err(ProviderError::conflict(format!(
            "{what} still holds objects after emptying it ten times"
        ))
        .with_hint("something keeps writing to it: stop the writer and run destroy again"))
    }

    /// The bucket `v` names, as the API has it: `None` when `v` names none or it does not exist.
    async fn get(&self, v: &Value) -> Result<Option<Json>> {
        let Some(name) = v.str_attr("name") else {
            return Ok(None);
        };
        self.client
            .get_bucket(name)
            .await
            .map_err(|e| e.into_provider(&Self::what(v)))
    }

    fn non_empty_error(name: &str, count: usize) -> ProviderError {
        ProviderError::conflict(format!("bucket `{name}` still holds {count} objects (or object versions), so it cannot be deleted"))
            .with_hint(format!("empty it (`gcloud storage rm --recursive --all-versions 'gs://{name}/**'`) and run again, or, while the stack's configuration has it, set `force_destroy = true` on it and apply first (that deletes every object and version)"))
    }
}

#[async_trait]
impl Resource for Bucket {
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let what = Self::what(intent);
        let Some(name) = intent.str_attr("name") else {
            return Ok(None);
        };
        let project = self.settings.project_for(intent, &what)?;
        let api = self.get(intent).await?;
        let remove = format!("gcloud storage rm -r gs://{name}");
        let ours = adopt::judge(api, token, adopt::in_labels, &what, &remove)?;
        Ok(ours.map(|api| bucket_body::state(&api, intent, &project, self.schema.empty_value())))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(name) = config.str_attr("name") {
            names::check_bucket_name(name)?;
        }
        if let Some(p) = config.str_attr("project") {
            names::check_project_id(p)?;
        }
        for r in config.list_attr("retention_policy") {
            if r.bool_attr("is_locked", false) {
                return Err(ProviderError::unsupported("`retention_policy.is_locked = true` is not supported yet")
                    .with_hint("locking a retention policy cannot be undone; lock it in the console if you really need it"));
            }
        }
        for rule in config.list_attr("lifecycle_rule") {
            for c in rule.list_attr("condition") {
                if let Some(s) = c.str_attr("with_state") {
                    if !matches!(s, "LIVE" | "ARCHIVED" | "ANY" | "") {
                        return Err(ProviderError::invalid(format!("`with_state` is `{s}`"))
                            .with_hint("use `LIVE`, `ARCHIVED` or `ANY`"));
                    }
                }
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        // GCS stores locations upper-cased; plan them that way so `us-central1` is no diff.
        if let Some(loc) = config.str_attr("location").map(str::to_uppercase) {
            config.set("location", Value::from(loc));
        }
        self.settings.plan_labelled(&self.schema, prior, config)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let what = Self::what(planned);
        let project = self.settings.project_for(planned, &what)?;
        let body = bucket_body::insert_body(planned, &labels::for_create(planned, ctx));
        let api = self.client.insert_bucket(&project, body).await.map_err(|e| {
            let err = e.into_provider(&what);
            if err.kind == labform_sdk::ErrorKind::Conflict {
                ProviderError::conflict(format!("{what} already exists"))
                    .with_hint("bucket names are global across all of Google Cloud: pick another name, e.g. prefix it with your project ID")
            } else {
                err
            }
        })?;
        Ok(bucket_body::state(
            &api,
            planned,
            &project,
            self.schema.empty_value(),
        ))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let project = self
            .settings
            .project_for(current, &Self::what(current))
            .unwrap_or_default();
        let api = self.get(current).await?;
        Ok(api.map(|api| bucket_body::state(&api, current, &project, self.schema.empty_value())))
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let what = Self::what(planned);
        let project = self.settings.project_for(planned, &what)?;
        let name = planned.str_attr("name").unwrap_or_default();
        let body = bucket_body::patch_body(prior, planned);
        let api = if body.as_object().is_some_and(|m| m.is_empty()) {
            // Only client-side attributes (force_destroy) changed.
            self.client
                .get_bucket(name)
                .await
                .map_err(|e| e.into_provider(&what))?
        } else {
            Some(
                self.client
                    .patch_bucket(name, body)
                    .await
                    .map_err(|e| e.into_provider(&what))?,
            )
        };
        let api = api.ok_or_else(|| ProviderError::not_found(format!("{what} was not found")))?;
        Ok(bucket_body::state(
            &api,
            planned,
            &project,
            self.schema.empty_value(),
        ))
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let name = prior.str_attr("name").unwrap_or_default().to_string();
        let what = format!("bucket `{name}`");
        let err = |e: crate::errors::CallError| e.into_provider(&what);
        let exists = || async { Ok(self.client.get_bucket(&name).await.map_err(err)?.is_some()) };
        if !exists().await? {
            return Ok(());
        }
        if prior.bool_attr("force_destroy", false) {
            self.empty_bucket(&name, ctx).await?;
        } else {
            let objects = self
                .client
                .list_objects(&name, true)
                .await
                .map_err(|e| e.into_provider(&what))?;
            if !objects.is_empty() {
                return Err(Self::non_empty_error(&name, objects.len()));
            }
        }
        match self.client.delete_bucket(&name).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(crate::errors::CallError::Api(e)) if e.is_conflict() => {
                let left = self
                    .client
                    .list_objects(&name, true)
                    .await
                    .map(|o| o.len())
                    .unwrap_or(0);
                if prior.bool_attr("force_destroy", false) {
                    // Emptied, yet not empty: something wrote to it meanwhile. Worth a retry.
                    return Err(ProviderError::transient(format!(
                        "{what} got {left} new objects while it was being emptied"
                    ))
                    .with_hint("stop whatever writes to the bucket and run destroy again"));
                }
                return Err(Self::non_empty_error(&name, left));
            }
            Err(e) => return Err(e.into_provider(&what)),
        }
        confirm::deleted(&what, &[0, 200, 500, 1000, 2000], exists).await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let name = id.rsplit('/').next().unwrap_or(id);
        let mut current = self.schema.empty_value();
        current.set("name", Value::from(name));
        if let Some((project, _)) = id.split_once('/') {
            current.set("project", Value::from(project));
        }
        self.read(&current)
            .await?
            .ok_or_else(|| ProviderError::not_found(format!("bucket `{name}` was not found")))
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let project = self.settings.sweep_project("buckets")?;
        let buckets = self
            .client
            .list_buckets(&project, "")
            .await
            .map_err(|e| e.into_provider("the bucket list"))?;
        let known = self.schema.empty_value();
        Ok(labels::marked(&buckets, filter, |b| {
            let v = bucket_body::state(b, &known, &project, self.schema.empty_value());
            (v, b["timeCreated"].as_str().map(str::to_string))
        }))
    }
}
