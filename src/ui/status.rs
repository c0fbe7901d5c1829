//! `labform status`: what of a stack is up, since when, until when, and what it costs.

use chrono::{DateTime, Utc};
use serde_json::{json, Value as Json};

use super::cost::{describe, item_json, money, money_hourly, round};
use crate::cost::{Item, StackCost};

/// One recorded object as status shows it.
pub struct Row<'a> {
    pub item: &'a Item,
    /// When labform created it (RFC 3339); `None` when state does not say.
    pub created_at: Option<&'a str>,
    /// When it expires (RFC 3339); `None` when no expiry is set.
    pub expires_at: Option<String>,
    /// Its create was interrupted and is not settled yet: it may or may not exist.
    pub in_doubt: bool,
    pub tainted: bool,
}

/// Where status learnt of a stack's objects.
#[derive(Clone, Copy, PartialEq)]
pub enum Source<'a> {
    /// The stack here's state.
    State,
    /// Their marks, which carry this stack id (empty: marked by an older labform).
    Marks(&'a str),
}

/// What status reports on.
pub struct Status<'a> {
    pub stack: &'a str,
    pub source: Source<'a>,
    pub rows: Vec<Row<'a>>,
    pub cost: &'a StackCost,
    pub disclaimer: &'a str,
    pub now: DateTime<Utc>,
}

