//! `aws_glue_catalog_table`: a table in a Glue catalog database. Its id is
//! `CATALOG:DATABASE:NAME`, also its import id.
//!
//! Glue tables take no tags, so labform's marks (`managed-by`, `labform-stack`,
//! `labform-stack-id`, `labform-expires` and the create's `labform-instance`) are kept among the
//! table's own `parameters`, written by CreateTable itself and by every UpdateTable (which
//! replaces the whole table input), and left out of what `parameters` reads back, so they never
//! show in a plan or in state. Sweep lists every table of every database and keeps those whose
//! parameters carry the stack's marks; an interrupted create is found by its unique name and
//! adopted only when its parameters carry that create's mark. (Terraform with the real provider
//! would see the marks as a difference in `parameters`.)

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_glue::types::{Table, TableInput};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, ReadBack, Resource, Result, StackFilter, Value, EXPIRES_KEY, INSTANCE_KEY,
    MANAGED_BY_KEY, STACK_ID_KEY, STACK_KEY,
};

use crate::client::Aws;
use crate::glue::api::{self, int, opt_str};
use crate::glue::table_storage as storage;
use crate::schema_util::{self as su, n, s, smap};
use crate::{adopt, errors, retry, tags};

/// The keys of labform's marks among a table's parameters.
const MARK_KEYS: [&str; 5] = [
    MANAGED_BY_KEY,
    STACK_KEY,
    STACK_ID_KEY,
    EXPIRES_KEY,
    INSTANCE_KEY,
];

labform_sdk::typed! {
    pub struct CatalogTable("aws_glue_catalog_table") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("arn", Attribute::computed(s()))
        .attr("catalog_id", Attribute::optional_computed(s()).force_new())
        .attr("database_name", Attribute::required(s()).force_new())
        .attr("description", Attribute::optional(s()))
        .attr("name", Attribute::required(s()).force_new())
        .attr("owner", Attribute::optional(s()))
        .attr("parameters", Attribute::optional_computed(smap()))
        .attr("retention", Attribute::optional(n()))
        .attr("table_type", Attribute::optional_computed(s()))
        .attrs(
            &["view_expanded_text", "view_original_text"],
            Attribute::optional(s()),
        )
        .block(
            "partition_keys",
            NestedBlock::list(storage::column_schema()),
        )
        .block("storage_descriptor", storage::storage_descriptor_schema());
    su::regional(sc)
}

/// The table's own parameters and, apart, labform's marks among them.
fn split_marks(
    params: Option<&std::collections::HashMap<String, String>>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    params
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .partition(|(k, _)| !MARK_KEYS.contains(&k.as_str()))
}

impl CatalogTable {
    fn what(db: &str, name: &str) -> String {
        format!("glue table `{db}.{name}`")
    }

    /// The table input of `planned`, its parameters carrying `marks`.
    fn input(planned: &Value, marks: BTreeMap<String, String>) -> Result<TableInput> {
        let mut params = planned.string_map_attr("parameters");
        params.extend(marks);
        let sd = match planned.list_attr("storage_descriptor").first() {
            Some(sd) => Some(storage::storage_descriptor(sd)?),
            None => None,
        };
        TableInput::builder()
            .name(su::req(planned, "name")?)
            .set_description(planned.str_attr("description").map(str::to_string))
            .set_owner(planned.str_attr("owner").map(str::to_string))
            .set_retention(int(planned, "retention"))
            .set_table_type(planned.str_attr("table_type").map(str::to_string))
            .set_view_expanded_text(planned.str_attr("view_expanded_text").map(str::to_string))
            .set_view_original_text(planned.str_attr("view_original_text").map(str::to_string))
            .set_parameters(Some(params.into_iter().collect()))
            .set_partition_keys(Some(storage::columns(planned.list_attr("partition_keys"))?))
            .set_storage_descriptor(sd)
            .build()
            .map_err(|e| ProviderError::api(format!("building a glue table request: {e}")))
    }

    /// The table as the API has it, `None` when it (or its database) does not exist.
    async fn get(&self, catalog: &str, db: &str, name: &str) -> Result<Option<Table>> {
        let req = self
            .aws
            .glue
            .get_table()
            .database_name(db)
            .name(name)
            .set_catalog_id(api::catalog_id(catalog));
        let out = errors::found(
            &format!("reading {}", Self::what(db, name)),
            req.send().await,
        )?;
        Ok(out.and_then(|o| o.table))
    }

