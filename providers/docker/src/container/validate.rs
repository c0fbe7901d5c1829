//! Checks on a `docker_container` configuration before any API call.

use labform_sdk::{ProviderError, Result, Value};

use super::spec::go_nanos;

pub fn validate(config: &Value) -> Result<()> {
    if let Some(name) = config.str_attr("name") {
        let ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !ok {
            return Err(ProviderError::invalid(format!(
                "container name `{name}` is not valid: use letters, digits, `_`, `.` and `-`, starting with a letter or digit"
            )));
        }
    }
    if let Some(restart) = config.str_attr("restart") {
        if !["no", "on-failure", "always", "unless-stopped"].contains(&restart) {
            return Err(ProviderError::invalid(format!(
                "`restart` must be one of `no`, `on-failure`, `always`, `unless-stopped`, not `{restart}`"
            )));
        }
    }
    for key in [
        "memory",
        "memory_swap",
        "cpu_shares",
        "shm_size",
        "destroy_grace_seconds",
        "wait_timeout",
    ] {
        if let Some(n) = config.get(key).as_f64() {
            let min = if key == "memory_swap" { -1.0 } else { 0.0 };
            if n < min {
                return Err(ProviderError::invalid(format!(
                    "`{key}` must not be below {min}, got {n}"
                )));
            }
        }
    }
    for h in config.list_attr("healthcheck") {
        for key in ["interval", "timeout", "start_period", "start_interval"] {
            if let Some(text) = h.str_attr(key) {
                if go_nanos(text).is_none() {
                    return Err(ProviderError::invalid(format!(
                        "healthcheck `{key}` = `{text}` is not a duration"
                    ))
                    .with_hint("use Go durations such as `5s`, `1m30s` or `500ms`"));
                }
            }
        }
    }
    let mut seen = Vec::new();
    for p in config.list_attr("ports") {
        if let Some(internal) = p.get("internal").as_f64() {
            if !(1.0..=65535.0).contains(&internal) {
                return Err(ProviderError::invalid(format!(
                    "port `internal` = {internal} is not a port number"
                )));
            }
        }
        if let Some(external) = p.get("external").as_f64() {
            if !(0.0..=65535.0).contains(&external) {
                return Err(ProviderError::invalid(format!(
                    "port `external` = {external} is not a port number"
                )));
            }
            let key = (
                external as i64,
                p.str_attr("ip").unwrap_or("0.0.0.0").to_string(),
            );
            if external > 0.0 && seen.contains(&key) {
                return Err(ProviderError::invalid(format!(
                    "host port `{}` is published twice in `ports`",
                    external as i64
                )));
            }
            seen.push(key);
        }
        if let Some(proto) = p.str_attr("protocol") {
            if !["tcp", "udp", "sctp"].contains(&proto) {
                return Err(ProviderError::invalid(format!(
                    "port `protocol` must be `tcp`, `udp` or `sctp`, not `{proto}`"
                )));
            }
        }
    }
    for v in config.list_attr("volumes") {
        let has_from = !v.get("from_container").is_null();
        let has_path = !v.get("container_path").is_null();
        if has_from == has_path && v.is_wholly_known() {
            return Err(ProviderError::invalid(
                "each `volumes` block needs exactly one of `container_path` or `from_container`",
            ));
        }
        if let Some(host) = v.str_attr("host_path") {
            if !host.starts_with('/') {
                return Err(ProviderError::invalid(format!(
                    "volume `host_path` = `{host}` must be an absolute path"
                ))
                .with_hint("use `abspath(\"...\")` or `\"${path.module}/...\"`"));
            }
        }
    }
    for m in config.list_attr("mounts") {
        if let Some(t) = m.str_attr("type") {
            if !["bind", "volume", "tmpfs"].contains(&t) {
                return Err(ProviderError::invalid(format!(
                    "mount `type` must be `bind`, `volume` or `tmpfs`, not `{t}`"
                )));
            }
        }
    }
    for u in config.list_attr("upload") {
        super::upload::validate(u)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: Vec<(&str, Value)>) -> Value {
        let mut v = super::super::schema::schema().empty_value();
        for (k, val) in pairs {
            v.set(k, val);
        }
        v
    }

    #[test]
    fn rejects_bad_names_restart_and_durations() {
        assert!(validate(&config(vec![("name", "/bad name".into())])).is_err());
        assert!(validate(&config(vec![("name", "db-1".into())])).is_ok());
        assert!(validate(&config(vec![("restart", "sometimes".into())])).is_err());
        let hc = Value::List(vec![Value::from_pairs([(
            "interval",
            Value::from("5 seconds"),
        )])]);
        assert!(validate(&config(vec![("healthcheck", hc)])).is_err());
    }

    #[test]
    fn rejects_a_port_published_twice() {
        let port = |e: f64| {
            Value::from_pairs([
                ("internal", Value::Number(80.0)),
                ("external", Value::Number(e)),
                ("ip", "127.0.0.1".into()),
            ])
        };
        assert!(validate(&config(vec![(
            "ports",
            Value::List(vec![port(8080.0), port(8080.0)])
        )]))
        .is_err());
        assert!(validate(&config(vec![(
            "ports",
            Value::List(vec![port(8080.0), port(8081.0)])
        )]))
        .is_ok());
    }
}
