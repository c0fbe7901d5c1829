//! The providers compiled into this binary. The only place that names them.

use labform_sdk::Provider;

pub fn all() -> Vec<Box<dyn Provider>> {
    #[allow(unused_mut)]
    let mut v: Vec<Box<dyn Provider>> = labform_builtin::providers();
    #[cfg(feature = "docker")]
    v.push(labform_docker::provider());
    #[cfg(feature = "aws")]
    v.push(labform_aws::provider());
    #[cfg(feature = "gcp")]
    v.push(labform_gcp::provider());
    v
}
