//! `data "archive_file"`: builds the archive when read (at plan time), as hashicorp/archive does.

use labform_sdk::{async_trait, DataSource, ProviderContext, Result, Value};

use super::build::build;
use super::schema::schema;

labform_sdk::typed! {
    pub struct ArchiveFileData("archive_file") { ctx: ProviderContext }
    schema: schema(false)
}

#[async_trait]
impl DataSource for ArchiveFileData {
    async fn read(&self, config: &Value) -> Result<Value> {
        build(config, &self.ctx).await
    }
}
