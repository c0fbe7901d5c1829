//! `aws_glue_connection`: how Glue crawlers and jobs reach a data store (a JDBC database, Kafka,
//! MongoDB, a network). Its id is `CATALOG:NAME`, also its import id.
//!
//! `connection_properties` holds the password, so the whole map is sensitive (as in the
//! provider) and no error names its values. UpdateConnection replaces the whole definition;
//! tags (labform's marks among them, written by CreateConnection itself) change by ARN.

use std::sync::Arc;

use aws_sdk_glue::types::{
    Connection, ConnectionInput, ConnectionPropertyKey, ConnectionType,
    PhysicalConnectionRequirements,
};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, ReadBack, Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::glue::api::{self, opt_str, str_list};
use crate::schema_util::{self as su, s, slist, smap, sset};
use crate::{errors, retry, tags};

labform_sdk::typed! {
    pub struct GlueConnection("aws_glue_connection") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let physical = BlockSchema::new()
        .attr("availability_zone", Attribute::optional(s()))
        .attr("security_group_id_list", Attribute::optional(sset()))
        .attr("subnet_id", Attribute::optional(s()));
    let sc = BlockSchema::new()
        .attr("arn", Attribute::computed(s()))
        .attr("catalog_id", Attribute::optional_computed(s()).force_new())
        .attr(
            "connection_properties",
            Attribute::optional(smap()).sensitive(),
        )
        .attr("connection_type", Attribute::optional(s()).default("JDBC"))
        .attr("description", Attribute::optional(s()))
        .attr("match_criteria", Attribute::optional(slist()))
        .attr("name", Attribute::required(s()).force_new())
        .block(
            "physical_connection_requirements",
            NestedBlock::list(physical).max(1),
        );
    su::tagged(su::regional(sc))
}

/// The fix for a name Glue does not know: its upper-case spelling when that is one, else
/// the `common` ones (the full lists run to dozens of names).
fn known_hint(given: &str, known: &[&str], common: &str) -> String {
    let upper = given.to_uppercase();
    if known.contains(&upper.as_str()) {
        format!("names are upper case: use `{upper}`")
    } else {
        format!("use one Glue lists, e.g. {common}")
    }
}

fn what(name: &str) -> String {
    format!("glue connection `{name}`")
}

impl GlueConnection {
    /// The whole definition of `planned`, as CreateConnection and UpdateConnection take it.
    fn input(planned: &Value) -> Result<ConnectionInput> {
        let physical = planned
            .list_attr("physical_connection_requirements")
            .first()
            .map(|p| {
                PhysicalConnectionRequirements::builder()
                    .set_availability_zone(p.str_attr("availability_zone").map(str::to_string))
                    .set_security_group_id_list(
                        Some(p.string_list_attr("security_group_id_list"))
                            .filter(|l| !l.is_empty()),
                    )
                    .set_subnet_id(p.str_attr("subnet_id").map(str::to_string))
                    .build()
            });
        let criteria = planned.string_list_attr("match_criteria");
        ConnectionInput::builder()
            .name(su::req(planned, "name")?)
            .connection_type(ConnectionType::from(
                planned.str_attr("connection_type").unwrap_or("JDBC"),
            ))
            .set_connection_properties(Some(
                planned
                    .string_map_attr("connection_properties")
                    .into_iter()
                    .map(|(k, v)| (ConnectionPropertyKey::from(k.as_str()), v))
                    .collect(),
            ))
            .set_description(planned.str_attr("description").map(str::to_string))
            .set_match_criteria(Some(criteria).filter(|c| !c.is_empty()))
            .set_physical_connection_requirements(physical)
            .build()
            .map_err(|e| ProviderError::api(format!("building a glue connection request: {e}")))
    }

    async fn get(&self, catalog: &str, name: &str) -> Result<Option<Connection>> {
        // HidePassword false: the password is part of `connection_properties`, whose drift
        // a plan must see (it stays a sensitive value throughout).
        let out = errors::found(
            &format!("reading {}", what(name)),
            self.aws
                .glue
                .get_connection()
                .catalog_id(catalog)
                .name(name)
                .hide_password(false)
                .send()
                .await,
        )?;
        Ok(out.and_then(|o| o.connection))
    }

    async fn read_connection(
        &self,
        catalog: &str,
        name: &str,
        current: &Value,
    ) -> Result<Option<Value>> {
        match self.get(catalog, name).await? {
            Some(c) => Ok(Some(self.value_of(&c, catalog, current).await?)),
            None => Ok(None),
        }
    }

    /// The connection `c` (as GetConnection or GetConnections answers it) with its tags.
    async fn value_of(&self, c: &Connection, catalog: &str, current: &Value) -> Result<Value> {
        let name = c.name().unwrap_or_default();
        let arn = api::arn(&self.aws, catalog, &format!("connection/{name}"));
        let remote = api::tags_of(&self.aws, &arn, &what(name)).await?;
        let mut v = self.schema.empty_value();
        v.set("id", format!("{catalog}:{name}").into());
        v.set("arn", arn.into());
        v.set("catalog_id", catalog.into());
        v.set("name", name.into());
        v.set("region", self.aws.region.as_str().into());
        let properties = c.connection_properties().map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().to_string(), v.clone()))
                .collect()
        });
        v.set(
            "connection_properties",
            api::map_value(properties.as_ref(), current, "connection_properties"),
        );
        v.set(
            "connection_type",
            opt_str(c.connection_type().map(|t| t.as_str())),
        );
        v.set("description", opt_str(c.description()));
        v.set(
            "match_criteria",
            match c.match_criteria() {
                [] if current.get("match_criteria").is_null() => Value::Null,
                m => str_list(m),
            },
        );
        let physical = c.physical_connection_requirements().map(|p| {
            let mut b = Value::object();
            b.set("availability_zone", opt_str(p.availability_zone()));
            b.set(
                "security_group_id_list",
                match p.security_group_id_list() {
                    [] => Value::Null,
                    ids => {
                        let mut ids = ids.to_vec();
                        ids.sort();
                        ids.dedup();
                        str_list(&ids)
                    }
                },
            );
            b.set("subnet_id", opt_str(p.subnet_id()));
            b
        });
        v.set(
            "physical_connection_requirements",
            Value::List(physical.into_iter().collect()),
        );
        api::set_tags(&self.aws, &mut v, remote, current);
        Ok(v)
    }

    /// The catalog and name a value names.
    async fn key<'v>(&self, v: &'v Value) -> Result<(String, &'v str)> {
        Ok((api::catalog(&self.aws, v).await?, su::req(v, "name")?))
    }
}

