//! `aws_glue_job`: a Glue job definition (an ETL, streaming or Python shell script and how it
//! runs). Its id is its name (unique in the account and region); it is imported by name. Tags,
//! with labform's marks, go in with CreateJob and by ARN afterwards.
//!
//! `glue_version`, `max_capacity`, `number_of_workers`, `worker_type`, `timeout`,
//! `command.python_version` and `execution_property` are optional and computed: when unset, they
//! hold what Glue chose (for a `glueetl` job a timeout of 2880 minutes, and a capacity computed
//! from the workers).

use std::sync::Arc;

use aws_sdk_glue::types::{
    ConnectionsList, ExecutionClass, ExecutionProperty, Job as Remote, JobCommand, JobUpdate,
    WorkerType,
};
use labform_sdk::{
    async_trait, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, ReadBack, Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::glue::api;
use crate::glue::named::{definition_changed, ByName, Named};
use crate::schema_util::{self as su, n, s, slist, smap};
use crate::{errors, retry, tags};

/// What Glue records for a job created without an execution class.
const STANDARD: &str = "STANDARD";

/// How a job is sized: by workers, or by capacity.
const WORKERS: [&str; 2] = ["worker_type", "number_of_workers"];
const SIZING: [&str; 3] = ["worker_type", "number_of_workers", "max_capacity"];

labform_sdk::typed! {
    pub struct Job("aws_glue_job") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let command = BlockSchema::new()
        .attr("name", Attribute::optional(s()).default("glueetl"))
        .attr("script_location", Attribute::required(s()))
        .attr("python_version", Attribute::optional_computed(s()));
    let execution =
        BlockSchema::new().attr("max_concurrent_runs", Attribute::optional(n()).default(1));
    let sc = BlockSchema::new()
        .attr("name", Attribute::required(s()).force_new())
        .attr("role_arn", Attribute::required(s()))
        .attr("description", Attribute::optional(s()))
        .attr("connections", Attribute::optional(slist()))
        .attrs(
            &["default_arguments", "non_overridable_arguments"],
            Attribute::optional(smap()),
        )
        .attrs(
            &["glue_version", "worker_type"],
            Attribute::optional_computed(s()),
        )
        .attrs(
            &["number_of_workers", "max_capacity", "timeout"],
            Attribute::optional_computed(n()),
        )
        .attr("max_retries", Attribute::optional(n()))
        .attr("execution_class", Attribute::optional(s()))
        .attr("arn", Attribute::computed(s()))
        .block("command", NestedBlock::list(command).min(1).max(1))
        .block(
            "execution_property",
            NestedBlock::list(execution).max(1).computed(),
        );
    su::tagged(su::regional(sc))
}

const KIND: Named = Named("job");

fn what(name: &str) -> String {
    KIND.what(name)
}

fn str_of(v: &Value, name: &str) -> Option<String> {
    v.str_attr(name)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn command(v: &Value) -> Option<JobCommand> {
    v.single_block("command").map(|c| {
        JobCommand::builder()
            .set_name(str_of(c, "name"))
            .set_script_location(str_of(c, "script_location"))
            .set_python_version(str_of(c, "python_version"))
            .build()
    })
}

fn execution_property(v: &Value) -> Option<ExecutionProperty> {
    v.single_block("execution_property").map(|p| {
        ExecutionProperty::builder()
            .set_max_concurrent_runs(api::int(p, "max_concurrent_runs"))
            .build()
    })
}

fn connections(v: &Value) -> Option<ConnectionsList> {
    let list = v.string_list_attr("connections");
    (!list.is_empty()).then(|| {
        ConnectionsList::builder()
            .set_connections(Some(list))
            .build()
    })
}

/// The job definition, as CreateJob and UpdateJob both take it. Capacity is given either as
/// workers (type and number) or as `max_capacity`, never both: with workers set, Glue
/// computes the capacity itself.
fn definition(v: &Value) -> JobUpdate {
    let workers = api::int(v, "number_of_workers");
    JobUpdate::builder()
        .set_role(str_of(v, "role_arn"))
        .set_description(str_of(v, "description"))
        .set_command(command(v))
        .set_connections(connections(v))
        .set_default_arguments(api::string_map(v, "default_arguments"))
        .set_non_overridable_arguments(api::string_map(v, "non_overridable_arguments"))
        .set_glue_version(str_of(v, "glue_version"))
        .set_worker_type(str_of(v, "worker_type").map(|w| WorkerType::from(w.as_str())))
        .set_number_of_workers(workers)
        .set_max_capacity(if workers.is_some() {
            None
        } else {
            v.get("max_capacity").as_f64()
        })
        .set_timeout(api::int(v, "timeout"))
        .set_max_retries(api::int(v, "max_retries"))
        .set_execution_class(
            str_of(v, "execution_class").map(|c| ExecutionClass::from(c.to_uppercase().as_str())),
        )
        .set_execution_property(execution_property(v))
        .build()
}

fn number(n: Option<i32>) -> Value {
    n.map_or(Value::Null, |n| Value::from(i64::from(n)))
}

fn command_value(c: Option<&JobCommand>) -> Value {
    Value::List(
        c.map(|c| {
            Value::from_pairs([
                ("name", Value::from(c.name().unwrap_or_default())),
                (
                    "script_location",
                    Value::from(c.script_location().unwrap_or_default()),
                ),
                ("python_version", api::opt_str(c.python_version())),
            ])
        })
        .into_iter()
        .collect(),
    )
}

/// The execution class as recorded: Glue answers `STANDARD` for a job created without one,
/// which reads back unset when the configuration sets none.
fn execution_class_value(j: &Remote, current: &Value) -> Value {
    match j.execution_class().map(ExecutionClass::as_str) {
        Some(STANDARD) if current.get("execution_class").is_null() => Value::Null,
        Some(c) => match current.str_attr("execution_class") {
            Some(mine) if mine.eq_ignore_ascii_case(c) => mine.into(),
            _ => c.into(),
        },
        None => Value::Null,
    }
}

#[async_trait]
impl ByName for Job {
    type Remote = Remote;
    const KIND: Named = KIND;

    fn aws(&self) -> &Aws {
        &self.aws
    }
    fn removal(name: &str) -> String {
        format!("aws glue delete-job --job-name {name}")
    }

    async fn get(&self, name: &str) -> Result<Option<Remote>> {
        let out = self.aws.glue.get_job().job_name(name).send().await;
        Ok(errors::found(&format!("reading {}", what(name)), out)?.and_then(|o| o.job))
    }

    async fn page(&self, next: Option<String>) -> Result<(Vec<Remote>, Option<String>)> {
        let req = self.aws.glue.get_jobs().set_next_token(next);
        let out = req
            .send()
            .await
            .map_err(|e| errors::sdk("listing glue jobs", e))?;
        Ok((out.jobs.unwrap_or_default(), out.next_token))
    }

    async fn value_of(&self, j: &Remote, current: &Value) -> Result<Value> {
        let name = j.name().unwrap_or_default();
        let mut v = KIND.value(&self.aws, &self.schema, name, current).await?;
        v.set("role_arn", j.role().unwrap_or_default().into());
        v.set("description", api::opt_str(j.description()));
        v.set("command", command_value(j.command()));
        let conns = j.connections().map(|c| c.connections()).unwrap_or_default();
        v.set(
            "connections",
            api::list_value(conns, current, "connections"),
        );
        v.set(
            "default_arguments",
            api::map_value(j.default_arguments(), current, "default_arguments"),
        );
        v.set(
            "non_overridable_arguments",
            api::map_value(
                j.non_overridable_arguments(),
                current,
                "non_overridable_arguments",
            ),
        );
        v.set("glue_version", api::opt_str(j.glue_version()));
        v.set(
            "worker_type",
            j.worker_type().map_or(Value::Null, |w| w.as_str().into()),
        );
        v.set("number_of_workers", number(j.number_of_workers()));
        v.set(
            "max_capacity",
            j.max_capacity().map_or(Value::Null, Value::from),
        );
        v.set("timeout", number(j.timeout()));
        v.set("max_retries", Value::from(i64::from(j.max_retries())));
        v.set("execution_class", execution_class_value(j, current));
        // Glue answers 0 for a property without a count.
        let runs = j
            .execution_property()
            .map(|p| p.max_concurrent_runs())
            .filter(|r| *r > 0);
        v.set(
            "execution_property",
            Value::List(
                runs.map(|r| Value::from_pairs([("max_concurrent_runs", number(Some(r)))]))
                    .into_iter()
                    .collect(),
            ),
        );
        Ok(v)
    }
}

#[async_trait]
impl Resource for Job {
    fn validate(&self, config: &Value) -> Result<()> {
        if config.str_attr("name") == Some("") {
            return Err(ProviderError::invalid("glue job `name` must not be empty"));
        }
        if !config.get("max_capacity").is_null()
            && ["number_of_workers", "worker_type"]
                .iter()
                .any(|a| !config.get(a).is_null())
        {
            return Err(ProviderError::invalid(
                "glue job `max_capacity` conflicts with `number_of_workers` and `worker_type`",
            )
            .with_hint("give the capacity either as workers or as `max_capacity`"));
        }
        let at_least = |name: &str, min: i64| match config.i64_attr(name) {
            Some(n) if n < min => Err(ProviderError::invalid(format!(
                "glue job `{name} = {n}` must be at least {min}"
            ))),
            _ => Ok(()),
        };
        at_least("number_of_workers", 1)?;
        at_least("timeout", 1)?;
        if let Some(n) = config.i64_attr("max_retries") {
            if !(0..=10).contains(&n) {
                return Err(ProviderError::invalid(format!(
                    "glue job `max_retries = {n}` must be between 0 and 10"
                )));
            }
        }
        let worker_types: Vec<&str> = WorkerType::values().to_vec();
        api::check_one_of("worker_type", config.str_attr("worker_type"), &worker_types)?;
        if let Some(c) = config.str_attr("execution_class") {
            if !ExecutionClass::values()
                .iter()
                .any(|v| v.eq_ignore_ascii_case(c))
            {
                return Err(ProviderError::invalid(format!(
                    "`execution_class = \"{c}\"` is not one of {}",
                    ExecutionClass::values().join(", ")
                )));
            }
        }
        if let Some(c) = config.single_block("command") {
            api::check_one_of(
                "command.python_version",
                c.str_attr("python_version"),
                &["2", "3", "3.9"],
            )?;
        }
        if let Some(p) = config.single_block("execution_property") {
            if let Some(n) = p.i64_attr("max_concurrent_runs").filter(|n| *n < 1) {
                return Err(ProviderError::invalid(format!(
                    "glue job `execution_property.max_concurrent_runs = {n}` must be at least 1"
                )));
            }
        }
        Ok(())
    }

    /// A change of size recomputes the side of it the configuration leaves to Glue: the
    /// capacity when workers are set, the workers (then none) when `max_capacity` is.
    ///
    /// An unset `execution_class` is Glue's `STANDARD`: a state that records `STANDARD` (as
    /// Terraform's does, from what GetJob answers) keeps it.
    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        let recorded = prior.and_then(|p| p.str_attr("execution_class"));
        if let Some(standard) = recorded.filter(|c| c.eq_ignore_ascii_case(STANDARD)) {
            if config.get("execution_class").is_null() {
                config.set("execution_class", standard.into());
            }
        }
        let config = &config;
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        let Some(prior) = prior.filter(|_| p.requires_replace.is_empty()) else {
            return Ok(p);
        };
        let resized = SIZING.iter().any(|a| p.planned.get(a) != prior.get(a));
        let by_workers = WORKERS.iter().any(|a| !config.get(a).is_null());
        if resized && by_workers && config.get("max_capacity").is_null() {
            p.planned.set("max_capacity", Value::Unknown);
        }
        if resized && !by_workers && !config.get("max_capacity").is_null() {
            for a in WORKERS {
                p.planned.set(a, Value::Unknown);
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        let d = definition(planned);
        let mut req = self
            .aws
            .glue
            .create_job()
            .name(name)
            .set_role(d.role)
            .set_description(d.description)
            .set_command(d.command)
            .set_connections(d.connections)
            .set_default_arguments(d.default_arguments)
            .set_non_overridable_arguments(d.non_overridable_arguments)
            .set_glue_version(d.glue_version)
            .set_worker_type(d.worker_type)
            .set_number_of_workers(d.number_of_workers)
            .set_max_capacity(d.max_capacity)
            .set_timeout(d.timeout)
            .set_max_retries(api::int(planned, "max_retries"))
            .set_execution_class(d.execution_class)
            .set_execution_property(d.execution_property);
        for (k, v) in tags::for_create(&self.aws, planned.get("tags"), ctx) {
            req = req.tags(k, v);
        }
        req.send()
            .await
            .map_err(|e| api::create_error(&what(name), e))?;
        self.read_named(name, planned)
            .await?
            .or_vanished(&what(name))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        self.read_current(current).await
    }

    /// UpdateJob replaces the whole definition, so it is sent whole, as planned.
    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(planned, "name")?;
        if definition_changed(&self.schema, prior, planned) {
            self.aws
                .glue
                .update_job()
                .job_name(name)
                .job_update(definition(planned))
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("updating {}", what(name)), e))?;
        }
        KIND.retag(&self.aws, name, prior, planned).await?;
        self.read_named(name, planned).await?.or_gone(&what(name))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("name") else {
            return Ok(());
        };
        // DeleteJob answers success for a job that does not exist: gone is gone.
        let req = self.aws.glue.delete_job().job_name(name);
        retry::delete(&format!("deleting {}", what(name)), || req.clone().send()).await
    }

    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        self.find(intent, token).await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        self.marked(filter).await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        self.import_named(id).await
    }
}
