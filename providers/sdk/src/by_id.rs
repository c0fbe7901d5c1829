//! For resource types whose objects are read by one id ([`Resource::read_id`]): the read-back
//! after a create or an update, and listings read object by object, written once for all of
//! them. (`read` and `import` by id are [`Resource`]'s default methods.)

use crate::error::{ReadBack, Result};
use crate::resource::Resource;
use crate::value::Value;

/// [`Resource::import`]'s default: reads the object `id` into [`Resource::blank`], a not-found
/// error when there is none. For a type whose own `import` checks the id first.
pub async fn import<R: Resource + ?Sized>(r: &R, id: &str) -> Result<Value> {
    r.read_id(id, &r.blank())
        .await?
        .or_absent(&format!("{} `{id}`", r.noun()))
}

/// The object just created as `id`, read back (an error if it vanished at once).
pub async fn created<R: Resource + ?Sized>(r: &R, id: &str, planned: &Value) -> Result<Value> {
    read_back(r, id, planned, <Option<Value>>::or_vanished).await
}

/// The object just updated, read back (an error if it was deleted meanwhile).
pub async fn updated<R: Resource + ?Sized>(r: &R, id: &str, planned: &Value) -> Result<Value> {
    read_back(r, id, planned, <Option<Value>>::or_gone).await
}

async fn read_back<R: Resource + ?Sized>(
    r: &R,
    id: &str,
    planned: &Value,
    missing: fn(Option<Value>, &str) -> Result<Value>,
) -> Result<Value> {
    missing(
        r.read_id(id, planned).await?,
        &format!("{} `{id}`", r.noun()),
    )
}

/// Reads each of `ids` (from one listing call) in full, leaving out those gone since: for
/// types whose value needs more than the listing answer holds.
pub async fn read_all<R: Resource + ?Sized>(r: &R, ids: &[String]) -> Result<Vec<Value>> {
    let blank = r.blank();
    let mut found = Vec::new();
    for id in ids {
        found.extend(r.read_id(id, &blank).await?);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;

    use crate::error::ErrorKind;
    use crate::resource::OpContext;
    use crate::schema::{Attribute, BlockSchema};
    use crate::types::Type;

    use super::*;

    /// A type that reads by id: it writes `read_id`, not `read` or `import`.
    struct Thing {
        schema: BlockSchema,
    }

    fn thing() -> Thing {
        let schema = BlockSchema::new().attr("id", Attribute::computed(Type::String));
        Thing { schema }
    }

    crate::typed!(impl Thing("test_thing", "thing"));

    #[async_trait]
    impl Resource for Thing {
        async fn read_id(&self, id: &str, prior: &Value) -> Result<Option<Value>> {
            let mut v = prior.clone();
            v.set("id", id.into());
            Ok((id == "there").then_some(v))
        }
        async fn create(&self, p: &Value, _: &OpContext) -> Result<Value> {
            Ok(p.clone())
        }
        async fn find_interrupted(&self, _: &Value, _: &str) -> Result<Option<Value>> {
            Ok(None)
        }
        async fn update(&self, _: &Value, p: &Value, _: &OpContext) -> Result<Value> {
            Ok(p.clone())
        }
        async fn delete(&self, _: &Value, _: &OpContext) -> Result<()> {
            Ok(())
        }
    }

    fn recorded(id: &str) -> Value {
        let mut v = Value::object();
        v.set("id", id.into());
        v
    }

    #[tokio::test]
    async fn read_and_import_default_to_read_id() {
        let t = thing();
        let read = t.read(&recorded("there")).await;
        assert_eq!(
            read.ok()
                .flatten()
                .and_then(|v| v.str_attr("id").map(String::from)),
            Some("there".into())
        );
        assert!(matches!(t.read(&recorded("gone")).await, Ok(None)));
        assert!(matches!(t.read(&Value::object()).await, Ok(None)));
        assert!(t.import("there").await.is_ok());
        let err = t.import("gone").await.err();
        assert_eq!(err.as_ref().map(|e| e.kind), Some(ErrorKind::NotFound));
        assert!(err.is_some_and(|e| e.message.contains("thing `gone`")));
    }
}
