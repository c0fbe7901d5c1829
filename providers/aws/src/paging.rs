//! Listings read page by page: those the SDK pages itself ([`all_items!`]), and those paged by
//! the last key of the previous page (`ExclusiveStartTagKey`, `ExclusiveStartStreamName`, ...),
//! as Kinesis and Firehose page their tags and names.

use std::collections::BTreeMap;

use labform_sdk::Result;

/// Every item of a listing the SDK pages itself: `$request` (a request builder such as
/// `aws.iam.list_roles()`) sent page after page, the items collected; an error names
/// `$context` (`listing iam roles`). The `Result` comes awaited, so this is used in async code.
/// A macro because each operation's paginator is its own type, with no trait in common.
macro_rules! all_items {
    ($context:expr, $request:expr) => {
        $request
            .into_paginator()
            .items()
            .send()
            .collect::<::std::result::Result<Vec<_>, _>>()
            .await
            .map_err(|e| $crate::errors::sdk($context, e))
    };
}
pub(crate) use all_items;

/// Every item of a listing paged by key: `page(start)` fetches the page after `start` (the first page
/// for `None`) and says whether more follow; `key` is the item's key a next page starts after.
pub async fn after_last_key<T, F, Fut>(mut page: F, key: impl Fn(&T) -> String) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, bool)>>,
{
    let mut out = Vec::new();
    let mut start = None;
    loop {
        let (items, more) = page(start.take()).await?;
        let last = items.last().map(&key);
        out.extend(items);
        // An empty page that claims more would loop forever: it ends the listing.
        match last {
            Some(k) if more => start = Some(k),
            _ => return Ok(out),
        }
    }
}

/// Every tag of a listing paged by tag key: `page` as for [`after_last_key`], `entry` a tag's
/// key and value.
pub async fn tags_after_last_key<T, F, Fut>(
    page: F,
    entry: impl Fn(&T) -> (String, String),
) -> Result<BTreeMap<String, String>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, bool)>>,
{
    let tags = after_last_key(page, |t| entry(t).0).await?;
    Ok(tags.iter().map(entry).collect())
}

#[cfg(test)]
mod tests {
    use super::after_last_key;

    /// Pages of at most 2 of `items`, after the start key, as the API pages them.
    async fn listed(items: &[&str]) -> Vec<String> {
        let all: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        let page = |start: Option<String>| {
            let all = all.clone();
            async move {
                let from =
                    start.map_or(0, |k| all.iter().position(|x| *x == k).map_or(0, |i| i + 1));
                let items: Vec<String> = all.iter().skip(from).take(2).cloned().collect();
                Ok((items, from + 2 < all.len()))
            }
        };
        after_last_key(page, String::clone).await.unwrap()
    }

    #[tokio::test]
    async fn every_page_is_read_once() {
        assert_eq!(listed(&[]).await, Vec::<String>::new());
        assert_eq!(listed(&["a"]).await, ["a"]);
        assert_eq!(listed(&["a", "b"]).await, ["a", "b"]);
        assert_eq!(
            listed(&["a", "b", "c", "d", "e"]).await,
            ["a", "b", "c", "d", "e"]
        );
    }

    #[tokio::test]
    async fn an_empty_page_that_claims_more_ends_the_listing() {
        let got = after_last_key(
            |_| async { Ok((Vec::<String>::new(), true)) },
            String::clone,
        )
        .await
        .unwrap();
        assert!(got.is_empty());
    }
}
