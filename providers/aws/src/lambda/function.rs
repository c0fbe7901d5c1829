//! `aws_lambda_function`: a function from a zip, given as a local `filename` (read at apply)
//! or an object in S3. Its id is its name, which is also its import id. Creates and updates
//! wait for `Active` / `Successful`, as the provider does; `source_code_hash` (or a changed
//! `filename`, `s3_*` or `architectures`) uploads the code again.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_lambda::types::{PackageType, Runtime};
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::lambda::function_api as api;
use crate::lambda::function_value::{self as fv, int};
use crate::schema_util::{self as su, b, n, s, slist, smap, timeout};
use crate::{errors, retry, tags};

/// The provider's default timeouts: ten minutes each.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Arguments whose change uploads the code again.
const CODE: [&str; 6] = [
    "filename",
    "s3_bucket",
    "s3_key",
    "s3_object_version",
    "source_code_hash",
    "architectures",
];

/// Arguments UpdateFunctionConfiguration changes.
const SETTINGS: [&str; 10] = [
    "description",
    "handler",
    "memory_size",
    "role",
    "timeout",
    "layers",
    "runtime",
    "environment",
    "ephemeral_storage",
    "tracing_config",
];

/// The settings CreateFunction and UpdateFunctionConfiguration both take, set on `$req` (the
/// two requests are different builder types with the same setters) from the planned `$v`.
macro_rules! with_settings {
    ($req:expr, $v:expr) => {
        $req.role(su::req($v, "role")?)
            .set_handler($v.str_attr("handler").map(str::to_string))
            .set_runtime($v.str_attr("runtime").map(Runtime::from))
            .description($v.str_attr("description").unwrap_or_default())
            .set_timeout(int($v, "timeout"))
            .set_memory_size(int($v, "memory_size"))
            .environment(fv::environment($v))
            .set_ephemeral_storage(fv::ephemeral_storage($v)?)
            .set_tracing_config(fv::tracing_config($v))
    };
}

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `function_name`, or import the existing function";

labform_sdk::typed! {
    pub struct Function("aws_lambda_function", "lambda function") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let after_change = |ty| Attribute::computed(ty).changes_on_update();
    let sc = BlockSchema::new()
        .attr("function_name", Attribute::required(s()).force_new())
        .attr("role", Attribute::required(s()))
        .attrs(
            &["handler", "runtime", "description"],
            Attribute::optional(s()),
        )
        .attr("timeout", Attribute::optional(n()).default(3))
        .attr("memory_size", Attribute::optional(n()).default(128))
        .attr("architectures", Attribute::optional_computed(slist()))
        .attr("layers", Attribute::optional(slist()))
        .attr("publish", Attribute::optional(b()).default(false))
        .attr(
            "package_type",
            Attribute::optional(s()).default("Zip").force_new(),
        )
        .attrs(
            &[
                "filename",
                "s3_bucket",
                "s3_key",
                "s3_object_version",
                "source_code_hash",
            ],
            Attribute::optional(s()),
        )
        .attrs(
            &["arn", "invoke_arn", "response_streaming_invoke_arn"],
            Attribute::computed(s()),
        )
        .attrs(
            &[
                "qualified_arn",
                "qualified_invoke_arn",
                "version",
                "last_modified",
                "code_sha256",
            ],
            after_change(s()),
        )
        .attr("source_code_size", after_change(n()))
        .block(
            "environment",
            NestedBlock::list(BlockSchema::new().attr("variables", Attribute::optional(smap())))
                .max(1),
        )
        .block(
            "ephemeral_storage",
            NestedBlock::list(BlockSchema::new().attr("size", Attribute::optional_computed(n())))
                .max(1)
                .computed(),
        )
        .block(
            "tracing_config",
            NestedBlock::list(BlockSchema::new().attr("mode", Attribute::required(s())))
                .max(1)
                .computed(),
        );
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "update", "delete"],
    )
}

impl Function {
    async fn wait(&self, name: &str, v: &Value, op: &str, ctx: &OpContext) -> Result<()> {
        api::wait_ready(&self.aws, name, timeout(v, op, DEFAULT_TIMEOUT), ctx).await
    }

