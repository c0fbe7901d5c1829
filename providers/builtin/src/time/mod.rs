//! Provider `time` (hashicorp/time): `time_sleep`, which waits on create and/or destroy, as
//! course stacks do to let a just-created service settle.

mod sleep;

use labform_sdk::ResourceSet;

no_config_provider! {
    pub struct TimeProvider("registry.terraform.io/hashicorp/time", "0.13.1");
    resources(_ctx) => ResourceSet::new().resource(sleep::TimeSleep::new())
}
