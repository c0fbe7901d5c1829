//! `data "aws_caller_identity"`: who the credentials belong to (sts:GetCallerIdentity).

use std::sync::Arc;

use labform_sdk::{async_trait, Attribute, BlockSchema, DataSource, Result, Value};

use crate::client::Aws;
use crate::errors;
use crate::schema_util::s;

labform_sdk::typed! {
    pub struct CallerIdentity("aws_caller_identity") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    BlockSchema::new().attrs(
        &["account_id", "arn", "id", "user_id"],
        Attribute::computed(s()),
    )
}

#[async_trait]
impl DataSource for CallerIdentity {
    async fn read(&self, _config: &Value) -> Result<Value> {
        let out = self
            .aws
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| errors::sdk("getting the caller identity", e))?;
        let account = out.account().unwrap_or("");
        Ok(Value::from_pairs([
            ("account_id", account.into()),
            ("id", account.into()),
            ("arn", out.arn().unwrap_or("").into()),
            ("user_id", out.user_id().unwrap_or("").into()),
        ]))
    }
}
