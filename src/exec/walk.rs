//! A bounded-parallel walk over a DAG of operations: each starts when all it depends on
//! succeeded; a failure skips everything that depends on it; independent branches go on.

use std::collections::VecDeque;
use std::future::Future;

use futures::stream::{FuturesUnordered, StreamExt};

use super::interrupt::Cancel;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed,
    /// Something it depends on failed.
    Skipped,
    /// Not started because of an interrupt.
    NotStarted,
}

/// Runs `run(i)` for every node `i` after all of `deps[i]`, at most `parallelism` at once.
pub async fn walk<F, Fut>(
    deps: &[Vec<usize>],
    parallelism: usize,
    cancel: &Cancel,
    run: F,
) -> Vec<Outcome>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = bool>,
{
    let n = deps.len();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            if d < n && d != i {
                dependents[d].push(i);
                waiting[i] += 1;
            }
        }
    }
    let mut outcome: Vec<Option<Outcome>> = vec![None; n];
    let mut ready: VecDeque<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < parallelism.max(1) && !cancel.is_cancelled() {
            let Some(i) = ready.pop_front() else { break };
            let fut = run(i);
            running.push(async move { (i, fut.await) });
        }
        let Some((i, ok)) = running.next().await else {
            break;
        };
        if ok {
            outcome[i] = Some(Outcome::Done);
            for &d in &dependents[i] {
                waiting[d] -= 1;
                if waiting[d] == 0 && outcome[d].is_none() {
                    ready.push_back(d);
                }
            }
        } else {
            outcome[i] = Some(Outcome::Failed);
            let mut stack = dependents[i].clone();
            while let Some(d) = stack.pop() {
                if outcome[d].is_none() {
                    outcome[d] = Some(Outcome::Skipped);
                    stack.extend(dependents[d].iter().copied());
                }
            }
        }
    }
    outcome
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::NotStarted))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[tokio::test]
    async fn runs_in_dependency_order_and_skips_after_failure() {
        // 0 -> 1 -> 2, and 3 independent; 1 fails.
        let deps = vec![vec![], vec![0], vec![1], vec![]];
        let order = Mutex::new(Vec::new());
        let out = walk(&deps, 2, &Cancel::default(), |i| {
            order.lock().unwrap().push(i);
            async move { i != 1 }
        })
        .await;
        assert_eq!(
            out,
            vec![
                Outcome::Done,
                Outcome::Failed,
                Outcome::Skipped,
                Outcome::Done
            ]
        );
        let order = order.into_inner().unwrap();
        assert!(order.iter().position(|&x| x == 0) < order.iter().position(|&x| x == 1));
        assert!(!order.contains(&2));
    }

    #[tokio::test]
    async fn cancel_stops_new_work() {
        let deps = vec![vec![], vec![0]];
        let cancel = Cancel::default();
        let out = walk(&deps, 1, &cancel, |_| {
            cancel.cancel();
            async { true }
        })
        .await;
        assert_eq!(out, vec![Outcome::Done, Outcome::NotStarted]);
    }
}
