//! The skeleton the RDS and Redshift subnet groups share (`aws_db_subnet_group`,
//! `aws_redshift_subnet_group`): the subnets (of one VPC) a database may be placed in, its id
//! its name, a description that defaults to the provider's, created, modified and deleted by
//! name, imported by name. Each service says only what is particular to it ([`Service`]): its
//! name rules and what it reads besides; its calls are [`crate::subnet_group_calls`].

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    Resource, Result, StackFilter, Typed, Value,
};

use crate::client::Aws;
use crate::names::{check_name_or_prefix, name_or_prefixed, plan_named};
use crate::schema_util::{self as su, s, sset};
use crate::subnet_group_calls::{Calls, Spec};
use crate::{adopt, tags};

pub const DEFAULT_DESCRIPTION: &str = "Managed by Terraform";

/// A subnet group as the service answers it, in the terms both services share.
pub struct Found {
    pub name: String,
    pub description: String,
    pub subnet_ids: Vec<String>,
    pub more: More,
}

/// What a service reads of a group besides its [`Calls::basics`].
pub struct More {
    pub arn: String,
    pub tags: BTreeMap<String, String>,
    /// The computed attributes particular to the service (see [`Service::more_schema`]).
    pub extra: Vec<(&'static str, Value)>,
}

/// What one service's subnet group adds to the skeleton besides its [`Calls`].
#[async_trait]
pub trait Service: Calls + Sized {
    /// The Terraform type name.
    const TYPE_NAME: &'static str;
    /// What a group is called in messages (`db subnet group`).
    const NOUN: &'static str;
    /// Whether the type takes a `name_prefix` besides `name` (else `name` is required).
    const PREFIX: bool;
    /// The error code of a create whose name is taken.
    const ALREADY_EXISTS: &'static str;
    /// The hint when `subnet_ids` is empty.
    const SUBNETS_HINT: &'static str;

    /// The schema's attributes particular to the service.
    fn more_schema(schema: BlockSchema) -> BlockSchema {
        schema
    }

    /// Checks `name` (or, with `prefix`, a `name_prefix`), set in `attr`, as the provider does.
    fn check_name(attr: &str, name: &str, prefix: bool) -> Result<()>;

    /// The CLI command that deletes the group `name`, for a hint when it is not ours.
    fn delete_command(name: &str) -> String;

    /// The ARN, the tags and the service's own attributes of `g`.
    async fn more(aws: &Aws, g: &Self::Group) -> Result<More>;

    /// The group `g` of a listing as the sweep sees it; `None` when it is gone since.
    async fn listed(aws: &Aws, g: &Self::Group) -> Result<Option<Found>> {
        Ok(Some(found::<Self>(aws, g).await?))
    }

    /// Brings the tags of the group `arn` from what `prior` recorded to what `planned` asks for.
    async fn retag(aws: &Aws, arn: &str, prior: &Value, planned: &Value) -> Result<()>;
}

/// `g` with what the service reads besides.
async fn found<K: Service>(aws: &Aws, g: &K::Group) -> Result<Found> {
    let (name, description, subnet_ids) = K::basics(g);
    Ok(Found {
        name,
        description,
        subnet_ids,
        more: K::more(aws, g).await?,
    })
}

/// The group `name` with what the service reads besides, `None` when there is none.
pub async fn describe<K: Service>(aws: &Aws, name: &str) -> Result<Option<Found>> {
    let doing = format!("reading {} `{name}`", K::NOUN);
    match K::describe_group(aws, name, &doing).await? {
        Some(g) => Ok(Some(found::<K>(aws, &g).await?)),
        None => Ok(None),
    }
}

/// Every group of the region as [`Service::listed`] sees it.
async fn list<K: Service>(aws: &Aws) -> Result<Vec<Found>> {
    let doing = format!("listing {}s", K::NOUN);
    let mut all = Vec::new();
    for g in &K::list_groups(aws, &doing).await? {
        all.extend(K::listed(aws, g).await?);
    }
    Ok(all)
}

pub fn schema<K: Service>() -> BlockSchema {
    let name = if K::PREFIX {
        Attribute::optional_computed(s())
    } else {
        Attribute::required(s())
    };
    let mut sc = BlockSchema::new()
        .attr("name", name.force_new())
        .attr(
            "description",
            Attribute::optional(s()).default(DEFAULT_DESCRIPTION),
        )
        .attr("subnet_ids", Attribute::required(sset()))
        .attr("arn", Attribute::computed(s()));
    if K::PREFIX {
        sc = sc.attr("name_prefix", Attribute::optional_computed(s()).force_new());
    }
    su::tagged(su::regional(K::more_schema(sc)))
}

/// `items` sorted, as a list value.
pub fn sorted(mut items: Vec<String>) -> Value {
    items.sort();
    Value::List(items.into_iter().map(Value::from).collect())
}

/// A service's subnet group as a [`Resource`].
pub struct SubnetGroup<K> {
    aws: Arc<Aws>,
    schema: BlockSchema,
    kind: PhantomData<K>,
}

impl<K: Service> SubnetGroup<K> {
    pub fn new(aws: Arc<Aws>) -> Self {
        SubnetGroup {
            aws,
            schema: schema::<K>(),
            kind: PhantomData,
        }
    }