fn parse(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `3d 4h`, `2h 5m`, `7m`: the two largest units.
fn span(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

fn since(row: &Row, now: DateTime<Utc>) -> String {
    match row.created_at.and_then(parse) {
        Some(t) => format!(
            "{} ({} ago)",
            t.format("%Y-%m-%d %H:%M UTC"),
            span((now - t).num_seconds())
        ),
        None => "unknown".to_string(),
    }
}

fn until(row: &Row, now: DateTime<Utc>) -> String {
    match row.expires_at.as_deref() {
        None => "-".to_string(),
        Some(text) => match parse(text) {
            Some(t) if t <= now => format!("{} (expired)", t.format("%Y-%m-%d %H:%M UTC")),
            Some(t) => format!(
                "{} (in {})",
                t.format("%Y-%m-%d %H:%M UTC"),
                span((t - now).num_seconds())
            ),
            None => text.to_string(),
        },
    }
}

fn what(row: &Row) -> String {
    let mut s = describe(&row.item.estimate);
    if row.in_doubt {
        s.push_str(" [create interrupted: may not exist]");
    }
    if row.tainted {
        s.push_str(" [tainted]");
    }
    s
}

/// The status as a table with totals, then what has no price, what is billed by use, the free
/// tiers and the disclaimer.
pub fn render(st: &Status) -> String {
    if st.rows.is_empty() {
        return format!(
            "Nothing of stack `{}` is up: its state records no objects.\n",
            st.stack
        );
    }
    format!("{}  {}\n", stack_report(st), st.disclaimer)
}

/// `status -all`: every stack found by mark, each as [`render`] shows one, then the totals.
pub fn render_all(stacks: &[Status], disclaimer: &str) -> String {
    if stacks.is_empty() {
        return "Nothing is up: no object found carries labform's mark.\n".to_string();
    }
    let mut s = String::new();
    for st in stacks {
        s.push_str(&stack_report(st));
        s.push('\n');
    }
    let objects: usize = stacks.iter().map(|st| st.rows.len()).sum();
    let hourly: f64 = stacks.iter().map(|st| st.cost.per_hour()).sum();
    let daily: f64 = stacks.iter().map(|st| st.cost.per_day()).sum();
    s.push_str(&format!(
        "All stacks: {objects} object{} in {} stack{}: {}/hour, {}/day.\n  {disclaimer}\n",
        plural(objects),
        stacks.len(),
        plural(stacks.len()),
        money_hourly(hourly),
        money(daily)
    ));
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One stack's header, table, total and notes (all but the disclaimer).
fn stack_report(st: &Status) -> String {
    let first = match st.source {
        Source::State => "ADDRESS",
        Source::Marks(_) => "OBJECT",
    };
    let header = [first, "UP SINCE", "EXPIRES", "$/HOUR", "$/DAY", "WHAT"];
    let mut table: Vec<[String; 6]> = vec![header.map(String::from)];
    for r in &st.rows {
        let e = &r.item.estimate;
        table.push([
            r.item.addr.to_string(),
            since(r, st.now),
            until(r, st.now),
            // Nothing known is not $0.
            if e.parts.is_empty() && e.price_unknown() {
                "?".to_string()
            } else {
                money_hourly(e.per_hour())
            },
            if e.parts.is_empty() && e.price_unknown() {
                "?".to_string()
            } else {
                money(e.per_day())
            },
            what(r),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|c| table.iter().map(|row| row[c].len()).max().unwrap_or(0))
        .collect();
    let count = st.rows.len();
    let mut s = match st.source {
        Source::State => format!(
            "Stack `{}`: {count} object{} recorded in state.\n\n",
            st.stack,
            plural(count)
        ),
        Source::Marks(id) => format!(
            "Stack `{}` (id {}): {count} object{} found by mark.\n\n",
            st.stack,
            if id.is_empty() {
                "none: marked by an older labform"
            } else {
                id
            },
            plural(count)
        ),
    };
    for row in &table {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if c == 5 {
                    cell.clone()
                } else {
                    format!("{cell:<w$}", w = widths[c])
                }
            })
            .collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    s.push_str(&format!(
        "\nTotal: {}/hour, {}/day",
        money_hourly(st.cost.per_hour()),
        money(st.cost.per_day())
    ));
    let unpriced = st.cost.unpriced().count();
    if unpriced > 0 {
        s.push_str(&format!(
            ", plus {unpriced} object{} with no price known",
            if unpriced == 1 { "" } else { "s" }
        ));
    }
    s.push_str(".\n");
    for i in st.cost.unpriced() {
        s.push_str(&format!(
            "  No price known: {} ({})\n",
            i.addr,
            i.estimate.no_price.join("; ")
        ));
    }
    for i in st.cost.items.values() {
        for b in &i.estimate.by_use {
            s.push_str(&format!("  {}: {b}\n", i.addr));
        }
    }
    for t in st.cost.free_tiers() {
        s.push_str(&format!("  May be free: {t}\n"));
    }
    if st.rows.iter().any(|r| r.created_at.is_none()) {
        s.push_str(match st.source {
            Source::State => {
                "  Up since `unknown`: created before labform recorded create times, or imported.\n"
            }
            Source::Marks(_) => {
                "  Up since `unknown`: the API does not say when the object was made.\n"
            }
        });
    }
    s
}

pub fn json(st: &Status) -> Json {
    let mut j = json!({
        "stack": st.stack,
        "estimate": true,
        "currency": "USD",
        "objects": st.rows.iter().map(|r| {
            let mut j = item_json(r.item);
            if let Some(o) = j.as_object_mut() {
                o.insert("created_at".into(), json!(r.created_at));
                o.insert("expires_at".into(), json!(r.expires_at));
                o.insert("create_interrupted".into(), json!(r.in_doubt));
                o.insert("tainted".into(), json!(r.tainted));
            }
            j
        }).collect::<Vec<_>>(),
        "total": {
            "per_hour": round(st.cost.per_hour()),
            "per_day": round(st.cost.per_day()),
        },
        "no_price_known": st.cost.unpriced().map(|i| i.addr.to_string()).collect::<Vec<_>>(),
        "free_tiers": st.cost.free_tiers(),
        "note": st.disclaimer,
    });
    if let (Source::Marks(id), Some(o)) = (st.source, j.as_object_mut()) {
        o.insert("stack_id".into(), json!(id));
    }
    j
}

/// `status -all -json`: each stack as [`json`] gives it, and the totals.
pub fn json_all(stacks: &[Status], disclaimer: &str) -> Json {
    json!({
        "estimate": true,
        "currency": "USD",
        "stacks": stacks.iter().map(json).collect::<Vec<_>>(),
        "total": {
            "objects": stacks.iter().map(|st| st.rows.len()).sum::<usize>(),
            "per_hour": round(stacks.iter().map(|st| st.cost.per_hour()).sum()),
            "per_day": round(stacks.iter().map(|st| st.cost.per_day()).sum()),
        },
        "note": disclaimer,
    })
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_show_the_two_largest_units() {
        assert_eq!(span(59), "0m");
        assert_eq!(span(7 * 60), "7m");
        assert_eq!(span(2 * 3600 + 5 * 60), "2h 5m");
        assert_eq!(span(3 * 86_400 + 4 * 3600 + 9), "3d 4h");
        assert_eq!(span(-5), "0m");
    }
}
