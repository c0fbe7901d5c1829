//! The value table as recorded state gives it, for commands that evaluate without planning:
//! `console`, and the outputs of `apply -refresh-only`.

use labform_state::{IndexKey, StateFile};

use crate::engine::sensitive::schema_marks;
use crate::engine::{Engine, Expansion, Values};
use crate::eval::Marks;

/// Every recorded instance's attributes (with their sensitive marks) in a value table. A
/// resource's expansion is read from its recorded keys; a resource the configuration declares
/// but state lacks reads as unknown, as before its first apply.
pub fn values_from_state(engine: &Engine, state: &StateFile) -> Values {
    let values = engine.values(false);
    for rs in state.resources() {
        let mut expansion = Expansion::Single;
        for inst in rs.instances() {
            let addr = rs.addr(inst.index_key.as_ref());
            if inst.pending.is_some() {
                continue;
            }
            expansion = match addr.key {
                Some(IndexKey::Int(_)) => Expansion::Count,
                Some(IndexKey::Str(_)) => Expansion::ForEach,
                None => Expansion::Single,
            };
            let mut marks = Marks::from_paths(&inst.sensitive_attributes);
            if let Some((_, schema)) = engine.registry.schema(addr.mode, &addr.type_name) {
                marks.union(&schema_marks(schema, &inst.attributes));
            }
            values.set(&addr, inst.attributes.clone());
            values.mark(&addr, marks);
        }
        values.declare(&rs.resource_addr(), expansion);
    }
    values
}
