//! Provider `time` (hashicorp/time): `time_sleep`, which waits on create and/or destroy, as
//! course stacks do to let a just-created service settle.

mod sleep;

use labform_sdk::{NoConfigProvider, ProviderContext, ResourceSet};

pub struct TimeProvider;

impl NoConfigProvider for TimeProvider {
    const SOURCE: &'static str = "registry.terraform.io/hashicorp/time";
    const SCHEMA_VERSION: &'static str = "0.13.1";

    fn resources(_ctx: &ProviderContext) -> ResourceSet {
        ResourceSet::new().resource(sleep::TimeSleep::new())
    }
}
