//! Waiting for a cloud object to reach a status: instances to run, streams and databases to
//! become available, objects to be gone after a delete. One loop with back-off, a deadline
//! from the resource's `timeouts`, progress lines and the error a user acts on.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::{OpContext, ProviderError};

/// The first pause between two reads; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(200);
const MAX_PAUSE: Duration = Duration::from_secs(5);

/// What one read of the object says.
#[derive(Debug)]
pub enum Poll {
    /// The goal is reached.
    Done,
    /// Not yet: the object's status now, shown in progress lines and the timeout error.
    Pending(String),
    /// The goal can no longer be reached (failed, deleted while creating).
    Failed(ProviderError),
}

/// Reads `probe` until it answers [`Poll::Done`], for at most `limit`. `what` names the object
/// (`kinesis stream \`events\``) and `goal` the status waited for (`ACTIVE`, `gone`).
pub async fn until<F, Fut>(
    what: &str,
    goal: &str,
    limit: Duration,
    ctx: &OpContext,
    mut probe: F,
) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll>>,
{
    let deadline = Instant::now() + limit;
    let mut pause = FIRST_PAUSE;
    loop {
        let now = match probe().await? {
            Poll::Done => return Ok(()),
            Poll::Failed(e) => return Err(e),
            Poll::Pending(now) => now,
        };
        if Instant::now() + pause > deadline {
            return Err(ProviderError::transient(format!(
                "{what} did not become `{goal}` within {} s (it is `{now}`)",
                limit.as_secs()
            ))
            .with_hint(format!(
                "raise the `timeouts` of the resource, or look at the {} in the console",
                noun_of(what)
            )));
        }
        ctx.progress(&format!(
            "waiting for {what} to become `{goal}` (now `{now}`)"
        ));
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

/// `kinesis stream` of `kinesis stream \`events\``: the kind of object, for the hint.
fn noun_of(what: &str) -> &str {
    what.split(" `").next().unwrap_or(what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn ctx() -> (OpContext, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let ctx = OpContext::new(
            "aws_x.a",
            Arc::new(move |_: &str, m: &str| sink.lock().unwrap().push(m.to_string())),
        );
        (ctx, lines)
    }

    #[tokio::test(start_paused = true)]
    async fn waits_through_pending_reads_until_done() {
        let (ctx, lines) = ctx();
        let mut reads = 0;
        let r = until(
            "stream `s`",
            "ACTIVE",
            Duration::from_secs(60),
            &ctx,
            || {
                reads += 1;
                let n = reads;
                async move {
                    Ok(if n < 3 {
                        Poll::Pending("CREATING".into())
                    } else {
                        Poll::Done
                    })
                }
            },
        )
        .await;
        assert!(r.is_ok());
        assert_eq!(reads, 3);
        assert_eq!(
            lines.lock().unwrap()[0],
            "waiting for stream `s` to become `ACTIVE` (now `CREATING`)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_deadline_naming_the_last_status() {
        let (ctx, _) = ctx();
        let e = until(
            "db instance `d`",
            "available",
            Duration::from_secs(3),
            &ctx,
            || async { Ok(Poll::Pending("creating".into())) },
        )
        .await
        .unwrap_err();
        assert!(
            e.to_string().contains(
                "db instance `d` did not become `available` within 3 s (it is `creating`)"
            ),
            "{e}"
        );
        assert!(
            e.hint
                .as_deref()
                .unwrap_or_default()
                .contains("look at the db instance"),
            "{e:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_read_stops_the_wait_with_its_error() {
        let (ctx, _) = ctx();
        let e = until("x `y`", "ACTIVE", Duration::from_secs(60), &ctx, || async {
            Ok(Poll::Failed(ProviderError::api("it broke")))
        })
        .await
        .unwrap_err();
        assert!(e.to_string().contains("it broke"));
    }
}
