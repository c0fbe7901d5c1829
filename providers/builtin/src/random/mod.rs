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

use labform_sdk::ResourceSet;

use resource::RandomResource;

no_config_provider! {
    pub struct RandomProvider("registry.terraform.io/hashicorp/random", "3.7.2");
    resources(_ctx) => ResourceSet::new()
        .resource(RandomResource::<id::RandomId>::new())
        .resource(RandomResource::<string::RandomString>::new())
        .resource(RandomResource::<password::RandomPassword>::new())
        .resource(RandomResource::<pet::RandomPet>::new())
        .resource(RandomResource::<integer::RandomInteger>::new())
        .resource(RandomResource::<shuffle::RandomShuffle>::new())
        .resource(RandomResource::<uuid::RandomUuid>::new())
}
