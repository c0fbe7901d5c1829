//! Apply progress: one line per resource as it starts and ends, for people or as JSON lines.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::exec::{Event, OpKind, Reporter};

pub struct HumanProgress;

fn elapsed(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{}m{}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

fn id_suffix(id: Option<&str>) -> String {
    id.map(|i| format!(" [id={i}]")).unwrap_or_default()
}

impl Reporter for HumanProgress {
    fn event(&self, event: Event) {
        let line = match event {
            Event::Start { addr, op, id } => match op {
                OpKind::Create => format!("{addr}: Creating..."),
                OpKind::Update => format!("{addr}: Modifying...{}", id_suffix(id)),
                OpKind::Delete => format!("{addr}: Destroying...{}", id_suffix(id)),
                OpKind::Read => format!("{addr}: Reading..."),
            },
            Event::Done {
                addr,
                op,
                elapsed: e,
                id,
            } => match op {
                OpKind::Create => format!(
                    "{addr}: Creation complete after {}{}",
                    elapsed(e),
                    id_suffix(id)
                ),
                OpKind::Update => format!(
                    "{addr}: Modifications complete after {}{}",
                    elapsed(e),
                    id_suffix(id)
                ),
                OpKind::Delete => format!("{addr}: Destruction complete after {}", elapsed(e)),
                OpKind::Read => format!("{addr}: Read complete after {}", elapsed(e)),
            },
            Event::Failed { addr, op, .. } => format!("{addr}: {} failed", verb(op)),
            Event::Imported { addr, id } => {
                format!("{addr}: Importing... [id={id}]\n{addr}: Import complete [id={id}]")
            }
            Event::Skipped { addr, op } => format!(
                "{addr}: {} skipped: a resource it depends on failed",
                verb(op)
            ),
            Event::Progress { addr, message } => format!("{addr}: {message}"),
            Event::Interrupted => {
                super::err("\ninterrupt received: finishing running operations, then stopping (press Ctrl-C again to exit now)");
                return;
            }
        };
        super::out(&line);
    }
}

fn verb(op: OpKind) -> &'static str {
    match op {
        OpKind::Create => "creation",
        OpKind::Update => "modification",
        OpKind::Delete => "destruction",
        OpKind::Read => "read",
    }
}

/// Terraform's machine-readable UI: one JSON object per line.
pub struct JsonProgress;

pub fn json_line(level: &str, message: &str, kind: &str, extra: serde_json::Value) {
    let ts = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let mut obj = json!({ "@level": level, "@message": message, "@module": "labform.ui", "@timestamp": ts, "type": kind });
    if let (Some(o), serde_json::Value::Object(e)) = (obj.as_object_mut(), extra) {
        o.extend(e);
    }
    super::out(&obj.to_string());
}

fn resource_json(addr: &labform_state::InstanceAddr) -> serde_json::Value {
    json!({
        "addr": addr.to_string(),
        "resource": addr.resource_addr(),
        "resource_type": addr.type_name,
        "resource_name": addr.name,
        "resource_key": addr.key.as_ref().map(|k| k.to_string().trim_matches('"').to_string()),
        "implied_provider": crate::config::implied_provider(&addr.type_name),
    })
}

impl Reporter for JsonProgress {
    fn event(&self, event: Event) {
        match event {
            Event::Start { addr, op, id } => json_line(
                "info",
                &format!("{addr}: {} started", op.as_str()),
                "apply_start",
                json!({ "hook": { "resource": resource_json(addr), "action": op.as_str(), "id_key": id.map(|_| "id"), "id_value": id } }),
            ),
            Event::Done {
                addr,
                op,
                elapsed,
                id,
            } => json_line(
                "info",
                &format!(
                    "{addr}: {} complete after {}",
                    op.as_str(),
                    self::elapsed(elapsed)
                ),
                "apply_complete",
                json!({ "hook": { "resource": resource_json(addr), "action": op.as_str(), "id_key": id.map(|_| "id"), "id_value": id, "elapsed_seconds": elapsed.as_secs() } }),
            ),
            Event::Failed { addr, op, message } => json_line(
                "error",
                &format!("{addr}: {} errored", op.as_str()),
                "apply_errored",
                json!({ "hook": { "resource": resource_json(addr), "action": op.as_str() }, "error": message }),
            ),
            Event::Imported { addr, id } => json_line(
                "info",
                &format!("{addr}: Import complete"),
                "import_complete",
                json!({ "hook": { "resource": resource_json(addr), "id_key": "id", "id_value": id } }),
            ),
            Event::Skipped { addr, op } => json_line(
                "warn",
                &format!("{addr}: {} skipped: a dependency failed", op.as_str()),
                "apply_skipped",
                json!({ "hook": { "resource": resource_json(addr), "action": op.as_str() } }),
            ),
            Event::Progress { addr, message } => json_line(
                "info",
                &format!("{addr}: {message}"),
                "apply_progress",
                json!({ "hook": { "resource": { "addr": addr }, "message": message } }),
            ),
            Event::Interrupted => json_line(
                "warn",
                "interrupt received: stopping after running operations",
                "interrupt",
                json!({}),
            ),
        }
    }
}
