//! The local lock: contention, waiting, live and dead holders, force-unlock.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::process::{Child, Command};
use std::time::Duration;

use common::store_in;
use labform_state::{LocalStore, LockInfo, Removed, StateError, StateStore};

const NOW: Duration = Duration::ZERO;

fn holder_error(store: &LocalStore) -> LockInfo {
    match store.lock("plan", NOW) {
        Err(StateError::Locked(info)) => *info,
        other => panic!("expected the state to be locked, got {other:?}"),
    }
}

/// Writes a lock file as another process (`pid`) on `host` would have.
fn plant_lock(store: &LocalStore, pid: u32, host: &str) -> LockInfo {
    let mut info = LockInfo::for_this_process("apply", &store.path().display().to_string());
    info.pid = pid;
    info.who = format!("someone@{host}");
    info.host = host.to_string();
    fs::create_dir_all(store.lock_path().parent().expect("dir")).expect("mkdir");
    fs::write(store.lock_path(), serde_json::to_vec(&info).expect("json")).expect("write lock");
    info
}

fn this_host() -> String {
    LockInfo::for_this_process("probe", "").host
}

fn spawn(program: &str, args: &[&str]) -> Child {
    Command::new(program)
        .args(args)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `{program}`: {e}"))
}

#[test]
fn a_second_store_on_the_same_state_is_refused_at_once_naming_the_holder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, second) = (store_in(dir.path()), store_in(dir.path()));
    let guard = first.lock("apply", NOW).expect("lock");
    assert!(guard.took_over().is_none());
    let info = guard.info().clone();
    assert_eq!(info.pid, std::process::id());
    assert_eq!(info.operation, "apply");
    assert!(
        info.who.ends_with(&format!("@{}", info.host)),
        "{}",
        info.who
    );
    assert!(uuid::Uuid::parse_str(&info.id).is_ok());
    assert!(
        info.created.ends_with('Z') && info.created.len() == 20,
        "{}",
        info.created
    );

    let err = second.lock("plan", NOW).expect_err("locked");
    assert_eq!(
        err.to_string(),
        format!(
            "state is locked by `{}` (pid {}) for `apply` since {}\nhint: wait for it to finish, or if it is gone run `labform force-unlock {}`",
            info.who, info.pid, info.created, info.id
        )
    );
    assert_eq!(holder_error(&second), info);
    drop(guard);
    assert!(
        !first.lock_path().exists(),
        "dropping the guard releases the lock"
    );
    second
        .lock("plan", NOW)
        .expect("free again")
        .unlock()
        .expect("unlock");
}

#[test]
fn a_waiting_lock_gets_the_state_when_the_holder_lets_go_or_times_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let guard = store.lock("apply", NOW).expect("lock");
    assert!(matches!(
        store_in(dir.path()).lock("plan", Duration::from_millis(150)),
        Err(StateError::Locked(_))
    ));
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        drop(guard);
    });
    let waited = store_in(dir.path())
        .lock("plan", Duration::from_secs(20))
        .expect("lock after waiting");
    assert_eq!(waited.info().operation, "plan");
    releaser.join().expect("releaser");
}

#[test]
fn a_live_holder_process_keeps_the_lock_and_its_death_frees_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let mut sleeper = spawn("sleep", &["60"]);
    let planted = plant_lock(&store, sleeper.id(), &this_host());
    assert_eq!(
        holder_error(&store),
        planted,
        "a live process on this host holds the lock"
    );

    sleeper.kill().expect("kill");
    sleeper.wait().expect("reap");
    let guard = store.lock("apply", NOW).expect("stale lock taken over");
    assert_eq!(guard.took_over(), Some(&planted));
    let on_disk: LockInfo =
        serde_json::from_slice(&fs::read(store.lock_path()).expect("lock")).expect("json");
    assert_eq!(on_disk.id, guard.id());
}

#[test]
fn a_lock_of_a_dead_process_here_is_taken_over_but_not_one_from_another_host() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let mut done = spawn("true", &[]);
    let dead_pid = done.id();
    done.wait().expect("reap");

    let remote = plant_lock(&store, dead_pid, "some-other-host");
    assert_eq!(
        holder_error(&store),
        remote,
        "we cannot judge processes on another host"
    );

    let planted = plant_lock(&store, dead_pid, &this_host());
    let guard = store.lock("destroy", NOW).expect("taken over");
    assert_eq!(guard.took_over().map(|i| i.pid), Some(planted.pid));
}

