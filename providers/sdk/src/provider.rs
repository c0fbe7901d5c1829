//! A provider: schemas known without credentials, and `configure` that binds them to clients.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

use crate::error::Result;
use crate::mark::{StackFilter, StackIdentity};
use crate::resource::{DataSource, Resource};
use crate::schema::BlockSchema;
use crate::value::Value;

/// What the engine tells a provider about the stack it serves. The default (all empty) is what
/// a [`NoConfigProvider`]'s schemas are listed with: no stack.
#[derive(Clone, Debug, Default)]
pub struct ProviderContext {
    /// The stack's name (its directory name): the value of the `labform-stack` mark.
    pub stack_name: String,
    /// The stack directory; relative file paths in configuration resolve against it.
    pub stack_dir: PathBuf,
    /// The stack's unique id (the `labform-stack-id` mark); empty where a caller has none.
    pub stack_id: String,
    /// The stack's expiry as a `labform-expires` mark value, when it has one.
    pub expires: Option<String>,
}

impl ProviderContext {
    /// The labels/tags every created object carries.
    pub fn mark(&self) -> BTreeMap<String, String> {
        self.identity().marks()
    }

    /// The stack's name, id and expiry.
    pub fn identity(&self) -> StackIdentity {
        StackIdentity {
            name: self.stack_name.clone(),
            id: self.stack_id.clone(),
            expires: self.expires.clone(),
        }
    }

    /// The filter that selects this stack's objects.
    pub fn filter(&self) -> StackFilter {
        self.identity().filter()
    }

    /// Resolves a path from configuration against the stack directory.
    pub fn resolve_path(&self, path: &str) -> PathBuf {
        let p = PathBuf::from(path);
        if p.is_absolute() {
            p
        } else {
            self.stack_dir.join(p)
        }
    }
}

/// A provider (`aws`, `google`, `docker`, `random`): its local name and schemas, and a way to
/// bind them to API clients.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Terraform's registry source, as state files record it:
    /// `registry.terraform.io/hashicorp/aws`, `terraform.io/builtin/terraform`.
    fn source(&self) -> &'static str;

    /// The local name in `provider "NAME" {}` and the prefix of its type names: the last part
    /// of the source, as Terraform names a provider `required_providers` does not rename.
    fn name(&self) -> &'static str {
        let source = self.source();
        source.rsplit('/').next().unwrap_or(source)
    }

    /// The version of the Terraform provider whose schema this implements (`6.58.0`): what
    /// `required_providers` constraints are read against and `version` reports.
    fn schema_version(&self) -> &'static str;

    /// The schema of the `provider` block.
    fn config_schema(&self) -> BlockSchema;

    /// Whether `status -all` searches this provider in a directory that does not configure it:
    /// a local engine that needs no account (Docker), never a cloud, which a directory names
    /// by its provider blocks. Sweeps, which delete, search only what the directory names.
    fn searched_unconfigured(&self) -> bool {
        false
    }

    /// Every managed resource type with its schema.
    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema>;

    /// Every data source type with its schema.
    fn data_source_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        BTreeMap::new()
    }

    /// Builds clients from the provider block (`config`, wholly known; null attributes when
    /// absent) and the environment. Errors say what is missing and how to provide it.
    async fn configure(
        &self,
        config: &Value,
        ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>>;
}

/// A provider that takes no configuration (`random`, `tls`): where it comes from and the
/// resources and data sources it serves. It is a [`Provider`] with an empty `provider` block,
/// whose schemas are those of what it serves.
pub trait NoConfigProvider: Send + Sync {
    /// [`Provider::source`].
    const SOURCE: &'static str;
    /// [`Provider::schema_version`].
    const SCHEMA_VERSION: &'static str;

    /// The resources and data sources, bound to the stack `ctx` describes.
    fn resources(ctx: &ProviderContext) -> ResourceSet;
}

#[async_trait]
impl<P: NoConfigProvider> Provider for P {
    fn source(&self) -> &'static str {
        P::SOURCE
    }
    fn schema_version(&self) -> &'static str {
        P::SCHEMA_VERSION
    }

    fn config_schema(&self) -> BlockSchema {
        BlockSchema::new()
    }

    /// Read off the resources bound to no stack ([`ProviderContext::default`]).
    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        let set = P::resources(&ProviderContext::default());
        schemas(&set.resources, <dyn Resource>::schema)
    }

    fn data_source_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        let set = P::resources(&ProviderContext::default());
        schemas(&set.data_sources, <dyn DataSource>::schema)
    }

    async fn configure(
        &self,
        _config: &Value,
        ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>> {
        Ok(Arc::new(P::resources(ctx)))
    }
}

/// The schema of each of `types`, by type name.
fn schemas<T: ?Sized>(
    types: &BTreeMap<&'static str, Arc<T>>,
    schema: fn(&T) -> &BlockSchema,
) -> BTreeMap<&'static str, BlockSchema> {
    types
        .iter()
        .map(|(name, t)| (*name, schema(t).clone()))
        .collect()
}

/// A provider bound to its clients.
pub trait ConfiguredProvider: Send + Sync {
    fn resource(&self, type_name: &str) -> Option<Arc<dyn Resource>>;
    fn data_source(&self, type_name: &str) -> Option<Arc<dyn DataSource>>;
}

/// A [`ConfiguredProvider`] made of a list of resources and data sources.
#[derive(Default)]
pub struct ResourceSet {
    resources: BTreeMap<&'static str, Arc<dyn Resource>>,
    data_sources: BTreeMap<&'static str, Arc<dyn DataSource>>,
}

impl ResourceSet {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn resource(mut self, r: impl Resource + 'static) -> Self {
        self.resources.insert(r.type_name(), Arc::new(r));
        self
    }
    pub fn data_source(mut self, d: impl DataSource + 'static) -> Self {
        self.data_sources.insert(d.type_name(), Arc::new(d));
        self
    }
}

impl ConfiguredProvider for ResourceSet {
    fn resource(&self, type_name: &str) -> Option<Arc<dyn Resource>> {
        self.resources.get(type_name).cloned()
    }
    fn data_source(&self, type_name: &str) -> Option<Arc<dyn DataSource>> {
        self.data_sources.get(type_name).cloned()
    }
}
