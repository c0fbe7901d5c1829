//! The `aws` provider: schemas (known without credentials) and `configure`, which binds every
//! resource and data source to one set of clients.

use std::collections::BTreeMap;
use std::sync::Arc;

use labform_sdk::{
    async_trait, BlockSchema, ConfiguredProvider, Provider, ProviderContext, ResourceSet, Result,
    Value,
};

use crate::client::Aws;
use crate::config::{self, Settings};
use crate::{data, ec2, firehose, glue, iam, kinesis, lambda, rds, redshift, s3};

/// The provider registered as `aws` (`hashicorp/aws`).
pub struct AwsProvider;

#[async_trait]
impl Provider for AwsProvider {
    fn source(&self) -> &'static str {
        "registry.terraform.io/hashicorp/aws"
    }
    fn schema_version(&self) -> &'static str {
        "6.58.0"
    }

    fn config_schema(&self) -> BlockSchema {
        config::schema()
    }

    fn resource_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        let implemented = BTreeMap::from([
            ("aws_s3_bucket", s3::bucket::schema()),
            ("aws_s3_bucket_versioning", s3::versioning::schema()),
            (
                "aws_s3_bucket_public_access_block",
                s3::public_access_block::schema(),
            ),
            (
                "aws_s3_bucket_lifecycle_configuration",
                s3::lifecycle::schema(),
            ),
            (
                "aws_s3_bucket_server_side_encryption_configuration",
                s3::encryption::schema(),
            ),
            ("aws_s3_object", s3::object::schema()),
            ("aws_glue_catalog_database", glue::database::schema()),
            ("aws_glue_catalog_table", glue::catalog_table::schema()),
            ("aws_glue_connection", glue::connection::schema()),
            ("aws_glue_crawler", glue::crawler::schema()),
            ("aws_glue_job", glue::job::schema()),
            ("aws_iam_role", iam::role::schema()),
            ("aws_iam_policy", iam::policy::schema()),
            ("aws_iam_role_policy", iam::role_policy::schema()),
            (
                "aws_iam_role_policy_attachment",
                iam::role_policy_attachment::schema(),
            ),
            ("aws_iam_instance_profile", iam::instance_profile::schema()),
            (
                "aws_kinesis_firehose_delivery_stream",
                firehose::delivery_stream::schema(),
            ),
            ("aws_kinesis_stream", kinesis::stream::schema()),
            ("aws_db_instance", rds::instance::schema()),
            ("aws_db_subnet_group", rds::subnet_group::schema()),
            ("aws_redshift_cluster", redshift::cluster::schema()),
            (
                "aws_redshift_subnet_group",
                redshift::subnet_group::schema(),
            ),
            ("aws_lambda_function", lambda::function::schema()),
            ("aws_lambda_permission", lambda::permission::schema()),
            ("aws_vpc", ec2::vpc::schema()),
            ("aws_subnet", ec2::subnet::schema()),
            ("aws_internet_gateway", ec2::internet_gateway::schema()),
            ("aws_route_table", ec2::route_table::schema()),
            ("aws_route", ec2::route::schema()),
            (
                "aws_route_table_association",
                ec2::route_table_association::schema(),
            ),
            ("aws_security_group", ec2::security_group::schema()),
            (
                "aws_security_group_rule",
                ec2::security_group_rule::schema(),
            ),
            (
                "aws_vpc_security_group_ingress_rule",
                ec2::vpc_sg_rule::schema(),
            ),
            (
                "aws_vpc_security_group_egress_rule",
                ec2::vpc_sg_rule::schema(),
            ),
            ("aws_instance", ec2::instance::schema()),
            ("aws_key_pair", ec2::key_pair::schema()),
        ]);
        labform_sdk::completed(implemented, crate::terraform_schema::resource)
    }

    fn data_source_schemas(&self) -> BTreeMap<&'static str, BlockSchema> {
        let implemented = BTreeMap::from([
            ("aws_ami", data::ami::schema()),
            ("aws_availability_zones", data::availability_zones::schema()),
            ("aws_caller_identity", data::caller_identity::schema()),
            ("aws_iam_policy", data::iam_policy::schema()),
            (
                "aws_iam_policy_document",
                data::iam_policy_document::schema(),
            ),
            ("aws_region", data::region::schema()),
            ("aws_vpc", data::vpc::schema()),
            ("aws_subnet", data::subnet::schema()),
            ("aws_subnets", data::subnets::schema()),
            ("aws_security_group", data::security_group::schema()),
        ]);
        labform_sdk::completed(implemented, crate::terraform_schema::data_source)
    }

    async fn configure(
        &self,
        config: &Value,
        ctx: &ProviderContext,
    ) -> Result<Arc<dyn ConfiguredProvider>> {
        let settings = Settings::from(config);
        let sdk = config::load(config).await?;
        let aws = Arc::new(Aws::new(&sdk, &settings, ctx));
        if !settings.skip_credentials_validation {
            // Rejected keys show up here, once, instead of on every resource.
            aws.sts
                .get_caller_identity()
                .send()
                .await
                .map_err(|e| crate::errors::sdk("checking the aws credentials", e))?;
        }
        Ok(Arc::new(resources(aws)))
    }
}