    fn value_of(&self, t: &Table, catalog: &str, current: &Value) -> Value {
        let db = t.database_name().unwrap_or_default();
        let catalog = t.catalog_id().filter(|c| !c.is_empty()).unwrap_or(catalog);
        let (params, _) = split_marks(t.parameters());
        let mut v = self.schema.empty_value();
        v.set("id", format!("{catalog}:{db}:{}", t.name()).into());
        v.set(
            "arn",
            api::arn(&self.aws, catalog, &format!("table/{db}/{}", t.name())).into(),
        );
        v.set("catalog_id", catalog.into());
        v.set("database_name", db.into());
        v.set("name", t.name().into());
        v.set("region", self.aws.region.as_str().into());
        v.set("description", opt_str(t.description()));
        v.set("owner", opt_str(t.owner()));
        v.set("parameters", Value::string_map(params));
        v.set("retention", Value::from(i64::from(t.retention())));
        v.set("table_type", opt_str(t.table_type()));
        v.set("view_expanded_text", opt_str(t.view_expanded_text()));
        v.set("view_original_text", opt_str(t.view_original_text()));
        v.set(
            "partition_keys",
            storage::column_values(t.partition_keys(), current.list_attr("partition_keys")),
        );
        let sd_now = current
            .list_attr("storage_descriptor")
            .first()
            .cloned()
            .unwrap_or(Value::Null);
        v.set(
            "storage_descriptor",
            Value::List(
                t.storage_descriptor()
                    .map(|sd| storage::storage_descriptor_value(sd, &sd_now))
                    .into_iter()
                    .collect(),
            ),
        );
        v
    }

    async fn read_table(
        &self,
        catalog: &str,
        db: &str,
        name: &str,
        current: &Value,
    ) -> Result<Option<Value>> {
        Ok(self
            .get(catalog, db, name)
            .await?
            .map(|t| self.value_of(&t, catalog, current)))
    }

    /// The catalog, database and name a value names.
    async fn key<'v>(&self, v: &'v Value) -> Result<(String, &'v str, &'v str)> {
        Ok((
            api::catalog(&self.aws, v).await?,
            su::req(v, "database_name")?,
            su::req(v, "name")?,
        ))
    }

    /// Every database of the catalog (all pages).
    async fn databases(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .aws
                .glue
                .get_databases()
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| errors::sdk("listing glue databases", e))?;
            out.extend(page.database_list().iter().map(|d| d.name().to_string()));
            token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// Every table of `db` (all pages); a database deleted meanwhile has none.
    async fn tables(&self, db: &str) -> Result<Vec<Table>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .aws
                .glue
                .get_tables()
                .database_name(db)
                .set_next_token(token)
                .send()
                .await;
            let Some(page) =
                errors::found(&format!("listing the tables of glue database `{db}`"), page)?
            else {
                return Ok(out);
            };
            out.extend(page.table_list().iter().cloned());
            token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }
}

#[async_trait]
impl Resource for CatalogTable {
    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(name) = config.str_attr("name") {
            if name.is_empty() || name.len() > 255 {
                return Err(ProviderError::invalid(format!(
                    "glue table name `{name}` must be 1 to 255 characters long"
                )));
            }
            if name.chars().any(char::is_uppercase) {
                return Err(ProviderError::invalid(format!(
                    "glue table name `{name}` must not contain uppercase letters"
                ))
                .with_hint(format!("use `{}`", name.to_lowercase())));
            }
        }
        if let Some(key) = config
            .get("parameters")
            .as_object()
            .and_then(|m| m.keys().find(|k| MARK_KEYS.contains(&k.as_str())))
        {
            return Err(ProviderError::invalid(format!(
                "`parameters` key `{key}` is reserved: labform keeps its marks there"
            ))
            .with_hint(format!("remove `{key}` from `parameters`")));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        su::plan(&self.aws, &self.schema, prior, config)
    }

