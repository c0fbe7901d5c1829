//! Whether an endpoint is on the loopback network (127.0.0.0/8): the only place tests may send
//! a request.

use std::net::Ipv4Addr;

/// `Ok` when `endpoint` (`http://127.0.0.1:9023/x`, `127.0.0.1:9023`) names a literal
/// 127.0.0.0/8 address; otherwise why not. Names (`localhost`) are refused: resolving them is
/// already a lookup outside the test's control.
pub fn check(endpoint: &str) -> Result<(), String> {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host_port,
    };
    match host.parse::<Ipv4Addr>() {
        Ok(ip) if ip.is_loopback() => Ok(()),
        Ok(ip) => Err(format!("`{ip}` is not on 127.0.0.0/8")),
        Err(_) => Err(format!("`{host}` is not a 127.0.0.0/8 address")),
    }
}

#[test]
fn only_loopback_addresses_pass() {
    for ok in [
        "http://127.0.0.1:9023",
        "127.0.0.1:9023",
        "http://127.1.2.3/storage/v1/",
        "https://127.0.0.1:9/bigquery/v2/",
    ] {
        assert_eq!(check(ok), Ok(()), "{ok}");
    }
    for bad in [
        "https://storage.googleapis.com/storage/v1/",
        "http://localhost:9023",
        "http://10.0.0.1:9023",
        "http://[::1]:9023",
        "http://127.0.0.1.example.com:80",
        "",
    ] {
        assert!(check(bad).is_err(), "{bad}");
    }
}
