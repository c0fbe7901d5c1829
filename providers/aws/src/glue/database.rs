//! `aws_glue_catalog_database`: a database in the Glue Data Catalog.

use std::sync::Arc;

use aws_sdk_glue::types::DatabaseInput;
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError, ReadBack,
    Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::glue::api;
use crate::retry;
use crate::schema_util::{self as su, s, smap};
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct Database("aws_glue_catalog_database") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("name", Attribute::required(s()).force_new())
        .attr("catalog_id", Attribute::optional_computed(s()).force_new())
        .attr("description", Attribute::optional(s()))
        .attr("location_uri", Attribute::optional_computed(s()))
        .attr("parameters", Attribute::optional(smap()))
        .attr("arn", Attribute::computed(s()));
    su::tagged(su::regional(sc))
}

impl Database {
    async fn catalog(&self, v: &Value) -> Result<String> {
        api::catalog(&self.aws, v).await
    }

    fn arn(&self, account: &str, name: &str) -> String {
        api::arn(&self.aws, account, &format!("database/{name}"))
    }

    fn input(planned: &Value, name: &str) -> Result<DatabaseInput> {
        let params = api::string_map(planned, "parameters");
        DatabaseInput::builder()
            .name(name)
            .set_description(planned.str_attr("description").map(str::to_string))
            .set_location_uri(
                planned
                    .str_attr("location_uri")
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            )
            .set_parameters(params)
            .build()
            .map_err(|e| ProviderError::api(format!("building a glue request: {e}")))
    }

    async fn read_db(&self, name: &str, current: &Value) -> Result<Option<Value>> {
        let catalog = self.catalog(current).await?;
        let req = self
            .aws
            .glue
            .get_database()
            .name(name)
            .set_catalog_id(api::catalog_id(&catalog));
        let db = match req.send().await {
            Ok(out) => match out.database {
                Some(db) => db,
                None => return Ok(None),
            },
            Err(e) if errors::is_not_found(&e) => return Ok(None),
            Err(e) => return Err(errors::sdk(&format!("reading glue database `{name}`"), e)),
        };
        let arn = self.arn(&catalog, name);
        let remote = api::tags_of(&self.aws, &arn, &format!("glue database `{name}`")).await?;
        let mut v = self.schema.empty_value();
        v.set("name", name.into());
        v.set("catalog_id", db.catalog_id().unwrap_or(&catalog).into());
        v.set(
            "id",
            format!("{}:{name}", db.catalog_id().unwrap_or(&catalog)).into(),
        );
        v.set("arn", arn.into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "description",
            db.description()
                .filter(|d| !d.is_empty())
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        v.set("location_uri", db.location_uri().unwrap_or("").into());
        v.set(
            "parameters",
            api::map_value(db.parameters(), current, "parameters"),
        );
        api::set_tags(&self.aws, &mut v, remote, current);
        Ok(Some(v))
    }
}

#[async_trait]
impl Resource for Database {
    /// Found by its name (unique in the catalog), and adopted only when it carries this
    /// create's mark (written by CreateDatabase itself).
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = su::req(intent, "name")?;
        api::adopt_named(
            &self.aws,
            self.read_db(name, intent).await?,
            &format!("glue database `{name}`"),
            token,
            &format!("aws glue delete-database --name {name}"),
        )
        .await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(name) = config.str_attr("name") {
            if name.is_empty() || name.len() > 255 {
                return Err(ProviderError::invalid(format!(
                    "glue database name `{name}` must be 1 to 255 characters long"
                )));
            }
            if name.chars().any(|c| c.is_uppercase()) {
                return Err(ProviderError::invalid(format!(
                    "glue database name `{name}` must not contain uppercase letters"
                ))
                .with_hint(format!("use `{}`", name.to_lowercase())));
            }
        }
        if let Some(d) = config.str_attr("description") {
            if d.len() > 2048 {
                return Err(ProviderError::invalid(
                    "glue database `description` must be at most 2048 characters long",
                ));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        su::plan(&self.aws, &self.schema, prior, config)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        let catalog = self.catalog(planned).await?;
        let mut req = self
            .aws
            .glue
            .create_database()
            .database_input(Self::input(planned, name)?)
            .set_catalog_id(api::catalog_id(&catalog));
        for (k, v) in tags::for_create(&self.aws, planned.get("tags"), ctx) {
            req = req.tags(k, v);
        }
        req.send()
            .await
            .map_err(|e| api::create_error(&format!("glue database `{name}`"), e))?;
        self.read_db(name, planned)
            .await?
            .or_vanished(&format!("glue database `{name}`"))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match current.str_attr("name") {
            Some(name) => self.read_db(name, current).await,
            None => Ok(None),
        }
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        let catalog = self.catalog(prior).await?;
        let changed = ["description", "location_uri", "parameters"]
            .iter()
            .any(|a| prior.get(a) != planned.get(a));
        if changed {
            self.aws
                .glue
                .update_database()
                .name(name)
                .database_input(Self::input(planned, name)?)
                .set_catalog_id(api::catalog_id(&catalog))
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("updating glue database `{name}`"), e))?;
        }
        let arn = self.arn(&catalog, name);
        api::update_tags(
            &self.aws,
            &arn,
            &format!("glue database `{name}`"),
            prior,
            planned,
        )
        .await?;
        self.read_db(name, planned)
            .await?
            .or_gone(&format!("glue database `{name}`"))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("name") else {
            return Ok(());
        };
        let catalog = self.catalog(prior).await?;
        let req = self
            .aws
            .glue
            .delete_database()
            .name(name)
            .set_catalog_id(api::catalog_id(&catalog));
        retry::delete(&format!("deleting glue database `{name}`"), || {
            req.clone().send()
        })
        .await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let out = self
            .aws
            .glue
            .get_databases()
            .send()
            .await
            .map_err(|e| errors::sdk("listing glue databases", e))?;
        let mut found = Vec::new();
        for db in out.database_list() {
            let current = self.schema.empty_value();
            found.extend(self.read_db(db.name(), &current).await?);
        }
        Ok(crate::tags::marked(found, filter))
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let (catalog, name) = api::split_id(id);
        let mut current = self.schema.empty_value();
        if !catalog.is_empty() {
            current.set("catalog_id", catalog.into());
        }
        self.read_db(name, &current)
            .await?
            .or_absent(&format!("glue database `{name}`"))
    }
}