/// Every resource and data source bound to `aws`.
pub fn resources(aws: Arc<Aws>) -> ResourceSet {
    let a = || aws.clone();
    ResourceSet::new()
        .resource(s3::bucket::Bucket::new(a()))
        .resource(s3::versioning::Versioning::new(a()))
        .resource(s3::public_access_block::PublicAccessBlock::new(a()))
        .resource(s3::lifecycle::Lifecycle::new(a()))
        .resource(s3::encryption::Encryption::new(a()))
        .resource(s3::object::Object::new(a()))
        .resource(glue::database::Database::new(a()))
        .resource(glue::catalog_table::CatalogTable::new(a()))
        .resource(glue::connection::GlueConnection::new(a()))
        .resource(glue::crawler::Crawler::new(a()))
        .resource(glue::job::Job::new(a()))
        .resource(iam::role::Role::new(a()))
        .resource(iam::policy::Policy::new(a()))
        .resource(iam::role_policy::RolePolicy::new(a()))
        .resource(iam::role_policy_attachment::RolePolicyAttachment::new(a()))
        .resource(iam::instance_profile::InstanceProfile::new(a()))
        .resource(firehose::delivery_stream::DeliveryStream::new(a()))
        .resource(kinesis::stream::Stream::new(a()))
        .resource(rds::instance::Instance::new(a()))
        .resource(rds::subnet_group::SubnetGroup::new(a()))
        .resource(redshift::cluster::Cluster::new(a()))
        .resource(redshift::subnet_group::SubnetGroup::new(a()))
        .resource(lambda::function::Function::new(a()))
        .resource(lambda::permission::Permission::new(a()))
        .resource(ec2::vpc::Vpc::new(a()))
        .resource(ec2::subnet::Subnet::new(a()))
        .resource(ec2::internet_gateway::InternetGateway::new(a()))
        .resource(ec2::route_table::RouteTable::new(a()))
        .resource(ec2::route::Route::new(a()))
        .resource(ec2::route_table_association::Association::new(a()))
        .resource(ec2::security_group::SecurityGroup::new(a()))
        .resource(ec2::security_group_rule::SecurityGroupRule::new(a()))
        .resource(ec2::vpc_sg_rule::VpcSgRule::new(
            a(),
            ec2::vpc_sg_rule::Direction::Ingress,
        ))
        .resource(ec2::vpc_sg_rule::VpcSgRule::new(
            a(),
            ec2::vpc_sg_rule::Direction::Egress,
        ))
        .resource(ec2::instance::Instance::new(a()))
        .resource(ec2::key_pair::KeyPair::new(a()))
        .data_source(data::ami::Ami::new(a()))
        .data_source(data::availability_zones::AvailabilityZones::new(a()))
        .data_source(data::caller_identity::CallerIdentity::new(a()))
        .data_source(data::iam_policy::PolicyData::new(a()))
        .data_source(data::iam_policy_document::PolicyDocument::new())
        .data_source(data::region::RegionData::new(a()))
        .data_source(data::vpc::VpcData::new(a(), ec2::vpc::Vpc::new(a())))
        .data_source(data::subnet::SubnetData::new(
            a(),
            ec2::subnet::Subnet::new(a()),
        ))
        .data_source(data::subnets::SubnetsData::new(a()))
        .data_source(data::security_group::SecurityGroupData::new(
            a(),
            ec2::security_group::SecurityGroup::new(a()),
        ))
}
