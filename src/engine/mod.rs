//! The engine for one command: the loaded stack, its graph, variable values, and the providers,
//! configured on first use.

pub mod expand;
pub mod expiry;
pub mod identity;
pub mod known_stacks;
mod module_values;
pub mod modules;
mod outputs;
pub mod registry;
pub mod sensitive;
pub mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, DataSource, ProviderContext, Resource, Value};

use crate::config::vars::{resolve_variables, CliVar, Missing, Prompter};
use crate::config::version::check_versions;
use crate::config::{Mode, ResourceBlock, Stack};
use crate::diag::{Diagnostic, Diagnostics};
use crate::eval::marks::secret_texts;
use crate::eval::{eval_body_marked, Evaluator};
use crate::graph::Graph;
use crate::suggest::did_you_mean;

pub use registry::Registry;
pub use values::{Expansion, Values};

/// A provider configured from its block, or why it could not be.
type Configured = Result<Arc<dyn ConfiguredProvider>, Diagnostic>;

/// How variable values are provided.
pub enum VarSource<'a> {
    /// From flags, files, the environment (`env` reads it: the CLI resolves it) and, when
    /// the CLI gives a prompter (on a terminal), prompts.
    Resolve {
        cli: &'a [CliVar],
        env: &'a dyn Fn(&str) -> Option<String>,
        prompter: Option<Prompter<'a>>,
    },
    /// Already resolved (a saved plan carries them).
    Given(BTreeMap<String, Value>),
    /// Validation: defaults only, the rest unknown; a module `count`/`for_each` that is unknown
    /// is checked as one stand-in instance.
    Validate(BTreeMap<String, Value>),
}

pub struct Engine {
    pub stack: Arc<Stack>,
    pub graph: Graph,
    /// Per resource address, the resource addresses it depends on (through locals too).
    pub resource_deps: HashMap<String, BTreeSet<String>>,
    pub registry: Arc<Registry>,
    pub vars: BTreeMap<String, Value>,
    /// The stack's id (its `labform-stack-id` mark): derived from the directory, replaced by
    /// the one state records (see [`Engine::use_state_identity`]).
    pub stack_id: String,
    /// The stack's expiry as a `labform-expires` mark value: the one state records, or the one
    /// this apply sets (see [`Engine::set_expiry`]).
    pub expires: Option<String>,
    /// Warnings gathered while loading, shown before the plan.
    pub warnings: Diagnostics,
    /// Each provider key configured once; a failure is kept too, so a provider that cannot be
    /// reached is tried (and reported) once, not once per resource.
    providers: tokio::sync::Mutex<HashMap<String, Configured>>,
}

impl Engine {
    pub fn new(
        stack: Stack,
        registry: Arc<Registry>,
        vars: VarSource,
    ) -> Result<Engine, Diagnostics> {
        let mut warnings = check_versions(&stack);
        warnings.extend(stack.warnings.clone());
        if warnings.has_errors() {
            return Err(warnings);
        }
        let (vars, allow_unknown) = match vars {
            VarSource::Resolve { cli, env, prompter } => {
                let (values, w) = resolve_variables(
                    &stack,
                    cli,
                    env,
                    prompter.map_or(Missing::Error, Missing::Prompt),
                )?;
                warnings.extend(w);
                (values, false)
            }
            VarSource::Given(v) => (v, false),
            VarSource::Validate(v) => (v, true),
        };
        let stack = modules::expand_modules(stack, &vars, allow_unknown)?;
        let mut errors = Diagnostics::new();
        check_types(&stack, &registry, &mut errors);
        if errors.has_errors() {
            errors.extend(warnings);
            return Err(errors);
        }
        let graph = Graph::build(&stack)?;
        let resource_deps = graph.resource_dependencies();
        let stack_id = identity::stack_id_for(&stack.dir);
        Ok(Engine {
            stack_id,
            expires: None,
            stack: Arc::new(stack),
            graph,
            resource_deps,
            registry,
            vars,
            warnings,
            providers: tokio::sync::Mutex::new(HashMap::new()),
        })
    }

