//! [`no_config_provider!`]: a built-in provider's struct and its [`NoConfigProvider`] identity
//! (registry source, schema version, types), declared once instead of as the same impl in every
//! provider module.
//!
//! [`NoConfigProvider`]: labform_sdk::NoConfigProvider

/// Declares a provider that needs no configuration:
///
/// ```text
/// no_config_provider! {
///     /// The `time` provider.
///     pub struct TimeProvider("registry.terraform.io/hashicorp/time", "0.13.1");
///     resources(_ctx) => ResourceSet::new().resource(sleep::TimeSleep::new())
/// }
/// ```
///
/// The expression after `resources(ctx) =>` builds the provider's types; `ctx` is the
/// [`ProviderContext`](labform_sdk::ProviderContext) they are made with.
macro_rules! no_config_provider {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($source:literal, $version:literal);
        resources($ctx:pat) => $types:expr
    ) => {
        $(#[$meta])*
        pub struct $name;

        impl labform_sdk::NoConfigProvider for $name {
            const SOURCE: &'static str = $source;
            const SCHEMA_VERSION: &'static str = $version;

            fn resources($ctx: &labform_sdk::ProviderContext) -> labform_sdk::ResourceSet {
                $types
            }
        }
    };
}
