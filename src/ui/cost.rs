//! Estimated costs as people and scripts read them: the plan's `Cost:` line and its JSON.

use serde_json::{json, Value as Json};

use crate::cost::{Estimate, Item, Kind, PlanCost, StackCost};

/// Dollars: cents for most amounts, four decimals below a cent (a t3.nano's hour).
pub fn money(x: f64) -> String {
    let a = x.abs();
    // Below half of the smallest shown amount it is nothing (float noise of a difference).
    let digits = if (0.00005..0.01).contains(&a) { 4 } else { 2 };
    format!("${a:.digits$}")
}

/// An hourly amount: four decimals below a dollar (a t3.micro costs $0.0104 an hour).
pub fn money_hourly(x: f64) -> String {
    if x.abs() < 1.0 && x.abs() >= 0.00005 {
        format!("${:.4}", x.abs())
    } else {
        money(x)
    }
}

/// `+$0.25`, `-$0.25`; a difference that rounds to zero is `+$0.00`.
pub fn signed_money(x: f64) -> String {
    let text = money(x);
    if x < 0.0 && text != money(0.0) {
        format!("-{text}")
    } else {
        format!("+{text}")
    }
}

/// The part of a by-use note before its rate: `storage billed by use`.
fn short(note: &str) -> &str {
    note.split(" (").next().unwrap_or(note)
}

/// How an object reads in a list: its billed parts, else what it is billed for, else why.
pub fn describe(e: &Estimate) -> String {
    if !e.parts.is_empty() {
        let mut s = e.summary();
        if e.price_unknown() {
            s.push_str(" + no price known for the rest");
        }
        return s;
    }
    if let Some(b) = e.by_use.first() {
        return format!("{}: {}", e.label, short(b));
    }
    if let Some(why) = e.no_price.first() {
        return why.clone();
    }
    match e.kind {
        Some(Kind::Local) => format!("{}: $0, local", e.label),
        Some(Kind::Free) => format!("{}: no charge", e.label),
        Some(Kind::None) => "no cloud object".to_string(),
        _ => e.label.clone(),
    }
}

/// The entries of the parenthesised list for one object: each billed part that `other` (the
/// other side of the plan) does not bill for it, or what else is known of a new or gone object.
fn entries(item: &Item, other: &StackCost, removed: bool) -> Vec<String> {
    let e = &item.estimate;
    if e.parts.is_empty() {
        return vec![describe(e)];
    }
    let kept: Vec<&str> = other
        .items
        .get(&item.addr.to_string())
        .map(|o| o.estimate.parts.iter().map(|p| p.what.as_str()).collect())
        .unwrap_or_default();
    e.parts
        .iter()
        .filter(|p| !kept.contains(&p.what.as_str()))
        .map(|p| {
            if removed {
                p.what.clone()
            } else {
                format!("{} 24h", p.what)
            }
        })
        .collect()
}

/// Repeated entries once, with how many (`EC2 t3.micro 24h (x2)`), in first-seen order.
fn counted(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for e in list {
        match out.iter_mut().find(|(seen, _)| *seen == e) {
            Some((_, n)) => *n += 1,
            None => out.push((e, 1)),
        }
    }
    out.into_iter()
        .map(|(e, n)| if n == 1 { e } else { format!("{e} (x{n})") })
        .collect()
}

/// Lines under a cost: what has no price, what was assumed, the free tiers, the disclaimer.
fn details(cost: &StackCost, disclaimer: &str, out: &mut String) {
    for i in cost.unpriced() {
        out.push_str(&format!(
            "  No price known: {} ({})\n",
            i.addr,
            i.estimate.no_price.join("; ")
        ));
    }
    for i in cost.items.values() {
        for a in &i.estimate.assumptions {
            out.push_str(&format!("  Assumed for {}: {a}\n", i.addr));
        }
    }
    for i in cost.items.values() {
        for b in &i.estimate.by_use {
            out.push_str(&format!("  {}: {b}\n", i.addr));
        }
    }
    for t in cost.free_tiers() {
        out.push_str(&format!("  May be free: {t}\n"));
    }
    out.push_str(&format!("  {disclaimer}\n"));
}

