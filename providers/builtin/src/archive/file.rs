//! `resource "archive_file"`: the same archive as the data source, built at apply and rebuilt on
//! every refresh (so the checksums follow the sources); destroy leaves the file, as
//! hashicorp/archive does.

use labform_sdk::{async_trait, OpContext, ProviderContext, Resource, Result, Value};

use super::build::build;
use super::schema::schema;
use super::source;

labform_sdk::typed! {
    pub struct ArchiveFile("archive_file") { ctx: ProviderContext }
    schema: schema(true)
}

#[async_trait]
impl Resource for ArchiveFile {
    fn validate(&self, config: &Value) -> Result<()> {
        source::validate(config)
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        build(planned, &self.ctx).await
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        build(current, &self.ctx).await.map(Some)
    }

    /// Only `exclude_symlink_directories` changes in place: the archive is rebuilt with it.
    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        build(planned, &self.ctx).await
    }

    async fn delete(&self, _prior: &Value, _ctx: &OpContext) -> Result<()> {
        Ok(())
    }

    /// Building twice gives the same file: an interrupted create leaves nothing to adopt.
    async fn find_interrupted(&self, _intent: &Value, _token: &str) -> Result<Option<Value>> {
        Ok(None)
    }

    fn has_remote_object(&self) -> bool {
        false
    }
}
