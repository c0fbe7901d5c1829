//! The calls of a subnet group API (describe, list, create, modify, delete) that
//! [`crate::subnet_group`] is built on. RDS and Redshift shape them alike but name every
//! operation and field their own way, in SDK types with no trait in common:
//! [`subnet_group_calls!`] writes them once for both.

use std::collections::BTreeMap;

use labform_sdk::{async_trait, Result};

use crate::client::Aws;

/// What a create or a modify call sends.
pub struct Spec<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub subnet_ids: Vec<String>,
}

/// A service's subnet group calls. `doing` is the context a call names in its errors
/// (`creating db subnet group `x``).
#[async_trait]
pub trait Calls: Send + Sync + 'static {
    /// A group as the service answers it.
    type Group: Send + Sync;

    /// The name, the description and the subnet ids of `g`.
    fn basics(g: &Self::Group) -> (String, String, Vec<String>);

    /// The group `name`, `None` when there is none.
    async fn describe_group(aws: &Aws, name: &str, doing: &str) -> Result<Option<Self::Group>>;

    /// Every group of the region.
    async fn list_groups(aws: &Aws, doing: &str) -> Result<Vec<Self::Group>>;

    async fn create(
        aws: &Aws,
        group: Spec<'_>,
        tags: &BTreeMap<String, String>,
        doing: &str,
    ) -> Result<()>;

    async fn modify(aws: &Aws, group: Spec<'_>, doing: &str) -> Result<()>;

    /// Deletes the group `name`; one already gone counts as done.
    async fn delete(aws: &Aws, name: &str, doing: &str) -> Result<()>;
}

/// Sends `$request` (a create or a modify) with the group's name, description and subnets from
/// the [`Spec`] `$group`, in the service's words `$name` and `$description`.
macro_rules! send_spec {
    ($request:expr, $name:ident, $description:ident, $group:expr, $doing:expr) => {
        $request
            .$name($group.name)
            .$description($group.description)
            .set_subnet_ids(Some($group.subnet_ids))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| $crate::errors::sdk($doing, e))
    };
}
pub(crate) use send_spec;

/// Implements [`Calls`] for `$kind` with the service's client `aws.$client` and its `$group`
/// type: `describe`, `create`, `modify` and `delete` name its operations, `groups` the list a
/// describe answers, `name` and `description` the group's fields (each the same word in the
/// requests and in the answer), `sdk_tags` the function that makes the service's tags.
macro_rules! subnet_group_calls {
    ($kind:ty, $client:ident, $group:ty {
        describe: $describe:ident,
        create: $create:ident,
        modify: $modify:ident,
        delete: $delete:ident,
        groups: $groups:ident,
        name: $name:ident,
        description: $description:ident,
        sdk_tags: $sdk_tags:path $(,)?
    }) => {
        #[labform_sdk::async_trait]
        impl $crate::subnet_group_calls::Calls for $kind {
            type Group = $group;

            fn basics(g: &$group) -> (String, String, Vec<String>) {
                let subnets = g
                    .subnets()
                    .iter()
                    .filter_map(|s| s.subnet_identifier().map(str::to_string));
                (
                    g.$name().unwrap_or_default().to_string(),
                    g.$description().unwrap_or_default().to_string(),
                    subnets.collect(),
                )
            }

            async fn describe_group(
                aws: &$crate::client::Aws,
                name: &str,
                doing: &str,
            ) -> labform_sdk::Result<Option<$group>> {
                $crate::errors::found_first(
                    doing,
                    aws.$client.$describe().$name(name).send().await,
                    |o| o.$groups().first().cloned(),
                )
            }

            async fn list_groups(
                aws: &$crate::client::Aws,
                doing: &str,
            ) -> labform_sdk::Result<Vec<$group>> {
                $crate::paging::all_items!(doing, aws.$client.$describe())
            }

            async fn create(
                aws: &$crate::client::Aws,
                group: $crate::subnet_group_calls::Spec<'_>,
                tags: &std::collections::BTreeMap<String, String>,
                doing: &str,
            ) -> labform_sdk::Result<()> {
                let request = aws.$client.$create().set_tags(Some($sdk_tags(tags)));
                $crate::subnet_group_calls::send_spec!(request, $name, $description, group, doing)
            }

            async fn modify(
                aws: &$crate::client::Aws,
                group: $crate::subnet_group_calls::Spec<'_>,
                doing: &str,
            ) -> labform_sdk::Result<()> {
                $crate::subnet_group_calls::send_spec!(
                    aws.$client.$modify(),
                    $name,
                    $description,
                    group,
                    doing
                )
            }

            async fn delete(
                aws: &$crate::client::Aws,
                name: &str,
                doing: &str,
            ) -> labform_sdk::Result<()> {
                $crate::retry::delete(doing, || aws.$client.$delete().$name(name).send()).await
            }
        }
    };
}
pub(crate) use subnet_group_calls;
