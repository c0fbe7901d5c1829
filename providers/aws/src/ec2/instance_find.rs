//! Finding the instance an interrupted `RunInstances` launched: the call carries the create
//! token as its `ClientToken` (so AWS itself never launches twice for one token, even when the
//! SDK retries the call) and writes the same token as the per-instance tag.

use labform_sdk::{Result, INSTANCE_KEY};

use crate::ec2::filter;
use crate::ec2::instance::Instance;
use crate::errors;

/// The states of an instance that still counts: terminated ones (and those on their way there)
/// stay listed for a while but are gone for every purpose.
const LIVE: [&str; 4] = ["pending", "running", "stopping", "stopped"];

impl Instance {
    /// The id of the live instance launched with `token`. Looked up by the tag written in the
    /// same call (moto cannot filter on `client-token`), then checked against the client token
    /// wherever the API reports it.
    pub(super) async fn launched_with(&self, token: &str) -> Result<Option<String>> {
        let out = self
            .aws
            .ec2
            .describe_instances()
            .filters(filter(&format!("tag:{INSTANCE_KEY}"), &[token]))
            .filters(filter("instance-state-name", &LIVE))
            .send()
            .await
            .map_err(|e| errors::sdk("looking for the instance of an interrupted create", e))?;
        Ok(out
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter(|i| i.client_token().is_none_or(|c| c.is_empty() || c == token))
            .find_map(|i| i.instance_id())
            .map(str::to_string))
    }
}
