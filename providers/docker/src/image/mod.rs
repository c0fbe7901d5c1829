//! `docker_image`: an image present locally, pulled or built; removed on destroy unless
//! `keep_locally`.

mod build;
pub mod pull;

use std::sync::Arc;

use bollard::models::ImageInspect;
use bollard::query_parameters::{ListImagesOptionsBuilder, RemoveImageOptionsBuilder};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, ProviderError, Resource,
    Result, StackFilter, Type, Value,
};

use crate::client::Client;
use crate::errors;

pub fn schema() -> BlockSchema {
    let build = BlockSchema::new()
        .attr("context", Attribute::required(Type::String).force_new())
        .attr(
            "dockerfile",
            Attribute::optional(Type::String)
                .force_new()
                .default("Dockerfile"),
        )
        .attr("tag", Attribute::optional(Type::list(Type::String)))
        .attr(
            "build_args",
            Attribute::optional(Type::map(Type::String)).force_new(),
        )
        .attr("target", Attribute::optional(Type::String).force_new())
        .attr(
            "labels",
            Attribute::optional(Type::map(Type::String)).force_new(),
        )
        .attr("label", Attribute::optional(Type::map(Type::String)))
        .attr("remove", Attribute::optional(Type::Bool).default(true))
        .attrs(
            &["force_remove", "no_cache", "pull_parent"],
            Attribute::optional(Type::Bool).force_new(),
        )
        .attr(
            "network_mode",
            Attribute::optional(Type::String).force_new(),
        );
    BlockSchema::new()
        .attr("id", Attribute::computed(Type::String))
        .attr("name", Attribute::required(Type::String).force_new())
        .attrs(
            &["image_id", "repo_digest"],
            Attribute::computed(Type::String),
        )
        .attr("keep_locally", Attribute::optional(Type::Bool))
        .attr(
            "pull_triggers",
            Attribute::optional(Type::set(Type::String)).force_new(),
        )
        .attr("force_remove", Attribute::optional(Type::Bool))
        .attr(
            "triggers",
            Attribute::optional(Type::map(Type::String)).force_new(),
        )
        .attr(
            "platform",
            Attribute::optional(Type::String).force_new().default(""),
        )
        .block("build", NestedBlock::set(build).max(1))
}

labform_sdk::typed! {
    pub struct ImageResource("docker_image") { client: Arc<Client> }
    schema: schema()
}

impl ImageResource {
    fn state(&self, base: &Value, name: &str, image: &ImageInspect) -> Value {
        let mut out = self.schema.empty_value();
        if let Value::Object(map) = base {
            for (k, v) in map {
                out.set(k.clone(), v.clone());
            }
        }
        let image_id = image.id.clone().unwrap_or_default();
        out.set("id", format!("{image_id}{name}").into());
        out.set("image_id", image_id.into());
        out.set("repo_digest", pull::repo_digest(image, name).into());
        out
    }

    async fn ensure(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = planned.str_attr("name").unwrap_or_default();
        if let Some(build) = planned.list_attr("build").first() {
            build::build(&self.client, name, build, ctx).await?;
        }
        let platform = planned.str_attr("platform").unwrap_or_default();
        let image = pull::ensure(&self.client, name, platform, ctx).await?;
        Ok(self.state(planned, name, &image))
    }
}

#[async_trait]
impl Resource for ImageResource {
    /// By name, a unique key in the engine's image store: a pull or build either tagged the image
    /// `name` before the run was killed (adopted, as `read` finds it) or did not (`None`, and the
    /// next create pulls or builds again). Pulls and builds cannot carry a label of ours, and a
    /// second create of one name never makes a second image, so no token is needed.
    async fn find_interrupted(&self, intent: &Value, _token: &str) -> Result<Option<Value>> {
        self.read(intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if !config.list_attr("build").is_empty() && !config.list_attr("pull_triggers").is_empty() {
            return Err(ProviderError::invalid(
                "`build` and `pull_triggers` cannot be used together",
            ));
        }
        if config.str_attr("name") == Some("") {
            return Err(ProviderError::invalid("image `name` must not be empty"));
        }
        Ok(())
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        self.ensure(planned, ctx).await
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let Some(name) = current.str_attr("name") else {
            return Ok(None);
        };
        Ok(pull::inspect(&self.client, name)
            .await?
            .map(|i| self.state(current, name, &i)))
    }

    async fn update(&self, _prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        // keep_locally, force_remove and build tags change in place; make sure the image is there.
        let name = planned.str_attr("name").unwrap_or_default();
        let image = match pull::inspect(&self.client, name).await? {
            Some(i) => i,
            None => return self.ensure(planned, ctx).await,
        };
        Ok(self.state(planned, name, &image))
    }

    /// State's id joins the image id to the name as configured (`app`), a listing's to each
    /// tag (`app:latest`): the image id decides.
    fn same_object(&self, found: &Value, recorded: &Value) -> bool {
        let image = found.str_attr("image_id").filter(|i| !i.is_empty());
        image.is_some() && image == recorded.str_attr("image_id")
    }

    fn kept_on_delete(&self, prior: &Value) -> bool {
        prior.bool_attr("keep_locally", false)
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        if self.kept_on_delete(prior) {
            return Ok(());
        }
        let Some(name) = prior.str_attr("name") else {
            return Ok(());
        };
        let opts = RemoveImageOptionsBuilder::new()
            .force(prior.bool_attr("force_remove", false))
            .build();
        match self.client.docker.remove_image(name, Some(opts), None).await {
            Ok(_) => Ok(()),
            Err(e) if errors::is_not_found(&e) => {
                let what = format!("image `{name}`");
                let exists = async { Ok(pull::inspect(&self.client, name).await?.is_some()) };
                errors::confirm_gone(&what, exists).await
            }
            Err(e) if errors::status(&e) == Some(409) => Err(ProviderError::conflict(format!(
                "image `{name}` is still used by a container: {}",
                errors::message(&e)
            ))
            .with_hint("remove the containers that use it first, or set `force_remove = true` (or `keep_locally = true`)")),
            Err(e) => Err(errors::api(&format!("removing image `{name}`"), e)),
        }
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let mut out = Vec::new();
        for filters in Client::mark_filters(filter) {
            let opts = ListImagesOptionsBuilder::new().filters(&filters).build();
            let images = self
                .client
                .docker
                .list_images(Some(opts))
                .await
                .map_err(|e| errors::api("listing images", e))?;
            for summary in images {
                let marks: std::collections::BTreeMap<String, String> = summary
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for tag in summary
                    .repo_tags
                    .iter()
                    .filter(|t| t.as_str() != "<none>:<none>")
                {
                    let mut v = self.schema.empty_value();
                    v.set("name", tag.as_str().into());
                    v.set("image_id", summary.id.as_str().into());
                    v.set("id", format!("{}{tag}", summary.id).into());
                    v.set("repo_digest", "".into());
                    // Seconds since the epoch, as milliseconds like the other listings.
                    let at = Some((summary.created * 1000).to_string());
                    out.push(Marked::new(v, marks.clone()).created(at));
                }
            }
        }
        Ok(filter.select(out))
    }
}
