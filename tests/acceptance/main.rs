//! Acceptance tests: the real `terraform` binary drives the provider binary (through
//! `dev_overrides`) against the in-process mock Management API.
//!
//! Terraform is found through `TF_ACC_TERRAFORM_PATH`, else `terraform` on PATH. Without one the
//! tests print why and skip, except under `CI=true`, where a missing Terraform is a failure.

mod support;

mod data_sources;
mod database;
mod database_renames;
mod database_token;
mod database_token_drift;
mod database_token_import;
mod database_token_secrets;
mod database_token_validation;
mod debug_mode;
mod echoes;
mod ephemeral_token;
mod examples;
mod faults_ambiguous_create;
mod faults_convergence;
mod faults_hundred;
mod faults_interrupt;
mod faults_list_lag;
mod faults_shared_cluster;
mod hostile_answers;
mod identity_and_query;
mod infinite_numbers;
mod large_cluster;
mod migrate_incumbent;
mod migrate_incumbent_databases;
mod migrate_incumbent_tables;
mod migrate_state;
mod migration_guide;
mod mock_clusters;
mod ownership;
mod plugin_interrupt;
mod plugin_tls;
mod plugin_transport;
mod policy;
mod policy_engines;
mod protected_replacement;
mod provider_alias;
mod provider_config;
mod provider_logs;
mod proxy_env;
mod revoke_action;
mod revoke_flows;
mod rotating_token;
mod table;