/// The plan's last lines: `Cost: +$0.26/day (EC2 t3.micro 24h, ...)`, the stack's cost after
/// the change, and the details.
pub fn render_plan_cost(cost: &PlanCost, disclaimer: &str) -> String {
    let mut list: Vec<String> = cost
        .added
        .iter()
        .flat_map(|i| entries(i, &cost.before, false))
        .collect();
    let gone = counted(
        cost.removed
            .iter()
            .flat_map(|i| entries(i, &cost.after, true))
            .collect(),
    );
    list = counted(list);
    if !gone.is_empty() {
        list.push(format!("no more: {}", gone.join(", ")));
    }
    let mut s = format!("\nCost: {}/day", signed_money(cost.difference_per_day()));
    if !list.is_empty() {
        s.push_str(&format!(" ({})", list.join(", ")));
    }
    s.push('\n');
    s.push_str(&format!(
        "  The stack after this change: {}/day ({}/hour).\n",
        money(cost.after.per_day()),
        money_hourly(cost.after.per_hour())
    ));
    details(&cost.after, disclaimer, &mut s);
    s
}

/// Rounds to a millionth of a dollar, so JSON readers do not see float noise.
pub(super) fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6 + 0.0
}

pub fn item_json(i: &Item) -> Json {
    let e = &i.estimate;
    json!({
        "address": i.addr.to_string(),
        "type": i.addr.type_name,
        "kind": e.kind.map(|k| json!(k)).unwrap_or(Json::Null),
        "per_hour": round(e.per_hour()),
        "per_day": round(e.per_day()),
        "parts": e.parts.iter().map(|p| json!({
            "what": p.what,
            "per_hour": round(p.per_hour),
            "source": p.source,
        })).collect::<Vec<_>>(),
        "billed_by_use": e.by_use,
        "assumptions": e.assumptions,
        "free_tiers": e.free_tiers,
        "no_price_known": e.no_price,
    })
}

/// `labform_cost` of `plan -json`: labform's own key; the rest of the plan keeps Terraform's shape.
pub fn plan_cost_json(cost: &PlanCost, disclaimer: &str) -> Json {
    let diff_hour = cost.after.per_hour() - cost.before.per_hour();
    json!({
        "estimate": true,
        "currency": "USD",
        "per_day": {
            "before": round(cost.before.per_day()),
            "after": round(cost.after.per_day()),
            "difference": round(cost.difference_per_day()),
        },
        "per_hour": {
            "before": round(cost.before.per_hour()),
            "after": round(cost.after.per_hour()),
            "difference": round(diff_hour),
        },
        "added": cost.added.iter().map(item_json).collect::<Vec<_>>(),
        "removed": cost.removed.iter().map(item_json).collect::<Vec<_>>(),
        "resources": cost.after.items.values().map(item_json).collect::<Vec<_>>(),
        "no_price_known": cost.after.unpriced().map(|i| i.addr.to_string()).collect::<Vec<_>>(),
        "free_tiers": cost.after.free_tiers(),
        "note": disclaimer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_cents_and_shows_tiny_amounts() {
        assert_eq!(money(0.2496), "$0.25");
        assert_eq!(money(0.0052), "$0.0052");
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(signed_money(0.67), "+$0.67");
        assert_eq!(signed_money(-0.67), "-$0.67");
        assert_eq!(signed_money(-0.000001), "+$0.00");
        assert_eq!(signed_money(0.0), "+$0.00");
        assert_eq!(money_hourly(0.0115), "$0.0115");
        assert_eq!(money_hourly(1.086), "$1.09");
    }

    #[test]
    fn repeated_entries_are_counted_in_first_seen_order() {
        let list = ["b", "a", "b", "b"].map(String::from).to_vec();
        assert_eq!(counted(list), ["b (x3)", "a"]);
    }
}
