//! `ports:` in short (`[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`, ranges) and long syntax.

use super::values::{check_keys, Ctx};
use super::yaml::{Kind, Node};
use crate::diag::{Diagnostic, Diagnostics};

/// One published port, as a `ports { }` block of `docker_container`.
#[derive(Clone, Debug, PartialEq)]
pub struct Port {
    pub internal: u16,
    /// `None`: the engine picks a free host port.
    pub external: Option<u16>,
    /// `None`: every address (`0.0.0.0`), as the file said nothing.
    pub ip: Option<String>,
    pub protocol: String,
}

const LONG_KEYS: &[&str] = &["target", "published", "host_ip", "protocol"];
const LONG_UNSUPPORTED: &[&str] = &["mode", "name", "app_protocol"];

pub fn parse(ctx: &Ctx, n: &Node, diags: &mut Diagnostics) -> Vec<Port> {
    let mut out = Vec::new();
    let Some(items) = n.items() else {
        diags.push(n.error(format!("`ports` takes a list, found {}", n.describe())));
        return out;
    };
    for item in items {
        let parsed = match &item.kind {
            Kind::Map(_) => long(ctx, item, diags),
            _ => ctx
                .str(item)
                .and_then(|s| short(&s).map_err(|d| d.at(item.location()))),
        };
        match parsed {
            Ok(p) => out.extend(p),
            Err(d) => diags.push(d),
        }
    }
    out
}

fn long(ctx: &Ctx, n: &Node, diags: &mut Diagnostics) -> Result<Vec<Port>, Diagnostic> {
    check_keys(n, "a port", LONG_KEYS, LONG_UNSUPPORTED, diags);
    let target = n
        .get("target")
        .ok_or_else(|| n.error("a port in long syntax needs `target`, the container port"))?;
    let internal = port_number(&ctx.str(target)?).map_err(|d| d.at(target.location()))?;
    let external = match n.get("published") {
        Some(p) if !p.is_null() => Some(port_number(&ctx.str(p)?).map_err(|d| d.at(p.location()))?),
        _ => None,
    };
    let ip = n.get("host_ip").map(|i| ctx.str(i)).transpose()?;
    let protocol = n
        .get("protocol")
        .map(|p| ctx.str(p))
        .transpose()?
        .unwrap_or_else(|| "tcp".into());
    Ok(vec![Port {
        internal,
        external,
        ip,
        protocol,
    }])
}

/// `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`, `80`, `[::1]:80:80/udp`, `3000-3001:3000-3001`.
pub fn short(spec: &str) -> Result<Vec<Port>, Diagnostic> {
    let (rest, protocol) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, p.to_string()),
        None => (spec, "tcp".to_string()),
    };
    let (ip, rest) = if let Some(v6) = rest.strip_prefix('[') {
        let (ip, after) = v6.split_once("]:").ok_or_else(|| {
            bad(
                spec,
                "an IPv6 host address is written `[::1]:HOST:CONTAINER`",
            )
        })?;
        (Some(ip.to_string()), after)
    } else {
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.len() {
            1 | 2 => (None, rest),
            3 => (Some(parts[0].to_string()), &rest[parts[0].len() + 1..]),
            _ => {
                return Err(bad(
                    spec,
                    "write `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`",
                ))
            }
        }
    };
    let (host, container) = match rest.split_once(':') {
        Some((h, c)) => (h, c),
        None => ("", rest),
    };
    let containers = range(container).map_err(|_| {
        bad(
            spec,
            "the container port must be a number or a range like `3000-3005`",
        )
    })?;
    let hosts = if host.is_empty() {
        Vec::new()
    } else {
        range(host).map_err(|_| {
            bad(
                spec,
                "the host port must be a number or a range like `3000-3005`",
            )
        })?
    };
    if !hosts.is_empty() && hosts.len() != containers.len() {
        return Err(bad(spec, "a host port range must be as long as the container port range")
            .hint("labform does not pick one free port out of a host range yet; give ranges of equal length"));
    }
    Ok(containers
        .iter()
        .enumerate()
        .map(|(i, c)| Port {
            internal: *c,
            external: hosts.get(i).copied(),
            ip: ip.clone().filter(|i| !i.is_empty()),
            protocol: protocol.clone(),
        })
        .collect())
}

fn bad(spec: &str, why: &str) -> Diagnostic {
    Diagnostic::error(format!("invalid port `{spec}`")).hint(why.to_string())
}

fn port_number(s: &str) -> Result<u16, Diagnostic> {
    match s.trim().parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(Diagnostic::error(format!("invalid port number `{s}`"))
            .hint("a port is a number from 1 to 65535")),
    }
}

fn range(s: &str) -> Result<Vec<u16>, ()> {
    let one = |t: &str| t.trim().parse::<u16>().ok().filter(|p| *p > 0).ok_or(());
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            if b < a {
                return Err(());
            }
            Ok((a..=b).collect())
        }
        None => Ok(vec![one(s)?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(internal: u16, external: Option<u16>, ip: Option<&str>, protocol: &str) -> Port {
        Port {
            internal,
            external,
            ip: ip.map(String::from),
            protocol: protocol.into(),
        }
    }

    #[test]
    fn short_syntax_forms() {
        assert_eq!(short("80").unwrap(), vec![p(80, None, None, "tcp")]);
        assert_eq!(
            short("8080:80").unwrap(),
            vec![p(80, Some(8080), None, "tcp")]
        );
        assert_eq!(
            short("127.0.0.1:5432:5432").unwrap(),
            vec![p(5432, Some(5432), Some("127.0.0.1"), "tcp")]
        );
        assert_eq!(
            short("127.0.0.1::53/udp").unwrap(),
            vec![p(53, None, Some("127.0.0.1"), "udp")]
        );
        assert_eq!(
            short("[::1]:8080:80").unwrap(),
            vec![p(80, Some(8080), Some("::1"), "tcp")]
        );
        assert_eq!(
            short("3000-3001:4000-4001").unwrap(),
            vec![
                p(4000, Some(3000), None, "tcp"),
                p(4001, Some(3001), None, "tcp")
            ]
        );
    }

    #[test]
    fn bad_ports_say_why() {
        assert!(short("abc").is_err());
        assert!(short("1:2:3:4").is_err());
        assert!(short("9000-9001:80").is_err());
        assert!(short("70000").is_err());
    }
}
