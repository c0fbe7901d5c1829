//! One operation of an apply: evaluate the final configuration, call the provider, record the
//! result in state before anything that depends on it starts.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use labform_sdk::{OpContext, Resource, Value};
use labform_state::{
    IndexKey, InstanceAddr, InstanceState, OutputState, Pending, SharedStateWriter, StateError,
    Status,
};

use super::events::{Event, OpKind, Reporter};
use super::ops::Op;
use crate::diag::Diagnostic;
use crate::engine::expand::Instance;
use crate::engine::registry::state_provider;
use crate::engine::{Engine, Values};
use crate::plan::planner::Planned;
use crate::plan::{Action, ResourceChange};

const TICK: std::time::Duration = std::time::Duration::from_secs(10);

pub(super) struct Run<'a> {
    pub engine: &'a Engine,
    pub planned: &'a Planned,
    pub values: Values,
    pub writer: SharedStateWriter,
    pub reporter: Arc<dyn Reporter>,
    pub failures: Mutex<Vec<(InstanceAddr, OpKind, Diagnostic)>>,
}

/// The instance address under which the old object of a create-before-destroy replace waits
/// for deletion. It reads as an orphan, so a later plan deletes it if this run cannot.
fn deposed_addr(addr: &InstanceAddr) -> InstanceAddr {
    let key = match &addr.key {
        None => "deposed".to_string(),
        Some(k) => format!("deposed-{}", k.to_string().trim_matches('"')),
    };
    InstanceAddr {
        key: Some(IndexKey::Str(key)),
        ..addr.clone()
    }
}

