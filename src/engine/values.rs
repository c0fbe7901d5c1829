//! The values references resolve to while planning and applying: variables, locals and module
//! inputs and outputs (evaluated on demand, in their module instance) and every resource
//! instance's current value, each with its sensitivity marks.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use labform_sdk::Value;
use labform_state::{IndexKey, InstanceAddr};

use crate::config::{resource_address, Mode, Scope, Stack};
use crate::diag::Diagnostic;
use crate::eval::{Evaluator, Lookup, Marked, Marks, NameKind};

/// How a resource block expands into instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expansion {
    Single,
    Count,
    ForEach,
    /// `count`/`for_each` could not be evaluated: references to it are unknown.
    Unknown,
}

/// What a cached value is: a local, a module instance's input, or its output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum CacheKind {
    Local,
    Input,
    Output,
}

#[derive(Default)]
struct Instances {
    expansion: Option<Expansion>,
    values: BTreeMap<Option<IndexKey>, Value>,
    /// The sensitive parts of each instance's value; kept when the value is replaced (the
    /// same attributes stay sensitive when apply fills in what the plan did not know).
    marks: BTreeMap<Option<IndexKey>, Marks>,
}

/// The value table. Shared by the planner (sequential) and the executor (parallel).
pub struct Values {
    pub(super) stack: Arc<Stack>,
    vars: BTreeMap<String, Value>,
    /// Locals, module inputs and module outputs evaluated so far, by kind and scoped name.
    pub(super) cache: Mutex<HashMap<(CacheKind, String), Marked>>,
    /// Module inputs whose validations are being checked (their conditions read them).
    pub(super) validating: Mutex<std::collections::HashSet<String>>,
    /// Planning (not applying): impure functions are unknown, and locals are cached even when
    /// unknown. At apply time values become known as resources finish, so only known locals
    /// are cached then.
    planning: bool,
    resources: RwLock<HashMap<String, Instances>>,
}

impl Values {
    pub fn new(stack: Arc<Stack>, vars: BTreeMap<String, Value>, planning: bool) -> Self {
        Values {
            stack,
            vars,
            cache: Mutex::new(HashMap::new()),
            validating: Mutex::new(Default::default()),
            planning,
            resources: RwLock::new(HashMap::new()),
        }
    }

    pub fn stack(&self) -> &Arc<Stack> {
        &self.stack
    }

    pub fn vars(&self) -> &BTreeMap<String, Value> {
        &self.vars
    }

    /// Records how a resource block expands (so `count = 0` reads as an empty list).
    pub fn declare(&self, resource_addr: &str, expansion: Expansion) {
        if let Ok(mut r) = self.resources.write() {
            r.entry(resource_addr.to_string()).or_default().expansion = Some(expansion);
        }
    }

    pub fn set(&self, addr: &InstanceAddr, value: Value) {
        let key = addr.resource_addr();
        if let Ok(mut r) = self.resources.write() {
            r.entry(key)
                .or_default()
                .values
                .insert(addr.key.clone(), value);
        }
    }

    /// Records which parts of an instance's value are sensitive.
    pub fn mark(&self, addr: &InstanceAddr, marks: Marks) {
        let key = addr.resource_addr();
        if let Ok(mut r) = self.resources.write() {
            r.entry(key)
                .or_default()
                .marks
                .insert(addr.key.clone(), marks);
        }
    }

    /// The sensitive parts of an instance's value.
    pub fn marks(&self, addr: &InstanceAddr) -> Marks {
        let key = addr.resource_addr();
        self.resources
            .read()
            .ok()
            .and_then(|r| r.get(&key)?.marks.get(&addr.key).cloned())
            .unwrap_or_default()
    }

    pub fn remove(&self, addr: &InstanceAddr) {
        let key = addr.resource_addr();
        if let Ok(mut r) = self.resources.write() {
            if let Some(i) = r.get_mut(&key) {
                i.values.remove(&addr.key);
                i.marks.remove(&addr.key);
            }
        }
    }

    pub fn get(&self, addr: &InstanceAddr) -> Option<Value> {
        let key = addr.resource_addr();
        self.resources
            .read()
            .ok()?
            .get(&key)?
            .values
            .get(&addr.key)
            .cloned()
    }