#[async_trait]
impl Resource for GlueConnection {
    /// Found by its name (unique in the catalog), and adopted only when it carries this
    /// create's mark (written by CreateConnection itself).
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let (catalog, name) = self.key(intent).await?;
        api::adopt_named(
            &self.aws,
            self.read_connection(&catalog, name, intent).await?,
            &what(name),
            token,
            &format!("aws glue delete-connection --connection-name {name}"),
        )
        .await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(name) = config.str_attr("name") {
            if name.is_empty() || name.len() > 255 {
                return Err(ProviderError::invalid(format!(
                    "glue connection name `{name}` must be 1 to 255 characters long"
                )));
            }
        }
        if config
            .str_attr("description")
            .is_some_and(|d| d.len() > 2048)
        {
            return Err(ProviderError::invalid(
                "glue connection `description` must be at most 2048 characters long",
            ));
        }
        if let Some(t) = config.str_attr("connection_type") {
            if !ConnectionType::values().contains(&t) {
                return Err(ProviderError::invalid(format!(
                    "glue connection_type `{t}` is not one Glue knows"
                ))
                .with_hint(known_hint(
                    t,
                    ConnectionType::values(),
                    "JDBC, KAFKA, MONGODB, NETWORK",
                )));
            }
        }
        if config.get("connection_properties").as_object().is_some() {
            // Only the keys are named: the values hold the password.
            let known = ConnectionPropertyKey::values();
            for key in config.string_map_attr("connection_properties").keys() {
                if !known.contains(&key.as_str()) {
                    return Err(ProviderError::invalid(format!(
                        "glue connection_properties key `{key}` is not one Glue knows"
                    ))
                    .with_hint(known_hint(
                        key,
                        known,
                        "JDBC_CONNECTION_URL, USERNAME, PASSWORD",
                    )));
                }
            }
        }
        if config.string_list_attr("match_criteria").len() > 10 {
            return Err(ProviderError::invalid(
                "glue connection `match_criteria` takes at most 10 items",
            ));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        su::plan(&self.aws, &self.schema, prior, config)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let (catalog, name) = self.key(planned).await?;
        let mut req = self
            .aws
            .glue
            .create_connection()
            .catalog_id(&catalog)
            .connection_input(Self::input(planned)?);
        for (k, v) in tags::for_create(&self.aws, planned.get("tags"), ctx) {
            req = req.tags(k, v);
        }
        req.send()
            .await
            .map_err(|e| api::create_error(&what(name), e))?;
        self.read_connection(&catalog, name, planned)
            .await?
            .or_vanished(&what(name))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        if current.str_attr("name").is_none() {
            return Ok(None);
        }
        let (catalog, name) = self.key(current).await?;
        self.read_connection(&catalog, name, current).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let (catalog, name) = self.key(prior).await?;
        let definition = [
            "connection_properties",
            "connection_type",
            "description",
            "match_criteria",
            "physical_connection_requirements",
        ];
        if definition.iter().any(|a| prior.get(a) != planned.get(a)) {
            self.aws
                .glue
                .update_connection()
                .catalog_id(&catalog)
                .name(name)
                .connection_input(Self::input(planned)?)
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("updating {}", what(name)), e))?;
        }
        let arn = api::arn(&self.aws, &catalog, &format!("connection/{name}"));
        api::update_tags(&self.aws, &arn, &what(name), prior, planned).await?;
        self.read_connection(&catalog, name, planned)
            .await?
            .or_gone(&what(name))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        if prior.str_attr("name").is_none() {
            return Ok(());
        }
        let (catalog, name) = self.key(prior).await?;
        let req = self
            .aws
            .glue
            .delete_connection()
            .catalog_id(&catalog)
            .connection_name(name);
        retry::delete(&format!("deleting {}", what(name)), || req.clone().send()).await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let catalog = self.aws.account_id().await?;
        let mut found = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .aws
                .glue
                .get_connections()
                .catalog_id(&catalog)
                .hide_password(false)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| errors::sdk("listing glue connections", e))?;
            // The listing carries each whole connection: only its tags are read apart.
            let current = self.schema.empty_value();
            for c in page.connection_list() {
                found.push(self.value_of(c, &catalog, &current).await?);
            }
            token = page.next_token;
            if token.is_none() {
                break;
            }
        }
        Ok(tags::marked(found, filter))
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let (catalog, name) = api::split_id(id);
        let catalog = match catalog {
            "" => self.aws.account_id().await?,
            c => c.to_string(),
        };
        self.read_connection(&catalog, name, &self.schema.empty_value())
            .await?
            .or_absent(&what(name))
    }
}
