//! Ten runs start at once on a state whose lock was left by a process that died: exactly one
//! takes the stale lock over, and the nine others fail at once naming that one as the holder.

use std::process::{Child, Stdio};

use crate::common::Stack;

/// An apply that holds the lock for two seconds, longer than the losers take to give up.
const HOLDS_THE_LOCK: &str = r#"
resource "time_sleep" "hold" {
  create_duration = "2s"
}
"#;

fn dead_pid() -> u32 {
    let mut gone = std::process::Command::new("true")
        .spawn()
        .expect("spawn true");
    let pid = gone.id();
    gone.wait().expect("reap");
    pid
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .expect("host name")
}

#[test]
fn ten_runs_racing_on_a_stale_lock_leave_exactly_one_holder() {
    for round in 0..3 {
        let s = Stack::with(HOLDS_THE_LOCK);
        let dead = dead_pid();
        s.file(
            ".labform/state.json.lock",
            &format!(
                r#"{{"id":"stale-{round}","operation":"apply","who":"ci@{host}","host":"{host}","pid":{dead},"created":"2026-01-01T00:00:00Z","path":"x","version":"0.1.0"}}"#,
                host = hostname()
            ),
        );
        let runs: Vec<Child> = (0..10)
            .map(|_| {
                s.command(&["apply", "-auto-approve"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn labform")
            })
            .collect();
        let outcomes: Vec<(u32, Option<i32>, String)> = runs
            .into_iter()
            .map(|c| {
                let pid = c.id();
                let out = c.wait_with_output().expect("wait");
                let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                (pid, out.status.code(), stderr)
            })
            .collect();
        let shown: String = outcomes
            .iter()
            .map(|(pid, code, err)| format!("--- pid {pid} exit {code:?}\n{err}"))
            .collect();

        let winners: Vec<u32> = outcomes
            .iter()
            .filter(|(_, code, _)| *code == Some(0))
            .map(|(pid, _, _)| *pid)
            .collect();
        assert_eq!(
            winners.len(),
            1,
            "round {round}: winners {winners:?}\n{shown}"
        );
        let winner = winners[0];
        let took_over = format!("took over a stale state lock left by pid {dead}");
        for (pid, code, stderr) in &outcomes {
            if *pid == winner {
                assert!(stderr.contains(&took_over), "round {round}\n{shown}");
                continue;
            }
            assert_eq!(*code, Some(1), "round {round}\n{shown}");
            assert!(
                stderr.contains("state is locked by")
                    && stderr.contains(&format!("(pid {winner}) for `apply`")),
                "round {round}: pid {pid} did not name the winner {winner}\n{shown}"
            );
            assert!(!stderr.contains(&took_over), "round {round}\n{shown}");
        }
        assert!(
            !s.path().join(".labform/state.json.lock").exists(),
            "round {round}: the winner did not release the lock"
        );
        assert_eq!(s.state_list(), ["time_sleep.hold"], "round {round}");
    }
}
