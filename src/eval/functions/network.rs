//! CIDR functions for IPv4 and IPv6: `cidrhost`, `cidrnetmask`, `cidrsubnet`, `cidrsubnets`,
//! with Terraform's (go-cidr's) numbering and error messages.

use std::net::{Ipv4Addr, Ipv6Addr};

use labform_sdk::Value;

use super::spec::{f, fv, int_at, p, str_at, Func, N, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("cidrhost", &[p("prefix", S), p("hostnum", N)], cidrhost),
    f("cidrnetmask", &[p("prefix", S)], cidrnetmask),
    f(
        "cidrsubnet",
        &[p("prefix", S), p("newbits", N), p("netnum", N)],
        cidrsubnet,
    ),
    fv(
        "cidrsubnets",
        &[p("prefix", S)],
        p("newbits", N),
        cidrsubnets,
    ),
];

/// A network: its (masked) address as an integer, the prefix length and the address width.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Net {
    addr: u128,
    len: u32,
    bits: u32,
}

impl Net {
    fn host_bits(&self) -> u32 {
        self.bits - self.len
    }

    /// The largest host number: all host bits set.
    fn max_host(&self) -> u128 {
        low_mask(self.host_bits())
    }

    fn last(&self) -> u128 {
        self.addr | self.max_host()
    }

    fn with_len(addr: u128, len: u32, bits: u32) -> Net {
        Net {
            addr: addr & !low_mask(bits - len) & low_mask(bits),
            len,
            bits,
        }
    }

    fn contains(&self, addr: u128) -> bool {
        addr & !self.max_host() & low_mask(self.bits) == self.addr
    }
}

/// The lowest `n` bits set (`n` up to 128).
fn low_mask(n: u32) -> u128 {
    if n >= 128 {
        u128::MAX
    } else {
        (1u128 << n) - 1
    }
}

fn ip_string(addr: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(addr as u32).to_string()
    } else {
        Ipv6Addr::from(addr).to_string()
    }
}

fn net_string(net: &Net) -> String {
    format!("{}/{}", ip_string(net.addr, net.bits), net.len)
}

/// Parses `a.b.c.d/n` or an IPv6 prefix. IPv4 octets may have leading zeros (read as
/// decimal), as Terraform's parser allows.
fn parse_cidr(text: &str) -> Result<Net, FunctionError> {
    let invalid = || {
        FunctionError::arg(
            0,
            format!("invalid CIDR expression: invalid CIDR address: {text}"),
        )
    };
    let (ip, len) = text.split_once('/').ok_or_else(invalid)?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) || len.len() > 3 {
        return Err(invalid());
    }
    let len: u32 = len.parse().map_err(|_| invalid())?;
    let (addr, bits) = if ip.contains(':') {
        (
            u128::from(ip.parse::<Ipv6Addr>().map_err(|_| invalid())?),
            128,
        )
    } else {
        let octets: Vec<&str> = ip.split('.').collect();
        if octets.len() != 4 {
            return Err(invalid());
        }
        let mut addr = 0u128;
        for o in octets {
            if o.is_empty() || o.len() > 3 || !o.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            let v: u32 = o.parse().map_err(|_| invalid())?;
            if v > 255 {
                return Err(invalid());
            }
            addr = (addr << 8) | v as u128;
        }
        (addr, 32)
    };
    if len > bits {
        return Err(invalid());
    }
    Ok(Net::with_len(addr, len, bits))
}

fn cidrhost(a: &[Value], _: &FunctionContext) -> FnResult {
    let net = parse_cidr(str_at(a, 0)?)?;
    let hostnum = int_at(a, 1)?;
    let max = net.max_host();
    let offset = if hostnum < 0 {
        // -1 is the last address of the range, -2 the one before, ...
        let back = hostnum.unsigned_abs() as u128 - 1;
        max.checked_sub(back)
    } else {
        Some(hostnum as u128).filter(|n| *n <= max)
    };
    let Some(offset) = offset else {
        return Err(FunctionError::arg(
            1,
            format!(
                "prefix of {} does not accommodate a host numbered {hostnum}",
                net.len
            ),
        ));
    };
    Ok(Value::String(ip_string(net.addr | offset, net.bits)))
}

