//! Managed resource types, one folder per Terraform type.

pub mod aliases;
pub mod database;
pub mod database_token;
mod home;
pub mod table;
