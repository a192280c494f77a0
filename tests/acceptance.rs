//! Acceptance tests: the real `terraform` binary drives the provider binary (through
//! `dev_overrides`) against the in-process mock Management API.
//!
//! Terraform is found through `TF_ACC_TERRAFORM_PATH`, else `terraform` on PATH. Without one the
//! tests print why and skip, except under `CI=true`, where a missing Terraform is a failure.

#[path = "acceptance/support/mod.rs"]
mod support;

#[path = "acceptance/data_sources.rs"]
mod data_sources;
#[path = "acceptance/database.rs"]
mod database;
#[path = "acceptance/database_token.rs"]
mod database_token;
#[path = "acceptance/database_token_drift.rs"]
mod database_token_drift;
#[path = "acceptance/database_token_import.rs"]
mod database_token_import;
#[path = "acceptance/database_token_secrets.rs"]
mod database_token_secrets;
#[path = "acceptance/database_token_validation.rs"]
mod database_token_validation;
#[path = "acceptance/debug_mode.rs"]
mod debug_mode;
#[path = "acceptance/ephemeral_token.rs"]
mod ephemeral_token;
#[path = "acceptance/examples.rs"]
mod examples;
#[path = "acceptance/faults_ambiguous_create.rs"]
mod faults_ambiguous_create;
#[path = "acceptance/faults_hundred.rs"]
mod faults_hundred;
#[path = "acceptance/faults_interrupt.rs"]
mod faults_interrupt;
#[path = "acceptance/faults_list_lag.rs"]
mod faults_list_lag;
#[path = "acceptance/mock_binary.rs"]
mod mock_binary;
#[path = "acceptance/plugin_interrupt.rs"]
mod plugin_interrupt;
#[path = "acceptance/plugin_tls.rs"]
mod plugin_tls;
#[path = "acceptance/policy.rs"]
mod policy;
#[path = "acceptance/provider_config.rs"]
mod provider_config;
#[path = "acceptance/provider_logs.rs"]
mod provider_logs;
#[path = "acceptance/quickstart.rs"]
mod quickstart;