    /// A value table for planning (`true`) or applying (`false`).
    pub fn values(&self, planning: bool) -> Values {
        Values::new(self.stack.clone(), self.vars.clone(), planning)
    }

    pub fn context(&self) -> ProviderContext {
        ProviderContext {
            stack_name: self.stack.name.clone(),
            stack_dir: self.stack.dir.clone(),
            stack_id: self.stack_id.clone(),
            expires: self.expires.clone(),
        }
    }

    /// Takes the stack id `state` records, or records this one in it (the first apply writes
    /// it), before any provider is configured: every object is marked with the same id for the
    /// stack's whole life, wherever its directory moves.
    pub fn use_state_identity(&mut self, state: &mut labform_state::StateFile) {
        match state.stack_id() {
            Some(id) if !id.is_empty() => self.stack_id = id.to_string(),
            _ => state.set_stack_id(&self.stack_id),
        }
        self.expires = state.expires().map(str::to_string);
    }

    /// Settles the expiry this run records (see [`expiry::resolve`]: `explicit` is `-ttl`, else
    /// `LABFORM_TTL`; the stack's `labform { ttl }` counts only when state records none, or
    /// records no resource any more) and
    /// records it in `state`, before any provider is configured: every object this run writes
    /// is marked with it.
    pub fn set_expiry(
        &mut self,
        state: &mut labform_state::StateFile,
        explicit: Option<expiry::Ttl>,
    ) {
        let block = self.stack.labform.ttl.as_ref().map(|(t, _)| *t);
        // An emptied stack's expiry ended with it: the next apply starts afresh.
        let live = state
            .instances()
            .any(|(a, _, _)| a.mode == crate::config::Mode::Managed);
        let recorded = state.expires().filter(|_| live);
        self.expires = expiry::resolve(explicit, recorded, block, chrono::Utc::now());
        state.set_expires(self.expires.as_deref());
    }

    /// The filter selecting this stack's marked objects.
    pub fn stack_filter(&self) -> labform_sdk::StackFilter {
        self.context().filter()
    }

    /// The provider for `key` (`aws`, `aws.west`), configured from its block on first use.
    pub async fn provider(
        &self,
        key: &str,
        values: &Values,
    ) -> Result<Arc<dyn ConfiguredProvider>, Diagnostic> {
        let mut cache = self.providers.lock().await;
        if let Some(p) = cache.get(key) {
            return p.clone();
        }
        let configured = self.configure_provider(key, values).await;
        cache.insert(key.to_string(), configured.clone());
        configured
    }

    /// Evaluates the provider block of `key` and configures the provider with it.
    async fn configure_provider(
        &self,
        key: &str,
        values: &Values,
    ) -> Result<Arc<dyn ConfiguredProvider>, Diagnostic> {
        let name = key.split('.').next().unwrap_or(key);
        let provider = self.registry.provider(name).ok_or_else(|| {
            Diagnostic::error(format!("unknown provider `{name}`")).maybe_hint(did_you_mean(
                name,
                self.registry.provider_names(),
                |s| s.to_string(),
            ))
        })?;
        let schema = self
            .registry
            .config_schema(name)
            .cloned()
            .unwrap_or_default();
        // Credentials are often sensitive: an error from the provider must not quote them.
        let mut secrets = Vec::new();
        let config = match self.stack.providers.get(key) {
            Some(block) => {
                let mut ev = Evaluator::new(values, &self.stack.dir);
                let m = eval_body_marked(
                    &mut ev,
                    &block.body,
                    &schema,
                    &format!("provider `{key}`"),
                    block.location.clone(),
                )
                .map_err(first_error)?;
                secrets = secret_texts(&m.value, &m.marks);
                let v = m.value;
                if !v.is_wholly_known() {
                    return Err(Diagnostic::error(format!(
                        "the configuration of provider `{key}` depends on values known only after apply"
                    ))
                    .at(block.location.clone())
                    .hint("configure providers from variables and locals only, or apply the referenced resources first with `-target`"));
                }
                v
            }
            None if key.contains('.') => {
                return Err(
                    Diagnostic::error(format!("no provider configuration `{key}`")).hint(format!(
                        "add `provider \"{name}\" {{ alias = \"{}\" }}`",
                        key.split_once('.').map(|x| x.1).unwrap_or("")
                    )),
                )
            }
            None => schema.empty_value(),
        };
        provider
            .configure(&config, &self.context())
            .await
            .map_err(|e| {
                Diagnostic::error(format!("provider `{key}`: {}", e.message))
                    .maybe_hint(e.hint.clone())
                    .at(self
                        .stack
                        .providers
                        .get(key)
                        .and_then(|b| b.location.clone()))
                    .scrubbed(&secrets)
            })
    }