#[test]
fn force_unlock_needs_the_right_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let err = store.force_unlock("x").expect_err("not locked");
    assert_eq!(
        err.to_string(),
        format!("state `{}` is not locked", store.path().display())
    );

    let guard = store.lock("apply", NOW).expect("lock");
    let info = guard.info().clone();
    let err = store.force_unlock("wrong-id").expect_err("mismatch");
    assert_eq!(
        err.to_string(),
        format!(
            "lock id `wrong-id` does not match the lock on the state, held by `{}` (pid {}) for `apply` since {} with id `{}`\nhint: run `labform force-unlock {}` if that run is gone",
            info.who, info.pid, info.created, info.id, info.id
        )
    );
    let removed = store.force_unlock(&info.id).expect("force-unlock");
    assert_eq!(removed, Removed::Lock(info.clone()));
    assert_eq!(
        removed.to_string(),
        format!(
            "removed the lock `{}` held by `{}` (pid {}) for `apply` since {}",
            info.id, info.who, info.pid, info.created
        )
    );
    assert!(!store.lock_path().exists());

    // Someone else locks; the old guard, dropped late, must not release their lock.
    let other = store_in(dir.path())
        .lock("plan", NOW)
        .expect("lock after force-unlock");
    drop(guard);
    assert_eq!(holder_error(&store).id, other.id());
}

#[test]
fn an_unreadable_lock_file_says_how_to_clear_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    fs::create_dir_all(store.lock_path().parent().expect("dir")).expect("mkdir");
    fs::write(store.lock_path(), "garbage").expect("write");
    let err = store.lock("apply", NOW).expect_err("bad lock");
    let lock = store.lock_path().display().to_string();
    assert!(
        err.to_string().starts_with(&format!(
            "lock file `{lock}` is unreadable: it is not JSON lock information ("
        )),
        "{err}"
    );
    assert!(
        err.to_string().ends_with(
            "\nhint: if no labform run is using this state, remove it with `labform force-unlock ID` (any ID: the file holds none)"
        ),
        "{err}"
    );

    // Any id removes it (it holds none), and force-unlock says what it removed.
    let removed = store.force_unlock("whatever").expect("force-unlock");
    assert_eq!(
        removed.to_string(),
        format!("removed the unreadable lock file `{lock}` (it is not JSON lock information (expected value at line 1 column 1)); it held \"garbage\"")
    );
    assert!(!store.lock_path().exists());
    store.lock("apply", NOW).expect("lock after force-unlock");
}

#[test]
fn force_unlock_removes_an_empty_lock_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    fs::create_dir_all(store.lock_path().parent().expect("dir")).expect("mkdir");
    fs::write(store.lock_path(), "").expect("write");
    let err = store.lock("apply", NOW).expect_err("bad lock");
    assert!(
        err.to_string().contains("is unreadable: it is empty"),
        "{err}"
    );
    let removed = store.force_unlock("x").expect("force-unlock");
    assert!(
        matches!(&removed, Removed::Unreadable { problem, .. } if problem == "it is empty"),
        "{removed:?}"
    );
    assert!(!store.lock_path().exists());
}

/// Ten contenders see the same stale lock at the same moment, round after round: exactly one
/// takes it over each time, and every other one is refused naming that winner.
#[test]
fn ten_threads_racing_on_a_stale_lock_leave_exactly_one_holder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let mut done = spawn("true", &[]);
    let dead_pid = done.id();
    done.wait().expect("reap");
    for round in 0..100 {
        let stale = plant_lock(&store, dead_pid, &this_host());
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(10));
        let contenders: Vec<_> = (0..10)
            .map(|_| {
                let (store, barrier) = (store_in(dir.path()), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    store.lock("apply", NOW)
                })
            })
            .collect();
        let results: Vec<_> = contenders
            .into_iter()
            .map(|c| c.join().expect("contender"))
            .collect();
        let winners: Vec<&labform_state::LockGuard> =
            results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        let winner = winners[0].info().clone();
        assert_eq!(winners[0].took_over(), Some(&stale), "round {round}");
        for r in &results {
            match r {
                Ok(_) => {}
                Err(StateError::Locked(holder)) => {
                    assert_eq!(**holder, winner, "round {round}: refused naming another")
                }
                Err(e) => panic!("round {round}: {e}"),
            }
        }
        let on_disk: LockInfo =
            serde_json::from_slice(&fs::read(store.lock_path()).expect("lock")).expect("json");
        assert_eq!(on_disk.id, winner.id, "round {round}");
        drop(results);
        assert!(!store.lock_path().exists(), "round {round}: released");
    }
}
