//! `data "archive_file"`: builds the archive when read (at plan time), as hashicorp/archive does.

use labform_sdk::{async_trait, BlockSchema, DataSource, ProviderContext, Result, Value};

use super::build::build;
use super::schema::schema;

pub struct ArchiveFileData {
    schema: BlockSchema,
    ctx: ProviderContext,
}

impl ArchiveFileData {
    pub fn new(ctx: ProviderContext) -> Self {
        ArchiveFileData {
            schema: schema(false),
            ctx,
        }
    }
}

#[async_trait]
impl DataSource for ArchiveFileData {
    fn type_name(&self) -> &'static str {
        "archive_file"
    }

    fn schema(&self) -> &BlockSchema {
        &self.schema
    }

    async fn read(&self, config: &Value) -> Result<Value> {
        build(config, &self.ctx).await
    }
}