    fn aggregate(&self, resource_addr: &str) -> Option<Marked> {
        let r = self.resources.read().ok()?;
        let Some(inst) = r.get(resource_addr) else {
            // Declared in configuration but not evaluated yet (validate, or a failed plan step).
            return self
                .stack
                .resources
                .contains_key(resource_addr)
                .then_some(Value::Unknown.into());
        };
        let marks_of = |k: &Option<IndexKey>| inst.marks.get(k).cloned().unwrap_or_default();
        Some(match inst.expansion {
            Some(Expansion::Unknown) | None if inst.values.is_empty() => Value::Unknown.into(),
            Some(Expansion::Count) => {
                let mut marks = Marks::none();
                for (i, k) in inst.values.keys().enumerate() {
                    marks.nest(&i.to_string(), &marks_of(k));
                }
                Marked::new(Value::List(inst.values.values().cloned().collect()), marks)
            }
            Some(Expansion::ForEach) => {
                let mut marks = Marks::none();
                let mut map = BTreeMap::new();
                for (k, v) in &inst.values {
                    if let Some(IndexKey::Str(s)) = k {
                        marks.nest(s, &marks_of(k));
                        map.insert(s.clone(), v.clone());
                    }
                }
                Marked::new(Value::Object(map), marks)
            }
            _ => match inst.values.get(&None) {
                Some(v) => Marked::new(v.clone(), marks_of(&None)),
                None => Value::Unknown.into(),
            },
        })
    }
}

impl Lookup for Values {
    fn workspace(&self) -> String {
        match self.stack.workspace.as_str() {
            "" => "default".to_string(),
            ws => ws.to_string(),
        }
    }

    fn variable(&self, name: &str) -> Option<Marked> {
        let declared = self.stack.variables.get(name)?;
        let value = self.vars.get(name).cloned().unwrap_or(Value::Unknown);
        Some(Marked::new(value, Marks::whole_if(declared.sensitive)))
    }

    fn module_variable(&self, scope: &Scope, name: &str) -> Option<Result<Marked, Diagnostic>> {
        self.module_input(&format!("{}{name}", scope.prefix))
    }

    fn local(&self, scope: &Scope, name: &str) -> Option<Result<Marked, Diagnostic>> {
        let key = format!("{}{name}", scope.prefix);
        if let Some(v) = self.cached(CacheKind::Local, &key) {
            return Some(Ok(v));
        }
        let local = self.stack.locals.get(&key)?;
        let mut ev = Evaluator::scoped(self, &self.stack.dir, &local.scope);
        let result = ev.eval_marked(&local.expr);
        if let Ok(v) = &result {
            self.remember(CacheKind::Local, key, v);
        }
        Some(result)
    }

    fn resource(&self, scope: &Scope, mode: Mode, type_name: &str, name: &str) -> Option<Marked> {
        self.aggregate(&format!(
            "{}{}",
            scope.prefix,
            resource_address(mode, type_name, name)
        ))
    }

    fn module(&self, scope: &Scope, name: &str) -> Option<Result<Marked, Diagnostic>> {
        self.module_call(&format!("{}module.{name}", scope.prefix))
    }

    fn planning(&self) -> bool {
        self.planning
    }

    fn scoped_check(&self, scope: &Scope, address: &str) -> Option<String> {
        let full = format!("{}{address}", scope.prefix);
        self.stack
            .checks
            .iter()
            .find(|c| c.data.as_ref().is_some_and(|d| d.address() == full))
            .map(|c| c.name.clone())
    }

    fn names(&self, scope: &Scope, kind: NameKind) -> Vec<String> {
        let prefix = &scope.prefix;
        // Names declared directly in this module (not in a module it calls).
        let own = |k: &String| {
            k.strip_prefix(prefix.as_str())
                .filter(|rest| !rest.starts_with("module."))
                .map(str::to_string)
        };
        match kind {
            NameKind::Variable if scope.is_root() => self.stack.variables.keys().cloned().collect(),
            NameKind::Variable => self.stack.module_vars.keys().filter_map(own).collect(),
            NameKind::Local => self.stack.locals.keys().filter_map(own).collect(),
            NameKind::Resource => self.stack.resources.keys().filter_map(own).collect(),
            NameKind::Module => self
                .stack
                .calls
                .keys()
                .filter_map(|k| {
                    k.strip_prefix(&format!("{prefix}module."))
                        .map(str::to_string)
                })
                .filter(|rest| !rest.contains('.'))
                .collect(),
        }
    }
}

impl Values {
    pub(super) fn cached(&self, kind: CacheKind, key: &str) -> Option<Marked> {
        self.cache
            .lock()
            .ok()?
            .get(&(kind, key.to_string()))
            .cloned()
    }

    /// Keeps a computed value: always while planning (the walk is in dependency order), and
    /// at apply time only once it is wholly known.
    pub(super) fn remember(&self, kind: CacheKind, key: String, value: &Marked) {
        if self.planning || value.value.is_wholly_known() {
            if let Ok(mut cache) = self.cache.lock() {
                cache.insert((kind, key), value.clone());
            }
        }
    }
}
