//! The little the lock needs from the operating system: who we are, whether a process lives,
//! advisory file locks, and the time as RFC 3339.

use std::time::{SystemTime, UNIX_EPOCH};

/// This machine's host name (`localhost` if it cannot be told).
pub(crate) fn hostname() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname writes at most that many bytes.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc == 0 {
            let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
            if let Ok(name) = std::str::from_utf8(&buf[..end]) {
                if !name.is_empty() {
                    return name.to_string();
                }
            }
        }
    }
    std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".to_string())
}

/// The user running us: `$USER`, else the account name of our uid, else `uid<N>`.
pub(crate) fn username() -> String {
    if let Some(user) = ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
    {
        return user;
    }
    #[cfg(unix)]
    {
        // SAFETY: getuid cannot fail.
        let uid = unsafe { libc::getuid() };
        if let Some(name) = account_name(uid) {
            return name;
        }
        return format!("uid{uid}");
    }
    #[allow(unreachable_code)]
    "unknown".to_string()
}

#[cfg(unix)]
fn account_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: passwd is plain data; getpwuid_r fills it with pointers into `buf`, which outlives
    // every use below.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr(pwd.pw_name)
            .to_str()
            .ok()
            .map(str::to_string)
    }
}

/// True when process `pid` exists on this machine (a zombie counts as existing).
pub(crate) fn pid_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // pid 0 and negative pids would address process groups, never one process.
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        if pid <= 0 {
            return false;
        }
        // SAFETY: signal 0 only checks that the process exists and may be signalled.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        // Cannot tell: treat the holder as alive so that a lock is never taken over wrongly.
        let _ = pid;
        true
    }
}

/// Takes an exclusive advisory lock (`flock`) on `file`, waiting for it; `nonblocking`: `false`
/// at once when another open file holds it. The kernel releases it when the file is closed,
/// so a process that dies never leaves it behind.
pub(crate) fn flock_exclusive(file: &std::fs::File, nonblocking: bool) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        let mut op = libc::LOCK_EX;
        if nonblocking {
            op |= libc::LOCK_NB;
        }
        loop {
            // SAFETY: the descriptor is open for the duration of the call (we borrow the file).
            if unsafe { libc::flock(file.as_raw_fd(), op) } == 0 {
                return Ok(true);
            }
            let error = std::io::Error::last_os_error();
            match error.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EWOULDBLOCK) if nonblocking => return Ok(false),
                _ => return Err(error),
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, nonblocking);
        Ok(true)
    }
}

/// The current time in UTC as RFC 3339 with whole seconds: `2026-11-23T14:00:00Z`.
pub(crate) fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339(secs)
}

fn rfc3339(unix_secs: u64) -> String {
    let days = (unix_secs / 86_400) as i64;
    let rem = unix_secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); H. Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_442_400), "2026-11-23T14:00:00Z");
        assert_eq!(rfc3339(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn our_own_process_is_alive_and_pid_zero_is_not() {
        assert!(pid_alive(std::process::id()));
        assert!(!pid_alive(0));
        assert!(!pid_alive(u32::MAX));
    }

    #[test]
    fn names_are_never_empty() {
        assert!(!hostname().is_empty());
        assert!(!username().is_empty());
    }
}
