//! What the Glue types known by their name alone share (crawlers, jobs): the id is the name,
//! the ARN `<kind>/<name>`, tags are read and changed by that ARN, and listing goes page by page.

use std::future::Future;

use labform_sdk::{async_trait, BlockSchema, Marked, ReadBack, Result, StackFilter, Typed, Value};

use crate::client::Aws;
use crate::glue::api;
use crate::schema_util as su;
use crate::tags;

/// The kind of object, as its ARN names it (`crawler`, `job`).
pub struct Named(pub &'static str);

impl Named {
    /// How errors name the object: glue job `etl`.
    pub fn what(&self, name: &str) -> String {
        format!("glue {} `{name}`", self.0)
    }

    pub async fn arn(&self, aws: &Aws, name: &str) -> Result<String> {
        let account = aws.account_id().await?;
        Ok(api::arn(aws, &account, &format!("{}/{name}", self.0)))
    }

    /// A value of `schema` holding the object's identity (`id`, `name`, `arn`, `region`) and
    /// its tags, read by ARN, for the caller to fill in the rest.
    pub async fn value(
        &self,
        aws: &Aws,
        schema: &BlockSchema,
        name: &str,
        current: &Value,
    ) -> Result<Value> {
        let arn = self.arn(aws, name).await?;
        let remote = api::tags_of(aws, &arn, &self.what(name)).await?;
        let mut v = schema.empty_value();
        v.set("id", name.into());
        v.set("name", name.into());
        v.set("arn", arn.into());
        v.set("region", aws.region.as_str().into());
        api::set_tags(aws, &mut v, remote, current);
        Ok(v)
    }

    /// Takes the object's tags from `prior` to `planned`.
    pub async fn retag(&self, aws: &Aws, name: &str, prior: &Value, planned: &Value) -> Result<()> {
        let arn = self.arn(aws, name).await?;
        api::update_tags(aws, &arn, &self.what(name), prior, planned).await
    }
}

/// Whether anything but the tags changes: the definition is then sent again.
pub fn definition_changed(schema: &BlockSchema, prior: &Value, planned: &Value) -> bool {
    schema
        .names()
        .filter(|a| !["tags", "tags_all"].contains(a))
        .any(|a| prior.get(a) != planned.get(a))
}

/// Every item of a paged Glue listing: `page(token)` answers one page and the next token.
async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>)>>,
{
    let mut all = Vec::new();
    let mut next = None;
    loop {
        let (items, token) = page(next).await?;
        all.extend(items);
        match token {
            Some(t) if !t.is_empty() => next = Some(t),
            _ => return Ok(all),
        }
    }
}

/// A Glue object read by its name alone: its resource type gets reading, import, adoption
/// of an interrupted create and the sweep's listing from here, and says only how to get,
/// list and map the object.
#[async_trait]
pub trait ByName: Typed + Send + Sync {
    /// The object as the API answers it.
    type Remote: Send + Sync;
    const KIND: Named;

    fn aws(&self) -> &Aws;
    /// The command that removes `name`, for the error about an object not shown to be ours.
    fn removal(name: &str) -> String;
    async fn get(&self, name: &str) -> Result<Option<Self::Remote>>;
    /// One page of the listing, from `next` (the first for `None`), and the next page's token.
    async fn page(&self, next: Option<String>) -> Result<(Vec<Self::Remote>, Option<String>)>;
    /// The state value of `remote`; `current` (state or configuration) keeps what Glue
    /// answers in another spelling.
    async fn value_of(&self, remote: &Self::Remote, current: &Value) -> Result<Value>;

    async fn read_named(&self, name: &str, current: &Value) -> Result<Option<Value>> {
        match self.get(name).await? {
            Some(r) => Ok(Some(self.value_of(&r, current).await?)),
            None => Ok(None),
        }
    }

    async fn read_current(&self, current: &Value) -> Result<Option<Value>> {
        match current.str_attr("name") {
            Some(name) => self.read_named(name, current).await,
            None => Ok(None),
        }
    }

    /// The object of an interrupted create: found by its name, adopted only when it carries
    /// that create's mark (written by the create call itself).
    async fn find(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let name = su::req(intent, "name")?;
        let found = self.read_named(name, intent).await?;
        let what = Self::KIND.what(name);
        api::adopt_named(self.aws(), found, &what, token, &Self::removal(name)).await
    }

    /// Imported by name.
    async fn import_named(&self, id: &str) -> Result<Value> {
        self.read_named(id, &self.schema().empty_value())
            .await?
            .or_absent(&Self::KIND.what(id))
    }

    /// Every object `filter` selects by its marks.
    async fn marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let empty = self.schema().empty_value();
        let mut found = Vec::new();
        for r in &all_pages(|next| self.page(next)).await? {
            found.push(self.value_of(r, &empty).await?);
        }
        Ok(tags::marked(found, filter))
    }
}
