//! A kill campaign: applies and destroys of one stack, alternately, killed with SIGKILL at random
//! moments, each followed by a count of the objects that really exist (by a separate client),
//! then one apply (which must converge, with a clean plan after it) and one destroy to the end. Every provider's suite runs one against its real API.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::Stack;

/// What a campaign did, printed so a CI log shows the numbers.
#[derive(Debug, Default)]
pub struct Report {
    /// Runs that were still going when killed with SIGKILL.
    pub kills: usize,
    /// Killed runs that had already finished when the signal came (they count as no kill).
    pub finished_before_kill: usize,
    /// The largest count seen between steps (more than expected means a duplicate).
    pub max_seen: usize,
}

/// A campaign over `stack`, whose configuration makes `expected` objects.
pub struct Campaign<'a> {
    pub stack: &'a Stack,
    pub expected: usize,
    /// Runs killed with SIGKILL: applies and destroys alternately.
    pub kills: usize,
    /// Kills land uniformly at random in `[0, window)` after the start of a run.
    pub window: Duration,
}

impl<'a> Campaign<'a> {
    pub fn new(stack: &'a Stack, expected: usize) -> Self {
        Campaign {
            stack,
            expected,
            kills: 12,
            window: Duration::from_millis(1500),
        }
    }

    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        self.stack.command(args)
    }

    /// Runs `args` and kills it after `delay`; true when it was still running.
    fn killed_run(&self, args: &[&str], delay: Duration) -> bool {
        let mut child = self
            .command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn labform");
        let start = Instant::now();
        while start.elapsed() < delay {
            if let Ok(Some(_)) = child.try_wait() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let running = matches!(child.try_wait(), Ok(None));
        let _ = child.kill();
        let _ = child.wait();
        running
    }

    #[track_caller]
    fn full_run(&self, args: &[&str]) {
        let out = self.command(args).output().expect("run labform");
        assert!(
            out.status.success(),
            "`labform {}` did not converge\n--- stdout\n{}\n--- stderr\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs the campaign. `count` asks a separate client how many of the stack's objects exist
    /// (by its mark); it must never exceed `expected` (a duplicate), must equal it after the
    /// converging apply, and must reach zero after the final destroy. Panics with the step and
    /// the counts otherwise; returns the report and prints it.
    #[track_caller]
    pub fn run(&self, label: &str, count: impl Fn() -> usize) -> Report {
        let mut rng = Lcg::seeded();
        eprintln!("[{label}] kill campaign, seed {}", rng.0);
        let mut report = Report::default();
        let check = |step: &str, report: &mut Report| {
            let n = count();
            eprintln!(
                "[{label}] after {step}: {n} object(s) (expected at most {})",
                self.expected
            );
            report.max_seen = report.max_seen.max(n);
            assert!(
                n <= self.expected,
                "[{label}] {n} objects after {step}: more than the {} the stack makes (a duplicate)",
                self.expected
            );
            n
        };
        let apply = ["apply", "-auto-approve"];
        let destroy = ["destroy", "-auto-approve"];
        // Killed applies and destroys alternate, so that every run has work in flight.
        for i in 0..self.kills {
            let (args, verb) = if i % 2 == 0 {
                (&apply, "apply")
            } else {
                (&destroy, "destroy")
            };
            let delay = rng.below(self.window);
            if self.killed_run(args, delay) {
                report.kills += 1;
            } else {
                report.finished_before_kill += 1;
            }
            check(&format!("{verb} #{i} killed at {delay:?}"), &mut report);
        }
        self.full_run(&apply);
        let n = check("the converging apply", &mut report);
        assert_eq!(
            n, self.expected,
            "[{label}] the converging apply left {n} objects"
        );
        let recorded = self.stack.state_list().len();
        assert!(
            recorded >= self.expected,
            "[{label}] state records {recorded} instances for {} objects",
            self.expected
        );
        self.full_run(&["plan", "-detailed-exitcode"]);
        self.full_run(&destroy);
        let n = check("the final destroy", &mut report);
        assert_eq!(n, 0, "[{label}] the final destroy left {n} objects");
        assert!(
            self.stack.state_list().is_empty(),
            "[{label}] state still lists instances after destroy"
        );
        eprintln!("[{label}] {report:?}");
        report
    }
}

/// A small deterministic generator (the seed is printed, so a failing run can be replayed).
struct Lcg(u64);

impl Lcg {
    fn seeded() -> Lcg {
        let seed = std::env::var("LABFORM_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        Lcg(seed)
    }

    fn below(&mut self, max: Duration) -> Duration {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let frac = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        max.mul_f64(frac)
    }
}
