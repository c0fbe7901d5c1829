//! `aws_iam_role`: a role with its trust policy. Inline and exclusive managed policies are
//! separate resources (`aws_iam_role_policy`, `aws_iam_role_policy_attachment`).

use std::sync::Arc;

use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::iam::equivalence::equivalent;
use crate::iam::{
    check_policy, date, decoded, iam_tags, keep_equivalent, legacy_policy_value, marked, name_for,
    policy_value, retag, tag_map,
};
use crate::paging::all_items;
use crate::retry;
use crate::schema_util::{self as su, b, n, s, sset};
use crate::{errors, tags};

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `name`, or import the existing role";

labform_sdk::typed! {
    pub struct Role("aws_iam_role", "iam role") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attrs(
            &["id", "arn", "unique_id", "create_date"],
            Attribute::computed(s()),
        )
        .attr("assume_role_policy", Attribute::required(s()))
        .attr("description", Attribute::optional(s()))
        .attr(
            "force_detach_policies",
            Attribute::optional(b()).default(false),
        )
        .attr(
            "max_session_duration",
            Attribute::optional(n()).default(3600),
        )
        .attrs(
            &["name", "name_prefix"],
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("path", Attribute::optional(s()).default("/").force_new())
        .attr("permissions_boundary", Attribute::optional(s()))
        .attr("managed_policy_arns", Attribute::optional_computed(sset()))
        .block(
            "inline_policy",
            NestedBlock::set(
                BlockSchema::new()
                    .attr("name", Attribute::optional(s()))
                    .attr("policy", Attribute::optional(s())),
            )
            .computed(),
        );
    su::tagged(sc)
}

impl Role {
    async fn get(&self, name: &str) -> Result<Option<aws_sdk_iam::types::Role>> {
        let out = errors::found(
            &format!("reading iam role `{name}`"),
            self.aws.iam.get_role().role_name(name).send().await,
        )?;
        Ok(out.and_then(|o| o.role))
    }

    /// What the provider's read records beside the role itself: the ARNs of every managed
    /// policy attached (`managed_policy_arns`, whoever attached them) and the inline policies
    /// (`inline_policy`: the recorded blocks while they name the same policies, else IAM's).
    async fn policies(&self, name: &str, current: &Value) -> Result<Policies> {
        let iam = &self.aws.iam;
        let attached = all_items!(
            &format!("listing policies of iam role `{name}`"),
            iam.list_attached_role_policies().role_name(name)
        )?;
        let mut arns: Vec<String> = attached
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_string))
            .collect();
        arns.sort();
        let names = all_items!(
            &format!("listing inline policies of iam role `{name}`"),
            iam.list_role_policies().role_name(name)
        )?;
        let mut inline = Vec::new();
        for policy in names {
            let out = errors::found(
                &format!("reading policy `{policy}` of iam role `{name}`"),
                iam.get_role_policy()
                    .role_name(name)
                    .policy_name(&policy)
                    .send()
                    .await,
            )?;
            if let Some(out) = out {
                inline.push((policy, out.policy_document));
            }
        }
        Ok(Policies {
            managed: arns,
            inline: inline_blocks(inline, current.list_attr("inline_policy").to_vec()),
        })
    }

    fn value_of(&self, r: &aws_sdk_iam::types::Role, policies: Policies, current: &Value) -> Value {
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(r.tags()), current.get("tags"));
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["force_detach_policies", "name_prefix"]);
        if v.get("force_detach_policies").is_null() {
            v.set("force_detach_policies", false.into());
        }
        if !v.get("name_prefix").is_wholly_known() || v.get("name_prefix").is_null() {
            v.set("name_prefix", "".into());
        }
        v.set(
            "managed_policy_arns",
            Value::List(policies.managed.into_iter().map(Value::from).collect()),
        );
        v.set("inline_policy", Value::List(policies.inline));
        let name = r.role_name();
        v.set("id", name.into());
        v.set("name", name.into());
        v.set("arn", r.arn().into());
        v.set("unique_id", r.role_id().into());
        v.set("path", r.path().into());
        v.set("create_date", date(Some(r.create_date())));
        v.set(
            "assume_role_policy",
            policy_value(
                r.assume_role_policy_document().unwrap_or(""),
                current.get("assume_role_policy"),
            ),
        );
        v.set(
            "description",
            r.description()
                .filter(|d| !d.is_empty())
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        v.set(
            "max_session_duration",
            Value::from(i64::from(r.max_session_duration().unwrap_or(3600))),
        );
        v.set(
            "permissions_boundary",
            r.permissions_boundary()
                .and_then(|p| p.permissions_boundary_arn())
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }

    /// Removes every managed policy and inline policy from the role (`force_detach_policies`).
    async fn detach_all(&self, name: &str) -> Result<()> {
        let iam = &self.aws.iam;
        let attached = iam
            .list_attached_role_policies()
            .role_name(name)
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("listing policies of iam role `{name}`"), e))?;
        for p in attached.attached_policies() {
            let Some(arn) = p.policy_arn() else { continue };
            retry::delete(&format!("detaching `{arn}` from iam role `{name}`"), || {
                iam.detach_role_policy()
                    .role_name(name)
                    .policy_arn(arn)
                    .send()
            })
            .await?;
        }
        let inline = iam
            .list_role_policies()
            .role_name(name)
            .send()
            .await
            .map_err(|e| {
                errors::sdk(&format!("listing inline policies of iam role `{name}`"), e)
            })?;
        for p in inline.policy_names() {
            retry::delete(
                &format!("deleting policy `{p}` of iam role `{name}`"),
                || {
                    iam.delete_role_policy()
                        .role_name(name)
                        .policy_name(p)
                        .send()
                },
            )
            .await?;
        }
        Ok(())
    }

    async fn set_boundary(&self, name: &str, arn: Option<&str>) -> Result<()> {
        let context = format!("setting the permissions boundary of iam role `{name}`");
        match arn {
            Some(arn) => self
                .aws
                .iam
                .put_role_permissions_boundary()
                .role_name(name)
                .permissions_boundary(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| errors::sdk(&context, e)),
            None => {
                retry::delete(&context, || {
                    self.aws
                        .iam
                        .delete_role_permissions_boundary()
                        .role_name(name)
                        .send()
                })
                .await
            }
        }
    }
}

