//! `time_sleep`: sleeps `create_duration` on create and `destroy_duration` on destroy;
//! `triggers` changes replace it (and so sleep again).

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, ProviderError, Resource, Result, Type, Value,
};

use labform_sdk::go_duration as parse_duration;

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr(
            "create_duration",
            Attribute::optional(Type::String).describe("time to wait when creating, e.g. `30s`"),
        )
        .attr(
            "destroy_duration",
            Attribute::optional(Type::String).describe("time to wait when destroying, e.g. `30s`"),
        )
        .attr(
            "triggers",
            Attribute::optional(Type::map(Type::String)).force_new(),
        )
        .attr("id", Attribute::computed(Type::String))
}

/// hashicorp/time's `id`: the creation time in RFC 3339, UTC, to the second
/// (`2020-02-12T06:36:13Z`).
fn created_id(now: chrono::DateTime<chrono::Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

labform_sdk::typed! {
    pub struct TimeSleep("time_sleep") {}
    schema: schema()
}

async fn sleep_for(value: &Value, key: &str, ctx: &OpContext) -> Result<()> {
    if let Some(text) = value.str_attr(key) {
        let d =
            parse_duration(text).map_err(|e| ProviderError::invalid(format!("`{key}`: {e}")))?;
        if !d.is_zero() {
            ctx.progress(&format!("waiting {text}"));
            tokio::time::sleep(d).await;
        }
    }
    Ok(())
}

#[async_trait]
impl Resource for TimeSleep {
    /// Nothing outside state: an interrupted create left nothing to find.
    async fn find_interrupted(&self, _intent: &Value, _token: &str) -> Result<Option<Value>> {
        Ok(None)
    }

    fn validate(&self, config: &Value) -> Result<()> {
        for key in ["create_duration", "destroy_duration"] {
            if let Some(text) = config.str_attr(key) {
                parse_duration(text)
                    .map_err(|e| ProviderError::invalid(format!("`{key}`: {e}")))?;
            }
        }
        Ok(())
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        sleep_for(planned, "create_duration", ctx).await?;
        let mut v = planned.clone();
        v.set("id", Value::String(created_id(chrono::Utc::now())));
        Ok(v)
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        Ok(Some(current.clone()).filter(|v| !v.get("id").is_null()))
    }

    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        Ok(planned.clone())
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        sleep_for(prior, "destroy_duration", ctx).await
    }

    fn has_remote_object(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::created_id;

    #[test]
    fn id_is_the_creation_time_as_rfc3339_in_utc_to_the_second() {
        let t = chrono::Utc
            .with_ymd_and_hms(2020, 2, 12, 6, 36, 13)
            .single()
            .map(|t| t + chrono::Duration::milliseconds(250));
        assert_eq!(t.map(created_id).as_deref(), Some("2020-02-12T06:36:13Z"));
    }
}
