//! The harness: find Terraform, lay out a private working directory with a CLI config whose
//! `dev_overrides` point at the provider built by cargo, run commands, read JSON back.

#![allow(dead_code, unused_imports)]

/// The name of the test function it is written in (for skip messages and failure reports, so
/// they can never drift from the test they name).
macro_rules! test_name {
    () => {{
        fn here() {}
        let path = std::any::type_name_of_val(&here);
        let path = path.strip_suffix("::here").unwrap_or(path);
        path.rsplit("::").next().unwrap_or(path)
    }};
}
pub(crate) use test_name;

/// The Terraform binary for the test it is written in, or a return from that test (after the
/// skip message; under `CI=true` a missing Terraform fails instead). With a
/// [`terraform::Feature`], the binary must have it too.
#[allow(unused_macros)]
macro_rules! terraform_or_return {
    () => {
        match $crate::support::terraform::terraform_or_skip($crate::support::test_name!()) {
            Some(tf) => tf,
            None => return,
        }
    };
    ($feature:expr) => {
        match $crate::support::terraform::terraform_with_or_skip(
            $crate::support::test_name!(),
            $feature,
        ) {
            Some(tf) => tf,
            None => return,
        }
    };
}
pub(crate) use terraform_or_return;

pub(crate) mod configs;
pub(crate) mod fault_figures;
pub(crate) mod incumbent;
pub(crate) mod invariants;
pub(crate) mod mock_checks;
pub(crate) mod mock_process;
pub(crate) mod processes;
pub(crate) mod registry;
pub(crate) mod release;
pub(crate) mod secrets;
pub(crate) mod seed;
pub(crate) mod state_file;
pub(crate) mod steps;
pub(crate) mod terraform;
pub(crate) mod text;
pub(crate) mod workdir;

pub(crate) use steps::{actions, resource_change, state_resource, state_values};
pub(crate) use terraform::terraform_or_skip;
pub(crate) use workdir::{Outcome, WorkDir};

/// The provider's full source address, as every configuration must write it.
pub(crate) const SOURCE: &str = "registry.terraform.io/ironflux/influxdb3";

/// The `terraform { required_providers }` block every configuration starts with.
pub(crate) fn required_providers() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    influxdb3 = {{\n      source = \"{SOURCE}\"\n    }}\n  }}\n}}\n"
    )
}
