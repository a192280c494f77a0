//! Managed resource types, one folder or file per Terraform type.

pub mod database;