/// A role's policies as the provider's read records them.
struct Policies {
    managed: Vec<String>,
    inline: Vec<Value>,
}

/// The `inline_policy` blocks to record for the role's inline policies `(name, document)`:
/// the recorded blocks when they name the same policies with equivalent documents (the
/// provider's `inlinePoliciesEquivalent`), else IAM's, normalised as the provider stores them.
fn inline_blocks(remote: Vec<(String, String)>, recorded: Vec<Value>) -> Vec<Value> {
    let same = remote.len() == recorded.len()
        && remote.iter().all(|(name, document)| {
            let document = decoded(document);
            recorded.iter().any(|b| {
                b.str_attr("name") == Some(name.as_str())
                    && b.str_attr("policy")
                        .is_some_and(|p| equivalent(p, &document))
            })
        });
    if same {
        return recorded;
    }
    remote
        .into_iter()
        .map(|(name, document)| {
            Value::from_pairs([
                ("name", Value::from(name.as_str())),
                ("policy", legacy_policy_value(&document, &Value::Null)),
            ])
        })
        .collect()
}

#[async_trait]
impl Resource for Role {
    fn id_of<'v>(&self, current: &'v Value) -> Option<&'v str> {
        current.str_attr("id").or(current.str_attr("name"))
    }

    async fn read_id(&self, name: &str, current: &Value) -> Result<Option<Value>> {
        let Some(role) = self.get(name).await? else {
            return Ok(None);
        };
        let policies = self.policies(name, current).await?;
        Ok(Some(self.value_of(&role, policies, current)))
    }

    /// Found by its name (given, or derived from the create token), and adopted only when it
    /// carries this create's mark, which CreateRole wrote among its tags.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = name_for(intent, Some(token));
        let Some(role) = self.get(&name).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("iam role `{name}`"),
            &tag_map(role.tags()),
            token,
            &format!("aws iam delete-role --role-name {name}"),
        )?;
        let policies = self.policies(&name, intent).await?;
        Ok(Some(self.value_of(&role, policies, intent)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        labform_sdk::validate::at_most_one(config, &["name", "name_prefix"])?;
        if !config.get("managed_policy_arns").is_null() {
            return Err(ProviderError::unsupported(
                "`managed_policy_arns` on `aws_iam_role` is not supported yet",
            )
            .with_hint("attach each policy with `aws_iam_role_policy_attachment`"));
        }
        if !config.list_attr("inline_policy").is_empty() {
            return Err(ProviderError::unsupported(
                "`inline_policy` blocks on `aws_iam_role` are not supported yet",
            )
            .with_hint("write each inline policy as an `aws_iam_role_policy`"));
        }
        if let Some(d) = config.get("max_session_duration").as_f64() {
            if !(3600.0..=43200.0).contains(&d) {
                return Err(ProviderError::invalid(format!(
                    "`max_session_duration` is {d}: it must be between 3600 and 43200 seconds"
                )));
            }
        }
        check_policy("assume_role_policy", config)
    }

    /// A trust policy that is the same policy as the recorded one keeps the recorded text.
    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let config = keep_equivalent(prior, config, &["assume_role_policy"]);
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        if prior.is_none() {
            if let Some(name) = config.str_attr("name") {
                p.planned.set("id", name.into());
                p.planned.set("name_prefix", "".into());
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = name_for(planned, ctx.create_token());
        let what = format!("iam role `{name}`");
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        self.aws
            .iam
            .create_role()
            .role_name(&name)
            .path(planned.str_attr("path").unwrap_or("/"))
            .assume_role_policy_document(su::req(planned, "assume_role_policy")?)
            .set_description(planned.str_attr("description").map(str::to_string))
            .max_session_duration(
                planned
                    .get("max_session_duration")
                    .as_f64()
                    .unwrap_or(3600.0) as i32,
            )
            .set_permissions_boundary(planned.str_attr("permissions_boundary").map(str::to_string))
            .set_tags(Some(iam_tags(&all)?))
            .send()
            .await
            .map_err(errors::on_create(&what, "EntityAlreadyExists", TAKEN))?;
        by_id::created(self, &name, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "id")?;
        let iam = &self.aws.iam;
        if prior.get("assume_role_policy") != planned.get("assume_role_policy") {
            iam.update_assume_role_policy()
                .role_name(name)
                .policy_document(su::req(planned, "assume_role_policy")?)
                .send()
                .await
                .map_err(|e| {
                    errors::sdk(
                        &format!("updating the trust policy of iam role `{name}`"),
                        e,
                    )
                })?;
        }
        if prior.get("description") != planned.get("description")
            || prior.get("max_session_duration") != planned.get("max_session_duration")
        {
            iam.update_role()
                .role_name(name)
                .description(planned.str_attr("description").unwrap_or(""))
                .max_session_duration(
                    planned
                        .get("max_session_duration")
                        .as_f64()
                        .unwrap_or(3600.0) as i32,
                )
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("updating iam role `{name}`"), e))?;
        }
        if prior.get("permissions_boundary") != planned.get("permissions_boundary") {
            self.set_boundary(name, planned.str_attr("permissions_boundary"))
                .await?;
        }
        retag(
            &self.aws,
            &format!("iam role `{name}`"),
            prior,
            planned,
            |keys| {
                iam.untag_role()
                    .role_name(name)
                    .set_tag_keys(Some(keys))
                    .send()
            },
            |tags| iam.tag_role().role_name(name).set_tags(Some(tags)).send(),
        )
        .await?;
        by_id::updated(self, name, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("id") else {
            return Ok(());
        };
        if prior.bool_attr("force_detach_policies", false) && self.get(name).await?.is_some() {
            self.detach_all(name).await?;
        }
        retry::delete(&format!("deleting iam role `{name}`"), || {
            self.aws.iam.delete_role().role_name(name).send()
        })
        .await
        .map_err(|e| {
            if e.has_code("DeleteConflict") {
                e.with_hint("the role still has policies attached: set `force_detach_policies = true`, or destroy its `aws_iam_role_policy_attachment`s first")
            } else {
                e
            }
        })
    }

    /// Every page of ListRoles; each role is read for its tags (ListRoles leaves them out).
    /// A swept role is deleted with its policies detached: the attachments and inline policies
    /// that kept it carry no mark of their own.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let roles = all_items!("listing iam roles", self.aws.iam.list_roles())?;
        let names: Vec<String> = roles.iter().map(|r| r.role_name().to_string()).collect();
        let all = by_id::read_all(self, &names).await?;
        Ok(marked(all, filter)
            .into_iter()
            .map(|mut m| {
                m.value.set("force_detach_policies", true.into());
                m
            })
            .collect())
    }
}
