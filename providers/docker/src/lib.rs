//! The `docker` provider (kreuzwerker/docker names and attributes): images, networks, volumes and
//! containers through the Docker Engine API, with labform's mark on everything it creates.

mod client;
mod container;
mod data_sources;
mod errors;
mod image;
mod labels;
mod network;
mod provider;
mod terraform_schema;
mod volume;
mod volume_data;

pub use provider::DockerProvider;

/// The provider the engine registers under the name `docker`.
pub fn provider() -> Box<dyn labform_sdk::Provider> {
    Box::new(DockerProvider)
}
