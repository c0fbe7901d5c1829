//! `aws_iam_instance_profile`: an instance profile holding at most one role (`role`).

use std::sync::Arc;

use aws_sdk_iam::types::InstanceProfile as IamProfile;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, OpContext, PlannedChange, Resource, Result, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::iam::{date, iam_tags, marked, name_for, recorded_prefix, retag, tag_map};
use crate::paging::all_items;
use crate::schema_util::{self as su, s};
use crate::{errors, retry, tags};

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `name`, or import the existing instance profile";

labform_sdk::typed! {
    pub struct InstanceProfile("aws_iam_instance_profile", "iam instance profile") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    su::tagged(
        BlockSchema::new()
            .attrs(&["id", "arn", "create_date"], Attribute::computed(s()))
            .attrs(
                &["name", "name_prefix"],
                Attribute::optional_computed(s()).force_new(),
            )
            .attr("path", Attribute::optional(s()).default("/").force_new())
            .attr("role", Attribute::optional(s()))
            .attr("unique_id", Attribute::computed(s())),
    )
}

impl InstanceProfile {
    async fn get(&self, name: &str) -> Result<Option<IamProfile>> {
        let out = errors::found(
            &format!("reading iam instance profile `{name}`"),
            self.aws
                .iam
                .get_instance_profile()
                .instance_profile_name(name)
                .send()
                .await,
        )?;
        Ok(out.and_then(|o| o.instance_profile))
    }

    fn value_of(&self, p: &IamProfile, current: &Value) -> Value {
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(p.tags()), current.get("tags"));
        let name = p.instance_profile_name();
        let mut v = self.schema.empty_value();
        v.set("id", name.into());
        v.set("name", name.into());
        v.set("name_prefix", recorded_prefix(current));
        v.set("arn", p.arn().into());
        v.set("unique_id", p.instance_profile_id().into());
        v.set("path", p.path().into());
        v.set("create_date", date(Some(p.create_date())));
        v.set(
            "role",
            p.roles()
                .first()
                .map(|r| Value::from(r.role_name()))
                .unwrap_or(Value::Null),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }

    async fn add_role(&self, name: &str, role: &str) -> Result<()> {
        self.aws
            .iam
            .add_role_to_instance_profile()
            .instance_profile_name(name)
            .role_name(role)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                errors::sdk(
                    &format!("adding iam role `{role}` to instance profile `{name}`"),
                    e,
                )
            })
    }

    async fn remove_role(&self, name: &str, role: &str) -> Result<()> {
        retry::delete(
            &format!("removing iam role `{role}` from instance profile `{name}`"),
            || {
                self.aws
                    .iam
                    .remove_role_from_instance_profile()
                    .instance_profile_name(name)
                    .role_name(role)
                    .send()
            },
        )
        .await
    }
}

#[async_trait]
impl Resource for InstanceProfile {
    fn id_of<'v>(&self, current: &'v Value) -> Option<&'v str> {
        current.str_attr("id").or(current.str_attr("name"))
    }

    async fn read_id(&self, name: &str, current: &Value) -> Result<Option<Value>> {
        Ok(self.get(name).await?.map(|p| self.value_of(&p, current)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        labform_sdk::validate::at_most_one(config, &["name", "name_prefix"])?;
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() {
            if let Some(name) = config.str_attr("name") {
                p.planned.set("id", name.into());
                p.planned.set("name_prefix", "".into());
            }
        }
        Ok(p)
    }

    /// Found by its name (given, or derived from the create token), adopted only when it
    /// carries this create's mark, which CreateInstanceProfile wrote among its tags.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = name_for(intent, Some(token));
        let Some(p) = self.get(&name).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("iam instance profile `{name}`"),
            &tag_map(p.tags()),
            token,
            &format!("aws iam delete-instance-profile --instance-profile-name {name}"),
        )?;
        Ok(Some(self.value_of(&p, intent)))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = name_for(planned, ctx.create_token());
        let what = format!("iam instance profile `{name}`");
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        self.aws
            .iam
            .create_instance_profile()
            .instance_profile_name(&name)
            .path(planned.str_attr("path").unwrap_or("/"))
            .set_tags(Some(iam_tags(&all)?))
            .send()
            .await
            .map_err(errors::on_create(&what, "EntityAlreadyExists", TAKEN))?;
        if let Some(role) = planned.str_attr("role") {
            if let Err(e) = self.add_role(&name, role).await {
                // The profile exists: record it (tainted) rather than lose it.
                return Err(match self.read_id(&name, planned).await {
                    Ok(Some(v)) => e.with_partial(v),
                    _ => e,
                });
            }
        }
        by_id::created(self, &name, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "id")?;
        let iam = &self.aws.iam;
        if prior.get("role") != planned.get("role") {
            if let Some(old) = prior.str_attr("role") {
                self.remove_role(name, old).await?;
            }
            if let Some(new) = planned.str_attr("role") {
                self.add_role(name, new).await?;
            }
        }
        retag(
            &self.aws,
            &format!("iam instance profile `{name}`"),
            prior,
            planned,
            |keys| {
                iam.untag_instance_profile()
                    .instance_profile_name(name)
                    .set_tag_keys(Some(keys))
                    .send()
            },
            |tags| {
                iam.tag_instance_profile()
                    .instance_profile_name(name)
                    .set_tags(Some(tags))
                    .send()
            },
        )
        .await?;
        by_id::updated(self, name, planned).await
    }

    /// Removes the profile's roles first: IAM refuses to delete a profile that holds one.
    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("id") else {
            return Ok(());
        };
        let Some(p) = self.get(name).await? else {
            return Ok(());
        };
        for r in p.roles() {
            self.remove_role(name, r.role_name()).await?;
        }
        retry::delete(&format!("deleting iam instance profile `{name}`"), || {
            self.aws
                .iam
                .delete_instance_profile()
                .instance_profile_name(name)
                .send()
        })
        .await
    }

    /// Every page of ListInstanceProfiles, each read for its tags.
    async fn list_marked(
        &self,
        filter: &labform_sdk::StackFilter,
    ) -> Result<Vec<labform_sdk::Marked>> {
        let profiles = all_items!(
            "listing iam instance profiles",
            self.aws.iam.list_instance_profiles()
        )?;
        let names: Vec<String> = profiles
            .iter()
            .map(|p| p.instance_profile_name().to_string())
            .collect();
        let all = by_id::read_all(self, &names).await?;
        Ok(marked(all, filter))
    }
}