    async fn update_settings(&self, name: &str, planned: &Value) -> Result<()> {
        let req = self
            .aws
            .lambda
            .update_function_configuration()
            .function_name(name);
        with_settings!(req, planned)
            .set_layers(Some(planned.string_list_attr("layers")))
            .send()
            .await
            .map_err(|e| {
                errors::sdk(
                    &format!("changing the settings of lambda function `{name}`"),
                    e,
                )
            })?;
        Ok(())
    }

    async fn update_code(&self, name: &str, planned: &Value) -> Result<()> {
        let code = api::code(&self.aws.stack_dir, planned).await?;
        self.aws
            .lambda
            .update_function_code()
            .function_name(name)
            .set_zip_file(code.zip_file)
            .set_s3_bucket(code.s3_bucket)
            .set_s3_key(code.s3_key)
            .set_s3_object_version(code.s3_object_version)
            .set_architectures(fv::architectures(planned))
            .publish(planned.bool_attr("publish", false))
            .send()
            .await
            .map_err(|e| {
                errors::sdk(
                    &format!("uploading the code of lambda function `{name}`"),
                    e,
                )
            })?;
        Ok(())
    }
}

#[async_trait]
impl Resource for Function {
    /// `id` is the function's name.
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let Some(c) = api::configuration(&self.aws, id).await? else {
            return Ok(None);
        };
        let arn = c.function_arn().unwrap_or(id);
        let remote = api::tags(&self.aws, arn).await?;
        let version = if current.bool_attr("publish", false) {
            api::latest_version(&self.aws, id).await?
        } else {
            "$LATEST".to_string()
        };
        let empty = self.schema.empty_value();
        Ok(Some(fv::value_of(
            &self.aws, empty, &c, remote, &version, current,
        )))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        crate::lambda::function_checks::validate(config)
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        su::plan(&self.aws, &self.schema, prior, config)
    }

    /// Found by its name (unique in the account and region), adopted only when it carries this
    /// create's mark.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = su::req(intent, "function_name")?;
        let Some(c) = api::configuration(&self.aws, name).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("lambda function `{name}`"),
            &api::tags(&self.aws, c.function_arn().unwrap_or(name)).await?,
            token,
            &format!("aws lambda delete-function --function-name {name}"),
        )?;
        self.read_id(name, intent).await
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "function_name")?;
        let what = format!("lambda function `{name}`");
        let code = api::code(&self.aws.stack_dir, planned).await?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let layers = planned.string_list_attr("layers");
        let req = self.aws.lambda.create_function().function_name(name);
        with_settings!(req, planned)
            .publish(planned.bool_attr("publish", false))
            .package_type(PackageType::Zip)
            .set_architectures(fv::architectures(planned))
            .set_layers((!layers.is_empty()).then_some(layers))
            .code(code)
            .set_tags(Some(all.into_iter().collect()))
            .send()
            .await
            .map_err(errors::on_create(&what, "ResourceConflictException", TAKEN))?;
        self.wait(name, planned, "create", ctx).await?;
        by_id::created(self, name, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "function_name")?;
        let changed = |names: &[&str]| names.iter().any(|a| prior.get(a) != planned.get(a));
        let settings = changed(&SETTINGS);
        let code = changed(&CODE);
        if settings {
            self.update_settings(name, planned).await?;
            self.wait(name, planned, "update", ctx).await?;
        }
        if code {
            // Publishes a version itself when `publish` is set.
            self.update_code(name, planned).await?;
            self.wait(name, planned, "update", ctx).await?;
        } else if planned.bool_attr("publish", false) && (settings || changed(&["publish"])) {
            self.aws
                .lambda
                .publish_version()
                .function_name(name)
                .send()
                .await
                .map_err(|e| {
                    errors::sdk(
                        &format!("publishing a version of lambda function `{name}`"),
                        e,
                    )
                })?;
            self.wait(name, planned, "update", ctx).await?;
        }
        let (set, removed) = tags::changes(&self.aws, prior, planned);
        api::write_tags(&self.aws, su::req(prior, "arn")?, set, removed).await?;
        by_id::updated(self, name, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("function_name") else {
            return Ok(());
        };
        retry::delete(&format!("deleting lambda function `{name}`"), || {
            self.aws.lambda.delete_function().function_name(name).send()
        })
        .await
    }

    /// Every function of the region, each read for its tags.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let names = api::names(&self.aws).await?;
        let all = by_id::read_all(self, &names).await?;
        Ok(tags::marked(all, filter))
    }
}
