//! Tooling tests: what ships around the provider, checked with the tools users run it with
//! (`scripts/release.py` and gpg, `terraform init` from a registry and a mirror, the
//! quickstart script, the install guide's constraints, the `influxdb3-mock-api` binary, the
//! registry's docs validator).
//!
//! They do not depend on which Terraform or OpenTofu release runs them beyond the one on
//! PATH (or `TF_ACC_TERRAFORM_PATH`), so `.ci/run` runs them once, not once per binary like
//! the acceptance tests. They share the acceptance tests' harness.

#[path = "../acceptance/support/mod.rs"]
mod support;

mod install_guide;
mod mock_binary;
mod quickstart;
mod registry_docs;
mod release_install;
mod release_signing;
