//! The harness: find Terraform, lay out a private working directory with a CLI config whose
//! `dev_overrides` point at the provider built by cargo, run commands, read JSON back.

#![allow(dead_code, unused_imports)]

pub mod fault_figures;
pub mod invariants;
pub mod mock_checks;
pub mod processes;
pub mod registry;
pub mod release;
pub mod secrets;
pub mod seed;
pub mod steps;
pub mod terraform;
pub mod text;
pub mod workdir;

pub use steps::{actions, resource_change, state_resource, state_values};
pub use terraform::terraform_or_skip;
pub use workdir::{Outcome, WorkDir};

/// The provider's full source address, as every configuration must write it.
pub const SOURCE: &str = "registry.terraform.io/ironflux/influxdb3";

/// The `terraform { required_providers }` block every configuration starts with.
pub fn required_providers() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    influxdb3 = {{\n      source = \"{SOURCE}\"\n    }}\n  }}\n}}\n"
    )
}
