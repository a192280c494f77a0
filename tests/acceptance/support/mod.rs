//! The harness: find Terraform, lay out a private working directory with a CLI config whose
//! `dev_overrides` point at the provider built by cargo, run commands, read JSON back.

#![allow(dead_code, unused_imports)]

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
