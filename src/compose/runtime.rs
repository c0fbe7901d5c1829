//! Service keys that map one to one onto `docker_container` runtime arguments: `logging`,
//! `stop_grace_period`, `sysctls`, `tmpfs`, `dns_search`, `group_add`, `cpu_shares` and
//! `memswap_limit`.

use super::service::Service;
use super::values::{check_keys, Ctx};
use super::yaml::Node;
use crate::diag::{Diagnostic, Diagnostics};

/// The keys this file reads.
pub const KEYS: &[&str] = &[
    "logging",
    "stop_grace_period",
    "sysctls",
    "tmpfs",
    "dns_search",
    "group_add",
    "cpu_shares",
    "memswap_limit",
];

/// Reads `key` into `s`; `false` when the key is not one of [`KEYS`].
pub fn read(
    ctx: &Ctx,
    key: &str,
    v: &Node,
    s: &mut Service,
    diags: &mut Diagnostics,
) -> Result<bool, Diagnostic> {
    match key {
        "logging" => {
            check_keys(v, "`logging`", &["driver", "options"], &[], diags);
            if let Some(d) = v.get("driver") {
                s.strings.push(("log_driver", ctx.str(d)?));
            }
            if let Some(o) = v.get("options") {
                s.maps.push(("log_opts", pairs(ctx, o)?));
            }
        }
        "stop_grace_period" => s.ints.push(("stop_timeout", seconds(ctx, v)?)),
        "sysctls" => s.maps.push(("sysctls", pairs(ctx, v)?)),
        "tmpfs" => {
            for entry in ctx.str_or_list(v)? {
                let (path, opts) = entry.split_once(':').unwrap_or((entry.as_str(), ""));
                s.tmpfs.push((path.to_string(), opts.to_string()));
            }
        }
        "dns_search" => s.lists.push(("dns_search", ctx.str_or_list(v)?)),
        "group_add" => s.lists.push(("group_add", ctx.list(v)?)),
        "cpu_shares" => s.ints.push(("cpu_shares", ctx.int(v)?)),
        "memswap_limit" => {
            // -1 is unlimited swap and 0 means unset (the spec's words); else a size in MiB.
            let text = ctx.str(v)?;
            match text.trim() {
                "-1" => s.ints.push(("memory_swap", -1)),
                "0" => {}
                _ => s
                    .ints
                    .push(("memory_swap", super::service::mib(ctx, v, key)?)),
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn pairs(ctx: &Ctx, v: &Node) -> Result<Vec<(String, String)>, Diagnostic> {
    Ok(ctx
        .pairs(v, '=')?
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect())
}

/// A Compose duration (`10s`, `1m30s`) in whole seconds, the unit of `stop_timeout`.
fn seconds(ctx: &Ctx, v: &Node) -> Result<i64, Diagnostic> {
    let text = ctx.str(v)?;
    let d = labform_sdk::go_duration(text.trim()).map_err(|e| {
        v.error(format!("invalid duration `{text}`: {e}"))
            .hint("write a duration such as `10s` or `1m30s`")
    })?;
    if d.subsec_nanos() != 0 {
        return Err(v
            .error(format!(
                "`stop_grace_period` must be whole seconds for labform, found `{text}`"
            ))
            .hint("round it to seconds, such as `2s`"));
    }
    Ok(d.as_secs() as i64)
}
