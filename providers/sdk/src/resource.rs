//! The traits one resource type and one data source type implement.

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::{ProviderError, Result};
use crate::mark::{Marked, StackFilter};
use crate::plan::{default_plan, PlannedChange};
use crate::schema::BlockSchema;
use crate::value::Value;

/// Receives a resource address and a one-line progress message.
pub type ProgressFn = Arc<dyn Fn(&str, &str) + Send + Sync>;

/// What a running operation may tell the user (pull progress, "waiting for healthy").
#[derive(Clone)]
pub struct OpContext {
    address: String,
    reporter: ProgressFn,
    create_token: Option<String>,
}

impl OpContext {
    /// `reporter` receives the resource address and a one-line message.
    pub fn new(address: impl Into<String>, reporter: ProgressFn) -> Self {
        OpContext {
            address: address.into(),
            reporter,
            create_token: None,
        }
    }

    /// The context of a create: `token` is already recorded in state as the intent's mark.
    pub fn with_create_token(mut self, token: impl Into<String>) -> Self {
        self.create_token = Some(token.into());
        self
    }

    /// The create token (only during `create`): write it on the object in the create call
    /// itself (see [`OpContext::instance_mark`]), or pass it as the API's idempotency token.
    pub fn create_token(&self) -> Option<&str> {
        self.create_token.as_deref()
    }

    /// The per-instance mark `(labform-instance, token)` a create writes among the object's
    /// tags/labels, so [`Resource::find_interrupted`] can find it after a crash.
    pub fn instance_mark(&self) -> Option<(&'static str, &str)> {
        self.create_token().map(|t| (crate::mark::INSTANCE_KEY, t))
    }

    /// A context that drops every message (tests, read-only calls).
    pub fn silent() -> Self {
        OpContext {
            address: String::new(),
            reporter: Arc::new(|_, _| {}),
            create_token: None,
        }
    }

    /// The address of the resource being worked on (`docker_container.db`).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Reports one line of progress. Never pass secrets.
    pub fn progress(&self, message: &str) {
        (self.reporter)(&self.address, message);
    }
}

/// One managed resource type (`google_storage_bucket`), bound to a configured provider.
///
/// Values passed in and returned are objects of the shape [`BlockSchema::empty_value`] describes.
/// Every value returned must be wholly known: it goes to state.
/// What a resource or data source type is: its Terraform name, its schema and what one object
/// is called in messages. [`typed!`](crate::typed) declares a type's struct, constructor and this
/// in one place.
pub trait Typed {
    /// The Terraform type name, `google_storage_bucket`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> &BlockSchema;

    /// What one object is called in messages (`vpc`, `iam role`); the type name by default.
    fn noun(&self) -> &'static str {
        self.type_name()
    }
}

#[async_trait]
pub trait Resource: Typed + Send + Sync {
    /// Checks a configuration before any API call (name rules the API would enforce). Values may
    /// be unknown; check only what is known.
    fn validate(&self, _config: &Value) -> Result<()> {
        Ok(())
    }

    /// Plans the change; the default handles defaults, computed attributes and force-new.
    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        Ok(default_plan(self.schema(), prior, config))
    }

    /// Creates the object. On a failure after the object came to exist, return an error carrying
    /// [`ProviderError::with_partial`] so it is recorded (tainted) and never lost.
    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value>;

    /// Reads the object back. `Ok(None)` means it no longer exists. The default reads the
    /// object [`Resource::id_of`] names with [`Resource::read_id`] (`Ok(None)` when no id was
    /// recorded): a type whose objects one call per id reads writes only `read_id`.
    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match self.id_of(current) {
            Some(id) => self.read_id(id, current).await,
            None => Ok(None),
        }
    }

    /// Reads the object `id`, `None` when it does not exist; `prior` supplies what the API does
    /// not return (arguments that are not read back). The default, for a type that implements
    /// `read` itself, fails: such a type does not support import.
    async fn read_id(&self, _id: &str, _prior: &Value) -> Result<Option<Value>> {
        Err(ProviderError::unsupported(format!(
            "`{}` does not support import yet",
            self.type_name()
        )))
    }

    /// The id [`Resource::read_id`] reads a recorded object by (`None`: nothing was recorded to
    /// read); its `id` attribute by default.
    fn id_of<'v>(&self, current: &'v Value) -> Option<&'v str> {
        current.str_attr("id")
    }

    /// The value an import reads into: the schema's empty value, plus any argument whose
    /// default the read keeps from its prior.
    fn blank(&self) -> Value {
        self.schema().empty_value()
    }

    /// Finds the object a create may have made before the run was interrupted (killed during
    /// the call, or after it returned but before state recorded the result), so it is adopted
    /// instead of made twice. `intent` is the planned value recorded before the call (unknown
    /// attributes null); `token` is the create token that call carried
    /// ([`OpContext::create_token`]). Look the object up by what the create call wrote: the
    /// per-instance mark (tag, label), the API's idempotency token, or a unique name. `Ok(None)`:
    /// no object was made. When the API cannot tell (an object with no name, no tags and no
    /// token), return an error naming the object and how to remove it: never guess.
    ///
    /// Every resource type with a remote object must implement this and prove it in its tests by
    /// killing a run mid-create.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>>;

    /// Changes the object in place to `planned`.
    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value>;

    /// Deletes the object. Deleting an object that is already gone succeeds.
    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()>;

    /// Reads an existing object by its import id. The default reads `id` with
    /// [`Resource::read_id`] into [`Resource::blank`]: a not-found error when there is no such
    /// object, and an unsupported error for a type that does not read by id.
    async fn import(&self, id: &str) -> Result<Value> {
        crate::by_id::import(self, id).await
    }

    /// Every object of this type whose marks `filter` selects ([`StackFilter::matches`] decides;
    /// narrow the API call with [`StackFilter::queries`] where the API filters by tag or label),
    /// each with its marks and, where the API says, its creation time; values are what `delete`
    /// and `read` accept. Used by sweep (leftovers, expired stacks) and destroy's verification.
    async fn list_marked(&self, _filter: &StackFilter) -> Result<Vec<Marked>> {
        Ok(Vec::new())
    }

    /// Whether `delete` leaves this object in place because its configuration says so
    /// (`keep_locally`): destroy's read-back does not count it as remaining.
    fn kept_on_delete(&self, _prior: &Value) -> bool {
        false
    }

    /// Whether `found` (from [`Resource::list_marked`]) is the object `recorded` (from state)
    /// describes: by default their `id`s are equal. A type whose listing names one object in
    /// several ways (an image by each of its tags) compares what identifies it.
    fn same_object(&self, found: &Value, recorded: &Value) -> bool {
        let id = found.str_attr("id");
        id.is_some() && id == recorded.str_attr("id")
    }

    /// Whether create touches something outside state. When true the engine durably records the
    /// intent to create (with its create token) before calling `create`, so an interrupted run
    /// finds the object later through [`Resource::find_interrupted`].
    fn has_remote_object(&self) -> bool {
        true
    }
}

/// One data source type (`data "aws_ami"`), bound to a configured provider.
#[async_trait]
pub trait DataSource: Typed + Send + Sync {
    /// Reads the data. `config` is wholly known. Returns the full value (config plus computed).
    async fn read(&self, config: &Value) -> Result<Value>;
}