impl Run<'_> {
    /// Runs a state change; disk syncs block, so the async worker steps aside meanwhile.
    pub(super) fn record(
        &self,
        f: impl FnOnce(&SharedStateWriter) -> Result<(), StateError>,
    ) -> Result<(), Diagnostic> {
        tokio::task::block_in_place(|| f(&self.writer))
            .map_err(|e| Diagnostic::error(format!("cannot record state: {e}")))
    }

    /// Records an instance: durably for objects outside state, lazily for state-only ones.
    /// An instance recorded again (an update, a refreshed value) keeps the create time already
    /// recorded at its address, so `status` still says since when the object is up.
    fn put(
        &self,
        addr: &InstanceAddr,
        provider: &str,
        mut inst: InstanceState,
        durable: bool,
    ) -> Result<(), Diagnostic> {
        if inst.created_at.is_none() {
            inst.created_at = self.created_at(addr);
        }
        self.record(|w| {
            if durable {
                w.put_instance(addr, provider, inst)
            } else {
                w.put_instance_lazy(addr, provider, inst)
            }
        })
    }

    /// The create time recorded for the instance at `addr`, if any.
    fn created_at(&self, addr: &InstanceAddr) -> Option<String> {
        self.writer
            .with_state(|s| s.instance(addr).and_then(|(_, i)| i.created_at.clone()))
    }

    fn forget(&self, addr: &InstanceAddr, durable: bool) -> Result<(), Diagnostic> {
        self.record(|w| {
            if durable {
                w.remove_instance(addr)
            } else {
                w.remove_instance_lazy(addr)
            }
        })
    }

    fn fail(&self, addr: &InstanceAddr, op: OpKind, d: Diagnostic) -> bool {
        let message = d.to_string();
        self.reporter.event(Event::Failed {
            addr,
            op,
            message: &message,
        });
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((addr.clone(), op, d));
        false
    }

    /// Awaits a provider call, saying "Still creating... [10s elapsed]" every ten seconds, as
    /// Terraform does, so a long wait never looks like a hang.
    async fn ticking<T>(
        &self,
        addr: &InstanceAddr,
        verb: &str,
        fut: impl std::future::Future<Output = T>,
    ) -> T {
        let started = Instant::now();
        let mut fut = std::pin::pin!(fut);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
        loop {
            tokio::select! {
                out = &mut fut => return out,
                _ = tick.tick() => {
                    let text = addr.to_string();
                    let message = format!("Still {verb}... [{}s elapsed]", started.elapsed().as_secs());
                    self.reporter.event(Event::Progress { addr: &text, message: &message });
                }
            }
        }
    }

    pub(super) async fn run_op(&self, op: &Op) -> bool {
        let change = &self.planned.plan.changes[op.change];
        let result = match op.kind {
            OpKind::Create => self.create(change).await,
            OpKind::Update => self.update(change).await,
            OpKind::Delete => self.delete(change, op.deposed).await,
            OpKind::Read => self.read(change).await,
        };
        match result {
            Ok(()) => true,
            // A provider's error may quote what it was given: never a secret.
            Err(d) => self.fail(&change.addr, op.kind, d.scrubbed(&change.secrets())),
        }
    }

    fn op_context(&self, addr: &InstanceAddr) -> OpContext {
        let reporter = self.reporter.clone();
        OpContext::new(
            addr.to_string(),
            Arc::new(move |a: &str, m: &str| {
                reporter.event(Event::Progress {
                    addr: a,
                    message: m,
                })
            }),
        )
    }

    /// The final configuration of a change, evaluated now that what it depends on is applied.
    fn final_config(
        &self,
        change: &ResourceChange,
    ) -> Result<(Arc<crate::config::ResourceBlock>, Value), Diagnostic> {
        let resource = change.addr.resource_addr();
        let r = self
            .engine
            .stack
            .resources
            .get(&resource)
            .cloned()
            .ok_or_else(|| {
                Diagnostic::error(format!("`{resource}` is not in the configuration"))
            })?;
        let instance = self.instance_of(change);
        let schema = self
            .engine
            .registry
            .schema(change.addr.mode, &change.addr.type_name)
            .map(|(_, s)| s.clone())
            .ok_or_else(|| {
                Diagnostic::error(format!("unknown type `{}`", change.addr.type_name))
            })?;
        let config = self
            .engine
            .instance_config(&r, &instance, &schema, &self.values)
            .map_err(|d| {
                d.0.into_iter()
                    .next()
                    .unwrap_or_else(|| Diagnostic::error("invalid configuration"))
            })?;
        Ok((r, config))
    }

    /// The instance of a change, with its `each`/`count` as planned.
    fn instance_of(&self, change: &ResourceChange) -> Instance {
        self.planned
            .instances
            .get(&change.addr.resource_addr())
            .and_then(|is| is.iter().find(|i| i.key == change.addr.key))
            .cloned()
            .unwrap_or_else(|| Instance::new(change.addr.key.clone(), None))
    }

    /// Checks the `postcondition`s of an applied instance against its new value (in the value
    /// table): a false one fails the operation, so what depends on it is not applied.
    fn postconditions(
        &self,
        change: &ResourceChange,
        r: &crate::config::ResourceBlock,
    ) -> Result<(), Diagnostic> {
        let value = self.values.get(&change.addr);
        let failed = crate::plan::conditions::check_resource(
            self.engine,
            r,
            &self.instance_of(change),
            &self.values,
            crate::plan::conditions::When::Post,
            value.as_ref(),
        );
        match failed.0.into_iter().next() {
            Some(d) => Err(d),
            None => Ok(()),
        }
    }

    async fn resource(&self, change: &ResourceChange) -> Result<Arc<dyn Resource>, Diagnostic> {
        self.engine
            .resource_impl(&change.provider, &change.addr.type_name, &self.values)
            .await
    }

    fn instance_state(&self, change: &ResourceChange, attributes: Value) -> InstanceState {
        let schema = self
            .engine
            .registry
            .schema(change.addr.mode, &change.addr.type_name);
        let attributes = match schema {
            Some((_, schema)) => labform_sdk::normalize(schema, &attributes),
            None => attributes,
        };
        // The marks of the configuration at their paths, the schema's sensitive attributes,
        // and whatever the provider computed from a secret.
        let mut sensitive = if change.after.is_some() {
            change.after_sensitive.clone()
        } else {
            change.before_sensitive.clone()
        };
        if let Some((_, schema)) = schema {
            sensitive.union(&crate::engine::sensitive::schema_marks(schema, &attributes));
        }
        crate::engine::sensitive::widen(&attributes, &mut sensitive);
        let mut inst = InstanceState::new(attributes);
        inst.dependencies = change.dependencies.clone();
        inst.sensitive_attributes = sensitive.to_paths();
        inst
    }

    async fn create(&self, change: &ResourceChange) -> Result<(), Diagnostic> {
        let addr = &change.addr;
        let provider = state_provider(&change.provider);
        let (r, config) = self.final_config(change)?;
        let res = self.resource(change).await?;
        let planned = res
            .plan(None, &config)
            .map_err(|e| provider_error(addr, "planning", e))?
            .planned;
        if change.action == Action::CreateThenDelete {
            if let Some(before) = &change.before {
                let mut old = self.instance_state(change, before.clone());
                old.created_at = self.created_at(addr);
                self.put(&deposed_addr(addr), &provider, old, true)?;
            }
        }
        let remote = res.has_remote_object();
        // The intent, with the token the create call will carry, is durable before the call:
        // a run killed from here on is found and adopted by the next one (find_interrupted).
        let token = uuid::Uuid::new_v4().to_string();
        let intent_value = unknowns_to_null(&planned);
        // The object is up from the create call on: an interrupted create adopted by the next
        // run keeps this time too (refresh keeps the intent's record).
        let created_at = now_rfc3339();
        if remote {
            let mut intent = self.instance_state(change, intent_value.clone());
            intent.pending = Some(Pending::Create);
            intent.create_token = Some(token.clone());
            intent.created_at = Some(created_at.clone());
            self.put(addr, &provider, intent, true)?;
        }
        let started = Instant::now();
        self.reporter.event(Event::Start {
            addr,
            op: OpKind::Create,
            id: None,
        });
        let ctx = self.op_context(addr).with_create_token(token.as_str());
        match self
            .ticking(addr, "creating", res.create(&planned, &ctx))
            .await
        {
            Ok(value) => {
                let mut inst = self.instance_state(change, value.clone());
                inst.created_at = Some(created_at);
                // What the provider computed from a secret is sensitive for what reads it next.
                let marks = crate::eval::Marks::from_paths(&inst.sensitive_attributes);
                self.put(addr, &provider, inst, remote)?;
                let id = value.str_attr("id").map(str::to_string);
                self.values.set(addr, value);
                self.values.mark(addr, marks);
                self.reporter.event(Event::Done {
                    addr,
                    op: OpKind::Create,
                    elapsed: started.elapsed(),
                    id: id.as_deref(),
                });
                self.postconditions(change, &r)
            }
            Err(e) => {
                if let Some(partial) = e.partial.clone() {
                    let mut inst = self.instance_state(change, partial);
                    inst.status = Some(Status::Tainted);
                    self.put(addr, &provider, inst, true)?;
                } else if remote {
                    // A failed call may still have made the object (a timeout after the API
                    // acted): look before forgetting the intent.
                    match res.find_interrupted(&intent_value, &token).await {
                        Ok(Some(found)) => {
                            let mut inst = self.instance_state(change, found);
                            inst.status = Some(Status::Tainted);
                            self.put(addr, &provider, inst, true)?;
                        }
                        Ok(None) => self.forget(addr, true)?,
                        // Cannot tell: the intent stays, and the next run looks again.
                        Err(_) => {}
                    }
                }
                Err(provider_error(addr, "creating", e))
            }
        }
    }

    async fn update(&self, change: &ResourceChange) -> Result<(), Diagnostic> {
        let addr = &change.addr;
        let provider = state_provider(&change.provider);
        let prior = change.before.clone().unwrap_or(Value::Null);
        let (r, config) = self.final_config(change)?;
        let res = self.resource(change).await?;
        let config = crate::plan::ignore::apply_ignore_changes(
            &r.lifecycle.ignore_changes,
            Some(&prior),
            config,
        );
        let planned = res
            .plan(Some(&prior), &config)
            .map_err(|e| provider_error(addr, "planning", e))?
            .planned;
        let id = prior.str_attr("id").map(str::to_string);
        let started = Instant::now();
        self.reporter.event(Event::Start {
            addr,
            op: OpKind::Update,
            id: id.as_deref(),
        });
        match self
            .ticking(
                addr,
                "modifying",
                res.update(&prior, &planned, &self.op_context(addr)),
            )
            .await
        {
            Ok(value) => {
                let inst = self.instance_state(change, value.clone());
                let marks = crate::eval::Marks::from_paths(&inst.sensitive_attributes);
                self.put(addr, &provider, inst, res.has_remote_object())?;
                self.values.set(addr, value);
                self.values.mark(addr, marks);
                self.reporter.event(Event::Done {
                    addr,
                    op: OpKind::Update,
                    elapsed: started.elapsed(),
                    id: id.as_deref(),
                });
                self.postconditions(change, &r)
            }
            Err(e) => {
                if let Some(partial) = e.partial.clone() {
                    self.put(addr, &provider, self.instance_state(change, partial), true)?;
                }
                Err(provider_error(addr, "updating", e))
            }
        }
    }

    async fn delete(&self, change: &ResourceChange, deposed: bool) -> Result<(), Diagnostic> {
        let addr = &change.addr;
        let Some(prior) = &change.before else {
            return Ok(());
        };
        let res = self.resource(change).await?;
        let id = prior.str_attr("id").map(str::to_string);
        let started = Instant::now();
        self.reporter.event(Event::Start {
            addr,
            op: OpKind::Delete,
            id: id.as_deref(),
        });
        self.ticking(
            addr,
            "destroying",
            res.delete(prior, &self.op_context(addr)),
        )
        .await
        .map_err(|e| provider_error(addr, "destroying", e))?;
        let recorded = if deposed {
            deposed_addr(addr)
        } else {
            addr.clone()
        };
        self.forget(&recorded, res.has_remote_object())?;
        if !deposed && !change.action.creates() {
            self.values.remove(addr);
        }
        self.reporter.event(Event::Done {
            addr,
            op: OpKind::Delete,
            elapsed: started.elapsed(),
            id: None,
        });
        Ok(())
    }

    async fn read(&self, change: &ResourceChange) -> Result<(), Diagnostic> {
        let addr = &change.addr;
        let (_, config) = self.final_config(change)?;
        if !config.is_wholly_known() {
            return Err(Diagnostic::error(format!(
                "the configuration of `{addr}` is still not known during apply"
            )));
        }
        let ds = self
            .engine
            .data_source_impl(&change.provider, &addr.type_name, &self.values)
            .await?;
        let started = Instant::now();
        self.reporter.event(Event::Start {
            addr,
            op: OpKind::Read,
            id: None,
        });
        let value = ds
            .read(&config)
            .await
            .map_err(|e| provider_error(addr, "reading", e))?;
        let provider = state_provider(&change.provider);
        self.put(
            addr,
            &provider,
            self.instance_state(change, value.clone()),
            false,
        )?;
        self.values.set(addr, value);
        self.reporter.event(Event::Done {
            addr,
            op: OpKind::Read,
            elapsed: started.elapsed(),
            id: None,
        });
        Ok(())
    }

    pub(super) fn outputs(&self) -> BTreeMap<String, OutputState> {
        if self.planned.plan.destroy {
            return BTreeMap::new();
        }
        self.engine.recorded_outputs(&self.values)
    }
}

fn provider_error(addr: &InstanceAddr, doing: &str, e: labform_sdk::ProviderError) -> Diagnostic {
    Diagnostic::error(format!("{doing} `{addr}`: {}", e.message)).maybe_hint(e.hint)
}

/// Unknown parts of a planned value recorded as null (state never holds unknowns).
fn unknowns_to_null(v: &Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.iter().map(unknowns_to_null).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), unknowns_to_null(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The current time as state records it: RFC 3339 in UTC, to the second.
fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
