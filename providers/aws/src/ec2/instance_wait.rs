//! Waiting for an instance to reach a state.

use std::time::Duration;

use labform_sdk::wait::{self, Poll};
use labform_sdk::{OpContext, ProviderError, Result};

use crate::ec2::instance::Instance;
use crate::errors;

impl Instance {
    /// The instance as the API describes it now (`None` when it is gone).
    pub(super) async fn describe(&self, id: &str) -> Result<Option<aws_sdk_ec2::types::Instance>> {
        Ok(self.describe_owned(id).await?.map(|(i, _)| i))
    }

    /// [`Instance::describe`], with the account that owns the instance (its reservation's).
    pub(super) async fn describe_owned(
        &self,
        id: &str,
    ) -> Result<Option<(aws_sdk_ec2::types::Instance, String)>> {
        let answer = self
            .aws
            .ec2
            .describe_instances()
            .instance_ids(id)
            .send()
            .await;
        errors::found_first(&format!("reading instance `{id}`"), answer, |out| {
            out.reservations().iter().find_map(|r| {
                let i = r.instances().iter().find(|i| i.instance_id() == Some(id))?;
                Some((i.clone(), r.owner_id().unwrap_or("").to_string()))
            })
        })
    }

    /// Waits until the instance is in `want` (`running`, `stopped`, `terminated`).
    pub(super) async fn wait_for(
        &self,
        id: &str,
        want: &str,
        limit: Duration,
        ctx: &OpContext,
    ) -> Result<()> {
        wait::until(&format!("instance `{id}`"), want, limit, ctx, || async {
            let inst = self.describe(id).await?;
            let state = inst
                .as_ref()
                .and_then(|i| i.state())
                .and_then(|s| s.name())
                .map(|n| n.as_str().to_string());
            Ok(match state.as_deref() {
                Some(s) if s == want => Poll::Done,
                None if want == "terminated" => Poll::Done,
                Some("terminated") | Some("shutting-down") if want == "running" => {
                    let reason = inst
                        .and_then(|i| {
                            i.state_reason()
                                .and_then(|r| r.message())
                                .map(str::to_string)
                        })
                        .unwrap_or_default();
                    Poll::Failed(ProviderError::api(format!(
                        "instance `{id}` was terminated while starting: {reason}"
                    )))
                }
                other => Poll::Pending(other.unwrap_or("gone").to_string()),
            })
        })
        .await
    }
}