    /// The resource addresses a resource block depends on (through locals too), as recorded
    /// in state.
    pub fn dependencies_of(&self, resource_addr: &str) -> Vec<String> {
        self.resource_deps
            .get(resource_addr)
            .map(|d| d.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub async fn resource_impl(
        &self,
        provider_key: &str,
        type_name: &str,
        values: &Values,
    ) -> Result<Arc<dyn Resource>, Diagnostic> {
        let p = self.provider(provider_key, values).await?;
        p.resource(type_name).ok_or_else(|| {
            Diagnostic::error(format!(
                "provider `{provider_key}` has no resource type `{type_name}`"
            ))
        })
    }

    pub async fn data_source_impl(
        &self,
        provider_key: &str,
        type_name: &str,
        values: &Values,
    ) -> Result<Arc<dyn DataSource>, Diagnostic> {
        let p = self.provider(provider_key, values).await?;
        p.data_source(type_name).ok_or_else(|| {
            Diagnostic::error(format!(
                "provider `{provider_key}` has no data source `{type_name}`"
            ))
        })
    }

    /// Resource blocks in dependency order.
    pub fn resources_in_order(&self) -> Vec<Arc<ResourceBlock>> {
        self.graph
            .order
            .iter()
            .filter_map(|&n| match &self.graph.graph[n] {
                crate::graph::Node::Resource(a) => self.stack.resources.get(a).cloned(),
                _ => None,
            })
            .collect()
    }
}

fn first_error(d: Diagnostics) -> Diagnostic {
    d.0.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("invalid configuration"))
}

/// Every resource and data source type must be one a provider implements.
fn check_types(stack: &Stack, registry: &Registry, diags: &mut Diagnostics) {
    for r in stack.resources.values() {
        match registry.schema(r.mode, &r.type_name) {
            Some(_) => {}
            None => {
                let what = if r.mode == Mode::Data {
                    "data source"
                } else {
                    "resource type"
                };
                let names = registry.type_names(r.mode);
                let provider = crate::config::implied_provider(&r.type_name);
                let known_provider = registry.provider(provider).is_some();
                diags.push(
                    Diagnostic::error(format!("unknown {what} `{}`", r.type_name))
                        .at(r.location.clone())
                        .maybe_hint(
                            did_you_mean(&r.type_name, names.iter().copied(), |s| s.to_string())
                                .or_else(|| {
                                    (!known_provider)
                                        .then(|| missing_provider_hint(registry, provider))
                                }),
                        ),
                );
            }
        }
    }
    for p in stack.providers.values() {
        if registry.provider(&p.name).is_none() {
            diags.push(
                Diagnostic::error(format!("unknown provider `{}`", p.name))
                    .at(p.location.clone())
                    .maybe_hint(did_you_mean(&p.name, registry.provider_names(), |s| {
                        s.to_string()
                    })),
            );
        }
    }
}

fn missing_provider_hint(registry: &Registry, provider: &str) -> String {
    match crate::providers::feature_for_missing(provider) {
        Some(feature) => format!(
            "this labform was built without the `{provider}` provider; install one that has it: `{}`",
            crate::providers::rebuild_command(feature)
        ),
        None => format!(
            "labform has the providers {}; `{provider}` is not one of them",
            registry.provider_names().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ),
    }
}