    /// Found by its name (unique in its database), adopted only when its parameters carry
    /// this create's mark.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let (catalog, db, name) = self.key(intent).await?;
        let Some(t) = self.get(&catalog, db, name).await? else {
            return Ok(None);
        };
        let (_, marks) = split_marks(t.parameters());
        adopt::check_ours(
            &Self::what(db, name),
            &marks,
            token,
            &format!("aws glue delete-table --database-name {db} --name {name}"),
        )?;
        Ok(Some(self.value_of(&t, &catalog, intent)))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let (catalog, db, name) = self.key(planned).await?;
        let mut marks = self.aws.mark.clone();
        if let Some((k, v)) = ctx.instance_mark() {
            marks.insert(k.to_string(), v.to_string());
        }
        self.aws
            .glue
            .create_table()
            .database_name(db)
            .table_input(Self::input(planned, marks)?)
            .set_catalog_id(api::catalog_id(&catalog))
            .send()
            .await
            .map_err(|e| api::create_error(&Self::what(db, name), e))?;
        self.read_table(&catalog, db, name, planned)
            .await?
            .or_vanished(&Self::what(db, name))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match (current.str_attr("database_name"), current.str_attr("name")) {
            (Some(db), Some(name)) => {
                let catalog = api::catalog(&self.aws, current).await?;
                self.read_table(&catalog, db, name, current).await
            }
            _ => Ok(None),
        }
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let (catalog, db, name) = self.key(prior).await?;
        let what = Self::what(db, name);
        let remote = self
            .get(&catalog, db, name)
            .await?
            .ok_or_else(|| ProviderError::not_found(format!("{what} no longer exists")))?;
        // UpdateTable replaces the whole input: the marks go with it, the create's kept.
        let (_, remote_marks) = split_marks(remote.parameters());
        let marks = tags::keeping_mark(&remote_marks, self.aws.mark.clone());
        self.aws
            .glue
            .update_table()
            .database_name(db)
            .table_input(Self::input(planned, marks)?)
            .set_catalog_id(api::catalog_id(&catalog))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("updating {what}"), e))?;
        self.read_table(&catalog, db, name, planned)
            .await?
            .or_gone(&what)
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let (Some(db), Some(name)) = (prior.str_attr("database_name"), prior.str_attr("name"))
        else {
            return Ok(());
        };
        let catalog = api::catalog(&self.aws, prior).await?;
        let req = self
            .aws
            .glue
            .delete_table()
            .database_name(db)
            .name(name)
            .set_catalog_id(api::catalog_id(&catalog));
        retry::delete(&format!("deleting {}", Self::what(db, name)), || {
            req.clone().send()
        })
        .await
    }

    /// `CATALOG:DATABASE:NAME`, or `DATABASE:NAME` in the account's catalog.
    async fn import(&self, id: &str) -> Result<Value> {
        let parts: Vec<&str> = id.split(':').collect();
        let (catalog, db, name) = match parts.as_slice() {
            [c, d, n] => (c.to_string(), *d, *n),
            [d, n] => (self.aws.account_id().await?, *d, *n),
            _ => {
                return Err(ProviderError::invalid(format!(
                    "glue table import id `{id}` is not `CATALOG:DATABASE:NAME`"
                )))
            }
        };
        self.read_table(&catalog, db, name, &self.schema.empty_value())
            .await?
            .or_absent(&Self::what(db, name))
    }

    /// Every table of every database, kept when its parameters carry the stack's marks.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let catalog = self.aws.account_id().await?;
        let blank = self.schema.empty_value();
        let mut found = Vec::new();
        for db in self.databases().await? {
            for t in self.tables(&db).await? {
                let (_, marks) = split_marks(t.parameters());
                found.push(Marked::new(self.value_of(&t, &catalog, &blank), marks));
            }
        }
        Ok(filter.select(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_split_from_the_tables_own_parameters() {
        let params = std::collections::HashMap::from([
            ("classification".to_string(), "csv".to_string()),
            (MANAGED_BY_KEY.to_string(), "labform".to_string()),
            (INSTANCE_KEY.to_string(), "t1".to_string()),
        ]);
        let (own, marks) = split_marks(Some(&params));
        assert_eq!(own.keys().collect::<Vec<_>>(), ["classification"]);
        assert_eq!(marks.len(), 2);
        assert_eq!(split_marks(None), (BTreeMap::new(), BTreeMap::new()));
    }
}
