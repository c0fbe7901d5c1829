//! The tags of the services that write them by resource ARN with `Tag { key, value }` items
//! (RDS, Redshift). Each SDK has its own `Tag` type and names its two calls its own way, the
//! logic is the same: [`arn_tags!`] writes it once into each service's module.

/// Defines, in the module of the service whose SDK crate is `$sdk` and client `aws.$client`:
/// `sdk_tags` (a tag map as the service's tags), `tag_map` (the service's tags as a map) and
/// `retag`, which brings the tags of an object from what `prior` recorded to what `planned`
/// asks for through the calls `$untag` and `$tag`, both by ARN.
macro_rules! arn_tags {
    ($sdk:ident, $client:ident, untag: $untag:ident, tag: $tag:ident) => {
        /// The service's tags for a create or tag call.
        pub fn sdk_tags(
            tags: &std::collections::BTreeMap<String, String>,
        ) -> Vec<$sdk::types::Tag> {
            tags.iter()
                .map(|(k, v)| $sdk::types::Tag::builder().key(k).value(v).build())
                .collect()
        }

        /// Tags of an object of the service as a map.
        pub fn tag_map(tags: &[$sdk::types::Tag]) -> std::collections::BTreeMap<String, String> {
            tags.iter()
                .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
                .collect()
        }

        /// Brings the tags of the object `arn` from what `prior` recorded to what `planned`
        /// asks for.
        pub async fn retag(
            aws: &$crate::client::Aws,
            arn: &str,
            prior: &labform_sdk::Value,
            planned: &labform_sdk::Value,
        ) -> labform_sdk::Result<()> {
            let client = &aws.$client;
            $crate::tags::write(
                &format!("`{arn}`"),
                $crate::tags::changes(aws, prior, planned),
                $crate::tags::UNLIMITED,
                |keys| {
                    client
                        .$untag()
                        .resource_name(arn)
                        .set_tag_keys(Some(keys))
                        .send()
                },
                |set| {
                    client
                        .$tag()
                        .resource_name(arn)
                        .set_tags(Some(sdk_tags(&set)))
                        .send()
                },
            )
            .await
        }
    };
}
pub(crate) use arn_tags;
