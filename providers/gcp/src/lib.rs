//! The `google` provider: Cloud Storage buckets and objects, BigQuery datasets and tables, as
//! hashicorp/google names and behaves them, against Google or its local emulators.

pub mod adopt;
pub mod bigquery;
pub mod confirm;
pub mod conv;
pub mod credentials;
pub mod credentials_token;
pub mod errors;
pub mod gcs;
pub mod labels;
pub mod names;
pub mod settings;
mod terraform_schema;

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ResourceSet, Result,
    Value,
};

/// The provider the engine registers.
pub fn provider() -> Box<dyn Provider> {
    Box::new(GoogleProvider)
}

pub struct GoogleProvider;

#[async_trait]
impl Provider for GoogleProvider {
    fn source(&self) -> &'static str {
        "registry.terraform.io/hashicorp/google"
    }
    fn schema_version(&self) -> &'static str {
        "7.45.0"
    }

    fn config_schema(&self) -> BlockSchema {
        settings::schema()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        let implemented = BTreeMap::from([
            ("google_storage_bucket", gcs::bucket_schema::schema()),
            ("google_storage_bucket_object", gcs::object::schema()),
            ("google_bigquery_dataset", bigquery::dataset::schema()),
            ("google_bigquery_table", bigquery::table::schema()),
        ]);
        labform_sdk::completed(implemented, crate::terraform_schema::resource)
    }

    async fn configure(
        &self,
        config: &Value,
        ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>> {
        let settings = Arc::new(settings::resolve(config, ctx)?);
        let gcs = gcs::client::GcsClient::new(settings.storage.clone(), settings.timeout)?;
        let bq = bigquery::client::BqClient::new(&settings.bigquery, settings.timeout).await?;
        let set = ResourceSet::new()
            .resource(gcs::bucket::Bucket::new(gcs.clone(), settings.clone()))
            .resource(gcs::object::BucketObject::new(gcs, settings.clone()))
            .resource(bigquery::dataset::Dataset::new(
                bq.clone(),
                settings.clone(),
            ))
            .resource(bigquery::table::Table::new(bq, settings.clone()));
        Ok(Arc::new(set))
    }
}
