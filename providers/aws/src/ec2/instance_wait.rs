//! Waiting for an instance to reach a state.

use std::time::{Duration, Instant};

use labform_sdk::{OpContext, ProviderError};

use crate::ec2::instance::Instance;
use crate::errors;

impl Instance {
    pub(super) async fn describe(
        &self,
        id: &str,
    ) -> Result<Option<aws_sdk_ec2::types::Instance>, ProviderError> {
        match self
            .aws
            .ec2
            .describe_instances()
            .instance_ids(id)
            .send()
            .await
        {
            Ok(o) => Ok(o
                .reservations()
                .iter()
                .flat_map(|r| r.instances())
                .find(|i| i.instance_id() == Some(id))
                .cloned()),
            Err(e) if errors::is_not_found(&e) => Ok(None),
            Err(e) => Err(errors::sdk(&format!("reading instance `{id}`"), e)),
        }
    }

    /// Waits until the instance is in `want` (`running`, `stopped`, `terminated`).
    pub(super) async fn wait_for(
        &self,
        id: &str,
        want: &str,
        limit: Duration,
        ctx: &OpContext,
    ) -> Result<(), ProviderError> {
        let deadline = Instant::now() + limit;
        let mut pause = Duration::from_millis(200);
        loop {
            let inst = self.describe(id).await?;
            let state = inst
                .as_ref()
                .and_then(|i| i.state())
                .and_then(|s| s.name())
                .map(|n| n.as_str().to_string());
            match state.as_deref() {
                Some(s) if s == want => return Ok(()),
                None if want == "terminated" => return Ok(()),
                Some("terminated") | Some("shutting-down") if want == "running" => {
                    let reason = inst
                        .and_then(|i| {
                            i.state_reason()
                                .and_then(|r| r.message())
                                .map(str::to_string)
                        })
                        .unwrap_or_default();
                    return Err(ProviderError::api(format!(
                        "instance `{id}` was terminated while starting: {reason}"
                    )));
                }
                _ => {}
            }
            if Instant::now() + pause > deadline {
                return Err(ProviderError::transient(format!(
                    "instance `{id}` did not become `{want}` within {} s (it is `{}`)",
                    limit.as_secs(),
                    state.unwrap_or_else(|| "gone".into())
                ))
                .with_hint(
                    "raise the `timeouts` of the resource, or look at the instance in the console",
                ));
            }
            ctx.progress(&format!(
                "waiting for `{want}` (now `{}`)",
                state.as_deref().unwrap_or("unknown")
            ));
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    }
}
