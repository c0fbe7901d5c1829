//! The `random` provider (hashicorp/random): values made once at create and kept in state.

mod charset;
mod id;
mod integer;
mod keepers;
mod password;
mod pet;
mod plan;
mod resource;
mod seed;
mod shuffle;
mod string;
mod strings;
mod uuid;

#[cfg(test)]
mod tests;

use labform_sdk::{NoConfigProvider, ProviderContext, ResourceSet};

use resource::RandomResource;

pub struct RandomProvider;

impl NoConfigProvider for RandomProvider {
    const SOURCE: &'static str = "registry.terraform.io/hashicorp/random";
    const SCHEMA_VERSION: &'static str = "3.7.2";

    fn resources(_ctx: &ProviderContext) -> ResourceSet {
        ResourceSet::new()
            .resource(RandomResource::<id::RandomId>::new())
            .resource(RandomResource::<string::RandomString>::new())
            .resource(RandomResource::<password::RandomPassword>::new())
            .resource(RandomResource::<pet::RandomPet>::new())
            .resource(RandomResource::<integer::RandomInteger>::new())
            .resource(RandomResource::<shuffle::RandomShuffle>::new())
            .resource(RandomResource::<uuid::RandomUuid>::new())
    }
}