fn cidrnetmask(a: &[Value], _: &FunctionContext) -> FnResult {
    let text = str_at(a, 0)?;
    let net = parse_cidr(text)?;
    if net.bits != 32 {
        return Err(FunctionError::arg(
            0,
            format!("IPv6 addresses cannot have a netmask: {text}"),
        ));
    }
    let mask = low_mask(32) & !net.max_host();
    Ok(Value::String(ip_string(mask, 32)))
}

fn subnet(net: &Net, newbits: i64, netnum: i64) -> Result<Net, String> {
    if newbits < 0 {
        return Err("newbits must not be negative".to_string());
    }
    if net.len as i64 + newbits > net.bits as i64 {
        return Err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            net.len
        ));
    }
    let new_len = net.len + newbits as u32;
    if netnum < 0 {
        return Err("netnum must not be negative".to_string());
    }
    if netnum as u128 > low_mask(newbits as u32) {
        return Err(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        ));
    }
    let shift = net.bits - new_len;
    let addr = net.addr | (netnum as u128).checked_shl(shift).unwrap_or(0);
    Ok(Net::with_len(addr, new_len, net.bits))
}

fn cidrsubnet(a: &[Value], _: &FunctionContext) -> FnResult {
    let net = parse_cidr(str_at(a, 0)?)?;
    let newbits = int_at(a, 1)?;
    let netnum = int_at(a, 2)?;
    subnet(&net, newbits, netnum)
        .map(|n| Value::String(net_string(&n)))
        .map_err(FunctionError::new)
}