    /// The name a create gives the group: the configured one, or (where the type takes one)
    /// the prefix and a suffix from the create token.
    fn name(v: &Value, token: Option<&str>) -> Result<String> {
        if K::PREFIX {
            Ok(name_or_prefixed(v, "name", "name_prefix", token))
        } else {
            su::req(v, "name").map(str::to_string)
        }
    }

    fn spec<'a>(name: &'a str, planned: &'a Value) -> Spec<'a> {
        Spec {
            name,
            description: planned
                .str_attr("description")
                .unwrap_or(DEFAULT_DESCRIPTION),
            subnet_ids: planned.string_list_attr("subnet_ids"),
        }
    }

    fn value_of(&self, g: Found, current: &Value) -> Value {
        let (tags, tags_all) = tags::split_remote(&self.aws, g.more.tags, current.get("tags"));
        let mut v = self.schema.empty_value();
        v.set("id", g.name.as_str().into());
        v.set("name", g.name.into());
        if K::PREFIX {
            v.set(
                "name_prefix",
                match current.get("name_prefix") {
                    Value::String(p) => p.as_str().into(),
                    _ => "".into(),
                },
            );
        }
        v.set("region", self.aws.region.as_str().into());
        v.set("description", g.description.into());
        v.set("subnet_ids", sorted(g.subnet_ids));
        v.set("arn", g.more.arn.into());
        for (name, value) in g.more.extra {
            v.set(name, value);
        }
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }
}

impl<K: Service> Typed for SubnetGroup<K> {
    fn type_name(&self) -> &'static str {
        K::TYPE_NAME
    }

    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    fn noun(&self) -> &'static str {
        K::NOUN
    }
}

#[async_trait]
impl<K: Service> Resource for SubnetGroup<K> {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        Ok(describe::<K>(&self.aws, id)
            .await?
            .map(|g| self.value_of(g, current)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if K::PREFIX {
            check_name_or_prefix(config, "name", "name_prefix", K::check_name)?;
        } else if let Some(name) = config.str_attr("name") {
            K::check_name("name", name, false)?;
        }
        if config.get("subnet_ids").is_wholly_known() && config.list_attr("subnet_ids").is_empty() {
            return Err(
                ProviderError::invalid("`subnet_ids` must name at least one subnet")
                    .with_hint(K::SUBNETS_HINT),
            );
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() {
            if K::PREFIX {
                plan_named(&mut p.planned, config, "name", "name_prefix", true);
            } else {
                // The id is the name, known as soon as the name is.
                p.planned.set("id", config.get("name").clone());
            }
        }
        Ok(p)
    }

    /// Found by its name (from `name`, or the prefix and the create token), adopted only when
    /// it carries this create's mark.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = Self::name(intent, Some(token))?;
        let Some(g) = describe::<K>(&self.aws, &name).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("{} `{name}`", K::NOUN),
            &g.more.tags,
            token,
            &K::delete_command(&name),
        )?;
        Ok(Some(self.value_of(g, intent)))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = Self::name(planned, ctx.create_token())?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let doing = format!("creating {} `{name}`", K::NOUN);
        K::create(&self.aws, Self::spec(&name, planned), &all, &doing)
            .await
            .map_err(|e| match e.code.as_deref() {
                Some(code) if code == K::ALREADY_EXISTS => {
                    ProviderError::conflict(format!("{} `{name}` already exists", K::NOUN))
                        .with_hint("choose another `name`, or import the existing group")
                }
                _ => e,
            })?;
        by_id::created(self, &name, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "id")?;
        if ["description", "subnet_ids"]
            .iter()
            .any(|a| prior.get(a) != planned.get(a))
        {
            let doing = format!("updating {} `{name}`", K::NOUN);
            K::modify(&self.aws, Self::spec(name, planned), &doing).await?;
        }
        K::retag(&self.aws, su::req(prior, "arn")?, prior, planned).await?;
        by_id::updated(self, name, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("id") else {
            return Ok(());
        };
        K::delete(&self.aws, name, &format!("deleting {} `{name}`", K::NOUN)).await
    }

    /// Every subnet group of the region, with its tags.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let blank = self.blank();
        let all = list::<K>(&self.aws)
            .await?
            .into_iter()
            .map(|g| self.value_of(g, &blank))
            .collect();
        Ok(tags::marked(all, filter))
    }
}
