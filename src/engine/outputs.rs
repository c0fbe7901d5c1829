//! The root module's output values as state records them.

use std::collections::BTreeMap;

use labform_state::{terraform_type_of, OutputState};

use super::{Engine, Values};
use crate::eval::Evaluator;

impl Engine {
    /// The root module's outputs evaluated over `values`. An output that cannot be evaluated
    /// or is not wholly known is left out, as Terraform leaves it out of state. A value found
    /// sensitive only now (computed from a secret during apply) is recorded as sensitive: it is
    /// never printed.
    pub fn recorded_outputs(&self, values: &Values) -> BTreeMap<String, OutputState> {
        let mut out = BTreeMap::new();
        let mut ev = Evaluator::new(values, &self.stack.dir);
        for o in self.stack.outputs.values() {
            if let Ok(m) = ev.eval_marked(&o.value) {
                if m.value.is_wholly_known() {
                    out.insert(
                        o.name.clone(),
                        OutputState {
                            ty: terraform_type_of(&m.value),
                            sensitive: o.sensitive || m.is_marked(),
                            value: m.value,
                        },
                    );
                }
            }
        }
        out
    }
}