/// Allocates consecutive subnets of the given sizes, each aligned after the previous one.
fn cidrsubnets(a: &[Value], _: &FunctionContext) -> FnResult {
    let net = parse_cidr(str_at(a, 0)?)?;
    let sizes = (1..a.len())
        .map(|i| int_at(a, i))
        .collect::<Result<Vec<i64>, _>>()?;
    let mut current: Option<Net> = None;
    let mut out = Vec::with_capacity(sizes.len());
    for (i, newbits) in sizes.iter().enumerate() {
        let arg = i + 1;
        if *newbits < 1 {
            return Err(FunctionError::arg(
                arg,
                "must extend prefix by at least one bit",
            ));
        }
        if *newbits > 32 {
            return Err(FunctionError::arg(
                arg,
                "may not extend prefix by more than 32 bits",
            ));
        }
        let len = net.len + *newbits as u32;
        if len > net.bits {
            let proto = if net.bits == 32 { "IPv4" } else { "IPv6" };
            return Err(FunctionError::arg(
                arg,
                format!(
                    "would extend prefix to {len} bits, which is too long for an {proto} address"
                ),
            ));
        }
        // The first subnet starts at the network; each next one right after the previous,
        // aligned to its own size.
        let Some(prev) = current else {
            let first = Net::with_len(net.addr, len, net.bits);
            out.push(Value::String(net_string(&first)));
            current = Some(first);
            continue;
        };
        let aligned = Net::with_len(prev.last(), len, net.bits);
        let (next_addr, rolled) = match aligned.last().checked_add(1) {
            Some(n) if n <= low_mask(net.bits) => (n, false),
            _ => (0, true),
        };
        let next = Net::with_len(next_addr, len, net.bits);
        if rolled || !net.contains(next.addr) {
            return Err(FunctionError::arg(
                arg,
                format!(
                    "not enough remaining address space for a subnet with a prefix of {len} bits after {}",
                    net_string(&prev)
                ),
            ));
        }
        current = Some(next);
        out.push(Value::String(net_string(&next)));
    }
    Ok(Value::List(out))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn cidrsubnet_matches_the_docs() {
        let sub = |p: &str, nb: f64, nn: f64| call_ok("cidrsubnet", vec![s(p), n(nb), n(nn)]);
        assert_eq!(sub("172.16.0.0/12", 4.0, 2.0), s("172.18.0.0/16"));
        assert_eq!(sub("10.1.2.0/24", 4.0, 15.0), s("10.1.2.240/28"));
        assert_eq!(
            sub("fd00:fd12:3456:7890::/56", 16.0, 162.0),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(sub("10.1.2.3/16", 8.0, 2.0), s("10.1.2.0/24"));
        assert_eq!(sub("10.0.0.0/8", 0.0, 0.0), s("10.0.0.0/8"));
        assert_eq!(sub("010.0.0.0/8", 8.0, 1.0), s("10.1.0.0/16"));
        let err =
            |p: &str, nb: f64, nn: f64| call_err("cidrsubnet", vec![s(p), n(nb), n(nn)]).message;
        assert_eq!(
            err("10.0.0.0/30", 4.0, 0.0),
            "insufficient address space to extend prefix of 30 by 4"
        );
        assert_eq!(
            err("10.0.0.0/8", 2.0, 4.0),
            "prefix extension of 2 does not accommodate a subnet numbered 4"
        );
        assert_eq!(sub("fe80::/48", 40.0, 5.0), s("fe80::500:0:0/88"));
        assert_eq!(
            err("fe80::/48", 81.0, 0.0),
            "insufficient address space to extend prefix of 48 by 81"
        );
        assert!(err("not-a-cidr", 1.0, 0.0).contains("invalid CIDR expression"));
        assert!(err("10.0.0.0/33", 1.0, 0.0).contains("invalid CIDR expression"));
        assert!(err("10.0.0.0/8", 1.0, -1.0).contains("negative"));
    }

    #[test]
    fn cidrhost_matches_the_docs() {
        let host = |p: &str, h: f64| call_ok("cidrhost", vec![s(p), n(h)]);
        assert_eq!(host("10.12.112.0/20", 16.0), s("10.12.112.16"));
        assert_eq!(host("10.12.112.0/20", 268.0), s("10.12.113.12"));
        assert_eq!(
            host("fd00:fd12:3456:7890:00a2::/72", 34.0),
            s("fd00:fd12:3456:7890::22")
        );
        assert_eq!(host("10.0.0.0/24", -1.0), s("10.0.0.255"));
        assert_eq!(host("10.0.0.0/24", -256.0), s("10.0.0.0"));
        assert_eq!(
            host("::/0", -1.0),
            s("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
        );
        let err = call_err("cidrhost", vec![s("10.0.0.0/24"), n(256.0)]);
        assert_eq!(err.message, "invalid value for `hostnum` parameter: prefix of 24 does not accommodate a host numbered 256");
        assert!(try_call("cidrhost", vec![s("10.0.0.0/24"), n(-257.0)]).is_err());
    }

    #[test]
    fn cidrnetmask_matches_the_docs() {
        assert_eq!(
            call_ok("cidrnetmask", vec![s("172.16.0.0/12")]),
            s("255.240.0.0")
        );
        assert_eq!(
            call_ok("cidrnetmask", vec![s("10.0.0.0/32")]),
            s("255.255.255.255")
        );
        assert_eq!(call_ok("cidrnetmask", vec![s("0.0.0.0/0")]), s("0.0.0.0"));
        assert!(try_call("cidrnetmask", vec![s("fe80::/64")]).is_err());
    }

    #[test]
    fn cidrsubnets_matches_the_docs() {
        assert_eq!(
            call_ok(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            strs(&[
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ])
        );
        assert_eq!(
            call_ok(
                "cidrsubnets",
                vec![
                    s("fd00:fd12:3456:7890::/56"),
                    n(16.0),
                    n(16.0),
                    n(16.0),
                    n(32.0)
                ]
            ),
            strs(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88"
            ])
        );
        assert_eq!(call_ok("cidrsubnets", vec![s("10.0.0.0/8")]), strs(&[]));
        assert_eq!(
            call_ok("cidrsubnets", vec![s("0.0.0.0/0"), n(1.0), n(1.0)]),
            strs(&["0.0.0.0/1", "128.0.0.0/1"])
        );
        let err = |nbs: &[f64]| {
            let mut args = vec![s("10.0.0.0/8")];
            args.extend(nbs.iter().map(|x| n(*x)));
            call_err("cidrsubnets", args).message
        };
        assert!(err(&[1.0, 1.0, 1.0]).ends_with("not enough remaining address space for a subnet with a prefix of 9 bits after 10.128.0.0/9"));
        assert!(err(&[1.0, 0.0]).ends_with("must extend prefix by at least one bit"));
        assert!(err(&[25.0])
            .ends_with("would extend prefix to 33 bits, which is too long for an IPv4 address"));
    }
}
